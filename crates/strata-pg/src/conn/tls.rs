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
//!
//! On top of webpki's checks, two certificates that libpq (OpenSSL) accepts are accepted:
//! a self-signed certificate with `CA:TRUE` that the server uses as its own certificate when
//! that very certificate is one of the trusted roots (webpki refuses any CA certificate as a
//! server certificate), and, under `verify-full`, a certificate without a subjectAltName of
//! the host's kind, whose common name is then compared with the host name (libpq's rule,
//! with its one-label `*.` wildcard).

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
            let (store, root_certs) = load_roots(roots)?;
            let webpki = WebPkiServerVerifier::builder_with_provider(Arc::new(store), provider)
                .build()
                .map_err(|e| ConnError::CertFile {
                    what: "sslrootcert".into(),
                    path: roots_label(roots),
                    reason: e.to_string(),
                })?;
            Arc::new(LibpqVerifier {
                inner: webpki,
                roots: root_certs,
                check_host_name: settings.check_host_name,
                algorithms,
            })
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
                    reason: explain_tls_error(&e),
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

/// The trust store, and the root certificates as given (to recognise a server that presents
/// one of them as its own certificate).
fn load_roots(roots: &Roots) -> Result<(RootCertStore, Vec<CertificateDer<'static>>), ConnError> {
    let mut store = RootCertStore::empty();
    let mut certs = Vec::new();
    match roots {
        Roots::None => {}
        Roots::System => {
            let found = rustls_native_certs::load_native_certs();
            certs.clone_from(&found.certs);
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
            certs = read_certs(path, "sslrootcert")?;
            let (added, _ignored) = store.add_parsable_certificates(certs.clone());
            if added == 0 {
                return Err(ConnError::CertFile {
                    what: "sslrootcert".into(),
                    path: path.display().to_string(),
                    reason: "none of its certificates can be used as a trust anchor".into(),
                });
            }
        }
    }
    Ok((store, certs))
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

/// `verify-ca` and `verify-full` as libpq has them: webpki's chain and name checks, plus the
/// two certificates OpenSSL accepts and webpki does not (see the module documentation).
#[derive(Debug)]
struct LibpqVerifier {
    inner: Arc<WebPkiServerVerifier>,
    /// The trusted roots as given.
    roots: Vec<CertificateDer<'static>>,
    check_host_name: bool,
    algorithms: WebPkiSupportedAlgorithms,
}

fn is_name_error(error: &CertificateError) -> bool {
    matches!(
        error,
        CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. }
    )
}

fn is_ca_used_as_end_entity(error: &CertificateError) -> bool {
    match error {
        CertificateError::Other(other) => matches!(
            other.0.downcast_ref::<webpki::Error>(),
            Some(webpki::Error::CaUsedAsEndEntity)
        ),
        _ => false,
    }
}

