//! Many patterns matched against a message in one pass.
//!
//! Red flags and not-covered subjects hold hundreds of alternatives; checking
//! each against every word of every message would dominate answering time. At
//! load, every alternative is indexed by its first word (exact form, stem, or
//! `*` prefix), or by its first two when the second is exact; a message then
//! looks up each of its words (and each with the next) and only verifies the
//! alternatives that can start there.
//!
//! Patterns of several kinds (crisis, red flags, subjects) share one set, so a
//! message's words are looked up once for all of them; each kind has its own
//! rule for which contexts dismiss a match.

use super::is_negator;
use super::pattern::{Pattern, PatternToken, PatternWord};
use rustc_hash::FxHashMap as HashMap;

/// A compiled word: symbol ids instead of strings, so matching compares integers.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Word {
    Exact { text: u32, stem: u32, negator: bool },
    Prefix(String),
}

/// A pattern as ids: its owner, and per term the alternatives' ids and
/// whether the term is excluded.
#[derive(Debug, Clone)]
struct Compiled {
    owner: Owner,
    terms: Vec<(Vec<u32>, bool)>,
}

/// Who a pattern belongs to: its kind (the caller's numbering: crisis, red
/// flag, subject…) and the index of the flag or subject within that kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Owner {
    pub kind: u8,
    pub index: usize,
}

/// What [`PatternSet::matches`] found.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Matches {
    /// The owner of the first pattern (in order) that matches.
    pub first: Option<Owner>,
    /// Bit k: a pattern of kind k before `first` had every term it looks
    /// for, and only a term it excludes stopped it.
    pub excluded_kinds: u32,
}

/// Words of patterns numbered, so a message's words are looked up once.
#[derive(Debug, Clone, Default)]
pub struct Symbols(HashMap<String, u32>);

/// A message word's symbols: (its text's, its stem's), when patterns use
/// them. A symbol may be either, so an index keyed by symbols finds a
/// superset that [`PatternSet::phrase_at`] confirms.
pub type WordSymbols = (Option<u32>, Option<u32>);

impl Symbols {
    fn intern(&mut self, s: &str) -> u32 {
        let next = self.0.len() as u32;
        *self.0.entry(s.to_string()).or_insert(next)
    }

