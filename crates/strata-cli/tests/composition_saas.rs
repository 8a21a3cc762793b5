//! The composition suite: `examples/saas` (a multi-tenant invoicing service: enums, partial
//! indexes derived from access patterns, forced row-level security, soft delete, the audit log,
//! tenant-scoped unique keys, a domain used by an existing and a new table (and tightened
//! later), a tenant table partitioned by time (and indexed again later), a table renamed and two
//! columns merged) evolved through `tests/fixtures/saas_versions/` with two tenants' data in it,
//! the way deployments run it:
//!
//! - migrations are applied by `strata migrate apply` connected as the database **owner, a role
//!   without superuser or BYPASSRLS** (as on managed PostgreSQL);
//! - the application connects as its own role (LOGIN, DML granted by the DBA outside the
//!   design, no BYPASSRLS) and sets the tenant setting;
//! - a second database follows the same versions with `strata apply`.
//!
//! After every step: the schema equals the version's design; no row is lost (per-tenant counts
//! and checksums of the logical content, carried through renames and the table split); through
//! the application role each tenant reads exactly its own rows and can neither change, insert
//! nor link rows of the other tenant in any table; every access pattern's plan, as the
//! application role under row-level security, uses the index the design says serves it; the
//! grants made outside the design are intact; and each migration's lock claims hold on the
//! server (the locks a migration's transaction really holds, read from `pg_locks` by a second
//! connection, are never stronger than the strongest lock its steps claim).

mod common;
mod gen_common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use common::repo_root;
use gen_common::catalog;

const ORG_A: &str = "00000000-0000-4000-8000-00000000000a";
const ORG_B: &str = "00000000-0000-4000-8000-00000000000b";
const TENANT_SETTING: &str = "app.current_org_id";

fn versions() -> Vec<PathBuf> {
    let dir = repo_root().join("crates/strata-cli/tests/fixtures/saas_versions");
    let mut v: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("versions")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.is_dir())
        .collect();
    v.sort();
    v
}

fn migrations() -> PathBuf {
    repo_root().join("examples/saas/migrations")
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn strata_files(dir: &Path) -> BTreeMap<String, String> {
    std::fs::read_dir(dir)
        .expect("read dir")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "strata"))
        .map(|p| {
            (
                p.file_name().expect("name").to_string_lossy().into_owned(),
                std::fs::read_to_string(&p).expect("read"),
            )
        })
        .collect()
}

fn version_id(dir: &Path) -> String {
    dir.file_name()
        .expect("name")
        .to_string_lossy()
        .into_owned()
}

/// The number of a version (`0005_split_customer_address` → 5).
fn version_number(dir: &Path) -> u32 {
    version_id(dir)[..4].parse().expect("numbered version")
}

type Catalog = BTreeMap<&'static str, Vec<String>>;

/// The catalog of a version as designed: `strata build` applied to a fresh database.
fn designed(dir: &Path) -> Catalog {
    let mut c = common::fresh_db_with(&common::build(dir));
    catalog(&mut c)
}

/// A database's catalog without Strata's history table.
fn live_catalog(c: &mut postgres::Client) -> Catalog {
    let mut cat = catalog(c);
    for rows in cat.values_mut() {
        rows.retain(|r| !r.starts_with("strata.") && !r.contains(" ON strata."));
    }
    cat
}

fn check_same(got: &Catalog, want: &Catalog, what: &str, f: &mut Vec<String>) {
    for (kind, rows) in want {
        let got_rows = got.get(kind).cloned().unwrap_or_default();
        let missing: Vec<&String> = rows.iter().filter(|r| !got_rows.contains(r)).collect();
        let extra: Vec<&String> = got_rows.iter().filter(|r| !rows.contains(r)).collect();
        if !missing.is_empty() || !extra.is_empty() {
            f.push(format!("{what}: {kind} differ from the design\n  missing: {missing:#?}\n  extra: {extra:#?}"));
        }
    }
}

/// The roles of one deployment: an owner without superuser and the application.
struct Deployment {
    cluster: &'static strata_pg::Cluster,
    db: String,
    owner: String,
    app: String,
}

impl Deployment {
    fn new(tag: &str) -> Deployment {
        let cluster = strata_pg::shared_cluster().expect("cluster");
        let db = format!("saas_{tag}_{}", std::process::id());
        let owner = format!("{db}_owner");
        let app = format!("{db}_app");
        let mut admin = cluster.connect("postgres").expect("connect as superuser");
        admin
            .batch_execute(&format!(
                "CREATE ROLE {owner} LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;
                 CREATE ROLE {app} LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;"
            ))
            .expect("create roles");
        admin
            .batch_execute(&format!("CREATE DATABASE {db} OWNER {owner}"))
            .expect("create database");
        Deployment {
            cluster,
            db,
            owner,
            app,
        }
    }

    fn url_as(&self, role: &str) -> String {
        format!(
            "postgres://{role}@{}:{}/{}",
            self.cluster.host(),
            self.cluster.port(),
            self.db
        )
    }

    fn connect_as(&self, role: &str) -> postgres::Client {
        postgres::Client::connect(&self.url_as(role), postgres::NoTls)
            .unwrap_or_else(|e| panic!("connect as {role}: {e}"))
    }

    fn superuser(&self) -> postgres::Client {
        self.cluster
            .connect(&self.db)
            .expect("connect as superuser")
    }

