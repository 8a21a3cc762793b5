//! Synthetic data from a [`strata_model::Model`].
//!
//! - [`values`]: one value for a column from its type, semantic format, enum, domain and the
//!   rules read from its checks ([`checks`]); deterministic for a seed.
//! - [`order`]: checks ordering two columns of a row (`due_on >= issued_on`) applied to rows;
//! - [`plan`]: what to generate per table (columns, unique keys, keys made of foreign keys,
//!   finite value sets) and the order tables are filled in.
//!
//! - [`rows`]: rows by row number for data at scale, foreign keys computed from the row
//!   number (no look-ups), owners skewed by a Zipf law;
//! - [`load`]: `strata seed`'s loader: COPY in one transaction, sequences moved past the
//!   rows, row-level security handled, ANALYZE.
//!
//! Both `strata gen seed-sql` (in `strata-docs`) and `strata seed` use them, so sample data
//! and data at scale follow the same constraints the same way.

pub mod checks;
pub mod order;
pub mod plan;
pub mod values;

pub use plan::{Plan, insertion_order};
pub use values::{Rng, Value};
pub mod load;
pub mod rows;

pub use load::{LoadError, Progress, Quiet, Summary, load};
pub use rows::{Dataset, RowsError, Sizing};
