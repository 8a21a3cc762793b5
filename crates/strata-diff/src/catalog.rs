//! A model flattened into keyed objects with their dependencies and owners.

use std::collections::{BTreeMap, BTreeSet};

use strata_model::{
    Aggregate, CheckConstraint, Column, Domain, EnumType, ExclusionConstraint, Extension,
    ForeignKey, Function, Grant, Index, IndexExpr, Model, Policy, PrimaryKey, QualifiedName,
    Schema, Sequence, Table, Trigger, TriggerEvent, UniqueConstraint, VerbatimObject,
    VerbatimStage, View,
};

use crate::change::ObjectKind;
use crate::deps::{self, Names, col_key, func_key, qn, rel_key, seq_key, type_key};

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Data {
    Schema(Schema),
    Extension(Extension),
    Enum(EnumType),
    Domain(Domain),
    Sequence(Sequence),
    SeqOwner {
        seq: QualifiedName,
        table: QualifiedName,
        column: String,
    },
    Function(Function),
    Aggregate(Aggregate),
    /// The whole table (for `CREATE TABLE`); compared by its table-level properties only.
    Table(Box<Table>),
    Column {
        table: QualifiedName,
        column: Box<Column>,
        /// Position in the table, for column order of created tables.
        partition: bool,
    },
    PrimaryKey(QualifiedName, PrimaryKey),
    Unique(QualifiedName, UniqueConstraint),
    Check(QualifiedName, CheckConstraint),
    Exclusion(QualifiedName, ExclusionConstraint),
    ForeignKey(QualifiedName, ForeignKey),
    Index {
        table: QualifiedName,
        index: Index,
        /// On a partitioned table (no `CONCURRENTLY`) or a materialized view.
        partitioned: bool,
    },
    Trigger(QualifiedName, Trigger),
    Policy(QualifiedName, Policy),
    View(View),
    Grant(Grant),
    Verbatim(VerbatimObject),
    Comment {
        /// `TABLE`, `COLUMN`, `INDEX`, ...
        kind: String,
        /// The quoted target as `COMMENT ON kind target` wants it.
        target: String,
        text: String,
    },
}

#[derive(Debug, Clone)]
pub(crate) struct Obj {
    pub kind: ObjectKind,
    /// Qualified display name.
    pub name: String,
    /// The object whose drop drops this one too.
    pub owner: Option<String>,
    pub deps: BTreeSet<String>,
    pub data: Data,
}

impl Obj {
    /// Equal for planning purposes (tables by their own properties; logical annotations
    /// ignored everywhere).
    pub(crate) fn same(&self, other: &Obj) -> bool {
        match (&self.data, &other.data) {
            (Data::Table(a), Data::Table(b)) => {
                a.rls_enabled == b.rls_enabled
                    && a.rls_forced == b.rls_forced
                    && a.unlogged == b.unlogged
                    && a.partition_by == b.partition_by
                    && a.partition_of == b.partition_of
                    && same_options(&a.options, &b.options)
                    && a.inherits == b.inherits
            }
            (
                Data::Column {
                    table: ta,
                    column: a,
                    ..
                },
                Data::Column {
                    table: tb,
                    column: b,
                    ..
                },
            ) => {
                ta == tb
                    && a.name == b.name
                    && a.data_type == b.data_type
                    && a.nullable == b.nullable
                    && a.default == b.default
                    && a.identity == b.identity
                    && a.identity_options == b.identity_options
                    && a.generated == b.generated
                    && a.generated_virtual == b.generated_virtual
                    && a.not_null_name == b.not_null_name
                    && a.collation == b.collation
                    && a.collation_schema == b.collation_schema
                    && a.statistics == b.statistics
                    && a.storage == b.storage
                    && a.compression == b.compression
                    && same_options(&a.options, &b.options)
            }
            (
                Data::Index {
                    table: ta,
                    index: a,
                    partitioned: pa,
                },
                Data::Index {
                    table: tb,
                    index: b,
                    partitioned: pb,
                },
            ) => {
                ta == tb
                    && pa == pb
                    && same_options(&a.options, &b.options)
                    && Index {
                        options: b.options.clone(),
                        ..a.clone()
                    } == *b
            }
            (Data::View(a), Data::View(b)) => {
                same_options(&a.options, &b.options)
                    && View {
                        options: b.options.clone(),
                        ..a.clone()
                    } == *b
            }
            (a, b) => a == b,
        }
    }
}

/// Storage parameters and options are a set: their order is only how they were written.
pub(crate) fn same_options(a: &[String], b: &[String]) -> bool {
    let mut a = a.to_vec();
    let mut b = b.to_vec();
    a.sort();
    b.sort();
    a == b
}

