//! The manifest: the small value that says which chunks make up the
//! stored snapshot. It is written last, so until it is replaced the
//! previous snapshot stays whole.
//!
//! | bytes | what |
//! | --- | --- |
//! | 0..4 | [`MAGIC`], `DXSN` |
//! | 4..6 | [`FORMAT_VERSION`], little-endian |
//! | 6..10 | CRC-32 of the body, little-endian |
//! | 10.. | the body: postcard's encoding of [`Manifest`] |

use serde::{Deserialize, Serialize};

use super::chunks::ListManifest;
use super::{Cause, LoadError};
use crate::snapshot::LinkGap;

/// The first bytes of every stored manifest.
pub const MAGIC: [u8; 4] = *b"DXSN";

/// The stored layout. Bump it whenever a stored record's fields or the
/// manifest change (the `the_layout_is_pinned` test fails until you do):
/// an older layout is then ignored and the account read again, never
/// misread. Layout 3 was the whole account in one value.
pub const FORMAT_VERSION: u16 = 4;

const HEADER_LEN: usize = MAGIC.len() + 2 + 4;

/// What the manifest holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(super) struct Manifest {
    /// Why it was saved ([`Cause`]), as 0 (read) or 1 (write). This field
    /// and `stamp` stay first: [`Manifest::peek_stamp`] reads only them.
    pub cause: u8,
    /// What other instances compare ([`super::Stamp`]): a CRC-32 over the
    /// content (read time, owner's zone, gaps, every chunk's checksum),
    /// not over keys or generation, so two saves of the same account have
    /// the same stamp.
    pub stamp: u32,
    /// Counts saves: a save's chunks are keyed with its generation, and a
    /// save removes only chunks of earlier generations that its manifest
    /// does not name, never those of a save running beside it.
    pub generation: u64,
    pub read_at_ms: u64,
    pub owner_time_zone: Option<String>,
    pub link_gaps: Vec<LinkGap>,
    pub contacts: ListManifest,
    pub notes: ListManifest,
    pub reminders: ListManifest,
}

/// The part of the manifest the stamp covers.
#[derive(Serialize)]
struct StampInput<'a> {
    read_at_ms: u64,
    owner_time_zone: &'a Option<String>,
    link_gaps: &'a [LinkGap],
    checksums: Vec<u32>,
}

impl Manifest {
    /// Every chunk it names, contacts first.
    pub fn chunks(&self) -> impl Iterator<Item = &super::chunks::ChunkRef> {
        self.contacts
            .chunks
            .iter()
            .chain(&self.notes.chunks)
            .chain(&self.reminders.chunks)
    }

    /// The stamp of this content.
    pub fn content_stamp(&self) -> u32 {
        let input = StampInput {
            read_at_ms: self.read_at_ms,
            owner_time_zone: &self.owner_time_zone,
            link_gaps: &self.link_gaps,
            checksums: self.chunks().map(|chunk| chunk.checksum).collect(),
        };
        postcard::to_allocvec(&input)
            .map(|bytes| crc32fast::hash(&bytes))
            .unwrap_or(0)
    }

    /// As stored.
    pub fn encode(&self) -> Result<Vec<u8>, postcard::Error> {
        let mut bytes = MAGIC.to_vec();
        bytes.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
        bytes.extend_from_slice(&[0; 4]);
        let mut bytes = postcard::to_extend(self, bytes)?;
        let checksum = crc32fast::hash(&bytes[HEADER_LEN..]);
        bytes[MAGIC.len() + 2..HEADER_LEN].copy_from_slice(&checksum.to_le_bytes());
        Ok(bytes)
    }

    /// The checksum of the body of encoded manifest `bytes`, as
    /// [`Self::decode`] answers it.
    pub fn checksum_of(bytes: &[u8]) -> u32 {
        crc32fast::hash(bytes.get(HEADER_LEN..).unwrap_or_default())
    }

    /// The cause and stamp at the front of encoded manifest `bytes`, in
    /// this build's layout, without checking or decoding the chunk list
    /// behind them: every call compares the stamp, and only a take-up
    /// needs the rest (which [`Self::decode`] checks then).
    pub fn peek_stamp(bytes: &[u8]) -> Option<(Cause, u32)> {
        let (header, body) = bytes.split_at_checked(HEADER_LEN)?;
        if header[..4] != MAGIC || u16::from_le_bytes([header[4], header[5]]) != FORMAT_VERSION {
            return None;
        }
        // `cause` and `stamp` are the struct's first fields: postcard
        // encodes a struct as its fields in order, as it does a tuple.
        let ((cause, stamp), _) = postcard::take_from_bytes::<(u8, u32)>(body).ok()?;
        Some((cause_of(cause), stamp))
    }

    /// The manifest `bytes` hold, if they hold one in this build's layout,
    /// whole and undamaged; with the checksum of its bytes, which tells
    /// one save from another (unlike the stamp, it covers the keys).
    pub fn decode(bytes: &[u8]) -> Result<(Self, u32), LoadError> {
        if bytes.len() < HEADER_LEN {
            return Err(LoadError::TooShort(bytes.len()));
        }
        let (header, body) = bytes.split_at(HEADER_LEN);
        if header[..4] != MAGIC {
            return Err(LoadError::NotASnapshot);
        }
        let found = u16::from_le_bytes([header[4], header[5]]);
        if found != FORMAT_VERSION {
            return Err(LoadError::UnknownVersion { found });
        }
        let expected = u32::from_le_bytes([header[6], header[7], header[8], header[9]]);
        let checksum = crc32fast::hash(body);
        if checksum != expected {
            return Err(LoadError::Damaged {
                what: "manifest".into(),
                found: checksum,
                expected,
            });
        }
        let (manifest, rest) = postcard::take_from_bytes::<Self>(body)
            .map_err(|e| LoadError::Malformed(format!("manifest: {e}")))?;
        if !rest.is_empty() {
            return Err(LoadError::Malformed(format!(
                "manifest: {} bytes after it",
                rest.len()
            )));
        }
        Ok((manifest, checksum))
    }
}

/// The code in [`Manifest`]'s `cause` as a [`Cause`].
fn cause_of(code: u8) -> Cause {
    if code == 1 { Cause::Write } else { Cause::Read }
}
