//! Connections the way libpq makes them: URLs and `key=value` strings, `PG*` environment
//! variables, `.pgpass`, TLS (rustls) with libpq's `sslmode` semantics, `channel_binding`,
//! and errors that say what to fix and never contain the password.
//!
//! ```no_run
//! # fn main() -> Result<(), strata_pg::conn::ConnError> {
//! use strata_pg::conn::ConnInfo;
//! // The URL given, else DATABASE_URL, then PG* variables and ~/.pgpass fill the gaps.
//! let info = ConnInfo::from_env_or(Some("postgres://alice@db.example/app?sslmode=verify-full"))?;
//! for warning in info.warnings() {
//!     eprintln!("warning: {warning}");
//! }
//! println!("connecting to {info}"); // the password is printed as ****
//! let mut client = info.connect()?;
//! # Ok(())
//! # }
//! ```

mod connect;
mod error;
mod params;
mod parse;
mod pgpass;
mod redact;
mod tls;

use std::fmt;
use std::net::IpAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

pub use error::ConnError;
pub use redact::{Redactor, looks_like_connection_string, redact};

/// Whether `text` is written in one of the URL forms Strata connects with: `postgres://`,
/// `postgresql://`, SQLAlchemy's `postgresql+driver://`, JDBC's `jdbc:postgresql:`.
pub fn is_connection_url(text: &str) -> bool {
    parse::is_connection_url(text)
}

/// libpq's `sslmode`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SslMode {
    /// Never TLS.
    Disable,
    /// Plain first; TLS only if the server insists.
    Allow,
    /// TLS if the server offers it, plain otherwise (libpq's default).
    Prefer,
    /// TLS, certificate not verified (unless a root certificate file is given: then as
    /// `verify-ca`, like libpq).
    Require,
    /// TLS, certificate chain verified against the root certificates, host name not.
    VerifyCa,
    /// TLS, chain and host name verified.
    VerifyFull,
}

impl SslMode {
    fn parse(s: &str) -> Option<SslMode> {
        Some(match s {
            "disable" => SslMode::Disable,
            "allow" => SslMode::Allow,
            "prefer" => SslMode::Prefer,
            "require" => SslMode::Require,
            "verify-ca" => SslMode::VerifyCa,
            "verify-full" => SslMode::VerifyFull,
            _ => return None,
        })
    }

    /// The libpq spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            SslMode::Disable => "disable",
            SslMode::Allow => "allow",
            SslMode::Prefer => "prefer",
            SslMode::Require => "require",
            SslMode::VerifyCa => "verify-ca",
            SslMode::VerifyFull => "verify-full",
        }
    }

    fn verifies(self) -> bool {
        matches!(self, SslMode::VerifyCa | SslMode::VerifyFull)
    }
}

impl fmt::Display for SslMode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// libpq's `channel_binding`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChannelBinding {
    /// Never.
    Disable,
    /// When TLS and SCRAM are both in use (the default).
    Prefer,
    /// Fail unless the server authenticates with SCRAM-SHA-256-PLUS.
    Require,
}

impl ChannelBinding {
    fn as_str(self) -> &'static str {
        match self {
            ChannelBinding::Disable => "disable",
            ChannelBinding::Prefer => "prefer",
            ChannelBinding::Require => "require",
        }
    }
}

/// libpq's `target_session_attrs` (the values the client library supports).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TargetSessionAttrs {
    /// Any server.
    Any,
    /// A server that accepts writes.
    ReadWrite,
    /// A read-only server.
    ReadOnly,
}

impl TargetSessionAttrs {
    fn as_str(self) -> &'static str {
        match self {
            TargetSessionAttrs::Any => "any",
            TargetSessionAttrs::ReadWrite => "read-write",
            TargetSessionAttrs::ReadOnly => "read-only",
        }
    }
}

/// How long to wait for a server when `connect_timeout` is not given. libpq waits forever;
/// a command-line tool that hangs on a firewalled port helps nobody.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(30);

