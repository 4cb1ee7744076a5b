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
        code.push_str("        ],\n        answer_fields: &[\n");
        for field in &tool.answer_fields {
            let _ = writeln!(
                code,
                "            ({:?}, {:?}),",
                field.path, field.description
            );
        }
        code.push_str("        ],\n    },\n");
    }
    code.push(']');
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    std::fs::write(out.join("catalogue.rs"), code).expect("writing the catalogue to OUT_DIR");
    std::fs::write(out.join("icons.rs"), icon_constants(&wit))
        .expect("writing the icons to OUT_DIR");
}

/// Every picture of `wit/icons/`, checked and encoded like the tools',
/// as one constant each (`wit/icons/keep-in-touch.svg` is
/// `KEEP_IN_TOUCH`), for what names its picture in code rather than in
/// a WIT comment: the server, the prompts and the resource templates. A
/// name that has no picture is then a compile error.
fn icon_constants(wit: &std::path::Path) -> String {
    let directory = wit.join(tool_docs::icon::DIRECTORY);
    let mut names: Vec<String> = std::fs::read_dir(&directory)
        .unwrap_or_else(|e| panic!("reading {}: {e}", directory.display()))
        .filter_map(|entry| {
            let file = entry.ok()?.file_name().into_string().ok()?;
            file.strip_suffix(".svg").map(str::to_owned)
        })
        .collect();
    names.sort();
    let mut code = String::new();
    for name in names {
        let icon = match tool_docs::icon::Icon::read(wit, &name) {
            Ok(icon) => icon,
            Err(err) => {
                eprintln!("error: {err}");
                std::process::exit(1);
            }
        };
        let _ = writeln!(
            code,
            "/// `wit/icons/{name}.svg` as a `data:` URI.\npub const {}: &str = {:?};",
            name.to_uppercase().replace('-', "_"),
            icon.src
        );
    }
    code
}
