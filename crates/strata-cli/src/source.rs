//! One entry point for every command that reads a schema: turns a SRC argument into a
//! [`Model`], its diagnostics and the sources they point into.
//!
//! SRC is one of:
//! - a `.strata` file or a folder of them (one schema): parsed and designed;
//! - a `.sql` file (`pg_dump` output included): applied to a fresh database on a throwaway
//!   cluster (or on the server of `--dev-url`), then introspected;
//! - a database URL (`postgres://`, `postgresql://`) or a libpq `key=value` string:
//!   introspected directly.
//!
//! ```ignore
//! let src = source::load(&arg, &SourceOptions::default())?;
//! source::report(&src, color);          // diagnostics to stderr
//! if src.has_errors() { return Ok(EXIT_ERROR); }
//! use_model(&src.model);
//! ```
//!
//! Diagnostics of `.strata` input carry spans into [`Source::sources`]; those of SQL input
//! point into the SQL file (also in `sources`); those of a database have no span and name the
//! object instead.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::Duration;

use strata_diagnostics::{Diagnostic, Severity, SourceMap, Span};
use strata_model::Model;

/// What SRC turned out to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SourceKind {
    Strata,
    Sql,
    Database,
}

/// How to read a source besides its argument.
#[derive(Debug, Clone, Default)]
pub struct SourceOptions {
    /// A server to apply SQL input to instead of a throwaway cluster.
    pub dev_url: Option<String>,
    /// Read only these schemas of a database (all user schemas when empty).
    pub schemas: Vec<String>,
    /// `--include` / `--exclude` and the default exclusions (migration bookkeeping).
    pub filter: strata_model::filter::ObjectFilter,
}

/// `--include` / `--exclude`, shared by every command that reads a schema.
#[derive(clap::Args, Debug, Clone, Default)]
pub struct FilterArgs {
    /// Keep only objects matching PATTERN (repeatable): `[KIND:]GLOB` on qualified names, e.g.
    /// `schema:app`, `table:public.task*`. Naming a migration tool's table reads it too
    /// (`--include '*'` keeps everything).
    #[arg(long, value_name = "PATTERN")]
    pub include: Vec<String>,
    /// Leave out objects matching PATTERN (repeatable): `[KIND:]GLOB`, e.g. `public.tmp_*`,
    /// `schema:legacy`, `index:*_old`.
    #[arg(long, value_name = "PATTERN")]
    pub exclude: Vec<String>,
}

impl FilterArgs {
    pub fn filter(&self) -> anyhow::Result<strata_model::filter::ObjectFilter> {
        strata_model::filter::ObjectFilter::new(&self.include, &self.exclude)
            .map_err(|e| anyhow::anyhow!("{e}"))
    }
}

/// Applies `filter` to `model`; the notes it adds to `diagnostics` say what was left out.
/// Introspection warnings about excluded objects are dropped from `warnings`.
pub fn apply_filter(
    filter: &strata_model::filter::ObjectFilter,
    model: &mut Model,
    warnings: &mut Vec<strata_pg::IntrospectWarning>,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<strata_model::filter::Excluded> {
    use strata_model::filter::Reason;
    let excluded = filter.apply(model);
    let within = |object: &str, name: &str| {
        object == name
            || object
                .strip_prefix(name)
                .is_some_and(|rest| rest.starts_with(['.', '(']))
    };
    warnings.retain(|w| {
        !filter.excludes_name(&w.object) && !excluded.iter().any(|e| within(&w.object, &e.name))
    });
    let mut by_pattern = Vec::new();
    for e in &excluded {
        match &e.reason {
            Reason::Bookkeeping { tool } => diagnostics.push(Diagnostic::info(
                codes::BOOKKEEPING_EXCLUDED,
                format!(
                    "{} {} left out: {tool}'s migration history, not part of the schema",
                    e.kind, e.name
                ),
                "nothing to do; to read it anyway, pass --include '*' (or a pattern naming it)",
            )),
            Reason::Follows { object } if object.starts_with("the migration history") => {
                diagnostics.push(Diagnostic::info(
                    codes::BOOKKEEPING_EXCLUDED,
                    format!(
                        "{} {} left out: it holds only migration history",
                        e.kind, e.name
                    ),
                    "nothing to do; to read it anyway, pass --include '*'",
                ))
            }
            _ => by_pattern.push(e.to_string()),
        }
    }
    if !by_pattern.is_empty() {
        let n = by_pattern.len();
        let mut list = by_pattern
            .iter()
            .take(5)
            .cloned()
            .collect::<Vec<_>>()
            .join(", ");
        if n > 5 {
            list.push_str(&format!(" and {} more", n - 5));
        }
        diagnostics.push(Diagnostic::info(
            codes::PATTERN_EXCLUDED,
            format!(
                "{n} object{} left out by --include/--exclude: {list}",
                if n == 1 { "" } else { "s" }
            ),
            "nothing to do if that is what you meant; otherwise change the patterns",
        ));
    }
    excluded
}

/// A loaded schema.
pub struct Source {
    pub kind: SourceKind,
    pub model: Model,
    pub diagnostics: Vec<Diagnostic>,
    pub sources: SourceMap,
    /// The files read (empty for a database).
    pub paths: Vec<PathBuf>,
    /// How a `.strata` design chose its indexes (`None` for SQL and databases).
    pub indexes: Option<strata_workload::Selection>,
}

impl Source {
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }

    pub fn counts(&self) -> (usize, usize) {
        let count = |sev| {
            self.diagnostics
                .iter()
                .filter(|d| d.severity == sev)
                .count()
        };
        (count(Severity::Error), count(Severity::Warning))
    }
}

