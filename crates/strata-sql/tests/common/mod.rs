//! Hand-built models shared by the snapshot and the server tests.

#![allow(dead_code)]

use strata_model::*;

pub fn col(name: &str, ty: &str) -> Column {
    Column::new(name, TypeRef::builtin(ty))
}

pub fn nullable(mut c: Column) -> Column {
    c.nullable = true;
    c
}

pub fn with_default(mut c: Column, default: &str) -> Column {
    c.default = Some(default.into());
    c
}

pub fn commented(mut c: Column, comment: &str) -> Column {
    c.comment = Some(comment.into());
    c
}

pub fn pk(name: &str, columns: &[&str]) -> Option<PrimaryKey> {
    Some(PrimaryKey {
        name: name.into(),
        columns: strings(columns),
        deferrable: Default::default(),
        without_overlaps: false,
    })
}

pub fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| s.to_string()).collect()
}

pub fn check(name: &str, expression: &str) -> CheckConstraint {
    CheckConstraint {
        name: name.into(),
        expression: expression.into(),
        why: None,
        not_valid: Default::default(),
        not_enforced: false,
    }
}

pub fn unique(name: &str, columns: &[&str]) -> UniqueConstraint {
    UniqueConstraint {
        name: name.into(),
        columns: strings(columns),
        nulls_not_distinct: false,
        deferrable: Deferrable::NotDeferrable,
        why: None,
        without_overlaps: false,
    }
}

pub fn fk(
    name: &str,
    columns: &[&str],
    ref_table: QualifiedName,
    ref_columns: &[&str],
) -> ForeignKey {
    ForeignKey {
        name: name.into(),
        columns: strings(columns),
        ref_table,
        ref_columns: strings(ref_columns),
        on_delete: FkAction::NoAction,
        on_update: FkAction::NoAction,
        match_type: FkMatch::Simple,
        deferrable: Deferrable::NotDeferrable,
        relation: None,
        inverse: None,
        why: None,
        not_valid: Default::default(),
        not_enforced: false,
        period: false,
    }
}

pub fn expr_key(sql: &str) -> IndexKey {
    IndexKey {
        expr: IndexExpr::Expression(sql.into()),
        opclass: None,
        collation: None,
        descending: false,
        nulls_first: None,
    }
}

pub fn function(name: QualifiedName, returns: &str, language: &str, body: &str) -> Function {
    Function {
        name,
        arguments: String::new(),
        returns: returns.into(),
        language: language.into(),
        body: body.into(),
        volatility: Volatility::Volatile,
        strict: false,
        security_definer: false,
        config: Vec::new(),
        attributes: Vec::new(),
        comment: None,
        why: None,
    }
}

pub fn trigger(
    name: &str,
    timing: TriggerTiming,
    events: Vec<TriggerEvent>,
    function: QualifiedName,
) -> Trigger {
    Trigger {
        name: name.into(),
        timing,
        events,
        for_each_row: true,
        when: None,
        function,
        arguments: Vec::new(),
        comment: None,
        why: None,
    }
}

pub fn view(name: QualifiedName, definition: &str) -> View {
    View {
        name,
        definition: definition.into(),
        materialized: false,
        indexes: Vec::new(),
        comment: None,
        options: Default::default(),
    }
}

pub fn partition(name: &str, parent: &str, bound: &str) -> Table {
    let mut t = Table::new(QualifiedName::public(name));
    t.partition_of = Some(PartitionOf {
        parent: QualifiedName::public(parent),
        bound: bound.into(),
    });
    t
}

