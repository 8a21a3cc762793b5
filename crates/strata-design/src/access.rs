//! Access patterns: the SQL an application runs, parsed and turned into index candidates.
//!
//! For the table a query drives, conjuncts of its WHERE clause are sorted into equality
//! columns, range columns, constant filters (which become a partial-index predicate) and
//! operators only GIN serves; ORDER BY and GROUP BY columns follow the equality columns, and
//! narrow selected columns are INCLUDEd when that makes the query index-only.

use std::ops::ControlFlow;

use sqlparser::ast::{
    BinaryOperator, Expr, GroupByExpr, Ident, JoinConstraint, JoinOperator, OrderByKind,
    OrderBySort, SelectItem, SetExpr, Statement, TableFactor, TableWithJoins, UnaryOperator, Value,
    visit_expressions, visit_expressions_mut,
};
use sqlparser::dialect::PostgreSqlDialect;
use sqlparser::parser::{Parser, ParserError};
use strata_diagnostics::{Diagnostic, Span};
use strata_lang::ast::{self, Member, RateUnit};
use strata_model::*;

use crate::codes;
use crate::entity::Lowering;
use crate::fragments;
use crate::names::fit;

pub fn derive(lw: &mut Lowering<'_, '_>, model: &mut Model) {
    for i in 0..lw.c.entities.len() {
        let e = &lw.c.entities[i];
        let patterns: Vec<&ast::AccessDecl> = e
            .members
            .iter()
            .filter_map(|m| match m {
                Member::Access(a) => Some(a),
                _ => None,
            })
            .collect();
        for a in patterns {
            let table = lw.c.entities[i].table.clone();
            let mut diags = Vec::new();
            let home = match model.tables.get(i) {
                Some(t) if t.name == table => Some(t),
                _ => model.tables.iter().find(|t| t.name == table),
            };
            let mut filter = Filter::default();
            let candidates = match home {
                Some(h) => analyze(a, h, model, &mut diags, &mut filter),
                None => Vec::new(),
            };
            let failed = diags.iter().any(Diagnostic::is_error);
            lw.diags.extend(diags);
            if !failed && !a.across_tenants {
                cross_tenant(lw, model, a, &filter);
            }
            if !failed {
                enum_under_rls(lw, model, a, &filter);
            }
            let rate = a.rate.as_ref().map(|r| {
                r.value
                    / match r.unit {
                        RateUnit::Second => 1.0,
                        RateUnit::Minute => 60.0,
                        RateUnit::Hour => 3600.0,
                        RateUnit::Day => 86400.0,
                    }
            });
            let mut served_by = Vec::new();
            if !failed {
                for (tname, idx) in candidates {
                    served_by.push(idx.name.clone());
                    let at = match model.tables.get(i) {
                        Some(t) if t.name == tname => Some(i),
                        _ => model.tables.iter().position(|t| t.name == tname),
                    };
                    if let Some(t) = at.and_then(|at| model.tables.get_mut(at)) {
                        t.indexes.push(idx);
                    }
                }
            }
            model.access_patterns.push(AccessPattern {
                name: a.name.name.clone(),
                table,
                sql: a.sql.text.trim().to_string(),
                rate_per_sec: rate,
                served_by,
                across_tenants: a.across_tenants,
            });
        }
    }
}

/// Maps a 1-based line/column inside the SQL text onto a span in the `.strata` source.
fn span_at(sql: &ast::SqlText, line: u64, column: u64) -> Span {
    let mut offset = 0usize;
    for (n, l) in sql.text.split_inclusive('\n').enumerate() {
        if n as u64 + 1 == line {
            let col: usize = l
                .chars()
                .take(column.saturating_sub(1) as usize)
                .map(char::len_utf8)
                .sum();
            offset += col;
            break;
        }
        offset += l.len();
    }
    let start = sql.span.start as usize + offset.min(sql.text.len());
    let end = sql.text[offset.min(sql.text.len())..]
        .find(|c: char| c.is_whitespace())
        .map(|w| start + w.max(1))
        .unwrap_or(sql.span.end as usize);
    Span::new(
        sql.span.file,
        start,
        end.max(start + 1).min(sql.span.end as usize).max(start),
    )
}

