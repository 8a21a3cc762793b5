//! `strata lint SRC...`: runs the lint rules over each source (a `.strata` file or folder, an
//! `.sql` file applied to a throwaway server and read back, also linted statement by statement
//! as a migration, a `strata migrate` folder, or a database URL), applies the
//! `[lint]` settings of `strata.toml` and the sources' suppression comments, and prints the
//! findings as text, JSON, SARIF or GitHub annotations.

use std::path::{Path, PathBuf};

use anyhow::Context as _;
use strata_lint::{Config, Finding, Suppression};

use crate::source::{self, SourceKind, SourceOptions};
use crate::{EXIT_ERROR, EXIT_FINDINGS, output};

#[derive(Copy, Clone, PartialEq, Eq, clap::ValueEnum, Default)]
pub enum LintFormat {
    #[default]
    Human,
    Json,
    Sarif,
    Github,
}

#[derive(clap::Args)]
pub struct LintArgs {
    #[command(flatten)]
    pub sql: crate::source::SqlInputArgs,
    /// `.strata` files or folders, `.sql` files, `strata migrate` folders, or database URLs.
    #[arg(required_unless_present_any = ["list_rules", "to"])]
    pub src: Vec<String>,
    /// `human`, `json`, `sarif` (code scanning) or `github` (workflow annotations).
    #[arg(long, value_enum, default_value_t = LintFormat::Human)]
    pub format: LintFormat,
    /// List every rule (code, name, family, default severity, whether it can fix) and exit.
    #[arg(long)]
    pub list_rules: bool,
    /// Read the `[lint]` settings from this file instead of the `strata.toml` beside the first
    /// source (or in the current folder).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Lint only what changed since this git commit: files of a migrations folder changed
    /// since it (the earlier ones are still replayed), and other sources only if they changed.
    #[arg(long, value_name = "GIT_REF")]
    pub since: Option<String>,
    /// Run the migration (one `.sql` file or migrations folder, or the plan of --from/--to) on
    /// a throwaway database holding the schema before it, and report statement by statement
    /// the locks held and for how long, the tables rewritten and the missing lock_timeout, next
    /// to what the rules predicted.
    #[arg(long)]
    pub trace: bool,
    /// The schema before the migration (`.strata`, `.sql`, migrations folder or database URL):
    /// applied before a --trace run; with --to, where the plan starts.
    #[arg(long, value_name = "SRC")]
    pub from: Option<String>,
    /// Lint the statements `strata diff --from SRC --to SRC` would run, with the migration rules.
    #[arg(long, value_name = "SRC", requires = "from")]
    pub to: Option<String>,
    /// With --trace: fill every table of --from's schema with N generated rows (as `strata
    /// seed` makes them) before the migration runs, so that scans and rewrites take real time.
    #[arg(long, value_name = "N", requires_all = ["trace", "from"])]
    pub rows: Option<u64>,
    /// Rewrite the migration statements of `.sql` files and migrations folders with the safe
    /// recipe where the fix is certain (CONCURRENTLY, NOT VALID + VALIDATE, lock_timeout, SET
    /// NOT NULL through a CHECK), then lint what is left.
    #[arg(long, conflicts_with_all = ["list_rules", "trace", "to"])]
    pub fix: bool,
    /// Print the fixes `--fix` would make as a unified diff and write nothing (exit 1 when
    /// there is one).
    #[arg(long, conflicts_with_all = ["list_rules", "fix", "trace", "to"])]
    pub diff: bool,
    #[command(flatten)]
    pub filter: source::FilterArgs,
}

/// The `strata.toml` that applies: `--config`, else beside the first source, else in the
/// current folder.
fn config_file(args: &LintArgs) -> Option<PathBuf> {
    if let Some(c) = &args.config {
        return Some(c.clone());
    }
    let mut dirs = Vec::new();
    if let Some(first) = args.src.first()
        && source::kind_of(first) != SourceKind::Database
    {
        let p = Path::new(first);
        dirs.push(if p.is_dir() {
            p.to_path_buf()
        } else {
            p.parent().map(Path::to_path_buf).unwrap_or_default()
        });
    }
    dirs.push(PathBuf::from("."));
    dirs.into_iter()
        .map(|d| d.join("strata.toml"))
        .find(|f| f.is_file())
}

fn load_config(args: &LintArgs) -> anyhow::Result<Config> {
    let Some(file) = config_file(args) else {
        return Ok(Config::default());
    };
    let text = std::fs::read_to_string(&file)
        .with_context(|| format!("cannot read {}", file.display()))?;
    Config::from_toml(&text).with_context(|| {
        format!(
            "{}: fix the [lint] table (see docs/lint.md)",
            file.display()
        )
    })
}

