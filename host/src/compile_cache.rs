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
//!
//! Every new component build adds an entry of a few MiB, so the directory
//! is pruned at start-up ([`CompileCache::prune`]): the [`KEPT_ENTRIES`]
//! most recently used entries stay (a cache hit refreshes an entry's
//! modification time), older ones and temporaries left by a writer that
//! died are removed.

use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use anyhow::{Context, Result};
use sha2::{Digest, Sha256};
use wasmtime::Engine;
use wasmtime::component::Component;

/// How many compiled components [`CompileCache::prune`] keeps at start-up:
/// room for the served component, the last few builds of it and the test
/// components, at a few MiB each.
pub const KEPT_ENTRIES: usize = 16;

/// Age after which a temporary file is taken for one whose writer died: a
/// live writer renames its file within seconds.
const ABANDONED_TEMPORARY: Duration = Duration::from_secs(600);

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
            Ok(component) => {
                // Marks the entry as recently used, for `prune`; an entry
                // that cannot be touched is merely pruned sooner.
                let _ = std::fs::File::options()
                    .write(true)
                    .open(entry)
                    .and_then(|file| file.set_modified(SystemTime::now()));
                Some(component)
            }
            Err(err) => {
                tracing::warn!(entry = %entry.display(), "compile cache entry unusable, compiling again: {err}");
                std::fs::remove_file(entry).ok();
                None
            }
        }
    }

    /// Removes all but the `keep` most recently used entries, and
    /// temporaries abandoned by writers that died; returns how many files
    /// were removed. Files that are not the cache's own are left alone. A
    /// missing directory is an empty cache.
    pub fn prune(&self, keep: usize) -> Result<usize> {
        let listing = match std::fs::read_dir(&self.dir) {
            Ok(listing) => listing,
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Ok(0),
            Err(err) => {
                return Err(err).with_context(|| format!("listing {}", self.dir.display()));
            }
        };
        let mut entries = Vec::new();
        let mut doomed = Vec::new();
        for item in listing {
            let item = item.with_context(|| format!("listing {}", self.dir.display()))?;
            let Ok(meta) = item.metadata() else { continue };
            if !meta.is_file() {
                continue;
            }
            let used = meta.modified().unwrap_or(SystemTime::UNIX_EPOCH);
            let path = item.path();
            match path.extension().and_then(|e| e.to_str()) {
                Some("cwasm") => entries.push((used, path)),
                Some(ext)
                    if ext.starts_with("tmp")
                        && used.elapsed().is_ok_and(|age| age > ABANDONED_TEMPORARY) =>
                {
                    doomed.push(path);
                }
                _ => {}
            }
        }
        entries.sort_by_key(|(used, _)| std::cmp::Reverse(*used));
        doomed.extend(entries.into_iter().skip(keep).map(|(_, path)| path));
        let mut removed = 0;
        for path in doomed {
            match std::fs::remove_file(&path) {
                Ok(()) => removed += 1,
                // Another server pruned it first.
                Err(err) if err.kind() == std::io::ErrorKind::NotFound => {}
                Err(err) => {
                    return Err(err).with_context(|| format!("removing {}", path.display()));
                }
            }
        }
        Ok(removed)
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

    /// Sets `path`'s modification time to `age` ago.
    fn age(path: &Path, age: Duration) {
        std::fs::File::options()
            .write(true)
            .open(path)
            .unwrap()
            .set_modified(SystemTime::now() - age)
            .unwrap();
    }

    fn names(mut paths: Vec<PathBuf>) -> Vec<String> {
        paths.sort();
        paths
            .iter()
            .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
            .collect()
    }

    #[test]
    fn prune_keeps_the_most_recently_used_entries() {
        let scratch = Scratch::new("prune");
        let dir = scratch.0.join("cache");
        std::fs::create_dir_all(&dir).unwrap();
        for (i, name) in ["a", "b", "c", "d", "e"].iter().enumerate() {
            let path = dir.join(format!("{name}.cwasm"));
            std::fs::write(&path, b"compiled").unwrap();
            age(&path, Duration::from_secs(3600 * (i as u64 + 1)));
        }
        let abandoned = dir.join("f.tmp123");
        std::fs::write(&abandoned, b"half").unwrap();
        age(&abandoned, Duration::from_secs(3600));
        std::fs::write(dir.join("g.tmp456"), b"being written").unwrap();
        std::fs::write(dir.join("notes.txt"), b"not ours").unwrap();

        let removed = CompileCache::new(dir).prune(2).unwrap();

        assert_eq!(removed, 4);
        assert_eq!(
            names(scratch.entries()),
            ["a.cwasm", "b.cwasm", "g.tmp456", "notes.txt"]
        );
    }

    #[test]
    fn a_cache_hit_saves_an_old_entry_from_pruning() {
        let scratch = Scratch::new("prune-hit");
        let engine = Engine::default();
        let cache = CompileCache::new(scratch.0.join("cache"));
        let one = scratch.component("one.wasm", ONE);
        let two = scratch.component("two.wasm", TWO);
        compile(&engine, &one, Some(&cache)).unwrap();
        compile(&engine, &two, Some(&cache)).unwrap();
        let one_entry = cache.entry(&engine, &std::fs::read(&one).unwrap());
        let two_entry = cache.entry(&engine, &std::fs::read(&two).unwrap());
        age(&one_entry, Duration::from_secs(7200));
        age(&two_entry, Duration::from_secs(3600));

        let (_, source) = compile(&engine, &one, Some(&cache)).unwrap();
        assert_eq!(source, Source::Cached);
        assert_eq!(cache.prune(1).unwrap(), 1);

        assert_eq!(scratch.entries(), [one_entry]);
        let (_, again) = compile(&engine, &one, Some(&cache)).unwrap();
        assert_eq!(again, Source::Cached);
    }

    #[test]
    fn pruning_a_missing_directory_is_a_no_op() {
        let scratch = Scratch::new("prune-missing");
        let cache = CompileCache::new(scratch.0.join("never-created"));
        assert_eq!(cache.prune(0).unwrap(), 0);
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
