use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};
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
            let mut snippet = Snippet::source(text)
                .path(path)
                .annotation(AnnotationKind::Primary.span(range));
            for label in &d.labels {
                if label.span.file == d.span.map(|s| s.file).unwrap_or_default()
                    && let Some((r, _, _)) = display_range(sources, label.span)
                {
                    snippet = snippet.annotation(
                        AnnotationKind::Context
                            .span(r)
                            .label(label.message.as_str()),
                    );
                }
            }
            group = group.element(snippet);
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
