//! Passwords go to the server during authentication and nowhere else. Every shape of
//! connection string people paste (libpq URLs, SQLAlchemy and JDBC URLs, URLs with
//! unencoded `/`, `?`, `@` in the password, scheme-less and misspelt URLs, `key=value`
//! strings) is driven through every command and every place a URL goes (SRC, `--url`,
//! `--dev-url`, `DATABASE_URL`, `PGPASSWORD`), against a closed port, a real server that
//! refuses the password, a real server that accepts it, and a listener that is not
//! PostgreSQL. Standard output, standard error and every file written are searched for the
//! password, its percent-encoded form and each distinctive fragment of it.

mod common;

use std::io::{Read, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicUsize, Ordering};

use strata_pg::{Cluster, ClusterOptions};

/// Each holds characters that break naive URL handling: `/` and `?` (end the authority),
/// `@` and `:` (split the user part), `&`, `=`, `%`, `'`, space and backslash.
const PASSWORDS: &[&str] = &[
    "S3cr3t-Pa55/W0rdz?Qx9zk",
    "Hunt3r2@Zebra9:Lion7#Kpq4v",
    "Tr0ub4dor&x=Yolk5%Mq3'Vv8 Gnu42\\Rft6",
];

/// The wrong-password role.
const ALICE: &str = "alice";
const ALICE_PASSWORD: &str = "not-any-of-the-test-passwords";

fn encode(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
                char::from(b).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// What must never be printed for `password`: itself, its encoded form, and every run of
/// five or more characters between URL delimiters (a password cut at an unencoded `/`
/// leaks its first half as a "port" or a "path").
fn forbidden(password: &str) -> Vec<String> {
    let mut out = vec![password.to_string(), encode(password)];
    out.extend(
        password
            .split(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))
            .filter(|f| f.len() >= 5)
            .map(str::to_string),
    );
    out
}

struct Fixture {
    cluster: Cluster,
    _watchdog: std::process::ChildStdin,
    /// A port nothing listens on.
    closed_port: u16,
    /// A port where something that is not PostgreSQL answers.
    http_port: u16,
    /// Scratch files: a schema, an SQL file, a migrations folder.
    dir: tempfile::TempDir,
}

impl Fixture {
    fn dev_url(&self) -> String {
        format!(
            "postgres:///postgres?host={}&port={}&user=postgres",
            self.cluster.socket_dir().display(),
            self.cluster.port()
        )
    }
    fn schema(&self) -> PathBuf {
        self.dir.path().join("schema.strata")
    }
    fn sql(&self) -> PathBuf {
        self.dir.path().join("input.sql")
    }
    fn migrations(&self) -> PathBuf {
        self.dir.path().join("migrations")
    }
    /// A design with an access pattern, for `seed` and `verify`.
    fn workload(&self) -> PathBuf {
        self.dir.path().join("workload.strata")
    }
}

