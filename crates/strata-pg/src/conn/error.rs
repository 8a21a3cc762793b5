//! Connection errors. Every message says what went wrong and what to do, and none of them
//! ever contains a password: they are built from host names, ports, user and database names
//! and server messages, and free text from elsewhere goes through [`scrub`] first.

/// Why a connection string could not be used or a connection could not be made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ConnError {
    /// A parameter name libpq does not know either (a typo, most likely).
    #[error("unknown connection parameter `{key}`{}", did_you_mean(.suggestion))]
    UnknownParameter {
        /// The parameter as written.
        key: String,
        /// A known parameter with a similar name.
        suggestion: Option<String>,
    },
    /// A libpq parameter this client does not implement.
    #[error("connection parameter `{key}` is not supported: {reason}")]
    UnsupportedParameter {
        /// The parameter.
        key: String,
        /// Why, and what to use instead.
        reason: String,
    },
    /// A parameter (or environment variable) with a value that makes no sense for it.
    #[error("invalid value {value:?} for `{key}`: expected {expected}")]
    InvalidValue {
        /// The parameter or environment variable (`sslmode`, `PGSSLMODE`, ...).
        key: String,
        /// The value given (never a password: passwords are not validated).
        value: String,
        /// What is accepted.
        expected: String,
    },
    /// The connection string is malformed.
    #[error("invalid connection string: {reason}")]
    Syntax {
        /// What is wrong, without repeating the string (it may hold a password).
        reason: String,
    },
    /// No connection string at all.
    #[error(
        "no database URL given: pass one (postgres://user@host:5432/dbname) or set DATABASE_URL"
    )]
    NoUrl,
    /// `channel_binding=require` together with `sslmode=disable`.
    #[error(
        "channel_binding=require needs TLS, but sslmode=disable; use sslmode=require \
         (or verify-full) with channel_binding=require, or drop channel_binding"
    )]
    ChannelBindingNeedsTls,
    /// A root certificate file that verification needs is missing.
    #[error(
        "root certificate file \"{path}\" does not exist (needed for sslmode={mode}); provide \
         the file, use the system's trusted roots with sslrootcert=system, or change sslmode \
         to require to skip certificate verification"
    )]
    RootCertMissing {
        /// The path that was looked for.
        path: String,
        /// The sslmode that needs it.
        mode: String,
    },
    /// A certificate or key file could not be read or holds nothing usable.
    #[error("could not use {what} \"{path}\": {reason}")]
    CertFile {
        /// Which file (`sslrootcert`, `sslcert`, `sslkey`).
        what: String,
        /// Its path.
        path: String,
        /// What was wrong with it.
        reason: String,
    },
    /// The server rejected the password (SQLSTATE 28P01).
    #[error(
        "password authentication failed for user \"{user}\" at {server}; check the password \
         in the URL, PGPASSWORD or the .pgpass file"
    )]
    WrongPassword {
        /// The role that tried to log in.
        user: String,
        /// `host:port` or the socket path.
        server: String,
    },
    /// The server asked for a password and none was available.
    #[error(
        "the server at {server} wants a password for user \"{user}\" but none was given; put \
         it in the URL (postgres://{user}:PASSWORD@...), in PGPASSWORD or in ~/.pgpass"
    )]
    PasswordMissing {
        /// The role.
        user: String,
        /// `host:port` or the socket path.
        server: String,
    },
    /// The role does not exist.
    #[error(
        "role \"{user}\" does not exist on {server}; check the user name in the URL or \
         create the role (CREATE ROLE \"{user}\" LOGIN PASSWORD '...')"
    )]
    UnknownRole {
        /// The role.
        user: String,
        /// `host:port` or the socket path.
        server: String,
    },
    /// The database does not exist (SQLSTATE 3D000).
    #[error(
        "database \"{database}\" does not exist on {server}; list the databases with \
         `psql -l` (or SELECT datname FROM pg_database) and create it with \
         `createdb {database}` (or CREATE DATABASE), or fix the database name in the URL"
    )]
    UnknownDatabase {
        /// The database name.
        database: String,
        /// `host:port` or the socket path.
        server: String,
    },
    /// Nothing answered (refused, no route, unknown host name).
    #[error(
        "could not connect to {server}: {reason}; check that the server is running and \
         accepts TCP/IP connections on that host and port"
    )]
    Unreachable {
        /// `host:port` or the socket path.
        server: String,
        /// The operating system's reason.
        reason: String,
    },
    /// Connecting took longer than `connect_timeout`.
    #[error(
        "timed out after {seconds} s connecting to {server}; check that the server is \
         running, the host and port are right and no firewall drops the connection \
         (connect_timeout sets the limit)"
    )]
    Timeout {
        /// `host:port`.
        server: String,
        /// The limit that was reached.
        seconds: u64,
    },
    /// The server only accepts encrypted connections and we did not use TLS.
    #[error(
        "the server at {server} requires TLS (it rejected an unencrypted connection: \
         {detail}); connect with sslmode=require (or verify-full)"
    )]
    TlsRequired {
        /// `host:port`.
        server: String,
        /// The server's message.
        detail: String,
    },
    /// TLS was demanded but the server does not offer it.
    #[error(
        "the server at {server} does not support TLS, but sslmode={mode} demands it; enable \
         ssl on the server, or use sslmode=prefer or sslmode=disable if an unencrypted \
         connection is acceptable"
    )]
    ServerWithoutTls {
        /// `host:port`.
        server: String,
        /// The sslmode in force.
        mode: String,
    },
    /// The server's certificate did not pass verification.
    #[error("TLS certificate verification failed for {server} (sslmode={mode}): {detail}; {help}")]
    Certificate {
        /// `host:port`.
        server: String,
        /// The sslmode in force.
        mode: String,
        /// What was wrong with the certificate.
        detail: String,
        /// What to change.
        help: String,
    },
    /// The TLS handshake failed for another reason.
    #[error("TLS handshake with {server} failed: {detail}")]
    Tls {
        /// `host:port`.
        server: String,
        /// What went wrong.
        detail: String,
    },
    /// `channel_binding=require` but the server authenticated without it.
    #[error(
        "channel_binding=require, but the server at {server} did not use channel binding; it \
         needs SCRAM-SHA-256 password authentication over TLS (check pg_hba.conf and that the \
         role has a SCRAM password), or drop channel_binding=require"
    )]
    ChannelBindingNotUsed {
        /// `host:port`.
        server: String,
    },
    /// Any other error the server reported while connecting.
    #[error("{server} refused the connection: {message} (SQLSTATE {code})")]
    Server {
        /// `host:port` or the socket path.
        server: String,
        /// SQLSTATE.
        code: String,
        /// The server's message (scrubbed).
        message: String,
    },
    /// Something answers on the port, but not the PostgreSQL protocol.
    #[error(
        "{server} answered, but not as a PostgreSQL server does ({detail}); check the port \
         (PostgreSQL listens on 5432 unless configured otherwise) and that it is not a web \
         server, an SSH daemon or a proxy speaking another protocol"
    )]
    NotPostgres {
        /// `host:port`.
        server: String,
        /// What the client read.
        detail: String,
    },
    /// Any other client-side failure.
    #[error("could not connect to {server}: {message}")]
    Other {
        /// `host:port` or the socket path.
        server: String,
        /// What happened (scrubbed).
        message: String,
    },
    /// Several hosts were tried and all failed.
    #[error("could not connect to any host: {}", join_errors(.0))]
    AllHostsFailed(Vec<ConnError>),
}

fn did_you_mean(suggestion: &Option<String>) -> String {
    match suggestion {
        Some(s) => format!(" (did you mean `{s}`?)"),
        None => String::new(),
    }
}

fn join_errors(errors: &[ConnError]) -> String {
    errors
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("; ")
}

/// Replaces every occurrence of each non-empty secret in `text` with `****`.
pub(crate) fn scrub(text: &str, secrets: &[&str]) -> String {
    let mut out = text.to_string();
    for secret in secrets.iter().filter(|s| !s.is_empty()) {
        out = out.replace(secret, "****");
    }
    out
}
