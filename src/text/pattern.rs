//! Phrase patterns: the small language moderators use for red flags and for
//! topics the knowledge does not cover.
//!
//! A pattern is one or more *terms* joined by ` + `; every term must occur in
//! the message, in any order. A term lists alternatives separated by `|`; an
//! alternative is a word or a phrase of consecutive words. A word ending in `*`
//! matches any word that starts with it (`blister*` matches "blisters",
//! "blistering"); other words match their inflections ("bleed" matches
//! "bleeds"). A term does not count where its context dismisses it
//! ([`super::context`]: a negation such as "no fever", and for red flags also
//! history, hypotheticals and someone else's past), so "no fever, just red"
//! does not match `fever*`.
//!
//! A term written with a leading `-` must *not* occur: `cause* + acne + -scar*`
//! matches "what causes acne?" but not "what causes acne scars?".
//!
//! Examples: `pus`, `red streak*`, `swell*|swollen + lip*|tongue|throat`,
//! `bleed*|bleeding + wont stop|not stopping|keeps going`.

use super::{stem, words};

/// A compiled pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pattern {
    /// The pattern as written, for messages and logs.
    pub source: String,
    pub(crate) terms: Vec<Term>,
}

/// Alternatives (each a phrase of words), and whether the term must be absent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Term {
    pub(crate) alternatives: Vec<Vec<PatternWord>>,
    pub(crate) excluded: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum PatternWord {
    /// Matches a word by its cleaned form or its stem.
    Exact { word: String, stem: String },
    /// Matches any word starting with this.
    Prefix(String),
}

/// A word of a message as patterns see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PatternToken<'a> {
    /// Cleaned (and spelling-corrected) word.
    pub text: &'a str,
    /// Its stem.
    pub stem: &'a str,
    /// Its clause, which bounds the reach of a negation.
    pub clause: u32,
    /// Its context bits ([`super::context`]): negated, past, someone else's…
    pub context: u8,
}

/// Why a pattern is not valid.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PatternError {
    /// Nothing to match.
    #[error("the pattern is empty")]
    Empty,
    /// A `+` or `|` with nothing on one side.
    #[error(
        "the pattern has an empty term or alternative (check for a doubled or trailing `+` or `|`)"
    )]
    EmptyPart,
    /// A `*` that is not at the end of a word, or a `*` alone.
    #[error("`*` may only end a word of at least 3 letters, as in `blister*`")]
    BadWildcard,
    /// A word that messages drop as a clause break: the phrase would match
    /// without it, more widely than written.
    #[error("`{0}` ends a clause and is dropped from messages, so a pattern phrase cannot hold it; write the phrase without it")]
    ClauseWord(String),
    /// Only `-excluded` terms: nothing says what to look for.
    #[error("the pattern only excludes words (`-…`); it needs at least one term to look for")]
    OnlyExclusions,
}

/// The phrase with each `…e*` prefix of four letters or more as its -ing
/// form (`unalive*` → `unaliving*`); `None` when it has no such prefix.
fn ing_form(phrase: &[PatternWord]) -> Option<Vec<PatternWord>> {
    let mut changed = false;
    let out = phrase
        .iter()
        .map(|w| match w {
            PatternWord::Prefix(p) if p.ends_with('e') && p.chars().count() >= 4 => {
                changed = true;
                PatternWord::Prefix(format!("{}ing", &p[..p.len() - 1]))
            }
            w => w.clone(),
        })
        .collect();
    changed.then_some(out)
}

/// Chat spellings as patterns need them: spelling -> replacement words.
pub type Spellings = std::collections::HashMap<String, Vec<String>>;

/// The stem a pattern word matches by. An adverb does not inflect, and its
/// stem is another word's: "progressively" stems to "progress" and
/// "continually" to "continu", so "expect to see progress" would read as
/// "progressively worse". An adverb of `-ly` whose stem drops the suffix
/// matches only as written; "family" keeps its stem "famili" and still
/// reads "families".
fn exact_stem(word: &str) -> String {
    let stemmed = stem(word);
    if word.len() >= 6 && word.ends_with("ly") && !stemmed.ends_with("li") {
        word.to_string()
    } else {
        stemmed
    }
}

