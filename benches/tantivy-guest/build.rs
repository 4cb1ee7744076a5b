//! Debian's wasi-libc is linked without Rust's self-contained objects
//! (`-C link-self-contained=no`, as `cargo xtask guest` builds), so the
//! command's entry point, `_start` in wasi-libc's `crt1-command.o`, is
//! named to the linker here.

fn main() {
    if std::env::var("CARGO_CFG_TARGET_OS").as_deref() == Ok("wasi") {
        println!("cargo:rustc-link-arg=/usr/lib/wasm32-wasi/crt1-command.o");
    }
}
