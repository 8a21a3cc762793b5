//! The rules, one file each, grouped by family. The registry is built from the files (see
//! `build.rs`); each family's `mod.rs` only declares its modules.

pub mod design;
pub mod health;
pub mod migration;
pub mod performance;
pub mod security;

/// What a rule file needs.
#[allow(unused_imports)]
pub(crate) mod prelude {
    pub use crate::helpers::*;
    pub use crate::migration::{
        Action, ConstraintKind, ExistingAlter, Migration, Stmt, Token, lock_name, object,
    };
    pub use crate::patterns::*;
    pub use crate::{Check, Context, MigrationContext, Report, Severity};
    pub use strata_diff::lock_facts::Operation;
    pub use strata_model::*;
}
