//! The lock and rewrite facts of `strata_diff::lock_facts`, proved on the running server's
//! major (15 in every run, 14 to 18 through `scripts/test_versions`): each operation runs in an
//! open transaction on a table with rows, a second connection reads from `pg_locks` the
//! strongest lock the transaction holds on the table, and `pg_relation_filenode` says whether
//! the table got a new file. An operation the facts say cannot run in a transaction block is
//! refused there by the server.

use strata_diff::LockLevel;
use strata_diff::lock_facts::{Operation, fact_of};
use strata_pg::postgres::Client;

const SETUP: &str = "
CREATE TABLE p (id int PRIMARY KEY);
INSERT INTO p SELECT g FROM generate_series(1, 10) g;
CREATE TABLE t (id int PRIMARY KEY, a int, b text, c int);
INSERT INTO t SELECT g, g, 'x' || g, NULL FROM generate_series(1, 200) g;
CREATE DOMAIN positive AS int CHECK (VALUE > 0);
CREATE TYPE mood AS ENUM ('calm');
CREATE TABLE pt (at int NOT NULL) PARTITION BY RANGE (at);
CREATE TABLE pt_1 PARTITION OF pt FOR VALUES FROM (0) TO (100);
CREATE TABLE pt_2 (at int NOT NULL);
INSERT INTO pt VALUES (1), (2);
CREATE FUNCTION noop() RETURNS trigger LANGUAGE plpgsql AS 'BEGIN RETURN NEW; END';
";

