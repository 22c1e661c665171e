//! From a chat message to the terms the matcher scores and the tokens that
//! red flags and not-covered patterns look at.
//!
//! Steps, in order: clean ([`crate::text::words`]), replace chat spellings
//! ("u" -> "you", "rn" -> "right now"), correct typos against the knowledge's
//! own words, stem, then map patients' phrases onto the knowledge's words
//! ("recovery time" -> "downtime") and drop words that carry no topic.

use super::english::is_english;
use super::fuzzy::{Fuzzy, REVOWELLED_LEN};
use super::stopwords::STOPWORDS;
use crate::knowledge::Knowledge;
use crate::text::context::ContextRules;
use crate::text::pattern::PatternToken;
use crate::text::{is_number, stem, words};
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::sync::Arc;

/// A word of a message after spelling and typo correction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    /// The (corrected) word.
    pub text: String,
    /// Its stem, shared with the analyzer's table for the knowledge's own
    /// words: a token of a known word costs no copy of its stem.
    pub stem: Arc<str>,
    /// Its clause.
    pub clause: u32,
    /// Its sentence.
    pub sentence: u32,
    /// Read from an emoji ([`crate::text::Word::emoji`]).
    pub emoji: bool,
    /// Inside parentheses ([`crate::text::Word::aside`]).
    pub aside: bool,
    /// An item of a denied list ([`crate::text::Word::listed`]).
    pub listed: bool,
}

/// A message, analyzed.
#[derive(Debug, Clone, Default)]
pub struct Analyzed {
    /// Every word, negations included, before synonyms.
    pub tokens: Vec<Token>,
    /// The informative terms (stems, synonyms applied, stopwords removed), in order.
    pub terms: Vec<String>,
    /// Words typo correction changed: (as written, as read).
    pub corrected: Vec<(String, String)>,
}

impl Analyzed {
    /// The tokens as patterns see them, with their context (negated, past…).
    pub fn pattern_tokens(&self, context: &ContextRules) -> Vec<PatternToken<'_>> {
        let texts: Vec<&str> = self.tokens.iter().map(|t| t.text.as_str()).collect();
        let clauses: Vec<u32> = self.tokens.iter().map(|t| t.clause).collect();
        let sentences: Vec<u32> = self.tokens.iter().map(|t| t.sentence).collect();
        let asides: Vec<bool> = self.tokens.iter().map(|t| t.aside).collect();
        let listed: Vec<bool> = self.tokens.iter().map(|t| t.listed).collect();
        let bits = context.scan(&texts, &clauses, &sentences, &asides, &listed);
        self.tokens
            .iter()
            .zip(bits)
            .map(|(t, context)| PatternToken {
                text: &t.text,
                stem: t.stem.as_ref(),
                clause: t.clause,
                context,
            })
            .collect()
    }
}

/// The vocabulary side of matching, built once per knowledge load.
#[derive(Debug, Clone)]
pub struct Analyzer {
    /// First stem of a patient phrase -> (phrase stems, knowledge stem), longest first.
    synonyms: HashMap<String, Vec<(Vec<String>, String)>>,
    stopwords: HashSet<String>,
    fuzzy: Fuzzy,
    /// Every chat spelling and every word the knowledge uses, with what the
    /// analyzer needs of it, so a message's word is hashed once, not once
    /// for the spellings, once for the known words and once for its stem.
    lexicon: HashMap<String, Lexeme>,
}

/// What the analyzer knows of one word (see [`Analyzer::lexicon`]).
#[derive(Debug, Clone, Default)]
struct Lexeme {
    /// The chat spelling's replacement words ("u" -> "you"), each with its stem.
    spelling: Option<Vec<(String, Arc<str>)>>,
    /// The word's stem when the knowledge uses the word (typo correction
    /// then leaves it as it is).
    known: Option<Arc<str>>,
}

