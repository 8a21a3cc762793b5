//! Every rendered model applies to a real PostgreSQL server, and creates what it says.

mod common;

use std::error::Error;
use std::sync::Mutex;

use strata_model::Model;
use strata_pg::postgres::Client;
use strata_sql::{RenderOptions, render};

type TestResult = Result<(), Box<dyn Error>>;

/// Roles are cluster-wide: create the ones the models grant to once per process.
static ROLES: Mutex<bool> = Mutex::new(false);

/// A fresh database on the shared throwaway cluster, with the roles the models use.
fn fresh_database() -> Result<Client, Box<dyn Error>> {
    let cluster = strata_pg::shared_cluster()?;
    let db = cluster.create_database()?;
    let mut client = cluster.connect(&db)?;
    let mut created = ROLES.lock().unwrap_or_else(|e| e.into_inner());
    if !*created {
        client
            .batch_execute("CREATE ROLE strata_app NOLOGIN; CREATE ROLE \"Strata App\" NOLOGIN;")?;
        *created = true;
    }
    Ok(client)
}

fn apply(client: &mut Client, model: &Model) -> TestResult {
    let sql = render(model, &RenderOptions::default())?;
    if let Err(e) = strata_pg::apply_sql(client, &sql) {
        return Err(format!("{e}\n--- script ---\n{sql}").into());
    }
    Ok(())
}

fn count(
    client: &mut Client,
    sql: &str,
    params: &[&(dyn strata_pg::postgres::types::ToSql + Sync)],
) -> Result<i64, Box<dyn Error>> {
    Ok(client.query_one(sql, params)?.get(0))
}

#[test]
fn todo_applies() -> TestResult {
    let mut client = fresh_database()?;
    apply(&mut client, &common::todo())?;
    // The raw SQL ran after everything else, through the domain and its checks.
    assert_eq!(
        count(&mut client, "SELECT count(*) FROM public.users", &[])?,
        1
    );
    // The comment survived byte for byte.
    let comment: Option<String> = client
        .query_one(
            "SELECT obj_description('public.users'::regclass, 'pg_class')",
            &[],
        )?
        .get(0);
    assert_eq!(
        comment.as_deref(),
        Some("A person who signs in.\nSecond line with 'quotes' and \\backslash.")
    );
    // The policies exist with the right roles.
    let roles: Vec<String> = client
        .query_one(
            "SELECT roles::text[] FROM pg_policies WHERE policyname = 'tasks_not_deleted'",
            &[],
        )?
        .get(0);
    assert_eq!(
        roles,
        vec!["Strata App".to_string(), "strata_app".to_string()]
    );
    Ok(())
}

#[test]
fn partitioned_applies_without_duplicating_inherited_objects() -> TestResult {
    let mut client = fresh_database()?;
    apply(&mut client, &common::partitioned())?;
    // The partition's own index matching the parent's was attached, not duplicated.
    let indexes: Vec<String> = client
        .query(
            "SELECT indexname FROM pg_indexes WHERE tablename = 'measurements_2024' ORDER BY 1",
            &[],
        )?
        .iter()
        .map(|r| r.get(0))
        .collect();
    assert_eq!(
        indexes,
        [
            "idx_measurements_2024_value",
            "measurements_2024_pkey",
            "measurements_2024_recorded_at_idx",
        ]
    );
    assert_eq!(
        count(
            &mut client,
            "SELECT count(*) FROM pg_inherits WHERE inhrelid = 'public.measurements_2024_recorded_at_idx'::regclass \
             AND inhparent = 'public.idx_measurements_recorded_at'::regclass",
            &[],
        )?,
        1
    );
    // One foreign key on the partition, attached to the parent's.
    let fks: Vec<(String, bool)> = client
        .query(
            "SELECT conname::text, conparentid <> 0 FROM pg_constraint \
             WHERE conrelid = 'public.measurements_2024'::regclass AND contype = 'f'",
            &[],
        )?
        .iter()
        .map(|r| (r.get(0), r.get(1)))
        .collect();
    assert_eq!(fks, [("measurements_device_id_fkey".to_string(), true)]);
    // One trigger on the deepest partition: the clone of the parent's.
    assert_eq!(
        count(
            &mut client,
            "SELECT count(*) FROM pg_trigger WHERE tgrelid = 'public.measurements_2025_0'::regclass AND NOT tgisinternal",
            &[],
        )?,
        1
    );
    // The partition's own default.
    let default: String = client
        .query_one(
            "SELECT pg_get_expr(d.adbin, d.adrelid) FROM pg_attrdef d \
             JOIN pg_attribute a ON a.attrelid = d.adrelid AND a.attnum = d.adnum \
             WHERE d.adrelid = 'public.measurements_2024'::regclass AND a.attname = 'source'",
            &[],
        )?
        .get(0);
    assert_eq!(default, "'import'::text");
    // ... while the other partitions inherit the parent's, at every level.
    let inherited: String = client
        .query_one(
            "SELECT pg_get_expr(d.adbin, d.adrelid) FROM pg_attrdef d \
             JOIN pg_attribute a ON a.attrelid = d.adrelid AND a.attnum = d.adnum \
             WHERE d.adrelid = 'public.measurements_2025_0'::regclass AND a.attname = 'source'",
            &[],
        )?
        .get(0);
    assert_eq!(inherited, "'sensor'::text");
    // Rows route through both partition levels.
    client.batch_execute(
        "INSERT INTO public.devices VALUES (1, 'd'); \
         INSERT INTO public.measurements (device_id, recorded_at, region, value) \
         VALUES (1, '2024-06-01', 'eu', 1), (1, '2025-06-01', 'eu', 2), (1, '2030-01-01', 'us', 3);",
    )?;
    assert_eq!(
        count(
            &mut client,
            "SELECT count(*) FROM public.measurements_2025",
            &[]
        )?,
        1
    );
    Ok(())
}

