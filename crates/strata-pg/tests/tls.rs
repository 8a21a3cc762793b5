//! Connections against a real server that only accepts TLS: a test CA and a leaf
//! certificate for `localhost` are made here, the throwaway server serves them, and
//! `pg_hba.conf` demands `hostssl` with SCRAM passwords.
//!
//! Every failure is checked for its message and for the absence of the password.

use std::path::PathBuf;
use std::process::ChildStdin;
use std::sync::OnceLock;

use rcgen::{
    BasicConstraints, CertificateParams, CertifiedIssuer, DnType, IsCa, KeyPair, KeyUsagePurpose,
};
use strata_pg::conn::{ConnError, ConnInfo};
use strata_pg::{Cluster, ClusterOptions};

/// Special characters on purpose: they must survive URL encoding and never be printed.
const PASSWORD: &str = "pa:ss@w/rd%é'\"x";
const USER: &str = "alice";
/// A role the server trusts without a password (so no SCRAM, so no channel binding).
const TRUSTED_USER: &str = "trusty";

struct Server {
    cluster: Cluster,
    _watchdog: ChildStdin,
    ca: PathBuf,
    other_ca: PathBuf,
    _dir: tempfile::TempDir,
}

fn ca(name: &str) -> CertifiedIssuer<'static, KeyPair> {
    let mut params = CertificateParams::new(Vec::<String>::new()).expect("CA params");
    params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    params.distinguished_name.push(DnType::CommonName, name);
    params.key_usages = vec![
        KeyUsagePurpose::KeyCertSign,
        KeyUsagePurpose::CrlSign,
        KeyUsagePurpose::DigitalSignature,
    ];
    CertifiedIssuer::self_signed(params, KeyPair::generate().expect("CA key")).expect("CA")
}

/// One TLS-only server for all tests in this file; a watchdog removes it after the process
/// exits (statics are never dropped).
fn server() -> &'static Server {
    static SERVER: OnceLock<Server> = OnceLock::new();
    SERVER.get_or_init(|| {
        let ca = ca("Strata Test CA");
        let other = ca_other();
        let mut leaf = CertificateParams::new(vec!["localhost".to_string()]).expect("params");
        leaf.distinguished_name
            .push(DnType::CommonName, "localhost");
        let leaf_key = KeyPair::generate().expect("leaf key");
        let leaf_cert = leaf.signed_by(&leaf_key, &ca).expect("leaf");

        let dir = tempfile::tempdir().expect("tempdir");
        let ca_path = dir.path().join("ca.pem");
        let other_path = dir.path().join("other-ca.pem");
        std::fs::write(&ca_path, ca.pem()).expect("write CA");
        std::fs::write(&other_path, other.pem()).expect("write other CA");

        let hba = format!(
            "local all all trust\n\
             hostssl all {TRUSTED_USER} 127.0.0.1/32 trust\n\
             hostssl all all 127.0.0.1/32 scram-sha-256\n\
             hostssl all all ::1/128 scram-sha-256\n"
        );
        let options = ClusterOptions::default()
            .hba_conf(hba)
            .tls(leaf_cert.pem(), leaf_key.serialize_pem());
        let cluster = Cluster::start_with(options).expect("TLS cluster");
        let watchdog = cluster.spawn_watchdog().expect("watchdog");
        let mut admin = cluster.connect_local("postgres").expect("local connection");
        let quoted = PASSWORD.replace('\'', "''");
        admin
            .batch_execute(&format!(
                "SET password_encryption = 'scram-sha-256';
                 CREATE ROLE {USER} LOGIN PASSWORD '{quoted}';
                 CREATE ROLE {TRUSTED_USER} LOGIN;"
            ))
            .expect("create roles");
        Server {
            cluster,
            _watchdog: watchdog,
            ca: ca_path,
            other_ca: other_path,
            _dir: dir,
        }
    })
}

fn ca_other() -> CertifiedIssuer<'static, KeyPair> {
    ca("Some Other CA")
}

