//! Versioned migrations for Strata: a folder of `NNNN_name.up.sql` / `NNNN_name.down.sql`
//! files guarded by a chained checksum file (`strata.sum`), and a runner that applies them to
//! a live database with a history table, an advisory lock, one transaction per migration
//! (statement by statement, recorded, when a statement forbids a transaction) and a dirty
//! state after a non-transactional failure.
//!
//! ```no_run
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let mut client = strata_pg::conn::ConnInfo::from_env_or(None)?.connect()?;
//! use strata_migrate::{Folder, lock::Wait, runner};
//! let folder = Folder::read(std::path::Path::new("migrations"))?;
//! folder.verify_sum()?;
//! runner::with_lock(&mut client, Wait::Yes, &mut |_| {}, |c| {
//!     runner::apply(c, &folder, None, &mut |_| {})
//! })?;
//! # Ok(())
//! # }
//! ```

pub mod alembic;
pub mod error;
pub mod folder;
pub mod hazards;
pub mod history;
pub mod lock;
pub mod runner;
/// The statement splitter lives with the other SQL text helpers.
pub use strata_sql::split;
pub mod sum;

pub use error::{FolderError, RunError, SumError};
pub use folder::{Folder, Migration, SUM_FILE};
