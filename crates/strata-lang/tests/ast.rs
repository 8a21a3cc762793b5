//! What the parser builds: values, spans and trivia of specific constructs.

use strata_diagnostics::{FileId, SourceMap};
use strata_lang::ast::*;
use strata_lang::parse;

fn parse_ok(text: &str) -> File {
    let (file, diags) = parse(FileId(0), text);
    assert!(diags.is_empty(), "unexpected diagnostics: {diags:#?}");
    file
}

fn entity(file: &File, name: &str) -> EntityDecl {
    file.items
        .iter()
        .find_map(|i| match i {
            Item::Entity(e) if e.name.name == name => Some(e.clone()),
            _ => None,
        })
        .expect("entity")
}

fn codes(text: &str) -> Vec<&'static str> {
    parse(FileId(0), text).1.iter().map(|d| d.code).collect()
}

#[test]
fn rows_suffixes_and_separators() {
    for (src, want) in [
        ("10M", 10_000_000u64),
        ("10m", 10_000_000),
        ("1_500_000", 1_500_000),
        ("2B", 2_000_000_000),
        ("250k", 250_000),
        ("0", 0),
        ("18446744073709551615", u64::MAX),
    ] {
        let f = parse_ok(&format!("entity T {{\n  rows {src}\n}}\n"));
        let e = entity(&f, "T");
        match e.members.first() {
            Some(Member::Rows(r)) => assert_eq!(r.count, want, "rows {src}"),
            other => panic!("rows {src}: {other:?}"),
        }
    }
    assert_eq!(
        codes("entity T {\n  rows 18446744073709551616\n}\n"),
        ["E1006"]
    );
    assert_eq!(codes("entity T {\n  rows 18446744074B\n}\n"), ["E1006"]);
    assert_eq!(codes("entity T {\n  rows 1.5M\n}\n"), ["E1006"]);
    assert_eq!(codes("entity T {\n  rows -5\n}\n"), ["E1006"]);
}

#[test]
fn rates() {
    let f = parse_ok(
        "entity T {\n  access a 1000/s `x`\n  access b 2.5/min `x`\n  access c 1_000/h `x`\n  \
         access d 3/day `x`\n  access e `x`\n}\n",
    );
    let rates: Vec<Option<(f64, RateUnit)>> = entity(&f, "T")
        .members
        .iter()
        .map(|m| match m {
            Member::Access(a) => a.rate.as_ref().map(|r| (r.value, r.unit)),
            _ => panic!("access expected"),
        })
        .collect();
    assert_eq!(
        rates,
        vec![
            Some((1000.0, RateUnit::Second)),
            Some((2.5, RateUnit::Minute)),
            Some((1000.0, RateUnit::Hour)),
            Some((3.0, RateUnit::Day)),
            None
        ]
    );
    assert_eq!(codes("entity T {\n  access a 5/week `x`\n}\n"), ["E1009"]);
    assert_eq!(codes("entity T {\n  access a 5s `x`\n}\n"), ["E1006"]);
}

#[test]
fn field_attributes_and_defaults() {
    let f = parse_ok(
        "entity T {\n  a text? = \"x\\\"y\\\\\\n\" unique index pk identity check `a > 0` check `b` \
         generated `c` collate \"C\" map \"col\" renamed_from old\n  b int = -1\n  c bool = TRUE\n  \
         d text = null\n  e status = todo\n  f timestamptz = now()\n  g numeric(12, 2)[][] = `'{}'`\n}\n",
    );
    let e = entity(&f, "T");
    let Some(Member::Field(a)) = e.members.first() else {
        panic!("field a")
    };
    assert!(a.nullable);
    assert_eq!(a.attrs.len(), 11);
    match a.attrs.first() {
        Some(FieldAttr::Default(DefaultExpr::Str(s))) => assert_eq!(s.value, "x\"y\\\n"),
        other => panic!("{other:?}"),
    }
    let defaults: Vec<DefaultExpr> = e
        .members
        .iter()
        .skip(1)
        .filter_map(|m| match m {
            Member::Field(f) => f.attrs.iter().find_map(|a| match a {
                FieldAttr::Default(d) => Some(d.clone()),
                _ => None,
            }),
            _ => None,
        })
        .collect();
    assert!(matches!(&defaults[0], DefaultExpr::Number(n, _) if n == "-1"));
    assert!(matches!(&defaults[1], DefaultExpr::Bool(true, _)));
    assert!(matches!(&defaults[2], DefaultExpr::Null(_)));
    assert!(matches!(&defaults[3], DefaultExpr::Word(w) if w.name == "todo"));
    assert!(matches!(&defaults[4], DefaultExpr::Call(c) if c.name == "now"));
    assert!(matches!(&defaults[5], DefaultExpr::Sql(s) if s.text == "'{}'" && !s.block));
    let Some(Member::Field(g)) = e.members.last() else {
        panic!("field g")
    };
    assert_eq!(g.ty.array_dims, 2);
    assert_eq!(g.ty.args.len(), 2);
    assert_eq!(codes("entity T {\n  a text = 1 = 2\n}\n"), ["E1011"]);
    assert_eq!(
        codes("entity T {\n  a text check `x` check `y`\n}\n"),
        Vec::<&str>::new()
    );
}