/// Users and tasks: enum, domain, sequence, extension, foreign keys, every kind of index,
/// a trigger function, a `LANGUAGE sql` function used by a check, RLS, grants, comments with
/// quotes, raw SQL.
pub fn todo() -> Model {
    let users_name = QualifiedName::public("users");
    let tasks_name = QualifiedName::public("tasks");
    let status = QualifiedName::public("task_status");
    let email = QualifiedName::public("email");
    let set_updated_at = QualifiedName::public("set_updated_at");

    let mut users = Table::new(users_name.clone());
    users.columns = vec![
        with_default(col("id", "uuid"), "gen_random_uuid()"),
        Column::new("email", TypeRef::user(&email)),
        nullable(col("name", "character varying(100)")),
        with_default(col("tags", "text"), "'{}'::text[]"),
        with_default(col("created_at", "timestamp with time zone"), "now()"),
        with_default(col("updated_at", "timestamp with time zone"), "now()"),
    ];
    users.columns[3].data_type = TypeRef::builtin("text").array(1);
    users.columns[1].comment = Some("Login e-mail; it's unique, case-insensitively.".into());
    users.primary_key = pk("users_pkey", &["id"]);
    users.comment =
        Some("A person who signs in.\nSecond line with 'quotes' and \\backslash.".into());
    users.indexes = vec![
        {
            let mut i = Index::btree(
                "users_email_lower_key",
                vec![expr_key("lower((email)::text)")],
            );
            i.unique = true;
            i.comment = Some("Case-insensitive e-mail uniqueness".into());
            i
        },
        {
            let mut i = Index::btree("idx_users_tags", vec![IndexKey::column("tags")]);
            i.method = "gin".into();
            i
        },
    ];
    users.triggers = vec![trigger(
        "users_set_updated_at",
        TriggerTiming::Before,
        vec![TriggerEvent::Update(Vec::new())],
        set_updated_at.clone(),
    )];
    users.uniques = vec![{
        let mut u = unique("users_name_key", &["name"]);
        u.nulls_not_distinct = true;
        u
    }];

    let mut tasks = Table::new(tasks_name.clone());
    tasks.columns = vec![
        {
            let mut c = col("id", "bigint");
            c.identity = Some(Identity::Always);
            c
        },
        col("user_id", "uuid"),
        nullable(col("assignee_id", "uuid")),
        commented(col("title", "text"), "Short title"),
        nullable(col("description", "text")),
        with_default(
            Column::new("status", TypeRef::user(&status)),
            "'todo'::task_status",
        ),
        with_default(col("priority", "integer"), "0"),
        with_default(col("metadata", "jsonb"), "'{}'::jsonb"),
        nullable(col("due_date", "timestamp with time zone")),
        with_default(
            col("invoice_no", "bigint"),
            "nextval('public.invoice_no_seq'::regclass)",
        ),
        with_default(col("created_at", "timestamp with time zone"), "now()"),
        with_default(col("updated_at", "timestamp with time zone"), "now()"),
        nullable(col("deleted_at", "timestamp with time zone")),
        {
            let mut c = col("title_length", "integer");
            c.generated = Some("length(title)".into());
            c.nullable = true;
            c
        },
    ];
    tasks.columns[3].collation = Some("C".into());
    tasks.primary_key = pk("tasks_pkey", &["id"]);
    tasks.checks = vec![
        check("tasks_priority_check", "priority BETWEEN 0 AND 5"),
        check("tasks_title_check", "public.is_short(title)"),
    ];
    tasks.foreign_keys = vec![
        {
            let mut f = fk(
                "tasks_user_id_fkey",
                &["user_id"],
                users_name.clone(),
                &["id"],
            );
            f.on_delete = FkAction::Cascade;
            f
        },
        {
            let mut f = fk(
                "tasks_assignee_id_fkey",
                &["assignee_id"],
                users_name.clone(),
                &["id"],
            );
            f.on_delete = FkAction::SetNull;
            f.on_update = FkAction::Cascade;
            f.match_type = FkMatch::Full;
            f.deferrable = Deferrable::InitiallyDeferred;
            f
        },
    ];
    tasks.indexes = vec![
        Index::btree("idx_tasks_user_id", vec![IndexKey::column("user_id")]),
        {
            let mut i = Index::btree(
                "idx_tasks_open",
                vec![
                    IndexKey::column("user_id"),
                    IndexKey::column("created_at").desc(),
                ],
            );
            i.predicate = Some("deleted_at IS NULL AND status <> 'done'::task_status".into());
            i.include = strings(&["title", "status"]);
            i
        },
        {
            let mut key = IndexKey::column("due_date").desc();
            key.nulls_first = Some(false);
            Index::btree("idx_tasks_due_date", vec![key])
        },
        {
            let mut key = IndexKey::column("title");
            key.opclass = Some("gin_trgm_ops".into());
            let mut i = Index::btree("idx_tasks_title_trgm", vec![key]);
            i.method = "gin".into();
            i
        },
        {
            let mut key = IndexKey::column("metadata");
            key.opclass = Some("jsonb_path_ops".into());
            let mut i = Index::btree("idx_tasks_metadata", vec![key]);
            i.method = "gin".into();
            i
        },
        {
            let mut key = IndexKey::column("title");
            key.collation = Some("C".into());
            key.opclass = Some("text_pattern_ops".into());
            let mut due = IndexKey::column("priority");
            due.nulls_first = Some(true);
            Index::btree("idx_tasks_title_priority", vec![key, due])
        },
    ];
    tasks.triggers = vec![
        {
            let mut t = trigger(
                "tasks_set_updated_at",
                TriggerTiming::Before,
                vec![TriggerEvent::Update(Vec::new())],
                set_updated_at.clone(),
            );
            t.comment = Some("Keeps updated_at current".into());
            t
        },
        {
            let mut t = trigger(
                "tasks_audit",
                TriggerTiming::After,
                vec![
                    TriggerEvent::Insert,
                    TriggerEvent::Update(strings(&["status", "title"])),
                    TriggerEvent::Delete,
                ],
                QualifiedName::public("audit"),
            );
            t.when = None;
            t.for_each_row = false;
            t.arguments = strings(&["tasks", "it's audited"]);
            t
        },
        {
            let mut t = trigger(
                "tasks_status_changed",
                TriggerTiming::After,
                vec![TriggerEvent::Update(Vec::new())],
                QualifiedName::public("audit"),
            );
            t.when = Some("OLD.status IS DISTINCT FROM NEW.status".into());
            t
        },
    ];
    tasks.rls_enabled = true;
    tasks.rls_forced = true;
    tasks.policies = vec![
        Policy {
            name: "tasks_owner".into(),
            command: PolicyCommand::All,
            permissive: true,
            roles: Vec::new(),
            using: Some("user_id = (current_setting('app.user_id'::text))::uuid".into()),
            with_check: Some("user_id = (current_setting('app.user_id'::text))::uuid".into()),
            why: None,
        },
        Policy {
            name: "tasks_not_deleted".into(),
            command: PolicyCommand::Select,
            permissive: false,
            roles: strings(&["strata_app", "Strata App"]),
            using: Some("deleted_at IS NULL".into()),
            with_check: None,
            why: None,
        },
    ];
    tasks.comment = Some("Things to do.".into());

    let mut bookings = Table::new(QualifiedName::public("room_bookings"));
    bookings.columns = vec![
        {
            let mut c = col("id", "bigint");
            c.identity = Some(Identity::ByDefault);
            c
        },
        col("room", "integer"),
        col("during", "tstzrange"),
        with_default(col("cancelled", "boolean"), "false"),
        nullable(Column::new(
            "contact",
            TypeRef::user(&QualifiedName::public("work_email")),
        )),
    ];
    bookings.primary_key = pk("room_bookings_pkey", &["id"]);
    bookings.uniques = vec![{
        let mut u = unique("room_bookings_room_id_key", &["room", "id"]);
        u.deferrable = Deferrable::InitiallyImmediate;
        u
    }];
    bookings.exclusions = vec![ExclusionConstraint {
        name: "room_bookings_no_overlap".into(),
        method: "gist".into(),
        elements: vec![
            ExclusionElement {
                key: IndexKey::column("room"),
                operator: "=".into(),
            },
            ExclusionElement {
                key: IndexKey::column("during"),
                operator: "&&".into(),
            },
        ],
        predicate: Some("NOT cancelled".into()),
        why: None,
        deferrable: Default::default(),
    }];

    Model {
        schemas: Vec::new(),
        extensions: vec![
            Extension {
                name: "pg_trgm".into(),
                schema: Some("public".into()),
                version: None,
            },
            Extension {
                name: "btree_gist".into(),
                schema: None,
                version: Some("1.7".into()),
            },
            Extension {
                name: "uuid-ossp".into(),
                schema: None,
                version: None,
            },
        ],
        enums: vec![EnumType {
            name: status.clone(),
            values: strings(&["todo", "doing", "done"]),
            comment: Some("Where a task stands".into()),
        }],
        domains: vec![
            // Listed before the domain it is built on.
            Domain {
                name: QualifiedName::public("work_email"),
                base: TypeRef::user(&email),
                not_null: false,
                default: Some("'nobody@example.com'::text".into()),
                collation: None,
                checks: vec![check("work_email_domain", "VALUE !~~ '%@gmail.com'::text")],
                comment: None,
            },
            Domain {
                name: email.clone(),
                base: TypeRef::builtin("text"),
                not_null: false,
                default: None,
                collation: Some("C".into()),
                checks: vec![
                    check("email_format", "VALUE ~ '^[^@\\s]+@[^@\\s]+$'"),
                    check("email_length", "length(VALUE) <= 254"),
                ],
                comment: Some("An e-mail address".into()),
            },
        ],
        sequences: vec![Sequence {
            name: QualifiedName::public("invoice_no_seq"),
            data_type: "bigint".into(),
            start: 1000,
            increment: 1,
            min_value: Some(1000),
            max_value: None,
            cache: 1,
            cycle: false,
            owned_by: Some((tasks_name.clone(), "invoice_no".into())),
            comment: Some("Invoice numbers".into()),
        }],
        functions: vec![
            {
                let mut f = function(
                    set_updated_at.clone(),
                    "trigger",
                    "plpgsql",
                    "\nBEGIN\n    NEW.updated_at := now();\n    RETURN NEW;\nEND;\n",
                );
                f.comment = Some("Sets updated_at on every update".into());
                f
            },
            {
                let mut f = function(
                    QualifiedName::public("audit"),
                    "trigger",
                    "plpgsql",
                    "\nBEGIN\n    RAISE NOTICE 'audit % %', TG_ARGV[0], TG_OP;\n    RETURN NULL;\nEND;\n",
                );
                f.security_definer = true;
                // As PostgreSQL stores them: a list setting with a quoted element, a value.
                f.config = vec![
                    "search_path=pg_catalog, \"My Schema\", pg_temp".into(),
                    "work_mem=64MB".into(),
                ];
                f
            },
            {
                let mut f = function(
                    QualifiedName::public("is_short"),
                    "boolean",
                    "sql",
                    " SELECT length($1) <= 200 ",
                );
                f.arguments = "value text, max_len integer DEFAULT 200".into();
                f.volatility = Volatility::Immutable;
                f.strict = true;
                f.comment = Some("Whether a text is short".into());
                f
            },
            {
                let mut f = function(
                    QualifiedName::public("open_task_count"),
                    "bigint",
                    "SQL",
                    "SELECT count(*) FROM public.tasks WHERE deleted_at IS NULL",
                );
                f.volatility = Volatility::Stable;
                f
            },
        ],
        tables: vec![tasks, users, bookings],
        views: vec![view(
            QualifiedName::public("open_tasks"),
            " SELECT id, user_id, title\n   FROM public.tasks\n  WHERE deleted_at IS NULL;",
        )],
        grants: vec![
            Grant {
                object_kind: "TABLE".into(),
                object: tasks_name.clone(),
                privileges: strings(&["select", "INSERT", "update"]),
                grantee: "strata_app".into(),
                with_grant_option: false,
            },
            Grant {
                object_kind: "VIEW".into(),
                object: QualifiedName::public("open_tasks"),
                privileges: strings(&["SELECT"]),
                grantee: "public".into(),
                with_grant_option: false,
            },
            Grant {
                object_kind: "SEQUENCE".into(),
                object: QualifiedName::public("invoice_no_seq"),
                privileges: strings(&["USAGE"]),
                grantee: "strata_app".into(),
                with_grant_option: true,
            },
            Grant {
                object_kind: "FUNCTION".into(),
                object: QualifiedName::public("is_short"),
                privileges: strings(&["EXECUTE"]),
                grantee: "strata_app".into(),
                with_grant_option: false,
            },
            Grant {
                object_kind: "SCHEMA".into(),
                object: QualifiedName::new("", "public"),
                privileges: strings(&["USAGE"]),
                grantee: "strata_app".into(),
                with_grant_option: false,
            },
        ],
        raw_sql: vec![
            RawSql {
                name: Some("seed statuses".into()),
                sql: "INSERT INTO public.users (email, name) VALUES ('a@example.com', 'A');".into(),
            },
            RawSql {
                name: None,
                sql: "SELECT public.open_task_count();".into(),
            },
        ],
        access_patterns: Vec::new(),
        aggregates: Vec::new(),
        verbatim: Default::default(),
    }
}

