//! The tracer ([`strata_lint::trace`]) on a real server: locks read from a second connection,
//! rewrites from `pg_relation_filenode`, `lock_timeout`, the runner's transaction, and the
//! comparison with the static prediction (which must fail when the prediction is wrong). And
//! M006 with function volatility read from `pg_proc`.

use strata_lint::migration::{Migration, SqlFile};
use strata_lint::trace::{self, Status, Transaction, Volatility};
use strata_lint::{Config, Input};

const BEFORE: &str = "
CREATE TABLE orders (id bigint PRIMARY KEY, total numeric NOT NULL);
INSERT INTO orders SELECT g, g FROM generate_series(1, 1000) g;
CREATE FUNCTION next_code() RETURNS text LANGUAGE sql VOLATILE AS $$ SELECT md5(random()::text) $$;
CREATE FUNCTION fixed_code() RETURNS text LANGUAGE sql IMMUTABLE AS $$ SELECT 'x' $$;
";

struct Db {
    name: String,
    runner: strata_pg::postgres::Client,
    observer: strata_pg::postgres::Client,
}

impl Drop for Db {
    fn drop(&mut self) {
        if let Ok(cluster) = strata_pg::shared_cluster()
            && let Ok(mut admin) = cluster.connect("postgres")
        {
            let _ = admin.batch_execute(&format!(
                "DROP DATABASE IF EXISTS \"{}\" WITH (FORCE)",
                self.name
            ));
        }
    }
}

fn db(before: &str) -> Db {
    let cluster = strata_pg::shared_cluster().expect("throwaway cluster");
    let name = cluster.create_database().expect("database");
    let mut runner = cluster.connect(&name).expect("connect");
    runner.batch_execute(before).expect("before schema");
    let observer = cluster.connect(&name).expect("observer");
    Db {
        name,
        runner,
        observer,
    }
}

fn migration(text: &str, runner_transaction: bool) -> Migration {
    Migration::read(&[SqlFile {
        name: "m.sql".into(),
        text: text.into(),
        runner_transaction,
    }])
}

fn lint(m: &Migration, code: &str) -> Vec<strata_lint::Finding> {
    let config = Config {
        select: vec![code.to_string()],
        ..Config::default()
    };
    let input = Input {
        model: None,
        migration: Some(m),
        health: None,
    };
    strata_lint::lint(&input, &config, &[]).findings
}

#[test]
fn m006_reads_volatility_from_pg_proc() {
    let mut d = db(BEFORE);
    let text = "ALTER TABLE orders ADD COLUMN code text DEFAULT next_code();\n\
                ALTER TABLE orders ADD COLUMN fixed text DEFAULT fixed_code();\n\
                ALTER TABLE orders ADD COLUMN at timestamptz DEFAULT now();\n\
                ALTER TABLE orders ADD COLUMN noise float8 DEFAULT random();\n";
    let functions = trace::function_volatility(&mut d.runner).expect("pg_proc");
    assert_eq!(
        functions.get("public.next_code"),
        Some(&Volatility::Volatile)
    );
    assert_eq!(
        functions.get("public.fixed_code"),
        Some(&Volatility::Immutable)
    );
    assert_eq!(functions.get("pg_catalog.now"), Some(&Volatility::Stable));
    let m = migration(text, false).with_server_functions(functions);
    let findings = lint(&m, "M006");
    let flagged: Vec<(&str, Option<u32>)> = findings
        .iter()
        .map(|f| (f.object.as_str(), f.line))
        .collect();
    assert_eq!(
        flagged,
        [
            ("public.orders.code", Some(1)),
            ("public.orders.noise", Some(4))
        ]
    );
    // Without the server, a function of the user's is unknown: only the built-in is caught.
    let blind = lint(&migration(text, false), "M006");
    assert_eq!(blind.len(), 1, "{blind:?}");
    // The server agrees: the volatile defaults rewrote the table, the others did not.
    let t = trace::trace(
        &mut d.runner,
        &mut d.observer,
        &m,
        &findings,
        &Default::default(),
    )
    .expect("trace");
    let rewritten: Vec<bool> = t.steps.iter().map(|s| !s.rewritten.is_empty()).collect();
    assert_eq!(rewritten, [true, false, false, true]);
    assert!(t.disagreements().is_empty(), "{:?}", t.disagreements());
}

