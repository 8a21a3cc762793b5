//! `strata gen drizzle` type-checked by the real TypeScript compiler against the real
//! drizzle-orm (both pinned in tools/node/package.json, installed by .ci/run).

mod common;
mod gen_common;

use std::path::Path;
use std::process::Command;

use gen_common::*;

fn tsc_check(src: &Path, name: &str) {
    let node_modules = repo_root().join("tools/node/node_modules");
    let Some(tsc) = require_tool(
        node_modules.join(".bin/tsc"),
        "TypeScript and drizzle-orm",
        "cd tools/node && npm ci",
    ) else {
        return;
    };
    let dir = tempfile::tempdir().expect("tempdir");
    gen_to("drizzle", src, dir.path(), &[]);
    std::os::unix::fs::symlink(&node_modules, dir.path().join("node_modules"))
        .expect("link node_modules");
    // Strict, and unused imports are errors too: the generator imports only what it uses.
    std::fs::write(
        dir.path().join("tsconfig.json"),
        r#"{
  "compilerOptions": {
    "target": "ES2022",
    "module": "ESNext",
    "moduleResolution": "Bundler",
    "strict": true,
    "noEmit": true,
    "skipLibCheck": true,
    "noUnusedLocals": true
  },
  "files": ["schema.ts"]
}
"#,
    )
    .expect("write tsconfig");
    let out = Command::new(&tsc)
        .args(["--noEmit", "-p", "tsconfig.json"])
        .current_dir(dir.path())
        .output()
        .expect("run tsc");
    let schema = std::fs::read_to_string(dir.path().join("schema.ts")).unwrap_or_default();
    assert!(
        out.status.success(),
        "tsc rejected the drizzle schema of {name}:\n{}\n--- schema.ts ---\n{schema}",
        String::from_utf8_lossy(&out.stdout)
    );
}

#[test]
fn todo_schema_type_checks() {
    tsc_check(&repo_root().join("examples/todo"), "examples/todo");
}

#[test]
fn pagila_schema_type_checks() {
    tsc_check(&repo_root().join("corpus/pagila-schema.sql"), "pagila");
}
