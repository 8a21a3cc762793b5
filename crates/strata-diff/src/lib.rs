//! Model × model → typed changes ([`diff`]) and an ordered, online-safe migration plan
//! ([`plan`]).
//!
//! Both models must be in *server form*: what introspecting a database gives (a `.strata`
//! design is rendered, applied to a throwaway database and introspected first, keeping its
//! logical annotations — see `strata-cli`'s `source.rs`). Comparing two designed models works
//! too, but spellings the server would normalise (`int` vs `integer`) then show as changes.
//!
//! ```no_run
//! # fn demo(from: &strata_model::Model, to: &strata_model::Model) -> Result<(), strata_diff::PlanError> {
//! let changes = strata_diff::diff(from, to);          // what differs, typed
//! let plan = strata_diff::plan(from, to, &strata_diff::PlanOptions::default())?;
//! for step in &plan.steps {
//!     // step.sql: complete statements, each ending in `;`. A step with
//!     // `transactional == false` holds exactly one statement and must run outside a
//!     // transaction block (e.g. `CREATE INDEX CONCURRENTLY`).
//!     // A validation also runs alone, after the transaction adding the constraint commits.
//!     // step.lock: the strongest lock held while it runs (its own, `step.takes`, or one an
//!     // earlier step of the same transaction took); step.hazards, step.reverse, ...
//! }
//! let up: String = plan.up_sql();     // psql-runnable: BEGIN/COMMIT around transactional runs
//! let down: String = plan.down_sql(); // the plan from `to` back to `from`
//! # Ok(()) }
//! ```
//!
//! # How a plan is built
//! 1. Renames written in the target design (`TableOrigin::renamed_from`,
//!    `ColumnOrigin::renamed_from`) are applied to a copy of `from` when the old name exists
//!    there and the new one does not; they become the first steps. Renames are never guessed.
//! 2. Each model is flattened into objects (schema, extension, enum, domain, sequence,
//!    function, aggregate, table, column, constraint, foreign key, index, trigger, policy,
//!    view, grant, comment) with their dependencies, read from the model (types, foreign keys,
//!    owners) and from the identifiers inside SQL text (view definitions, defaults, checks,
//!    index expressions, policies, function bodies).
//! 3. Objects only in `from` are dropped, only in `to` created; changed ones are altered in
//!    place where PostgreSQL can, or dropped and recreated. Whatever depends on a recreated
//!    object, or on a column whose type changes, is dropped before and recreated after it
//!    (with its grants and comments).
//! 4. Steps are ordered by a stable topological sort of the dependency graph: drops in the
//!    order of `from`'s dependencies, creates in the order of `to`'s.
//!
//! Online-safe by default ([`PlanOptions::online`]): indexes on existing tables are created
//! and dropped `CONCURRENTLY`; foreign keys and checks are added `NOT VALID` and validated in
//! a transaction of its own; unique and primary keys are built from a concurrently created index;
//! `SET NOT NULL` goes through a validated check constraint; every locking step runs under
//! [`PlanOptions::lock_timeout`].

mod catalog;
mod change;
mod deps;
mod hints;
pub mod lock_facts;
mod null_check;
mod ownership;
mod plan;
pub mod recipes;
mod rename;
mod render;
mod step;

pub use change::{Action, Change, ObjectKind};
pub use null_check::passes_with_nulls;
pub use ownership::{LeftAlone, is_bookkeeping};
pub use step::{Hazard, LockLevel, Plan, PlanOptions, Step};

use strata_model::Model;

/// A model pair that cannot be planned.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PlanError {
    /// Objects whose changes depend on each other in a circle.
    #[error("the changes depend on each other in a cycle: {}", .0.join(", "))]
    Cycle(Vec<String>),
    /// A change PostgreSQL cannot make in place and Strata does not plan.
    #[error("cannot plan {object}: {reason}")]
    Unsupported { object: String, reason: String },
    /// An object the SQL renderer rejects.
    #[error(transparent)]
    Render(#[from] strata_sql::RenderError),
}

/// The typed changes from `from` to `to`, in plan order (renames first), with the default
/// [`PlanOptions`] (grants the target does not declare are left alone).
pub fn diff(from: &Model, to: &Model) -> Vec<Change> {
    diff_with(from, to, &PlanOptions::default())
}

/// [`diff`] with the options of a [`plan`] (`prune` changes what is removed).
pub fn diff_with(from: &Model, to: &Model, opts: &PlanOptions) -> Vec<Change> {
    let (to, _) = effective_target(from, to, opts);
    match plan::build(from, &to, opts) {
        Ok(built) => built.changes,
        Err(_) => plan::unordered_changes(from, &to),
    }
}

/// What `from` has and `to` lacks that [`plan`] leaves alone under the ownership rule:
/// grants `to` does not declare (unless [`PlanOptions::prune`]) and migration tools'
/// bookkeeping tables.
pub fn left_alone(from: &Model, to: &Model, opts: &PlanOptions) -> Vec<LeftAlone> {
    effective_target(from, to, opts).1
}

/// `to` plus what the plan must leave alone in `from` (see [`LeftAlone`]).
fn effective_target(from: &Model, to: &Model, opts: &PlanOptions) -> (Model, Vec<LeftAlone>) {
    let (_, renamed) = rename::apply(from, to);
    ownership::keep(&renamed, to, opts.prune)
}

/// Drops and creates in the plan from `from` to `to` that look like renames the target does
/// not declare (a column dropped while one of the same type is added to the same table, a
/// table dropped while one with the same columns is created): one line each, saying how to
/// declare it.
pub fn rename_hints(from: &Model, to: &Model) -> Vec<String> {
    let (_, renamed) = rename::apply(from, to);
    hints::undeclared_renames(&renamed, to)
}

/// The ordered migration plan from `from` to `to`, with the reverse plan in [`Plan::down`].
pub fn plan(from: &Model, to: &Model, opts: &PlanOptions) -> Result<Plan, PlanError> {
    let (to, _) = effective_target(from, to, opts);
    let mut up = plan::build(from, &to, opts)?;
    // The reverse plan knows the renames by the names they had: swap them.
    let (rev_from, rev_to) = rename::reverse_models(from, &to);
    let mut down = plan::build(&rev_from, &rev_to, opts)?;
    step::hold_locks(&mut up.steps);
    step::hold_locks(&mut down.steps);
    Ok(Plan {
        steps: up.steps,
        down: down.steps,
        lock_timeout: opts.lock_timeout.clone(),
    })
}
