//! Strata's linter: rules over a schema design, a migration or a live database, each with a
//! stable code, a kebab-case name, a default severity and its own documentation.
//!
//! A rule is one file under `src/rules/<family>/<code>_<name>.rs`. The build script registers
//! every such file (code and name come from the file name); the file provides `SEVERITY`,
//! `FIXABLE` and `CHECK`, and documents itself in a `//!` comment with the sections
//! `## What it does`, `## Why it matters`, `## Example` and `## Fix`, from which
//! `docs/lint/<CODE>.md` is generated ([`docs`]).
//!
//! [`lint`] runs the selected rules over an [`Input`] and returns the [`Finding`]s that no
//! suppression silenced, plus the suppressions that silenced nothing.

pub mod config;
pub mod docs;
pub mod finding;
pub mod fix;
pub mod format;
pub mod health;
mod helpers;
pub mod migration;
mod patterns;
mod rules;
pub mod suppress;
pub mod trace;

pub use config::{Config, ConfigError, Level};
pub use finding::{Finding, Report};
/// How one index relates to another (`duplicate-index` and `redundant-index` decide with
/// these): shared with `strata advise`, which proposes the same drops.
pub use helpers::{identical, serves, table_indexes};
pub use suppress::Suppression;

use serde::{Deserialize, Serialize};
use strata_model::Model;

/// How serious a finding is. `Error` and `Warning` make `strata lint` exit with 1; `Info` does
/// not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
    Info,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }

    pub fn parse(text: &str) -> Option<Severity> {
        match text {
            "error" => Some(Severity::Error),
            "warning" | "warn" => Some(Severity::Warning),
            "info" | "note" => Some(Severity::Info),
            _ => None,
        }
    }
}

/// A rule's family, the first letter of its code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Family {
    /// `D`: the design, from the model (any source).
    Design,
    /// `M`: migration safety, from migration statements.
    Migration,
    /// `H`: live health, from a running database's statistics.
    Health,
    /// `S`: security, from the model.
    Security,
    /// `P`: performance, from the design's access patterns.
    Performance,
}

impl Family {
    pub fn as_str(self) -> &'static str {
        match self {
            Family::Design => "design",
            Family::Migration => "migration",
            Family::Health => "health",
            Family::Security => "security",
            Family::Performance => "performance",
        }
    }

    pub fn letter(self) -> char {
        match self {
            Family::Design => 'D',
            Family::Migration => 'M',
            Family::Health => 'H',
            Family::Security => 'S',
            Family::Performance => 'P',
        }
    }

    pub const ALL: [Family; 5] = [
        Family::Design,
        Family::Security,
        Family::Performance,
        Family::Migration,
        Family::Health,
    ];
}

/// What a rule looks at. Each kind of input gets its own variant, so a rule is only run where
/// its input exists.
#[derive(Clone, Copy)]
pub enum Check {
    /// A rule over the schema model (from `.strata`, SQL or a live database).
    Model(fn(&Context, &mut Report)),
    /// A rule over migration statements (a `.sql` file or a migrations folder), replayed in
    /// order ([`migration::Migration`]).
    Migration(fn(&MigrationContext, &mut Report)),
    /// A rule over a live database's statistics and catalogs ([`health::Health`], read from
    /// a database URL).
    Health(fn(&health::Health, &mut Report)),
}

/// A registered rule.
#[derive(Clone, Copy)]
pub struct Rule {
    /// Stable code: family letter and three digits (`D001`). Never reused.
    pub code: &'static str,
    /// Kebab-case name (`table-without-primary-key`).
    pub name: &'static str,
    pub family: Family,
    pub severity: Severity,
    /// Whether `strata lint --fix` can rewrite what the rule finds.
    pub fixable: bool,
    pub check: Check,
    /// The rule's source file; its `//!` comment is the documentation.
    pub source: &'static str,
}

impl std::fmt::Debug for Rule {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}", self.code, self.name)
    }
}

impl Rule {
    /// The rule's documentation sections.
    pub fn doc(&self) -> docs::RuleDoc {
        docs::RuleDoc::parse(self.source)
    }

    /// The first sentence of "What it does".
    pub fn summary(&self) -> String {
        self.doc().summary()
    }

    /// Whether `selector` names this rule: its code, its name, or a prefix of its code (`D`,
    /// `D0`, `S1`).
    pub fn matches(&self, selector: &str) -> bool {
        let s = selector.trim();
        !s.is_empty()
            && (s.eq_ignore_ascii_case(self.name)
                || (self.code.len() >= s.len() && self.code[..s.len()].eq_ignore_ascii_case(s)))
    }
}

static REGISTRY: &[Rule] = include!(concat!(env!("OUT_DIR"), "/registry.rs"));

/// Every rule, ordered by code.
pub fn registry() -> &'static [Rule] {
    REGISTRY
}