/// (operation, extra setup, statement, the table whose lock and file are read).
fn cases() -> Vec<(Operation, &'static str, &'static str, &'static str)> {
    use Operation::*;
    vec![
        (CreateIndex, "", "CREATE INDEX ON t (a)", "t"),
        (
            DropIndex,
            "CREATE INDEX t_a_idx ON t (a)",
            "DROP INDEX t_a_idx",
            "t",
        ),
        (Reindex, "", "REINDEX TABLE t", "t"),
        (
            AddColumn,
            "",
            "ALTER TABLE t ADD COLUMN d int DEFAULT 0",
            "t",
        ),
        (
            AddColumnVolatileDefault,
            "",
            "ALTER TABLE t ADD COLUMN d float8 DEFAULT random()",
            "t",
        ),
        (
            AddColumnConstrainedDomain,
            "",
            "ALTER TABLE t ADD COLUMN d positive DEFAULT 1",
            "t",
        ),
        (
            AddColumnGeneratedStored,
            "",
            "ALTER TABLE t ADD COLUMN d int GENERATED ALWAYS AS (a * 2) STORED",
            "t",
        ),
        (
            AddColumnGeneratedVirtual,
            "",
            "ALTER TABLE t ADD COLUMN d int GENERATED ALWAYS AS (a * 2) VIRTUAL",
            "t",
        ),
        (DropColumn, "", "ALTER TABLE t DROP COLUMN b", "t"),
        (RenameColumn, "", "ALTER TABLE t RENAME COLUMN b TO b2", "t"),
        (RenameTable, "", "ALTER TABLE t RENAME TO t2", "t"),
        (
            AlterColumnType,
            "",
            "ALTER TABLE t ALTER COLUMN a TYPE bigint",
            "t",
        ),
        (
            SetNotNull,
            "",
            "ALTER TABLE t ALTER COLUMN a SET NOT NULL",
            "t",
        ),
        (
            DropNotNull,
            "ALTER TABLE t ALTER COLUMN b SET NOT NULL",
            "ALTER TABLE t ALTER COLUMN b DROP NOT NULL",
            "t",
        ),
        (
            SetDefault,
            "",
            "ALTER TABLE t ALTER COLUMN a SET DEFAULT 1",
            "t",
        ),
        (
            AddCheck,
            "",
            "ALTER TABLE t ADD CONSTRAINT t_a_check CHECK (a > 0)",
            "t",
        ),
        (
            AddCheckNotValid,
            "",
            "ALTER TABLE t ADD CONSTRAINT t_a_check CHECK (a > 0) NOT VALID",
            "t",
        ),
        (
            AddForeignKey,
            "",
            "ALTER TABLE t ADD CONSTRAINT t_c_fkey FOREIGN KEY (c) REFERENCES p (id)",
            "t",
        ),
        (
            AddForeignKeyNotValid,
            "",
            "ALTER TABLE t ADD CONSTRAINT t_c_fkey FOREIGN KEY (c) REFERENCES p (id) NOT VALID",
            "t",
        ),
        (
            AddNotNullNotValid,
            "",
            "ALTER TABLE t ADD CONSTRAINT t_a_not_null NOT NULL a NOT VALID",
            "t",
        ),
        (
            ValidateConstraint,
            "ALTER TABLE t ADD CONSTRAINT t_a_check CHECK (a > 0) NOT VALID",
            "ALTER TABLE t VALIDATE CONSTRAINT t_a_check",
            "t",
        ),
        (
            AddUniqueOrPrimaryKey,
            "",
            "ALTER TABLE t ADD CONSTRAINT t_a_key UNIQUE (a)",
            "t",
        ),
        (
            AddConstraintUsingIndex,
            "CREATE UNIQUE INDEX t_a_key ON t (a)",
            "ALTER TABLE t ADD CONSTRAINT t_a_key UNIQUE USING INDEX t_a_key",
            "t",
        ),
        (
            DropConstraint,
            "ALTER TABLE t ADD CONSTRAINT t_a_check CHECK (a > 0)",
            "ALTER TABLE t DROP CONSTRAINT t_a_check",
            "t",
        ),
        (
            AttachPartition,
            "",
            "ALTER TABLE pt ATTACH PARTITION pt_2 FOR VALUES FROM (100) TO (200)",
            "pt",
        ),
        (
            DetachPartition,
            "",
            "ALTER TABLE pt DETACH PARTITION pt_1",
            "pt",
        ),
        (DropTable, "", "DROP TABLE t", "t"),
        (Truncate, "", "TRUNCATE t", "t"),
        (
            CreateTrigger,
            "",
            "CREATE TRIGGER t_noop BEFORE UPDATE ON t FOR EACH ROW EXECUTE FUNCTION noop()",
            "t",
        ),
        (
            SetStatisticsOrStorage,
            "",
            "ALTER TABLE t ALTER COLUMN a SET STATISTICS 500",
            "t",
        ),
        (
            SetStatisticsOrStorage,
            "",
            "ALTER TABLE t SET (fillfactor = 70)",
            "t",
        ),
        (EnumAddValue, "", "ALTER TYPE mood ADD VALUE 'glad'", "t"),
    ]
}

/// Operations PostgreSQL runs only outside a transaction block.
fn outside() -> Vec<(Operation, &'static str)> {
    use Operation::*;
    vec![
        (
            CreateIndexConcurrently,
            "CREATE INDEX CONCURRENTLY ON t (a)",
        ),
        (DropIndexConcurrently, "DROP INDEX CONCURRENTLY t_pkey"),
        (ReindexConcurrently, "REINDEX TABLE CONCURRENTLY t"),
        (
            DetachPartitionConcurrently,
            "ALTER TABLE pt DETACH PARTITION pt_1 CONCURRENTLY",
        ),
        (VacuumFullOrCluster, "VACUUM FULL t"),
    ]
}

fn rank_of_mode(mode: &str) -> u8 {
    match mode {
        "ShareUpdateExclusiveLock" => 4,
        "ShareLock" => 5,
        "ShareRowExclusiveLock" => 6,
        "ExclusiveLock" => 7,
        "AccessExclusiveLock" => 8,
        _ => 0,
    }
}

