//! Command-line flags, each with an environment variable: the host's own
//! ([`Cli`]), and one per setting the component declares, added at run
//! time ([`parse`]).
//!
//! The component's settings are flags of this binary although it knows
//! none of them: the command line is read twice. The first pass reads only
//! the host's flags and ignores the rest, which is enough to find and
//! load the component and ask it for its settings; the second adds a flag
//! per setting and parses everything, so `--help` shows what the component
//! says and an unknown flag is still an error.

use std::ffi::OsString;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use clap::{CommandFactory, FromArgMatches, Parser};

use crate::settings::{Declared, SettingValues};
use crate::state::RedisUrl;

/// The component the set-up builds, found from the workspace this binary
/// was built in (`cargo xtask guest` writes it).
pub const BUILT_COMPONENT: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../target/components/dex_guest.wasm"
);

/// The component's file name beside the executable in a release archive
/// or bundle (`cargo xtask dist`).
pub const SHIPPED_COMPONENT: &str = "dex_guest.wasm";

/// The component served when neither `--component` nor its variable
/// names one: [`SHIPPED_COMPONENT`] beside this executable when it is
/// there (an unpacked archive or bundle, whose build machine's paths mean
/// nothing), else [`BUILT_COMPONENT`] (a build in the workspace).
pub fn default_component() -> PathBuf {
    std::env::current_exe()
        .ok()
        .and_then(|exe| Some(exe.parent()?.join(SHIPPED_COMPONENT)))
        .filter(|beside| beside.is_file())
        .unwrap_or_else(|| PathBuf::from(BUILT_COMPONENT))
}

/// What `--version` prints after the program's name: this host's version
/// and the version the component at `component` declares (its `version`
/// section, see [`crate::component::declared_version`]), or that it
/// declares none or could not be read.
pub fn version_text(component: &Path, declared: Option<&str>) -> String {
    let file = component.file_name().map_or_else(
        || component.display().to_string(),
        |name| name.to_string_lossy().into_owned(),
    );
    match declared {
        Some(version) => format!("{} (component {file} {version})", env!("CARGO_PKG_VERSION")),
        None => format!(
            "{} (component {file}: no version declared or not readable)",
            env!("CARGO_PKG_VERSION")
        ),
    }
}

/// dex-mcp: serves the tools of a WebAssembly component over MCP (stdio
/// or Streamable HTTP), with HTTP to one origin as the component's only
/// way out. The component's own settings are listed after the host's.
#[derive(Debug, Parser)]
#[command(version, about)]
pub struct Cli {
    /// What to do instead of serving MCP.
    #[command(subcommand)]
    pub command: Option<Command>,

    /// The component (.wasm) whose exports are served as tools, or a Wasm
    /// OCI artifact pinned by its digest:
    /// oci://REGISTRY/REPOSITORY[:TAG]@sha256:DIGEST (pulled once, kept
    /// under the compile cache directory, checked on every start).
    #[arg(long, env = "DEX_MCP_COMPONENT", default_value_os_t = default_component(), global = true)]
    pub component: PathBuf,

    /// Reload the component when its file changes (it is also reloaded on
    /// SIGHUP). A file that fails to load is refused; the running one
    /// keeps serving.
    #[arg(long, env = "DEX_MCP_WATCH")]
    pub watch: bool,

    /// Longest a single tool call may run, in seconds.
    #[arg(long, env = "DEX_MCP_CALL_TIMEOUT", default_value_t = 60)]
    pub call_timeout: u64,

    /// Warm component instances kept between calls; also how many calls
    /// run at once. Each keeps its own copy of the account cache, so more
    /// cost memory (see docs/architecture.md).
    #[arg(long, env = "DEX_MCP_INSTANCES", default_value_t = 1, value_parser = clap::value_parser!(u16).range(1..=64))]
    pub instances: u16,

    /// Offer only these tools: names (as tools/list gives them) and behaviour hints
    /// (`read-only`, `destructive`, `idempotent`, `open-world`, or `!` and
    /// a hint for the tools without it), comma-separated or repeated; a
    /// tool matching any is offered. Tools left out are neither listed nor
    /// callable.
    #[arg(long, env = "DEX_MCP_TOOLS", value_name = "NAMES_OR_HINTS")]
    pub tools: Vec<String>,

