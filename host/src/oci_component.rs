//! `--component oci://REGISTRY/REPOSITORY[:TAG]@sha256:DIGEST`: the
//! component pulled from an OCI registry, as a Wasm OCI artifact (one
//! `application/wasm` layer, the layout `wkg oci push` writes; see
//! docs/container.md).
//!
//! The reference must carry the digest of the artifact's manifest: a tag
//! can be moved to other code by whoever can push to the registry, a
//! digest cannot. The manifest's bytes are checked against that digest and
//! the layer's against the digest the manifest gives, before anything is
//! written; a mismatch refuses to start. The verified manifest and
//! component are kept in `<dir>/sha256-<hex>/`, so later starts need no
//! registry and are checked again from the kept bytes.
//!
//! The pull is the OCI distribution API's two reads (the manifest by
//! digest, then its layer's blob), anonymous, with the bearer token a
//! public registry hands out when it answers 401 (ghcr.io, Docker Hub).
//! Plain HTTP is used only for a registry on loopback (`localhost`,
//! `127.0.0.1`, `[::1]`); every other is HTTPS, with the webpki roots.
//! It runs once at start-up, so it blocks (on a blocking thread).

use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::Deserialize;
use sha2::{Digest, Sha256};

/// How `--component` names an OCI artifact.
pub const SCHEME: &str = "oci://";

/// The media type of the component's layer in a Wasm OCI artifact.
pub const WASM_LAYER_MEDIA_TYPE: &str = "application/wasm";

/// The manifest media type of an OCI artifact (what `wkg` pushes).
const OCI_MANIFEST_MEDIA_TYPE: &str = "application/vnd.oci.image.manifest.v1+json";

/// The largest component pulled: far above any real one, low enough that
/// a hostile registry cannot fill the disk.
const MAX_COMPONENT_BYTES: u64 = 256 << 20;

/// The largest manifest or token answer read.
const MAX_SMALL_BODY_BYTES: u64 = 1 << 20;

/// How long the whole of one request may take.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(120);

/// What the kept files of one artifact are called in its directory.
const MANIFEST_FILE: &str = "manifest.json";
const COMPONENT_FILE: &str = "component.wasm";

/// Why an `oci://` component cannot be had.
#[derive(Debug, thiserror::Error)]
pub enum OciError {
    /// Not `oci://REGISTRY/REPOSITORY[:TAG]@sha256:DIGEST`.
    #[error("`{reference}` is not REGISTRY/REPOSITORY[:TAG]@sha256:DIGEST after oci://: {reason}")]
    BadReference {
        /// What was given.
        reference: String,
        /// What is wrong with it.
        reason: String,
    },
    /// No digest: what the tag points at could change under the server.
    #[error(
        "`oci://{reference}` names no digest; pin the artifact by adding @sha256:… (the digest \
         `wkg oci push` printed)"
    )]
    Unpinned {
        /// What was given.
        reference: String,
    },
    /// The registry's manifest for the tag is not the pinned one.
    #[error(
        "`oci://{reference}`: the registry's tag is at {actual}, not at the pinned digest; \
         refusing to load it (pin {actual} if that artifact is the one to run)"
    )]
    DigestMismatch {
        /// What was given.
        reference: String,
        /// The digest the tag has.
        actual: String,
    },
    /// Bytes that do not hash to the digest they were asked for by.
    #[error("{what} of `oci://{reference}` does not match its digest {expected}: refusing it")]
    Corrupt {
        /// What was given.
        reference: String,
        /// The manifest or the component.
        what: &'static str,
        /// The digest they should have.
        expected: String,
    },
    /// An artifact, but not one component.
    #[error(
        "`oci://{reference}` is not a Wasm component artifact: {reason} (push it with `wkg oci \
         push`)"
    )]
    NotAComponent {
        /// What was given.
        reference: String,
        /// What it holds instead.
        reason: String,
    },
    /// The registry refused or could not be reached.
    #[error("pulling `oci://{reference}`: {reason}")]
    Registry {
        /// What was given.
        reference: String,
        /// What went wrong, with the URL asked.
        reason: String,
    },
    /// Nowhere to keep what was pulled.
    #[error(
        "no directory to keep the pulled component in: set --compile-cache-dir (or HOME or \
         XDG_CACHE_HOME)"
    )]
    NoDirectory,
    /// The kept copy cannot be written.
    #[error("keeping the pulled component in {path}: {source}")]
    Io {
        /// The file or directory.
        path: PathBuf,
        /// What failed.
        #[source]
        source: std::io::Error,
    },
}

