//! rustls client configurations matching libpq's `sslmode` semantics.
//!
//! | mode | chain checked | host name checked |
//! |---|---|---|
//! | allow, prefer, require (no root file) | no | no |
//! | require with a root file, verify-ca | yes | no |
//! | verify-full | yes | yes |
//!
//! Even when nothing is checked, the handshake signatures are, so the server must hold the
//! private key of the certificate it presents (channel binding relies on that).

use std::path::{Path, PathBuf};
use std::sync::Arc;

use rustls::client::WebPkiServerVerifier;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::{CryptoProvider, WebPkiSupportedAlgorithms};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, ServerName, UnixTime};
use rustls::{
    CertificateError, ClientConfig, DigitallySignedStruct, RootCertStore, SignatureScheme,
};

use super::ConnError;

/// Where trusted roots come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Roots {
    /// No verification of the chain.
    None,
    /// The operating system's store (`sslrootcert=system`).
    System,
    /// A PEM file.
    File(PathBuf),
}

/// What the connector needs to know, resolved from the connection parameters.
#[derive(Debug, Clone)]
pub(crate) struct TlsSettings {
    pub(crate) roots: Roots,
    pub(crate) check_host_name: bool,
    pub(crate) client_cert: Option<(PathBuf, PathBuf)>,
}

fn provider() -> Arc<CryptoProvider> {
    Arc::new(rustls::crypto::ring::default_provider())
}

/// Builds the rustls configuration for `settings`.
pub(crate) fn client_config(settings: &TlsSettings) -> Result<ClientConfig, ConnError> {
    let provider = provider();
    let builder = ClientConfig::builder_with_provider(provider.clone())
        .with_safe_default_protocol_versions()
        .map_err(|e| ConnError::Tls {
            server: String::new(),
            detail: e.to_string(),
        })?;
    let algorithms = provider.signature_verification_algorithms;
    let verifier: Arc<dyn ServerCertVerifier> = match &settings.roots {
        Roots::None => Arc::new(AcceptAnyCertificate { algorithms }),
        roots => {
            let store = load_roots(roots)?;
            let webpki = WebPkiServerVerifier::builder_with_provider(Arc::new(store), provider)
                .build()
                .map_err(|e| ConnError::CertFile {
                    what: "sslrootcert".into(),
                    path: roots_label(roots),
                    reason: e.to_string(),
                })?;
            if settings.check_host_name {
                webpki
            } else {
                Arc::new(ChainOnly { inner: webpki })
            }
        }
    };
    let builder = builder
        .dangerous()
        .with_custom_certificate_verifier(verifier);
    let config = match &settings.client_cert {
        Some((cert, key)) => {
            let certs = read_certs(cert, "sslcert")?;
            let key = PrivateKeyDer::from_pem_file(key).map_err(|e| ConnError::CertFile {
                what: "sslkey".into(),
                path: key.display().to_string(),
                reason: e.to_string(),
            })?;
            builder
                .with_client_auth_cert(certs, key)
                .map_err(|e| ConnError::CertFile {
                    what: "sslcert/sslkey".into(),
                    path: cert.display().to_string(),
                    reason: e.to_string(),
                })?
        }
        None => builder.with_no_client_auth(),
    };
    Ok(config)
}

fn roots_label(roots: &Roots) -> String {
    match roots {
        Roots::None => String::new(),
        Roots::System => "system".into(),
        Roots::File(p) => p.display().to_string(),
    }
}

fn read_certs(path: &Path, what: &str) -> Result<Vec<CertificateDer<'static>>, ConnError> {
    let error = |reason: String| ConnError::CertFile {
        what: what.into(),
        path: path.display().to_string(),
        reason,
    };
    let certs = CertificateDer::pem_file_iter(path)
        .map_err(|e| error(e.to_string()))?
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| error(e.to_string()))?;
    if certs.is_empty() {
        return Err(error("no PEM certificates in it".into()));
    }
    Ok(certs)
}