fn fixture() -> &'static Fixture {
    static FIXTURE: OnceLock<Fixture> = OnceLock::new();
    FIXTURE.get_or_init(|| {
        let cluster = Cluster::start_with(
            ClusterOptions::default()
                .hba_conf("local all all trust\nhost all all 127.0.0.1/32 scram-sha-256\n"),
        )
        .expect("cluster");
        let watchdog = cluster.spawn_watchdog().expect("watchdog");
        let mut admin = cluster.connect_local("postgres").expect("admin");
        let mut setup = format!("CREATE ROLE {ALICE} LOGIN PASSWORD '{ALICE_PASSWORD}';");
        for (i, password) in PASSWORDS.iter().enumerate() {
            setup.push_str(&format!(
                "CREATE ROLE bob{i} LOGIN SUPERUSER PASSWORD '{}';",
                password.replace('\'', "''")
            ));
        }
        admin.batch_execute(&setup).expect("roles");
        admin
            .batch_execute("CREATE DATABASE app")
            .expect("database");
        let mut app = cluster.connect_local("app").expect("app");
        app.batch_execute(
            "CREATE TABLE account (id bigint PRIMARY KEY, email text NOT NULL UNIQUE);
             COMMENT ON TABLE account IS 'people who sign in';",
        )
        .expect("app schema");

        let closed_port = {
            let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
            listener.local_addr().expect("addr").port()
        };
        let http = TcpListener::bind("127.0.0.1:0").expect("bind");
        let http_port = http.local_addr().expect("addr").port();
        std::thread::spawn(move || {
            for stream in http.incoming() {
                let Ok(mut stream) = stream else { continue };
                let mut buf = [0u8; 512];
                let _ = stream.read(&mut buf);
                let _ = stream.write_all(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n");
            }
        });

        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::write(
            dir.path().join("schema.strata"),
            "entity Note {\n  body text\n}\n",
        )
        .expect("schema");
        std::fs::write(dir.path().join("input.sql"), "CREATE TABLE t (id int);\n").expect("sql");
        std::fs::write(
            dir.path().join("workload.strata"),
            "entity Memo {\n  body text\n  access memos 10/s \"\"\"\n    SELECT id, body FROM memos WHERE id = $1 \"\"\"\n}\n",
        )
        .expect("workload");
        let migrations = dir.path().join("migrations");
        std::fs::create_dir(&migrations).expect("migrations");
        std::fs::write(
            migrations.join("0001_init.up.sql"),
            "CREATE TABLE t (id int);\n",
        )
        .expect("up");
        std::fs::write(migrations.join("0001_init.down.sql"), "DROP TABLE t;\n").expect("down");
        let hashed = common::strata()
            .args(["migrate", "hash", "--dir"])
            .arg(&migrations)
            .output()
            .expect("migrate hash");
        assert!(
            hashed.status.success(),
            "{}",
            String::from_utf8_lossy(&hashed.stderr)
        );
        Fixture {
            cluster,
            _watchdog: watchdog,
            closed_port,
            http_port,
            dir,
        }
    })
}

/// Where the connection string points.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Server {
    /// Connection refused.
    Closed,
    /// PostgreSQL, and the password is wrong.
    WrongPassword,
    /// PostgreSQL, and the password is right (the command may succeed).
    RightPassword,
    /// Something else answers.
    NotPostgres,
}

const SERVERS: [Server; 4] = [
    Server::Closed,
    Server::WrongPassword,
    Server::RightPassword,
    Server::NotPostgres,
];

struct Target {
    host: &'static str,
    port: u16,
    user: String,
}

fn target(server: Server, password_index: usize) -> Target {
    let f = fixture();
    let (port, user) = match server {
        Server::Closed => (f.closed_port, ALICE.to_string()),
        Server::WrongPassword => (f.cluster.port(), ALICE.to_string()),
        Server::RightPassword => (f.cluster.port(), format!("bob{password_index}")),
        Server::NotPostgres => (f.http_port, ALICE.to_string()),
    };
    Target {
        host: "127.0.0.1",
        port,
        user,
    }
}

