//! Measures how long a throwaway cluster takes to start (to a server answering queries)
//! and to stop. `STRATA_PG_TEMPLATE=0` measures plain `initdb` for comparison.
//!
//! ```text
//! cargo run --release -p strata-pg --example cluster_start -- 10
//! STRATA_PG_TEMPLATE=0 cargo run --release -p strata-pg --example cluster_start -- 10
//! ```

use std::time::{Duration, Instant};

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let runs: usize = std::env::args()
        .nth(1)
        .map(|a| a.parse())
        .transpose()?
        .unwrap_or(10)
        .max(1);
    // The first start may have to build the template; it is reported separately.
    let first = Instant::now();
    drop(strata_pg::Cluster::start()?);
    let first = first.elapsed();
    let mut starts = Vec::with_capacity(runs);
    let mut stops = Vec::with_capacity(runs);
    for _ in 0..runs {
        let t = Instant::now();
        let cluster = strata_pg::Cluster::start()?;
        starts.push(t.elapsed());
        let t = Instant::now();
        drop(cluster);
        stops.push(t.elapsed());
    }
    let min = starts.iter().min().copied().unwrap_or_default();
    let max = starts.iter().max().copied().unwrap_or_default();
    println!(
        "first start {:.0} ms; {runs} starts: median {:.0} ms (min {:.0}, max {:.0}); median stop {:.0} ms",
        first.as_secs_f64() * 1e3,
        median(starts).as_secs_f64() * 1e3,
        min.as_secs_f64() * 1e3,
        max.as_secs_f64() * 1e3,
        median(stops).as_secs_f64() * 1e3,
    );
    Ok(())
}
