//! `cargo xtask coverage`: line coverage of `guest/` and `host/` (and
//! `sim/`, for information), measured with cargo-llvm-cov.
//!
//! rustup's download server is out of reach, so `llvm-tools-preview` cannot
//! be added to the host toolchain; Debian's `llvm-NN` of the same LLVM major
//! version as the host rustc reads its profiles instead, handed to
//! cargo-llvm-cov through `LLVM_COV` and `LLVM_PROFDATA`. cargo-llvm-cov
//! itself comes from crates.io.
//!
//! What runs: every workspace test, natively. The end-to-end tests start the
//! `dex-mcp` binary they find beside them, so an instrumented `dex-mcp` is
//! built first into the same target directory
//! (`target/llvm-cov-target`, apart from the ordinary build); every process
//! writes its own profile and the report merges them. The guest's
//! WebAssembly-only glue (`guest/src/component/`) is not part of the native
//! build and so is absent from the numbers.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result, bail};

use crate::toolchain::check;

/// The cargo-llvm-cov release this task was written against, installed
/// when none is.
const CARGO_LLVM_COV_VERSION: &str = "0.9.1";

/// Line coverage each measured crate must reach (issue #6).
const REQUIRED_PERCENT: f64 = 85.0;

/// The crates reported, by directory; only those marked `required` must
/// reach [`REQUIRED_PERCENT`].
const CRATES: [(&str, bool); 3] = [("guest", true), ("host", true), ("sim", false)];

/// Directories whose code is not reported, beyond what cargo-llvm-cov
/// leaves out by itself (every `tests/` and `benches/` directory, which
/// covers the end-to-end tests, the test guests and the benches). Their
/// tests still run.
const NOT_REPORTED: &str = "xtask/";

/// Packages whose tests are not run: none of them drives `guest/`,
/// `host/` or `sim/` (the benches' unit tests check the bench harness).
const NOT_TESTED: [&str; 2] = ["dex-mcp-benches", "xtask"];

/// Installs what is missing, runs every test under instrumentation, writes
/// the reports under `target/llvm-cov/` and prints line coverage per crate.
/// Fails when a required crate is under [`REQUIRED_PERCENT`].
pub fn run(workspace: &Path, extra: &[String]) -> Result<()> {
    let (llvm_cov, llvm_profdata) = llvm_tools(workspace)?;
    ensure_cargo_llvm_cov(workspace)?;
    let out_dir = workspace.join("target").join("llvm-cov");
    std::fs::create_dir_all(&out_dir).with_context(|| format!("creating {}", out_dir.display()))?;

    let llvm_cov_cargo = |args: &[&str]| -> Command {
        let mut command = Command::new(cargo());
        command
            .arg("llvm-cov")
            .args(args)
            .current_dir(workspace)
            .env("LLVM_COV", &llvm_cov)
            .env("LLVM_PROFDATA", &llvm_profdata)
            // Our own output goes to stderr, like every xtask.
            .stdout(std::io::stderr());
        command
    };

    // Profiles of an earlier run would be merged into this one.
    check(
        &mut llvm_cov_cargo(&["clean", "--workspace"]),
        "cargo llvm-cov clean",
    )?;
    // Builds the instrumented `dex-mcp` that the end-to-end tests start
    // (`cargo test` builds only the test harness of a binary crate);
    // running `--version` is the cheapest way to get it built.
    check(
        &mut llvm_cov_cargo(&[
            "run",
            "--no-report",
            "--package",
            "dex-mcp",
            "--bin",
            "dex-mcp",
            "--",
            "--version",
        ]),
        "building the instrumented dex-mcp",
    )?;
    // Every test binary runs even when one fails, so that the numbers
    // count all of them; a failure still fails the task, after the report.
    let tests_passed = llvm_cov_cargo(&["test", "--no-report", "--no-fail-fast", "--workspace"])
        .args(NOT_TESTED.iter().flat_map(|package| ["--exclude", package]))
        .args(extra)
        .status()
        .context("starting the tests under coverage")?
        .success();

    let ignored = format!(
        "^{}/{NOT_REPORTED}",
        regex_escaped(&workspace.to_string_lossy())
    );
    let html_dir = out_dir.to_string_lossy().into_owned();
    check(
        llvm_cov_cargo(&["report", "--html", "--output-dir", &html_dir])
            .args(["--ignore-filename-regex", &ignored]),
        "the HTML report",
    )?;
    let lcov_path = out_dir.join("lcov.info");
    let lcov_arg = lcov_path.to_string_lossy().into_owned();
    check(
        llvm_cov_cargo(&["report", "--lcov", "--output-path", &lcov_arg])
            .args(["--ignore-filename-regex", &ignored]),
        "the LCOV export",
    )?;

    let lcov = std::fs::read_to_string(&lcov_path)
        .with_context(|| format!("reading {}", lcov_path.display()))?;
    let files = file_lines(&lcov, workspace)?;
    let by_crate = per_crate(&files);
    print_report(&by_crate, &files);
    eprintln!(
        "xtask: coverage: HTML report in {}",
        out_dir.join("html").join("index.html").display()
    );

    let short: Vec<String> = CRATES
        .iter()
        .filter(|(_, required)| *required)
        .filter_map(|(dir, _)| {
            let lines = by_crate.get(*dir).copied().unwrap_or_default();
            (lines.percent() < REQUIRED_PERCENT).then(|| format!("{dir}/ {:.1}%", lines.percent()))
        })
        .collect();
    if !tests_passed {
        bail!("some tests failed (see above); the numbers count every test that ran");
    }
    if !short.is_empty() {
        bail!(
            "line coverage under {REQUIRED_PERCENT}%: {}",
            short.join(", ")
        );
    }
    Ok(())
}

