//! The input of the migration rules: the statements of one `.sql` file or of a migrations
//! folder, in the order they run, each with what the statements before it established. The
//! linter is stateful: a table created earlier in the same file (the same migration) is new
//! (no rows, no readers), so what would lock a live table is fine on it, while one created by
//! an earlier migration of the folder has been deployed and is live by now; a `lock_timeout` set earlier (and
//! not reset) covers the statements after it; a transaction block opened earlier (or the
//! migration runner's own transaction) holds every lock until it ends; a CHECK proved valid
//! earlier makes `SET NOT NULL` skip its scan.

pub mod alter;
pub mod tokens;

use std::collections::HashMap;

pub use alter::{Action, ConstraintKind};
pub use tokens::Token;

/// One file of the input: its name as shown in findings and its text.
#[derive(Debug, Clone)]
pub struct SqlFile {
    pub name: String,
    pub text: String,
    /// Whether a runner runs the whole file in one transaction (a `strata migrate` migration
    /// without `-- strata:no-transaction`); a plain `.sql` file runs statement by statement.
    pub runner_transaction: bool,
}

/// One statement and the state before it.
#[derive(Debug, Clone)]
pub struct Stmt {
    pub file: String,
    /// Position of the file in the input.
    pub file_index: usize,
    /// 1-based line where the statement starts.
    pub line: u32,
    pub sql: String,
    pub tokens: Vec<Token>,
    /// Whether it runs inside a transaction block (its locks are held until the block ends).
    pub in_transaction: bool,
    /// Whether that block is the migration runner's, around the whole file.
    pub runner_transaction: bool,
    /// Whether a non-zero `lock_timeout` is in force.
    pub lock_timeout: bool,
}

impl Stmt {
    /// The upper-cased keyword at `i`.
    pub fn kw(&self, i: usize) -> Option<&str> {
        self.tokens.get(i).and_then(Token::kw)
    }

    /// Whether the statement starts with these keywords.
    pub fn starts(&self, words: &[&str]) -> bool {
        words
            .iter()
            .enumerate()
            .all(|(i, w)| self.kw(i) == Some(*w))
    }

    pub fn has_kw(&self, word: &str) -> bool {
        self.tokens.iter().any(|t| t.kw() == Some(word))
    }

    /// The statement's first line, shortened, for messages.
    pub fn head(&self) -> String {
        let one: String = self.sql.split_whitespace().collect::<Vec<_>>().join(" ");
        if one.chars().count() > 80 {
            format!("{}...", one.chars().take(77).collect::<String>())
        } else {
            one
        }
    }
}

/// The statements of the input with the replayed state.
#[derive(Debug, Clone, Default)]
pub struct Migration {
    pub statements: Vec<Stmt>,
    /// Table → index of the statement that created it (the last one).
    created: HashMap<String, usize>,
    /// (table, column) → index of the statement after which a valid CHECK proves it NOT NULL.
    proven_not_null: HashMap<(String, String), usize>,
    /// Tables created `PARTITION BY` anywhere before (in any file of the input).
    partitioned: HashMap<String, usize>,
    /// Functions the input creates (`schema.name`): the statement and the volatility it
    /// declares (volatile when it says none, as PostgreSQL defaults).
    functions: HashMap<String, Vec<(usize, crate::trace::Volatility)>>,
    /// Every function of the server the migration runs on (`pg_proc`), when one was read.
    server_functions: Option<HashMap<String, crate::trace::Volatility>>,
    /// Domains the input creates (`schema.name`): the statement and whether it declares a
    /// constraint (`CHECK` or `NOT NULL`).
    domains: HashMap<String, Vec<(usize, bool)>>,
    /// The domains with constraints on the server the migration runs on, when read.
    server_domains: Option<std::collections::HashSet<String>>,
}

