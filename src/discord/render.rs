//! An [`Answer`] as Discord users expect it: one embed and some buttons.
//!
//! The embed's title is the matched question, its description the answer, one
//! field per quote (named by its citation, "title, paragraph N"), and the
//! disclaimer in the footer; the colour tells the outcome. An `urgent` reply has
//! no title, so it leads with the seek-care text. `clarify` suggestions and
//! "related" follow-ups become buttons whose custom id carries the entry id.
//! An `answered` reply may also get 👍 / 👎 buttons, on a row of their own,
//! whose custom ids carry the entry id and the knowledge version that answered
//! ([`answer_with_feedback`]).
//!
//! Everything is cut to Discord's limits here, cleanly (on a word, with "…"),
//! so a long knowledge entry can never make a reply fail. The plain parts
//! ([`Reply`], [`EmbedParts`]) are built first and checked by the tests; the
//! serenity builders are made from them at the end.

use crate::answer::{Answer, Status, Suggestion};
use serenity::all::{
    ButtonStyle, CreateActionRow, CreateAllowedMentions, CreateButton, CreateEmbed,
    CreateEmbedFooter,
};

/// Discord's limits (characters unless said otherwise).
pub mod limit {
    /// Embed title.
    pub const TITLE: usize = 256;
    /// Embed description.
    pub const DESCRIPTION: usize = 4096;
    /// Fields per embed.
    pub const FIELDS: usize = 25;
    /// Field name.
    pub const FIELD_NAME: usize = 256;
    /// Field value.
    pub const FIELD_VALUE: usize = 1024;
    /// Footer text.
    pub const FOOTER: usize = 2048;
    /// All text of the embeds of one message together.
    pub const TOTAL: usize = 6000;
    /// Buttons in one action row.
    pub const BUTTONS_PER_ROW: usize = 5;
    /// Action rows in one message.
    pub const ROWS: usize = 5;
    /// Button label.
    pub const LABEL: usize = 80;
    /// Component custom id.
    pub const CUSTOM_ID: usize = 100;
    /// Message content.
    pub const CONTENT: usize = 2000;
    /// Autocomplete choice name and value.
    pub const CHOICE: usize = 100;
}

/// Embed colours per outcome.
pub mod colour {
    /// A confident answer.
    pub const ANSWERED: u32 = 0x2E_CC_71;
    /// Suggestions offered.
    pub const CLARIFY: u32 = 0xF1_C4_0F;
    /// Not in the knowledge base.
    pub const NO_MATCH: u32 = 0x95_A5_A6;
    /// Seek care.
    pub const URGENT: u32 = 0xE7_4C_3C;
    /// Help and information.
    pub const HELP: u32 = 0x58_65_F2;
}

/// The custom id prefix of the buttons that ask for one entry.
pub const ENTRY_BUTTON: &str = "mnbot:entry:";
/// The custom id prefix of the 👍 / 👎 buttons: then `up:` or `down:`, the
/// knowledge version, `:`, and the entry id.
pub const VOTE_BUTTON: &str = "mnbot:vote:";

/// The text parts of one embed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EmbedParts {
    pub title: Option<String>,
    pub description: String,
    pub colour: u32,
    /// (name, value) pairs, shown one per line.
    pub fields: Vec<(String, String)>,
    pub footer: Option<String>,
}

/// A button of a reply.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Button {
    pub custom_id: String,
    pub label: String,
    /// Suggestions are primary, follow-ups and votes secondary.
    pub primary: bool,
    /// An emoji shown before the label.
    pub emoji: Option<char>,
}

/// A reply: one embed and its buttons, within Discord's limits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reply {
    pub embed: EmbedParts,
    /// Buttons that answer an entry (suggestions, follow-ups).
    pub buttons: Vec<Button>,
    /// 👍 and 👎, on a row of their own; empty when the reply takes no votes.
    pub feedback: Vec<Button>,
}

/// What a 👍 / 👎 button stands for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VoteButton {
    /// 👍 (`true`) or 👎.
    pub helpful: bool,
    /// The knowledge version that answered.
    pub knowledge_version: String,
    /// The entry that answered.
    pub entry: String,
}

