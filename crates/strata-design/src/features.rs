//! Cross-cutting design features applied after the tables exist: junction tables, audit
//! timestamps and their trigger, soft delete, the audit log, tenant isolation, partitioning,
//! distribution, views and raw SQL — then access patterns and index selection.

use strata_diagnostics::Diagnostic;
use strata_lang::ast::{self, Member, PartitionBound, RelationAttr, RelationKind};
use strata_model::*;

use crate::codes;
use crate::collect::DEFAULT_SCHEMA;
use crate::conventions::{Conv, PkStrategy, Timestamps};
use crate::entity::{Lowering, relations, unknown_entity, unknown_field};
use crate::fragments;
use crate::names::{self, fit};

pub fn uuid_v7_name(_conv: &Conv) -> String {
    "public.uuid_generate_v7".into()
}

pub fn apply(lw: &mut Lowering<'_, '_>, model: &mut Model) {
    junctions(lw, model);
    let any_v7 = lw.c.entities.iter().any(|e| {
        e.conv.primary_key == PkStrategy::UuidV7
            && e.conv.postgres < crate::conventions::UUIDV7_POSTGRES
    });
    if any_v7 {
        model.functions.push(uuid_v7_function());
    }
    timestamps(lw, model);
    soft_delete(lw, model);
    // After soft delete, whose partial unique indexes a composite foreign key cannot use;
    // before the audit log, which records each row's tenant.
    crate::tenancy::apply(lw, model);
    audit(lw, model);
    policies(lw, model);
    partitions(lw, model);
    distribution(lw, model);
    views_and_sql(lw, model);
    crate::sequences::lower(lw, model);
    check_fk_targets(lw, model);
    required_cycles(lw, model);
    // Access patterns and index minimisation work from the tables alone, and they allocate the
    // last big share of a design: the per-entity state goes first, lowering the peak.
    // Statistics hints name fields, resolved through the per-entity state; the rest of the
    // workload stage works from the entities' declarations and the tables alone.
    let entities = &lw.c.entities;
    let mut diags = std::mem::take(lw.diags);
    let hints = {
        let lw_cols = &mut *lw;
        crate::indexes::hints(entities, model, &mut diags, |i, field, _| {
            lw_cols.member_columns(i, std::slice::from_ref(field))
        })
    };
    lw.release_entity_state();
    let defaults = strata_workload::Defaults::default();
    let patterns = crate::access::derive(entities, &lw.tenancy, &mut diags, model, &defaults);
    let workload = crate::indexes::workload(entities, model, patterns, hints);
    lw.selection = crate::indexes::choose(model, &workload, &lw.index_spans, &mut diags);
    lw.diags.append(&mut diags);
}

fn table_index(model: &Model, name: &QualifiedName) -> Option<usize> {
    model.tables.iter().position(|t| &t.name == name)
}

/// Entity `i`'s table: `lower` pushes one table per entity in entity order, so this is O(1).
fn entity_table(model: &Model, i: usize, name: &QualifiedName) -> Option<usize> {
    match model.tables.get(i) {
        Some(t) if &t.name == name => Some(i),
        _ => table_index(model, name),
    }
}

