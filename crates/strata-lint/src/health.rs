//! What the live-health (`H`) rules read: one snapshot of a running database's statistics and
//! catalogs, taken by [`collect`] over a connection. The rules only read the snapshot, so they
//! stay pure functions and the queries live in one place.
//!
//! The queries read only columns that PostgreSQL 14 to 18 all have (`pg_stat_user_indexes`,
//! `pg_stat_user_tables`, `pg_stat_database`, `pg_sequences`, `pg_stats`), so no query
//! depends on the server's version.

use postgres::Client;

/// A failure to read the database's statistics.
#[derive(Debug, thiserror::Error)]
pub enum HealthError {
    #[error("reading the database's statistics failed ({what}): {source}")]
    Query {
        what: &'static str,
        #[source]
        source: postgres::Error,
    },
    #[error(
        "reading the database's statistics failed: column {column} of a row is not what Strata expects ({source}); report it with the server's version"
    )]
    Column {
        column: usize,
        #[source]
        source: postgres::Error,
    },
}

/// Column `column` of `row`, or an error rather than a panic when its type or nullness is not
/// what the query promises.
fn get<'a, T: postgres::types::FromSql<'a>>(
    row: &'a postgres::Row,
    column: usize,
) -> Result<T, HealthError> {
    row.try_get(column)
        .map_err(|source| HealthError::Column { column, source })
}

/// The database-wide facts.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Health {
    /// `current_database()`.
    pub database: String,
    /// How many seconds the cumulative statistics cover: since `pg_stat_database.stats_reset`,
    /// or since the server started when they were never reset.
    pub stats_seconds: i64,
    /// The server's `autovacuum_freeze_max_age`.
    pub freeze_max_age: i64,
    /// `age(datfrozenxid)` of the database.
    pub database_xid_age: i64,
    pub indexes: Vec<IndexHealth>,
    pub tables: Vec<TableHealth>,
    pub sequences: Vec<SequenceHealth>,
    pub integer_keys: Vec<IntegerKey>,
    pub default_privileges: Vec<DefaultPrivilege>,
    pub replication_slots: Vec<ReplicationSlot>,
    pub prepared_transactions: Vec<PreparedTransaction>,
}

/// A transaction prepared for two-phase commit and not yet committed or rolled back
/// (`pg_prepared_xacts`); they belong to the server, not to a database.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PreparedTransaction {
    /// The global identifier given to `PREPARE TRANSACTION`.
    pub gid: String,
    pub database: String,
    pub owner: String,
    /// Seconds since it was prepared.
    pub seconds: i64,
    /// The age of its transaction ID: how far it holds vacuum back.
    pub xid_age: i64,
}

/// A replication slot (`pg_replication_slots`); slots belong to the server, not to a
/// database.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ReplicationSlot {
    pub name: String,
    /// `physical` or `logical`.
    pub kind: String,
    /// The database of a logical slot.
    pub database: Option<String>,
    /// Whether a client is streaming from it now.
    pub active: bool,
    /// Bytes of WAL the server keeps for it (from its `restart_lsn` to the current position).
    pub retained_bytes: Option<i64>,
    /// The age of the oldest transaction it holds back from vacuum (`xmin` or
    /// `catalog_xmin`).
    pub xmin_age: Option<i64>,
}

/// One index of a user schema.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct IndexHealth {
    pub schema: String,
    pub table: String,
    pub name: String,
    /// `pg_index.indisvalid`: false after a failed `CREATE INDEX CONCURRENTLY` (or
    /// `REINDEX CONCURRENTLY`), or for a partitioned index some partition lacks.
    pub valid: bool,
    /// `pg_index.indisready`: false when the index is not even maintained by writes.
    pub ready: bool,
    /// Whether the index is partitioned (`relkind = 'I'`) or a partition of one.
    pub partitioned: bool,
    /// Unique, or backs a primary key, unique, exclusion or foreign-key constraint, or is the
    /// replica identity: needed whether or not a query ever scans it.
    pub required: bool,
    /// `pg_stat_user_indexes.idx_scan` (0 when the index has no statistics).
    pub scans: i64,
    /// `pg_relation_size`.
    pub size_bytes: i64,
    /// `pg_get_indexdef`, to recreate it.
    pub definition: String,
    /// The estimated bytes beyond what the live entries need, for B-tree indexes whose
    /// columns all have statistics.
    pub bloat_bytes: Option<i64>,
}

