//! Typo correction: maps an unknown word to the closest word the knowledge
//! uses, within a small edit distance.
//!
//! A symmetric-delete index (the idea behind SymSpell) finds candidates with a
//! few hash lookups instead of comparing against every known word: a known
//! word and a typo meet when deleting at most one letter from each gives the
//! same string, which covers one insertion, deletion, substitution or swap,
//! and an insertion plus a deletion. `strsim`'s Damerau-Levenshtein distance
//! (a swap of two letters counts as one edit, as in "wrinkels") confirms them.
//!
//! Chat that drops vowels ("cnt brth", "blstrs", "mcrndlng") is many edits
//! from its word but keeps its consonants in order: a second index by
//! consonant skeleton finds it ([`Fuzzy::unvowelled`]).

use rustc_hash::FxHashMap as HashMap;

/// Known words, searchable by edit distance.
#[derive(Debug, Default, Clone)]
pub struct Fuzzy {
    /// Word -> how often the knowledge uses it (a tie-breaker).
    words: HashMap<String, u32>,
    /// A word with letters deleted -> the known words it came from.
    deletes: HashMap<String, Vec<u32>>,
    by_id: Vec<String>,
    /// Words that lose ties ("his" must not beat "hive" for "hivs").
    weak: rustc_hash::FxHashSet<u32>,
    /// First letter and consonants, a repeated one once ([`skeleton`]) ->
    /// the known words with that skeleton.
    skeletons: HashMap<String, Vec<u32>>,
    /// Words that win ties among dropped-vowel readings: the red flags'
    /// ("brth" is read "breath" before "birth": a missed symptom costs more).
    preferred: rustc_hash::FxHashSet<u32>,
}

/// Words shorter than this are never corrected: too many short words are one
/// letter apart ("leg"/"lag"). Real English words of any length are kept as
/// they are by the analyzer ([`super::english`]) before this is asked.
const MIN_LEN: usize = 4;

/// Words shorter than this are never read as a red flag's word with its
/// vowels mistyped ([`Fuzzy::revowelled`]): five-letter names are too
/// often one ("Lekki", "Posay", "Bondi").
pub const REVOWELLED_LEN: usize = 6;

/// Words of this length are corrected only by swapping two neighbouring
/// letters ("hwo" is "how", "teh" is "the"): a swap keeps every letter
/// typed, so it is far less often a different word than a changed letter.
const SWAP_ONLY_LEN: usize = 3;

fn max_distance(len: usize) -> usize {
    if len >= 8 {
        2
    } else {
        1
    }
}

impl Fuzzy {
    /// Adds a known word (repeats raise its frequency).
    pub fn add(&mut self, word: &str) {
        if let Some(n) = self.words.get_mut(word) {
            *n += 1;
            return;
        }
        self.words.insert(word.to_string(), 1);
        let len = word.chars().count();
        if len < MIN_LEN - 1 {
            return;
        }
        let id = self.by_id.len() as u32;
        self.by_id.push(word.to_string());
        for variant in deletes(word) {
            self.deletes.entry(variant).or_default().push(id);
        }
        if let Some(sk) = skeleton(word) {
            self.skeletons.entry(sk).or_default().push(id);
        }
    }

