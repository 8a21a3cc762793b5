//! The corpus in the repository (`corpus/`) is a byte-identical copy of the shared corpus the
//! project was given; when that is present beside the repository, the copies must match.

mod common;

#[test]
fn corpus_copies_are_identical_to_the_shared_corpus() {
    let root = common::repo_root();
    let shared = root.join("../shared/corpus");
    for name in ["pagila-schema.sql", "pagila-LICENSE.txt"] {
        let ours =
            std::fs::read(root.join("corpus").join(name)).expect("corpus file in the repository");
        assert!(!ours.is_empty(), "corpus/{name} is empty");
        if let Ok(theirs) = std::fs::read(shared.join(name)) {
            assert!(
                ours == theirs,
                "corpus/{name} differs from ../shared/corpus/{name}: copy it again"
            );
        }
    }
}
