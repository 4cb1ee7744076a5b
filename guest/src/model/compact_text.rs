//! Short texts that Dex repeats on every record (ids, times, dates), kept
//! in a fixed 20 bytes (wasm32) instead of a heap string each.
//!
//! Tens of thousands of notes and reminders each carry an id, a time and
//! the ids of their contacts. As `String`s those are a 12-byte handle plus
//! an allocation of 24-40 bytes each (header and 8-byte rounding). Dex's
//! ids are UUIDs and its times RFC 3339 in one of a few spellings, so a
//! [`CompactText`] keeps those as their 16 bytes or their date and time
//! fields, and keeps anything else as it came (one exact-size allocation).
//!
//! A text is only kept compactly when rendering the compact form gives
//! back the very same bytes (same case, same digits, same suffix), so a
//! record always renders exactly as Dex gave it, whatever it gave.

use std::cmp::Ordering;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::ops::Deref;

/// An id, time or date as Dex gave it, in 20 bytes (wasm32) when it has
/// one of the usual shapes.
#[derive(Clone, PartialEq, Eq)]
pub struct CompactText(Repr);

#[derive(Clone, PartialEq, Eq)]
enum Repr {
    /// A UUID (`8-4-4-4-12` hex digits) in one case throughout.
    Uuid { bytes: [u8; 16], upper: bool },
    /// A date, or a date and time, in one of the [`Spelling`]s.
    Moment(Moment),
    /// Anything else, exactly as given.
    Other(Box<str>),
}

/// A date and time's fields and how they were written.
#[derive(Clone, Copy, PartialEq, Eq)]
struct Moment {
    year: u16,
    month: u8,
    day: u8,
    hour: u8,
    minute: u8,
    second: u8,
    millis: u16,
    spelling: Spelling,
}

/// The spellings of a moment that are kept compactly; each renders back
/// to exactly the text it was read from.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Spelling {
    /// `2026-03-02`
    Date,
    /// `2026-03-02T09:30:00Z`
    Seconds,
    /// `2026-03-02T09:30:00.000Z`
    Millis,
    /// `2026-03-02T09:30:00+00:00`
    SecondsUtcOffset,
    /// `2026-03-02T09:30:00.000+00:00`
    MillisUtcOffset,
}

// The size this type exists for, checked when the guest is built for
// wasm32: 16 bytes of UUID, its case and the variant in one more word.
#[cfg(target_pointer_width = "32")]
const _: () = assert!(std::mem::size_of::<Option<CompactText>>() == 20);

/// The longest rendering of a compact form: a UUID (36 bytes).
const RENDERED_MAX: usize = 36;

impl CompactText {
    /// Keeps `text`, compactly when it has one of the usual shapes.
    pub fn new(text: &str) -> Self {
        Self::compact(text).unwrap_or_else(|| CompactText(Repr::Other(text.into())))
    }

    /// The compact form of `text`, when it has one that renders back to
    /// exactly `text`.
    fn compact(text: &str) -> Option<Self> {
        let candidate = if text.len() == 36 {
            parse_uuid(text)?
        } else {
            Repr::Moment(parse_moment(text)?)
        };
        let compact = CompactText(candidate);
        (*compact.as_text() == *text).then_some(compact)
    }

    /// The text as Dex gave it.
    pub fn as_text(&self) -> TextRef<'_> {
        match &self.0 {
            Repr::Other(text) => TextRef(Rendered::Borrowed(text)),
            Repr::Uuid { bytes, upper } => TextRef(Rendered::Inline(render_uuid(bytes, *upper))),
            Repr::Moment(moment) => TextRef(Rendered::Inline(render_moment(moment))),
        }
    }

    /// Whether the text is kept without an allocation of its own.
    pub fn is_compact(&self) -> bool {
        !matches!(self.0, Repr::Other(_))
    }
}

/// The text of a [`CompactText`]: rendered on the stack for a compact
/// one, borrowed otherwise. Derefs to `str`. Not `Clone`, so that
/// `to_owned()` gives a `String` (through `str`), as on a `&str`.
pub struct TextRef<'a>(Rendered<'a>);

#[derive(Clone, Copy)]
enum Rendered<'a> {
    Inline(InlineText),
    Borrowed(&'a str),
}

/// Up to [`RENDERED_MAX`] ASCII bytes.
#[derive(Clone, Copy)]
struct InlineText {
    bytes: [u8; RENDERED_MAX],
    len: u8,
}

impl InlineText {
    fn new() -> Self {
        InlineText {
            bytes: [0; RENDERED_MAX],
            len: 0,
        }
    }

    fn push(&mut self, byte: u8) {
        self.bytes[usize::from(self.len)] = byte;
        self.len += 1;
    }

