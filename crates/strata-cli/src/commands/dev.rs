//! `strata dev`: a throwaway PostgreSQL server for development, until Ctrl-C.
//!
//! SIGINT and SIGTERM (and SIGHUP, for a closed terminal) are blocked before anything
//! starts and then collected with `sigwait`, so a signal that arrives while the server is
//! still starting is not lost and never kills the process before it has cleaned up. The
//! cluster's child processes get an empty signal mask (see `Cluster`), so the server itself
//! is unaffected by the blocking.

use anyhow::Context as _;
use strata_pg::{Cluster, ClusterOptions};

use crate::connect::{self, Session};
use crate::output;

/// The database `strata dev` creates.
const DATABASE: &str = "strata";

pub fn run(port: Option<u16>) -> anyhow::Result<u8> {
    let signals = SignalSet::block(&[libc::SIGINT, libc::SIGTERM, libc::SIGHUP])?;
    let options = ClusterOptions {
        port,
        ..ClusterOptions::default()
    };
    // If we are killed outright (SIGKILL), the cluster's watchdog still stops the server and
    // removes its directory.
    let cluster = Cluster::start_with(options).context("could not start a throwaway cluster")?;
    cluster
        .connect_local("postgres")
        .and_then(|mut c| Ok(c.batch_execute(&format!("CREATE DATABASE {DATABASE}"))?))
        .context("could not create the development database")?;
    let url = cluster.url(DATABASE);

    // Prove the URL works the way every other command will use it.
    let mut db = connect::connect(Some(&url), Session::NotNeeded)?;
    let version: String = db
        .client
        .query_one("SELECT current_setting('server_version')", &[])
        .and_then(|row| row.try_get(0))
        .context("could not query the server version")?;
    let target = db.info.to_string();
    drop(db);

    output::stdout(&format!("{url}\nexport DATABASE_URL={url}\n"))?;
    output::stderr(&format!(
        "PostgreSQL {version} is running at {target} (data directory {}).\n\
         It is a throwaway server: everything is deleted when it stops.\n\
         Press Ctrl-C (or send SIGTERM) to stop it.\n",
        cluster.data_dir().display()
    ));

    let signal = signals.wait()?;
    output::info(&format!("received {}, stopping...\n", signal_name(signal)));
    let dir = cluster.dir().to_path_buf();
    drop(cluster);
    output::info(&format!("stopped; removed {}\n", dir.display()));
    Ok(0)
}

fn signal_name(signal: i32) -> &'static str {
    match signal {
        libc::SIGINT => "SIGINT",
        libc::SIGTERM => "SIGTERM",
        libc::SIGHUP => "SIGHUP",
        _ => "a signal",
    }
}

/// Signals blocked in this thread (and every thread started after), to be taken with
/// [`SignalSet::wait`].
struct SignalSet {
    set: libc::sigset_t,
}

impl SignalSet {
    fn block(signals: &[i32]) -> anyhow::Result<SignalSet> {
        // SAFETY: a zeroed sigset_t is valid storage; sigemptyset/sigaddset initialise it
        // and pthread_sigmask only reads it.
        unsafe {
            let mut set: libc::sigset_t = std::mem::zeroed();
            libc::sigemptyset(&mut set);
            for &signal in signals {
                libc::sigaddset(&mut set, signal);
            }
            let rc = libc::pthread_sigmask(libc::SIG_BLOCK, &set, std::ptr::null_mut());
            if rc != 0 {
                return Err(std::io::Error::from_raw_os_error(rc))
                    .context("could not block SIGINT/SIGTERM");
            }
            Ok(SignalSet { set })
        }
    }

    /// Waits until one of the signals is pending and takes it.
    fn wait(&self) -> anyhow::Result<i32> {
        let mut signal: libc::c_int = 0;
        // SAFETY: `self.set` was initialised in `block`; `signal` is valid for writing.
        let rc = unsafe { libc::sigwait(&self.set, &mut signal) };
        if rc != 0 {
            return Err(std::io::Error::from_raw_os_error(rc)).context("sigwait failed");
        }
        Ok(signal)
    }
}
