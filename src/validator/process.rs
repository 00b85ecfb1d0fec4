//! The process transport (adapter protocol v1): one adapter process per target, a hello
//! handshake, then pipelined `verify` requests over JSON Lines. Faults never lose a run:
//! a timeout is a hang and a restart, a crash is an error and a restart, and after too many
//! restarts the remaining cases are errors with the reason.

use super::children::Group;
use super::{Capabilities, Concurrency, Failure, Identity, Request, Validator, Verdict};
use crate::model::{Alg, AudienceMode, Reason};
use serde_json::{Map, Value, json};
use std::collections::{HashMap, VecDeque};
use super::lines::{MAX_LINE, next_line};
use std::io::{BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError, sync_channel};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const HELLO_TIMEOUT: Duration = Duration::from_secs(30);
/// Requests in flight at once.
const WINDOW: usize = 32;
const MAX_RESTARTS: u32 = 5;
const STDERR_LINES: usize = 20;
/// Longest stderr line kept for the tail.
const STDERR_LINE: usize = 4096;

/// How to start one adapter target.
#[derive(Debug, Clone)]
pub struct Launch {
    pub name: String,
    pub dir: PathBuf,
    pub command: Vec<String>,
    pub options: Map<String, Value>,
    pub timeout: Duration,
    /// The target models a documented misuse (its manifest says so).
    pub misuse: bool,
}

pub struct ProcessTarget {
    launch: Launch,
    identity: Identity,
    state: Mutex<State>,
    /// Why the adapter never started, when it did not.
    never_started: Option<Failure>,
}

struct State {
    running: Option<Running>,
    restarts: u32,
    /// Why the adapter is not used any more; every later case fails with it.
    gave_up: Option<Failure>,
}

struct Running {
    group: Group,
    stdin: ChildStdin,
    lines: Receiver<Option<String>>,
    stderr: Arc<Mutex<VecDeque<String>>>,
    stderr_done: Arc<AtomicBool>,
}

impl Running {
    /// After the adapter exits: lets its last stderr lines arrive (briefly) before they are quoted.
    fn settle_stderr(&self) {
        let until = Instant::now() + Duration::from_millis(500);
        while !self.stderr_done.load(Ordering::Acquire) && Instant::now() < until {
            std::thread::sleep(Duration::from_millis(5));
        }
    }

    fn stderr_tail(&self) -> String {
        self.stderr.lock().map(|l| l.iter().cloned().collect::<Vec<_>>().join("\n")).unwrap_or_default()
    }

    fn send(&mut self, line: &str) -> std::io::Result<()> {
        self.stdin.write_all(line.as_bytes())?;
        self.stdin.write_all(b"\n")?;
        self.stdin.flush()
    }
}

/// Adds the adapter's stderr tail to a message.
fn with_stderr(message: String, tail: &str) -> String {
    if tail.is_empty() { message } else { format!("{message}\n--- adapter stderr (last lines) ---\n{tail}") }
}

fn quote(line: &str) -> String {
    let short: String = line.chars().take(300).collect();
    if short.len() < line.len() { format!("{short}…") } else { short }
}

impl ProcessTarget {
    /// Starts the adapter and shakes hands. An adapter that will not start is still a
    /// target: its every case is an error saying why, so the run keeps its other results.
    pub fn start(launch: Launch) -> ProcessTarget {
        let mut state = State { running: None, restarts: 0, gave_up: None };
        let identity = match spawn(&launch).and_then(|mut r| hello(&launch, &mut r).map(|id| (id, r))) {
            Ok((identity, running)) => {
                state.running = Some(running);
                identity
            }
            Err(why) => {
                state.gave_up = Some(Failure::CannotStart(why));
                unknown_identity(&launch)
            }
        };
        let never_started = state.gave_up.clone();
        ProcessTarget { launch, identity, state: Mutex::new(state), never_started }
    }

    /// A target whose adapter cannot be used (its install failed); every case fails saying why.
    pub fn failed(launch: Launch, why: Failure) -> ProcessTarget {
        let identity = unknown_identity(&launch);
        let state = State { running: None, restarts: 0, gave_up: Some(why.clone()) };
        ProcessTarget { launch, identity, state: Mutex::new(state), never_started: Some(why) }
    }
}

fn unknown_identity(launch: &Launch) -> Identity {
    Identity {
        name: launch.name.clone(),
        library: String::new(),
        version: String::new(),
        language: String::new(),
        transport: "process".into(),
        options: Value::Object(launch.options.clone()),
        capabilities: Capabilities { algorithms: Alg::ALL.to_vec(), audience: AudienceMode::AnyOf, no_audience: true, fixed_audience: None, issuer: None },
        misuse: launch.misuse,
    }
}