    fn push_str(&mut self, text: &str) {
        text.bytes().for_each(|b| self.push(b));
    }

    /// `value` in decimal, zero-padded to `width` digits.
    fn push_number(&mut self, value: u16, width: u32) {
        for place in (0..width).rev() {
            let digit = (value / 10u16.pow(place)) % 10;
            self.push(b'0' + digit as u8);
        }
    }
}

impl Deref for TextRef<'_> {
    type Target = str;

    fn deref(&self) -> &str {
        match &self.0 {
            Rendered::Borrowed(text) => text,
            Rendered::Inline(inline) => {
                let bytes = &inline.bytes[..usize::from(inline.len)];
                // Only ASCII is ever pushed into an inline text.
                std::str::from_utf8(bytes).expect("a compact text renders as ASCII")
            }
        }
    }
}

impl<'a> From<&'a str> for TextRef<'a> {
    fn from(text: &'a str) -> Self {
        TextRef(Rendered::Borrowed(text))
    }
}

impl PartialEq<str> for TextRef<'_> {
    fn eq(&self, other: &str) -> bool {
        **self == *other
    }
}

impl PartialEq<&str> for TextRef<'_> {
    fn eq(&self, other: &&str) -> bool {
        **self == **other
    }
}

impl AsRef<str> for TextRef<'_> {
    fn as_ref(&self) -> &str {
        self
    }
}

impl fmt::Display for TextRef<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self)
    }
}

impl fmt::Debug for TextRef<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&**self, f)
    }
}

fn hex_value(digit: u8) -> Option<(u8, Option<bool>)> {
    match digit {
        b'0'..=b'9' => Some((digit - b'0', None)),
        b'a'..=b'f' => Some((digit - b'a' + 10, Some(false))),
        b'A'..=b'F' => Some((digit - b'A' + 10, Some(true))),
        _ => None,
    }
}

/// The positions of a UUID's hyphens.
const HYPHENS: [usize; 4] = [8, 13, 18, 23];

fn parse_uuid(text: &str) -> Option<Repr> {
    let mut bytes = [0u8; 16];
    let mut upper = None;
    let mut nibbles = 0;
    for (at, &c) in text.as_bytes().iter().enumerate() {
        if HYPHENS.contains(&at) {
            if c != b'-' {
                return None;
            }
            continue;
        }
        let (value, case) = hex_value(c)?;
        if let Some(case) = case {
            // Mixed case does not render back; it stays as given.
            if upper.is_some_and(|u| u != case) {
                return None;
            }
            upper = Some(case);
        }
        bytes[nibbles / 2] |= value << if nibbles % 2 == 0 { 4 } else { 0 };
        nibbles += 1;
    }
    Some(Repr::Uuid {
        bytes,
        upper: upper.unwrap_or(false),
    })
}

fn render_uuid(bytes: &[u8; 16], upper: bool) -> InlineText {
    let digits: &[u8; 16] = if upper {
        b"0123456789ABCDEF"
    } else {
        b"0123456789abcdef"
    };
    let mut out = InlineText::new();
    for byte in bytes {
        for nibble in [byte >> 4, byte & 0xf] {
            if HYPHENS.contains(&usize::from(out.len)) {
                out.push(b'-');
            }
            out.push(digits[usize::from(nibble)]);
        }
    }
    out
}

/// Reads `len` decimal digits at `at`.
fn number(text: &[u8], at: usize, len: usize) -> Option<u16> {
    let digits = text.get(at..at + len)?;
    digits.iter().try_fold(0u16, |n, &d| {
        d.is_ascii_digit().then(|| n * 10 + u16::from(d - b'0'))
    })
}

fn parse_moment(text: &str) -> Option<Moment> {
    let t = text.as_bytes();
    let (year, month, day) = (number(t, 0, 4)?, number(t, 5, 2)?, number(t, 8, 2)?);
    if t.get(4) != Some(&b'-') || t.get(7) != Some(&b'-') {
        return None;
    }
    let mut moment = Moment {
        year,
        month: u8::try_from(month).ok()?,
        day: u8::try_from(day).ok()?,
        hour: 0,
        minute: 0,
        second: 0,
        millis: 0,
        spelling: Spelling::Date,
    };
    if t.len() == 10 {
        return Some(moment);
    }
    if t.get(10) != Some(&b'T') || t.get(13) != Some(&b':') || t.get(16) != Some(&b':') {
        return None;
    }
    moment.hour = u8::try_from(number(t, 11, 2)?).ok()?;
    moment.minute = u8::try_from(number(t, 14, 2)?).ok()?;
    moment.second = u8::try_from(number(t, 17, 2)?).ok()?;
    let (with_millis, zone) = if t.get(19) == Some(&b'.') {
        moment.millis = number(t, 20, 3)?;
        (true, &text[23..])
    } else {
        (false, &text[19..])
    };
    moment.spelling = match (with_millis, zone) {
        (false, "Z") => Spelling::Seconds,
        (true, "Z") => Spelling::Millis,
        (false, "+00:00") => Spelling::SecondsUtcOffset,
        (true, "+00:00") => Spelling::MillisUtcOffset,
        _ => return None,
    };
    Some(moment)
}

