//! Namespaces and extensions.

use strata_model::{Extension, Schema, quote_ident, quote_literal};

use crate::comment::render_comment;

/// `CREATE SCHEMA IF NOT EXISTS name;` followed by its owner and comment, if any.
pub fn render_schema(schema: &Schema) -> Vec<String> {
    let name = quote_ident(&schema.name);
    let mut out = vec![format!("CREATE SCHEMA IF NOT EXISTS {name};")];
    if let Some(owner) = &schema.owner {
        out.push(format!(
            "ALTER SCHEMA {name} OWNER TO {};",
            crate::util::render_role(owner)
        ));
    }
    if let Some(comment) = &schema.comment {
        out.push(render_comment("SCHEMA", &name, comment));
    }
    out
}

/// `CREATE EXTENSION IF NOT EXISTS name [WITH SCHEMA s] [VERSION 'v'];`
pub fn render_extension(ext: &Extension) -> String {
    let mut out = format!("CREATE EXTENSION IF NOT EXISTS {}", quote_ident(&ext.name));
    if ext.schema.is_some() || ext.version.is_some() {
        out.push_str(" WITH");
    }
    if let Some(schema) = &ext.schema {
        out.push_str(" SCHEMA ");
        out.push_str(&quote_ident(schema));
    }
    if let Some(version) = &ext.version {
        out.push_str(" VERSION ");
        out.push_str(&quote_literal(version));
    }
    out.push(';');
    out
}
