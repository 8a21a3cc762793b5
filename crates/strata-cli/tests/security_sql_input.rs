//! Hostile `.sql` input through the real binary: each attempt to reach the host (run a
//! program, read a file, become a superuser, change the server, run forever) is refused with
//! its own diagnostic code, and the host shows no trace of it.

mod common;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use common::*;

/// A value that must never leave the strata process.
fn canary() -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    format!("canary{}x{nanos}", std::process::id())
}

struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
    elapsed: Duration,
}

impl Run {
    fn output(&self) -> String {
        format!("{}{}", self.stdout, self.stderr)
    }
}

/// `strata <command> file.sql` with `sql` in the file, a canary in the environment, and a
/// short SQL time limit.
fn run_on(command: &[&str], dir: &Path, sql: &str, secret: &str) -> Run {
    let file = dir.join("schema.sql");
    std::fs::write(&file, sql).expect("write SQL");
    let started = Instant::now();
    let out = strata()
        .args(["--sql-timeout", "3"])
        .args(command)
        .arg(&file)
        .env("STRATA_SECURITY_CANARY", secret)
        .output()
        .expect("run strata");
    Run {
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        elapsed: started.elapsed(),
    }
}

/// A directory the server user (`postgres`, when the tests run as root) may write into.
fn shared_dir() -> tempfile::TempDir {
    let dir = tempfile::Builder::new()
        .prefix("strata-sec-")
        .tempdir_in("/tmp")
        .expect("temp dir");
    set_mode(dir.path(), 0o777);
    dir
}

fn set_mode(path: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).expect("chmod");
}

/// A file holding `secret`, readable by everyone (so only privileges stand in the way).
fn secret_file(dir: &Path, secret: &str) -> PathBuf {
    let path = dir.join("secret.txt");
    std::fs::write(&path, format!("{secret}\n")).expect("write secret");
    set_mode(&path, 0o644);
    path
}

/// Asserts a refusal: exit code 2, the code in the output, the canary nowhere.
fn assert_refused(run: &Run, code: &str, secret: &str) {
    let all = run.output();
    assert_eq!(run.code, Some(2), "{all}");
    assert!(all.contains(code), "expected {code}:\n{all}");
    assert!(!all.contains(secret), "the secret leaked:\n{all}");
}

#[test]
fn copy_to_program_is_refused_and_runs_nothing() {
    let dir = shared_dir();
    let secret = canary();
    let marker = dir.path().join("env-dump");
    let sql = format!(
        "CREATE TABLE t (id int PRIMARY KEY);\nCOPY (SELECT 1) TO PROGRAM 'env > {}';\n",
        marker.display()
    );
    let run = run_on(&["check"], dir.path(), &sql, &secret);
    assert_refused(&run, "E6007", &secret);
    assert!(run.stderr.contains("schema.sql:2:1"), "{}", run.stderr);
    assert!(!marker.exists(), "the program ran");
}

#[test]
fn copy_from_program_and_from_a_file_are_refused() {
    let dir = shared_dir();
    let secret = canary();
    let file = secret_file(dir.path(), &secret);
    let marker = dir.path().join("ran");
    for sql in [
        format!(
            "CREATE TABLE t (line text);\nCOPY t FROM PROGRAM 'touch {}';\n",
            marker.display()
        ),
        format!(
            "CREATE TABLE t (line text);\nCOPY t FROM '{}';\nDO $$ BEGIN EXECUTE format('COMMENT ON TABLE t IS %L', (SELECT line FROM t)); END $$;\n",
            file.display()
        ),
        format!(
            "CREATE TABLE t (line text);\nCOPY t TO '{}';\n",
            dir.path().join("written").display()
        ),
    ] {
        let run = run_on(&["inspect", "--format", "sql"], dir.path(), &sql, &secret);
        assert_refused(&run, "E6007", &secret);
        assert!(run.stdout.is_empty(), "{}", run.stdout);
    }
    assert!(!marker.exists(), "the program ran");
    assert!(!dir.path().join("written").exists(), "a file was written");
}

#[test]
fn reading_server_files_is_refused() {
    let dir = shared_dir();
    let secret = canary();
    let file = secret_file(dir.path(), &secret);
    for read in [
        format!("pg_read_file('{}')", file.display()),
        format!("pg_read_binary_file('{}')::text", file.display()),
        format!("lo_import('{}')::text", file.display()),
        "(SELECT string_agg(f, ',') FROM pg_ls_dir('/') f)".to_string(),
    ] {
        let sql = format!(
            "CREATE TABLE t (id int PRIMARY KEY);\nDO $$ BEGIN EXECUTE format('COMMENT ON TABLE t IS %L', {read}); END $$;\n"
        );
        let run = run_on(&["inspect", "--format", "sql"], dir.path(), &sql, &secret);
        assert_refused(&run, "E6007", &secret);
    }
}

