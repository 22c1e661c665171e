//! Why the bot answered what it did: the outcome, what fired in triage, the
//! terms the question was scored on and the best entries with their scores.
//! Shared by `explain`, `ask --explain` and `/kb explain`.

use crate::answer::{Answer, Status};
use crate::engine::{Engine, PatternHit};
use std::fmt;

/// How many candidate entries an explanation lists.
pub const TOP: usize = 5;

/// One candidate entry and its score.
#[derive(Debug, Clone, PartialEq)]
pub struct Scored {
    pub entry: String,
    pub topic: String,
    pub title: String,
    pub confidence: f32,
    /// The learned entry model's probability for it: a candidate it finds
    /// less likely than the favourite lost some confidence for that.
    pub learned: f32,
}

/// Everything `explain` shows about one question.
#[derive(Debug, Clone, PartialEq)]
pub struct Explanation {
    /// The reply, as `ask` gives it.
    pub answer: Answer,
    /// What fired in triage, in words: "red flag `infection` (signs of infection)".
    pub fired: Option<String>,
    /// Every triage pattern the message matches, with its owner: the lines a
    /// moderator would mend after a false alarm or a wrong decline.
    pub patterns: Vec<PatternHit>,
    /// The learned crisis model's score, its threshold, and the words that
    /// weigh most toward crisis; `None` without `crisis_examples.jsonl`.
    pub crisis_score: Option<CrisisScore>,
    /// The terms the question was scored on.
    pub terms: Vec<String>,
    /// What the chatter check saw: domain words, unexplained words.
    pub domain: crate::engine::DomainView,
    /// The best entries, best first (at most [`TOP`]).
    pub candidates: Vec<Scored>,
}

/// What the learned crisis model made of a message.
#[derive(Debug, Clone, PartialEq)]
pub struct CrisisScore {
    pub score: f32,
    pub threshold: f32,
    /// Words and word pairs pulling toward crisis, heaviest first.
    pub heaviest: Vec<(String, f32)>,
}

/// Explains how `engine` answers `question`.
pub fn explain(engine: &Engine, question: &str) -> Explanation {
    let answer = engine.answer(question);
    let k = engine.knowledge();
    let crisis_score = engine
        .crisis_score(question)
        .map(|(score, heaviest)| CrisisScore {
            score,
            threshold: k.red_flags.learned_threshold,
            heaviest,
        });
    // The learned model is asked before the patterns, so when it is above
    // its threshold it is what fired.
    let learned = crisis_score.as_ref().is_some_and(|c| c.score > c.threshold);
    let fired = if let Some(flag) = &answer.flag {
        Some(match k.red_flags.flags.iter().find(|f| &f.id == flag) {
            Some(f) => format!("red flag `{}` ({})", f.id, f.label),
            None if learned => {
                format!("red flag `{flag}` (self-harm: the crisis reply), from the learned crisis model")
            }
            None => format!("red flag `{flag}` (self-harm: the crisis reply)"),
        })
    } else {
        answer
            .gap
            .as_ref()
            .map(|gap| match k.gaps.iter().find(|g| &g.id == gap) {
                Some(g) => format!("not covered `{}` ({})", g.id, g.about),
                None => format!("not covered `{gap}`"),
            })
    };
    let candidates = engine
        .candidates(question)
        .iter()
        .take(TOP)
        .map(|c| {
            let e = &k.entries[c.entry];
            Scored {
                entry: e.id.clone(),
                topic: e.topic.clone(),
                title: e.title().to_string(),
                confidence: c.confidence,
                learned: c.learned,
            }
        })
        .collect();
    Explanation {
        terms: engine.terms(question),
        domain: engine.domain_view(question),
        patterns: engine.matching_patterns(question),
        crisis_score,
        answer,
        fired,
        candidates,
    }
}

impl Explanation {
    /// The outcome in one line: `answered by downtime-redness (0.87)`.
    pub fn outcome(&self) -> String {
        outcome(&self.answer)
    }
}

/// An answer's outcome in one line, as `teach` and `explain` print it.
pub fn outcome(a: &Answer) -> String {
    match a.status {
        Status::Answered if a.entries.len() > 1 => format!(
            "answered by {} ({:.2})",
            a.entries.join(" + "),
            a.confidence
        ),
        Status::Answered => format!(
            "answered by {} ({:.2})",
            a.entry.as_deref().unwrap_or("?"),
            a.confidence
        ),
        Status::Clarify => format!(
            "clarify: {} ({:.2})",
            a.suggestions
                .iter()
                .map(|s| s.entry.as_str())
                .collect::<Vec<_>>()
                .join(", "),
            a.confidence
        ),
        Status::NoMatch => match &a.gap {
            Some(gap) => format!("no_match: not covered ({gap})"),
            None => format!("no_match (nearest {:.2})", a.confidence),
        },
        Status::Urgent => format!("urgent ({})", a.flag.as_deref().unwrap_or("red flag")),
        Status::Help => "help".to_string(),
    }
}

impl fmt::Display for Explanation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "question: {}", self.answer.question)?;
        writeln!(f, "outcome:  {}", self.outcome())?;
        writeln!(
            f,
            "fired:    {}",
            self.fired
                .as_deref()
                .unwrap_or("nothing (no red flag, no uncovered subject)")
        )?;
        for hit in &self.patterns {
            // Enough of a long pattern to find its line in the file.
            const SHOWN: usize = 90;
            let shown: String = hit.pattern.chars().take(SHOWN).collect();
            let more = if shown.len() < hit.pattern.len() {
                "…"
            } else {
                ""
            };
            writeln!(f, "  matches {}: {shown}{more}", hit.owner)?;
        }
        if let Some(c) = &self.crisis_score {
            let words: Vec<String> = c
                .heaviest
                .iter()
                .map(|(w, x)| format!("{w} {x:+.1}"))
                .collect();
            writeln!(
                f,
                "  learned crisis score {:.1} ({} {:.1}){}{}",
                c.score,
                if c.score > c.threshold {
                    "above"
                } else {
                    "at or under"
                },
                c.threshold,
                if words.is_empty() {
                    ""
                } else {
                    "; toward crisis: "
                },
                words.join(", ")
            )?;
        }
        if !self.answer.corrected.is_empty() {
            let fixes: Vec<String> = self
                .answer
                .corrected
                .iter()
                .map(|(w, c)| format!("{w} -> {c}"))
                .collect();
            writeln!(f, "typos:    {}", fixes.join(", "))?;
        }
        writeln!(f, "terms:    {}", self.terms.join(" "))?;
        let d = &self.domain;
        let list = |v: &[String]| {
            if v.is_empty() {
                "none".to_string()
            } else {
                v.join(" ")
            }
        };
        writeln!(
            f,
            "domain:   {} (with an everyday sense: {}); unexplained: {}{}",
            list(&d.domain),
            list(&d.ambiguous),
            list(&d.unexplained),
            if d.refers_back {
                "; refers back to the treatment"
            } else {
                ""
            }
        )?;
        if !d.elsewhere.is_empty() {
            writeln!(
                f,
                "          another field: {} (no anchor word): chatter",
                d.elsewhere.join(" ")
            )?;
        }
        if self.candidates.is_empty() {
            writeln!(f, "entries:  none shares a word with the question")?;
        } else {
            writeln!(f, "entries:")?;
            for c in &self.candidates {
                writeln!(
                    f,
                    "  {:.3}  {} ({}, learned {:.2}): {}",
                    c.confidence, c.entry, c.topic, c.learned, c.title
                )?;
            }
        }
        Ok(())
    }
}
