//! The knowledge base: what the bot knows, where each fact comes from, and the
//! words patients use for it.
//!
//! Moderators edit plain TOML files under one directory (see
//! `knowledge/README.md`); [`load`] reads them, verifies every quote against its
//! source, and either returns a consistent [`Knowledge`] or every problem found.
//! Nothing half-valid is ever served.

mod files;
mod load;
mod problem;
mod source;
mod summary;

pub use files::Texts;
pub use load::{load, MAX_SMALL_TALK_KINDS};
pub use problem::{KnowledgeError, Problem};
pub use source::{Located, QuoteError, Source};
pub use summary::Summary;

use crate::text::pattern::Pattern;
use std::path::PathBuf;

/// A loaded, validated knowledge base. Immutable: a reload builds a new one.
#[derive(Debug, Clone)]
pub struct Knowledge {
    /// The directory it was loaded from.
    pub dir: PathBuf,
    /// A fingerprint of all files read, so logs and stats can say which
    /// knowledge answered.
    pub version: String,
    /// Source documents that quotes cite.
    pub sources: Vec<Source>,
    /// Topics that group entries.
    pub topics: Vec<Topic>,
    /// The question-and-answer entries, in file order.
    pub entries: Vec<Entry>,
    /// Words and phrases patients use, each mapped to the knowledge's word.
    pub synonyms: Vec<SynonymGroup>,
    /// Chat spellings and frequent typos mapped to plain words.
    pub spellings: Vec<(String, String)>,
    /// Messages that must get a seek-care reply instead of an answer.
    pub red_flags: RedFlags,
    /// When a symptom does not count: negation, history, hypotheticals, others.
    pub context: crate::text::context::ContextTriggers,
    /// Greetings, small talk, and what counts as the domain.
    pub chat: Chat,
    /// Subjects patients ask about that the sources do not cover.
    pub gaps: Vec<Gap>,
    /// Fixed reply texts.
    pub texts: Texts,
}

/// A topic: a heading under which entries are listed.
#[derive(Debug, Clone)]
pub struct Topic {
    pub id: String,
    pub title: String,
    pub description: String,
}

/// A question the knowledge answers, with the quotes that back the answer.
#[derive(Debug, Clone)]
pub struct Entry {
    /// Stable id, used in logs, evaluations and follow-up buttons.
    pub id: String,
    /// The topic id.
    pub topic: String,
    /// Ways patients ask this; the first is the entry's title.
    pub questions: Vec<String>,
    /// Extra informative words for matching.
    pub keywords: Vec<String>,
    /// The project's own plain-language answer.
    pub answer: String,
    /// Verified quotes backing the answer.
    pub quotes: Vec<Quote>,
    /// Ids of entries offered as follow-ups.
    pub related: Vec<String>,
    /// Words (`word*` for a prefix) one of which, in a part of a message
    /// this entry clearly answers, lets it answer beside a subject the
    /// source does not cover: whom to consult is covered whatever the
    /// condition ("I have rosacea, who should I talk to before booking?"),
    /// but "I have rosacea, would it suit me?" asks about the condition.
    /// Empty for most entries.
    pub answers_despite_uncovered: Vec<String>,
}

impl Entry {
    /// The question shown as the entry's title.
    pub fn title(&self) -> &str {
        self.questions
            .first()
            .map_or(self.id.as_str(), String::as_str)
    }

    /// Whether one of these words lets the entry answer beside an
    /// uncovered subject (see [`Entry::answers_despite_uncovered`]).
    pub fn answers_despite_uncovered_with<'a>(
        &self,
        mut words: impl Iterator<Item = &'a str>,
    ) -> bool {
        words.any(|w| {
            self.answers_despite_uncovered
                .iter()
                .any(|d| match d.strip_suffix('*') {
                    Some(prefix) => w.starts_with(prefix),
                    None => w == d,
                })
        })
    }
}

/// A verified quote: the source's own words and where they stand.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Quote {
    /// Source id.
    pub source: String,
    /// 1-based paragraph of the source.
    pub paragraph: usize,
    /// The source's exact words (elisions shown as ` … `).
    pub excerpt: String,
}