impl Migration {
    /// Reads the files in the order they run.
    pub fn read(files: &[SqlFile]) -> Migration {
        let mut m = Migration::default();
        // Checks of the form `column IS NOT NULL` by (table, name): (column, valid).
        let mut not_null_checks: HashMap<(String, String), (String, bool)> = HashMap::new();
        for (file_index, f) in files.iter().enumerate() {
            let mut block = f.runner_transaction;
            let mut timeout = false;
            let mut local_timeout = false;
            for s in crate::suppress::statements(&f.text) {
                let sql = f.text.get(s.start..s.end).unwrap_or_default().to_string();
                let tokens = tokens::tokenize(&sql);
                let stmt = Stmt {
                    file: f.name.clone(),
                    file_index,
                    line: s.line,
                    sql,
                    tokens,
                    in_transaction: block,
                    runner_transaction: f.runner_transaction,
                    lock_timeout: timeout || local_timeout,
                };
                let i = m.statements.len();
                let w0 = stmt.kw(0).unwrap_or_default().to_string();
                match w0.as_str() {
                    "BEGIN" | "START" if !f.runner_transaction => block = true,
                    "COMMIT" | "END" | "ROLLBACK" | "ABORT" if !f.runner_transaction => {
                        block = false;
                        local_timeout = false;
                    }
                    "SET" | "RESET" => {
                        if let Some((on, local)) = lock_timeout_setting(&stmt) {
                            if local {
                                local_timeout = on && block;
                            } else {
                                timeout = on;
                                local_timeout = false;
                            }
                        }
                    }
                    _ => {}
                }
                if let Some(t) = created_table(&stmt) {
                    let partitioned = stmt
                        .tokens
                        .windows(2)
                        .any(|w| w[0].kw() == Some("PARTITION") && w[1].kw() == Some("BY"));
                    if partitioned {
                        m.partitioned.insert(t.clone(), i);
                    } else {
                        m.partitioned.remove(&t);
                    }
                    m.created.insert(t, i);
                }
                if let Some((name, constrained)) = created_domain(&stmt) {
                    m.domains.entry(name).or_default().push((i, constrained));
                }
                if let Some((name, volatility)) = created_function(&stmt) {
                    m.functions.entry(name).or_default().push((i, volatility));
                }
                if let Some((table, actions)) = alter::alter_table(&stmt) {
                    for a in actions {
                        match a {
                            Action::AddConstraint {
                                name: Some(name),
                                kind:
                                    ConstraintKind::Check {
                                        not_null_of: Some(col),
                                    },
                                not_valid,
                                ..
                            } => {
                                not_null_checks
                                    .insert((table.clone(), name), (col.clone(), !not_valid));
                                if !not_valid {
                                    m.proven_not_null.entry((table.clone(), col)).or_insert(i);
                                }
                            }
                            Action::ValidateConstraint { name } => {
                                if let Some((col, valid)) =
                                    not_null_checks.get_mut(&(table.clone(), name))
                                {
                                    *valid = true;
                                    m.proven_not_null
                                        .entry((table.clone(), col.clone()))
                                        .or_insert(i);
                                }
                            }
                            _ => {}
                        }
                    }
                }
                m.statements.push(stmt);
            }
        }
        m
    }

    /// Whether `table` was created by a statement before statement `i` in the same file (it
    /// has no rows and no readers but this migration's).
    pub fn is_new(&self, table: &str, i: usize) -> bool {
        let file = |j: usize| self.statements.get(j).map(|s| s.file_index);
        self.created
            .get(table)
            .is_some_and(|&c| c < i && file(c).is_some() && file(c) == file(i))
    }

    /// Whether an earlier statement of the input (in any file) created `table` as a
    /// partitioned table.
    pub fn is_partitioned(&self, table: &str, i: usize) -> bool {
        self.partitioned.get(table).is_some_and(|&c| c < i)
    }

    /// The migration runs on a server whose functions (`pg_proc`, before the migration) are
    /// these: [`Migration::volatility`] answers from them instead of a built-in list.
    pub fn with_server_functions(
        mut self,
        functions: HashMap<String, crate::trace::Volatility>,
    ) -> Migration {
        self.server_functions = Some(functions);
        self
    }

    /// The migration runs on a server whose domains with constraints (`schema.name`, before
    /// the migration) are these.
    pub fn with_server_domains(mut self, domains: std::collections::HashSet<String>) -> Migration {
        self.server_domains = Some(domains);
        self
    }

    /// Whether the type a column names (`t` or `schema.t`) at statement `i` is a domain with
    /// constraints: as an earlier statement of the input created it, else as the server has
    /// it (an unqualified name in `public`).
    pub fn is_constrained_domain(&self, parts: &[String], i: usize) -> bool {
        let key = match parts {
            [name] => format!("public.{name}"),
            _ => parts.join("."),
        };
        let replayed = self
            .domains
            .get(&key)
            .and_then(|v| v.iter().rev().find(|(at, _)| *at < i).map(|(_, c)| *c));
        replayed.unwrap_or_else(|| {
            self.server_domains
                .as_ref()
                .is_some_and(|d| d.contains(&key))
        })
    }

    /// Whether the server's functions are known ([`Migration::with_server_functions`]).
    pub fn knows_server_functions(&self) -> bool {
        self.server_functions.is_some()
    }

