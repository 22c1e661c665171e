//! Triage: one outcome per message, decided in a fixed order of safety.
//!
//! 1. `urgent`: a red flag (negation-aware) wins over everything, so a member
//!    describing a complication never gets a casual answer.
//! 2. `help`: a greeting or a question about the bot.
//! 3. `no_match` for subjects the knowledge marks as not covered, so a near
//!    miss ("what SPF after microneedling?") is declined instead of answered
//!    from the nearest entry.
//! 4. `answered` when one entry is clearly best and confident, on every part
//!    of a message that asks two things.
//! 5. `clarify` when candidates are close or confidence is middling.
//! 6. `no_match` otherwise.

use crate::answer::{Answer, SourceRef, Status, Suggestion};
use crate::knowledge::{Entry, Knowledge};
use crate::matching::{Analyzed, Candidate, Matcher};
use crate::settings::MatchingSettings;
use crate::text::pattern_set::PatternSet;
use std::sync::Arc;

/// Words that mark a message as about the bot rather than microneedling.
const HELP_TRIGGERS: &[&str] = &[
    "hi",
    "hello",
    "hey",
    "heya",
    "hiya",
    "yo",
    "sup",
    "howdy",
    "greetings",
    "gm",
    "help",
    "commands",
    "command",
    "menu",
    "bot",
    "thanks",
    "thank",
    "thx",
    "ty",
];

/// Words that may accompany a trigger in a greeting ("hey there, what can you do?").
const HELP_FILLER: &[&str] = &[
    "morning",
    "evening",
    "afternoon",
    "start",
    "what",
    "can",
    "you",
    "u",
    "do",
    "who",
    "are",
    "r",
    "how",
    "does",
    "this",
    "work",
    "works",
    "use",
    "please",
    "pls",
    "there",
    "anyone",
    "here",
    "good",
    "about",
    "info",
    "the",
    "a",
    "is",
    "i",
    "it",
    "to",
    "with",
    "be",
    "ok",
    "okay",
    "cool",
    "nice",
    "great",
    "awesome",
    "so",
];

/// The answering engine over one loaded knowledge. Cheap to share: build it
/// once per knowledge load and keep it behind an `Arc`.
#[derive(Debug)]
pub struct Engine {
    knowledge: Arc<Knowledge>,
    matcher: Matcher,
    settings: MatchingSettings,
    /// Red-flag patterns; the owner is the flag's index.
    red_flags: PatternSet,
    /// Not-covered patterns; the owner is the gap's index.
    gaps: PatternSet,
}

impl Engine {
    /// Indexes the knowledge for answering.
    pub fn new(knowledge: Arc<Knowledge>, settings: MatchingSettings) -> Engine {
        let matcher = Matcher::new(&knowledge);
        let red_flags = PatternSet::new(
            knowledge
                .red_flags
                .flags
                .iter()
                .enumerate()
                .flat_map(|(i, f)| f.patterns.iter().map(move |p| (i, p))),
        );
        let gaps = PatternSet::new(
            knowledge
                .gaps
                .iter()
                .enumerate()
                .flat_map(|(i, g)| g.patterns.iter().map(move |p| (i, p))),
        );
        Engine {
            knowledge,
            matcher,
            settings,
            red_flags,
            gaps,
        }
    }

    /// The knowledge this engine answers from.
    pub fn knowledge(&self) -> &Arc<Knowledge> {
        &self.knowledge
    }

    /// The matching settings in force.
    pub fn settings(&self) -> &MatchingSettings {
        &self.settings
    }

    /// Ranked candidates for a message (for tools and diagnostics).
    pub fn candidates(&self, message: &str) -> Vec<Candidate> {
        let text = cap(message, self.settings.max_input_chars);
        self.matcher.rank(&self.matcher.analyze(text).terms)
    }

    /// The terms a message is scored on (for diagnostics).
    pub fn terms(&self, message: &str) -> Vec<String> {
        let text = cap(message, self.settings.max_input_chars);
        self.matcher.analyze(text).terms
    }

