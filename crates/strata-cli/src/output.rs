//! Everything the CLI prints goes through here: colors, closed pipes, error lines, and the
//! redaction of connection strings and passwords in everything printed to standard error.

use std::io::{IsTerminal, Write};
use std::sync::OnceLock;

use strata_pg::conn::Redactor;

use crate::ColorChoice;

static REDACTOR: OnceLock<Redactor> = OnceLock::new();

/// Remembers the connection strings of this run (arguments that look like one,
/// `DATABASE_URL`) and `PGPASSWORD`, so that no message shows them. Called once, first thing.
pub fn init_redaction() {
    let mut redactor = Redactor::new();
    for arg in std::env::args_os().skip(1) {
        let arg = arg.to_string_lossy();
        // `--url=postgres://...` as well as `--url postgres://...`.
        let value = match arg.split_once('=') {
            Some((flag, value)) if flag.starts_with("--") => value,
            _ => &arg,
        };
        for candidate in [value, &arg] {
            if strata_pg::conn::looks_like_connection_string(candidate) {
                redactor.connection_string(candidate);
            }
        }
    }
    if let Some(url) = std::env::var_os(strata_pg::conn::DATABASE_URL_ENV) {
        redactor.connection_string(&url.to_string_lossy());
    }
    if let Some(password) = std::env::var_os("PGPASSWORD") {
        redactor.secret(&password.to_string_lossy());
    }
    let _ = REDACTOR.set(redactor);
}

/// `text` as it may be shown: see [`strata_pg::conn::Redactor`].
pub fn redact(text: &str) -> String {
    match REDACTOR.get() {
        Some(r) => r.redact(text),
        None => strata_pg::conn::redact(text),
    }
}

pub fn use_color(choice: ColorChoice) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                && std::io::stderr().is_terminal()
        }
    }
}

/// Writes to standard output; a closed pipe (`strata build | head`) surfaces as an error
/// that `main` turns into a quiet exit.
pub fn stdout(text: &str) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes())?;
    out.flush()?;
    Ok(())
}

static QUIET: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// `--quiet`: from now on [`info`] prints nothing. Errors, warnings, hints and questions
/// still print.
pub fn set_quiet(quiet: bool) {
    QUIET.store(quiet, std::sync::atomic::Ordering::Relaxed);
}

pub fn quiet() -> bool {
    QUIET.load(std::sync::atomic::Ordering::Relaxed)
}

/// Writes a message about progress or success (`wrote ...`, `applied 2 migration(s)`,
/// `note: ...`) to standard error, unless `--quiet`.
pub fn info(text: &str) {
    if !quiet() {
        stderr(text);
    }
}

/// Writes to standard error, redacted: messages may quote what the user typed.
pub fn stderr(text: &str) {
    let text = redact(text);
    let mut err = std::io::stderr().lock();
    let _ = err.write_all(text.as_bytes());
    let _ = err.flush();
}

pub fn error(message: &str, color: bool) {
    if color {
        stderr(&format!("\x1b[1;31merror\x1b[0m: {message}\n"));
    } else {
        stderr(&format!("error: {message}\n"));
    }
}

pub fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}
