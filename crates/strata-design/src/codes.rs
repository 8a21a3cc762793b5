//! Stable diagnostic codes of the designer. Never renumber; retire codes instead.

pub const DUPLICATE_NAME: &str = "E2001";
pub const UNKNOWN_TYPE: &str = "E2002";
pub const UNKNOWN_ENTITY: &str = "E2003";
pub const UNKNOWN_FIELD: &str = "E2004";
pub const UNKNOWN_MIXIN: &str = "E2005";
pub const CYCLIC_MIXIN: &str = "E2006";
pub const UNKNOWN_CONVENTION: &str = "E2007";
pub const BAD_CONVENTION_VALUE: &str = "E2008";
pub const CONFLICTING_CONVENTIONS: &str = "E2009";
pub const UNKNOWN_ENUM_VALUE: &str = "E2010";
pub const BAD_TYPE_ARGS: &str = "E2011";
pub const SERIAL_TYPE: &str = "E2012";
pub const AMBIGUOUS_NAME: &str = "E2013";
pub const BAD_DEFAULT: &str = "E2014";
pub const FRAGMENT_EMPTY: &str = "E2015";
pub const FRAGMENT_NOT_ONE: &str = "E2016";
pub const FRAGMENT_ENDS_STATEMENT: &str = "E2017";
pub const FRAGMENT_AMBIGUOUS_STRING: &str = "E2018";
pub const FRAGMENT_BAD_TYPE: &str = "E2019";
pub const FRAGMENT_BAD_OPERATOR: &str = "E2020";
pub const FRAGMENT_TOO_DEEP: &str = "E2021";
pub const PARTITION_BOUND_TYPE: &str = "E2022";
pub const NAME_TOO_LONG: &str = "E3001";
pub const FK_TARGET_NOT_UNIQUE: &str = "E3002";
pub const INVALID_RELATION: &str = "E3003";
pub const PARTITION_RULE: &str = "E3004";
pub const DISTRIBUTION_RULE: &str = "E3005";
pub const INVALID_PRIMARY_KEY: &str = "E3006";
pub const IDENTITY_TYPE: &str = "E3007";
pub const INVALID_INDEX: &str = "E3008";
pub const INVALID_POLICY: &str = "E3009";
pub const INVALID_GRANT: &str = "E3010";
pub const ACCESS_SQL_PARSE: &str = "E4001";
pub const ACCESS_UNKNOWN_COLUMN: &str = "E4002";
pub const ACCESS_UNKNOWN_TABLE: &str = "E4003";
pub const ACCESS_NOT_SELECT: &str = "E4004";
pub const TIMESTAMP_WITHOUT_TZ: &str = "W5001";
pub const JSON_NOT_JSONB: &str = "W5002";
pub const LONE_BOOLEAN_INDEX: &str = "W5003";
pub const REDUNDANT_INDEX: &str = "W5004";
pub const TENANT_CHILD_UNSCOPED: &str = "E3011";
pub const TENANT_KEY_MISMATCH: &str = "E3012";
pub const TENANT_COLUMN_TAKEN: &str = "E3013";
pub const CROSS_TENANT_ACCESS: &str = "W5005";
pub const FROZEN_DEFAULT: &str = "E3015";
pub const REQUIRED_CYCLE: &str = "E3016";
pub const ENUM_UNDER_RLS: &str = "W5006";
pub const TENANT_SET_NULL_LINK: &str = "W5007";
pub const LIVE_WITHOUT_SOFT_DELETE: &str = "E3017";
pub const STATS_NOT_BOOLEAN: &str = "E3030";

