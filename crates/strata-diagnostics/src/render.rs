use annotate_snippets::{Annotation, AnnotationKind, Group, Level, Renderer, Snippet};
use serde_json::{Value, json};

use crate::{Diagnostic, Severity, SourceMap, Span};

fn level(sev: Severity) -> Level<'static> {
    match sev {
        Severity::Error => Level::ERROR,
        Severity::Warning => Level::WARNING,
        Severity::Info => Level::INFO,
    }
}

/// A span clamped to its file and widened to at least one character so the caret shows.
fn display_range(sources: &SourceMap, span: Span) -> Option<(std::ops::Range<usize>, &str, &str)> {
    let file = sources.get(span.file)?;
    let len = file.text.len();
    let mut start = (span.start as usize).min(len);
    let mut end = (span.end as usize).clamp(start, len);
    while start > 0 && !file.text.is_char_boundary(start) {
        start -= 1;
    }
    while end < len && !file.text.is_char_boundary(end) {
        end += 1;
    }
    Some((start..end, file.text.as_str(), file.path.as_str()))
}

/// Most lines between a primary span and a label shown in one excerpt.
const MAX_EXCERPT_GAP: usize = 30;

/// The whole lines of `text` that hold every range of `ranges`: their start offset and the
/// 1-based number of their first line. Rendering against this excerpt instead of the whole
/// file keeps the cost of a diagnostic independent of the file's size.
fn excerpt(text: &str, ranges: &[std::ops::Range<usize>]) -> (usize, usize) {
    let lo = ranges.iter().map(|r| r.start).min().unwrap_or(0);
    let hi = ranges.iter().map(|r| r.end).max().unwrap_or(0);
    let start = text[..lo].rfind('\n').map_or(0, |i| i + 1);
    let end = text[hi..].find('\n').map_or(text.len(), |i| hi + i + 1);
    (start, end)
}

type Labelled<'a> = (std::ops::Range<usize>, &'a str);

/// A snippet of the lines that hold `primary` and `labels`.
fn excerpt_snippet<'a>(
    text: &'a str,
    path: &'a str,
    line_of: &dyn Fn(usize) -> usize,
    primary: Option<&std::ops::Range<usize>>,
    labels: &[&Labelled<'a>],
) -> Snippet<'a, Annotation<'a>> {
    let mut ranges: Vec<_> = primary.into_iter().cloned().collect();
    ranges.extend(labels.iter().map(|(r, _)| r.clone()));
    let (start, end) = excerpt(text, &ranges);
    let shift = |r: &std::ops::Range<usize>| r.start - start..r.end - start;
    let mut snippet = Snippet::source(&text[start..end])
        .path(path)
        .line_start(line_of(start));
    if let Some(p) = primary {
        snippet = snippet.annotation(AnnotationKind::Primary.span(shift(p)));
    }
    for (r, message) in labels {
        snippet = snippet.annotation(AnnotationKind::Context.span(shift(r)).label(*message));
    }
    snippet
}

/// Renders diagnostics the way rustc does: code, message, the source excerpt, help.
pub fn render_human(diags: &[Diagnostic], sources: &SourceMap, color: bool) -> String {
    let renderer = if color {
        Renderer::styled()
    } else {
        Renderer::plain()
    };
    let mut out = String::new();
    for d in diags {
        let title = level(d.severity)
            .primary_title(d.message.as_str())
            .id(d.code);
        let mut group = Group::with_title(title);
        if let Some((range, text, path)) = d.span.and_then(|s| display_range(sources, s)) {
            let labels: Vec<_> = d
                .labels
                .iter()
                .filter(|l| l.span.file == d.span.map(|s| s.file).unwrap_or_default())
                .filter_map(|l| Some((display_range(sources, l.span)?.0, l.message.as_str())))
                .collect();
            let file = sources.get(d.span.map(|s| s.file).unwrap_or_default());
            let line_of = |offset: usize| file.map_or(1, |f| f.line_col(offset).0);
            let primary_line = line_of(range.start);
            // A label far from the primary span gets its own excerpt: one excerpt spanning
            // both would make every such diagnostic cost as much as the lines between them.
            let (near, far): (Vec<_>, Vec<_>) = labels
                .iter()
                .partition(|(r, _)| line_of(r.start).abs_diff(primary_line) <= MAX_EXCERPT_GAP);
            // The primary excerpt comes first: its location heads the diagnostic.
            group = group.element(excerpt_snippet(text, path, &line_of, Some(&range), &near));
            for l in &far {
                group = group.element(excerpt_snippet(text, path, &line_of, None, &[l]));
            }
        }
        if !d.help.is_empty() {
            group = group.element(Level::HELP.message(d.help.as_str()));
        }
        out.push_str(&renderer.render(&[group]));
        out.push('\n');
    }
    out
}

fn location(sources: &SourceMap, span: Span) -> Value {
    match sources.get(span.file) {
        Some(f) => {
            let (line, column) = f.line_col(span.start as usize);
            let (end_line, end_column) = f.line_col(span.end as usize);
            json!({
                "file": f.path,
                "start": span.start, "end": span.end,
                "line": line, "column": column,
                "end_line": end_line, "end_column": end_column,
            })
        }
        None => Value::Null,
    }
}

/// One JSON object per diagnostic with resolved file, line and column.
pub fn render_json(diags: &[Diagnostic], sources: &SourceMap) -> Value {
    Value::Array(
        diags
            .iter()
            .map(|d| {
                json!({
                    "code": d.code,
                    "severity": d.severity,
                    "message": d.message,
                    "help": d.help,
                    "location": d.span.map(|s| location(sources, s)).unwrap_or(Value::Null),
                    "labels": d.labels.iter().map(|l| json!({
                        "message": l.message,
                        "location": location(sources, l.span),
                    })).collect::<Vec<_>>(),
                })
            })
            .collect(),
    )
}

/// SARIF 2.1.0, for code-scanning integrations.
pub fn render_sarif(diags: &[Diagnostic], sources: &SourceMap, tool_version: &str) -> Value {
    let mut rules: Vec<&str> = diags.iter().map(|d| d.code).collect();
    rules.sort_unstable();
    rules.dedup();
    let results: Vec<Value> = diags
        .iter()
        .map(|d| {
            let level = match d.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
                Severity::Info => "note",
            };
            let locations: Vec<Value> = d
                .span
                .and_then(|s| {
                    let f = sources.get(s.file)?;
                    let (sl, sc) = f.line_col(s.start as usize);
                    let (el, ec) = f.line_col(s.end as usize);
                    Some(json!({"physicalLocation": {
                        "artifactLocation": {"uri": f.path},
                        "region": {"startLine": sl, "startColumn": sc, "endLine": el, "endColumn": ec}
                    }}))
                })
                .into_iter()
                .collect();
            json!({
                "ruleId": d.code,
                "level": level,
                "message": {"text": format!("{} (help: {})", d.message, d.help)},
                "locations": locations,
            })
        })
        .collect();
    json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "strata",
                "version": tool_version,
                "rules": rules.iter().map(|r| json!({"id": r})).collect::<Vec<_>>(),
            }},
            "results": results,
        }]
    })
}
