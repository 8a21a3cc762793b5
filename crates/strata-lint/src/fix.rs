//! `strata lint --fix`: migration statements rewritten with the safe recipe where the fix is
//! certain, with the recipes `strata diff` plans ([`strata_diff::recipes`]):
//!
//! - `CREATE INDEX` on a live table (M001) → `CREATE INDEX CONCURRENTLY`, outside the
//!   transaction; `CONCURRENTLY` inside the runner's transaction (M002) moves out of it;
//! - `ADD CONSTRAINT name FOREIGN KEY | CHECK` (M003, M004) → `... NOT VALID`, then
//!   `VALIDATE CONSTRAINT name` in a transaction of its own;
//! - `ALTER COLUMN c SET NOT NULL` (M005) → a `CHECK (c IS NOT NULL) NOT VALID`, validated,
//!   then `SET NOT NULL` (which uses it instead of scanning) and the check dropped;
//! - a statement waiting for ACCESS EXCLUSIVE with no `lock_timeout` (M009) → `SET [LOCAL]
//!   lock_timeout = '5s'` before it.
//!
//! A migration the runner wraps in one transaction that gets a step which must run outside it
//! is marked `-- strata:no-transaction`, and its other statements are grouped in `BEGIN` /
//! `COMMIT` as before, so they still commit together. A statement inside the file's own
//! `BEGIN` ... `COMMIT` block, a constraint without a name, or an `ALTER TABLE` with several
//! actions is not rewritten: the fix would not be certain, and it is reported as left.
//!
//! The fixes are made in rounds: after each, the files are read and linted again, so a fix
//! that needs another (a `NOT VALID` check still takes ACCESS EXCLUSIVE, and gets its
//! `lock_timeout` in the next round) is made too, and what the replay sees is what the
//! rewritten file does.

use std::collections::{BTreeMap, HashMap};

use strata_diff::recipes;
use strata_model::QualifiedName;

use crate::migration::alter::{Action, ConstraintKind};
use crate::migration::{Migration, SqlFile, Stmt, qualified_name};
use crate::{Config, Input, Suppression};

/// The `lock_timeout` a fix sets: the planner's default.
pub const LOCK_TIMEOUT: &str = "5s";

/// The directive a runner reads to run a migration statement by statement.
const NO_TRANSACTION: &str = "-- strata:no-transaction";

/// A rewritten file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FixedFile {
    /// Position of the file in the input.
    pub index: usize,
    pub name: String,
    /// The text before any fix.
    pub before: String,
    pub after: String,
    /// The fixes made: rule code and line in the original text, in order.
    pub fixes: Vec<(&'static str, u32)>,
}

/// A fixable finding that was left as it is, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Left {
    pub code: &'static str,
    pub file: String,
    pub line: u32,
    pub reason: String,
}

/// What [`fix`] did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FixOutcome {
    /// The files that changed, in input order.
    pub files: Vec<FixedFile>,
    pub left: Vec<Left>,
}

/// One statement of a fixed file: its SQL (ending in `;`) and whether it may run inside a
/// transaction block.
#[derive(Debug, Clone)]
struct Piece {
    sql: String,
    transactional: bool,
}

impl Piece {
    fn from_step(s: &strata_diff::Step) -> Piece {
        Piece {
            sql: s.sql.trim_end().to_string(),
            transactional: s.transactional,
        }
    }
}