/// A range-partitioned table with two partitions (one of them partitioned again) and a
/// default partition, listed children first. Partitions repeat what they inherit, as
/// introspection reports it, plus objects of their own.
pub fn partitioned() -> Model {
    let devices = QualifiedName::public("devices");
    let mut dev = Table::new(devices.clone());
    dev.columns = vec![col("id", "bigint"), col("name", "text")];
    dev.primary_key = pk("devices_pkey", &["id"]);

    let mut parent = Table::new(QualifiedName::public("measurements"));
    parent.columns = vec![
        col("device_id", "bigint"),
        col("recorded_at", "timestamp with time zone"),
        col("region", "text"),
        nullable(col("value", "double precision")),
        with_default(col("source", "text"), "'sensor'::text"),
    ];
    parent.primary_key = pk("measurements_pkey", &["device_id", "recorded_at", "region"]);
    parent.checks = vec![check(
        "measurements_value_check",
        "value >= (0)::double precision",
    )];
    parent.foreign_keys = vec![{
        let mut f = fk(
            "measurements_device_id_fkey",
            &["device_id"],
            devices.clone(),
            &["id"],
        );
        f.on_delete = FkAction::Cascade;
        f
    }];
    parent.indexes = vec![{
        let mut i = Index::btree(
            "idx_measurements_recorded_at",
            vec![IndexKey::column("recorded_at")],
        );
        i.method = "brin".into();
        i
    }];
    parent.triggers = vec![trigger(
        "measurements_touch",
        TriggerTiming::Before,
        vec![TriggerEvent::Insert],
        QualifiedName::public("touch"),
    )];
    parent.partition_by = Some(PartitionBy {
        strategy: PartitionStrategy::Range,
        keys: vec![IndexExpr::Column("recorded_at".into())],
        collations: Default::default(),
        opclasses: Default::default(),
    });
    parent.comment = Some("Sensor readings".into());

    let inherited_columns = parent.columns.clone();

    let mut p2024 = partition(
        "measurements_2024",
        "measurements",
        "FOR VALUES FROM ('2024-01-01 00:00:00+00') TO ('2025-01-01 00:00:00+00')",
    );
    p2024.columns = inherited_columns.clone();
    // What PostgreSQL clones from the parent, as introspection lists it.
    p2024.primary_key = pk(
        "measurements_2024_pkey",
        &["device_id", "recorded_at", "region"],
    );
    p2024.checks = vec![
        check("measurements_value_check", "value >= (0)::double precision"),
        check("measurements_2024_region_check", "region <> ''::text"),
    ];
    p2024.foreign_keys = parent.foreign_keys.clone();
    p2024.triggers = parent.triggers.clone();
    // Matches the parent's index: attached to it, keeping this name.
    p2024.indexes = vec![
        {
            let mut i = Index::btree(
                "measurements_2024_recorded_at_idx",
                vec![IndexKey::column("recorded_at")],
            );
            i.method = "brin".into();
            i
        },
        Index::btree(
            "idx_measurements_2024_value",
            vec![IndexKey::column("value")],
        ),
    ];
    // A default of its own.
    p2024.columns[4].default = Some("'import'::text".into());
    p2024.rls_enabled = true;
    p2024.comment = Some("Readings of 2024".into());

    let mut p2025 = partition(
        "measurements_2025",
        "measurements",
        "FOR VALUES FROM ('2025-01-01 00:00:00+00') TO ('2026-01-01 00:00:00+00')",
    );
    p2025.partition_by = Some(PartitionBy {
        strategy: PartitionStrategy::Hash,
        keys: vec![IndexExpr::Column("device_id".into())],
        collations: Default::default(),
        opclasses: Default::default(),
    });

    let mut p2025_0 = partition(
        "measurements_2025_0",
        "measurements_2025",
        "FOR VALUES WITH (modulus 2, remainder 0)",
    );
    p2025_0.columns = inherited_columns.clone();
    p2025_0.primary_key = pk(
        "measurements_2025_0_pkey",
        &["device_id", "recorded_at", "region"],
    );

    let mut p2025_1 = partition(
        "measurements_2025_1",
        "measurements_2025",
        "FOR VALUES WITH (modulus 2, remainder 1)",
    );
    p2025_1.unlogged = true;

    let default = partition("measurements_default", "measurements", "DEFAULT");

    let mut events = Table::new(QualifiedName::public("events"));
    events.columns = vec![
        col("id", "bigint"),
        col("kind", "text"),
        nullable(col("payload", "jsonb")),
    ];
    events.partition_by = Some(PartitionBy {
        strategy: PartitionStrategy::List,
        keys: vec![IndexExpr::Expression("lower(kind)".into())],
        collations: Default::default(),
        opclasses: Default::default(),
    });
    let mut clicks = partition("events_click", "events", "FOR VALUES IN ('click')");
    clicks.columns = events.columns.clone();
    let mut other = partition("events_other", "events", "DEFAULT");
    other.columns = events.columns.clone();
    other.uniques = vec![unique("events_other_id_key", &["id"])];

    Model {
        functions: vec![function(
            QualifiedName::public("touch"),
            "trigger",
            "plpgsql",
            "BEGIN RETURN NEW; END",
        )],
        tables: vec![
            p2025_1, p2025_0, p2024, default, p2025, parent, dev, other, clicks, events,
        ],
        ..Model::default()
    }
}