fn ident_span(sql: &ast::SqlText, id: &Ident) -> Span {
    if id.span.start.line == 0 {
        return sql.span;
    }
    let s = span_at(sql, id.span.start.line, id.span.start.column);
    Span::new(
        s.file,
        s.start as usize,
        s.start as usize + id.value.len() + usize::from(id.quote_style.is_some()) * 2,
    )
}

/// Error location from sqlparser's message ("... at Line: 2, Column: 14").
fn parse_error_span(sql: &ast::SqlText, message: &str) -> Span {
    let num_after = |key: &str| -> Option<u64> {
        let i = message.find(key)? + key.len();
        message[i..]
            .trim_start()
            .split(|c: char| !c.is_ascii_digit())
            .next()?
            .parse()
            .ok()
    };
    match (num_after("Line:"), num_after("Column:")) {
        (Some(l), Some(c)) if l > 0 => span_at(sql, l, c),
        _ => sql.span,
    }
}

struct Source<'m> {
    table: &'m Table,
    alias: String,
}

struct Analysis<'m> {
    sources: Vec<Source<'m>>,
    /// Select-list aliases, which ORDER BY may name.
    aliases: Vec<String>,
}

impl<'m> Analysis<'m> {
    /// Which source a column reference belongs to.
    fn resolve(&self, parts: &[Ident]) -> Result<(usize, String), String> {
        match parts {
            [col] => {
                let name = &col.value;
                let hits: Vec<usize> = (0..self.sources.len())
                    .filter(|&i| self.sources[i].table.column(name).is_some())
                    .collect();
                match hits.first() {
                    Some(&i) => Ok((i, name.clone())),
                    None => Err(name.clone()),
                }
            }
            [.., qual, col] => {
                let src = self
                    .sources
                    .iter()
                    .position(|s| s.alias == qual.value || s.table.name.name == qual.value);
                match src {
                    Some(i) if self.sources[i].table.column(&col.value).is_some() => {
                        Ok((i, col.value.clone()))
                    }
                    _ => Err(format!("{}.{}", qual.value, col.value)),
                }
            }
            [] => Err(String::new()),
        }
    }

    fn column_of(&self, e: &Expr, src: usize) -> Option<String> {
        let parts = match e {
            Expr::Identifier(i) => vec![i.clone()],
            Expr::CompoundIdentifier(p) => p.clone(),
            Expr::Nested(inner) => return self.column_of(inner, src),
            _ => return None,
        };
        match self.resolve(&parts) {
            Ok((s, c)) if s == src => Some(c),
            _ => None,
        }
    }

    /// Whether an expression reads no column of `src` (a parameter, constant or other table).
    fn independent_of(&self, e: &Expr, src: usize) -> bool {
        let mut refs = false;
        let _ = visit_expressions(e, |x| {
            let parts = match x {
                Expr::Identifier(i) => Some(vec![i.clone()]),
                Expr::CompoundIdentifier(p) => Some(p.clone()),
                _ => None,
            };
            if let Some(p) = parts
                && matches!(self.resolve(&p), Ok((s, _)) if s == src)
            {
                refs = true;
                return ControlFlow::Break(());
            }
            ControlFlow::Continue(())
        });
        !refs
    }
}

fn is_constant(e: &Expr) -> bool {
    match e {
        Expr::Value(v) => !matches!(v.value, Value::Placeholder(_)),
        Expr::Nested(i) => is_constant(i),
        Expr::Cast { expr, .. } => is_constant(expr),
        Expr::UnaryOp { expr, .. } => is_constant(expr),
        _ => false,
    }
}

