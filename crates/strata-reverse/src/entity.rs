//! One table → one entity: columns become fields and relations, keys and indexes members,
//! and what the conventions would generate is recognised and left implicit.

use std::collections::{BTreeMap, HashMap, HashSet};

use strata_lang::ast::*;
use strata_model::{
    self as m, Column, Deferrable, FkAction, FkMatch, Identity, IndexExpr, PolicyCommand,
    QualifiedName, Table, TriggerEvent, TriggerTiming, WhySource, quote_ident, quote_literal,
};

use crate::build::*;
use crate::emit::Cx;
use crate::names::{self, column_check_name, fk_index_name, fk_name, pkey_name, unique_name};
use crate::types::{self, template};

pub const CREATED_COMMENT: &str = "When the row was created.";
pub const UPDATED_COMMENT: &str = "When the row was last changed; kept by a trigger.";
pub const SOFT_DELETE_COMMENT: &str = "When the row was soft-deleted; NULL while it is live.";

pub struct EntityOut {
    pub decl: EntityDecl,
    pub schema: String,
    /// `primary_key` this entity needs (`None`: it declares its key itself).
    pub pk: Option<&'static str>,
    pub timestamps: &'static str,
    pub index_fks: Option<bool>,
    pub enums_check: Option<bool>,
    pub tenant_setting: Option<String>,
    pub prune_off: bool,
    pub audit: bool,
}

struct RelPlan {
    name: String,
    columns: Vec<String>,
    decl: RelationDecl,
}

/// Items of the table printed some other way (convention, raw SQL) and left out of members.
#[derive(Default)]
struct Taken {
    checks: HashSet<String>,
    uniques: HashSet<String>,
    indexes: HashSet<String>,
    triggers: HashSet<String>,
    policies: HashSet<String>,
}

fn is_ts(c: &Column, comment: &str) -> bool {
    c.data_type == m::TypeRef::builtin("timestamp with time zone")
        && !c.nullable
        && c.default.as_deref() == Some("now()")
        && c.identity.is_none()
        && c.generated.is_none()
        && c.collation.is_none()
        && c.comment.as_deref() == Some(comment)
}

fn plain_col(c: &Column) -> bool {
    c.identity.is_none() && c.generated.is_none() && c.collation.is_none()
}

