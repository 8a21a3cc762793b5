//! Typed errors of the migrations folder, the checksum file and the runner.

use std::path::PathBuf;

// The I/O errors are part of the message, not a `source`: printed with its chain, the error
// would otherwise say the same thing twice.
#[derive(Debug, thiserror::Error)]
pub enum FolderError {
    #[error("cannot read {}: {error}", path.display())]
    Io {
        path: PathBuf,
        error: std::io::Error,
    },
    #[error("`{file}` is a directory, not a migration file: move it out of the migrations folder")]
    NotAFile { file: String },
    #[error("{} is not UTF-8 text: save it as UTF-8", path.display())]
    NotUtf8 { path: PathBuf },
    #[error(
        "`{file}` is not a migration file name: name migrations `NNNN_name.up.sql` and `NNNN_name.down.sql`, and keep other SQL files out of the migrations folder"
    )]
    BadName { file: String },
    #[error(
        "version {version} is used by two migration files, `{first}` and `{second}`: keep one up file (and one down file with the same name) per version, and give the other migration the next free number"
    )]
    DuplicateVersion {
        version: u64,
        first: String,
        second: String,
    },
    #[error("`{file}` has no matching `.up.sql` file: add it or remove the down file")]
    MissingUp { file: String },
}

#[derive(Debug, thiserror::Error)]
pub enum SumError {
    #[error("cannot read {}: {error}", path.display())]
    Io {
        path: PathBuf,
        error: std::io::Error,
    },
    #[error(
        "strata.sum is missing: run `strata migrate hash` to record the migrations as they are"
    )]
    Missing,
    #[error("strata.sum line {line} is not `FILE h1:HASH`: restore it from version control")]
    Malformed { line: usize },
    #[error(
        "migration file `{file}` was edited after it was recorded in strata.sum: revert the edit and write a new migration instead (or, if it was never applied anywhere, run `strata migrate hash`)"
    )]
    Edited { file: String },
    #[error(
        "migration file `{file}` was inserted before `{before}`, which strata.sum already records: give it a version after the last migration"
    )]
    Inserted { file: String, before: String },
    #[error(
        "migration file `{file}` is listed in strata.sum but is missing from the folder: restore it (applied migrations must stay)"
    )]
    Removed { file: String },
    #[error(
        "strata.sum has no line for `{file}`, although the file was there when strata.sum was written: its line was deleted by hand; restore strata.sum from version control"
    )]
    LineDeleted { file: String },
    #[error(
        "strata.sum lists `{first}` before `{second}`, the opposite of the folder's order: its lines were moved by hand; restore strata.sum from version control"
    )]
    LinesMoved { first: String, second: String },
    #[error(
        "migration file `{file}` is not recorded in strata.sum: run `strata migrate hash` after writing a migration by hand"
    )]
    NotRecorded { file: String },
    #[error(
        "the total in strata.sum's first line does not match its lines: the file was edited by hand; run `strata migrate hash` after checking the migrations"
    )]
    BadTotal,
}