impl ServerCertVerifier for LibpqVerifier {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        let result = self.inner.verify_server_cert(
            end_entity,
            intermediates,
            server_name,
            ocsp_response,
            now,
        );
        match result {
            // webpki checks the chain before the name, so a name error means the chain is
            // good; the name is then checked as libpq does (or not at all under verify-ca).
            Err(rustls::Error::InvalidCertificate(e)) if is_name_error(&e) => {
                if self.check_host_name {
                    check_host_name(end_entity, server_name)?;
                }
                Ok(ServerCertVerified::assertion())
            }
            // A self-signed CA certificate that the server uses as its own: trusted because it
            // is itself one of the roots (OpenSSL trusts a certificate found in the store), once
            // its own signature and dates check out.
            Err(rustls::Error::InvalidCertificate(e))
                if is_ca_used_as_end_entity(&e)
                    && self.roots.iter().any(|r| r.as_ref() == end_entity.as_ref()) =>
            {
                verify_trusted_self_signed(end_entity, now, &self.algorithms)?;
                if self.check_host_name {
                    check_host_name(end_entity, server_name)?;
                }
                Ok(ServerCertVerified::assertion())
            }
            other => other,
        }
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

fn bad_encoding() -> rustls::Error {
    rustls::Error::InvalidCertificate(CertificateError::BadEncoding)
}

/// The contents of a DER `SEQUENCE` (how webpki spells algorithm identifiers).
fn sequence_contents(der: &[u8]) -> Option<Vec<u8>> {
    use x509_cert::der::Decode;
    let any = x509_cert::der::asn1::AnyRef::from_der(der).ok()?;
    Some(any.value().to_vec())
}

/// A certificate used as its own root: within its dates, and signed by its own key.
fn verify_trusted_self_signed(
    cert_der: &CertificateDer<'_>,
    now: UnixTime,
    algorithms: &WebPkiSupportedAlgorithms,
) -> Result<(), rustls::Error> {
    use x509_cert::der::{Decode, Encode};
    let cert = x509_cert::Certificate::from_der(cert_der.as_ref()).map_err(|_| bad_encoding())?;
    let tbs = &cert.tbs_certificate;
    let now = now.as_secs();
    if now < tbs.validity.not_before.to_unix_duration().as_secs() {
        return Err(rustls::Error::InvalidCertificate(
            CertificateError::NotValidYet,
        ));
    }
    if now > tbs.validity.not_after.to_unix_duration().as_secs() {
        return Err(rustls::Error::InvalidCertificate(CertificateError::Expired));
    }
    let message = tbs.to_der().map_err(|_| bad_encoding())?;
    let signature_alg = cert
        .signature_algorithm
        .to_der()
        .ok()
        .and_then(|d| sequence_contents(&d))
        .ok_or_else(bad_encoding)?;
    let key_alg = tbs
        .subject_public_key_info
        .algorithm
        .to_der()
        .ok()
        .and_then(|d| sequence_contents(&d))
        .ok_or_else(bad_encoding)?;
    let public_key = tbs.subject_public_key_info.subject_public_key.raw_bytes();
    let signature = cert.signature.raw_bytes();
    let candidates = algorithms.all.iter().filter(|alg| {
        alg.signature_alg_id().as_ref() == signature_alg.as_slice()
            && alg.public_key_alg_id().as_ref() == key_alg.as_slice()
    });
    let mut supported = false;
    for alg in candidates {
        supported = true;
        if alg
            .verify_signature(public_key, &message, signature)
            .is_ok()
        {
            return Ok(());
        }
    }
    Err(rustls::Error::InvalidCertificate(if supported {
        CertificateError::BadSignature
    } else {
        CertificateError::UnsupportedSignatureAlgorithmContext {
            signature_algorithm_id: signature_alg,
            supported_algorithms: algorithms
                .all
                .iter()
                .map(|a| a.signature_alg_id())
                .collect(),
        }
    }))
}

/// The names a certificate is valid for, as libpq reads them.
struct CertNames {
    dns: Vec<String>,
    ips: Vec<std::net::IpAddr>,
    /// The first common name of the subject.
    common_name: Option<String>,
}

fn cert_names(cert_der: &CertificateDer<'_>) -> Result<CertNames, rustls::Error> {
    use x509_cert::der::oid::AssociatedOid;
    use x509_cert::der::{Decode, Encode};
    use x509_cert::ext::pkix::SubjectAltName;
    use x509_cert::ext::pkix::name::{DirectoryString, GeneralName};
    let cert = x509_cert::Certificate::from_der(cert_der.as_ref()).map_err(|_| bad_encoding())?;
    let tbs = &cert.tbs_certificate;
    let mut names = CertNames {
        dns: Vec::new(),
        ips: Vec::new(),
        common_name: None,
    };
    for ext in tbs.extensions.iter().flatten() {
        if ext.extn_id != SubjectAltName::OID {
            continue;
        }
        let san =
            SubjectAltName::from_der(ext.extn_value.as_bytes()).map_err(|_| bad_encoding())?;
        for name in san.0 {
            match name {
                GeneralName::DnsName(d) => names.dns.push(d.to_string()),
                GeneralName::IpAddress(octets) => match octets.as_bytes().len() {
                    4 => {
                        let b: [u8; 4] =
                            octets.as_bytes().try_into().map_err(|_| bad_encoding())?;
                        names.ips.push(std::net::IpAddr::from(b));
                    }
                    16 => {
                        let b: [u8; 16] =
                            octets.as_bytes().try_into().map_err(|_| bad_encoding())?;
                        names.ips.push(std::net::IpAddr::from(b));
                    }
                    _ => return Err(bad_encoding()),
                },
                _ => {}
            }
        }
    }
    let cn_oid = x509_cert::der::oid::ObjectIdentifier::new_unwrap("2.5.4.3");
    names.common_name = tbs
        .subject
        .0
        .iter()
        .flat_map(|rdn| rdn.0.iter())
        .find(|atv| atv.oid == cn_oid)
        .and_then(|atv| {
            let der = atv.value.to_der().ok()?;
            match DirectoryString::from_der(&der) {
                Ok(DirectoryString::PrintableString(s)) => Some(s.to_string()),
                Ok(DirectoryString::TeletexString(s)) => Some(s.to_string()),
                Ok(DirectoryString::Utf8String(s)) => Some(s),
                // IA5String and others: libpq reads them as text too.
                Err(_) => String::from_utf8(atv.value.value().to_vec()).ok(),
            }
        });
    Ok(names)
}

/// libpq's host name check: the subjectAltNames of the host's kind (DNS names for a host
/// name, IP addresses for an IP address) when there are any, otherwise the common name.
fn check_host_name(
    cert_der: &CertificateDer<'_>,
    server_name: &ServerName<'_>,
) -> Result<(), rustls::Error> {
    let names = cert_names(cert_der)?;
    let (host, ip) = match server_name {
        ServerName::DnsName(d) => (d.as_ref().to_string(), None),
        ServerName::IpAddress(a) => {
            let ip = std::net::IpAddr::from(*a);
            (ip.to_string(), Some(ip))
        }
        _ => return Err(rustls::Error::UnsupportedNameType),
    };
    let (matched, presented) = match ip {
        Some(ip) if !names.ips.is_empty() => (
            names.ips.contains(&ip),
            names.ips.iter().map(ToString::to_string).collect(),
        ),
        None if !names.dns.is_empty() => (
            names.dns.iter().any(|n| name_matches(n, &host)),
            names.dns.clone(),
        ),
        _ => match &names.common_name {
            Some(cn) => (name_matches(cn, &host), vec![cn.clone()]),
            None => (false, Vec::new()),
        },
    };
    if matched {
        return Ok(());
    }
    Err(rustls::Error::InvalidCertificate(
        CertificateError::NotValidForNameContext {
            expected: server_name.to_owned(),
            presented,
        },
    ))
}

/// libpq's comparison of a certificate name with the host: case-insensitive, and a leading
/// `*.` stands for exactly one label (never the empty one, never a dot).
fn name_matches(pattern: &str, host: &str) -> bool {
    if pattern.contains('\0') {
        return false;
    }
    if pattern.eq_ignore_ascii_case(host) {
        return true;
    }
    let Some(suffix) = pattern.strip_prefix('*') else {
        return false;
    };
    if !suffix.starts_with('.') || suffix.len() < 2 || host.len() < pattern.len() {
        return false;
    }
    let split = host.len() - suffix.len();
    let (label, rest) = host.split_at(split);
    host.is_char_boundary(split)
        && rest.eq_ignore_ascii_case(suffix)
        && !label.is_empty()
        && !label.contains('.')
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
        CertificateError::BadSignature => (
            "the signature on the server's certificate does not verify".into(),
            "check the server's certificate files (ssl_cert_file) and the CA in sslrootcert".into(),
        ),
        CertificateError::BadEncoding => (
            "the server's certificate is malformed (it is not valid DER)".into(),
            "check the server's certificate file (ssl_cert_file)".into(),
        ),
        CertificateError::UnsupportedSignatureAlgorithmContext { .. }
        | CertificateError::UnsupportedSignatureAlgorithmForPublicKeyContext { .. } => (
            "the server's certificate is signed with an algorithm this client does not \
             support (it supports RSA with SHA-256 or better, ECDSA P-256/P-384 and Ed25519)"
                .into(),
            "give the server a certificate signed with one of those algorithms".into(),
        ),
        CertificateError::UnhandledCriticalExtension => (
            "the server's certificate has a critical extension this client does not know".into(),
            "give the server a certificate without it, or use sslmode=require to skip \
             verification"
                .into(),
        ),
        CertificateError::InvalidPurpose | CertificateError::InvalidPurposeContext { .. } => (
            "the server's certificate is not meant for TLS servers (its extended key usage \
             lacks serverAuth)"
                .into(),
            "give the server a certificate with extendedKeyUsage=serverAuth (or none)".into(),
        ),
        CertificateError::Other(other) => match other.0.downcast_ref::<webpki::Error>() {
            Some(webpki::Error::CaUsedAsEndEntity) => (
                format!(
                    "the server presented a CA certificate (basic constraints CA:TRUE) as its \
                     own certificate, and that certificate is not itself in {roots_text}"
                ),
                "put the server's certificate itself in the file sslrootcert names (a \
                 self-signed certificate is its own root), or give the server a certificate \
                 without CA:TRUE signed by the CA"
                    .into(),
            ),
            Some(webpki::Error::UnknownIssuer) => (
                format!("the server's certificate is not signed by a CA trusted by {roots_text}"),
                "set sslrootcert to the CA certificate that signed the server's certificate".into(),
            ),
            Some(webpki::Error::PathLenConstraintViolated) => (
                "the server's certificate chain is longer than a CA in it allows".into(),
                "check the server's chain of intermediate certificates".into(),
            ),
            Some(webpki::Error::EndEntityUsedAsCa) => (
                "the server's chain uses a certificate without CA:TRUE to sign another".into(),
                "check the server's chain of intermediate certificates".into(),
            ),
            reason => (
                format!(
                    "the server's certificate was rejected: {}",
                    match reason {
                        Some(e) => words(&format!("{e:?}")),
                        None => words(&other.0.to_string()),
                    }
                ),
                "check sslrootcert and the server's certificate, or use sslmode=require to \
                 skip verification"
                    .into(),
            ),
        },
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
            format!(
                "the server's certificate was rejected: {}",
                words(&format!("{other:?}"))
            ),
            "check sslrootcert and the server's certificate, or use sslmode=require to skip \
             verification"
                .into(),
        ),
    }
}

