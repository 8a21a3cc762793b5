//! Random schema pairs over every object kind: plan → apply on a real server (online plans
//! with `psql`, offline ones in one transaction) → the next plan is empty.
//!
//! A schema is drawn from independent choices: up to three tables of up to four columns
//! (types, nullability, defaults, indexes, a check, a unique key, a comment, a foreign key
//! between them, columns of the enum and the domain), an enum, a domain, a sequence, a
//! function, a view, a materialized view, a trigger, a policy with row-level security, a
//! grant and a second schema. Each pair is two such draws, so every kind is created, changed
//! and dropped across the cases.

use std::process::Command;

use proptest::prelude::*;
use strata_diff::{PlanOptions, plan};

#[derive(Debug, Clone)]
struct Col {
    ty: &'static str,
    nullable: bool,
    default: bool,
    indexed: bool,
}

fn col() -> impl Strategy<Value = Col> {
    (
        prop::sample::select(vec!["integer", "bigint", "text", "varchar(20)", "numeric"]),
        any::<bool>(),
        any::<bool>(),
        any::<bool>(),
    )
        .prop_map(|(ty, nullable, default, indexed)| Col {
            ty,
            nullable,
            default,
            indexed,
        })
}

#[derive(Debug, Clone)]
struct Tbl {
    cols: Vec<Option<Col>>,
    /// `CHECK (id > N)`, N drawn.
    check: Option<u8>,
    /// `UNIQUE (c0)` when c0 exists.
    unique: bool,
    comment: Option<&'static str>,
    /// A column of the enum, of the domain (when they exist).
    enum_col: bool,
    domain_col: bool,
    /// A foreign key to t0 (for t1 and t2, when t0 exists).
    refers: Option<&'static str>,
}

fn table() -> impl Strategy<Value = Tbl> {
    (
        prop::collection::vec(prop::option::of(col()), 4),
        prop::option::of(0u8..2),
        any::<bool>(),
        prop::option::of(prop::sample::select(vec!["one", "two"])),
        any::<bool>(),
        any::<bool>(),
        prop::option::of(prop::sample::select(vec![
            "CASCADE",
            "SET NULL",
            "NO ACTION",
        ])),
    )
        .prop_map(
            |(cols, check, unique, comment, enum_col, domain_col, refers)| Tbl {
                cols,
                check,
                unique,
                comment,
                enum_col,
                domain_col,
                refers,
            },
        )
}

#[derive(Debug, Clone)]
struct Schema {
    tables: Vec<Option<Tbl>>,
    /// 0: none; 1..: one of the value lists.
    enum_values: u8,
    /// 0: none; 1: plain; 2: with a check.
    domain: u8,
    /// 0: none; else its increment.
    sequence: u8,
    /// 0: none; else what it adds.
    function: u8,
    /// 0: none; 1, 2: two definitions (over t0).
    view: u8,
    materialized: bool,
    trigger: bool,
    policy: u8,
    grant: bool,
    other_schema: bool,
    online: bool,
}

fn schema() -> impl Strategy<Value = Schema> {
    (
        prop::collection::vec(prop::option::of(table()), 3),
        (0u8..4, 0u8..3, 0u8..3, 0u8..3),
        (0u8..3, any::<bool>(), any::<bool>(), 0u8..3),
        (any::<bool>(), any::<bool>(), any::<bool>()),
    )
        .prop_map(
            |(
                tables,
                (enum_values, domain, sequence, function),
                (view, materialized, trigger, policy),
                (grant, other_schema, online),
            )| Schema {
                tables,
                enum_values,
                domain,
                sequence,
                function,
                view,
                materialized,
                trigger,
                policy,
                grant,
                other_schema,
                online,
            },
        )
}

