//! Small constructors for syntax-tree nodes. Spans are zero: the tree is only ever formatted.

use strata_diagnostics::Span;
use strata_lang::ast::*;

pub fn sp() -> Span {
    Span::default()
}

pub fn ident(name: impl Into<String>) -> Ident {
    Ident {
        name: name.into(),
        span: sp(),
    }
}

pub fn string(value: impl Into<String>) -> Str {
    Str {
        value: value.into(),
        span: sp(),
    }
}

/// Inline SQL (`` `x` ``) for one-line text, a block (`"""x"""`) otherwise.
pub fn sql(text: impl Into<String>) -> SqlText {
    let text = text.into();
    let block = text.contains('\n');
    SqlText {
        text,
        span: sp(),
        block,
    }
}

pub fn block_sql(text: impl Into<String>) -> SqlText {
    SqlText {
        text: text.into(),
        span: sp(),
        block: true,
    }
}

pub fn trivia() -> Trivia {
    Trivia::default()
}

/// Trivia with a blank line before the node.
pub fn spaced() -> Trivia {
    Trivia::from(strata_lang::ast::TriviaData {
        blank_line_before: true,
        ..Default::default()
    })
}

pub fn setting(key: &str, value: &str) -> Setting {
    let value = if is_plain_ident(value) {
        SettingValue::Word(ident(value))
    } else if let Ok(n) = value.parse::<i64>() {
        // A number (`postgres 18`) is written bare, as a person would.
        SettingValue::Int(n, sp())
    } else {
        SettingValue::Str(string(value))
    };
    Setting {
        key: ident(key),
        value,
        trivia: trivia(),
        span: sp(),
    }
}

pub fn conventions(settings: Vec<(&str, String)>, trivia: Trivia) -> Conventions {
    Conventions {
        settings: settings.iter().map(|(k, v)| setting(k, v)).collect(),
        trivia,
        span: sp(),
    }
}

pub fn ty(name: impl Into<String>, args: &[i64], array_dims: u8) -> TypeExpr {
    TypeExpr {
        name: ident(name),
        args: args.iter().map(|a| TypeArg::Int(*a, sp())).collect(),
        array_dims,
        raw: false,
        span: sp(),
    }
}

pub fn raw_ty(sql_type: impl Into<String>, array_dims: u8) -> TypeExpr {
    TypeExpr {
        name: ident(sql_type),
        args: Vec::new(),
        array_dims,
        raw: true,
        span: sp(),
    }
}

/// A `.strata` identifier: ASCII letter or `_`, then letters, digits and `_`.
pub fn is_plain_ident(s: &str) -> bool {
    let mut chars = s.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// Doc comments are printed line by line after `/// `: text that would not read back
/// identically (carriage returns, leading or trailing blanks on a line) cannot be a doc.
pub fn doc_safe(text: &str) -> bool {
    !text.contains('\r')
        && text
            .split('\n')
            .all(|l| l.trim() == l && !l.contains('\t') && !l.starts_with('/'))
}
