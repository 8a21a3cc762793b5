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
    /// Glob patterns on qualified names (`public.tmp_*`) of objects not to read.
    pub exclude: Vec<String>,
}

/// A loaded schema.
pub struct Source {
    pub kind: SourceKind,
    pub model: Model,
    pub diagnostics: Vec<Diagnostic>,
    pub sources: SourceMap,
    /// The files read (empty for a database).
    pub paths: Vec<PathBuf>,
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

/// Whether `arg` names a database rather than a path.
pub fn is_database(arg: &str) -> bool {
    let lower = arg.trim_start().to_ascii_lowercase();
    if lower.starts_with("postgres://") || lower.starts_with("postgresql://") {
        return true;
    }
    // A libpq key=value string: `host=... dbname=...`. A path with `=` in it that exists is
    // still a path.
    !Path::new(arg).exists()
        && arg.split_whitespace().next().is_some_and(|w| {
            w.split_once('=').is_some_and(|(k, _)| {
                !k.is_empty() && k.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
            })
        })
}

use strata_pg::codes;

/// Reads SRC (see the module documentation).
pub fn load(arg: &str, opts: &SourceOptions) -> anyhow::Result<Source> {
    match kind_of(arg) {
        SourceKind::Database => load_database(arg, opts),
        SourceKind::Sql => load_sql(Path::new(arg), opts),
        SourceKind::Strata => load_strata(Path::new(arg)),
    }
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
    })
}

