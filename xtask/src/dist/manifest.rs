//! The bundle's `manifest.json` (MCPB manifest 0.4, as `@anthropic-ai/mcpb`
//! validates it).

use anyhow::{Result, bail};
use serde_json::{Value, json};
use tool_docs::ToolDoc;

use crate::components::COMPONENT_VERSION;

/// The manifest for the tools `tools` on the operating system `os`
/// (Rust's name for it).
///
/// The client starts `server/dex-mcp` with the component beside it and
/// two settings of the user's: the Dex API key (sensitive: the client
/// stores it in the system's keychain and passes it in `DEX_API_KEY`;
/// empty, which is its default, serves the demo account) and the API
/// generation (`DEX_API_GENERATION`, `v1` unless the user picks
/// `legacy`; dex-mcp refuses any other value before it starts). The
/// tools are listed for the client's directory page; dex-mcp lists
/// them itself at run time, so `tools_generated` is set too.
pub fn build(tools: &[ToolDoc], os: &str) -> Result<Value> {
    let platform = match os {
        "linux" => "linux",
        "macos" => "darwin",
        "windows" => "win32",
        other => bail!("no MCPB platform for the operating system {other}"),
    };
    let tools: Vec<Value> = tools
        .iter()
        .map(|tool| json!({ "name": tool.mcp_name(), "description": tool.summary() }))
        .collect();
    Ok(json!({
        "manifest_version": "0.4",
        "name": "dex-mcp",
        "display_name": "Dex",
        "version": COMPONENT_VERSION,
        "description": "Your Dex personal CRM for the assistant: find people, read their history, keep notes and reminders.",
        "long_description": "dex-mcp serves the Dex personal CRM (getdex.com) as MCP tools, prompts and resources. All Dex logic runs in a sandboxed WebAssembly component that can reach the Dex API only; the API key stays with the server, which adds it to requests to Dex and never hands it to the component. Without a key it serves a simulated demo account.",
        "author": { "name": "dex-mcp contributors" },
        "repository": { "type": "git", "url": env!("CARGO_PKG_REPOSITORY") },
        "homepage": env!("CARGO_PKG_REPOSITORY"),
        "license": env!("CARGO_PKG_LICENSE"),
        "keywords": ["dex", "crm", "contacts", "notes", "reminders"],
        "server": {
            "type": "binary",
            "entry_point": "server/dex-mcp",
            "mcp_config": {
                "command": "${__dirname}/server/dex-mcp",
                "args": ["--component", "${__dirname}/server/dex_guest.wasm"],
                "env": {
                    "DEX_API_KEY": "${user_config.api_key}",
                    "DEX_API_GENERATION": "${user_config.api_generation}"
                }
            }
        },
        "tools": tools,
        "tools_generated": true,
        "prompts_generated": true,
        "compatibility": { "platforms": [platform] },
        "user_config": {
            "api_key": {
                "type": "string",
                "title": "Dex API key",
                "description": "Your Dex API key (in Dex: Settings, then API). Kept in your system's keychain and sent only to Dex. Leave it empty to try the tools on a simulated demo account.",
                "sensitive": true,
                "required": false,
                "default": ""
            },
            "api_generation": {
                "type": "string",
                "title": "Dex API generation",
                "description": "v1 (Dex's current API, the default) or legacy (the older API: existing tools keep working on it, new ones need v1).",
                "required": false,
                "default": "v1"
            }
        }
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_platform_follows_the_operating_system() {
        for (os, platform) in [
            ("linux", "linux"),
            ("macos", "darwin"),
            ("windows", "win32"),
        ] {
            let manifest = build(&[], os).unwrap();
            assert_eq!(manifest["compatibility"]["platforms"], json!([platform]));
        }
        assert!(build(&[], "plan9").is_err());
    }

    #[test]
    fn every_user_setting_reaches_the_server_and_only_the_key_is_sensitive() {
        let manifest = build(&[], "linux").unwrap();
        let env = manifest["server"]["mcp_config"]["env"].as_object().unwrap();
        let settings = manifest["user_config"].as_object().unwrap();
        for (key, option) in settings {
            let placeholder = format!("${{user_config.{key}}}");
            assert!(
                env.values().any(|value| value == &json!(placeholder)),
                "{key} is passed to the server"
            );
            assert_eq!(
                option["sensitive"] == json!(true),
                key == "api_key",
                "{key}"
            );
        }
    }
}
