//! `strata lint`: SQL input applied to a throwaway server and read back, findings located in
//! the file, every output format (SARIF validated against the 2.1.0 schema), `--list-rules`,
//! `strata.toml` `[lint]` settings, suppression comments and exit codes.

mod common;
mod lint_sarif_schema;

use std::path::Path;

use serde_json::Value;

const SQL: &str = "\
-- Events from the old system.
CREATE TABLE events (
  name text NOT NULL,
  happened_at timestamp NOT NULL
);

CREATE TABLE users (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, email text NOT NULL);
";

fn lint(dir: &Path, args: &[&str]) -> (Option<i32>, String, String) {
    let out = common::strata()
        .current_dir(dir)
        .arg("lint")
        .args(args)
        .output()
        .expect("run strata lint");
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn write(dir: &Path, name: &str, text: &str) {
    std::fs::write(dir.join(name), text).expect("write a file");
}

/// The two rules these tests count findings of, so new rules do not change the counts.
const ONLY_TWO: &str = "[lint]\nselect = [\"D001\", \"D010\"]\n";

/// A temporary folder with `strata.toml` selecting [`ONLY_TWO`].
fn two_rule_dir() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    write(dir.path(), "strata.toml", ONLY_TWO);
    dir
}

fn findings(json: &str) -> Vec<Value> {
    serde_json::from_str::<Vec<Value>>(json).expect("a JSON array of findings")
}

fn codes_on(found: &[Value], object: &str) -> Vec<String> {
    found
        .iter()
        .filter(|f| f["object"] == object)
        .map(|f| f["code"].as_str().unwrap_or("").to_string())
        .collect()
}

#[test]
fn sql_findings_carry_code_object_file_and_line() {
    let dir = two_rule_dir();
    write(dir.path(), "schema.sql", SQL);
    let (code, out, err) = lint(dir.path(), &["--format", "json", "schema.sql"]);
    assert_eq!(code, Some(1), "findings exit 1; stderr:\n{err}");
    let found = findings(&out);
    assert_eq!(codes_on(&found, "public.events"), ["D001"]);
    assert_eq!(codes_on(&found, "public.events.happened_at"), ["D010"]);
    assert!(codes_on(&found, "public.users").is_empty());
    for f in &found {
        for key in [
            "code",
            "name",
            "severity",
            "message",
            "help",
            "object",
            "fingerprint",
        ] {
            assert!(f[key].is_string(), "{key} missing in {f}");
        }
        assert_eq!(f["file"], "schema.sql");
        // Both findings are on the table created at line 2.
        assert_eq!(f["line"], 2, "{f}");
    }
}

#[test]
fn clean_sql_exits_zero_and_errors_exit_two() {
    let dir = tempfile::tempdir().expect("temp dir");
    write(
        dir.path(),
        "ok.sql",
        "CREATE TABLE things (id bigint PRIMARY KEY, created_at timestamptz NOT NULL DEFAULT now());\n",
    );
    let (code, out, _) = lint(dir.path(), &["ok.sql"]);
    assert_eq!(code, Some(0));
    assert!(out.contains("no findings"), "{out}");
    write(
        dir.path(),
        "broken.sql",
        "CREATE TABLE t (id bigint PRIMARY KEY;\n",
    );
    let (code, _, err) = lint(dir.path(), &["broken.sql"]);
    assert_eq!(code, Some(2), "{err}");
}

#[test]
fn fingerprints_follow_the_object_not_the_line() {
    let dir = two_rule_dir();
    write(dir.path(), "a.sql", SQL);
    write(
        dir.path(),
        "b.sql",
        &format!("CREATE TABLE other (id bigint PRIMARY KEY);\n\n\n{SQL}"),
    );
    let (_, a, _) = lint(dir.path(), &["--format", "json", "a.sql"]);
    let (_, b, _) = lint(dir.path(), &["--format", "json", "b.sql"]);
    let fp = |json: &str| {
        findings(json)
            .iter()
            .map(|f| {
                (
                    f["object"].to_string(),
                    f["fingerprint"].to_string(),
                    f["line"].clone(),
                )
            })
            .collect::<Vec<_>>()
    };
    let (fa, fb) = (fp(&a), fp(&b));
    assert_eq!(fa.len(), fb.len());
    for ((oa, pa, la), (ob, pb, lb)) in fa.iter().zip(&fb) {
        assert_eq!((oa, pa), (ob, pb));
        assert_ne!(la, lb, "the statement moved");
    }
}

#[test]
fn sarif_output_validates_against_the_2_1_0_schema() {
    let dir = two_rule_dir();
    write(dir.path(), "schema.sql", SQL);
    let (code, out, _) = lint(dir.path(), &["--format", "sarif", "schema.sql"]);
    assert_eq!(code, Some(1));
    let doc: Value = serde_json::from_str(&out).expect("SARIF is JSON");
    let errors = lint_sarif_schema::Validator::sarif().validate(&doc);
    assert!(
        errors.is_empty(),
        "SARIF violates the schema:\n{}",
        errors.join("\n")
    );
    let results = doc["runs"][0]["results"].as_array().expect("results");
    assert_eq!(results.len(), 2);
    for r in results {
        assert!(r["partialFingerprints"]["strataFingerprint/v1"].is_string());
        assert_eq!(
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
            "schema.sql"
        );
    }
    // The validator does catch a broken document.
    let mut broken = doc.clone();
    broken["runs"][0]["results"][0]["level"] = Value::from("fatal");
    broken["runs"][0]["tool"]["driver"]["colour"] = Value::from("red");
    assert_eq!(
        lint_sarif_schema::Validator::sarif()
            .validate(&broken)
            .len(),
        2
    );
}

