//! The corpus of invalid schemas: each gets coded diagnostics with spans and help lines
//! (snapshot-tested), exit code 2, and many errors in one run where there are many.

mod common;

use common::*;

fn fixtures() -> Vec<std::path::PathBuf> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/invalid");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("fixtures/invalid")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "strata"))
        .collect();
    files.sort();
    files
}

#[test]
fn corpus_is_large_enough() {
    assert!(
        fixtures().len() >= 40,
        "at least 40 invalid schemas ({})",
        fixtures().len()
    );
}

#[test]
fn every_invalid_schema_is_rejected_with_located_diagnostics() {
    for file in fixtures() {
        let name = file
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or_default()
            .to_string();
        let dir = file.parent().expect("parent");
        let out = strata()
            .current_dir(dir)
            .args(["check", &format!("{name}.strata")])
            .output()
            .expect("run strata check");
        assert_eq!(out.status.code(), Some(2), "{name}: exit code 2 for errors");
        let rendered = String::from_utf8_lossy(&out.stderr).to_string();
        insta::assert_snapshot!(format!("invalid__{name}"), rendered);

        let json = strata()
            .current_dir(dir)
            .args(["check", "--format", "json", &format!("{name}.strata")])
            .output()
            .expect("run strata check --format json");
        let doc: serde_json::Value = serde_json::from_slice(&json.stdout).expect("json output");
        let diags = doc["diagnostics"].as_array().cloned().unwrap_or_default();
        let errors: Vec<_> = diags.iter().filter(|d| d["severity"] == "error").collect();
        assert!(!errors.is_empty(), "{name}: at least one error");
        for d in &diags {
            assert!(
                d["code"].as_str().is_some_and(|c| c.len() == 5),
                "{name}: stable code in {d}"
            );
            assert!(
                d["help"].as_str().is_some_and(|h| !h.is_empty()),
                "{name}: help line in {d}"
            );
            assert!(
                d["location"]["line"].as_u64().is_some(),
                "{name}: a span in {d}"
            );
        }
        if name == "syntax_many_errors" {
            assert!(
                errors.len() >= 3,
                "one run reports many errors: {}",
                errors.len()
            );
        }
    }
}