    /// Marks known words as preferred readings of dropped-vowel chat.
    pub fn mark_preferred<'w>(&mut self, words: impl IntoIterator<Item = &'w str>) {
        let words: rustc_hash::FxHashSet<&str> = words.into_iter().collect();
        for (id, w) in self.by_id.iter().enumerate() {
            if words.contains(w.as_str()) {
                self.preferred.insert(id as u32);
            }
        }
    }

    /// The known word `word` is, written without some of its vowels: same
    /// first letter, same consonants in order (doubles collapsed), and the
    /// vowels typed, if any, in the word in order ("blstrs" is "blisters",
    /// "fce" is "face", "mcrnedlng" is "microneedling"). Preferred words
    /// first, then content words, then the more frequent. With
    /// `preferred_only`, only a preferred word is an answer.
    pub fn unvowelled(&self, word: &str, preferred_only: bool) -> Option<&str> {
        if word.len() < SWAP_ONLY_LEN {
            return None;
        }
        // `None` for a word that is not plain lowercase ASCII.
        let sk = skeleton(word)?;
        let ids = self.skeletons.get(&sk)?;
        ids.iter()
            .map(|&id| (id, self.by_id[id as usize].as_str()))
            .filter(|(id, c)| {
                c.len() > word.len()
                    && is_subsequence(word, c)
                    && (!preferred_only || self.preferred.contains(id))
            })
            .min_by_key(|&(id, c)| {
                (
                    !self.preferred.contains(&id),
                    self.weak.contains(&id),
                    std::cmp::Reverse(self.words.get(c).copied().unwrap_or(0)),
                    c,
                )
            })
            .map(|(_, c)| c)
    }

    /// The red flags' word that `word` is with its vowels mistyped: the
    /// same first letter and consonants in order, at most one letter
    /// longer or shorter, and two edits at most ("sevear" is "severe",
    /// "blistur" is "blister"); the red flag's word is [`REVOWELLED_LEN`]
    /// letters or more when the typed one is (the analyzer asks only for
    /// those). Only preferred words: a symptom typed the way it sounds
    /// costs more missed than a word misread, and the red flags' words are
    /// few. The closest, then the more frequent.
    pub fn revowelled(&self, word: &str) -> Option<&str> {
        let sk = skeleton(word)?;
        let ids = self.skeletons.get(&sk)?;
        ids.iter()
            .filter(|id| self.preferred.contains(id))
            .map(|&id| self.by_id[id as usize].as_str())
            .filter(|c| {
                c.len() >= word.len().min(REVOWELLED_LEN) && c.len().abs_diff(word.len()) <= 1
            })
            .map(|c| (strsim::damerau_levenshtein(word, c), c))
            .filter(|&(d, _)| d <= 2)
            .min_by_key(|&(d, c)| {
                (
                    d,
                    std::cmp::Reverse(self.words.get(c).copied().unwrap_or(0)),
                    c,
                )
            })
            .map(|(_, c)| c)
    }

    /// Marks known words as weak: at equal distance, any other word wins.
    /// Function words are weak: a typo is far likelier to be of a content word.
    pub fn mark_weak<'w>(&mut self, words: impl IntoIterator<Item = &'w str>) {
        let words: rustc_hash::FxHashSet<&str> = words.into_iter().collect();
        for (id, w) in self.by_id.iter().enumerate() {
            if words.contains(w.as_str()) {
                self.weak.insert(id as u32);
            }
        }
    }

    /// Every known word.
    pub fn words(&self) -> impl Iterator<Item = &str> {
        self.words.keys().map(String::as_str)
    }

    /// Whether the word is known as it is.
    pub fn contains(&self, word: &str) -> bool {
        self.words.contains_key(word)
    }

    /// The closest known word, if one is near enough. Candidates must share
    /// the first letter (people rarely mistype it), except a three-letter
    /// word's swap, which keeps every letter typed ("ohw" is "how").
    pub fn correct(&self, word: &str) -> Option<&str> {
        let len = word.chars().count();
        if len < SWAP_ONLY_LEN || !word.chars().all(char::is_alphabetic) {
            return None;
        }
        if len < MIN_LEN {
            return self.swapped(word);
        }
        let max = max_distance(len);
        let first = word.chars().next();
        let mut best: Option<((usize, bool), u32, &str)> = None;
        // The word and each one-letter deletion, built in one reused buffer:
        // this runs for every unknown word of every message.
        let mut variant = String::with_capacity(word.len());
        for skip in (0..=word.len()).filter(|&i| word.is_char_boundary(i)) {
            variant.clear();
            if skip == word.len() {
                variant.push_str(word);
            } else {
                let next = skip + word[skip..].chars().next().map_or(0, char::len_utf8);
                variant.push_str(&word[..skip]);
                variant.push_str(&word[next..]);
            }
            let Some(ids) = self.deletes.get(variant.as_str()) else {
                continue;
            };
            for &id in ids {
                let candidate = self.by_id[id as usize].as_str();
                if candidate.chars().next() != first {
                    continue;
                }
                let d = strsim::damerau_levenshtein(word, candidate);
                if d == 0 || d > max {
                    continue;
                }
                let freq = self.words.get(candidate).copied().unwrap_or(0);
                // Distance first, then content words before function words,
                // then the more frequent word.
                let rank = (d, self.weak.contains(&id));
                let better = match best {
                    None => true,
                    Some((bd, bf, bw)) => {
                        rank < bd || (rank == bd && (freq > bf || (freq == bf && candidate < bw)))
                    }
                };
                if better {
                    best = Some((rank, freq, candidate));
                }
            }
        }
        best.map(|(_, _, w)| w).or_else(|| self.silent_first(word))
    }

    /// The known word that is `word` with a silent first letter put back:
    /// the one letter people do drop at the start is the one they do not
    /// hear ("rinkles" is "wrinkles", "nees" is "knees", "soriasis" is
    /// "psoriasis").
    fn silent_first(&self, word: &str) -> Option<&str> {
        const SILENT: &[(char, &[char])] = &[
            ('r', &['w']),
            ('n', &['k', 'g']),
            ('s', &['p']),
            ('h', &['w']),
        ];
        let first = word.chars().next()?;
        let (_, letters) = SILENT.iter().find(|(c, _)| *c == first)?;
        letters.iter().find_map(|l| {
            let candidate = format!("{l}{word}");
            self.words
                .get_key_value(candidate.as_str())
                .map(|(k, _)| k.as_str())
        })
    }

    /// The known word that is `word` with two neighbouring letters swapped
    /// (the most frequent, when several are).
    fn swapped(&self, word: &str) -> Option<&str> {
        let chars: Vec<char> = word.chars().collect();
        let mut best: Option<(u32, &str)> = None;
        for i in 0..chars.len().saturating_sub(1) {
            if chars[i] == chars[i + 1] {
                continue;
            }
            let mut v = chars.clone();
            v.swap(i, i + 1);
            let candidate: String = v.into_iter().collect();
            if let Some((known, &freq)) = self.words.get_key_value(candidate.as_str()) {
                if best.is_none_or(|(f, w)| freq > f || (freq == f && known.as_str() < w)) {
                    best = Some((freq, known.as_str()));
                }
            }
        }
        best.map(|(_, w)| w)
    }
}

