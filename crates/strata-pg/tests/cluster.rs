//! Tests against a real PostgreSQL server.
//!
//! Some tests re-run this test binary as a child process (`--exact <name>`), with
//! `STRATA_PG_TEST_CHILD` telling the child which part to play.

use std::io::{BufRead, BufReader};
use std::net::{SocketAddr, TcpStream};
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use strata_pg::{ApplyError, Cluster, ClusterOptions, PgError, apply_sql, shared_cluster};

const CHILD_ENV: &str = "STRATA_PG_TEST_CHILD";
const MARKER: &str = "STRATA_CHILD_OK";

fn child_mode() -> Option<String> {
    std::env::var(CHILD_ENV).ok()
}

fn is_root() -> bool {
    unsafe { libc::geteuid() == 0 }
}

fn user_ids(name: &str) -> (u32, u32) {
    let id = |flag: &str| -> u32 {
        let out = Command::new("id")
            .args([flag, name])
            .output()
            .expect("run id");
        assert!(out.status.success(), "no user {name}");
        String::from_utf8_lossy(&out.stdout)
            .trim()
            .parse()
            .expect("numeric id")
    };
    (id("-u"), id("-g"))
}

fn postmaster_pid(cluster: &Cluster) -> i32 {
    let text = std::fs::read_to_string(cluster.data_dir().join("postmaster.pid"))
        .expect("read postmaster.pid");
    text.lines()
        .next()
        .and_then(|l| l.trim().parse().ok())
        .expect("pid on the first line of postmaster.pid")
}

/// Alive and not a zombie (an unreaped zombie counts as stopped).
fn process_alive(pid: i32) -> bool {
    if unsafe { libc::kill(pid, 0) } != 0 {
        return false;
    }
    match std::fs::read_to_string(format!("/proc/{pid}/stat")) {
        // The state follows the parenthesised command name.
        Ok(stat) => stat
            .rsplit_once(')')
            .is_some_and(|(_, rest)| !rest.trim_start().starts_with('Z')),
        Err(_) => false,
    }
}

fn process_uid(pid: i32) -> u32 {
    std::fs::metadata(format!("/proc/{pid}"))
        .expect("postmaster in /proc")
        .uid()
}

fn port_open(port: u16) -> bool {
    let addr = SocketAddr::from(([127, 0, 0, 1], port));
    TcpStream::connect_timeout(&addr, Duration::from_secs(1)).is_ok()
}

/// Runs this test binary again for one test, in the given child mode.
fn self_command(exe: &Path, test: &str, mode: &str) -> Command {
    let mut cmd = Command::new(exe);
    cmd.args(["--exact", test, "--nocapture", "--test-threads=1"])
        .env(CHILD_ENV, mode);
    cmd
}

/// The marker the child printed, if `line` holds it (libtest may print before it on the line).
fn find_marker(line: &str) -> Option<&str> {
    line.find(MARKER).map(|at| &line[at..])
}

/// Key/value pairs from the child's marker, e.g. `STRATA_CHILD_OK dir=/tmp/x pid=12`.
fn marker_fields(marker: &str) -> Vec<(String, String)> {
    marker
        .trim()
        .strip_prefix(MARKER)
        .expect("marker")
        .split_whitespace()
        .filter_map(|kv| kv.split_once('='))
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

fn field<'a>(fields: &'a [(String, String)], key: &str) -> &'a str {
    fields
        .iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.as_str())
        .unwrap_or_else(|| panic!("no {key} in child marker"))
}

fn marker_line(output: &Output) -> String {
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "child failed ({}):\nstdout:\n{stdout}\nstderr:\n{}",
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
    stdout
        .lines()
        .find_map(find_marker)
        .unwrap_or_else(|| panic!("child did not run the test (no marker):\n{stdout}"))
        .to_string()
}

