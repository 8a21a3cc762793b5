//! `strata migrate`: versioned migrations (see docs/migrations.md).
//!
//! - `new NAME`: plan from what the folder builds to the designed schema, write the files.
//! - `apply [--to N]`, `down [N]`, `status`, `verify`, `resolve N`: the runner of
//!   `strata-migrate` against `--url` / `DATABASE_URL`.
//! - `hash`: rewrite `strata.sum` after editing a migration by hand.

use std::path::{Path, PathBuf};

use anyhow::Context as _;
use clap::{Args, Subcommand, ValueEnum};
use strata_migrate::Folder;
use strata_migrate::lock::Wait;
use strata_migrate::runner::{self, Event, Resolution, State};

use crate::connect::{self, Session};
use crate::{EXIT_FINDINGS, output};

#[derive(Args)]
pub struct MigrateArgs {
    #[command(subcommand)]
    pub action: Action,
    /// The migrations folder.
    #[arg(long, global = true, default_value = "migrations", value_name = "DIR")]
    pub dir: PathBuf,
    /// The database (default: DATABASE_URL, then the PG* variables like psql).
    #[arg(long, global = true, value_name = "URL")]
    pub url: Option<String>,
}

#[derive(Copy, Clone, PartialEq, Eq, ValueEnum, Default, Debug)]
pub enum NewFormat {
    /// `NNNN_name.up.sql` and `NNNN_name.down.sql`, recorded in `strata.sum`.
    #[default]
    Sql,
    /// An Alembic revision (`NNNN_name.py`) chained to the folder's latest revision.
    Alembic,
}

