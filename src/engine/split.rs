//! Splitting and capping a message before matching.

/// Cuts a message to at most `max` characters (on a character boundary).
pub fn cap(text: &str, max: usize) -> &str {
    match text.char_indices().nth(max) {
        Some((i, _)) => &text[..i],
        None => text,
    }
}

/// Words that start a question ("does it…", "hw long…").
const STARTERS: &[&str] = &[
    "how", "what", "whats", "does", "do", "is", "are", "can", "will", "why", "when", "should",
    "would", "could", "which", "where", "did", "hw", "wat", "wut", "wats", "hows", "whens",
    "wheres", "any", "anything", "shud", "cn", "r", "must", "shall",
];

/// Whether a word starts a question ("how", "does", "can"…).
pub(super) fn starts_question(word: &str) -> bool {
    is(word, STARTERS)
}

/// Words that start a question only right after a joiner ("is it natural +
/// who should I talk to first"): elsewhere "who" starts a relative clause
/// ("my husband, who is paying for it").
const JOINED_STARTERS: &[&str] = &["who"];

/// Words that announce the next question after a comma ("…, then separately, what is…").
const ANNOUNCERS: &[&str] = &[
    "separately",
    "secondly",
    "second",
    "then",
    "lastly",
    "finally",
    "also",
    "too",
    "btw",
    "additionally",
];

/// Words that announce questions before a colon ("two questions from a
/// busy mum of twins: does it hurt, and…").
const QUESTION_WORDS: &[&str] = &["question", "questions", "q", "qs", "query", "queries"];

/// A part without the announcement before its colon, when one names the
/// questions that follow ("quick q from a first-timer: does it hurt?"):
/// who asks says nothing about what is asked, and "twins" would pull the
/// part toward results that vary. Other colons ("re atrophic scarring:
/// proposed mechanism…") keep what they label.
pub(super) fn without_announcement(part: &str) -> &str {
    match part.split_once(':') {
        Some((before, after))
            if !after.trim().is_empty()
                && before.split_whitespace().any(|w| is(w, QUESTION_WORDS)) =>
        {
            after
        }
        _ => part,
    }
}

/// Words that join two questions ("does it hurt and how long…").
const JOINERS: &[&str] = &["and", "also", "plus", "n", "an"];

/// Whether a word's letters and digits ("what's" is "whats") are one of
/// `list`, compared without allocating.
/// The lists are short lowercase ASCII words, so the word is folded once
/// into a stack buffer and compared as bytes (this runs for every word of
/// every message).
fn is(w: &str, list: &[&str]) -> bool {
    let mut folded = [0u8; 16];
    let mut len = 0;
    for c in w.chars().filter(|c| c.is_alphanumeric()) {
        // A longer word or a non-ASCII letter is in none of the lists.
        if !c.is_ascii() || len == folded.len() {
            return false;
        }
        folded[len] = c.to_ascii_lowercase() as u8;
        len += 1;
    }
    list.iter().any(|s| s.as_bytes() == &folded[..len])
}

/// Titles and short forms whose full stop ends no sentence ("Dr. Pen",
/// "e.g. the cheeks").
const ABBREVIATIONS: &[&str] = &[
    "dr", "mr", "mrs", "ms", "st", "vs", "prof", "eg", "e.g", "ie", "i.e", "etc", "approx",
];

/// The sentences of `text`: cut at `?`, `!`, `;`, a line break, and a full
/// stop that neither follows a title ("Dr. Pen") nor stands between digits
/// ("0.5mm").
pub(super) fn sentences(text: &str) -> impl Iterator<Item = &str> {
    let mut start = 0;
    let mut cuts = text.char_indices().filter_map(move |(at, c)| {
        let cut = match c {
            '?' | '!' | ';' | '\n' => true,
            '.' => {
                let before = &text[..at];
                let word = before
                    .rsplit(|c: char| c.is_whitespace())
                    .next()
                    .unwrap_or("")
                    .trim_start_matches(|c: char| !c.is_alphanumeric());
                let digit_before = before.ends_with(|c: char| c.is_ascii_digit());
                let digit_after = text[at + 1..].starts_with(|c: char| c.is_ascii_digit());
                let title = ABBREVIATIONS.iter().any(|a| word.eq_ignore_ascii_case(a))
                    && text[at + 1..].starts_with(' ');
                !(title || (digit_before && digit_after))
            }
            _ => false,
        };
        cut.then_some(at)
    });
    std::iter::from_fn(move || {
        if start > text.len() {
            return None;
        }
        let end = cuts.next().unwrap_or(text.len());
        let piece = &text[start..end];
        start = end + 1;
        Some(piece)
    })
}

/// The words of `part`, each with its byte offset in `part`, so a cut
/// found at a word is a subslice of it.
fn words_at(part: &str) -> Vec<(usize, &str)> {
    part.split_whitespace()
        .map(|w| (w.as_ptr() as usize - part.as_ptr() as usize, w))
        .collect()
}

/// Splits a message into sentences; a sentence at a joiner ("and", "also",
/// "plus", "+", "&", "n", "/", an emoji, or after a comma a word like "then"
/// or "separately") when a new question starts there ("does it hurt + how long
/// is the redness?"); and a list at its markers ("1) … 2) …"). Members ask
/// two things in one message; each part is then matched on its own.
pub(super) fn split_questions(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    for sentence in sentences(text) {
        // Each word with its byte offset in the sentence (a subslice's offset).
        let words = words_at(sentence);
        let mut start = match words.first() {
            Some((at, first)) if list_marker(first) => at + first.len(),
            _ => 0,
        };
        for (i, pair) in words.windows(2).enumerate() {
            let (at, word) = pair[0];
            // "…, then separately, what is…": after a comma, a word that
            // announces the next question joins like "and".
            let after_comma = i > 0 && words[i - 1].1.ends_with(',');
            let joiner = is(word, JOINERS)
                || matches!(word, "+" | "&" | "/" | "&&" | "//")
                || is_emoji(word)
                || (after_comma && is(word, ANNOUNCERS));
            // "and, separately, will it…": words that only announce the next
            // question stand between the joiner and its starter. Looked for
            // only after a joiner: most words join nothing.
            let starter = || {
                words[i + 1..]
                    .iter()
                    .find(|(_, w)| !is(w, ANNOUNCERS))
                    .is_some_and(|(_, w)| is(w, STARTERS) || is(w, JOINED_STARTERS))
            };
            if joiner && at > start && starter() {
                out.push(&sentence[start..at]);
                start = at;
            }
            // "1) does it hurt 2) how long is the redness": each number starts
            // one, and the number itself is not part of the question.
            let (next_at, next) = pair[1];
            if list_marker(next) && next_at >= start {
                out.push(&sentence[start..next_at]);
                start = next_at + next.len();
            }
        }
        out.push(&sentence[start..]);
    }
    out.retain(|s| s.split_whitespace().count() >= 2);
    out
}

/// Longest question, in words, read as two things asked at once when it
/// joins them with one "and" or "or" ([`split_coordinated`]): a longer
/// message joins the parts of a story, not two subjects of one question.
const COORDINATED_WORDS: usize = 14;

/// Longest message, in words, whose one asking sentence is still read as
/// two things asked at once beside sentences that only tell (a short
/// remark, not a story).
pub(super) const COORDINATED_CHAT_WORDS: usize = 28;

/// Whether a word joins two things asked at once: "and", "&" or "+" (not
/// "or", which as often puts one question two ways).
pub(super) fn joins_two(word: &str) -> bool {
    is(word, &["and"]) || word == "&" || word == "+"
}

/// Word pairs an "and" binds into one expression, not two things asked:
/// "is it one and done?", "the pros and cons", "over and over".
const BOUND_BY_AND: &[(&str, &str)] = &[
    ("one", "done"),
    ("pros", "cons"),
    ("dos", "donts"),
    ("on", "off"),
    ("up", "down"),
    ("back", "forth"),
    ("now", "then"),
    ("here", "there"),
    ("over", "over"),
    ("again", "again"),
    ("trial", "error"),
    ("tried", "tested"),
    ("sick", "tired"),
    ("out", "about"),
    ("safe", "sound"),
    ("hit", "miss"),
    ("more", "more"),
];

