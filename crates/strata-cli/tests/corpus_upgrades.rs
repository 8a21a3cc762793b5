//! The upgrade scripts Debian packages ship are real migrations written by other people: a
//! differ corpus. `scripts/fetch_corpus` copies the last ones of Icinga 2 IDO, PowerDNS and
//! Roundcube into `target/corpus/<name>/upgrades/` (`ORDER` lists them oldest first). The
//! packages ship only their newest schema, so the version before each upgrade is rebuilt from it
//! with a downgrade of ours (`tests/corpus/upgrades/<name>/<upgrade>.down.sql`, newest first).
//!
//! For each upgrade, from two copies of the version before it:
//! 1. `upgrade-matches`: the package's script applied to one copy gives the version after it
//!    (the shipped schema for the last upgrade) — checks the downgrade, and the package;
//! 2. `diff`: `strata diff` from the other copy to the upgraded one, applied, gives an identical
//!    schema, and planning again is empty;
//! 3. `diff-back`: `strata diff` from the upgraded copy back to the version before it, applied,
//!    gives that version again.
//!
//! "Identical" is `pg_dump --schema-only --no-owner` output where a `pg_dump` reads the server,
//! else Strata's model. Steps known not to hold are listed in `tests/corpus/upgrade_failures`
//! (`name/upgrade step  # why`): they must still fail, and any other failure fails the test.
//! Without the fetched corpus the test says so and passes, unless `STRATA_CORPUS_REQUIRED=1`.

mod common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use strata_pg::Cluster;

/// The schemas with upgrade scripts in `scripts/fetch_corpus`.
const NAMES: [&str; 3] = ["icinga2-ido", "pdns", "roundcube"];

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
    if a == b {
        Ok(())
    } else {
        Err(format!(
            "{what}: the schemas differ; first difference at {}",
            common::first_difference(&a, &b)
        ))
    }
}

fn downgrade(name: &str, upgrade: &str) -> PathBuf {
    let stem = upgrade.strip_suffix(".sql").unwrap_or(upgrade);
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/corpus/upgrades")
        .join(name)
        .join(format!("{stem}.down.sql"))
}

/// A database holding the shipped schema with the downgrades of `upgrades` applied, newest
/// first: the version before the oldest of them.
fn version_before(
    cluster: &Cluster,
    dir: &Path,
    name: &str,
    upgrades: &[String],
) -> Result<String, String> {
    let db = cluster.create_database().map_err(|e| e.to_string())?;
    psql(cluster, &db, &dir.join("schema.sql"))?;
    for upgrade in upgrades.iter().rev() {
        psql(cluster, &db, &downgrade(name, upgrade))?;
    }
    Ok(db)
}

