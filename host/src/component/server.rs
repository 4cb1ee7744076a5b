//! What a component says about itself as a server (`wit/server.wit`):
//! its title and icons, instructions for the assistant, the settings it
//! reads, and the origin
//! its requests go to. Read as typed values: the records below are the
//! WIT records field for field, and wasmtime checks that the component's
//! functions have exactly these types before the host calls them.

use anyhow::Result;
use wasmtime::Store;
use wasmtime::component::{ComponentExportIndex, ComponentType, Instance, Lift};

use super::icon::Icon;
use super::store::GuestState;
use super::typed_export;

/// `setting-choice`: one value a setting may take.
#[derive(Debug, Clone, PartialEq, Eq, ComponentType, Lift)]
#[component(record)]
pub struct SettingChoice {
    /// The value as written.
    pub value: String,
    /// What choosing it means.
    pub description: String,
    /// Why the value is deprecated, when it is.
    pub deprecated: Option<String>,
}

/// `setting`: one setting the component reads from its environment.
#[derive(Debug, Clone, PartialEq, Eq, ComponentType, Lift)]
#[component(record)]
pub struct Setting {
    /// Kebab-case name: the flag, and the secret's placeholder name.
    pub name: String,
    /// The environment variable, in the component's and the host's
    /// environment alike.
    pub env: String,
    /// What the setting changes.
    pub description: String,
    /// The value when none is given.
    pub default: Option<String>,
    /// The values allowed; empty for any.
    pub choices: Vec<SettingChoice>,
    /// Never passed in the environment; filled into placeholders.
    pub secret: bool,
    /// Why the setting is deprecated, when it is.
    pub deprecated: Option<String>,
}

/// `description`: what `server.describe` returns.
#[derive(Debug, Clone, Default, PartialEq, Eq, ComponentType, Lift)]
#[component(record)]
pub struct Description {
    /// The server's name for people; empty for none.
    pub title: String,
    /// Its pictures.
    pub icons: Vec<Icon>,
    /// For the assistant; empty for none.
    pub instructions: String,
    /// Every setting the component reads.
    pub settings: Vec<Setting>,
}

/// `upstream`: where the component's requests go.
#[derive(Debug, Clone, PartialEq, Eq, ComponentType, Lift)]
#[component(record)]
struct Upstream {
    #[component(name = "base-url")]
    base_url: String,
}

/// Calls `server.describe` at `index`.
pub(super) async fn describe(
    store: &mut Store<GuestState>,
    instance: &Instance,
    index: ComponentExportIndex,
) -> Result<Description> {
    typed_export::call(store, instance, index, "`server.describe` (wit/server.wit)").await
}

/// Calls `server.upstream` at `index`: the base URL requests go to, or
/// `None`; an error carries the component's words.
pub(super) async fn upstream(
    store: &mut Store<GuestState>,
    instance: &Instance,
    index: ComponentExportIndex,
) -> Result<Option<String>> {
    let answer: Result<Option<Upstream>, String> =
        typed_export::call(store, instance, index, "`server.upstream` (wit/server.wit)").await?;
    match answer {
        Ok(upstream) => Ok(upstream.map(|u| u.base_url)),
        Err(message) => anyhow::bail!("the component refuses its settings: {message}"),
    }
}
