//! `strata check --explain-indexes`: the index selection's report for `examples/todo`, in
//! text (snapshot) and JSON, and the note naming the workload defaults `check` used.

mod common;

use common::{repo_root, strata};

fn todo() -> std::path::PathBuf {
    repo_root().join("examples/todo")
}

#[test]
fn explain_indexes_reports_every_choice_for_todo() {
    let out = strata()
        .arg("check")
        .arg(todo())
        .arg("--explain-indexes")
        .output()
        .expect("run check");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    // The foreign key's own index loses to the full list index, which serves both.
    assert!(
        text.contains("+ idx_tasks_user_id_created_at_list_tasks (user_id, created_at DESC)\n"),
        "{text}"
    );
    assert!(
        text.contains("serves `list_tasks`, foreign key tasks_user_id_fkey"),
        "{text}"
    );
    assert!(text.contains("- idx_tasks_user_id (user_id)\n"), "{text}");
    insta::assert_snapshot!("todo_explain_indexes", text);
}

#[test]
fn check_names_the_workload_defaults_it_used() {
    let out = strata()
        .arg("check")
        .arg(todo())
        .output()
        .expect("run check");
    assert_eq!(out.status.code(), Some(0));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("note: index selection used workload defaults"),
        "{err}"
    );
    // tags declares no `rows`; tasks declares its inserts, users does not.
    assert!(
        err.contains("tags: rows 10000 (no `rows` declared)"),
        "{err}"
    );
    assert!(err.contains("users: inserts"), "{err}");
    assert!(!err.contains("tasks: inserts"), "{err}");
}

#[test]
fn explain_indexes_in_json() {
    let out = strata()
        .arg("check")
        .arg(todo())
        .args(["--explain-indexes", "--format", "json"])
        .output()
        .expect("run check");
    assert_eq!(out.status.code(), Some(0));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let tables = doc["indexes"]["tables"].as_array().expect("tables");
    let tasks = tables
        .iter()
        .find(|t| t["table"]["name"] == "tasks")
        .expect("tasks");
    assert_eq!(tasks["method"], "exact");
    let chosen = tasks["chosen"].as_array().expect("chosen");
    assert!(
        chosen
            .iter()
            .all(|c| c["benefit"].is_number() && c["upkeep"].is_number())
    );
    let rejected = tasks["rejected"].as_array().expect("rejected");
    assert!(!rejected.is_empty());
    assert!(
        rejected
            .iter()
            .all(|r| !r["reason"].as_str().unwrap_or("").is_empty())
    );
    assert!(
        doc["workload_defaults"]
            .as_array()
            .is_some_and(|d| !d.is_empty())
    );
    // Without the flag, no report.
    let out = strata()
        .arg("check")
        .arg(todo())
        .args(["--format", "json"])
        .output()
        .expect("run check");
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert!(doc["indexes"].is_null());
}
