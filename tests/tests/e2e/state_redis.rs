//! The account shared through Redis (`--state-url`): dex-mcp processes on
//! one real `redis-server` and one simulated Dex load what another stored
//! instead of reading Dex, see each other's writes, and keep working when
//! Redis is not there; `dex-mcp forget` removes dex-mcp's keys only; and
//! the URL's password shows in no log.

use std::io::BufRead;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

use dex_mcp::state::{Backend, BucketName, MAX_VALUE_BYTES, RedisStore, RedisUrl, StoreError};
use dex_mcp_tests::{
    Client, Era, Scratch, account_reads, call_ok, component, dex_requests, free_port,
    server_command, start_server,
};
use serde_json::json;

const KEY: &str = "dex_redis_test_key";

/// The password every test Redis requires: every test also checks that it
/// appears in no log line.
const PASSWORD: &str = "e2e-redis-pw-7f3a91";

/// Where Debian's `redis-server` package puts the server.
const REDIS_SERVER: &str = "/usr/bin/redis-server";

/// A `redis-server` of one test's own, on a free loopback port, keeping
/// nothing on disk. Dropping it kills the server.
struct RedisServer {
    child: Child,
    port: u16,
    _dir: Scratch,
}

impl RedisServer {
    /// Starts it and waits until it accepts connections.
    fn start(name: &str) -> Self {
        assert!(
            Path::new(REDIS_SERVER).exists(),
            "{REDIS_SERVER} is missing: run `cargo xtask setup` (it installs Debian's \
             redis-server package), or `apt-get install redis-server`"
        );
        let dir = Scratch::new(&format!("redis-server-{name}"));
        std::fs::create_dir_all(&dir).expect("the Redis scratch directory");
        let port = free_port();
        let mut child = Command::new(REDIS_SERVER)
            .args(["--port", &port.to_string(), "--bind", "127.0.0.1"])
            // No persistence: nothing is written, nothing outlives the test.
            .args(["--save", "", "--appendonly", "no"])
            .args(["--requirepass", PASSWORD])
            .arg("--dir")
            .arg(&*dir)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("redis-server starts");
        let stdout = child.stdout.take().expect("stdout is piped");
        let (ready_tx, ready_rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let mut log = String::new();
            for line in std::io::BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if line.contains("Ready to accept connections") {
                    ready_tx.send(Ok(())).ok();
                }
                log.push_str(&line);
                log.push('\n');
            }
            // Only read when it exited before it was ready.
            ready_tx.send(Err(log)).ok();
        });
        let ready = ready_rx.recv_timeout(std::time::Duration::from_secs(60));
        let mut server = Self {
            child,
            port,
            _dir: dir,
        };
        match ready {
            Ok(Ok(())) => server,
            Ok(Err(log)) => panic!("redis-server exited before it was ready:\n{log}"),
            Err(_) => {
                server.child.kill().ok();
                panic!("redis-server did not get ready on port {port}")
            }
        }
    }

    /// The URL dex-mcp is given, password included.
    fn url(&self) -> String {
        format!("redis://:{PASSWORD}@127.0.0.1:{}/0", self.port)
    }

    /// The same URL as dex-mcp logs it.
    fn redacted_url(&self) -> String {
        format!("redis://:***@127.0.0.1:{}/0", self.port)
    }

    /// A plain Redis connection, to look at keys as another program would.
    fn connection(&self) -> redis::Connection {
        redis::Client::open(self.url())
            .and_then(|client| client.get_connection())
            .expect("a connection to the test Redis")
    }

    /// dex-mcp's own store on this server.
    fn store(&self) -> RedisStore {
        RedisStore::connect(RedisUrl::parse(&self.url()).unwrap()).expect("the store connects")
    }

    /// Every key in the server, sorted.
    fn all_keys(&self) -> Vec<String> {
        let mut keys: Vec<String> = redis::cmd("KEYS")
            .arg("*")
            .query(&mut self.connection())
            .expect("KEYS answers");
        keys.sort();
        keys
    }
}

impl Drop for RedisServer {
    fn drop(&mut self) {
        self.child.kill().ok();
        self.child.wait().ok();
    }
}