fn sql(s: &Schema) -> String {
    let mut out = String::from(
        "DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'strata_random_app') \
         THEN CREATE ROLE strata_random_app NOLOGIN; END IF; END $$;\n",
    );
    let values = match s.enum_values {
        1 => Some("'a', 'b'"),
        2 => Some("'a', 'b', 'c'"),
        3 => Some("'b', 'a'"),
        _ => None,
    };
    if let Some(v) = values {
        out.push_str(&format!("CREATE TYPE mood AS ENUM ({v});\n"));
    }
    match s.domain {
        1 => out.push_str("CREATE DOMAIN pos AS integer;\n"),
        2 => out.push_str("CREATE DOMAIN pos AS integer CONSTRAINT pos_check CHECK (VALUE > 0);\n"),
        _ => {}
    }
    if s.sequence > 0 {
        out.push_str(&format!("CREATE SEQUENCE s INCREMENT {};\n", s.sequence));
    }
    if s.function > 0 {
        out.push_str(&format!(
            "CREATE FUNCTION f(x integer) RETURNS integer LANGUAGE sql IMMUTABLE AS $f$ SELECT x + {} $f$;\n",
            s.function
        ));
    }
    if s.trigger {
        out.push_str(
            "CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $f$ BEGIN RETURN NEW; END $f$;\n",
        );
    }
    let t0 = s.tables.first().is_some_and(Option::is_some);
    for (i, t) in s.tables.iter().enumerate() {
        let Some(t) = t else { continue };
        let mut defs = vec!["id int PRIMARY KEY".to_string()];
        let mut after = Vec::new();
        for (j, c) in t.cols.iter().enumerate() {
            let Some(c) = c else { continue };
            let mut d = format!("c{j} {}", c.ty);
            if c.default {
                d.push_str(if c.ty.contains("char") || c.ty == "text" {
                    " DEFAULT 'x'"
                } else {
                    " DEFAULT 1"
                });
            }
            if !c.nullable {
                d.push_str(" NOT NULL");
            }
            defs.push(d);
            if c.indexed {
                after.push(format!("CREATE INDEX t{i}_c{j}_idx ON t{i} (c{j});"));
            }
        }
        if t.enum_col && values.is_some() {
            defs.push("m mood DEFAULT 'a'".into());
        }
        if t.domain_col && s.domain > 0 {
            defs.push("p pos".into());
        }
        if let Some(n) = t.check {
            defs.push(format!("CONSTRAINT t{i}_id_check CHECK (id > {n})"));
        }
        if t.unique && t.cols.first().is_some_and(Option::is_some) {
            defs.push(format!("CONSTRAINT t{i}_c0_key UNIQUE (c0)"));
        }
        if let Some(action) = t.refers.filter(|_| i > 0 && t0) {
            defs.push(format!("ref int REFERENCES t0 ON DELETE {action}"));
            after.push(format!("CREATE INDEX t{i}_ref_idx ON t{i} (ref);"));
        }
        out.push_str(&format!("CREATE TABLE t{i} ({});\n", defs.join(", ")));
        for stmt in after {
            out.push_str(&stmt);
            out.push('\n');
        }
        if let Some(c) = t.comment {
            out.push_str(&format!("COMMENT ON TABLE t{i} IS '{c}';\n"));
        }
    }
    if t0 {
        match s.view {
            1 => out.push_str("CREATE VIEW v AS SELECT id FROM t0;\n"),
            2 => out.push_str("CREATE VIEW v AS SELECT id FROM t0 WHERE id > 1;\n"),
            _ => {}
        }
        if s.materialized {
            out.push_str("CREATE MATERIALIZED VIEW mv AS SELECT count(*) AS n FROM t0;\n");
        }
        if s.trigger {
            out.push_str(
                "CREATE TRIGGER t0_touch BEFORE UPDATE ON t0 FOR EACH ROW EXECUTE FUNCTION touch();\n",
            );
        }
        match s.policy {
            1 => out.push_str(
                "ALTER TABLE t0 ENABLE ROW LEVEL SECURITY;\nCREATE POLICY t0_all ON t0 USING (id > 0);\n",
            ),
            2 => out.push_str(
                "ALTER TABLE t0 ENABLE ROW LEVEL SECURITY;\nALTER TABLE t0 FORCE ROW LEVEL SECURITY;\n\
                 CREATE POLICY t0_all ON t0 FOR SELECT TO strata_random_app USING (true);\n",
            ),
            _ => {}
        }
        if s.grant {
            out.push_str("GRANT SELECT ON t0 TO strata_random_app;\n");
        }
    }
    if s.other_schema {
        out.push_str("CREATE SCHEMA app;\nCREATE TABLE app.x (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY);\n");
    }
    out
}

fn model_of(sql: &str) -> (String, strata_model::Model) {
    let cluster = strata_pg::shared_cluster().expect("cluster");
    let db = cluster.create_database().expect("db");
    let mut client = cluster.connect(&db).expect("connect");
    strata_pg::apply_sql(&mut client, sql).unwrap_or_else(|e| panic!("{e}\n{sql}"));
    let m = strata_pg::introspect(&mut client, &Default::default())
        .expect("introspect")
        .model;
    (db, m)
}

/// Runs a plan's script with psql, as a user would (online plans have steps that must run
/// outside a transaction).
fn psql(db: &str, script: &str) -> Result<(), String> {
    let cluster = strata_pg::shared_cluster().map_err(|e| e.to_string())?;
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    let file = dir.path().join("plan.sql");
    std::fs::write(&file, script).map_err(|e| e.to_string())?;
    let out = Command::new(
        cluster
            .client_program("psql")
            .ok_or("no psql for the cluster")?,
    )
    .args([
        "-X",
        "-q",
        "-v",
        "ON_ERROR_STOP=1",
        "-d",
        &cluster.url(db),
        "-f",
    ])
    .arg(&file)
    .output()
    .map_err(|e| e.to_string())?;
    if out.status.success() {
        Ok(())
    } else {
        Err(String::from_utf8_lossy(&out.stderr).into_owned())
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]
    #[test]
    fn plan_apply_then_plan_is_empty(a in schema(), b in schema()) {
        let (db, from) = model_of(&sql(&a));
        let (_, to) = model_of(&sql(&b));
        let opts = PlanOptions {
            online: b.online,
            lock_timeout: None,
            prune: true,
        };
        let p = plan(&from, &to, &opts).expect("plan");
        let script = p.up_sql();
        psql(&db, &script).map_err(|e| TestCaseError::fail(format!("{e}\n{script}")))?;
        let cluster = strata_pg::shared_cluster().expect("cluster");
        let mut client = cluster.connect(&db).expect("connect");
        let after = strata_pg::introspect(&mut client, &Default::default())
            .expect("introspect")
            .model;
        let again = plan(&after, &to, &opts).expect("plan again");
        prop_assert!(again.is_empty(), "{}\nafter:\n{script}", again.up_sql());
    }
}
