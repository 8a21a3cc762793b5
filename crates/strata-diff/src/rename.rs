//! Renames declared in the target (`renamed_from`), applied to a copy of the source model so
//! the rest of the planner compares objects under their new names.
//!
//! PostgreSQL follows a rename in everything that refers to the object by OID (indexes,
//! constraints, foreign keys, policies, defaults, triggers), so the copy follows it too:
//! column lists are renamed and the identifier is replaced in the table's own expressions.
//! What PostgreSQL prints differently afterwards (a view's `AS old_name` alias) shows as an
//! ordinary change.

use strata_model::{IndexExpr, Model, QualifiedName, Table, quote_ident};

/// A rename the plan performs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Rename {
    Table {
        from: QualifiedName,
        to: QualifiedName,
    },
    Column {
        table: QualifiedName,
        from: String,
        to: String,
    },
    /// An index, constraint, trigger or policy named after a renamed table (`tasks_pkey` →
    /// `todos_pkey`): renamed with it rather than dropped and built again. Implied by the
    /// declared table rename, never guessed on its own.
    Derived {
        kind: Derived,
        table: QualifiedName,
        from: String,
        to: String,
        /// What it is named after: `table tasks`, `column mail`.
        after: String,
    },
}

/// What a derived rename renames.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Derived {
    Index,
    PrimaryKey,
    Unique,
    Check,
    Exclusion,
    ForeignKey,
    Trigger,
    Policy,
}

/// The renames `to` declares that apply to `from`, and `from` with them applied.
pub(crate) fn apply(from: &Model, to: &Model) -> (Vec<Rename>, Model) {
    let mut model = from.clone();
    let mut renames = Vec::new();
    for t in &to.tables {
        if let Some(old) = &t.origin.renamed_from {
            let old = QualifiedName::new(t.name.schema.clone(), old.clone());
            if old != t.name && model.table(&old).is_some() && model.table(&t.name).is_none() {
                rename_table(&mut model, &old, &t.name);
                renames.push(Rename::Table {
                    from: old,
                    to: t.name.clone(),
                });
            }
        }
    }
    for t in &to.tables {
        for c in &t.columns {
            let Some(old) = &c.origin.renamed_from else {
                continue;
            };
            let Some(table) = model.table(&t.name) else {
                continue;
            };
            if old != &c.name && table.column(old).is_some() && table.column(&c.name).is_none() {
                rename_column(&mut model, &t.name, old, &c.name);
                renames.push(Rename::Column {
                    table: t.name.clone(),
                    from: old.clone(),
                    to: c.name.clone(),
                });
            }
        }
    }
    // Names built from a renamed table's or column's name follow it, both at once
    // (`customers_mail_key` → `clients_email_key`).
    let mut derived = Vec::new();
    for t in &to.tables {
        let mut pairs: Vec<(String, String, String)> = Vec::new();
        for r in &renames {
            match r {
                Rename::Table { from, to } if to == &t.name => pairs.push((
                    from.name.clone(),
                    to.name.clone(),
                    format!("table {}", from.name),
                )),
                Rename::Column { table, from, to } if table == &t.name => {
                    pairs.push((from.clone(), to.clone(), format!("column {from}")))
                }
                _ => {}
            }
        }
        if !pairs.is_empty() {
            derived_renames(&mut model, t, &pairs, &mut derived);
        }
    }
    renames.extend(derived);
    (renames, model)
}

