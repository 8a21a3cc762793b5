//! SQL inside `.strata` files: a hostile fragment in any place that accepts SQL is refused
//! by `strata check` with its code and a location inside the fragment; every fragment that is
//! accepted builds DDL that, applied with psql to a real server, creates exactly the objects
//! the same schema creates with a harmless fragment — nothing more, nothing dropped.

mod common;

use std::collections::BTreeSet;

use common::*;
use proptest::prelude::*;

/// A place that accepts SQL: a schema with `{}` where the fragment goes.
struct Place {
    name: &'static str,
    template: &'static str,
    kind: Kind,
    /// Fragments that must build and apply like `harmless`.
    accepted: &'static [&'static str],
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Expr,
    Type,
    Operator,
    View,
}

const ENTITY_HEAD: &str =
    "entity Account {\n  name text\n  n int\n  during tstzrange\n  flag bool = false\n";

fn places() -> Vec<Place> {
    vec![
        Place {
            name: "field default",
            template: "  total int = `{}`\n}",
            kind: Kind::Expr,
            accepted: &[
                "0",
                "(1 + 2) * 3",
                "length('a;b') ",
                "$$x$$::text::int",
                "E'4'::int",
            ],
        },
        Place {
            name: "field check",
            template: "  total int check `{}`\n}",
            kind: Kind::Expr,
            accepted: &[
                "total > 0",
                "total IN (1, 2, 3)",
                "total IS DISTINCT FROM 4",
                "name ~* '^a;--'",
            ],
        },
        Place {
            name: "generated column",
            template: "  total int generated `{}`\n}",
            kind: Kind::Expr,
            accepted: &[
                "n * 2",
                "CASE WHEN flag THEN n ELSE 0 END",
                "length(name || ');')",
            ],
        },
        Place {
            name: "entity check",
            template: "  check positive `{}`\n}",
            kind: Kind::Expr,
            accepted: &[
                "n > 0 AND name <> ''",
                "NOT isempty(during)",
                "name NOT LIKE '%/*%'",
            ],
        },
        Place {
            name: "index predicate",
            template: "  index (name) where `{}`\n}",
            kind: Kind::Expr,
            accepted: &["NOT flag", "n > 0 AND name IS NOT NULL"],
        },
        Place {
            name: "index key",
            template: "  index \"account_key\" (`{}`)\n}",
            kind: Kind::Expr,
            accepted: &["lower(name)", "n + 1"],
        },
        Place {
            name: "exclusion predicate",
            template: "  exclude using gist (during with `&&`) where `{}`\n}",
            kind: Kind::Expr,
            accepted: &["NOT flag"],
        },
        Place {
            name: "exclusion operator",
            template: "  exclude using gist (during with `{}`)\n}",
            kind: Kind::Operator,
            accepted: &["&&", "OPERATOR(pg_catalog.&&)"],
        },
        Place {
            name: "policy using",
            template: "  policy p using `{}`\n}",
            kind: Kind::Expr,
            accepted: &["flag", "n = current_setting('app.n', true)::int"],
        },
        Place {
            name: "policy check",
            template: "  policy p for insert check `{}`\n}",
            kind: Kind::Expr,
            accepted: &["n > 0"],
        },
        Place {
            name: "backtick type",
            template: "  extra `{}`?\n}",
            kind: Kind::Type,
            accepted: &[
                "bit varying(8)",
                "double precision",
                "int[]",
                "timestamp(3) without time zone",
                "character varying(20)",
                "pg_catalog.int4",
            ],
        },
        Place {
            name: "domain check",
            template: "}\ndomain positive int check `{}`\nentity Other { v positive }",
            kind: Kind::Expr,
            accepted: &["VALUE > 0", "VALUE BETWEEN 1 AND 10"],
        },
        Place {
            name: "view",
            template: "}\nview v \"\"\"{}\"\"\"",
            kind: Kind::View,
            accepted: &[
                "SELECT name FROM accounts",
                "SELECT name FROM accounts -- trailing note",
                "SELECT ';' AS s;",
            ],
        },
    ]
}

fn schema(place: &Place, fragment: &str) -> String {
    format!("{ENTITY_HEAD}{}\n", place.template.replace("{}", fragment))
}

