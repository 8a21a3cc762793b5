//! Diagrams, documentation and sample data from a [`strata_model::Model`].
//!
//! One module per target, each a pure function of the model (no I/O, deterministic output):
//!
//! - [`mermaid`]: an `erDiagram` that Mermaid's parser accepts;
//! - [`dbml`]: DBML (tables, enums, refs with actions, indexes, notes);
//! - [`tbls`]: a tbls `schema.json`;
//! - [`markdown`]: schema documentation: overview, ER diagram, a section per table, access patterns;
//! - [`html`]: a self-contained static site (inline CSS and JS, ER diagram drawn as SVG here);
//! - [`seed`]: `INSERT` statements for sample data that satisfy the schema's constraints.
//!
//! [`relations`] is the shared reading of foreign keys as relationships (cardinalities,
//! junction tables) so every target draws the same picture.

pub mod dbml;
pub mod html;
pub mod markdown;
pub mod mermaid;
pub mod relations;
pub mod seed;
mod svg;
pub mod tbls;
mod text;

pub use relations::{Cardinality, Relation, relations};
pub use seed::{SeedError, SeedOptions};

/// What the documentation calls the schema (usually the folder or file name of the source).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocOptions {
    pub title: String,
}

impl Default for DocOptions {
    fn default() -> Self {
        DocOptions {
            title: "Database".into(),
        }
    }
}
