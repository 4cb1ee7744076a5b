//! The servers under load, as child processes: `dex-mcp` over HTTP and
//! the echo baseline (this binary's `echo-server` subcommand). Each is
//! killed when its handle drops; its memory is read from `/proc`.

use std::io::{BufRead, BufReader, Write};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use anyhow::{Context, Result, bail};

/// How to start `dex-mcp` against the simulator.
#[derive(Debug, Clone)]
pub struct ServerSpec {
    /// The `dex-mcp` binary.
    pub binary: PathBuf,
    /// The component it serves.
    pub component: PathBuf,
    /// The simulator's v1 base URL.
    pub base_url: String,
    /// The simulator's key.
    pub api_key: String,
    /// `--instances`.
    pub instances: u16,
    /// `--cache-ttl`, in seconds: long enough that the account is not read
    /// again during a run.
    pub cache_ttl: u64,
    /// `--maintenance-interval`, when given (else the server's default).
    pub maintenance_interval: Option<u64>,
    /// `--state-dir`: the harness's own, emptied before each server
    /// starts, so that runs neither share stored accounts with each other
    /// nor fill the user's cache directory.
    pub state_dir: PathBuf,
}

impl ServerSpec {
    /// The command-line arguments; over HTTP on `listen` when given, else
    /// over stdio.
    pub fn args(&self, listen: Option<SocketAddr>) -> Vec<String> {
        let mut args = vec![
            "--component".to_owned(),
            self.component.display().to_string(),
            "--base-url".to_owned(),
            self.base_url.clone(),
            "--api-key".to_owned(),
            self.api_key.clone(),
            "--instances".to_owned(),
            self.instances.to_string(),
            "--cache-ttl".to_owned(),
            self.cache_ttl.to_string(),
            "--state-dir".to_owned(),
            self.state_dir.display().to_string(),
        ];
        if let Some(interval) = self.maintenance_interval {
            args.extend(["--maintenance-interval".to_owned(), interval.to_string()]);
        }
        if let Some(listen) = listen {
            args.extend([
                "--transport".to_owned(),
                "http".to_owned(),
                "--listen".to_owned(),
                listen.to_string(),
            ]);
        }
        args
    }

    /// Drops inherited `DEX_*` variables from `cmd`, so only the flags
    /// configure the server.
    pub fn clean_env(&self, cmd: &mut Command) {
        for (name, _) in std::env::vars() {
            if name.starts_with("DEX_") {
                cmd.env_remove(name);
            }
        }
    }
}

/// A server process listening on `addr`.
pub struct ChildServer {
    child: Child,
    /// Where it serves.
    pub addr: SocketAddr,
}

impl ChildServer {
    /// Starts `dex-mcp` over HTTP on an ephemeral port, its log in
    /// `log_path`, and waits until it serves.
    pub fn start_dex(spec: &ServerSpec, log_path: &Path) -> Result<Self> {
        let mut cmd = Command::new(&spec.binary);
        cmd.args(spec.args(Some("127.0.0.1:0".parse().expect("an address"))));
        spec.clean_env(&mut cmd);
        cmd.stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped());
        let mut child = cmd
            .spawn()
            .with_context(|| format!("spawning {}", spec.binary.display()))?;
        let stderr = child.stderr.take().expect("stderr is piped");
        let mut log = std::fs::File::create(log_path)
            .with_context(|| format!("creating {}", log_path.display()))?;
        let (addr_tx, addr_rx) = mpsc::channel();
        // Drains the log for the whole life of the process: a full pipe
        // would stall the server.
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines() {
                let Ok(line) = line else { break };
                if line.contains("serving MCP over Streamable HTTP")
                    && let Some(addr) = line
                        .split_whitespace()
                        .find_map(|field| field.strip_prefix("addr="))
                        .and_then(|addr| addr.parse::<SocketAddr>().ok())
                {
                    addr_tx.send(addr).ok();
                }
                writeln!(log, "{line}").ok();
            }
        });
        // A cold start compiles the component (minutes for a debug build).
        match addr_rx.recv_timeout(Duration::from_secs(600)) {
            Ok(addr) => Ok(Self { child, addr }),
            Err(_) => {
                child.kill().ok();
                child.wait().ok();
                bail!(
                    "{} did not start serving HTTP; see {}",
                    spec.binary.display(),
                    log_path.display()
                )
            }
        }
    }

    /// Starts this binary's echo baseline; `nodelay` and `sse` as its
    /// flags say.
    pub fn start_echo(nodelay: bool, sse: bool) -> Result<Self> {
        let exe = std::env::current_exe().context("this binary's path")?;
        let mut cmd = Command::new(exe);
        cmd.arg("echo-server");
        if !nodelay {
            cmd.arg("--no-nodelay");
        }
        if sse {
            cmd.arg("--sse");
        }
        cmd.stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit());
        let mut child = cmd.spawn().context("spawning the echo server")?;
        let stdout = child.stdout.take().expect("stdout is piped");
        let mut first = String::new();
        BufReader::new(stdout)
            .read_line(&mut first)
            .context("reading the echo server's address")?;
        match first.trim().parse() {
            Ok(addr) => Ok(Self { child, addr }),
            Err(_) => {
                child.kill().ok();
                child.wait().ok();
                bail!(
                    "the echo server printed `{}`, not its address",
                    first.trim()
                )
            }
        }
    }

    /// The process id.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }
}

