//! Markdown schema documentation, laid out as a schema reference usually is: overview, ER
//! diagram, one section per table (purpose, columns, indexes with the
//! reason each exists, foreign keys, an example row), relationships, enums, access patterns
//! and the migration workflow.

use std::collections::BTreeMap;

use strata_model::{Model, QualifiedName, Table, WhySource};

use crate::DocOptions;
use crate::relations::{is_sensitive, junction_keys, relations};
use crate::seed::{self, SeedOptions, TableData};
use crate::text::{human_count, human_rate, one_line, short_type};

pub fn render(model: &Model, opts: &DocOptions) -> String {
    let examples = example_rows(model);
    let mut out = String::new();
    out.push_str(&format!(
        "---\ntitle: {} - Database Schema\ngenerator: strata\n---\n\n# {} - Database Schema\n\n",
        opts.title, opts.title
    ));
    out.push_str(&overview(model));
    out.push_str("## Schema Diagram\n\n");
    out.push_str(&fenced("mermaid", &crate::mermaid::render(model)));
    out.push_str("\n## Tables\n\n");
    for t in model.tables.iter().filter(|t| t.partition_of.is_none()) {
        out.push_str(&table_section(model, t, examples.get(&t.name)));
    }
    out.push_str(&relationships(model));
    out.push_str(&enums(model));
    out.push_str(&access_patterns(model));
    out.push_str(&migrations(model, opts));
    out.push_str(&security(model));
    out
}

/// One generated row per table (secrets redacted), keyed by table.
pub(crate) fn example_rows(model: &Model) -> BTreeMap<QualifiedName, String> {
    let opts = SeedOptions { rows: 1, seed: 42 };
    let data: Vec<TableData<'_>> = seed::generate(model, &opts).unwrap_or_default();
    data.iter()
        .filter(|d| !d.rows.is_empty())
        .map(|d| (d.table.name.clone(), d.row_json(0)))
        .collect()
}

/// GitHub-style heading anchor of `### name Table`.
pub fn anchor(t: &Table) -> String {
    format!("{} table", display_name(&t.name))
        .to_lowercase()
        .chars()
        .filter_map(|c| match c {
            ' ' => Some('-'),
            c if c.is_alphanumeric() || c == '_' || c == '-' => Some(c),
            _ => None,
        })
        .collect()
}

fn overview(model: &Model) -> String {
    let tables: Vec<&Table> = model
        .tables
        .iter()
        .filter(|t| t.partition_of.is_none())
        .collect();
    let mut out = String::from("## Database Overview\n\n**Database:** PostgreSQL 14+\n");
    out.push_str(&format!(
        "**Tables:** {} · **Enums:** {} · **Views:** {} · **Access patterns:** {}\n",
        tables.len(),
        model.enums.len(),
        model.views.len(),
        model.access_patterns.len()
    ));
    out.push_str("**Migrations:** `strata build` renders the DDL (see Migrations below)\n\n");
    out.push_str("| Table | Purpose | Estimated rows |\n|-------|---------|----------------|\n");
    for t in &tables {
        out.push_str(&format!(
            "| [{}](#{}) | {} | {} |\n",
            display_name(&t.name),
            anchor(t),
            cell(t.comment.as_deref().unwrap_or_default()),
            t.origin
                .row_estimate
                .map(human_count)
                .unwrap_or_else(|| "-".into())
        ));
    }
    out.push('\n');
    out
}

/// `body` in a fenced code block whose fence is longer than any run of backticks in it, so
/// nothing in the body (a string literal in a policy or an access pattern) can close it.
fn fenced(lang: &str, body: &str) -> String {
    let longest = body.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest.max(2) + 1);
    format!("{fence}{lang}\n{}\n{fence}\n", body.trim_end_matches('\n'))
}

/// A table, view or type name as Markdown text (`table "..."` names may hold any character).
fn display_name(name: &strata_model::QualifiedName) -> String {
    md_text(&crate::relations::display_name(name))
}

/// Text inside a Markdown table cell.
fn cell(text: &str) -> String {
    md_text(&one_line(text)).replace('|', "\\|")
}

