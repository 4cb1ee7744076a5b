//! Shared set-up for the end-to-end tests: where the built artifacts are,
//! and how to start the real `dex-mcp` binary under a real MCP client.
#![deny(missing_docs)]

use std::path::{Path, PathBuf};
use std::process::Stdio;

use anyhow::{Context, Result, bail};
use rmcp::service::{ClientLifecycleMode, ClientServiceExt, RunningService};
use rmcp::transport::{ConfigureCommandExt, TokioChildProcess};
use rmcp::{ClientHandler, RoleClient};

/// The workspace's `target/` directory, found from this test executable
/// (`target/debug/deps/<test>`), so that `CARGO_TARGET_DIR` is honoured.
pub fn target_dir() -> PathBuf {
    let exe = std::env::current_exe().expect("the test executable has a path");
    exe.ancestors()
        .nth(3)
        .expect("tests run from target/<profile>/deps")
        .to_path_buf()
}

/// A path in the temporary directory for one test's files (a server's
/// log, a component to swap): removed when the test passes, kept when it
/// fails so that its log can be read. Every run of the suite would
/// otherwise leave its logs behind (megabytes each, with debug logging).
#[derive(Debug)]
pub struct Scratch {
    path: PathBuf,
}

impl Scratch {
    /// `dex-mcp-<name>-<pid>` in the temporary directory; nothing is
    /// created there yet.
    pub fn new(name: &str) -> Self {
        let path = std::env::temp_dir().join(format!("dex-mcp-{name}-{}", std::process::id()));
        Self { path }
    }
}

impl std::ops::Deref for Scratch {
    type Target = Path;

    fn deref(&self) -> &Path {
        &self.path
    }
}

impl AsRef<Path> for Scratch {
    fn as_ref(&self) -> &Path {
        &self.path
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        if std::thread::panicking() {
            eprintln!("kept {} for the failed test", self.path.display());
        } else if self.path.is_dir() {
            let _ = std::fs::remove_dir_all(&self.path);
        } else {
            let _ = std::fs::remove_file(&self.path);
        }
    }
}

/// A loopback port nothing listens on (the OS picked it a moment ago), for
/// a service a test starts itself.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .expect("a free loopback port")
        .port()
}

/// The `dex-mcp` binary that `cargo test --workspace` builds beside the tests.
pub fn server_binary() -> PathBuf {
    let exe = std::env::current_exe().expect("the test executable has a path");
    let path = exe
        .parent()
        .and_then(|deps| deps.parent())
        .expect("target/<profile>/deps")
        .join("dex-mcp");
    assert!(
        path.exists(),
        "{} is missing: run the tests with `cargo xtask test`",
        path.display()
    );
    path
}

/// A component built by `cargo xtask guest`, by crate name (`dex_guest`).
pub fn component(name: &str) -> PathBuf {
    let workspace = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    let path = workspace
        .join("target")
        .join("components")
        .join(format!("{name}.wasm"));
    assert!(
        path.exists(),
        "{} is missing: run the tests with `cargo xtask test`",
        path.display()
    );
    path
}

/// A running `dex-mcp` with an MCP client connected over stdio.
pub type Client = RunningService<RoleClient, ()>;

/// How the client opens the conversation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Era {
    /// `initialize` / `notifications/initialized` (2025-11-25 and earlier).
    Legacy,
    /// `server/discover`, no initialize (2026-07-28).
    Modern,
}

/// Starts `dex-mcp` with `args` and environment `env` (and no inherited
/// `DEX_*` variables), connects rmcp's client, and returns it. The
/// server's stderr goes to `stderr_file` when given.
pub async fn start_server(
    args: &[String],
    env: &[(&str, &str)],
    era: Era,
    stderr_file: Option<&std::path::Path>,
) -> Result<Client> {
    start_server_with((), args, env, era, stderr_file).await
}

