//! The `search` interface (`wit/search.wit`).
//! `search-contacts-full-text`: find people by anything written about them.
//!
//! Where `find-contact` resolves a described person, this tool answers
//! "who did I talk to about the seed round?": it searches contacts' names,
//! emails, companies, titles and descriptions, every note and every
//! reminder, and returns each hit with the contacts it concerns.
//!
//! A hit names its contacts in a [`ContactSummary`] (id, name, company,
//! title, first email), not in full: a search for a common name touches
//! a hundred people, and their phones, links and descriptions would fill
//! the assistant's context and cost most of the call's time to carry
//! across the component boundary. `get-contact-details` gives the rest.
//! Answers are capped like the history tools' lists ([`crate::paging`]):
//! at most `max-results` hits and about [`ANSWER_BUDGET_CHARS`] characters,
//! with a cursor for the following hits.
//!
//! The adapter only validates arguments and shapes the answer; it takes an
//! already built [`SearchIndex`] and the gaps of the snapshot it came from,
//! so the caller decides whether that index is fresh or cached.

use crate::model::{Contact, ToolError};
use crate::paging::{
    ANSWER_BUDGET_CHARS, Cursor, JsonSize, field_size, list_field_size, optional_field_size,
    page_of_rest,
};
use crate::search::{Field, Record, RecordKind, SearchHit, SearchIndex, SearchQuery};
use crate::snapshot::{ListFailure, Needs};

/// The tool's name in the cursors it hands out, so that another tool's
/// cursor is refused.
const TOOL: &str = "search-contacts-full-text";

/// What the search's answer is built from: everything, so a part of the
/// account not read whole is always said.
pub const SEARCH_NEEDS: Needs = Needs::ALL;

/// Hits returned when the caller does not say.
pub const DEFAULT_MAX_RESULTS: u32 = 10;
/// The most hits one call may ask for: more would crowd the assistant's
/// context window without helping it choose.
pub const MAX_RESULTS_LIMIT: u32 = 100;
/// Hits below this confidence are left out when the caller does not say:
/// low enough to keep a one-typo match of a one-word query (60), high
/// enough to drop hits that matched one word of four.
pub const DEFAULT_MIN_CONFIDENCE: u8 = 30;

/// The arguments of `search-contacts-full-text`, as the assistant sent them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FullTextArgs {
    /// The words to look for.
    pub query: String,
    /// At most this many hits (1-100, default 10).
    pub max_results: Option<u32>,
    /// Least confidence, 0-100 (default 30).
    pub min_confidence: Option<u8>,
    /// Which kinds of record to search; all when absent.
    pub include_types: Option<Vec<RecordKind>>,
    /// The `next_cursor` of a previous answer to the same arguments, to
    /// continue after its hits; absent for the best hits.
    pub cursor: Option<String>,
}

/// A contact as a hit names it: enough for the assistant to tell two
/// people of the same name apart and to ask `get-contact-details` for the
/// rest, without carrying every phone, link and description.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ContactSummary {
    /// Dex's id of the contact.
    pub id: String,
    /// The display name.
    pub full_name: String,
    /// Employer, when known.
    pub company: Option<String>,
    /// Job title, when known.
    pub job_title: Option<String>,
    /// The first of the contact's email addresses (Dex ranks them).
    pub email: Option<String>,
    /// The names of the contact's tags.
    pub tags: Vec<String>,
}

impl ContactSummary {
    /// The summary of `contact`, copying only the fields it keeps.
    pub fn of(contact: &Contact) -> Self {
        Self {
            id: contact.id.clone(),
            full_name: contact.full_name.clone(),
            company: contact.company.clone(),
            job_title: contact.job_title.clone(),
            email: contact.emails.first().map(|entry| entry.email.clone()),
            tags: contact
                .tags
                .iter()
                .map(|tag| tag.name.to_string())
                .collect(),
        }
    }
}

