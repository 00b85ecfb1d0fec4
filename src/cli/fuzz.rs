//! `audcheck fuzz`: the property mode against one target.

use super::common::{Format, Progress, parse_profile, profiles_or, select_specs, writer};
use super::{Exit, Failure};
use anyhow::{Context, anyhow};
use audcheck::files::{ready_file, ready_folder};
use audcheck::model::Profile;
use audcheck::report::{self, write_atomic};
use audcheck::run::{FuzzConfig, ISSUER, found_cases};
use audcheck::session::{self, Output, Plan};
use audcheck::suite::regression_suite;
use audcheck::token::Clock;
use clap::Args;
use std::path::PathBuf;
use std::time::SystemTime;

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
    let targets = select_specs(std::slice::from_ref(&args.target), &args.adapters)?;
    if args.cases == 0 {
        return Err(Failure::input(anyhow!("--cases 0 tries nothing; give at least 1")));
    }
    // Checked before the search, so its counterexamples are not lost to a path typo.
    if let Some(path) = &args.export_suite {
        ready_file("--export-suite", path)?;
    }
    ready_folder("--out", &args.out)?;
    let seed = args.seed.unwrap_or_else(|| SystemTime::now().duration_since(SystemTime::UNIX_EPOCH).map(|d| d.as_nanos() as u64).unwrap_or(1));
    let profiles = profiles_or(&args.profiles, &[Profile::Rfc8725]);
    let plan = Plan {
        cases: vec![],
        targets,
        property: Some(FuzzConfig::new(args.cases, seed, profiles.clone())),
        profiles,
        jobs: 1,
        clock: Clock::system(),
        suites: vec![],
        raw_messages: false,
    };
    let output = Output { writer: writer(args.out.clone(), &args.format), baseline: None };
    let finished = session::run(plan, Some(&output), &Progress::new())?;
    let done = finished.done.first().expect("one target");
    let (r, found) = (&done.report, done.property.as_ref().expect("the property mode ran"));
    let name = &r.target.name;
    print!("{}", report::fuzz_markdown(r.fuzz.as_ref().expect("a property section"), name));
    if let Some(path) = &args.export_suite {
        let text = regression_suite(name, found.seed, ISSUER, &found_cases(found, name));
        write_atomic(path, &text).with_context(|| "choose another --export-suite path").map_err(Failure::harness)?;
        println!("wrote {} counterexample case(s) to {}", found.counterexamples.len(), path.display());
    }
    if !r.target.trusted {
        eprintln!("audcheck: {name} is UNTRUSTED (a control failed): {}", r.target.untrusted_because.join("; "));
    }
    Ok(if finished.conformant() { Exit::Conformant } else { Exit::Failures })
}
