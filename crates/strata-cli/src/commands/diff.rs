//! `strata diff --from SRC --to SRC`: the migration plan between two schemas.
//!
//! Both sides are brought to server form before comparing: a `.strata` design is rendered,
//! applied to a scratch database and introspected (keeping its `renamed_from` annotations), a
//! `.sql` file is applied and introspected, a migrations folder (`NNNN_name.up.sql` files) is
//! replayed in order and introspected, a database is introspected (without Strata's migration
//! history). The plan prints as a psql script (default) or JSON.

use std::path::Path;

use anyhow::Context as _;
use clap::{Args, ValueEnum};
use strata_diff::{Hazard, PlanOptions};
use strata_model::Model;

use super::migrate_new::{Scratch, introspect, server_form};
use crate::source::{self, SourceKind, SourceOptions};
use crate::{EXIT_ERROR, EXIT_FINDINGS, output};

#[derive(Copy, Clone, PartialEq, Eq, ValueEnum, Default)]
pub enum DiffFormat {
    /// A script psql runs as is.
    #[default]
    Sql,
    /// Steps with SQL, lock level, hazards and reverse; the typed changes.
    Json,
}

#[derive(Args)]
pub struct DiffArgs {
    #[command(flatten)]
    pub sql: crate::source::SqlInputArgs,
    /// The schema now: `.strata` file or folder, `.sql` file, migrations folder, database URL.
    #[arg(long, value_name = "SRC")]
    pub from: String,
    /// The schema wanted (same kinds as --from).
    #[arg(long, value_name = "SRC")]
    pub to: String,
    /// `sql` (a psql script) or `json` (steps with lock level, hazards and reverse).
    #[arg(long, value_enum, default_value_t = DiffFormat::Sql)]
    pub format: DiffFormat,
    /// Allow a hazard code (repeatable; `all` allows every hazard). Exit 1 when the plan has
    /// a hazard not allowed.
    #[arg(long = "allow-hazard", value_name = "CODE")]
    pub allow_hazard: Vec<String>,
    /// Plain statements in one transaction instead of the online-safe forms.
    #[arg(long)]
    pub offline: bool,
    /// `lock_timeout` for every locking step: a number with a unit PostgreSQL knows (`500ms`,
    /// `5s`, `2min`, `1h`, `1d`; a bare number is milliseconds), at most 24 days; `0` leaves
    /// it unset.
    #[arg(long, default_value = "5s", value_name = "DURATION", value_parser = parse_lock_timeout)]
    pub lock_timeout: String,
    /// Also revoke grants that --to does not declare (left alone by default).
    #[arg(long)]
    pub prune: bool,
    #[command(flatten)]
    pub filter: crate::source::FilterArgs,
}

/// A `lock_timeout` PostgreSQL accepts, as the user wrote it (trimmed): `0`, or a number
/// with one of the server's time units, not above its limit (2147483647 ms). Checked here
/// so that a plan never carries a value the server refuses half-way through a migration.
pub fn parse_lock_timeout(text: &str) -> Result<String, String> {
    let value = text.trim();
    let split = value
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(value.len());
    let (number, unit) = value.split_at(split);
    let factor_ms = match unit.trim() {
        "" | "ms" => Some(1.0),
        "us" => Some(0.001),
        "s" => Some(1_000.0),
        "min" => Some(60_000.0),
        "h" => Some(3_600_000.0),
        "d" => Some(86_400_000.0),
        _ => None,
    };
    match (number.parse::<f64>(), factor_ms) {
        (Ok(n), Some(f)) if n.is_finite() && n * f <= 2_147_483_647.0 => Ok(value.to_string()),
        (Ok(_), Some(_)) => Err(format!(
            "{text:?} is longer than PostgreSQL allows for lock_timeout (about 24 days); \
             a migration step should give up far sooner, e.g. 5s"
        )),
        _ => Err(format!(
            "{text:?} is not a duration PostgreSQL understands: write a number with a unit \
             (us, ms, s, min, h, d), e.g. 5s, 500ms or 2min, or 0 for no limit"
        )),
    }
}

