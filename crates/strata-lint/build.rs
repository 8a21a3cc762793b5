//! Builds the rule registry from the files under `src/rules/<family>/`: a rule is registered by
//! existing. Its code and name come from its file name (`d001_table_without_primary_key.rs` is
//! `D001` `table-without-primary-key`), so the two cannot drift apart, and adding a rule touches
//! no shared list but its family's `mod` line.

use std::fmt::Write as _;
use std::path::Path;

const FAMILIES: [(&str, &str); 5] = [
    ("design", "Design"),
    ("migration", "Migration"),
    ("health", "Health"),
    ("security", "Security"),
    ("performance", "Performance"),
];

fn main() {
    let manifest = std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
    let rules_dir = Path::new(&manifest).join("src/rules");
    println!("cargo::rerun-if-changed=src/rules");
    let mut entries = Vec::new();
    for (family, variant) in FAMILIES {
        let dir = rules_dir.join(family);
        println!("cargo::rerun-if-changed=src/rules/{family}");
        let Ok(read) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in read.flatten() {
            let file = entry.file_name().to_string_lossy().into_owned();
            let Some(stem) = file.strip_suffix(".rs") else {
                continue;
            };
            if stem == "mod" {
                continue;
            }
            let Some((code, name)) = stem.split_once('_') else {
                panic!("rule file {family}/{file}: expected <code>_<name>.rs");
            };
            let letter = code.chars().next().unwrap_or(' ');
            assert!(
                code.len() == 4
                    && letter.is_ascii_lowercase()
                    && code[1..].chars().all(|c| c.is_ascii_digit()),
                "rule file {family}/{file}: the code must be a letter and three digits"
            );
            entries.push((
                code.to_ascii_uppercase(),
                name.replace('_', "-"),
                family,
                variant,
                stem.to_string(),
                entry.path(),
            ));
        }
    }
    entries.sort();
    let mut out = String::from("&[\n");
    for (code, name, family, variant, stem, path) in &entries {
        let _ = writeln!(
            out,
            "    Rule {{ code: {code:?}, name: {name:?}, family: Family::{variant}, \
             severity: crate::rules::{family}::{stem}::SEVERITY, \
             fixable: crate::rules::{family}::{stem}::FIXABLE, \
             check: crate::rules::{family}::{stem}::CHECK, \
             source: include_str!({path:?}) }},",
            path = path.display().to_string(),
        );
    }
    out.push(']');
    let out_dir = std::env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    std::fs::write(Path::new(&out_dir).join("registry.rs"), out).expect("write registry.rs");
}