fn load_roots(roots: &Roots) -> Result<RootCertStore, ConnError> {
    let mut store = RootCertStore::empty();
    match roots {
        Roots::None => {}
        Roots::System => {
            let found = rustls_native_certs::load_native_certs();
            let (added, _ignored) = store.add_parsable_certificates(found.certs);
            if added == 0 {
                return Err(ConnError::CertFile {
                    what: "sslrootcert".into(),
                    path: "system".into(),
                    reason: "the system has no trusted root certificates (install the \
                             ca-certificates package, or name a CA file in sslrootcert)"
                        .into(),
                });
            }
        }
        Roots::File(path) => {
            let (added, _ignored) =
                store.add_parsable_certificates(read_certs(path, "sslrootcert")?);
            if added == 0 {
                return Err(ConnError::CertFile {
                    what: "sslrootcert".into(),
                    path: path.display().to_string(),
                    reason: "none of its certificates can be used as a trust anchor".into(),
                });
            }
        }
    }
    Ok(store)
}

/// `require` without a root file: any certificate, but the handshake must be signed by it.
#[derive(Debug)]
struct AcceptAnyCertificate {
    algorithms: WebPkiSupportedAlgorithms,
}

impl ServerCertVerifier for AcceptAnyCertificate {
    fn verify_server_cert(
        &self,
        _end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(message, cert, dss, &self.algorithms)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(message, cert, dss, &self.algorithms)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.algorithms.supported_schemes()
    }
}

/// `verify-ca`: the chain must lead to a trusted root; the host name is not compared.
#[derive(Debug)]
struct ChainOnly {
    inner: Arc<WebPkiServerVerifier>,
}

impl ServerCertVerifier for ChainOnly {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        // webpki checks the chain before the name, so a name error means the chain is good.
        match self.inner.verify_server_cert(
            end_entity,
            intermediates,
            server_name,
            ocsp_response,
            now,
        ) {
            Err(rustls::Error::InvalidCertificate(
                CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. },
            )) => Ok(ServerCertVerified::assertion()),
            other => other,
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.inner.verify_tls12_signature(message, cert, dss)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.inner.verify_tls13_signature(message, cert, dss)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.inner.supported_verify_schemes()
    }
}

/// Explains a rustls certificate error: what was wrong, and what to change.
pub(crate) fn explain_certificate(
    error: &CertificateError,
    host: &str,
    roots: &Roots,
) -> (String, String) {
    let roots_text = match roots {
        Roots::None => "no root certificate".to_string(),
        Roots::System => "the system's trusted roots (sslrootcert=system)".to_string(),
        Roots::File(p) => format!("sslrootcert={}", p.display()),
    };
    match error {
        CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. } => {
            let presented = match error {
                CertificateError::NotValidForNameContext { presented, .. }
                    if !presented.is_empty() =>
                {
                    let names: Vec<&str> = presented.iter().map(|p| unwrap_name(p)).collect();
                    format!(" (it is valid for {})", names.join(", "))
                }
                _ => String::new(),
            };
            (
                format!(
                    "host name mismatch: the server's certificate is not valid for \"{host}\"{presented}"
                ),
                "connect using a host name the certificate lists, or use sslmode=verify-ca to \
                 check the certificate chain without the host name"
                    .into(),
            )
        }
        CertificateError::UnknownIssuer => (
            format!("the server's certificate is not signed by a CA trusted by {roots_text}"),
            "set sslrootcert to the CA certificate that signed the server's certificate \
             (or sslrootcert=system for publicly trusted servers)"
                .into(),
        ),
        CertificateError::BadSignature | CertificateError::BadEncoding => (
            format!("the server's certificate is malformed or badly signed ({error:?})"),
            "check the server's certificate files".into(),
        ),
        CertificateError::Expired | CertificateError::ExpiredContext { .. } => (
            "the server's certificate has expired".into(),
            "renew the server's certificate".into(),
        ),
        CertificateError::NotValidYet | CertificateError::NotValidYetContext { .. } => (
            "the server's certificate is not valid yet".into(),
            "check the clocks of client and server, or the certificate's dates".into(),
        ),
        CertificateError::Revoked => (
            "the server's certificate has been revoked".into(),
            "replace the server's certificate".into(),
        ),
        other => (
            format!("the server's certificate was rejected: {other}"),
            "check sslrootcert and the server's certificate, or use sslmode=require to skip \
             verification"
                .into(),
        ),
    }
}

/// rustls presents names as `DnsName("localhost")` or `IpAddress(..)`; show the bare name.
fn unwrap_name(presented: &str) -> &str {
    presented
        .split_once("(\"")
        .and_then(|(_, rest)| rest.strip_suffix("\")"))
        .unwrap_or(presented)
}
