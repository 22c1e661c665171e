//! Grouping unanswered questions that ask the same thing in other words, so a
//! moderator sees "12 × can I use retinol after" once instead of twelve lines.
//!
//! Each question becomes the set of its content words (cleaned, stemmed, minus
//! function words). Questions are taken most frequent first; each joins the
//! first group whose representative shares enough of its words (Jaccard index
//! at least [`SIMILARITY`]) or starts a new group. The order of the input does
//! not matter and the result is deterministic.

use crate::text::{stem, words};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// The Jaccard index from which two questions are taken to ask the same thing.
/// Above one half, so "how long does redness last" and "how long does
/// swelling last" (two shared words of four) stay apart: a wrong split costs
/// a moderator one more line, a wrong merge hides a gap.
pub const SIMILARITY: f64 = 0.6;

/// At most this many other wordings are listed under a group.
pub const MAX_EXAMPLES: usize = 5;

/// Words that say nothing about what is asked.
const FUNCTION_WORDS: &[&str] = &[
    "a", "an", "the", "i", "im", "ive", "id", "me", "my", "mine", "you", "your", "u", "ur", "we",
    "our", "us", "it", "its", "this", "that", "these", "those", "is", "are", "was", "were", "be",
    "been", "am", "do", "does", "did", "doing", "have", "has", "had", "can", "could", "should",
    "would", "will", "shall", "may", "might", "must", "to", "of", "in", "on", "at", "for", "with",
    "by", "from", "about", "into", "and", "or", "so", "if", "then", "than", "any", "some", "what",
    "whats", "how", "hows", "when", "where", "which", "who", "why", "there", "here", "get", "got",
    "ok", "okay", "pls", "please", "hi", "hey", "hello", "thanks", "thx", "just", "really", "very",
    "also", "too", "anyone", "know", "like", "still", "much", "many",
];

/// A distinct question and what was recorded with it.
#[derive(Debug, Clone, PartialEq)]
pub struct QuestionCount {
    /// The scrubbed question ("" when a thumbs-down came without the question).
    pub question: String,
    /// How many times it was recorded.
    pub count: u64,
    /// The nearest entry recorded with it.
    pub best_entry: Option<String>,
    /// The best score recorded with it.
    pub score: Option<f64>,
    /// Outcome names (`no_match`, `clarify`, `thumbs_down`) and their counts.
    pub outcomes: BTreeMap<String, u64>,
}

/// Questions that ask the same thing.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GapGroup {
    /// The most frequent wording.
    pub question: String,
    /// How many times a question of this group was recorded.
    pub count: u64,
    /// Other wordings, most frequent first (at most five).
    pub examples: Vec<String>,
    /// The entry most often nearest to these questions.
    pub nearest_entry: Option<String>,
    /// The best score of that entry for these questions.
    pub best_score: Option<f64>,
    /// Outcome names and their counts.
    pub outcomes: BTreeMap<String, u64>,
}

/// The content words of a question, cleaned and stemmed.
pub fn content_words(question: &str) -> BTreeSet<String> {
    words(question)
        .into_iter()
        .filter(|w| !FUNCTION_WORDS.contains(&w.text.as_str()))
        .map(|w| stem(&w.text))
        .collect()
}

/// The Jaccard index of two word sets; two empty sets are not alike (an empty
/// question says nothing).
fn jaccard(a: &BTreeSet<String>, b: &BTreeSet<String>) -> f64 {
    let union = a.union(b).count();
    if union == 0 {
        return 0.0;
    }
    a.intersection(b).count() as f64 / union as f64
}

struct Building {
    words: BTreeSet<String>,
    members: Vec<QuestionCount>,
}

/// Groups questions by similarity: most frequent groups first, ties by
/// question text.
pub fn group_questions(mut questions: Vec<QuestionCount>) -> Vec<GapGroup> {
    questions.sort_by(|a, b| {
        b.count
            .cmp(&a.count)
            .then_with(|| a.question.cmp(&b.question))
            .then_with(|| a.best_entry.cmp(&b.best_entry))
    });
    let mut groups: Vec<Building> = Vec::new();
    for q in questions {
        let words = content_words(&q.question);
        let home = if words.is_empty() {
            // Without words, only the very same text (e.g. a thumbs-down
            // without its question) on the same entry belongs together.
            groups.iter().position(|g| {
                g.words.is_empty()
                    && g.members[0].question == q.question
                    && g.members[0].best_entry == q.best_entry
            })
        } else {
            groups
                .iter()
                .position(|g| jaccard(&g.words, &words) >= SIMILARITY)
        };
        match home {
            Some(i) => groups[i].members.push(q),
            None => groups.push(Building {
                words,
                members: vec![q],
            }),
        }
    }
    let mut out: Vec<GapGroup> = groups.into_iter().map(finish).collect();
    out.sort_by(|a, b| {
        b.count
            .cmp(&a.count)
            .then_with(|| a.question.cmp(&b.question))
            .then_with(|| a.nearest_entry.cmp(&b.nearest_entry))
    });
    out
}

