//! The oracle: what each profile requires of any (token `aud`, validator input) pair,
//! computed from the specification rules (docs/profiles.md), independently of the suites.

use crate::model::{Expectation, Profile};
use serde_json::Value;

/// The expectation of `profile` for a token whose `aud` is `aud` (`None`: no `aud` claim)
/// at a validator configured with `audience` (`None`: no expected audience).
pub fn expect(profile: Profile, aud: Option<&Value>, audience: Option<&[String]>) -> Expectation {
    use Expectation::*;
    let Some(aud) = aud else {
        // RFC 7519 §4.1: aud is optional; every other profile requires it.
        return if profile == Profile::Rfc7519 { Either } else { Reject };
    };
    // RFC 7519 §4.1.3: with no configured audience the validator identifies with nothing.
    let Some(audience) = audience else { return Reject };
    // A client assertion's audience is the authorization server's issuer identifier alone:
    // the first configured value; the others (token endpoint, ...) must not be accepted.
    let ids = if profile == Profile::ClientAssertion { &audience[..audience.len().min(1)] } else { audience };
    // An empty string identifies no recipient, even when configured.
    let matches = |v: &Value| v.as_str().is_some_and(|s| !s.is_empty() && ids.iter().any(|i| i == s));
    let verdict = |ok: bool| if ok { Accept } else { Reject };
    match aud {
        Value::String(_) => verdict(matches(aud)),
        Value::Array(members) if !members.is_empty() && members.iter().all(Value::is_string) => match profile {
            // OpenID Connect §3.1.3.7: every audience must be trusted.
            Profile::OidcIdToken => verdict(members.iter().all(matches)),
            // The issuer as the sole value; FAPI 2.0 wants a string, RFC 7523 allows a one-member array.
            Profile::ClientAssertion => if members.len() == 1 && matches(&members[0]) { Either } else { Reject },
            _ => verdict(members.iter().any(matches)),
        },
        // Malformed: not a string or a non-empty array of strings. Accepting it because a
        // member matches is at best open; accepting it otherwise is a bypass.
        Value::Array(members) if members.iter().any(matches) => match profile {
            Profile::OidcIdToken | Profile::ClientAssertion => Reject,
            _ => Either,
        },
        _ => Reject,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use Expectation::*;

    fn cfg(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn strings_compare_exactly() {
        let c = cfg(&["https://api.example.com"]);
        for p in Profile::ALL {
            assert_eq!(expect(*p, Some(&json!("https://api.example.com")), Some(&c)), Accept, "{p}");
            assert_eq!(expect(*p, Some(&json!("https://api.example.com/")), Some(&c)), Reject, "{p}");
        }
    }

    #[test]
    fn missing_and_unconfigured() {
        let c = cfg(&["a"]);
        assert_eq!(expect(Profile::Rfc7519, None, Some(&c)), Either);
        assert_eq!(expect(Profile::Rfc8725, None, Some(&c)), Reject);
        assert_eq!(expect(Profile::Rfc7519, None, None), Either);
        assert_eq!(expect(Profile::Rfc7519, Some(&json!("a")), None), Reject);
    }

    #[test]
    fn arrays_per_profile() {
        let c = cfg(&["a"]);
        let extra = json!(["a", "b"]);
        assert_eq!(expect(Profile::Rfc9068, Some(&extra), Some(&c)), Accept);
        assert_eq!(expect(Profile::OidcIdToken, Some(&extra), Some(&c)), Reject);
        assert_eq!(expect(Profile::ClientAssertion, Some(&extra), Some(&c)), Reject);
        assert_eq!(expect(Profile::ClientAssertion, Some(&json!(["a"])), Some(&c)), Either);
        assert_eq!(expect(Profile::OidcIdToken, Some(&extra), Some(&cfg(&["a", "b"]))), Accept);
    }

    #[test]
    fn client_assertion_accepts_the_first_configured_value_only() {
        let c = cfg(&["https://as.example", "https://as.example/token"]);
        assert_eq!(expect(Profile::ClientAssertion, Some(&json!("https://as.example/token")), Some(&c)), Reject);
        assert_eq!(expect(Profile::Rfc7519, Some(&json!("https://as.example/token")), Some(&c)), Accept);
    }

    #[test]
    fn malformed() {
        let c = cfg(&["a", "1"]);
        for v in [json!(null), json!(1), json!(true), json!({"a": 1}), json!([]), json!([["a"]]), json!(""), json!([1])] {
            for p in Profile::ALL {
                assert_eq!(expect(*p, Some(&v), Some(&c)), Reject, "{p} {v}");
            }
        }
        assert_eq!(expect(Profile::Rfc7519, Some(&json!(["a", 1])), Some(&c)), Either);
        assert_eq!(expect(Profile::OidcIdToken, Some(&json!(["a", 1])), Some(&c)), Reject);
        assert_eq!(expect(Profile::Rfc7519, Some(&json!("")), Some(&cfg(&[""]))), Reject);
    }
}