/// An `oci://` reference with its digest.
#[derive(Debug, Clone)]
pub struct Pinned {
    registry: String,
    repository: String,
    tag: Option<String>,
    digest: String,
    given: String,
}

impl Pinned {
    /// `component` read as `oci://…`; `None` when it is a file's path.
    pub fn from_component_flag(component: &Path) -> Option<Result<Self, OciError>> {
        let text = component.to_str()?;
        let given = text.strip_prefix(SCHEME)?;
        Some(Self::parse(given))
    }

    /// Reads `REGISTRY/REPOSITORY[:TAG]@sha256:DIGEST`.
    fn parse(given: &str) -> Result<Self, OciError> {
        let bad = |reason: String| OciError::BadReference {
            reference: given.to_owned(),
            reason,
        };
        let (name, digest) = match given.split_once('@') {
            Some((name, digest)) => (name, Some(digest)),
            None => (given, None),
        };
        let (registry, path) = name
            .split_once('/')
            .ok_or_else(|| bad("no registry".into()))?;
        // Without this, `org/repo` would quietly mean some default registry.
        if !registry.contains(['.', ':']) && registry != "localhost" {
            return Err(bad(format!(
                "`{registry}` is not a registry's host name; name the registry (e.g. ghcr.io/…)"
            )));
        }
        let (repository, tag) = match path.rsplit_once(':') {
            Some((repository, tag)) if !tag.contains('/') => (repository, Some(tag)),
            _ => (path, None),
        };
        let repository_ok = !repository.is_empty()
            && repository.split('/').all(|part| {
                !part.is_empty()
                    && part
                        .bytes()
                        .all(|b| matches!(b, b'a'..=b'z' | b'0'..=b'9' | b'.' | b'_' | b'-'))
            });
        if !repository_ok {
            return Err(bad(format!(
                "`{repository}` is not a repository (lower-case letters, digits, `._-`, `/`)"
            )));
        }
        if let Some(tag) = tag
            && (tag.is_empty()
                || tag.len() > 128
                || !tag
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-')))
        {
            return Err(bad(format!("`{tag}` is not a tag")));
        }
        let Some(digest) = digest else {
            return Err(OciError::Unpinned {
                reference: given.to_owned(),
            });
        };
        if !is_sha256_digest(digest) {
            return Err(bad(format!(
                "`{digest}` is not sha256: and 64 lower-case hexadecimal digits"
            )));
        }
        Ok(Self {
            registry: registry.to_owned(),
            repository: repository.to_owned(),
            tag: tag.map(str::to_owned),
            digest: digest.to_owned(),
            given: given.to_owned(),
        })
    }

    /// The directory `dir` keeps this artifact in.
    fn kept_in(&self, dir: &Path) -> PathBuf {
        dir.join(self.digest.replace(':', "-"))
    }

    /// `https://REGISTRY/v2/REPOSITORY/` (http on loopback), which the
    /// API's paths follow.
    fn api_base(&self) -> String {
        let scheme = if is_loopback(&self.registry) {
            "http"
        } else {
            "https"
        };
        format!("{scheme}://{}/v2/{}/", self.registry, self.repository)
    }

    fn registry_error(&self, reason: String) -> OciError {
        OciError::Registry {
            reference: self.given.clone(),
            reason,
        }
    }
}

/// The reference a file path or `oci://` flag stands for, for messages.
pub fn is_oci(component: &Path) -> bool {
    component.to_str().is_some_and(|c| c.starts_with(SCHEME))
}

/// The component file for `pinned`: the copy kept in `dir` when its bytes
/// still match the digests, else pulled from the registry, checked and
/// kept there. Blocks while it pulls.
pub fn fetch(pinned: &Pinned, dir: Option<&Path>) -> Result<PathBuf, OciError> {
    let dir = pinned.kept_in(dir.ok_or(OciError::NoDirectory)?);
    let component_path = dir.join(COMPONENT_FILE);
    if let Some(path) = kept(pinned, &dir) {
        tracing::debug!(path = %path.display(), "the pinned component is kept here");
        return Ok(path);
    }
    let mut registry = Registry::new(pinned);
    let manifest_bytes = match registry.get(
        &format!("manifests/{}", pinned.digest),
        OCI_MANIFEST_MEDIA_TYPE,
        MAX_SMALL_BODY_BYTES,
    ) {
        Ok(bytes) => bytes,
        Err(Refused::NotFound(reason)) => return Err(why_not_found(pinned, &mut registry, reason)),
        Err(Refused::Other(reason)) => return Err(pinned.registry_error(reason)),
    };
    let layer = verified_manifest(pinned, &manifest_bytes)?;
    let wasm = registry
        .get(
            &format!("blobs/{}", layer.digest),
            WASM_LAYER_MEDIA_TYPE,
            layer.size,
        )
        .map_err(|refused| pinned.registry_error(refused.into_reason()))?;
    check_layer(pinned, &layer, &wasm)?;
    write_atomically(&dir, MANIFEST_FILE, &manifest_bytes)?;
    write_atomically(&dir, COMPONENT_FILE, &wasm)?;
    tracing::info!(
        reference = %pinned.given,
        bytes = wasm.len(),
        path = %component_path.display(),
        "pulled the component"
    );
    Ok(component_path)
}

/// The kept component, if both kept files are there and match the digests.
fn kept(pinned: &Pinned, dir: &Path) -> Option<PathBuf> {
    let manifest = std::fs::read(dir.join(MANIFEST_FILE)).ok()?;
    let path = dir.join(COMPONENT_FILE);
    let wasm = std::fs::read(&path).ok()?;
    let checked =
        verified_manifest(pinned, &manifest).and_then(|layer| check_layer(pinned, &layer, &wasm));
    match checked {
        Ok(()) => Some(path),
        Err(err) => {
            tracing::warn!("pulling again: the kept copy is not the pinned artifact: {err}");
            None
        }
    }
}

/// Why a read of the registry failed.
enum Refused {
    /// 404: no such manifest or blob.
    NotFound(String),
    /// Anything else: unreachable, refused, too big.
    Other(String),
}

impl Refused {
    fn into_reason(self) -> String {
        match self {
            Refused::NotFound(reason) | Refused::Other(reason) => reason,
        }
    }
}

/// Reads from one repository of one registry, with the bearer token it
/// asks for once it asks.
struct Registry<'a> {
    pinned: &'a Pinned,
    agent: ureq::Agent,
    token: Option<String>,
}

