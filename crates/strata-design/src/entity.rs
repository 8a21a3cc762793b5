//! Lowering entities to tables: columns, keys, relations and constraints.

use std::collections::{HashMap, HashSet};

use strata_diagnostics::{Diagnostic, Span};
use strata_lang::ast::{self, DefaultExpr, FieldAttr, Member, RelationAttr, RelationKind};
use strata_model::*;

use crate::codes;
use crate::collect::{Collected, EntityCx};
use crate::conventions::PkStrategy;
use crate::frozen_default;
use crate::names::{self, fit};
use crate::types::{self, Resolved, UserType};

/// A field after type resolution, before it becomes a column.
pub struct FieldInfo<'a> {
    pub decl: &'a ast::FieldDecl,
    pub column: String,
    pub resolved: Resolved,
}

/// Per-entity state shared by the passes.
pub struct EntityState<'a> {
    pub fields: Vec<FieldInfo<'a>>,
    /// Field or relation name → the columns it became.
    pub columns_of: ColumnsOf<'a>,
    pub pk: PkSpec<'a>,
}

/// The columns a field or relation became. Most fields keep their name, and a schema of
/// thousands of entities should not pay for a copy of each.
pub enum Cols {
    Same,
    One(String),
    Many(Vec<String>),
}

/// Field or relation name → the columns it became, sorted by name. A map per entity would cost
/// a tree of nodes each; a sorted vector sized to the entity costs one allocation.
pub struct ColumnsOf<'a>(Vec<(&'a str, Cols)>);

impl<'a> ColumnsOf<'a> {
    fn insert(&mut self, name: &'a str, cols: Cols) {
        match self.0.binary_search_by(|(n, _)| (*n).cmp(name)) {
            Ok(at) => self.0[at].1 = cols,
            Err(at) => self.0.insert(at, (name, cols)),
        }
    }

    fn get(&self, name: &str) -> Option<&Cols> {
        let at = self.0.binary_search_by(|(n, _)| (*n).cmp(name)).ok()?;
        Some(&self.0[at].1)
    }
}

pub enum PkSpec<'a> {
    /// A generated `id` column.
    Id(PkStrategy),
    /// Named fields and relations (from `pk` attributes or `primary key (...)`).
    Members(Vec<&'a ast::Ident>),
    /// The junction entity of a `through`: its two relations.
    Junction(Vec<String>),
}

pub struct Lowering<'a, 'c> {
    pub c: &'c Collected<'a>,
    pub states: Vec<EntityState<'a>>,
    pub entity_index: HashMap<&'a str, usize>,
    pk_cache: HashMap<usize, Option<Vec<(String, TypeRef)>>>,
    pk_visiting: HashSet<usize>,
    pub grants: Vec<Grant>,
    /// Where declared indexes were written, for warnings about them.
    pub index_spans: HashMap<(QualifiedName, String), Span>,
    /// Tenant-isolated tables, known once features have run.
    pub tenancy: crate::tenancy::TenantMap,
    /// The index selection, once made.
    pub selection: strata_workload::Selection,
    pub diags: &'c mut Vec<Diagnostic>,
}

pub fn relations<'a, 'e>(e: &'e EntityCx<'a>) -> impl Iterator<Item = &'a ast::RelationDecl> + 'e {
    e.members.iter().filter_map(|m| match m {
        Member::Relation(r) => Some(r),
        _ => None,
    })
}

fn too_long(what: &str, name: &str, span: Span) -> Diagnostic {
    Diagnostic::error(
        codes::NAME_TOO_LONG,
        format!(
            "{what} name `{name}` is {} bytes; PostgreSQL allows 63",
            name.len()
        ),
        "shorten the name, or give a shorter one with `map \"...\"`",
    )
    .at(span)
}

pub fn lower(
    c: &Collected<'_>,
    diags: &mut Vec<Diagnostic>,
) -> (Model, strata_workload::Selection) {
    let mut model = Model::default();
    for (name, doc) in &c.schemas {
        model.schemas.push(Schema {
            name: name.clone(),
            comment: doc.clone(),
            owner: None,
        });
    }
    for e in &c.extensions {
        if !model.extensions.iter().any(|x| x.name == e.name.name) {
            model.extensions.push(Extension {
                name: e.name.name.clone(),
                schema: None,
                version: None,
            });
        }
    }
    for e in &c.enums {
        model.enums.push(EnumType {
            name: e.name.clone(),
            values: e.decl.values.iter().map(|v| v.name.name.clone()).collect(),
            comment: e.decl.doc.clone(),
        });
    }

    let mut lw = Lowering {
        c,
        states: Vec::new(),
        entity_index: HashMap::new(),
        pk_cache: HashMap::new(),
        pk_visiting: HashSet::new(),
        grants: Vec::new(),
        index_spans: HashMap::new(),
        tenancy: Default::default(),
        selection: Default::default(),
        diags,
    };
    for (i, e) in c.entities.iter().enumerate() {
        lw.entity_index.insert(e.decl.name.name.as_str(), i);
    }
    lw.lower_domains(&mut model);
    model.tables.reserve_exact(c.entities.len());
    for i in 0..c.entities.len() {
        let st = lw.resolve_fields(i);
        lw.states.push(st);
    }
    lw.mark_junctions();
    // Relations need the keys of their targets: computing every key first lets an entity's
    // resolved fields go as soon as its table is built (they dominate peak memory otherwise),
    // except for entities that a relation references by field (`-> User.email`).
    for i in 0..c.entities.len() {
        let _ = lw.pk_columns(i);
    }
    let by_field: HashSet<usize> = c
        .entities
        .iter()
        .flat_map(relations)
        .filter(|r| r.target_field.is_some())
        .filter_map(|r| lw.entity_index.get(r.target.name.as_str()).copied())
        .collect();
    for i in 0..c.entities.len() {
        let table = lw.build_table(i);
        model.tables.push(table);
        if !by_field.contains(&i) {
            lw.states[i].fields = Vec::new();
        }
    }
    // Resolved field types are only needed to build tables; the cross-cutting features that
    // follow work from `columns_of` and the tables themselves.
    for st in &mut lw.states {
        st.fields = Vec::new();
    }
    lw.check_inverse_relations();
    model.grants.append(&mut lw.grants);
    crate::features::apply(&mut lw, &mut model);
    let selection = std::mem::take(&mut lw.selection);
    (model, selection)
}

