//! Reading CHECK expressions as rules a value generator can follow.
//!
//! Only the conjuncts of a check (`a AND b AND ...`) that constrain one column in a known way
//! are read: length limits, non-blank, value lists, numeric bounds and the format regexes of
//! semantic types. A check with any other conjunct is reported as not interpreted, so the
//! output says which constraints the sample data was not built for.

use sqlparser::ast::{BinaryOperator, Expr, FunctionArg, FunctionArgExpr, FunctionArguments};
use sqlparser::dialect::PostgreSqlDialect;
use sqlparser::parser::Parser;

/// Format a text column must follow (from a semantic type or a recognised regex).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Email,
    Url,
    Slug,
    Phone,
}

/// What the checks say about one column.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Rules {
    pub max_len: Option<usize>,
    pub min_len: Option<usize>,
    pub choices: Option<Vec<String>>,
    pub min: Option<f64>,
    pub max: Option<f64>,
    pub format: Option<Format>,
    /// A simple anchored regex the text must match (`^[A-Z]{3}$`).
    pub pattern: Option<Pattern>,
    /// Text values the checks exclude (`VALUE <> 'XXX'`).
    pub excluded: Vec<String>,
}

impl Rules {
    fn min_at_least(&mut self, v: f64) {
        self.min = Some(self.min.map_or(v, |m| m.max(v)));
    }
    fn max_at_most(&mut self, v: f64) {
        self.max = Some(self.max.map_or(v, |m| m.min(v)));
    }
    fn max_len_at_most(&mut self, v: usize) {
        self.max_len = Some(self.max_len.map_or(v, |m| m.min(v)));
    }
}

/// Applies `expression` to the rules of the columns it constrains (`column_of` maps an
/// identifier to a column index; for domains it maps `VALUE`). Returns `false` when some
/// conjunct was not understood.
pub fn apply(
    expression: &str,
    column_of: &dyn Fn(&str) -> Option<usize>,
    rules: &mut [Rules],
) -> bool {
    let dialect = PostgreSqlDialect {};
    let Ok(expr) = Parser::new(&dialect)
        .try_with_sql(expression)
        .and_then(|mut p| p.parse_expr())
    else {
        return false;
    };
    let mut conjuncts = Vec::new();
    split_and(&expr, &mut conjuncts);
    let mut all = true;
    for c in conjuncts {
        all &= apply_one(c, column_of, rules);
    }
    all
}

fn split_and<'a>(e: &'a Expr, out: &mut Vec<&'a Expr>) {
    match e {
        Expr::Nested(inner) => split_and(inner, out),
        Expr::BinaryOp {
            left,
            op: BinaryOperator::And,
            right,
        } => {
            split_and(left, out);
            split_and(right, out);
        }
        other => out.push(other),
    }
}

fn strip(e: &Expr) -> &Expr {
    match e {
        Expr::Nested(inner) => strip(inner),
        Expr::Cast { expr, .. } => strip(expr),
        other => other,
    }
}

fn ident(e: &Expr) -> Option<String> {
    match strip(e) {
        Expr::Identifier(i) => Some(i.value.clone()),
        Expr::CompoundIdentifier(parts) => parts.last().map(|i| i.value.clone()),
        _ => None,
    }
}

fn number(e: &Expr) -> Option<f64> {
    match strip(e) {
        Expr::Value(v) => match &v.value {
            sqlparser::ast::Value::Number(n, _) => n.parse().ok(),
            sqlparser::ast::Value::SingleQuotedString(s) => s.parse().ok(),
            _ => None,
        },
        Expr::UnaryOp {
            op: sqlparser::ast::UnaryOperator::Minus,
            expr,
        } => number(expr).map(|n| -n),
        _ => None,
    }
}

fn string(e: &Expr) -> Option<String> {
    match strip(e) {
        Expr::Value(v) => match &v.value {
            sqlparser::ast::Value::SingleQuotedString(s)
            | sqlparser::ast::Value::EscapedStringLiteral(s) => Some(s.clone()),
            sqlparser::ast::Value::Number(n, _) => Some(n.clone()),
            _ => None,
        },
        _ => None,
    }
}

