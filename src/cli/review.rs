//! `gaps review`: the moderators' loop in one sitting. Walks the grouped
//! unanswered questions, most frequent first; for each shows how it is
//! answered now and its nearest entries with their scores, and reads one
//! answer line:
//!
//! - `N`: teach it to the N-th entry shown (`t ID`: to any entry);
//! - `d ID`: decline it as the not-covered subject `ID` (`d ID LABEL…`
//!   creates the subject);
//! - `s` (or an empty line): skip it; `q`: quit; `?`: help and the subjects.
//!
//! Edits go through [`teach::apply`], as `teach` and `/kb teach` do: the whole
//! knowledge is checked first, a refusal lists its problems and asks again.
//! Answers come from any reader (standard input: a pipe drives it in tests);
//! the end of the input ends the review cleanly.

use anyhow::Context;
use microneedling_bot::gaps::{retention_start, today, GapGroup};
use microneedling_bot::settings::{RecordingSettings, Settings};
use microneedling_bot::teach::{self, Change, Request, TeachError};
use microneedling_bot::Engine;
use std::io::{BufRead, Write};
use std::path::Path;
use std::process::ExitCode;

/// What one answer line asks for.
#[derive(Debug, PartialEq, Eq)]
enum Choice {
    Teach(String),
    Decline {
        subject: String,
        label: Option<String>,
    },
    Skip,
    Quit,
    Help,
    /// Not understood (the message says why).
    Unclear(String),
}

const HELP: &str = "\
  N               teach it to entry N above (t ENTRY-ID: to any entry)
  d SUBJECT       decline it as a subject not covered (d NEW-ID LABEL… creates one)
  s or Enter      skip it
  q               quit
  ?               this help and the subjects not covered";

/// Reads one answer line against the `n` entries shown.
fn parse(line: &str, shown: &[String]) -> Choice {
    let line = line.trim();
    let (word, rest) = match line.split_once(char::is_whitespace) {
        Some((w, r)) => (w, r.trim()),
        None => (line, ""),
    };
    match word.to_lowercase().as_str() {
        "" | "s" | "skip" => Choice::Skip,
        "q" | "quit" | "exit" => Choice::Quit,
        "?" | "h" | "help" => Choice::Help,
        "t" | "teach" if !rest.is_empty() => match rest.parse::<usize>() {
            Ok(n) => pick(n, shown),
            Err(_) => Choice::Teach(rest.to_string()),
        },
        "d" | "decline" if !rest.is_empty() => {
            let (subject, label) = match rest.split_once(char::is_whitespace) {
                Some((s, l)) => (s, Some(l.trim().to_string())),
                None => (rest, None),
            };
            Choice::Decline {
                subject: subject.to_string(),
                label: label.filter(|l| !l.is_empty()),
            }
        }
        "t" | "teach" => Choice::Unclear("teach to which entry? a number or `t ENTRY-ID`".into()),
        "d" | "decline" => {
            Choice::Unclear("decline as which subject? `d SUBJECT` (`?` lists them)".into())
        }
        w => match w.parse::<usize>() {
            Ok(n) if rest.is_empty() => pick(n, shown),
            _ => Choice::Unclear(format!("not understood: {line:?} (`?` for help)")),
        },
    }
}

fn pick(n: usize, shown: &[String]) -> Choice {
    match n.checked_sub(1).and_then(|i| shown.get(i)) {
        Some(id) => Choice::Teach(id.clone()),
        None if shown.is_empty() => {
            Choice::Unclear("no entry is near this question: `t ENTRY-ID` or `d SUBJECT`".into())
        }
        None => Choice::Unclear(format!("pick an entry from 1 to {}", shown.len())),
    }
}