/// Whether the "and" at `i` in `words` joins no two things: it binds a
/// fixed pair ([`BOUND_BY_AND`]), or tells what came next ("makes small
/// holes and then skin makes new collagen").
fn bound_by_and(words: &[(usize, &str)], i: usize) -> bool {
    let next = words.get(i + 1).map(|&(_, w)| w);
    if next.is_some_and(|w| is(w, &["then"])) {
        return true;
    }
    let (Some(prev), Some(next)) = (i.checked_sub(1).and_then(|j| words.get(j)), next) else {
        return false;
    };
    BOUND_BY_AND
        .iter()
        .any(|&(a, b)| is(prev.1, &[a]) && is(next, &[b]))
}

/// A short one-sentence question that asks about two things joined by one
/// "and", "&" or "+" (or, with none, one "or"): "does it help wrinkles AND acne
/// scars or is it one or the other?" gives the part before the joiner and
/// the part after, each matched on its own, so both things get their
/// answer. `None` when the message has several sentences, is long, or has
/// more than one such joiner.
pub(super) fn split_coordinated(text: &str) -> Option<[&str; 2]> {
    coordinated(text, true)
}

/// [`split_coordinated`] at an "and" (or "&", "+") only: beside a remark,
/// "will it work, or am I wasting money?" is one question put two ways.
pub(super) fn split_joined(text: &str) -> Option<[&str; 2]> {
    coordinated(text, false)
}

/// The two parts of a short question at its one joiner; `or_too` lets one
/// "or" be the joiner when there is no "and".
fn coordinated(text: &str, or_too: bool) -> Option<[&str; 2]> {
    let text = text.trim();
    let mut sentences = sentences(text).filter(|s| !s.trim().is_empty());
    let sentence = sentences.next()?;
    if sentences.next().is_some() {
        return None;
    }
    let words = words_at(sentence);
    if words.len() > COORDINATED_WORDS {
        return None;
    }
    // One "and" joins the two things whatever "or" follows ("wrinkles and
    // scars, or is it one or the other?"); with no "and", one "or" does.
    let ands: Vec<&(usize, &str)> = words
        .iter()
        .enumerate()
        .filter(|&(i, (_, w))| joins_two(w) && !bound_by_and(&words, i))
        .map(|(_, word)| word)
        .collect();
    let ors: Vec<&(usize, &str)> = words.iter().filter(|(_, w)| is(w, &["or"])).collect();
    let &(cut, joiner) = match (ands.as_slice(), ors.as_slice()) {
        ([one], _) => *one,
        ([], [one]) if or_too => *one,
        _ => return None,
    };
    if cut == 0 {
        return None;
    }
    let before = sentence[..cut].trim();
    let after = sentence[cut + joiner.len()..].trim();
    (!before.is_empty() && !after.is_empty()).then_some([before, after])
}

/// Words that make a sentence a request without a question word ("tell me
/// about downtime", "wondering if it helps scars", "any advice").
const REQUESTS: &[&str] = &[
    "tell",
    "explain",
    "explanation",
    "wondering",
    "wonder",
    "curious",
    "advice",
    "thoughts",
    "info",
    "pls",
    "please",
    "plz",
    "question",
    "q",
    // a question told as reported ("he asked me to find out whether it
    // can be used on the arms")
    "whether",
    // a formal request ("I would appreciate a clear description of…")
    "describe",
    "description",
];

/// The parts of [`split_questions`], each further cut at commas, colons and
/// dashes: "gym bro here, got rough skin on my back, can they do the back?"
/// is three clauses, the first telling who asks and the last asking.
pub(super) fn split_clauses(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    for part in split_questions(text) {
        let mut rest = part;
        while let Some(at) = rest.find([',', ':', '—', '–']).or_else(|| rest.find(" - ")) {
            out.push(&rest[..at]);
            let cut = rest[at..].chars().next().map_or(1, char::len_utf8);
            rest = &rest[at + cut..];
        }
        out.push(rest);
    }
    out.retain(|s| s.split_whitespace().count() >= 2);
    out
}

/// A clause this long, with no stop in it, may be a whole story told in
/// one breath, with the question at its end. (Counted per clause; [`RUN_ON_WORDS`]
/// counts a whole message without stops.)
const RUN_ON_CLAUSE_WORDS: usize = 25;

/// Words that open a question inside a run-on clause on their own ("…and
/// now i'm curious who was right what even is microneedling").
const RUN_ON_WH: &[&str] = &["how", "what", "whats", "why", "hw", "wat"];
/// Words that open a question inside a run-on clause when the next word is
/// one of [`RUN_ON_SUBJECTS`] ("…not surgery is microneedling that kind of
/// natural option", "…like do people actually notice a difference").
const RUN_ON_VERBS: &[&str] = &[
    "is", "does", "do", "can", "could", "would", "will", "should", "are", "did",
];
/// What the verbs of [`RUN_ON_VERBS`] ask about when they open a question.
const RUN_ON_SUBJECTS: &[&str] = &[
    "it",
    "microneedling",
    "needling",
    "that",
    "this",
    "there",
    "people",
    "you",
    "u",
    "someone",
    "anyone",
    "somebody",
    "anybody",
    "those",
    "these",
    "they",
    "she",
    "he",
    "we",
];
/// Request words ([`REQUESTS`]) that open what a member asks, cut from
/// the story before them ("…two women in the changing room were talking
/// about it and now i'm genuinely | curious who was right"). Not "whether"
/// or "please", which go on from what comes before ("trying to figure out
/// whether i can claim it on my tax return").
const ASKING_ALOUD: &[&str] = &["curious", "wondering", "wonder", "explain", "tell"];

/// Whom a member tells, not the bot: "I always tell them there's only so
/// much a concealer can do" tells what the member says to others; "tell
/// me" and "pls tell" still ask.
const TOLD_TO: &[&str] = &[
    "them",
    "him",
    "her",
    "people",
    "everyone",
    "everybody",
    "clients",
    "customers",
    "patients",
    "friends",
    "myself",
];

/// Whether `w`, with `next` after it, tells someone other than the bot
/// ([`TOLD_TO`]): "tell them", "tell people". ("tell" is the one form the
/// request lists hold.)
fn tells_others(w: &str, next: &str) -> bool {
    is(w, &["tell"]) && is(next, TOLD_TO)
}

/// Words that open a reason, which tells why the member asks ("…or does it
/// take a while because i need to plan my budget around it"). "since" also
/// opens a time ("red since the session"); either way what follows it tells.
const REASONS: &[&str] = &["because", "cause", "cos", "coz", "cuz", "bc", "since"];

/// A clause of [`split_clauses`] cut where a reason or a request ([`ASKING_ALOUD`]) starts
/// inside it ("but now i'm curious | because his skin looked good when we
/// went fishing"), and, when it is a run-on story ([`RUN_ON_CLAUSE_WORDS`] words
/// or more), where a question starts: told without stops, the story, the
/// question and the reason for asking are one clause, and a subject the
/// story names in passing ("a clinic near her flat", "my budget", "two
/// women in the changing room") would stand in the clause that asks.
/// A request word a denial stands before ("i can't tell if") is no cut: the
/// denial must stay with it ([`asks`]).
pub(super) fn split_run_on(clause: &str) -> Vec<&str> {
    let words = words_at(clause);
    let run_on = words.len() >= RUN_ON_CLAUSE_WORDS;
    let mut out = Vec::new();
    let mut start = 0;
    for k in 1..words.len() {
        let (at, w) = words[k];
        let next = words.get(k + 1).map_or("", |(_, n)| n);
        let prev = words[k - 1].1;
        // "how does it", "what is it": the verb goes on with the question
        // word before it.
        let verb_opens = is(w, RUN_ON_VERBS) && is(next, RUN_ON_SUBJECTS) && !is(prev, STARTERS);
        let opens = (run_on && (is(w, RUN_ON_WH) || verb_opens))
            || is(w, REASONS)
            || (is(w, ASKING_ALOUD) && !is(prev, DENIALS) && !tells_others(w, next));
        if opens && at > start {
            out.push(clause[start..at].trim_end());
            start = at;
        }
    }
    out.push(&clause[start..]);
    out
}