/// Covered and total lines of some code.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
struct Lines {
    covered: u64,
    count: u64,
}

impl Lines {
    fn percent(self) -> f64 {
        if self.count == 0 {
            0.0
        } else {
            100.0 * self.covered as f64 / self.count as f64
        }
    }

    fn add(&mut self, other: Lines) {
        self.covered += other.covered;
        self.count += other.count;
    }
}

/// Each reported file, relative to the workspace, with its line counts,
/// from an LCOV export (`SF:` names a file, `LF:`/`LH:` count its lines
/// found and hit, `end_of_record` closes it): a plain text format that
/// needs no parser crate.
fn file_lines(lcov: &str, workspace: &Path) -> Result<Vec<(String, Lines)>> {
    let mut files = Vec::new();
    let mut name: Option<&str> = None;
    let mut lines = Lines::default();
    for (number, line) in lcov.lines().enumerate() {
        let count = |value: &str| {
            value
                .parse::<u64>()
                .with_context(|| format!("LCOV line {}: `{line}` is not a count", number + 1))
        };
        if let Some(file) = line.strip_prefix("SF:") {
            name = Some(file);
            lines = Lines::default();
        } else if let Some(found) = line.strip_prefix("LF:") {
            lines.count = count(found)?;
        } else if let Some(hit) = line.strip_prefix("LH:") {
            lines.covered = count(hit)?;
        } else if line == "end_of_record" {
            let file = name
                .take()
                .with_context(|| format!("LCOV line {}: a record without SF:", number + 1))?;
            let relative = Path::new(file)
                .strip_prefix(workspace)
                .map(|p| p.to_string_lossy().into_owned())
                .unwrap_or_else(|_| file.to_owned());
            files.push((relative, lines));
        }
    }
    if files.is_empty() {
        bail!("the LCOV export names no file");
    }
    Ok(files)
}

/// Line counts summed per top-level directory (one crate each).
fn per_crate(files: &[(String, Lines)]) -> BTreeMap<String, Lines> {
    let mut by_crate: BTreeMap<String, Lines> = BTreeMap::new();
    for (name, lines) in files {
        let top = name.split('/').next().unwrap_or(name);
        by_crate.entry(top.to_owned()).or_default().add(*lines);
    }
    by_crate
}

/// The number of least-covered files listed per crate.
const LEAST_COVERED: usize = 8;

fn print_report(by_crate: &BTreeMap<String, Lines>, files: &[(String, Lines)]) {
    eprintln!("xtask: coverage: lines covered per crate");
    for (dir, lines) in by_crate {
        eprintln!(
            "  {dir:<8} {:>6.2}%  ({} of {} lines)",
            lines.percent(),
            lines.covered,
            lines.count
        );
    }
    eprintln!("xtask: coverage: most uncovered lines, per file");
    let mut ranked: Vec<&(String, Lines)> = files.iter().collect();
    ranked.sort_by_key(|(_, lines)| std::cmp::Reverse(lines.count - lines.covered));
    for (name, lines) in ranked.into_iter().take(LEAST_COVERED * CRATES.len()) {
        eprintln!(
            "  {:>5} uncovered  {:>6.2}%  {name}",
            lines.count - lines.covered,
            lines.percent()
        );
    }
}

/// `text` with every regular-expression metacharacter escaped, for the
/// workspace path in `--ignore-filename-regex`.
fn regex_escaped(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        if "\\.+*?()|[]{}^$#&-~".contains(c) {
            escaped.push('\\');
        }
        escaped.push(c);
    }
    escaped
}

