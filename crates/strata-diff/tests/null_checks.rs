//! `passes_with_nulls` against the server: a CHECK it proves is validated without failure over
//! rows that have NULL in the checked column (and anything in the others), and CHECKs that
//! fail on such rows are not proved. So a plan that drops `may_fail` from validating a CHECK
//! over a column it adds empty says the truth.

use strata_diff::passes_with_nulls;

/// (expression, whether PostgreSQL validates it over rows where `c` is NULL)
const CASES: [(&str, bool); 14] = [
    ("char_length(c) <= 3", true),
    ("c ~ '^[A-Z]{3}$' AND c <> 'XXX'", true),
    ("c = ANY (ARRAY['a', 'b'])", true),
    ("c > other", true),
    ("lower(c) BETWEEN 'a' AND 'b'", true),
    ("NOT (c IN ('x', 'y'))", true),
    ("c || other <> ''", true),
    ("c IS NOT NULL", false),
    ("coalesce(c, '') <> ''", false),
    ("c = ANY ('{}'::text[])", false),
    // NULL OR false is NULL: it passes, though the analysis (conservative) does not prove it.
    ("c > 'a' OR other = 'never'", true),
    ("CASE WHEN c IS NULL THEN false ELSE true END", false),
    ("other = 'never'", false),
    ("c IS DISTINCT FROM 'x' AND other = 'never'", false),
];

#[test]
fn proved_checks_validate_over_null_rows_and_failing_ones_are_not_proved() {
    let cluster = strata_pg::shared_cluster().expect("cluster");
    let db = cluster.create_database().expect("database");
    let mut client = cluster.connect(&db).expect("connect");
    let mut failures = Vec::new();
    for (i, (expr, validates)) in CASES.iter().enumerate() {
        let t = format!("t{i}");
        client
            .batch_execute(&format!(
                "CREATE TABLE {t} (id int, other text);
                 INSERT INTO {t} SELECT g, 'v' || g FROM generate_series(1, 50) g;
                 ALTER TABLE {t} ADD COLUMN c text;
                 ALTER TABLE {t} ADD CONSTRAINT {t}_check CHECK ({expr}) NOT VALID;"
            ))
            .expect("table");
        let ok = client
            .batch_execute(&format!("ALTER TABLE {t} VALIDATE CONSTRAINT {t}_check"))
            .is_ok();
        if ok != *validates {
            failures.push(format!("{expr}: the server validates it: {ok}"));
        }
        let proved = passes_with_nulls(expr, &["c"]);
        if proved && !ok {
            failures.push(format!("{expr}: proved, but the server's validation fails"));
        }
        if !validates && proved {
            failures.push(format!("{expr}: fails on the server but is proved"));
        }
        // The server's own form of the expression, as a plan reads it, is proved the same.
        let stored: String = client
            .query_one(
                "SELECT pg_get_expr(conbin, conrelid) FROM pg_constraint WHERE conname = $1",
                &[&format!("{t}_check")],
            )
            .expect("stored form")
            .get(0);
        if passes_with_nulls(&stored, &["c"]) != proved {
            failures.push(format!("{expr}: stored as {stored}, proved differently"));
        }
    }
    // The forms Strata writes (lengths, patterns, value lists, comparisons) are proved.
    let proved: usize = CASES
        .iter()
        .filter(|(e, _)| passes_with_nulls(e, &["c"]))
        .count();
    assert_eq!(proved, 7, "{failures:?}");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
