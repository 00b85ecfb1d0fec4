//! The shared vocabulary: profiles, expectations, reason classes, outcomes and case
//! families. Every other module speaks these words; this one knows no other module.

mod family;

pub use family::Family;

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

macro_rules! word_enum {
    ($(#[$m:meta])* $name:ident, $what:literal { $($(#[$vm:meta])* $variant:ident = $text:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        pub enum $name { $($(#[$vm])* #[serde(rename = $text)] $variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            pub fn as_str(self) -> &'static str { match self { $($name::$variant => $text),+ } }
            /// The accepted spellings, for error messages.
            pub fn names() -> String { [$($text),+].join(", ") }
        }
        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result { f.write_str(self.as_str()) }
        }
        impl FromStr for $name {
            type Err = UnknownWord;
            fn from_str(s: &str) -> Result<Self, UnknownWord> {
                match s { $($text => Ok($name::$variant),)+
                    _ => Err(UnknownWord { what: $what, given: s.to_string(), allowed: Self::names() }) }
            }
        }
    };
}

/// A word that is not one of an enumeration's spellings.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown {what} \"{given}\"; use one of: {allowed}")]
pub struct UnknownWord {
    pub what: &'static str,
    pub given: String,
    pub allowed: String,
}

word_enum!(
    /// A rule set a report judges against, each from a specification.
    Profile, "profile" {
        Rfc7519 = "rfc7519",
        Rfc8725 = "rfc8725",
        Rfc9068 = "rfc9068",
        OidcIdToken = "oidc-id-token",
        ClientAssertion = "client-assertion",
        SpiffeJwtSvid = "spiffe-jwt-svid",
    }
);

word_enum!(
    /// What a profile requires of a validator for one case.
    Expectation, "expectation" { Accept = "accept", Reject = "reject", Either = "either" }
);

word_enum!(
    /// Why a validator rejected a token, as far as its message tells.
    Reason, "reason class" {
        Audience = "audience",
        MissingAud = "missing-aud",
        Signature = "signature",
        Expired = "expired",
        NotYetValid = "not-yet-valid",
        Issuer = "issuer",
        Malformed = "malformed",
        Config = "config",
        Other = "other",
    }
);

word_enum!(
    /// The judged result of one (case, target, profile).
    Outcome, "outcome" {
        Pass = "pass",
        Bypass = "bypass",
        FalseReject = "false-reject",
        WrongReason = "wrong-reason",
        Info = "info",
        Skipped = "skipped",
        Error = "error",
        Hang = "hang",
    }
);

word_enum!(
    /// How much a failure of a case matters.
    Importance, "importance" { Critical = "critical", High = "high", Medium = "medium", Low = "low" }
);

impl Profile {
    /// Who should read the results under this profile: the use it fits.
    pub fn used_for(self) -> &'static str {
        match self {
            Profile::Rfc7519 => "any JWT whose audience the application defines (the base rule; a missing aud is the application's choice)",
            Profile::Rfc8725 => "any JWT, by the best current practices: an audience always configured and required",
            Profile::Rfc9068 => "an API (resource server) taking OAuth 2.0 access tokens",
            Profile::OidcIdToken => "an OpenID Connect client (relying party) validating ID tokens",
            Profile::ClientAssertion => "an authorization server taking private_key_jwt or client_secret_jwt client assertions",
            Profile::SpiffeJwtSvid => "a workload taking SPIFFE JWT-SVIDs",
        }
    }
}

/// A published audience bug that a release target reproduces: the advisory or fix, and the
/// target of the release that fixed it (a target's `bug` in its adapter.json).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PublishedBug {
    /// What went wrong, in a line: "an aud array skipped the check (CVE-2020-26160)".
    pub title: String,
    /// The advisory, issue or fix that documents it.
    pub url: String,
    /// The target of the release with the fix: "go-golang-jwt@3.2.1".
    pub fixed: String,
}

impl Outcome {
    /// Outcomes that make a run non-conformant.
    pub fn is_failure(self) -> bool {
        matches!(self, Outcome::Bypass | Outcome::FalseReject | Outcome::WrongReason | Outcome::Error | Outcome::Hang)
    }
}

impl Reason {
    /// Reasons that blame the audience claim itself: any of them is the right reason for a
    /// case about `aud` (a malformed `aud` may fail to parse before it is compared).
    pub fn is_audience_related(self) -> bool {
        matches!(self, Reason::Audience | Reason::MissingAud | Reason::Malformed)
    }

    /// Whether a rejection for `self` counts as the expected rejection for `expected`.
    /// A library that refuses its audience configuration (say, none given) has rejected on
    /// audience grounds too; a broken configuration elsewhere would fail the controls.
    pub fn satisfies(self, expected: Reason) -> bool {
        self == expected || (expected.is_audience_related() && (self.is_audience_related() || self == Reason::Config))
    }
}

word_enum!(
    /// How a validator takes a list of expected audiences.
    AudienceMode, "audience mode" {
        AnyOf = "any-of",
        AllOf = "all-of",
        /// One expected audience only: longer lists cannot be expressed.
        Single = "single",
    }
);

word_enum!(
    /// Why a validator gave no verdict on a case.
    FailureKind, "failure kind" {
        /// The validator's process exited, its library panicked, or it reported its own failure.
        Crash = "crash",
        /// It answered something the protocol does not allow.
        Protocol = "protocol",
        /// It could not be started, or did not become ready.
        CannotStart = "cannot-start",
        /// Its install step failed.
        InstallFailed = "install-failed",
        /// A web server refused the request before the validator saw it (say, a header
        /// over its size limit): the case was not put to the validator.
        Refused = "refused",
        /// No answer within the per-case timeout.
        Hang = "hang",
    }
);

word_enum!(
    /// A JWS signing algorithm audcheck signs test tokens with.
    Alg, "algorithm" { HS256 = "HS256", RS256 = "RS256", PS256 = "PS256", ES256 = "ES256", EdDSA = "EdDSA" }
);

word_enum!(
    /// Which key of an algorithm signs a token: the one the validator trusts, or its twin.
    KeyChoice, "key" { Default = "default", Wrong = "wrong" }
);