impl JsonSize for ContactSummary {
    fn json_size(&self) -> usize {
        // Braces, and the comma before the next contact.
        const FRAME: usize = 3;
        FRAME
            + field_size("id", &self.id)
            + field_size("full_name", &self.full_name)
            + optional_field_size("company", &self.company)
            + optional_field_size("job_title", &self.job_title)
            + optional_field_size("email", &self.email)
            + list_field_size("tags", &self.tags)
    }
}

/// One record that matched, as the answer gives it.
#[derive(Debug, Clone, PartialEq)]
pub struct FullTextHit {
    /// What kind of record matched.
    pub kind: RecordKind,
    /// Dex's id of the record.
    pub id: String,
    /// The contact for a contact hit; the contacts a note or reminder is
    /// about (those present in the account).
    pub contacts: Vec<ContactSummary>,
    /// The field that contributed most to the score.
    pub field: Field,
    /// How well the query matched, 0-100.
    pub confidence: u8,
    /// The matched field around the first match, matches in `**bold**`.
    pub snippet: String,
    /// A note's event time, or a reminder's due date (else due time).
    pub date: Option<String>,
}

impl FullTextHit {
    /// The hit as answered: its contacts summarised from the shared
    /// records, never cloned whole.
    pub fn of(hit: SearchHit) -> Self {
        let date = match &hit.record {
            Record::Contact(_) => None,
            Record::Note(note) => note.event_time.as_ref().map(String::from),
            Record::Reminder(reminder) => reminder
                .due_date
                .as_ref()
                .or(reminder.due_time.as_ref())
                .map(String::from),
        };
        Self {
            kind: hit.record.kind(),
            id: hit.record.id().to_owned(),
            contacts: hit
                .contacts
                .iter()
                .map(|contact| ContactSummary::of(contact))
                .collect(),
            field: hit.field,
            confidence: hit.confidence,
            snippet: hit.snippet,
            date,
        }
    }
}

impl JsonSize for FullTextHit {
    fn json_size(&self) -> usize {
        // Braces and the comma before the next hit, and the fields that
        // are not free text at their longest: `"kind":"reminders",`,
        // `"contacts":[],`, `"matched_field":"description",`,
        // `"confidence":100,`.
        const FRAME: usize = 3 + 19 + 14 + 30 + 17;
        FRAME
            + field_size("id", &self.id)
            + field_size("snippet", &self.snippet)
            + optional_field_size("date", &self.date)
            + self.contacts.iter().map(JsonSize::json_size).sum::<usize>()
    }
}

/// The answer.
#[derive(Debug, Clone, PartialEq)]
pub struct FullTextResults {
    /// Best first: this page of them.
    pub hits: Vec<FullTextHit>,
    /// Pass back as `cursor` for the following hits; `None` when no more
    /// match.
    pub next_cursor: Option<String>,
    /// The lists that could not be read in full: when not empty, the
    /// search did not see the whole account.
    pub incomplete: Vec<ListFailure>,
    /// One sentence for the assistant.
    pub summary: String,
}

/// Arguments checked and defaulted, ready to search with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidArgs {
    /// The trimmed query, with at least one word.
    pub query: String,
    /// 1 to [`MAX_RESULTS_LIMIT`].
    pub max_results: usize,
    /// 0 to 100.
    pub min_confidence: u8,
    /// At least one kind.
    pub kinds: Vec<RecordKind>,
    /// Where this page starts.
    pub cursor: Cursor,
}