#[test]
fn cluster_starts_and_answers_queries() {
    let cluster = Cluster::start_with(
        ClusterOptions::default()
            .setting("work_mem", "7MB")
            // Spaces and quotes must survive pg_ctl's trip through /bin/sh.
            .setting("search_path", r#"public, "my schema""#),
    )
    .expect("start cluster");
    assert!(cluster.bin_dir().join("initdb").is_file());
    assert_eq!(cluster.host(), "127.0.0.1");
    assert_ne!(cluster.port(), 0);
    assert_eq!(
        cluster.url("postgres"),
        format!("postgres://postgres@127.0.0.1:{}/postgres", cluster.port())
    );
    assert!(
        cluster.server_version_num() >= 140000,
        "{}",
        cluster.server_version_num()
    );

    let mut client = cluster.connect("postgres").expect("connect");
    let one: i32 = client.query_one("SELECT 1", &[]).expect("select").get(0);
    assert_eq!(one, 1);
    let setting = |client: &mut postgres::Client, name: &str| -> String {
        client
            .query_one("SELECT current_setting($1)", &[&name])
            .expect("current_setting")
            .get(0)
    };
    assert_eq!(
        setting(&mut client, "server_version_num"),
        cluster.server_version_num().to_string()
    );
    assert_eq!(setting(&mut client, "fsync"), "off");
    assert_eq!(setting(&mut client, "listen_addresses"), "127.0.0.1");
    assert_eq!(setting(&mut client, "server_encoding"), "UTF8");
    assert_eq!(setting(&mut client, "work_mem"), "7MB");
    assert_eq!(
        setting(&mut client, "search_path"),
        r#"public, "my schema""#
    );
    let user: String = client
        .query_one("SELECT current_user::text", &[])
        .expect("current_user")
        .get(0);
    assert_eq!(user, "postgres");

    // The URL is usable as is.
    let mut by_url =
        postgres::Client::connect(&cluster.url("postgres"), postgres::NoTls).expect("url");
    by_url.simple_query("SELECT 1").expect("query by url");

    // The server never runs as root.
    let pid = postmaster_pid(&cluster);
    let expected_uid = if is_root() {
        user_ids("postgres").0
    } else {
        unsafe { libc::geteuid() }
    };
    assert_eq!(process_uid(pid), expected_uid);
}

#[test]
fn create_database_gives_distinct_isolated_databases() {
    let cluster = shared_cluster().expect("shared cluster");
    assert!(std::ptr::eq(cluster, shared_cluster().expect("again")));

    let a = cluster.create_database().expect("create a");
    let b = cluster.create_database().expect("create b");
    assert_ne!(a, b);

    let mut ca = cluster.connect(&a).expect("connect a");
    let mut cb = cluster.connect(&b).expect("connect b");
    let current: String = ca
        .query_one("SELECT current_database()", &[])
        .expect("current_database")
        .get(0);
    assert_eq!(current, a);
    ca.batch_execute("CREATE TABLE only_in_a (id int)")
        .expect("create table");
    let in_a: bool = ca
        .query_one("SELECT to_regclass('only_in_a') IS NOT NULL", &[])
        .expect("regclass a")
        .get(0);
    let in_b: bool = cb
        .query_one("SELECT to_regclass('only_in_a') IS NOT NULL", &[])
        .expect("regclass b")
        .get(0);
    assert!(in_a);
    assert!(!in_b);
}

#[test]
fn drop_stops_the_server_and_removes_the_directory() {
    let cluster = Cluster::start().expect("start cluster");
    let dir = cluster.dir().to_path_buf();
    let port = cluster.port();
    let pid = postmaster_pid(&cluster);
    let mut client = cluster.connect("postgres").expect("connect");
    client.simple_query("SELECT 1").expect("query");
    assert!(dir.is_dir());
    assert!(process_alive(pid));
    assert!(port_open(port));

    drop(cluster);

    assert!(!dir.exists(), "{} still exists", dir.display());
    assert!(!process_alive(pid), "postmaster {pid} still running");
    assert!(client.simple_query("SELECT 1").is_err());
    assert!(!port_open(port), "port {port} still accepts connections");
}

#[test]
fn missing_bin_dir_gives_a_helpful_error() {
    let empty = tempfile::tempdir().expect("tempdir");
    let result = Cluster::start_with(ClusterOptions::default().bin_dir(empty.path()));
    let Err(error) = result else {
        panic!("a cluster started without binaries");
    };
    assert!(
        matches!(&error, PgError::BinariesNotFound { searched } if searched.len() == 1),
        "{error:?}"
    );
    let message = error.to_string();
    for needle in [
        empty.path().to_str().expect("utf-8 path"),
        "initdb",
        "apt-get install postgresql",
        "STRATA_PG_BINDIR",
        "--dev-url",
    ] {
        assert!(message.contains(needle), "{needle:?} not in {message:?}");
    }
}

#[test]
fn server_start_failure_reports_the_server_log() {
    let result = Cluster::start_with(ClusterOptions::default().setting("no_such_setting", "1"));
    let Err(error) = result else {
        panic!("a cluster started with an unknown setting");
    };
    let PgError::Process {
        program, output, ..
    } = &error
    else {
        panic!("expected a process error, got {error:?}");
    };
    assert_eq!(program, "pg_ctl start");
    assert!(
        output.contains(r#"unrecognized configuration parameter "no_such_setting""#),
        "{output}"
    );
}

fn fresh_client() -> (postgres::Client, String) {
    let cluster = shared_cluster().expect("shared cluster");
    let db = cluster.create_database().expect("create database");
    (cluster.connect(&db).expect("connect"), db)
}

fn server_error(result: Result<(), ApplyError>) -> strata_pg::ServerError {
    match result {
        Err(ApplyError::Server(e)) => *e,
        other => panic!("expected a server error, got {other:?}"),
    }
}

fn exists(client: &mut postgres::Client, table: &str) -> bool {
    client
        .query_one("SELECT to_regclass($1) IS NOT NULL", &[&table])
        .expect("to_regclass")
        .get(0)
}

#[test]
fn apply_sql_reports_the_failing_line_and_rolls_back() {
    let (mut client, _) = fresh_client();
    // Multi-byte characters before the error: PostgreSQL counts characters, not bytes.
    let sql = "CREATE TABLE café (id int PRIMARY KEY);\n\
               INSERT INTO café VALUES (1);\n\
               SELECT 'ééé' AS x, * FROM missing_table;\n\
               CREATE TABLE never (id int);\n";
    let error = server_error(apply_sql(&mut client, sql));
    assert_eq!(error.code, "42P01");
    assert_eq!(error.message, r#"relation "missing_table" does not exist"#);
    let pos = error.position.expect("position");
    assert_eq!((pos.line, pos.column), (3, 27));
    assert!(sql[pos.offset..].starts_with("missing_table"));
    assert!(
        error
            .to_string()
            .starts_with("line 3, column 27: relation \"missing_table\" does not exist"),
        "{error}"
    );
    // Nothing from the script survived.
    assert!(!exists(&mut client, "café"));
    assert!(!exists(&mut client, "never"));
}

#[test]
fn apply_sql_locates_syntax_errors() {
    let (mut client, _) = fresh_client();
    let sql = "CREATE TABLE a (id int);\n\n  CREATE TABEL b (id int);\n";
    let error = server_error(apply_sql(&mut client, sql));
    assert_eq!(error.code, "42601");
    let pos = error.position.expect("position");
    assert_eq!((pos.line, pos.column), (3, 10));
    assert!(!exists(&mut client, "a"));

    let sql = "CREATE TABLE a (id int);\nCREATE TABLE b (";
    let error = server_error(apply_sql(&mut client, sql));
    assert_eq!(error.message, "syntax error at end of input");
    let pos = error.position.expect("position");
    assert_eq!((pos.line, pos.column, pos.offset), (2, 17, sql.len()));
}

#[test]
fn apply_sql_reports_detail_and_hint() {
    let (mut client, _) = fresh_client();
    let sql = "CREATE TABLE t (id int PRIMARY KEY);\nINSERT INTO t VALUES (1), (1);";
    let error = server_error(apply_sql(&mut client, sql));
    assert_eq!(error.code, "23505");
    assert_eq!(
        error.detail.as_deref(),
        Some("Key (id)=(1) already exists.")
    );
    // The server gives no position for a constraint violation.
    assert_eq!(error.position, None);
    assert!(
        error
            .to_string()
            .ends_with("(SQLSTATE 23505)\nDETAIL: Key (id)=(1) already exists."),
        "{error}"
    );

    let sql = "SELECT 1;\nSELECT lower(1, 2);";
    let error = server_error(apply_sql(&mut client, sql));
    assert_eq!(error.code, "42883");
    assert_eq!(error.position.map(|p| (p.line, p.column)), Some((2, 8)));
    let hint = error.hint.clone().expect("hint");
    assert!(hint.contains("explicit type casts"), "{hint}");
    assert!(error.to_string().contains("\nHINT: "), "{error}");
}

#[test]
fn apply_sql_commits_a_good_script() {
    let (mut client, db) = fresh_client();
    let sql = "CREATE TABLE t (id int PRIMARY KEY);\nINSERT INTO t VALUES (1), (2);\n";
    apply_sql(&mut client, sql).expect("apply");
    // Visible from another session, so it was committed.
    let mut other = shared_cluster()
        .expect("shared cluster")
        .connect(&db)
        .expect("connect");
    let n: i64 = other
        .query_one("SELECT count(*) FROM t", &[])
        .expect("count")
        .get(0);
    assert_eq!(n, 2);
}

/// Starts a cluster as whoever we are (never root here) and checks it works.
fn start_cluster_as_normal_user() -> String {
    assert!(!is_root(), "must not run as root");
    let cluster = Cluster::start().expect("start cluster as a normal user");
    let mut client = cluster.connect("postgres").expect("connect");
    let one: i32 = client.query_one("SELECT 1", &[]).expect("select").get(0);
    assert_eq!(one, 1);
    let uid = unsafe { libc::geteuid() };
    assert_eq!(process_uid(postmaster_pid(&cluster)), uid);
    assert_eq!(
        std::fs::metadata(cluster.data_dir())
            .expect("data dir")
            .uid(),
        uid
    );
    let dir = cluster.dir().to_path_buf();
    drop(cluster);
    assert!(!dir.exists());
    format!("{MARKER} uid={uid}")
}

#[test]
fn starts_as_an_unprivileged_user() {
    const NAME: &str = "starts_as_an_unprivileged_user";
    if child_mode().as_deref() == Some("non_root") || !is_root() {
        println!("{}", start_cluster_as_normal_user());
        return;
    }

    // As root: run this test again as `postgres`, from a copy of the binary that user can
    // read (the target directory may sit somewhere it cannot reach, such as /root).
    let (uid, gid) = user_ids("postgres");
    let dir = tempfile::tempdir().expect("tempdir");
    std::os::unix::fs::chown(dir.path(), Some(uid), Some(gid)).expect("chown");
    let exe: PathBuf = dir.path().join("strata-pg-cluster-test");
    std::fs::copy(std::env::current_exe().expect("current exe"), &exe).expect("copy test binary");
    std::fs::set_permissions(&exe, std::fs::Permissions::from_mode(0o755)).expect("chmod");

    let output = self_command(&exe, NAME, "non_root")
        .uid(uid)
        .gid(gid)
        .current_dir(dir.path())
        .env("HOME", dir.path())
        .env("TMPDIR", dir.path())
        .output()
        .expect("run child");
    let line = marker_line(&output);
    assert_eq!(field(&marker_fields(&line), "uid"), uid.to_string());
}

fn print_shared_cluster_marker() {
    let cluster = shared_cluster().expect("shared cluster");
    let db = cluster.create_database().expect("create database");
    cluster.connect(&db).expect("connect");
    println!(
        "{MARKER} dir={} pid={} port={}",
        cluster.dir().display(),
        postmaster_pid(cluster),
        cluster.port()
    );
}

#[test]
fn shared_cluster_is_stopped_at_process_exit() {
    const NAME: &str = "shared_cluster_is_stopped_at_process_exit";
    if child_mode().as_deref() == Some("shared_exit") {
        print_shared_cluster_marker();
        return;
    }
    let exe = std::env::current_exe().expect("current exe");
    let output = self_command(&exe, NAME, "shared_exit")
        .output()
        .expect("run child");
    let fields = marker_fields(&marker_line(&output));
    // Checked at once: the exit hook runs before the process ends (the watchdog would lag).
    let dir = Path::new(field(&fields, "dir"));
    assert!(!dir.exists(), "{} still exists", dir.display());
    let pid: i32 = field(&fields, "pid").parse().expect("pid");
    assert!(!process_alive(pid), "postmaster {pid} still running");
}

#[test]
fn shared_cluster_is_stopped_when_the_process_is_killed() {
    const NAME: &str = "shared_cluster_is_stopped_when_the_process_is_killed";
    if child_mode().as_deref() == Some("shared_kill") {
        print_shared_cluster_marker();
        // Wait to be killed (SIGKILL: no exit hook runs, only the watchdog can clean up).
        std::thread::sleep(Duration::from_secs(120));
        return;
    }
    let exe = std::env::current_exe().expect("current exe");
    let mut child = self_command(&exe, NAME, "shared_kill")
        .stdout(Stdio::piped())
        .spawn()
        .expect("spawn child");
    let stdout = child.stdout.take().expect("child stdout");
    let line = BufReader::new(stdout)
        .lines()
        .map_while(Result::ok)
        .find_map(|l| find_marker(&l).map(str::to_string));
    let Some(line) = line else {
        let _ = child.kill();
        let status = child.wait();
        panic!("child gave no marker ({status:?})");
    };
    let fields = marker_fields(&line);
    let dir = PathBuf::from(field(&fields, "dir"));
    let pid: i32 = field(&fields, "pid").parse().expect("pid");
    assert!(dir.is_dir());
    assert!(process_alive(pid));

    child.kill().expect("kill child");
    child.wait().expect("reap child");

    let deadline = Instant::now() + Duration::from_secs(20);
    while (dir.exists() || process_alive(pid)) && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(50));
    }
    assert!(!process_alive(pid), "postmaster {pid} outlived its owner");
    assert!(!dir.exists(), "{} outlived its owner", dir.display());
}

/// The first cluster for a cache directory runs initdb and stores the template; the next
/// copies it. Both are complete clusters, owned by the server user.
#[test]
fn clusters_are_copied_from_a_cached_template() {
    const NAME: &str = "clusters_are_copied_from_a_cached_template";
    if child_mode().as_deref() == Some("template") {
        for _ in 0..2 {
            let cluster = Cluster::start().expect("cluster");
            let mut client = cluster.connect("postgres").expect("connect");
            let n: i64 = client
                .query_one("SELECT count(*) FROM pg_database", &[])
                .expect("query")
                .get(0);
            assert_eq!(n, 3, "template0, template1 and postgres");
            let owner = std::fs::metadata(cluster.data_dir().join("PG_VERSION"))
                .expect("PG_VERSION")
                .uid();
            let server_uid = process_uid(postmaster_pid(&cluster));
            assert_eq!(owner, server_uid, "data files belong to the server user");
            let mode = std::fs::metadata(cluster.data_dir())
                .expect("data dir")
                .mode();
            assert_eq!(mode & 0o077, 0, "data directory mode {mode:o}");
        }
        println!("{MARKER} ok=1");
        return;
    }
    let cache = tempfile::tempdir().expect("cache dir");
    let exe = std::env::current_exe().expect("current exe");
    let output = self_command(&exe, NAME, "template")
        .env(strata_pg::CACHE_DIR_ENV, cache.path())
        .env_remove(strata_pg::TEMPLATE_ENV)
        .output()
        .expect("run child");
    marker_line(&output);
    let templates: Vec<_> = std::fs::read_dir(cache.path().join("pg-templates"))
        .expect("template directory")
        .filter_map(Result::ok)
        .filter(|e| e.path().join("PG_VERSION").is_file())
        .collect();
    assert_eq!(templates.len(), 1, "one template for one installation");
    let template = templates[0].path();
    assert!(
        !template.join("postmaster.pid").exists(),
        "template taken from a running server"
    );
}
