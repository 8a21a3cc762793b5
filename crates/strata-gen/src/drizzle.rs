//! `strata gen drizzle`: a drizzle-orm `pg-core` schema (`schema.ts`).
//!
//! Enums become `pgEnum`s, non-public schemas `pgSchema`s, tables `pgTable`s whose columns carry
//! their types, nullability, defaults (`sql\`...\``), identity and generated expressions, with
//! the primary key, unique and check constraints, indexes (composite, partial, unique, any
//! method) and foreign keys (named, with their actions) in the table's extra config; then
//! `relations()` for both sides of every key. Drizzle's relational API has no many-to-many, so
//! a link table gets `one()` to each side and each side `many()` links.
//!
//! Row-level security is `.enableRLS()` and each policy a `pgPolicy` in the table's extra
//! config; `now()` defaults on timestamps are `.defaultNow()`.
//!
//! Not expressible in drizzle's schema and created by the migration instead: index `INCLUDE`
//! columns and operator classes on expressions, exclusion constraints, triggers, functions,
//! `FORCE ROW LEVEL SECURITY`, views, grants, raw SQL. Each is noted where it would be.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write;

use strata_model::{
    Column, Deferrable, FkAction, Identity, Index, IndexExpr, Model, Policy, QualifiedName, Table,
    TypeRef,
};

use crate::names::{camel_ident, unique_name};
use crate::relations::{RelKind, Relations, analyze, modeled_tables};
use crate::{GenError, GeneratedFile, HEADER, canonical};

pub fn generate(model: &Model) -> Result<Vec<GeneratedFile>, GenError> {
    let model = canonical(model);
    if model.tables.is_empty() {
        return Err(GenError::EmptyModel);
    }
    let rels = analyze(&model, false);
    let names = Names::new(&model);
    Ok(vec![GeneratedFile::new(
        "schema.ts",
        schema_ts(&model, &names, &rels),
    )])
}

/// TypeScript constant names for schemas, enums and tables; property names for columns.
struct Names {
    schemas: BTreeMap<String, String>,
    enums: BTreeMap<QualifiedName, String>,
    tables: BTreeMap<QualifiedName, String>,
    columns: BTreeMap<(QualifiedName, String), String>,
}

const RESERVED_TS: &[&str] = &[
    "break",
    "case",
    "catch",
    "class",
    "const",
    "continue",
    "debugger",
    "default",
    "delete",
    "do",
    "else",
    "enum",
    "export",
    "extends",
    "false",
    "finally",
    "for",
    "function",
    "if",
    "import",
    "in",
    "instanceof",
    "new",
    "null",
    "return",
    "super",
    "switch",
    "this",
    "throw",
    "true",
    "try",
    "typeof",
    "var",
    "void",
    "while",
    "with",
    "let",
    "static",
    "yield",
    "await",
    "implements",
    "interface",
    "package",
    "private",
    "protected",
    "public",
    "sql",
    "relations",
    "pgTable",
    "pgEnum",
    "pgSchema",
    "customType",
    "raw",
    "index",
    "uniqueIndex",
    "unique",
    "check",
    "foreignKey",
    "primaryKey",
];

fn prefixed(schema: &str, name: &str) -> String {
    if schema == "public" {
        camel_ident(name)
    } else {
        camel_ident(&format!("{schema}_{name}"))
    }
}

