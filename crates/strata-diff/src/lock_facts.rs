//! What PostgreSQL does to an existing table for each kind of schema change, per major version
//! (14 to 18): the strongest lock it takes on the table, whether it rewrites the table (a new
//! file: time and disk in proportion to the table) and whether it reads every row to check
//! something (a scan, under that lock). The planner's recipes are built on these facts and the
//! linter's migration rules quote them. `tests/lock_facts.rs` proves the locks, rewrites and
//! transaction-block facts on every major of the version matrix (`pg_locks` read from a second
//! connection, `pg_relation_filenode` before and after).

use crate::LockLevel;

/// The PostgreSQL majors the facts cover (and the version matrix tests).
pub const MAJORS: [u32; 5] = [14, 15, 16, 17, 18];

/// A kind of schema change to an existing table (or its index, constraint or column).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Operation {
    CreateIndex,
    CreateIndexConcurrently,
    DropIndex,
    DropIndexConcurrently,
    Reindex,
    ReindexConcurrently,
    /// `ADD COLUMN` without a default or with a non-volatile one (no rewrite since 11).
    AddColumn,
    /// `ADD COLUMN` with a volatile default (`random()`, `clock_timestamp()`,
    /// `gen_random_uuid()`): every row gets its own value, written into a new file.
    AddColumnVolatileDefault,
    /// `ADD COLUMN` of a domain type with constraints: the server rewrites to check them.
    AddColumnConstrainedDomain,
    /// `ADD COLUMN ... GENERATED ALWAYS AS (...) STORED`.
    AddColumnGeneratedStored,
    /// `ADD COLUMN ... GENERATED ALWAYS AS (...) VIRTUAL` (18+).
    AddColumnGeneratedVirtual,
    DropColumn,
    RenameColumn,
    RenameTable,
    /// `ALTER COLUMN ... TYPE` to a type that is not binary-coercible from the old one.
    AlterColumnType,
    SetNotNull,
    DropNotNull,
    SetDefault,
    /// `ADD CONSTRAINT ... CHECK (...)` (validated).
    AddCheck,
    AddCheckNotValid,
    /// `ADD CONSTRAINT ... FOREIGN KEY` (validated); the lock is on both tables.
    AddForeignKey,
    AddForeignKeyNotValid,
    /// `ADD CONSTRAINT name NOT NULL column NOT VALID` (18+).
    AddNotNullNotValid,
    ValidateConstraint,
    /// `ADD UNIQUE` / `ADD PRIMARY KEY` building its index.
    AddUniqueOrPrimaryKey,
    /// `ADD ... USING INDEX` over an index built beforehand.
    AddConstraintUsingIndex,
    DropConstraint,
    AttachPartition,
    DetachPartition,
    DetachPartitionConcurrently,
    DropTable,
    Truncate,
    /// `VACUUM FULL` and `CLUSTER`.
    VacuumFullOrCluster,
    CreateTrigger,
    /// `ALTER TABLE ... SET STATISTICS` / `SET (storage parameter)`.
    SetStatisticsOrStorage,
    /// `ALTER TYPE ... ADD VALUE`.
    EnumAddValue,
}

/// What one operation does on one major version.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Fact {
    /// The strongest lock on the existing table (`None`: none beyond what reads take).
    pub lock: LockLevel,
    /// Whether the table (and its indexes) are written anew.
    pub rewrites: bool,
    /// Whether every row is read to check or build something, while `lock` is held.
    pub scans: bool,
    /// Whether it may run inside a transaction block.
    pub in_transaction: bool,
}

const fn fact(lock: LockLevel, rewrites: bool, scans: bool) -> Fact {
    Fact {
        lock,
        rewrites,
        scans,
        in_transaction: true,
    }
}

const fn outside_transaction(lock: LockLevel, scans: bool) -> Fact {
    Fact {
        lock,
        rewrites: false,
        scans,
        in_transaction: false,
    }
}

/// The facts of `op` on PostgreSQL `major`; `None` when that major lacks the operation.
pub fn fact_of(op: Operation, major: u32) -> Option<Fact> {
    use LockLevel::{AccessExclusive, Share, ShareRowExclusive, ShareUpdateExclusive};
    use Operation::*;
    Some(match op {
        // SHARE blocks writes for the whole build; CONCURRENTLY waits for them instead.
        CreateIndex => fact(Share, false, true),
        CreateIndexConcurrently => outside_transaction(ShareUpdateExclusive, true),
        DropIndex => fact(AccessExclusive, false, false),
        DropIndexConcurrently => outside_transaction(ShareUpdateExclusive, false),
        Reindex => fact(Share, false, true),
        ReindexConcurrently => outside_transaction(ShareUpdateExclusive, true),
        AddColumn | DropColumn | RenameColumn | RenameTable | DropNotNull | SetDefault => {
            fact(AccessExclusive, false, false)
        }
        AddColumnVolatileDefault | AddColumnConstrainedDomain | AddColumnGeneratedStored => {
            fact(AccessExclusive, true, true)
        }
        AddColumnGeneratedVirtual if major >= 18 => fact(AccessExclusive, false, false),
        AddColumnGeneratedVirtual => return None,
        AlterColumnType => fact(AccessExclusive, true, true),
        // Skipped when a valid CHECK (column IS NOT NULL) proves it (since 12).
        SetNotNull => fact(AccessExclusive, false, true),
        AddCheck => fact(AccessExclusive, false, true),
        AddCheckNotValid => fact(AccessExclusive, false, false),
        AddForeignKey => fact(ShareRowExclusive, false, true),
        AddForeignKeyNotValid => fact(ShareRowExclusive, false, false),
        AddNotNullNotValid if major >= 18 => fact(AccessExclusive, false, false),
        AddNotNullNotValid => return None,
        ValidateConstraint => fact(ShareUpdateExclusive, false, true),
        AddUniqueOrPrimaryKey => fact(AccessExclusive, false, true),
        AddConstraintUsingIndex => fact(AccessExclusive, false, false),
        DropConstraint => fact(AccessExclusive, false, false),
        // On the parent; the partition itself is scanned unless a valid CHECK proves the bound.
        AttachPartition => fact(ShareUpdateExclusive, false, true),
        DetachPartition => fact(AccessExclusive, false, false),
        DetachPartitionConcurrently => outside_transaction(ShareUpdateExclusive, false),
        DropTable | Truncate => fact(AccessExclusive, false, false),
        VacuumFullOrCluster => Fact {
            lock: AccessExclusive,
            rewrites: true,
            scans: true,
            in_transaction: false,
        },
        CreateTrigger => fact(ShareRowExclusive, false, false),
        SetStatisticsOrStorage => fact(ShareUpdateExclusive, false, false),
        // Allowed in a transaction block since 12; the new value is usable after COMMIT.
        EnumAddValue => fact(LockLevel::None, false, false),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_differ_where_postgresql_does() {
        assert!(fact_of(Operation::AddNotNullNotValid, 17).is_none());
        assert!(fact_of(Operation::AddNotNullNotValid, 18).is_some());
        assert!(fact_of(Operation::AddColumnGeneratedVirtual, 14).is_none());
        for major in MAJORS {
            let f = fact_of(Operation::CreateIndexConcurrently, major).expect("every major");
            assert!(!f.in_transaction && f.lock == LockLevel::ShareUpdateExclusive);
            let plain = fact_of(Operation::AddColumn, major).expect("every major");
            assert!(
                !plain.rewrites,
                "ADD COLUMN without a volatile default on {major}"
            );
        }
    }
}
