//! `strata completions SHELL` and `strata man`: generated from the clap definitions, so they
//! never disagree with `--help`.

use std::path::Path;

use anyhow::Context as _;
use clap::ValueEnum;

use crate::output;

#[derive(Copy, Clone, PartialEq, Eq, Debug, ValueEnum)]
pub enum Shell {
    Bash,
    Zsh,
    Fish,
    Powershell,
}

/// Prints the completion script for `shell`.
pub fn completions(mut cmd: clap::Command, shell: Shell) -> anyhow::Result<u8> {
    let mut out = Vec::new();
    let name = cmd.get_name().to_string();
    match shell {
        Shell::Bash => {
            clap_complete::generate(clap_complete::Shell::Bash, &mut cmd, name, &mut out)
        }
        Shell::Zsh => clap_complete::generate(clap_complete::Shell::Zsh, &mut cmd, name, &mut out),
        Shell::Fish => {
            clap_complete::generate(clap_complete::Shell::Fish, &mut cmd, name, &mut out)
        }
        Shell::Powershell => {
            clap_complete::generate(clap_complete::Shell::PowerShell, &mut cmd, name, &mut out)
        }
    }
    output::stdout(&String::from_utf8_lossy(&out))?;
    Ok(0)
}

/// Prints `strata(1)`, or writes it and one page per subcommand (`strata-migrate-apply.1`)
/// into `out`.
pub fn man(cmd: clap::Command, out: Option<&Path>) -> anyhow::Result<u8> {
    let Some(dir) = out else {
        let mut page = Vec::new();
        clap_mangen::Man::new(cmd)
            .render(&mut page)
            .context("cannot render the manual page")?;
        output::stdout(&String::from_utf8_lossy(&page))?;
        return Ok(0);
    };
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    // One page per command, named by its display name (`strata-migrate-apply.1`).
    clap_mangen::generate_to(cmd, dir)
        .with_context(|| format!("cannot write the manual pages into {}", dir.display()))?;
    let written = std::fs::read_dir(dir)
        .with_context(|| format!("cannot read {}", dir.display()))?
        .filter_map(Result::ok)
        .filter(|e| {
            let name = e.file_name();
            let name = name.to_string_lossy();
            name.starts_with("strata") && name.ends_with(".1")
        })
        .count();
    output::info(&format!(
        "wrote {written} manual page(s) to {}; read one with `man -l {}/strata.1`\n",
        dir.display(),
        dir.display()
    ));
    Ok(0)
}
