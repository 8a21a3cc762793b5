//! Tables, partitions, views, materialized views and everything hanging off a table:
//! columns, constraints, indexes, triggers, row-level security and policies.

use std::collections::{BTreeMap, HashMap};

use strata_model::{
    CheckConstraint, Column, Deferrable, ExclusionConstraint, ExclusionElement, FkAction, FkMatch,
    ForeignKey, Identity, Index, IndexExpr, IndexKey, PartitionBy, PartitionOf, PartitionStrategy,
    Policy, PolicyCommand, PrimaryKey, QualifiedName, Table, Trigger, TriggerEvent, TriggerTiming,
    TypeRef, UniqueConstraint, VerbatimObject, VerbatimStage, View,
};

use super::{Context, IntrospectError, get};

/// Where a relation's pieces go.
enum Rel {
    Table(usize),
    View(usize),
    /// Read for warnings only (foreign tables) or excluded.
    Skip,
}

struct Relations {
    by_oid: HashMap<u32, (Rel, QualifiedName)>,
}

impl Relations {
    fn get(&self, oid: u32) -> Option<(&Rel, &QualifiedName)> {
        self.by_oid.get(&oid).map(|(r, n)| (r, n))
    }
}

pub fn read(cx: &mut Context<'_, '_>) -> Result<(), IntrospectError> {
    let rels = relations(cx)?;
    columns(cx, &rels)?;
    let constraint_indexes = indexes(cx, &rels)?;
    constraints(cx, &rels, &constraint_indexes)?;
    triggers(cx, &rels)?;
    policies(cx, &rels)
}

fn relations(cx: &mut Context<'_, '_>) -> Result<Relations, IntrospectError> {
    const Q: &str = "relations";
    let mut by_oid = HashMap::new();
    for row in cx.query(Q, include_str!("queries/relations.sql"))? {
        let oid: u32 = get(&row, Q, "oid")?;
        let name = QualifiedName::new(
            get::<String>(&row, Q, "nspname")?,
            get::<String>(&row, Q, "relname")?,
        );
        if cx.excluded(&name) {
            by_oid.insert(oid, (Rel::Skip, name));
            continue;
        }
        let relkind: String = get(&row, Q, "relkind")?;
        let comment: Option<String> = get(&row, Q, "comment")?;
        let options: Vec<String> = get(&row, Q, "reloptions")?;
        match relkind.as_str() {
            "v" | "m" => {
                let definition: Option<String> = get(&row, Q, "definition")?;
                let definition = definition.unwrap_or_default();
                let definition = definition.trim_end().trim_end_matches(';').to_string();
                cx.model.views.push(View {
                    name: name.clone(),
                    definition,
                    materialized: relkind == "m",
                    indexes: Vec::new(),
                    comment,
                    options,
                });
                by_oid.insert(oid, (Rel::View(cx.model.views.len() - 1), name));
            }
            // Carried as SQL (verbatim.rs).
            "f" => {
                by_oid.insert(oid, (Rel::Skip, name));
            }
            _ => {
                let mut table = Table::new(name.clone());
                table.comment = comment;
                table.options = options;
                table.unlogged = get(&row, Q, "unlogged")?;
                table.rls_enabled = get(&row, Q, "relrowsecurity")?;
                table.rls_forced = get(&row, Q, "relforcerowsecurity")?;
                let schemas: Vec<String> = get(&row, Q, "inherits_schemas")?;
                let names: Vec<String> = get(&row, Q, "inherits_names")?;
                table.inherits = schemas
                    .into_iter()
                    .zip(names)
                    .map(|(s, n)| QualifiedName::new(s, n))
                    .collect();
                if get::<bool>(&row, Q, "relispartition")? {
                    let parent = match (
                        get::<Option<String>>(&row, Q, "parent_schema")?,
                        get::<Option<String>>(&row, Q, "parent_name")?,
                    ) {
                        (Some(s), Some(n)) => Some(QualifiedName::new(s, n)),
                        _ => None,
                    };
                    if let Some(parent) = parent {
                        table.partition_of = Some(PartitionOf {
                            parent,
                            bound: get::<Option<String>>(&row, Q, "bound")?.unwrap_or_default(),
                        });
                    }
                }
                if relkind == "p" {
                    table.partition_by = partition_by(&row)?;
                }
                cx.model.tables.push(table);
                by_oid.insert(oid, (Rel::Table(cx.model.tables.len() - 1), name));
            }
        }
    }
    Ok(Relations { by_oid })
}

