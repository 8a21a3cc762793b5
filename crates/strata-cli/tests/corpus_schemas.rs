//! The real-schema corpus: the PostgreSQL schemas Debian packages ship (MediaWiki, Icinga 2
//! IDO, PowerDNS, Bacula, FreeRADIUS, Roundcube), fetched by `scripts/fetch_corpus` into
//! `target/corpus/<name>/schema.sql` (not committed: their licences do not all allow it).
//!
//! For each schema, loaded with psql into a database:
//! 1. `strata inspect --format sql` prints it without a warning, and that SQL applied to a
//!    fresh database gives an identical schema;
//! 2. the same through `.strata`: `strata inspect`, `strata build`, apply, identical;
//! 3. `strata diff` from an empty database to it, applied to an empty database, gives an
//!    identical schema, and planning again is empty;
//! 4. `strata diff` from it to an empty database, applied, leaves an empty database;
//! 5. the SQL file itself as input (`strata inspect schema.sql`, applied in the SQL-input
//!    sandbox) reads as the same model as the database.
//!
//! "Identical" is `pg_dump --schema-only --no-owner` output where a `pg_dump` can read the
//! server, else Strata's model (see `common::schema_snapshot`).
//!
//! Steps that are known not to hold yet are listed in `tests/corpus/known_failures` (`name
//! step`, with the reason): such a step must still fail — when it passes, remove its line — and
//! any other failing step fails the test.
//!
//! Without a fetched corpus the test says so and passes, unless `STRATA_CORPUS_REQUIRED=1`
//! (set by `.ci/run`, which fetches it).

mod common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use strata_pg::Cluster;

/// The schemas `scripts/fetch_corpus` assembles.
const NAMES: [&str; 6] = [
    "bacula",
    "freeradius",
    "icinga2-ido",
    "mediawiki",
    "pdns",
    "roundcube",
];

fn corpus_dir() -> PathBuf {
    common::repo_root().join("target/corpus")
}

fn psql(cluster: &Cluster, db: &str, file: &Path) -> Result<(), String> {
    let psql = cluster.client_program("psql").ok_or("no psql")?;
    let out = Command::new(psql)
        .args([
            "-X",
            "-q",
            "-v",
            "ON_ERROR_STOP=1",
            "-d",
            &cluster.url(db),
            "-f",
        ])
        .arg(file)
        .output()
        .map_err(|e| format!("run psql: {e}"))?;
    if out.status.success() {
        Ok(())
    } else {
        Err(format!(
            "psql -f {} failed: {}",
            file.display(),
            String::from_utf8_lossy(&out.stderr).trim()
        ))
    }
}

/// Runs strata with `args`; its standard output when it exits 0 (no warning, no hazard left).
fn strata(args: &[&str]) -> Result<String, String> {
    let out = common::strata()
        .args(args)
        .output()
        .map_err(|e| format!("run strata: {e}"))?;
    if out.status.code() == Some(0) {
        String::from_utf8(out.stdout).map_err(|e| e.to_string())
    } else {
        let stderr = String::from_utf8_lossy(&out.stderr);
        let head: Vec<&str> = stderr.lines().take(20).collect();
        Err(format!(
            "strata {} exited with {:?}:\n{}",
            args.join(" "),
            out.status.code(),
            head.join("\n")
        ))
    }
}

/// pg_dump output, or Strata's model where no pg_dump reads the server.
fn snapshot(cluster: &Cluster, db: &str) -> Result<String, String> {
    if cluster.pg_dump().is_some() {
        return Ok(common::pg_dump(cluster, db));
    }
    strata(&["inspect", "--format", "json", &cluster.url(db)])
}

fn same(cluster: &Cluster, what: &str, a: &str, b: &str) -> Result<(), String> {
    let (a, b) = (snapshot(cluster, a)?, snapshot(cluster, b)?);
    eprintln!("  {what}: {} lines compared", a.lines().count());
    if a == b {
        Ok(())
    } else {
        Err(format!(
            "{what}: the schemas differ; first difference at {}",
            common::first_difference(&a, &b)
        ))
    }
}

fn with_file(dir: &Path, name: &str, text: &str) -> Result<PathBuf, String> {
    let file = dir.join(name);
    std::fs::write(&file, text).map_err(|e| e.to_string())?;
    Ok(file)
}

