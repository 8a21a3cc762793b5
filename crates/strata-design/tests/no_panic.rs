//! Random and mutated input never makes the parser or the designer panic.

use proptest::prelude::*;
use strata_diagnostics::SourceMap;

fn seeds() -> Vec<String> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut out = Vec::new();
    for dir in ["examples/todo", "crates/strata-cli/tests/fixtures/invalid"] {
        if let Ok(entries) = std::fs::read_dir(root.join(dir)) {
            let mut paths: Vec<_> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
            paths.sort();
            for p in paths {
                if p.extension().is_some_and(|e| e == "strata")
                    && let Ok(t) = std::fs::read_to_string(&p)
                {
                    out.push(t);
                }
            }
        }
    }
    out
}

fn run(text: &str) {
    let mut sources = SourceMap::new();
    sources.add("input.strata", text);
    let (files, _) = strata_lang::parse_sources(&sources);
    let design = strata_design::design(&files);
    // Rendering diagnostics must not panic on any span either.
    let _ = strata_diagnostics::render_human(&design.diagnostics, &sources, false);
}

#[derive(Debug, Clone)]
enum Edit {
    Delete(usize, usize),
    Insert(usize, String),
    Replace(usize, char),
}

fn apply(text: &str, edits: &[Edit]) -> String {
    let mut chars: Vec<char> = text.chars().collect();
    for e in edits {
        let len = chars.len().max(1);
        match e {
            Edit::Delete(at, n) => {
                let at = at % len;
                let end = (at + n % 16).min(chars.len());
                if at < end {
                    chars.drain(at..end);
                }
            }
            Edit::Insert(at, s) => {
                let at = (at % len).min(chars.len());
                for (k, c) in s.chars().enumerate() {
                    chars.insert(at + k, c);
                }
            }
            Edit::Replace(at, c) => {
                if !chars.is_empty() {
                    let at = at % chars.len();
                    chars[at] = *c;
                }
            }
        }
    }
    chars.into_iter().collect()
}

fn edit() -> impl Strategy<Value = Edit> {
    let token = prop::sample::select(vec![
        "{",
        "}",
        "(",
        ")",
        "->",
        "<->",
        "<-",
        "?",
        "=",
        "`",
        "\"\"\"",
        "\"",
        "entity X {",
        "index (",
        "unique",
        "partition by range (a) {",
        "use M",
        "mixin M { use M }",
        "access a \"\"\" SELECT",
        "é",
        "\u{0}",
        "\n",
        "primary key (",
        "conventions {",
        "rows 9999999999999999999K",
        "distribute by",
        "tenant by x",
    ]);
    prop_oneof![
        (any::<usize>(), any::<usize>()).prop_map(|(a, n)| Edit::Delete(a, n)),
        (any::<usize>(), token).prop_map(|(a, s)| Edit::Insert(a, s.to_string())),
        (any::<usize>(), any::<char>()).prop_map(|(a, c)| Edit::Replace(a, c)),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn random_text_never_panics(text in "\\PC{0,400}") {
        run(&text);
    }

    #[test]
    fn mutated_schemas_never_panic(seed in any::<prop::sample::Index>(), edits in prop::collection::vec(edit(), 1..8)) {
        let seeds = seeds();
        prop_assume!(!seeds.is_empty());
        let base = &seeds[seed.index(seeds.len())];
        run(&apply(base, &edits));
    }
}
