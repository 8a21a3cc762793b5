//! The check behind the promise "designs back into the same physical schema": the printed
//! files are parsed and designed, and each object's DDL is compared with the original's.

use std::collections::{BTreeMap, BTreeSet};

use std::fmt::Write as _;
use std::path::PathBuf;

use strata_diagnostics::FileId;
use strata_model::{Model, QualifiedName, Table};

use crate::Warning;

#[derive(Debug, Default)]
pub struct Report {
    /// Errors (as text) when the printed files do not parse or design.
    pub design_errors: Option<Vec<String>>,
    /// Tables whose DDL differs (or that are missing or extra), with the first difference.
    pub tables: BTreeMap<QualifiedName, String>,
    /// Other objects that differ.
    pub others: Vec<String>,
}

impl Report {
    pub fn warnings(&self) -> Vec<Warning> {
        let mut out = Vec::new();
        if let Some(errors) = &self.design_errors {
            for e in errors {
                out.push(Warning {
                    object: "printed .strata".into(),
                    message: format!("does not design cleanly: {e}"),
                });
            }
        }
        for (t, detail) in &self.tables {
            out.push(Warning {
                object: format!("table {t}"),
                message: format!(
                    "the printed .strata does not design back into exactly this table ({detail})"
                ),
            });
        }
        for o in &self.others {
            out.push(Warning {
                object: o.clone(),
                message: "the printed .strata does not design back into exactly this object".into(),
            });
        }
        out
    }
}

/// Designs the printed files (as one schema).
pub fn design_files(files: &[(PathBuf, String)]) -> Result<Model, Vec<String>> {
    let mut parsed = Vec::new();
    let mut errors = Vec::new();
    for (i, (path, text)) in files.iter().enumerate() {
        let id = FileId(u32::try_from(i).unwrap_or(u32::MAX));
        let (file, diags) = strata_lang::parse(id, text);
        for d in diags.iter().filter(|d| d.is_error()) {
            errors.push(format!("{}: {} [{}]", path.display(), d.message, d.code));
        }
        parsed.push((id, file));
    }
    let design = strata_design::design(&parsed);
    for d in design.diagnostics.iter().filter(|d| d.is_error()) {
        errors.push(format!("{} [{}]", d.message, d.code));
    }
    if errors.is_empty() {
        Ok(design.model)
    } else {
        Err(errors)
    }
}

/// A table's physical definition as DDL, independent of logical annotations.
pub fn table_ddl(t: &Table) -> Vec<String> {
    let mut out = vec![strata_sql::render_create_table(t)];
    let mut rest: Vec<String> = Vec::new();
    rest.extend(
        t.indexes
            .iter()
            .map(|i| strata_sql::render_index(&t.name, i)),
    );
    rest.extend(
        t.foreign_keys
            .iter()
            .map(|f| strata_sql::render_foreign_key(&t.name, f)),
    );
    rest.extend(
        t.triggers
            .iter()
            .map(|tr| strata_sql::render_trigger(&t.name, tr)),
    );
    rest.extend(strata_sql::render_rls(t));
    rest.extend(
        t.policies
            .iter()
            .map(|p| strata_sql::render_policy(&t.name, p)),
    );
    rest.extend(strata_sql::table_comments(t));
    if let Some(d) = strata_sql::render_distribution(t) {
        rest.push(d);
    }
    if let Some(p) = &t.partition_of {
        rest.push(format!("PARTITION OF {} {}", p.parent, p.bound));
    }
    rest.sort();
    out.extend(rest);
    out
}

/// [`table_ddl`] compared the way the server and the designer spell it alike.
fn loose_ddl(ddl: &[String]) -> Vec<String> {
    let mut out: Vec<String> = ddl.iter().map(|s| crate::sqlform::loose(s)).collect();
    if let Some(rest) = out.get_mut(1..) {
        rest.sort();
    }
    out
}

