//! The HTTP transport: a running service behind its framework's middleware, tested as a
//! black box. A service's expected audience is fixed when it starts, so audcheck starts
//! one instance per distinct (audience, issuer) it meets, and stops them all at the end;
//! a service with a configure endpoint is started once and reconfigured (`configure`).

mod configure;
mod port;

use super::keyserver::KeyServer;
use super::manifest::{HttpSection, TokenPlacement};
use super::children::Group;
use super::{Capabilities, Concurrency, Failure, Identity, Request, Validator, Verdict};
use crate::model::Reason;
use serde_json::{Map, Value, json};
use std::collections::HashMap;
use std::io::Read;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// How to start (or where to find) one service.
#[derive(Debug, Clone)]
pub struct Service {
    pub name: String,
    /// `None`: a service the user already runs at `url`.
    pub command: Option<(PathBuf, Vec<String>)>,
    pub url: Option<String>,
    pub options: Map<String, Value>,
    pub http: HttpSection,
    pub timeout: Duration,
    pub keys_port: u16,
    /// With `url`: the audience the running service expects.
    pub fixed_audience: Vec<String>,
    /// The target models a documented misuse (its manifest says so).
    pub misuse: bool,
}

/// Restarts of dead service instances allowed per target.
const MAX_RESTARTS: u32 = 3;

/// Instances starting or serving at once: the current validator input's and the next one's.
const LAUNCHES: usize = 2;

struct Instance {
    /// Where audcheck polls readiness and sends configurations.
    base: String,
    /// Where the protected path is served: `base`, unless the service said otherwise (a
    /// `url` in its ready or configure answer).
    cases: String,
    /// The validator input it is configured for, once known.
    serving: Option<Key>,
    /// Its own connections: a later instance may get the same port, and must not be sent
    /// this one's kept-alive connections.
    agent: ureq::Agent,
    /// The service's process group: stopped, with all it started, when the instance is dropped.
    child: Option<Group>,
    /// The port it was told to listen on, kept from other instances while it runs.
    port: Option<port::Port>,
    log: PathBuf,
}

impl Instance {
    /// How its process ended, once it has (a running service the user started: never).
    fn exited(&mut self) -> Option<std::process::ExitStatus> {
        self.child.as_mut().and_then(Group::exited)
    }

    /// How its process ended, if it ends within a moment: a service that dies closes its
    /// connections a little before it is seen to have exited.
    fn exited_soon(&mut self) -> Option<std::process::ExitStatus> {
        let deadline = Instant::now() + Duration::from_millis(250);
        loop {
            match self.exited() {
                None if self.child.is_some() && Instant::now() < deadline => std::thread::sleep(Duration::from_millis(5)),
                status => return status,
            }
        }
    }

    /// Whether what answered on its port may be another process, which got the port
    /// before the service bound it (then the service is started again on another port).
    fn answered_by_another(&self) -> bool {
        match (&self.port, &self.child) {
            (Some(port), Some(child)) => port::held_by_another(port.number(), child.id()) == Some(true),
            _ => false,
        }
    }
}

/// Whether the instance in `key`'s slot was started and has died since.
fn died(instances: &mut HashMap<Key, Result<Instance, Failure>>, key: &Key) -> bool {
    instances.get_mut(key).and_then(|i| i.as_mut().ok()).is_some_and(|i| i.exited().is_some())
}

impl Drop for Instance {
    fn drop(&mut self) {
        drop(self.child.take());
        let _ = std::fs::remove_file(&self.log);
    }
}

type Key = (Vec<String>, Option<String>);

/// Why an instance did not start.
enum NotStarted {
    /// Its port was taken by another process first: worth starting again on another port.
    PortTaken(String),
    Other(String),
}

impl From<String> for NotStarted {
    fn from(why: String) -> NotStarted {
        NotStarted::Other(why)
    }
}

pub struct HttpTarget {
    service: Service,
    identity: Identity,
    instances: Mutex<HashMap<Key, Result<Instance, Failure>>>,
    restarts: Mutex<u32>,
    /// Why the service cannot run at all (its install failed), when it cannot.
    broken: Option<Failure>,
    /// Why its first instance did not start, when it did not.
    never_started: Option<Failure>,
}

