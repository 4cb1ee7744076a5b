//! The rows of the report and how each is run: which server, how many
//! clients, which calls. Servers are started once per `--instances` value
//! (dex-mcp) or per variant (echo), warmed, then every row is run
//! `--repeat` times, interleaved, so that a burst of noise from other work
//! on the machine spreads over all rows instead of spoiling one.

use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use dex_sim::{RunningSim, SimConfig};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

use crate::RunOptions;
use crate::http_driver::{Budget, Plan, WriteLog, call_once, run_clients};
use crate::server_process::{ChildServer, Memory, MemoryBreakdown, ServerSpec};
use crate::stats::Samples;
use crate::stdio_driver::StdioServer;
use crate::verify::{self, WriteCheck};
use crate::workload::{Mix, Workload};

/// A line of the report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, clap::ValueEnum)]
pub enum Row {
    /// One HTTP client, the realistic mix: latency without queueing.
    Latency,
    /// `--clients` HTTP clients and one stdio client, the realistic mix.
    Mix,
    /// `--clients` HTTP clients, cached search only: the throughput row.
    Search,
    /// The echo baseline, JSON answers, `TCP_NODELAY` (as dex-mcp serves).
    Echo,
    /// The echo baseline, JSON answers, Nagle's algorithm on.
    EchoNoNodelay,
    /// The echo baseline, SSE answers, `TCP_NODELAY`.
    EchoSse,
    /// The echo baseline, SSE answers, Nagle's algorithm on.
    EchoSseNoNodelay,
}

impl Row {
    /// Every row, in report order.
    pub const DEFAULT: [Row; 7] = [
        Row::Latency,
        Row::Mix,
        Row::Search,
        Row::Echo,
        Row::EchoNoNodelay,
        Row::EchoSse,
        Row::EchoSseNoNodelay,
    ];

    /// Its name on the command line and in the report.
    pub fn name(self) -> &'static str {
        match self {
            Row::Latency => "latency",
            Row::Mix => "mix",
            Row::Search => "search",
            Row::Echo => "echo",
            Row::EchoNoNodelay => "echo-no-nodelay",
            Row::EchoSse => "echo-sse",
            Row::EchoSseNoNodelay => "echo-sse-no-nodelay",
        }
    }

    /// Whether it runs against the echo baseline rather than dex-mcp.
    pub fn is_echo(self) -> bool {
        matches!(
            self,
            Row::Echo | Row::EchoNoNodelay | Row::EchoSse | Row::EchoSseNoNodelay
        )
    }

    /// How many HTTP clients it runs.
    pub fn clients(self, options: &RunOptions) -> usize {
        match self {
            Row::Latency => 1,
            _ => options.clients.max(1),
        }
    }

    /// The echo server's `(nodelay, sse)`.
    fn echo_variant(self) -> (bool, bool) {
        match self {
            Row::EchoNoNodelay => (false, false),
            Row::EchoSse => (true, true),
            Row::EchoSseNoNodelay => (false, true),
            _ => (true, false),
        }
    }
}

/// One run of one row.
#[derive(Debug)]
pub struct RowRun {
    /// Which row.
    pub row: Row,
    /// dex-mcp's `--instances`; `None` for echo rows.
    pub instances: Option<u16>,
    /// HTTP clients.
    pub clients: usize,
    /// From the first call to the last answer.
    pub wall: Duration,
    /// What the HTTP clients saw.
    pub http: Samples,
    /// What the stdio client saw (mix row only).
    pub stdio: Option<Samples>,
}

impl RowRun {
    /// Successful HTTP calls per second.
    pub fn throughput(&self) -> f64 {
        let ok = self.http.calls() - self.http.errors();
        ok as f64 / self.wall.as_secs_f64().max(1e-9)
    }
}

/// A dex-mcp server's start, warm-up and memory.
#[derive(Debug)]
pub struct ServerRun {
    /// Its `--instances`.
    pub instances: u16,
    /// From spawning to serving HTTP.
    pub start: Duration,
    /// The first search (reads the whole account).
    pub first_call: Duration,
    /// The whole warm-up.
    pub warm_up: Duration,
    /// Right after the warm-up: the warm index in every instance.
    pub warm: Memory,
    /// Where the warm RSS is, by kind of mapping.
    pub warm_breakdown: MemoryBreakdown,
    /// After all its rows (`peak_mib` is the high-water mark).
    pub end: Memory,
    /// The stdio server's, after its rows.
    pub stdio_end: Option<Memory>,
}

/// An echo server's memory after its rows.
#[derive(Debug)]
pub struct EchoRun {
    /// Which variant.
    pub row: Row,
    /// After its rows.
    pub end: Memory,
}

/// Everything a harness run measured.
#[derive(Debug)]
pub struct Results {
    /// Every run of every row.
    pub runs: Vec<RowRun>,
    /// Every dex-mcp server started.
    pub servers: Vec<ServerRun>,
    /// Every echo server started.
    pub echoes: Vec<EchoRun>,
    /// The account's size: contacts, notes, reminders.
    pub account: (usize, usize, usize),
    /// Writes made.
    pub writes: WriteLog,
    /// What the simulator holds of them.
    pub write_check: WriteCheck,
}

