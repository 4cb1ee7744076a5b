//! The account outlives the process: a server started again on the same
//! state directory answers from the stored account without reading Dex,
//! and bad stored state only costs a read.

use dex_mcp::state::{Backend, BucketName, LocalStore};
use dex_mcp_tests::{
    Client, Era, Scratch, account_reads, call_ok, component, dex_requests, server_command,
    start_server,
};
use serde_json::json;

const KEY: &str = "dex_state_test_key";

async fn simulator() -> dex_sim::RunningSim {
    simulator_for(KEY).await
}

/// A simulated account of 120 contacts that accepts `key`.
pub(crate) async fn simulator_for(key: &str) -> dex_sim::RunningSim {
    let config = dex_sim::SimConfig {
        api_key: key.into(),
        contacts: 120,
        ..Default::default()
    };
    dex_sim::RunningSim::start(config, "127.0.0.1:0".parse().unwrap())
        .await
        .expect("the simulator starts")
}

/// Starts the server against `simulator` with its state in `state_dir`,
/// makes one `find_contact` call by name and stops it; the answer.
async fn one_call(
    simulator: &dex_sim::RunningSim,
    state_dir: &std::path::Path,
    extra: &[(&str, &str)],
) -> serde_json::Value {
    let (client, name, someone) = start(simulator, state_dir, extra).await;
    let answer = call_ok(&client, "find_contact", json!({ "name": name })).await;
    client.cancel().await.ok();
    assert!(
        answer["matches"]
            .as_array()
            .unwrap()
            .iter()
            .any(|m| m["contact"]["id"] == json!(someone.id)),
        "{answer:#}"
    );
    answer
}

/// The server started against `simulator` with its state in `state_dir`,
/// and the name and record of the contact [`one_call`] looks for.
async fn start(
    simulator: &dex_sim::RunningSim,
    state_dir: &std::path::Path,
    extra: &[(&str, &str)],
) -> (Client, String, dex_sim::model::Contact) {
    let base_url = simulator.v1_base_url();
    let state_dir = state_dir.display().to_string();
    let mut env = vec![
        ("DEX_API_KEY", KEY),
        ("DEX_API_BASE_URL", base_url.as_str()),
        ("DEX_MCP_CACHE_TTL", "300"),
        ("DEX_MCP_NO_STATE", "false"),
        ("DEX_MCP_STATE_DIR", state_dir.as_str()),
    ];
    env.extend_from_slice(extra);
    let args = vec![
        "--component".to_owned(),
        component("dex_guest").display().to_string(),
    ];
    let client = start_server(&args, &env, Era::Legacy, None)
        .await
        .expect("dex-mcp starts");
    let someone = simulator.snapshot().contacts[5].clone();
    let name = format!(
        "{} {}",
        someone.first_name.clone().unwrap_or_default(),
        someone.last_name.clone().unwrap_or_default()
    );
    (client, name, someone)
}

#[tokio::test]
async fn a_restarted_server_answers_from_the_stored_account_without_dex() {
    let scratch = Scratch::new("state-restart");
    let simulator = simulator().await;
    let first = one_call(&simulator, &scratch, &[]).await;
    let after_first = dex_requests(&simulator);
    assert!(
        account_reads(&simulator) >= 3,
        "the first process read the account"
    );
    let second = one_call(&simulator, &scratch, &[]).await;
    assert_eq!(
        dex_requests(&simulator),
        after_first,
        "the second process sent requests to Dex: {:?}",
        simulator.counters()
    );
    assert_eq!(first, second);
}

#[tokio::test]
async fn without_state_a_restart_reads_the_account_again() {
    let scratch = Scratch::new("state-off");
    let simulator = simulator().await;
    one_call(&simulator, &scratch, &[("DEX_MCP_NO_STATE", "true")]).await;
    let after_first = account_reads(&simulator);
    one_call(&simulator, &scratch, &[("DEX_MCP_NO_STATE", "true")]).await;
    assert_eq!(account_reads(&simulator), 2 * after_first);
    assert!(
        !scratch.join("state.redb").exists(),
        "--no-state wrote a database"
    );
}

