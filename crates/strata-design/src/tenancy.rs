//! Tenant isolation: `tenant by` resolved to the tenant's key, row-level security on every
//! table that holds a tenant's rows (the tenant's own table included), and foreign keys that
//! cannot link one tenant's row to another's.
//!
//! `tenant by field` compares a column with the tenant setting. When the field is a relation
//! to an entity that is itself isolated (`tenant by invoice` on invoice lines), the tenant is
//! the invoice's tenant: the table gets a copy of the invoice's tenant column (filled from the
//! setting by default) and the foreign key to the invoice includes it, `(invoice_id,
//! organization_id) -> invoices (id, organization_id)`. The copy keeps the policy a plain
//! index-friendly equality, and the composite foreign key makes a row that points at another
//! tenant's row impossible, for every relation between isolated tables.

use std::collections::{HashMap, HashSet};

use strata_diagnostics::Diagnostic;
use strata_lang::ast::{Member, RelationKind};
use strata_model::*;

use crate::codes;
use crate::entity::{Lowering, relations, unknown_field};
use crate::names::fit;

/// Which tables hold tenants' rows, filled by [`apply`] for the audit log and access patterns.
#[derive(Debug, Default)]
pub struct TenantMap {
    /// Isolated table → the column compared with the tenant setting (for a tenant's own
    /// table: the key other tables reference).
    pub column: HashMap<QualifiedName, String>,
    /// The tenants' own tables (`users` when tables say `tenant by user`).
    pub roots: HashSet<QualifiedName>,
}

#[derive(Debug, Clone)]
struct Scope {
    column: String,
    ty: TypeRef,
    /// The entity whose key the setting holds; `None` when `tenant by` names a plain column.
    root: Option<usize>,
    root_column: Option<String>,
    setting: String,
}

enum State {
    Visiting,
    Done(Option<Scope>),
}

fn table_of(model: &Model, name: &QualifiedName) -> Option<usize> {
    model.tables.iter().position(|t| &t.name == name)
}

fn setting_expr(setting: &str, ty: &TypeRef) -> String {
    format!(
        "NULLIF(current_setting({}, true), '')::{}",
        quote_literal(setting),
        crate::entity::type_sql(ty)
    )
}

fn tenant_decl<'a>(lw: &Lowering<'a, '_>, i: usize) -> Option<&'a strata_lang::ast::TenantDecl> {
    lw.c.entities[i].members.iter().find_map(|m| match m {
        Member::Tenant(t) => Some(t),
        _ => None,
    })
}

/// The column a copy of the tenant may reuse: an existing foreign key to the tenant's table.
fn reusable(table: &Table, column: &str, root_table: &QualifiedName) -> bool {
    table
        .foreign_keys
        .iter()
        .any(|f| f.columns.len() == 1 && f.columns[0] == column && &f.ref_table == root_table)
}

fn resolve(
    lw: &mut Lowering<'_, '_>,
    model: &mut Model,
    i: usize,
    states: &mut HashMap<usize, State>,
) -> Option<Scope> {
    match states.get(&i) {
        Some(State::Done(s)) => return s.clone(),
        Some(State::Visiting) => {
            let e = &lw.c.entities[i];
            lw.diags.push(
                Diagnostic::error(
                    codes::TENANT_KEY_MISMATCH,
                    format!(
                        "`tenant by` of `{}` leads back to itself through relations",
                        e.decl.name.name
                    ),
                    "end the chain at the tenant's own entity: `tenant by` a relation to it",
                )
                .at(e.decl.name.span),
            );
            return None;
        }
        None => {}
    }
    let decl = tenant_decl(lw, i)?;
    states.insert(i, State::Visiting);
    let scope = resolve_decl(lw, model, i, decl, states);
    states.insert(i, State::Done(scope.clone()));
    scope
}

