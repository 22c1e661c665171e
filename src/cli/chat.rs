//! `chat`: an interactive console, replies shown as a person would read them.
//!
//! - Clarify suggestions and related entries are numbered; a number picks one
//!   only while such a list is pending, otherwise it is asked as a question.
//! - Text is wrapped to the terminal's width (`COLUMNS` when the output is not
//!   a terminal; not wrapped without either).
//! - Ctrl-C clears the line being typed, Ctrl-D (or `/quit`) quits.
//! - `/help` lists the commands; an unknown `/command` is said to be unknown.
//! - `/teach ENTRY QUESTION` and `/explain QUESTION` are for a moderator
//!   working locally: the same code as `teach` and `explain`, and the next
//!   question is answered from the taught knowledge.
//!
//! Lines are read from standard input whether or not it is a terminal, so a
//! pipe can drive it (tests do).

use microneedling_bot::settings::Settings;
use microneedling_bot::teach::{self, Change, Request, TeachError};
use microneedling_bot::{Answer, Engine};
use rustyline::error::ReadlineError;
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Knowledge directory (default: the settings' knowledge.dir).
    #[arg(long, value_name = "DIR")]
    knowledge: Option<PathBuf>,
}

const INTRO: &str = "Ask about microneedling. A number picks an option of the last reply; /help lists the commands, Ctrl-D quits.";

const COMMANDS: &str = "\
Commands:
  /help                    this list
  /topics                  what I can answer, with example questions
  /quit                    leave (or Ctrl-D; Ctrl-C clears the line)
  N                        pick option N of the last reply, while it has options
For moderators, on the knowledge directory in use:
  /explain QUESTION        why the question gets its answer: outcome, what fired, best entries
  /teach ENTRY QUESTION    add the question as a phrasing of ENTRY (checked first, as `teach` does)";

