//! A service the user already runs, tested as a black box at its URL (`run --url`, or a
//! manifest with a `url`): its tokens' keys are served by audcheck's key server.

use super::http::{Service, wait_until_answering};
use super::keyserver::{KeyServer, KeyServerError};
use super::manifest::{HttpSection, TokenPlacement};
use super::registry::Spec;
use crate::model::{Alg, AudienceMode};
use std::net::IpAddr;
use std::path::PathBuf;
use std::time::Duration;

/// How the user describes a running service.
#[derive(Debug, Clone)]
pub struct RunningService {
    /// The protected URL.
    pub url: String,
    /// The expected audiences it is configured with.
    pub audience: Vec<String>,
    /// The algorithms it accepts.
    pub algorithms: Vec<Alg>,
    pub token: TokenPlacement,
    /// The report's target name.
    pub name: String,
    /// The library (and version) it validates with, for the report.
    pub library: Option<(String, String)>,
    /// The issuer its tokens carry and it expects (default: the suites' issuer).
    pub issuer: Option<String>,
    /// Whether a URL off loopback may be tested.
    pub allow_remote: bool,
    /// Where the key server listens.
    pub keys_bind: IpAddr,
    pub keys_port: u16,
    /// How long the URL may take to answer before any case is sent.
    pub ready_timeout: Duration,
}

#[derive(Debug, Clone, thiserror::Error)]
pub enum ServiceError {
    #[error("--url {0}: not an http:// or https:// URL")]
    NotHttp(String),
    #[error("--url {0}: not on loopback; give --allow-remote to test a service elsewhere (a CI service container, a staging host)")]
    NotLoopback(String),
    #[error("--url-name {0}: not a target name; use letters, digits and -+._@ (say \"my-api\")")]
    BadName(String),
    #[error("--issuer {0}: not an http:// or https:// URL")]
    BadIssuer(String),
    #[error("--keys-port: {0}")]
    KeyServer(#[from] KeyServerError),
    #[error("--url: {0}; start the service first (or wait until it is up), then run audcheck")]
    NotReady(String),
}

/// The target for a running service, once it answers, with the key server started (and
/// serving discovery for the service's issuer when the issuer is on the key server).
pub fn running_service(s: &RunningService) -> Result<(Spec, &'static KeyServer), ServiceError> {
    let Some(host) = host_of(&s.url) else { return Err(ServiceError::NotHttp(s.url.clone())) };
    if !s.allow_remote && !is_loopback(host) {
        return Err(ServiceError::NotLoopback(s.url.clone()));
    }
    if s.name.is_empty() || s.name.starts_with('.') || !s.name.chars().all(|c| c.is_ascii_alphanumeric() || "-+._@".contains(c)) {
        return Err(ServiceError::BadName(s.name.clone()));
    }
    if let Some(i) = s.issuer.as_deref().filter(|i| host_of(i).is_none()) {
        return Err(ServiceError::BadIssuer(i.to_string()));
    }
    let keys = KeyServer::get_on(s.keys_bind, s.keys_port)?;
    if let Some(i) = &s.issuer {
        keys.register(i);
    }
    wait_until_answering(&s.url, s.ready_timeout).map_err(ServiceError::NotReady)?;
    let (library, version) = s.library.clone().unwrap_or_else(|| ("unknown".into(), "unknown".into()));
    let http = HttpSection {
        library,
        language: "unknown".into(),
        ready_path: String::new(),
        ready_timeout_ms: s.ready_timeout.as_millis() as u64,
        ready_any_status: true,
        method: "GET".into(),
        path: String::new(),
        algorithms: s.algorithms.clone(),
        audience: AudienceMode::Single,
        no_audience: false,
        token: s.token.clone(),
        issuer: s.issuer.clone(),
        audiences: s.audience.clone(),
        version: Some(version),
        configure_path: String::new(),
    };
    let service = Service {
        name: s.name.clone(),
        command: None,
        url: Some(s.url.clone()),
        options: Default::default(),
        http,
        timeout: Duration::from_secs(5),
        keys_port: s.keys_port,
        fixed_audience: s.audience.clone(),
        misuse: false,
    };
    Ok((Spec::Http { service, manifest: None, dir: PathBuf::from(".") }, keys))
}

/// The host of an http:// or https:// URL (brackets kept for IPv6); None for another URL
/// or one with user information.
pub fn host_of(url: &str) -> Option<&str> {
    let rest = url.strip_prefix("http://").or_else(|| url.strip_prefix("https://"))?;
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    if authority.is_empty() || authority.contains('@') {
        return None;
    }
    match authority.strip_prefix('[') {
        Some(v6) => v6.find(']').map(|end| &authority[..end + 2]),
        None => authority.split(':').next(),
    }
}

/// 127.x.x.x, localhost or [::1].
pub fn is_loopback(host: &str) -> bool {
    host == "localhost" || host == "[::1]" || host.parse::<std::net::Ipv4Addr>().is_ok_and(|a| a.is_loopback())
}

#[cfg(test)]
mod tests {
    use super::{host_of, is_loopback};

    #[test]
    fn loopback_hosts_and_others() {
        let on = |u: &str| host_of(u).is_some_and(is_loopback);
        for ok in ["http://127.0.0.1:8080/api", "http://localhost:3000", "http://[::1]:9000/x", "http://127.1.2.3/", "https://127.0.0.1:8443/"] {
            assert!(on(ok), "{ok}");
        }
        for remote in ["http://example.com/", "http://127.0.0.1.evil.example/", "http://localhost.evil.example:80/", "http://api:8080/x"] {
            assert!(host_of(remote).is_some() && !on(remote), "{remote}");
        }
        for bad in ["http://user@evil.example/", "http://127.0.0.1@evil.example/", "ftp://127.0.0.1/", "127.0.0.1:8080", "http:///x"] {
            assert!(host_of(bad).is_none(), "{bad}");
        }
    }
}
