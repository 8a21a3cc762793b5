//! `strata migrate new NAME`: the next migration, planned from what the folder's migrations
//! build to the designed schema.
//!
//! 1. The folder's migrations are replayed on a scratch database (a throwaway cluster, or a
//!    fresh database on `--dev-url`) by the same runner `migrate apply` uses, and introspected.
//! 2. The target (SRC) is brought to server form: a design is rendered, applied to a second
//!    scratch database and introspected, keeping its logical annotations (renames above all).
//! 3. `strata_diff::plan` plans from 1 to 2; the steps and the way back are written as
//!    `NNNN_name.up.sql` / `.down.sql` (and `strata.sum` is updated), or as an Alembic revision.
//! 4. The new migration is applied to the replayed database and the result planned again
//!    against the target: a non-empty second plan is reported, since it means the migration
//!    does not reach the design.

use std::path::Path;

use anyhow::Context as _;
use strata_migrate::Folder;
use strata_migrate::lock::Wait;
use strata_migrate::runner;
use strata_model::Model;

use super::migrate::NewFormat;

/// The role SQL runs as on the throwaway server (not a superuser; named like the role dumps
/// expect).
const APPLIER: &str = strata_pg::sandbox::APPLIER;
use crate::source::{self, SourceKind, SourceOptions};
use crate::{EXIT_ERROR, output};

/// Databases for replaying and for bringing a design to server form, dropped when done.
///
/// On the throwaway server the SQL (a migrations folder's files, which may come from a pull
/// request) runs as an ordinary role that owns the scratch database, never as the superuser:
/// it cannot run programs or read files on this machine. Roles the SQL names are created
/// NOLOGIN by the superuser and granted to that role, so grants and `OWNER TO` apply. With
/// `--dev-url` the SQL runs as the URL's user, with that user's rights.
pub struct Scratch {
    cluster: Option<strata_pg::Cluster>,
    admin: Option<(strata_pg::postgres::Client, strata_pg::conn::ConnInfo)>,
    created: Vec<String>,
}

impl Scratch {
    pub fn new(dev_url: Option<&str>) -> anyhow::Result<Scratch> {
        match dev_url {
            None => {
                let started = strata_pg::Cluster::start_with(
                    strata_pg::ClusterOptions::default().superuser(strata_pg::sandbox::ADMIN),
                )
                .and_then(|cluster| {
                    let mut server = cluster.connect_local("postgres")?;
                    // BYPASSRLS: a scratch database holds no rows worth hiding, and data steps
                    // of a folder (a backfill reading a forced table) must replay as they do
                    // for a migrator that bypasses row-level security.
                    server.batch_execute(&format!(
                        "CREATE ROLE {APPLIER} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION BYPASSRLS;
                         ALTER ROLE {APPLIER} SET statement_timeout = {}",
                        crate::source::sql_timeout().as_millis().max(1)
                    ))?;
                    Ok(cluster)
                });
                let cluster = started.map_err(|e| {
                    anyhow::anyhow!(
                        "planning needs a throwaway PostgreSQL server: {e} (install PostgreSQL, or pass --dev-url URL)"
                    )
                })?;
                Ok(Scratch {
                    cluster: Some(cluster),
                    admin: None,
                    created: Vec::new(),
                })
            }
            Some(url) => {
                let info = crate::connect::resolve(Some(url), crate::connect::Session::NotNeeded)?;
                let client = info
                    .connect()
                    .with_context(|| format!("could not connect to --dev-url {info}"))?;
                Ok(Scratch {
                    cluster: None,
                    admin: Some((client, info)),
                    created: Vec::new(),
                })
            }
        }
    }

    /// A new, empty database and a connection to it (as the unprivileged role on the
    /// throwaway server).
    pub fn database(&mut self) -> anyhow::Result<(String, strata_pg::postgres::Client)> {
        if let Some(cluster) = &self.cluster {
            let name = cluster.create_database()?;
            let mut admin = cluster.connect_local(&name)?;
            // The database owner owns `public` through `pg_database_owner`, as on any server.
            admin.batch_execute(&format!(
                "ALTER DATABASE {} OWNER TO {APPLIER}",
                strata_model::quote_ident(&name)
            ))?;
            let client = self.connect_to(&name)?;
            self.created.push(name.clone());
            let url = format!(
                "postgres://{APPLIER}@{}:{}/{name}",
                cluster.host(),
                cluster.port()
            );
            return Ok((url, client));
        }
        let Some((admin, info)) = &mut self.admin else {
            anyhow::bail!("no scratch server");
        };
        let name = source::create_dev_database(admin)?;
        self.created.push(name.clone());
        let info = info.clone().with_dbname(&name);
        let client = self.connect_to(&name)?;
        Ok((info.to_string(), client))
    }

