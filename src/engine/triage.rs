//! Triage: what a message is before any entry is matched. Safety first: a
//! crisis, then a possible complication, win over everything else.

use super::Engine;
use crate::knowledge::Chat;
use crate::matching::Analyzed;
use crate::text::context::{dismisses_symptom, HISTORY, NEGATED, OTHER, PAST, UNCONCERNED};
use crate::text::pattern_set::Owner;
use rustc_hash::FxHashMap as HashMap;
use std::ops::Range;

/// What triage decided; `None` from [`Engine::triage`] means "match entries".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Triage {
    /// Self-harm or suicide: the crisis reply.
    Crisis,
    /// A red flag (its index): the urgent reply.
    Flag(usize),
    /// A greeting or a question about the bot.
    Help,
    /// Small talk (the kind's index): its short reply.
    SmallTalk(usize),
    /// A subject the knowledge does not cover (its index).
    Gap(usize),
}

/// The kinds of triage patterns ([`crate::text::pattern_set::Owner::kind`]).
pub(super) const CRISIS: u8 = 0;
pub(super) const FLAG: u8 = 1;
pub(super) const GAP: u8 = 2;

impl Engine {
    /// Triage in order of safety.
    pub(super) fn triage(&self, analyzed: &Analyzed) -> Option<Triage> {
        let tokens = analyzed.pattern_tokens(&self.context);
        let syms = self.symbols.of(&tokens);
        // One pass for all kinds; the first pattern in order that matches is
        // a crisis one if any matches, else a red flag's, else a subject's.
        let found = self.patterns.matches(&tokens, &syms, dismissed);
        let mut first = found.first;
        // Most messages are one sentence; only longer ones are split.
        let sentences: Vec<Range<usize>> = match analyzed.tokens.first().zip(analyzed.tokens.last())
        {
            Some((a, b)) if a.sentence != b.sentence => sentences(analyzed).collect(),
            _ => Vec::new(),
        };
        // A red flag's exclusions keep out questions about a symptom ("is
        // swelling usually normal?"). An excluded word in another sentence
        // ("how many sessions do people usually need? Also my cheek has been
        // swelling more each day") must not hide a symptom told in a sentence
        // of its own, so each sentence is checked alone.
        if !is_urgent(first)
            && found.excluded_kinds & (1 << CRISIS | 1 << FLAG) != 0
            && sentences.len() > 1
        {
            let alone = sentences.iter().find_map(|r| {
                let o = self
                    .patterns
                    .first_match(&tokens[r.clone()], &syms[r.clone()], dismissed);
                o.filter(|&o| is_urgent(Some(o)))
            });
            first = alone.or(first);
        }
        match first {
            Some(Owner { kind: CRISIS, .. }) => return Some(Triage::Crisis),
            Some(Owner { kind: FLAG, index }) => return Some(Triage::Flag(index)),
            _ => {}
        }
        if let Some(t) = self.small_talk(analyzed) {
            return Some(t);
        }
        // A subject not covered is named within one sentence: words of a
        // pattern scattered over a story ("I'll book the treatment for a
        // Wednesday … people look a bit sunburnt afterwards") name nothing.
        // Its exclusions still count over the whole message ("tried
        // everything, antibiotics, the lot. … acne scars?").
        if first.is_some() && sentences.len() > 1 {
            let whole = self.patterns.all_matches(&tokens, &syms, dismissed);
            first = sentences.iter().find_map(|r| {
                self.patterns
                    .all_matches(&tokens[r.clone()], &syms[r.clone()], dismissed)
                    .into_iter()
                    .find(|o| whole.contains(o))
            });
        }
        first.map(|o| Triage::Gap(o.index))
    }

    /// Every subject not covered that the whole message names, with each
    /// pattern's exclusions counted over the whole message. A part of a
    /// message triaged alone loses the words around it: "did all the creams
    /// and pills" names medication, but not in a message that asks what the
    /// acne left behind.
    pub(super) fn subjects_named(&self, analyzed: &Analyzed) -> Vec<usize> {
        let tokens = analyzed.pattern_tokens(&self.context);
        let syms = self.symbols.of(&tokens);
        self.patterns
            .all_matches(&tokens, &syms, dismissed)
            .into_iter()
            .filter(|o| o.kind == GAP)
            .map(|o| o.index)
            .collect()
    }

