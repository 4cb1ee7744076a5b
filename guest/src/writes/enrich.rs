//! `enrich-contact`'s plan: which of the values given are new, which the
//! contact already has, and which cannot be written without losing
//! something, each with its reason.
//!
//! Values are compared the way the rest of the guest identifies them:
//! emails folded ([`EmailAddress`]), phones on their significant digits
//! ([`PhoneNumber`]), social links on network and handle
//! ([`SocialProfile`]), single fields ignoring case and surrounding
//! spaces. A field that is already set is never overwritten: a different
//! value is reported as ignored, for the user to decide with
//! `update-contact`.

use super::input::date;
use crate::model::{
    Contact, ContactFields, EmailAddress, EmailEntry, PhoneEntry, PhoneMatch, PhoneNumber,
    SocialLink, SocialProfile,
};

/// The values to add, as the assistant sent them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EnrichRequest {
    /// Email addresses.
    pub emails: Vec<String>,
    /// Phone numbers.
    pub phones: Vec<String>,
    /// Social profile links.
    pub social_links: Vec<String>,
    /// Employer.
    pub company: Option<String>,
    /// Job title.
    pub job_title: Option<String>,
    /// Free-text "about".
    pub description: Option<String>,
    /// Personal website.
    pub website: Option<String>,
    /// `YYYY-MM-DD`.
    pub birthday: Option<String>,
}

/// One value and what became of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnrichItem {
    /// The argument it came in (`emails`, `company`, ...).
    pub field: &'static str,
    /// The value as given.
    pub value: String,
    /// Why it is already present or ignored; `None` when added.
    pub reason: Option<String>,
}

/// What to write, and the report of every value given.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EnrichPlan {
    /// The update to send; empty when nothing is new.
    pub changes: ContactFields,
    /// Values that will be written.
    pub added: Vec<EnrichItem>,
    /// Values the contact already has.
    pub already_present: Vec<EnrichItem>,
    /// Values not written, and why.
    pub ignored: Vec<EnrichItem>,
}

impl EnrichPlan {
    fn add(&mut self, field: &'static str, value: &str) {
        self.added.push(item(field, value, None));
    }
    fn present(&mut self, field: &'static str, value: &str, reason: String) {
        self.already_present.push(item(field, value, Some(reason)));
    }
    fn ignore(&mut self, field: &'static str, value: &str, reason: String) {
        self.ignored.push(item(field, value, Some(reason)));
    }

    /// Stops writing the values of `field` (a field name as a writer's
    /// validation error gives it: `company`, `social_links.tiktok`, ...),
    /// reporting them as ignored for `reason`. For a writer that cannot
    /// store the field at all (the legacy API has no company), so the
    /// other values are still written. False when nothing was planned for
    /// `field`.
    pub fn refuse(&mut self, field: &str, reason: &str) -> bool {
        let network = field.strip_prefix("social_links.");
        let refused = |item: &EnrichItem| match network {
            Some(network) => {
                item.field == "social_links"
                    && SocialProfile::parse("social_links", &item.value)
                        .ok()
                        .and_then(|p| p.network())
                        .is_some_and(|n| n.field() == network)
            }
            None => item.field == field,
        };
        let (moved, kept): (Vec<_>, Vec<_>) = std::mem::take(&mut self.added)
            .into_iter()
            .partition(|item| refused(item));
        self.added = kept;
        if moved.is_empty() {
            return false;
        }
        match network {
            Some(network) => self
                .changes
                .social_links
                .retain(|l| l.network.field() != network),
            None => match field {
                "emails" => self.changes.emails = None,
                "phones" => self.changes.phones = None,
                _ => *single_slot(&mut self.changes, field) = None,
            },
        }
        self.ignored
            .extend(moved.into_iter().map(|item| EnrichItem {
                reason: Some(reason.to_owned()),
                ..item
            }));
        true
    }

