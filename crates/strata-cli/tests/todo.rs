//! The shipped Todo example, proven on a real PostgreSQL server: the catalog has the shape
//! DESIGN.md promises and the database enforces what the seeds require.

mod common;

use common::*;
use postgres::Client;

fn todo_dir() -> std::path::PathBuf {
    repo_root().join("examples/todo")
}

fn todo_db() -> Client {
    fresh_db_with(&build(&todo_dir()))
}

fn sqlstate(e: &postgres::Error) -> String {
    e.code().map(|c| c.code().to_string()).unwrap_or_default()
}

#[test]
fn check_is_clean() {
    strata().arg("check").arg(todo_dir()).assert().code(0);
}

#[test]
fn committed_schema_sql_is_fresh() {
    let built = build(&todo_dir());
    let committed = std::fs::read_to_string(todo_dir().join("schema.sql")).unwrap_or_default();
    assert!(
        built == committed,
        "examples/todo/schema.sql is stale: run `cargo run -p strata-cli -- build examples/todo --out examples/todo/schema.sql`"
    );
}

#[test]
fn keys_types_and_foreign_keys_follow_the_conventions() {
    let mut db = todo_db();
    // Every primary key column is uuid or an identity column.
    let bad_pk = db
        .query(
            "SELECT c.conrelid::regclass::text, a.attname, format_type(a.atttypid, a.atttypmod)
             FROM pg_constraint c JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = ANY (c.conkey)
             JOIN pg_class t ON t.oid = c.conrelid JOIN pg_namespace n ON n.oid = t.relnamespace
             WHERE c.contype = 'p' AND n.nspname = 'public'
               AND a.atttypid <> 'uuid'::regtype AND a.attidentity = ''
               AND NOT EXISTS (SELECT 1 FROM pg_constraint f WHERE f.conrelid = c.conrelid AND f.contype = 'f' AND a.attnum = ANY (f.conkey))",
            &[],
        )
        .expect("query");
    assert!(
        bad_pk.is_empty(),
        "primary key columns that are neither uuid, identity nor a foreign key: {bad_pk:?}"
    );
    let serial: i64 = db
        .query_one(
            "SELECT count(*) FROM pg_attrdef WHERE pg_get_expr(adbin, adrelid) LIKE 'nextval(%'",
            &[],
        )
        .expect("query")
        .get(0);
    assert_eq!(serial, 0, "no serial columns");
    let naive: Vec<String> = db
        .query(
            "SELECT c.relname || '.' || a.attname FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
             JOIN pg_namespace n ON n.oid = c.relnamespace
             WHERE n.nspname = 'public' AND a.attnum > 0 AND NOT a.attisdropped
               AND a.atttypid = 'timestamp without time zone'::regtype",
            &[],
        )
        .expect("query")
        .iter()
        .map(|r| r.get(0))
        .collect();
    assert!(
        naive.is_empty(),
        "timestamp without time zone columns: {naive:?}"
    );
    let tz: i64 = db
        .query_one(
            "SELECT count(*) FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
             WHERE n.nspname = 'public' AND a.atttypid = 'timestamptz'::regtype",
            &[],
        )
        .expect("query")
        .get(0);
    assert!(tz >= 10, "timestamps exist and are timestamptz ({tz})");

    // Every foreign key says what happens on delete and has an index led by its column.
    let fks = db
        .query(
            "SELECT c.conname, c.confdeltype::text, c.conrelid, c.conkey[1]
             FROM pg_constraint c WHERE c.contype = 'f' AND c.connamespace = 'public'::regnamespace",
            &[],
        )
        .expect("query");
    assert!(
        fks.len() >= 8,
        "the todo schema has foreign keys ({})",
        fks.len()
    );
    for fk in &fks {
        let name: String = fk.get(0);
        let del: String = fk.get(1);
        assert_ne!(del, "a", "{name} has no explicit ON DELETE action");
        let rel: postgres::types::Oid = fk.get(2);
        let col: i16 = fk.get(3);
        let indexed: bool = db
            .query_one("SELECT EXISTS (SELECT 1 FROM pg_index WHERE indrelid = $1 AND indkey[0] = $2 AND indpred IS NULL)", &[&rel, &col])
            .expect("query")
            .get(0);
        assert!(
            indexed,
            "{name} has no full index whose leading column is the foreign key"
        );
    }

    // Unique without regard to case: `ann@` and `ANN@` are one address.
    let email_unique: bool = db
        .query_one(
            "SELECT EXISTS (SELECT 1 FROM pg_index i WHERE i.indrelid = 'users'::regclass AND i.indisunique
               AND i.indnkeyatts = 1 AND i.indpred IS NULL
               AND pg_get_indexdef(i.indexrelid) LIKE '%(lower(email))%')",
            &[],
        )
        .expect("query")
        .get(0);
    assert!(email_unique, "users.email is unique, ignoring case");
    db.execute(
        "INSERT INTO users (email, name, password_hash) VALUES ('ann@example.com', 'Ann', 'h')",
        &[],
    )
    .expect("first address");
    let twin = db
        .execute(
            "INSERT INTO users (email, name, password_hash) VALUES ('ANN@example.com', 'Ann', 'h')",
            &[],
        )
        .expect_err("the same address in capitals");
    assert_eq!(sqlstate(&twin), "23505");
    // A small table is read sequentially anyway; without that option the plan shows the index.
    db.batch_execute("SET enable_seqscan = off")
        .expect("no seq scan");
    let login_plan: String = db
        .query(
            "EXPLAIN SELECT id, password_hash FROM users WHERE lower(email) = lower('Ann@Example.com')",
            &[],
        )
        .expect("explain")
        .iter()
        .map(|r| r.get::<_, String>(0))
        .collect::<Vec<_>>()
        .join("\n");
    assert!(login_plan.contains("users_email_key"), "{login_plan}");
}

