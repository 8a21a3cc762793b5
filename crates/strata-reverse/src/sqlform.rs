//! SQL text compared the way PostgreSQL stores it and the designer writes it alike.
//!
//! An introspected model holds expressions as the server prints them
//! (`(char_length(title) <= 200)`, `(action = ANY (ARRAY['a'::text, 'b'::text]))`); a designed
//! one as the designer writes them (`char_length(title) <= 200`, `action IN ('a', 'b')`).
//! Recognising a convention, and checking that the printed `.strata` designs back into the
//! same schema, compare both through [`loose`]: grouping parentheses, `::text` casts of string
//! literals and the `= ANY (ARRAY[...])` spelling of `IN (...)` do not count. `inspect`
//! followed by a plan against the real database (tested) is the exact check behind it.

/// `sql` with the differences above taken out.
pub fn loose(sql: &str) -> String {
    let s = any_array_to_in(&strip_literal_casts(sql));
    let s = strip_grouping_parens(&s);
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Whether `a` and `b` are the same but for the differences above.
pub fn same(a: &str, b: &str) -> bool {
    a == b || loose(a) == loose(b)
}

/// Drops `::text` and `::character varying` right after a string literal.
fn strip_literal_casts(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len());
    let mut rest = sql;
    let mut in_literal = false;
    while let Some(c) = rest.chars().next() {
        rest = &rest[c.len_utf8()..];
        out.push(c);
        if c != '\'' {
            continue;
        }
        if in_literal && rest.starts_with('\'') {
            // An escaped quote inside the literal.
            out.push('\'');
            rest = &rest[1..];
            continue;
        }
        in_literal = !in_literal;
        if !in_literal {
            for cast in ["::text[]", "::text", "::character varying"] {
                if let Some(r) = rest.strip_prefix(cast) {
                    rest = r;
                    break;
                }
            }
        }
    }
    out
}

/// `x = ANY (ARRAY[a, b])` → `x IN (a, b)`.
fn any_array_to_in(sql: &str) -> String {
    const OPEN: &str = " = ANY (ARRAY[";
    let mut out = String::with_capacity(sql.len());
    let mut rest = sql;
    while let Some(i) = rest.find(OPEN) {
        out.push_str(&rest[..i]);
        let after = &rest[i + OPEN.len()..];
        match after.find("])") {
            Some(j) if !after[..j].contains('[') => {
                out.push_str(" IN (");
                out.push_str(&after[..j]);
                out.push(')');
                rest = &after[j + 2..];
            }
            _ => {
                out.push_str(OPEN);
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// Removes parentheses that group (not those of a function call, which follow a name), with
/// their closing partners; string literals and quoted names are left as they are.
fn strip_grouping_parens(sql: &str) -> String {
    let chars: Vec<char> = sql.chars().collect();
    let mut drop = vec![false; chars.len()];
    let mut stack: Vec<(usize, bool)> = Vec::new();
    let mut quote: Option<char> = None;
    for (i, &c) in chars.iter().enumerate() {
        if let Some(q) = quote {
            if c == q {
                quote = None;
            }
            continue;
        }
        match c {
            '\'' | '"' => quote = Some(c),
            '(' => {
                let prev = chars[..i].iter().rev().find(|c| !c.is_whitespace());
                let call = chars
                    .get(i.wrapping_sub(1))
                    .is_some_and(|p| p.is_alphanumeric() || *p == '_' || *p == '"');
                let grouping = !call && prev.is_none_or(|p| *p != ']');
                stack.push((i, grouping));
                drop[i] = grouping;
            }
            ')' => {
                if let Some((_, grouping)) = stack.pop() {
                    drop[i] = grouping;
                }
            }
            _ => {}
        }
    }
    chars
        .iter()
        .zip(drop)
        .filter(|(_, d)| !d)
        .map(|(c, _)| *c)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn server_and_designer_spellings_compare_equal() {
        assert!(same(
            "(char_length(title) <= 200)",
            "char_length(title) <= 200"
        ));
        assert!(same(
            "((email ~* '^[^@[:space:]]+@[^@[:space:]]+\\.[^@[:space:]]+$'::text) AND (char_length(email) <= 254))",
            "email ~* '^[^@[:space:]]+@[^@[:space:]]+\\.[^@[:space:]]+$' AND char_length(email) <= 254"
        ));
        assert!(same(
            "(action = ANY (ARRAY['INSERT'::text, 'UPDATE'::text]))",
            "action IN ('INSERT', 'UPDATE')"
        ));
        assert!(same("CHECK ((x > 0))", "CHECK (x > 0)"));
        assert!(!same(
            "(char_length(title) <= 200)",
            "char_length(title) <= 201"
        ));
        assert!(!same("'a'::text", "'b'"));
        assert!(same("'it''s'::text", "'it''s'"));
        assert!(!same("f(x)", "f x"));
    }
}