pub fn entity(cx: &mut Cx<'_>, t: &Table) -> EntityOut {
    let explicit = cx.plan.explicit.contains(&t.name);
    let tname = t.name.name.clone();
    let obj = format!("table {}", t.name);
    let mut taken = Taken::default();
    let mut members: Vec<Member> = Vec::new();
    let cols = &t.columns;
    let mut skip: HashSet<&str> = HashSet::new();

    // Surrogate key by convention.
    let pk_conv: Option<&'static str> = if explicit { None } else { detect_id(cx, t) };
    if pk_conv.is_some() {
        skip.insert("id");
    }

    // Soft delete and timestamps sit at the end of the column list, in that order.
    let mut tail = cols.len();
    let soft = !explicit
        && cols.last().is_some_and(|c| {
            c.name == "deleted_at"
                && c.data_type == m::TypeRef::builtin("timestamp with time zone")
                && c.nullable
                && c.default.is_none()
                && plain_col(c)
                && c.comment.as_deref() == Some(SOFT_DELETE_COMMENT)
        });
    if soft {
        tail -= 1;
        skip.insert("deleted_at");
    }
    let updated_trigger = names_fit(&format!("{tname}_set_updated_at"));
    let trigger_ok = t.triggers.iter().any(|tr| {
        tr.name == updated_trigger
            && tr.timing == TriggerTiming::Before
            && tr.events == vec![TriggerEvent::Update(Vec::new())]
            && tr.for_each_row
            && tr.when.is_none()
            && tr.function == QualifiedName::public("set_updated_at")
            && tr.arguments.is_empty()
            && tr.comment.is_none()
    }) && cx
        .is_designer_function("set_updated_at", "\nBEGIN\n  NEW.updated_at := now();");
    let mut timestamps = "off";
    if !explicit {
        if tail >= 2
            && cols[tail - 2].name == "created_at"
            && is_ts(&cols[tail - 2], CREATED_COMMENT)
            && cols[tail - 1].name == "updated_at"
            && is_ts(&cols[tail - 1], UPDATED_COMMENT)
            && trigger_ok
        {
            timestamps = "on";
            skip.insert("created_at");
            skip.insert("updated_at");
            taken.triggers.insert(updated_trigger);
        } else if tail >= 1
            && cols[tail - 1].name == "created_at"
            && is_ts(&cols[tail - 1], CREATED_COMMENT)
            && t.column("updated_at").is_none()
        {
            timestamps = "created";
            skip.insert("created_at");
        }
    }

    // Audit trigger.
    let mut redacted: Vec<String> = Vec::new();
    let mut audit = false;
    if !explicit && cx.audit_ok {
        let name = names_fit(&format!("{tname}_audit"));
        let pk: Vec<String> = t
            .primary_key
            .as_ref()
            .map(|p| p.columns.clone())
            .unwrap_or_default();
        if let Some(tr) = t.triggers.iter().find(|tr| tr.name == name) {
            let shape = tr.timing == TriggerTiming::After
                && tr.events
                    == vec![
                        TriggerEvent::Insert,
                        TriggerEvent::Update(Vec::new()),
                        TriggerEvent::Delete,
                    ]
                && tr.for_each_row
                && tr.when.is_none()
                && tr.comment.is_none()
                && tr.function == QualifiedName::public("audit_row_change")
                // The third argument, the tenant column, is the designer's to derive.
                && (2..=3).contains(&tr.arguments.len())
                && tr.arguments[0] == format!("{{{}}}", pk.join(","));
            let list = tr
                .arguments
                .get(1)
                .and_then(|a| a.strip_prefix('{'))
                .and_then(|a| a.strip_suffix('}'));
            if shape && let Some(list) = list {
                let r: Vec<String> = list
                    .split(',')
                    .filter(|s| !s.is_empty())
                    .map(str::to_string)
                    .collect();
                let ok = r.iter().all(|c| {
                    t.column(c).is_some_and(|col| {
                        col.data_type == m::TypeRef::builtin("text")
                            && col.default.is_none()
                            && plain_col(col)
                    })
                });
                if ok {
                    audit = true;
                    redacted = r;
                    taken.triggers.insert(name);
                }
            }
        }
    }

    // Tenant isolation.
    let mut tenant: Option<(String, String)> = None;
    if !explicit && t.rls_enabled && t.rls_forced {
        let name = names_fit(&format!("{tname}_tenant_isolation"));
        if let Some(p) = t.policies.iter().find(|p| p.name == name)
            && p.command == PolicyCommand::All
            && p.permissive
            && p.roles.is_empty()
            && p.using.is_some()
            && crate::sqlform::same(
                p.using.as_deref().unwrap_or_default(),
                p.with_check.as_deref().unwrap_or_default(),
            )
        {
            // The designer's spelling or the server's.
            let using = crate::sqlform::loose(p.using.as_deref().unwrap_or_default());
            for c in cols {
                let prefix = format!("{} = NULLIF(current_setting(", quote_ident(&c.name));
                let suffix = format!(", true), '')::{}", types::type_sql(&c.data_type));
                if let Some(mid) = using
                    .strip_prefix(&prefix)
                    .and_then(|r| r.strip_suffix(&suffix))
                    && let Some(setting) = types::parse_literal(mid)
                {
                    tenant = Some((c.name.clone(), setting));
                    taken.policies.insert(name.clone());
                    break;
                }
            }
        }
    }

    // A tenant that comes through a relation (the designer's copy of the tenant column).
    if !explicit
        && tenant.is_none()
        && let Some(h) = cx.tenant_hints.get(&t.name)
    {
        tenant = h.relation.first().map(|c| (c.clone(), h.setting.clone()));
    }

    // Relations.
    let mut field_names: HashSet<String> = cols.iter().map(|c| c.name.clone()).collect();
    let mut rels: BTreeMap<usize, RelPlan> = BTreeMap::new();
    let mut rel_cols: HashSet<String> = HashSet::new();
    let mut raw_fks = Vec::new();
    for fk in &t.foreign_keys {
        // The language has no NOT VALID, NOT ENFORCED or PERIOD: such a key is raw SQL.
        if fk.not_valid || fk.not_enforced || fk.period {
            raw_fks.push(fk);
            continue;
        }
        match relation(cx, t, fk, &rel_cols, &field_names, soft, &mut taken) {
            Some((pos, plan)) => {
                rel_cols.extend(plan.columns.iter().cloned());
                field_names.insert(plan.name.clone());
                rels.insert(pos, plan);
            }
            None => raw_fks.push(fk),
        }
    }
    for fk in raw_fks {
        cx.raw_foreign_key(&fk.name, strata_sql::render_foreign_key(&t.name, fk));
        if let Some(e) = cx.expected_table(&t.name) {
            e.foreign_keys.retain(|x| x.name != fk.name);
        }
    }
    // The foreign-key index convention holds when every relation has its index, or an index
    // or key the designer would fold it into.
    let plain_key = |k: &m::IndexKey, c: &String| {
        k.column_name() == Some(c.as_str())
            && k.opclass.is_none()
            && k.collation.is_none()
            && !k.descending
            && k.nulls_first.is_none()
    };
    let own_index = |cols: &[String]| {
        let name = fk_index_name(&tname, cols);
        t.indexes.iter().any(|i| {
            i.name == name
                && i.method == "btree"
                && !i.unique
                && i.include.is_empty()
                && i.predicate.is_none()
                && !i.nulls_not_distinct
                && i.comment.is_none()
                && i.keys.len() == cols.len()
                && i.keys.iter().zip(cols).all(|(k, c)| plain_key(k, c))
        })
    };
    let folded = |cols: &[String]| {
        let by_key = |key: &[String]| key.len() >= cols.len() && key[..cols.len()] == *cols;
        t.primary_key.as_ref().is_some_and(|p| by_key(&p.columns))
            || t.uniques.iter().any(|u| by_key(&u.columns))
            || t.indexes.iter().any(|i| {
                i.method == "btree"
                    && i.predicate.is_none()
                    && i.keys.len() > cols.len()
                    && i.keys.iter().zip(cols).all(|(k, c)| plain_key(k, c))
            })
    };
    let index_fks = if rels.is_empty() {
        None
    } else if !explicit
        && rels
            .values()
            .all(|r| own_index(&r.columns) || folded(&r.columns))
    {
        for r in rels.values() {
            if own_index(&r.columns) {
                taken.indexes.insert(fk_index_name(&tname, &r.columns));
            }
        }
        Some(true)
    } else {
        Some(false)
    };

    // Enums stored as text + CHECK are recognised only when no column uses a native enum.
    let native_enum_cols = cols.iter().any(|c| {
        c.data_type.schema.is_some()
            && cx
                .model
                .enums
                .iter()
                .any(|e| e.name.name == c.data_type.name)
    });
    let mut enums_check = None;

    // Columns in order.
    let mut member_of: HashMap<String, String> = HashMap::new();
    let mut rel_at = rels;
    for (i, c) in cols.iter().enumerate() {
        if skip.contains(c.name.as_str()) {
            continue;
        }
        if let Some(r) = rel_at.remove(&i) {
            if r.columns.len() == 1 {
                member_of.insert(c.name.clone(), r.name.clone());
            }
            members.push(Member::Relation(r.decl));
            continue;
        }
        if rel_cols.contains(&c.name) {
            continue;
        }
        let f = field(
            cx,
            t,
            c,
            explicit,
            audit,
            &redacted,
            native_enum_cols,
            &mut enums_check,
            &mut taken,
            &mut field_names,
            &obj,
        );
        member_of.insert(c.name.clone(), f.name.name.clone());
        members.push(Member::Field(f));
    }
    let col_ref =
        |c: &str| -> String { member_of.get(c).cloned().unwrap_or_else(|| c.to_string()) };

    // Junctions this entity owns.
    let junctions: Vec<(QualifiedName, crate::emit::Junction)> = cx
        .junctions
        .iter()
        .filter(|(_, j)| j.owner == t.name)
        .map(|(k, j)| (k.clone(), j.clone()))
        .collect();
    for (_, j) in junctions {
        let mut attrs = Vec::new();
        if let Some(mp) = &j.map {
            attrs.push(RelationAttr::Map(string(mp)));
        }
        members.push(Member::Relation(RelationDecl {
            doc: j.doc.clone(),
            name: ident(&j.field),
            kind: RelationKind::ManyToMany,
            target: ident(cx.entities.get(&j.target).cloned().unwrap_or_default()),
            target_field: None,
            nullable: false,
            attrs,
            trivia: trivia(),
            span: sp(),
        }));
    }

    let mut extra: Vec<Member> = Vec::new();
    // Primary key.
    // A deferrable or temporal (WITHOUT OVERLAPS) primary key is raw SQL: the language has
    // neither.
    let raw_pk = t
        .primary_key
        .as_ref()
        .filter(|pk| pk.deferrable != Deferrable::NotDeferrable || pk.without_overlaps);
    if let Some(pk) = raw_pk {
        raw_constraint(
            cx,
            t,
            &pk.name,
            strata_sql::render_primary_key_clause(pk),
            |e| e.primary_key = None,
        );
    }
    if pk_conv.is_none()
        && raw_pk.is_none()
        && let Some(pk) = &t.primary_key
    {
        let single_field = match pk.columns.as_slice() {
            [c] if pk.name == pkey_name(&tname) => members.iter_mut().find_map(|mem| match mem {
                Member::Field(f) if member_of.get(c) == Some(&f.name.name) => Some(f),
                _ => None,
            }),
            _ => None,
        };
        match single_field {
            Some(f) => f.attrs.insert(0, FieldAttr::PrimaryKey(sp())),
            None => extra.push(Member::PrimaryKey(PrimaryKeyDecl {
                name: (pk.name != pkey_name(&tname)).then(|| string(&pk.name)),
                columns: pk.columns.iter().map(|c| ident(col_ref(c))).collect(),
                trivia: trivia(),
                span: sp(),
            })),
        }
    }
    let pk_need = match (&t.primary_key, pk_conv) {
        (Some(_), None) if raw_pk.is_some() => Some("none"),
        (_, Some(s)) => Some(s),
        (None, None) => Some("none"),
        (Some(_), None) => None,
    };

    // Unique constraints (soft delete: partial unique indexes on live rows).
    for u in &t.uniques {
        if taken.uniques.contains(&u.name) {
            continue;
        }
        if u.deferrable != Deferrable::NotDeferrable || u.without_overlaps {
            raw_constraint(cx, t, &u.name, strata_sql::render_unique_clause(u), |e| {
                e.uniques.retain(|x| x.name != u.name)
            });
            continue;
        }
        if let [c] = u.columns.as_slice()
            && u.name == unique_name(&tname, &u.columns)
            && !u.nulls_not_distinct
            && let Some(f) = field_mut(&mut members, member_of.get(c))
        {
            f.attrs.push(FieldAttr::Unique(sp()));
            continue;
        }
        extra.push(Member::Unique(UniqueDecl {
            name: (u.name != unique_name(&tname, &u.columns)).then(|| string(&u.name)),
            columns: u.columns.iter().map(|c| ident(col_ref(c))).collect(),
            nulls_not_distinct: u.nulls_not_distinct,
            live: false,
            trivia: trivia(),
            span: sp(),
        }));
    }
    if soft {
        for i in &t.indexes {
            let live = i.unique
                && i.method == "btree"
                && i.include.is_empty()
                && i.comment.is_none()
                && i.predicate.as_deref() == Some("deleted_at IS NULL")
                && i.keys.iter().all(|k| {
                    k.column_name().is_some()
                        && k.opclass.is_none()
                        && k.collation.is_none()
                        && !k.descending
                        && k.nulls_first.is_none()
                });
            if !live {
                continue;
            }
            let cols: Vec<String> = i
                .keys
                .iter()
                .filter_map(|k| k.column_name().map(str::to_string))
                .collect();
            taken.indexes.insert(i.name.clone());
            extra.push(Member::Unique(UniqueDecl {
                name: (i.name != unique_name(&tname, &cols)).then(|| string(&i.name)),
                columns: cols.iter().map(|c| ident(col_ref(c))).collect(),
                nulls_not_distinct: i.nulls_not_distinct,
                live: true,
                trivia: trivia(),
                span: sp(),
            }));
        }
    }
    // Checks.
    for k in &t.checks {
        if taken.checks.contains(&k.name) {
            continue;
        }
        if k.not_valid || k.not_enforced {
            // The language has no NOT VALID or NOT ENFORCED: raw SQL adds it as it is.
            cx.raw(2, &k.name, strata_sql::render_add_check(&t.name, k));
            if let Some(e) = cx.expected_table(&t.name) {
                e.checks.retain(|x| x.name != k.name);
            }
        } else if is_plain_ident(&k.name) && !k.expression.contains("\"\"\"") {
            extra.push(Member::Check(CheckDecl {
                name: Some(ident(&k.name)),
                expr: sql(&k.expression),
                trivia: trivia(),
                span: sp(),
            }));
        } else {
            raw_constraint(cx, t, &k.name, strata_sql::render_check_clause(k), |e| {
                e.checks.retain(|x| x.name != k.name)
            });
        }
    }
    // Exclusion constraints.
    for x in &t.exclusions {
        let keys: Option<Vec<ExcludeElement>> = x
            .elements
            .iter()
            .map(|el| {
                Some(ExcludeElement {
                    key: index_key(&el.key, &col_ref)?,
                    operator: sql(&el.operator),
                })
            })
            .collect();
        match keys {
            Some(elements)
                if is_plain_ident(&x.name)
                    && is_plain_ident(&x.method)
                    && x.deferrable == Deferrable::NotDeferrable =>
            {
                extra.push(Member::Exclude(ExcludeDecl {
                    name: Some(ident(&x.name)),
                    method: ident(&x.method),
                    elements,
                    predicate: x.predicate.as_ref().map(sql),
                    trivia: trivia(),
                    span: sp(),
                }))
            }
            _ => raw_constraint(
                cx,
                t,
                &x.name,
                strata_sql::render_exclusion_clause(x),
                |e| e.exclusions.retain(|y| y.name != x.name),
            ),
        }
    }
    // Indexes; those an access pattern derives are derived again.
    let mut patterns: Vec<&m::AccessPattern> = if explicit {
        Vec::new()
    } else {
        cx.model
            .access_patterns
            .iter()
            .filter(|p| p.table == t.name)
            .collect()
    };
    // The model sorts patterns by name, but the designer names a shared index after the
    // first pattern that derives it and suffixes the others' with their own names: put the
    // patterns whose index carries such a suffix last.
    patterns.sort_by_key(|p| {
        let suffix = format!("_{}", names::snake(&p.name));
        p.served_by.iter().any(|s| s.ends_with(&suffix))
    });
    if explicit {
        for p in cx
            .model
            .access_patterns
            .iter()
            .filter(|p| p.table == t.name)
        {
            cx.warn(
                &obj,
                format!(
                    "access pattern `{}` is not printed: its table is spelled out index by index",
                    p.name
                ),
            );
        }
    }
    const METHODS: &[&str] = &["btree", "hash", "gin", "gist", "brin", "spgist"];
    for i in &t.indexes {
        if taken.indexes.contains(&i.name) {
            continue;
        }
        if !patterns.is_empty()
            && matches!(
                i.why.as_ref().map(|w| &w.source),
                Some(WhySource::AccessPattern(_))
            )
        {
            continue;
        }
        let keys: Option<Vec<IndexKeyDecl>> =
            i.keys.iter().map(|k| index_key(k, &col_ref)).collect();
        let ok = METHODS.contains(&i.method.as_str())
            && (!i.unique || i.method == "btree")
            && i.include.iter().all(|c| is_plain_ident(c))
            && i.options.is_empty()
            && !i.predicate.as_deref().is_some_and(|p| p.contains("\"\"\""));
        match keys {
            Some(keys) if ok => {
                extra.push(Member::Index(IndexDecl {
                    name: Some(string(&i.name)),
                    unique: i.unique,
                    keys,
                    method: (i.method != "btree").then(|| ident(&i.method)),
                    include: i.include.iter().map(|c| ident(col_ref(c))).collect(),
                    predicate: i.predicate.as_ref().map(sql),
                    nulls_not_distinct: i.nulls_not_distinct,
                    trivia: trivia(),
                    span: sp(),
                }));
                if let Some(text) = &i.comment {
                    let target = strata_sql::index_name(&t.name, i).quoted();
                    cx.raw(
                        3,
                        &format!("comment_{}", i.name),
                        strata_sql::render_comment("INDEX", &target, text),
                    );
                    if let Some(e) = cx.expected_table(&t.name)
                        && let Some(x) = e.indexes.iter_mut().find(|x| x.name == i.name)
                    {
                        x.comment = None;
                    }
                }
            }
            _ => {
                cx.raw(2, &i.name, strata_sql::render_index(&t.name, i));
                if let Some(e) = cx.expected_table(&t.name) {
                    e.indexes.retain(|x| x.name != i.name);
                }
            }
        }
    }
    // Tenant, policies, row-level security.
    let tenant_setting = tenant.as_ref().map(|(_, s)| s.clone());
    if let Some((c, _)) = &tenant {
        extra.push(Member::Tenant(TenantDecl {
            field: ident(col_ref(c)),
            trivia: trivia(),
            span: sp(),
        }));
    }
    let mut printed_policies = 0;
    for p in &t.policies {
        if taken.policies.contains(&p.name) {
            continue;
        }
        let ok = t.rls_enabled
            && is_plain_ident(&p.name)
            && p.roles.iter().all(|r| is_plain_ident(r))
            && !p.using.as_deref().is_some_and(|x| x.contains("\"\"\""))
            && !p
                .with_check
                .as_deref()
                .is_some_and(|x| x.contains("\"\"\""));
        if ok {
            printed_policies += 1;
            extra.push(Member::Policy(PolicyDecl {
                name: ident(&p.name),
                command: (p.command != PolicyCommand::All)
                    .then(|| ident(p.command.sql().to_ascii_lowercase())),
                roles: p.roles.iter().map(ident).collect(),
                restrictive: !p.permissive,
                using: p.using.as_ref().map(sql),
                check: p.with_check.as_ref().map(sql),
                trivia: trivia(),
                span: sp(),
            }));
        } else {
            cx.raw(2, &p.name, strata_sql::render_policy(&t.name, p));
            if let Some(e) = cx.expected_table(&t.name) {
                e.policies.retain(|x| x.name != p.name);
            }
        }
    }
    if tenant.is_none() && (t.rls_forced || (t.rls_enabled && printed_policies == 0)) {
        let mut only_flags = t.clone();
        only_flags.rls_enabled = t.rls_enabled && printed_policies == 0;
        only_flags.policies.clear();
        for stmt in strata_sql::render_rls(&only_flags) {
            cx.raw(2, &format!("{tname}_rls"), stmt);
        }
        if let Some(e) = cx.expected_table(&t.name) {
            e.rls_forced = false;
            e.rls_enabled = printed_policies > 0;
        }
    }
    // Grants on this table.
    let mut grants: Vec<(Vec<String>, Vec<String>)> = Vec::new();
    for g in cx
        .model
        .grants
        .iter()
        .filter(|g| g.object_kind == "TABLE" && g.object == t.name)
    {
        let privs: Vec<String> = g
            .privileges
            .iter()
            .map(|p| p.to_ascii_lowercase())
            .collect();
        if g.with_grant_option
            || !is_plain_ident(&g.grantee)
            || !privs.iter().all(|p| is_plain_ident(p))
            || privs.is_empty()
        {
            continue; // printed as raw SQL with the other grants
        }
        match grants.iter_mut().find(|(p, _)| *p == privs) {
            Some((_, roles)) => roles.push(g.grantee.clone()),
            None => grants.push((privs, vec![g.grantee.clone()])),
        }
    }
    for (privs, roles) in grants {
        extra.push(Member::Grant(GrantDecl {
            privileges: privs.iter().map(ident).collect(),
            roles: roles.iter().map(ident).collect(),
            trivia: trivia(),
            span: sp(),
        }));
    }
    // Triggers the conventions do not generate.
    for tr in &t.triggers {
        if taken.triggers.contains(&tr.name) {
            continue;
        }
        cx.raw(
            2,
            &format!("{tname}_{}", tr.name),
            strata_sql::render_trigger(&t.name, tr),
        );
        if let Some(text) = &tr.comment {
            let target = format!("{} ON {}", quote_ident(&tr.name), t.name.quoted());
            cx.raw(
                3,
                &format!("comment_{}", tr.name),
                strata_sql::render_comment("TRIGGER", &target, text),
            );
        }
        if let Some(e) = cx.expected_table(&t.name) {
            e.triggers.retain(|x| x.name != tr.name);
        }
    }
    // Storage parameters and column settings have no .strata spelling: raw SQL after the
    // table is created.
    if !t.options.is_empty() {
        cx.raw(
            2,
            &format!("{tname}_storage"),
            format!(
                "ALTER TABLE {} SET ({});",
                t.name.quoted(),
                strata_sql::option_list(&t.options)
            ),
        );
        if let Some(e) = cx.expected_table(&t.name) {
            e.options.clear();
        }
    }
    // A NOT NULL constraint's own name (PostgreSQL 18) has no .strata spelling: the table is
    // created with the server's name, which raw SQL renames.
    for c in t.columns.iter().filter(|c| !c.nullable) {
        let Some(name) = &c.not_null_name else {
            continue;
        };
        cx.raw(
            2,
            &format!("{tname}_{}_not_null", c.name),
            format!(
                "ALTER TABLE {} RENAME CONSTRAINT {} TO {};",
                t.name.quoted(),
                strata_model::quote_ident(&strata_model::default_not_null_name(
                    &t.name.name,
                    &c.name
                )),
                strata_model::quote_ident(name)
            ),
        );
        if let Some(e) = cx.expected_table(&t.name)
            && let Some(x) = e.columns.iter_mut().find(|x| x.name == c.name)
        {
            x.not_null_name = None;
        }
    }
    for c in &t.columns {
        if let (Some(schema), Some(coll)) = (&c.collation_schema, &c.collation) {
            // Raw SQL runs after views, and a view over the column stops ALTER ... TYPE.
            let quoted = t.name.quoted();
            if cx
                .model
                .views
                .iter()
                .any(|v| v.definition.contains(&quoted))
            {
                cx.warn(
                    format!("column {}.{}", t.name, c.name),
                    format!(
                        "uses collation {schema}.{coll}, which .strata sets with raw SQL after the \
                         views, and a view reads this table, so the build fails: print this schema \
                         with `strata inspect --format sql`"
                    ),
                );
            }
            cx.raw(
                2,
                &format!("{tname}_{}_collation", c.name),
                format!(
                    "ALTER TABLE {} ALTER COLUMN {} TYPE {} COLLATE {};",
                    t.name.quoted(),
                    quote_ident(&c.name),
                    strata_sql::render_column_type(&c.data_type),
                    strata_sql::render_collation(Some(schema), coll)
                ),
            );
            if let Some(e) = cx.expected_table(&t.name)
                && let Some(x) = e.columns.iter_mut().find(|x| x.name == c.name)
            {
                x.collation = None;
                x.collation_schema = None;
            }
        }
    }
    // Identity sequence options have no .strata spelling either.
    for c in &t.columns {
        if c.identity.is_none() || c.identity_options.is_default() {
            continue;
        }
        // The sequence is new and unused: restart it at its start, as creating it would.
        let set = format!("{} RESTART", c.identity_options.set_sql());
        cx.raw(
            2,
            &format!("{tname}_{}_identity", c.name),
            format!(
                "ALTER TABLE {} ALTER COLUMN {} {set};",
                t.name.quoted(),
                quote_ident(&c.name),
            ),
        );
        if let Some(e) = cx.expected_table(&t.name)
            && let Some(x) = e.columns.iter_mut().find(|x| x.name == c.name)
        {
            x.identity_options = Default::default();
        }
    }
    for c in &t.columns {
        let settings = strata_sql::column_settings(&t.name, c, false);
        if settings.is_empty() {
            continue;
        }
        cx.raw(
            2,
            &format!("{tname}_{}_settings", c.name),
            settings.join("\n"),
        );
        if let Some(e) = cx.expected_table(&t.name)
            && let Some(x) = e.columns.iter_mut().find(|x| x.name == c.name)
        {
            x.statistics = None;
            x.storage = None;
            x.compression = None;
            x.options.clear();
        }
    }
    if t.unlogged {
        cx.raw(
            2,
            &format!("{tname}_unlogged"),
            format!("ALTER TABLE {} SET UNLOGGED;", t.name.quoted()),
        );
        if let Some(e) = cx.expected_table(&t.name) {
            e.unlogged = false;
        }
    }
    if soft {
        extra.push(Member::SoftDelete(Flag {
            trivia: trivia(),
            span: sp(),
        }));
    }
    if audit {
        extra.push(Member::Audit(Flag {
            trivia: trivia(),
            span: sp(),
        }));
    }
    if let Some(p) = crate::objects::partition(cx, t, &col_ref) {
        extra.push(Member::Partition(p));
    }
    if let Some(d) = &t.origin.distribution {
        extra.push(Member::Distribute(match d {
            m::Distribution::Reference => DistributeDecl {
                column: None,
                colocate_with: None,
                trivia: trivia(),
                span: sp(),
            },
            m::Distribution::Distributed {
                column,
                colocate_with,
            } => DistributeDecl {
                column: Some(ident(col_ref(column))),
                colocate_with: colocate_with
                    .as_ref()
                    .and_then(|c| cx.entities.get(c))
                    .map(ident),
                trivia: trivia(),
                span: sp(),
            },
        }));
    }
    if let Some(n) = t.origin.row_estimate {
        extra.push(Member::Rows(RowsDecl {
            count: n,
            trivia: trivia(),
            span: sp(),
        }));
    }
    for h in &t.origin.stats {
        let kind = match h.kind.as_str() {
            "true" => StatsKind::True,
            "null" => StatsKind::Null,
            "distinct" => StatsKind::Distinct,
            "skew" => StatsKind::Skew,
            "range" => StatsKind::Range,
            _ => continue,
        };
        let Ok(value) = h.value.parse::<f64>() else {
            continue;
        };
        extra.push(Member::Stats(StatsDecl {
            field: ident(col_ref(&h.column)),
            kind,
            value,
            trivia: trivia(),
            span: sp(),
        }));
    }
    for p in &patterns {
        extra.push(Member::Access(AccessDecl {
            doc: None,
            name: ident(&p.name),
            rate: p.rate_per_sec.and_then(rate),
            across_tenants: p.across_tenants,
            sql: block_sql(format!("\n    {} ", p.sql)),
            trivia: trivia(),
            span: sp(),
        }));
    }
    if cx.table_overrides.contains(&t.name) {
        extra.insert(
            0,
            Member::TableName(TableNameDecl {
                name: string(&tname),
                trivia: trivia(),
                span: sp(),
            }),
        );
    }
    if let Some(first) = extra.first_mut() {
        set_member_blank(first);
    }
    members.extend(extra);

    let doc = match &t.comment {
        Some(c) if doc_safe(c) => Some(c.clone()),
        Some(c) => {
            cx.raw(
                3,
                &format!("comment_{tname}"),
                strata_sql::render_comment("TABLE", &t.name.quoted(), c),
            );
            if let Some(e) = cx.expected_table(&t.name) {
                e.comment = None;
            }
            None
        }
        None => None,
    };
    EntityOut {
        decl: EntityDecl {
            doc,
            name: ident(cx.entities.get(&t.name).cloned().unwrap_or_default()),
            members,
            trivia: trivia(),
            span: sp(),
        },
        schema: t.name.schema.clone(),
        pk: pk_need,
        timestamps,
        index_fks,
        enums_check,
        tenant_setting,
        prune_off: explicit,
        audit,
    }
}