#[derive(Subcommand)]
pub enum Action {
    /// Write the next migration: the plan from what the folder's migrations build to SRC.
    #[command(after_help = "Examples:
  strata migrate new add_due_date --to schema/
  strata migrate new initial --to \"$DATABASE_URL\"
  strata migrate new drop_notes --to schema/ --allow-hazard deletes_data")]
    New {
        /// The migration's name (`add_due_date`); becomes `NNNN_add_due_date.up.sql`.
        name: String,
        /// The schema wanted: a `.strata` file or folder, a `.sql` file or a database URL
        /// (default: the current folder). `--to`, as in `strata diff` and `strata apply`;
        /// `--schema` is the older spelling.
        #[arg(long = "to", alias = "schema", value_name = "SRC", default_value = ".")]
        schema: String,
        /// `sql` (up and down files recorded in strata.sum) or `alembic` (a revision).
        #[arg(long, value_enum, default_value_t = NewFormat::Sql)]
        format: NewFormat,
        /// Accept a hazard code after review (repeatable; `all`): recorded in the up file as
        /// `-- strata:allow-hazard CODE`. Exit 1 when the plan has a hazard not allowed.
        #[arg(long = "allow-hazard", value_name = "CODE")]
        allow_hazard: Vec<String>,
        #[command(flatten)]
        sql: crate::source::SqlInputArgs,
    },
    /// Apply pending migrations (all, or up to version N).
    #[command(after_help = "Examples:
  strata migrate apply --url \"$DATABASE_URL\"
  strata migrate apply --to 3 --wait-timeout 60")]
    Apply {
        /// Apply up to and including this version (default: all pending).
        #[arg(long, value_name = "N")]
        to: Option<u64>,
        /// Stop at once when another migrator holds the lock instead of waiting.
        #[arg(long, conflicts_with = "wait_timeout")]
        no_wait: bool,
        /// Wait at most this many seconds for another migrator to finish (default: no limit).
        #[arg(long, value_name = "SECONDS")]
        wait_timeout: Option<u64>,
        /// Apply migrations with statements of this hazard (repeatable; `all`). Without it, a
        /// pending migration that deletes data must say `-- strata:allow-hazard deletes_data`.
        #[arg(long = "allow-hazard", value_name = "CODE")]
        allow_hazard: Vec<String>,
    },
    /// Roll back the last N applied migrations (default 1).
    #[command(after_help = "Examples:
  strata migrate down
  strata migrate down 2 --no-wait")]
    Down {
        /// How many of the last applied migrations to roll back (1 or more).
        #[arg(default_value_t = 1, value_parser = parse_steps)]
        steps: usize,
        /// Stop at once when another migrator holds the lock instead of waiting.
        #[arg(long, conflicts_with = "wait_timeout")]
        no_wait: bool,
        /// Wait at most this many seconds for another migrator to finish (default: no limit).
        #[arg(long, value_name = "SECONDS")]
        wait_timeout: Option<u64>,
    },
    /// Show every migration and whether the database has it; exit 1 on a problem (a dirty,
    /// changed or unknown migration).
    #[command(after_help = "Examples:
  strata migrate status
  strata migrate status --format json | jq .counts")]
    Status {
        /// `human` (a table) or `json` (one object, for scripts).
        #[arg(long, value_enum, default_value_t = crate::Format::Human)]
        format: crate::Format,
    },
    /// Check strata.sum against the files and the applied migrations against the database.
    #[command(after_help = "Examples:
  strata migrate verify
  strata migrate verify --offline      # in CI, without a database")]
    Verify {
        /// Check only the folder, without a database.
        #[arg(long)]
        offline: bool,
    },
    /// Settle a dirty migration after checking the database by hand.
    #[command(after_help = "Examples:
  strata migrate resolve 4 --applied
  strata migrate resolve 4 --rolled-back")]
    Resolve {
        /// The dirty migration's version (`strata migrate status` shows it).
        #[arg(value_name = "VERSION")]
        number: u64,
        /// The migration is fully applied.
        #[arg(
            long,
            conflicts_with = "rolled_back",
            required_unless_present = "rolled_back"
        )]
        applied: bool,
        /// None of the migration is applied.
        #[arg(long)]
        rolled_back: bool,
    },
    /// Record migrations 1..N as applied to a database that already has their schema (built
    /// without strata), after checking that it matches the folder replayed to N.
    #[command(after_help = "Examples:
  strata migrate new initial --to \"$DATABASE_URL\" && strata migrate baseline 1")]
    Baseline {
        /// The last migration the database already has: 1..VERSION are recorded.
        #[arg(value_name = "VERSION")]
        number: u64,
        #[command(flatten)]
        sql: crate::source::SqlInputArgs,
    },
    /// Rewrite strata.sum for the files as they are (after writing or editing one by hand).
    #[command(after_help = "Examples:
  strata migrate hash --dir migrations")]
    Hash,
}

impl Action {
    /// Where SQL input goes, for the actions that build schemas (`new`, `baseline`).
    pub fn sql(&self) -> Option<&crate::source::SqlInputArgs> {
        match self {
            Action::New { sql, .. } | Action::Baseline { sql, .. } => Some(sql),
            _ => None,
        }
    }
}

