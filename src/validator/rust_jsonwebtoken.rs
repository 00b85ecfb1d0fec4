//! The `jsonwebtoken` crate, configured as its documentation tells users to:
//! `Validation::new(alg)`, `set_audience` when an audience is given, `set_issuer`.
//! The same code runs against four releases (12, the current one, and 11, 10 and 9 for the
//! release matrix), each pinned in Cargo.toml under its own name.

use super::{Capabilities, Identity};
use crate::model::{Alg, AudienceMode, Reason};

/// The pinned current version (Cargo.toml `jsonwebtoken12`, `=12.0.0`); a test holds it to Cargo.lock.
pub const VERSION: &str = "12.0.0";

fn identity(name: &str, version: &str, require_aud: bool) -> Identity {
    let options = if require_aud { serde_json::json!({"require_aud": true}) } else { serde_json::json!({}) };
    Identity {
        name: name.into(),
        library: "jsonwebtoken".into(),
        version: version.into(),
        language: "rust".into(),
        transport: "in-process".into(),
        options,
        capabilities: Capabilities { algorithms: Alg::ALL.to_vec(), audience: AudienceMode::AnyOf, no_audience: true, fixed_audience: None, issuer: None },
        misuse: false,
    }
}

/// The reason class of an `ErrorKind`, by its variant name: the releases have different
/// sets of variants, and the names mean the same in each.
fn reason(kind_debug: &str) -> Reason {
    let name = kind_debug.split(['(', ' ', '{']).next().unwrap_or("");
    match name {
        "InvalidAudience" => Reason::Audience,
        "MissingRequiredClaim" if kind_debug.contains("\"aud\"") => Reason::MissingAud,
        "InvalidSignature" | "InvalidAlgorithm" => Reason::Signature,
        "ExpiredSignature" => Reason::Expired,
        "ImmatureSignature" => Reason::NotYetValid,
        "InvalidIssuer" => Reason::Issuer,
        "InvalidToken" | "InvalidClaimFormat" | "Json" | "Base64" | "Utf8" => Reason::Malformed,
        "MissingAlgorithm" | "InvalidKeyFormat" | "InvalidRsaKey" | "InvalidEcdsaKey" | "InvalidEddsaKey" => Reason::Config,
        _ => Reason::Other,
    }
}

macro_rules! release {
    ($module:ident, $krate:ident, $target:ident) => {
        pub mod $module {
            use super::super::{Failure, Identity, Library, Request, Verdict};
            use crate::model::Alg;
            use crate::token::jwt_alg;
            use $krate::{DecodingKey, Validation};
            use std::collections::HashMap;
            use std::sync::RwLock;

            /// 12 returns a Result from `from_secret` (it refuses an empty secret), the
            /// earlier releases the key itself.
            trait IntoKey {
                fn into_key(self) -> Result<DecodingKey, $krate::errors::Error>;
            }
            impl IntoKey for DecodingKey {
                fn into_key(self) -> Result<DecodingKey, $krate::errors::Error> {
                    Ok(self)
                }
            }
            impl IntoKey for Result<DecodingKey, $krate::errors::Error> {
                fn into_key(self) -> Result<DecodingKey, $krate::errors::Error> {
                    self
                }
            }

            pub struct $target {
                identity: Identity,
                require_aud: bool,
                /// Decoding keys by kid and algorithm, parsed once.
                keys: RwLock<HashMap<(String, Alg), DecodingKey>>,
            }

            impl $target {
                pub(in crate::validator) fn with(name: &str, version: &str, require_aud: bool) -> $target {
                    $target { identity: super::identity(name, version, require_aud), require_aud, keys: RwLock::new(HashMap::new()) }
                }

                fn decoding_key(&self, request: &Request<'_>) -> Result<DecodingKey, Failure> {
                    let id = (request.key.kid.clone(), request.alg);
                    if let Some(k) = self.keys.read().ok().and_then(|m| m.get(&id).cloned()) {
                        return Ok(k);
                    }
                    let key = request.key;
                    let bad = |e: $krate::errors::Error| Failure::CannotStart(format!("cannot load the {} key: {e}", request.alg));
                    let pem = || key.pem.as_deref().unwrap_or_default().as_bytes();
                    let k = match request.alg {
                        Alg::HS256 => DecodingKey::from_secret(key.secret.as_deref().unwrap_or_default()).into_key().map_err(bad)?,
                        Alg::RS256 | Alg::PS256 => DecodingKey::from_rsa_pem(pem()).map_err(bad)?,
                        Alg::ES256 => DecodingKey::from_ec_pem(pem()).map_err(bad)?,
                        Alg::EdDSA => DecodingKey::from_ed_pem(pem()).map_err(bad)?,
                    };
                    if let Ok(mut m) = self.keys.write() {
                        m.insert(id, k.clone());
                    }
                    Ok(k)
                }
            }

            impl Library for $target {
                fn identity(&self) -> &Identity {
                    &self.identity
                }

                fn parallel(&self) -> bool {
                    true
                }

                fn verify(&self, request: &Request<'_>) -> Result<Verdict, Failure> {
                    let key = self.decoding_key(request)?;
                    // The releases name their algorithms alike: convert by name.
                    let alg: $krate::Algorithm = format!("{:?}", jwt_alg(request.alg)).parse().map_err(|e| Failure::CannotStart(format!("{e}")))?;
                    let mut validation = Validation::new(alg);
                    if let Some(audience) = request.audience {
                        validation.set_audience(audience);
                    }
                    if let Some(issuer) = request.issuer {
                        validation.set_issuer(&[issuer]);
                    }
                    if self.require_aud {
                        validation.required_spec_claims.insert("aud".into());
                    }
                    Ok(match $krate::decode::<serde_json::Value>(request.token, &key, &validation) {
                        Ok(_) => Verdict::accepted(),
                        Err(e) => Verdict::rejected(super::reason(&format!("{:?}", e.kind())), e.to_string()),
                    })
                }
            }
        }
    };
}

