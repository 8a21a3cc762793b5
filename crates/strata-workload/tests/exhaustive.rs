//! The selection against exhaustive search: on random small instances (up to 9 candidates,
//! forced ones, foreign keys to serve, updates that lose HOT), the branch and bound finds a
//! set exactly as cheap as the cheapest of all 2^n subsets, and the greedy search never
//! reports a set cheaper than that.

use proptest::prelude::*;
use strata_model::{Index, IndexKey, QualifiedName};
use strata_workload::CostParams;
use strata_workload::candidates::{Candidate, Origin};
use strata_workload::cost::ReadPlan;
use strata_workload::select::{Method, Problem, ReadRow, WriteKind, WriteRow};

const COLUMNS: [&str; 4] = ["a", "b", "c", "d"];

#[derive(Debug, Clone)]
struct Spec {
    forced: Vec<bool>,
    columns: Vec<Vec<usize>>,
    pages: Vec<f64>,
    share: Vec<f64>,
    reads: Vec<(f64, f64, Vec<Option<f64>>)>,
    writes: Vec<(f64, u8, Vec<usize>)>,
    requirements: Vec<Vec<usize>>,
}

fn spec() -> impl Strategy<Value = Spec> {
    (1usize..=9).prop_flat_map(|n| {
        (
            prop::collection::vec(prop::bool::weighted(0.15), n),
            prop::collection::vec(prop::collection::vec(0usize..4, 1..3), n),
            prop::collection::vec(1.0f64..5000.0, n),
            prop::collection::vec(0.05f64..1.0, n),
            prop::collection::vec(
                (
                    0.01f64..500.0,
                    10.0f64..10_000.0,
                    prop::collection::vec(prop::option::weighted(0.5, 0.5f64..2_000.0), n),
                ),
                1..5,
            ),
            prop::collection::vec(
                (
                    0.0f64..200.0,
                    0u8..3,
                    prop::collection::vec(0usize..4, 0..3),
                ),
                0..3,
            ),
            prop::collection::vec(prop::collection::vec(0usize..n, 1..3), 0..3),
        )
            .prop_map(
                |(forced, columns, pages, share, reads, writes, requirements)| Spec {
                    forced,
                    columns,
                    pages,
                    share,
                    reads,
                    writes,
                    requirements,
                },
            )
    })
}

fn problem(s: &Spec) -> Problem {
    let n = s.forced.len();
    let params = CostParams::default();
    let candidates: Vec<Candidate> = (0..n)
        .map(|i| Candidate {
            table: QualifiedName::public("t"),
            index: Index::btree(
                format!("idx_{i}"),
                s.columns[i]
                    .iter()
                    .map(|&c| IndexKey::column(COLUMNS[c]))
                    .collect(),
            ),
            conds: Vec::new(),
            origin: if s.forced[i] {
                Origin::Pinned
            } else {
                Origin::Pattern(format!("p{i}"))
            },
            shape: String::new(),
        })
        .collect();
    let plan = |cost: f64| ReadPlan {
        cost,
        index_only: false,
        sort_avoided: false,
        scanned: 1.0,
    };
    Problem {
        forced: s.forced.clone(),
        reads: s
            .reads
            .iter()
            .enumerate()
            .map(|(k, (rate, scan, through))| ReadRow {
                pattern: k,
                rate: *rate,
                scan: plan(*scan),
                through: through.iter().map(|c| c.map(plan)).collect(),
            })
            .collect(),
        writes: s
            .writes
            .iter()
            .map(|(rows, kind, cols)| WriteRow {
                pattern: None,
                rows: *rows,
                kind: match kind {
                    0 => WriteKind::Insert,
                    1 => WriteKind::Delete,
                    _ => WriteKind::Update(cols.iter().map(|&c| COLUMNS[c].to_string()).collect()),
                },
            })
            .collect(),
        requirements: s
            .requirements
            .iter()
            .enumerate()
            .map(|(k, serving)| (format!("fk{k}"), serving.clone()))
            .collect(),
        size_cost: s
            .pages
            .iter()
            .map(|p| p * params.size_per_page + params.per_index)
            .collect(),
        pages: s.pages.clone(),
        share: s.share.clone(),
        columns: s
            .columns
            .iter()
            .map(|cs| cs.iter().map(|&c| COLUMNS[c].to_string()).collect())
            .collect(),
        candidates,
        params,
    }
}