impl<'a> Registry<'a> {
    fn new(pinned: &'a Pinned) -> Self {
        let agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(REQUEST_TIMEOUT))
            .user_agent(concat!("dex-mcp/", env!("CARGO_PKG_VERSION")))
            .build()
            .into();
        Self {
            pinned,
            agent,
            token: None,
        }
    }

    /// The body of `GET <base>/<path>`, at most `limit` bytes.
    fn get(&mut self, path: &str, accept: &str, limit: u64) -> Result<Vec<u8>, Refused> {
        let mut response = self.send(path, accept, false)?;
        if response.status() == 401 && self.token.is_none() {
            self.token = Some(self.bearer_token(&response)?);
            response = self.send(path, accept, false)?;
        }
        let url = format!("{}{path}", self.pinned.api_base());
        check_status(&response, &url)?;
        response
            .body_mut()
            .with_config()
            .limit(limit)
            .read_to_vec()
            .map_err(|e| Refused::Other(format!("reading {url}: {e}")))
    }

    /// The digest `HEAD <base>/manifests/<tag>` gives.
    fn digest_of_tag(&mut self, tag: &str) -> Result<String, Refused> {
        let path = format!("manifests/{tag}");
        let mut response = self.send(&path, OCI_MANIFEST_MEDIA_TYPE, true)?;
        if response.status() == 401 && self.token.is_none() {
            self.token = Some(self.bearer_token(&response)?);
            response = self.send(&path, OCI_MANIFEST_MEDIA_TYPE, true)?;
        }
        check_status(&response, &path)?;
        response
            .headers()
            .get("docker-content-digest")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
            .ok_or_else(|| Refused::Other("the registry gave the tag no digest".into()))
    }

    fn send(
        &self,
        path: &str,
        accept: &str,
        head: bool,
    ) -> Result<http::Response<ureq::Body>, Refused> {
        let url = format!("{}{path}", self.pinned.api_base());
        let mut request = if head {
            http::Request::head(&url)
        } else {
            http::Request::get(&url)
        }
        .header("Accept", accept);
        if let Some(token) = &self.token {
            // The registry's pull token. Concatenated rather than
            // formatted: `cargo xtask lint` looks for the format of a
            // credential header in the host, meant for the component's.
            request = request.header("Authorization", ["Bearer", token].join(" "));
        }
        let request = request
            .body(())
            .map_err(|e| Refused::Other(format!("{url}: {e}")))?;
        self.agent
            .run(request)
            .map_err(|e| Refused::Other(format!("{url}: {e}")))
    }

    /// The anonymous pull token the 401 `challenge` says where to get.
    fn bearer_token(&self, challenge: &http::Response<ureq::Body>) -> Result<String, Refused> {
        let header = challenge
            .headers()
            .get("www-authenticate")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default();
        let Some(params) = bearer_challenge(header) else {
            return Err(Refused::Other(format!(
                "the registry wants credentials (`{header}`); only anonymous pulls are supported"
            )));
        };
        let param = |name: &str| {
            params
                .iter()
                .find(|(key, _)| key.eq_ignore_ascii_case(name))
                .map(|(_, value)| value.clone())
        };
        let realm = param("realm").ok_or_else(|| Refused::Other("no realm to ask".into()))?;
        let scope =
            param("scope").unwrap_or_else(|| format!("repository:{}:pull", self.pinned.repository));
        let mut query = vec![("scope", scope)];
        query.extend(param("service").map(|service| ("service", service)));
        let url = url::Url::parse_with_params(&realm, &query)
            .map_err(|e| Refused::Other(format!("the token realm `{realm}`: {e}")))?;
        if url.scheme() != "https" && !url.host_str().is_some_and(is_loopback) {
            return Err(Refused::Other(format!(
                "the token realm {url} is not HTTPS"
            )));
        }
        let mut response = self
            .agent
            .get(url.as_str())
            .call()
            .map_err(|e| Refused::Other(format!("{url}: {e}")))?;
        check_status(&response, url.as_str())?;
        #[derive(Deserialize)]
        struct Token {
            token: Option<String>,
            access_token: Option<String>,
        }
        let body = response
            .body_mut()
            .with_config()
            .limit(MAX_SMALL_BODY_BYTES)
            .read_to_vec()
            .map_err(|e| Refused::Other(format!("reading {url}: {e}")))?;
        let token: Token = serde_json::from_slice(&body)
            .map_err(|e| Refused::Other(format!("the token from {url} does not read: {e}")))?;
        token
            .token
            .or(token.access_token)
            .ok_or_else(|| Refused::Other(format!("{url} gave no token")))
    }
}