fn spawn(launch: &Launch) -> Result<Running, String> {
    let program = &launch.command[0];
    let program: PathBuf = if program.contains('/') { launch.dir.join(program) } else { PathBuf::from(program) };
    let mut command = Command::new(&program);
    command.args(&launch.command[1..]).current_dir(&launch.dir).stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped());
    let mut group = Group::spawn(&mut command)
        .map_err(|e| {
            format!(
                "cannot start `{}` in {}: {e}; is it installed? Run `audcheck adapters install` first",
                launch.command.join(" "),
                launch.dir.display()
            )
        })?;
    let child = group.child();
    let stdin = child.stdin.take().expect("piped stdin");
    let stdout = child.stdout.take().expect("piped stdout");
    let stderr = child.stderr.take().expect("piped stderr");
    // Bounded: an adapter that floods its output waits for audcheck instead of filling memory.
    let (tx, lines) = sync_channel(1024);
    std::thread::spawn(move || {
        let mut out = BufReader::new(stdout);
        while let Ok(Some(l)) = next_line(&mut out, MAX_LINE) {
            if l.trim().is_empty() {
                continue;
            }
            if tx.send(Some(l)).is_err() {
                return;
            }
        }
        let _ = tx.send(None);
    });
    let tail = Arc::new(Mutex::new(VecDeque::new()));
    let done = Arc::new(AtomicBool::new(false));
    let (sink, finished) = (tail.clone(), done.clone());
    std::thread::spawn(move || {
        let mut err = BufReader::new(stderr);
        while let Ok(Some(line)) = next_line(&mut err, STDERR_LINE) {
            if let Ok(mut t) = sink.lock() {
                if t.len() == STDERR_LINES {
                    t.pop_front();
                }
                t.push_back(line);
            }
        }
        finished.store(true, Ordering::Release);
    });
    Ok(Running { group, stdin, lines, stderr: tail, stderr_done: done })
}

fn hello(launch: &Launch, r: &mut Running) -> Result<Identity, String> {
    let fail = |r: &Running, m: String| with_stderr(m, &r.stderr_tail());
    let msg = json!({ "op": "hello", "protocol": 1, "options": launch.options });
    r.send(&msg.to_string()).map_err(|e| fail(r, format!("cannot send hello: {e}")))?;
    let line = match r.lines.recv_timeout(HELLO_TIMEOUT) {
        Ok(Some(l)) => l,
        Ok(None) => {
            let _ = r.group.wait();
            r.settle_stderr();
            return Err(fail(r, "the adapter exited before answering hello".into()));
        }
        Err(_) => return Err(fail(r, format!("no answer to hello within {} s", HELLO_TIMEOUT.as_secs()))),
    };
    let v: Value = serde_json::from_str(&line).map_err(|_| fail(r, format!("hello answered with a line that is not JSON: {}", quote(&line))))?;
    if v["op"] == "error" {
        return Err(fail(r, format!("the adapter refused hello (options {}): {}", Value::Object(launch.options.clone()), v["error"].as_str().unwrap_or(&line))));
    }
    if v["op"] != "hello" || v["protocol"] != 1 {
        return Err(fail(r, format!("expected a hello of protocol 1, got: {}", quote(&line))));
    }
    let text = |k: &str| v[k].as_str().map(str::to_string).ok_or_else(|| format!("hello lacks the string `{k}`: {}", quote(&line)));
    let caps = &v["capabilities"];
    let algorithms: Vec<Alg> = caps["algorithms"].as_array().map(|a| a.iter().filter_map(|x| x.as_str()?.parse().ok()).collect()).unwrap_or_default();
    let audience: AudienceMode = serde_json::from_value(caps["audience"].clone())
        .map_err(|_| fail(r, format!("hello's capabilities.audience must be any-of, all-of or single: {}", quote(&line))))?;
    Ok(Identity {
        name: launch.name.clone(),
        library: text("library").map_err(|e| fail(r, e))?,
        version: text("version").map_err(|e| fail(r, e))?,
        language: text("language").map_err(|e| fail(r, e))?,
        transport: "process".into(),
        options: Value::Object(launch.options.clone()),
        capabilities: Capabilities { algorithms, audience, no_audience: true, fixed_audience: None, issuer: None },
        misuse: launch.misuse,
    })
}

/// A verify request as the adapter protocol sends it.
pub fn request_line(r: &Request<'_>) -> String {
    let mut key = json!({ "jwk": r.key.jwk });
    if let Some(pem) = &r.key.pem {
        key["pem"] = json!(pem);
    }
    json!({
        "op": "verify", "id": r.id, "token": r.token, "alg": r.alg, "key": key,
        "audience": r.audience, "issuer": r.issuer, "now": r.now,
    })
    .to_string()
}

