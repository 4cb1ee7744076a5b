//! The snapshot in a store that outlives the instance.
//!
//! A warm instance keeps its account in memory; a new instance (a restart,
//! another instance of the pool, another replica) would read the whole
//! account from Dex again. Stored, it can start from it instead. What is
//! stored is read back by a later build of the component, or by an older
//! one still running beside it, so it says which layout it is in and is
//! checked before it is believed.
//!
//! The records are stored in chunks (`chunks`): each list split into
//! groups by a CRC of the record's id, each group encoded on its own under
//! a key of its own, about [`chunks::CHUNK_TARGET_BYTES`] each. A small
//! manifest (`manifest`) under [`MANIFEST_KEY`] names the chunks with
//! their checksums and carries the read time and the [`Stamp`] other
//! instances compare. So:
//!
//! - an instance never holds more than about one chunk of encoded bytes,
//!   saving or taking up (a linear memory never shrinks, and the whole
//!   account as one value was 18.5 MB of every instance at 10,000
//!   contacts, `docs/benchmarks.md`);
//! - a write encodes and stores only the groups of the records it changed
//!   ([`save`] with the [`StoredLayout`] of the last save or take-up);
//! - a save writes its chunks under new keys (its generation in the key),
//!   then the manifest, then removes the chunks no manifest names: a save
//!   cut at any point leaves the previous snapshot readable.
//!
//! Anything else (another layout such as the single value of layout 3, a
//! cut or damaged manifest, a chunk missing or damaged) is a
//! [`LoadError`], which the caller logs and answers by reading the account
//! again: stored state is a shortcut, never a source of truth.
//!
//! postcard (serde, varint lengths, no schema in the bytes) was chosen over
//! a hand-written layout: the records already derive serde, and a new
//! field is encoded without new code.
//!
//! Only a complete snapshot is stored (a partial one is not kept in memory
//! either); a stored snapshot decodes with no list failures.

mod chunks;
mod manifest;

use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use self::chunks::{ChunkRef, ListManifest, ListPlan, StoredRecord, TrackedList};
use self::manifest::Manifest;
pub use self::manifest::{FORMAT_VERSION, MAGIC};
use super::Snapshot;
use crate::model::{Contact, Note, Reminder};
use crate::writes::KeyStore;

/// The key of the manifest (the key the whole snapshot had up to layout
/// 3, so an older value there is found, refused and replaced).
pub const MANIFEST_KEY: &str = "account-snapshot";

/// The start of every chunk's key: `account-chunk-<generation>-<list>-
/// <group>-<checksum>`, the generation in hexadecimal.
pub const CHUNK_PREFIX: &str = "account-chunk-";

/// Where layout 3 kept its stamp; removed by the first save in this one.
const OLD_STAMP_KEY: &str = "account-stamp";

/// Why the stored snapshot was saved: what tells an instance whether it
/// must take it up before its next answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cause {
    /// The account was read from Dex again: an instance with a usable
    /// account may go on answering from it until maintenance replaces it.
    Read,
    /// A tool changed the account: the next answer must show the change.
    Write,
}

/// Which stored snapshot is current, and why it was saved.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stamp {
    /// A checksum of the stored content: two saves of the same account
    /// have the same one, which is right (an instance holding either
    /// needs nothing from the other).
    pub checksum: u32,
    /// Why it was saved.
    pub cause: Cause,
}

/// The stamp in a stored manifest's bytes, if they are one in this
/// layout: one small read tells an instance whether the snapshot it holds
/// is the latest. Only the manifest's first fields are read (every call
/// asks); a damaged manifest is found when it is taken up.
pub fn stamp(manifest: &[u8]) -> Option<Stamp> {
    let (cause, checksum) = Manifest::peek_stamp(manifest)?;
    Some(Stamp { checksum, cause })
}

/// What the last save or take-up put in the store, kept by the instance
/// so that its next save writes only the groups that changed since.
///
/// It holds the account's records (the same `Arc`s, a pointer each): a
/// record replaced since is told by its pointer, which cannot be reused
/// while this one is held.
#[derive(Debug)]
pub struct StoredLayout {
    /// The checksum of the manifest's bytes: the store must still hold
    /// this very manifest for its chunks to be reused.
    manifest_checksum: u32,
    generation: u64,
    contacts: TrackedList<Contact>,
    notes: TrackedList<Note>,
    reminders: TrackedList<Reminder>,
}

