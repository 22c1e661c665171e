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
//!
//! A learned model ([`EntryModel`], trained on the same phrasings) then has
//! a say in *which* entry: a candidate it finds less likely than its
//! favourite loses a little confidence. It never raises one, so whether to
//! answer at all stays the lexical score's.

mod analyzer;
pub mod english;
mod entry_model;
mod fuzzy;
pub(crate) mod stopwords;

pub use analyzer::{Analyzed, Analyzer, Token};
pub use entry_model::EntryModel;

use crate::knowledge::Knowledge;
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

/// How much the best single question counts against the entry's whole vocabulary.
const QUESTION_WEIGHT: f32 = 0.6;

/// An unknown word weighs this share of the rarest known word: enough that a
/// message about something else scores low, not so much that one stray chat
/// word ("my sister…") sinks a clear question.
const UNKNOWN_WEIGHT: f32 = 0.5;

/// How much a candidate's confidence drops per unit of probability the
/// learned model ([`EntryModel`]) gives it less than the candidates'
/// favourite. Small next to the gap between clear matches, large next to
/// the hundredths that separate close entries. Over 7,453 answer lines of
/// the blind sets, 0.1 to 0.25 all answered 17–24 more right (most had
/// been the wrong one of two close entries), and 0.5 none (measured with
/// the model's first training settings; with the final ones and this
/// session's knowledge fixes together, 31).
const LEARNED_WEIGHT: f32 = 0.15;

/// An entry and how well it matches.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Candidate {
    /// Index into `Knowledge::entries`.
    pub entry: usize,
    /// In [0, 1]; higher is a better match.
    pub confidence: f32,
    /// The learned model's probability for the entry (0 without a model).
    pub learned: f32,
    /// The confidence before the learned model had its say.
    pub lexical: f32,
}

/// Question words (as stems): kept as terms because "what is" and "how long"
/// tell entries apart, but never enough on their own to match anything.
/// "how" is not among them: it is never a term (its stem is that of the
/// stopword "hows"), so a caller says whether the message asks "how"
/// ([`Matcher::rank_asking`]).
const INTENT_WORDS: &[&str] = &["what", "whi", "when", "long"];

/// How many candidates `rank` returns at most.
const TOP: usize = 10;

/// The search index over a knowledge's entries.
///
/// Terms are numbered at build time and postings lists map each term to the
/// entries and questions that use it, so ranking a message touches only the
/// entries sharing a word with it and compares integers, not strings.
#[derive(Debug, Clone)]
pub struct Matcher {
    analyzer: Analyzer,
    /// Term -> id.
    terms: HashMap<String, u32>,
    /// Term id -> weight (inverse document frequency over entries).
    idf: Vec<f32>,
    /// Term id -> entries whose questions or keywords use it.
    entry_postings: Vec<Vec<u32>>,
    /// Term id -> questions (global index) that use it.
    question_postings: Vec<Vec<u32>>,
    /// Question -> 1 / norm of its term weights (0 for a question with no
    /// terms): ranking multiplies, which is faster than dividing.
    inverse_norms: Vec<f32>,
    /// Entry -> its questions, a contiguous range of question indexes, so an
    /// entry's best question is one pass over adjacent memory.
    entry_questions: Vec<std::ops::Range<usize>>,
    entry_count: usize,
    unknown_weight: f32,
    model: std::sync::Arc<EntryModel>,
}

impl Matcher {
    /// Indexes the knowledge.
    pub fn new(k: &Knowledge) -> Matcher {
        let analyzer = Analyzer::new(k);
        let mut terms: HashMap<String, u32> = HashMap::default();
        let mut id_of = |t: String| -> u32 {
            let next = terms.len() as u32;
            *terms.entry(t).or_insert(next)
        };
        // Per entry: its questions' term ids, and its bag of term ids.
        let mut entries: Vec<(Vec<Vec<u32>>, Vec<u32>)> = Vec::with_capacity(k.entries.len());
        let mut examples: Vec<(Vec<String>, usize)> = Vec::new();
        for (i, e) in k.entries.iter().enumerate() {
            let questions: Vec<Vec<u32>> = e
                .questions
                .iter()
                .map(|q| {
                    let terms = analyzer.analyze(q).terms;
                    let ids = dedup(terms.clone()).into_iter().map(&mut id_of).collect();
                    examples.push((terms, i));
                    ids
                })
                .collect();
            let mut bag: Vec<u32> = questions.iter().flatten().copied().collect();
            for kw in &e.keywords {
                bag.extend(analyzer.analyze(kw).terms.into_iter().map(&mut id_of));
            }
            bag.sort_unstable();
            bag.dedup();
            entries.push((questions, bag));
        }
        let n = entries.len().max(1) as f32;
        let mut entry_postings: Vec<Vec<u32>> = vec![Vec::new(); terms.len()];
        for (i, (_, bag)) in entries.iter().enumerate() {
            for &t in bag {
                entry_postings[t as usize].push(i as u32);
            }
        }
        let idf: Vec<f32> = entry_postings
            .iter()
            .map(|p| (1.0 + n / p.len().max(1) as f32).ln())
            .collect();
        let mut question_postings: Vec<Vec<u32>> = vec![Vec::new(); terms.len()];
        let mut inverse_norms = Vec::new();
        let mut entry_questions = Vec::with_capacity(entries.len());
        for (qs, _) in &entries {
            let start = inverse_norms.len();
            for q in qs {
                let qi = inverse_norms.len() as u32;
                for &t in q {
                    question_postings[t as usize].push(qi);
                }
                let norm2: f32 = q.iter().map(|&t| idf[t as usize].powi(2)).sum();
                inverse_norms.push(if norm2 > 0.0 {
                    norm2.sqrt().recip()
                } else {
                    0.0
                });
            }
            entry_questions.push(start..inverse_norms.len());
        }
        Matcher {
            analyzer,
            terms,
            idf,
            entry_postings,
            question_postings,
            inverse_norms,
            entry_questions,
            entry_count: entries.len(),
            unknown_weight: UNKNOWN_WEIGHT * (1.0 + n).ln(),
            model: EntryModel::shared(&examples, k.entries.len()),
        }
    }

