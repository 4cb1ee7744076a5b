//! Prompts and resources (`wit/prompts.wit`, `wit/resources.wit`,
//! `wit/content.wit`): what a component offers besides tools, read as
//! typed values.
//!
//! The host knows nothing of what the prompts or resources are about: it
//! finds the interfaces by their bare names (whatever their package),
//! checks every function against the WIT shape when it loads the
//! component, lists what they list, and passes requests through. A
//! component that exports neither offers neither, and the host does not
//! declare the capabilities.

use anyhow::{Context, Result};
use wasmtime::component::{Component, ComponentExportIndex, Instance};
use wasmtime::{Engine, Store};

use super::interfaces::{self, PROMPTS_INTERFACE, RESOURCES_INTERFACE};
use super::store::GuestState;

/// Typed bindings of the two interfaces and the types they share; the
/// export lookups check a component's functions against them. The
/// catalogue's bindings take their `content` (the `icon` record) from
/// here, so that one conversion serves every icon.
pub(super) mod bindings {
    wasmtime::component::bindgen!({
        path: "../wit",
        interfaces: "
            export dex:crm/prompts@0.1.0;
            export dex:crm/resources@0.1.0;
        ",
    });
}

pub use bindings::dex::crm::content::{
    Completion, Icon as WitIcon, RequestError, ResourceBody, ResourceContents,
};
pub use bindings::exports::dex::crm::prompts::{
    Message, MessageContent, Prompt, PromptArgument, RenderedPrompt, Role,
};
pub use bindings::exports::dex::crm::resources::{ListedResource, ResourcePage, ResourceTemplate};

/// Name and value pairs: prompt arguments, or a completion's context.
pub type Pairs = Vec<(String, String)>;

/// `prompts.get-prompt`'s answer.
pub type PromptAnswer = Result<RenderedPrompt, RequestError>;
/// `resources.read-resource`'s answer.
pub type ReadAnswer = Result<Vec<ResourceContents>, RequestError>;
/// Either interface's `complete` answer.
pub type CompleteAnswer = Result<Completion, RequestError>;
/// `resources.list-resources`' answer.
pub type ListAnswer = Result<ResourcePage, RequestError>;

/// Where the `prompts` functions are.
#[derive(Debug, Clone, Copy)]
pub struct PromptExports {
    /// `list-prompts`.
    pub list: ComponentExportIndex,
    /// `get-prompt`.
    pub get: ComponentExportIndex,
    /// `complete`.
    pub complete: ComponentExportIndex,
}

/// Where the `resources` functions are.
#[derive(Debug, Clone, Copy)]
pub struct ResourceExports {
    /// `list-resources`.
    pub list: ComponentExportIndex,
    /// `list-templates`.
    pub templates: ComponentExportIndex,
    /// `read-resource`.
    pub read: ComponentExportIndex,
    /// `complete`.
    pub complete: ComponentExportIndex,
}

impl PromptExports {
    /// The component's `prompts` functions, when it exports the interface
    /// with all three.
    pub fn find(component: &Component, engine: &Engine) -> Option<Self> {
        let function =
            |name| interfaces::function_index(component, engine, PROMPTS_INTERFACE, name);
        Some(Self {
            list: function("list-prompts")?,
            get: function("get-prompt")?,
            complete: function("complete")?,
        })
    }

    /// Checks every function's type against `wit/prompts.wit` and answers
    /// `list-prompts`: a component whose `prompts` has another shape is
    /// refused when it loads, not at its first `prompts/get`.
    pub async fn check_and_list(
        &self,
        store: &mut Store<GuestState>,
        instance: &Instance,
    ) -> Result<Vec<Prompt>> {
        let what = "`prompts` has another shape than wit/prompts.wit";
        instance
            .get_typed_func::<(String, Pairs), (PromptAnswer,)>(&mut *store, self.get)
            .map_err(anyhow::Error::from)
            .context(what)?;
        instance
            .get_typed_func::<(String, String, String, Pairs), (CompleteAnswer,)>(
                &mut *store,
                self.complete,
            )
            .map_err(anyhow::Error::from)
            .context(what)?;
        let list = instance
            .get_typed_func::<(), (Vec<Prompt>,)>(&mut *store, self.list)
            .map_err(anyhow::Error::from)
            .context(what)?;
        let (prompts,) = list
            .call_async(&mut *store, ())
            .await
            .map_err(anyhow::Error::from)
            .context("the component's `prompts.list-prompts` failed")?;
        Ok(prompts)
    }
}

impl ResourceExports {
    /// The component's `resources` functions, when it exports the
    /// interface with all four.
    pub fn find(component: &Component, engine: &Engine) -> Option<Self> {
        let function =
            |name| interfaces::function_index(component, engine, RESOURCES_INTERFACE, name);
        Some(Self {
            list: function("list-resources")?,
            templates: function("list-templates")?,
            read: function("read-resource")?,
            complete: function("complete")?,
        })
    }

    /// Checks every function's type against `wit/resources.wit` and
    /// answers `list-templates`.
    pub async fn check_and_list(
        &self,
        store: &mut Store<GuestState>,
        instance: &Instance,
    ) -> Result<Vec<ResourceTemplate>> {
        let what = "`resources` has another shape than wit/resources.wit";
        instance
            .get_typed_func::<(Option<String>,), (ListAnswer,)>(&mut *store, self.list)
            .map_err(anyhow::Error::from)
            .context(what)?;
        instance
            .get_typed_func::<(String,), (ReadAnswer,)>(&mut *store, self.read)
            .map_err(anyhow::Error::from)
            .context(what)?;
        instance
            .get_typed_func::<(String, String, String, Pairs), (CompleteAnswer,)>(
                &mut *store,
                self.complete,
            )
            .map_err(anyhow::Error::from)
            .context(what)?;
        let list = instance
            .get_typed_func::<(), (Vec<ResourceTemplate>,)>(&mut *store, self.templates)
            .map_err(anyhow::Error::from)
            .context(what)?;
        let (templates,) = list
            .call_async(&mut *store, ())
            .await
            .map_err(anyhow::Error::from)
            .context("the component's `resources.list-templates` failed")?;
        Ok(templates)
    }
}