/// Like [`start_server`], with `handler` answering what the server asks
/// the client (elicitation) and declaring what it can answer.
pub async fn start_server_with<H: ClientHandler>(
    handler: H,
    args: &[String],
    env: &[(&str, &str)],
    era: Era,
    stderr_file: Option<&std::path::Path>,
) -> Result<RunningService<RoleClient, H>> {
    let stderr = match stderr_file {
        Some(path) => Stdio::from(std::fs::File::create(path).context("creating the stderr file")?),
        None => Stdio::inherit(),
    };
    let command = tokio::process::Command::new(server_binary()).configure(|cmd| {
        cmd.args(args);
        for (name, _) in std::env::vars() {
            if name.starts_with("DEX_") {
                cmd.env_remove(name);
            }
        }
        // A test keeps no state (and writes none into the user's cache)
        // unless it asks for it (`DEX_MCP_NO_STATE=false` and a directory).
        cmd.env("DEX_MCP_NO_STATE", "true");
        cmd.envs(env.iter().copied());
    });
    let (transport, _) = TokioChildProcess::builder(command)
        .stderr(stderr)
        .spawn()
        .context("spawning dex-mcp")?;
    match handler
        .serve_with_lifecycle(transport, lifecycle(era))
        .await
    {
        Ok(client) => Ok(client),
        Err(err) => bail!("the MCP handshake with dex-mcp failed: {err}"),
    }
}

/// A `dex-mcp --transport http` process: where it listens and what it has
/// logged. Dropping it kills the process.
pub struct HttpServer {
    child: std::process::Child,
    /// The bound address.
    pub addr: std::net::SocketAddr,
    log: std::sync::Arc<std::sync::Mutex<String>>,
}

impl HttpServer {
    /// The MCP endpoint's URL.
    pub fn url(&self) -> String {
        format!("http://{}/mcp", self.addr)
    }

    /// Everything the server wrote to stderr so far.
    pub fn log(&self) -> String {
        self.log.lock().expect("log lock").clone()
    }

    /// The process id, for sending it signals.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Whether the process is still running.
    pub fn is_running(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(None))
    }
}

impl Drop for HttpServer {
    fn drop(&mut self) {
        // SIGTERM first, as an operator would stop it: the server drains and
        // exits by itself, which is also when an instrumented build
        // (`cargo xtask coverage`) writes its profile. SIGKILL if it has not
        // exited after a few seconds.
        let terminated = std::process::Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .is_ok_and(|status| status.success());
        if terminated {
            let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
            while std::time::Instant::now() < deadline {
                if matches!(self.child.try_wait(), Ok(Some(_))) {
                    return;
                }
                std::thread::sleep(std::time::Duration::from_millis(20));
            }
        }
        self.child.kill().ok();
        self.child.wait().ok();
    }
}

/// A `dex-mcp` command with `args` and `env` and no inherited `DEX_*`
/// variables, stdin closed and stderr piped.
pub fn server_command(args: &[String], env: &[(&str, &str)]) -> std::process::Command {
    let mut cmd = std::process::Command::new(server_binary());
    cmd.args(args);
    for (name, _) in std::env::vars() {
        if name.starts_with("DEX_") {
            cmd.env_remove(name);
        }
    }
    cmd.env("DEX_MCP_NO_STATE", "true");
    cmd.envs(env.iter().copied())
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    cmd
}

