//! The what-if session of `strata advise`: one transaction, rolled back at the end, in which
//! statements are costed by `EXPLAIN` of their generic plan and hypothetical indexes (hypopg)
//! exist only in this backend's memory.
//!
//! What it does to the server: if hypopg is not installed in the database, `CREATE EXTENSION
//! hypopg` inside the transaction (rolled back with it); then the transaction is made read-only
//! (`transaction_read_only = on`), so nothing after that can write. `EXPLAIN` without ANALYZE
//! runs nothing, writes included. Prepared statements are deallocated as soon as they are
//! costed and the connection is closed afterwards.

use anyhow::{Context as _, bail};
use strata_model::{Index, QualifiedName};
use strata_pg::postgres::{Client, SimpleQueryMessage, Transaction};

/// A statement's estimated cost and the indexes its plan reads.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Cost {
    /// The planner's total cost of the generic plan (its own units).
    pub total: f64,
    /// Index names the plan scans (hypothetical ones as hypopg names them).
    #[serde(skip)]
    pub indexes: Vec<String>,
}

/// A hypothetical index.
pub struct Hypo {
    pub oid: u32,
    /// The name plans show (`<13556>btree_tasks_user_id`).
    pub name: String,
    pub bytes: i64,
}

pub struct WhatIf<'c> {
    tx: Transaction<'c>,
    /// Where hypopg's functions live, quoted.
    schema: String,
    next: usize,
}

impl<'c> WhatIf<'c> {
    pub fn begin(client: &'c mut Client) -> anyhow::Result<WhatIf<'c>> {
        let mut tx = client.transaction()?;
        // EXPLAIN needs only ACCESS SHARE; never queue behind a long lock on a live server.
        tx.batch_execute("SET LOCAL lock_timeout = '5s'; SET LOCAL statement_timeout = '60s'")?;
        let installed = tx.query_opt(
            "SELECT n.nspname::text FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace \
             WHERE e.extname = 'hypopg'",
            &[],
        )?;
        let schema: String = match installed {
            Some(row) => row.get(0),
            None => {
                let available = tx
                    .query_opt(
                        "SELECT 1 FROM pg_available_extensions WHERE name = 'hypopg'",
                        &[],
                    )?
                    .is_some();
                if !available {
                    bail!(
                        "the server has no hypopg extension, which advise needs for hypothetical indexes: install it on the server (Debian and Ubuntu: the postgresql-NN-hypopg package), or run advise on the .strata design, which uses a throwaway server"
                    );
                }
                tx.batch_execute("CREATE EXTENSION hypopg").context(
                    "could not create the extension hypopg (only for this run: the transaction is rolled back); connect as a role that may create extensions, or have an administrator run CREATE EXTENSION hypopg",
                )?;
                tx.query_one(
                    "SELECT n.nspname::text FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace \
                     WHERE e.extname = 'hypopg'",
                    &[],
                )?
                .get(0)
            }
        };
        // From here on nothing can write; generic plans cost a statement for any parameters.
        tx.batch_execute(
            "SET LOCAL transaction_read_only = on; SET LOCAL plan_cache_mode = force_generic_plan",
        )?;
        Ok(WhatIf {
            tx,
            schema: strata_model::quote_ident(&schema),
            next: 0,
        })
    }

    /// The generic plan's cost of `sql`, or why it could not be planned.
    pub fn cost(&mut self, sql: &str) -> anyhow::Result<Result<Cost, String>> {
        self.next += 1;
        let name = format!("strata_advise_{}", self.next);
        // A savepoint, so a statement that does not prepare leaves the session usable.
        let mut sp = self.tx.transaction()?;
        if let Err(e) = sp.batch_execute(&format!("PREPARE {name} AS {sql}")) {
            let _ = sp.rollback();
            return Ok(Err(e
                .as_db_error()
                .map(|d| d.message().to_string())
                .unwrap_or_else(|| e.to_string())));
        }
        let n: i32 = sp
            .query_one(
                "SELECT cardinality(parameter_types) FROM pg_prepared_statements WHERE name = $1",
                &[&name],
            )?
            .get(0);
        let args = if n > 0 {
            format!("({})", vec!["NULL"; n as usize].join(", "))
        } else {
            String::new()
        };
        let text = sp
            .simple_query(&format!("EXPLAIN (FORMAT JSON) EXECUTE {name}{args}"))
            .map(|messages| {
                messages.into_iter().find_map(|m| match m {
                    SimpleQueryMessage::Row(r) => r.get(0).map(str::to_string),
                    _ => None,
                })
            });
        sp.batch_execute(&format!("DEALLOCATE {name}"))?;
        sp.commit()?;
        let text = match text {
            Ok(Some(t)) => t,
            Ok(None) => return Ok(Err("EXPLAIN returned no plan".into())),
            Err(e) => {
                return Ok(Err(e
                    .as_db_error()
                    .map(|d| d.message().to_string())
                    .unwrap_or_else(|| e.to_string())));
            }
        };
        let json: serde_json::Value = serde_json::from_str(&text).context("EXPLAIN's JSON")?;
        let plan = &json[0]["Plan"];
        let mut indexes = Vec::new();
        collect_indexes(plan, &mut indexes);
        Ok(Ok(Cost {
            total: plan["Total Cost"].as_f64().unwrap_or(0.0),
            indexes,
        }))
    }

    /// Creates a hypothetical index (seen by this backend's planner only).
    pub fn create(&mut self, table: &QualifiedName, index: &Index) -> anyhow::Result<Hypo> {
        let mut unnamed = index.clone();
        unnamed.name = String::new();
        let ddl = strata_sql::render_index(table, &unnamed);
        let row = self
            .tx
            .query_one(
                &format!(
                    "SELECT h.indexrelid::int8, h.indexname::text, {s}.hypopg_relation_size(h.indexrelid) \
                     FROM {s}.hypopg_create_index($1) h",
                    s = self.schema
                ),
                &[&ddl.trim_end().trim_end_matches(';')],
            )
            .with_context(|| format!("hypopg could not create {ddl}"))?;
        Ok(Hypo {
            oid: u32::try_from(row.get::<_, i64>(0)).unwrap_or_default(),
            name: row.get(1),
            bytes: row.get(2),
        })
    }

    pub fn drop(&mut self, hypo: &Hypo) -> anyhow::Result<()> {
        self.tx.execute(
            &format!("SELECT {}.hypopg_drop_index($1::int8::oid)", self.schema),
            &[&i64::from(hypo.oid)],
        )?;
        Ok(())
    }

    /// Rolls everything back (the extension too, when this run created it).
    pub fn finish(self) -> anyhow::Result<()> {
        self.tx.rollback()?;
        Ok(())
    }
}

fn collect_indexes(node: &serde_json::Value, out: &mut Vec<String>) {
    if let Some(name) = node["Index Name"].as_str()
        && !out.iter().any(|n| n == name)
    {
        out.push(name.to_string());
    }
    if let Some(children) = node["Plans"].as_array() {
        for c in children {
            collect_indexes(c, out);
        }
    }
}
