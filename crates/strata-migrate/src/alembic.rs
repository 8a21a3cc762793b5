//! Alembic revisions written by `strata migrate new --format alembic`, and reading a folder
//! of revisions back (the chain, and the SQL of revisions Strata wrote, to replay them).
//!
//! A revision runs each planned step through the driver (`exec_driver_sql`, so `:name` and
//! `%` in the SQL are not taken for bind parameters); steps that cannot run in a transaction
//! run inside `with op.get_context().autocommit_block():`.

use std::path::{Path, PathBuf};

/// One step of a revision.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    pub sql: String,
    pub transactional: bool,
    /// A comment line above the step.
    pub description: String,
    /// `lock_timeout` to set around the step, when it locks something that exists.
    pub lock_timeout: Option<String>,
}

/// A revision file of the folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Revision {
    pub file: String,
    pub revision: String,
    pub down_revision: Option<String>,
    /// The SQL its upgrade runs, in order, when it can be read (written by Strata).
    pub upgrade: Vec<String>,
}

/// The folder's revisions, base first.
#[derive(Debug, Clone, Default)]
pub struct Revisions {
    pub chain: Vec<Revision>,
}

#[derive(Debug, thiserror::Error)]
pub enum AlembicError {
    // The I/O error is part of the message, not a `source`, so it is not printed twice.
    #[error("cannot read {}: {error}", path.display())]
    Io {
        path: PathBuf,
        error: std::io::Error,
    },
    #[error("{file} has no `revision = \"...\"` line: is it an Alembic revision?")]
    NoRevision { file: String },
    #[error(
        "the revisions have {count} heads ({heads}): merge them with `alembic merge` before adding one"
    )]
    ManyHeads { count: usize, heads: String },
    #[error(
        "revision {file} has no SQL Strata can replay (it was not written by strata): plan from a database instead"
    )]
    NotReplayable { file: String },
    #[error("the revisions do not form one chain from a base: {detail}")]
    Broken { detail: String },
}

/// A Python string literal holding `s` verbatim (triple-quoted when it spans lines).
pub fn py_str(s: &str) -> String {
    let escaped = s.replace('\\', "\\\\").replace('"', "\\\"");
    if s.contains('\n') {
        format!("\"\"\"\\\n{escaped}\"\"\"")
    } else {
        format!("\"{escaped}\"")
    }
}

fn indent(text: &str, by: &str) -> String {
    text.lines()
        .map(|l| format!("{by}{l}"))
        .collect::<Vec<_>>()
        .join("\n")
}

fn body(steps: &[Step]) -> String {
    if steps.is_empty() {
        return "    pass\n".to_string();
    }
    let mut out = String::new();
    for s in steps {
        let comment = format!("# {}", s.description.replace('\n', " "));
        let sql = s.sql.trim().trim_end_matches(';').to_string();
        if s.transactional {
            out.push_str(&indent(&comment, "    "));
            out.push('\n');
            let sql = match &s.lock_timeout {
                Some(t) => format!(
                    "SET LOCAL lock_timeout = '{}';\n{sql}",
                    t.replace('\'', "''")
                ),
                None => sql,
            };
            out.push_str(&format!("    _run({})\n", indent_tail(&py_str(&sql))));
        } else {
            out.push_str(&indent(&comment, "    "));
            out.push_str(" (outside a transaction)\n");
            out.push_str("    with op.get_context().autocommit_block():\n");
            if let Some(t) = &s.lock_timeout {
                out.push_str(&format!(
                    "        _run({})\n",
                    py_str(&format!("SET lock_timeout = '{}'", t.replace('\'', "''")))
                ));
            }
            out.push_str(&format!("        _run({})\n", indent_tail(&py_str(&sql))));
            if s.lock_timeout.is_some() {
                out.push_str("        _run(\"RESET lock_timeout\")\n");
            }
        }
    }
    out
}

/// Continuation lines of a literal stay as they are: they are inside the string.
fn indent_tail(lit: &str) -> String {
    lit.to_string()
}

