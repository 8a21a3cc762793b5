//! `strata seed SRC [URL]`: data at the declared row counts (times `--scale`, or exact
//! `--rows table=N`) into a database built from SRC, through COPY. See docs/seed.md.

use std::io::IsTerminal;
use std::time::{Duration, Instant};

use anyhow::Context as _;
use clap::Args;
use strata_seed::{Dataset, Progress, Sizing};

use crate::connect::{self, Session};
use crate::source::{self, SourceOptions};
use crate::{EXIT_ERROR, Format, output};

#[derive(Args)]
pub struct SeedArgs {
    #[command(flatten)]
    pub sql: crate::source::SqlInputArgs,
    /// The schema: a `.strata` file or folder, or a `.sql` file (row counts from `rows`).
    pub src: String,
    /// The database to fill (default: DATABASE_URL, then the PG* variables like psql). Its
    /// tables must exist and be empty.
    pub url: Option<String>,
    /// Multiply every declared row count (a table without `rows` counts 10,000).
    #[arg(long, default_value_t = 1.0, value_parser = parse_scale)]
    pub scale: f64,
    /// Exact rows of one table, `table=N` (repeatable; not scaled; other tables keep their
    /// declared counts times --scale).
    #[arg(long, value_name = "TABLE=N", value_parser = parse_rows)]
    pub rows: Vec<(String, u64)>,
    /// The random seed: the same schema, counts and seed give the same rows.
    #[arg(long, default_value_t = 42)]
    pub seed: u64,
    /// Output format of the summary.
    #[arg(long, value_enum, default_value_t)]
    pub format: Format,
    #[command(flatten)]
    pub filter: crate::source::FilterArgs,
}

fn parse_scale(text: &str) -> Result<f64, String> {
    match text.trim().parse::<f64>() {
        Ok(s) if s > 0.0 && s <= 1e6 && s.is_finite() => Ok(s),
        _ => Err(format!(
            "{text:?} is not a scale factor: give a positive number such as 0.01 or 2"
        )),
    }
}

fn parse_rows(text: &str) -> Result<(String, u64), String> {
    let Some((table, n)) = text.split_once('=') else {
        return Err(format!(
            "{text:?} is not TABLE=N (for example tasks=1000000)"
        ));
    };
    let n: u64 =
        n.trim().replace('_', "").parse().map_err(|_| {
            format!("{text:?}: {n:?} is not a row count (for example tasks=1000000)")
        })?;
    let table = table.trim();
    if table.is_empty() {
        return Err(format!(
            "{text:?} names no table (for example tasks=1000000)"
        ));
    }
    Ok((table.to_string(), n))
}

pub fn run(args: SeedArgs, dev_url: Option<&str>, color: bool) -> anyhow::Result<u8> {
    let opts = SourceOptions {
        dev_url: dev_url.map(str::to_string),
        filter: args.filter.filter()?,
        ..Default::default()
    };
    if source::kind_of(&args.src) == source::SourceKind::Database {
        anyhow::bail!(
            "SRC must be a .strata file or folder or a .sql file (the schema the data follows); the database to fill is the second argument"
        );
    }
    let loaded = source::load(&args.src, &opts)?;
    super::report_human(&loaded.diagnostics, &loaded.sources, color);
    if loaded.has_errors() {
        output::stderr(
            "nothing was loaded: fix the errors above (`strata check` lists them too)\n",
        );
        return Ok(EXIT_ERROR);
    }
    let sizing = Sizing {
        scale: args.scale,
        rows: args.rows.clone(),
        seed: args.seed,
        now: None,
    };
    let data = Dataset::new(&loaded.model, &sizing)?;
    let mut db = connect::connect(args.url.as_deref(), Session::NotNeeded)?;
    let mut bar = Bar::new(std::io::stderr().is_terminal() && args.format == Format::Human);
    let summary = strata_seed::load(&mut db.client, &data, &mut bar)
        .with_context(|| format!("could not seed {}", db.info))?;
    match args.format {
        Format::Json => {
            output::stdout(&format!("{}\n", serde_json::to_string_pretty(&summary)?))?;
        }
        Format::Human => {
            let mut s = String::new();
            for t in &summary.tables {
                let rate = if t.seconds > 0.0 {
                    format!("{:.0} rows/s", t.rows as f64 / t.seconds)
                } else {
                    String::new()
                };
                s.push_str(&format!(
                    "{:<28} {:>12} rows  {:>7.2}s  {rate}\n",
                    t.table, t.rows, t.seconds
                ));
                if t.skipped > 0 {
                    s.push_str(&format!(
                        "{:<28} {:>12} rows asked for had no matching row for a key that shares a column with another\n",
                        "", t.skipped
                    ));
                }
            }
            s.push_str(&format!(
                "seeded {} rows in {} tables in {:.2}s (seed {}) into {}\n",
                summary.rows(),
                summary.tables.len(),
                summary.seconds,
                args.seed,
                db.info
            ));
            for r in &summary.row_security {
                s.push_str(&format!("row-level security: {r}\n"));
            }
            if !summary.unverified_checks.is_empty() {
                s.push_str(&format!(
                    "checks the generators do not read (the server checked every row against them): {}\n",
                    summary.unverified_checks.join(", ")
                ));
            }
            output::stdout(&s)?;
        }
    }
    Ok(0)
}

/// A progress line per table on standard error, in a terminal only, redrawn at most ten
/// times a second.
struct Bar {
    on: bool,
    name: String,
    total: u64,
    done: u64,
    started: Instant,
    drawn: Instant,
}

impl Bar {
    fn new(on: bool) -> Bar {
        Bar {
            on,
            name: String::new(),
            total: 0,
            done: 0,
            started: Instant::now(),
            drawn: Instant::now(),
        }
    }
    fn draw(&self) {
        const WIDTH: usize = 30;
        let share = if self.total == 0 {
            1.0
        } else {
            self.done as f64 / self.total as f64
        };
        let filled = ((share * WIDTH as f64) as usize).min(WIDTH);
        output::stderr(&format!(
            "\r{:<24} [{}{}] {:>3.0}% {}/{}\x1b[K",
            self.name,
            "#".repeat(filled),
            "-".repeat(WIDTH - filled),
            share * 100.0,
            self.done,
            self.total
        ));
    }
}

impl Progress for Bar {
    fn table(&mut self, name: &str, rows: u64) {
        self.name = name.to_string();
        self.total = rows;
        self.done = 0;
        self.started = Instant::now();
        if self.on {
            self.draw();
        }
    }
    fn advance(&mut self, rows: u64) {
        self.done += rows;
        if self.on && self.drawn.elapsed() >= Duration::from_millis(100) {
            self.drawn = Instant::now();
            self.draw();
        }
    }
    fn done(&mut self, _name: &str, _rows: u64, _elapsed: Duration) {
        if self.on {
            output::stderr("\r\x1b[K");
        }
    }
}
