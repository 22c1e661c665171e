//! `teach`: add a question as a phrasing of an entry (`--entry ID`), or
//! decline it as a subject the source does not cover (`--not-covered ID`,
//! `--label` to create the subject). The whole knowledge is validated with
//! the edit before anything is written; a refused edit lists its problems and
//! exits 1.

use microneedling_bot::settings::Settings;
use microneedling_bot::sync::KnowledgeShare;
use microneedling_bot::teach::{self, Change, Request, TeachError};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

#[derive(Debug, clap::Args)]
#[command(group(clap::ArgGroup::new("what").required(true).args(["entry", "not_covered"])))]
pub struct Args {
    /// Add the question as a phrasing of this entry.
    #[arg(long, value_name = "ID")]
    entry: Option<String>,
    /// Decline the question as this not-covered subject (a pattern of its words).
    #[arg(long, value_name = "ID")]
    not_covered: Option<String>,
    /// With --not-covered: create the subject with this `about` text if it does not exist.
    #[arg(long, value_name = "TEXT", requires = "not_covered")]
    label: Option<String>,
    /// Write the new outcome as one JSON object (the `ask --json` format).
    #[arg(long)]
    json: bool,
    /// Knowledge directory (default: the settings' knowledge.dir).
    #[arg(long, value_name = "DIR")]
    knowledge: Option<PathBuf>,
    /// The question, as members asked it.
    #[arg(required = true)]
    question: Vec<String>,
}

pub fn run(args: Args, settings: &Settings) -> anyhow::Result<ExitCode> {
    let dir = super::knowledge_dir(args.knowledge, settings);
    let change = match (args.entry, args.not_covered) {
        (Some(entry), _) => Change::Phrasing { entry },
        (None, Some(subject)) => Change::NotCovered {
            subject,
            label: args.label,
        },
        (None, None) => unreachable!("clap requires one of --entry, --not-covered"),
    };
    let request = Request {
        question: args.question.join(" "),
        change,
    };
    // With knowledge.share: published to every bot process before it is written here.
    let result = match settings.share_url() {
        Some(url) => {
            let share = KnowledgeShare::new(url, &dir, settings.matching, Duration::from_secs(5))?;
            share.teach(&request)
        }
        None => teach::apply(&dir, settings.matching, &request),
    };
    match result {
        Ok(t) => {
            if settings.knowledge.commit_edits {
                match teach::git::commit(&dir, &request, &t.file, t.case.is_some()) {
                    Ok(Some(message)) => eprintln!("committed: {message}"),
                    Ok(None) => {
                        eprintln!("not committed: {} is not a git work tree", dir.display())
                    }
                    Err(e) => eprintln!("written but not committed: {e}"),
                }
            }
            for (i, line) in t.lines.iter().enumerate() {
                if line.trim().is_empty() {
                    continue;
                }
                eprintln!("added {}:{}: {}", t.file.display(), t.line + i, line.trim());
            }
            match &t.case {
                Some(case) => {
                    eprintln!("appended to {}: {case}", dir.join("tests.jsonl").display())
                }
                None => eprintln!(
                    "the question is already in {}",
                    dir.join("tests.jsonl").display()
                ),
            }
            eprintln!("now: {}", teach::outcome(&t.answer));
            if args.json {
                println!("{}", t.answer.to_json());
            } else {
                println!("{}", super::render::plain(&t.answer));
            }
            Ok(ExitCode::SUCCESS)
        }
        Err(e @ TeachError::Refused(_)) => {
            eprint!("{e}");
            Ok(ExitCode::FAILURE)
        }
        Err(e) => Err(e.into()),
    }
}
