//! PostgreSQL 18 features in the model, on a PostgreSQL 18 server (`target/pg/18`, see
//! `scripts/install_postgres_versions`): `tests/fixtures/pg18/features.sql` (virtual generated
//! columns, a named NOT NULL constraint, WITHOUT OVERLAPS keys, a PERIOD foreign key, NOT
//! ENFORCED checks and foreign keys, `uuidv7()`) loaded with psql must
//! - inspect without a warning, into SQL that says all of it;
//! - round-trip through `inspect --format sql` and through `.strata` + `build`, the copies
//!   having the same model and the same catalog facts (read from `pg_attribute` and
//!   `pg_constraint`, not through Strata);
//! - converge with `strata diff` from an empty database and to one.
//!
//! `pg_dump` 15 cannot read PostgreSQL 18, so copies are compared through Strata's model plus
//! the catalog facts. Skipped with a note when PostgreSQL 18 is not installed, unless
//! `STRATA_PG_MATRIX` names 18 (as in CI).

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use strata_pg::{Cluster, ClusterOptions, PgError};

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/pg18/features.sql")
}

fn cluster18() -> Option<Cluster> {
    let required =
        std::env::var("STRATA_PG_MATRIX").is_ok_and(|m| m.split_whitespace().any(|v| v == "18"));
    match Cluster::start_with(ClusterOptions::default().version(18)) {
        Ok(cluster) => Some(cluster),
        Err(e @ PgError::VersionNotInstalled { .. }) if !required => {
            eprintln!("skipped: {e}");
            None
        }
        Err(e) => panic!("PostgreSQL 18: {e}"),
    }
}

