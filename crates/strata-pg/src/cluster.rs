//! A throwaway PostgreSQL cluster: `initdb` + `pg_ctl` in a fresh temporary directory.

use std::ffi::{CString, OsString};
use std::fmt::Write as _;
use std::fs;
use std::io;
use std::net::TcpListener;
use std::os::unix::fs::PermissionsExt;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{ChildStdin, Command, Output, Stdio};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::Duration;

use postgres::NoTls;

use crate::template::{self, Template};

/// Environment variable naming the directory that holds `initdb`, `pg_ctl` and `postgres`.
pub const BINDIR_ENV: &str = "STRATA_PG_BINDIR";

/// Environment variable choosing the PostgreSQL major version of clusters started without an
/// explicit [`ClusterOptions::version`] or bin directory (e.g. `16`); see [`Cluster::start_with`].
pub const VERSION_ENV: &str = "STRATA_PG_VERSION";

/// Where `scripts/install_postgres_versions` puts the servers of the version matrix:
/// `<workspace>/target/pg/<major>/bin`.
const VERSIONS_DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../target/pg");
/// The script that fills [`VERSIONS_DIR`], named in errors.
const INSTALL_SCRIPT: &str = "scripts/install_postgres_versions";

/// The role every throwaway cluster is initialised with (trust authentication).
pub const SUPERUSER: &str = "postgres";

/// The system user the server runs as when we are root.
const SYSTEM_USER: &str = "postgres";
const HOST: &str = "127.0.0.1";
const SERVER_BINARIES: [&str; 3] = ["initdb", "pg_ctl", "postgres"];
/// How many fresh ports to try when the chosen one is taken between picking and binding.
const PORT_ATTEMPTS: usize = 5;
/// Shared memory file system, preferred for cluster directories (see `temp_base`).
const SHM_DIR: &str = "/dev/shm";
/// `/dev/shm` is used only with at least this much free (Docker's default is 64 MiB).
const SHM_MIN_FREE: u64 = 1 << 30;
/// `sun_path` holds 108 bytes including the terminating NUL.
const MAX_SOCKET_PATH: usize = 107;
/// Longest suffix we append to the temporary base: `/strata-pg-XXXXXX/sock/.s.PGSQL.65535`.
const SOCKET_SUFFIX_LEN: usize = 40;

/// `initdb` arguments after `-D dir -U superuser`; with the superuser's name, part of the
/// template cache key. One-megabyte WAL segments: the initial segment is 1 MiB instead of
/// 16, which makes the data directory (and so each copy of the template) less than half as
/// big.
const INITDB_ARGS: [&str; 7] = [
    "-A",
    "trust",
    "-E",
    "UTF8",
    "--no-locale",
    "--no-sync",
    "--wal-segsize=1",
];

static DATABASE_COUNTER: AtomicU64 = AtomicU64::new(0);

/// Errors from finding, starting or talking to a throwaway cluster.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum PgError {
    /// No directory with `initdb`, `pg_ctl` and `postgres` was found.
    #[error(
        "PostgreSQL server binaries (initdb, pg_ctl, postgres) not found; looked in: {}. \
         Install them (`apt-get install postgresql`), set {BINDIR_ENV} to the directory \
         that holds them, or use an existing server with `--dev-url URL`",
        .searched.join("; ")
    )]
    BinariesNotFound {
        /// Every place that was looked at, with why it did not qualify.
        searched: Vec<String>,
    },
    /// Running as root without a `postgres` user to drop privileges to.
    #[error(
        "running as root, but there is no `postgres` system user to run the server as \
         (PostgreSQL refuses to run as root); create one (e.g. `useradd --system postgres`) \
         or run as a normal user"
    )]
    NoPostgresUser,
    /// A PostgreSQL major version was asked for (option or `STRATA_PG_VERSION`) and no
    /// installation of it was found.
    #[error(
        "PostgreSQL {major} server binaries (initdb, pg_ctl, postgres) not found; looked in: {}. \
         Run `{INSTALL_SCRIPT} {major}` in the Strata workspace (it installs 14, 16, 17 and 18 \
         under target/pg/), install Debian's `postgresql-{major}`, or unset {VERSION_ENV}",
        .searched.join("; ")
    )]
    VersionNotInstalled {
        /// The major version asked for.
        major: u32,
        /// Every place that was looked at.
        searched: Vec<String>,
    },
    /// `STRATA_PG_VERSION` holds something other than a major version number.
    #[error(
        "{VERSION_ENV}={value:?} is not a PostgreSQL major version; set it to one such as 16, or unset it"
    )]
    InvalidVersion {
        /// The value found.
        value: String,
    },
    /// The binaries found for a major version started a server of another version.
    #[error(
        "asked for PostgreSQL {wanted}, but the server in {bin_dir} is version {found}; \
         reinstall it with `{INSTALL_SCRIPT} {wanted}`"
    )]
    VersionMismatch {
        /// The major version asked for.
        wanted: u32,
        /// The `server_version_num` of the server that started.
        found: u32,
        /// Where its binaries are.
        bin_dir: String,
    },
    /// A server program (`initdb`, `pg_ctl`, …) exited unsuccessfully.
    #[error("{program} failed ({status}):\n{output}")]
    Process {
        /// The program that failed.
        program: String,
        /// How it exited.
        status: String,
        /// Its captured output, and the tail of the server log where relevant.
        output: String,
    },
    /// A file-system or process-spawning operation failed.
    #[error("{context}: {error}")]
    Io {
        /// What was being done.
        context: String,
        /// The underlying error.
        error: io::Error,
    },
    /// An error from the PostgreSQL client or server.
    #[error("PostgreSQL: {}", describe_pg_error(.0))]
    Postgres(postgres::Error),
}

