//! What one statement asks of the tables it touches.
//!
//! For the table a statement drives, conjuncts of its WHERE clause are sorted into equality
//! columns, range columns, constant filters (which may become a partial-index predicate) and
//! operators only GIN serves; ORDER BY and GROUP BY columns are kept in order, and the columns
//! the statement reads are listed so a cost model can tell an index-only scan. Joined tables
//! are probed by their join columns. Writes record what they write: an INSERT its rows, an
//! UPDATE the columns it sets (which decides whether the update can be HOT).

use std::ops::ControlFlow;

use sqlparser::ast::{
    Assignment, AssignmentTarget, BinaryOperator, Expr, GroupByExpr, Ident, JoinConstraint,
    JoinOperator, LimitClause, OrderByKind, OrderBySort, SelectItem, SetExpr, Statement,
    TableFactor, TableObject, TableWithJoins, UnaryOperator, Value, visit_expressions,
    visit_expressions_mut,
};
use std::collections::HashMap;

use strata_model::{Model, QualifiedName, Table};

/// What kind of statement a pattern runs.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum StatementKind {
    Select,
    /// `rows` rows per execution (the VALUES lists; 1 for INSERT ... SELECT).
    Insert {
        rows: u64,
    },
    /// The columns the UPDATE sets.
    Update {
        set: Vec<String>,
    },
    Delete,
}

impl StatementKind {
    pub fn is_write(&self) -> bool {
        !matches!(self, StatementKind::Select)
    }
}

/// One constant filter on a table, kept for partial-index predicates and selectivity.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Cond {
    /// As stored in an index predicate: columns unqualified.
    pub sql: String,
    pub shape: CondShape,
}

/// The forms of constant filter whose selectivity the cost model knows.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case", tag = "form", content = "column")]
pub enum CondShape {
    /// `col` or `col IS TRUE` or `col = true`
    IsTrue(String),
    /// `NOT col` or `col IS FALSE` or `col = false`
    IsFalse(String),
    IsNull(String),
    IsNotNull(String),
    /// `col = 'constant'` or `col IN (constants)`: `n` values.
    EqConst(String, usize),
    Other,
}

/// What a statement asks of one table.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct TableAccess {
    pub table: QualifiedName,
    /// Columns compared with `=` to a parameter (or another table's column).
    pub eq: Vec<String>,
    /// Expressions of this table's columns compared with `=` to a parameter
    /// (`lower(email) = lower($1)`), as an expression index stores them.
    pub eq_exprs: Vec<String>,
    /// Columns compared with `<`, `>`, `BETWEEN`.
    pub range: Vec<String>,
    /// Columns under operators only GIN serves (`@>`, `?`, `&&`, `@@`).
    pub gin: Vec<String>,
    /// Constant filters.
    pub predicate: Vec<Cond>,
    /// ORDER BY columns of this table with their direction (`true` = DESC); empty when the
    /// statement does not order or orders by something that is not a plain column of it.
    pub order: Vec<(String, bool)>,
    /// GROUP BY columns of this table, when every GROUP BY item is one.
    pub group: Vec<String>,
    /// Every column of this table the statement reads; `None` for `SELECT *`.
    pub needed: Option<Vec<String>>,
    /// A joined table probed by its join columns, rather than the table the statement drives.
    pub join_probe: bool,
}

impl TableAccess {
    /// An access to `table` that asks nothing yet.
    pub fn on(table: QualifiedName) -> TableAccess {
        TableAccess {
            table,
            eq: Vec::new(),
            eq_exprs: Vec::new(),
            range: Vec::new(),
            gin: Vec::new(),
            predicate: Vec::new(),
            order: Vec::new(),
            group: Vec::new(),
            needed: None,
            join_probe: false,
        }
    }
}

/// What a statement asks of the database.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Analysis {
    pub kind: StatementKind,
    /// The table the statement drives (reads first, or writes).
    pub driving: TableAccess,
    /// Joined tables, probed by their join columns.
    pub probes: Vec<TableAccess>,
    /// `LIMIT n` (a parameter counts as [`crate::Defaults::limit`] rows, decided by the cost
    /// model); `None` without a LIMIT.
    pub limit: Option<Limit>,
    pub offset: Option<Limit>,
    /// Several source tables: INCLUDE columns are not proposed (the join reads the heap).
    pub joins: bool,
}