/// `tags <-> Tag` without `through`: a junction table with a composite key.
fn junctions(lw: &mut Lowering<'_, '_>, model: &mut Model) {
    let mut made: Vec<(String, String)> = Vec::new();
    for i in 0..lw.c.entities.len() {
        let e = &lw.c.entities[i];
        let rels: Vec<&ast::RelationDecl> = relations(e)
            .filter(|r| {
                r.kind == RelationKind::ManyToMany
                    && !r
                        .attrs
                        .iter()
                        .any(|a| matches!(a, RelationAttr::Through(_)))
            })
            .collect();
        for r in rels {
            let Some(&t) = lw.entity_index.get(r.target.name.as_str()) else {
                lw.diags.push(unknown_entity(&r.target, &lw.c.entities));
                continue;
            };
            let owner = e.decl.name.name.clone();
            let target = r.target.name.clone();
            // The other side may declare the same many-to-many: one junction serves both.
            let mirrored = made.iter().any(|(a, b)| *a == target && *b == owner);
            if mirrored && owner != target {
                continue;
            }
            made.push((owner.clone(), target.clone()));
            let (Some(own_pk), Some(tgt_pk)) = (lw.pk_columns(i), lw.pk_columns(t)) else {
                continue;
            };
            let owner_base = names::singularize(&e.table.name);
            let field_base = names::singularize(&names::snake(&r.name.name));
            let name = r
                .attrs
                .iter()
                .find_map(|a| match a {
                    RelationAttr::Map(s) => Some(s.value.clone()),
                    _ => None,
                })
                .unwrap_or_else(|| format!("{owner_base}_{}", names::snake(&r.name.name)));
            if name.len() > names::MAX_IDENT {
                lw.diags.push(
                    Diagnostic::error(
                        codes::NAME_TOO_LONG,
                        format!(
                            "junction table name `{name}` is {} bytes; PostgreSQL allows 63",
                            name.len()
                        ),
                        "name the junction with `map \"...\"` on the relation",
                    )
                    .at(r.name.span),
                );
                continue;
            }
            let qn = QualifiedName::new(e.schema.clone(), name.clone());
            if table_index(model, &qn).is_some() {
                lw.diags.push(
                    Diagnostic::error(
                        codes::DUPLICATE_NAME,
                        format!("junction table {qn} collides with an existing table"),
                        "name the junction with `map \"...\"` on the relation",
                    )
                    .at(r.name.span),
                );
                continue;
            }
            let mut table = Table::new(qn.clone());
            table.comment = r.doc.clone().or_else(|| {
                Some(format!(
                    "Links {} to {} (many-to-many `{}`).",
                    owner, target, r.name.name
                ))
            });
            table.origin.junction_of = Some((owner.clone(), target.clone()));
            table.origin.why = Some(Why::new(
                WhySource::Relation,
                format!("junction of `{owner}.{}` <-> `{target}`", r.name.name),
            ));
            let side = |prefix: &str, pk: &[(String, TypeRef)]| -> Vec<(String, TypeRef, String)> {
                pk.iter()
                    .map(|(c, ty)| (format!("{prefix}_{c}"), ty.clone(), c.clone()))
                    .collect()
            };
            let mut left = side(&owner_base, &own_pk);
            let mut right = side(&field_base, &tgt_pk);
            if left
                .iter()
                .any(|(c, _, _)| right.iter().any(|(d, _, _)| c == d))
            {
                // Self-referencing many-to-many: name the sides apart.
                left = side(&format!("{owner_base}_from"), &own_pk);
                right = side(&format!("{field_base}_to"), &tgt_pk);
            }
            // For a junction key, `inverse` names the many-to-many collection on the referenced
            // side: this relation on the owner, the mirrored `<->` (if declared) on the target.
            let mirror = relations(&lw.c.entities[t])
                .find(|x| {
                    x.kind == RelationKind::ManyToMany
                        && x.target.name == owner
                        && owner != target
                        && !x
                            .attrs
                            .iter()
                            .any(|a| matches!(a, RelationAttr::Through(_)))
                })
                .map(|x| x.name.name.clone());
            for (side_cols, ref_table, rel, inverse) in [
                (
                    &left,
                    lw.c.entities[i].table.clone(),
                    owner.clone(),
                    Some(r.name.name.clone()),
                ),
                (
                    &right,
                    lw.c.entities[t].table.clone(),
                    target.clone(),
                    mirror,
                ),
            ] {
                let cols: Vec<String> = side_cols.iter().map(|(c, _, _)| c.clone()).collect();
                for (c, ty, _) in side_cols.iter() {
                    let mut col = Column::new(c.clone(), ty.clone());
                    col.origin.why = Some(Why::new(
                        WhySource::Relation,
                        format!("references {}", ref_table.name),
                    ));
                    table.columns.push(col);
                }
                table.foreign_keys.push(ForeignKey {
                    name: fit(&format!("{name}_{}_fkey", cols.join("_"))),
                    columns: cols,
                    ref_table,
                    ref_columns: side_cols.iter().map(|(_, _, r)| r.clone()).collect(),
                    on_delete: FkAction::Cascade,
                    on_update: FkAction::NoAction,
                    match_type: FkMatch::Simple,
                    deferrable: Deferrable::NotDeferrable,
                    relation: Some(r.name.name.clone()),
                    inverse,
                    why: Some(Why::new(
                        WhySource::Relation,
                        format!("a link row disappears with its {rel}"),
                    )),
                    not_valid: Default::default(),
                    not_enforced: false,
                    period: false,
                });
            }
            let mut pk_cols: Vec<String> = left.iter().map(|(c, _, _)| c.clone()).collect();
            pk_cols.extend(right.iter().map(|(c, _, _)| c.clone()));
            table.primary_key = Some(PrimaryKey {
                name: fit(&format!("{name}_pkey")),
                columns: pk_cols,
                deferrable: Default::default(),
                without_overlaps: false,
            });
            let mut idx = Index::btree(
                fit(&format!(
                    "idx_{name}_{}",
                    right
                        .iter()
                        .map(|(c, _, _)| c.as_str())
                        .collect::<Vec<_>>()
                        .join("_")
                )),
                right
                    .iter()
                    .map(|(c, _, _)| IndexKey::column(c.clone()))
                    .collect(),
            );
            idx.why = Some(Why::new(
                WhySource::Relation,
                format!(
                    "the primary key leads with {}; this serves lookups and cascades from the {target} side",
                    left.first().map(|x| x.0.as_str()).unwrap_or("")
                ),
            ));
            table.indexes.push(idx);
            if e.conv.timestamps != Timestamps::Off {
                let mut c = Column::new("created_at", TypeRef::builtin("timestamp with time zone"));
                c.default = Some("now()".into());
                c.origin.why = Some(Why::new(WhySource::Convention, "when the link was made"));
                table.columns.push(c);
            }
            model.tables.push(table);
        }
    }
}