/// Whether `arg` names a database rather than a path: a URL in a form Strata connects with
/// (`postgres://`, `postgresql://`, SQLAlchemy's `postgresql+driver://`, JDBC's
/// `jdbc:postgresql:`) always; otherwise, unless a file of that name exists, anything that
/// looks like a connection string (another `scheme://`, `user:password@host`, `key=value`,
/// `password=`). Such an argument is then refused as a connection string, whose errors never
/// repeat it, instead of being echoed as a missing file.
pub fn is_database(arg: &str) -> bool {
    if strata_pg::conn::is_connection_url(arg) {
        return true;
    }
    !Path::new(arg).exists() && strata_pg::conn::looks_like_connection_string(arg)
}

/// How `arg` is named in output and in files written (a header, a migration's comment): a
/// database as its URL with the password as `****`, anything else as given.
pub fn describe(arg: &str) -> String {
    if kind_of(arg) != SourceKind::Database {
        return arg.to_string();
    }
    strata_pg::conn::ConnInfo::parse(arg)
        .map(|info| info.redacted())
        .unwrap_or_else(|_| "a database".to_string())
}

use strata_pg::codes;

/// Reads SRC (see the module documentation).
pub fn load(arg: &str, opts: &SourceOptions) -> anyhow::Result<Source> {
    let mut src = match kind_of(arg) {
        SourceKind::Database => load_database(arg, opts),
        SourceKind::Sql => load_sql(Path::new(arg), opts),
        SourceKind::Strata => load_strata(Path::new(arg)),
    }?;
    if src.kind == SourceKind::Strata && !src.has_errors() {
        apply_filter(
            &opts.filter,
            &mut src.model,
            &mut Vec::new(),
            &mut src.diagnostics,
        );
    }
    Ok(src)
}

/// The kind [`load`] reads `arg` as.
pub fn kind_of(arg: &str) -> SourceKind {
    if is_database(arg) {
        SourceKind::Database
    } else if Path::new(arg)
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("sql"))
    {
        SourceKind::Sql
    } else {
        SourceKind::Strata
    }
}

fn load_strata(path: &Path) -> anyhow::Result<Source> {
    let (loaded, design) = crate::commands::design(path)?;
    Ok(Source {
        kind: SourceKind::Strata,
        model: design.model,
        diagnostics: design.diagnostics,
        sources: loaded.sources,
        paths: loaded.paths,
        indexes: Some(design.indexes),
    })
}

fn introspect_options(opts: &SourceOptions) -> strata_pg::IntrospectOptions {
    strata_pg::IntrospectOptions {
        schemas: opts.schemas.clone(),
        exclude: Vec::new(),
    }
}