    /// What a DBA does once, outside the design: the application may read and write every
    /// table the owner has made or will make.
    fn grant_app(&self) {
        let mut owner = self.connect_as(&self.owner);
        owner
            .batch_execute(&format!(
                "GRANT USAGE ON SCHEMA public TO {app};
                 GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {app};
                 ALTER DEFAULT PRIVILEGES IN SCHEMA public
                   GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {app};",
                app = self.app
            ))
            .expect("grant the application role");
    }

    /// `strata migrate apply --to N` as the owner; the error output when it fails.
    fn migrate_apply(&self, to: u32) -> Result<String, String> {
        let out = common::strata()
            .args(["migrate", "apply", "--to", &to.to_string(), "--dir"])
            .arg(migrations())
            .arg("--url")
            .arg(self.url_as(&self.owner))
            .output()
            .expect("run strata migrate apply");
        let all = text(&out.stderr) + &text(&out.stdout);
        if out.status.success() {
            Ok(all)
        } else {
            Err(format!(
                "strata migrate apply --to {to} (as the owner) failed ({:?}):\n{all}",
                out.status.code()
            ))
        }
    }
}

/// Two tenants' data, loaded by the owner one tenant at a time (the owner is subject to the
/// forced policies too). The tenants differ in size so that a count from the wrong tenant
/// shows.
fn load_tenants(d: &Deployment) {
    let mut owner = d.connect_as(&d.owner);
    for (org, tag, customers, invoices) in [(ORG_A, "a", 300, 3000), (ORG_B, "b", 200, 2000)] {
        owner
            .batch_execute(&format!(
                "BEGIN;
                 SET LOCAL {TENANT_SETTING} = '{org}';
                 INSERT INTO organizations (id, name, slug) VALUES ('{org}', 'Org {tag}', 'org-{tag}');
                 INSERT INTO members (organization_id, email, name, role, password_hash)
                   SELECT '{org}', 'm' || g || '@{tag}.example.com', 'Member {tag}' || g,
                          (ARRAY['owner','admin','accountant','viewer'])[1 + g % 4]::member_role,
                          'fake-hash-' || g
                   FROM generate_series(1, 20) g;
                 INSERT INTO customers (organization_id, name, email, tax_number, address, city)
                   SELECT '{org}', 'Customer {tag}' || lpad(g::text, 4, '0'),
                          CASE WHEN g % 3 = 0 THEN NULL ELSE 'c' || g || '@{tag}.example.com' END,
                          CASE WHEN g % 2 = 0 THEN 'VAT-{tag}-' || g END,
                          CASE WHEN g % 5 <> 0 THEN g || ' Main Street' END,
                          CASE WHEN g % 5 <> 0 THEN 'City ' || (g % 7) END
                   FROM generate_series(1, {customers}) g;
                 WITH c AS (SELECT id, row_number() OVER (ORDER BY name) - 1 AS i
                            FROM customers WHERE organization_id = '{org}')
                 INSERT INTO invoices (organization_id, customer_id, number, status, issued_on,
                                       due_on, total, created_at)
                   SELECT '{org}', c.id, 'INV-{tag}-' || lpad(g::text, 6, '0'),
                          (ARRAY['draft','sent','paid','void'])[1 + g % 4]::invoice_status,
                          date '2024-01-01' + g % 300, date '2024-01-31' + g % 300,
                          (g % 1000) + 0.25, timestamptz '2024-01-01 00:00+00' + g * interval '1 hour'
                   FROM generate_series(1, {invoices}) g JOIN c ON c.i = g % {customers};
                 INSERT INTO invoice_lines (organization_id, invoice_id, description, quantity, unit_price)
                   SELECT '{org}', i.id, 'Line ' || n || ' of ' || i.number, n, i.total / 2
                   FROM invoices i CROSS JOIN generate_series(1, 2) n
                   WHERE i.organization_id = '{org}';
                 INSERT INTO payments (organization_id, invoice_id, amount, reference)
                   SELECT '{org}', i.id, i.total, 'PAY-' || i.number
                   FROM invoices i WHERE i.organization_id = '{org}' AND i.status = 'paid';
                 COMMIT;"
            ))
            .unwrap_or_else(|e| panic!("load tenant {tag}: {e}"));
    }
}

/// Rows added once products exist (version 4 and later).
fn load_products(d: &Deployment) {
    let mut owner = d.connect_as(&d.owner);
    for (org, tag, n) in [(ORG_A, "a", 60), (ORG_B, "b", 40)] {
        owner
            .batch_execute(&format!(
                "BEGIN;
                 SET LOCAL {TENANT_SETTING} = '{org}';
                 INSERT INTO products (organization_id, name, sku, unit_price)
                   SELECT '{org}', 'Product {tag}' || g, 'SKU-{tag}-' || g, g + 0.5
                   FROM generate_series(1, {n}) g;
                 WITH p AS (SELECT id, row_number() OVER (ORDER BY sku) - 1 AS i
                            FROM products WHERE organization_id = '{org}')
                 UPDATE invoice_lines l SET product_id = p.id
                   FROM p WHERE l.organization_id = '{org}'
                   AND p.i = abs(hashtext(l.id::text)) % {n} AND l.description LIKE 'Line 1 %';
                 COMMIT;"
            ))
            .unwrap_or_else(|e| panic!("load products {tag}: {e}"));
    }
}