/// A snapshot read back, with when it was read from Dex.
#[derive(Debug)]
pub struct StoredSnapshot {
    /// The account as it was read (and then written through the tools).
    pub snapshot: Snapshot,
    /// When it was read from Dex: its age decides whether it is fresh.
    pub read_at: SystemTime,
    /// The manifest's [`Stamp`] checksum.
    pub stamp: u32,
    /// What to give the next [`save`] once this snapshot is the
    /// instance's account.
    pub layout: StoredLayout,
}

/// A snapshot stored.
#[derive(Debug)]
pub struct Saved {
    /// Its [`Stamp`] checksum.
    pub stamp: u32,
    /// What to give the next [`save`].
    pub layout: StoredLayout,
    /// How many chunks were written (the others were kept).
    pub chunks_written: usize,
    /// Why chunks no longer named could not be removed, if they could not
    /// (they are removed by a later save).
    pub cleanup_error: Option<String>,
}

/// Why a snapshot was not stored.
#[derive(Debug, thiserror::Error)]
pub enum SaveError {
    /// A list could not be read in full; such a snapshot is never kept.
    #[error("the snapshot is partial ({0} lists not read in full); it is not stored")]
    Partial(usize),
    /// The encoder failed (it does not on these records, but says so if it
    /// ever does).
    #[error("the snapshot could not be encoded: {0}")]
    Encoding(#[from] postcard::Error),
    /// The store refused a value; the previous snapshot is still there.
    #[error("the store refused {key}: {reason}")]
    Store {
        /// The key being written.
        key: String,
        /// The store's reason.
        reason: String,
    },
}

/// Why the store's content was not taken for a snapshot.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum LoadError {
    /// Too short to hold the manifest's header.
    #[error("the stored value is {0} bytes, shorter than a manifest's header")]
    TooShort(usize),
    /// Not written by this encoder.
    #[error("the stored value is not an account snapshot (no DXSN header)")]
    NotASnapshot,
    /// Written in a layout this build does not read.
    #[error("the stored snapshot is in layout {found}, this build reads layout {FORMAT_VERSION}")]
    UnknownVersion {
        /// The layout the bytes say they are in.
        found: u16,
    },
    /// A value is not what was written (cut short or damaged).
    #[error("the stored {what} is damaged (checksum {found:08x}, expected {expected:08x})")]
    Damaged {
        /// The manifest, or the chunk's key.
        what: String,
        /// The checksum of the value as read.
        found: u32,
        /// The checksum it should have.
        expected: u32,
    },
    /// A chunk the manifest names is not in the store.
    #[error("the stored chunk {0} is missing")]
    MissingChunk(String),
    /// The checksum matched but the value does not decode.
    #[error("the stored snapshot does not decode: {0}")]
    Malformed(String),
    /// The store could not be read.
    #[error("the store could not be read: {0}")]
    Store(String),
}

fn millis_since_epoch(at: SystemTime) -> u64 {
    at.duration_since(UNIX_EPOCH)
        .unwrap_or(Duration::ZERO)
        .as_millis()
        .try_into()
        .unwrap_or(u64::MAX)
}

/// Stores one list's changed groups; the list's manifest and what to
/// remember of it.
fn store_list<T: StoredRecord>(
    store: &impl KeyStore,
    generation: u64,
    plan: ListPlan<T>,
    written: &mut usize,
) -> Result<TrackedList<T>, SaveError> {
    let mut chunks = Vec::with_capacity(plan.groups());
    for group in 0..plan.groups() {
        if let Some(chunk) = plan.reused[group].clone().filter(|_| !plan.dirty[group]) {
            chunks.push(chunk);
            continue;
        }
        let (bytes, records) = plan.encode(group)?;
        let checksum = crc32fast::hash(&bytes);
        let key = format!(
            "{CHUNK_PREFIX}{generation:x}-{}-{group}-{checksum:08x}",
            T::LIST
        );
        store.set(&key, &bytes).map_err(|reason| SaveError::Store {
            key: key.clone(),
            reason,
        })?;
        *written += 1;
        chunks.push(ChunkRef {
            key,
            checksum,
            len: u32::try_from(bytes.len()).unwrap_or(u32::MAX),
            records,
        });
    }
    Ok(TrackedList {
        manifest: ListManifest {
            next_key: plan.next_key,
            chunks,
        },
        records: plan.records,
    })
}

