//! `--component oci://…`: the Dex component pushed as a Wasm OCI artifact
//! to a real registry (Debian's `docker-registry`, on loopback) and served
//! from there, pinned by digest; a wrong digest refuses to start and says
//! which digest the tag has; a later start needs no registry, and
//! `--version` names the pulled component's version.

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use dex_mcp_tests::{Era, Scratch, call_ok, component, free_port, server_command, start_server};
use serde_json::json;
use sha2::{Digest, Sha256};

/// Where Debian's `docker-registry` package puts the registry.
const REGISTRY: &str = "/usr/bin/docker-registry";

/// The media types of a Wasm OCI artifact (the layout `wkg oci push`
/// writes): an OCI image manifest whose config says "wasm" and whose one
/// layer is the component.
const WASM_CONFIG_MEDIA_TYPE: &str = "application/vnd.wasm.config.v0+json";
const WASM_LAYER_MEDIA_TYPE: &str = "application/wasm";
const OCI_MANIFEST_MEDIA_TYPE: &str = "application/vnd.oci.image.manifest.v1+json";

/// A `docker-registry` of one test's own on a free loopback port, storing
/// into a scratch directory. Dropping it kills the registry.
struct LocalRegistry {
    child: Child,
    addr: String,
    _dir: Scratch,
}

