//! Objects besides entities: junction tables, partitions, extensions, enums, domains,
//! sequences, views, functions and grants.

use strata_lang::ast::{self, Item};
use strata_model::*;

use crate::build::*;
use crate::emit::{Cx, Junction};
use crate::names;
use crate::types;

/// Junction tables exactly as `name <-> Target` makes them.
pub fn junctions(cx: &mut Cx<'_>) {
    let model = cx.model;
    for t in &model.tables {
        if cx.plan.no_junction.contains(&t.name) || t.partition_of.is_some() {
            continue;
        }
        if let Some(j) = junction(cx, t) {
            cx.junctions.insert(t.name.clone(), j);
        }
    }
    for name in cx.junctions.keys() {
        cx.entities.remove(name);
    }
}

fn junction(cx: &Cx<'_>, t: &Table) -> Option<Junction> {
    let [a, b] = t.foreign_keys.as_slice() else {
        return None;
    };
    let name = &t.name.name;
    // Foreign keys are sorted by name; the owner's side comes first in the key.
    let pk = t.primary_key.as_ref()?;
    let (left, right) = if pk.columns.starts_with(&a.columns) {
        (a, b)
    } else {
        (b, a)
    };
    let owner_t = cx.model.table(&left.ref_table)?;
    let target_t = cx.model.table(&right.ref_table)?;
    cx.entities.get(&left.ref_table)?;
    cx.entities.get(&right.ref_table)?;
    if owner_t.partition_of.is_some() || left.ref_table.schema != t.name.schema {
        return None;
    }
    let owner_pk = owner_t.primary_key.as_ref()?.columns.clone();
    let target_pk = target_t.primary_key.as_ref()?.columns.clone();
    if left.ref_columns != owner_pk || right.ref_columns != target_pk {
        return None;
    }
    let owner_base = strata_design::names::singularize(&owner_t.name.name);
    let field = name.strip_prefix(&format!("{owner_base}_"))?.to_string();
    let (field, map) = if names::stable(&field) {
        (field, None)
    } else {
        return None;
    };
    let field_base = strata_design::names::singularize(&field);
    let side = |prefix: &str, pk: &[String]| -> Vec<String> {
        pk.iter().map(|c| format!("{prefix}_{c}")).collect()
    };
    let (mut lcols, mut rcols) = (side(&owner_base, &owner_pk), side(&field_base, &target_pk));
    if lcols.iter().any(|c| rcols.contains(c)) {
        lcols = side(&format!("{owner_base}_from"), &owner_pk);
        rcols = side(&format!("{field_base}_to"), &target_pk);
    }
    if left.columns != lcols || right.columns != rcols {
        return None;
    }
    let mut all = lcols.clone();
    all.extend(rcols.iter().cloned());
    if pk.columns != all || pk.name != strata_design::names::fit(&format!("{name}_pkey")) {
        return None;
    }
    for (fk, cols) in [(left, &lcols), (right, &rcols)] {
        if fk.name != strata_design::names::fit(&format!("{name}_{}_fkey", cols.join("_")))
            || fk.on_delete != FkAction::Cascade
            || fk.on_update != FkAction::NoAction
            || fk.match_type != FkMatch::Simple
            || fk.deferrable != Deferrable::NotDeferrable
        {
            return None;
        }
    }
    let types_ok = t.columns.iter().take(all.len()).zip(&all).all(|(c, n)| {
        &c.name == n
            && !c.nullable
            && c.default.is_none()
            && c.comment.is_none()
            && c.identity.is_none()
            && c.generated.is_none()
            && c.collation.is_none()
    });
    let extra = &t.columns[all.len().min(t.columns.len())..];
    let created_ok = match extra {
        [] => true,
        [c] => {
            c.name == "created_at"
                && c.data_type == TypeRef::builtin("timestamp with time zone")
                && !c.nullable
                && c.default.as_deref() == Some("now()")
                && c.comment.is_none()
        }
        _ => false,
    };
    let idx_name = strata_design::names::fit(&format!("idx_{name}_{}", rcols.join("_")));
    let index_ok = match t.indexes.as_slice() {
        [] => true,
        [i] => {
            i.name == idx_name
                && i.keys.len() == rcols.len()
                && !i.unique
                && i.method == "btree"
                && i.predicate.is_none()
        }
        _ => false,
    };
    if !types_ok
        || !created_ok
        || !index_ok
        || t.columns.len() < all.len()
        || !t.uniques.is_empty()
        || !t.checks.is_empty()
        || !t.exclusions.is_empty()
        || !t.triggers.is_empty()
        || !t.policies.is_empty()
        || t.rls_enabled
        || t.partition_by.is_some()
        || t.unlogged
        || cx
            .model
            .tables
            .iter()
            .any(|x| x.foreign_keys.iter().any(|f| f.ref_table == t.name))
        || cx.model.grants.iter().any(|g| g.object == t.name)
    {
        return None;
    }
    let owner_entity = cx.entities.get(&left.ref_table)?;
    let target_entity = cx.entities.get(&right.ref_table)?;
    let default_doc = format!("Links {owner_entity} to {target_entity} (many-to-many `{field}`).");
    let doc = match &t.comment {
        Some(c) if *c == default_doc => None,
        Some(c) if doc_safe(c) => Some(c.clone()),
        Some(_) => return None,
        None => return None,
    };
    Some(Junction {
        owner: left.ref_table.clone(),
        target: right.ref_table.clone(),
        field,
        map,
        doc,
    })
}

