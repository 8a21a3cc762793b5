//! Catalog cross-check: for the rules with a definition in PostgreSQL's catalog, the findings
//! on a hand-made schema of hard cases (`tests/fixtures/catalog_mix.sql`) and on each real
//! schema of the corpus (pagila, and the Debian packages' schemas that
//! `scripts/fetch_corpus` puts in `target/corpus`) equal what a catalog query written here,
//! independently of the rules, returns: no misses, no extras.
//!
//! Each schema is loaded with psql into a database of a throwaway server and read back as
//! SQL input is. Partitions are left to their partitioned table by the rules, and so by the
//! queries. Without a fetched corpus only pagila is checked, unless `STRATA_CORPUS_REQUIRED=1`.
//!
//! Invalid indexes (`invalid-index`) are read from the live database rather than the model;
//! the hard cases get two, a partitioned index created `ON ONLY` its parent and a concurrent
//! build that failed on duplicate rows, and the rest of the corpus must give none.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use strata_lint::{Config, Input};

fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn schemas() -> Vec<(String, PathBuf)> {
    let mut out = vec![
        (
            "catalog_mix".to_string(),
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/catalog_mix.sql"),
        ),
        (
            "pagila".to_string(),
            repo_root().join("corpus/pagila-schema.sql"),
        ),
    ];
    let dir = repo_root().join("target/corpus");
    let mut found = 0;
    for name in [
        "bacula",
        "freeradius",
        "icinga2-ido",
        "mediawiki",
        "pdns",
        "roundcube",
    ] {
        let file = dir.join(name).join("schema.sql");
        if file.is_file() {
            out.push((name.to_string(), file));
            found += 1;
        }
    }
    if found == 0 && std::env::var("STRATA_CORPUS_REQUIRED").is_ok_and(|v| v == "1") {
        panic!("target/corpus is missing: run scripts/fetch_corpus");
    }
    out
}

fn psql(cluster: &strata_pg::Cluster, db: &str, file: &Path) {
    let out = std::process::Command::new(cluster.client_program("psql").expect("psql"))
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

/// User relations: not in a system schema, not an extension's member.
const USER_REL: &str = "
    n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_%'
    AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass
                    AND d.objid = c.oid AND d.deptype = 'e')";

fn set(client: &mut strata_pg::postgres::Client, sql: &str) -> BTreeSet<String> {
    client
        .query(sql, &[])
        .unwrap_or_else(|e| panic!("{e}\n{sql}"))
        .iter()
        .map(|r| r.get::<_, String>(0))
        .collect()
}

fn catalog_tables_without_pk(client: &mut strata_pg::postgres::Client) -> BTreeSet<String> {
    set(
        client,
        &format!(
            "SELECT n.nspname || '.' || c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
             WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition AND {USER_REL}
               AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conrelid = c.oid AND k.contype = 'p')"
        ),
    )
}

/// Foreign keys no index serves: no valid, non-partial btree index (or one-column hash index)
/// of the table has, among its leading key columns that are columns of the key, the key's first
/// column.
fn catalog_fks_without_index(client: &mut strata_pg::postgres::Client) -> BTreeSet<String> {
    set(
        client,
        &format!(
            "SELECT n.nspname || '.' || c.relname || '.' || k.conname
             FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace
             WHERE k.contype = 'f' AND NOT c.relispartition AND {USER_REL}
               AND NOT EXISTS (
                 SELECT 1 FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid JOIN pg_am am ON am.oid = ic.relam
                 WHERE i.indrelid = c.oid AND i.indpred IS NULL AND i.indisvalid
                   AND (am.amname = 'btree' OR (am.amname = 'hash' AND i.indnkeyatts = 1))
                   AND NOT EXISTS (SELECT 1 FROM pg_constraint x WHERE x.conindid = i.indexrelid AND x.contype = 'x')
                   AND EXISTS (
                     SELECT 1 FROM generate_series(0, i.indnkeyatts - 1) p
                     WHERE i.indkey[p] = k.conkey[1]
                       AND NOT EXISTS (SELECT 1 FROM generate_series(0, p - 1) q
                                       WHERE NOT (i.indkey[q] = ANY (k.conkey)))))"
        ),
    )
}

fn catalog_columns_of(client: &mut strata_pg::postgres::Client, types: &str) -> BTreeSet<String> {
    set(
        client,
        &format!(
            "SELECT n.nspname || '.' || c.relname || '.' || a.attname
             FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
             WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition AND {USER_REL}
               AND a.attnum > 0 AND NOT a.attisdropped AND a.attislocal AND a.atttypid IN ({types})"
        ),
    )
}