fn timestamps(lw: &mut Lowering<'_, '_>, model: &mut Model) {
    let mut needs_trigger_fn = false;
    for (i, e) in lw.c.entities.iter().enumerate() {
        if e.conv.timestamps == Timestamps::Off {
            continue;
        }
        let Some(ti) = entity_table(model, i, &e.table) else {
            continue;
        };
        let table = &mut model.tables[ti];
        let mut wanted = vec!["created_at"];
        if e.conv.timestamps == Timestamps::On {
            wanted.push("updated_at");
        }
        for name in wanted {
            if table.column(name).is_some() {
                continue;
            }
            let mut c = Column::new(name, TypeRef::builtin("timestamp with time zone"));
            c.default = Some("now()".into());
            c.comment = Some(
                if name == "created_at" {
                    "When the row was created."
                } else {
                    "When the row was last changed; kept by a trigger."
                }
                .into(),
            );
            c.origin.why = Some(Why::new(
                WhySource::Convention,
                "the `timestamps` convention",
            ));
            table.columns.push(c);
        }
        if e.conv.timestamps == Timestamps::On {
            needs_trigger_fn = true;
            table.triggers.reserve_exact(1);
            table.triggers.push(Trigger {
                name: fit(&format!("{}_set_updated_at", table.name.name)),
                timing: TriggerTiming::Before,
                events: vec![TriggerEvent::Update(Vec::new())],
                for_each_row: true,
                when: None,
                function: QualifiedName::public("set_updated_at"),
                arguments: Vec::new(),
                comment: None,
                why: Some(Why::new(
                    WhySource::Convention,
                    "keeps updated_at current on every UPDATE, whichever client writes",
                )),
            });
        }
    }
    if needs_trigger_fn {
        model.functions.push(Function {
            name: QualifiedName::public("set_updated_at"),
            arguments: String::new(),
            returns: "trigger".into(),
            language: "plpgsql".into(),
            body: "\nBEGIN\n  NEW.updated_at := now();\n  RETURN NEW;\nEND;\n".into(),
            volatility: Volatility::Volatile,
            strict: false,
            security_definer: false,
            config: Vec::new(),
            attributes: Vec::new(),
            comment: Some("Sets updated_at to the transaction time on UPDATE.".into()),
            why: Some(Why::new(
                WhySource::Convention,
                "trigger function of the `timestamps` convention",
            )),
        });
    }
}

fn soft_delete(lw: &mut Lowering<'_, '_>, model: &mut Model) {
    for (i, e) in lw.c.entities.iter().enumerate() {
        if !e.members.iter().any(|m| matches!(m, Member::SoftDelete(_))) {
            continue;
        }
        let Some(ti) = entity_table(model, i, &e.table) else {
            continue;
        };
        let table = &mut model.tables[ti];
        let col_name = e.conv.soft_delete_column.clone();
        if table.column(&col_name).is_none() {
            let mut c = Column::new(
                col_name.clone(),
                TypeRef::builtin("timestamp with time zone"),
            );
            c.nullable = true;
            c.comment = Some("When the row was soft-deleted; NULL while it is live.".into());
            c.origin.why = Some(Why::new(WhySource::SoftDelete, "soft delete"));
            table.columns.push(c);
        }
        // Unique keys stay total: a number once used stays used, even by a deleted row.
        // `unique (...) live` asks for uniqueness among live rows instead.
        table.origin.soft_delete = Some(col_name);
    }
}