/// Introspection warnings as diagnostics (no span: they name the object).
fn warnings_to_diagnostics(warnings: &[strata_pg::IntrospectWarning]) -> Vec<Diagnostic> {
    warnings
        .iter()
        .map(|w| {
            Diagnostic::warning(
                codes::UNMODELLED,
                w.to_string(),
                "Strata leaves it out of the model; keep it in raw SQL or manage it outside Strata",
            )
        })
        .collect()
}

/// Through the CLI's one connection path: `PG*` variables and `.pgpass` complete the URL, and
/// errors never show the password. Reading a schema needs no session state.
fn connect(url: &str) -> anyhow::Result<strata_pg::postgres::Client> {
    Ok(crate::connect::connect(Some(url), crate::connect::Session::NotNeeded)?.client)
}

fn load_database(url: &str, opts: &SourceOptions) -> anyhow::Result<Source> {
    let mut client = connect(url)?;
    let mut result = strata_pg::introspect(&mut client, &introspect_options(opts))?;
    let mut notes = Vec::new();
    apply_filter(
        &opts.filter,
        &mut result.model,
        &mut result.warnings,
        &mut notes,
    );
    let mut diagnostics = warnings_to_diagnostics(&result.warnings);
    diagnostics.extend(notes);
    Ok(Source {
        kind: SourceKind::Database,
        model: result.model,
        diagnostics,
        sources: SourceMap::new(),
        paths: Vec::new(),
        indexes: None,
    })
}

/// The time limit of applying SQL input when `--sql-timeout` is not given.
pub const DEFAULT_SQL_TIMEOUT: Duration = Duration::from_secs(30);

static SQL_TIMEOUT: OnceLock<Duration> = OnceLock::new();

/// Sets the time limit of applying SQL input (`--sql-timeout`), once, before any loading.
/// Where SQL input is applied and for how long: given on the commands that read SQL input or
/// bring a design to server form (and, for compatibility, before the command name).
#[derive(clap::Args, Clone, Default, Debug)]
pub struct SqlInputArgs {
    /// Apply SQL input to this PostgreSQL server instead of a throwaway cluster (a fresh
    /// database is created on it and dropped afterwards).
    #[arg(long, value_name = "URL")]
    pub dev_url: Option<String>,
    /// Cancel applying an SQL file (SQL input) after this many seconds [default: 30].
    #[arg(long, value_name = "SECONDS", value_parser = parse_seconds)]
    pub sql_timeout: Option<f64>,
}

impl SqlInputArgs {
    /// These settings, completed by `outer` (given before the command name).
    pub fn or(&self, outer: &SqlInputArgs) -> SqlInputArgs {
        SqlInputArgs {
            dev_url: self.dev_url.clone().or_else(|| outer.dev_url.clone()),
            sql_timeout: self.sql_timeout.or(outer.sql_timeout),
        }
    }
}

/// A positive number of seconds, at most a day.
pub fn parse_seconds(text: &str) -> Result<f64, String> {
    match text.trim().parse::<f64>() {
        Ok(s) if s > 0.0 && s <= 86_400.0 => Ok(s),
        _ => Err(format!(
            "{text:?} is not a number of seconds between 0 and 86400 (e.g. 30 or 2.5)"
        )),
    }
}

pub fn set_sql_timeout(limit: Duration) {
    let _ = SQL_TIMEOUT.set(limit);
}

pub fn sql_timeout() -> Duration {
    SQL_TIMEOUT.get().copied().unwrap_or(DEFAULT_SQL_TIMEOUT)
}

/// A name no other process picks: two CI jobs sharing a `--dev-url` server never collide.
pub fn scratch_database_name() -> String {
    let mut bytes = [0u8; 8];
    let random = std::fs::File::open("/dev/urandom")
        .and_then(|mut f| std::io::Read::read_exact(&mut f, &mut bytes));
    if random.is_err() {
        // No /dev/urandom: the clock and the process id still differ between processes.
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        let mixed = (nanos as u64) ^ (u64::from(std::process::id()) << 32);
        bytes = mixed.to_le_bytes();
    }
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    format!("strata_scratch_{hex}")
}