/// Objects of a table renamed or with renamed columns (already under the new names in
/// `model`) whose names contain old names (`pairs`: old, new, what), where `target` has the
/// same kind of object under the name with new names in their place and `model` has none by
/// that name: renamed in `model`.
fn derived_renames(
    model: &mut Model,
    target: &Table,
    pairs: &[(String, String, String)],
    out: &mut Vec<Rename>,
) {
    let Some(table) = model.table_mut(&target.name) else {
        return;
    };
    // Every name reachable by replacing one occurrence of an old name at a time: with column
    // `a` renamed to `b`, `data_a_check` becomes `data_b_check`, not `dbta_a_check`.
    let candidates = |name: &str| -> Vec<(String, Vec<usize>)> {
        let mut all: Vec<(String, Vec<usize>)> = vec![(name.to_string(), Vec::new())];
        for (p, (old, new, _)) in pairs.iter().enumerate() {
            if old.is_empty() {
                continue;
            }
            let mut more = Vec::new();
            for (n, used) in &all {
                for (i, _) in n.match_indices(old.as_str()) {
                    let mut used = used.clone();
                    used.push(p);
                    more.push((format!("{}{new}{}", &n[..i], &n[i + old.len()..]), used));
                }
            }
            all.extend(more);
            if all.len() > 256 {
                break;
            }
        }
        all.into_iter().filter(|(n, _)| n != name).collect()
    };
    let after = |used: &[usize]| -> String {
        let mut what: Vec<&str> = used
            .iter()
            .filter_map(|&i| pairs.get(i).map(|p| p.2.as_str()))
            .collect();
        what.dedup();
        what.join(" and ")
    };
    let mut found: Vec<(Derived, String, String, String)> = Vec::new();
    let mut consider = |kind: Derived, have: Vec<&str>, want: Vec<&str>| {
        for name in &have {
            if let Some((new, used)) = candidates(name)
                .into_iter()
                .find(|(n, _)| want.contains(&n.as_str()) && !have.contains(&n.as_str()))
            {
                found.push((kind, (*name).to_string(), new, after(&used)));
            }
        }
    };
    consider(
        Derived::Index,
        table.indexes.iter().map(|i| i.name.as_str()).collect(),
        target.indexes.iter().map(|i| i.name.as_str()).collect(),
    );
    consider(
        Derived::PrimaryKey,
        table.primary_key.iter().map(|x| x.name.as_str()).collect(),
        target.primary_key.iter().map(|x| x.name.as_str()).collect(),
    );
    consider(
        Derived::Unique,
        table.uniques.iter().map(|x| x.name.as_str()).collect(),
        target.uniques.iter().map(|x| x.name.as_str()).collect(),
    );
    consider(
        Derived::Check,
        table.checks.iter().map(|x| x.name.as_str()).collect(),
        target.checks.iter().map(|x| x.name.as_str()).collect(),
    );
    consider(
        Derived::Exclusion,
        table.exclusions.iter().map(|x| x.name.as_str()).collect(),
        target.exclusions.iter().map(|x| x.name.as_str()).collect(),
    );
    consider(
        Derived::ForeignKey,
        table.foreign_keys.iter().map(|x| x.name.as_str()).collect(),
        target
            .foreign_keys
            .iter()
            .map(|x| x.name.as_str())
            .collect(),
    );
    consider(
        Derived::Trigger,
        table.triggers.iter().map(|x| x.name.as_str()).collect(),
        target.triggers.iter().map(|x| x.name.as_str()).collect(),
    );
    consider(
        Derived::Policy,
        table.policies.iter().map(|x| x.name.as_str()).collect(),
        target.policies.iter().map(|x| x.name.as_str()).collect(),
    );
    for (kind, from, to, after) in found {
        let rename = |n: &mut String| {
            if *n == from {
                n.clone_from(&to);
            }
        };
        match kind {
            Derived::Index => table.indexes.iter_mut().for_each(|i| rename(&mut i.name)),
            Derived::PrimaryKey => {
                if let Some(p) = &mut table.primary_key {
                    rename(&mut p.name);
                }
            }
            Derived::Unique => table.uniques.iter_mut().for_each(|x| rename(&mut x.name)),
            Derived::Check => table.checks.iter_mut().for_each(|x| rename(&mut x.name)),
            Derived::Exclusion => table
                .exclusions
                .iter_mut()
                .for_each(|x| rename(&mut x.name)),
            Derived::ForeignKey => table
                .foreign_keys
                .iter_mut()
                .for_each(|x| rename(&mut x.name)),
            Derived::Trigger => table.triggers.iter_mut().for_each(|x| rename(&mut x.name)),
            Derived::Policy => table.policies.iter_mut().for_each(|x| rename(&mut x.name)),
        }
        out.push(Rename::Derived {
            kind,
            table: target.name.clone(),
            from,
            to,
            after,
        });
    }
}

