//! Calling an export that takes nothing and answers one typed value: how
//! the host reads the interfaces it serves itself (`server`,
//! `maintenance`), whose records are mirrored field for field in Rust.

use anyhow::{Context, Result};
use wasmtime::Store;
use wasmtime::component::{ComponentExportIndex, ComponentType, Instance, Lift};

use super::store::GuestState;

/// Calls the export at `index` and answers its result as `R`. wasmtime
/// checks the export's type against `R` before the call, so a component
/// whose function differs from the WIT the host was written against fails
/// here, named by `what` (`server.describe` of `wit/server.wit`).
pub(super) async fn call<R>(
    store: &mut Store<GuestState>,
    instance: &Instance,
    index: ComponentExportIndex,
    what: &str,
) -> Result<R>
where
    R: ComponentType + Lift + Send + Sync + 'static,
{
    let function = instance
        .get_typed_func::<(), (R,)>(&mut *store, index)
        .map_err(anyhow::Error::from)
        .with_context(|| format!("the component's {what} has another type"))?;
    let (answer,) = function
        .call_async(&mut *store, ())
        .await
        .map_err(anyhow::Error::from)
        .with_context(|| format!("the component's {what} failed"))?;
    Ok(answer)
}
