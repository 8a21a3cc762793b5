use std::path::Path;

use anyhow::{Context, bail};

use crate::output;

/// Written as `strata fmt` writes it, so that `strata fmt --check` accepts a fresh project
/// (tested).
const STARTER: &str = r#"// A Strata schema. Check it with `strata check .`, build SQL with `strata build .`.
// Language reference: docs/language.md.

conventions {
  primary_key uuid
  timestamps on
}

/// A person who signs in.
entity User {
  email    email unique
  name     text(100)
  password password_hash
}

/// Something a user has to do.
entity Task {
  title     text(200)
  completed bool = false
  owner     -> User on delete cascade

  access open_tasks 100/s """
    SELECT id, title FROM tasks
    WHERE owner_id = $1 AND NOT completed
    ORDER BY created_at DESC LIMIT 20 """
}
"#;

pub fn run(dir: &Path) -> anyhow::Result<u8> {
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let file = dir.join("schema.strata");
    if file.exists() {
        bail!(
            "{} already exists: remove it or choose another folder",
            file.display()
        );
    }
    std::fs::write(&file, STARTER).with_context(|| format!("cannot write {}", file.display()))?;
    output::info(&format!(
        "wrote {}; next: strata check {}\n",
        file.display(),
        dir.display()
    ));
    Ok(0)
}
