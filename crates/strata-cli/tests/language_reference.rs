//! Every example in docs/language.md designs cleanly and its SQL applies to a real server.

mod common;

use common::*;

fn examples() -> Vec<(usize, String)> {
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

#[test]
fn every_example_checks_builds_and_applies() {
    let examples = examples();
    assert!(
        examples.len() >= 15,
        "the reference has an example per feature ({})",
        examples.len()
    );
    let dir = tempfile::tempdir().expect("temp dir");
    for (line, text) in examples {
        let file = dir.path().join(format!("example_line_{line}.strata"));
        std::fs::write(&file, &text).expect("write example");
        let check = strata()
            .arg("check")
            .arg(&file)
            .output()
            .expect("run check");
        assert!(
            check.status.code() == Some(0),
            "docs/language.md example at line {line} does not check cleanly:\n{}\n{text}",
            String::from_utf8_lossy(&check.stderr)
        );
        let sql = build(&file);
        let _db = fresh_db_with(&sql);
        let fmt = strata()
            .arg("fmt")
            .arg("--check")
            .arg(&file)
            .output()
            .expect("run fmt");
        assert!(
            fmt.status.success(),
            "docs/language.md example at line {line} is not formatted canonically; `strata fmt` would change it"
        );
    }
}
