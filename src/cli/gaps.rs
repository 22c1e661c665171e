//! `gaps`: what members asked that the knowledge could not answer, grouped by
//! similarity, for moderators; `gaps review` walks them and teaches or
//! declines each ([`super::review`]); `gaps purge` deletes the whole record
//! (after a confirmation, or `--yes`); `gaps export` and `gaps import` move it
//! (JSON lines), e.g. from the SQLite file to a shared PostgreSQL database.
//!
//! The record is the one the settings name (`recording.url`, else
//! `recording.path`), or the SQLite file given with `--db`.

use anyhow::Context;
use microneedling_bot::gaps::{
    today, GapGroup, GapOutcome, GapRecord, GapStore, RecordRow, RecordStore, Vote,
};
use microneedling_bot::settings::{RecordingSettings, Settings};
use microneedling_bot::Status;
use serde::Serialize;
use std::io::{BufRead, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// The environment variable that unlocks the hidden crash-test writer.
const TEST_WRITER_ENV: &str = "MICRONEEDLING_BOT_GAPS_TEST_WRITER";

/// Longest question shown in the table (CSV and JSON lines show it whole).
const TABLE_QUESTION_CHARS: usize = 70;

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    action: Option<Action>,
    /// Only the last N days, today included (default: the retention).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    days: Option<u32>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    format: Format,
    /// Also write the questions to FILE in the eval format (JSON lines), to
    /// label and append to knowledge/tests.jsonl; the nearest entry is filled
    /// in as a suggested label (`"entry"`): check it before using the file.
    #[arg(long, value_name = "FILE")]
    as_questions: Option<PathBuf>,
    /// The SQLite gap record to use, whatever the settings say (default: the
    /// settings' recording.url if set, else recording.path).
    #[arg(long, value_name = "PATH", global = true)]
    db: Option<PathBuf>,
}