/// Serial columns: not identity, a `nextval` default, and a sequence that depends on the
/// column automatically (what `serial` and `ALTER SEQUENCE ... OWNED BY` make).
fn catalog_serials(client: &mut strata_pg::postgres::Client) -> BTreeSet<String> {
    set(
        client,
        &format!(
            "SELECT n.nspname || '.' || c.relname || '.' || a.attname
             FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
             JOIN pg_attrdef ad ON ad.adrelid = c.oid AND ad.adnum = a.attnum
             WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition AND {USER_REL}
               AND a.attnum > 0 AND NOT a.attisdropped AND a.attislocal AND a.attidentity = ''
               AND pg_get_expr(ad.adbin, ad.adrelid) LIKE '%nextval(%'
               AND EXISTS (SELECT 1 FROM pg_depend d JOIN pg_class s ON s.oid = d.objid AND s.relkind = 'S'
                           WHERE d.classid = 'pg_class'::regclass AND d.refobjid = c.oid
                             AND d.refobjsubid = a.attnum AND d.deptype = 'a')"
        ),
    )
}

/// Groups of identical indexes (same table, method, keys, operator classes, collations,
/// options, expressions, predicate, uniqueness, NULLS NOT DISTINCT, and INCLUDE columns as a
/// set): index name → group.
fn catalog_duplicate_groups(client: &mut strata_pg::postgres::Client) -> BTreeMap<String, String> {
    let nnd = if client
        .query_one(
            "SELECT current_setting('server_version_num')::int >= 150000",
            &[],
        )
        .map(|r| r.get::<_, bool>(0))
        .unwrap_or(false)
    {
        "i.indnullsnotdistinct::text"
    } else {
        "''"
    };
    let rows = client
        .query(
            &format!(
                "WITH ix AS (
                   SELECT n.nspname || '.' || c.relname || '.' || ic.relname AS name,
                          concat_ws('|', i.indrelid, am.amname, i.indisunique, {nnd},
                            (i.indkey::int2[])[0:i.indnkeyatts - 1]::text, i.indclass::text,
                            i.indcollation::text, i.indoption::text,
                            coalesce(pg_get_expr(i.indexprs, i.indrelid), ''),
                            coalesce(pg_get_expr(i.indpred, i.indrelid), ''),
                            (SELECT coalesce(array_agg(x ORDER BY x), '{{}}')::text
                             FROM unnest((i.indkey::int2[])[i.indnkeyatts:]) x)) AS def
                   FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid JOIN pg_am am ON am.oid = ic.relam
                   JOIN pg_class c ON c.oid = i.indrelid JOIN pg_namespace n ON n.oid = c.relnamespace
                   WHERE NOT c.relispartition AND i.indisvalid AND {USER_REL}
                     AND NOT EXISTS (SELECT 1 FROM pg_constraint x WHERE x.conindid = i.indexrelid AND x.contype = 'x'))
                 SELECT name, def FROM ix WHERE def IN (SELECT def FROM ix GROUP BY def HAVING count(*) > 1)"
            ),
            &[],
        )
        .expect("duplicate index query");
    rows.iter()
        .map(|r| (r.get::<_, String>(0), r.get::<_, String>(1)))
        .collect()
}

/// Invalid indexes (a failed concurrent build, a partitioned index a partition lacks).
fn catalog_invalid_indexes(client: &mut strata_pg::postgres::Client) -> BTreeSet<String> {
    set(
        client,
        &format!(
            "SELECT n.nspname || '.' || c.relname || '.' || ic.relname
             FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid
             JOIN pg_class c ON c.oid = i.indrelid JOIN pg_namespace n ON n.oid = c.relnamespace
             WHERE NOT i.indisvalid AND {USER_REL}"
        ),
    )
}

/// The live-health findings of `code` on the database `client` is connected to.
fn health_findings_of(client: &mut strata_pg::postgres::Client, code: &str) -> BTreeSet<String> {
    let health = strata_lint::health::collect(client).expect("read the statistics");
    let config = Config {
        select: vec![code.into()],
        ..Config::default()
    };
    strata_lint::lint(
        &Input {
            health: Some(&health),
            ..Input::default()
        },
        &config,
        &[],
    )
    .findings
    .into_iter()
    .map(|f| f.object)
    .collect()
}