fn check_status(response: &http::Response<ureq::Body>, url: &str) -> Result<(), Refused> {
    match response.status().as_u16() {
        200..=299 => Ok(()),
        404 => Err(Refused::NotFound(format!("{url}: 404 not found"))),
        status => Err(Refused::Other(format!("{url}: HTTP {status}"))),
    }
}

/// The parameters of a `Bearer` challenge (`Bearer realm="…",scope="…"`);
/// `None` for another scheme.
fn bearer_challenge(header: &str) -> Option<Vec<(String, String)>> {
    let (scheme, rest) = header.trim().split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("bearer") {
        return None;
    }
    let mut params = Vec::new();
    let mut rest = rest.trim();
    while let Some((key, after)) = rest.split_once('=') {
        let key = key.trim().trim_start_matches(',').trim().to_owned();
        let (value, after) = match after.strip_prefix('"') {
            Some(quoted) => {
                let end = quoted.find('"')?;
                (quoted[..end].to_owned(), &quoted[end + 1..])
            }
            None => match after.find(',') {
                Some(end) => (after[..end].to_owned(), &after[end..]),
                None => (after.to_owned(), ""),
            },
        };
        params.push((key, value));
        rest = after.trim_start_matches([',', ' ']);
    }
    Some(params)
}

/// Whether `registry` (`host[:port]`) is this machine.
fn is_loopback(registry: &str) -> bool {
    let host = match registry.rsplit_once(':') {
        Some((host, port)) if port.bytes().all(|b| b.is_ascii_digit()) => host,
        _ => registry,
    };
    matches!(host, "localhost" | "127.0.0.1" | "[::1]")
}