/// Rows added once invoices have a currency and events exist (version 7 and later): events
/// in every partition (two years and the default one) and some invoices billed in another
/// currency, for each tenant.
fn load_events(d: &Deployment) {
    let mut owner = d.connect_as(&d.owner);
    for (org, n) in [(ORG_A, 3), (ORG_B, 2)] {
        owner
            .batch_execute(&format!(
                "BEGIN;
                 SET LOCAL {TENANT_SETTING} = '{org}';
                 UPDATE invoices SET currency = 'USD'
                   WHERE organization_id = '{org}' AND abs(hashtext(number)) % 5 = 0;
                 INSERT INTO invoice_events (organization_id, invoice_id, kind, amount, currency, occurred_at)
                   SELECT '{org}', i.id, (ARRAY['sent','viewed','reminded','paid'])[1 + e % 4],
                          CASE WHEN e % 4 = 3 THEN i.total END,
                          CASE WHEN e % 4 = 3 THEN i.currency END,
                          timestamptz '2024-03-01 00:00+00' + (e * 200 + abs(hashtext(i.number)) % 100) * interval '1 day'
                   FROM invoices i CROSS JOIN generate_series(0, {n}) e
                   WHERE i.organization_id = '{org}';
                 COMMIT;"
            ))
            .unwrap_or_else(|e| panic!("load events of {org}: {e}"));
    }
    let mut su = d.superuser();
    let empty: Vec<String> = su
        .query(
            "SELECT c.relname::text FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
             WHERE i.inhparent = 'invoice_events'::regclass
               AND NOT EXISTS (SELECT 1 FROM invoice_events e WHERE e.tableoid = c.oid)",
            &[],
        )
        .expect("partitions")
        .iter()
        .map(|r| r.get(0))
        .collect();
    assert!(empty.is_empty(), "partitions without rows: {empty:?}");
}

/// Per tenant and table: the row count and a checksum of the logical content, in the form
/// of version `v` (the VAT number was `tax_number` before version 3; the address lives in
/// `customer_addresses` from version 5, with the city folded into the address from version 9;
/// an invoice's currency, from version 7, counts where it is not the default every existing
/// invoice took; payments are `receipts` from version 9).
fn logical_queries(v: u32) -> Vec<(&'static str, String)> {
    let tax = if v >= 3 {
        "c.vat_number"
    } else {
        "c.tax_number"
    };
    // The address as one text, as version 9 keeps it: `address, city`.
    let (addr_join, addr_cols) = match v {
        9.. => (
            "LEFT JOIN customer_addresses a ON a.customer_id = c.id",
            "coalesce(a.address, '')",
        ),
        5..=8 => (
            "LEFT JOIN customer_addresses a ON a.customer_id = c.id",
            "concat_ws(', ', a.address, a.city)",
        ),
        _ => ("", "concat_ws(', ', c.address, c.city)"),
    };
    let payments = if v >= 9 { "receipts" } else { "payments" };
    let agg = |table: &str, org: &str, row: &str, from: &str| {
        format!(
            "SELECT {org}::text, count(*), md5(string_agg({row}, ',' ORDER BY {table}.id)) \
             FROM {from} GROUP BY 1 ORDER BY 1"
        )
    };
    let mut q = vec![
        (
            "organizations",
            agg(
                "organizations",
                "organizations.id",
                "concat_ws('|', id, name, slug)",
                "organizations",
            ),
        ),
        (
            "members",
            agg(
                "members",
                "organization_id",
                "concat_ws('|', id, email, name, role)",
                "members",
            ),
        ),
        (
            "customers",
            format!(
                "SELECT c.organization_id::text, count(*), md5(string_agg(concat_ws('|', c.id, c.name, \
                 coalesce(c.email, ''), coalesce({tax}, ''), {addr_cols}, c.deleted_at IS NULL), ',' ORDER BY c.id)) \
                 FROM customers c {addr_join} GROUP BY 1 ORDER BY 1"
            ),
        ),
        (
            "invoices",
            agg(
                "invoices",
                "organization_id",
                if v >= 7 {
                    "concat_ws('|', id, customer_id, number, status, total, issued_on, due_on, nullif(currency, 'EUR'))"
                } else {
                    "concat_ws('|', id, customer_id, number, status, total, issued_on, due_on)"
                },
                "invoices",
            ),
        ),
        (
            "invoice_lines",
            agg(
                "invoice_lines",
                "organization_id",
                "concat_ws('|', id, invoice_id, description, quantity, unit_price)",
                "invoice_lines",
            ),
        ),
        (
            "payments",
            agg(
                payments,
                "organization_id",
                "concat_ws('|', id, invoice_id, amount, reference)",
                payments,
            ),
        ),
    ];
    if v >= 7 {
        q.push((
            "invoice_events",
            agg(
                "invoice_events",
                "organization_id",
                "concat_ws('|', id, invoice_id, kind, amount, currency, occurred_at, tableoid::regclass)",
                "invoice_events",
            ),
        ));
    }
    if v >= 4 {
        q.push((
            "products",
            agg(
                "products",
                "organization_id",
                "concat_ws('|', id, name, sku, unit_price)",
                "products",
            ),
        ));
    }
    q
}

type Snapshot = BTreeMap<String, Vec<(String, i64, String)>>;

/// Counts and checksums per tenant, read as the superuser (who sees every row).
fn snapshot(d: &Deployment, v: u32) -> Snapshot {
    let mut su = d.superuser();
    logical_queries(v)
        .into_iter()
        .map(|(table, sql)| {
            let rows = su
                .query(sql.as_str(), &[])
                .unwrap_or_else(|e| panic!("checksum of {table} at version {v}: {e}"))
                .iter()
                .map(|r| (r.get(0), r.get(1), r.get(2)))
                .collect();
            (table.to_string(), rows)
        })
        .collect()
}