#[test]
fn m006_knows_constrained_domains_from_the_server_and_the_migration() {
    let mut d = db(&format!(
        "{BEFORE}CREATE DOMAIN positive_int AS int CHECK (VALUE > 0);\n\
         CREATE DOMAIN plain_int AS int;\n"
    ));
    let text = "ALTER TABLE orders ADD COLUMN q positive_int;\n\
                ALTER TABLE orders ADD COLUMN r plain_int;\n\
                CREATE DOMAIN code_text AS text NOT NULL DEFAULT 'x';\n\
                ALTER TABLE orders ADD COLUMN s public.code_text;\n";
    let domains = trace::constrained_domains(&mut d.runner).expect("pg_type");
    assert!(domains.contains("public.positive_int") && !domains.contains("public.plain_int"));
    let m = migration(text, false).with_server_domains(domains);
    let findings = lint(&m, "M006");
    let objects: Vec<&str> = findings.iter().map(|f| f.object.as_str()).collect();
    assert_eq!(objects, ["public.orders.q", "public.orders.s"]);
    // Without the server, only the domain the migration creates is known.
    let blind = lint(&migration(text, false), "M006");
    assert_eq!(blind.len(), 1, "{blind:?}");
    let t = trace::trace(
        &mut d.runner,
        &mut d.observer,
        &m,
        &findings,
        &Default::default(),
    )
    .expect("trace");
    let rewritten: Vec<bool> = t.steps.iter().map(|s| !s.rewritten.is_empty()).collect();
    assert_eq!(rewritten, [true, false, false, true]);
    assert!(t.disagreements().is_empty(), "{:?}", t.disagreements());
}

#[test]
fn m006_knows_functions_the_migration_creates() {
    let text = "CREATE FUNCTION later_code() RETURNS text LANGUAGE sql AS $$ SELECT 'y' $$;\n\
                ALTER TABLE orders ADD COLUMN a text DEFAULT later_code();\n\
                CREATE OR REPLACE FUNCTION later_code() RETURNS text LANGUAGE sql IMMUTABLE AS $$ SELECT 'y' $$;\n\
                ALTER TABLE orders ADD COLUMN b text DEFAULT public.later_code();\n";
    let findings = lint(&migration(text, false), "M006");
    let objects: Vec<&str> = findings.iter().map(|f| f.object.as_str()).collect();
    assert_eq!(objects, ["public.orders.a"]);
}

#[test]
fn trace_reads_locks_timeouts_transactions_and_rewrites() {
    let mut d = db(BEFORE);
    let text = "SET lock_timeout = '2s';\n\
                CREATE INDEX orders_total ON orders (total);\n\
                RESET lock_timeout;\n\
                CREATE INDEX CONCURRENTLY orders_total2 ON orders (total);\n\
                BEGIN;\n\
                ALTER TABLE orders ALTER COLUMN total TYPE text;\n\
                COMMIT;\n\
                SELECT * FROM no_such_table;\n\
                ANALYZE orders;\n";
    let m = migration(text, false);
    let t =
        trace::trace(&mut d.runner, &mut d.observer, &m, &[], &Default::default()).expect("trace");
    let s = &t.steps;
    assert_eq!(s.len(), 9);
    // CREATE INDEX: SHARE on the table, under the 2 s lock_timeout.
    assert_eq!(s[1].transaction, Transaction::Own);
    assert_eq!(s[1].lock_timeout.as_deref(), Some("2s"));
    let lock = s[1].strongest_new_lock().expect("a lock");
    assert_eq!(
        (lock.relation.as_str(), lock.mode.as_str()),
        ("public.orders", "SHARE")
    );
    assert!(s[1].rewritten.is_empty());
    // Building it reads every row: a sequential scan of the table in the transaction.
    assert_eq!(s[1].scanned, ["public.orders"]);
    // CONCURRENTLY runs outside a transaction, with no lock_timeout.
    assert_eq!(s[3].transaction, Transaction::None);
    assert_eq!(s[3].lock_timeout, None);
    // The type change in the block: ACCESS EXCLUSIVE and a new file, held until COMMIT.
    assert_eq!(s[5].transaction, Transaction::Block);
    assert!(
        s[5].locks
            .iter()
            .any(|l| l.relation == "public.orders" && l.mode == "ACCESS EXCLUSIVE" && l.new)
    );
    assert_eq!(s[5].rewritten, ["public.orders"]);
    assert!(s[5].held_ms >= s[5].elapsed_ms);
    // A failing statement is reported and a plain file goes on, as psql does.
    assert_eq!(s[7].status, Status::Failed);
    assert!(
        s[7].error
            .as_deref()
            .is_some_and(|e| e.contains("no_such_table"))
    );
    assert_eq!(s[8].status, Status::Ran);
}