/// The rule with this code or name.
pub fn rule(code_or_name: &str) -> Option<&'static Rule> {
    REGISTRY
        .iter()
        .find(|r| r.code.eq_ignore_ascii_case(code_or_name) || r.name == code_or_name)
}

/// What is linted. Fields are optional: a rule runs only when its input is present.
#[derive(Debug, Default, Clone, Copy)]
pub struct Input<'a> {
    /// The schema design.
    pub model: Option<&'a Model>,
    /// Migration statements.
    pub migration: Option<&'a migration::Migration>,
    /// A live database's statistics (a database URL).
    pub health: Option<&'a health::Health>,
}

/// What a model rule sees.
pub struct Context<'a> {
    pub model: &'a Model,
    /// Tables by name, built on first use.
    tables: std::cell::OnceCell<
        std::collections::HashMap<&'a strata_model::QualifiedName, &'a strata_model::Table>,
    >,
    /// The access patterns analysed, built on first use and shared by the rules.
    patterns: std::cell::OnceCell<Vec<patterns::Analysed<'a>>>,
}

impl<'a> Context<'a> {
    pub fn new(model: &'a Model) -> Context<'a> {
        Context {
            model,
            tables: std::cell::OnceCell::new(),
            patterns: std::cell::OnceCell::new(),
        }
    }

    /// The table of that name, in constant time (`Model::table` scans).
    pub fn table(&self, name: &strata_model::QualifiedName) -> Option<&'a strata_model::Table> {
        self.tables
            .get_or_init(|| self.model.tables.iter().map(|t| (&t.name, t)).collect())
            .get(name)
            .copied()
    }

    /// Every access pattern that parses and analyses, with its analysis.
    pub(crate) fn patterns(&self) -> &[patterns::Analysed<'a>] {
        self.patterns.get_or_init(|| patterns::analysed(self.model))
    }
}

/// What a migration rule sees.
pub struct MigrationContext<'a> {
    pub migration: &'a migration::Migration,
}

/// The outcome of a run.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Outcome {
    /// Findings not suppressed, ordered by object, then code.
    pub findings: Vec<Finding>,
    /// Suppressions that matched no finding: stale, to be removed.
    pub stale: Vec<Suppression>,
    /// Findings silenced by a suppression.
    pub suppressed: usize,
}

/// Runs every rule `config` selects over `input`, with severities as `config` sets them, and
/// applies `suppressions`.
pub fn lint(input: &Input, config: &Config, suppressions: &[Suppression]) -> Outcome {
    let mut findings = Vec::new();
    let mut ran = Vec::new();
    // One context for every model rule, so look-ups and pattern analyses are made once.
    let model_cx = input.model.map(Context::new);
    for rule in REGISTRY {
        let Some(severity) = config.level(rule) else {
            continue;
        };
        let mut report = Report::new(rule, severity);
        match rule.check {
            Check::Model(check) => {
                if let Some(cx) = &model_cx {
                    check(cx, &mut report);
                    ran.push(rule.code);
                }
            }
            Check::Migration(check) => {
                if let Some(migration) = input.migration {
                    check(&MigrationContext { migration }, &mut report);
                    ran.push(rule.code);
                }
            }
            Check::Health(check) => {
                if let Some(health) = input.health {
                    check(health, &mut report);
                    ran.push(rule.code);
                }
            }
        }
        findings.extend(report.into_findings());
    }
    finish(findings, suppressions, &ran)
}

/// Applies suppressions to findings (from [`lint`] or from several runs combined) and orders
/// the result. A suppression is stale when it silenced nothing although its rule ran (a code
/// in `ran`); one for a rule that did not run proves nothing either way.
pub fn finish(findings: Vec<Finding>, suppressions: &[Suppression], ran: &[&str]) -> Outcome {
    let mut used = vec![false; suppressions.len()];
    let mut kept = Vec::new();
    let mut suppressed = 0;
    for f in findings {
        let mut hit = false;
        for (i, s) in suppressions.iter().enumerate() {
            if s.silences(&f) {
                used[i] = true;
                hit = true;
            }
        }
        if hit {
            suppressed += 1;
        } else {
            kept.push(f);
        }
    }
    kept.sort_by(|a, b| {
        (&a.file, a.line, &a.object, a.code).cmp(&(&b.file, b.line, &b.object, b.code))
    });
    kept.dedup_by(|a, b| a.code == b.code && a.object == b.object && a.message == b.message);
    let stale = suppressions
        .iter()
        .zip(used)
        .filter(|(s, u)| !u && ran.iter().any(|c| c.eq_ignore_ascii_case(&s.code)))
        .map(|(s, _)| s.clone())
        .collect();
    Outcome {
        findings: kept,
        stale,
        suppressed,
    }
}