const DEFAULT_AUDIENCE: &str = "https://api.example.com";
const DEFAULT_ISSUER: &str = "https://auth.example.com";

impl HttpTarget {
    fn new(service: Service) -> HttpTarget {
        let identity = Identity {
            name: service.name.clone(),
            library: service.http.library.clone(),
            version: service.http.version.clone().unwrap_or_else(|| "unknown".into()),
            language: service.http.language.clone(),
            transport: "http".into(),
            options: Value::Object(service.options.clone()),
            capabilities: Capabilities {
                algorithms: service.http.algorithms.clone(),
                audience: service.http.audience,
                no_audience: service.http.no_audience,
                fixed_audience: service.url.as_ref().map(|_| service.fixed_audience.clone()),
                issuer: service.http.issuer.clone(),
            },
            misuse: service.misuse,
        };
        HttpTarget { service, identity, instances: Mutex::default(), restarts: Mutex::new(0), broken: None, never_started: None }
    }

    fn first_key(&self) -> Key {
        (vec![DEFAULT_AUDIENCE.to_string()], Some(self.service.http.issuer.clone().unwrap_or_else(|| DEFAULT_ISSUER.to_string())))
    }

    /// Starts the service once for the most common input, to learn its version (a running
    /// service: waits until it answers).
    pub fn start(service: Service) -> HttpTarget {
        let mut target = HttpTarget::new(service);
        let first = target.launch(&target.first_key());
        match &first {
            Ok(instance) if target.service.url.is_none() => target.identity.version = target.version(instance).unwrap_or_else(|| "unknown".into()),
            Ok(_) => {}
            Err(why) => target.never_started = Some(why.clone()),
        }
        let key = target.first_key();
        target.instances.lock().unwrap_or_else(|p| p.into_inner()).insert(key, first);
        target
    }

    /// A service that cannot be started (say, its install failed): every case is an error
    /// that says why.
    pub fn failed(service: Service, why: Failure) -> HttpTarget {
        HttpTarget { broken: Some(why.clone()), never_started: Some(why), ..HttpTarget::new(service) }
    }

    fn agent(&self) -> ureq::Agent {
        ureq::Agent::config_builder()
            .http_status_as_error(false)
            // Room for the largest test tokens (a 10,000-member aud) in the request header.
            .output_buffer_size(1 << 20)
            .timeout_global(Some(self.service.timeout))
            .build()
            .into()
    }

    /// The version from the ready path's JSON, else from an `audcheck-version: X` output line.
    fn version(&self, instance: &Instance) -> Option<String> {
        let logged = std::fs::read_to_string(&instance.log).ok().and_then(|t| {
            t.lines().find_map(|l| l.strip_prefix("audcheck-version: ").map(|v| v.trim().to_string()))
        });
        if logged.is_some() {
            return logged;
        }
        let mut r = instance.agent.get(format!("{}{}", instance.base, self.service.http.ready_path)).call().ok()?;
        let v: Value = serde_json::from_str(&r.body_mut().read_to_string().ok()?).ok()?;
        v["version"].as_str().map(str::to_string)
    }

    /// Starts a dead service's instance again, a bounded number of times per target.
    fn relaunch(&self, key: &Key) -> Result<Instance, Failure> {
        let mut restarts = self.restarts.lock().unwrap_or_else(|p| p.into_inner());
        *restarts += 1;
        if *restarts > MAX_RESTARTS {
            return Err(Failure::Crash(format!("the service died {MAX_RESTARTS} times; not started again")));
        }
        self.launch(key)
    }

    /// Starts an instance for one validator input and waits until it is ready.
    fn launch(&self, key: &Key) -> Result<Instance, Failure> {
        self.retry(key, self.spawn(key).and_then(|i| self.ready(i)))
    }

    /// A free port can be taken by another process between audcheck choosing it and the
    /// service binding it (other targets start services too): such a start is tried again
    /// on another port, a few times.
    fn retry(&self, key: &Key, mut started: Result<Instance, NotStarted>) -> Result<Instance, Failure> {
        for _ in 0..3 {
            match &started {
                Err(NotStarted::PortTaken(_)) => started = self.spawn(key).and_then(|i| self.ready(i)),
                _ => break,
            }
        }
        started.map_err(|(NotStarted::PortTaken(why) | NotStarted::Other(why))| Failure::CannotStart(why))
    }