impl FullTextArgs {
    /// Checks the arguments and fills in defaults. Cheap, so a caller can
    /// refuse bad arguments before reading the account.
    pub fn validate(&self) -> Result<ValidArgs, ToolError> {
        let query = self.query.trim();
        if crate::search::fold::terms(query).is_empty() {
            return Err(ToolError::validation(
                "query",
                "the query has no words to search for; pass a name, company or words from a note, like `seed round`",
            ));
        }
        let max_results = self.max_results.unwrap_or(DEFAULT_MAX_RESULTS);
        if !(1..=MAX_RESULTS_LIMIT).contains(&max_results) {
            return Err(ToolError::validation(
                "max-results",
                format!("max-results is {max_results}; pass 1 to {MAX_RESULTS_LIMIT}"),
            ));
        }
        let min_confidence = self.min_confidence.unwrap_or(DEFAULT_MIN_CONFIDENCE);
        if min_confidence > 100 {
            return Err(ToolError::validation(
                "min-confidence",
                format!("min-confidence is {min_confidence}; it is a percentage, 0 to 100"),
            ));
        }
        let kinds = match &self.include_types {
            None => RecordKind::ALL.to_vec(),
            Some(kinds) if kinds.is_empty() => {
                return Err(ToolError::validation(
                    "include-types",
                    "include-types is empty, so nothing would be searched; leave it out to search contacts, notes and reminders",
                ));
            }
            Some(kinds) => kinds.clone(),
        };
        let cursor = match &self.cursor {
            None => Cursor::start(TOOL),
            Some(raw) => Cursor::parse(TOOL, "cursor", raw)?,
        };
        Ok(ValidArgs {
            query: query.to_owned(),
            max_results: max_results as usize,
            min_confidence,
            kinds,
            cursor,
        })
    }
}

/// Searches `index` for `args`; `gaps` are the failures of the snapshot the
/// index was built from, passed on so an incomplete search says so.
pub fn search_contacts_full_text(
    index: &SearchIndex,
    gaps: &[ListFailure],
    args: &FullTextArgs,
) -> Result<FullTextResults, ToolError> {
    let ValidArgs {
        query,
        max_results,
        min_confidence,
        kinds,
        cursor,
    } = args.validate()?;
    let query = query.as_str();
    if gaps.len() >= crate::dex::ListKind::ALL.len() {
        // Nothing was read at all: an empty answer would look like "no
        // match" when it is "no data", so fail with the first reason.
        let first = &gaps[0].error;
        return Err(ToolError {
            message: format!("could not read the account from Dex: {}", first.message),
            ..first.clone()
        });
    }
    // The index ranks the hits before this page too, but builds only the
    // page's, and one more to know whether another page follows. Its
    // order is total (equal scores fall back on a stable per-record
    // tie-break), so the best `n + 1` begin with the best `n` and each
    // page starts where the previous one stopped.
    let found = index.search(&SearchQuery {
        text: query,
        max_results: max_results.saturating_add(1),
        skip: cursor.offset(),
        min_confidence,
        kinds: &kinds,
    });
    let total = cursor.offset().saturating_add(found.len());
    let page = page_of_rest(
        found.into_iter().map(FullTextHit::of),
        total,
        cursor,
        max_results,
        ANSWER_BUDGET_CHARS,
    );
    let mut summary = match (page.items.len(), cursor.offset()) {
        (0, 0) => format!(
            "Nothing in the account matches `{query}` with confidence {min_confidence} or more."
        ),
        (0, before) => format!("No more matches for `{query}` after the first {before}."),
        (1, 0) if page.next_cursor.is_none() => format!("1 match for `{query}`."),
        (n, 0) if page.next_cursor.is_none() => format!("{n} matches for `{query}`, best first."),
        (n, 0) => format!("The best {n} matches for `{query}`."),
        (n, before) => format!(
            "Matches {} to {} for `{query}`, best first.",
            before + 1,
            before + n
        ),
    };
    if page.next_cursor.is_some() {
        summary.push_str(
            " More follow: call again with the same arguments and cursor set to next_cursor.",
        );
    }
    for gap in gaps {
        summary.push_str(&format!(
            " The {} list could not be read in full ({} pages read: {}), so matches in it may be missing.",
            gap.list.noun(),
            gap.pages_read,
            gap.error.message
        ));
    }
    Ok(FullTextResults {
        hits: page.items,
        next_cursor: page.next_cursor,
        incomplete: gaps.to_vec(),
        summary,
    })
}