impl From<postgres::Error> for PgError {
    fn from(error: postgres::Error) -> Self {
        PgError::Postgres(error)
    }
}

fn io_error(context: impl Into<String>) -> impl FnOnce(io::Error) -> PgError {
    let context = context.into();
    move |error| PgError::Io { context, error }
}

/// `postgres::Error`'s own `Display` hides the cause ("db error"); spell it out.
pub(crate) fn describe_pg_error(error: &postgres::Error) -> String {
    if let Some(db) = error.as_db_error() {
        return db.to_string();
    }
    match std::error::Error::source(error) {
        Some(source) => format!("{error}: {source}"),
        None => error.to_string(),
    }
}

/// Options for [`Cluster::start_with`].
#[derive(Debug, Clone, Default)]
pub struct ClusterOptions {
    /// Use exactly this directory for `initdb`/`pg_ctl`/`postgres`, skipping discovery.
    pub bin_dir: Option<PathBuf>,
    /// Start this PostgreSQL major version (e.g. `16`): `target/pg/<major>/bin` of the
    /// workspace (installed by `scripts/install_postgres_versions`), else Debian's
    /// `/usr/lib/postgresql/<major>/bin`. Overrides `STRATA_PG_VERSION`; ignored when
    /// [`ClusterOptions::bin_dir`] is set.
    pub version: Option<u32>,
    /// Extra server settings, passed as `-c key=value` after the defaults (so they win).
    pub settings: Vec<(String, String)>,
    /// Listen on this port instead of a free one chosen at random.
    pub port: Option<u16>,
    /// Replaces `pg_hba.conf` with these contents. The cluster's own connections go through
    /// its Unix socket, so keep a `local` line for role `postgres` (e.g.
    /// `local all postgres trust`).
    pub hba_conf: Option<String>,
    /// Serve TLS with this certificate chain and private key (PEM): written into the data
    /// directory (`server.crt`, `server.key` with mode 0600, owned by the server user) and
    /// `ssl=on` is set.
    pub tls: Option<TlsFiles>,
    /// Name of the bootstrap superuser instead of [`SUPERUSER`], so that a script can have
    /// an ordinary role called `postgres`.
    pub superuser: Option<String>,
}

/// A PEM certificate chain and its private key, for [`ClusterOptions::tls`].
#[derive(Clone)]
pub struct TlsFiles {
    /// The server certificate, then any intermediates.
    pub cert_pem: String,
    /// The private key.
    pub key_pem: String,
}

impl std::fmt::Debug for TlsFiles {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The key is a secret even in a test.
        f.debug_struct("TlsFiles").finish_non_exhaustive()
    }
}

impl ClusterOptions {
    /// Uses the server binaries in `dir` instead of searching for them.
    pub fn bin_dir(mut self, dir: impl Into<PathBuf>) -> Self {
        self.bin_dir = Some(dir.into());
        self
    }

    /// Starts PostgreSQL `major` (see [`ClusterOptions::version`]).
    pub fn version(mut self, major: u32) -> Self {
        self.version = Some(major);
        self
    }

    /// Adds a `-c key=value` server setting.
    pub fn setting(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.settings.push((key.into(), value.into()));
        self
    }

    /// Listens on `port` instead of a free one.
    pub fn port(mut self, port: u16) -> Self {
        self.port = Some(port);
        self
    }

    /// Replaces `pg_hba.conf` (see [`ClusterOptions::hba_conf`]).
    pub fn hba_conf(mut self, contents: impl Into<String>) -> Self {
        self.hba_conf = Some(contents.into());
        self
    }

    /// Names the bootstrap superuser `name` instead of [`SUPERUSER`].
    pub fn superuser(mut self, name: impl Into<String>) -> Self {
        self.superuser = Some(name.into());
        self
    }

    /// Serves TLS with this certificate chain and key (see [`ClusterOptions::tls`]).
    pub fn tls(mut self, cert_pem: impl Into<String>, key_pem: impl Into<String>) -> Self {
        self.tls = Some(TlsFiles {
            cert_pem: cert_pem.into(),
            key_pem: key_pem.into(),
        });
        self
    }
}

/// The unprivileged user the server processes run as when we are root.
#[derive(Debug, Clone, Copy)]
struct RunAs {
    uid: u32,
    gid: u32,
}