#[derive(Debug, clap::Subcommand)]
enum Action {
    /// Delete everything recorded (asks first; `--yes` for scripts).
    Purge {
        /// Do not ask for confirmation (required when standard input is not a terminal).
        #[arg(long, short = 'y')]
        yes: bool,
    },
    /// Write every row of the record as JSON lines (to move it elsewhere).
    Export {
        /// The file to write (default: standard output).
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
    /// Add rows written by `gaps export` to the record (counts add up:
    /// import a file once).
    Import {
        /// The file to read (`-` for standard input).
        file: PathBuf,
    },
    /// Walk the unanswered questions, most frequent first: teach each to one of
    /// its nearest entries, decline it as a subject not covered, or skip it.
    /// Answers are read from standard input, one per line.
    Review {
        /// Only the last N days, today included (default: the retention).
        #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
        days: Option<u32>,
        /// Knowledge directory (default: the settings' knowledge.dir).
        #[arg(long, value_name = "DIR")]
        knowledge: Option<PathBuf>,
    },
    /// Crash-test writer (tests only): writes numbered rows, printing `ack N`
    /// after each committed one.
    #[command(hide = true)]
    TestWriter {
        /// First row number.
        #[arg(long, default_value_t = 0)]
        start: u64,
        /// Rows to write at most.
        #[arg(long, default_value_t = 1000)]
        count: u64,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Format {
    Table,
    Csv,
    Jsonl,
}

pub fn run(args: Args, settings: &Settings) -> anyhow::Result<ExitCode> {
    let mut record = settings.recording.clone();
    if let Some(db) = &args.db {
        record.path = db.clone();
        record.url = None;
    }
    match args.action {
        Some(Action::Purge { yes }) => purge(&record, yes),
        Some(Action::Export { out }) => export(&record, out.as_deref()),
        Some(Action::Import { file }) => import(&record, &file),
        Some(Action::Review { days, knowledge }) => {
            let days = days
                .or(args.days)
                .unwrap_or(settings.recording.retention_days);
            let dir = super::knowledge_dir(knowledge, settings);
            let stdin = std::io::stdin();
            let echo = !stdin.is_terminal();
            super::review::run(
                &record,
                days,
                &dir,
                settings,
                &mut stdin.lock(),
                echo,
                &mut std::io::stdout().lock(),
            )
        }
        Some(Action::TestWriter { start, count }) => test_writer(&record.path, start, count),
        None => {
            let days = args.days.unwrap_or(settings.recording.retention_days);
            list(&record, days, args.format, args.as_questions.as_deref())
        }
    }
}

/// The record to read, or `None` (after saying so) when nothing was ever
/// recorded.
pub(super) fn open_existing(
    record: &RecordingSettings,
) -> anyhow::Result<Option<Box<dyn RecordStore>>> {
    let target = microneedling_bot::gaps::describe(record);
    let store = microneedling_bot::gaps::open_existing(record)
        .with_context(|| format!("cannot open the gap record {target}"))?;
    if store.is_none() {
        println!("nothing recorded yet ({target} does not exist)");
    }
    Ok(store)
}

fn list(
    record: &RecordingSettings,
    days: u32,
    format: Format,
    as_questions: Option<&Path>,
) -> anyhow::Result<ExitCode> {
    let Some(mut store) = open_existing(record)? else {
        return Ok(ExitCode::SUCCESS);
    };
    let since = microneedling_bot::gaps::retention_start(today(), days);
    let groups = store.gaps(since).context("cannot read the gap record")?;
    if let Some(file) = as_questions {
        let n = write_questions(file, &groups)?;
        eprintln!("wrote {n} question(s) to {}", file.display());
    }
    let mut out = std::io::stdout().lock();
    match format {
        Format::Table => print_table(&mut out, &groups, days)?,
        Format::Csv => print_csv(&mut out, &groups)?,
        Format::Jsonl => {
            for g in &groups {
                writeln!(out, "{}", serde_json::to_string(g)?)?;
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn export(record: &RecordingSettings, out: Option<&Path>) -> anyhow::Result<ExitCode> {
    let target = microneedling_bot::gaps::describe(record);
    let rows = match microneedling_bot::gaps::open_existing(record)
        .with_context(|| format!("cannot open the gap record {target}"))?
    {
        Some(mut store) => store.export_rows().context("cannot read the gap record")?,
        None => Vec::new(),
    };
    let mut text = String::new();
    for row in &rows {
        text.push_str(&serde_json::to_string(row)?);
        text.push('\n');
    }
    match out {
        Some(file) => std::fs::write(file, text)
            .with_context(|| format!("cannot write {}", file.display()))?,
        None => std::io::stdout().lock().write_all(text.as_bytes())?,
    }
    eprintln!("exported {} row(s) from {target}", rows.len());
    Ok(ExitCode::SUCCESS)
}

fn import(record: &RecordingSettings, file: &Path) -> anyhow::Result<ExitCode> {
    let text = if file == Path::new("-") {
        std::io::read_to_string(std::io::stdin()).context("cannot read standard input")?
    } else {
        std::fs::read_to_string(file).with_context(|| format!("cannot read {}", file.display()))?
    };
    let rows = text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, l)| RecordRow::parse(l, i + 1))
        .collect::<Result<Vec<_>, _>>()
        .with_context(|| format!("{} is not a `gaps export` file", file.display()))?;
    let target = microneedling_bot::gaps::describe(record);
    let mut store = microneedling_bot::gaps::open_store(record)
        .with_context(|| format!("cannot open the gap record {target}"))?;
    let n = store
        .import_rows(&rows)
        .context("cannot write the gap record (nothing was imported)")?;
    println!("imported {n} row(s) into {target}");
    Ok(ExitCode::SUCCESS)
}

fn print_table(out: &mut impl Write, groups: &[GapGroup], days: u32) -> std::io::Result<()> {
    if groups.is_empty() {
        return writeln!(out, "no unanswered questions in the last {days} day(s)");
    }
    writeln!(
        out,
        "{:>5}  {:<width$}  {:<24}  {:>5}  OUTCOME",
        "COUNT",
        "QUESTION",
        "NEAREST ENTRY",
        "SCORE",
        width = TABLE_QUESTION_CHARS
    )?;
    for g in groups {
        writeln!(
            out,
            "{:>5}  {:<width$}  {:<24}  {:>5}  {}",
            g.count,
            shorten(&question_label(g)),
            g.nearest_entry.as_deref().unwrap_or("-"),
            g.best_score
                .map_or_else(|| "-".to_string(), |s| format!("{s:.2}")),
            outcome_label(g),
            width = TABLE_QUESTION_CHARS
        )?;
        for example in g.examples.iter().take(2) {
            writeln!(out, "{:>5}  ~ {}", "", shorten(example))?;
        }
    }
    Ok(())
}

/// What the record keeps of why these questions are gaps: `no match`,
/// `clarify` (close candidates offered), `👎` (a member found the answer
/// unhelpful); with counts when a group has several.
pub(super) fn outcome_label(g: &GapGroup) -> String {
    let name = GapOutcome::label_of;
    match g.outcomes.len() {
        0 => "-".to_string(),
        1 => g.outcomes.keys().map(|o| name(o)).collect(),
        _ => g
            .outcomes
            .iter()
            .map(|(o, n)| format!("{} {n}", name(o)))
            .collect::<Vec<_>>()
            .join(", "),
    }
}

/// The question, or what a group without words stands for.
pub(super) fn question_label(g: &GapGroup) -> String {
    if g.question.is_empty() {
        "(thumbs down; question not kept)".to_string()
    } else {
        g.question.clone()
    }
}

pub(super) fn shorten(text: &str) -> String {
    if text.chars().count() <= TABLE_QUESTION_CHARS {
        return text.to_string();
    }
    let mut s: String = text.chars().take(TABLE_QUESTION_CHARS - 1).collect();
    s.push('…');
    s
}

fn print_csv(out: &mut impl Write, groups: &[GapGroup]) -> std::io::Result<()> {
    writeln!(out, "count,question,nearest_entry,score,outcomes,examples")?;
    for g in groups {
        let outcomes: Vec<String> = g.outcomes.iter().map(|(o, n)| format!("{o}={n}")).collect();
        writeln!(
            out,
            "{},{},{},{},{},{}",
            g.count,
            csv_field(&g.question),
            csv_field(g.nearest_entry.as_deref().unwrap_or("")),
            g.best_score.map_or_else(String::new, |s| format!("{s:.3}")),
            csv_field(&outcomes.join(" ")),
            csv_field(&g.examples.join(" | ")),
        )?;
    }
    Ok(())
}

/// A CSV field (RFC 4180): quoted when it holds a comma, a quote or a line
/// break, with quotes doubled.
fn csv_field(text: &str) -> String {
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_string()
    }
}

/// One line of the eval question format.
#[derive(Serialize)]
struct QuestionLine<'a> {
    id: String,
    q: &'a str,
    kind: &'static str,
    topic: &'static str,
    expect: [&'static str; 0],
    /// The nearest entry, as a suggested label (to be checked).
    #[serde(skip_serializing_if = "Option::is_none")]
    entry: Option<&'a str>,
}

/// Writes the groups' questions in the eval format; returns how many.
fn write_questions(file: &Path, groups: &[GapGroup]) -> anyhow::Result<usize> {
    let mut text = String::new();
    let mut n = 0;
    for g in groups.iter().filter(|g| !g.question.is_empty()) {
        n += 1;
        let line = QuestionLine {
            id: format!("gap-{n:03}"),
            q: &g.question,
            kind: "answer",
            topic: "",
            expect: [],
            entry: g.nearest_entry.as_deref(),
        };
        text.push_str(&serde_json::to_string(&line)?);
        text.push('\n');
    }
    std::fs::write(file, text).with_context(|| format!("cannot write {}", file.display()))?;
    Ok(n)
}

fn purge(record: &RecordingSettings, yes: bool) -> anyhow::Result<ExitCode> {
    let Some(mut store) = open_existing(record)? else {
        return Ok(ExitCode::SUCCESS);
    };
    if !yes {
        let stdin = std::io::stdin();
        if !stdin.is_terminal() {
            eprintln!(
                "refusing to purge {} without confirmation: standard input is not a terminal; \
                 pass --yes to purge from a script",
                store.target()
            );
            return Ok(ExitCode::from(2));
        }
        eprint!(
            "Delete every recorded question, vote and count in {}? This cannot be undone. [y/N] ",
            store.target()
        );
        std::io::stderr().flush()?;
        let mut answer = String::new();
        stdin.lock().read_line(&mut answer)?;
        if !matches!(answer.trim().to_lowercase().as_str(), "y" | "yes") {
            println!("nothing purged");
            return Ok(ExitCode::SUCCESS);
        }
    }
    let purged = store.purge_all().context("cannot purge the gap record")?;
    println!(
        "purged {}: {} gap row(s), {} feedback row(s), {} outcome row(s)",
        store.target(),
        purged.gaps,
        purged.feedback,
        purged.outcomes
    );
    Ok(ExitCode::SUCCESS)
}

/// The crash test's child process: writes a stream of rows, one committed
/// transaction each, and prints `ack <kind> <n>` once each is committed, so
/// the test can kill it at any point and check that no acknowledged row is
/// lost. Refuses to run unless [`TEST_WRITER_ENV`] is `1`.
fn test_writer(path: &Path, start: u64, count: u64) -> anyhow::Result<ExitCode> {
    if std::env::var(TEST_WRITER_ENV).as_deref() != Ok("1") {
        anyhow::bail!("this is a test mode; set {TEST_WRITER_ENV}=1 to run it");
    }
    let mut store = GapStore::open(path)
        .with_context(|| format!("cannot open the gap record {}", path.display()))?;
    let day = today();
    let mut out = std::io::stdout().lock();
    for n in start..start.saturating_add(count) {
        match n % 3 {
            0 => {
                store.record_gap(&GapRecord {
                    day,
                    outcome: GapOutcome::NoMatch,
                    question: test_question(n),
                    best_entry: Some("crash-entry".into()),
                    score: Some(0.1),
                    knowledge_version: "crash-test".into(),
                })?;
                writeln!(out, "ack gap {n}")?;
            }
            1 => {
                store.record_outcome(Status::NoMatch, day)?;
                writeln!(out, "ack outcome {n}")?;
            }
            _ => {
                store.record_feedback(
                    &Vote {
                        entry: "crash-entry".into(),
                        helpful: true,
                        knowledge_version: "crash-test".into(),
                        question: None,
                        score: None,
                    },
                    day,
                )?;
                writeln!(out, "ack feedback {n}")?;
            }
        }
        out.flush()?;
    }
    Ok(ExitCode::SUCCESS)
}

/// The question written for row `n` of the crash test (digits kept short so
/// scrubbing leaves it as is).
fn test_question(n: u64) -> String {
    let words: Vec<String> = n.to_string().chars().map(|d| format!("d{d}")).collect();
    format!("crash test question {}", words.join(" "))
}