    /// One sentence for the assistant.
    pub fn summary(&self, name: &str) -> String {
        format!(
            "{} added to {name}, {} already there, {} ignored{}.",
            self.added.len(),
            self.already_present.len(),
            self.ignored.len(),
            if self.ignored.is_empty() {
                ""
            } else {
                " (see `ignored` for why; update_contact replaces a set field)"
            }
        )
    }
}

fn item(field: &'static str, value: &str, reason: Option<String>) -> EnrichItem {
    EnrichItem {
        field,
        value: value.trim().to_owned(),
        reason,
    }
}

/// Plans enriching `contact` with `request`.
pub fn plan(contact: &Contact, request: &EnrichRequest) -> EnrichPlan {
    let mut plan = EnrichPlan::default();
    plan_emails(&mut plan, contact, &request.emails);
    plan_phones(&mut plan, contact, &request.phones);
    plan_social_links(&mut plan, contact, &request.social_links);
    let singles: [(&'static str, &Option<String>, &Option<String>); 5] = [
        ("company", &request.company, &contact.company),
        ("job_title", &request.job_title, &contact.job_title),
        ("description", &request.description, &contact.description),
        ("website", &request.website, &contact.website),
        ("birthday", &request.birthday, &contact.birthday),
    ];
    for (field, given, current) in singles {
        let Some(given) = given else { continue };
        let value = given.trim();
        if value.is_empty() {
            plan.ignore(field, given, "it is empty".into());
            continue;
        }
        if field == "birthday"
            && let Err(e) = date(field, value)
        {
            plan.ignore(field, given, e.message);
            continue;
        }
        match current.as_deref().map(str::trim).filter(|c| !c.is_empty()) {
            None => {
                set_single(&mut plan.changes, field, value.to_owned());
                plan.add(field, given);
            }
            Some(current) if current.to_lowercase() == value.to_lowercase() => {
                plan.present(field, given, format!("{field} is already `{current}`"));
            }
            Some(current) => plan.ignore(
                field,
                given,
                format!(
                    "{field} is already set to `{current}`; it is kept (use update_contact to replace it)"
                ),
            ),
        }
    }
    plan
}

fn single_slot<'a>(changes: &'a mut ContactFields, field: &str) -> &'a mut Option<String> {
    match field {
        "company" => &mut changes.company,
        "job_title" => &mut changes.job_title,
        "description" => &mut changes.description,
        "website" => &mut changes.website,
        _ => &mut changes.birthday,
    }
}

fn set_single(changes: &mut ContactFields, field: &str, value: String) {
    *single_slot(changes, field) = Some(value);
}

fn plan_emails(plan: &mut EnrichPlan, contact: &Contact, given: &[String]) {
    let mut list: Vec<EmailEntry> = contact.emails.clone();
    let before = list.len();
    for raw in given {
        let address = match EmailAddress::parse("emails", raw) {
            Ok(address) => address,
            Err(e) => {
                plan.ignore("emails", raw, e.message);
                continue;
            }
        };
        match list
            .iter()
            .position(|e| EmailAddress::fold(&e.email) == address.as_str())
        {
            Some(at) if at < before => plan.present(
                "emails",
                raw,
                format!("the contact has `{}`", list[at].email),
            ),
            Some(_) => plan.present("emails", raw, "given twice in this call".into()),
            None => {
                list.push(EmailEntry {
                    email: raw.trim().to_owned(),
                    label: None,
                });
                plan.add("emails", raw);
            }
        }
    }
    if list.len() > before {
        plan.changes.emails = Some(list);
    }
}

