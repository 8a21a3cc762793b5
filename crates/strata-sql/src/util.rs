//! Small formatting helpers shared by the renderers.

use strata_model::{Deferrable, QualifiedName, needs_quoting, quote_ident};

/// Appends an identifier, quoted when needed: [`quote_ident`] without a `String` per name (a
/// large schema renders hundreds of thousands of them).
pub fn push_ident(out: &mut String, ident: &str) {
    if needs_quoting(ident) {
        out.push('"');
        for c in ident.chars() {
            if c == '"' {
                out.push('"');
            }
            out.push(c);
        }
        out.push('"');
    } else {
        out.push_str(ident);
    }
}

/// Appends `schema.name`, each part quoted when needed.
pub fn push_qualified(out: &mut String, name: &QualifiedName) {
    push_ident(out, &name.schema);
    out.push('.');
    push_ident(out, &name.name);
}

/// `a, "B", c`: each identifier quoted when needed.
pub fn ident_list(names: &[String]) -> String {
    names
        .iter()
        .map(|n| quote_ident(n))
        .collect::<Vec<_>>()
        .join(", ")
}

/// `CONSTRAINT name ` for a named constraint, nothing when the name is empty (PostgreSQL then
/// chooses one).
pub fn constraint_prefix(name: &str) -> String {
    if name.is_empty() {
        String::new()
    } else {
        format!("CONSTRAINT {} ", quote_ident(name))
    }
}

/// ` DEFERRABLE INITIALLY ...`, or nothing for a non-deferrable constraint.
pub fn deferrable_sql(deferrable: Deferrable) -> &'static str {
    match deferrable {
        Deferrable::NotDeferrable => "",
        Deferrable::InitiallyImmediate => " DEFERRABLE INITIALLY IMMEDIATE",
        Deferrable::InitiallyDeferred => " DEFERRABLE INITIALLY DEFERRED",
    }
}

/// ` WITH (name=value, ...)` for storage parameters or view options held as `name=value`
/// (as `pg_class.reloptions` prints them), or nothing for none. A value that is not a plain
/// word or number is written as a string literal, which every parameter accepts.
pub fn render_options(options: &[String]) -> String {
    if options.is_empty() {
        return String::new();
    }
    format!(" WITH ({})", option_list(options))
}

/// `name=value, ...` as in [`render_options`], without `WITH ( )`.
pub fn option_list(options: &[String]) -> String {
    options
        .iter()
        .map(|o| render_option(o))
        .collect::<Vec<_>>()
        .join(", ")
}

fn render_option(option: &str) -> String {
    let (name, value) = option.split_once('=').unwrap_or((option, ""));
    let plain_name = !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '.');
    let name = if plain_name {
        name.to_string()
    } else {
        quote_ident(name)
    };
    if value.is_empty() && !option.contains('=') {
        return name;
    }
    let word = value
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_lowercase() || c == '_')
        && value
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    let number = {
        let digits = value.strip_prefix('-').unwrap_or(value);
        !digits.is_empty()
            && digits.chars().all(|c| c.is_ascii_digit() || c == '.')
            && digits.chars().filter(|c| *c == '.').count() <= 1
            && !digits.starts_with('.')
            && !digits.ends_with('.')
    };
    if word || number {
        format!("{name}={value}")
    } else {
        format!("{name}={}", strata_model::quote_literal(value))
    }
}

/// The option names of `name=value` options.
pub fn option_names(options: &[String]) -> Vec<&str> {
    options
        .iter()
        .map(|o| o.split_once('=').map_or(o.as_str(), |(n, _)| n))
        .collect()
}

/// A role in a `TO` list: the special role specifications (`PUBLIC`, `CURRENT_USER`,
/// `SESSION_USER`, `CURRENT_ROLE`) as key words — no role can carry those names — and any
/// other role as a quoted identifier.
pub fn render_role(role: &str) -> String {
    match role {
        "public" | "PUBLIC" => "PUBLIC".to_string(),
        "current_user" | "CURRENT_USER" => "CURRENT_USER".to_string(),
        "session_user" | "SESSION_USER" => "SESSION_USER".to_string(),
        "current_role" | "CURRENT_ROLE" => "CURRENT_ROLE".to_string(),
        other => quote_ident(other),
    }
}

/// A dollar-quoted string literal whose tag (`$base$`, `$base_1$`, ...) cannot end the
/// literal early: the first occurrence of the delimiter in `body + delimiter` is the closing
/// one. The body is kept byte for byte.
pub fn dollar_quote(base: &str, body: &str) -> String {
    let mut n = 0usize;
    loop {
        let tag = if n == 0 {
            format!("${base}$")
        } else {
            format!("${base}_{n}$")
        };
        let candidate = format!("{body}{tag}");
        if candidate.find(&tag) == Some(body.len()) {
            return format!("{tag}{candidate}");
        }
        n += 1;
    }
}

/// Terminates a free-form SQL fragment (a view definition) with `;`: trailing whitespace and
/// semicolons are dropped, and the `;` goes on its own line when the last line holds a `--`
/// comment that would swallow it.
pub fn terminate(sql: &str) -> String {
    let trimmed = sql.trim_end_matches(|c: char| c.is_whitespace() || c == ';');
    let last_line = trimmed.rsplit('\n').next().unwrap_or(trimmed);
    if last_line.contains("--") {
        format!("{trimmed}\n;")
    } else {
        format!("{trimmed};")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dollar_quote_avoids_tag_in_body() {
        assert_eq!(dollar_quote("body", "SELECT 1"), "$body$SELECT 1$body$");
        assert_eq!(
            dollar_quote("body", "x $body$ y"),
            "$body_1$x $body$ y$body_1$"
        );
        // A body ending in a prefix of the delimiter would close early.
        assert_eq!(dollar_quote("body", "x$body"), "$body_1$x$body$body_1$");
        assert_eq!(dollar_quote("body", "a$"), "$body$a$$body$");
    }

    #[test]
    fn options() {
        assert_eq!(render_options(&[]), "");
        assert_eq!(
            render_options(&[
                "fillfactor=70".into(),
                "autovacuum_vacuum_scale_factor=0.01".into(),
                "toast.autovacuum_enabled=false".into(),
                "log_autovacuum_min_duration=-1".into(),
                "check_option=local".into(),
                "odd=a b'c".into(),
            ]),
            " WITH (fillfactor=70, autovacuum_vacuum_scale_factor=0.01, \
             toast.autovacuum_enabled=false, log_autovacuum_min_duration=-1, \
             check_option=local, odd='a b''c')"
        );
    }

    #[test]
    fn roles() {
        assert_eq!(render_role("public"), "PUBLIC");
        assert_eq!(render_role("app"), "app");
        assert_eq!(render_role("App User"), "\"App User\"");
        assert_eq!(render_role("user"), "\"user\"");
    }

    #[test]
    fn terminate_handles_comments_and_semicolons() {
        assert_eq!(terminate("SELECT 1;\n  "), "SELECT 1;");
        assert_eq!(terminate("SELECT 1 -- note"), "SELECT 1 -- note\n;");
    }
}
