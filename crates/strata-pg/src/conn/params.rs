//! The connection parameters libpq knows, and how each one is stored in a [`ConnInfo`].

use std::net::IpAddr;
use std::path::PathBuf;
use std::time::Duration;

use super::{ChannelBinding, ConnError, ConnInfo, SslMode, TargetSessionAttrs};

/// Parameters that are read and used.
const SUPPORTED: &[&str] = &[
    "host",
    "hostaddr",
    "port",
    "dbname",
    "user",
    "password",
    "passfile",
    "connect_timeout",
    "client_encoding",
    "options",
    "application_name",
    "fallback_application_name",
    "keepalives",
    "keepalives_idle",
    "keepalives_interval",
    "keepalives_count",
    "tcp_user_timeout",
    "sslmode",
    "requiressl",
    "sslrootcert",
    "sslcert",
    "sslkey",
    "sslsni",
    "sslcompression",
    "sslnegotiation",
    "ssl_min_protocol_version",
    "ssl_max_protocol_version",
    "channel_binding",
    "target_session_attrs",
    "load_balance_hosts",
    "gssencmode",
];

/// Whether `key` is a libpq connection parameter, read or refused.
pub(crate) fn is_keyword(key: &str) -> bool {
    SUPPORTED.contains(&key) || UNSUPPORTED.iter().any(|(k, _)| *k == key)
}

/// libpq parameters this client does not implement, with the reason given to the user.
const UNSUPPORTED: &[(&str, &str)] = &[
    (
        "service",
        "connection service files are not read; spell the parameters out",
    ),
    (
        "sslpassword",
        "encrypted client keys are not supported; decrypt the key file",
    ),
    ("sslcrl", "certificate revocation lists are not supported"),
    (
        "sslcrldir",
        "certificate revocation lists are not supported",
    ),
    (
        "sslcertmode",
        "use sslcert/sslkey to send a client certificate",
    ),
    ("requirepeer", "peer credential checks are not supported"),
    (
        "require_auth",
        "restricting authentication methods is not supported",
    ),
    (
        "krbsrvname",
        "Kerberos/GSSAPI authentication is not supported",
    ),
    ("gsslib", "Kerberos/GSSAPI authentication is not supported"),
    (
        "gssdelegation",
        "Kerberos/GSSAPI authentication is not supported",
    ),
    ("replication", "replication connections are not supported"),
    (
        "min_protocol_version",
        "the protocol version is fixed at 3.0",
    ),
    (
        "max_protocol_version",
        "the protocol version is fixed at 3.0",
    ),
];

/// Whether libpq knows `key` (whether or not this client implements it).
pub(crate) fn is_known(key: &str) -> bool {
    SUPPORTED.contains(&key) || UNSUPPORTED.iter().any(|(k, _)| *k == key)
}