    /// Starts an instance for one validator input. The child dies with the thread that
    /// starts it (PR_SET_PDEATHSIG), so this runs on the thread that will stop it.
    fn spawn(&self, key: &Key) -> Result<Instance, NotStarted> {
        let (audience, issuer) = key;
        let Some((dir, command)) = &self.service.command else {
            let base = self.service.url.clone().unwrap_or_default();
            return Ok(Instance { cases: base.clone(), base, serving: None, agent: self.agent(), child: None, port: None, log: PathBuf::new() });
        };
        let keys = KeyServer::get(self.service.keys_port).map_err(|e| e.to_string())?;
        let reserved = port::Port::free().map_err(|e| format!("no free port: {e}"))?;
        let port = reserved.number();
        let log = std::env::temp_dir().join(format!("audcheck-{}-{port}.log", std::process::id()));
        let out = std::fs::File::create(&log).map_err(|e| format!("cannot write {}: {e}", log.display()))?;
        let program = if command[0].contains('/') { dir.join(&command[0]) } else { PathBuf::from(&command[0]) };
        let issuer = issuer.clone().unwrap_or_default();
        let mut cmd = Command::new(&program);
        cmd.args(&command[1..])
            .current_dir(dir)
            .env("AUDCHECK_PORT", port.to_string())
            .env("AUDCHECK_ISSUER", &issuer)
            .env("AUDCHECK_JWKS_URL", keys.jwks_url())
            .env("AUDCHECK_DISCOVERY_URL", keys.discovery_url(&issuer))
            .env("AUDCHECK_AUDIENCE", audience.first().cloned().unwrap_or_default())
            .env("AUDCHECK_AUDIENCES", json!(audience).to_string())
            .env("AUDCHECK_AUDIENCE_LIST", audience.join(","))
            .env("AUDCHECK_OPTIONS", Value::Object(self.service.options.clone()).to_string())
            .stdin(Stdio::null())
            .stdout(out.try_clone().map_err(|e| e.to_string())?)
            .stderr(out);
        let child = Group::spawn(&mut cmd)
            .map_err(|e| format!("cannot start `{}` in {}: {e}; is it installed? Run `audcheck adapters install`", command.join(" "), dir.display()))?;
        let base = format!("http://127.0.0.1:{port}");
        Ok(Instance { cases: base.clone(), base, serving: Some(key.clone()), agent: self.agent(), child: Some(child), port: Some(reserved), log })
    }