/// Runs the review of the record `record` names (the last `days` days) against the
/// knowledge in `dir`, reading answers from `input` (echoed to `out` when
/// `echo`: input that is not typed at a terminal, so the transcript reads).
pub fn run(
    record: &RecordingSettings,
    days: u32,
    dir: &Path,
    settings: &Settings,
    input: &mut impl BufRead,
    echo: bool,
    out: &mut impl Write,
) -> anyhow::Result<ExitCode> {
    let Some(mut store) = super::gaps::open_existing(record)? else {
        return Ok(ExitCode::SUCCESS);
    };
    let groups = store
        .gaps(retention_start(today(), days))
        .context("cannot read the gap record")?;
    drop(store);
    let groups: Vec<GapGroup> = groups
        .into_iter()
        .filter(|g| !g.question.trim().is_empty())
        .collect();
    if groups.is_empty() {
        writeln!(
            out,
            "no unanswered questions to review in the last {days} day(s)"
        )?;
        return Ok(ExitCode::SUCCESS);
    }
    let mut engine = super::engine(Some(dir.to_path_buf()), settings)?;
    writeln!(
        out,
        "{} group(s) of unanswered questions from the last {days} day(s), most frequent first.\n{HELP}",
        groups.len()
    )?;
    let (mut taught, mut declined, mut skipped) = (0, 0, 0);
    let mut reviewed = 0;
    'groups: for (i, g) in groups.iter().enumerate() {
        let shown = show(out, &engine, g, i + 1, groups.len())?;
        loop {
            write!(out, "teach N / d SUBJECT / s / q > ")?;
            out.flush()?;
            let mut line = String::new();
            if input.read_line(&mut line)? == 0 {
                writeln!(out, "\n(end of input)")?;
                break 'groups;
            }
            if echo {
                writeln!(out, "{}", line.trim_end())?;
            }
            let change = match parse(&line, &shown) {
                Choice::Skip => {
                    skipped += 1;
                    break;
                }
                Choice::Quit => break 'groups,
                Choice::Help => {
                    writeln!(out, "{HELP}")?;
                    subjects(out, &engine)?;
                    continue;
                }
                Choice::Unclear(why) => {
                    writeln!(out, "  {why}")?;
                    continue;
                }
                Choice::Teach(entry) => Change::Phrasing { entry },
                Choice::Decline { subject, label } => Change::NotCovered { subject, label },
            };
            let is_decline = matches!(change, Change::NotCovered { .. });
            let request = Request {
                question: g.question.clone(),
                change,
            };
            match teach::apply(dir, settings.matching, &request) {
                Ok(t) => {
                    if settings.knowledge.commit_edits {
                        if let Err(e) = teach::git::commit(dir, &request, &t.file, t.case.is_some())
                        {
                            writeln!(out, "  written but not committed: {e}")?;
                        }
                    }
                    for (n, added) in t.lines.iter().enumerate() {
                        if !added.trim().is_empty() {
                            writeln!(
                                out,
                                "  added {}:{}: {}",
                                t.file.display(),
                                t.line + n,
                                added.trim()
                            )?;
                        }
                    }
                    if let Some(case) = &t.case {
                        writeln!(out, "  appended to tests.jsonl: {case}")?;
                    }
                    writeln!(out, "  now: {}", teach::outcome(&t.answer))?;
                    engine = t.engine;
                    if is_decline {
                        declined += 1;
                    } else {
                        taught += 1;
                    }
                    break;
                }
                Err(e @ TeachError::Refused(_)) => {
                    for line in e.to_string().lines() {
                        writeln!(out, "  {line}")?;
                    }
                }
                Err(e) => return Err(e.into()),
            }
        }
        reviewed += 1;
    }
    let left = groups.len() - reviewed;
    writeln!(
        out,
        "\nreviewed {reviewed} of {}: {taught} taught, {declined} declined, {skipped} skipped{}",
        groups.len(),
        if left > 0 {
            format!("; {left} left for later")
        } else {
            String::new()
        }
    )?;
    Ok(ExitCode::SUCCESS)
}

/// Shows one group and returns the ids of the entries it numbers.
fn show(
    out: &mut impl Write,
    engine: &Engine,
    g: &GapGroup,
    n: usize,
    of: usize,
) -> std::io::Result<Vec<String>> {
    writeln!(
        out,
        "\n[{n}/{of}] {} × \"{}\"  ({})",
        g.count,
        super::gaps::shorten(&g.question),
        super::gaps::outcome_label(g)
    )?;
    for example in g.examples.iter().take(3) {
        writeln!(out, "        ~ {}", super::gaps::shorten(example))?;
    }
    let e = teach::explain(engine, &g.question);
    writeln!(out, "  now: {}", e.outcome())?;
    if let Some(fired) = &e.fired {
        writeln!(out, "  fired: {fired}")?;
    }
    if e.candidates.is_empty() {
        writeln!(out, "  no entry shares a word with it")?;
    } else {
        writeln!(out, "  nearest entries:")?;
        for (i, c) in e.candidates.iter().enumerate() {
            writeln!(
                out,
                "    {}. {:.3}  {}: {}",
                i + 1,
                c.confidence,
                c.entry,
                c.title
            )?;
        }
    }
    Ok(e.candidates.into_iter().map(|c| c.entry).collect())
}

/// The subjects not covered, to decline to.
fn subjects(out: &mut impl Write, engine: &Engine) -> std::io::Result<()> {
    writeln!(out, "  subjects not covered:")?;
    for g in &engine.knowledge().gaps {
        writeln!(out, "    {}: {}", g.id, g.about)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_are_read_as_choices() {
        let shown = vec!["a".to_string(), "b".to_string()];
        assert_eq!(parse("2\n", &shown), Choice::Teach("b".into()));
        assert_eq!(parse("t 1", &shown), Choice::Teach("a".into()));
        assert_eq!(
            parse("t other-entry", &shown),
            Choice::Teach("other-entry".into())
        );
        assert_eq!(
            parse("d prices", &shown),
            Choice::Decline {
                subject: "prices".into(),
                label: None
            }
        );
        assert_eq!(
            parse("d tattoos tattoo removal ", &shown),
            Choice::Decline {
                subject: "tattoos".into(),
                label: Some("tattoo removal".into())
            }
        );
        assert_eq!(parse("", &shown), Choice::Skip);
        assert_eq!(parse("s", &shown), Choice::Skip);
        assert_eq!(parse("Q", &shown), Choice::Quit);
        assert_eq!(parse("?", &shown), Choice::Help);
        assert!(matches!(parse("3", &shown), Choice::Unclear(_)));
        assert!(matches!(parse("0", &shown), Choice::Unclear(_)));
        assert!(matches!(parse("d", &shown), Choice::Unclear(_)));
        assert!(matches!(parse("what", &shown), Choice::Unclear(_)));
    }
}