async fn simulator() -> dex_sim::RunningSim {
    super::state::simulator_for(KEY).await
}

/// dex-mcp against `simulator` with its state in the Redis at `state_url`,
/// its log written to `log`.
async fn start(simulator: &dex_sim::RunningSim, state_url: &str, log: &Path) -> Client {
    let base_url = simulator.v1_base_url();
    let env = [
        ("DEX_API_KEY", KEY),
        ("DEX_API_BASE_URL", base_url.as_str()),
        ("DEX_MCP_CACHE_TTL", "300"),
        ("DEX_MCP_NO_STATE", "false"),
        ("DEX_MCP_STATE_URL", state_url),
    ];
    let args = vec![
        "--component".to_owned(),
        component("dex_guest").display().to_string(),
    ];
    start_server(&args, &env, Era::Legacy, Some(log))
        .await
        .expect("dex-mcp starts")
}

/// The ids of `find_contact`'s matches for `name`.
async fn found_ids(client: &Client, name: &str) -> Vec<String> {
    let answer = call_ok(client, "find_contact", json!({ "name": name })).await;
    answer["matches"]
        .as_array()
        .expect("matches")
        .iter()
        .filter_map(|m| m["contact"]["id"].as_str().map(str::to_owned))
        .collect()
}

/// Creates a contact through `client`; its id.
async fn create(client: &Client, first_name: &str, last_name: &str) -> String {
    let saved = call_ok(
        client,
        "create_contact",
        json!({ "first_name": first_name, "last_name": last_name }),
    )
    .await;
    saved["contact"]["id"].as_str().expect("an id").to_owned()
}

/// The log at `path`, checked to hold no password.
fn log_without_password(path: &Path) -> String {
    let log = std::fs::read_to_string(path).expect("the server's log");
    assert!(
        !log.contains(PASSWORD),
        "{} shows the Redis password",
        path.display()
    );
    log
}

#[tokio::test]
async fn processes_on_one_redis_share_the_account_and_their_writes() {
    let scratch = Scratch::new("redis-share");
    std::fs::create_dir_all(&scratch).unwrap();
    let log = |name: &str| -> PathBuf { scratch.join(name) };
    let redis = RedisServer::start("share");
    let simulator = simulator().await;
    let someone = simulator.snapshot().contacts[5].clone();
    let someone_name = format!(
        "{} {}",
        someone.first_name.clone().unwrap_or_default(),
        someone.last_name.clone().unwrap_or_default()
    );

    // The first process reads the account from Dex and stores it.
    let first = start(&simulator, &redis.url(), &log("first.log")).await;
    assert!(found_ids(&first, &someone_name).await.contains(&someone.id));
    assert!(
        account_reads(&simulator) >= 3,
        "the first process read the account"
    );
    // dex-mcp's prefix, the account's bucket (a hash), the guest's keys:
    // the snapshot's manifest and its chunks (one per list at this size).
    let mut keys = redis.all_keys();
    keys.sort();
    let bucket = keys.iter().find_map(|key| {
        key.strip_prefix("dex-mcp:")?
            .strip_suffix(":account-snapshot")
    });
    assert!(
        bucket.is_some_and(|b| b.len() == 32 && b.chars().all(|c| c.is_ascii_hexdigit()))
            && keys.len() == 4
            && keys[..3].iter().all(|k| k.contains(":account-chunk-"))
            && keys[3].ends_with(":account-snapshot"),
        "{keys:?}"
    );

    // A write through it goes to Dex and into the stored account.
    let created_first = create(&first, "Zinnia", "Quorvath").await;

    // A second process, running beside the first, answers its first call
    // from Redis without asking Dex, and sees the first one's write.
    let second = start(&simulator, &redis.url(), &log("second.log")).await;
    let before = dex_requests(&simulator);
    assert!(
        found_ids(&second, "Zinnia Quorvath")
            .await
            .contains(&created_first)
    );
    assert!(
        found_ids(&second, &someone_name)
            .await
            .contains(&someone.id)
    );
    assert_eq!(
        dex_requests(&simulator),
        before,
        "the second process asked Dex: {:?}",
        simulator.counters()
    );

    // The other way: a write through the second is seen by the first's
    // next call, while the first still holds its own fresh account in
    // memory, again without reading Dex.
    let created_second = create(&second, "Yarrow", "Pembleton").await;
    let before = dex_requests(&simulator);
    let found = found_ids(&first, "Yarrow Pembleton").await;
    assert!(found.contains(&created_second), "{found:?}");
    assert_eq!(
        dex_requests(&simulator),
        before,
        "the first process asked Dex"
    );

    // And a restart of the first sees both writes, still without Dex.
    first.cancel().await.ok();
    let first_again = start(&simulator, &redis.url(), &log("first-again.log")).await;
    let found = found_ids(&first_again, "Yarrow Pembleton").await;
    assert!(found.contains(&created_second), "{found:?}");
    assert!(
        found_ids(&first_again, "Zinnia Quorvath")
            .await
            .contains(&created_first)
    );
    assert_eq!(dex_requests(&simulator), before, "the restart asked Dex");
    first_again.cancel().await.ok();
    second.cancel().await.ok();

    for name in ["first.log", "second.log", "first-again.log"] {
        let log = log_without_password(&log(name));
        assert!(
            log.contains("component state kept in redis") && log.contains(&redis.redacted_url()),
            "{name}:\n{log}"
        );
    }
}

