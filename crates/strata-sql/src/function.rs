//! Functions: `CREATE OR REPLACE FUNCTION`, and the signature used to name one.

use strata_model::{Function, quote_ident, quote_literal};

use crate::util::dollar_quote;

/// `CREATE OR REPLACE FUNCTION name(args) RETURNS ... LANGUAGE ... VOLATILITY [STRICT]
/// [SECURITY DEFINER] AS $body$...$body$;` — the body is kept byte for byte, in a dollar quote
/// whose tag does not occur in it. The language name is folded to lower case, as PostgreSQL
/// stores every language.
pub fn render_function(f: &Function) -> String {
    let mut out = format!(
        "CREATE OR REPLACE FUNCTION {}({})\n    RETURNS {}\n    LANGUAGE {}\n    {}",
        f.name.quoted(),
        f.arguments.trim(),
        f.returns.trim(),
        quote_ident(&f.language.trim().to_ascii_lowercase()),
        f.volatility.sql()
    );
    if f.strict {
        out.push_str(" STRICT");
    }
    if f.security_definer {
        out.push_str(" SECURITY DEFINER");
    }
    for attribute in &f.attributes {
        out.push(' ');
        out.push_str(attribute);
    }
    for setting in &f.config {
        out.push_str("\n    ");
        out.push_str(&render_setting(setting));
    }
    out.push_str("\nAS ");
    out.push_str(&dollar_quote("body", &f.body));
    out.push(';');
    out
}

/// `SET name TO value` for a `proconfig` entry `name=value`. A list setting (`search_path`,
/// stored as `a, "B c"`) gives one literal per element, as `pg_get_functiondef` writes it;
/// any other value is one literal.
fn render_setting(setting: &str) -> String {
    let (name, value) = setting.split_once('=').unwrap_or((setting, ""));
    let list = matches!(
        name,
        "search_path"
            | "temp_tablespaces"
            | "session_preload_libraries"
            | "local_preload_libraries"
    );
    let values: Vec<String> = if list {
        split_top_level(value, ',')
            .iter()
            .map(|e| {
                let e = e.trim();
                let unquoted = e
                    .strip_prefix('"')
                    .and_then(|x| x.strip_suffix('"'))
                    .map(|x| x.replace("\"\"", "\""))
                    .unwrap_or_else(|| e.to_string());
                quote_literal(&unquoted)
            })
            .collect()
    } else {
        vec![quote_literal(value)]
    };
    format!("SET {} TO {}", quote_ident(name), values.join(", "))
}

/// `name(identity arguments)`: how `COMMENT ON FUNCTION`, `GRANT ... ON FUNCTION` and
/// `DROP FUNCTION` name a function.
pub fn function_signature(f: &Function) -> String {
    format!("{}({})", f.name.quoted(), identity_arguments(&f.arguments))
}

/// An argument list without its `DEFAULT` / `=` clauses, which object references do not
/// accept: `a integer, b text DEFAULT 'x'` → `a integer, b text`. Commas and key words inside
/// parentheses, brackets, quotes and string literals are left alone.
pub fn identity_arguments(arguments: &str) -> String {
    split_top_level(arguments, ',')
        .iter()
        .map(|arg| strip_default(arg).trim().to_string())
        .filter(|arg| !arg.is_empty())
        .collect::<Vec<_>>()
        .join(", ")
}

/// Splits at `sep` outside parentheses, brackets, double-quoted identifiers and literals.
fn split_top_level(text: &str, sep: char) -> Vec<&str> {
    let mut parts = Vec::new();
    let mut start = 0;
    let mut depth = 0i32;
    let mut quote: Option<char> = None;
    for (i, c) in text.char_indices() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None => match c {
                '\'' | '"' => quote = Some(c),
                '(' | '[' => depth += 1,
                ')' | ']' => depth -= 1,
                c if c == sep && depth == 0 => {
                    parts.push(&text[start..i]);
                    start = i + c.len_utf8();
                }
                _ => {}
            },
        }
    }
    parts.push(&text[start..]);
    parts
}

/// The argument up to a top-level `DEFAULT` key word or `=`.
fn strip_default(arg: &str) -> &str {
    let mut depth = 0i32;
    let mut quote: Option<char> = None;
    let mut word_start: Option<usize> = None;
    for (i, c) in arg.char_indices() {
        if let Some(q) = quote {
            if c == q {
                quote = None;
            }
            continue;
        }
        let is_word = c.is_alphanumeric() || c == '_' || c == '$';
        if is_word {
            word_start.get_or_insert(i);
            continue;
        }
        if let Some(ws) = word_start.take()
            && depth == 0
            && arg[ws..i].eq_ignore_ascii_case("default")
        {
            return &arg[..ws];
        }
        match c {
            '\'' | '"' => quote = Some(c),
            '(' | '[' => depth += 1,
            ')' | ']' => depth -= 1,
            '=' if depth == 0 => return &arg[..i],
            _ => {}
        }
    }
    if let Some(ws) = word_start
        && depth == 0
        && arg[ws..].eq_ignore_ascii_case("default")
    {
        return &arg[..ws];
    }
    arg
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identity_arguments_strip_defaults() {
        assert_eq!(identity_arguments(""), "");
        assert_eq!(identity_arguments("a integer, b text"), "a integer, b text");
        assert_eq!(
            identity_arguments("a integer DEFAULT 1, b text = 'x,y', c numeric(10,2) default 0"),
            "a integer, b text, c numeric(10,2)"
        );
        assert_eq!(
            identity_arguments("\"default\" text DEFAULT 'a=b'"),
            "\"default\" text"
        );
        assert_eq!(identity_arguments("defaults_x int"), "defaults_x int");
    }
}
