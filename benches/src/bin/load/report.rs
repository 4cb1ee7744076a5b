//! The report on stdout: Markdown tables of the medians over repeated
//! runs (rows, per-tool latencies, servers, writes) and the targets of
//! issue #9 this run can judge, each met or missed.

use std::collections::BTreeMap;

use crate::RunOptions;
use crate::rows::{Results, Row, RowRun};
use crate::stats::{Percentiles, median};
use crate::workload::{FIND, SEARCH};

/// Prints the report; `true` when no call failed and every write is in
/// Dex exactly once.
pub fn print(options: &RunOptions, results: &Results) -> bool {
    let (contacts, notes, reminders) = results.account;
    println!("# Load harness report\n");
    println!(
        "Machine: {} ({} cores); account: {contacts} contacts, {notes} notes, {reminders} reminders; \
         {} HTTP clients; {} per row; {} run(s) per row; load generator on {} thread(s).\n",
        cpu_model(),
        std::thread::available_parallelism().map_or(0, usize::from),
        options.clients,
        options.calls.map_or_else(
            || format!("{} s", options.duration),
            |c| format!("{c} calls")
        ),
        options.repeat,
        options.generator_threads,
    );
    let groups = group(&results.runs);
    print_rows(&groups);
    print_tools(&groups);
    print_servers(results);
    let writes_ok = print_writes(results);
    let errors = print_errors(&results.runs);
    print_targets(&groups, results);
    errors == 0 && writes_ok
}

type Groups<'a> = BTreeMap<(Row, Option<u16>), Vec<&'a RowRun>>;

fn group(runs: &[RowRun]) -> Groups<'_> {
    let mut groups: Groups<'_> = BTreeMap::new();
    for run in runs {
        groups
            .entry((run.row, run.instances))
            .or_default()
            .push(run);
    }
    groups
}

fn instances_label(instances: Option<u16>) -> String {
    instances.map_or_else(|| "-".to_owned(), |i| i.to_string())
}

/// Medians over runs of each percentile of `pick`'s calls.
fn median_percentiles(
    runs: &[&RowRun],
    pick: impl Fn(&RowRun) -> Option<Percentiles>,
) -> Option<Percentiles> {
    let all: Vec<Percentiles> = runs
        .iter()
        .filter_map(|r| pick(r))
        .filter(|p| p.count > 0)
        .collect();
    let of = |f: fn(&Percentiles) -> f64| median(&all.iter().map(f).collect::<Vec<_>>());
    Some(Percentiles {
        count: all.iter().map(|p| p.count).sum(),
        p50_ms: of(|p| p.p50_ms)?,
        p90_ms: of(|p| p.p90_ms)?,
        p99_ms: of(|p| p.p99_ms)?,
        max_ms: all.iter().map(|p| p.max_ms).fold(0.0, f64::max),
    })
}

fn median_throughput(runs: &[&RowRun]) -> f64 {
    median(&runs.iter().map(|r| r.throughput()).collect::<Vec<_>>()).unwrap_or(0.0)
}

fn print_rows(groups: &Groups<'_>) {
    println!("## Rows (median of runs; throughput = successful HTTP calls/s)\n");
    println!(
        "| row | instances | clients | runs | calls | calls/s (min-max) | p50 ms | p90 ms | p99 ms | errors |"
    );
    println!("|---|---|---|---|---|---|---|---|---|---|");
    for ((row, instances), runs) in groups {
        let throughputs: Vec<f64> = runs.iter().map(|r| r.throughput()).collect();
        let min = throughputs.iter().copied().fold(f64::INFINITY, f64::min);
        let max = throughputs.iter().copied().fold(0.0, f64::max);
        let p = median_percentiles(runs, |r| Some(r.http.overall())).unwrap_or_default();
        let calls: u64 = runs.iter().map(|r| r.http.calls()).sum();
        let errors: u64 = runs.iter().map(|r| r.http.errors()).sum();
        println!(
            "| {} | {} | {} | {} | {calls} | {:.0} ({min:.0}-{max:.0}) | {:.2} | {:.2} | {:.2} | {errors} |",
            row.name(),
            instances_label(*instances),
            runs[0].clients,
            runs.len(),
            median_throughput(runs),
            p.p50_ms,
            p.p90_ms,
            p.p99_ms,
        );
    }
    println!();
}

