//! The wasmtime engine every component of this process runs on.

use anyhow::Result;
use wasmtime::{Config, Engine, InstanceAllocationStrategy, PoolingAllocationConfig};

/// How much one guest instance may use; the pool is sized from it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EngineLimits {
    /// Instances alive at once (calls in flight, plus a loading component).
    pub max_instances: u32,
    /// Linear memory of one instance, in bytes.
    pub max_memory_bytes: usize,
}

impl Default for EngineLimits {
    fn default() -> Self {
        Self {
            max_instances: 64,
            max_memory_bytes: 512 << 20,
        }
    }
}

/// An engine with the pooling allocator (instantiation reuses prepared
/// memory slots instead of mapping fresh ones: tens of microseconds per
/// call instead of hundreds) and epoch interruption (a guest that loops
/// forever is stopped at its deadline).
pub fn new_engine(limits: EngineLimits) -> Result<Engine> {
    let mut pool = PoolingAllocationConfig::default();
    // A component instance here holds the guest's core module and the
    // preview-1 adapter's, each with its memory and tables.
    pool.total_component_instances(limits.max_instances)
        .total_core_instances(limits.max_instances * 4)
        .total_memories(limits.max_instances * 2)
        .total_tables(limits.max_instances * 4)
        .total_stacks(limits.max_instances)
        .max_memory_size(limits.max_memory_bytes);
    let mut config = Config::new();
    config
        .allocation_strategy(InstanceAllocationStrategy::Pooling(pool))
        .epoch_interruption(true);
    // Without a perf map, `perf report` shows the guest's code as bare
    // addresses; profiling a tool call needs the names.
    if std::env::var_os("DEX_MCP_PERFMAP").is_some() {
        config.profiler(wasmtime::ProfilingStrategy::PerfMap);
    }
    Ok(Engine::new(&config)?)
}
