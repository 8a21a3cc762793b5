//! The ER diagram drawn as SVG, so the HTML site needs no JavaScript library and no network.
//!
//! Layout: tables in columns by depth (a table one column right of its deepest parent), each
//! column stacked top to bottom in model order; relations as curves from the foreign-key row
//! of the child to the key row of the parent, with crow's-foot ends. Text is monospace so the
//! box widths computed here match what the browser draws.

use std::collections::BTreeMap;

use strata_model::{Model, QualifiedName, Table};

use crate::relations::{Cardinality, display_name, relations};
use crate::text::{html_escape, short_type};

const CHAR_W: f64 = 7.3;
const ROW_H: f64 = 18.0;
const HEAD_H: f64 = 24.0;
const PAD: f64 = 8.0;
const COL_GAP: f64 = 90.0;
const ROW_GAP: f64 = 28.0;
const MARGIN: f64 = 16.0;

struct BoxLayout<'a> {
    table: &'a Table,
    x: f64,
    y: f64,
    w: f64,
    h: f64,
}

impl BoxLayout<'_> {
    fn row_y(&self, column: &str) -> f64 {
        let idx = self
            .table
            .columns
            .iter()
            .position(|c| c.name == column)
            .unwrap_or(0);
        self.y + HEAD_H + ROW_H * idx as f64 + ROW_H / 2.0
    }
}

/// `link(table)` gives the page a table's box links to, if any.
pub fn render(model: &Model, link: &dyn Fn(&Table) -> Option<String>) -> String {
    let tables: Vec<&Table> = model
        .tables
        .iter()
        .filter(|t| t.partition_of.is_none())
        .collect();
    let index: BTreeMap<&QualifiedName, usize> = tables
        .iter()
        .enumerate()
        .map(|(i, t)| (&t.name, i))
        .collect();
    let depth = depths(&tables, &index);

    let mut columns: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for (i, d) in depth.iter().enumerate() {
        columns.entry(*d).or_default().push(i);
    }
    let mut boxes: Vec<Option<BoxLayout<'_>>> = tables.iter().map(|_| None).collect();
    let mut x = MARGIN;
    let mut height: f64 = 0.0;
    for members in columns.values() {
        let width = members
            .iter()
            .map(|&i| box_width(tables[i]))
            .fold(0.0, f64::max);
        let mut y = MARGIN;
        for &i in members {
            let h = HEAD_H + ROW_H * tables[i].columns.len().max(1) as f64 + PAD / 2.0;
            boxes[i] = Some(BoxLayout {
                table: tables[i],
                x,
                y,
                w: width,
                h,
            });
            y += h + ROW_GAP;
        }
        height = height.max(y);
        x += width + COL_GAP;
    }
    let width = (x - COL_GAP + MARGIN).max(200.0);
    let height = height.max(100.0);

    let mut out = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"erd\" role=\"img\" aria-label=\"Entity-relationship diagram\" width=\"{width:.0}\" height=\"{height:.0}\" viewBox=\"0 0 {width:.0} {height:.0}\" font-family=\"ui-monospace, SFMono-Regular, Menlo, Consolas, monospace\" font-size=\"12\">\n"
    );
    out.push_str(
        "<defs>\
<marker id=\"one\" viewBox=\"0 0 12 12\" refX=\"11\" refY=\"6\" markerWidth=\"12\" markerHeight=\"12\" orient=\"auto-start-reverse\"><path d=\"M4,1 L4,11 M8,1 L8,11\" stroke=\"#475569\" fill=\"none\"/></marker>\
<marker id=\"zero-one\" viewBox=\"0 0 16 12\" refX=\"15\" refY=\"6\" markerWidth=\"16\" markerHeight=\"12\" orient=\"auto-start-reverse\"><circle cx=\"5\" cy=\"6\" r=\"3\" stroke=\"#475569\" fill=\"#fff\"/><path d=\"M11,1 L11,11\" stroke=\"#475569\"/></marker>\
<marker id=\"many\" viewBox=\"0 0 16 12\" refX=\"15\" refY=\"6\" markerWidth=\"16\" markerHeight=\"12\" orient=\"auto-start-reverse\"><circle cx=\"4\" cy=\"6\" r=\"3\" stroke=\"#475569\" fill=\"#fff\"/><path d=\"M7,6 L15,1 M7,6 L15,6 M7,6 L15,11\" stroke=\"#475569\" fill=\"none\"/></marker>\
</defs>\n",
    );
    // Relations first, so boxes draw over line ends.
    for r in relations(model) {
        let (Some(&ci), Some(&pi)) = (index.get(&r.child.name), index.get(r.parent_name)) else {
            continue;
        };
        let (Some(c), Some(p)) = (&boxes[ci], &boxes[pi]) else {
            continue;
        };
        let cy = c.row_y(r.fk.columns.first().map_or("", String::as_str));
        let pcol =
            r.fk.ref_columns
                .first()
                .cloned()
                .or_else(|| {
                    p.table
                        .primary_key
                        .as_ref()
                        .and_then(|k| k.columns.first().cloned())
                })
                .unwrap_or_default();
        let py = p.row_y(&pcol);
        let path = if ci == pi {
            // Self-reference: a loop on the right side.
            let x0 = c.x + c.w;
            format!(
                "M{x0:.1},{cy:.1} C{:.1},{cy:.1} {:.1},{py:.1} {x0:.1},{py:.1}",
                x0 + 40.0,
                x0 + 40.0
            )
        } else if p.x + p.w <= c.x {
            let (x0, x1) = (c.x, p.x + p.w);
            let mid = (x0 - x1) / 2.0;
            format!(
                "M{x0:.1},{cy:.1} C{:.1},{cy:.1} {:.1},{py:.1} {x1:.1},{py:.1}",
                x0 - mid,
                x1 + mid
            )
        } else if c.x + c.w <= p.x {
            let (x0, x1) = (c.x + c.w, p.x);
            let mid = (x1 - x0) / 2.0;
            format!(
                "M{x0:.1},{cy:.1} C{:.1},{cy:.1} {:.1},{py:.1} {x1:.1},{py:.1}",
                x0 + mid,
                x1 - mid
            )
        } else {
            // Same column: leave and re-enter on the left.
            let x0 = c.x;
            let x1 = p.x;
            format!(
                "M{x0:.1},{cy:.1} C{:.1},{cy:.1} {:.1},{py:.1} {x1:.1},{py:.1}",
                x0 - 40.0,
                x1 - 40.0
            )
        };
        let child_end = if r.child_cardinality == Cardinality::ZeroOrOne {
            "zero-one"
        } else {
            "many"
        };
        let parent_end = if r.parent_cardinality == Cardinality::ExactlyOne {
            "one"
        } else {
            "zero-one"
        };
        let dash = if r.identifying {
            ""
        } else {
            " stroke-dasharray=\"5 3\""
        };
        out.push_str(&format!(
            "<path class=\"rel\" d=\"{path}\" fill=\"none\" stroke=\"#475569\" stroke-width=\"1.3\"{dash} marker-start=\"url(#{child_end})\" marker-end=\"url(#{parent_end})\"><title>{}</title></path>\n",
            html_escape(&format!(
                "{}.{} → {}",
                display_name(&r.child.name),
                r.fk.columns.join(", "),
                display_name(r.parent_name)
            ))
        ));
    }
    for b in boxes.iter().flatten() {
        out.push_str(&entity_box(b, link(b.table)));
    }
    out.push_str("</svg>\n");
    out
}