/// The `search` export: WIT values into [`FullTextArgs`] and out of
/// [`FullTextResults`]; compiled for the component only.
#[cfg(target_arch = "wasm32")]
pub(crate) mod export {
    use crate::component::Component;
    use crate::component::bindings::dex::crm::types as wit;
    use crate::component::bindings::exports::dex::crm::search as wit_search;
    use crate::component::convert::tool_error;
    use crate::component::state::account;
    use crate::dex;
    use crate::settings::Settings;

    impl wit_search::Guest for Component {
        fn search_contacts_full_text(
            query: String,
            max_results: Option<u32>,
            min_confidence: Option<u8>,
            include_types: Option<Vec<wit_search::RecordKind>>,
            cursor: Option<String>,
        ) -> Result<wit_search::SearchResults, wit::ToolError> {
            use crate::search::RecordKind as K;
            use wit_search::RecordKind as W;
            let kind_in = |k: W| match k {
                W::Contacts => K::Contact,
                W::Notes => K::Note,
                W::Reminders => K::Reminder,
            };
            let kind_out = |k: K| match k {
                K::Contact => W::Contacts,
                K::Note => W::Notes,
                K::Reminder => W::Reminders,
            };
            let args = super::FullTextArgs {
                query,
                max_results,
                min_confidence,
                include_types: include_types.map(|kinds| kinds.into_iter().map(kind_in).collect()),
                cursor,
            };
            // Refuse bad arguments before reading the whole account.
            args.validate().map_err(tool_error)?;
            let settings = Settings::from_env().map_err(tool_error)?;
            let account = account(&settings).map_err(tool_error)?;
            let found = super::search_contacts_full_text(
                account.search_index(),
                &account.snapshot.failures,
                &args,
            )
            .map_err(tool_error)?;
            Ok(wit_search::SearchResults {
                hits: found
                    .hits
                    .into_iter()
                    .map(|hit| wit_search::SearchHit {
                        kind: kind_out(hit.kind),
                        id: hit.id,
                        contacts: hit.contacts.into_iter().map(contact_summary).collect(),
                        matched_field: matched_field(hit.field),
                        confidence: hit.confidence,
                        snippet: hit.snippet,
                        date: hit.date,
                    })
                    .collect(),
                incomplete: found
                    .incomplete
                    .into_iter()
                    .map(|gap| wit_search::IncompleteList {
                        kind: match gap.list {
                            dex::ListKind::Contacts => W::Contacts,
                            dex::ListKind::Notes => W::Notes,
                            dex::ListKind::Reminders => W::Reminders,
                        },
                        pages_read: u32::try_from(gap.pages_read).unwrap_or(u32::MAX),
                        error: tool_error(gap.error),
                    })
                    .collect(),
                next_cursor: found.next_cursor,
                summary: found.summary,
                incomplete_reason: account.snapshot.incomplete_reason(&super::SEARCH_NEEDS),
            })
        }
    }

    pub(crate) fn contact_summary(summary: super::ContactSummary) -> wit_search::ContactSummary {
        wit_search::ContactSummary {
            id: summary.id,
            full_name: summary.full_name,
            company: summary.company,
            job_title: summary.job_title,
            email: summary.email,
            tags: summary.tags,
        }
    }