/// A running throwaway PostgreSQL cluster, stopped and deleted on drop.
///
/// The server listens on `127.0.0.1` on a free port, with role `postgres` (or the superuser
/// of [`ClusterOptions::superuser`]) and trust authentication, and durability switched off
/// (`fsync=off`): it is for tests and development only.
///
/// The server programs run with an empty environment (only `PATH`, `HOME` and a C locale),
/// so nothing of ours (tokens, passwords) is visible to the server or what it runs. A
/// watchdog process started before `initdb` stops the server and removes the directory as
/// soon as this process is gone, however it ends (even by `SIGKILL`).
#[derive(Debug)]
pub struct Cluster {
    superuser: String,
    /// Write end of the watchdog's stdin: closing it (our exit) wakes the watchdog.
    watchdog: Option<ChildStdin>,
    bin_dir: PathBuf,
    root: PathBuf,
    data_dir: PathBuf,
    socket_dir: PathBuf,
    log_file: PathBuf,
    port: u16,
    run_as: Option<RunAs>,
    version_num: u32,
    stopped: AtomicBool,
}

impl Cluster {
    /// Starts a cluster with default options.
    pub fn start() -> Result<Cluster, PgError> {
        Cluster::start_with(ClusterOptions::default())
    }

    /// Starts a cluster: finds the binaries, runs `initdb`, then `pg_ctl start` on a free port.
    ///
    /// The binaries come from, in this order: `options.bin_dir`; the installation of
    /// `options.version`; `STRATA_PG_BINDIR`; the installation of `STRATA_PG_VERSION`; else
    /// the first of `pg_config --bindir`, the directory of `initdb` on `PATH`,
    /// `/usr/lib/postgresql/<newest>/bin` and `/usr/local/pgsql/bin` that has all three of
    /// `initdb`, `pg_ctl` and `postgres`. An explicit choice is used alone, so a wrong value
    /// is reported rather than bypassed. A major version is looked for in the workspace's
    /// `target/pg/<major>/bin` (see `scripts/install_postgres_versions`), then in
    /// `/usr/lib/postgresql/<major>/bin`, and the server that starts must be that version.
    ///
    /// As root, the server runs as the `postgres` system user.
    pub fn start_with(options: ClusterOptions) -> Result<Cluster, PgError> {
        let (bin_dir, wanted_major) = choose_bin_dir(&options)?;
        let run_as = if is_root() {
            Some(lookup_user(SYSTEM_USER)?.ok_or(PgError::NoPostgresUser)?)
        } else {
            None
        };

        let base = temp_base(run_as.is_some())?;
        let root = tempfile::Builder::new()
            .prefix("strata-pg-")
            .tempdir_in(&base)
            .map_err(io_error(format!(
                "could not create a temporary directory in {}",
                base.display()
            )))?
            .keep();
        // From here on `Drop` removes the directory (and stops a server, if one started).
        let mut cluster = Cluster {
            superuser: options
                .superuser
                .clone()
                .unwrap_or_else(|| SUPERUSER.to_string()),
            watchdog: None,
            data_dir: root.join("data"),
            socket_dir: root.join("sock"),
            log_file: root.join("postgres.log"),
            root,
            bin_dir,
            port: 0,
            run_as,
            version_num: 0,
            stopped: AtomicBool::new(false),
        };
        fs::create_dir(&cluster.socket_dir).map_err(io_error(format!(
            "could not create {}",
            cluster.socket_dir.display()
        )))?;
        if let Some(user) = run_as {
            // Owned by the server user with mode 0700: it can traverse, nobody else can.
            for dir in [&cluster.root, &cluster.socket_dir] {
                std::os::unix::fs::chown(dir, Some(user.uid), Some(user.gid)).map_err(io_error(
                    format!("could not hand {} to user postgres", dir.display()),
                ))?;
            }
        }

        cluster.watchdog = Some(cluster.spawn_watchdog()?);
        cluster.create_data_dir()?;
        let mut settings = Vec::new();
        if let Some(hba) = &options.hba_conf {
            cluster.write_server_file("pg_hba.conf", hba, 0o600)?;
        }
        if let Some(tls) = &options.tls {
            cluster.write_server_file("server.crt", &tls.cert_pem, 0o644)?;
            cluster.write_server_file("server.key", &tls.key_pem, 0o600)?;
            settings.push(("ssl".to_string(), "on".to_string()));
        }
        settings.extend(options.settings.iter().cloned());
        cluster.start_server(&settings, options.port)?;
        cluster.version_num = cluster.query_version()?;
        if let Some(wanted) = wanted_major
            && cluster.version_num / 10000 != wanted
        {
            return Err(PgError::VersionMismatch {
                wanted,
                found: cluster.version_num,
                bin_dir: cluster.bin_dir.display().to_string(),
            });
        }
        Ok(cluster)
    }