/// Every shape, by name: (name, connection string, whether it is a URL-like shape that must
/// never be taken for a file name).
fn shapes(p: &str, t: &Target) -> Vec<(&'static str, String)> {
    let e = encode(p);
    let (h, n, u) = (t.host, t.port, &t.user);
    let quoted = p.replace('\\', "\\\\").replace('\'', "\\'");
    vec![
        ("url", format!("postgres://{u}:{e}@{h}:{n}/app")),
        ("url-unencoded", format!("postgres://{u}:{p}@{h}:{n}/app")),
        (
            "postgresql-unencoded",
            format!("postgresql://{u}:{p}@{h}:{n}/app"),
        ),
        (
            "sqlalchemy-psycopg",
            format!("postgresql+psycopg://{u}:{e}@{h}:{n}/app"),
        ),
        (
            "sqlalchemy-psycopg2",
            format!("postgresql+psycopg2://{u}:{e}@{h}:{n}/app"),
        ),
        (
            "sqlalchemy-asyncpg-unencoded",
            format!("postgresql+asyncpg://{u}:{p}@{h}:{n}/app"),
        ),
        (
            "jdbc",
            format!("jdbc:postgresql://{h}:{n}/app?user={u}&password={e}"),
        ),
        (
            "jdbc-unencoded",
            format!("jdbc:postgresql://{h}:{n}/app?user={u}&password={p}"),
        ),
        ("pg-scheme", format!("pg://{u}:{p}@{h}:{n}/app")),
        ("no-scheme", format!("{u}:{p}@{h}:{n}/app")),
        ("one-slash", format!("postgres:/{u}:{p}@{h}:{n}/app")),
        ("no-colon", format!("postgres//{u}:{e}@{h}:{n}/app")),
        (
            "keyword",
            format!("host={h} port={n} user={u} dbname=app password='{quoted}'"),
        ),
        (
            "keyword-colon",
            format!("host={h} port={n} user={u} dbname=app password:{p}"),
        ),
        (
            "keyword-password-first",
            format!("password={p} host={h} port={n} user={u} dbname=app"),
        ),
        (
            "url-missing-root-cert",
            format!(
                "postgres://{u}:{e}@{h}:{n}/app?sslmode=verify-full&sslrootcert=/nonexistent/root.crt"
            ),
        ),
    ]
}

/// A place a connection string goes, and the command line around it.
#[derive(Clone, Copy, Debug)]
enum Place {
    /// The SRC argument of a reading command.
    Src(&'static [&'static str]),
    /// `migrate ... --url X`.
    MigrateUrl(&'static str),
    /// `DATABASE_URL=X strata migrate ...`.
    MigrateEnv(&'static str),
    /// `apply --to schema.strata X`.
    ApplyUrl,
    /// `DATABASE_URL=X strata apply --to schema.strata`.
    ApplyEnv,
    /// `apply --to X <dev server>`.
    ApplyTo,
    /// `--dev-url X` with SQL input.
    DevUrl(&'static [&'static str]),
    /// `diff --from X` / `diff --to X`.
    DiffFrom,
    DiffTo,
    /// `migrate new NAME --schema X`.
    MigrateNewSchema,
    /// `seed workload.strata X` (the database lacks its table: refused before any write).
    Seed,
    /// `verify workload.strata --url X`: a database of its own on X, dropped afterwards.
    Verify,
}

const GEN_TARGETS: &[&str] = &[
    "sqlmodel", "alembic", "drizzle", "rust", "mermaid", "dbml", "tbls", "seed-sql",
];

fn places() -> Vec<Place> {
    let mut out = vec![
        Place::Src(&["check"]),
        Place::Src(&["check", "--format", "json"]),
        Place::Src(&["build"]),
        Place::Src(&["build", "--format", "json"]),
        Place::Src(&["inspect"]),
        Place::Src(&["inspect", "--format", "sql"]),
        Place::Src(&["docs"]),
        Place::Src(&["docs", "--format", "html"]),
    ];
    for target in GEN_TARGETS {
        out.push(Place::Src(match *target {
            "sqlmodel" => &["gen", "sqlmodel"],
            "alembic" => &["gen", "alembic"],
            "drizzle" => &["gen", "drizzle"],
            "rust" => &["gen", "rust"],
            "mermaid" => &["gen", "mermaid"],
            "dbml" => &["gen", "dbml"],
            "tbls" => &["gen", "tbls"],
            _ => &["gen", "seed-sql"],
        }));
    }
    for action in ["status", "apply", "down", "verify"] {
        out.push(Place::MigrateUrl(action));
        out.push(Place::MigrateEnv(action));
    }
    out.extend([
        Place::ApplyUrl,
        Place::ApplyEnv,
        Place::ApplyTo,
        Place::DevUrl(&["check"]),
        Place::DevUrl(&["build"]),
        Place::DevUrl(&["inspect"]),
        Place::DevUrl(&["diff"]),
        Place::DevUrl(&["migrate", "new"]),
        Place::DiffFrom,
        Place::DiffTo,
        Place::MigrateNewSchema,
        Place::Seed,
        Place::Verify,
    ]);
    out
}

