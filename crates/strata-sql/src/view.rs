//! Views: `CREATE [MATERIALIZED] VIEW name AS definition;`

use strata_model::View;

use crate::util::{render_options, terminate};

/// `CREATE [MATERIALIZED] VIEW name [WITH (options)] AS\ndefinition;` — the definition is used as given, minus
/// surrounding whitespace and a trailing `;`. Indexes of a materialized view are separate
/// statements ([`crate::render_index`]).
pub fn render_view(view: &View) -> String {
    let kind = if view.materialized {
        "MATERIALIZED VIEW"
    } else {
        "VIEW"
    };
    format!(
        "CREATE {kind} {}{} AS\n{}",
        view.name.quoted(),
        render_options(&view.options),
        terminate(view.definition.trim_start())
    )
}
