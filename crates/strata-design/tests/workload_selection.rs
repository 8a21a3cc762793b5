//! Index selection on hand-made workloads whose right answer is known: each test has a
//! control (the same schema with the workload changed) so it fails if the selection ignores
//! what it is about.

use strata_design::Design;
use strata_diagnostics::SourceMap;
use strata_model::{Index, Model, Table};

fn design(text: &str) -> Design {
    let mut sources = SourceMap::new();
    sources.add("input.strata", text);
    let (files, diags) = strata_lang::parse_sources(&sources);
    assert!(diags.is_empty(), "parse: {diags:?}");
    let d = strata_design::design(&files);
    assert!(!d.has_errors(), "design: {:?}", d.diagnostics);
    d
}

fn table<'m>(m: &'m Model, name: &str) -> &'m Table {
    m.tables
        .iter()
        .find(|t| t.name.name == name)
        .unwrap_or_else(|| panic!("table {name}"))
}

fn keys(i: &Index) -> Vec<String> {
    i.keys
        .iter()
        .map(|k| {
            let c = k.column_name().unwrap_or("<expr>").to_string();
            if k.descending { format!("{c} DESC") } else { c }
        })
        .collect()
}

fn served_by<'m>(m: &'m Model, pattern: &str) -> &'m [String] {
    &m.access_patterns
        .iter()
        .find(|p| p.name == pattern)
        .unwrap_or_else(|| panic!("pattern {pattern}"))
        .served_by
}

const USERS: &str = "entity User {\n  email email unique\n  rows 100K\n}\n";

fn items(writes: &str) -> String {
    format!(
        "{USERS}
entity Item {{
  label text(100)
  price int
  owner -> User on delete cascade
  rows 10M
  access items_of_owner 1000/s \"\"\"
    SELECT id, label FROM items WHERE owner_id = $1 ORDER BY created_at DESC LIMIT 20 \"\"\"
{writes}
}}
"
    )
}

#[test]
fn a_write_heavy_table_loses_a_read_only_covering_index() {
    // Read-only: the read pays for carrying `label` in the index (index-only scans).
    let read_only = design(&items(""));
    let idx = served_by(&read_only.model, "items_of_owner");
    let t = table(&read_only.model, "items");
    let covering = t
        .indexes
        .iter()
        .find(|i| idx.contains(&i.name))
        .expect("an index serves items_of_owner");
    assert!(
        covering.include.contains(&"label".to_string()),
        "read-only: the covering index is worth it: {covering:?}\n{}",
        read_only.indexes.explain()
    );

    // Relabelling often: an INCLUDEd `label` would make every relabel a non-HOT update that
    // writes every index, so the index stays lean.
    let heavy = design(&items(
        "  access relabel 2000/s \"\"\"UPDATE items SET label = $2 WHERE id = $1\"\"\"",
    ));
    let t = table(&heavy.model, "items");
    assert!(
        t.indexes
            .iter()
            .all(|i| !i.include.contains(&"label".to_string())),
        "write-heavy: no index carries label: {:?}\n{}",
        t.indexes,
        heavy.indexes.explain()
    );
    let idx = served_by(&heavy.model, "items_of_owner");
    assert!(
        t.indexes
            .iter()
            .any(|i| idx.contains(&i.name) && keys(i) == ["owner_id", "created_at DESC"]),
        "items_of_owner is still served by (owner_id, created_at DESC): {:?}\n{}",
        t.indexes,
        heavy.indexes.explain()
    );
}

fn events(rate: &str, hints: &str) -> String {
    format!(
        "entity Event {{
  kind        text(20)
  happened_at timestamptz
  payload     text(500)
  rows 50M
{hints}
  access weekly_report {rate} \"\"\"
    SELECT id, kind FROM events WHERE happened_at > $1 ORDER BY happened_at \"\"\"
}}
"
    )
}

#[test]
fn a_rare_pattern_on_a_large_table_gets_a_lean_index_or_none_with_a_note() {
    // A third of 50M rows (the planner's default for a range) once a day: no index pays.
    let d = design(&events("1/day", ""));
    let t = table(&d.model, "events");
    assert!(
        t.indexes.is_empty(),
        "no index for a daily report over a third of the table: {:?}\n{}",
        t.indexes,
        d.indexes.explain()
    );
    let report = d.indexes.table(&t.name).expect("events report");
    assert!(
        report
            .notes
            .iter()
            .any(|n| n.contains("weekly_report") && n.contains("sequential scan")),
        "a note says why: {:?}",
        report.notes
    );

    // Once an hour over a range declared to match few rows, an index pays, but a lean one:
    // carrying `kind` for a run an hour is not worth its size.
    let d = design(&events("1/h", "  stats happened_at range 0.01%"));
    let t = table(&d.model, "events");
    let [idx] = t.indexes.as_slice() else {
        panic!(
            "one index for the selective report: {:?}\n{}",
            t.indexes,
            d.indexes.explain()
        );
    };
    assert_eq!(keys(idx), ["happened_at"], "{}", d.indexes.explain());
    assert!(idx.include.is_empty(), "lean: {idx:?}");
}

