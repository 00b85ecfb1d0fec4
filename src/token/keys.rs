//! The committed test keys (suites/keys/), embedded at build time and parsed once.

use crate::model::{Alg, KeyChoice};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jsonwebtoken::EncodingKey;
use serde_json::Value;
use std::sync::OnceLock;

/// What a validator is given to check a signature: the public JWK (the `oct` JWK for
/// HMAC), the SPKI PEM where there is one, and the raw secret for HMAC.
#[derive(Debug, Clone)]
pub struct PublicKey {
    pub kid: String,
    pub jwk: Value,
    pub pem: Option<String>,
    pub secret: Option<Vec<u8>>,
}

/// One test key: how to sign with it and what to give the validator.
pub struct KeyPair {
    pub signing: EncodingKey,
    pub public: PublicKey,
}

/// A key file that could not be read; only a broken build of audcheck shows this.
#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    #[error("test key {name}: {problem}")]
    Bad { name: &'static str, problem: String },
}

/// Every test key and its wrong twin.
pub struct Keys {
    hmac: [KeyPair; 2],
    rsa: [KeyPair; 2],
    ec: [KeyPair; 2],
    ed25519: [KeyPair; 2],
}

macro_rules! key_file {
    ($name:literal, $ext:literal) => {
        include_str!(concat!("../../suites/keys/", $name, $ext))
    };
}

macro_rules! pair {
    ($name:literal, $from_pem:path) => {
        KeyPair::asymmetric($name, key_file!($name, ".key.pem"), key_file!($name, ".pub.pem"), key_file!($name, ".jwk.json"), $from_pem)
    };
}

impl KeyPair {
    fn asymmetric(
        name: &'static str,
        private: &str,
        public: &str,
        jwk: &str,
        from_pem: fn(&[u8]) -> jsonwebtoken::errors::Result<EncodingKey>,
    ) -> Result<Self, KeyError> {
        let bad = |problem: String| KeyError::Bad { name, problem };
        let jwk: Value = serde_json::from_str(jwk).map_err(|e| bad(e.to_string()))?;
        Ok(KeyPair {
            signing: from_pem(private.as_bytes()).map_err(|e| bad(e.to_string()))?,
            public: PublicKey { kid: kid(&jwk), jwk, pem: Some(public.to_string()), secret: None },
        })
    }

    fn hmac(name: &'static str, jwk: &str) -> Result<Self, KeyError> {
        let bad = |problem: String| KeyError::Bad { name, problem };
        let jwk: Value = serde_json::from_str(jwk).map_err(|e| bad(e.to_string()))?;
        let k = jwk.get("k").and_then(Value::as_str).ok_or_else(|| bad("no \"k\"".into()))?;
        let secret = URL_SAFE_NO_PAD.decode(k).map_err(|e| bad(e.to_string()))?;
        Ok(KeyPair {
            signing: EncodingKey::from_secret(&secret),
            public: PublicKey { kid: kid(&jwk), jwk, pem: None, secret: Some(secret) },
        })
    }
}

fn kid(jwk: &Value) -> String {
    jwk.get("kid").and_then(Value::as_str).unwrap_or_default().to_string()
}

impl Keys {
    /// The test keys, parsed on first use.
    pub fn test() -> &'static Keys {
        static KEYS: OnceLock<Keys> = OnceLock::new();
        KEYS.get_or_init(|| Keys::parse().expect("the embedded test keys parse"))
    }

    fn parse() -> Result<Keys, KeyError> {
        Ok(Keys {
            hmac: [KeyPair::hmac("hmac", key_file!("hmac", ".jwk.json"))?, KeyPair::hmac("hmac-wrong", key_file!("hmac-wrong", ".jwk.json"))?],
            rsa: [pair!("rsa", EncodingKey::from_rsa_pem)?, pair!("rsa-wrong", EncodingKey::from_rsa_pem)?],
            ec: [pair!("ec", EncodingKey::from_ec_pem)?, pair!("ec-wrong", EncodingKey::from_ec_pem)?],
            ed25519: [pair!("ed25519", EncodingKey::from_ed_pem)?, pair!("ed25519-wrong", EncodingKey::from_ed_pem)?],
        })
    }

    pub fn get(&self, alg: Alg, choice: KeyChoice) -> &KeyPair {
        let twins = match alg {
            Alg::HS256 => &self.hmac,
            Alg::RS256 | Alg::PS256 => &self.rsa,
            Alg::ES256 => &self.ec,
            Alg::EdDSA => &self.ed25519,
        };
        &twins[match choice { KeyChoice::Default => 0, KeyChoice::Wrong => 1 }]
    }

    /// The key a validator trusts for `alg`.
    pub fn trusted(&self, alg: Alg) -> &PublicKey {
        &self.get(alg, KeyChoice::Default).public
    }

    /// Every trusted public JWK, for a JWKS document.
    pub fn trusted_jwks(&self) -> Vec<&Value> {
        [&self.hmac, &self.rsa, &self.ec, &self.ed25519].iter().map(|t| &t[0].public.jwk).collect()
    }
}