    /// Each token's symbols, for [`PatternSet::first_match`].
    pub fn of(&self, tokens: &[PatternToken<'_>]) -> Vec<WordSymbols> {
        tokens
            .iter()
            .map(|t| (self.0.get(t.text).copied(), self.0.get(t.stem).copied()))
            .collect()
    }
}

/// Patterns indexed for matching together; each remembers its owner (a flag
/// or a subject), and the first owner in order whose pattern matches wins.
#[derive(Debug, Clone, Default)]
pub struct PatternSet {
    /// The patterns, in order.
    patterns: Vec<Compiled>,
    /// Alternative id -> the kind of the pattern it belongs to, which decides
    /// the contexts that dismiss it.
    phrase_kinds: Vec<u8>,
    /// Alternative id -> whether some pattern looks for it (not only
    /// excludes it): such a phrase stays inside a clause
    /// ([`PatternSet::phrase_at`]).
    phrase_sought: Vec<bool>,
    /// Alternative id -> the patterns whose first term (not an exclusion)
    /// holds it: a pattern matches only if that term holds, so a message only
    /// checks the patterns whose first term one of its words satisfies.
    alt_patterns: Vec<Vec<u32>>,
    /// Alternative id -> its phrase.
    phrases: Vec<Vec<Word>>,
    /// First word's text or stem (the symbol, as an index) -> the
    /// alternatives starting with it that have no exact second word (one
    /// word, or a `*` prefix second). Symbols are dense, so a message word
    /// finds its list by indexing, without hashing.
    by_first: Vec<Vec<u32>>,
    /// First word's text or stem (the symbol, as an index) -> (second
    /// word's text or stem, the alternatives starting so), sorted by the
    /// second: "how" starts dozens of alternatives, "how much" one, so a
    /// message word looks up its pair with the next word instead of passing
    /// over every alternative its first word starts. A binary search in the
    /// first word's short list, not a hash of the pair: most message words
    /// start a few pairs or none.
    by_pair: Vec<Vec<(u32, Vec<u32>)>>,
    /// The first `prefix_key` bytes of a prefix, packed ([`packed`]) -> (the
    /// prefix, alternative id), so each word of a message needs one integer
    /// lookup, whatever the prefixes' lengths.
    by_prefix: HashMap<u64, Vec<(String, u32)>>,
    /// The shortest prefix's length in bytes.
    prefix_key: usize,
    /// Prefixes whose key would end inside a character (non-Latin scripts).
    unkeyed: Vec<(String, u32)>,
}

impl PatternSet {
    /// Indexes `(owner, pattern)` pairs; order decides which owner wins.
    /// Their words are numbered in `symbols`, which a message's words are
    /// then looked up in ([`Symbols::of`]).
    pub fn new<'p>(
        symbols: &mut Symbols,
        patterns: impl IntoIterator<Item = (Owner, &'p Pattern)>,
    ) -> PatternSet {
        let mut set = PatternSet::default();
        let mut prefixes: Vec<(String, u32)> = Vec::new();
        // One id per distinct phrase of a kind: "after" or "my face" occurs in
        // dozens of patterns, and a message holding it should verify it once.
        let mut ids_of: HashMap<(u8, Vec<Word>), u32> = HashMap::default();
        for (owner, pattern) in patterns {
            let mut terms = Vec::new();
            let index = set.patterns.len() as u32;
            for term in &pattern.terms {
                let ids: Vec<u32> = term
                    .alternatives
                    .iter()
                    .map(|phrase| {
                        let words = compile(symbols, phrase);
                        let id = *ids_of
                            .entry((owner.kind, words.clone()))
                            .or_insert_with(|| set.add_phrase(words, &mut prefixes, owner.kind));
                        // Looked for anywhere: it stays inside a clause
                        // ([`PatternSet::phrase_at`]), as an exclusion too.
                        set.phrase_sought[id as usize] |= !term.excluded;
                        id
                    })
                    .collect();
                terms.push((ids, term.excluded));
            }
            // A pattern matches only if each term it looks for holds, so it
            // need only be checked where one of them holds: where an
            // alternative of its first is found.
            if let Some((ids, _)) = terms.iter().find(|t| !t.1) {
                set.alt_patterns.resize(set.phrases.len(), Vec::new());
                for &id in ids {
                    set.alt_patterns[id as usize].push(index);
                }
            }
            set.patterns.push(Compiled { owner, terms });
        }
        set.prefix_key = prefixes.iter().map(|(p, _)| p.len()).min().unwrap_or(0);
        for (p, id) in prefixes {
            match p.get(..set.prefix_key) {
                Some(key) => set.by_prefix.entry(packed(key)).or_default(),
                // The key would cut a character in two: checked against every word.
                None => &mut set.unkeyed,
            }
            .push((p, id));
        }
        set
    }

    /// Indexes a new phrase under its first word (or first two).
    fn add_phrase(&mut self, words: Vec<Word>, prefixes: &mut Vec<(String, u32)>, kind: u8) -> u32 {
        let id = self.phrases.len() as u32;
        let second = match words.get(1) {
            Some(Word::Exact { text, stem, .. }) => Some(both(*text, *stem)),
            _ => None,
        };
        match &words[0] {
            Word::Exact { text, stem, .. } => {
                for first in both(*text, *stem).into_iter().flatten() {
                    let at = first as usize;
                    match second {
                        None => {
                            if self.by_first.len() <= at {
                                self.by_first.resize(at + 1, Vec::new());
                            }
                            self.by_first[at].push(id);
                        }
                        Some(second) => {
                            if self.by_pair.len() <= at {
                                self.by_pair.resize(at + 1, Vec::new());
                            }
                            let pairs = &mut self.by_pair[at];
                            for next in second.into_iter().flatten() {
                                match pairs.binary_search_by_key(&next, |p| p.0) {
                                    Ok(i) => pairs[i].1.push(id),
                                    Err(i) => pairs.insert(i, (next, vec![id])),
                                }
                            }
                        }
                    }
                }
            }
            Word::Prefix(p) => prefixes.push((p.clone(), id)),
        }
        self.phrases.push(words);
        self.phrase_kinds.push(kind);
        self.phrase_sought.push(false);
        id
    }