#[tokio::test]
async fn an_unreachable_redis_at_start_only_costs_a_read() {
    let scratch = Scratch::new("redis-unreachable");
    std::fs::create_dir_all(&scratch).unwrap();
    let simulator = simulator().await;
    let port = free_port();
    let url = format!("redis://:{PASSWORD}@127.0.0.1:{port}");
    let log = scratch.join("server.log");
    let client = start(&simulator, &url, &log).await;
    let someone = simulator.snapshot().contacts[5].clone();
    let name = format!(
        "{} {}",
        someone.first_name.clone().unwrap_or_default(),
        someone.last_name.clone().unwrap_or_default()
    );
    assert!(found_ids(&client, &name).await.contains(&someone.id));
    client.cancel().await.ok();
    assert!(account_reads(&simulator) >= 3, "the account was read");
    let log = log_without_password(&log);
    assert!(
        log.contains("running without component state")
            && log.contains(&format!("redis://:***@127.0.0.1:{port}")),
        "{log}"
    );
}

#[tokio::test]
async fn redis_gone_during_a_run_fails_the_store_not_the_call() {
    let scratch = Scratch::new("redis-gone");
    std::fs::create_dir_all(&scratch).unwrap();
    let simulator = simulator().await;
    let redis = RedisServer::start("gone");
    let log = scratch.join("server.log");
    let client = start(&simulator, &redis.url(), &log).await;
    let redacted = redis.redacted_url();
    drop(redis);
    let someone = simulator.snapshot().contacts[5].clone();
    let name = format!(
        "{} {}",
        someone.first_name.clone().unwrap_or_default(),
        someone.last_name.clone().unwrap_or_default()
    );
    // Reading the stored account fails, so the account is read from Dex;
    // storing it fails too; the answer is whole all the same, and the
    // server serves the next call.
    assert!(found_ids(&client, &name).await.contains(&someone.id));
    assert!(account_reads(&simulator) >= 3, "the account was read");
    assert!(found_ids(&client, &name).await.contains(&someone.id));
    client.cancel().await.ok();
    let log = log_without_password(&log);
    assert!(
        log.contains("cannot read the stored account") && log.contains(&redacted),
        "the guest was not told why, or not with the URL redacted:\n{log}"
    );
}

