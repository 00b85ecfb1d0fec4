//! `audcheck run`: suites against targets, reports written to a folder.

use super::common::{Format, parse_profile, run_meta, select_specs, write_reports};
use super::{Exit, Failure, diff, paths};
use anyhow::{Context, anyhow};
use audcheck::model::{Outcome, Profile};
use audcheck::report::{self, Report};
use audcheck::run::{self, Prepared};
use audcheck::model::Alg;
use audcheck::target::{AudienceMode, HttpSection, KeyServer, Service, Spec};
use audcheck::token::{Clock, Keys};
use clap::Args;
use indicatif::{MultiProgress, ProgressBar, ProgressStyle};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::io::IsTerminal;
use std::path::PathBuf;
use std::time::{Instant, SystemTime};

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
    let started = SystemTime::now();
    let timer = Instant::now();
    let suite_paths = paths::suites_or_standard(&args.suites);
    let suites = audcheck::suite::load_paths(&suite_paths).map_err(Failure::input)?;
    let cases: Vec<_> = suites.iter().flat_map(|s| s.cases.iter().cloned()).collect();
    if cases.is_empty() {
        return Err(Failure::input(anyhow!("the suites hold no case; add cases or give other --suite paths")));
    }
    let specs = match &args.url {
        Some(url) => vec![url_spec(url, &args.url_audience, args.keys_port)?],
        None => select_specs(&args.targets, &args.adapters)?,
    };
    if let Some(b) = args.baseline.as_ref().filter(|b| !b.exists()) {
        return Err(Failure::input(anyhow!("--baseline {}: no such file or folder; give a report .json or a folder of them", b.display())));
    }
    let profiles = if args.profiles.is_empty() { Profile::ALL.to_vec() } else { dedup(args.profiles.clone()) };
    let controls = run::controls().map_err(|e| Failure::harness(anyhow!("{e}")))?;
    let keys = Keys::test();
    let clock = Clock::system();
    let prepared = run::prepare(controls, cases, keys, clock);
    std::fs::create_dir_all(&args.out)
        .with_context(|| format!("cannot create the report folder {}; choose another with --out", args.out.display()))
        .map_err(Failure::harness)?;

    let jobs = args.jobs.unwrap_or_else(default_jobs).clamp(1, specs.len().max(1));
    let shared = Shared { args: &args, prepared: &prepared, profiles: &profiles, clock, started, suites: suites.iter().map(|s| s.path.clone()).collect(), bars: MultiProgress::new() };
    let done = run_all(&specs, jobs, &shared);

    let mut exit = Exit::Conformant;
    let mut executed = 0usize;
    for d in done {
        let Done { report, baseline } = d?;
        executed += ran(&report, &prepared);
        match (&args.baseline, baseline) {
            (Some(_), Some(old)) if diff::compare(&old, &report) => exit = Exit::Failures,
            (Some(base), None) => eprintln!("audcheck: warning: {} holds no report of {}; nothing to compare", base.display(), report.target.name),
            _ => {}
        }
        if report.failures() > 0 || !report.target.trusted {
            exit = Exit::Failures;
        }
    }
    if args.format.contains(&Format::Json) {
        super::index::write_index(&args.out)?;
    }
    println!("reports in {}/ ({} ms, {jobs} at a time, peak memory {})", args.out.display(), timer.elapsed().as_millis(), peak_memory());
    if executed == 0 {
        eprintln!("audcheck: no case ran on any target (all skipped); nothing was tested");
        return Ok(Exit::Failures);
    }
    Ok(exit)
}

/// What every target's run shares.
struct Shared<'a> {
    args: &'a RunArgs,
    prepared: &'a [Prepared],
    profiles: &'a [Profile],
    clock: Clock,
    started: SystemTime,
    suites: Vec<String>,
    bars: MultiProgress,
}

/// One target's report, and its baseline when one was asked for.
struct Done {
    report: Report,
    baseline: Option<Report>,
}

/// Targets in parallel, `jobs` at a time, each started when its turn comes and stopped
/// after; results in the order of `specs`.
fn run_all(specs: &[Spec], jobs: usize, shared: &Shared<'_>) -> Vec<Result<Done, Failure>> {
    // Longest first, so the slow services do not start last: HTTP services (a start-up per
    // expected audience), then adapters, then in-process targets.
    let mut order: Vec<usize> = (0..specs.len()).collect();
    order.sort_by_key(|&i| match specs[i] {
        Spec::Http { .. } => 0,
        Spec::Process { .. } => 1,
        Spec::InProcess { .. } => 2,
    });
    let next = AtomicUsize::new(0);
    let slots: Vec<Mutex<Option<Result<Done, Failure>>>> = specs.iter().map(|_| Mutex::new(None)).collect();
    std::thread::scope(|scope| {
        for _ in 0..jobs {
            scope.spawn(|| {
                while let Some(&i) = order.get(next.fetch_add(1, Ordering::Relaxed)) {
                    let done = run_one(&specs[i], shared);
                    if let Ok(d) = &done {
                        shared.bars.suspend(|| println!("{}", summary_line(&d.report)));
                    }
                    *slots[i].lock().unwrap_or_else(|e| e.into_inner()) = Some(done);
                }
            });
        }
    });
    slots.into_iter().map(|m| m.into_inner().unwrap_or_else(|e| e.into_inner()).unwrap_or_else(|| Err(Failure::harness(anyhow!("a target was not run"))))).collect()
}