/// The partition key from `pg_get_partkeydef` (`RANGE (a, lower(b))`): key `i` is a column
/// where `partattrs[i]` is not 0, else the expression printed at that position; a collation
/// or operator class it prints after a key is kept with the key.
fn partition_by(row: &postgres::Row) -> Result<Option<PartitionBy>, IntrospectError> {
    const Q: &str = "relations";
    let strategy = match get::<Option<String>>(row, Q, "partstrat")?.as_deref() {
        Some("r") => PartitionStrategy::Range,
        Some("l") => PartitionStrategy::List,
        Some("h") => PartitionStrategy::Hash,
        _ => return Ok(None),
    };
    let def: String = get::<Option<String>>(row, Q, "partkey")?.unwrap_or_default();
    let attrs: Vec<i16> = get::<Option<Vec<i16>>>(row, Q, "partattrs")?.unwrap_or_default();
    let opclasses: Vec<Option<String>> =
        get::<Option<Vec<Option<String>>>>(row, Q, "partopclasses")?.unwrap_or_default();
    let inner = def
        .find('(')
        .and_then(|start| def.rfind(')').map(|end| &def[start + 1..end]))
        .unwrap_or("");
    let parts = split_top_level(inner);
    let mut keys = Vec::new();
    let mut collations = Vec::new();
    for (i, part) in parts.iter().enumerate() {
        // `key [COLLATE collation] [opclass]`, as pg_get_partkeydef prints it.
        let mut text = part.trim();
        if let Some(Some(opclass)) = opclasses.get(i)
            && let Some(rest) = text.strip_suffix(opclass.as_str())
        {
            text = rest.trim_end();
        }
        let collation = top_level_collate(text);
        if let Some((rest, _)) = collation {
            text = rest;
        }
        collations.push(collation.map(|(_, c)| c.to_string()));
        if attrs.get(i).is_some_and(|a| *a != 0) {
            keys.push(IndexExpr::Column(unquote_ident(text)));
        } else {
            let expr = text
                .strip_prefix('(')
                .and_then(|t| t.strip_suffix(')'))
                .unwrap_or(text);
            keys.push(IndexExpr::Expression(expr.to_string()));
        }
    }
    let opclasses = if opclasses.iter().all(Option::is_none) {
        Vec::new()
    } else {
        opclasses
    };
    let collations = if collations.iter().all(Option::is_none) {
        Vec::new()
    } else {
        collations
    };
    Ok(Some(PartitionBy {
        strategy,
        keys,
        collations,
        opclasses,
    }))
}

/// `expr COLLATE coll` → (`expr`, `coll`) when the last `COLLATE` is outside parentheses and
/// quotes; `None` otherwise.
fn top_level_collate(text: &str) -> Option<(&str, &str)> {
    let mut depth = 0i32;
    let mut quote: Option<char> = None;
    let mut found = None;
    for (i, c) in text.char_indices() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None => match c {
                '\'' | '"' => quote = Some(c),
                '(' => depth += 1,
                ')' => depth -= 1,
                ' ' if depth == 0 && text[i..].starts_with(" COLLATE ") => found = Some(i),
                _ => {}
            },
        }
    }
    found.map(|i| (text[..i].trim_end(), text[i + " COLLATE ".len()..].trim()))
}

/// `"Mixed Case"` → `Mixed Case`; `plain` → `plain`.
fn unquote_ident(text: &str) -> String {
    match text.strip_prefix('"').and_then(|t| t.strip_suffix('"')) {
        Some(inner) => inner.replace("\"\"", "\""),
        None => text.to_string(),
    }
}