/// The reply to an answer, with 👍 / 👎 buttons when it is `answered` (by
/// one entry, whose id and `knowledge_version` fit in a custom id). The
/// follow-up buttons then keep to four rows.
pub fn answer_with_feedback(a: &Answer, knowledge_version: &str) -> Reply {
    let mut reply = answer(a);
    let entry = a.entry.as_deref().filter(|_| a.status == Status::Answered);
    if let Some(feedback) = entry.and_then(|e| vote_buttons(e, knowledge_version)) {
        reply
            .buttons
            .truncate(limit::BUTTONS_PER_ROW * (limit::ROWS - 1));
        reply.feedback = feedback;
    }
    reply
}

/// 👍 and 👎 for `entry`; `None` when their custom ids would not fit.
fn vote_buttons(entry: &str, knowledge_version: &str) -> Option<Vec<Button>> {
    if entry.is_empty() || knowledge_version.contains(':') {
        return None;
    }
    let button = |helpful: bool| {
        let custom_id = format!(
            "{VOTE_BUTTON}{}:{knowledge_version}:{entry}",
            if helpful { "up" } else { "down" }
        );
        (custom_id.chars().count() <= limit::CUSTOM_ID).then(|| Button {
            custom_id,
            label: if helpful { "Helpful" } else { "Not helpful" }.to_string(),
            primary: false,
            emoji: Some(if helpful { '👍' } else { '👎' }),
        })
    };
    Some(vec![button(true)?, button(false)?])
}

/// The vote a button stands for, if it is one of our 👍 / 👎 buttons.
pub fn vote_of_button(custom_id: &str) -> Option<VoteButton> {
    let rest = custom_id.strip_prefix(VOTE_BUTTON)?;
    let (helpful, rest) = if let Some(r) = rest.strip_prefix("up:") {
        (true, r)
    } else {
        (false, rest.strip_prefix("down:")?)
    };
    let (version, entry) = rest.split_once(':')?;
    if version.is_empty() || entry.is_empty() {
        return None;
    }
    Some(VoteButton {
        helpful,
        knowledge_version: version.to_string(),
        entry: entry.to_string(),
    })
}

/// The reply to an answer (no vote buttons: see [`answer_with_feedback`]).
pub fn answer(a: &Answer) -> Reply {
    let (title, colour) = match a.status {
        Status::Answered => (
            a.title.clone().filter(|_| a.entries.len() <= 1),
            colour::ANSWERED,
        ),
        Status::Clarify => (None, colour::CLARIFY),
        Status::NoMatch => (None, colour::NO_MATCH),
        // No title: the seek-care text leads.
        Status::Urgent => (None, colour::URGENT),
        Status::Help => (None, colour::HELP),
    };
    let fields = a
        .sources
        .iter()
        .map(|s| {
            (
                format!("{}, {}", s.title, s.location),
                format!("“{}”", s.quote),
            )
        })
        .collect();
    let embed = EmbedParts {
        title,
        description: a.answer.clone(),
        colour,
        fields,
        footer: Some(a.disclaimer.clone()),
    };
    let mut buttons: Vec<Button> = Vec::new();
    let offers = a
        .suggestions
        .iter()
        .map(|s| (s, true))
        .chain(a.related.iter().map(|s| (s, false)));
    for (s, primary) in offers {
        if let Some(b) = entry_button(s, primary) {
            if !buttons.iter().any(|x| x.custom_id == b.custom_id) {
                buttons.push(b);
            }
        }
    }
    Reply {
        embed: fit(embed),
        buttons: fit_buttons(buttons),
        feedback: Vec::new(),
    }
}

/// A plain embed (for `/topics`, `/about`, `/kb`), fitted to the limits.
pub fn info(
    title: Option<&str>,
    description: &str,
    colour: u32,
    fields: Vec<(String, String)>,
    footer: Option<&str>,
) -> EmbedParts {
    fit(EmbedParts {
        title: title.map(str::to_string),
        description: description.to_string(),
        colour,
        fields,
        footer: footer.map(str::to_string),
    })
}