#[test]
fn indexes_are_minimal() {
    let mut db = todo_db();
    let prefix_pairs = db
        .query(
            "SELECT a.indexrelid::regclass::text, b.indexrelid::regclass::text
             FROM pg_index a JOIN pg_index b ON a.indrelid = b.indrelid AND a.indexrelid <> b.indexrelid
             JOIN pg_class ac ON ac.oid = a.indexrelid JOIN pg_class bc ON bc.oid = b.indexrelid
             WHERE ac.relam = bc.relam
               AND coalesce(pg_get_expr(a.indpred, a.indrelid), '') = coalesce(pg_get_expr(b.indpred, b.indrelid), '')
               AND a.indnkeyatts <= b.indnkeyatts
               AND (a.indkey::int2[])[0:a.indnkeyatts - 1] = (b.indkey::int2[])[0:a.indnkeyatts - 1]
               AND (a.indoption::int2[])[0:a.indnkeyatts - 1] = (b.indoption::int2[])[0:a.indnkeyatts - 1]
               AND NOT a.indisunique
               AND a.indrelid::regclass::text NOT LIKE 'pg_%'",
            &[],
        )
        .expect("query");
    let pairs: Vec<(String, String)> = prefix_pairs.iter().map(|r| (r.get(0), r.get(1))).collect();
    assert!(
        pairs.is_empty(),
        "indexes that are a prefix of another with the same predicate: {pairs:?}"
    );
    let lone_bool = db
        .query(
            "SELECT i.indexrelid::regclass::text FROM pg_index i
             JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0]
             WHERE i.indnkeyatts = 1 AND a.atttypid = 'boolean'::regtype
               AND i.indrelid::regclass::text NOT LIKE 'pg_%'",
            &[],
        )
        .expect("query");
    assert!(
        lone_bool.is_empty(),
        "an index on a lone boolean column exists"
    );
}

/// Runs EXPLAIN with sequential scans discouraged and returns the plan text.
fn plan(db: &mut Client, sql: &str) -> String {
    db.batch_execute("SET enable_seqscan = off; SET enable_bitmapscan = off")
        .expect("settings");
    let rows = db.query(&format!("EXPLAIN {sql}"), &[]).expect("explain");
    rows.iter()
        .map(|r| r.get::<_, String>(0))
        .collect::<Vec<_>>()
        .join("\n")
}

fn leading_column(db: &mut Client, index: &str) -> String {
    db.query_one(
        "SELECT a.attname::text FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0]
         WHERE i.indexrelid = $1::text::regclass",
        &[&index],
    )
    .expect("leading column")
    .get(0)
}

fn index_used(plan: &str) -> Option<String> {
    let at = plan.find(" using ")? + " using ".len();
    Some(plan[at..].split_whitespace().next()?.to_string())
}

