//! One list of the stored snapshot (contacts, notes or reminders) as
//! groups of records, each group stored as one chunk under a key of its
//! own.
//!
//! A record's group follows from its id alone (a CRC-32 of the id, modulo
//! the list's number of groups), so a write changes the groups of the
//! records it touched and no other; a group is encoded on its own, so
//! only those are encoded and stored again. The order of the list (Dex's
//! order, which some answers show) is kept by a sort key stored with each
//! record: the position it had when the list was last stored whole, or
//! past every earlier key when a write added it.

use std::sync::Arc;

use serde::Serialize;
use serde::de::DeserializeOwned;

use super::LoadError;
use crate::model::{Contact, Note, Reminder, TextRef};

/// Roughly how many encoded bytes one chunk should hold when a list is
/// stored whole: what the instance holds at once while it saves or takes
/// up the account (the groups of a list differ by a few per cent).
pub(super) const CHUNK_TARGET_BYTES: usize = 768 * 1024;

/// The most groups a list is split into.
const MAX_GROUPS: u32 = 4096;

/// A record kind the snapshot stores in chunks.
pub(super) trait StoredRecord: Serialize + DeserializeOwned {
    /// The list's name in chunk keys.
    const LIST: &'static str;
    /// What decides the record's group.
    fn id(&self) -> TextRef<'_>;
}

impl StoredRecord for Contact {
    const LIST: &'static str = "contacts";
    fn id(&self) -> TextRef<'_> {
        self.id.as_str().into()
    }
}

impl StoredRecord for Note {
    const LIST: &'static str = "notes";
    fn id(&self) -> TextRef<'_> {
        self.id.as_text()
    }
}

impl StoredRecord for Reminder {
    const LIST: &'static str = "reminders";
    fn id(&self) -> TextRef<'_> {
        self.id.as_text()
    }
}

/// Where one group's records are stored, as the manifest names it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub(super) struct ChunkRef {
    /// The key in the store.
    pub key: String,
    /// CRC-32 of the stored bytes.
    pub checksum: u32,
    /// Length of the stored bytes.
    pub len: u32,
    /// How many records it holds.
    pub records: u32,
}

/// A list's layout in the manifest.
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub(super) struct ListManifest {
    /// The sort key the next added record gets.
    pub next_key: u32,
    /// One chunk per group, in group order (their number is the list's
    /// number of groups).
    pub chunks: Vec<ChunkRef>,
}

/// What a list looked like when it was last stored or taken up: the
/// records (the same `Arc`s the account holds, so an unchanged record is
/// told from a changed one by pointer) with their sort keys, in order.
#[derive(Debug)]
pub(super) struct TrackedList<T> {
    pub manifest: ListManifest,
    pub records: Vec<(u32, Arc<T>)>,
}

/// The group of the record with `id` among `groups`.
fn group_of(id: &str, groups: usize) -> usize {
    crc32fast::hash(id.as_bytes()) as usize % groups.max(1)
}

/// A list about to be stored: its records with their sort keys, and which
/// groups must be encoded and stored again.
pub(super) struct ListPlan<T> {
    pub records: Vec<(u32, Arc<T>)>,
    /// Per group: whether its chunk must be written; a group that need not
    /// keeps the chunk in `reused`.
    pub dirty: Vec<bool>,
    pub reused: Vec<Option<ChunkRef>>,
    pub next_key: u32,
}

impl<T: StoredRecord> ListPlan<T> {
    /// The whole list, in groups sized to [`CHUNK_TARGET_BYTES`]; every
    /// group is written.
    pub fn whole(current: &[Arc<T>]) -> Self {
        let size = postcard::serialize_with_flavor(current, postcard::ser_flavors::Size::default())
            // The keys: at most five bytes each.
            .map(|size| size + 5 * current.len())
            .unwrap_or(0);
        let groups = size
            .div_ceil(CHUNK_TARGET_BYTES)
            .clamp(1, MAX_GROUPS as usize);
        let records: Vec<(u32, Arc<T>)> = (0_u32..).zip(current.iter().cloned()).collect();
        let next_key = u32::try_from(records.len()).unwrap_or(u32::MAX);
        Self {
            records,
            dirty: vec![true; groups],
            reused: vec![None; groups],
            next_key,
        }
    }