/// `char_length(col)` / `length(col)` / `char_length(trim(col))` → (col, trimmed).
fn length_of(e: &Expr) -> Option<(String, bool)> {
    let Expr::Function(f) = strip(e) else {
        return None;
    };
    let fname = f.name.to_string().to_ascii_lowercase();
    if !matches!(
        fname.as_str(),
        "char_length" | "length" | "character_length" | "pg_catalog.char_length"
    ) {
        return None;
    }
    let FunctionArguments::List(list) = &f.args else {
        return None;
    };
    let [FunctionArg::Unnamed(FunctionArgExpr::Expr(arg))] = list.args.as_slice() else {
        return None;
    };
    if let Some(c) = ident(arg) {
        return Some((c, false));
    }
    match strip(arg) {
        Expr::Trim { expr, .. } => ident(expr).map(|c| (c, true)),
        Expr::Function(g) if g.name.to_string().eq_ignore_ascii_case("btrim") => {
            let FunctionArguments::List(l) = &g.args else {
                return None;
            };
            match l.args.as_slice() {
                [FunctionArg::Unnamed(FunctionArgExpr::Expr(a))] => ident(a).map(|c| (c, true)),
                _ => None,
            }
        }
        _ => None,
    }
}

fn flip(op: &BinaryOperator) -> Option<BinaryOperator> {
    Some(match op {
        BinaryOperator::Lt => BinaryOperator::Gt,
        BinaryOperator::LtEq => BinaryOperator::GtEq,
        BinaryOperator::Gt => BinaryOperator::Lt,
        BinaryOperator::GtEq => BinaryOperator::LtEq,
        BinaryOperator::Eq => BinaryOperator::Eq,
        BinaryOperator::NotEq => BinaryOperator::NotEq,
        _ => return None,
    })
}

fn apply_one(e: &Expr, column_of: &dyn Fn(&str) -> Option<usize>, rules: &mut [Rules]) -> bool {
    let e = strip(e);
    match e {
        Expr::IsNotNull(inner) => ident(inner).and_then(|c| column_of(&c)).is_some(),
        Expr::InList {
            expr,
            list,
            negated: false,
        } => {
            let Some(i) = ident(expr).and_then(|c| column_of(&c)) else {
                return false;
            };
            let values: Option<Vec<String>> = list.iter().map(string).collect();
            match values {
                Some(v) if !v.is_empty() => {
                    rules[i].choices = Some(v);
                    true
                }
                _ => false,
            }
        }
        Expr::AnyOp {
            left,
            compare_op: BinaryOperator::Eq,
            right,
            ..
        } => {
            let Some(i) = ident(left).and_then(|c| column_of(&c)) else {
                return false;
            };
            let Expr::Array(arr) = strip(right) else {
                return false;
            };
            let values: Option<Vec<String>> = arr.elem.iter().map(string).collect();
            match values {
                Some(v) if !v.is_empty() => {
                    rules[i].choices = Some(v);
                    true
                }
                _ => false,
            }
        }
        Expr::Between {
            expr,
            negated: false,
            low,
            high,
        } => {
            let Some(i) = ident(expr).and_then(|c| column_of(&c)) else {
                return false;
            };
            match (number(low), number(high)) {
                (Some(lo), Some(hi)) => {
                    rules[i].min_at_least(lo);
                    rules[i].max_at_most(hi);
                    true
                }
                _ => false,
            }
        }
        Expr::BinaryOp { left, op, right } => {
            if matches!(
                op,
                BinaryOperator::PGRegexMatch | BinaryOperator::PGRegexIMatch
            ) {
                let (Some(i), Some(pattern)) =
                    (ident(left).and_then(|c| column_of(&c)), string(right))
                else {
                    return false;
                };
                return match recognise_format(&pattern) {
                    Some(f) => {
                        rules[i].format = Some(f);
                        true
                    }
                    None => match Pattern::parse(&pattern, *op == BinaryOperator::PGRegexIMatch) {
                        Some(p) => {
                            rules[i].pattern = Some(p);
                            true
                        }
                        None => false,
                    },
                };
            }
            // Normalise to `subject op constant`.
            let (subject, op, constant) = if number(right).is_some() || string(right).is_some() {
                (left.as_ref(), op.clone(), right.as_ref())
            } else if let Some(f) = flip(op) {
                (right.as_ref(), f, left.as_ref())
            } else {
                return false;
            };
            if let Some((col, trimmed)) = length_of(subject) {
                let (Some(i), Some(n)) = (column_of(&col), number(constant)) else {
                    return false;
                };
                let n = n.max(0.0) as usize;
                return match op {
                    BinaryOperator::LtEq => {
                        rules[i].max_len_at_most(n);
                        true
                    }
                    BinaryOperator::Lt => {
                        rules[i].max_len_at_most(n.saturating_sub(1));
                        true
                    }
                    BinaryOperator::Gt | BinaryOperator::GtEq => {
                        let min = if op == BinaryOperator::Gt { n + 1 } else { n };
                        rules[i].min_len = Some(rules[i].min_len.unwrap_or(0).max(min));
                        // Generated text never has surrounding blanks: trimmed length is
                        // the length.
                        let _ = trimmed;
                        true
                    }
                    BinaryOperator::Eq => {
                        rules[i].min_len = Some(n);
                        rules[i].max_len_at_most(n);
                        true
                    }
                    _ => false,
                };
            }
            let Some(i) = ident(subject).and_then(|c| column_of(&c)) else {
                return false;
            };
            if let Some(n) = number(constant) {
                match op {
                    BinaryOperator::Gt => rules[i].min_at_least(n + 1e-6),
                    BinaryOperator::GtEq => rules[i].min_at_least(n),
                    BinaryOperator::Lt => rules[i].max_at_most(n - 1e-6),
                    BinaryOperator::LtEq => rules[i].max_at_most(n),
                    BinaryOperator::Eq => rules[i].choices = Some(vec![format_number(n)]),
                    // Generated values are never the one excluded constant by accident only
                    // for numbers far from it: keep the rule honest and say not interpreted.
                    _ => return false,
                }
                return true;
            }
            if let (Some(s), BinaryOperator::NotEq) = (string(constant), &op) {
                // `col <> ''`: generated text is never empty; any other value is avoided.
                if !s.is_empty() {
                    rules[i].excluded.push(s);
                }
                return true;
            }
            false
        }
        _ => false,
    }
}