pub fn run(args: MigrateArgs, dev_url: Option<&str>, color: bool) -> anyhow::Result<u8> {
    match args.action {
        Action::New {
            name,
            schema,
            format,
            allow_hazard,
            sql: _,
        } => super::migrate_new::run(
            &args.dir,
            &name,
            &schema,
            format,
            &allow_hazard,
            dev_url,
            color,
        ),
        Action::Apply {
            to,
            no_wait,
            wait_timeout,
            allow_hazard,
        } => {
            // Unknown codes are refused before connecting.
            super::diff::disallowed(&[], &allow_hazard)?;
            let folder = read_verified(&args.dir)?;
            let mut db = connect::connect(args.url.as_deref(), Session::Needed)?;
            let done = runner::with_lock(
                &mut db.client,
                wait(no_wait, wait_timeout),
                &mut on_wait,
                |c| runner::apply_checked(c, &folder, to, &allow_hazard, &mut progress),
            );
            let done = match done {
                Err(e @ strata_migrate::RunError::Hazard { .. }) => {
                    output::error(&e.to_string(), color);
                    return Ok(EXIT_FINDINGS);
                }
                other => other?,
            };
            if done.is_empty() {
                output::info("nothing to apply: the database is up to date\n");
            } else {
                output::info(&format!("applied {} migration(s)\n", done.len()));
            }
            Ok(0)
        }
        Action::Down {
            steps,
            no_wait,
            wait_timeout,
        } => {
            let folder = read_verified(&args.dir)?;
            let mut db = connect::connect(args.url.as_deref(), Session::Needed)?;
            let done = runner::with_lock(
                &mut db.client,
                wait(no_wait, wait_timeout),
                &mut on_wait,
                |c| runner::down(c, &folder, steps, &mut progress),
            )?;
            if done.is_empty() {
                output::info("nothing to roll back: no migration is applied\n");
            } else {
                output::info(&format!("rolled back {} migration(s)\n", done.len()));
            }
            Ok(0)
        }
        Action::Status { format } => status(&args.dir, args.url.as_deref(), format),
        Action::Verify { offline } => verify(&args.dir, args.url.as_deref(), offline),
        Action::Resolve {
            number: version,
            applied,
            rolled_back: _,
        } => {
            let how = if applied {
                Resolution::Applied
            } else {
                Resolution::RolledBack
            };
            let mut db = connect::connect(args.url.as_deref(), Session::Needed)?;
            runner::with_lock(&mut db.client, Wait::Yes, &mut on_wait, |c| {
                runner::resolve(c, version, how)
            })?;
            output::info(&format!(
                "migration {version} marked {}\n",
                if applied { "applied" } else { "rolled back" }
            ));
            Ok(0)
        }
        Action::Baseline { number, .. } => {
            baseline(&args.dir, args.url.as_deref(), number, dev_url)
        }
        Action::Hash => {
            let folder = read_folder(&args.dir)?;
            folder.write_sum()?;
            output::info(&format!(
                "wrote {} ({} migration(s))\n",
                folder.sum_path().display(),
                folder.migrations.len()
            ));
            Ok(0)
        }
    }
}

/// `migrate down N`: a count of migrations; 0 would roll back nothing and say so misleadingly.
fn parse_steps(text: &str) -> Result<usize, String> {
    match text.trim().parse::<usize>() {
        Ok(0) => Err(
            "0 rolls nothing back: give how many of the last applied migrations to \
             roll back (1 or more; `strata migrate status` lists them)"
                .into(),
        ),
        Ok(n) => Ok(n),
        Err(_) => Err(format!(
            "{text:?} is not a number of migrations: give how many of the last applied \
             migrations to roll back, e.g. 1"
        )),
    }
}

fn wait(no_wait: bool, timeout: Option<u64>) -> Wait {
    match (no_wait, timeout) {
        (true, _) => Wait::No,
        (false, Some(s)) => Wait::Until(std::time::Duration::from_secs(s)),
        (false, None) => Wait::Yes,
    }
}

fn on_wait(holder: Option<&strata_migrate::lock::Holder>) {
    match holder {
        Some(h) => output::info(&format!(
            "waiting for the migration lock, held by another migrator ({h}) ...\n"
        )),
        None => output::info("waiting for the migration lock, held by another migrator ...\n"),
    }
}

fn progress(event: Event) {
    match event {
        Event::Start {
            migration,
            down,
            no_transaction,
        } => {
            let verb = if down { "rolling back" } else { "applying" };
            let how = match no_transaction {
                None => String::new(),
                Some(why) => format!(" (statement by statement: {why})"),
            };
            output::info(&format!("{verb} {}{how}\n", migration.id()));
        }
        Event::Statement { index, total, .. } => {
            output::info(&format!("  statement {}/{total}\n", index + 1));
        }
        Event::Done {
            migration,
            down,
            millis,
        } => {
            let verb = if down { "rolled back" } else { "applied" };
            output::info(&format!("{verb} {} in {millis} ms\n", migration.id()));
        }
    }
}

pub fn read_folder(dir: &Path) -> anyhow::Result<Folder> {
    if !dir.is_dir() {
        anyhow::bail!(
            "the migrations folder {} does not exist: pass --dir, or write a first migration with `strata migrate new NAME`",
            dir.display()
        );
    }
    Ok(Folder::read(dir)?)
}