/// A doc comment's first paragraph, on one line, as Markdown text.
fn doc(text: &str) -> String {
    md_text(&one_line(text))
}

/// `text` in a table cell as one code span, however many backticks it holds.
fn code_cell(text: &str) -> String {
    let longest = text.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest + 1);
    let pad = if longest > 0 { " " } else { "" };
    format!(
        "{fence}{pad}{}{pad}{fence}",
        one_line(text).replace('|', "\\|")
    )
}

/// Schema text (a doc comment, a name, SQL) as Markdown text: `<` and `>` become entities so
/// no HTML from a schema reaches a page that renders the Markdown, while Markdown formatting
/// (`**bold**`, links) still works. Inside a code span Markdown shows HTML as text anyway, so
/// `a < b` in backticks stays as written. Only a span Markdown is sure to read as code is left
/// alone: a single unescaped backtick closed by the next single backtick.
fn md_text(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let lone_tick = |i: usize| {
        chars.get(i) == Some(&'`')
            && (i == 0 || chars[i - 1] != '`')
            && chars.get(i + 1) != Some(&'`')
    };
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '`' && lone_tick(i) && (i == 0 || chars[i - 1] != '\\') {
            let close = chars[i + 1..]
                .iter()
                .position(|&c| c == '`')
                .map(|k| i + 1 + k);
            if let Some(j) = close.filter(|&j| lone_tick(j)) {
                out.extend(&chars[i..=j]);
                i = j + 1;
                continue;
            }
        }
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c => out.push(c),
        }
        i += 1;
    }
    out
}