fn entry_button(s: &Suggestion, primary: bool) -> Option<Button> {
    let custom_id = format!("{ENTRY_BUTTON}{}", s.entry);
    if custom_id.chars().count() > limit::CUSTOM_ID {
        return None;
    }
    Some(Button {
        custom_id,
        label: truncate(&s.question, limit::LABEL),
        primary,
        emoji: None,
    })
}

/// The entry id a button asks for, if it is one of ours.
pub fn entry_of_button(custom_id: &str) -> Option<&str> {
    custom_id
        .strip_prefix(ENTRY_BUTTON)
        .filter(|id| !id.is_empty())
}

/// At most 5 rows of 5 buttons.
fn fit_buttons(mut buttons: Vec<Button>) -> Vec<Button> {
    buttons.truncate(limit::BUTTONS_PER_ROW * limit::ROWS);
    buttons
}

/// Cuts every part to its limit and the whole to 6,000 characters: the
/// description gives way first (down to 1,000 characters), then quotes from
/// the last, then the description again. Title and disclaimer always stay.
pub fn fit(mut e: EmbedParts) -> EmbedParts {
    e.title = e
        .title
        .map(|t| truncate(&t, limit::TITLE))
        .filter(|t| !t.is_empty());
    e.description = truncate(&e.description, limit::DESCRIPTION);
    e.footer = e
        .footer
        .map(|f| truncate(&f, limit::FOOTER))
        .filter(|f| !f.is_empty());
    e.fields.truncate(limit::FIELDS);
    for (name, value) in &mut e.fields {
        *name = non_empty(truncate(name, limit::FIELD_NAME));
        *value = non_empty(truncate(value, limit::FIELD_VALUE));
    }
    const MIN_DESCRIPTION: usize = 1000;
    let rest = |e: &EmbedParts| total(e) - chars(&e.description);
    if total(&e) > limit::TOTAL {
        let room = limit::TOTAL.saturating_sub(rest(&e));
        if room >= MIN_DESCRIPTION {
            e.description = truncate(&e.description, room);
        } else {
            e.description = truncate(&e.description, MIN_DESCRIPTION.min(chars(&e.description)));
        }
    }
    while total(&e) > limit::TOTAL && !e.fields.is_empty() {
        e.fields.pop();
    }
    if total(&e) > limit::TOTAL {
        let room = limit::TOTAL.saturating_sub(rest(&e));
        e.description = truncate(&e.description, room);
    }
    e
}

/// The characters Discord counts towards the 6,000 of a message's embeds.
pub fn total(e: &EmbedParts) -> usize {
    e.title.as_deref().map_or(0, chars)
        + chars(&e.description)
        + e.fields
            .iter()
            .map(|(n, v)| chars(n) + chars(v))
            .sum::<usize>()
        + e.footer.as_deref().map_or(0, chars)
}

fn chars(s: &str) -> usize {
    s.chars().count()
}

/// Discord rejects empty field names and values.
fn non_empty(s: String) -> String {
    if s.trim().is_empty() {
        "\u{200b}".to_string()
    } else {
        s
    }
}

/// `text` cut to at most `max` characters: at a word boundary when one is
/// near, ending with "…". Unchanged when it fits.
pub fn truncate(text: &str, max: usize) -> String {
    if chars(text) <= max {
        return text.to_string();
    }
    if max == 0 {
        return String::new();
    }
    let keep = max - 1; // room for the ellipsis
    let cut = text.char_indices().nth(keep).map_or(text.len(), |(i, _)| i);
    let head = &text[..cut];
    // Back off to the last whitespace if it is in the last fifth.
    let head = match head.rfind(char::is_whitespace) {
        Some(ws) if chars(&head[ws..]) <= keep / 5 + 1 => &head[..ws],
        _ => head,
    };
    format!("{}…", head.trim_end())
}

/// No pings, ever: not `@everyone`, not roles, not users, not the replied-to author.
pub fn no_mentions() -> CreateAllowedMentions {
    CreateAllowedMentions::new()
}

