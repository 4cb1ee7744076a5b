//! Which of the known v1 answer shapes the simulator serves.
//!
//! Public sources disagree on how v1 answers (see `docs/dex-api.md`): Dex's
//! reference wraps a created note in `data.note`, answers a merge with
//! `mergedContactIds`, types cursors as UUIDs and shows due dates as
//! datetimes, while dex-mcp's first simulator, and earlier clients, used
//! bare records, kept records, integer cursors and plain dates. A client
//! must read both, so the simulator serves either: [`AnswerShape::Reference`]
//! by default, [`AnswerShape::Older`] behind `SimConfig::shape`,
//! `dex-sim --shape older` or `PUT /_sim/shape`. Legacy routes have one
//! shape and ignore this.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};

use crate::timestamps::format_midnight;

/// The records a v1 page holds at most in the reference shape, whatever
/// `take` asks: what a public client reports Dex answering.
pub const REFERENCE_PAGE_SIZE: usize = 500;

/// How the v1 routes shape their answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum AnswerShape {
    /// Dex's v1 reference: creates (and, a guess, updates and reads of one
    /// record) wrapped in their kind, contacts created as a list, merges
    /// answering `mergedContactIds` with the oldest record surviving,
    /// UUID-looking cursors, pages of at most 500 whatever `take` says,
    /// due dates as midnight-UTC datetimes, deletes answering a message
    /// without `data`.
    #[default]
    Reference,
    /// The shapes the first simulator served: bare records, a merge
    /// answering the kept records with the first id surviving, integer
    /// cursors, `take` honoured (1 to 1000), `YYYY-MM-DD` due dates,
    /// deletes answering `data: {id}`.
    Older,
}

impl AnswerShape {
    /// Both, for tests that must hold on each.
    pub const ALL: [AnswerShape; 2] = [AnswerShape::Reference, AnswerShape::Older];

