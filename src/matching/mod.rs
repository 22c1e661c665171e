//! Scoring a message against every entry.
//!
//! Each entry is indexed by the terms of its questions and keywords. A term's
//! weight is its inverse document frequency over entries, so "microneedling",
//! which every entry mentions, counts for little and "elastin" for a lot. A
//! word the knowledge never uses weighs as much as the rarest known word: a
//! question full of words the knowledge does not know is probably about
//! something it does not cover, and its confidence drops accordingly.
//!
//! An entry's score blends two views, both in [0, 1]: how closely the message
//! matches its best single question (cosine over weighted terms, so word order
//! does not matter), and how much of the message's weight the entry's whole
//! vocabulary explains.

mod analyzer;
mod fuzzy;
mod stopwords;

pub use analyzer::{Analyzed, Analyzer, Token};

use crate::knowledge::Knowledge;
use std::collections::{HashMap, HashSet};

/// How much the best single question counts against the entry's whole vocabulary.
const QUESTION_WEIGHT: f32 = 0.6;

/// An unknown word weighs this share of the rarest known word: enough that a
/// message about something else scores low, not so much that one stray chat
/// word ("my sister…") sinks a clear question.
const UNKNOWN_WEIGHT: f32 = 0.5;

/// An entry and how well it matches.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Candidate {
    /// Index into `Knowledge::entries`.
    pub entry: usize,
    /// In [0, 1]; higher is a better match.
    pub confidence: f32,
}

/// The search index over a knowledge's entries.
#[derive(Debug, Clone)]
pub struct Matcher {
    analyzer: Analyzer,
    entries: Vec<EntryTerms>,
    idf: HashMap<String, f32>,
    postings: HashMap<String, Vec<u32>>,
    unknown_weight: f32,
}

#[derive(Debug, Clone)]
struct EntryTerms {
    /// Each question's distinct terms and the squared norm of their weights.
    questions: Vec<(Vec<String>, f32)>,
    /// Every term of the entry.
    bag: HashSet<String>,
}

impl Matcher {
    /// Indexes the knowledge.
    pub fn new(k: &Knowledge) -> Matcher {
        let analyzer = Analyzer::new(k);
        let mut raw: Vec<(Vec<Vec<String>>, HashSet<String>)> = Vec::with_capacity(k.entries.len());
        for e in &k.entries {
            let questions: Vec<Vec<String>> = e
                .questions
                .iter()
                .map(|q| dedup(analyzer.analyze(q).terms))
                .collect();
            let mut bag: HashSet<String> = questions.iter().flatten().cloned().collect();
            for kw in &e.keywords {
                bag.extend(analyzer.analyze(kw).terms);
            }
            raw.push((questions, bag));
        }
        let n = raw.len().max(1) as f32;
        let mut df: HashMap<String, u32> = HashMap::new();
        for (_, bag) in &raw {
            for t in bag {
                *df.entry(t.clone()).or_default() += 1;
            }
        }
        let idf: HashMap<String, f32> = df
            .iter()
            .map(|(t, &d)| (t.clone(), (1.0 + n / d as f32).ln()))
            .collect();
        let unknown_weight = UNKNOWN_WEIGHT * (1.0 + n).ln();
        let mut postings: HashMap<String, Vec<u32>> = HashMap::new();
        for (i, (_, bag)) in raw.iter().enumerate() {
            for t in bag {
                postings.entry(t.clone()).or_default().push(i as u32);
            }
        }
        let entries = raw
            .into_iter()
            .map(|(questions, bag)| EntryTerms {
                questions: questions
                    .into_iter()
                    .map(|q| {
                        let norm2 = q
                            .iter()
                            .map(|t| idf.get(t).copied().unwrap_or(0.0).powi(2))
                            .sum();
                        (q, norm2)
                    })
                    .collect(),
                bag,
            })
            .collect();
        Matcher {
            analyzer,
            entries,
            idf,
            postings,
            unknown_weight,
        }
    }

    /// Analyzes a message with the knowledge's vocabulary.
    pub fn analyze(&self, text: &str) -> Analyzed {
        self.analyzer.analyze(text)
    }

    /// The weight of a term in a message.
    fn weight(&self, term: &str) -> f32 {
        self.idf.get(term).copied().unwrap_or(self.unknown_weight)
    }

    /// Whether the knowledge uses this term at all.
    pub fn knows(&self, term: &str) -> bool {
        self.idf.contains_key(term)
    }

    /// Entries that share a term with the message, best first.
    pub fn rank(&self, terms: &[String]) -> Vec<Candidate> {
        let q = dedup(terms.to_vec());
        if q.is_empty() {
            return Vec::new();
        }
        let weights: Vec<f32> = q.iter().map(|t| self.weight(t)).collect();
        let total: f32 = weights.iter().sum();
        let total2: f32 = weights.iter().map(|w| w * w).sum();

        let mut seen: HashSet<u32> = HashSet::new();
        for t in &q {
            if let Some(list) = self.postings.get(t) {
                seen.extend(list.iter().copied());
            }
        }
        let mut out: Vec<Candidate> = seen
            .into_iter()
            .map(|i| {
                let e = &self.entries[i as usize];
                let covered: f32 = q
                    .iter()
                    .zip(&weights)
                    .filter(|(t, _)| e.bag.contains(*t))
                    .map(|(_, w)| w)
                    .sum();
                let cover = covered / total;
                let best_question = e
                    .questions
                    .iter()
                    .map(|(terms, norm2)| {
                        let shared: f32 = q
                            .iter()
                            .zip(&weights)
                            .filter(|(t, _)| terms.contains(t))
                            .map(|(_, w)| w * w)
                            .sum();
                        if *norm2 > 0.0 {
                            shared / (total2 * norm2).sqrt()
                        } else {
                            0.0
                        }
                    })
                    .fold(0.0f32, f32::max);
                let confidence = (QUESTION_WEIGHT * best_question
                    + (1.0 - QUESTION_WEIGHT) * cover)
                    .clamp(0.0, 1.0);
                Candidate {
                    entry: i as usize,
                    confidence,
                }
            })
            .collect();
        out.sort_by(|a, b| {
            b.confidence
                .total_cmp(&a.confidence)
                .then_with(|| a.entry.cmp(&b.entry))
        });
        out
    }
}

fn dedup(mut terms: Vec<String>) -> Vec<String> {
    let mut seen = HashSet::new();
    terms.retain(|t| seen.insert(t.clone()));
    terms
}
