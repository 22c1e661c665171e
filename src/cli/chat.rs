//! `chat`: an interactive console, replies shown as a person would read them.

use microneedling_bot::settings::Settings;
use microneedling_bot::Answer;
use rustyline::error::ReadlineError;
use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Knowledge directory (default: the settings' knowledge.dir).
    #[arg(long, value_name = "DIR")]
    knowledge: Option<PathBuf>,
}

const INTRO: &str = "Ask about microneedling. A number picks a suggestion; /help, /topics, /quit.";

pub fn run(args: Args, settings: &Settings) -> anyhow::Result<ExitCode> {
    let engine = super::engine(args.knowledge, settings)?;
    let mut editor = rustyline::DefaultEditor::new()?;
    let interactive = std::io::stdin().is_terminal();
    if interactive {
        println!("{INTRO}\n");
    }
    // The choices offered by the last reply, so "2" picks the second.
    let mut choices: Vec<String> = Vec::new();
    loop {
        let line = match editor.readline("you> ") {
            Ok(line) => line,
            Err(ReadlineError::Interrupted | ReadlineError::Eof) => break,
            Err(e) => return Err(e.into()),
        };
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        let _ = editor.add_history_entry(line);
        let reply: Answer = match line {
            "/quit" | "/exit" | "quit" | "exit" => break,
            "/topics" => {
                print_topics(&engine);
                continue;
            }
            "/help" => engine.answer("help"),
            n if n
                .parse::<usize>()
                .is_ok_and(|i| i >= 1 && i <= choices.len()) =>
            {
                let i = n.parse::<usize>().unwrap_or(1) - 1;
                match engine.answer_entry(&choices[i]) {
                    Some(a) => a,
                    None => engine.answer(n),
                }
            }
            question => engine.answer(question),
        };
        choices = reply
            .suggestions
            .iter()
            .chain(&reply.related)
            .map(|s| s.entry.clone())
            .collect();
        println!("\n{}", super::render::plain(&reply));
    }
    Ok(ExitCode::SUCCESS)
}

fn print_topics(engine: &microneedling_bot::Engine) {
    let k = engine.knowledge();
    for t in &k.topics {
        println!("{} — {}", t.title, t.description);
        for e in k.entries.iter().filter(|e| e.topic == t.id).take(3) {
            println!("  • {}", e.title());
        }
    }
    println!();
}
