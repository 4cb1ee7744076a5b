//! The history tools against the simulator: a contact's notes paged to the
//! end, reminders due this week, birthdays this month, note types, and an
//! unknown id. The simulator's "today" is the real one, so the guest's
//! wall clock and the generated dates agree.

use std::collections::BTreeSet;

use dex_mcp_tests::{Client, Era, component, start_server};
use rmcp::model::CallToolRequestParams;
use serde_json::{Value, json};

const KEY: &str = "dex_history_test_key";

async fn simulator() -> dex_sim::RunningSim {
    simulator_in("UTC").await
}

/// The simulator with its owner in `zone`.
async fn simulator_in(zone: &str) -> dex_sim::RunningSim {
    let config = dex_sim::SimConfig {
        api_key: KEY.into(),
        contacts: 120,
        // The guest reads today from the wall clock, in the owner's zone.
        today: dex_guest::history::today_utc(),
        owner_time_zone: Some(zone.into()),
        ..Default::default()
    };
    dex_sim::RunningSim::start(config, "127.0.0.1:0".parse().unwrap())
        .await
        .expect("simulator starts")
}

async fn server_against(simulator: &dex_sim::RunningSim) -> Client {
    let base_url = simulator.v1_base_url();
    let args = vec![
        "--component".to_owned(),
        component("dex_guest").display().to_string(),
    ];
    let env = [
        ("DEX_API_KEY", KEY),
        ("DEX_API_BASE_URL", base_url.as_str()),
    ];
    start_server(&args, &env, Era::Legacy, None)
        .await
        .expect("dex-mcp starts")
}

/// The tool's structured answer, and whether it is an error.
async fn call(client: &Client, tool: &'static str, arguments: Value) -> (bool, Value) {
    let request =
        CallToolRequestParams::new(tool).with_arguments(arguments.as_object().unwrap().clone());
    let result = client.call_tool(request).await.expect("tools/call answers");
    (
        result.is_error == Some(true),
        result.structured_content.expect("structured content"),
    )
}

async fn answer(client: &Client, tool: &'static str, arguments: Value) -> Value {
    let (failed, content) = call(client, tool, arguments).await;
    assert!(!failed, "{tool} failed: {content:#}");
    content
}

fn strings(values: &Value, field: &str) -> Vec<String> {
    values
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v[field].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn a_contacts_notes_come_newest_first_and_the_cursor_reaches_all_of_them() {
    let simulator = simulator().await;
    let data = simulator.snapshot();
    let about = |id: &str| -> Vec<&dex_sim::model::Note> {
        data.notes
            .iter()
            .filter(|n| n.timeline_items_contacts.iter().any(|c| c.contact_id == id))
            .collect()
    };
    let busiest = data
        .contacts
        .iter()
        .max_by_key(|c| about(&c.id).len())
        .unwrap();
    let expected: BTreeSet<String> = about(&busiest.id).iter().map(|n| n.id.clone()).collect();
    assert!(expected.len() >= 3, "the busiest contact has few notes");
    let client = server_against(&simulator).await;

    let mut seen = Vec::new();
    let mut times = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let mut args = json!({ "contact_id": busiest.id, "limit": 2 });
        if let Some(cursor) = &cursor {
            args["cursor"] = json!(cursor);
        }
        let page = answer(&client, "get_contact_notes", args).await;
        assert_eq!(page["total"], json!(expected.len()));
        seen.extend(strings(&page["notes"], "id"));
        times.extend(strings(&page["notes"], "event_time"));
        match page["next_cursor"].as_str() {
            Some(next) => cursor = Some(next.to_owned()),
            None => break,
        }
    }
    let details = answer(
        &client,
        "get_contact_details",
        json!({ "contact_id": busiest.id }),
    )
    .await;
    client.cancel().await.ok();

    assert_eq!(seen.iter().cloned().collect::<BTreeSet<_>>(), expected);
    assert_eq!(seen.len(), expected.len(), "a note came twice");
    let instants: Vec<_> = times
        .iter()
        .map(|t| dex_guest::history::instant_of(t).unwrap())
        .collect();
    assert!(instants.windows(2).all(|w| w[0] >= w[1]), "{times:?}");
    assert_eq!(details["contact"]["id"], json!(busiest.id));
    assert_eq!(
        strings(&details["recent_notes"], "id"),
        seen[..expected.len().min(5)]
    );
    assert_eq!(details["note_count"], json!(expected.len()));
}