/// `to` as exact pattern words.
fn exact_words(to: &[String]) -> Vec<PatternWord> {
    to.iter()
        .map(|t| PatternWord::Exact {
            stem: stem(t),
            word: t.clone(),
        })
        .collect()
}

impl Pattern {
    /// Parses a pattern, cleaning its words the same way messages are cleaned.
    pub fn parse(source: &str) -> Result<Pattern, PatternError> {
        if source.trim().is_empty() {
            return Err(PatternError::Empty);
        }
        let mut terms = Vec::new();
        for term in source.split('+') {
            let (term, excluded) = match term.trim_start().strip_prefix('-') {
                Some(rest) => (rest, true),
                None => (term, false),
            };
            let mut alts = Vec::new();
            for alt in term.split('|') {
                let mut phrase = Vec::new();
                for raw in alt.split_whitespace() {
                    let (body, prefix) = match raw.strip_suffix('*') {
                        Some(body) => (body, true),
                        None => (raw, false),
                    };
                    if body.contains('*') {
                        return Err(PatternError::BadWildcard);
                    }
                    let lower = body.to_lowercase();
                    if super::is_clause_word(lower.trim_matches(|c: char| !c.is_alphanumeric())) {
                        return Err(PatternError::ClauseWord(lower));
                    }
                    let cleaned = words(body);
                    let n = cleaned.len();
                    if prefix && (n == 0 || cleaned[n - 1].text.chars().count() < 3) {
                        return Err(PatternError::BadWildcard);
                    }
                    for (i, w) in cleaned.into_iter().enumerate() {
                        phrase.push(if prefix && i + 1 == n {
                            PatternWord::Prefix(w.text)
                        } else {
                            PatternWord::Exact {
                                stem: exact_stem(&w.text),
                                word: w.text,
                            }
                        });
                    }
                }
                if phrase.is_empty() {
                    return Err(PatternError::EmptyPart);
                }
                // A word drops its final e before -ing ("unalive" →
                // "unaliving", "mutilate" → "mutilating"), which the prefix
                // alone would miss: "unalive*" also reads "unaliving*".
                if let Some(ing) = ing_form(&phrase) {
                    alts.push(ing);
                }
                alts.push(phrase);
            }
            terms.push(Term {
                alternatives: alts,
                excluded,
            });
        }
        if terms.iter().all(|t| t.excluded) {
            return Err(PatternError::OnlyExclusions);
        }
        Ok(Pattern {
            source: source.trim().to_string(),
            terms,
        })
    }

    /// The pattern as messages' words reach it: a message's chat spellings
    /// are replaced before patterns see it ("needled" is read as
    /// "microneedled", "prob" as "probably"), so a pattern word that is one
    /// would never match as written: such a word becomes its replacement.
    /// A `word*` prefix stays as written: what it starts is the
    /// moderator's choice ("product*" is not meant to read "production",
    /// which is spelled "produce").
    pub fn respelled(mut self, spellings: &Spellings) -> Pattern {
        if spellings.is_empty() {
            return self;
        }
        for term in &mut self.terms {
            for phrase in &mut term.alternatives {
                let mut out = Vec::with_capacity(phrase.len());
                for w in phrase.iter() {
                    match w {
                        PatternWord::Exact { word, .. } => match spellings.get(word) {
                            Some(to) => out.extend(exact_words(to)),
                            None => out.push(w.clone()),
                        },
                        PatternWord::Prefix(_) => out.push(w.clone()),
                    }
                }
                *phrase = out;
            }
        }
        self
    }

