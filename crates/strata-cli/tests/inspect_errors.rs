//! What bad input gets from `strata inspect`: an SQL error located in the file, a missing
//! extension named with how to get it, a warning naming every object Strata cannot model,
//! and psql meta-commands skipped with a note.

mod common;

use common::*;

fn inspect_file(sql: &str) -> (Option<i32>, String, String) {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("schema.sql");
    std::fs::write(&file, sql).expect("write SQL");
    let out = strata()
        .args(["inspect", "--format", "sql"])
        .arg(&file)
        .output()
        .expect("run strata inspect");
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn sql_error_reports_file_line_and_server_message() {
    let sql = "CREATE TABLE a (id int PRIMARY KEY);\n\nCREATE TABLE b (\n  id int REFERENCES missing_table (id)\n);\n";
    let (code, stdout, stderr) = inspect_file(sql);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stdout.is_empty());
    assert!(stderr.contains("E6003"), "{stderr}");
    assert!(
        stderr.contains("relation \"missing_table\" does not exist"),
        "{stderr}"
    );
    assert!(stderr.contains("schema.sql:3:1"), "the statement: {stderr}");
}

#[test]
fn sql_error_without_a_server_position_points_at_the_statement() {
    // A duplicate key violation carries no position: the statement is found by replaying.
    let sql = "CREATE TABLE a (id int PRIMARY KEY);\nINSERT INTO a VALUES (1);\nINSERT INTO a VALUES (1);\n";
    let (code, _, stderr) = inspect_file(sql);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stderr.contains("duplicate key value"), "{stderr}");
    assert!(stderr.contains("schema.sql:3:1"), "{stderr}");
}

#[test]
fn missing_extension_is_named_with_how_to_get_it() {
    let sql =
        "CREATE EXTENSION IF NOT EXISTS strata_no_such_extension;\nCREATE TABLE t (id int);\n";
    let (code, _, stderr) = inspect_file(sql);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stderr.contains("E6004"), "{stderr}");
    assert!(
        stderr.contains("extension \"strata_no_such_extension\" is not available"),
        "{stderr}"
    );
    // The throwaway cluster is made from the same binaries as the shared one.
    let major = strata_pg::shared_cluster()
        .expect("throwaway PostgreSQL cluster")
        .server_version_num()
        / 10000;
    assert!(
        stderr.contains(&format!(
            "apt-get install postgresql-{major}-strata_no_such_extension"
        )),
        "{stderr}"
    );
}

#[test]
fn meta_commands_are_skipped_with_a_note_and_unknown_roles_created() {
    let sql = "\\restrict abc123\nSELECT pg_catalog.set_config('search_path', '', false);\nCREATE TABLE public.t (id integer NOT NULL);\nALTER TABLE public.t OWNER TO strata_test_owner;\nGRANT SELECT ON TABLE public.t TO strata_test_reader;\n\\unrestrict abc123\n";
    let (code, stdout, stderr) = inspect_file(sql);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(
        stderr.contains("psql meta-command skipped: \\restrict abc123"),
        "{stderr}"
    );
    assert!(stderr.contains("schema.sql:1:1"), "{stderr}");
    assert!(stderr.contains("schema.sql:6:1"), "{stderr}");
    assert!(stderr.contains("strata_test_reader"), "{stderr}");
    assert!(stdout.contains("CREATE TABLE public.t"), "{stdout}");
    assert!(
        stdout.contains("GRANT SELECT ON TABLE public.t TO strata_test_reader;"),
        "{stdout}"
    );
}