fn encode(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() {
                char::from(b).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// A URL for `alice` with the password, to `host`, plus `params`.
fn url(host: &str, params: &str) -> String {
    let s = server();
    format!(
        "postgres://{USER}:{}@{host}:{}/postgres?{params}",
        encode(PASSWORD),
        s.cluster.port()
    )
}

fn connect(url: &str) -> Result<strata_pg::postgres::Client, ConnError> {
    ConnInfo::parse(url).expect("valid URL").connect()
}

fn ssl_in_use(client: &mut strata_pg::postgres::Client) -> bool {
    client
        .query_one(
            "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()",
            &[],
        )
        .expect("pg_stat_ssl")
        .get(0)
}

/// Connecting must fail; returns the error after checking that no form of it shows the
/// password.
fn failure(url: &str) -> ConnError {
    let error = match connect(url) {
        Ok(_) => panic!("connected, but should not have: {url}"),
        Err(e) => e,
    };
    for shown in [error.to_string(), format!("{error:?}")] {
        assert!(!shown.contains(PASSWORD), "password in {shown}");
        assert!(!shown.contains("pa:ss"), "password in {shown}");
        assert!(!shown.contains(&encode(PASSWORD)), "password in {shown}");
    }
    error
}

fn assert_mentions(error: &ConnError, needles: &[&str]) {
    let message = error.to_string();
    for needle in needles {
        assert!(message.contains(needle), "{needle:?} not in: {message}");
    }
}

#[test]
fn require_connects_without_verification() {
    let mut client = connect(&url("127.0.0.1", "sslmode=require")).expect("require");
    assert!(ssl_in_use(&mut client));
}

#[test]
fn prefer_uses_tls_and_allow_falls_back_to_it() {
    let mut client = connect(&url("127.0.0.1", "sslmode=prefer")).expect("prefer");
    assert!(ssl_in_use(&mut client));
    // allow tries plain text first; the server rejects it, so TLS is used.
    let mut client = connect(&url("127.0.0.1", "sslmode=allow")).expect("allow");
    assert!(ssl_in_use(&mut client));
}

#[test]
fn verify_full_with_the_ca_and_the_right_host_connects() {
    let s = server();
    let params = format!(
        "sslmode=verify-full&sslrootcert={}",
        encode(&s.ca.display().to_string())
    );
    let mut client = connect(&url("localhost", &params)).expect("verify-full");
    assert!(ssl_in_use(&mut client));
}

#[test]
fn verify_full_with_a_wrong_host_name_fails_clearly() {
    let s = server();
    let params = format!(
        "sslmode=verify-full&sslrootcert={}",
        encode(&s.ca.display().to_string())
    );
    // The certificate names only `localhost`.
    let error = failure(&url("127.0.0.1", &params));
    assert!(matches!(error, ConnError::Certificate { .. }), "{error:?}");
    assert_mentions(
        &error,
        &[
            "host name mismatch",
            "\"127.0.0.1\"",
            "valid for localhost",
            "verify-full",
            "verify-ca",
        ],
    );
}

#[test]
fn verify_ca_checks_the_chain_but_not_the_host_name() {
    let s = server();
    let ca = encode(&s.ca.display().to_string());
    let mut client = connect(&url(
        "127.0.0.1",
        &format!("sslmode=verify-ca&sslrootcert={ca}"),
    ))
    .expect("ca");
    assert!(ssl_in_use(&mut client));

    let other = s.other_ca.display().to_string();
    let error = failure(&url(
        "localhost",
        &format!("sslmode=verify-ca&sslrootcert={}", encode(&other)),
    ));
    assert!(matches!(error, ConnError::Certificate { .. }), "{error:?}");
    assert_mentions(
        &error,
        &["not signed by a CA", &other, "verify-ca", "sslrootcert"],
    );
}

#[test]
fn require_with_a_root_certificate_verifies_like_libpq() {
    let s = server();
    let other = encode(&s.other_ca.display().to_string());
    let error = failure(&url(
        "127.0.0.1",
        &format!("sslmode=require&sslrootcert={other}"),
    ));
    assert!(matches!(error, ConnError::Certificate { .. }), "{error:?}");
    let ca = encode(&s.ca.display().to_string());
    connect(&url(
        "127.0.0.1",
        &format!("sslmode=require&sslrootcert={ca}"),
    ))
    .expect("right CA");
}

#[test]
fn disable_against_a_tls_only_server_says_to_use_tls() {
    let error = failure(&url("127.0.0.1", "sslmode=disable"));
    assert!(matches!(error, ConnError::TlsRequired { .. }), "{error:?}");
    assert_mentions(&error, &["requires TLS", "sslmode=require", "127.0.0.1"]);
}

#[test]
fn channel_binding_require_works_over_tls_with_scram() {
    let mut client = connect(&url("127.0.0.1", "sslmode=require&channel_binding=require"))
        .expect("channel binding");
    assert!(ssl_in_use(&mut client));
}

#[test]
fn channel_binding_require_fails_without_scram() {
    let s = server();
    let url = format!(
        "postgres://{TRUSTED_USER}@127.0.0.1:{}/postgres?sslmode=require&channel_binding=require",
        s.cluster.port()
    );
    let error = connect(&url)
        .map(|_| ())
        .expect_err("no SCRAM, no channel binding");
    assert!(
        matches!(error, ConnError::ChannelBindingNotUsed { .. }),
        "{error:?}"
    );
    assert_mentions(&error, &["channel binding", "SCRAM"]);
    // Without the requirement the same role connects.
    let url = url.replace("&channel_binding=require", "");
    connect(&url).expect("trusted role");
}

#[test]
fn channel_binding_require_with_sslmode_disable_fails_clearly() {
    let error = failure(&url("127.0.0.1", "sslmode=disable&channel_binding=require"));
    assert_eq!(error, ConnError::ChannelBindingNeedsTls);
    assert_mentions(
        &error,
        &[
            "channel_binding=require",
            "sslmode=disable",
            "sslmode=require",
        ],
    );
}

#[test]
fn wrong_password_fails_clearly() {
    let s = server();
    let wrong = format!("{PASSWORD}-wrong");
    let url = format!(
        "postgres://{USER}:{}@127.0.0.1:{}/postgres?sslmode=require",
        encode(&wrong),
        s.cluster.port()
    );
    let error = failure(&url);
    assert!(!error.to_string().contains(&wrong));
    assert!(
        matches!(error, ConnError::WrongPassword { .. }),
        "{error:?}"
    );
    let server = format!("127.0.0.1:{}", s.cluster.port());
    assert_mentions(
        &error,
        &[
            "password authentication failed",
            USER,
            &server,
            "PGPASSWORD",
        ],
    );
}

#[test]
fn missing_password_fails_clearly() {
    let s = server();
    let url = format!(
        "postgres://{USER}@127.0.0.1:{}/postgres?sslmode=require",
        s.cluster.port()
    );
    let error = failure(&url);
    assert!(
        matches!(error, ConnError::PasswordMissing { .. }),
        "{error:?}"
    );
    assert_mentions(&error, &[USER, "PGPASSWORD", ".pgpass"]);
}

#[test]
fn missing_database_fails_clearly() {
    let s = server();
    let url = format!(
        "postgres://{USER}:{}@127.0.0.1:{}/no_such_db?sslmode=require",
        encode(PASSWORD),
        s.cluster.port()
    );
    let error = failure(&url);
    assert!(
        matches!(error, ConnError::UnknownDatabase { .. }),
        "{error:?}"
    );
    assert_mentions(
        &error,
        &["\"no_such_db\" does not exist", "createdb", "psql -l"],
    );
}

#[test]
fn unreachable_host_fails_clearly() {
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        listener.local_addr().expect("addr").port()
    };
    let url = format!(
        "postgres://{USER}:{}@127.0.0.1:{port}/postgres?sslmode=require",
        encode(PASSWORD)
    );
    let error = failure(&url);
    assert!(matches!(error, ConnError::Unreachable { .. }), "{error:?}");
    assert_mentions(
        &error,
        &[&format!("127.0.0.1:{port}"), "server is running", "port"],
    );
}

#[test]
fn several_hosts_are_tried_in_turn() {
    let s = server();
    let closed = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        listener.local_addr().expect("addr").port()
    };
    let url = format!(
        "postgres://{USER}:{}@127.0.0.1:{closed},127.0.0.1:{}/postgres?sslmode=require",
        encode(PASSWORD),
        s.cluster.port()
    );
    connect(&url).expect("second host");
    let url = format!(
        "postgres://{USER}:{}@127.0.0.1:{closed},127.0.0.1:{closed}/postgres?sslmode=require",
        encode(PASSWORD)
    );
    let error = failure(&url);
    assert!(
        matches!(&error, ConnError::AllHostsFailed(e) if e.len() == 2),
        "{error:?}"
    );
}