    /// A one-word exclusion that reads as one of the words the pattern
    /// looks for (the same stem: `chills + -chilled`), so that word can
    /// never match: (the exclusion, the word) as written.
    pub fn cancelled_word(&self) -> Option<(&str, &str)> {
        fn single(t: &Term) -> Vec<(&str, &str)> {
            t.alternatives
                .iter()
                .filter_map(|a| match a.as_slice() {
                    [PatternWord::Exact { word, stem }] => Some((word.as_str(), stem.as_str())),
                    _ => None,
                })
                .collect()
        }
        let sought: Vec<(&str, &str)> = self
            .terms
            .iter()
            .filter(|t| !t.excluded)
            .flat_map(single)
            .collect();
        // A prefix sought (`faint*`) is cancelled by an exclusion whose stem
        // is the prefix itself (`-fainted` reads as "faint", and so excludes
        // "I feel faint" too).
        let prefixes: Vec<&str> = self
            .terms
            .iter()
            .filter(|t| !t.excluded)
            .flat_map(|t| &t.alternatives)
            .filter_map(|a| match a.as_slice() {
                [PatternWord::Prefix(p)] => Some(p.as_str()),
                _ => None,
            })
            .collect();
        self.terms
            .iter()
            .filter(|t| t.excluded)
            .flat_map(single)
            .find_map(|(ex, ex_stem)| {
                sought
                    .iter()
                    .find(|(_, stem)| *stem == ex_stem)
                    .map(|(word, _)| (ex, *word))
                    .or_else(|| prefixes.iter().find(|p| **p == ex_stem).map(|p| (ex, *p)))
            })
    }

    /// The `word*` prefixes of this pattern.
    pub fn prefixes(&self) -> impl Iterator<Item = &str> {
        self.terms
            .iter()
            .flat_map(|t| t.alternatives.iter().flatten())
            .filter_map(|w| match w {
                PatternWord::Prefix(p) => Some(p.as_str()),
                PatternWord::Exact { .. } => None,
            })
    }