fn resolve_decl(
    lw: &mut Lowering<'_, '_>,
    model: &mut Model,
    i: usize,
    decl: &strata_lang::ast::TenantDecl,
    states: &mut HashMap<usize, State>,
) -> Option<Scope> {
    let e = &lw.c.entities[i];
    let setting = e.conv.tenant_setting.clone();
    let ti = table_of(model, &e.table)?;
    let relation = relations(e)
        .find(|r| r.name.name == decl.field.name && r.kind == RelationKind::ToOne)
        .and_then(|r| lw.entity_index.get(r.target.name.as_str()).copied());
    let Some(cols) = lw.columns_for(i, &decl.field.name) else {
        lw.diags
            .push(unknown_field(&decl.field.name, decl.field.span, e));
        return None;
    };
    let [col] = cols.as_slice() else {
        lw.diags.push(
            Diagnostic::error(
                codes::INVALID_POLICY,
                format!(
                    "tenant field `{}` has {} columns; tenant isolation needs one",
                    decl.field.name,
                    cols.len()
                ),
                "name a single-column field or relation",
            )
            .at(decl.field.span),
        );
        return None;
    };
    let col = col.clone();
    let Some(target) = relation else {
        let ty = model.tables[ti].column(&col)?.data_type.clone();
        return Some(Scope {
            column: col,
            ty,
            root: None,
            root_column: None,
            setting,
        });
    };
    if tenant_decl(lw, target).is_none() {
        // The relation leads to the tenant's own entity: its key is what the setting holds.
        let ty = model.tables[ti].column(&col)?.data_type.clone();
        let root_column = model.tables[ti]
            .foreign_keys
            .iter()
            .find(|f| f.columns.len() == 1 && f.columns[0] == col)
            .map(|f| f.ref_columns[0].clone());
        return Some(Scope {
            column: col,
            ty,
            root: Some(target),
            root_column,
            setting,
        });
    }
    // The relation leads to an isolated row: this row belongs to that row's tenant.
    let parent = resolve(lw, model, target, states)?;
    let root_table = parent.root.map(|r| lw.c.entities[r].table.clone());
    let table = &mut model.tables[ti];
    match table.column(&parent.column) {
        None => {
            let mut c = Column::new(parent.column.clone(), parent.ty.clone());
            c.default = Some(setting_expr(&setting, &parent.ty));
            c.comment = Some(format!(
                "Tenant of the row, the same as its {}'s: row-level security and the foreign keys check it.",
                decl.field.name
            ));
            c.origin.why = Some(Why::new(
                WhySource::Tenant,
                format!(
                    "`tenant by {}`: a copy of {}'s tenant, so the policy is one equality and no foreign key can cross tenants",
                    decl.field.name, lw.c.entities[target].decl.name.name
                ),
            ));
            table.columns.push(c);
        }
        Some(_)
            if root_table
                .as_ref()
                .is_some_and(|r| reusable(table, &parent.column, r)) => {}
        Some(_) => {
            lw.diags.push(
                Diagnostic::error(
                    codes::TENANT_COLUMN_TAKEN,
                    format!(
                        "`tenant by {}` needs a column `{}` for {}'s tenant, but `{}` already has a different `{}`",
                        decl.field.name,
                        parent.column,
                        lw.c.entities[target].decl.name.name,
                        lw.c.entities[i].decl.name.name,
                        parent.column
                    ),
                    "rename that field (`map \"...\"` on a relation), or `tenant by` the relation to the tenant itself",
                )
                .at(decl.field.span),
            );
            return None;
        }
    }
    Some(Scope {
        column: parent.column,
        ty: parent.ty,
        root: parent.root,
        root_column: parent.root_column,
        setting,
    })
}

fn isolate(table: &mut Table, column: &str, ty: &TypeRef, setting: &str, why: String) {
    let expr = format!("{} = {}", quote_ident(column), setting_expr(setting, ty));
    table.rls_enabled = true;
    table.rls_forced = true;
    table.policies.push(Policy {
        name: fit(&format!("{}_tenant_isolation", table.name.name)),
        command: PolicyCommand::All,
        permissive: true,
        roles: Vec::new(),
        using: Some(expr.clone()),
        with_check: Some(expr),
        why: Some(Why::new(WhySource::Tenant, why)),
    });
}

