//! The `keep-in-touch` interface (`wit/keep-in-touch.wit`): who is due a
//! catch-up ([`who_to_reach_out_to`], from the cached account), and
//! setting or completing a contact's keep-in-touch (v1 writes of the
//! contact's `frequency`, `never_keep_in_touch` and `last_seen_at`).

use std::rc::Rc;

use chrono::NaiveDate;

use super::history::shared_args;
use crate::account::{Account, AccountChange};
use crate::dex::{ContactRepository, ContactWrites};
use crate::history::{
    ANSWER_BUDGET_CHARS, DueContact, OwnerZone, Page, WallClock, cadence, continuation,
    due_contacts, due_day, gaps_sentence, page, require_readable,
};
use crate::model::{Contact, ContactFields, ContactId, KeepInTouchChange, ToolError};
use crate::writes::Written;

/// The tool's name, also the tag of its cursors.
const TOOL: &str = "who-to-reach-out-to";
/// What the v1-only error names.
pub const KEEP_IN_TOUCH_NEEDS: &str = "keeping in touch";
/// Contacts per page unless asked otherwise.
const DEFAULT_RESULTS: u32 = 20;
/// At most this many per page.
const MAX_RESULTS: u32 = 100;
/// At most a year ahead.
const MAX_WITHIN_DAYS: u32 = 365;

/// What `who-to-reach-out-to` is built from: contacts, and the reminders
/// with their contacts (open reminders count for each contact).
pub const WHO_TO_REACH_OUT_TO_NEEDS: crate::snapshot::Needs = crate::snapshot::Needs {
    lists: &[
        crate::dex::ListKind::Contacts,
        crate::dex::ListKind::Reminders,
    ],
    links: &[crate::dex::ListKind::Reminders],
};

/// The arguments of `who-to-reach-out-to`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WhoArgs {
    /// Also list catch-ups due in the next this many days (default 0).
    pub within_days: Option<u32>,
    /// Contacts per page (default 20).
    pub max_results: Option<u32>,
    /// The previous page's `next_cursor`.
    pub cursor: Option<String>,
}

/// The answer of `who-to-reach-out-to`.
#[derive(Debug, Clone, PartialEq)]
pub struct DueList {
    /// Most urgent first.
    pub contacts: Page<DueContact>,
    /// The owner's today, the reasons' reference day.
    pub today: NaiveDate,
    /// One sentence for the assistant.
    pub summary: String,
}

/// The contacts due a catch-up, most urgent first. The arguments are
/// checked before `account` is asked, so bad input costs no Dex request.
pub fn who_to_reach_out_to(
    account: &dyn Fn() -> Result<Rc<Account>, ToolError>,
    clock: &WallClock,
    args: &WhoArgs,
) -> Result<DueList, ToolError> {
    let within = args.within_days.unwrap_or(0);
    if within > MAX_WITHIN_DAYS {
        return Err(ToolError::validation(
            "within-days",
            format!("within_days is {within}; pass 0 (due today or overdue) to {MAX_WITHIN_DAYS}"),
        ));
    }
    let limit = shared_args::page_size(
        "max-results",
        args.max_results,
        DEFAULT_RESULTS,
        MAX_RESULTS,
    )?;
    let start = shared_args::cursor(TOOL, args.cursor.as_deref())?;
    let account = account()?;
    let snapshot = &account.snapshot;
    require_readable(snapshot)?;
    let zone = OwnerZone::resolve(
        snapshot.owner_time_zone.as_deref(),
        clock.zone_setting.as_deref(),
    );
    let today = zone.today(clock.now);
    let due = due_contacts(snapshot, &zone, today, within);
    let overdue = due.iter().filter(|d| d.days_overdue > 0).count();
    let contacts = page(due, start, limit, ANSWER_BUDGET_CHARS);
    let window = if within == 0 {
        String::new()
    } else {
        format!(" or due within {within} days")
    };
    let summary = format!(
        "{} contacts are due a keep-in-touch catch-up today ({today}, {}){window}; {overdue} of them overdue.{}{}",
        contacts.total,
        zone.describe(),
        continuation(&contacts, "contacts"),
        gaps_sentence(snapshot)
    );
    Ok(DueList {
        contacts,
        today,
        summary,
    })
}

