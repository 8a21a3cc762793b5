//! Making the connection: host by host, with libpq's TLS fallbacks, and errors translated.

use std::net::IpAddr;
use std::path::PathBuf;

use postgres::config::{
    ChannelBinding as PgChannelBinding, SslMode as PgSslMode, SslNegotiation,
    TargetSessionAttrs as PgTargetSessionAttrs,
};
use tokio_postgres_rustls::MakeRustlsConnect;

use super::error::scrub;
use super::tls::{self, Roots, TlsSettings};
use super::{
    ChannelBinding, ConnError, ConnInfo, DEFAULT_CONNECT_TIMEOUT, SslMode, TargetSessionAttrs,
    default_host, os_user_name, pgpass,
};

/// One server to try.
#[derive(Debug, Clone)]
struct Target {
    host: String,
    hostaddr: Option<IpAddr>,
    port: u16,
}

impl Target {
    fn is_socket(&self) -> bool {
        self.host.starts_with('/')
    }

    /// How the server is named in messages.
    fn label(&self) -> String {
        if self.is_socket() {
            format!("{}/.s.PGSQL.{}", self.host.trim_end_matches('/'), self.port)
        } else if self.host.contains(':') {
            format!("[{}]:{}", self.host, self.port)
        } else {
            format!("{}:{}", self.host, self.port)
        }
    }
}

/// One way of attempting the connection (libpq may try two per host).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Attempt {
    Plain,
    /// TLS if offered (`prefer`).
    TlsIfOffered,
    Tls,
}

impl ConnInfo {
    /// Connects, trying each host in turn (randomly ordered with `load_balance_hosts=random`)
    /// until one succeeds. With several hosts and all failing, every host's error is
    /// reported.
    pub fn connect(&self) -> Result<postgres::Client, ConnError> {
        let mode = self.sslmode();
        if mode == SslMode::Disable && self.channel_binding() == ChannelBinding::Require {
            return Err(ConnError::ChannelBindingNeedsTls);
        }
        if self.sslrootcert.as_deref() == Some("system") && mode != SslMode::VerifyFull {
            // libpq refuses this too: trusting every public CA without checking the name
            // would accept any site's certificate.
            return Err(ConnError::InvalidValue {
                key: "sslmode".into(),
                value: mode.as_str().into(),
                expected: "verify-full when sslrootcert=system".into(),
            });
        }
        let mut targets = self.targets()?;
        if self.load_balance == Some(true) {
            shuffle(&mut targets);
        }
        let tls = if mode == SslMode::Disable {
            None
        } else {
            Some(MakeRustlsConnect::new(tls::client_config(
                &self.tls_settings(mode)?,
            )?))
        };
        let mut errors = Vec::new();
        for target in &targets {
            match self.connect_target(target, mode, tls.as_ref()) {
                Ok(client) => return Ok(client),
                Err(e) => errors.push(e),
            }
        }
        if errors.len() == 1 {
            Err(errors.remove(0))
        } else {
            Err(ConnError::AllHostsFailed(errors))
        }
    }

    fn tls_settings(&self, mode: SslMode) -> Result<TlsSettings, ConnError> {
        let roots = match self.sslrootcert.as_deref() {
            Some("system") => Roots::System,
            Some(path) => {
                let path = PathBuf::from(path);
                if !path.exists() {
                    return Err(ConnError::RootCertMissing {
                        path: path.display().to_string(),
                        mode: mode.as_str().into(),
                    });
                }
                Roots::File(path)
            }
            None => match self.default_file("root.crt") {
                Some(path) if path.exists() => Roots::File(path),
                default => {
                    if mode.verifies() {
                        return Err(ConnError::RootCertMissing {
                            path: default
                                .map(|p| p.display().to_string())
                                .unwrap_or_else(|| "~/.postgresql/root.crt".into()),
                            mode: mode.as_str().into(),
                        });
                    }
                    Roots::None
                }
            },
        };
        let client_cert = match (&self.sslcert, &self.sslkey) {
            (Some(cert), key) => {
                let key = key
                    .clone()
                    .or_else(|| self.default_file("postgresql.key"))
                    .unwrap_or_else(|| PathBuf::from("postgresql.key"));
                Some((cert.clone(), key))
            }
            (None, _) => {
                let cert = self.default_file("postgresql.crt");
                let key = self
                    .sslkey
                    .clone()
                    .or_else(|| self.default_file("postgresql.key"));
                match (cert, key) {
                    (Some(c), Some(k)) if c.exists() && k.exists() => Some((c, k)),
                    _ => None,
                }
            }
        };
        Ok(TlsSettings {
            roots,
            check_host_name: mode == SslMode::VerifyFull,
            client_cert,
        })
    }