fn conjuncts(e: &Expr, out: &mut Vec<Expr>) {
    match e {
        Expr::BinaryOp {
            left,
            op: BinaryOperator::And,
            right,
        } => {
            conjuncts(left, out);
            conjuncts(right, out);
        }
        Expr::Nested(inner)
            if matches!(
                **inner,
                Expr::BinaryOp {
                    op: BinaryOperator::And,
                    ..
                }
            ) =>
        {
            conjuncts(inner, out)
        }
        other => out.push(other.clone()),
    }
}

fn flip(op: &BinaryOperator) -> Option<BinaryOperator> {
    Some(match op {
        BinaryOperator::Lt => BinaryOperator::Gt,
        BinaryOperator::Gt => BinaryOperator::Lt,
        BinaryOperator::LtEq => BinaryOperator::GtEq,
        BinaryOperator::GtEq => BinaryOperator::LtEq,
        BinaryOperator::Eq => BinaryOperator::Eq,
        _ => return None,
    })
}

#[derive(Default)]
struct Shape {
    eq: Vec<String>,
    range: Vec<String>,
    gin: Vec<String>,
    predicate: Vec<Expr>,
}

impl Shape {
    fn add_eq(&mut self, c: String) {
        if !self.eq.contains(&c) {
            self.eq.push(c);
        }
    }
}

fn classify(a: &Analysis, src: usize, cond: &Expr, shape: &mut Shape) {
    match cond {
        Expr::Nested(inner) => classify(a, src, inner, shape),
        Expr::BinaryOp { left, op, right } => {
            let (col, other, op) = match (a.column_of(left, src), a.column_of(right, src)) {
                (Some(c), None) => (c, right, op.clone()),
                (None, Some(c)) => match flip(op) {
                    Some(f) => (c, left, f),
                    None => (c, left, op.clone()),
                },
                _ => return,
            };
            if !a.independent_of(other, src) {
                return;
            }
            match op {
                BinaryOperator::Eq if is_constant(other) => shape.predicate.push(cond.clone()),
                BinaryOperator::Eq => shape.add_eq(col),
                BinaryOperator::Lt
                | BinaryOperator::Gt
                | BinaryOperator::LtEq
                | BinaryOperator::GtEq
                    if !shape.range.contains(&col) =>
                {
                    shape.range.push(col)
                }
                BinaryOperator::AtArrow
                | BinaryOperator::Question
                | BinaryOperator::QuestionAnd
                | BinaryOperator::QuestionPipe
                | BinaryOperator::PGOverlap
                | BinaryOperator::AtAt => shape.gin.push(col),
                _ => {}
            }
        }
        Expr::UnaryOp {
            op: UnaryOperator::Not,
            expr,
        } if a.column_of(expr, src).is_some() => shape.predicate.push(cond.clone()),
        Expr::Identifier(_) | Expr::CompoundIdentifier(_) if a.column_of(cond, src).is_some() => {
            shape.predicate.push(cond.clone())
        }
        Expr::IsNull(e)
        | Expr::IsNotNull(e)
        | Expr::IsTrue(e)
        | Expr::IsFalse(e)
        | Expr::IsNotTrue(e)
        | Expr::IsNotFalse(e)
            if a.column_of(e, src).is_some() =>
        {
            shape.predicate.push(cond.clone())
        }
        Expr::InList {
            expr,
            list,
            negated: false,
        } => {
            if let Some(c) = a.column_of(expr, src) {
                if list.iter().all(is_constant) {
                    shape.predicate.push(cond.clone());
                } else {
                    shape.add_eq(c);
                }
            }
        }
        Expr::AnyOp {
            left,
            compare_op: BinaryOperator::Eq,
            ..
        } => {
            if let Some(c) = a.column_of(left, src) {
                shape.add_eq(c);
            }
        }
        Expr::Between {
            expr,
            negated: false,
            ..
        } => {
            if let Some(c) = a.column_of(expr, src)
                && !shape.range.contains(&c)
            {
                shape.range.push(c);
            }
        }
        _ => {}
    }
}

