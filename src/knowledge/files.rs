//! The shapes of the knowledge files, as moderators write them.
//!
//! These are the raw forms straight from TOML; `load` checks them against each
//! other and against the sources before anything reaches the matcher. Unknown
//! keys are rejected so that a misspelt key ("anwser") is reported instead of
//! silently ignored.

use serde::Deserialize;
use std::collections::BTreeMap;
use toml::Spanned;

/// One `[[source]]` of `sources.toml`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawSource {
    pub id: Spanned<String>,
    pub title: String,
    /// Path of the text, relative to the knowledge directory.
    pub file: Spanned<String>,
    /// Blank-line-separated blocks at the top (title, category) that are not numbered paragraphs.
    #[serde(default)]
    pub skip_blocks: usize,
    /// Phrases that are garbled in the source and must never be quoted.
    #[serde(default)]
    pub never_quote: Vec<String>,
}

/// One `[[topic]]` of `topics.toml`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawTopic {
    pub id: Spanned<String>,
    pub title: String,
    #[serde(default)]
    pub description: String,
}

/// One `[[entry]]` of a file under `entries/`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawEntry {
    pub id: Spanned<String>,
    pub topic: Spanned<String>,
    #[serde(default)]
    pub questions: Vec<Spanned<String>>,
    #[serde(default)]
    pub keywords: Vec<String>,
    pub answer: Spanned<String>,
    #[serde(default)]
    pub related: Vec<Spanned<String>>,
    #[serde(default, rename = "quote")]
    pub quotes: Vec<RawQuote>,
    #[serde(default)]
    pub answers_despite_uncovered: Vec<String>,
}

/// One `[[entry.quote]]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawQuote {
    pub source: Spanned<String>,
    pub text: Spanned<String>,
}

/// `vocabulary.toml`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawVocabulary {
    /// Knowledge word -> what patients say instead.
    #[serde(default)]
    pub synonyms: BTreeMap<Spanned<String>, Vec<Spanned<String>>>,
    /// Chat spelling or typo -> plain word(s).
    #[serde(default)]
    pub spellings: BTreeMap<Spanned<String>, Spanned<String>>,
}

/// `chat.toml`: greetings, small talk and what counts as the domain.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawChat {
    pub help: Vec<Spanned<String>>,
    #[serde(default)]
    pub help_phrases: Vec<Spanned<String>>,
    pub filler: Vec<Spanned<String>>,
    #[serde(default)]
    pub small_talk: Vec<RawSmallTalk>,
    #[serde(default)]
    pub questions: Vec<Spanned<String>>,
    pub domain: Vec<Spanned<String>>,
    pub everyday: Vec<Spanned<String>>,
    #[serde(default)]
    pub ambiguous: Vec<Spanned<String>>,
    #[serde(default)]
    pub elsewhere: Vec<Spanned<String>>,
    #[serde(default)]
    pub elsewhere_phrases: Vec<Spanned<String>>,
    #[serde(default)]
    pub anchors: Vec<Spanned<String>>,
    #[serde(default)]
    pub anchor_phrases: Vec<Spanned<String>>,
    #[serde(default)]
    pub ask_markers: Vec<Spanned<String>>,
    #[serde(default)]
    pub for_them: Vec<Spanned<String>>,
    pub references: Vec<Spanned<String>>,
    #[serde(default)]
    pub people: Vec<Spanned<String>>,
    #[serde(default)]
    pub not_references: Vec<Spanned<String>>,
    #[serde(default)]
    pub not_symptoms: Vec<Spanned<String>>,
}

/// One `[[small_talk]]` of `chat.toml`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawSmallTalk {
    pub id: Spanned<String>,
    pub words: Vec<Spanned<String>>,
    pub reply: Spanned<String>,
}

/// `[crisis]` of `red_flags.toml`: self-harm and suicide.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawCrisis {
    pub reply: Spanned<String>,
    pub patterns: Vec<Spanned<String>>,
    /// How many different warning signs together make a crisis.
    #[serde(default)]
    pub signs_needed: Option<Spanned<usize>>,
    /// `[[crisis.sign]]`: warning signs, each too weak to count alone.
    #[serde(default)]
    pub sign: Vec<RawSign>,
    /// The score above which the model learned from `crisis_examples.jsonl`
    /// calls a message a crisis.
    #[serde(default)]
    pub learned_threshold: Option<Spanned<f64>>,
}

/// One line of `crisis_examples.jsonl`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawCrisisExample {
    pub q: String,
    pub crisis: bool,
}

/// `[other_cause]` of `red_flags.toml`: causes that are not the treatment.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawOtherCause {
    pub patterns: Vec<Spanned<String>>,
    pub treatment: Vec<Spanned<String>>,
    #[serde(default)]
    pub treated: Vec<Spanned<String>>,
    #[serde(default)]
    pub upcoming: Vec<Spanned<String>>,
    #[serde(default)]
    pub always: Vec<Spanned<String>>,
}

/// `[[crisis.sign]]` of `red_flags.toml`: one kind of warning sign.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawSign {
    pub id: Spanned<String>,
    pub patterns: Vec<Spanned<String>>,
}

/// One kind's triggers in `context.toml`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawKindTriggers {
    pub reach: Spanned<usize>,
    #[serde(default)]
    pub before: Vec<Spanned<String>>,
    #[serde(default)]
    pub after: Vec<Spanned<String>>,
    #[serde(default)]
    pub until: Vec<Spanned<String>>,
    #[serde(default)]
    pub after_clause: Vec<Spanned<String>>,
    #[serde(default)]
    pub unless: Vec<Spanned<String>>,
    #[serde(default)]
    pub closing: Vec<Spanned<String>>,
}

/// `[pseudo]` or `[termination]` in `context.toml`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawPhrases {
    pub phrases: Vec<Spanned<String>>,
}

/// `context.toml`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawContext {
    pub negation: RawKindTriggers,
    pub history: RawKindTriggers,
    pub hypothetical: RawKindTriggers,
    pub other: RawKindTriggers,
    pub past: RawKindTriggers,
    pub unconcerned: RawKindTriggers,
    pub pseudo: RawPhrases,
    pub termination: RawPhrases,
}

/// One `[[flag]]` of `red_flags.toml`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawFlag {
    pub id: Spanned<String>,
    pub label: String,
    #[serde(default)]
    pub patterns: Vec<Spanned<String>>,
}

/// One `[[gap]]` of `not_covered.toml`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawGap {
    pub id: Spanned<String>,
    /// Completes "My source doesn't cover …".
    pub about: String,
    #[serde(default)]
    pub patterns: Vec<Spanned<String>>,
    #[serde(default)]
    pub aside: bool,
    #[serde(default)]
    pub asked_alone: bool,
    #[serde(default)]
    pub asked_by: Vec<Spanned<String>>,
}

/// `texts.toml`: the fixed replies.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Texts {
    /// Shown under every reply.
    pub disclaimer: String,
    /// The greeting and "what can you do" reply.
    pub help: String,
    /// When nothing in the knowledge fits.
    pub no_match: String,
    /// When the knowledge knows the subject is not covered; `{about}` is replaced.
    pub not_covered: String,
    /// Leads the suggestions when the question is ambiguous.
    pub clarify: String,
    /// What the bot is, for an "about" command.
    pub about: String,
}
