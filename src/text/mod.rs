//! Turning chat text into words: the shared first step of matching, red-flag
//! detection and pattern checking.
//!
//! Chat messages carry Discord mentions, custom emoji, markdown, links, accents,
//! zalgo marks, stretched letters ("sooo") and punctuation that matters (a comma
//! ends the reach of a "no"). This module strips what carries no meaning, folds
//! what varies without changing meaning, and keeps clause boundaries so that a
//! negation ("no fever, just red") is scoped to its own clause.

pub mod context;
pub mod pattern;
pub mod pattern_set;

use rust_stemmers::{Algorithm, Stemmer};
use std::borrow::Cow;
use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

/// A cleaned word and the clause it belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Word {
    /// Lowercase, accents and apostrophes removed, letter runs shortened.
    pub text: String,
    /// Index of the clause; a clause ends at sentence punctuation, commas and
    /// words like "but" or "just".
    pub clause: u32,
    /// Index of the sentence; a sentence ends at `.`, `!`, `?` or a line break.
    pub sentence: u32,
    /// Read from an emoji ("☀️" is "sun"): it names a subject in a question,
    /// but in "good morning everyone ☀️" it only decorates a greeting.
    pub emoji: bool,
    /// Inside parentheses: an aside that says more about what it follows
    /// ("a rough recovery (an infection and two weeks off work)").
    pub aside: bool,
    /// An item of a denied list ("no fever, chills, swelling or pus"): a
    /// negation before the list reaches all of it, however long.
    pub listed: bool,
}

/// Words that end a clause and start a new one (they are dropped).
const CLAUSE_WORDS: &[&str] = &[
    "but", "just", "though", "tho", "although", "however", "except",
];

/// Values after a label's colon that deny it ("fever: none", "pus: no").
const COLON_VALUES: &[&str] = &[
    "none", "no", "nil", "nope", "negative", "absent", "nothing", "zero",
];

/// Whether messages drop this word as a clause break ("but", "just").
pub fn is_clause_word(word: &str) -> bool {
    CLAUSE_WORDS.contains(&word)
}

/// Words that negate what follows them in the same clause.
pub const NEGATORS: &[&str] = &[
    "no", "not", "never", "without", "dont", "doesnt", "didnt", "isnt", "arent", "wasnt", "werent",
    "havent", "hasnt", "hadnt", "cant", "cannot", "wont", "wouldnt", "nor", "none", "nothing",
    "neither", "zero", "nope", "nah",
];

/// Whether a cleaned word negates what follows it.
pub fn is_negator(word: &str) -> bool {
    NEGATORS.contains(&word)
}

/// Whether a word is a number: digits only, and at least one ("999", "61").
/// A number is what was written, never a typo or a stretched word.
pub fn is_number(word: &str) -> bool {
    !word.is_empty() && word.bytes().all(|b| b.is_ascii_digit())
}

/// Stems a cleaned word (English Snowball), so "scarring", "scars" and "scar" meet.
pub fn stem(word: &str) -> String {
    // Creating the stemmer only stores a function pointer: no cost to repeat.
    Stemmer::create(Algorithm::English).stem(word).into_owned()
}

/// Splits text into cleaned words with clause numbers.
pub fn words(text: &str) -> Vec<Word> {
    let stripped = strip_discord_markup(text);
    let stripped = letters_for_lone_digits(&stripped);
    let stripped = not_equal_in_words(&stripped);
    let mut splitter = Splitter {
        out: Vec::with_capacity(stripped.len() / 4 + 1),
        clause: 0,
        sentence: 0,
        point_after_digit: false,
        after_pictograph: false,
        parens: 0,
        after_colon: false,
        colon_values: Vec::new(),
        comma_clauses: Vec::new(),
        current: String::with_capacity(32),
        last_kind: Kind::Other,
    };
    // Plain ASCII (most chat) has no accents, combining marks or emoji, so it
    // skips the Unicode decomposition, which costs more than the rest of the split.
    if stripped.is_ascii() {
        stripped.chars().for_each(|c| splitter.push(c));
    } else {
        stripped
            .nfkd()
            .filter(|&c| !is_combining_mark(c))
            .for_each(|c| splitter.push(c));
    }
    splitter.flush();
    let mut out = splitter.out;
    // "fever: none": a denying value alone after its label's colon belongs
    // with the label, so the negation reaches it (a colon otherwise ends a
    // clause). Not "day 1: no fever", where "no" opens its own clause.
    for i in splitter.colon_values {
        let alone = out
            .get(i + 1)
            .is_none_or(|next| next.clause != out[i].clause);
        if let (true, Some(label)) = (alone, i.checked_sub(1).map(|j| &out[j])) {
            if label.sentence == out[i].sentence {
                out[i].clause = label.clause;
            }
        }
    }
    join_denied_lists(&mut out, &splitter.comma_clauses);
    out
}

