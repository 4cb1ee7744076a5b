//! Ids of notes and reminders, validated at the edge like [`super::ContactId`]
//! (and by the same rule).
//!
//! They are spliced into URL paths (`/v1/timeline/{id}`), so anything that
//! could change the path is refused rather than escaped.

use std::fmt;

use super::ToolError;

/// Checks `raw` as a Dex id of a `noun`, for the argument `field`; `source`
/// names the tool an assistant gets such ids from. Shared by every id type.
pub(super) fn checked(
    field: &str,
    raw: &str,
    noun: &str,
    source: &str,
) -> Result<String, ToolError> {
    let id = raw.trim();
    if id.is_empty() {
        return Err(ToolError::validation(
            field,
            format!("the {noun} id is empty: pass the `id` of a {noun} returned by {source}"),
        ));
    }
    if id.len() > 128 {
        return Err(ToolError::validation(
            field,
            format!(
                "the {noun} id is {} characters long; Dex ids are at most 128",
                id.len()
            ),
        ));
    }
    if let Some(bad) = id
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || *c == '-' || *c == '_'))
    {
        return Err(ToolError::validation(
            field,
            format!(
                "`{id}` is not a Dex {noun} id (it contains {bad:?}); ids are letters, digits, `-` and `_`, as returned by {source}"
            ),
        ));
    }
    Ok(id.to_owned())
}

/// The id of a note (a Dex timeline item).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct NoteId(String);

impl NoteId {
    /// Validates `raw` (surrounding whitespace ignored) as the argument `field`.
    pub fn parse(field: &str, raw: &str) -> Result<Self, ToolError> {
        checked(
            field,
            raw,
            "note",
            "add_contact_note or search_contacts_full_text",
        )
        .map(Self)
    }

    /// The id as Dex spells it.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for NoteId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The id of a reminder.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ReminderId(String);

impl ReminderId {
    /// Validates `raw` (surrounding whitespace ignored) as the argument `field`.
    pub fn parse(field: &str, raw: &str) -> Result<Self, ToolError> {
        checked(
            field,
            raw,
            "reminder",
            "create_contact_reminder or search_contacts_full_text",
        )
        .map(Self)
    }

    /// The id as Dex spells it.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for ReminderId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_that_would_change_the_url_path_are_refused() {
        let err = NoteId::parse("note-id", "abc/../x").unwrap_err();
        assert_eq!(err.field.as_deref(), Some("note_id"));
        assert!(err.message.contains("'/'"), "{}", err.message);
        assert!(ReminderId::parse("reminder-id", " ").is_err());
        assert_eq!(
            ReminderId::parse("reminder-id", " r_1 ").unwrap().as_str(),
            "r_1"
        );
    }
}
