//! The load harness in its smoke mode, so that a change that breaks it
//! (the MCP wire format, the server's flags, the write check) fails CI
//! rather than the next benchmark session. No timings are asserted: only
//! that every call succeeded and every write is in the simulator once.

use std::path::PathBuf;
use std::process::Command;

/// `target/<profile>/`, found from this test executable
/// (`target/<profile>/deps/<test>`), so that `CARGO_TARGET_DIR` is honoured.
fn profile_dir() -> PathBuf {
    std::env::current_exe()
        .expect("the test executable has a path")
        .ancestors()
        .nth(2)
        .expect("tests run from target/<profile>/deps")
        .to_path_buf()
}

#[test]
fn smoke_run_has_no_errors_and_every_write_lands_once() {
    let server = profile_dir().join("dex-mcp");
    assert!(
        server.exists(),
        "{} is missing: run the tests with `cargo xtask test`",
        server.display()
    );
    let out_dir = profile_dir().join("load-smoke");
    let output = Command::new(env!("CARGO_BIN_EXE_load"))
        .arg("--smoke")
        .arg("--server-bin")
        .arg(&server)
        .arg("--out-dir")
        .arg(&out_dir)
        .output()
        .expect("the load harness runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "the smoke run failed ({}):\n{stdout}\n{stderr}\nserver logs in {}",
        output.status,
        out_dir.display()
    );
    // Both transports and the baseline answered, and writes were made.
    for expected in [
        "| mix | 1 | http | search_contacts_full_text |",
        "| mix | 1 | stdio |",
        "| echo | - | http | echo |",
        " 0 lost, 0 doubled",
    ] {
        assert!(stdout.contains(expected), "no `{expected}` in:\n{stdout}");
    }
    assert!(
        !stdout.contains("\n0 acknowledged"),
        "the smoke run made no writes:\n{stdout}"
    );
}