    /// Offer only the tools the component marks read-only, and refuse a
    /// call to any other in the server itself: nothing can be changed
    /// through this server.
    #[arg(long, env = "DEX_MCP_READ_ONLY")]
    pub read_only: bool,

    /// How much of each tool's answer tools/list describes: `shallow` (the
    /// default) its top-level fields and their JSON types, a few bytes a
    /// field; `compact` its whole structure, for clients that type
    /// results, and `full` the same with each field described (about two
    /// and two and a half times the listing; docs/architecture.md);
    /// `none` no output schema. Results carry structured content in every
    /// mode.
    #[arg(
        long,
        env = "DEX_MCP_OUTPUT_SCHEMAS",
        value_enum,
        default_value = "shallow"
    )]
    pub output_schemas: OutputSchemas,

    /// Most seconds between two maintenance rounds, in which new instances
    /// read the account again beside the serving ones once it is past its
    /// cache TTL, so that no call waits for it; 0 turns rounds off, and a
    /// call past the TTL then reads the account itself.
    #[arg(long, env = "DEX_MCP_MAINTENANCE_INTERVAL", default_value_t = 30)]
    pub maintenance_interval: u64,

    /// Memory one component instance may use, in MiB; a call that tries
    /// to use more is stopped.
    #[arg(long, env = "DEX_MCP_MAX_MEMORY_MB", default_value_t = 512, value_parser = clap::value_parser!(u32).range(16..=4096))]
    pub max_memory_mb: u32,

    /// HTTP requests one tool call may send upstream; further ones are
    /// refused.
    #[arg(long, env = "DEX_MCP_MAX_REQUESTS_PER_CALL", default_value_t = 500)]
    pub max_requests_per_call: u32,

    /// Size of one upstream answer the component may read, in MiB.
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

    /// Directory of the component's state (what it keeps between runs,
    /// so that a restart need not read everything again), one database
    /// file readable by this user only (default:
    /// $XDG_CACHE_HOME/dex-mcp/state, else ~/.cache/dex-mcp/state). See
    /// docs/operations.md.
    #[arg(long, env = "DEX_MCP_STATE_DIR", global = true)]
    pub state_dir: Option<PathBuf>,

    /// Keep the component's state in Redis instead of a local file, so
    /// that several replicas share it: redis://[user:password@]host[:port][/db].
    /// Keys are `dex-mcp:<bucket>:<key>`. Wins over --state-dir; an
    /// unreachable server at start-up means running without state. The
    /// password is never logged. See docs/operations.md.
    #[arg(
        long,
        env = "DEX_MCP_STATE_URL",
        value_name = "URL",
        value_parser = StateUrlParser,
        hide_env_values = true,
        global = true
    )]
    pub state_url: Option<RedisUrl>,

    /// Keep no state: every start reads everything from upstream again.
    /// Wins over --state-dir and --state-url.
    #[arg(long, env = "DEX_MCP_NO_STATE")]
    pub no_state: bool,

    /// What demo mode serves when the component's secrets have no value
    /// (no flags in a build without the `demo` feature).
    #[command(flatten)]
    pub demo: crate::demo::Args,

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

/// What `dex-mcp` can do besides serving MCP.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::Subcommand)]
pub enum Command {
    /// Run the component's read-only self-check against the configured
    /// upstream once, changing nothing: what each check read, the shape of
    /// its answer, and what to fix. Prints a table (no personal data, never
    /// a secret); exits non-zero when a check the tools need fails.
    Doctor,
    /// Remove the component's stored state (what it keeps between runs)
    /// from --state-dir or the default directory, or with --state-url
    /// every `dex-mcp:` key in that Redis, and exit.
    Forget,
}

/// Reads `--state-url`. Not clap's usual `FromStr` parser: its errors
/// repeat the value given, and this one may hold a password; the error
/// here names the URL with its password hidden.
#[derive(Debug, Clone, Copy)]
struct StateUrlParser;

impl clap::builder::TypedValueParser for StateUrlParser {
    type Value = RedisUrl;

    fn parse_ref(
        &self,
        command: &clap::Command,
        _arg: Option<&clap::Arg>,
        value: &std::ffi::OsStr,
    ) -> Result<RedisUrl, clap::Error> {
        let refuse = |message: String| {
            clap::Error::raw(clap::error::ErrorKind::ValueValidation, message + "\n")
                .with_cmd(command)
        };
        let text = value
            .to_str()
            .ok_or_else(|| refuse("--state-url is not valid UTF-8".into()))?;
        RedisUrl::parse(text).map_err(|e| refuse(e.to_string()))
    }
}