#[tokio::test]
async fn a_changed_key_does_not_see_the_old_accounts_state() {
    let scratch = Scratch::new("state-key");
    let simulator = simulator().await;
    one_call(&simulator, &scratch, &[]).await;
    let after_first = dex_requests(&simulator);
    // The simulator refuses any other key: a server that handed the first
    // key's stored account to the second would answer without asking.
    let (client, name, _) = start(&simulator, &scratch, &[("DEX_API_KEY", "dex_other_key")]).await;
    let answer = call_ok(&client, "find_contact", json!({ "name": name })).await;
    client.cancel().await.ok();
    assert_eq!(answer["matches"], json!([]), "{answer:#}");
    assert!(
        answer["incomplete_reason"]
            .as_str()
            .is_some_and(|r| r.contains("refused the API key")),
        "{answer:#}"
    );
    assert!(dex_requests(&simulator) > after_first, "Dex was not asked");
}

#[tokio::test]
async fn garbage_in_the_store_is_ignored_and_the_account_read() {
    let scratch = Scratch::new("state-garbage");
    let simulator = simulator().await;
    // The bucket the server uses: named from its base URL and a digest of
    // its secrets, as the loader names it.
    let mut secrets = dex_mcp::secret::Secrets::none();
    secrets
        .insert("api-key", dex_mcp::secret::Secret::new(KEY).unwrap())
        .unwrap();
    let bucket = BucketName::for_account(&simulator.v1_base_url(), &secrets.fingerprint());
    {
        let store = LocalStore::open(&scratch).unwrap();
        store
            .set(
                &bucket,
                "account-snapshot",
                b"DXSN\x01\x00garbage that is not a snapshot",
            )
            .unwrap();
        // Layout 3's stamp beside it, which the first save removes.
        store
            .set(&bucket, "account-stamp", &[1, 2, 3, 4, 1])
            .unwrap();
    }
    one_call(&simulator, &scratch, &[]).await;
    let after_first = account_reads(&simulator);
    assert!(after_first >= 3, "the account was read despite the garbage");
    // The read replaced the garbage: the next process reads nothing.
    one_call(&simulator, &scratch, &[]).await;
    assert_eq!(account_reads(&simulator), after_first);
    let store = LocalStore::open(&scratch).unwrap();
    let stored = store.get(&bucket, "account-snapshot").unwrap().unwrap();
    assert!(
        stored.starts_with(b"DXSN\x04\x00") && !stored.ends_with(b"not a snapshot"),
        "the garbage was never in the server's bucket"
    );
    assert_eq!(store.get(&bucket, "account-stamp").unwrap(), None);
    // The records are in chunks beside the manifest.
    let chunks = store.keys(&bucket).unwrap();
    assert!(
        chunks.iter().any(|k| k.starts_with("account-chunk-")),
        "{chunks:?}"
    );
}

#[tokio::test]
async fn a_damaged_database_file_only_costs_a_read() {
    let scratch = Scratch::new("state-damaged-file");
    std::fs::create_dir_all(&scratch).unwrap();
    std::fs::write(scratch.join("state.redb"), vec![0x5A; 40_000]).unwrap();
    let simulator = simulator().await;
    one_call(&simulator, &scratch, &[]).await;
    assert!(account_reads(&simulator) >= 3);
}

#[tokio::test]
async fn forget_removes_the_stored_account() {
    let scratch = Scratch::new("state-forget");
    let simulator = simulator().await;
    one_call(&simulator, &scratch, &[]).await;
    let after_first = account_reads(&simulator);
    assert!(scratch.join("state.redb").exists());
    let forgot = server_command(
        &[
            "forget".to_owned(),
            "--state-dir".to_owned(),
            scratch.display().to_string(),
        ],
        &[],
    )
    .stdout(std::process::Stdio::piped())
    .output()
    .expect("dex-mcp forget runs");
    assert!(forgot.status.success(), "{forgot:?}");
    assert!(
        String::from_utf8_lossy(&forgot.stdout).contains("removed"),
        "{forgot:?}"
    );
    assert!(!scratch.join("state.redb").exists());
    one_call(&simulator, &scratch, &[]).await;
    assert_eq!(
        account_reads(&simulator),
        2 * after_first,
        "the account was read again"
    );
}

/// Waits until the simulator has served more account-list requests than
/// `before` and then been idle for a moment: a read by someone, finished.
async fn a_read_finished_after(simulator: &dex_sim::RunningSim, before: u64) -> bool {
    for _ in 0..300 {
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        let counters = simulator.counters();
        if account_reads(simulator) > before && counters.in_flight == 0 {
            tokio::time::sleep(std::time::Duration::from_millis(300)).await;
            if simulator.counters().total == counters.total {
                return true;
            }
        }
    }
    false
}

