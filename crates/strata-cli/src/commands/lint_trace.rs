//! `strata lint --trace MIGRATION` and `strata lint --from SRC --to SRC`: the migration rules
//! over one migration (a `.sql` file or a `strata migrate` folder) or over the plan `strata
//! diff` makes, and with `--trace` that migration run on a throwaway database holding the
//! schema before it, statement by statement, with the locks, rewrites and `lock_timeout` the
//! server really had next to what the rules predicted ([`strata_lint::trace`]).

use std::path::Path;

use anyhow::Context as _;
use strata_lint::migration::{Migration, SqlFile};
use strata_lint::{Config, Suppression};

use super::lint::{LintArgs, LintFormat};
use super::migrate_new::Scratch;
use crate::{EXIT_ERROR, EXIT_FINDINGS, output};

/// The file name plan statements are reported under (their lines are those of `strata diff`'s
/// output for the same `--from` and `--to`).
pub const PLAN_FILE: &str = "plan.sql";

/// The statements `strata diff --from FROM --to TO` would run, as it prints them.
fn plan_text(from: &strata_model::Model, to: &strata_model::Model) -> anyhow::Result<String> {
    let opts = strata_diff::PlanOptions {
        online: true,
        lock_timeout: Some("5s".into()),
        prune: false,
    };
    let plan = strata_diff::plan(from, to, &opts).context("cannot plan the change")?;
    Ok(super::diff::script_text(&plan))
}

