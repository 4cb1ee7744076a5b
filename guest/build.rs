//! Generates the data behind the component's `catalogue` export from the
//! WIT doc comments of its tool functions (the convention and its checks
//! are in `tool-docs/`), so a tool's prose is written once, next to its
//! contract. A tool without a description, title, hints or icon, a parameter
//! without a description, or a parameter doc naming no parameter fails
//! the build here, with every such place listed.

use std::fmt::Write as _;
use std::path::PathBuf;

/// The world whose exports are the tools.
const WORLD: &str = "dex-tools";

/// The picture in `wit/icons/` that stands for the server itself.
const SERVER_ICON: &str = "crm";

fn main() {
    let wit = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../wit");
    println!("cargo:rerun-if-changed={}", wit.display());
    let tools = match tool_docs::read(&wit, WORLD) {
        Ok(tools) => tools,
        Err(err) => {
            eprintln!("error: {err}");
            std::process::exit(1);
        }
    };
    let mut code = String::from("&[\n");
    for tool in &tools {
        let hints = tool.hints;
        let _ = writeln!(
            code,
            "    ToolDoc {{\n        name: {:?},\n        title: {:?},\n        icon: {:?},\n        description: {:?},\n        hints: ToolHints {{ read_only: {}, destructive: {}, idempotent: {}, open_world: {} }},\n        parameters: &[",
            tool.name,
            tool.title,
            tool.icon.src,
            tool.description,
            hints.read_only,
            hints.destructive,
            hints.idempotent,
            hints.open_world,
        );
        for parameter in &tool.parameters {
            let _ = writeln!(
                code,
                "            ({:?}, {:?}),",
                parameter.name, parameter.description
            );
        }
        code.push_str("        ],\n    },\n");
    }
    code.push(']');
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    std::fs::write(out.join("catalogue.rs"), code).expect("writing the catalogue to OUT_DIR");
    // The server's own picture (`server.describe`), checked and encoded
    // like the tools'.
    let server_icon = match tool_docs::icon::Icon::read(&wit, SERVER_ICON) {
        Ok(icon) => icon,
        Err(err) => {
            eprintln!("error: {err}");
            std::process::exit(1);
        }
    };
    std::fs::write(out.join("server_icon.rs"), format!("{:?}", server_icon.src))
        .expect("writing the server icon to OUT_DIR");
}
