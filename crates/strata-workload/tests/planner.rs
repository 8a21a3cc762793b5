//! The cost model against PostgreSQL's own planner: a `tasks` table filled with
//! generate_series data at the shape its `rows` and `stats` declare, each candidate index
//! created alone, every read pattern EXPLAINed through it (and through a sequential scan
//! without any index). With the planner's own constants ([`CostParams::planner`]) the two
//! must rank the alternatives of each pattern alike: whenever the planner finds one plan at
//! least 1.5 times cheaper than another, the model orders them the same way. Absolute numbers
//! are not compared.

use sqlparser::dialect::PostgreSqlDialect;
use sqlparser::parser::Parser;
use strata_diagnostics::SourceMap;
use strata_model::{Model, QualifiedName};
use strata_pg::{Cluster, ClusterOptions};
use strata_workload::candidates::{self, Candidate};
use strata_workload::profile::Profile;
use strata_workload::{CostParams, Defaults, Pattern, Workload, cost};

const USERS: u32 = 1_000;
const TASKS: u32 = 200_000;

fn schema() -> String {
    format!(
        "conventions {{ timestamps on }}
entity User {{
  name text(100)
  rows {USERS}
}}
entity Task {{
  title     text(200)
  completed bool = false
  due_date  timestamptz?
  user      -> User on delete cascade
  soft_delete
  rows {TASKS}
  stats completed true 70%
  stats deleted_at null 95%
  stats due_date null 0%
  stats due_date range 2%
}}
"
    )
}

/// (name, SQL with parameters, the same with the values EXPLAIN uses)
fn patterns(user: &str) -> Vec<(&'static str, &'static str, String)> {
    let p = |sql: &'static str, values: &[&str]| {
        let mut s = sql.to_string();
        for (i, v) in values.iter().enumerate().rev() {
            s = s.replace(&format!("${}", i + 1), v);
        }
        s
    };
    let u = format!("'{user}'::uuid");
    let soon = "now() + interval '2 days'";
    let rows: [(&str, &str, Vec<&str>); 5] = [
        (
            "open_tasks",
            "SELECT id, title, due_date FROM tasks WHERE user_id = $1 AND NOT completed AND deleted_at IS NULL ORDER BY created_at DESC LIMIT 20",
            vec![&u],
        ),
        (
            "list_tasks",
            "SELECT * FROM tasks WHERE user_id = $1 AND deleted_at IS NULL ORDER BY created_at DESC LIMIT 20",
            vec![&u],
        ),
        (
            "by_completion",
            "SELECT * FROM tasks WHERE user_id = $1 AND completed = $2 AND deleted_at IS NULL ORDER BY created_at DESC LIMIT 20",
            vec![&u, "false"],
        ),
        (
            "count_by_status",
            "SELECT completed, count(*) FROM tasks WHERE user_id = $1 AND deleted_at IS NULL GROUP BY completed",
            vec![&u],
        ),
        (
            "due_soon",
            "SELECT id, user_id, title FROM tasks WHERE due_date < $1 AND NOT completed AND deleted_at IS NULL ORDER BY due_date",
            vec![soon],
        ),
    ];
    rows.into_iter()
        .map(|(n, sql, v)| (n, sql, p(sql, &v)))
        .collect()
}

fn design() -> Model {
    let mut sources = SourceMap::new();
    sources.add("planner.strata", schema());
    let (files, diags) = strata_lang::parse_sources(&sources);
    assert!(diags.is_empty(), "{diags:?}");
    let d = strata_design::design(&files);
    assert!(!d.has_errors(), "{:?}", d.diagnostics);
    d.model
}

fn plan_cost(db: &mut postgres::Client, sql: &str) -> (f64, String) {
    let text = db
        .simple_query(&format!("EXPLAIN (FORMAT JSON) {sql}"))
        .expect("explain")
        .into_iter()
        .find_map(|m| match m {
            postgres::SimpleQueryMessage::Row(r) => r.get(0).map(str::to_string),
            _ => None,
        })
        .expect("a plan");
    let v: serde_json::Value = serde_json::from_str(&text).expect("plan JSON");
    let plan = &v[0]["Plan"];
    let cost = plan["Total Cost"].as_f64().expect("total cost");
    (cost, v.to_string())
}

