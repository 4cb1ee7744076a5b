//! Compiled components kept on disk, so a restart does not recompile.
//!
//! Compiling the Dex component with Cranelift takes seconds; loading the
//! compiled code back takes milliseconds. An entry is named by what makes
//! compiled code valid: the SHA-256 of the `.wasm` and the engine's
//! compatibility hash (wasmtime version, target, and every setting that
//! changes code generation), as `<sha256>-<engine>.cwasm`. A changed
//! component or engine simply misses; an entry that fails to load
//! (truncated, corrupted, from an incompatible build) is removed and the
//! component compiled again.
//!
//! Loading compiled code is `unsafe` in wasmtime: the bytes are trusted to
//! be wasmtime's own output. Entries are therefore read only from this
//! cache's directory, which is created private to the user (0700), and
//! written only by this module, through a temporary file renamed into
//! place so that no reader sees a half-written entry.

use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use sha2::{Digest, Sha256};
use wasmtime::Engine;
use wasmtime::component::Component;

/// Where compiled components are kept.
#[derive(Debug, Clone)]
pub struct CompileCache {
    dir: PathBuf,
}

/// Where a component came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// Compiled now (and stored, when there is a cache).
    Compiled,
    /// Loaded from the cache.
    Cached,
}

impl CompileCache {
    /// A cache in `dir` (created when first written).
    pub fn new(dir: PathBuf) -> Self {
        Self { dir }
    }

    /// `$XDG_CACHE_HOME/dex-mcp`, else `$HOME/.cache/dex-mcp`; `None` when
    /// neither variable is set.
    pub fn default_dir() -> Option<PathBuf> {
        let base = std::env::var_os("XDG_CACHE_HOME")
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
            .or_else(|| {
                std::env::var_os("HOME")
                    .filter(|v| !v.is_empty())
                    .map(|home| PathBuf::from(home).join(".cache"))
            })?;
        Some(base.join("dex-mcp"))
    }

    /// The entry for `wasm` compiled by `engine`.
    fn entry(&self, engine: &Engine, wasm: &[u8]) -> PathBuf {
        let digest = Sha256::digest(wasm);
        let module: String = digest.iter().map(|b| format!("{b:02x}")).collect();
        let mut hasher = std::collections::hash_map::DefaultHasher::new();
        engine.precompile_compatibility_hash().hash(&mut hasher);
        self.dir
            .join(format!("{module}-{:016x}.cwasm", hasher.finish()))
    }

    fn load_entry(&self, engine: &Engine, entry: &Path) -> Option<Component> {
        if !entry.exists() {
            return None;
        }
        // SAFETY: `entry` is in this cache's private directory and was
        // written by `store` from `Component::serialize`; wasmtime also
        // checks its header and engine compatibility before using it.
        match unsafe { Component::deserialize_file(engine, entry) } {
            Ok(component) => Some(component),
            Err(err) => {
                tracing::warn!(entry = %entry.display(), "compile cache entry unusable, compiling again: {err}");
                std::fs::remove_file(entry).ok();
                None
            }
        }
    }

    fn store(&self, entry: &Path, component: &Component) -> Result<()> {
        create_private_dir(&self.dir)?;
        let bytes = component.serialize().map_err(anyhow::Error::from)?;
        let temporary = entry.with_extension(format!("tmp{}", std::process::id()));
        std::fs::write(&temporary, bytes)
            .with_context(|| format!("writing {}", temporary.display()))?;
        std::fs::rename(&temporary, entry)
            .with_context(|| format!("renaming to {}", entry.display()))
    }
}

fn create_private_dir(dir: &Path) -> Result<()> {
    use std::os::unix::fs::DirBuilderExt;
    std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)
        .with_context(|| format!("creating {}", dir.display()))
}