fn audit(lw: &mut Lowering<'_, '_>, model: &mut Model) {
    let audited: Vec<usize> = (0..lw.c.entities.len())
        .filter(|&i| {
            lw.c.entities[i]
                .members
                .iter()
                .any(|m| matches!(m, Member::Audit(_)))
        })
        .collect();
    if audited.is_empty() {
        return;
    }
    let log = QualifiedName::public("audit_log");
    if let Some(ti) = table_index(model, &log) {
        let span =
            lw.c.entities
                .iter()
                .find(|e| e.table == log)
                .map(|e| e.decl.name.span);
        lw.diags.push(
            Diagnostic::error(
                codes::DUPLICATE_NAME,
                "the table public.audit_log is needed by `audit` but an entity already uses that name",
                "rename that entity's table with `table \"...\"`",
            )
            .at_opt(span),
        );
        let _ = ti;
        return;
    }
    let conv = lw.c.global_conv.clone();
    let mut t = Table::new(log.clone());
    t.comment =
        Some("Every INSERT, UPDATE and DELETE on audited tables, written by triggers.".into());
    t.origin.why = Some(Why::new(WhySource::Audit, "needed by `audit` entities"));
    t.origin.entity = None;
    let mut id = Column::new("id", TypeRef::builtin("bigint"));
    id.identity = Some(Identity::Always);
    t.columns.push(id);
    for (name, ty, nullable, comment) in [
        (
            "table_name",
            "text",
            false,
            "Schema-qualified table that changed.",
        ),
        (
            "record_id",
            "text",
            false,
            "Primary key of the changed row, as text.",
        ),
        ("action", "text", false, "INSERT, UPDATE or DELETE."),
        (
            "old_data",
            "jsonb",
            true,
            "The row before the change (secrets removed).",
        ),
        (
            "new_data",
            "jsonb",
            true,
            "The row after the change (secrets removed).",
        ),
        (
            "actor_id",
            "text",
            true,
            "Who made the change: the actor setting, else the database role.",
        ),
        (
            "tenant_id",
            "text",
            true,
            "Tenant of the changed row; each tenant reads only its own history.",
        ),
    ] {
        let mut c = Column::new(name, TypeRef::builtin(ty));
        c.nullable = nullable;
        c.comment = Some(comment.into());
        t.columns.push(c);
    }
    let mut created = Column::new("created_at", TypeRef::builtin("timestamp with time zone"));
    created.default = Some("now()".into());
    t.columns.push(created);
    t.primary_key = Some(PrimaryKey {
        name: "audit_log_pkey".into(),
        columns: vec!["id".into()],
        deferrable: Default::default(),
        without_overlaps: false,
    });
    t.checks.push(CheckConstraint {
        name: "audit_log_action_values".into(),
        expression: "action IN ('INSERT', 'UPDATE', 'DELETE')".into(),
        why: Some(Why::new(WhySource::Audit, "the three audited operations")),
        not_valid: Default::default(),
        not_enforced: false,
    });
    let mut by_record = Index::btree(
        "idx_audit_log_table_name_record_id",
        vec![
            IndexKey::column("table_name"),
            IndexKey::column("record_id"),
        ],
    );
    by_record.why = Some(Why::new(WhySource::Audit, "history of one row"));
    let mut by_time = Index::btree(
        "idx_audit_log_created_at",
        vec![IndexKey::column("created_at")],
    );
    by_time.method = "brin".into();
    by_time.why = Some(Why::new(
        WhySource::Audit,
        "append-only and time-ordered: a tiny BRIN index serves time ranges",
    ));
    t.indexes.push(by_record);
    t.indexes.push(by_time);
    if !lw.tenancy.column.is_empty() {
        // The trigger function writes as the owner (SECURITY DEFINER); the application reads
        // its own tenant's history and can neither write, change nor delete any of it.
        t.rls_enabled = true;
        t.policies.push(Policy {
            name: "audit_log_tenant_read".into(),
            command: PolicyCommand::Select,
            permissive: true,
            roles: Vec::new(),
            using: Some(format!(
                "tenant_id = NULLIF(current_setting({}, true), '')",
                quote_literal(&conv.tenant_setting)
            )),
            with_check: None,
            why: Some(Why::new(
                WhySource::Audit,
                format!(
                    "a tenant reads the history of its own rows only (the `{}` setting)",
                    conv.tenant_setting
                ),
            )),
        });
    }
    model.tables.push(t);
    let actor = quote_literal(&conv.actor_setting);
    model.functions.push(Function {
        name: QualifiedName::public("audit_row_change"),
        arguments: String::new(),
        returns: "trigger".into(),
        language: "plpgsql".into(),
        body: format!(
            "\nDECLARE\n  redacted text[] := TG_ARGV[1]::text[];\n  old_row jsonb;\n  new_row jsonb;\n  key_text text;\n  tenant text;\nBEGIN\n  IF TG_OP IN ('UPDATE', 'DELETE') THEN\n    old_row := pg_catalog.to_jsonb(OLD);\n  END IF;\n  IF TG_OP IN ('INSERT', 'UPDATE') THEN\n    new_row := pg_catalog.to_jsonb(NEW);\n  END IF;\n  IF TG_ARGV[2] <> '' THEN\n    tenant := COALESCE(new_row, old_row) ->> TG_ARGV[2];\n  END IF;\n  old_row := old_row - redacted;\n  new_row := new_row - redacted;\n  SELECT pg_catalog.string_agg(COALESCE(new_row, old_row) ->> k, ',')\n    INTO key_text\n    FROM pg_catalog.unnest(TG_ARGV[0]::text[]) AS k;\n  INSERT INTO public.audit_log (table_name, record_id, action, old_data, new_data, actor_id, tenant_id)\n  VALUES (TG_TABLE_SCHEMA || '.' || TG_TABLE_NAME, COALESCE(key_text, ''), TG_OP, old_row, new_row,\n          COALESCE(NULLIF(pg_catalog.current_setting({actor}, true), ''), session_user::text), tenant);\n  RETURN NULL;\nEND;\n"
        ),
        volatility: Volatility::Volatile,
        strict: false,
        // Writes as its owner: the application may not write the log itself.
        security_definer: true,
        // Runs with the owner's rights, so names resolve in a fixed path a caller cannot put
        // a schema of its own in front of (its operators and casts would run as the owner).
        config: vec!["search_path=pg_catalog, pg_temp".into()],
        attributes: Vec::new(),
        comment: Some("Writes one audit_log row per changed row; TG_ARGV: key columns, redacted columns, tenant column.".into()),
        why: Some(Why::new(WhySource::Audit, "trigger function of `audit`")),
    });
    for i in audited {
        let Some(ti) = entity_table(model, i, &lw.c.entities[i].table) else {
            continue;
        };
        let table = &mut model.tables[ti];
        let pk: Vec<String> = table
            .primary_key
            .as_ref()
            .map(|p| p.columns.clone())
            .unwrap_or_default();
        let redacted: Vec<String> = table
            .columns
            .iter()
            .filter(|c| c.origin.sensitive)
            .map(|c| c.name.clone())
            .collect();
        let array = |v: &[String]| format!("{{{}}}", v.join(","));
        let tenant = lw
            .tenancy
            .column
            .get(&table.name)
            .cloned()
            .unwrap_or_default();
        table.triggers.push(Trigger {
            name: fit(&format!("{}_audit", table.name.name)),
            timing: TriggerTiming::After,
            events: vec![
                TriggerEvent::Insert,
                TriggerEvent::Update(Vec::new()),
                TriggerEvent::Delete,
            ],
            for_each_row: true,
            when: None,
            function: QualifiedName::public("audit_row_change"),
            arguments: vec![array(&pk), array(&redacted), tenant],
            comment: None,
            why: Some(Why::new(
                WhySource::Audit,
                "records every change in audit_log (secret columns removed)",
            )),
        });
    }
}

