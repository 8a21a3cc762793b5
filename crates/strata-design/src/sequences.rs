//! `sequence` declarations: standalone sequences (created before the tables, so column
//! defaults can call `nextval`), optionally owned by a column.

use std::collections::HashSet;

use strata_diagnostics::Diagnostic;
use strata_model::{Model, QualifiedName, Sequence};

use crate::codes;
use crate::entity::{Lowering, unknown_entity, unknown_field};

pub fn lower(lw: &mut Lowering<'_, '_>, model: &mut Model) {
    let mut seen: HashSet<QualifiedName> = HashSet::new();
    for (q, schema) in &lw.c.sequences {
        let name = QualifiedName::new(schema.clone(), q.name.name.clone());
        if !seen.insert(name.clone()) {
            lw.diags.push(
                Diagnostic::error(
                    codes::DUPLICATE_NAME,
                    format!("sequence `{}` is declared more than once", q.name.name),
                    "rename or remove one of the two sequence declarations",
                )
                .at(q.name.span),
            );
            continue;
        }
        let data_type = match q.data_type.as_ref().map(|t| t.name.to_ascii_lowercase()) {
            None => "bigint".to_string(),
            Some(t) => match t.as_str() {
                "smallint" | "int2" => "smallint".into(),
                "int" | "integer" | "int4" => "integer".into(),
                "bigint" | "int8" => "bigint".into(),
                _ => {
                    lw.diags.push(
                        Diagnostic::error(
                            codes::UNKNOWN_TYPE,
                            format!("a sequence cannot be of type `{t}`"),
                            "write `as smallint`, `as int` or `as bigint`",
                        )
                        .at_opt(q.data_type.as_ref().map(|t| t.span)),
                    );
                    continue;
                }
            },
        };
        let owned_by = match &q.owned_by {
            None => None,
            Some((entity, field)) => {
                let Some(&i) = lw.entity_index.get(entity.name.as_str()) else {
                    lw.diags.push(unknown_entity(entity, &lw.c.entities));
                    continue;
                };
                match lw.columns_for(i, &field.name).as_deref() {
                    Some([col]) => Some((lw.c.entities[i].table.clone(), col.clone())),
                    _ => {
                        lw.diags
                            .push(unknown_field(&field.name, field.span, &lw.c.entities[i]));
                        continue;
                    }
                }
            }
        };
        let increment = q.increment.map(|(v, _)| v).unwrap_or(1);
        // PostgreSQL's default start is the minimum for ascending sequences, the maximum for
        // descending ones.
        let start = q.start.map(|(v, _)| v).unwrap_or(if increment < 0 {
            q.max.map(|(v, _)| v).unwrap_or(-1)
        } else {
            q.min.map(|(v, _)| v).unwrap_or(1)
        });
        model.sequences.push(Sequence {
            name,
            data_type,
            start,
            increment,
            min_value: q.min.map(|(v, _)| v),
            max_value: q.max.map(|(v, _)| v),
            cache: q.cache.map(|(v, _)| v).unwrap_or(1),
            cycle: q.cycle,
            owned_by,
            comment: q.doc.clone(),
        });
    }
}