/// Creates a scratch database (see [`scratch_database_name`]) on a `--dev-url` server.
pub fn create_dev_database(admin: &mut strata_pg::postgres::Client) -> anyhow::Result<String> {
    let name = scratch_database_name();
    admin
        .batch_execute(&format!(
            "CREATE DATABASE {}",
            strata_model::quote_ident(&name)
        ))
        .map_err(|e| {
            anyhow::anyhow!(
                "cannot create a scratch database on the --dev-url server: {} (its user needs CREATEDB)",
                strata_pg::PgError::from(e)
            )
        })?;
    Ok(name)
}

/// Drops a database made by [`create_dev_database`]; failures only leave it behind.
pub fn drop_dev_database(admin: &mut strata_pg::postgres::Client, name: &str) {
    let _ = admin.batch_execute(&format!(
        "DROP DATABASE IF EXISTS {} WITH (FORCE)",
        strata_model::quote_ident(name)
    ));
}

/// Where SQL input is applied.
enum Server {
    /// A throwaway cluster where the SQL runs as an unprivileged role.
    Sandbox(strata_pg::Sandbox),
    /// A fresh database on the `--dev-url` server, where the SQL runs as the URL's user.
    Dev {
        admin: strata_pg::postgres::Client,
        dbname: String,
    },
}

/// A database to apply SQL input to, dropped (and its cluster stopped) when done.
struct Scratch {
    client: strata_pg::postgres::Client,
    server: Server,
}

impl Drop for Scratch {
    fn drop(&mut self) {
        if let Server::Dev { admin, dbname } = &mut self.server {
            drop_dev_database(admin, dbname);
        }
    }
}

fn scratch(opts: &SourceOptions) -> anyhow::Result<Scratch> {
    match &opts.dev_url {
        None => {
            let sandbox = strata_pg::Sandbox::start(sql_timeout()).map_err(|e| {
                anyhow::anyhow!(
                    "SQL input needs a throwaway PostgreSQL server: {e} (install PostgreSQL, or pass --dev-url URL)"
                )
            })?;
            let client = sandbox.connect()?;
            Ok(Scratch {
                client,
                server: Server::Sandbox(sandbox),
            })
        }
        Some(url) => {
            let mut admin = connect(url)?;
            let dbname = create_dev_database(&mut admin)?;
            let connected = crate::connect::resolve(Some(url), crate::connect::Session::NotNeeded)
                .and_then(|info| {
                    let info = info.with_dbname(&dbname);
                    info.connect().map_err(|e| {
                        anyhow::anyhow!("could not connect to {}: {e}", info.redacted())
                    })
                });
            match connected {
                Ok(client) => Ok(Scratch {
                    client,
                    server: Server::Dev { admin, dbname },
                }),
                Err(e) => {
                    drop_dev_database(&mut admin, &dbname);
                    Err(e)
                }
            }
        }
    }
}

/// A file that is one transaction from its first statement (`BEGIN`/`START TRANSACTION`) to
/// its last (`COMMIT`/`END`), as `pg_restore --single-transaction -f` writes it: the two
/// statements are blanked (the file is applied in one transaction anyway). Returns the
/// `BEGIN` line, or `None` (and changes nothing) for any other shape.
fn drop_whole_file_transaction(
    prepared: &mut strata_pg::introspect::script::PreparedScript,
) -> Option<strata_pg::introspect::script::SkippedLine> {
    let [open, close] = prepared.transaction_control.as_slice() else {
        return None;
    };
    let first = prepared.statements.first()?.clone();
    let last = prepared.statements.last()?.clone();
    let starts = |line: &strata_pg::introspect::script::SkippedLine, words: &[&str]| {
        let lower = line.text.trim_start().to_ascii_lowercase();
        words.iter().any(|w| {
            lower.strip_prefix(w).is_some_and(|rest| {
                rest.starts_with(|c: char| c == ';' || c.is_ascii_whitespace()) || rest.is_empty()
            })
        })
    };
    let shape = first.start == open.offset
        && last.start == close.offset
        && first != last
        && starts(open, &["begin", "start"])
        && starts(close, &["commit", "end"]);
    if !shape {
        return None;
    }
    let mut sql = std::mem::take(&mut prepared.sql).into_bytes();
    for range in [first, last] {
        for byte in &mut sql[range] {
            if *byte != b'\n' {
                *byte = b' ';
            }
        }
    }
    // Every byte of the two statements became a space (or stayed a newline): still UTF-8,
    // and byte offsets of everything else are unchanged.
    prepared.sql = String::from_utf8(sql)
        .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned());
    let open = open.clone();
    prepared.transaction_control.clear();
    Some(open)
}