impl EmbedParts {
    /// The serenity embed.
    pub fn to_embed(&self) -> CreateEmbed {
        let mut e = CreateEmbed::new()
            .description(self.description.clone())
            .colour(self.colour);
        if let Some(t) = &self.title {
            e = e.title(t.clone());
        }
        for (name, value) in &self.fields {
            e = e.field(name.clone(), value.clone(), false);
        }
        if let Some(f) = &self.footer {
            e = e.footer(CreateEmbedFooter::new(f.clone()));
        }
        e
    }
}

impl Reply {
    /// The serenity embed.
    pub fn embed(&self) -> CreateEmbed {
        self.embed.to_embed()
    }

    /// The buttons as rows: at most 5 buttons a row and 5 rows, the 👍 / 👎
    /// row last (empty when there are no buttons).
    pub fn rows(&self) -> Vec<Vec<&Button>> {
        let feedback_rows = usize::from(!self.feedback.is_empty());
        let mut rows: Vec<Vec<&Button>> = self
            .buttons
            .chunks(limit::BUTTONS_PER_ROW)
            .take(limit::ROWS - feedback_rows)
            .map(|row| row.iter().collect())
            .collect();
        if feedback_rows == 1 {
            rows.push(self.feedback.iter().take(limit::BUTTONS_PER_ROW).collect());
        }
        rows
    }