#[test]
fn task_queries_are_served_by_user_led_indexes() {
    let mut db = todo_db();
    db.batch_execute(
        "INSERT INTO users (email, name, password_hash) VALUES ('a@example.com', 'A', 'x');
         INSERT INTO tasks (user_id, title, completed)
           SELECT id, 'task ' || g, g % 3 = 0 FROM users, generate_series(1, 500) g;
         ANALYZE",
    )
    .expect("data");
    let id: String = db
        .query_one("SELECT id::text FROM users", &[])
        .expect("user")
        .get(0);
    let uid = format!("'{id}'");
    let open = plan(
        &mut db,
        &format!(
            "SELECT id, title, due_date FROM tasks WHERE user_id = {uid} AND NOT completed AND deleted_at IS NULL ORDER BY created_at DESC LIMIT 20"
        ),
    );
    let idx = index_used(&open).unwrap_or_else(|| panic!("open tasks use no index:\n{open}"));
    assert_eq!(leading_column(&mut db, &idx), "user_id", "{open}");
    assert!(!open.contains("Sort"), "open tasks need no sort:\n{open}");

    let by_completion = plan(
        &mut db,
        &format!(
            "SELECT * FROM tasks WHERE user_id = {uid} AND completed = true AND deleted_at IS NULL ORDER BY created_at DESC LIMIT 20"
        ),
    );
    let idx = index_used(&by_completion)
        .unwrap_or_else(|| panic!("by completion uses no index:\n{by_completion}"));
    assert_eq!(leading_column(&mut db, &idx), "user_id", "{by_completion}");
    assert!(
        !by_completion.contains("Sort"),
        "by completion needs no sort:\n{by_completion}"
    );
}

#[test]
fn updated_at_follows_updates() {
    let mut db = todo_db();
    db.execute(
        "INSERT INTO users (email, name, password_hash) VALUES ('u@example.com', 'U', 'h')",
        &[],
    )
    .expect("insert");
    let before: std::time::SystemTime = db
        .query_one("SELECT updated_at FROM users", &[])
        .expect("read")
        .get(0);
    db.execute("UPDATE users SET name = 'V'", &[])
        .expect("update");
    let after: std::time::SystemTime = db
        .query_one("SELECT updated_at FROM users", &[])
        .expect("read")
        .get(0);
    assert!(after > before, "updated_at moved forward on UPDATE");
}

#[test]
fn deleting_a_user_deletes_what_they_own() {
    let mut db = todo_db();
    db.batch_execute(
        "INSERT INTO users (email, name, password_hash) VALUES ('d@example.com', 'D', 'h'), ('k@example.com', 'K', 'h');
         INSERT INTO tasks (user_id, title) SELECT id, 't' FROM users;
         INSERT INTO tags (user_id, name) SELECT id, 'home' FROM users;
         INSERT INTO task_tags (task_id, tag_id, user_id) SELECT t.id, g.id, user_id FROM tasks t JOIN tags g USING (user_id);
         INSERT INTO sessions (user_id, token_hash, expires_at) SELECT id, 'tok' || email, now() + interval '1 day' FROM users;
         INSERT INTO conversations (user_id, title) SELECT id, 'c' FROM users;
         INSERT INTO messages (conversation_id, user_id, role, content) SELECT c.id, c.user_id, 'user', 'hi' FROM conversations c;
         DELETE FROM users WHERE email = 'd@example.com';",
    )
    .expect("data and delete");
    for table in [
        "tasks",
        "tags",
        "task_tags",
        "sessions",
        "conversations",
        "messages",
    ] {
        let n: i64 = db
            .query_one(&format!("SELECT count(*) FROM {table}"), &[])
            .expect("count")
            .get(0);
        assert_eq!(n, 1, "only the remaining user's row is left in {table}");
    }
    let audit: i64 = db.query_one("SELECT count(*) FROM audit_log WHERE action = 'DELETE' AND table_name = 'public.tasks'", &[]).expect("audit").get(0);
    assert_eq!(audit, 1, "the cascaded task deletion is in the audit log");
    let leaked: i64 = db.query_one("SELECT count(*) FROM audit_log WHERE new_data ? 'password_hash' OR old_data ? 'password_hash'", &[]).expect("audit").get(0);
    assert_eq!(leaked, 0, "no password hash in the audit log");
}