#[test]
fn pgpass_supplies_the_password() {
    use std::os::unix::fs::PermissionsExt;
    let s = server();
    let home = tempfile::tempdir().expect("home");
    let pgpass = home.path().join(".pgpass");
    let escaped = PASSWORD.replace('\\', r"\\").replace(':', r"\:");
    std::fs::write(
        &pgpass,
        format!("127.0.0.1:{}:*:{USER}:{escaped}\n", s.cluster.port()),
    )
    .expect("write .pgpass");
    std::fs::set_permissions(&pgpass, std::fs::Permissions::from_mode(0o600)).expect("chmod");
    let home_dir = home.path().to_str().expect("utf-8").to_string();
    let env = move |name: &str| (name == "HOME").then(|| home_dir.clone());
    let url = format!(
        "postgres://{USER}@127.0.0.1:{}/postgres?sslmode=require",
        s.cluster.port()
    );
    let info = ConnInfo::from_env_or_with(Some(&url), &env).expect("resolve");
    assert!(!format!("{info:?} {info}").contains("pa:ss"));
    let mut client = info.connect().expect("password from .pgpass");
    assert!(ssl_in_use(&mut client));
}

/// A server with its own certificate and key; `ca` is the root file to trust for it.
struct CertServer {
    cluster: Cluster,
    _watchdog: ChildStdin,
    /// The server's certificate, as a root file (for the self-signed server) or the CA that
    /// signed it.
    roots: PathBuf,
    _dir: tempfile::TempDir,
}