#[derive(Debug, Default)]
pub(crate) struct Catalog {
    pub objs: BTreeMap<String, Obj>,
    /// Keys in model order (kinds in creation order), for deterministic plans.
    pub order: Vec<String>,
}

impl Catalog {
    fn add(&mut self, key: String, obj: Obj) {
        if !self.objs.contains_key(&key) {
            self.order.push(key.clone());
        }
        self.objs.insert(key, obj);
    }

    pub(crate) fn get(&self, key: &str) -> Option<&Obj> {
        self.objs.get(key)
    }

    /// Objects depending on each key.
    pub(crate) fn dependents(&self) -> BTreeMap<String, BTreeSet<String>> {
        let mut out: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for (key, obj) in &self.objs {
            for dep in &obj.deps {
                out.entry(dep.clone()).or_default().insert(key.clone());
            }
        }
        out
    }
}

fn schema_dep(model: &Model, schema: &str, deps: &mut BTreeSet<String>) {
    if model.schemas.iter().any(|s| s.name == schema) {
        deps.insert(format!("schema:{schema}"));
    }
}

fn comment(cat: &mut Catalog, owner: &str, kind: &str, target: String, text: &Option<String>) {
    if let Some(text) = text {
        let key = format!("comment:{owner}");
        cat.add(
            key,
            Obj {
                kind: ObjectKind::Comment,
                name: format!("on {} {target}", kind.to_ascii_lowercase()),
                owner: Some(owner.to_string()),
                deps: BTreeSet::from([owner.to_string()]),
                data: Data::Comment {
                    kind: kind.to_string(),
                    target,
                    text: text.clone(),
                },
            },
        );
    }
}

/// Columns of `table` named in `sql`.
fn column_refs(table: &Table, sql: &str, out: &mut BTreeSet<String>) {
    let words = deps::words(sql);
    for c in &table.columns {
        if words.contains(&c.name) {
            out.insert(col_key(&table.name, &c.name));
        }
    }
}

fn index_expr_deps(table: &Table, names: &Names, expr: &IndexExpr, deps: &mut BTreeSet<String>) {
    match expr {
        IndexExpr::Column(c) => {
            deps.insert(col_key(&table.name, c));
        }
        IndexExpr::Expression(sql) => {
            column_refs(table, sql, deps);
            names.refs(sql, deps);
        }
    }
}

