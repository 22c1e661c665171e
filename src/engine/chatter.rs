//! Chatter: a message with nothing of the domain in it ("anyone watching the
//! finale tonight?") is declined, however well its everyday words happen to
//! score against some entry. A message is about the domain when one of its
//! terms is a vocabulary key (patients' words are mapped onto the keys first)
//! other than the `everyday` ones, an entry's keyword, or a `domain` word of
//! `chat.toml`; or when
//! it refers back to the treatment ("does it hurt?", "how long after?"); or
//! when it is (nearly) word for word one of the knowledge's own phrasings
//! ("mechanism?", "harmful?"): moderators wrote those as questions to answer.
//! A message that names the domain only in what it tells, while what it asks
//! is about something else ("while I wait for my appointment, anyone got a
//! good banana bread recipe?"), is chatter too.

use super::{split, Engine};
use crate::knowledge::Knowledge;
use crate::matching::english::is_english;
use crate::matching::stopwords::STOPWORDS;
use crate::matching::Analyzed;
use crate::text::pattern::{PatternToken, PatternWord};
use crate::text::stem;
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

/// Words from which a story is long enough that the treatment told in it
/// may be only part of the telling ([`Engine::asks_off_topic`]): a question
/// after it that names nothing of the domain is asked of something else.
const LONG_CHAT_WORDS: usize = 50;

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

/// The stems of the single words a red flag looks for (not those it
/// excludes): symptom words. No entry explains "hives" or "breathing", but
/// a message that denies them ("no trouble breathing, no hives, just red
/// after my session") is telling its symptoms, not chatting about
/// something else, so they do not count as unexplained.
pub(super) fn symptom_stems(k: &Knowledge) -> HashSet<String> {
    single_words(k.red_flags.flags.iter().flat_map(|f| &f.patterns), |p| {
        p.terms.iter().filter(|t| !t.excluded).collect()
    })
    .words
}

/// What a red flag's patterns name: the single words of the first term of
/// each pattern (`bleed*|bled|bleeding + keeps|…` names bleeding; "keeps"
/// only qualifies it). Built in one walk with the prefixes, which a story's
/// sentence is searched for only when no head word finds one
/// ([`Engine::other_cause`]).
#[derive(Debug, Default)]
pub(super) struct Heads {
    /// Heads written as words, by stem.
    words: HashSet<String>,
    /// Heads written as a prefix (`bubbl*`, `ooz*`), which a stem cannot
    /// hold.
    prefixes: Vec<String>,
}

impl Heads {
    /// Whether a word, by its stem, is one of the head words.
    pub(super) fn word(&self, stem: &str) -> bool {
        self.words.contains(stem)
    }

    /// Whether a word, as written, starts with one of the heads written as
    /// a prefix.
    pub(super) fn prefix(&self, text: &str) -> bool {
        self.prefixes.iter().any(|p| text.starts_with(p.as_str()))
    }

    /// The heads of the first terms of `patterns`.
    fn of(patterns: &[crate::text::pattern::Pattern]) -> Heads {
        single_words(patterns, |p| {
            p.terms.iter().take(1).filter(|t| !t.excluded).collect()
        })
    }
}

/// Per red flag, the [`Heads`] of its patterns: the symptom it names.
pub(super) fn symptom_heads(k: &Knowledge) -> Vec<Heads> {
    k.red_flags
        .flags
        .iter()
        .map(|f| Heads::of(&f.patterns))
        .collect()
}

/// The heads of all flags in one set, less the `not_symptoms` of chat.toml
/// ("went", "returned"): built once, so a story's clauses are checked with
/// one lookup per word.
pub(super) fn telling_heads(k: &Knowledge, heads: &[Heads]) -> HashSet<String> {
    let not = stems_of(&k.chat.not_symptoms);
    heads
        .iter()
        .flat_map(|h| &h.words)
        .filter(|h| !not.contains(*h))
        .cloned()
        .collect()
}