#[test]
fn becoming_a_superuser_or_changing_the_server_is_refused() {
    let dir = shared_dir();
    let secret = canary();
    for (sql, code) in [
        ("SET ROLE strata_superuser;\n", "E6007"),
        ("SET SESSION AUTHORIZATION strata_superuser;\n", "E6007"),
        ("ALTER ROLE postgres SUPERUSER;\n", "E6007"),
        ("GRANT pg_execute_server_program TO postgres;\n", "E6007"),
        (
            "CREATE FUNCTION f() RETURNS int AS 'libc.so.6', 'getpid' LANGUAGE c;\n",
            "E6007",
        ),
        (
            "ALTER SYSTEM SET shared_preload_libraries = 'x';\n",
            "E6007",
        ),
    ] {
        let sql = format!("CREATE TABLE t (id int PRIMARY KEY);\n{sql}");
        let run = run_on(&["check"], dir.path(), &sql, &secret);
        assert_refused(&run, code, &secret);
        assert!(
            run.stderr.contains("schema.sql:2:1"),
            "{sql}: {}",
            run.stderr
        );
    }
}

#[test]
fn untrusted_extensions_are_refused_before_anything_runs() {
    let dir = shared_dir();
    let secret = canary();
    for ext in ["file_fdw", "adminpack", "dblink"] {
        let sql = format!("CREATE TABLE t (id int);\nCREATE EXTENSION IF NOT EXISTS {ext};\n");
        let run = run_on(&["check"], dir.path(), &sql, &secret);
        assert_refused(&run, "E6009", &secret);
        assert!(run.stderr.contains(ext), "{}", run.stderr);
    }
}

#[test]
fn trusted_extensions_that_schemas_use_still_work() {
    let dir = shared_dir();
    let sql = "CREATE EXTENSION IF NOT EXISTS pgcrypto WITH SCHEMA public;\n\
               CREATE EXTENSION citext;\n\
               CREATE EXTENSION pg_trgm;\n\
               CREATE EXTENSION \"uuid-ossp\";\n\
               CREATE EXTENSION btree_gist;\n\
               CREATE EXTENSION hstore;\n\
               CREATE TABLE t (id uuid PRIMARY KEY DEFAULT gen_random_uuid(), email citext, tags hstore);\n\
               CREATE INDEX t_email_trgm ON t USING gin ((email::text) gin_trgm_ops);\n";
    let run = run_on(&["inspect", "--format", "sql"], dir.path(), sql, "unused");
    assert_eq!(run.code, Some(0), "{}", run.output());
    for ext in [
        "pgcrypto",
        "citext",
        "pg_trgm",
        "\"uuid-ossp\"",
        "btree_gist",
        "hstore",
    ] {
        assert!(
            run.stdout
                .contains(&format!("CREATE EXTENSION IF NOT EXISTS {ext}")),
            "{ext} missing:\n{}",
            run.stdout
        );
    }
}

#[test]
fn a_harmless_untrusted_extension_is_installed_for_the_file() {
    let dir = shared_dir();
    let sql = "CREATE EXTENSION IF NOT EXISTS pg_stat_statements WITH SCHEMA public;\n";
    let run = run_on(&["inspect", "--format", "sql"], dir.path(), sql, "unused");
    assert!(run.code != Some(2), "{}", run.output());
    assert!(
        run.stdout
            .contains("CREATE EXTENSION IF NOT EXISTS pg_stat_statements"),
        "{}",
        run.stdout
    );
    // Without IF NOT EXISTS it cannot be installed first: said, not failed obscurely.
    let run = run_on(
        &["check"],
        dir.path(),
        "CREATE EXTENSION pg_stat_statements;\n",
        "unused",
    );
    assert_refused(&run, "E6009", "unused-canary");
}