    fn targets(&self) -> Result<Vec<Target>, ConnError> {
        let count = self.hosts.len().max(self.hostaddrs.len()).max(1);
        for (what, len) in [
            ("host", self.hosts.len()),
            ("hostaddr", self.hostaddrs.len()),
        ] {
            if len > 1 && len != count {
                return Err(ConnError::Syntax {
                    reason: format!("{len} {what} values for {count} hosts; give one per host"),
                });
            }
        }
        if self.ports.len() > 1 && self.ports.len() != count {
            return Err(ConnError::Syntax {
                reason: format!(
                    "{} ports for {count} hosts; give one port, or one per host",
                    self.ports.len()
                ),
            });
        }
        let mut targets = Vec::with_capacity(count);
        for i in 0..count {
            let hostaddr = self.hostaddrs.get(i).copied().flatten();
            let host = self
                .hosts
                .get(i)
                .filter(|h| !h.is_empty())
                .cloned()
                .or_else(|| hostaddr.map(|a| a.to_string()))
                .unwrap_or_else(default_host);
            let port = if self.ports.len() == 1 {
                self.ports[0]
            } else {
                self.ports.get(i).copied().flatten()
            };
            targets.push(Target {
                host,
                hostaddr,
                port: port.unwrap_or(5432),
            });
        }
        Ok(targets)
    }

    fn connect_target(
        &self,
        target: &Target,
        mode: SslMode,
        tls: Option<&MakeRustlsConnect>,
    ) -> Result<postgres::Client, ConnError> {
        // libpq never uses TLS over a Unix socket, whatever sslmode says.
        let attempts: &[Attempt] = match (mode, tls.is_some() && !target.is_socket()) {
            (_, false) | (SslMode::Disable, _) => &[Attempt::Plain],
            (SslMode::Allow, true) => &[Attempt::Plain, Attempt::Tls],
            (SslMode::Prefer, true) => &[Attempt::TlsIfOffered, Attempt::Plain],
            (_, true) => &[Attempt::Tls],
        };
        let user = self
            .user
            .clone()
            .or_else(os_user_name)
            .unwrap_or_else(|| "postgres".into());
        let dbname = self.dbname.clone().unwrap_or_else(|| user.clone());
        let password = self.password.clone().or_else(|| {
            pgpass::lookup(&self.pgpass, &target.host, target.port, &dbname, &user)
                .map(str::to_string)
        });
        let ctx = Context {
            target,
            mode,
            user: &user,
            dbname: &dbname,
            password: password.as_deref(),
            roots: self.tls_roots(mode),
            timeout: match self.connect_timeout {
                Some(Some(t)) => t,
                _ => DEFAULT_CONNECT_TIMEOUT,
            },
        };
        let mut last = None;
        // The limit bounds the whole attempt: TCP, TLS, startup and authentication.
        let limit = match self.connect_timeout {
            Some(Some(t)) => Some(t),
            Some(None) => None,
            None => Some(DEFAULT_CONNECT_TIMEOUT),
        };
        for (i, attempt) in attempts.iter().enumerate() {
            let config = self.pg_config(target, *attempt, &user, &dbname, password.as_deref());
            let result = match (attempt, tls) {
                (Attempt::Plain, _) | (_, None) => {
                    within(limit, move || config.connect(postgres::NoTls))
                }
                (_, Some(tls)) => {
                    let tls = tls.clone();
                    within(limit, move || config.connect(tls))
                }
            };
            match result {
                Outcome::Connected(client) => return Ok(*client),
                Outcome::TimedOut => {
                    return Err(ConnError::Timeout {
                        server: target.label(),
                        seconds: ctx.timeout_secs(),
                    });
                }
                Outcome::Lost(message) => {
                    return Err(ConnError::Other {
                        server: target.label(),
                        message,
                    });
                }
                Outcome::Failed(error) => {
                    let error = ctx.classify(&error, *attempt);
                    let retry = i + 1 < attempts.len() && worth_retrying(&error, *attempt);
                    last = Some(error);
                    if !retry {
                        break;
                    }
                }
            }
        }
        Err(last.unwrap_or_else(|| ConnError::Other {
            server: target.label(),
            message: "no connection attempt was made".into(),
        }))
    }

