//! A table of records kept in creation order, found by id.
//!
//! Each row gets a sequence number when inserted. Listing follows it, and
//! v1 cursors are "the last sequence number seen", so a cursor stays valid
//! when rows before or after it are deleted.

use std::collections::{BTreeMap, HashMap};

/// A record with a string id.
pub trait Keyed {
    /// The record's id.
    fn key(&self) -> &str;
}

impl Keyed for crate::model::Contact {
    fn key(&self) -> &str {
        &self.id
    }
}

impl Keyed for crate::model::Note {
    fn key(&self) -> &str {
        &self.id
    }
}

impl Keyed for crate::model::Reminder {
    fn key(&self) -> &str {
        &self.id
    }
}

/// Rows in creation order, with an id index.
#[derive(Debug, Clone)]
pub struct Table<T> {
    rows: BTreeMap<u64, T>,
    index: HashMap<String, u64>,
    next_seq: u64,
}

impl<T: Keyed> Table<T> {
    /// A table holding `rows` in the given order.
    pub fn from_rows(rows: Vec<T>) -> Self {
        let mut table = Table {
            rows: BTreeMap::new(),
            index: HashMap::with_capacity(rows.len()),
            next_seq: 1,
        };
        for row in rows {
            table.insert(row);
        }
        table
    }

    /// Appends a row; the caller has made sure its id is new.
    pub fn insert(&mut self, row: T) {
        let seq = self.next_seq;
        self.next_seq += 1;
        self.index.insert(row.key().to_owned(), seq);
        self.rows.insert(seq, row);
    }

    /// The row with this id.
    pub fn get(&self, id: &str) -> Option<&T> {
        self.index.get(id).and_then(|seq| self.rows.get(seq))
    }

    /// The row with this id, to change it (not its id).
    pub fn get_mut(&mut self, id: &str) -> Option<&mut T> {
        let seq = self.index.get(id)?;
        self.rows.get_mut(seq)
    }

    /// Replaces the row with the same id, keeping its place.
    pub fn replace(&mut self, row: T) {
        if let Some(seq) = self.index.get(row.key()) {
            self.rows.insert(*seq, row);
        }
    }

    /// Removes and returns the row with this id.
    pub fn remove(&mut self, id: &str) -> Option<T> {
        let seq = self.index.remove(id)?;
        self.rows.remove(&seq)
    }

    /// True when a row has this id.
    pub fn contains(&self, id: &str) -> bool {
        self.index.contains_key(id)
    }

    /// Rows with their sequence numbers, oldest first.
    pub fn iter(&self) -> impl Iterator<Item = (u64, &T)> {
        self.rows.iter().map(|(seq, row)| (*seq, row))
    }

    /// Rows, oldest first, to change them.
    pub fn values_mut(&mut self) -> impl Iterator<Item = &mut T> {
        self.rows.values_mut()
    }

    /// Number of rows.
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    /// True when empty.
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// Removes the rows `keep` rejects.
    pub fn retain(&mut self, mut keep: impl FnMut(&T) -> bool) {
        let index = &mut self.index;
        self.rows.retain(|_, row| {
            let kept = keep(row);
            if !kept {
                index.remove(row.key());
            }
            kept
        });
    }
}
