//! `strata`: design, prove and evolve PostgreSQL schemas from a `.strata` model.

mod commands;
mod connect;
mod load;
mod output;
mod source;

use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

/// Exit codes: 0 clean, 1 findings (warnings, formatting differences), 2 errors.
pub const EXIT_FINDINGS: u8 = 1;
pub const EXIT_ERROR: u8 = 2;

#[derive(Parser)]
#[command(
    name = "strata",
    version,
    about = "PostgreSQL schema design toolkit",
    propagate_version = true
)]
struct Cli {
    /// When to use colors in diagnostics.
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto)]
    color: ColorChoice,
    /// Apply SQL input to this PostgreSQL server instead of a throwaway cluster (a fresh
    /// database is created on it and dropped afterwards).
    #[arg(long, global = true, value_name = "URL")]
    dev_url: Option<String>,
    /// Cancel applying an SQL file (SQL input) after this many seconds.
    #[arg(long, global = true, value_name = "SECONDS", default_value_t = 30.0,
          value_parser = parse_seconds)]
    sql_timeout: f64,
    #[command(subcommand)]
    command: Command,
}

#[derive(Copy, Clone, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Copy, Clone, PartialEq, Eq, ValueEnum, Default)]
pub enum Format {
    #[default]
    Human,
    Json,
}

#[derive(Copy, Clone, PartialEq, Eq, ValueEnum, Default)]
pub enum BuildFormat {
    #[default]
    Sql,
    Json,
}

#[derive(Subcommand)]
enum Command {
    /// Parse and design a schema and report every problem (no database needed).
    Check {
        /// A `.strata` file or folder, a `.sql` file, or a database URL.
        src: String,
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
        /// Explain the index selection: per table, each chosen index with the patterns it
        /// serves and its estimated benefit and cost, each rejected candidate with the reason.
        #[arg(long)]
        explain_indexes: bool,
    },
    /// Print the PostgreSQL DDL (or the model as JSON) a schema designs.
    Build {
        /// A `.strata` file or folder, a `.sql` file, or a database URL.
        src: String,
        /// Write to this file instead of standard output.
        #[arg(long, short)]
        out: Option<std::path::PathBuf>,
        #[arg(long, value_enum, default_value_t = BuildFormat::Sql)]
        format: BuildFormat,
    },
    /// Format `.strata` files canonically, in place.
    Fmt {
        path: std::path::PathBuf,
        /// Change nothing; exit 1 and list the files that are not formatted.
        #[arg(long)]
        check: bool,
    },
    /// Start a new schema: writes `schema.strata` in DIR (default: the current folder).
    Init {
        #[arg(default_value = ".")]
        dir: std::path::PathBuf,
    },
    /// Print a schema read from a database URL, an SQL file or `.strata` files, as SQL or JSON.
    Inspect {
        /// A database URL (`postgres://...` or `key=value ...`), a `.sql` file, or `.strata`.
        src: String,
        #[arg(long, value_enum, default_value_t = commands::inspect::InspectFormat::Strata)]
        format: commands::inspect::InspectFormat,
        /// Read only this schema (repeatable; default: every user schema).
        #[arg(long = "schema", value_name = "NAME")]
        schemas: Vec<String>,
        #[command(flatten)]
        filter: source::FilterArgs,
        /// Write to this file instead of standard output.
        #[arg(long, short)]
        out: Option<std::path::PathBuf>,
    },
    /// Write schema documentation: Markdown (`schema.md`) or a self-contained HTML site.
    Docs {
        /// A `.strata` file or folder, a `.sql` file, or a database URL.
        src: String,
        /// Folder to write into (created if missing).
        #[arg(long, short)]
        out: std::path::PathBuf,
        #[arg(long, value_enum, default_value_t = commands::docs::DocsFormat::Markdown)]
        format: commands::docs::DocsFormat,
        #[command(flatten)]
        filter: source::FilterArgs,
    },
    /// Generate code from a schema: SQLModel, Alembic, Drizzle or Rust (sqlx).
    Gen {
        #[arg(value_enum)]
        target: commands::r#gen::GenTarget,
        /// A `.strata` file or folder, a `.sql` file, or a database URL.
        src: String,
        /// Folder to write into (created if missing). A one-file target (mermaid, dbml,
        /// tbls, seed-sql, drizzle) prints without it, and writes a path with an extension
        /// (`--out schema.dbml`) as that file.
        #[arg(long, short)]
        out: Option<std::path::PathBuf>,
        /// Alembic: the Python package of the SQLModel models that env.py imports.
        #[arg(long, default_value = "models")]
        models_package: String,
        /// seed-sql: rows per table (fewer where unique foreign-key combinations run out).
        #[arg(long, default_value_t = 10)]
        rows: usize,
        /// seed-sql: the random seed; the same seed gives the same rows.
        #[arg(long, default_value_t = 42)]
        seed: u64,
        #[command(flatten)]
        filter: source::FilterArgs,
    },
    /// Versioned migrations: new, apply, down, status, verify, resolve, hash.
    Migrate(commands::migrate::MigrateArgs),
    /// Plan from a live database to SRC, show the plan, confirm, and apply it.
    Apply(commands::apply::ApplyArgs),
    /// Fill a database built from SRC with data at the declared row counts (COPY, foreign
    /// keys consistent, constraints respected, deterministic for a seed).
    Seed(commands::seed::SeedArgs),
    /// Build, seed and run the access patterns on a throwaway server: plans, latency,
    /// throughput, index sizes, HOT updates; exit 1 on a large scan or sort an index should
    /// avoid. `--baseline OTHER` compares another schema.
    Verify(commands::verify::VerifyArgs),
    /// Print the migration plan from one schema to another (SQL for psql, or JSON); exit 1
    /// when it has hazards not allowed with --allow-hazard.
    Diff(commands::diff::DiffArgs),
    /// Lint schemas: design, security and access-pattern rules (`--list-rules` lists them);
    /// exit 1 on findings.
    Lint(commands::lint::LintArgs),
    /// Start a throwaway PostgreSQL server, print its URL, and delete it on Ctrl-C.
    Dev {
        /// Listen on this port (default: a free one).
        #[arg(long)]
        port: Option<u16>,
    },
}

