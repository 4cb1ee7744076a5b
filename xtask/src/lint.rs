//! `cargo xtask lint`: the checks `cargo clippy` on the host toolchain
//! cannot make.
//!
//! - clippy over every guest (the Dex guest and the test guests) built
//!   for `wasm32-wasip2` by the toolchain `cargo xtask guest` uses
//!   (`crate::toolchain::GuestToolchain`), warnings denied: the wasm-only
//!   code (`component/`, the `wasi:http` transport) is never compiled
//!   natively;
//! - the host knows no Dex ([`crate::host_is_generic`]);
//! - a host built without the `demo` feature links no simulator (its
//!   dependency tree lacks `dex-sim`, while the default one has it) and
//!   its unit tests pass, among them the one that says demo mode is not
//!   built in.

use std::path::Path;
use std::process::Command;

use anyhow::{Context, Result, bail};

use crate::components::{self, GUESTS};
use crate::host_is_generic;

/// Runs every check; fails at the first that fails.
pub fn run(workspace: &Path) -> Result<()> {
    host_is_generic::check(workspace)?;
    demo_is_optional(workspace)?;
    let (plain, featured): (Vec<_>, Vec<_>) = GUESTS.iter().partition(|g| g.features.is_empty());
    let mut plain: Vec<_> = plain;
    plain.dedup_by_key(|g| g.package);
    components::clippy(workspace, &plain)?;
    for guest in featured {
        components::clippy(workspace, &[guest])?;
    }
    eprintln!("xtask: lint passed");
    Ok(())
}

/// The simulator is in the host's dependencies with the `demo` feature
/// and not without it, and the host's unit tests pass without it.
fn demo_is_optional(workspace: &Path) -> Result<()> {
    let with = tree(workspace, &[])?;
    let without = tree(workspace, &["--no-default-features"])?;
    if !with.iter().any(|name| name == "dex-sim") {
        bail!("the default host build has no dex-sim: is the tree read right?");
    }
    if without.iter().any(|name| name == "dex-sim") {
        bail!("a host built without the `demo` feature still depends on dex-sim");
    }
    eprintln!("xtask: without `demo`, the host's dependencies have no dex-sim");
    let status = host_cargo(workspace)
        .args([
            "test",
            "--locked",
            "--package",
            "dex-mcp",
            "--no-default-features",
            "--lib",
        ])
        .status()
        .context("starting cargo test")?;
    if !status.success() {
        bail!("the host's unit tests fail without the `demo` feature ({status})");
    }
    Ok(())
}

/// The names of the packages in `dex-mcp`'s normal dependency tree.
fn tree(workspace: &Path, features: &[&str]) -> Result<Vec<String>> {
    let output = host_cargo(workspace)
        .args([
            "tree",
            "--locked",
            "--package",
            "dex-mcp",
            "--edges",
            "normal",
        ])
        .args(["--prefix", "none", "--format", "{p}"])
        .args(features)
        .output()
        .context("starting cargo tree")?;
    if !output.status.success() {
        bail!(
            "cargo tree failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
    Ok(String::from_utf8_lossy(&output.stdout)
        .lines()
        .filter_map(|line| line.split_whitespace().next().map(str::to_owned))
        .collect())
}

/// The cargo that started us (rustup's), in the workspace.
fn host_cargo(workspace: &Path) -> Command {
    let mut command = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
    command.current_dir(workspace);
    command
}