/// Steps certain to fail on the rows the database behind `client` has (a `NOT NULL` column
/// without a default added to a table with rows): one message each, with the way out.
pub fn certain_failures(
    client: &mut strata_pg::postgres::Client,
    steps: &[strata_diff::Step],
) -> Vec<String> {
    let mut out = Vec::new();
    for (i, step) in steps.iter().enumerate() {
        let (Some(query), Some(table)) = (step.fails_on_rows(), &step.needs_empty) else {
            continue;
        };
        // A table the role cannot read stays a `may_fail` hazard.
        let has_rows = client
            .query_one(query.as_str(), &[])
            .ok()
            .and_then(|r| r.try_get::<_, bool>(0).ok());
        if has_rows == Some(true) {
            out.push(format!(
                "step {} ({}) would fail: {}.{} has rows, and a NOT NULL column without a default cannot be added to a table with rows. Give the field a default (`= value`), or add it optional, fill it in, then make it required in a later change",
                i + 1,
                step.description,
                table.schema,
                table.name
            ));
        }
    }
    out
}

/// Says what the plan leaves alone: grants by grantee, then bookkeeping tables.
pub fn left_alone_text(items: &[strata_diff::LeftAlone]) -> String {
    left_alone_text_with(items, "pass --prune to revoke")
}

/// [`left_alone_text`] with the command's own way to revoke the grants (`how` + " it/them").
pub fn left_alone_text_with(items: &[strata_diff::LeftAlone], how: &str) -> String {
    use std::collections::BTreeMap;
    let mut by_grantee: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    let mut out = String::new();
    for item in items {
        match item {
            strata_diff::LeftAlone::Grant { grant, grantee, .. } => {
                by_grantee.entry(grantee).or_default().push(grant);
            }
            strata_diff::LeftAlone::BookkeepingTable { table } => out.push_str(&format!(
                "left alone: table {table}, a migration tool's bookkeeping (never dropped)\n"
            )),
        }
    }
    for (grantee, grants) in by_grantee {
        let n = grants.len();
        out.push_str(&format!(
            "left alone: {n} grant{} to {grantee} not in the design; {how} {}\n",
            if n == 1 { "" } else { "s" },
            if n == 1 { "it" } else { "them" }
        ));
        for g in grants.iter().take(5) {
            out.push_str(&format!("  {g}\n"));
        }
        if n > 5 {
            out.push_str(&format!("  ... and {} more\n", n - 5));
        }
    }
    out
}

/// A folder of `NNNN_name.up.sql` files and no `.strata` files.
pub fn is_migrations_folder(path: &Path) -> bool {
    let Ok(entries) = std::fs::read_dir(path) else {
        return false;
    };
    let names: Vec<String> = entries
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().to_string())
        .collect();
    names.iter().any(|n| n.ends_with(".up.sql")) && !names.iter().any(|n| n.ends_with(".strata"))
}

/// One side of a diff (or the schema before a traced migration) as a model: a migrations
/// folder replayed, a `.strata` design in server form, SQL or a database read back. `None` when
/// it has errors (reported).
pub fn load_side(
    src: &str,
    dev_url: Option<&str>,
    filter: &strata_model::filter::ObjectFilter,
    scratch: &mut Scratch,
    color: bool,
) -> anyhow::Result<Option<Model>> {
    let path = Path::new(src);
    if !source::is_database(src) && path.is_dir() && is_migrations_folder(path) {
        let folder = strata_migrate::Folder::read(path)
            .with_context(|| format!("cannot read the migrations folder {src}"))?;
        let mut client = scratch
            .replay(&folder, None)
            .with_context(|| format!("replaying the migrations folder {src} failed"))?;
        let mut model = introspect(&mut client)?;
        let mut notes = Vec::new();
        source::apply_filter(filter, &mut model, &mut Vec::new(), &mut notes);
        super::report_human(&notes, &strata_diagnostics::SourceMap::new(), color);
        return Ok(Some(model));
    }
    let opts = SourceOptions {
        dev_url: dev_url.map(str::to_string),
        filter: filter.clone(),
        ..Default::default()
    };
    let loaded = source::load(src, &opts)?;
    super::report_human(&loaded.diagnostics, &loaded.sources, color);
    if loaded.has_errors() {
        return Ok(None);
    }
    Ok(Some(match loaded.kind {
        SourceKind::Strata => server_form(&loaded.model, scratch)?,
        SourceKind::Sql | SourceKind::Database => loaded.model,
    }))
}