#[tokio::test]
async fn reminders_due_this_week_are_the_open_ones_dated_from_today_to_a_week_ahead() {
    let simulator = simulator().await;
    let data = simulator.snapshot();
    let today = dex_guest::history::today_utc();
    let first = today.to_string();
    let last = today.iter_days().nth(7).unwrap().to_string();
    let expected: BTreeSet<String> = data
        .reminders
        .iter()
        .filter(|r| !r.is_complete)
        .filter(|r| {
            r.due_at_date
                .as_deref()
                .is_some_and(|d| d >= first.as_str() && d <= last.as_str())
        })
        .map(|r| r.id.clone())
        .collect();
    let overdue = data
        .reminders
        .iter()
        .filter(|r| !r.is_complete && r.due_at_date.as_deref().is_some_and(|d| d < first.as_str()))
        .count();
    let client = server_against(&simulator).await;
    let ahead = answer(
        &client,
        "upcoming_reminders",
        json!({ "days": 7, "include_overdue": false }),
    )
    .await;
    let with_overdue = answer(&client, "upcoming_reminders", json!({ "days": 7 })).await;
    client.cancel().await.ok();

    let listed: Vec<_> = ahead["reminders"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["reminder"]["id"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(listed.iter().cloned().collect::<BTreeSet<_>>(), expected);
    let days: Vec<i64> = ahead["reminders"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["days_until_due"].as_i64().unwrap())
        .collect();
    assert!(days.windows(2).all(|w| w[0] <= w[1]), "{days:?}");
    assert_eq!(with_overdue["total"], json!(expected.len() + overdue));
}

#[tokio::test]
async fn birthdays_this_month_are_every_unarchived_contact_born_on_one_of_its_days() {
    let simulator = simulator().await;
    let data = simulator.snapshot();
    let today = dex_guest::history::today_utc();
    let mut month_days: BTreeSet<String> = BTreeSet::new();
    for day in today.iter_days().take(31) {
        let md = day.to_string()[5..].to_owned();
        // Outside leap years a February 29 birthday is kept on the 28th.
        if md == "02-28" && !day.succ_opt().unwrap().to_string().ends_with("02-29") {
            month_days.insert("02-29".into());
        }
        month_days.insert(md);
    }
    let expected: BTreeSet<String> = data
        .contacts
        .iter()
        .filter(|c| !c.is_archived)
        .filter(|c| {
            c.birthday
                .as_deref()
                .is_some_and(|b| b.len() >= 5 && month_days.contains(&b[b.len() - 5..]))
        })
        .map(|c| c.id.clone())
        .collect();
    let client = server_against(&simulator).await;
    let found = answer(&client, "upcoming_birthdays", json!({})).await;
    client.cancel().await.ok();

    let listed: BTreeSet<String> = found["birthdays"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["contact"]["id"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(listed, expected, "{found:#}");
    for entry in found["birthdays"].as_array().unwrap() {
        let contact = data
            .contacts
            .iter()
            .find(|c| json!(c.id) == entry["contact"]["id"])
            .unwrap();
        if let Some(year) = contact.birthday_year {
            let celebrated: i64 = entry["date"].as_str().unwrap()[..4].parse().unwrap();
            assert_eq!(entry["turning"], json!(celebrated - i64::from(year)));
        }
    }
}

#[tokio::test]
async fn note_types_come_from_dex_and_an_unknown_contact_is_not_found() {
    let simulator = simulator().await;
    let client = server_against(&simulator).await;
    let types = answer(&client, "list_note_types", json!({})).await;
    let (failed, error) = call(
        &client,
        "get_contact_history",
        json!({ "contact_id": "no-such-contact" }),
    )
    .await;
    client.cancel().await.ok();

    let names = strings(&types["note_types"], "name");
    let expected: Vec<String> = dex_sim::model::note_types()
        .into_iter()
        .map(|t| t.name)
        .collect();
    assert_eq!(names, expected);
    assert!(failed);
    assert_eq!(error["kind"], json!("not_found"));
    assert!(
        error["message"]
            .as_str()
            .unwrap()
            .contains("no-such-contact"),
        "{error:#}"
    );
}

#[tokio::test]
async fn upcoming_reminders_count_days_in_the_owners_time_zone() {
    // UTC+14 and UTC-11, neither with summer time: at any moment their
    // dates differ by a day or two, so at least one differs from UTC's.
    for (zone, offset_hours) in [("Pacific/Kiritimati", 14), ("Pacific/Pago_Pago", -11)] {
        let simulator = simulator_in(zone).await;
        let data = simulator.snapshot();
        let today = (chrono::Utc::now() + chrono::Duration::hours(offset_hours)).date_naive();
        let expected: BTreeSet<(String, i64)> = data
            .reminders
            .iter()
            .filter(|r| !r.is_complete)
            .filter_map(|r| {
                let due = chrono::NaiveDate::parse_from_str(r.due_at_date.as_deref()?, "%Y-%m-%d")
                    .ok()?;
                let days = (due - today).num_days();
                (0..=3).contains(&days).then(|| (r.id.clone(), days))
            })
            .collect();
        let client = server_against(&simulator).await;
        let due = answer(
            &client,
            "upcoming_reminders",
            json!({ "days": 3, "include_overdue": false }),
        )
        .await;
        client.cancel().await.ok();
        let listed: BTreeSet<(String, i64)> = due["reminders"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| {
                (
                    r["reminder"]["id"].as_str().unwrap().to_owned(),
                    r["days_until_due"].as_i64().unwrap(),
                )
            })
            .collect();
        assert_eq!(listed, expected, "{zone}");
        let summary = due["summary"].as_str().unwrap();
        assert!(
            summary.contains(&format!("({today}, {zone}, the owner's time zone in Dex)")),
            "{zone}: {summary}"
        );
    }
}