/// Every designer code with its one-line meaning, for `docs/diagnostics.md`.
pub const ALL: &[(&str, &str)] = &[
    (
        DUPLICATE_NAME,
        "a name is declared twice where it must be unique",
    ),
    (
        UNKNOWN_TYPE,
        "a field's type is neither a built-in, semantic, enum nor domain type",
    ),
    (
        UNKNOWN_ENTITY,
        "a relation names an entity that does not exist",
    ),
    (
        UNKNOWN_FIELD,
        "a key, index, constraint or setting names a field the entity lacks",
    ),
    (UNKNOWN_MIXIN, "`use` names a mixin that does not exist"),
    (CYCLIC_MIXIN, "mixins use each other in a cycle"),
    (
        UNKNOWN_CONVENTION,
        "a conventions block sets an unknown key",
    ),
    (
        BAD_CONVENTION_VALUE,
        "a convention is set to a value it does not accept",
    ),
    (
        CONFLICTING_CONVENTIONS,
        "one convention is set to two different values at one level",
    ),
    (
        UNKNOWN_ENUM_VALUE,
        "a default names a value its enum does not have",
    ),
    (
        BAD_TYPE_ARGS,
        "a type has the wrong number or kind of arguments",
    ),
    (
        SERIAL_TYPE,
        "`serial` types are not used: identity columns replace them",
    ),
    (
        AMBIGUOUS_NAME,
        "a type name matches declarations in several schemas",
    ),
    (BAD_DEFAULT, "a default value does not fit the field's type"),
    (FRAGMENT_EMPTY, "a SQL fragment in backticks is empty"),
    (
        FRAGMENT_NOT_ONE,
        "a SQL fragment in backticks is not exactly one expression (or query) of its kind",
    ),
    (
        FRAGMENT_ENDS_STATEMENT,
        "a SQL fragment holds `;`, a comment or a backslash outside a string, which could end or hide the statement it is pasted into",
    ),
    (
        FRAGMENT_AMBIGUOUS_STRING,
        "a SQL fragment's string literal ends differently when `standard_conforming_strings` is off",
    ),
    (
        FRAGMENT_BAD_TYPE,
        "a type in backticks is not one PostgreSQL type",
    ),
    (
        FRAGMENT_BAD_OPERATOR,
        "an exclusion constraint's operator is not one operator",
    ),
    (
        FRAGMENT_TOO_DEEP,
        "a SQL fragment or access pattern nests too deep or is too long to analyse",
    ),
    (
        PARTITION_BOUND_TYPE,
        "a partition bound is not a value of the partition key's type",
    ),
    (
        NAME_TOO_LONG,
        "a table or column name exceeds PostgreSQL's 63-byte limit",
    ),
    (
        FK_TARGET_NOT_UNIQUE,
        "a relation references a field without a unique key",
    ),
    (
        INVALID_RELATION,
        "a relation is inconsistent (inverse without owner, bad junction, SET NULL on a required key)",
    ),
    (
        PARTITION_RULE,
        "a partitioned table breaks a partitioning rule",
    ),
    (
        DISTRIBUTION_RULE,
        "a distributed (Citus) table breaks a distribution rule",
    ),
    (
        INVALID_PRIMARY_KEY,
        "the primary key is declared twice or on a nullable field",
    ),
    (IDENTITY_TYPE, "`identity` on a non-integer field"),
    (
        INVALID_INDEX,
        "an index uses an unknown method or an option the method lacks",
    ),
    (INVALID_POLICY, "a policy uses an unknown command"),
    (INVALID_GRANT, "a grant names an unknown privilege"),
    (ACCESS_SQL_PARSE, "an access pattern's SQL does not parse"),
    (
        ACCESS_UNKNOWN_COLUMN,
        "an access pattern names a column its table lacks",
    ),
    (
        ACCESS_UNKNOWN_TABLE,
        "an access pattern names a table the design lacks",
    ),
    (
        ACCESS_NOT_SELECT,
        "an access pattern is not a single SELECT",
    ),
    (
        TIMESTAMP_WITHOUT_TZ,
        "`timestamp` without time zone; `timestamptz` is almost always right",
    ),
    (JSON_NOT_JSONB, "`json` instead of `jsonb`"),
    (
        LONE_BOOLEAN_INDEX,
        "an index on a lone boolean column was not created",
    ),
    (
        REDUNDANT_INDEX,
        "an index was not created because another one serves it",
    ),
    (
        TENANT_CHILD_UNSCOPED,
        "an entity references tenant-isolated rows but is not isolated by tenant itself",
    ),
    (
        TENANT_KEY_MISMATCH,
        "`tenant by` compares the tenant setting with a key that is not the tenant's",
    ),
    (
        TENANT_COLUMN_TAKEN,
        "the tenant column a `tenant by` relation needs is already a different field",
    ),
    (
        "E3014",
        "retired: `on delete set null` between tenant-isolated tables is now warning W5007",
    ),
    (
        FROZEN_DEFAULT,
        "a temporal default \"now\", \"today\", \"tomorrow\" or \"yesterday\" (as text, or SQL that is only that literal) would be frozen at table creation",
    ),
    (
        REQUIRED_CYCLE,
        "tables need each other's rows through required, immediately checked foreign keys",
    ),
    (
        LIVE_WITHOUT_SOFT_DELETE,
        "`unique ... live` on an entity without `soft_delete`",
    ),
    (
        TENANT_SET_NULL_LINK,
        "a relation between tenant-isolated tables clears itself on delete, so its key lacks the tenant",
    ),
    (
        ENUM_UNDER_RLS,
        "an access pattern on a table under row-level security filters by a native enum column",
    ),
    (
        CROSS_TENANT_ACCESS,
        "an access pattern on a tenant-isolated table does not filter by tenant",
    ),
    (
        STATS_NOT_BOOLEAN,
        "a `stats ... true` hint on a field that is not a boolean",
    ),
];
