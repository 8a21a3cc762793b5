//! Findings and the report a rule writes them into.

use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::{Family, Rule, Severity};

/// One thing a rule found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    pub code: &'static str,
    pub name: &'static str,
    #[serde(skip)]
    pub family: Family,
    pub severity: Severity,
    pub message: String,
    /// One line saying what to do.
    pub help: String,
    /// The object found at fault, qualified: `public.users` (a table or view),
    /// `public.users.email` (a column, constraint, index, trigger or policy of a table),
    /// `public.f(integer)` (a routine).
    pub object: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    /// 1-based line in `file`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<u32>,
    /// 1-based column in `line`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<u32>,
    /// Byte range in `file`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub span: Option<(usize, usize)>,
    /// Stable across runs and edits that move the object: a hash of the code and the object,
    /// not of the line.
    pub fingerprint: String,
}

/// A fingerprint from the rule and the object only, so moving a statement keeps it.
pub fn fingerprint(code: &str, object: &str) -> String {
    let mut h = Sha256::new();
    h.update(code.as_bytes());
    h.update([0]);
    h.update(object.as_bytes());
    h.finalize()[..8]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Where one rule writes its findings.
pub struct Report {
    rule: &'static Rule,
    severity: Severity,
    findings: Vec<Finding>,
}

impl Report {
    pub fn new(rule: &'static Rule, severity: Severity) -> Report {
        Report {
            rule,
            severity,
            findings: Vec::new(),
        }
    }

    /// Records a finding on `object` (see [`Finding::object`]).
    pub fn add(
        &mut self,
        object: impl Into<String>,
        message: impl Into<String>,
        help: impl Into<String>,
    ) {
        let object = object.into();
        self.findings.push(Finding {
            code: self.rule.code,
            name: self.rule.name,
            family: self.rule.family,
            severity: self.severity,
            message: message.into(),
            help: help.into(),
            fingerprint: fingerprint(self.rule.code, &object),
            object,
            file: None,
            line: None,
            column: None,
            span: None,
        });
    }

    /// Records a finding on `object` located at a statement of a file.
    pub fn add_at(
        &mut self,
        object: impl Into<String>,
        message: impl Into<String>,
        help: impl Into<String>,
        file: &str,
        line: u32,
    ) {
        self.add(object, message, help);
        if let Some(f) = self.findings.last_mut() {
            f.file = Some(file.to_string());
            f.line = Some(line);
        }
    }

    pub fn into_findings(self) -> Vec<Finding> {
        self.findings
    }
}