/// Tables with a tenant column (`organization_id`), from the catalog.
fn tenant_tables(su: &mut postgres::Client) -> Vec<String> {
    su.query(
        "SELECT c.relname::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
         JOIN pg_attribute a ON a.attrelid = c.oid
         WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND a.attname = 'organization_id'
           AND NOT a.attisdropped ORDER BY 1",
        &[],
    )
    .expect("tenant tables")
    .iter()
    .map(|r| r.get(0))
    .collect()
}

fn db_message(e: &postgres::Error) -> String {
    e.as_db_error()
        .map(|d| d.message().to_string())
        .unwrap_or_else(|| e.to_string())
}

fn count(c: &mut postgres::Client, sql: &str) -> i64 {
    c.query_one(sql, &[])
        .unwrap_or_else(|e| panic!("{sql}: {}", db_message(&e)))
        .get(0)
}

/// The application, as tenant A, against every tenant-owned row of tenant B.
fn check_isolated(d: &Deployment, what: &str, f: &mut Vec<String>) {
    let mut su = d.superuser();
    let mut app = d.connect_as(&d.app);
    app.batch_execute(&format!("SET {TENANT_SETTING} = '{ORG_A}'"))
        .expect("set tenant");
    let mut tables = tenant_tables(&mut su);
    tables.push("organizations".into());
    tables.push("audit_log".into());
    let unreadable: Vec<String> = tables
        .iter()
        .filter_map(|t| {
            app.query(&format!("SELECT 1 FROM {t} LIMIT 0"), &[])
                .err()
                .map(|e| format!("{t} ({})", db_message(&e)))
        })
        .collect();
    if !unreadable.is_empty() {
        f.push(format!(
            "{what}: the application cannot read {}",
            unreadable.join(", ")
        ));
        return;
    }
    tables.pop();
    for t in &tables {
        let key = if t == "organizations" {
            "id"
        } else {
            "organization_id"
        };
        let own = count(
            &mut su,
            &format!("SELECT count(*) FROM {t} WHERE {key} = '{ORG_A}'"),
        );
        let others = count(
            &mut su,
            &format!("SELECT count(*) FROM {t} WHERE {key} <> '{ORG_A}'"),
        );
        let seen = count(&mut app, &format!("SELECT count(*) FROM {t}"));
        if (seen) != (own) {
            f.push(format!(
                "{what}: the application as tenant A reads {seen} rows of {t}, A owns {own}"
            ));
        }
        if others == 0 {
            continue;
        }
        let mut tx = app.transaction().expect("begin");
        let updated = tx
            .execute(
                &format!("UPDATE {t} SET {key} = {key} WHERE {key} = '{ORG_B}'"),
                &[],
            )
            .unwrap_or(0);
        let deleted = tx
            .execute(&format!("DELETE FROM {t} WHERE {key} = '{ORG_B}'"), &[])
            .unwrap_or(0);
        tx.rollback().expect("rollback");
        if (updated, deleted) != (0, 0) {
            f.push(format!(
                "{what}: tenant A updated {updated} and deleted {deleted} rows of tenant B in {t}"
            ));
        }
    }

    // Rows claiming tenant B: copies of A's rows with B's tenant and fresh keys.
    for t in tenant_tables(&mut su) {
        let cols: Vec<String> = su
            .query(
                "SELECT a.attname::text FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
                 JOIN pg_namespace n ON n.oid = c.relnamespace
                 WHERE n.nspname = 'public' AND c.relname = $1 AND a.attnum > 0
                   AND NOT a.attisdropped AND a.attgenerated = '' ORDER BY a.attnum",
                &[&t],
            )
            .expect("columns")
            .iter()
            .map(|r| r.get(0))
            .collect();
        if count(&mut app, &format!("SELECT count(*) FROM {t}")) == 0 {
            continue;
        }
        let values: Vec<String> = cols
            .iter()
            .map(|c| match c.as_str() {
                "organization_id" => format!("'{ORG_B}'::uuid"),
                "id" => "gen_random_uuid()".to_string(),
                other => other.to_string(),
            })
            .collect();
        let sql = format!(
            "INSERT INTO {t} ({}) SELECT {} FROM {t} LIMIT 1",
            cols.join(", "),
            values.join(", ")
        );
        let mut tx = app.transaction().expect("begin");
        let result = tx.execute(sql.as_str(), &[]);
        tx.rollback().expect("rollback");
        match result {
            Ok(n) => f.push(format!(
                "{what}: tenant A inserted {n} row(s) of tenant B into {t}"
            )),
            Err(e) if !format!("{e:?}").contains("row-level security") => f.push(format!(
                "{what}: inserting B's row into {t} failed for another reason than the policy: {e:?}"
            )),
            Err(_) => {}
        }
    }

    // Links from A's rows to B's rows through every foreign key between tenant tables.
    let fks: Vec<(String, String, String, String)> = su
        .query(
            "SELECT cl.relname::text, a.attname::text, rl.relname::text, ra.attname::text
             FROM pg_constraint k
             JOIN pg_class cl ON cl.oid = k.conrelid JOIN pg_class rl ON rl.oid = k.confrelid
             JOIN LATERAL unnest(k.conkey, k.confkey) AS u(c, r) ON true
             JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = u.c
             JOIN pg_attribute ra ON ra.attrelid = k.confrelid AND ra.attnum = u.r
             WHERE k.contype = 'f' AND a.attname <> 'organization_id'
               AND cl.relnamespace = 'public'::regnamespace ORDER BY 1, 2",
            &[],
        )
        .expect("foreign keys")
        .iter()
        .map(|r| (r.get(0), r.get(1), r.get(2), r.get(3)))
        .collect();
    for (table, col, target, target_col) in fks {
        if target == "organizations" {
            continue;
        }
        let b_key: Option<String> = su
            .query(
                &format!(
                    "SELECT {target_col}::text FROM {target} WHERE organization_id = '{ORG_B}' LIMIT 1"
                ),
                &[],
            )
            .ok()
            .and_then(|rows| rows.first().map(|r| r.get(0)));
        let Some(b_key) = b_key else { continue };
        if count(&mut app, &format!("SELECT count(*) FROM {table}")) == 0 {
            continue;
        }
        let sql = format!(
            "UPDATE {table} SET {col} = '{b_key}' WHERE ctid = (SELECT ctid FROM {table} LIMIT 1)"
        );
        let mut tx = app.transaction().expect("begin");
        let result = tx.execute(sql.as_str(), &[]);
        tx.rollback().expect("rollback");
        if let Ok(n) = result
            && n != 0
        {
            f.push(format!(
                "{what}: tenant A linked its {table}.{col} to tenant B's {target} row"
            ));
        }
    }

    // The audit log holds the old and new rows of every tenant.
    let leaked = count(
        &mut app,
        &format!(
            "SELECT count(*) FROM audit_log
             WHERE coalesce(new_data, old_data) ->> 'organization_id' IS DISTINCT FROM '{ORG_A}'"
        ),
    );
    if (leaked) != (0) {
        f.push(format!(
            "{what}: tenant A reads {leaked} audit_log rows of other tenants"
        ));
    }
}