/// The predicate as stored in an index definition: columns unqualified.
fn predicate_sql(exprs: &[Expr]) -> Option<String> {
    if exprs.is_empty() {
        return None;
    }
    let parts: Vec<String> = exprs
        .iter()
        .map(|e| {
            let mut e = e.clone();
            let _ = visit_expressions_mut(&mut e, |x| {
                if let Expr::CompoundIdentifier(p) = x
                    && let Some(last) = p.last().cloned()
                {
                    *x = Expr::Identifier(last);
                }
                ControlFlow::<()>::Continue(())
            });
            let s = e.to_string();
            if matches!(
                e,
                Expr::BinaryOp {
                    op: BinaryOperator::Or,
                    ..
                }
            ) {
                format!("({s})")
            } else {
                s
            }
        })
        .collect();
    Some(parts.join(" AND "))
}

/// A column narrow enough to carry in an index's INCLUDE list.
fn narrow(table: &Table, col: &str) -> bool {
    let Some(c) = table.column(col) else {
        return false;
    };
    let t = &c.data_type;
    if t.array_dims > 0 {
        return false;
    }
    if t.schema.is_some() {
        return true;
    }
    match t.base_name() {
        "text" => table.checks.iter().any(|k| {
            k.expression
                .starts_with(&format!("char_length({}) <= ", quote_ident(col)))
                && k.expression
                    .rsplit(' ')
                    .next()
                    .and_then(|n| n.parse::<u32>().ok())
                    .is_some_and(|n| n <= 256)
        }),
        "character varying" | "character" => t
            .name
            .trim_end_matches(')')
            .rsplit('(')
            .next()
            .and_then(|n| n.parse::<u32>().ok())
            .is_some_and(|n| n <= 256),
        "jsonb" | "json" | "bytea" | "xml" | "tsvector" => false,
        _ => true,
    }
}

fn table_by_name<'m>(model: &'m Model, parts: &[Ident], home: &'m Table) -> Option<&'m Table> {
    let default_schema = home.name.schema.as_str();
    // Most patterns read their own entity's table: no search needed.
    if let [name] = parts
        && name.value == home.name.name
    {
        return Some(home);
    }
    match parts {
        [name] => model
            .tables
            .iter()
            .find(|t| t.name.name == name.value && t.name.schema == default_schema)
            .or_else(|| {
                model
                    .tables
                    .iter()
                    .find(|t| t.name.name == name.value && t.name.schema == "public")
            })
            .or_else(|| model.tables.iter().find(|t| t.name.name == name.value)),
        [.., schema, name] => model
            .tables
            .iter()
            .find(|t| t.name.name == name.value && t.name.schema == schema.value),
        [] => None,
    }
}

/// What a query's WHERE pins on the table it drives.
#[derive(Default)]
struct Filter {
    table: Option<QualifiedName>,
    equal: Vec<String>,
}

/// A query on a tenant-isolated table that pins neither the tenant nor a key of one of its
/// rows means to read across tenants, which row-level security silently prevents.
fn cross_tenant(lw: &mut Lowering<'_, '_>, model: &Model, a: &ast::AccessDecl, f: &Filter) {
    let Some(name) = &f.table else { return };
    let Some(tenant_col) = lw.tenancy.column.get(name) else {
        return;
    };
    let Some(table) = model.table(name) else {
        return;
    };
    let mut anchors: Vec<&str> = vec![tenant_col.as_str()];
    if let Some(pk) = &table.primary_key {
        anchors.extend(pk.columns.iter().map(String::as_str));
    }
    for fk in &table.foreign_keys {
        if lw.tenancy.column.contains_key(&fk.ref_table)
            && let Some(c) = fk.columns.first()
        {
            anchors.push(c);
        }
    }
    if f.equal.iter().any(|c| anchors.contains(&c.as_str())) {
        return;
    }
    lw.diags.push(
        Diagnostic::warning(
            codes::CROSS_TENANT_ACCESS,
            format!(
                "access pattern `{}` reads tenant-isolated `{}` without pinning a tenant: under row-level security the application sees only the current tenant's rows",
                a.name.name, name.name
            ),
            format!(
                "filter by `{tenant_col}` or a key of a tenant's row, or write `access {} ... across tenants` when a role that bypasses row-level security runs it",
                a.name.name
            ),
        )
        .at(a.name.span),
    );
}