    /// `current` against what was stored last (`previous`): only the
    /// groups of records changed, added or removed since are written.
    ///
    /// The account changes a list by replacing a record in place, removing
    /// one, or adding one at the end; walking both lists in order tells
    /// those apart. Any other change (which the account does not make)
    /// still stores the right records, by writing more groups.
    pub fn changed(previous: &TrackedList<T>, current: &[Arc<T>]) -> Self {
        let groups = previous.manifest.chunks.len().max(1);
        let mut dirty = vec![false; groups];
        let mut next_key = previous.manifest.next_key;
        let mut records = Vec::with_capacity(current.len());
        let mut old = previous.records.iter().peekable();
        for record in current {
            loop {
                match old.peek() {
                    Some((key, kept)) if *kept.id() == *record.id() => {
                        if !Arc::ptr_eq(kept, record) {
                            dirty[group_of(&record.id(), groups)] = true;
                        }
                        records.push((*key, record.clone()));
                        old.next();
                        break;
                    }
                    Some((_, removed)) => {
                        dirty[group_of(&removed.id(), groups)] = true;
                        old.next();
                    }
                    None => {
                        let Some(after) = next_key.checked_add(1) else {
                            // Four billion additions since the last whole
                            // store: number them again.
                            return Self::whole(current);
                        };
                        dirty[group_of(&record.id(), groups)] = true;
                        records.push((next_key, record.clone()));
                        next_key = after;
                        break;
                    }
                }
            }
        }
        for (_, removed) in old {
            dirty[group_of(&removed.id(), groups)] = true;
        }
        let reused = dirty
            .iter()
            .zip(&previous.manifest.chunks)
            .map(|(dirty, chunk)| (!dirty).then(|| chunk.clone()))
            .collect();
        Self {
            records,
            dirty,
            reused,
            next_key,
        }
    }

    /// The number of groups.
    pub fn groups(&self) -> usize {
        self.dirty.len()
    }

    /// The encoded chunk of `group`, allocated at its exact size: spare
    /// capacity would be linear memory the instance keeps for good.
    pub fn encode(&self, group: usize) -> Result<(Vec<u8>, u32), postcard::Error> {
        let groups = self.groups();
        let members: Vec<(u32, &T)> = self
            .records
            .iter()
            .filter(|(_, record)| group_of(&record.id(), groups) == group)
            .map(|(key, record)| (*key, &**record))
            .collect();
        let size =
            postcard::serialize_with_flavor(&members, postcard::ser_flavors::Size::default())?;
        let bytes = postcard::to_extend(&members, Vec::with_capacity(size))?;
        let count = u32::try_from(members.len()).unwrap_or(u32::MAX);
        Ok((bytes, count))
    }
}

/// Decodes one chunk (already checked against `chunk`) into `into`.
pub(super) fn decode_into<T: StoredRecord>(
    bytes: &[u8],
    chunk: &ChunkRef,
    into: &mut Vec<(u32, Arc<T>)>,
) -> Result<(), LoadError> {
    let malformed = |why: String| LoadError::Malformed(format!("chunk {}: {why}", chunk.key));
    let (records, rest) =
        postcard::take_from_bytes::<Vec<(u32, T)>>(bytes).map_err(|e| malformed(e.to_string()))?;
    if !rest.is_empty() {
        return Err(malformed(format!("{} bytes after the records", rest.len())));
    }
    if records.len() != chunk.records as usize {
        return Err(malformed(format!(
            "{} records where the manifest says {}",
            records.len(),
            chunk.records
        )));
    }
    into.extend(
        records
            .into_iter()
            .map(|(key, record)| (key, Arc::new(record))),
    );
    Ok(())
}