impl Drop for ChildServer {
    fn drop(&mut self) {
        self.child.kill().ok();
        self.child.wait().ok();
    }
}

/// A process's resident memory, from `/proc/PID/status`, in MiB.
#[derive(Debug, Clone, Copy, Default)]
pub struct Memory {
    /// `VmRSS`: resident now.
    pub rss_mib: f64,
    /// `VmHWM`: the most it was ever resident.
    pub peak_mib: f64,
}

impl Memory {
    /// Reads process `pid`'s memory.
    pub fn of(pid: u32) -> Result<Self> {
        let status = std::fs::read_to_string(format!("/proc/{pid}/status"))
            .with_context(|| format!("reading /proc/{pid}/status"))?;
        Ok(Self {
            rss_mib: status_kib(&status, "VmRSS:")? / 1024.0,
            peak_mib: status_kib(&status, "VmHWM:")? / 1024.0,
        })
    }
}

/// Where a process's resident memory is, by kind of mapping, from
/// `/proc/PID/smaps`: what dominates the RSS.
#[derive(Debug, Clone, Default)]
pub struct MemoryBreakdown {
    /// `(kind, resident MiB)`, largest first.
    pub kinds: Vec<(&'static str, f64)>,
}

impl MemoryBreakdown {
    /// Reads process `pid`'s mappings.
    pub fn of(pid: u32) -> Result<Self> {
        let smaps = std::fs::read_to_string(format!("/proc/{pid}/smaps"))
            .with_context(|| format!("reading /proc/{pid}/smaps"))?;
        Ok(Self::parse(&smaps))
    }

    fn parse(smaps: &str) -> Self {
        let mut totals: std::collections::BTreeMap<&'static str, f64> = Default::default();
        let mut kind = "other";
        let mut size_kib = 0.0;
        for line in smaps.lines() {
            let mut fields = line.split_whitespace();
            let first = fields.next().unwrap_or_default();
            if first.contains('-') && !first.ends_with(':') {
                let path = line.split_whitespace().nth(5).unwrap_or_default();
                kind = mapping_kind(path);
                size_kib = 0.0;
            } else if first == "Size:" {
                size_kib = fields.next().and_then(|v| v.parse().ok()).unwrap_or(0.0);
            } else if first == "Rss:" {
                let rss_kib: f64 = fields.next().and_then(|v| v.parse().ok()).unwrap_or(0.0);
                // Wasm linear memories (and their guard regions) are
                // reserved in gigabytes, unlike any heap arena.
                let kind = if kind == "anonymous" && size_kib >= 1024.0 * 1024.0 {
                    "anonymous, >= 1 GiB reservations (wasm memories)"
                } else {
                    kind
                };
                *totals.entry(kind).or_default() += rss_kib / 1024.0;
            }
        }
        let mut kinds: Vec<_> = totals.into_iter().filter(|(_, mib)| *mib > 0.0).collect();
        kinds.sort_by(|a, b| b.1.total_cmp(&a.1));
        Self { kinds }
    }
}

fn mapping_kind(path: &str) -> &'static str {
    match path {
        "" => "anonymous",
        "[heap]" => "[heap] (brk)",
        p if p.starts_with("[stack") => "stacks",
        p if p.starts_with('[') => "kernel ([vdso], ...)",
        p if p.contains("memfd:") || p.ends_with(".cwasm") => "compiled component",
        p if p.contains(".so") => "shared libraries",
        _ => "executable and other files",
    }
}

fn status_kib(status: &str, field: &str) -> Result<f64> {
    status
        .lines()
        .find_map(|line| line.strip_prefix(field))
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|kib| kib.parse::<f64>().ok())
        .with_context(|| format!("no {field} in /proc status"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_kib_fields() {
        let status = "Name:\tx\nVmHWM:\t   20480 kB\nVmRSS:\t   10240 kB\n";
        assert_eq!(status_kib(status, "VmRSS:").unwrap(), 10240.0);
        assert_eq!(status_kib(status, "VmHWM:").unwrap(), 20480.0);
        assert!(status_kib(status, "VmPeak:").is_err());
    }

    #[test]
    fn smaps_is_summed_by_kind() {
        let smaps = "\
55d0-55e0 r-xp 00000000 08:01 42 /usr/bin/dex-mcp
Size:                 64 kB
Rss:                  32 kB
7f00-7f10 rw-p 00000000 00:00 0
Size:            4194304 kB
Rss:                2048 kB
7f20-7f30 rw-p 00000000 00:00 0
Size:               1024 kB
Rss:                1024 kB
7f40-7f50 rw-p 00000000 00:00 0                          [heap]
Size:               4096 kB
Rss:                3072 kB
";
        let breakdown = MemoryBreakdown::parse(smaps);
        assert_eq!(
            breakdown.kinds,
            [
                ("[heap] (brk)", 3.0),
                ("anonymous, >= 1 GiB reservations (wasm memories)", 2.0),
                ("anonymous", 1.0),
                ("executable and other files", 0.03125),
            ]
        );
    }

    #[test]
    fn own_memory_is_readable() {
        let memory = Memory::of(std::process::id()).unwrap();
        assert!(memory.rss_mib > 0.0 && memory.peak_mib >= memory.rss_mib);
    }
}