    /// The TCP port the server listens on.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// The address the server listens on: always `127.0.0.1`.
    pub fn host(&self) -> &'static str {
        HOST
    }

    /// A connection URL for `dbname` (which is inserted verbatim), as the superuser.
    pub fn url(&self, dbname: &str) -> String {
        format!(
            "postgres://{}@{HOST}:{}/{dbname}",
            self.superuser, self.port
        )
    }

    /// The bootstrap superuser's name: [`SUPERUSER`] unless [`ClusterOptions::superuser`]
    /// said otherwise.
    pub fn superuser(&self) -> &str {
        &self.superuser
    }

    /// Client configuration for `dbname`, for callers that need to adjust it.
    pub fn config(&self, dbname: &str) -> postgres::Config {
        let mut config = postgres::Config::new();
        config
            .host(HOST)
            .port(self.port)
            .user(&self.superuser)
            .dbname(dbname)
            .connect_timeout(Duration::from_secs(10));
        config
    }

    /// Connects to `dbname` as `postgres`, without TLS.
    pub fn connect(&self, dbname: &str) -> Result<postgres::Client, PgError> {
        Ok(self.config(dbname).connect(NoTls)?)
    }

    /// Connects to `dbname` as `postgres` through the Unix socket, which works whatever
    /// `pg_hba.conf` demands of TCP connections (as long as it trusts local `postgres`).
    pub fn connect_local(&self, dbname: &str) -> Result<postgres::Client, PgError> {
        let mut config = postgres::Config::new();
        config
            .host_path(&self.socket_dir)
            .port(self.port)
            .user(&self.superuser)
            .dbname(dbname)
            .connect_timeout(Duration::from_secs(10));
        Ok(config.connect(NoTls)?)
    }

    /// Creates a new, empty database with a name unique within this cluster and returns it.
    pub fn create_database(&self) -> Result<String, PgError> {
        let n = DATABASE_COUNTER.fetch_add(1, Ordering::Relaxed);
        let name = format!("strata_{}_{n}", std::process::id());
        let mut client = self.connect_local("postgres")?;
        client.batch_execute(&format!("CREATE DATABASE \"{name}\""))?;
        Ok(name)
    }

    /// The directory the server binaries were taken from.
    pub fn bin_dir(&self) -> &Path {
        &self.bin_dir
    }

    /// A client program (`psql`, `pg_dump`, ...) to use with this cluster: the one beside the
    /// server binaries when there is one, else the newest Debian installation's
    /// (`/usr/lib/postgresql/<newest>/bin`), else the one on `PATH`. The server builds of
    /// `scripts/install_postgres_versions` ship no client programs, so for them this is
    /// usually Debian's. `None` when there is none anywhere.
    ///
    /// `psql` of any version runs scripts against newer servers; `pg_dump` refuses a server
    /// newer than itself (see [`Cluster::pg_dump`]).
    pub fn client_program(&self, name: &str) -> Option<PathBuf> {
        std::iter::once(self.bin_dir.clone())
            .chain(debian_bin_dirs())
            .map(|dir| dir.join(name))
            .find(|path| is_executable(path))
            .or_else(|| find_in_path(name))
    }

    /// A `pg_dump` that can dump this server: one whose major version is at least the
    /// server's (`pg_dump` refuses newer servers). `None` when there is none, e.g. for the
    /// PostgreSQL 16+ builds next to Debian's 15; compare through Strata's model there.
    pub fn pg_dump(&self) -> Option<PathBuf> {
        let server_major = self.version_num / 10000;
        std::iter::once(self.bin_dir.clone())
            .chain(debian_bin_dirs())
            .map(|dir| dir.join("pg_dump"))
            .filter(|path| is_executable(path))
            .find(|path| program_major(path).is_some_and(|major| major >= server_major))
    }

    /// The temporary directory holding the data directory, socket directory and log.
    pub fn dir(&self) -> &Path {
        &self.root
    }

    /// The cluster's data directory.
    pub fn data_dir(&self) -> &Path {
        &self.data_dir
    }

    /// The directory holding the server's Unix socket.
    pub fn socket_dir(&self) -> &Path {
        &self.socket_dir
    }

    /// The server's `server_version_num`, e.g. `150018` for 15.18.
    pub fn server_version_num(&self) -> u32 {
        self.version_num
    }

    /// Stops the server (immediate mode) and removes the directory. Idempotent, never fails:
    /// used by `Drop` and by the process-exit hook of [`crate::shared_cluster`].
    pub(crate) fn shutdown(&self) {
        if self.stopped.swap(true, Ordering::SeqCst) {
            return;
        }
        if self.data_dir.join("postmaster.pid").exists() {
            let mut cmd = self.command("pg_ctl");
            cmd.arg("-D")
                .arg(&self.data_dir)
                .args(["-m", "immediate", "-w", "-s", "stop"])
                .stdout(Stdio::null())
                .stderr(Stdio::null());
            let _ = cmd.status();
        }
        let _ = fs::remove_dir_all(&self.root);
    }

    /// Spawns a watchdog that stops the server and removes the directory once this process is
    /// gone, even if it was killed. It waits for end-of-file on its stdin: keep the returned
    /// pipe open for as long as the cluster should live.
    pub fn spawn_watchdog(&self) -> Result<ChildStdin, PgError> {
        const SCRIPT: &str =
            r#"read -r line; "$0" -D "$1" -m immediate -w -s stop >/dev/null 2>&1; rm -rf -- "$2""#;
        let mut cmd = Command::new("/bin/sh");
        clean_environment(&mut cmd, &self.root);
        cmd.arg("-c")
            .arg(SCRIPT)
            .arg(self.bin_dir.join("pg_ctl"))
            .arg(&self.data_dir)
            .arg(&self.root)
            .current_dir("/")
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            // Its own process group, so a Ctrl-C aimed at the tests does not kill it too.
            .process_group(0);
        if let Some(user) = self.run_as {
            cmd.uid(user.uid).gid(user.gid);
        }
        let mut child = cmd
            .spawn()
            .map_err(io_error("could not start the cluster watchdog (sh)"))?;
        child.stdin.take().ok_or_else(|| PgError::Io {
            context: "could not start the cluster watchdog".into(),
            error: io::Error::other("no stdin pipe"),
        })
    }

    /// A command for one of the server binaries, run as the server user from our directory.
    fn command(&self, program: &str) -> Command {
        let mut cmd = Command::new(self.bin_dir.join(program));
        clean_environment(&mut cmd, &self.root);
        cmd.current_dir(&self.root).stdin(Stdio::null());
        if let Some(user) = self.run_as {
            cmd.uid(user.uid).gid(user.gid);
        }
        // A caller waiting for signals with `sigwait` (`strata dev`) blocks them, and a blocked
        // mask survives exec: the server must not start with SIGINT/SIGTERM blocked.
        // SAFETY: sigemptyset and sigprocmask are async-signal-safe and touch only the
        // child's own mask and a local set.
        unsafe {
            cmd.pre_exec(|| {
                let mut set: libc::sigset_t = std::mem::zeroed();
                libc::sigemptyset(&mut set);
                libc::sigprocmask(libc::SIG_SETMASK, &set, std::ptr::null_mut());
                Ok(())
            });
        }
        cmd
    }

    /// Writes `name` into the data directory, owned by the server user, with `mode`.
    fn write_server_file(&self, name: &str, contents: &str, mode: u32) -> Result<(), PgError> {
        let path = self.data_dir.join(name);
        fs::write(&path, contents)
            .map_err(io_error(format!("could not write {}", path.display())))?;
        fs::set_permissions(&path, fs::Permissions::from_mode(mode)).map_err(io_error(format!(
            "could not set the mode of {}",
            path.display()
        )))?;
        if let Some(user) = self.run_as {
            std::os::unix::fs::chown(&path, Some(user.uid), Some(user.gid)).map_err(io_error(
                format!("could not hand {} to user postgres", path.display()),
            ))?;
        }
        Ok(())
    }

    /// Fills the data directory: a copy of the cached template for these binaries, or
    /// `initdb` (storing its result as the template when there is none yet). Any trouble
    /// with the cache falls back to a plain `initdb`.
    fn create_data_dir(&self) -> Result<(), PgError> {
        let template = if template::enabled() {
            Template::locate(&self.bin_dir, &self.initdb_args().join(" "))
        } else {
            None
        };
        let Some(template) = template else {
            return self.initdb();
        };
        let owner = self.run_as.map(|u| (u.uid, u.gid));
        if template.exists() {
            if template.copy_to(&self.data_dir, owner).is_ok() {
                return Ok(());
            }
            let _ = fs::remove_dir_all(&self.data_dir);
        }
        // Only one process runs initdb for the cache; the others wait and then copy.
        let lock = template.lock().ok();
        if lock.is_some() && template.exists() {
            if template.copy_to(&self.data_dir, owner).is_ok() {
                return Ok(());
            }
            let _ = fs::remove_dir_all(&self.data_dir);
        }
        self.initdb()?;
        if lock.is_some() && !template.exists() {
            // A cache that cannot be written only costs speed.
            let _ = template.store(&self.data_dir);
        }
        Ok(())
    }

    fn initdb_args(&self) -> Vec<&str> {
        let mut args = vec!["-U", self.superuser.as_str()];
        args.extend(INITDB_ARGS);
        args
    }

    fn initdb(&self) -> Result<(), PgError> {
        let mut cmd = self.command("initdb");
        cmd.arg("-D").arg(&self.data_dir).args(self.initdb_args());
        let output = run(&mut cmd, "initdb")?;
        if output.status.success() {
            Ok(())
        } else {
            Err(process_error("initdb", &output, None))
        }
    }

    fn start_server(
        &mut self,
        settings: &[(String, String)],
        fixed_port: Option<u16>,
    ) -> Result<(), PgError> {
        let mut last_error = None;
        let attempts = if fixed_port.is_some() {
            1
        } else {
            PORT_ATTEMPTS
        };
        for _ in 0..attempts {
            self.port = match fixed_port {
                Some(port) => port,
                None => free_port()?,
            };
            let _ = fs::remove_file(&self.log_file);
            let mut cmd = self.command("pg_ctl");
            cmd.arg("-D")
                .arg(&self.data_dir)
                .arg("-l")
                .arg(&self.log_file)
                .args(["-w", "-t", "60", "-s", "-o"])
                .arg(self.server_options(settings))
                .arg("start");
            let output = run(&mut cmd, "pg_ctl start")?;
            if output.status.success() {
                return Ok(());
            }
            let log = fs::read_to_string(&self.log_file).unwrap_or_default();
            let error = process_error("pg_ctl start", &output, Some(&log));
            let port_taken = log.contains("Address already in use")
                || log.contains("could not create any TCP/IP sockets");
            if !port_taken || fixed_port.is_some() {
                return Err(error);
            }
            last_error = Some(error);
        }
        Err(last_error.unwrap_or_else(|| PgError::Io {
            context: "could not start the server".into(),
            error: io::Error::other("no free port"),
        }))
    }

    /// The `-o` argument of `pg_ctl`. `pg_ctl` hands it to `/bin/sh`, so values are quoted.
    fn server_options(&self, settings: &[(String, String)]) -> OsString {
        let mut options = format!(
            "-p {} -k {} -c listen_addresses={HOST} -c max_connections=100 \
             -c fsync=off -c synchronous_commit=off -c full_page_writes=off",
            self.port,
            sh_quote(&self.socket_dir.to_string_lossy()),
        );
        for (key, value) in settings {
            let _ = write!(options, " -c {}", sh_quote(&format!("{key}={value}")));
        }
        OsString::from(options)
    }

    fn query_version(&self) -> Result<u32, PgError> {
        let mut client = self.connect_local("postgres")?;
        let row = client.query_one("SELECT current_setting('server_version_num')::int4", &[])?;
        let version: i32 = row.try_get(0)?;
        u32::try_from(version).map_err(|_| PgError::Io {
            context: "unexpected server_version_num".into(),
            error: io::Error::other(version.to_string()),
        })
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        self.shutdown();
    }
}

