//! `examples/todo` isolates every tenant-owned row. The schema is applied by a non-superuser
//! owner, two tenants' rows are loaded, and an application role (LOGIN, no BYPASSRLS, granted
//! DML on every table) with tenant A's setting tries, in every table, to read, change, delete
//! and claim tenant B's rows, and to link A's rows to B's through every foreign key.

mod common;

use std::collections::BTreeMap;

use common::*;
use postgres::{Client, NoTls};

const A: &str = "00000000-0000-4000-8000-00000000000a";
const B: &str = "00000000-0000-4000-8000-00000000000b";

fn id(tenant: &str, n: u8) -> String {
    format!("{}{n:02x}{}", &tenant[..24], &tenant[26..])
}

fn sqlstate(e: &postgres::Error) -> String {
    e.code().map(|c| c.code().to_string()).unwrap_or_default()
}

/// The one setting the generated policies compare with, read from the generated SQL.
fn tenant_setting(sql: &str) -> String {
    let mut found: Vec<String> = sql
        .match_indices("USING (")
        .filter_map(|(at, _)| {
            let rest = &sql[at..];
            let s = rest.find("current_setting('")? + "current_setting('".len();
            let e = rest[s..].find('\'')?;
            Some(rest[s..s + e].to_string())
        })
        .collect();
    found.sort();
    found.dedup();
    assert_eq!(
        found.len(),
        1,
        "one tenant setting in the policies: {found:?}"
    );
    found.remove(0)
}

fn load(db: &mut Client, setting: &str, t: &str, who: &str) {
    let (task, tag, conv, bare) = (id(t, 1), id(t, 2), id(t, 3), id(t, 4));
    db.batch_execute(&format!(
        "SET {setting} = '{t}';
         INSERT INTO users (id, email, name, password_hash)
           VALUES ('{t}', '{who}@example.com', '{who}', 'hash-{who}');
         INSERT INTO sessions (user_id, token_hash, expires_at)
           VALUES ('{t}', 'token-{who}', now() + interval '1 day');
         INSERT INTO tasks (id, user_id, title) VALUES ('{task}', '{t}', 'task of {who}');
         INSERT INTO tasks (id, user_id, title) VALUES ('{bare}', '{t}', 'bare task of {who}');
         INSERT INTO task_details (task_id, description) VALUES ('{task}', 'details of {who}');
         INSERT INTO tags (id, user_id, name) VALUES ('{tag}', '{t}', 'tag of {who}');
         INSERT INTO task_tags (task_id, tag_id) VALUES ('{task}', '{tag}');
         INSERT INTO conversations (id, user_id, title) VALUES ('{conv}', '{t}', 'chat of {who}');
         INSERT INTO messages (conversation_id, user_id, role, content)
           VALUES ('{conv}', '{t}', 'user', 'hello from {who}');
         UPDATE tasks SET title = 'renamed task of {who}' WHERE id = '{task}';
         RESET {setting};"
    ))
    .unwrap_or_else(|e| panic!("load tenant {who}: {e}"));
}

/// Table → the column its tenant policy compares with the setting.
fn tenant_columns(db: &mut Client, setting: &str) -> BTreeMap<String, String> {
    let tables: Vec<(String, bool)> = db
        .query(
            "SELECT c.relname, c.relrowsecurity FROM pg_class c
             WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p') ORDER BY 1",
            &[],
        )
        .expect("tables")
        .iter()
        .map(|r| (r.get(0), r.get(1)))
        .collect();
    let mut out = BTreeMap::new();
    for (table, rls) in tables {
        assert!(rls, "{table} has no row-level security");
        let quals: Vec<String> = db
            .query(
                "SELECT qual FROM pg_policies WHERE schemaname = 'public' AND tablename = $1 AND qual IS NOT NULL",
                &[&table],
            )
            .expect("policies")
            .iter()
            .map(|r| r.get(0))
            .collect();
        let col = quals.iter().find_map(|q| {
            let q = q.trim_start_matches('(');
            let (col, rest) = q.split_once(" = ")?;
            rest.contains(&format!("current_setting('{setting}'"))
                .then(|| col.to_string())
        });
        let col = col.unwrap_or_else(|| panic!("{table} has no tenant policy: {quals:?}"));
        out.insert(table, col);
    }
    out
}

fn count(db: &mut Client, sql: &str) -> i64 {
    db.query_one(sql, &[])
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
        .get(0)
}