fn box_width(t: &Table) -> f64 {
    let name = display_name(&t.name).chars().count();
    let rows = t
        .columns
        .iter()
        .map(|c| 4 + c.name.chars().count() + 2 + short_type(&c.data_type).chars().count())
        .max()
        .unwrap_or(0);
    (name.max(rows) as f64) * CHAR_W + 2.0 * PAD + 8.0
}

fn entity_box(b: &BoxLayout<'_>, link: Option<String>) -> String {
    let t = b.table;
    let name = display_name(&t.name);
    let mut g = format!(
        "<g class=\"entity\" data-table=\"{}\">\n<rect x=\"{:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{:.1}\" rx=\"4\" fill=\"#ffffff\" stroke=\"#334155\"/>\n<rect x=\"{:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{HEAD_H}\" rx=\"4\" fill=\"#1e3a8a\"/>\n<text x=\"{:.1}\" y=\"{:.1}\" fill=\"#ffffff\" font-weight=\"bold\">{}</text>\n",
        html_escape(&name),
        b.x,
        b.y,
        b.w,
        b.h,
        b.x,
        b.y,
        b.w,
        b.x + PAD,
        b.y + 16.0,
        html_escape(&name)
    );
    let pk: &[String] = t
        .primary_key
        .as_ref()
        .map_or(&[], |pk| pk.columns.as_slice());
    for (i, c) in t.columns.iter().enumerate() {
        let y = b.y + HEAD_H + ROW_H * i as f64 + 13.0;
        let is_fk = t.foreign_keys.iter().any(|f| f.columns.contains(&c.name));
        let key = match (pk.contains(&c.name), is_fk) {
            (true, true) => "PF",
            (true, false) => "PK",
            (false, true) => "FK",
            _ => "",
        };
        let ty = short_type(&c.data_type);
        let null = if c.nullable { "?" } else { "" };
        g.push_str(&format!(
            "<text x=\"{:.1}\" y=\"{y:.1}\" fill=\"#b45309\" font-size=\"10\">{key}</text><text x=\"{:.1}\" y=\"{y:.1}\" fill=\"#0f172a\">{}</text><text x=\"{:.1}\" y=\"{y:.1}\" fill=\"#64748b\" text-anchor=\"end\">{}{null}</text>\n",
            b.x + PAD,
            b.x + PAD + 4.0 * CHAR_W,
            html_escape(&c.name),
            b.x + b.w - PAD,
            html_escape(&ty)
        ));
    }
    g.push_str("</g>\n");
    match link {
        Some(href) => format!("<a href=\"{}\">\n{g}</a>\n", html_escape(&href)),
        None => g,
    }
}

/// Column of each table: one right of its deepest parent; parents outside the model, self
/// references and cycles do not push a table right (cycles are cut after `n` rounds).
fn depths(tables: &[&Table], index: &BTreeMap<&QualifiedName, usize>) -> Vec<usize> {
    let n = tables.len();
    let mut depth = vec![0usize; n];
    for _ in 0..n {
        let mut changed = false;
        for (i, t) in tables.iter().enumerate() {
            for fk in &t.foreign_keys {
                if let Some(&p) = index.get(&fk.ref_table)
                    && p != i
                    && depth[i] < depth[p] + 1
                    && depth[p] + 1 < n
                {
                    depth[i] = depth[p] + 1;
                    changed = true;
                }
            }
        }
        if !changed {
            break;
        }
    }
    depth
}