fn unknown(key: &str) -> ConnError {
    let suggestion = SUPPORTED
        .iter()
        .map(|k| (edit_distance(key, k), *k))
        .filter(|(d, k)| *d <= 2.max(k.len() / 4))
        .min()
        .map(|(_, k)| k.to_string());
    ConnError::UnknownParameter {
        key: key.to_string(),
        suggestion,
    }
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

fn invalid(key: &str, value: &str, expected: &str) -> ConnError {
    ConnError::InvalidValue {
        key: key.to_string(),
        value: value.to_string(),
        expected: expected.to_string(),
    }
}

fn parse_bool(key: &str, value: &str) -> Result<bool, ConnError> {
    match value {
        "1" | "on" | "true" | "yes" => Ok(true),
        "0" | "off" | "false" | "no" => Ok(false),
        _ => Err(invalid(key, value, "0 or 1")),
    }
}

fn parse_seconds(key: &str, value: &str) -> Result<Option<Duration>, ConnError> {
    let secs: i64 = value
        .trim()
        .parse()
        .map_err(|_| invalid(key, value, "a whole number of seconds"))?;
    // libpq: zero, negative or unspecified means wait indefinitely.
    Ok((secs > 0).then(|| Duration::from_secs(secs.unsigned_abs())))
}

fn split_list(value: &str) -> Vec<String> {
    value.split(',').map(|s| s.trim().to_string()).collect()
}

fn parse_ports(key: &str, value: &str) -> Result<Vec<Option<u16>>, ConnError> {
    split_list(value)
        .iter()
        .map(|p| {
            if p.is_empty() {
                return Ok(None);
            }
            match p.parse::<u16>() {
                Ok(n) if n > 0 => Ok(Some(n)),
                _ => Err(invalid(key, value, "a port number from 1 to 65535")),
            }
        })
        .collect()
}

impl ConnInfo {
    /// Sets one parameter by its libpq name. `origin` names where the value came from in
    /// error messages (the key itself, or an environment variable such as `PGSSLMODE`).
    pub(crate) fn set_param(
        &mut self,
        key: &str,
        value: &str,
        origin: &str,
    ) -> Result<(), ConnError> {
        match key {
            "host" => self.hosts = split_list(value),
            "hostaddr" => {
                self.hostaddrs = split_list(value)
                    .iter()
                    .map(|a| {
                        if a.is_empty() {
                            Ok(None)
                        } else {
                            a.parse::<IpAddr>()
                                .map(Some)
                                .map_err(|_| invalid(origin, value, "numeric IP addresses"))
                        }
                    })
                    .collect::<Result<_, _>>()?;
            }
            "port" => self.ports = parse_ports(origin, value)?,
            "dbname" => self.dbname = Some(value.to_string()),
            "user" => self.user = Some(value.to_string()),
            "password" => self.password = Some(value.to_string()),
            "passfile" => self.passfile = Some(PathBuf::from(value)),
            "connect_timeout" => {
                self.connect_timeout = Some(parse_seconds(origin, value)?);
            }
            "client_encoding" => {
                // The client library always speaks UTF-8.
                if !matches!(
                    value.to_ascii_uppercase().as_str(),
                    "UTF8" | "UTF-8" | "AUTO"
                ) {
                    return Err(invalid(origin, value, "UTF8 (the only encoding supported)"));
                }
            }
            "options" => self.options = Some(value.to_string()),
            "application_name" => self.application_name = Some(value.to_string()),
            "fallback_application_name" => {
                self.fallback_application_name = Some(value.to_string());
            }
            "keepalives" => self.keepalives = Some(parse_bool(origin, value)?),
            "keepalives_idle" => self.keepalives_idle = parse_seconds(origin, value)?,
            "keepalives_interval" => self.keepalives_interval = parse_seconds(origin, value)?,
            "keepalives_count" => {
                self.keepalives_count = Some(
                    value
                        .trim()
                        .parse()
                        .map_err(|_| invalid(origin, value, "a whole number"))?,
                );
            }
            "tcp_user_timeout" => {
                let ms: u64 = value
                    .trim()
                    .parse()
                    .map_err(|_| invalid(origin, value, "milliseconds"))?;
                self.tcp_user_timeout = (ms > 0).then(|| Duration::from_millis(ms));
            }
            "sslmode" => {
                self.sslmode = Some(SslMode::parse(value).ok_or_else(|| {
                    invalid(
                        origin,
                        value,
                        "disable, allow, prefer, require, verify-ca or verify-full",
                    )
                })?);
            }
            "requiressl" => {
                // Deprecated libpq spelling of sslmode=require.
                if parse_bool(origin, value)? && self.sslmode.is_none() {
                    self.sslmode = Some(SslMode::Require);
                }
            }
            "sslrootcert" => self.sslrootcert = Some(value.to_string()),
            "sslcert" => self.sslcert = Some(PathBuf::from(value)),
            "sslkey" => self.sslkey = Some(PathBuf::from(value)),
            "sslsni" => {
                if !parse_bool(origin, value)? {
                    return Err(ConnError::UnsupportedParameter {
                        key: key.into(),
                        reason: "the TLS server name is always sent (sslsni=1)".into(),
                    });
                }
            }
            "sslcompression" => {
                // Obsolete: ignored by libpq since TLS compression was removed everywhere.
                parse_bool(origin, value)?;
            }
            "sslnegotiation" => match value {
                "postgres" => self.direct_tls = Some(false),
                "direct" => self.direct_tls = Some(true),
                _ => return Err(invalid(origin, value, "postgres or direct")),
            },
            "ssl_min_protocol_version" | "ssl_max_protocol_version" => {
                // rustls speaks TLS 1.2 and 1.3 only, which every accepted value allows.
                if !matches!(value, "" | "TLSv1" | "TLSv1.1" | "TLSv1.2" | "TLSv1.3") {
                    return Err(invalid(origin, value, "TLSv1, TLSv1.1, TLSv1.2 or TLSv1.3"));
                }
            }
            "channel_binding" => {
                self.channel_binding = Some(match value {
                    "disable" => ChannelBinding::Disable,
                    "prefer" => ChannelBinding::Prefer,
                    "require" => ChannelBinding::Require,
                    _ => return Err(invalid(origin, value, "disable, prefer or require")),
                });
            }
            "target_session_attrs" => {
                self.target_session_attrs = Some(match value {
                    "any" => TargetSessionAttrs::Any,
                    "read-write" => TargetSessionAttrs::ReadWrite,
                    "read-only" => TargetSessionAttrs::ReadOnly,
                    "primary" | "standby" | "prefer-standby" => {
                        return Err(ConnError::UnsupportedParameter {
                            key: format!("target_session_attrs={value}"),
                            reason: "use any, read-write or read-only".into(),
                        });
                    }
                    _ => return Err(invalid(origin, value, "any, read-write or read-only")),
                });
            }
            "load_balance_hosts" => match value {
                "disable" => self.load_balance = Some(false),
                "random" => self.load_balance = Some(true),
                _ => return Err(invalid(origin, value, "disable or random")),
            },
            "gssencmode" => match value {
                "disable" | "prefer" => {}
                "require" => {
                    return Err(ConnError::UnsupportedParameter {
                        key: "gssencmode=require".into(),
                        reason: "GSSAPI encryption is not supported; use TLS (sslmode)".into(),
                    });
                }
                _ => return Err(invalid(origin, value, "disable, prefer or require")),
            },
            _ => {
                if let Some((_, reason)) = UNSUPPORTED.iter().find(|(k, _)| *k == key) {
                    return Err(ConnError::UnsupportedParameter {
                        key: key.into(),
                        reason: (*reason).into(),
                    });
                }
                return Err(unknown(key));
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_close_names() {
        match unknown("sslmod") {
            ConnError::UnknownParameter { suggestion, .. } => {
                assert_eq!(suggestion.as_deref(), Some("sslmode"));
            }
            other => panic!("{other:?}"),
        }
        match unknown("frobnicate") {
            ConnError::UnknownParameter { suggestion, .. } => assert_eq!(suggestion, None),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn every_supported_key_is_accepted_by_set_param() {
        for key in SUPPORTED {
            let mut info = ConnInfo::default();
            let value = match *key {
                "port" => "5432",
                "hostaddr" => "127.0.0.1",
                "connect_timeout"
                | "keepalives_idle"
                | "keepalives_interval"
                | "keepalives_count"
                | "tcp_user_timeout" => "5",
                "keepalives" | "requiressl" | "sslsni" | "sslcompression" => "1",
                "client_encoding" => "UTF8",
                "sslmode" => "require",
                "sslnegotiation" => "postgres",
                "ssl_min_protocol_version" | "ssl_max_protocol_version" => "TLSv1.2",
                "channel_binding" => "prefer",
                "target_session_attrs" => "any",
                "load_balance_hosts" => "disable",
                "gssencmode" => "disable",
                _ => "x",
            };
            info.set_param(key, value, key)
                .unwrap_or_else(|e| panic!("{key}={value}: {e}"));
        }
    }
}