fn run_one(spec: &Spec, s: &Shared<'_>) -> Result<Done, Failure> {
    let (args, keys) = (s.args, Keys::test());
    let target = spec.start();
    if let Some(why) = target.unavailable() {
        eprintln!("audcheck: warning: {} cannot run; its cases will be errors: {}", spec.name(), why.lines().next().unwrap_or(""));
    }
    let t0 = Instant::now();
    let bar = s.bars.add(progress(target.identity().name.as_str(), s.prepared.len()));
    let tick = || bar.inc(1);
    let target_run = run::run_target(target.as_ref(), s.prepared, s.profiles, keys, s.clock, &tick);
    bar.finish_and_clear();
    let meta = run_meta(s.started, t0.elapsed(), s.clock, s.suites.clone());
    let mut report = report::build(&target_run, s.prepared, s.profiles, meta);
    if args.fuzz > 0 {
        let config = run::FuzzConfig::new(args.fuzz, args.seed, s.profiles.to_vec());
        report.fuzz = Some(report::fuzz_section(&run::fuzz(target.as_ref(), keys, s.clock, &config)));
    }
    drop(target);
    // Read before writing: the baseline may be the report this run replaces.
    let baseline = match &args.baseline {
        Some(base) => diff::baseline_for(base, &report.target.name)?,
        None => None,
    };
    write_reports(&report, &args.out, &args.format).map_err(Failure::harness)?;
    Ok(Done { report, baseline })
}

/// Two targets at a time on two cores: an adapter's start-up (a JVM, a service) overlaps
/// another target's cases.
fn default_jobs() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get()).clamp(1, 4)
}

/// A running service at a loopback URL, with the keys served by audcheck.
fn url_spec(url: &str, audience: &[String], keys_port: u16) -> Result<Spec, Failure> {
    let host = url.split("://").nth(1).and_then(|r| r.split(['/', '?']).next()).unwrap_or("");
    let host = host.rsplit_once(':').map(|(h, _)| h).unwrap_or(host);
    if !(host == "localhost" || host.starts_with("127.") || host == "[::1]") || !url.starts_with("http://") {
        return Err(Failure::input(anyhow!("--url {url}: audcheck only tests services on loopback (http://127.0.0.1:PORT/..., http://localhost:PORT/...)")));
    }
    let keys = KeyServer::get(keys_port).map_err(|e| Failure::input(anyhow!("--keys-port {keys_port}: {e}")))?;
    eprintln!("audcheck: serving the test keys: JWKS {}, discovery {}", keys.jwks_url(), keys.discovery_url("https://auth.example.com"));
    let http = HttpSection {
        library: "unknown".into(),
        language: "unknown".into(),
        ready_path: String::new(),
        ready_timeout_ms: 0,
        ready_any_status: true,
        method: "GET".into(),
        path: String::new(),
        algorithms: vec![Alg::RS256, Alg::PS256, Alg::ES256, Alg::EdDSA],
        audience: AudienceMode::Single,
        no_audience: false,
    };
    let service = Service {
        name: "service".into(),
        command: None,
        url: Some(url.to_string()),
        options: Default::default(),
        http,
        timeout: std::time::Duration::from_secs(5),
        keys_port,
        fixed_audience: audience.to_vec(),
    };
    Ok(Spec::Http { service, manifest: None, dir: PathBuf::from(".") })
}

/// This process's peak resident memory (Linux), for the closing line and the benches.
fn peak_memory() -> String {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let kib = status.lines().find_map(|l| l.strip_prefix("VmHWM:")).and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok());
    kib.map_or_else(|| "unknown".into(), |k| format!("{} MiB", k / 1024))
}

fn dedup(mut v: Vec<Profile>) -> Vec<Profile> {
    v.sort();
    v.dedup();
    v
}

/// Cases other than controls that reached the target.
fn ran(report: &Report, prepared: &[Prepared]) -> usize {
    let controls = prepared.iter().filter(|p| p.control).count();
    let skipped = report.results.iter().filter(|r| r.outcomes.values().all(|o| *o == Outcome::Skipped)).count();
    report.results.len().saturating_sub(controls + skipped)
}

fn progress(name: &str, len: usize) -> ProgressBar {
    if !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(len as u64);
    bar.set_style(ProgressStyle::with_template("{prefix:>32} [{bar:30}] {pos}/{len}").expect("template").progress_chars("=> "));
    bar.set_prefix(name.to_string());
    bar
}

fn summary_line(r: &Report) -> String {
    let mut totals = std::collections::BTreeMap::<Outcome, usize>::new();
    for counts in r.summary.values() {
        for (o, n) in counts {
            *totals.entry(*o).or_default() += n;
        }
    }
    let parts: Vec<String> = totals.iter().filter(|(_, n)| **n > 0).map(|(o, n)| format!("{n} {o}")).collect();
    let trust = if r.target.trusted { "" } else { "  UNTRUSTED (a control failed)" };
    let fuzz = r.fuzz.as_ref().map(|f| format!("; {} generated pairs: {} counterexamples", f.cases, f.counterexamples.len())).unwrap_or_default();
    format!("{:<36} {} cases x {} profiles: {}{fuzz}{trust}", r.target.name, r.results.len(), r.profiles.len(), parts.join(", "))
}