    /// Action rows (see [`Reply::rows`]).
    pub fn components(&self) -> Vec<CreateActionRow> {
        self.rows()
            .into_iter()
            .map(|row| {
                CreateActionRow::Buttons(
                    row.into_iter()
                        .map(|b| {
                            let mut button = CreateButton::new(b.custom_id.clone())
                                .label(b.label.clone())
                                .style(if b.primary {
                                    ButtonStyle::Primary
                                } else {
                                    ButtonStyle::Secondary
                                });
                            if let Some(e) = b.emoji {
                                button = button.emoji(e);
                            }
                            button
                        })
                        .collect(),
                )
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::answer::SourceRef;
    use proptest::prelude::*;

    fn answered() -> Answer {
        Answer {
            question: "how long does the redness last?".into(),
            status: Status::Answered,
            entry: Some("downtime-redness".into()),
            topic: Some("downtime".into()),
            confidence: 0.9,
            answer: "It usually subsides within 24-48 hours.".into(),
            sources: vec![SourceRef {
                document: "skin-renewal".into(),
                title: "Microneedling for Skin Renewal".into(),
                location: "paragraph 7".into(),
                quote: "which usually subsides within 24-48 hours.".into(),
            }],
            suggestions: vec![],
            disclaimer: "Not medical advice.".into(),
            title: Some("How long does the redness last?".into()),
            related: vec![Suggestion {
                entry: "aftercare-sunlight".into(),
                question: "Should I avoid the sun?".into(),
            }],
            entries: vec!["downtime-redness".into()],
            flag: None,
            gap: None,
            fired: None,
            corrected: Vec::new(),
        }
    }

    #[test]
    fn an_answer_has_title_quote_citation_footer_and_follow_ups() {
        let r = answer(&answered());
        assert_eq!(
            r.embed.title.as_deref(),
            Some("How long does the redness last?")
        );
        assert_eq!(
            r.embed.description,
            "It usually subsides within 24-48 hours."
        );
        assert_eq!(
            r.embed.fields,
            vec![(
                "Microneedling for Skin Renewal, paragraph 7".to_string(),
                "“which usually subsides within 24-48 hours.”".to_string()
            )]
        );
        assert_eq!(r.embed.footer.as_deref(), Some("Not medical advice."));
        assert_eq!(r.embed.colour, colour::ANSWERED);
        assert_eq!(
            r.buttons,
            vec![Button {
                custom_id: "mnbot:entry:aftercare-sunlight".into(),
                label: "Should I avoid the sun?".into(),
                primary: false,
                emoji: None,
            }]
        );
        assert_eq!(
            entry_of_button(&r.buttons[0].custom_id),
            Some("aftercare-sunlight")
        );
        assert_eq!(entry_of_button("other:thing"), None);
        assert_eq!(entry_of_button(ENTRY_BUTTON), None);
    }

    #[test]
    fn urgent_leads_with_the_seek_care_text_in_red() {
        let mut a = answered();
        a.status = Status::Urgent;
        a.title = None;
        a.answer = "Please contact your provider now.".into();
        a.sources.clear();
        a.related.clear();
        let r = answer(&a);
        assert_eq!(r.embed.title, None);
        assert!(r.embed.description.starts_with("Please contact"));
        assert_eq!(r.embed.colour, colour::URGENT);
        assert!(r.buttons.is_empty());
    }

    #[test]
    fn clarify_offers_primary_buttons_without_duplicates() {
        let mut a = answered();
        a.status = Status::Clarify;
        a.suggestions = vec![
            Suggestion {
                entry: "a".into(),
                question: "A?".into(),
            },
            Suggestion {
                entry: "aftercare-sunlight".into(),
                question: "Sun?".into(),
            },
        ];
        let r = answer(&a);
        assert_eq!(r.embed.colour, colour::CLARIFY);
        let ids: Vec<&str> = r.buttons.iter().map(|b| b.custom_id.as_str()).collect();
        assert_eq!(ids, ["mnbot:entry:a", "mnbot:entry:aftercare-sunlight"]);
        assert!(r.buttons.iter().all(|b| b.primary));
        assert_eq!(r.components().len(), 1);
    }

    #[test]
    fn truncation_is_clean() {
        assert_eq!(truncate("short", 10), "short");
        assert_eq!(truncate("exactly10!", 10), "exactly10!");
        assert_eq!(truncate("hello wonderful world", 18), "hello wonderful…");
        let t = truncate("abcdefghijklmnop", 8);
        assert_eq!(t, "abcdefg…");
        assert_eq!(truncate("ééééé", 3), "éé…");
        assert_eq!(truncate("anything", 0), "");
        assert_eq!(truncate("ab", 1), "…");
    }

    #[test]
    fn huge_answers_fit_every_limit() {
        let mut a = answered();
        a.title = Some("t".repeat(1000));
        a.answer = "word ".repeat(3000);
        a.disclaimer = "d".repeat(3000);
        a.sources = (0..40)
            .map(|i| SourceRef {
                document: "x".into(),
                title: "T".repeat(300),
                location: format!("paragraph {i}"),
                quote: "q ".repeat(700),
            })
            .collect();
        a.related = (0..40)
            .map(|i| Suggestion {
                entry: format!("e{i}"),
                question: "Q".repeat(200),
            })
            .collect();
        let r = answer(&a);
        check_limits(&r);
        assert_eq!(r.buttons.len(), 25);
        assert_eq!(r.components().len(), 5);
        assert!(r.embed.description.ends_with('…'));
        assert!(r.embed.footer.as_deref().unwrap().ends_with('…'));
        assert!(!r.embed.fields.is_empty(), "some quotes stay");
    }

    #[test]
    fn answered_replies_take_votes_on_a_row_of_their_own() {
        let r = answer_with_feedback(&answered(), "7250b18be08d");
        let ids: Vec<&str> = r.feedback.iter().map(|b| b.custom_id.as_str()).collect();
        assert_eq!(
            ids,
            [
                "mnbot:vote:up:7250b18be08d:downtime-redness",
                "mnbot:vote:down:7250b18be08d:downtime-redness"
            ]
        );
        assert_eq!(r.feedback[0].emoji, Some('👍'));
        assert_eq!(r.feedback[1].emoji, Some('👎'));
        let rows = r.rows();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0][0].custom_id, "mnbot:entry:aftercare-sunlight");
        assert_eq!(rows[1].len(), 2, "votes on the last row, alone");
        assert_eq!(r.components().len(), 2);
        assert_eq!(
            vote_of_button(ids[1]),
            Some(VoteButton {
                helpful: false,
                knowledge_version: "7250b18be08d".into(),
                entry: "downtime-redness".into(),
            })
        );
        assert!(vote_of_button(ids[0]).unwrap().helpful);
        for bad in [
            "mnbot:vote:",
            "mnbot:vote:up:",
            "mnbot:vote:up:v1",
            "mnbot:vote:up::e",
            "mnbot:vote:up:v1:",
            "mnbot:vote:sideways:v1:e",
            "mnbot:entry:e",
        ] {
            assert_eq!(vote_of_button(bad), None, "{bad}");
        }
        assert_eq!(entry_of_button(ids[0]), None);

        // Not answered: no votes.
        for status in [
            Status::Clarify,
            Status::NoMatch,
            Status::Urgent,
            Status::Help,
        ] {
            let mut a = answered();
            a.status = status;
            assert!(
                answer_with_feedback(&a, "v").feedback.is_empty(),
                "{status:?}"
            );
        }
        // No entry, or ids too long for a custom id: no votes, the reply stays.
        let mut a = answered();
        a.entry = None;
        assert!(answer_with_feedback(&a, "v").feedback.is_empty());
        let mut a = answered();
        a.entry = Some("e".repeat(90));
        let r = answer_with_feedback(&a, "7250b18be08d");
        assert!(r.feedback.is_empty());
        assert_eq!(r.buttons.len(), 1);
    }

    #[test]
    fn votes_leave_four_rows_to_follow_ups() {
        let mut a = answered();
        a.related = (0..40)
            .map(|i| Suggestion {
                entry: format!("e{i}"),
                question: format!("Q{i}?"),
            })
            .collect();
        let r = answer_with_feedback(&a, "v1");
        check_limits(&r);
        assert_eq!(r.buttons.len(), 20);
        assert_eq!(r.feedback.len(), 2);
        let rows = r.rows();
        assert_eq!(rows.len(), 5);
        assert!(rows[4].iter().all(|b| b.custom_id.starts_with(VOTE_BUTTON)));
    }

    fn check_limits(r: &Reply) {
        let e = &r.embed;
        assert!(e.title.as_deref().map_or(0, chars) <= limit::TITLE);
        assert!(chars(&e.description) <= limit::DESCRIPTION);
        assert!(e.fields.len() <= limit::FIELDS);
        for (n, v) in &e.fields {
            assert!(chars(n) <= limit::FIELD_NAME && !n.is_empty());
            assert!(chars(v) <= limit::FIELD_VALUE && !v.is_empty());
        }
        assert!(e.footer.as_deref().map_or(0, chars) <= limit::FOOTER);
        assert!(total(e) <= limit::TOTAL, "total {}", total(e));
        assert!(r.buttons.len() + r.feedback.len() <= limit::BUTTONS_PER_ROW * limit::ROWS);
        let rows = r.rows();
        assert!(rows.len() <= limit::ROWS);
        assert!(rows.iter().all(|row| row.len() <= limit::BUTTONS_PER_ROW));
        assert_eq!(
            rows.iter().map(Vec::len).sum::<usize>(),
            r.buttons.len() + r.feedback.len(),
            "every button is shown"
        );
        for b in r.buttons.iter().chain(&r.feedback) {
            assert!(chars(&b.label) <= limit::LABEL && !b.label.is_empty());
            assert!(chars(&b.custom_id) <= limit::CUSTOM_ID);
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        #[test]
        fn any_answer_fits(
            title in ".{0,400}",
            body in ".{0,6000}",
            disclaimer in ".{0,2500}",
            quotes in prop::collection::vec((".{1,300}", ".{1,1500}"), 0..30),
            related in prop::collection::vec(("[a-z-]{1,120}", ".{1,120}"), 0..30),
        ) {
            let mut a = answered();
            a.title = Some(title);
            a.answer = if body.trim().is_empty() { "x".into() } else { body };
            a.disclaimer = disclaimer;
            a.sources = quotes.into_iter().map(|(t, q)| SourceRef {
                document: "d".into(), title: t, location: "paragraph 1".into(), quote: q,
            }).collect();
            a.related = related.into_iter().map(|(e, q)| Suggestion { entry: e, question: q }).collect();
            let r = answer(&a);
            check_limits(&r);
            check_limits(&answer_with_feedback(&a, "7250b18be08d"));
        }
    }
}
