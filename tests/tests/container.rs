//! The container image (`Dockerfile`), built and run with podman from
//! Debian's packages: the runtime stage with the `dex-mcp` binary and the
//! component this test run built, served over HTTP on every interface of
//! the container; a real MCP client lists the tools and calls
//! `find_contact` on the demo account with the token; without the token
//! the container refuses to start; it runs as its own user and keeps its
//! state in a volume.
//!
//! The image's `build` stage (the toolchain and a release build, ~20 min
//! on 2 cores) is not built here: the `prebuilt` target takes an image of
//! this run's binary and component (`ARTIFACTS`) instead; it shares every
//! setting with the default target through `runtime-base`. docs/container.md says how the
//! whole Dockerfile was built and run.
//!
//! The Debian base images come from Debian's archive through debootstrap
//! (no other registry is needed) and stay in podman's storage for the
//! next run. The flags on every podman command are what this kind of
//! machine needs (see `PODMAN_FLAGS`).

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, Instant};

use dex_mcp_tests::{Era, Scratch, call_ok, component, connect_http, free_port, server_binary};
use serde_json::json;

const PODMAN: &str = "/usr/bin/podman";
const DEBOOTSTRAP: &str = "/usr/sbin/debootstrap";
const RUNC: &str = "/usr/bin/runc";

/// The base images' repository: `:bookworm` and `:bookworm-slim`, made by
/// debootstrap when missing. Not `docker.io/library/debian`, which a
/// later `podman build` elsewhere would take for the published image.
const DEBIAN: &str = "localhost/dex-mcp-e2e-debian";

/// The token the container is given.
const TOKEN: &str = "container-token-41c9e2";

/// runc, not crun: crun refuses hosts with cgroups in hybrid mode (v1
/// controllers plus a v2 mount), which CI sandboxes have. Limits no higher
/// than this process's: podman's defaults are raised ones, which need
/// CAP_SYS_RESOURCE.
fn podman() -> Command {
    let mut command = Command::new(PODMAN);
    command.args(["--runtime", RUNC]);
    command
}

/// `--ulimit` flags for `build` and `run`, see [`podman`].
fn ulimits() -> [String; 4] {
    let nofile = soft_limit("Max open files").unwrap_or(1024).min(65_536);
    [
        "--ulimit".into(),
        format!("nofile={nofile}:{nofile}"),
        "--ulimit".into(),
        "nproc=4096:4096".into(),
    ]
}

/// This process's soft limit named `name` in /proc/self/limits.
fn soft_limit(name: &str) -> Option<u64> {
    let limits = std::fs::read_to_string("/proc/self/limits").ok()?;
    let line = limits.lines().find(|line| line.starts_with(name))?;
    line[name.len()..].split_whitespace().next()?.parse().ok()
}