/// A diagnostic for SQL the server refused (or that ran out of time), pointing into the
/// file where the server said or where re-running the statements one by one finds it.
fn apply_failure(
    error: strata_pg::ApplyError,
    db: &mut Scratch,
    prepared: &strata_pg::introspect::script::PreparedScript,
    text: &str,
    file: strata_diagnostics::FileId,
) -> anyhow::Result<Diagnostic> {
    let limit = sql_timeout();
    let server = match error {
        strata_pg::ApplyError::TimedOut(limit) => {
            return Ok(Diagnostic::error(
                codes::SQL_TIMEOUT,
                format!(
                    "the SQL was still running after {} s and was cancelled",
                    limit.as_secs_f64()
                ),
                "remove what loops or waits (pg_sleep, endless DO blocks); if the file is just big, raise --sql-timeout",
            ));
        }
        strata_pg::ApplyError::TransactionEnded => {
            return Ok(Diagnostic::error(
                codes::TRANSACTION_CONTROL,
                "the SQL ended the transaction it is applied in (COMMIT, ROLLBACK or similar, possibly inside a procedure)",
                "remove the transaction control: the file is applied in one transaction as a whole",
            ));
        }
        strata_pg::ApplyError::Server(server) => server,
        other => return Err(anyhow::anyhow!("{other}")),
    };
    let privilege = server.code == "42501" && matches!(db.server, Server::Sandbox(_));
    let mut message = if privilege {
        format!(
            "the SQL needs a privilege SQL input is not given: {}",
            server.message
        )
    } else {
        format!("the SQL failed: {}", server.message)
    };
    if let Some(detail) = &server.detail {
        message.push_str(&format!(" ({detail})"));
    }
    if let Some(context) = &server.context {
        message.push_str(&format!("; {context}"));
    }
    let (code, help) = if privilege {
        (
            codes::PRIVILEGE_REFUSED,
            "SQL input runs as an unprivileged role: it cannot run programs, read or write server files, or become a superuser; remove the statement (it is not part of a schema)".to_string(),
        )
    } else {
        (
            codes::SQL_ERROR,
            server
                .hint
                .clone()
                .unwrap_or_else(|| "fix the statement and run again".to_string()),
        )
    };
    let mut d = Diagnostic::error(code, message, help);
    match server.position {
        Some(pos) => {
            let end = text[pos.offset..]
                .char_indices()
                .nth(1)
                .map_or(text.len(), |(i, _)| pos.offset + i);
            d = d.at(Span::new(file, pos.offset, end));
        }
        None => {
            // The server did not point into the script: find the statement by running
            // them one at a time (rolled back), under the same time limit.
            let deadline = strata_pg::Deadline::arm(db.client.cancel_token(), limit);
            let found = strata_pg::introspect::script::locate_failure(&mut db.client, prepared);
            drop(deadline);
            if let Some((range, _)) = found {
                d = d.at(Span::new(file, range.start, range.end));
            }
        }
    }
    Ok(d)
}