/// Whether running `place` with a working connection would change a database (those runs
/// point at the real server only with the wrong password).
fn writes(place: Place) -> bool {
    matches!(
        place,
        Place::MigrateUrl("apply" | "down")
            | Place::MigrateEnv("apply" | "down")
            | Place::ApplyUrl
            | Place::ApplyEnv
            | Place::ApplyTo
    )
}

struct Run {
    args: Vec<String>,
    env: Vec<(&'static str, String)>,
    /// A folder the command may write into, searched afterwards.
    out: Option<tempfile::TempDir>,
}

fn run_for(place: Place, conn: &str) -> Run {
    let f = fixture();
    let s = |p: &Path| p.display().to_string();
    let mut env = Vec::new();
    let mut out = None;
    let args: Vec<String> = match place {
        Place::Src(cmd) => {
            let mut a: Vec<String> = cmd.iter().map(|s| s.to_string()).collect();
            a.push(conn.to_string());
            if cmd[0] == "docs" || cmd[0] == "gen" {
                let dir = tempfile::tempdir().expect("out dir");
                a.push("--out".into());
                a.push(s(dir.path()));
                out = Some(dir);
            }
            a
        }
        Place::MigrateUrl(action) => vec![
            "migrate".into(),
            action.into(),
            "--dir".into(),
            s(&f.migrations()),
            "--url".into(),
            conn.into(),
        ],
        Place::MigrateEnv(action) => {
            env.push(("DATABASE_URL", conn.to_string()));
            vec![
                "migrate".into(),
                action.into(),
                "--dir".into(),
                s(&f.migrations()),
            ]
        }
        Place::ApplyUrl => vec![
            "apply".into(),
            "--yes".into(),
            "--to".into(),
            s(&f.schema()),
            conn.into(),
            "--dev-url".into(),
            f.dev_url(),
        ],
        Place::ApplyEnv => {
            env.push(("DATABASE_URL", conn.to_string()));
            vec![
                "apply".into(),
                "--yes".into(),
                "--to".into(),
                s(&f.schema()),
                "--dev-url".into(),
                f.dev_url(),
            ]
        }
        Place::ApplyTo => {
            // Without --yes and with no terminal nothing is applied: only the reading of
            // --to matters.
            vec![
                "apply".into(),
                "--to".into(),
                conn.into(),
                f.dev_url(),
                "--dev-url".into(),
                f.dev_url(),
            ]
        }
        Place::DevUrl(cmd) => {
            let mut a: Vec<String> = cmd.iter().map(|s| s.to_string()).collect();
            match cmd[0] {
                "diff" => a.extend(["--from".into(), s(&f.sql()), "--to".into(), s(&f.schema())]),
                "migrate" => a.extend([
                    "later".into(),
                    "--dir".into(),
                    s(&f.migrations()),
                    "--schema".into(),
                    s(&f.sql()),
                ]),
                _ => a.push(s(&f.sql())),
            }
            a.push("--dev-url".into());
            a.push(conn.into());
            a
        }
        Place::DiffFrom => vec![
            "diff".into(),
            "--from".into(),
            conn.into(),
            "--to".into(),
            s(&f.schema()),
            "--dev-url".into(),
            f.dev_url(),
        ],
        Place::DiffTo => vec![
            "diff".into(),
            "--from".into(),
            s(&f.schema()),
            "--to".into(),
            conn.into(),
            "--dev-url".into(),
            f.dev_url(),
        ],
        Place::Seed => vec![
            "seed".into(),
            s(&f.workload()),
            conn.into(),
            "--rows".into(),
            "memos=20".into(),
        ],
        Place::Verify => vec![
            "verify".into(),
            s(&f.workload()),
            "--url".into(),
            conn.into(),
            "--rows".into(),
            "memos=20".into(),
            "--runs".into(),
            "2".into(),
            "--duration".into(),
            "0.1".into(),
        ],
        Place::MigrateNewSchema => {
            // A copy of the folder per run: a successful run writes a migration into it.
            let dir = tempfile::tempdir().expect("migrations copy");
            for entry in std::fs::read_dir(f.migrations()).expect("read migrations") {
                let entry = entry.expect("entry");
                std::fs::copy(entry.path(), dir.path().join(entry.file_name())).expect("copy");
            }
            let a = vec![
                "migrate".into(),
                "new".into(),
                "later".into(),
                "--dir".into(),
                s(dir.path()),
                "--schema".into(),
                conn.into(),
                "--dev-url".into(),
                f.dev_url(),
            ];
            out = Some(dir);
            a
        }
    };
    Run { args, env, out }
}

/// One finding: the command line, the place, and what leaked.
struct Leak {
    what: String,
}

fn execute(run: &Run, home: &Path) -> std::process::Output {
    let mut cmd = common::strata();
    cmd.args(&run.args)
        .env("HOME", home)
        .env("PGCONNECT_TIMEOUT", "5")
        .write_stdin("");
    for var in [
        "DATABASE_URL",
        "PGPASSWORD",
        "PGHOST",
        "PGPORT",
        "PGUSER",
        "PGDATABASE",
        "PGPASSFILE",
        "PGSSLMODE",
        "PGSERVICE",
    ] {
        cmd.env_remove(var);
    }
    for (k, v) in &run.env {
        cmd.env(k, v);
    }
    cmd.output().expect("run strata")
}

fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push(p);
            }
        }
    }
    out
}