fn plan_phones(plan: &mut EnrichPlan, contact: &Contact, given: &[String]) {
    let mut list: Vec<PhoneEntry> = contact.phones.clone();
    let before = list.len();
    for raw in given {
        let number = match PhoneNumber::parse("phones", raw) {
            Ok(number) => number,
            Err(e) => {
                plan.ignore("phones", raw, e.message);
                continue;
            }
        };
        let known = list.iter().enumerate().find_map(|(at, stored)| {
            let digits = PhoneNumber::significant_digits(&stored.number)?;
            match PhoneNumber::compare_stored(number.significant(), &digits) {
                PhoneMatch::Different => None,
                same => Some((at, same)),
            }
        });
        match known {
            Some((at, PhoneMatch::Same)) if at < before => plan.present(
                "phones",
                raw,
                format!("the contact has `{}`, the same number", list[at].number),
            ),
            Some((at, PhoneMatch::SameEnding(_))) if at < before => plan.ignore(
                "phones",
                raw,
                format!(
                    "the contact has `{}`, which ends the same way: probably the same number with or without its area code, so it was not added twice",
                    list[at].number
                ),
            ),
            Some(_) => plan.present("phones", raw, "given twice in this call".into()),
            None => {
                list.push(PhoneEntry {
                    number: raw.trim().to_owned(),
                    label: None,
                });
                plan.add("phones", raw);
            }
        }
    }
    if list.len() > before {
        plan.changes.phones = Some(list);
    }
}