/// Words that open a denied list ("no pain, swelling, fever or anything").
const LIST_DENIERS: &[&str] = &["no", "without", "zero"];
/// Verbs that open a denied list after a negated auxiliary ("I don't have a
/// fever, chills or any pus", "haven't got…", "never had…").
const LIST_DENIED_VERBS: &[&str] = &[
    "have", "has", "had", "got", "get", "getting", "having", "feel", "notice", "noticed",
];
/// The auxiliaries that deny those verbs.
const LIST_NEGATED_AUXILIARIES: &[&str] = &[
    "dont", "didnt", "doesnt", "havent", "hasnt", "hadnt", "not", "never",
];
/// The longest item of a denied list, in words ("anything worrying at all").
const LIST_ITEM_WORDS: usize = 4;

/// "No pain, swelling, fever or anything worrying": a list after "no" (or
/// after a denied "have", as in "I don't have a fever, chills or pus") whose
/// items are short, parted by commas, and closed by "or" is denied whole, so
/// the commas between its items end no clause (the clause with "no" ends in
/// the first item, as in "and there's no pain, swelling or fever"). A list closed by "and" ("no
/// fever, swelling and pus") may add what is there, and stays as it is.
fn join_denied_lists(out: &mut [Word], comma_clauses: &[u32]) {
    if comma_clauses.is_empty() {
        return;
    }
    // (clause, sentence, first word index, words) per clause, in order.
    let mut clauses: Vec<(u32, u32, usize, usize)> = Vec::new();
    for (i, w) in out.iter().enumerate() {
        match clauses.last_mut() {
            Some(last) if last.0 == w.clause => last.3 += 1,
            _ => clauses.push((w.clause, w.sentence, i, 1)),
        }
    }
    let mut c = 0;
    while c < clauses.len() {
        // The clause ends in its list's first item: "… and there's no pain".
        let (clause, sentence, start, len) = clauses[c];
        let denies = |i: usize| {
            LIST_DENIERS.contains(&out[i].text.as_str())
                || (i > start
                    && LIST_DENIED_VERBS.contains(&out[i].text.as_str())
                    && LIST_NEGATED_AUXILIARIES.contains(&out[i - 1].text.as_str()))
        };
        let first_item = (start..start + len)
            .rposition(denies)
            .map(|at| len - at - 1);
        if !first_item.is_some_and(|n| (1..=LIST_ITEM_WORDS).contains(&n)) {
            c += 1;
            continue;
        }
        // The items that follow, each begun by a comma, up to one with "or".
        let mut closed = None;
        for (k, &(next, next_sentence, first, len)) in clauses.iter().enumerate().skip(c + 1) {
            if next_sentence != sentence || len > LIST_ITEM_WORDS || !comma_clauses.contains(&next)
            {
                break;
            }
            if out[first..first + len]
                .iter()
                .skip(1)
                .any(|w| w.text == "or" || w.text == "nor")
            {
                closed = Some(k);
                break;
            }
        }
        match closed {
            Some(k) => {
                for &(_, _, first, len) in &clauses[c + 1..=k] {
                    out[first..first + len].iter_mut().for_each(|w| {
                        w.clause = clause;
                        w.listed = true;
                    });
                }
                c = k + 1;
            }
            None => c += 1,
        }
    }
}

/// "redness ≠ infection right?": the sign denies what follows it, so it is
/// read as "isnt" (decomposed, it would be a bare "=", which says nothing).
fn not_equal_in_words(text: &str) -> Cow<'_, str> {
    if text.contains('≠') {
        Cow::Owned(text.replace('≠', " isnt "))
    } else {
        Cow::Borrowed(text)
    }
}