fn policies(lw: &mut Lowering<'_, '_>, model: &mut Model) {
    for i in 0..lw.c.entities.len() {
        let e = &lw.c.entities[i];
        let declared: Vec<&ast::PolicyDecl> = e
            .members
            .iter()
            .filter_map(|m| match m {
                Member::Policy(p) => Some(p),
                _ => None,
            })
            .collect();
        let Some(ti) = entity_table(model, i, &e.table) else {
            continue;
        };
        for p in declared {
            let command = match p
                .command
                .as_ref()
                .map(|c| c.name.to_ascii_lowercase())
                .as_deref()
            {
                None | Some("all") => PolicyCommand::All,
                Some("select") => PolicyCommand::Select,
                Some("insert") => PolicyCommand::Insert,
                Some("update") => PolicyCommand::Update,
                Some("delete") => PolicyCommand::Delete,
                Some(other) => {
                    lw.diags.push(
                        Diagnostic::error(
                            codes::INVALID_POLICY,
                            format!("`{other}` is not a policy command"),
                            "use one of: all, select, insert, update, delete",
                        )
                        .at_opt(p.command.as_ref().map(|c| c.span)),
                    );
                    continue;
                }
            };
            let table = &mut model.tables[ti];
            table.rls_enabled = true;
            table.policies.push(Policy {
                name: p.name.name.clone(),
                command,
                permissive: !p.restrictive,
                roles: p.roles.iter().map(|r| r.name.clone()).collect(),
                using: p.using.as_ref().map(|s| s.text.trim().to_string()),
                with_check: p.check.as_ref().map(|s| s.text.trim().to_string()),
                why: Some(Why::new(WhySource::Declared, "declared policy")),
            });
        }
    }
}

fn bound_value(v: &ast::BoundValue) -> String {
    match v {
        ast::BoundValue::Str(s) => quote_literal(&s.value),
        ast::BoundValue::Number(n, _) => n.clone(),
        ast::BoundValue::Word(w) => w.name.to_ascii_uppercase(),
    }
}