    /// The volatility of the function a call names (`f` or `schema.f`, as PostgreSQL folds
    /// them) at statement `i`: as an earlier statement of the input created it, else as the
    /// server has it (an unqualified name in `public`, then `pg_catalog`). `None` when unknown.
    pub fn volatility(&self, parts: &[String], i: usize) -> Option<crate::trace::Volatility> {
        let keys: Vec<String> = match parts {
            [name] => vec![format!("public.{name}"), format!("pg_catalog.{name}")],
            _ => vec![parts.join(".")],
        };
        keys.iter().find_map(|k| {
            let replayed = self
                .functions
                .get(k)
                .and_then(|v| v.iter().rev().find(|(at, _)| *at < i).map(|(_, v)| *v));
            replayed.or_else(|| self.server_functions.as_ref()?.get(k).copied())
        })
    }

    /// Whether a valid CHECK proves `table.column` NOT NULL before statement `i`.
    pub fn proven_not_null(&self, table: &str, column: &str, i: usize) -> bool {
        self.proven_not_null
            .get(&(table.to_string(), column.to_string()))
            .is_some_and(|&p| p < i)
    }
}

/// The lock `op` takes on an existing table, as PostgreSQL names it (the same on every major
/// the facts cover where the operation exists).
pub fn lock_name(op: strata_diff::lock_facts::Operation) -> &'static str {
    strata_diff::lock_facts::MAJORS
        .iter()
        .find_map(|&m| strata_diff::lock_facts::fact_of(op, m))
        .map_or("a lock", |f| f.lock.sql())
}

/// A table key as findings name objects: `public.t` for `t`.
pub fn object(key: &str) -> String {
    if key.contains('.') {
        key.to_string()
    } else {
        format!("public.{key}")
    }
}

/// An `ALTER TABLE` of the input on a table that existed before it.
pub struct ExistingAlter<'m> {
    pub index: usize,
    pub stmt: &'m Stmt,
    /// As [`table_key`] spells it.
    pub table: String,
    pub actions: Vec<Action>,
}

/// A `CREATE INDEX` or `DROP INDEX` / `REINDEX` of the input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndexStatement {
    /// The table indexed (for `CREATE INDEX`), as [`table_key`] spells it.
    pub table: Option<String>,
    pub concurrently: bool,
    /// `ON ONLY` a partitioned table: an empty index on the parent alone, built by no scan.
    pub only: bool,
}

impl Migration {
    /// The input's `ALTER TABLE` statements on tables it did not create.
    pub fn alters_of_existing(&self) -> Vec<ExistingAlter<'_>> {
        self.statements
            .iter()
            .enumerate()
            .filter_map(|(index, stmt)| {
                let (table, actions) = alter::alter_table(stmt)?;
                (!self.is_new(&table, index)).then_some(ExistingAlter {
                    index,
                    stmt,
                    table,
                    actions,
                })
            })
            .collect()
    }
}

/// `CREATE [UNIQUE] INDEX [CONCURRENTLY] [IF NOT EXISTS] [name] ON [ONLY] table`.
pub fn create_index(s: &Stmt) -> Option<IndexStatement> {
    let mut i = 1;
    if s.kw(0) != Some("CREATE") {
        return None;
    }
    if s.kw(i) == Some("UNIQUE") {
        i += 1;
    }
    if s.kw(i) != Some("INDEX") {
        return None;
    }
    let on = s.tokens.iter().position(|t| t.kw() == Some("ON"))?;
    let mut j = on + 1;
    let only = s.kw(j) == Some("ONLY");
    if only {
        j += 1;
    }
    let (parts, _) = qualified_name(&s.tokens, j)?;
    Some(IndexStatement {
        table: Some(table_key(&parts)),
        concurrently: s.tokens[..on]
            .iter()
            .any(|t| t.kw() == Some("CONCURRENTLY")),
        only,
    })
}

/// A table name as the rules compare them: `schema.table` without a leading `public.`.
pub fn table_key(parts: &[String]) -> String {
    match parts {
        [schema, name] if schema == "public" => name.clone(),
        _ => parts.join("."),
    }
}

/// A possibly qualified name at `tokens[i..]`: its parts and the index after it.
pub fn qualified_name(tokens: &[Token], mut i: usize) -> Option<(Vec<String>, usize)> {
    let mut parts = vec![tokens.get(i)?.ident()?.to_string()];
    i += 1;
    while tokens.get(i).is_some_and(|t| t.is('.')) {
        parts.push(tokens.get(i + 1)?.ident()?.to_string());
        i += 2;
    }
    Some((parts, i))
}