#[test]
fn unmodellable_objects_are_each_warned_by_name_and_the_rest_carried() {
    let cluster = strata_pg::shared_cluster().expect("throwaway PostgreSQL cluster");
    let db = cluster.create_database().expect("create database");
    let mut client = cluster.connect(&db).expect("connect");
    strata_pg::apply_sql(
        &mut client,
        "CREATE TABLE t (id int PRIMARY KEY, v int);
         CREATE RULE t_no_delete AS ON DELETE TO t DO INSTEAD NOTHING;
         CREATE TYPE pair AS (a int, b int);
         CREATE TYPE span AS RANGE (subtype = int4);
         CREATE FUNCTION plus(int, int) RETURNS int LANGUAGE sql IMMUTABLE AS 'SELECT $1 + $2';
         CREATE OPERATOR === (LEFTARG = int, RIGHTARG = int, FUNCTION = plus);
         CREATE OPERATOR FAMILY strata_fam USING btree;
         CREATE ACCESS METHOD strata_heap TYPE TABLE HANDLER heap_tableam_handler;
         CREATE TABLE on_other_am (id int) USING strata_heap;
         CREATE TYPE strata_shell;
         CREATE PROCEDURE tidy() LANGUAGE sql AS 'DELETE FROM t';
         CREATE STATISTICS t_stats ON id, v FROM t;
         CREATE FUNCTION noop_evt() RETURNS event_trigger LANGUAGE plpgsql AS 'BEGIN END';
         CREATE EVENT TRIGGER strata_evt ON ddl_command_start EXECUTE FUNCTION noop_evt();
         CREATE PUBLICATION strata_pub FOR TABLE t;
         ALTER TABLE t ALTER COLUMN v SET STATISTICS 500;
         COMMENT ON CONSTRAINT t_pkey ON t IS 'the key';",
    )
    .expect("set up unmodellable objects");
    let out = strata()
        .args(["inspect", "--format", "json", &cluster.url(&db)])
        .output()
        .expect("run strata inspect");
    let stderr = String::from_utf8_lossy(&out.stderr);
    // Cluster-wide objects must not leak into other tests' databases.
    let _ = client.batch_execute("DROP EVENT TRIGGER strata_evt; DROP PUBLICATION strata_pub;");
    assert_eq!(out.status.code(), Some(1), "warnings exit 1: {stderr}");
    let expected = "pseudo-type public.strata_shell: not representable in the model";
    assert!(
        stderr.contains(expected),
        "no warning `{expected}` in:\n{stderr}"
    );
    // The modellable part is still there.
    let model =
        strata_model::Model::from_json(&String::from_utf8_lossy(&out.stdout)).expect("model JSON");
    assert!(model.tables.iter().any(|t| t.name.name == "t"));
    assert!(model.functions.iter().any(|f| f.name.name == "plus"));
    // Rules, procedures, statistics objects, event triggers and publications are carried as
    // the SQL that creates them, not warned about.
    for (kind, name) in [
        ("rule", "public.t.t_no_delete"),
        ("procedure", "public.tidy()"),
        ("statistics", "public.t_stats"),
        ("event trigger", "strata_evt"),
        ("publication", "strata_pub"),
        ("comment", "constraint public.t.t_pkey"),
        ("type", "public.pair"),
        ("type", "public.span"),
        ("operator", "public.===(integer, integer)"),
        ("operator family", "public.strata_fam"),
        ("access method", "strata_heap"),
        ("table access method", "public.on_other_am"),
    ] {
        assert!(
            model
                .verbatim
                .iter()
                .any(|v| v.kind == kind && v.name == name),
            "{kind} {name} not carried: {:?}",
            model.verbatim
        );
        assert!(!stderr.contains(name), "{name} warned about:\n{stderr}");
    }
    // A statistics target is modelled, not warned about.
    assert!(!stderr.contains("column public.t.v"), "{stderr}");
    let v = model
        .tables
        .iter()
        .find(|t| t.name.name == "t")
        .and_then(|t| t.column("v"))
        .expect("column v");
    assert_eq!(v.statistics, Some(500));
}

#[test]
fn schema_and_exclude_select_what_is_read() {
    let mut client = fresh_db_with(
        "CREATE SCHEMA app; CREATE TABLE app.keep (id int); CREATE TABLE app.tmp_x (id int);
         CREATE TABLE public.other (id int);",
    );
    let db: String = client
        .query_one("SELECT current_database()", &[])
        .expect("db")
        .get(0);
    let cluster = strata_pg::shared_cluster().expect("cluster");
    let out = strata()
        .args([
            "inspect",
            "--format",
            "json",
            "--schema",
            "app",
            "--exclude",
            "app.tmp_*",
            &cluster.url(&db),
        ])
        .output()
        .expect("run strata inspect");
    assert_eq!(out.status.code(), Some(0));
    let model =
        strata_model::Model::from_json(&String::from_utf8_lossy(&out.stdout)).expect("model JSON");
    let names: Vec<String> = model.tables.iter().map(|t| t.name.to_string()).collect();
    assert_eq!(names, ["app.keep"]);
    let missing = strata()
        .args(["inspect", "--schema", "nope", &cluster.url(&db)])
        .output()
        .expect("run strata inspect");
    assert_eq!(missing.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("schema \"nope\" does not exist"));
}
