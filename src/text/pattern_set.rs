//! Many patterns matched against a message in one pass.
//!
//! Red flags and not-covered subjects hold hundreds of alternatives; checking
//! each against every word of every message would dominate answering time. At
//! load, every alternative is indexed by its first word (exact form, stem, or
//! `*` prefix); a message then looks up each of its words once and only
//! verifies the alternatives that can start there.

use super::is_negator;
use super::pattern::{Pattern, PatternToken, PatternWord};
use rustc_hash::FxHashMap as HashMap;

/// A compiled word: symbol ids instead of strings, so matching compares integers.
#[derive(Debug, Clone)]
enum Word {
    Exact { text: u32, stem: u32, negator: bool },
    Prefix(String),
}

/// A pattern as ids: its owner, and per term the alternatives' ids and
/// whether the term is excluded.
#[derive(Debug, Clone)]
struct Compiled {
    owner: usize,
    terms: Vec<(Vec<u32>, bool)>,
}

/// Patterns indexed for matching together; each remembers its owner (a flag
/// or a subject), and the first owner in order whose pattern matches wins.
#[derive(Debug, Clone, Default)]
pub struct PatternSet {
    /// The patterns, in order.
    patterns: Vec<Compiled>,
    /// Alternative id -> the patterns that look for it (not as an exclusion),
    /// so a message only checks the patterns one of its words can satisfy.
    alt_patterns: Vec<Vec<u32>>,
    /// Alternative id -> its phrase.
    phrases: Vec<Vec<Word>>,
    symbols: HashMap<String, u32>,
    by_text: HashMap<u32, Vec<u32>>,
    by_stem: HashMap<u32, Vec<u32>>,
    by_prefix: HashMap<String, Vec<u32>>,
    /// Shortest and longest prefix, in bytes.
    prefix_len: (usize, usize),
}

