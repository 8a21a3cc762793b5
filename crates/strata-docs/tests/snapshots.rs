//! Snapshots of every target on the Todo example, and determinism.

mod common;

use strata_docs::{DocOptions, SeedOptions};

fn opts() -> DocOptions {
    DocOptions {
        title: "todo".into(),
    }
}

#[test]
fn mermaid_todo() {
    insta::assert_snapshot!(strata_docs::mermaid::render(&common::todo()));
}

#[test]
fn dbml_todo() {
    insta::assert_snapshot!(strata_docs::dbml::render(&common::todo()));
}

#[test]
fn tbls_todo() {
    insta::assert_snapshot!(strata_docs::tbls::render(&common::todo(), "todo"));
}

#[test]
fn markdown_todo() {
    insta::assert_snapshot!(strata_docs::markdown::render(&common::todo(), &opts()));
}

#[test]
fn html_todo() {
    let files = strata_docs::html::render(&common::todo(), &opts());
    let paths: Vec<&str> = files.iter().map(|f| f.path.as_str()).collect();
    insta::assert_snapshot!("html_todo_files", paths.join("\n"));
    let index = files
        .iter()
        .find(|f| f.path == "index.html")
        .expect("index");
    insta::assert_snapshot!("html_todo_index", index.content);
    let tasks = files
        .iter()
        .find(|f| f.path == "tables/tasks.html")
        .expect("tasks page");
    insta::assert_snapshot!("html_todo_tasks", tasks.content);
}

#[test]
fn seed_todo() {
    let sql = strata_docs::seed::render(&common::todo(), &SeedOptions { rows: 5, seed: 42 })
        .expect("seed");
    insta::assert_snapshot!(sql);
}

#[test]
fn every_target_is_deterministic() {
    let a = common::todo();
    let b = common::todo();
    assert_eq!(
        strata_docs::mermaid::render(&a),
        strata_docs::mermaid::render(&b)
    );
    assert_eq!(strata_docs::dbml::render(&a), strata_docs::dbml::render(&b));
    assert_eq!(
        strata_docs::tbls::render(&a, "x"),
        strata_docs::tbls::render(&b, "x")
    );
    assert_eq!(
        strata_docs::markdown::render(&a, &opts()),
        strata_docs::markdown::render(&b, &opts())
    );
    assert_eq!(
        strata_docs::html::render(&a, &opts()),
        strata_docs::html::render(&b, &opts())
    );
    let seed = SeedOptions { rows: 50, seed: 7 };
    assert_eq!(
        strata_docs::seed::render(&a, &seed),
        strata_docs::seed::render(&b, &seed)
    );
    // A different seed gives different data.
    assert_ne!(
        strata_docs::seed::render(&a, &seed),
        strata_docs::seed::render(&a, &SeedOptions { rows: 50, seed: 8 })
    );
}
