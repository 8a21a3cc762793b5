//! `strata lint` over migrations: a `strata migrate` folder read up file by up file (a table
//! created by an earlier migration is live, one created earlier in the same migration is
//! new), a lone migration `.sql` of a schema it does not contain, suppressions in migration
//! files, and the flagship examples' folders, whose findings are the real, reviewed hazards.

mod common;

use std::path::Path;

use serde_json::Value;

fn lint(dir: &Path, args: &[&str]) -> (Option<i32>, Vec<Value>, String) {
    let out = common::strata()
        .current_dir(dir)
        .arg("lint")
        .args(["--format", "json"])
        .args(args)
        .output()
        .expect("run strata lint");
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    let found = serde_json::from_str::<Vec<Value>>(&stdout)
        .unwrap_or_else(|e| panic!("{e}: {stdout}\n{stderr}"));
    (out.status.code(), found, stderr)
}

/// (code, file name, line) of each finding.
fn places(found: &[Value]) -> Vec<(String, String, u64)> {
    let mut v: Vec<(String, String, u64)> = found
        .iter()
        .map(|f| {
            let file = f["file"].as_str().unwrap_or("");
            let name = Path::new(file)
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            (
                f["code"].as_str().unwrap_or("").to_string(),
                name,
                f["line"].as_u64().unwrap_or(0),
            )
        })
        .collect();
    v.sort();
    v
}

fn write(dir: &Path, name: &str, text: &str) {
    std::fs::write(dir.join(name), text).expect("write a file");
}

#[test]
fn a_migrations_folder_is_replayed_in_order() {
    let dir = tempfile::tempdir().expect("temp dir");
    let m = dir.path().join("migrations");
    std::fs::create_dir(&m).expect("folder");
    write(
        &m,
        "0001_orders.up.sql",
        "CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint);\n\
         CREATE INDEX orders_customer_id_idx ON orders (customer_id);\n",
    );
    write(
        &m,
        "0002_public_id.up.sql",
        "-- the orders table is live by now\n\
         -- strata-lint: ignore M006 orders is small, the rewrite takes a second\n\
         ALTER TABLE orders ADD COLUMN public_id uuid DEFAULT gen_random_uuid();\n\
         CREATE INDEX orders_public_id_idx ON orders (public_id);\n",
    );
    let (code, found, err) = lint(dir.path(), &["migrations"]);
    assert_eq!(code, Some(1), "{err}");
    assert!(
        !err.contains("stale"),
        "the suppression silenced M006: {err}"
    );
    assert_eq!(
        places(&found),
        [
            ("M001".to_string(), "0002_public_id.up.sql".to_string(), 4),
            ("M009".to_string(), "0002_public_id.up.sql".to_string(), 3),
            // The runner's transaction still holds the ADD COLUMN's ACCESS EXCLUSIVE.
            ("M025".to_string(), "0002_public_id.up.sql".to_string(), 4),
        ],
        "{found:#?}"
    );
    // The same statements in one migration: the table is new, nothing to say.
    write(
        &m,
        "0001_orders.up.sql",
        "CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint);\n\
         CREATE INDEX orders_customer_id_idx ON orders (customer_id);\n\
         ALTER TABLE orders ADD COLUMN public_id uuid DEFAULT gen_random_uuid();\n\
         CREATE INDEX orders_public_id_idx ON orders (public_id);\n",
    );
    std::fs::remove_file(m.join("0002_public_id.up.sql")).expect("remove");
    let (code, found, err) = lint(dir.path(), &["migrations"]);
    assert_eq!((code, found.len()), (Some(0), 0), "{found:#?} {err}");
}

