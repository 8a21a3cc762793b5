//! `strata gen rust` compiled with `cargo check` in a scratch crate with pinned sqlx
//! (tools/rust-check: postgres, uuid, chrono, json, rust_decimal; default features off;
//! runtime-tokio). Its build is cached in target/gen-rust-check between runs.

mod common;
mod gen_common;

use std::process::Command;

use gen_common::*;

#[test]
fn generated_modules_compile_with_sqlx() {
    let root = repo_root();
    let template = root.join("tools/rust-check");
    let krate = root.join("target/gen-rust-check/crate");
    let _ = std::fs::remove_dir_all(krate.join("src"));
    std::fs::create_dir_all(krate.join("src")).expect("scratch crate");
    for f in ["Cargo.toml", "Cargo.lock"] {
        std::fs::copy(template.join(f), krate.join(f)).expect("copy scratch manifest");
    }
    gen_to(
        "rust",
        &root.join("examples/todo"),
        &krate.join("src/todo"),
        &[],
    );
    gen_to(
        "rust",
        &root.join("corpus/pagila-schema.sql"),
        &krate.join("src/pagila"),
        &[],
    );
    std::fs::write(
        krate.join("src/lib.rs"),
        "#![deny(warnings)]\n#![allow(dead_code)]\n\n#[path = \"todo/mod.rs\"]\npub mod todo;\n#[path = \"pagila/mod.rs\"]\npub mod pagila;\n\n\
         /// Rows decode from PostgreSQL and serialise: the derives are usable, not only present.\n\
         pub fn _uses(row: &sqlx::postgres::PgRow) -> sqlx::Result<String> {\n\
         \x20   use sqlx::FromRow;\n\
         \x20   let task = todo::public::Task::from_row(row)?;\n\
         \x20   let film = pagila::public::Film::from_row(row)?;\n\
         \x20   let role: todo::public::MessageRole = todo::public::MessageRole::Assistant;\n\
         \x20   Ok(format!(\"{}{}{}\", serde_json::to_string(&task).unwrap_or_default(), serde_json::to_string(&film).unwrap_or_default(), serde_json::to_string(&role).unwrap_or_default()))\n\
         }\n",
    )
    .expect("write lib.rs");
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let out = Command::new(cargo)
        .args(["check", "--locked", "--quiet"])
        .current_dir(&krate)
        .env("CARGO_TARGET_DIR", root.join("target/gen-rust-check"))
        .env_remove("RUSTFLAGS")
        .output()
        .expect("run cargo check");
    assert!(
        out.status.success(),
        "the generated Rust does not compile:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
