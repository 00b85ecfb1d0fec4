//! `audcheck explain TOKEN --audience X`: reads the token and the reports, prints the
//! explanation (see `audcheck::explain`). Without an audience it only decodes.

use super::{Exit, Failure};
use anyhow::anyhow;
use audcheck::explain::{DecodeError, Finding, decode, explain, render, render_decoded};
use audcheck::model::Expectation;
use audcheck::report;
use clap::Args;
use std::io::Read;
use std::path::PathBuf;

#[derive(Args)]
pub struct ExplainArgs {
    /// The token (compact JWS), or - to read it from standard input.
    token: String,
    /// An audience the validator expects (repeatable). Without it (or --no-audience) the
    /// token is only decoded, nothing judged.
    #[arg(long = "audience", value_name = "AUD")]
    audience: Vec<String>,
    /// Judge the token as a validator that expects no audience would.
    #[arg(long, conflicts_with = "audience")]
    no_audience: bool,
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
    let bad = |err: DecodeError| Failure::input(anyhow!("TOKEN: {err}; give a compact JWT (or - to read one from standard input)"));
    if args.audience.is_empty() && !args.no_audience {
        let (header, claims) = decode(token.trim()).map_err(bad)?;
        print!("{}", render_decoded(&header, &claims));
        return Ok(Exit::Conformant);
    }
    let e = explain(token.trim(), &args.audience).map_err(bad)?;
    let reports = if args.reports.is_dir() { report::read_dir(&args.reports).map_err(Failure::input)? } else { Vec::new() };
    print!("{}", render(&e, &reports, &args.reports.display().to_string()));
    let matched = e.findings.iter().any(|f| matches!(f, Finding::Match { .. }));
    Ok(if matched && e.profiles.iter().any(|(_, x, _)| *x != Expectation::Reject) { Exit::Conformant } else { Exit::Failures })
}
