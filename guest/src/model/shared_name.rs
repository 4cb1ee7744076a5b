//! Names and ids that thousands of contacts repeat, kept once.
//!
//! An account has a handful of tags and groups, a few custom fields and a
//! few labels for emails and phones (`work`, `home`, `mobile`), and ten
//! thousand contacts that each carry their own copy of the ones they use:
//! a tag's id and name were about 80 bytes of linear memory per contact
//! that has it, an email's `work` 16. A [`SharedName`] is one pointer to a
//! copy kept by the thread's table, so every contact that names `work`
//! points at the same bytes, however the record was made (decoded from
//! Dex, taken up from the stored snapshot, built by a write).
//!
//! The table holds one reference to each value; values no record uses any
//! more are dropped from it when it has doubled since the last sweep, so
//! a stream of distinct texts (a renamed tag, many one-off labels) does not
//! grow it without end.

use std::cell::RefCell;
use std::collections::HashSet;
use std::fmt;
use std::ops::Deref;
use std::sync::Arc;

/// A text many records repeat, shared with every equal one made on this
/// thread. Reads, compares, hashes and serializes as the text itself.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct SharedName(Arc<str>);

/// Sizes in wasm32: one fat pointer, and `None` costs nothing more.
#[cfg(target_pointer_width = "32")]
const _: () = assert!(std::mem::size_of::<Option<SharedName>>() == 8);

/// The table sweeps itself when it holds this many values and at least
/// twice as many as after its last sweep.
const SWEEP_AT_LEAST: usize = 256;

/// The copies kept for this thread, and when to sweep them next.
struct Kept {
    values: HashSet<Arc<str>>,
    sweep_at: usize,
}

thread_local! {
    static KEPT: RefCell<Kept> = RefCell::new(Kept {
        values: HashSet::new(),
        sweep_at: SWEEP_AT_LEAST,
    });
}

impl SharedName {
    /// The kept copy of `text`, made now if no record holds one.
    pub fn new(text: &str) -> Self {
        KEPT.with_borrow_mut(|kept| {
            if let Some(value) = kept.values.get(text) {
                return SharedName(value.clone());
            }
            if kept.values.len() >= kept.sweep_at {
                kept.values.retain(|v| Arc::strong_count(v) > 1);
                kept.sweep_at = (kept.values.len() * 2).max(SWEEP_AT_LEAST);
            }
            let value: Arc<str> = text.into();
            kept.values.insert(value.clone());
            SharedName(value)
        })
    }

    /// The text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether `self` and `other` are the very same copy.
    pub fn same_copy(&self, other: &SharedName) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }
}

impl Deref for SharedName {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

impl AsRef<str> for SharedName {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl std::borrow::Borrow<str> for SharedName {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl Default for SharedName {
    fn default() -> Self {
        SharedName::new("")
    }
}

impl From<&str> for SharedName {
    fn from(text: &str) -> Self {
        SharedName::new(text)
    }
}

impl From<String> for SharedName {
    fn from(text: String) -> Self {
        SharedName::new(&text)
    }
}

impl From<&String> for SharedName {
    fn from(text: &String) -> Self {
        SharedName::new(text)
    }
}

impl From<SharedName> for String {
    fn from(name: SharedName) -> Self {
        name.as_str().to_owned()
    }
}

impl From<&SharedName> for String {
    fn from(name: &SharedName) -> Self {
        name.as_str().to_owned()
    }
}

impl PartialEq<str> for SharedName {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for SharedName {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl PartialEq<String> for SharedName {
    fn eq(&self, other: &String) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<SharedName> for str {
    fn eq(&self, other: &SharedName) -> bool {
        self == other.as_str()
    }
}

impl PartialEq<SharedName> for &str {
    fn eq(&self, other: &SharedName) -> bool {
        *self == other.as_str()
    }
}

impl PartialEq<SharedName> for String {
    fn eq(&self, other: &SharedName) -> bool {
        self == other.as_str()
    }
}

impl fmt::Display for SharedName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self.as_str(), f)
    }
}

impl fmt::Debug for SharedName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl serde::Serialize for SharedName {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> serde::Deserialize<'de> for SharedName {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl serde::de::Visitor<'_> for Visitor {
            type Value = SharedName;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string")
            }
            fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<SharedName, E> {
                Ok(SharedName::new(text))
            }
        }
        deserializer.deserialize_str(Visitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_texts_share_one_copy_however_they_are_made() {
        let decoded: SharedName = serde_json::from_str("\"work\"").unwrap();
        let built = SharedName::from("work".to_owned());
        let stored: SharedName = postcard::from_bytes(&postcard::to_allocvec(&built).unwrap())
            .expect("postcard round trip");
        assert!(decoded.same_copy(&built) && built.same_copy(&stored));
        assert!(!decoded.same_copy(&SharedName::new("home")));
        assert_eq!(decoded, "work");
    }

    #[test]
    fn it_serializes_exactly_as_the_string_it_holds() {
        let name = SharedName::new("Book club ümlaut");
        assert_eq!(
            serde_json::to_string(&name).unwrap(),
            serde_json::to_string("Book club ümlaut").unwrap()
        );
        assert_eq!(
            postcard::to_allocvec(&name).unwrap(),
            postcard::to_allocvec(&"Book club ümlaut".to_owned()).unwrap()
        );
    }

    #[test]
    fn texts_no_record_holds_any_more_are_swept_from_the_table() {
        let kept_one = SharedName::new("still held");
        for i in 0..10 * SWEEP_AT_LEAST {
            drop(SharedName::new(&format!("one-off {i}")));
        }
        let table = KEPT.with_borrow(|kept| kept.values.len());
        assert!(table <= 2 * SWEEP_AT_LEAST, "{table} values kept");
        assert!(SharedName::new("still held").same_copy(&kept_one));
    }
}