impl Names {
    fn new(model: &Model) -> Names {
        let mut taken: BTreeSet<String> = RESERVED_TS.iter().map(|s| s.to_string()).collect();
        let mut claim = |base: String| {
            let n = unique_name(&base, &|n| taken.contains(n));
            taken.insert(n.clone());
            n
        };
        let mut schemas = BTreeMap::new();
        for s in used_schemas(model) {
            schemas.insert(s.clone(), claim(camel_ident(&format!("{s}_schema"))));
        }
        let mut tables = BTreeMap::new();
        let mut columns = BTreeMap::new();
        for t in modeled_tables(model) {
            tables.insert(
                t.name.clone(),
                claim(prefixed(&t.name.schema, &t.name.name)),
            );
            let mut cols: BTreeSet<String> = BTreeSet::new();
            for c in &t.columns {
                let n = unique_name(&camel_ident(&c.name), &|n| cols.contains(n));
                cols.insert(n.clone());
                columns.insert((t.name.clone(), c.name.clone()), n);
            }
        }
        let mut enums = BTreeMap::new();
        let table_vars: BTreeSet<String> = tables.values().cloned().collect();
        for e in &model.enums {
            let base = prefixed(&e.name.schema, &e.name.name);
            let base = if table_vars.contains(&base) {
                format!("{base}Enum")
            } else {
                base
            };
            enums.insert(e.name.clone(), claim(base));
        }
        Names {
            schemas,
            enums,
            tables,
            columns,
        }
    }

    fn col(&self, t: &QualifiedName, c: &str) -> String {
        self.columns
            .get(&(t.clone(), c.to_string()))
            .cloned()
            .unwrap_or_else(|| camel_ident(c))
    }
}

fn used_schemas(model: &Model) -> BTreeSet<String> {
    let mut s: BTreeSet<String> = model
        .schemas
        .iter()
        .map(|s| s.name.clone())
        .filter(|s| s != "public")
        .collect();
    for t in &model.tables {
        if t.name.schema != "public" {
            s.insert(t.name.schema.clone());
        }
    }
    for e in &model.enums {
        if e.name.schema != "public" {
            s.insert(e.name.schema.clone());
        }
    }
    s
}