pub fn apply(lw: &mut Lowering<'_, '_>, model: &mut Model) {
    let mut states = HashMap::new();
    let mut scopes: Vec<Option<Scope>> = Vec::with_capacity(lw.c.entities.len());
    for i in 0..lw.c.entities.len() {
        scopes.push(resolve(lw, model, i, &mut states));
    }
    check_roots(lw, &scopes);

    // Table → (column, type, root, setting) for every isolated table.
    let mut isolated: HashMap<QualifiedName, Scope> = HashMap::new();
    for (i, s) in scopes.iter().enumerate() {
        if let Some(s) = s {
            isolated.insert(lw.c.entities[i].table.clone(), s.clone());
        }
    }
    let mut roots: HashMap<QualifiedName, Scope> = HashMap::new();
    for s in scopes.iter().flatten() {
        let Some(r) = s.root else { continue };
        let Some(rc) = &s.root_column else { continue };
        let name = lw.c.entities[r].table.clone();
        let Some(ty) = table_of(model, &name)
            .and_then(|t| model.tables[t].column(rc))
            .map(|c| c.data_type.clone())
        else {
            continue;
        };
        roots.entry(name).or_insert_with(|| Scope {
            column: rc.clone(),
            ty,
            root: Some(r),
            root_column: Some(rc.clone()),
            setting: s.setting.clone(),
        });
    }
    junctions(lw, model, &mut isolated, &roots);

    for (name, s) in &isolated {
        let Some(ti) = table_of(model, name) else {
            continue;
        };
        let why = format!(
            "rows are visible and writable only when {} equals the `{}` setting",
            s.column, s.setting
        );
        isolate(&mut model.tables[ti], &s.column, &s.ty, &s.setting, why);
    }
    for (name, s) in &roots {
        let Some(ti) = table_of(model, name) else {
            continue;
        };
        let why = format!(
            "a tenant's own row: visible and writable only when {} equals the `{}` setting",
            s.column, s.setting
        );
        isolate(&mut model.tables[ti], &s.column, &s.ty, &s.setting, why);
    }
    composite_keys(lw, model, &isolated);
    unscoped_children(lw, &scopes, &roots);

    lw.tenancy.column = isolated
        .iter()
        .chain(roots.iter())
        .map(|(n, s)| (n.clone(), s.column.clone()))
        .collect();
    lw.tenancy.roots = roots.keys().cloned().collect();
}

/// One setting holds one kind of key: a `tenant by` ending at an entity that itself belongs to
/// another tenant compares, say, invoice ids with the organization id in the setting.
fn check_roots(lw: &mut Lowering<'_, '_>, scopes: &[Option<Scope>]) {
    let roots: HashSet<(usize, &str)> = scopes
        .iter()
        .flatten()
        .filter_map(|s| s.root.map(|r| (r, s.setting.as_str())))
        .collect();
    // A wrong root usually points at the right one: Invoice -> Organization.
    let owner_of = |r: usize, setting: &str| {
        relations(&lw.c.entities[r])
            .filter(|x| x.kind == RelationKind::ToOne)
            .filter_map(|x| {
                lw.entity_index
                    .get(x.target.name.as_str())
                    .map(|&t| (x.name.name.clone(), t))
            })
            .find(|(_, t)| *t != r && roots.contains(&(*t, setting)))
    };
    let mut diags = Vec::new();
    for (i, s) in scopes.iter().enumerate() {
        let Some(s) = s else { continue };
        let Some(r) = s.root else { continue };
        let Some(decl) = tenant_decl(lw, i) else {
            continue;
        };
        let owner = owner_of(r, &s.setting);
        let other = match &owner {
            Some((_, t)) => Some(*t),
            // Two unrelated roots for one setting: report the later one only.
            None => roots
                .iter()
                .filter(|(o, set)| *o < r && *set == s.setting)
                .map(|(o, _)| *o)
                .find(|&o| owner_of(o, &s.setting).is_none()),
        };
        let Some(other) = other else { continue };
        let re = &lw.c.entities[r];
        let oe = &lw.c.entities[other];
        let help = match owner {
            Some((rel, _)) => format!(
                "add `tenant by {rel}` to `{}`: `tenant by {}` then takes its tenant from it",
                re.decl.name.name, decl.field.name
            ),
            None => format!(
                "give `{}` or `{}` its own `tenant_setting`, or isolate both by the same tenant",
                re.decl.name.name, oe.decl.name.name
            ),
        };
        diags.push(
            Diagnostic::error(
                codes::TENANT_KEY_MISMATCH,
                format!(
                    "`tenant by {}` on `{}` compares `{}` keys with the `{}` setting, which holds `{}` keys elsewhere",
                    decl.field.name,
                    lw.c.entities[i].decl.name.name,
                    re.decl.name.name,
                    s.setting,
                    oe.decl.name.name
                ),
                help,
            )
            .at(decl.field.span),
        );
    }
    lw.diags.extend(diags);
}

