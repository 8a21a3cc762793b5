//! SQL fragments in backticks are refused, with a code and a span inside the backticks,
//! wherever they could end or extend the statement they are pasted into.

use strata_diagnostics::{Diagnostic, SourceMap};

fn diagnostics(text: &str) -> Vec<Diagnostic> {
    let mut sources = SourceMap::new();
    sources.add("input.strata", text);
    let (files, mut diags) = strata_lang::parse_sources(&sources);
    diags.extend(strata_design::design(&files).diagnostics);
    diags
}

fn error_codes(text: &str) -> Vec<&'static str> {
    diagnostics(text)
        .iter()
        .filter(|d| d.is_error())
        .map(|d| d.code)
        .collect()
}

const DROP: &str = "0); DROP TABLE users; CREATE TABLE shadow (x int";

/// Every place a `.strata` file accepts SQL, with `{}` where the fragment goes.
fn places() -> Vec<(&'static str, String)> {
    let wrap = |body: &str| {
        format!("entity User {{\n  name text\n  n int\n  during tstzrange\n{body}\n}}\n")
    };
    vec![
        ("field default", wrap("  total int = `{}`")),
        ("field check", wrap("  total int check `{}`")),
        ("generated", wrap("  total int generated `{}`")),
        ("entity check", wrap("  check `{}`")),
        ("named check", wrap("  check positive `{}`")),
        ("index where", wrap("  index (name) where `{}`")),
        ("index key", wrap("  index (`{}`)")),
        (
            "exclude where",
            wrap("  exclude using gist (during with `&&`) where `{}`"),
        ),
        ("exclude key", wrap("  exclude using gist (`{}` with `&&`)")),
        ("policy using", wrap("  policy p using `{}`")),
        ("policy check", wrap("  policy p for insert check `{}`")),
        ("partition key", wrap("  partition by hash (`{}`) into 2")),
        (
            "domain check",
            "domain d int check `{}`\nentity User { x d }\n".to_string(),
        ),
        (
            "domain default",
            "domain d int = `{}`\nentity User { x d }\n".to_string(),
        ),
    ]
}

#[test]
fn statement_breaking_fragments_are_refused_everywhere() {
    for (place, template) in places() {
        for (fragment, want) in [
            (DROP, "E2017"),
            ("", "E2015"),
            ("0, evil int", "E2016"),
            ("1 -- rest of the line", "E2017"),
            ("1 /* hidden */", "E2017"),
            ("f('\\', ' ) ; DROP TABLE users; --')", "E2018"),
            ("1)", "E2016"),
        ] {
            let text = template.replace("{}", fragment);
            let codes = error_codes(&text);
            assert!(
                codes.contains(&want),
                "{place}: `{fragment}` should be refused with {want}, got {codes:?}\n{text}"
            );
        }
    }
}

#[test]
fn legitimate_fragments_pass_everywhere() {
    for (place, template) in places() {
        let fragment = match place {
            "exclude key" | "index key" | "partition key" => "lower(name)",
            "domain check" => "VALUE > 0",
            "domain default" | "field default" => "0",
            "generated" => "n * 2",
            _ => "n > 0 AND name <> 'x'",
        };
        let text = template.replace("{}", fragment);
        let bad: Vec<_> = diagnostics(&text)
            .into_iter()
            .filter(|d| d.code.starts_with("E201") || d.code.starts_with("E202"))
            .collect();
        assert!(bad.is_empty(), "{place}: {bad:?}\n{text}");
    }
}

#[test]
fn refusal_points_into_the_backticks() {
    let text = "entity User {\n  total int = `0); DROP TABLE users`\n}\n";
    let d = diagnostics(text)
        .into_iter()
        .find(|d| d.code == "E2017")
        .expect("E2017");
    let span = d.span.expect("span");
    assert_eq!(&text[span.start as usize..span.end as usize], ";");
}

#[test]
fn backtick_types_are_one_type() {
    for (ty, ok) in [
        ("bit varying(8)", true),
        ("geometry(Polygon,4326)", true),
        ("public.citext", true),
        ("double precision", true),
        ("int; DROP TABLE users", false),
        ("int DEFAULT 1, evil int", false),
        ("int -- hidden", false),
        ("", false),
    ] {
        let text = format!("entity User {{\n  x `{ty}`\n}}\n");
        let codes = error_codes(&text);
        let refused = codes
            .iter()
            .any(|c| c.starts_with("E201") || c.starts_with("E2002"));
        assert_eq!(!refused, ok, "`{ty}`: {codes:?}");
    }
}