    /// A greeting, a help request or small talk: only such words and filler.
    /// A message with no words at all (only emoji, only a mention) is a greeting.
    pub(super) fn small_talk(&self, a: &Analyzed) -> Option<Triage> {
        let chat = &self.knowledge.chat;
        if a.tokens.is_empty() {
            return Some(Triage::Help);
        }
        // Greetings and small talk are short; a long message is a question.
        const LONGEST: usize = 12;
        if a.tokens.len() > LONGEST {
            return None;
        }
        // An emoji beside a greeting ("good morning everyone ☀️") decorates it.
        let roles: Vec<ChatRoles> = a
            .tokens
            .iter()
            .map(|t| {
                if t.emoji {
                    ChatRoles {
                        filler: true,
                        ..ChatRoles::default()
                    }
                } else {
                    self.chat.roles(&t.text)
                }
            })
            .collect();
        // Every word is of the kind or filler, and one is of the kind.
        let only = |is: &dyn Fn(&ChatRoles) -> bool| {
            roles.iter().all(|r| is(r) || r.filler) && roles.iter().any(is)
        };
        if only(&|r| r.help) {
            return Some(Triage::Help);
        }
        let asks_what_bot_is = chat.help_phrases.iter().any(|p| {
            a.tokens.len() <= p.len() + 3
                && a.tokens
                    .windows(p.len())
                    .any(|w| w.iter().zip(p).all(|(t, p)| &t.text == p))
        });
        if asks_what_bot_is {
            return Some(Triage::Help);
        }
        if roles.iter().any(|r| r.question) {
            return None;
        }
        // "thanks bot, have a nice day": words that greet or name the bot
        // go with any kind of small talk.
        (0..chat.small_talk.len().min(ChatRoles::KINDS))
            .find(|&i| {
                let kind = |r: &ChatRoles| r.small_talk & (1 << i) != 0;
                roles.iter().all(|r| kind(r) || r.filler || r.help) && roles.iter().any(kind)
            })
            .map(Triage::SmallTalk)
    }
}

/// Whether a pattern term with these context bits does not count for a
/// pattern of this kind.
fn dismissed(kind: u8, bits: u8) -> bool {
    match kind {
        CRISIS => false,
        FLAG => dismisses_symptom(bits),
        // A subject mentioned as negated, as the speaker's past ("I was
        // on accutane years ago"), as someone else's past ("a friend got
        // an infection after a tattoo once") or as no worry ("not worried
        // about complications") is not what the message asks about.
        _ => bits & (NEGATED | HISTORY | UNCONCERNED) != 0 || bits & (OTHER | PAST) == OTHER | PAST,
    }
}

/// A crisis or a red flag.
fn is_urgent(o: Option<Owner>) -> bool {
    matches!(
        o,
        Some(Owner {
            kind: CRISIS | FLAG,
            ..
        })
    )
}

/// The token ranges of a message's sentences, in order.
fn sentences(a: &Analyzed) -> impl Iterator<Item = Range<usize>> + '_ {
    let words = &a.tokens;
    let mut start = 0;
    std::iter::from_fn(move || {
        if start >= words.len() {
            return None;
        }
        let sentence = words[start].sentence;
        let end = words[start..]
            .iter()
            .position(|t| t.sentence != sentence)
            .map_or(words.len(), |n| start + n);
        let range = start..end;
        start = end;
        Some(range)
    })
}

/// What one word can be in chat (`chat.toml`), looked up once per word
/// instead of scanning every list.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct ChatRoles {
    help: bool,
    filler: bool,
    question: bool,
    /// Refers back to the treatment ("it", "after").
    pub(super) reference: bool,
    /// Bit i: a word of the i-th small-talk kind.
    small_talk: u64,
}

impl ChatRoles {
    /// As many small-talk kinds as loading accepts.
    pub(super) const KINDS: usize = crate::knowledge::MAX_SMALL_TALK_KINDS;
}

/// The words of `chat.toml`, interned.
#[derive(Debug, Default)]
pub(super) struct ChatIndex {
    words: HashMap<String, ChatRoles>,
}

impl ChatIndex {
    pub(super) fn new(chat: &Chat) -> ChatIndex {
        let mut index = ChatIndex::default();
        let mut mark = |list: &[String], set: &dyn Fn(&mut ChatRoles)| {
            for w in list {
                set(index.words.entry(w.clone()).or_default());
            }
        };
        mark(&chat.help, &|r| r.help = true);
        mark(&chat.filler, &|r| r.filler = true);
        mark(&chat.questions, &|r| r.question = true);
        mark(&chat.references, &|r| r.reference = true);
        for (i, kind) in chat.small_talk.iter().enumerate().take(ChatRoles::KINDS) {
            mark(&kind.words, &|r| r.small_talk |= 1 << i);
        }
        index
    }

    pub(super) fn roles(&self, word: &str) -> ChatRoles {
        self.words.get(word).copied().unwrap_or_default()
    }
}