/// The single-word alternatives of the `terms` of `patterns`: words by
/// stem, function words left out, and prefixes as written.
fn single_words<'p>(
    patterns: impl IntoIterator<Item = &'p crate::text::pattern::Pattern>,
    terms: impl Fn(&'p crate::text::pattern::Pattern) -> Vec<&'p crate::text::pattern::Term>,
) -> Heads {
    // Function words a pattern spells out ("under", "really") are no symptom.
    let function: HashSet<String> = STOPWORDS.iter().map(|w| stem(w)).collect();
    let mut heads = Heads::default();
    for alt in patterns
        .into_iter()
        .flat_map(terms)
        .flat_map(|t| &t.alternatives)
    {
        match alt.as_slice() {
            [PatternWord::Exact { stem, .. }] if !function.contains(stem) => {
                heads.words.insert(stem.clone());
            }
            [PatternWord::Prefix(p)] => heads.prefixes.push(p.clone()),
            _ => {}
        }
    }
    heads.prefixes.sort_unstable();
    heads.prefixes.dedup();
    heads
}

/// The stems of the domain words with an everyday sense too (`ambiguous`
/// of chat.toml), compared with the same stems as [`domain_stems`].
pub(super) fn ambiguous_stems(k: &Knowledge) -> HashSet<String> {
    stems_of(&k.chat.ambiguous)
}

/// Phrases of chat.toml (`elsewhere_phrases`, `anchor_phrases`) by their
/// first word: most words of a message start none, and are passed over with
/// one lookup.
pub(super) fn phrases_by_first(phrases: &[Vec<String>]) -> HashMap<String, Vec<Vec<String>>> {
    let mut out: HashMap<String, Vec<Vec<String>>> = HashMap::default();
    for p in phrases {
        if let Some(first) = p.first() {
            out.entry(first.clone()).or_default().push(p.clone());
        }
    }
    out
}

/// The stems of a word list of chat.toml.
pub(super) fn stems_of(words: &[String]) -> HashSet<String> {
    words.iter().map(|w| stem(w)).collect()
}

impl Engine {
    /// Whether a term of the message is of the domain itself, not only a
    /// word that refers back ("how do I fix it" names nothing). Words count
    /// as written as well as mapped: "same results" maps to the everyday key
    /// "vary" (as "everyone" does), but "results" is of the domain.
    pub(super) fn names_the_domain(&self, a: &Analyzed) -> bool {
        a.terms.iter().any(|t| self.domain.contains(t)) || self.writes_the_domain(a)
    }

    /// Whether at most one clause writes a word for the treatment, tells a
    /// symptom or names the domain plainly by two words or more: the
    /// treatment told in passing ("I treated myself to microneedling and a
    /// new camera lens"), not a story about it ("the colour of a boiled
    /// lobster … had microneedling at lunchtime … no pain to speak of").
    /// One plain word ("my first good year") is too little to count, and
    /// so is a word that opens a red flag's pattern without being a
    /// symptom (`not_symptoms`: "my first tax return").
    fn told_in_passing(&self, clauses: &[Analyzed]) -> bool {
        clauses
            .iter()
            .filter(|a| {
                self.plain_domain_words(a) >= 2
                    || self.names_treatment(&a.pattern_tokens(&self.context))
                    || a.tokens
                        .iter()
                        .any(|t| self.telling_heads.contains(&*t.stem))
            })
            .take(2)
            .count()
            <= 1
    }

    /// How many different words of the domain the message names with no
    /// everyday sense, as written or as mapped from a word that has none
    /// either: "line" maps onto wrinkles, but "an opening line" names no
    /// wrinkle.
    fn plain_domain_words(&self, a: &Analyzed) -> usize {
        // A question word ("why are my tomato leaves turning yellow") names
        // nothing, though "why" keys an entry.
        let asking: Vec<&str> = a
            .tokens
            .iter()
            .filter(|t| split::starts_question(&t.text))
            .map(|t| &*t.stem)
            .collect();
        let plain = |s: &str| {
            self.domain.contains(s)
                && !self.ambiguous.contains(s)
                && !STOPWORDS.contains(&s)
                && !asking.contains(&s)
        };
        let borrowed: Vec<String> = a
            .tokens
            .iter()
            .enumerate()
            .filter(|(_, t)| self.ambiguous.contains(&*t.stem))
            .flat_map(|(i, _)| self.matcher.terms_of_kept(a, |j| j == i))
            .collect();
        let mut words: Vec<&str> = a
            .tokens
            .iter()
            .map(|t| &*t.stem)
            .filter(|s| plain(s))
            .chain(
                a.terms
                    .iter()
                    .map(String::as_str)
                    .filter(|t| plain(t) && !borrowed.iter().any(|b| b == t)),
            )
            .collect();
        words.sort_unstable();
        words.dedup();
        words.len()
    }