/// The generation in a chunk's key, `None` for a key that is not one.
fn chunk_generation(key: &str) -> Option<u64> {
    let rest = key.strip_prefix(CHUNK_PREFIX)?;
    u64::from_str_radix(rest.split('-').next()?, 16).ok()
}

/// Removes the chunks of generations before `generation` that `manifest`
/// does not name (a replaced snapshot's, a cut save's), and layout 3's
/// stamp. Chunks of this generation or later may be another save's, still
/// running: a later save removes them if they stay unnamed.
fn remove_unnamed(
    store: &impl KeyStore,
    manifest: &Manifest,
    generation: u64,
) -> Result<(), String> {
    let named: std::collections::HashSet<&str> =
        manifest.chunks().map(|chunk| chunk.key.as_str()).collect();
    for key in store.keys()? {
        let unnamed = key.starts_with(CHUNK_PREFIX)
            && !named.contains(key.as_str())
            && chunk_generation(&key).is_none_or(|g| g < generation);
        if unnamed || key == OLD_STAMP_KEY {
            store.delete(&key)?;
        }
    }
    Ok(())
}

/// Stores `snapshot`, read from Dex at `read_at` and saved for `cause`.
///
/// `previous` is what this instance's last save or take-up stored: when
/// the store still holds that manifest and the save is for a write, only
/// the groups of records changed since are written; otherwise every
/// group is (after a read, the lists are split anew to their size).
pub fn save(
    store: &impl KeyStore,
    snapshot: &Snapshot,
    read_at: SystemTime,
    cause: Cause,
    previous: Option<StoredLayout>,
) -> Result<Saved, SaveError> {
    if snapshot.is_partial() {
        return Err(SaveError::Partial(snapshot.failures.len()));
    }
    let current = match store.get(MANIFEST_KEY) {
        Ok(Some(bytes)) => Manifest::decode(&bytes).ok(),
        _ => None,
    };
    let generation = current
        .as_ref()
        .map_or(0, |(manifest, _)| manifest.generation)
        .max(previous.as_ref().map_or(0, |p| p.generation))
        + 1;
    let previous = previous.filter(|previous| {
        cause == Cause::Write
            && current
                .as_ref()
                .is_some_and(|(_, checksum)| *checksum == previous.manifest_checksum)
    });
    let mut written = 0;
    let (contacts, notes, reminders) = match &previous {
        Some(previous) => (
            ListPlan::changed(&previous.contacts, &snapshot.contacts),
            ListPlan::changed(&previous.notes, &snapshot.notes),
            ListPlan::changed(&previous.reminders, &snapshot.reminders),
        ),
        None => (
            ListPlan::whole(&snapshot.contacts),
            ListPlan::whole(&snapshot.notes),
            ListPlan::whole(&snapshot.reminders),
        ),
    };
    // The previous records are compared; past here only the new ones
    // are kept.
    drop(previous);
    let contacts = store_list(store, generation, contacts, &mut written)?;
    let notes = store_list(store, generation, notes, &mut written)?;
    let reminders = store_list(store, generation, reminders, &mut written)?;
    let mut manifest = Manifest {
        cause: match cause {
            Cause::Read => 0,
            Cause::Write => 1,
        },
        stamp: 0,
        generation,
        read_at_ms: millis_since_epoch(read_at),
        owner_time_zone: snapshot.owner_time_zone.clone(),
        link_gaps: snapshot.link_gaps.clone(),
        contacts: contacts.manifest.clone(),
        notes: notes.manifest.clone(),
        reminders: reminders.manifest.clone(),
    };
    manifest.stamp = manifest.content_stamp();
    let bytes = manifest.encode()?;
    store
        .set(MANIFEST_KEY, &bytes)
        .map_err(|reason| SaveError::Store {
            key: MANIFEST_KEY.into(),
            reason,
        })?;
    let cleanup_error = remove_unnamed(store, &manifest, generation).err();
    Ok(Saved {
        stamp: manifest.stamp,
        layout: StoredLayout {
            manifest_checksum: Manifest::checksum_of(&bytes),
            generation,
            contacts,
            notes,
            reminders,
        },
        chunks_written: written,
        cleanup_error,
    })
}