/// The folder, refused when strata.sum does not match it.
pub fn read_verified(dir: &Path) -> anyhow::Result<Folder> {
    let folder = read_folder(dir)?;
    folder.verify_sum()?;
    Ok(folder)
}

fn status(dir: &Path, url: Option<&str>, format: crate::Format) -> anyhow::Result<u8> {
    let folder = read_folder(dir)?;
    let sum_error = folder.verify_sum().err().map(|e| e.to_string());
    let sum = match &sum_error {
        None => "strata.sum ok".to_string(),
        Some(e) => format!("strata.sum: {e}"),
    };
    let mut db = connect::connect(url, Session::NotNeeded)?;
    let st = runner::status(&mut db.client, &folder)?;
    if format == crate::Format::Json {
        return status_json(dir, &folder, sum_error, &db.info.to_string(), &st);
    }
    let mut out = format!(
        "migrations: {} ({} migration(s); {sum})\ndatabase: {}\n",
        dir.display(),
        folder.migrations.len(),
        db.info
    );
    let width = st
        .migrations
        .iter()
        .map(|(m, _)| m.id().len())
        .max()
        .unwrap_or(0);
    let (mut applied, mut pending, mut problems) = (0, 0, 0);
    for (m, state) in &st.migrations {
        let text = match state {
            State::Applied(a) => {
                applied += 1;
                format!(
                    "applied {}{}{}",
                    if a.baseline { "(baseline) " } else { "" },
                    a.applied_at,
                    a.duration_ms
                        .map(|d| format!(" ({d} ms)"))
                        .unwrap_or_default()
                )
            }
            State::Pending => {
                pending += 1;
                "pending".to_string()
            }
            State::Dirty(a) => {
                problems += 1;
                format!(
                    "DIRTY: {} stopped after {} of {} statement(s); see `strata migrate apply` for how to resolve",
                    a.operation, a.statements_done, a.statements_total
                )
            }
            State::Changed(a, why) => {
                problems += 1;
                let what = if a.name != m.name {
                    "RENAMED"
                } else {
                    "CHANGED"
                };
                format!("{what} after it was applied: {why}")
            }
        };
        out.push_str(&format!("  {:width$}  {text}\n", m.id()));
    }
    for a in &st.not_in_folder {
        problems += 1;
        out.push_str(&format!(
            "  {:width$}  APPLIED but not in the folder\n",
            a.id()
        ));
    }
    out.push_str(&format!(
        "{applied} applied, {pending} pending{}\n",
        if problems > 0 {
            format!(", {problems} problem(s)")
        } else {
            String::new()
        }
    ));
    output::stdout(&out)?;
    Ok(if problems > 0 { EXIT_FINDINGS } else { 0 })
}

/// `migrate status --format json`: one object, the same facts as the human report.
fn status_json(
    dir: &Path,
    folder: &Folder,
    sum_error: Option<String>,
    database: &str,
    st: &runner::Status,
) -> anyhow::Result<u8> {
    use serde_json::json;
    let applied_json = |a: &strata_migrate::history::Applied| {
        json!({
            "applied_at": a.applied_at,
            "duration_ms": a.duration_ms,
            "baseline": a.baseline,
        })
    };
    let (mut applied, mut pending, mut problems) = (0, 0, 0);
    let mut migrations = Vec::new();
    for (m, state) in &st.migrations {
        let mut entry = json!({ "version": m.version, "name": m.name, "id": m.id() });
        let extra = match state {
            State::Applied(a) => {
                applied += 1;
                json!({ "state": "applied", "applied": applied_json(a) })
            }
            State::Pending => {
                pending += 1;
                json!({ "state": "pending" })
            }
            State::Dirty(a) => {
                problems += 1;
                json!({
                    "state": "dirty",
                    "operation": a.operation,
                    "statements_done": a.statements_done,
                    "statements_total": a.statements_total,
                    "error": a.error,
                })
            }
            State::Changed(a, why) => {
                problems += 1;
                json!({
                    "state": if a.name != m.name { "renamed" } else { "changed" },
                    "detail": why,
                    "applied": applied_json(a),
                })
            }
        };
        if let (Some(e), Some(x)) = (entry.as_object_mut(), extra.as_object()) {
            e.extend(x.clone());
        }
        migrations.push(entry);
    }
    let not_in_folder: Vec<serde_json::Value> = st
        .not_in_folder
        .iter()
        .map(|a| json!({ "version": a.version, "name": a.name, "id": a.id(), "applied": applied_json(a) }))
        .collect();
    problems += not_in_folder.len();
    let report = json!({
        "folder": dir.display().to_string(),
        "database": database,
        "sum": { "ok": sum_error.is_none(), "error": sum_error },
        "migrations": migrations,
        "not_in_folder": not_in_folder,
        "counts": { "total": folder.migrations.len(), "applied": applied, "pending": pending, "problems": problems },
    });
    output::stdout(&format!("{}\n", serde_json::to_string_pretty(&report)?))?;
    Ok(if problems > 0 { EXIT_FINDINGS } else { 0 })
}