/// The text of revision `id` following `down_revision`.
pub fn render(
    id: &str,
    down_revision: Option<&str>,
    message: &str,
    upgrade: &[Step],
    downgrade: &[Step],
) -> String {
    let down = down_revision.map_or_else(|| "None".to_string(), py_str);
    format!(
        r#""""{message}

Revision ID: {id}
Revises: {revises}

Written by `strata migrate new --format alembic`: the steps of Strata's plan, in order.
"""
from typing import Sequence, Union

from alembic import context, op

revision: str = {rev}
down_revision: Union[str, Sequence[str], None] = {down}
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def _run(statement: str) -> None:
    if context.is_offline_mode():
        context.get_context().impl.static_output(statement + ";\n")
    else:
        # Straight to the driver: no bind-parameter parsing of `:name` or `%` in the SQL.
        op.get_bind().exec_driver_sql(statement, execution_options={{"no_parameters": True}})


def upgrade() -> None:
{up}

def downgrade() -> None:
{downgrade_body}"#,
        revises = down_revision.unwrap_or(""),
        rev = py_str(id),
        up = body(upgrade),
        downgrade_body = body(downgrade),
    )
}

/// Reads the `*.py` revisions of `dir` (missing folder: none) and orders them base first.
pub fn read(dir: &Path) -> Result<Revisions, AlembicError> {
    let mut found = Vec::new();
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Revisions::default()),
        Err(error) => {
            return Err(AlembicError::Io {
                path: dir.to_path_buf(),
                error,
            });
        }
    };
    for entry in entries {
        let entry = entry.map_err(|error| AlembicError::Io {
            path: dir.to_path_buf(),
            error,
        })?;
        let Some(file) = entry.file_name().to_str().map(str::to_string) else {
            continue;
        };
        if !file.ends_with(".py") || file.starts_with("__") {
            continue;
        }
        let path = entry.path();
        let text = std::fs::read_to_string(&path).map_err(|error| AlembicError::Io {
            path: path.clone(),
            error,
        })?;
        let revision = assigned(&text, "revision")
            .ok_or_else(|| AlembicError::NoRevision { file: file.clone() })?;
        found.push(Revision {
            file,
            revision,
            down_revision: assigned(&text, "down_revision"),
            upgrade: upgrade_sql(&text),
        });
    }
    let heads: Vec<&Revision> = found
        .iter()
        .filter(|r| {
            !found
                .iter()
                .any(|o| o.down_revision.as_deref() == Some(&r.revision))
        })
        .collect();
    if heads.len() > 1 {
        let names: Vec<&str> = heads.iter().map(|r| r.revision.as_str()).collect();
        return Err(AlembicError::ManyHeads {
            count: heads.len(),
            heads: names.join(", "),
        });
    }
    let mut chain = Vec::new();
    let mut next = heads.first().map(|r| r.revision.clone());
    while let Some(rev) = next {
        let Some(r) = found.iter().find(|r| r.revision == rev) else {
            return Err(AlembicError::Broken {
                detail: format!(
                    "revision {rev} is named as a down_revision but is not in the folder"
                ),
            });
        };
        if chain.len() > found.len() {
            return Err(AlembicError::Broken {
                detail: "the down_revision links form a cycle".to_string(),
            });
        }
        chain.push(r.clone());
        next = r.down_revision.clone();
    }
    if chain.len() != found.len() {
        return Err(AlembicError::Broken {
            detail: format!(
                "{} revision(s) are not on the chain from the head",
                found.len() - chain.len()
            ),
        });
    }
    chain.reverse();
    if let Some(r) = chain.iter().find(|r| r.upgrade.is_empty()) {
        return Err(AlembicError::NotReplayable {
            file: r.file.clone(),
        });
    }
    Ok(Revisions { chain })
}

/// `name = "value"` or `name: type = 'value'` at the start of a line; `None` for `= None`.
fn assigned(text: &str, name: &str) -> Option<String> {
    for line in text.lines() {
        let Some(rest) = line.strip_prefix(name) else {
            continue;
        };
        let rest = rest.trim_start();
        let rest = if let Some(r) = rest.strip_prefix(':') {
            r.split_once('=').map(|(_, v)| v)?
        } else {
            rest.strip_prefix('=')?
        };
        let v = rest.trim();
        let quote = v.chars().next()?;
        if quote != '"' && quote != '\'' {
            return None;
        }
        let inner = &v[1..];
        return inner.find(quote).map(|end| inner[..end].to_string());
    }
    None
}

/// The SQL the upgrade runs: the literals of an `UPGRADE = [...]` list (`strata gen
/// alembic`) or of the `_run(...)` calls in `def upgrade()` (`strata migrate new`).
fn upgrade_sql(text: &str) -> Vec<String> {
    if let Some(start) = text.find("\nUPGRADE = [") {
        let list = &text[start..];
        let end = list.find("\n]").unwrap_or(list.len());
        return literals(&list[..end]);
    }
    let Some(start) = text.find("\ndef upgrade(") else {
        return Vec::new();
    };
    let section = &text[start..];
    let end = section.find("\ndef downgrade(").unwrap_or(section.len());
    let section = &section[..end];
    let mut out = Vec::new();
    let mut rest = section;
    while let Some(i) = rest.find("_run(") {
        rest = &rest[i + 5..];
        if let Some((s, after)) = literal(rest) {
            out.push(s);
            rest = after;
        }
    }
    out
}

fn literals(mut text: &str) -> Vec<String> {
    let mut out = Vec::new();
    while let Some(i) = text.find(['"', '\'']) {
        text = &text[i..];
        match literal(text) {
            Some((s, after)) => {
                out.push(s);
                text = after;
            }
            None => break,
        }
    }
    out
}

/// Parses a Python string literal at the start of `text` (after whitespace): its value and
/// the text after it.
fn literal(text: &str) -> Option<(String, &str)> {
    let text = text.trim_start();
    let quote = text.chars().next().filter(|c| *c == '"' || *c == '\'')?;
    let triple: String = std::iter::repeat_n(quote, 3).collect();
    let (delim, mut rest) = if text.starts_with(&triple) {
        (triple.as_str(), &text[3..])
    } else {
        (&text[..1], &text[1..])
    };
    let mut value = String::new();
    loop {
        if let Some(after) = rest.strip_prefix(delim) {
            return Some((value, after));
        }
        let mut chars = rest.chars();
        let c = chars.next()?;
        if c == '\\' {
            let e = chars.next()?;
            match e {
                '\n' => {}
                'n' => value.push('\n'),
                't' => value.push('\t'),
                '\\' | '"' | '\'' => value.push(e),
                other => {
                    value.push('\\');
                    value.push(other);
                }
            }
            rest = chars.as_str();
        } else {
            value.push(c);
            rest = chars.as_str();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn step(sql: &str, tx: bool) -> Step {
        Step {
            sql: sql.into(),
            transactional: tx,
            description: "d".into(),
            lock_timeout: Some("5s".into()),
        }
    }

    #[test]
    fn rendered_sql_reads_back_verbatim() {
        let tricky = "ALTER TABLE \"we\"\"ird\" ADD COLUMN a text DEFAULT 'x:y %s \\ \"q\"'";
        let text = render(
            "0002_x",
            Some("0001_initial"),
            "x",
            &[
                step(tricky, true),
                step("CREATE INDEX CONCURRENTLY i ON t (a)", false),
            ],
            &[step("DROP INDEX CONCURRENTLY i", false)],
        );
        assert!(text.contains("with op.get_context().autocommit_block():"));
        assert_eq!(assigned(&text, "revision").as_deref(), Some("0002_x"));
        assert_eq!(
            assigned(&text, "down_revision").as_deref(),
            Some("0001_initial")
        );
        assert_eq!(
            upgrade_sql(&text),
            vec![
                format!("SET LOCAL lock_timeout = '5s';\n{tricky}"),
                "SET lock_timeout = '5s'".to_string(),
                "CREATE INDEX CONCURRENTLY i ON t (a)".to_string(),
                "RESET lock_timeout".to_string(),
            ]
        );
        let first = render("0001_a", None, "a", &[step("SELECT 1", true)], &[]);
        assert_eq!(assigned(&first, "down_revision"), None);
        assert!(first.contains("def downgrade() -> None:\n    pass"));
    }

    #[test]
    fn reads_a_chain_base_first_and_refuses_two_heads() {
        let dir = tempfile::tempdir().unwrap();
        let write = |f: &str, t: String| std::fs::write(dir.path().join(f), t).unwrap();
        write(
            "b.py",
            render(
                "0002_b",
                Some("0001_a"),
                "b",
                &[step("SELECT 2", true)],
                &[],
            ),
        );
        write(
            "a.py",
            render("0001_a", None, "a", &[step("SELECT 1", true)], &[]),
        );
        let r = read(dir.path()).unwrap();
        let ids: Vec<&str> = r.chain.iter().map(|r| r.revision.as_str()).collect();
        assert_eq!(ids, vec!["0001_a", "0002_b"]);
        write(
            "c.py",
            render(
                "0003_c",
                Some("0001_a"),
                "c",
                &[step("SELECT 3", true)],
                &[],
            ),
        );
        assert!(matches!(
            read(dir.path()),
            Err(AlembicError::ManyHeads { count: 2, .. })
        ));
    }
}