/// Runs `command`, failing the test with its output unless it succeeds.
fn run(command: &mut Command, what: &str) -> Output {
    let output = command.output().unwrap_or_else(|e| panic!("{what}: {e}"));
    assert!(
        output.status.success(),
        "{what} failed ({}):\n{}\n{}",
        output.status,
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    output
}

fn workspace() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// Makes `DEBIAN:bookworm` and `:bookworm-slim` from Debian's archive
/// unless podman has them: a minimal bookworm with the same APT sources as
/// Debian's published image (main, updates, security).
fn debian_base_images() {
    let exists = |tag: &str| {
        podman()
            .args(["image", "exists", &format!("{DEBIAN}:{tag}")])
            .status()
            .is_ok_and(|status| status.success())
    };
    if exists("bookworm") && exists("bookworm-slim") {
        return;
    }
    assert!(
        Path::new(DEBOOTSTRAP).exists(),
        "{DEBOOTSTRAP} is missing: run `cargo xtask setup`"
    );
    let scratch = Scratch::new("container-rootfs");
    let rootfs = scratch.join("rootfs");
    run(
        Command::new(DEBOOTSTRAP)
            .args(["--variant=minbase", "bookworm"])
            .arg(&rootfs)
            .arg("http://deb.debian.org/debian"),
        "debootstrap",
    );
    std::fs::remove_file(rootfs.join("etc/apt/sources.list")).ok();
    std::fs::write(
        rootfs.join("etc/apt/sources.list.d/debian.sources"),
        "Types: deb\nURIs: http://deb.debian.org/debian\nSuites: bookworm bookworm-updates\n\
         Components: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n\n\
         Types: deb\nURIs: http://deb.debian.org/debian-security\nSuites: bookworm-security\n\
         Components: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n",
    )
    .unwrap();
    let tarball = scratch.join("rootfs.tar");
    run(
        Command::new("tar")
            .arg("-C")
            .arg(&rootfs)
            .arg("-cf")
            .arg(&tarball)
            .arg("."),
        "packing the root file system",
    );
    run(
        podman()
            .arg("import")
            .arg(&tarball)
            .arg(format!("{DEBIAN}:bookworm")),
        "podman import",
    );
    run(
        podman().args([
            "tag",
            &format!("{DEBIAN}:bookworm"),
            &format!("{DEBIAN}:bookworm-slim"),
        ]),
        "podman tag",
    );
}

/// An image of `/out` as the Dockerfile's `build` stage leaves it, from
/// this run's `dex-mcp` (without its debug info) and component.
fn artifacts_image(scratch: &Path, tag: &str) {
    let out = scratch.join("out");
    let bin = out.join("usr/local/bin");
    let share = out.join("usr/local/share/dex-mcp");
    std::fs::create_dir_all(&bin).unwrap();
    std::fs::create_dir_all(&share).unwrap();
    run(
        Command::new("objcopy")
            .arg("--strip-debug")
            .arg(server_binary())
            .arg(bin.join("dex-mcp")),
        "objcopy --strip-debug",
    );
    std::fs::copy(component("dex_guest"), share.join("dex_guest.wasm")).unwrap();
    std::fs::write(
        scratch.join("Containerfile"),
        "FROM scratch\nCOPY out/ /out/\n",
    )
    .unwrap();
    run(
        podman()
            .args(["build", "--pull=never", "-t", tag])
            .arg(scratch),
        "building the artifacts image",
    );
}

/// A container of this test's; dropping it removes it.
struct Container(String);

impl Drop for Container {
    fn drop(&mut self) {
        podman().args(["rm", "--force", &self.0]).output().ok();
    }
}

/// An image of this test's; dropping it removes it.
struct Image(String);

impl Drop for Image {
    fn drop(&mut self) {
        podman().args(["rmi", "--force", &self.0]).output().ok();
    }
}

/// Waits until `GET url` answers 200; the container's log if it never does.
async fn wait_healthy(url: &str, container: &str) {
    let deadline = Instant::now() + Duration::from_secs(300);
    loop {
        if let Ok(response) = reqwest::get(url).await
            && response.status() == 200
        {
            assert_eq!(response.text().await.unwrap(), "ok\n");
            return;
        }
        if Instant::now() > deadline {
            let logs = podman().args(["logs", container]).output().unwrap();
            panic!(
                "{url} never answered; the container's log:\n{}",
                String::from_utf8_lossy(&logs.stderr)
            );
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

#[tokio::test]
async fn the_image_serves_find_contact_over_http_with_the_token() {
    for (tool, package) in [(PODMAN, "podman"), (RUNC, "runc")] {
        assert!(
            Path::new(tool).exists(),
            "{tool} is missing: run `cargo xtask setup` (Debian's {package} package)"
        );
    }
    let scratch = Scratch::new("container");
    std::fs::create_dir_all(&scratch).unwrap();
    let id = std::process::id();
    debian_base_images();
    let artifacts = Image(format!("localhost/dex-mcp-e2e-artifacts:{id}"));
    artifacts_image(&scratch, &artifacts.0);
    let image = Image(format!("localhost/dex-mcp-e2e:{id}"));
    run(
        podman()
            .args(["build", "--pull=never", "--network", "host"])
            .args(ulimits())
            .args(["--target", "prebuilt"])
            .args(["--build-arg", &format!("ARTIFACTS={}", artifacts.0)])
            .args(["--build-arg", &format!("DEBIAN={DEBIAN}")])
            .args(["-t", &image.0])
            .arg(workspace()),
        "podman build of the Dockerfile",
    );

    // What the image says about itself.
    let config = run(
        podman().args([
            "image",
            "inspect",
            "--format",
            "{{.Config.User}} {{json .Config.Volumes}} {{json .Config.ExposedPorts}}",
            &image.0,
        ]),
        "podman image inspect",
    );
    let config = String::from_utf8_lossy(&config.stdout);
    assert!(config.starts_with("dex-mcp "), "{config}");
    assert!(config.contains("/var/lib/dex-mcp/state"), "{config}");
    assert!(config.contains("8080/tcp"), "{config}");

    // Without the token, on 0.0.0.0, the server refuses to start.
    let refused = podman()
        .args(["run", "--rm", "--network", "host"])
        .args(ulimits())
        .args(["--env", "DEX_MCP_LISTEN=0.0.0.0:1"])
        .arg(&image.0)
        .output()
        .unwrap();
    assert!(!refused.status.success());
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(stderr.contains("DEX_MCP_HTTP_TOKEN"), "{stderr}");

    // With it, on the host's network (no port forwarding needed, which
    // sandboxes without iptables lack) at a free port.
    let port = free_port();
    let name = format!("dex-mcp-e2e-{id}");
    let container = Container(name.clone());
    run(
        podman()
            .args(["run", "--detach", "--name", &name, "--network", "host"])
            .args(ulimits())
            .args(["--env", &format!("DEX_MCP_LISTEN=0.0.0.0:{port}")])
            .args(["--env", &format!("DEX_MCP_HTTP_TOKEN={TOKEN}")])
            .arg(&image.0),
        "podman run",
    );
    wait_healthy(&format!("http://127.0.0.1:{port}/healthz"), &container.0).await;

    let client = connect_http(
        &format!("http://127.0.0.1:{port}/mcp"),
        Some(TOKEN),
        Era::Modern,
    )
    .await
    .expect("an MCP client connects with the token");
    let tools = client.list_all_tools().await.expect("tools/list answers");
    assert!(tools.iter().any(|t| t.name == "find_contact"), "{tools:?}");
    let answer = call_ok(&client, "find_contact", json!({ "name": "a" })).await;
    assert!(answer["matches"].is_array(), "{answer}");
    client.cancel().await.ok();

    let without_token = reqwest::Client::new()
        .post(format!("http://127.0.0.1:{port}/mcp"))
        .send()
        .await
        .unwrap();
    assert_eq!(without_token.status(), 401);

    let user = run(
        podman().args(["exec", &container.0, "id", "-un"]),
        "podman exec id",
    );
    assert_eq!(String::from_utf8_lossy(&user.stdout).trim(), "dex-mcp");
    let logs = run(podman().args(["logs", &container.0]), "podman logs");
    assert!(
        !String::from_utf8_lossy(&logs.stderr).contains(TOKEN),
        "the token is in the container's log"
    );
}
