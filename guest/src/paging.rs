//! Cutting long lists into pages an assistant can take in.
//!
//! A contact with years of notes, or a search for a common name, would
//! flood the assistant's context, so every list the history tools and the
//! full-text search return stops at the caller's limit or at about
//! [`ANSWER_BUDGET_CHARS`] characters of JSON, whichever comes first, and
//! hands back an opaque cursor for the rest (issue #6). The cursor names
//! the tool it came from, so one tool's cursor is refused by another
//! rather than silently skipping items.

use crate::model::ToolError;

/// About how many characters of JSON one answer may hold; a page always
/// holds at least one item, however long.
pub const ANSWER_BUDGET_CHARS: usize = 25_000;

/// Characters an answer spends outside its list (summary, counts, the
/// cursor), kept back from the budget.
const ANSWER_FRAME_CHARS: usize = 1_000;

/// How many characters of JSON an item takes, estimated from its text.
pub trait JsonSize {
    /// The estimate; exact for strings, a fixed allowance for keys and
    /// punctuation.
    fn json_size(&self) -> usize;
}

/// Characters of `text` as a JSON string, quotes and escapes included,
/// plus an allowance for its key.
pub fn text_size(text: &str) -> usize {
    const KEY_ALLOWANCE: usize = 24;
    quoted_size(text) + KEY_ALLOWANCE
}

/// Characters of `"key":"text",` in compact JSON: exact where
/// [`text_size`] guesses the key, for answers whose keys are known.
pub fn field_size(key: &str, text: &str) -> usize {
    // Quotes around the key, the colon and the comma.
    key.len() + 4 + quoted_size(text)
}

/// [`field_size`] of an optional text; nothing when absent, which the
/// host leaves out of the JSON.
pub fn optional_field_size(key: &str, text: &Option<String>) -> usize {
    text.as_deref().map_or(0, |text| field_size(key, text))
}

/// Characters of `"key":["a","b"],` in compact JSON: a list of texts
/// under a known key, present even when empty.
pub fn list_field_size(key: &str, items: &[String]) -> usize {
    // Quotes around the key, the colon, the brackets and the comma; a
    // comma between items.
    key.len()
        + 6
        + items
            .iter()
            .map(|item| quoted_size(item) + 1)
            .sum::<usize>()
}

/// Characters of `text` as a JSON string: its quotes, and a backslash
/// before each character that needs one.
fn quoted_size(text: &str) -> usize {
    let escapes = text
        .chars()
        .filter(|c| matches!(c, '"' | '\\') || c.is_control())
        .count();
    text.len() + escapes + 2
}

/// [`text_size`] of an optional text; nothing when absent.
pub fn optional_size(text: &Option<String>) -> usize {
    text.as_deref().map_or(0, text_size)
}

/// Where the next page starts, and which tool may continue from there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cursor {
    tool: &'static str,
    offset: usize,
}

impl Cursor {
    /// The first page of `tool`'s list.
    pub fn start(tool: &'static str) -> Self {
        Self { tool, offset: 0 }
    }

    /// Reads a cursor given back to `tool` as the argument `field`.
    pub fn parse(tool: &'static str, field: &str, raw: &str) -> Result<Self, ToolError> {
        let refused = || {
            ToolError::validation(
                field,
                format!(
                    "cursor `{raw}` was not given by {}; pass the next-cursor of its previous answer unchanged, or leave it out to start from the top",
                    tool.replace('-', "_")
                ),
            )
        };
        let (tag, offset) = raw.trim().rsplit_once('.').ok_or_else(refused)?;
        if tag != tool {
            return Err(refused());
        }
        let offset = offset.parse().map_err(|_| refused())?;
        Ok(Self { tool, offset })
    }

    /// How many items of the list come before the page this cursor
    /// starts; a caller that produces its list lazily (the search keeps
    /// only its best hits) needs this many plus one page.
    pub fn offset(self) -> usize {
        self.offset
    }

    fn encode(self) -> String {
        format!("{}.{}", self.tool, self.offset)
    }
}

/// One page of a list.
#[derive(Debug, Clone, PartialEq)]
pub struct Page<T> {
    /// The items of this page, in the list's order.
    pub items: Vec<T>,
    /// How many items the whole list has.
    pub total: usize,
    /// How many items come after this page.
    pub remaining: usize,
    /// Where the next page starts; `None` on the last page.
    pub next_cursor: Option<String>,
}

/// The page of `all` that starts at `cursor`: at most `limit` items and
/// about `budget` characters of JSON.
pub fn page<T: JsonSize>(all: Vec<T>, cursor: Cursor, limit: usize, budget: usize) -> Page<T> {
    let total = all.len();
    page_of_rest(
        all.into_iter().skip(cursor.offset),
        total,
        cursor,
        limit,
        budget,
    )
}

