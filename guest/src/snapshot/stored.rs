//! The snapshot as bytes, for a store that outlives the instance.
//!
//! A warm instance keeps its account in memory; a new instance (a restart,
//! another instance of the pool, another replica) would read the whole
//! account from Dex again. Stored as bytes it can start from them instead.
//! What is stored is read back by a later build of the component, or by an
//! older one still running beside it, so the bytes say which layout they
//! are in and are checked before they are believed:
//!
//! | bytes | what |
//! | --- | --- |
//! | 0..4 | [`MAGIC`], `DXSN` |
//! | 4..6 | [`FORMAT_VERSION`], little-endian |
//! | 6..10 | CRC-32 of the payload, little-endian |
//! | 10.. | the payload: postcard's encoding of the records |
//!
//! Anything else (another version, a cut or damaged value, bytes that are
//! not a snapshot at all) is a [`DecodeError`], which the caller logs and
//! answers by reading the account again: stored state is a shortcut, never
//! a source of truth.
//!
//! postcard (serde, varint lengths, no schema in the bytes) was chosen over
//! a hand-written layout: the records already derive serde, and a new
//! field is encoded without new code. Its sizes and times at 10,000
//! contacts are in `docs/benchmarks.md` ("Stored snapshot").
//!
//! Only a complete snapshot is stored (a partial one is not kept in memory
//! either); a stored snapshot decodes with no list failures.

use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

use super::shared_text::SharedText;
use super::{LinkGap, Snapshot};
use crate::model::{Contact, Note, Reminder};

/// The first bytes of every stored snapshot.
pub const MAGIC: [u8; 4] = *b"DXSN";

/// The payload's layout. Bump it whenever a stored record's fields change
/// (the `the_layout_is_pinned` test fails until you do): an older layout is
/// then ignored and the account read again, never misread.
pub const FORMAT_VERSION: u16 = 3;

const HEADER_LEN: usize = MAGIC.len() + 2 + 4;

/// A snapshot read back, with when it was read from Dex.
#[derive(Debug, Clone)]
pub struct StoredSnapshot {
    /// The account as it was read (and then written through the tools).
    pub snapshot: Snapshot,
    /// When it was read from Dex: its age decides whether it is fresh.
    pub read_at: SystemTime,
    /// The [`stamp`] of the bytes it was decoded from.
    pub stamp: u32,
}

/// What tells one stored snapshot from another without decoding it: the
/// payload's checksum from the header, `None` for bytes too short to hold
/// one. Two saves of the same records have the same stamp, which is right:
/// an instance holding either needs nothing from the other.
pub fn stamp(bytes: &[u8]) -> Option<u32> {
    let at = MAGIC.len() + 2;
    let raw: [u8; 4] = bytes.get(at..at + 4)?.try_into().ok()?;
    Some(u32::from_le_bytes(raw))
}

/// Why a snapshot was not stored.
#[derive(Debug, thiserror::Error)]
pub enum EncodeError {
    /// A list could not be read in full; such a snapshot is never kept.
    #[error("the snapshot is partial ({0} lists not read in full); it is not stored")]
    Partial(usize),
    /// The encoder failed (it does not on these records, but says so if it
    /// ever does).
    #[error("the snapshot could not be encoded: {0}")]
    Encoding(#[from] postcard::Error),
}

/// Why stored bytes were not taken for a snapshot.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum DecodeError {
    /// Too short to hold the header.
    #[error("the stored value is {0} bytes, shorter than a snapshot's header")]
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
    /// The payload is not what was written (cut short or damaged).
    #[error("the stored snapshot is damaged (checksum {found:08x}, expected {expected:08x})")]
    Damaged {
        /// The checksum of the payload as read.
        found: u32,
        /// The checksum the header carries.
        expected: u32,
    },
    /// The checksum matched but the payload does not decode.
    #[error("the stored snapshot does not decode: {0}")]
    Malformed(String),
}

/// The payload as written: borrowed from the snapshot, so storing copies
/// no record.
#[derive(Serialize)]
struct PayloadOut<'a> {
    read_at_ms: u64,
    owner_time_zone: &'a Option<String>,
    contacts: &'a [Arc<Contact>],
    notes: &'a [Arc<Note>],
    reminders: &'a [Arc<Reminder>],
    link_gaps: &'a [LinkGap],
}

/// The payload as read: the same fields in the same order as
/// [`PayloadOut`] (postcard's encoding is by position).
#[derive(Deserialize)]
struct PayloadIn {
    read_at_ms: u64,
    owner_time_zone: Option<String>,
    contacts: Vec<Arc<Contact>>,
    notes: Vec<Note>,
    reminders: Vec<Arc<Reminder>>,
    link_gaps: Vec<LinkGap>,
}