/// The first letter and then the consonants, a repeated one once
/// ("blisters" -> "blstrs", "swelled" -> "swld", "burning" -> "brng"); `y`
/// counts as a consonant ("ystrdy"). `None` for a non-ASCII word or one with
/// under two letters left.
fn skeleton(word: &str) -> Option<String> {
    let mut bytes = word.bytes();
    let first = bytes.next()?;
    if !word.bytes().all(|b| b.is_ascii_lowercase()) {
        return None;
    }
    let mut out = String::with_capacity(word.len());
    out.push(char::from(first));
    // A consonant repeated once vowels are gone counts once: "brnng" and
    // "burning" both read "brng".
    let mut last = first;
    for b in bytes {
        if !matches!(b, b'a' | b'e' | b'i' | b'o' | b'u') && b != last {
            out.push(char::from(b));
            last = b;
        }
    }
    (out.len() >= 2).then_some(out)
}

/// Whether `short`'s letters appear in `long` in order.
fn is_subsequence(short: &str, long: &str) -> bool {
    let mut rest = long.bytes();
    short.bytes().all(|b| rest.any(|c| c == b))
}

/// The word itself and every form with one letter deleted.
fn deletes(word: &str) -> Vec<String> {
    let chars: Vec<char> = word.chars().collect();
    let mut out = Vec::with_capacity(chars.len() + 1);
    out.push(word.to_string());
    for i in 0..chars.len() {
        let v: String = chars
            .iter()
            .enumerate()
            .filter(|(j, _)| *j != i)
            .map(|(_, c)| c)
            .collect();
        out.push(v);
    }
    out.sort();
    out.dedup();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn known() -> Fuzzy {
        let mut f = Fuzzy::default();
        for w in [
            "wrinkles",
            "collagen",
            "dermatologist",
            "microneedling",
            "swelling",
            "redness",
            "leg",
            "scars",
            "fever",
        ] {
            f.add(w);
        }
        f
    }

    #[test]
    fn corrects_common_typos() {
        let f = known();
        assert_eq!(f.correct("wrinkels"), Some("wrinkles"));
        assert_eq!(f.correct("collegen"), Some("collagen"));
        assert_eq!(f.correct("dermatoligist"), Some("dermatologist"));
        assert_eq!(f.correct("microneedeling"), Some("microneedling"));
        assert_eq!(f.correct("swleling"), Some("swelling"));
        assert_eq!(f.correct("rednes"), Some("redness"));
        assert_eq!(f.correct("swellng"), Some("swelling"));
        assert_eq!(f.correct("fevr"), Some("fever"));
    }

    #[test]
    fn corrects_three_letter_words_only_by_a_swap() {
        let mut f = known();
        f.add("how");
        assert_eq!(f.correct("hwo"), Some("how"));
        assert_eq!(f.correct("ohw"), Some("how"));
        // A changed or missing letter in a short word is not corrected.
        assert_eq!(f.correct("hoe"), None);
        assert_eq!(f.correct("gel"), None);
        assert_eq!(f.correct("lge"), Some("leg"));
        assert_eq!(f.correct("ho"), None);
    }

    #[test]
    fn reads_words_typed_without_their_vowels() {
        let mut f = known();
        for w in ["breath", "birth", "blisters", "face", "over"] {
            f.add(w);
        }
        f.mark_weak(["over"]);
        assert_eq!(f.unvowelled("blstrs", false), Some("blisters"));
        assert_eq!(f.unvowelled("mcrndlng", false), Some("microneedling"));
        assert_eq!(f.unvowelled("mcrnedlng", false), Some("microneedling"));
        assert_eq!(f.unvowelled("fce", false), Some("face"));
        assert_eq!(f.unvowelled("ovr", false), Some("over"));
        // Ambiguous: the more frequent (a second "birth"), unless one is preferred.
        f.add("birth");
        assert_eq!(f.unvowelled("brth", false), Some("birth"));
        f.mark_preferred(["breath"]);
        assert_eq!(f.unvowelled("brth", false), Some("breath"));
        assert_eq!(f.unvowelled("fc", true), None);
        assert_eq!(f.unvowelled("ovr", true), None);
        // The vowels typed must be the word's, in order; the first letter kept.
        assert_eq!(f.unvowelled("fca", false), None);
        assert_eq!(f.unvowelled("rdnss", false), Some("redness"));
        assert_eq!(f.unvowelled("dnss", false), None);
        assert_eq!(f.unvowelled("fc", false), None);
        assert_eq!(f.unvowelled("face", false), None);
    }

    #[test]
    fn reads_a_red_flags_word_with_its_vowels_mistyped() {
        let mut f = known();
        for w in ["severe", "several", "saver"] {
            f.add(w);
        }
        // Two edits off, so `correct` finds nothing near.
        assert_eq!(f.correct("sevear"), None);
        // Only a preferred (red-flag) word is read.
        assert_eq!(f.revowelled("sevear"), None);
        f.add("blister");
        f.mark_preferred(["severe", "fever", "blister"]);
        assert_eq!(f.revowelled("sevear"), Some("severe"));
        assert_eq!(f.revowelled("blistur"), Some("blister"));
        // A word read this way is six letters or more ("feavor" is left to
        // the nearer-word search): five-letter ones are too often names.
        assert_eq!(f.revowelled("feavor"), None);
        // Consonants must all be there, in order, and the length near.
        assert_eq!(f.revowelled("sever"), Some("severe"));
        assert_eq!(f.revowelled("svr"), None);
        assert_eq!(f.revowelled("sevr"), None);
        assert_eq!(f.revowelled("severeee"), None);
    }

    #[test]
    fn leaves_short_unknown_and_distant_words_alone() {
        let f = known();
        assert_eq!(f.correct("lag"), None);
        // Real English words ("scarf") are kept by the analyzer before it asks.
        assert_eq!(f.correct("scarves"), None);
        assert_eq!(f.correct("retinol"), None);
        assert_eq!(f.correct("pregnant"), None);
        // A different first letter is not a typo we correct.
        assert_eq!(f.correct("srinkles"), None);
    }

    #[test]
    fn a_dropped_silent_first_letter_is_put_back() {
        let mut f = Fuzzy::default();
        for w in ["wrinkles", "knees", "psoriasis", "rinse"] {
            f.add(w);
        }
        assert_eq!(f.correct("rinkles"), Some("wrinkles"));
        assert_eq!(f.correct("nees"), Some("knees"));
        assert_eq!(f.correct("soriasis"), Some("psoriasis"));
        // only a silent letter, and only a known word
        assert_eq!(f.correct("tinkles"), None);
    }
}