    /// Answers one chat message.
    pub fn answer(&self, message: &str) -> Answer {
        let text = cap(message, self.settings.max_input_chars);
        let analyzed = self.matcher.analyze(text);
        let tokens = analyzed.pattern_tokens();
        let k = &self.knowledge;

        if let Some(flag) = self
            .red_flags
            .first_match(&tokens)
            .map(|i| &k.red_flags.flags[i])
        {
            let mut a = self.base(text, Status::Urgent, 1.0, k.red_flags.urgent_reply.clone());
            a.flag = Some(flag.id.clone());
            return a;
        }

        if is_help(&analyzed) {
            return self.base(text, Status::Help, 1.0, k.texts.help.clone());
        }

        let ranked = self.matcher.rank(&analyzed.terms);
        let best = ranked.first().copied();

        if let Some(gap) = self.gaps.first_match(&tokens).map(|i| &k.gaps[i]) {
            let reply = k.texts.not_covered.replace("{about}", &gap.about);
            let mut a = self.base(
                text,
                Status::NoMatch,
                best.map_or(0.0, |c| c.confidence),
                reply,
            );
            a.gap = Some(gap.id.clone());
            return a;
        }

        // A message asking two things gets both answers.
        let parts = self.confident_parts(text);
        if parts.len() >= 2 {
            return self.answered(text, &parts);
        }

        match best {
            Some(top) if self.is_clear(top, &ranked) => self.answered(text, &[top]),
            Some(top) if top.confidence >= self.settings.answer_threshold => {
                // Confident but close to a runner-up on another topic.
                self.clarify(text, &ranked)
            }
            Some(top) if top.confidence >= self.settings.clarify_threshold => {
                // A long message may hide one clear question in one sentence.
                match parts.first() {
                    Some(part) => self.answered(text, &[*part]),
                    None => self.clarify(text, &ranked),
                }
            }
            _ => match parts.first() {
                Some(part) => self.answered(text, &[*part]),
                None => {
                    let confidence = best.map_or(0.0, |c| c.confidence);
                    self.base(text, Status::NoMatch, confidence, k.texts.no_match.clone())
                }
            },
        }
    }

    /// The reply for one entry, as when a member picks a suggestion.
    pub fn answer_entry(&self, id: &str) -> Option<Answer> {
        let index = self.knowledge.entries.iter().position(|e| e.id == id)?;
        let entry = &self.knowledge.entries[index];
        Some(self.answered(
            entry.title(),
            &[Candidate {
                entry: index,
                confidence: 1.0,
            }],
        ))
    }

    /// Whether the top candidate is confident and clearly ahead of any
    /// runner-up from another topic.
    fn is_clear(&self, top: Candidate, ranked: &[Candidate]) -> bool {
        if top.confidence < self.settings.answer_threshold {
            return false;
        }
        let entries = &self.knowledge.entries;
        let topic = &entries[top.entry].topic;
        match ranked
            .iter()
            .skip(1)
            .find(|c| &entries[c.entry].topic != topic)
        {
            Some(rival) => top.confidence - rival.confidence >= self.settings.min_margin,
            None => true,
        }
    }

    /// Sentences or "… and how …" clauses that each clearly match a different entry.
    fn confident_parts(&self, text: &str) -> Vec<Candidate> {
        let segments = split_questions(text);
        if segments.len() < 2 {
            return Vec::new();
        }
        let mut parts: Vec<Candidate> = Vec::new();
        for seg in segments {
            let ranked = self.matcher.rank(&self.matcher.analyze(seg).terms);
            if let Some(&top) = ranked.first() {
                if self.is_clear(top, &ranked) && parts.iter().all(|p| p.entry != top.entry) {
                    parts.push(top);
                }
            }
        }
        parts
    }

    fn base(&self, text: &str, status: Status, confidence: f32, answer: String) -> Answer {
        Answer {
            question: text.to_string(),
            status,
            entry: None,
            topic: None,
            confidence,
            answer,
            sources: Vec::new(),
            suggestions: Vec::new(),
            disclaimer: self.knowledge.texts.disclaimer.clone(),
            title: None,
            related: Vec::new(),
            entries: Vec::new(),
            flag: None,
            gap: None,
        }
    }

    fn answered(&self, text: &str, parts: &[Candidate]) -> Answer {
        let k = &self.knowledge;
        let first = &k.entries[parts[0].entry];
        let answer = if parts.len() == 1 {
            first.answer.clone()
        } else {
            parts
                .iter()
                .map(|c| {
                    let e = &k.entries[c.entry];
                    format!("**{}**\n{}", e.title(), e.answer)
                })
                .collect::<Vec<_>>()
                .join("\n\n")
        };
        let confidence = parts.iter().map(|c| c.confidence).fold(1.0f32, f32::min);
        let mut a = self.base(text, Status::Answered, confidence, answer);
        a.entry = Some(first.id.clone());
        a.topic = Some(first.topic.clone());
        a.title = Some(first.title().to_string());
        let answered: Vec<&Entry> = parts.iter().map(|c| &k.entries[c.entry]).collect();
        a.entries = answered.iter().map(|e| e.id.clone()).collect();
        for e in &answered {
            for q in &e.quotes {
                let source = SourceRef {
                    document: q.source.clone(),
                    title: k
                        .source(&q.source)
                        .map_or_else(|| q.source.clone(), |s| s.title.clone()),
                    location: format!("paragraph {}", q.paragraph),
                    quote: q.excerpt.clone(),
                };
                if !a.sources.contains(&source) {
                    a.sources.push(source);
                }
            }
        }
        for e in &answered {
            for r in &e.related {
                if a.entries.contains(r) || a.related.iter().any(|s| &s.entry == r) {
                    continue;
                }
                if let Some(re) = k.entry(r) {
                    a.related.push(suggestion(re));
                }
            }
        }
        a
    }

