//! Stable codes of the diagnostics that SQL files and live databases produce as schema input
//! (the CLI turns them into diagnostics; the range 6xxx is theirs).

/// An object (or a property of one) the model cannot represent.
pub const UNMODELLED: &str = "W6001";
/// A psql meta-command line of an SQL file was skipped.
pub const META_COMMAND_SKIPPED: &str = "I6002";
/// The server rejected a statement of the SQL file.
pub const SQL_ERROR: &str = "E6003";
/// The SQL file creates an extension the server does not have.
pub const MISSING_EXTENSION: &str = "E6004";
/// Roles the SQL file names were created (NOLOGIN) on the server it is applied to.
pub const ROLES_CREATED: &str = "I6005";
/// The SQL file loads data with `COPY ... FROM stdin`, which needs psql.
pub const COPY_FROM_STDIN: &str = "E6006";

/// The SQL file needs a privilege SQL input never has (programs, server files, roles,
/// server settings).
pub const PRIVILEGE_REFUSED: &str = "E6007";
/// The SQL file ran longer than the SQL input time limit and was cancelled.
pub const SQL_TIMEOUT: &str = "E6008";
/// The SQL file creates an extension that is not trusted.
pub const UNTRUSTED_EXTENSION: &str = "E6009";
/// The SQL file controls the transaction it is applied in (`BEGIN`, `COMMIT`, `ROLLBACK`, …).
pub const TRANSACTION_CONTROL: &str = "E6010";
/// A `BEGIN` … `COMMIT` around the whole SQL file was skipped.
pub const WHOLE_FILE_TRANSACTION: &str = "I6011";
/// A migration tool's history table (or Strata's own) was left out of the schema read.
pub const BOOKKEEPING_EXCLUDED: &str = "I6040";
/// Objects were left out by `--include` / `--exclude`.
pub const PATTERN_EXCLUDED: &str = "I6041";

/// Every code with its meaning, for the generated diagnostics reference.
pub const ALL: &[(&str, &str)] = &[
    (
        UNMODELLED,
        "an object of the database (or a property of one) that the model cannot represent: it is left out, by name",
    ),
    (
        META_COMMAND_SKIPPED,
        "a psql meta-command line (such as `\\restrict`) of an SQL file was skipped",
    ),
    (
        SQL_ERROR,
        "the server rejected a statement of the SQL file (file, line, column and the server's message)",
    ),
    (
        MISSING_EXTENSION,
        "the SQL file creates an extension the server does not have",
    ),
    (
        ROLES_CREATED,
        "roles the SQL file names were created (NOLOGIN) on the throwaway server",
    ),
    (
        COPY_FROM_STDIN,
        "the SQL file loads data with `COPY ... FROM stdin`, which only psql can feed: use a schema-only dump",
    ),
    (
        PRIVILEGE_REFUSED,
        "the SQL file needs a privilege SQL input is never given (running programs, reading or writing server files, large-object import, changing roles or server settings): it is applied as an unprivileged role",
    ),
    (
        SQL_TIMEOUT,
        "the SQL file ran longer than `--sql-timeout` (30 s by default) and was cancelled",
    ),
    (
        UNTRUSTED_EXTENSION,
        "the SQL file creates an extension PostgreSQL does not mark trusted (such as `file_fdw` or `adminpack`), which SQL input may not create",
    ),
    (
        TRANSACTION_CONTROL,
        "the SQL file has a top-level `BEGIN`, `COMMIT`, `ROLLBACK`, `SAVEPOINT` or similar: it is applied in one transaction, which these would end or split",
    ),
    (
        WHOLE_FILE_TRANSACTION,
        "a `BEGIN` as the first statement and `COMMIT` as the last (as `pg_restore --single-transaction` writes them) were skipped: the file is applied in one transaction anyway",
    ),
    (
        BOOKKEEPING_EXCLUDED,
        "a migration tool's history table (Alembic, Flyway, sqlx, Prisma, Rails, Django, ... or Strata's own `strata.schema_migrations`) was left out of the schema read; `--include '*'` reads it",
    ),
    (
        PATTERN_EXCLUDED,
        "objects were left out by `--include` / `--exclude` patterns (the first few are named)",
    ),
];
