//! `cargo xtask dist`: what a user installs without building, for the
//! platform this runs on (x86_64 Linux here).
//!
//! In `target/dist/`:
//!
//! - `dex-mcp-<version>-<arch>-<os>/`: the release binary, stripped, with
//!   its debug info beside it in `dex-mcp.debug` (named by the binary's
//!   `.gnu_debuglink`, so debuggers and Rust's own panic backtraces find
//!   it there), the Dex component `dex_guest.wasm`, `README.md`, `LICENSE`
//!   and `SHA256SUMS` over those four;
//! - `dex-mcp-<version>-<arch>-<os>.tar.gz`: that directory without the
//!   debug info;
//! - `dex-mcp-<version>-<arch>-<os>.mcpb`: a Claude Desktop bundle of the
//!   same binary and component ([`manifest`]), validated and packed by
//!   `@anthropic-ai/mcpb` from npm (`tests/clients/package.json`);
//! - `SHA256SUMS` over the archive and the bundle.
//!
//! `cargo xtask dist --test` then unpacks both and serves the demo account
//! from each to a real MCP client (`tests/clients/dist/`); `cargo xtask
//! test` runs the same. docs/distribution.md is the user's side.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result, bail};
use sha2::{Digest, Sha256};

use crate::clients;
use crate::components::{self, COMPONENT_VERSION};
use crate::toolchain::check;

mod manifest;

/// The binary's file name.
const BINARY: &str = "dex-mcp";
/// The component's file name beside the binary: the name the host looks
/// for there (`SHIPPED_COMPONENT` in host/src/cli.rs).
const COMPONENT: &str = "dex_guest.wasm";
/// The debug info's file name beside the binary, as its debuglink names it.
const DEBUG_INFO: &str = "dex-mcp.debug";
/// The files of the archive, in the order `SHA256SUMS` lists them.
const ARCHIVED: [&str; 4] = [BINARY, COMPONENT, "README.md", "LICENSE"];

/// What `cargo xtask dist` made.
pub struct Dist {
    /// `target/dist/`.
    pub dir: PathBuf,
    /// The `.tar.gz`.
    pub archive: PathBuf,
    /// The `.mcpb`.
    pub bundle: PathBuf,
}

/// Builds the components and the release binary, then the archive and
/// the bundle.
pub fn build(workspace: &Path) -> Result<Dist> {
    if std::env::consts::OS != "linux" {
        bail!(
            "`cargo xtask dist` runs on Linux only (GNU objcopy and tar); this is {}",
            std::env::consts::OS
        );
    }
    let components = components::build_all(workspace)?;
    let component = components
        .iter()
        .find(|path| path.file_name().is_some_and(|name| name == COMPONENT))
        .context("the Dex component was not among those built")?;
    eprintln!("xtask dist: building the server (release)");
    check(
        Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
            .args(["build", "--release", "--locked", "--package", "dex-mcp"])
            .current_dir(workspace),
        "building dex-mcp (release)",
    )?;
    let release = workspace.join("target/release").join(BINARY);

    let dir = workspace.join("target/dist");
    let stem = format!(
        "dex-mcp-{COMPONENT_VERSION}-{}-{}",
        std::env::consts::ARCH,
        std::env::consts::OS
    );
    let staged = dir.join(&stem);
    if staged.exists() {
        std::fs::remove_dir_all(&staged)
            .with_context(|| format!("removing the old {}", staged.display()))?;
    }
    std::fs::create_dir_all(&staged).with_context(|| format!("creating {}", staged.display()))?;

    split_debug_info(&release, &staged.join(BINARY), &staged.join(DEBUG_INFO))?;
    copy(component, &staged.join(COMPONENT))?;
    copy(&workspace.join("README.md"), &staged.join("README.md"))?;
    copy(&workspace.join("LICENSE"), &staged.join("LICENSE"))?;
    write_sums(&staged, &ARCHIVED)?;

    let archive = dir.join(format!("{stem}.tar.gz"));
    tar_gz(&dir, &stem, &archive)?;
    let bundle = dir.join(format!("{stem}.mcpb"));
    pack_bundle(workspace, &staged, &dir.join("mcpb"), &bundle)?;
    let outputs = [archive.clone(), bundle.clone()];
    let names: Vec<&str> = outputs
        .iter()
        .filter_map(|path| path.file_name()?.to_str())
        .collect();
    write_sums(&dir, &names)?;
    for path in outputs.iter().chain([&staged.join(BINARY)]) {
        let size = std::fs::metadata(path)?.len();
        eprintln!(
            "xtask dist: {} ({:.1} MB)",
            path.display(),
            size as f64 / 1e6
        );
    }
    Ok(Dist {
        dir,
        archive,
        bundle,
    })
}

