//! `strata apply --to SRC [URL]`: declarative apply. Plans from the live database to SRC,
//! shows the plan and its hazards, asks for confirmation (or `--yes`), then applies it —
//! unless the database changed in between.
//!
//! The change check: the introspected model is fingerprinted (SHA-256 of its JSON) when the
//! plan is made; before executing, the migration advisory lock is taken (so no `strata
//! migrate` runs at the same time), the database is introspected again and the fingerprints
//! compared.

use std::io::{BufRead, IsTerminal, Write};

use anyhow::Context as _;
use clap::Args;
use strata_migrate::lock::Wait;
use strata_model::Model;

use super::migrate_new::{Scratch, introspect_filtered, load_target};
use crate::connect::{self, Session};
use crate::{EXIT_ERROR, EXIT_FINDINGS, output};

#[derive(Args)]
pub struct ApplyArgs {
    #[command(flatten)]
    pub sql: crate::source::SqlInputArgs,
    /// The schema to reach: a `.strata` file or folder, a `.sql` file or a database URL.
    #[arg(long, value_name = "SRC")]
    pub to: String,
    /// The database to change (default: DATABASE_URL, then the PG* variables like psql).
    pub url: Option<String>,
    /// Apply without asking (required when standard input is not a terminal).
    #[arg(long, short)]
    pub yes: bool,
    /// Allow a hazard code (repeatable; `all` allows every hazard).
    #[arg(long = "allow-hazard", value_name = "CODE")]
    pub allow_hazard: Vec<String>,
    /// Stop at once when a migrator holds the migration lock instead of waiting.
    #[arg(long)]
    pub no_wait: bool,
    /// Also revoke grants that --to does not declare (left alone by default).
    #[arg(long)]
    pub prune: bool,
    #[command(flatten)]
    pub filter: crate::source::FilterArgs,
}

fn fingerprint(model: &Model) -> String {
    strata_migrate::sum::hex_sha256(model.to_json().as_bytes())
}