/// Hostile fragments for a kind of place, with the code each is refused with.
fn hostile(kind: Kind) -> Vec<(&'static str, &'static str)> {
    match kind {
        Kind::Expr => vec![
            ("0); DROP TABLE canary; CREATE TABLE shadow (x int", "E2017"),
            ("0; DROP TABLE canary", "E2017"),
            ("", "E2015"),
            ("  ", "E2015"),
            ("0, shadow int", "E2016"),
            ("1 -- rest of the statement", "E2017"),
            ("1 /* hidden */", "E2017"),
            ("f('\\', ' ) ; DROP TABLE canary; --')", "E2018"),
            ("1)", "E2016"),
            ("(1", "E2016"),
            ("1 \\! touch /tmp/strata-pwned", "E2017"),
            ("1 2", "E2016"),
        ],
        Kind::Type => vec![
            ("int; DROP TABLE canary", "E2017"),
            ("int DEFAULT 1, shadow int", "E2019"),
            ("int -- hidden", "E2017"),
            ("int)", "E2019"),
            ("", "E2002"),
        ],
        Kind::Operator => vec![
            ("&&) ; DROP TABLE canary; --", "E2020"),
            ("= 1", "E2020"),
            ("", "E2015"),
        ],
        Kind::View => vec![("SELECT 1; DROP TABLE canary", "E2017"), ("", "E2015")],
    }
}

/// `strata check --format json` on `text`: exit code and (code, start offset) of each error.
fn check(text: &str) -> (Option<i32>, Vec<(String, u64)>) {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("schema.strata");
    std::fs::write(&file, text).expect("write schema");
    let out = strata()
        .args(["check", "--format", "json"])
        .arg(&file)
        .output()
        .expect("run strata check");
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_default();
    let errors = doc["diagnostics"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .filter(|d| d["severity"] == "error")
        .map(|d| {
            (
                d["code"].as_str().unwrap_or_default().to_string(),
                d["location"]["start"].as_u64().unwrap_or(u64::MAX),
            )
        })
        .collect();
    (out.status.code(), errors)
}

#[test]
fn hostile_fragments_are_refused_in_every_place() {
    for place in places() {
        let prefix_len = ENTITY_HEAD.len() + place.template.find("{}").expect("a slot");
        for (fragment, code) in hostile(place.kind) {
            let text = schema(&place, fragment);
            let (status, errors) = check(&text);
            assert_eq!(
                status,
                Some(2),
                "{}: `{fragment}` must be refused\n{text}",
                place.name
            );
            let located = errors.iter().any(|(c, start)| {
                c == code
                    && *start >= prefix_len as u64
                    && *start <= (prefix_len + fragment.len()) as u64
            });
            assert!(
                located,
                "{}: `{fragment}` must be refused with {code} inside the fragment, got {errors:?}",
                place.name
            );
        }
    }
}

#[test]
fn other_hostile_inputs_are_refused_with_their_code() {
    for (text, code) in [
        (
            "entity M {\n  at timestamptz\n  partition by range (at) {\n    p from \"banana\" to \"2026-01-01\"\n  }\n}\n".to_string(),
            "E2022",
        ),
        (
            "entity C {\n  s uuid\n  partition by hash (s) into 99999999\n}\n".to_string(),
            "E1013",
        ),
        (
            format!(
                "entity U {{\n  x int\n  access a \"\"\"SELECT id FROM us WHERE {}\"\"\"\n}}\n",
                vec!["x = 1"; 10_000].join(" AND ")
            ),
            "E2021",
        ),
    ] {
        let (status, errors) = check(&text);
        assert_eq!(status, Some(2), "{text:.200}");
        assert!(errors.iter().any(|(c, _)| c == code), "{code}: {errors:?}");
    }
}

/// The DDL the schema builds, or the codes of its errors.
fn build(text: &str) -> Result<String, Vec<&'static str>> {
    let mut sources = strata_diagnostics::SourceMap::new();
    sources.add("schema.strata", text);
    let (files, mut diags) = strata_lang::parse_sources(&sources);
    let design = strata_design::design(&files);
    diags.extend(design.diagnostics);
    let errors: Vec<_> = diags
        .iter()
        .filter(|d| d.is_error())
        .map(|d| d.code)
        .collect();
    if !errors.is_empty() {
        return Err(errors);
    }
    strata_sql::render(&design.model, &strata_sql::RenderOptions { header: None })
        .map_err(|_| vec!["render"])
}

