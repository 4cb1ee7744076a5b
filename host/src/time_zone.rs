//! The machine's time zone, passed to every component as `TZ`, POSIX's
//! variable for the local zone: a component that reckons local dates
//! falls back to it.
//!
//! The component cannot see the machine's zone itself (it has no files
//! and not the host's environment), so the host names it: `TZ` when it
//! holds an IANA name, else the zone `/etc/localtime` links to, else
//! `/etc/timezone`. The guest checks the name against its own zone
//! database and passes over one it does not know.

use std::path::Path;

/// The machine's zone name (`Europe/Berlin`), when it can be told.
pub fn machine_time_zone() -> Option<String> {
    let from_tz = std::env::var("TZ").ok().and_then(|tz| iana_name(&tz));
    from_tz
        .or_else(|| {
            std::fs::read_link("/etc/localtime")
                .ok()
                .and_then(|target| zone_of_zoneinfo_path(&target))
        })
        .or_else(|| {
            std::fs::read_to_string("/etc/timezone")
                .ok()
                .and_then(|text| iana_name(&text))
        })
}

/// `TZ` or `/etc/timezone` text as a zone name: `:Area/City` and
/// `Area/City` are names, a POSIX rule such as `CET-1CEST` is not.
fn iana_name(text: &str) -> Option<String> {
    let name = text.trim().trim_start_matches(':');
    if let Some(zone) = zone_of_zoneinfo_path(Path::new(name)) {
        return Some(zone);
    }
    let plausible = !name.is_empty()
        && (name.contains('/') || name == "UTC")
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "/_-+".contains(c));
    plausible.then(|| name.to_owned())
}

/// The zone of a path into a zoneinfo tree
/// (`/usr/share/zoneinfo/America/New_York` → `America/New_York`).
fn zone_of_zoneinfo_path(path: &Path) -> Option<String> {
    let text = path.to_str()?;
    let (_, zone) = text.split_once("zoneinfo/")?;
    let zone = zone
        .trim_start_matches("posix/")
        .trim_start_matches("right/");
    (!zone.is_empty()).then(|| zone.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_come_from_zoneinfo_links_and_tz_values() {
        assert_eq!(
            zone_of_zoneinfo_path(Path::new("/usr/share/zoneinfo/America/New_York")).as_deref(),
            Some("America/New_York")
        );
        assert_eq!(
            zone_of_zoneinfo_path(Path::new("../usr/share/zoneinfo/posix/Asia/Tokyo")).as_deref(),
            Some("Asia/Tokyo")
        );
        assert_eq!(
            iana_name(":Europe/Berlin\n").as_deref(),
            Some("Europe/Berlin")
        );
        assert_eq!(iana_name("Etc/UTC").as_deref(), Some("Etc/UTC"));
        assert_eq!(iana_name("UTC").as_deref(), Some("UTC"));
        assert_eq!(iana_name("CET-1CEST,M3.5.0,M10.5.0/3"), None);
        assert_eq!(iana_name(""), None);
    }
}