/// A JavaScript string literal.
fn js_str(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// SQL inside a `sql\`...\`` template: backticks, `${` and backslashes escaped.
fn sql_tpl(s: &str) -> String {
    format!(
        "sql`{}`",
        s.replace('\\', "\\\\")
            .replace('`', "\\`")
            .replace("${", "\\${")
    )
}

fn jsdoc(text: &str, indent: &str) -> String {
    let text = text.replace("*/", "*\\/");
    let lines: Vec<&str> = text.lines().collect();
    if lines.len() <= 1 {
        return format!("{indent}/** {} */\n", text.trim());
    }
    let mut out = format!("{indent}/**\n");
    for l in lines {
        let _ = writeln!(out, "{indent} * {}", l.trim_end());
    }
    let _ = writeln!(out, "{indent} */");
    out
}

fn modifiers(name: &str) -> Vec<String> {
    match (name.find('('), name.find(')')) {
        (Some(a), Some(b)) if b > a => name[a + 1..b]
            .split(',')
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
            .collect(),
        _ => Vec::new(),
    }
}

/// The column builder call (`uuid("id")`), and whether the `raw` custom type is used.
fn column_builder(c: &Column, names: &Names, model: &Model) -> (String, bool) {
    let n = js_str(&c.name);
    let scalar = TypeRef {
        array_dims: 0,
        ..c.data_type.clone()
    };
    let raw = |spec: &str| (format!("raw({})({n})", js_str(spec)), true);
    let (mut b, mut uses_raw) = if let Some(q) = scalar.qualified() {
        match names.enums.get(&q) {
            Some(e) if model.enum_type(&q).is_some() => (format!("{e}({n})"), false),
            _ => raw(&q.quoted()),
        }
    } else {
        let name = scalar.name.as_str();
        let mods = modifiers(name);
        let tz = name.contains("with time zone");
        let plain = |f: &str| (format!("{f}({n})"), false);
        match scalar.base_name() {
            "uuid" => plain("uuid"),
            "text" => plain("text"),
            "character varying" | "varchar" => match mods.first() {
                Some(l) => (format!("varchar({n}, {{ length: {l} }})"), false),
                None => plain("varchar"),
            },
            "character" | "char" | "bpchar" => (
                format!(
                    "char({n}, {{ length: {} }})",
                    mods.first().map_or("1", |s| s)
                ),
                false,
            ),
            "boolean" => plain("boolean"),
            "smallint" => plain("smallint"),
            "integer" => plain("integer"),
            "bigint" => (format!("bigint({n}, {{ mode: \"bigint\" }})"), false),
            "numeric" | "decimal" => match mods.as_slice() {
                [p, s] => (
                    format!("numeric({n}, {{ precision: {p}, scale: {s} }})"),
                    false,
                ),
                [p] => (format!("numeric({n}, {{ precision: {p} }})"), false),
                _ => plain("numeric"),
            },
            "real" => plain("real"),
            "double precision" => plain("doublePrecision"),
            "timestamp" | "timestamp with time zone" | "timestamp without time zone" => {
                let mut opts = vec![format!("withTimezone: {tz}"), "mode: \"date\"".into()];
                if let Some(p) = mods.first() {
                    opts.push(format!("precision: {p}"));
                }
                (format!("timestamp({n}, {{ {} }})", opts.join(", ")), false)
            }
            "date" => (format!("date({n}, {{ mode: \"string\" }})"), false),
            "time" | "time without time zone" | "time with time zone" if mods.is_empty() => {
                (format!("time({n}, {{ withTimezone: {tz} }})"), false)
            }
            "interval" if mods.is_empty() => plain("interval"),
            "jsonb" => plain("jsonb"),
            "json" => plain("json"),
            "inet" => plain("inet"),
            "cidr" => plain("cidr"),
            "macaddr" => plain("macaddr"),
            _ => raw(name),
        }
    };
    for _ in 0..c.data_type.array_dims {
        b.push_str(".array()");
    }
    if c.data_type.array_dims > 0 && b.starts_with("raw(") {
        uses_raw = true;
    }
    (b, uses_raw)
}

/// The `pg-core` column builders the generator uses.
const BUILDERS: &[&str] = &[
    "bigint",
    "boolean",
    "char",
    "cidr",
    "date",
    "doublePrecision",
    "inet",
    "integer",
    "interval",
    "json",
    "jsonb",
    "macaddr",
    "numeric",
    "real",
    "smallint",
    "text",
    "time",
    "timestamp",
    "uuid",
    "varchar",
];

/// `now()` on a column drizzle builds as a timestamp: drizzle's own `.defaultNow()`, which
/// writes the same `DEFAULT now()`.
fn default_now(c: &Column, builder: &str) -> bool {
    let d = c.default.as_deref().unwrap_or("").trim();
    (d.eq_ignore_ascii_case("now()") || d.eq_ignore_ascii_case("CURRENT_TIMESTAMP"))
        && builder.starts_with("timestamp(")
        && c.data_type.array_dims == 0
}

/// A policy as drizzle's `pgPolicy` in the table's extra config (drizzle-kit creates it).
fn policy_config(p: &Policy) -> String {
    let mut fields = vec![
        format!(
            "as: {}",
            js_str(if p.permissive {
                "permissive"
            } else {
                "restrictive"
            })
        ),
        format!("for: {}", js_str(&p.command.sql().to_ascii_lowercase())),
    ];
    let to: Vec<String> = p.roles.iter().map(|r| js_str(r)).collect();
    fields.push(match to.as_slice() {
        [] => "to: \"public\"".to_string(),
        [one] => format!("to: {one}"),
        many => format!("to: [{}]", many.join(", ")),
    });
    if let Some(u) = &p.using {
        fields.push(format!("using: {}", sql_tpl(u)));
    }
    if let Some(w) = &p.with_check {
        fields.push(format!("withCheck: {}", sql_tpl(w)));
    }
    format!("pgPolicy({}, {{ {} }})", js_str(&p.name), fields.join(", "))
}

fn fk_action(a: FkAction) -> &'static str {
    match a {
        FkAction::NoAction => "no action",
        FkAction::Restrict => "restrict",
        FkAction::Cascade => "cascade",
        FkAction::SetNull => "set null",
        FkAction::SetDefault => "set default",
    }
}

