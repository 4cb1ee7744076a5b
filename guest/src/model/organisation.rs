//! How the user organises a contact in Dex: tags, groups, custom field
//! values and keep-in-touch. Dex's own MCP server and its app are built
//! around these, so every read of a contact carries them.

use super::SharedName;

/// A tag or group as a contact carries it. The name is what people say
/// ("investors"); the id is what Dex's label endpoints take. Both are
/// [`SharedName`]s: every contact with the tag points at one copy.
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub struct Label {
    /// Dex's id of the tag or group; empty when Dex sent only a name.
    pub id: SharedName,
    /// The name as the user typed it.
    pub name: SharedName,
}

/// A contact's value of one of the account's custom fields.
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub struct CustomFieldValue {
    /// The custom field's id (its definition is account-wide, so every
    /// contact's value points at one copy).
    pub field_id: SharedName,
    /// The field's name, when Dex sent it with the value.
    pub name: Option<SharedName>,
    /// The value: one text or `YYYY-MM-DD` date, or the chosen options of
    /// an autocomplete field. Never empty: a field without a value is left
    /// out.
    pub values: Vec<String>,
}

/// The keep-in-touch frequencies Dex offers, with the interval text it
/// stores for each (`docs/dex-api.md`, "Contacts").
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Frequency {
    /// Every 7 days (`7 days`).
    Weekly,
    /// Every 14 days (`14 days`).
    EveryTwoWeeks,
    /// Every month (`1 mon`).
    Monthly,
    /// Every 42 days (`42 days`).
    EverySixWeeks,
    /// Every 3 months (`3 mons`).
    Quarterly,
    /// Every 6 months (`6 mons`).
    EverySixMonths,
    /// Every year (`1 year`).
    Yearly,
}

impl Frequency {
    /// Every frequency, shortest first.
    pub const ALL: [Frequency; 7] = [
        Frequency::Weekly,
        Frequency::EveryTwoWeeks,
        Frequency::Monthly,
        Frequency::EverySixWeeks,
        Frequency::Quarterly,
        Frequency::EverySixMonths,
        Frequency::Yearly,
    ];

    /// The interval text Dex stores and a write sends.
    pub fn wire(self) -> &'static str {
        match self {
            Frequency::Weekly => "7 days",
            Frequency::EveryTwoWeeks => "14 days",
            Frequency::Monthly => "1 mon",
            Frequency::EverySixWeeks => "42 days",
            Frequency::Quarterly => "3 mons",
            Frequency::EverySixMonths => "6 mons",
            Frequency::Yearly => "1 year",
        }
    }

    /// The days between two catch-ups (a month counts 30, a year 365),
    /// which is what "due" is reckoned with.
    pub fn days(self) -> u32 {
        match self {
            Frequency::Weekly => 7,
            Frequency::EveryTwoWeeks => 14,
            Frequency::Monthly => 30,
            Frequency::EverySixWeeks => 42,
            Frequency::Quarterly => 90,
            Frequency::EverySixMonths => 180,
            Frequency::Yearly => 365,
        }
    }

    /// The one Dex frequency this many days stands for, if any.
    pub fn of_days(days: u32) -> Option<Frequency> {
        Frequency::ALL.into_iter().find(|f| f.days() == days)
    }
}

/// A contact's keep-in-touch setting as Dex holds it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct KeepInTouch {
    /// Days between two catch-ups, as Dex stored the interval.
    pub days: u32,
    /// The Dex frequency those days are, when they are one (an interval
    /// set some other way keeps its days and has none).
    pub frequency: Option<Frequency>,
}

impl KeepInTouch {
    /// The setting of one of Dex's frequencies.
    pub fn of(frequency: Frequency) -> KeepInTouch {
        KeepInTouch {
            days: frequency.days(),
            frequency: Some(frequency),
        }
    }

    /// Reads the interval Dex stored: Postgres interval text (`7 days`,
    /// `1 mon`, `3 mons`, `1 year`, `2 weeks`, `1 year 2 mons`), or a bare
    /// number of days (as text or a number). `None` for anything else,
    /// and for an interval of no days.
    pub fn parse(text: &str) -> Option<KeepInTouch> {
        let text = text.trim().to_ascii_lowercase();
        let days = match text.parse::<u32>() {
            Ok(days) => days,
            Err(_) => interval_days(&text)?,
        };
        (days > 0).then(|| KeepInTouch {
            days,
            frequency: Frequency::of_days(days),
        })
    }
}

/// Days in `N unit [N unit ...]`, where a unit is a day, week, month
/// (`mon`, `mons`, `month`, `months`) or year, singular or plural.
fn interval_days(text: &str) -> Option<u32> {
    let words: Vec<&str> = text.split_whitespace().collect();
    if words.is_empty() || !words.len().is_multiple_of(2) {
        return None;
    }
    let mut days: u32 = 0;
    for pair in words.chunks(2) {
        let count: u32 = pair[0].parse().ok()?;
        let unit = match pair[1].trim_end_matches('s') {
            "day" => 1,
            "week" => 7,
            "mon" | "month" => 30,
            "year" | "yr" => 365,
            _ => return None,
        };
        days = days.checked_add(count.checked_mul(unit)?)?;
    }
    Some(days)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_frequency_reads_back_from_its_own_wire_text() {
        for frequency in Frequency::ALL {
            assert_eq!(
                KeepInTouch::parse(frequency.wire()),
                Some(KeepInTouch::of(frequency)),
                "{frequency:?}"
            );
        }
    }

    #[test]
    fn other_spellings_of_an_interval_read_as_their_days() {
        let days = |text: &str| KeepInTouch::parse(text).map(|k| k.days);
        assert_eq!(days("2 weeks"), Some(14));
        assert_eq!(days(" 1 Month "), Some(30));
        assert_eq!(days("1 year 2 mons"), Some(425));
        assert_eq!(days("30"), Some(30));
        assert_eq!(
            KeepInTouch::parse("10 days"),
            Some(KeepInTouch {
                days: 10,
                frequency: None
            }),
            "an interval Dex does not offer keeps its days and names no frequency"
        );
    }

    #[test]
    fn text_that_is_no_interval_reads_as_none() {
        for text in [
            "",
            "0 days",
            "0",
            "often",
            "days 7",
            "7 fortnights",
            "-1 days",
        ] {
            assert_eq!(KeepInTouch::parse(text), None, "{text:?}");
        }
    }
}
