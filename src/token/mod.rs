//! Test keys, claim assembly and signing: a case's payload and header become a compact JWS.

mod keys;
mod sign;

pub use keys::{KeyError, KeyPair, Keys, PublicKey};
pub use sign::{Clock, ClockError, Token, TokenError, build, header, jwt_alg, payload_text};