#[test]
fn the_cost_model_ranks_plans_like_the_planner() {
    let model = design();
    let tasks_name = QualifiedName::public("tasks");
    let tasks = model.table(&tasks_name).expect("tasks").clone();

    // Without autovacuum: an autovacuum worker's snapshot, taken while the fill commits,
    // holds back the horizon so VACUUM cannot mark the new pages all-visible, and the
    // planner's index-only costs would then depend on the timing.
    let cluster = Cluster::start_with(ClusterOptions {
        settings: vec![("autovacuum".into(), "off".into())],
        ..ClusterOptions::default()
    })
    .expect("cluster");
    let dbname = cluster.create_database().expect("database");
    let mut db = cluster.connect(&dbname).expect("connect");
    let sql = strata_sql::render(&model, &Default::default()).expect("render");
    db.batch_execute(&sql).expect("apply the design");
    // The choice is the test's: start from a table without secondary indexes.
    for i in &tasks.indexes {
        db.batch_execute(&format!("DROP INDEX {}", i.name))
            .expect("drop index");
    }
    db.batch_execute(&format!(
        "INSERT INTO users (name) SELECT 'user ' || g FROM generate_series(1, {USERS}) g;
         CREATE TEMP TABLE u AS SELECT id, row_number() OVER (ORDER BY id) - 1 AS n FROM users;
         INSERT INTO tasks (user_id, title, completed, due_date, deleted_at, created_at)
           SELECT u.id, 'task number ' || g, g % 10 < 7,
                  now() + (g % 100) * interval '1 day',
                  CASE WHEN g % 20 = 0 THEN now() END,
                  now() - g * interval '1 second'
           FROM generate_series(1, {TASKS}) g JOIN u ON u.n = g % {USERS};"
    ))
    .expect("fill");
    db.batch_execute("VACUUM (FREEZE, ANALYZE) tasks")
        .expect("vacuum");
    db.batch_execute("ANALYZE users").expect("analyze");
    // The planner prices index-only scans by the share of all-visible pages; the model gets
    // the same share.
    let r = db
        .query_one(
            "SELECT relallvisible::float8 / greatest(relpages, 1) FROM pg_class WHERE relname = 'tasks'",
            &[],
        )
        .expect("visibility");
    let all_visible: f64 = r.get(0);
    assert!(
        all_visible > 0.3,
        "VACUUM marked pages all-visible ({all_visible})"
    );
    let user: String = db
        .query_one("SELECT id::text FROM users ORDER BY id LIMIT 1", &[])
        .expect("a user")
        .get(0);

    let mut workload = Workload {
        defaults: Defaults {
            all_visible,
            ..Defaults::default()
        },
        ..Workload::default()
    };
    let dialect = PostgreSqlDialect {};
    let cases = patterns(&user);
    for (name, sql, _) in &cases {
        let stmt = Parser::parse_sql(&dialect, sql)
            .expect("parse")
            .pop()
            .expect("one statement");
        let analysis = strata_workload::analyze(&stmt, &tasks_name, &model).expect("analyze");
        workload.patterns.push(Pattern {
            name: name.to_string(),
            home: tasks_name.clone(),
            rate: 1.0,
            rate_declared: true,
            analysis,
        });
    }
    // The hints, as the designer reads them.
    for (col, kind, value) in [
        ("completed", strata_workload::HintKind::TrueShare, 0.7),
        ("deleted_at", strata_workload::HintKind::NullShare, 0.95),
        ("due_date", strata_workload::HintKind::NullShare, 0.0),
        ("due_date", strata_workload::HintKind::RangeShare, 0.02),
    ] {
        workload.hints.push(strata_workload::Hint {
            table: tasks_name.clone(),
            column: col.into(),
            kind,
            value,
        });
    }
    let params = CostParams::planner();
    let profile = Profile::new(&model, &tasks, &workload);
    let base = candidates::per_pattern(&workload.patterns, &tasks);
    let mut all: Vec<Candidate> = base.clone();
    all.extend(candidates::derived(&base, &tasks, &["title".to_string()]));

    let mut failures = Vec::new();
    let mut compared = 0;
    for (pi, (name, _, explain_sql)) in cases.iter().enumerate() {
        let p = &workload.patterns[pi];
        let a = &p.analysis;
        // (label, model cost, planner cost)
        let mut alts: Vec<(String, f64, f64)> = Vec::new();
        let ours = cost::scan(&params, &workload.defaults, &profile, a, &a.driving).cost;
        let (theirs, _) = plan_cost(&mut db, explain_sql);
        alts.push(("sequential scan".into(), ours, theirs));
        for (ci, c) in all.iter().enumerate() {
            let Some(plan) = cost::through(&params, &workload.defaults, &profile, a, &a.driving, c)
            else {
                continue;
            };
            let iname = format!("cand_{ci}");
            let mut index = c.index.clone();
            index.name = iname.clone();
            let ddl = create_index(&index);
            db.batch_execute(&format!("{ddl}; ANALYZE tasks"))
                .expect("create candidate");
            db.batch_execute("SET enable_seqscan = off; SET enable_bitmapscan = off")
                .expect("settings");
            let (theirs, json) = plan_cost(&mut db, explain_sql);
            db.batch_execute(&format!(
                "RESET enable_seqscan; RESET enable_bitmapscan; DROP INDEX {iname}"
            ))
            .expect("drop candidate");
            if !json.contains(&iname) {
                failures.push(format!(
                    "{name}: the model uses {} but the planner cannot: {json}",
                    strata_workload::report::index_text(&index)
                ));
                continue;
            }
            alts.push((
                strata_workload::report::index_text(&index),
                plan.cost,
                theirs,
            ));
        }
        assert!(alts.len() >= 2, "{name}: some index can serve it");
        eprintln!("{name} (label, model, planner): {alts:?}");
        for x in &alts {
            for y in &alts {
                if x.2 * 1.5 <= y.2 {
                    compared += 1;
                    if x.1 >= y.1 {
                        failures.push(format!(
                            "{name}: the planner finds {} ({:.1}) much cheaper than {} ({:.1}), the model does not ({:.1} vs {:.1})",
                            x.0, x.2, y.0, y.2, x.1, y.1
                        ));
                    }
                }
            }
        }
    }
    assert!(
        compared >= 20,
        "enough clear-cut pairs to compare ({compared})"
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

fn create_index(i: &strata_model::Index) -> String {
    let keys: Vec<String> = i
        .keys
        .iter()
        .map(|k| {
            let c = k.column_name().expect("column keys").to_string();
            if k.descending { format!("{c} DESC") } else { c }
        })
        .collect();
    let mut s = format!(
        "CREATE INDEX {} ON tasks USING {} ({})",
        i.name,
        i.method,
        keys.join(", ")
    );
    if !i.include.is_empty() {
        s.push_str(&format!(" INCLUDE ({})", i.include.join(", ")));
    }
    if let Some(p) = &i.predicate {
        s.push_str(&format!(" WHERE {p}"));
    }
    s
}