fn load_sql(path: &Path, opts: &SourceOptions) -> anyhow::Result<Source> {
    let bytes =
        std::fs::read(path).map_err(|e| anyhow::anyhow!("cannot read {}: {e}", path.display()))?;
    let Ok(text) = String::from_utf8(bytes) else {
        anyhow::bail!("{} is not UTF-8 text: save it as UTF-8", path.display());
    };
    let mut sources = SourceMap::new();
    let file = sources.add(path.display().to_string(), text.clone());
    let mut prepared = strata_pg::introspect::script::prepare(&text);
    let mut diagnostics = Vec::new();
    let span_of_line = |offset: usize, len: usize| Span::new(file, offset, offset + len);
    if let Some(wrapper) = drop_whole_file_transaction(&mut prepared) {
        diagnostics.push(
            Diagnostic::info(
                codes::WHOLE_FILE_TRANSACTION,
                "the BEGIN and COMMIT around the whole file were skipped",
                "nothing to do: the file is applied in one transaction anyway",
            )
            .at(span_of_line(wrapper.offset, wrapper.text.len())),
        );
    }
    for line in &prepared.skipped {
        diagnostics.push(
            Diagnostic::info(
                codes::META_COMMAND_SKIPPED,
                format!("psql meta-command skipped: {}", line.text),
                "meta-commands only mean something to psql; nothing to do",
            )
            .at(span_of_line(line.offset, line.text.len())),
        );
    }
    let source = |model, diagnostics| Source {
        kind: SourceKind::Sql,
        model,
        diagnostics,
        sources,
        paths: vec![path.to_path_buf()],
        indexes: None,
    };
    for copy in &prepared.copy_from_stdin {
        diagnostics.push(
            Diagnostic::error(
                codes::COPY_FROM_STDIN,
                "COPY ... FROM stdin loads data, which only psql can feed",
                "use a schema-only dump (`pg_dump --schema-only`)",
            )
            .at(span_of_line(copy.offset, copy.text.len())),
        );
    }
    for stmt in &prepared.transaction_control {
        diagnostics.push(
            Diagnostic::error(
                codes::TRANSACTION_CONTROL,
                format!(
                    "transaction control in SQL input: {}",
                    stmt.text.trim()
                ),
                "remove it: the file is applied in one transaction as a whole, and a COMMIT or ROLLBACK in it would keep or lose part of the file on its own",
            )
            .at(span_of_line(stmt.offset, stmt.text.len())),
        );
    }
    for stmt in &prepared.alter_system {
        diagnostics.push(
            Diagnostic::error(
                codes::PRIVILEGE_REFUSED,
                format!(
                    "ALTER SYSTEM changes the server's configuration, which SQL input may not do: {}",
                    stmt.text.trim()
                ),
                "remove it: server settings are not part of a schema",
            )
            .at(span_of_line(stmt.offset, stmt.text.len())),
        );
    }
    if diagnostics.iter().any(Diagnostic::is_error) {
        return Ok(source(strata_model::Model::default(), diagnostics));
    }
    let mut db = scratch(opts)?;
    let major = db
        .client
        .query_one(
            "SELECT current_setting('server_version_num')::int4 / 10000",
            &[],
        )?
        .try_get::<_, i32>(0)
        .unwrap_or(0);
    let missing_help = |name: &str| {
        format!(
            "install it for PostgreSQL {major} (on Debian/Ubuntu: `apt-get install postgresql-{major}-{name}`; contrib extensions come with PostgreSQL itself), or pass --dev-url to a server that has it"
        )
    };
    let missing_message = |name: &str| {
        format!("extension \"{name}\" is not available on the server this SQL is applied to")
    };
    let extension_span = |ext: &strata_pg::introspect::script::ExtensionUse| {
        Span::new(file, ext.offset, ext.offset + "CREATE EXTENSION".len())
    };
    // Extensions the server lacks (or SQL input may not create): say which and what to do,
    // before anything runs.
    match &mut db.server {
        Server::Sandbox(sandbox) => {
            for ext in &prepared.extensions {
                use strata_pg::ExtensionAccess;
                match sandbox.extension_access(&ext.name)? {
                    ExtensionAccess::Trusted => {}
                    ExtensionAccess::Missing => diagnostics.push(
                        Diagnostic::error(
                            codes::MISSING_EXTENSION,
                            missing_message(&ext.name),
                            missing_help(&ext.name),
                        )
                        .at(extension_span(ext)),
                    ),
                    ExtensionAccess::Preinstallable
                        if ext.if_not_exists
                            && ext.schema.as_deref().is_none_or(|s| s == "public") =>
                    {
                        sandbox.preinstall_extension(&ext.name, ext.schema.as_deref())?;
                    }
                    ExtensionAccess::Preinstallable => diagnostics.push(
                        Diagnostic::error(
                            codes::UNTRUSTED_EXTENSION,
                            format!(
                                "extension \"{}\" is installed for SQL input only by `CREATE EXTENSION IF NOT EXISTS` in schema public (as pg_dump writes it)",
                                ext.name
                            ),
                            "write `CREATE EXTENSION IF NOT EXISTS ... WITH SCHEMA public`, or pass --dev-url to a server you trust",
                        )
                        .at(extension_span(ext)),
                    ),
                    ExtensionAccess::Untrusted => diagnostics.push(
                        Diagnostic::error(
                            codes::UNTRUSTED_EXTENSION,
                            format!(
                                "extension \"{}\" is not trusted (it can reach files, programs or other servers), so SQL input may not create it",
                                ext.name
                            ),
                            "remove it from the file; to read a schema that needs it, pass --dev-url to a server you trust",
                        )
                        .at(extension_span(ext)),
                    ),
                }
            }
        }
        Server::Dev { .. } => {
            let names: Vec<String> = prepared.extensions.iter().map(|e| e.name.clone()).collect();
            let available: Vec<String> = db
                .client
                .query(
                    "SELECT name FROM pg_available_extensions WHERE name = ANY($1)",
                    &[&names],
                )?
                .iter()
                .filter_map(|r| r.try_get::<_, String>(0).ok())
                .collect();
            for ext in &prepared.extensions {
                if !available.contains(&ext.name) {
                    diagnostics.push(
                        Diagnostic::error(
                            codes::MISSING_EXTENSION,
                            missing_message(&ext.name),
                            missing_help(&ext.name),
                        )
                        .at(extension_span(ext)),
                    );
                }
            }
        }
    }
    if diagnostics.iter().any(Diagnostic::is_error) {
        return Ok(source(strata_model::Model::default(), diagnostics));
    }
    // Roles the script names but the server lacks: created NOLOGIN, since grants and
    // policies are part of the model.
    let wanted: Vec<String> = prepared.roles.iter().cloned().collect();
    let created = match &mut db.server {
        Server::Sandbox(sandbox) => sandbox
            .provide_roles(&wanted)
            .map_err(|e| anyhow::anyhow!("cannot create the roles the SQL file names: {e}"))?,
        Server::Dev { .. } => {
            let existing: Vec<String> = db
                .client
                .query(
                    "SELECT rolname::text FROM pg_roles WHERE rolname = ANY($1)",
                    &[&wanted],
                )?
                .iter()
                .filter_map(|r| r.try_get::<_, String>(0).ok())
                .collect();
            let created: Vec<String> = wanted
                .iter()
                .filter(|r| !existing.contains(r))
                .cloned()
                .collect();
            for role in &created {
                db.client
                    .batch_execute(&format!(
                        "CREATE ROLE {} NOLOGIN",
                        strata_model::quote_ident(role)
                    ))
                    .map_err(|e| {
                        anyhow::anyhow!(
                            "cannot create role {role} the SQL file names: {}",
                            strata_pg::PgError::from(e)
                        )
                    })?;
            }
            created
        }
    };
    if !created.is_empty() {
        diagnostics.push(Diagnostic::info(
            codes::ROLES_CREATED,
            format!(
                "created role(s) {} (NOLOGIN) on the {} server, since the SQL names them",
                created.join(", "),
                if opts.dev_url.is_some() {
                    "--dev-url"
                } else {
                    "throwaway"
                }
            ),
            "nothing to do; grants and policies to these roles are part of the model",
        ));
    }
    if let Err(e) = strata_pg::apply_untrusted_sql(&mut db.client, &prepared.sql, sql_timeout()) {
        diagnostics.push(apply_failure(e, &mut db, &prepared, &text, file)?);
        return Ok(source(strata_model::Model::default(), diagnostics));
    }
    if let Server::Sandbox(sandbox) = &mut db.server {
        sandbox.seal()?;
    }
    let mut result = strata_pg::introspect(&mut db.client, &introspect_options(opts))?;
    drop(db);
    let mut notes = Vec::new();
    apply_filter(
        &opts.filter,
        &mut result.model,
        &mut result.warnings,
        &mut notes,
    );
    diagnostics.extend(warnings_to_diagnostics(&result.warnings));
    diagnostics.extend(notes);
    Ok(source(result.model, diagnostics))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scratch_database_names_are_random_and_valid_identifiers() {
        let a = scratch_database_name();
        let b = scratch_database_name();
        assert_ne!(a, b);
        let suffix = a.strip_prefix("strata_scratch_").unwrap_or_default();
        assert_eq!(suffix.len(), 16, "{a}");
        assert!(suffix.chars().all(|c| c.is_ascii_hexdigit()), "{a}");
        assert!(!strata_model::needs_quoting(&a), "{a}");
    }
}