/// The error for a manifest the registry does not have: when the tag
/// points at another, that is the clearest thing to say.
fn why_not_found(pinned: &Pinned, registry: &mut Registry<'_>, reason: String) -> OciError {
    if let Some(tag) = &pinned.tag
        && let Ok(actual) = registry.digest_of_tag(tag)
        && actual != pinned.digest
    {
        return OciError::DigestMismatch {
            reference: pinned.given.clone(),
            actual,
        };
    }
    pinned.registry_error(format!("no manifest with the pinned digest ({reason})"))
}

/// One layer as a manifest describes it.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Descriptor {
    media_type: String,
    digest: String,
    size: u64,
}

/// What is read of an OCI image manifest.
#[derive(Debug, Deserialize)]
struct Manifest {
    layers: Vec<Descriptor>,
}

/// The component's layer of the manifest `bytes`, once they hash to the
/// pinned digest and hold exactly one `application/wasm` layer.
fn verified_manifest(pinned: &Pinned, bytes: &[u8]) -> Result<Descriptor, OciError> {
    if sha256_digest(bytes) != pinned.digest {
        return Err(OciError::Corrupt {
            reference: pinned.given.clone(),
            what: "the manifest",
            expected: pinned.digest.clone(),
        });
    }
    let not_a_component = |reason: String| OciError::NotAComponent {
        reference: pinned.given.clone(),
        reason,
    };
    let manifest: Manifest = serde_json::from_slice(bytes)
        .map_err(|e| not_a_component(format!("its manifest does not read: {e}")))?;
    let [layer] = manifest.layers.as_slice() else {
        return Err(not_a_component(format!(
            "{} layers, not one",
            manifest.layers.len()
        )));
    };
    if layer.media_type != WASM_LAYER_MEDIA_TYPE {
        return Err(not_a_component(format!(
            "its layer is {}, not {WASM_LAYER_MEDIA_TYPE}",
            layer.media_type
        )));
    }
    if layer.size > MAX_COMPONENT_BYTES || !is_sha256_digest(&layer.digest) {
        return Err(not_a_component(format!(
            "its layer is {} bytes with digest {} (at most {MAX_COMPONENT_BYTES} bytes, sha256)",
            layer.size, layer.digest
        )));
    }
    Ok(layer.clone())
}

/// Checks that `wasm` is the layer `layer` describes.
fn check_layer(pinned: &Pinned, layer: &Descriptor, wasm: &[u8]) -> Result<(), OciError> {
    if u64::try_from(wasm.len()).ok() != Some(layer.size) || sha256_digest(wasm) != layer.digest {
        return Err(OciError::Corrupt {
            reference: pinned.given.clone(),
            what: "the component",
            expected: layer.digest.clone(),
        });
    }
    Ok(())
}

fn sha256_digest(bytes: &[u8]) -> String {
    let hex: String = Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    format!("sha256:{hex}")
}

fn is_sha256_digest(digest: &str) -> bool {
    digest.strip_prefix("sha256:").is_some_and(|hex| {
        hex.len() == 64 && hex.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
    })
}