#[test]
fn two_patterns_with_the_same_key_share_one_index() {
    let d = design(&format!(
        "{USERS}
entity Post {{
  title  text(200)
  body   text(5000)
  author -> User on delete cascade
  rows 1M
  access recent_by_author 100/s \"\"\"
    SELECT id, title FROM posts WHERE author_id = $1 ORDER BY created_at DESC LIMIT 20 \"\"\"
  access all_by_author 50/s \"\"\"
    SELECT * FROM posts WHERE author_id = $1 ORDER BY created_at DESC LIMIT 50 \"\"\"
}}
"
    ));
    let t = table(&d.model, "posts");
    let [idx] = t.indexes.as_slice() else {
        panic!(
            "one index for both patterns and the foreign key: {:?}\n{}",
            t.indexes,
            d.indexes.explain()
        );
    };
    assert_eq!(keys(idx), ["author_id", "created_at DESC"]);
    assert_eq!(
        served_by(&d.model, "recent_by_author"),
        std::slice::from_ref(&idx.name)
    );
    assert_eq!(
        served_by(&d.model, "all_by_author"),
        std::slice::from_ref(&idx.name)
    );

    // Control: different keys get their own indexes.
    let d = design(&format!(
        "{USERS}
entity Post {{
  title  text(200)
  author -> User on delete cascade
  rows 1M
  access recent_by_author 100/s \"\"\"
    SELECT * FROM posts WHERE author_id = $1 ORDER BY created_at DESC LIMIT 20 \"\"\"
  access by_title 50/s \"\"\"SELECT * FROM posts WHERE title = $1\"\"\"
}}
"
    ));
    assert_eq!(
        table(&d.model, "posts").indexes.len(),
        2,
        "{}",
        d.indexes.explain()
    );
}

fn notes(rate: &str) -> String {
    format!(
        "{USERS}
entity Note {{
  text  text(200)
  owner -> User on delete cascade
  soft_delete
  rows 10M
  access notes_of_owner {rate} \"\"\"
    SELECT * FROM notes WHERE owner_id = $1 AND deleted_at IS NULL
    ORDER BY created_at DESC LIMIT 20 \"\"\"
}}
"
    )
}

#[test]
fn an_index_that_serves_a_foreign_key_is_kept_full_rather_than_partial() {
    let d = design(&notes("100/s"));
    let t = table(&d.model, "notes");
    let [idx] = t.indexes.as_slice() else {
        panic!(
            "one index serves both the pattern and the foreign key: {:?}\n{}",
            t.indexes,
            d.indexes.explain()
        );
    };
    assert_eq!(keys(idx), ["owner_id", "created_at DESC"]);
    assert_eq!(
        idx.predicate, None,
        "full, so deleting a user finds every note"
    );
    assert_eq!(
        served_by(&d.model, "notes_of_owner"),
        std::slice::from_ref(&idx.name)
    );
    let why = &idx.why.as_ref().expect("why").text;
    assert!(why.contains("foreign key"), "{why}");

    // Control: without a foreign key to serve, the pattern's own partial index is cheaper.
    let d = design(
        "entity Note {
  text     text(200)
  owner_id uuid
  soft_delete
  rows 10M
  access notes_of_owner 100/s \"\"\"
    SELECT * FROM notes WHERE owner_id = $1 AND deleted_at IS NULL
    ORDER BY created_at DESC LIMIT 20 \"\"\"
}
",
    );
    let t = table(&d.model, "notes");
    assert!(
        t.indexes
            .iter()
            .any(|i| i.predicate.as_deref() == Some("deleted_at IS NULL")),
        "{:?}\n{}",
        t.indexes,
        d.indexes.explain()
    );
}

#[test]
fn a_declared_index_is_pinned() {
    let d = design(&format!(
        "{USERS}
entity Item {{
  label text(100)
  price int
  owner -> User on delete cascade
  rows 1M
  index (price)
}}
"
    ));
    let t = table(&d.model, "items");
    assert!(
        t.indexes.iter().any(|i| keys(i) == ["price"]),
        "a declared index stays although no pattern uses it: {:?}",
        t.indexes
    );
    let report = d.indexes.table(&t.name).expect("report");
    assert!(
        report
            .chosen
            .iter()
            .any(|c| c.pinned && keys(&c.index) == ["price"])
    );
}

