//! Connection failures as a user sees them on the command line: a short error naming the
//! cause and the fix, exit code 2, and never the password, for each case.

mod common;

use std::sync::OnceLock;

use strata_pg::{Cluster, ClusterOptions};

const PASSWORD: &str = "S3cr:et@p/w%d'x";
const USER: &str = "carol";

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

/// A server that demands SCRAM passwords over plain TCP (no TLS needed for these cases).
fn server() -> &'static (Cluster, std::process::ChildStdin) {
    static SERVER: OnceLock<(Cluster, std::process::ChildStdin)> = OnceLock::new();
    SERVER.get_or_init(|| {
        let cluster = Cluster::start_with(
            ClusterOptions::default()
                .hba_conf("local all all trust\nhost all all 127.0.0.1/32 scram-sha-256\n"),
        )
        .expect("cluster");
        let watchdog = cluster.spawn_watchdog().expect("watchdog");
        let mut admin = cluster.connect_local("postgres").expect("admin");
        admin
            .batch_execute(&format!(
                "CREATE ROLE {USER} LOGIN PASSWORD '{}'",
                PASSWORD.replace('\'', "''")
            ))
            .expect("role");
        (cluster, watchdog)
    })
}

/// Runs `strata inspect URL` (with a clean environment for connections) and checks that it
/// failed with exit code 2, printed nothing on stdout, and never showed the password.
fn fails(url: &str, password: &str) -> String {
    let out = common::strata()
        .arg("inspect")
        .arg(url)
        .env_remove("DATABASE_URL")
        .env_remove("PGPASSWORD")
        .env("HOME", "/nonexistent")
        .output()
        .expect("run strata inspect");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        out.status.code(),
        Some(2),
        "stdout:\n{stdout}\nstderr:\n{stderr}"
    );
    for shown in [&stdout, &stderr] {
        assert!(!shown.contains(password), "password in output:\n{shown}");
        assert!(
            !shown.contains(&encode(password)),
            "password in output:\n{shown}"
        );
    }
    assert!(stderr.starts_with("error: "), "{stderr}");
    stderr.into_owned()
}

fn assert_mentions(text: &str, needles: &[&str]) {
    for needle in needles {
        assert!(text.contains(needle), "{needle:?} not in:\n{text}");
    }
}

#[test]
fn wrong_password() {
    let (cluster, _) = server();
    let wrong = format!("{PASSWORD}!");
    let url = format!(
        "postgres://{USER}:{}@127.0.0.1:{}/postgres",
        encode(&wrong),
        cluster.port()
    );
    let stderr = fails(&url, &wrong);
    assert_mentions(
        &stderr,
        &[
            "password authentication failed",
            USER,
            "PGPASSWORD",
            ":****@",
        ],
    );
}

#[test]
fn missing_database() {
    let (cluster, _) = server();
    let url = format!(
        "postgres://{USER}:{}@127.0.0.1:{}/nowhere",
        encode(PASSWORD),
        cluster.port()
    );
    let stderr = fails(&url, PASSWORD);
    assert_mentions(&stderr, &["\"nowhere\" does not exist", "createdb nowhere"]);
}

#[test]
fn unreachable_host() {
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        listener.local_addr().expect("addr").port()
    };
    let url = format!("postgres://{USER}:{}@127.0.0.1:{port}/db", encode(PASSWORD));
    let stderr = fails(&url, PASSWORD);
    assert_mentions(
        &stderr,
        &[&format!("127.0.0.1:{port}"), "server is running"],
    );
}

#[test]
fn tls_demanded_from_a_server_without_tls() {
    let (cluster, _) = server();
    let url = format!(
        "postgres://{USER}:{}@127.0.0.1:{}/postgres?sslmode=require",
        encode(PASSWORD),
        cluster.port()
    );
    let stderr = fails(&url, PASSWORD);
    assert_mentions(&stderr, &["does not support TLS", "sslmode=require"]);
}