/// Splits at commas outside parentheses and quotes.
fn split_top_level(text: &str) -> Vec<String> {
    let mut parts = Vec::new();
    let mut current = String::new();
    let mut depth = 0i32;
    let mut quote: Option<char> = None;
    for c in text.chars() {
        match quote {
            Some(q) => {
                if c == q {
                    quote = None;
                }
                current.push(c);
            }
            None => match c {
                '\'' | '"' => {
                    quote = Some(c);
                    current.push(c);
                }
                '(' | '[' => {
                    depth += 1;
                    current.push(c);
                }
                ')' | ']' => {
                    depth -= 1;
                    current.push(c);
                }
                ',' if depth == 0 => parts.push(std::mem::take(&mut current)),
                _ => current.push(c),
            },
        }
    }
    if !current.trim().is_empty() {
        parts.push(current);
    }
    parts
}

fn columns(cx: &mut Context<'_, '_>, rels: &Relations) -> Result<(), IntrospectError> {
    const Q: &str = "columns";
    for row in cx.query(Q, include_str!("queries/columns.sql"))? {
        let relid: u32 = get(&row, Q, "attrelid")?;
        let Some((rel, rel_name)) = rels.get(relid) else {
            continue;
        };
        let name: String = get(&row, Q, "attname")?;
        let object = format!("{rel_name}.{name}");
        let comment: Option<String> = get(&row, Q, "comment")?;
        let idx = match rel {
            Rel::Skip => continue,
            Rel::View(_) => {
                // Carried as SQL, recreated with the view.
                if let Some(text) = comment {
                    let target = format!(
                        "COMMENT ON COLUMN {}.{}",
                        rel_name.quoted(),
                        strata_model::quote_ident(&name)
                    );
                    cx.model.verbatim.push(VerbatimObject {
                        kind: "comment".into(),
                        name: format!("column {object}"),
                        stage: VerbatimStage::Last,
                        sql: format!("{target} IS {};", strata_model::quote_literal(&text)),
                        drop: format!("{target} IS NULL;"),
                        on: Some(rel_name.clone()),
                    });
                }
                continue;
            }
            Rel::Table(i) => *i,
        };
        let dims: i32 = get(&row, Q, "dims")?;
        let data_type = TypeRef {
            schema: get(&row, Q, "type_schema")?,
            name: get(&row, Q, "type_name")?,
            array_dims: u8::try_from(dims).unwrap_or(1),
        };
        let mut column = Column::new(name, data_type);
        column.nullable = !get::<bool>(&row, Q, "attnotnull")?;
        // A column only inherited (not declared by the table too) comes from the parent.
        column.inherited =
            !get::<bool>(&row, Q, "attislocal")? && !cx.model.tables[idx].inherits.is_empty();
        let default: Option<String> = get(&row, Q, "default_expr")?;
        let generated: String = get(&row, Q, "generated")?;
        if generated == "s" || generated == "v" {
            column.generated = default;
            column.generated_virtual = generated == "v";
        } else {
            column.default = default;
        }
        column.identity = match get::<String>(&row, Q, "identity")?.as_str() {
            "a" => Some(Identity::Always),
            "d" => Some(Identity::ByDefault),
            _ => None,
        };
        let collation: Option<String> = get(&row, Q, "collation")?;
        let collation_schema: Option<String> = get(&row, Q, "collation_schema")?;
        if collation.is_some() {
            column.collation_schema = collation_schema.filter(|s| s != "pg_catalog");
        }
        column.collation = collation;
        column.comment = comment;
        column.storage = get::<Option<String>>(&row, Q, "storage")?.and_then(|s| {
            Some(
                match s.as_str() {
                    "p" => "plain",
                    "e" => "external",
                    "m" => "main",
                    "x" => "extended",
                    _ => return None,
                }
                .to_string(),
            )
        });
        column.compression = match get::<String>(&row, Q, "compression")?.as_str() {
            "" => None,
            "p" => Some("pglz".to_string()),
            "l" => Some("lz4".to_string()),
            other => Some(other.to_string()),
        };
        column.options = get::<Option<Vec<String>>>(&row, Q, "options")?.unwrap_or_default();
        // -1 (NULL from PostgreSQL 17) is the default target.
        column.statistics = get::<Option<i32>>(&row, Q, "stattarget")?.filter(|s| *s >= 0);
        cx.model.tables[idx].columns.push(column);
    }
    Ok(())
}