/// `partition by ...` for a partitioned table, with its partitions; objects a partition has
/// of its own go to raw SQL.
pub fn partition(
    cx: &mut Cx<'_>,
    t: &Table,
    col_ref: &dyn Fn(&str) -> String,
) -> Option<ast::PartitionDecl> {
    let by = t.partition_by.as_ref()?;
    if !by.collations.is_empty() || !by.opclasses.is_empty() {
        cx.warn(
            format!("table {}", t.name),
            "its partition key has a collation or operator class, which .strata cannot write: \
             print this schema with `strata inspect --format sql`",
        );
    }
    let obj = format!("table {}", t.name);
    let keys: Vec<ast::KeyExpr> = by
        .keys
        .iter()
        .map(|k| match k {
            IndexExpr::Column(c) => ast::KeyExpr::Column(ident(col_ref(c))),
            IndexExpr::Expression(e) => ast::KeyExpr::Sql(sql(e)),
        })
        .collect();
    let children: Vec<&Table> = cx
        .model
        .tables
        .iter()
        .filter(|c| c.partition_of.as_ref().is_some_and(|p| p.parent == t.name))
        .collect();
    let mut parts = Vec::new();
    let mut hash: Vec<(u32, u32, &str)> = Vec::new();
    for c in &children {
        let Some(of) = &c.partition_of else { continue };
        let prefix = format!("{}_", t.name.name);
        let suffix = c
            .name
            .name
            .strip_prefix(&prefix)
            .filter(|s| is_plain_ident(s) && c.name.schema == t.name.schema);
        let Some(suffix) = suffix else {
            cx.warn(format!("table {}", c.name), format!("partition name does not start with `{prefix}`; .strata names partitions after their parent, so it is not printed"));
            continue;
        };
        partition_own_objects(cx, c);
        if let Some((m, r)) = parse_hash(&of.bound) {
            hash.push((m, r, suffix));
            continue;
        }
        match parse_bound(&of.bound) {
            Some(bound) => parts.push(ast::PartitionPart {
                name: Some(ident(suffix)),
                bound,
                trivia: trivia(),
                span: sp(),
            }),
            None => cx.warn(
                format!("table {}", c.name),
                format!(
                    "partition bound `{}` cannot be written in .strata; not printed",
                    of.bound
                ),
            ),
        }
    }
    let mut hash_count = None;
    if !hash.is_empty() {
        let n = hash.len() as u32;
        hash.sort();
        let regular = hash
            .iter()
            .enumerate()
            .all(|(i, (m, r, s))| *m == n && *r == i as u32 && *s == format!("p{i}"));
        if regular {
            hash_count = Some((n, sp()));
        } else {
            cx.warn(&obj, "hash partitions are not `<table>_p0` .. `<table>_p<N-1>` with modulus N; not printed");
        }
    }
    let strategy = match by.strategy {
        PartitionStrategy::Range => ast::PartitionStrategyAst::Range,
        PartitionStrategy::List => ast::PartitionStrategyAst::List,
        PartitionStrategy::Hash => ast::PartitionStrategyAst::Hash,
    };
    Some(ast::PartitionDecl {
        strategy,
        strategy_span: sp(),
        keys,
        parts,
        hash_count,
        trivia: trivia(),
        span: sp(),
    })
}

