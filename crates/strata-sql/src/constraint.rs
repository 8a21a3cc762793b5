//! Constraints: the clauses used inside `CREATE TABLE` / `CREATE DOMAIN`, and the
//! `ALTER TABLE ... ADD` statements for foreign keys and constraints added after the table.

use strata_model::{
    CheckConstraint, ExclusionConstraint, FkMatch, ForeignKey, PrimaryKey, QualifiedName,
    UniqueConstraint,
};

use crate::index::render_index_key;
use crate::util::{constraint_prefix, deferrable_sql, ident_list};

/// `a, b` with the last column marked: `a, b WITHOUT OVERLAPS` (a temporal key) or
/// `a, PERIOD b` (a temporal foreign key), when `marked`.
fn key_columns(columns: &[String], marked: bool, period: bool) -> String {
    let list = ident_list(columns);
    let Some(last) = columns.last().filter(|_| marked) else {
        return list;
    };
    let init = ident_list(&columns[..columns.len() - 1]);
    let last = strata_model::quote_ident(last);
    let last = if period {
        format!("PERIOD {last}")
    } else {
        format!("{last} WITHOUT OVERLAPS")
    };
    if init.is_empty() {
        last
    } else {
        format!("{init}, {last}")
    }
}

/// `CONSTRAINT name PRIMARY KEY (a, b [WITHOUT OVERLAPS])`
pub fn render_primary_key_clause(pk: &PrimaryKey) -> String {
    format!(
        "{}PRIMARY KEY ({}){}",
        constraint_prefix(&pk.name),
        key_columns(&pk.columns, pk.without_overlaps, false),
        deferrable_sql(pk.deferrable)
    )
}

/// `CONSTRAINT name UNIQUE [NULLS NOT DISTINCT] (a, b [WITHOUT OVERLAPS]) [DEFERRABLE ...]`
pub fn render_unique_clause(unique: &UniqueConstraint) -> String {
    let nulls = if unique.nulls_not_distinct {
        " NULLS NOT DISTINCT"
    } else {
        ""
    };
    format!(
        "{}UNIQUE{nulls} ({}){}",
        constraint_prefix(&unique.name),
        key_columns(&unique.columns, unique.without_overlaps, false),
        deferrable_sql(unique.deferrable)
    )
}

/// `CONSTRAINT name CHECK (expression)`
pub fn render_check_clause(check: &CheckConstraint) -> String {
    format!(
        "{}CHECK ({}){}",
        constraint_prefix(&check.name),
        check.expression.trim(),
        if check.not_enforced {
            " NOT ENFORCED"
        } else {
            ""
        }
    )
}

/// `CONSTRAINT name EXCLUDE USING method (key WITH op, ...) [WHERE (predicate)]`
pub fn render_exclusion_clause(exclusion: &ExclusionConstraint) -> String {
    let elements: Vec<String> = exclusion
        .elements
        .iter()
        .map(|e| format!("{} WITH {}", render_index_key(&e.key), e.operator.trim()))
        .collect();
    let using = if exclusion.method.is_empty() {
        String::new()
    } else {
        format!(" USING {}", strata_model::quote_ident(&exclusion.method))
    };
    let mut out = format!(
        "{}EXCLUDE{using} ({})",
        constraint_prefix(&exclusion.name),
        elements.join(", ")
    );
    if let Some(predicate) = &exclusion.predicate {
        out.push_str(&format!(" WHERE ({})", predicate.trim()));
    }
    out.push_str(deferrable_sql(exclusion.deferrable));
    out
}

/// `CONSTRAINT name FOREIGN KEY (a [, PERIOD p]) REFERENCES t (b [, PERIOD q]) [MATCH FULL]
/// ON DELETE x ON UPDATE y [DEFERRABLE ...] [NOT ENFORCED] [NOT VALID]`. Both referential actions are always printed.
pub fn render_foreign_key_clause(fk: &ForeignKey) -> String {
    let mut out = format!(
        "{}FOREIGN KEY ({}) REFERENCES {}",
        constraint_prefix(&fk.name),
        key_columns(&fk.columns, fk.period, true),
        fk.ref_table.quoted()
    );
    if !fk.ref_columns.is_empty() {
        out.push_str(&format!(
            " ({})",
            key_columns(&fk.ref_columns, fk.period, true)
        ));
    }
    if fk.match_type == FkMatch::Full {
        out.push_str(" MATCH FULL");
    }
    out.push_str(&format!(
        " ON DELETE {} ON UPDATE {}",
        fk.on_delete.sql(),
        fk.on_update.sql()
    ));
    out.push_str(deferrable_sql(fk.deferrable));
    if fk.not_enforced {
        out.push_str(" NOT ENFORCED");
    }
    if fk.not_valid {
        out.push_str(" NOT VALID");
    }
    out
}

/// `ALTER TABLE table\n    ADD clause;`
pub fn render_add_constraint(table: &QualifiedName, clause: &str) -> String {
    format!("ALTER TABLE {}\n    ADD {clause};", table.quoted())
}

/// `ALTER TABLE table ADD CONSTRAINT name CHECK (...) [NOT VALID];`
pub fn render_add_check(table: &QualifiedName, check: &CheckConstraint) -> String {
    let mut clause = render_check_clause(check);
    if check.not_valid {
        clause.push_str(" NOT VALID");
    }
    render_add_constraint(table, &clause)
}

/// `ALTER TABLE table ADD CONSTRAINT name FOREIGN KEY ...;`
pub fn render_foreign_key(table: &QualifiedName, fk: &ForeignKey) -> String {
    render_add_constraint(table, &render_foreign_key_clause(fk))
}