/// A contact's keep-in-touch state after a write.
#[derive(Debug, Clone, PartialEq)]
pub struct KeepInTouchState {
    /// Dex's record after the write.
    pub contact: Contact,
    /// When the next catch-up is due, when a frequency is set.
    pub next_due: Option<NaiveDate>,
}

fn state(contact: Contact, zone: &OwnerZone, today: NaiveDate) -> KeepInTouchState {
    let next_due = contact
        .keep_in_touch
        .filter(|_| !contact.never_keep_in_touch)
        .map(|every| due_day(&contact, every, zone, today));
    KeepInTouchState { contact, next_due }
}

fn next_due_sentence(state: &KeepInTouchState) -> String {
    match state.next_due {
        Some(day) => format!(" The next catch-up is due {day}."),
        None => String::new(),
    }
}

/// Sets how often the user means to catch up with a contact, or never.
pub fn set_keep_in_touch(
    contacts: &dyn ContactWrites,
    zone: &OwnerZone,
    today: NaiveDate,
    contact_id: &str,
    choice: KeepInTouchChange,
) -> Result<Written<KeepInTouchState>, ToolError> {
    let id = ContactId::parse("contact-id", contact_id)?;
    let changes = ContactFields {
        keep_in_touch: Some(choice),
        ..ContactFields::default()
    };
    let contact = contacts.update_contact(&id, &changes)?;
    let saved = state(contact, zone, today);
    let what = match choice {
        KeepInTouchChange::Every(frequency) => format!(
            "to keep in touch {}",
            cadence(crate::model::KeepInTouch::of(frequency))
        ),
        KeepInTouchChange::Never => "never to remind you about them".to_owned(),
    };
    let summary = format!(
        "Set {} ({id}) {what}.{}",
        saved.contact.full_name,
        next_due_sentence(&saved)
    );
    Ok(Written {
        summary,
        change: AccountChange::ContactSaved(saved.contact.clone()),
        answer: saved,
    })
}

/// Records that the user was in touch with a contact on `on` (a day, not
/// in the future) or now. The last-seen time never moves back: when Dex
/// already records a later interaction, nothing is written.
pub fn mark_kept_in_touch(
    reads: &dyn ContactRepository,
    writes: &dyn ContactWrites,
    zone: &OwnerZone,
    clock: &WallClock,
    contact_id: &str,
    on: Option<&str>,
) -> Result<Written<KeepInTouchState>, ToolError> {
    let id = ContactId::parse("contact-id", contact_id)?;
    let today = zone.today(clock.now);
    let seen_at = match on {
        None => clock.now.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        Some(raw) => {
            let day = crate::history::parse_day_argument("on", raw)?;
            if day > today {
                return Err(ToolError::validation(
                    "on",
                    format!("on is {day}, after today ({today}): pass a day that has happened"),
                ));
            }
            // Noon UTC names the same calendar day in every zone but the
            // farthest ones, and it is what the owner meant.
            format!("{day}T12:00:00Z")
        }
    };
    let current = reads.get(&id)?;
    let already = current
        .last_seen_at()
        .as_deref()
        .and_then(|s| zone.day_of(s));
    let asked = zone.day_of(&seen_at).unwrap_or(today);
    if let Some(last) = already.filter(|last| *last > asked) {
        let kept = state(current, zone, today);
        return Ok(Written {
            summary: format!(
                "Nothing changed: Dex already records a later interaction with {} ({last}).{}",
                kept.contact.full_name,
                next_due_sentence(&kept)
            ),
            change: AccountChange::ContactSaved(kept.contact.clone()),
            answer: kept,
        });
    }
    let changes = ContactFields {
        last_seen_at: Some(seen_at),
        ..ContactFields::default()
    };
    let contact = writes.update_contact(&id, &changes)?;
    let saved = state(contact, zone, today);
    let summary = format!(
        "Marked {} ({id}) kept in touch on {asked}.{}",
        saved.contact.full_name,
        next_due_sentence(&saved)
    );
    Ok(Written {
        summary,
        change: AccountChange::ContactSaved(saved.contact.clone()),
        answer: saved,
    })
}