/// Nothing of our environment reaches the server programs: a script run by the server (or a
/// server-side program) must not find our tokens or passwords there. They get a fixed
/// `PATH`, a `HOME` inside the cluster directory and the C locale (`initdb --no-locale`
/// needs no other).
fn clean_environment(cmd: &mut Command, home: &Path) {
    cmd.env_clear()
        .env("PATH", "/usr/local/bin:/usr/bin:/bin")
        .env("HOME", home)
        .env("LC_ALL", "C")
        .env("LANG", "C");
}

fn run(cmd: &mut Command, program: &str) -> Result<Output, PgError> {
    let path = Path::new(cmd.get_program()).display().to_string();
    cmd.output()
        .map_err(io_error(format!("could not run {program} ({path})")))
}

fn process_error(program: &str, output: &Output, log: Option<&str>) -> PgError {
    let mut text = String::new();
    for stream in [&output.stdout, &output.stderr] {
        let s = String::from_utf8_lossy(stream);
        let s = s.trim();
        if !s.is_empty() {
            text.push_str(s);
            text.push('\n');
        }
    }
    if let Some(log) = log {
        let lines: Vec<&str> = log.lines().collect();
        let tail = &lines[lines.len().saturating_sub(30)..];
        if !tail.is_empty() {
            text.push_str("server log (tail):\n");
            text.push_str(&tail.join("\n"));
        }
    }
    PgError::Process {
        program: program.into(),
        status: output.status.to_string(),
        output: text.trim_end().to_string(),
    }
}