/// Starts `dex-mcp --transport http --listen 127.0.0.1:0` plus `args`, and
/// waits until it logs the address it serves on.
pub fn start_http_server(args: &[String], env: &[(&str, &str)]) -> Result<HttpServer> {
    use std::io::BufRead;
    let mut all_args = vec![
        "--transport".to_owned(),
        "http".to_owned(),
        "--listen".to_owned(),
        "127.0.0.1:0".to_owned(),
    ];
    all_args.extend_from_slice(args);
    let mut child = server_command(&all_args, env)
        .spawn()
        .context("spawning dex-mcp")?;
    let stderr = child.stderr.take().expect("stderr is piped");
    let log = std::sync::Arc::new(std::sync::Mutex::new(String::new()));
    let (addr_tx, addr_rx) = std::sync::mpsc::channel();
    let sink = log.clone();
    std::thread::spawn(move || {
        for line in std::io::BufReader::new(stderr).lines() {
            let Ok(line) = line else { break };
            if line.contains("serving MCP over Streamable HTTP")
                && let Some(addr) = line
                    .split_whitespace()
                    .find_map(|field| field.strip_prefix("addr="))
                    .and_then(|addr| addr.parse::<std::net::SocketAddr>().ok())
            {
                addr_tx.send(addr).ok();
            }
            let mut log = sink.lock().expect("log lock");
            log.push_str(&line);
            log.push('\n');
        }
    });
    // Generous: a debug build compiles the component on a cold cache.
    match addr_rx.recv_timeout(std::time::Duration::from_secs(300)) {
        Ok(addr) => Ok(HttpServer { child, addr, log }),
        Err(_) => {
            child.kill().ok();
            child.wait().ok();
            bail!(
                "dex-mcp did not start serving HTTP; its log:\n{}",
                log.lock().expect("log lock")
            )
        }
    }
}

/// Connects rmcp's Streamable HTTP client to `url`, with `token` as its
/// bearer token.
pub async fn connect_http(url: &str, token: Option<&str>, era: Era) -> Result<Client> {
    use rmcp::transport::StreamableHttpClientTransport;
    use rmcp::transport::streamable_http_client::StreamableHttpClientTransportConfig;
    let mut config = StreamableHttpClientTransportConfig::with_uri(url);
    if let Some(token) = token {
        config = config.auth_header(token);
    }
    let transport = StreamableHttpClientTransport::from_config(config);
    match ().serve_with_lifecycle(transport, lifecycle(era)).await {
        Ok(client) => Ok(client),
        Err(err) => bail!("the MCP handshake over HTTP failed: {err}"),
    }
}

fn lifecycle(era: Era) -> ClientLifecycleMode {
    match era {
        Era::Legacy => ClientLifecycleMode::Initialize,
        Era::Modern => ClientLifecycleMode::Discover {
            preferred_versions: vec![rmcp::model::ProtocolVersion::V_2026_07_28],
        },
    }
}

/// The Dex guest served against a simulated Dex: what most end-to-end
/// tests start from.
pub struct AgainstSimulator {
    /// The MCP client, connected over stdio.
    pub client: Client,
    /// The simulated Dex the server talks to.
    pub simulator: dex_sim::RunningSim,
}

/// A Dex API generation the server can be configured for
/// (`DEX_API_GENERATION`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Generation {
    /// The current API, `/v1/...`.
    V1,
    /// The older Hasura REST API, `/api/rest/...`.
    Legacy,
}

impl Generation {
    /// Both generations, for tests that must hold on each.
    pub const BOTH: [Generation; 2] = [Generation::V1, Generation::Legacy];

    /// The value of `DEX_API_GENERATION`.
    pub fn setting(self) -> &'static str {
        match self {
            Generation::V1 => "v1",
            Generation::Legacy => "legacy",
        }
    }

    /// The simulator's base URL for this generation.
    pub fn base_url(self, simulator: &dex_sim::RunningSim) -> String {
        match self {
            Generation::V1 => simulator.v1_base_url(),
            Generation::Legacy => simulator.legacy_base_url(),
        }
    }
}

/// Every way the server meets Dex in the tests that must hold on each: v1
/// in each answer shape the simulator serves (Dex's reference and the
/// older one; `dex_sim::AnswerShape`), and legacy (which has one shape).
/// A client that reads only one v1 shape fails one of the v1 rows.
pub const APIS: [(Generation, dex_sim::AnswerShape); 3] = [
    (Generation::V1, dex_sim::AnswerShape::Reference),
    (Generation::V1, dex_sim::AnswerShape::Older),
    (Generation::Legacy, dex_sim::AnswerShape::Reference),
];

