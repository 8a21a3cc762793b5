//! `strata verify` end to end on a throwaway cluster: the Todo example built, seeded and its
//! access patterns run (plans, latency, throughput, index sizes, HOT updates), compared with a
//! baseline schema, and the failure rule (a large sequential scan or a sort at or above the
//! rate threshold) firing when its thresholds say so.

mod common;

use common::{repo_root, strata};

#[test]
fn todo_verifies_against_a_baseline() {
    let todo = repo_root().join("examples/todo");
    let baseline = repo_root().join("examples/todo/schema.sql");
    let out = strata()
        .arg("verify")
        .arg(&todo)
        .arg("--baseline")
        .arg(&baseline)
        .args([
            "--scale",
            "0.0005",
            "--duration",
            "1",
            "--runs",
            "20",
            "--format",
            "json",
        ])
        .output()
        .expect("run strata verify");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let ours = v["schema"]["patterns"].as_array().expect("patterns");
    let base = v["baseline"]["patterns"]
        .as_array()
        .expect("baseline patterns");
    assert_eq!(ours.len(), base.len(), "the same workload on both");
    assert!(
        ours.len() >= 10,
        "every access pattern of the example: {}",
        ours.len()
    );
    for p in ours {
        let name = p["pattern"].as_str().expect("name");
        assert!(
            !p["plan"].as_array().expect("plan").is_empty(),
            "{name}: no plan"
        );
        assert!(p["p50_ms"].as_f64().expect("p50") > 0.0, "{name}");
        assert!(p["p95_ms"].as_f64() >= p["p50_ms"].as_f64(), "{name}");
        assert!(
            !p["example"].as_str().unwrap_or("$1").contains('$'),
            "{name}: unbound"
        );
    }
    // The home screen's query reads through the design's index, with a drawn user.
    let open = ours
        .iter()
        .find(|p| p["pattern"] == "open_tasks")
        .expect("open_tasks");
    assert!(
        open["plan"].to_string().contains("idx_tasks_user_id"),
        "{}",
        open["plan"]
    );
    assert!(v["schema"]["index_bytes"].as_i64().expect("sizes") > 0);
    assert!(v["schema"]["concurrent_tps"].as_f64().expect("tps") > 0.0);
    // complete_task and rename_task update tasks: their HOT share is measured.
    assert!(
        v["schema"]["hot"]["tasks"].is_array(),
        "{}",
        v["schema"]["hot"]
    );
}

#[test]
fn a_large_scan_at_the_threshold_fails_the_run() {
    // With every table large and every rate counted, the admin list's scan and sort of users
    // (1/min, no index is chosen for it) fails; with the defaults it does not (above).
    let todo = repo_root().join("examples/todo");
    let out = strata()
        .arg("verify")
        .arg(&todo)
        .args(["--scale", "0.0005", "--duration", "0.2", "--runs", "3"])
        .args(["--min-rate", "0.001", "--large", "1"])
        .output()
        .expect("run strata verify");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout.contains("FAIL recent_signups: sequential scan of users"),
        "{stdout}"
    );
}

#[test]
fn the_hand_written_reference_design_is_a_baseline() {
    let todo = repo_root().join("examples/todo");
    let baseline = repo_root().join("examples/todo/baseline/handwritten.sql");
    let out = strata()
        .arg("verify")
        .arg(&todo)
        .arg("--baseline")
        .arg(&baseline)
        .args(["--scale", "0.0005", "--duration", "0.5", "--runs", "10"])
        .args(["--format", "json"])
        .output()
        .expect("run strata verify");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let base = &v["baseline"];
    // Its tables and indexes as the reference design specifies them.
    let indexes: Vec<&str> = base["indexes"]
        .as_object()
        .expect("indexes")
        .keys()
        .map(String::as_str)
        .collect();
    for i in [
        "idx_tasks_user_id",
        "idx_tasks_user_completed",
        "idx_tasks_user_created",
        "idx_tasks_completed",
        "idx_tasks_deleted",
        "idx_users_email",
        "idx_users_created_at",
        "idx_sessions_user_id",
        "idx_sessions_expires_at",
    ] {
        assert!(indexes.contains(&i), "{i} missing: {indexes:?}");
    }
    // Seeded with the design's row counts, table by table.
    for t in ["users", "tasks", "sessions"] {
        assert_eq!(
            base["load_tables"][t][0], v["schema"]["load_tables"][t][0],
            "{t}: rows differ"
        );
    }
    // The task patterns run on it; those on tables it does not have are listed as not run.
    let patterns = base["patterns"].as_array().expect("patterns");
    let get = |n: &str| {
        patterns
            .iter()
            .find(|p| p["pattern"] == n)
            .unwrap_or_else(|| panic!("{n}"))
    };
    for n in ["open_tasks", "list_tasks", "create_task", "complete_task"] {
        assert!(get(n)["skipped"].is_null(), "{n}: {}", get(n));
        assert!(get(n)["p50_ms"].as_f64() > Some(0.0), "{n}");
    }
    assert!(
        get("tags_of_user")["skipped"]
            .as_str()
            .is_some_and(|s| s.contains("tags")),
        "{}",
        get("tags_of_user")
    );
    // The verdict: every criterion with its ratio and goal, writes at 1.2x.
    let d = &v["dominance"];
    let criteria = d["criteria"].as_array().expect("criteria");
    let create = criteria
        .iter()
        .find(|c| c["what"] == "write create_task")
        .expect("create_task judged");
    assert_eq!(create["goal"], 1.2);
    assert!(create["ratio"].as_f64() > Some(0.0));
    assert!(d["max_noise"].as_f64().is_some());
    assert!(
        d["not_compared"].to_string().contains("tags_of_user"),
        "{d}"
    );
}