/// The plan as `strata diff` prints it: a header with the step count and hazards, then the
/// psql script (`strata lint --from --to` reports lines of this text).
pub fn script_text(plan: &strata_diff::Plan) -> String {
    if plan.is_empty() {
        return "-- no changes\n".into();
    }
    let mut text = format!("-- strata diff: {} step(s)", plan.steps.len());
    let hazards = plan.hazards();
    if !hazards.is_empty() {
        let codes: Vec<&str> = hazards.iter().map(|h| h.code()).collect();
        text.push_str(&format!("; hazards: {}", codes.join(", ")));
    }
    text.push_str("\n\n");
    text.push_str(&plan.up_sql());
    text
}

/// The hazards of `hazards` that `allowed` does not allow; an unknown code is an error.
pub fn disallowed(hazards: &[Hazard], allowed: &[String]) -> anyhow::Result<Vec<Hazard>> {
    if allowed.iter().any(|a| a == "all") {
        return Ok(Vec::new());
    }
    let mut ok = Vec::new();
    for code in allowed {
        match Hazard::from_code(code) {
            Some(h) => ok.push(h),
            None => anyhow::bail!(
                "unknown hazard code {code:?}: use one of {} or all",
                Hazard::ALL.map(|h| h.code()).join(", ")
            ),
        }
    }
    Ok(hazards
        .iter()
        .copied()
        .filter(|h| !ok.contains(h))
        .collect())
}

pub fn run(args: DiffArgs, dev_url: Option<&str>, color: bool) -> anyhow::Result<u8> {
    // Checked before any server starts.
    disallowed(&[], &args.allow_hazard)?;
    let filter = args.filter.filter()?;
    let mut scratch = Scratch::new(dev_url)?;
    let Some(from) = load_side(&args.from, dev_url, &filter, &mut scratch, color)? else {
        output::stderr("no plan: fix the errors in --from above\n");
        return Ok(EXIT_ERROR);
    };
    let Some(to) = load_side(&args.to, dev_url, &filter, &mut scratch, color)? else {
        output::stderr("no plan: fix the errors in --to above\n");
        return Ok(EXIT_ERROR);
    };
    drop(scratch);
    let opts = PlanOptions {
        online: !args.offline,
        lock_timeout: Some(args.lock_timeout.clone()).filter(|t| t.trim() != "0"),
        prune: args.prune,
    };
    let plan = strata_diff::plan(&from, &to, &opts).context("cannot plan the change")?;
    let left_alone = strata_diff::left_alone(&from, &to, &opts);
    let hazards = plan.hazards();
    let blocked = disallowed(&hazards, &args.allow_hazard)?;
    match args.format {
        DiffFormat::Sql => {
            output::stdout(&script_text(&plan))?;
        }
        DiffFormat::Json => {
            let json = serde_json::json!({
                "changes": strata_diff::diff_with(&from, &to, &opts),
                "left_alone": left_alone,
                "steps": plan.steps,
                "down": plan.down,
                "hazards": hazards,
                "blocked_hazards": blocked,
                "lock_timeout": plan.lock_timeout,
            });
            output::stdout(&format!(
                "{}\n",
                serde_json::to_string_pretty(&json).unwrap_or_default()
            ))?;
        }
    }
    output::stderr(&left_alone_text(&left_alone));
    for hint in strata_diff::rename_hints(&from, &to) {
        output::stderr(&format!("hint: {hint}\n"));
    }
    if source::is_database(&args.from) && plan.steps.iter().any(|s| s.needs_empty.is_some()) {
        let mut db = crate::connect::connect(Some(&args.from), crate::connect::Session::NotNeeded)?;
        let failures = certain_failures(&mut db.client, &plan.steps);
        if !failures.is_empty() {
            for f in &failures {
                output::stderr(&format!("error: {f}\n"));
            }
            return Ok(EXIT_ERROR);
        }
    }
    if blocked.is_empty() {
        Ok(0)
    } else {
        let codes: Vec<&str> = blocked.iter().map(|h| h.code()).collect();
        output::stderr(&format!(
            "the plan has hazards not allowed: {} (review the steps, then pass --allow-hazard CODE for each, or --allow-hazard all)\n",
            codes.join(", ")
        ));
        Ok(EXIT_FINDINGS)
    }
}