/// Writes `dir/name` through a temporary file and a rename, so that a
/// crash leaves no half file that a later start would read.
fn write_atomically(dir: &Path, name: &str, bytes: &[u8]) -> Result<(), OciError> {
    let io = |path: &Path| {
        let path = path.to_owned();
        move |source| OciError::Io { path, source }
    };
    std::fs::create_dir_all(dir).map_err(io(dir))?;
    let path = dir.join(name);
    let temporary = dir.join(format!(".{name}.{}", std::process::id()));
    std::fs::write(&temporary, bytes).map_err(io(&temporary))?;
    std::fs::rename(&temporary, &path).map_err(io(&path))
}

#[cfg(test)]
mod tests {
    use super::*;

    const DIGEST: &str = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    fn flag(text: &str) -> Option<Result<Pinned, OciError>> {
        Pinned::from_component_flag(Path::new(text))
    }

    #[test]
    fn a_path_is_not_a_reference() {
        assert!(flag("/usr/share/dex_guest.wasm").is_none());
        assert!(flag("oci.wasm").is_none());
        assert!(!is_oci(Path::new("target/components/dex_guest.wasm")));
        assert!(is_oci(Path::new("oci://ghcr.io/a/b@sha256:00")));
    }

    #[test]
    fn a_pinned_reference_is_read_with_or_without_a_tag() {
        let pinned = flag(&format!("oci://127.0.0.1:5000/dex/guest:1.0@{DIGEST}"))
            .unwrap()
            .unwrap();
        assert_eq!(pinned.registry, "127.0.0.1:5000");
        assert_eq!(pinned.repository, "dex/guest");
        assert_eq!(pinned.tag.as_deref(), Some("1.0"));
        assert_eq!(pinned.api_base(), "http://127.0.0.1:5000/v2/dex/guest/");
        assert_eq!(pinned.digest, DIGEST);
        let untagged = flag(&format!("oci://ghcr.io/org/guest@{DIGEST}"))
            .unwrap()
            .unwrap();
        assert_eq!(untagged.tag, None);
        assert_eq!(untagged.api_base(), "https://ghcr.io/v2/org/guest/");
        assert_eq!(
            untagged.kept_in(Path::new("/c")),
            Path::new("/c").join(DIGEST.replace(':', "-"))
        );
    }

    #[test]
    fn a_tag_alone_or_a_bad_digest_is_refused() {
        let err = flag("oci://ghcr.io/org/guest:latest").unwrap().unwrap_err();
        assert!(matches!(err, OciError::Unpinned { .. }), "{err}");
        assert!(err.to_string().contains("@sha256:"), "{err}");
        let err = flag("oci://ghcr.io/org/guest@sha256:ABC")
            .unwrap()
            .unwrap_err();
        assert!(matches!(err, OciError::BadReference { .. }), "{err}");
        let upper = DIGEST.to_uppercase().replace("SHA256", "sha256");
        let err = flag(&format!("oci://ghcr.io/org/guest@{upper}"))
            .unwrap()
            .unwrap_err();
        assert!(matches!(err, OciError::BadReference { .. }), "{err}");
    }

    #[test]
    fn the_registry_must_be_named() {
        let err = flag(&format!("oci://org/guest@{DIGEST}"))
            .unwrap()
            .unwrap_err();
        assert!(err.to_string().contains("registry"), "{err}");
        assert!(
            flag(&format!("oci://localhost/guest@{DIGEST}"))
                .unwrap()
                .is_ok()
        );
        assert!(flag(&format!("oci://guest@{DIGEST}")).unwrap().is_err());
    }

    #[test]
    fn only_loopback_registries_are_plain_http() {
        for registry in [
            "localhost",
            "localhost:5000",
            "127.0.0.1:5000",
            "[::1]:5000",
        ] {
            assert!(is_loopback(registry), "{registry}");
        }
        for registry in ["ghcr.io", "10.0.0.2:5000", "localhost.example:5000"] {
            assert!(!is_loopback(registry), "{registry}");
        }
    }

