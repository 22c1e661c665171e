//! Triage: what a message is before any entry is matched. Safety first: a
//! crisis, then a possible complication, win over everything else.

use super::Engine;
use crate::matching::Analyzed;
use crate::text::context::{dismisses_symptom, HISTORY, NEGATED};

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

impl Engine {
    /// Triage in order of safety.
    pub(super) fn triage(&self, analyzed: &Analyzed) -> Option<Triage> {
        let tokens = analyzed.pattern_tokens(&self.context);
        if self.crisis.first_match(&tokens, |_| false).is_some() {
            return Some(Triage::Crisis);
        }
        if let Some(i) = self.red_flags.first_match(&tokens, dismisses_symptom) {
            return Some(Triage::Flag(i));
        }
        if let Some(t) = self.small_talk(analyzed) {
            return Some(t);
        }
        // A subject mentioned as negated or as the speaker's past ("I was on
        // accutane years ago") is not what the message asks about.
        self.gaps
            .first_match(&tokens, |bits| bits & (NEGATED | HISTORY) != 0)
            .map(Triage::Gap)
    }

    /// A greeting, a help request or small talk: only such words and filler.
    /// A message with no words at all (only emoji, only a mention) is a greeting.
    fn small_talk(&self, a: &Analyzed) -> Option<Triage> {
        let chat = &self.knowledge.chat;
        if a.tokens.is_empty() {
            return Some(Triage::Help);
        }
        // Greetings and small talk are short; a long message is a question.
        const LONGEST: usize = 12;
        if a.tokens.len() > LONGEST {
            return None;
        }
        let has = |list: &[String], w: &str| list.iter().any(|x| x == w);
        let only = |list: &[String]| {
            a.tokens
                .iter()
                .all(|t| has(list, &t.text) || has(&chat.filler, &t.text))
                && a.tokens.iter().any(|t| has(list, &t.text))
        };
        if only(&chat.help) {
            return Some(Triage::Help);
        }
        let asks_what_bot_is = chat.help_phrases.iter().any(|p| {
            a.tokens.len() <= p.len() + 2
                && a.tokens
                    .windows(p.len())
                    .any(|w| w.iter().zip(p).all(|(t, p)| &t.text == p))
        });
        if asks_what_bot_is {
            return Some(Triage::Help);
        }
        if a.tokens.iter().any(|t| has(&chat.questions, &t.text)) {
            return None;
        }
        chat.small_talk
            .iter()
            .position(|s| only(&s.words))
            .map(Triage::SmallTalk)
    }
}