/// Compiles the component at `path`, or loads its compiled code from
/// `cache`. A cache that cannot be written costs a warning, not the start.
pub fn compile(
    engine: &Engine,
    path: &Path,
    cache: Option<&CompileCache>,
) -> Result<(Component, Source)> {
    let wasm = std::fs::read(path).with_context(|| format!("reading {}", path.display()))?;
    let entry = cache.map(|cache| (cache, cache.entry(engine, &wasm)));
    if let Some((cache, entry)) = &entry
        && let Some(component) = cache.load_entry(engine, entry)
    {
        return Ok((component, Source::Cached));
    }
    let component = Component::new(engine, &wasm)
        .map_err(anyhow::Error::from)
        .with_context(|| format!("compiling the component {}", path.display()))?;
    if let Some((cache, entry)) = &entry
        && let Err(err) = cache.store(entry, &component)
    {
        tracing::warn!("cannot write the compile cache: {err:#}");
    }
    Ok((component, Source::Compiled))
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Scratch(PathBuf);

    impl Scratch {
        fn new(name: &str) -> Self {
            let dir = std::env::temp_dir().join(format!(
                "dex-mcp-compile-cache-{name}-{}",
                std::process::id()
            ));
            std::fs::remove_dir_all(&dir).ok();
            std::fs::create_dir_all(&dir).unwrap();
            Self(dir)
        }

        fn component(&self, name: &str, wat: &str) -> PathBuf {
            let path = self.0.join(name);
            std::fs::write(&path, wat::parse_str(wat).unwrap()).unwrap();
            path
        }

        fn entries(&self) -> Vec<PathBuf> {
            match std::fs::read_dir(self.0.join("cache")) {
                Ok(dir) => dir.map(|e| e.unwrap().path()).collect(),
                Err(_) => Vec::new(),
            }
        }
    }

    impl Drop for Scratch {
        fn drop(&mut self) {
            std::fs::remove_dir_all(&self.0).ok();
        }
    }

    const ONE: &str = r#"(component (core module (func (export "f"))))"#;
    const TWO: &str = r#"(component (core module (func (export "g"))))"#;

    #[test]
    fn second_load_comes_from_the_cache() {
        let scratch = Scratch::new("hit");
        let engine = Engine::default();
        let cache = CompileCache::new(scratch.0.join("cache"));
        let path = scratch.component("one.wasm", ONE);

        let (_, first) = compile(&engine, &path, Some(&cache)).unwrap();
        let (_, second) = compile(&engine, &path, Some(&cache)).unwrap();

        assert_eq!((first, second), (Source::Compiled, Source::Cached));
        assert_eq!(scratch.entries().len(), 1);
    }

    #[test]
    fn corrupt_entry_is_replaced_by_compiling_again() {
        let scratch = Scratch::new("corrupt");
        let engine = Engine::default();
        let cache = CompileCache::new(scratch.0.join("cache"));
        let path = scratch.component("one.wasm", ONE);
        compile(&engine, &path, Some(&cache)).unwrap();
        let entry = scratch.entries().pop().unwrap();
        std::fs::write(&entry, b"\x7fELF not really").unwrap();

        let (_, source) = compile(&engine, &path, Some(&cache)).unwrap();
        let (_, after) = compile(&engine, &path, Some(&cache)).unwrap();

        assert_eq!((source, after), (Source::Compiled, Source::Cached));
    }

    #[test]
    fn changed_component_or_engine_misses() {
        let scratch = Scratch::new("miss");
        let cache = CompileCache::new(scratch.0.join("cache"));
        let one = scratch.component("one.wasm", ONE);
        let two = scratch.component("two.wasm", TWO);
        let engine = Engine::default();
        let mut config = wasmtime::Config::new();
        config.epoch_interruption(true);
        let other_engine = Engine::new(&config).unwrap();

        compile(&engine, &one, Some(&cache)).unwrap();
        let (_, other_module) = compile(&engine, &two, Some(&cache)).unwrap();
        let (_, other_settings) = compile(&other_engine, &one, Some(&cache)).unwrap();

        assert_eq!(other_module, Source::Compiled);
        assert_eq!(other_settings, Source::Compiled);
        assert_eq!(scratch.entries().len(), 3);
    }

    #[test]
    fn without_a_cache_nothing_is_written() {
        let scratch = Scratch::new("none");
        let path = scratch.component("one.wasm", ONE);
        let (_, source) = compile(&Engine::default(), &path, None).unwrap();
        assert_eq!(source, Source::Compiled);
        assert!(scratch.entries().is_empty());
    }

    #[cfg(unix)]
    #[test]
    fn cache_directory_is_private() {
        use std::os::unix::fs::PermissionsExt;
        let scratch = Scratch::new("private");
        let cache = CompileCache::new(scratch.0.join("cache"));
        let path = scratch.component("one.wasm", ONE);
        compile(&Engine::default(), &path, Some(&cache)).unwrap();
        let mode = std::fs::metadata(scratch.0.join("cache"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o700);
    }
}