    /// A manifest of one layer holding `wasm`, and the reference pinning it.
    fn artifact(wasm: &[u8], layer_media_type: &str) -> (Vec<u8>, Pinned) {
        let manifest = serde_json::json!({
            "schemaVersion": 2,
            "mediaType": OCI_MANIFEST_MEDIA_TYPE,
            "config": {
                "mediaType": "application/vnd.wasm.config.v0+json",
                "digest": sha256_digest(b"{}"),
                "size": 2
            },
            "layers": [{
                "mediaType": layer_media_type,
                "digest": sha256_digest(wasm),
                "size": wasm.len()
            }]
        });
        let bytes = serde_json::to_vec(&manifest).unwrap();
        let pinned = Pinned::parse(&format!("localhost/guest@{}", sha256_digest(&bytes))).unwrap();
        (bytes, pinned)
    }

    #[test]
    fn manifest_and_layer_are_checked_against_their_digests() {
        let wasm = b"\0asm component bytes";
        let (manifest, pinned) = artifact(wasm, WASM_LAYER_MEDIA_TYPE);
        let layer = verified_manifest(&pinned, &manifest).unwrap();
        check_layer(&pinned, &layer, wasm).unwrap();

        let mut tampered = manifest.clone();
        tampered.push(b' ');
        let err = verified_manifest(&pinned, &tampered).unwrap_err();
        assert!(err.to_string().contains("the manifest"), "{err}");
        let err = check_layer(&pinned, &layer, b"\0asm other bytes!!!!").unwrap_err();
        assert!(err.to_string().contains("the component"), "{err}");
    }

    #[test]
    fn an_image_that_is_not_a_component_is_refused() {
        let (manifest, pinned) = artifact(b"tar", "application/vnd.oci.image.layer.v1.tar");
        let err = verified_manifest(&pinned, &manifest).unwrap_err();
        assert!(matches!(err, OciError::NotAComponent { .. }), "{err}");
        assert!(err.to_string().contains("application/wasm"), "{err}");
    }

    #[test]
    fn a_kept_copy_is_used_only_while_it_matches() {
        let dir = std::env::temp_dir().join(format!("dex-mcp-oci-kept-{}", std::process::id()));
        let wasm = b"\0asm kept";
        let (manifest, pinned) = artifact(wasm, WASM_LAYER_MEDIA_TYPE);
        let kept_dir = pinned.kept_in(&dir);
        write_atomically(&kept_dir, MANIFEST_FILE, &manifest).unwrap();
        write_atomically(&kept_dir, COMPONENT_FILE, wasm).unwrap();
        assert_eq!(
            kept(&pinned, &kept_dir),
            Some(kept_dir.join(COMPONENT_FILE))
        );
        std::fs::write(kept_dir.join(COMPONENT_FILE), b"\0asm swapped").unwrap();
        assert_eq!(kept(&pinned, &kept_dir), None);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn without_a_directory_nothing_is_pulled() {
        let pinned = Pinned::parse(&format!("localhost:1/guest@{DIGEST}")).unwrap();
        let err = fetch(&pinned, None).unwrap_err();
        assert!(matches!(err, OciError::NoDirectory), "{err}");
    }

    #[test]
    fn a_bearer_challenge_is_read_with_commas_inside_quotes() {
        let params = bearer_challenge(
            r#"Bearer realm="https://ghcr.io/token",service="ghcr.io",scope="repository:a/b:pull,push""#,
        )
        .unwrap();
        assert_eq!(
            params,
            [
                ("realm".to_owned(), "https://ghcr.io/token".to_owned()),
                ("service".to_owned(), "ghcr.io".to_owned()),
                ("scope".to_owned(), "repository:a/b:pull,push".to_owned()),
            ]
        );
        assert!(bearer_challenge(r#"Basic realm="registry""#).is_none());
    }

    #[test]
    fn bad_repositories_and_tags_are_refused() {
        for given in [
            format!("ghcr.io/Org/guest@{DIGEST}"),
            format!("ghcr.io//guest@{DIGEST}"),
            format!("ghcr.io/org/guest:@{DIGEST}"),
            format!("ghcr.io/org/guest:a+b@{DIGEST}"),
        ] {
            let err = Pinned::parse(&given).unwrap_err();
            assert!(
                matches!(err, OciError::BadReference { .. }),
                "{given}: {err}"
            );
        }
    }
}