    /// Whether the message writes no word of the domain, and some English
    /// word that no entry explains: what "it" stands for is elsewhere.
    pub(super) fn talks_of_something_else(&self, a: &Analyzed) -> bool {
        !self.writes_the_domain(a) && self.unexplained(a) > 0
    }

    /// Whether a word of the message, as written (before patients' words
    /// are mapped), is of the domain.
    fn writes_the_domain(&self, a: &Analyzed) -> bool {
        a.tokens.iter().any(|t| self.domain.contains(&*t.stem))
    }

    /// Whether every domain word the message writes has an everyday sense
    /// too (`ambiguous`), or it writes none.
    pub(super) fn writes_only_ambiguous(&self, a: &Analyzed) -> bool {
        a.tokens
            .iter()
            .all(|t| !self.domain.contains(&*t.stem) || self.ambiguous.contains(&*t.stem))
    }

    /// Whether what the message asks is about something else, the domain
    /// being only in what it tells: "While I wait for my microneedling
    /// appointment, anyone got a good banana bread recipe?". Every part that
    /// asks names nothing of the domain, refers to nothing ("does it…"),
    /// and has at least two English words (of four letters or more, as
    /// the list has "los" and "se") no entry explains. "I have acne
    /// scars, what can I do?" asks with no unexplained word, and "mild
    /// erythema: expected timeline?" with words that are keywords, so both
    /// are answered; a clause in another language is not counted as off
    /// topic. A part in a sentence set in another field (`elsewhere` of
    /// chat.toml, with no anchor word) asks of that field, whatever domain
    /// words it borrows. `whole` is the whole message's analysis: most messages have
    /// too few unexplained words in all, and are not split at all.
    /// `tokens` are the whole message's pattern tokens, scanned once by the caller.
    pub(super) fn asks_off_topic(
        &self,
        text: &str,
        whole: &Analyzed,
        tokens: &[PatternToken<'_>],
    ) -> bool {
        /// Fewer unexplained words than this may be a terse question of the domain.
        const UNEXPLAINED: usize = 2;
        /// A clause this short, with an asking clause after it, is a
        /// question's opening cut off by a joiner.
        const FRAGMENT_WORDS: usize = 2;
        if self.unexplained(whole) < UNEXPLAINED {
            return false;
        }
        let clauses = split::split_clauses(text);
        if clauses.len() < 2 {
            return false;
        }
        // A long story that never names the treatment nor tells it done or
        // to come ("burnt my hand on the roasting tin… what's everyone's
        // favourite Sunday roast?") is chat however short its question: one
        // word no entry explains will do.
        // So is a story of [`LONG_CHAT_WORDS`] or more whose questions
        // name nothing of the domain: the treatment told in passing ("I
        // treated myself to microneedling and a new lens… how do I register
        // for self-assessment?") is not what it asks about.
        // After such a story a question names the domain only by a word
        // with no everyday sense: "a funny opening line for a best man
        // speech" and "shampoo for a hard water area" borrow "line" and
        // "area".
        let words = text.split_whitespace().count();
        // A long story's clauses are analysed once, for both readings.
        let analyses: Vec<Analyzed> = if words >= LONG_CHAT_WORDS {
            clauses.iter().map(|c| self.matcher.analyze(c)).collect()
        } else {
            Vec::new()
        };
        let long_chat = !analyses.is_empty() && self.told_in_passing(&analyses);
        let per_clause = if long_chat
            || (words >= super::LONG_STORY_WORDS && !self.mentions_treatment(tokens))
        {
            1
        } else {
            UNEXPLAINED
        };
        let mut asked = false;
        // Whether a question (to its question mark) asked of something else.
        let mut asked_elsewhere = false;
        // Whether each sentence read so far is set in another field.
        let mut read: Vec<(&str, bool)> = Vec::new();
        // After a story that tells the treatment in passing, only a word
        // with no everyday sense names the domain.
        let names_domain = |a: &Analyzed| {
            if long_chat {
                self.plain_domain_words(a) > 0
            } else {
                self.names_the_domain(a)
            }
        };
        for (i, clause) in clauses.iter().enumerate() {
            if !split::asks(text, clause) {
                continue;
            }
            let owned;
            let a = match analyses.get(i) {
                Some(a) => a,
                None => {
                    owned = self.matcher.analyze(clause);
                    &owned
                }
            };
            let names = names_domain(a);
            // A question set in another field ("What's a good lasagne
            // recipe, and can I layer the sheets dry?", "what makes the
            // brakes squeal, and is it safe to drive?") borrows the domain's
            // words in their everyday sense, in each of its clauses.
            // Each sentence is read once, however many clauses it asks in;
            // a one-sentence message is already read whole.
            let sentence = split::sentence_of(text, clause);
            let borrowed = match read.iter().find(|(s, _)| std::ptr::eq(*s, sentence)) {
                Some(&(_, b)) => b,
                None => {
                    let b = if split::is_whole(text, sentence) {
                        self.set_elsewhere(whole)
                    } else {
                        self.set_elsewhere(&self.matcher.analyze(sentence))
                    };
                    read.push((sentence, b));
                    b
                }
            };
            let names = names && !borrowed;
            // After a question of something else in a long story, "it"
            // stands for that thing ("Is season three worth watching, or
            // does it go downhill?", "… the weather in Edinburgh? Will it
            // rain?").
            let after_other = long_chat && asked_elsewhere;
            let refers = self.refers_back(a) && !after_other && !borrowed;
            // A question's first words cut off by the next ("What
            // temperature and how long should I bake a lasagna?") say too
            // little alone: the rest of the question decides. ("who's
            // right??" ends its sentence: it is no fragment.)
            let fragment = clause.split_whitespace().count() <= FRAGMENT_WORDS
                && !split::ends_a_sentence(text, clause)
                && clauses
                    .get(i + 1)
                    .is_some_and(|next| split::asks(text, next));
            let too_short = !names
                && !refers
                && !after_other
                && !fragment
                && !borrowed
                && self.unexplained(a) < per_clause;
            // A question's opening cut off by a joiner from words that do
            // not ask on their own ("What should we see and do in Lisbon
            // in three days?"): the rest of its sentence decides.
            if too_short && !split::ends_a_sentence(text, clause) {
                let rest = self.matcher.analyze(split::to_sentence_end(text, clause));
                if names_domain(&rest)
                    || self.refers_back(&rest)
                    || self.unexplained(&rest) < per_clause
                {
                    return false;
                }
            } else if names || too_short || refers {
                return false;
            }
            asked = true;
            asked_elsewhere |= split::in_a_question(text, clause);
        }
        asked
    }

    /// Whether a word refers back to the treatment ("does it hurt", "how
    /// long after").
    /// "This week" or "that time" points at a time, not the treatment.
    pub(super) fn refers_back(&self, a: &Analyzed) -> bool {
        let not_references = &self.knowledge.chat.not_references;
        a.tokens.iter().enumerate().any(|(i, t)| {
            self.chat.roles(&t.text).reference
                // A phrase may hold the word anywhere ("like that" is a
                // likeness, "this week" a time).
                && !not_references.iter().any(|p| {
                    p.iter().enumerate().any(|(k, w)| {
                        *w == t.text
                            && i.checked_sub(k).is_some_and(|start| {
                                a.tokens
                                    .get(start..start + p.len())
                                    .is_some_and(|w| w.iter().zip(p).all(|(t, p)| &t.text == p))
                            })
                    })
                })
                && !self.points_at_next(a, i)
                && !opens_relative_clause(a, i)
                && !self.stands_for_people(a, i)
                && !self.stands_for_a_thing_named(a, i)
        })
    }

    /// Whether the word at `i` is a plural pronoun ("they", "them") after a
    /// word for people in general in its clause (`people` of chat.toml):
    /// "what hobbies did everyone take up when they retired", "anyone else
    /// feel like they're counting down" speak of those people. "do they
    /// hurt?" with no such word before it still refers back.
    fn stands_for_people(&self, a: &Analyzed, i: usize) -> bool {
        const PLURAL: [&str; 5] = ["they", "them", "theyre", "their", "theyve"];
        let Some(t) = a.tokens.get(i) else {
            return false;
        };
        PLURAL.contains(&t.text.as_str())
            && a.tokens[..i]
                .iter()
                .rev()
                .take_while(|w| w.clause == t.clause)
                .any(|w| self.chat.roles(&w.text).people)
    }

    /// Whether the word at `i` is a plural pronoun whose nearest plural
    /// noun before it names nothing of the domain: "my nan's old curtains
    /// are faded, can you wash them?" speaks of the curtains. "I have acne
    /// scars, will it help them?" still refers back.
    fn stands_for_a_thing_named(&self, a: &Analyzed, i: usize) -> bool {
        const PLURAL: [&str; 3] = ["they", "them", "theyre"];
        let Some(t) = a.tokens.get(i) else {
            return false;
        };
        if !PLURAL.contains(&t.text.as_str()) {
            return false;
        }
        let plural = |w: &&crate::matching::Token| {
            w.text.len() >= 5
                && w.text.ends_with('s')
                && !w.text.ends_with("ss")
                && w.stem.len() < w.text.len()
                // (the stop list holds "questions" and "things", plural nouns
                // all the same)
                && (!STOPWORDS.contains(&w.text.as_str())
                    || w.text.ends_with("ions")
                    || w.text.ends_with("ings"))
                && is_english(&w.text)
        };
        a.tokens[..i].iter().rev().find(plural).is_some_and(|w| {
            !self.domain.contains(&*w.stem)
                && !self.symptoms.contains(&*w.stem)
                && !self.chat.roles(&w.text).people
        })
    }

    /// Whether the word at `i` is a determiner of the next word rather
    /// than a pronoun: "this heat", "that plumber" point at a thing the
    /// message names, which no entry explains, not at the treatment ("is
    /// this normal", "does that hurt" still refer back).
    fn points_at_next(&self, a: &Analyzed, i: usize) -> bool {
        const DETERMINERS: [&str; 4] = ["this", "that", "these", "those"];
        let (Some(t), Some(next)) = (a.tokens.get(i), a.tokens.get(i + 1)) else {
            return false;
        };
        DETERMINERS.contains(&t.text.as_str())
            && next.clause == t.clause
            && next.text.len() >= 4
            && !STOPWORDS.contains(&next.text.as_str())
            && !self.matcher.knows(&next.stem)
            && !self.domain.contains(&*next.stem)
            && is_english(&next.text)
    }

    /// How many of the terms no entry uses are English words of four
    /// letters or more as written.
    fn unexplained(&self, a: &Analyzed) -> usize {
        self.unexplained_terms(a).count()
    }

    /// The same, leaving out a red flag's symptom words: for a message that
    /// refers back to the treatment, they tell what happened after it.
    fn unexplained_besides_symptoms(&self, a: &Analyzed) -> usize {
        self.unexplained_terms(a)
            .filter(|term| !self.symptoms.contains(*term))
            .count()
    }

    /// The terms no entry uses that are English words of four letters or
    /// more as written.
    fn unexplained_terms<'a>(&'a self, a: &'a Analyzed) -> impl Iterator<Item = &'a String> + 'a {
        a.terms
            .iter()
            .filter(|term| !self.matcher.knows(term))
            .filter(|term| {
                a.tokens
                    .iter()
                    .any(|t| *t.stem == ***term && t.text.len() >= 4 && is_english(&t.text))
            })
    }