/// `(step, outcome)` of each step of the module documentation.
type Steps = Vec<(&'static str, Result<(), String>)>;

/// The steps of the module documentation for one schema.
fn check(cluster: &Cluster, schema: &Path) -> Result<Steps, String> {
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    let dir = dir.path();
    let db = || cluster.create_database().map_err(|e| e.to_string());
    let original = db()?;
    psql(cluster, &original, schema)?;
    let url = cluster.url(&original);
    let mut steps = Vec::new();

    let inspect_sql = || -> Result<(), String> {
        let sql = strata(&["inspect", "--format", "sql", &url])?;
        let copy = db()?;
        psql(cluster, &copy, &with_file(dir, "inspected.sql", &sql)?)?;
        same(cluster, "inspect --format sql", &original, &copy)
    };
    steps.push(("inspect-sql", inspect_sql()));

    let inspect_strata = || -> Result<(), String> {
        let text = strata(&["inspect", &url])?;
        let file = with_file(dir, "inspected.strata", &text)?;
        let sql = strata(&["build", file.to_str().ok_or("path")?])?;
        let copy = db()?;
        psql(cluster, &copy, &with_file(dir, "built.sql", &sql)?)?;
        same(cluster, "inspect → .strata → build", &original, &copy)
    };
    steps.push(("inspect-strata", inspect_strata()));

    let file_input = || -> Result<(), String> {
        let from_file = strata(&[
            "inspect",
            "--format",
            "json",
            schema.to_str().ok_or("path")?,
        ])?;
        let from_db = strata(&["inspect", "--format", "json", &url])?;
        if from_file == from_db {
            Ok(())
        } else {
            Err(format!(
                "the SQL file as input reads differently from the database; first difference at {}",
                common::first_difference(&from_db, &from_file)
            ))
        }
    };
    steps.push(("file-input", file_input()));

    let empty = db()?;
    let built = db()?;
    let diff_from_empty = || -> Result<(), String> {
        let plan = strata(&[
            "diff",
            "--from",
            &cluster.url(&built),
            "--to",
            &url,
            "--allow-hazard",
            "all",
        ])?;
        psql(cluster, &built, &with_file(dir, "create.sql", &plan)?)?;
        same(cluster, "diff empty → schema", &original, &built)?;
        let again = strata(&["diff", "--from", &cluster.url(&built), "--to", &url])?;
        if again
            .lines()
            .any(|l| !l.trim().is_empty() && !l.starts_with("--"))
        {
            return Err(format!(
                "diff empty → schema: planning again is not empty:\n{again}"
            ));
        }
        Ok(())
    };
    steps.push(("diff-create", diff_from_empty()));

    let diff_to_empty = || -> Result<(), String> {
        let target = db()?;
        psql(cluster, &target, schema)?;
        let plan = strata(&[
            "diff",
            "--from",
            &cluster.url(&target),
            "--to",
            &cluster.url(&empty),
            "--allow-hazard",
            "all",
            "--prune",
        ])?;
        psql(cluster, &target, &with_file(dir, "drop.sql", &plan)?)?;
        same(cluster, "diff schema → empty", &empty, &target)
    };
    steps.push(("diff-drop", diff_to_empty()));
    Ok(steps)
}

/// `name step` pairs of `tests/corpus/known_failures` (`#` starts a comment).
fn known_failures() -> BTreeSet<(String, String)> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus/known_failures");
    let text = std::fs::read_to_string(&path).unwrap_or_default();
    text.lines()
        .map(|l| l.split('#').next().unwrap_or("").trim())
        .filter(|l| !l.is_empty())
        .map(|l| {
            let mut words = l.split_whitespace();
            let name = words.next().unwrap_or_default().to_string();
            let step = words.next().unwrap_or_default().to_string();
            (name, step)
        })
        .collect()
}

#[test]
fn corpus_schemas_round_trip_and_converge() {
    let root = corpus_dir();
    let present: Vec<&str> = NAMES
        .into_iter()
        .filter(|n| root.join(n).join("schema.sql").is_file())
        .collect();
    let required = std::env::var("STRATA_CORPUS_REQUIRED").is_ok_and(|v| v == "1");
    if present.len() < NAMES.len() {
        let missing: Vec<&str> = NAMES.into_iter().filter(|n| !present.contains(n)).collect();
        assert!(
            !required,
            "corpus schemas missing under {}: {missing:?}; run scripts/fetch_corpus",
            root.display()
        );
        eprintln!(
            "corpus schemas missing under {} ({missing:?}); run scripts/fetch_corpus to test them",
            root.display()
        );
    }
    let cluster = strata_pg::shared_cluster().expect("throwaway PostgreSQL cluster");
    let known = known_failures();
    let mut problems = Vec::new();
    for name in present {
        let schema = root.join(name).join("schema.sql");
        eprintln!("{name}:");
        let steps = match check(cluster, &schema) {
            Ok(steps) => steps,
            Err(e) => {
                problems.push(format!("{name}: could not load the schema: {e}"));
                continue;
            }
        };
        for (step, outcome) in steps {
            let expected_to_fail = known.contains(&(name.to_string(), step.to_string()));
            match (outcome, expected_to_fail) {
                (Ok(()), false) => {}
                (Err(e), true) => {
                    eprintln!("{name} {step}: fails as listed in known_failures: {e}")
                }
                (Ok(()), true) => problems.push(format!(
                    "{name} {step}: passes now; remove it from tests/corpus/known_failures"
                )),
                (Err(e), false) => problems.push(format!("{name} {step}: {e}")),
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n\n"));
}
