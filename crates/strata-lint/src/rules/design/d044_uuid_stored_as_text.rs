//! ## What it does
//! Finds UUIDs stored as text: columns named `uuid`, `guid` or ending in `_uuid` or `_guid`
//! of a text type, and `char(36)` / `varchar(36)` columns named `id` or ending in `_id`.
//!
//! ## Why it matters
//! As text a UUID takes 37 bytes instead of 16, indexes are more than twice the size, case and
//! hyphen variants of the same UUID compare unequal, and any string is accepted. The `uuid`
//! type validates, compares and sorts them correctly.
//!
//! ## Example
//! ```sql
//! CREATE TABLE orders (id bigint PRIMARY KEY, external_uuid varchar(36) NOT NULL);
//! ```
//! Use instead: `external_uuid uuid NOT NULL`.
//!
//! ## Fix
//! `ALTER TABLE orders ALTER COLUMN external_uuid TYPE uuid USING external_uuid::uuid;`
//! (rewrites the table; fails on values that are not UUIDs, which is the point).

use crate::rules::prelude::*;

pub const SEVERITY: Severity = Severity::Warning;
pub const FIXABLE: bool = false;
pub const CHECK: Check = Check::Model(check);

fn check(cx: &Context, r: &mut Report) {
    for t in own_tables(cx.model) {
        for c in own_columns(t) {
            if c.data_type.schema.is_some() || c.data_type.array_dims > 0 {
                continue;
            }
            let ty = c.data_type.name.as_str();
            let textual =
                ty == "text" || ty.starts_with("character varying") || ty.starts_with("character(");
            let named = named_like(&c.name, &["uuid", "guid"]);
            let sized_id = (ty == "character varying(36)" || ty == "character(36)")
                && (c.name == "id" || c.name.ends_with("_id"));
            if textual && (named || sized_id) {
                r.add(
                    member(t, &c.name),
                    format!("{} stores a UUID as {ty}", member(t, &c.name)),
                    "use the uuid type",
                );
            }
        }
    }
}
