//! `ALTER TABLE` read into its actions, the unit most migration rules judge.

use super::tokens::Token;
use super::{Stmt, qualified_name, table_key};

/// What a constraint added by `ADD [CONSTRAINT name] ...` is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConstraintKind {
    /// `CHECK (...)`; `not_null_of` when the expression is `column IS NOT NULL`.
    Check {
        not_null_of: Option<String>,
    },
    ForeignKey,
    /// `UNIQUE` or `PRIMARY KEY`; `using_index` with `USING INDEX name`.
    Key {
        using_index: bool,
    },
    Exclusion,
    /// `NOT NULL column` (a named NOT NULL constraint, 18+).
    NotNull,
}

/// One action of an `ALTER TABLE`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    AddColumn {
        column: String,
        /// The tokens after the column name: type, default, constraints.
        rest: Vec<Token>,
    },
    AddConstraint {
        name: Option<String>,
        kind: ConstraintKind,
        not_valid: bool,
    },
    ValidateConstraint {
        name: String,
    },
    AlterColumnType {
        column: String,
        /// The new type's tokens (up to `USING` / `COLLATE`).
        ty: Vec<Token>,
    },
    SetNotNull {
        column: String,
    },
    DropColumn {
        column: String,
    },
    RenameColumn {
        from: String,
        to: String,
    },
    RenameTable {
        to: String,
    },
    /// Anything else (`SET DEFAULT`, `DROP CONSTRAINT`, `ENABLE ROW LEVEL SECURITY`, ...).
    Other(Vec<Token>),
}

/// The table (as [`table_key`] spells it) and actions of an `ALTER TABLE`.
pub fn alter_table(s: &Stmt) -> Option<(String, Vec<Action>)> {
    if !s.starts(&["ALTER", "TABLE"]) {
        return None;
    }
    let t = &s.tokens;
    let mut i = 2;
    if s.kw(i) == Some("IF") && s.kw(i + 1) == Some("EXISTS") {
        i += 2;
    }
    if s.kw(i) == Some("ONLY") {
        i += 1;
    }
    let (parts, after) = qualified_name(t, i)?;
    let mut i = after;
    if t.get(i).is_some_and(|x| x.is('*')) {
        i += 1;
    }
    let actions = split_top_level(&t[i.min(t.len())..])
        .into_iter()
        .map(action)
        .collect();
    Some((table_key(&parts), actions))
}

/// Splits tokens at commas outside parentheses.
fn split_top_level(tokens: &[Token]) -> Vec<&[Token]> {
    let mut out = Vec::new();
    let mut depth = 0i32;
    let mut start = 0;
    for (i, t) in tokens.iter().enumerate() {
        if t.is('(') {
            depth += 1;
        } else if t.is(')') {
            depth -= 1;
        } else if t.is(',') && depth == 0 {
            out.push(&tokens[start..i]);
            start = i + 1;
        }
    }
    if start < tokens.len() {
        out.push(&tokens[start..]);
    }
    out
}

fn kw(t: &[Token], i: usize) -> Option<&str> {
    t.get(i).and_then(Token::kw)
}

fn ident(t: &[Token], i: usize) -> Option<String> {
    t.get(i).and_then(Token::ident).map(str::to_string)
}

fn action(t: &[Token]) -> Action {
    let other = || Action::Other(t.to_vec());
    match kw(t, 0) {
        Some("ADD") => {
            let mut i = 1;
            let constraint_words = [
                "CONSTRAINT",
                "CHECK",
                "FOREIGN",
                "UNIQUE",
                "PRIMARY",
                "EXCLUDE",
            ];
            if kw(t, i).is_some_and(|w| constraint_words.contains(&w)) {
                return add_constraint(t);
            }
            if kw(t, i) == Some("COLUMN") {
                i += 1;
            }
            if kw(t, i) == Some("IF") && kw(t, i + 1) == Some("NOT") {
                i += 3;
            }
            match ident(t, i) {
                Some(column) => Action::AddColumn {
                    column,
                    rest: t[i + 1..].to_vec(),
                },
                None => other(),
            }
        }
        Some("VALIDATE") if kw(t, 1) == Some("CONSTRAINT") => match ident(t, 2) {
            Some(name) => Action::ValidateConstraint { name },
            None => other(),
        },
        Some("ALTER") => {
            let i = if kw(t, 1) == Some("COLUMN") { 2 } else { 1 };
            let Some(column) = ident(t, i) else {
                return other();
            };
            let j = i + 1;
            match (kw(t, j), kw(t, j + 1), kw(t, j + 2)) {
                (Some("TYPE"), ..) => Action::AlterColumnType {
                    column,
                    ty: type_tokens(&t[j + 1..]),
                },
                (Some("SET"), Some("DATA"), Some("TYPE")) => Action::AlterColumnType {
                    column,
                    ty: type_tokens(&t[j + 3..]),
                },
                (Some("SET"), Some("NOT"), Some("NULL")) => Action::SetNotNull { column },
                _ => other(),
            }
        }
        Some("DROP") if kw(t, 1) != Some("CONSTRAINT") => {
            let mut i = if kw(t, 1) == Some("COLUMN") { 2 } else { 1 };
            if kw(t, i) == Some("IF") && kw(t, i + 1) == Some("EXISTS") {
                i += 2;
            }
            // `DROP NOT NULL`, `DROP DEFAULT`, `DROP EXPRESSION` belong to ALTER COLUMN.
            match (kw(t, 1), ident(t, i)) {
                (Some("NOT" | "DEFAULT" | "EXPRESSION" | "IDENTITY"), _) => other(),
                (_, Some(column)) => Action::DropColumn { column },
                _ => other(),
            }
        }
        Some("RENAME") => match (kw(t, 1), kw(t, 2)) {
            (Some("TO"), _) => match ident(t, 2) {
                Some(to) => Action::RenameTable { to },
                None => other(),
            },
            (Some("CONSTRAINT"), _) => other(),
            (Some("COLUMN"), _) => rename_column(t, 2).unwrap_or_else(other),
            _ => rename_column(t, 1).unwrap_or_else(other),
        },
        _ => other(),
    }
}