pub fn run(
    args: &LintArgs,
    dev_url: Option<&str>,
    config: &Config,
    color: bool,
) -> anyhow::Result<u8> {
    if args.since.is_some() {
        anyhow::bail!(
            "--since selects the changed migrations of a plain lint; --trace and --to run one whole migration: drop --since"
        );
    }
    let filter = args.filter.filter()?;
    let mut scratch = Scratch::new(dev_url)?;
    let from = match &args.from {
        Some(src) => match super::diff::load_side(src, dev_url, &filter, &mut scratch, color)? {
            Some(model) => Some(model),
            None => {
                output::stderr("nothing linted: fix the errors in --from above\n");
                return Ok(EXIT_ERROR);
            }
        },
        None => None,
    };
    // The migration: the plan from --from to --to, or the one SRC.
    let (files, stop_on_error) = if let Some(to_src) = &args.to {
        if !args.src.is_empty() {
            anyhow::bail!(
                "--to lints the plan from --from to --to: give no SRC with it (lint a migration with `strata lint --trace SRC --from SRC`)"
            );
        }
        let Some(to) = super::diff::load_side(to_src, dev_url, &filter, &mut scratch, color)?
        else {
            output::stderr("nothing linted: fix the errors in --to above\n");
            return Ok(EXIT_ERROR);
        };
        let Some(from_model) = &from else {
            anyhow::bail!("--to needs --from: the schema the plan starts from");
        };
        let text = plan_text(from_model, &to)?;
        (
            vec![SqlFile {
                name: PLAN_FILE.into(),
                text,
                runner_transaction: false,
            }],
            false,
        )
    } else {
        let [src] = args.src.as_slice() else {
            anyhow::bail!(
                "--trace runs one migration: give one `.sql` file or one migrations folder"
            );
        };
        if super::lint_migrations::is_migrations_folder(src) {
            (super::lint_migrations::folder_files(src)?, true)
        } else if Path::new(src).is_file() {
            let text = std::fs::read_to_string(src).with_context(|| format!("reading {src}"))?;
            (
                vec![SqlFile {
                    name: src.clone(),
                    text,
                    runner_transaction: false,
                }],
                false,
            )
        } else {
            anyhow::bail!(
                "--trace runs a migration: {src} is neither a `.sql` file nor a migrations folder"
            );
        }
    };
    let mut suppressions: Vec<Suppression> = Vec::new();
    let mut bad = Vec::new();
    for f in &files {
        let (mut s, b) = strata_lint::suppress::scan_sql(&f.text, Some(&f.name));
        suppressions.append(&mut s);
        bad.extend(
            b.into_iter()
                .map(|b| format!("{}:{}: {}", f.name, b.line, b.message)),
        );
    }
    if !bad.is_empty() {
        for b in &bad {
            output::stderr(&format!("error: {b}\n"));
        }
        return Ok(EXIT_ERROR);
    }
    let mut migration = Migration::read(&files);
    let mut traced = None;
    if args.trace {
        let (url, mut runner) = scratch.database()?;
        let name = url.rsplit('/').next().unwrap_or_default().to_string();
        let before = match &from {
            Some(model) => strata_sql::render(model, &strata_sql::RenderOptions::default())
                .context("cannot write the --from schema as SQL")?,
            None => String::new(),
        };
        let all: String = std::iter::once(before.as_str())
            .chain(files.iter().map(|f| f.text.as_str()))
            .collect::<Vec<_>>()
            .join("\n");
        scratch.prepare_for(&name, &all)?;
        if !before.is_empty() {
            strata_pg::apply_sql(&mut runner, &before).map_err(|e| {
                anyhow::anyhow!("the --from schema does not apply to the throwaway database: {e}")
            })?;
        }
        if let (Some(n), Some(model)) = (args.rows, &from) {
            let sizing = strata_seed::Sizing {
                rows: model
                    .tables
                    .iter()
                    .map(|t| (format!("{}.{}", t.name.schema, t.name.name), n))
                    .collect(),
                ..Default::default()
            };
            let data = strata_seed::Dataset::new(model, &sizing)
                .context("cannot plan rows for the --from schema")?;
            strata_seed::load(&mut runner, &data, &mut strata_seed::Quiet)
                .context("cannot fill the --from schema with rows (--rows)")?;
        }
        let functions = strata_lint::trace::function_volatility(&mut runner)?;
        let domains = strata_lint::trace::constrained_domains(&mut runner)?;
        migration = migration
            .with_server_functions(functions)
            .with_server_domains(domains);
        let findings = lint(&migration, config);
        let mut observer = scratch.connect_to(&name)?;
        let options = strata_lint::trace::Options {
            stop_on_error,
            ..Default::default()
        };
        let trace =
            strata_lint::trace::trace(&mut runner, &mut observer, &migration, &findings, &options)?;
        traced = Some((trace, findings));
    }
    let findings = match traced.as_ref() {
        Some((_, f)) => f.clone(),
        None => lint(&migration, config),
    };
    let ran: Vec<&'static str> = strata_lint::registry()
        .iter()
        .filter(|r| {
            config.level(r).is_some() && matches!(r.check, strata_lint::Check::Migration(_))
        })
        .map(|r| r.code)
        .collect();
    let outcome = strata_lint::finish(findings, &suppressions, &ran);
    let trace = traced.map(|(t, _)| t);
    let text = match (args.format, &trace) {
        (LintFormat::Json, Some(t)) => format!(
            "{}\n",
            serde_json::to_string_pretty(&serde_json::json!({
                "trace": t.steps,
                "findings": outcome.findings,
            }))
            .unwrap_or_default()
        ),
        (LintFormat::Human, Some(t)) => format!(
            "{}\n{}",
            strata_lint::trace::human(t),
            strata_lint::format::human(&outcome)
        ),
        (LintFormat::Json, None) => format!("{}\n", strata_lint::format::json(&outcome)),
        (LintFormat::Human, None) => strata_lint::format::human(&outcome),
        (LintFormat::Sarif, _) => format!("{}\n", strata_lint::format::sarif(&outcome)),
        (LintFormat::Github, _) => strata_lint::format::github(&outcome),
    };
    output::stdout(&text)?;
    if !matches!(args.format, LintFormat::Human | LintFormat::Github) {
        for s in &outcome.stale {
            output::stderr(&format!("{}\n", strata_lint::format::stale_line(s)));
        }
    }
    let mut blocking = !outcome.stale.is_empty()
        || outcome
            .findings
            .iter()
            .any(|f| f.severity != strata_lint::Severity::Info);
    if let Some(t) = &trace {
        for d in t.disagreements() {
            output::stderr(&format!(
                "warning: the static rules and the server disagree at {d}\n"
            ));
            blocking = true;
        }
        if t.steps
            .iter()
            .any(|s| s.status == strata_lint::trace::Status::Failed)
        {
            output::stderr(
                "error: a statement of the migration failed on the server (see the trace)\n",
            );
            blocking = true;
        }
    }
    Ok(if blocking { EXIT_FINDINGS } else { 0 })
}

fn lint(migration: &Migration, config: &Config) -> Vec<strata_lint::Finding> {
    let input = strata_lint::Input {
        migration: Some(migration),
        ..Default::default()
    };
    strata_lint::lint(&input, config, &[]).findings
}