#[tokio::test]
async fn forget_removes_dex_mcp_keys_and_no_other() {
    let redis = RedisServer::start("forget");
    let store = redis.store();
    let (a, b) = (
        BucketName::for_account("https://a.example", "k1"),
        BucketName::for_account("https://a.example", "k2"),
    );
    store.set(&a, "account-snapshot", b"of a").unwrap();
    store.set(&a, "other", b"also a").unwrap();
    store.set(&b, "account-snapshot", b"of b").unwrap();
    let _: () = redis::cmd("SET")
        .arg("someone-else:key")
        .arg("theirs")
        .query(&mut redis.connection())
        .unwrap();
    // A key that starts like ours but is not under the prefix.
    let _: () = redis::cmd("SET")
        .arg("dex-mcpX:key")
        .arg("theirs too")
        .query(&mut redis.connection())
        .unwrap();

    let forget = |url: &str| {
        server_command(
            &[
                "forget".to_owned(),
                "--state-url".to_owned(),
                url.to_owned(),
            ],
            &[],
        )
        .stdout(Stdio::piped())
        .output()
        .expect("dex-mcp forget runs")
    };
    let forgot = forget(&redis.url());
    let said = String::from_utf8_lossy(&forgot.stdout).into_owned()
        + &String::from_utf8_lossy(&forgot.stderr);
    assert!(forgot.status.success(), "{said}");
    assert!(!said.contains(PASSWORD), "{said}");
    assert!(said.contains("removed 3 keys of 2 buckets"), "{said}");
    assert_eq!(redis.all_keys(), ["dex-mcpX:key", "someone-else:key"]);
    assert_eq!(store.get(&a, "account-snapshot").unwrap(), None);

    let again = forget(&redis.url());
    assert!(again.status.success());
    assert!(String::from_utf8_lossy(&again.stdout).contains("nothing stored"));

    // A Redis that is not there is a failure, said without the password.
    let unreachable = forget(&format!("redis://:{PASSWORD}@127.0.0.1:{}", free_port()));
    let said = String::from_utf8_lossy(&unreachable.stderr).into_owned();
    assert!(!unreachable.status.success(), "{said}");
    assert!(!said.contains(PASSWORD), "{said}");
    assert!(said.contains("cannot remove the stored state"), "{said}");
}

#[test]
fn the_redis_backend_keeps_buckets_apart_and_lists_every_key() {
    let redis = RedisServer::start("backend");
    let store = redis.store();
    let (a, b) = (
        BucketName::for_account("https://a.example", "k1"),
        BucketName::for_account("https://b.example", "k1"),
    );
    assert_eq!(store.get(&a, "x").unwrap(), None);
    // More keys than one SCAN step returns, some with glob characters and
    // the separator in them.
    let mut expected: Vec<String> = (0..2500).map(|i| format!("key-{i:04}")).collect();
    expected.extend(["a*".to_owned(), "b?[c]".to_owned(), "with:colon".to_owned()]);
    for key in &expected {
        store.set(&a, key, key.as_bytes()).unwrap();
    }
    store.set(&b, "only-in-b", b"b").unwrap();
    expected.sort();
    assert_eq!(store.keys(&a).unwrap(), expected);
    assert_eq!(store.keys(&b).unwrap(), ["only-in-b"]);
    assert_eq!(store.get(&a, "a*").unwrap().as_deref(), Some(&b"a*"[..]));
    assert_eq!(store.get(&b, "a*").unwrap(), None);

    store.set(&a, "a*", b"changed").unwrap();
    assert_eq!(
        store.get(&a, "a*").unwrap().as_deref(),
        Some(&b"changed"[..])
    );
    store.delete(&a, "a*").unwrap();
    store.delete(&a, "never-set").unwrap();
    assert_eq!(store.get(&a, "a*").unwrap(), None);
    assert_eq!(store.keys(&a).unwrap().len(), expected.len() - 1);

    // Larger than a guest may store: refused before it is sent (the
    // zeroed buffer is never touched, so never really allocated).
    let too_large = vec![0u8; MAX_VALUE_BYTES + 1];
    assert!(matches!(
        store.set(&a, "huge", &too_large),
        Err(StoreError::TooLarge(_))
    ));
    assert_eq!(store.get(&a, "huge").unwrap(), None);

    // A server gone away: each call fails with a reason that names the
    // store without its password.
    drop(redis);
    let error = store.get(&a, "x").unwrap_err().to_string();
    assert!(!error.contains(PASSWORD), "{error}");
    assert!(error.contains("redis://:***@127.0.0.1:"), "{error}");
}