/// One line from the adapter, read.
enum Reply {
    Verdict(String, Result<Verdict, Failure>),
    /// A line that cannot be tied to a request: the adapter is out of step.
    Broken(String),
    /// An `op: error` without a known id: blames the oldest request, no restart.
    Orphan(String),
}

fn parse_reply(line: &str, pending: &HashMap<String, usize>) -> Reply {
    let Ok(v) = serde_json::from_str::<Value>(line) else {
        return Reply::Broken(format!("the adapter printed a line that is not JSON: {}", quote(line)));
    };
    let id = v["id"].as_str().map(str::to_string);
    let known = id.as_ref().filter(|i| pending.contains_key(*i)).cloned();
    match (v["op"].as_str(), known) {
        (Some("error"), Some(id)) => Reply::Verdict(id, Err(Failure::Crash(format!("adapter error: {}", v["error"].as_str().unwrap_or(line))))),
        (Some("error"), None) => Reply::Orphan(format!("adapter error: {}", v["error"].as_str().unwrap_or(line))),
        (Some("verify"), Some(id)) => Reply::Verdict(id, verdict(&v, line)),
        (Some("verify"), None) => Reply::Broken(format!("the adapter answered an id it was not asked: {}", quote(line))),
        _ => Reply::Broken(format!("the adapter printed an unknown message: {}", quote(line))),
    }
}

fn verdict(v: &Value, line: &str) -> Result<Verdict, Failure> {
    let bad = |what: &str| Failure::Protocol(format!("the reply {what}: {}", quote(line)));
    let accepted = v["accepted"].as_bool().ok_or_else(|| bad("lacks the boolean `accepted`"))?;
    let reason = match &v["reason"] {
        // A library that says only true or false: its twin, not a reason, shows the cause.
        Value::Null => Some(Reason::Other),
        Value::String(s) => Some(s.parse::<Reason>().map_err(|e| bad(&format!("has {e}")))?),
        _ => return Err(bad("has a `reason` that is not a string")),
    };
    let error = v["error"].as_str().map(str::to_string);
    Ok(Verdict { accepted, reason: if accepted { None } else { reason }, error: if accepted { None } else { error } })
}

impl ProcessTarget {
    /// Restarts the adapter, or gives up after too many restarts.
    fn restart(&self, state: &mut State, why: &str) {
        state.running = None;
        state.restarts += 1;
        if state.restarts > MAX_RESTARTS {
            state.gave_up = Some(Failure::Crash(format!("the adapter was restarted {MAX_RESTARTS} times; the last failure: {why}")));
            return;
        }
        match spawn(&self.launch).and_then(|mut r| hello(&self.launch, &mut r).map(|_| r)) {
            Ok(r) => state.running = Some(r),
            Err(e) => state.gave_up = Some(Failure::CannotStart(format!("the adapter could not be restarted: {e}"))),
        }
    }
}

impl Validator for ProcessTarget {
    fn identity(&self) -> &Identity {
        &self.identity
    }

    fn concurrency(&self) -> Concurrency {
        Concurrency::Pipelined
    }

    fn unavailable(&self) -> Option<&Failure> {
        // Set once, before the adapter ever ran: a target that never started.
        self.never_started.as_ref()
    }

