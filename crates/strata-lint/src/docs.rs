//! Rule documentation: each rule's `//!` comment, split into its fixed sections, and the
//! generated `docs/lint/<CODE>.md` pages and `docs/lint/README.md` index.

use crate::{Family, Rule, registry};

/// The sections every rule documents, in order.
pub const SECTIONS: [&str; 4] = ["What it does", "Why it matters", "Example", "Fix"];

/// A rule's documentation, section by section.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RuleDoc {
    /// (heading, body) in the order written.
    pub sections: Vec<(String, String)>,
}

impl RuleDoc {
    /// Reads the leading `//!` lines of a rule's source.
    pub fn parse(source: &str) -> RuleDoc {
        let mut sections: Vec<(String, String)> = Vec::new();
        for line in source.lines() {
            let Some(text) = line.strip_prefix("//!") else {
                if line.trim().is_empty() {
                    continue;
                }
                break;
            };
            let text = text.strip_prefix(' ').unwrap_or(text);
            if let Some(h) = text.strip_prefix("## ") {
                sections.push((h.trim().to_string(), String::new()));
            } else if let Some((_, body)) = sections.last_mut() {
                body.push_str(text);
                body.push('\n');
            }
        }
        for (_, body) in &mut sections {
            *body = body.trim().to_string();
        }
        RuleDoc { sections }
    }

    pub fn section(&self, heading: &str) -> Option<&str> {
        self.sections
            .iter()
            .find(|(h, _)| h == heading)
            .map(|(_, b)| b.as_str())
    }

    /// The first sentence of "What it does", on one line.
    pub fn summary(&self) -> String {
        let text = self
            .section("What it does")
            .unwrap_or("")
            .replace('\n', " ");
        match text.find(". ") {
            Some(n) => text[..=n].to_string(),
            None => text,
        }
    }

    /// What is wrong with the documentation: missing, empty, extra or misordered sections.
    pub fn problems(&self) -> Vec<String> {
        let headings: Vec<&str> = self.sections.iter().map(|(h, _)| h.as_str()).collect();
        let mut out = Vec::new();
        if headings != SECTIONS {
            out.push(format!(
                "sections are {headings:?}; expected exactly {SECTIONS:?} in that order"
            ));
        }
        for (h, b) in &self.sections {
            if b.is_empty() {
                out.push(format!("section `{h}` is empty"));
            }
        }
        out
    }
}

/// `docs/lint/<CODE>.md` for one rule.
pub fn rule_page(rule: &Rule) -> String {
    let doc = rule.doc();
    let mut out = format!("# {} `{}`\n\n", rule.code, rule.name);
    out.push_str(&format!(
        "Family: {} · default severity: {} · autofix: {}\n\n",
        rule.family.as_str(),
        rule.severity.as_str(),
        if rule.fixable { "yes" } else { "no" }
    ));
    for (h, b) in &doc.sections {
        out.push_str(&format!("## {h}\n\n{b}\n\n"));
    }
    out.push_str(&format!(
        "To silence it on one object, put `-- strata-lint: ignore {code} <reason>` before the\n\
         statement in SQL (`// strata-lint: ignore {code} <reason>` before the entity in `.strata`);\n\
         to turn it off, add `{code}` to `ignore` in the `[lint]` table of `strata.toml`\n\
         (see [the lint guide](../lint.md)).\n",
        code = rule.code
    ));
    out
}

/// `docs/lint/README.md`: every rule by family.
pub fn index() -> String {
    let mut out = String::from(
        "# Lint rules\n\n\
         Every rule `strata lint` knows, by family. Codes are stable and never reused.\n\
         This index and the rule pages are generated from the rules' own documentation;\n\
         a test fails when they are stale (`UPDATE_DOCS=1 cargo test -p strata-lint --test docs`).\n\
         How to run the linter, configure it and silence a finding: [the lint guide](../lint.md).\n",
    );
    for family in Family::ALL {
        let rules: Vec<&Rule> = registry().iter().filter(|r| r.family == family).collect();
        if rules.is_empty() {
            continue;
        }
        let title = match family {
            Family::Design => "Design (`D`)",
            Family::Security => "Security (`S`)",
            Family::Performance => "Performance from access patterns (`P`)",
            Family::Migration => "Migration safety (`M`)",
            Family::Health => "Live health (`H`)",
        };
        out.push_str(&format!(
            "\n## {title}\n\n| code | name | severity | fix | what it finds |\n|---|---|---|---|---|\n"
        ));
        for r in rules {
            out.push_str(&format!(
                "| [{code}]({code}.md) | `{name}` | {sev} | {fix} | {summary} |\n",
                code = r.code,
                name = r.name,
                sev = r.severity.as_str(),
                fix = if r.fixable { "yes" } else { "" },
                summary = r.summary().replace('|', "\\|"),
            ));
        }
    }
    out
}

/// Every generated file: (path relative to `docs/lint/`, contents).
pub fn generated() -> Vec<(String, String)> {
    let mut out = vec![("README.md".to_string(), index())];
    for r in registry() {
        out.push((format!("{}.md", r.code), rule_page(r)));
    }
    out
}