release!(v12, jsonwebtoken12, RustJsonwebtoken);
release!(v11, jsonwebtoken, RustJsonwebtoken11);
release!(v10, jsonwebtoken10, RustJsonwebtoken10);
release!(v9, jsonwebtoken9, RustJsonwebtoken9);

pub use v9::RustJsonwebtoken9;
pub use v10::RustJsonwebtoken10;
pub use v11::RustJsonwebtoken11;
pub use v12::RustJsonwebtoken;

impl RustJsonwebtoken {
    pub fn new(require_aud: bool) -> RustJsonwebtoken {
        RustJsonwebtoken::with(if require_aud { "rust-jsonwebtoken+require-aud" } else { "rust-jsonwebtoken" }, VERSION, require_aud)
    }
}

impl Default for RustJsonwebtoken11 {
    fn default() -> Self {
        Self::new()
    }
}

impl RustJsonwebtoken11 {
    /// jsonwebtoken 11.1.0 with its defaults (Cargo.toml `jsonwebtoken`).
    pub fn new() -> RustJsonwebtoken11 {
        RustJsonwebtoken11::with("rust-jsonwebtoken@11.1.0", "11.1.0", false)
    }
}

impl Default for RustJsonwebtoken10 {
    fn default() -> Self {
        Self::new()
    }
}

impl Default for RustJsonwebtoken9 {
    fn default() -> Self {
        Self::new()
    }
}

impl RustJsonwebtoken10 {
    /// jsonwebtoken 10.4.0 with its defaults (Cargo.toml `jsonwebtoken10`).
    pub fn new() -> RustJsonwebtoken10 {
        RustJsonwebtoken10::with("rust-jsonwebtoken@10.4.0", "10.4.0", false)
    }
}

impl RustJsonwebtoken9 {
    /// jsonwebtoken 9.3.1 with its defaults (Cargo.toml `jsonwebtoken9`).
    pub fn new() -> RustJsonwebtoken9 {
        RustJsonwebtoken9::with("rust-jsonwebtoken@9.3.1", "9.3.1", false)
    }
}

#[cfg(test)]
mod tests {
    use super::reason;
    use crate::model::Reason;

    #[test]
    fn reasons_by_variant_name() {
        assert_eq!(reason("InvalidAudience"), Reason::Audience);
        assert_eq!(reason("MissingRequiredClaim(\"aud\")"), Reason::MissingAud);
        assert_eq!(reason("MissingRequiredClaim(\"exp\")"), Reason::Other);
        assert_eq!(reason("Json(Error(\"expected value\", line: 1, column: 1))"), Reason::Malformed);
        assert_eq!(reason("InvalidRsaKey(\"x\")"), Reason::Config);
    }
}
