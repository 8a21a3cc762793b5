//! docs/lint/ holds one page per rule and an index, generated from the rules' own `//!`
//! documentation. Regenerate with `UPDATE_DOCS=1 cargo test -p strata-lint --test docs`.

use std::path::PathBuf;

fn docs_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../docs/lint")
}

#[test]
fn every_rule_documents_the_fixed_sections() {
    let mut problems = Vec::new();
    for rule in strata_lint::registry() {
        for p in rule.doc().problems() {
            problems.push(format!("{} {}: {p}", rule.code, rule.name));
        }
        if !rule.doc().section("Example").unwrap_or("").contains("```") {
            problems.push(format!(
                "{} {}: the example has no code block",
                rule.code, rule.name
            ));
        }
    }
    assert!(
        problems.is_empty(),
        "rule documentation:\n{}",
        problems.join("\n")
    );
}

#[test]
fn rule_pages_and_index_are_current() {
    let dir = docs_dir();
    let generated = strata_lint::docs::generated();
    if std::env::var_os("UPDATE_DOCS").is_some() {
        std::fs::create_dir_all(&dir).expect("create docs/lint");
        for entry in std::fs::read_dir(&dir).expect("read docs/lint").flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if name.ends_with(".md")
                && name != "peers.md"
                && !generated.iter().any(|(n, _)| *n == name)
            {
                std::fs::remove_file(entry.path()).expect("remove a stale page");
            }
        }
        for (name, text) in &generated {
            std::fs::write(dir.join(name), text).expect("write a rule page");
        }
    }
    let mut stale = Vec::new();
    for (name, text) in &generated {
        let have = std::fs::read_to_string(dir.join(name)).unwrap_or_default();
        if have != *text {
            stale.push(name.clone());
        }
    }
    // A page for a rule that no longer exists is stale too.
    for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.ends_with(".md") && name != "peers.md" && !generated.iter().any(|(n, _)| *n == name)
        {
            stale.push(name);
        }
    }
    assert!(
        stale.is_empty(),
        "docs/lint is stale ({}): run `UPDATE_DOCS=1 cargo test -p strata-lint --test docs`",
        stale.join(", ")
    );
}