/// The `keep-in-touch` export; compiled for the component only.
#[cfg(target_arch = "wasm32")]
pub(crate) mod export {
    use crate::component::Component;
    use crate::component::bindings::dex::crm::types as wit;
    use crate::component::bindings::exports::dex::crm::keep_in_touch as kit;
    use crate::component::convert::{keep_in_touch, tool_error};
    use crate::component::state::{cached_account, record_write};
    use crate::component::transport::WasiHttp;
    use crate::dex::{self, v1::V1Client};
    use crate::history::{DueContact, OwnerZone, WallClock};
    use crate::model::{self, Frequency, KeepInTouchChange};
    use crate::settings::Settings;
    use crate::tools::history::export::{clock, count, with_account};
    use crate::tools::search::ContactSummary;
    use crate::tools::search::export::contact_summary;

    /// The settings on v1 (else the v1-only error, before any request),
    /// the owner's zone as far as it is known without reading the account,
    /// and the clock.
    fn v1_write_context() -> Result<(Settings, OwnerZone, WallClock), model::ToolError> {
        let settings = Settings::from_env()?;
        V1Client::for_v1_only(&settings, WasiHttp, super::KEEP_IN_TOUCH_NEEDS)?;
        let from_dex = cached_account(&settings).and_then(|a| a.snapshot.owner_time_zone.clone());
        let zone = OwnerZone::resolve(from_dex.as_deref(), settings.time_zone.as_deref());
        let clock = WallClock::system(settings.time_zone.clone());
        Ok((settings, zone, clock))
    }

    fn state(
        written: Result<crate::writes::Written<super::KeepInTouchState>, model::ToolError>,
    ) -> Result<kit::KeepInTouchState, wit::ToolError> {
        let (saved, summary) = record_write(written).map_err(tool_error)?;
        let contact = saved.contact;
        Ok(kit::KeepInTouchState {
            contact: contact_summary(ContactSummary::of(&contact)),
            keep_in_touch: contact.keep_in_touch.map(keep_in_touch),
            never_keep_in_touch: contact.never_keep_in_touch,
            last_seen_at: contact.last_seen_at.map(String::from),
            next_due_on: saved.next_due.map(|d| d.to_string()),
            summary,
        })
    }

    pub(crate) fn due_contact(due: DueContact, today: chrono::NaiveDate) -> kit::DueContact {
        kit::DueContact {
            reasons: due.reasons(today),
            contact: contact_summary(ContactSummary::of(&due.contact)),
            keep_in_touch: keep_in_touch(due.keep_in_touch),
            due_on: due.due_day.to_string(),
            days_overdue: i32::try_from(due.days_overdue).unwrap_or(i32::MAX),
            last_seen_on: due.last_seen.map(|d| d.to_string()),
            starred: due.contact.starred,
            open_reminders: count(due.open_reminders),
        }
    }