/// Connection parameters, as libpq's `PQconnectdb` understands them.
///
/// `Display` prints a URL with the password replaced by `****`; `Debug` hides it too.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct ConnInfo {
    hosts: Vec<String>,
    hostaddrs: Vec<Option<IpAddr>>,
    ports: Vec<Option<u16>>,
    user: Option<String>,
    password: Option<String>,
    dbname: Option<String>,
    passfile: Option<PathBuf>,
    /// `Some(None)`: given as 0 (wait forever).
    connect_timeout: Option<Option<Duration>>,
    options: Option<String>,
    application_name: Option<String>,
    fallback_application_name: Option<String>,
    keepalives: Option<bool>,
    keepalives_idle: Option<Duration>,
    keepalives_interval: Option<Duration>,
    keepalives_count: Option<u32>,
    tcp_user_timeout: Option<Duration>,
    sslmode: Option<SslMode>,
    sslrootcert: Option<String>,
    sslcert: Option<PathBuf>,
    sslkey: Option<PathBuf>,
    direct_tls: Option<bool>,
    channel_binding: Option<ChannelBinding>,
    target_session_attrs: Option<TargetSessionAttrs>,
    load_balance: Option<bool>,
    /// Filled by [`ConnInfo::apply_env`]: the home directory (for `~/.postgresql/`).
    home: Option<PathBuf>,
    /// Filled by [`ConnInfo::apply_env`]: the password file's entries.
    pgpass: Vec<pgpass::Entry>,
    warnings: Vec<String>,
    /// How a URL in another driver's spelling was read.
    notes: Vec<String>,
}

/// Environment variables libpq reads, and the parameter each one defaults.
const ENV_VARS: &[(&str, &str)] = &[
    ("PGHOST", "host"),
    ("PGHOSTADDR", "hostaddr"),
    ("PGPORT", "port"),
    ("PGDATABASE", "dbname"),
    ("PGUSER", "user"),
    ("PGPASSWORD", "password"),
    ("PGPASSFILE", "passfile"),
    ("PGOPTIONS", "options"),
    ("PGAPPNAME", "application_name"),
    ("PGSSLMODE", "sslmode"),
    ("PGREQUIRESSL", "requiressl"),
    ("PGSSLROOTCERT", "sslrootcert"),
    ("PGSSLCERT", "sslcert"),
    ("PGSSLKEY", "sslkey"),
    ("PGSSLNEGOTIATION", "sslnegotiation"),
    ("PGCHANNELBINDING", "channel_binding"),
    ("PGCONNECT_TIMEOUT", "connect_timeout"),
    ("PGTARGETSESSIONATTRS", "target_session_attrs"),
    ("PGLOADBALANCEHOSTS", "load_balance_hosts"),
    ("PGGSSENCMODE", "gssencmode"),
    ("PGCLIENTENCODING", "client_encoding"),
];

/// The environment variable the CLI reads a URL from when none is given.
pub const DATABASE_URL_ENV: &str = "DATABASE_URL";

impl ConnInfo {
    /// Parses a `postgres://`/`postgresql://` URL, a SQLAlchemy `postgresql+driver://` URL,
    /// a JDBC `jdbc:postgresql://` URL or a libpq `key=value` string. Nothing is taken from
    /// the environment; see [`ConnInfo::from_env_or`] for that. Errors never repeat any part
    /// of `input`.
    pub fn parse(input: &str) -> Result<ConnInfo, ConnError> {
        let parsed = parse::parse_pairs(input)?;
        let mut info = ConnInfo::default();
        for (key, value) in &parsed.pairs {
            info.set_param(key, value, key)?;
        }
        match parsed.form {
            parse::Form::Libpq => {}
            parse::Form::SqlAlchemy { driver } => info.notes.push(format!(
                "read the SQLAlchemy URL postgresql+{driver}:// as postgresql:// (the driver \
                 name only matters to Python)"
            )),
            parse::Form::Jdbc { ignored } => {
                let mut note = "read the JDBC URL jdbc:postgresql:// as postgresql://, with \
                                the user and password from its parameters"
                    .to_string();
                if !ignored.is_empty() {
                    note.push_str(&format!(
                        "; ignored the Java driver's own parameter(s) {}",
                        ignored.join(", ")
                    ));
                }
                info.notes.push(note);
            }
        }
        Ok(info)
    }

    /// How a URL in SQLAlchemy's or JDBC's spelling was read (one line each), to show the
    /// user once.
    pub fn notes(&self) -> &[String] {
        &self.notes
    }