fn index_config(ix: &Index, t: &Table, names: &Names, notes: &mut Vec<String>) -> String {
    let keys: Vec<String> = ix
        .keys
        .iter()
        .map(|k| match &k.expr {
            IndexExpr::Column(c) if k.collation.is_none() => {
                let mut e = format!("table.{}", names.col(&t.name, c));
                if k.descending {
                    e.push_str(".desc()");
                } else if k.nulls_first.is_some() {
                    e.push_str(".asc()");
                }
                match k.nulls_first {
                    Some(true) => e.push_str(".nullsFirst()"),
                    Some(false) => e.push_str(".nullsLast()"),
                    None => {}
                }
                if let Some(op) = &k.opclass {
                    e.push_str(&format!(".op({})", js_str(op)));
                }
                e
            }
            // Expressions (and collations) as SQL, with their direction and operator class.
            _ => sql_tpl(&strata_sql::render_index_key(k)),
        })
        .collect();
    let ctor = if ix.unique { "uniqueIndex" } else { "index" };
    let mut s = format!("{ctor}({})", js_str(&ix.name));
    if ix.method == "btree" {
        let _ = write!(s, ".on({})", keys.join(", "));
    } else {
        let _ = write!(s, ".using({}, {})", js_str(&ix.method), keys.join(", "));
    }
    if let Some(p) = &ix.predicate {
        let _ = write!(s, ".where({})", sql_tpl(p));
    }
    if !ix.include.is_empty() {
        notes.push(format!(
            "index {}: INCLUDE ({})",
            ix.name,
            ix.include.join(", ")
        ));
    }
    if ix.nulls_not_distinct {
        notes.push(format!("index {}: NULLS NOT DISTINCT", ix.name));
    }
    s
}