    /// Whether every domain word of the message, as written and as mapped,
    /// has an everyday sense too ("pen", "results", "layers": `ambiguous`
    /// of chat.toml).
    pub(super) fn only_ambiguous(&self, a: &Analyzed) -> bool {
        let ambiguous = |s: &str| !self.domain.contains(s) || self.ambiguous.contains(s);
        a.terms.iter().all(|t| ambiguous(t)) && self.writes_only_ambiguous(a)
    }

    /// The words of the message, as written, that place it in another
    /// field ("skyrim", "landlord"), unless a word of it as written keeps
    /// it about the skin or the treatment (`anchors`; not as mapped: "fine
    /// lines" in "fine lines when inking manga" maps onto wrinkles). Such a
    /// message borrows domain words in their everyday sense ("healing
    /// potions", "lease renewal", "a 3 layer sponge cake"), so however
    /// well those score it is chatter.
    fn elsewhere_words<'a>(&'a self, a: &'a Analyzed) -> Vec<&'a str> {
        if self.anchored(a) {
            return Vec::new();
        }
        let mut words: Vec<&str> = a
            .tokens
            .iter()
            .filter(|t| self.elsewhere.contains(&*t.stem))
            .map(|t| t.text.as_str())
            .collect();
        words.extend(
            self.elsewhere_phrase(a)
                .into_iter()
                .flatten()
                .map(String::as_str),
        );
        words
    }