#[test]
fn relations() {
    let f = parse_ok(
        "entity T {\n  a -> User(email)? on delete set null on update no action deferrable unique \
         map \"a_email\" renamed_from old\n  b <-> Tag through TT\n  c <- Note\n  \
         d -> User deferrable initially deferred\n}\n",
    );
    let rels: Vec<RelationDecl> = entity(&f, "T")
        .members
        .into_iter()
        .filter_map(|m| match m {
            Member::Relation(r) => Some(r),
            _ => None,
        })
        .collect();
    assert_eq!(rels.len(), 4);
    assert_eq!(rels[0].kind, RelationKind::ToOne);
    assert_eq!(
        rels[0].target_field.as_ref().map(|i| i.name.as_str()),
        Some("email")
    );
    assert!(rels[0].nullable);
    assert!(matches!(
        rels[0].attrs[0],
        RelationAttr::OnDelete(ActionAst::SetNull, _)
    ));
    assert!(matches!(
        rels[0].attrs[1],
        RelationAttr::OnUpdate(ActionAst::NoAction, _)
    ));
    assert!(matches!(
        rels[0].attrs[2],
        RelationAttr::Deferrable {
            initially_deferred: false,
            ..
        }
    ));
    assert_eq!(rels[1].kind, RelationKind::ManyToMany);
    assert_eq!(rels[2].kind, RelationKind::Inverse);
    assert!(matches!(
        rels[3].attrs[0],
        RelationAttr::Deferrable {
            initially_deferred: true,
            ..
        }
    ));
}

#[test]
fn keywords_only_in_their_form() {
    let f = parse_ok(
        "entity T {\n  index int\n  unique text\n  rows int\n  use text unique\n  table text\n  \
         index (a)\n  unique (a)\n  unique index (a)\n  unique \"n\" (a)\n  index \"i\" (a)\n  \
         rows 5\n  use Mixin\n  table \"t\"\n  check c `x`\n}\n",
    );
    let kinds: Vec<&str> = entity(&f, "T")
        .members
        .iter()
        .map(|m| match m {
            Member::Field(_) => "field",
            Member::Index(i) if i.unique => "unique index",
            Member::Index(_) => "index",
            Member::Unique(_) => "unique",
            Member::Rows(_) => "rows",
            Member::Use(_) => "use",
            Member::TableName(_) => "table",
            Member::Check(_) => "check",
            _ => "other",
        })
        .collect();
    assert_eq!(
        kinds,
        [
            "field",
            "field",
            "field",
            "field",
            "field",
            "index",
            "unique",
            "unique index",
            "unique",
            "index",
            "rows",
            "use",
            "table",
            "check"
        ]
    );
}

