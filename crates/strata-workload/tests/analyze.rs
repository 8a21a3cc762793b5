//! What `analyze` reads from one statement: the kind of write and what it writes, equality,
//! range, constant filters, order, expression equalities, joins, and typed errors.

use sqlparser::dialect::PostgreSqlDialect;
use sqlparser::parser::Parser;
use strata_diagnostics::SourceMap;
use strata_model::{Model, QualifiedName};
use strata_workload::analyze::{AnalyzeError, CondShape, Limit};
use strata_workload::{Analysis, StatementKind, analyze};

fn model() -> Model {
    let mut sources = SourceMap::new();
    sources.add(
        "m.strata",
        "entity User {\n  email email unique\n  rows 1K\n}\n\
         entity Task {\n  title text(200)\n  completed bool = false\n  due_date timestamptz?\n  user -> User on delete cascade\n  soft_delete\n}\n",
    );
    let (files, diags) = strata_lang::parse_sources(&sources);
    assert!(diags.is_empty(), "{diags:?}");
    let d = strata_design::design(&files);
    assert!(!d.has_errors(), "{:?}", d.diagnostics);
    d.model
}

fn run(sql: &str) -> Result<Analysis, AnalyzeError> {
    let stmt = Parser::parse_sql(&PostgreSqlDialect {}, sql)
        .expect("parse")
        .pop()
        .expect("a statement");
    analyze(&stmt, &QualifiedName::public("tasks"), &model())
}

#[test]
fn a_select_is_sorted_into_equality_filters_and_order() {
    let a = run("SELECT id, title FROM tasks WHERE user_id = $1 AND NOT completed AND deleted_at IS NULL AND due_date < now() ORDER BY created_at DESC LIMIT $2 OFFSET 40")
        .expect("analyzed");
    assert_eq!(a.kind, StatementKind::Select);
    let d = &a.driving;
    assert_eq!(d.eq, ["user_id"]);
    assert_eq!(d.range, ["due_date"]);
    let shapes: Vec<&CondShape> = d.predicate.iter().map(|c| &c.shape).collect();
    assert_eq!(
        shapes,
        [
            &CondShape::IsFalse("completed".into()),
            &CondShape::IsNull("deleted_at".into())
        ]
    );
    assert_eq!(d.predicate[0].sql, "NOT completed");
    assert_eq!(d.order, [("created_at".to_string(), true)]);
    assert_eq!(a.limit, Some(Limit::Parameter));
    assert_eq!(a.offset, Some(Limit::Rows(40)));
    let needed = d.needed.as_ref().expect("not SELECT *");
    for c in [
        "id",
        "title",
        "user_id",
        "completed",
        "deleted_at",
        "due_date",
        "created_at",
    ] {
        assert!(needed.contains(&c.to_string()), "{c} in {needed:?}");
    }
}

#[test]
fn writes_say_what_they_write() {
    let a = run("INSERT INTO tasks (user_id, title) VALUES ($1, $2), ($1, $3), ($1, $4)")
        .expect("insert");
    assert_eq!(a.kind, StatementKind::Insert { rows: 3 });
    assert_eq!(a.driving.table.name, "tasks");

    let a = run("UPDATE tasks SET completed = true, title = $2 WHERE id = $1").expect("update");
    assert_eq!(
        a.kind,
        StatementKind::Update {
            set: vec!["completed".into(), "title".into()]
        }
    );
    assert_eq!(a.driving.eq, ["id"]);

    let a = run("DELETE FROM tasks WHERE deleted_at < $1").expect("delete");
    assert_eq!(a.kind, StatementKind::Delete);
    assert_eq!(a.driving.range, ["deleted_at"]);
}

#[test]
fn an_expression_equality_is_kept_for_expression_indexes() {
    let stmt = Parser::parse_sql(
        &PostgreSqlDialect {},
        "SELECT id FROM users WHERE lower(email) = lower($1)",
    )
    .expect("parse")
    .pop()
    .expect("one");
    let a = analyze(&stmt, &QualifiedName::public("users"), &model()).expect("analyzed");
    assert_eq!(a.driving.eq_exprs, ["lower(email)"]);
    assert!(a.driving.eq.is_empty());
    // A constant on the other side is a filter, not a lookup.
    let stmt = Parser::parse_sql(
        &PostgreSqlDialect {},
        "SELECT id FROM users WHERE lower(email) = 'a@b.c'",
    )
    .expect("parse")
    .pop()
    .expect("one");
    let a = analyze(&stmt, &QualifiedName::public("users"), &model()).expect("analyzed");
    assert!(a.driving.eq_exprs.is_empty());
}

#[test]
fn joined_tables_are_probed_by_their_join_columns() {
    let a = run(
        "SELECT t.id, u.email FROM tasks t JOIN users u ON u.id = t.user_id WHERE t.user_id = $1",
    )
    .expect("join");
    assert!(a.joins);
    let [probe] = a.probes.as_slice() else {
        panic!("one probe: {:?}", a.probes)
    };
    assert_eq!(probe.table.name, "users");
    assert!(probe.join_probe);
    assert_eq!(probe.eq, ["id"]);
}

#[test]
fn errors_are_typed() {
    match run("SELECT nope FROM tasks") {
        Err(AnalyzeError::UnknownColumns(cols)) => {
            assert_eq!(cols[0].name, "nope");
            assert!(cols[0].at.is_some());
            assert!(cols[0].columns.contains(&"title".to_string()));
        }
        other => panic!("{other:?}"),
    }
    match run("SELECT 1 FROM nowhere") {
        Err(AnalyzeError::UnknownTable { name, known, .. }) => {
            assert_eq!(name, "nowhere");
            assert!(known.contains(&"tasks".to_string()));
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(
        run("UPDATE tasks SET nope = 1 WHERE id = $1")
            .err()
            .map(|e| matches!(e, AnalyzeError::UnknownColumns(_))),
        Some(true)
    );
    assert_eq!(run("TRUNCATE tasks").err(), Some(AnalyzeError::Unsupported));
    assert_eq!(
        run("SELECT id FROM tasks UNION SELECT id FROM tasks").err(),
        Some(AnalyzeError::NotPlainSelect)
    );
}