fn psql(cluster: &Cluster, db: &str, file: &Path) {
    let out = Command::new(cluster.client_program("psql").expect("psql"))
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
        .expect("run psql");
    assert!(
        out.status.success(),
        "psql -f {}: {}",
        file.display(),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// `strata ARGS` must exit 0 (no warning); its standard output.
fn strata(args: &[&str]) -> String {
    let out = common::strata().args(args).output().expect("run strata");
    assert_eq!(
        out.status.code(),
        Some(0),
        "strata {}:\n{}",
        args.join(" "),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("utf-8")
}

/// What the server itself says about the features, one line each, sorted.
fn catalog_facts(cluster: &Cluster, db: &str) -> Vec<String> {
    let mut client = cluster.connect(db).expect("connect");
    let mut facts: Vec<String> = client
        .query(
            "SELECT format('column %s.%s generated %s', c.relname, a.attname, a.attgenerated)
               FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
              WHERE c.relnamespace = 'public'::regnamespace AND a.attgenerated <> ''
             UNION ALL
             SELECT format('constraint %s.%s type %s period %s enforced %s columns %s',
                           c.relname, con.conname, con.contype, con.conperiod, con.conenforced,
                           con.conkey::text)
               FROM pg_constraint con JOIN pg_class c ON c.oid = con.conrelid
              WHERE c.relnamespace = 'public'::regnamespace",
            &[],
        )
        .expect("catalog facts")
        .iter()
        .map(|r| r.get::<_, String>(0))
        .collect();
    facts.sort();
    facts
}

fn model(cluster: &Cluster, db: &str) -> String {
    strata(&["inspect", "--format", "json", &cluster.url(db)])
}

#[test]
fn postgresql_18_features_round_trip_and_converge() {
    let Some(cluster) = cluster18() else {
        return;
    };
    let dir = tempfile::tempdir().expect("temp dir");
    let original = cluster.create_database().expect("database");
    psql(&cluster, &original, &fixture());
    let url = cluster.url(&original);
    let facts = catalog_facts(&cluster, &original);
    for needle in [
        "column item.total generated v",
        "column item.stored_total generated s",
        "constraint item.item_price_present type n",
        "constraint room.room_pkey type p period t",
        "constraint room_alias.room_alias_unique type u period t",
        "constraint booking.booking_room_fkey type f period t",
        "constraint booking_note.booking_note_booking_fkey type f period f enforced f",
        "constraint booking_note.booking_note_stars_check type c period f enforced f",
    ] {
        assert!(
            facts.iter().any(|f| f.starts_with(needle)),
            "{needle:?} not in {facts:#?}"
        );
    }
    let json = model(&cluster, &original);
    // Only the chosen name is kept: the long table's is the server's own (shortened) name.
    assert_eq!(
        json.matches("\"not_null_name\"").count(),
        1,
        "not_null_name other than item_price_present:\n{json}"
    );

    let sql = strata(&["inspect", "--format", "sql", &url]);
    for needle in [
        "total numeric GENERATED ALWAYS AS ((price * (quantity)::numeric)) VIRTUAL",
        "price numeric(10,2) CONSTRAINT item_price_present NOT NULL",
        "PRIMARY KEY (id, valid_at WITHOUT OVERLAPS)",
        "UNIQUE (alias, valid_at WITHOUT OVERLAPS)",
        "FOREIGN KEY (room_id, PERIOD during) REFERENCES public.room (id, PERIOD valid_at)",
        "DEFAULT uuidv7()",
        "REFERENCES public.booking (id) ON DELETE NO ACTION ON UPDATE NO ACTION NOT ENFORCED",
        "CHECK (((stars >= 1) AND (stars <= 5))) NOT ENFORCED",
    ] {
        assert!(sql.contains(needle), "{needle:?} not in:\n{sql}");
    }
    let file = dir.path().join("inspected.sql");
    std::fs::write(&file, &sql).expect("write");
    let copy = cluster.create_database().expect("database");
    psql(&cluster, &copy, &file);
    assert_eq!(
        catalog_facts(&cluster, &copy),
        facts,
        "inspect --format sql"
    );
    assert_eq!(model(&cluster, &copy), json, "inspect --format sql");

    let text = strata(&["inspect", &url]);
    let strata_file = dir.path().join("inspected.strata");
    std::fs::write(&strata_file, &text).expect("write");
    let built = strata(&["build", strata_file.to_str().expect("utf-8 path")]);
    let built_file = dir.path().join("built.sql");
    std::fs::write(&built_file, &built).expect("write");
    let copy = cluster.create_database().expect("database");
    psql(&cluster, &copy, &built_file);
    assert_eq!(catalog_facts(&cluster, &copy), facts, ".strata:\n{text}");
    assert_eq!(model(&cluster, &copy), json, ".strata:\n{text}");

    let target = cluster.create_database().expect("database");
    let plan = strata(&[
        "diff",
        "--from",
        &cluster.url(&target),
        "--to",
        &url,
        "--allow-hazard",
        "all",
    ]);
    let plan_file = dir.path().join("create.sql");
    std::fs::write(&plan_file, &plan).expect("write");
    psql(&cluster, &target, &plan_file);
    assert_eq!(
        catalog_facts(&cluster, &target),
        facts,
        "diff empty → schema"
    );
    assert_eq!(model(&cluster, &target), json, "diff empty → schema");
    let again = strata(&["diff", "--from", &cluster.url(&target), "--to", &url]);
    assert!(
        again
            .lines()
            .all(|l| l.trim().is_empty() || l.starts_with("--")),
        "planning again:\n{again}"
    );

    let empty = cluster.create_database().expect("database");
    let plan = strata(&[
        "diff",
        "--from",
        &cluster.url(&target),
        "--to",
        &cluster.url(&empty),
        "--allow-hazard",
        "all",
        "--prune",
    ]);
    let plan_file = dir.path().join("drop.sql");
    std::fs::write(&plan_file, &plan).expect("write");
    psql(&cluster, &target, &plan_file);
    assert_eq!(
        model(&cluster, &target),
        model(&cluster, &empty),
        "diff schema → empty"
    );
}