/// A LIMIT or OFFSET: a constant or a parameter.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Limit {
    Rows(u64),
    Parameter,
}

/// A place inside the statement's text (1-based), for the caller's diagnostics.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Location {
    pub line: u64,
    pub column: u64,
    /// Length in bytes of the name found there (quotes included).
    pub len: usize,
}

/// Why a statement could not be analysed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AnalyzeError {
    #[error("the statement is not a plain SELECT (UNION and VALUES are not analysed)")]
    NotPlainSelect,
    #[error("the statement is not a SELECT, INSERT, UPDATE or DELETE")]
    Unsupported,
    #[error("table `{name}` is not in the design")]
    UnknownTable {
        name: String,
        at: Option<Location>,
        /// The tables the design has, sorted.
        known: Vec<String>,
    },
    #[error("unknown columns: {}", .0.iter().map(|c| c.name.as_str()).collect::<Vec<_>>().join(", "))]
    UnknownColumns(Vec<UnknownColumn>),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownColumn {
    /// As written (`t.col` when qualified).
    pub name: String,
    pub at: Option<Location>,
    /// The tables the statement reads.
    pub tables: Vec<String>,
    /// Their columns.
    pub columns: Vec<String>,
}

fn location(id: &Ident) -> Option<Location> {
    (id.span.start.line > 0).then(|| Location {
        line: id.span.start.line,
        column: id.span.start.column,
        len: id.value.len() + usize::from(id.quote_style.is_some()) * 2,
    })
}

struct Source<'m> {
    table: &'m Table,
    alias: String,
}

struct Scope<'m> {
    sources: Vec<Source<'m>>,
    /// Select-list aliases, which ORDER BY may name.
    aliases: Vec<String>,
}