/// The models of the way back: `to` without its rename annotations as the source, `from`
/// annotated with the renames reversed as the target.
pub(crate) fn reverse_models(from: &Model, to: &Model) -> (Model, Model) {
    let (renames, _) = apply(from, to);
    let mut source = to.clone();
    for t in &mut source.tables {
        t.origin.renamed_from = None;
        for c in &mut t.columns {
            c.origin.renamed_from = None;
        }
    }
    let mut target = from.clone();
    for t in &mut target.tables {
        t.origin.renamed_from = None;
        for c in &mut t.columns {
            c.origin.renamed_from = None;
        }
    }
    // Column renames name the table by its new name; find it under its old one.
    let old_table = |name: &QualifiedName| -> QualifiedName {
        renames
            .iter()
            .find_map(|r| match r {
                Rename::Table { from, to } if to == name => Some(from.clone()),
                _ => None,
            })
            .unwrap_or_else(|| name.clone())
    };
    for r in &renames {
        match r {
            Rename::Table { from, to } => {
                if let Some(t) = target.table_mut(from) {
                    t.origin.renamed_from = Some(to.name.clone());
                }
            }
            // Derived renames follow the reversed table rename by themselves.
            Rename::Derived { .. } => {}
            Rename::Column { table, from, to } => {
                if let Some(t) = target.table_mut(&old_table(table))
                    && let Some(c) = t.column_mut(from)
                {
                    c.origin.renamed_from = Some(to.clone());
                }
            }
        }
    }
    (source, target)
}

/// PostgreSQL 18 keeps the name of a NOT NULL constraint (`<table>_<column>_not_null`) when
/// the table or column is renamed: after the rename it is a name of its own.
fn keep_not_null_name(c: &mut strata_model::Column, table: &str) {
    if !c.nullable && c.not_null_name.is_none() {
        c.not_null_name = Some(strata_model::default_not_null_name(table, &c.name));
    }
}

fn rename_table(model: &mut Model, old: &QualifiedName, new: &QualifiedName) {
    for t in &mut model.tables {
        if &t.name == old {
            for c in &mut t.columns {
                keep_not_null_name(c, &old.name);
            }
            t.name = new.clone();
        }
        for fk in &mut t.foreign_keys {
            if &fk.ref_table == old {
                fk.ref_table = new.clone();
            }
        }
        if let Some(of) = &mut t.partition_of
            && &of.parent == old
        {
            of.parent = new.clone();
        }
    }
    for s in &mut model.sequences {
        if let Some((t, _)) = &mut s.owned_by
            && t == old
        {
            *t = new.clone();
        }
    }
    for g in &mut model.grants {
        if &g.object == old {
            g.object = new.clone();
        }
    }
    for p in &mut model.access_patterns {
        if &p.table == old {
            p.table = new.clone();
        }
    }
    // Policies and checks of other tables that name it (subqueries) follow it on the server.
    for t in &mut model.tables {
        for p in &mut t.policies {
            for sql in p.using.iter_mut().chain(p.with_check.iter_mut()) {
                *sql = replace_qualified(sql, old, &new.name);
            }
        }
    }
}