    /// Whether the message is set in another field (see
    /// [`Engine::elsewhere_words`]).
    pub(super) fn set_elsewhere(&self, a: &Analyzed) -> bool {
        (a.tokens.iter().any(|t| self.elsewhere.contains(&*t.stem))
            || self.elsewhere_phrase(a).is_some())
            && !self.anchored(a)
    }

    /// Whether a word of the message, as written, is one of `anchors`,
    /// outside the `elsewhere_phrases` that use it in another sense: the
    /// "skin" of "skin in the game" or "a skin on top" of a sourdough
    /// starter anchors nothing. A skincare idiom (`anchor_phrases`: "a
    /// long game") anchors it too, unless it too stands inside one ("my
    /// skin" in "that film got under my skin").
    fn anchored(&self, a: &Analyzed) -> bool {
        a.tokens.iter().enumerate().any(|(i, t)| {
            (self.anchors.contains(t.text.as_str())
                || phrase_at(&self.anchor_phrases, a, i).is_some())
                && !phrase_covers(&self.elsewhere_phrases, a, i)
        })
    }

    /// The first `elsewhere_phrases` phrase the message has, by its words
    /// as written ("recovery mode", "leg day").
    fn elsewhere_phrase(&self, a: &Analyzed) -> Option<&[String]> {
        first_phrase(&self.elsewhere_phrases, a)
    }