/// `snapshot`, read from Dex at `read_at`, as bytes to store.
pub fn encode(snapshot: &Snapshot, read_at: SystemTime) -> Result<Vec<u8>, EncodeError> {
    if snapshot.is_partial() {
        return Err(EncodeError::Partial(snapshot.failures.len()));
    }
    let read_at_ms = read_at
        .duration_since(UNIX_EPOCH)
        .unwrap_or(Duration::ZERO)
        .as_millis()
        .try_into()
        .unwrap_or(u64::MAX);
    let payload = PayloadOut {
        read_at_ms,
        owner_time_zone: &snapshot.owner_time_zone,
        contacts: &snapshot.contacts,
        notes: &snapshot.notes,
        reminders: &snapshot.reminders,
        link_gaps: &snapshot.link_gaps,
    };
    // Sized exactly before writing: a vector grown by doubling would hold
    // up to twice the value's size, and during its last growth the old
    // and the new buffer at once (30 MB for an 18 MB value at 10,000
    // contacts), in a linear memory that never gives pages back.
    let size = postcard::serialize_with_flavor(&payload, postcard::ser_flavors::Size::default())?;
    let mut bytes = Vec::with_capacity(HEADER_LEN + size);
    bytes.extend_from_slice(&MAGIC);
    bytes.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
    bytes.extend_from_slice(&[0; 4]);
    let mut bytes = postcard::to_extend(&payload, bytes)?;
    let checksum = crc32fast::hash(&bytes[HEADER_LEN..]);
    bytes[MAGIC.len() + 2..HEADER_LEN].copy_from_slice(&checksum.to_le_bytes());
    Ok(bytes)
}

