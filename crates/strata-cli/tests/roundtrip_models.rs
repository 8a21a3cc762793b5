//! Model → DDL → apply → introspect gives back the model, for `examples/todo` and every
//! ```strata block of docs/language.md.
//!
//! M0 = the design, M1 = introspect(apply(render(M0))), M2 = introspect(apply(render(M1))).
//! - M0 and M1 are equal in their physical projection ([`Model::physical`]) except for the
//!   spelling of SQL expressions: the designer keeps the user's spelling, the server stores
//!   its own (`(char_length(title) <= 200)`). So expressions are compared by place — each
//!   expression of M0 must be present at the same place in M1 and vice versa — not by text.
//!   Where M0 leaves something to the server (an extension's version and schema) M1's value is
//!   not compared.
//! - M2 equals M1 exactly: introspection is a fixed point.

mod common;

use common::*;
use strata_model::{IndexExpr, Model};

const EXPR: &str = "<expression>";

fn blank(e: &mut String) {
    *e = EXPR.to_string();
}

fn blank_opt(e: &mut Option<String>) {
    if let Some(e) = e {
        blank(e);
    }
}

fn blank_index_expr(e: &mut IndexExpr) {
    if let IndexExpr::Expression(x) = e {
        blank(x);
    }
}

/// The model with every SQL expression replaced by a placeholder (presence kept).
fn expressions_blanked(m: &Model) -> Model {
    let mut m = m.clone();
    for d in &mut m.domains {
        blank_opt(&mut d.default);
        d.checks.iter_mut().for_each(|c| blank(&mut c.expression));
    }
    for t in &mut m.tables {
        for c in &mut t.columns {
            blank_opt(&mut c.default);
            blank_opt(&mut c.generated);
        }
        t.checks.iter_mut().for_each(|c| blank(&mut c.expression));
        for i in &mut t.indexes {
            i.keys
                .iter_mut()
                .for_each(|k| blank_index_expr(&mut k.expr));
            blank_opt(&mut i.predicate);
        }
        for x in &mut t.exclusions {
            x.elements
                .iter_mut()
                .for_each(|el| blank_index_expr(&mut el.key.expr));
            blank_opt(&mut x.predicate);
        }
        for p in &mut t.policies {
            blank_opt(&mut p.using);
            blank_opt(&mut p.with_check);
        }
        t.triggers.iter_mut().for_each(|tr| blank_opt(&mut tr.when));
        if let Some(pb) = &mut t.partition_by {
            pb.keys.iter_mut().for_each(blank_index_expr);
        }
        if let Some(po) = &mut t.partition_of {
            blank(&mut po.bound);
        }
    }
    for v in &mut m.views {
        blank(&mut v.definition);
        for i in &mut v.indexes {
            i.keys
                .iter_mut()
                .for_each(|k| blank_index_expr(&mut k.expr));
            blank_opt(&mut i.predicate);
        }
    }
    m
}

fn introspect_sql(sql: &str) -> Model {
    let mut client = fresh_db_with(sql);
    let result = strata_pg::introspect(&mut client, &strata_pg::IntrospectOptions::default())
        .expect("introspection");
    result.model
}