/// Runs every row `options` asks for.
pub async fn run_all(options: &RunOptions) -> Result<Results> {
    if !options.component.exists() {
        bail!(
            "{} is missing: build it with `cargo xtask guest`",
            options.component.display()
        );
    }
    let dex_rows: Vec<Row> = options
        .rows
        .iter()
        .copied()
        .filter(|r| !r.is_echo())
        .collect();
    let echo_rows: Vec<Row> = options
        .rows
        .iter()
        .copied()
        .filter(|r| r.is_echo())
        .collect();
    if !dex_rows.is_empty() && !options.server_bin.exists() {
        bail!(
            "{} is missing: build it with `cargo build --release -p dex-mcp`",
            options.server_bin.display()
        );
    }

    eprintln!(
        "load: generating the account ({} contacts)",
        options.contacts
    );
    let config = SimConfig {
        contacts: options.contacts,
        seed: options.seed,
        ..SimConfig::default()
    };
    // On a thread of its own, away from the load generator's runtime.
    let simulator = RunningSim::start_blocking(config).context("starting the simulator")?;
    let dataset = simulator.snapshot();
    let account = (
        dataset.contacts.len(),
        dataset.notes.len(),
        dataset.reminders.len(),
    );
    let mut rng = ChaCha8Rng::seed_from_u64(options.seed);
    let workload = Arc::new(Workload::from_dataset(&dataset, &mut rng));
    drop(dataset);

    let mut results = Results {
        runs: Vec::new(),
        servers: Vec::new(),
        echoes: Vec::new(),
        account,
        writes: WriteLog::default(),
        write_check: WriteCheck::default(),
    };
    for &instances in &options.instances {
        if dex_rows.is_empty() {
            break;
        }
        let state_dir = options.out_dir.join(format!("state-{instances}"));
        // A stored account left by an earlier run would answer the warm-up.
        std::fs::remove_dir_all(&state_dir).ok();
        let spec = ServerSpec {
            binary: options.server_bin.clone(),
            component: options.component.clone(),
            base_url: simulator.v1_base_url(),
            api_key: simulator.api_key().to_owned(),
            instances,
            cache_ttl: options.cache_ttl,
            maintenance_interval: options.maintenance_interval,
            state_dir,
        };
        run_dex_server(options, &spec, &dex_rows, &workload, &mut results).await?;
    }
    for &row in &echo_rows {
        run_echo_server(options, row, &mut results).await?;
    }

    eprintln!("load: checking the writes in the simulator");
    results.write_check = verify::check(&simulator.snapshot(), &results.writes);
    Ok(results)
}

async fn run_dex_server(
    options: &RunOptions,
    spec: &ServerSpec,
    rows: &[Row],
    workload: &Arc<Workload>,
    results: &mut Results,
) -> Result<()> {
    let instances = spec.instances;
    eprintln!("load: starting dex-mcp --instances {instances}");
    let started = Instant::now();
    let log = options
        .out_dir
        .join(format!("dex-mcp-http-{instances}.log"));
    let server = ChildServer::start_dex(spec, &log)?;
    let start = started.elapsed();
    let stdio = if rows.contains(&Row::Mix) && !options.no_stdio {
        let log = options
            .out_dir
            .join(format!("dex-mcp-stdio-{instances}.log"));
        Some(StdioServer::start(spec, &log).await?)
    } else {
        None
    };

    let warm_started = Instant::now();
    let first_call = warm_dex(server.addr, workload, instances, options.clients)
        .await
        .with_context(|| format!("warming dex-mcp up (log: {})", log.display()))?;
    let warm_up = warm_started.elapsed();
    let warm = Memory::of(server.pid())?;
    let warm_breakdown = MemoryBreakdown::of(server.pid())?;
    if let Some(stdio) = &stdio {
        let mut rng = ChaCha8Rng::seed_from_u64(1);
        stdio
            .call(
                crate::workload::SEARCH,
                &workload.search(&mut rng).arguments,
            )
            .await
            .context("warming the stdio server up")?;
    }
    eprintln!(
        "load: warm after {:.1} s (first call {:.0} ms), RSS {:.1} MiB",
        warm_up.as_secs_f64(),
        first_call.as_secs_f64() * 1000.0,
        warm.rss_mib
    );

    for repeat in 0..options.repeat {
        for &row in rows {
            let mix = match row {
                Row::Search => Mix::SEARCH_ONLY,
                _ => Mix::REALISTIC,
            };
            let plan = Plan::Dex {
                workload: workload.clone(),
                mix,
            };
            let stdio = stdio.as_ref().filter(|_| row == Row::Mix);
            let seed = options.seed ^ ((repeat as u64) << 32) ^ row as u64;
            let (run, writes) = run_row(
                options,
                row,
                server.addr,
                &plan,
                stdio,
                seed,
                Some(instances),
            )
            .await;
            progress(&run, repeat);
            results.writes.merge(writes);
            results.runs.push(run);
        }
    }
    let end = Memory::of(server.pid())?;
    let stdio_end = match stdio {
        Some(stdio) => {
            let memory = Memory::of(stdio.pid).ok();
            stdio.stop().await;
            memory
        }
        None => None,
    };
    results.servers.push(ServerRun {
        instances,
        start,
        first_call,
        warm_up,
        warm,
        warm_breakdown,
        end,
        stdio_end,
    });
    Ok(())
}