/// One piece of a [`Pattern`]: a set of characters, repeated `min..=max` times.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Atom {
    pub chars: Vec<char>,
    pub min: usize,
    pub max: usize,
}

/// An anchored regex made of literal characters, bracket classes (`[A-Z0-9_-]`) and `\d`, each
/// optionally repeated (`{n}`, `{n,m}`, `?`, `+`, `*`): enough for the codes and identifiers
/// checks usually describe, and simple to generate text for. Anything else is not a pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pattern {
    pub atoms: Vec<Atom>,
}

impl Pattern {
    pub fn parse(regex: &str, case_insensitive: bool) -> Option<Pattern> {
        let body = regex.strip_prefix('^')?.strip_suffix('$')?;
        let chars: Vec<char> = body.chars().collect();
        let mut atoms = Vec::new();
        let mut i = 0;
        while i < chars.len() {
            let set: Vec<char> = match chars[i] {
                '[' => {
                    let end = chars[i + 1..].iter().position(|&c| c == ']')? + i + 1;
                    let inner = &chars[i + 1..end];
                    if inner.first() == Some(&'^') || inner.is_empty() {
                        return None;
                    }
                    let mut set = Vec::new();
                    let mut k = 0;
                    while k < inner.len() {
                        match (inner.get(k), inner.get(k + 1), inner.get(k + 2)) {
                            (Some(&a), Some('-'), Some(&b)) if a <= b => {
                                set.extend(a..=b);
                                k += 3;
                            }
                            (Some('\\') | Some('['), _, _) => return None,
                            (Some(&c), _, _) => {
                                set.push(c);
                                k += 1;
                            }
                            _ => break,
                        }
                    }
                    i = end + 1;
                    set
                }
                '\\' => {
                    let c = *chars.get(i + 1)?;
                    i += 2;
                    match c {
                        'd' => ('0'..='9').collect(),
                        c if c.is_ascii_punctuation() => vec![c],
                        _ => return None,
                    }
                }
                c if c.is_alphanumeric() || " _-:/@#,".contains(c) => {
                    i += 1;
                    vec![c]
                }
                _ => return None,
            };
            let (min, max) = match chars.get(i) {
                Some('{') => {
                    let end = chars[i..].iter().position(|&c| c == '}')? + i;
                    let spec: String = chars[i + 1..end].iter().collect();
                    i = end + 1;
                    match spec.split_once(',') {
                        None => {
                            let n = spec.trim().parse().ok()?;
                            (n, n)
                        }
                        Some((a, b)) => {
                            let a: usize = a.trim().parse().ok()?;
                            let b: usize = if b.trim().is_empty() {
                                a + 8
                            } else {
                                b.trim().parse().ok()?
                            };
                            (a, b)
                        }
                    }
                }
                Some('?') => {
                    i += 1;
                    (0, 1)
                }
                Some('+') => {
                    i += 1;
                    (1, 8)
                }
                Some('*') => {
                    i += 1;
                    (0, 8)
                }
                _ => (1, 1),
            };
            if min > max || max > 1000 {
                return None;
            }
            // Under `~*` any case matches: the characters as written are still right.
            let _ = case_insensitive;
            let mut set = set;
            set.sort_unstable();
            set.dedup();
            atoms.push(Atom {
                chars: set,
                min,
                max,
            });
        }
        (!atoms.is_empty()).then_some(Pattern { atoms })
    }