/// A TLS failure other than the certificate, as a sentence.
pub(crate) fn explain_tls_error(error: &rustls::Error) -> String {
    use rustls::Error as E;
    match error {
        E::PeerIncompatible(why) => format!(
            "the server's TLS settings and this client's have nothing in common ({}); it \
             supports TLS 1.2 and 1.3 with modern cipher suites",
            words(&format!("{why:?}"))
        ),
        E::PeerMisbehaved(why) => format!(
            "the server broke the TLS protocol ({})",
            words(&format!("{why:?}"))
        ),
        E::AlertReceived(alert) => format!(
            "the server ended the handshake with the TLS alert \"{}\" (if it asks for a \
             client certificate, set sslcert and sslkey)",
            words(&format!("{alert:?}"))
        ),
        E::InvalidMessage(_) | E::InappropriateMessage { .. } => {
            "the server answered with something that is not TLS (is it PostgreSQL, and is the \
             port right?)"
                .into()
        }
        E::InappropriateHandshakeMessage { .. } => {
            "the server sent an unexpected TLS handshake message".into()
        }
        E::NoCertificatesPresented => "the server presented no certificate".into(),
        E::UnsupportedNameType => {
            "the host name cannot be checked against a certificate (use a DNS name or an IP \
             address, or sslmode=verify-ca)"
                .into()
        }
        E::DecryptError | E::EncryptError => {
            "the TLS handshake failed to decrypt or encrypt a message".into()
        }
        E::InvalidCertificate(e) => words(&format!("{e:?}")),
        E::General(text) => text.clone(),
        E::FailedToGetCurrentTime => "the system clock could not be read".into(),
        E::FailedToGetRandomBytes => "no random numbers could be had from the system".into(),
        E::HandshakeNotComplete => "the TLS handshake did not complete".into(),
        E::PeerSentOversizedRecord => "the server sent an oversized TLS record".into(),
        E::InconsistentKeys(_) => {
            "the client certificate (sslcert) does not match its key (sslkey)".into()
        }
        other => words(&format!("{other:?}")),
    }
}