/// What an index looks like, for the constraints (unique, exclusion) that own one.
struct IndexInfo {
    index: Index,
}

fn indexes(
    cx: &mut Context<'_, '_>,
    rels: &Relations,
) -> Result<HashMap<(u32, String), IndexInfo>, IntrospectError> {
    const Q: &str = "indexes";
    let mut owned = HashMap::new();
    for row in cx.query(Q, include_str!("queries/indexes.sql"))? {
        let relid: u32 = get(&row, Q, "indrelid")?;
        let Some((rel, rel_name)) = rels.get(relid) else {
            continue;
        };
        let name: String = get(&row, Q, "relname")?;
        let object = format!("{}.{name}", rel_name.schema);
        let nkey = usize::try_from(get::<i16>(&row, Q, "indnkeyatts")?).unwrap_or(0);
        let columns: Vec<Option<String>> = get(&row, Q, "key_columns")?;
        let defs: Vec<String> = get(&row, Q, "key_defs")?;
        let opclasses: Vec<Option<String>> = get(&row, Q, "opclasses")?;
        let collations: Vec<Option<String>> = get(&row, Q, "collations")?;
        let options: Vec<i16> = get(&row, Q, "options")?;
        let mut keys = Vec::new();
        for i in 0..nkey {
            let expr = match columns.get(i).cloned().flatten() {
                Some(c) => IndexExpr::Column(c),
                None => {
                    let def = defs.get(i).cloned().unwrap_or_default();
                    let def = def
                        .strip_prefix('(')
                        .and_then(|d| d.strip_suffix(')'))
                        .map(str::to_string)
                        .unwrap_or(def);
                    IndexExpr::Expression(def)
                }
            };
            let option = options.get(i).copied().unwrap_or(0);
            let descending = option & 1 != 0;
            let nulls_first = option & 2 != 0;
            keys.push(IndexKey {
                expr,
                opclass: opclasses.get(i).cloned().flatten(),
                collation: collations.get(i).cloned().flatten(),
                descending,
                // The default is NULLS LAST for ASC and NULLS FIRST for DESC.
                nulls_first: (nulls_first != descending).then_some(nulls_first),
            });
        }
        let include: Vec<String> = columns.iter().skip(nkey).flatten().cloned().collect();
        let index = Index {
            name: name.clone(),
            unique: get(&row, Q, "indisunique")?,
            method: get(&row, Q, "amname")?,
            keys,
            include,
            predicate: get(&row, Q, "predicate")?,
            nulls_not_distinct: get(&row, Q, "indnullsnotdistinct")?,
            comment: get(&row, Q, "comment")?,
            why: None,
            options: get::<Vec<String>>(&row, Q, "reloptions")?,
        };
        let owner: Option<String> = get(&row, Q, "owner_contype")?;
        if let Some(conname) = get::<Option<String>>(&row, Q, "owner_conname")?
            && owner.is_some()
        {
            // The comment and storage parameters of a key's index are carried as SQL on the
            // constraint (they go and come back with it).
            let index_name = QualifiedName::new(rel_name.schema.clone(), name.clone()).quoted();
            if let Some(text) = &index.comment {
                cx.model.verbatim.push(VerbatimObject {
                    kind: "comment".into(),
                    name: format!("index {rel_name}.{conname}"),
                    stage: VerbatimStage::Last,
                    sql: format!(
                        "COMMENT ON INDEX {index_name} IS {};",
                        strata_model::quote_literal(text)
                    ),
                    drop: format!("COMMENT ON INDEX {index_name} IS NULL;"),
                    on: Some(rel_name.clone()),
                });
            }
            let partitioned = matches!(rel, Rel::Table(i)
                if cx.model.tables.get(*i).is_some_and(|t| t.partition_by.is_some()));
            if !index.options.is_empty() && partitioned {
                cx.warn(
                    "index",
                    object.clone(),
                    "storage parameters of the index of a partitioned table's key are not \
                     modelled (PostgreSQL sets them only when the key is added): add the key \
                     again with WITH (...) after applying",
                );
            } else if !index.options.is_empty() {
                let (set, reset): (Vec<String>, Vec<String>) = index
                    .options
                    .iter()
                    .map(|o| {
                        let (key, value) = o.split_once('=').unwrap_or((o.as_str(), ""));
                        (
                            format!("{key}={}", strata_model::quote_literal(value)),
                            key.to_string(),
                        )
                    })
                    .unzip();
                cx.model.verbatim.push(VerbatimObject {
                    kind: "index settings".into(),
                    name: format!("{rel_name}.{conname}"),
                    stage: VerbatimStage::Last,
                    sql: format!("ALTER INDEX {index_name} SET ({});", set.join(", ")),
                    drop: format!("ALTER INDEX {index_name} RESET ({});", reset.join(", ")),
                    on: Some(rel_name.clone()),
                });
            }
            owned.insert((relid, conname), IndexInfo { index });
            continue;
        }
        // Cloned from the partitioned parent's index: the parent's index stands for it.
        if get::<bool>(&row, Q, "attached")? {
            continue;
        }
        if !get::<bool>(&row, Q, "indisvalid")? {
            cx.warn(
                "index",
                object.clone(),
                "is INVALID (a failed concurrent build); it is read as if valid: drop it and build it again",
            );
        }
        match rel {
            Rel::Table(i) => cx.model.tables[*i].indexes.push(index),
            Rel::View(i) => cx.model.views[*i].indexes.push(index),
            Rel::Skip => {}
        }
    }
    Ok(owned)
}