#[test]
fn a_migration_of_an_existing_schema_is_linted_as_a_migration() {
    let dir = tempfile::tempdir().expect("temp dir");
    write(
        dir.path(),
        "0042_tighten.sql",
        "SET lock_timeout = '5s';\n\
         ALTER TABLE orders ALTER COLUMN placed_at SET NOT NULL;\n\
         BEGIN;\n\
         CREATE INDEX CONCURRENTLY orders_placed_at_idx ON orders (placed_at);\n\
         COMMIT;\n",
    );
    let (code, found, err) = lint(dir.path(), &["0042_tighten.sql"]);
    assert_eq!(code, Some(1), "{err}");
    assert!(err.contains("linted as a migration only"), "{err}");
    assert_eq!(
        places(&found),
        [
            ("M002".to_string(), "0042_tighten.sql".to_string(), 4),
            ("M005".to_string(), "0042_tighten.sql".to_string(), 2),
        ]
    );
    write(
        dir.path(),
        "0043_drop_fax.sql",
        "ALTER TABLE customers DROP COLUMN fax;\n",
    );
    let (code, found, err) = lint(dir.path(), &["0043_drop_fax.sql"]);
    assert_eq!(code, Some(1), "{err}");
    assert!(err.contains("\"customers\" does not exist"), "{err}");
    assert_eq!(
        places(&found),
        [
            ("M009".to_string(), "0043_drop_fax.sql".to_string(), 1),
            ("M010".to_string(), "0043_drop_fax.sql".to_string(), 1),
        ]
    );
}

/// The flagship examples' migrations were planned by `strata migrate new` (online recipes,
/// lock timeouts) and hand-edited where data moves: what remains are the hazards their
/// headers accept (dropped and renamed columns, the split's and merge's data steps) and the
/// steps that really scan or write rows under a lock held by their transaction. Any other
/// finding is a false positive.
#[test]
fn the_example_migrations_give_only_their_reviewed_hazards() {
    let root = common::repo_root();
    let (_, todo, err) = lint(&root, &["examples/todo/migrations"]);
    assert_eq!(
        places(&todo),
        [
            // The backfilled column is made NOT NULL in the transaction of its backfill, and
            // the backfill runs while that transaction's ADD COLUMN holds ACCESS EXCLUSIVE.
            (
                "M005".to_string(),
                "0003_conversation_last_message_at.up.sql".to_string(),
                25
            ),
            (
                "M010".to_string(),
                "0004_split_task_details.up.sql".to_string(),
                96
            ),
            (
                "M025".to_string(),
                "0003_conversation_last_message_at.up.sql".to_string(),
                18
            ),
        ],
        "{todo:#?} {err}"
    );
    let (_, saas, err) = lint(&root, &["examples/saas/migrations"]);
    let codes: Vec<String> = places(&saas)
        .into_iter()
        .map(|(c, f, _)| format!("{c} {f}"))
        .collect();
    assert_eq!(
        codes,
        [
            "M003 0004_products.up.sql",
            // A column of a domain with a check is checked row by row while the table is
            // rewritten; the step's header says so (hazards: rewrites_table, long_lock).
            "M006 0007_invoice_events_currency.up.sql",
            "M010 0005_split_customer_address.up.sql",
            "M010 0005_split_customer_address.up.sql",
            "M010 0009_receipts_merged_address.up.sql",
            "M011 0003_vat_number_total_check.up.sql",
            "M011 0009_receipts_merged_address.up.sql",
            // Lifting FORCE ROW LEVEL SECURITY for the merge takes ACCESS EXCLUSIVE, held
            // through the update.
            "M025 0009_receipts_merged_address.up.sql",
        ],
        "{saas:#?} {err}"
    );
}

