//! Identifier spelling for the target languages: case conversion, plurals, keyword escapes.

use heck::{ToLowerCamelCase, ToSnakeCase, ToUpperCamelCase};

/// Words whose plural or singular is not regular.
const IRREGULAR: &[(&str, &str)] = &[
    ("person", "people"),
    ("child", "children"),
    ("man", "men"),
    ("woman", "women"),
    ("datum", "data"),
    ("medium", "media"),
    ("index", "indexes"),
    ("status", "statuses"),
    ("address", "addresses"),
    ("analysis", "analyses"),
];

/// Words that are the same in singular and plural.
const UNCOUNTABLE: &[&str] = &[
    "data",
    "media",
    "information",
    "equipment",
    "news",
    "series",
    "species",
    "metadata",
    "feedback",
    "staff",
    "inventory",
];

/// Plural of the last word of a snake_case name: `task` → `tasks`, `category` → `categories`.
pub fn pluralize(name: &str) -> String {
    let (head, last) = split_last_word(name);
    format!("{head}{}", plural_word(last))
}

/// Singular of the last word of a snake_case name: `tasks` → `task`, `categories` → `category`.
pub fn singularize(name: &str) -> String {
    let (head, last) = split_last_word(name);
    format!("{head}{}", singular_word(last))
}

fn split_last_word(name: &str) -> (&str, &str) {
    match name.rfind('_') {
        Some(i) => (&name[..=i], &name[i + 1..]),
        None => ("", name),
    }
}

fn plural_word(w: &str) -> String {
    let lower = w.to_ascii_lowercase();
    if UNCOUNTABLE.contains(&lower.as_str()) || w.is_empty() {
        return w.to_string();
    }
    if let Some((_, p)) = IRREGULAR.iter().find(|(s, _)| *s == lower) {
        return (*p).to_string();
    }
    if IRREGULAR.iter().any(|(_, p)| *p == lower) {
        return w.to_string();
    }
    if let Some(stem) = w.strip_suffix('y')
        && !stem.ends_with(['a', 'e', 'i', 'o', 'u'])
        && !stem.is_empty()
    {
        return format!("{stem}ies");
    }
    if w.ends_with('s') && !w.ends_with("ss") && !w.ends_with("us") {
        // Already plural (`tasks`).
        return w.to_string();
    }
    if w.ends_with("ss")
        || w.ends_with('x')
        || w.ends_with('z')
        || w.ends_with("ch")
        || w.ends_with("sh")
        || w.ends_with("us")
    {
        return format!("{w}es");
    }
    format!("{w}s")
}

fn singular_word(w: &str) -> String {
    let lower = w.to_ascii_lowercase();
    if UNCOUNTABLE.contains(&lower.as_str()) {
        return w.to_string();
    }
    if let Some((s, _)) = IRREGULAR.iter().find(|(_, p)| *p == lower) {
        return (*s).to_string();
    }
    if let Some(stem) = w.strip_suffix("ies")
        && !stem.is_empty()
    {
        return format!("{stem}y");
    }
    for suffix in ["sses", "xes", "zes", "ches", "shes", "uses"] {
        if let Some(stem) = w.strip_suffix(suffix) {
            return format!("{stem}{}", &suffix[..suffix.len() - 2]);
        }
    }
    if w.ends_with("ss") || w.ends_with("us") || w.ends_with("is") {
        return w.to_string();
    }
    match w.strip_suffix('s') {
        Some(stem) if !stem.is_empty() => stem.to_string(),
        _ => w.to_string(),
    }
}

/// Letters and digits outside ASCII become `_u<hex code point>_` (`ï` → `_u00ef_`), so a
/// name of any script maps to an ASCII identifier without guessing a transliteration and two
/// different names never map to the same one; other characters become `_`.
fn escape_non_ascii(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if c.is_alphanumeric() {
            out.push_str(&format!("_u{:04x}_", u32::from(c)));
        } else {
            out.push('_');
        }
    }
    out
}

/// A snake_case identifier made only of `[a-z0-9_]`, not starting with a digit.
pub fn snake_ident(name: &str) -> String {
    let mut s: String = escape_non_ascii(name)
        .to_snake_case()
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    if s.is_empty() {
        s.push('x');
    }
    if s.starts_with(|c: char| c.is_ascii_digit()) {
        s.insert(0, '_');
    }
    s
}

/// An UpperCamelCase type name made only of ASCII letters and digits.
pub fn pascal_ident(name: &str) -> String {
    let cleaned = escape_non_ascii(name);
    let mut s = cleaned.to_upper_camel_case();
    if s.is_empty() {
        s.push('X');
    }
    if s.starts_with(|c: char| c.is_ascii_digit()) {
        s.insert(0, 'T');
    }
    s
}

/// A lowerCamelCase identifier made only of ASCII letters and digits.
pub fn camel_ident(name: &str) -> String {
    let cleaned = escape_non_ascii(name);
    let mut s = cleaned.to_lower_camel_case();
    if s.is_empty() {
        s.push('x');
    }
    if s.starts_with(|c: char| c.is_ascii_digit()) {
        s.insert(0, '_');
    }
    s
}

/// `base`, or `base_2`, `base_3`, ... — the first that `taken` does not contain.
pub fn unique_name(base: &str, taken: &dyn Fn(&str) -> bool) -> String {
    if !taken(base) {
        return base.to_string();
    }
    (2..)
        .map(|n| format!("{base}_{n}"))
        .find(|c| !taken(c))
        .unwrap_or_else(|| base.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plurals() {
        for (s, p) in [
            ("task", "tasks"),
            ("category", "categories"),
            ("address", "addresses"),
            ("film_actor", "film_actors"),
            ("person", "people"),
            ("day", "days"),
            ("box", "boxes"),
            ("tasks", "tasks"),
            ("status", "statuses"),
            ("inventory", "inventory"),
        ] {
            assert_eq!(pluralize(s), p, "plural of {s}");
        }
    }

    #[test]
    fn singulars() {
        for (p, s) in [
            ("tasks", "task"),
            ("categories", "category"),
            ("addresses", "address"),
            ("task_tags", "task_tag"),
            ("people", "person"),
            ("boxes", "box"),
            ("statuses", "status"),
            ("status", "status"),
            ("audit_log", "audit_log"),
            ("inventory", "inventory"),
        ] {
            assert_eq!(singularize(p), s, "singular of {p}");
        }
    }

    #[test]
    fn identifiers() {
        assert_eq!(pascal_ident("task_tags"), "TaskTags");
        assert_eq!(pascal_ident("PG-13"), "Pg13");
        assert_eq!(camel_ident("user_id"), "userId");
        assert_eq!(snake_ident("PG-13"), "pg_13");
        assert_eq!(snake_ident("1st"), "_1st");
        assert_eq!(snake_ident("naïve"), "na_u00ef_ve");
        assert_eq!(snake_ident("größe"), "gr_u00f6_u00df_e");
        assert_eq!(pascal_ident("Größe"), "GrU00f6U00dfE");
        assert_eq!(camel_ident("naïve_at"), "naU00efVeAt");
        assert_ne!(snake_ident("naïve"), snake_ident("naéve"));
        assert_eq!(unique_name("a", &|n| n == "a" || n == "a_2"), "a_3");
    }
}