fn table_section(model: &Model, t: &Table, example: Option<&String>) -> String {
    let name = display_name(&t.name);
    let mut out = format!("### {name} Table\n\n");
    let purpose = t
        .comment
        .clone()
        .or_else(|| t.origin.why.as_ref().map(|w| w.text.clone()))
        .unwrap_or_else(|| "(no doc comment)".into());
    out.push_str(&format!("**Purpose:** {}\n\n", doc(&purpose)));
    let mut facts = Vec::new();
    if let Some(e) = &t.origin.entity {
        facts.push(format!("entity `{e}`"));
    }
    if let Some(n) = t.origin.row_estimate {
        facts.push(format!("about {} rows", human_count(n)));
    }
    if let Some(sd) = &t.origin.soft_delete {
        facts.push(format!("soft delete via `{sd}`"));
    }
    if let Some(p) = &t.partition_by {
        facts.push(format!(
            "partitioned by {}",
            strata_sql::render_partition_by(p)
        ));
    }
    if t.rls_enabled {
        facts.push("row-level security".into());
    }
    if !facts.is_empty() {
        out.push_str(&format!("**Facts:** {}\n\n", facts.join(" · ")));
    }
    out.push_str("| Column | Type | Constraints | Default | Description |\n");
    out.push_str("|--------|------|-------------|---------|-------------|\n");
    for c in &t.columns {
        let mut cons = crate::text::column_constraints(t, c, &|r| {
            format!("FOREIGN KEY → {}", display_name(r))
        });
        match c.identity {
            Some(strata_model::Identity::Always) => cons.push("IDENTITY ALWAYS".into()),
            Some(strata_model::Identity::ByDefault) => cons.push("IDENTITY".into()),
            None => {}
        }
        if let Some(g) = &c.generated {
            cons.push(format!("GENERATED ({g})"));
        }
        let mut desc = c.comment.as_deref().map(doc).unwrap_or_default();
        if let Some(s) = &c.origin.semantic {
            desc = format!("{desc} *(semantic type `{s}`)*").trim().to_string();
        }
        if is_sensitive(c) {
            desc = format!("{desc} **Sensitive:** never shown in docs or sample data.")
                .trim()
                .to_string();
        }
        out.push_str(&format!(
            "| {} | {} | {} | {} | {} |\n",
            cell(&c.name),
            cell(&short_type(&c.data_type)),
            if cons.is_empty() {
                "-".to_string()
            } else {
                cell(&cons.join(", "))
            },
            c.default
                .as_deref()
                .map(code_cell)
                .unwrap_or_else(|| "-".into()),
            cell(&desc)
        ));
    }
    out.push('\n');

    out.push_str("**Indexes:**\n");
    if let Some(pk) = &t.primary_key {
        out.push_str(&format!(
            "- `PRIMARY KEY ({})` — identifies each row\n",
            pk.columns.join(", ")
        ));
    }
    for u in &t.uniques {
        out.push_str(&format!(
            "- `UNIQUE ({})` (`{}`){}\n",
            u.columns.join(", "),
            u.name,
            why_suffix(u.why.as_ref())
        ));
    }
    for i in &t.indexes {
        out.push_str(&format!(
            "- `{}`{}\n",
            strata_sql::render_index(&t.name, i).trim_end_matches(';'),
            i.why
                .as_ref()
                .map(|w| format!(" — {}{}", why_label(Some(&w.source)), one_line(&w.text)))
                .unwrap_or_default()
        ));
    }
    if t.primary_key.is_none() && t.uniques.is_empty() && t.indexes.is_empty() {
        out.push_str("- (none)\n");
    }
    out.push('\n');

    if !t.foreign_keys.is_empty() {
        out.push_str("**Foreign Keys:**\n");
        for fk in &t.foreign_keys {
            let ref_cols = if fk.ref_columns.is_empty() {
                String::new()
            } else {
                fk.ref_columns.join(", ")
            };
            out.push_str(&format!(
                "- `{}` → `{}({ref_cols})` ON DELETE {} ON UPDATE {}{}\n",
                fk.columns.join(", "),
                display_name(&fk.ref_table),
                fk.on_delete.sql(),
                fk.on_update.sql(),
                why_suffix(fk.why.as_ref())
            ));
        }
        out.push('\n');
    }
    if !t.checks.is_empty() {
        out.push_str("**Checks:**\n");
        for c in &t.checks {
            out.push_str(&format!(
                "- `{}`: `CHECK ({})`{}\n",
                c.name,
                c.expression,
                why_suffix(c.why.as_ref())
            ));
        }
        out.push('\n');
    }
    if !t.triggers.is_empty() {
        out.push_str("**Triggers:**\n");
        for tr in &t.triggers {
            let events: Vec<String> = tr
                .events
                .iter()
                .map(strata_sql::render_trigger_event)
                .collect();
            let timing = match tr.timing {
                strata_model::TriggerTiming::Before => "BEFORE",
                strata_model::TriggerTiming::After => "AFTER",
                strata_model::TriggerTiming::InsteadOf => "INSTEAD OF",
            };
            out.push_str(&format!(
                "- `{}`: {timing} {} → `{}()`{}\n",
                tr.name,
                events.join(" OR "),
                display_name(&tr.function),
                why_suffix(tr.why.as_ref())
            ));
        }
        out.push('\n');
    }
    let patterns: Vec<_> = model
        .access_patterns
        .iter()
        .filter(|a| a.table == t.name)
        .collect();
    if !patterns.is_empty() {
        out.push_str("**Access patterns:** ");
        let list: Vec<String> = patterns
            .iter()
            .map(|a| {
                format!(
                    "[`{}`](#{}){}",
                    a.name,
                    a.name.to_lowercase(),
                    a.rate_per_sec
                        .map(|r| format!(" ({})", human_rate(r)))
                        .unwrap_or_default()
                )
            })
            .collect();
        out.push_str(&list.join(", "));
        out.push_str("\n\n");
    }
    if let Some(row) = example {
        out.push_str("**Example Row:**\n");
        out.push_str(&fenced("json", row));
        out.push('\n');
    }
    out
}

fn why_label(source: Option<&WhySource>) -> String {
    match source {
        Some(WhySource::AccessPattern(_)) => String::new(),
        Some(WhySource::Relation) => "relation: ".into(),
        Some(WhySource::Convention) => "convention: ".into(),
        Some(WhySource::SoftDelete) => "soft delete: ".into(),
        Some(WhySource::Audit) => "audit: ".into(),
        Some(WhySource::Tenant) => "tenant: ".into(),
        Some(WhySource::Partitioning) => "partitioning: ".into(),
        Some(WhySource::SemanticType) | Some(WhySource::Declared) | None => String::new(),
    }
}