fn findings_of(model: &strata_model::Model, code: &str) -> BTreeSet<String> {
    let config = Config {
        select: vec![code.into()],
        ..Config::default()
    };
    strata_lint::lint(
        &Input {
            model: Some(model),
            migration: None,
            health: None,
        },
        &config,
        &[],
    )
    .findings
    .into_iter()
    .map(|f| f.object)
    .collect()
}

#[test]
fn findings_equal_catalog_queries_on_the_corpus() {
    let cluster = strata_pg::shared_cluster().expect("throwaway PostgreSQL cluster");
    let mut failures = Vec::new();
    let mut checked = 0;
    for (name, file) in schemas() {
        let db = cluster.create_database().expect("create database");
        psql(cluster, &db, &file);
        let mut client = cluster.connect(&db).expect("connect");
        let model = strata_pg::introspect(&mut client, &Default::default())
            .expect("introspect")
            .model;
        if name == "catalog_mix" {
            // A concurrent build that fails on duplicate rows leaves its index invalid.
            client
                .batch_execute("INSERT INTO app.log (at, amount) VALUES (now(), 1), (now(), 1)")
                .expect("rows");
            assert!(
                client
                    .batch_execute(
                        "CREATE UNIQUE INDEX CONCURRENTLY log_amount_key ON app.log (amount)"
                    )
                    .is_err(),
                "the concurrent build should fail on the duplicate amounts"
            );
        }
        let invalid = catalog_invalid_indexes(&mut client);
        let have = health_findings_of(&mut client, "H001");
        if have != invalid {
            failures.push(format!(
                "{name} H001: missed {:?}; extra {:?}",
                invalid.difference(&have).collect::<Vec<_>>(),
                have.difference(&invalid).collect::<Vec<_>>()
            ));
        }
        eprintln!("{name} H001: {}", invalid.len());
        checked += invalid.len();
        let mut compare = |code: &str, want: BTreeSet<String>| {
            let have = findings_of(&model, code);
            if have != want {
                failures.push(format!(
                    "{name} {code}: missed {:?}; extra {:?}",
                    want.difference(&have).collect::<Vec<_>>(),
                    have.difference(&want).collect::<Vec<_>>()
                ));
            }
            eprintln!("{name} {code}: {}", want.len());
            checked += want.len();
        };
        compare("D001", catalog_tables_without_pk(&mut client));
        compare("D002", catalog_fks_without_index(&mut client));
        compare(
            "D010",
            catalog_columns_of(&mut client, "'timestamp'::regtype, 'timestamp[]'::regtype"),
        );
        compare("D015", catalog_serials(&mut client));
        compare(
            "D016",
            catalog_columns_of(&mut client, "'json'::regtype, 'json[]'::regtype"),
        );
        compare(
            "D014",
            catalog_columns_of(&mut client, "'money'::regtype, 'money[]'::regtype"),
        );
        // Duplicates: every reported index is in a group of identical ones, and each group
        // has all but one of its members reported.
        let groups = catalog_duplicate_groups(&mut client);
        let have = findings_of(&model, "D022");
        let mut per_group: BTreeMap<&String, (usize, usize)> = BTreeMap::new();
        for (index, group) in &groups {
            let e = per_group.entry(group).or_default();
            e.0 += 1;
            if have.contains(index) {
                e.1 += 1;
            }
        }
        for (group, (members, reported)) in &per_group {
            if *reported != members - 1 {
                failures.push(format!("{name} D022: group {group} has {members} identical indexes, {reported} reported"));
            }
        }
        for index in &have {
            if !groups.contains_key(index) {
                failures.push(format!(
                    "{name} D022: {index} reported but has no identical index"
                ));
            }
        }
        eprintln!("{name} D022: {} in groups", groups.len());
        checked += groups.len();
        // Every rule runs over every real schema (a panic would fail the test), and each
        // finding says something and names its object.
        let all = strata_lint::lint(
            &Input {
                model: Some(&model),
                ..Input::default()
            },
            &Config::default(),
            &[],
        );
        for f in &all.findings {
            if f.message.is_empty() || f.help.is_empty() || f.object.is_empty() {
                failures.push(format!(
                    "{name} {}: a finding without message, help or object: {f:?}",
                    f.code
                ));
            }
        }
        drop(client);
        if let Ok(mut admin) = cluster.connect("postgres") {
            let _ = admin.batch_execute(&format!("DROP DATABASE \"{db}\""));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    // The corpus has findings of these kinds: a check over nothing proves nothing.
    assert!(checked > 10, "only {checked} catalog rows compared");
}