#[test]
fn every_candidate_is_chosen_or_rejected_with_a_reason() {
    let d = design(&notes("100/s"));
    let t = table(&d.model, "notes");
    let report = d.indexes.table(&t.name).expect("report");
    assert!(!report.rejected.is_empty());
    assert!(report.rejected.iter().all(|r| !r.reason.is_empty()));
    assert_eq!(
        report.candidates,
        report.chosen.len() + report.rejected.len(),
        "{}",
        d.indexes.explain()
    );
    for c in &report.chosen {
        assert!(
            c.benefit > 0.0 || !c.foreign_keys.is_empty() || c.pinned,
            "{c:?}"
        );
    }
    let explained = d.indexes.explain();
    assert!(explained.contains("notes_of_owner"), "{explained}");
}

#[test]
fn selection_is_deterministic() {
    let a = design(&items(
        "  access relabel 20/s \"\"\"UPDATE items SET label = $2 WHERE id = $1\"\"\"",
    ));
    let b = design(&items(
        "  access relabel 20/s \"\"\"UPDATE items SET label = $2 WHERE id = $1\"\"\"",
    ));
    assert_eq!(a.model, b.model);
    assert_eq!(a.indexes.explain(), b.indexes.explain());
}

#[test]
fn write_patterns_are_analysed_and_defaults_reported() {
    let d = design(&items(
        "  access add_item 10/s \"\"\"INSERT INTO items (owner_id, label, price) VALUES ($1, $2, $3)\"\"\"
  access drop_item \"\"\"DELETE FROM items WHERE id = $1\"\"\"",
    ));
    let defaults = d.indexes.defaults_used.join("\n");
    assert!(
        defaults.contains("drop_item") && defaults.contains("1/s"),
        "the default rate of drop_item is reported: {defaults}"
    );
    assert!(
        !defaults.contains("items: inserts"),
        "items declares its inserts: {defaults}"
    );
    assert!(
        defaults.contains("users: inserts"),
        "users does not: {defaults}"
    );
}

fn diagnostics(text: &str) -> Vec<strata_diagnostics::Diagnostic> {
    let mut sources = SourceMap::new();
    sources.add("input.strata", text);
    let (files, mut diags) = strata_lang::parse_sources(&sources);
    diags.extend(strata_design::design(&files).diagnostics);
    diags
}

#[test]
fn stats_hints_name_real_fields_of_the_right_kind() {
    let d = diagnostics("entity Item {\n  label text(100)\n  stats label true 30%\n}\n");
    let e = d.iter().find(|d| d.is_error()).expect("an error");
    assert_eq!(e.code, strata_design::codes::STATS_NOT_BOOLEAN);
    assert!(e.span.is_some(), "located: {e:?}");

    let d = diagnostics("entity Item {\n  label text(100)\n  stats nope null 30%\n}\n");
    assert!(
        d.iter().any(|d| d.is_error() && d.message.contains("nope")),
        "an unknown field is reported: {d:?}"
    );

    // A hint on a relation names the relation; it applies to its column.
    let d = design(&format!(
        "{USERS}
entity Item {{
  owner -> User on delete cascade
  rows 1M
  stats owner distinct 10
  access by_owner 10/s \"\"\"SELECT * FROM items WHERE owner_id = $1\"\"\"
}}
"
    ));
    let t = table(&d.model, "items");
    assert_eq!(t.origin.stats.len(), 1);
    assert_eq!(t.origin.stats[0].column, "owner_id");
}

#[test]
fn patterns_of_the_same_name_on_two_entities_keep_their_own_indexes() {
    // Pattern names are unique per entity only: each `recent` is served by its own table's
    // index, not by every index some `recent` uses.
    let d = design(&format!(
        "{USERS}
entity Post {{
  title  text(200)
  author -> User on delete cascade
  rows 1M
  access recent 100/s \"\"\"
    SELECT id, title FROM posts WHERE author_id = $1 ORDER BY created_at DESC LIMIT 20 \"\"\"
}}

entity Comment {{
  body   text(2000)
  author -> User on delete cascade
  rows 1M
  access recent 100/s \"\"\"
    SELECT id, body FROM comments WHERE author_id = $1 ORDER BY created_at DESC LIMIT 20 \"\"\"
}}
"
    ));
    for name in ["posts", "comments"] {
        let t = table(&d.model, name);
        let [idx] = t.indexes.as_slice() else {
            panic!("{name}: {:?}\n{}", t.indexes, d.indexes.explain());
        };
        let ap = d
            .model
            .access_patterns
            .iter()
            .find(|p| p.name == "recent" && p.table == t.name)
            .unwrap_or_else(|| panic!("{name}.recent"));
        assert_eq!(ap.served_by, std::slice::from_ref(&idx.name), "{name}");
    }
}
