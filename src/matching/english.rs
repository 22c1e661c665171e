//! Which words are real English, so typo correction leaves them alone.
//!
//! Correcting against the knowledge alone "fixes" real words into domain
//! words ("scarf" into "scar", "bleak" into "bleed"). The list is Debian's
//! `wamerican` (SCOWL, permissive licence: `assets/english-words.LICENSE`),
//! lowercased, compiled into the binary so a fresh machine needs nothing
//! installed. Proper nouns are in it: "june" is a month, not a typo of "junk".
//! So are contractions and possessives, spelt as the normalizer leaves them
//! (apostrophe dropped): "here's" is "heres", never a typo of "herpes".
//! `assets/english-extra.txt` adds everyday words it lacks.

use rustc_hash::FxHashSet as HashSet;
use std::sync::OnceLock;

static WORDS: &str = include_str!("../../assets/english-words.txt");
/// Everyday words the list lacks ("sangria", "prosecco"), kept apart so the
/// upstream list stays as shipped.
static EXTRA: &str = include_str!("../../assets/english-extra.txt");

/// Whether a cleaned, lowercase word is an English word.
pub fn is_english(word: &str) -> bool {
    set().contains(word)
}

/// Builds the word set now (a few milliseconds), so that the first member
/// whose message has an unknown word does not wait for it.
pub fn warm_up() {
    set();
}

fn set() -> &'static HashSet<&'static str> {
    static SET: OnceLock<HashSet<&'static str>> = OnceLock::new();
    SET.get_or_init(|| {
        WORDS
            .lines()
            .chain(EXTRA.lines().filter(|l| !l.starts_with('#')))
            .collect()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn knows_real_words_and_not_typos() {
        assert!(is_english("scarf"));
        assert!(is_english("fever"));
        assert!(is_english("june"));
        assert!(is_english("sangria"), "the supplement is read");
        assert!(!is_english(
            "# One lowercase word per line; lines starting with # are notes."
        ));
        assert!(is_english("heres"));
        assert!(is_english("theyve"));
        assert!(!is_english("fevr"));
        assert!(!is_english("blistrs"));
        assert!(!is_english("tmrw"));
    }
}
