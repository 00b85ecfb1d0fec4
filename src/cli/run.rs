//! `audcheck run`: suites against targets, reports written to a folder.

use super::common::{Format, Progress, parse_profile, profiles_or, select_specs, writer};
use super::{Exit, Failure, diff, paths};
use anyhow::anyhow;
use audcheck::files::ready_folder;
use audcheck::model::{Alg, Profile};
use audcheck::run::{FuzzConfig, ISSUER};
use audcheck::session::{self, Output, Plan, Shard};
use audcheck::token::Clock;
use audcheck::validator::{KeyServer, RunningService, Spec, TokenPlacement, host_of, is_loopback, running_service};
use clap::Args;
use std::path::PathBuf;
use std::time::{Duration, Instant};

#[derive(Args)]
pub struct RunArgs {
    /// Target to run (repeatable; default: every shipped target). See `audcheck targets`.
    #[arg(long = "target", value_name = "NAME", conflicts_with = "url")]
    targets: Vec<String>,
    /// Suite file or folder (repeatable; default: the standard suites).
    #[arg(long = "suite", value_name = "PATH")]
    suites: Vec<PathBuf>,
    /// Profile to judge against (repeatable; default: all).
    #[arg(long = "profile", value_name = "NAME", value_parser = parse_profile)]
    profiles: Vec<Profile>,
    /// An adapter folder (with an adapter.json) to add to the shipped ones (repeatable).
    #[arg(long = "adapter", value_name = "DIR", conflicts_with = "url")]
    adapters: Vec<PathBuf>,
    /// Report formats, comma-separated.
    #[arg(long, value_delimiter = ',', default_value = "json,md")]
    format: Vec<Format>,
    /// Folder the reports are written to.
    #[arg(long, default_value = "reports")]
    out: PathBuf,
    /// A service you already run, tested as a black box: its protected URL (loopback unless
    /// --allow-remote). It must fetch its keys from audcheck's key server (see --keys-port),
    /// or share the HS256 test secret (see --url-alg). See docs/own-service.md.
    #[arg(long, value_name = "URL", requires = "url_audience")]
    url: Option<String>,
    /// The expected audience the --url service is configured with (repeatable).
    #[arg(long = "url-audience", value_name = "AUD", requires = "url")]
    url_audience: Vec<String>,
    /// An algorithm the --url service accepts (repeatable; default: RS256, PS256, ES256,
    /// EdDSA). Cases that name another are skipped; the others are signed with RS256 where
    /// it is given, else the first. HS256 uses the test secret in suites/keys/hmac.jwk.json.
    #[arg(long = "url-alg", value_name = "ALG", requires = "url", value_parser = parse_alg)]
    url_alg: Vec<Alg>,
    /// Where the --url service reads the token: bearer (Authorization: Bearer), header:NAME,
    /// cookie:NAME or query:NAME.
    #[arg(long = "url-token", value_name = "WHERE", requires = "url", default_value = "bearer", value_parser = parse_placement)]
    url_token: TokenPlacement,
    /// The target name of the --url service: its report is NAME.json.
    #[arg(long = "url-name", value_name = "NAME", requires = "url", default_value = "service")]
    url_name: String,
    /// The library the --url service validates with, as NAME@VERSION, for the report.
    #[arg(long = "url-library", value_name = "NAME@VERSION", requires = "url", value_parser = parse_library)]
    url_library: Option<(String, String)>,
    /// The issuer of every token, and the one the --url service expects. An http URL on the
    /// key server (http://127.0.0.1:PORT[/PATH], with --keys-port PORT) gets discovery
    /// documents at <issuer>/.well-known/openid-configuration, for middleware configured by
    /// its issuer alone.
    #[arg(long, value_name = "URL", requires = "url")]
    issuer: Option<String>,
    /// How long the --url service may take to answer (any status) before the first case:
    /// else audcheck stops with exit 2.
    #[arg(long = "url-wait", value_name = "SECONDS", requires = "url", default_value_t = 30)]
    url_wait: u64,
    /// Allow a --url (or a manifest's url) off loopback: a CI service container, a staging host.
    #[arg(long)]
    allow_remote: bool,
    /// Port of the key server (JWKS and OpenID discovery); default: any free port.
    #[arg(long, default_value_t = 0)]
    keys_port: u16,
    /// Address the key server listens on (default 127.0.0.1; 0.0.0.0 to reach it from a
    /// container).
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1")]
    keys_bind: std::net::IpAddr,
    /// Also try N generated pairs per target in the property mode (see `audcheck fuzz`).
    #[arg(long, value_name = "N", default_value_t = 0)]
    fuzz: u32,
    /// Seed of the property mode's generator.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// How many targets run at once (default: the number of cores, at most 4; 1: one by one).
    #[arg(long, value_name = "N", value_parser = parse_jobs)]
    jobs: Option<usize>,
    /// An earlier report, or a folder of them: list what changed against it (new bypasses
    /// first) and exit 1 when any verdict changed.
    #[arg(long, value_name = "PATH")]
    baseline: Option<PathBuf>,
    /// Keep library messages exactly as given. By default, clock values, loopback ports and
    /// temporary paths in them are replaced by <iat>, <exp>, <now>, <port>, <tmp>, so a
    /// report of an unchanged library is the same file run after run.
    #[arg(long)]
    raw_messages: bool,
    /// Run only shard K of N of the targets (say 2/3), for CI matrix jobs: a deterministic
    /// split balanced by the targets' cost. Merge the shards' folders with `audcheck index
    /// DIR... --out DIR`. See docs/ci.md.
    #[arg(long, value_name = "K/N", value_parser = parse_shard, conflicts_with = "url")]
    shard: Option<Shard>,
}