/// The snapshot `bytes` hold, if they hold one in this build's layout,
/// whole and undamaged.
pub fn decode(bytes: &[u8]) -> Result<StoredSnapshot, DecodeError> {
    if bytes.len() < HEADER_LEN {
        // A cut-off header that still starts like ours is as foreign as
        // any other short value.
        return Err(DecodeError::TooShort(bytes.len()));
    }
    let (header, payload) = bytes.split_at(HEADER_LEN);
    if header[..4] != MAGIC {
        return Err(DecodeError::NotASnapshot);
    }
    let found = u16::from_le_bytes([header[4], header[5]]);
    if found != FORMAT_VERSION {
        return Err(DecodeError::UnknownVersion { found });
    }
    let expected = u32::from_le_bytes([header[6], header[7], header[8], header[9]]);
    let checksum = crc32fast::hash(payload);
    if checksum != expected {
        return Err(DecodeError::Damaged {
            found: checksum,
            expected,
        });
    }
    let (read, rest) = postcard::take_from_bytes::<PayloadIn>(payload)
        .map_err(|e| DecodeError::Malformed(e.to_string()))?;
    if !rest.is_empty() {
        return Err(DecodeError::Malformed(format!(
            "{} bytes after the records",
            rest.len()
        )));
    }
    // Decoded, every note has its own copy of its kind's name and id; the
    // snapshot read from Dex shares them, and so does this one.
    let mut shared = SharedText::default();
    let notes = read
        .notes
        .into_iter()
        .map(|mut note| {
            shared.share_note(&mut note);
            Arc::new(note)
        })
        .collect();
    Ok(StoredSnapshot {
        snapshot: Snapshot {
            contacts: read.contacts,
            notes,
            reminders: read.reminders,
            failures: Vec::new(),
            owner_time_zone: read.owner_time_zone,
            link_gaps: read.link_gaps,
            served_stale: None,
        },
        read_at: UNIX_EPOCH + Duration::from_millis(read.read_at_ms),
        stamp: expected,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dex::ListKind;
    use crate::model::{
        CustomFieldValue, EmailEntry, ErrorKind, Frequency, KeepInTouch, Label, PhoneEntry,
        RelatedContact, SocialLink, SocialNetwork, ToolError,
    };
    use crate::snapshot::ListFailure;

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

    #[test]
    fn a_snapshot_reads_back_as_it_was_written() {
        let snapshot = small();
        let bytes = encode(&snapshot, read_at()).unwrap();
        let stored = decode(&bytes).unwrap();
        same(&snapshot, &stored.snapshot);
        assert_eq!(stored.read_at, read_at());
    }

    #[test]
    fn the_bytes_are_allocated_at_their_exact_size() {
        // Spare capacity is linear memory the instance keeps for good.
        let mut snapshot = small();
        for n in 0..200 {
            let mut note = (*snapshot.notes[0]).clone();
            note.id = format!("n{n}").into();
            snapshot.notes.push(Arc::new(note));
        }
        let bytes = encode(&snapshot, read_at()).unwrap();
        assert_eq!(bytes.capacity(), bytes.len());
        let notes = decode(&bytes).unwrap().snapshot.notes.len();
        assert_eq!(notes, snapshot.notes.len());
    }

    #[test]
    fn an_empty_account_reads_back_empty() {
        let bytes = encode(&Snapshot::default(), read_at()).unwrap();
        let stored = decode(&bytes).unwrap();
        same(&Snapshot::default(), &stored.snapshot);
    }

    #[test]
    fn notes_read_back_share_their_kind() {
        let stored = decode(&encode(&small(), read_at()).unwrap()).unwrap();
        let notes = &stored.snapshot.notes;
        assert!(Arc::ptr_eq(
            notes[0].note_type.as_ref().unwrap(),
            notes[1].note_type.as_ref().unwrap()
        ));
    }

    #[test]
    fn a_partial_snapshot_is_not_stored() {
        let mut snapshot = small();
        snapshot.failures.push(ListFailure {
            list: ListKind::Reminders,
            pages_read: 2,
            error: ToolError::new(ErrorKind::Upstream, "boom"),
        });
        assert!(matches!(
            encode(&snapshot, read_at()),
            Err(EncodeError::Partial(1))
        ));
    }

    #[test]
    fn another_layout_is_refused() {
        let mut bytes = encode(&small(), read_at()).unwrap();
        bytes[4..6].copy_from_slice(&(FORMAT_VERSION + 1).to_le_bytes());
        assert_eq!(
            decode(&bytes).unwrap_err(),
            DecodeError::UnknownVersion {
                found: FORMAT_VERSION + 1
            }
        );
    }

    #[test]
    fn every_cut_short_value_is_refused() {
        let bytes = encode(&small(), read_at()).unwrap();
        for len in 0..bytes.len() {
            assert!(
                decode(&bytes[..len]).is_err(),
                "a value cut to {len} of {} bytes was taken",
                bytes.len()
            );
        }
    }

    #[test]
    fn a_flipped_bit_anywhere_is_refused() {
        let bytes = encode(&small(), read_at()).unwrap();
        for at in 0..bytes.len() {
            let mut damaged = bytes.clone();
            damaged[at] ^= 0x10;
            assert!(decode(&damaged).is_err(), "a flip at byte {at} was taken");
        }
    }

    #[test]
    fn bytes_after_the_records_are_refused() {
        let mut bytes = encode(&small(), read_at()).unwrap();
        bytes.push(0);
        let checksum = crc32fast::hash(&bytes[HEADER_LEN..]);
        bytes[6..10].copy_from_slice(&checksum.to_le_bytes());
        assert!(matches!(decode(&bytes), Err(DecodeError::Malformed(_))));
    }

    #[test]
    fn garbage_is_refused() {
        // A fixed pseudo-random sequence (xorshift), with and without a
        // header that looks right.
        let mut state = 0x9E37_79B9_7F4A_7C15_u64;
        let mut garbage = Vec::new();
        for _ in 0..4096 {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            garbage.push(state as u8);
        }
        assert_eq!(decode(&garbage).unwrap_err(), DecodeError::NotASnapshot);
        let mut headed = MAGIC.to_vec();
        headed.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
        headed.extend_from_slice(&garbage);
        assert!(matches!(decode(&headed), Err(DecodeError::Damaged { .. })));
        // Garbage with a right checksum gets past the header and must still
        // be refused by the decoder, not taken for records.
        let mut checked = headed[..6].to_vec();
        checked.extend_from_slice(&crc32fast::hash(&garbage).to_le_bytes());
        checked.extend_from_slice(&garbage);
        assert!(matches!(decode(&checked), Err(DecodeError::Malformed(_))));
        assert_eq!(decode(b"{}").unwrap_err(), DecodeError::TooShort(2));
    }

    /// The checksum of [`small`]'s encoding: it changes when a stored
    /// record's fields change. When this fails, bump [`FORMAT_VERSION`]
    /// and set the new value here, so that a build never misreads bytes
    /// an older build wrote.
    #[test]
    fn the_stamp_is_the_checksum_and_tells_two_accounts_apart() {
        let bytes = encode(&small(), read_at()).unwrap();
        let stamp = stamp(&bytes).unwrap();
        assert_eq!(decode(&bytes).unwrap().stamp, stamp);
        let mut other = small();
        other.owner_time_zone = Some("Asia/Tokyo".into());
        let other = encode(&other, read_at()).unwrap();
        assert_ne!(super::stamp(&other), Some(stamp));
        assert_eq!(super::stamp(&bytes[..7]), None);
    }

    #[test]
    fn the_layout_is_pinned() {
        let bytes = encode(&small(), read_at()).unwrap();
        assert_eq!(
            (FORMAT_VERSION, crc32fast::hash(&bytes)),
            (3, 0xd86d_4d98),
            "the stored layout changed: bump FORMAT_VERSION"
        );
    }
}
