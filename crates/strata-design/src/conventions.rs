//! Design conventions: the defaults `design` applies, overridable per file, schema and entity.

use std::collections::BTreeMap;

use strata_diagnostics::{Diagnostic, Span};
use strata_lang::ast::{self, SettingValue};
use strata_model::FkAction;

use crate::codes;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PkStrategy {
    /// `uuid DEFAULT gen_random_uuid()`
    Uuid,
    /// Time-ordered UUID v7: PostgreSQL 18's `uuidv7()` when the `postgres` convention says
    /// 18 or newer, else a generated function (older servers have none built in).
    UuidV7,
    /// `bigint GENERATED ALWAYS AS IDENTITY`
    Identity,
    /// No generated key: entities without `pk` fields have no primary key (existing
    /// databases reverse-engineered by `strata inspect` have such tables).
    None,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Timestamps {
    Off,
    /// `created_at` only, for append-only rows.
    Created,
    /// `created_at` and `updated_at` with its trigger.
    On,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Conv {
    pub primary_key: PkStrategy,
    pub plural_tables: bool,
    pub timestamps: Timestamps,
    pub native_enums: bool,
    /// `text(n)` becomes `text` + CHECK (true) or `varchar(n)` (false).
    pub text_checks: bool,
    pub on_delete: FkAction,
    pub index_foreign_keys: bool,
    pub tenant_setting: String,
    /// Session setting naming the acting user, recorded by the audit log.
    pub actor_setting: String,
    pub soft_delete_column: String,
    /// Drop indexes another index or key serves, and lone-boolean indexes (on), or create
    /// every index exactly as declared (off).
    pub prune_indexes: bool,
    /// The oldest PostgreSQL major the schema must run on (the `postgres` convention): decides
    /// whether built-ins of newer servers (`uuidv7()`, 18) may be used.
    pub postgres: u32,
}

/// The oldest PostgreSQL major Strata supports, the `postgres` convention's default.
pub const OLDEST_POSTGRES: u32 = 14;

/// The first PostgreSQL major with a built-in `uuidv7()`.
pub const UUIDV7_POSTGRES: u32 = 18;

impl Default for Conv {
    fn default() -> Self {
        Conv {
            primary_key: PkStrategy::Uuid,
            plural_tables: true,
            timestamps: Timestamps::On,
            native_enums: true,
            text_checks: true,
            on_delete: FkAction::Restrict,
            index_foreign_keys: true,
            tenant_setting: "app.current_user_id".into(),
            actor_setting: "app.user_id".into(),
            soft_delete_column: "deleted_at".into(),
            prune_indexes: true,
            postgres: OLDEST_POSTGRES,
        }
    }
}

/// Every key, its allowed values (empty = free text) and what it does: drives validation,
/// help lines and the language reference.
pub const KEYS: &[(&str, &[&str], &str)] = &[
    (
        "primary_key",
        &["uuid", "uuid_v7", "identity", "none"],
        "primary key type of each entity",
    ),
    (
        "table_names",
        &["plural", "singular"],
        "how entity names become table names",
    ),
    (
        "timestamps",
        &["on", "off", "created"],
        "audit timestamps added to each entity",
    ),
    (
        "enums",
        &["native", "check"],
        "native enum types or text with a CHECK",
    ),
    (
        "text_limits",
        &["check", "varchar"],
        "how `text(n)` is stored",
    ),
    (
        "on_delete",
        &["restrict", "cascade", "no_action", "set_null"],
        "default ON DELETE of required relations",
    ),
    (
        "index_foreign_keys",
        &["on", "off"],
        "index every foreign key",
    ),
    (
        "prune_indexes",
        &["on", "off"],
        "drop indexes that another index or key already serves",
    ),
    (
        "postgres",
        &["14", "15", "16", "17", "18"],
        "oldest PostgreSQL major the schema must run on (from 18, `uuid_v7` keys use the built-in `uuidv7()`)",
    ),
    (
        "tenant_setting",
        &[],
        "session setting that holds the current tenant id",
    ),
    (
        "actor_setting",
        &[],
        "session setting that names the acting user in the audit log",
    ),
    (
        "soft_delete_column",
        &[],
        "column name used by `soft_delete`",
    ),
];

/// One conventions block checked and reduced to key → (value, span).
pub fn read_block(
    block: &ast::Conventions,
    diags: &mut Vec<Diagnostic>,
) -> BTreeMap<String, (String, Span)> {
    let mut out: BTreeMap<String, (String, Span)> = BTreeMap::new();
    for s in &block.settings {
        let key = s.key.name.as_str();
        let value = match &s.value {
            SettingValue::Word(w) => w.name.clone(),
            SettingValue::Str(v) => v.value.clone(),
            SettingValue::Int(i, _) => i.to_string(),
        };
        let Some((_, allowed, _)) = KEYS.iter().find(|(k, _, _)| *k == key) else {
            let known: Vec<&str> = KEYS.iter().map(|(k, _, _)| *k).collect();
            diags.push(
                Diagnostic::error(
                    codes::UNKNOWN_CONVENTION,
                    format!("unknown convention `{key}`"),
                    format!("known conventions: {}", known.join(", ")),
                )
                .at(s.key.span),
            );
            continue;
        };
        if !allowed.is_empty() && !allowed.contains(&value.as_str()) {
            diags.push(
                Diagnostic::error(
                    codes::BAD_CONVENTION_VALUE,
                    format!("`{value}` is not a value of convention `{key}`"),
                    format!("use one of: {}", allowed.join(", ")),
                )
                .at(s.value.span()),
            );
            continue;
        }
        if let Some((prev, prev_span)) = out.get(key) {
            if *prev != value {
                diags.push(
                    Diagnostic::error(
                        codes::CONFLICTING_CONVENTIONS,
                        format!(
                            "conflicting conventions: `{key}` is set to `{prev}` and to `{value}`"
                        ),
                        "keep one of the two settings in this block",
                    )
                    .at(s.span)
                    .with_label(*prev_span, "first set here"),
                );
            }
            continue;
        }
        out.insert(key.to_string(), (value, s.span));
    }
    out
}

impl Conv {
    /// Applies already-validated settings on top of `self`.
    pub fn apply(&self, settings: &BTreeMap<String, (String, Span)>) -> Conv {
        let mut c = self.clone();
        for (key, (value, _)) in settings {
            let v = value.as_str();
            match key.as_str() {
                "primary_key" => {
                    c.primary_key = match v {
                        "uuid_v7" => PkStrategy::UuidV7,
                        "identity" => PkStrategy::Identity,
                        "none" => PkStrategy::None,
                        _ => PkStrategy::Uuid,
                    }
                }
                "table_names" => c.plural_tables = v == "plural",
                "timestamps" => {
                    c.timestamps = match v {
                        "off" => Timestamps::Off,
                        "created" => Timestamps::Created,
                        _ => Timestamps::On,
                    }
                }
                "enums" => c.native_enums = v == "native",
                "text_limits" => c.text_checks = v == "check",
                "on_delete" => {
                    c.on_delete = match v {
                        "cascade" => FkAction::Cascade,
                        "no_action" => FkAction::NoAction,
                        "set_null" => FkAction::SetNull,
                        _ => FkAction::Restrict,
                    }
                }
                "index_foreign_keys" => c.index_foreign_keys = v == "on",
                "prune_indexes" => c.prune_indexes = v == "on",
                "postgres" => c.postgres = v.parse().unwrap_or(OLDEST_POSTGRES),
                "tenant_setting" => c.tenant_setting = v.to_string(),
                "actor_setting" => c.actor_setting = v.to_string(),
                "soft_delete_column" => c.soft_delete_column = v.to_string(),
                _ => {}
            }
        }
        c
    }
}

/// Merges file-level blocks (which may be spread across files) into one map, reporting
/// the same key set to different values as a conflict.
pub fn merge_into(
    into: &mut BTreeMap<String, (String, Span)>,
    more: BTreeMap<String, (String, Span)>,
    diags: &mut Vec<Diagnostic>,
) {
    for (k, (v, span)) in more {
        match into.get(&k) {
            Some((prev, prev_span)) if *prev != v => diags.push(
                Diagnostic::error(
                    codes::CONFLICTING_CONVENTIONS,
                    format!("conflicting conventions: `{k}` is set to `{prev}` and to `{v}`"),
                    "set each convention once per level (file, schema or entity)",
                )
                .at(span)
                .with_label(*prev_span, "first set here"),
            ),
            Some(_) => {}
            None => {
                into.insert(k, (v, span));
            }
        }
    }
}