/// "ble3ding", "c0llagen", "m1croneedling": a lone digit between two letters
/// is a letter typed on the number row (or leetspeak), not a number, so it
/// becomes the letter it looks like and the word can be recognised. Numbers
/// next to letters ("5mm", "24hrs", "day3") keep their digits: only a single
/// digit with a letter on both sides is replaced.
fn letters_for_lone_digits(text: &str) -> Cow<'_, str> {
    let bytes = text.as_bytes();
    let lone = |i: usize| {
        i > 0
            && i + 1 < bytes.len()
            && bytes[i - 1].is_ascii_alphabetic()
            && bytes[i + 1].is_ascii_alphabetic()
            && look_alike_letter(bytes[i]).is_some()
    };
    if !(0..bytes.len()).any(lone) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    for (i, c) in text.char_indices() {
        match look_alike_letter(bytes[i]).filter(|_| lone(i)) {
            Some(letter) => out.push(letter),
            None => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// The letter a digit stands for inside a word.
fn look_alike_letter(byte: u8) -> Option<char> {
    match byte {
        b'0' => Some('o'),
        b'1' => Some('i'),
        b'3' => Some('e'),
        b'4' => Some('a'),
        b'5' => Some('s'),
        b'7' => Some('t'),
        _ => None,
    }
}

/// The state of [`words`] between characters.
struct Splitter {
    out: Vec<Word>,
    clause: u32,
    sentence: u32,
    /// A '.' right after a digit, not yet known to end a sentence.
    point_after_digit: bool,
    /// An emoji was read and no word has followed it yet.
    after_pictograph: bool,
    /// How many parentheses are open.
    parens: u32,
    /// The last break was a ':' and no word has followed it yet.
    after_colon: bool,
    /// Indexes in `out` of denying values right after a colon ("none").
    colon_values: Vec<usize>,
    /// Clauses that a comma began.
    comma_clauses: Vec<u32>,
    /// The word being read; one buffer for every word of the text, each
    /// word copied out at its own length (no buffer grown per word).
    current: String,
    last_kind: Kind,
}

impl Splitter {
    fn push(&mut self, c: char) {
        let kind_before = self.last_kind;
        if std::mem::take(&mut self.point_after_digit) && !c.is_ascii_digit() {
            self.clause += 1;
            self.sentence += 1;
            self.parens = 0;
        }
        if let Some(word) = (!c.is_ascii()).then(|| emoji_word(c)).flatten() {
            // "☀️ after microneedling = bad?": the emoji is the subject.
            self.flush();
            self.out.push(Word {
                text: word.to_string(),
                clause: self.clause,
                sentence: self.sentence,
                emoji: true,
                aside: self.parens > 0,
                listed: false,
            });
            self.last_kind = Kind::Other;
            return;
        }
        if is_pictograph(c) {
            // An emoji ends a clause, and a sentence when a new one starts
            // after it (decided at the next word).
            self.flush();
            self.after_pictograph = true;
            self.last_kind = Kind::Other;
            return;
        }
        let kind = if c.is_alphabetic() {
            Kind::Letter
        } else if c.is_numeric() {
            Kind::Digit
        } else {
            Kind::Other
        };
        match kind {
            Kind::Letter | Kind::Digit => {
                // "5mm" and "24hrs" are two words each.
                if kind != self.last_kind && !self.current.is_empty() {
                    self.flush();
                }
                if c.is_ascii() {
                    self.current.push(c.to_ascii_lowercase());
                } else {
                    self.current.extend(c.to_lowercase());
                }
            }
            Kind::Other => {
                if matches!(c, '\'' | '\u{2019}' | '\u{2018}' | '\u{02BC}')
                    && self.last_kind == Kind::Letter
                {
                    // "don't" -> "dont": an apostrophe inside a word joins it.
                    return;
                }
                self.flush();
                // A point between digits ("0.5mm", "38.9") ends no clause
                // or sentence: it is decided at the next character.
                if c == '.' && kind_before == Kind::Digit {
                    self.point_after_digit = true;
                    self.last_kind = Kind::Other;
                    return;
                }
                if is_clause_break(c) {
                    self.clause += 1;
                    self.after_colon = c == ':';
                    if c == ',' {
                        self.comma_clauses.push(self.clause);
                    }
                }
                match c {
                    '(' => self.parens += 1,
                    ')' => self.parens = self.parens.saturating_sub(1),
                    _ => {}
                }
                if matches!(c, '.' | '!' | '?' | '\n') {
                    // An unclosed "(" ends with its sentence.
                    self.parens = 0;
                    self.sentence += 1;
                }
            }
        }
        self.last_kind = kind;
    }

    fn flush(&mut self) {
        if self.current.is_empty() {
            return;
        }
        let word = shorten_runs(&self.current);
        self.current.clear();
        if std::mem::take(&mut self.after_colon) && COLON_VALUES.contains(&word.as_str()) {
            self.colon_values.push(self.out.len());
        }
        if std::mem::take(&mut self.after_pictograph) && !self.out.is_empty() {
            // "blistered my peppers under the grill 🌶️ anyway, how long…":
            // in chat an emoji often stands where a full stop would; in
            // "construction again 🔨🔨 kill me" what follows still goes on
            // with the same thought.
            self.clause += 1;
            if AFTER_PICTOGRAPH_STARTS.contains(&word.as_str()) {
                self.sentence += 1;
                self.parens = 0;
            }
        }
        if CLAUSE_WORDS.contains(&word.as_str()) {
            self.clause += 1;
        } else {
            self.out.push(Word {
                text: word,
                clause: self.clause,
                sentence: self.sentence,
                emoji: false,
                aside: self.parens > 0,
                listed: false,
            });
        }
    }
}

/// Emoji that stand for a word in chat ("☀️ after = bad?", "🩸 won't stop").
/// Faces and hearts carry tone, not a subject, and are dropped like any
/// other symbol.
const EMOJI_WORDS: &[(char, &str)] = &[
    ('☀', "sun"),
    ('🌞', "sun"),
    ('🌅', "sun"),
    ('🏖', "beach"),
    ('🩸', "blood"),
    ('🤒', "fever"),
    ('🌡', "temperature"),
    ('🤕', "hurt"),
    ('💉', "needle"),
    ('🪡', "needle"),
    // "🧴 after needling = better?": a bottle of lotion stands for the products
    ('🧴', "lotion"),
    ('🩹', "plaster"),
    ('🥵', "hot"),
    ('🔥', "burning"),
    ('🍅', "tomato"),
    ('🦞', "lobster"),
    ('🤧', "sneezing"),
    ('😵', "dizzy"),
    ('🤮', "vomit"),
    ('🤢', "nausea"),
    ('💊', "medicine"),
    // (Not money bags or flying notes: they tell a worry about money beside
    // a question on something else, "one session enough? 💸"; members who
    // ask a price write "how much" or "cost".)
    // Symptoms told in emoji ("my lips 👄➡️🎈", "👁️🔴💧 since the needling near my eye")
    ('👄', "lips"),
    ('🫦', "lips"),
    ('🎈', "swollen"),
    ('🫁', "breathing"),
    ('👁', "eye"),
    ('🔴', "red"),
    ('💧', "watering"),
    ('🦠', "infection"),
];

/// Words that start a new sentence after an emoji: a turn, a question or
/// the member speaking again ("🌶️ anyway, how long…", "lol 💀 can you…").
const AFTER_PICTOGRAPH_STARTS: &[&str] = &[
    "anyway",
    "anyways",
    "so",
    "also",
    "btw",
    "ok",
    "okay",
    "unrelated",
    "separate",
    "q",
    "question",
    "how",
    "what",
    "whats",
    "when",
    "where",
    "which",
    "why",
    "who",
    "can",
    "could",
    "does",
    "do",
    "did",
    "is",
    "are",
    "should",
    "will",
    "would",
    "i",
    "im",
    "ive",
    "my",
];

/// Whether `c` is a pictograph (emoji, symbols), not a letter or mark. The
/// one place that says which characters count as emoji, for the word
/// splitter here and for the question splitter (`engine::split`).
pub(crate) fn is_pictograph(c: char) -> bool {
    matches!(c as u32, 0x1F000..=0x1FAFF | 0x2600..=0x27BF)
}

fn emoji_word(c: char) -> Option<&'static str> {
    EMOJI_WORDS.iter().find(|(e, _)| *e == c).map(|(_, w)| *w)
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Letter,
    Digit,
    Other,
}

fn is_clause_break(c: char) -> bool {
    matches!(
        c,
        '.' | ',' | ';' | ':' | '!' | '?' | '(' | ')' | '\u{2014}' | '\u{2013}' | '\n' | '"'
    )
}

/// "sooo" -> "soo", "hurtttt" -> "hurtt": runs of three or more letters become two,
/// which fuzzy matching then maps to the real word. Digits are kept: "999" is
/// an emergency line, and "99" a price.
fn shorten_runs(word: &str) -> String {
    let bytes = word.as_bytes();
    if !bytes.windows(3).any(|w| w[0] == w[1] && w[1] == w[2]) {
        // No run of three equal bytes, so no run of three equal letters.
        return word.to_string();
    }
    let mut out = String::with_capacity(word.len());
    let mut prev = None;
    let mut run = 0;
    for c in word.chars() {
        if Some(c) == prev {
            run += 1;
        } else {
            run = 1;
            prev = Some(c);
        }
        if run <= 2 || c.is_ascii_digit() {
            out.push(c);
        }
    }
    out
}

/// Removes Discord mentions (`<@123>`, `<@!123>`, `<@&123>`, `<#123>`), custom
/// emoji (`<:name:123>`), timestamps (`<t:123:R>`), `@everyone`/`@here`, typed
/// `@handles`, links, and markdown marks, replacing each with a space. Text with none of them
/// (most messages) is returned as it is, without copying.
pub fn strip_discord_markup(text: &str) -> Cow<'_, str> {
    let special = |c: char| {
        matches!(c, '<' | '@' | '*' | '_' | '~' | '`' | '|' | '>' | '#' | '/')
            || (c.is_control() && c != '\n')
    };
    // Every link has a '/' or starts with "www."; every other mark is `special`.
    let has_www = text
        .as_bytes()
        .windows(4)
        .any(|w| w.eq_ignore_ascii_case(b"www."));
    if !has_www && !text.contains(special) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        if c == '<' {
            if let Some(end) = rest.find('>') {
                let inner = &rest[1..end];
                if is_discord_token(inner) {
                    out.push(' ');
                    rest = &rest[end + 1..];
                    continue;
                }
            }
        }
        if c == '@' {
            let after = &rest[1..];
            let word_end = after
                .find(|ch: char| !ch.is_alphanumeric())
                .unwrap_or(after.len());
            let word = &after[..word_end];
            if word.eq_ignore_ascii_case("everyone") || word.eq_ignore_ascii_case("here") {
                out.push(' ');
                rest = &after[word_end..];
                continue;
            }
            // "@Mod does it hurt", "@sam_88 same q": a reply names whom it
            // addresses, not what it asks, so the handle goes. An e-mail
            // address ("me@mail.com") has a word right before the '@'.
            let handle_end = after
                .find(|ch: char| !(ch.is_alphanumeric() || matches!(ch, '_' | '.')))
                .unwrap_or(after.len());
            let handle = after[..handle_end].trim_end_matches('.');
            let after_word = !out.chars().next_back().is_some_and(char::is_alphanumeric);
            if !handle.is_empty() && after_word {
                out.push(' ');
                rest = &after[handle.len()..];
                continue;
            }
        }
        if matches!(c, 'h' | 'H' | 'w' | 'W') && starts_link(rest) {
            let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
            out.push(' ');
            rest = &rest[end..];
            continue;
        }
        match c {
            '*' | '_' | '~' | '`' | '|' | '>' | '#' => out.push(' '),
            // Control characters carry no words.
            c if c.is_control() && c != '\n' => out.push(' '),
            c => out.push(c),
        }
        rest = &rest[c.len_utf8()..];
    }
    Cow::Owned(out)
}

