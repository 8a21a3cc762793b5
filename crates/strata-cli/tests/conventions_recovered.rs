//! `strata inspect` of a database that `strata build` made gives back the `.strata`
//! conventions (semantic types, `text(n)`, timestamps, soft delete, audit, tenant), not their
//! physical expansion, and building what it prints changes nothing: `strata diff` from the
//! database to the printed `.strata` is empty. On examples/todo, examples/saas and every
//! example of docs/language.md, against a real server.

mod common;

use std::path::Path;

use common::*;

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

fn run(args: &[&std::ffi::OsStr]) -> (Option<i32>, String, String) {
    let out = strata().args(args).output().expect("run strata");
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// The lines of reversed `.strata` that carry a convention: fields of a semantic or bounded
/// type, `soft_delete`, `audit`, `tenant by`, many-to-many relations, `conventions { ... }`.
fn conventions(text: &str) -> Vec<String> {
    const SEMANTIC: &[&str] = &[
        "email",
        "url",
        "slug",
        "phone",
        "password_hash",
        "secret",
        "counter",
        "money",
    ];
    let mut out = Vec::new();
    for line in text.lines() {
        let words: Vec<&str> = line.split_whitespace().collect();
        let carries = match words.as_slice() {
            ["soft_delete"] | ["audit"] | ["tenant", "by", ..] | ["conventions", ..] => true,
            [_, ty, ..] if line.starts_with("  ") && !line.starts_with("   ") => {
                let ty = ty.trim_end_matches('?');
                SEMANTIC.contains(&ty)
                    || (ty.starts_with("text(") || ty.starts_with("money("))
                    || words.get(1) == Some(&"<->")
            }
            _ => false,
        };
        if carries {
            // Raw SQL after the convention is in the server's spelling on one side.
            let joined = words.join(" ");
            out.push(
                joined
                    .split('`')
                    .next()
                    .unwrap_or_default()
                    .trim()
                    .to_string(),
            );
        }
    }
    out.sort();
    out
}

/// Builds `src`, applies it, inspects the database and checks the three promises.
fn recovers(label: &str, src: &Path) {
    let sql = build(src);
    let mut client = fresh_db_with(&sql);
    let db: String = client
        .query_one("SELECT current_database()", &[])
        .expect("database")
        .get(0);
    let url = strata_pg::shared_cluster().expect("cluster").url(&db);
    let (code, printed, err) = run(&["inspect".as_ref(), url.as_ref()]);
    assert_eq!(
        code,
        Some(0),
        "{label}: inspect warned or failed:\n{err}\n{printed}"
    );

    // The source's own conventions, as the reverse of the design prints them.
    // (A warning there — an access pattern the reverse cannot print — is about the source.)
    let (code, from_source, err) = run(&["inspect".as_ref(), src.as_os_str()]);
    assert!(matches!(code, Some(0 | 1)), "{label}: {err}");
    // When the reverse of the source itself falls back to spelling a table out, it is no
    // reference; the database's must still be clean and build back unchanged (below).
    if code == Some(0) {
        let want = conventions(&from_source);
        let got = conventions(&printed);
        assert_eq!(
            got, want,
            "{label}: conventions not recovered from the database\n--- printed ---\n{printed}"
        );
    }

    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("schema.strata"), &printed).expect("write");
    let (code, plan, err) = run(&[
        "diff".as_ref(),
        "--from".as_ref(),
        url.as_ref(),
        "--to".as_ref(),
        dir.path().as_os_str(),
    ]);
    assert_eq!(
        (code, plan.trim()),
        (Some(0), "-- no changes"),
        "{label}: building the inspected .strata changes the database:\n{err}\n--- printed ---\n{printed}"
    );
}

#[test]
fn todo_conventions_are_recovered() {
    recovers("examples/todo", &repo_root().join("examples/todo"));
}

#[test]
fn saas_conventions_are_recovered() {
    recovers("examples/saas", &repo_root().join("examples/saas"));
}

#[test]
fn language_reference_conventions_are_recovered() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut failures = Vec::new();
    for (line, text) in language_examples() {
        let folder = dir.path().join(format!("line_{line}"));
        std::fs::create_dir_all(&folder).expect("mkdir");
        std::fs::write(folder.join("s.strata"), &text).expect("write");
        let label = format!("docs/language.md example at line {line}");
        if let Err(e) = std::panic::catch_unwind(|| recovers(&label, &folder)) {
            let msg = e
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| e.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_default();
            failures.push(msg);
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}