    /// The name used by the flag and the control API.
    pub fn as_str(self) -> &'static str {
        match self {
            AnswerShape::Reference => "reference",
            AnswerShape::Older => "older",
        }
    }

    /// The records of one page when `take` was asked for.
    pub fn page_size(self, take: usize) -> usize {
        match self {
            AnswerShape::Reference => REFERENCE_PAGE_SIZE,
            AnswerShape::Older => take,
        }
    }

    /// The cursor handed out for "after position `seq`".
    pub fn cursor(self, seq: u64) -> String {
        match self {
            AnswerShape::Reference => uuid_cursor(seq),
            AnswerShape::Older => seq.to_string(),
        }
    }

    /// The position a cursor of this shape stands for; `None` for text this
    /// shape never hands out.
    pub fn position(self, cursor: &str) -> Option<u64> {
        match self {
            AnswerShape::Reference => uuid_position(cursor),
            AnswerShape::Older => cursor.parse().ok(),
        }
    }

    /// `data` for a record of `kind` that was created, changed or read:
    /// `{kind: record}` or the bare record.
    pub fn record(self, kind: &str, record: Value) -> Value {
        match self {
            AnswerShape::Reference => json!({ kind: record }),
            AnswerShape::Older => record,
        }
    }

    /// `data` for contacts created in one batch: a list in the reference;
    /// the bare record for a batch of one in the older shape.
    pub fn created_contacts(self, mut created: Vec<Value>) -> Value {
        match self {
            AnswerShape::Older if created.len() == 1 => created.remove(0),
            _ => Value::Array(created),
        }
    }

    /// The whole answer to a delete of `id` (`what`: "Contact").
    pub fn deleted(self, what: &str, id: &str) -> Value {
        match self {
            AnswerShape::Reference => {
                json!({"error": false, "message": format!("{what} deleted successfully")})
            }
            AnswerShape::Older => json!({"error": false, "data": {"id": id}}),
        }
    }

    /// A custom field definition as v1 answers it: the reference's
    /// `field_type` and `categories: [{id, category}]`; in the older shape,
    /// what the first simulator wrote, `type`, with the options as plain
    /// strings (both guesses a client must read; `docs/dex-api.md`).
    pub fn custom_field(self, mut field: Map<String, Value>) -> Value {
        if self == AnswerShape::Older {
            if let Some(field_type) = field.remove("field_type") {
                field.insert("type".into(), field_type);
            }
            if let Some(Value::Array(categories)) = field.get_mut("categories") {
                for category in categories.iter_mut() {
                    if let Some(text) = category.get("category").cloned() {
                        *category = text;
                    }
                }
            }
        }
        Value::Object(field)
    }

    /// A contact as v1 answers it: its `related_contacts` as join rows
    /// `{id, source, destination}` in the reference shape, as the bare ids
    /// of the other contacts in the older one (neither is documented; a
    /// client must read both, docs/simulator.md).
    pub fn contact(self, mut contact: Value) -> Value {
        if self == AnswerShape::Older
            && let Some(own) = contact.get("id").and_then(Value::as_str).map(str::to_owned)
            && let Some(Value::Array(rows)) = contact.get_mut("related_contacts")
        {
            for row in rows.iter_mut() {
                let end = |key: &str| row.get(key).and_then(Value::as_str).map(str::to_owned);
                let other = match (end("source"), end("destination")) {
                    (Some(source), Some(destination)) if source == own => destination,
                    (Some(source), _) => source,
                    _ => continue,
                };
                *row = Value::String(other);
            }
        }
        contact
    }

    /// A reminder as v1 answers it: the stored `YYYY-MM-DD` due date
    /// becomes midnight UTC of that day in the reference shape.
    pub fn reminder(self, mut reminder: Map<String, Value>) -> Value {
        if self == AnswerShape::Reference
            && let Some(Value::String(day)) = reminder.get("due_at_date")
            && let Some(date) = crate::timestamps::parse_date(day)
        {
            reminder.insert("due_at_date".into(), Value::String(format_midnight(date)));
        }
        Value::Object(reminder)
    }
}

impl fmt::Display for AnswerShape {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for AnswerShape {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        match text.trim() {
            "reference" => Ok(AnswerShape::Reference),
            "older" => Ok(AnswerShape::Older),
            other => Err(format!(
                "`{other}` is not an answer shape: use `reference` or `older`"
            )),
        }
    }
}

/// Multiplier of the scramble (odd, so invertible modulo 2^64).
const SCRAMBLE: u64 = 0x9e37_79b9_7f4a_7c15;
/// Its inverse modulo 2^64.
const UNSCRAMBLE: u64 = 0xf1de_83e1_9937_733d;
/// Mixed in so that position 0 does not read as zeros.
const SALT: u64 = 0x5eed_d1ce_c0ff_ee00;

/// A position written as a UUID (8-4-4-4-12 hex): the position scrambled,
/// then a check of it, so that nothing about it reads as a number and a
/// cursor that was not handed out is refused.
fn uuid_cursor(seq: u64) -> String {
    let scrambled = seq.wrapping_mul(SCRAMBLE) ^ SALT;
    let hex = format!("{scrambled:016x}{:016x}", check(scrambled));
    format!(
        "{}-{}-{}-{}-{}",
        &hex[..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..]
    )
}

fn uuid_position(cursor: &str) -> Option<u64> {
    let groups: Vec<&str> = cursor.split('-').collect();
    let lengths: Vec<usize> = groups.iter().map(|g| g.len()).collect();
    if lengths != [8, 4, 4, 4, 12] {
        return None;
    }
    let hex = groups.concat();
    let scrambled = u64::from_str_radix(&hex[..16], 16).ok()?;
    let checked = u64::from_str_radix(&hex[16..], 16).ok()?;
    (checked == check(scrambled)).then(|| (scrambled ^ SALT).wrapping_mul(UNSCRAMBLE))
}