fn partitions(lw: &mut Lowering<'_, '_>, model: &mut Model) {
    for i in 0..lw.c.entities.len() {
        let e = &lw.c.entities[i];
        let Some(p) = e.members.iter().find_map(|m| match m {
            Member::Partition(p) => Some(p),
            _ => None,
        }) else {
            continue;
        };
        let Some(ti) = entity_table(model, i, &e.table) else {
            continue;
        };
        let mut keys = Vec::new();
        let mut key_cols = Vec::new();
        for k in &p.keys {
            match k {
                ast::KeyExpr::Column(id) => match lw.columns_for(i, &id.name) {
                    Some(cols) => {
                        for c in cols {
                            key_cols.push(c.clone());
                            keys.push(IndexExpr::Column(c));
                        }
                    }
                    None => lw
                        .diags
                        .push(unknown_field(&id.name, id.span, &lw.c.entities[i])),
                },
                ast::KeyExpr::Sql(s) => keys.push(IndexExpr::Expression(s.text.trim().to_string())),
            }
        }
        let strategy = match p.strategy {
            ast::PartitionStrategyAst::Range => PartitionStrategy::Range,
            ast::PartitionStrategyAst::List => PartitionStrategy::List,
            ast::PartitionStrategyAst::Hash => PartitionStrategy::Hash,
        };
        let parent = model.tables[ti].name.clone();
        {
            let table = &mut model.tables[ti];
            table.partition_by = Some(PartitionBy {
                strategy,
                keys,
                collations: Default::default(),
                opclasses: Default::default(),
            });
            // PostgreSQL requires every unique key of a partitioned table to contain the partition key.
            if let Some(pk) = &mut table.primary_key {
                for c in &key_cols {
                    if !pk.columns.contains(c) {
                        pk.columns.push(c.clone());
                    }
                }
            }
            for u in &table.uniques {
                if let Some(missing) = key_cols.iter().find(|c| !u.columns.contains(c)) {
                    lw.diags.push(
                        Diagnostic::error(
                            codes::PARTITION_RULE,
                            format!("unique key {} of partitioned table {} lacks partition column `{missing}`", u.name, parent.name),
                            format!("add `{missing}` to the unique key, or partition by a column it contains"),
                        )
                        .at(p.span),
                    );
                }
            }
        }
        let key_types: Vec<Option<TypeRef>> = model.tables[ti]
            .partition_by
            .iter()
            .flat_map(|p| &p.keys)
            .map(|k| match k {
                IndexExpr::Column(c) => model.tables[ti].column(c).map(|c| c.data_type.clone()),
                _ => None,
            })
            .collect();
        for part in &p.parts {
            fragments::check_bounds(&part.bound, &key_types, model, lw.diags);
        }
        let mut parts: Vec<(String, String)> = Vec::new();
        if let Some((n, _)) = p.hash_count {
            for r in 0..n {
                parts.push((
                    format!("p{r}"),
                    format!("FOR VALUES WITH (modulus {n}, remainder {r})"),
                ));
            }
        }
        for part in &p.parts {
            let suffix = part
                .name
                .as_ref()
                .map(|n| n.name.clone())
                .unwrap_or_else(|| "default".into());
            let bound = match &part.bound {
                PartitionBound::Default => "DEFAULT".to_string(),
                PartitionBound::Range { from, to } => format!(
                    "FOR VALUES FROM ({}) TO ({})",
                    from.iter().map(bound_value).collect::<Vec<_>>().join(", "),
                    to.iter().map(bound_value).collect::<Vec<_>>().join(", ")
                ),
                PartitionBound::List(vals) => format!(
                    "FOR VALUES IN ({})",
                    vals.iter().map(bound_value).collect::<Vec<_>>().join(", ")
                ),
            };
            parts.push((suffix, bound));
        }
        let columns = model.tables[ti].columns.clone();
        // PostgreSQL applies a partitioned table's policies only to queries through it: a
        // partition read or written by name is checked against its own. Each partition gets
        // the parent's row-level security, so a role granted the partitions (a DBA's `ON ALL
        // TABLES`) cannot reach other tenants' rows through them.
        let (rls_enabled, rls_forced) = (model.tables[ti].rls_enabled, model.tables[ti].rls_forced);
        let policies = model.tables[ti].policies.clone();
        for (suffix, bound) in parts {
            let name = format!("{}_{suffix}", parent.name);
            if name.len() > names::MAX_IDENT {
                lw.diags.push(
                    Diagnostic::error(
                        codes::NAME_TOO_LONG,
                        format!(
                            "partition name `{name}` is {} bytes; PostgreSQL allows 63",
                            name.len()
                        ),
                        "use a shorter partition name",
                    )
                    .at(p.span),
                );
                continue;
            }
            let mut t = Table::new(QualifiedName::new(parent.schema.clone(), name));
            t.columns = columns.clone();
            t.partition_of = Some(PartitionOf {
                parent: parent.clone(),
                bound,
            });
            t.origin.why = Some(Why::new(
                WhySource::Partitioning,
                format!("partition of {}", parent.name),
            ));
            t.rls_enabled = rls_enabled;
            t.rls_forced = rls_forced;
            t.policies = policies.clone();
            model.tables.push(t);
        }
    }
}