/// Checks one run; returns what leaked (one finding per output that leaked).
fn check(label: &str, run: &Run, output: &std::process::Output, forbidden: &[String]) -> Vec<Leak> {
    let mut leaks = Vec::new();
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    let mut texts = vec![
        ("stdout".to_string(), stdout.to_string()),
        ("stderr".to_string(), stderr.to_string()),
    ];
    if let Some(dir) = &run.out {
        for file in files_under(dir.path()) {
            let bytes = std::fs::read(&file).unwrap_or_default();
            texts.push((
                file.display().to_string(),
                String::from_utf8_lossy(&bytes).into_owned(),
            ));
        }
    }
    let command = format!("strata {}", run.args.join(" "));
    for (where_, text) in &texts {
        let found: Vec<&String> = forbidden
            .iter()
            .filter(|secret| text.contains(secret.as_str()))
            .collect();
        if let Some(first) = found.first() {
            let lines: Vec<&str> = text
                .lines()
                .filter(|l| l.contains(first.as_str()))
                .take(2)
                .collect();
            leaks.push(Leak {
                what: format!(
                    "{label}: {found:?} in {where_}\n  {command}\n  {}",
                    lines.join("\n  ")
                ),
            });
        }
    }
    if output.status.code() == Some(101) || stderr.contains("panicked") {
        leaks.push(Leak {
            what: format!("{label}: panicked\n  {command}\n{stderr}"),
        });
    }
    // A connection string is never taken for a file name.
    if stderr.contains("check the path exists") {
        leaks.push(Leak {
            what: format!("{label}: read as a path\n  {command}\n{stderr}"),
        });
    }
    leaks
}

/// The shapes a libpq-compatible client must connect with (given a right password).
const MUST_CONNECT: &[&str] = &[
    "url",
    "sqlalchemy-psycopg",
    "sqlalchemy-psycopg2",
    "jdbc",
    "keyword",
];

/// Runs `jobs` on every core, each job returning its leaks.
fn run_all(jobs: Vec<Box<dyn Fn() -> Vec<Leak> + Send + Sync>>) -> Vec<Leak> {
    let next = AtomicUsize::new(0);
    let threads = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(2)
        .clamp(2, 6);
    let results = std::sync::Mutex::new(Vec::new());
    std::thread::scope(|scope| {
        for _ in 0..threads {
            scope.spawn(|| {
                loop {
                    let i = next.fetch_add(1, Ordering::SeqCst);
                    let Some(job) = jobs.get(i) else { break };
                    let leaks = job();
                    results.lock().expect("results").extend(leaks);
                }
            });
        }
    });
    results.into_inner().expect("results")
}