fn cert_server(cert_pem: String, key_pem: String, roots_pem: String) -> CertServer {
    let dir = tempfile::tempdir().expect("tempdir");
    let roots = dir.path().join("roots.pem");
    std::fs::write(&roots, roots_pem).expect("write roots");
    let hba = "local all all trust\nhostssl all all 127.0.0.1/32 scram-sha-256\n";
    let cluster = Cluster::start_with(
        ClusterOptions::default()
            .hba_conf(hba)
            .tls(cert_pem, key_pem),
    )
    .expect("TLS cluster");
    let watchdog = cluster.spawn_watchdog().expect("watchdog");
    let mut admin = cluster.connect_local("postgres").expect("local connection");
    admin
        .batch_execute(&format!(
            "SET password_encryption = 'scram-sha-256';
             CREATE ROLE {USER} LOGIN PASSWORD '{}';",
            PASSWORD.replace('\'', "''")
        ))
        .expect("create role");
    CertServer {
        cluster,
        _watchdog: watchdog,
        roots,
        _dir: dir,
    }
}

/// A self-signed certificate with CA:TRUE, used by the server as its own certificate and by
/// the client as its root (what `openssl req -x509` makes by default, and psql accepts).
fn self_signed_server() -> &'static CertServer {
    static SERVER: OnceLock<CertServer> = OnceLock::new();
    SERVER.get_or_init(|| {
        let mut params = CertificateParams::new(vec!["localhost".to_string()]).expect("params");
        params
            .distinguished_name
            .push(DnType::CommonName, "localhost");
        params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        let key = KeyPair::generate().expect("key");
        let cert = params.self_signed(&key).expect("self-signed");
        cert_server(cert.pem(), key.serialize_pem(), cert.pem())
    })
}