    fn tls_roots(&self, mode: SslMode) -> Roots {
        self.tls_settings(mode)
            .map(|s| s.roots)
            .unwrap_or(Roots::None)
    }

    fn pg_config(
        &self,
        target: &Target,
        attempt: Attempt,
        user: &str,
        dbname: &str,
        password: Option<&str>,
    ) -> postgres::Config {
        let mut config = postgres::Config::new();
        if target.is_socket() {
            config.host_path(&target.host);
        } else {
            config.host(&target.host);
            if let Some(addr) = target.hostaddr {
                config.hostaddr(addr);
            }
        }
        config.port(target.port).user(user).dbname(dbname);
        if let Some(password) = password {
            config.password(password);
        }
        if let Some(options) = &self.options {
            config.options(options);
        }
        if let Some(name) = self
            .application_name
            .as_ref()
            .or(self.fallback_application_name.as_ref())
        {
            config.application_name(name);
        }
        match self.connect_timeout {
            Some(Some(timeout)) => {
                config.connect_timeout(timeout);
            }
            Some(None) => {}
            None => {
                config.connect_timeout(DEFAULT_CONNECT_TIMEOUT);
            }
        }
        if let Some(k) = self.keepalives {
            config.keepalives(k);
        }
        if let Some(d) = self.keepalives_idle {
            config.keepalives_idle(d);
        }
        if let Some(d) = self.keepalives_interval {
            config.keepalives_interval(d);
        }
        if let Some(n) = self.keepalives_count {
            config.keepalives_retries(n);
        }
        if let Some(d) = self.tcp_user_timeout {
            config.tcp_user_timeout(d);
        }
        if let Some(attrs) = self.target_session_attrs {
            config.target_session_attrs(match attrs {
                TargetSessionAttrs::Any => PgTargetSessionAttrs::Any,
                TargetSessionAttrs::ReadWrite => PgTargetSessionAttrs::ReadWrite,
                TargetSessionAttrs::ReadOnly => PgTargetSessionAttrs::ReadOnly,
            });
        }
        config.channel_binding(match self.channel_binding() {
            ChannelBinding::Disable => PgChannelBinding::Disable,
            ChannelBinding::Prefer => PgChannelBinding::Prefer,
            ChannelBinding::Require => PgChannelBinding::Require,
        });
        config.ssl_mode(match attempt {
            Attempt::Plain => PgSslMode::Disable,
            Attempt::TlsIfOffered => PgSslMode::Prefer,
            Attempt::Tls => PgSslMode::Require,
        });
        if self.direct_tls == Some(true) && attempt == Attempt::Tls {
            config.ssl_negotiation(SslNegotiation::Direct);
        }
        config
    }
}

/// How a bounded connection attempt ended.
enum Outcome {
    Connected(Box<postgres::Client>),
    Failed(postgres::Error),
    TimedOut,
    /// The attempt could not run or ended without an answer (no thread, a panic).
    Lost(String),
}