/// Reads the account into every instance: one search, then rounds of
/// twice as many concurrent searches as there are instances until two
/// rounds in a row answer fast, then a second of the search load.
/// Returns the first call's latency.
async fn warm_dex(
    addr: std::net::SocketAddr,
    workload: &Arc<Workload>,
    instances: u16,
    clients: usize,
) -> Result<Duration> {
    const FAST: Duration = Duration::from_millis(100);
    let mut rng = ChaCha8Rng::seed_from_u64(0);
    let first_call = call_once(addr, &workload.search(&mut rng))
        .await
        .context("the first search")?;
    let mut fast_rounds = 0;
    for _ in 0..30 {
        let handles: Vec<_> = (0..usize::from(instances) * 2)
            .map(|_| {
                let call = workload.search(&mut rng);
                tokio::spawn(async move { call_once(addr, &call).await })
            })
            .collect();
        let mut slowest = Duration::ZERO;
        for handle in handles {
            slowest = slowest.max(handle.await.context("a warm-up call")??);
        }
        fast_rounds = if slowest < FAST { fast_rounds + 1 } else { 0 };
        if fast_rounds == 2 {
            break;
        }
    }
    let plan = Plan::Dex {
        workload: workload.clone(),
        mix: Mix::SEARCH_ONLY,
    };
    let budget = Budget::Until(Instant::now() + Duration::from_secs(1));
    let (report, _) = run_clients(addr, &plan, &budget, clients, 7).await;
    if report.samples.errors() > 0 {
        let (tool, samples) = report
            .samples
            .tools()
            .find(|(_, s)| s.errors > 0)
            .expect("some tool failed");
        bail!(
            "{tool} failed during the warm-up: {:?}",
            samples.first_errors
        );
    }
    Ok(first_call)
}

async fn run_echo_server(options: &RunOptions, row: Row, results: &mut Results) -> Result<()> {
    let (nodelay, sse) = row.echo_variant();
    eprintln!("load: starting the echo baseline ({})", row.name());
    let server = ChildServer::start_echo(nodelay, sse)?;
    let warm_budget = Budget::Until(Instant::now() + Duration::from_secs(1));
    let (warm, _) = run_clients(
        server.addr,
        &Plan::Echo,
        &warm_budget,
        row.clients(options),
        7,
    )
    .await;
    if warm.samples.errors() > 0 {
        let first = warm
            .samples
            .tools()
            .flat_map(|(_, s)| s.first_errors.clone())
            .next();
        bail!("the echo baseline fails: {first:?}");
    }
    for repeat in 0..options.repeat {
        let seed = options.seed ^ ((repeat as u64) << 32) ^ row as u64;
        let (run, _) = run_row(options, row, server.addr, &Plan::Echo, None, seed, None).await;
        progress(&run, repeat);
        results.runs.push(run);
    }
    results.echoes.push(EchoRun {
        row,
        end: Memory::of(server.pid())?,
    });
    Ok(())
}

/// One run of `row` against `addr`, and the writes it made.
async fn run_row(
    options: &RunOptions,
    row: Row,
    addr: std::net::SocketAddr,
    plan: &Plan,
    stdio: Option<&StdioServer>,
    seed: u64,
    instances: Option<u16>,
) -> (RowRun, WriteLog) {
    let budget = match options.calls {
        Some(calls) => Budget::calls(calls),
        None => Budget::Until(Instant::now() + Duration::from_secs_f64(options.duration)),
    };
    let clients = row.clients(options);
    let ((http, wall), stdio_report) = match stdio {
        Some(stdio) => {
            let (http, stdio_report) = tokio::join!(
                run_clients(addr, plan, &budget, clients, seed),
                stdio.run(plan, &budget, seed.wrapping_add(1_000))
            );
            (http, Some(stdio_report))
        }
        None => (run_clients(addr, plan, &budget, clients, seed).await, None),
    };
    let mut writes = http.writes;
    let stdio = stdio_report.map(|report| {
        writes.merge(report.writes);
        report.samples
    });
    let run = RowRun {
        row,
        instances,
        clients,
        wall,
        http: http.samples,
        stdio,
    };
    (run, writes)
}

fn progress(run: &RowRun, repeat: usize) {
    let overall = run.http.overall();
    eprintln!(
        "load: {:<20} instances {:>2} run {}: {:>6} calls, {:>8.0}/s, p50 {:.2} ms, p99 {:.2} ms, {} errors",
        run.row.name(),
        run.instances.map_or("-".to_owned(), |i| i.to_string()),
        repeat + 1,
        run.http.calls(),
        run.throughput(),
        overall.p50_ms,
        overall.p99_ms,
        run.http.errors() + run.stdio.as_ref().map_or(0, Samples::errors),
    );
}