#[test]
fn the_application_role_cannot_reach_another_tenants_rows() {
    let sql = build(&repo_root().join("examples/todo"));
    let setting = tenant_setting(&sql);
    let cluster = strata_pg::shared_cluster().expect("cluster");
    let name = cluster.create_database().expect("database");
    let n = std::process::id();
    let (owner, app) = (format!("todo_owner_{n}"), format!("todo_app_{n}"));
    let mut su = cluster.connect(&name).expect("connect");
    su.batch_execute(&format!(
        "DO $$ BEGIN
           IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{owner}') THEN
             CREATE ROLE {owner} LOGIN NOSUPERUSER NOBYPASSRLS; END IF;
           IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{app}') THEN
             CREATE ROLE {app} LOGIN NOSUPERUSER NOBYPASSRLS; END IF;
         END $$;
         ALTER DATABASE \"{name}\" OWNER TO {owner};"
    ))
    .expect("roles");
    let as_role = |role: &str| -> Client {
        cluster
            .config(&name)
            .user(role)
            .connect(NoTls)
            .expect("connect as role")
    };
    let mut own = as_role(&owner);
    strata_pg::apply_sql(&mut own, &sql).expect("the owner applies the schema");
    load(&mut own, &setting, A, "ann");
    load(&mut own, &setting, B, "bob");
    own.batch_execute(&format!(
        "GRANT USAGE ON SCHEMA public TO {app};
         GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {app};"
    ))
    .expect("grants");

    let columns = tenant_columns(&mut su, &setting);
    let b_rows: BTreeMap<String, i64> = columns
        .iter()
        .map(|(t, c)| {
            let n = count(
                &mut su,
                &format!("SELECT count(*) FROM {t} WHERE {c}::text = '{B}'"),
            );
            assert!(n > 0, "tenant B has rows in {t}");
            (t.clone(), n)
        })
        .collect();

    let mut db = as_role(&app);
    db.batch_execute(&format!("SET {setting} = '{A}'"))
        .expect("tenant A");
    for (t, c) in &columns {
        let seen = count(
            &mut db,
            &format!("SELECT count(*) FROM {t} WHERE {c}::text <> '{A}'"),
        );
        assert_eq!(seen, 0, "tenant A reads other tenants' rows of {t}");
        let mine = count(&mut db, &format!("SELECT count(*) FROM {t}"));
        if t != "audit_log" {
            assert!(mine > 0, "tenant A reads its own rows of {t}");
        }
        let updated = db
            .execute(
                &format!("UPDATE {t} SET {c} = {c} WHERE {c}::text = '{B}'"),
                &[],
            )
            .expect("update");
        assert_eq!(updated, 0, "tenant A updated tenant B's rows of {t}");
        let deleted = db
            .execute(&format!("DELETE FROM {t} WHERE {c}::text = '{B}'"), &[])
            .expect("delete");
        assert_eq!(deleted, 0, "tenant A deleted tenant B's rows of {t}");
    }
    let stolen = db
        .execute(
            &format!("UPDATE users SET password_hash = 'x' WHERE id = '{B}'"),
            &[],
        )
        .expect("update");
    assert_eq!(stolen, 0, "tenant A set tenant B's password hash");
    let forged = count(
        &mut db,
        "SELECT count(*) FROM sessions WHERE token_hash = 'token-bob'",
    );
    assert_eq!(forged, 0, "a session of tenant B is accepted for tenant A");

    // Rows claiming tenant B, in every table.
    let (bt, bg, bc) = (id(B, 1), id(B, 2), id(B, 3));
    let (at, ag) = (id(A, 1), id(A, 2));
    let claims: BTreeMap<&str, String> = BTreeMap::from([
        (
            "users",
            format!(
                "INSERT INTO users (id, email, name, password_hash) VALUES ('{}', 'x@example.com', 'X', 'h')",
                id(B, 9)
            ),
        ),
        (
            "sessions",
            format!(
                "INSERT INTO sessions (user_id, token_hash, expires_at) VALUES ('{B}', 'forged', now())"
            ),
        ),
        (
            "tasks",
            format!("INSERT INTO tasks (user_id, title) VALUES ('{B}', 'planted')"),
        ),
        (
            "task_details",
            format!(
                "INSERT INTO task_details (task_id, user_id, description) VALUES ('{bt}', '{B}', 'planted')"
            ),
        ),
        (
            "tags",
            format!("INSERT INTO tags (user_id, name) VALUES ('{B}', 'planted')"),
        ),
        (
            "task_tags",
            format!(
                "INSERT INTO task_tags (task_id, tag_id, user_id) VALUES ('{bt}', '{bg}', '{B}')"
            ),
        ),
        (
            "conversations",
            format!("INSERT INTO conversations (user_id, title) VALUES ('{B}', 'planted')"),
        ),
        (
            "messages",
            format!(
                "INSERT INTO messages (conversation_id, user_id, role, content) VALUES ('{bc}', '{B}', 'user', 'planted')"
            ),
        ),
        (
            "audit_log",
            format!(
                "INSERT INTO audit_log (table_name, record_id, action, tenant_id) VALUES ('public.tasks', 'x', 'DELETE', '{B}')"
            ),
        ),
    ]);
    assert_eq!(
        claims.keys().map(|k| k.to_string()).collect::<Vec<_>>(),
        columns.keys().cloned().collect::<Vec<_>>(),
        "a claim for every table"
    );
    for (t, claim) in &claims {
        let e = db
            .execute(claim.as_str(), &[])
            .expect_err(&format!("tenant A inserted a row of tenant B into {t}"));
        assert_eq!(sqlstate(&e), "42501", "{t}: {e:?}");
    }
    let forged_audit = db.execute(
        &format!("INSERT INTO audit_log (table_name, record_id, action, tenant_id) VALUES ('public.tasks', 'x', 'DELETE', '{A}')"),
        &[],
    );
    assert!(
        forged_audit.is_err(),
        "the application writes the audit log itself"
    );

    // A's rows linked to B's through every foreign key: inserted, and changed to point there.
    let links = [
        format!("INSERT INTO task_tags (task_id, tag_id) VALUES ('{at}', '{bg}')"),
        format!("INSERT INTO task_tags (task_id, tag_id) VALUES ('{bt}', '{ag}')"),
        format!(
            "INSERT INTO messages (conversation_id, user_id, role, content) VALUES ('{bc}', '{A}', 'user', 'x')"
        ),
        // A task without details, so that only the tenant stands in the way.
        format!(
            "INSERT INTO task_details (task_id, description) VALUES ('{}', 'x')",
            id(B, 4)
        ),
    ];
    for link in &links {
        let e = db
            .execute(link.as_str(), &[])
            .expect_err(&format!("linked across tenants: {link}"));
        assert!(
            ["23503", "42501"].contains(&sqlstate(&e).as_str()),
            "{link}: {e:?}"
        );
    }
    let fks: Vec<(String, Vec<String>, String, Vec<String>)> = su
        .query(
            "SELECT c.conrelid::regclass::text,
                    array(SELECT a.attname::text FROM unnest(c.conkey) WITH ORDINALITY k(n, o)
                          JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.n ORDER BY k.o),
                    c.confrelid::regclass::text,
                    array(SELECT a.attname::text FROM unnest(c.confkey) WITH ORDINALITY k(n, o)
                          JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.n ORDER BY k.o)
             FROM pg_constraint c WHERE c.contype = 'f' AND c.connamespace = 'public'::regnamespace",
            &[],
        )
        .expect("foreign keys")
        .iter()
        .map(|r| (r.get(0), r.get(1), r.get(2), r.get(3)))
        .collect();
    assert!(fks.len() >= 9, "the todo schema's foreign keys: {fks:?}");
    for (child, cols, parent, ref_cols) in &fks {
        let pc = &columns[parent];
        let target: Vec<String> = ref_cols
            .iter()
            .map(|c| {
                su.query_one(
                    // The last key first: a task without details, which no unique key guards.
                    &format!("SELECT {c}::text FROM {parent} WHERE {pc}::text = '{B}' ORDER BY {}::text DESC LIMIT 1", ref_cols[0]),
                    &[],
                )
                .expect("B's parent row")
                .get(0)
            })
            .collect();
        let set: Vec<String> = cols
            .iter()
            .zip(&target)
            .map(|(c, v)| format!("{c} = '{v}'"))
            .collect();
        let sql = format!(
            "UPDATE {child} SET {} WHERE ctid = (SELECT ctid FROM {child} LIMIT 1)",
            set.join(", ")
        );
        let e = db
            .execute(&sql, &[])
            .expect_err(&format!("linked across tenants: {sql}"));
        assert!(
            ["23503", "42501"].contains(&sqlstate(&e).as_str()),
            "{sql}: {e:?}"
        );
    }

    // The audit log names the acting user and shows a tenant its own history only.
    db.batch_execute(&format!(
        "UPDATE tasks SET title = 'again' WHERE id = '{at}'"
    ))
    .expect("A changes its task");
    let actor: Option<String> = db
        .query_one(
            "SELECT actor_id FROM audit_log ORDER BY id DESC LIMIT 1",
            &[],
        )
        .expect("audit row")
        .get(0);
    assert_eq!(actor.as_deref(), Some(A), "the acting user is recorded");
    assert!(count(&mut db, "SELECT count(*) FROM audit_log") >= 2);
    db.batch_execute(&format!("SET {setting} = '{B}'"))
        .expect("tenant B");
    let leaked = count(
        &mut db,
        "SELECT count(*) FROM audit_log WHERE new_data::text LIKE '%again%'",
    );
    assert_eq!(leaked, 0, "tenant B reads tenant A's audit history");

    // Nothing of B's was changed, and without a setting nothing is visible at all.
    for (t, n) in &b_rows {
        let c = &columns[t];
        let now = count(
            &mut su,
            &format!("SELECT count(*) FROM {t} WHERE {c}::text = '{B}'"),
        );
        assert_eq!(now, *n, "tenant B's rows of {t} changed");
    }
    let untouched = count(
        &mut su,
        "SELECT count(*) FROM users WHERE password_hash = 'hash-bob'",
    );
    assert_eq!(untouched, 1);
    db.batch_execute(&format!("RESET {setting}"))
        .expect("reset");
    for t in columns.keys() {
        assert_eq!(
            count(&mut db, &format!("SELECT count(*) FROM {t}")),
            0,
            "{t} without a tenant"
        );
    }
}