/// A group of words that mean the same to the matcher.
#[derive(Debug, Clone)]
pub struct SynonymGroup {
    /// The knowledge's word.
    pub canonical: String,
    /// Phrases (as cleaned words) patients use for it.
    pub variants: Vec<Vec<String>>,
}

/// The red flags and the reply they get.
#[derive(Debug, Clone)]
pub struct RedFlags {
    /// The seek-care reply.
    pub urgent_reply: String,
    /// The flags, each a set of patterns.
    pub flags: Vec<Flag>,
    /// The crisis reply (self-harm, suicide): crisis lines, no article content.
    pub crisis_reply: String,
    /// Any pattern matching raises the crisis reply, before every flag.
    pub crisis: Vec<Pattern>,
    /// Warning signs too weak alone ("I feel calm now", "bye to this
    /// server"): a message showing `signs_needed` different ones gets the
    /// crisis reply too. Indirect crisis messages rarely repeat one phrase
    /// list's wording, but they nearly always show two such signs.
    pub crisis_signs: Vec<CrisisSign>,
    /// How many different signs make a crisis (at least 2).
    pub signs_needed: usize,
    /// Messages marked crisis or not (`crisis_examples.jsonl`), from which
    /// the engine learns a crisis model; empty when the file is absent.
    pub crisis_examples: Vec<CrisisExample>,
    /// The learned model's score above which a message is a crisis
    /// (`learned_threshold` in `[crisis]`).
    pub learned_threshold: f32,
    /// Causes that keep a symptom from being a complication.
    pub other_cause: OtherCause,
}

/// Causes other than the treatment (`[other_cause]` of `red_flags.toml`).
/// "My dog's paw is oozing" or "chickenpox blisters everywhere" describe a
/// symptom, but not a complication of microneedling: a red flag is not
/// raised when the message names one of these causes and either no word for
/// the treatment or the cause in the very sentence that tells the symptom
/// ("bumped the coffee table, massive bruise. Which areas can be
/// microneedled?"). Nor when the treatment is still to come ("flu and a
/// fever, can I still go to my appointment tomorrow?"). A message that says
/// the treatment has happened (`treated`: "after my session", "day 4") is
/// escalated whatever else it blames: the member may be wrong about the
/// cause.
#[derive(Debug, Clone, Default)]
pub struct OtherCause {
    /// The causes ("my dog", "chickenpox", "sprained", "filler").
    pub causes: Vec<Pattern>,
    /// Words naming the treatment: with one, only a cause told in the
    /// symptom's own sentence excuses it.
    pub treatment: Vec<Pattern>,
    /// Words saying the treatment has happened; any one keeps the flag.
    pub treated: Vec<Pattern>,
    /// Words saying the treatment is still to come.
    pub upcoming: Vec<Pattern>,
    /// Flags (indexes into [`RedFlags::flags`]) raised whatever the cause:
    /// trouble breathing is an emergency, whoever caused it.
    pub always: Vec<usize>,
}

/// A message marked crisis or not, to learn from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CrisisExample {
    pub text: String,
    pub crisis: bool,
    /// Its 1-based line in `crisis_examples.jsonl`, for `check`'s warnings.
    pub line: usize,
}

/// One kind of crisis warning sign (`[[crisis.sign]]`).
#[derive(Debug, Clone)]
pub struct CrisisSign {
    pub id: String,
    pub patterns: Vec<Pattern>,
}