    /// Another connection to a database made by [`Scratch::database`] (named by the last
    /// segment of its URL), as the same role.
    pub fn connect_to(&self, name: &str) -> anyhow::Result<strata_pg::postgres::Client> {
        if let Some(cluster) = &self.cluster {
            let mut config = cluster.config(name);
            config.user(APPLIER);
            return Ok(config.connect(strata_pg::postgres::NoTls)?);
        }
        let Some((_, info)) = &self.admin else {
            anyhow::bail!("no scratch server");
        };
        let info = info.clone().with_dbname(name);
        info.connect()
            .with_context(|| format!("could not connect to {info}"))
    }
}

impl Scratch {
    /// Before `sql` runs on the throwaway server: the roles it names exist (NOLOGIN, granted
    /// to the unprivileged role), and the harmless untrusted extensions it creates with
    /// `IF NOT EXISTS` are installed by the superuser (as for SQL input).
    pub fn prepare_for(&mut self, database: &str, sql: &str) -> anyhow::Result<()> {
        let Some(cluster) = &self.cluster else {
            return Ok(());
        };
        let prepared = strata_pg::introspect::script::prepare(sql);
        let mut admin = cluster.connect_local(database)?;
        let roles: Vec<String> = prepared.roles.iter().cloned().collect();
        let existing: Vec<String> = admin
            .query(
                "SELECT rolname::text FROM pg_roles WHERE rolname = ANY($1)",
                &[&roles],
            )?
            .iter()
            .filter_map(|r| r.try_get::<_, String>(0).ok())
            .collect();
        for role in roles.iter().filter(|r| !existing.contains(r)) {
            let role = strata_model::quote_ident(role);
            admin
                .batch_execute(&format!(
                    "CREATE ROLE {role} NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE; GRANT {role} TO {APPLIER}"
                ))
                .map_err(|e| anyhow::anyhow!("cannot create role {role} the SQL names: {e}"))?;
        }
        for ext in &prepared.extensions {
            let harmless =
                strata_pg::sandbox::PREINSTALLABLE_EXTENSIONS.contains(&ext.name.as_str());
            if harmless && ext.if_not_exists && ext.schema.as_deref().is_none_or(|s| s == "public")
            {
                // Best effort: when it is not available the file's own statement says so.
                let _ = admin.batch_execute(&format!(
                    "CREATE EXTENSION IF NOT EXISTS {} CASCADE",
                    strata_model::quote_ident(&ext.name)
                ));
            }
        }
        Ok(())
    }

    /// A new database with the folder's migrations (up to `target`) applied by the runner.
    pub fn replay(
        &mut self,
        folder: &Folder,
        target: Option<u64>,
    ) -> Result<strata_pg::postgres::Client, anyhow::Error> {
        let (url, mut client) = self.database()?;
        let name = url.rsplit('/').next().unwrap_or_default().to_string();
        for m in &folder.migrations {
            self.prepare_for(&name, &m.up)?;
        }
        // A file can lift its own statement timeout: the whole replay runs under the
        // time limit of SQL input, like a `.sql` file.
        let limit = crate::source::sql_timeout();
        let deadline = strata_pg::Deadline::arm(client.cancel_token(), limit);
        let replayed = runner::with_lock(&mut client, Wait::Yes, &mut |_| {}, |c| {
            runner::apply(c, folder, target, &mut |_| {})
        });
        let expired = deadline.expired();
        match replayed {
            Err(_) if expired => anyhow::bail!(
                "the migrations were still running after {} s and were cancelled: a migration that runs that long on an empty database is suspicious; raise --sql-timeout if it is expected",
                limit.as_secs_f64()
            ),
            Err(e) => return Err(e.into()),
            Ok(_) => {}
        }
        Ok(client)
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        if let Some((admin, _)) = &mut self.admin {
            for name in &self.created {
                source::drop_dev_database(admin, name);
            }
        }
    }
}