/// Single-quotes `s` for `/bin/sh`.
fn sh_quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', r"'\''"))
}

fn free_port() -> Result<u16, PgError> {
    let listener = TcpListener::bind((HOST, 0))
        .map_err(io_error("could not bind a free port on 127.0.0.1"))?;
    let addr = listener
        .local_addr()
        .map_err(io_error("could not read the bound port"))?;
    Ok(addr.port())
}

fn is_root() -> bool {
    // SAFETY: geteuid has no preconditions and cannot fail.
    unsafe { libc::geteuid() == 0 }
}

/// Looks up a user with the re-entrant `getpwnam_r`.
fn lookup_user(name: &str) -> Result<Option<RunAs>, PgError> {
    let cname = CString::new(name).map_err(|_| PgError::NoPostgresUser)?;
    let mut buf: Vec<libc::c_char> = vec![0; 1024];
    loop {
        // SAFETY: an all-zero `passwd` (null pointers, zero ids) is a valid value.
        let mut pwd: libc::passwd = unsafe { std::mem::zeroed() };
        let mut result: *mut libc::passwd = std::ptr::null_mut();
        // SAFETY: every pointer is valid for the duration of the call and `buf.len()` is the
        // true size of `buf`; the strings written into `buf` are not used afterwards.
        let rc = unsafe {
            libc::getpwnam_r(
                cname.as_ptr(),
                &mut pwd,
                buf.as_mut_ptr(),
                buf.len(),
                &mut result,
            )
        };
        if rc == libc::ERANGE && buf.len() < (1 << 20) {
            buf.resize(buf.len() * 2, 0);
            continue;
        }
        if rc != 0 {
            return Err(PgError::Io {
                context: format!("could not look up user {name}"),
                error: io::Error::from_raw_os_error(rc),
            });
        }
        if result.is_null() {
            return Ok(None);
        }
        return Ok(Some(RunAs {
            uid: pwd.pw_uid,
            gid: pwd.pw_gid,
        }));
    }
}