fn print_tools(groups: &Groups<'_>) {
    println!("## Latency per tool (median of runs' percentiles)\n");
    println!(
        "| row | instances | transport | tool | calls | p50 ms | p90 ms | p99 ms | max ms | errors |"
    );
    println!("|---|---|---|---|---|---|---|---|---|---|");
    for ((row, instances), runs) in groups {
        for (transport, stdio) in [("http", false), ("stdio", true)] {
            let mut tools: Vec<String> = runs
                .iter()
                .filter_map(|r| {
                    if stdio {
                        r.stdio.as_ref()
                    } else {
                        Some(&r.http)
                    }
                })
                .flat_map(|s| s.tools().map(|(t, _)| t.to_owned()))
                .collect();
            tools.sort();
            tools.dedup();
            for tool in tools {
                let samples = |r: &RowRun| {
                    if stdio {
                        r.stdio.clone()
                    } else {
                        Some(r.http.clone())
                    }
                };
                let p = median_percentiles(runs, |r| {
                    samples(r).and_then(|s| {
                        s.tools()
                            .find(|(t, _)| *t == tool)
                            .map(|(_, t)| t.percentiles())
                    })
                })
                .unwrap_or_default();
                let errors: u64 = runs
                    .iter()
                    .filter_map(|r| samples(r))
                    .flat_map(|s| {
                        s.tools()
                            .filter(|(t, _)| *t == tool)
                            .map(|(_, t)| t.errors)
                            .collect::<Vec<_>>()
                    })
                    .sum();
                println!(
                    "| {} | {} | {transport} | {tool} | {} | {:.2} | {:.2} | {:.2} | {:.2} | {errors} |",
                    row.name(),
                    instances_label(*instances),
                    p.count,
                    p.p50_ms,
                    p.p90_ms,
                    p.p99_ms,
                    p.max_ms,
                );
            }
        }
    }
    println!();
}