    fn verify_batch(&self, requests: &[Request<'_>]) -> Vec<Result<Verdict, Failure>> {
        let mut state = self.state.lock().unwrap_or_else(|p| p.into_inner());
        let mut results: Vec<Option<Result<Verdict, Failure>>> = vec![None; requests.len()];
        let mut queue: VecDeque<usize> = (0..requests.len()).collect();
        // Requests in flight when the adapter failed go again one at a time, so the one
        // that breaks it is found and the others are not blamed.
        let mut careful: Vec<bool> = vec![false; requests.len()];
        let mut inflight: VecDeque<(usize, Instant)> = VecDeque::new();
        let mut pending: HashMap<String, usize> = HashMap::new();
        // The per-case timeout counts from when the adapter could take the case: from its
        // sending, or from the adapter's last answer if that came later. An adapter that
        // answers one case at a time is slow, not hung, while the window waits in its queue.
        let mut progress = Instant::now();
        while results.iter().any(Option::is_none) {
            if let Some(why) = &state.gave_up {
                for r in results.iter_mut().filter(|r| r.is_none()) {
                    *r = Some(Err(why.clone()));
                }
                break;
            }
            if state.running.is_none() {
                self.restart(&mut state, "the adapter was not running");
                continue;
            }
            let running = state.running.as_mut().expect("running");
            let mut write_failed = None;
            while inflight.len() < WINDOW {
                let Some(&i) = queue.front() else { break };
                if careful[i] && !inflight.is_empty() {
                    break;
                }
                queue.pop_front();
                if let Err(e) = running.send(&request_line(&requests[i])) {
                    write_failed = Some(Failure::Crash(format!("cannot write to the adapter: {e}")));
                    inflight.push_back((i, Instant::now()));
                    break;
                }
                pending.insert(requests[i].id.to_string(), i);
                inflight.push_back((i, Instant::now()));
                if careful[i] {
                    break;
                }
            }
            let Some(&(oldest, sent)) = inflight.front() else { continue };
            let wait = (sent.max(progress) + self.launch.timeout).saturating_duration_since(Instant::now());
            let event = match write_failed {
                Some(e) => Err(e),
                None => match running.lines.recv_timeout(wait) {
                    Ok(Some(line)) => Ok(line),
                    Ok(None) => {
                        let status = running.group.wait().map(|s| s.to_string()).unwrap_or_default();
                        running.settle_stderr();
                        Err(Failure::Crash(format!("the adapter exited ({status})")))
                    }
                    Err(RecvTimeoutError::Timeout) => Err(Failure::Hang(self.launch.timeout.as_millis() as u64)),
                    Err(RecvTimeoutError::Disconnected) => Err(Failure::Crash("the adapter's output closed".into())),
                },
            };
            let fault = match event {
                Ok(line) => match parse_reply(&line, &pending) {
                    Reply::Verdict(id, result) => {
                        progress = Instant::now();
                        let i = pending.remove(&id).expect("a pending id");
                        inflight.retain(|(k, _)| *k != i);
                        results[i] = Some(result);
                        None
                    }
                    Reply::Orphan(message) => {
                        results[oldest] = Some(Err(Failure::Crash(with_stderr(message, &running.stderr_tail()))));
                        pending.retain(|_, k| *k != oldest);
                        inflight.pop_front();
                        None
                    }
                    Reply::Broken(message) => Some(Failure::Protocol(message)),
                },
                Err(failure) => Some(failure),
            };
            if let Some(failure) = fault {
                let why = failure.to_string();
                let tail = running.stderr_tail();
                results[oldest] = Some(Err(match failure {
                    Failure::Hang(ms) => Failure::Hang(ms),
                    Failure::Protocol(m) => Failure::Protocol(with_stderr(m, &tail)),
                    other => Failure::Crash(with_stderr(other.to_string(), &tail)),
                }));
                inflight.pop_front();
                // Everything else in flight goes again, carefully, after the restart.
                for (i, _) in inflight.drain(..).rev() {
                    careful[i] = true;
                    queue.push_front(i);
                }
                pending.clear();
                self.restart(&mut state, &why);
                progress = Instant::now();
            }
        }
        results.into_iter().map(|r| r.expect("every request answered")).collect()
    }
}

/// The manifest's targets as launches.
pub fn launches(dir: &Path, manifest: &super::Manifest) -> Vec<Launch> {
    // Absolute, because the child resolves a relative program path after changing directory.
    let dir = std::path::absolute(dir).unwrap_or_else(|_| dir.to_path_buf());
    manifest
        .targets
        .iter()
        .map(|t| Launch {
            name: t.name.clone(),
            dir: dir.clone(),
            command: manifest.command.clone(),
            options: t.options.clone(),
            timeout: Duration::from_millis(manifest.timeout_ms.unwrap_or(5000)),
            misuse: t.misuse,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::{Reply, parse_reply};
    use proptest::prelude::*;
    use std::collections::HashMap;

    fn pending() -> HashMap<String, usize> {
        [("a".to_string(), 0), ("b".to_string(), 1)].into_iter().collect()
    }

    fn value() -> impl Strategy<Value = serde_json::Value> {
        prop_oneof![
            Just(serde_json::Value::Null),
            any::<bool>().prop_map(serde_json::Value::from),
            any::<i64>().prop_map(serde_json::Value::from),
            prop_oneof![Just("a"), Just("b"), Just("verify"), Just("error"), Just("audience"), Just("nope")].prop_map(serde_json::Value::from),
            any::<String>().prop_map(serde_json::Value::from),
            Just(serde_json::json!([1, {"x": null}])),
        ]
    }

    proptest! {
        // Whatever an adapter prints, the reader turns it into a verdict, an error for the
        // case or a protocol error, never a panic.
        #[test]
        fn any_line(line in any::<String>()) {
            let _ = parse_reply(&line, &pending());
        }

        #[test]
        fn any_reply_object(op in value(), id in value(), accepted in value(), reason in value(), error in value()) {
            let line = serde_json::json!({"op": op, "id": id, "accepted": accepted, "reason": reason, "error": error}).to_string();
            if let Reply::Verdict(id, Ok(v)) = parse_reply(&line, &pending()) {
                prop_assert!(id == "a" || id == "b");
                prop_assert_eq!(Some(v.accepted), accepted.as_bool());
            }
        }
    }
}