impl Analyzer {
    /// Builds the analyzer from the knowledge's vocabulary and words.
    pub fn new(k: &Knowledge) -> Analyzer {
        super::english::warm_up();
        let spellings: HashMap<String, Vec<String>> = k
            .spellings
            .iter()
            .map(|(from, to)| {
                (
                    from.clone(),
                    to.split_whitespace().map(str::to_string).collect(),
                )
            })
            .collect();

        let mut synonyms: HashMap<String, Vec<(Vec<String>, String)>> = HashMap::default();
        for group in &k.synonyms {
            let canonical = stem(&group.canonical);
            for variant in &group.variants {
                let stems: Vec<String> = variant.iter().map(|w| stem(w)).collect();
                if stems.len() == 1 && stems[0] == canonical {
                    continue;
                }
                synonyms
                    .entry(stems[0].clone())
                    .or_default()
                    .push((stems, canonical.clone()));
            }
        }
        for list in synonyms.values_mut() {
            list.sort_by(|a, b| b.0.len().cmp(&a.0.len()).then_with(|| a.0.cmp(&b.0)));
        }

        let stopwords: HashSet<String> = STOPWORDS.iter().map(|w| stem(w)).collect();

        // The words typos are corrected towards: everything the knowledge says.
        let mut fuzzy = Fuzzy::default();
        let mut add_text = |text: &str| {
            for w in words(text) {
                fuzzy.add(&w.text);
            }
        };
        for e in &k.entries {
            e.questions.iter().for_each(|q| add_text(q));
            e.keywords.iter().for_each(|q| add_text(q));
            add_text(&e.answer);
        }
        for g in &k.synonyms {
            add_text(&g.canonical);
            g.variants.iter().flatten().for_each(|w| add_text(w));
        }
        for (from, to) in &k.spellings {
            add_text(from);
            add_text(to);
        }
        let patterns = k
            .red_flags
            .flags
            .iter()
            .flat_map(|f| &f.patterns)
            .chain(k.gaps.iter().flat_map(|g| &g.patterns));
        for p in patterns {
            p.words().for_each(&mut add_text);
            // "blister*" is written as a prefix: its common forms are words
            // a typo ("blistres") should be corrected towards.
            for prefix in p.prefixes().filter(|p| p.len() >= 5) {
                for ending in ["s", "es", "ed", "ing", "y"] {
                    add_text(&format!("{prefix}{ending}"));
                }
            }
        }
        STOPWORDS.iter().for_each(|w| add_text(w));
        fuzzy.mark_weak(STOPWORDS.iter().copied());
        // A red flag's words win ties among dropped-vowel readings.
        fuzzy.mark_preferred(
            k.red_flags
                .flags
                .iter()
                .flat_map(|f| &f.patterns)
                .flat_map(|p| p.words()),
        );

        let stems: HashMap<String, Arc<str>> = fuzzy
            .words()
            .map(|w| (w.to_string(), Arc::from(stem(w))))
            .collect();
        let stem_of = |w: &str| stems.get(w).cloned().unwrap_or_else(|| Arc::from(stem(w)));
        let mut lexicon: HashMap<String, Lexeme> = stems
            .iter()
            .map(|(w, s)| {
                let known = Some(s.clone());
                (
                    w.clone(),
                    Lexeme {
                        known,
                        spelling: None,
                    },
                )
            })
            .collect();
        // Words read as written though no typo is corrected towards them:
        // crisis slang ("ctb" is not "cbt"), and the words chat.toml sorts
        // messages by ("wifi" is another subject, not "wife"). As
        // correction targets they would pull members' typos away from the
        // domain ("bleh" to "bled", "hangi" to "hang").
        let chat = &k.chat;
        let as_written = k
            .red_flags
            .crisis
            .iter()
            .chain(k.red_flags.crisis_signs.iter().flat_map(|s| &s.patterns))
            .flat_map(|p| p.words())
            .chain(
                chat.elsewhere
                    .iter()
                    .chain(&chat.anchors)
                    .chain(chat.elsewhere_phrases.iter().flatten())
                    .chain(chat.anchor_phrases.iter().flatten())
                    .map(String::as_str),
            );
        for text in as_written {
            for w in words(text) {
                let known = Some(stem_of(&w.text));
                lexicon.entry(w.text).or_insert(Lexeme {
                    known,
                    spelling: None,
                });
            }
        }
        for (from, to) in &spellings {
            let spelled = to.iter().map(|r| (r.clone(), stem_of(r))).collect();
            lexicon.entry(from.clone()).or_default().spelling = Some(spelled);
        }
        Analyzer {
            synonyms,
            stopwords,
            fuzzy,
            lexicon,
        }
    }