    pub fn min_len(&self) -> usize {
        self.atoms.iter().map(|a| a.min).sum()
    }
}

/// `a >= b` (and `<=`, `>`, `<`) between two columns, the form of a check that orders two
/// columns of a row (`due_on >= issued_on`), when both are set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Order {
    /// The column that must be the larger (or equal, unless `strict`).
    pub larger: String,
    pub smaller: String,
    pub strict: bool,
}

/// Reads a check of the form `[x IS NULL OR ...] a >= b [OR y IS NULL ...]` (or `a > b`, `b <= a`,
/// ...) as an [`Order`]: the `IS NULL` alternatives only admit rows where a column is NULL, so
/// ordering the two columns whenever both are set satisfies the check.
pub fn order(expression: &str) -> Option<Order> {
    let dialect = PostgreSqlDialect {};
    let expr = Parser::new(&dialect)
        .try_with_sql(expression)
        .and_then(|mut p| p.parse_expr())
        .ok()?;
    let mut alternatives = Vec::new();
    split_or(&expr, &mut alternatives);
    let mut found: Option<Order> = None;
    for a in alternatives {
        match strip(a) {
            Expr::IsNull(inner) if ident(inner).is_some() => {}
            Expr::BinaryOp { left, op, right } => {
                let (l, r) = (ident(left)?, ident(right)?);
                let o = match op {
                    BinaryOperator::GtEq => Order {
                        larger: l,
                        smaller: r,
                        strict: false,
                    },
                    BinaryOperator::Gt => Order {
                        larger: l,
                        smaller: r,
                        strict: true,
                    },
                    BinaryOperator::LtEq => Order {
                        larger: r,
                        smaller: l,
                        strict: false,
                    },
                    BinaryOperator::Lt => Order {
                        larger: r,
                        smaller: l,
                        strict: true,
                    },
                    _ => return None,
                };
                if found.replace(o).is_some() {
                    return None;
                }
            }
            _ => return None,
        }
    }
    found
}

fn split_or<'a>(e: &'a Expr, out: &mut Vec<&'a Expr>) {
    match e {
        Expr::Nested(inner) => split_or(inner, out),
        Expr::BinaryOp {
            left,
            op: BinaryOperator::Or,
            right,
        } => {
            split_or(left, out);
            split_or(right, out);
        }
        other => out.push(other),
    }
}

fn format_number(n: f64) -> String {
    if n.fract() == 0.0 {
        format!("{}", n as i64)
    } else {
        format!("{n}")
    }
}

