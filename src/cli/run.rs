//! `audcheck run`: suites against targets, reports written to a folder.

use super::common::{Format, Progress, parse_profile, profiles_or, select_specs, writer};
use super::{Exit, Failure, diff, paths};
use audcheck::model::Profile;
use audcheck::run::FuzzConfig;
use audcheck::session::{self, Output, Plan};
use audcheck::token::Clock;
use audcheck::validator::running_service;
use clap::Args;
use std::path::PathBuf;
use std::time::Instant;

#[derive(Args)]
pub struct RunArgs {
    /// Target to run (repeatable; default: every shipped target). See `audcheck targets`.
    #[arg(long = "target", value_name = "NAME")]
    targets: Vec<String>,
    /// Suite file or folder (repeatable; default: the standard suites).
    #[arg(long = "suite", value_name = "PATH")]
    suites: Vec<PathBuf>,
    /// Profile to judge against (repeatable; default: all).
    #[arg(long = "profile", value_name = "NAME", value_parser = parse_profile)]
    profiles: Vec<Profile>,
    /// An adapter folder (with an adapter.json) to add to the shipped ones (repeatable).
    #[arg(long = "adapter", value_name = "DIR")]
    adapters: Vec<PathBuf>,
    /// Report formats, comma-separated.
    #[arg(long, value_delimiter = ',', default_value = "json,md")]
    format: Vec<Format>,
    /// Folder the reports are written to.
    #[arg(long, default_value = "reports")]
    out: PathBuf,
    /// A service you already run, tested as a black box: its protected URL (loopback only).
    /// It must fetch its keys from audcheck's key server (see --keys-port).
    #[arg(long, value_name = "URL", requires = "url_audience")]
    url: Option<String>,
    /// The expected audience the --url service is configured with (repeatable).
    #[arg(long = "url-audience", value_name = "AUD")]
    url_audience: Vec<String>,
    /// Port of the key server (JWKS and OpenID discovery on 127.0.0.1); default: any free port.
    #[arg(long, default_value_t = 0)]
    keys_port: u16,
    /// Also try N generated pairs per target in the property mode (see `audcheck fuzz`).
    #[arg(long, value_name = "N", default_value_t = 0)]
    fuzz: u32,
    /// Seed of the property mode's generator.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// How many targets run at once (default: the number of cores, at most 4; 1: one by one).
    #[arg(long, value_name = "N")]
    jobs: Option<usize>,
    /// An earlier report, or a folder of them: list what changed against it (new bypasses
    /// first) and exit 1 when any verdict changed.
    #[arg(long, value_name = "PATH")]
    baseline: Option<PathBuf>,
}

pub fn run(args: RunArgs) -> Result<Exit, Failure> {
    let timer = Instant::now();
    let suite_paths = paths::suites_or_standard(&args.suites);
    let suites = audcheck::suite::load_paths(&suite_paths).map_err(Failure::input)?;
    let targets = match &args.url {
        Some(url) => {
            let (spec, keys) = running_service(url, &args.url_audience, args.keys_port).map_err(Failure::input)?;
            eprintln!("audcheck: serving the test keys: JWKS {}, discovery {}", keys.jwks_url(), keys.discovery_url("https://auth.example.com"));
            vec![spec]
        }
        None => select_specs(&args.targets, &args.adapters)?,
    };
    let profiles = profiles_or(&args.profiles, Profile::ALL);
    let jobs = args.jobs.unwrap_or_else(default_jobs).max(1);
    let plan = Plan {
        cases: suites.iter().flat_map(|s| s.cases.iter().cloned()).collect(),
        targets,
        property: (args.fuzz > 0).then(|| FuzzConfig::new(args.fuzz, args.seed, profiles.clone())),
        profiles,
        jobs,
        clock: Clock::system(),
        suites: suites.iter().map(|s| s.path.clone()).collect(),
    };
    let output = Output { writer: writer(args.out.clone(), &args.format), baseline: args.baseline.clone() };
    let finished = session::run(plan, Some(&output), &Progress::new())?;

    let mut exit = if finished.conformant() { Exit::Conformant } else { Exit::Failures };
    for d in &finished.done {
        match (&args.baseline, &d.baseline) {
            (Some(_), Some(old)) if diff::compare(old, &d.report) => exit = Exit::Failures,
            (Some(base), None) => eprintln!("audcheck: warning: {} holds no report of {}; nothing to compare", base.display(), d.report.target.name),
            _ => {}
        }
    }
    println!("reports in {}/ ({} ms, {jobs} at a time, peak memory {})", args.out.display(), timer.elapsed().as_millis(), peak_memory());
    if finished.nothing_ran() {
        eprintln!("audcheck: no case ran on any target (all skipped); nothing was tested");
        return Ok(Exit::Failures);
    }
    Ok(exit)
}

/// Two targets at a time on two cores: an adapter's start-up (a JVM, a service) overlaps
/// another target's cases.
fn default_jobs() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get()).clamp(1, 4)
}

/// This process's peak resident memory (Linux), for the closing line and the benches.
fn peak_memory() -> String {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let kib = status.lines().find_map(|l| l.strip_prefix("VmHWM:")).and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok());
    kib.map_or_else(|| "unknown".into(), |k| format!("{} MiB", k / 1024))
}