/// What introspection reads for planning: everything but migration history (Strata's and
/// other tools', see [`strata_model::filter`]).
pub fn introspect(client: &mut strata_pg::postgres::Client) -> anyhow::Result<Model> {
    introspect_filtered(client, &strata_model::filter::ObjectFilter::default())
}

/// [`introspect`] through `--include` / `--exclude` patterns as well.
pub fn introspect_filtered(
    client: &mut strata_pg::postgres::Client,
    filter: &strata_model::filter::ObjectFilter,
) -> anyhow::Result<Model> {
    let mut model = strata_pg::introspect(client, &strata_pg::IntrospectOptions::default())?.model;
    filter.apply(&mut model);
    Ok(model)
}

/// `model` as the server stores it, with the design's logical annotations kept.
pub fn server_form(designed: &Model, scratch: &mut Scratch) -> anyhow::Result<Model> {
    let ddl = strata_sql::render(designed, &strata_sql::RenderOptions::default())?;
    let (url, mut client) = scratch.database()?;
    scratch.prepare_for(url.rsplit('/').next().unwrap_or_default(), &ddl)?;
    strata_pg::apply_sql(&mut client, &ddl)
        .map_err(|e| anyhow::anyhow!("the designed schema does not apply to PostgreSQL: {e}"))?;
    let mut model = introspect(&mut client)?;
    for t in &mut model.tables {
        let Some(d) = designed.tables.iter().find(|d| d.name == t.name) else {
            continue;
        };
        t.origin = d.origin.clone();
        for c in &mut t.columns {
            if let Some(dc) = d.columns.iter().find(|dc| dc.name == c.name) {
                c.origin = dc.origin.clone();
            }
        }
    }
    Ok(model)
}