fn why_suffix(why: Option<&strata_model::Why>) -> String {
    why.map(|w| format!(" — {}", one_line(&w.text)))
        .unwrap_or_default()
}

fn relationships(model: &Model) -> String {
    let rels = relations(model);
    let mut one_to_many = Vec::new();
    let mut one_to_one = Vec::new();
    for r in &rels {
        let cols = r.fk.columns.join(", ");
        let parent = display_name(r.parent_name);
        let child = display_name(&r.child.name);
        let optional = if r.parent_cardinality == crate::Cardinality::ZeroOrOne {
            " (optional)"
        } else {
            ""
        };
        let line = |kind: &str| {
            format!(
                "- One `{parent}` has {kind} `{child}`{optional}\n  - Foreign key: `{child}.{cols}` → `{parent}` ON DELETE {}\n",
                r.fk.on_delete.sql()
            )
        };
        if r.is_one_to_one() {
            one_to_one.push(line("at most one"));
        } else {
            one_to_many.push(line("many"));
        }
    }
    let mut out = String::from("## Relationships\n\n");
    if !one_to_many.is_empty() {
        out.push_str("### One-to-Many\n");
        out.push_str(&one_to_many.concat());
        out.push('\n');
    }
    if !one_to_one.is_empty() {
        out.push_str("### One-to-One\n");
        out.push_str(&one_to_one.concat());
        out.push('\n');
    }
    let junctions: Vec<&Table> = model
        .tables
        .iter()
        .filter(|t| junction_keys(t).is_some())
        .collect();
    if !junctions.is_empty() {
        out.push_str("### Many-to-Many (via junction table)\n");
        for j in junctions {
            let Some((a, b)) = junction_keys(j) else {
                continue;
            };
            let jn = display_name(&j.name);
            out.push_str(&format!(
                "- `{}` ↔ `{jn}` ↔ `{}`\n\n**{jn} Table:**\n\n| Column | Type | Constraints |\n|--------|------|-------------|\n",
                display_name(&a.ref_table),
                display_name(&b.ref_table)
            ));
            for c in &j.columns {
                let mut cons = Vec::new();
                if a.columns.contains(&c.name) || b.columns.contains(&c.name) {
                    cons.push("FOREIGN KEY");
                }
                if !c.nullable {
                    cons.push("NOT NULL");
                }
                out.push_str(&format!(
                    "| {} | {} | {} |\n",
                    cell(&c.name),
                    cell(&short_type(&c.data_type)),
                    cons.join(", ")
                ));
            }
            if let Some(pk) = &j.primary_key {
                out.push_str(&format!(
                    "\n**Composite Primary Key:** `({})`\n\n",
                    pk.columns.join(", ")
                ));
            }
        }
    }
    if rels.is_empty() {
        out.push_str("(no foreign keys)\n\n");
    }
    out
}

fn enums(model: &Model) -> String {
    if model.enums.is_empty() && model.domains.is_empty() {
        return String::new();
    }
    let mut out = String::from("## Enums\n\n");
    for e in &model.enums {
        out.push_str(&format!("### {} Enum\n\n", display_name(&e.name)));
        if let Some(c) = &e.comment {
            out.push_str(&format!("{}\n\n", doc(c)));
        }
        out.push_str("| Value |\n|-------|\n");
        for v in &e.values {
            out.push_str(&format!("| `{}` |\n", cell(v)));
        }
        out.push_str(&format!(
            "\n**Database:** native enum\n{}\n",
            fenced("sql", &strata_sql::render_enum(e))
        ));
    }
    if !model.domains.is_empty() {
        out.push_str("### Domains\n\n");
        for d in &model.domains {
            out.push_str(&format!(
                "- `{}`: `{}`{}\n",
                display_name(&d.name),
                short_type(&d.base),
                d.comment
                    .as_deref()
                    .map(|c| format!(" — {}", doc(c)))
                    .unwrap_or_default()
            ));
        }
        out.push('\n');
    }
    out
}

