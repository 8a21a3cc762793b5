//! Helpers of the `strata gen` tests: running the generators, finding the real clients
//! (Python venv, npm tools) and describing a database's catalog for comparisons.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

// Every test that uses these helpers also declares `mod common;`.
pub use crate::common::{repo_root, strata};

/// `strata gen TARGET SRC --out OUT [extra...]`; fails the test with stderr when it fails.
pub fn gen_to(target: &str, src: &Path, out: &Path, extra: &[&str]) {
    let o = strata()
        .arg("gen")
        .arg(target)
        .arg(src)
        .arg("--out")
        .arg(out)
        .args(extra)
        .output()
        .expect("run strata gen");
    assert!(
        o.status.success(),
        "strata gen {target} {} failed:\n{}",
        src.display(),
        String::from_utf8_lossy(&o.stderr)
    );
}

/// `strata build SRC`.
pub fn build(src: &Path) -> String {
    let o = strata()
        .arg("build")
        .arg(src)
        .output()
        .expect("run strata build");
    assert!(
        o.status.success(),
        "strata build {} failed:\n{}",
        src.display(),
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8(o.stdout).expect("utf-8 SQL")
}

/// Whether the tests run under CI, where a missing tool is a failure, not a skip.
pub fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| v == "true" || v == "1")
}

/// A tool the test needs, or `None` (after a loud message) when it is absent outside CI.
pub fn require_tool(path: PathBuf, what: &str, install: &str) -> Option<PathBuf> {
    if path.exists() {
        return Some(path);
    }
    let msg = format!(
        "{what} not found at {}: run `{install}` (the .ci/run script does)",
        path.display()
    );
    if in_ci() {
        panic!("{msg}");
    }
    eprintln!("\n!!!!!!!! SKIPPED: {msg} !!!!!!!!\n");
    None
}

/// The Python of the test venv (`target/venv`, or `STRATA_VENV`).
pub fn python() -> Option<PathBuf> {
    let venv = std::env::var_os("STRATA_VENV")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo_root().join("target/venv"));
    require_tool(
        venv.join("bin/python"),
        "the Python venv with sqlmodel and alembic",
        "python3 -m venv target/venv && target/venv/bin/pip install -r tools/python/requirements.txt",
    )
}

/// The catalog of one database as comparable text, by kind: every table, column (type,
/// nullability, default), constraint and index of the user schemas, and the objects outside
/// tables (enums, functions, triggers, policies, row-level security).
pub fn catalog(client: &mut postgres::Client) -> BTreeMap<&'static str, Vec<String>> {
    const USER_SCHEMAS: &str = "n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast') AND n.nspname NOT LIKE 'pg_temp%'";
    let queries: [(&'static str, String); 9] = [
        (
            "tables",
            format!(
                "SELECT n.nspname || '.' || c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace \
                 WHERE c.relkind IN ('r', 'p') AND {USER_SCHEMAS} AND c.relname <> 'alembic_version'"
            ),
        ),
        (
            "columns",
            format!(
                "SELECT n.nspname || '.' || c.relname || '.' || a.attname || ' ' || format_type(a.atttypid, a.atttypmod) \
                 || CASE WHEN a.attnotnull THEN ' NOT NULL' ELSE ' NULL' END \
                 || COALESCE(' DEFAULT ' || pg_get_expr(d.adbin, d.adrelid), '') \
                 || CASE a.attidentity WHEN 'a' THEN ' IDENTITY ALWAYS' WHEN 'd' THEN ' IDENTITY BY DEFAULT' ELSE '' END \
                 FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace \
                 LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum \
                 WHERE c.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped AND {USER_SCHEMAS} \
                 AND c.relname <> 'alembic_version'"
            ),
        ),
        (
            "keys",
            format!(
                "SELECT n.nspname || '.' || c.relname || ' ' || k.conname || ' ' || pg_get_constraintdef(k.oid) \
                 FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace \
                 WHERE k.contype IN ('p', 'u', 'f') AND {USER_SCHEMAS} AND c.relname <> 'alembic_version'"
            ),
        ),
        (
            "checks",
            format!(
                "SELECT n.nspname || '.' || c.relname || ' ' || k.conname || ' ' || pg_get_constraintdef(k.oid) \
                 FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace \
                 WHERE k.contype IN ('c', 'x') AND {USER_SCHEMAS}"
            ),
        ),
        (
            "indexes",
            format!(
                "SELECT pg_get_indexdef(i.indexrelid) FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid \
                 JOIN pg_namespace n ON n.oid = c.relnamespace WHERE {USER_SCHEMAS} AND c.relname <> 'alembic_version'"
            ),
        ),
        (
            "enums",
            format!(
                "SELECT n.nspname || '.' || t.typname || ' ' || string_agg(e.enumlabel, ',' ORDER BY e.enumsortorder) \
                 FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace JOIN pg_enum e ON e.enumtypid = t.oid \
                 WHERE {USER_SCHEMAS} GROUP BY n.nspname, t.typname"
            ),
        ),
        (
            "functions",
            format!(
                "SELECT n.nspname || '.' || p.proname || '(' || pg_get_function_identity_arguments(p.oid) || ')' \
                 FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE {USER_SCHEMAS}"
            ),
        ),
        (
            "triggers",
            "SELECT pg_get_triggerdef(t.oid) FROM pg_trigger t WHERE NOT t.tgisinternal".to_string(),
        ),
        (
            "policies",
            "SELECT schemaname || '.' || tablename || ' ' || policyname || ' ' || cmd || ' ' || COALESCE(qual, '') \
             FROM pg_policies"
                .to_string(),
        ),
    ];
    let mut out = BTreeMap::new();
    for (kind, sql) in queries {
        let mut rows: Vec<String> = client
            .query(sql.as_str(), &[])
            .unwrap_or_else(|e| panic!("catalog query {kind}: {e:?}"))
            .iter()
            .map(|r| r.get::<_, String>(0))
            .collect();
        rows.sort();
        out.insert(kind, rows);
    }
    let mut rls: Vec<String> = client
        .query(
            "SELECT n.nspname || '.' || c.relname || CASE WHEN c.relforcerowsecurity THEN ' FORCE' ELSE '' END \
             FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relrowsecurity",
            &[],
        )
        .expect("rls query")
        .iter()
        .map(|r| r.get::<_, String>(0))
        .collect();
    rls.sort();
    out.insert("row_level_security", rls);
    out
}

/// Lines of `a` not in `b`.
pub fn missing(a: &[String], b: &[String]) -> Vec<String> {
    a.iter().filter(|x| !b.contains(x)).cloned().collect()
}