    fn clarify(&self, text: &str, ranked: &[Candidate]) -> Answer {
        let k = &self.knowledge;
        let floor = self.settings.clarify_threshold;
        let suggestions: Vec<Suggestion> = ranked
            .iter()
            .filter(|c| c.confidence >= floor * 0.8)
            .take(self.settings.max_suggestions.max(1))
            .map(|c| suggestion(&k.entries[c.entry]))
            .collect();
        let mut answer = k.texts.clarify.clone();
        for s in &suggestions {
            answer.push_str("\n• ");
            answer.push_str(&s.question);
        }
        let confidence = ranked.first().map_or(0.0, |c| c.confidence);
        let mut a = self.base(text, Status::Clarify, confidence, answer);
        a.suggestions = suggestions;
        a
    }
}

fn suggestion(e: &Entry) -> Suggestion {
    Suggestion {
        entry: e.id.clone(),
        question: e.title().to_string(),
    }
}

/// A greeting or help request: only greeting/help words, at least one of
/// which is a clear trigger; or no words at all (only emoji, only a mention).
fn is_help(a: &Analyzed) -> bool {
    if a.tokens.is_empty() {
        return true;
    }
    a.tokens
        .iter()
        .all(|t| HELP_TRIGGERS.contains(&t.text.as_str()) || HELP_FILLER.contains(&t.text.as_str()))
        && a.tokens
            .iter()
            .any(|t| HELP_TRIGGERS.contains(&t.text.as_str()))
        || matches_phrase(a, &["what", "can", "you", "do"])
        || matches_phrase(a, &["who", "are", "you"])
}

fn matches_phrase(a: &Analyzed, phrase: &[&str]) -> bool {
    a.tokens.len() <= phrase.len() + 2
        && a.tokens
            .windows(phrase.len())
            .any(|w| w.iter().zip(phrase).all(|(t, p)| t.text == *p))
}

/// Cuts a message to at most `max` characters (on a character boundary).
pub fn cap(text: &str, max: usize) -> &str {
    match text.char_indices().nth(max) {
        Some((i, _)) => &text[..i],
        None => text,
    }
}

/// Splits a message into sentences, and a sentence at "and/also/plus" when a
/// new question starts there ("does it hurt and how long is the redness?").
fn split_questions(text: &str) -> Vec<&str> {
    const STARTERS: &[&str] = &[
        "how", "what", "whats", "does", "do", "is", "are", "can", "will", "why", "when", "should",
        "would", "could", "which", "where", "did",
    ];
    let bare = |w: &str| {
        w.trim_matches(|c: char| !c.is_alphanumeric())
            .to_ascii_lowercase()
    };
    let mut out = Vec::new();
    for sentence in text.split(['?', '!', '.', ';', '\n']) {
        // Each word with its byte offset in the sentence (a subslice's offset).
        let words: Vec<(usize, &str)> = sentence
            .split_whitespace()
            .map(|w| (w.as_ptr() as usize - sentence.as_ptr() as usize, w))
            .collect();
        let mut start = 0;
        for pair in words.windows(2) {
            let (at, word) = pair[0];
            let joiner = matches!(bare(word).as_str(), "and" | "also" | "plus");
            if joiner && STARTERS.contains(&bare(pair[1].1).as_str()) && at > start {
                out.push(&sentence[start..at]);
                start = at;
            }
        }
        out.push(&sentence[start..]);
    }
    out.retain(|s| s.split_whitespace().count() >= 2);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn caps_on_character_boundaries() {
        assert_eq!(cap("héllo", 2), "hé");
        assert_eq!(cap("hi", 10), "hi");
        assert_eq!(cap("", 3), "");
    }

    #[test]
    fn splits_two_questions() {
        assert_eq!(
            split_questions("does it hurt and how long is the redness?"),
            vec!["does it hurt ", "and how long is the redness"]
        );
        assert_eq!(
            split_questions("what do collagen and elastin do"),
            vec!["what do collagen and elastin do"]
        );
        assert_eq!(
            split_questions("Does it hurt? How long is the downtime?"),
            vec!["Does it hurt", " How long is the downtime"]
        );
    }
}