#[test]
fn indexes_and_constraints() {
    let f = parse_ok(
        "entity T {\n  index \"n\" (a desc nulls last, `lower(b)` text_pattern_ops, c asc nulls first) \
         using gin include (d, e) where `p` nulls not distinct\n  \
         exclude ex using gist (room with `=`, during range_ops with `&&`) where `q`\n  \
         primary key (a, b)\n}\n",
    );
    let e = entity(&f, "T");
    let Some(Member::Index(i)) = e.members.first() else {
        panic!("index")
    };
    assert_eq!(i.name.as_ref().map(|s| s.value.as_str()), Some("n"));
    assert_eq!(i.keys.len(), 3);
    assert!(i.keys[0].descending && i.keys[0].nulls_first == Some(false));
    assert!(matches!(&i.keys[1].expr, KeyExpr::Sql(s) if s.text == "lower(b)"));
    assert_eq!(
        i.keys[1].opclass.as_ref().map(|o| o.name.as_str()),
        Some("text_pattern_ops")
    );
    assert!(!i.keys[2].descending && i.keys[2].nulls_first == Some(true));
    assert_eq!(i.method.as_ref().map(|m| m.name.as_str()), Some("gin"));
    assert_eq!(i.include.len(), 2);
    assert!(i.nulls_not_distinct);
    let Some(Member::Exclude(x)) = e.members.get(1) else {
        panic!("exclude")
    };
    assert_eq!(x.name.as_ref().map(|n| n.name.as_str()), Some("ex"));
    assert_eq!(x.elements.len(), 2);
    assert_eq!(
        x.elements[1].key.opclass.as_ref().map(|o| o.name.as_str()),
        Some("range_ops")
    );
    assert_eq!(x.elements[1].operator.text, "&&");
    assert_eq!(
        codes("entity T {\n  index (a) using gin using btree\n}\n"),
        ["E1011"]
    );
}

#[test]
fn partitions() {
    let f = parse_ok(
        "entity T {\n  partition by range (a, `b + 1`) {\n    p from (1, minvalue) to (\"x\", MAXVALUE)\n    \
         default\n  }\n  partition by list (r) { eu in (\"de\", -2.5)  rest default }\n  \
         partition by hash (id) into 8\n}\n",
    );
    let parts: Vec<PartitionDecl> = entity(&f, "T")
        .members
        .into_iter()
        .filter_map(|m| match m {
            Member::Partition(p) => Some(p),
            _ => None,
        })
        .collect();
    assert_eq!(parts[0].strategy, PartitionStrategyAst::Range);
    assert_eq!(parts[0].keys.len(), 2);
    match &parts[0].parts[0].bound {
        PartitionBound::Range { from, to } => {
            assert!(matches!(&from[1], BoundValue::Word(w) if w.name == "minvalue"));
            assert!(matches!(&to[1], BoundValue::Word(w) if w.name == "maxvalue"));
        }
        other => panic!("{other:?}"),
    }
    assert!(parts[0].parts[1].name.is_none());
    assert_eq!(parts[1].parts.len(), 2);
    assert!(matches!(&parts[1].parts[0].bound, PartitionBound::List(v)
        if matches!(&v[1], BoundValue::Number(n, _) if n == "-2.5")));
    assert!(matches!(parts[1].parts[1].bound, PartitionBound::Default));
    assert_eq!(parts[2].hash_count.map(|(n, _)| n), Some(8));
}

#[test]
fn policies_grants_and_scale() {
    let f = parse_ok(
        "entity T {\n  policy p for SELECT to a, b restrictive using `u` check `c`\n  \
         grant Select, insert to r\n  distribute by o colocate with U\n  tenant by o\n}\n\
         entity R {\n  distribute reference\n}\n",
    );
    let e = entity(&f, "T");
    let Some(Member::Policy(p)) = e.members.first() else {
        panic!("policy")
    };
    assert_eq!(p.command.as_ref().map(|c| c.name.as_str()), Some("select"));
    assert_eq!(p.roles.len(), 2);
    assert!(p.restrictive && p.using.is_some() && p.check.is_some());
    let Some(Member::Grant(g)) = e.members.get(1) else {
        panic!("grant")
    };
    assert_eq!(
        g.privileges
            .iter()
            .map(|p| p.name.as_str())
            .collect::<Vec<_>>(),
        ["select", "insert"]
    );
    let r = entity(&f, "R");
    assert!(matches!(r.members.first(), Some(Member::Distribute(d)) if d.column.is_none()));
}