fn rename_column(t: &[Token], i: usize) -> Option<Action> {
    let from = ident(t, i)?;
    (kw(t, i + 1) == Some("TO")).then_some(())?;
    let to = ident(t, i + 2)?;
    Some(Action::RenameColumn { from, to })
}

/// The tokens of a type up to `USING` or `COLLATE`.
fn type_tokens(t: &[Token]) -> Vec<Token> {
    t.iter()
        .take_while(|x| !matches!(x.kw(), Some("USING" | "COLLATE")))
        .cloned()
        .collect()
}

fn add_constraint(t: &[Token]) -> Action {
    let mut i = 1;
    let mut name = None;
    if kw(t, i) == Some("CONSTRAINT") {
        name = ident(t, i + 1);
        i += 2;
    }
    let not_valid = t
        .windows(2)
        .any(|w| w[0].kw() == Some("NOT") && w[1].kw() == Some("VALID"));
    let kind = match kw(t, i) {
        Some("CHECK") => ConstraintKind::Check {
            not_null_of: not_null_check(&t[i + 1..]),
        },
        Some("FOREIGN") => ConstraintKind::ForeignKey,
        Some("UNIQUE" | "PRIMARY") => ConstraintKind::Key {
            using_index: t
                .windows(2)
                .any(|w| w[0].kw() == Some("USING") && w[1].kw() == Some("INDEX")),
        },
        Some("EXCLUDE") => ConstraintKind::Exclusion,
        Some("NOT") if kw(t, i + 1) == Some("NULL") => ConstraintKind::NotNull,
        _ => return Action::Other(t.to_vec()),
    };
    Action::AddConstraint {
        name,
        kind,
        not_valid,
    }
}

/// `(column IS NOT NULL)`, in any number of parentheses: the column.
fn not_null_check(t: &[Token]) -> Option<String> {
    let inner: Vec<&Token> = t.iter().filter(|x| !x.is('(') && !x.is(')')).collect();
    match inner.as_slice() {
        [col, is, not, null, ..]
            if is.kw() == Some("IS") && not.kw() == Some("NOT") && null.kw() == Some("NULL") =>
        {
            // Nothing but `NOT VALID` / `NO INHERIT` may follow.
            let tail: Vec<&str> = inner[4..].iter().filter_map(|x| x.kw()).collect();
            let allowed = tail
                .iter()
                .all(|w| ["NOT", "VALID", "NO", "INHERIT"].contains(w));
            (allowed && inner[4..].iter().all(|x| x.kw().is_some()))
                .then(|| col.ident().map(str::to_string))
                .flatten()
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::migration::{Migration, SqlFile};

    fn actions(sql: &str) -> (String, Vec<Action>) {
        let m = Migration::read(&[SqlFile {
            name: "m.sql".into(),
            text: sql.into(),
            runner_transaction: false,
        }]);
        alter_table(&m.statements[0]).expect("an ALTER TABLE")
    }

    #[test]
    fn reads_actions() {
        let (t, a) = actions(
            "ALTER TABLE ONLY public.t ADD COLUMN IF NOT EXISTS c int DEFAULT 1, \
             ADD CONSTRAINT k CHECK ((c IS NOT NULL)) NOT VALID, ALTER COLUMN c TYPE bigint USING c::bigint, \
             ALTER c SET NOT NULL, DROP COLUMN IF EXISTS d, RENAME e TO f",
        );
        assert_eq!(t, "t");
        assert!(matches!(&a[0], Action::AddColumn { column, .. } if column == "c"));
        assert_eq!(
            a[1],
            Action::AddConstraint {
                name: Some("k".into()),
                kind: ConstraintKind::Check {
                    not_null_of: Some("c".into())
                },
                not_valid: true
            }
        );
        assert!(
            matches!(&a[2], Action::AlterColumnType { column, ty } if column == "c" && ty.len() == 1)
        );
        assert_eq!(a[3], Action::SetNotNull { column: "c".into() });
        assert_eq!(a[4], Action::DropColumn { column: "d".into() });
        assert_eq!(
            a[5],
            Action::RenameColumn {
                from: "e".into(),
                to: "f".into()
            }
        );
        let (_, a) = actions("ALTER TABLE t ADD CONSTRAINT k CHECK (c > 0 OR c IS NOT NULL)");
        assert_eq!(
            a[0],
            Action::AddConstraint {
                name: Some("k".into()),
                kind: ConstraintKind::Check { not_null_of: None },
                not_valid: false
            }
        );
        let (_, a) = actions("ALTER TABLE t ALTER COLUMN c DROP NOT NULL, DROP CONSTRAINT x");
        assert!(matches!(a[0], Action::Other(_)) && matches!(a[1], Action::Other(_)));
    }
}
