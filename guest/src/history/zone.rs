//! Which day it is for the account's owner.
//!
//! "Today", "due in 3 days" and "overdue" are days on the owner's
//! calendar, not UTC's: at 20:00 in California it is already tomorrow in
//! UTC, and just after midnight in Auckland it is still yesterday. The
//! owner's zone is the `time_zone` Dex gives for the current user
//! (`GET /v1/users/me`), else the `DEX_TIME_ZONE` setting (which the host
//! fills with the machine's zone by default), else UTC. Zone rules come
//! from `jiff`'s bundled copy of the IANA database, since a component has
//! no `/usr/share/zoneinfo` to read; dates stay `chrono`'s, as in the rest
//! of the guest.

use chrono::{DateTime, NaiveDate, Utc};
use jiff::Timestamp;
use jiff::tz::TimeZone;

/// The moment a call runs at, and the zone the settings name: what
/// "today" is worked out from, passed in so tests fix both.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WallClock {
    /// Now.
    pub now: DateTime<Utc>,
    /// `DEX_TIME_ZONE`, when set.
    pub zone_setting: Option<String>,
}

impl WallClock {
    /// The system clock (`wasi:clocks` in the component) with `setting`.
    pub fn system(zone_setting: Option<String>) -> Self {
        let elapsed = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap_or_default();
        Self {
            now: DateTime::from_timestamp(elapsed.as_secs() as i64, elapsed.subsec_nanos())
                .unwrap_or_default(),
            zone_setting,
        }
    }
}

/// Where the zone in use came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ZoneSource {
    /// The owner's `time_zone` in Dex.
    Dex,
    /// The `DEX_TIME_ZONE` setting (or the machine's zone the host passed).
    Setting,
    /// Neither named a zone this guest knows.
    Utc,
}

/// The owner's time zone, resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OwnerZone {
    /// The zone's rules.
    pub zone: TimeZone,
    /// Its IANA name, as given.
    name: String,
    /// Where it came from.
    pub source: ZoneSource,
    /// A sentence for the summary when a named zone could not be used.
    pub note: Option<String>,
}

fn known(name: &str) -> Option<TimeZone> {
    TimeZone::get(name.trim()).ok()
}

impl OwnerZone {
    /// The first zone this guest knows of the owner's (from Dex) and the
    /// setting's; UTC when neither is known. A name that is set but
    /// unknown is passed over and said in [`OwnerZone::note`].
    pub fn resolve(from_dex: Option<&str>, setting: Option<&str>) -> Self {
        fn given(name: Option<&str>) -> Option<&str> {
            name.map(str::trim).filter(|n| !n.is_empty())
        }
        let mut unknown = Vec::new();
        for (name, source) in [
            (given(from_dex), ZoneSource::Dex),
            (given(setting), ZoneSource::Setting),
        ] {
            let Some(name) = name else { continue };
            match known(name) {
                Some(zone) => {
                    return Self {
                        zone,
                        name: name.to_owned(),
                        source,
                        note: unknown_note(&unknown),
                    };
                }
                None => unknown.push(match source {
                    ZoneSource::Dex => format!("Dex's time zone `{name}`"),
                    _ => format!("DEX_TIME_ZONE `{name}`"),
                }),
            }
        }
        Self {
            zone: TimeZone::UTC,
            name: "UTC".to_owned(),
            source: ZoneSource::Utc,
            note: unknown_note(&unknown),
        }
    }

    /// The zone's IANA name (`America/Los_Angeles`).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The owner's calendar day at `now`.
    pub fn today(&self, now: DateTime<Utc>) -> NaiveDate {
        self.day_at(now.timestamp())
    }

    /// The owner's calendar day at `seconds` since the epoch.
    fn day_at(&self, seconds: i64) -> NaiveDate {
        let day = Timestamp::from_second(seconds)
            .unwrap_or(Timestamp::UNIX_EPOCH)
            .to_zoned(self.zone.clone())
            .date();
        NaiveDate::from_ymd_opt(day.year().into(), day.month() as u32, day.day() as u32)
            .unwrap_or_default()
    }