fn render_moment(m: &Moment) -> InlineText {
    let mut out = InlineText::new();
    out.push_number(m.year, 4);
    out.push(b'-');
    out.push_number(m.month.into(), 2);
    out.push(b'-');
    out.push_number(m.day.into(), 2);
    if m.spelling == Spelling::Date {
        return out;
    }
    out.push(b'T');
    out.push_number(m.hour.into(), 2);
    out.push(b':');
    out.push_number(m.minute.into(), 2);
    out.push(b':');
    out.push_number(m.second.into(), 2);
    if matches!(m.spelling, Spelling::Millis | Spelling::MillisUtcOffset) {
        out.push(b'.');
        out.push_number(m.millis, 3);
    }
    match m.spelling {
        Spelling::Seconds | Spelling::Millis => out.push(b'Z'),
        _ => out.push_str("+00:00"),
    }
    out
}

impl From<&str> for CompactText {
    fn from(text: &str) -> Self {
        CompactText::new(text)
    }
}

impl From<String> for CompactText {
    fn from(text: String) -> Self {
        Self::compact(&text).unwrap_or_else(|| CompactText(Repr::Other(text.into_boxed_str())))
    }
}

impl From<&String> for CompactText {
    fn from(text: &String) -> Self {
        CompactText::new(text)
    }
}

impl From<&CompactText> for String {
    fn from(text: &CompactText) -> Self {
        text.as_text().to_string()
    }
}

impl From<CompactText> for String {
    fn from(text: CompactText) -> Self {
        match text {
            CompactText(Repr::Other(kept)) => kept.into_string(),
            compact => compact.as_text().to_string(),
        }
    }
}

impl PartialEq<str> for CompactText {
    fn eq(&self, other: &str) -> bool {
        *self.as_text() == *other
    }
}

impl PartialEq<&str> for CompactText {
    fn eq(&self, other: &&str) -> bool {
        *self.as_text() == **other
    }
}

impl PartialEq<String> for CompactText {
    fn eq(&self, other: &String) -> bool {
        *self.as_text() == **other
    }
}

impl PartialEq<CompactText> for str {
    fn eq(&self, other: &CompactText) -> bool {
        other == self
    }
}

impl PartialEq<CompactText> for &str {
    fn eq(&self, other: &CompactText) -> bool {
        other == *self
    }
}

impl PartialEq<CompactText> for String {
    fn eq(&self, other: &CompactText) -> bool {
        other == self
    }
}

/// Ordered as the texts are, so that sorting by a time or an id gives
/// the order the strings had.
impl Ord for CompactText {
    fn cmp(&self, other: &Self) -> Ordering {
        self.as_text().cmp(&other.as_text())
    }
}

impl PartialOrd for CompactText {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// Hashed as the text is, so that it can be looked up by a `&str`.
impl Hash for CompactText {
    fn hash<H: Hasher>(&self, state: &mut H) {
        (*self.as_text()).hash(state);
    }
}

impl std::borrow::Borrow<str> for TextRef<'_> {
    fn borrow(&self) -> &str {
        self
    }
}

impl PartialEq for TextRef<'_> {
    fn eq(&self, other: &Self) -> bool {
        **self == **other
    }
}

impl Eq for TextRef<'_> {}

impl PartialOrd for TextRef<'_> {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for TextRef<'_> {
    fn cmp(&self, other: &Self) -> Ordering {
        (**self).cmp(&**other)
    }
}

impl fmt::Display for CompactText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.as_text())
    }
}

impl fmt::Debug for CompactText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&*self.as_text(), f)
    }
}

impl Default for CompactText {
    fn default() -> Self {
        CompactText(Repr::Other(Box::from("")))
    }
}

/// Serialized as the string it stands for, so that stored snapshots and
/// JSON are byte for byte what a `String` gave.
impl serde::Serialize for CompactText {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.as_text())
    }
}