#[test]
fn github_annotations_name_file_line_and_rule() {
    let dir = two_rule_dir();
    write(dir.path(), "schema.sql", SQL);
    let (code, out, _) = lint(dir.path(), &["--format", "github", "schema.sql"]);
    assert_eq!(code, Some(1));
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 2, "{out}");
    assert!(
        lines.iter().any(|l| l.starts_with(
            "::warning file=schema.sql,line=2,title=D001 table-without-primary-key::public.events: "
        )),
        "{out}"
    );
}

#[test]
fn list_rules_lists_every_rule() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (code, out, _) = lint(dir.path(), &["--list-rules", "--format", "json"]);
    assert_eq!(code, Some(0));
    let list: Vec<Value> = serde_json::from_str(&out).expect("JSON list");
    let codes: Vec<&str> = list.iter().filter_map(|r| r["code"].as_str()).collect();
    let registered: Vec<&str> = strata_lint::registry().iter().map(|r| r.code).collect();
    assert_eq!(codes, registered);
    for r in &list {
        assert!(r["name"].is_string() && r["family"].is_string() && r["severity"].is_string());
        assert!(r["fixable"].is_boolean());
    }
    let (code, out, _) = lint(dir.path(), &["--list-rules"]);
    assert_eq!(code, Some(0));
    assert!(
        out.lines()
            .any(|l| l.starts_with("D001  table-without-primary-key")),
        "{out}"
    );
}

#[test]
fn config_selects_ignores_and_regrades() {
    let dir = tempfile::tempdir().expect("temp dir");
    write(dir.path(), "schema.sql", SQL);
    write(
        dir.path(),
        "strata.toml",
        "[lint]\nselect = [\"D001\", \"D010\"]\nignore = [\"timestamp-without-time-zone\"]\n[lint.severity]\nD001 = \"info\"\n",
    );
    let (code, out, err) = lint(dir.path(), &["--format", "json", "schema.sql"]);
    // Only an info finding is left: not a failure.
    assert_eq!(code, Some(0), "{err}");
    let found = findings(&out);
    assert_eq!(found.len(), 1);
    assert_eq!(found[0]["code"], "D001");
    assert_eq!(found[0]["severity"], "info");

    write(
        dir.path(),
        "strata.toml",
        "[lint]\nselect = [\"timestamp-without-time-zone\"]\n",
    );
    let (_, out, _) = lint(dir.path(), &["--format", "json", "schema.sql"]);
    let found = findings(&out);
    assert_eq!(found.len(), 1);
    assert_eq!(found[0]["code"], "D010");

    write(dir.path(), "strata.toml", "[lint]\nignore = [\"D999\"]\n");
    let (code, _, err) = lint(dir.path(), &["schema.sql"]);
    assert_eq!(code, Some(2));
    assert!(err.contains("\"D999\" names no rule"), "{err}");
}

#[test]
fn suppressions_silence_and_stale_ones_warn() {
    let dir = two_rule_dir();
    let sql = format!(
        "-- strata-lint: ignore-file D010 timestamps of the old system, converted later\n\
         -- strata-lint: ignore D001 append-only, never updated\n{}\
         -- strata-lint: ignore D010 users has no timestamp column\n\
         CREATE INDEX users_email_idx ON users (email);\n",
        SQL.trim_start_matches("-- Events from the old system.\n")
    );
    write(dir.path(), "schema.sql", &sql);
    let (code, out, err) = lint(dir.path(), &["--format", "json", "schema.sql"]);
    assert_eq!(findings(&out).len(), 0, "{out}");
    assert_eq!(code, Some(1), "a stale suppression is a warning");
    assert!(
        err.contains("schema.sql:")
            && err.contains("suppression of D010 on public.users matches no finding"),
        "{err}"
    );

    // Without the stale one: clean.
    let clean: String = sql
        .lines()
        .filter(|l| !l.contains("no timestamp column"))
        .map(|l| format!("{l}\n"))
        .collect();
    write(dir.path(), "schema.sql", &clean);
    let (code, out, err) = lint(dir.path(), &["schema.sql"]);
    assert_eq!(code, Some(0), "{out}{err}");
    assert!(out.contains("2 suppressed"), "{out}");

    write(
        dir.path(),
        "bad.sql",
        "-- strata-lint: ignore X123 why\nCREATE TABLE t (id int PRIMARY KEY);\n",
    );
    let (code, _, err) = lint(dir.path(), &["bad.sql"]);
    assert_eq!(code, Some(2));
    assert!(
        err.contains("bad.sql:1: `X123` is not a rule code or name"),
        "{err}"
    );
}

#[test]
fn todo_example_lints_clean() {
    let root = common::repo_root();
    let (code, out, err) = lint(&root, &["examples/todo"]);
    assert_eq!(code, Some(0), "{out}{err}");
}