/// Runs `connect` within `limit`. The postgres crate bounds only the TCP connect by its
/// `connect_timeout`: a server (or a proxy, or a port that is not PostgreSQL) that accepts
/// the connection and never answers would hold the TLS handshake, the startup or the
/// authentication forever. So the attempt runs on a thread of its own and, when time is up,
/// is abandoned: the synchronous client offers no way to cancel it. The thread ends when the
/// peer closes the socket or with the process; a client it still makes is dropped.
fn within<F>(limit: Option<std::time::Duration>, connect: F) -> Outcome
where
    F: FnOnce() -> Result<postgres::Client, postgres::Error> + Send + 'static,
{
    let Some(limit) = limit else {
        return match connect() {
            Ok(c) => Outcome::Connected(Box::new(c)),
            Err(e) => Outcome::Failed(e),
        };
    };
    let (tx, rx) = std::sync::mpsc::sync_channel(1);
    let spawned = std::thread::Builder::new()
        .name("strata-connect".into())
        .spawn(move || {
            // The receiver is gone when the attempt was abandoned: nothing to report.
            let _ = tx.send(connect());
        });
    if let Err(e) = spawned {
        return Outcome::Lost(format!("could not start the connection attempt: {e}"));
    }
    match rx.recv_timeout(limit) {
        Ok(Ok(c)) => Outcome::Connected(Box::new(c)),
        Ok(Err(e)) => Outcome::Failed(e),
        Err(std::sync::mpsc::RecvTimeoutError::Timeout) => Outcome::TimedOut,
        Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => {
            Outcome::Lost("the connection attempt ended without an answer".into())
        }
    }
}

/// libpq's second tries: `allow` goes to TLS when the server refused plain text, `prefer`
/// goes to plain text when TLS (or a TLS-only pg_hba line) did not work out.
fn worth_retrying(error: &ConnError, attempt: Attempt) -> bool {
    match attempt {
        Attempt::Plain => matches!(error, ConnError::TlsRequired { .. }),
        Attempt::TlsIfOffered => matches!(
            error,
            ConnError::Tls { .. } | ConnError::Certificate { .. } | ConnError::Server { .. }
        ),
        Attempt::Tls => false,
    }
}

/// Orders `targets` randomly without a random-number crate: the clock's nanoseconds and
/// the process id are unpredictable enough to spread load.
fn shuffle(targets: &mut [Target]) {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    let mut state = u64::from(nanos) ^ (u64::from(std::process::id()) << 32) | 1;
    for i in (1..targets.len()).rev() {
        // xorshift64
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        let j = usize::try_from(state % (i as u64 + 1)).unwrap_or(0);
        targets.swap(i, j);
    }
}

/// What an error message may mention about the attempt.
struct Context<'a> {
    target: &'a Target,
    mode: SslMode,
    user: &'a str,
    dbname: &'a str,
    password: Option<&'a str>,
    roots: Roots,
    timeout: std::time::Duration,
}