/// `(step, outcome)` of each step of the module documentation.
type Steps = Vec<(&'static str, Result<(), String>)>;

fn check(cluster: &Cluster, name: &str, upgrades: &[String], k: usize) -> Result<Steps, String> {
    let dir = common::repo_root().join("target/corpus").join(name);
    let tmp = tempfile::tempdir().map_err(|e| e.to_string())?;
    let script = dir.join("upgrades").join(&upgrades[k]);
    let before = version_before(cluster, &dir, name, &upgrades[k..])?;
    let after = version_before(cluster, &dir, name, &upgrades[k + 1..])?;
    let upgraded = version_before(cluster, &dir, name, &upgrades[k..])?;
    psql(cluster, &upgraded, &script)?;
    let mut steps = Vec::new();
    steps.push((
        "upgrade-matches",
        same(cluster, "the package's upgrade", &after, &upgraded),
    ));

    let diffed = version_before(cluster, &dir, name, &upgrades[k..])?;
    let diff = || -> Result<(), String> {
        let plan = strata(&[
            "diff",
            "--from",
            &cluster.url(&diffed),
            "--to",
            &cluster.url(&upgraded),
            "--allow-hazard",
            "all",
            "--prune",
        ])?;
        let file = tmp.path().join("up.sql");
        std::fs::write(&file, &plan).map_err(|e| e.to_string())?;
        psql(cluster, &diffed, &file)?;
        same(cluster, "strata diff old → upgraded", &upgraded, &diffed)?;
        let again = strata(&[
            "diff",
            "--from",
            &cluster.url(&diffed),
            "--to",
            &cluster.url(&upgraded),
            "--prune",
        ])?;
        if again
            .lines()
            .any(|l| !l.trim().is_empty() && !l.starts_with("--"))
        {
            return Err(format!("planning again is not empty:\n{again}"));
        }
        Ok(())
    };
    steps.push(("diff", diff()));

    let diff_back = || -> Result<(), String> {
        let plan = strata(&[
            "diff",
            "--from",
            &cluster.url(&upgraded),
            "--to",
            &cluster.url(&before),
            "--allow-hazard",
            "all",
            "--prune",
        ])?;
        let file = tmp.path().join("down.sql");
        std::fs::write(&file, &plan).map_err(|e| e.to_string())?;
        psql(cluster, &upgraded, &file)?;
        same(cluster, "strata diff upgraded → old", &before, &upgraded)
    };
    steps.push(("diff-back", diff_back()));
    Ok(steps)
}

/// `name/upgrade step` pairs of `tests/corpus/upgrade_failures` (`#` starts a comment).
fn known_failures() -> BTreeSet<(String, String)> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus/upgrade_failures");
    let text = std::fs::read_to_string(&path).unwrap_or_default();
    text.lines()
        .map(|l| l.split('#').next().unwrap_or("").trim())
        .filter(|l| !l.is_empty())
        .map(|l| {
            let mut words = l.split_whitespace();
            let which = words.next().unwrap_or_default().to_string();
            let step = words.next().unwrap_or_default().to_string();
            (which, step)
        })
        .collect()
}

#[test]
fn package_upgrades_replayed_by_strata_diff_converge() {
    let root = common::repo_root().join("target/corpus");
    let order = |name: &str| -> Option<Vec<String>> {
        let text = std::fs::read_to_string(root.join(name).join("upgrades/ORDER")).ok()?;
        Some(text.lines().map(str::to_string).collect())
    };
    let required = std::env::var("STRATA_CORPUS_REQUIRED").is_ok_and(|v| v == "1");
    let missing: Vec<&str> = NAMES.into_iter().filter(|n| order(n).is_none()).collect();
    assert!(
        missing.is_empty() || !required,
        "corpus upgrades missing under {}: {missing:?}; run scripts/fetch_corpus",
        root.display()
    );
    if !missing.is_empty() {
        eprintln!("corpus upgrades missing ({missing:?}); run scripts/fetch_corpus to test them");
    }
    let cluster = strata_pg::shared_cluster().expect("throwaway PostgreSQL cluster");
    let known = known_failures();
    let mut problems = Vec::new();
    let mut replayed = 0;
    for name in NAMES {
        let Some(upgrades) = order(name) else {
            continue;
        };
        for (k, upgrade) in upgrades.iter().enumerate() {
            let which = format!("{name}/{}", upgrade.trim_end_matches(".sql"));
            let steps = match check(cluster, name, &upgrades, k) {
                Ok(steps) => steps,
                Err(e) => {
                    problems.push(format!("{which}: could not build the versions: {e}"));
                    continue;
                }
            };
            replayed += 1;
            for (step, outcome) in steps {
                let expected_to_fail = known.contains(&(which.clone(), step.to_string()));
                match (outcome, expected_to_fail) {
                    (Ok(()), false) => eprintln!("{which} {step}: ok"),
                    (Err(e), true) => {
                        eprintln!("{which} {step}: fails as listed in upgrade_failures: {e}")
                    }
                    (Ok(()), true) => problems.push(format!(
                        "{which} {step}: passes now; remove it from tests/corpus/upgrade_failures"
                    )),
                    (Err(e), false) => problems.push(format!("{which} {step}: {e}")),
                }
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n\n"));
    eprintln!("{replayed} package upgrades replayed");
}
