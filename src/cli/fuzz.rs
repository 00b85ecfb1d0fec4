//! `audcheck fuzz`: the property mode against one target.

use super::common::{Format, parse_profile, run_meta, select_specs, write_atomic, write_reports};
use super::{Exit, Failure};
use anyhow::{Context, anyhow};
use audcheck::model::Profile;
use audcheck::report;
use audcheck::run::{self, FuzzConfig};
use audcheck::token::{Clock, Keys};
use clap::Args;
use std::path::PathBuf;
use std::time::{Instant, SystemTime};

#[derive(Args)]
pub struct FuzzArgs {
    /// The target to search (see `audcheck targets`).
    #[arg(long, value_name = "NAME")]
    target: String,
    /// Profile whose rules the oracle applies (repeatable; default: rfc8725).
    #[arg(long = "profile", value_name = "NAME", value_parser = parse_profile)]
    profiles: Vec<Profile>,
    /// Generated pairs to try.
    #[arg(long, default_value_t = FuzzConfig::DEFAULT_CASES)]
    cases: u32,
    /// Seed of the generator; the same seed and cases replay the same search (default: random, printed).
    #[arg(long)]
    seed: Option<u64>,
    /// Write the counterexamples as a suite file, to keep them as regression cases.
    #[arg(long, value_name = "FILE")]
    export_suite: Option<PathBuf>,
    /// Folder the report is written to.
    #[arg(long, default_value = "reports/fuzz")]
    out: PathBuf,
    /// An adapter folder (with an adapter.json) to add to the shipped ones (repeatable).
    #[arg(long = "adapter", value_name = "DIR")]
    adapters: Vec<PathBuf>,
    /// Report formats, comma-separated.
    #[arg(long, value_delimiter = ',', default_value = "json,md")]
    format: Vec<Format>,
}

pub fn fuzz(args: FuzzArgs) -> Result<Exit, Failure> {
    let started = SystemTime::now();
    let timer = Instant::now();
    let target = select_specs(std::slice::from_ref(&args.target), &args.adapters)?.remove(0).start();
    let profiles = if args.profiles.is_empty() { vec![Profile::Rfc8725] } else { args.profiles.clone() };
    if args.cases == 0 {
        return Err(Failure::input(anyhow!("--cases 0 tries nothing; give at least 1")));
    }
    let seed = args.seed.unwrap_or_else(|| started.duration_since(SystemTime::UNIX_EPOCH).map(|d| d.as_nanos() as u64).unwrap_or(1));
    let keys = Keys::test();
    let clock = Clock::system();
    let controls = run::controls().map_err(|e| Failure::harness(anyhow!("{e}")))?;
    let prepared = run::prepare(controls, vec![], keys, clock);
    let target_run = run::run_target(target.as_ref(), &prepared, &profiles, keys, clock, &|| {});
    let fuzz_run = run::fuzz(target.as_ref(), keys, clock, &FuzzConfig::new(args.cases, seed, profiles.clone()));
    let meta = run_meta(started, timer.elapsed(), clock, vec![]);
    let mut report = report::build(&target_run, &prepared, &profiles, meta);
    let section = report::fuzz_section(&fuzz_run);
    let name = target.identity().name.clone();
    print!("{}", report::fuzz_markdown(&section, &name));
    if let Some(path) = &args.export_suite {
        let suite = report::counterexample_suite(&section, &name);
        let text = serde_json::to_string_pretty(&suite).expect("a suite serializes") + "\n";
        write_atomic(path, &text).with_context(|| "choose another --export-suite path").map_err(Failure::harness)?;
        println!("wrote {} counterexample case(s) to {}", section.counterexamples.len(), path.display());
    }
    report.fuzz = Some(section);
    std::fs::create_dir_all(&args.out)
        .with_context(|| format!("cannot create the report folder {}; choose another with --out", args.out.display()))
        .map_err(Failure::harness)?;
    write_reports(&report, &args.out, &args.format).map_err(Failure::harness)?;
    if !report.target.trusted {
        eprintln!("audcheck: {name} is UNTRUSTED (a control failed): {}", report.target.untrusted_because.join("; "));
    }
    Ok(if report.failures() > 0 || !report.target.trusted { Exit::Failures } else { Exit::Conformant })
}