/// Why a run (apply, down, resolve, status) stopped.
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    // The server's message is in the text (see `describe`), not a `source`, so it is not
    // printed twice.
    #[error("{context}: {}", describe(error))]
    Db {
        context: &'static str,
        error: strata_pg::postgres::Error,
    },
    #[error(
        "another migrator holds the migration lock{}: wait for it to finish, or run again without --no-wait to wait",
        holder.as_ref().map(|h| format!(" ({h})")).unwrap_or_default()
    )]
    Locked { holder: Option<crate::lock::Holder> },
    #[error(
        "gave up waiting for the migration lock after {seconds} s: another migrator still holds it{}; wait for it to finish and run again, or raise --wait-timeout",
        holder.as_ref().map(|h| format!(" ({h})")).unwrap_or_default()
    )]
    LockTimeout {
        seconds: u64,
        holder: Option<crate::lock::Holder>,
    },
    #[error(
        "migration {id} is dirty: its {operation} stopped after {done} of {total} statement(s){}. Nothing runs until this is resolved: check the database, finish or undo the remaining statements of the {operation} file by hand, then run `strata migrate resolve {version} --applied` (the migration is fully applied) or `strata migrate resolve {version} --rolled-back` (none of it is)",
        error.as_ref().map(|e| format!(" ({e})")).unwrap_or_default()
    )]
    Dirty {
        version: u64,
        id: String,
        operation: String,
        done: i32,
        total: i32,
        error: Option<String>,
    },
    #[error("{file}{}: {message}{}", line.map(|l| format!(":{l}")).unwrap_or_default(), if *dirty {
        format!("; the migration ran without a transaction, so it is now flagged dirty: check the database, then run `strata migrate resolve {version} --applied` or `--rolled-back`")
    } else if applied_before.is_empty() {
        "; the migration's transaction was rolled back, the database is unchanged: fix the file (if it was never applied anywhere) and run again".to_string()
    } else {
        format!("; the migration's transaction was rolled back, so it changed nothing, but {} applied before it in this run and stay applied: fix the file (if it was never applied anywhere) and run again", applied_before.join(", "))
    })]
    Failed {
        version: u64,
        file: String,
        /// 1-based line in the file, when the server pointed into it.
        line: Option<usize>,
        message: String,
        dirty: bool,
        /// The migrations this run applied before the failing one (they stay applied).
        applied_before: Vec<String>,
    },
    #[error(
        "migration {id} is applied to the database but is not in the migrations folder: restore its files (applied migrations must stay), or roll the database back with the version of the folder that has it"
    )]
    NotInFolder { id: String },
    #[error(
        "migration {id} was changed after it was applied (its checksum differs from the one recorded in the database): revert the file and write a new migration for the change"
    )]
    ChecksumMismatch { id: String },
    #[error(
        "`{file}` was changed after its migration was applied (its checksum differs from the one recorded in the database when the migration was applied): restore the down file as it was, so that a rollback runs what was reviewed"
    )]
    DownChanged { file: String },
    #[error(
        "`{file}` was removed after its migration was applied (the database recorded a down file): restore it"
    )]
    DownRemoved { file: String },
    #[error(
        "migration {version} was applied as `{applied}` but the folder has it as `{found}`: it was renamed after it was applied; restore the name `{applied}`"
    )]
    Renamed {
        version: u64,
        applied: String,
        found: String,
    },
    #[error(
        "migration {pending} is pending but the later migration {applied} is already applied: give {pending} a version after the last applied migration"
    )]
    OutOfOrder { pending: String, applied: String },
    #[error(
        "{file}:{line}: `{statement}` deletes data ({code}); nothing was applied. Review it, then acknowledge it in the file with a line `-- strata:allow-hazard {code}` (and run `strata migrate hash`), or pass `--allow-hazard {code}` to `strata migrate apply`"
    )]
    Hazard {
        file: String,
        line: usize,
        statement: String,
        code: &'static str,
    },
    #[error("migration {id} has no down file ({id}.down.sql): write one to roll it back")]
    NoDown { id: String },
    #[error(
        "{file} contains `{statement}`: strata runs each migration in its own transaction; remove it, or add the line `-- strata:no-transaction` to run the file one statement at a time"
    )]
    TransactionControl { file: String, statement: String },
    #[error(
        "there is no migration {version} in the folder: give the version of one of its migrations"
    )]
    UnknownTarget { version: u64 },
    #[error("migration {version} is not dirty, so there is nothing to resolve{}", if *applied { " (it is applied)".to_string() } else { format!(" (it is not applied). To record migrations of a database whose schema was built without strata, use `strata migrate baseline {version}`") })]
    NotDirty { version: u64, applied: bool },
    #[error(
        "the database already has a migration history ({recorded} migration(s) recorded): a baseline is only for a database strata has never migrated; use `strata migrate apply`, or `strata migrate resolve` for a dirty migration"
    )]
    HistoryExists { recorded: usize },
    #[error(
        "role {role} may not read the migration history (strata.schema_migrations): permission \
         denied. Run this as the role that applies migrations, or let this role read it: \
         GRANT USAGE ON SCHEMA strata TO {role}; GRANT SELECT ON strata.schema_migrations TO {role};"
    )]
    HistoryDenied { role: String },
}

impl RunError {
    /// A closure turning a client error into [`RunError::Db`] with `context`.
    pub fn db(context: &'static str) -> impl Fn(strata_pg::postgres::Error) -> RunError {
        move |error| RunError::Db { context, error }
    }
}

fn describe(e: &strata_pg::postgres::Error) -> String {
    match e.as_db_error() {
        Some(db) => format!("{} (SQLSTATE {})", db.message(), db.code().code()),
        None => e.to_string(),
    }
}
