//! A schema folder is read once per file, whatever links it holds.

mod common;

use common::*;

#[cfg(unix)]
#[test]
fn a_symlink_loop_in_a_schema_folder_is_read_once() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(
        dir.path().join("user.strata"),
        "entity User {\n  name text\n}\n",
    )
    .expect("write schema");
    std::fs::create_dir(dir.path().join("sub")).expect("sub folder");
    // sub/loop -> the schema folder itself: following it never ends.
    std::os::unix::fs::symlink(dir.path(), dir.path().join("sub/loop")).expect("symlink");
    // A second name for the same file is the same file.
    std::os::unix::fs::symlink(
        dir.path().join("user.strata"),
        dir.path().join("sub/alias.strata"),
    )
    .expect("symlink");
    let out = strata()
        .args(["check", "--format", "json"])
        .arg(dir.path())
        .output()
        .expect("run strata check");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(
        doc["diagnostics"].as_array().map(Vec::len),
        Some(0),
        "{doc}"
    );
}
