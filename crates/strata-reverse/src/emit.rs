//! One printing pass: decide names and conventions, print every object, and record what went
//! to raw SQL so the check compares like with like.

use std::collections::{BTreeMap, HashSet};
use std::path::PathBuf;

use strata_lang::ast::{self, Item};
use strata_model::*;

use crate::build::{block_sql, conventions, doc_safe, ident, is_plain_ident, spaced, trivia};
use crate::entity::{self, EntityOut};
use crate::names;
use crate::{Plan, ReverseOptions, Reversed, Warning};

/// A recognised many-to-many junction table: printed as `name <-> Target` on its owner.
#[derive(Debug, Clone)]
pub struct Junction {
    pub owner: QualifiedName,
    pub target: QualifiedName,
    pub field: String,
    pub map: Option<String>,
    pub doc: Option<String>,
}

pub struct Cx<'m> {
    pub model: &'m Model,
    pub plan: &'m Plan,
    /// Table → entity name, for every table printed as an entity.
    pub entities: BTreeMap<QualifiedName, String>,
    /// Tables whose name the table-name convention does not derive.
    pub table_overrides: HashSet<QualifiedName>,
    pub plural: bool,
    pub junctions: BTreeMap<QualifiedName, Junction>,
    /// The audit log and its function are the designer's: `audit` may be recognised.
    pub audit_ok: bool,
    pub warnings: Vec<Warning>,
    /// The model minus what is printed as raw SQL, to compare with the design of the text.
    pub expected: Model,
    /// Tables whose tenant comes through a relation (see `tenancy`).
    pub tenant_hints: std::collections::HashMap<QualifiedName, crate::tenancy::Hint>,
    /// `uuid_v7` keys are PostgreSQL 18's `uuidv7()` (the file says `postgres 18`), not the
    /// generated function: some key uses the built-in and none the function.
    pub v7_builtin: bool,
    raw: Vec<(u8, String, String)>,
    raw_names: HashSet<String>,
}

impl Cx<'_> {
    pub fn warn(&mut self, object: impl Into<String>, message: impl Into<String>) {
        self.warnings.push(Warning {
            object: object.into(),
            message: message.into(),
        });
    }

    /// Adds raw SQL; `stage` orders blocks: 0 functions, 1 views, 2 table objects,
    /// 3 comments, 4 grants.
    pub fn raw(&mut self, stage: u8, name: &str, sql: String) {
        self.push_raw(stage.saturating_mul(2), name, sql);
    }

    /// Adds a foreign key as raw SQL: after the table objects of stage 2, so that a key it
    /// references which is raw SQL too (a temporal or deferrable one) exists by then.
    pub fn raw_foreign_key(&mut self, name: &str, sql: String) {
        self.push_raw(5, name, sql);
    }

    fn push_raw(&mut self, order: u8, name: &str, sql: String) {
        let name = names::fresh(name, &self.raw_names);
        self.raw_names.insert(name.clone());
        self.raw.push((order, name, sql));
    }

    pub fn expected_table(&mut self, name: &QualifiedName) -> Option<&mut Table> {
        self.expected.tables.iter_mut().find(|t| &t.name == name)
    }

    pub fn is_designer_function(&self, name: &str, body_start: &str) -> bool {
        self.model.functions.iter().any(|f| {
            f.name == QualifiedName::public(name)
                && f.arguments.is_empty()
                && f.body.starts_with(body_start)
        })
    }
}

pub struct Emitted {
    pub reversed: Reversed,
    pub expected: Model,
}

