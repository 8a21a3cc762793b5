//! docs/diagnostics.md lists every diagnostic code with its meaning, generated from the code
//! tables. Regenerate with `UPDATE_DOCS=1 cargo test -p strata-cli --test diagnostics_doc`.

mod common;

fn expected() -> String {
    let mut out = String::from(
        "# Diagnostics\n\nEvery diagnostic has a stable code, a severity, a span, a message and a one-line help.\n\
         Codes starting with `E` are errors (exit code 2), `W` warnings (exit code 1 from `strata check`),\n\
         `I` notes.\n\
         Codes are never reused. This page is generated from the code tables; a test keeps it current.\n\n\
         | code | meaning |\n|---|---|\n",
    );
    let mut all: Vec<(&str, &str)> = strata_lang::SYNTAX_CODES.to_vec();
    all.extend_from_slice(strata_design::codes::ALL);
    all.extend_from_slice(strata_pg::codes::ALL);
    all.sort_by_key(|(c, _)| c.to_string());
    for (code, meaning) in all {
        out.push_str(&format!("| `{code}` | {} |\n", meaning.replace('|', "\\|")));
    }
    out
}

#[test]
fn diagnostics_doc_is_current() {
    let path = common::repo_root().join("docs/diagnostics.md");
    let want = expected();
    if std::env::var_os("UPDATE_DOCS").is_some() {
        std::fs::write(&path, &want).expect("write docs/diagnostics.md");
    }
    let have = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        have == want,
        "docs/diagnostics.md is stale: run `UPDATE_DOCS=1 cargo test -p strata-cli --test diagnostics_doc`"
    );
}