#[test]
fn materialized_applies() -> TestResult {
    let mut client = fresh_database()?;
    apply(&mut client, &common::materialized())?;
    assert_eq!(
        count(
            &mut client,
            "SELECT count(*) FROM pg_indexes WHERE tablename = 'customer_totals'",
            &[],
        )?,
        2
    );
    Ok(())
}

#[test]
fn distributed_applies_without_citus() -> TestResult {
    let mut client = fresh_database()?;
    apply(&mut client, &common::distributed())?;
    assert_eq!(
        count(
            &mut client,
            "SELECT count(*) FROM pg_class WHERE relname IN ('plans', 'tenants', 'projects')",
            &[]
        )?,
        3
    );
    Ok(())
}

#[test]
fn hostile_names_are_created_exactly_and_nothing_else_happens() -> TestResult {
    let mut client = fresh_database()?;
    client.batch_execute("CREATE TABLE x (id int); INSERT INTO x VALUES (42);")?;
    apply(&mut client, &common::hostile())?;

    // `x` is untouched: still there, still holding its row, and no other `x` appeared.
    assert_eq!(
        count(
            &mut client,
            "SELECT count(*) FROM public.x WHERE id = 42",
            &[]
        )?,
        1
    );
    assert_eq!(
        count(
            &mut client,
            "SELECT count(*) FROM pg_class WHERE relname = 'x'",
            &[]
        )?,
        1
    );

    let table = "\"; drop table x; --";
    let schema = "My Schema";
    assert_eq!(
        count(
            &mut client,
            "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace \
             WHERE n.nspname = $1 AND c.relname = $2 AND c.relkind = 'r'",
            &[&schema, &table],
        )?,
        1
    );
    let columns: Vec<String> = client
        .query(
            "SELECT a.attname::text FROM pg_attribute a \
             JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace \
             WHERE n.nspname = $1 AND c.relname = $2 AND a.attnum > 0 AND NOT a.attisdropped \
             ORDER BY a.attnum",
            &[&schema, &table],
        )?
        .iter()
        .map(|r| r.get(0))
        .collect();
    assert_eq!(
        columns,
        [
            "user",
            "Order",
            "with space",
            "naïve ünïcode 表",
            "quo\"te",
            "select",
            "state",
            "states",
        ]
    );
    let labels: Vec<String> = client
        .query(
            "SELECT e.enumlabel::text FROM pg_enum e JOIN pg_type t ON t.oid = e.enumtypid \
             WHERE t.typname = 'it''s status' ORDER BY e.enumsortorder",
            &[],
        )?
        .iter()
        .map(|r| r.get(0))
        .collect();
    assert_eq!(labels, ["it's", "\"quoted\"", "$body$", "naïve"]);
    for (kind, name) in [
        ("c", "pk \"evil\""),
        ("c", "Unique Order"),
        ("c", "check'; drop table x; --"),
        ("c", "fk \"evil\"; drop table x; --"),
    ] {
        assert_eq!(
            count(
                &mut client,
                "SELECT count(*) FROM pg_constraint WHERE conname = $1",
                &[&name],
            )?,
            1,
            "{kind} {name}"
        );
    }
    assert_eq!(
        count(
            &mut client,
            "SELECT count(*) FROM pg_class WHERE relname = 'idx \"evil\" $body$' AND relkind = 'i'",
            &[],
        )?,
        1
    );
    assert_eq!(
        count(
            &mut client,
            "SELECT count(*) FROM pg_trigger WHERE tgname = 'trg \"evil\"'",
            &[]
        )?,
        1
    );
    let comment: Option<String> = client
        .query_one(
            "SELECT col_description(c.oid, 1) FROM pg_class c WHERE c.relname = $1",
            &[&table],
        )?
        .get(0);
    assert_eq!(comment.as_deref(), Some("'); DROP TABLE x; --"));
    // The trigger passes its hostile arguments through verbatim.
    let args: Vec<u8> = client
        .query_one(
            "SELECT tgargs FROM pg_trigger WHERE tgname = 'trg \"evil\"'",
            &[],
        )?
        .get(0);
    assert_eq!(args, b"'); DROP TABLE x; --\0$$\0");
    Ok(())
}

/// The scripts also apply through `psql` (its lexer handles dollar quotes and comments), as
/// a user would run them. Skipped when the cluster's binaries come without `psql`.
#[test]
fn every_model_applies_with_psql() -> TestResult {
    use std::io::Write;
    use std::process::{Command, Stdio};

    let cluster = strata_pg::shared_cluster()?;
    let Some(psql) = cluster.client_program("psql") else {
        eprintln!("skipped: no psql for {}", cluster.bin_dir().display());
        return Ok(());
    };
    drop(fresh_database()?); // the roles
    for (name, model) in common::all() {
        let db = cluster.create_database()?;
        let sql = render(&model, &RenderOptions::default())?;
        let mut child = Command::new(&psql)
            .args(["-X", "-q", "-1", "-v", "ON_ERROR_STOP=1", "-f", "-", "-d"])
            .arg(cluster.url(&db))
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()?;
        if let Some(mut stdin) = child.stdin.take() {
            stdin.write_all(sql.as_bytes())?;
        }
        let output = child.wait_with_output()?;
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(output.status.success(), "{name}: psql failed:\n{stderr}");
        assert!(!stderr.contains("ERROR"), "{name}: {stderr}");
    }
    Ok(())
}