fn starts_link(s: &str) -> bool {
    let starts = |p: &str| {
        s.as_bytes()
            .get(..p.len())
            .is_some_and(|h| h.eq_ignore_ascii_case(p.as_bytes()))
    };
    starts("http://") || starts("https://") || starts("www.")
}

fn is_discord_token(inner: &str) -> bool {
    if let Some(id) = inner
        .strip_prefix("@!")
        .or_else(|| inner.strip_prefix("@&"))
        .or_else(|| inner.strip_prefix('@'))
        .or_else(|| inner.strip_prefix('#'))
    {
        return is_number(id);
    }
    if let Some(rest) = inner.strip_prefix("a:").or_else(|| inner.strip_prefix(':')) {
        return rest.rsplit_once(':').is_some_and(|(_, id)| is_number(id));
    }
    if let Some(rest) = inner.strip_prefix("t:") {
        return is_number(rest.split(':').next().unwrap_or(""));
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(s: &str) -> Vec<String> {
        words(s).into_iter().map(|w| w.text).collect()
    }

    #[test]
    fn reads_not_equal_as_a_denial() {
        let texts: Vec<String> = words("redness ≠ infection")
            .into_iter()
            .map(|w| w.text)
            .collect();
        assert_eq!(texts, ["redness", "isnt", "infection"]);
    }

    #[test]
    fn cleans_case_punctuation_accents_and_apostrophes() {
        assert_eq!(
            texts("Doesn't it HURT?? Décolletage!"),
            ["doesnt", "it", "hurt", "decolletage"]
        );
    }

    #[test]
    fn strips_mentions_emoji_links_and_markdown() {
        assert_eq!(
            texts("<@123> hey @everyone **does** it <:ok:456> hurt https://x.y/z <#9> <@&7>"),
            ["hey", "does", "it", "hurt"]
        );
    }

    #[test]
    fn drops_the_handle_a_reply_addresses_but_keeps_e_mail_words() {
        assert_eq!(texts("@Mod does it hurt"), ["does", "it", "hurt"]);
        assert_eq!(texts("same q @sam_88. ok"), ["same", "q", "ok"]);
        assert_eq!(texts("me@mail.com"), ["me", "mail", "com"]);
    }

    #[test]
    fn a_decimal_point_ends_no_clause_and_parentheses_mark_an_aside() {
        let w = words("38.9 now. a (b, c) d");
        let clauses: Vec<u32> = w.iter().map(|w| w.clause).collect();
        assert_eq!(clauses[0], clauses[1], "38 and 9 share a clause");
        assert_ne!(
            clauses[2], clauses[3],
            "a full stop after a word still ends one"
        );
        let asides: Vec<bool> = w.iter().map(|w| w.aside).collect();
        assert_eq!(asides, [false, false, false, false, true, true, false]);
        let w = words("day 2. fine");
        assert_ne!(
            w[1].clause, w[2].clause,
            "a full stop after a number still ends one"
        );
        // An unclosed parenthesis ends with its sentence.
        let w = words("a (b. c");
        assert_eq!(
            w.iter().map(|w| w.aside).collect::<Vec<_>>(),
            [false, true, false]
        );
    }

    #[test]
    fn splits_numbers_from_letters() {
        assert_eq!(texts("0.5mm 24-48hrs"), ["0", "5", "mm", "24", "48", "hrs"]);
    }

    #[test]
    fn reads_a_lone_digit_inside_a_word_as_the_letter_it_looks_like() {
        assert_eq!(
            texts("ble3ding wont st0p, c0llagen"),
            ["bleeding", "wont", "stop", "collagen"]
        );
        // Numbers beside letters stay numbers.
        assert_eq!(
            texts("day3 5mm 24hrs b12"),
            ["day", "3", "5", "mm", "24", "hrs", "b", "12"]
        );
    }

    #[test]
    fn shortens_letter_runs() {
        assert_eq!(texts("sooooo reddd"), ["soo", "redd"]);
        // Digits are not stretched letters: "999" is no "99".
        assert_eq!(texts("rang 999 for $99"), ["rang", "999", "for", "99"]);
    }

    #[test]
    fn numbers_are_digits_only() {
        assert!(is_number("999") && is_number("61"));
        assert!(!is_number("") && !is_number("25yo") && !is_number("9am"));
    }

    #[test]
    fn zalgo_and_control_characters_vanish() {
        assert_eq!(
            texts("h\u{0335}\u{0321}u\u{0336}rt\u{0007}s"),
            ["hurt", "s"]
        );
    }

    #[test]
    fn sentences_end_at_stops_but_not_at_a_decimal_point() {
        let w = words("0.5mm or 1.5mm? Which one. Ok");
        let sentences: Vec<u32> = w.iter().map(|w| w.sentence).collect();
        // 0 5 mm or 1 5 mm | which one | ok
        assert_eq!(sentences, [0, 0, 0, 0, 0, 0, 0, 1, 1, 2]);
    }

    #[test]
    fn a_denying_value_after_a_colon_joins_its_label() {
        let w = words("fever: none\nredness: mild");
        let clause = |t: &str| w.iter().find(|w| w.text == t).map(|w| w.clause);
        assert_eq!(clause("fever"), clause("none"));
        assert_ne!(clause("redness"), clause("mild"));
    }

    #[test]
    fn a_list_denied_by_no_and_closed_by_or_is_one_clause() {
        let clause_of =
            |text: &str, t: &str| words(text).iter().find(|w| w.text == t).map(|w| w.clause);
        let text = "calmer now and there's no pain, swelling or fever";
        assert_eq!(clause_of(text, "no"), clause_of(text, "fever"));
        let text = "no pain, swelling, fever or anything worrying. red still";
        assert_eq!(clause_of(text, "no"), clause_of(text, "fever"));
        assert_eq!(clause_of(text, "no"), clause_of(text, "swelling"));
        assert_ne!(clause_of(text, "no"), clause_of(text, "red"));
        // "and" may add what is there; a long item is a clause of its own.
        let text = "no fever, swelling and pus";
        assert_ne!(clause_of(text, "no"), clause_of(text, "swelling"));
        let text = "no fever, the swelling keeps getting worse or bigger";
        assert_ne!(clause_of(text, "no"), clause_of(text, "swelling"));
        // A negated "have" opens a list too; its items are marked as listed.
        let text = "I don't have a fever, chills or any pus";
        assert_eq!(clause_of(text, "have"), clause_of(text, "pus"));
        let w = words(text);
        assert!(w.iter().filter(|w| w.text == "pus").all(|w| w.listed));
        assert!(w.iter().filter(|w| w.text == "fever").all(|w| !w.listed));
        // "have" alone opens nothing.
        let text = "I have a fever, chills or pus";
        assert_ne!(clause_of(text, "have"), clause_of(text, "pus"));
    }

    #[test]
    fn clause_breaks_at_punctuation_and_but() {
        let w = words("no fever, just red but fine");
        let clauses: Vec<u32> = w.iter().map(|w| w.clause).collect();
        assert_eq!(
            texts("no fever, just red but fine"),
            ["no", "fever", "red", "fine"]
        );
        assert_eq!(clauses[0], clauses[1]);
        assert_ne!(clauses[1], clauses[2]);
        assert_ne!(clauses[2], clauses[3]);
    }

    #[test]
    fn an_emoji_ends_a_clause_and_a_sentence_when_a_new_one_starts() {
        let w = words("blistered my peppers 🌶️ anyway how long");
        assert_ne!(w[2].sentence, w[3].sentence, "{w:?}");
        let w = words("construction again 🔨🔨 kill me");
        assert_eq!(w[1].sentence, w[2].sentence, "{w:?}");
        assert_ne!(w[1].clause, w[2].clause, "{w:?}");
    }

    #[test]
    fn only_tone_emoji_gives_no_words() {
        assert!(texts("🙃😩❤️").is_empty());
    }

    #[test]
    fn emoji_that_stand_for_a_word_become_that_word() {
        assert_eq!(
            texts("☀️ after microneedling = bad?"),
            ["sun", "after", "microneedling", "bad"]
        );
        assert_eq!(
            texts("will i look like a🦞"),
            ["will", "i", "look", "like", "a", "lobster"]
        );
    }

    #[test]
    fn stems_inflections_together() {
        assert_eq!(stem("scarring"), stem("scars"));
        assert_eq!(stem("wrinkles"), stem("wrinkle"));
    }
}