/// The runner's transaction counts: `BEGIN`/`COMMIT` in a migration it wraps are findings,
/// `CONCURRENTLY` in one is refused, and a `-- strata:no-transaction` migration may hold both.
#[test]
fn transaction_control_follows_the_runner() {
    let dir = tempfile::tempdir().expect("temp dir");
    let m = dir.path().join("migrations");
    std::fs::create_dir(&m).expect("folder");
    write(
        &m,
        "0001_orders.up.sql",
        "CREATE TABLE orders (id bigint PRIMARY KEY, placed_at timestamptz);\n",
    );
    write(
        &m,
        "0002_wrapped.up.sql",
        "BEGIN;\nCREATE INDEX CONCURRENTLY orders_placed_at_idx ON orders (placed_at);\nCOMMIT;\n",
    );
    write(
        &m,
        "0003_own_transactions.up.sql",
        "-- strata:no-transaction\n\
         BEGIN;\nSET LOCAL lock_timeout = '5s';\nALTER TABLE orders ADD COLUMN note text;\nCOMMIT;\n\
         DROP INDEX CONCURRENTLY orders_placed_at_idx;\n",
    );
    let (code, found, err) = lint(dir.path(), &["migrations"]);
    assert_eq!(code, Some(1), "{err}");
    assert_eq!(
        places(&found),
        [
            ("M002".to_string(), "0002_wrapped.up.sql".to_string(), 2),
            ("M016".to_string(), "0002_wrapped.up.sql".to_string(), 1),
            ("M016".to_string(), "0002_wrapped.up.sql".to_string(), 3),
        ],
        "{found:#?}"
    );
}

/// A partitioned table created by an earlier migration is known to be partitioned: the help
/// for an index built on it plainly is the partition-by-partition recipe, not CONCURRENTLY
/// (which PostgreSQL refuses on a partitioned table).
#[test]
fn an_index_on_a_partitioned_table_gets_the_partition_recipe() {
    let dir = tempfile::tempdir().expect("temp dir");
    let m = dir.path().join("migrations");
    std::fs::create_dir(&m).expect("folder");
    write(
        &m,
        "0001_events.up.sql",
        "CREATE TABLE events (at timestamptz NOT NULL, kind text) PARTITION BY RANGE (at);\n",
    );
    write(
        &m,
        "0002_kind_index.up.sql",
        "CREATE INDEX events_kind_idx ON events (kind);\n",
    );
    let (_, found, err) = lint(dir.path(), &["migrations"]);
    let helps: Vec<&str> = found
        .iter()
        .filter(|f| f["code"] == "M001")
        .filter_map(|f| f["help"].as_str())
        .collect();
    assert_eq!(helps.len(), 1, "{found:#?} {err}");
    assert!(
        helps[0].contains("ON ONLY") && helps[0].contains("ATTACH PARTITION"),
        "{helps:?}"
    );
}

/// `--since GIT_REF` reports only the migrations changed since the commit (new or edited),
/// while the earlier ones are still replayed for what they created.
#[test]
fn since_a_commit_only_changed_migrations_are_reported() {
    let dir = tempfile::tempdir().expect("temp dir");
    let git = |args: &[&str]| {
        let out = std::process::Command::new("git")
            .current_dir(dir.path())
            .args(["-c", "user.name=t", "-c", "user.email=t@example.com"])
            .args(args)
            .output()
            .expect("run git");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    let m = dir.path().join("migrations");
    std::fs::create_dir(&m).expect("folder");
    write(
        &m,
        "0001_orders.up.sql",
        "CREATE TABLE orders (id bigint PRIMARY KEY, note text);\n",
    );
    write(
        &m,
        "0002_flag.up.sql",
        "ALTER TABLE orders ADD COLUMN flag float8 DEFAULT random();\n",
    );
    git(&["init", "-q"]);
    git(&["add", "."]);
    git(&["commit", "-q", "-m", "first"]);
    write(
        &m,
        "0003_drop_note.up.sql",
        "ALTER TABLE orders DROP COLUMN note;\n",
    );

    let (_, all, err) = lint(dir.path(), &["migrations"]);
    let files: std::collections::BTreeSet<String> =
        places(&all).into_iter().map(|(_, f, _)| f).collect();
    assert_eq!(files.len(), 2, "{all:#?} {err}");
    let (code, since, err) = lint(dir.path(), &["--since", "HEAD", "migrations"]);
    assert_eq!(code, Some(1), "{err}");
    assert_eq!(
        places(&since),
        [
            ("M009".to_string(), "0003_drop_note.up.sql".to_string(), 1),
            ("M010".to_string(), "0003_drop_note.up.sql".to_string(), 1),
        ],
        "{since:#?}"
    );
    // A reference git does not know is an error.
    let out = common::strata()
        .current_dir(dir.path())
        .args(["lint", "--since", "no-such-ref", "migrations"])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
}