fn table_def(
    t: &Table,
    model: &Model,
    names: &Names,
    uses_raw: &mut bool,
    used: &mut BTreeSet<String>,
) -> String {
    let var = &names.tables[&t.name];
    let mut out = String::new();
    let doc = t
        .comment
        .clone()
        .unwrap_or_else(|| format!("Table {}.", t.name.quoted()));
    out.push_str(&jsdoc(&doc, ""));
    let ctor = if t.name.schema == "public" {
        "pgTable".to_string()
    } else {
        format!("{}.table", names.schemas[&t.name.schema])
    };
    if t.name.schema == "public" {
        used.insert("pgTable".into());
    }
    let _ = writeln!(
        out,
        "export const {var} = {ctor}({}, {{",
        js_str(&t.name.name)
    );
    let single_pk: Option<&str> = t
        .primary_key
        .as_ref()
        .filter(|pk| pk.columns.len() == 1 && pk.name == format!("{}_pkey", t.name.name))
        .map(|pk| pk.columns[0].as_str());
    for c in &t.columns {
        if let Some(cm) = &c.comment {
            out.push_str(&jsdoc(cm, "  "));
        }
        let (mut b, raw) = column_builder(c, names, model);
        *uses_raw |= raw;
        if let Some(head) = b.split('(').next()
            && BUILDERS.contains(&head)
        {
            used.insert(head.to_string());
        }
        if single_pk == Some(c.name.as_str()) {
            b.push_str(".primaryKey()");
        } else if !c.nullable {
            b.push_str(".notNull()");
        }
        match c.identity {
            Some(Identity::Always) => b.push_str(".generatedAlwaysAsIdentity()"),
            Some(Identity::ByDefault) => b.push_str(".generatedByDefaultAsIdentity()"),
            None => {}
        }
        if let Some(g) = &c.generated {
            let _ = write!(b, ".generatedAlwaysAs({})", sql_tpl(g));
        }
        if let Some(d) = &c.default {
            if default_now(c, &b) {
                b.push_str(".defaultNow()");
            } else {
                let _ = write!(b, ".default({})", sql_tpl(d));
            }
        }
        let _ = writeln!(out, "  {}: {b},", names.col(&t.name, &c.name));
    }
    out.push('}');
    let mut extras: Vec<String> = Vec::new();
    let mut notes: Vec<String> = Vec::new();
    let cols = |list: &[String]| -> String {
        list.iter()
            .map(|c| format!("table.{}", names.col(&t.name, c)))
            .collect::<Vec<_>>()
            .join(", ")
    };
    if let Some(pk) = &t.primary_key
        && single_pk.is_none()
    {
        extras.push(format!(
            "primaryKey({{ name: {}, columns: [{}] }})",
            js_str(&pk.name),
            cols(&pk.columns)
        ));
    }
    for u in &t.uniques {
        let mut s = format!("unique({}).on({})", js_str(&u.name), cols(&u.columns));
        if u.nulls_not_distinct {
            s.push_str(".nullsNotDistinct()");
        }
        extras.push(s);
    }
    for c in &t.checks {
        extras.push(format!(
            "check({}, {})",
            js_str(&c.name),
            sql_tpl(&c.expression)
        ));
    }
    for ix in &t.indexes {
        extras.push(index_config(ix, t, names, &mut notes));
    }
    for fk in &t.foreign_keys {
        let Some(target) = names.tables.get(&fk.ref_table) else {
            notes.push(format!(
                "foreign key {} references {}, which is not modeled",
                fk.name,
                fk.ref_table.quoted()
            ));
            continue;
        };
        let refs: Vec<String> = fk
            .ref_columns
            .iter()
            .map(|c| format!("{target}.{}", names.col(&fk.ref_table, c)))
            .collect();
        let target_expr = if fk.ref_table == t.name {
            // A self-reference: `table` is the table being defined.
            fk.ref_columns
                .iter()
                .map(|c| format!("table.{}", names.col(&fk.ref_table, c)))
                .collect::<Vec<_>>()
        } else {
            refs
        };
        let mut s = format!(
            "foreignKey({{ name: {}, columns: [{}], foreignColumns: [{}] }}).onDelete({}).onUpdate({})",
            js_str(&fk.name),
            cols(&fk.columns),
            target_expr.join(", "),
            js_str(fk_action(fk.on_delete)),
            js_str(fk_action(fk.on_update)),
        );
        if fk.deferrable != Deferrable::NotDeferrable {
            notes.push(format!("foreign key {}: DEFERRABLE", fk.name));
            s.push_str(" /* deferrable in the database */");
        }
        extras.push(s);
    }
    for x in &t.exclusions {
        notes.push(format!("exclusion constraint {}", x.name));
    }
    for tr in &t.triggers {
        notes.push(format!("trigger {}", tr.name));
    }
    for p in &t.policies {
        extras.push(policy_config(p));
    }
    if t.rls_forced {
        // drizzle enables row-level security but has no FORCE (which binds the owner too).
        notes.push("FORCE ROW LEVEL SECURITY".into());
    }
    for e in &extras {
        if let Some(head) = e.split('(').next() {
            used.insert(head.to_string());
        }
    }
    let rls = if t.rls_enabled { ".enableRLS()" } else { "" };
    if extras.is_empty() {
        let _ = writeln!(out, "){rls};");
    } else {
        out.push_str(", (table) => [\n");
        for e in extras {
            let _ = writeln!(out, "  {e},");
        }
        let _ = writeln!(out, "]){rls};");
    }
    if !notes.is_empty() {
        out.push_str("// In the database, not in this schema (created by the migration):\n");
        for n in notes {
            let _ = writeln!(out, "// - {n}");
        }
    }
    out
}