/// Reads one list's chunks, one at a time, in the list's order.
fn load_list<T: StoredRecord>(
    store: &impl KeyStore,
    list: &ListManifest,
) -> Result<(Vec<Arc<T>>, TrackedList<T>), LoadError> {
    let total = list.chunks.iter().map(|c| c.records as usize).sum();
    let mut records: Vec<(u32, Arc<T>)> = Vec::with_capacity(total);
    for chunk in &list.chunks {
        let bytes = store
            .get(&chunk.key)
            .map_err(LoadError::Store)?
            .ok_or_else(|| LoadError::MissingChunk(chunk.key.clone()))?;
        let found = crc32fast::hash(&bytes);
        if found != chunk.checksum || bytes.len() != chunk.len as usize {
            return Err(LoadError::Damaged {
                what: format!("chunk {}", chunk.key),
                found,
                expected: chunk.checksum,
            });
        }
        chunks::decode_into(&bytes, chunk, &mut records)?;
    }
    records.sort_unstable_by_key(|(key, _)| *key);
    let list_records = records.iter().map(|(_, record)| record.clone()).collect();
    Ok((
        list_records,
        TrackedList {
            manifest: list.clone(),
            records,
        },
    ))
}

/// The stored snapshot: `None` when there is none, an error when what is
/// stored is not a whole snapshot in this build's layout.
pub fn load(store: &impl KeyStore) -> Result<Option<StoredSnapshot>, LoadError> {
    let Some(bytes) = store.get(MANIFEST_KEY).map_err(LoadError::Store)? else {
        return Ok(None);
    };
    let (manifest, manifest_checksum) = Manifest::decode(&bytes)?;
    drop(bytes);
    let (contacts, contacts_kept) = load_list(store, &manifest.contacts)?;
    let (notes, notes_kept) = load_list(store, &manifest.notes)?;
    let (reminders, reminders_kept) = load_list(store, &manifest.reminders)?;
    Ok(Some(StoredSnapshot {
        snapshot: Snapshot {
            contacts,
            notes,
            reminders,
            failures: Vec::new(),
            owner_time_zone: manifest.owner_time_zone,
            link_gaps: manifest.link_gaps,
            served_stale: None,
        },
        read_at: UNIX_EPOCH + Duration::from_millis(manifest.read_at_ms),
        stamp: manifest.stamp,
        layout: StoredLayout {
            manifest_checksum,
            generation: manifest.generation,
            contacts: contacts_kept,
            notes: notes_kept,
            reminders: reminders_kept,
        },
    }))
}

