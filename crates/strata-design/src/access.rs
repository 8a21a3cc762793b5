//! Access patterns: the SQL an application runs, parsed here (with the limits every SQL
//! fragment of a design has) and read by the workload stage (`strata_workload::analyze`) into
//! what each statement asks of its tables. Its errors become diagnostics at the right place
//! in the `.strata` source; tenant-isolation and row-level-security warnings are raised here,
//! where the design's tenancy is known. Choosing indexes is the workload stage's job.

use sqlparser::dialect::PostgreSqlDialect;
use sqlparser::parser::{Parser, ParserError};
use strata_diagnostics::{Diagnostic, Span};
use strata_lang::ast::{self, Member, RateUnit};
use strata_model::*;
use strata_workload::analyze::{AnalyzeError, Location, Tables};
use strata_workload::{Analysis, Pattern, StatementKind};

use crate::codes;
use crate::collect::EntityCx;
use crate::fragments;
use crate::tenancy::TenantMap;

/// Reads every access pattern into the model (as [`AccessPattern`]s) and returns the
/// workload's patterns, for the index selection.
pub fn derive(
    entities: &[EntityCx<'_>],
    tenancy: &TenantMap,
    diags_out: &mut Vec<Diagnostic>,
    model: &mut Model,
    defaults: &strata_workload::Defaults,
) -> Vec<Pattern> {
    let mut out = Vec::new();
    let mut read = Vec::new();
    let tables = Tables::new(model);
    for e in entities {
        let patterns: Vec<&ast::AccessDecl> = e
            .members
            .iter()
            .filter_map(|m| match m {
                Member::Access(a) => Some(a),
                _ => None,
            })
            .collect();
        for a in patterns {
            let table = e.table.clone();
            let mut diags = Vec::new();
            let analysis = analyze(a, &table, &tables, &mut diags);
            diags_out.extend(diags);
            if let Some(an) = &analysis {
                let filter = Filter {
                    table: Some(an.driving.table.clone()),
                    equal: an.driving.eq.clone(),
                };
                if !a.across_tenants && !matches!(an.kind, StatementKind::Insert { .. }) {
                    cross_tenant(tenancy, diags_out, &tables, a, &filter);
                }
                enum_under_rls(diags_out, model, &tables, a, &filter);
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
            read.push(AccessPattern {
                name: a.name.name.clone(),
                table,
                sql: a.sql.text.trim().to_string(),
                rate_per_sec: rate,
                served_by: Vec::new(),
                across_tenants: a.across_tenants,
            });
            if let Some(analysis) = analysis {
                out.push(Pattern {
                    name: a.name.name.clone(),
                    home: e.table.clone(),
                    rate: rate.unwrap_or(defaults.rate),
                    rate_declared: rate.is_some(),
                    analysis,
                });
            }
        }
    }
    model.access_patterns.append(&mut read);
    out
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

fn location_span(sql: &ast::SqlText, at: Option<Location>) -> Span {
    let Some(at) = at else {
        return sql.span;
    };
    let s = span_at(sql, at.line, at.column);
    Span::new(s.file, s.start as usize, s.start as usize + at.len)
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

/// What a query's WHERE pins on the table it drives.
#[derive(Default)]
struct Filter {
    table: Option<QualifiedName>,
    equal: Vec<String>,
}

/// A query on a tenant-isolated table that pins neither the tenant nor a key of one of its
/// rows means to read across tenants, which row-level security silently prevents.
fn cross_tenant(
    tenancy: &TenantMap,
    diags: &mut Vec<Diagnostic>,
    tables: &Tables<'_>,
    a: &ast::AccessDecl,
    f: &Filter,
) {
    let Some(name) = &f.table else { return };
    let Some(tenant_col) = tenancy.column.get(name) else {
        return;
    };
    let Some(table) = tables.get(name) else {
        return;
    };
    let mut anchors: Vec<&str> = vec![tenant_col.as_str()];
    if let Some(pk) = &table.primary_key {
        anchors.extend(pk.columns.iter().map(String::as_str));
    }
    for fk in &table.foreign_keys {
        if tenancy.column.contains_key(&fk.ref_table)
            && let Some(c) = fk.columns.first()
        {
            anchors.push(c);
        }
    }
    if f.equal.iter().any(|c| anchors.contains(&c.as_str())) {
        return;
    }
    diags.push(
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
fn enum_under_rls(
    diags: &mut Vec<Diagnostic>,
    model: &Model,
    tables: &Tables<'_>,
    a: &ast::AccessDecl,
    f: &Filter,
) {
    let Some(name) = &f.table else { return };
    let Some(table) = tables.get(name) else {
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
    diags.push(
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
    home: &QualifiedName,
    tables: &Tables<'_>,
    diags: &mut Vec<Diagnostic>,
) -> Option<Analysis> {
    if !fragments::within_limits(&a.sql, &format!("access pattern `{}`", a.name.name), diags) {
        return None;
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
            return None;
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
                    "write one PostgreSQL SELECT, INSERT, UPDATE or DELETE; parameters are $1, $2, ...",
                )
                .at(parse_error_span(&a.sql, clean)),
            );
            return None;
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
        return None;
    };
    match strata_workload::analyze::analyze_in(statement, home, tables) {
        Ok(an) => Some(an),
        Err(AnalyzeError::NotPlainSelect) => {
            diags.push(
                Diagnostic::error(
                    codes::ACCESS_NOT_SELECT,
                    format!("access pattern `{}` is not a plain SELECT", a.name.name),
                    "write one SELECT (UNION and VALUES are not analysed)",
                )
                .at(a.sql.span),
            );
            None
        }
        Err(AnalyzeError::Unsupported) => {
            diags.push(
                Diagnostic::error(
                    codes::ACCESS_NOT_SELECT,
                    format!(
                        "access pattern `{}` is not a SELECT, INSERT, UPDATE or DELETE",
                        a.name.name
                    ),
                    "access patterns describe reads and writes; put other SQL in an `sql` block",
                )
                .at(a.sql.span),
            );
            None
        }
        Err(AnalyzeError::UnknownTable { name, at, known }) => {
            diags.push(
                Diagnostic::error(
                    codes::ACCESS_UNKNOWN_TABLE,
                    format!(
                        "access pattern `{}` reads table `{name}`, which the design does not have",
                        a.name.name
                    ),
                    format!("tables: {}", known.join(", ")),
                )
                .at(location_span(&a.sql, at)),
            );
            None
        }
        Err(AnalyzeError::UnknownColumns(cols)) => {
            for c in cols {
                diags.push(
                    Diagnostic::error(
                        codes::ACCESS_UNKNOWN_COLUMN,
                        format!(
                            "access pattern `{}` names column `{}`, which {} does not have",
                            a.name.name,
                            c.name,
                            c.tables.join(" / ")
                        ),
                        format!("columns: {}", c.columns.join(", ")),
                    )
                    .at(location_span(&a.sql, c.at)),
                );
            }
            None
        }
    }
}