/// How much of each tool's answer tools/list describes (`--output-schemas`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum OutputSchemas {
    /// No `outputSchema`.
    None,
    /// Every tool's `outputSchema` as the top-level properties of its
    /// answer and their JSON types, nothing required: what an assistant
    /// needs to know the answer's parts, at about an eighth of the compact
    /// schema's bytes (every tool listed costs its output schema's bytes in
    /// the context of each session). A failed call's error record
    /// validates against it without being spelled out.
    #[default]
    Shallow,
    /// Every tool's `outputSchema`, the success and the error record, as
    /// types and structure only (the fields are described in
    /// docs/tools.md).
    Compact,
    /// The compact schemas with a `description` on every field of the
    /// answer, from the component's catalogue.
    Full,
}

/// The MCP transports the server speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Transport {
    /// JSON-RPC lines on stdin/stdout; the client runs the server.
    Stdio,
    /// Streamable HTTP on `--listen`.
    Http,
}

/// The whole command line: the host's flags and the component's settings.
#[derive(Debug)]
pub struct CommandLine {
    /// The host's flags.
    pub cli: Cli,
    /// The settings given, by variable.
    pub settings: SettingValues,
}

/// The host's flags in `argv`, skipping any other (the component's
/// settings, unknown until it is loaded; `--help`, which needs them). An
/// error is about the host's own flags.
pub fn host_flags(argv: &[OsString]) -> Result<Cli, clap::Error> {
    let command = Cli::command()
        .disable_help_flag(true)
        .disable_version_flag(true);
    let ours = host_arguments(&command, argv);
    let matches = command.try_get_matches_from(ours)?;
    Cli::from_arg_matches(&matches)
}

/// The program name, the subcommand and the host's flags of `argv`, with
/// their values.
/// Every other flag is dropped with the token after it when that does
/// not start with `-`: the component's settings all take a value. A
/// misreading shows when the full parse disagrees (see [`crate::serve`]).
fn host_arguments(command: &clap::Command, argv: &[OsString]) -> Vec<OsString> {
    let takes_value = |long: &str| {
        command
            .get_arguments()
            .find(|arg| arg.get_long() == Some(long))
            .map(|arg| arg.get_action().takes_values())
    };
    let mut kept = Vec::with_capacity(argv.len());
    let mut tokens = argv.iter();
    kept.extend(tokens.next().cloned());
    while let Some(token) = tokens.next() {
        let text = token.to_string_lossy();
        let Some(flag) = text.strip_prefix("--") else {
            // A subcommand (`doctor`); any other word is a value dropped
            // with its flag, or an error the full parse reports.
            if command.find_subcommand(text.as_ref()).is_some() {
                kept.push(token.clone());
            }
            continue;
        };
        let (long, inline_value) = match flag.split_once('=') {
            Some((long, _)) => (long, true),
            None => (flag, false),
        };
        match takes_value(long) {
            Some(value) => {
                kept.push(token.clone());
                if value && !inline_value {
                    kept.extend(tokens.next().cloned());
                }
            }
            None if !inline_value => {
                let mut rest = tokens.clone();
                if rest
                    .next()
                    .is_some_and(|next| !next.to_string_lossy().starts_with('-'))
                {
                    tokens.next();
                }
            }
            None => {}
        }
    }
    kept
}

/// The host's command line with a flag for each of `declared`'s settings.
pub fn command(declared: &Declared) -> clap::Command {
    Cli::command().args(declared.args())
}