impl<'a> Lowering<'a, '_> {
    fn lookup_type(&self, name: &str) -> Result<Option<UserType<'_>>, Vec<QualifiedName>> {
        let wanted = names::snake(name);
        let mut found: Vec<UserType> = Vec::new();
        let mut qns = Vec::new();
        for e in &self.c.enums {
            if e.name.name == wanted || e.decl.name.name == name {
                qns.push(e.name.clone());
                found.push(UserType::Enum(&e.name, &[]));
            }
        }
        for d in &self.c.domains {
            if d.name.name == wanted || d.decl.name.name == name {
                qns.push(d.name.clone());
                found.push(UserType::Domain(&d.name));
            }
        }
        match found.len() {
            0 => Ok(None),
            1 => Ok(found.pop()),
            _ => Err(qns),
        }
    }

    fn enum_values(&self, name: &QualifiedName) -> Vec<String> {
        self.c
            .enums
            .iter()
            .find(|e| &e.name == name)
            .map(|e| e.decl.values.iter().map(|v| v.name.name.clone()).collect())
            .unwrap_or_default()
    }

    fn resolve_type(
        &mut self,
        t: &ast::TypeExpr,
        text_checks: bool,
        native_enums: bool,
    ) -> Option<Resolved> {
        let mut local = Vec::new();
        // Enum values are looked up separately so the lookup closure borrows nothing mutable.
        let r = {
            let lookup = |n: &str| self.lookup_type(n);
            types::resolve(t, text_checks, native_enums, &lookup, &mut local)
        };
        let r = r.map(|mut r| {
            if let Some(en) = r.enum_name.clone()
                && !native_enums
            {
                let list: Vec<String> = self
                    .enum_values(&en)
                    .iter()
                    .map(|v| quote_literal(v))
                    .collect();
                r.checks = vec![("values".into(), format!("{{col}} IN ({})", list.join(", ")))];
            }
            r
        });
        self.add_type_suggestion(t, &mut local);
        self.diags.extend(local);
        r
    }

    /// An unknown type's help starts with the closest known name, declared enums and domains
    /// included (`txt` → `text`, `curency_code` → `currency_code`).
    fn add_type_suggestion(&self, t: &ast::TypeExpr, diags: &mut [Diagnostic]) {
        for d in diags
            .iter_mut()
            .filter(|d| d.code == codes::UNKNOWN_TYPE && d.span == Some(t.name.span))
        {
            let declared = self
                .c
                .enums
                .iter()
                .map(|e| e.decl.name.name.as_str())
                .chain(self.c.domains.iter().map(|x| x.decl.name.name.as_str()));
            if let Some(s) = types::closest_type(&t.name.name, declared)
                && s != t.name.name
            {
                d.help = format!("did you mean `{s}`? {}", d.help);
            }
        }
    }

    fn lower_domains(&mut self, model: &mut Model) {
        for d in &self.c.domains {
            let conv = self.c.global_conv.clone();
            let Some(r) = self.resolve_type(&d.decl.ty, conv.text_checks, conv.native_enums) else {
                continue;
            };
            let mut checks: Vec<CheckConstraint> = r
                .checks
                .iter()
                .map(|(suffix, tpl)| CheckConstraint {
                    name: fit(&format!("{}_{suffix}", d.name.name)),
                    expression: tpl.replace("{col}", "VALUE"),
                    why: Some(Why::new(
                        WhySource::SemanticType,
                        "implied by the base type",
                    )),
                    not_valid: Default::default(),
                    not_enforced: false,
                })
                .collect();
            for (i, chk) in d.decl.checks.iter().enumerate() {
                let suffix = if i == 0 {
                    "check".to_string()
                } else {
                    format!("check{}", i + 1)
                };
                checks.push(CheckConstraint {
                    name: fit(&format!("{}_{suffix}", d.name.name)),
                    expression: chk.text.trim().to_string(),
                    why: Some(Why::new(WhySource::Declared, "declared on the domain")),
                    not_valid: Default::default(),
                    not_enforced: false,
                });
            }
            let default = d
                .decl
                .default
                .as_ref()
                .and_then(|x| self.default_sql(x, &r.ty, None));
            model.domains.push(Domain {
                name: d.name.clone(),
                base: r.ty,
                // Nullability belongs to each column: a NOT NULL domain would refuse NULL even
                // in an optional field (and outer joins still produce NULLs of it).
                not_null: false,
                default,
                collation: None,
                checks,
                comment: d.decl.doc.clone(),
            });
        }
    }

    /// Resolves every field's type and column name and decides the primary key shape.
    fn resolve_fields(&mut self, i: usize) -> EntityState<'a> {
        let e = &self.c.entities[i];
        let mut fields = Vec::with_capacity(e.members.len());
        let mut columns_of = ColumnsOf(Vec::with_capacity(e.members.len()));
        let mut seen: HashMap<String, Span> = HashMap::new();
        let mut pk_members: Vec<&'a ast::Ident> = Vec::new();
        let mut pk_span = None;
        for m in &e.members {
            let (name, span) = match m {
                Member::Field(f) => (&f.name, f.name.span),
                Member::Relation(r) => (&r.name, r.name.span),
                _ => continue,
            };
            if let Some(first) = seen.get(&name.name) {
                self.diags.push(
                    Diagnostic::error(
                        codes::DUPLICATE_NAME,
                        format!(
                            "field `{}` is declared more than once in `{}`",
                            name.name, e.decl.name.name
                        ),
                        "rename or remove one of them (mixins count too)",
                    )
                    .at(span)
                    .with_label(*first, "first declared here"),
                );
                continue;
            }
            seen.insert(name.name.clone(), span);
            let Member::Field(f) = m else { continue };
            let Some(resolved) = self.resolve_type(&f.ty, e.conv.text_checks, e.conv.native_enums)
            else {
                continue;
            };
            let mapped = f.attrs.iter().find_map(|a| match a {
                FieldAttr::Map(s) => Some(s.value.clone()),
                _ => None,
            });
            let column = match mapped {
                Some(c) => c,
                None => {
                    let base = names::snake(&f.name.name);
                    match resolved.column_suffix {
                        Some(suffix) if !base.ends_with(suffix) => format!("{base}{suffix}"),
                        _ => base,
                    }
                }
            };
            if column.len() > names::MAX_IDENT {
                self.diags.push(too_long("column", &column, f.name.span));
            }
            if f.attrs
                .iter()
                .any(|a| matches!(a, FieldAttr::PrimaryKey(_)))
            {
                pk_members.push(&f.name);
                pk_span.get_or_insert(f.span);
            }
            let cols = if column == f.name.name {
                Cols::Same
            } else {
                Cols::One(column.clone())
            };
            columns_of.insert(f.name.name.as_str(), cols);
            fields.push(FieldInfo {
                decl: f,
                column,
                resolved,
            });
        }
        let declared = e.members.iter().find_map(|m| match m {
            Member::PrimaryKey(p) => Some(p),
            _ => None,
        });
        let pk = match (declared, pk_members.is_empty()) {
            (Some(p), true) => PkSpec::Members(p.columns.iter().collect()),
            (Some(p), false) => {
                self.diags.push(
                    Diagnostic::error(
                        codes::INVALID_PRIMARY_KEY,
                        format!("`{}` declares its primary key twice", e.decl.name.name),
                        "use either `pk` on fields or one `primary key (...)` line, not both",
                    )
                    .at(p.span)
                    .with_label(pk_span.unwrap_or(p.span), "`pk` used here"),
                );
                PkSpec::Members(p.columns.iter().collect())
            }
            (None, false) => PkSpec::Members(pk_members),
            (None, true) => PkSpec::Id(e.conv.primary_key),
        };
        EntityState {
            fields,
            columns_of,
            pk,
        }
    }

    /// Entities named in `through` become junctions: their two relations form the key.
    fn mark_junctions(&mut self) {
        for (owner_idx, e) in self.c.entities.iter().enumerate() {
            for r in relations(e) {
                let Some(through) = r.attrs.iter().find_map(|a| match a {
                    RelationAttr::Through(t) => Some(t),
                    _ => None,
                }) else {
                    continue;
                };
                let Some(&j) = self.entity_index.get(through.name.as_str()) else {
                    self.diags.push(unknown_entity(through, &self.c.entities));
                    continue;
                };
                let owner_name = e.decl.name.name.as_str();
                let target_name = r.target.name.as_str();
                let je = &self.c.entities[j];
                let to_owner = relations(je)
                    .find(|x| x.kind == RelationKind::ToOne && x.target.name == owner_name);
                let to_target = relations(je).find(|x| {
                    x.kind == RelationKind::ToOne
                        && x.target.name == target_name
                        && to_owner.is_none_or(|o| o.name.name != x.name.name)
                });
                match (to_owner, to_target) {
                    (Some(a), Some(b)) => {
                        if matches!(self.states[j].pk, PkSpec::Id(_)) {
                            self.states[j].pk = PkSpec::Junction(vec![a.name.name.clone(), b.name.name.clone()]);
                        }
                    }
                    _ => self.diags.push(
                        Diagnostic::error(
                            codes::INVALID_RELATION,
                            format!(
                                "junction entity `{}` must have a `->` relation to `{owner_name}` and one to `{target_name}`",
                                through.name
                            ),
                            format!(
                                "add `{} -> {owner_name}` and `{} -> {target_name}` to `{}`",
                                names::snake(owner_name),
                                names::snake(target_name),
                                through.name
                            ),
                        )
                        .at(through.span),
                    ),
                }
                let _ = owner_idx;
            }
        }
    }

    /// Frees the field, column and key state of every entity; nothing after this may ask for it.
    pub fn release_entity_state(&mut self) {
        self.states = Vec::new();
        self.pk_cache = HashMap::new();
    }

    /// The primary key columns of an entity with their types (memoised; cycles reported).
    pub fn pk_columns(&mut self, i: usize) -> Option<Vec<(String, TypeRef)>> {
        if let Some(v) = self.pk_cache.get(&i) {
            return v.clone();
        }
        if !self.pk_visiting.insert(i) {
            let e = &self.c.entities[i];
            self.diags.push(
                Diagnostic::error(
                    codes::INVALID_PRIMARY_KEY,
                    format!(
                        "the primary key of `{}` depends on itself through relations",
                        e.decl.name.name
                    ),
                    "give one of the entities in the cycle its own key field",
                )
                .at(e.decl.name.span),
            );
            return None;
        }
        let result = self.compute_pk(i);
        self.pk_visiting.remove(&i);
        self.pk_cache.insert(i, result.clone());
        result
    }

    fn compute_pk(&mut self, i: usize) -> Option<Vec<(String, TypeRef)>> {
        let member_names: Vec<(String, Span)> = match &self.states[i].pk {
            PkSpec::Id(PkStrategy::None) => return Some(Vec::new()),
            PkSpec::Id(PkStrategy::Identity) => {
                return Some(vec![("id".into(), TypeRef::builtin("bigint"))]);
            }
            PkSpec::Id(_) => return Some(vec![("id".into(), TypeRef::builtin("uuid"))]),
            PkSpec::Members(m) => m.iter().map(|x| (x.name.clone(), x.span)).collect(),
            PkSpec::Junction(rels) => rels
                .iter()
                .map(|r| (r.clone(), self.c.entities[i].decl.name.span))
                .collect(),
        };
        let mut out = Vec::new();
        for (name, span) in member_names {
            if let Some(f) = self.states[i]
                .fields
                .iter()
                .find(|f| f.decl.name.name == name)
            {
                out.push((f.column.clone(), f.resolved.ty.clone()));
                continue;
            }
            let e = &self.c.entities[i];
            if let Some(r) =
                relations(e).find(|r| r.name.name == name && r.kind == RelationKind::ToOne)
            {
                for (col, ty, _) in self.relation_columns(i, r)? {
                    out.push((col, ty));
                }
                continue;
            }
            self.diags.push(unknown_field(&name, span, e));
            return None;
        }
        Some(out)
    }

    /// Columns a `->` relation adds: (column, type, referenced column).
    pub fn relation_columns(
        &mut self,
        i: usize,
        r: &ast::RelationDecl,
    ) -> Option<Vec<(String, TypeRef, String)>> {
        let &t = self.entity_index.get(r.target.name.as_str())?;
        let base = names::snake(&r.name.name);
        let mapped = r.attrs.iter().find_map(|a| match a {
            RelationAttr::Map(s) => Some(s.value.clone()),
            _ => None,
        });
        let targets: Vec<(String, TypeRef)> = match &r.target_field {
            Some(f) => {
                let found = self.states[t]
                    .fields
                    .iter()
                    .find(|x| x.decl.name.name == f.name || x.column == f.name)
                    .map(|x| (x.column.clone(), x.resolved.ty.clone()));
                match found {
                    Some(x) => vec![x],
                    None => {
                        let te = &self.c.entities[t];
                        self.diags.push(unknown_field(&f.name, f.span, te));
                        return None;
                    }
                }
            }
            None => self.pk_columns(t)?,
        };
        if targets.is_empty() {
            let te = &self.c.entities[t];
            self.diags.push(
                Diagnostic::error(
                    codes::INVALID_RELATION,
                    format!(
                        "`{}` has no primary key, so `{}` cannot reference it",
                        te.decl.name.name, r.name.name
                    ),
                    format!(
                        "reference a unique field (`-> {}(field)`) or give `{}` a primary key",
                        te.decl.name.name, te.decl.name.name
                    ),
                )
                .at(r.target.span),
            );
            return None;
        }
        let single = targets.len() == 1;
        let _ = i;
        Some(
            targets
                .into_iter()
                .map(|(col, ty)| {
                    let name = match (&mapped, single) {
                        (Some(m), true) => m.clone(),
                        _ => format!("{base}_{col}"),
                    };
                    (name, ty, col)
                })
                .collect(),
        )
    }

    fn build_table(&mut self, i: usize) -> Table {
        let e = &self.c.entities[i];
        let conv = e.conv.clone();
        let mut table = Table::new(e.table.clone());
        table.comment = e.decl.doc.clone();
        table.origin.entity = Some(e.decl.name.name.clone());
        // `renamed_from Old`: an entity name goes through the same naming as this one; a
        // lower-case name is taken as the old table name itself.
        table.origin.renamed_from = e.members.iter().find_map(|m| match m {
            Member::RenamedFrom(r) => Some(if r.name.name.chars().any(char::is_uppercase) {
                let base = names::snake(&r.name.name);
                if conv.plural_tables {
                    names::pluralize(&base)
                } else {
                    base
                }
            } else {
                r.name.name.clone()
            }),
            _ => None,
        });
        let tname = e.table.name.clone();

        if let PkSpec::Id(strategy) = self.states[i].pk
            && strategy != PkStrategy::None
        {
            let mut id = Column::new(
                "id",
                TypeRef::builtin(if strategy == PkStrategy::Identity {
                    "bigint"
                } else {
                    "uuid"
                }),
            );
            match strategy {
                PkStrategy::Identity => id.identity = Some(Identity::Always),
                PkStrategy::Uuid => id.default = Some("gen_random_uuid()".into()),
                // PostgreSQL 18 has uuidv7() built in; older servers call the generated one.
                PkStrategy::UuidV7 if conv.postgres >= crate::conventions::UUIDV7_POSTGRES => {
                    id.default = Some("uuidv7()".into())
                }
                PkStrategy::UuidV7 => {
                    id.default = Some(format!(
                        "{}()",
                        crate::features::uuid_v7_name(&self.c.global_conv)
                    ))
                }
                PkStrategy::None => {}
            }
            id.origin.why = Some(Why::new(
                WhySource::Convention,
                format!(
                    "primary key by the `primary_key {}` convention",
                    match strategy {
                        PkStrategy::Identity => "identity",
                        PkStrategy::Uuid => "uuid",
                        PkStrategy::UuidV7 => "uuid_v7",
                        PkStrategy::None => "none",
                    }
                ),
            ));
            table.columns.push(id);
        }

        let members: Vec<&'a Member> = self.c.entities[i].members.clone();
        // Tables are built once and never shrink, and a growing Vec of columns would leave up to
        // half its slots empty: size it up front (timestamps and soft delete add up to three).
        let own = members
            .iter()
            .filter(|m| {
                matches!(m, Member::Field(_))
                    || matches!(m, Member::Relation(r) if r.kind == RelationKind::ToOne)
            })
            .count();
        let soft_delete = members.iter().any(|m| matches!(m, Member::SoftDelete(_)));
        let timestamps = match conv.timestamps {
            crate::conventions::Timestamps::On => 2,
            crate::conventions::Timestamps::Created => 1,
            crate::conventions::Timestamps::Off => 0,
        };
        table
            .columns
            .reserve_exact(own + timestamps + usize::from(soft_delete));
        let relations_and_patterns = members
            .iter()
            .filter(|m| {
                matches!(
                    m,
                    Member::Relation(_) | Member::Access(_) | Member::Index(_)
                )
            })
            .count();
        table.indexes.reserve_exact(relations_and_patterns);
        for m in members {
            match m {
                Member::Field(f) => self.add_field(i, f, &mut table),
                Member::Relation(r) if r.kind == RelationKind::ToOne => {
                    self.add_relation(i, r, &mut table)
                }
                _ => {}
            }
        }

        if let Some(cols) = self.pk_columns(i).filter(|c| !c.is_empty()) {
            let cols: Vec<String> = cols.into_iter().map(|(c, _)| c).collect();
            for c in &cols {
                if let Some(col) = table.column_mut(c) {
                    if col.nullable {
                        self.diags.push(
                            Diagnostic::error(
                                codes::INVALID_PRIMARY_KEY,
                                format!(
                                    "primary key column `{c}` of `{}` is optional",
                                    e.decl.name.name
                                ),
                                "remove the `?`: primary key columns are NOT NULL",
                            )
                            .at(e.decl.name.span),
                        );
                    }
                    col.nullable = false;
                }
            }
            let declared_name = e.members.iter().find_map(|m| match m {
                Member::PrimaryKey(p) => p.name.as_ref().map(|n| n.value.clone()),
                _ => None,
            });
            table.primary_key = Some(PrimaryKey {
                name: declared_name.unwrap_or_else(|| fit(&format!("{tname}_pkey"))),
                columns: cols,
                deferrable: Default::default(),
                without_overlaps: false,
            });
        }
        if let PkSpec::Junction(rels) = &self.states[i].pk {
            let a = rels.first().cloned().unwrap_or_default();
            let b = rels.get(1).cloned().unwrap_or_default();
            table.origin.junction_of = Some((a, b));
        }
        self.entity_members(i, &mut table, &conv);
        // Complete from here on (features rarely add to them): drop the growth slack.
        table.foreign_keys.shrink_to_fit();
        table.uniques.shrink_to_fit();
        table.checks.shrink_to_fit();
        table
    }

    fn add_field(&mut self, i: usize, f: &'a ast::FieldDecl, table: &mut Table) {
        let Some(info) = self.states[i]
            .fields
            .iter()
            .find(|x| std::ptr::eq(x.decl, f))
        else {
            return;
        };
        let column = info.column.clone();
        let r = info.resolved.clone();
        let tname = table.name.name.clone();
        let mut col = Column::new(column.clone(), r.ty.clone());
        col.nullable = f.nullable;
        col.comment = f.doc.clone();
        // Only where the field name is not the column name (as the model documents it): a copy
        // per column adds up in large schemas.
        if column != f.name.name {
            col.origin.field = Some(f.name.name.clone());
        }
        col.origin.renamed_from = f.attrs.iter().find_map(|a| match a {
            FieldAttr::RenamedFrom(old) => Some(renamed_column(&column, &f.name.name, &old.name)),
            _ => None,
        });
        col.origin.semantic = r.semantic.map(str::to_string);
        col.origin.sensitive = r.sensitive;
        col.default = r.default.clone();
        let mut check_n = 0;
        let mut checks = Vec::new();
        for (suffix, tpl) in &r.checks {
            checks.push(CheckConstraint {
                name: fit(&format!("{tname}_{column}_{suffix}")),
                expression: types::check_for(tpl, &column),
                why: Some(Why::new(
                    WhySource::SemanticType,
                    match r.semantic {
                        Some(s) => format!("validates the `{s}` semantic type"),
                        None if suffix == "length" => {
                            format!("length limit from `{}`", type_text(&f.ty))
                        }
                        None => "enumerated values (the `enums check` convention)".to_string(),
                    },
                )),
                not_valid: Default::default(),
                not_enforced: false,
            });
        }
        let mut seen_attr: HashSet<std::mem::Discriminant<FieldAttr>> = HashSet::new();
        for a in &f.attrs {
            seen_attr.insert(std::mem::discriminant(a));
            match a {
                FieldAttr::Default(d) => {
                    col.default = self.default_sql(d, &r.ty, r.enum_name.as_ref())
                }
                FieldAttr::Identity(span) => {
                    if !["integer", "bigint", "smallint"].contains(&r.ty.name.as_str())
                        || r.ty.array_dims > 0
                    {
                        self.diags.push(
                            Diagnostic::error(
                                codes::IDENTITY_TYPE,
                                format!(
                                    "`identity` needs an integer type, `{}` is `{}`",
                                    f.name.name, r.ty.name
                                ),
                                "use `bigint identity` (or `int identity`)",
                            )
                            .at(*span),
                        );
                    } else {
                        col.identity = Some(Identity::Always);
                    }
                }
                FieldAttr::IdentityByDefault(span) => {
                    if !["integer", "bigint", "smallint"].contains(&r.ty.name.as_str())
                        || r.ty.array_dims > 0
                    {
                        self.diags.push(
                            Diagnostic::error(
                                codes::IDENTITY_TYPE,
                                format!(
                                    "`identity` needs an integer type, `{}` is `{}`",
                                    f.name.name, r.ty.name
                                ),
                                "use `bigint identity by default` (or `int identity by default`)",
                            )
                            .at(*span),
                        );
                    } else {
                        col.identity = Some(Identity::ByDefault);
                    }
                }
                FieldAttr::Generated(sql) => col.generated = Some(sql.text.trim().to_string()),
                FieldAttr::GeneratedVirtual(sql) => {
                    col.generated = Some(sql.text.trim().to_string());
                    col.generated_virtual = true;
                }
                FieldAttr::Collate(s) => col.collation = Some(s.value.clone()),
                FieldAttr::Check(sql) => {
                    check_n += 1;
                    let suffix = if check_n == 1 {
                        "check".to_string()
                    } else {
                        format!("check{check_n}")
                    };
                    checks.push(CheckConstraint {
                        name: fit(&format!("{tname}_{column}_{suffix}")),
                        expression: sql.text.trim().to_string(),
                        why: Some(Why::new(WhySource::Declared, "declared on the field")),
                        not_valid: Default::default(),
                        not_enforced: false,
                    });
                }
                // Nobody expects `ann@` and `ANN@` to be two accounts: an email's uniqueness
                // ignores case, through a unique index on lower(email) (no extension needed).
                FieldAttr::Unique(_) if r.semantic == Some("email") => {
                    let mut idx = Index::btree(
                        fit(&format!("{tname}_{column}_key")),
                        vec![IndexKey {
                            expr: IndexExpr::Expression(format!("lower({})", quote_ident(&column))),
                            opclass: None,
                            collation: None,
                            descending: false,
                            nulls_first: None,
                        }],
                    );
                    idx.unique = true;
                    idx.why = Some(Why::new(
                        WhySource::SemanticType,
                        format!(
                            "`{}` is a unique email: compared without case; look it up with `lower({column}) = lower($1)`",
                            f.name.name
                        ),
                    ));
                    table.indexes.push(idx);
                }
                FieldAttr::Unique(_) => table.uniques.push(UniqueConstraint {
                    name: fit(&format!("{tname}_{column}_key")),
                    columns: vec![column.clone()],
                    nulls_not_distinct: false,
                    deferrable: Deferrable::NotDeferrable,
                    why: Some(Why::new(
                        WhySource::Declared,
                        format!("`{}` is declared unique", f.name.name),
                    )),
                    without_overlaps: false,
                }),
                FieldAttr::Index(span) => {
                    self.index_spans.insert(
                        (table.name.clone(), fit(&format!("idx_{tname}_{column}"))),
                        *span,
                    );
                    let mut idx = Index::btree(
                        fit(&format!("idx_{tname}_{column}")),
                        vec![IndexKey::column(column.clone())],
                    );
                    idx.why = Some(Why::new(
                        WhySource::Declared,
                        format!("`index` on field `{}`", f.name.name),
                    ));
                    table.indexes.push(idx);
                }
                FieldAttr::PrimaryKey(_) | FieldAttr::Map(_) | FieldAttr::RenamedFrom(_) => {}
            }
        }
        if col.generated.is_some() {
            col.default = None;
        }
        table.checks.extend(checks);
        table.columns.push(col);
    }

    /// SQL for a default, checked against the column type.
    pub fn default_sql(
        &mut self,
        d: &DefaultExpr,
        ty: &TypeRef,
        enum_name: Option<&QualifiedName>,
    ) -> Option<String> {
        let typed_literal = |v: &str| -> String {
            if ty.array_dims == 0
                && ty.schema.is_none()
                && (ty.name == "text" || ty.name.starts_with("character"))
            {
                quote_literal(v)
            } else {
                format!("{}::{}", quote_literal(v), type_sql(ty))
            }
        };
        let bad = |what: &str, span: Span| {
            Diagnostic::error(
                codes::BAD_DEFAULT,
                format!("default {what} does not fit type `{}`", type_sql(ty)),
                "write a value of the column's type, or an SQL expression in backticks",
            )
            .at(span)
        };
        // A domain's base type is checked by the server when the default is applied.
        let domain = ty.schema.is_some() && enum_name.is_none();
        let numeric = domain
            || ty.schema.is_none()
                && ty.array_dims == 0
                && matches!(
                    ty.base_name(),
                    "integer" | "bigint" | "smallint" | "numeric" | "real" | "double precision"
                );
        match d {
            DefaultExpr::Number(n, span) => {
                if numeric {
                    Some(n.clone())
                } else {
                    self.diags.push(bad(&format!("`{n}`"), *span));
                    None
                }
            }
            DefaultExpr::Bool(b, span) => {
                if ty.is_builtin("boolean") || domain {
                    Some(b.to_string())
                } else {
                    self.diags.push(bad(&format!("`{b}`"), *span));
                    None
                }
            }
            DefaultExpr::Null(_) => Some("NULL".into()),
            DefaultExpr::Str(s) => {
                if let Some(en) = enum_name {
                    return self.enum_default(&s.value, s.span, en, ty);
                }
                // A domain may be over text (a currency code): the server checks the value.
                if (numeric && !domain) || ty.is_builtin("boolean") {
                    self.diags.push(bad("string", s.span));
                    return None;
                }
                if let Some(call) = self.temporal_call(ty)
                    && frozen_default::is_frozen_word(&s.value)
                {
                    self.diags
                        .push(frozen(&format!("\"{}\"", s.value), call, s.span));
                    return None;
                }
                Some(typed_literal(&s.value))
            }
            DefaultExpr::Word(w) => {
                if let Some(en) = enum_name {
                    return self.enum_default(&w.name, w.span, en, ty);
                }
                let lower = w.name.to_ascii_lowercase();
                if [
                    "current_timestamp",
                    "current_date",
                    "current_time",
                    "current_user",
                    "localtimestamp",
                ]
                .contains(&lower.as_str())
                {
                    return Some(lower.to_uppercase());
                }
                self.diags.push(
                    Diagnostic::error(
                        codes::BAD_DEFAULT,
                        format!("`{}` is not a value of type `{}`", w.name, type_sql(ty)),
                        "quote text values (\"...\"), call functions with `()`, or write SQL in backticks",
                    )
                    .at(w.span),
                );
                None
            }
            DefaultExpr::Call(f) => Some(format!("{}()", f.name)),
            DefaultExpr::Sql(s) => {
                // SQL that is only such a literal is frozen the same way (`'now'::timestamptz`).
                if let Some(lit) = frozen_default::literal(&s.text)
                    && frozen_default::is_frozen_word(&lit.value)
                {
                    let call = self.temporal_call(ty).or_else(|| {
                        lit.cast
                            .as_deref()
                            .filter(|c| frozen_default::is_temporal_type(c))
                            .map(|c| {
                                if c.trim() == "date" {
                                    "CURRENT_DATE"
                                } else {
                                    "now()"
                                }
                            })
                    });
                    if let Some(call) = call {
                        self.diags
                            .push(frozen(&format!("`{}`", s.text.trim()), call, s.span));
                        return None;
                    }
                }
                Some(s.text.trim().to_string())
            }
        }
    }

    /// For a date/time column (a domain over one too): the call that gives each row its own
    /// moment, `current_date` or `now()`.
    fn temporal_call(&self, ty: &TypeRef) -> Option<&'static str> {
        let mut ty = ty.clone();
        // A domain may be over another domain; the chain is short, and a loop is cut off.
        for _ in 0..8 {
            if ty.array_dims > 0 {
                return None;
            }
            let Some(qn) = ty.qualified() else {
                let base = ty.base_name();
                return frozen_default::is_temporal_type(base).then_some(if base == "date" {
                    "CURRENT_DATE"
                } else {
                    "now()"
                });
            };
            let d = self.c.domains.iter().find(|d| d.name == qn)?;
            let conv = &self.c.global_conv;
            let mut ignored = Vec::new();
            let lookup = |n: &str| self.lookup_type(n);
            ty = types::resolve(
                &d.decl.ty,
                conv.text_checks,
                conv.native_enums,
                &lookup,
                &mut ignored,
            )?
            .ty;
        }
        None
    }

    fn enum_default(
        &mut self,
        value: &str,
        span: Span,
        en: &QualifiedName,
        ty: &TypeRef,
    ) -> Option<String> {
        let values = self.enum_values(en);
        if !values.iter().any(|v| v == value) {
            self.diags.push(
                Diagnostic::error(
                    codes::UNKNOWN_ENUM_VALUE,
                    format!("`{value}` is not a value of enum `{}`", en.name),
                    format!("use one of: {}", values.join(", ")),
                )
                .at(span),
            );
            return None;
        }
        if ty.schema.is_some() {
            Some(format!("{}::{}", quote_literal(value), type_sql(ty)))
        } else {
            Some(quote_literal(value))
        }
    }

    fn add_relation(&mut self, i: usize, r: &'a ast::RelationDecl, table: &mut Table) {
        let Some(&t) = self.entity_index.get(r.target.name.as_str()) else {
            let d = unknown_entity(&r.target, &self.c.entities);
            self.diags.push(d);
            return;
        };
        let Some(cols) = self.relation_columns(i, r) else {
            return;
        };
        let tname = table.name.name.clone();
        let target_table = self.c.entities[t].table.clone();
        let conv = self.c.entities[i].conv.clone();
        let mut on_delete = if r.nullable {
            FkAction::SetNull
        } else {
            conv.on_delete
        };
        let mut on_update = FkAction::NoAction;
        let mut deferrable = Deferrable::NotDeferrable;
        let mut unique = false;
        let mut fk_name = None;
        for a in &r.attrs {
            match a {
                RelationAttr::OnDelete(act, span) => {
                    on_delete = action(*act);
                    if matches!(act, ast::ActionAst::SetNull) && !r.nullable {
                        self.diags.push(
                            Diagnostic::error(
                                codes::INVALID_RELATION,
                                format!(
                                    "`on delete set null` on required relation `{}`",
                                    r.name.name
                                ),
                                format!(
                                    "make it optional (`-> {}?`) or choose cascade or restrict",
                                    r.target.name
                                ),
                            )
                            .at(*span),
                        );
                    }
                }
                RelationAttr::OnUpdate(act, _) => on_update = action(*act),
                RelationAttr::Deferrable {
                    initially_deferred, ..
                } => {
                    deferrable = if *initially_deferred {
                        Deferrable::InitiallyDeferred
                    } else {
                        Deferrable::InitiallyImmediate
                    }
                }
                RelationAttr::Unique(_) => unique = true,
                RelationAttr::Constraint(n) => fk_name = Some(n.value.clone()),
                _ => {}
            }
        }
        let mut col_names = Vec::new();
        for (col, ty, _) in &cols {
            if col.len() > names::MAX_IDENT {
                self.diags.push(too_long("column", col, r.name.span));
            }
            col_names.push(col.clone());
            if table.column(col).is_some() {
                // Shared with another relation or the distribution column.
                continue;
            }
            let mut c = Column::new(col.clone(), ty.clone());
            c.nullable = r.nullable;
            c.comment = r.doc.clone();
            c.origin.field = Some(r.name.name.clone());
            c.origin.renamed_from = r.attrs.iter().find_map(|a| match a {
                RelationAttr::RenamedFrom(old) => {
                    Some(renamed_column(col, &r.name.name, &old.name))
                }
                _ => None,
            });
            c.origin.why = Some(Why::new(
                WhySource::Relation,
                format!(
                    "foreign key of relation `{}` to `{}`",
                    r.name.name, r.target.name
                ),
            ));
            table.columns.push(c);
        }
        self.states[i]
            .columns_of
            .insert(r.name.name.as_str(), Cols::Many(col_names.clone()));
        let joined = col_names.join("_");
        table.foreign_keys.push(ForeignKey {
            name: fk_name.unwrap_or_else(|| fit(&format!("{tname}_{joined}_fkey"))),
            columns: col_names.clone(),
            ref_table: target_table.clone(),
            ref_columns: cols.iter().map(|(_, _, rc)| rc.clone()).collect(),
            on_delete,
            on_update,
            match_type: FkMatch::Simple,
            deferrable,
            relation: Some(r.name.name.clone()),
            inverse: self.inverse_name(i, t, r),
            why: Some(Why::new(
                WhySource::Relation,
                format!("relation `{}` -> `{}`", r.name.name, r.target.name),
            )),
            not_valid: Default::default(),
            not_enforced: false,
            period: false,
        });
        if unique {
            table.uniques.push(UniqueConstraint {
                name: fit(&format!("{tname}_{joined}_key")),
                columns: col_names.clone(),
                nulls_not_distinct: false,
                deferrable: Deferrable::NotDeferrable,
                why: Some(Why::new(
                    WhySource::Relation,
                    format!("one-to-one relation `{}`", r.name.name),
                )),
                without_overlaps: false,
            });
        }
        if conv.index_foreign_keys {
            let mut idx = Index::btree(
                fit(&format!("idx_{tname}_{joined}")),
                col_names
                    .iter()
                    .map(|c| IndexKey::column(c.clone()))
                    .collect(),
            );
            idx.why = Some(Why::new(
                WhySource::Relation,
                format!(
                    "foreign key to {}: deleting or updating a {} row finds referencing rows without a scan, and joins use it",
                    target_table.name, target_table.name
                ),
            ));
            table.indexes.push(idx);
        }
    }

    /// The back-reference name entity `t` declares for relation `r` of entity `i`: a `<->`
    /// on `t` through entity `i` (then `i` is its junction), else `name <- I(r)`, else an
    /// unqualified `name <- I` when `r` is `i`'s first `->` to `t`.
    fn inverse_name(&self, i: usize, t: usize, r: &ast::RelationDecl) -> Option<String> {
        let me = self.c.entities[i].decl.name.name.as_str();
        let target = &self.c.entities[t];
        let through_me = relations(target).find(|x| {
            x.kind == RelationKind::ManyToMany
                && x.attrs
                    .iter()
                    .any(|a| matches!(a, RelationAttr::Through(j) if j.name == me))
        });
        if let Some(x) = through_me {
            return Some(x.name.name.clone());
        }
        let inverses: Vec<&ast::RelationDecl> = relations(target)
            .filter(|x| x.kind == RelationKind::Inverse && x.target.name == me)
            .collect();
        if let Some(x) = inverses.iter().find(|x| {
            x.target_field
                .as_ref()
                .is_some_and(|f| f.name == r.name.name)
        }) {
            return Some(x.name.name.clone());
        }
        let first = relations(&self.c.entities[i])
            .find(|x| x.kind == RelationKind::ToOne && x.target.name == target.decl.name.name)?;
        if first.name.name != r.name.name {
            return None;
        }
        inverses
            .iter()
            .find(|x| x.target_field.is_none())
            .map(|x| x.name.name.clone())
    }

    fn check_inverse_relations(&mut self) {
        for e in &self.c.entities {
            for r in relations(e).filter(|r| r.kind == RelationKind::Inverse) {
                let Some(&t) = self.entity_index.get(r.target.name.as_str()) else {
                    self.diags.push(unknown_entity(&r.target, &self.c.entities));
                    continue;
                };
                let back = relations(&self.c.entities[t])
                    .any(|x| x.kind == RelationKind::ToOne && x.target.name == e.decl.name.name);
                if !back {
                    self.diags.push(
                        Diagnostic::error(
                            codes::INVALID_RELATION,
                            format!(
                                "`{} <- {}` has no matching `->` on `{}`",
                                r.name.name, r.target.name, r.target.name
                            ),
                            format!(
                                "add a relation `{} -> {}` to `{}`",
                                names::snake(&e.decl.name.name),
                                e.decl.name.name,
                                r.target.name
                            ),
                        )
                        .at(r.span),
                    );
                } else if let Some(f) = &r.target_field {
                    let candidates: Vec<&str> = relations(&self.c.entities[t])
                        .filter(|x| {
                            x.kind == RelationKind::ToOne && x.target.name == e.decl.name.name
                        })
                        .map(|x| x.name.name.as_str())
                        .collect();
                    if !candidates.contains(&f.name.as_str()) {
                        self.diags.push(
                            Diagnostic::error(
                                codes::INVALID_RELATION,
                                format!(
                                    "`{} <- {}({})`: `{}` has no relation `{}` to `{}`",
                                    r.name.name,
                                    r.target.name,
                                    f.name,
                                    r.target.name,
                                    f.name,
                                    e.decl.name.name
                                ),
                                format!(
                                    "name one of its `->` relations to `{}`: {}",
                                    e.decl.name.name,
                                    candidates.join(", ")
                                ),
                            )
                            .at(f.span),
                        );
                    }
                }
            }
        }
    }

    /// Entity-level members: keys, indexes, constraints.
    fn entity_members(&mut self, i: usize, table: &mut Table, _conv: &crate::conventions::Conv) {
        let tname = table.name.name.clone();
        let members: Vec<&'a Member> = self.c.entities[i].members.clone();
        for m in members {
            match m {
                Member::Unique(u) => {
                    let Some(cols) = self.member_columns(i, &u.columns) else {
                        continue;
                    };
                    let name = match &u.name {
                        Some(n) => n.value.clone(),
                        None => fit(&format!("{tname}_{}_key", cols.join("_"))),
                    };
                    if u.live {
                        let e = &self.c.entities[i];
                        if !e.members.iter().any(|m| matches!(m, Member::SoftDelete(_))) {
                            self.diags.push(
                                Diagnostic::error(
                                    codes::LIVE_WITHOUT_SOFT_DELETE,
                                    format!("`unique ... live` on `{}`, which has no `soft_delete`", e.decl.name.name),
                                    "add `soft_delete` to the entity, or drop `live` for a plain unique key",
                                )
                                .at(u.span),
                            );
                            continue;
                        }
                        // Unique among live rows only: a partial unique index, which a
                        // foreign key cannot reference.
                        let mut idx = Index::btree(
                            name,
                            cols.iter().map(|c| IndexKey::column(c.clone())).collect(),
                        );
                        idx.unique = true;
                        idx.nulls_not_distinct = u.nulls_not_distinct;
                        idx.predicate = Some(format!(
                            "{} IS NULL",
                            quote_ident(&e.conv.soft_delete_column)
                        ));
                        idx.why = Some(Why::new(
                            WhySource::SoftDelete,
                            "`unique ... live`: soft-deleted rows do not block reuse of the value",
                        ));
                        table.indexes.push(idx);
                        continue;
                    }
                    table.uniques.push(UniqueConstraint {
                        name,
                        columns: cols,
                        nulls_not_distinct: u.nulls_not_distinct,
                        deferrable: Deferrable::NotDeferrable,
                        why: Some(Why::new(WhySource::Declared, "declared unique")),
                        without_overlaps: false,
                    });
                }
                Member::Check(c) => {
                    let n = table
                        .checks
                        .iter()
                        .filter(|x| x.name.starts_with(&format!("{tname}_check")))
                        .count();
                    let name = match &c.name {
                        Some(n) => n.name.clone(),
                        None if n == 0 => fit(&format!("{tname}_check")),
                        None => fit(&format!("{tname}_check{}", n + 1)),
                    };
                    table.checks.push(CheckConstraint {
                        name,
                        expression: c.expr.text.trim().to_string(),
                        why: Some(Why::new(WhySource::Declared, "declared check")),
                        not_valid: Default::default(),
                        not_enforced: false,
                    });
                }
                Member::Index(d) => {
                    if let Some(idx) = self.declared_index(i, &tname, d) {
                        self.index_spans
                            .insert((table.name.clone(), idx.name.clone()), d.span);
                        table.indexes.push(idx);
                    }
                }
                Member::Exclude(x) => {
                    let mut elements = Vec::new();
                    for el in &x.elements {
                        if let Some(key) = self.index_key(i, &el.key) {
                            elements.push(ExclusionElement {
                                key,
                                operator: el.operator.text.trim().to_string(),
                            });
                        }
                    }
                    let name = match &x.name {
                        Some(n) => n.name.clone(),
                        None => fit(&format!("{tname}_excl")),
                    };
                    table.exclusions.push(ExclusionConstraint {
                        name,
                        method: x.method.name.to_ascii_lowercase(),
                        elements,
                        predicate: x.predicate.as_ref().map(|p| p.text.trim().to_string()),
                        why: Some(Why::new(
                            WhySource::Declared,
                            "declared exclusion constraint",
                        )),
                        deferrable: Default::default(),
                    });
                }
                Member::Rows(r) => table.origin.row_estimate = Some(r.count),
                Member::Grant(g) => {
                    const PRIVS: &[&str] = &[
                        "select",
                        "insert",
                        "update",
                        "delete",
                        "truncate",
                        "references",
                        "trigger",
                        "all",
                    ];
                    let mut privileges = Vec::new();
                    for p in &g.privileges {
                        let lower = p.name.to_ascii_lowercase();
                        if PRIVS.contains(&lower.as_str()) {
                            privileges.push(lower.to_uppercase());
                        } else {
                            self.diags.push(
                                Diagnostic::error(
                                    codes::INVALID_GRANT,
                                    format!("`{}` is not a table privilege", p.name),
                                    format!("use one of: {}", PRIVS.join(", ")),
                                )
                                .at(p.span),
                            );
                        }
                    }
                    for role in &g.roles {
                        self.grants.push(Grant {
                            object_kind: "TABLE".into(),
                            object: table.name.clone(),
                            privileges: privileges.clone(),
                            grantee: role.name.clone(),
                            with_grant_option: false,
                        });
                    }
                }
                _ => {}
            }
        }
    }

    /// Field or relation names → their columns; plain column names are accepted too.
    pub fn member_columns(&mut self, i: usize, idents: &[ast::Ident]) -> Option<Vec<String>> {
        let mut out = Vec::new();
        let mut ok = true;
        for id in idents {
            match self.columns_for(i, &id.name) {
                Some(cols) => out.extend(cols),
                None => {
                    let d = unknown_field(&id.name, id.span, &self.c.entities[i]);
                    self.diags.push(d);
                    ok = false;
                }
            }
        }
        ok.then_some(out)
    }

    pub fn columns_for(&self, i: usize, name: &str) -> Option<Vec<String>> {
        let st = &self.states[i];
        match st.columns_of.get(name) {
            Some(Cols::Same) => return Some(vec![name.to_string()]),
            Some(Cols::One(c)) => return Some(vec![c.clone()]),
            Some(Cols::Many(cols)) => return Some(cols.clone()),
            None => {}
        }
        let is_column = |cols: &Cols| match cols {
            Cols::Same => false,
            Cols::One(c) => c == name,
            Cols::Many(cols) => cols.iter().any(|c| c == name),
        };
        if st.columns_of.0.iter().any(|(_, c)| is_column(c)) || name == "id" {
            return Some(vec![name.to_string()]);
        }
        let conv = &self.c.entities[i].conv;
        let implicit = ["created_at", "updated_at", conv.soft_delete_column.as_str()];
        implicit.contains(&name).then(|| vec![name.to_string()])
    }

    fn index_key(&mut self, i: usize, k: &ast::IndexKeyDecl) -> Option<IndexKey> {
        let expr = match &k.expr {
            ast::KeyExpr::Column(id) => {
                let cols = self.member_columns(i, std::slice::from_ref(id))?;
                if cols.len() != 1 {
                    self.diags.push(
                        Diagnostic::error(
                            codes::INVALID_INDEX,
                            format!(
                                "`{}` stands for {} columns here; an index key is one column",
                                id.name,
                                cols.len()
                            ),
                            "list the columns one by one",
                        )
                        .at(id.span),
                    );
                    return None;
                }
                IndexExpr::Column(cols.into_iter().next()?)
            }
            ast::KeyExpr::Sql(s) => IndexExpr::Expression(s.text.trim().to_string()),
        };
        Some(IndexKey {
            expr,
            opclass: k.opclass.as_ref().map(|o| o.name.clone()),
            collation: None,
            descending: k.descending,
            nulls_first: k.nulls_first,
        })
    }

    fn declared_index(&mut self, i: usize, tname: &str, d: &ast::IndexDecl) -> Option<Index> {
        const METHODS: &[&str] = &["btree", "hash", "gin", "gist", "brin", "spgist"];
        let method = d
            .method
            .as_ref()
            .map(|m| m.name.to_ascii_lowercase())
            .unwrap_or_else(|| "btree".into());
        if !METHODS.contains(&method.as_str()) {
            let span = d.method.as_ref().map(|m| m.span).unwrap_or(d.span);
            self.diags.push(
                Diagnostic::error(
                    codes::INVALID_INDEX,
                    format!("unknown index method `{method}`"),
                    format!("use one of: {}", METHODS.join(", ")),
                )
                .at(span),
            );
            return None;
        }
        if d.unique && method != "btree" {
            self.diags.push(
                Diagnostic::error(
                    codes::INVALID_INDEX,
                    format!("a `{method}` index cannot be unique"),
                    "only btree indexes enforce uniqueness: drop `unique` or `using`",
                )
                .at(d.span),
            );
            return None;
        }
        if !d.include.is_empty() && !["btree", "gist", "spgist"].contains(&method.as_str()) {
            self.diags.push(
                Diagnostic::error(
                    codes::INVALID_INDEX,
                    format!("a `{method}` index cannot have INCLUDE columns"),
                    "INCLUDE works with btree, gist and spgist indexes",
                )
                .at(d.span),
            );
            return None;
        }
        let mut keys = Vec::new();
        for k in &d.keys {
            keys.push(self.index_key(i, k)?);
        }
        let include = self.member_columns(i, &d.include)?;
        let name = match &d.name {
            Some(n) => n.value.clone(),
            None => {
                let parts: Vec<String> = keys
                    .iter()
                    .map(|k| match &k.expr {
                        IndexExpr::Column(c) => c.clone(),
                        IndexExpr::Expression(e) => names::sanitize(e),
                    })
                    .collect();
                let prefix = if d.unique { "uq" } else { "idx" };
                fit(&format!("{prefix}_{tname}_{}", parts.join("_")))
            }
        };
        Some(Index {
            name,
            unique: d.unique,
            method,
            keys,
            include,
            predicate: d.predicate.as_ref().map(|p| p.text.trim().to_string()),
            nulls_not_distinct: d.nulls_not_distinct,
            comment: None,
            why: Some(Why::new(WhySource::Declared, "declared index")),
            options: Default::default(),
        })
    }
}

