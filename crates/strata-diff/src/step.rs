//! Plan steps, their locks and hazards, and the psql script of a plan.

use serde::{Deserialize, Serialize};

/// A risk of running a step. The codes ([`Hazard::code`]) are stable and documented in
/// `docs/diff.md`; `strata diff --allow-hazard CODE` accepts them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Hazard {
    /// Drops a table, column or other object holding data, or values of an enum.
    DeletesData,
    /// Rewrites every row of a table (type change, `SET LOGGED`, ...).
    RewritesTable,
    /// Holds a lock that blocks reads or writes for as long as the table takes to scan or
    /// rewrite.
    LongLock,
    /// Removes or renames something clients may use (table, column, view, function, type).
    BreaksClients,
    /// Scans every row to validate a constraint (no writes are blocked).
    ValidatesRows,
    /// May fail on existing data (a new `NOT NULL` column without default, a removed enum
    /// value still in use, a new unique key over duplicates).
    MayFail,
    /// Drops and recreates an object (a view, a policy, ...) that briefly does not exist.
    RecreatesObject,
}

impl Hazard {
    pub const ALL: [Hazard; 7] = [
        Hazard::DeletesData,
        Hazard::RewritesTable,
        Hazard::LongLock,
        Hazard::BreaksClients,
        Hazard::ValidatesRows,
        Hazard::MayFail,
        Hazard::RecreatesObject,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Hazard::DeletesData => "deletes_data",
            Hazard::RewritesTable => "rewrites_table",
            Hazard::LongLock => "long_lock",
            Hazard::BreaksClients => "breaks_clients",
            Hazard::ValidatesRows => "validates_rows",
            Hazard::MayFail => "may_fail",
            Hazard::RecreatesObject => "recreates_object",
        }
    }

    pub fn from_code(code: &str) -> Option<Hazard> {
        Hazard::ALL.into_iter().find(|h| h.code() == code)
    }
}

/// The strongest table lock a step takes on an existing object (PostgreSQL's names).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LockLevel {
    /// No lock on anything that exists already (creating a new object).
    None,
    ShareUpdateExclusive,
    Share,
    ShareRowExclusive,
    AccessExclusive,
}

impl LockLevel {
    pub fn sql(self) -> &'static str {
        match self {
            LockLevel::None => "none",
            LockLevel::ShareUpdateExclusive => "SHARE UPDATE EXCLUSIVE",
            LockLevel::Share => "SHARE",
            LockLevel::ShareRowExclusive => "SHARE ROW EXCLUSIVE",
            LockLevel::AccessExclusive => "ACCESS EXCLUSIVE",
        }
    }
}

/// One step of a plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Step {
    /// Complete statements, each ending in `;`. A non-transactional step holds exactly one.
    pub sql: String,
    /// The strongest lock held on objects that exist before the plan while the step runs:
    /// the one it takes ([`Step::takes`]), or a stronger one an earlier step of the same
    /// transaction took (locks are held until COMMIT).
    pub lock: LockLevel,
    /// The strongest lock the step itself takes on an existing object.
    pub takes: LockLevel,
    /// Whether the step runs inside a transaction block, with the transactional steps next
    /// to it. Not when PostgreSQL forbids it (`CREATE INDEX CONCURRENTLY`, `ADD VALUE`) or
    /// when its lock claim would not hold there: a validation scan runs in a transaction of
    /// its own, after the one that added the constraint has committed and released its
    /// stronger lock.
    pub transactional: bool,
    pub hazards: Vec<Hazard>,
    /// Statements undoing this step alone, where one exists (a drop has none: the data is
    /// gone). [`Plan::down`] is the complete way back.
    pub reverse: Option<String>,
    pub description: String,
    /// A table that must have no rows for the step to succeed (a `NOT NULL` column added
    /// without a default). A plan made from a live database can check it before running:
    /// see [`Step::fails_on_rows`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub needs_empty: Option<strata_model::QualifiedName>,
}

