//! Naming conventions: snake_case, plurals, and deterministic identifiers within 63 bytes.

use heck::ToSnakeCase;

/// PostgreSQL truncates identifiers to NAMEDATALEN - 1 bytes.
pub const MAX_IDENT: usize = 63;

pub fn snake(name: &str) -> String {
    name.to_snake_case()
}

const IRREGULAR: &[(&str, &str)] = &[
    ("person", "people"),
    ("child", "children"),
    ("man", "men"),
    ("woman", "women"),
    ("mouse", "mice"),
    ("goose", "geese"),
    ("tooth", "teeth"),
    ("foot", "feet"),
    ("datum", "data"),
    ("medium", "media"),
    ("criterion", "criteria"),
    ("analysis", "analyses"),
    ("leaf", "leaves"),
    ("life", "lives"),
    ("knife", "knives"),
    ("ox", "oxen"),
];

/// Words whose plural is the word itself.
const UNCOUNTABLE: &[&str] = &[
    "data",
    "media",
    "metadata",
    "information",
    "equipment",
    "news",
    "series",
    "species",
    "feedback",
    "software",
    "staff",
    "sheep",
    "fish",
    "deer",
    "inventory",
    "settings",
    "stats",
    "analytics",
];

fn split_last(word: &str) -> (&str, &str) {
    match word.rfind('_') {
        Some(i) => (&word[..=i], &word[i + 1..]),
        None => ("", word),
    }
}

/// Plural of a snake_case name: only the last word changes (`task_tag` → `task_tags`).
pub fn pluralize(name: &str) -> String {
    let (head, last) = split_last(name);
    format!("{head}{}", plural_word(last))
}

fn plural_word(w: &str) -> String {
    if w.is_empty() || UNCOUNTABLE.contains(&w) {
        return w.to_string();
    }
    if let Some((_, p)) = IRREGULAR.iter().find(|(s, _)| *s == w) {
        return (*p).to_string();
    }
    if IRREGULAR.iter().any(|(_, p)| *p == w) {
        return w.to_string();
    }
    let consonant_y = w.ends_with('y')
        && w.len() > 1
        && !matches!(w.as_bytes()[w.len() - 2], b'a' | b'e' | b'i' | b'o' | b'u');
    if consonant_y {
        return format!("{}ies", &w[..w.len() - 1]);
    }
    if w.ends_with("is") && w.len() > 3 {
        return format!("{}es", &w[..w.len() - 2]);
    }
    if w.ends_with("ss")
        || w.ends_with("us")
        || w.ends_with('x')
        || w.ends_with('z')
        || w.ends_with("ch")
        || w.ends_with("sh")
    {
        return format!("{w}es");
    }
    if w.ends_with('s') {
        // Already plural (`settings`, `credentials`).
        return w.to_string();
    }
    format!("{w}s")
}

/// Singular of a snake_case name, the inverse of [`pluralize`] for regular words.
pub fn singularize(name: &str) -> String {
    let (head, last) = split_last(name);
    format!("{head}{}", singular_word(last))
}

fn singular_word(w: &str) -> String {
    if UNCOUNTABLE.contains(&w) {
        return w.to_string();
    }
    if let Some((s, _)) = IRREGULAR.iter().find(|(_, p)| *p == w) {
        return (*s).to_string();
    }
    if let Some(stem) = w.strip_suffix("ies")
        && !stem.is_empty()
    {
        return format!("{stem}y");
    }
    for suffix in ["sses", "uses", "xes", "zes", "ches", "shes"] {
        if w.ends_with(suffix) {
            return w[..w.len() - 2].to_string();
        }
    }
    if w.ends_with('s') && !w.ends_with("ss") && !w.ends_with("us") && w.len() > 1 {
        return w[..w.len() - 1].to_string();
    }
    w.to_string()
}

/// A derived identifier that fits in 63 bytes: longer names keep a readable prefix and end
/// in a hash of the full name, so they stay unique and deterministic.
pub fn fit(name: &str) -> String {
    if name.len() <= MAX_IDENT {
        return name.to_string();
    }
    let hash = fnv1a(name.as_bytes());
    let suffix = format!("_{:08x}", hash as u32);
    let mut cut = MAX_IDENT - suffix.len();
    while !name.is_char_boundary(cut) {
        cut -= 1;
    }
    format!("{}{}", &name[..cut], suffix)
}

fn fnv1a(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

/// Lower-case word characters only, for names made from SQL expressions.
pub fn sanitize(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('_') && !out.is_empty() {
            out.push('_');
        }
    }
    out.trim_end_matches('_').to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plurals() {
        for (s, p) in [
            ("user", "users"),
            ("task", "tasks"),
            ("task_tag", "task_tags"),
            ("category", "categories"),
            ("status", "statuses"),
            ("address", "addresses"),
            ("box", "boxes"),
            ("person", "people"),
            ("day", "days"),
            ("audit_log", "audit_logs"),
            ("match", "matches"),
        ] {
            assert_eq!(pluralize(s), p, "plural of {s}");
            assert_eq!(singularize(p), s, "singular of {p}");
        }
        assert_eq!(pluralize("datum"), "data");
        assert_eq!(pluralize("media"), "media");
        assert_eq!(pluralize("settings"), "settings");
    }

    #[test]
    fn fit_is_bounded_and_deterministic() {
        let long = "x".repeat(100);
        let a = fit(&long);
        assert_eq!(a.len(), 63);
        assert_eq!(a, fit(&long));
        assert_ne!(fit(&format!("{long}a")), fit(&format!("{long}b")));
        assert_eq!(fit("short"), "short");
    }

    #[test]
    fn sanitize_expressions() {
        assert_eq!(sanitize("lower(email)"), "lower_email");
        assert_eq!(sanitize("(a + b)"), "a_b");
    }
}
