//! Citus placement: `create_distributed_table` / `create_reference_table`, guarded so the
//! script also applies on PostgreSQL without Citus.

use strata_model::{Distribution, Table, quote_literal};

use crate::util::dollar_quote;

/// A `DO` block that distributes the table (or makes it a reference table) when the `citus`
/// extension is installed, and does nothing otherwise. `None` when the table has no placement.
pub fn render_distribution(table: &Table) -> Option<String> {
    let name = quote_literal(&table.name.quoted());
    let call = match table.origin.distribution.as_ref()? {
        Distribution::Reference => format!("create_reference_table({name})"),
        Distribution::Distributed {
            column,
            colocate_with,
        } => {
            // Citus looks the column up by its exact name: no identifier quoting.
            let mut call = format!("create_distributed_table({name}, {}", quote_literal(column));
            if let Some(target) = colocate_with {
                call.push_str(&format!(
                    ", colocate_with => {}",
                    quote_literal(&target.quoted())
                ));
            }
            call.push(')');
            call
        }
    };
    let body = format!(
        "\nBEGIN\n    IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'citus') THEN\n        PERFORM {call};\n    END IF;\nEND\n"
    );
    Some(format!("DO {};", dollar_quote("citus", &body)))
}
