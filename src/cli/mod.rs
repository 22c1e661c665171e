//! Command-line front end: one module per subcommand, errors turned into a
//! message and an exit code here, at the edge.

mod check;

use clap::{Parser, Subcommand};
use microneedling_bot::settings::Settings;
use std::path::PathBuf;
use std::process::ExitCode;

/// Answers microneedling questions from a curated, source-verified knowledge base.
#[derive(Debug, Parser)]
#[command(name = "microneedling-bot", version, about)]
struct Cli {
    /// Settings file (default: ./config.toml if it exists).
    #[arg(long, global = true, value_name = "FILE")]
    config: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Validate the knowledge files and print a summary (exit 1 listing every problem).
    Check(check::Args),
}

/// Runs the command line; the exit code is 0 on success, 1 when the command's
/// check failed, 2 on a usage or settings error.
pub fn run() -> ExitCode {
    let cli = Cli::parse();
    let settings = match Settings::load(cli.config.as_deref()) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    let result = match cli.command {
        Command::Check(args) => check::run(args, &settings),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(2)
        }
    }
}

/// The knowledge directory: the command's flag, else the settings.
fn knowledge_dir(flag: Option<PathBuf>, settings: &Settings) -> PathBuf {
    flag.unwrap_or_else(|| settings.knowledge.dir.clone())
}
