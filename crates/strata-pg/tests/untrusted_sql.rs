//! Applying SQL nobody vouched for: a time limit the script cannot lift, a script that ends
//! its own transaction reported instead of half applied, and a sandbox role without
//! superuser rights.

use std::time::{Duration, Instant};

use strata_pg::{ApplyError, Sandbox, apply_untrusted_sql};

#[test]
fn a_script_that_ends_its_transaction_is_reported() {
    let sandbox = Sandbox::start(Duration::from_secs(30)).expect("sandbox");
    let mut client = sandbox.connect().expect("connect");
    for script in [
        "CREATE TABLE a (id int);\nROLLBACK;\nCREATE TABLE b (id int);\n",
        "CREATE TABLE c (id int);\nCOMMIT;\n",
        "CREATE TABLE d (id int);\nCOMMIT;\nBEGIN;\n",
    ] {
        match apply_untrusted_sql(&mut client, script, Duration::from_secs(30)) {
            Err(ApplyError::TransactionEnded) => {}
            other => panic!("{script}: expected TransactionEnded, got {other:?}"),
        }
    }
    // An ordinary script still commits.
    apply_untrusted_sql(
        &mut client,
        "CREATE TABLE e (id int);",
        Duration::from_secs(30),
    )
    .expect("plain script");
    let e: i64 = client
        .query_one("SELECT count(*) FROM pg_class WHERE relname = 'e'", &[])
        .expect("query")
        .get(0);
    assert_eq!(e, 1);
}

#[test]
fn the_time_limit_holds_whatever_the_script_sets() {
    let sandbox = Sandbox::start(Duration::from_secs(30)).expect("sandbox");
    let mut client = sandbox.connect().expect("connect");
    let started = Instant::now();
    let result = apply_untrusted_sql(
        &mut client,
        "SET statement_timeout = 0;\nSELECT pg_sleep(600);\n",
        Duration::from_secs(1),
    );
    assert!(matches!(result, Err(ApplyError::TimedOut(_))), "{result:?}");
    assert!(started.elapsed() < Duration::from_secs(20));
    // The connection is usable afterwards.
    client.batch_execute("SELECT 1").expect("still usable");
}

#[test]
fn the_sandbox_role_is_not_privileged() {
    let sandbox = Sandbox::start(Duration::from_secs(5)).expect("sandbox");
    let mut client = sandbox.connect().expect("connect");
    let row = client
        .query_one(
            "SELECT r.rolname::text, r.rolsuper, r.rolcreaterole, r.rolcreatedb, r.rolbypassrls,
                    pg_has_role(current_user, 'pg_read_server_files', 'USAGE'),
                    pg_has_role(current_user, 'pg_write_server_files', 'USAGE'),
                    pg_has_role(current_user, 'pg_execute_server_program', 'USAGE'),
                    current_setting('statement_timeout')
               FROM pg_roles r WHERE r.rolname = current_user",
            &[],
        )
        .expect("query");
    assert_eq!(row.get::<_, String>(0), "postgres");
    for i in 1..=7 {
        assert!(!row.get::<_, bool>(i), "column {i} is true");
    }
    assert_eq!(row.get::<_, String>(8), "5s");
}