/// Whether any clause of `text` asks something ([`asks`]): "the line went
/// out the door" only tells.
pub(super) fn asks_anywhere(text: &str) -> bool {
    split_clauses(text)
        .into_iter()
        .any(|clause| asks(text, clause))
}

/// Whether `part`, a slice of `text` from [`split_questions`] or
/// [`split_clauses`], asks
/// something: a question mark ends it, a question word starts it (after any
/// joiner), or a word of request is in it. "I've had three sessions" only
/// tells.
pub(super) fn asks(text: &str, part: &str) -> bool {
    let rest = after(text, part);
    if rest.starts_with('?') {
        return true;
    }
    // "gym bro q: does it…", "quick question: …": the part before a colon
    // announces the question that follows it. A question that lists its
    // options after the colon still asks ("what's the best way to soothe
    // sunburn: aloe vera, after-sun, cold showers?").
    if let Some(options) = rest.strip_prefix(':') {
        return opens_with_starter(part) && runs_to_a_question_mark(options);
    }
    let words = || {
        part.split_whitespace()
            .filter(|w| w.chars().any(char::is_alphanumeric))
    };
    // "please be patient if I reply slowly", "pls excuse my english": a
    // courtesy asks nothing of the knowledge; "please explain" still asks.
    let nexts = || words().map(Some).skip(1).chain(std::iter::once(None));
    // A question reported from someone else ("she asked me at Christmas
    // whether it could smooth her crow's feet.") asks nothing itself when
    // the member's own question follows it: the member asks that one.
    // ("trying to figure out whether I need to budget for more" is the
    // member's own wondering: only a question someone asked is reported.)
    let reported = || {
        !runs_to_a_question_mark(rest)
            && rest.contains('?')
            && words().any(|w| is(w, &["asked", "asks", "asking"]))
    };
    let request = |(w, next): (&str, Option<&str>)| {
        let courtesy = is(w, PLEASE) && next.is_some_and(|n| is(n, COURTESIES));
        let to_others = next.is_some_and(|n| tells_others(w, n));
        let reported_whether = is(w, &["whether"]) && reported();
        is(w, REQUESTS) && !(courtesy || to_others || reported_whether)
    };
    let starts = opens_with_starter(part)
        && !wishes(part)
        && !relative(text, part)
        && !told_when(part)
        && !quoted_then_told(part)
        && (!goes_on_telling(part) || runs_to_a_question_mark(rest));
    // "i know collagen for joints lol but does needling make more of it":
    // a question can start after a turn inside the part.
    // A turn word after a determiner is a noun ("my gym bro does yoga"),
    // and a verb a negation follows tells ("bro could NOT explain it").
    let before_turn = std::iter::once(None).chain(words().map(Some));
    let turns = before_turn
        .zip(words())
        .zip(words().skip(1).zip(words().skip(2).map(Some).chain([None])))
        .any(|((prev, turn), (next, after))| {
            is(turn, TURNS)
                && is(next, QUESTION_VERBS)
                && !prev.is_some_and(|p| is(p, DETERMINERS) || is(p, TOLD_BY))
                && !after.is_some_and(|a| is(a, NEGATIONS))
        });
    // A request word anywhere asks ("pls explain", "wondering if…"), unless
    // it is denied ("I genuinely can't tell if they're the same thing"
    // tells what the member does not know).
    let prevs = std::iter::once(None).chain(words().map(Some));
    let asked = words()
        .zip(nexts())
        .zip(prevs)
        .any(|(pair, prev)| request(pair) && !prev.is_some_and(|p| is(p, DENIALS)));
    // "I just want to know if it's true that…, or is that salon talk?",
    // "I would like to know what is the procedure.": a wish to learn asks
    // in a sentence that ends as a question, or in a message that asks no
    // other way. After a question, a sentence of it only gives a reason
    // ("… just want to understand what I'd be paying for."). A long story
    // told without a stop (voice-to-text) is left to the whole message's
    // reading: cut at its wish, the asking clause loses what the story says.
    let to_learn = || {
        let run_on = !text.contains(['.', '?', '!', '\n'])
            && text.split_whitespace().count() >= RUN_ON_WORDS;
        !run_on
            && (!text.contains('?') || runs_to_a_question_mark(rest))
            && words()
                .zip(words().skip(1))
                .zip(words().skip(2).zip(words().skip(3).map(Some).chain([None])))
                .any(|((to, verb), (opener, after))| {
                    // An adverb may come between ("want to know roughly when…").
                    let opener = match after {
                        Some(a) if is_adverb(opener) => a,
                        _ => opener,
                    };
                    is(to, &["to"]) && is(verb, LEARN_VERBS) && is(opener, LEARN_OPENERS)
                })
    };
    starts || turns || asked || to_learn() || asks_who(text, part)
}

/// Whether `part` opens a sentence with "who" and runs to a question mark:
/// "Who do you reckon will win the league this season?" asks. After a
/// comma "who" opens a relative clause ("my sister, who had it done…"),
/// so it is no starter elsewhere.
fn asks_who(text: &str, part: &str) -> bool {
    let opens_sentence = before(text, part)
        .trim_end()
        .chars()
        .last()
        .is_none_or(|c| matches!(c, '.' | '!' | '?' | '\n'));
    opens_sentence
        && part
            .split_whitespace()
            .next()
            .is_some_and(|w| is(w, &["who", "whos", "whom"]))
        && runs_to_a_question_mark(after(text, part))
}

/// Whether a word reads as an adverb ("roughly", "exactly"): letters
/// ending in "ly".
fn is_adverb(word: &str) -> bool {
    let w = word.trim_matches(|c: char| !c.is_alphanumeric());
    w.len() > 3 && w.ends_with("ly") && w.chars().all(|c| c.is_ascii_alphabetic())
}

/// The verbs of a wish to learn after "to" ("want to know", "like to find
/// out"), and the words that open what is to be learnt after them.
const LEARN_VERBS: &[&str] = &["know", "find", "understand", "learn"];
const LEARN_OPENERS: &[&str] = &[
    "if", "whether", "what", "how", "why", "when", "which", "out",
];

/// Whether `part` opens with a question word, after any joiner. "do not
/// get in a car with her" is an order, not a question ("do" then "not").
fn opens_with_starter(part: &str) -> bool {
    let mut words = part
        .split_whitespace()
        .filter(|w| w.chars().any(char::is_alphanumeric))
        .skip_while(|w| is(w, JOINERS) || is(w, ANNOUNCERS));
    match (words.next(), words.next()) {
        (Some(w), next) => {
            is(w, STARTERS) && !(is(w, &["do"]) && next.is_some_and(|n| is(n, &["not"])))
        }
        (None, _) => false,
    }
}

