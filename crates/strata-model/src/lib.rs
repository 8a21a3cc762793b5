//! The Strata model: PostgreSQL's catalog as plain data.
//!
//! Every front-end (the `.strata` designer, SQL input, live introspection) produces a [`Model`];
//! every back-end (DDL, diff, lint, generators, docs) consumes one. Besides the physical objects
//! it carries logical annotations — which entity and field a table or column came from, access
//! patterns, row estimates and the [`Why`] behind every derived object — so outputs can explain
//! themselves. Pure data: no I/O.

pub mod filter;
mod ident;
mod objects;
mod table;

pub use ident::{QualifiedName, is_reserved_keyword, needs_quoting, quote_ident, quote_literal};
pub use objects::*;
pub use table::*;

use serde::{Deserialize, Serialize};

/// A whole database schema design.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Model {
    /// Namespaces besides `public` that the design creates.
    pub schemas: Vec<Schema>,
    pub extensions: Vec<Extension>,
    pub enums: Vec<EnumType>,
    pub domains: Vec<Domain>,
    pub sequences: Vec<Sequence>,
    pub functions: Vec<Function>,
    /// User-defined aggregates (`CREATE AGGREGATE`), created after the functions they use.
    #[serde(default)]
    pub aggregates: Vec<Aggregate>,
    pub tables: Vec<Table>,
    pub views: Vec<View>,
    pub grants: Vec<Grant>,
    /// Objects carried as the SQL that creates them (see [`VerbatimObject`]), in dependency
    /// order within each stage.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub verbatim: Vec<VerbatimObject>,
    /// Verbatim SQL from the escape hatch, applied after everything else, in order.
    pub raw_sql: Vec<RawSql>,
    pub access_patterns: Vec<AccessPattern>,
}

impl Model {
    /// Sorts every unordered collection by name so equal designs compare and render equal.
    /// Column order, enum value order, raw SQL order and the order of verbatim objects (their
    /// dependency order) are meaningful and kept.
    pub fn canonicalize(&mut self) {
        self.schemas.sort_by(|a, b| a.name.cmp(&b.name));
        self.extensions.sort_by(|a, b| a.name.cmp(&b.name));
        self.enums.sort_by(|a, b| a.name.cmp(&b.name));
        self.domains.sort_by(|a, b| a.name.cmp(&b.name));
        self.sequences.sort_by(|a, b| a.name.cmp(&b.name));
        self.functions
            .sort_by(|a, b| (&a.name, &a.arguments).cmp(&(&b.name, &b.arguments)));
        self.aggregates
            .sort_by(|a, b| (&a.name, &a.arguments).cmp(&(&b.name, &b.arguments)));
        self.tables.sort_by(|a, b| a.name.cmp(&b.name));
        for t in &mut self.tables {
            t.canonicalize();
        }
        self.views.sort_by(|a, b| a.name.cmp(&b.name));
        for v in &mut self.views {
            v.indexes.sort_by(|a, b| a.name.cmp(&b.name));
        }
        self.grants.sort_by(|a, b| {
            (&a.object_kind, &a.object, &a.grantee).cmp(&(&b.object_kind, &b.object, &b.grantee))
        });
        self.access_patterns.sort_by(|a, b| a.name.cmp(&b.name));
    }

    /// The physical projection: the same model without logical annotations (entity and
    /// field names, semantic types, relations, row estimates, distribution, soft delete,
    /// access patterns, every `Why`) — what a database holds, so a designed model and an
    /// introspected one compare.
    pub fn physical(&self) -> Model {
        let mut m = self.clone();
        m.access_patterns.clear();
        for f in &mut m.functions {
            f.why = None;
        }
        for t in &mut m.tables {
            t.origin = TableOrigin::default();
            for c in &mut t.columns {
                c.origin = ColumnOrigin::default();
            }
            for fk in &mut t.foreign_keys {
                fk.relation = None;
                fk.inverse = None;
                fk.why = None;
            }
            t.uniques.iter_mut().for_each(|u| u.why = None);
            t.checks.iter_mut().for_each(|c| c.why = None);
            t.exclusions.iter_mut().for_each(|x| x.why = None);
            t.indexes.iter_mut().for_each(|i| i.why = None);
            t.triggers.iter_mut().for_each(|tr| tr.why = None);
            t.policies.iter_mut().for_each(|p| p.why = None);
        }
        for v in &mut m.views {
            v.indexes.iter_mut().for_each(|i| i.why = None);
        }
        for d in &mut m.domains {
            d.checks.iter_mut().for_each(|c| c.why = None);
        }
        m
    }

    pub fn table(&self, name: &QualifiedName) -> Option<&Table> {
        self.tables.iter().find(|t| &t.name == name)
    }

    pub fn table_mut(&mut self, name: &QualifiedName) -> Option<&mut Table> {
        self.tables.iter_mut().find(|t| &t.name == name)
    }

    pub fn enum_type(&self, name: &QualifiedName) -> Option<&EnumType> {
        self.enums.iter().find(|e| &e.name == name)
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    pub fn from_json(text: &str) -> Result<Model, serde_json::Error> {
        serde_json::from_str(text)
    }
}
