//! Every `.strata` in the repository designs, reverses and designs back into the same DDL.

mod common;

use common::*;

/// ```strata blocks of docs/language.md with their line numbers.
fn language_examples() -> Vec<(usize, String)> {
    let doc =
        std::fs::read_to_string(repo_root().join("docs/language.md")).expect("docs/language.md");
    let mut out = Vec::new();
    let mut current: Option<(usize, String)> = None;
    for (n, line) in doc.lines().enumerate() {
        match (&mut current, line.trim_end()) {
            (None, "```strata") => current = Some((n + 1, String::new())),
            (Some(_), "```") => out.extend(current.take()),
            (Some((_, text)), l) => {
                text.push_str(l);
                text.push('\n');
            }
            _ => {}
        }
    }
    out
}

fn todo_sources() -> Vec<(String, String)> {
    let dir = repo_root().join("examples/todo");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("examples/todo")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "strata"))
        .collect();
    files.sort();
    files
        .iter()
        .map(|p| {
            (
                p.display().to_string(),
                std::fs::read_to_string(p).expect("read"),
            )
        })
        .collect()
}

#[test]
fn todo_round_trips() {
    let m0 = design(&todo_sources());
    let out = round_trip("examples/todo", &m0);
    insta::assert_snapshot!("todo", out.text());
}

#[test]
fn language_reference_examples_round_trip() {
    let examples = language_examples();
    assert!(examples.len() >= 15, "found {} examples", examples.len());
    for (line, text) in examples {
        let m0 = design(&[(format!("docs/language.md:{line}"), text)]);
        round_trip(&format!("docs/language.md example at line {line}"), &m0);
    }
}