/// Whether `part` goes on with the subject of the clause before it, after
/// a joiner, an auxiliary and a verb or an adverb, so no question opens:
/// "my friend has a slot… and is offering it to me half price". A question
/// puts its subject after the auxiliary ("… and is it normal"); unmarked
/// by a question mark, the telling reading wins.
fn goes_on_telling(part: &str) -> bool {
    const AUX: &[&str] = &[
        "is", "are", "was", "were", "has", "have", "had", "does", "do", "did", "can", "will",
        "would", "could", "should",
    ];
    const ADVERBS: &[&str] = &[
        "been", "being", "now", "still", "always", "just", "really", "very", "so", "quite",
        "super", "also", "not", "never", "totally", "already", "actually", "even",
    ];
    let mut words = part
        .split_whitespace()
        .filter(|w| w.chars().any(char::is_alphanumeric));
    let (Some(joiner), Some(aux), Some(next)) = (words.next(), words.next(), words.next()) else {
        return false;
    };
    let verb = next.len() > 4 && (next.ends_with("ing") || next.ends_with("ed"));
    // "… and do a spin class on Saturdays": "do" with its object is the
    // verb itself; a question puts a subject there ("and do you…").
    const OBJECTS: &[&str] = &["a", "an", "the", "some", "my", "our", "his", "her", "their"];
    let done = is(aux, &["do", "does", "did"]) && is(next, OBJECTS);
    is(joiner, JOINERS) && is(aux, AUX) && (verb || done || is(next, ADVERBS))
}

/// Whether the rest of a sentence runs to a question mark (after a colon,
/// options listed: "aloe vera, after-sun, cold showers?") rather than to
/// another stop or a new line.
fn runs_to_a_question_mark(rest: &str) -> bool {
    rest.find(['.', '!', '?', '\n'])
        .is_some_and(|at| rest[at..].starts_with('?'))
}

/// Whether `part`, unmarked by a question mark, is a relative clause that
/// goes on from the sentence before a comma or a bracket: "I wear long
/// sleeves, which my sister teases me about" tells; "which" opens no
/// question there. Only when the word after it is one a relative clause
/// goes on with (a subject or a verb), so "…, which areas can it treat"
/// still asks.
fn relative(text: &str, part: &str) -> bool {
    const PRONOUNS: &[&str] = &["which", "who", "whose", "where", "when"];
    const GOES_ON: &[&str] = &[
        "my", "i", "im", "ive", "me", "he", "she", "they", "we", "his", "her", "their", "our",
        "is", "was", "were", "has", "had", "makes", "made", "means", "meant", "gave", "left",
    ];
    // "…, which feels deeply unfair given how much I spend": a verb that
    // tells how something felt or seemed goes on from the sentence too.
    const TELLING_VERBS: &[&str] = &[
        "suits",
        "suited",
        "feels",
        "felt",
        "seems",
        "seemed",
        "sounds",
        "sounded",
        "caused",
        "led",
        "annoys",
        "bothers",
        "worries",
        "worried",
        "surprised",
        "drives",
    ];
    // "…the costumes, which are quite revealing this season.": "are" goes
    // on from the sentence too, unless the sentence asks ("…, which are
    // the best areas?").
    const GOES_ON_UNMARKED: &[&str] = &["are", "have", "cost", "costs", "took", "takes", "got"];
    if !before(text, part).trim_end().ends_with([',', '(']) {
        return false;
    }
    let unmarked = !runs_to_a_question_mark(after(text, part));
    let mut words = part
        .split_whitespace()
        .filter(|w| w.chars().any(char::is_alphanumeric));
    matches!(
        (words.next(), words.next()),
        (Some(w), Some(next)) if is(w, PRONOUNS)
            && (is(next, GOES_ON)
                || is(next, TELLING_VERBS)
                || (unmarked && is(next, GOES_ON_UNMARKED)))
    )
}

/// Whether `part` opens with a quotation that closes before words of the
/// member's own: "'why would u stab ur own face' we argued about it for
/// 20 mins" reports someone's question, and asks nothing itself.
fn quoted_then_told(part: &str) -> bool {
    let part = part.trim_start();
    let Some(open) = part.chars().next() else {
        return false;
    };
    let close = match open {
        '\'' => '\'',
        '"' => '"',
        '‘' => '’',
        '“' => '”',
        _ => return false,
    };
    let inner = &part[open.len_utf8()..];
    // A closing mark followed by a space or the end: an apostrophe inside a
    // word ("ur own face's") closes nothing.
    let end = inner.char_indices().find(|&(at, c)| {
        c == close
            && inner[at + c.len_utf8()..]
                .chars()
                .next()
                .is_none_or(|n| n.is_whitespace() || n.is_ascii_punctuation())
    });
    end.is_some_and(|(at, c)| {
        inner[at + c.len_utf8()..]
            .split_whitespace()
            .filter(|w| w.chars().any(char::is_alphanumeric))
            .nth(1)
            .is_some()
    })
}

/// Whether `part` opens with a time told in the past ("when I was 9 I fell
/// off a trampoline", "when my son was born"): "when", a subject (a
/// pronoun, or a possessive and one noun) and a past verb. "when can I…"
/// and "when I wash my face after, …" (present) still ask.
fn told_when(part: &str) -> bool {
    const SUBJECTS: &[&str] = &["i", "we", "he", "she", "they", "you", "u"];
    const POSSESSIVES: &[&str] = &["my", "our", "his", "her", "their", "your"];
    const PAST: &[&str] = &[
        "was", "were", "had", "got", "went", "came", "moved", "lived", "started", "turned", "fell",
        "broke", "used", "left", "finished", "first", "did", "met", "worked", "tried",
    ];
    let mut words = part
        .split_whitespace()
        .filter(|w| w.chars().any(char::is_alphanumeric))
        .skip_while(|w| is(w, JOINERS));
    let (Some(when), Some(subject), Some(next), after) =
        (words.next(), words.next(), words.next(), words.next())
    else {
        return false;
    };
    is(when, &["when"])
        && ((is(subject, SUBJECTS) && is(next, PAST))
            || (is(subject, POSSESSIVES) && after.is_some_and(|a| is(a, PAST))))
}

/// Words right before a request word that deny it ("can't tell if", "never
/// wondered").
const DENIALS: &[&str] = &[
    "cant",
    "cannot",
    "couldnt",
    "dont",
    "didnt",
    "never",
    "not",
    // the member's own choice still to make ("before I decide whether to
    // take a few days off") asks nothing of the knowledge
    "decide",
    "deciding",
    "choose",
    "choosing",
    "debating",
    "weighing",
    // "I can't tell whether they're the same": "tell" is already denied
    "tell",
    // a debate told ("we once argued for 40 mins about whether the toaster
    // dial does anything"), not a question put to the knowledge
    "about",
    "over",
    "argued",
    "arguing",
    "debated",
    "disagreed",
    "bickering",
];

/// Whether `part`, unmarked by a question mark, opens with a wish ("would
/// love to fix these before summer", "would be nice not to be asked about
/// my face every week"): "would" starts it as it starts a question, but a
/// wish asks nothing unless it asks to learn something ("would love to
/// know if it works on necks").
fn wishes(part: &str) -> bool {
    // After any joiner: "I am 58 and would like to soften my wrinkles"
    // wishes as much as "would like to soften" does.
    let mut words = part
        .split_whitespace()
        .filter(|w| w.chars().any(char::is_alphanumeric))
        .skip_while(|w| is(w, JOINERS));
    let opens = matches!(
        (words.next(), words.next()),
        (Some(w), Some(v)) if is(w, &["would", "wouldnt"]) && is(v, WISH_VERBS)
    );
    opens && !words.any(|w| is(w, TO_LEARN))
}

/// The words after "would" that open a wish ([`wishes`]).
const WISH_VERBS: &[&str] = &["love", "be", "hate", "like", "prefer", "rather"];
/// Words by which a wish asks to learn something after all.
const TO_LEARN: &[&str] = &[
    "know",
    "hear",
    "understand",
    "learn",
    "explain",
    "tell",
    "find",
    "advice",
    "anyone",
    "someone",
    "somebody",
    "whether",
];

/// The request words that are also courtesies ([`COURTESIES`]).
const PLEASE: &[&str] = &["please", "pls", "plz"];
/// Words after which "please" asks for patience or pardon, not for an answer.
const COURTESIES: &[&str] = &[
    "be", "bear", "excuse", "forgive", "pardon", "ignore", "dont", "mind",
];