/// One table or materialized view of a user schema.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TableHealth {
    pub schema: String,
    pub name: String,
    /// `age(relfrozenxid)`, the older of the table and its TOAST table.
    pub xid_age: i64,
    /// The `autovacuum_freeze_max_age` that applies: the table's storage parameter, else the
    /// server's.
    pub freeze_max_age: i64,
    /// `n_live_tup`.
    pub live_rows: i64,
    /// `n_mod_since_analyze`.
    pub modified_since_analyze: i64,
    /// Seconds since the last `ANALYZE` or auto-analyze; `None` when never analyzed.
    pub analyzed_seconds_ago: Option<i64>,
    /// `n_dead_tup`: dead row versions vacuum has not removed yet.
    pub dead_rows: i64,
    /// `seq_scan`, `seq_tup_read` and `idx_scan` (0 without statistics).
    pub seq_scans: i64,
    pub seq_rows_read: i64,
    pub index_scans: i64,
    /// Whether autovacuum is switched off for this table (`autovacuum_enabled = off`).
    pub autovacuum_off: bool,
    /// `pg_relation_size` of the heap.
    pub size_bytes: i64,
    /// The estimated bytes beyond what the live rows need (with the fillfactor), when every
    /// column has statistics.
    pub bloat_bytes: Option<i64>,
}

/// A sequence and the column it feeds.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SequenceHealth {
    pub schema: String,
    pub name: String,
    /// `None` until the first `nextval`.
    pub last_value: Option<i64>,
    pub min_value: i64,
    pub max_value: i64,
    pub increment: i64,
    pub cycle: bool,
    /// The column that owns it (serial or identity): `schema.table.column`, and the largest
    /// value the column's type holds.
    pub column: Option<(String, i64)>,
}

/// A `smallint` or `integer` column that alone is a primary key or unique key and is not fed
/// by a sequence of its own.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct IntegerKey {
    pub schema: String,
    pub table: String,
    pub column: String,
    pub type_name: String,
    /// The largest value the type holds.
    pub type_max: i64,
    /// The largest absolute value in the column (`None` for an empty table).
    pub largest: Option<i64>,
}

/// One grant of `ALTER DEFAULT PRIVILEGES` (`pg_default_acl`).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DefaultPrivilege {
    /// The role whose new objects get the grant (`FOR ROLE`).
    pub owner: String,
    /// `IN SCHEMA`, when limited to one schema.
    pub schema: Option<String>,
    /// `TABLES`, `SEQUENCES`, `FUNCTIONS`, `TYPES` or `SCHEMAS`.
    pub object_type: String,
    /// The role granted to, or `PUBLIC`.
    pub grantee: String,
    /// The privilege (`SELECT`, `INSERT`, ...).
    pub privilege: String,
}

/// Schemas the rules look at: not the system's.
const USER_SCHEMA: &str = "n.nspname NOT IN ('pg_catalog', 'information_schema') \
     AND n.nspname !~ '^pg_toast' AND n.nspname !~ '^pg_temp_'";

/// Relations (`REL` is replaced by the alias) that are not an extension's: the extension
/// manages them, the user cannot fix them.
const NOT_EXTENSION: &str = "NOT EXISTS (SELECT 1 FROM pg_depend e WHERE e.classid = 'pg_class'::regclass \
     AND e.objid = REL.oid AND e.deptype = 'e')";

fn not_extension(alias: &str) -> String {
    NOT_EXTENSION.replace("REL", alias)
}

fn database_query() -> &'static str {
    "SELECT current_database()::text,
            coalesce(extract(epoch FROM now() - coalesce(s.stats_reset, pg_postmaster_start_time())), 0)::bigint,
            current_setting('autovacuum_freeze_max_age')::bigint,
            age(d.datfrozenxid)::bigint
       FROM pg_database d
       LEFT JOIN pg_stat_database s ON s.datid = d.oid
      WHERE d.datname = current_database()"
}