pub(crate) fn build(model: &Model) -> Catalog {
    let names = Names::new(model);
    let mut cat = Catalog::default();
    let partitioned: BTreeSet<&QualifiedName> = model
        .tables
        .iter()
        .filter(|t| t.partition_by.is_some())
        .map(|t| &t.name)
        .collect();

    for s in &model.schemas {
        let key = format!("schema:{}", s.name);
        let mut plain = s.clone();
        plain.comment = None;
        cat.add(
            key.clone(),
            Obj {
                kind: ObjectKind::Schema,
                name: s.name.clone(),
                owner: None,
                deps: BTreeSet::new(),
                data: Data::Schema(plain),
            },
        );
        comment(
            &mut cat,
            &key,
            "SCHEMA",
            strata_model::quote_ident(&s.name),
            &s.comment,
        );
    }
    for e in &model.extensions {
        let mut deps = BTreeSet::new();
        if let Some(schema) = &e.schema {
            schema_dep(model, schema, &mut deps);
        }
        cat.add(
            format!("extension:{}", e.name),
            Obj {
                kind: ObjectKind::Extension,
                name: e.name.clone(),
                owner: None,
                deps,
                data: Data::Extension(e.clone()),
            },
        );
    }
    for e in &model.enums {
        let key = type_key(&e.name);
        let mut deps = BTreeSet::new();
        schema_dep(model, &e.name.schema, &mut deps);
        let mut plain = e.clone();
        plain.comment = None;
        cat.add(
            key.clone(),
            Obj {
                kind: ObjectKind::Enum,
                name: qn(&e.name),
                owner: None,
                deps,
                data: Data::Enum(plain),
            },
        );
        comment(&mut cat, &key, "TYPE", e.name.quoted(), &e.comment);
    }
    for d in &model.domains {
        let key = type_key(&d.name);
        let mut deps = BTreeSet::new();
        schema_dep(model, &d.name.schema, &mut deps);
        names.type_ref(&d.base, &mut deps);
        // A base type carried as SQL.
        if let Some(schema) = &d.base.schema {
            let qualified = format!("{schema}.{}", d.base.base_name());
            deps.extend(
                model
                    .verbatim
                    .iter()
                    .filter(|v| v.kind == "type" && v.name == qualified)
                    .map(verbatim_key),
            );
        }
        if let Some(default) = &d.default {
            names.refs(default, &mut deps);
        }
        for c in &d.checks {
            names.refs(&c.expression, &mut deps);
        }
        deps.remove(&key);
        let mut plain = d.clone();
        plain.comment = None;
        cat.add(
            key.clone(),
            Obj {
                kind: ObjectKind::Domain,
                name: qn(&d.name),
                owner: None,
                deps,
                data: Data::Domain(plain),
            },
        );
        comment(&mut cat, &key, "DOMAIN", d.name.quoted(), &d.comment);
    }
    for f in &model.functions {
        let key = func_key(&f.name, &f.arguments);
        let mut deps = BTreeSet::new();
        schema_dep(model, &f.name.schema, &mut deps);
        // Types of the signature. Bodies are not checked when a function is created (plans
        // turn `check_function_bodies` off), so they add no ordering edge here.
        let mut sig = BTreeSet::new();
        names.refs(&format!("{} {}", f.arguments, f.returns), &mut sig);
        deps.extend(
            sig.into_iter()
                .filter(|k| k.starts_with("type:") || k.starts_with("rel:")),
        );
        // A language, base, composite or range type or C function carried as SQL that it is
        // written in or takes.
        let signature_text = format!("{} {}", f.arguments, f.returns);
        for v in model
            .verbatim
            .iter()
            .filter(|v| v.stage <= VerbatimStage::AfterDomains)
        {
            let uses = match v.kind.as_str() {
                "language" => f.language.trim() == v.name,
                _ => mentions(&signature_text, v),
            };
            if uses {
                deps.insert(verbatim_key(v));
            }
        }
        let mut plain = f.clone();
        plain.comment = None;
        plain.why = None;
        let signature = strata_sql::function_signature(f);
        cat.add(
            key.clone(),
            Obj {
                kind: ObjectKind::Function,
                name: format!(
                    "{}({})",
                    qn(&f.name),
                    strata_sql::identity_arguments(&f.arguments)
                ),
                owner: None,
                deps,
                data: Data::Function(plain),
            },
        );
        comment(&mut cat, &key, "FUNCTION", signature, &f.comment);
    }
    for a in &model.aggregates {
        let key = deps::agg_key(a);
        let mut deps = BTreeSet::new();
        schema_dep(model, &a.name.schema, &mut deps);
        for f in std::iter::once(&a.sfunc)
            .chain(a.finalfunc.as_ref())
            .chain(a.combinefunc.as_ref())
        {
            deps.extend(names.functions_named(f));
        }
        let mut sig = BTreeSet::new();
        names.refs(&format!("{} {}", a.arguments, a.stype), &mut sig);
        deps.extend(sig.into_iter().filter(|k| k.starts_with("type:")));
        let mut plain = a.clone();
        plain.comment = None;
        cat.add(
            key.clone(),
            Obj {
                kind: ObjectKind::Aggregate,
                name: format!("{}({})", qn(&a.name), a.arguments),
                owner: None,
                deps,
                data: Data::Aggregate(plain),
            },
        );
        comment(
            &mut cat,
            &key,
            "AGGREGATE",
            strata_sql::aggregate_signature(a),
            &a.comment,
        );
    }
    // Objects carried as SQL that tables may use (collations, types, servers) come first, so
    // a plan creates them before what uses them even where no name links the two.
    add_verbatim(&mut cat, model, &names, |stage| {
        stage <= VerbatimStage::BeforeTables
    });
    for s in &model.sequences {
        let key = seq_key(&s.name);
        let mut deps = BTreeSet::new();
        schema_dep(model, &s.name.schema, &mut deps);
        let mut plain = s.clone();
        plain.comment = None;
        plain.owned_by = None;
        let owner = s
            .owned_by
            .as_ref()
            .map(|(table, column)| col_key(table, column));
        cat.add(
            key.clone(),
            Obj {
                kind: ObjectKind::Sequence,
                name: qn(&s.name),
                owner: owner.clone(),
                deps,
                data: Data::Sequence(plain),
            },
        );
        if let Some((table, column)) = &s.owned_by {
            cat.add(
                format!("seqowner:{}", qn(&s.name)),
                Obj {
                    kind: ObjectKind::SequenceOwner,
                    name: qn(&s.name),
                    owner: Some(key.clone()),
                    deps: BTreeSet::from([key.clone(), col_key(table, column), rel_key(table)]),
                    data: Data::SeqOwner {
                        seq: s.name.clone(),
                        table: table.clone(),
                        column: column.clone(),
                    },
                },
            );
        }
        comment(&mut cat, &key, "SEQUENCE", s.name.quoted(), &s.comment);
    }
    for t in &model.tables {
        add_table(&mut cat, model, &names, t, &partitioned);
    }
    for v in &model.views {
        let key = rel_key(&v.name);
        let mut deps = BTreeSet::new();
        schema_dep(model, &v.name.schema, &mut deps);
        names.refs(&v.definition, &mut deps);
        deps.remove(&key);
        // Foreign tables (carried as SQL) it reads.
        for other in model.verbatim.iter().filter(|o| o.kind == "foreign table") {
            if mentions(&v.definition, other) {
                deps.insert(verbatim_key(other));
            }
        }
        let words = deps::words(&v.definition);
        for t in &model.tables {
            if deps.contains(&rel_key(&t.name)) {
                for c in &t.columns {
                    if words.contains(&c.name) {
                        deps.insert(col_key(&t.name, &c.name));
                    }
                }
            }
        }
        let mut plain = v.clone();
        plain.comment = None;
        plain.indexes.clear();
        let kind_word = if v.materialized {
            "MATERIALIZED VIEW"
        } else {
            "VIEW"
        };
        cat.add(
            key.clone(),
            Obj {
                kind: if v.materialized {
                    ObjectKind::MaterializedView
                } else {
                    ObjectKind::View
                },
                name: qn(&v.name),
                owner: None,
                deps,
                data: Data::View(plain),
            },
        );
        comment(&mut cat, &key, kind_word, v.name.quoted(), &v.comment);
        for i in &v.indexes {
            let ikey = format!("idx:{}.{}", v.name.schema, i.name);
            let mut deps = BTreeSet::from([key.clone()]);
            for k in &i.keys {
                if let IndexExpr::Expression(sql) = &k.expr {
                    names.refs(sql, &mut deps);
                }
            }
            deps.remove(&ikey);
            let mut plain = i.clone();
            plain.comment = None;
            plain.why = None;
            cat.add(
                ikey.clone(),
                Obj {
                    kind: ObjectKind::Index,
                    name: format!("{}.{}", v.name.schema, i.name),
                    owner: Some(key.clone()),
                    deps,
                    data: Data::Index {
                        table: v.name.clone(),
                        index: plain,
                        partitioned: false,
                    },
                },
            );
            comment(
                &mut cat,
                &ikey,
                "INDEX",
                strata_sql::index_name(&v.name, i).quoted(),
                &i.comment,
            );
        }
    }
    // The other objects carried as SQL, after the tables and views they use.
    add_verbatim(&mut cat, model, &names, |stage| {
        stage > VerbatimStage::BeforeTables
    });
    early_verbatim_uses(&mut cat, model);
    for g in &model.grants {
        let kind = g.object_kind.trim().to_ascii_uppercase();
        let target: Vec<String> = match kind.as_str() {
            "TABLE" | "VIEW" | "MATERIALIZED VIEW" | "FOREIGN TABLE" => vec![rel_key(&g.object)],
            "SEQUENCE" => vec![seq_key(&g.object)],
            "TYPE" | "DOMAIN" => vec![type_key(&g.object)],
            "SCHEMA" => {
                let name = if g.object.name.is_empty() {
                    &g.object.schema
                } else {
                    &g.object.name
                };
                vec![format!("schema:{name}")]
            }
            "FUNCTION" | "PROCEDURE" | "ROUTINE" => names.functions_named(&g.object),
            _ => Vec::new(),
        };
        // A grant on a foreign table (carried as SQL) comes after it.
        let target: Vec<String> = target
            .into_iter()
            .chain(
                model
                    .verbatim
                    .iter()
                    .filter(|v| v.kind == "foreign table" && v.name == qn(&g.object))
                    .map(verbatim_key),
            )
            .collect();
        let key = format!("grant:{kind}:{}:{}", qn(&g.object), g.grantee);
        let existing: BTreeSet<String> = target
            .iter()
            .filter(|k| cat.objs.contains_key(*k) || names.is_rel(k))
            .cloned()
            .collect();
        let mut plain = g.clone();
        crate::ownership::sort_privileges(&mut plain.privileges);
        cat.add(
            key,
            Obj {
                kind: ObjectKind::Grant,
                name: crate::ownership::grant_text(&plain),
                owner: existing.iter().next().cloned(),
                deps: existing,
                data: Data::Grant(plain),
            },
        );
    }
    cat
}

