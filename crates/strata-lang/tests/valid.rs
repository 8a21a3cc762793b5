//! Valid inputs: every fixture in `fixtures/valid/` (and every `.strata` example of the
//! workspace) parses without diagnostics, formats idempotently, and reparses to the same tree.

use std::path::{Path, PathBuf};

use strata_diagnostics::{FileId, SourceMap, render_human};
use strata_lang::ast::File;
use strata_lang::{format, parse, parse_sources, without_spans};

fn strata_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return out;
    };
    for e in entries.filter_map(Result::ok) {
        let p = e.path();
        if p.is_dir() {
            out.extend(strata_files(&p));
        } else if p.extension().is_some_and(|x| x == "strata") {
            out.push(p);
        }
    }
    out.sort();
    out
}

fn valid_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/valid")
}

/// Parses `text`, failing the test with the rendered diagnostics if there are any.
fn parse_clean(name: &str, text: &str) -> File {
    let mut sources = SourceMap::new();
    let id = sources.add(name, text);
    let (file, diags) = parse(id, text);
    assert!(
        diags.is_empty(),
        "{name} should parse without diagnostics:\n{}",
        render_human(&diags, &sources, false)
    );
    file
}

fn check_round_trip(name: &str, text: &str) -> String {
    let file = parse_clean(name, text);
    let once = format(&file);
    let reparsed = parse_clean(&format!("{name} (formatted)"), &once);
    let twice = format(&reparsed);
    assert_eq!(once, twice, "{name}: formatting is not idempotent");
    assert_eq!(
        without_spans(&file),
        without_spans(&reparsed),
        "{name}: parse(format(ast)) differs from ast modulo spans"
    );
    assert!(
        once.ends_with('\n') && !once.ends_with("\n\n"),
        "{name}: one final newline"
    );
    once
}

#[test]
fn all_features_parses_cleanly_and_formats() {
    let path = valid_dir().join("all_features.strata");
    let text = std::fs::read_to_string(&path).expect("all_features fixture");
    let file = parse_clean("all_features.strata", &text);
    assert!(file.items.len() >= 15, "every item kind is present");
    insta::assert_snapshot!("all_features_formatted", format(&file));
}

#[test]
fn valid_fixtures_are_idempotent() {
    let files = strata_files(&valid_dir());
    assert!(files.len() >= 8, "expected at least 8 valid fixtures");
    for path in files {
        let name = path
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or_default()
            .to_string();
        let text = std::fs::read_to_string(&path).expect("read fixture");
        let formatted = check_round_trip(&name, &text);
        insta::assert_snapshot!(format!("fmt_{name}"), formatted);
    }
}

#[test]
fn workspace_examples_round_trip() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples");
    for path in strata_files(&root) {
        let text = std::fs::read_to_string(&path).expect("read example");
        check_round_trip(&path.display().to_string(), &text);
    }
}

#[test]
fn parse_sources_keeps_file_ids() {
    let mut sources = SourceMap::new();
    let a = sources.add("a.strata", "entity A {\n  x int\n}\n");
    let b = sources.add("b.strata", "entity B {\n  y int uniqe\n}\nentiy C {}\n");
    let (files, diags) = parse_sources(&sources);
    assert_eq!(
        files.iter().map(|(id, _)| *id).collect::<Vec<_>>(),
        vec![a, b]
    );
    assert_eq!(diags.len(), 2);
    assert!(diags.iter().all(|d| d.span.map(|s| s.file) == Some(b)));
    assert_ne!(a, FileId(1));
}

#[test]
fn a_byte_order_mark_at_the_start_is_skipped() {
    let text = "\u{FEFF}/// A user.\nentity User {\n  name text\n}\n";
    let (file, diags) = parse(FileId(0), text);
    assert!(diags.is_empty(), "{diags:?}");
    let (plain, _) = parse(FileId(0), &text[3..]);
    assert!(strata_lang::same_modulo_spans(&file, &plain));
    // Spans still index the original text.
    let strata_lang::ast::Item::Entity(e) = &file.items[0] else {
        panic!("an entity")
    };
    assert_eq!(
        &text[e.name.span.start as usize..e.name.span.end as usize],
        "User"
    );
}

/// `generated virtual` is its own attribute, kept through formatting.
#[test]
fn generated_virtual_parses_and_formats() {
    let text =
        "entity T {\n  a int\n  b int generated virtual `a * 2`\n  c int generated `a * 3`\n}\n";
    let file = parse_clean("virtual.strata", text);
    let formatted = format(&file);
    assert!(
        formatted.contains("b int generated virtual `a * 2`"),
        "{formatted}"
    );
    assert!(formatted.contains("c int generated `a * 3`"), "{formatted}");
    let debug = format!("{:?}", without_spans(&file));
    assert!(debug.contains("GeneratedVirtual"), "{debug}");
    assert_eq!(debug.matches("Generated(").count(), 1, "{debug}");
}