/// A certificate signed by a CA with a wildcard common name and no subjectAltName
/// (libpq then compares the host name with the common name).
fn cn_only_server() -> &'static CertServer {
    static SERVER: OnceLock<CertServer> = OnceLock::new();
    SERVER.get_or_init(|| {
        let ca = ca("CN-only Test CA");
        let mut params = CertificateParams::new(Vec::<String>::new()).expect("params");
        params
            .distinguished_name
            .push(DnType::CommonName, "*.example.test");
        let key = KeyPair::generate().expect("key");
        let cert = params.signed_by(&key, &ca).expect("leaf");
        cert_server(cert.pem(), key.serialize_pem(), ca.pem())
    })
}

/// A URL for `alice` to `host` on `server`, connecting to 127.0.0.1 (so the certificate is
/// checked against `host` without resolving it).
fn url_to(server: &CertServer, host: &str, mode: &str) -> String {
    format!(
        "postgres://{USER}:{}@{host}:{}/postgres?hostaddr=127.0.0.1&sslmode={mode}&sslrootcert={}",
        encode(PASSWORD),
        server.cluster.port(),
        encode(&server.roots.display().to_string())
    )
}

/// No message shows a Rust debug value.
fn assert_sentence(error: &ConnError) {
    let message = error.to_string();
    for debug in [
        "Other(",
        "OtherError",
        "CaUsedAsEndEntity",
        "Context {",
        "DnsName(",
    ] {
        assert!(!message.contains(debug), "{debug:?} in: {message}");
    }
}

#[test]
fn self_signed_ca_certificate_as_its_own_root_is_accepted() {
    let s = self_signed_server();
    for mode in ["require", "verify-ca", "verify-full"] {
        let mut client = connect(&url_to(s, "localhost", mode))
            .unwrap_or_else(|e| panic!("sslmode={mode}: {e}"));
        assert!(ssl_in_use(&mut client), "{mode}");
    }
    // The host name is still checked under verify-full.
    let error = failure(&url_to(s, "db.example.test", "verify-full"));
    assert!(matches!(error, ConnError::Certificate { .. }), "{error:?}");
    assert_mentions(
        &error,
        &["host name mismatch", "\"db.example.test\"", "localhost"],
    );
    assert_sentence(&error);
    connect(&url_to(s, "db.example.test", "verify-ca")).expect("verify-ca ignores the name");
}

#[test]
fn a_ca_certificate_that_is_not_a_trusted_root_is_refused_in_words() {
    let s = self_signed_server();
    let other = server().other_ca.display().to_string();
    let url = format!(
        "postgres://{USER}:{}@localhost:{}/postgres?hostaddr=127.0.0.1&sslmode=verify-full&sslrootcert={}",
        encode(PASSWORD),
        s.cluster.port(),
        encode(&other)
    );
    let error = failure(&url);
    assert!(matches!(error, ConnError::Certificate { .. }), "{error:?}");
    assert_mentions(&error, &["CA certificate", "sslrootcert", &other]);
    assert_sentence(&error);
}

#[test]
fn common_name_without_subject_alt_name_is_matched_like_libpq() {
    let s = cn_only_server();
    // `*.example.test` matches one label.
    for mode in ["verify-full", "verify-ca", "require"] {
        let mut client = connect(&url_to(s, "db.example.test", mode))
            .unwrap_or_else(|e| panic!("sslmode={mode}: {e}"));
        assert!(ssl_in_use(&mut client), "{mode}");
    }
    connect(&url_to(s, "DB.Example.TEST", "verify-full")).expect("case-insensitive");
    for host in [
        "a.db.example.test",
        "example.test",
        "db.example.testx",
        "127.0.0.1",
    ] {
        let error = failure(&url_to(s, host, "verify-full"));
        assert!(
            matches!(error, ConnError::Certificate { .. }),
            "{host}: {error:?}"
        );
        assert_mentions(&error, &["host name mismatch", host, "*.example.test"]);
        assert_sentence(&error);
        // verify-ca checks the chain only.
        connect(&url_to(s, host, "verify-ca")).unwrap_or_else(|e| panic!("{host}: {e}"));
    }
}