/// `migrate baseline N`: the database must have no history and the schema the folder's
/// migrations 1..N build (replayed on a scratch database, introspected and planned against
/// the live one, the history schema left out); then 1..N are recorded, in one transaction
/// with the history table.
fn baseline(
    dir: &Path,
    url: Option<&str>,
    version: u64,
    dev_url: Option<&str>,
) -> anyhow::Result<u8> {
    let folder = read_verified(dir)?;
    let Some(last) = folder.get(version) else {
        return Err(strata_migrate::RunError::UnknownTarget { version }.into());
    };
    let last = last.id();
    let mut db = connect::connect(url, Session::Needed)?;
    let client = &mut db.client;
    let _ = client.batch_execute("SET application_name = 'strata migrate'");
    strata_migrate::lock::acquire(client, Wait::Yes, &mut on_wait)?;
    let result = (|| -> anyhow::Result<u8> {
        runner::check_baseline(client)?;
        let live = super::migrate_new::introspect(client)?;
        let mut scratch = super::migrate_new::Scratch::new(dev_url)?;
        let mut replay = scratch
            .replay(&folder, Some(version))
            .context("replaying the migrations folder failed")?;
        let built = super::migrate_new::introspect(&mut replay)?;
        drop(replay);
        drop(scratch);
        let plan = strata_diff::plan(&live, &built, &strata_diff::PlanOptions::default())
            .context("cannot compare the database with the migrations")?;
        if !plan.is_empty() {
            output::stderr(&format!(
                "error: the database does not match the migrations up to {last}, so recording them as applied would be wrong. What it would take to make the database match them ({} step(s)):\n{}\nMake the database match (or baseline a lower version), then run `strata migrate baseline {version}` again; nothing was recorded\n",
                plan.steps.len(),
                plan.up_sql()
            ));
            return Ok(EXIT_FINDINGS);
        }
        let done = runner::baseline(client, &folder, version)?;
        for v in &done {
            if let Some(m) = folder.get(*v) {
                output::info(&format!("recorded {} as applied (baseline)\n", m.id()));
            }
        }
        output::info(&format!(
            "baseline: {} migration(s) recorded without running them; `strata migrate apply` runs the rest\n",
            done.len()
        ));
        Ok(0)
    })();
    let _ = strata_migrate::lock::release(client);
    result
}

fn verify(dir: &Path, url: Option<&str>, offline: bool) -> anyhow::Result<u8> {
    let folder = read_verified(dir)?;
    output::info(&format!(
        "strata.sum matches the {} migration(s) of {}\n",
        folder.migrations.len(),
        dir.display()
    ));
    if offline {
        return Ok(0);
    }
    let mut db = connect::connect(url, Session::NotNeeded)?;
    let applied = strata_migrate::history::read(&mut db.client)?;
    runner::check_history(&folder, &applied)?;
    output::info(&format!(
        "the {} migration(s) applied to {} match their files\n",
        applied.len(),
        db.info
    ));
    Ok(0)
}