/// Every object of the database a schema change could add or remove (cluster-wide ones too).
const OBJECTS: &str = "
    SELECT 'relation ' || n.nspname || '.' || c.relname || ' ' || c.relkind::text
      FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')
    UNION ALL SELECT 'constraint ' || conname || ' ' || contype::text FROM pg_constraint c
      JOIN pg_namespace n ON n.oid = c.connamespace WHERE n.nspname <> 'pg_catalog'
    UNION ALL SELECT 'policy ' || polname FROM pg_policy
    UNION ALL SELECT 'function ' || p.proname FROM pg_proc p
      JOIN pg_namespace n ON n.oid = p.pronamespace
     WHERE n.nspname NOT IN ('pg_catalog', 'information_schema')
    UNION ALL SELECT 'trigger ' || tgname FROM pg_trigger WHERE NOT tgisinternal
    UNION ALL SELECT 'type ' || t.typname FROM pg_type t
      JOIN pg_namespace n ON n.oid = t.typnamespace
     WHERE n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast') AND t.typtype IN ('d', 'e')
    UNION ALL SELECT 'schema ' || nspname FROM pg_namespace
    UNION ALL SELECT 'extension ' || extname FROM pg_extension
    UNION ALL SELECT 'role ' || rolname || ' ' || rolsuper::text FROM pg_roles";

/// Applies `sql` with psql to a fresh database holding a `canary` table; returns whether psql
/// succeeded and the objects afterwards.
fn apply(sql: &str, conforming_strings: bool) -> (bool, BTreeSet<String>) {
    let cluster = strata_pg::shared_cluster().expect("throwaway PostgreSQL cluster");
    let db = cluster.create_database().expect("create database");
    let mut client = cluster.connect(&db).expect("connect");
    client
        .batch_execute("CREATE TABLE canary (x int)")
        .expect("canary");
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("build.sql");
    std::fs::write(&file, sql).expect("write SQL");
    let setting = if conforming_strings { "on" } else { "off" };
    let ok = std::process::Command::new(cluster.client_program("psql").expect("psql"))
        .args([
            "-X",
            "-q",
            "-v",
            "ON_ERROR_STOP=1",
            "-d",
            &cluster.url(&db),
            "-f",
        ])
        .arg(&file)
        .env(
            "PGOPTIONS",
            format!("-c standard_conforming_strings={setting}"),
        )
        .output()
        .expect("run psql")
        .status
        .success();
    let objects = client
        .query(OBJECTS, &[])
        .expect("list objects")
        .iter()
        .map(|r| r.get::<_, String>(0))
        .collect();
    (ok, objects)
}

fn harmless(place: &Place) -> &'static str {
    place.accepted[0]
}

#[test]
fn accepted_fragments_build_exactly_the_expected_objects() {
    for place in places() {
        let baseline_sql = build(&schema(&place, harmless(&place)))
            .unwrap_or_else(|e| panic!("{}: the harmless fragment is refused: {e:?}", place.name));
        let (ok, baseline) = apply(&baseline_sql, true);
        assert!(
            ok,
            "{}: the harmless schema applies\n{baseline_sql}",
            place.name
        );
        assert!(baseline.contains("relation public.canary r"));
        for fragment in place.accepted {
            let text = schema(&place, fragment);
            let sql = build(&text)
                .unwrap_or_else(|e| panic!("{}: `{fragment}` is refused: {e:?}", place.name));
            for conforming in [true, false] {
                let (ok, objects) = apply(&sql, conforming);
                assert!(ok, "{}: `{fragment}` applies\n{sql}", place.name);
                assert_eq!(
                    objects, baseline,
                    "{}: `{fragment}` (standard_conforming_strings {conforming}) creates other objects\n{sql}",
                    place.name
                );
            }
        }
    }
}

