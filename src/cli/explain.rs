//! `explain`: why the bot answers a question the way it does (the same as
//! `ask --explain`): the outcome, the red flag or uncovered subject that fired,
//! the terms, the best entries with their scores.

use microneedling_bot::settings::Settings;
use microneedling_bot::teach;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Knowledge directory (default: the settings' knowledge.dir).
    #[arg(long, value_name = "DIR")]
    knowledge: Option<PathBuf>,
    /// The question.
    #[arg(required = true)]
    question: Vec<String>,
}

pub fn run(args: Args, settings: &Settings) -> anyhow::Result<ExitCode> {
    let engine = super::engine(args.knowledge, settings)?;
    print!("{}", teach::explain(&engine, &args.question.join(" ")));
    Ok(ExitCode::SUCCESS)
}