fn introspect_options(opts: &SourceOptions) -> strata_pg::IntrospectOptions {
    strata_pg::IntrospectOptions {
        schemas: opts.schemas.clone(),
        exclude: opts.exclude.clone(),
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
    let result = strata_pg::introspect(&mut client, &introspect_options(opts))?;
    Ok(Source {
        kind: SourceKind::Database,
        model: result.model,
        diagnostics: warnings_to_diagnostics(&result.warnings),
        sources: SourceMap::new(),
        paths: Vec::new(),
    })
}

/// A database to apply SQL input to, dropped (and its cluster stopped) when done.
struct Scratch {
    /// Keeps a throwaway cluster alive; `None` with `--dev-url`.
    cluster: Option<strata_pg::Cluster>,
    /// Connection to the maintenance database, to create and drop the scratch one.
    admin: Option<strata_pg::postgres::Client>,
    dbname: String,
    client: strata_pg::postgres::Client,
}

impl Drop for Scratch {
    fn drop(&mut self) {
        if let Some(admin) = &mut self.admin {
            let _ = admin.batch_execute(&format!(
                "DROP DATABASE IF EXISTS {} WITH (FORCE)",
                strata_model::quote_ident(&self.dbname)
            ));
        }
        let _ = &self.cluster;
    }
}

fn scratch(opts: &SourceOptions) -> anyhow::Result<Scratch> {
    match &opts.dev_url {
        None => {
            let cluster = strata_pg::Cluster::start().map_err(|e| {
                anyhow::anyhow!(
                    "SQL input needs a throwaway PostgreSQL server: {e} (install PostgreSQL, or pass --dev-url URL)"
                )
            })?;
            let dbname = cluster.create_database()?;
            let client = cluster.connect(&dbname)?;
            Ok(Scratch {
                cluster: Some(cluster),
                admin: None,
                dbname,
                client,
            })
        }
        Some(url) => {
            let mut admin = connect(url)?;
            let dbname = format!("strata_scratch_{}", std::process::id());
            admin
                .batch_execute(&format!(
                    "DROP DATABASE IF EXISTS {0} WITH (FORCE); CREATE DATABASE {0}",
                    strata_model::quote_ident(&dbname)
                ))
                .map_err(|e| {
                    anyhow::anyhow!("cannot create a scratch database on --dev-url: {e}")
                })?;
            let info = crate::connect::resolve(Some(url), crate::connect::Session::NotNeeded)?
                .with_dbname(&dbname);
            let client = info
                .connect()
                .map_err(|e| anyhow::anyhow!("could not connect to {}: {e}", info.redacted()))?;
            Ok(Scratch {
                cluster: None,
                admin: Some(admin),
                dbname,
                client,
            })
        }
    }
}

fn load_sql(path: &Path, opts: &SourceOptions) -> anyhow::Result<Source> {
    let bytes =
        std::fs::read(path).map_err(|e| anyhow::anyhow!("cannot read {}: {e}", path.display()))?;
    let Ok(text) = String::from_utf8(bytes) else {
        anyhow::bail!("{} is not UTF-8 text: save it as UTF-8", path.display());
    };
    let mut sources = SourceMap::new();
    let file = sources.add(path.display().to_string(), text.clone());
    let prepared = strata_pg::introspect::script::prepare(&text);
    let mut diagnostics = Vec::new();
    let span_of_line = |offset: usize, len: usize| Span::new(file, offset, offset + len);
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
    };
    if !prepared.copy_from_stdin.is_empty() {
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
        return Ok(source(strata_model::Model::default(), diagnostics));
    }
    let mut db = scratch(opts)?;
    // Extensions the server lacks: say which and how to get them, before anything runs.
    let names: Vec<String> = prepared.extensions.iter().map(|(n, _)| n.clone()).collect();
    let available: Vec<String> = db
        .client
        .query(
            "SELECT name FROM pg_available_extensions WHERE name = ANY($1)",
            &[&names],
        )?
        .iter()
        .filter_map(|r| r.try_get::<_, String>(0).ok())
        .collect();
    let major = db
        .client
        .query_one(
            "SELECT current_setting('server_version_num')::int4 / 10000",
            &[],
        )?
        .try_get::<_, i32>(0)
        .unwrap_or(0);
    let mut missing = false;
    for (name, offset) in &prepared.extensions {
        if !available.contains(name) {
            missing = true;
            diagnostics.push(
                Diagnostic::error(
                    codes::MISSING_EXTENSION,
                    format!("extension \"{name}\" is not available on the server this SQL is applied to"),
                    format!(
                        "install it for PostgreSQL {major} (on Debian/Ubuntu: `apt-get install postgresql-{major}-{name}`; contrib extensions come with PostgreSQL itself), or pass --dev-url to a server that has it"
                    ),
                )
                .at(Span::new(file, *offset, *offset + "CREATE EXTENSION".len())),
            );
        }
    }
    if missing {
        return Ok(source(strata_model::Model::default(), diagnostics));
    }
    // Roles the script names but the server lacks: created NOLOGIN, since grants and
    // policies are part of the model.
    let wanted: Vec<String> = prepared.roles.iter().cloned().collect();
    let existing: Vec<String> = db
        .client
        .query(
            "SELECT rolname::text FROM pg_roles WHERE rolname = ANY($1)",
            &[&wanted],
        )?
        .iter()
        .filter_map(|r| r.try_get::<_, String>(0).ok())
        .collect();
    let created: Vec<&String> = wanted.iter().filter(|r| !existing.contains(r)).collect();
    for role in &created {
        db.client
            .batch_execute(&format!(
                "CREATE ROLE {} NOLOGIN",
                strata_model::quote_ident(role)
            ))
            .map_err(|e| anyhow::anyhow!("cannot create role {role} the SQL file names: {e}"))?;
    }
    if !created.is_empty() {
        let names: Vec<&str> = created.iter().map(|r| r.as_str()).collect();
        diagnostics.push(Diagnostic::info(
            codes::ROLES_CREATED,
            format!(
                "created role(s) {} (NOLOGIN) on the {} server, since the SQL names them",
                names.join(", "),
                if opts.dev_url.is_some() {
                    "--dev-url"
                } else {
                    "throwaway"
                }
            ),
            "nothing to do; grants and policies to these roles are part of the model",
        ));
    }
    if let Err(e) = strata_pg::apply_sql(&mut db.client, &prepared.sql) {
        let Some(server) = e.server_error() else {
            return Err(anyhow::anyhow!("{e}"));
        };
        let mut message = format!("the SQL failed: {}", server.message);
        if let Some(detail) = &server.detail {
            message.push_str(&format!(" ({detail})"));
        }
        if let Some(context) = &server.context {
            message.push_str(&format!("; {context}"));
        }
        let help = server
            .hint
            .clone()
            .unwrap_or_else(|| "fix the statement and run again".to_string());
        let mut d = Diagnostic::error(codes::SQL_ERROR, message, help);
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
                // them one at a time (rolled back).
                if let Some((range, _)) =
                    strata_pg::introspect::script::locate_failure(&mut db.client, &prepared)
                {
                    d = d.at(Span::new(file, range.start, range.end));
                }
            }
        }
        diagnostics.push(d);
        return Ok(source(strata_model::Model::default(), diagnostics));
    }
    let result = strata_pg::introspect(&mut db.client, &introspect_options(opts))?;
    drop(db);
    diagnostics.extend(warnings_to_diagnostics(&result.warnings));
    Ok(source(result.model, diagnostics))
}