/// The semantic formats strata's designer writes, and the usual hand-written ones.
fn recognise_format(pattern: &str) -> Option<Format> {
    if pattern.contains('@') {
        Some(Format::Email)
    } else if pattern.starts_with("^https?://") || pattern.starts_with("^(https?)://") {
        Some(Format::Url)
    } else if pattern == "^[a-z0-9]+(-[a-z0-9]+)*$" {
        Some(Format::Slug)
    } else if pattern.starts_with("^\\+") {
        Some(Format::Phone)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules_for(expr: &str) -> (bool, Rules) {
        let mut r = vec![Rules::default()];
        let ok = apply(
            expr,
            &|c| (c == "x" || c.eq_ignore_ascii_case("value")).then_some(0),
            &mut r,
        );
        (ok, r.remove(0))
    }

    #[test]
    fn designer_checks() {
        let (ok, r) = rules_for("char_length(x) <= 200");
        assert!(ok);
        assert_eq!(r.max_len, Some(200));
        let (ok, r) = rules_for("char_length(trim(x)) > 0");
        assert!(ok);
        assert_eq!(r.min_len, Some(1));
        let (ok, r) = rules_for(
            "x ~* '^[^@[:space:]]+@[^@[:space:]]+\\.[^@[:space:]]+$' AND char_length(x) <= 254",
        );
        assert!(ok);
        assert_eq!(r.format, Some(Format::Email));
        assert_eq!(r.max_len, Some(254));
        let (ok, r) = rules_for("x IN ('INSERT', 'UPDATE', 'DELETE')");
        assert!(ok);
        assert_eq!(r.choices.map(|c| c.len()), Some(3));
        let (ok, r) = rules_for("x >= 0");
        assert!(ok);
        assert_eq!(r.min, Some(0.0));
    }

    #[test]
    fn catalog_spellings() {
        let (ok, r) = rules_for("((VALUE >= 1901) AND (VALUE <= 2155))");
        assert!(ok);
        assert_eq!((r.min, r.max), (Some(1901.0), Some(2155.0)));
        let (ok, r) = rules_for("(x = ANY (ARRAY['a'::text, 'b'::text]))");
        assert!(ok);
        assert_eq!(r.choices, Some(vec!["a".to_string(), "b".to_string()]));
        let (ok, r) = rules_for("(0 < x)");
        assert!(ok);
        assert!(r.min.is_some_and(|m| m > 0.0));
    }

    #[test]
    fn simple_patterns_and_exclusions() {
        let (ok, r) = rules_for("VALUE ~ '^[A-Z]{3}$' AND VALUE <> 'XXX'");
        assert!(ok);
        let p = r.pattern.expect("a pattern");
        assert_eq!(p.atoms.len(), 1);
        assert_eq!(
            (p.atoms[0].min, p.atoms[0].max, p.atoms[0].chars.len()),
            (3, 3, 26)
        );
        assert_eq!(r.excluded, vec!["XXX".to_string()]);
        let (ok, r) = rules_for("x ~ '^INV-\\d{4,6}$'");
        assert!(ok);
        assert_eq!(r.pattern.map(|p| p.min_len()), Some(8));
        // Alternation, groups and negated classes are not generated.
        assert!(!rules_for("x ~ '^(a|b)$'").0);
        assert!(!rules_for("x ~ '^[^a]+$'").0);
        assert!(!rules_for("x ~ 'abc'").0);
    }

    #[test]
    fn column_orders() {
        let o = order("due_on IS NULL OR issued_on IS NULL OR due_on >= issued_on").expect("order");
        assert_eq!(
            (o.larger.as_str(), o.smaller.as_str(), o.strict),
            ("due_on", "issued_on", false)
        );
        let o = order("(starts_at < ends_at)").expect("order");
        assert_eq!(
            (o.larger.as_str(), o.smaller.as_str(), o.strict),
            ("ends_at", "starts_at", true)
        );
        assert_eq!(order("a >= b OR c >= d"), None);
        assert_eq!(order("a >= 3"), None);
        assert_eq!(order("a >= b AND c IS NULL"), None);
    }

    #[test]
    fn unknown_conjuncts_are_reported() {
        assert!(!rules_for("x > y").0);
        assert!(!rules_for("x ~ '^(A|B){3}$'").0);
        assert!(!rules_for("not valid sql (((").0);
        // A known conjunct still applies when another is unknown.
        let (ok, r) = rules_for("char_length(x) <= 5 AND x > y");
        assert!(!ok);
        assert_eq!(r.max_len, Some(5));
    }
}
