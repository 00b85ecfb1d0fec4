//! The judge: a verdict against an expectation is an outcome. It never sees a validator.

use crate::model::{Expectation, Outcome, Reason};
use crate::validator::{Failure, Verdict};

/// What trying one case on one target gave.
#[derive(Debug, Clone, PartialEq)]
pub enum Attempt {
    Verdict(Verdict),
    /// The target cannot express the case; the reason says why.
    Skipped(String),
    Failed(Failure),
}

/// Judges one attempt under one profile's expectation.
pub fn judge(expect: Expectation, reason: Reason, attempt: &Attempt) -> Outcome {
    let verdict = match attempt {
        Attempt::Skipped(_) => return Outcome::Skipped,
        Attempt::Failed(Failure::Hang(_)) => return Outcome::Hang,
        // The validator never saw the token: nothing to judge, as for a case it cannot express.
        Attempt::Failed(Failure::Refused(_)) => return Outcome::Skipped,
        Attempt::Failed(_) => return Outcome::Error,
        Attempt::Verdict(v) => v,
    };
    match (expect, verdict.accepted) {
        (Expectation::Either, _) => Outcome::Info,
        (Expectation::Accept, true) => Outcome::Pass,
        (Expectation::Accept, false) => Outcome::FalseReject,
        (Expectation::Reject, true) => Outcome::Bypass,
        (Expectation::Reject, false) => match verdict.reason {
            Some(r) if r.satisfies(reason) => Outcome::Pass,
            _ => Outcome::WrongReason,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Expectation::*;

    fn rejected(r: Reason) -> Attempt {
        Attempt::Verdict(Verdict::rejected(r, "msg"))
    }
    fn accepted() -> Attempt {
        Attempt::Verdict(Verdict::accepted())
    }

    #[test]
    fn accept_expected() {
        assert_eq!(judge(Accept, Reason::Audience, &accepted()), Outcome::Pass);
        assert_eq!(judge(Accept, Reason::Audience, &rejected(Reason::Audience)), Outcome::FalseReject);
    }

    #[test]
    fn reject_expected() {
        assert_eq!(judge(Reject, Reason::Audience, &accepted()), Outcome::Bypass);
        assert_eq!(judge(Reject, Reason::Audience, &rejected(Reason::Audience)), Outcome::Pass);
        assert_eq!(judge(Reject, Reason::Audience, &rejected(Reason::Signature)), Outcome::WrongReason);
        assert_eq!(judge(Reject, Reason::Signature, &rejected(Reason::Audience)), Outcome::WrongReason);
        let no_reason = Attempt::Verdict(Verdict { accepted: false, reason: None, error: None });
        assert_eq!(judge(Reject, Reason::Audience, &no_reason), Outcome::WrongReason);
    }

    #[test]
    fn audience_reasons_stand_for_each_other() {
        assert_eq!(judge(Reject, Reason::MissingAud, &rejected(Reason::Audience)), Outcome::Pass);
        assert_eq!(judge(Reject, Reason::Audience, &rejected(Reason::Malformed)), Outcome::Pass);
        assert_eq!(judge(Reject, Reason::Issuer, &rejected(Reason::Audience)), Outcome::WrongReason);
        assert_eq!(judge(Reject, Reason::Audience, &rejected(Reason::Other)), Outcome::WrongReason);
        assert_eq!(judge(Reject, Reason::MissingAud, &rejected(Reason::Config)), Outcome::Pass);
        assert_eq!(judge(Reject, Reason::Signature, &rejected(Reason::Config)), Outcome::WrongReason);
    }

    #[test]
    fn either_is_info_whatever_the_verdict() {
        assert_eq!(judge(Either, Reason::Audience, &accepted()), Outcome::Info);
        assert_eq!(judge(Either, Reason::Audience, &rejected(Reason::Signature)), Outcome::Info);
    }

    #[test]
    fn no_verdict_outcomes() {
        for e in Expectation::ALL {
            assert_eq!(judge(*e, Reason::Audience, &Attempt::Skipped("no ES256".into())), Outcome::Skipped);
            for f in [Failure::Crash("x".into()), Failure::Protocol("x".into()), Failure::CannotStart("x".into()), Failure::InstallFailed("x".into())] {
                assert_eq!(judge(*e, Reason::Audience, &Attempt::Failed(f)), Outcome::Error);
            }
            assert_eq!(judge(*e, Reason::Audience, &Attempt::Failed(Failure::Hang(5000))), Outcome::Hang);
            assert_eq!(judge(*e, Reason::Audience, &Attempt::Failed(Failure::Refused("431".into()))), Outcome::Skipped);
        }
    }
}