/// A partition's own indexes, keys, checks and triggers (the designer gives partitions none).
fn partition_own_objects(cx: &mut Cx<'_>, c: &Table) {
    for i in &c.indexes {
        cx.raw(2, &i.name, strata_sql::render_index(&c.name, i));
    }
    for fk in &c.foreign_keys {
        cx.raw(2, &fk.name, strata_sql::render_foreign_key(&c.name, fk));
    }
    for k in &c.checks {
        cx.raw(2, &k.name, strata_sql::render_add_check(&c.name, k));
    }
    if !c.options.is_empty() {
        cx.raw(
            2,
            &format!("{}_storage", c.name.name),
            format!(
                "ALTER TABLE {} SET ({});",
                c.name.quoted(),
                strata_sql::option_list(&c.options)
            ),
        );
    }
    for col in &c.columns {
        let settings = strata_sql::column_settings(&c.name, col, false);
        if !settings.is_empty() {
            cx.raw(
                2,
                &format!("{}_{}_settings", c.name.name, col.name),
                settings.join("\n"),
            );
        }
    }
    for u in &c.uniques {
        cx.raw(
            2,
            &u.name,
            strata_sql::render_add_constraint(&c.name, &strata_sql::render_unique_clause(u)),
        );
    }
    if let Some(text) = &c.comment {
        cx.raw(
            3,
            &format!("comment_{}", c.name.name),
            strata_sql::render_comment("TABLE", &c.name.quoted(), text),
        );
    }
    if let Some(e) = cx.expected_table(&c.name) {
        e.indexes.clear();
        e.foreign_keys.clear();
        e.checks.clear();
        e.uniques.clear();
        e.comment = None;
        e.options.clear();
        for col in &mut e.columns {
            col.statistics = None;
            col.storage = None;
            col.compression = None;
            col.options.clear();
        }
    }
}

fn parse_hash(bound: &str) -> Option<(u32, u32)> {
    let inner = bound.strip_prefix("FOR VALUES WITH (")?.strip_suffix(')')?;
    let mut m = None;
    let mut r = None;
    for part in inner.split(',') {
        let mut w = part.split_whitespace();
        match (w.next(), w.next()) {
            (Some("modulus"), Some(v)) => m = v.parse().ok(),
            (Some("remainder"), Some(v)) => r = v.parse().ok(),
            _ => return None,
        }
    }
    Some((m?, r?))
}

/// `FOR VALUES FROM (..) TO (..)`, `FOR VALUES IN (..)` or `DEFAULT`.
fn parse_bound(bound: &str) -> Option<ast::PartitionBound> {
    if bound == "DEFAULT" {
        return Some(ast::PartitionBound::Default);
    }
    if let Some(rest) = bound.strip_prefix("FOR VALUES FROM (") {
        let (from, rest) = values(rest)?;
        let rest = rest.strip_prefix(" TO (")?;
        let (to, rest) = values(rest)?;
        return rest
            .is_empty()
            .then_some(ast::PartitionBound::Range { from, to });
    }
    if let Some(rest) = bound.strip_prefix("FOR VALUES IN (") {
        let (list, rest) = values(rest)?;
        return rest.is_empty().then_some(ast::PartitionBound::List(list));
    }
    None
}