fn action(a: ast::ActionAst) -> FkAction {
    match a {
        ast::ActionAst::Cascade => FkAction::Cascade,
        ast::ActionAst::Restrict => FkAction::Restrict,
        ast::ActionAst::NoAction => FkAction::NoAction,
        ast::ActionAst::SetNull => FkAction::SetNull,
        ast::ActionAst::SetDefault => FkAction::SetDefault,
    }
}

pub fn type_sql(ty: &TypeRef) -> String {
    let base = match &ty.schema {
        Some(s) if s == "public" => quote_ident(&ty.name),
        Some(s) => format!("{}.{}", quote_ident(s), quote_ident(&ty.name)),
        None => ty.name.clone(),
    };
    format!("{base}{}", "[]".repeat(ty.array_dims as usize))
}

fn type_text(t: &ast::TypeExpr) -> String {
    let args: Vec<String> = t
        .args
        .iter()
        .map(|a| match a {
            ast::TypeArg::Int(v, _) => v.to_string(),
            ast::TypeArg::Word(w) => w.name.clone(),
        })
        .collect();
    if args.is_empty() {
        t.name.name.clone()
    } else {
        format!("{}({})", t.name.name, args.join(", "))
    }
}

pub fn unknown_entity(id: &ast::Ident, entities: &[EntityCx]) -> Diagnostic {
    let mut names: Vec<&str> = entities.iter().map(|e| e.decl.name.name.as_str()).collect();
    names.sort_unstable();
    Diagnostic::error(
        codes::UNKNOWN_ENTITY,
        format!("unknown entity `{}`", id.name),
        if names.is_empty() {
            "declare it with `entity Name { ... }`".to_string()
        } else {
            format!("declared entities: {}", names.join(", "))
        },
    )
    .at(id.span)
}