    /// What the CLI uses: `url`, else `DATABASE_URL`, else nothing (like `psql` with no
    /// arguments), completed from the `PG*` variables and the password file.
    pub fn from_env_or(url: Option<&str>) -> Result<ConnInfo, ConnError> {
        ConnInfo::from_env_or_with(url, &|name| std::env::var(name).ok())
    }

    /// [`ConnInfo::from_env_or`] with the environment looked up through `env` (for tests).
    pub fn from_env_or_with(
        url: Option<&str>,
        env: &dyn Fn(&str) -> Option<String>,
    ) -> Result<ConnInfo, ConnError> {
        let from_env = || env(DATABASE_URL_ENV).filter(|s| !s.trim().is_empty());
        let text = url.map(str::to_string).or_else(from_env);
        let mut info = match text {
            Some(text) => ConnInfo::parse(&text)?,
            None => ConnInfo::default(),
        };
        info.apply_env(env)?;
        Ok(info)
    }

    /// Fills every parameter not yet set from its `PG*` variable, remembers the home
    /// directory, and reads the password file (`passfile`, `PGPASSFILE` or `~/.pgpass`)
    /// when no password is set.
    pub fn apply_env(&mut self, env: &dyn Fn(&str) -> Option<String>) -> Result<(), ConnError> {
        for (var, key) in ENV_VARS {
            if self.is_set(key) {
                continue;
            }
            if let Some(value) = env(var).filter(|v| !v.is_empty()) {
                self.set_param(key, &value, var)?;
            }
        }
        if self.home.is_none() {
            self.home = env("HOME").filter(|h| !h.is_empty()).map(PathBuf::from);
        }
        if self.password.is_none() {
            let path = self
                .passfile
                .clone()
                .or_else(|| self.home.as_ref().map(|h| h.join(".pgpass")));
            if let Some(path) = path {
                let file = pgpass::read(&path);
                self.pgpass = file.entries;
                self.warnings.extend(file.warnings);
            }
        }
        Ok(())
    }

    fn is_set(&self, key: &str) -> bool {
        match key {
            "host" => !self.hosts.is_empty(),
            "hostaddr" => !self.hostaddrs.is_empty(),
            "port" => !self.ports.is_empty(),
            "dbname" => self.dbname.is_some(),
            "user" => self.user.is_some(),
            "password" => self.password.is_some(),
            "passfile" => self.passfile.is_some(),
            "options" => self.options.is_some(),
            "application_name" => self.application_name.is_some(),
            "sslmode" | "requiressl" => self.sslmode.is_some(),
            "sslrootcert" => self.sslrootcert.is_some(),
            "sslcert" => self.sslcert.is_some(),
            "sslkey" => self.sslkey.is_some(),
            "sslnegotiation" => self.direct_tls.is_some(),
            "channel_binding" => self.channel_binding.is_some(),
            "connect_timeout" => self.connect_timeout.is_some(),
            "target_session_attrs" => self.target_session_attrs.is_some(),
            "load_balance_hosts" => self.load_balance.is_some(),
            _ => false,
        }
    }

    /// Sets one parameter by its libpq name (`sslmode`, `dbname`, ...), as if it had been
    /// written in the connection string.
    pub fn set(&mut self, key: &str, value: &str) -> Result<(), ConnError> {
        self.set_param(key, value, key)
    }

    /// The same parameters with another database name.
    pub fn with_dbname(&self, dbname: &str) -> ConnInfo {
        let mut info = self.clone();
        info.dbname = Some(dbname.to_string());
        info
    }

    /// Warnings found while reading the environment (such as an ignored password file).
    pub fn warnings(&self) -> &[String] {
        &self.warnings
    }

    /// The hosts as given (host names, IP addresses or socket directories); empty for the
    /// default.
    pub fn hosts(&self) -> &[String] {
        &self.hosts
    }

    /// The first port given, if any.
    pub fn port(&self) -> Option<u16> {
        self.ports.iter().flatten().next().copied()
    }

    /// The user name, if given.
    pub fn user(&self) -> Option<&str> {
        self.user.as_deref()
    }

    /// The database name, if given.
    pub fn dbname(&self) -> Option<&str> {
        self.dbname.as_deref()
    }

    /// Whether a password was given (in the string or `PGPASSWORD`; `.pgpass` not counted).
    pub fn has_password(&self) -> bool {
        self.password.is_some()
    }

