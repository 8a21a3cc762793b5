//! A self-contained static documentation site: `index.html` (overview, the ER diagram as
//! inline SVG, a searchable table list, relationships, enums, access patterns) and one page
//! per table under `tables/`. Every page carries its own CSS and script; nothing is fetched,
//! so the site works from disk with no network.

use std::collections::{BTreeMap, BTreeSet};

use strata_model::{Model, QualifiedName, Table};

use crate::DocOptions;
use crate::relations::{display_name, is_sensitive, junction_keys, relations};
use crate::text::{html_escape as esc, human_count, human_rate, one_line, short_type};

/// A file of the site: path relative to the output folder, and its content.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SiteFile {
    pub path: String,
    pub content: String,
}

const CSS: &str = r#"
:root { --fg:#0f172a; --muted:#64748b; --line:#e2e8f0; --accent:#1e3a8a; --bg:#f8fafc; }
* { box-sizing: border-box; }
body { margin:0; font:15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color:var(--fg); background:var(--bg); }
header { background:var(--accent); color:#fff; padding:14px 24px; }
header a { color:#fff; }
header h1 { margin:0; font-size:20px; }
main { display:flex; gap:24px; padding:20px 24px; align-items:flex-start; }
nav { width:260px; flex:none; position:sticky; top:12px; background:#fff; border:1px solid var(--line); border-radius:6px; padding:12px; max-height:calc(100vh - 24px); overflow:auto; }
nav input { width:100%; padding:6px 8px; border:1px solid var(--line); border-radius:4px; font:inherit; }
nav ul { list-style:none; margin:8px 0 0; padding:0; }
nav li a { display:block; padding:3px 4px; border-radius:3px; text-decoration:none; color:var(--fg); }
nav li a:hover { background:var(--bg); }
nav li small { display:block; color:var(--muted); font-size:12px; }
article { flex:1; min-width:0; background:#fff; border:1px solid var(--line); border-radius:6px; padding:16px 24px; }
h2 { border-bottom:1px solid var(--line); padding-bottom:4px; margin-top:28px; }
table.grid { border-collapse:collapse; width:100%; margin:8px 0 16px; font-size:14px; }
table.grid th, table.grid td { border:1px solid var(--line); padding:4px 8px; text-align:left; vertical-align:top; }
table.grid th { background:var(--bg); }
code, pre { font-family:ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size:13px; }
pre { background:#0f172a; color:#e2e8f0; padding:10px 12px; border-radius:4px; overflow:auto; }
.why { color:var(--muted); }
.erd-wrap { overflow:auto; border:1px solid var(--line); border-radius:4px; background:#fff; }
.badge { display:inline-block; font-size:12px; padding:0 6px; border-radius:8px; background:#e0e7ff; color:var(--accent); margin-right:4px; }
"#;

const SEARCH_JS: &str = r#"
(function () {
  var input = document.getElementById('search');
  var items = Array.prototype.slice.call(document.querySelectorAll('#table-list li'));
  function filter() {
    var q = input.value.trim().toLowerCase();
    var shown = 0;
    items.forEach(function (li) {
      var hit = q === '' || li.getAttribute('data-search').indexOf(q) !== -1;
      li.style.display = hit ? '' : 'none';
      if (hit) shown++;
    });
    document.getElementById('search-count').textContent = shown + ' of ' + items.length;
  }
  input.addEventListener('input', filter);
  filter();
  // Record the drawn diagram's size: proof that the browser laid the SVG out.
  var svg = document.querySelector('svg.erd');
  if (svg && svg.getBBox) {
    var box = svg.getBBox();
    document.documentElement.setAttribute('data-erd-size', Math.round(box.width) + 'x' + Math.round(box.height));
  }
})();
"#;

/// File names of the table pages: the table name with anything unusual replaced, unique
/// even on case-insensitive file systems.
fn page_names(tables: &[&Table]) -> BTreeMap<QualifiedName, String> {
    let mut used = BTreeSet::new();
    let mut out = BTreeMap::new();
    for t in tables {
        let base: String = display_name(&t.name)
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.') {
                    c
                } else {
                    '_'
                }
            })
            .collect();
        let base = base.trim_start_matches('.').to_string();
        let mut name = base.clone();
        let mut n = 2;
        while !used.insert(name.to_lowercase()) {
            name = format!("{base}-{n}");
            n += 1;
        }
        out.insert(t.name.clone(), format!("tables/{name}.html"));
    }
    out
}

pub fn render(model: &Model, opts: &DocOptions) -> Vec<SiteFile> {
    let tables: Vec<&Table> = model
        .tables
        .iter()
        .filter(|t| t.partition_of.is_none())
        .collect();
    let pages = page_names(&tables);
    let examples = crate::markdown::example_rows(model);
    let mut files = vec![SiteFile {
        path: "index.html".into(),
        content: index(model, opts, &tables, &pages),
    }];
    for t in &tables {
        let Some(path) = pages.get(&t.name) else {
            continue;
        };
        files.push(SiteFile {
            path: path.clone(),
            content: table_page(model, opts, t, &tables, &pages, examples.get(&t.name)),
        });
    }
    files
}

fn page(title: &str, header: &str, nav: &str, body: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<meta name=\"generator\" content=\"strata\">\n<title>{}</title>\n<style>{CSS}</style>\n</head>\n<body>\n<header>{header}</header>\n<main>\n{nav}\n<article>\n{body}</article>\n</main>\n<script>{SEARCH_JS}</script>\n</body>\n</html>\n",
        esc(title)
    )
}

/// The searchable table list, with links relative to `prefix`.
fn nav(tables: &[&Table], pages: &BTreeMap<QualifiedName, String>, prefix: &str) -> String {
    let mut out = String::from(
        "<nav>\n<input id=\"search\" type=\"search\" placeholder=\"Search tables and columns\" aria-label=\"Search tables\">\n<small id=\"search-count\"></small>\n<ul id=\"table-list\">\n",
    );
    for t in tables {
        let name = display_name(&t.name);
        let mut search = vec![name.to_lowercase()];
        search.extend(t.columns.iter().map(|c| c.name.to_lowercase()));
        if let Some(c) = &t.comment {
            search.push(one_line(c).to_lowercase());
        }
        out.push_str(&format!(
            "<li data-search=\"{}\"><a href=\"{prefix}{}\">{}<small>{}</small></a></li>\n",
            esc(&search.join(" ")),
            esc(pages.get(&t.name).map_or("", String::as_str)),
            esc(&name),
            esc(&t.comment.as_deref().map(one_line).unwrap_or_default())
        ));
    }
    out.push_str("</ul>\n</nav>");
    out
}

fn index(
    model: &Model,
    opts: &DocOptions,
    tables: &[&Table],
    pages: &BTreeMap<QualifiedName, String>,
) -> String {
    let mut body = format!(
        "<h2 id=\"overview\">Database Overview</h2>\n<p><b>Database:</b> PostgreSQL 14+ · <b>Tables:</b> {} · <b>Enums:</b> {} · <b>Views:</b> {} · <b>Access patterns:</b> {}</p>\n",
        tables.len(),
        model.enums.len(),
        model.views.len(),
        model.access_patterns.len()
    );
    body.push_str("<table class=\"grid\" id=\"tables\"><thead><tr><th>Table</th><th>Purpose</th><th>Columns</th><th>Estimated rows</th></tr></thead><tbody>\n");
    for t in tables {
        body.push_str(&format!(
            "<tr><td><a href=\"{}\">{}</a></td><td>{}</td><td>{}</td><td>{}</td></tr>\n",
            esc(pages.get(&t.name).map_or("", String::as_str)),
            esc(&display_name(&t.name)),
            esc(&t.comment.as_deref().map(one_line).unwrap_or_default()),
            t.columns.len(),
            t.origin
                .row_estimate
                .map(human_count)
                .unwrap_or_else(|| "-".into())
        ));
    }
    body.push_str(
        "</tbody></table>\n<h2 id=\"diagram\">Schema Diagram</h2>\n<div class=\"erd-wrap\">\n",
    );
    body.push_str(&crate::svg::render(model, &|t| pages.get(&t.name).cloned()));
    body.push_str("</div>\n<h2 id=\"relationships\">Relationships</h2>\n<ul>\n");
    for r in relations(model) {
        let kind = if r.is_one_to_one() {
            "at most one"
        } else {
            "many"
        };
        body.push_str(&format!(
            "<li>One <code>{}</code> has {kind} <code>{}</code> (<code>{}</code>, ON DELETE {})</li>\n",
            esc(&display_name(r.parent_name)),
            esc(&display_name(&r.child.name)),
            esc(&r.fk.columns.join(", ")),
            r.fk.on_delete.sql()
        ));
    }
    for j in tables.iter().filter(|t| junction_keys(t).is_some()) {
        if let Some((a, b)) = junction_keys(j) {
            body.push_str(&format!(
                "<li>Many-to-many: <code>{}</code> ↔ <code>{}</code> ↔ <code>{}</code></li>\n",
                esc(&display_name(&a.ref_table)),
                esc(&display_name(&j.name)),
                esc(&display_name(&b.ref_table))
            ));
        }
    }
    body.push_str("</ul>\n");
    if !model.enums.is_empty() {
        body.push_str("<h2 id=\"enums\">Enums</h2>\n");
        for e in &model.enums {
            body.push_str(&format!(
                "<h3>{}</h3>\n<p>{}</p>\n<p>{}</p>\n",
                esc(&display_name(&e.name)),
                esc(&e.comment.as_deref().map(one_line).unwrap_or_default()),
                e.values
                    .iter()
                    .map(|v| format!("<span class=\"badge\">{}</span>", esc(v)))
                    .collect::<String>()
            ));
        }
    }
    if !model.access_patterns.is_empty() {
        body.push_str("<h2 id=\"access-patterns\">Access Patterns</h2>\n<table class=\"grid\"><thead><tr><th>Pattern</th><th>Table</th><th>Expected rate</th><th>Served by</th></tr></thead><tbody>\n");
        for a in &model.access_patterns {
            body.push_str(&format!(
                "<tr><td><code>{}</code></td><td><a href=\"{}\">{}</a></td><td>{}</td><td>{}</td></tr>\n",
                esc(&a.name),
                esc(pages.get(&a.table).map_or("", String::as_str)),
                esc(&display_name(&a.table)),
                a.rate_per_sec.map(human_rate).unwrap_or_else(|| "-".into()),
                esc(&a.served_by.join(", "))
            ));
        }
        body.push_str("</tbody></table>\n");
    }
    page(
        &format!("{} - Database Schema", opts.title),
        &format!("<h1>{} - Database Schema</h1>", esc(&opts.title)),
        &nav(tables, pages, ""),
        &body,
    )
}

fn table_page(
    model: &Model,
    opts: &DocOptions,
    t: &Table,
    tables: &[&Table],
    pages: &BTreeMap<QualifiedName, String>,
    example: Option<&String>,
) -> String {
    let name = display_name(&t.name);
    let link = |q: &QualifiedName| match pages.get(q) {
        Some(p) => format!("<a href=\"../{}\">{}</a>", esc(p), esc(&display_name(q))),
        None => format!("<code>{}</code>", esc(&display_name(q))),
    };
    let mut body = format!(
        "<h2 id=\"table\">{} <small class=\"why\">table</small></h2>\n<p><b>Purpose:</b> {}</p>\n",
        esc(&name),
        esc(&t
            .comment
            .as_deref()
            .map(one_line)
            .unwrap_or_else(|| "(no doc comment)".into()))
    );
    body.push_str("<h3>Columns</h3>\n<table class=\"grid\" id=\"columns\"><thead><tr><th>Column</th><th>Type</th><th>Constraints</th><th>Default</th><th>Description</th></tr></thead><tbody>\n");
    for c in &t.columns {
        let cons = crate::text::column_constraints(t, c, &|r| format!("FK → {}", link(r)));
        let mut desc = esc(&c.comment.as_deref().map(one_line).unwrap_or_default());
        if is_sensitive(c) {
            desc.push_str(" <span class=\"badge\">sensitive</span>");
        }
        body.push_str(&format!(
            "<tr><td><code>{}</code></td><td><code>{}</code></td><td>{}</td><td>{}</td><td>{desc}</td></tr>\n",
            esc(&c.name),
            esc(&short_type(&c.data_type)),
            cons.join(", "),
            c.default
                .as_deref()
                .map(|d| format!("<code>{}</code>", esc(d)))
                .unwrap_or_else(|| "-".into())
        ));
    }
    body.push_str("</tbody></table>\n<h3>Indexes</h3>\n<ul>\n");
    if let Some(pk) = &t.primary_key {
        body.push_str(&format!(
            "<li><code>PRIMARY KEY ({})</code></li>\n",
            esc(&pk.columns.join(", "))
        ));
    }
    for u in &t.uniques {
        body.push_str(&format!(
            "<li><code>UNIQUE ({})</code>{}</li>\n",
            esc(&u.columns.join(", ")),
            why(u.why.as_ref())
        ));
    }
    for i in &t.indexes {
        body.push_str(&format!(
            "<li><code>{}</code>{}</li>\n",
            esc(strata_sql::render_index(&t.name, i).trim_end_matches(';')),
            why(i.why.as_ref())
        ));
    }
    body.push_str("</ul>\n");
    if !t.foreign_keys.is_empty() {
        body.push_str("<h3>Foreign Keys</h3>\n<ul>\n");
        for fk in &t.foreign_keys {
            body.push_str(&format!(
                "<li><code>{}</code> → {} (<code>{}</code>) ON DELETE {} ON UPDATE {}{}</li>\n",
                esc(&fk.columns.join(", ")),
                link(&fk.ref_table),
                esc(&fk.ref_columns.join(", ")),
                fk.on_delete.sql(),
                fk.on_update.sql(),
                why(fk.why.as_ref())
            ));
        }
        body.push_str("</ul>\n");
    }
    let referenced_by: Vec<String> = relations(model)
        .iter()
        .filter(|r| r.parent_name == &t.name)
        .map(|r| {
            format!(
                "<li>{} (<code>{}</code>)</li>\n",
                link(&r.child.name),
                esc(&r.fk.columns.join(", "))
            )
        })
        .collect();
    if !referenced_by.is_empty() {
        body.push_str("<h3>Referenced by</h3>\n<ul>\n");
        body.push_str(&referenced_by.concat());
        body.push_str("</ul>\n");
    }
    if !t.checks.is_empty() {
        body.push_str("<h3>Checks</h3>\n<ul>\n");
        for c in &t.checks {
            body.push_str(&format!(
                "<li><code>{}</code>: <code>CHECK ({})</code>{}</li>\n",
                esc(&c.name),
                esc(&c.expression),
                why(c.why.as_ref())
            ));
        }
        body.push_str("</ul>\n");
    }
    if !t.triggers.is_empty() {
        body.push_str("<h3>Triggers</h3>\n<ul>\n");
        for tr in &t.triggers {
            body.push_str(&format!(
                "<li><code>{}</code>{}</li>\n",
                esc(&strata_sql::render_trigger(&t.name, tr).replace("\n    ", " ")),
                why(tr.why.as_ref())
            ));
        }
        body.push_str("</ul>\n");
    }
    let patterns: Vec<_> = model
        .access_patterns
        .iter()
        .filter(|a| a.table == t.name)
        .collect();
    if !patterns.is_empty() {
        body.push_str("<h3>Access Patterns</h3>\n");
        for a in patterns {
            body.push_str(&format!(
                "<h4><code>{}</code> <small class=\"why\">{}</small></h4>\n<pre>{}</pre>\n",
                esc(&a.name),
                a.rate_per_sec.map(human_rate).unwrap_or_default(),
                esc(&a.sql)
            ));
        }
    }
    if let Some(row) = example {
        body.push_str(&format!("<h3>Example Row</h3>\n<pre>{}</pre>\n", esc(row)));
    }
    page(
        &format!("{name} - {}", opts.title),
        &format!(
            "<h1><a href=\"../index.html\">{}</a> / {}</h1>",
            esc(&opts.title),
            esc(&name)
        ),
        &nav(tables, pages, "../"),
        &body,
    )
}

fn why(w: Option<&strata_model::Why>) -> String {
    w.map(|w| format!(" <span class=\"why\">— {}</span>", esc(&one_line(&w.text))))
        .unwrap_or_default()
}
