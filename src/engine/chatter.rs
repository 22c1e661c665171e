//! Chatter: a message with nothing of the domain in it ("anyone watching the
//! finale tonight?") is declined, however well its everyday words happen to
//! score against some entry. A message is about the domain when one of its
//! terms is a vocabulary key (patients' words are mapped onto the keys first)
//! other than the `everyday` ones, an entry's keyword, or a `domain` word of
//! `chat.toml`; or when
//! it refers back to the treatment ("does it hurt?", "how long after?"); or
//! when it is (nearly) word for word one of the knowledge's own phrasings
//! ("mechanism?", "harmful?"): moderators wrote those as questions to answer.

use super::Engine;
use crate::knowledge::Knowledge;
use crate::matching::Analyzed;
use crate::text::stem;
use rustc_hash::FxHashSet as HashSet;

/// The stems that make a message about the domain.
pub(super) fn domain_stems(k: &Knowledge) -> HashSet<String> {
    let everyday: HashSet<&str> = k.chat.everyday.iter().map(String::as_str).collect();
    k.synonyms
        .iter()
        .map(|g| g.canonical.as_str())
        .filter(|c| !everyday.contains(c))
        .chain(k.chat.domain.iter().map(String::as_str))
        .map(stem)
        .chain(
            k.entries
                .iter()
                .flat_map(|e| &e.keywords)
                .flat_map(|w| crate::text::words(w))
                .filter(|w| !everyday.contains(w.text.as_str()))
                .map(|w| stem(&w.text)),
        )
        .collect()
}

impl Engine {
    /// Whether a term of the message is of the domain itself, not only a
    /// word that refers back ("how do I fix it" names nothing). Words count
    /// as written as well as mapped: "same results" maps to the everyday key
    /// "vary" (as "everyone" does), but "results" is of the domain.
    pub(super) fn names_the_domain(&self, a: &Analyzed) -> bool {
        a.terms.iter().any(|t| self.domain.contains(t))
            || a.tokens.iter().any(|t| self.domain.contains(&t.stem))
    }

    /// Whether the message has no domain term, no reference to the
    /// treatment, and is not one of the knowledge's phrasings (`best` is the
    /// top candidate's confidence).
    pub(super) fn is_chatter(&self, a: &Analyzed, best: f32) -> bool {
        /// A confidence this high means the words are those of a phrasing.
        const PHRASING: f32 = 0.95;
        best < PHRASING
            && !self.names_the_domain(a)
            && !a.tokens.iter().any(|t| self.chat.roles(&t.text).reference)
    }
}