    /// The owner of the first pattern (in the order given) that matches.
    /// A term whose first word's context bits `dismissed(kind, bits)` accepts
    /// does not count (red flags dismiss negation, history and
    /// hypotheticals; subjects negation, history and unconcern).
    /// `syms` are the tokens' [`Symbols::of`] the table the set was built with.
    pub fn first_match(
        &self,
        tokens: &[PatternToken<'_>],
        syms: &[WordSymbols],
        dismissed: impl Fn(u8, u8) -> bool,
    ) -> Option<Owner> {
        self.matches(tokens, syms, dismissed).first
    }

    /// [`PatternSet::first_match`], and which kinds had a pattern that only
    /// an excluded term stopped.
    pub fn matches(
        &self,
        tokens: &[PatternToken<'_>],
        syms: &[WordSymbols],
        dismissed: impl Fn(u8, u8) -> bool,
    ) -> Matches {
        let mut out = Matches::default();
        self.scan(tokens, syms, dismissed, &mut out, None);
        out
    }

    /// Every owner whose pattern matches, in order (each once).
    pub fn all_matches(
        &self,
        tokens: &[PatternToken<'_>],
        syms: &[WordSymbols],
        dismissed: impl Fn(u8, u8) -> bool,
    ) -> Vec<Owner> {
        let mut all = Vec::new();
        self.scan(
            tokens,
            syms,
            dismissed,
            &mut Matches::default(),
            Some(&mut all),
        );
        all
    }

    /// Fills `out` (the first match, and the kinds an exclusion stopped
    /// before it), and, when `all` is given, lists every matching owner.
    fn scan(
        &self,
        tokens: &[PatternToken<'_>],
        syms: &[WordSymbols],
        dismissed: impl Fn(u8, u8) -> bool,
        out: &mut Matches,
        mut all: Option<&mut Vec<Owner>>,
    ) {
        if self.patterns.is_empty() {
            return;
        }
        SCRATCH.with_borrow_mut(|scratch| {
            let Scratch {
                found,
                touched,
                live,
                candidates,
            } = scratch;
            if found.len() < self.phrases.len() {
                found.resize(self.phrases.len(), 0);
            }
            touched.clear();
            live.clear();
            self.find(tokens, syms, &dismissed, found, touched, live);
            candidates.clear();
            candidates.extend(
                live.iter()
                    .flat_map(|&a| self.alt_patterns.get(a as usize).into_iter().flatten()),
            );
            candidates.sort_unstable();
            candidates.dedup();
            for &i in candidates.iter() {
                let Compiled { owner, terms } = &self.patterns[i as usize];
                let holds = |(alts, excluded): &(Vec<u32>, bool)| {
                    // An excluded term counts even when negated: "no scars" still mentions scars.
                    let bit = if *excluded { 1 } else { 2 };
                    alts.iter().any(|&a| found[a as usize] & bit != 0) != *excluded
                };
                if terms.iter().all(holds) {
                    if out.first.is_none() {
                        out.first = Some(*owner);
                    }
                    match all.as_deref_mut() {
                        Some(all) if !all.contains(owner) => all.push(*owner),
                        Some(_) => {}
                        None => break,
                    }
                } else if out.first.is_none() && terms.iter().filter(|t| !t.1).all(holds) {
                    out.excluded_kinds |= 1 << owner.kind.min(31);
                }
            }
            // Leave `found` all zero for the next message.
            for &a in touched.iter() {
                found[a as usize] = 0;
            }
        })
    }

    /// Marks in `found` (zeroed; per alternative: bit 0 = occurs, bit 1 =
    /// occurs un-dismissed) every alternative the message holds, listing
    /// each slot it sets in `touched` and each alternative found
    /// un-dismissed in `live` (only their patterns can match).
    fn find(
        &self,
        tokens: &[PatternToken<'_>],
        syms: &[WordSymbols],
        dismissed: &impl Fn(u8, u8) -> bool,
        found: &mut [u8],
        touched: &mut Vec<u32>,
        live: &mut Vec<u32>,
    ) {
        let mut visit = |alt: u32, at: usize| {
            let slot = &mut found[alt as usize];
            if *slot == 3 || !self.phrase_at(alt, at, tokens, syms) {
                return;
            }
            if *slot == 0 {
                touched.push(alt);
            }
            *slot |= 1;
            if *slot & 2 == 0 && !self.dismissed(alt, at, tokens, dismissed) {
                *slot |= 2;
                live.push(alt);
            }
        };
        for (at, t) in tokens.iter().enumerate() {
            let firsts = both_of(syms[at]);
            let nexts = syms.get(at + 1).map(|&s| both_of(s));
            for first in firsts.into_iter().flatten() {
                for &alt in self.by_first.get(first as usize).into_iter().flatten() {
                    visit(alt, at);
                }
                let pairs = match self.by_pair.get(first as usize) {
                    Some(pairs) if !pairs.is_empty() => pairs,
                    _ => continue,
                };
                for next in nexts.into_iter().flatten().flatten() {
                    if let Ok(i) = pairs.binary_search_by_key(&next, |p| p.0) {
                        for &alt in &pairs[i].1 {
                            visit(alt, at);
                        }
                    }
                }
            }
            let key = t.text.get(..self.prefix_key);
            let keyed = key.and_then(|k| self.by_prefix.get(&packed(k)));
            for (p, a) in keyed.into_iter().flatten().chain(&self.unkeyed) {
                if starts_with(t.text, p) {
                    visit(*a, at);
                }
            }
        }
    }

    fn phrase_at(
        &self,
        alt: u32,
        at: usize,
        tokens: &[PatternToken<'_>],
        syms: &[WordSymbols],
    ) -> bool {
        let phrase = &self.phrases[alt as usize];
        // A phrase looked for is words written together: it does not reach
        // across a comma or a clause break ("the skin is hurt, so how…" is
        // not "hurts so"). A phrase only excluded may ("the procedure, it hurt a lot?"
        // keeps out `procedure it hurt`): it only ever withholds a match.
        at + phrase.len() <= tokens.len()
            && (!self.phrase_sought[alt as usize]
                || tokens[at + phrase.len() - 1].clause == tokens[at].clause)
            && phrase.iter().enumerate().all(|(k, w)| match w {
                Word::Exact { text, stem, .. } => {
                    syms[at + k].0 == Some(*text) || syms[at + k].1 == Some(*stem)
                }
                Word::Prefix(p) => starts_with(tokens[at + k].text, p),
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
        dismissed: &impl Fn(u8, u8) -> bool,
    ) -> bool {
        if let Some(Word::Exact { negator: true, .. }) = self.phrases[alt as usize].first() {
            return false;
        }
        dismissed(self.phrase_kinds[alt as usize], tokens[at].context)
    }
}

/// `str::starts_with` for the few bytes of a word and a prefix, compared
/// byte by byte: the library's call to `memcmp` costs more than the
/// comparison for words this short, and every prefix a message word's first
/// letters key is compared.
fn starts_with(word: &str, prefix: &str) -> bool {
    let (word, prefix) = (word.as_bytes(), prefix.as_bytes());
    word.len() >= prefix.len() && word.iter().zip(prefix).all(|(a, b)| a == b)
}

/// A phrase's words as symbols.
fn compile(symbols: &mut Symbols, phrase: &[PatternWord]) -> Vec<Word> {
    phrase
        .iter()
        .map(|w| match w {
            PatternWord::Exact { word, stem } => Word::Exact {
                text: symbols.intern(word),
                stem: symbols.intern(stem),
                negator: is_negator(word),
            },
            PatternWord::Prefix(p) => Word::Prefix(p.clone()),
        })
        .collect()
}

/// A prefix key as an integer: its first eight bytes (keys are a few
/// letters). A longer key only shares its bucket with keys that begin the
/// same; every prefix in a bucket is still checked against the word.
fn packed(key: &str) -> u64 {
    key.bytes()
        .take(8)
        .fold(0u64, |acc, b| (acc << 8) | u64::from(b))
}

/// A word's text and stem symbols, the stem left out when it is the text.
fn both(text: u32, stem: u32) -> [Option<u32>; 2] {
    [Some(text), (stem != text).then_some(stem)]
}

/// [`both`] for a message word, whose symbols exist only when patterns use them.
fn both_of((text, stem): WordSymbols) -> [Option<u32>; 2] {
    [text, if stem == text { None } else { stem }]
}

/// [`PatternSet::first_match`]'s working memory, reused from message to
/// message: `found` is kept all zero between calls, so a message clears
/// only the slots it set.
#[derive(Default)]
struct Scratch {
    found: Vec<u8>,
    touched: Vec<u32>,
    live: Vec<u32>,
    candidates: Vec<u32>,
}

thread_local! {
    static SCRATCH: std::cell::RefCell<Scratch> = std::cell::RefCell::default();
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::pattern::Pattern;
    use crate::text::{stem, words};

    /// What `set` finds in `text`, its words read like a message's (clauses included).
    fn scan(set: &PatternSet, symbols: &Symbols, text: &str) -> Matches {
        let w = words(text);
        let stems: Vec<String> = w.iter().map(|w| stem(&w.text)).collect();
        let t: Vec<PatternToken<'_>> = w
            .iter()
            .zip(&stems)
            .map(|(w, s)| PatternToken {
                text: &w.text,
                stem: s,
                clause: w.clause,
                context: 0,
            })
            .collect();
        set.matches(&t, &symbols.of(&t), |_, _| false)
    }

    #[test]
    fn reports_the_first_owner_and_the_kinds_an_exclusion_stopped() {
        let flag = Pattern::parse("swell* + -usually").expect("valid");
        let gap = Pattern::parse("session*").expect("valid");
        let mut symbols = Symbols::default();
        let set = PatternSet::new(
            &mut symbols,
            [
                (Owner { kind: 1, index: 0 }, &flag),
                (Owner { kind: 2, index: 7 }, &gap),
            ],
        );
        let run = |text: &str| scan(&set, &symbols, text);
        let m = run("my cheek is swelling");
        assert_eq!(m.first, Some(Owner { kind: 1, index: 0 }));
        let m = run("how many sessions do people usually need my cheek is swelling");
        assert_eq!(m.first, Some(Owner { kind: 2, index: 7 }));
        assert_eq!(m.excluded_kinds, 1 << 1);
        assert_eq!(run("hello there"), Matches::default());
        // A pattern is indexed by its first term only: found in any word
        // order, and never by a later term alone.
        let lips = Pattern::parse("lips + swollen|puffy").expect("valid");
        let set = PatternSet::new(&mut symbols, [(Owner { kind: 1, index: 3 }, &lips)]);
        let run = |text: &str| scan(&set, &symbols, text).first;
        assert_eq!(
            run("puffy and swollen lips"),
            Some(Owner { kind: 1, index: 3 })
        );
        assert_eq!(run("my eyes are puffy and swollen"), None);
    }

    #[test]
    fn a_phrase_looked_for_stays_in_its_clause_and_an_exclusion_need_not() {
        let flag = Pattern::parse("hurts so + -procedure it").expect("valid");
        let mut symbols = Symbols::default();
        let set = PatternSet::new(&mut symbols, [(Owner { kind: 1, index: 0 }, &flag)]);
        let run = |text: &str| scan(&set, &symbols, text).first;
        assert_eq!(run("it hurts so much"), Some(Owner { kind: 1, index: 0 }));
        assert_eq!(run("the skin is hurt, so how does it heal"), None);
        assert_eq!(run("the procedure, it hurts so much?"), None);
    }
}
