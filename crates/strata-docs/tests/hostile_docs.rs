//! Text from a schema never becomes HTML in the Markdown docs: doc comments, names and SQL
//! are shown as text, while the Markdown formatting doc comments use still works.

mod common;

use strata_docs::DocOptions;

fn markdown(schema: &str) -> String {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("schema.strata"), schema).expect("write schema");
    let model = common::design(dir.path());
    strata_docs::markdown::render(&model, &DocOptions { title: "t".into() })
}

#[test]
fn html_in_doc_comments_is_escaped() {
    let md = markdown(
        "/// Users <script>alert(1)</script> and **bold** with `a < b` code.\n\
         entity User {\n\
           /// Name <img src=x onerror=alert(2)>.\n\
           name text = \"a`<b onmouseover=alert(3)>\"\n\
         }\n\
         /// States <iframe>.\n\
         enum state { on, off }\n\
         /// Domain <svg onload=alert(4)>.\n\
         domain positive int check `VALUE > 0`\n\
         entity Job {\n\
           table \"<img src=y onerror=alert(5)>\"\n\
           state state\n\
           n positive\n\
         }\n",
    );
    // Fenced blocks (the Mermaid diagram, SQL) are shown as text by every Markdown renderer.
    // A default holding a backtick is one code span, fenced with two backticks.
    let default_cell = "| `` 'a`<b onmouseover=alert(3)>' `` |";
    assert!(md.contains(default_cell), "{md}");
    let prose: String = md
        .replace(default_cell, "")
        .split("```")
        .step_by(2)
        .collect::<Vec<_>>()
        .join("\n");
    // So are code spans: drop every `...` pair (the double-backtick cell is gone already).
    let prose: String = prose.split('`').step_by(2).collect::<Vec<_>>().join("");
    for raw in ["<script", "<img", "<iframe", "<svg", "<b "] {
        assert!(!prose.contains(raw), "raw `{raw}` in Markdown:\n{md}");
    }
    assert!(md.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "{md}");
    assert!(
        md.contains("### &lt;img src=y onerror=alert(5)&gt; Table"),
        "{md}"
    );
    assert!(md.contains("**bold**"), "Markdown emphasis kept:\n{md}");
    assert!(md.contains("`a < b`"), "code spans kept verbatim:\n{md}");
}

#[test]
fn sql_in_code_blocks_cannot_close_its_fence() {
    let md = markdown(
        "entity Note {\n\
           body text\n\
           access a \"\"\"SELECT id FROM notes WHERE body = '\n```\n<img src=x onerror=alert(2)>\n'\"\"\"\n\
         }\n",
    );
    // Outside fenced blocks (found with the fence each block opens with), no raw HTML.
    let mut prose = String::new();
    let mut fence: Option<String> = None;
    for line in md.lines() {
        match &fence {
            None if line.starts_with("```") => {
                fence = Some(line.chars().take_while(|c| *c == '`').collect());
            }
            None => prose.push_str(line),
            Some(f) if line.trim_end() == f.as_str() => fence = None,
            Some(_) => {}
        }
    }
    assert!(!prose.contains("<img"), "{md}");
    assert!(
        md.contains("````sql"),
        "a longer fence around SQL holding ```:\n{md}"
    );
}