    /// Every word this pattern names literally (for the typo-correction vocabulary).
    pub fn words(&self) -> impl Iterator<Item = &str> {
        self.terms
            .iter()
            .flat_map(|t| t.alternatives.iter().flatten())
            .map(|w| match w {
                PatternWord::Exact { word, .. } => word.as_str(),
                PatternWord::Prefix(p) => p.as_str(),
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(pattern: &str, message: &str) -> bool {
        let p = Pattern::parse(pattern).unwrap();
        let w = words(message);
        let stems: Vec<String> = w.iter().map(|w| stem(&w.text)).collect();
        // Negation only: "no", "not", "without" and "won't" reach 4 words.
        let negation = crate::text::context::KindTriggers {
            before: ["no", "not", "without", "wont"].map(String::from).to_vec(),
            reach: 4,
            ..Default::default()
        };
        let rules =
            crate::text::context::ContextRules::new(&crate::text::context::ContextTriggers {
                kinds: vec![(crate::text::context::NEGATED, negation)],
                pseudo: vec!["dont think".into()],
                termination: vec![],
            });
        let texts: Vec<&str> = w.iter().map(|w| w.text.as_str()).collect();
        let clauses: Vec<u32> = w.iter().map(|w| w.clause).collect();
        let sentences: Vec<u32> = w.iter().map(|w| w.sentence).collect();
        let asides: Vec<bool> = w.iter().map(|w| w.aside).collect();
        let listed: Vec<bool> = w.iter().map(|w| w.listed).collect();
        let bits = rules.scan(&texts, &clauses, &sentences, &asides, &listed);
        let tokens: Vec<PatternToken<'_>> = w
            .iter()
            .zip(&stems)
            .zip(bits)
            .map(|((w, s), context)| PatternToken {
                text: &w.text,
                stem: s,
                clause: w.clause,
                context,
            })
            .collect();
        let mut symbols = super::super::pattern_set::Symbols::default();
        let owner = super::super::pattern_set::Owner { kind: 0, index: 0 };
        let set = super::super::pattern_set::PatternSet::new(&mut symbols, [(owner, &p)]);
        set.first_match(&tokens, &symbols.of(&tokens), |_, bits| bits != 0)
            .is_some()
    }

    #[test]
    fn words_prefixes_and_inflections() {
        assert!(check("blister*", "woke up with Blisters all over"));
        assert!(check("bleed", "it bleeds a bit"));
        assert!(!check("bleed", "bled"));
        assert!(check("red streak*", "there are red streaks on my neck"));
        assert!(!check("red streak*", "red and streaky"));
    }

    #[test]
    fn an_adverb_matches_as_written_not_by_its_stem() {
        assert!(check("progressively + worse", "it got progressively worse"));
        assert!(!check(
            "progressively + worse",
            "no progress yet, worse luck"
        ));
        assert!(!check("continually + red", "continue the red light mask"));
        assert!(check("family", "my families"));
    }

    #[test]
    fn respelled_words_read_as_messages_do() {
        let spellings: Spellings = [
            ("needled".to_string(), vec!["microneedled".to_string()]),
            (
                "rn".to_string(),
                vec!["right".to_string(), "now".to_string()],
            ),
        ]
        .into_iter()
        .collect();
        let p = Pattern::parse("white patch* + where they needled|sore rn + -needl*")
            .unwrap()
            .respelled(&spellings);
        let words: Vec<&str> = p.words().collect();
        assert_eq!(
            words,
            [
                "white",
                "patch",
                "where",
                "they",
                "microneedled",
                "sore",
                "right",
                "now",
                "needl"
            ],
            "exact words become their replacements, phrases grow, prefixes stay"
        );
        // As written it never matches a message whose "needled" was respelled.
        assert!(!check("where they needled", "where they microneedled"));
        let p = Pattern::parse("where they needled")
            .unwrap()
            .respelled(&spellings);
        assert_eq!(
            p.source, "where they needled",
            "the source stays as the moderator wrote it"
        );
    }

    #[test]
    fn an_exclusion_with_a_sought_words_stem_is_reported() {
        // "chilled" and "chills" share the stem "chill": the exclusion would
        // cancel every message with "chills".
        let p = Pattern::parse("chills|rigors + -chilled|netflix").unwrap();
        assert_eq!(p.cancelled_word(), Some(("chilled", "chills")));
        // A phrase excludes only itself.
        let p = Pattern::parse("chills|rigors + -chilled out|netflix").unwrap();
        assert_eq!(p.cancelled_word(), None);
        // An exclusion whose stem is a sought prefix cancels every word the
        // prefix's stem matches ("fainted" reads as "faint").
        let p = Pattern::parse("faint* + -fainted").unwrap();
        assert_eq!(p.cancelled_word(), Some(("fainted", "faint")));
        let p = Pattern::parse("faint* + -smells faintly").unwrap();
        assert_eq!(p.cancelled_word(), None);
        // An adverb matches as written, so "-faintly" excludes only itself.
        let p = Pattern::parse("faint* + -faintly").unwrap();
        assert_eq!(p.cancelled_word(), None);
        assert!(check("faint* + -faintly", "I fainted"));
        assert!(!check("faint* + -faintly", "it smells faintly"));
    }

    #[test]
    fn all_terms_must_occur_in_any_order() {
        let p = "swell*|swollen + lip*|tongue|throat";
        assert!(check(p, "my lips are swelling up"));
        assert!(check(p, "throat feels swollen"));
        assert!(!check(p, "mild swelling on my cheeks"));
    }

    #[test]
    fn negation_in_the_same_clause_cancels_a_term() {
        assert!(!check("fever*", "no fever or anything, just red"));
        assert!(!check("pus", "there's no pus or fever"));
        assert!(check("fever*", "not sure why, fever since last night"));
        assert!(check("pus", "I don't think it's infected but there's pus"));
    }

    #[test]
    fn a_phrase_that_starts_with_a_negation_is_not_negated() {
        let p = "bleed* + wont stop|not stopping";
        assert!(check(p, "still bleeding and it won't stop"));
        assert!(!check(p, "not bleeding and it won't stop hurting"));
    }

    #[test]
    fn excluded_terms_must_be_absent() {
        let p = "cause* + acne + -scar*";
        assert!(check(p, "what causes acne?"));
        assert!(!check(p, "what causes acne scars?"));
        assert!(!check(p, "what causes acne scarring"));
        assert_eq!(Pattern::parse("-scar*"), Err(PatternError::OnlyExclusions));
    }

    #[test]
    fn invalid_patterns_are_reported() {
        assert_eq!(Pattern::parse("  "), Err(PatternError::Empty));
        assert_eq!(Pattern::parse("pus + "), Err(PatternError::EmptyPart));
        assert_eq!(Pattern::parse("a||b"), Err(PatternError::EmptyPart));
        assert_eq!(Pattern::parse("bl*ister"), Err(PatternError::BadWildcard));
        assert_eq!(Pattern::parse("b*"), Err(PatternError::BadWildcard));
        assert_eq!(
            Pattern::parse("better than just + creams"),
            Err(PatternError::ClauseWord("just".into()))
        );
    }
}