/// Comma-separated bound values up to the closing `)`; returns them and the text after it.
fn values(s: &str) -> Option<(Vec<ast::BoundValue>, &str)> {
    let mut out = Vec::new();
    let mut rest = s;
    loop {
        rest = rest.trim_start();
        if let Some(r) = rest.strip_prefix('\'') {
            let mut value = String::new();
            let mut chars = r.char_indices();
            let end;
            loop {
                let (i, ch) = chars.next()?;
                if ch == '\'' {
                    if r[i + 1..].starts_with('\'') {
                        value.push('\'');
                        chars.next();
                        continue;
                    }
                    end = i + 1;
                    break;
                }
                value.push(ch);
            }
            out.push(ast::BoundValue::Str(string(value)));
            rest = &r[end..];
        } else {
            let end = rest.find([',', ')'])?;
            let word = rest[..end].trim();
            let lower = word.to_ascii_lowercase();
            if lower == "minvalue" || lower == "maxvalue" {
                out.push(ast::BoundValue::Word(ident(lower)));
            } else if !word.is_empty()
                && word
                    .trim_start_matches('-')
                    .bytes()
                    .all(|b| b.is_ascii_digit() || b == b'.')
            {
                out.push(ast::BoundValue::Number(word.to_string(), sp()));
            } else {
                return None;
            }
            rest = &rest[end..];
        }
        rest = rest.trim_start();
        if let Some(r) = rest.strip_prefix(',') {
            rest = r;
            continue;
        }
        return rest.strip_prefix(')').map(|r| (out, r));
    }
}

pub struct Objects {
    /// Items printed before the entities of their schema.
    pub before: Vec<(String, Item)>,
    /// Items printed after them (views).
    pub after: Vec<(String, Item)>,
}