impl PatternSet {
    /// Indexes `(owner, pattern)` pairs; order decides which owner wins.
    pub fn new<'p>(patterns: impl IntoIterator<Item = (usize, &'p Pattern)>) -> PatternSet {
        let mut set = PatternSet {
            prefix_len: (usize::MAX, 0),
            ..PatternSet::default()
        };
        for (owner, pattern) in patterns {
            let mut terms = Vec::new();
            let index = set.patterns.len() as u32;
            for term in &pattern.terms {
                let ids: Vec<u32> = term
                    .alternatives
                    .iter()
                    .map(|phrase| set.add_phrase(phrase))
                    .collect();
                if !term.excluded {
                    for &id in &ids {
                        set.alt_patterns.resize(set.phrases.len(), Vec::new());
                        set.alt_patterns[id as usize].push(index);
                    }
                }
                terms.push((ids, term.excluded));
            }
            set.patterns.push(Compiled { owner, terms });
        }
        set
    }

    fn symbol(&mut self, s: &str) -> u32 {
        let next = self.symbols.len() as u32;
        *self.symbols.entry(s.to_string()).or_insert(next)
    }

    fn add_phrase(&mut self, phrase: &[PatternWord]) -> u32 {
        let id = self.phrases.len() as u32;
        let words: Vec<Word> = phrase
            .iter()
            .map(|w| match w {
                PatternWord::Exact { word, stem } => Word::Exact {
                    text: self.symbol(word),
                    stem: self.symbol(stem),
                    negator: is_negator(word),
                },
                PatternWord::Prefix(p) => Word::Prefix(p.clone()),
            })
            .collect();
        match &words[0] {
            Word::Exact { text, stem, .. } => {
                self.by_text.entry(*text).or_default().push(id);
                self.by_stem.entry(*stem).or_default().push(id);
            }
            Word::Prefix(p) => {
                self.prefix_len = (
                    self.prefix_len.0.min(p.len()),
                    self.prefix_len.1.max(p.len()),
                );
                self.by_prefix.entry(p.clone()).or_default().push(id);
            }
        }
        self.phrases.push(words);
        id
    }

    /// The owner of the first pattern (in the order given) that matches.
    /// A term whose first word's context bits `dismissed` accepts does not
    /// count (red flags dismiss negation, history and hypotheticals; subjects
    /// only negation).
    pub fn first_match(
        &self,
        tokens: &[PatternToken<'_>],
        dismissed: impl Fn(u8) -> bool,
    ) -> Option<usize> {
        if self.patterns.is_empty() {
            return None;
        }
        let syms: Vec<(Option<u32>, Option<u32>)> = tokens
            .iter()
            .map(|t| {
                (
                    self.symbols.get(t.text).copied(),
                    self.symbols.get(t.stem).copied(),
                )
            })
            .collect();
        // Per alternative: bit 0 = occurs, bit 1 = occurs un-negated.
        let mut found = vec![0u8; self.phrases.len()];
        // Alternatives found un-dismissed: only their patterns can match.
        let mut live: Vec<u32> = Vec::new();
        let mut visit = |alt: u32, at: usize| {
            let slot = &mut found[alt as usize];
            if *slot == 3 || !self.phrase_at(alt, at, tokens, &syms) {
                return;
            }
            *slot |= 1;
            if *slot & 2 == 0 && !self.dismissed(alt, at, tokens, &dismissed) {
                *slot |= 2;
                live.push(alt);
            }
        };
        for (at, t) in tokens.iter().enumerate() {
            if let Some(list) = syms[at].0.and_then(|s| self.by_text.get(&s)) {
                list.iter().for_each(|&a| visit(a, at));
            }
            if let Some(list) = syms[at].1.and_then(|s| self.by_stem.get(&s)) {
                list.iter().for_each(|&a| visit(a, at));
            }
            if !self.by_prefix.is_empty() {
                let (min, max) = self.prefix_len;
                for len in min..=max.min(t.text.len()) {
                    if let Some(list) = t.text.get(..len).and_then(|p| self.by_prefix.get(p)) {
                        list.iter().for_each(|&a| visit(a, at));
                    }
                }
            }
        }
        let mut candidates: Vec<u32> = live
            .iter()
            .flat_map(|&a| self.alt_patterns.get(a as usize).into_iter().flatten())
            .copied()
            .collect();
        candidates.sort_unstable();
        candidates.dedup();
        candidates.into_iter().find_map(|i| {
            let Compiled { owner, terms } = &self.patterns[i as usize];
            terms
                .iter()
                .all(|(alts, excluded)| {
                    // An excluded term counts even when negated: "no scars" still mentions scars.
                    let bit = if *excluded { 1 } else { 2 };
                    alts.iter().any(|&a| found[a as usize] & bit != 0) != *excluded
                })
                .then_some(*owner)
        })
    }

    fn phrase_at(
        &self,
        alt: u32,
        at: usize,
        tokens: &[PatternToken<'_>],
        syms: &[(Option<u32>, Option<u32>)],
    ) -> bool {
        let phrase = &self.phrases[alt as usize];
        at + phrase.len() <= tokens.len()
            && phrase.iter().enumerate().all(|(k, w)| match w {
                Word::Exact { text, stem, .. } => {
                    syms[at + k].0 == Some(*text) || syms[at + k].1 == Some(*stem)
                }
                Word::Prefix(p) => tokens[at + k].text.starts_with(p.as_str()),
            })
    }

    /// A match is dismissed when its context (negated, in the past…) says
    /// so. A phrase that itself starts with a negation ("won't stop") is the
    /// thing looked for, not a negated one.
    fn dismissed(
        &self,
        alt: u32,
        at: usize,
        tokens: &[PatternToken<'_>],
        dismissed: &impl Fn(u8) -> bool,
    ) -> bool {
        if let Some(Word::Exact { negator: true, .. }) = self.phrases[alt as usize].first() {
            return false;
        }
        dismissed(tokens[at].context)
    }
}