pub fn run(args: RunArgs) -> Result<Exit, Failure> {
    let timer = Instant::now();
    let suite_paths = paths::suites_or_standard(&args.suites);
    let suites = audcheck::suite::load_paths(&suite_paths).map_err(Failure::input)?;
    // Before anything slow (a service's readiness, the targets): no result is lost to a typo.
    ready_folder("--out", &args.out)?;
    if let Some(b) = args.baseline.as_ref().filter(|b| !b.exists()) {
        return Err(session::SessionError::NoBaseline(b.clone()).into());
    }
    let targets = match &args.url {
        Some(url) => {
            let service = RunningService {
                url: url.clone(),
                audience: args.url_audience.clone(),
                algorithms: if args.url_alg.is_empty() { vec![Alg::RS256, Alg::PS256, Alg::ES256, Alg::EdDSA] } else { args.url_alg.clone() },
                token: args.url_token.clone(),
                name: args.url_name.clone(),
                library: args.url_library.clone(),
                issuer: args.issuer.clone(),
                allow_remote: args.allow_remote,
                keys_bind: args.keys_bind,
                keys_port: args.keys_port,
                ready_timeout: Duration::from_secs(args.url_wait),
            };
            let (spec, keys) = running_service(&service).map_err(Failure::input)?;
            let issuer = args.issuer.as_deref().unwrap_or(ISSUER);
            eprintln!("audcheck: serving the test keys: JWKS {}, discovery {}", keys.jwks_url(), keys.discovery_url(issuer));
            vec![spec]
        }
        None => {
            let mut specs = select_specs(&args.targets, &args.adapters)?;
            if let Some(shard) = args.shard {
                specs = shard.pick(specs);
                if specs.is_empty() {
                    return Err(Failure::input(anyhow!("--shard {shard}: no target falls in this shard; give fewer shards than targets")));
                }
                let names: Vec<&str> = specs.iter().map(|s| s.name()).collect();
                eprintln!("audcheck: shard {shard}: {}", names.join(", "));
            }
            remote_allowed(&specs, args.allow_remote)?;
            // Services audcheck starts fetch their keys from this server.
            KeyServer::get_on(args.keys_bind, args.keys_port).map_err(Failure::input)?;
            specs
        }
    };
    let profiles = profiles_or(&args.profiles, Profile::ALL);
    let jobs = args.jobs.unwrap_or_else(default_jobs);
    let plan = Plan {
        cases: suites.iter().flat_map(|s| s.cases.iter().cloned()).collect(),
        targets,
        property: (args.fuzz > 0).then(|| FuzzConfig::new(args.fuzz, args.seed, profiles.clone())),
        profiles,
        jobs,
        clock: Clock::system(),
        suites: suites.iter().map(|s| s.path.clone()).collect(),
        raw_messages: args.raw_messages,
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

/// A manifest's running service off loopback needs --allow-remote.
fn remote_allowed(specs: &[Spec], allow: bool) -> Result<(), Failure> {
    for s in specs {
        if let Spec::Http { service, dir, .. } = s
            && let Some(url) = &service.url
            && !allow
            && !host_of(url).is_some_and(is_loopback)
        {
            return Err(Failure::input(anyhow!(
                "{}: the service at {url} is not on loopback; give --allow-remote to test it",
                dir.join("adapter.json").display()
            )));
        }
    }
    Ok(())
}

fn parse_jobs(s: &str) -> Result<usize, String> {
    match s.parse::<usize>() {
        Ok(0) => Err("0 runs no target; give 1 or more (1: one target at a time)".into()),
        Ok(n) => Ok(n),
        Err(_) => Err(format!("\"{s}\" is not a number of targets; give 1 or more")),
    }
}

fn parse_shard(s: &str) -> Result<Shard, String> {
    s.parse().map_err(|e: audcheck::session::BadShard| e.to_string())
}

fn parse_alg(s: &str) -> Result<Alg, String> {
    s.parse().map_err(|e: audcheck::model::UnknownWord| e.to_string())
}

fn parse_placement(s: &str) -> Result<TokenPlacement, String> {
    s.parse().map_err(|e: audcheck::validator::BadPlacement| e.to_string())
}

fn parse_library(s: &str) -> Result<(String, String), String> {
    match s.rsplit_once('@') {
        Some((name, version)) if !name.is_empty() && !version.is_empty() => Ok((name.into(), version.into())),
        _ => Err(format!("\"{s}\" is not NAME@VERSION (say express-jwt@8.5.1)")),
    }
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