pub fn objects(cx: &mut Cx<'_>, uses_updated: bool, uses_v7: bool, uses_audit: bool) -> Objects {
    let model = cx.model;
    let mut before = Vec::new();
    let mut after = Vec::new();
    // Ownership the catalog shows even with `--no-owner`; the `public` schema's comment.
    for s in &model.schemas {
        if let Some(owner) = &s.owner {
            let stmt = strata_sql::render_schema(s)
                .into_iter()
                .find(|l| l.starts_with("ALTER SCHEMA"))
                .unwrap_or_else(|| {
                    format!(
                        "ALTER SCHEMA {} OWNER TO {};",
                        quote_ident(&s.name),
                        quote_ident(owner)
                    )
                });
            cx.raw(0, &format!("{}_owner", s.name), stmt);
        }
        if let Some(c) = &s.comment
            && (s.name == "public" || !is_plain_ident(&s.name) || !doc_safe(c))
        {
            cx.raw(
                3,
                &format!("comment_{}", s.name),
                strata_sql::render_comment("SCHEMA", &quote_ident(&s.name), c),
            );
        }
    }
    for s in &mut cx.expected.schemas {
        s.owner = None;
    }
    for e in &model.extensions {
        before.push((
            "public".to_string(),
            Item::Extension(ast::ExtensionDecl {
                name: ident(&e.name),
                trivia: spaced(),
                span: sp(),
            }),
        ));
        // The version is not printed: `extension` installs the server's default one.
        if e.schema.as_deref().is_some_and(|s| s != "public") {
            cx.warn(
                format!("extension {}", e.name),
                "is installed in another schema than public; `extension` installs it in public",
            );
        }
    }
    for e in &model.enums {
        if names::stable(&e.name.name)
            && is_plain_ident(&e.name.schema)
            && e.comment.as_deref().is_none_or(doc_safe)
        {
            before.push((
                e.name.schema.clone(),
                Item::Enum(ast::EnumDecl {
                    doc: e.comment.clone(),
                    name: ident(&e.name.name),
                    values: e
                        .values
                        .iter()
                        .map(|v| ast::EnumValue {
                            doc: None,
                            name: ident(v),
                            trivia: trivia(),
                        })
                        .collect(),
                    trivia: spaced(),
                    span: sp(),
                }),
            ));
        } else {
            raw_type(
                cx,
                &e.name,
                strata_sql::render_enum(e),
                e.comment.as_deref(),
                "TYPE",
            );
            cx.expected.enums.retain(|x| x.name != e.name);
        }
    }
    for d in &model.domains {
        match domain(cx, d) {
            Some(item) => before.push((d.name.schema.clone(), item)),
            None => {
                raw_type(
                    cx,
                    &d.name,
                    strata_sql::render_domain(d),
                    d.comment.as_deref(),
                    "DOMAIN",
                );
                cx.expected.domains.retain(|x| x.name != d.name);
            }
        }
    }
    for q in &model.sequences {
        match sequence(cx, q) {
            Some(item) => before.push((q.name.schema.clone(), item)),
            None => {
                cx.warn(format!("sequence {}", q.name), "cannot be declared in .strata (name or owner); created by raw SQL after the tables");
                cx.raw(0, &q.name.name, strata_sql::render_sequence(q));
                if let Some(o) = strata_sql::render_sequence_owned_by(q) {
                    cx.raw(2, &format!("{}_owned", q.name.name), o);
                }
                cx.expected.sequences.retain(|x| x.name != q.name);
            }
        }
    }
    // Functions the recognised conventions generate are left to them.
    let generated = |f: &Function| {
        f.name.schema == "public"
            && f.arguments.is_empty()
            && ((uses_updated && f.name.name == "set_updated_at")
                || (uses_v7 && f.name.name == "uuid_generate_v7")
                || (uses_audit && f.name.name == "audit_row_change"))
    };
    // Languages, base types, composite and range types and C functions carried as SQL come
    // before the functions written in or taking them.
    for v in model
        .verbatim
        .iter()
        .filter(|v| v.stage <= VerbatimStage::AfterDomains)
    {
        if model.tables.iter().any(|t| table_uses(t, v)) {
            cx.warn(
                format!("{} {}", v.kind, v.name),
                "is raw SQL in .strata, which runs after the tables that use it, so the \
                 build fails: print this schema with `strata inspect --format sql`",
            );
        }
        let name = v.name.rsplit('.').next().unwrap_or(&v.name);
        cx.raw(0, name, v.sql.trim().to_string());
    }
    let mut raw_functions = false;
    for f in &model.functions {
        if generated(f) {
            continue;
        }
        raw_functions = true;
        let mut sql = strata_sql::render_function(f);
        // A `LANGUAGE sql` body is checked when it is created and may call functions that
        // come later in this file.
        if f.language.trim().eq_ignore_ascii_case("sql") {
            sql =
                format!("SET check_function_bodies = false;\n{sql}\nRESET check_function_bodies;");
        }
        cx.raw(0, &f.name.name, sql);
        if let Some(text) = &f.comment {
            let target = strata_sql::function_signature(f);
            cx.raw(
                3,
                &format!("comment_{}", f.name.name),
                strata_sql::render_comment("FUNCTION", &target, text),
            );
        }
        cx.expected
            .functions
            .retain(|x| !(x.name == f.name && x.arguments == f.arguments));
    }
    for a in &model.aggregates {
        raw_functions = true;
        cx.raw(0, &a.name.name, strata_sql::render_aggregate(a));
        if let Some(text) = &a.comment {
            let target = strata_sql::aggregate_signature(a);
            cx.raw(
                3,
                &format!("comment_{}", a.name.name),
                strata_sql::render_comment("AGGREGATE", &target, text),
            );
        }
    }
    cx.expected.aggregates.clear();
    // Views come before raw SQL; when functions are raw SQL, views may call them, so they
    // follow as raw SQL too, in dependency order.
    for v in strata_sql::order::view_order(model) {
        let expressible = !raw_functions
            && names::stable(&v.name.name)
            && is_plain_ident(&v.name.schema)
            && !v.definition.contains("\"\"\"")
            && v.options.is_empty()
            && v.comment.as_deref().is_none_or(doc_safe);
        if expressible {
            after.push((
                v.name.schema.clone(),
                Item::View(ast::ViewDecl {
                    doc: v.comment.clone(),
                    name: ident(&v.name.name),
                    materialized: v.materialized,
                    sql: block_sql(format!("\n  {}\n", v.definition.trim())),
                    trivia: spaced(),
                    span: sp(),
                }),
            ));
        } else {
            let mut only = v.clone();
            only.indexes.clear();
            cx.raw(1, &v.name.name, strata_sql::render_view(&only));
            for stmt in strata_sql::view_comments(&only) {
                cx.raw(3, &format!("comment_{}", v.name.name), stmt);
            }
        }
        for i in &v.indexes {
            cx.raw(2, &i.name, strata_sql::render_index(&v.name, i));
        }
        if let Some(x) = cx.expected.views.iter_mut().find(|x| x.name == v.name) {
            x.indexes.clear();
        }
        if !expressible {
            cx.expected.views.retain(|x| x.name != v.name);
        }
    }
    // Objects carried as SQL stay SQL: those tables use first (collations), those after
    // views last (rules, triggers on views, statistics objects, procedures, ...).
    for v in &model.verbatim {
        let stage = match v.stage {
            // Printed before the functions, above.
            VerbatimStage::BeforeFunctions | VerbatimStage::AfterDomains => continue,
            VerbatimStage::BeforeTables => 0,
            VerbatimStage::AfterTables => 1,
            VerbatimStage::Last => 3,
        };
        // Raw SQL runs after the tables: a type, text search object, operator, operator
        // class or access method they use would come too late.
        {
            let used = model.tables.iter().any(|t| table_uses(t, v));
            if used {
                cx.warn(
                    format!("{} {}", v.kind, v.name),
                    "is raw SQL in .strata, which runs after the tables that use it, so the \
                     build fails: print this schema with `strata inspect --format sql`",
                );
            }
        }
        let name = v.name.split('(').next().unwrap_or(&v.name);
        let name = name.rsplit('.').next().unwrap_or(name);
        cx.raw(stage, name, v.sql.trim().to_string());
    }
    cx.expected.verbatim.clear();
    // Grants the entities do not print.
    for g in &model.grants {
        let on_entity = g.object_kind == "TABLE"
            && cx.entities.contains_key(&g.object)
            && !g.with_grant_option
            && is_plain_ident(&g.grantee)
            && !g.privileges.is_empty()
            && g.privileges.iter().all(|p| is_plain_ident(p));
        if on_entity {
            continue;
        }
        match strata_sql::render_grant(g, model) {
            Ok(sql) => cx.raw(4, &format!("grant_{}", g.object.name), sql),
            Err(e) => cx.warn(
                format!("grant on {}", g.object),
                format!("cannot be printed: {e}"),
            ),
        }
        cx.expected.grants.retain(|x| x != g);
    }
    Objects { before, after }
}