/// Enum equality is not leakproof: under row-level security PostgreSQL applies it only after
/// the policy, so it cannot be an index condition and the derived index goes unused (a scan
/// and a sort instead). Text with a CHECK compares with `=` on text, which is leakproof.
fn enum_under_rls(lw: &mut Lowering<'_, '_>, model: &Model, a: &ast::AccessDecl, f: &Filter) {
    let Some(name) = &f.table else { return };
    let Some(table) = model.table(name) else {
        return;
    };
    if !table.rls_enabled {
        return;
    }
    // A constant filter becomes the partial index's predicate, which the planner still proves
    // from the query: only an equality that must be an index condition is lost.
    let native = f.equal.iter().find(|c| {
        table.column(c).is_some_and(|col| {
            col.data_type.schema.is_some()
                && model
                    .enums
                    .iter()
                    .any(|e| e.name.name == col.data_type.name)
        })
    });
    let Some(col) = native else { return };
    lw.diags.push(
        Diagnostic::warning(
            codes::ENUM_UNDER_RLS,
            format!(
                "access pattern `{}` filters `{}` by the native enum column `{col}`: under row-level security enum equality runs after the policy, so the derived index cannot use it",
                a.name.name, name.name
            ),
            "store the enum as text with a CHECK (`conventions { enums check }`), whose `=` may run inside the index scan",
        )
        .at(a.name.span),
    );
}

