//! First pass: gather declarations from every file and schema block, resolve conventions
//! and expand mixins, reporting duplicates and cycles.

use std::collections::{BTreeMap, HashMap};

use strata_diagnostics::{Diagnostic, Span};
use strata_lang::ast::{self, Item, Member};
use strata_model::QualifiedName;

use crate::codes;
use crate::conventions::{Conv, merge_into, read_block};
use crate::names;

pub const DEFAULT_SCHEMA: &str = "public";

pub struct EntityCx<'a> {
    pub decl: &'a ast::EntityDecl,
    pub schema: String,
    pub conv: Conv,
    /// Members after `use` expansion, in order.
    pub members: Vec<&'a Member>,
    pub table: QualifiedName,
}

pub struct EnumCx<'a> {
    pub decl: &'a ast::EnumDecl,
    pub name: QualifiedName,
}

pub struct DomainCx<'a> {
    pub decl: &'a ast::DomainDecl,
    pub name: QualifiedName,
}

pub struct Collected<'a> {
    pub global_conv: Conv,
    pub schemas: BTreeMap<String, Option<String>>,
    pub extensions: Vec<&'a ast::ExtensionDecl>,
    pub enums: Vec<EnumCx<'a>>,
    pub domains: Vec<DomainCx<'a>>,
    pub entities: Vec<EntityCx<'a>>,
    pub views: Vec<(&'a ast::ViewDecl, String)>,
    pub raw: Vec<&'a ast::RawSqlDecl>,
    pub sequences: Vec<(&'a ast::SequenceDecl, String)>,
}

#[derive(Default)]
struct Gather<'a> {
    global: BTreeMap<String, (String, Span)>,
    per_schema: BTreeMap<String, BTreeMap<String, (String, Span)>>,
    schemas: BTreeMap<String, Option<String>>,
    extensions: Vec<&'a ast::ExtensionDecl>,
    enums: Vec<(&'a ast::EnumDecl, String)>,
    domains: Vec<(&'a ast::DomainDecl, String)>,
    mixins: Vec<&'a ast::MixinDecl>,
    entities: Vec<(&'a ast::EntityDecl, String)>,
    views: Vec<(&'a ast::ViewDecl, String)>,
    raw: Vec<&'a ast::RawSqlDecl>,
    sequences: Vec<(&'a ast::SequenceDecl, String)>,
}

fn gather<'a>(
    items: &'a [Item],
    schema: Option<&str>,
    g: &mut Gather<'a>,
    diags: &mut Vec<Diagnostic>,
) {
    let here = schema.unwrap_or(DEFAULT_SCHEMA).to_string();
    for item in items {
        match item {
            Item::Conventions(c) => {
                let block = read_block(c, diags);
                match schema {
                    None => merge_into(&mut g.global, block, diags),
                    Some(s) => {
                        merge_into(g.per_schema.entry(s.to_string()).or_default(), block, diags)
                    }
                }
            }
            Item::Schema(s) => {
                let name = s.name.name.clone();
                let entry = g.schemas.entry(name.clone()).or_insert(None);
                if s.doc.is_some() {
                    *entry = s.doc.clone();
                }
                if schema.is_some() {
                    diags.push(
                        Diagnostic::error(
                            codes::DUPLICATE_NAME,
                            "schema blocks cannot be nested",
                            "move this schema block to the top level of the file",
                        )
                        .at(s.name.span),
                    );
                }
                gather(&s.items, Some(&name), g, diags);
            }
            Item::Extension(e) => g.extensions.push(e),
            Item::Enum(e) => g.enums.push((e, here.clone())),
            Item::Domain(d) => g.domains.push((d, here.clone())),
            Item::Mixin(m) => g.mixins.push(m),
            Item::Entity(e) => g.entities.push((e, here.clone())),
            Item::View(v) => g.views.push((v, here.clone())),
            Item::Sql(r) => g.raw.push(r),
            Item::Sequence(q) => g.sequences.push((q, here.clone())),
        }
    }
}

fn duplicate(kind: &str, name: &str, span: Span, first: Span) -> Diagnostic {
    Diagnostic::error(
        codes::DUPLICATE_NAME,
        format!("{kind} `{name}` is declared more than once"),
        format!("rename or remove one of the two {kind} declarations"),
    )
    .at(span)
    .with_label(first, "first declared here")
}

pub fn collect<'a>(
    files: &'a [(strata_diagnostics::FileId, ast::File)],
    diags: &mut Vec<Diagnostic>,
) -> Collected<'a> {
    let mut g = Gather::default();
    for (_, file) in files {
        gather(&file.items, None, &mut g, diags);
    }
    let global_conv = Conv::default().apply(&g.global);

    let mut mixins: HashMap<&str, &ast::MixinDecl> = HashMap::new();
    for m in &g.mixins {
        if let Some(first) = mixins.get(m.name.name.as_str()) {
            diags.push(duplicate(
                "mixin",
                &m.name.name,
                m.name.span,
                first.name.span,
            ));
        } else {
            mixins.insert(&m.name.name, m);
        }
    }

    let mut enums: Vec<EnumCx> = Vec::new();
    let mut seen_types: HashMap<QualifiedName, Span> = HashMap::new();
    for (e, schema) in &g.enums {
        let name = QualifiedName::new(schema.clone(), names::snake(&e.name.name));
        if let Some(first) = seen_types.get(&name) {
            diags.push(duplicate("type", &e.name.name, e.name.span, *first));
            continue;
        }
        seen_types.insert(name.clone(), e.name.span);
        let mut values: HashMap<&str, Span> = HashMap::new();
        for v in &e.values {
            if let Some(first) = values.get(v.name.name.as_str()) {
                diags.push(duplicate("enum value", &v.name.name, v.name.span, *first));
            } else {
                values.insert(&v.name.name, v.name.span);
            }
        }
        enums.push(EnumCx { decl: e, name });
    }
    let mut domains = Vec::new();
    for (d, schema) in &g.domains {
        let name = QualifiedName::new(schema.clone(), names::snake(&d.name.name));
        if let Some(first) = seen_types.get(&name) {
            diags.push(duplicate("type", &d.name.name, d.name.span, *first));
            continue;
        }
        seen_types.insert(name.clone(), d.name.span);
        domains.push(DomainCx { decl: d, name });
    }

    let mut entities: Vec<EntityCx> = Vec::new();
    let mut entity_names: HashMap<&str, Span> = HashMap::new();
    let mut tables: HashMap<QualifiedName, Span> = HashMap::new();
    for (e, schema) in &g.entities {
        if let Some(first) = entity_names.get(e.name.name.as_str()) {
            diags.push(duplicate("entity", &e.name.name, e.name.span, *first));
            continue;
        }
        entity_names.insert(&e.name.name, e.name.span);
        let members = expand(&e.members, &mixins, &mut Vec::new(), diags);
        let mut conv = global_conv.apply(g.per_schema.get(schema).unwrap_or(&BTreeMap::new()));
        let mut local = BTreeMap::new();
        for m in &members {
            if let Member::Conventions(c) = m {
                let block = read_block(c, diags);
                merge_into(&mut local, block, diags);
            }
        }
        conv = conv.apply(&local);
        let explicit = members.iter().find_map(|m| match m {
            Member::TableName(t) => Some(t),
            _ => None,
        });
        let table_name = match explicit {
            Some(t) => t.name.value.clone(),
            None => {
                let base = names::snake(&e.name.name);
                if conv.plural_tables {
                    names::pluralize(&base)
                } else {
                    base
                }
            }
        };
        let span = explicit.map(|t| t.name.span).unwrap_or(e.name.span);
        if table_name.len() > names::MAX_IDENT {
            diags.push(
                Diagnostic::error(
                    codes::NAME_TOO_LONG,
                    format!(
                        "table name `{table_name}` is {} bytes; PostgreSQL allows 63",
                        table_name.len()
                    ),
                    "shorten the entity name or give a shorter name with `table \"...\"`",
                )
                .at(span),
            );
        }
        let table = QualifiedName::new(schema.clone(), table_name);
        if let Some(first) = tables.get(&table) {
            diags.push(
                Diagnostic::error(
                    codes::DUPLICATE_NAME,
                    format!("two entities map to the table {table}"),
                    "give one of them another name with `table \"...\"`",
                )
                .at(span)
                .with_label(*first, "this entity maps to it too"),
            );
        } else {
            tables.insert(table.clone(), span);
        }
        if schema != DEFAULT_SCHEMA {
            g.schemas.entry(schema.clone()).or_insert(None);
        }
        entities.push(EntityCx {
            decl: e,
            schema: schema.clone(),
            conv,
            members,
            table,
        });
    }
    for (_, schema) in g
        .enums
        .iter()
        .map(|(e, s)| (e.span, s))
        .chain(g.domains.iter().map(|(d, s)| (d.span, s)))
        .chain(g.sequences.iter().map(|(q, s)| (q.span, s)))
    {
        if schema != DEFAULT_SCHEMA {
            g.schemas.entry(schema.clone()).or_insert(None);
        }
    }
    g.schemas.remove(DEFAULT_SCHEMA);

    Collected {
        global_conv,
        schemas: g.schemas,
        extensions: g.extensions,
        enums,
        domains,
        entities,
        views: g.views,
        raw: g.raw,
        sequences: g.sequences,
    }
}

/// Replaces `use Mixin` by the mixin's members, depth first, reporting unknown and cyclic uses.
fn expand<'a>(
    members: &'a [Member],
    mixins: &HashMap<&str, &'a ast::MixinDecl>,
    stack: &mut Vec<String>,
    diags: &mut Vec<Diagnostic>,
) -> Vec<&'a Member> {
    let mut out = Vec::new();
    for m in members {
        let Member::Use(u) = m else {
            out.push(m);
            continue;
        };
        let name = u.mixin.name.as_str();
        let Some(mixin) = mixins.get(name) else {
            let mut known: Vec<&str> = mixins.keys().copied().collect();
            known.sort_unstable();
            diags.push(
                Diagnostic::error(
                    codes::UNKNOWN_MIXIN,
                    format!("unknown mixin `{name}`"),
                    if known.is_empty() {
                        "declare it with `mixin Name { ... }`".to_string()
                    } else {
                        format!("declared mixins: {}", known.join(", "))
                    },
                )
                .at(u.mixin.span),
            );
            continue;
        };
        if stack.iter().any(|s| s == name) {
            let mut cycle = stack.clone();
            cycle.push(name.to_string());
            diags.push(
                Diagnostic::error(
                    codes::CYCLIC_MIXIN,
                    format!("mixins use each other in a cycle: {}", cycle.join(" -> ")),
                    "remove one `use` so the mixins form a tree",
                )
                .at(u.mixin.span),
            );
            continue;
        }
        stack.push(name.to_string());
        out.extend(expand(&mixin.members, mixins, stack, diags));
        stack.pop();
    }
    out
}