/// A view over a materialized view (listed first), and the materialized view's indexes.
pub fn materialized() -> Model {
    let mut orders = Table::new(QualifiedName::public("orders"));
    orders.columns = vec![
        col("id", "bigint"),
        col("customer", "text"),
        col("total", "numeric(12,2)"),
        with_default(col("placed_at", "timestamp with time zone"), "now()"),
    ];
    orders.primary_key = pk("orders_pkey", &["id"]);

    let mut totals = view(
        QualifiedName::public("customer_totals"),
        "SELECT customer, sum(total) AS total, count(*) AS orders\nFROM public.orders\nGROUP BY customer -- one row per customer",
    );
    totals.materialized = true;
    totals.indexes = vec![
        {
            let mut i = Index::btree(
                "customer_totals_customer_key",
                vec![IndexKey::column("customer")],
            );
            i.unique = true;
            i
        },
        {
            let mut i = Index::btree(
                "customer_totals_total_idx",
                vec![IndexKey::column("total").desc()],
            );
            i.comment = Some("Top customers".into());
            i
        },
    ];
    totals.comment = Some("Per-customer totals, refreshed nightly".into());

    let mut top = view(
        QualifiedName::public("top_customers"),
        "SELECT customer, total FROM public.customer_totals ORDER BY total DESC LIMIT 10",
    );
    top.comment = Some("The ten best".into());

    Model {
        tables: vec![orders],
        views: vec![top, totals],
        ..Model::default()
    }
}