fn plan_social_links(plan: &mut EnrichPlan, contact: &Contact, given: &[String]) {
    for raw in given {
        let profile = match SocialProfile::parse("social_links", raw) {
            Ok(profile) => profile,
            Err(e) => {
                plan.ignore("social_links", raw, e.message);
                continue;
            }
        };
        let Some(network) = profile.network() else {
            plan.ignore(
                "social_links",
                raw,
                "it is not a link to LinkedIn, Twitter/X, Facebook, Instagram, Telegram, TikTok or YouTube, the networks Dex keeps; pass a personal site as website".into(),
            );
            continue;
        };
        let stored = contact
            .social_links
            .iter()
            .chain(&plan.changes.social_links)
            .find(|l| l.network == network)
            .cloned();
        match stored {
            None => {
                plan.changes.social_links.push(SocialLink {
                    network,
                    url: raw.trim().to_owned(),
                });
                plan.add("social_links", raw);
            }
            Some(link)
                if SocialProfile::from_stored(network, &link.url)
                    .is_some_and(|s| profile.identifies(&s)) =>
            {
                plan.present(
                    "social_links",
                    raw,
                    format!("the contact's {} is already `{}`", network.field(), link.url),
                );
            }
            Some(link) => plan.ignore(
                "social_links",
                raw,
                format!(
                    "the contact's {} is already `{}`, another profile; Dex keeps one per network, so it is kept (use update_contact to replace it)",
                    network.field(),
                    link.url
                ),
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::SocialNetwork;

    fn ada() -> Contact {
        Contact {
            id: "c1".into(),
            full_name: "Ada Lovelace".into(),
            company: Some("Engines Ltd".into()),
            emails: vec![EmailEntry {
                email: "Ada@X.org".into(),
                label: Some("work".into()),
            }],
            phones: vec![PhoneEntry {
                number: "+1 (415) 555-0100".into(),
                label: None,
            }],
            social_links: vec![SocialLink {
                network: SocialNetwork::Linkedin,
                url: "https://www.linkedin.com/in/ada/".into(),
            }],
            ..Contact::default()
        }
    }

    fn fields(items: &[EnrichItem]) -> Vec<(&str, &str)> {
        items.iter().map(|i| (i.field, i.value.as_str())).collect()
    }

    #[test]
    fn a_refused_field_moves_to_ignored_and_leaves_the_changes() {
        let request = EnrichRequest {
            social_links: vec![
                "https://www.tiktok.com/@ada".into(),
                "https://twitter.com/ada".into(),
            ],
            website: Some("https://ada.example".into()),
            ..EnrichRequest::default()
        };
        let mut plan = plan(&ada(), &request);
        assert_eq!(plan.added.len(), 3);
        assert!(plan.refuse("social_links.tiktok", "legacy has no tiktok"));
        assert!(plan.refuse("website", "legacy has no website"));
        assert!(!plan.refuse("company", "nothing planned for it"));
        assert_eq!(
            fields(&plan.added),
            [("social_links", "https://twitter.com/ada")]
        );
        assert_eq!(
            fields(&plan.ignored),
            [
                ("social_links", "https://www.tiktok.com/@ada"),
                ("website", "https://ada.example")
            ]
        );
        assert_eq!(plan.changes.website, None);
        let networks: Vec<_> = plan
            .changes
            .social_links
            .iter()
            .map(|l| l.network)
            .collect();
        assert_eq!(networks, [SocialNetwork::Twitter]);
    }

    #[test]
    fn known_values_are_recognised_in_any_spelling() {
        let request = EnrichRequest {
            emails: vec![" ada@x.ORG ".into()],
            phones: vec!["415.555.0100".into()],
            social_links: vec!["linkedin.com/in/Ada".into()],
            company: Some("engines ltd".into()),
            ..EnrichRequest::default()
        };
        let plan = plan(&ada(), &request);
        assert!(plan.added.is_empty(), "{plan:?}");
        assert!(plan.ignored.is_empty(), "{plan:?}");
        assert_eq!(plan.already_present.len(), 4);
        assert!(plan.changes.is_empty());
    }

    #[test]
    fn new_values_are_appended_and_existing_entries_kept() {
        let request = EnrichRequest {
            emails: vec!["ada@home.org".into(), "ADA@home.org".into()],
            phones: vec!["+44 20 7946 0958".into()],
            social_links: vec!["https://x.com/ada".into()],
            job_title: Some("Analyst".into()),
            ..EnrichRequest::default()
        };
        let plan = plan(&ada(), &request);
        assert_eq!(
            fields(&plan.added),
            [
                ("emails", "ada@home.org"),
                ("phones", "+44 20 7946 0958"),
                ("social_links", "https://x.com/ada"),
                ("job_title", "Analyst"),
            ]
        );
        assert_eq!(fields(&plan.already_present), [("emails", "ADA@home.org")]);
        let emails = plan.changes.emails.unwrap();
        assert_eq!(emails[0].label.as_deref(), Some("work"), "old entry kept");
        assert_eq!(emails.len(), 2);
        assert_eq!(plan.changes.phones.unwrap().len(), 2);
        assert_eq!(plan.changes.social_links[0].network, SocialNetwork::Twitter);
        assert_eq!(plan.changes.company, None, "untouched fields are not sent");
    }

    #[test]
    fn nothing_set_is_overwritten_and_every_refusal_says_why() {
        let request = EnrichRequest {
            emails: vec!["not-an-email".into()],
            phones: vec!["555-0100".into()],
            social_links: vec![
                "https://linkedin.com/in/someone-else".into(),
                "https://github.com/ada".into(),
            ],
            company: Some("Analytical Co".into()),
            birthday: Some("1815-13-10".into()),
            ..EnrichRequest::default()
        };
        let plan = plan(&ada(), &request);
        assert!(plan.added.is_empty(), "{plan:?}");
        assert!(plan.changes.is_empty());
        let reasons: Vec<(&str, &str)> = plan
            .ignored
            .iter()
            .map(|i| (i.field, i.reason.as_deref().unwrap()))
            .collect();
        assert_eq!(reasons.len(), 6, "{reasons:#?}");
        assert!(reasons[0].1.contains("no `@`"), "{reasons:?}");
        assert!(reasons[1].1.contains("ends the same way"), "{reasons:?}");
        assert!(reasons[2].1.contains("another profile"), "{reasons:?}");
        assert!(reasons[3].1.contains("networks Dex keeps"), "{reasons:?}");
        assert!(reasons[4].1.contains("`Engines Ltd`"), "{reasons:?}");
        assert!(reasons[5].1.contains("YYYY-MM-DD"), "{reasons:?}");
    }
}