    /// What the chatter check sees in a message, for `--explain`.
    pub fn domain_view(&self, message: &str) -> DomainView {
        let text = super::split::cap(message, self.settings.max_input_chars);
        let a = self.matcher.analyze(text);
        let mut domain: Vec<String> = Vec::new();
        let stems = a.terms.iter().map(String::as_str);
        let stems = stems.chain(a.tokens.iter().map(|t| t.stem.as_ref()));
        for s in stems.filter(|s| self.domain.contains(*s)) {
            if !domain.iter().any(|d| d == s) {
                domain.push(s.to_string());
            }
        }
        let ambiguous = domain
            .iter()
            .filter(|s| self.ambiguous.contains(*s))
            .cloned()
            .collect();
        let unexplained = self.unexplained_terms(&a).cloned().collect();
        let elsewhere = self
            .elsewhere_words(&a)
            .into_iter()
            .map(str::to_string)
            .collect();
        DomainView {
            domain,
            ambiguous,
            elsewhere,
            unexplained,
            refers_back: self.refers_back(&a),
        }
    }

    /// Whether the message has no domain term (or only a mapped one, such
    /// as "beach" for the sun, or only ambiguous ones, such as "pen", among
    /// words no entry explains), no reference to the treatment, and is not
    /// one of the knowledge's phrasings (`best` is the top candidate's
    /// confidence).
    pub(super) fn is_chatter(&self, a: &Analyzed, best: f32) -> bool {
        /// A confidence this high means the words are those of a phrasing.
        const PHRASING: f32 = 0.95;
        /// This many unexplained words outweigh a domain word that is only
        /// a patient's word mapped ("surf forecast for the beach this weekend").
        const OUTWEIGH: usize = 3;
        /// This many outweigh domain words that all have an everyday sense
        /// ("my gel pen won't write even though it's full of ink").
        const OUTWEIGH_AMBIGUOUS: usize = 2;
        if best >= PHRASING {
            return false;
        }
        if self.set_elsewhere(a) {
            return true;
        }
        // Counted only when a rule below needs it (most messages name a
        // strong domain word and need nothing more).
        let unexplained = || self.unexplained(a);
        // "it" or "that" may stand for the treatment ("does it hurt?") or
        // for what the message names ("my hamster died… is that weird",
        // "my router keeps dropping, reset it?"): among this many words no
        // entry explains, with no domain word, it is the latter; with
        // ambiguous ones only, one more is needed ("had it done this
        // morning, red but fine, no throbbing, no bleeding" names symptoms
        // that no entry explains but the red flags read).
        if self.refers_back(a) {
            return if !self.names_the_domain(a) {
                unexplained() >= OUTWEIGH
            } else {
                self.only_ambiguous(a) && self.unexplained_besides_symptoms(a) >= OUTWEIGH
            };
        }
        if !self.names_the_domain(a) {
            return true;
        }
        // An ambiguous word only mapped ("see a change" read as results)
        // weighs like any mapped word.
        if !self.writes_the_domain(a) {
            unexplained() >= OUTWEIGH
        } else {
            self.only_ambiguous(a) && unexplained() >= OUTWEIGH_AMBIGUOUS
        }
    }
}

