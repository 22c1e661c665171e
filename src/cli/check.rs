//! `check`: what a moderator runs before committing a knowledge edit.

use microneedling_bot::knowledge;
use microneedling_bot::settings::Settings;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Knowledge directory (default: the settings' knowledge.dir, `knowledge`).
    #[arg(long, value_name = "DIR")]
    knowledge: Option<PathBuf>,
}

pub fn run(args: Args, settings: &Settings) -> anyhow::Result<ExitCode> {
    let dir = super::knowledge_dir(args.knowledge, settings);
    match knowledge::load(&dir) {
        Ok(k) => {
            print!("{}", k.summary());
            // Every phrasing through the whole engine: a red flag or a
            // subject that captures one would swallow real questions too.
            let engine = microneedling_bot::Engine::new(Arc::new(k), settings.matching);
            let lines = microneedling_bot::teach::phrasing_lines(&dir);
            let mut issues = engine.self_test();
            for i in &mut issues {
                i.at = lines
                    .get(&(i.entry.clone(), i.phrasing.clone()))
                    .map(|(file, line)| (dir.join(file), *line));
            }
            let (errors, warnings): (Vec<_>, Vec<_>) =
                issues.iter().partition(|i| i.problem.is_error());
            for w in &warnings {
                println!("warning: {w}");
            }
            if !errors.is_empty() {
                for e in &errors {
                    eprintln!("{e}");
                }
                eprintln!(
                    "FAILED: {} phrasing(s) captured by a red flag or a not-covered subject; narrow those patterns",
                    errors.len()
                );
                return Ok(ExitCode::FAILURE);
            }
            let total: usize = engine
                .knowledge()
                .entries
                .iter()
                .map(|e| e.questions.len())
                .sum();
            println!(
                "{total} phrasings run through triage: none captured, {} answered elsewhere or not at all (warnings above)",
                warnings.len()
            );
            // The crisis examples through the whole engine: the model is
            // learned, so a moderator sees which examples it does not fit.
            let crisis = engine.crisis_example_test();
            for c in &crisis {
                let file = dir.join("crisis_examples.jsonl");
                println!("warning: {}:{}: {c}", file.display(), c.line);
            }
            let examples = engine.knowledge().red_flags.crisis_examples.len();
            if examples > 0 {
                println!(
                    "{examples} crisis examples run through the engine: {} get the other reply (warnings above)",
                    crisis.len()
                );
            }
            println!("OK: {} is valid", dir.display());
            Ok(ExitCode::SUCCESS)
        }
        Err(e) => {
            eprint!("{e}");
            eprintln!("FAILED: fix the problems above and run check again");
            Ok(ExitCode::FAILURE)
        }
    }
}
