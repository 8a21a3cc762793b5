//! Turning a command's optional URL argument into a connected client.
//!
//! Every command that talks to a live database goes through [`connect`]:
//!
//! ```ignore
//! let db = crate::connect::connect(url.as_deref(), Session::NotNeeded)?;
//! let rows = db.client.query("SELECT 1", &[])?; // db.info prints as a redacted URL
//! ```
//!
//! - The URL argument wins; without one `DATABASE_URL` is used; without that, libpq's
//!   defaults (`PGHOST`, `PGUSER`, ... and the local socket), like `psql` with no arguments.
//!   `PG*` variables and `~/.pgpass` fill whatever the URL leaves out.
//! - Warnings (an ignored `.pgpass`, a transaction pooler when the command needs session
//!   state) are printed to stderr as `warning: ...`.
//! - Errors come back as `anyhow::Error` whose message names the cause and the fix and never
//!   contains the password; returned from a command, `main` prints it and exits with code 2.

use anyhow::Context as _;
use strata_pg::conn::ConnInfo;

use crate::output;

/// Whether the command relies on session state (advisory locks, `SET`, temporary tables,
/// several statements forming one migration). Over a transaction-mode pooler such state
/// does not survive, so such commands warn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Session {
    /// Plain reads (introspection): a pooler is fine.
    NotNeeded,
    /// Migrations, locks: warn when the URL points at a transaction pooler.
    Needed,
}

/// A live connection and the parameters it was made with.
pub struct Connected {
    /// The client, ready for queries.
    pub client: strata_pg::postgres::Client,
    /// The parameters; `Display` prints the URL with the password as `****`.
    pub info: ConnInfo,
}

/// Resolves `url` (or `DATABASE_URL`, or libpq's defaults) and connects.
pub fn connect(url: Option<&str>, session: Session) -> anyhow::Result<Connected> {
    let info = resolve(url, session)?;
    let client = info
        .connect()
        .with_context(|| format!("could not connect to {info}"))?;
    Ok(Connected { client, info })
}

/// [`connect`]'s first half: parse and complete the parameters, print the warnings, but do
/// not connect. For commands that want to show the target before connecting.
pub fn resolve(url: Option<&str>, session: Session) -> anyhow::Result<ConnInfo> {
    let info = ConnInfo::from_env_or(url).context(if url.is_some() {
        "the database URL is not usable"
    } else {
        "the database URL from DATABASE_URL or the PG* variables is not usable"
    })?;
    for note in info.notes() {
        output::info(&format!("note: {note}\n"));
    }
    for warning in info.warnings() {
        output::stderr(&format!("warning: {warning}\n"));
    }
    if session == Session::Needed
        && let Some(warning) = info.session_state_warning()
    {
        output::stderr(&format!("warning: {warning}\n"));
    }
    Ok(info)
}
