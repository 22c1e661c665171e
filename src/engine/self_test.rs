//! The phrasing self-test: every phrasing of every entry must be answered by
//! its own entry. A red flag or a not-covered subject that captures one is an
//! error in those patterns (it would swallow real questions too); a phrasing
//! that another entry answers, or that is not answered, is a warning that two
//! entries overlap or a phrasing is too vague.
//!
//! The crisis examples get the same test: a message marked crisis that the
//! whole engine still answers, or one marked ordinary that gets the crisis
//! reply, is a warning (the model is learned, so it may not fit every
//! example; the moderator decides whether a pattern should help).

use super::Engine;
use crate::answer::Status;
use std::path::PathBuf;

/// What went wrong with one phrasing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PhrasingProblem {
    /// A red flag (or the crisis section) captures it.
    RedFlag(String),
    /// A not-covered subject captures it.
    NotCovered(String),
    /// Another entry answers it.
    OtherEntry(String),
    /// It is not answered (clarify, no match, small talk).
    NotAnswered(&'static str),
}

impl PhrasingProblem {
    /// Captures are errors; overlaps are warnings.
    pub fn is_error(&self) -> bool {
        matches!(
            self,
            PhrasingProblem::RedFlag(_) | PhrasingProblem::NotCovered(_)
        )
    }
}

/// One phrasing that failed, with where it is written.
#[derive(Debug, Clone)]
pub struct PhrasingIssue {
    pub entry: String,
    pub phrasing: String,
    /// The entry file and 1-based line, when the caller looked it up
    /// ([`crate::teach::phrasing_lines`]); the engine itself reads no file.
    pub at: Option<(PathBuf, usize)>,
    pub problem: PhrasingProblem,
}

impl std::fmt::Display for PhrasingIssue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if let Some((file, line)) = &self.at {
            write!(f, "{}:{line}: ", file.display())?;
        }
        write!(f, "phrasing {:?} of `{}` ", self.phrasing, self.entry)?;
        match &self.problem {
            PhrasingProblem::RedFlag(id) => write!(f, "is captured by red flag `{id}`"),
            PhrasingProblem::NotCovered(id) => {
                write!(f, "is captured by not-covered subject `{id}`")
            }
            PhrasingProblem::OtherEntry(id) => write!(f, "is answered by entry `{id}`"),
            PhrasingProblem::NotAnswered(s) => write!(f, "is not answered (got {s})"),
        }
    }
}

impl Engine {
    /// Runs every phrasing of every entry through the whole engine.
    pub fn self_test(&self) -> Vec<PhrasingIssue> {
        let k = self.knowledge();
        let mut out = Vec::new();
        for e in &k.entries {
            for q in &e.questions {
                let a = self.answer(q);
                let problem = match a.status {
                    Status::Urgent => PhrasingProblem::RedFlag(a.flag.clone().unwrap_or_default()),
                    Status::NoMatch if a.gap.is_some() => {
                        PhrasingProblem::NotCovered(a.gap.clone().unwrap_or_default())
                    }
                    Status::Answered if a.entries.contains(&e.id) => continue,
                    Status::Answered => {
                        PhrasingProblem::OtherEntry(a.entry.clone().unwrap_or_default())
                    }
                    other => PhrasingProblem::NotAnswered(other.as_str()),
                };
                out.push(PhrasingIssue {
                    entry: e.id.clone(),
                    phrasing: q.clone(),
                    at: None,
                    problem,
                });
            }
        }
        out
    }
}

/// A crisis example the whole engine gets wrong.
#[derive(Debug, Clone, PartialEq)]
pub struct CrisisExampleIssue {
    pub text: String,
    /// Its line in `crisis_examples.jsonl`.
    pub line: usize,
    /// Marked crisis (and missed), or marked ordinary (and given the crisis reply).
    pub crisis: bool,
    /// The learned model's score.
    pub score: f32,
}

impl std::fmt::Display for CrisisExampleIssue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let shown: String = self.text.chars().take(80).collect();
        let more = if shown.len() < self.text.len() {
            "…"
        } else {
            ""
        };
        if self.crisis {
            write!(
                f,
                "{shown:?}{more} is marked crisis but gets no crisis reply (learned score {:.1})",
                self.score
            )
        } else {
            write!(
                f,
                "{shown:?}{more} is marked not crisis but gets the crisis reply (learned score {:.1})",
                self.score
            )
        }
    }
}

impl Engine {
    /// Runs every crisis example through the whole engine.
    pub fn crisis_example_test(&self) -> Vec<CrisisExampleIssue> {
        self.knowledge()
            .red_flags
            .crisis_examples
            .iter()
            .filter(|x| (self.answer(&x.text).flag.as_deref() == Some("crisis")) != x.crisis)
            .map(|x| CrisisExampleIssue {
                text: x.text.clone(),
                line: x.line,
                crisis: x.crisis,
                score: self
                    .crisis_score(&x.text)
                    .map_or(f32::NEG_INFINITY, |s| s.0),
            })
            .collect()
    }
}