/// Starts a simulator from `config` (its key is the server's key) and
/// `dex-mcp` serving the Dex guest against its v1 API, with `env` added to
/// the server's environment.
pub async fn serve_against_simulator(
    config: dex_sim::SimConfig,
    env: &[(&str, &str)],
) -> AgainstSimulator {
    serve_generation_against_simulator(config, Generation::V1, env).await
}

/// Like [`serve_against_simulator`], with the server configured for
/// `generation`. Variables in `env` win over the ones set here (a test may
/// pass another `DEX_API_KEY`).
pub async fn serve_generation_against_simulator(
    config: dex_sim::SimConfig,
    generation: Generation,
    env: &[(&str, &str)],
) -> AgainstSimulator {
    let (client, simulator) =
        serve_with_against_simulator((), config, generation, Era::Legacy, env).await;
    AgainstSimulator { client, simulator }
}

/// Like [`serve_generation_against_simulator`], with `handler` as the
/// client's side and the client opening the conversation as `era` says.
pub async fn serve_with_against_simulator<H: ClientHandler>(
    handler: H,
    config: dex_sim::SimConfig,
    generation: Generation,
    era: Era,
    env: &[(&str, &str)],
) -> (RunningService<RoleClient, H>, dex_sim::RunningSim) {
    let key = config.api_key.clone();
    let simulator = dex_sim::RunningSim::start(config, "127.0.0.1:0".parse().expect("an address"))
        .await
        .expect("the simulator starts");
    let base_url = generation.base_url(&simulator);
    let args = vec![
        "--component".to_owned(),
        component("dex_guest").display().to_string(),
    ];
    let mut all_env = vec![
        ("DEX_API_KEY", key.as_str()),
        ("DEX_API_BASE_URL", base_url.as_str()),
        ("DEX_API_GENERATION", generation.setting()),
    ];
    all_env.extend_from_slice(env);
    let client = start_server_with(handler, &args, &all_env, era, None)
        .await
        .expect("dex-mcp starts");
    (client, simulator)
}

/// Calls `tool` with `arguments` (a JSON object).
pub async fn call<H: ClientHandler>(
    client: &RunningService<RoleClient, H>,
    tool: &'static str,
    arguments: serde_json::Value,
) -> rmcp::model::CallToolResult {
    let arguments = arguments
        .as_object()
        .expect("arguments are a JSON object")
        .clone();
    let request = rmcp::model::CallToolRequestParams::new(tool).with_arguments(arguments);
    client.call_tool(request).await.expect("tools/call answers")
}

/// Calls `tool`, which must succeed, and returns its structured content.
pub async fn call_ok<H: ClientHandler>(
    client: &RunningService<RoleClient, H>,
    tool: &'static str,
    arguments: serde_json::Value,
) -> serde_json::Value {
    let result = call(client, tool, arguments).await;
    assert_ne!(result.is_error, Some(true), "{tool}: {result:?}");
    result.structured_content.expect("structured content")
}

/// Requests the simulator served for reading the whole account through the
/// v1 bulk lists: it grows only when the guest reads the account.
pub fn account_reads(simulator: &dex_sim::RunningSim) -> u64 {
    let counters = simulator.counters();
    ["GET /v1/contacts", "GET /v1/timeline", "GET /v1/reminders"]
        .iter()
        .map(|e| counters.requests(e))
        .sum()
}

/// Every request the simulator served on a Dex route of either
/// generation (control requests to `/_sim` are not counted).
pub fn dex_requests(simulator: &dex_sim::RunningSim) -> u64 {
    simulator
        .counters()
        .endpoints
        .iter()
        .filter(|(endpoint, _)| endpoint.contains(" /v1/") || endpoint.contains(" /api/rest/"))
        .map(|(_, counts)| counts.requests)
        .sum()
}