fn exhaustive(p: &Problem) -> f64 {
    let n = p.candidates.len();
    (0u32..(1 << n))
        .map(|mask| {
            let set: Vec<bool> = (0..n)
                .map(|i| mask & (1 << i) != 0 && !p.forced[i])
                .collect();
            p.evaluate(&set).total()
        })
        .fold(f64::INFINITY, f64::min)
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1.0)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn branch_and_bound_matches_exhaustive_search(s in spec()) {
        let p = problem(&s);
        let (set, method) = p.solve();
        prop_assert_eq!(method, Method::Exact);
        let best = exhaustive(&p);
        let found = p.evaluate(&set).total();
        prop_assert!(close(found, best), "found {} but the cheapest subset costs {}", found, best);
        // Forced candidates are never part of the free choice.
        prop_assert!(set.iter().zip(&p.forced).all(|(s, f)| !(*s && *f)));
    }

    #[test]
    fn greedy_is_never_better_than_the_optimum(s in spec()) {
        let p = problem(&s);
        let greedy = p.evaluate(&p.greedy()).total();
        let best = exhaustive(&p);
        prop_assert!(greedy >= best - 1e-9 * best.abs().max(1.0));
    }
}

#[test]
fn an_update_of_an_indexed_column_loses_hot_for_every_index() {
    // Two indexes; updates write column `b`, which only the second stores.
    let s = Spec {
        forced: vec![false, false],
        columns: vec![vec![0], vec![1]],
        pages: vec![10.0, 10.0],
        share: vec![1.0, 1.0],
        reads: vec![(1.0, 100.0, vec![Some(1.0), Some(1.0)])],
        writes: vec![(10.0, 2, vec![1])],
        requirements: vec![],
    };
    let p = problem(&s);
    let k = &p.params;
    let first = p.evaluate(&[true, false]).upkeep;
    let both = p.evaluate(&[true, true]).upkeep;
    assert_eq!(first, 0.0, "updates of b stay HOT with only the index on a");
    assert!(
        close(both, 10.0 * 2.0 * k.index_insert),
        "with the index on b every update writes both indexes: {both}"
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(8))]

    /// Too many candidates to search them all: the answer is never worse than the greedy one,
    /// and the method says whether the search finished.
    #[test]
    fn large_instances_are_no_worse_than_greedy(seed in 0u64..1_000) {
        let n = 40;
        let mut x = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        let mut next = move || {
            x = x.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            (x >> 33) as f64 / (1u64 << 31) as f64
        };
        let s = Spec {
            forced: (0..n).map(|_| false).collect(),
            columns: (0..n).map(|i| vec![i % 4, (i / 4) % 4]).collect(),
            pages: (0..n).map(|_| 10.0 + 4000.0 * next()).collect(),
            share: (0..n).map(|_| 0.1 + 0.9 * next()).collect(),
            reads: (0..12)
                .map(|_| {
                    (
                        1.0 + 200.0 * next(),
                        1000.0 + 9000.0 * next(),
                        (0..n)
                            .map(|_| (next() < 0.3).then(|| 1.0 + 900.0 * next()))
                            .collect(),
                    )
                })
                .collect(),
            writes: vec![(50.0, 0, vec![]), (10.0, 2, vec![1])],
            requirements: vec![(0..n).filter(|i| i % 7 == 0).collect()],
        };
        let p = problem(&s);
        let (set, method) = p.solve();
        let found = p.evaluate(&set).total();
        let greedy = p.evaluate(&p.greedy()).total();
        prop_assert!(found <= greedy + 1e-9 * greedy.abs().max(1.0));
        prop_assert!(matches!(method, Method::Exact | Method::Greedy));
        // The foreign key is served.
        prop_assert_eq!(p.evaluate(&set).penalty, 0.0);
    }
}