fn index_query() -> String {
    format!(
        "SELECT n.nspname::text, t.relname::text, c.relname::text, i.indisvalid, i.indisready,
                (c.relkind = 'I' OR EXISTS (SELECT 1 FROM pg_inherits h WHERE h.inhrelid = c.oid)),
                (i.indisunique OR i.indisreplident OR EXISTS (
                    SELECT 1 FROM pg_constraint k
                     WHERE k.conindid = c.oid AND k.contype IN ('p', 'u', 'x', 'f'))),
                coalesce(s.idx_scan, 0)::bigint,
                pg_relation_size(c.oid)::bigint,
                pg_get_indexdef(c.oid),
                b.bloat_bytes
           FROM pg_index i
           JOIN pg_class c ON c.oid = i.indexrelid
           JOIN pg_class t ON t.oid = i.indrelid
           JOIN pg_namespace n ON n.oid = t.relnamespace
           JOIN pg_am am ON am.oid = c.relam
           LEFT JOIN pg_stat_user_indexes s ON s.indexrelid = c.oid
           LEFT JOIN LATERAL ({bloat}) b ON am.amname = 'btree' AND c.relkind = 'i'
          WHERE {USER_SCHEMA} AND {ext}
          ORDER BY 1, 2, 3",
        bloat = INDEX_BLOAT,
        ext = not_extension("t"),
    )
}

/// The B-tree estimate: each live entry takes its index tuple (an 8-byte header, a null bitmap
/// when a column has nulls, the columns' average widths from `pg_stats`, aligned to 8 bytes)
/// plus a 4-byte line pointer; a leaf page holds `fillfactor`% of the 8 kB less the page
/// header (24 bytes) and the B-tree special space (16 bytes); one meta page. What the index
/// holds beyond that estimate is reported. Expression columns read the statistics `ANALYZE`
/// keeps under the index's name; a column without statistics makes the estimate unknown.
const INDEX_BLOAT: &str = "
    SELECT CASE WHEN w.missing > 0 OR c.reltuples < 0 THEN NULL
                ELSE greatest(0, c.relpages - 1 - ceil(c.reltuples / greatest(1, floor(
                       (current_setting('block_size')::numeric - 40)
                       * coalesce((SELECT option_value::numeric FROM pg_options_to_table(c.reloptions)
                                    WHERE option_name = 'fillfactor'), 90) / 100
                       / (ceil((8 + w.nullmap + w.width) / 8) * 8 + 4)))))::bigint
                       * current_setting('block_size')::bigint
           END AS bloat_bytes
      FROM (SELECT count(*) FILTER (WHERE st.avg_width IS NULL) AS missing,
                   coalesce(sum((1 - coalesce(st.null_frac, 0)) * st.avg_width), 0) AS width,
                   CASE WHEN max(coalesce(st.null_frac, 0)) > 0 THEN ceil(count(*) / 8.0) ELSE 0 END AS nullmap
              FROM unnest(i.indkey::int2[]) WITH ORDINALITY AS k(attnum, pos)
              LEFT JOIN pg_attribute ta ON ta.attrelid = t.oid AND ta.attnum = k.attnum AND k.attnum > 0
              LEFT JOIN pg_attribute ia ON ia.attrelid = c.oid AND ia.attnum = k.pos
              LEFT JOIN pg_stats st ON st.schemaname = n.nspname AND NOT st.inherited
                   AND ((k.attnum > 0 AND st.tablename = t.relname AND st.attname = ta.attname)
                     OR (k.attnum = 0 AND st.tablename = c.relname AND st.attname = ia.attname))
           ) w";