/// Expressions that name an object carried as SQL before the tables (a text search
/// configuration in a generated column or an index, a collation): the object comes first and
/// goes last. A column or check written inside `CREATE TABLE` makes its table wait too.
fn early_verbatim_uses(cat: &mut Catalog, model: &Model) {
    let early: Vec<(&VerbatimObject, String)> = model
        .verbatim
        .iter()
        .filter(|v| v.stage == VerbatimStage::BeforeTables)
        .map(|v| (v, verbatim_key(v)))
        .collect();
    if early.is_empty() {
        return;
    }
    let mut add: Vec<(String, String)> = Vec::new();
    for (key, obj) in &cat.objs {
        let texts: Vec<&String> = match &obj.data {
            Data::Column { column, .. } => column
                .default
                .iter()
                .chain(column.generated.iter())
                .collect(),
            Data::Check(_, c) => vec![&c.expression],
            Data::Index { index, .. } => index
                .keys
                .iter()
                .filter_map(|k| match &k.expr {
                    IndexExpr::Expression(e) => Some(e),
                    IndexExpr::Column(_) => None,
                })
                .chain(index.predicate.iter())
                .collect(),
            Data::View(v) => vec![&v.definition],
            Data::Policy(_, p) => p.using.iter().chain(p.with_check.iter()).collect(),
            Data::Trigger(_, t) => t.when.iter().collect(),
            Data::Domain(d) => d
                .default
                .iter()
                .chain(d.checks.iter().map(|c| &c.expression))
                .collect(),
            _ => Vec::new(),
        };
        for (v, vkey) in &early {
            let by_index = match &obj.data {
                Data::Index { index, .. } => index_uses(index, v),
                _ => false,
            };
            if by_index || texts.iter().any(|t| mentions(t, v) || uses_operator(t, v)) {
                add.push((key.clone(), vkey.clone()));
                if matches!(obj.data, Data::Column { .. } | Data::Check(..))
                    && let Some(owner) = &obj.owner
                {
                    add.push((owner.clone(), vkey.clone()));
                }
            }
        }
    }
    for (key, dep) in add {
        if let Some(obj) = cat.objs.get_mut(&key) {
            obj.deps.insert(dep);
        }
    }
}

