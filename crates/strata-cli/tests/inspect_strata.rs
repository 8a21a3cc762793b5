//! `strata inspect` prints `.strata` by default, and that text builds back into the same
//! schema: pagila (the corpus copy) loaded with psql, inspected as `.strata`, built with
//! `strata build` and applied to a fresh database gives an identical
//! `pg_dump --schema-only --no-owner` (only the `\restrict`/`\unrestrict` lines, whose random
//! key differs per run, are removed; Strata's model where no `pg_dump` reads the server: see
//! `common::schema_snapshot`).

mod common;

use std::path::PathBuf;

#[test]
fn pagila_as_strata_builds_back_into_an_identical_schema() {
    let cluster = strata_pg::shared_cluster().expect("throwaway PostgreSQL cluster");
    let original = cluster.create_database().expect("create database");
    common::psql_file(cluster, &original, &common::pagila());

    let out = common::strata()
        .args(["inspect", &cluster.url(&original)])
        .output()
        .expect("run strata inspect");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        out.status.code(),
        Some(0),
        "strata inspect did not exit cleanly:\n{stderr}"
    );
    let text = String::from_utf8(out.stdout).expect("utf-8 .strata");
    // Recognised, not only copied: sequences, the domain, the enum, relations, partitions.
    for expected in [
        "sequence actor_actor_id_seq",
        "domain year int? check",
        "enum mpaa_rating { G, PG, \"PG-13\", R, \"NC-17\" }",
        "city        -> City on delete restrict on update cascade map \"city_id\"",
        "partition by range (payment_date) {",
        "primary key (actor, film)",
    ] {
        assert!(text.contains(expected), "expected `{expected}` in:\n{text}");
    }

    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("pagila.strata");
    std::fs::write(&file, &text).expect("write .strata");
    let fmt = common::strata()
        .arg("fmt")
        .arg("--check")
        .arg(&file)
        .output()
        .expect("run fmt");
    assert!(
        fmt.status.success(),
        "the printed .strata is not fmt-canonical"
    );
    let sql = common::build(&file);
    let sql_file = dir.path().join("pagila.sql");
    std::fs::write(&sql_file, &sql).expect("write SQL");
    let copy = cluster.create_database().expect("create database");
    common::psql_file(cluster, &copy, &sql_file);

    let a = common::schema_snapshot(cluster, &original);
    let b = common::schema_snapshot(cluster, &copy);
    assert!(a.contains("payment_p2022_01"));
    if a != b {
        let keep = std::env::temp_dir();
        let _ = std::fs::write(keep.join("strata-pagila-strata-original.dump.sql"), &a);
        let _ = std::fs::write(keep.join("strata-pagila-strata-roundtrip.dump.sql"), &b);
        let _ = std::fs::write(keep.join("strata-pagila-inspected.strata"), &text);
        panic!(
            "pg_dump differs after the .strata round trip (files in {}); first difference at {}",
            keep.display(),
            common::first_difference(&a, &b)
        );
    }
}

/// An unmodellable object is reported on stderr with its name, and the exit code says so.
#[test]
fn objects_that_cannot_be_printed_are_warned_about() {
    let cluster = strata_pg::shared_cluster().expect("throwaway PostgreSQL cluster");
    let db = cluster.create_database().expect("create database");
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("odd.sql");
    // A partition whose name does not follow `<parent>_<suffix>` cannot be written in .strata.
    std::fs::write(
        &file,
        "CREATE TABLE public.events (id bigint NOT NULL, at date NOT NULL) PARTITION BY RANGE (at);\n\
         CREATE TABLE public.archive_2020 PARTITION OF public.events FOR VALUES FROM ('2020-01-01') TO ('2021-01-01');\n",
    )
    .expect("write SQL");
    common::psql_file(cluster, &db, &file);
    let out = common::strata()
        .args(["inspect", &cluster.url(&db)])
        .output()
        .expect("run strata inspect");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        out.status.code(),
        Some(1),
        "warnings exit with 1:\n{stderr}"
    );
    assert!(
        stderr.contains("archive_2020"),
        "the partition is named in the warning:\n{stderr}"
    );
}

/// Databases built from `examples/todo` and from every example of docs/language.md, inspected
/// as `.strata` and built again: `pg_dump` is identical. (Introspected models spell expressions
/// as the server prints them, so this exercises the explicit spellings as well as the
/// recognised conventions.)
#[test]
fn strata_built_databases_inspect_back_identically() {
    let cluster = strata_pg::shared_cluster().expect("throwaway PostgreSQL cluster");
    let dir = tempfile::tempdir().expect("temp dir");
    let mut sources: Vec<(String, PathBuf)> = vec![(
        "examples/todo".into(),
        common::repo_root().join("examples/todo"),
    )];
    let doc = std::fs::read_to_string(common::repo_root().join("docs/language.md"))
        .expect("docs/language.md");
    let mut current: Option<(usize, String)> = None;
    for (n, line) in doc.lines().enumerate() {
        match (&mut current, line.trim_end()) {
            (None, "```strata") => current = Some((n + 1, String::new())),
            (Some((start, text)), "```") => {
                let file = dir.path().join(format!("example_{start}.strata"));
                std::fs::write(&file, text.as_str()).expect("write example");
                sources.push((format!("docs/language.md:{start}"), file));
                current = None;
            }
            (Some((_, text)), l) => {
                text.push_str(l);
                text.push('\n');
            }
            _ => {}
        }
    }
    assert!(sources.len() >= 16, "todo and the language examples");
    for (label, src) in sources {
        let sql = common::build(&src);
        if let Some(why) = common::needs_newer_server(&sql) {
            eprintln!("{label}: not round-tripped: {why}");
            continue;
        }
        let sql_file = dir.path().join("original.sql");
        std::fs::write(&sql_file, &sql).expect("write SQL");
        let original = cluster.create_database().expect("create database");
        common::psql_file(cluster, &original, &sql_file);
        let out = common::strata()
            .args(["inspect", &cluster.url(&original)])
            .output()
            .expect("run strata inspect");
        assert_eq!(
            out.status.code(),
            Some(0),
            "{label}: strata inspect warned or failed:\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let strata_file = dir.path().join("inspected.strata");
        std::fs::write(&strata_file, &out.stdout).expect("write .strata");
        let rebuilt = common::build(&strata_file);
        let rebuilt_file = dir.path().join("rebuilt.sql");
        std::fs::write(&rebuilt_file, &rebuilt).expect("write SQL");
        let copy = cluster.create_database().expect("create database");
        common::psql_file(cluster, &copy, &rebuilt_file);
        let (a, b) = (
            common::schema_snapshot(cluster, &original),
            common::schema_snapshot(cluster, &copy),
        );
        assert!(
            a == b,
            "{label}: pg_dump differs after inspect → .strata → build; first difference at {}\n--- .strata ---\n{}",
            common::first_difference(&a, &b),
            String::from_utf8_lossy(&out.stdout)
        );
    }
}
