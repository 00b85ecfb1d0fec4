//! `audcheck explain TOKEN --audience X`: reads the token and the reports, prints the
//! explanation (see `audcheck::explain`).

use super::{Exit, Failure};
use anyhow::anyhow;
use audcheck::explain::{Finding, explain, render};
use audcheck::model::Expectation;
use audcheck::report;
use clap::Args;
use std::io::Read;
use std::path::PathBuf;

#[derive(Args)]
pub struct ExplainArgs {
    /// The token (compact JWS), or - to read it from standard input.
    token: String,
    /// An audience the validator expects (repeatable; none: a validator that expects none).
    #[arg(long = "audience", value_name = "AUD")]
    audience: Vec<String>,
    /// The folder of reports that say how the shipped targets behave.
    #[arg(long, default_value = "reports")]
    reports: PathBuf,
}

pub fn run(args: ExplainArgs) -> Result<Exit, Failure> {
    let token = if args.token == "-" {
        let mut s = String::new();
        std::io::stdin().read_to_string(&mut s).map_err(|e| Failure::input(anyhow!("cannot read the token from standard input: {e}")))?;
        s
    } else {
        args.token.clone()
    };
    let e = explain(token.trim(), &args.audience).map_err(|err| Failure::input(anyhow!("TOKEN: {err}; give a compact JWT (or - to read one from standard input)")))?;
    let reports = if args.reports.is_dir() { report::read_dir(&args.reports).map_err(Failure::input)? } else { Vec::new() };
    print!("{}", render(&e, &reports, &args.reports.display().to_string()));
    let matched = e.findings.iter().any(|f| matches!(f, Finding::Match(_)));
    Ok(if matched && e.profiles.iter().any(|(_, x, _)| *x != Expectation::Reject) { Exit::Conformant } else { Exit::Failures })
}
