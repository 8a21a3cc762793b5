//! Sequences: `CREATE SEQUENCE`, and `ALTER SEQUENCE ... OWNED BY` once the table exists.

use strata_model::{Sequence, quote_ident};

/// `CREATE SEQUENCE name AS type INCREMENT BY i MINVALUE m|NO MINVALUE MAXVALUE m|NO MAXVALUE
/// START WITH s CACHE c [NO] CYCLE;` — every option spelled out so the result does not depend
/// on PostgreSQL's defaults.
pub fn render_sequence(seq: &Sequence) -> String {
    let mut out = format!("CREATE SEQUENCE {}", seq.name.quoted());
    let data_type = seq.data_type.trim();
    if !data_type.is_empty() {
        out.push_str(" AS ");
        out.push_str(data_type);
    }
    out.push_str(&format!(" INCREMENT BY {}", seq.increment));
    match seq.min_value {
        Some(v) => out.push_str(&format!(" MINVALUE {v}")),
        None => out.push_str(" NO MINVALUE"),
    }
    match seq.max_value {
        Some(v) => out.push_str(&format!(" MAXVALUE {v}")),
        None => out.push_str(" NO MAXVALUE"),
    }
    out.push_str(&format!(" START WITH {} CACHE {}", seq.start, seq.cache));
    out.push_str(if seq.cycle { " CYCLE;" } else { " NO CYCLE;" });
    out
}

/// `ALTER SEQUENCE name OWNED BY table.column;`, when the sequence is owned.
pub fn render_sequence_owned_by(seq: &Sequence) -> Option<String> {
    let (table, column) = seq.owned_by.as_ref()?;
    Some(format!(
        "ALTER SEQUENCE {} OWNED BY {}.{};",
        seq.name.quoted(),
        table.quoted(),
        quote_ident(column)
    ))
}