    fn matched_field(field: crate::search::Field) -> wit_search::MatchedField {
        use crate::search::Field as F;
        use wit_search::MatchedField as M;
        match field {
            F::Name => M::Name,
            F::Email => M::Email,
            F::Company => M::Company,
            F::JobTitle => M::JobTitle,
            F::Description => M::Description,
            F::Tags => M::Tags,
            F::Groups => M::Groups,
            F::CustomFields => M::CustomFields,
            F::NoteText => M::Note,
            F::ReminderText => M::Reminder,
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::dex::ListKind;
    use crate::model::{EmailEntry, ErrorKind, Note, PhoneEntry};

    fn index() -> SearchIndex {
        SearchIndex::from_records([
            Record::Contact(Arc::new(Contact {
                id: "c1".into(),
                full_name: "Ada Lovelace".into(),
                ..Contact::default()
            })),
            Record::Note(Arc::new(Note {
                id: "n1".into(),
                text: "Seed round talk with Ada".into(),
                contact_ids: vec!["c1".into()],
                ..Note::default()
            })),
        ])
    }

    fn args(query: &str) -> FullTextArgs {
        FullTextArgs {
            query: query.into(),
            ..FullTextArgs::default()
        }
    }

    fn failure(list: ListKind) -> ListFailure {
        ListFailure {
            list,
            pages_read: 3,
            error: ToolError::new(ErrorKind::RateLimited, "Dex is rate limiting requests"),
        }
    }

    #[test]
    fn finds_a_note_and_names_its_contact() {
        let found = search_contacts_full_text(&index(), &[], &args("seed round")).unwrap();
        assert_eq!(found.hits.len(), 1);
        assert_eq!(found.hits[0].contacts[0].full_name, "Ada Lovelace");
        assert!(found.incomplete.is_empty());
        assert!(found.summary.starts_with("1 match"), "{}", found.summary);
    }

    /// `count` contacts all named Robert Smith, each with an employer of
    /// `company_chars` characters, so that their hits are equally good and
    /// large.
    fn namesakes(count: usize, company_chars: usize) -> SearchIndex {
        SearchIndex::from_records((0..count).map(|i| {
            Record::Contact(Arc::new(Contact {
                id: format!("c{i:03}"),
                full_name: "Robert Smith".into(),
                company: Some(format!("{i} {}", "x".repeat(company_chars))),
                ..Contact::default()
            }))
        }))
    }

    fn paged(max_results: u32, cursor: Option<String>) -> FullTextArgs {
        FullTextArgs {
            max_results: Some(max_results),
            cursor,
            ..args("robert smith")
        }
    }

    fn ids(hits: &[FullTextHit]) -> Vec<String> {
        hits.iter().map(|h| h.id.clone()).collect()
    }

    /// Every page of a search, following the cursors from the first.
    fn every_page(index: &SearchIndex, max_results: u32) -> Vec<FullTextResults> {
        let mut pages =
            vec![search_contacts_full_text(index, &[], &paged(max_results, None)).unwrap()];
        while let Some(next) = pages.last().unwrap().next_cursor.clone() {
            assert!(pages.len() < 100, "the cursors never end");
            pages.push(
                search_contacts_full_text(index, &[], &paged(max_results, Some(next))).unwrap(),
            );
        }
        pages
    }

    #[test]
    fn hits_name_their_contacts_by_id_name_company_title_and_first_email() {
        let ada = Contact {
            id: "c1".into(),
            full_name: "Ada Lovelace".into(),
            company: Some("Analytical Engines".into()),
            job_title: Some("Mathematician".into()),
            description: Some("Wrote the first program".into()),
            emails: vec![
                EmailEntry {
                    email: "ada@engines.example".into(),
                    label: None,
                },
                EmailEntry {
                    email: "ada@home.example".into(),
                    label: None,
                },
            ],
            phones: vec![PhoneEntry {
                number: "+44 20 7946 0000".into(),
                label: None,
            }],
            tags: vec![crate::model::Label {
                id: "t1".into(),
                name: "Pioneers".into(),
            }],
            ..Contact::default()
        };
        let index = SearchIndex::from_records([
            Record::Contact(Arc::new(ada)),
            Record::Note(Arc::new(Note {
                id: "n1".into(),
                text: "Seed round talk".into(),
                contact_ids: vec!["c1".into()],
                ..Note::default()
            })),
        ]);
        let expected = ContactSummary {
            id: "c1".into(),
            full_name: "Ada Lovelace".into(),
            company: Some("Analytical Engines".into()),
            job_title: Some("Mathematician".into()),
            email: Some("ada@engines.example".into()),
            tags: vec!["Pioneers".into()],
        };
        let by_name = search_contacts_full_text(&index, &[], &args("lovelace")).unwrap();
        assert_eq!(by_name.hits[0].kind, RecordKind::Contact);
        assert_eq!(by_name.hits[0].contacts, vec![expected.clone()]);
        let by_note = search_contacts_full_text(&index, &[], &args("seed round")).unwrap();
        assert_eq!(by_note.hits[0].id, "n1");
        assert_eq!(by_note.hits[0].contacts, vec![expected]);
        let nobody = ContactSummary::of(&Contact {
            id: "c2".into(),
            full_name: "Nobody".into(),
            ..Contact::default()
        });
        assert_eq!(nobody.email, None);
    }

    #[test]
    fn a_long_answer_stops_near_the_budget_and_its_cursor_gives_the_rest_in_order() {
        // 60 hits of about 700 characters: about 34 fit the budget.
        let index = namesakes(60, 600);
        let pages = every_page(&index, 100);
        assert!(pages.len() >= 2, "{}", pages[0].summary);
        for page in &pages[..pages.len() - 1] {
            let size: usize = page.hits.iter().map(JsonSize::json_size).sum();
            assert!(size <= ANSWER_BUDGET_CHARS, "{size} characters");
            assert!(page.hits.len() < 100);
            assert!(
                page.summary.contains("cursor set to next_cursor"),
                "{}",
                page.summary
            );
        }
        let paged: Vec<String> = pages.iter().flat_map(|p| ids(&p.hits)).collect();
        let at_once: Vec<String> = index
            .search(&SearchQuery {
                text: "robert smith",
                max_results: 1_000,
                skip: 0,
                min_confidence: DEFAULT_MIN_CONFIDENCE,
                kinds: &RecordKind::ALL,
            })
            .iter()
            .map(|h| h.record.id().to_owned())
            .collect();
        assert_eq!(at_once.len(), 60);
        assert_eq!(paged, at_once, "pages overlap, skip or reorder hits");
        assert!(
            pages[1]
                .summary
                .starts_with(&format!("Matches {} to", pages[0].hits.len() + 1)),
            "{}",
            pages[1].summary
        );
    }

    #[test]
    fn a_hits_size_estimate_covers_its_json_closely() {
        let hit = FullTextHit {
            kind: RecordKind::Note,
            id: "47f32000-3e92-4a14-9817-d13d6e4b1f94".into(),
            contacts: vec![
                ContactSummary {
                    id: "8d65160f-6f2a-41b6-bcde-a981c9222870".into(),
                    full_name: "Ingrid Lindqvist".into(),
                    company: Some("Papillon \"Studio\"".into()),
                    job_title: Some("Head of Design".into()),
                    email: Some("ingrid@papillon.studio".into()),
                    tags: vec!["Design \"Circle\"".into(), "Friends".into()],
                },
                ContactSummary {
                    id: "535e0d26-05c1-4eba-95bd-0c76870b08b4".into(),
                    full_name: "Kenji Itō".into(),
                    ..ContactSummary::default()
                },
            ],
            field: Field::NoteText,
            confidence: 100,
            snippet: "**Coffee** with Ingrid at Monmouth **Coffee** in København.".into(),
            date: Some("2026-04-05T09:30:00.000Z".into()),
        };
        // The shape the host gives it: absent options left out.
        let json = serde_json::json!({
            "kind": "notes",
            "id": hit.id,
            "contacts": [
                {
                    "id": hit.contacts[0].id,
                    "full_name": hit.contacts[0].full_name,
                    "company": hit.contacts[0].company,
                    "job_title": hit.contacts[0].job_title,
                    "email": hit.contacts[0].email,
                    "tags": hit.contacts[0].tags,
                },
                { "id": hit.contacts[1].id, "full_name": hit.contacts[1].full_name, "tags": [] },
            ],
            "matched_field": "note",
            "confidence": 100,
            "snippet": hit.snippet,
            "date": hit.date,
        })
        .to_string()
        .len();
        let estimate = hit.json_size();
        assert!(
            (json..=json + 40).contains(&estimate),
            "estimated {estimate} for {json} characters"
        );
    }

    #[test]
    fn one_hit_larger_than_the_budget_still_makes_a_page() {
        let index = namesakes(3, ANSWER_BUDGET_CHARS * 2);
        let first = search_contacts_full_text(&index, &[], &paged(10, None)).unwrap();
        assert_eq!(first.hits.len(), 1);
        assert!(first.next_cursor.is_some());
    }

    #[test]
    fn max_results_bounds_every_page() {
        let index = namesakes(20, 10);
        let pages = every_page(&index, 7);
        let sizes: Vec<usize> = pages.iter().map(|p| p.hits.len()).collect();
        assert_eq!(sizes, vec![7, 7, 6]);
        assert_eq!(pages[2].next_cursor, None);
        assert!(
            pages[2].summary.starts_with("Matches 15 to 20"),
            "{}",
            pages[2].summary
        );
        let all = search_contacts_full_text(&index, &[], &paged(20, None)).unwrap();
        assert_eq!(all.hits.len(), 20);
        assert_eq!(all.next_cursor, None, "no cursor when nothing more matches");
        assert!(all.summary.starts_with("20 matches"), "{}", all.summary);
    }

    #[test]
    fn a_cursor_of_another_tool_or_garbage_is_refused_naming_the_field() {
        let index = namesakes(5, 10);
        for foreign in [
            "get-contact-notes.3",
            "upcoming-reminders.1",
            "3",
            "search-contacts-full-text.x",
        ] {
            let err = search_contacts_full_text(&index, &[], &paged(2, Some(foreign.into())))
                .unwrap_err();
            assert_eq!(err.kind, ErrorKind::Validation, "{foreign}");
            assert_eq!(err.field.as_deref(), Some("cursor"), "{foreign}");
            assert!(
                err.message.contains("search_contacts_full_text"),
                "{}",
                err.message
            );
        }
    }

    #[test]
    fn a_cursor_past_the_last_hit_answers_that_nothing_more_matches() {
        let index = namesakes(5, 10);
        let past = FullTextArgs {
            cursor: Some("search-contacts-full-text.9".into()),
            ..args("robert smith")
        };
        let found = search_contacts_full_text(&index, &[], &past).unwrap();
        assert!(found.hits.is_empty());
        assert_eq!(found.next_cursor, None);
        assert!(
            found.summary.starts_with("No more matches"),
            "{}",
            found.summary
        );
    }

    #[test]
    fn a_query_without_words_is_refused_naming_the_field() {
        let err = search_contacts_full_text(&index(), &[], &args(" ?! ")).unwrap_err();
        assert_eq!(err.field.as_deref(), Some("query"));
    }

    #[test]
    fn out_of_range_limits_and_empty_type_lists_are_refused() {
        let too_many = FullTextArgs {
            max_results: Some(500),
            ..args("ada")
        };
        let err = search_contacts_full_text(&index(), &[], &too_many).unwrap_err();
        assert_eq!(err.field.as_deref(), Some("max_results"));
        let no_types = FullTextArgs {
            include_types: Some(vec![]),
            ..args("ada")
        };
        let err = search_contacts_full_text(&index(), &[], &no_types).unwrap_err();
        assert_eq!(err.field.as_deref(), Some("include_types"));
    }

    #[test]
    fn a_partial_snapshot_is_reported_in_the_answer() {
        let found =
            search_contacts_full_text(&index(), &[failure(ListKind::Notes)], &args("ada")).unwrap();
        assert_eq!(found.incomplete.len(), 1);
        assert!(
            found.summary.contains("notes list could not be read"),
            "{}",
            found.summary
        );
    }

    #[test]
    fn an_account_that_could_not_be_read_at_all_is_an_error() {
        let gaps: Vec<_> = ListKind::ALL.into_iter().map(failure).collect();
        let err =
            search_contacts_full_text(&SearchIndex::default(), &gaps, &args("ada")).unwrap_err();
        assert_eq!(err.kind, ErrorKind::RateLimited);
    }
}