/// Rewrites `files` (in the order they run, as [`Migration::read`] takes them) so that the
/// findings of the fixable rules `config` selects, and no suppression silences, are gone
/// where the recipe is certain.
pub fn fix(files: &[SqlFile], config: &Config, suppressions: &[Suppression]) -> FixOutcome {
    let mut current: Vec<SqlFile> = files.to_vec();
    let mut made: Vec<Vec<(&'static str, u32)>> = vec![Vec::new(); files.len()];
    // Lines of the current texts back to lines of the originals: a fix made in a later round
    // is reported where the user wrote the statement.
    let mut origin: Vec<Vec<u32>> = files.iter().map(|f| line_map_identity(&f.text)).collect();
    let mut left: BTreeMap<(String, u32, &'static str), String> = BTreeMap::new();
    // Each round either changes a statement or stops; a statement gains at most a handful of
    // fixes, so a few rounds always suffice.
    for _round in 0..8 {
        let migration = Migration::read(&current);
        let outcome = crate::lint(
            &Input {
                model: None,
                migration: Some(&migration),
                health: None,
            },
            config,
            suppressions,
        );
        left.clear();
        // Per file, per statement: the fixable codes found on it.
        let mut work: BTreeMap<usize, BTreeMap<usize, Vec<&'static str>>> = BTreeMap::new();
        for f in &outcome.findings {
            if !crate::rule(f.code).is_some_and(|r| r.fixable) {
                continue;
            }
            let (Some(file), Some(line)) = (&f.file, f.line) else {
                continue;
            };
            for (i, s) in migration.statements.iter().enumerate() {
                if &s.file == file && s.line == line {
                    let codes = work.entry(s.file_index).or_default().entry(i).or_default();
                    if !codes.contains(&f.code) {
                        codes.push(f.code);
                    }
                }
            }
        }
        let mut changed = false;
        for (file_index, stmts) in work {
            let Some(file) = current.get(file_index) else {
                continue;
            };
            let mut rewrites: HashMap<usize, (Vec<Piece>, &'static str)> = HashMap::new();
            // A `lock_timeout` set for one statement may cover the ones after it: one per
            // file and round, then the replay says which statements still need one.
            let mut timeout_set = false;
            for (i, codes) in stmts {
                let Some(s) = migration.statements.get(i) else {
                    continue;
                };
                let orig_line = line_of(&origin[file_index], s.line);
                // One recipe per statement and round; M009's comes after the others (a
                // rewritten statement gets its timeout in the next round).
                let mut ordered = codes.clone();
                ordered.sort_by_key(|c| *c == "M009");
                let mut done = false;
                for code in ordered {
                    if done || (code == "M009" && timeout_set) {
                        break;
                    }
                    match recipe(code, &migration, i, s, file.runner_transaction) {
                        Ok(pieces) => {
                            rewrites.insert(i, (pieces, code));
                            timeout_set |= code == "M009";
                            made[file_index].push((code, orig_line));
                            done = true;
                        }
                        Err(reason) => {
                            left.insert((s.file.clone(), orig_line, code), reason);
                        }
                    }
                }
            }
            if rewrites.is_empty() {
                continue;
            }
            let first = migration
                .statements
                .iter()
                .position(|s| s.file_index == file_index)
                .unwrap_or(0);
            let (text, map) = rewrite(file, &migration, first, &rewrites);
            origin[file_index] = map
                .iter()
                .map(|&l| line_of(&origin[file_index], l))
                .collect();
            let runner = files.get(file_index).is_some_and(|f| f.runner_transaction)
                && !strata_sql::split::has_no_transaction_directive(&text);
            current[file_index] = SqlFile {
                name: file.name.clone(),
                text,
                runner_transaction: runner,
            };
            changed = true;
        }
        if !changed {
            break;
        }
    }
    let mut out = FixOutcome::default();
    for (index, (f, now)) in files.iter().zip(&current).enumerate() {
        if f.text != now.text {
            out.files.push(FixedFile {
                index,
                name: f.name.clone(),
                before: f.text.clone(),
                after: now.text.clone(),
                fixes: made[index].clone(),
            });
        }
    }
    out.left = left
        .into_iter()
        .map(|((file, line, code), reason)| Left {
            code,
            file,
            line,
            reason,
        })
        .collect();
    out
}

/// The statements that replace statement `i` under rule `code`'s recipe, or why it cannot
/// be fixed with certainty.
fn recipe(
    code: &str,
    m: &Migration,
    i: usize,
    s: &Stmt,
    runner_transaction: bool,
) -> Result<Vec<Piece>, String> {
    let original = Piece {
        sql: format!("{};", s.sql.trim_end()),
        transactional: true,
    };
    // The file's own BEGIN ... COMMIT: a step that must run outside a transaction block
    // cannot be moved out of it without changing what commits together.
    let own_block = s.in_transaction && !runner_transaction;
    let pieces = match code {
        "M001" => {
            let ix = crate::migration::create_index(s).ok_or("not a CREATE INDEX")?;
            if ix.table.as_deref().is_some_and(|t| m.is_partitioned(t, i)) {
                return Err(
                    "a partitioned table's index is built partition by partition: \
                            see the rule's page"
                        .into(),
                );
            }
            vec![Piece {
                sql: recipes::concurrently(&original.sql),
                transactional: false,
            }]
        }
        "M002" => vec![Piece {
            transactional: false,
            ..original
        }],
        "M003" | "M004" => {
            let (table, action) = single_action(s)?;
            let Action::AddConstraint {
                name,
                kind: ConstraintKind::ForeignKey | ConstraintKind::Check { .. },
                not_valid: false,
            } = action
            else {
                return Err("not an ADD CONSTRAINT of a foreign key or check".into());
            };
            let name = name.ok_or(
                "the constraint has no name, so VALIDATE CONSTRAINT cannot name it: add \
                 CONSTRAINT name",
            )?;
            let lock = if code == "M003" {
                strata_diff::LockLevel::ShareRowExclusive
            } else {
                strata_diff::LockLevel::AccessExclusive
            };
            recipes::not_valid_then_validate(&original.sql, &table, &name, lock, String::new())
                .iter()
                .map(Piece::from_step)
                .collect()
        }
        "M005" => {
            let (table, action) = single_action(s)?;
            let Action::SetNotNull { column } = action else {
                return Err("not a single SET NOT NULL".into());
            };
            recipes::set_not_null(&table, &column, true)
                .iter()
                .map(Piece::from_step)
                .collect()
        }
        "M009" => {
            return Ok(vec![
                Piece {
                    sql: recipes::lock_timeout(LOCK_TIMEOUT, s.in_transaction),
                    transactional: true,
                },
                original,
            ]);
        }
        _ => return Err("the rule has no fix".into()),
    };
    if own_block && pieces.iter().any(|p| !p.transactional) {
        return Err(
            "inside the file's own BEGIN ... COMMIT block: move the statement out of \
                    it, then fix"
                .into(),
        );
    }
    Ok(pieces)
}

/// The table and the only action of an `ALTER TABLE`: a statement with several actions is
/// left alone (splitting it changes what each lock covers).
fn single_action(s: &Stmt) -> Result<(QualifiedName, Action), String> {
    let (_, mut actions) =
        crate::migration::alter::alter_table(s).ok_or("not an ALTER TABLE statement")?;
    if actions.len() != 1 {
        return Err("an ALTER TABLE with several actions: split it, then fix".into());
    }
    let action = actions.pop().ok_or("no action")?;
    let mut j = 2;
    if s.kw(j) == Some("IF") {
        j += 2;
    }
    if s.kw(j) == Some("ONLY") {
        return Err("ALTER TABLE ONLY: the recipe would cover the partitions too".into());
    }
    let (parts, _) = qualified_name(&s.tokens, j).ok_or("no table name")?;
    let table = match parts.as_slice() {
        [name] => QualifiedName::new("public".to_string(), name.clone()),
        [schema, name] => QualifiedName::new(schema.clone(), name.clone()),
        _ => return Err("a table name with a database part".into()),
    };
    Ok((table, action))
}

/// Line `n` of the current text as a line of the original (`map[n - 1]`).
fn line_of(map: &[u32], n: u32) -> u32 {
    map.get(n.saturating_sub(1) as usize).copied().unwrap_or(n)
}

fn line_map_identity(text: &str) -> Vec<u32> {
    (1..=u32::try_from(text.lines().count() + 1).unwrap_or(u32::MAX)).collect()
}

/// The file with statements replaced, and for each line of the result the line of `file`
/// it comes from (an inserted line maps to the statement it was made from).
fn rewrite(
    file: &SqlFile,
    m: &Migration,
    first: usize,
    rewrites: &HashMap<usize, (Vec<Piece>, &'static str)>,
) -> (String, Vec<u32>) {
    let text = &file.text;
    let spans = crate::suppress::statements(text);
    // The runner's one transaction cannot hold a step that must run outside one: the file
    // becomes statement by statement, its other statements grouped in BEGIN/COMMIT.
    let split_out = file.runner_transaction
        && rewrites
            .values()
            .any(|(p, _)| p.iter().any(|p| !p.transactional));
    let mut out = Out::default();
    if split_out {
        out.insert(
            &format!(
                "{NO_TRANSACTION}\n-- Holds a step that cannot run in a transaction: the runner runs the\n\
                 -- statements one at a time; BEGIN/COMMIT group the transactional ones.\n"
            ),
            1,
        );
    }
    let mut in_tx = false;
    let mut pos = 0;
    for (k, span) in spans.iter().enumerate() {
        let i = first + k;
        let line = m.statements.get(i).map_or(1, |s| s.line);
        let end = if text.as_bytes().get(span.end) == Some(&b';') {
            span.end + 1
        } else {
            span.end
        };
        let gap = text.get(pos..span.start).unwrap_or_default();
        let gap_line = line_at(text, pos);
        let pieces: Vec<Piece> = match rewrites.get(&i) {
            Some((p, _)) => p.clone(),
            None => vec![Piece {
                sql: text.get(span.start..end).unwrap_or_default().to_string(),
                transactional: true,
            }],
        };
        // Transaction control goes after the end of the previous statement's line, so that
        // the comments before a statement (suppressions among them) stay right before it.
        // Before the first statement, everything is the file's own leading comment.
        let (head, tail) = match gap.find('\n') {
            Some(n) if k > 0 => gap.split_at(n + 1),
            _ => ("", gap),
        };
        out.original(head, gap_line);
        let stmt = m.statements.get(i);
        let outside_block = !stmt.is_some_and(|s| s.in_transaction) || split_out;
        for (n, p) in pieces.iter().enumerate() {
            let mut sep = String::new();
            if split_out {
                if p.transactional && !in_tx {
                    sep.push_str("BEGIN;\n");
                    in_tx = true;
                } else if !p.transactional && in_tx {
                    sep.push_str("COMMIT;\n");
                    in_tx = false;
                }
            }
            if n == 0 {
                out.insert(&sep, line);
                out.original(tail, gap_line + newlines(head));
            } else {
                out.insert("\n", line);
                out.insert(&sep, line);
            }
            // Several statements that must commit together, in a file run statement by
            // statement outside any block: their own BEGIN/COMMIT.
            let group = !split_out
                && outside_block
                && rewrites.contains_key(&i)
                && p.transactional
                && p.sql.trim_end().matches(';').count() > 1;
            if group {
                out.insert(&format!("BEGIN;\n{}\nCOMMIT;", p.sql), line);
            } else if rewrites.contains_key(&i) {
                out.insert(&p.sql, line);
            } else {
                out.original(&p.sql, line);
            }
        }
        pos = end;
    }
    let rest = text.get(pos..).unwrap_or_default();
    if in_tx {
        out.insert("\nCOMMIT;", line_at(text, pos));
    }
    out.original(rest, line_at(text, pos));
    (out.text, out.lines)
}

fn newlines(s: &str) -> u32 {
    u32::try_from(s.matches('\n').count()).unwrap_or(0)
}

/// The 1-based line of byte `pos`.
fn line_at(text: &str, pos: usize) -> u32 {
    1 + newlines(text.get(..pos).unwrap_or_default())
}

/// The text being written, with the original line of each of its lines.
#[derive(Default)]
struct Out {
    text: String,
    lines: Vec<u32>,
}

impl Out {
    /// Appends original text whose first line is line `from` of the original.
    fn original(&mut self, s: &str, from: u32) {
        self.start(from);
        for (n, _) in s.match_indices('\n').enumerate() {
            self.lines.push(from + 1 + u32::try_from(n).unwrap_or(0));
        }
        self.text.push_str(s);
    }

    /// Appends inserted text, every line of it made from the statement on line `from`.
    fn insert(&mut self, s: &str, from: u32) {
        self.start(from);
        for _ in s.matches('\n') {
            self.lines.push(from);
        }
        self.text.push_str(s);
    }

    fn start(&mut self, from: u32) {
        if self.lines.is_empty() {
            self.lines.push(from);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixed(text: &str, runner: bool) -> FixOutcome {
        fix(
            &[SqlFile {
                name: "m.sql".into(),
                text: text.into(),
                runner_transaction: runner,
            }],
            &Config::default(),
            &[],
        )
    }

    #[test]
    fn a_runner_migration_gets_no_transaction_and_its_other_statements_grouped() {
        let out = fixed(
            "-- add the lookup\nSET LOCAL lock_timeout = '5s';\nALTER TABLE orders ADD COLUMN memo text;\nCREATE INDEX orders_c_idx ON orders (c);\n",
            true,
        );
        let f = &out.files[0];
        assert!(
            f.after.starts_with("-- strata:no-transaction\n"),
            "{}",
            f.after
        );
        assert!(f.after.contains("BEGIN;\n"), "{}", f.after);
        assert!(
            f.after
                .contains("COMMIT;\nCREATE INDEX CONCURRENTLY orders_c_idx ON orders (c);"),
            "{}",
            f.after
        );
        assert_eq!(f.fixes, vec![("M001", 4)]);
    }

    #[test]
    fn an_unnamed_constraint_and_the_files_own_block_are_left() {
        let out = fixed(
            "SET lock_timeout = '5s';\nALTER TABLE orders ADD CHECK (total > 0);\nBEGIN;\nCREATE INDEX i ON orders (c);\nCOMMIT;\n",
            false,
        );
        assert!(out.files.is_empty(), "{:?}", out.files);
        assert_eq!(out.left.len(), 2, "{:?}", out.left);
        assert!(out.left.iter().any(|l| l.code == "M004" && l.line == 2));
        assert!(out.left.iter().any(|l| l.code == "M001" && l.line == 4));
    }
}
