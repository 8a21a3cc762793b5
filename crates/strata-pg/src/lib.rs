//! PostgreSQL access for Strata.
//!
//! - [`Cluster`]: a throwaway PostgreSQL cluster (`initdb` + `pg_ctl` in a temporary
//!   directory, on a free loopback port), stopped and deleted on drop. When running as root
//!   the server runs as the `postgres` system user, since PostgreSQL refuses to run as root.
//! - [`apply_sql`]: runs a SQL script in one transaction and locates server errors in it.
//! - [`shared_cluster`]: one cluster per process for tests; each test isolates itself with
//!   [`Cluster::create_database`].
//!
//! ```no_run
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let cluster = strata_pg::shared_cluster()?;
//! let db = cluster.create_database()?;
//! let mut client = cluster.connect(&db)?;
//! strata_pg::apply_sql(&mut client, "CREATE TABLE t (id int PRIMARY KEY);")?;
//! # Ok(())
//! # }
//! ```

mod apply;
mod cluster;
pub mod codes;
pub mod conn;
pub mod introspect;
pub mod sandbox;
mod template;

use std::sync::{Mutex, OnceLock};

pub use apply::{ApplyError, Deadline, ServerError, SqlPosition, apply_sql, apply_untrusted_sql};
pub use cluster::{BINDIR_ENV, Cluster, ClusterOptions, PgError, SUPERUSER, TlsFiles, VERSION_ENV};
pub use introspect::{
    IntrospectError, IntrospectOptions, IntrospectWarning, Introspected, introspect,
};
/// The client library, re-exported so callers use the same version.
pub use postgres;
pub use sandbox::{ExtensionAccess, Sandbox};
pub use template::{CACHE_DIR_ENV, TEMPLATE_ENV};

static SHARED: OnceLock<Cluster> = OnceLock::new();
static SHARED_INIT: Mutex<()> = Mutex::new(());

/// The process-wide cluster for tests, started on first use.
///
/// It is never dropped, so it is cleaned up in two other ways: an `atexit` hook stops it and
/// removes its directory when the process exits normally, and its watchdog process (every
/// cluster has one) does the same when this process dies any other way (killed, aborted).
///
/// If starting fails the error is returned and the next call tries again.
pub fn shared_cluster() -> Result<&'static Cluster, PgError> {
    if let Some(cluster) = SHARED.get() {
        return Ok(cluster);
    }
    // A poisoned lock only means another thread panicked while starting; the state is fine.
    let _guard = SHARED_INIT.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(cluster) = SHARED.get() {
        return Ok(cluster);
    }
    let cluster = Cluster::start()?;
    let shared = SHARED.get_or_init(|| cluster);
    // SAFETY: `stop_shared_cluster` is an `extern "C" fn()` that never unwinds. A failure
    // to register is tolerable: the watchdog cleans up after exit as well.
    unsafe {
        libc::atexit(stop_shared_cluster);
    }
    Ok(shared)
}

extern "C" fn stop_shared_cluster() {
    if let Some(cluster) = SHARED.get() {
        cluster.shutdown();
    }
}
