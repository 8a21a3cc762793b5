//! Every file in `fixtures/syntax_errors/` parses with at least one diagnostic; the rendered
//! diagnostics are snapshotted (plain text) so code, span and help are reviewed by eye.

use std::path::Path;

use strata_diagnostics::{SourceMap, render_human};

fn fixtures() -> Vec<(String, String)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/syntax_errors");
    let mut out: Vec<(String, String)> = std::fs::read_dir(&dir)
        .expect("fixture folder")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "strata"))
        .map(|p| {
            let name = p
                .file_stem()
                .and_then(|s| s.to_str())
                .unwrap_or_default()
                .to_string();
            let text = std::fs::read_to_string(&p).expect("read fixture");
            (name, text)
        })
        .collect();
    out.sort();
    out
}

fn render(name: &str, text: &str) -> (String, usize, usize) {
    let mut sources = SourceMap::new();
    let id = sources.add(format!("syntax_errors/{name}.strata"), text);
    let (file, diags) = strata_lang::parse(id, text);
    // Formatting a tree recovered from broken input must not panic either.
    let _ = strata_lang::format(&file);
    let errors = diags.iter().filter(|d| d.is_error()).count();
    (render_human(&diags, &sources, false), errors, diags.len())
}

#[test]
fn syntax_error_fixtures() {
    let all = fixtures();
    assert!(
        all.len() >= 20,
        "expected at least 20 fixtures, found {}",
        all.len()
    );
    for (name, text) in &all {
        let (rendered, errors, total) = render(name, text);
        if name.ends_with("_warning") {
            assert!(total >= 1 && errors == 0, "{name}: expected only warnings");
        } else {
            assert!(errors >= 1, "{name}: expected a syntax error, got none");
        }
        insta::assert_snapshot!(name.as_str(), rendered);
    }
}

#[test]
fn recovery_reports_independent_errors() {
    let text = fixtures()
        .into_iter()
        .find(|(n, _)| n == "multiple_errors")
        .map(|(_, t)| t)
        .expect("multiple_errors fixture");
    let (_, errors, _) = render("multiple_errors", &text);
    assert!(errors >= 6, "expected 6 independent errors, got {errors}");
}