pub fn emit(original: &Model, plan: &Plan, opts: &ReverseOptions) -> Emitted {
    let (view, tenant_hints) = crate::tenancy::view(original, &plan.explicit);
    let model = &view;
    let mut cx = Cx {
        model,
        plan,
        entities: BTreeMap::new(),
        table_overrides: HashSet::new(),
        plural: true,
        junctions: BTreeMap::new(),
        audit_ok: false,
        warnings: Vec::new(),
        expected: original.clone(),
        tenant_hints,
        v7_builtin: v7_builtin(model),
        raw: Vec::new(),
        raw_names: HashSet::new(),
    };
    name_entities(&mut cx);
    cx.audit_ok = !plan.no_audit
        && model.table(&QualifiedName::public("audit_log")).is_some()
        && cx.is_designer_function("audit_row_change", "\nDECLARE\n  redacted text[]");
    crate::objects::junctions(&mut cx);
    let audit_log = QualifiedName::public("audit_log");

    let mut outs: Vec<EntityOut> = Vec::new();
    for t in &model.tables {
        if t.partition_of.is_some() || cx.junctions.contains_key(&t.name) {
            continue;
        }
        if cx.audit_ok && t.name == audit_log {
            continue;
        }
        if !t.inherits.is_empty() {
            inheriting_table(&mut cx, t);
            continue;
        }
        outs.push(entity::entity(&mut cx, t));
    }
    // Functions the recognised conventions generate are not printed.
    let uses_updated = outs.iter().any(|o| o.timestamps == "on");
    let uses_v7 = outs.iter().any(|o| o.pk == Some("uuid_v7"));
    let uses_v7_function = uses_v7 && !cx.v7_builtin;
    let uses_audit = outs.iter().any(|o| o.audit);
    if cx.audit_ok && !uses_audit {
        cx.audit_ok = false;
    }

    let global = Global::choose(&outs, &cx);
    let mut per_schema: BTreeMap<String, Vec<Item>> = BTreeMap::new();
    let objects = crate::objects::objects(&mut cx, uses_updated, uses_v7_function, uses_audit);
    for (schema, item) in objects.before {
        per_schema.entry(schema).or_default().push(item);
    }
    for mut o in outs {
        let conv = global.entity_block(&o);
        if !conv.is_empty() {
            o.decl
                .members
                .push(ast::Member::Conventions(conventions(conv, spaced())));
        }
        o.decl.trivia = spaced();
        per_schema
            .entry(o.schema.clone())
            .or_default()
            .push(Item::Entity(o.decl));
    }
    for (schema, item) in objects.after {
        per_schema.entry(schema).or_default().push(item);
    }
    // Raw SQL last, in stage order, then the model's own raw SQL in its order.
    let mut raw = std::mem::take(&mut cx.raw);
    raw.sort_by_key(|(stage, _, _)| *stage);
    let mut raw_items: Vec<Item> = Vec::new();
    for (_, name, sql) in raw {
        raw_items.push(raw_item(&name, &sql, None));
    }
    for (i, r) in model.raw_sql.iter().enumerate() {
        let name = match &r.name {
            Some(n) if is_plain_ident(n) && !cx.raw_names.contains(n) => n.clone(),
            other => {
                let n = names::fresh(
                    other.as_deref().unwrap_or(&format!("raw_{}", i + 1)),
                    &cx.raw_names,
                );
                if other.is_some() {
                    cx.warn(
                        format!("raw SQL {n}"),
                        "renamed: its name is not an identifier",
                    );
                }
                n
            }
        };
        cx.raw_names.insert(name.clone());
        if r.sql.contains("\"\"\"") {
            cx.warn(
                format!("raw SQL {name}"),
                "contains `\"\"\"`, which a .strata SQL block cannot hold; left out",
            );
            continue;
        }
        raw_items.push(raw_item(&name, &r.sql, None));
    }
    per_schema
        .entry("public".into())
        .or_default()
        .extend(raw_items);

    let files = assemble(&cx, per_schema, global.file_block(), opts);
    Emitted {
        reversed: Reversed {
            files,
            warnings: cx.warnings,
        },
        expected: cx.expected,
    }
}

/// A table that inherits (`INHERITS`) has no .strata spelling: it is raw SQL, whole (columns
/// of its own, keys, indexes, triggers, policies, comments), after the entities.
fn inheriting_table(cx: &mut Cx<'_>, t: &strata_model::Table) {
    let single = Model {
        tables: vec![t.clone()],
        ..Model::default()
    };
    match strata_sql::render(&single, &strata_sql::RenderOptions::default()) {
        Ok(sql) => {
            let parents: Vec<&strata_model::Table> = t
                .inherits
                .iter()
                .filter_map(|p| cx.model.table(p))
                .collect();
            let overrides = strata_sql::inheritance_overrides(t, &parents);
            let mut text = sql.trim_end().to_string();
            for o in overrides {
                text.push('\n');
                text.push_str(&o);
            }
            cx.raw(2, &t.name.name, text);
        }
        Err(e) => cx.warn(
            format!("table {}", t.name),
            format!("cannot be printed: {e}"),
        ),
    }
    cx.expected.tables.retain(|x| x.name != t.name);
}

fn raw_item(name: &str, sql: &str, doc: Option<String>) -> Item {
    Item::Sql(ast::RawSqlDecl {
        doc,
        name: ident(name),
        sql: block_sql(format!("\n{}\n", sql.trim())),
        trivia: spaced(),
        span: crate::build::sp(),
    })
}