/// A comment on a constraint or policy, carried as SQL: named `constraint public.t.c` (kind
/// `comment`), so a plan recreates it with the object it is on.
fn comment_on(
    keyword: &str,
    word: &str,
    table: &QualifiedName,
    name: &str,
    text: &str,
) -> VerbatimObject {
    let target = format!(
        "COMMENT ON {keyword} {} ON {}",
        strata_model::quote_ident(name),
        table.quoted()
    );
    VerbatimObject {
        kind: "comment".into(),
        name: format!("{word} {table}.{name}"),
        stage: VerbatimStage::Last,
        sql: format!("{target} IS {};", strata_model::quote_literal(text)),
        drop: format!("{target} IS NULL;"),
        on: Some(table.clone()),
    }
}

fn deferrable(deferrable: bool, deferred: bool) -> Deferrable {
    match (deferrable, deferred) {
        (false, _) => Deferrable::NotDeferrable,
        (true, false) => Deferrable::InitiallyImmediate,
        (true, true) => Deferrable::InitiallyDeferred,
    }
}

fn fk_action(code: &str) -> FkAction {
    match code {
        "r" => FkAction::Restrict,
        "c" => FkAction::Cascade,
        "n" => FkAction::SetNull,
        "d" => FkAction::SetDefault,
        _ => FkAction::NoAction,
    }
}