fn table_query() -> String {
    format!(
        "SELECT n.nspname::text, c.relname::text,
                greatest(age(c.relfrozenxid), coalesce(age(tt.relfrozenxid), 0))::bigint,
                coalesce((SELECT option_value FROM pg_options_to_table(c.reloptions)
                           WHERE option_name = 'autovacuum_freeze_max_age'),
                         current_setting('autovacuum_freeze_max_age'))::bigint,
                coalesce(s.n_live_tup, 0)::bigint,
                coalesce(s.n_mod_since_analyze, 0)::bigint,
                extract(epoch FROM now() - greatest(s.last_analyze, s.last_autoanalyze))::bigint,
                coalesce((SELECT option_value FROM pg_options_to_table(c.reloptions)
                           WHERE option_name = 'autovacuum_enabled'), 'on') IN ('off', 'false', 'no', '0'),
                pg_relation_size(c.oid)::bigint,
                b.bloat_bytes,
                coalesce(s.n_dead_tup, 0)::bigint,
                coalesce(s.seq_scan, 0)::bigint,
                coalesce(s.seq_tup_read, 0)::bigint,
                coalesce(s.idx_scan, 0)::bigint
           FROM pg_class c
           JOIN pg_namespace n ON n.oid = c.relnamespace
           LEFT JOIN pg_class tt ON tt.oid = c.reltoastrelid
           LEFT JOIN pg_stat_user_tables s ON s.relid = c.oid
           LEFT JOIN LATERAL ({bloat}) b ON true
          WHERE c.relkind IN ('r', 'm') AND {USER_SCHEMA} AND {ext}
          ORDER BY 1, 2",
        bloat = TABLE_BLOAT,
        ext = not_extension("c"),
    )
}

/// The heap estimate (the statistics-based method PgHero and check_postgres popularised): a
/// row takes a 23-byte header (plus a null bitmap when a column has nulls) and the columns'
/// average widths from `pg_stats`, aligned to 8 bytes, plus a 4-byte line pointer; a page holds
/// `fillfactor`% of the 8 kB less its 24-byte header. The heap's pages beyond
/// `reltuples` such rows need are reported. A column without statistics makes it unknown.
const TABLE_BLOAT: &str = "
    SELECT CASE WHEN w.missing > 0 OR c.reltuples < 0 THEN NULL
                ELSE greatest(0, c.relpages - ceil(c.reltuples / greatest(1, floor(
                       (current_setting('block_size')::numeric - 24)
                       * coalesce((SELECT option_value::numeric FROM pg_options_to_table(c.reloptions)
                                    WHERE option_name = 'fillfactor'), 100) / 100
                       / (ceil((23 + w.nullmap + w.width) / 8) * 8 + 4)))))::bigint
                       * current_setting('block_size')::bigint
           END AS bloat_bytes
      FROM (SELECT count(*) FILTER (WHERE st.avg_width IS NULL) AS missing,
                   coalesce(sum((1 - coalesce(st.null_frac, 0)) * st.avg_width), 0) AS width,
                   CASE WHEN max(coalesce(st.null_frac, 0)) > 0 THEN ceil(count(*) / 8.0) ELSE 0 END AS nullmap
              FROM pg_attribute a
              LEFT JOIN pg_stats st ON st.schemaname = n.nspname AND st.tablename = c.relname
                   AND st.attname = a.attname AND NOT st.inherited
             WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
           ) w";

fn sequence_query() -> String {
    format!(
        "SELECT n.nspname::text, c.relname::text, s.last_value, s.min_value, s.max_value,
                s.increment_by, s.cycle,
                tn.nspname::text || '.' || t.relname::text || '.' || a.attname::text,
                CASE a.atttypid WHEN 'int2'::regtype THEN 32767
                                WHEN 'int4'::regtype THEN 2147483647
                                ELSE 9223372036854775807 END::bigint
           FROM pg_sequences s
           JOIN pg_namespace n ON n.nspname = s.schemaname
           JOIN pg_class c ON c.relnamespace = n.oid AND c.relname = s.sequencename
           LEFT JOIN pg_depend d ON d.classid = 'pg_class'::regclass AND d.objid = c.oid
                AND d.refclassid = 'pg_class'::regclass AND d.deptype IN ('a', 'i')
           LEFT JOIN pg_class t ON t.oid = d.refobjid
           LEFT JOIN pg_namespace tn ON tn.oid = t.relnamespace
           LEFT JOIN pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid
          WHERE {USER_SCHEMA} AND {ext}
          ORDER BY 1, 2",
        ext = not_extension("c"),
    )
}

