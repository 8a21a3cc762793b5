//! Renderings of an [`Outcome`]: for people, JSON, SARIF 2.1.0 and GitHub Actions annotations,
//! and of the rule list.

use serde_json::{Value, json};

use crate::{Finding, Outcome, Rule, Severity, registry};

fn counts(findings: &[Finding]) -> String {
    let n = |s: Severity| findings.iter().filter(|f| f.severity == s).count();
    let (e, w, i) = (n(Severity::Error), n(Severity::Warning), n(Severity::Info));
    let plural = |k: usize, word: &str| format!("{k} {word}{}", if k == 1 { "" } else { "s" });
    format!(
        "{} ({}, {}, {})",
        plural(findings.len(), "finding"),
        plural(e, "error"),
        plural(w, "warning"),
        plural(i, "note")
    )
}

/// For a terminal: one block per finding, then the stale suppressions and a count.
pub fn human(outcome: &Outcome) -> String {
    let mut out = String::new();
    for f in &outcome.findings {
        out.push_str(&format!(
            "{}[{} {}]: {}\n",
            f.severity.as_str(),
            f.code,
            f.name,
            f.message
        ));
        match (&f.file, f.line) {
            (Some(file), Some(line)) => {
                out.push_str(&format!("  --> {file}:{line} ({})\n", f.object));
            }
            (Some(file), None) => out.push_str(&format!("  --> {file} ({})\n", f.object)),
            _ => out.push_str(&format!("  --> {}\n", f.object)),
        }
        out.push_str(&format!("  = help: {}\n\n", f.help));
    }
    for s in &outcome.stale {
        out.push_str(&stale_line(s));
        out.push('\n');
    }
    if outcome.findings.is_empty() && outcome.stale.is_empty() {
        out.push_str("no findings");
    } else {
        out.push_str(&counts(&outcome.findings));
    }
    if outcome.suppressed > 0 {
        out.push_str(&format!("; {} suppressed", outcome.suppressed));
    }
    out.push('\n');
    out
}

/// The warning for a suppression that silenced nothing.
pub fn stale_line(s: &crate::Suppression) -> String {
    let at = match &s.file {
        Some(f) => format!("{f}:{}", s.line),
        None => format!("line {}", s.line),
    };
    format!(
        "warning: {at}: the suppression of {} {}matches no finding: remove it",
        s.code,
        s.object
            .as_deref()
            .map(|o| format!("on {o} "))
            .unwrap_or_default()
    )
}

/// JSON: an array with one object per finding.
pub fn json(outcome: &Outcome) -> String {
    serde_json::to_string_pretty(&outcome.findings).unwrap_or_else(|_| "[]".into())
}

fn sarif_level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// SARIF 2.1.0: one run, every registered rule in the driver, one result per finding, located
/// in its file when it has one and always by its object (a logical location). The fingerprint
/// is a partial fingerprint, so code-scanning services track a finding across moves.
pub fn sarif(outcome: &Outcome) -> String {
    let rules: Vec<Value> = registry()
        .iter()
        .map(|r| {
            json!({
                "id": r.code,
                "name": r.name,
                "shortDescription": { "text": r.summary() },
                "help": { "text": format!("docs/lint/{}.md", r.code) },
                "defaultConfiguration": { "level": sarif_level(r.severity) },
                "properties": { "family": r.family.as_str() },
            })
        })
        .collect();
    let results: Vec<Value> = outcome
        .findings
        .iter()
        .map(|f| {
            let mut location = json!({
                "logicalLocations": [{ "fullyQualifiedName": f.object }],
            });
            if let Some(file) = &f.file {
                let mut physical = json!({ "artifactLocation": { "uri": file } });
                if let Some(line) = f.line {
                    let mut region = json!({ "startLine": line });
                    if let Some(c) = f.column {
                        region["startColumn"] = json!(c);
                    }
                    physical["region"] = region;
                }
                location["physicalLocation"] = physical;
            }
            json!({
                "ruleId": f.code,
                "ruleIndex": registry().iter().position(|r| r.code == f.code).unwrap_or(0),
                "level": sarif_level(f.severity),
                "message": { "text": format!("{} Help: {}", f.message, f.help) },
                "locations": [location],
                "partialFingerprints": { "strataFingerprint/v1": f.fingerprint },
            })
        })
        .collect();
    let doc = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": {
                "name": "strata-lint",
                "version": env!("CARGO_PKG_VERSION"),
                "rules": rules,
            }},
            "results": results,
        }],
    });
    serde_json::to_string_pretty(&doc).unwrap_or_default()
}

fn gh_escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

fn gh_escape_prop(s: &str) -> String {
    gh_escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

/// GitHub Actions workflow commands: one `::error`/`::warning`/`::notice` line per finding.
pub fn github(outcome: &Outcome) -> String {
    let mut out = String::new();
    for f in &outcome.findings {
        let kind = match f.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "notice",
        };
        let mut props = Vec::new();
        if let Some(file) = &f.file {
            props.push(format!("file={}", gh_escape_prop(file)));
            if let Some(l) = f.line {
                props.push(format!("line={l}"));
            }
        }
        props.push(format!(
            "title={}",
            gh_escape_prop(&format!("{} {}", f.code, f.name))
        ));
        out.push_str(&format!(
            "::{kind} {}::{}\n",
            props.join(","),
            gh_escape_data(&format!("{}: {} ({})", f.object, f.message, f.help))
        ));
    }
    for s in &outcome.stale {
        out.push_str(&format!("::warning ::{}\n", gh_escape_data(&stale_line(s))));
    }
    out
}

/// `--list-rules` for people: one line per rule.
pub fn rules_human(rules: &[Rule]) -> String {
    let mut out = String::new();
    for r in rules {
        out.push_str(&format!(
            "{}  {:<44} {:<11} {:<7} {}{}\n",
            r.code,
            r.name,
            r.family.as_str(),
            r.severity.as_str(),
            r.summary(),
            if r.fixable { " [fix]" } else { "" }
        ));
    }
    out
}

/// `--list-rules --format json`.
pub fn rules_json(rules: &[Rule]) -> String {
    let list: Vec<Value> = rules
        .iter()
        .map(|r| {
            json!({
                "code": r.code,
                "name": r.name,
                "family": r.family.as_str(),
                "severity": r.severity.as_str(),
                "fixable": r.fixable,
                "summary": r.summary(),
            })
        })
        .collect();
    serde_json::to_string_pretty(&list).unwrap_or_else(|_| "[]".into())
}