    /// The sslmode in force (`prefer` when not given, `verify-full` with
    /// `sslrootcert=system`, as libpq).
    pub fn sslmode(&self) -> SslMode {
        match (self.sslmode, self.sslrootcert.as_deref()) {
            (Some(mode), _) => mode,
            (None, Some("system")) => SslMode::VerifyFull,
            (None, _) => SslMode::Prefer,
        }
    }

    /// The channel_binding setting in force.
    pub fn channel_binding(&self) -> ChannelBinding {
        self.channel_binding.unwrap_or(ChannelBinding::Prefer)
    }

    /// True when the URL points at a transaction-mode connection pooler: a host name that
    /// contains `-pooler` (Neon) or port 6543 (Supabase's transaction pooler). Such poolers
    /// hand each transaction to any server connection, so session state (advisory locks,
    /// session settings, prepared statements) does not survive between statements.
    pub fn is_transaction_pooler(&self) -> bool {
        self.hosts.iter().any(|h| h.contains("-pooler")) || self.ports.contains(&Some(6543))
    }

    /// The warning to print before an operation that needs session state (advisory locks,
    /// migrations) when [`ConnInfo::is_transaction_pooler`]; `None` otherwise.
    pub fn session_state_warning(&self) -> Option<String> {
        session_state_warning(self)
    }

    /// The connection as a URL with the password shown as `****` (also what `Display`
    /// prints).
    pub fn redacted(&self) -> String {
        let mut url = String::from("postgres://");
        if let Some(user) = &self.user {
            url.push_str(&parse::encode(user));
        }
        if self.password.is_some() {
            url.push_str(":****");
        }
        if self.user.is_some() || self.password.is_some() {
            url.push('@');
        }
        let mut query: Vec<(&str, String)> = Vec::new();
        let socket_hosts = self.hosts.iter().any(|h| h.starts_with('/'));
        let ports_per_host = self.ports.len() == self.hosts.len();
        if socket_hosts || (!self.ports.is_empty() && !ports_per_host) {
            if !self.hosts.is_empty() {
                query.push(("host", self.hosts.join(",")));
            }
            if !self.ports.is_empty() {
                query.push(("port", join_ports(&self.ports)));
            }
        } else if self.hosts.is_empty() {
            if let Some(Some(port)) = self.ports.first() {
                url.push_str(&format!(":{port}"));
            }
        } else {
            let spec: Vec<String> = self
                .hosts
                .iter()
                .enumerate()
                .map(|(i, host)| {
                    let host = if host.contains(':') {
                        format!("[{host}]")
                    } else {
                        parse::encode(host)
                    };
                    match self.ports.get(i).copied().flatten() {
                        Some(port) => format!("{host}:{port}"),
                        None => host,
                    }
                })
                .collect();
            url.push_str(&spec.join(","));
        }
        url.push('/');
        if let Some(db) = &self.dbname {
            url.push_str(&parse::encode(db));
        }
        if !self.hostaddrs.is_empty() {
            let addrs: Vec<String> = self
                .hostaddrs
                .iter()
                .map(|a| a.map(|a| a.to_string()).unwrap_or_default())
                .collect();
            query.push(("hostaddr", addrs.join(",")));
        }
        let mut opt = |key: &'static str, value: Option<String>| {
            if let Some(value) = value {
                query.push((key, value));
            }
        };
        opt("sslmode", self.sslmode.map(|m| m.as_str().to_string()));
        opt("sslrootcert", self.sslrootcert.clone());
        opt(
            "sslcert",
            self.sslcert.as_ref().map(|p| p.display().to_string()),
        );
        opt(
            "sslkey",
            self.sslkey.as_ref().map(|p| p.display().to_string()),
        );
        opt(
            "sslnegotiation",
            self.direct_tls
                .map(|d| if d { "direct" } else { "postgres" }.to_string()),
        );
        opt(
            "channel_binding",
            self.channel_binding.map(|c| c.as_str().to_string()),
        );
        opt("application_name", self.application_name.clone());
        opt(
            "fallback_application_name",
            self.fallback_application_name.clone(),
        );
        opt("options", self.options.clone());
        opt(
            "connect_timeout",
            self.connect_timeout
                .map(|t| t.map(|d| d.as_secs()).unwrap_or(0).to_string()),
        );
        opt(
            "passfile",
            self.passfile.as_ref().map(|p| p.display().to_string()),
        );
        opt(
            "target_session_attrs",
            self.target_session_attrs.map(|t| t.as_str().to_string()),
        );
        opt(
            "load_balance_hosts",
            self.load_balance
                .map(|r| if r { "random" } else { "disable" }.to_string()),
        );
        opt(
            "keepalives",
            self.keepalives.map(|k| u8::from(k).to_string()),
        );
        opt(
            "keepalives_idle",
            self.keepalives_idle.map(|d| d.as_secs().to_string()),
        );
        opt(
            "keepalives_interval",
            self.keepalives_interval.map(|d| d.as_secs().to_string()),
        );
        opt(
            "keepalives_count",
            self.keepalives_count.map(|n| n.to_string()),
        );
        opt(
            "tcp_user_timeout",
            self.tcp_user_timeout.map(|d| d.as_millis().to_string()),
        );
        for (i, (key, value)) in query.iter().enumerate() {
            url.push(if i == 0 { '?' } else { '&' });
            url.push_str(key);
            url.push('=');
            url.push_str(&parse::encode(value));
        }
        url
    }

    /// The default root certificate file, `~/.postgresql/root.crt`.
    fn default_file(&self, name: &str) -> Option<PathBuf> {
        self.home.as_ref().map(|h| h.join(".postgresql").join(name))
    }
}