/// Names that must be quoted to survive, or that try to break out of their quotes.
pub fn hostile() -> Model {
    let schema = "My Schema";
    let evil = QualifiedName::new(schema, "\"; drop table x; --");
    let other = QualifiedName::new(schema, "Order");
    let status = QualifiedName::new(schema, "it's status");

    let mut evil_table = Table::new(evil.clone());
    evil_table.columns = vec![
        col("user", "text"),
        nullable(col("Order", "integer")),
        nullable(col("with space", "text")),
        nullable(col("naïve ünïcode 表", "text")),
        nullable(col("quo\"te", "text")),
        nullable(col("select", "text")),
        with_default(Column::new("state", TypeRef::user(&status)), "'it''s'"),
        nullable(Column::new("states", TypeRef::user(&status).array(1))),
    ];
    evil_table.columns[0].comment = Some("'); DROP TABLE x; --".into());
    evil_table.primary_key = pk("pk \"evil\"", &["user"]);
    evil_table.checks = vec![check("check'; drop table x; --", "\"Order\" > 0")];
    evil_table.uniques = vec![unique("Unique Order", &["Order", "with space"])];
    evil_table.indexes = vec![{
        let mut i = Index::btree(
            "idx \"evil\" $body$",
            vec![
                IndexKey::column("naïve ünïcode 表"),
                IndexKey::column("quo\"te"),
            ],
        );
        i.include = strings(&["select"]);
        i.predicate = Some("\"user\" <> 'x'".into());
        i.comment = Some("$body$ '; DROP TABLE x; -- $$".into());
        i
    }];
    evil_table.triggers = vec![{
        let mut t = trigger(
            "trg \"evil\"",
            TriggerTiming::Before,
            vec![TriggerEvent::Update(strings(&["Order", "user"]))],
            QualifiedName::new(schema, "fn $body$"),
        );
        t.arguments = strings(&["'); DROP TABLE x; --", "$$"]);
        t.comment = Some("trigger 'comment'".into());
        t
    }];
    evil_table.policies = vec![Policy {
        name: "policy \"evil\"".into(),
        command: PolicyCommand::Update,
        permissive: true,
        roles: strings(&["current_user"]),
        using: Some("true".into()),
        with_check: Some("\"Order\" IS NOT NULL".into()),
        why: None,
    }];
    evil_table.rls_enabled = true;
    evil_table.comment = Some("it's a \"table\"; DROP TABLE x; --".into());

    let mut order = Table::new(other.clone());
    order.columns = vec![col("Order", "integer"), nullable(col("user", "text"))];
    order.primary_key = pk("Order_pkey", &["Order"]);
    order.foreign_keys = vec![{
        let mut f = fk(
            "fk \"evil\"; drop table x; --",
            &["user"],
            evil.clone(),
            &["user"],
        );
        f.on_delete = FkAction::SetNull;
        f
    }];
    order.origin.distribution = Some(Distribution::Distributed {
        column: "Order".into(),
        colocate_with: None,
    });

    Model {
        schemas: vec![Schema {
            name: schema.into(),
            comment: Some("Schema with a space and 'quotes'".into()),
            owner: None,
        }],
        enums: vec![EnumType {
            name: status,
            values: strings(&["it's", "\"quoted\"", "$body$", "naïve"]),
            comment: Some("it's an enum".into()),
        }],
        functions: vec![{
            let mut f = function(
                QualifiedName::new(schema, "fn $body$"),
                "trigger",
                "plpgsql",
                "\nBEGIN\n    -- a body that contains $body$ and $body_1\n    RETURN NEW;\nEND;\n",
            );
            f.comment = Some("fn 'comment'".into());
            f
        }],
        tables: vec![order, evil_table],
        views: vec![view(
            QualifiedName::new(schema, "View \"x\""),
            "SELECT \"user\", \"Order\" FROM \"My Schema\".\"\"\"; drop table x; --\"",
        )],
        grants: vec![Grant {
            object_kind: "table".into(),
            object: evil.clone(),
            privileges: strings(&["select"]),
            grantee: "Strata App".into(),
            with_grant_option: false,
        }],
        ..Model::default()
    }
}