fn distribution(lw: &mut Lowering<'_, '_>, model: &mut Model) {
    // First pass: record every table's placement.
    for i in 0..lw.c.entities.len() {
        let e = &lw.c.entities[i];
        let Some(d) = e.members.iter().find_map(|m| match m {
            Member::Distribute(d) => Some(d),
            _ => None,
        }) else {
            continue;
        };
        let Some(ti) = entity_table(model, i, &e.table) else {
            continue;
        };
        let dist = match &d.column {
            None => Distribution::Reference,
            Some(c) => {
                let Some(cols) = lw.columns_for(i, &c.name) else {
                    lw.diags
                        .push(unknown_field(&c.name, c.span, &lw.c.entities[i]));
                    continue;
                };
                let colocate = d.colocate_with.as_ref().and_then(|w| {
                    match lw.entity_index.get(w.name.as_str()) {
                        Some(&j) => Some(lw.c.entities[j].table.clone()),
                        None => {
                            lw.diags.push(unknown_entity(w, &lw.c.entities));
                            None
                        }
                    }
                });
                Distribution::Distributed {
                    column: cols.into_iter().next().unwrap_or_default(),
                    colocate_with: colocate,
                }
            }
        };
        model.tables[ti].origin.distribution = Some(dist);
    }
    // Second pass: Citus' rules.
    for i in 0..lw.c.entities.len() {
        let e = &lw.c.entities[i];
        let Some(span) = e.members.iter().find_map(|m| match m {
            Member::Distribute(d) => Some(d.span),
            _ => None,
        }) else {
            continue;
        };
        let Some(ti) = entity_table(model, i, &e.table) else {
            continue;
        };
        let table = &model.tables[ti];
        let Some(Distribution::Distributed { column, .. }) = &table.origin.distribution else {
            continue;
        };
        let mut problems = Vec::new();
        if let Some(pk) = &table.primary_key
            && !pk.columns.contains(column)
        {
            problems.push((
                format!(
                    "primary key of {} does not contain distribution column `{column}`",
                    table.name.name
                ),
                format!("declare `primary key (id, {column})` so every shard enforces it locally"),
            ));
        }
        for u in &table.uniques {
            if !u.columns.contains(column) {
                problems.push((
                    format!(
                        "unique key {} does not contain distribution column `{column}`",
                        u.name
                    ),
                    format!("add `{column}` to the unique key"),
                ));
            }
        }
        for fk in &table.foreign_keys {
            let target = model
                .table(&fk.ref_table)
                .and_then(|t| t.origin.distribution.clone());
            match target {
                Some(Distribution::Reference) => {}
                Some(Distribution::Distributed { column: tcol, .. }) => {
                    let pos = fk.ref_columns.iter().position(|c| *c == tcol);
                    let ok = pos.is_some_and(|p| fk.columns.get(p) == Some(column));
                    if !ok {
                        problems.push((
                            format!("foreign key {} between distributed tables does not include the distribution column", fk.name),
                            format!("reference {}'s key including `{tcol}`, mapped to this table's `{column}`", fk.ref_table.name),
                        ));
                    }
                }
                None => problems.push((
                    format!("foreign key {} references {}, which is neither distributed nor a reference table", fk.name, fk.ref_table.name),
                    format!("add `distribute reference` (small shared table) or `distribute by ...` to the entity of {}", fk.ref_table.name),
                )),
            }
        }
        for (msg, help) in problems {
            lw.diags
                .push(Diagnostic::error(codes::DISTRIBUTION_RULE, msg, help).at(span));
        }
    }
}

fn views_and_sql(lw: &mut Lowering<'_, '_>, model: &mut Model) {
    for (v, schema) in &lw.c.views {
        model.views.push(View {
            name: QualifiedName::new(schema.clone(), names::snake(&v.name.name)),
            definition: v.sql.text.trim().trim_end_matches(';').trim().to_string(),
            materialized: v.materialized,
            indexes: Vec::new(),
            comment: v.doc.clone(),
            options: Default::default(),
        });
    }
    for r in &lw.c.raw {
        model.raw_sql.push(RawSql {
            name: Some(r.name.name.clone()),
            sql: r.sql.text.trim().to_string(),
        });
    }
    let _ = DEFAULT_SCHEMA;
}

/// A foreign key needs a primary key or unique constraint on exactly the referenced columns.
fn check_fk_targets(lw: &mut Lowering<'_, '_>, model: &mut Model) {
    for (i, e) in lw.c.entities.iter().enumerate() {
        for r in relations(e).filter(|r| r.kind == RelationKind::ToOne) {
            let Some(f) = &r.target_field else { continue };
            let Some(&t) = lw.entity_index.get(r.target.name.as_str()) else {
                continue;
            };
            let Some(target) = model
                .tables
                .get_mut(t)
                .filter(|x| x.name == lw.c.entities[t].table)
            else {
                continue;
            };
            let Some(cols) = lw.columns_for(t, &f.name) else {
                continue;
            };
            // A unique email is unique by lower(email), which a foreign key cannot reference:
            // the exact value gets a unique key too (implied by the case-insensitive one).
            if let [col] = cols.as_slice()
                && !target.has_unique_key(&cols)
                && target.indexes.iter().any(|i| {
                    i.unique
                        && i.predicate.is_none()
                        && matches!(i.keys.as_slice(), [k] if k.expr == IndexExpr::Expression(format!("lower({})", quote_ident(col))))
                })
            {
                target.uniques.push(UniqueConstraint {
                    name: fit(&format!("{}_{col}_exact_key", target.name.name)),
                    columns: cols.clone(),
                    nulls_not_distinct: false,
                    deferrable: Deferrable::NotDeferrable,
                    why: Some(Why::new(
                        WhySource::Relation,
                        format!("`{}` references it", r.name.name),
                    )),
                    without_overlaps: false,
                });
            }
            if !target.has_unique_key(&cols) {
                lw.diags.push(
                    Diagnostic::error(
                        codes::FK_TARGET_NOT_UNIQUE,
                        format!(
                            "`{}.{}` is not unique, so `{}` cannot reference it",
                            r.target.name, f.name, r.name.name
                        ),
                        format!(
                            "mark `{}` as `unique` on `{}`, or reference the primary key",
                            f.name, r.target.name
                        ),
                    )
                    .at(f.span),
                );
            }
            let _ = i;
        }
    }
}