impl Context<'_> {
    fn scrub(&self, text: &str) -> String {
        scrub(text, &[self.password.unwrap_or("")])
    }

    fn classify(&self, error: &postgres::Error, attempt: Attempt) -> ConnError {
        let server = self.target.label();
        if let Some(db) = error.as_db_error() {
            let code = db.code().code();
            let message = self.scrub(db.message());
            return match code {
                "28P01" => ConnError::WrongPassword {
                    user: self.user.into(),
                    server,
                },
                "3D000" => ConnError::UnknownDatabase {
                    database: self.dbname.into(),
                    server,
                },
                "28000" if message.contains("no encryption") && attempt == Attempt::Plain => {
                    ConnError::TlsRequired {
                        server,
                        detail: message,
                    }
                }
                "28000" if message.contains("role") && message.contains("does not exist") => {
                    ConnError::UnknownRole {
                        user: self.user.into(),
                        server,
                    }
                }
                _ => ConnError::Server {
                    server,
                    code: code.into(),
                    message,
                },
            };
        }
        let top = error.to_string();
        let cause = std::error::Error::source(error)
            .map(|s| s.to_string())
            .unwrap_or_default();
        if let Some(rustls_error) = find_rustls_error(error) {
            return self.classify_tls(rustls_error, server);
        }
        if cause.contains("server does not support TLS") {
            return ConnError::ServerWithoutTls {
                server,
                mode: self.mode.as_str().into(),
            };
        }
        if cause.contains("password missing") {
            return ConnError::PasswordMissing {
                user: self.user.into(),
                server,
            };
        }
        if cause.contains("did not use channel binding") {
            return ConnError::ChannelBindingNotUsed { server };
        }
        if let Some(io) = find_io_error(error) {
            if io.kind() == std::io::ErrorKind::TimedOut {
                return ConnError::Timeout {
                    server,
                    seconds: self.timeout_secs(),
                };
            }
            if top.starts_with("error connecting") {
                return ConnError::Unreachable {
                    server,
                    reason: self.scrub(&io.to_string()),
                };
            }
        }
        if top.starts_with("timeout") {
            return ConnError::Timeout {
                server,
                seconds: self.timeout_secs(),
            };
        }
        // A peer that is not PostgreSQL: the reply does not parse as protocol messages.
        let garbled = [
            "bytes remaining on stream",
            "invalid message length",
            "unknown message",
        ]
        .iter()
        .any(|m| cause.contains(m) || top.contains(m))
            || top.starts_with("unexpected message from server")
            || top.starts_with("error parsing response from server");
        if garbled {
            let detail = if cause.is_empty() {
                top
            } else {
                format!("{top}: {cause}")
            };
            return ConnError::NotPostgres {
                server,
                detail: self.scrub(&detail),
            };
        }
        if top.starts_with("error performing TLS handshake") {
            return ConnError::Tls {
                server,
                detail: self.scrub(&cause),
            };
        }
        let message = if cause.is_empty() {
            top
        } else {
            format!("{top}: {cause}")
        };
        ConnError::Other {
            server,
            message: self.scrub(&message),
        }
    }

    fn timeout_secs(&self) -> u64 {
        self.timeout.as_secs()
    }

    fn classify_tls(&self, error: &rustls::Error, server: String) -> ConnError {
        match error {
            rustls::Error::InvalidCertificate(cert_error) => {
                let (detail, help) =
                    tls::explain_certificate(cert_error, &self.target.host, &self.roots);
                ConnError::Certificate {
                    server,
                    mode: self.mode.as_str().into(),
                    detail,
                    help,
                }
            }
            other => ConnError::Tls {
                server,
                detail: self.scrub(&tls::explain_tls_error(other)),
            },
        }
    }
}

/// The rustls error somewhere in the chain (tokio-rustls wraps it in an `io::Error`, whose
/// `source()` skips the wrapped error itself, so look inside with `get_ref`).
fn find_rustls_error<'a>(
    error: &'a (dyn std::error::Error + 'static),
) -> Option<&'a rustls::Error> {
    let mut current: Option<&(dyn std::error::Error + 'static)> = Some(error);
    while let Some(e) = current {
        if let Some(r) = e.downcast_ref::<rustls::Error>() {
            return Some(r);
        }
        if let Some(r) = e
            .downcast_ref::<std::io::Error>()
            .and_then(|io| io.get_ref())
            .and_then(|inner| inner.downcast_ref::<rustls::Error>())
        {
            return Some(r);
        }
        current = e.source();
    }
    None
}

fn find_io_error<'a>(error: &'a (dyn std::error::Error + 'static)) -> Option<&'a std::io::Error> {
    let mut current: Option<&(dyn std::error::Error + 'static)> = Some(error);
    while let Some(e) = current {
        if let Some(io) = e.downcast_ref::<std::io::Error>() {
            return Some(io);
        }
        current = e.source();
    }
    None
}