fn report(leaks: &[Leak], runs: usize) {
    if leaks.is_empty() {
        return;
    }
    // Counted by shape and place, then the first few in full.
    let mut counts = std::collections::BTreeMap::new();
    for leak in leaks {
        let key = leak
            .what
            .split(" against ")
            .next()
            .unwrap_or("")
            .to_string();
        *counts.entry(key).or_insert(0usize) += 1;
    }
    let summary: Vec<String> = counts.iter().map(|(k, n)| format!("{n:4}  {k}")).collect();
    let shown: Vec<&str> = leaks.iter().take(30).map(|l| l.what.as_str()).collect();
    panic!(
        "{} finding(s) in {runs} runs:\n{}\n\n{}",
        leaks.len(),
        summary.join("\n"),
        shown.join("\n\n")
    );
}

#[test]
fn no_password_in_any_output_of_any_command() {
    let f = fixture();
    let home = tempfile::tempdir().expect("home");
    let home_path = home.path().to_path_buf();
    let mut jobs: Vec<Box<dyn Fn() -> Vec<Leak> + Send + Sync>> = Vec::new();
    for (place_index, place) in places().into_iter().enumerate() {
        for server in SERVERS {
            if server == Server::RightPassword && writes(place) {
                continue;
            }
            // Every password meets every shape, spread over places and servers so the
            // matrix stays a few thousand runs.
            for shape_index in 0..shapes("x", &target(server, 0)).len() {
                let pi = (place_index + shape_index + server as usize) % PASSWORDS.len();
                let password = PASSWORDS[pi];
                let t = target(server, pi);
                let (name, conn) = shapes(password, &t).swap_remove(shape_index);
                let home = home_path.clone();
                jobs.push(Box::new(move || {
                    let run = run_for(place, &conn);
                    let output = execute(&run, &home);
                    let label = format!("{name} as {place:?} against {server:?}");
                    let mut leaks = check(&label, &run, &output, &forbidden(password));
                    // The success paths really ran: a reading command connects.
                    if server == Server::RightPassword
                        && matches!(place, Place::Src(_) | Place::Verify)
                        && MUST_CONNECT.contains(&name)
                        && !matches!(output.status.code(), Some(0 | 1))
                    {
                        leaks.push(Leak {
                            what: format!(
                                "{label}: did not connect\n  strata {}\n{}",
                                run.args.join(" "),
                                String::from_utf8_lossy(&output.stderr)
                            ),
                        });
                    }
                    leaks
                }));
            }
        }
    }
    // PGPASSWORD: the password comes from the environment, the URL has none.
    for place in [
        Place::Src(&["inspect"]),
        Place::Src(&["check"]),
        Place::MigrateUrl("status"),
        Place::MigrateEnv("verify"),
        Place::DevUrl(&["check"]),
        Place::DiffFrom,
    ] {
        for server in SERVERS {
            for (pi, password) in PASSWORDS.iter().enumerate() {
                let t = target(server, pi);
                for conn in [
                    format!("postgres://{}@{}:{}/app", t.user, t.host, t.port),
                    format!("host={} port={} user={} dbname=app", t.host, t.port, t.user),
                    format!("postgresql+psycopg://{}@{}:{}/app", t.user, t.host, t.port),
                ] {
                    let home = home_path.clone();
                    jobs.push(Box::new(move || {
                        let mut run = run_for(place, &conn);
                        run.env.push(("PGPASSWORD", password.to_string()));
                        let output = execute(&run, &home);
                        check(
                            &format!("PGPASSWORD with {conn} as {place:?} against {server:?}"),
                            &run,
                            &output,
                            &forbidden(password),
                        )
                    }));
                }
            }
        }
    }
    let runs = jobs.len();
    let leaks = run_all(jobs);
    // Nothing of the shared folder was rewritten with a secret either.
    let mut leaks = leaks;
    for file in files_under(f.dir.path()) {
        let text = String::from_utf8_lossy(&std::fs::read(&file).unwrap_or_default()).into_owned();
        for password in PASSWORDS {
            for secret in forbidden(password) {
                if text.contains(&secret) {
                    leaks.push(Leak {
                        what: format!("{secret:?} written to {}", file.display()),
                    });
                }
            }
        }
    }
    report(&leaks, runs);
}