fn design_json(path: &std::path::Path) -> Model {
    let out = strata()
        .args(["build", "--format", "json"])
        .arg(path)
        .output()
        .expect("run strata build");
    assert!(
        out.status.success(),
        "strata build --format json {} failed:\n{}",
        path.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    Model::from_json(&String::from_utf8_lossy(&out.stdout)).expect("model JSON")
}

fn json_diff(a: &Model, b: &Model) -> String {
    let (a, b) = (a.to_json(), b.to_json());
    for (i, (x, y)) in a.lines().zip(b.lines()).enumerate() {
        if x != y {
            let from = i.saturating_sub(8);
            let ctx: Vec<&str> = a.lines().skip(from).take(12).collect();
            return format!(
                "first difference at JSON line {}:\n  expected: {x}\n  actual:   {y}\ncontext (expected):\n{}",
                i + 1,
                ctx.join("\n")
            );
        }
    }
    "the JSON differs in length".to_string()
}

/// Raw SQL (the escape hatch) creates objects the design does not model; introspection
/// models them. They are set aside: each object M1 has beyond M0 must be named in M0's raw
/// SQL, and the raw SQL itself is not compared.
fn set_aside_raw_sql(label: &str, m0: &mut Model, m1: &mut Model) {
    let raw: String = m0
        .raw_sql
        .iter()
        .map(|r| r.sql.to_lowercase())
        .collect::<Vec<_>>()
        .join("\n");
    m0.raw_sql.clear();
    let check = |kind: &str, name: &str, in_m0: bool| {
        assert!(
            in_m0 || raw.contains(&name.to_lowercase()),
            "{label}: introspection found {kind} {name}, which neither the design nor its raw SQL has"
        );
        in_m0
    };
    let f0: Vec<_> = m0.functions.iter().map(|f| f.name.clone()).collect();
    m1.functions
        .retain(|f| check("function", &f.name.name, f0.contains(&f.name)));
    let t0: Vec<_> = m0.tables.iter().map(|t| t.name.clone()).collect();
    m1.tables
        .retain(|t| check("table", &t.name.name, t0.contains(&t.name)));
    let v0: Vec<_> = m0.views.iter().map(|v| v.name.clone()).collect();
    m1.views
        .retain(|v| check("view", &v.name.name, v0.contains(&v.name)));
    let s0: Vec<_> = m0.sequences.iter().map(|s| s.name.clone()).collect();
    m1.sequences
        .retain(|s| check("sequence", &s.name.name, s0.contains(&s.name)));
    let g0 = m0.grants.clone();
    m1.grants
        .retain(|g| check("grant on", &g.object.name, g0.contains(g)));
}

fn round_trip(label: &str, path: &std::path::Path) {
    let m0 = design_json(path).physical();
    let sql0 = build(path);
    if let Some(why) = common::needs_newer_server(&sql0) {
        eprintln!("{label}: not round-tripped: {why}");
        return;
    }
    let mut m1 = introspect_sql(&sql0);
    let sql1 = strata_sql::render(&m1, &strata_sql::RenderOptions::default())
        .unwrap_or_else(|e| panic!("{label}: rendering the introspected model failed: {e}"));
    let m2 = introspect_sql(&sql1);
    assert!(
        m2 == m1,
        "{label}: introspect(apply(render(M1))) differs from M1 — {}",
        json_diff(&m1, &m2)
    );
    // What the design leaves to the server is not compared.
    for ext in &mut m1.extensions {
        if let Some(e0) = m0.extensions.iter().find(|e| e.name == ext.name) {
            if e0.version.is_none() {
                ext.version = None;
            }
            if e0.schema.is_none() {
                ext.schema = None;
            }
        }
    }
    let mut m0 = m0;
    set_aside_raw_sql(label, &mut m0, &mut m1);
    let (b0, b1) = (expressions_blanked(&m0), expressions_blanked(&m1));
    assert!(
        b0 == b1,
        "{label}: the introspected model differs from the design (expressions aside) — {}",
        json_diff(&b0, &b1)
    );
}

#[test]
fn todo_example_round_trips() {
    round_trip("examples/todo", &repo_root().join("examples/todo"));
}

#[test]
fn language_reference_examples_round_trip() {
    let doc =
        std::fs::read_to_string(repo_root().join("docs/language.md")).expect("docs/language.md");
    let mut examples = Vec::new();
    let mut current: Option<(usize, String)> = None;
    for (n, line) in doc.lines().enumerate() {
        match (&mut current, line.trim_end()) {
            (None, "```strata") => current = Some((n + 1, String::new())),
            (Some(_), "```") => examples.extend(current.take()),
            (Some((_, text)), l) => {
                text.push_str(l);
                text.push('\n');
            }
            _ => {}
        }
    }
    assert!(examples.len() >= 15, "found {} examples", examples.len());
    let dir = tempfile::tempdir().expect("temp dir");
    let mut failures = Vec::new();
    for (line, text) in &examples {
        let file = dir.path().join(format!("example_line_{line}.strata"));
        std::fs::write(&file, text).expect("write example");
        let label = format!("docs/language.md example at line {line}");
        if let Err(e) = std::panic::catch_unwind(|| round_trip(&label, &file)) {
            let msg = e
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| e.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_default();
            failures.push(msg);
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} examples do not round-trip:\n\n{}",
        failures.len(),
        examples.len(),
        failures.join("\n\n")
    );
}