/// Objects carried as SQL of the stages `wanted` accepts, with their dependencies.
fn add_verbatim(
    cat: &mut Catalog,
    model: &Model,
    names: &Names,
    wanted: impl Fn(VerbatimStage) -> bool,
) {
    for v in model.verbatim.iter().filter(|v| wanted(v.stage)) {
        let key = verbatim_key(v);
        let mut deps = BTreeSet::new();
        if let Some((schema, _)) = v.name.split_once('.') {
            schema_dep(model, schema, &mut deps);
        }
        names.refs(&v.sql, &mut deps);
        let owner = v.on.as_ref().map(rel_key);
        deps.extend(owner.clone());
        // The state of a trigger goes and comes back with it.
        if v.kind == "trigger state"
            && let Some(table) = &v.on
            && let Some(trigger) = v.name.strip_prefix(&format!("{}.", table))
        {
            deps.insert(format!("trg:{}.{trigger}", qn(table)));
        }
        // The storage parameters of a key's index go and come back with the key.
        if v.kind == "index settings"
            && let Some(table) = &v.on
            && let Some(key_name) = v.name.strip_prefix(&format!("{}.", table))
        {
            deps.insert(format!("con:{}.{key_name}", qn(table)));
        }
        // A comment on a constraint or policy goes and comes back with it.
        if v.kind == "comment"
            && let Some(table) = &v.on
            && let Some((word, rest)) = v.name.split_once(' ')
            && let Some(object) = rest.strip_prefix(&format!("{}.", table))
        {
            match word {
                // A key's index shares the key's name.
                "constraint" | "index" => {
                    deps.insert(format!("con:{}.{object}", qn(table)));
                    // A check carried as SQL (NO INHERIT).
                    let carried = format!("{}.{object}", qn(table));
                    if model
                        .verbatim
                        .iter()
                        .any(|o| o.kind == "constraint" && o.name == carried)
                    {
                        deps.insert(format!("verbatim:constraint:{carried}"));
                    }
                }
                "policy" => {
                    deps.insert(format!("pol:{}.{object}", qn(table)));
                }
                _ => {}
            }
        }
        // Verbatim objects of earlier stages it names (a collation, a procedure, the server of
        // a foreign table, the wrapper of a server).
        for other in &model.verbatim {
            let named = match other.kind.as_str() {
                "server" => v.sql.contains(&format!(
                    "SERVER {}",
                    strata_model::quote_ident(&other.name)
                )),
                "foreign data wrapper" => v.sql.contains(&format!(
                    "FOREIGN DATA WRAPPER {}",
                    strata_model::quote_ident(&other.name)
                )),
                // An access method is named bare.
                "access method" => v.sql.contains(&format!(
                    "ACCESS METHOD {}",
                    strata_model::quote_ident(&other.name)
                )),
                // A family never waits for a class (they often share a name).
                "operator class" if v.kind == "operator family" => false,
                _ => mentions(&v.sql, other) || names_operator(&v.sql, other),
            };
            if other.stage <= v.stage && !std::ptr::eq(other, v) && named {
                deps.insert(verbatim_key(other));
            }
        }
        deps.remove(&key);
        cat.add(
            key,
            Obj {
                kind: ObjectKind::Verbatim,
                name: format!("{} {}", v.kind, v.name),
                owner,
                deps,
                data: Data::Verbatim(v.clone()),
            },
        );
    }
}