/// A positive number of seconds, at most a day.
fn parse_seconds(text: &str) -> Result<f64, String> {
    match text.trim().parse::<f64>() {
        Ok(s) if s > 0.0 && s <= 86_400.0 => Ok(s),
        _ => Err(format!(
            "{text:?} is not a number of seconds between 0 and 86400 (e.g. 30 or 2.5)"
        )),
    }
}

fn main() -> ExitCode {
    output::init_redaction();
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            if !e.use_stderr() {
                // --help and --version: nothing of the user's in them.
                let _ = e.print();
                return ExitCode::SUCCESS;
            }
            // Argument errors quote the arguments, which may be connection strings.
            let colored = std::io::IsTerminal::is_terminal(&std::io::stderr())
                && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
            let rendered = e.render();
            output::stderr(&if colored {
                rendered.ansi().to_string()
            } else {
                rendered.to_string()
            });
            return ExitCode::from(EXIT_ERROR);
        }
    };
    let color = output::use_color(cli.color);
    source::set_sql_timeout(std::time::Duration::from_secs_f64(cli.sql_timeout));
    let result = match cli.command {
        Command::Check {
            src,
            format,
            explain_indexes,
        } => {
            let opts = source::SourceOptions {
                dev_url: cli.dev_url.clone(),
                ..Default::default()
            };
            commands::check::run(&src, &opts, format, color, explain_indexes)
        }
        Command::Build { src, out, format } => {
            let opts = source::SourceOptions {
                dev_url: cli.dev_url.clone(),
                ..Default::default()
            };
            commands::build::run(&src, &opts, out.as_deref(), format, color)
        }
        Command::Fmt { path, check } => commands::fmt::run(&path, check, color),
        Command::Init { dir } => commands::init::run(&dir),
        Command::Inspect {
            src,
            format,
            schemas,
            filter,
            out,
        } => filter.filter().and_then(|filter| {
            let opts = source::SourceOptions {
                dev_url: cli.dev_url.clone(),
                schemas,
                filter,
            };
            commands::inspect::run(&src, &opts, format, out.as_deref(), color)
        }),
        Command::Dev { port } => commands::dev::run(port),
        Command::Migrate(args) => commands::migrate::run(args, cli.dev_url.as_deref(), color),
        Command::Apply(args) => commands::apply::run(args, cli.dev_url.as_deref(), color),
        Command::Seed(args) => commands::seed::run(args, cli.dev_url.as_deref(), color),
        Command::Verify(args) => commands::verify::run(args, cli.dev_url.as_deref(), color),
        Command::Diff(args) => commands::diff::run(args, cli.dev_url.as_deref(), color),
        Command::Lint(args) => commands::lint::run(args, cli.dev_url.as_deref(), color),
        Command::Gen {
            target,
            src,
            out,
            models_package,
            rows,
            seed,
            filter,
        } => filter.filter().and_then(|filter| {
            let opts = source::SourceOptions {
                dev_url: cli.dev_url.clone(),
                filter,
                ..Default::default()
            };
            let gen_opts = commands::r#gen::GenOptions {
                out,
                models_package,
                rows,
                seed,
            };
            commands::r#gen::run(target, &src, &opts, &gen_opts, color)
        }),
        Command::Docs {
            src,
            out,
            format,
            filter,
        } => filter.filter().and_then(|filter| {
            let opts = source::SourceOptions {
                dev_url: cli.dev_url.clone(),
                filter,
                ..Default::default()
            };
            commands::docs::run(&src, &opts, &out, format, color)
        }),
    };
    match result {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            if output::is_broken_pipe(&e) {
                return ExitCode::SUCCESS;
            }
            output::error(&format!("{e:#}"), color);
            ExitCode::from(EXIT_ERROR)
        }
    }
}