/// The file and line where the object of each finding (or the object it belongs to) is
/// created, for findings of SQL and `.strata` sources.
fn locate(findings: &mut [Finding], places: &[(String, String, u32)]) {
    for f in findings.iter_mut() {
        // The longest object that is the finding's object or contains it.
        let best = places
            .iter()
            .filter(|(o, _, _)| {
                f.object == *o
                    || f.object
                        .strip_prefix(o.as_str())
                        .is_some_and(|r| r.starts_with('.') || r.starts_with('('))
            })
            .max_by_key(|(o, _, _)| o.len());
        if let Some((_, file, line)) = best {
            f.file = Some(file.clone());
            f.line = Some(*line);
        }
    }
}

/// `entity NAME` lines of `.strata` text: (entity, line).
fn entity_lines(text: &str) -> Vec<(String, u32)> {
    text.lines()
        .enumerate()
        .filter_map(|(n, l)| {
            let mut w = l.split_whitespace();
            (w.next() == Some("entity")).then(|| {
                let name = w.next().unwrap_or("").trim_end_matches('{').to_string();
                (name, u32::try_from(n + 1).unwrap_or(u32::MAX))
            })
        })
        .collect()
}

pub fn run(args: LintArgs, dev_url: Option<&str>, _color: bool) -> anyhow::Result<u8> {
    if args.list_rules {
        let rules = strata_lint::registry();
        let text = match args.format {
            LintFormat::Json => format!("{}\n", strata_lint::format::rules_json(rules)),
            _ => strata_lint::format::rules_human(rules),
        };
        output::stdout(&text)?;
        return Ok(0);
    }
    let config = load_config(&args)?;
    if args.trace || args.to.is_some() {
        return super::lint_trace::run(&args, dev_url, &config, _color);
    }
    if args.from.is_some() {
        anyhow::bail!(
            "--from is the schema before the migration of --trace, or where the plan of --to starts: add --trace or --to"
        );
    }
    let opts = SourceOptions {
        dev_url: dev_url.map(String::from),
        filter: args.filter.filter()?,
        ..Default::default()
    };
    let mut findings = Vec::new();
    let mut suppressions: Vec<Suppression> = Vec::new();
    let mut ran: Vec<&'static str> = Vec::new();
    let mut bad = Vec::new();
    let changed = args
        .since
        .as_deref()
        .map(super::lint_migrations::Changed::since)
        .transpose()?;
    if args.fix || args.diff {
        let fixed = super::lint_fix::run(&args.src, &config, changed.as_ref(), args.fix)?;
        if args.diff {
            return Ok(if fixed.files > 0 { EXIT_FINDINGS } else { 0 });
        }
    }
    for src in &args.src {
        // A migrations folder: its up files, in order, through the migration rules.
        if super::lint_migrations::is_migrations_folder(src) {
            let files = super::lint_migrations::folder_files(src)?;
            let reported = |name: &str| {
                changed
                    .as_ref()
                    .is_none_or(|c| c.touches(std::path::Path::new(name)))
            };
            for f in files.iter().filter(|f| reported(&f.name)) {
                let (mut s, b) = strata_lint::suppress::scan_sql(&f.text, Some(&f.name));
                suppressions.append(&mut s);
                bad.extend(
                    b.into_iter()
                        .map(|b| format!("{}:{}: {}", f.name, b.line, b.message)),
                );
            }
            findings.extend(
                super::lint_migrations::lint(&files, &config, &mut ran)
                    .into_iter()
                    .filter(|f| f.file.as_deref().is_some_and(reported)),
            );
            continue;
        }
        if let Some(c) = &changed
            && source::kind_of(src) != SourceKind::Database
            && !c.touches(std::path::Path::new(src))
        {
            continue;
        }
        let loaded = source::load(src, &opts)?;
        if loaded.has_errors()
            && let Some(reason) = super::lint_migrations::migration_only(src, &loaded.diagnostics)
        {
            // A migration of a schema it does not contain: the design rules have nothing to
            // read, the migration rules have its statements.
            output::stderr(&format!(
                "note: {src} does not apply to an empty database ({reason}); linted as a migration only\n"
            ));
            let text = std::fs::read_to_string(src).with_context(|| format!("reading {src}"))?;
            let (mut s, b) = strata_lint::suppress::scan_sql(&text, Some(src));
            suppressions.append(&mut s);
            bad.extend(
                b.into_iter()
                    .map(|b| format!("{src}:{}: {}", b.line, b.message)),
            );
            let files = [strata_lint::migration::SqlFile {
                name: src.clone(),
                text,
                runner_transaction: false,
            }];
            findings.extend(super::lint_migrations::lint(&files, &config, &mut ran));
            continue;
        }
        if loaded.has_errors() {
            super::report_human(&loaded.diagnostics, &loaded.sources, false);
            return Ok(EXIT_ERROR);
        }
        let mut own = Vec::new();
        let mut places = Vec::new();
        for path in &loaded.paths {
            let Ok(text) = std::fs::read_to_string(path) else {
                continue;
            };
            let shown = path.display().to_string();
            let (mut s, b) = match loaded.kind {
                SourceKind::Sql => {
                    for (object, _, line) in strata_lint::suppress::locate_objects(&text) {
                        places.push((object, shown.clone(), line));
                    }
                    strata_lint::suppress::scan_sql(&text, Some(&shown))
                }
                _ => {
                    for (entity, line) in entity_lines(&text) {
                        if let Some(t) = loaded
                            .model
                            .tables
                            .iter()
                            .find(|t| t.origin.entity.as_deref() == Some(entity.as_str()))
                        {
                            places.push((
                                format!("{}.{}", t.name.schema, t.name.name),
                                shown.clone(),
                                line,
                            ));
                        }
                    }
                    strata_lint::suppress::scan_strata(&text, Some(&shown))
                }
            };
            strata_lint::suppress::resolve_entities(&mut s, &loaded.model);
            own.append(&mut s);
            bad.extend(
                b.into_iter()
                    .map(|b| format!("{shown}:{}: {}", b.line, b.message)),
            );
        }
        // A database URL: its statistics and catalogs too, for the live-health rules.
        let health = if loaded.kind == SourceKind::Database {
            let mut db = crate::connect::connect(Some(src), crate::connect::Session::NotNeeded)?;
            Some(strata_lint::health::collect(&mut db.client)?)
        } else {
            None
        };
        let input = strata_lint::Input {
            model: Some(&loaded.model),
            migration: None,
            health: health.as_ref(),
        };
        // Suppressions are applied once, over every source's findings, below.
        let outcome = strata_lint::lint(&input, &config, &[]);
        for r in strata_lint::registry() {
            if config.level(r).is_some()
                && (matches!(r.check, strata_lint::Check::Model(_))
                    || (health.is_some() && matches!(r.check, strata_lint::Check::Health(_))))
                && !ran.contains(&r.code)
            {
                ran.push(r.code);
            }
        }
        let mut found = outcome.findings;
        if loaded.kind != SourceKind::Database {
            locate(&mut found, &places);
        }
        // The model was filtered when read; the live statistics were not: `--exclude` (and
        // the schemas it leaves out) applies to their findings by name.
        found.retain(|f| {
            if f.family != strata_lint::Family::Health {
                return true;
            }
            // `schema.table.member` is left out with its table too.
            let table = f
                .object
                .splitn(3, '.')
                .take(2)
                .collect::<Vec<_>>()
                .join(".");
            !opts.filter.excludes_name(&f.object) && !opts.filter.excludes_name(&table)
        });
        findings.extend(found);
        // An SQL file is also a migration: its statements go through the migration rules,
        // located at the statement that triggers them.
        if loaded.kind == SourceKind::Sql {
            let files: Vec<strata_lint::migration::SqlFile> = loaded
                .paths
                .iter()
                .filter_map(|p| {
                    Some(strata_lint::migration::SqlFile {
                        name: p.display().to_string(),
                        text: std::fs::read_to_string(p).ok()?,
                        runner_transaction: false,
                    })
                })
                .collect();
            findings.extend(super::lint_migrations::lint(&files, &config, &mut ran));
        }
        suppressions.append(&mut own);
        std::mem::forget(loaded);
    }
    if !bad.is_empty() {
        for b in &bad {
            output::stderr(&format!("error: {b}\n"));
        }
        return Ok(EXIT_ERROR);
    }
    let outcome = strata_lint::finish(findings, &suppressions, &ran);
    let text = match args.format {
        LintFormat::Human => strata_lint::format::human(&outcome),
        LintFormat::Json => format!("{}\n", strata_lint::format::json(&outcome)),
        LintFormat::Sarif => format!("{}\n", strata_lint::format::sarif(&outcome)),
        LintFormat::Github => strata_lint::format::github(&outcome),
    };
    output::stdout(&text)?;
    if !matches!(args.format, LintFormat::Human | LintFormat::Github) {
        for s in &outcome.stale {
            output::stderr(&format!("{}\n", strata_lint::format::stale_line(s)));
        }
    }
    let blocking = outcome
        .findings
        .iter()
        .any(|f| f.severity != strata_lint::Severity::Info);
    Ok(if blocking || !outcome.stale.is_empty() {
        EXIT_FINDINGS
    } else {
        0
    })
}