pub fn unknown_field(name: &str, span: Span, e: &EntityCx) -> Diagnostic {
    let mut fields: Vec<&str> = e
        .members
        .iter()
        .filter_map(|m| match m {
            Member::Field(f) => Some(f.name.name.as_str()),
            Member::Relation(r) => Some(r.name.name.as_str()),
            _ => None,
        })
        .collect();
    fields.sort_unstable();
    Diagnostic::error(
        codes::UNKNOWN_FIELD,
        format!("`{}` has no field `{name}`", e.decl.name.name),
        format!("fields of `{}`: {}", e.decl.name.name, fields.join(", ")),
    )
    .at(span)
}

/// The old column name of a renamed field or relation: the column's name with the field's
/// name replaced by the old one (`owner_id` of relation `owner` renamed from `author` was
/// `author_id`).
fn renamed_column(column: &str, field: &str, old: &str) -> String {
    match column.strip_prefix(field) {
        Some(rest) => format!("{}{rest}", names::snake(old)),
        None => names::snake(old),
    }
}

/// E3015: a default PostgreSQL reads once, when the table is created.
fn frozen(what: &str, call: &str, span: Span) -> Diagnostic {
    Diagnostic::error(
        codes::FROZEN_DEFAULT,
        format!("default {what} is read once, when the table is created, so every row would get that moment"),
        format!("write `= {call}`, which is evaluated on each insert (with an interval in backticks for tomorrow or yesterday)"),
    )
    .at(span)
}
