//! The one reply type every front end renders.
//!
//! The console, the JSON output and Discord all show the same `Answer`, so a
//! question gets the same words, quotes and disclaimer wherever it is asked.

use serde::Serialize;

/// What the bot decided to do with a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// One clear entry (or several, for a message asking several things).
    Answered,
    /// Close candidates: the member is offered suggestions.
    Clarify,
    /// Nothing in the knowledge fits, or the subject is known not to be covered.
    NoMatch,
    /// The message describes a possible complication: seek care now.
    Urgent,
    /// A greeting or a question about the bot itself.
    Help,
}

impl Status {
    /// The name used in JSON, logs and stats.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Answered => "answered",
            Status::Clarify => "clarify",
            Status::NoMatch => "no_match",
            Status::Urgent => "urgent",
            Status::Help => "help",
        }
    }

    /// All statuses, for counters.
    pub const ALL: [Status; 5] = [
        Status::Answered,
        Status::Clarify,
        Status::NoMatch,
        Status::Urgent,
        Status::Help,
    ];
}

/// A quoted snippet and where it comes from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SourceRef {
    /// The source id.
    pub document: String,
    /// The source title.
    pub title: String,
    /// Where in the source, e.g. "paragraph 7".
    pub location: String,
    /// The source's exact words.
    pub quote: String,
}

/// An entry offered to the member as a question they can pick.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Suggestion {
    /// The entry id.
    pub entry: String,
    /// The entry's title question.
    pub question: String,
}

/// A reply. Serialized as the public `ask --json` format (the fields not
/// marked `skip`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Answer {
    /// The question as matched (after the length cap).
    pub question: String,
    pub status: Status,
    /// The answering entry (the first one when several parts are answered).
    pub entry: Option<String>,
    /// That entry's topic.
    pub topic: Option<String>,
    /// How sure the matcher is of `entry` (for `no_match`, of the best near miss).
    pub confidence: f32,
    /// The full text a member reads, without the sources.
    pub answer: String,
    /// Quotes backing the answer.
    pub sources: Vec<SourceRef>,
    /// For `clarify` (and some `no_match`): entries the member may have meant.
    pub suggestions: Vec<Suggestion>,
    /// Shown under every reply.
    pub disclaimer: String,
    /// What fired in triage: the red flag's id (`crisis` for the crisis
    /// reply) or the not-covered subject's id; `null` otherwise.
    #[serde(rename = "flag")]
    pub fired: Option<String>,
    /// The matched entry's title question (a heading for the reply).
    #[serde(skip)]
    pub title: Option<String>,
    /// Follow-up entries.
    #[serde(skip)]
    pub related: Vec<Suggestion>,
    /// Every entry answered, for a message that asked several things.
    #[serde(skip)]
    pub entries: Vec<String>,
    /// The red flag raised, for logs (never the member's words).
    #[serde(skip)]
    pub flag: Option<String>,
    /// The not-covered subject recognised, for logs and gap reports.
    #[serde(skip)]
    pub gap: Option<String>,
    /// Words typo correction changed, (as written, as read), for `--explain`.
    #[serde(skip)]
    pub corrected: Vec<(String, String)>,
}

impl Answer {
    /// One line of JSON, the `ask --json` format.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}"))
    }
}