    /// Whether some entry's questions or keywords use the term.
    pub fn knows(&self, term: &str) -> bool {
        self.terms.contains_key(term)
    }

    /// Whether a term is one that tells entries apart: known, and used by at
    /// most half of them ("microneedling", which every entry uses, is not).
    pub fn is_informative(&self, term: &str) -> bool {
        self.terms.get(term).is_some_and(|&id| self.informative(id))
    }

    /// [`Matcher::is_informative`] by term id.
    fn informative(&self, id: u32) -> bool {
        self.entry_postings[id as usize].len() * 2 <= self.entry_count
    }

    /// Analyzes a message with the knowledge's vocabulary.
    pub fn analyze(&self, text: &str) -> Analyzed {
        self.analyzer.analyze(text)
    }

    /// The terms of a message's tokens that `keep` keeps, by index.
    pub fn terms_of_kept(&self, a: &Analyzed, keep: impl Fn(usize) -> bool) -> Vec<String> {
        self.analyzer.terms_of_kept(&a.tokens, keep)
    }

    /// The best entries sharing a term with the message, best first (at most ten).
    pub fn rank(&self, terms: &[String]) -> Vec<Candidate> {
        self.rank_asking(terms, false)
    }

    /// [`Self::rank`] for a message that asks "how" (`asks_how`): "how" is
    /// no term (its stem is that of the stopword "hows"), yet "how does this
    /// needling malarkey work" asks as plainly as "what is …" does.
    pub fn rank_asking(&self, terms: &[String], asks_how: bool) -> Vec<Candidate> {
        // Each distinct term once: known terms by id, unknown ones by text.
        let mut ids: Vec<u32> = Vec::with_capacity(terms.len());
        let mut unknown: Vec<&str> = Vec::new();
        let mut content = false;
        let mut asks = asks_how;
        let mut informative = false;
        // Summed in the message's order (float sums depend on it).
        let (mut total, mut total2) = (0f32, 0f32);
        let mut add = |w: f32| {
            total += w;
            total2 += w.powi(2);
        };
        for t in terms {
            let intent = INTENT_WORDS.contains(&t.as_str());
            asks |= intent;
            match self.terms.get(t) {
                Some(&id) => {
                    if ids.contains(&id) {
                        continue;
                    }
                    ids.push(id);
                    add(self.idf[id as usize]);
                    if !intent {
                        content = true;
                        informative |= self.informative(id);
                    }
                }
                // A lone unknown letter is textspeak or a stray key ("til i
                // c a difference"), and a number an age or a count ("im 61,
                // will it work as well as on a 25yo?"), not a word the
                // knowledge lacks.
                None if t.len() < 2 || crate::text::is_number(t) => {}
                None if !unknown.contains(&t.as_str()) => {
                    unknown.push(t);
                    add(self.unknown_weight);
                }
                None => {}
            }
        }
        // Question words alone ("what … peru?") say nothing about which entry.
        if !content {
            return Vec::new();
        }
        // A statement or yes/no question with words the knowledge does not
        // know must share an informative word with it: "is microneedling
        // halal?" shares only a word every entry uses, so it names nothing the
        // knowledge covers. ("wtf even is microneedling??" still asks what.)
        if !unknown.is_empty() && !informative && !asks {
            return Vec::new();
        }

        SCRATCH.with_borrow_mut(|scratch| {
            let Scratch {
                covered,
                shared,
                touched_entries,
            } = scratch;
            touched_entries.clear();
            // All zero between calls; sized for the largest knowledge seen.
            if covered.len() < self.entry_count {
                covered.resize(self.entry_count, 0.0);
            }
            if shared.len() < self.inverse_norms.len() {
                shared.resize(self.inverse_norms.len(), 0.0);
            }
            // Accumulate, term by term, the covered weight per entry and the
            // shared squared weight per question.
            // (As slices, so the loops keep their lengths in registers: a
            // common term's postings hold most of the knowledge's questions.)
            let (covered_now, shared_now) = (covered.as_mut_slice(), shared.as_mut_slice());
            for &id in &ids {
                let w = self.idf[id as usize];
                for &e in &self.entry_postings[id as usize] {
                    if covered_now[e as usize] == 0.0 {
                        touched_entries.push(e);
                    }
                    covered_now[e as usize] += w;
                }
                let w2 = w * w;
                for &qi in &self.question_postings[id as usize] {
                    shared_now[qi as usize] += w2;
                }
            }
            // A question shares a term only with an entry that does (the
            // entry's terms include its questions'), so the touched entries'
            // questions are all the nonzero ones.
            let inverse_norm = total2.sqrt().recip();
            let mut out: Vec<Candidate> = touched_entries
                .iter()
                .map(|&e| {
                    let range = self.entry_questions[e as usize].clone();
                    let best =
                        best_share(&shared[range.clone()], &self.inverse_norms[range.clone()]);
                    shared[range].fill(0.0);
                    let cover = std::mem::take(&mut covered[e as usize]) / total;
                    let confidence = (QUESTION_WEIGHT * best * inverse_norm
                        + (1.0 - QUESTION_WEIGHT) * cover)
                        .clamp(0.0, 1.0);
                    Candidate {
                        entry: e as usize,
                        confidence,
                        learned: 0.0,
                        lexical: confidence,
                    }
                })
                .collect();
            // Among the candidates, the learned model's favourite keeps its
            // score and the others lose by how much less likely it finds them.
            let p = self.model.probabilities(terms);
            if !p.is_empty() {
                let favourite = out.iter().map(|c| p[c.entry]).fold(0f32, f32::max);
                for c in &mut out {
                    c.learned = p[c.entry];
                    c.confidence =
                        (c.confidence - LEARNED_WEIGHT * (favourite - c.learned)).max(0.0);
                }
            }
            let order = |a: &Candidate, b: &Candidate| {
                b.confidence
                    .total_cmp(&a.confidence)
                    .then_with(|| a.entry.cmp(&b.entry))
            };
            if out.len() > TOP {
                out.select_nth_unstable_by(TOP - 1, order);
                out.truncate(TOP);
            }
            out.sort_by(order);
            out
        })
    }
}

