//! Generator settings, read from the `[gen]` table of `strata.toml`.
//!
//! ```toml
//! [gen.sqlmodel]
//! url_env = "DATABASE_URL"          # variable holding the connection URL
//! environment_env = "APP_ENV"       # variable choosing the settings below
//! ssl = "auto"                      # auto: sslmode=require unless the host is local
//!
//! [gen.sqlmodel.development]        # any environment but `production`
//! pool_size = 5
//! max_overflow = 10
//! pool_pre_ping = true
//! pool_recycle = 300
//!
//! [gen.sqlmodel.production]
//! pool_size = 10
//! max_overflow = 20
//! ```
//!
//! Every key is optional; the defaults are a small pool with pre-ping and a 300 s recycle
//! in development, a larger pool in production.

use serde::Deserialize;

use crate::GenError;

/// Engine pool settings of one environment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PoolSettings {
    pub pool_size: u32,
    pub max_overflow: u32,
    pub pool_pre_ping: bool,
    /// Seconds after which a pooled connection is replaced.
    pub pool_recycle: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SslPolicy {
    /// `sslmode=require` unless the URL names a local host or socket (or sets `sslmode`).
    Auto,
    /// Always add `sslmode=require` (unless the URL sets `sslmode`).
    Require,
    /// Never add `sslmode`.
    Disable,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DatabaseSettings {
    pub url_env: String,
    pub environment_env: String,
    pub ssl: SslPolicy,
    pub development: PoolSettings,
    pub production: PoolSettings,
}

impl Default for DatabaseSettings {
    fn default() -> Self {
        DatabaseSettings {
            url_env: "DATABASE_URL".into(),
            environment_env: "APP_ENV".into(),
            ssl: SslPolicy::Auto,
            development: PoolSettings {
                pool_size: 5,
                max_overflow: 10,
                pool_pre_ping: true,
                pool_recycle: 300,
            },
            production: PoolSettings {
                pool_size: 10,
                max_overflow: 20,
                pool_pre_ping: true,
                pool_recycle: 300,
            },
        }
    }
}

/// Everything the generators read from `strata.toml`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GenConfig {
    pub database: DatabaseSettings,
}

#[derive(Deserialize, Default)]
struct FileRoot {
    #[serde(default, rename = "gen")]
    generators: Option<FileGen>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct FileGen {
    #[serde(default)]
    sqlmodel: Option<FileSqlModel>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct FileSqlModel {
    url_env: Option<String>,
    environment_env: Option<String>,
    ssl: Option<SslPolicy>,
    development: Option<FilePool>,
    production: Option<FilePool>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct FilePool {
    pool_size: Option<u32>,
    max_overflow: Option<u32>,
    pool_pre_ping: Option<bool>,
    pool_recycle: Option<u32>,
}

impl FilePool {
    fn over(self, base: PoolSettings) -> PoolSettings {
        PoolSettings {
            pool_size: self.pool_size.unwrap_or(base.pool_size),
            max_overflow: self.max_overflow.unwrap_or(base.max_overflow),
            pool_pre_ping: self.pool_pre_ping.unwrap_or(base.pool_pre_ping),
            pool_recycle: self.pool_recycle.unwrap_or(base.pool_recycle),
        }
    }
}

fn valid_env_name(name: &str) -> bool {
    !name.is_empty()
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        && !name.starts_with(|c: char| c.is_ascii_digit())
}

impl GenConfig {
    /// Reads the `[gen]` table of a `strata.toml` text; other tables are left to other
    /// commands. Unknown keys inside `[gen]` are errors, so a typo is not silently ignored.
    pub fn from_toml(text: &str) -> Result<GenConfig, GenError> {
        let root: FileRoot = toml::from_str(text).map_err(|e| GenError::Config(e.to_string()))?;
        let mut cfg = GenConfig::default();
        let Some(sm) = root.generators.and_then(|g| g.sqlmodel) else {
            return Ok(cfg);
        };
        let db = &mut cfg.database;
        if let Some(v) = sm.url_env {
            db.url_env = v;
        }
        if let Some(v) = sm.environment_env {
            db.environment_env = v;
        }
        for (key, v) in [
            ("url_env", &db.url_env),
            ("environment_env", &db.environment_env),
        ] {
            if !valid_env_name(v) {
                return Err(GenError::Config(format!(
                    "gen.sqlmodel.{key} = {v:?} is not an environment variable name (letters, digits and `_`)"
                )));
            }
        }
        if let Some(v) = sm.ssl {
            db.ssl = v;
        }
        if let Some(p) = sm.development {
            db.development = p.over(db.development);
        }
        if let Some(p) = sm.production {
            db.production = p.over(db.production);
        }
        Ok(cfg)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_follow_seed_003() {
        let cfg = GenConfig::from_toml("").unwrap();
        assert_eq!(cfg.database.development.pool_size, 5);
        assert_eq!(cfg.database.development.max_overflow, 10);
        assert_eq!(cfg.database.production.pool_size, 10);
        assert_eq!(cfg.database.production.max_overflow, 20);
        assert!(cfg.database.production.pool_pre_ping);
    }

    #[test]
    fn overrides_and_errors() {
        let cfg = GenConfig::from_toml(
            "[other]\nx = 1\n[gen.sqlmodel]\nssl = \"disable\"\n[gen.sqlmodel.production]\npool_size = 40\n",
        )
        .unwrap();
        assert_eq!(cfg.database.ssl, SslPolicy::Disable);
        assert_eq!(cfg.database.production.pool_size, 40);
        assert_eq!(cfg.database.production.max_overflow, 20);
        let err = GenConfig::from_toml("[gen.sqlmodel.production]\npool_sise = 4\n").unwrap_err();
        assert!(err.to_string().contains("pool_sise"), "{err}");
        let err = GenConfig::from_toml("[gen.sqlmodel]\nurl_env = \"A-B\"\n").unwrap_err();
        assert!(err.to_string().contains("url_env"), "{err}");
    }
}
