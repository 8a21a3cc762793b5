//! Helpers shared by strata-docs' tests: the example models, and finding external tools.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

use strata_model::Model;

pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .expect("repository root")
}

/// The model a folder of `.strata` files designs; panics with the diagnostics if it has errors.
pub fn design(dir: &Path) -> Model {
    let mut sources = strata_diagnostics::SourceMap::new();
    let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("read example folder")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "strata"))
        .collect();
    paths.sort();
    for p in &paths {
        let text = std::fs::read_to_string(p).expect("read .strata file");
        sources.add(p.display().to_string(), text);
    }
    let (files, parse_diags) = strata_lang::parse_sources(&sources);
    assert!(
        parse_diags.iter().all(|d| !d.is_error()),
        "parse errors: {parse_diags:?}"
    );
    let design = strata_design::design(&files);
    assert!(
        !design.has_errors(),
        "design errors: {:?}",
        design.diagnostics
    );
    design.model
}

pub fn todo() -> Model {
    design(&repo_root().join("examples/todo"))
}

/// Whether a tool is usable; under `CI=true` a missing tool fails the test instead of skipping.
pub fn require(tool: &str, probe: &mut Command, how_to_install: &str) -> bool {
    let ok = probe.output().map(|o| o.status.success()).unwrap_or(false);
    if !ok {
        let msg = format!("{tool} is not available: {how_to_install}");
        if std::env::var("CI").is_ok_and(|v| v == "true") {
            panic!("{msg} (CI=true: a missing tool is a failure)");
        }
        eprintln!("SKIPPED (locally): {msg}");
    }
    ok
}

/// `tools/node` with its `node_modules` installed, or `None` (after `require`'s report).
pub fn node_tools() -> Option<PathBuf> {
    let dir = repo_root().join("tools/node");
    let installed = dir.join("node_modules/mermaid/package.json").is_file()
        && dir.join("node_modules/@dbml/core/package.json").is_file();
    let ok = require(
        "node with tools/node/node_modules",
        Command::new("node").arg("--version"),
        "install Node.js and run `npm ci` in tools/node (.ci/run does both)",
    ) && (installed || {
        require(
            "tools/node/node_modules (mermaid, @dbml/core)",
            &mut Command::new("false"),
            "run `npm ci` in tools/node (.ci/run does it)",
        )
    });
    ok.then_some(dir)
}