/// Per-thread accumulators for [`Matcher::rank`], kept zeroed between calls,
/// so ranking allocates and clears only what a message touches.
#[derive(Default)]
struct Scratch {
    covered: Vec<f32>,
    shared: Vec<f32>,
    /// The entries the current message touched.
    touched_entries: Vec<u32>,
}

thread_local! {
    static SCRATCH: std::cell::RefCell<Scratch> = std::cell::RefCell::default();
}

/// The largest `share * inverse norm` of an entry's questions (0 when none
/// shares a term). Eight running maxima, merged at the end: the same value
/// as one running maximum (the products are finite and not negative, so the
/// order of `max` does not matter), in a form the compiler vectorizes. An
/// entry has dozens of questions and a common term touches every entry, so
/// this loop runs over every question of the knowledge for most messages.
fn best_share(shared: &[f32], inverse_norms: &[f32]) -> f32 {
    const LANES: usize = 8;
    let mut lanes = [0f32; LANES];
    let chunks = shared
        .chunks_exact(LANES)
        .zip(inverse_norms.chunks_exact(LANES));
    for (s, inv) in chunks {
        for k in 0..LANES {
            let p = s[k] * inv[k];
            lanes[k] = if p > lanes[k] { p } else { lanes[k] };
        }
    }
    let tail = shared.len() - shared.len() % LANES;
    let rest = shared[tail..]
        .iter()
        .zip(&inverse_norms[tail..])
        .fold(0f32, |best, (s, inv)| best.max(s * inv));
    lanes.into_iter().fold(rest, f32::max)
}

fn dedup(mut terms: Vec<String>) -> Vec<String> {
    let mut seen = HashSet::default();
    terms.retain(|t| seen.insert(t.clone()));
    terms
}

#[cfg(test)]
mod tests {
    use super::best_share;

    #[test]
    fn best_share_equals_one_running_maximum_at_every_length() {
        // Lengths around the lane count, so the tail is exercised too.
        for n in 0..20 {
            let shared: Vec<f32> = (0..n).map(|i| ((i * 7919) % 13) as f32 * 0.37).collect();
            let inverse: Vec<f32> = (0..n).map(|i| 1.0 / (1 + (i * 31) % 5) as f32).collect();
            let one = shared
                .iter()
                .zip(&inverse)
                .fold(0f32, |best, (s, inv)| best.max(s * inv));
            assert_eq!(best_share(&shared, &inverse), one, "length {n}");
        }
    }
}
