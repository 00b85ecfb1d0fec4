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

/// What a case's twin (the same token with an acceptable `aud`) gave, and whether the
/// profile requires the twin accepted.
#[derive(Debug, Clone, Copy)]
pub struct TwinVerdict<'a> {
    pub attempt: &'a Attempt,
    pub must_accept: bool,
}

/// Judges one attempt under one profile's expectation. A rejection is laid to what the
/// case changed when its twin was accepted, and is a wrong reason when the twin, which the
/// profile requires accepted, was rejected too; otherwise the reason class the library gave
/// decides.
pub fn judge(expect: Expectation, reason: Reason, attempt: &Attempt, twin: Option<TwinVerdict<'_>>) -> Outcome {
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
        (Expectation::Reject, false) => match (twin.map(|t| (t.attempt, t.must_accept)), verdict.reason) {
            (Some((Attempt::Verdict(t), _)), _) if t.accepted => Outcome::Pass,
            (Some((Attempt::Verdict(_), true)), _) => Outcome::WrongReason,
            (_, Some(r)) if r.satisfies(reason) => Outcome::Pass,
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
        assert_eq!(judge(Accept, Reason::Audience, &accepted(), None), Outcome::Pass);
        assert_eq!(judge(Accept, Reason::Audience, &rejected(Reason::Audience), None), Outcome::FalseReject);
    }

    #[test]
    fn reject_expected() {
        assert_eq!(judge(Reject, Reason::Audience, &accepted(), None), Outcome::Bypass);
        assert_eq!(judge(Reject, Reason::Audience, &rejected(Reason::Audience), None), Outcome::Pass);
        assert_eq!(judge(Reject, Reason::Audience, &rejected(Reason::Signature), None), Outcome::WrongReason);
        assert_eq!(judge(Reject, Reason::Signature, &rejected(Reason::Audience), None), Outcome::WrongReason);
        let no_reason = Attempt::Verdict(Verdict { accepted: false, reason: None, error: None });
        assert_eq!(judge(Reject, Reason::Audience, &no_reason, None), Outcome::WrongReason);
    }

    #[test]
    fn audience_reasons_stand_for_each_other() {
        assert_eq!(judge(Reject, Reason::MissingAud, &rejected(Reason::Audience), None), Outcome::Pass);
        assert_eq!(judge(Reject, Reason::Audience, &rejected(Reason::Malformed), None), Outcome::Pass);
        assert_eq!(judge(Reject, Reason::Issuer, &rejected(Reason::Audience), None), Outcome::WrongReason);
        assert_eq!(judge(Reject, Reason::Audience, &rejected(Reason::Other), None), Outcome::WrongReason);
        assert_eq!(judge(Reject, Reason::MissingAud, &rejected(Reason::Config), None), Outcome::Pass);
        assert_eq!(judge(Reject, Reason::Signature, &rejected(Reason::Config), None), Outcome::WrongReason);
    }

    fn must(a: &Attempt) -> Option<TwinVerdict<'_>> {
        Some(TwinVerdict { attempt: a, must_accept: true })
    }

    #[test]
    fn the_twin_decides_where_there_is_one() {
        let twin_accepted = accepted();
        let twin_rejected = rejected(Reason::Other);
        // A verdict-only library: no reason class, yet its audience check shows.
        let bare = Attempt::Verdict(Verdict { accepted: false, reason: None, error: None });
        assert_eq!(judge(Reject, Reason::Audience, &bare, must(&twin_accepted)), Outcome::Pass);
        // Rejected "for the audience", but the acceptable twin is rejected too: not shown.
        assert_eq!(judge(Reject, Reason::Audience, &rejected(Reason::Audience), must(&twin_rejected)), Outcome::WrongReason);
        assert_eq!(judge(Reject, Reason::Audience, &rejected(Reason::Malformed), must(&twin_accepted)), Outcome::Pass);
        // A twin without a verdict leaves the reason class to decide.
        let failed = Attempt::Failed(Failure::Hang(10));
        assert_eq!(judge(Reject, Reason::Audience, &rejected(Reason::Audience), must(&failed)), Outcome::Pass);
        assert_eq!(judge(Reject, Reason::Audience, &bare, must(&failed)), Outcome::WrongReason);
        // A twin the profile does not require accepted (say, no aud where RFC 8725 requires
        // one) decides only when it is accepted.
        let optional = Some(TwinVerdict { attempt: &twin_rejected, must_accept: false });
        assert_eq!(judge(Reject, Reason::Audience, &rejected(Reason::Audience), optional), Outcome::Pass);
        assert_eq!(judge(Reject, Reason::Audience, &bare, optional), Outcome::WrongReason);
        let optional = Some(TwinVerdict { attempt: &twin_accepted, must_accept: false });
        assert_eq!(judge(Reject, Reason::Audience, &bare, optional), Outcome::Pass);
        // Only rejections look at the twin.
        assert_eq!(judge(Accept, Reason::Audience, &bare, must(&twin_accepted)), Outcome::FalseReject);
        assert_eq!(judge(Reject, Reason::Audience, &accepted(), must(&twin_accepted)), Outcome::Bypass);
    }

    #[test]
    fn either_is_info_whatever_the_verdict() {
        assert_eq!(judge(Either, Reason::Audience, &accepted(), None), Outcome::Info);
        assert_eq!(judge(Either, Reason::Audience, &rejected(Reason::Signature), None), Outcome::Info);
    }

    #[test]
    fn no_verdict_outcomes() {
        for e in Expectation::ALL {
            assert_eq!(judge(*e, Reason::Audience, &Attempt::Skipped("no ES256".into()), None), Outcome::Skipped);
            for f in [Failure::Crash("x".into()), Failure::Protocol("x".into()), Failure::CannotStart("x".into()), Failure::InstallFailed("x".into())] {
                assert_eq!(judge(*e, Reason::Audience, &Attempt::Failed(f), None), Outcome::Error);
            }
            assert_eq!(judge(*e, Reason::Audience, &Attempt::Failed(Failure::Hang(5000)), None), Outcome::Hang);
            assert_eq!(judge(*e, Reason::Audience, &Attempt::Failed(Failure::Refused("431".into())), None), Outcome::Skipped);
        }
    }
}