/// A generated many-to-many table holds the rows of the tenant of its isolated side.
fn junctions(
    lw: &Lowering<'_, '_>,
    model: &mut Model,
    isolated: &mut HashMap<QualifiedName, Scope>,
    roots: &HashMap<QualifiedName, Scope>,
) {
    let sides: Vec<(usize, [QualifiedName; 2])> = model
        .tables
        .iter()
        .enumerate()
        .filter_map(|(ti, t)| {
            let (a, b) = t.origin.junction_of.as_ref()?;
            let side = |n: &String| {
                lw.entity_index
                    .get(n.as_str())
                    .map(|&x| lw.c.entities[x].table.clone())
            };
            Some((ti, [side(a)?, side(b)?]))
        })
        .collect();
    for (ti, ends) in sides {
        let table = &mut model.tables[ti];
        let mut chosen = None;
        for end in &ends {
            if let Some(s) = isolated.get(end) {
                let root_table = s.root.map(|r| lw.c.entities[r].table.clone());
                match table.column(&s.column) {
                    None => {
                        let mut c = Column::new(s.column.clone(), s.ty.clone());
                        c.default = Some(setting_expr(&s.setting, &s.ty));
                        c.comment = Some(
                            "Tenant of the link, the same as both linked rows': row-level security and the foreign keys check it."
                                .into(),
                        );
                        c.origin.why = Some(Why::new(
                            WhySource::Tenant,
                            format!("the link belongs to the tenant of {}", end.name),
                        ));
                        table.columns.push(c);
                    }
                    Some(_)
                        if root_table
                            .as_ref()
                            .is_some_and(|r| reusable(table, &s.column, r)) => {}
                    Some(_) => continue,
                }
                chosen = Some(s.clone());
                break;
            }
            if let Some(s) = roots.get(end) {
                // One side is the tenant itself: its key column in the link is the tenant.
                let col = table
                    .foreign_keys
                    .iter()
                    .find(|f| &f.ref_table == end && f.columns.len() == 1)
                    .map(|f| f.columns[0].clone());
                if let Some(col) = col {
                    chosen = Some(Scope {
                        column: col,
                        ..s.clone()
                    });
                    break;
                }
            }
        }
        if let Some(s) = chosen {
            isolated.insert(table.name.clone(), s);
        }
    }
}

