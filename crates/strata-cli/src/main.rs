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
    propagate_version = true,
    after_help = "Examples:
  strata init && strata check .
  strata build examples/todo > schema.sql
  strata inspect \"$DATABASE_URL\" --out schema/app.strata
  strata diff --from \"$DATABASE_URL\" --to schema/
  strata completions bash > ~/.local/share/bash-completion/completions/strata

Every command: strata COMMAND --help. Exit codes: 0 clean, 1 findings, 2 errors."
)]
struct Cli {
    /// When to use colors in diagnostics.
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto)]
    color: ColorChoice,
    /// Print only results, errors, warnings and questions: no notes, progress or
    /// "wrote ..." lines.
    #[arg(long, short, global = true)]
    quiet: bool,
    /// For the commands that read SQL input (check, build, inspect, docs, gen, diff, apply,
    /// lint, migrate new and baseline); also accepted after the command name.
    #[command(flatten)]
    sql: source::SqlInputArgs,
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
    #[command(after_help = "Examples:
  strata check examples/todo              # a folder of .strata files
  strata check schema.sql                 # pg_dump output, applied to a throwaway database
  strata check examples/todo --explain-indexes
  strata check . --format json | jq '.[] | .code'")]
    Check {
        #[command(flatten)]
        sql: source::SqlInputArgs,
        /// A `.strata` file or folder, a `.sql` file, or a database URL.
        src: String,
        /// `human` (diagnostics with their source lines) or `json` (one object per diagnostic).
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
        /// Explain the index selection: per table, each chosen index with the patterns it
        /// serves and its estimated benefit and cost, each rejected candidate with the reason.
        #[arg(long)]
        explain_indexes: bool,
    },
    /// Print the PostgreSQL DDL (or the model as JSON) a schema designs.
    #[command(after_help = "Examples:
  strata build examples/todo > schema.sql
  strata build examples/todo --out schema.sql
  strata build examples/todo --format json")]
    Build {
        #[command(flatten)]
        sql: source::SqlInputArgs,
        /// A `.strata` file or folder, a `.sql` file, or a database URL.
        src: String,
        /// Write to this file instead of standard output.
        #[arg(long, short)]
        out: Option<std::path::PathBuf>,
        /// `sql` (the DDL) or `json` (the designed model).
        #[arg(long, value_enum, default_value_t = BuildFormat::Sql)]
        format: BuildFormat,
    },
    /// Format `.strata` files canonically, in place.
    #[command(after_help = "Examples:
  strata fmt .
  strata fmt --check schema/        # in CI: exit 1 and list what is not formatted")]
    Fmt {
        /// A `.strata` file, or a folder whose `.strata` files are formatted.
        path: std::path::PathBuf,
        /// Change nothing; exit 1 and list the files that are not formatted.
        #[arg(long)]
        check: bool,
    },
    /// Start a new schema: writes `schema.strata` in DIR (default: the current folder).
    #[command(after_help = "Examples:
  strata init
  strata init db && strata check db")]
    Init {
        /// The folder to write `schema.strata` into (created if missing).
        #[arg(default_value = ".")]
        dir: std::path::PathBuf,
    },
    /// Print a schema read from a database URL, an SQL file or `.strata` files, as SQL or JSON.
    #[command(after_help = "Examples:
  strata inspect \"$DATABASE_URL\" --out schema/app.strata
  strata inspect postgres://app@db/app --format sql --schema app
  strata inspect dump.sql --exclude 'public.tmp_*'
  strata inspect \"$DATABASE_URL\" --format json | jq '.tables | length'")]
    Inspect {
        #[command(flatten)]
        sql: source::SqlInputArgs,
        /// A database URL (`postgres://...` or `key=value ...`), a `.sql` file, or `.strata`.
        src: String,
        /// `strata` (a `.strata` design), `sql` (DDL) or `json` (the model).
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
    #[command(after_help = "Examples:
  strata docs examples/todo --out docs/db
  strata docs \"$DATABASE_URL\" --out site --format html --include 'schema:app'")]
    Docs {
        #[command(flatten)]
        sql: source::SqlInputArgs,
        /// A `.strata` file or folder, a `.sql` file, or a database URL.
        src: String,
        /// Folder to write into (created if missing).
        #[arg(long, short)]
        out: std::path::PathBuf,
        /// `markdown` (`schema.md`) or `html` (a self-contained site).
        #[arg(long, value_enum, default_value_t = commands::docs::DocsFormat::Markdown)]
        format: commands::docs::DocsFormat,
        #[command(flatten)]
        filter: source::FilterArgs,
    },
    /// Generate code and artefacts from a schema: SQLModel, Alembic, Drizzle, Rust (sqlx),
    /// Mermaid, DBML, tbls or seed SQL.
    #[command(after_help = "Examples:
  strata gen sqlmodel examples/todo --out app/models
  strata gen drizzle examples/todo --out src/db/schema.ts
  strata gen dbml \"$DATABASE_URL\" --out docs/schema.dbml
  strata gen seed-sql examples/todo --rows 100 > seed.sql")]
    Gen {
        #[command(flatten)]
        sql: source::SqlInputArgs,
        /// What to generate (see the list below).
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
    #[command(after_help = "Examples:
  strata migrate new add_due_date --to schema/
  strata migrate apply --url \"$DATABASE_URL\"
  strata migrate status --format json
  strata migrate down 2")]
    Migrate(commands::migrate::MigrateArgs),
    /// Plan from a live database to SRC, show the plan, confirm, and apply it.
    #[command(after_help = "Examples:
  strata apply --to schema/ \"$DATABASE_URL\"
  strata apply --to schema.sql --yes --allow-hazard validates_rows
  strata apply --to schema/ --exclude 'table:legacy_*'")]
    Apply(commands::apply::ApplyArgs),
    /// Fill a database built from SRC with data at the declared row counts (COPY, foreign
    /// keys consistent, constraints respected, deterministic for a seed).
    #[command(after_help = "Examples:
  strata seed examples/todo \"$DATABASE_URL\"
  strata seed examples/todo --scale 0.1 --rows tasks=50000 --seed 7
  strata seed schema.sql --format json")]
    Seed(commands::seed::SeedArgs),
    /// Build, seed and run the access patterns on a throwaway server: plans, latency,
    /// throughput, index sizes, HOT updates; exit 1 on a large scan or sort an index should
    /// avoid. `--baseline OTHER` compares another schema.
    #[command(after_help = "Examples:
  strata verify examples/todo
  strata verify schema/ --baseline main-schema/ --format json")]
    Verify(commands::verify::VerifyArgs),
    /// Indexes an existing database should add and drop for its workload (access patterns
    /// and pg_stat_statements), priced with hypothetical indexes (hypopg); reads the database,
    /// never changes it. `--emit-migration DIR` writes the proposal as a migration.
    #[command(after_help = "Examples:
  strata advise \"$DATABASE_URL\" --workload schema/
  strata advise \"$DATABASE_URL\" --emit-migration migrations
  strata advise examples/todo --format json")]
    Advise(commands::advise::AdviseArgs),
    /// Print the migration plan from one schema to another (SQL for psql, or JSON); exit 1
    /// when it has hazards not allowed with --allow-hazard.
    #[command(after_help = "Examples:
  strata diff --from \"$DATABASE_URL\" --to schema/ > plan.sql
  strata diff --from migrations --to schema/ --format json
  strata diff --from old.sql --to new.sql --allow-hazard rewrites_table --lock-timeout 10s")]
    Diff(commands::diff::DiffArgs),
    /// Lint schemas: design, security and access-pattern rules (`--list-rules` lists them);
    /// exit 1 on findings.
    #[command(after_help = "Examples:
  strata lint examples/todo
  strata lint --trace migrations/
  strata lint --trace migrations/0003_add_status.up.sql --from \"$DATABASE_URL\"
  strata lint --from \"$DATABASE_URL\" --to schema.strata
  strata lint \"$DATABASE_URL\" --format sarif > lint.sarif
  strata lint --diff migrations
  strata lint --fix migrations
  strata lint --list-rules")]
    Lint(commands::lint::LintArgs),
    /// Start a throwaway PostgreSQL server, print its URL, and delete it on Ctrl-C.
    #[command(after_help = "Examples:
  strata dev
  strata dev --port 5433")]
    Dev {
        /// Listen on this port (default: a free one).
        #[arg(long)]
        port: Option<u16>,
    },
    /// Print a shell completion script (bash, zsh, fish or powershell).
    #[command(after_help = "Examples:
  strata completions bash > ~/.local/share/bash-completion/completions/strata
  strata completions zsh > ~/.zfunc/_strata       # with fpath+=~/.zfunc in ~/.zshrc
  strata completions fish > ~/.config/fish/completions/strata.fish
  strata completions powershell >> $PROFILE")]
    Completions {
        /// The shell to complete for.
        #[arg(value_enum)]
        shell: commands::shell::Shell,
    },
    /// Print the manual page strata(1), or write it and one page per command into a folder.
    #[command(after_help = "Examples:
  strata man | man -l -
  strata man --out /usr/local/share/man/man1")]
    Man {
        /// Folder to write `strata.1` and `strata-COMMAND.1` pages into (created if missing).
        #[arg(long, short)]
        out: Option<std::path::PathBuf>,
    },
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
    output::set_quiet(cli.quiet);
    // `--dev-url` / `--sql-timeout` after the command name win over those before it.
    let sql = match &cli.command {
        Command::Check { sql, .. }
        | Command::Build { sql, .. }
        | Command::Inspect { sql, .. }
        | Command::Docs { sql, .. }
        | Command::Gen { sql, .. } => sql.or(&cli.sql),
        Command::Apply(a) => a.sql.or(&cli.sql),
        Command::Diff(a) => a.sql.or(&cli.sql),
        Command::Lint(a) => a.sql.or(&cli.sql),
        Command::Seed(a) => a.sql.or(&cli.sql),
        Command::Verify(a) => a.sql.or(&cli.sql),
        Command::Migrate(m) => m
            .action
            .sql()
            .map_or_else(|| cli.sql.clone(), |s| s.or(&cli.sql)),
        _ => cli.sql.clone(),
    };
    source::set_sql_timeout(std::time::Duration::from_secs_f64(
        sql.sql_timeout.unwrap_or(30.0),
    ));
    let dev_url = sql.dev_url;
    let result = match cli.command {
        Command::Check {
            src,
            format,
            explain_indexes,
            ..
        } => {
            let opts = source::SourceOptions {
                dev_url: dev_url.clone(),
                ..Default::default()
            };
            commands::check::run(&src, &opts, format, color, explain_indexes)
        }
        Command::Build {
            src, out, format, ..
        } => {
            let opts = source::SourceOptions {
                dev_url: dev_url.clone(),
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
            ..
        } => filter.filter().and_then(|filter| {
            let opts = source::SourceOptions {
                dev_url: dev_url.clone(),
                schemas,
                filter,
            };
            commands::inspect::run(&src, &opts, format, out.as_deref(), color)
        }),
        Command::Dev { port } => commands::dev::run(port),
        Command::Completions { shell } => {
            commands::shell::completions(<Cli as clap::CommandFactory>::command(), shell)
        }
        Command::Man { out } => {
            commands::shell::man(<Cli as clap::CommandFactory>::command(), out.as_deref())
        }
        Command::Migrate(args) => commands::migrate::run(args, dev_url.as_deref(), color),
        Command::Apply(args) => commands::apply::run(args, dev_url.as_deref(), color),
        Command::Seed(args) => commands::seed::run(args, dev_url.as_deref(), color),
        Command::Verify(args) => commands::verify::run(args, dev_url.as_deref(), color),
        Command::Advise(args) => commands::advise::run(args, dev_url.as_deref(), color),
        Command::Diff(args) => commands::diff::run(args, dev_url.as_deref(), color),
        Command::Lint(args) => commands::lint::run(args, dev_url.as_deref(), color),
        Command::Gen {
            target,
            src,
            out,
            models_package,
            rows,
            seed,
            filter,
            ..
        } => filter.filter().and_then(|filter| {
            let opts = source::SourceOptions {
                dev_url: dev_url.clone(),
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
            ..
        } => filter.filter().and_then(|filter| {
            let opts = source::SourceOptions {
                dev_url: dev_url.clone(),
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

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    /// Every command (and its subcommands), with its full name.
    fn commands() -> Vec<(String, clap::Command)> {
        let mut root = super::Cli::command();
        root.build();
        let mut out = Vec::new();
        let mut todo = vec![("strata".to_string(), root)];
        while let Some((name, cmd)) = todo.pop() {
            for sub in cmd.get_subcommands() {
                if sub.get_name() != "help" {
                    todo.push((format!("{name} {}", sub.get_name()), sub.clone()));
                }
            }
            out.push((name, cmd));
        }
        out
    }

    /// `--help` describes every argument and option of every command.
    #[test]
    fn every_argument_is_described() {
        let mut missing = Vec::new();
        for (name, cmd) in commands() {
            for arg in cmd.get_arguments() {
                let id = arg.get_id().as_str();
                if matches!(id, "help" | "version") {
                    continue;
                }
                if arg
                    .get_help()
                    .is_none_or(|h| h.to_string().trim().is_empty())
                {
                    missing.push(format!("{name}: {id}"));
                }
            }
        }
        assert!(missing.is_empty(), "undescribed:\n{}", missing.join("\n"));
    }

    /// Every command's `--help` ends with examples.
    #[test]
    fn every_command_has_examples() {
        let missing: Vec<String> = commands()
            .into_iter()
            .filter(|(_, cmd)| {
                !cmd.get_after_help()
                    .is_some_and(|h| h.to_string().starts_with("Examples:"))
            })
            .map(|(name, _)| name)
            .collect();
        assert!(missing.is_empty(), "no examples:\n{}", missing.join("\n"));
    }

    /// The generated completion and manual pages build from the definitions (clap's own
    /// consistency checks included).
    #[test]
    fn definitions_are_consistent() {
        super::Cli::command().debug_assert();
    }
}