/// Removes the stored snapshot: its manifest first (so nothing reads a
/// half-removed one), then every chunk and layout 3's stamp.
pub fn remove(store: &impl KeyStore) -> Result<(), String> {
    store.delete(MANIFEST_KEY)?;
    for key in store.keys()? {
        if key.starts_with(CHUNK_PREFIX) || key == OLD_STAMP_KEY {
            store.delete(&key)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dex::ListKind;
    use crate::model::{
        CustomFieldValue, EmailEntry, ErrorKind, Frequency, KeepInTouch, Label, PhoneEntry,
        RelatedContact, SocialLink, SocialNetwork, ToolError,
    };
    use crate::snapshot::{LinkGap, ListFailure};

    /// A small account touching every stored field.
    fn small() -> Snapshot {
        let contact = Contact {
            id: "c1".into(),
            full_name: "Ada Lovelace".into(),
            first_name: Some("Ada".into()),
            last_name: Some("Lovelace".into()),
            job_title: Some("Analyst".into()),
            company: Some("Engines Ltd".into()),
            description: Some("met at the Royal Society; ümlaut".into()),
            emails: vec![EmailEntry {
                email: "ada@example.org".into(),
                label: Some("work".into()),
            }],
            phones: vec![PhoneEntry {
                number: "+44 20 7946 0000".into(),
                label: None,
            }],
            social_links: vec![SocialLink {
                network: SocialNetwork::Twitter,
                url: "https://twitter.com/ada".into(),
            }],
            website: Some("https://ada.example".into()),
            birthday: Some("--12-10".into()),
            starred: true,
            archived: false,
            last_seen_at: Some("2026-01-02T03:04:05Z".into()),
            next_reminder_at: None,
            created_at: Some("2020-01-01T00:00:00Z".into()),
            updated_at: Some("2025-06-01T00:00:00Z".into()),
            keep_in_touch: Some(KeepInTouch::of(Frequency::Quarterly)),
            never_keep_in_touch: false,
            tags: vec![Label {
                id: "t1".into(),
                name: "Pioneers".into(),
            }],
            groups: vec![Label {
                id: "g1".into(),
                name: "Royal Society".into(),
            }],
            custom_fields: vec![CustomFieldValue {
                field_id: "f1".into(),
                name: Some("Met through".into()),
                values: vec!["Babbage".into()],
            }],
            related: Some(vec![RelatedContact {
                id: "c2".into(),
                name: Some("Charles Babbage".into()),
            }]),
        };
        let note = |id: &str| Note {
            id: id.into(),
            text: "coffee about the engine".into(),
            event_time: Some("2025-05-05T10:00:00Z".into()),
            note_type: Some("coffee".into()),
            note_type_id: Some("t1".into()),
            contact_ids: vec!["c1".into()],
        };
        let reminder = Reminder {
            id: "r1".into(),
            text: "send the paper".into(),
            due_date: Some("2026-02-01".into()),
            due_time: None,
            complete: false,
            recurrence: Some("monthly".into()),
            last_completed_at: None,
            next_occurrence_at: Some("2026-02-01T09:00:00Z".into()),
            contact_ids: vec!["c1".into(), "c2".into()],
        };
        Snapshot {
            contacts: vec![
                Arc::new(contact),
                Arc::new(Contact {
                    id: "c2".into(),
                    full_name: "Charles Babbage".into(),
                    ..Contact::default()
                }),
            ],
            notes: vec![Arc::new(note("n1")), Arc::new(note("n2"))],
            reminders: vec![Arc::new(reminder)],
            failures: Vec::new(),
            owner_time_zone: Some("Europe/London".into()),
            link_gaps: vec![LinkGap {
                list: ListKind::Notes,
                reason: "Some notes' contacts could not be read".into(),
            }],
            served_stale: None,
        }
    }

    fn read_at() -> SystemTime {
        UNIX_EPOCH + Duration::from_millis(1_767_225_600_123)
    }

    fn same(a: &Snapshot, b: &Snapshot) {
        assert_eq!(a.contacts, b.contacts);
        assert_eq!(a.notes, b.notes);
        assert_eq!(a.reminders, b.reminders);
        assert_eq!(a.owner_time_zone, b.owner_time_zone);
        assert_eq!(a.link_gaps, b.link_gaps);
        assert!(b.failures.is_empty());
    }

    /// The shared in-memory store (counts writes, can refuse them).
    type TestStore = crate::writes::MemoryStore;

    /// The keys of the chunks a store holds.
    trait ChunkKeys {
        fn keys_now(&self) -> Vec<String>;
        fn chunk_keys(&self) -> Vec<String>;
    }

    impl ChunkKeys for TestStore {
        fn keys_now(&self) -> Vec<String> {
            self.values.borrow().keys().cloned().collect()
        }
        fn chunk_keys(&self) -> Vec<String> {
            let mut keys = self.keys_now();
            keys.retain(|k| k.starts_with(CHUNK_PREFIX));
            keys
        }
    }

    /// [`small`] with enough notes and contacts (about 2.5 MB encoded)
    /// that every list but the reminders is stored in several chunks.
    fn many() -> Snapshot {
        let mut snapshot = small();
        let text = "a long walk along the river talking about engines ".repeat(20);
        for n in 0..2_400 {
            let mut note = (*snapshot.notes[0]).clone();
            note.id = format!("note-{n}").into();
            note.text = format!("{n} {text}").into();
            snapshot.notes.push(Arc::new(note));
        }
        for n in 0..3_000 {
            snapshot.contacts.push(Arc::new(Contact {
                id: format!("contact-{n}"),
                full_name: format!("Person {n}"),
                description: Some(text.clone()),
                ..Contact::default()
            }));
        }
        snapshot
    }

    fn saved(store: &TestStore, snapshot: &Snapshot, cause: Cause) -> Saved {
        save(store, snapshot, read_at(), cause, None).unwrap()
    }

    fn loaded(store: &TestStore) -> StoredSnapshot {
        load(store).unwrap().expect("a snapshot is stored")
    }

    #[test]
    fn a_snapshot_reads_back_as_it_was_written() {
        for snapshot in [small(), many(), Snapshot::default()] {
            let store = TestStore::default();
            let saved = saved(&store, &snapshot, Cause::Read);
            let stored = loaded(&store);
            same(&snapshot, &stored.snapshot);
            assert_eq!(stored.read_at, read_at());
            assert_eq!(stored.stamp, saved.stamp);
        }
    }

    #[test]
    fn a_large_account_is_stored_in_chunks_of_about_the_target_size() {
        let store = TestStore::default();
        let saved = saved(&store, &many(), Cause::Read);
        let chunks = store.chunk_keys();
        assert_eq!(saved.chunks_written, chunks.len());
        assert!(chunks.len() >= 5, "{chunks:?}");
        let values = store.values.borrow();
        let total: usize = values.values().map(Vec::len).sum();
        assert!(total > 2_000_000, "{total} bytes");
        for (key, value) in values.iter() {
            assert!(value.len() < 1 << 20, "{key} is {} bytes", value.len());
        }
    }

    #[test]
    fn a_chunk_is_allocated_at_its_exact_size() {
        // Spare capacity is linear memory the instance keeps for good.
        let snapshot = many();
        let plan = ListPlan::whole(&snapshot.notes);
        let (bytes, records) = plan.encode(0).unwrap();
        assert_eq!(bytes.capacity(), bytes.len());
        assert!(records > 0);
    }

    #[test]
    fn notes_read_back_share_their_kind() {
        let store = TestStore::default();
        saved(&store, &many(), Cause::Read);
        let stored = loaded(&store);
        let notes = &stored.snapshot.notes;
        let first = notes[0].note_type.as_ref().unwrap();
        assert!(
            notes
                .iter()
                .all(|n| n.note_type.as_ref().unwrap().same_copy(first)),
            "across chunks too"
        );
    }

    #[test]
    fn a_partial_snapshot_is_not_stored() {
        let mut snapshot = small();
        snapshot.failures.push(ListFailure {
            list: ListKind::Reminders,
            pages_read: 2,
            error: ToolError::new(ErrorKind::Upstream, "boom"),
        });
        let store = TestStore::default();
        assert!(matches!(
            save(&store, &snapshot, read_at(), Cause::Read, None),
            Err(SaveError::Partial(1))
        ));
        assert!(store.keys_now().is_empty());
    }

    #[test]
    fn a_write_stores_only_the_chunks_of_the_records_it_changed() {
        let store = TestStore::default();
        saved(&store, &many(), Cause::Read);
        let stored = loaded(&store);
        let mut snapshot = stored.snapshot;
        let mut layout = stored.layout;
        // One note changed in place: its chunk and the manifest.
        let mut note = (*snapshot.notes[7]).clone();
        note.text = "changed".into();
        snapshot.notes[7] = Arc::new(note);
        store.sets.set(0);
        let saved = save(&store, &snapshot, read_at(), Cause::Write, Some(layout)).unwrap();
        assert_eq!((saved.chunks_written, store.sets.get()), (1, 2));
        layout = saved.layout;
        // One note added at the end and one reminder removed: two chunks.
        let mut added = (*snapshot.notes[0]).clone();
        added.id = "note-added".into();
        snapshot.notes.push(Arc::new(added));
        snapshot.reminders.clear();
        store.sets.set(0);
        let saved = save(&store, &snapshot, read_at(), Cause::Write, Some(layout)).unwrap();
        assert_eq!((saved.chunks_written, store.sets.get()), (2, 3));
        layout = saved.layout;
        // One contact removed from the middle: its chunk only.
        snapshot.contacts.remove(100);
        store.sets.set(0);
        let saved = save(&store, &snapshot, read_at(), Cause::Write, Some(layout)).unwrap();
        assert_eq!((saved.chunks_written, store.sets.get()), (1, 2));
        // Read back whole and in order; the replaced chunks are gone.
        let stored = loaded(&store);
        same(&snapshot, &stored.snapshot);
        assert_eq!(stored.snapshot.notes.last().unwrap().id, "note-added");
        let named: Vec<String> = Manifest::decode(&store.get(MANIFEST_KEY).unwrap().unwrap())
            .unwrap()
            .0
            .chunks()
            .map(|c| c.key.clone())
            .collect();
        let mut named_sorted = named.clone();
        named_sorted.sort();
        assert_eq!(store.chunk_keys(), named_sorted);
    }

    #[test]
    fn a_write_after_another_instance_saved_stores_every_chunk() {
        let store = TestStore::default();
        let mine = saved(&store, &many(), Cause::Read);
        // Another instance stores its account: this one's layout is stale.
        let mut other = many();
        other.owner_time_zone = Some("Asia/Tokyo".into());
        saved(&store, &other, Cause::Read);
        let mut snapshot = many();
        snapshot.notes.pop();
        let chunks = store.chunk_keys().len();
        let saved = save(
            &store,
            &snapshot,
            read_at(),
            Cause::Write,
            Some(mine.layout),
        )
        .unwrap();
        assert_eq!(saved.chunks_written, chunks);
        same(&snapshot, &loaded(&store).snapshot);
    }

    #[test]
    fn a_save_cut_after_any_number_of_writes_leaves_the_old_snapshot() {
        let store = TestStore::default();
        let before = many();
        let first = saved(&store, &before, Cause::Read);
        let mut after = many();
        after.owner_time_zone = Some("Asia/Tokyo".into());
        after.notes.truncate(1_000);
        let writes = {
            let trial = store.clone();
            trial.sets.set(0);
            saved(&trial, &after, Cause::Read);
            trial.sets.get()
        };
        for allowed in 0..writes {
            let cut = store.clone();
            cut.sets.set(0);
            cut.sets_allowed.set(Some(allowed));
            assert!(matches!(
                save(&cut, &after, read_at(), Cause::Read, None),
                Err(SaveError::Store { .. })
            ));
            let stored = loaded(&cut);
            same(&before, &stored.snapshot);
            assert_eq!(stored.stamp, first.stamp);
            // The next save finishes and removes the cut one's chunks.
            cut.sets_allowed.set(None);
            saved(&cut, &after, Cause::Read);
            same(&after, &loaded(&cut).snapshot);
            let named = Manifest::decode(&cut.get(MANIFEST_KEY).unwrap().unwrap())
                .unwrap()
                .0
                .chunks()
                .count();
            assert_eq!(cut.chunk_keys().len(), named, "after a cut at {allowed}");
        }
    }

    #[test]
    fn a_missing_damaged_or_cut_chunk_makes_no_snapshot() {
        let store = TestStore::default();
        saved(&store, &many(), Cause::Read);
        let chunks = store.chunk_keys();
        for key in &chunks {
            let original = store.get(key).unwrap().unwrap();
            store.delete(key).unwrap();
            assert_eq!(
                load(&store).unwrap_err(),
                LoadError::MissingChunk(key.clone())
            );
            let mut damaged = original.clone();
            damaged[original.len() / 2] ^= 0x10;
            store.values.borrow_mut().insert(key.clone(), damaged);
            assert!(matches!(load(&store), Err(LoadError::Damaged { .. })));
            store
                .values
                .borrow_mut()
                .insert(key.clone(), original[..original.len() - 1].to_vec());
            assert!(matches!(load(&store), Err(LoadError::Damaged { .. })));
            store.values.borrow_mut().insert(key.clone(), original);
        }
        assert!(load(&store).is_ok());
    }

    #[test]
    fn chunks_no_manifest_names_are_removed() {
        let store = TestStore::default();
        store
            .set(
                &format!("{CHUNK_PREFIX}0-notes-3-deadbeef"),
                b"left by a cut save",
            )
            .unwrap();
        store
            .set(&format!("{CHUNK_PREFIX}not-a-chunk"), b"?")
            .unwrap();
        store.set("account-stamp", &[1, 2, 3, 4, 1]).unwrap();
        store.set("idempotency/abc", b"not ours").unwrap();
        saved(&store, &small(), Cause::Read);
        // A chunk of a later generation may be a save running beside this
        // one: it stays until a save after it.
        let running = format!("{CHUNK_PREFIX}ff-notes-0-00000000");
        store.set(&running, b"another save's").unwrap();
        saved(&store, &small(), Cause::Read);
        let mut expected: Vec<String> =
            Manifest::decode(&store.get(MANIFEST_KEY).unwrap().unwrap())
                .unwrap()
                .0
                .chunks()
                .map(|c| c.key.clone())
                .chain([running.clone()])
                .collect();
        expected.sort();
        assert_eq!(store.chunk_keys(), expected);
        assert!(store.get("account-stamp").unwrap().is_none());
        assert!(store.get("idempotency/abc").unwrap().is_some());
        // The removal goes with the snapshot.
        remove(&store).unwrap();
        assert_eq!(store.keys_now(), ["idempotency/abc"]);
        assert_eq!(load(&store).unwrap().map(|s| s.stamp), None);
    }

    #[test]
    fn an_older_layout_is_refused_and_replaced() {
        let store = TestStore::default();
        let mut old = b"DXSN\x03\x00".to_vec();
        old.extend_from_slice(&[0x5A; 400]);
        store.set(MANIFEST_KEY, &old).unwrap();
        assert_eq!(
            load(&store).unwrap_err(),
            LoadError::UnknownVersion { found: 3 }
        );
        assert_eq!(stamp(&old), None);
        saved(&store, &small(), Cause::Read);
        same(&small(), &loaded(&store).snapshot);
    }

    #[test]
    fn a_cut_or_flipped_manifest_is_refused() {
        let store = TestStore::default();
        saved(&store, &small(), Cause::Read);
        let bytes = store.get(MANIFEST_KEY).unwrap().unwrap();
        for len in 0..bytes.len() {
            store.set(MANIFEST_KEY, &bytes[..len]).unwrap();
            assert!(load(&store).is_err(), "cut to {len}");
        }
        for at in 0..bytes.len() {
            let mut damaged = bytes.clone();
            damaged[at] ^= 0x10;
            store.set(MANIFEST_KEY, &damaged).unwrap();
            assert!(load(&store).is_err(), "flipped at {at}");
        }
        assert_eq!(Manifest::decode(b"{}").unwrap_err(), LoadError::TooShort(2));
    }

    #[test]
    fn the_stamp_tells_two_accounts_apart_and_says_why_it_was_saved() {
        let store = TestStore::default();
        let first = saved(&store, &small(), Cause::Read);
        let manifest = store.get(MANIFEST_KEY).unwrap().unwrap();
        assert_eq!(
            stamp(&manifest),
            Some(Stamp {
                checksum: first.stamp,
                cause: Cause::Read
            })
        );
        // The same account saved again (another generation, other keys).
        let again = saved(&store, &small(), Cause::Write);
        assert_eq!(again.stamp, first.stamp);
        let manifest = store.get(MANIFEST_KEY).unwrap().unwrap();
        assert_eq!(stamp(&manifest).unwrap().cause, Cause::Write);
        let mut other = small();
        other.owner_time_zone = Some("Asia/Tokyo".into());
        assert_ne!(saved(&store, &other, Cause::Read).stamp, first.stamp);
        let mut other = small();
        other.notes.pop();
        assert_ne!(saved(&store, &other, Cause::Read).stamp, first.stamp);
        // A manifest naming many chunks: the stamp read from its front is
        // the one the full decode gives.
        let many = saved(&store, &many(), Cause::Write);
        let manifest = store.get(MANIFEST_KEY).unwrap().unwrap();
        let (decoded, _) = Manifest::decode(&manifest).unwrap();
        assert!(decoded.chunks().count() > 3);
        assert_eq!(
            stamp(&manifest),
            Some(Stamp {
                checksum: many.stamp,
                cause: Cause::Write
            })
        );
        // Another layout's value has no stamp this build believes.
        let mut older = manifest.clone();
        older[4..6].copy_from_slice(&(FORMAT_VERSION - 1).to_le_bytes());
        assert_eq!(stamp(&older), None);
        assert_eq!(stamp(b"DXSN"), None);
    }

    /// The checksum of [`small`]'s stored values (manifest, then chunks by
    /// key): it changes when a stored record's fields or the manifest
    /// change. When this fails, bump [`FORMAT_VERSION`] and set the new
    /// value here, so that a build never misreads what an older one wrote.
    #[test]
    fn the_layout_is_pinned() {
        let store = TestStore::default();
        saved(&store, &small(), Cause::Read);
        let mut hasher = crc32fast::Hasher::new();
        hasher.update(&store.get(MANIFEST_KEY).unwrap().unwrap());
        for key in store.chunk_keys() {
            hasher.update(key.as_bytes());
            hasher.update(&store.get(&key).unwrap().unwrap());
        }
        assert_eq!(
            (FORMAT_VERSION, hasher.finalize()),
            (4, 0x4135_e2e2),
            "the stored layout changed: bump FORMAT_VERSION"
        );
    }
}