#[test]
fn exclusion_operators_are_one_operator() {
    let text = |op: &str| {
        format!(
            "entity User {{\n  during tstzrange\n  exclude using gist (during with `{op}`)\n}}\n"
        )
    };
    assert!(error_codes(&text("&&")).is_empty());
    assert!(error_codes(&text("&&) ; DROP TABLE users; --")).contains(&"E2020"));
    assert!(error_codes(&text("")).contains(&"E2015"));
}

#[test]
fn views_are_one_statement() {
    let ok = "entity User { name text }\nview v \"\"\"SELECT name FROM users -- note\n\"\"\"\n";
    assert!(error_codes(ok).is_empty(), "{:?}", error_codes(ok));
    let bad = "entity User { name text }\nview v \"\"\"SELECT 1; DROP TABLE users\"\"\"\n";
    assert!(error_codes(bad).contains(&"E2017"));
}

#[test]
fn a_long_access_pattern_is_refused_not_a_crash() {
    let terms = vec!["name = 'x'"; 10_000].join(" AND ");
    let text = format!(
        "entity User {{\n  name text\n  access a \"\"\"SELECT id FROM users WHERE {terms}\"\"\"\n}}\n"
    );
    assert!(error_codes(&text).contains(&"E2021"));
}

#[test]
fn a_deeply_nested_access_pattern_is_refused() {
    let text = format!(
        "entity User {{\n  name text\n  access a \"\"\"SELECT id FROM users WHERE {}name = 'x'{}\"\"\"\n}}\n",
        "(".repeat(500),
        ")".repeat(500)
    );
    let codes = error_codes(&text);
    assert!(codes.contains(&"E2021"), "{codes:?}");
}

#[test]
fn an_access_pattern_at_the_token_limit_is_analysed_without_overflow() {
    // Two operators per term: just under the limit, the longest chain Strata walks.
    let terms = vec!["name = 'x'"; 128].join(" AND ");
    let text = format!(
        "entity User {{\n  name text\n  access a \"\"\"SELECT id FROM users WHERE {terms}\"\"\"\n}}\n"
    );
    let codes = error_codes(&text);
    assert!(!codes.contains(&"E2021"), "{codes:?}");
}

#[test]
fn a_huge_hash_partition_count_is_refused_at_once() {
    let text =
        "entity Click {\n  session_id uuid\n  partition by hash (session_id) into 99999999\n}\n";
    let started = std::time::Instant::now();
    assert!(error_codes(text).contains(&"E1013"));
    assert!(started.elapsed() < std::time::Duration::from_secs(2));
    let ok = "entity Click {\n  session_id uuid\n  partition by hash (session_id) into 1024\n}\n";
    assert!(error_codes(ok).is_empty(), "{:?}", error_codes(ok));
}

#[test]
fn partition_bounds_must_be_values_of_the_key_type() {
    let range = |from: &str, to: &str| {
        format!(
            "entity M {{\n  taken_at timestamptz\n  n int\n  conventions {{ timestamps off }}\n  partition by range (taken_at) {{\n    p from {from} to {to}\n  }}\n}}\n"
        )
    };
    assert!(error_codes(&range("\"banana\"", "\"2026-01-01\"")).contains(&"E2022"));
    assert!(error_codes(&range("1", "2")).contains(&"E2022"));
    assert!(error_codes(&range("(\"2025-01-01\", 1)", "(\"2026-01-01\", 2)")).contains(&"E2022"));
    let ok = error_codes(&range("\"2025-01-01\"", "\"2026-01-01 00:00:00+00\""));
    assert!(ok.is_empty(), "{ok:?}");
    let ok = error_codes(&range("minvalue", "\"2026-01-01\""));
    assert!(ok.is_empty(), "{ok:?}");

    let list = |values: &str| {
        format!(
            "enum region {{ eu, us }}\nentity V {{\n  n int\n  r region\n  conventions {{ timestamps off }}\n  partition by list (n) {{\n    p in ({values})\n  }}\n}}\nentity W {{\n  r region\n  conventions {{ timestamps off }}\n  partition by list (r) {{\n    p in (\"eu\")\n  }}\n}}\n"
        )
    };
    assert!(
        error_codes(&list("1, 2")).is_empty(),
        "{:?}",
        error_codes(&list("1, 2"))
    );
    assert!(error_codes(&list("\"one\"")).contains(&"E2022"));
    assert!(error_codes(&list("99999999999")).contains(&"E2022"));
    assert!(error_codes(&list("minvalue")).contains(&"E2022"));
    let bad_enum = "enum region { eu, us }\nentity W {\n  r region\n  conventions { timestamps off }\n  partition by list (r) {\n    p in (\"mars\")\n  }\n}\n";
    assert!(error_codes(bad_enum).contains(&"E2022"));
}