/// Whether a table uses an object carried as SQL: a type or text search object by name, an
/// operator in an expression (printed `OPERATOR(public.=~=)`), an operator class or access
/// method in an index (an operator class of `public` is named bare).
fn table_uses(t: &Table, v: &strata_model::VerbatimObject) -> bool {
    let bare = v.name.split('(').next().unwrap_or(&v.name);
    match v.kind.as_str() {
        "type" | "text search configuration" | "text search dictionary" => {
            table_mentions(t, &v.name)
        }
        "operator" => bare.split_once('.').is_some_and(|(schema, op)| {
            let call = format!("OPERATOR({}.{op})", strata_model::quote_ident(schema));
            table_texts(t).any(|text| text.contains(&call))
        }),
        "operator class" => bare.split_once('.').is_some_and(|(schema, name)| {
            let qualified = QualifiedName::new(schema, name).quoted();
            t.indexes.iter().flat_map(|i| &i.keys).any(|k| {
                k.opclass
                    .as_deref()
                    .is_some_and(|o| o == qualified || (schema == "public" && o == name))
            })
        }),
        "access method" => t.indexes.iter().any(|i| i.method == v.name),
        _ => false,
    }
}

/// A table's expressions: defaults, generation expressions, checks, index expressions and
/// predicates.
fn table_texts(t: &Table) -> impl Iterator<Item = &String> {
    t.columns
        .iter()
        .flat_map(|c| c.default.iter().chain(c.generated.iter()))
        .chain(t.checks.iter().map(|k| &k.expression))
        .chain(t.indexes.iter().flat_map(|i| {
            i.keys
                .iter()
                .filter_map(|k| match &k.expr {
                    IndexExpr::Expression(e) => Some(e),
                    IndexExpr::Column(_) => None,
                })
                .chain(i.predicate.iter())
        }))
}