/// One line typed, as the console reads it.
#[derive(Debug, PartialEq, Eq)]
enum Line<'a> {
    Quit,
    Help,
    Topics,
    Explain(&'a str),
    Teach {
        entry: &'a str,
        question: &'a str,
    },
    /// A command used wrongly: what to type instead.
    Usage(&'static str),
    Unknown(&'a str),
    /// Option N of the pending list (1-based).
    Pick(usize),
    /// A number with no such option pending.
    NoOption(usize),
    Question(&'a str),
}

/// Reads `line` (trimmed, not empty) with `pending` options on offer.
fn read_line(line: &str, pending: usize) -> Line<'_> {
    if let Some(command) = line.strip_prefix('/') {
        let (name, rest) = match command.split_once(char::is_whitespace) {
            Some((n, r)) => (n, r.trim()),
            None => (command, ""),
        };
        return match name.to_lowercase().as_str() {
            "quit" | "exit" | "q" => Line::Quit,
            "help" | "?" => Line::Help,
            "topics" => Line::Topics,
            "explain" if rest.is_empty() => Line::Usage("/explain QUESTION"),
            "explain" => Line::Explain(rest),
            "teach" => match rest.split_once(char::is_whitespace) {
                Some((entry, question)) if !question.trim().is_empty() => Line::Teach {
                    entry,
                    question: question.trim(),
                },
                _ => Line::Usage("/teach ENTRY-ID QUESTION"),
            },
            _ => Line::Unknown(name),
        };
    }
    if matches!(line, "quit" | "exit") {
        return Line::Quit;
    }
    match line.parse::<usize>() {
        Ok(n) if pending > 0 && (1..=pending).contains(&n) => Line::Pick(n),
        Ok(n) if pending > 0 => Line::NoOption(n),
        _ => Line::Question(line),
    }
}

pub fn run(args: Args, settings: &Settings) -> anyhow::Result<ExitCode> {
    let dir = super::knowledge_dir(args.knowledge, settings);
    let mut engine = super::engine(Some(dir.clone()), settings)?;
    let mut editor = rustyline::DefaultEditor::new()?;
    let interactive = std::io::stdin().is_terminal();
    let columns = std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.trim().parse::<usize>().ok());
    let mut out = std::io::stdout();
    // The terminal's width now (it may have been resized), else COLUMNS.
    let mut say = |editor: &mut rustyline::DefaultEditor, text: &str| -> std::io::Result<()> {
        let width = editor.dimensions().map(|(w, _)| w).or(columns);
        let text = match width {
            Some(w) => super::render::wrap(text, w.saturating_sub(1).max(20)),
            None => text.to_string(),
        };
        writeln!(out, "{text}")?;
        out.flush()
    };
    if interactive {
        say(&mut editor, &format!("{INTRO}\n"))?;
    }
    // The options numbered by the last reply, so "2" picks the second.
    let mut choices: Vec<String> = Vec::new();
    loop {
        let line = match editor.readline("you> ") {
            Ok(line) => line,
            // Ctrl-C: the line typed so far is dropped; ask again.
            Err(ReadlineError::Interrupted) => continue,
            Err(ReadlineError::Eof) => break,
            Err(e) => return Err(e.into()),
        };
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        let _ = editor.add_history_entry(line);
        let reply: Answer = match read_line(line, choices.len()) {
            Line::Quit => break,
            Line::Help => {
                say(&mut editor, &format!("\n{COMMANDS}\n"))?;
                continue;
            }
            Line::Topics => {
                say(&mut editor, &topics(&engine))?;
                continue;
            }
            Line::Usage(usage) => {
                say(&mut editor, &format!("\nusage: {usage}\n"))?;
                continue;
            }
            Line::Unknown(name) => {
                say(
                    &mut editor,
                    &format!("\nunknown command /{name} (/help lists the commands)\n"),
                )?;
                continue;
            }
            Line::NoOption(n) => {
                say(
                    &mut editor,
                    &format!(
                        "\nthere is no option {n}: pick 1 to {}, or ask a question\n",
                        choices.len()
                    ),
                )?;
                continue;
            }
            Line::Explain(question) => {
                say(
                    &mut editor,
                    &format!("\n{}", teach::explain(&engine, question)),
                )?;
                continue;
            }
            Line::Teach { entry, question } => {
                let request = Request {
                    question: question.to_string(),
                    change: Change::Phrasing {
                        entry: entry.to_string(),
                    },
                };
                let text = match teach::apply(&dir, settings.matching, &request) {
                    Ok(t) => {
                        let mut text = String::from("\n");
                        for (i, added) in t.lines.iter().enumerate() {
                            if !added.trim().is_empty() {
                                text.push_str(&format!(
                                    "added {}:{}: {}\n",
                                    t.file.display(),
                                    t.line + i,
                                    added.trim()
                                ));
                            }
                        }
                        text.push_str(&format!("now: {}\n", teach::outcome(&t.answer)));
                        engine = t.engine;
                        text
                    }
                    Err(e @ TeachError::Refused(_)) => format!("\n{e}"),
                    Err(e) => format!("\nthe edit failed, nothing was changed: {e}\n"),
                };
                say(&mut editor, &text)?;
                continue;
            }
            Line::Pick(n) => match engine.answer_entry(&choices[n - 1]) {
                Some(a) => a,
                None => engine.answer(line),
            },
            Line::Question(question) => engine.answer(question),
        };
        choices = super::render::numbered(&reply);
        let mut text = format!("\n{}", super::render::plain(&reply));
        if !choices.is_empty() {
            text.push_str(&format!("(type 1 to {} to pick one)\n", choices.len()));
        }
        say(&mut editor, &text)?;
    }
    Ok(ExitCode::SUCCESS)
}

fn topics(engine: &Engine) -> String {
    let k = engine.knowledge();
    let mut out = String::from("\n");
    for t in &k.topics {
        out.push_str(&format!("{} — {}\n", t.title, t.description));
        for e in k.entries.iter().filter(|e| e.topic == t.id).take(3) {
            out.push_str(&format!("  • {}\n", e.title()));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_pick_only_while_options_are_pending() {
        assert_eq!(read_line("2", 3), Line::Pick(2));
        assert_eq!(read_line("4", 3), Line::NoOption(4));
        assert_eq!(read_line("2", 0), Line::Question("2"));
        assert_eq!(read_line("/nope x", 0), Line::Unknown("nope"));
        assert_eq!(read_line("/HELP", 0), Line::Help);
        assert_eq!(
            read_line("/explain does it hurt", 0),
            Line::Explain("does it hurt")
        );
        assert_eq!(
            read_line("/teach procedure-pain  will it sting", 0),
            Line::Teach {
                entry: "procedure-pain",
                question: "will it sting"
            }
        );
        assert!(matches!(
            read_line("/teach procedure-pain", 0),
            Line::Usage(_)
        ));
        assert_eq!(read_line("exit", 2), Line::Quit);
    }
}
