//! Relationship names: `<-` declarations reach the model (`ForeignKey.inverse`) and the
//! generated code; undeclared ones are derived; a wrong `<- Target(relation)` is an error.

mod common;
mod gen_common;

use gen_common::*;

const LIBRARY: &str = r#"
entity Author {
  name   text(100)
  email  email unique
  books  <- Book
  edited <- Book(editor)
}

entity Book {
  title  text(200)
  author -> Author on delete restrict
  editor -> Author(email)? on delete set null
  sequel -> Book? on delete set null
  tags   <-> Tag
}

entity Tag {
  name text(50) unique
}
"#;

fn write(dir: &std::path::Path, text: &str) -> std::path::PathBuf {
    let file = dir.join("library.strata");
    std::fs::write(&file, text).expect("write schema");
    file
}

#[test]
fn declared_inverses_name_both_sides() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = write(dir.path(), LIBRARY);
    let out = strata()
        .args(["build", "--format", "json"])
        .arg(&file)
        .output()
        .expect("build");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let model =
        strata_model::Model::from_json(&String::from_utf8_lossy(&out.stdout)).expect("json");
    let books = model
        .tables
        .iter()
        .find(|t| t.name.name == "books")
        .expect("books");
    let inverse = |col: &str| {
        books
            .foreign_keys
            .iter()
            .find(|f| f.columns == [col.to_string()])
            .and_then(|f| f.inverse.clone())
    };
    assert_eq!(inverse("author_id").as_deref(), Some("books"));
    assert_eq!(inverse("editor_email").as_deref(), Some("edited"));
    assert_eq!(inverse("sequel_id"), None);
    let link = model
        .tables
        .iter()
        .find(|t| t.name.name == "book_tags")
        .expect("junction");
    let to_book = link
        .foreign_keys
        .iter()
        .find(|f| f.ref_table.name == "books")
        .expect("key to books");
    assert_eq!(to_book.inverse.as_deref(), Some("tags"));

    let models = dir.path().join("models");
    gen_to("sqlmodel", &file, &models, &[]);
    let py = std::fs::read_to_string(models.join("tables.py")).expect("tables.py");
    for line in [
        "books: list[\"Book\"] = Relationship(back_populates=\"author\", passive_deletes=\"all\"",
        "edited: list[\"Book\"] = Relationship(back_populates=\"editor\", passive_deletes=True",
        "tags: list[\"Tag\"] = Relationship(back_populates=\"books\", link_model=BookTag)",
        "books: list[\"Book\"] = Relationship(back_populates=\"tags\", link_model=BookTag)",
        "sequel: Optional[\"Book\"] = Relationship(back_populates=\"books_as_sequel\"",
    ] {
        assert!(py.contains(line), "missing `{line}` in:\n{py}");
    }
    // Book has two keys to Author and one to itself: each relationship names its key.
    assert!(
        py.contains("\"foreign_keys\": \"[Book.editor_email]\""),
        "{py}"
    );
    assert!(py.contains("\"remote_side\": \"[Book.id]\""), "{py}");

    if let Some(python) = python() {
        let check = dir.path().join("check.py");
        std::fs::write(
            &check,
            "from sqlalchemy.orm import configure_mappers\nimport models\nconfigure_mappers()\nprint('ok')\n",
        )
        .expect("write");
        let out = std::process::Command::new(python)
            .arg(&check)
            .current_dir(dir.path())
            .output()
            .expect("python");
        assert!(
            out.status.success(),
            "mappers do not configure:\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

#[test]
fn inverse_naming_an_unknown_relation_is_an_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = write(dir.path(), &LIBRARY.replace("Book(editor)", "Book(edtor)"));
    let out = strata().arg("check").arg(&file).output().expect("check");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("`Book` has no relation `edtor` to `Author`")
            && err.contains("author, editor"),
        "{err}"
    );
}
