//! A throwaway server for SQL input that nobody vouched for (a pull request's `.sql` file,
//! a dump from somewhere): the script runs as an ordinary role, never as a superuser.
//!
//! - The bootstrap superuser is [`ADMIN`]; the script runs as [`APPLIER`], called `postgres`
//!   because dumps say `OWNER TO postgres` everywhere, but without SUPERUSER, CREATEDB,
//!   CREATEROLE, REPLICATION or BYPASSRLS, and a member of none of the predefined roles
//!   (`pg_read_server_files`, `pg_write_server_files`, `pg_execute_server_program`). It owns
//!   the scratch database, so it creates schemas and trusted extensions itself.
//! - Roles the script names are created NOLOGIN by the superuser, and the applier is made a
//!   member of each (so `OWNER TO` and `SET ROLE` to them work). They are members of a helper
//!   role that may create in every schema (as a superuser owner could), removed before the
//!   database is read, so ownership changes of pg_dump output apply.
//! - The server runs with an empty environment (see [`Cluster`]), a watchdog, a
//!   `statement_timeout` for the applier, `temp_file_limit`, and a lock table big enough for
//!   tens of thousands of tables in one transaction.

use std::time::Duration;

use postgres::NoTls;
use strata_model::quote_ident;

use crate::cluster::{Cluster, ClusterOptions, PgError};

/// The bootstrap superuser of a sandbox (a name no schema uses).
pub const ADMIN: &str = "strata_superuser";
/// The unprivileged role SQL input runs as.
pub const APPLIER: &str = "postgres";
/// The scratch database, owned by [`APPLIER`].
pub const DATABASE: &str = "strata_input";
/// The helper role that lets the script's roles own objects in any schema while it runs.
const OWNERS: &str = "strata_input_owners";
/// Holds the event trigger that extends [`OWNERS`]' rights to new schemas.
const INTERNAL_SCHEMA: &str = "strata_sandbox";

/// From PostgreSQL 15 (`server_version_num`) the schema public is owned by
/// `pg_database_owner`; before, by the bootstrap superuser.
const PUBLIC_OWNED_BY_DATABASE_OWNER: u32 = 150000;

/// Extensions PostgreSQL does not mark trusted but that real schemas carry and that give a
/// role no access to files, programs or the network: installed by the superuser, before the
/// script runs, when the script asks for them.
pub const PREINSTALLABLE_EXTENSIONS: &[&str] = &[
    "pg_stat_statements",
    "postgis",
    "postgis_raster",
    "postgis_topology",
    "postgis_sfcgal",
    "address_standardizer",
    "address_standardizer_data_us",
    "vector",
];

/// A running sandbox: its cluster and a superuser connection to the scratch database.
pub struct Sandbox {
    // Dropped before the cluster stops.
    admin: postgres::Client,
    cluster: Cluster,
}

impl std::fmt::Debug for Sandbox {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Sandbox")
            .field("cluster", &self.cluster)
            .finish_non_exhaustive()
    }
}

/// Whether an extension can be created by the applier itself (`trusted`), is installed for
/// it beforehand ([`PREINSTALLABLE_EXTENSIONS`]), or neither.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExtensionAccess {
    /// Not on the server at all.
    Missing,
    /// Marked `trusted`: the database owner may create it.
    Trusted,
    /// Not trusted, but harmless: the superuser installs it first.
    Preinstallable,
    /// Not trusted (it can reach files, programs or other servers): refused.
    Untrusted,
}

impl Sandbox {
    /// Starts a cluster and prepares the scratch database; statements of the applier are
    /// cancelled by the server after `statement_timeout` (unless the script changes its own
    /// setting, which [`crate::apply_untrusted_sql`]'s deadline covers).
    pub fn start(statement_timeout: Duration) -> Result<Sandbox, PgError> {
        let options = ClusterOptions::default()
            .superuser(ADMIN)
            // A schema of thousands of tables takes several locks per table in the one
            // transaction it is applied in: the lock table holds
            // max_locks_per_transaction × max_connections of them.
            .setting("max_connections", "20")
            .setting("max_locks_per_transaction", "4096")
            .setting("temp_file_limit", "1GB");
        let cluster = Cluster::start_with(options)?;
        let millis = statement_timeout.as_millis().max(1);
        let mut server = cluster.connect_local("postgres")?;
        server.batch_execute(&format!(
            "CREATE ROLE {APPLIER} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS;
             ALTER ROLE {APPLIER} SET statement_timeout = {millis};
             CREATE ROLE {OWNERS} NOLOGIN;"
        ))?;
        server.batch_execute(&format!("CREATE DATABASE {DATABASE} OWNER {APPLIER}"))?;
        drop(server);
        let mut admin = cluster.connect_local(DATABASE)?;
        if cluster.server_version_num() < PUBLIC_OWNED_BY_DATABASE_OWNER {
            // Before 15, public belongs to the bootstrap superuser, which dumps call
            // `postgres`: the applier plays that part (`ALTER SCHEMA public OWNER TO
            // postgres`, `COMMENT ON SCHEMA public`), and `seal` hands it back.
            admin.batch_execute(&format!("ALTER SCHEMA public OWNER TO {APPLIER}"))?;
        }
        admin.batch_execute(&format!(
            "GRANT CREATE ON DATABASE {DATABASE} TO {OWNERS};
             GRANT CREATE ON SCHEMA public TO {OWNERS};
             CREATE SCHEMA {INTERNAL_SCHEMA};
             REVOKE ALL ON SCHEMA {INTERNAL_SCHEMA} FROM PUBLIC;
             CREATE FUNCTION {INTERNAL_SCHEMA}.grant_owners() RETURNS event_trigger
                 LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $body$
             DECLARE
                 created record;
             BEGIN
                 FOR created IN SELECT object_identity FROM pg_event_trigger_ddl_commands()
                                WHERE object_type = 'schema' LOOP
                     EXECUTE format('GRANT CREATE ON SCHEMA %s TO {OWNERS}',
                                    created.object_identity);
                 END LOOP;
             END
             $body$;
             REVOKE ALL ON FUNCTION {INTERNAL_SCHEMA}.grant_owners() FROM PUBLIC;
             CREATE EVENT TRIGGER strata_grant_owners ON ddl_command_end
                 WHEN TAG IN ('CREATE SCHEMA')
                 EXECUTE FUNCTION {INTERNAL_SCHEMA}.grant_owners();"
        ))?;
        Ok(Sandbox { cluster, admin })
    }