pub fn verify(expected: &Model, files: &[(PathBuf, String)]) -> Report {
    let mut report = Report::default();
    let got = match design_files(files) {
        Ok(m) => m,
        Err(e) => {
            report.design_errors = Some(e);
            return report;
        }
    };
    let want: BTreeMap<&QualifiedName, Vec<String>> = expected
        .tables
        .iter()
        .map(|t| (&t.name, table_ddl(t)))
        .collect();
    let have: BTreeMap<&QualifiedName, Vec<String>> =
        got.tables.iter().map(|t| (&t.name, table_ddl(t))).collect();
    for (name, ddl) in &want {
        match have.get(name) {
            Some(got) if got == ddl || loose_ddl(got) == loose_ddl(ddl) => {}
            Some(got) => {
                let detail = first_difference(ddl, got);
                report.tables.insert((*name).clone(), detail);
            }
            None => {
                report.tables.insert((*name).clone(), "missing".into());
            }
        }
    }
    for name in have.keys() {
        if !want.contains_key(name) {
            report
                .tables
                .insert((*name).clone(), "not in the original".into());
        }
    }
    let cmp =
        |kind: &str, a: Vec<(String, String)>, b: Vec<(String, String)>, out: &mut Vec<String>| {
            let a: BTreeMap<String, String> = a.into_iter().collect();
            let b: BTreeMap<String, String> = b.into_iter().collect();
            for (k, v) in &a {
                if b.get(k) != Some(v) {
                    out.push(format!("{kind} {k}"));
                }
            }
            for k in b.keys() {
                if !a.contains_key(k) {
                    out.push(format!("{kind} {k}"));
                }
            }
        };
    let enums = |m: &Model| {
        m.enums
            .iter()
            .map(|e| {
                (
                    e.name.to_string(),
                    format!("{}{:?}", strata_sql::render_enum(e), e.comment),
                )
            })
            .collect()
    };
    let domains = |m: &Model| {
        m.domains
            .iter()
            .map(|d| {
                (
                    d.name.to_string(),
                    format!("{}{:?}", strata_sql::render_domain(d), d.comment),
                )
            })
            .collect()
    };
    let seqs = |m: &Model| {
        m.sequences
            .iter()
            .map(|s| {
                (
                    s.name.to_string(),
                    format!(
                        "{}{:?}{:?}",
                        strata_sql::render_sequence(s),
                        strata_sql::render_sequence_owned_by(s),
                        s.comment
                    ),
                )
            })
            .collect()
    };
    let funcs = |m: &Model| {
        m.functions
            .iter()
            .map(|f| {
                (
                    strata_sql::function_signature(f),
                    format!("{}{:?}", strata_sql::render_function(f), f.comment),
                )
            })
            .collect()
    };
    let views = |m: &Model| {
        m.views
            .iter()
            .map(|v| {
                (
                    v.name.to_string(),
                    format!(
                        "{}{:?}{}",
                        strata_sql::render_view(v),
                        v.comment,
                        v.indexes.len()
                    ),
                )
            })
            .collect()
    };
    let exts = |m: &Model| {
        m.extensions
            .iter()
            .map(|e| (e.name.clone(), String::new()))
            .collect()
    };
    // `public` always exists; the designer never lists it.
    let schemas = |m: &Model| {
        m.schemas
            .iter()
            .filter(|s| s.name != "public")
            .map(|s| (s.name.clone(), format!("{:?}", s.comment)))
            .collect()
    };
    let grants = |m: &Model| {
        m.grants
            .iter()
            .map(|g| {
                (
                    format!("{} {} {}", g.object_kind, g.object, g.grantee),
                    format!("{:?} {}", g.privileges, g.with_grant_option),
                )
            })
            .collect()
    };
    cmp("enum", enums(expected), enums(&got), &mut report.others);
    cmp(
        "domain",
        domains(expected),
        domains(&got),
        &mut report.others,
    );
    cmp("sequence", seqs(expected), seqs(&got), &mut report.others);
    cmp("function", funcs(expected), funcs(&got), &mut report.others);
    cmp("view", views(expected), views(&got), &mut report.others);
    cmp("extension", exts(expected), exts(&got), &mut report.others);
    cmp(
        "schema",
        schemas(expected),
        schemas(&got),
        &mut report.others,
    );
    cmp("grant", grants(expected), grants(&got), &mut report.others);
    report
}

/// The first statement or line where two DDL lists differ, for messages.
fn first_difference(want: &[String], got: &[String]) -> String {
    let want_set: BTreeSet<&String> = want.iter().collect();
    let got_set: BTreeSet<&String> = got.iter().collect();
    let mut out = String::new();
    if let Some(w) = want.iter().find(|w| !got_set.contains(w)) {
        let _ = write!(out, "expected `{}`", one_line(w));
    }
    if let Some(g) = got.iter().find(|g| !want_set.contains(g)) {
        if !out.is_empty() {
            out.push_str(", ");
        }
        let _ = write!(out, "designed `{}`", one_line(g));
    }
    out
}

fn one_line(s: &str) -> String {
    let flat: String = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() > 300 {
        format!("{}...", flat.chars().take(300).collect::<String>())
    } else {
        flat
    }
}