#[test]
fn runner_transaction_holds_locks_to_the_end_and_stops_at_a_failure() {
    let mut d = db(BEFORE);
    let text = "CREATE INDEX orders_total ON orders (total);\n\
                ALTER TABLE orders ADD COLUMN note text;\n\
                SELECT * FROM no_such_table;\n\
                ALTER TABLE orders ADD COLUMN other text;\n";
    let m = migration(text, true);
    let options = trace::Options {
        stop_on_error: true,
        ..Default::default()
    };
    let t = trace::trace(&mut d.runner, &mut d.observer, &m, &[], &options).expect("trace");
    let s = &t.steps;
    assert!(
        s.iter()
            .take(3)
            .all(|s| s.transaction == Transaction::Runner)
    );
    // The second statement still holds the first one's SHARE lock under its own.
    assert!(
        s[1].locks
            .iter()
            .any(|l| l.relation == "public.orders_total" && !l.new)
    );
    assert_eq!(
        s[1].strongest_new_lock().map(|l| l.mode.as_str()),
        Some("ACCESS EXCLUSIVE")
    );
    assert_eq!(s[2].status, Status::Failed);
    assert_eq!(s[3].status, Status::NotRun);
    // The runner rolled the whole migration back.
    let n: i64 = d
        .runner
        .query_one(
            "SELECT count(*) FROM pg_indexes WHERE indexname = 'orders_total'",
            &[],
        )
        .expect("query")
        .get(0);
    assert_eq!(n, 0);
}

#[test]
fn a_wrong_prediction_is_a_disagreement() {
    let mut d = db(BEFORE);
    let text = "CREATE INDEX orders_total ON orders (total);\n";
    let m = migration(text, false);
    let mut findings = lint(&m, "M001");
    assert_eq!(findings.len(), 1, "{findings:?}");
    let right = trace::trace(
        &mut d.runner,
        &mut d.observer,
        &m,
        &findings,
        &Default::default(),
    )
    .expect("trace");
    assert!(
        right.disagreements().is_empty(),
        "{:?}",
        right.disagreements()
    );
    d.runner
        .batch_execute("DROP INDEX orders_total")
        .expect("drop");
    // The same finding claiming ACCESS EXCLUSIVE and a rewrite: both are contradicted.
    findings[0].message = "building it takes ACCESS EXCLUSIVE and rewrites the table".into();
    let wrong = trace::trace(
        &mut d.runner,
        &mut d.observer,
        &m,
        &findings,
        &Default::default(),
    )
    .expect("trace");
    let problems = wrong.disagreements();
    assert_eq!(problems.len(), 2, "{problems:?}");
    assert!(
        problems[0].contains("the server held SHARE"),
        "{problems:?}"
    );
    assert!(problems[1].contains("file did not change"), "{problems:?}");
    // A claim that every row is read, for a statement that reads none.
    let text = "ALTER TABLE orders ADD CONSTRAINT total_positive CHECK (total > 0) NOT VALID;\n";
    let m = migration(text, false);
    findings[0].message = "this reads every row of public.orders".into();
    findings[0].file = Some("m.sql".into());
    findings[0].line = Some(1);
    let t = trace::trace(
        &mut d.runner,
        &mut d.observer,
        &m,
        &findings,
        &Default::default(),
    )
    .expect("trace");
    let problems = t.disagreements();
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(problems[0].contains("did not scan it"), "{problems:?}");
}

/// Milliseconds vary from run to run: `1.2 ms` becomes `_ ms` in snapshots.
fn without_timings(text: &str) -> String {
    let mut out = String::new();
    for word in text.split_inclusive(' ') {
        let number = word.trim_end();
        if !number.is_empty()
            && number.chars().all(|c| c.is_ascii_digit() || c == '.')
            && number.contains('.')
        {
            out.push_str("_ ");
        } else {
            out.push_str(word);
        }
    }
    out
}

#[test]
fn the_human_report_of_a_trace() {
    let mut d = db(BEFORE);
    let text = "ALTER TABLE orders ADD COLUMN code text DEFAULT next_code();\n\
                BEGIN;\n\
                SET LOCAL lock_timeout = '1s';\n\
                ALTER TABLE orders ADD CONSTRAINT total_positive CHECK (total > 0);\n\
                CREATE INDEX orders_total ON orders (total);\n\
                COMMIT;\n\
                SELECT * FROM no_such_table;\n";
    // (No CONCURRENTLY here: its locks are only sampled, so whether a sample catches them
    // varies from run to run; `trace_reads_locks_timeouts_transactions_and_rewrites` has it.)
    let functions = trace::function_volatility(&mut d.runner).expect("pg_proc");
    let m = migration(text, false).with_server_functions(functions);
    let findings: Vec<_> = ["M006", "M004", "M001", "M025"]
        .iter()
        .flat_map(|c| lint(&m, c))
        .collect();
    let t = trace::trace(
        &mut d.runner,
        &mut d.observer,
        &m,
        &findings,
        &Default::default(),
    )
    .expect("trace");
    let report = without_timings(&trace::human(&t));
    assert!(!report.contains("DISAGREES"), "{report}");
    insta::assert_snapshot!(report);
}