/// Rust's spelling of an error value (`Other(OtherError(CaUsedAsEndEntity))`) as words
/// ("ca used as end entity"), for the rare error with no sentence of its own: a message never
/// shows a debug value.
pub(crate) fn words(debug: &str) -> String {
    let mut out = String::with_capacity(debug.len() + 8);
    let mut prev: Option<char> = None;
    for c in debug.chars() {
        match c {
            '(' | ')' | '{' | '}' | '[' | ']' | '"' => {
                if !out.ends_with(' ') && !out.is_empty() {
                    out.push(' ');
                }
            }
            c if c.is_ascii_uppercase() => {
                if prev.is_some_and(|p| p.is_ascii_lowercase() || p.is_ascii_digit()) {
                    out.push(' ');
                }
                out.push(c.to_ascii_lowercase());
            }
            c => out.push(c),
        }
        prev = Some(c);
    }
    let mut text = out.split_whitespace().collect::<Vec<_>>().join(" ");
    while let Some(rest) = ["other error ", "other "]
        .iter()
        .find_map(|wrapper| text.strip_prefix(wrapper))
    {
        text = rest.to_string();
    }
    text.trim_matches(|c: char| c == ',' || c == ' ')
        .to_string()
}

/// rustls presents names as `DnsName("localhost")` or `IpAddress(..)`; show the bare name.
fn unwrap_name(presented: &str) -> &str {
    presented
        .split_once("(\"")
        .and_then(|(_, rest)| rest.strip_suffix("\")"))
        .unwrap_or(presented)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_values_become_words() {
        assert_eq!(
            words("Other(OtherError(CaUsedAsEndEntity))"),
            "ca used as end entity"
        );
        assert_eq!(words("Tls12NotOffered"), "tls12 not offered");
        assert_eq!(words("BadCertificate"), "bad certificate");
    }

    #[test]
    fn names_match_like_libpq() {
        for (pattern, host, expected) in [
            ("db.example.test", "DB.example.TEST", true),
            ("*.example.test", "db.example.test", true),
            ("*.example.test", "a.db.example.test", false),
            ("*.example.test", "example.test", false),
            ("*.example.test", ".example.test", false),
            ("*.example.test", "db.example.testx", false),
            ("*", "db", false),
            ("db*.example.test", "db1.example.test", false),
            ("127.0.0.1", "127.0.0.1", true),
            ("db\0.evil", "db\0.evil", false),
        ] {
            assert_eq!(name_matches(pattern, host), expected, "{pattern} vs {host}");
        }
    }
}