fn check(scrambled: u64) -> u64 {
    (scrambled ^ 0xa5a5_5a5a_c3c3_3c3c)
        .wrapping_mul(0xff51_afd7_ed55_8ccd)
        .rotate_left(29)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uuid_cursors_round_trip_and_read_as_no_number() {
        assert_eq!(SCRAMBLE.wrapping_mul(UNSCRAMBLE), 1);
        for seq in [0, 1, 2, 499, 500, 70_000, u64::MAX] {
            let cursor = AnswerShape::Reference.cursor(seq);
            assert_eq!(cursor.len(), 36, "{cursor}");
            assert!(cursor.parse::<u64>().is_err());
            assert_eq!(
                AnswerShape::Reference.position(&cursor),
                Some(seq),
                "{cursor}"
            );
        }
        assert_ne!(
            AnswerShape::Reference.cursor(1)[..8],
            AnswerShape::Reference.cursor(2)[..8]
        );
    }

    #[test]
    fn each_shape_refuses_the_others_cursors_and_made_up_ones() {
        let reference = AnswerShape::Reference.cursor(17);
        assert_eq!(AnswerShape::Older.position(&reference), None);
        assert_eq!(AnswerShape::Reference.position("17"), None);
        let mut forged = reference.clone().into_bytes();
        forged[35] = if forged[35] == b'0' { b'1' } else { b'0' };
        assert_eq!(
            AnswerShape::Reference.position(std::str::from_utf8(&forged).unwrap()),
            None
        );
        assert_eq!(
            AnswerShape::Reference.position("00000000-0000-4000-8000-000000000000"),
            None
        );
    }

    #[test]
    fn records_are_wrapped_or_bare_and_due_dates_datetimes_or_days() {
        let record = json!({"id": "n1"});
        assert_eq!(
            AnswerShape::Reference.record("note", record.clone()),
            json!({"note": {"id": "n1"}})
        );
        assert_eq!(AnswerShape::Older.record("note", record.clone()), record);
        let created = vec![json!({"id": "c1"})];
        assert_eq!(
            AnswerShape::Reference.created_contacts(created.clone()),
            json!([{"id": "c1"}])
        );
        assert_eq!(
            AnswerShape::Older.created_contacts(created),
            json!({"id": "c1"})
        );
        let Value::Object(reminder) = json!({"id": "r1", "due_at_date": "2026-04-01"}) else {
            unreachable!()
        };
        assert_eq!(
            AnswerShape::Reference.reminder(reminder.clone())["due_at_date"],
            "2026-04-01T00:00:00.000Z"
        );
        assert_eq!(
            AnswerShape::Older.reminder(reminder)["due_at_date"],
            "2026-04-01"
        );
        assert!(
            AnswerShape::Reference
                .deleted("Note", "n1")
                .get("data")
                .is_none()
        );
        assert_eq!(AnswerShape::Older.deleted("Note", "n1")["data"]["id"], "n1");
    }

    #[test]
    fn custom_fields_carry_field_type_and_category_records_or_type_and_strings() {
        let Value::Object(field) = json!({"id": "f1", "name": "Diet", "field_type": "autocomplete",
            "categories": [{"id": "o1", "category": "Vegan"}]})
        else {
            unreachable!()
        };
        assert_eq!(
            AnswerShape::Reference.custom_field(field.clone()),
            Value::Object(field.clone())
        );
        assert_eq!(
            AnswerShape::Older.custom_field(field),
            json!({"id": "f1", "name": "Diet", "type": "autocomplete", "categories": ["Vegan"]})
        );
    }

    #[test]
    fn names_parse_and_print() {
        for shape in AnswerShape::ALL {
            assert_eq!(shape.as_str().parse::<AnswerShape>(), Ok(shape));
        }
        assert!("wrapped".parse::<AnswerShape>().is_err());
    }
}
