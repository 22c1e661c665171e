//! Command-line front end: one module per subcommand, errors turned into a
//! message and an exit code here, at the edge.

mod ask;
mod chat;
mod check;
mod eval;
mod explain;
mod gaps;
mod render;
mod review;
#[cfg(feature = "discord")]
mod serve;
mod teach;

use anyhow::Context;
use clap::{Parser, Subcommand};
use microneedling_bot::settings::Settings;
use microneedling_bot::{knowledge, Engine};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

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
    /// Answer one question, or one per line of standard input.
    Ask(ask::Args),
    /// Talk to the bot in the terminal.
    Chat(chat::Args),
    /// Score the knowledge on a labelled question file (JSON lines).
    Eval(eval::Args),
    /// List the unanswered questions recorded, grouped by similarity; `gaps review` teaches or declines them one by one; `gaps purge` deletes them all.
    Gaps(gaps::Args),
    /// Run the Discord bot.
    #[cfg(feature = "discord")]
    Serve(serve::Args),
    /// Add a question as a phrasing of an entry, or decline it as not covered (moderators).
    Teach(teach::Args),
    /// Why a question gets its answer: outcome, what fired, terms, best entries.
    Explain(explain::Args),
}

/// Runs the command line; the exit code is 0 on success, 1 when the command's
/// check failed, 2 on a usage or settings error.
pub fn run() -> ExitCode {
    quiet_on_closed_pipe();
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
        Command::Ask(args) => ask::run(args, &settings),
        Command::Chat(args) => chat::run(args, &settings),
        Command::Eval(args) => eval::run(args, &settings),
        Command::Gaps(args) => gaps::run(args, &settings),
        #[cfg(feature = "discord")]
        Command::Serve(args) => serve::run(args, &settings),
        Command::Teach(args) => teach::run(args, &settings),
        Command::Explain(args) => explain::run(args, &settings),
    };
    match result {
        Ok(code) => code,
        // The reader went away (`ask … | head`): nothing more to say.
        Err(e) if is_closed_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(2)
        }
    }
}

/// Whether an error is standard output's reader having gone away.
fn is_closed_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
            || c.downcast_ref::<rustyline::error::ReadlineError>()
                .is_some_and(|r| {
                    matches!(r, rustyline::error::ReadlineError::Io(io)
                        if io.kind() == std::io::ErrorKind::BrokenPipe)
                })
    })
}

/// A `println!` to a closed pipe (`eval … | head`) panics in Rust, which
/// ignores SIGPIPE: end quietly instead, as a command-line tool should. The
/// commands write with `writeln!` and return the error where they can; this
/// is the net under the rest.
fn quiet_on_closed_pipe() {
    let default = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let payload = info.payload();
        let message = payload
            .downcast_ref::<String>()
            .map(String::as_str)
            .or_else(|| payload.downcast_ref::<&str>().copied())
            .unwrap_or("");
        if message.starts_with("failed printing to stdout") && message.contains("Broken pipe") {
            std::process::exit(0);
        }
        default(info);
    }));
}

/// The knowledge directory: the command's flag, else the settings.
fn knowledge_dir(flag: Option<PathBuf>, settings: &Settings) -> PathBuf {
    flag.unwrap_or_else(|| settings.knowledge.dir.clone())
}

/// Loads the knowledge and builds the engine, or explains every problem.
fn engine(flag: Option<PathBuf>, settings: &Settings) -> anyhow::Result<Engine> {
    let dir = knowledge_dir(flag, settings);
    let k = knowledge::load(&dir)
        .with_context(|| format!("cannot load the knowledge in {}", dir.display()))?;
    Ok(Engine::new(Arc::new(k), settings.matching))
}
