//! Cases per second through the adapter protocol, beside the same adapter's verify() in a
//! plain loop in its own language (the physical limit). Run: `cargo bench --bench protocol`.
//!
//! Both sides verify the same requests: every standard-suite case the adapter's library
//! supports, written once to target/protocol-bench/requests.jsonl.

use audcheck::run::Prepared;
use audcheck::suite;
use audcheck::validator::{Request, Spec, Validator, adapter_dirs, request_line, specs};
use audcheck::token::{Clock, Keys};
use std::path::PathBuf;
use std::process::Command;
use std::time::Instant;

const ROUNDS: usize = 5;

fn requests<'a>(target: &dyn Validator, prepared: &'a [Prepared], keys: &'a Keys, clock: Clock) -> Vec<Request<'a>> {
    let algs = &target.identity().capabilities.algorithms;
    prepared
        .iter()
        .filter(|p| algs.contains(&p.case.alg))
        .map(|p| Request {
            id: &p.case.id,
            token: &p.token.compact,
            alg: p.case.alg,
            key: keys.trusted(p.case.alg),
            audience: p.case.audience.as_deref(),
            issuer: p.case.issuer.as_deref(),
            now: clock.now(),
        })
        .collect()
}

fn main() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let cases = suite::load_paths(&[root.join("suites")]).expect("suites").into_iter().flat_map(|s| s.cases).collect();
    let keys = Keys::test();
    let clock = Clock::system();
    let prepared = audcheck::session::prepare(cases, keys, clock).expect("the tokens sign");
    let out = root.join("target/protocol-bench");
    std::fs::create_dir_all(&out).unwrap();
    println!("{:<22} {:>8} {:>14} {:>14} {:>7}", "adapter", "cases", "harness/s", "plain loop/s", "ratio");
    for (name, loop_cmd) in [("node-jsonwebtoken", vec!["node", "loop.js"]), ("python-pyjwt", vec![".venv/bin/python", "loop.py"])] {
        let all = specs(&adapter_dirs(&root.join("adapters"))).unwrap();
        let spec = all.iter().find(|s| s.name() == name && matches!(s, Spec::Process { .. })).expect("adapter");
        let target = spec.start();
        assert!(target.unavailable().is_none(), "{name}: {:?}", target.unavailable());
        let reqs = requests(target.as_ref(), &prepared, keys, clock);
        let file = out.join(format!("{name}.jsonl"));
        std::fs::write(&file, reqs.iter().map(request_line).collect::<Vec<_>>().join("\n") + "\n").unwrap();
        target.verify_batch(&reqs); // warm up
        let t0 = Instant::now();
        for _ in 0..ROUNDS {
            target.verify_batch(&reqs);
        }
        let harness = (reqs.len() * ROUNDS) as f64 / t0.elapsed().as_secs_f64();
        let dir = root.join("adapters").join(name);
        let program = if loop_cmd[0].contains('/') { dir.join(loop_cmd[0]) } else { PathBuf::from(loop_cmd[0]) };
        let o = Command::new(program).arg(loop_cmd[1]).arg(&file).arg((ROUNDS + 1).to_string()).current_dir(&dir).output().unwrap();
        let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap_or_else(|_| panic!("{name} loop: {}", String::from_utf8_lossy(&o.stderr)));
        let plain = v["per_second"].as_f64().unwrap();
        println!("{:<22} {:>8} {:>14.0} {:>14.0} {:>7.2}", name, reqs.len(), harness, plain, harness / plain);
    }
}