    /// Waits until a started instance answers on its ready path; a running service, until
    /// its URL answers at all.
    fn ready(&self, mut instance: Instance) -> Result<Instance, NotStarted> {
        if instance.child.is_none() {
            let timeout = Duration::from_millis(self.service.http.ready_timeout_ms);
            return Ok(wait_until_answering(&instance.base, timeout).map(|_| instance)?);
        }
        let deadline = Instant::now() + Duration::from_millis(self.service.http.ready_timeout_ms);
        loop {
            if let Some(status) = instance.exited() {
                let why = format!("the service exited ({status}) before it was ready\n{}", tail(&instance.log));
                return Err(if port_taken(&why) { NotStarted::PortTaken(why) } else { NotStarted::Other(why) });
            }
            let answer = instance.agent.get(format!("{}{}", instance.base, self.service.http.ready_path)).call();
            if let Ok(mut r) = answer
                && (r.status().is_success() || self.service.http.ready_any_status)
            {
                if instance.answered_by_another() {
                    return Err(NotStarted::PortTaken(format!("{}: another process answered the ready path before the service listened there", instance.base)));
                }
                if r.status().is_success() {
                    let body = r.body_mut().read_to_string().unwrap_or_default();
                    configure::moved(&mut instance, &body)?;
                }
                return Ok(instance);
            }
            if Instant::now() > deadline {
                return Err(format!("the service was not ready within {} ms\n{}", self.service.http.ready_timeout_ms, tail(&instance.log)).into());
            }
            // Often: a gateway started per expected audience is ready in tens of milliseconds.
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    fn send(&self, instance: &mut Instance, r: &Request<'_>) -> Result<Verdict, Failure> {
        let mut url = format!("{}{}", instance.cases, self.service.http.path);
        let req = ureq::http::Request::builder().method(self.service.http.method.as_str());
        let req = match &self.service.http.token {
            TokenPlacement::Bearer => req.header("Authorization", format!("Bearer {}", r.token)),
            TokenPlacement::Header(name) => req.header(name.as_str(), r.token),
            TokenPlacement::Cookie(name) => req.header("Cookie", format!("{name}={}", r.token)),
            TokenPlacement::Query(name) => {
                // A compact JWS is base64url and dots: nothing to escape in a query.
                url.push(if url.contains('?') { '&' } else { '?' });
                url.push_str(&format!("{name}={}", r.token));
                req
            }
        };
        let req = req.uri(&url).body(()).map_err(|e| Failure::Protocol(format!("cannot build the request: {e}")))?;
        match instance.agent.run(req) {
            Ok(mut resp) => {
                let status = resp.status().as_u16();
                let challenge = resp.headers().get("www-authenticate").and_then(|h| h.to_str().ok()).unwrap_or("").to_string();
                let mut body = String::new();
                let _ = resp.body_mut().as_reader().take(4096).read_to_string(&mut body);
                match status {
                    200..=299 => Ok(Verdict::accepted()),
                    // The service's words, verbatim. Whether the audience caused the rejection is
                    // for the case's twin to show; the reason class is a fallback.
                    401 | 403 => {
                        let message = format!("{status} {challenge} {}", body.trim()).trim().to_string();
                        Ok(Verdict::rejected(reason(&challenge, &body), message))
                    }
                    // A web server's limits, met before the request reaches the validator.
                    413 | 414 | 431 => Err(refused(status, &body)),
                    400 if r.token.len() > OVERSIZE_HEADER => Err(refused(status, &body)),
                    _ => Err(Failure::Protocol(format!("the service answered {status}: {}", body.trim()))),
                }
            }
            Err(ureq::Error::Timeout(_)) => Err(Failure::Hang(self.service.timeout.as_millis() as u64)),
            Err(e) => {
                let why = match instance.exited_soon() {
                    Some(s) => format!("the service exited ({s}): {e}\n{}", tail(&instance.log)),
                    None => format!("the request failed: {e}"),
                };
                Err(Failure::Crash(why))
            }
        }
    }
}

/// Waits until `url` answers (with any status), polling, for at most `timeout`.
pub fn wait_until_answering(url: &str, timeout: Duration) -> Result<(), String> {
    let agent: ureq::Agent = ureq::Agent::config_builder().http_status_as_error(false).timeout_global(Some(Duration::from_secs(5))).build().into();
    let deadline = Instant::now() + timeout;
    loop {
        match agent.get(url).call() {
            Ok(_) => return Ok(()),
            Err(e) if Instant::now() > deadline => return Err(format!("{url} did not answer within {} ms: {e}", timeout.as_millis())),
            Err(_) => std::thread::sleep(Duration::from_millis(200)),
        }
    }
}

/// Whether a service's start failed because its port was taken (its output says so in
/// the words of its runtime: Python, Node, the JVM, Go).
fn port_taken(why: &str) -> bool {
    let why = why.to_lowercase();
    why.contains("address already in use") || why.contains("eaddrinuse") || why.contains("bind: address")
}

/// Tokens longer than this may meet a web server's header limit (8 KiB is common): a 400
/// for one is taken as that limit, not as the validator's answer.
const OVERSIZE_HEADER: usize = 8 * 1024;

fn refused(status: u16, body: &str) -> Failure {
    let body: String = body.trim().chars().take(200).collect();
    Failure::Refused(format!("the web server refused the request before the validator saw it ({status}): {body}"))
}

/// The reason class from `WWW-Authenticate`'s `error_description`, else the body: a guess
/// from the wording, used only where no twin decides (see `run::judge`).
fn reason(challenge: &str, body: &str) -> Reason {
    let description = challenge.split("error_description=\"").nth(1).and_then(|d| d.split('"').next());
    let text = description.unwrap_or(body).to_lowercase();
    let has = |w: &str| text.contains(w);
    if has("aud") {
        Reason::Audience
    } else if has("iss") {
        Reason::Issuer
    } else if has("expired") || has("'exp'") || has("\"exp\"") {
        Reason::Expired
    } else if has("not yet valid") || has("nbf") || has("immature") {
        Reason::NotYetValid
    } else if has("signature") {
        Reason::Signature
    } else if has("malformed") || has("decode") || has("invalid token") || has("invalid compact") {
        Reason::Malformed
    } else {
        Reason::Other
    }
}

fn tail(log: &PathBuf) -> String {
    let text = std::fs::read_to_string(log).unwrap_or_default();
    let lines: Vec<&str> = text.lines().collect();
    format!("--- service output (last lines) ---\n{}", lines[lines.len().saturating_sub(15)..].join("\n"))
}

/// The validator input a request needs: its expected audiences and issuer.
fn key_of(r: &Request<'_>) -> Key {
    (r.audience.map(<[String]>::to_vec).unwrap_or_default(), r.issuer.map(str::to_string))
}

/// The requests' validator inputs, each once, in the order met.
fn distinct_keys(requests: &[Request<'_>]) -> Vec<Key> {
    let mut keys: Vec<Key> = Vec::new();
    for k in requests.iter().map(key_of) {
        if !keys.contains(&k) {
            keys.push(k);
        }
    }
    keys
}

impl Validator for HttpTarget {
    fn identity(&self) -> &Identity {
        &self.identity
    }

    fn concurrency(&self) -> Concurrency {
        Concurrency::Pipelined
    }

    /// A second batch would start every instance again.
    fn twins_beside_cases(&self) -> bool {
        true
    }

    fn unavailable(&self) -> Option<&Failure> {
        self.never_started.as_ref()
    }

    fn verify_batch(&self, requests: &[Request<'_>]) -> Vec<Result<Verdict, Failure>> {
        if let Some(why) = &self.broken {
            return vec![Err(why.clone()); requests.len()];
        }
        let mut instances = self.instances.lock().unwrap_or_else(|p| p.into_inner());
        if self.service.url.is_some() {
            // A running service: one instance, whatever the case configures.
            return match instances.values_mut().next() {
                Some(Ok(instance)) => requests.iter().map(|r| self.send(instance, r)).collect(),
                Some(Err(why)) => vec![Err(why.clone()); requests.len()],
                None => vec![Err(Failure::CannotStart("no service instance".into())); requests.len()],
            };
        }
        let keys = distinct_keys(requests);
        if !self.service.http.configure_path.is_empty() {
            return self.verify_reconfigured(requests, &keys, &mut instances);
        }
        let first = self.first_key();
        let mut results: Vec<Option<Result<Verdict, Failure>>> = vec![None; requests.len()];
        // One validator input at a time: its instance gets all its cases and is stopped again
        // (but the first). The next inputs' instances start meanwhile, LAUNCHES at most at
        // once, since a start-up (a JVM's) takes far longer than the cases.
        std::thread::scope(|scope| {
            let mut starting = HashMap::new();
            let mut queued = 0;
            for (n, key) in keys.iter().enumerate() {
                while queued < keys.len() && queued < n + LAUNCHES {
                    let k = &keys[queued];
                    if !instances.contains_key(k) {
                        let waiting = self.spawn(k).map(|inst| scope.spawn(move || self.ready(inst)));
                        starting.insert(k.clone(), waiting);
                    }
                    queued += 1;
                }
                if let Some(waiting) = starting.remove(key) {
                    let started = waiting.and_then(|h| h.join().unwrap_or_else(|_| Err(NotStarted::Other("the service could not be started (audcheck panicked)".into()))));
                    let started = self.retry(key, started);
                    instances.insert(key.clone(), started);
                }
                for (i, r) in requests.iter().enumerate().filter(|(_, r)| key_of(r) == *key) {
                    let result = match instances.get_mut(key) {
                        Some(Ok(instance)) => self.send(instance, r),
                        Some(Err(why)) => Err(why.clone()),
                        None => Err(Failure::CannotStart("no service instance".into())),
                    };
                    results[i] = Some(result);
                    // A service that died is started again for the next case, a bounded number of times.
                    if died(&mut instances, key) {
                        instances.insert(key.clone(), self.relaunch(key));
                    }
                }
                if *key != first {
                    instances.remove(key);
                }
            }
        });
        results.into_iter().map(|r| r.expect("every request has its validator input's instance")).collect()
    }
}