/// Where to create the cluster directory: `TMPDIR` when set; otherwise `/dev/shm` when it
/// is a roomy tmpfs (a throwaway cluster needs no disk, and copying the data directory
/// template into memory takes a tenth of the time it takes on a busy disk); otherwise the
/// usual temporary directory. In every case the server user must be able to reach it (when
/// we are root) and the socket path must not get too long.
fn temp_base(other_user: bool) -> Result<PathBuf, PgError> {
    let tmpdir_set = std::env::var_os("TMPDIR").is_some_and(|v| !v.is_empty());
    let shm = Path::new(SHM_DIR);
    if !tmpdir_set && roomy_tmpfs(shm) && (!other_user || traversable_by_others(shm)) {
        return Ok(shm.to_path_buf());
    }
    let base = std::env::temp_dir();
    let base = fs::canonicalize(&base).unwrap_or(base);
    let short_enough = base.as_os_str().len() + SOCKET_SUFFIX_LEN <= MAX_SOCKET_PATH;
    if short_enough && (!other_user || traversable_by_others(&base)) {
        return Ok(base);
    }
    let fallback = PathBuf::from("/tmp");
    if other_user && !traversable_by_others(&fallback) {
        return Err(PgError::Io {
            context: format!(
                "neither {} nor /tmp can be reached by user postgres",
                base.display()
            ),
            error: io::Error::from(io::ErrorKind::PermissionDenied),
        });
    }
    Ok(fallback)
}

/// A writable tmpfs with at least [`SHM_MIN_FREE`] bytes free.
fn roomy_tmpfs(path: &Path) -> bool {
    const TMPFS_MAGIC: i64 = 0x0102_1994;
    let Ok(cpath) = CString::new(path.as_os_str().as_encoded_bytes()) else {
        return false;
    };
    // SAFETY: a zeroed statfs is valid storage for the call to fill; cpath is NUL-terminated.
    let mut stat: libc::statfs = unsafe { std::mem::zeroed() };
    if unsafe { libc::statfs(cpath.as_ptr(), &mut stat) } != 0 {
        return false;
    }
    // SAFETY: access(2) only reads the path.
    let writable = unsafe { libc::access(cpath.as_ptr(), libc::W_OK) } == 0;
    #[allow(clippy::unnecessary_cast, clippy::useless_conversion)]
    let is_tmpfs = i64::from(stat.f_type as i64) == TMPFS_MAGIC;
    #[allow(clippy::unnecessary_cast)]
    let free = (stat.f_bavail as u64).saturating_mul(stat.f_bsize as u64);
    writable && is_tmpfs && free >= SHM_MIN_FREE
}

fn traversable_by_others(path: &Path) -> bool {
    path.ancestors().all(|dir| {
        fs::metadata(dir)
            .map(|m| m.permissions().mode() & 0o001 != 0)
            .unwrap_or(false)
    })
}

fn has_server_binaries(dir: &Path) -> bool {
    SERVER_BINARIES
        .iter()
        .all(|name| is_executable(&dir.join(name)))
}

fn is_executable(path: &Path) -> bool {
    fs::metadata(path)
        .map(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
        .unwrap_or(false)
}

fn find_in_path(program: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(program))
        .find(|candidate| is_executable(candidate))
}

/// The major version a client program reports (`pg_dump (PostgreSQL) 15.14 (Debian ...)`).
fn program_major(path: &Path) -> Option<u32> {
    let out = Command::new(path).arg("--version").output().ok()?;
    let text = String::from_utf8_lossy(&out.stdout);
    let version = text.split(") ").nth(1)?;
    version
        .split(|c: char| !c.is_ascii_digit())
        .next()?
        .parse()
        .ok()
}

/// The server binaries for `options`, and the major version they must report when one was
/// asked for.
fn choose_bin_dir(options: &ClusterOptions) -> Result<(PathBuf, Option<u32>), PgError> {
    if options.bin_dir.is_some() {
        return Ok((find_bin_dir(options.bin_dir.as_deref())?, None));
    }
    if let Some(major) = options.version {
        return Ok((version_bin_dir(major)?, Some(major)));
    }
    if std::env::var_os(BINDIR_ENV).is_some_and(|v| !v.is_empty()) {
        return Ok((find_bin_dir(None)?, None));
    }
    match std::env::var(VERSION_ENV) {
        Ok(value) if !value.trim().is_empty() => {
            let major = value
                .trim()
                .parse::<u32>()
                .ok()
                .filter(|m| (10..100).contains(m))
                .ok_or(PgError::InvalidVersion { value })?;
            Ok((version_bin_dir(major)?, Some(major)))
        }
        Err(std::env::VarError::NotUnicode(value)) => Err(PgError::InvalidVersion {
            value: value.to_string_lossy().into_owned(),
        }),
        _ => Ok((find_bin_dir(None)?, None)),
    }
}

/// `target/pg/<major>/bin` of the workspace, else `/usr/lib/postgresql/<major>/bin`.
fn version_bin_dir(major: u32) -> Result<PathBuf, PgError> {
    let installed = Path::new(VERSIONS_DIR).join(major.to_string()).join("bin");
    let installed = fs::canonicalize(&installed).unwrap_or(installed);
    let debian = PathBuf::from(format!("/usr/lib/postgresql/{major}/bin"));
    let candidates = [installed, debian];
    if let Some(dir) = candidates.iter().find(|dir| has_server_binaries(dir)) {
        return Ok(dir.clone());
    }
    Err(PgError::VersionNotInstalled {
        major,
        searched: candidates.iter().map(|d| d.display().to_string()).collect(),
    })
}