/// Single-column integer keys with no sequence of their own: the table and column, to read
/// their largest value (through the key's index, so it costs two index descents).
fn integer_key_query() -> String {
    format!(
        "SELECT DISTINCT n.nspname::text, t.relname::text, a.attname::text,
                format_type(a.atttypid, NULL),
                CASE a.atttypid WHEN 'int2'::regtype THEN 32767 ELSE 2147483647 END::bigint
           FROM pg_constraint k
           JOIN pg_class t ON t.oid = k.conrelid
           JOIN pg_namespace n ON n.oid = t.relnamespace
           JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.conkey[1]
          WHERE k.contype IN ('p', 'u') AND cardinality(k.conkey) = 1
            AND a.atttypid IN ('int2'::regtype, 'int4'::regtype)
            AND t.relkind IN ('r', 'p')
            AND NOT EXISTS (SELECT 1 FROM pg_depend d
                             WHERE d.refobjid = t.oid AND d.refobjsubid = a.attnum
                               AND d.classid = 'pg_class'::regclass AND d.deptype IN ('a', 'i'))
            AND {USER_SCHEMA} AND {ext}
          ORDER BY 1, 2, 3",
        ext = not_extension("t"),
    )
}

fn default_privilege_query() -> &'static str {
    "SELECT pg_get_userbyid(d.defaclrole)::text, n.nspname::text,
            CASE d.defaclobjtype WHEN 'r' THEN 'TABLES' WHEN 'S' THEN 'SEQUENCES'
                 WHEN 'f' THEN 'FUNCTIONS' WHEN 'T' THEN 'TYPES' ELSE 'SCHEMAS' END,
            CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE pg_get_userbyid(a.grantee)::text END,
            a.privilege_type
       FROM pg_default_acl d
       LEFT JOIN pg_namespace n ON n.oid = d.defaclnamespace
      CROSS JOIN LATERAL aclexplode(d.defaclacl) a
      ORDER BY 1, 2, 3, 4, 5"
}

fn run(
    client: &mut Client,
    what: &'static str,
    sql: &str,
) -> Result<Vec<postgres::Row>, HealthError> {
    client
        .query(sql, &[])
        .map_err(|source| HealthError::Query { what, source })
}