#[test]
fn roles_the_file_names_still_own_and_get_grants() {
    let dir = shared_dir();
    let sql = "CREATE SCHEMA app;\n\
               ALTER SCHEMA app OWNER TO app_owner;\n\
               CREATE TABLE app.t (id int PRIMARY KEY);\n\
               ALTER TABLE app.t OWNER TO app_writer;\n\
               CREATE TABLE public.u (id int PRIMARY KEY);\n\
               ALTER TABLE public.u OWNER TO app_writer;\n\
               GRANT SELECT ON app.t TO app_reader;\n";
    let run = run_on(&["inspect", "--format", "sql"], dir.path(), sql, "unused");
    assert_eq!(run.code, Some(0), "{}", run.output());
    assert!(run.stderr.contains("I6005"), "{}", run.stderr);
    assert!(
        run.stdout
            .contains("GRANT SELECT ON TABLE app.t TO app_reader"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("ALTER SCHEMA app OWNER TO app_owner"),
        "{}",
        run.stdout
    );
    assert!(
        !run.stdout.contains("strata_"),
        "a helper of the sandbox leaked into the model:\n{}",
        run.stdout
    );
}

#[test]
fn pg_sleep_is_cut_off_by_the_time_limit() {
    let dir = shared_dir();
    let sql = "CREATE TABLE t (id int);\nSET statement_timeout = 0;\nSELECT pg_sleep(1000);\n";
    let run = run_on(&["check"], dir.path(), sql, "unused");
    assert_refused(&run, "E6008", "unused-canary");
    assert!(run.elapsed < Duration::from_secs(30), "{:?}", run.elapsed);
}

#[test]
fn an_endless_loop_is_cut_off_by_the_time_limit() {
    let dir = shared_dir();
    let sql = "SET statement_timeout = 0;\nCREATE TABLE t (id int);\nDO $$ BEGIN LOOP END LOOP; END $$;\n";
    let run = run_on(&["inspect", "--format", "sql"], dir.path(), sql, "unused");
    assert_refused(&run, "E6008", "unused-canary");
    assert!(run.elapsed < Duration::from_secs(30), "{:?}", run.elapsed);
}

/// A signal to send to a `strata` busy applying an endless `.sql` file.
#[derive(Clone, Copy, Debug)]
enum Stop {
    Kill,
    Interrupt,
    Terminate,
}

/// The throwaway cluster directory `strata` made under `tmp`, once its server runs.
fn wait_for_cluster(tmp: &Path, deadline: Instant) -> PathBuf {
    loop {
        let found = std::fs::read_dir(tmp).ok().and_then(|entries| {
            entries
                .filter_map(Result::ok)
                .map(|e| e.path())
                .find(|p| p.join("data/postmaster.pid").is_file())
        });
        if let Some(dir) = found {
            return dir;
        }
        assert!(Instant::now() < deadline, "no cluster appeared in {tmp:?}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Connects to the cluster in `dir` as its superuser, through its socket (trusted locally),
/// once it accepts connections.
fn superuser_client(dir: &Path, deadline: Instant) -> postgres::Client {
    loop {
        let port: Option<u16> = std::fs::read_to_string(dir.join("data/postmaster.pid"))
            .ok()
            .and_then(|f| f.lines().nth(3).and_then(|l| l.trim().parse().ok()));
        if let Some(port) = port {
            let mut config = postgres::Config::new();
            config
                .host_path(dir.join("sock"))
                .port(port)
                .user("strata_superuser")
                .dbname("postgres");
            match config.connect(postgres::NoTls) {
                Ok(client) => return client,
                Err(e) => assert!(Instant::now() < deadline, "cannot connect: {e}"),
            }
        }
        assert!(Instant::now() < deadline, "the server never started");
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn process_alive(pid: i32) -> bool {
    Path::new(&format!("/proc/{pid}")).exists()
        && std::fs::read_to_string(format!("/proc/{pid}/stat"))
            .map(|s| !s.contains(") Z "))
            .unwrap_or(false)
}

/// Starts `strata check` on an endless file, waits until the loop runs on its server, stops
/// strata with `stop`, and checks that the server and its directory are gone within seconds.
fn server_dies_with_strata(stop: Stop) {
    let tmp = tempfile::Builder::new()
        .prefix("wd-")
        .tempdir_in("/tmp")
        .expect("temp dir");
    // The server user removes the cluster directory from here, as from /tmp itself.
    set_mode(tmp.path(), 0o1777);
    let file = tmp.path().join("endless.sql");
    std::fs::write(
        &file,
        "CREATE TABLE t (id int);\nSET statement_timeout = 0;\nDO $$ BEGIN LOOP END LOOP; END $$;\n",
    )
    .expect("write SQL");
    let secret = canary();
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("strata"))
        .args(["--sql-timeout", "600", "check"])
        .arg(&file)
        .env("TMPDIR", tmp.path())
        .env("STRATA_SECURITY_CANARY", &secret)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("start strata");
    let deadline = Instant::now() + Duration::from_secs(60);
    let dir = wait_for_cluster(tmp.path(), deadline);
    let mut client = superuser_client(&dir, deadline);
    let backend: i32 = loop {
        let row = client
            .query_opt(
                "SELECT pid FROM pg_stat_activity WHERE state = 'active' AND query LIKE '%LOOP END LOOP%' AND pid <> pg_backend_pid()",
                &[],
            )
            .expect("pg_stat_activity");
        if let Some(row) = row {
            break row.get(0);
        }
        assert!(Instant::now() < deadline, "the loop never started");
        std::thread::sleep(Duration::from_millis(50));
    };
    let postmaster: i32 = std::fs::read_to_string(dir.join("data/postmaster.pid"))
        .expect("pid file")
        .lines()
        .next()
        .and_then(|l| l.trim().parse().ok())
        .expect("postmaster pid");
    // The server was started with nothing of our environment.
    let environ = std::fs::read(format!("/proc/{postmaster}/environ")).expect("environ");
    let environ = String::from_utf8_lossy(&environ);
    assert!(!environ.contains(&secret), "server environment: {environ}");
    assert!(!environ.contains("CARGO"), "server environment: {environ}");
    drop(client);

    let signal = match stop {
        Stop::Kill => libc::SIGKILL,
        Stop::Interrupt => libc::SIGINT,
        Stop::Terminate => libc::SIGTERM,
    };
    let strata_pid = i32::try_from(child.id()).expect("pid");
    // SAFETY: kill(2) on our own child's pid.
    assert_eq!(unsafe { libc::kill(strata_pid, signal) }, 0);
    let _ = child.wait();

    let gone_by = Instant::now() + Duration::from_secs(10);
    while (dir.exists() || process_alive(postmaster) || process_alive(backend))
        && Instant::now() < gone_by
    {
        std::thread::sleep(Duration::from_millis(50));
    }
    assert!(
        !process_alive(backend),
        "{stop:?}: the looping backend survived"
    );
    assert!(!process_alive(postmaster), "{stop:?}: the server survived");
    assert!(!dir.exists(), "{stop:?}: {} was left behind", dir.display());
}

#[test]
fn the_server_dies_with_strata_on_sigkill() {
    server_dies_with_strata(Stop::Kill);
}

#[test]
fn the_server_dies_with_strata_on_sigint() {
    server_dies_with_strata(Stop::Interrupt);
}

#[test]
fn the_server_dies_with_strata_on_sigterm() {
    server_dies_with_strata(Stop::Terminate);
}

#[test]
fn transaction_control_is_refused_instead_of_losing_part_of_the_file() {
    let dir = shared_dir();
    for (sql, line) in [
        (
            "CREATE TABLE a (id int);\nROLLBACK;\nCREATE TABLE b (id int);\n",
            2,
        ),
        (
            "BEGIN;\nCREATE TABLE a (id int);\nCOMMIT;\nCREATE TABLE b (id int);\n",
            1,
        ),
        ("CREATE TABLE a (id int);\nCOMMIT;\n", 2),
        (
            "CREATE TABLE a (id int);\nSAVEPOINT s;\nCREATE TABLE b (id int);\nROLLBACK TO s;\n",
            2,
        ),
        // A backslash-escaped quote does not hide what follows it.
        (
            "CREATE TABLE a (note text DEFAULT E'\\'');\nROLLBACK;\nCREATE TABLE b (id int); -- '\n",
            2,
        ),
    ] {
        let run = run_on(&["inspect", "--format", "sql"], dir.path(), sql, "unused");
        assert_refused(&run, "E6010", "unused-canary");
        assert!(
            run.stderr.contains(&format!("schema.sql:{line}:1")),
            "{sql}: {}",
            run.stderr
        );
        assert!(
            run.stdout.is_empty(),
            "a model was printed:\n{}",
            run.stdout
        );
    }
    // One transaction around the whole file (as pg_restore --single-transaction writes it)
    // is what Strata does anyway: skipped with a note.
    let sql = "BEGIN;\nCREATE TABLE a (id int);\nCREATE TABLE b (id int);\nCOMMIT;\n";
    let run = run_on(&["inspect", "--format", "sql"], dir.path(), sql, "unused");
    assert_eq!(run.code, Some(0), "{}", run.output());
    assert!(run.stderr.contains("I6011"), "{}", run.stderr);
    assert!(
        run.stdout.contains("CREATE TABLE public.a")
            && run.stdout.contains("CREATE TABLE public.b"),
        "{}",
        run.stdout
    );
    // Transaction control inside routine bodies is fine.
    let sql = "CREATE FUNCTION f() RETURNS int LANGUAGE plpgsql AS $$ BEGIN RETURN 1; END $$;\n\
               CREATE FUNCTION g() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; END;\n\
               CREATE TABLE t (id int);\n";
    let run = run_on(&["check"], dir.path(), sql, "unused");
    // A warning that BEGIN ATOMIC bodies are not modelled, but no error.
    assert!(run.code != Some(2), "{}", run.output());
    assert!(!run.output().contains("E6010"), "{}", run.output());
}
