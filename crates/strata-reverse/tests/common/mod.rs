//! Shared helpers: design `.strata` sources, reverse them, design again.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use strata_diagnostics::FileId;
use strata_model::Model;
use strata_reverse::{ReverseOptions, Reversed, to_strata};

pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Designs sources (one schema); panics with the diagnostics when it has errors.
pub fn design(sources: &[(String, String)]) -> Model {
    let mut files = Vec::new();
    for (i, (name, text)) in sources.iter().enumerate() {
        let (file, diags) = strata_lang::parse(FileId(i as u32), text);
        let errors: Vec<String> = diags
            .iter()
            .filter(|d| d.is_error())
            .map(|d| format!("{}: {} {}", name, d.code, d.message))
            .collect();
        assert!(
            errors.is_empty(),
            "{name} does not parse:\n{}\n{text}",
            errors.join("\n")
        );
        files.push((FileId(i as u32), file));
    }
    let d = strata_design::design(&files);
    let errors: Vec<String> = d
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .map(|d| format!("{} {}", d.code, d.message))
        .collect();
    assert!(
        errors.is_empty(),
        "does not design:\n{}\n{:#?}",
        errors.join("\n"),
        sources
    );
    d.model
}

pub fn render(model: &Model) -> String {
    strata_sql::render(model, &strata_sql::RenderOptions::default()).expect("render")
}

pub fn reverse(model: &Model) -> Reversed {
    to_strata(model, &ReverseOptions::default())
}

/// M0 → .strata → M1: asserts equal DDL, canonical formatting and no warnings.
pub fn round_trip(label: &str, m0: &Model) -> Reversed {
    let out = reverse(m0);
    assert!(
        out.warnings.is_empty(),
        "{label}: warnings:\n{}\n--- printed ---\n{}",
        out.warnings
            .iter()
            .map(|w| w.to_string())
            .collect::<Vec<_>>()
            .join("\n"),
        out.text()
    );
    let sources: Vec<(String, String)> = out
        .files
        .iter()
        .map(|(p, t)| (p.display().to_string(), t.clone()))
        .collect();
    for (name, text) in &sources {
        let (ast, _) = strata_lang::parse(FileId(0), text);
        assert_eq!(
            &strata_lang::format(&ast),
            text,
            "{label}: {name} is not fmt-canonical"
        );
    }
    let m1 = design(&sources);
    let (a, b) = (render(m0), render(&m1));
    if a != b {
        let diff: Vec<String> = a
            .lines()
            .zip(b.lines())
            .filter(|(x, y)| x != y)
            .take(10)
            .map(|(x, y)| format!("-{x}\n+{y}"))
            .collect();
        panic!(
            "{label}: DDL differs after the round trip:\n{}\n--- printed ---\n{}",
            diff.join("\n"),
            out.text()
        );
    }
    out
}
