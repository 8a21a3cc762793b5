//! `strata migrate new` (filled in once the planner lands).

use std::path::Path;

use super::migrate::NewFormat;

pub fn run(
    _dir: &Path,
    _name: &str,
    _schema: &str,
    _format: NewFormat,
    _dev_url: Option<&str>,
    _color: bool,
) -> anyhow::Result<u8> {
    anyhow::bail!("strata migrate new is not available yet")
}