fn piece() -> impl Strategy<Value = &'static str> {
    prop::sample::select(vec![
        "n",
        "1",
        "'a'",
        "''",
        "'\\'",
        "E'\\''",
        "$$",
        "$a$",
        "(",
        ")",
        ";",
        ",",
        "--",
        "/*",
        "*/",
        "\n",
        " ",
        "+",
        "=",
        "AND",
        "NOT",
        "DROP TABLE canary",
        "CREATE TABLE shadow (x int)",
        "\"",
        "\\",
        "::int",
        "::text",
        "f(",
        "length(",
        "ARRAY[",
        "]",
        "CASE WHEN",
        "THEN",
        "ELSE",
        "END",
        "IS NULL",
        "name",
        "||",
        "'; DROP TABLE canary; --'",
    ])
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    /// Random fragments are either refused or build DDL that creates no object the harmless
    /// fragment does not (whatever `standard_conforming_strings` says) and keeps the canary.
    #[test]
    fn random_fragments_are_refused_or_stay_inside_their_statement(
        place in 0usize..5,
        pieces in prop::collection::vec(piece(), 1..8),
        conforming in any::<bool>(),
    ) {
        let places = places();
        let place = &places[[0, 1, 3, 4, 8][place]];
        let fragment: String = pieces.concat();
        prop_assume!(!fragment.contains('`'));
        if let Ok(sql) = build(&schema(place, &fragment)) {
            let baseline = build(&schema(place, harmless(place))).expect("harmless builds");
            let (_, expected) = apply(&baseline, true);
            let (_, objects) = apply(&sql, conforming);
            prop_assert!(objects.contains("relation public.canary r"), "canary dropped by `{}`\n{}", fragment, sql);
            let extra: Vec<_> = objects.difference(&expected).collect();
            prop_assert!(extra.is_empty(), "`{}` created {:?}\n{}", fragment, extra, sql);
        }
    }
}

/// Strings Strata quotes itself (doc comments become `COMMENT ON ... IS '...'`, string
/// defaults and bounds become literals) end where they should on a server with
/// `standard_conforming_strings` off too, where a backslash escapes the quote after it.
#[test]
fn quoted_strings_end_where_they_should_whatever_the_server_settings() {
    let text = "/// ends in a backslash \\\nentity Account {\n  /// ; DROP TABLE canary; --\n  name text = \"x\\\\\"\n  note text = \"; DROP TABLE canary; --\"\n}\n";
    let sql = build(text).unwrap_or_else(|e| panic!("builds: {e:?}"));
    let (_, expected) = apply(&sql, true);
    assert!(expected.contains("relation public.accounts r"), "{sql}");
    let (ok, objects) = apply(&sql, false);
    assert!(ok, "applies with standard_conforming_strings off\n{sql}");
    assert_eq!(objects, expected, "{sql}");
}

fn literal_piece() -> impl Strategy<Value = &'static str> {
    prop::sample::select(vec![
        "a",
        ";",
        "'",
        "''",
        "\\",
        "\\'",
        "$$",
        "$t$",
        "$",
        "--",
        "/*",
        "*/",
        ")",
        "(",
        "\n",
        "DROP TABLE canary",
        "; DROP TABLE canary; --",
        "\"",
        "`x",
        "E'",
    ])
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    /// String literals of every quoting style, with hostile content, inside an otherwise valid
    /// expression: Strata's reading of where each literal ends must agree with the server's
    /// and psql's, with `standard_conforming_strings` on or off.
    #[test]
    fn literals_end_where_the_server_says(
        style in 0usize..4,
        pieces in prop::collection::vec(literal_piece(), 0..6),
        conforming in any::<bool>(),
        place in 0usize..3,
    ) {
        let body: String = pieces.concat();
        prop_assume!(!body.contains('`'));
        let literal = match style {
            0 => format!("'{}'", body.replace('\'', "''")),
            1 => format!("E'{}'", body.replace('\\', "\\\\").replace('\'', "\\'")),
            2 => {
                prop_assume!(!body.contains("$$"));
                format!("$${body}$$")
            }
            _ => {
                prop_assume!(!body.contains("$q$"));
                format!("$q${body}$q$")
            }
        };
        let fragment = format!("length({literal}) >= 0");
        let places = places();
        let place = &places[[1, 3, 4][place]];
        if let Ok(sql) = build(&schema(place, &fragment)) {
            let baseline = build(&schema(place, "n > 0")).expect("baseline builds");
            let (_, expected) = apply(&baseline, true);
            let (ok, objects) = apply(&sql, conforming);
            prop_assert!(ok || !conforming, "`{}` does not apply\n{}", fragment, sql);
            prop_assert!(objects.contains("relation public.canary r"), "canary dropped by `{}`\n{}", fragment, sql);
            let extra: Vec<_> = objects.difference(&expected).collect();
            prop_assert!(extra.is_empty(), "`{}` created {:?}\n{}", fragment, extra, sql);
        }
    }
}