const INVOICING: &str = r#"
conventions { tenant_setting "app.organization_id" }

entity Organization {
  name text
}

entity Invoice {
  organization -> Organization on delete cascade
  number       text
  tenant by organization
  access by_number 10/s """
    SELECT id FROM invoices WHERE number = $1 """
}

entity InvoiceLine {
  invoice -> Invoice on delete cascade
  amount  int
  tenant by invoice
}
"#;

fn design_dir(text: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tmp");
    std::fs::write(dir.path().join("schema.strata"), text).expect("write");
    dir
}

#[test]
fn tenant_by_a_relation_takes_the_related_rows_tenant() {
    let dir = design_dir(&INVOICING.replace("10/s", "10/s across tenants"));
    let sql = build(dir.path());
    assert!(
        sql.contains("FOREIGN KEY (invoice_id, organization_id) REFERENCES public.invoices (id, organization_id)"),
        "{sql}"
    );
    let mut db = fresh_db_with(&sql);
    let n = std::process::id();
    let app = format!("invoicing_app_{n}");
    db.batch_execute(&format!(
        "DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{app}') THEN
           CREATE ROLE {app} NOLOGIN; END IF; END $$;
         GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {app};
         INSERT INTO organizations (id, name) VALUES ('{A}', 'a'), ('{B}', 'b');
         INSERT INTO invoices (id, organization_id, number) VALUES ('{}', '{A}', '1'), ('{}', '{B}', '1');
         INSERT INTO invoice_lines (invoice_id, organization_id, amount)
           VALUES ('{}', '{A}', 10), ('{}', '{B}', 20);",
        id(A, 1),
        id(B, 1),
        id(A, 1),
        id(B, 1)
    ))
    .expect("load");
    db.batch_execute(&format!("SET ROLE {app}; SET app.organization_id = '{A}'"))
        .expect("tenant A");
    let amounts: Vec<i32> = db
        .query("SELECT amount FROM invoice_lines", &[])
        .expect("lines")
        .iter()
        .map(|r| r.get(0))
        .collect();
    assert_eq!(amounts, vec![10], "the lines of tenant A's invoices only");
    // The tenant comes from the setting, and a line cannot join another tenant's invoice.
    db.execute(
        &format!(
            "INSERT INTO invoice_lines (invoice_id, amount) VALUES ('{}', 1)",
            id(A, 1)
        ),
        &[],
    )
    .expect("a line of one's own invoice");
    let e = db
        .execute(
            &format!(
                "INSERT INTO invoice_lines (invoice_id, amount) VALUES ('{}', 1)",
                id(B, 1)
            ),
            &[],
        )
        .expect_err("a line on tenant B's invoice");
    assert_eq!(sqlstate(&e), "23503", "{e:?}");
}

#[test]
fn check_names_access_patterns_that_span_tenants() {
    let dir = design_dir(INVOICING);
    let out = strata()
        .arg("check")
        .arg(dir.path())
        .output()
        .expect("run strata check");
    let text = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(text.contains("warning[W5005]"), "{text}");
    assert!(text.contains("`by_number`"), "{text}");
    let marked = design_dir(&INVOICING.replace("10/s", "10/s across tenants"));
    strata().arg("check").arg(marked.path()).assert().code(0);
}

#[test]
fn a_relation_that_clears_itself_between_tenants_is_named() {
    let dir = design_dir(&INVOICING.replace("10/s", "10/s across tenants").replace(
        "  tenant by invoice\n",
        "  tenant by invoice\n  credit -> Invoice? on delete set null\n",
    ));
    let out = strata()
        .arg("check")
        .arg(dir.path())
        .output()
        .expect("run strata check");
    let text = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(
        text.contains("warning[W5007]") && text.contains("credit"),
        "{text}"
    );
}