/// The parameters of an access pattern's SQL, from the column each is compared with.
fn parameter_values(sql: &str, known: &BTreeMap<&str, String>) -> Vec<String> {
    let mut values: BTreeMap<usize, String> = BTreeMap::new();
    let words: Vec<&str> = sql
        .split(|c: char| c.is_whitespace() || c == '(' || c == ')' || c == ',')
        .filter(|w| !w.is_empty())
        .collect();
    for (i, w) in words.iter().enumerate() {
        let Some(n) = w.strip_prefix('$').and_then(|n| n.parse::<usize>().ok()) else {
            continue;
        };
        let before = if i >= 2 { words[i - 2] } else { "" };
        let op = if i >= 1 { words[i - 1] } else { "" };
        let column = before.rsplit('.').next().unwrap_or(before);
        let value = match (op.to_ascii_uppercase().as_str(), column) {
            ("LIMIT", _) => "20".to_string(),
            ("OFFSET", _) => "0".to_string(),
            (_, col) => known
                .get(col)
                .cloned()
                .unwrap_or_else(|| panic!("no test value for ${n} (compared with {col}) in {sql}")),
        };
        values.insert(n, value);
    }
    values.into_values().collect()
}

/// Every access pattern of the version, EXPLAINed as the application role of tenant A: the
/// plan uses an index the design says serves it.
fn check_patterns_use_their_indexes(d: &Deployment, dir: &Path, what: &str, f: &mut Vec<String>) {
    let out = common::strata()
        .args(["build", "--format", "json"])
        .arg(dir)
        .output()
        .expect("strata build --format json");
    let model: serde_json::Value = serde_json::from_slice(&out.stdout).expect("model JSON");
    let mut su = d.superuser();
    su.batch_execute("ANALYZE").expect("analyze");
    let payments = if version_number(dir) >= 9 {
        "receipts"
    } else {
        "payments"
    };
    let mut known: BTreeMap<&str, String> = BTreeMap::new();
    known.insert("organization_id", ORG_A.to_string());
    known.insert("slug", "org-a".to_string());
    known.insert("kind", "reminded".to_string());
    let pick = |su: &mut postgres::Client, sql: &str| -> String {
        su.query_one(sql, &[])
            .unwrap_or_else(|e| panic!("{sql}: {e}"))
            .get(0)
    };
    known.insert(
        "customer_id",
        pick(
            &mut su,
            &format!(
                "SELECT customer_id::text FROM invoices WHERE organization_id = '{ORG_A}'
                 GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1"
            ),
        ),
    );
    known.insert(
        "invoice_id",
        pick(
            &mut su,
            &format!(
                "SELECT invoice_id::text FROM {payments} WHERE organization_id = '{ORG_A}' ORDER BY 1 LIMIT 1"
            ),
        ),
    );
    known.insert(
        "number",
        pick(
            &mut su,
            &format!(
                "SELECT number FROM invoices WHERE organization_id = '{ORG_A}' ORDER BY 1 LIMIT 1"
            ),
        ),
    );

    let mut app = d.connect_as(&d.app);
    // The test data is far smaller than the declared row counts; the question is whether the
    // index can serve the query under row-level security, not whether it is the cheapest
    // plan on a few thousand rows.
    app.batch_execute(&format!(
        "SET {TENANT_SETTING} = '{ORG_A}'; SET enable_seqscan = off"
    ))
    .expect("session settings");
    let patterns = model["access_patterns"]
        .as_array()
        .expect("access patterns");
    assert!(!patterns.is_empty());
    for p in patterns {
        let name = p["name"].as_str().expect("name");
        let sql = p["sql"].as_str().expect("sql");
        let mut served_by: Vec<String> = p["served_by"]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|v| v.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default();
        // On a partitioned table the plan scans the partitions' indexes, which PostgreSQL
        // made for the parent's.
        let partition_indexes: Vec<String> = served_by
            .iter()
            .flat_map(|ix| {
                su.query(
                    "SELECT relid::regclass::text FROM pg_partition_tree($1::text::regclass)
                     WHERE relid <> $1::text::regclass",
                    &[ix],
                )
                .unwrap_or_else(|e| panic!("partitions of index {ix}: {e}"))
                .iter()
                .map(|r| r.get::<_, String>(0))
                .collect::<Vec<_>>()
            })
            .collect();
        served_by.extend(partition_indexes);
        if served_by.is_empty() {
            f.push(format!(
                "{what}: the design names no index for access pattern {name}"
            ));
            continue;
        }
        let args = parameter_values(sql, &known);
        if let Err(e) = app.batch_execute(&format!("PREPARE p AS {sql}")) {
            f.push(format!(
                "{what}: access pattern {name} does not run as the application role: {}",
                db_message(&e)
            ));
            continue;
        }
        let quoted: Vec<String> = args.iter().map(|a| format!("'{a}'")).collect();
        let explain_sql = if quoted.is_empty() {
            "EXPLAIN (FORMAT JSON) EXECUTE p".to_string()
        } else {
            format!("EXPLAIN (FORMAT JSON) EXECUTE p({})", quoted.join(", "))
        };
        let plan_rows = match app.simple_query(explain_sql.as_str()) {
            Ok(rows) => rows,
            Err(e) => {
                f.push(format!(
                    "{what}: access pattern {name} does not run as the application role: {}",
                    db_message(&e)
                ));
                app.batch_execute("DEALLOCATE p").expect("deallocate");
                continue;
            }
        };
        let plan_json: String = plan_rows
            .iter()
            .find_map(|m| match m {
                postgres::SimpleQueryMessage::Row(r) => r.get(0).map(str::to_string),
                _ => None,
            })
            .expect("a plan");
        let plan: serde_json::Value = serde_json::from_str(&plan_json).expect("plan JSON");
        app.batch_execute("DEALLOCATE p").expect("deallocate");
        let plan_text = plan.to_string();
        if !served_by
            .iter()
            .any(|ix| plan_text.contains(&format!("\"{ix}\"")))
        {
            f.push(format!("{what}: access pattern {name} does not use {served_by:?} as the application role under row-level security:\n{}", serde_json::to_string_pretty(&plan).unwrap_or_default()));
        }
    }
}

