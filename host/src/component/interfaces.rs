//! The exported interfaces that tell the host about the component instead
//! of being tools. Every other exported function is a tool.

use wasmtime::Engine;
use wasmtime::component::{Component, ComponentExportIndex};

/// The tools' prose and hints (`wit/catalogue.wit`).
pub const CATALOGUE_INTERFACE: &str = "catalogue";

/// Instructions, settings and upstream of the component as a server
/// (`wit/server.wit`).
pub const SERVER_INTERFACE: &str = "server";

/// The read-only check `dex-mcp doctor` runs (`wit/doctor.wit`).
pub const SELF_CHECK_INTERFACE: &str = "self-check";

/// The passes the host runs between calls (`wit/maintenance.wit`).
pub const MAINTENANCE_INTERFACE: &str = "maintenance";

/// Prompts, served as MCP prompts (`wit/prompts.wit`).
pub const PROMPTS_INTERFACE: &str = "prompts";

/// Resources, served as MCP resources (`wit/resources.wit`).
pub const RESOURCES_INTERFACE: &str = "resources";

/// Every interface the host reads instead of serving it as tools. The guest's
/// catalogue is generated with the same list (`tool_docs::HOST_INTERFACES`,
/// checked below), so what the host serves is what the catalogue describes.
pub const NOT_TOOLS: [&str; 6] = [
    CATALOGUE_INTERFACE,
    SERVER_INTERFACE,
    SELF_CHECK_INTERFACE,
    MAINTENANCE_INTERFACE,
    PROMPTS_INTERFACE,
    RESOURCES_INTERFACE,
];

/// `dex:crm/contacts@0.1.0` → `contacts`.
pub fn interface_name(export: &str) -> &str {
    let name = export.rsplit_once('/').map_or(export, |(_, n)| n);
    name.split_once('@').map_or(name, |(n, _)| n)
}

/// Whether the functions of the exported interface `export` are tools.
pub fn serves_tools(export: &str) -> bool {
    !NOT_TOOLS.contains(&interface_name(export))
}

/// The function `function` of the exported interface named `interface`
/// (whatever its package), if the component has one.
pub fn function_index(
    component: &Component,
    engine: &Engine,
    interface: &str,
    function: &str,
) -> Option<ComponentExportIndex> {
    let ty = component.component_type();
    let (export, _) = ty
        .exports(engine)
        .find(|(name, _)| interface_name(name) == interface)?;
    let instance = component.get_export_index(None, export)?;
    component.get_export_index(Some(&instance), function)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn interfaces_are_known_by_their_bare_name() {
        assert_eq!(interface_name("a:b/server@0.1.0"), "server");
        assert_eq!(interface_name("a:b/tools"), "tools");
        assert_eq!(interface_name("plain"), "plain");
    }

    #[test]
    fn the_catalogue_is_generated_with_the_same_list() {
        let mut ours = NOT_TOOLS.to_vec();
        let mut theirs = tool_docs::HOST_INTERFACES.to_vec();
        ours.sort_unstable();
        theirs.sort_unstable();
        assert_eq!(ours, theirs);
    }

    #[test]
    fn catalogue_server_and_self_check_are_not_tools_whatever_their_package() {
        assert!(!serves_tools("any:pkg/catalogue@1.0.0"));
        assert!(!serves_tools("other:pkg/server@0.2.0"));
        assert!(!serves_tools("other:pkg/self-check@0.2.0"));
        assert!(!serves_tools("other:pkg/prompts@0.2.0"));
        assert!(!serves_tools("other:pkg/resources@0.2.0"));
        assert!(serves_tools("any:pkg/servers@1.0.0"));
        assert!(serves_tools("any:pkg/tools@1.0.0"));
    }
}
