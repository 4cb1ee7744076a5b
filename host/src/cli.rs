//! Command-line flags, each with an environment variable.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::Parser;

use crate::upstream::ApiGeneration;

/// The component the set-up builds, found from the workspace this binary
/// was built in (`cargo xtask guest` writes it).
pub const BUILT_COMPONENT: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../target/components/dex_guest.wasm"
);

/// dex-mcp: the user's Dex CRM as MCP tools, served from a WebAssembly
/// component. Without an API key it serves a built-in simulated Dex with
/// seeded demo data.
#[derive(Debug, Parser)]
#[command(version, about)]
pub struct Cli {
    /// The component (.wasm) whose exports are served as tools.
    #[arg(long, env = "DEX_MCP_COMPONENT", default_value = BUILT_COMPONENT)]
    pub component: PathBuf,

    /// Reload the component when its file changes (it is also reloaded on
    /// SIGHUP). A file that fails to load is refused; the running one
    /// keeps serving.
    #[arg(long, env = "DEX_MCP_WATCH")]
    pub watch: bool,

    /// Dex API key. Without one, a simulated Dex with seeded data is served.
    #[arg(long = "api-key", env = "DEX_API_KEY", hide_env_values = true)]
    pub api_key: Option<String>,

    /// Base URL of the Dex API (default: Dex's own for the chosen generation).
    #[arg(long, env = "DEX_API_BASE_URL")]
    pub base_url: Option<String>,

    /// Which Dex API generation to use.
    #[arg(long, env = "DEX_API_GENERATION", value_enum, default_value = "v1")]
    pub api_generation: ApiGeneration,

    /// Longest a single tool call may run, in seconds.
    #[arg(long, env = "DEX_MCP_CALL_TIMEOUT", default_value_t = 60)]
    pub call_timeout: u64,

    /// Warm component instances kept between calls; also how many calls
    /// run at once. Each keeps its own copy of the account cache, so more
    /// cost memory (see docs/architecture.md).
    #[arg(long, env = "DEX_MCP_INSTANCES", default_value_t = 1, value_parser = clap::value_parser!(u16).range(1..=64))]
    pub instances: u16,

    /// Seconds the component keeps the account it read from Dex (contacts,
    /// notes, reminders and their indexes) before reading it again; 0 reads
    /// it on every call.
    #[arg(long, env = "DEX_MCP_CACHE_TTL", default_value_t = 300)]
    pub cache_ttl: u64,

    /// Memory one component instance may use, in MiB; a call that tries
    /// to use more is stopped.
    #[arg(long, env = "DEX_MCP_MAX_MEMORY_MB", default_value_t = 512, value_parser = clap::value_parser!(u32).range(16..=4096))]
    pub max_memory_mb: u32,

    /// HTTP requests one tool call may send to Dex; further ones are
    /// refused.
    #[arg(long, env = "DEX_MCP_MAX_REQUESTS_PER_CALL", default_value_t = 500)]
    pub max_requests_per_call: u32,

    /// Size of one Dex answer the component may read, in MiB.
    #[arg(long, env = "DEX_MCP_MAX_RESPONSE_MB", default_value_t = 32)]
    pub max_response_mb: u64,

    /// Serve Prometheus metrics at http://<ADDR>/metrics (off unless set).
    #[arg(long = "metrics", env = "DEX_MCP_METRICS", value_name = "ADDR")]
    pub metrics: Option<SocketAddr>,

    /// Directory of compiled components kept between runs
    /// (default: $XDG_CACHE_HOME/dex-mcp, else ~/.cache/dex-mcp).
    #[arg(long, env = "DEX_MCP_COMPILE_CACHE_DIR")]
    pub compile_cache_dir: Option<PathBuf>,

    /// Compile the component on every start; read and write no cache.
    #[arg(long, env = "DEX_MCP_NO_COMPILE_CACHE")]
    pub no_compile_cache: bool,

    /// Contacts in the simulated Dex (demo mode only).
    #[arg(long, env = "DEX_MCP_DEMO_CONTACTS", default_value_t = 200)]
    pub demo_contacts: usize,

    /// Seed of the simulated Dex's data (demo mode only).
    #[arg(long, env = "DEX_MCP_DEMO_SEED", default_value_t = 42)]
    pub demo_seed: u64,

    /// How MCP clients connect: `stdio` (the client starts this process) or
    /// `http` (Streamable HTTP at http://<listen>/mcp).
    #[arg(long, env = "DEX_MCP_TRANSPORT", value_enum, default_value = "stdio")]
    pub transport: Transport,

    /// Address the HTTP transport listens on. Anything but loopback needs
    /// --http-token.
    #[arg(long, env = "DEX_MCP_LISTEN", default_value = "127.0.0.1:8080")]
    pub listen: SocketAddr,

    /// Bearer token every HTTP request must carry
    /// (`Authorization: Bearer <token>`).
    #[arg(long, env = "DEX_MCP_HTTP_TOKEN", hide_env_values = true)]
    pub http_token: Option<String>,

    /// Browser origin allowed to call the HTTP transport besides loopback
    /// ones, e.g. `https://app.example.com:443` (repeat or comma-separate).
    #[arg(
        long = "allowed-origin",
        env = "DEX_MCP_ALLOWED_ORIGINS",
        value_delimiter = ','
    )]
    pub allowed_origins: Vec<String>,

    /// `Host` header value accepted besides loopback names and the bound
    /// address, e.g. `mcp.example.com` (repeat or comma-separate).
    #[arg(
        long = "allowed-host",
        env = "DEX_MCP_ALLOWED_HOSTS",
        value_delimiter = ','
    )]
    pub allowed_hosts: Vec<String>,
}

/// The MCP transports the server speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Transport {
    /// JSON-RPC lines on stdin/stdout; the client runs the server.
    Stdio,
    /// Streamable HTTP on `--listen`.
    Http,
}