/// Runs the tests of `dist`'s archive and bundle (`tests/clients/dist/`):
/// each unpacked, checked and serving the demo account to a real client.
pub fn test(workspace: &Path, dist: &Dist) -> Result<()> {
    let clients_dir = workspace.join("tests/clients");
    // The tests take the ground truth from the debug `dex-sim`, like the
    // other client tests.
    clients::build_binaries(workspace)?;
    clients::npm_install(&clients_dir)?;
    let started = std::time::Instant::now();
    check(
        Command::new(clients::node(&clients_dir))
            .args(["--test", "--test-reporter=spec"])
            .args(["dist/archive.test.mjs", "dist/bundle.test.mjs"])
            .current_dir(&clients_dir)
            .env("DEX_TARGET_DIR", workspace.join("target"))
            .env("DEX_DIST_ARCHIVE", &dist.archive)
            .env("DEX_DIST_BUNDLE", &dist.bundle)
            .env("DEX_DIST_VERSION", COMPONENT_VERSION),
        "the archive and bundle tests",
    )?;
    eprintln!(
        "xtask dist: archive and bundle tests passed in {:.0} s ({})",
        started.elapsed().as_secs_f64(),
        dist.dir.display()
    );
    Ok(())
}

/// Writes `binary` stripped of everything but what it runs with, and its
/// debug info (line tables, symbols) to `debug_info`, which the stripped
/// binary names in its `.gnu_debuglink` with a checksum. GNU objcopy: the
/// binutils the host's linker comes with.
fn split_debug_info(built: &Path, binary: &Path, debug_info: &Path) -> Result<()> {
    check(
        Command::new("objcopy")
            .args(["--only-keep-debug", "--compress-debug-sections=zlib"])
            .arg(built)
            .arg(debug_info),
        "objcopy --only-keep-debug",
    )?;
    // The debuglink holds the file name and a CRC of the debug file;
    // objcopy reads it by the path given, so it runs beside it.
    let dir = debug_info
        .parent()
        .context("the debug file has a directory")?;
    check(
        Command::new("objcopy")
            .arg("--strip-all")
            .arg(format!("--add-gnu-debuglink={DEBUG_INFO}"))
            .arg(built)
            .arg(binary)
            .current_dir(dir),
        "objcopy --strip-all",
    )
}

/// Copies `from` to `to`, keeping its permissions.
fn copy(from: &Path, to: &Path) -> Result<()> {
    std::fs::copy(from, to)
        .map(|_| ())
        .with_context(|| format!("copying {} to {}", from.display(), to.display()))
}

/// The SHA-256 of the file at `path`, in lower-case hex.
fn sha256(path: &Path) -> Result<String> {
    let mut file =
        std::fs::File::open(path).with_context(|| format!("reading {}", path.display()))?;
    let mut hasher = Sha256::new();
    std::io::copy(&mut file, &mut hasher).with_context(|| format!("reading {}", path.display()))?;
    Ok(hasher
        .finalize()
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect())
}

/// Writes `dir/SHA256SUMS` over `names` (files in `dir`), in the format
/// `sha256sum --check` reads.
fn write_sums(dir: &Path, names: &[&str]) -> Result<()> {
    let mut sums = String::new();
    for name in names {
        sums.push_str(&format!("{}  {name}\n", sha256(&dir.join(name))?));
    }
    let path = dir.join("SHA256SUMS");
    std::fs::write(&path, sums).with_context(|| format!("writing {}", path.display()))
}

/// `archive`: the files of `dir/stem` named in [`ARCHIVED`] and their
/// sums, under `stem/`, owned by root, in name order.
fn tar_gz(dir: &Path, stem: &str, archive: &Path) -> Result<()> {
    let mut command = Command::new("tar");
    command
        .args(["--create", "--gzip", "--sort=name"])
        .args(["--owner=0", "--group=0", "--numeric-owner"])
        .arg("--file")
        .arg(archive)
        .arg("--directory")
        .arg(dir)
        .args(
            ARCHIVED
                .iter()
                .chain(&["SHA256SUMS"])
                .map(|name| format!("{stem}/{name}")),
        );
    check(&mut command, "tar")
}

/// Stages the bundle's directory at `staging` (the manifest, and the
/// binary and component of `staged` under `server/`) and packs it into
/// `bundle` with `mcpb pack`, which validates the manifest first.
fn pack_bundle(workspace: &Path, staged: &Path, staging: &Path, bundle: &Path) -> Result<()> {
    if staging.exists() {
        std::fs::remove_dir_all(staging)
            .with_context(|| format!("removing the old {}", staging.display()))?;
    }
    let server = staging.join("server");
    std::fs::create_dir_all(&server).with_context(|| format!("creating {}", server.display()))?;
    copy(&staged.join(BINARY), &server.join(BINARY))?;
    copy(&staged.join(COMPONENT), &server.join(COMPONENT))?;
    copy(&staged.join("LICENSE"), &staging.join("LICENSE"))?;
    let tools = tool_docs::read(&workspace.join("wit"), crate::docs::WORLD)?;
    let manifest = manifest::build(&tools, std::env::consts::OS)?;
    let text = serde_json::to_string_pretty(&manifest).context("writing the manifest")?;
    std::fs::write(staging.join("manifest.json"), text + "\n").context("writing manifest.json")?;

    let clients_dir = workspace.join("tests/clients");
    clients::npm_install(&clients_dir)?;
    let cli = clients_dir.join("node_modules/@anthropic-ai/mcpb/dist/cli/cli.js");
    check(
        Command::new(clients::node(&clients_dir))
            .arg(cli)
            .arg("pack")
            .arg(staging)
            .arg(bundle)
            .stdout(std::io::stderr()),
        "mcpb pack",
    )
}