/// `CREATE [UNLOGGED|TEMP] TABLE [IF NOT EXISTS] name` (and `... AS`, `PARTITION OF`).
fn created_table(s: &Stmt) -> Option<String> {
    if s.kw(0) != Some("CREATE") {
        return None;
    }
    let mut i = 1;
    while matches!(
        s.kw(i),
        Some("UNLOGGED" | "TEMP" | "TEMPORARY" | "GLOBAL" | "LOCAL")
    ) {
        i += 1;
    }
    if s.kw(i) != Some("TABLE") {
        return None;
    }
    i += 1;
    if s.kw(i) == Some("IF") {
        i += 3;
    }
    qualified_name(&s.tokens, i).map(|(p, _)| table_key(&p))
}

/// `CREATE DOMAIN name [AS] type ...`: the domain as `schema.name` and whether it declares a
/// constraint.
fn created_domain(s: &Stmt) -> Option<(String, bool)> {
    if !s.starts(&["CREATE", "DOMAIN"]) {
        return None;
    }
    let (parts, _) = qualified_name(&s.tokens, 2)?;
    let name = match parts.as_slice() {
        [name] => format!("public.{name}"),
        _ => parts.join("."),
    };
    let constrained = s.has_kw("CHECK")
        || s.tokens
            .windows(2)
            .any(|w| w[0].kw() == Some("NOT") && w[1].kw() == Some("NULL"));
    Some((name, constrained))
}

/// `CREATE [OR REPLACE] FUNCTION name(...) ... [IMMUTABLE|STABLE|VOLATILE]`: the function as
/// `schema.name` and the volatility it declares.
fn created_function(s: &Stmt) -> Option<(String, crate::trace::Volatility)> {
    use crate::trace::Volatility;
    if s.kw(0) != Some("CREATE") {
        return None;
    }
    let i = if s.starts(&["CREATE", "OR", "REPLACE"]) {
        3
    } else {
        1
    };
    if s.kw(i) != Some("FUNCTION") {
        return None;
    }
    let (parts, _) = qualified_name(&s.tokens, i + 1)?;
    let name = match parts.as_slice() {
        [name] => format!("public.{name}"),
        _ => parts.join("."),
    };
    // The body is one string token, so these words are the function's attributes.
    let volatility = if s.has_kw("IMMUTABLE") {
        Volatility::Immutable
    } else if s.has_kw("STABLE") {
        Volatility::Stable
    } else {
        Volatility::Volatile
    };
    Some((name, volatility))
}

/// `SET [LOCAL|SESSION] lock_timeout ...` / `RESET lock_timeout`: (in force, local).
fn lock_timeout_setting(s: &Stmt) -> Option<(bool, bool)> {
    let mut i = 1;
    let local = s.kw(1) == Some("LOCAL");
    if matches!(s.kw(1), Some("LOCAL" | "SESSION")) {
        i = 2;
    }
    if s.kw(i) != Some("LOCK_TIMEOUT") {
        return None;
    }
    if s.kw(0) == Some("RESET") {
        return Some((false, false));
    }
    let value = s.tokens.get(i + 2).or_else(|| s.tokens.get(i + 1));
    let on = match value {
        Some(Token::Number(n)) => n
            .trim_start_matches('0')
            .chars()
            .any(|c| c.is_ascii_digit()),
        Some(Token::Str(v)) => v
            .trim()
            .trim_start_matches('0')
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_digit()),
        Some(t) => t.kw() != Some("DEFAULT"),
        None => false,
    };
    Some((on, local))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Migration {
        Migration::read(&[SqlFile {
            name: "m.sql".into(),
            text: text.into(),
            runner_transaction: false,
        }])
    }

    #[test]
    fn replays_tables_transactions_timeouts_and_proofs() {
        let m = read(
            "CREATE TABLE public.t (id int);\n\
             BEGIN;\n\
             SET LOCAL lock_timeout = '5s';\n\
             ALTER TABLE u ADD CONSTRAINT u_x_nn CHECK (x IS NOT NULL) NOT VALID;\n\
             COMMIT;\n\
             ALTER TABLE u VALIDATE CONSTRAINT u_x_nn;\n\
             SET lock_timeout = 0;\n\
             ALTER TABLE u ALTER COLUMN x SET NOT NULL;",
        );
        assert!(m.is_new("t", 1) && !m.is_new("t", 0) && !m.is_new("u", 3));
        let s = &m.statements;
        assert!(s[3].in_transaction && s[3].lock_timeout);
        assert!(!s[5].in_transaction && !s[5].lock_timeout);
        assert!(!m.proven_not_null("u", "x", 5) && m.proven_not_null("u", "x", 7));
        assert!(!s[7].lock_timeout);
    }
}