fn names_fit(s: &str) -> String {
    strata_design::names::fit(s)
}

fn set_member_blank(m: &mut Member) {
    let t = match m {
        Member::Field(x) => &mut x.trivia,
        Member::Relation(x) => &mut x.trivia,
        Member::Use(x) => &mut x.trivia,
        Member::Index(x) => &mut x.trivia,
        Member::Unique(x) => &mut x.trivia,
        Member::Check(x) => &mut x.trivia,
        Member::Exclude(x) => &mut x.trivia,
        Member::PrimaryKey(x) => &mut x.trivia,
        Member::SoftDelete(x) | Member::Audit(x) => &mut x.trivia,
        Member::Rows(x) => &mut x.trivia,
        Member::Stats(x) => &mut x.trivia,
        Member::Access(x) => &mut x.trivia,
        Member::Partition(x) => &mut x.trivia,
        Member::Distribute(x) => &mut x.trivia,
        Member::Tenant(x) => &mut x.trivia,
        Member::Policy(x) => &mut x.trivia,
        Member::Grant(x) => &mut x.trivia,
        Member::TableName(x) => &mut x.trivia,
        Member::RenamedFrom(x) => &mut x.trivia,
        Member::Conventions(x) => &mut x.trivia,
    };
    t.make_mut().blank_line_before = true;
}