/// [`page`] for a caller that produced only the items from `cursor` on
/// (a search ranks the hits before the cursor but builds none of them);
/// `total` counts the items before the cursor too. Items are taken from
/// `rest` only as far as the page goes.
pub fn page_of_rest<T: JsonSize>(
    rest: impl IntoIterator<Item = T>,
    total: usize,
    cursor: Cursor,
    limit: usize,
    budget: usize,
) -> Page<T> {
    let room = budget.saturating_sub(ANSWER_FRAME_CHARS);
    let mut spent = 0;
    let mut items = Vec::new();
    for item in rest {
        let size = item.json_size();
        if items.len() == limit || (!items.is_empty() && spent + size > room) {
            break;
        }
        spent += size;
        items.push(item);
    }
    let end = cursor.offset.saturating_add(items.len());
    Page {
        remaining: total.saturating_sub(end),
        next_cursor: (end < total).then(|| {
            Cursor {
                tool: cursor.tool,
                offset: end,
            }
            .encode()
        }),
        items,
        total,
    }
}

/// The sentence that tells the assistant how to get the rest of a page.
pub fn continuation<T>(page: &Page<T>, noun: &str) -> String {
    match &page.next_cursor {
        None => String::new(),
        Some(_) => format!(
            " {} more {noun} follow: call again with the same arguments and cursor set to next-cursor.",
            page.remaining
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Item(usize);

    impl JsonSize for Item {
        fn json_size(&self) -> usize {
            self.0
        }
    }

    fn items(sizes: &[usize]) -> Vec<Item> {
        sizes.iter().map(|s| Item(*s)).collect()
    }

    #[test]
    fn pages_follow_one_another_through_their_cursors() {
        let first = page(items(&[1; 5]), Cursor::start("notes"), 2, 100_000);
        assert_eq!(first.items.len(), 2);
        assert_eq!(first.total, 5);
        let next = first.next_cursor.clone().unwrap();
        let second = page(
            items(&[1; 5]),
            Cursor::parse("notes", "cursor", &next).unwrap(),
            2,
            100_000,
        );
        assert_eq!(second.items.len(), 2);
        let last_cursor = Cursor::parse("notes", "cursor", &second.next_cursor.unwrap()).unwrap();
        let last = page(items(&[1; 5]), last_cursor, 2, 100_000);
        assert_eq!(last.items.len(), 1);
        assert_eq!(last.next_cursor, None);
    }

    #[test]
    fn a_page_stops_at_the_character_budget_but_holds_at_least_one_item() {
        let budget = ANSWER_FRAME_CHARS + 10_000;
        let cut = page(items(&[4_000; 4]), Cursor::start("notes"), 50, budget);
        assert_eq!(cut.items.len(), 2);
        assert!(cut.next_cursor.is_some());
        let huge = page(items(&[90_000, 1]), Cursor::start("notes"), 50, budget);
        assert_eq!(huge.items.len(), 1);
    }

    #[test]
    fn a_cursor_of_another_tool_or_garbage_is_refused() {
        let err = Cursor::parse("notes", "cursor", "history.3").unwrap_err();
        assert_eq!(err.field.as_deref(), Some("cursor"));
        assert!(Cursor::parse("notes", "cursor", "notes.x").is_err());
        assert!(Cursor::parse("notes", "cursor", "").is_err());
    }

    #[test]
    fn a_field_size_is_what_compact_json_spends_on_it() {
        for text in ["Ada Lovelace", "say \"hi\" \\ bye", "Jörg Becker", ""] {
            let json = serde_json::json!({ "full_name": text }).to_string();
            // The object's braces stand in for the field's comma.
            assert_eq!(field_size("full_name", text) + 1, json.len(), "{json}");
        }
        assert_eq!(optional_field_size("email", &None), 0);
    }

    #[test]
    fn a_cursor_tells_where_its_page_starts() {
        assert_eq!(Cursor::start("notes").offset(), 0);
        let first = page(items(&[1; 5]), Cursor::start("notes"), 3, 100_000);
        let next = Cursor::parse("notes", "cursor", &first.next_cursor.unwrap()).unwrap();
        assert_eq!(next.offset(), 3);
    }

    #[test]
    fn a_cursor_past_the_end_gives_an_empty_last_page() {
        let cursor = Cursor::parse("notes", "cursor", "notes.9").unwrap();
        let beyond = page(items(&[1; 3]), cursor, 5, 100_000);
        assert!(beyond.items.is_empty());
        assert_eq!(beyond.next_cursor, None);
    }

    #[test]
    fn the_continuation_counts_what_is_left() {
        let first = page(items(&[1; 5]), Cursor::start("notes"), 2, 100_000);
        assert!(
            continuation(&first, "notes").contains(" 3 more notes"),
            "{}",
            continuation(&first, "notes")
        );
        let all = page(items(&[1; 5]), Cursor::start("notes"), 10, 100_000);
        assert_eq!(continuation(&all, "notes"), "");
    }
}
