//! Human rendering costs time in proportion to the diagnostics and the lines they show, not
//! to the diagnostics times the size of the file.

use std::time::{Duration, Instant};

use strata_diagnostics::{Diagnostic, SourceMap, Span, render_human};

#[test]
fn ten_thousand_diagnostics_on_a_large_file_render_quickly() {
    let text: String = (0..10_000).map(|i| format!("  x{i} int\n")).collect();
    let mut sources = SourceMap::new();
    let file = sources.add("big.strata", text.clone());
    let mut diags = Vec::new();
    let mut offset = 0;
    for line in text.lines() {
        diags.push(
            Diagnostic::error("E2001", "duplicate", "rename it").at(Span::new(
                file,
                offset + 2,
                offset + 4,
            )),
        );
        offset += line.len() + 1;
    }
    let started = Instant::now();
    let out = render_human(&diags, &sources, false);
    let took = started.elapsed();
    assert!(
        out.contains("big.strata:10000:3"),
        "the last line is located"
    );
    // Rendering against the whole file per diagnostic took tens of seconds here.
    assert!(took < Duration::from_secs(5), "rendering took {took:?}");
}

#[test]
fn excerpts_keep_line_numbers_and_labels() {
    let text = "entity A {\n  x int\n  y int\n  x int\n}\n";
    let mut sources = SourceMap::new();
    let file = sources.add("a.strata", text);
    let first = text.find("x int").unwrap_or_default();
    let second = text.rfind("x int").unwrap_or_default();
    let d = Diagnostic::error("E2001", "field `x` declared twice", "rename one")
        .at(Span::new(file, second, second + 1))
        .with_label(Span::new(file, first, first + 1), "first declared here");
    let out = render_human(&[d], &sources, false);
    assert!(out.contains("a.strata:4:3"), "{out}");
    assert!(out.contains("2 |   x int"), "{out}");
    assert!(out.contains("4 |   x int"), "{out}");
    assert!(out.contains("first declared here"), "{out}");
    // A span at the very end of the file still shows.
    let end = Diagnostic::error("E1012", "missing `}`", "close it").at(Span::new(
        file,
        text.len(),
        text.len(),
    ));
    let out = render_human(&[end], &sources, false);
    assert!(out.contains("a.strata:"), "{out}");
}

#[test]
fn ten_thousand_duplicates_labelled_at_the_first_render_quickly() {
    let text: String = (0..10_000).map(|_| "  x int\n").collect();
    let mut sources = SourceMap::new();
    let file = sources.add("dup.strata", text.clone());
    let diags: Vec<_> = (1..10_000)
        .map(|i| {
            Diagnostic::error("E2001", "field `x` declared twice", "rename one")
                .at(Span::new(file, i * 8 + 2, i * 8 + 3))
                .with_label(Span::new(file, 2, 3), "first declared here")
        })
        .collect();
    let started = Instant::now();
    let out = render_human(&diags, &sources, false);
    let took = started.elapsed();
    assert!(
        out.contains("--> dup.strata:10000:3"),
        "the primary span heads its diagnostic"
    );
    assert!(out.contains("1 |   x int"), "the far label is shown");
    assert!(took < Duration::from_secs(5), "rendering took {took:?}");
}