fn rename_column(model: &mut Model, table: &QualifiedName, old: &str, new: &str) {
    let fix = |sql: &mut String| *sql = replace_ident(sql, old, new);
    let rename = |c: &mut String| {
        if c == old {
            *c = new.to_string();
        }
    };
    for s in &mut model.sequences {
        if let Some((t, c)) = &mut s.owned_by
            && t == table
        {
            rename(c);
        }
    }
    for t in &mut model.tables {
        let own = &t.name == table;
        for fk in &mut t.foreign_keys {
            if own {
                fk.columns.iter_mut().for_each(rename);
            }
            if &fk.ref_table == table {
                fk.ref_columns.iter_mut().for_each(rename);
            }
        }
        // Partitions hold copies of their parent's columns.
        let child = t
            .partition_of
            .as_ref()
            .is_some_and(|of| &of.parent == table);
        if !own && !child {
            continue;
        }
        for c in &mut t.columns {
            if own && c.name == old {
                keep_not_null_name(c, &table.name);
            }
            rename(&mut c.name);
            c.default.iter_mut().for_each(fix);
            c.generated.iter_mut().for_each(fix);
        }
        if !own {
            continue;
        }
        if let Some(pk) = &mut t.primary_key {
            pk.columns.iter_mut().for_each(rename);
        }
        for u in &mut t.uniques {
            u.columns.iter_mut().for_each(rename);
        }
        t.checks.iter_mut().for_each(|c| fix(&mut c.expression));
        for x in &mut t.exclusions {
            for e in &mut x.elements {
                rename_expr(&mut e.key.expr, old, new);
            }
            x.predicate.iter_mut().for_each(fix);
        }
        for i in &mut t.indexes {
            for k in &mut i.keys {
                rename_expr(&mut k.expr, old, new);
            }
            i.include.iter_mut().for_each(rename);
            i.predicate.iter_mut().for_each(fix);
        }
        for tr in &mut t.triggers {
            for e in &mut tr.events {
                if let strata_model::TriggerEvent::Update(cols) = e {
                    cols.iter_mut().for_each(rename);
                }
            }
            tr.when.iter_mut().for_each(fix);
        }
        for p in &mut t.policies {
            p.using.iter_mut().for_each(fix);
            p.with_check.iter_mut().for_each(fix);
        }
        if let Some(pb) = &mut t.partition_by {
            for k in &mut pb.keys {
                rename_expr(k, old, new);
            }
        }
    }
}

fn rename_expr(expr: &mut IndexExpr, old: &str, new: &str) {
    match expr {
        IndexExpr::Column(c) => {
            if c == old {
                *c = new.to_string();
            }
        }
        IndexExpr::Expression(sql) => *sql = replace_ident(sql, old, new),
    }
}

/// `schema.old` → `schema.new` in `sql`, identifiers only.
fn replace_qualified(sql: &str, old: &QualifiedName, new: &str) -> String {
    let quoted_old = old.quoted();
    let quoted_new = QualifiedName::new(old.schema.clone(), new.to_string()).quoted();
    sql.replace(&quoted_old, &quoted_new)
}

/// Replaces the identifier `old` (bare, case-folded, or double-quoted) with `new`, quoted as
/// needed, outside string literals and comments.
pub(crate) fn replace_ident(sql: &str, old: &str, new: &str) -> String {
    let chars: Vec<char> = sql.chars().collect();
    let mut out = String::with_capacity(sql.len());
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '\'' {
            let start = i;
            i += 1;
            while i < chars.len() {
                if chars[i] == '\'' {
                    if chars.get(i + 1) == Some(&'\'') {
                        i += 2;
                        continue;
                    }
                    break;
                }
                i += 1;
            }
            i = (i + 1).min(chars.len());
            out.extend(&chars[start..i]);
        } else if c == '"' {
            let start = i;
            let mut word = String::new();
            i += 1;
            while i < chars.len() {
                if chars[i] == '"' {
                    if chars.get(i + 1) == Some(&'"') {
                        word.push('"');
                        i += 2;
                        continue;
                    }
                    break;
                }
                word.push(chars[i]);
                i += 1;
            }
            i = (i + 1).min(chars.len());
            if word == old {
                out.push_str(&quote_ident(new));
            } else {
                out.extend(&chars[start..i]);
            }
        } else if c.is_alphabetic() || c == '_' {
            let start = i;
            while i < chars.len()
                && (chars[i].is_alphanumeric() || chars[i] == '_' || chars[i] == '$')
            {
                i += 1;
            }
            let word: String = chars[start..i].iter().collect();
            if word.to_lowercase() == old {
                out.push_str(&quote_ident(new));
            } else {
                out.push_str(&word);
            }
        } else {
            out.push(c);
            i += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::replace_ident;

    #[test]
    fn replaces_identifiers_only() {
        assert_eq!(
            replace_ident(
                "(owner = CURRENT_USER) AND owner_id > 0 AND 'owner' <> \"owner\"",
                "owner",
                "author"
            ),
            "(author = CURRENT_USER) AND owner_id > 0 AND 'owner' <> author"
        );
    }
}