/// The application's privileges, granted outside the design, on every table.
fn check_grants_intact(d: &Deployment, what: &str, f: &mut Vec<String>) {
    let mut su = d.superuser();
    let missing: Vec<String> = su
        .query(
            "SELECT c.relname || ' ' || p.priv FROM pg_class c
             CROSS JOIN unnest(ARRAY['SELECT','INSERT','UPDATE','DELETE']) AS p(priv)
             WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p')
               AND NOT has_table_privilege($1, c.oid, p.priv) ORDER BY 1",
            &[&d.app],
        )
        .expect("privileges")
        .iter()
        .map(|r| r.get(0))
        .collect();
    if !missing.is_empty() {
        f.push(format!(
            "{what}: the application role lost privileges granted outside the design: {missing:?}"
        ));
    }
}

/// PostgreSQL's table lock modes, weakest first.
const LOCK_MODES: [&str; 8] = [
    "AccessShareLock",
    "RowShareLock",
    "RowExclusiveLock",
    "ShareUpdateExclusiveLock",
    "ShareLock",
    "ShareRowExclusiveLock",
    "ExclusiveLock",
    "AccessExclusiveLock",
];

fn lock_rank(mode: &str) -> usize {
    LOCK_MODES
        .iter()
        .position(|m| *m == mode)
        .unwrap_or_else(|| panic!("unknown lock mode {mode}"))
}

/// The lock a step's header claims (`--   lock: SHARE UPDATE EXCLUSIVE; outside a
/// transaction`), as a rank; `None` for `lock: none`.
fn claimed_lock(comments: &str) -> Option<Option<usize>> {
    let line = comments
        .lines()
        .filter_map(|l| l.trim().strip_prefix("--"))
        .filter_map(|l| l.trim().strip_prefix("lock:"))
        .next_back()?;
    // `SHARE UPDATE EXCLUSIVE (held from an earlier step of this transaction)`: the mode.
    let claim = line.split([';', '(']).next().unwrap_or("").trim();
    if claim.eq_ignore_ascii_case("none") {
        return Some(None);
    }
    let wanted: String = claim
        .split_whitespace()
        .collect::<Vec<_>>()
        .join("")
        .to_lowercase()
        + "lock";
    Some(Some(
        LOCK_MODES
            .iter()
            .position(|m| m.to_lowercase() == wanted)
            .unwrap_or_else(|| panic!("unknown lock claim `{claim}`")),
    ))
}