impl LocalRegistry {
    /// Starts it and waits until it answers `/v2/`.
    async fn start(name: &str) -> Self {
        assert!(
            Path::new(REGISTRY).exists(),
            "{REGISTRY} is missing: run `cargo xtask setup` (it installs Debian's \
             docker-registry package), or `apt-get install docker-registry`"
        );
        let dir = Scratch::new(&format!("registry-{name}"));
        std::fs::create_dir_all(dir.join("storage")).unwrap();
        let addr = format!("127.0.0.1:{}", free_port());
        let config = dir.join("config.yml");
        std::fs::write(
            &config,
            format!(
                "version: 0.1\nlog:\n  level: warn\nstorage:\n  filesystem:\n    \
                 rootdirectory: {}\nhttp:\n  addr: {addr}\n",
                dir.join("storage").display()
            ),
        )
        .unwrap();
        let child = Command::new(REGISTRY)
            .arg("serve")
            .arg(&config)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("docker-registry starts");
        let mut registry = Self {
            child,
            addr,
            _dir: dir,
        };
        let deadline = Instant::now() + Duration::from_secs(60);
        let probe = format!("http://{}/v2/", registry.addr);
        loop {
            if let Ok(response) = reqwest::get(&probe).await
                && response.status() == 200
            {
                return registry;
            }
            if let Ok(Some(status)) = registry.child.try_wait() {
                panic!("docker-registry exited before it was ready ({status})");
            }
            assert!(
                Instant::now() < deadline,
                "docker-registry never answered {probe}"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Pushes `wasm` as a Wasm OCI artifact to `repository:tag` through
    /// the distribution API (each blob in one upload, then the manifest);
    /// the manifest's digest.
    async fn push_component(&self, repository: &str, tag: &str, wasm: Vec<u8>) -> String {
        let layer = descriptor(WASM_LAYER_MEDIA_TYPE, &wasm);
        let config = serde_json::to_vec(&json!({
            "architecture": "wasm",
            "os": "wasip2",
            "layerDigests": [layer["digest"]],
        }))
        .unwrap();
        let manifest = serde_json::to_vec(&json!({
            "schemaVersion": 2,
            "mediaType": OCI_MANIFEST_MEDIA_TYPE,
            "config": descriptor(WASM_CONFIG_MEDIA_TYPE, &config),
            "layers": [layer],
        }))
        .unwrap();
        let base = format!("http://{}/v2/{repository}", self.addr);
        let http = reqwest::Client::new();
        for blob in [config, wasm] {
            let started = http
                .post(format!("{base}/blobs/uploads/"))
                .send()
                .await
                .unwrap();
            assert_eq!(started.status(), 202, "the upload starts");
            let location = started.headers()["location"].to_str().unwrap().to_owned();
            let location = if location.starts_with('/') {
                format!("http://{}{location}", self.addr)
            } else {
                location
            };
            let separator = if location.contains('?') { '&' } else { '?' };
            let put = http
                .put(format!("{location}{separator}digest={}", sha256(&blob)))
                .header("Content-Type", "application/octet-stream")
                .body(blob)
                .send()
                .await
                .unwrap();
            assert_eq!(put.status(), 201, "the blob is stored");
        }
        let put = http
            .put(format!("{base}/manifests/{tag}"))
            .header("Content-Type", OCI_MANIFEST_MEDIA_TYPE)
            .body(manifest.clone())
            .send()
            .await
            .unwrap();
        assert_eq!(put.status(), 201, "the manifest is stored");
        let digest = sha256(&manifest);
        assert_eq!(put.headers()["docker-content-digest"], digest.as_str());
        digest
    }

    /// `--component`'s value for `repository:tag@digest` here.
    fn component_flag(&self, repository: &str, tag: &str, digest: &str) -> String {
        format!("oci://{}/{repository}:{tag}@{digest}", self.addr)
    }
}

impl Drop for LocalRegistry {
    fn drop(&mut self) {
        self.child.kill().ok();
        self.child.wait().ok();
    }
}

/// `sha256:<hex>` of `bytes`.
fn sha256(bytes: &[u8]) -> String {
    let hex: String = Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    format!("sha256:{hex}")
}

/// The OCI descriptor of `bytes` as a blob of `media_type`.
fn descriptor(media_type: &str, bytes: &[u8]) -> serde_json::Value {
    json!({ "mediaType": media_type, "digest": sha256(bytes), "size": bytes.len() })
}

/// dex-mcp's flags: the component at `flag`, compiled and kept in `cache`.
fn args(flag: &str, cache: &Path) -> Vec<String> {
    vec![
        "--component".into(),
        flag.into(),
        "--compile-cache-dir".into(),
        cache.display().to_string(),
    ]
}

/// Lists the tools of dex-mcp started with `args` (demo account) and
/// calls `find_contact`, which must answer.
async fn serves_find_contact(args: &[String], log: &Path) {
    let client = start_server(args, &[], Era::Legacy, Some(log))
        .await
        .unwrap_or_else(|e| panic!("{e:#}\n{}", std::fs::read_to_string(log).unwrap()));
    let tools = client.list_all_tools().await.expect("tools/list answers");
    assert!(tools.iter().any(|t| t.name == "find_contact"), "{tools:?}");
    let answer = call_ok(&client, "find_contact", json!({ "name": "a" })).await;
    assert!(answer["matches"].is_array(), "{answer}");
    client.cancel().await.ok();
}

#[tokio::test]
async fn a_pinned_artifact_is_pulled_served_and_kept() {
    let scratch = Scratch::new("oci-pinned");
    std::fs::create_dir_all(&scratch).unwrap();
    let cache = scratch.join("cache");
    let registry = LocalRegistry::start("pinned").await;
    let wasm = std::fs::read(component("dex_guest")).unwrap();
    let digest = registry
        .push_component("dex/guest", "e2e", wasm.clone())
        .await;
    let flag = registry.component_flag("dex/guest", "e2e", &digest);

    serves_find_contact(&args(&flag, &cache), &scratch.join("first.log")).await;
    let first = std::fs::read_to_string(scratch.join("first.log")).unwrap();
    assert!(first.contains("pulled the component"), "{first}");
    let kept = cache
        .join("oci")
        .join(digest.replace(':', "-"))
        .join("component.wasm");
    assert_eq!(std::fs::read(&kept).unwrap(), wasm, "the kept copy");

    // The registry gone, the kept copy serves.
    drop(registry);
    serves_find_contact(&args(&flag, &cache), &scratch.join("second.log")).await;
    let second = std::fs::read_to_string(scratch.join("second.log")).unwrap();
    assert!(!second.contains("pulled the component"), "{second}");

    // `--version` names the version the pulled component declares (the
    // workspace's, which `cargo xtask guest` stamps into it).
    let mut asking = args(&flag, &cache);
    asking.push("--version".into());
    let output = server_command(&asking, &[])
        .stdout(Stdio::piped())
        .output()
        .expect("dex-mcp runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let version = env!("CARGO_PKG_VERSION");
    assert!(stdout.contains(&format!(" {version})")), "{stdout}");

    // A pinned artifact never changes: there is no file to watch.
    let mut watching = args(&flag, &cache);
    watching.push("--watch".into());
    let output = server_command(&watching, &[])
        .output()
        .expect("dex-mcp runs");
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("--watch"), "{stderr}");
}

#[tokio::test]
async fn a_wrong_digest_refuses_to_start_and_names_the_tags_digest() {
    let scratch = Scratch::new("oci-wrong");
    let registry = LocalRegistry::start("wrong").await;
    let wasm = std::fs::read(component("dex_guest")).unwrap();
    let digest = registry.push_component("dex/guest", "e2e", wasm).await;
    let wrong = format!("sha256:{}", "0".repeat(64));
    assert_ne!(digest, wrong);

    let output = server_command(
        &args(
            &registry.component_flag("dex/guest", "e2e", &wrong),
            &scratch,
        ),
        &[],
    )
    .output()
    .expect("dex-mcp runs");

    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("not at the pinned digest"), "{stderr}");
    assert!(stderr.contains(&digest), "{stderr}");
    assert!(!scratch.join("oci").join(wrong.replace(':', "-")).exists());
}

#[tokio::test]
async fn an_unpinned_tag_is_refused() {
    let scratch = Scratch::new("oci-unpinned");
    let output = server_command(&args("oci://127.0.0.1:1/dex/guest:latest", &scratch), &[])
        .output()
        .expect("dex-mcp runs");
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("names no digest"), "{stderr}");
}
