//! The key server: the test keys as a JWKS document, and discovery documents, on a port
//! chosen at run time (loopback unless told otherwise). Services under test fetch keys
//! from it. Every discovery document names the issuer it is served for:
//! - `/issuers/<n>/.well-known/openid-configuration` for any issuer (services started by
//!   audcheck are told this URL);
//! - for an issuer on the key server itself (`http://127.0.0.1:9555` or
//!   `http://127.0.0.1:9555/tenant`), at the places discovery looks: the issuer followed by
//!   `/.well-known/openid-configuration` (OpenID Connect Discovery) and by
//!   `/.well-known/oauth-authorization-server`, and `/.well-known/oauth-authorization-server`
//!   followed by the issuer's path (RFC 8414), so middleware configured only by its issuer
//!   finds the keys.

use crate::token::Keys;
use serde_json::{Value, json};
use std::net::{IpAddr, Ipv4Addr};
use std::sync::{Arc, Mutex, OnceLock};

pub struct KeyServer {
    base: String,
    issuers: Arc<Mutex<Vec<String>>>,
}

/// The key server could not start (say, its port is taken).
#[derive(Debug, Clone, thiserror::Error)]
#[error("cannot serve the test keys on {bind}:{port}: {message}")]
pub struct KeyServerError {
    pub bind: IpAddr,
    pub port: u16,
    pub message: String,
}

const OIDC: &str = "/.well-known/openid-configuration";
const OAUTH: &str = "/.well-known/oauth-authorization-server";

impl KeyServer {
    /// The run's key server on loopback, started on first use (on `port`, or any free one
    /// when 0).
    pub fn get(port: u16) -> Result<&'static KeyServer, KeyServerError> {
        KeyServer::get_on(IpAddr::V4(Ipv4Addr::LOCALHOST), port)
    }

    /// The run's key server on `bind` (the first call decides where it runs).
    pub fn get_on(bind: IpAddr, port: u16) -> Result<&'static KeyServer, KeyServerError> {
        static SERVER: OnceLock<Result<KeyServer, KeyServerError>> = OnceLock::new();
        SERVER.get_or_init(|| KeyServer::start(bind, port)).as_ref().map_err(Clone::clone)
    }

    fn start(bind: IpAddr, port: u16) -> Result<KeyServer, KeyServerError> {
        let server = tiny_http::Server::http((bind, port)).map_err(|e| KeyServerError { bind, port, message: e.to_string() })?;
        let port = server.server_addr().to_ip().map(|a| a.port()).unwrap_or(port);
        // A wildcard bind is reached through this machine's name; any other through itself.
        let host = if bind.is_unspecified() { hostname() } else { url_host(bind) };
        let base = format!("http://{host}:{port}");
        let issuers: Arc<Mutex<Vec<String>>> = Arc::default();
        let (known, jwks_url, origin) = (issuers.clone(), format!("{base}/jwks.json"), base.clone());
        let jwks = json!({ "keys": Keys::test().trusted_jwks().into_iter().filter(|k| k["kty"] != "oct").collect::<Vec<&Value>>() }).to_string();
        std::thread::spawn(move || {
            for request in server.incoming_requests() {
                let path = request.url().split('?').next().unwrap_or("").to_string();
                let body = if path == "/jwks.json" {
                    Some(jwks.clone())
                } else {
                    let issuers = known.lock().map(|k| k.clone()).unwrap_or_default();
                    issuer_at(&path, &issuers, &origin).map(|i| discovery(&i, &jwks_url))
                };
                let response = match body {
                    Some(b) => tiny_http::Response::from_string(b).with_header(content_type()),
                    None => tiny_http::Response::from_string("not found").with_status_code(404),
                };
                let _ = request.respond(response);
            }
        });
        Ok(KeyServer { base, issuers })
    }

    /// Where the key server is: `http://HOST:PORT`.
    pub fn base(&self) -> &str {
        &self.base
    }

    pub fn jwks_url(&self) -> String {
        format!("{}/jwks.json", self.base)
    }

    /// The discovery URL for an issuer: `<base>/issuers/<n>/.well-known/openid-configuration`.
    /// An issuer on the key server itself is also served at its own discovery URLs.
    pub fn discovery_url(&self, issuer: &str) -> String {
        format!("{}/issuers/{}{OIDC}", self.base, self.register(issuer))
    }

    /// Serves discovery for `issuer`; its index among the issuers served.
    pub fn register(&self, issuer: &str) -> usize {
        let mut known = self.issuers.lock().unwrap_or_else(|p| p.into_inner());
        known.iter().position(|i| i == issuer).unwrap_or_else(|| {
            known.push(issuer.to_string());
            known.len() - 1
        })
    }
}

/// The issuer whose discovery document `path` asks for, if it is one of `issuers`.
fn issuer_at(path: &str, issuers: &[String], origin: &str) -> Option<String> {
    if let Some(n) = path.strip_prefix("/issuers/").and_then(|p| p.strip_suffix(OIDC)) {
        return issuers.get(n.parse::<usize>().ok()?).cloned();
    }
    issuers
        .iter()
        .find(|i| {
            let Some(own) = i.strip_prefix(origin).map(|p| p.trim_end_matches('/')) else { return false };
            (own.is_empty() || own.starts_with('/'))
                && [format!("{own}{OIDC}"), format!("{own}{OAUTH}"), format!("{OAUTH}{own}")].iter().any(|p| p == path)
        })
        .cloned()
}

fn discovery(issuer: &str, jwks_url: &str) -> String {
    json!({
        "issuer": issuer,
        "jwks_uri": jwks_url,
        "id_token_signing_alg_values_supported": ["RS256", "PS256", "ES256", "EdDSA"],
        "subject_types_supported": ["public"],
        "response_types_supported": ["code"],
    })
    .to_string()
}

fn url_host(ip: IpAddr) -> String {
    match ip {
        IpAddr::V4(a) => a.to_string(),
        IpAddr::V6(a) => format!("[{a}]"),
    }
}

fn hostname() -> String {
    std::fs::read_to_string("/proc/sys/kernel/hostname").map(|s| s.trim().to_string()).unwrap_or_else(|_| "localhost".into())
}

fn content_type() -> tiny_http::Header {
    tiny_http::Header::from_bytes("Content-Type", "application/json").expect("a valid header")
}

#[cfg(test)]
mod tests {
    use super::issuer_at;

    #[test]
    fn discovery_where_each_kind_of_middleware_looks() {
        let origin = "http://127.0.0.1:9555";
        let issuers = vec!["https://auth.example.com".to_string(), format!("{origin}/tenant"), origin.to_string()];
        let at = |p: &str| issuer_at(p, &issuers, origin);
        assert_eq!(at("/issuers/0/.well-known/openid-configuration").as_deref(), Some("https://auth.example.com"));
        assert_eq!(at("/tenant/.well-known/openid-configuration").as_deref(), Some("http://127.0.0.1:9555/tenant"));
        assert_eq!(at("/.well-known/oauth-authorization-server/tenant").as_deref(), Some("http://127.0.0.1:9555/tenant"));
        assert_eq!(at("/tenant/.well-known/oauth-authorization-server").as_deref(), Some("http://127.0.0.1:9555/tenant"));
        assert_eq!(at("/.well-known/openid-configuration").as_deref(), Some(origin));
        assert_eq!(at("/other/.well-known/openid-configuration"), None);
        assert_eq!(at("/issuers/9/.well-known/openid-configuration"), None);
    }
}