/// Whether an index is built with an operator class or an access method carried as SQL. The
/// model names an operator class of `public` bare, any other schema-qualified.
fn index_uses(index: &strata_model::Index, v: &VerbatimObject) -> bool {
    match v.kind.as_str() {
        "access method" => index.method == v.name,
        "operator class" => {
            let Some((schema, name)) = v.name.split_once('.') else {
                return false;
            };
            let qualified = QualifiedName::new(schema, name).quoted();
            index.keys.iter().any(|k| {
                k.opclass
                    .as_deref()
                    .is_some_and(|o| o == qualified || (schema == "public" && o == name))
            })
        }
        _ => false,
    }
}

/// Whether the SQL of another object carried as SQL (an operator class, a family) names an
/// operator carried as SQL, as `regoperator` prints it: `public.=~=(text,text)`.
fn names_operator(sql: &str, v: &VerbatimObject) -> bool {
    if v.kind != "operator" {
        return false;
    }
    let bare = v.name.split('(').next().unwrap_or(&v.name);
    let Some((schema, op)) = bare.split_once('.') else {
        return false;
    };
    sql.contains(&format!("{}.{op}(", strata_model::quote_ident(schema)))
}

/// Whether an expression calls an operator carried as SQL: the server prints it as
/// `OPERATOR(public.=~=)` (the schema is never on the search path it prints with).
fn uses_operator(sql: &str, v: &VerbatimObject) -> bool {
    if v.kind != "operator" {
        return false;
    }
    let bare = v.name.split('(').next().unwrap_or(&v.name);
    let Some((schema, op)) = bare.split_once('.') else {
        return false;
    };
    sql.contains(&format!(
        "OPERATOR({}.{op})",
        strata_model::quote_ident(schema)
    ))
}

pub(crate) fn verbatim_key(v: &VerbatimObject) -> String {
    format!("verbatim:{}:{}", v.kind, v.name)
}

/// Whether `sql` names a verbatim object (by its qualified name without a signature, as
/// the server prints it: `public.ci`, `public.tidy`).
fn mentions(sql: &str, v: &VerbatimObject) -> bool {
    let bare = v.name.split('(').next().unwrap_or(&v.name);
    let Some((schema, name)) = bare.split_once('.') else {
        return false;
    };
    let qualified = QualifiedName::new(schema, name).quoted();
    sql.match_indices(qualified.as_str()).any(|(i, _)| {
        let after = sql[i + qualified.len()..].chars().next();
        let before = sql[..i].chars().next_back();
        !after.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '.')
            && !before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '.')
    })
}

