//! `strata dev`: start, print the URL, serve queries, and clean up on SIGTERM / SIGINT.

use std::io::{BufRead, BufReader, Read};
use std::net::{SocketAddr, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

fn strata_bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_strata"))
}

struct Dev {
    child: Child,
    url: String,
    port: u16,
    data_dir: PathBuf,
    stderr: BufReader<std::process::ChildStderr>,
}

impl Drop for Dev {
    fn drop(&mut self) {
        // A failed test must not leave a server behind; the process's watchdog then cleans up.
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start_dev() -> Dev {
    let mut child = Command::new(strata_bin())
        .arg("dev")
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn strata dev");
    let mut stdout = BufReader::new(child.stdout.take().expect("stdout"));
    let mut stderr = BufReader::new(child.stderr.take().expect("stderr"));
    let mut url = String::new();
    stdout.read_line(&mut url).expect("read URL line");
    let url = url.trim().to_string();
    let mut export = String::new();
    stdout.read_line(&mut export).expect("read export line");
    assert_eq!(export.trim(), format!("export DATABASE_URL={url}"));
    assert!(url.starts_with("postgres://postgres@127.0.0.1:"), "{url:?}");

    let mut banner = String::new();
    let mut data_dir = None;
    while data_dir.is_none() {
        let mut line = String::new();
        if stderr.read_line(&mut line).expect("read stderr") == 0 {
            panic!("strata dev printed no data directory:\n{banner}");
        }
        banner.push_str(&line);
        if let Some(rest) = line.split("data directory ").nth(1) {
            data_dir = Some(PathBuf::from(rest.trim().trim_end_matches(").")));
        }
    }
    let port: u16 = url
        .rsplit_once(':')
        .and_then(|(_, rest)| rest.split('/').next())
        .and_then(|p| p.parse().ok())
        .expect("port in URL");
    Dev {
        child,
        url,
        port,
        data_dir: data_dir.expect("data directory"),
        stderr,
    }
}

fn port_open(port: u16) -> bool {
    let addr = SocketAddr::from(([127, 0, 0, 1], port));
    TcpStream::connect_timeout(&addr, Duration::from_secs(1)).is_ok()
}

fn stop_and_check(mut dev: Dev, signal: i32, name: &str) {
    let mut client = postgres::Client::connect(&dev.url, postgres::NoTls).expect("connect");
    let row = client
        .query_one("SELECT current_database(), 40 + 2", &[])
        .expect("query");
    assert_eq!(row.get::<_, String>(0), "strata");
    assert_eq!(row.get::<_, i32>(1), 42);
    drop(client);
    assert!(
        dev.data_dir.join("PG_VERSION").is_file(),
        "{}",
        dev.data_dir.display()
    );

    let pid = i32::try_from(dev.child.id()).expect("pid");
    // SAFETY: sending a signal to our own child.
    assert_eq!(unsafe { libc::kill(pid, signal) }, 0);
    let deadline = Instant::now() + Duration::from_secs(30);
    let status = loop {
        if let Some(status) = dev.child.try_wait().expect("wait") {
            break status;
        }
        assert!(
            Instant::now() < deadline,
            "strata dev did not exit after {name}"
        );
        std::thread::sleep(Duration::from_millis(20));
    };
    let mut rest = String::new();
    dev.stderr.read_to_string(&mut rest).expect("stderr");
    assert_eq!(
        status.code(),
        Some(0),
        "exit status {status}; stderr:\n{rest}"
    );
    assert!(rest.contains(&format!("received {name}")), "{rest}");
    assert!(
        !dev.data_dir.exists(),
        "{} still exists",
        dev.data_dir.display()
    );
    assert!(
        dev.data_dir.parent().is_some_and(|dir| !dir.exists()),
        "cluster directory still exists"
    );
    assert!(!port_open(dev.port), "port {} still open", dev.port);
}

#[test]
fn sigterm_stops_the_server_and_removes_the_data() {
    let dev = start_dev();
    stop_and_check(dev, libc::SIGTERM, "SIGTERM");
}

#[test]
fn sigint_stops_the_server_and_removes_the_data() {
    let dev = start_dev();
    stop_and_check(dev, libc::SIGINT, "SIGINT");
}

#[test]
fn missing_server_binaries_are_reported_with_the_fix() {
    let empty = tempfile::tempdir().expect("tempdir");
    let out = Command::new(strata_bin())
        .arg("dev")
        .env("NO_COLOR", "1")
        .env("STRATA_PG_BINDIR", empty.path())
        .stdin(Stdio::null())
        .output()
        .expect("run strata dev");
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    let stderr = String::from_utf8_lossy(&out.stderr);
    for needle in [
        "not found",
        empty.path().to_str().expect("utf-8"),
        "apt-get install postgresql",
        "STRATA_PG_BINDIR",
        "--dev-url",
    ] {
        assert!(stderr.contains(needle), "{needle:?} not in:\n{stderr}");
    }
}
