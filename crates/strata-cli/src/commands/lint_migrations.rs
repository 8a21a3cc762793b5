//! The migration-safety input of `strata lint`: the statements of a `.sql` file, or of a
//! `strata migrate` folder's up files in the order they run (each in the runner's transaction
//! unless it says `-- strata:no-transaction`), replayed by the linter so that what an earlier
//! statement or migration created counts as new.

use std::path::Path;

use anyhow::Context as _;
use strata_lint::migration::{Migration, SqlFile};

/// Whether `arg` is a migrations folder: `strata.sum` or `NNNN_name.up.sql` files in it.
pub fn is_migrations_folder(arg: &str) -> bool {
    let dir = Path::new(arg);
    dir.is_dir()
        && (dir.join("strata.sum").is_file()
            || std::fs::read_dir(dir)
                .into_iter()
                .flatten()
                .flatten()
                .any(|e| e.file_name().to_string_lossy().ends_with(".up.sql")))
}

/// The up files of a migrations folder, as shown in findings (`dir/NNNN_name.up.sql`), with
/// their text and whether the runner wraps them in a transaction.
pub fn folder_files(dir: &str) -> anyhow::Result<Vec<SqlFile>> {
    let folder = strata_migrate::Folder::read(Path::new(dir))
        .with_context(|| format!("reading the migrations folder {dir}"))?;
    Ok(folder
        .migrations
        .iter()
        .map(|m| SqlFile {
            name: Path::new(dir).join(&m.up_file).display().to_string(),
            runner_transaction: !strata_sql::split::has_no_transaction_directive(&m.up),
            text: m.up.clone(),
        })
        .collect())
}

/// Runs the migration rules `config` selects over `files`; the codes of the rules that ran
/// are added to `ran`.
pub fn lint(
    files: &[SqlFile],
    config: &strata_lint::Config,
    ran: &mut Vec<&'static str>,
) -> Vec<strata_lint::Finding> {
    let migration = Migration::read(files);
    let input = strata_lint::Input {
        model: None,
        migration: Some(&migration),
        health: None,
    };
    for r in strata_lint::registry() {
        if config.level(r).is_some()
            && matches!(r.check, strata_lint::Check::Migration(_))
            && !ran.contains(&r.code)
        {
            ran.push(r.code);
        }
    }
    strata_lint::lint(&input, config, &[]).findings
}

/// Why an `.sql` source that failed to apply is still a migration to lint: it only failed on
/// objects it does not create itself (`relation "orders" does not exist`), as a migration of
/// an existing schema does, or on its own transaction control. `None` for other failures (a
/// syntax error stays an error).
pub fn migration_only(src: &str, diagnostics: &[strata_diagnostics::Diagnostic]) -> Option<String> {
    let sql = crate::source::kind_of(src) == crate::source::SourceKind::Sql;
    let errors: Vec<&strata_diagnostics::Diagnostic> =
        diagnostics.iter().filter(|d| d.is_error()).collect();
    // E6010: `BEGIN` / `COMMIT`, which a migration may hold and SQL input refuses.
    let missing = !errors.is_empty()
        && errors.iter().all(|d| {
            (d.code == "E6003" && d.message.contains("does not exist")) || d.code == "E6010"
        });
    (sql && missing).then(|| {
        errors
            .first()
            .map(|d| d.message.clone())
            .unwrap_or_default()
    })
}

/// The files changed since a git commit (committed since, staged, modified or new and not
/// ignored), for `strata lint --since GIT_REF`.
pub struct Changed {
    files: Vec<std::path::PathBuf>,
}

impl Changed {
    /// Asks git, in the current folder's repository.
    pub fn since(reference: &str) -> anyhow::Result<Changed> {
        let git = |args: &[&str]| -> anyhow::Result<String> {
            let out = std::process::Command::new("git")
                .args(args)
                .output()
                .context("running git for --since (is git installed?)")?;
            if !out.status.success() {
                anyhow::bail!(
                    "--since {reference}: git {} failed: {}",
                    args.join(" "),
                    String::from_utf8_lossy(&out.stderr).trim()
                );
            }
            Ok(String::from_utf8_lossy(&out.stdout).into_owned())
        };
        let top = git(&["rev-parse", "--show-toplevel"])?;
        let top = Path::new(top.trim()).to_path_buf();
        let mut names = git(&["diff", "--name-only", reference, "--"])?;
        names.push_str(&git(&[
            "ls-files",
            "--others",
            "--exclude-standard",
            "--full-name",
        ])?);
        let files = names
            .lines()
            .filter(|l| !l.trim().is_empty())
            .filter_map(|l| top.join(l).canonicalize().ok())
            .collect();
        Ok(Changed { files })
    }

    /// Whether `path` (a file, or a folder holding one) changed.
    pub fn touches(&self, path: &Path) -> bool {
        path.canonicalize()
            .is_ok_and(|p| self.files.iter().any(|f| f.starts_with(&p)))
    }
}