/// Words that open a question no telling opens ("how many days before…",
/// "should I stop…"), unlike "did" or "do" ("did a leg wax once and cried").
const WH_STARTERS: &[&str] = &[
    "how", "what", "whats", "when", "which", "why", "where", "should", "hw", "wat", "whens",
];

/// Whether `part` opens with a question word no telling opens with.
pub(super) fn opens_wh_question(part: &str) -> bool {
    part.split_whitespace()
        .next()
        .is_some_and(|w| is(w, WH_STARTERS))
}

/// Whether the sentence that `part` (a slice of `text`) belongs to runs
/// on to a question mark: "Is season three worth watching" in "Is season three
/// worth watching, or does it go downhill?".
pub(super) fn in_a_question(text: &str, part: &str) -> bool {
    runs_to_a_question_mark(after(text, part))
}

/// The sentence of `text` that holds `part` (a slice of it): from the
/// stop before it to the stop after it. `part` itself when it is not a
/// slice of `text`.
pub(super) fn sentence_of<'t>(text: &'t str, part: &'t str) -> &'t str {
    let Some(end) = sentence_end(text, part) else {
        return part;
    };
    let start = before(text, part).rfind(STOPS).map_or(0, |at| at + 1);
    text.get(start..end).unwrap_or(part)
}

/// `part`, a slice of `text`, with the rest of its sentence after it:
/// "What should we see" of "What should we see and do in Lisbon?" runs to
/// "… in Lisbon". `part` itself when it is not a slice of `text`.
pub(super) fn to_sentence_end<'t>(text: &'t str, part: &'t str) -> &'t str {
    let Some(end) = sentence_end(text, part) else {
        return part;
    };
    text.get(before(text, part).len()..end).unwrap_or(part)
}

/// Where the sentence of `part`, a slice of `text`, ends: at the first stop
/// after it, or at the end of the text. `None` when `part` is not a slice
/// of `text`.
fn sentence_end(text: &str, part: &str) -> Option<usize> {
    if before(text, part).is_empty() && !std::ptr::eq(text.as_ptr(), part.as_ptr()) {
        return None;
    }
    let tail = after(text, part);
    Some(text.len() - tail.len() + tail.find(STOPS).unwrap_or(tail.len()))
}

/// What ends a sentence for [`sentence_of`].
const STOPS: [char; 4] = ['.', '?', '!', '\n'];

/// Whether `sentence`, a slice of `text` from [`sentence_of`], is all of
/// it but the stops and spaces at its end: the text has one sentence.
pub(super) fn is_whole(text: &str, sentence: &str) -> bool {
    std::ptr::eq(text.as_ptr(), sentence.as_ptr())
        && text.get(sentence.len()..).is_some_and(|rest| {
            rest.chars()
                .all(|c| STOPS.contains(&c) || c.is_whitespace())
        })
}

/// Whether `part`, a slice of `text`, ends its sentence: a stop or the
/// end of the text follows it, not a joiner or a comma.
pub(super) fn ends_a_sentence(text: &str, part: &str) -> bool {
    after(text, part)
        .trim_start()
        .chars()
        .next()
        .is_none_or(|c| matches!(c, '.' | '?' | '!' | '\n'))
}

/// Whether `part`, a slice of `text`, ends at a question mark.
pub(super) fn question_marked(text: &str, part: &str) -> bool {
    after(text, part).starts_with('?')
}

/// What comes before `part` in `text`; empty when `part` is not a slice of it.
fn before<'t>(text: &'t str, part: &str) -> &'t str {
    let start = (part.as_ptr() as usize).checked_sub(text.as_ptr() as usize);
    start.and_then(|at| text.get(..at)).unwrap_or("")
}

/// What follows `part` in `text`; empty when `part` is not a slice of it.
fn after<'t>(text: &'t str, part: &str) -> &'t str {
    let end = (part.as_ptr() as usize + part.len()).checked_sub(text.as_ptr() as usize);
    end.and_then(|at| text.get(at..)).unwrap_or("")
}

/// How many words make a message without a stop a run-on story told in one
/// breath (voice-to-text): [`asks`] leaves its wishes to learn to the whole
/// message's reading, and triage reads the subjects it names in spans.
pub(super) const RUN_ON_WORDS: usize = 40;

/// Words after which a new question may start inside a clause.
/// Interjections and forms of address count too: "yo what even is it bro",
/// "bro is it gonna hurt" ask after them.
const TURNS: &[&str] = &[
    "but",
    "so",
    "anyway",
    "lol",
    "tbh",
    "honestly",
    "just",
    "yo",
    "hey",
    "ok",
    "okay",
    "bro",
    "um",
    "umm",
    "hmm",
    "well",
    "sorry",
    "guys",
    "dude",
    "hi",
    "hello",
    "mate",
    "sis",
    "babe",
    "folks",
    "yeah",
    "ya",
    "seriously",
    "srsly",
    "q",
    "question",
];

/// Words before which a turn word ([`TURNS`]) is a noun: "my bro", "the guys".
const DETERMINERS: &[&str] = &[
    "my", "your", "his", "her", "our", "their", "the", "a", "gym", "this", "that",
];
/// Subjects after which a turn word is an adverb of what they tell: "I
/// just do a lazy lane swim", "we honestly did", "it's just how it is".
const TOLD_BY: &[&str] = &["i", "we", "he", "she", "they", "its", "thats"];

/// Words after a question verb that make it tell ("could not", "does never").
const NEGATIONS: &[&str] = &["not", "never"];
/// Words that start a yes/no or wh- question after a [`TURNS`] word (not
/// "so I", "but it").
const QUESTION_VERBS: &[&str] = &[
    "does", "do", "is", "are", "can", "will", "would", "could", "should", "did", "how", "what",
    "why", "when", "which",
];

/// Whether a word is only emoji: in chat one often stands where a full stop
/// would ("student budget here 🥲 how many sessions…").
fn is_emoji(word: &str) -> bool {
    word.chars().any(crate::text::is_pictograph) && !word.chars().any(char::is_alphanumeric)
}

/// A list item's marker: "2)", "(2)", "b)".
fn list_marker(word: &str) -> bool {
    // "Q1 how many… Q2 why…", "q2:"
    let q = word.trim_end_matches([':', ')', '.']);
    if let Some(n) = q.strip_prefix(['q', 'Q']) {
        if !n.is_empty() && n.len() <= 2 && n.chars().all(|c| c.is_ascii_digit()) {
            return true;
        }
    }
    let inner = word.strip_prefix('(').unwrap_or(word);
    let Some(body) = inner.strip_suffix(')') else {
        return false;
    };
    (!body.is_empty() && body.len() <= 2 && body.chars().all(|c| c.is_ascii_digit()))
        || matches!(body, "a" | "b" | "c" | "d")
}

/// The question after a story's "but" ("my aunt had a bad reaction to a
/// laser so I'm wary, but how many sessions do people need?"): the words
/// after the last " but " when they start a question and end the message
/// with a question mark, and the words before it ask nothing (no question
/// mark, no question word first). A question that points back into the
/// story ("but what does that mean?") is not cut off from it.
pub(super) fn after_story_but(text: &str) -> Option<&str> {
    let body = text.trim_end();
    if !body.ends_with('?') {
        return None;
    }
    after_turn(body, &[" but ", " But ", " BUT "])
}

/// The question after the "anyway" that closes a story ("my cat knocked my
/// skincare shelf over, rip. anyway are the results the same for everyone
/// or does age matter"), read as [`after_story_but`] reads a "but", with
/// or without its question mark, when it is one sentence that ends the
/// message: "… Anyway, how's everyone's week going? what have I missed?"
/// goes on chatting. The caller checks that it asks of the domain: "…
/// team meeting was a car crash. anyway how do you lot unwind" does not.
pub(super) fn after_story_anyway(text: &str) -> Option<&str> {
    let body = text.trim_end();
    let asked = after_turn(
        body,
        &[
            " anyway ",
            " Anyway ",
            " anyway, ",
            " Anyway, ",
            " anyways ",
            " anyways, ",
        ],
    )?;
    (!asked.trim_end_matches('?').contains(['.', '!', '?', '\n'])).then_some(asked)
}

