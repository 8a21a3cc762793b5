//! Tenant isolation as the designer generates it, undone before printing: `tenant by` a
//! relation to an isolated entity adds a copy of the tenant column, composite foreign keys
//! through it, the unique keys they reference and the policies of the tenant's own table and
//! of many-to-many links. The printer sees the tables without them (and a hint saying which
//! relation carries the tenant); designing the printed files generates them again, and the
//! design-back check compares with the original.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use strata_model::{Model, PolicyCommand, QualifiedName, Table, quote_ident};

use crate::types;

/// How an isolated table gets its tenant, when its own columns do not say it.
#[derive(Debug, Clone)]
pub struct Hint {
    /// Columns of the relation (after the tenant column is taken out) that carries the tenant.
    pub relation: Vec<String>,
    pub setting: String,
}

/// The column and setting of a table's designer-made tenant policy.
fn tenant_policy(t: &Table) -> Option<(String, String)> {
    if !(t.rls_enabled && t.rls_forced) {
        return None;
    }
    let name = strata_design::names::fit(&format!("{}_tenant_isolation", t.name.name));
    let p = t.policies.iter().find(|p| p.name == name)?;
    if p.command != PolicyCommand::All
        || !p.permissive
        || !p.roles.is_empty()
        || p.using.is_none()
        || !crate::sqlform::same(
            p.using.as_deref().unwrap_or_default(),
            p.with_check.as_deref().unwrap_or_default(),
        )
    {
        return None;
    }
    // In the designer's spelling or the server's (`(user_id = (NULLIF(...'::text, ...)))`).
    let using = crate::sqlform::loose(p.using.as_deref().unwrap_or_default());
    t.columns.iter().find_map(|c| {
        let prefix = format!("{} = NULLIF(current_setting(", quote_ident(&c.name));
        let suffix = format!(", true), '')::{}", types::type_sql(&c.data_type));
        let mid = using.strip_prefix(&prefix)?.strip_suffix(&suffix)?;
        Some((c.name.clone(), types::parse_literal(mid)?))
    })
}

fn drop_policy(t: &mut Table) {
    let name = strata_design::names::fit(&format!("{}_tenant_isolation", t.name.name));
    t.policies.retain(|p| p.name != name);
    t.rls_forced = false;
    t.rls_enabled = !t.policies.is_empty();
}

/// The model as printed, and the tables whose tenant comes through a relation.
/// Tables printed explicitly keep everything as it is.
pub fn view(
    model: &Model,
    explicit: &BTreeSet<QualifiedName>,
) -> (Model, HashMap<QualifiedName, Hint>) {
    let scoped: BTreeMap<QualifiedName, (String, String)> = model
        .tables
        .iter()
        .filter_map(|t| tenant_policy(t).map(|p| (t.name.clone(), p)))
        .collect();
    let mut out = model.clone();
    let mut hints = HashMap::new();
    let mut referenced: Vec<(QualifiedName, Vec<String>)> = Vec::new();
    let mut roots: Vec<QualifiedName> = Vec::new();
    for t in out
        .tables
        .iter_mut()
        .filter(|t| !explicit.contains(&t.name))
    {
        let Some((col, setting)) = scoped.get(&t.name) else {
            continue;
        };
        let mut stripped: Option<Vec<String>> = None;
        for fk in &mut t.foreign_keys {
            let theirs = scoped.get(&fk.ref_table).map(|(c, _)| c);
            if fk.columns.len() >= 2
                && fk.columns.last() == Some(col)
                && theirs.is_some()
                && fk.ref_columns.last() == theirs
            {
                referenced.push((fk.ref_table.clone(), fk.ref_columns.clone()));
                fk.columns.pop();
                fk.ref_columns.pop();
                stripped.get_or_insert_with(|| fk.columns.clone());
            } else if fk.columns.len() == 1 && &fk.columns[0] == col && theirs.is_some() {
                // `tenant by` a relation to the tenant's own table.
                roots.push(fk.ref_table.clone());
            }
        }
        let own_relation = t
            .foreign_keys
            .iter()
            .any(|f| f.columns.len() == 1 && &f.columns[0] == col);
        // Every table referencing the tenant's own table through its tenant column makes it
        // a root; without a relation of its own, the column is the designer's copy.
        if let Some(relation) = stripped
            && !own_relation
        {
            t.columns.retain(|c| &c.name != col);
            drop_policy(t);
            hints.insert(
                t.name.clone(),
                Hint {
                    relation,
                    setting: setting.clone(),
                },
            );
        }
    }
    for t in out
        .tables
        .iter_mut()
        .filter(|t| !explicit.contains(&t.name))
    {
        if roots.contains(&t.name)
            && let Some((col, _)) = scoped.get(&t.name)
            && t.primary_key
                .as_ref()
                .is_some_and(|p| p.columns == [col.clone()])
        {
            drop_policy(t);
        }
        let gone: Vec<String> = t
            .uniques
            .iter()
            .filter(|u| {
                referenced
                    .iter()
                    .any(|(r, cols)| r == &t.name && *cols == u.columns)
                    && u.name
                        == strata_design::names::fit(&format!(
                            "{}_{}_key",
                            t.name.name,
                            u.columns.join("_")
                        ))
            })
            .map(|u| u.name.clone())
            .collect();
        t.uniques.retain(|u| !gone.contains(&u.name));
    }
    (out, hints)
}

/// The `actor_setting` the audit function reads, when it is not the default.
pub fn actor_setting(model: &Model) -> Option<String> {
    let f = model
        .functions
        .iter()
        .find(|f| f.name == QualifiedName::public("audit_row_change"))?;
    let at = f.body.find("COALESCE(NULLIF(pg_catalog.current_setting(")?;
    let rest = &f.body[at + "COALESCE(NULLIF(pg_catalog.current_setting(".len()..];
    let end = rest.find(", true)")?;
    let setting = types::parse_literal(&rest[..end])?;
    (setting != strata_design::conventions::Conv::default().actor_setting).then_some(setting)
}