/// Finds the directory holding `initdb`, `pg_ctl` and `postgres`.
///
/// An explicit choice (the option, then `STRATA_PG_BINDIR`) is used alone: when it is wrong
/// that is reported rather than silently replaced by some other installation.
fn find_bin_dir(explicit: Option<&Path>) -> Result<PathBuf, PgError> {
    let missing = |dir: &Path, origin: &str| PgError::BinariesNotFound {
        searched: vec![format!("{} ({origin})", dir.display())],
    };
    if let Some(dir) = explicit {
        return if has_server_binaries(dir) {
            Ok(dir.to_path_buf())
        } else {
            Err(missing(dir, "ClusterOptions::bin_dir"))
        };
    }
    if let Some(dir) = std::env::var_os(BINDIR_ENV).filter(|v| !v.is_empty()) {
        let dir = PathBuf::from(dir);
        return if has_server_binaries(&dir) {
            Ok(dir)
        } else {
            Err(missing(&dir, BINDIR_ENV))
        };
    }

    let mut searched = Vec::new();
    let mut candidates: Vec<(PathBuf, String)> = Vec::new();

    match find_in_path("pg_config") {
        Some(pg_config) => match Command::new(&pg_config).arg("--bindir").output() {
            Ok(out) if out.status.success() => {
                let dir = String::from_utf8_lossy(&out.stdout).trim().to_string();
                candidates.push((PathBuf::from(dir), "from pg_config --bindir".into()));
            }
            _ => searched.push(format!("{} --bindir (failed)", pg_config.display())),
        },
        None => searched.push("pg_config --bindir (no pg_config on PATH)".into()),
    }
    match find_in_path("initdb") {
        Some(initdb) => {
            // Resolve symlinks such as /usr/local/bin/initdb -> /usr/lib/postgresql/15/bin.
            let initdb = fs::canonicalize(&initdb).unwrap_or(initdb);
            if let Some(dir) = initdb.parent() {
                candidates.push((dir.to_path_buf(), "directory of initdb on PATH".into()));
            }
        }
        None => searched.push("initdb on PATH (not found)".into()),
    }
    let debian = debian_bin_dirs();
    if debian.is_empty() {
        searched.push("/usr/lib/postgresql/*/bin (none)".into());
    }
    candidates.extend(debian.into_iter().map(|d| (d, String::new())));
    candidates.push((PathBuf::from("/usr/local/pgsql/bin"), String::new()));

    for (dir, origin) in candidates {
        if has_server_binaries(&dir) {
            return Ok(dir);
        }
        let origin = if origin.is_empty() {
            String::new()
        } else {
            format!(" ({origin})")
        };
        searched.push(format!("{}{origin}", dir.display()));
    }
    Err(PgError::BinariesNotFound { searched })
}

/// `/usr/lib/postgresql/<version>/bin`, newest version first (compared numerically).
fn debian_bin_dirs() -> Vec<PathBuf> {
    let Ok(entries) = fs::read_dir("/usr/lib/postgresql") else {
        return Vec::new();
    };
    let mut versions: Vec<(Vec<u32>, PathBuf)> = entries
        .filter_map(Result::ok)
        .filter_map(|entry| {
            let name = entry.file_name().to_string_lossy().into_owned();
            let key: Option<Vec<u32>> = name.split('.').map(|p| p.parse().ok()).collect();
            Some((key?, entry.path().join("bin")))
        })
        .collect();
    versions.sort_by(|a, b| b.0.cmp(&a.0));
    versions.into_iter().map(|(_, dir)| dir).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sh_quote_escapes_single_quotes() {
        assert_eq!(sh_quote("a b"), "'a b'");
        assert_eq!(sh_quote("it's"), r"'it'\''s'");
    }

    #[test]
    fn options_quote_settings_and_put_them_last() {
        let cluster = Cluster {
            superuser: SUPERUSER.into(),
            watchdog: None,
            bin_dir: PathBuf::new(),
            root: PathBuf::new(),
            data_dir: PathBuf::new(),
            socket_dir: PathBuf::from("/tmp/x y/sock"),
            log_file: PathBuf::new(),
            port: 5555,
            run_as: None,
            version_num: 0,
            // Already "stopped": dropping this fake must not touch the file system.
            stopped: AtomicBool::new(true),
        };
        let settings = vec![("search_path".to_string(), "a, 'b'".to_string())];
        let options = cluster.server_options(&settings);
        let options = options.to_string_lossy();
        assert!(
            options.starts_with("-p 5555 -k '/tmp/x y/sock' "),
            "{options}"
        );
        assert!(options.contains("-c fsync=off"), "{options}");
        assert!(
            options.ends_with(r" -c 'search_path=a, '\''b'\'''"),
            "{options}"
        );
    }
}
