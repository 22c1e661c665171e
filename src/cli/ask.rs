//! `ask`: one question from the command line, or one per line of standard input.

use microneedling_bot::settings::Settings;
use microneedling_bot::Answer;
use std::io::{BufRead, IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Write one JSON object per reply (the format documented in README.md).
    #[arg(long)]
    json: bool,
    /// Knowledge directory (default: the settings' knowledge.dir).
    #[arg(long, value_name = "DIR")]
    knowledge: Option<PathBuf>,
    /// Also print how the question was read and the top candidates (to see why
    /// the bot answered what it did).
    #[arg(long)]
    explain: bool,
    /// The question; without it, questions are read from standard input, one per line.
    question: Vec<String>,
}

pub fn run(args: Args, settings: &Settings) -> anyhow::Result<ExitCode> {
    if args.question.is_empty() && std::io::stdin().is_terminal() {
        // Waiting silently for a line on a terminal looks like a hang.
        eprintln!(
            "usage: microneedling-bot ask \"QUESTION\"\n   \
             or: COMMAND | microneedling-bot ask [--json]   (one question per line of standard input)\n\
             To talk to the bot in this terminal: microneedling-bot chat"
        );
        return Ok(ExitCode::from(2));
    }
    let engine = super::engine(args.knowledge, settings)?;
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let render = |a: &Answer| {
        let mut text = if args.json {
            a.to_json()
        } else {
            super::render::plain(a)
        };
        if args.explain {
            text.push_str(&explain(&engine, &a.question));
        }
        text
    };
    if !args.question.is_empty() {
        let a = engine.answer(&args.question.join(" "));
        writeln!(out, "{}", render(&a))?;
        return Ok(ExitCode::SUCCESS);
    }
    let stdin = std::io::stdin();
    for line in stdin.lock().split(b'\n') {
        // Bytes that are not UTF-8 are replaced, never a reason to stop.
        let line = line?;
        let line = String::from_utf8_lossy(&line);
        let a = engine.answer(line.trim_end_matches('\r'));
        writeln!(out, "{}", render(&a))?;
        out.flush()?;
    }
    Ok(ExitCode::SUCCESS)
}

/// How the engine read a question: what fired, its terms and best candidates.
fn explain(engine: &microneedling_bot::Engine, question: &str) -> String {
    let e = microneedling_bot::teach::explain(engine, question);
    let mut out = String::from("\n");
    for line in e.to_string().lines() {
        out.push_str("  ");
        out.push_str(line);
        out.push('\n');
    }
    out
}