/// A command line that does not parse echoes its arguments (clap's "unexpected argument"):
/// those messages are redacted too.
#[test]
fn no_password_in_argument_errors() {
    let home = tempfile::tempdir().expect("home");
    let mut leaks = Vec::new();
    let mut runs = 0;
    for (pi, password) in PASSWORDS.iter().enumerate() {
        let t = target(Server::Closed, pi);
        for (name, conn) in shapes(password, &t) {
            for args in [
                vec!["check".to_string(), "a.strata".into(), conn.clone()],
                vec![
                    "migrate".into(),
                    "status".into(),
                    "--url".into(),
                    conn.clone(),
                    "extra".into(),
                ],
                vec![
                    "inspect".into(),
                    conn.clone(),
                    "--format".into(),
                    "nonsense".into(),
                ],
                vec!["diff".into(), "--from".into(), conn.clone()],
            ] {
                let run = Run {
                    args,
                    env: Vec::new(),
                    out: None,
                };
                let output = execute(&run, home.path());
                runs += 1;
                leaks.extend(check(
                    &format!("{name} in a bad command line"),
                    &run,
                    &output,
                    &forbidden(password),
                ));
            }
        }
    }
    report(&leaks, runs);
}

/// SQLAlchemy's and JDBC's URLs connect (with a one-line note saying how they were read), and
/// a `.strata` path is still a path.
#[test]
fn sqlalchemy_and_jdbc_urls_connect_with_a_note() {
    let f = fixture();
    let home = tempfile::tempdir().expect("home");
    let (pi, password) = (0, PASSWORDS[0]);
    let t = target(Server::RightPassword, pi);
    let e = encode(password);
    let (h, n, u) = (t.host, t.port, &t.user);
    for (conn, note) in [
        (
            format!("postgresql+psycopg://{u}:{e}@{h}:{n}/app"),
            "note: read the SQLAlchemy URL postgresql+psycopg:// as postgresql://",
        ),
        (
            format!("postgresql+asyncpg://{u}:{e}@{h}:{n}/app?ssl=disable"),
            "note: read the SQLAlchemy URL postgresql+asyncpg:// as postgresql://",
        ),
        (
            format!("jdbc:postgresql://{h}:{n}/app?user={u}&password={password}&socketTimeout=5"),
            "ignored the Java driver's own parameter(s) socketTimeout",
        ),
    ] {
        let run = Run {
            args: vec!["inspect".into(), conn.clone()],
            env: Vec::new(),
            out: None,
        };
        let output = execute(&run, home.path());
        let stdout = String::from_utf8_lossy(&output.stdout);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(0), "{conn}\n{stderr}");
        assert!(stdout.contains("entity Account"), "{conn}\n{stdout}");
        assert!(stderr.contains(note), "{conn}\n{stderr}");
        assert_eq!(stderr.lines().count(), 1, "{conn}\n{stderr}");
        assert!(check("note", &run, &output, &forbidden(password)).is_empty());
    }
    let missing = f.dir.path().join("missing.strata");
    let output = execute(
        &Run {
            args: vec!["check".into(), missing.display().to_string()],
            env: Vec::new(),
            out: None,
        },
        home.path(),
    );
    assert!(
        String::from_utf8_lossy(&output.stderr).contains("check the path exists"),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}