/// The longest phrase of `phrases` (by first word) that starts at word
/// `start` of the message, as written.
fn phrase_at<'p>(
    phrases: &'p HashMap<String, Vec<Vec<String>>>,
    a: &Analyzed,
    start: usize,
) -> Option<&'p [String]> {
    let rest = &a.tokens[start..];
    phrases
        .get(rest[0].text.as_str())?
        .iter()
        .filter(|p| p.len() <= rest.len() && p.iter().zip(rest).all(|(p, t)| *p == t.text))
        .max_by_key(|p| p.len())
        .map(Vec::as_slice)
}

/// The first phrase of `phrases` the message has.
fn first_phrase<'p>(
    phrases: &'p HashMap<String, Vec<Vec<String>>>,
    a: &Analyzed,
) -> Option<&'p [String]> {
    (0..a.tokens.len()).find_map(|i| phrase_at(phrases, a, i))
}

/// Whether word `i` of the message is inside a phrase of `phrases`.
fn phrase_covers(phrases: &HashMap<String, Vec<Vec<String>>>, a: &Analyzed, i: usize) -> bool {
    (0..=i).any(|start| phrase_at(phrases, a, start).is_some_and(|p| start + p.len() > i))
}

/// What the chatter check sees in a message (see [`Engine::domain_view`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DomainView {
    /// The domain stems the message names, as written or as mapped.
    pub domain: Vec<String>,
    /// Those of them with an everyday sense too.
    pub ambiguous: Vec<String>,
    /// Words placing the message in another field, with no anchor word.
    pub elsewhere: Vec<String>,
    /// English words (four letters or more) that no entry explains.
    pub unexplained: Vec<String>,
    /// Whether a word refers back to the treatment ("does it hurt").
    pub refers_back: bool,
}

/// Whether the word at `i` ("that", "which") opens a relative clause on the
/// word before it ("gift ideas that aren't flowers", "a laptop which is
/// light"): it stands for that thing, not for the treatment. The word
/// before is an English word of four letters or more and no function word
/// ("does that hurt", "is that normal" still refer back), and an
/// auxiliary verb, or an adverb that goes before one, follows in the same
/// clause.
fn opens_relative_clause(a: &Analyzed, i: usize) -> bool {
    const RELATIVES: [&str; 2] = ["that", "which"];
    const AUXILIARIES: [&str; 30] = [
        "is", "are", "isnt", "arent", "was", "were", "wasnt", "werent", "has", "have", "hasnt",
        "havent", "will", "wont", "would", "wouldnt", "can", "cant", "could", "couldnt", "does",
        "dont", "doesnt", "didnt", "might", "should", "actually", "really", "never", "still",
    ];
    let (Some(t), Some(prev), Some(next)) = (
        a.tokens.get(i),
        i.checked_sub(1).and_then(|j| a.tokens.get(j)),
        a.tokens.get(i + 1),
    ) else {
        return false;
    };
    RELATIVES.contains(&t.text.as_str())
        && prev.clause == t.clause
        && next.clause == t.clause
        && AUXILIARIES.contains(&next.text.as_str())
        && prev.text.len() >= 4
        && !STOPWORDS.contains(&prev.text.as_str())
        && is_english(&prev.text)
}