#[test]
fn constraints_refuse_bad_rows() {
    let mut db = todo_db();
    db.execute(
        "INSERT INTO users (email, name, password_hash) VALUES ('dup@example.com', 'A', 'h')",
        &[],
    )
    .expect("insert");
    let dup = db
        .execute(
            "INSERT INTO users (email, name, password_hash) VALUES ('dup@example.com', 'B', 'h')",
            &[],
        )
        .expect_err("duplicate email");
    assert_eq!(sqlstate(&dup), "23505");
    let bad_email = db
        .execute(
            "INSERT INTO users (email, name, password_hash) VALUES ('not-an-email', 'B', 'h')",
            &[],
        )
        .expect_err("malformed email");
    assert_eq!(sqlstate(&bad_email), "23514");
    let long_title = "x".repeat(201);
    let too_long = db
        .execute(
            "INSERT INTO tasks (user_id, title) SELECT id, $1 FROM users",
            &[&long_title],
        )
        .expect_err("title over 200 characters");
    assert_eq!(sqlstate(&too_long), "23514");
    let ok_title = "x".repeat(200);
    db.execute(
        "INSERT INTO tasks (user_id, title) SELECT id, $1 FROM users",
        &[&ok_title],
    )
    .expect("200 characters fit");
    db.execute(
        "INSERT INTO conversations (user_id) SELECT id FROM users",
        &[],
    )
    .expect("conversation");
    let bad_role = db
        .execute("INSERT INTO messages (conversation_id, user_id, role, content) SELECT id, user_id, 'robot', 'x' FROM conversations", &[])
        .expect_err("unknown enum value");
    assert_eq!(sqlstate(&bad_role), "22P02");
}

#[test]
fn tenant_policy_isolates_users() {
    let mut db = todo_db();
    let role = format!("app_{}", std::process::id());
    db.batch_execute(&format!(
        "DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{role}') THEN CREATE ROLE {role} NOLOGIN; END IF; END $$;
         GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {role};
         INSERT INTO users (email, name, password_hash) VALUES ('a@example.com', 'A', 'h'), ('b@example.com', 'B', 'h');
         INSERT INTO tasks (user_id, title) SELECT id, 'task of ' || name FROM users;"
    ))
    .expect("setup");
    let a: uuid_text::Id = uuid_text::id(&mut db, "a@example.com");
    let b: uuid_text::Id = uuid_text::id(&mut db, "b@example.com");
    db.batch_execute(&format!(
        "SET ROLE {role}; SET app.current_user_id = '{}'",
        a.0
    ))
    .expect("become user A");
    let visible: Vec<String> = db
        .query("SELECT title FROM tasks", &[])
        .expect("select")
        .iter()
        .map(|r| r.get(0))
        .collect();
    assert_eq!(
        visible,
        vec!["task of A".to_string()],
        "A sees only A's tasks"
    );
    let changed = db
        .execute(
            &format!(
                "UPDATE tasks SET title = 'hacked' WHERE user_id = '{}'",
                b.0
            ),
            &[],
        )
        .expect("update");
    assert_eq!(changed, 0, "A cannot change B's tasks");
    let deleted = db
        .execute(&format!("DELETE FROM tasks WHERE user_id = '{}'", b.0), &[])
        .expect("delete");
    assert_eq!(deleted, 0, "A cannot delete B's tasks");
    let forged = db
        .execute(
            &format!(
                "INSERT INTO tasks (user_id, title) VALUES ('{}', 'forged')",
                b.0
            ),
            &[],
        )
        .expect_err("A cannot create tasks for B");
    assert_eq!(sqlstate(&forged), "42501");
    db.batch_execute("RESET ROLE; RESET app.current_user_id")
        .expect("reset");
    let title: String = db
        .query_one(
            &format!("SELECT title FROM tasks WHERE user_id = '{}'", b.0),
            &[],
        )
        .expect("B's task")
        .get(0);
    assert_eq!(title, "task of B");
}

/// uuid values read as text, so the test needs no uuid feature of the driver.
mod uuid_text {
    pub struct Id(pub String);
    pub fn id(db: &mut postgres::Client, email: &str) -> Id {
        Id(db
            .query_one("SELECT id::text FROM users WHERE email = $1", &[&email])
            .expect("user id")
            .get(0))
    }
}

#[test]
fn example_is_formatted() {
    strata()
        .arg("fmt")
        .arg("--check")
        .arg(todo_dir())
        .assert()
        .code(0);
}