fn constraints(
    cx: &mut Context<'_, '_>,
    rels: &Relations,
    owned: &HashMap<(u32, String), IndexInfo>,
) -> Result<(), IntrospectError> {
    const Q: &str = "constraints";
    for row in cx.query(Q, include_str!("queries/constraints.sql"))? {
        let relid: u32 = get(&row, Q, "conrelid")?;
        let Some((Rel::Table(idx), rel_name)) = rels.get(relid) else {
            continue;
        };
        let idx = *idx;
        let name: String = get(&row, Q, "conname")?;
        let object = format!("{rel_name}.{name}");
        let contype: String = get(&row, Q, "contype")?;
        // Cloned from a partitioned parent, or inherited and not declared here: the
        // parent's constraint stands for it.
        if get::<bool>(&row, Q, "from_parent")? || !get::<bool>(&row, Q, "conislocal")? {
            continue;
        }
        // Constraints the model does not break down are carried as SQL, after the tables
        // (and the tables that inherit), before their comments: a check its children do not
        // inherit (NO INHERIT), a foreign key that sets only some columns on delete
        // (`ON DELETE SET NULL (col)`), a unique constraint with INCLUDE columns that no
        // foreign key references (one that is referenced must exist before the keys: warned).
        let index = owned.get(&(relid, name.clone())).map(|i| &i.index);
        let carried = match contype.as_str() {
            "c" => get::<bool>(&row, Q, "connoinherit")?,
            "f" => get::<bool>(&row, Q, "delete_set_columns")?,
            "u" => {
                index.is_some_and(|i| !i.include.is_empty()) && !get::<bool>(&row, Q, "referenced")?
            }
            _ => false,
        };
        // A NOT ENFORCED constraint (PostgreSQL 18) is never validated either: it is not a
        // NOT VALID one waiting to be. Carried ones keep both through their definition.
        let not_enforced = !get::<bool>(&row, Q, "conenforced")?;
        let not_valid = !get::<bool>(&row, Q, "convalidated")? && !not_enforced;
        if carried {
            let table = rel_name.quoted();
            let constraint = strata_model::quote_ident(&name);
            let def: String = get(&row, Q, "condef")?;
            cx.model.verbatim.push(VerbatimObject {
                kind: "constraint".into(),
                name: object.clone(),
                stage: VerbatimStage::Last,
                sql: format!("ALTER TABLE {table}\n    ADD CONSTRAINT {constraint} {def};"),
                // IF EXISTS: dropping a column drops the constraints on it.
                drop: format!("ALTER TABLE {table} DROP CONSTRAINT IF EXISTS {constraint};"),
                on: Some(rel_name.clone()),
            });
        }
        if let Some(text) = get::<Option<String>>(&row, Q, "comment")? {
            cx.model.verbatim.push(comment_on(
                "CONSTRAINT",
                "constraint",
                rel_name,
                &name,
                &text,
            ));
        }
        if carried {
            continue;
        }
        if not_valid && !matches!(contype.as_str(), "c" | "f") {
            cx.warn(
                "constraint",
                object.clone(),
                "is NOT VALID; the model holds it as validated: validate it (ALTER TABLE ... VALIDATE CONSTRAINT)",
            );
        }
        if contype == "n" && get::<bool>(&row, Q, "connoinherit")? {
            cx.warn("constraint", object.clone(), "NO INHERIT is not modelled: add it again after applying (ALTER TABLE ... ADD ... NO INHERIT)");
        }
        let columns: Vec<String> = get(&row, Q, "columns")?;
        let period: bool = get(&row, Q, "period")?;
        let defer = deferrable(get(&row, Q, "condeferrable")?, get(&row, Q, "condeferred")?);
        let table = &mut cx.model.tables[idx];
        match contype.as_str() {
            "p" => {
                let table = &mut cx.model.tables[idx];
                table.primary_key = Some(PrimaryKey {
                    name,
                    columns,
                    deferrable: defer,
                    without_overlaps: period,
                });
            }
            "u" => {
                // A WITHOUT OVERLAPS key is enforced by a GiST index.
                if index.is_some_and(|i| !i.include.is_empty() || (i.method != "btree" && !period))
                {
                    cx.warn(
                        "constraint",
                        object.clone(),
                        "INCLUDE columns of a unique constraint that a foreign key references are \
                         not modelled; read without them: use a unique index with INCLUDE beside \
                         the key, or add them again after applying",
                    );
                }
                let table = &mut cx.model.tables[idx];
                table.uniques.push(UniqueConstraint {
                    name,
                    columns,
                    nulls_not_distinct: index.is_some_and(|i| i.nulls_not_distinct),
                    deferrable: defer,
                    why: None,
                    without_overlaps: period,
                });
            }
            "c" => {
                table.checks.push(CheckConstraint {
                    name,
                    expression: get::<Option<String>>(&row, Q, "check_expr")?.unwrap_or_default(),
                    why: None,
                    not_valid,
                    not_enforced,
                });
            }
            "f" => {
                let ref_table = match (
                    get::<Option<String>>(&row, Q, "ref_schema")?,
                    get::<Option<String>>(&row, Q, "ref_table")?,
                ) {
                    (Some(s), Some(t)) => QualifiedName::new(s, t),
                    _ => continue,
                };
                let match_type = match get::<String>(&row, Q, "match_type")?.as_str() {
                    "f" => FkMatch::Full,
                    "p" => {
                        cx.warn(
                            "constraint",
                            object.clone(),
                            "MATCH PARTIAL is not modelled; read as MATCH SIMPLE: PostgreSQL does not implement MATCH PARTIAL",
                        );
                        FkMatch::Simple
                    }
                    _ => FkMatch::Simple,
                };
                let fk = ForeignKey {
                    name,
                    columns,
                    ref_table,
                    ref_columns: get(&row, Q, "ref_columns")?,
                    on_delete: fk_action(&get::<String>(&row, Q, "on_delete")?),
                    on_update: fk_action(&get::<String>(&row, Q, "on_update")?),
                    match_type,
                    deferrable: defer,
                    relation: None,
                    inverse: None,
                    why: None,
                    not_valid,
                    period,
                    not_enforced,
                };
                cx.model.tables[idx].foreign_keys.push(fk);
            }
            "n" => {
                let table = &mut cx.model.tables[idx];
                let Some(column) = columns.first() else {
                    continue;
                };
                let default = strata_model::default_not_null_name(&table.name.name, column);
                if let Some(c) = table.column_mut(column)
                    && name != default
                {
                    c.not_null_name = Some(name);
                }
            }
            "x" => {
                let Some(index) = index else {
                    cx.warn(
                        "constraint",
                        object,
                        "its index cannot be read; it is not part of the output: create it with a script run after applying",
                    );
                    continue;
                };
                let ops: Vec<String> = get(&row, Q, "exclusion_ops")?;
                let elements = index
                    .keys
                    .iter()
                    .zip(ops)
                    .map(|(key, operator)| ExclusionElement {
                        key: key.clone(),
                        operator,
                    })
                    .collect();
                cx.model.tables[idx].exclusions.push(ExclusionConstraint {
                    name,
                    method: index.method.clone(),
                    elements,
                    predicate: index.predicate.clone(),
                    why: None,
                    deferrable: defer,
                });
            }
            _ => {}
        }
    }
    Ok(())
}