pub fn run(args: ApplyArgs, dev_url: Option<&str>, color: bool) -> anyhow::Result<u8> {
    for code in &args.allow_hazard {
        if code != "all" && strata_diff::Hazard::from_code(code).is_none() {
            let known: Vec<&str> = strata_diff::Hazard::ALL.iter().map(|h| h.code()).collect();
            anyhow::bail!(
                "unknown hazard code {code:?} for --allow-hazard: use one of {}, or all",
                known.join(", ")
            );
        }
    }
    let filter = args.filter.filter()?;
    let mut db = connect::connect(args.url.as_deref(), Session::Needed)?;
    let mut scratch = Scratch::new(dev_url)?;
    let Some(target) = load_target(&args.to, dev_url, &filter, &mut scratch, color)? else {
        output::stderr("nothing was applied: fix the errors above\n");
        return Ok(EXIT_ERROR);
    };
    drop(scratch);
    // The live side through the same filter: what it leaves out, the plan never touches.
    let mut live = strata_pg::introspect(&mut db.client, &Default::default())?.model;
    let mut notes = Vec::new();
    crate::source::apply_filter(&filter, &mut live, &mut Vec::new(), &mut notes);
    super::report_human(&notes, &strata_diagnostics::SourceMap::new(), color);
    let seen = fingerprint(&live);
    let opts = strata_diff::PlanOptions {
        prune: args.prune,
        ..strata_diff::PlanOptions::default()
    };
    let plan = strata_diff::plan(&live, &target, &opts)?;
    output::stderr(&super::diff::left_alone_text(&strata_diff::left_alone(
        &live, &target, &opts,
    )));
    if plan.is_empty() {
        output::info(&format!(
            "nothing to do: {} already has the schema of {}\n",
            db.info, args.to
        ));
        return Ok(0);
    }
    output::stdout(&plan.up_sql())?;
    for hint in strata_diff::rename_hints(&live, &target) {
        output::stderr(&format!("hint: {hint}\n"));
    }
    let failures = super::diff::certain_failures(&mut db.client, &plan.steps);
    if !failures.is_empty() {
        for f in &failures {
            output::stderr(&format!("error: {f}\n"));
        }
        output::stderr("nothing was applied\n");
        return Ok(EXIT_ERROR);
    }
    let hazards = plan.hazards();
    let allowed = |h: &strata_diff::Hazard| {
        args.allow_hazard
            .iter()
            .any(|a| a == "all" || a == h.code())
    };
    let blocking: Vec<&str> = hazards
        .iter()
        .filter(|h| !allowed(h))
        .map(|h| h.code())
        .collect();
    output::stderr(&format!(
        "plan: {} step(s) for {}{}\n",
        plan.steps.len(),
        db.info,
        if hazards.is_empty() {
            String::new()
        } else {
            let all: Vec<&str> = hazards.iter().map(|h| h.code()).collect();
            format!("; hazards: {}", all.join(", "))
        }
    ));
    if !blocking.is_empty() {
        output::stderr(&format!(
            "not applied: the plan has hazards that are not allowed: {}. Review the steps above; pass --allow-hazard CODE for each one you accept (or --allow-hazard all)\n",
            blocking.join(", ")
        ));
        return Ok(EXIT_FINDINGS);
    }
    if !args.yes {
        if !std::io::stdin().is_terminal() {
            anyhow::bail!(
                "refusing to apply without confirmation: standard input is not a terminal; review the plan and pass --yes"
            );
        }
        output::stderr(&format!("apply these {} step(s)? [y/N] ", plan.steps.len()));
        let _ = std::io::stderr().flush();
        let mut answer = String::new();
        std::io::stdin()
            .lock()
            .read_line(&mut answer)
            .context("cannot read the answer")?;
        if !matches!(answer.trim(), "y" | "Y" | "yes" | "YES" | "Yes") {
            output::stderr("not applied\n");
            return Ok(EXIT_ERROR);
        }
    }
    let wait = if args.no_wait { Wait::No } else { Wait::Yes };
    let mut on_wait = |h: Option<&strata_migrate::lock::Holder>| {
        output::info(&format!(
            "waiting for the migration lock{} ...\n",
            h.map(|h| format!(", held by {h}")).unwrap_or_default()
        ));
    };
    let client = &mut db.client;
    let _ = client.batch_execute("SET application_name = 'strata apply'");
    strata_migrate::lock::acquire(client, wait, &mut on_wait)?;
    let result = (|| -> anyhow::Result<()> {
        let now = introspect_filtered(client, &filter)?;
        if fingerprint(&now) != seen {
            anyhow::bail!(
                "the database changed after the plan was made: nothing was applied; run `strata apply` again to see the new plan"
            );
        }
        execute(client, &plan)
    })();
    let _ = strata_migrate::lock::release(client);
    result?;
    output::info(&format!("applied {} step(s)\n", plan.steps.len()));
    Ok(0)
}

/// Runs of transactional steps in one transaction each; other steps alone.
fn execute(
    client: &mut strata_pg::postgres::Client,
    plan: &strata_diff::Plan,
) -> anyhow::Result<()> {
    let timeout = plan.lock_timeout.as_deref();
    let mut i = 0;
    while i < plan.steps.len() {
        let step = &plan.steps[i];
        if !step.transactional {
            if let Some(t) = timeout.filter(|_| step.takes != strata_diff::LockLevel::None) {
                client.batch_execute(&format!(
                    "SET lock_timeout = {}",
                    strata_model::quote_literal(t)
                ))?;
            }
            let r = client.batch_execute(&step.sql);
            let _ = client.batch_execute("RESET lock_timeout");
            r.map_err(|e| step_error(e, step, i))?;
            i += 1;
            continue;
        }
        let mut tx = client.transaction()?;
        while i < plan.steps.len() && plan.steps[i].transactional {
            let step = &plan.steps[i];
            if let Some(t) = timeout.filter(|_| step.takes != strata_diff::LockLevel::None) {
                tx.batch_execute(&format!(
                    "SET LOCAL lock_timeout = {}",
                    strata_model::quote_literal(t)
                ))?;
            }
            tx.batch_execute(&step.sql)
                .map_err(|e| step_error(e, step, i))?;
            i += 1;
        }
        tx.commit()?;
    }
    Ok(())
}

fn step_error(e: strata_pg::postgres::Error, step: &strata_diff::Step, i: usize) -> anyhow::Error {
    let msg = match e.as_db_error() {
        Some(db) => format!("{} (SQLSTATE {})", db.message(), db.code().code()),
        None => e.to_string(),
    };
    anyhow::anyhow!(
        "step {} ({}) failed: {msg}; its transaction was rolled back (steps before it that ran outside a transaction, or in an earlier transaction, stay applied): check the database and run `strata apply` again",
        i + 1,
        step.description
    )
}