/// Loads SRC for planning: diagnostics reported; `None` when it has errors.
pub fn load_target(
    src: &str,
    dev_url: Option<&str>,
    filter: &strata_model::filter::ObjectFilter,
    scratch: &mut Scratch,
    color: bool,
) -> anyhow::Result<Option<Model>> {
    // A database SRC may carry a migration history: it is not part of the schema (the
    // filter's default exclusions).
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

/// The steps as a migration file: with only transactional steps, plain statements (the
/// runner wraps the file in one transaction); otherwise the psql script with its
/// `BEGIN`/`COMMIT` groups, which the runner runs statement by statement.
pub fn file_text(header: &str, steps: &[strata_diff::Step], lock_timeout: Option<&str>) -> String {
    let script = strata_diff::Plan {
        steps: steps.to_vec(),
        down: Vec::new(),
        lock_timeout: lock_timeout.map(str::to_string),
    }
    .up_sql();
    let body = if steps.iter().all(|s| s.transactional) {
        script
            .strip_prefix("BEGIN;\n")
            .and_then(|s| s.strip_suffix("COMMIT;\n"))
            .map(|s| s.trim_end().to_string() + "\n")
            .unwrap_or(script)
    } else {
        format!(
            "-- strata:no-transaction\n-- Holds a step that cannot run in a transaction: the runner runs the\n-- statements one at a time; BEGIN/COMMIT group the transactional ones.\n{script}"
        )
    };
    format!("{header}\n{body}")
}

pub fn run(
    dir: &Path,
    name: &str,
    schema: &str,
    format: NewFormat,
    allowed: &[String],
    dev_url: Option<&str>,
    color: bool,
) -> anyhow::Result<u8> {
    // Unknown codes are refused before any server starts.
    super::diff::disallowed(&[], allowed)?;
    let mut scratch = Scratch::new(dev_url)?;
    let Some(target) = load_target(
        schema,
        dev_url,
        &strata_model::filter::ObjectFilter::default(),
        &mut scratch,
        color,
    )?
    else {
        output::stderr("no migration was written: fix the errors above\n");
        return Ok(EXIT_ERROR);
    };
    if !dir.exists() {
        std::fs::create_dir_all(dir)
            .with_context(|| format!("cannot create the migrations folder {}", dir.display()))?;
    }
    match format {
        NewFormat::Sql => {
            let folder = super::migrate::read_verified(dir)?;
            let mut replay = scratch
                .replay(&folder, None)
                .context("replaying the migrations folder failed")?;
            new_sql(dir, &folder, name, schema, &target, allowed, &mut replay)
        }
        NewFormat::Alembic => {
            let (url, mut replay) = scratch.database()?;
            let replay_db = url.rsplit('/').next().unwrap_or_default().to_string();
            let revisions = strata_migrate::alembic::read(dir)?;
            for r in &revisions.chain {
                for sql in &r.upgrade {
                    scratch.prepare_for(&replay_db, sql)?;
                }
            }
            let limit = crate::source::sql_timeout();
            let deadline = strata_pg::Deadline::arm(replay.cancel_token(), limit);
            let replayed = revisions.chain.iter().try_for_each(|r| {
                r.upgrade.iter().try_for_each(|sql| {
                    replay
                        .batch_execute(sql)
                        .with_context(|| format!("replaying Alembic revision {} failed", r.file))
                })
            });
            if deadline.expired() && replayed.is_err() {
                anyhow::bail!(
                    "the Alembic revisions were still running after {} s and were cancelled; raise --sql-timeout if it is expected",
                    limit.as_secs_f64()
                );
            }
            replayed?;
            let from = introspect(&mut replay)?;
            let Some(plan) = plan(&from, &target)? else {
                return Ok(0);
            };
            let id = format!("{:04}_{}", revisions.chain.len() + 1, checked_name(name)?);
            let steps = |steps: &[strata_diff::Step]| -> Vec<strata_migrate::alembic::Step> {
                steps
                    .iter()
                    .map(|s| strata_migrate::alembic::Step {
                        sql: s.sql.clone(),
                        transactional: s.transactional,
                        description: s.description.clone(),
                        lock_timeout: plan
                            .lock_timeout
                            .clone()
                            .filter(|_| s.lock != strata_diff::LockLevel::None),
                    })
                    .collect()
            };
            let text = strata_migrate::alembic::render(
                &id,
                revisions.chain.last().map(|r| r.revision.as_str()),
                name,
                &steps(&plan.steps),
                &steps(&plan.down),
            );
            let path = dir.join(format!("{id}.py"));
            std::fs::write(&path, text)
                .with_context(|| format!("cannot write {}", path.display()))?;
            output::info(&format!("wrote {}\n", path.display()));
            hazard_exit(&plan, allowed, 0)
        }
    }
}

fn checked_name(name: &str) -> anyhow::Result<&str> {
    let ok = !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    if !ok {
        anyhow::bail!(
            "migration name {name:?} must be lower-case letters, digits and `_` (like `add_due_date`)"
        );
    }
    Ok(name)
}

/// The plan, summarised on stderr; `None` (and a message) when there is nothing to do. Like
/// `strata diff`, it says what it leaves alone (grants and bookkeeping tables the design does
/// not declare) and which drop-and-create pairs look like undeclared renames.
fn plan(from: &Model, to: &Model) -> anyhow::Result<Option<strata_diff::Plan>> {
    let opts = strata_diff::PlanOptions::default();
    let plan = strata_diff::plan(from, to, &opts)?;
    output::stderr(&super::diff::left_alone_text_with(
        &strata_diff::left_alone(from, to, &opts),
        "write the REVOKE in a migration by hand to revoke",
    ));
    for hint in strata_diff::rename_hints(from, to) {
        output::stderr(&format!("hint: {hint}\n"));
    }
    if plan.is_empty() {
        output::info(
            "nothing to do: the migrations already build this schema; no migration was written\n",
        );
        return Ok(None);
    }
    let hazards: Vec<&str> = plan.hazards().iter().map(|h| h.code()).collect();
    output::info(&format!(
        "planned {} step(s){}\n",
        plan.steps.len(),
        if hazards.is_empty() {
            String::new()
        } else {
            format!("; hazards: {} (review the file)", hazards.join(", "))
        }
    ));
    Ok(Some(plan))
}

/// Like `strata diff`: exit 1 (after writing the files, which are for review) when the plan
/// has a hazard `allowed` does not allow, naming it; `code` otherwise.
fn hazard_exit(plan: &strata_diff::Plan, allowed: &[String], code: u8) -> anyhow::Result<u8> {
    let blocked = super::diff::disallowed(&plan.hazards(), allowed)?;
    if blocked.is_empty() {
        return Ok(code);
    }
    let codes: Vec<&str> = blocked.iter().map(|h| h.code()).collect();
    output::stderr(&format!(
        "the migration has hazards not allowed: {} (review the steps, then run `strata migrate new` again with --allow-hazard CODE for each, or add the line `-- strata:allow-hazard CODE` to the up file and run `strata migrate hash`; `strata migrate apply` refuses a migration that deletes data until then)\n",
        codes.join(", ")
    ));
    Ok(crate::EXIT_FINDINGS)
}

/// `-- strata:allow-hazard CODE` lines for the hazards of `plan` that `allowed` allows: the
/// reviewer's acknowledgement, recorded in the reviewed file, which `migrate apply` reads.
fn acknowledgements(plan: &strata_diff::Plan, allowed: &[String]) -> String {
    let blocked = super::diff::disallowed(&plan.hazards(), allowed).unwrap_or_default();
    plan.hazards()
        .into_iter()
        .filter(|h| !blocked.contains(h))
        .map(|h| format!("-- {} {}\n", strata_migrate::hazards::DIRECTIVE, h.code()))
        .collect()
}

fn new_sql(
    dir: &Path,
    folder: &Folder,
    name: &str,
    schema: &str,
    target: &Model,
    allowed: &[String],
    replay: &mut strata_pg::postgres::Client,
) -> anyhow::Result<u8> {
    let from = introspect(replay)?;
    let Some(plan) = plan(&from, target)? else {
        return Ok(0);
    };
    let planned_by = format!(
        "`strata migrate new` from the migrations to {}",
        source::describe(schema)
    );
    let folder = write_sql(dir, folder, name, &planned_by, &plan, allowed)?;
    // Prove it: the new migration applied to the replayed database reaches the target.
    runner::with_lock(replay, Wait::Yes, &mut |_| {}, |c| {
        runner::apply(c, &folder, None, &mut |_| {})
    })
    .context("the new migration does not apply to the replayed database; edit it by hand")?;
    let after = introspect(replay)?;
    let again = strata_diff::plan(&after, target, &strata_diff::PlanOptions::default())?;
    if !again.is_empty() {
        output::stderr(&format!(
            "warning: after the new migration, {} step(s) still differ from the schema:\n{}",
            again.steps.len(),
            again.up_sql()
        ));
        hazard_exit(&plan, allowed, 0)?;
        return Ok(crate::EXIT_FINDINGS);
    }
    hazard_exit(&plan, allowed, 0)
}

/// Writes `plan` as the folder's next migration (`NNNN_name.up.sql` / `.down.sql`, with the
/// acknowledgements of the hazards `allowed` allows) and updates `strata.sum`; returns the
/// folder as read back. `planned_by` completes the header: "planned by {planned_by}."
/// `migrate new` and `advise --emit-migration` both write through here.
pub fn write_sql(
    dir: &Path,
    folder: &Folder,
    name: &str,
    planned_by: &str,
    plan: &strata_diff::Plan,
    allowed: &[String],
) -> anyhow::Result<Folder> {
    let id = format!("{:04}_{}", folder.next_version(), checked_name(name)?);
    let header = |dir: &str| format!("-- {id} ({dir}): planned by {planned_by}.");
    let up_header = format!("{}\n{}", header("up"), acknowledgements(plan, allowed));
    let up = file_text(
        up_header.trim_end(),
        &plan.steps,
        plan.lock_timeout.as_deref(),
    );
    let down = file_text(&header("down"), &plan.down, plan.lock_timeout.as_deref());
    let up_path = dir.join(format!("{id}.up.sql"));
    let down_path = dir.join(format!("{id}.down.sql"));
    std::fs::write(&up_path, &up).with_context(|| format!("cannot write {}", up_path.display()))?;
    std::fs::write(&down_path, &down)
        .with_context(|| format!("cannot write {}", down_path.display()))?;
    let folder = Folder::read(dir)?;
    folder.write_sum()?;
    output::info(&format!(
        "wrote {} and {}, updated {}\n",
        up_path.display(),
        down_path.display(),
        folder.sum_path().display()
    ));
    Ok(folder)
}