/// The `WHEN (...)` condition of a trigger definition, as `pg_get_triggerdef` prints it.
fn trigger_when(def: &str) -> Option<String> {
    let start = def.find(" WHEN (")? + " WHEN (".len();
    let mut depth = 1i32;
    let mut quote: Option<char> = None;
    for (i, c) in def[start..].char_indices() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None => match c {
                '\'' | '"' => quote = Some(c),
                '(' => depth += 1,
                ')' => {
                    depth -= 1;
                    if depth == 0 {
                        return Some(def[start..start + i].to_string());
                    }
                }
                _ => {}
            },
        }
    }
    None
}

fn triggers(cx: &mut Context<'_, '_>, rels: &Relations) -> Result<(), IntrospectError> {
    const Q: &str = "triggers";
    for row in cx.query(Q, include_str!("queries/triggers.sql"))? {
        let relid: u32 = get(&row, Q, "tgrelid")?;
        let Some((rel, rel_name)) = rels.get(relid) else {
            continue;
        };
        let name: String = get(&row, Q, "tgname")?;
        if get::<bool>(&row, Q, "from_parent")? {
            continue;
        }
        // Triggers on views, constraint triggers and triggers with transition tables are
        // carried as SQL (verbatim.rs).
        let idx = match rel {
            Rel::Table(i) => *i,
            Rel::View(_) | Rel::Skip => continue,
        };
        if get::<bool>(&row, Q, "is_constraint")? || get::<bool>(&row, Q, "transition_tables")? {
            continue;
        }
        // A trigger that is not simply enabled keeps its state through SQL carried with it.
        let state = match get::<String>(&row, Q, "enabled")?.as_str() {
            "D" => Some("DISABLE TRIGGER"),
            "R" => Some("ENABLE REPLICA TRIGGER"),
            "A" => Some("ENABLE ALWAYS TRIGGER"),
            _ => None,
        };
        if let Some(state) = state {
            let table = rel_name.quoted();
            let trigger = strata_model::quote_ident(&name);
            cx.model.verbatim.push(VerbatimObject {
                kind: "trigger state".into(),
                name: format!("{rel_name}.{name}"),
                stage: VerbatimStage::Last,
                sql: format!("ALTER TABLE {table} {state} {trigger};"),
                drop: format!("ALTER TABLE {table} ENABLE TRIGGER {trigger};"),
                on: Some(rel_name.clone()),
            });
        }
        let tgtype: i32 = get(&row, Q, "tgtype")?;
        let timing = if tgtype & 64 != 0 {
            TriggerTiming::InsteadOf
        } else if tgtype & 2 != 0 {
            TriggerTiming::Before
        } else {
            TriggerTiming::After
        };
        let columns: Vec<String> = get(&row, Q, "columns")?;
        let mut events = Vec::new();
        if tgtype & 4 != 0 {
            events.push(TriggerEvent::Insert);
        }
        if tgtype & 16 != 0 {
            events.push(TriggerEvent::Update(columns));
        }
        if tgtype & 8 != 0 {
            events.push(TriggerEvent::Delete);
        }
        if tgtype & 32 != 0 {
            events.push(TriggerEvent::Truncate);
        }
        let nargs = usize::try_from(get::<i32>(&row, Q, "nargs")?).unwrap_or(0);
        let raw: Vec<u8> = get(&row, Q, "tgargs")?;
        let arguments: Vec<String> = raw
            .split(|b| *b == 0)
            .take(nargs)
            .map(|a| String::from_utf8_lossy(a).into_owned())
            .collect();
        let def: String = get(&row, Q, "def")?;
        cx.model.tables[idx].triggers.push(Trigger {
            name,
            timing,
            events,
            for_each_row: tgtype & 1 != 0,
            when: trigger_when(&def),
            function: QualifiedName::new(
                get::<String>(&row, Q, "function_schema")?,
                get::<String>(&row, Q, "function_name")?,
            ),
            arguments,
            comment: get(&row, Q, "comment")?,
            why: None,
        });
    }
    Ok(())
}

