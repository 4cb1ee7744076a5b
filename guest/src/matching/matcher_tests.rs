//! Behaviour of [`ContactMatcher`] as a whole: each case from the issue,
//! against a small address book.

use std::sync::Arc;

use super::{ContactMatcher, MatchQuery, MatchedField, Scored};
use crate::model::{
    Contact, EmailAddress, EmailEntry, PhoneEntry, PhoneNumber, SocialLink, SocialNetwork,
    SocialProfile,
};

fn person(id: &str, first: &str, last: &str, company: Option<&str>) -> Contact {
    Contact {
        id: id.into(),
        full_name: format!("{first} {last}"),
        first_name: Some(first.into()),
        last_name: Some(last.into()),
        company: company.map(str::to_owned),
        ..Contact::default()
    }
}

fn book() -> ContactMatcher {
    let mut robert = person("robert", "Robert", "Smith", Some("Acme Inc."));
    robert.emails = vec![EmailEntry {
        email: "Robert.Smith@Acme.com".into(),
        label: None,
    }];
    robert.phones = vec![PhoneEntry {
        number: "+1 (415) 555-0100".into(),
        label: None,
    }];
    robert.social_links = vec![SocialLink {
        network: SocialNetwork::Linkedin,
        url: "https://www.linkedin.com/in/rsmith/".into(),
    }];
    let contacts = [
        robert,
        person("roberta", "Roberta", "Smithson", None),
        person("liz", "Elizabeth", "Taylor", Some("MGM")),
        person("jose", "José", "Álvarez", None),
        person("mueller", "Jürgen", "Müller", Some("Siemens AG")),
        person("sasha", "Alexander", "Petrov", None),
        person("sarah-g", "Sarah", "Connor", Some("Google")),
        person("sarah-a", "Sarah", "Jones", Some("Apple")),
        person("john", "John", "Smith", None),
        person("katherine", "Katherine", "Johnson", Some("NASA")),
    ];
    let shared: Vec<Arc<Contact>> = contacts.into_iter().map(Arc::new).collect();
    ContactMatcher::new(&shared)
}

fn top(query: &MatchQuery) -> Scored {
    book()
        .find(query)
        .into_iter()
        .next()
        .unwrap_or_else(|| panic!("nothing found for {query:?}"))
}

fn by_name(name: &str) -> Scored {
    top(&MatchQuery::by_name(name))
}

fn ids(found: &[Scored]) -> Vec<&str> {
    found.iter().map(|s| s.contact.id.as_str()).collect()
}

#[test]
fn exact_email_scores_100_whatever_the_case_and_spaces() {
    let q = MatchQuery {
        email: Some(EmailAddress::parse("email", "  ROBERT.smith@acme.COM ").unwrap()),
        ..MatchQuery::default()
    };
    let found = top(&q);
    assert_eq!(
        (found.contact.id.as_str(), found.confidence),
        ("robert", 100)
    );
    assert_eq!(found.matched_fields, [MatchedField::Email]);
}

#[test]
fn reformatted_phone_scores_100() {
    let q = MatchQuery {
        phone: Some(PhoneNumber::parse("phone", "001 415.555.0100").unwrap()),
        ..MatchQuery::default()
    };
    assert_eq!(top(&q).confidence, 100);
}

#[test]
fn reformatted_linkedin_link_scores_100() {
    let q = MatchQuery {
        social: Some(SocialProfile::parse("social_url", "linkedin.com/in/RSmith?trk=x").unwrap()),
        ..MatchQuery::default()
    };
    let found = top(&q);
    assert_eq!(
        (found.contact.id.as_str(), found.confidence),
        ("robert", 100)
    );
    assert_eq!(found.reasons, ["LinkedIn profile matches"]);
}

#[test]
fn exact_full_name_scores_95() {
    let found = by_name("Robert Smith");
    assert_eq!(
        (found.contact.id.as_str(), found.confidence),
        ("robert", 95)
    );
    assert_eq!(found.reasons, ["full name matches exactly"]);
}

#[test]
fn nickname_finds_the_formal_name_and_says_so() {
    let found = by_name("Bob Smith");
    assert_eq!(found.contact.id, "robert");
    assert_eq!(found.confidence, 88);
    assert!(
        found.reasons.contains(&"nickname Bob -> Robert".to_owned()),
        "{:?}",
        found.reasons
    );
    assert_eq!(by_name("Liz Taylor").contact.id, "liz");
    assert_eq!(by_name("Sasha Petrov").contact.id, "sasha");
}