fn print_servers(results: &Results) {
    if !results.servers.is_empty() {
        println!("## dex-mcp processes (MiB from /proc/PID/status)\n");
        println!(
            "| instances | start ms | first call ms | warm-up s | RSS warm | RSS end | peak (VmHWM) | stdio server peak |"
        );
        println!("|---|---|---|---|---|---|---|---|");
        for s in &results.servers {
            println!(
                "| {} | {:.0} | {:.0} | {:.1} | {:.1} | {:.1} | {:.1} | {} |",
                s.instances,
                s.start.as_secs_f64() * 1000.0,
                s.first_call.as_secs_f64() * 1000.0,
                s.warm_up.as_secs_f64(),
                s.warm.rss_mib,
                s.end.rss_mib,
                s.end.peak_mib,
                s.stdio_end
                    .map_or_else(|| "-".to_owned(), |m| format!("{:.1}", m.peak_mib)),
            );
        }
        println!();
        for s in &results.servers {
            let kinds: Vec<String> = s
                .warm_breakdown
                .kinds
                .iter()
                .map(|(kind, mib)| format!("{kind} {mib:.1}"))
                .collect();
            println!(
                "Warm RSS of `--instances {}` by mapping (MiB): {}.\n",
                s.instances,
                kinds.join(", ")
            );
        }
    }
    if !results.echoes.is_empty() {
        println!(
            "Echo baseline peak RSS: {}\n",
            results
                .echoes
                .iter()
                .map(|e| format!("{} {:.1} MiB", e.row.name(), e.end.peak_mib))
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
}

fn print_writes(results: &Results) -> bool {
    let check = &results.write_check;
    println!("## Writes (checked in the simulator's store)\n");
    println!(
        "{} acknowledged, {} failed; {} found exactly once, {} lost, {} doubled, {} failed but landed.\n",
        results.writes.acknowledged.len(),
        results.writes.failed.len(),
        check.confirmed,
        check.lost.len(),
        check.doubled.len(),
        check.failed_but_landed,
    );
    for marker in check.lost.iter().take(5) {
        println!("- lost: {marker}");
    }
    for marker in check.doubled.iter().take(5) {
        println!("- doubled: {marker}");
    }
    check.holds()
}

fn print_errors(runs: &[RowRun]) -> u64 {
    let mut total = 0;
    for run in runs {
        let transports = [
            Some(("http", &run.http)),
            run.stdio.as_ref().map(|s| ("stdio", s)),
        ];
        for (transport, samples) in transports.into_iter().flatten() {
            for (tool, s) in samples.tools().filter(|(_, s)| s.errors > 0) {
                total += s.errors;
                println!(
                    "- {} {transport} {tool}: {} errors, e.g. {:?}",
                    run.row.name(),
                    s.errors,
                    s.first_errors.first()
                );
            }
        }
    }
    if total > 0 {
        println!();
    }
    total
}

fn print_targets(groups: &Groups<'_>, results: &Results) {
    println!("## Targets of issue #9 this run measured\n");
    println!("| target | instances | measured (median) | met |");
    println!("|---|---|---|---|");
    let verdict = |met: bool| if met { "met" } else { "missed" };
    let tool_p = |row: Row, instances: Option<u16>, tool: &str| {
        groups.get(&(row, instances)).and_then(|runs| {
            median_percentiles(runs, |r| {
                r.http
                    .tools()
                    .find(|(t, _)| *t == tool)
                    .map(|(_, s)| s.percentiles())
            })
        })
    };
    let echo = groups
        .get(&(Row::Echo, None))
        .map(|runs| median_throughput(runs));
    for server in &results.servers {
        let i = Some(server.instances);
        if let Some(p) = tool_p(Row::Latency, i, SEARCH) {
            println!(
                "| cached search p50 <= 3 ms (1 client) | {} | {:.2} ms | {} |",
                server.instances,
                p.p50_ms,
                verdict(p.p50_ms <= 3.0)
            );
            println!(
                "| cached search p99 <= 10 ms (1 client) | {} | {:.2} ms | {} |",
                server.instances,
                p.p99_ms,
                verdict(p.p99_ms <= 10.0)
            );
        }
        if let Some(p) = tool_p(Row::Mix, i, SEARCH) {
            println!(
                "| cached search p50 <= 3 ms / p99 <= 10 ms ({} clients, mix) | {} | {:.2} / {:.2} ms | {} |",
                options_clients(groups),
                server.instances,
                p.p50_ms,
                p.p99_ms,
                verdict(p.p50_ms <= 3.0 && p.p99_ms <= 10.0)
            );
        }
        if let Some(p) = tool_p(Row::Latency, i, FIND) {
            println!(
                "| find_contact fuzzy p50 <= 3 ms (1 client) | {} | {:.2} ms | {} |",
                server.instances,
                p.p50_ms,
                verdict(p.p50_ms <= 3.0)
            );
        }
        if let Some(runs) = groups.get(&(Row::Search, i)) {
            let throughput = median_throughput(runs);
            println!(
                "| cached search >= 5,000 calls/s ({} clients) | {} | {throughput:.0}/s | {} |",
                runs[0].clients,
                server.instances,
                verdict(throughput >= 5000.0)
            );
            if let Some(echo) = echo {
                let ratio = throughput / echo.max(1e-9);
                println!(
                    "| cached search >= 0.5 x echo baseline ({echo:.0}/s) | {} | {ratio:.2} x | {} |",
                    server.instances,
                    verdict(ratio >= 0.5)
                );
            }
        }
        println!(
            "| host RSS with warm index < 60 MB | {} | {:.1} MiB ({:.1} MB) | {} |",
            server.instances,
            server.warm.rss_mib,
            server.warm.rss_mib * 1.048_576,
            verdict(server.warm.rss_mib * 1.048_576 < 60.0)
        );
    }
    let dex_errors: u64 = results
        .runs
        .iter()
        .filter(|r| !r.row.is_echo())
        .map(|r| r.http.errors() + r.stdio.as_ref().map_or(0, |s| s.errors()))
        .sum();
    let dex_calls: u64 = results
        .runs
        .iter()
        .filter(|r| !r.row.is_echo())
        .map(|r| r.http.calls() + r.stdio.as_ref().map_or(0, |s| s.calls()))
        .sum();
    let check = &results.write_check;
    println!(
        "| 0 errors and 0 lost writes | all | {dex_errors} errors in {dex_calls} calls; {} lost, {} doubled of {} writes | {} |",
        check.lost.len(),
        check.doubled.len(),
        results.writes.acknowledged.len() + results.writes.failed.len(),
        verdict(dex_errors == 0 && check.holds()),
    );
    println!();
}

fn options_clients(groups: &Groups<'_>) -> usize {
    groups
        .iter()
        .find(|((row, _), _)| *row == Row::Mix)
        .map_or(0, |(_, runs)| runs[0].clients)
}

fn cpu_model() -> String {
    std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|info| {
            info.lines()
                .find_map(|l| l.strip_prefix("model name"))
                .map(|rest| rest.trim_start_matches([' ', '\t', ':']).to_owned())
        })
        .unwrap_or_else(|| "unknown CPU".to_owned())
}