fn policies(cx: &mut Context<'_, '_>, rels: &Relations) -> Result<(), IntrospectError> {
    const Q: &str = "policies";
    let mut seen: BTreeMap<u32, ()> = BTreeMap::new();
    for row in cx.query(Q, include_str!("queries/policies.sql"))? {
        let relid: u32 = get(&row, Q, "polrelid")?;
        let Some((Rel::Table(idx), rel_name)) = rels.get(relid) else {
            continue;
        };
        seen.insert(relid, ());
        let name: String = get(&row, Q, "polname")?;
        if let Some(text) = get::<Option<String>>(&row, Q, "comment")? {
            cx.model
                .verbatim
                .push(comment_on("POLICY", "policy", rel_name, &name, &text));
        }
        let command = match get::<String>(&row, Q, "cmd")?.as_str() {
            "r" => PolicyCommand::Select,
            "a" => PolicyCommand::Insert,
            "w" => PolicyCommand::Update,
            "d" => PolicyCommand::Delete,
            _ => PolicyCommand::All,
        };
        let roles: Vec<String> = get(&row, Q, "roles")?;
        // PUBLIC alone is the model's empty list.
        let roles = if roles.iter().all(|r| r == "public") {
            Vec::new()
        } else {
            roles
        };
        let idx = *idx;
        cx.model.tables[idx].policies.push(Policy {
            name,
            command,
            permissive: get(&row, Q, "polpermissive")?,
            roles,
            using: get(&row, Q, "using_expr")?,
            with_check: get(&row, Q, "check_expr")?,
            why: None,
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn when_clause() {
        assert_eq!(
            trigger_when(
                "CREATE TRIGGER t BEFORE UPDATE ON public.x FOR EACH ROW WHEN ((old.* IS DISTINCT FROM new.*)) EXECUTE FUNCTION f()"
            ),
            Some("(old.* IS DISTINCT FROM new.*)".to_string())
        );
        assert_eq!(
            trigger_when(
                "CREATE TRIGGER t BEFORE UPDATE ON public.x FOR EACH ROW EXECUTE FUNCTION f('a)')"
            ),
            None
        );
    }

    #[test]
    fn partition_key_collation() {
        assert_eq!(
            top_level_collate("name COLLATE \"C\""),
            Some(("name", "\"C\""))
        );
        assert_eq!(top_level_collate("lower((name COLLATE \"C\"))"), None);
        assert_eq!(top_level_collate("a"), None);
    }

    #[test]
    fn top_level_split() {
        assert_eq!(
            split_top_level("a, lower((b)::text), \"c,d\""),
            vec!["a", " lower((b)::text)", " \"c,d\""]
        );
    }
}