impl<'de> serde::Deserialize<'de> for CompactText {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl serde::de::Visitor<'_> for Visitor {
            type Value = CompactText;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string")
            }

            fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<CompactText, E> {
                Ok(CompactText::new(text))
            }

            fn visit_string<E: serde::de::Error>(self, text: String) -> Result<CompactText, E> {
                Ok(CompactText::from(text))
            }
        }
        deserializer.deserialize_str(Visitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round_trip(text: &str) -> CompactText {
        let kept = CompactText::new(text);
        assert_eq!(&*kept.as_text(), text, "renders exactly as given");
        assert_eq!(kept.to_string(), text);
        assert_eq!(String::from(kept.clone()), text);
        assert_eq!(CompactText::from(text.to_owned()), kept);
        kept
    }

    #[test]
    fn uuids_are_kept_in_sixteen_bytes_in_their_case() {
        for id in [
            "0f8e2a4c-1b3d-4e5f-8a9b-0c1d2e3f4a5b",
            "0F8E2A4C-1B3D-4E5F-8A9B-0C1D2E3F4A5B",
            "00000000-0000-0000-0000-000000000000",
            "ffffffff-ffff-ffff-ffff-ffffffffffff",
            "12345678-1234-1234-1234-123456789012",
        ] {
            assert!(round_trip(id).is_compact(), "{id}");
        }
        assert_ne!(
            CompactText::new("0f8e2a4c-1b3d-4e5f-8a9b-0c1d2e3f4a5b"),
            CompactText::new("0F8E2A4C-1B3D-4E5F-8A9B-0C1D2E3F4A5B"),
            "case is part of the text"
        );
    }

    #[test]
    fn other_ids_are_kept_exactly() {
        for id in [
            "c1",
            "",
            "0f8e2a4c-1B3D-4e5f-8a9b-0c1d2e3f4a5b",
            "0f8e2a4c_1b3d-4e5f-8a9b-0c1d2e3f4a5b",
            "0f8e2a4c-1b3d-4e5f-8a9b-0c1d2e3f4a5g",
            "{0f8e2a4c-1b3d-4e5f-8a9b-0c1d2e3f4a5}",
            "Ünïcode-ïd-😀",
            "0f8e2a4c1b3d4e5f8a9b0c1d2e3f4a5b",
        ] {
            assert!(!round_trip(id).is_compact(), "{id}");
        }
    }

    #[test]
    fn times_and_dates_in_the_usual_spellings_are_compact() {
        for time in [
            "2026-03-02",
            "2026-03-02T09:30:00Z",
            "2026-03-02T09:30:00.000Z",
            "1999-12-31T23:59:59.999Z",
            "2026-03-02T09:30:00+00:00",
            "2026-03-02T09:30:00.120+00:00",
        ] {
            assert!(round_trip(time).is_compact(), "{time}");
        }
    }

    #[test]
    fn other_times_are_kept_exactly() {
        for time in [
            "2026-03-02T09:30:00.000000Z",
            "2026-03-02T09:30:00+02:00",
            "2026-03-02T09:30:00",
            "2026-03-02 09:30:00Z",
            "2026-3-2",
            "--03-02",
            "2026-03-02T09:30Z",
            "2026-03-02t09:30:00z",
            "tomorrow",
        ] {
            assert!(!round_trip(time).is_compact(), "{time}");
        }
    }

    #[test]
    fn compares_orders_and_hashes_as_its_text() {
        let a = CompactText::new("2026-03-02T09:30:00.000Z");
        let b = CompactText::new("2026-03-02T10:00:00Z");
        let c = CompactText::new("undated");
        assert!(a < b && b < c, "string order");
        assert_eq!(a, "2026-03-02T09:30:00.000Z");
        assert_eq!("2026-03-02T09:30:00.000Z", a);
        assert_eq!(a, "2026-03-02T09:30:00.000Z".to_string());
        let mut ids = std::collections::HashSet::new();
        ids.insert(CompactText::new("0f8e2a4c-1b3d-4e5f-8a9b-0c1d2e3f4a5b"));
        assert!(ids.contains(&CompactText::new("0f8e2a4c-1b3d-4e5f-8a9b-0c1d2e3f4a5b")));
    }

    #[test]
    fn serializes_as_the_string_it_stands_for() {
        for text in ["0f8e2a4c-1b3d-4e5f-8a9b-0c1d2e3f4a5b", "2026-03-02", "c1"] {
            let kept = CompactText::new(text);
            let as_string = postcard::to_allocvec(&text.to_owned()).unwrap();
            assert_eq!(postcard::to_allocvec(&kept).unwrap(), as_string);
            let back: CompactText = postcard::from_bytes(&as_string).unwrap();
            assert_eq!(back, kept);
            let json = serde_json::to_string(&kept).unwrap();
            assert_eq!(json, serde_json::to_string(text).unwrap());
            assert_eq!(serde_json::from_str::<CompactText>(&json).unwrap(), kept);
        }
    }

    #[test]
    fn is_no_bigger_than_a_string_handle_and_its_uuid() {
        // Natively (8-byte pointers); wasm32's 20 bytes are checked at
        // build time above.
        assert!(std::mem::size_of::<Option<CompactText>>() <= 24);
    }
}