/// Citus placement: a reference table and two colocated distributed tables, listed so the
/// colocation target comes last.
pub fn distributed() -> Model {
    let mut plans = Table::new(QualifiedName::public("plans"));
    plans.columns = vec![col("id", "integer"), col("name", "text")];
    plans.primary_key = pk("plans_pkey", &["id"]);
    plans.origin.distribution = Some(Distribution::Reference);

    let mut tenants = Table::new(QualifiedName::public("tenants"));
    tenants.columns = vec![col("id", "bigint"), col("plan_id", "integer")];
    tenants.primary_key = pk("tenants_pkey", &["id"]);
    tenants.foreign_keys = vec![fk(
        "tenants_plan_id_fkey",
        &["plan_id"],
        plans.name.clone(),
        &["id"],
    )];
    tenants.origin.distribution = Some(Distribution::Distributed {
        column: "id".into(),
        colocate_with: None,
    });

    let mut projects = Table::new(QualifiedName::public("projects"));
    projects.columns = vec![
        col("tenant_id", "bigint"),
        col("id", "bigint"),
        col("name", "text"),
    ];
    projects.primary_key = pk("projects_pkey", &["tenant_id", "id"]);
    projects.foreign_keys = vec![fk(
        "projects_tenant_id_fkey",
        &["tenant_id"],
        tenants.name.clone(),
        &["id"],
    )];
    projects.origin.distribution = Some(Distribution::Distributed {
        column: "tenant_id".into(),
        colocate_with: Some(tenants.name.clone()),
    });

    Model {
        tables: vec![projects, tenants, plans],
        ..Model::default()
    }
}

pub fn all() -> Vec<(&'static str, Model)> {
    vec![
        ("todo", todo()),
        ("partitioned", partitioned()),
        ("materialized", materialized()),
        ("hostile", hostile()),
        ("distributed", distributed()),
    ]
}