/// The words after the last of `turns` in `body`, when they start a
/// question of three words or more that does not point back into the story,
/// and the words before the turn ask nothing.
fn after_turn<'t>(body: &'t str, turns: &[&str]) -> Option<&'t str> {
    // The last turn in any case, found without allocating.
    let (at, len) = turns
        .iter()
        .filter_map(|t| body.rfind(t).map(|at| (at, t.len())))
        .max()?;
    let (before, after) = (&body[..at], &body[at + len..]);
    if before.contains('?') {
        return None;
    }
    let starts_asking = |s: &str| s.split_whitespace().next().is_some_and(|w| is(w, STARTERS));
    if starts_asking(before) || !starts_asking(after) || after.split_whitespace().count() < 3 {
        return None;
    }
    let points_back = after.split_whitespace().any(|w| {
        is(
            w,
            &["that", "this", "these", "those", "them", "thats", "such"],
        )
    });
    (!points_back).then_some(after)
}

/// The part of `text` after the first of `markers` ("my question is",
/// "real question"), when at least two words follow it and something comes
/// before it: the story told first is context, and what follows is what is
/// asked. Markers are cleaned word sequences; the text's words are compared
/// cleaned the same way (lowercase, letters and digits only).
pub(super) fn after_ask_marker<'t>(text: &'t str, markers: &[Vec<String>]) -> Option<&'t str> {
    // Compared without allocating: this runs on every message. Most chat
    // words are ASCII, compared byte by byte without Unicode case tables.
    let same = |w: &str, m: &str| {
        if w.is_ascii() {
            w.bytes()
                .filter(u8::is_ascii_alphanumeric)
                .map(|b| b.to_ascii_lowercase())
                .eq(m.bytes())
        } else {
            w.chars()
                .filter(|c| c.is_alphanumeric())
                .flat_map(char::to_lowercase)
                .eq(m.chars())
        }
    };
    let first = |w: &str| {
        if w.is_ascii() {
            w.bytes()
                .find(u8::is_ascii_alphanumeric)
                .map(|b| char::from(b.to_ascii_lowercase()))
        } else {
            w.chars()
                .find(|c| c.is_alphanumeric())
                .and_then(|c| c.to_lowercase().next())
        }
    };
    // Each marker's first letter, once: most words start no marker, and
    // are passed over after one comparison per marker.
    let initials: Vec<Option<char>> = markers
        .iter()
        .map(|m| m.first().and_then(|m| m.chars().next()))
        .collect();
    let words: Vec<&str> = text.split_whitespace().collect();
    for start in 1..words.len() {
        let initial = first(words[start]);
        if !initials.contains(&initial) {
            continue;
        }
        for (marker, &marker_initial) in markers.iter().zip(&initials) {
            let end = start + marker.len();
            if end < words.len()
                && marker_initial == initial
                && words[start..end]
                    .iter()
                    .zip(marker)
                    .all(|(w, m)| same(w, m))
            {
                let at = words[end].as_ptr() as usize - text.as_ptr() as usize;
                let rest = &text[at..];
                if rest.split_whitespace().count() >= 2 {
                    return Some(rest);
                }
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_run_on_story_is_cut_where_its_question_and_its_reason_start() {
        let story = "im a broke student so i can only afford one or two sessions this year \
                     after rent and textbooks like do people actually notice a difference \
                     after one session or does it take a while because i need to plan my budget";
        let parts = split_run_on(story);
        assert_eq!(parts.len(), 4, "{parts:?}");
        assert!(parts[0].starts_with("im a broke student") && parts[0].ends_with("like"));
        assert!(parts[1].starts_with("do people actually notice"));
        assert!(parts[2].starts_with("does it take a while"));
        assert_eq!(parts[3], "because i need to plan my budget");
        // Each part is a slice of the clause, so `asks` can see what follows it.
        assert!(parts.iter().all(|p| story.contains(p)));
        // A question word and its verb stay together.
        let story = "my mum had it done for her birthday and now she sends me before and after \
                     pics every single day and i want to try it too so how does microneedling \
                     actually work what is it doing under there";
        let parts = split_run_on(story);
        assert_eq!(
            parts[1..],
            [
                "how does microneedling actually work",
                "what is it doing under there"
            ]
        );
        // "is" or "do" that tells ("she is getting married", "i do yoga") cuts nothing.
        let told = "my sister is getting married in june and i do yoga every day and the \
                    bridesmaids are all booked in at a clinic near her flat for the whole day";
        assert_eq!(split_run_on(told), vec![told]);
        // A short clause is cut only where a reason or a request starts.
        assert_eq!(
            split_run_on("so does it hurt or is it fine"),
            vec!["so does it hurt or is it fine"]
        );
        assert_eq!(
            split_run_on("but now im curious because we went fishing"),
            vec!["but now im", "curious", "because we went fishing"]
        );
        // A denied request stays with its denial.
        assert_eq!(
            split_run_on("i honestly cant tell if they are the same"),
            vec!["i honestly cant tell if they are the same"]
        );
    }

    #[test]
    fn a_turn_word_that_is_a_noun_or_a_denied_verb_asks_nothing() {
        let told = "bro could NOT explain it at all he just kept saying tiny holes dude";
        assert!(!asks(told, told));
        let told = "my gym bro does yoga every morning";
        assert!(!asks(told, told));
        let asked = "ok but does it hurt";
        assert!(asks(asked, asked));
        let asked = "lol bro does it hurt";
        assert!(asks(asked, asked));
    }

    #[test]
    fn a_debate_told_with_whether_asks_nothing() {
        let told = "we argued for ages about whether the toaster dial does anything";
        assert!(!asks(told, told));
        let asked = "my husband asked me to find out whether it works on arms";
        assert!(asks(asked, asked));
    }

    /// `part` as a slice of `text`, as the splitter hands parts to `asks`.
    fn within<'t>(text: &'t str, part: &str) -> &'t str {
        let at = text.find(part).expect("part of the text");
        &text[at..at + part.len()]
    }

    #[test]
    fn a_time_told_a_quoted_question_and_an_adverb_ask_nothing() {
        for told in [
            "when I was 9 I fell off a trampoline and split my chin open",
            "and when my son was born we moved house",
            "'why would u stab ur own face' we argued about it for 20 mins",
            "Now I just do a lazy lane swim on Sundays",
            "it's just how it is",
        ] {
            assert!(!asks(told, told), "{told}");
        }
        let text = "I cycle to work every day and do a spin class on Saturdays.";
        assert!(!asks(
            text,
            within(text, "and do a spin class on Saturdays")
        ));
        for asked in [
            "when can I wear makeup again",
            "when I wash my face after should I use warm water",
            "ok just does it hurt",
        ] {
            assert!(asks(asked, asked), "{asked}");
        }
    }

    #[test]
    fn a_parts_sentence_runs_from_stop_to_stop() {
        let text = "Had it done Monday. What's a good lasagne recipe, and can I layer the sheets dry? Thanks";
        let part = within(text, " and can I layer the sheets dry");
        assert_eq!(
            sentence_of(text, part),
            " What's a good lasagne recipe, and can I layer the sheets dry"
        );
        let part = within(text, "Had it done Monday");
        assert_eq!(sentence_of(text, part), "Had it done Monday");
        assert_eq!(sentence_of(text, "not a slice"), "not a slice");
        assert!(!is_whole(text, sentence_of(text, part)));
        assert!(ends_a_sentence(text, part));
        let trip = "Lovely city. What should we see and do in Lisbon? Thanks";
        let part = within(trip, " What should we see");
        assert_eq!(
            to_sentence_end(trip, part),
            " What should we see and do in Lisbon"
        );
        assert_eq!(to_sentence_end(trip, "not a slice"), "not a slice");
        let one = "what's a good lasagne recipe, and can I layer the sheets dry?! ";
        assert!(is_whole(
            one,
            sentence_of(one, within(one, " and can I layer"))
        ));
        let text = "who's right?? settle this, and what temperature and how long?";
        assert!(ends_a_sentence(text, within(text, "who's right")));
        assert!(!ends_a_sentence(text, within(text, "what temperature")));
    }

    #[test]
    fn a_verb_going_on_after_and_tells() {
        let text =
            "My friend has a slot on Monday and is offering it to me half price. Is it red after?";
        let part = within(text, " and is offering it to me half price");
        assert!(!asks(text, part));
        let text = "my face is swollen and is still red?";
        let part = within(text, " and is still red");
        assert!(asks(text, part));
        let text = "I booked a session and is it normal to be nervous";
        let part = within(text, " and is it normal to be nervous");
        assert!(asks(text, part));
    }

    #[test]
    fn an_order_a_relative_clause_a_reported_question_and_telling_others_ask_nothing() {
        // "do not" gives an order
        let text = "My nan (lovely, do not cross her) wants it. Does it hurt?";
        assert!(!asks(text, within(text, " do not cross her)")));
        let text = "Do not people feel it?";
        assert!(asks(text, within(text, "Do not people feel it")));
        // "which are" goes on from the sentence, unless the sentence asks
        let text = "Her arms show because of the outfits, which are sleeveless this season. Can it do arms?";
        assert!(!asks(
            text,
            within(text, " which are sleeveless this season")
        ));
        let text = "It treats some areas, which are the best for scars, and how long does it take?";
        assert!(asks(text, within(text, " which are the best for scars")));
        // a question someone asked, before the member's own
        let text = "My aunt asked me whether it could smooth her lines before the party. Does it help wrinkles?";
        let part = within(
            text,
            "My aunt asked me whether it could smooth her lines before the party",
        );
        assert!(!asks(text, part));
        let text =
            "I'm trying to figure out whether I need more sessions. How long do results last?";
        let part = within(
            text,
            "I'm trying to figure out whether I need more sessions",
        );
        assert!(asks(text, part), "the member's own wondering");
        // telling others, not asking the bot
        let text =
            "I always tell them there's only so much concealer can do. What does it do for scars?";
        assert!(!asks(
            text,
            within(
                text,
                "I always tell them there's only so much concealer can do"
            )
        ));
        let text = "pls tell me about downtime";
        assert!(asks(text, text));
    }

    #[test]
    fn who_opening_a_question_asks_and_after_a_comma_tells() {
        let text = "Rough weekend. Who do you reckon will win the league this season?";
        let part = within(text, " Who do you reckon will win the league this season");
        assert!(asks(text, part));
        let text = "My sister, who had it done last year, loved it.";
        let part = within(text, " who had it done last year");
        assert!(!asks(text, part));
    }

    #[test]
    fn word_lists_fit_the_folded_comparison() {
        for w in [
            STARTERS,
            ANNOUNCERS,
            JOINERS,
            REQUESTS,
            TURNS,
            QUESTION_VERBS,
            PLEASE,
            COURTESIES,
            QUESTION_WORDS,
            WISH_VERBS,
            TO_LEARN,
            DENIALS,
            RUN_ON_WH,
            RUN_ON_VERBS,
            RUN_ON_SUBJECTS,
            REASONS,
            ASKING_ALOUD,
            DETERMINERS,
            NEGATIONS,
        ]
        .concat()
        {
            assert!(w.len() <= 16, "{w} is longer than is() folds");
            assert!(
                w.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit()),
                "{w} is not lowercase ASCII letters and digits"
            );
        }
        assert!(is("What's", STARTERS));
        assert!(is("HOW", STARTERS));
        assert!(!is("howdy", STARTERS));
        assert!(!is("hów", STARTERS));
        assert!(!is("", STARTERS));
        assert!(!is("additionallyadditionally", ANNOUNCERS));
    }

    #[test]
    fn a_wish_asks_nothing_unless_it_asks_to_learn() {
        // `part` is a slice of the text, as the splitters give it.
        let asked = |t: &str| asks(t, &t[..t.len() - 1]);
        assert!(!asked("Would love to fix these before summer."));
        assert!(!asked(
            "Would be nice not to be asked about my face every week."
        ));
        assert!(asked("Would love to know if it works on necks."));
        // After a joiner too ("I am 58 and would like to…" as a clause).
        assert!(!asked(
            "and would like to soften my wrinkles before spring."
        ));
        assert!(asked("and would like to know if it helps wrinkles."));
        // Marked by a question mark, or not a wish, it still asks.
        assert!(asked("Would be ok to go out?"));
        assert!(asked("would it help my scars."));
        // A denied request word asks nothing either.
        assert!(!asked("I genuinely can't tell if they're the same thing."));
        assert!(asked("pls tell me if they're the same thing."));
    }

    #[test]
    fn a_wish_to_learn_asks() {
        let t = "I just want to know if it's true that creams get in better.";
        assert!(asks(t, t));
        let t = "I'd love to find out whether it helps.";
        assert!(asks(t, t));
        // Not knowing is told, not asked.
        let t = "I don't know if my skin is sensitive.";
        assert!(!asks(t, t));
        // After a question, a wish to learn gives a reason.
        let t = "How does it work? I want to understand what I'd be paying for.";
        let p = split_clauses(t);
        assert!(!asks(t, p[p.len() - 1]));
    }

    #[test]
    fn a_question_listing_options_after_a_colon_asks() {
        let t = "What's the best way to soothe a sunburn at home: aloe vera, cold showers?";
        assert!(asks(t, split_clauses(t)[0]));
        // The part before a colon that announces a question asks nothing.
        let t = "quick question: does it hurt?";
        assert!(!asks(t, split_clauses(t)[0]));
        let t = "how it went: red for two days. Fine now, when will I see results?";
        assert!(!asks(t, split_clauses(t)[0]));
    }

    #[test]
    fn a_relative_clause_after_a_comma_asks_nothing() {
        let parts = |t: &'static str| (t, split_clauses(t));
        let (t, p) = parts("I wear long sleeves, which my sister teases me about.");
        assert!(!asks(t, p[1]));
        let (t, p) = parts("I have hay fever, which makes me miserable.");
        assert!(!asks(t, p[1]));
        let (t, p) = parts("My neck looks older, which feels unfair given what I spend.");
        assert!(!asks(t, p[1]));
        // A question after the comma still asks.
        let (t, p) = parts("I'm 45, which areas can it treat");
        assert!(asks(t, p[1]));
    }

    #[test]
    fn caps_on_character_boundaries() {
        assert_eq!(cap("héllo", 2), "hé");
        assert_eq!(cap("hi", 10), "hi");
        assert_eq!(cap("", 3), "");
    }

    #[test]
    fn an_emoji_before_a_question_word_ends_a_part() {
        assert_eq!(
            split_questions("student budget here 🥲 how many sessions would i need"),
            ["student budget here ", "🥲 how many sessions would i need"]
        );
        // Mid-sentence, before a word that starts no question, it splits nothing.
        assert_eq!(
            split_questions("will my (very expensive 💸) serum work better after"),
            ["will my (very expensive 💸) serum work better after"]
        );
    }

    #[test]
    fn a_title_or_a_decimal_point_ends_no_sentence() {
        assert_eq!(
            sentences("Is the Dr. Pen better? Ask Mr. Lee. 0.5mm ok.").collect::<Vec<_>>(),
            vec!["Is the Dr. Pen better", " Ask Mr. Lee", " 0.5mm ok", ""]
        );
        assert_eq!(sentences("dr.").collect::<Vec<_>>(), vec!["dr", ""]);
        assert_eq!(sentences("").collect::<Vec<_>>(), vec![""]);
    }

    #[test]
    fn numbered_questions_split_at_q1_q2() {
        assert_eq!(
            split_questions(
                "Q1 how many treatments till i see something. Q2: why does hers look better"
            ),
            vec![
                " how many treatments till i see something",
                " why does hers look better"
            ]
        );
    }

    #[test]
    fn splits_two_questions() {
        assert_eq!(
            split_questions("does it hurt and how long is the redness?"),
            vec!["does it hurt ", "and how long is the redness"]
        );
        assert_eq!(
            split_questions("what do collagen and elastin do"),
            vec!["what do collagen and elastin do"]
        );
        assert_eq!(
            split_questions("does it hurt + how long till the red goes"),
            vec!["does it hurt ", "+ how long till the red goes"]
        );
        assert_eq!(
            split_questions("is it safe & does it work on scars"),
            vec!["is it safe ", "& does it work on scars"]
        );
        assert_eq!(
            split_questions("is it natural, and what's the downtime like"),
            vec!["is it natural, ", "and what's the downtime like"]
        );
        assert_eq!(
            split_questions("1) do serums absorb better after 2) can i sit in the sun after"),
            vec![
                " do serums absorb better after ",
                " can i sit in the sun after"
            ]
        );
        assert_eq!(
            split_questions("can it be done on arms and, separately, will serum soak in"),
            vec!["can it be done on arms ", "separately, will serum soak in"]
        );
        assert_eq!(
            split_questions("how many sessions, then separately, what is an atrophic scar"),
            vec![
                "how many sessions, ",
                "then separately, what is an atrophic scar"
            ]
        );
        assert_eq!(
            split_questions("Does it hurt? How long is the downtime?"),
            vec!["Does it hurt", " How long is the downtime"]
        );
    }

    #[test]
    fn tells_a_question_from_a_statement() {
        let text = "I'm anxious about pain. Do most people cope? I had 3 sessions + what is it";
        let parts = split_questions(text);
        let asked: Vec<bool> = parts.iter().map(|p| asks(text, p)).collect();
        assert_eq!(parts.len(), 4);
        assert_eq!(asked, [false, true, false, true]);
        let text = "gym bro here, rough skin: can they do the back — or face only?";
        assert_eq!(
            split_clauses(text),
            [
                "gym bro here",
                " rough skin",
                " can they do the back ",
                " or face only"
            ]
        );
        // Slices of another string are never questions of this one.
        assert!(!asks("does it hurt?", "nothing here"));
    }

    #[test]
    fn an_announcement_before_a_colon_is_left_out() {
        assert_eq!(
            without_announcement("two questions from a mum of twins: does it hurt"),
            " does it hurt"
        );
        assert_eq!(
            without_announcement("re atrophic scars: mechanism?"),
            "re atrophic scars: mechanism?"
        );
        assert_eq!(without_announcement("quick q:"), "quick q:");
    }

    #[test]
    fn a_reported_question_asks_but_a_choice_to_make_does_not() {
        for (text, asked) in [
            (
                "he asked me to find out whether it can be used on the arms as well",
                true,
            ),
            ("not sure whether it works on necks", true),
            ("before I decide whether to take a few days off", false),
            ("I can't tell whether they're the same thing", false),
        ] {
            assert_eq!(asks(text, text), asked, "{text}");
        }
    }

    #[test]
    fn a_courtesy_please_asks_nothing() {
        for (text, asked) in [
            (
                "my grandson set this up so please be patient with me",
                false,
            ),
            ("pls excuse my english", false),
            ("please don't judge me", false),
            ("please explain the downtime", true),
            ("tell me about downtime please", true),
            ("plz", true),
        ] {
            assert_eq!(asks(text, text), asked, "{text}");
        }
    }

    #[test]
    fn a_question_after_a_storys_but_is_what_is_asked() {
        let text = "my aunt had a bad reaction to a laser so im wary, but how many sessions do people need?";
        assert_eq!(
            after_story_but(text),
            Some("how many sessions do people need?")
        );
        // A question before the "but", a tail that points back into the
        // story, a tail that does not ask, or no question mark: no cut.
        for text in [
            "does it hurt? I'm tough but how long is the redness?",
            "is it safe but how long does the redness last?",
            "I read it builds collagen but what does that even mean?",
            "I want to try it but my budget is tight?",
            "I want to try it but does it hurt",
        ] {
            assert_eq!(after_story_but(text), None, "{text}");
        }
    }

    #[test]
    fn a_question_after_a_storys_anyway_is_what_is_asked() {
        // With or without its question mark.
        let text = "my cat knocked my shelf over this morning, rip anyway are the results the same for everyone or does age matter";
        assert_eq!(
            after_story_anyway(text),
            Some("are the results the same for everyone or does age matter")
        );
        assert_eq!(
            after_story_anyway("long week. Anyway, does it hurt?"),
            Some("does it hurt?")
        );
        // More than one sentence after it, a sentence after the question,
        // nothing before it, or a tail that only tells: no cut.
        for text in [
            "he is fine. Anyway, how's everyone's week going? what have I missed?",
            "long day anyway does it hurt. my friend said no",
            "anyway does it hurt a lot",
            "rough week anyway i booked it",
        ] {
            assert_eq!(after_story_anyway(text), None, "{text}");
        }
    }

    #[test]
    fn what_follows_an_ask_marker_is_what_is_asked() {
        let markers = vec![
            vec!["my".to_string(), "question".to_string(), "is".to_string()],
            vec!["real".to_string(), "question".to_string()],
        ];
        let text = "long story, husband thinks I'm mad. My question is: does it hurt?";
        assert_eq!(after_ask_marker(text, &markers), Some("does it hurt?"));
        let text = "friend keeps asking what if lol. real question: does it help acne scars?";
        assert_eq!(
            after_ask_marker(text, &markers),
            Some("does it help acne scars?")
        );
        // Nothing before the marker, or too little after it: no split.
        assert_eq!(
            after_ask_marker("my question is: does it hurt?", &markers),
            None
        );
        assert_eq!(
            after_ask_marker("so, my question is: pain?", &markers),
            None
        );
    }

    #[test]
    fn a_short_question_about_two_things_splits_at_its_one_joiner() {
        assert_eq!(
            split_coordinated("does it help wrinkles AND acne scars or is it one or the other?"),
            Some([
                "does it help wrinkles",
                "acne scars or is it one or the other"
            ])
        );
        assert_eq!(split_coordinated("red and sore and hot?"), None, "two ands");
        assert_eq!(
            split_coordinated("painful or ok or awful?"),
            None,
            "two ors"
        );
        assert_eq!(
            split_coordinated("does it help wrinkles AND acne scars?"),
            Some(["does it help wrinkles", "acne scars"])
        );
        assert_eq!(
            split_coordinated("is it an instant fix or does it take a while"),
            Some(["is it an instant fix", "does it take a while"])
        );
        // one sentence only, and short
        assert_eq!(split_coordinated("does it hurt. and redness?"), None);
        assert_eq!(
            split_coordinated(
                "my sister and I both had it done at the same clinic last spring with the same nurse, why?"
            ),
            None
        );
        assert_eq!(split_coordinated("and then?"), None);
        assert_eq!(
            split_coordinated("is this a one and done thing or do u need a few sessions?"),
            Some(["is this a one and done thing", "do u need a few sessions"]),
            "a fixed pair is no joiner; the one \"or\" is"
        );
        assert_eq!(
            split_coordinated(
                "the needles make holes and then skin makes collagen, is this correct?"
            ),
            None,
            "\"and then\" tells what came next"
        );
        assert_eq!(
            split_joined("is this a one and done thing or do u need a few sessions?"),
            None,
            "beside a remark, only an \"and\" joins"
        );
        assert_eq!(
            split_joined("does it help wrinkles AND acne scars or is it one or the other?"),
            Some([
                "does it help wrinkles",
                "acne scars or is it one or the other"
            ])
        );
        assert_eq!(
            split_coordinated("derma roll + sun ok??"),
            Some(["derma roll", "sun ok"])
        );
    }
}