/// Runs migration `version`'s up file on a copy of the database, statement by statement as
/// the owner, and after each statement reads from a second connection the locks the owner's
/// transaction holds on tables that existed before the migration. A statement that takes a
/// lock on a table must claim at least the strongest lock its transaction then holds on it
/// (a claim is a promise about what concurrent sessions can still do while the step runs).
fn check_lock_claims(d: &Deployment, version: u32, what: &str, f: &mut Vec<String>) {
    let folder = strata_migrate::Folder::read(&migrations()).expect("migrations folder");
    let Some(migration) = folder.get(u64::from(version)) else {
        return;
    };
    let sql = migration.up.clone();
    let clone = format!("{}_locks_{version}", d.db);
    let mut admin = d.cluster.connect("postgres").expect("connect");
    admin
        .batch_execute(&format!(
            "CREATE DATABASE {clone} TEMPLATE {} OWNER {}",
            d.db, d.owner
        ))
        .expect("copy the database");
    let url = format!(
        "postgres://{}@{}:{}/{clone}",
        d.owner,
        d.cluster.host(),
        d.cluster.port()
    );
    {
        let mut owner = postgres::Client::connect(&url, postgres::NoTls).expect("owner");
        let mut observer = d.cluster.connect(&clone).expect("observer");
        let pid: i32 = owner
            .query_one("SELECT pg_backend_pid()", &[])
            .expect("pid")
            .get(0);
        let tables: Vec<u32> = observer
            .query(
                "SELECT c.oid FROM pg_class c WHERE c.relkind IN ('r', 'p')
                 AND c.relnamespace = 'public'::regnamespace",
                &[],
            )
            .expect("tables")
            .iter()
            .map(|r| r.get(0))
            .collect();
        let held = |observer: &mut postgres::Client| -> BTreeMap<String, Vec<String>> {
            let mut m: BTreeMap<String, Vec<String>> = BTreeMap::new();
            for r in observer
                .query(
                    "SELECT relation::regclass::text, mode FROM pg_locks
                     WHERE pid = $1 AND granted AND locktype = 'relation' AND relation = ANY($2)",
                    &[&pid, &tables],
                )
                .expect("pg_locks")
            {
                m.entry(r.get(0)).or_default().push(r.get(1));
            }
            for modes in m.values_mut() {
                modes.sort();
            }
            m
        };
        let in_one_transaction = strata_migrate::runner::mode(&sql).is_none();
        if in_one_transaction {
            owner.batch_execute("BEGIN").expect("begin");
        }
        let mut in_tx = in_one_transaction;
        let mut before = BTreeMap::new();
        let mut gap_start = 0;
        let mut claim: Option<Option<usize>> = None;
        let mut claim_text = String::new();
        for st in strata_sql::split::split(&sql) {
            let comments = &sql[gap_start..st.range.start];
            gap_start = st.range.end;
            let upper = st.sql.to_ascii_uppercase();
            if upper == "BEGIN" || upper.starts_with("BEGIN;") {
                in_tx = true;
            }
            if let Err(e) = owner.batch_execute(&st.sql) {
                f.push(format!(
                    "{what}: replaying the migration as the owner failed at `{}`: {}",
                    st.sql,
                    e.as_db_error()
                        .map(|d| d.message().to_string())
                        .unwrap_or_else(|| e.to_string())
                ));
                break;
            }
            if upper == "COMMIT" || upper == "ROLLBACK" {
                in_tx = false;
                before.clear();
                continue;
            }
            if !in_tx {
                continue;
            }
            // A step is its header comment and the statements up to the next comment; a
            // comment without a `lock:` line starts hand-written SQL, which claims nothing.
            if comments.contains("--") {
                claim = claimed_lock(comments);
                claim_text = comments
                    .lines()
                    .rfind(|l| l.contains("lock:"))
                    .unwrap_or("")
                    .trim()
                    .to_string();
            }
            let after = held(&mut observer);
            for (table, modes) in &after {
                let newly = modes.iter().any(|m| {
                    !before
                        .get(table)
                        .is_some_and(|b: &Vec<String>| b.contains(m))
                });
                if !newly {
                    continue;
                }
                let strongest = modes.iter().map(|m| lock_rank(m)).max().unwrap_or(0);
                let ok = match claim {
                    Some(Some(rank)) => rank >= strongest,
                    // A statement without a header of its own (hand-written SQL) is judged
                    // by nothing: only Strata's claims are checked.
                    None => true,
                    Some(None) => false,
                };
                if !ok {
                    f.push(format!(
                        "{what}: `{}` claims `{}` but its transaction holds {} on {table}",
                        st.sql.lines().next().unwrap_or(""),
                        claim_text,
                        LOCK_MODES[strongest]
                    ));
                }
            }
            before = after;
        }
        if in_tx {
            let _ = owner.batch_execute("COMMIT");
        }
    }
    admin
        .batch_execute(&format!("DROP DATABASE {clone} WITH (FORCE)"))
        .expect("drop the copy");
}

#[test]
fn the_last_version_is_examples_saas_and_each_version_has_its_migration() {
    let versions = versions();
    assert!(
        versions.len() >= 6,
        "at least five evolutions after the initial schema"
    );
    let last = versions.last().expect("a version");
    assert_eq!(
        strata_files(last),
        strata_files(&repo_root().join("examples/saas")),
        "examples/saas must be the last version ({})",
        last.display()
    );
    let folder = strata_migrate::Folder::read(&migrations()).expect("migrations folder");
    folder
        .verify_sum()
        .expect("strata.sum matches the migrations");
    let ids: Vec<String> = folder.migrations.iter().map(|m| m.id()).collect();
    let names: Vec<String> = versions.iter().map(|v| version_id(v)).collect();
    assert_eq!(ids, names, "one migration per version, same names");
    assert!(folder.migrations.iter().all(|m| m.down.is_some()));
}