fn add_table(
    cat: &mut Catalog,
    model: &Model,
    names: &Names,
    t: &Table,
    partitioned: &BTreeSet<&QualifiedName>,
) {
    let key = rel_key(&t.name);
    let is_partition = t.partition_of.is_some();
    let mut table_deps = BTreeSet::new();
    schema_dep(model, &t.name.schema, &mut table_deps);
    if let Some(of) = &t.partition_of {
        table_deps.insert(rel_key(&of.parent));
    }
    for parent in &t.inherits {
        table_deps.insert(rel_key(parent));
    }
    // Sub-objects written inside CREATE TABLE: their dependencies are the table's.
    let mut inline_deps = BTreeSet::new();
    let mut sub: Vec<(String, Obj)> = Vec::new();
    for c in &t.columns {
        let ckey = col_key(&t.name, &c.name);
        let mut deps = BTreeSet::from([key.clone()]);
        names.type_ref(&c.data_type, &mut deps);
        for sql in c.default.iter().chain(c.generated.iter()) {
            names.refs(sql, &mut deps);
        }
        // A composite or range type carried as SQL is created before the table.
        if let Some(name) = c.data_type.qualified() {
            let bare = c.data_type.base_name();
            let qualified = format!("{}.{}", name.schema, bare);
            deps.extend(
                model
                    .verbatim
                    .iter()
                    .filter(|v| v.kind == "type" && v.name == qualified)
                    .map(verbatim_key),
            );
        }
        // A collation of a user schema, carried as SQL, is created before the table.
        if let (Some(schema), Some(name)) = (&c.collation_schema, &c.collation) {
            let qualified = format!("{schema}.{name}");
            deps.extend(
                model
                    .verbatim
                    .iter()
                    .filter(|v| v.kind == "collation" && v.name == qualified)
                    .map(verbatim_key),
            );
        }
        if let Some(g) = &c.generated {
            column_refs(t, g, &mut deps);
        }
        deps.remove(&ckey);
        deps.remove(&key);
        inline_deps.extend(deps.iter().filter(|d| !d.starts_with("col:")).cloned());
        deps.insert(key.clone());
        let mut plain = c.clone();
        plain.comment = None;
        plain.origin = Default::default();
        sub.push((
            ckey.clone(),
            Obj {
                kind: ObjectKind::Column,
                name: format!("{}.{}", qn(&t.name), c.name),
                owner: Some(key.clone()),
                deps,
                data: Data::Column {
                    table: t.name.clone(),
                    column: Box::new(plain),
                    partition: is_partition,
                },
            },
        ));
    }
    let con_key = |name: &str| format!("con:{}.{name}", qn(&t.name));
    let cols = |columns: &[String]| -> BTreeSet<String> {
        columns.iter().map(|c| col_key(&t.name, c)).collect()
    };
    // A temporal key (WITHOUT OVERLAPS) is a GiST index over its scalar columns too, whose
    // operator classes come from btree_gist.
    let temporal_deps = |deps: &mut BTreeSet<String>| {
        if model.extensions.iter().any(|e| e.name == "btree_gist") {
            deps.insert("extension:btree_gist".to_string());
        }
    };
    if let Some(pk) = &t.primary_key {
        let mut deps = cols(&pk.columns);
        deps.insert(key.clone());
        if pk.without_overlaps {
            temporal_deps(&mut deps);
        }
        sub.push((
            con_key(&pk.name),
            Obj {
                kind: ObjectKind::PrimaryKey,
                name: format!("{}.{}", qn(&t.name), pk.name),
                owner: Some(key.clone()),
                deps,
                data: Data::PrimaryKey(t.name.clone(), pk.clone()),
            },
        ));
    }
    for u in &t.uniques {
        let mut deps = cols(&u.columns);
        deps.insert(key.clone());
        if u.without_overlaps {
            temporal_deps(&mut deps);
        }
        let mut plain = u.clone();
        plain.why = None;
        sub.push((
            con_key(&u.name),
            Obj {
                kind: ObjectKind::Unique,
                name: format!("{}.{}", qn(&t.name), u.name),
                owner: Some(key.clone()),
                deps,
                data: Data::Unique(t.name.clone(), plain),
            },
        ));
    }
    for c in &t.checks {
        let mut deps = BTreeSet::from([key.clone()]);
        column_refs(t, &c.expression, &mut deps);
        let mut refs = BTreeSet::new();
        names.refs(&c.expression, &mut refs);
        refs.remove(&key);
        inline_deps.extend(refs.iter().cloned());
        deps.extend(refs);
        let mut plain = c.clone();
        plain.why = None;
        sub.push((
            con_key(&c.name),
            Obj {
                kind: ObjectKind::Check,
                name: format!("{}.{}", qn(&t.name), c.name),
                owner: Some(key.clone()),
                deps,
                data: Data::Check(t.name.clone(), plain),
            },
        ));
    }
    for x in &t.exclusions {
        let mut deps = BTreeSet::from([key.clone()]);
        for e in &x.elements {
            index_expr_deps(t, names, &e.key.expr, &mut deps);
        }
        if let Some(p) = &x.predicate {
            column_refs(t, p, &mut deps);
            names.refs(p, &mut deps);
        }
        deps.remove(&rel_key(&t.name));
        inline_deps.extend(deps.iter().filter(|d| !d.starts_with("col:")).cloned());
        deps.insert(key.clone());
        let mut plain = x.clone();
        plain.why = None;
        sub.push((
            con_key(&x.name),
            Obj {
                kind: ObjectKind::Exclusion,
                name: format!("{}.{}", qn(&t.name), x.name),
                owner: Some(key.clone()),
                deps,
                data: Data::Exclusion(t.name.clone(), plain),
            },
        ));
    }
    table_deps.extend(inline_deps);
    table_deps.remove(&key);
    let mut plain = t.clone();
    plain.origin = Default::default();
    cat.add(
        key.clone(),
        Obj {
            kind: ObjectKind::Table,
            name: qn(&t.name),
            owner: None,
            deps: table_deps,
            data: Data::Table(Box::new(plain)),
        },
    );
    for (k, o) in sub {
        cat.add(k, o);
    }
    for fk in &t.foreign_keys {
        let mut deps = cols(&fk.columns);
        deps.insert(key.clone());
        deps.insert(rel_key(&fk.ref_table));
        for c in &fk.ref_columns {
            deps.insert(col_key(&fk.ref_table, c));
        }
        if let Some(target) = model.table(&fk.ref_table) {
            let same = |key: &[String]| {
                key.len() == fk.ref_columns.len() && fk.ref_columns.iter().all(|c| key.contains(c))
            };
            let ref_con = |name: &str| format!("con:{}.{name}", qn(&fk.ref_table));
            if let Some(pk) = target.primary_key.as_ref().filter(|pk| same(&pk.columns)) {
                deps.insert(ref_con(&pk.name));
            }
            for u in target.uniques.iter().filter(|u| same(&u.columns)) {
                deps.insert(ref_con(&u.name));
            }
            for i in target.indexes.iter().filter(|i| {
                i.unique
                    && i.predicate.is_none()
                    && same(
                        &i.keys
                            .iter()
                            .filter_map(|k| k.column_name().map(str::to_string))
                            .collect::<Vec<_>>(),
                    )
            }) {
                deps.insert(format!("idx:{}.{}", fk.ref_table.schema, i.name));
            }
        }
        let mut plain = fk.clone();
        plain.relation = None;
        plain.inverse = None;
        plain.why = None;
        cat.add(
            con_key(&fk.name),
            Obj {
                kind: ObjectKind::ForeignKey,
                name: format!("{}.{}", qn(&t.name), fk.name),
                owner: Some(key.clone()),
                deps,
                data: Data::ForeignKey(t.name.clone(), plain),
            },
        );
    }
    for i in &t.indexes {
        let ikey = format!("idx:{}.{}", t.name.schema, i.name);
        let mut deps = BTreeSet::from([key.clone()]);
        for k in &i.keys {
            index_expr_deps(t, names, &k.expr, &mut deps);
        }
        for c in &i.include {
            deps.insert(col_key(&t.name, c));
        }
        if let Some(p) = &i.predicate {
            column_refs(t, p, &mut deps);
            names.refs(p, &mut deps);
        }
        let mut plain = i.clone();
        plain.comment = None;
        plain.why = None;
        cat.add(
            ikey.clone(),
            Obj {
                kind: ObjectKind::Index,
                name: format!("{}.{}", t.name.schema, i.name),
                owner: Some(key.clone()),
                deps,
                data: Data::Index {
                    table: t.name.clone(),
                    index: plain,
                    partitioned: partitioned.contains(&t.name),
                },
            },
        );
        comment(
            cat,
            &ikey,
            "INDEX",
            strata_sql::index_name(&t.name, i).quoted(),
            &i.comment,
        );
    }
    for tr in &t.triggers {
        let tkey = format!("trg:{}.{}", qn(&t.name), tr.name);
        let mut deps = BTreeSet::from([key.clone()]);
        deps.extend(names.functions_named(&tr.function));
        for e in &tr.events {
            if let TriggerEvent::Update(columns) = e {
                for c in columns {
                    deps.insert(col_key(&t.name, c));
                }
            }
        }
        if let Some(w) = &tr.when {
            column_refs(t, w, &mut deps);
            names.func_refs(w, &mut deps);
        }
        let mut plain = tr.clone();
        plain.comment = None;
        plain.why = None;
        cat.add(
            tkey.clone(),
            Obj {
                kind: ObjectKind::Trigger,
                name: format!("{} on {}", tr.name, qn(&t.name)),
                owner: Some(key.clone()),
                deps,
                data: Data::Trigger(t.name.clone(), plain),
            },
        );
        comment(
            cat,
            &tkey,
            "TRIGGER",
            format!(
                "{} ON {}",
                strata_model::quote_ident(&tr.name),
                t.name.quoted()
            ),
            &tr.comment,
        );
    }
    for p in &t.policies {
        let pkey = format!("pol:{}.{}", qn(&t.name), p.name);
        let mut deps = BTreeSet::from([key.clone()]);
        for sql in p.using.iter().chain(p.with_check.iter()) {
            column_refs(t, sql, &mut deps);
            names.refs(sql, &mut deps);
        }
        let mut plain = p.clone();
        plain.why = None;
        cat.add(
            pkey,
            Obj {
                kind: ObjectKind::Policy,
                name: format!("{} on {}", p.name, qn(&t.name)),
                owner: Some(key.clone()),
                deps,
                data: Data::Policy(t.name.clone(), plain),
            },
        );
    }
    comment(cat, &key, "TABLE", t.name.quoted(), &t.comment);
    for c in &t.columns {
        let ckey = col_key(&t.name, &c.name);
        comment(
            cat,
            &ckey,
            "COLUMN",
            format!("{}.{}", t.name.quoted(), strata_model::quote_ident(&c.name)),
            &c.comment,
        );
    }
}