/// Parses `argv` against the host's flags and `declared`'s settings;
/// prints help, the version or the error and exits as clap does. When the
/// component could not be loaded, `--help` says why its settings are
/// missing.
/// `version` is what `--version` prints after the name ([`version_text`]).
pub fn parse(
    argv: &[OsString],
    declared: &Declared,
    load_error: Option<&str>,
    version: String,
) -> CommandLine {
    let mut command = command(declared).version(version);
    if let Some(error) = load_error {
        command = command.after_help(format!(
            "The component's own settings are not listed: {error}"
        ));
    }
    let matches = command.get_matches_from(argv);
    let cli = Cli::from_arg_matches(&matches).unwrap_or_else(|err| err.exit());
    CommandLine {
        cli,
        settings: declared.given(&matches),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::component::Setting;

    fn argv(args: &[&str]) -> Vec<OsString> {
        std::iter::once("dex-mcp")
            .chain(args.iter().copied())
            .map(OsString::from)
            .collect()
    }

    fn flavour() -> Declared {
        let setting = Setting {
            name: "flavour".into(),
            env: "APP_FLAVOUR".into(),
            description: "Which flavour.".into(),
            default: None,
            choices: Vec::new(),
            secret: false,
            deprecated: None,
        };
        Declared::new(vec![setting], &Cli::command()).unwrap()
    }

    #[test]
    fn the_version_names_the_component_s_when_it_declares_one() {
        let host = env!("CARGO_PKG_VERSION");
        assert_eq!(
            version_text(Path::new("/opt/x/app.wasm"), Some("2.0.1")),
            format!("{host} (component app.wasm 2.0.1)")
        );
        assert_eq!(
            version_text(Path::new("app.wasm"), None),
            format!("{host} (component app.wasm: no version declared or not readable)")
        );
        let matches = command(&Declared::default())
            .version(version_text(Path::new("app.wasm"), Some("2.0.1")))
            .try_get_matches_from(argv(&["--version"]))
            .unwrap_err();
        assert_eq!(matches.kind(), clap::error::ErrorKind::DisplayVersion);
        assert!(
            matches.to_string().contains("component app.wasm 2.0.1"),
            "{matches}"
        );
    }

    #[test]
    fn the_first_pass_reads_host_flags_among_unknown_ones() {
        let cli = host_flags(&argv(&[
            "--flavour",
            "old",
            "--component",
            "/tmp/x.wasm",
            "--unknown",
            "--max-memory-mb=64",
            "--help",
            "--flavour=new",
            "--watch",
            "doctor",
            "--flavour",
            "x",
        ]))
        .unwrap();
        assert_eq!(cli.command, Some(Command::Doctor));
        assert_eq!(cli.component, PathBuf::from("/tmp/x.wasm"));
        assert_eq!(cli.max_memory_mb, 64);
        assert!(cli.watch);
    }

    #[test]
    fn the_first_pass_reports_bad_host_values() {
        let err = host_flags(&argv(&["--max-memory-mb", "lots"])).unwrap_err();
        assert_eq!(err.kind(), clap::error::ErrorKind::ValueValidation);
        let cli = host_flags(&argv(&[])).unwrap();
        assert_eq!(cli.component, default_component());
    }

    #[test]
    fn the_second_pass_reads_the_component_settings_too() {
        let line = command(&flavour())
            .try_get_matches_from(argv(&["--flavour", "old", "--instances", "2"]))
            .unwrap();
        let cli = Cli::from_arg_matches(&line).unwrap();
        assert_eq!(cli.instances, 2);
        assert_eq!(
            flavour().given(&line).lookup("APP_FLAVOUR").as_deref(),
            Some("old")
        );
    }

    #[test]
    fn the_second_pass_still_refuses_unknown_flags() {
        let err = command(&flavour())
            .try_get_matches_from(argv(&["--flavor", "old"]))
            .unwrap_err();
        assert_eq!(err.kind(), clap::error::ErrorKind::UnknownArgument);
    }

    #[test]
    fn a_state_url_is_read_and_a_bad_one_refused_without_its_password() {
        let cli = host_flags(&argv(&["--state-url", "redis://:pw-1@cache:6380/2"])).unwrap();
        assert!(!format!("{cli:?}").contains("pw-1"));
        let url = cli.state_url.expect("a URL");
        assert_eq!(url.redacted(), "redis://:***@cache:6380/2");
        // Given after the subcommand too, as `dex-mcp forget --state-url`.
        let cli = host_flags(&argv(&["forget", "--state-url", "redis://cache"])).unwrap();
        assert_eq!(cli.command, Some(Command::Forget));
        assert!(cli.state_url.is_some());
        let err = host_flags(&argv(&["--state-url", "rediss://:pw-2@cache"])).unwrap_err();
        assert_eq!(err.kind(), clap::error::ErrorKind::ValueValidation);
        let shown = err.to_string();
        assert!(!shown.contains("pw-2"), "{shown}");
        assert!(shown.contains("redis://"), "{shown}");
    }

    #[test]
    fn the_host_flags_are_a_valid_command() {
        Cli::command().debug_assert();
        command(&flavour()).debug_assert();
    }
}