/// `chat.toml`: what is not a question about microneedling.
#[derive(Debug, Clone, Default)]
pub struct Chat {
    /// Greeting or help words (cleaned).
    pub help: Vec<String>,
    /// Phrases asking what the bot is (cleaned words).
    pub help_phrases: Vec<Vec<String>>,
    /// Words that may accompany a greeting or small talk.
    pub filler: Vec<String>,
    /// Kinds of small talk, each with its reply.
    pub small_talk: Vec<SmallTalk>,
    /// Words that make a message a question, never small talk.
    pub questions: Vec<String>,
    /// Words that count as microneedling content besides the vocabulary keys.
    pub domain: Vec<String>,
    /// Vocabulary keys that do not count as content on their own.
    pub everyday: Vec<String>,
    /// Domain words with an everyday sense too ("my gel pen won't write",
    /// "election results"): a message naming only these among many words
    /// no entry explains is chatter.
    pub ambiguous: Vec<String>,
    /// Words that place a message in another field ("skyrim", "landlord",
    /// "sourdough"): with one, and no `anchors` word, a message is chatter
    /// whatever domain words it borrows ("healing potions in skyrim").
    pub elsewhere: Vec<String>,
    /// Phrases that use a domain word in another field's sense ("recovery
    /// mode", "face id", "leg day"), as cleaned words: like `elsewhere`.
    pub elsewhere_phrases: Vec<Vec<String>>,
    /// Words that keep a message about the skin and the treatment whatever
    /// else it mentions ("my gaming setup gives me acne, would microneedling…").
    pub anchors: Vec<String>,
    /// Phrases, as cleaned words, that anchor a message like `anchors`: a
    /// word of another field in a skincare idiom ("a long game", "game
    /// changer", "my skincare game") names no other field.
    pub anchor_phrases: Vec<Vec<String>>,
    /// Phrases after which a long message says what it asks ("my question
    /// is really just: …", "real question: …"), as cleaned words.
    pub ask_markers: Vec<Vec<String>>,
    /// Words that make a question about someone else, or about whether the
    /// treatment suits them ("she", "her", "safe"): a subject not covered
    /// that only someone else has is told in passing unless the question has one.
    pub for_them: Vec<String>,
    /// Words that refer back to the treatment ("it", "after").
    pub references: Vec<String>,
    /// Words for people in general ("anyone", "everyone"): a "they" after
    /// one of them in its clause stands for those people, not for the
    /// treatment ("what did everyone take up when they retired").
    pub people: Vec<String>,
    /// Phrases that start with a reference word but point at a time, not
    /// the treatment ("this week", "that time"), as cleaned words.
    pub not_references: Vec<Vec<String>>,
    /// Words that open a red flag's pattern but tell no symptom on their
    /// own ("went", "still", "returned"): a story's clause with one of
    /// them ("my first tax return") tells nothing of the treatment.
    pub not_symptoms: Vec<String>,
}

/// One kind of small talk.
#[derive(Debug, Clone)]
pub struct SmallTalk {
    pub id: String,
    /// Its words (cleaned).
    pub words: Vec<String>,
    /// The short friendly reply.
    pub reply: String,
}

/// One kind of possible complication.
#[derive(Debug, Clone)]
pub struct Flag {
    pub id: String,
    /// What it is, for logs and moderators.
    pub label: String,
    /// Any pattern matching raises the flag.
    pub patterns: Vec<Pattern>,
}

/// A subject the sources do not cover, so the bot declines instead of guessing.
#[derive(Debug, Clone)]
pub struct Gap {
    pub id: String,
    /// Completes "My source doesn't cover …".
    pub about: String,
    /// Any pattern matching marks the message as about this subject.
    pub patterns: Vec<Pattern>,
    /// Whether a mention of the subject in a sentence or clause that asks
    /// nothing (a story's detail: "my wedding is in spring.") leaves the bot
    /// free to answer a covered question asked in another one. False for
    /// subjects that change the answer (a condition, a pregnancy).
    pub aside: bool,
    /// Whether a long story's question read alone names the subject, past
    /// exclusions that only the story's telling sentences hold: "… for my
    /// acne scars … How long after microneedling can I shave again?" asks
    /// about shaving, though "scar" keeps out "can it help razor scars?".
    pub asked_alone: bool,
    /// Patterns by which a question asks about the subject that another
    /// sentence told ("I have a Botox appointment that week. Can I do them
    /// on the same day?"): such a question is not a covered one, though
    /// its own words name nothing uncovered.
    pub asked_by: Vec<Pattern>,
}

impl Knowledge {
    /// The entry with this id.
    pub fn entry(&self, id: &str) -> Option<&Entry> {
        self.entries.iter().find(|e| e.id == id)
    }

    /// The source with this id.
    pub fn source(&self, id: &str) -> Option<&Source> {
        self.sources.iter().find(|s| s.id == id)
    }

    /// The topic with this id.
    pub fn topic(&self, id: &str) -> Option<&Topic> {
        self.topics.iter().find(|t| t.id == id)
    }

    /// Counts for `check` and `/kb stats`.
    pub fn summary(&self) -> Summary {
        Summary::of(self)
    }
}