    /// The owner's calendar day of a moment Dex stores (RFC 3339); a bare
    /// day is that day.
    pub fn day_of(&self, stamp: &str) -> Option<NaiveDate> {
        let stamp = stamp.trim();
        match DateTime::parse_from_rfc3339(stamp) {
            Ok(moment) => Some(self.day_at(moment.timestamp())),
            Err(_) => super::dates::day_of(stamp),
        }
    }

    /// "America/Los_Angeles, the owner's time zone in Dex" and the like,
    /// for summaries, with the note about an unknown zone when there is one.
    pub fn describe(&self) -> String {
        let whose = match self.source {
            ZoneSource::Dex => "the owner's time zone in Dex",
            ZoneSource::Setting => "from DEX_TIME_ZONE",
            ZoneSource::Utc => "no time zone known",
        };
        let mut text = format!("{}, {whose}", self.name());
        if let Some(note) = &self.note {
            text.push_str("; ");
            text.push_str(note);
        }
        text
    }
}

fn unknown_note(unknown: &[String]) -> Option<String> {
    (!unknown.is_empty()).then(|| format!("{} is not a known IANA zone", unknown.join(" and ")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(stamp: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(stamp).unwrap().to_utc()
    }

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn dex_wins_over_the_setting_and_utc_is_the_last_resort() {
        let zone = OwnerZone::resolve(Some("America/Los_Angeles"), Some("Europe/Berlin"));
        assert_eq!(
            (zone.name(), zone.source),
            ("America/Los_Angeles", ZoneSource::Dex)
        );
        let zone = OwnerZone::resolve(None, Some(" Europe/Berlin "));
        assert_eq!(
            (zone.name(), zone.source),
            ("Europe/Berlin", ZoneSource::Setting)
        );
        let zone = OwnerZone::resolve(Some(""), None);
        assert_eq!((zone.name(), zone.source), ("UTC", ZoneSource::Utc));
        assert_eq!(zone.note, None);
    }

    #[test]
    fn an_unknown_zone_is_passed_over_and_said() {
        let zone = OwnerZone::resolve(Some("Mars/Olympus"), Some("Pacific/Auckland"));
        assert_eq!(zone.name(), "Pacific/Auckland");
        assert!(
            zone.describe()
                .contains("Dex's time zone `Mars/Olympus` is not a known"),
            "{}",
            zone.describe()
        );
    }

    #[test]
    fn eight_in_the_evening_in_california_is_still_today_there() {
        let zone = OwnerZone::resolve(Some("America/Los_Angeles"), None);
        // 20:00 PST on March 2 is 04:00 UTC on March 3.
        let now = at("2026-03-03T04:00:00Z");
        assert_eq!(zone.today(now), date(2026, 3, 2));
        assert_eq!(now.date_naive(), date(2026, 3, 3));
    }

    #[test]
    fn just_after_midnight_in_auckland_is_already_tomorrow_there() {
        let zone = OwnerZone::resolve(Some("Pacific/Auckland"), None);
        // 00:05 NZDT (UTC+13) on March 3 is 11:05 UTC on March 2.
        let now = at("2026-03-02T11:05:00Z");
        assert_eq!(zone.today(now), date(2026, 3, 3));
        assert_eq!(now.date_naive(), date(2026, 3, 2));
    }

    #[test]
    fn a_moment_falls_on_the_owners_day_and_a_bare_day_stays() {
        let zone = OwnerZone::resolve(Some("America/Los_Angeles"), None);
        assert_eq!(zone.day_of("2026-03-03T02:00:00Z"), Some(date(2026, 3, 2)));
        assert_eq!(zone.day_of("2026-03-03"), Some(date(2026, 3, 3)));
        assert_eq!(zone.day_of("later"), None);
    }

    #[test]
    fn summer_time_moves_the_day_boundary() {
        let berlin = OwnerZone::resolve(None, Some("Europe/Berlin"));
        // 22:30 UTC is 23:30 in winter (UTC+1) and 00:30 in summer (UTC+2).
        assert_eq!(berlin.today(at("2026-01-15T22:30:00Z")), date(2026, 1, 15));
        assert_eq!(berlin.today(at("2026-07-15T22:30:00Z")), date(2026, 7, 16));
    }
}