fn finish(g: Building) -> GapGroup {
    let count = g.members.iter().map(|m| m.count).sum();
    let mut outcomes = BTreeMap::new();
    let mut per_entry: BTreeMap<Option<&str>, u64> = BTreeMap::new();
    for m in &g.members {
        for (o, n) in &m.outcomes {
            *outcomes.entry(o.clone()).or_insert(0) += n;
        }
        *per_entry.entry(m.best_entry.as_deref()).or_insert(0) += m.count;
    }
    // The most frequent known entry; "none" only when no question had one.
    let nearest_entry = per_entry
        .iter()
        .filter(|(e, _)| e.is_some())
        .max_by(|(ea, na), (eb, nb)| na.cmp(nb).then_with(|| eb.cmp(ea)))
        .and_then(|(e, _)| e.map(str::to_string));
    let best_score = g
        .members
        .iter()
        .filter(|m| m.best_entry == nearest_entry)
        .filter_map(|m| m.score)
        .fold(None, |best: Option<f64>, s| {
            Some(best.map_or(s, |b| b.max(s)))
        });
    let mut examples: Vec<String> = Vec::new();
    for m in &g.members[1..] {
        if m.question != g.members[0].question
            && !examples.contains(&m.question)
            && examples.len() < MAX_EXAMPLES
        {
            examples.push(m.question.clone());
        }
    }
    GapGroup {
        question: g.members[0].question.clone(),
        count,
        examples,
        nearest_entry,
        best_score,
        outcomes,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(question: &str, count: u64, entry: Option<&str>, score: f64) -> QuestionCount {
        QuestionCount {
            question: question.into(),
            count,
            best_entry: entry.map(Into::into),
            score: Some(score),
            outcomes: BTreeMap::from([("no_match".to_string(), count)]),
        }
    }

    #[test]
    fn similar_wordings_group_under_the_most_frequent() {
        let groups = group_questions(vec![
            q(
                "can I use retinol after microneedling?",
                2,
                Some("actives"),
                0.2,
            ),
            q(
                "Can i use retinol after microneedling",
                3,
                Some("actives"),
                0.25,
            ),
            q("retinol after microneedling ok?", 1, Some("aftercare"), 0.3),
            q("does microneedling help with stretch marks", 1, None, 0.1),
        ]);
        assert_eq!(groups.len(), 2, "{groups:#?}");
        assert_eq!(groups[0].question, "Can i use retinol after microneedling");
        assert_eq!(groups[0].count, 6);
        assert_eq!(groups[0].nearest_entry.as_deref(), Some("actives"));
        assert_eq!(groups[0].best_score, Some(0.25));
        assert_eq!(groups[0].examples.len(), 2);
        assert_eq!(groups[1].count, 1);
        assert_eq!(groups[1].nearest_entry, None);
    }

    #[test]
    fn one_different_subject_keeps_questions_apart() {
        let groups = group_questions(vec![
            q("how long does redness last", 1, None, 0.1),
            q("how long does swelling last", 1, None, 0.1),
            q("how long does the swelling last?", 1, None, 0.1),
        ]);
        assert_eq!(groups.len(), 2, "{groups:#?}");
        assert_eq!(groups[0].count, 2);
        assert_eq!(groups[0].question, "how long does swelling last");
    }

    #[test]
    fn empty_questions_group_only_by_entry() {
        let groups = group_questions(vec![
            q("", 1, Some("a"), 0.9),
            q("", 2, Some("b"), 0.9),
            q("", 1, Some("a"), 0.8),
        ]);
        assert_eq!(groups.len(), 2);
        assert_eq!(groups[0].count, 2);
        assert_eq!(groups[0].nearest_entry.as_deref(), Some("a"));
    }
}
