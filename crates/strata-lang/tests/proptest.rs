//! Property tests: the parser and formatter never panic on any input, and on valid input
//! `parse ∘ format` is stable.

use std::path::Path;

use proptest::prelude::*;
use strata_diagnostics::FileId;
use strata_lang::{format, parse, without_spans};

fn valid_fixtures() -> Vec<String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/valid");
    let mut paths: Vec<_> = std::fs::read_dir(dir)
        .expect("fixture folder")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "strata"))
        .collect();
    paths.sort();
    paths
        .iter()
        .map(|p| std::fs::read_to_string(p).expect("read fixture"))
        .collect()
}

/// Parses and formats; formatting a recovered tree and reparsing it must not panic either.
fn exercise(text: &str) {
    let (file, _) = parse(FileId(0), text);
    let out = format(&file);
    let _ = parse(FileId(0), &out);
}

/// One edit of a source text.
#[derive(Debug, Clone)]
enum Edit {
    Delete { at: usize, len: usize },
    Insert { at: usize, text: String },
    Replace { at: usize, len: usize, text: String },
}

/// Fragments that are likely to hit interesting parser states.
fn fragment() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("{".to_string()),
        Just("}".to_string()),
        Just("(".to_string()),
        Just(")".to_string()),
        Just("\"".to_string()),
        Just("`".to_string()),
        Just("\"\"\"".to_string()),
        Just("\n".to_string()),
        Just("->".to_string()),
        Just("<->".to_string()),
        Just("///".to_string()),
        Just("//".to_string()),
        Just("/*".to_string()),
        Just("*/".to_string()),
        Just("/* c */".to_string()),
        Just("double precision".to_string()),
        Just("größe".to_string()),
        Just("\\".to_string()),
        Just("entity X {".to_string()),
        Just("schema s {".to_string()),
        Just("index".to_string()),
        Just("é".to_string()),
        Just("日本".to_string()),
        Just("🦀".to_string()),
        Just("\u{0}".to_string()),
        Just("\r\n".to_string()),
        Just("99999999999999999999999B".to_string()),
        "[a-z_]{1,8}",
        "[0-9]{1,25}[kKmMbB]?",
        any::<char>().prop_map(|c| c.to_string()),
        "\\PC{0,6}",
    ]
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        (any::<usize>(), 1usize..12).prop_map(|(at, len)| Edit::Delete { at, len }),
        (any::<usize>(), fragment()).prop_map(|(at, text)| Edit::Insert { at, text }),
        (any::<usize>(), 1usize..6, fragment()).prop_map(|(at, len, text)| Edit::Replace {
            at,
            len,
            text
        }),
    ]
}

/// The nearest char boundary at or before `i`.
fn floor_boundary(s: &str, i: usize) -> usize {
    let mut i = i.min(s.len());
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// Applies an edit; byte positions are taken modulo the length. Deletions may cut through a
/// multi-byte character: the bytes are then repaired lossily, as an editor would show them.
fn apply(text: &str, e: &Edit) -> String {
    let mut bytes = text.as_bytes().to_vec();
    let n = bytes.len().max(1);
    match e {
        Edit::Delete { at, len } => {
            let start = at % n;
            let end = (start + len).min(bytes.len());
            if start < end {
                bytes.drain(start..end);
            }
        }
        Edit::Insert { at, text: t } => {
            let at = floor_boundary(text, at % n);
            bytes.splice(at..at, t.bytes());
        }
        Edit::Replace { at, len, text: t } => {
            let start = floor_boundary(text, at % n);
            let end = floor_boundary(text, (start + len).min(bytes.len())).max(start);
            bytes.splice(start..end, t.bytes());
        }
    }
    String::from_utf8_lossy(&bytes).into_owned()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn random_strings_never_panic(text in "\\PC{0,300}") {
        exercise(&text);
    }

    #[test]
    fn random_token_soup_never_panics(parts in prop::collection::vec(fragment(), 0..60)) {
        exercise(&parts.join(" "));
        exercise(&parts.concat());
    }

    #[test]
    fn mutated_fixtures_never_panic(
        idx in any::<prop::sample::Index>(),
        edits in prop::collection::vec(edit(), 1..8),
    ) {
        let fixtures = valid_fixtures();
        let base = idx.get(&fixtures);
        let mut text = base.clone();
        for e in &edits {
            text = apply(&text, e);
        }
        exercise(&text);
    }

    /// Mutated fixtures that still parse cleanly must format stably.
    #[test]
    fn mutated_valid_inputs_format_stably(
        idx in any::<prop::sample::Index>(),
        edits in prop::collection::vec(edit(), 1..3),
    ) {
        let fixtures = valid_fixtures();
        let mut text = idx.get(&fixtures).clone();
        for e in &edits {
            text = apply(&text, e);
        }
        let (file, diags) = parse(FileId(0), &text);
        if diags.iter().all(|d| !d.is_error()) {
            let once = format(&file);
            let (again, diags2) = parse(FileId(0), &once);
            prop_assert!(diags2.iter().all(|d| !d.is_error()), "formatted output has errors:\n{}", once);
            let twice = format(&again);
            prop_assert_eq!(&once, &twice);
            prop_assert_eq!(without_spans(&file), without_spans(&again));
        }
    }
}

#[test]
fn valid_fixtures_parse_format_parse_format_is_stable() {
    for text in valid_fixtures() {
        let (a, da) = parse(FileId(0), &text);
        assert!(da.is_empty());
        let fa = format(&a);
        let (b, db) = parse(FileId(0), &fa);
        assert!(db.is_empty());
        let fb = format(&b);
        assert_eq!(fa, fb);
        assert_eq!(without_spans(&a), without_spans(&b));
    }
}

#[test]
fn pathological_inputs() {
    let deep_parens = format!("entity A {{\n  index {}a\n}}\n", "(".repeat(100_000));
    let deep_braces = "{".repeat(100_000);
    let deep_schemas = "schema s {\n".repeat(10_000);
    let many_dims = format!("entity A {{\n  a int{}\n}}\n", "[]".repeat(1000));
    let long_line = format!("entity A {{\n  a int{}\n}}\n", " unique".repeat(50_000));
    let huge_numbers = "entity A {\n  rows 999999999999999999999999999999B\n  a numeric(99999999999999999999999) = 1.99999999999999999999\n  access q 1e999/s `x`\n}\n";
    for text in [
        deep_parens.as_str(),
        deep_braces.as_str(),
        deep_schemas.as_str(),
        many_dims.as_str(),
        long_line.as_str(),
        huge_numbers,
        "\"\"\"",
        "`",
        "\"",
        "entity",
        "entity A {",
        "enum e {",
        "entity A {\n  partition by range (a) {",
        "\u{feff}entity A {}",
    ] {
        exercise(text);
    }
}