#[test]
fn typos_and_swapped_letters_are_forgiven() {
    let found = by_name("Robert Smtih");
    assert_eq!(
        (found.contact.id.as_str(), found.confidence),
        ("robert", 82)
    );
    assert!(
        found
            .reasons
            .iter()
            .any(|r| r == "1 typo in last name (Smtih -> Smith)"),
        "{:?}",
        found.reasons
    );
    assert_eq!(by_name("Katherin Jonhson").contact.id, "katherine");
}

#[test]
fn accents_never_matter() {
    let found = by_name("Jose Alvarez");
    assert_eq!((found.contact.id.as_str(), found.confidence), ("jose", 95));
    assert!(
        found
            .reasons
            .iter()
            .any(|r| r == "accents ignored: Jose = José"),
        "{:?}",
        found.reasons
    );
    for spelling in ["Jurgen Mueller", "Juergen Muller", "JÜRGEN MÜLLER"] {
        let found = by_name(spelling);
        assert_eq!(found.contact.id, "mueller", "{spelling}");
        assert!(found.confidence >= 90, "{spelling}: {}", found.confidence);
    }
}

#[test]
fn first_and_last_name_swapped() {
    let found = by_name("Taylor Elizabeth");
    assert_eq!(found.contact.id, "liz");
    assert!(
        found
            .reasons
            .iter()
            .any(|r| r == "first and last name swapped")
    );
    assert!(found.confidence >= 90);
}

#[test]
fn initial_and_family_name() {
    let found = book().find(&MatchQuery::by_name("J. Smith"));
    assert_eq!(ids(&found)[0], "john");
    assert!(found[0].reasons.iter().any(|r| r == "initial J. -> John"));
    assert!(
        !ids(&found).contains(&"jose"),
        "the family name must fit too"
    );
}

#[test]
fn a_partial_name_finds_its_owner_with_lower_confidence() {
    let found = by_name("Johnson");
    assert_eq!(found.contact.id, "katherine");
    assert_eq!(found.confidence, 72);
    let found = by_name("Kath Johnson");
    assert_eq!(found.contact.id, "katherine");
    assert!((80..95).contains(&found.confidence), "{}", found.confidence);
}

#[test]
fn company_tells_two_sarahs_apart() {
    let google = book().find(&MatchQuery::by_name("Sarah from Google"));
    assert_eq!(ids(&google)[0], "sarah-g");
    assert!(google[0].confidence > google[1].confidence);
    assert!(
        google[0]
            .reasons
            .iter()
            .any(|r| r == "company matches (Google)")
    );
    let apple = book().find(&MatchQuery {
        company: Some("apple".into()),
        ..MatchQuery::by_name("Sarah")
    });
    assert_eq!(ids(&apple)[0], "sarah-a");
}

#[test]
fn company_alone_lists_its_people() {
    let found = book().find(&MatchQuery {
        company: Some("Siemens".into()),
        ..MatchQuery::default()
    });
    assert_eq!(ids(&found), ["mueller"]);
    assert_eq!(found[0].matched_fields, [MatchedField::Company]);
}

#[test]
fn the_exact_match_ranks_above_similar_names() {
    let found = book().find(&MatchQuery::by_name("Robert Smith"));
    assert_eq!(ids(&found)[..2], ["robert", "roberta"]);
    assert!(found[0].confidence > found[1].confidence);
}

#[test]
fn strangers_are_not_found() {
    assert!(
        book()
            .find(&MatchQuery::by_name("Zebulon Quackenbush"))
            .is_empty()
    );
    let found = book().find(&MatchQuery::by_name("John Doe"));
    assert!(
        found.is_empty(),
        "a wrong family name is below 50: {found:?}"
    );
}

#[test]
fn limit_and_min_confidence_bound_the_answer() {
    let all = book().find(&MatchQuery {
        min_confidence: 1,
        limit: 50,
        ..MatchQuery::by_name("Smith")
    });
    assert!(all.len() >= 3, "{:?}", ids(&all));
    let one = book().find(&MatchQuery {
        limit: 1,
        ..MatchQuery::by_name("Smith")
    });
    assert_eq!(one.len(), 1);
    let strict = book().find(&MatchQuery {
        min_confidence: 90,
        ..MatchQuery::by_name("Smith")
    });
    assert!(strict.is_empty());
}

#[test]
fn a_query_without_criteria_finds_nobody() {
    assert!(book().find(&MatchQuery::default()).is_empty());
}

#[test]
fn results_share_the_snapshots_contacts() {
    let contacts = vec![Arc::new(person("a", "Ada", "Lovelace", None))];
    let matcher = ContactMatcher::new(&contacts);
    let found = matcher.find(&MatchQuery::by_name("Ada Lovelace"));
    assert!(Arc::ptr_eq(&found[0].contact, &contacts[0]));
}
