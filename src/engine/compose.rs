//! Compose: from the chosen outcome to an [`Answer`] carrying facts (entries,
//! quotes, suggestions, the flag that fired); the front ends do the formatting.

use super::Engine;
use crate::answer::{Answer, SourceRef, Status, Suggestion};
use crate::knowledge::Entry;
use crate::matching::Candidate;

impl Engine {
    pub(super) fn base(
        &self,
        text: &str,
        status: Status,
        confidence: f32,
        answer: String,
    ) -> Answer {
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
            fired: None,
            corrected: Vec::new(),
        }
    }

    pub(super) fn answered(&self, text: &str, parts: &[Candidate]) -> Answer {
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

    pub(super) fn clarify(&self, text: &str, ranked: &[Candidate]) -> Answer {
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

pub(super) fn suggestion(e: &Entry) -> Suggestion {
    Suggestion {
        entry: e.id.clone(),
        question: e.title().to_string(),
    }
}