    impl kit::Guest for Component {
        fn who_to_reach_out_to(
            within_days: Option<u32>,
            max_results: Option<u32>,
            cursor: Option<String>,
        ) -> Result<kit::DueContacts, wit::ToolError> {
            let settings = Settings::from_env().map_err(tool_error)?;
            V1Client::for_v1_only(&settings, WasiHttp, super::KEEP_IN_TOUCH_NEEDS)
                .map_err(tool_error)?;
            let args = super::WhoArgs {
                within_days,
                max_results,
                cursor,
            };
            let clock = clock()?;
            let (found, incomplete_reason) =
                with_account(super::WHO_TO_REACH_OUT_TO_NEEDS, |account| {
                    super::who_to_reach_out_to(account, &clock, &args)
                })?;
            let today = found.today;
            Ok(kit::DueContacts {
                total: count(found.contacts.total),
                next_cursor: found.contacts.next_cursor,
                contacts: found
                    .contacts
                    .items
                    .into_iter()
                    .map(|d| due_contact(d, today))
                    .collect(),
                summary: found.summary,
                incomplete_reason,
            })
        }

        fn set_keep_in_touch(
            contact_id: String,
            frequency: kit::KeepInTouchChoice,
        ) -> Result<kit::KeepInTouchState, wit::ToolError> {
            use kit::KeepInTouchChoice as C;
            let (settings, zone, clock) = v1_write_context().map_err(tool_error)?;
            let choice = match frequency {
                C::Weekly => KeepInTouchChange::Every(Frequency::Weekly),
                C::EveryTwoWeeks => KeepInTouchChange::Every(Frequency::EveryTwoWeeks),
                C::Monthly => KeepInTouchChange::Every(Frequency::Monthly),
                C::EverySixWeeks => KeepInTouchChange::Every(Frequency::EverySixWeeks),
                C::Quarterly => KeepInTouchChange::Every(Frequency::Quarterly),
                C::EverySixMonths => KeepInTouchChange::Every(Frequency::EverySixMonths),
                C::Yearly => KeepInTouchChange::Every(Frequency::Yearly),
                C::Never => KeepInTouchChange::Never,
            };
            let writer = dex::contact_writes(&settings, WasiHttp);
            let today = zone.today(clock.now);
            state(super::set_keep_in_touch(
                &*writer,
                &zone,
                today,
                &contact_id,
                choice,
            ))
        }

