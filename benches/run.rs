//! The whole-run pieces, measured side by side in one run (report ratios, not times).
//! Run: `cargo bench --bench run`.
//!
//! - `sign/<alg>`: making one token of the standard suites (generation per algorithm).
//! - `verify/plain-loop`: `jsonwebtoken::decode` over the standard suites' tokens in a plain
//!   loop, configured as the target configures it: the baseline.
//! - `verify/harness-1-thread`: the same tokens through `run_target` (controls, capability
//!   checks, the target, the judge under every profile) on one thread.
//! - `verify/harness`: the same with the default thread pool (in-process targets run cases
//!   in parallel).
//!
//! Harness rate / plain-loop rate = plain-loop time / harness time (aim: at least 0.8).

use audcheck::model::{Alg, KeyChoice, Profile};
use audcheck::run::{self, Prepared};
use audcheck::suite::{self, Payload};
use audcheck::validator::RustJsonwebtoken;
use audcheck::token::{self, Clock, Keys, jwt_alg};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use jsonwebtoken::{DecodingKey, Validation};
use std::collections::HashMap;
use std::hint::black_box;
use std::path::PathBuf;

fn prepared(keys: &Keys, clock: Clock) -> Vec<Prepared> {
    let suites = suite::load_paths(&[PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("suites")]).expect("the standard suites load");
    let cases = suites.into_iter().flat_map(|s| s.cases).collect();
    audcheck::session::prepare(cases, keys, clock).expect("the tokens sign")
}

fn bench(c: &mut Criterion) {
    let keys = Keys::test();
    let clock = Clock::system();
    let prepared = prepared(keys, clock);

    let mut g = c.benchmark_group("sign");
    g.throughput(Throughput::Elements(1));
    let payload = token::payload_text(&Payload::Claims { claims: serde_json::json!({"aud": "https://api.example.com", "iss": "https://auth.example.com"}).as_object().cloned().unwrap_or_default(), remove: vec![] }, clock);
    for alg in Alg::ALL {
        g.bench_function(alg.as_str(), |b| b.iter(|| black_box(token::build(keys, &payload, &Default::default(), *alg, KeyChoice::Default).unwrap())));
    }
    g.finish();

    let mut g = c.benchmark_group("verify");
    g.throughput(Throughput::Elements(prepared.len() as u64));
    // The plain loop: keys parsed once, a Validation per token, as the target does.
    let mut decoding: HashMap<Alg, DecodingKey> = HashMap::new();
    for alg in Alg::ALL {
        let k = keys.trusted(*alg);
        let pem = k.pem.as_deref().unwrap_or_default().as_bytes();
        let key = match alg {
            Alg::HS256 => DecodingKey::from_secret(k.secret.as_deref().unwrap_or_default()),
            Alg::RS256 | Alg::PS256 => DecodingKey::from_rsa_pem(pem).unwrap(),
            Alg::ES256 => DecodingKey::from_ec_pem(pem).unwrap(),
            Alg::EdDSA => DecodingKey::from_ed_pem(pem).unwrap(),
        };
        decoding.insert(*alg, key);
    }
    g.bench_function("plain-loop", |b| {
        b.iter(|| {
            for p in &prepared {
                let t = &p.token;
                let mut v = Validation::new(jwt_alg(p.case.alg));
                if let Some(a) = &p.case.audience {
                    v.set_audience(a);
                }
                if let Some(i) = &p.case.issuer {
                    v.set_issuer(&[i]);
                }
                black_box(jsonwebtoken::decode::<serde_json::Value>(&t.compact, &decoding[&p.case.alg], &v).is_ok());
            }
        })
    });
    let target = RustJsonwebtoken::new(false);
    let one = rayon::ThreadPoolBuilder::new().num_threads(1).build().unwrap();
    g.bench_function("harness-1-thread", |b| b.iter(|| one.install(|| black_box(run::run_target(&target, &prepared, Profile::ALL, keys, clock, &|| {})))));
    g.bench_function("harness", |b| b.iter(|| black_box(run::run_target(&target, &prepared, Profile::ALL, keys, clock, &|| {}))));
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