    /// Analyzes a message.
    pub fn analyze(&self, text: &str) -> Analyzed {
        let ws = words(text);
        // A word is one token unless it is a chat spelling of several.
        let mut tokens = Vec::with_capacity(ws.len());
        let mut corrected = Vec::new();
        for w in ws {
            let place = (w.clause, w.sentence, w.emoji, w.aside, w.listed);
            let lexeme = self.lexicon.get(&w.text);
            if let Some(replacement) = lexeme.and_then(|l| l.spelling.as_ref()) {
                for (r, stem) in replacement {
                    tokens.push(token(r.clone(), stem.clone(), place));
                }
                continue;
            }
            // A word the knowledge uses is read as written ([`Self::correct`]).
            if let Some(stem) = lexeme.and_then(|l| l.known.as_ref()) {
                tokens.push(token(w.text, stem.clone(), place));
                continue;
            }
            match self.correct(&w.text).filter(|fixed| *fixed != w.text) {
                Some(fixed) => {
                    match self.spelling(&fixed) {
                        // A typo of a chat spelling ("tratamientos" for
                        // "tratamiento") is read as that spelling's words.
                        Some(replacement) => {
                            for (r, stem) in replacement {
                                tokens.push(token(r.clone(), stem.clone(), place));
                            }
                        }
                        None => tokens.push(self.token(fixed.clone(), place)),
                    }
                    corrected.push((w.text, fixed));
                }
                None => tokens.push(self.token(w.text, place)),
            }
        }
        let terms = self.terms(&tokens);
        Analyzed {
            tokens,
            terms,
            corrected,
        }
    }

    /// A token for `text`, at its word's [`Place`].
    fn token(&self, text: String, place: Place) -> Token {
        let stem = match self.lexicon.get(&text).and_then(|l| l.known.as_ref()) {
            Some(known) => known.clone(),
            None => Arc::from(stem(&text)),
        };
        token(text, stem, place)
    }

    /// The closest known spelling of a word that is neither known nor
    /// English, or `None` to keep the word as written.
    fn correct(&self, word: &str) -> Option<String> {
        // A real English word is what the member meant ("scarf" is not
        // "scar", and "door" is not "dor" with a doubled letter).
        if self.fuzzy.contains(word) || is_english(word) {
            return None;
        }
        // A number is what was written: "$99" is no "999" call, nor "12"
        // the "112" of an emergency line.
        if is_number(word) {
            return None;
        }
        // "soo" / "hurtt": stretched letters already cut to two; try one.
        let has_double = word.chars().zip(word.chars().skip(1)).any(|(a, b)| a == b);
        let single = if has_double {
            collapse_doubles(word)
        } else {
            word.to_string()
        };
        if single != word && self.fuzzy.contains(&single) {
            return Some(single);
        }
        if let Some([(spelled, _)]) = self.spelling(&single) {
            return Some(spelled.clone());
        }
        if is_english(&single) {
            return None;
        }
        // A dropped final g ("cuttin", "endin", "bleedin"): the -ing word
        // it stands for, when that is English. Before the nearest known
        // word, which for "cuttin" is none and for "endin" may be another.
        if word.len() >= 5 && word.ends_with("in") {
            let ing = format!("{word}g");
            if self.fuzzy.contains(&ing) || is_english(&ing) {
                return Some(ing);
            }
        }
        // Vowels dropped ("cnt brth", "blstrs"): with none typed, read
        // before the nearest word, which for "brth" is "birth" one letter
        // off; with some typed ("mcrnedlng"), only when nothing is near.
        // Three consonants are more often chat shorthand ("brb" is no
        // barbecue) and are read only as a red flag's word ("fvr"); a short
        // word with a vowel ("och") is an interjection as often as a typo.
        let vowelless = !word.contains(['a', 'e', 'i', 'o', 'u']);
        if vowelless {
            if let Some(full) = self.fuzzy.unvowelled(word, word.len() <= 3) {
                return Some(full.to_string());
            }
        }
        if let Some(near) = self.fuzzy.correct(word) {
            return Some(near.to_string());
        }
        // Vowels typed wrong in a red flag's word ("sevear pain"): two
        // edits off, so no nearest word, but the consonants are all there.
        // Not in short words: names are ("Lukas" is no "leaks", nor
        // "Porto" a "part").
        if word.len() >= REVOWELLED_LEN {
            if let Some(full) = self.fuzzy.revowelled(word) {
                return Some(full.to_string());
            }
        }
        // With vowels typed, only a word clearly short of them (under one
        // letter in four: "mcrnedlng"), so whole words ("redness") cost no
        // second lookup.
        let vowels = word.chars().filter(|c| "aeiou".contains(*c)).count();
        if !vowelless && word.len() >= 5 && vowels * 4 < word.len() {
            if let Some(full) = self.fuzzy.unvowelled(word, false) {
                return Some(full.to_string());
            }
        }
        // Spelt as it sounds: "anafalactic" is "anaphylactic" once its "f"
        // is the "ph" that it stands for, then one letter off. Only longer
        // words: in a short one ("fic" of "a-tro-fic") the change is most of it.
        if word.len() >= 6 && word.contains('f') {
            let sounded = word.replace('f', "ph");
            if self.fuzzy.contains(&sounded) {
                return Some(sounded);
            }
            return self.fuzzy.correct(&sounded).map(str::to_string);
        }
        None
    }