        fn mark_kept_in_touch(
            contact_id: String,
            on: Option<String>,
        ) -> Result<kit::KeepInTouchState, wit::ToolError> {
            let (settings, zone, clock) = v1_write_context().map_err(tool_error)?;
            let reads = dex::contact_repository(&settings, WasiHttp);
            let writes = dex::contact_writes(&settings, WasiHttp);
            state(super::mark_kept_in_touch(
                &*reads,
                &*writes,
                &zone,
                &clock,
                &contact_id,
                on.as_deref(),
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    use std::cell::RefCell;
    use std::sync::Arc;

    use super::*;
    use crate::dex::MergeOutcome;
    use crate::model::{ErrorKind, Frequency, KeepInTouch};
    use crate::snapshot::Snapshot;
    use crate::tools::history::shared_args::{clock_at, counted};

    /// Contacts Dex holds, changed by the writes it is sent, which it
    /// records.
    #[derive(Default)]
    struct Dex {
        contacts: RefCell<Vec<Contact>>,
        writes: RefCell<Vec<ContactFields>>,
    }

    impl Dex {
        fn with(contact: Contact) -> Self {
            Dex {
                contacts: RefCell::new(vec![contact]),
                ..Dex::default()
            }
        }
    }

    impl ContactRepository for Dex {
        fn find_by_email(&self, _: &crate::model::EmailAddress) -> Result<Vec<Contact>, ToolError> {
            unreachable!("no tool here looks up emails")
        }

        fn get(&self, id: &ContactId) -> Result<Contact, ToolError> {
            self.contacts
                .borrow()
                .iter()
                .find(|c| c.id == id.as_str())
                .cloned()
                .ok_or_else(|| ToolError::new(ErrorKind::NotFound, format!("no contact {id}")))
        }
    }

    impl ContactWrites for Dex {
        fn create_contact(
            &self,
            _: &ContactFields,
        ) -> Result<crate::dex::Created<Contact>, ToolError> {
            unreachable!()
        }

        fn update_contact(
            &self,
            id: &ContactId,
            changes: &ContactFields,
        ) -> Result<Contact, ToolError> {
            self.writes.borrow_mut().push(changes.clone());
            let mut contacts = self.contacts.borrow_mut();
            let contact = contacts
                .iter_mut()
                .find(|c| c.id == id.as_str())
                .ok_or_else(|| ToolError::new(ErrorKind::NotFound, format!("no contact {id}")))?;
            match changes.keep_in_touch {
                Some(KeepInTouchChange::Every(f)) => {
                    contact.keep_in_touch = Some(KeepInTouch::of(f));
                    contact.never_keep_in_touch = false;
                }
                Some(KeepInTouchChange::Never) => {
                    contact.keep_in_touch = None;
                    contact.never_keep_in_touch = true;
                }
                None => {}
            }
            if let Some(seen) = &changes.last_seen_at {
                contact.last_seen_at = Some(seen.into());
            }
            Ok(contact.clone())
        }

        fn delete_contact(&self, _: &ContactId) -> Result<(), ToolError> {
            unreachable!()
        }

        fn merge_contacts(
            &self,
            _: &ContactId,
            _: &[ContactId],
        ) -> Result<MergeOutcome, ToolError> {
            unreachable!()
        }
    }

    fn ada(last_seen: Option<&str>) -> Contact {
        Contact {
            id: "c1".into(),
            full_name: "Ada Lovelace".into(),
            keep_in_touch: Some(KeepInTouch::of(Frequency::Monthly)),
            last_seen_at: last_seen.map(Into::into),
            ..Contact::default()
        }
    }

    fn utc() -> OwnerZone {
        OwnerZone::resolve(None, None)
    }

    const NOW: &str = "2026-12-07T15:00:00Z";

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, 7).unwrap()
    }

    #[test]
    fn setting_a_frequency_answers_when_the_next_catch_up_is_due() {
        let dex = Dex::with(ada(Some("2026-12-01T10:00:00Z")));
        let set = set_keep_in_touch(
            &dex,
            &utc(),
            today(),
            "c1",
            KeepInTouchChange::Every(Frequency::Weekly),
        )
        .unwrap();
        assert_eq!(
            set.answer.next_due,
            NaiveDate::from_ymd_opt(2026, 12, 8),
            "a week after the last interaction"
        );
        assert_eq!(
            set.summary,
            "Set Ada Lovelace (c1) to keep in touch weekly. The next catch-up is due 2026-12-08."
        );
        assert!(
            matches!(set.change, AccountChange::ContactSaved(ref c) if c.keep_in_touch == Some(KeepInTouch::of(Frequency::Weekly)))
        );

        let never =
            set_keep_in_touch(&dex, &utc(), today(), "c1", KeepInTouchChange::Never).unwrap();
        assert_eq!(never.answer.next_due, None);
        assert!(never.answer.contact.never_keep_in_touch);
    }

    #[test]
    fn a_bad_id_is_refused_before_any_request() {
        let dex = Dex::default();
        let err =
            set_keep_in_touch(&dex, &utc(), today(), "  ", KeepInTouchChange::Never).unwrap_err();
        assert_eq!(err.field.as_deref(), Some("contact_id"));
        assert!(dex.writes.borrow().is_empty());
    }

    #[test]
    fn marking_kept_in_touch_sets_the_last_seen_time_and_moves_the_next_due_day() {
        let dex = Dex::with(ada(Some("2026-10-01T10:00:00Z")));
        let kept = mark_kept_in_touch(&dex, &dex, &utc(), &clock_at(NOW), "c1", None).unwrap();
        assert_eq!(
            dex.writes.borrow()[0].last_seen_at.as_deref(),
            Some("2026-12-07T15:00:00Z")
        );
        assert_eq!(kept.answer.next_due, NaiveDate::from_ymd_opt(2027, 1, 6));
        assert!(
            kept.summary
                .starts_with("Marked Ada Lovelace (c1) kept in touch on 2026-12-07.")
        );

        let on_a_day =
            mark_kept_in_touch(&dex, &dex, &utc(), &clock_at(NOW), "c1", Some("2026-12-07"));
        assert!(on_a_day.is_ok());
        assert_eq!(
            dex.writes.borrow()[1].last_seen_at.as_deref(),
            Some("2026-12-07T12:00:00Z")
        );
    }

    #[test]
    fn the_last_seen_time_never_moves_back_and_the_future_is_refused() {
        let dex = Dex::with(ada(Some("2026-12-05T10:00:00Z")));
        let earlier =
            mark_kept_in_touch(&dex, &dex, &utc(), &clock_at(NOW), "c1", Some("2026-11-20"))
                .unwrap();
        assert!(
            earlier.summary.starts_with("Nothing changed"),
            "{}",
            earlier.summary
        );
        assert!(dex.writes.borrow().is_empty());

        let future =
            mark_kept_in_touch(&dex, &dex, &utc(), &clock_at(NOW), "c1", Some("2026-12-08"))
                .unwrap_err();
        assert_eq!(future.field.as_deref(), Some("on"));
        let garbled =
            mark_kept_in_touch(&dex, &dex, &utc(), &clock_at(NOW), "c1", Some("yesterday"))
                .unwrap_err();
        assert_eq!(garbled.field.as_deref(), Some("on"));
        assert!(dex.writes.borrow().is_empty());
    }

    #[test]
    fn who_to_reach_out_to_pages_the_due_contacts_and_checks_its_arguments_first() {
        let contacts: Vec<Arc<Contact>> = (0..30)
            .map(|i| {
                Arc::new(Contact {
                    id: format!("c{i:02}"),
                    full_name: format!("Person {i:02}"),
                    keep_in_touch: Some(KeepInTouch::of(Frequency::Weekly)),
                    last_seen_at: Some(format!("2026-11-{:02}T09:00:00Z", i % 28 + 1).into()),
                    ..Contact::default()
                })
            })
            .collect();
        let (account, reads) = counted(Snapshot {
            contacts,
            ..Snapshot::default()
        });
        let clock = clock_at(NOW);
        for bad in [
            WhoArgs {
                within_days: Some(366),
                ..WhoArgs::default()
            },
            WhoArgs {
                max_results: Some(0),
                ..WhoArgs::default()
            },
            WhoArgs {
                cursor: Some("not a cursor".into()),
                ..WhoArgs::default()
            },
        ] {
            assert!(who_to_reach_out_to(&account, &clock, &bad).is_err());
        }
        assert_eq!(reads.get(), 0, "bad arguments read nothing");

        let first = who_to_reach_out_to(
            &account,
            &clock,
            &WhoArgs {
                max_results: Some(10),
                ..WhoArgs::default()
            },
        )
        .unwrap();
        // Seen on Nov 1 to 28, weekly: all due by Dec 5.
        assert_eq!(first.contacts.total, 30);
        assert_eq!(first.contacts.items.len(), 10);
        let days: Vec<i64> = first
            .contacts
            .items
            .iter()
            .map(|d| d.days_overdue)
            .collect();
        assert!(days.windows(2).all(|w| w[0] >= w[1]), "{days:?}");
        let second = who_to_reach_out_to(
            &account,
            &clock,
            &WhoArgs {
                max_results: Some(10),
                cursor: first.contacts.next_cursor.clone(),
                ..WhoArgs::default()
            },
        )
        .unwrap();
        assert!(second.summary.contains("30 contacts"), "{}", second.summary);
        assert_ne!(
            first.contacts.items[0].contact.id,
            second.contacts.items[0].contact.id
        );
    }
}
