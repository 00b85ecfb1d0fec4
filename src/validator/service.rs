//! A service the user already runs, tested as a black box at its URL (`run --url`): its
//! tokens' keys served by audcheck's key server.

use super::http::Service;
use super::keyserver::{KeyServer, KeyServerError};
use super::manifest::HttpSection;
use super::registry::Spec;
use crate::model::{Alg, AudienceMode};
use std::path::PathBuf;
use std::time::Duration;

#[derive(Debug, Clone, thiserror::Error)]
pub enum ServiceError {
    #[error("--url {0}: audcheck only tests services on loopback (http://127.0.0.1:PORT/..., http://localhost:PORT/...)")]
    NotLoopback(String),
    #[error("--keys-port: {0}")]
    KeyServer(#[from] KeyServerError),
}

/// The target for a running service at `url` that expects `audience`, with the key server
/// started (on `keys_port`, or any free port when 0) for it to fetch keys from.
pub fn running_service(url: &str, audience: &[String], keys_port: u16) -> Result<(Spec, &'static KeyServer), ServiceError> {
    if !is_loopback_http(url) {
        return Err(ServiceError::NotLoopback(url.to_string()));
    }
    let keys = KeyServer::get(keys_port)?;
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
        timeout: Duration::from_secs(5),
        keys_port,
        fixed_audience: audience.to_vec(),
        misuse: false,
    };
    Ok((Spec::Http { service, manifest: None, dir: PathBuf::from(".") }, keys))
}

/// `http://` to 127.x.x.x, localhost or [::1], with or without a port.
fn is_loopback_http(url: &str) -> bool {
    let Some(rest) = url.strip_prefix("http://") else { return false };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    if authority.contains('@') {
        return false;
    }
    let host = match authority.strip_prefix('[') {
        Some(v6) => v6.split(']').next().map(|h| format!("[{h}]")).unwrap_or_default(),
        None => authority.split(':').next().unwrap_or("").to_string(),
    };
    host == "localhost" || host == "[::1]" || host.parse::<std::net::Ipv4Addr>().is_ok_and(|a| a.is_loopback())
}

#[cfg(test)]
mod tests {
    use super::is_loopback_http;

    #[test]
    fn only_loopback_http() {
        for ok in ["http://127.0.0.1:8080/api", "http://localhost:3000", "http://[::1]:9000/x", "http://127.1.2.3/"] {
            assert!(is_loopback_http(ok), "{ok}");
        }
        for bad in [
            "https://127.0.0.1:8443/",
            "http://example.com/",
            "http://127.0.0.1.evil.example/",
            "http://localhost.evil.example:80/",
            "http://user@evil.example/",
            "http://127.0.0.1@evil.example/",
            "ftp://127.0.0.1/",
            "127.0.0.1:8080",
        ] {
            assert!(!is_loopback_http(bad), "{bad}");
        }
    }
}