fn rank_of_level(lock: LockLevel) -> u8 {
    match lock {
        LockLevel::None => 0,
        LockLevel::ShareUpdateExclusive => 4,
        LockLevel::Share => 5,
        LockLevel::ShareRowExclusive => 6,
        LockLevel::AccessExclusive => 8,
    }
}

fn fresh(cluster: &strata_pg::Cluster) -> (String, Client) {
    let db = cluster.create_database().expect("database");
    let mut c = cluster.connect(&db).expect("connect");
    c.batch_execute(SETUP).expect("setup");
    (db, c)
}

#[test]
fn lock_and_rewrite_facts_hold_on_this_server() {
    let cluster = strata_pg::shared_cluster().expect("cluster");
    let major = cluster.server_version_num() / 10000;
    let mut observer = cluster.connect("postgres").expect("observer");
    let mut wrong = Vec::new();
    for (op, extra, sql, table) in cases() {
        let Some(fact) = fact_of(op, major) else {
            continue;
        };
        let (db, mut c) = fresh(cluster);
        if !extra.is_empty() {
            c.batch_execute(extra).expect("extra setup");
        }
        let row = c
            .query_one(
                "SELECT $1::text::regclass::oid, pg_relation_filenode($1::text::regclass)::oid, pg_backend_pid()",
                &[&table],
            )
            .expect("table");
        let (oid, file, pid): (u32, Option<u32>, i32) = (row.get(0), row.get(1), row.get(2));
        c.batch_execute("BEGIN").expect("begin");
        if let Err(e) = c.batch_execute(sql) {
            wrong.push(format!("{op:?}: `{sql}` failed on {major}: {e}"));
            continue;
        }
        let strongest = observer
            .query(
                "SELECT mode::text FROM pg_locks WHERE pid = $1 AND locktype = 'relation' AND relation = $2 AND granted",
                &[&pid, &oid],
            )
            .expect("pg_locks")
            .iter()
            .map(|r| rank_of_mode(&r.get::<_, String>(0)))
            .max()
            .unwrap_or(0);
        if strongest != rank_of_level(fact.lock) {
            wrong.push(format!(
                "{op:?}: `{sql}` holds lock rank {strongest} on {table} on {major}; the facts say {}",
                fact.lock.sql()
            ));
        }
        // A dropped table has no file left; a truncated one gets an empty new file without
        // copying a row: neither is a rewrite of the rows.
        if !matches!(op, Operation::DropTable | Operation::Truncate) {
            let after: Option<u32> = c
                .query_one("SELECT pg_relation_filenode($1::oid)::oid", &[&oid])
                .expect("file")
                .get(0);
            if (after != file) != fact.rewrites {
                wrong.push(format!(
                    "{op:?}: `{sql}` {} {table} on {major}; the facts say rewrites = {}",
                    if after != file {
                        "rewrote"
                    } else {
                        "did not rewrite"
                    },
                    fact.rewrites
                ));
            }
        }
        if !fact.in_transaction {
            wrong.push(format!(
                "{op:?}: ran in a transaction block, the facts say it cannot"
            ));
        }
        c.batch_execute("ROLLBACK").expect("rollback");
        drop(c);
        let _ = observer.batch_execute(&format!("DROP DATABASE \"{db}\""));
    }
    for (op, sql) in outside() {
        let fact = fact_of(op, major).expect("every major");
        let (db, mut c) = fresh(cluster);
        let refused = c
            .batch_execute(&format!("BEGIN; {sql}; COMMIT"))
            .err()
            .and_then(|e| e.code().map(|s| s.code().to_string()));
        // 25001: active_sql_transaction ("cannot run inside a transaction block").
        if (refused.as_deref() == Some("25001")) == fact.in_transaction {
            wrong.push(format!(
                "{op:?}: `{sql}` in a transaction block gave {refused:?} on {major}; the facts say in_transaction = {}",
                fact.in_transaction
            ));
        }
        drop(c);
        let _ = observer.batch_execute(&format!("DROP DATABASE \"{db}\""));
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}