impl Step {
    /// `SELECT EXISTS (...)` true when the step is certain to fail on the rows the database
    /// has, or `None` when no rows can make it fail.
    pub fn fails_on_rows(&self) -> Option<String> {
        self.needs_empty
            .as_ref()
            .map(|t| format!("SELECT EXISTS (SELECT 1 FROM {})", t.quoted()))
    }
}

/// Options of [`crate::plan`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanOptions {
    /// Build indexes and keys concurrently, add constraints `NOT VALID` then validate,
    /// `SET NOT NULL` through a check. Off: plain statements, all in one transaction.
    pub online: bool,
    /// `lock_timeout` set before every locking step (`None`: leave the session's).
    pub lock_timeout: Option<String>,
    /// Revoke grants the target does not declare. Off: they are left alone and listed in
    /// [`Plan::left_alone`] (see the ownership rule in `docs/diff.md`).
    pub prune: bool,
}

impl Default for PlanOptions {
    fn default() -> Self {
        PlanOptions {
            online: true,
            lock_timeout: Some("5s".to_string()),
            prune: false,
        }
    }
}

/// An ordered plan and its way back.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Plan {
    pub steps: Vec<Step>,
    /// The plan from `to` back to `from`.
    pub down: Vec<Step>,
    pub lock_timeout: Option<String>,
}

impl Plan {
    pub fn is_empty(&self) -> bool {
        self.steps.is_empty()
    }

    /// Every hazard of the steps, sorted, once each.
    pub fn hazards(&self) -> Vec<Hazard> {
        let mut out: Vec<Hazard> = self
            .steps
            .iter()
            .flat_map(|s| s.hazards.iter().copied())
            .collect();
        out.sort();
        out.dedup();
        out
    }

    /// The steps as a script `psql` runs as is.
    pub fn up_sql(&self) -> String {
        script(&self.steps, self.lock_timeout.as_deref())
    }

    /// The way back as a script `psql` runs as is.
    pub fn down_sql(&self) -> String {
        script(&self.down, self.lock_timeout.as_deref())
    }
}

/// Sets each step's [`Step::lock`] to the strongest lock its transaction holds while it
/// runs: a run of transactional steps is one transaction (the script, `strata apply` and a
/// migration file all group them so), a step outside a transaction holds only its own.
pub(crate) fn hold_locks(steps: &mut [Step]) {
    let mut held = LockLevel::None;
    for step in steps {
        if step.transactional {
            held = held.max(step.takes);
            step.lock = held;
        } else {
            held = LockLevel::None;
            step.lock = step.takes;
        }
    }
}

/// Transactional steps in runs inside `BEGIN; ... COMMIT;`, others alone. Each step is
/// preceded by a comment with its description, lock and hazards.
pub fn script(steps: &[Step], lock_timeout: Option<&str>) -> String {
    let mut out = String::new();
    let mut in_tx = false;
    for step in steps {
        if step.transactional && !in_tx {
            out.push_str("BEGIN;\n");
            in_tx = true;
        } else if !step.transactional && in_tx {
            out.push_str("COMMIT;\n\n");
            in_tx = false;
        }
        out.push_str(&format!("-- {}\n", step.description.replace('\n', " ")));
        let mut meta = format!("--   lock: {}", step.lock.sql());
        if step.lock > step.takes {
            meta.push_str(" (held from an earlier step of this transaction)");
        }
        if !step.hazards.is_empty() {
            let codes: Vec<&str> = step.hazards.iter().map(|h| h.code()).collect();
            meta.push_str(&format!("; hazards: {}", codes.join(", ")));
        }
        if !step.transactional {
            meta.push_str("; outside a transaction");
        }
        out.push_str(&meta);
        out.push('\n');
        let timeout = lock_timeout.filter(|_| step.takes != LockLevel::None);
        if let Some(t) = timeout {
            out.push_str(&crate::recipes::lock_timeout(t, step.transactional));
            out.push('\n');
        }
        out.push_str(step.sql.trim_end());
        out.push('\n');
        if timeout.is_some() && !step.transactional {
            out.push_str("RESET lock_timeout;\n");
        }
        out.push('\n');
    }
    if in_tx {
        out.push_str("COMMIT;\n");
    }
    out
}
