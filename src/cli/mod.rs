//! Command-line interface: parses arguments, runs a command, maps its result to an exit code.

mod adapters;
mod check;
mod common;
mod diff;
mod explain;
mod export;
mod fuzz;
mod index;
mod new;
mod paths;
mod run;
mod targets;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

#[derive(Parser)]
#[command(name = "audcheck", version, about = "Conformance tests for JWT audience (aud) validation")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run suites against targets and write reports. With no options: the standard suites
    /// against every shipped target, reports in reports/.
    Run(run::RunArgs),
    /// List the targets: name, library, version.
    Targets(targets::TargetsArgs),
    /// Manage the external adapters.
    #[command(subcommand)]
    Adapters(adapters::AdaptersCommand),
    /// Validate suite files without running anything.
    CheckSuites(check::CheckArgs),
    /// Search generated audiences for counterexamples against one target.
    Fuzz(fuzz::FuzzArgs),
    /// Compare two reports (or two folders of reports) and list what changed, new bypasses
    /// first. Exits 1 when any verdict changed.
    Diff(diff::DiffArgs),
    /// Write README.md (the matrix) and index.html (the matrix with filters and evidence)
    /// over the reports in a folder. `audcheck run` does this after writing its reports.
    Index(index::IndexArgs),
    /// Decode a token locally and explain its aud: near misses of the expected audience, what
    /// each profile requires, how the shipped targets behave on such tokens. Exits 0 when aud
    /// holds an expected audience, 1 when not. Without --audience: decodes only, exits 0.
    Explain(explain::ExplainArgs),
    /// Write every case as a signed token file with its validator input and expectations,
    /// plus the public keys, for use in other test suites without audcheck.
    Export(export::ExportArgs),
    /// Write the skeleton of a new adapter for your own library or service.
    #[command(subcommand)]
    New(new::NewCommand),
}

/// How a command ended, as an exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// Conformant under the requested profiles.
    Conformant = 0,
    /// Conformance failures (or an untrusted target, or no case ran).
    Failures = 1,
    /// A usage or input error: bad option, bad suite, unknown target.
    Input = 2,
    /// audcheck itself failed (say, cannot write a report).
    Harness = 3,
}

/// An error that ends a command, with the exit code it means.
pub struct Failure {
    pub exit: Exit,
    pub error: anyhow::Error,
}

impl Failure {
    pub fn input(error: impl Into<anyhow::Error>) -> Failure {
        Failure { exit: Exit::Input, error: error.into() }
    }
    pub fn harness(error: impl Into<anyhow::Error>) -> Failure {
        Failure { exit: Exit::Harness, error: error.into() }
    }
}

/// An output path that cannot take files is the user's to fix, found before any work.
impl From<audcheck::files::OutputError> for Failure {
    fn from(e: audcheck::files::OutputError) -> Failure {
        Failure::input(e)
    }
}

impl From<audcheck::session::SessionError> for Failure {
    fn from(e: audcheck::session::SessionError) -> Failure {
        if e.is_input() { Failure::input(e) } else { Failure::harness(e) }
    }
}

pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { Exit::Input as u8 } else { 0 });
        }
    };
    // A panic is a bug in audcheck: it ends the command with audcheck's own exit code.
    let result = std::panic::catch_unwind(|| dispatch(cli.command)).unwrap_or_else(|_| {
        Err(Failure::harness(anyhow::anyhow!("audcheck itself failed (a bug; the message is above): please report it")))
    });
    match result {
        Ok(exit) => ExitCode::from(exit as u8),
        Err(f) => {
            eprintln!("audcheck: error: {:#}", f.error);
            ExitCode::from(f.exit as u8)
        }
    }
}

fn dispatch(command: Command) -> Result<Exit, Failure> {
    match command {
        Command::Run(args) => run::run(args),
        Command::Targets(args) => targets::targets(args),
        Command::Adapters(cmd) => adapters::adapters(cmd),
        Command::CheckSuites(args) => check::check(args),
        Command::Fuzz(args) => fuzz::fuzz(args),
        Command::Diff(args) => diff::diff(args),
        Command::Index(args) => index::index(args),
        Command::Explain(args) => explain::run(args),
        Command::Export(args) => export::export(args),
        Command::New(cmd) => new::new(cmd),
    }
}