#[test]
fn sql_spans_cover_the_content_only() {
    let text = "view v \"\"\"\n  SELECT 1\n\"\"\"\nentity T {\n  a int check `a > 0`\n}\n";
    let mut sources = SourceMap::new();
    let id = sources.add("t.strata", text);
    let (file, diags) = parse(id, text);
    assert!(diags.is_empty());
    let Some(Item::View(v)) = file.items.first() else {
        panic!("view")
    };
    assert!(v.sql.block);
    assert_eq!(v.sql.text, "\n  SELECT 1\n");
    assert_eq!(sources.slice(v.sql.span), Some("\n  SELECT 1\n"));
    let e = entity(&file, "T");
    let Some(Member::Field(a)) = e.members.first() else {
        panic!("field")
    };
    let Some(FieldAttr::Check(c)) = a.attrs.first() else {
        panic!("check")
    };
    assert_eq!(sources.slice(c.span), Some("a > 0"));
    assert_eq!(sources.slice(a.name.span), Some("a"));
    assert_eq!(sources.slice(a.span), Some("a int check `a > 0`"));
    assert_eq!(
        sources.slice(e.span),
        Some("entity T {\n  a int check `a > 0`\n}")
    );
}

#[test]
fn docs_and_trivia() {
    let f = parse_ok(
        "// header\n\n/// Doc one.\n///\n/// Doc two.\nentity T { // open\n  // lead\n  a int // trail\n\n  \
         /// field doc\n  b int\n  // inner\n} // close\nenum e {\n  /// v doc\n  x, // xc\n  y\n}\n\
         // end\n",
    );
    let Some(Item::Entity(e)) = f.items.first() else {
        panic!("entity")
    };
    assert_eq!(e.doc.as_deref(), Some("Doc one.\n\nDoc two."));
    assert_eq!(e.trivia.leading, ["header"]);
    assert!(e.trivia.blank_line_after_comments);
    assert_eq!(e.trivia.trailing.as_deref(), Some("open"));
    assert_eq!(e.trivia.inner, ["inner"]);
    let Some(Member::Field(a)) = e.members.first() else {
        panic!("a")
    };
    assert_eq!(a.trivia.leading, ["lead"]);
    assert_eq!(a.trivia.trailing.as_deref(), Some("trail"));
    let Some(Member::Field(b)) = e.members.get(1) else {
        panic!("b")
    };
    assert!(b.trivia.blank_line_before);
    assert_eq!(b.doc.as_deref(), Some("field doc"));
    let Some(Item::Enum(en)) = f.items.get(1) else {
        panic!("enum")
    };
    assert_eq!(en.trivia.leading, ["close"]);
    assert_eq!(en.values[0].doc.as_deref(), Some("v doc"));
    assert_eq!(en.values[0].trivia.trailing.as_deref(), Some("xc"));
    assert_eq!(f.trailing_comments, ["end"]);
}

#[test]
fn doc_on_undocumentable_member_is_a_warning_and_kept() {
    let (f, diags) = parse(FileId(0), "entity T {\n  /// why\n  index (a)\n}\n");
    assert_eq!(diags.len(), 1);
    assert_eq!(diags[0].code, "W1001");
    assert!(!diags[0].is_error());
    let e = entity(&f, "T");
    let Some(Member::Index(i)) = e.members.first() else {
        panic!("index")
    };
    assert_eq!(i.trivia.leading, ["why"]);
}

#[test]
fn one_error_per_member_and_recovery_per_level() {
    // Two problems on one line: only the first is reported.
    assert_eq!(
        codes("entity T {\n  a text uniqe @ \"unterminated\n}\n"),
        ["E1004"]
    );
    // Errors on separate members, in an enum, and at item level are all reported.
    assert_eq!(
        codes("entity T {\n  a text uniqe\n  b -> U on delete x\n}\nenum e { a b, c }\nfoo\n"),
        ["E1004", "E1010", "E1004", "E1005"]
    );
    // After a broken item, parsing resumes at the next item keyword.
    let (f, _) = parse(FileId(0), "entity {\n  x int\n}\nentity B {\n  y int\n}\n");
    assert_eq!(f.items.len(), 1);
}

#[test]
fn syntax_codes_are_listed_once() {
    let mut seen = std::collections::HashSet::new();
    for (code, meaning) in strata_lang::SYNTAX_CODES {
        assert!(seen.insert(*code), "duplicate {code}");
        assert!(!meaning.is_empty());
    }
    for c in [
        "E1001", "E1002", "E1003", "E1004", "E1005", "E1006", "E1007", "E1008", "E1009", "E1010",
        "E1011", "E1012", "W1001",
    ] {
        assert!(seen.contains(c), "{c} missing from SYNTAX_CODES");
    }
}