impl Scope<'_> {
    /// Which source a column reference belongs to.
    fn resolve(&self, parts: &[Ident]) -> Result<(usize, String), String> {
        match parts {
            [col] => {
                let name = &col.value;
                match (0..self.sources.len())
                    .find(|&i| self.sources[i].table.column(name).is_some())
                {
                    Some(i) => Ok((i, name.clone())),
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

    fn columns_in<V: sqlparser::ast::Visit>(&self, node: &V, src: usize, out: &mut Vec<String>) {
        let _ = visit_expressions(node, |x| {
            if let Some(c) = self.column_of(x, src)
                && !out.contains(&c)
            {
                out.push(c);
            }
            ControlFlow::<()>::Continue(())
        });
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

fn bool_constant(e: &Expr) -> Option<bool> {
    match e {
        Expr::Value(v) => match &v.value {
            Value::Boolean(b) => Some(*b),
            _ => None,
        },
        Expr::Nested(i) => bool_constant(i),
        _ => None,
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

/// A condition as stored in an index predicate: columns unqualified, an OR parenthesised.
pub(crate) fn cond_sql(e: &Expr) -> String {
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
}

/// An index expression in the form [`TableAccess::eq_exprs`] uses, so a stored expression
/// key compares with what a pattern wrote. Text that does not parse stays as it is.
pub fn normalize_expr(sql: &str) -> String {
    let dialect = sqlparser::dialect::PostgreSqlDialect {};
    match sqlparser::parser::Parser::new(&dialect)
        .with_recursion_limit(48)
        .try_with_sql(sql)
        .and_then(|mut p| p.parse_expr())
    {
        Ok(Expr::Nested(inner)) => cond_sql(&inner),
        Ok(e) => cond_sql(&e),
        Err(_) => sql.to_string(),
    }
}

/// The conjuncts of a stored index predicate on `table`, classified like a pattern's constant
/// filters so a declared partial index compares with what patterns filter on. Text that does
/// not parse stays one opaque condition.
pub fn predicate_conds(sql: &str, table: &Table) -> Vec<Cond> {
    let dialect = sqlparser::dialect::PostgreSqlDialect {};
    let parsed = sqlparser::parser::Parser::new(&dialect)
        .with_recursion_limit(48)
        .try_with_sql(sql)
        .and_then(|mut p| p.parse_expr());
    let Ok(e) = parsed else {
        return vec![Cond {
            sql: sql.to_string(),
            shape: CondShape::Other,
        }];
    };
    let scope = Scope {
        sources: vec![Source {
            table,
            alias: table.name.name.clone(),
        }],
        aliases: Vec::new(),
    };
    let mut parts = Vec::new();
    conjuncts(&e, &mut parts);
    parts
        .iter()
        .map(|p| {
            let mut acc = TableAccess::on(table.name.clone());
            classify(&scope, 0, p, &mut acc);
            match acc.predicate.pop() {
                Some(c) if acc.predicate.is_empty() => c,
                _ => Cond {
                    sql: match p {
                        Expr::Nested(inner) => cond_sql(inner),
                        other => cond_sql(other),
                    },
                    shape: CondShape::Other,
                },
            }
        })
        .collect()
}

fn add(list: &mut Vec<String>, c: String) {
    if !list.contains(&c) {
        list.push(c);
    }
}

fn classify(s: &Scope, src: usize, cond: &Expr, acc: &mut TableAccess) {
    let constant = |shape: CondShape| Cond {
        sql: cond_sql(cond),
        shape,
    };
    match cond {
        Expr::Nested(inner) => classify(s, src, inner, acc),
        Expr::BinaryOp { left, op, right } => {
            let (col, other, op) = match (s.column_of(left, src), s.column_of(right, src)) {
                (Some(c), None) => (c, right, op.clone()),
                (None, Some(c)) => match flip(op) {
                    Some(f) => (c, left, f),
                    None => (c, left, op.clone()),
                },
                (None, None) => {
                    // An expression of this table's columns equal to a parameter: an
                    // expression index on it serves the lookup.
                    if matches!(op, BinaryOperator::Eq) {
                        let depends = |e: &Expr| !s.independent_of(e, src);
                        let expr = match (depends(left), depends(right)) {
                            (true, false) => Some(left),
                            (false, true) => Some(right),
                            _ => None,
                        };
                        if let Some(e) = expr {
                            let other = if std::ptr::eq(e.as_ref(), left.as_ref()) {
                                right
                            } else {
                                left
                            };
                            if !is_constant(other) {
                                add(&mut acc.eq_exprs, cond_sql(e));
                            }
                        }
                    }
                    return;
                }
                _ => return,
            };
            if !s.independent_of(other, src) {
                return;
            }
            match op {
                BinaryOperator::Eq if is_constant(other) => {
                    let shape = match bool_constant(other) {
                        Some(true) => CondShape::IsTrue(col),
                        Some(false) => CondShape::IsFalse(col),
                        None => CondShape::EqConst(col, 1),
                    };
                    acc.predicate.push(constant(shape))
                }
                BinaryOperator::Eq => add(&mut acc.eq, col),
                BinaryOperator::Lt
                | BinaryOperator::Gt
                | BinaryOperator::LtEq
                | BinaryOperator::GtEq => add(&mut acc.range, col),
                BinaryOperator::AtArrow
                | BinaryOperator::Question
                | BinaryOperator::QuestionAnd
                | BinaryOperator::QuestionPipe
                | BinaryOperator::PGOverlap
                | BinaryOperator::AtAt => add(&mut acc.gin, col),
                _ => {}
            }
        }
        Expr::UnaryOp {
            op: UnaryOperator::Not,
            expr,
        } => {
            if let Some(c) = s.column_of(expr, src) {
                acc.predicate.push(constant(CondShape::IsFalse(c)))
            }
        }
        Expr::Identifier(_) | Expr::CompoundIdentifier(_) => {
            if let Some(c) = s.column_of(cond, src) {
                acc.predicate.push(constant(CondShape::IsTrue(c)))
            }
        }
        Expr::IsNull(e)
        | Expr::IsNotNull(e)
        | Expr::IsTrue(e)
        | Expr::IsFalse(e)
        | Expr::IsNotTrue(e)
        | Expr::IsNotFalse(e) => {
            if let Some(c) = s.column_of(e, src) {
                let shape = match cond {
                    Expr::IsNull(_) => CondShape::IsNull(c),
                    Expr::IsNotNull(_) => CondShape::IsNotNull(c),
                    Expr::IsTrue(_) => CondShape::IsTrue(c),
                    Expr::IsFalse(_) => CondShape::IsFalse(c),
                    _ => CondShape::Other,
                };
                acc.predicate.push(constant(shape))
            }
        }
        Expr::InList {
            expr,
            list,
            negated: false,
        } => {
            if let Some(c) = s.column_of(expr, src) {
                if list.iter().all(is_constant) {
                    acc.predicate
                        .push(constant(CondShape::EqConst(c, list.len().max(1))));
                } else {
                    add(&mut acc.eq, c);
                }
            }
        }
        Expr::AnyOp {
            left,
            compare_op: BinaryOperator::Eq,
            ..
        } => {
            if let Some(c) = s.column_of(left, src) {
                add(&mut acc.eq, c);
            }
        }
        Expr::Between {
            expr,
            negated: false,
            ..
        } => {
            if let Some(c) = s.column_of(expr, src) {
                add(&mut acc.range, c);
            }
        }
        _ => {}
    }
}

/// The design's tables by name, built once for many statements: a schema of thousands of
/// tables must not be scanned once per pattern.
pub struct Tables<'m> {
    by_name: HashMap<&'m str, Vec<&'m Table>>,
    /// Partitions excluded: the names a "table not found" error lists.
    known: Vec<&'m str>,
}

impl<'m> Tables<'m> {
    pub fn new(model: &'m Model) -> Tables<'m> {
        let mut by_name: HashMap<&'m str, Vec<&'m Table>> = HashMap::new();
        let mut known = Vec::new();
        for t in &model.tables {
            by_name.entry(t.name.name.as_str()).or_default().push(t);
            if t.partition_of.is_none() {
                known.push(t.name.name.as_str());
            }
        }
        known.sort_unstable();
        Tables { by_name, known }
    }

    /// A table by its qualified name.
    pub fn get(&self, name: &QualifiedName) -> Option<&'m Table> {
        self.by_name
            .get(name.name.as_str())?
            .iter()
            .copied()
            .find(|t| &t.name == name)
    }

    /// A table as a statement names it: in `home`'s schema first, then `public`, then any.
    fn find(&self, parts: &[Ident], home: &QualifiedName) -> Option<&'m Table> {
        match parts {
            [name] => {
                let same = self.by_name.get(name.value.as_str())?;
                same.iter()
                    .copied()
                    .find(|t| t.name.schema == home.schema)
                    .or_else(|| same.iter().copied().find(|t| t.name.schema == "public"))
                    .or_else(|| same.first().copied())
            }
            [.., schema, name] => self
                .by_name
                .get(name.value.as_str())?
                .iter()
                .copied()
                .find(|t| t.name.schema == schema.value),
            [] => None,
        }
    }
}

fn limit_of(e: &Expr) -> Option<Limit> {
    match e {
        Expr::Value(v) => match &v.value {
            Value::Number(n, _) => n.parse::<u64>().ok().map(Limit::Rows),
            Value::Placeholder(_) => Some(Limit::Parameter),
            _ => None,
        },
        Expr::Nested(i) => limit_of(i),
        _ => Some(Limit::Parameter),
    }
}

/// Analyses one statement of a pattern declared on `home`'s entity. Table names resolve in
/// `home`'s schema first, then `public`, then anywhere.
pub fn analyze(
    statement: &Statement,
    home: &QualifiedName,
    model: &Model,
) -> Result<Analysis, AnalyzeError> {
    analyze_in(statement, home, &Tables::new(model))
}

/// As [`analyze`], with the tables looked up in a prepared [`Tables`].
pub fn analyze_in(
    statement: &Statement,
    home: &QualifiedName,
    tables: &Tables<'_>,
) -> Result<Analysis, AnalyzeError> {
    let mut from: Vec<TableWithJoins> = Vec::new();
    let selection;
    let mut order: Vec<(Expr, bool)> = Vec::new();
    let mut group: Vec<Expr> = Vec::new();
    let mut projection: Option<Vec<SelectItem>> = None;
    let mut limit = None;
    let mut offset = None;
    let mut kind = StatementKind::Select;
    let mut insert_target: Option<Vec<Ident>> = None;
    match statement {
        Statement::Query(q) => {
            let SetExpr::Select(sel) = q.body.as_ref() else {
                return Err(AnalyzeError::NotPlainSelect);
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
            match &q.limit_clause {
                Some(LimitClause::LimitOffset {
                    limit: l,
                    offset: o,
                    ..
                }) => {
                    limit = l.as_ref().and_then(limit_of);
                    offset = o.as_ref().and_then(|o| limit_of(&o.value));
                }
                Some(LimitClause::OffsetCommaLimit {
                    offset: o,
                    limit: l,
                }) => {
                    limit = limit_of(l);
                    offset = limit_of(o);
                }
                None => {}
            }
        }
        Statement::Update(u) => {
            from.push(u.table.clone());
            selection = u.selection.clone();
            let set: Vec<String> = u
                .assignments
                .iter()
                .flat_map(|a: &Assignment| match &a.target {
                    AssignmentTarget::ColumnName(n) => {
                        n.0.last()
                            .and_then(|p| p.as_ident())
                            .map(|i| vec![i.value.clone()])
                            .unwrap_or_default()
                    }
                    AssignmentTarget::Tuple(ns) => ns
                        .iter()
                        .filter_map(|n| n.0.last().and_then(|p| p.as_ident()))
                        .map(|i| i.value.clone())
                        .collect(),
                })
                .collect();
            kind = StatementKind::Update { set };
        }
        Statement::Delete(d) => {
            from = match &d.from {
                sqlparser::ast::FromTable::WithFromKeyword(t)
                | sqlparser::ast::FromTable::WithoutKeyword(t) => t.clone(),
            };
            selection = d.selection.clone();
            kind = StatementKind::Delete;
        }
        Statement::Insert(ins) => {
            let TableObject::TableName(name) = &ins.table else {
                return Err(AnalyzeError::Unsupported);
            };
            insert_target = Some(
                name.0
                    .iter()
                    .filter_map(|p| p.as_ident().cloned())
                    .collect(),
            );
            selection = None;
            let rows = match ins.source.as_deref().map(|q| q.body.as_ref()) {
                Some(SetExpr::Values(v)) => v.rows.len().max(1) as u64,
                _ => 1,
            };
            kind = StatementKind::Insert { rows };
        }
        _ => return Err(AnalyzeError::Unsupported),
    }

    let mut scope = Scope {
        sources: Vec::new(),
        aliases: Vec::new(),
    };
    let mut join_conds: Vec<Expr> = Vec::new();
    let mut factors: Vec<(Vec<Ident>, Option<String>)> = Vec::new();
    if let Some(parts) = insert_target {
        factors.push((parts, None));
    }
    for twj in &from {
        let mut push = |f: &TableFactor| {
            if let TableFactor::Table { name, alias, .. } = f {
                factors.push((
                    name.0
                        .iter()
                        .filter_map(|p| p.as_ident().cloned())
                        .collect(),
                    alias.as_ref().map(|a| a.name.value.clone()),
                ));
            }
        };
        push(&twj.relation);
        for j in &twj.joins {
            push(&j.relation);
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
    for (parts, alias) in factors {
        match tables.find(&parts, home) {
            Some(t) => scope.sources.push(Source {
                table: t,
                alias: alias.unwrap_or_else(|| t.name.name.clone()),
            }),
            None => {
                let id = parts.last().cloned().unwrap_or_else(|| Ident::new(""));
                let known: Vec<String> = tables.known.iter().map(|n| n.to_string()).collect();
                return Err(AnalyzeError::UnknownTable {
                    name: id.value.clone(),
                    at: location(&id),
                    known,
                });
            }
        }
    }
    let Some(first) = scope.sources.first() else {
        // A SELECT without a table (`SELECT now()`): nothing to serve.
        return Ok(Analysis {
            kind,
            driving: TableAccess::on(home.clone()),
            probes: Vec::new(),
            limit,
            offset,
            joins: false,
        });
    };
    let driving_table = first.table;
    if let Some(p) = &projection {
        for item in p {
            if let SelectItem::ExprWithAlias { alias, .. } = item {
                scope.aliases.push(alias.value.clone());
            }
        }
    }

    // Every column reference must exist.
    let mut unknown: Vec<UnknownColumn> = Vec::new();
    let _ = visit_expressions(statement, |x| {
        let parts = match x {
            Expr::Identifier(i) => vec![i.clone()],
            Expr::CompoundIdentifier(p) => p.clone(),
            _ => return ControlFlow::<()>::Continue(()),
        };
        if let [single] = parts.as_slice()
            && scope.aliases.contains(&single.value)
        {
            return ControlFlow::Continue(());
        }
        if let Err(name) = scope.resolve(&parts)
            && let Some(last) = parts.last()
        {
            unknown.push(UnknownColumn {
                name,
                at: location(last),
                tables: scope
                    .sources
                    .iter()
                    .map(|s| s.table.name.name.clone())
                    .collect(),
                columns: scope
                    .sources
                    .iter()
                    .flat_map(|s| s.table.columns.iter().map(|c| c.name.clone()))
                    .collect(),
            });
        }
        ControlFlow::Continue(())
    });
    if let StatementKind::Update { set } = &kind {
        for c in set {
            if driving_table.column(c).is_none() {
                unknown.push(UnknownColumn {
                    name: c.clone(),
                    at: None,
                    tables: vec![driving_table.name.name.clone()],
                    columns: driving_table
                        .columns
                        .iter()
                        .map(|c| c.name.clone())
                        .collect(),
                });
            }
        }
    }
    if !unknown.is_empty() {
        return Err(AnalyzeError::UnknownColumns(unknown));
    }

    let mut conds = Vec::new();
    if let Some(s) = &selection {
        conjuncts(s, &mut conds);
    }
    let mut driving = TableAccess::on(driving_table.name.clone());
    for c in &conds {
        classify(&scope, 0, c, &mut driving);
    }
    let order_cols: Vec<(String, bool)> = order
        .iter()
        .filter_map(|(e, desc)| scope.column_of(e, 0).map(|c| (c, *desc)))
        .collect();
    if !order.is_empty() && order_cols.len() == order.len() {
        driving.order = order_cols;
    }
    let group_cols: Vec<String> = group.iter().filter_map(|e| scope.column_of(e, 0)).collect();
    if !group.is_empty() && group_cols.len() == group.len() {
        driving.group = group_cols;
    }
    let star = projection.as_ref().is_some_and(|p| {
        p.iter().any(|i| {
            matches!(
                i,
                SelectItem::Wildcard(_) | SelectItem::QualifiedWildcard(..)
            )
        })
    });
    driving.needed = if star {
        None
    } else {
        let mut needed = Vec::new();
        scope.columns_in(statement, 0, &mut needed);
        Some(needed)
    };

    let mut probes = Vec::new();
    let mut jc = Vec::new();
    for c in &join_conds {
        conjuncts(c, &mut jc);
    }
    for (si, src) in scope.sources.iter().enumerate().skip(1) {
        let mut acc = TableAccess::on(src.table.name.clone());
        acc.join_probe = true;
        for c in jc.iter().chain(conds.iter()) {
            classify(&scope, si, c, &mut acc);
        }
        let mut needed = Vec::new();
        scope.columns_in(statement, si, &mut needed);
        acc.needed = (!star).then_some(needed);
        probes.push(acc);
    }
    Ok(Analysis {
        kind,
        driving,
        probes,
        limit,
        offset,
        joins: scope.sources.len() > 1,
    })
}