/// Whether a table's columns (types, defaults, generation expressions), checks or indexes
/// name `qualified` (`public.docs`).
fn table_mentions(t: &Table, qualified: &str) -> bool {
    let typed = t.columns.iter().any(|c| {
        c.data_type
            .schema
            .as_ref()
            .is_some_and(|schema| format!("{schema}.{}", c.data_type.base_name()) == qualified)
    });
    typed || table_texts(t).any(|text| text.contains(qualified))
}

fn raw_type(cx: &mut Cx<'_>, name: &QualifiedName, sql: String, comment: Option<&str>, kind: &str) {
    let used = cx.model.tables.iter().any(|t| {
        t.columns.iter().any(|c| {
            c.data_type.schema.as_deref() == Some(&name.schema) && c.data_type.name == name.name
        })
    });
    if used {
        cx.warn(
            format!("type {name}"),
            "its name cannot be written in .strata and tables use it: the raw SQL that creates it runs too late",
        );
    }
    cx.raw(0, &name.name, sql);
    if let Some(c) = comment {
        cx.raw(
            3,
            &format!("comment_{}", name.name),
            strata_sql::render_comment(kind, &name.quoted(), c),
        );
    }
}

fn domain(cx: &Cx<'_>, d: &Domain) -> Option<Item> {
    // The designer never makes a NOT NULL domain: such a domain stays raw SQL.
    if d.not_null
        || !names::stable(&d.name.name)
        || !is_plain_ident(&d.name.schema)
        || d.collation.is_some()
        || d.comment.as_deref().is_some_and(|c| !doc_safe(c))
    {
        return None;
    }
    let base = if d.base.schema.is_some() {
        return None;
    } else {
        types::builtin(&d.base.name, d.base.array_dims)
            .unwrap_or_else(|| raw_ty(&d.base.name, d.base.array_dims))
    };
    // The designer names domain checks `<domain>_check`, `<domain>_check2`, ...
    let mut checks = Vec::new();
    for (i, k) in d.checks.iter().enumerate() {
        let want = if i == 0 {
            format!("{}_check", d.name.name)
        } else {
            format!("{}_check{}", d.name.name, i + 1)
        };
        if k.name != strata_design::names::fit(&want) || k.expression.contains("\"\"\"") {
            return None;
        }
        checks.push(sql(&k.expression));
    }
    let default = d
        .default
        .as_ref()
        .map(|x| types::default_expr(cx.model, &TypeRef::user(&d.name), x));
    Some(Item::Domain(ast::DomainDecl {
        doc: d.comment.clone(),
        name: ident(&d.name.name),
        ty: base,
        nullable: true,
        default,
        checks,
        trivia: spaced(),
        span: sp(),
    }))
}

fn sequence(cx: &Cx<'_>, q: &Sequence) -> Option<Item> {
    if !is_plain_ident(&q.name.name)
        || !is_plain_ident(&q.name.schema)
        || q.comment.as_deref().is_some_and(|c| !doc_safe(c))
    {
        return None;
    }
    let data_type = match q.data_type.trim() {
        "bigint" | "" => None,
        "integer" => Some(ident("int")),
        "smallint" => Some(ident("smallint")),
        _ => return None,
    };
    let owned_by = match &q.owned_by {
        None => None,
        Some((table, column)) => {
            let entity = cx.entities.get(table)?;
            if !is_plain_ident(column) {
                return None;
            }
            Some((ident(entity), ident(column)))
        }
    };
    let start_default = if q.increment < 0 {
        q.max_value.unwrap_or(-1)
    } else {
        q.min_value.unwrap_or(1)
    };
    let v = |x: i64| Some((x, sp()));
    Some(Item::Sequence(ast::SequenceDecl {
        doc: q.comment.clone(),
        name: ident(&q.name.name),
        data_type: data_type.filter(|_| !q.data_type.trim().is_empty()),
        start: if q.start != start_default {
            v(q.start)
        } else {
            None
        },
        increment: if q.increment != 1 {
            v(q.increment)
        } else {
            None
        },
        min: q.min_value.and_then(v),
        max: q.max_value.and_then(v),
        cache: if q.cache != 1 { v(q.cache) } else { None },
        cycle: q.cycle,
        owned_by,
        trivia: spaced(),
        span: sp(),
    }))
}