#[test]
fn migrate_apply_as_a_non_superuser_owner_keeps_every_row_and_every_tenant_apart() {
    let versions = versions();
    let d = Deployment::new("migrate");
    let mut previous: Option<Snapshot> = None;
    let mut f: Vec<String> = Vec::new();
    for (i, dir) in versions.iter().enumerate() {
        let v = version_number(dir);
        let what = format!("after migrating to {}", version_id(dir));
        check_lock_claims(&d, v, &what, &mut f);
        if let Err(e) = d.migrate_apply(v) {
            f.push(format!("{what}: {e}"));
            break;
        }
        let mut su = d.superuser();
        check_same(&live_catalog(&mut su), &designed(dir), &what, &mut f);
        if i == 0 {
            d.grant_app();
            load_tenants(&d);
        }
        if let Some(before) = &previous {
            let after = snapshot(&d, v);
            for (table, rows) in before {
                if (after.get(table)) != (Some(rows)) {
                    f.push(format!(
                        "{what}: {table} lost or changed rows (per tenant: id, count, checksum)"
                    ));
                }
            }
        }
        if v == 4 {
            load_products(&d);
        }
        if v == 7 {
            load_events(&d);
        }
        check_grants_intact(&d, &what, &mut f);
        check_isolated(&d, &what, &mut f);
        check_patterns_use_their_indexes(&d, dir, &what, &mut f);
        previous = Some(snapshot(&d, v));
    }
    assert!(f.is_empty(), "{} problem(s):\n{}", f.len(), f.join("\n"));
}

/// `strata apply --to DIR URL --yes` as the owner, with the hazards allowed.
fn declarative_apply(d: &Deployment, dir: &Path, allow: &[&str]) -> Result<String, String> {
    let mut cmd = common::strata();
    cmd.args(["apply", "--yes", "--to"])
        .arg(dir)
        .arg(d.url_as(&d.owner));
    for code in allow {
        cmd.args(["--allow-hazard", code]);
    }
    let out = cmd.output().expect("run strata apply");
    let all = text(&out.stderr) + &text(&out.stdout);
    if out.status.success() {
        Ok(all)
    } else {
        Err(format!(
            "strata apply --to {} (as the owner) failed ({:?}):\n{all}",
            dir.display(),
            out.status.code()
        ))
    }
}

fn counts(s: &Snapshot) -> BTreeMap<String, Vec<(String, i64)>> {
    s.iter()
        .map(|(t, rows)| {
            (
                t.clone(),
                rows.iter().map(|(org, n, _)| (org.clone(), *n)).collect(),
            )
        })
        .collect()
}

#[test]
fn strata_apply_as_a_non_superuser_owner_follows_every_version_and_gates_data_loss() {
    let versions = versions();
    let d = Deployment::new("apply");
    let mut previous: Option<Snapshot> = None;
    let mut f: Vec<String> = Vec::new();
    for (i, dir) in versions.iter().enumerate() {
        let v = version_number(dir);
        let what = format!("after `strata apply` of {}", version_id(dir));
        // Splitting the customer's address out drops two columns, and merging the city into
        // the address drops one: apply must refuse until the data loss is allowed by its
        // hazard code, and leave the database unchanged.
        if v == 5 || v == 9 {
            let before = live_catalog(&mut d.superuser());
            match declarative_apply(&d, dir, &["validates_rows", "may_fail", "breaks_clients"]) {
                Ok(out) => f.push(format!(
                    "{what}: dropping columns was applied without allowing deletes_data:\n{out}"
                )),
                Err(e) if !e.contains("deletes_data") => f.push(format!(
                    "{what}: the refusal does not name the deletes_data hazard:\n{e}"
                )),
                Err(_) => {}
            }
            if live_catalog(&mut d.superuser()) != before {
                f.push(format!("{what}: a refused apply changed the database"));
            }
        }
        // What a reviewer accepts, as in the migrations folder: constraints that scan
        // existing rows, the rename (clients must follow it), the key checked under a lock,
        // and at versions 5 and 9 the dropped columns.
        let allow: &[&str] = match v {
            3 => &["validates_rows", "may_fail", "breaks_clients"],
            4 => &["validates_rows", "may_fail", "long_lock"],
            5 | 9 => &[
                "validates_rows",
                "may_fail",
                "deletes_data",
                "breaks_clients",
            ],
            // A column of a constrained domain rewrites invoices to check its default.
            7 => &["validates_rows", "may_fail", "rewrites_table", "long_lock"],
            // The domain's tightened check is validated over every table using it.
            8 => &["validates_rows", "may_fail", "long_lock"],
            _ => &["validates_rows", "may_fail"],
        };
        if let Err(e) = declarative_apply(&d, dir, allow) {
            f.push(format!("{what}: {e}"));
            break;
        }
        check_same(
            &live_catalog(&mut d.superuser()),
            &designed(dir),
            &what,
            &mut f,
        );
        if i == 0 {
            d.grant_app();
            load_tenants(&d);
        }
        if let Some(before) = &previous {
            let after = counts(&snapshot(&d, v));
            for (table, rows) in counts(before) {
                if after.get(&table) != Some(&rows) {
                    f.push(format!(
                        "{what}: {table} lost rows (per tenant)\n  before: {rows:?}\n  after: {:?}",
                        after.get(&table)
                    ));
                }
            }
        }
        if v == 4 {
            load_products(&d);
        }
        if v == 7 {
            load_events(&d);
        }
        check_grants_intact(&d, &what, &mut f);
        check_isolated(&d, &what, &mut f);
        check_patterns_use_their_indexes(&d, dir, &what, &mut f);
        previous = Some(snapshot(&d, v));
    }
    assert!(f.is_empty(), "{} problem(s):\n{}", f.len(), f.join("\n"));
}