#[tokio::test]
async fn past_its_ttl_the_account_is_read_again_between_calls_not_in_one() {
    let scratch = Scratch::new("state-maintenance");
    let simulator = simulator().await;
    let (client, name, _) = start(
        &simulator,
        &scratch,
        &[
            ("DEX_MCP_CACHE_TTL", "3"),
            ("DEX_MCP_MAINTENANCE_INTERVAL", "1"),
        ],
    )
    .await;
    call_ok(&client, "find_contact", json!({ "name": name })).await;
    let first = account_reads(&simulator);
    assert!(first >= 3, "the first call read the account");

    // No call is made, yet the account is read again once it is 3 s old.
    assert!(
        a_read_finished_after(&simulator, first).await,
        "no refresh between calls: {:?}",
        simulator.counters()
    );
    let before = dex_requests(&simulator);
    let answer = call_ok(&client, "find_contact", json!({ "name": name })).await;
    assert_eq!(
        dex_requests(&simulator),
        before,
        "the call after the refresh asked Dex"
    );
    assert!(
        answer.get("incomplete_reason").is_none_or(|r| r.is_null()),
        "a refreshed account is fresh: {answer:#}"
    );
    client.cancel().await.ok();
}

#[tokio::test]
async fn a_call_during_a_refresh_is_answered_from_the_old_account_and_says_so() {
    let scratch = Scratch::new("state-stale");
    let simulator = simulator().await;
    let (client, name, someone) = start(
        &simulator,
        &scratch,
        &[
            ("DEX_MCP_CACHE_TTL", "1"),
            ("DEX_MCP_MAINTENANCE_INTERVAL", "1"),
        ],
    )
    .await;
    call_ok(&client, "find_contact", json!({ "name": name })).await;
    // From now on every request takes 2 s: a refresh takes several.
    simulator.set_faults(vec![dex_sim::FaultRule::new("all").latency(2_000, 0)]);
    // Wait for the refresh to be under way.
    let mut refreshing = false;
    for _ in 0..100 {
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        if simulator.counters().in_flight > 0 {
            refreshing = true;
            break;
        }
    }
    assert!(refreshing, "no refresh started: {:?}", simulator.counters());
    let answer = call_ok(&client, "find_contact", json!({ "name": name })).await;
    assert!(
        answer["matches"][0]["contact"]["id"] == json!(someone.id),
        "{answer:#}"
    );
    let reason = answer["incomplete_reason"].as_str().unwrap_or_default();
    assert!(
        reason.starts_with("The account was read from Dex") && reason.contains("ago"),
        "the stale answer does not say how old it is: {answer:#}"
    );
    assert!(
        simulator.counters().in_flight > 0,
        "the call waited for the refresh to end"
    );
    simulator.clear_faults();
    client.cancel().await.ok();
}

#[tokio::test]
async fn a_second_instance_starts_from_the_stored_account_not_from_dex() {
    let scratch = Scratch::new("state-instances");
    let simulator = simulator().await;
    let (client, name, someone) = start(&simulator, &scratch, &[("DEX_MCP_INSTANCES", "2")]).await;
    call_ok(&client, "find_contact", json!({ "name": name })).await;
    let lists_read = account_reads(&simulator);
    // A slow answer keeps the first instance busy reading one note from
    // Dex while the name is looked up: that needs a second instance.
    simulator.set_faults(vec![dex_sim::FaultRule::new("all").latency(1_500, 0)]);
    let note = simulator.snapshot().notes[0].id.clone();
    let (read, found) = tokio::join!(
        call_ok(&client, "get_note", json!({ "note_id": note })),
        async {
            while simulator.counters().in_flight == 0 {
                tokio::time::sleep(std::time::Duration::from_millis(20)).await;
            }
            let found = call_ok(&client, "find_contact", json!({ "name": name })).await;
            assert_eq!(
                simulator.counters().in_flight,
                1,
                "find_contact waited for the instance reading the note"
            );
            found
        }
    );
    simulator.clear_faults();
    assert_eq!(read["id"], json!(note));
    assert!(
        found["matches"]
            .as_array()
            .unwrap()
            .iter()
            .any(|m| m["contact"]["id"] == json!(someone.id)),
        "{found:#}"
    );
    assert_eq!(
        account_reads(&simulator),
        lists_read,
        "the second instance read the account from Dex: {:?}",
        simulator.counters()
    );
    client.cancel().await.ok();
}
