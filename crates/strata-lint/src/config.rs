//! Which rules run and how severe they are: the `[lint]` table of `strata.toml`.
//!
//! ```toml
//! [lint]
//! select = ["D", "S"]          # codes, code prefixes or names; default: every rule
//! ignore = ["D012", "money-type"]
//! [lint.severity]
//! D003 = "error"               # error | warning | info | off
//! ```

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::{Rule, Severity};

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ConfigError {
    #[error("strata.toml does not parse: {0}")]
    Toml(String),
    #[error(
        "[lint] {key}: {selector:?} names no rule (a code such as D001, a prefix such as D, or a name such as table-without-primary-key; `strata lint --list-rules` lists them)"
    )]
    UnknownRule { key: &'static str, selector: String },
    #[error(
        "[lint.severity] {selector}: {value:?} is not a severity (error, warning, info or off)"
    )]
    BadSeverity { selector: String, value: String },
}

/// A severity or `off`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    Off,
    On(Severity),
}

/// Rule selection and severities.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Config {
    /// Selectors of the rules to run; empty means all.
    pub select: Vec<String>,
    /// Selectors of rules not to run, applied after `select`.
    pub ignore: Vec<String>,
    /// Severity per selector; the most specific selector (longest) wins.
    pub severity: BTreeMap<String, Level>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LintTable {
    #[serde(default)]
    select: Vec<String>,
    #[serde(default)]
    ignore: Vec<String>,
    #[serde(default)]
    severity: BTreeMap<String, String>,
}

#[derive(Deserialize)]
struct Root {
    lint: Option<LintTable>,
}

impl Config {
    /// Reads the `[lint]` table of a `strata.toml` text; other tables belong to other commands.
    /// Unknown keys, rules and severities are errors, so a typo does not silently lint less.
    pub fn from_toml(text: &str) -> Result<Config, ConfigError> {
        let root: Root = toml::from_str(text).map_err(|e| ConfigError::Toml(e.to_string()))?;
        let Some(t) = root.lint else {
            return Ok(Config::default());
        };
        let mut severity = BTreeMap::new();
        for (selector, value) in t.severity {
            let level = if value == "off" {
                Level::Off
            } else {
                Level::On(
                    Severity::parse(&value).ok_or_else(|| ConfigError::BadSeverity {
                        selector: selector.clone(),
                        value: value.clone(),
                    })?,
                )
            };
            severity.insert(selector, level);
        }
        let cfg = Config {
            select: t.select,
            ignore: t.ignore,
            severity,
        };
        cfg.validate()?;
        Ok(cfg)
    }

    /// Every selector names at least one rule.
    pub fn validate(&self) -> Result<(), ConfigError> {
        let check = |key: &'static str, s: &String| {
            if crate::registry().iter().any(|r| r.matches(s)) {
                Ok(())
            } else {
                Err(ConfigError::UnknownRule {
                    key,
                    selector: s.clone(),
                })
            }
        };
        for s in &self.select {
            check("select", s)?;
        }
        for s in &self.ignore {
            check("ignore", s)?;
        }
        for s in self.severity.keys() {
            check("severity", s)?;
        }
        Ok(())
    }

    /// The severity `rule` runs with, or `None` when it does not run.
    pub fn level(&self, rule: &Rule) -> Option<Severity> {
        if !self.select.is_empty() && !self.select.iter().any(|s| rule.matches(s)) {
            return None;
        }
        if self.ignore.iter().any(|s| rule.matches(s)) {
            return None;
        }
        // A name or a full code is the most specific; among prefixes, the longest.
        let specificity = |s: &str| {
            if s.eq_ignore_ascii_case(rule.name) || s.eq_ignore_ascii_case(rule.code) {
                usize::MAX
            } else {
                s.len()
            }
        };
        match self
            .severity
            .iter()
            .filter(|(s, _)| rule.matches(s))
            .max_by_key(|(s, _)| specificity(s))
        {
            Some((_, Level::Off)) => None,
            Some((_, Level::On(sev))) => Some(*sev),
            None => Some(rule.severity),
        }
    }
}