    /// The cluster the sandbox runs on.
    pub fn cluster(&self) -> &Cluster {
        &self.cluster
    }

    /// A connection to the scratch database as [`APPLIER`].
    pub fn connect(&self) -> Result<postgres::Client, PgError> {
        let mut config = self.cluster.config(DATABASE);
        config.user(APPLIER);
        Ok(config.connect(NoTls)?)
    }

    /// How the extension `name` can be had (see [`ExtensionAccess`]).
    pub fn extension_access(&mut self, name: &str) -> Result<ExtensionAccess, PgError> {
        let row = self.admin.query_opt(
            "SELECT coalesce(v.trusted, false)
               FROM pg_available_extensions e
               LEFT JOIN pg_available_extension_versions v
                      ON v.name = e.name AND v.version = e.default_version
              WHERE e.name = $1",
            &[&name],
        )?;
        let Some(row) = row else {
            return Ok(ExtensionAccess::Missing);
        };
        let trusted: bool = row.try_get(0)?;
        Ok(if trusted {
            ExtensionAccess::Trusted
        } else if PREINSTALLABLE_EXTENSIONS.contains(&name) {
            ExtensionAccess::Preinstallable
        } else {
            ExtensionAccess::Untrusted
        })
    }

    /// Installs a [`ExtensionAccess::Preinstallable`] extension as the superuser, in
    /// `schema` (which must exist already: `public` or none for the default).
    pub fn preinstall_extension(
        &mut self,
        name: &str,
        schema: Option<&str>,
    ) -> Result<(), PgError> {
        let schema = schema
            .map(|s| format!(" WITH SCHEMA {}", quote_ident(s)))
            .unwrap_or_default();
        self.admin.batch_execute(&format!(
            "CREATE EXTENSION IF NOT EXISTS {}{schema} CASCADE",
            quote_ident(name)
        ))?;
        Ok(())
    }

    /// Creates the roles of `names` that do not exist (NOLOGIN), lets the applier act as
    /// each of them, and returns those created. Roles that exist already (the superuser,
    /// predefined roles) are left alone: the applier gains nothing of theirs.
    pub fn provide_roles(&mut self, names: &[String]) -> Result<Vec<String>, PgError> {
        let existing: Vec<String> = self
            .admin
            .query(
                "SELECT rolname::text FROM pg_roles WHERE rolname = ANY($1)",
                &[&names],
            )?
            .iter()
            .filter_map(|r| r.try_get::<_, String>(0).ok())
            .collect();
        let mut created = Vec::new();
        for name in names.iter().filter(|n| !existing.contains(n)) {
            let role = quote_ident(name);
            self.admin.batch_execute(&format!(
                "CREATE ROLE {role} NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE;
                 GRANT {role} TO {APPLIER};
                 GRANT {OWNERS} TO {role};"
            ))?;
            created.push(name.clone());
        }
        Ok(created)
    }

    /// Removes the helpers of the sandbox from the scratch database, so that reading it
    /// sees only what the script made. Call after the script was applied.
    pub fn seal(&mut self) -> Result<(), PgError> {
        self.admin.batch_execute(&format!(
            "DROP EVENT TRIGGER strata_grant_owners;
             DROP SCHEMA {INTERNAL_SCHEMA} CASCADE;
             DROP OWNED BY {OWNERS};"
        ))?;
        if self.cluster.server_version_num() < PUBLIC_OWNED_BY_DATABASE_OWNER {
            // The applier stood in for the bootstrap superuser (see `start`): public as the
            // script left it is public as a superuser's script leaves it on a real server.
            self.admin.batch_execute(&format!(
                "DO $do$ BEGIN
                     IF (SELECT nspowner FROM pg_namespace WHERE nspname = 'public')
                        = '{APPLIER}'::regrole THEN
                         ALTER SCHEMA public OWNER TO {ADMIN};
                     END IF;
                 END $do$"
            ))?;
        }
        // Memberships are cluster-wide; drop the role from the maintenance database.
        let mut server = self.cluster.connect_local("postgres")?;
        server.batch_execute(&format!("DROP ROLE {OWNERS}"))?;
        Ok(())
    }
}