/// Every foreign key between two tables of the same tenant includes the tenant column, so a
/// row can only point at a row of its own tenant (the referenced table gets the unique key
/// this needs).
fn composite_keys(
    lw: &mut Lowering<'_, '_>,
    model: &mut Model,
    isolated: &HashMap<QualifiedName, Scope>,
) {
    let mut needed: Vec<(QualifiedName, Vec<String>)> = Vec::new();
    let mut diags = Vec::new();
    for table in &mut model.tables {
        let Some(own) = isolated.get(&table.name) else {
            continue;
        };
        for fk in &mut table.foreign_keys {
            let Some(theirs) = isolated.get(&fk.ref_table) else {
                continue;
            };
            if theirs.root != own.root
                || theirs.setting != own.setting
                || own.root.is_none()
                || fk.columns.contains(&own.column)
                || fk.ref_columns.contains(&theirs.column)
            {
                continue;
            }
            if matches!(fk.on_delete, FkAction::SetNull | FkAction::SetDefault)
                || matches!(fk.on_update, FkAction::SetNull | FkAction::SetDefault)
            {
                // Clearing a composite key would clear the tenant column too: the key stays
                // on the relation's own column, and the design is told what that allows.
                let span = table
                    .origin
                    .entity
                    .as_ref()
                    .and_then(|n| lw.entity_index.get(n.as_str()))
                    .map(|&i| lw.c.entities[i].decl.name.span);
                diags.push(
                    Diagnostic::warning(
                        codes::TENANT_SET_NULL_LINK,
                        format!(
                            "`{}` of {} clears itself on delete, so its key cannot include the tenant column `{}`: a row could point at another tenant's row",
                            fk.relation.as_deref().unwrap_or(&fk.name),
                            table.name.name,
                            own.column
                        ),
                        "use `on delete cascade` or `on delete restrict` between tenant-isolated entities, so the key includes the tenant",
                    )
                    .at_opt(span),
                );
                continue;
            }
            fk.columns.push(own.column.clone());
            fk.ref_columns.push(theirs.column.clone());
            needed.push((fk.ref_table.clone(), fk.ref_columns.clone()));
        }
    }
    lw.diags.extend(diags);
    for (name, cols) in needed {
        let Some(ti) = table_of(model, &name) else {
            continue;
        };
        let t = &mut model.tables[ti];
        if t.has_unique_key(&cols) {
            continue;
        }
        t.uniques.push(UniqueConstraint {
            name: fit(&format!("{}_{}_key", t.name.name, cols.join("_"))),
            columns: cols,
            nulls_not_distinct: false,
            deferrable: Deferrable::NotDeferrable,
            why: Some(Why::new(
                WhySource::Tenant,
                "referenced with the tenant column, so no row of another tenant can point here",
            )),
            without_overlaps: false,
        });
    }
}

/// An entity that points at a tenant's rows holds that tenant's rows too: without its own
/// isolation every tenant would see them.
fn unscoped_children(
    lw: &mut Lowering<'_, '_>,
    scopes: &[Option<Scope>],
    roots: &HashMap<QualifiedName, Scope>,
) {
    let mut diags = Vec::new();
    for (i, e) in lw.c.entities.iter().enumerate() {
        // An entity with its own `tenant by` that could not be resolved was reported where it
        // failed; saying it has none would contradict the source.
        if scopes[i].is_some()
            || roots.contains_key(&e.table)
            || e.members
                .iter()
                .any(|m| matches!(m, Member::Policy(_) | Member::Tenant(_)))
        {
            continue;
        }
        let parent = relations(e)
            .filter(|r| r.kind == RelationKind::ToOne)
            .find(|r| {
                lw.entity_index
                    .get(r.target.name.as_str())
                    .is_some_and(|&t| {
                        scopes[t].is_some() || roots.contains_key(&lw.c.entities[t].table)
                    })
            });
        let Some(r) = parent else { continue };
        diags.push(
            Diagnostic::error(
                codes::TENANT_CHILD_UNSCOPED,
                format!(
                    "`{}` belongs to a tenant through `{}` -> `{}`, but has no `tenant by`: every tenant would see its rows",
                    e.decl.name.name, r.name.name, r.target.name
                ),
                format!(
                    "add `tenant by {}` to `{}` (or declare a `policy` if its rows are shared by all tenants)",
                    r.name.name, e.decl.name.name
                ),
            )
            .at(e.decl.name.span),
        );
    }
    lw.diags.extend(diags);
}