fn relations_def(t: &Table, names: &Names, rels: &Relations, model: &Model) -> Option<String> {
    let list = rels.of(&t.name);
    if list.is_empty() {
        return None;
    }
    let var = &names.tables[&t.name];
    let mut out =
        format!("export const {var}Relations = relations({var}, ({{ one, many }}) => ({{\n");
    for r in list {
        let target = &names.tables[&r.target];
        let prop = camel_ident(&r.name);
        let fk = model
            .table(&r.fk_table)
            .and_then(|x| x.foreign_keys.iter().find(|f| f.name == r.fk));
        let rel_name = js_str(&r.fk);
        match (r.kind, fk) {
            (RelKind::ManyToOne, Some(fk)) => {
                let fields: Vec<String> = fk
                    .columns
                    .iter()
                    .map(|c| format!("{var}.{}", names.col(&t.name, c)))
                    .collect();
                let refs: Vec<String> = fk
                    .ref_columns
                    .iter()
                    .map(|c| format!("{target}.{}", names.col(&r.target, c)))
                    .collect();
                let _ = writeln!(
                    out,
                    "  {prop}: one({target}, {{ fields: [{}], references: [{}], relationName: {rel_name} }}),",
                    fields.join(", "),
                    refs.join(", ")
                );
            }
            (RelKind::OneToOneParent, _) => {
                // drizzle's `one()` takes a config only with `fields` and `references`, which
                // belong to the side holding the key; this side names the table alone.
                let _ = rel_name;
                let _ = writeln!(out, "  {prop}: one({target}),");
            }
            _ => {
                let _ = writeln!(
                    out,
                    "  {prop}: many({target}, {{ relationName: {rel_name} }}),"
                );
            }
        }
    }
    out.push_str("}));\n");
    Some(out)
}

fn schema_ts(model: &Model, names: &Names, rels: &Relations) -> String {
    let mut body = String::new();
    let mut uses_raw = false;
    let mut used: BTreeSet<String> = BTreeSet::new();
    if !names.schemas.is_empty() {
        used.insert("pgSchema".into());
    }
    if model.enums.iter().any(|e| e.name.schema == "public") {
        used.insert("pgEnum".into());
    }
    for (s, var) in &names.schemas {
        let _ = writeln!(body, "export const {var} = pgSchema({});", js_str(s));
    }
    if !names.schemas.is_empty() {
        body.push('\n');
    }
    for e in &model.enums {
        if let Some(c) = &e.comment {
            body.push_str(&jsdoc(c, ""));
        }
        let ctor = if e.name.schema == "public" {
            "pgEnum".to_string()
        } else {
            format!("{}.enum", names.schemas[&e.name.schema])
        };
        let values: Vec<String> = e.values.iter().map(|v| js_str(v)).collect();
        let _ = writeln!(
            body,
            "export const {} = {ctor}({}, [{}]);\n",
            names.enums[&e.name],
            js_str(&e.name.name),
            values.join(", ")
        );
    }
    for t in modeled_tables(model) {
        body.push_str(&table_def(t, model, names, &mut uses_raw, &mut used));
        body.push('\n');
    }
    let mut uses_relations = false;
    for t in modeled_tables(model) {
        if let Some(r) = relations_def(t, names, rels, model) {
            body.push_str(&r);
            body.push('\n');
            uses_relations = true;
        }
    }
    let mut out = format!("// {HEADER}\n");
    // Only what is used: a schema without keys has no relations, one without SQL no `sql`.
    let core: Vec<&str> = [
        ("relations", uses_relations),
        ("sql", body.contains("sql`")),
    ]
    .into_iter()
    .filter_map(|(name, used)| used.then_some(name))
    .collect();
    if !core.is_empty() {
        let _ = writeln!(
            out,
            "import {{ {} }} from \"drizzle-orm\";",
            core.join(", ")
        );
    }
    out.push_str("import {\n");
    if uses_raw {
        used.insert("customType".into());
    }
    let imports = used;
    for i in &imports {
        let _ = writeln!(out, "  {i},");
    }
    out.push_str("} from \"drizzle-orm/pg-core\";\n\n");
    if uses_raw {
        out.push_str(
            "/** A column of a type drizzle has no builder for (domains, ranges, ...), known by its SQL name. */\n\
             const raw = (sqlType: string) =>\n  customType<{ data: string; driverData: string }>({\n    dataType() {\n      return sqlType;\n    },\n  });\n\n",
        );
    }
    out.push_str(&body);
    while out.ends_with("\n\n") {
        out.pop();
    }
    out
}