fn access_patterns(model: &Model) -> String {
    if model.access_patterns.is_empty() {
        return String::new();
    }
    let mut out = String::from("## Access Patterns\n\n");
    out.push_str("| Pattern | Table | Expected rate | Served by |\n|---------|-------|---------------|-----------|\n");
    for a in &model.access_patterns {
        out.push_str(&format!(
            "| [`{}`](#{}) | {} | {} | {} |\n",
            a.name,
            a.name.to_lowercase(),
            display_name(&a.table),
            a.rate_per_sec.map(human_rate).unwrap_or_else(|| "-".into()),
            served_by(a)
        ));
    }
    out.push('\n');
    for a in &model.access_patterns {
        out.push_str(&format!(
            "### {}\n\nOn `{}`, expected {}; served by {}.\n\n{}\n",
            a.name,
            display_name(&a.table),
            a.rate_per_sec
                .map(human_rate)
                .unwrap_or_else(|| "rate not given".into()),
            served_by(a),
            fenced("sql", &dedent(&a.sql))
        ));
    }
    out
}

fn served_by(a: &strata_model::AccessPattern) -> String {
    if a.served_by.is_empty() {
        "the primary key or a unique constraint".into()
    } else {
        a.served_by
            .iter()
            .map(|s| format!("`{s}`"))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// Removes the indentation the SQL had inside the `.strata` file.
fn dedent(sql: &str) -> String {
    let lines: Vec<&str> = sql.lines().collect();
    let indent = lines
        .iter()
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.len() - l.trim_start().len())
        .min()
        .unwrap_or(0);
    lines
        .iter()
        .enumerate()
        .map(|(i, l)| {
            if i == 0 {
                l.trim().to_string()
            } else {
                l.get(indent..).unwrap_or(l.trim()).trim_end().to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn migrations(model: &Model, opts: &DocOptions) -> String {
    let _ = model;
    format!(
        "## Migrations\n\n\
         ### Migration Workflow\n\
         1. Edit the schema source (`.strata` files) and check it: `strata check {t}`\n\
         2. Render the DDL: `strata build {t} --out schema.sql`\n\
         3. Apply it to an empty database: `psql \"$DATABASE_URL\" -v ON_ERROR_STOP=1 -f schema.sql`\n\
         4. Load sample data for development: `strata gen seed-sql {t} --rows 50 | psql \"$DATABASE_URL\" -v ON_ERROR_STOP=1`\n\
         5. Regenerate these docs: `strata docs {t} --out docs/schema`\n\n",
        t = opts.title
    )
}

fn security(model: &Model) -> String {
    let mut out = String::from("## Security\n\n");
    let rls: Vec<String> = model
        .tables
        .iter()
        .filter(|t| t.rls_enabled)
        .map(|t| format!("`{}`", display_name(&t.name)))
        .collect();
    if !rls.is_empty() {
        out.push_str(&format!(
            "### Row-Level Security\nEnabled on {}.\n\n",
            rls.join(", ")
        ));
        for t in model.tables.iter().filter(|t| !t.policies.is_empty()) {
            for p in &t.policies {
                out.push_str(&fenced("sql", &strata_sql::render_policy(&t.name, p)));
                out.push('\n');
            }
        }
    }
    let sensitive: Vec<String> = model
        .tables
        .iter()
        .flat_map(|t| {
            t.columns
                .iter()
                .filter(|c| is_sensitive(c))
                .map(move |c| format!("`{}.{}`", display_name(&t.name), c.name))
        })
        .collect();
    out.push_str("### Sensitive Data\n");
    if sensitive.is_empty() {
        out.push_str("No column is marked as a secret or hash.\n");
    } else {
        out.push_str(&format!(
            "Hashes or secrets, never stored in plain text and redacted here: {}.\n",
            sensitive.join(", ")
        ));
    }
    out
}