fn analyze(
    a: &ast::AccessDecl,
    home_table: &Table,
    model: &Model,
    diags: &mut Vec<Diagnostic>,
    filter: &mut Filter,
) -> Vec<(QualifiedName, Index)> {
    if !fragments::within_limits(&a.sql, &format!("access pattern `{}`", a.name.name), diags) {
        return Vec::new();
    }
    let statements = match Parser::new(&PostgreSqlDialect {})
        .with_recursion_limit(fragments::MAX_DEPTH)
        .try_with_sql(&a.sql.text)
        .and_then(|mut p| p.parse_statements())
    {
        Ok(s) => s,
        Err(ParserError::RecursionLimitExceeded) => {
            diags.push(fragments::too_deep(
                &a.sql,
                &format!("access pattern `{}`", a.name.name),
            ));
            return Vec::new();
        }
        Err(err) => {
            let msg = err.to_string();
            let clean = msg.trim_start_matches("sql parser error: ");
            diags.push(
                Diagnostic::error(
                    codes::ACCESS_SQL_PARSE,
                    format!(
                        "the SQL of access pattern `{}` does not parse: {clean}",
                        a.name.name
                    ),
                    "write one PostgreSQL SELECT, UPDATE or DELETE; parameters are $1, $2, ...",
                )
                .at(parse_error_span(&a.sql, clean)),
            );
            return Vec::new();
        }
    };
    let [statement] = statements.as_slice() else {
        diags.push(
            Diagnostic::error(
                codes::ACCESS_NOT_SELECT,
                format!(
                    "access pattern `{}` holds {} statements",
                    a.name.name,
                    statements.len()
                ),
                "write exactly one statement per access pattern",
            )
            .at(a.sql.span),
        );
        return Vec::new();
    };

    let mut from: Vec<TableWithJoins> = Vec::new();
    let selection;
    let mut order: Vec<(Expr, bool)> = Vec::new();
    let mut group: Vec<Expr> = Vec::new();
    let mut projection: Option<Vec<SelectItem>> = None;
    match statement {
        Statement::Query(q) => {
            let SetExpr::Select(sel) = q.body.as_ref() else {
                diags.push(
                    Diagnostic::error(
                        codes::ACCESS_NOT_SELECT,
                        format!("access pattern `{}` is not a plain SELECT", a.name.name),
                        "write one SELECT (UNION and VALUES are not analysed)",
                    )
                    .at(a.sql.span),
                );
                return Vec::new();
            };
            from = sel.from.clone();
            selection = sel.selection.clone();
            if let GroupByExpr::Expressions(g, _) = &sel.group_by {
                group = g.clone();
            }
            projection = Some(sel.projection.clone());
            if let Some(ob) = &q.order_by
                && let OrderByKind::Expressions(items) = &ob.kind
            {
                order = items
                    .iter()
                    .map(|o| {
                        (
                            o.expr.clone(),
                            matches!(o.options.sort, Some(OrderBySort::Desc)),
                        )
                    })
                    .collect();
            }
        }
        Statement::Update(u) => {
            from.push(u.table.clone());
            selection = u.selection.clone();
        }
        Statement::Delete(d) => {
            let tables = match &d.from {
                sqlparser::ast::FromTable::WithFromKeyword(t)
                | sqlparser::ast::FromTable::WithoutKeyword(t) => t.clone(),
            };
            from = tables;
            selection = d.selection.clone();
        }
        _ => {
            diags.push(
                Diagnostic::error(
                    codes::ACCESS_NOT_SELECT,
                    format!("access pattern `{}` is not a SELECT, UPDATE or DELETE", a.name.name),
                    "access patterns describe reads and targeted writes; put other SQL in an `sql` block",
                )
                .at(a.sql.span),
            );
            return Vec::new();
        }
    }

    // Resolve the tables.
    let mut an = Analysis {
        sources: Vec::new(),
        aliases: Vec::new(),
    };
    let mut join_conds: Vec<Expr> = Vec::new();
    let mut factors: Vec<&TableFactor> = Vec::new();
    for twj in &from {
        factors.push(&twj.relation);
        for j in &twj.joins {
            factors.push(&j.relation);
            let c = match &j.join_operator {
                JoinOperator::Join(c)
                | JoinOperator::Inner(c)
                | JoinOperator::Left(c)
                | JoinOperator::LeftOuter(c)
                | JoinOperator::Right(c)
                | JoinOperator::RightOuter(c)
                | JoinOperator::FullOuter(c) => Some(c),
                _ => None,
            };
            if let Some(JoinConstraint::On(e)) = c {
                join_conds.push(e.clone());
            }
        }
    }
    let mut ok = true;
    for f in factors {
        let TableFactor::Table { name, alias, .. } = f else {
            continue;
        };
        let parts: Vec<Ident> = name
            .0
            .iter()
            .filter_map(|p| p.as_ident().cloned())
            .collect();
        match table_by_name(model, &parts, home_table) {
            Some(t) => an.sources.push(Source {
                table: t,
                alias: alias
                    .as_ref()
                    .map(|x| x.name.value.clone())
                    .unwrap_or_else(|| t.name.name.clone()),
            }),
            None => {
                ok = false;
                let id = parts.last().cloned().unwrap_or_else(|| Ident::new(""));
                let mut known: Vec<String> = model
                    .tables
                    .iter()
                    .filter(|t| t.partition_of.is_none())
                    .map(|t| t.name.name.clone())
                    .collect();
                known.sort();
                diags.push(
                    Diagnostic::error(
                        codes::ACCESS_UNKNOWN_TABLE,
                        format!(
                            "access pattern `{}` reads table `{}`, which the design does not have",
                            a.name.name, id.value
                        ),
                        format!("tables: {}", known.join(", ")),
                    )
                    .at(ident_span(&a.sql, &id)),
                );
            }
        }
    }
    if !ok {
        return Vec::new();
    }
    if an.sources.is_empty() {
        return Vec::new();
    }
    if let Some(p) = &projection {
        for item in p {
            if let SelectItem::ExprWithAlias { alias, .. } = item {
                an.aliases.push(alias.value.clone());
            }
        }
    }

    // Every column reference must exist.
    let mut unknown: Vec<(Ident, String)> = Vec::new();
    let _ = visit_expressions(statement, |x| {
        let parts = match x {
            Expr::Identifier(i) => vec![i.clone()],
            Expr::CompoundIdentifier(p) => p.clone(),
            _ => return ControlFlow::<()>::Continue(()),
        };
        if let [single] = parts.as_slice()
            && an.aliases.contains(&single.value)
        {
            return ControlFlow::Continue(());
        }
        if let Err(name) = an.resolve(&parts)
            && let Some(last) = parts.last()
        {
            unknown.push((last.clone(), name));
        }
        ControlFlow::Continue(())
    });
    if !unknown.is_empty() {
        for (id, name) in unknown {
            let tables: Vec<String> = an
                .sources
                .iter()
                .map(|s| s.table.name.name.clone())
                .collect();
            let cols: Vec<String> = an
                .sources
                .iter()
                .flat_map(|s| s.table.columns.iter().map(|c| c.name.clone()))
                .collect();
            diags.push(
                Diagnostic::error(
                    codes::ACCESS_UNKNOWN_COLUMN,
                    format!(
                        "access pattern `{}` names column `{name}`, which {} does not have",
                        a.name.name,
                        tables.join(" / ")
                    ),
                    format!("columns: {}", cols.join(", ")),
                )
                .at(ident_span(&a.sql, &id)),
            );
        }
        return Vec::new();
    }

    let mut out = Vec::new();
    let rate = a.rate.as_ref().map(|r| {
        let unit = match r.unit {
            RateUnit::Second => "s",
            RateUnit::Minute => "min",
            RateUnit::Hour => "h",
            RateUnit::Day => "day",
        };
        format!(" ({}/{unit})", r.value)
    });
    let label = format!(
        "access pattern `{}`{}",
        a.name.name,
        rate.unwrap_or_default()
    );

    // The driving table.
    let mut shape = Shape::default();
    let mut conds = Vec::new();
    if let Some(s) = &selection {
        conjuncts(s, &mut conds);
    }
    for c in &conds {
        classify(&an, 0, c, &mut shape);
    }
    filter.table = Some(an.sources[0].table.name.clone());
    filter.equal = shape.eq.clone();
    let order_cols: Vec<(String, bool)> = order
        .iter()
        .filter_map(|(e, desc)| an.column_of(e, 0).map(|c| (c, *desc)))
        .collect();
    let order_usable = !order.is_empty() && order_cols.len() == order.len();
    let group_cols: Vec<String> = group.iter().filter_map(|e| an.column_of(e, 0)).collect();
    let mut keys: Vec<IndexKey> = shape
        .eq
        .iter()
        .map(|c| IndexKey::column(c.clone()))
        .collect();
    let mut reasons = Vec::new();
    if !shape.eq.is_empty() {
        reasons.push(format!("equality on {}", shape.eq.join(", ")));
    }
    if order_usable {
        for (c, desc) in &order_cols {
            if !shape.eq.contains(c) {
                let mut k = IndexKey::column(c.clone());
                k.descending = *desc;
                keys.push(k);
            }
        }
        let shown: Vec<String> = order_cols
            .iter()
            .map(|(c, d)| if *d { format!("{c} DESC") } else { c.clone() })
            .collect();
        reasons.push(format!("ORDER BY {}", shown.join(", ")));
    } else if !group_cols.is_empty() && group_cols.len() == group.len() {
        for c in &group_cols {
            if !shape.eq.contains(c) {
                keys.push(IndexKey::column(c.clone()));
            }
        }
        reasons.push(format!("GROUP BY {}", group_cols.join(", ")));
    }
    if let Some(r) = shape.range.first() {
        let first_order = order_cols.first().map(|(c, _)| c);
        if !order_usable && group_cols.is_empty() {
            keys.push(IndexKey::column(r.clone()));
            reasons.push(format!("range on {r}"));
        } else if first_order == Some(r) && order_usable {
            reasons.push(format!("range on {r}"));
        }
    }
    let table = an.sources[0].table;
    let predicate = predicate_sql(&shape.predicate);
    if let Some(p) = &predicate {
        reasons.push(format!("partial WHERE {p}"));
    }
    let tname = table.name.name.clone();
    if !keys.is_empty() {
        let mut include = Vec::new();
        if let Some(p) = &projection {
            let star = p.iter().any(|i| {
                matches!(
                    i,
                    SelectItem::Wildcard(_) | SelectItem::QualifiedWildcard(..)
                )
            });
            if !star {
                let mut needed: Vec<String> = Vec::new();
                let _ = visit_expressions(statement, |x| {
                    if let Some(c) = an.column_of(x, 0)
                        && !needed.contains(&c)
                    {
                        needed.push(c);
                    }
                    ControlFlow::<()>::Continue(())
                });
                let key_cols: Vec<&str> = keys.iter().filter_map(|k| k.column_name()).collect();
                let pred_cols: Vec<String> = shape
                    .predicate
                    .iter()
                    .flat_map(|e| {
                        let mut v = Vec::new();
                        let _ = visit_expressions(e, |x| {
                            if let Some(c) = an.column_of(x, 0) {
                                v.push(c);
                            }
                            ControlFlow::<()>::Continue(())
                        });
                        v
                    })
                    .collect();
                let extra: Vec<String> = needed
                    .into_iter()
                    .filter(|c| !key_cols.contains(&c.as_str()) && !pred_cols.contains(c))
                    .collect();
                if !extra.is_empty()
                    && extra.len() <= 4
                    && extra.iter().all(|c| narrow(table, c))
                    && an.sources.len() == 1
                {
                    reasons.push(format!(
                        "INCLUDE {} for an index-only scan",
                        extra.join(", ")
                    ));
                    include = extra;
                }
            }
        }
        let cols: Vec<&str> = keys.iter().filter_map(|k| k.column_name()).collect();
        let mut idx = Index::btree(fit(&format!("idx_{tname}_{}", cols.join("_"))), keys);
        idx.include = include;
        idx.predicate = predicate;
        idx.why = Some(Why::new(
            WhySource::AccessPattern(a.name.name.clone()),
            format!("serves {label}: {}", reasons.join("; ")),
        ));
        out.push((table.name.clone(), idx));
    } else if let Some(g) = shape.gin.first() {
        let mut idx = Index::btree(
            fit(&format!("idx_{tname}_{g}_gin")),
            vec![IndexKey::column(g.clone())],
        );
        idx.method = "gin".into();
        idx.predicate = predicate;
        idx.why = Some(Why::new(
            WhySource::AccessPattern(a.name.name.clone()),
            format!("serves {label}: containment/full-text operator on {g}"),
        ));
        out.push((table.name.clone(), idx));
    }

    // Joined tables are probed by their join columns.
    for (si, src) in an.sources.iter().enumerate().skip(1) {
        let mut s = Shape::default();
        let mut jc = Vec::new();
        for c in &join_conds {
            conjuncts(c, &mut jc);
        }
        for c in jc.iter().chain(conds.iter()) {
            classify(&an, si, c, &mut s);
        }
        if s.eq.is_empty() {
            continue;
        }
        let name = src.table.name.name.clone();
        let mut idx = Index::btree(
            fit(&format!("idx_{name}_{}", s.eq.join("_"))),
            s.eq.iter().map(|c| IndexKey::column(c.clone())).collect(),
        );
        idx.predicate = predicate_sql(&s.predicate);
        idx.why = Some(Why::new(
            WhySource::AccessPattern(a.name.name.clone()),
            format!("serves {label}: join probe on {}", s.eq.join(", ")),
        ));
        out.push((src.table.name.clone(), idx));
    }
    out
}
