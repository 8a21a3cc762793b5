//! Unit tests for parsing, environment defaults and redaction.

use super::*;

fn env_from(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
    let map: std::collections::HashMap<String, String> = pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    move |k| map.get(k).cloned()
}

#[test]
fn placeholder() {
    let info = ConnInfo::parse("postgres://u:p@h:1/d").expect("parse");
    assert_eq!(info.user(), Some("u"));
    let _ = env_from(&[]);
}