    /// A chat spelling's replacement words, each with its stem ("u" -> "you").
    fn spelling(&self, word: &str) -> Option<&[(String, Arc<str>)]> {
        self.lexicon.get(word)?.spelling.as_deref()
    }

    /// The terms of the tokens `keep` says to keep (a symptom the member
    /// denies, "no swelling, no bleeding", is no word of the question).
    pub fn terms_of_kept(&self, tokens: &[Token], keep: impl Fn(usize) -> bool) -> Vec<String> {
        let stems = tokens
            .iter()
            .enumerate()
            .filter(|&(i, _)| keep(i))
            .map(|(_, t)| t.stem.as_ref())
            .collect();
        self.terms_of_stems(stems)
    }

    /// Applies synonyms (longest phrase first) and drops stopwords.
    fn terms(&self, tokens: &[Token]) -> Vec<String> {
        self.terms_of_stems(tokens.iter().map(|t| t.stem.as_ref()).collect())
    }

    /// [`Self::terms`] of the tokens' stems, in order.
    fn terms_of_stems(&self, stems: Vec<&str>) -> Vec<String> {
        let mut out = Vec::with_capacity(stems.len());
        let mut i = 0;
        while i < stems.len() {
            let mut step = 1;
            let mut term = stems[i];
            if let Some(candidates) = self.synonyms.get(stems[i]) {
                for (phrase, canonical) in candidates {
                    let end = i + phrase.len();
                    if end <= stems.len() && stems[i..end].iter().zip(phrase).all(|(a, b)| a == b) {
                        step = phrase.len();
                        term = canonical;
                        break;
                    }
                }
            }
            if !self.stopwords.contains(term) && !term.is_empty() {
                out.push(term.to_string());
            }
            i += step;
        }
        out
    }
}

/// Where a word stands: its (clause, sentence, emoji, aside, listed).
type Place = (u32, u32, bool, bool, bool);

/// A token of `text` with its `stem`, at its word's [`Place`].
fn token(text: String, stem: Arc<str>, (clause, sentence, emoji, aside, listed): Place) -> Token {
    Token {
        text,
        stem,
        clause,
        sentence,
        emoji,
        aside,
        listed,
    }
}

fn collapse_doubles(word: &str) -> String {
    let mut out = String::with_capacity(word.len());
    let mut prev = None;
    for c in word.chars() {
        if Some(c) != prev {
            out.push(c);
        }
        prev = Some(c);
    }
    out
}