fn quote_ident(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// Reads the snapshot the `H` rules need. Only reads: every query is a `SELECT` over the
/// catalogs and statistics views, plus `max()` of the integer keys that no sequence feeds.
pub fn collect(client: &mut Client) -> Result<Health, HealthError> {
    let mut h = collect_indexes(client)?;
    for row in run(client, "tables", &table_query())? {
        h.tables.push(TableHealth {
            schema: get(&row, 0)?,
            name: get(&row, 1)?,
            xid_age: get(&row, 2)?,
            freeze_max_age: get(&row, 3)?,
            live_rows: get(&row, 4)?,
            modified_since_analyze: get(&row, 5)?,
            analyzed_seconds_ago: get(&row, 6)?,
            autovacuum_off: get(&row, 7)?,
            size_bytes: get(&row, 8)?,
            bloat_bytes: get(&row, 9)?,
            dead_rows: get(&row, 10)?,
            seq_scans: get(&row, 11)?,
            seq_rows_read: get(&row, 12)?,
            index_scans: get(&row, 13)?,
        });
    }
    for row in run(client, "sequences", &sequence_query())? {
        let column: Option<String> = get(&row, 7)?;
        h.sequences.push(SequenceHealth {
            schema: get(&row, 0)?,
            name: get(&row, 1)?,
            last_value: get(&row, 2)?,
            min_value: get(&row, 3)?,
            max_value: get(&row, 4)?,
            increment: get(&row, 5)?,
            cycle: get(&row, 6)?,
            column: match column {
                Some(c) => Some((c, get(&row, 8)?)),
                None => None,
            },
        });
    }
    for row in run(client, "integer keys", &integer_key_query())? {
        let mut key = IntegerKey {
            schema: get(&row, 0)?,
            table: get(&row, 1)?,
            column: get(&row, 2)?,
            type_name: get(&row, 3)?,
            type_max: get(&row, 4)?,
            largest: None,
        };
        let column = quote_ident(&key.column);
        let sql = format!(
            "SELECT greatest((SELECT max({column}) FROM {s}.{t}), -(SELECT min({column}) FROM {s}.{t}))::bigint",
            s = quote_ident(&key.schema),
            t = quote_ident(&key.table),
        );
        key.largest = match run(client, "integer key values", &sql)?.first() {
            Some(r) => get(r, 0)?,
            None => None,
        };
        h.integer_keys.push(key);
    }
    for row in run(client, "default privileges", default_privilege_query())? {
        h.default_privileges.push(DefaultPrivilege {
            owner: get(&row, 0)?,
            schema: get(&row, 1)?,
            object_type: get(&row, 2)?,
            grantee: get(&row, 3)?,
            privilege: get(&row, 4)?,
        });
    }
    for row in run(client, "replication slots", REPLICATION_SLOTS)? {
        h.replication_slots.push(ReplicationSlot {
            name: get(&row, 0)?,
            kind: get(&row, 1)?,
            database: get(&row, 2)?,
            active: get(&row, 3)?,
            retained_bytes: get(&row, 4)?,
            xmin_age: get(&row, 5)?,
        });
    }
    for row in run(client, "prepared transactions", PREPARED)? {
        h.prepared_transactions.push(PreparedTransaction {
            gid: get(&row, 0)?,
            database: get(&row, 1)?,
            owner: get(&row, 2)?,
            seconds: get(&row, 3)?,
            xid_age: get(&row, 4)?,
        });
    }
    Ok(h)
}

const PREPARED: &str = "
    SELECT gid, database::text, owner::text,
           extract(epoch FROM now() - prepared)::bigint, age(transaction)::bigint
      FROM pg_prepared_xacts
     ORDER BY 1";

/// The part of [`collect`] about indexes (with the database's figures): what `strata advise`
/// reads to judge an index unused as `unused-index` does, without the other queries.
pub fn collect_indexes(client: &mut Client) -> Result<Health, HealthError> {
    let mut h = Health::default();
    if let Some(row) = run(client, "database", database_query())?.first() {
        h.database = get(row, 0)?;
        h.stats_seconds = get(row, 1)?;
        h.freeze_max_age = get(row, 2)?;
        h.database_xid_age = get(row, 3)?;
    }
    for row in run(client, "indexes", &index_query())? {
        h.indexes.push(IndexHealth {
            schema: get(&row, 0)?,
            table: get(&row, 1)?,
            name: get(&row, 2)?,
            valid: get(&row, 3)?,
            ready: get(&row, 4)?,
            partitioned: get(&row, 5)?,
            required: get(&row, 6)?,
            scans: get(&row, 7)?,
            size_bytes: get(&row, 8)?,
            definition: get(&row, 9)?,
            bloat_bytes: get(&row, 10)?,
        });
    }
    Ok(h)
}

/// On a standby the current position is the last WAL replayed.
const REPLICATION_SLOTS: &str = "
    SELECT slot_name::text, slot_type, database::text, active,
           pg_wal_lsn_diff(CASE WHEN pg_is_in_recovery() THEN pg_last_wal_replay_lsn()
                                ELSE pg_current_wal_lsn() END, restart_lsn)::bigint,
           greatest(age(xmin), age(catalog_xmin))::bigint
      FROM pg_replication_slots
     ORDER BY 1";

/// A duration as a reader wants it: "less than an hour", "5 hours", "12 days".
pub fn duration(seconds: i64) -> String {
    let hours = seconds / 3600;
    let days = hours / 24;
    if hours < 1 {
        "less than an hour".into()
    } else if days < 2 {
        format!("{hours} hours")
    } else {
        format!("{days} days")
    }
}

/// A size as a reader wants it: "12 MB", "3.4 GB".
pub fn size(bytes: i64) -> String {
    let b = bytes as f64;
    const MB: f64 = 1024.0 * 1024.0;
    if b >= 1024.0 * MB {
        format!("{:.1} GB", b / 1024.0 / MB)
    } else if b >= MB {
        format!("{:.0} MB", b / MB)
    } else {
        format!("{:.0} kB", b / 1024.0)
    }
}

/// `part` as a percentage of `whole`, rounded down.
pub fn percent(part: i64, whole: i64) -> i64 {
    if whole <= 0 {
        return 0;
    }
    ((part as i128 * 100) / whole as i128) as i64
}