fn join_ports(ports: &[Option<u16>]) -> String {
    ports
        .iter()
        .map(|p| p.map(|p| p.to_string()).unwrap_or_default())
        .collect::<Vec<_>>()
        .join(",")
}

/// The warning for operations that need session state (advisory locks, migrations) over a
/// transaction-mode pooler, naming the direct host to use instead; `None` when `info` does
/// not point at such a pooler.
pub fn session_state_warning(info: &ConnInfo) -> Option<String> {
    if !info.is_transaction_pooler() {
        return None;
    }
    let direct: Vec<String> = info
        .hosts
        .iter()
        .map(|h| h.replacen("-pooler", "", 1))
        .collect();
    let mut text = format!(
        "{} looks like a transaction-mode connection pooler: this operation needs session \
         state (advisory locks, migrations); use the direct URL (host without -pooler",
        if info.hosts.is_empty() {
            "the server".to_string()
        } else {
            info.hosts.join(",")
        }
    );
    if info.ports.contains(&Some(6543)) {
        text.push_str(", port 5432 instead of the transaction pooler's 6543");
    }
    text.push(')');
    if direct != info.hosts && !direct.is_empty() {
        text.push_str(&format!(", e.g. host {}", direct.join(",")));
    }
    Some(text)
}

impl fmt::Display for ConnInfo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.redacted())
    }
}

impl fmt::Debug for ConnInfo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ConnInfo")
            .field("url", &self.redacted())
            .field("password", &self.password.as_ref().map(|_| "****"))
            .field("pgpass_entries", &self.pgpass.len())
            .field("home", &self.home)
            .field("warnings", &self.warnings)
            .finish()
    }
}

/// The OS user name of this process, libpq's default user.
fn os_user_name() -> Option<String> {
    // SAFETY: getuid cannot fail; getpwuid_r gets buffers valid for the whole call.
    let uid = unsafe { libc::getuid() };
    let mut buf: Vec<libc::c_char> = vec![0; 4096];
    let mut pwd: libc::passwd = unsafe { std::mem::zeroed() };
    let mut result: *mut libc::passwd = std::ptr::null_mut();
    let rc = unsafe { libc::getpwuid_r(uid, &mut pwd, buf.as_mut_ptr(), buf.len(), &mut result) };
    if rc != 0 || result.is_null() || pwd.pw_name.is_null() {
        return None;
    }
    // SAFETY: on success pw_name points to a NUL-terminated string inside `buf`.
    let name = unsafe { std::ffi::CStr::from_ptr(pwd.pw_name) };
    Some(name.to_string_lossy().into_owned())
}

/// libpq's default socket directory on Debian, then the upstream default.
fn default_host() -> String {
    for dir in ["/var/run/postgresql", "/tmp"] {
        if Path::new(dir).is_dir() {
            return dir.to_string();
        }
    }
    "localhost".to_string()
}

#[cfg(test)]
mod tests;