fn field_mut<'a>(members: &'a mut [Member], name: Option<&String>) -> Option<&'a mut FieldDecl> {
    let name = name?;
    members.iter_mut().find_map(|m| match m {
        Member::Field(f) if &f.name.name == name => Some(f),
        _ => None,
    })
}

fn raw_constraint(
    cx: &mut Cx<'_>,
    t: &Table,
    name: &str,
    clause: String,
    drop: impl FnOnce(&mut Table),
) {
    cx.raw(2, name, strata_sql::render_add_constraint(&t.name, &clause));
    if let Some(e) = cx.expected_table(&t.name) {
        drop(e);
    }
}

fn rate(per_sec: f64) -> Option<Rate> {
    for (mult, unit) in [
        (1.0, RateUnit::Second),
        (60.0, RateUnit::Minute),
        (3600.0, RateUnit::Hour),
        (86400.0, RateUnit::Day),
    ] {
        let v = (per_sec * mult * 1000.0).round() / 1000.0;
        if v >= 1.0 && v / mult == per_sec {
            return Some(Rate {
                value: v,
                unit,
                span: sp(),
            });
        }
    }
    let v = per_sec * 86400.0;
    (v / 86400.0 == per_sec).then_some(Rate {
        value: v,
        unit: RateUnit::Day,
        span: sp(),
    })
}