/// Entity names (unique across schemas) and the table-name convention that fits most tables.
fn name_entities(cx: &mut Cx<'_>) {
    let tables: Vec<&Table> = cx
        .model
        .tables
        .iter()
        .filter(|t| t.partition_of.is_none())
        .collect();
    let (mut plural, mut singular) = (0, 0);
    for t in &tables {
        let (_, p, s) = names::entity_for_table(&t.name.name);
        if p && !s {
            plural += 1;
        }
        if s && !p {
            singular += 1;
        }
    }
    cx.plural = plural >= singular;
    let mut used: HashSet<String> = HashSet::new();
    for t in &tables {
        let (mut entity, p, s) = names::entity_for_table(&t.name.name);
        let derived = if cx.plural { p } else { s };
        if used.contains(&entity) {
            let prefixed = heck::ToUpperCamelCase::to_upper_camel_case(
                format!("{}_{}", t.name.schema, entity).as_str(),
            );
            let mut candidate = prefixed.clone();
            let mut n = 2;
            while used.contains(&candidate) || !is_plain_ident(&candidate) {
                candidate = format!("{prefixed}{n}");
                n += 1;
            }
            entity = candidate;
            cx.table_overrides.insert(t.name.clone());
        } else if !derived {
            cx.table_overrides.insert(t.name.clone());
        }
        used.insert(entity.clone());
        cx.entities.insert(t.name.clone(), entity);
    }
}

/// Whether the database's `uuid` keys are PostgreSQL 18's `uuidv7()` rather than the function
/// the `uuid_v7` convention generates for older servers: one convention cannot give both.
fn v7_builtin(model: &Model) -> bool {
    let id_default = |d: &str| {
        model.tables.iter().any(|t| {
            t.columns
                .first()
                .is_some_and(|c| c.name == "id" && c.default.as_deref() == Some(d))
        })
    };
    id_default("uuidv7()") && !id_default("public.uuid_generate_v7()")
}

/// The conventions most entities share, written once at file level.
struct Global {
    /// `postgres 18`: some entity's `uuid_v7` key is the built-in `uuidv7()`.
    postgres18: bool,
    pk: &'static str,
    plural: bool,
    timestamps: &'static str,
    index_fks: bool,
    tenant_setting: Option<String>,
    actor_setting: Option<String>,
    enums_check: bool,
}

fn majority<T: Clone + PartialEq>(values: impl Iterator<Item = T>, default: T) -> T {
    let mut counts: Vec<(T, usize)> = Vec::new();
    for v in values {
        match counts.iter_mut().find(|(x, _)| *x == v) {
            Some((_, n)) => *n += 1,
            None => counts.push((v, 1)),
        }
    }
    let mut best = (default, 0);
    for (v, n) in counts {
        if n > best.1 {
            best = (v, n);
        }
    }
    best.0
}

impl Global {
    fn choose(outs: &[EntityOut], cx: &Cx<'_>) -> Global {
        Global {
            postgres18: cx.v7_builtin && outs.iter().any(|o| o.pk == Some("uuid_v7")),
            pk: majority(outs.iter().filter_map(|o| o.pk), "uuid"),
            plural: cx.plural,
            timestamps: majority(outs.iter().map(|o| o.timestamps), "on"),
            index_fks: majority(outs.iter().filter_map(|o| o.index_fks), true),
            tenant_setting: majority(
                outs.iter()
                    .filter_map(|o| o.tenant_setting.clone())
                    .map(Some),
                None,
            ),
            enums_check: majority(outs.iter().filter_map(|o| o.enums_check), false),
            actor_setting: if cx.audit_ok {
                crate::tenancy::actor_setting(cx.model)
            } else {
                None
            },
        }
    }

    fn file_block(&self) -> Vec<(&'static str, String)> {
        let mut out = Vec::new();
        if self.postgres18 {
            out.push(("postgres", "18".to_string()));
        }
        if self.pk != "uuid" {
            out.push(("primary_key", self.pk.to_string()));
        }
        if !self.plural {
            out.push(("table_names", "singular".into()));
        }
        if self.timestamps != "on" {
            out.push(("timestamps", self.timestamps.into()));
        }
        if self.enums_check {
            out.push(("enums", "check".into()));
        }
        if !self.index_fks {
            out.push(("index_foreign_keys", "off".into()));
        }
        if let Some(s) = &self.tenant_setting
            && s != "app.current_user_id"
        {
            out.push(("tenant_setting", s.clone()));
        }
        if let Some(s) = &self.actor_setting {
            out.push(("actor_setting", s.clone()));
        }
        out
    }

