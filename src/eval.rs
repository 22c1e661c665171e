//! Scoring the knowledge on a file of labelled questions.
//!
//! The format is the one of the public development set (one JSON object per
//! line: `id`, `q`, `kind` = answer | no_match | urgent, `topic`, `expect`).
//! An `answer` line passes when the bot answered and its answer text together
//! with its quotes contains every requirement (a requirement is met by any of
//! its `|`-separated alternatives, ignoring case). `no_match` and `urgent`
//! lines pass on the outcome alone.

use crate::answer::{Answer, Status};
use crate::engine::Engine;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::fmt;

/// One labelled question. Unknown fields are refused, so a misspelt
/// `"expcet"` is reported instead of silently testing nothing.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Case {
    pub id: String,
    pub q: String,
    pub kind: Kind,
    #[serde(default)]
    pub topic: String,
    #[serde(default)]
    pub expect: Vec<String>,
    /// For `answer` lines: the entry that must answer (optional).
    #[serde(default)]
    pub entry: Option<String>,
}

/// What the bot should do with a question.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Answer,
    NoMatch,
    Urgent,
}

impl Kind {
    fn as_str(self) -> &'static str {
        match self {
            Kind::Answer => "answer",
            Kind::NoMatch => "no_match",
            Kind::Urgent => "urgent",
        }
    }
}

/// A line that could not be read.
#[derive(Debug, thiserror::Error)]
#[error("line {line}: {message}")]
pub struct CaseError {
    pub line: usize,
    pub message: String,
}

/// Parses a question file, reporting every bad line.
pub fn parse_cases(text: &str) -> Result<Vec<Case>, Vec<CaseError>> {
    let mut cases = Vec::new();
    let mut errors = Vec::new();
    let mut seen = std::collections::HashMap::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        match serde_json::from_str::<Case>(line) {
            Ok(c) => {
                if let Some(first) = seen.insert(c.id.clone(), i + 1) {
                    errors.push(CaseError {
                        line: i + 1,
                        message: format!("duplicate id `{}` (first on line {first})", c.id),
                    });
                }
                cases.push(c)
            }
            Err(e) => errors.push(CaseError {
                line: i + 1,
                message: e.to_string(),
            }),
        }
    }
    if errors.is_empty() {
        Ok(cases)
    } else {
        Err(errors)
    }
}

/// A case the bot got wrong.
#[derive(Debug, Clone)]
pub struct Failure {
    pub case: Case,
    pub answer: Answer,
    /// Requirements not met (for `answer` cases that were answered).
    pub missing: Vec<String>,
}

/// The outcome of an evaluation.
#[derive(Debug, Clone, Default)]
pub struct Report {
    /// Per kind: (passed, total).
    pub per_kind: BTreeMap<Kind, (usize, usize)>,
    /// Per kind, how many got each status.
    pub confusion: BTreeMap<Kind, BTreeMap<&'static str, usize>>,
    pub failures: Vec<Failure>,
    /// Urgent messages that got an ordinary answer: never acceptable.
    pub urgent_answered: usize,
}

impl Report {
    /// Share of cases of a kind that passed; `None` when there are none.
    pub fn accuracy(&self, kind: Kind) -> Option<f64> {
        self.per_kind
            .get(&kind)
            .filter(|(_, n)| *n > 0)
            .map(|(p, n)| *p as f64 / *n as f64)
    }
}

/// Whether an answer's text and quotes meet every requirement.
pub fn missing_requirements(answer: &Answer, expect: &[String]) -> Vec<String> {
    let mut text = answer.answer.to_lowercase();
    for s in &answer.sources {
        text.push('\n');
        text.push_str(&s.quote.to_lowercase());
    }
    expect
        .iter()
        .filter(|req| {
            !req.split('|')
                .any(|alt| text.contains(alt.to_lowercase().as_str()))
        })
        .cloned()
        .collect()
}

/// Runs every case through the engine.
pub fn evaluate(engine: &Engine, cases: &[Case]) -> Report {
    let mut report = Report::default();
    for case in cases {
        let answer = engine.answer(&case.q);
        let (passed, missing) = match case.kind {
            Kind::Answer if answer.status == Status::Answered => {
                let mut missing = missing_requirements(&answer, &case.expect);
                if let Some(entry) = &case.entry {
                    if !answer.entries.contains(entry) {
                        missing.push(format!("entry {entry}"));
                    }
                }
                (missing.is_empty(), missing)
            }
            Kind::Answer => (false, Vec::new()),
            Kind::NoMatch => (answer.status == Status::NoMatch, Vec::new()),
            Kind::Urgent => (answer.status == Status::Urgent, Vec::new()),
        };
        if case.kind == Kind::Urgent && answer.status == Status::Answered {
            report.urgent_answered += 1;
        }
        let slot = report.per_kind.entry(case.kind).or_default();
        slot.1 += 1;
        if passed {
            slot.0 += 1;
        }
        *report
            .confusion
            .entry(case.kind)
            .or_default()
            .entry(answer.status.as_str())
            .or_default() += 1;
        if !passed {
            report.failures.push(Failure {
                case: case.clone(),
                answer,
                missing,
            });
        }
    }
    report
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for fail in &self.failures {
            let a = &fail.answer;
            write!(
                f,
                "FAIL {} [{} / {}] {:?}\n     got {} entry={} confidence={:.2}",
                fail.case.id,
                fail.case.kind.as_str(),
                fail.case.topic,
                fail.case.q,
                a.status.as_str(),
                a.entry.as_deref().unwrap_or("-"),
                a.confidence
            )?;
            if let Some(g) = &a.gap {
                write!(f, " not_covered={g}")?;
            }
            if let Some(fl) = &a.flag {
                write!(f, " flag={fl}")?;
            }
            if !fail.missing.is_empty() {
                write!(f, " missing={:?}", fail.missing)?;
            }
            writeln!(f)?;
        }
        if !self.failures.is_empty() {
            writeln!(f)?;
        }
        writeln!(f, "outcomes by kind:")?;
        for (kind, row) in &self.confusion {
            let cells: Vec<String> = row.iter().map(|(s, n)| format!("{s}={n}")).collect();
            writeln!(f, "  {:<9} {}", kind.as_str(), cells.join(" "))?;
        }
        let mut total = (0, 0);
        for (kind, (p, n)) in &self.per_kind {
            total.0 += p;
            total.1 += n;
            writeln!(
                f,
                "{:<9} {:>3}/{:<3} = {:.3}",
                kind.as_str(),
                p,
                n,
                *p as f64 / (*n).max(1) as f64
            )?;
        }
        writeln!(
            f,
            "overall   {:>3}/{:<3} = {:.3}   urgent answered casually: {}",
            total.0,
            total.1,
            total.0 as f64 / total.1.max(1) as f64,
            self.urgent_answered
        )
    }
}