fn index_key(k: &m::IndexKey, col_ref: &dyn Fn(&str) -> String) -> Option<IndexKeyDecl> {
    if k.collation.is_some() || k.opclass.as_deref().is_some_and(|o| !is_plain_ident(o)) {
        return None;
    }
    let expr = match &k.expr {
        IndexExpr::Column(c) => KeyExpr::Column(ident(col_ref(c))),
        IndexExpr::Expression(e) if !e.contains("\"\"\"") => KeyExpr::Sql(sql(e)),
        IndexExpr::Expression(_) => return None,
    };
    Some(IndexKeyDecl {
        expr,
        opclass: k.opclass.as_ref().map(ident),
        descending: k.descending,
        nulls_first: k.nulls_first,
        span: sp(),
    })
}

/// `id` by the `primary_key` convention.
fn detect_id(cx: &Cx<'_>, t: &Table) -> Option<&'static str> {
    let pk = t.primary_key.as_ref()?;
    if pk.name != pkey_name(&t.name.name)
        || pk.columns != ["id"]
        || pk.without_overlaps
        || pk.deferrable != Deferrable::NotDeferrable
    {
        return None;
    }
    let c = t.columns.first().filter(|c| c.name == "id")?;
    if c.nullable || c.comment.is_some() || c.collation.is_some() || c.generated.is_some() {
        return None;
    }
    if c.data_type == m::TypeRef::builtin("uuid") && c.identity.is_none() {
        match c.default.as_deref() {
            Some("gen_random_uuid()") => return Some("uuid"),
            Some("public.uuid_generate_v7()")
                if !cx.v7_builtin
                    && cx.is_designer_function("uuid_generate_v7", "\n  SELECT encode(") =>
            {
                return Some("uuid_v7");
            }
            Some("uuidv7()") if cx.v7_builtin => return Some("uuid_v7"),
            _ => {}
        }
    }
    if c.data_type == m::TypeRef::builtin("bigint")
        && c.identity == Some(Identity::Always)
        && c.default.is_none()
    {
        return Some("identity");
    }
    None
}

/// A foreign key as a `->` relation, when the designer derives exactly this key from one.
fn relation(
    cx: &mut Cx<'_>,
    t: &Table,
    fk: &m::ForeignKey,
    rel_cols: &HashSet<String>,
    names_taken: &HashSet<String>,
    soft: bool,
    taken: &mut Taken,
) -> Option<(usize, RelPlan)> {
    let target = cx.entities.get(&fk.ref_table)?.clone();
    let rt = cx.model.table(&fk.ref_table)?;
    if fk.match_type != FkMatch::Simple
        || fk.columns.is_empty()
        || fk.columns.len() != fk.ref_columns.len()
    {
        return None;
    }
    let target_pk: Vec<String> = rt
        .primary_key
        .as_ref()
        .map(|p| p.columns.clone())
        .unwrap_or_default();
    let target_field = if fk.ref_columns == target_pk {
        None
    } else if let [rc] = fk.ref_columns.as_slice() {
        let in_fk = rt.foreign_keys.iter().any(|f| f.columns.contains(rc));
        if in_fk || !rt.has_unique_key(&fk.ref_columns) || !is_plain_ident(rc) {
            return None;
        }
        Some(rc.clone())
    } else {
        return None;
    };
    let first = t.columns.iter().position(|c| c.name == fk.columns[0])?;
    let cols: Vec<&Column> = fk.columns.iter().filter_map(|c| t.column(c)).collect();
    if cols.len() != fk.columns.len() {
        return None;
    }
    for (k, c) in cols.iter().enumerate() {
        let contiguous = t.columns.get(first + k).is_some_and(|x| x.name == c.name);
        let rc = rt.column(&fk.ref_columns[k])?;
        if !contiguous
            || rel_cols.contains(&c.name)
            || c.default.is_some()
            || !plain_col(c)
            || c.data_type != rc.data_type
            || c.nullable != cols[0].nullable
            || c.comment != cols[0].comment
        {
            return None;
        }
    }
    let nullable = cols[0].nullable;
    if fk.on_delete == FkAction::SetNull && !nullable {
        return None;
    }
    // Name: the columns are `<name>_<referenced column>`.
    let suffix = format!("_{}", fk.ref_columns[0]);
    let base = fk.columns[0]
        .strip_suffix(&suffix)
        .filter(|b| names::stable(b) && *b != "use");
    let (name, map) = match base {
        Some(b)
            if !names_taken.contains(b)
                && fk
                    .columns
                    .iter()
                    .zip(&fk.ref_columns)
                    .all(|(c, r)| *c == format!("{b}_{r}")) =>
        {
            (b.to_string(), None)
        }
        _ if fk.columns.len() == 1 => {
            let stem = fk.columns[0].strip_suffix("_id").unwrap_or(&fk.columns[0]);
            (names::fresh(stem, names_taken), Some(fk.columns[0].clone()))
        }
        _ => return None,
    };
    let doc = cols[0].comment.clone();
    if doc.as_deref().is_some_and(|d| !doc_safe(d)) {
        return None;
    }
    let mut attrs = vec![RelationAttr::OnDelete(action(fk.on_delete), sp())];
    if fk.on_update != FkAction::NoAction {
        attrs.push(RelationAttr::OnUpdate(action(fk.on_update), sp()));
    }
    if let Some(mp) = map {
        attrs.push(RelationAttr::Map(string(mp)));
    }
    match fk.deferrable {
        Deferrable::NotDeferrable => {}
        Deferrable::InitiallyImmediate => attrs.push(RelationAttr::Deferrable {
            initially_deferred: false,
            span: sp(),
        }),
        Deferrable::InitiallyDeferred => attrs.push(RelationAttr::Deferrable {
            initially_deferred: true,
            span: sp(),
        }),
    }
    let uname = unique_name(&t.name.name, &fk.columns);
    if !soft
        && t.uniques.iter().any(|u| {
            u.name == uname
                && u.columns == fk.columns
                && !u.nulls_not_distinct
                && !u.without_overlaps
                && u.deferrable == Deferrable::NotDeferrable
        })
    {
        attrs.push(RelationAttr::Unique(sp()));
        taken.uniques.insert(uname);
    }
    if fk.name != fk_name(&t.name.name, &fk.columns) {
        attrs.push(RelationAttr::Constraint(string(&fk.name)));
    }
    let decl = RelationDecl {
        doc,
        name: ident(&name),
        kind: RelationKind::ToOne,
        target: ident(target),
        target_field: target_field.map(ident),
        nullable,
        attrs,
        trivia: trivia(),
        span: sp(),
    };
    Some((
        first,
        RelPlan {
            name,
            columns: fk.columns.clone(),
            decl,
        },
    ))
}

fn action(a: FkAction) -> ActionAst {
    match a {
        FkAction::NoAction => ActionAst::NoAction,
        FkAction::Restrict => ActionAst::Restrict,
        FkAction::Cascade => ActionAst::Cascade,
        FkAction::SetNull => ActionAst::SetNull,
        FkAction::SetDefault => ActionAst::SetDefault,
    }
}

/// One column as a field: type (semantic types recognised), default and attributes.
#[allow(clippy::too_many_arguments)]
fn field(
    cx: &mut Cx<'_>,
    t: &Table,
    c: &Column,
    explicit: bool,
    audited: bool,
    redacted: &[String],
    native_enum_cols: bool,
    enums_check: &mut Option<bool>,
    taken: &mut Taken,
    names_taken: &mut HashSet<String>,
    obj: &str,
) -> FieldDecl {
    let tname = &t.name.name;
    let check = |suffix: &str, tpl: &str| -> Option<String> {
        let name = column_check_name(tname, &c.name, suffix);
        t.checks
            .iter()
            .find(|k| {
                k.name == name
                    && !k.not_valid
                    && !k.not_enforced
                    && crate::sqlform::same(&k.expression, &template(tpl, &c.name))
            })
            .map(|k| k.name.clone())
    };
    let dims = c.data_type.array_dims;
    let text = c.data_type == m::TypeRef::builtin("text");
    let mut ty_expr: Option<TypeExpr> = None;
    let mut consumed: Vec<String> = Vec::new();
    let mut default_consumed = false;
    let mut field_name = c.name.clone();
    if !explicit && dims == 0 {
        if text && redacted.contains(&c.name) {
            if let (Some(stem), Some(k)) = (
                c.name.strip_suffix("_hash"),
                check("not_blank", types::NOT_BLANK),
            ) {
                ty_expr = Some(ty("password_hash", &[], 0));
                consumed.push(k);
                if names::stable(stem) && !names_taken.contains(stem) && stem != "use" {
                    field_name = stem.to_string();
                }
            } else {
                ty_expr = Some(ty("secret", &[], 0));
            }
        } else if text {
            for (sem, tpl) in [
                ("email", types::EMAIL),
                ("url", types::URL),
                ("slug", types::SLUG),
                ("phone", types::PHONE),
            ] {
                if ty_expr.is_none()
                    && let Some(k) = check("format", tpl)
                {
                    ty_expr = Some(ty(sem, &[], 0));
                    consumed.push(k);
                }
            }
            if ty_expr.is_none() && !audited {
                // Outside audited tables a password hash is just text with a not-blank check.
                if let (Some(stem), Some(k)) = (
                    c.name.strip_suffix("_hash"),
                    check("not_blank", types::NOT_BLANK),
                ) {
                    ty_expr = Some(ty("password_hash", &[], 0));
                    consumed.push(k);
                    if names::stable(stem) && !names_taken.contains(stem) && stem != "use" {
                        field_name = stem.to_string();
                    }
                }
            }
            if ty_expr.is_none() {
                let name = column_check_name(tname, &c.name, "length");
                let prefix = format!("char_length({}) <= ", quote_ident(&c.name));
                if let Some(k) = t
                    .checks
                    .iter()
                    .find(|k| k.name == name && !k.not_valid && !k.not_enforced)
                    && let loose = crate::sqlform::loose(&k.expression)
                    && let Some(n) = loose
                        .strip_prefix(&prefix)
                        .and_then(|n| n.parse::<i64>().ok())
                    && n > 0
                    && loose == format!("{prefix}{n}")
                {
                    ty_expr = Some(ty("text", &[n], 0));
                    consumed.push(k.name.clone());
                }
            }
            if ty_expr.is_none() && !native_enum_cols {
                let name = column_check_name(tname, &c.name, "values");
                if let Some(k) = t
                    .checks
                    .iter()
                    .find(|k| k.name == name && !k.not_valid && !k.not_enforced)
                    && let Some(e) = cx.model.enums.iter().find(|e| {
                        let list: Vec<String> = e.values.iter().map(|v| quote_literal(v)).collect();
                        crate::sqlform::same(
                            &k.expression,
                            &format!("{} IN ({})", quote_ident(&c.name), list.join(", ")),
                        ) && types::user_type_by_name(cx.model, &e.name)
                    })
                {
                    ty_expr = Some(ty(&e.name.name, &[], 0));
                    consumed.push(k.name.clone());
                    *enums_check = Some(true);
                }
            }
        } else if c.data_type == m::TypeRef::builtin("bigint")
            && c.default.as_deref() == Some("0")
            && let Some(k) = check("non_negative", types::NON_NEGATIVE)
        {
            ty_expr = Some(ty("counter", &[], 0));
            consumed.push(k);
            default_consumed = true;
        } else if (c.origin.semantic.as_deref() == Some("money")
            // `money` is the language's name for a numeric with two decimals; a database
            // carries no other trace of it.
            || (c.data_type.schema.is_none() && c.data_type.name.ends_with(",2)")))
            && let Some(args) = c
                .data_type
                .name
                .strip_prefix("numeric(")
                .and_then(|r| r.strip_suffix(')'))
        {
            let parts: Vec<i64> = args
                .split(',')
                .filter_map(|p| p.trim().parse().ok())
                .collect();
            ty_expr = Some(if parts == [12, 2] {
                ty("money", &[], 0)
            } else {
                ty("money", &parts, 0)
            });
        }
    }
    if c.data_type.schema.is_some()
        && cx
            .model
            .enums
            .iter()
            .any(|e| e.name.name == c.data_type.name)
        && enums_check.is_none()
    {
        *enums_check = Some(false);
    }
    let ty_expr = ty_expr.unwrap_or_else(|| types::column_type(cx.model, &c.data_type));
    if ty_expr.raw && c.data_type.schema.is_some() {
        cx.warn(obj, format!("column {} has type {} which is not declared in this schema; it is written verbatim", c.name, c.data_type.name));
    }
    taken.checks.extend(consumed);
    let mut attrs: Vec<FieldAttr> = Vec::new();
    match c.identity {
        Some(Identity::Always) => attrs.push(FieldAttr::Identity(sp())),
        Some(Identity::ByDefault) => attrs.push(FieldAttr::IdentityByDefault(sp())),
        None => {}
    }
    if let Some(d) = &c.default
        && !default_consumed
        && c.generated.is_none()
    {
        attrs.push(FieldAttr::Default(types::default_expr(
            cx.model,
            &c.data_type,
            d,
        )));
    }
    // Field checks, numbered as the designer numbers them.
    for n in 1.. {
        let suffix = if n == 1 {
            "check".to_string()
        } else {
            format!("check{n}")
        };
        let name = column_check_name(tname, &c.name, &suffix);
        match t.checks.iter().find(|k| {
            k.name == name && !k.not_valid && !k.not_enforced && !k.expression.contains("\"\"\"")
        }) {
            Some(k) if !taken.checks.contains(&k.name) => {
                attrs.push(FieldAttr::Check(sql(&k.expression)));
                taken.checks.insert(k.name.clone());
            }
            _ => break,
        }
    }
    if let Some(g) = &c.generated {
        attrs.push(if c.generated_virtual {
            FieldAttr::GeneratedVirtual(sql(g))
        } else {
            FieldAttr::Generated(sql(g))
        });
    }
    // A collation of a user schema has no .strata spelling: raw SQL sets it after the table.
    if let Some(coll) = &c.collation
        && c.collation_schema.is_none()
    {
        attrs.push(FieldAttr::Collate(string(coll)));
    }
    if !names::field_name_ok(&field_name, ty_expr.raw) {
        let fresh = names::fresh(&field_name, names_taken);
        field_name = fresh;
    }
    // The designer adds `_hash` to password hashes: map only when that does not give the column.
    let derived =
        if ty_expr.name.name == "password_hash" && !ty_expr.raw && !field_name.ends_with("_hash") {
            format!("{field_name}_hash")
        } else {
            field_name.clone()
        };
    if derived != c.name {
        attrs.push(FieldAttr::Map(string(&c.name)));
    }
    names_taken.insert(field_name.clone());
    let doc = match &c.comment {
        Some(text) if doc_safe(text) => Some(text.clone()),
        Some(text) => {
            let target = format!("{}.{}", t.name.quoted(), quote_ident(&c.name));
            cx.raw(
                3,
                &format!("comment_{}_{}", tname, c.name),
                strata_sql::render_comment("COLUMN", &target, text),
            );
            if let Some(e) = cx.expected_table(&t.name)
                && let Some(col) = e.column_mut(&c.name)
            {
                col.comment = None;
            }
            None
        }
        None => None,
    };
    FieldDecl {
        doc,
        name: ident(field_name),
        ty: ty_expr,
        nullable: c.nullable,
        attrs,
        trivia: trivia(),
        span: sp(),
    }
}