    fn entity_block(&self, o: &EntityOut) -> Vec<(&'static str, String)> {
        let mut out = Vec::new();
        if let Some(pk) = o.pk
            && pk != self.pk
        {
            out.push(("primary_key", pk.to_string()));
        }
        if o.timestamps != self.timestamps {
            out.push(("timestamps", o.timestamps.into()));
        }
        if let Some(e) = o.enums_check
            && e != self.enums_check
        {
            out.push(("enums", if e { "check" } else { "native" }.into()));
        }
        if let Some(i) = o.index_fks
            && i != self.index_fks
        {
            out.push(("index_foreign_keys", if i { "on" } else { "off" }.into()));
        }
        if let Some(s) = &o.tenant_setting
            && Some(s) != self.tenant_setting.as_ref()
        {
            out.push(("tenant_setting", s.clone()));
        }
        if o.prune_off {
            out.push(("prune_indexes", "off".into()));
        }
        out
    }
}

fn assemble(
    cx: &Cx<'_>,
    per_schema: BTreeMap<String, Vec<Item>>,
    file_conv: Vec<(&'static str, String)>,
    opts: &ReverseOptions,
) -> Vec<(PathBuf, String)> {
    let schema_doc = |name: &str| -> Option<String> {
        cx.model
            .schemas
            .iter()
            .find(|s| s.name == name)
            .and_then(|s| s.comment.clone())
            .filter(|d| doc_safe(d))
    };
    let mut all_schemas: Vec<String> = cx.model.schemas.iter().map(|s| s.name.clone()).collect();
    for s in per_schema.keys() {
        if !all_schemas.contains(s) {
            all_schemas.push(s.clone());
        }
    }
    all_schemas.retain(|s| s != "public");
    all_schemas.sort();
    let header = ast::Trivia::from(ast::TriviaData {
        leading: vec!["Reverse-engineered by `strata inspect`.".into()],
        blank_line_after_comments: true,
        ..Default::default()
    });
    let mut files: Vec<(PathBuf, ast::File)> = Vec::new();
    let mut public_items: Vec<Item> = Vec::new();
    if !file_conv.is_empty() {
        public_items.push(Item::Conventions(conventions(file_conv, trivia())));
    }
    public_items.extend(per_schema.get("public").cloned().unwrap_or_default());
    let mut schema_blocks: Vec<(String, Item)> = Vec::new();
    for s in &all_schemas {
        if !is_plain_ident(s) {
            continue;
        }
        let items = per_schema.get(s).cloned().unwrap_or_default();
        schema_blocks.push((
            s.clone(),
            Item::Schema(ast::SchemaBlock {
                doc: schema_doc(s),
                name: ident(s),
                items,
                trivia: spaced(),
                span: crate::build::sp(),
            }),
        ));
    }
    if opts.split_by_schema {
        files.push((
            "public.strata".into(),
            ast::File {
                items: public_items,
                trailing_comments: Vec::new(),
            },
        ));
        for (s, block) in schema_blocks {
            files.push((
                format!("{s}.strata").into(),
                ast::File {
                    items: vec![block],
                    trailing_comments: Vec::new(),
                },
            ));
        }
    } else {
        // Extensions, types and sequences first, then schema blocks, then public entities.
        let mut items = public_items;
        let split = items
            .iter()
            .position(|i| {
                !matches!(
                    i,
                    Item::Conventions(_)
                        | Item::Extension(_)
                        | Item::Enum(_)
                        | Item::Domain(_)
                        | Item::Sequence(_)
                )
            })
            .unwrap_or(items.len());
        let tail = items.split_off(split);
        items.extend(schema_blocks.into_iter().map(|(_, b)| b));
        items.extend(tail);
        files.push((
            "schema.strata".into(),
            ast::File {
                items,
                trailing_comments: Vec::new(),
            },
        ));
    }
    files
        .into_iter()
        .map(|(p, mut f)| {
            if let Some(first) = f.items.first_mut() {
                set_trivia(first, header.clone());
            }
            (p, strata_lang::format(&f))
        })
        .collect()
}

fn set_trivia(item: &mut Item, t: ast::Trivia) {
    let slot = match item {
        Item::Conventions(x) => &mut x.trivia,
        Item::Schema(x) => &mut x.trivia,
        Item::Extension(x) => &mut x.trivia,
        Item::Enum(x) => &mut x.trivia,
        Item::Domain(x) => &mut x.trivia,
        Item::Mixin(x) => &mut x.trivia,
        Item::Entity(x) => &mut x.trivia,
        Item::View(x) => &mut x.trivia,
        Item::Sql(x) => &mut x.trivia,
        Item::Sequence(x) => &mut x.trivia,
    };
    *slot = t;
}
