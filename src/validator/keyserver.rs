//! The key server: the test keys as a JWKS document, and an OpenID discovery document per
//! issuer, on a loopback port chosen at run time. Services under test fetch keys from it.

use crate::token::Keys;
use serde_json::{Value, json};
use std::sync::{Arc, Mutex, OnceLock};

pub struct KeyServer {
    base: String,
    issuers: Arc<Mutex<Vec<String>>>,
}

/// The key server could not start (say, its port is taken).
#[derive(Debug, Clone, thiserror::Error)]
#[error("cannot serve the test keys on 127.0.0.1:{port}: {message}")]
pub struct KeyServerError {
    pub port: u16,
    pub message: String,
}

impl KeyServer {
    /// The run's key server, started on first use (on `port`, or any free one when 0).
    pub fn get(port: u16) -> Result<&'static KeyServer, KeyServerError> {
        static SERVER: OnceLock<Result<KeyServer, KeyServerError>> = OnceLock::new();
        SERVER.get_or_init(|| KeyServer::start(port)).as_ref().map_err(Clone::clone)
    }

    fn start(port: u16) -> Result<KeyServer, KeyServerError> {
        let server = tiny_http::Server::http(("127.0.0.1", port)).map_err(|e| KeyServerError { port, message: e.to_string() })?;
        let port = server.server_addr().to_ip().map(|a| a.port()).unwrap_or(port);
        let base = format!("http://127.0.0.1:{port}");
        let issuers: Arc<Mutex<Vec<String>>> = Arc::default();
        let (known, jwks_url) = (issuers.clone(), format!("{base}/jwks.json"));
        let jwks = json!({ "keys": Keys::test().trusted_jwks().into_iter().filter(|k| k["kty"] != "oct").collect::<Vec<&Value>>() }).to_string();
        std::thread::spawn(move || {
            for request in server.incoming_requests() {
                let path = request.url().to_string();
                let body = if path == "/jwks.json" {
                    Some(jwks.clone())
                } else {
                    discovery(&path, &known, &jwks_url)
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

    pub fn jwks_url(&self) -> String {
        format!("{}/jwks.json", self.base)
    }

    /// The discovery URL for an issuer: `<base>/issuers/<n>/.well-known/openid-configuration`.
    pub fn discovery_url(&self, issuer: &str) -> String {
        let mut known = self.issuers.lock().unwrap_or_else(|p| p.into_inner());
        let n = known.iter().position(|i| i == issuer).unwrap_or_else(|| {
            known.push(issuer.to_string());
            known.len() - 1
        });
        format!("{}/issuers/{n}/.well-known/openid-configuration", self.base)
    }
}

fn discovery(path: &str, issuers: &Mutex<Vec<String>>, jwks_url: &str) -> Option<String> {
    let n: usize = path.strip_prefix("/issuers/")?.strip_suffix("/.well-known/openid-configuration")?.parse().ok()?;
    let issuer = issuers.lock().ok()?.get(n)?.clone();
    Some(
        json!({
            "issuer": issuer,
            "jwks_uri": jwks_url,
            "id_token_signing_alg_values_supported": ["RS256", "PS256", "ES256", "EdDSA"],
            "subject_types_supported": ["public"],
            "response_types_supported": ["code"],
        })
        .to_string(),
    )
}

fn content_type() -> tiny_http::Header {
    tiny_http::Header::from_bytes("Content-Type", "application/json").expect("a valid header")
}