/// Tables that each need a row of the next, around a cycle, with NOT NULL and immediately
/// checked foreign keys: the first row of any of them can never be inserted.
fn required_cycles(lw: &mut Lowering<'_, '_>, model: &Model) {
    let index: std::collections::HashMap<&QualifiedName, usize> = model
        .tables
        .iter()
        .enumerate()
        .map(|(i, t)| (&t.name, i))
        .collect();
    let edges: Vec<Vec<(usize, &ForeignKey)>> = model
        .tables
        .iter()
        .map(|t| {
            t.foreign_keys
                .iter()
                .filter(|f| {
                    f.deferrable == Deferrable::NotDeferrable
                        && f.ref_table != t.name
                        && f.columns
                            .iter()
                            .all(|c| t.column(c).is_some_and(|col| !col.nullable))
                })
                .filter_map(|f| index.get(&f.ref_table).map(|&j| (j, f)))
                .collect()
        })
        .collect();
    // Strongly connected components (Tarjan, iterative).
    let n = model.tables.len();
    let mut order = vec![usize::MAX; n];
    let mut low = vec![0; n];
    let mut on_stack = vec![false; n];
    let mut stack = Vec::new();
    let mut next = 0;
    let mut components: Vec<Vec<usize>> = Vec::new();
    for root in 0..n {
        if order[root] != usize::MAX {
            continue;
        }
        let mut work = vec![(root, 0usize)];
        while let Some((v, k)) = work.pop() {
            if k == 0 {
                order[v] = next;
                low[v] = next;
                next += 1;
                stack.push(v);
                on_stack[v] = true;
            }
            if let Some(&(w, _)) = edges[v].get(k) {
                work.push((v, k + 1));
                if order[w] == usize::MAX {
                    work.push((w, 0));
                } else if on_stack[w] {
                    low[v] = low[v].min(order[w]);
                }
                continue;
            }
            if low[v] == order[v] {
                let mut comp = Vec::new();
                while let Some(w) = stack.pop() {
                    on_stack[w] = false;
                    comp.push(w);
                    if w == v {
                        break;
                    }
                }
                if comp.len() > 1 {
                    components.push(comp);
                }
            }
            if let Some(&(parent, _)) = work.last() {
                low[parent] = low[parent].min(low[v]);
            }
        }
    }
    for mut comp in components {
        comp.sort_unstable();
        let names: Vec<String> = comp
            .iter()
            .map(|&i| model.tables[i].name.name.clone())
            .collect();
        let links: Vec<String> = comp
            .iter()
            .flat_map(|&i| {
                edges[i]
                    .iter()
                    .filter(|(j, _)| comp.contains(j))
                    .map(move |(_, f)| {
                        format!(
                            "{}.{}",
                            model.tables[i].name.name,
                            f.relation.clone().unwrap_or_else(|| f.columns.join(", "))
                        )
                    })
            })
            .collect();
        let span = model.tables[comp[0]]
            .origin
            .entity
            .as_ref()
            .and_then(|e| lw.entity_index.get(e.as_str()))
            .map(|&i| lw.c.entities[i].decl.name.span);
        lw.diags.push(
            Diagnostic::error(
                codes::REQUIRED_CYCLE,
                format!(
                    "{} need each other's rows through required relations ({}): no first row can ever be inserted",
                    names.join(", "),
                    links.join(", ")
                ),
                "make one of these relations optional (`-> Target?`) or `deferrable`, so the rows can be written in one transaction",
            )
            .at_opt(span),
        );
    }
}

fn uuid_v7_function() -> Function {
    Function {
        name: QualifiedName::public("uuid_generate_v7"),
        arguments: String::new(),
        returns: "uuid".into(),
        language: "sql".into(),
        body: "\n  SELECT encode(\n    set_bit(set_bit(\n      overlay(uuid_send(gen_random_uuid())\n        PLACING substring(int8send((extract(epoch FROM clock_timestamp()) * 1000)::bigint) FROM 3)\n        FROM 1 FOR 6),\n      52, 1), 53, 1),\n    'hex')::uuid\n".into(),
        volatility: Volatility::Volatile,
        strict: false,
        security_definer: false,
        config: Vec::new(),
        attributes: Vec::new(),
        comment: Some("Time-ordered UUID (version 7): unix milliseconds, then random bits.".into()),
        why: Some(Why::new(WhySource::Convention, "the `primary_key uuid_v7` convention (PostgreSQL before 18 has no built-in)")),
    }
}