#[test]
fn malformed_urls() {
    let cases = [
        (
            format!("postgres://{USER}:{}@h/db?sslmod=require", encode(PASSWORD)),
            "unknown connection parameter `sslmod` (did you mean `sslmode`?)",
        ),
        (
            format!("postgres://{USER}:{}@h:notaport/db", encode(PASSWORD)),
            "the port after a host name in the URL is not a number from 1 to 65535",
        ),
        (
            format!(
                "host=h user={USER} password='{}' sslmode=sometimes",
                PASSWORD.replace('\'', r"\'")
            ),
            "invalid value \"sometimes\" for `sslmode`",
        ),
    ];
    for (url, expected) in cases {
        let stderr = fails(&url, PASSWORD);
        assert_mentions(&stderr, &[expected]);
    }
}

/// A local port whose listener hands each accepted connection to `serve` on a thread of its
/// own; the listener lives as long as the test process.
fn listener(serve: fn(std::net::TcpStream)) -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("addr").port();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            std::thread::spawn(move || serve(stream));
        }
    });
    port
}

/// Accepts and never answers (nor closes), like a stuck proxy or a firewall that completes
/// the handshake.
fn silent(stream: std::net::TcpStream) {
    std::thread::sleep(std::time::Duration::from_secs(600));
    drop(stream);
}

/// `strata inspect URL` gives up within the limit, whichever phase the server stalls in:
/// the TLS negotiation (`sslmode=prefer`, the default) or the startup (`sslmode=disable`).
fn times_out_after(query: &str, limit: u64) {
    let port = listener(silent);
    let url = format!(
        "postgres://{USER}:{}@127.0.0.1:{port}/db?{query}",
        encode(PASSWORD)
    );
    let started = std::time::Instant::now();
    let stderr = fails(&url, PASSWORD);
    let took = started.elapsed();
    assert!(
        took >= std::time::Duration::from_secs(limit)
            && took < std::time::Duration::from_secs(limit + 8),
        "gave up after {took:?}, the limit being {limit} s"
    );
    assert_mentions(
        &stderr,
        &[
            &format!("timed out after {limit} s"),
            &format!("127.0.0.1:{port}"),
            "connect_timeout",
        ],
    );
}

#[test]
fn connect_timeout_bounds_the_tls_negotiation() {
    times_out_after("connect_timeout=2", 2);
}

#[test]
fn connect_timeout_bounds_the_startup() {
    times_out_after("connect_timeout=2&sslmode=disable", 2);
}

/// docs/connections.md promises 30 s when the URL sets no limit.
#[test]
fn the_default_limit_is_thirty_seconds() {
    times_out_after("sslmode=disable", 30);
}

/// A web server on the port: what it says is not the PostgreSQL protocol.
#[test]
fn a_port_that_is_not_postgresql_is_named_as_such() {
    fn http(mut stream: std::net::TcpStream) {
        use std::io::{Read, Write};
        let mut buf = [0u8; 512];
        let _ = stream.read(&mut buf);
        let _ = stream.write_all(
            b"HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain\r\nContent-Length: 11\r\n\r\nBad Request",
        );
        // Half-close, then read on until the client hangs up: the client sees the end of the
        // reply either way. Closing outright would race: under sslmode=prefer the client
        // writes its startup packet after reading the first byte, and a closed socket answers
        // that packet with a reset, which can overtake the reply the client has not read yet.
        let _ = stream.shutdown(std::net::Shutdown::Write);
        while matches!(stream.read(&mut buf), Ok(n) if n > 0) {}
    }
    for mode in ["disable", "prefer"] {
        let port = listener(http);
        let url = format!(
            "postgres://{USER}:{}@127.0.0.1:{port}/db?sslmode={mode}&connect_timeout=5",
            encode(PASSWORD)
        );
        let stderr = fails(&url, PASSWORD);
        assert_mentions(
            &stderr,
            &[
                &format!("127.0.0.1:{port} answered, but not as a PostgreSQL server does"),
                "check the port",
            ],
        );
    }
}
