//! Property cases per second against the in-process jsonwebtoken target, and the
//! harness's share of that time. Run: `cargo bench --bench property`.
//!
//! - `verify-only/<alg>`: the library verifying pre-made tokens through the target: the
//!   baseline, close to a plain loop over `jsonwebtoken::decode`.
//! - `generate`: drawing one pair from the strategies.
//! - `sign/<alg>`: making the token of a pair.
//! - `case/<alg>`: one whole property case: draw, sign, verify, judge under every profile.
//!
//! Harness share = 1 - verify-only / case.

use audcheck::generate::{Probe, probe};
use audcheck::model::{Alg, Profile};
use audcheck::run::Prober;
use audcheck::validator::{Library, RustJsonwebtoken};
use audcheck::token::{Clock, Keys};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use proptest::strategy::{Strategy, ValueTree};
use proptest::test_runner::TestRunner;
use std::hint::black_box;

fn probes(n: usize) -> Vec<Probe> {
    let mut runner = TestRunner::deterministic();
    let s = probe();
    (0..n).map(|_| s.new_tree(&mut runner).unwrap().current()).collect()
}

fn bench(c: &mut Criterion) {
    let target = RustJsonwebtoken::new(false);
    let keys = Keys::test();
    let clock = Clock::system();
    let pairs = probes(512);
    let mut g = c.benchmark_group("property");
    g.throughput(Throughput::Elements(1));

    let mut runner = TestRunner::deterministic();
    let strategy = probe();
    g.bench_function("generate", |b| b.iter(|| black_box(strategy.new_tree(&mut runner).unwrap().current())));

    for alg in [Alg::HS256, Alg::RS256] {
        let prober = Prober::new(&target, keys, clock, Profile::ALL).with_alg(alg);
        let tokens: Vec<String> = pairs.iter().map(|p| prober.token(p).expect("signs")).collect();
        let mut j = 0;
        g.bench_function(format!("sign/{alg}"), |b| {
            b.iter(|| {
                j = (j + 1) % pairs.len();
                black_box(prober.token(&pairs[j]))
            })
        });
        let key = keys.trusted(alg);
        let mut i = 0;
        g.bench_function(format!("verify-only/{alg}"), |b| {
            b.iter(|| {
                i = (i + 1) % pairs.len();
                let request = audcheck::validator::Request {
                    id: "bench",
                    token: &tokens[i],
                    alg,
                    key,
                    audience: pairs[i].audience.as_deref(),
                    issuer: Some(audcheck::run::ISSUER),
                    now: clock.now(),
                };
                black_box(target.verify(&request))
            })
        });
        let mut runner = TestRunner::deterministic();
        g.bench_function(format!("case/{alg}"), |b| {
            b.iter(|| {
                let p = strategy.new_tree(&mut runner).unwrap().current();
                black_box(prober.check(&p))
            })
        });
    }
    g.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(30).measurement_time(std::time::Duration::from_secs(3));
    targets = bench
}
criterion_main!(benches);