/// `llvm-cov` and `llvm-profdata` of the LLVM the host rustc is built on,
/// from Debian's `llvm-NN`; installed as root when missing.
fn llvm_tools(workspace: &Path) -> Result<(PathBuf, PathBuf)> {
    let rustc = std::env::var_os("RUSTC").unwrap_or_else(|| "rustc".into());
    let output = Command::new(&rustc)
        .arg("-vV")
        .current_dir(workspace)
        .output()
        .context("running `rustc -vV`")?;
    let version = String::from_utf8_lossy(&output.stdout);
    let major = llvm_major(&version)
        .with_context(|| format!("`rustc -vV` names no LLVM version:\n{version}"))?;
    let tools = (
        PathBuf::from(format!("/usr/bin/llvm-cov-{major}")),
        PathBuf::from(format!("/usr/bin/llvm-profdata-{major}")),
    );
    if tools.0.exists() && tools.1.exists() {
        return Ok(tools);
    }
    let package = format!("llvm-{major}");
    let command = format!("apt-get update && apt-get install -y --no-install-recommends {package}");
    if !crate::toolchain::is_root() {
        bail!(
            "the host rustc uses LLVM {major}, whose coverage tools are missing; install them as root with:\n  {command}"
        );
    }
    eprintln!("xtask: coverage: installing {package}");
    crate::toolchain::apt_get(&command)?;
    if !(tools.0.exists() && tools.1.exists()) {
        bail!(
            "`{command}` did not provide {} and {}",
            tools.0.display(),
            tools.1.display()
        );
    }
    Ok(tools)
}

/// The major version in `rustc -vV`'s `LLVM version: 22.1.2` line.
fn llvm_major(rustc_version: &str) -> Option<u32> {
    rustc_version
        .lines()
        .find_map(|line| line.strip_prefix("LLVM version:"))?
        .trim()
        .split('.')
        .next()?
        .parse()
        .ok()
}

/// `cargo install cargo-llvm-cov` (from crates.io) unless `cargo llvm-cov`
/// already works.
fn ensure_cargo_llvm_cov(workspace: &Path) -> Result<()> {
    let present = Command::new(cargo())
        .args(["llvm-cov", "--version"])
        .current_dir(workspace)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .is_ok_and(|status| status.success());
    if present {
        return Ok(());
    }
    eprintln!("xtask: coverage: cargo install cargo-llvm-cov {CARGO_LLVM_COV_VERSION}");
    check(
        Command::new(cargo())
            .args([
                "install",
                "--locked",
                "cargo-llvm-cov",
                "--version",
                CARGO_LLVM_COV_VERSION,
            ])
            .stdout(std::io::stderr()),
        "cargo install cargo-llvm-cov",
    )
}

/// The cargo that started us (the host toolchain).
fn cargo() -> std::ffi::OsString {
    std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_llvm_major_version_of_rustc() {
        let version = "rustc 1.95.0 (59807616e 2026-04-14)\nbinary: rustc\n\
                       host: x86_64-unknown-linux-gnu\nrelease: 1.95.0\nLLVM version: 22.1.2\n";
        assert_eq!(llvm_major(version), Some(22));
        assert_eq!(llvm_major("rustc 1.95.0\nrelease: 1.95.0\n"), None);
    }

    #[test]
    fn escapes_the_workspace_path_for_a_regex() {
        assert_eq!(regex_escaped("/work/main"), "/work/main");
        assert_eq!(regex_escaped("/a.b/c+d"), r"/a\.b/c\+d");
    }

    #[test]
    fn sums_files_per_crate_directory() {
        let lcov = "SF:/w/guest/src/a.rs\nFNF:2\nFNH:2\nDA:1,3\nLF:10\nLH:9\nend_of_record\n\
                    SF:/w/guest/src/b.rs\nLF:10\nLH:1\nend_of_record\n\
                    SF:/w/host/src/main.rs\nLF:4\nLH:3\nend_of_record\n";
        let files = file_lines(lcov, Path::new("/w")).unwrap();
        assert_eq!(files[0].0, "guest/src/a.rs");
        let by_crate = per_crate(&files);
        assert_eq!(
            by_crate["guest"],
            Lines {
                covered: 10,
                count: 20
            }
        );
        assert_eq!(by_crate["guest"].percent(), 50.0);
        assert_eq!(by_crate["host"].percent(), 75.0);
    }

    #[test]
    fn a_malformed_export_is_an_error() {
        let err = file_lines("SF:/w/a.rs\nLF:ten\nend_of_record\n", Path::new("/w")).unwrap_err();
        assert!(err.to_string().contains("`LF:ten` is not a count"), "{err}");
        let err = file_lines("LF:1\nLH:1\nend_of_record\n", Path::new("/w")).unwrap_err();
        assert!(err.to_string().contains("without SF:"), "{err}");
        assert!(file_lines("", Path::new("/w")).is_err());
    }
}
