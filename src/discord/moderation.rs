//! What the gap record shows moderators in Discord: `/kb gaps` (the most
//! frequent unanswered questions, grouped) and the record's part of `/kb stats`
//! (helpfulness per entry, outcomes per day).
//!
//! The record is read on a blocking thread (SQLite waits on the disk,
//! PostgreSQL on the network; with several processes sharing a database,
//! every process's rows are read), after
//! the recorder has written what it had queued (bounded), so a moderator sees
//! what members asked a moment ago. Everything is cut to Discord's limits.

use super::render::{self, colour, limit, truncate, EmbedParts};
use super::Bot;
use crate::gaps::{
    format_day, retention_start, today, Day, FeedbackCount, GapGroup, GapOutcome, OutcomeCount,
    RecordStore,
};
use std::fmt::Write as _;
use std::time::Duration;

/// How long a read waits for the recorder to write what it had queued.
const FLUSH_BEFORE_READ: Duration = Duration::from_secs(2);
/// Days of outcome counts `/kb stats` shows, today included.
pub const STATS_DAYS: u32 = 7;
/// Entries listed with their votes at most.
const MAX_FEEDBACK_LINES: usize = 15;
/// Other wordings shown under a group at most.
const EXAMPLES_SHOWN: usize = 2;

/// What reading the record gave.
#[derive(Debug, Clone, PartialEq)]
pub enum Read<T> {
    /// Recording is switched off in the settings.
    Off,
    /// Recording is on but the record could not be opened at start-up.
    Unavailable,
    /// Nothing recorded yet (no file).
    Empty,
    /// The record's contents.
    Found(T),
    /// Reading failed (the reason is logged).
    Failed,
}

/// The record's part of `/kb stats`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct RecordStats {
    /// Votes per entry, most thumbs-down first.
    pub feedback: Vec<FeedbackCount>,
    /// Outcomes per day over the last [`STATS_DAYS`] days.
    pub outcomes: Vec<OutcomeCount>,
    /// The first day counted.
    pub since: Day,
}

/// Reads the record with `f` on a blocking thread, after a bounded flush.
async fn read<T, F>(bot: &Bot, f: F) -> Read<T>
where
    T: Send + 'static,
    F: FnOnce(&mut dyn RecordStore) -> Result<T, crate::gaps::GapError> + Send + 'static,
{
    if !bot.recording.enabled {
        return Read::Off;
    }
    if !bot.recorder.is_enabled() {
        return Read::Unavailable;
    }
    let recorder = bot.recorder.clone();
    let settings = bot.recording.clone();
    let result = tokio::task::spawn_blocking(move || {
        recorder.flush(FLUSH_BEFORE_READ);
        match crate::gaps::open_existing(&settings) {
            Ok(None) => Read::Empty,
            Ok(Some(mut store)) => match f(store.as_mut()) {
                Ok(t) => Read::Found(t),
                Err(e) => {
                    tracing::warn!(error = %e, "reading the gap record failed");
                    Read::Failed
                }
            },
            Err(e) => {
                tracing::warn!(error = %e, "opening the gap record to read it failed");
                Read::Failed
            }
        }
    })
    .await;
    result.unwrap_or(Read::Failed)
}

/// Unanswered questions of the last `days` days (today included), grouped.
pub async fn read_gaps(bot: &Bot, days: u32) -> Read<Vec<GapGroup>> {
    let since = retention_start(today(), days);
    read(bot, move |store| store.gaps(since)).await
}

/// Votes per entry and outcomes per day for `/kb stats`.
pub async fn read_stats(bot: &Bot) -> Read<RecordStats> {
    let since = retention_start(today(), STATS_DAYS);
    read(bot, move |store| {
        Ok(RecordStats {
            feedback: store.feedback_counts()?,
            outcomes: store.outcome_counts(since)?,
            since,
        })
    })
    .await
}

/// Why there is nothing to show, in a sentence; `None` for [`Read::Found`].
fn why_nothing<T>(r: &Read<T>) -> Option<&'static str> {
    match r {
        Read::Off => Some("Recording is switched off (`recording.enabled = false`): nothing is recorded."),
        Read::Unavailable => Some("The record could not be opened when the bot started (see its log): nothing is being recorded."),
        Read::Empty => Some("Nothing recorded yet."),
        Read::Failed => Some("The record could not be read just now (see the bot's log); try again in a moment."),
        Read::Found(_) => None,
    }
}

/// Markdown characters shown as typed in a member's words.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '\\' | '*' | '_' | '~' | '`' | '|' | '>' | '[' | ']') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// A question as shown: escaped and cut, or what a wordless thumbs-down stands for.
fn shown_question(q: &str, max: usize) -> String {
    if q.trim().is_empty() {
        "(a 👎 whose question was no longer known)".to_string()
    } else {
        escape(&truncate(q, max))
    }
}

/// The `/kb gaps` embed: groups, most frequent first, as many as fit.
pub fn gaps_embed(read: &Read<Vec<GapGroup>>, days: u32) -> EmbedParts {
    let title = format!(
        "Unanswered questions: last {days} day{}",
        if days == 1 { "" } else { "s" }
    );
    let footer = "Questions are kept without mentions, e-mail addresses, phone numbers, links or anything about who asked. `microneedling-bot gaps` lists them all.";
    let groups = match (read, why_nothing(read)) {
        (Read::Found(g), _) => g,
        (_, why) => {
            return render::info(
                Some(&title),
                why.unwrap_or_default(),
                colour::HELP,
                vec![],
                Some(footer),
            )
        }
    };
    if groups.is_empty() {
        return render::info(
            Some(&title),
            &format!("No unanswered question in the last {days} day(s)."),
            colour::ANSWERED,
            vec![],
            Some(footer),
        );
    }
    let mut text = String::from(
        "Most frequent first; similar wordings are grouped. Nearest entry and its score in brackets.\n\n",
    );
    // Room for the "and N more" line.
    let budget = limit::DESCRIPTION - 120;
    for (i, g) in groups.iter().enumerate() {
        let mut block = format!("**{}×** {}", g.count, shown_question(&g.question, 200));
        let nearest = match (&g.nearest_entry, g.best_score) {
            (Some(e), Some(s)) => format!("`{e}` {s:.2}"),
            (Some(e), None) => format!("`{e}`"),
            (None, _) => "none".to_string(),
        };
        let outcomes: Vec<String> = g
            .outcomes
            .iter()
            .map(|(o, n)| format!("{} {n}", GapOutcome::label_of(o)))
            .collect();
        let _ = write!(block, "\n  nearest: {nearest} · {}", outcomes.join(", "));
        for example in g.examples.iter().take(EXAMPLES_SHOWN) {
            let _ = write!(block, "\n  ~ {}", shown_question(example, 120));
        }
        block.push('\n');
        if text.chars().count() + block.chars().count() > budget {
            let _ = write!(
                text,
                "… and {} more group(s): `microneedling-bot gaps` lists them all.",
                groups.len() - i
            );
            break;
        }
        text.push_str(&block);
    }
    render::info(
        Some(&title),
        text.trim_end(),
        colour::CLARIFY,
        vec![],
        Some(footer),
    )
}

/// The record's fields of `/kb stats`: helpfulness per entry, outcomes per day.
pub fn stats_fields(read: &Read<RecordStats>) -> Vec<(String, String)> {
    let helpfulness = "Helpfulness per entry (👍 / 👎, all days kept)".to_string();
    let per_day = format!("Replies per day (last {STATS_DAYS} days)");
    let stats = match (read, why_nothing(read)) {
        (Read::Found(s), _) => s,
        (_, why) => return vec![(helpfulness, why.unwrap_or_default().to_string())],
    };
    let votes = if stats.feedback.is_empty() {
        "No votes yet.".to_string()
    } else {
        let lines: Vec<String> = stats
            .feedback
            .iter()
            .map(|f| format!("`{}`: {} 👍 / {} 👎", f.entry, f.up, f.down))
            .collect();
        fit_lines(&lines, MAX_FEEDBACK_LINES)
    };
    let mut days: Vec<(Day, Vec<String>)> = Vec::new();
    for o in &stats.outcomes {
        match days.last_mut() {
            Some((d, parts)) if *d == o.day => parts.push(format!("{} {}", o.outcome, o.count)),
            _ => days.push((o.day, vec![format!("{} {}", o.outcome, o.count)])),
        }
    }
    let outcomes = if days.is_empty() {
        format!("No replies recorded since {}.", format_day(stats.since))
    } else {
        // Newest day first: the first to go when it does not fit is the oldest.
        let lines: Vec<String> = days
            .iter()
            .rev()
            .map(|(d, parts)| format!("{}: {}", format_day(*d), parts.join(", ")))
            .collect();
        fit_lines(&lines, STATS_DAYS as usize)
    };
    vec![(helpfulness, votes), (per_day, outcomes)]
}

/// Up to `max` lines within a field value; "… N more" when some are left out.
fn fit_lines(lines: &[String], max: usize) -> String {
    let mut out = String::new();
    let budget = limit::FIELD_VALUE - 30;
    for (i, line) in lines.iter().enumerate() {
        let line = truncate(line, 200);
        if i == max || out.chars().count() + line.chars().count() + 1 > budget {
            let _ = write!(out, "… {} more", lines.len() - i);
            return out;
        }
        out.push_str(&line);
        out.push('\n');
    }
    out.trim_end().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    fn group(q: &str, count: u64, entry: Option<&str>) -> GapGroup {
        GapGroup {
            question: q.into(),
            count,
            examples: vec![format!("{q} (again)"), "x".into(), "y".into()],
            nearest_entry: entry.map(Into::into),
            best_score: entry.map(|_| 0.213),
            outcomes: BTreeMap::from([("no_match".to_string(), count)]),
        }
    }

    #[test]
    fn groups_show_count_question_nearest_entry_and_score() {
        let e = gaps_embed(
            &Read::Found(vec![
                group("how much does microneedling cost?", 3, Some("pricing")),
                group("is *it* halal?", 2, None),
            ]),
            30,
        );
        assert_eq!(
            e.title.as_deref(),
            Some("Unanswered questions: last 30 days")
        );
        let d = &e.description;
        assert!(
            d.contains("**3×** how much does microneedling cost?"),
            "{d}"
        );
        assert!(d.contains("nearest: `pricing` 0.21 · no match 3"), "{d}");
        assert!(
            d.contains("**2×** is \\*it\\* halal?"),
            "markdown escaped: {d}"
        );
        assert!(d.contains("nearest: none"), "{d}");
        assert!(
            d.contains("~ how much does microneedling cost? (again)"),
            "{d}"
        );
        assert!(!d.contains("~ y"), "two examples at most: {d}");
        assert!(d.find("**3×**") < d.find("**2×**"));
    }

    #[test]
    fn many_groups_fit_and_say_how_many_are_left_out() {
        let groups: Vec<GapGroup> = (0..500)
            .map(|i| {
                group(
                    &format!("question {i} {}", "long ".repeat(60)),
                    500 - i,
                    Some("e"),
                )
            })
            .collect();
        let e = gaps_embed(&Read::Found(groups), 7);
        assert!(e.description.chars().count() <= limit::DESCRIPTION);
        assert!(render::total(&e) <= limit::TOTAL);
        assert!(e.description.contains("more group(s)"), "{}", e.description);
    }

    #[test]
    fn nothing_to_show_says_why() {
        for (r, needle) in [
            (Read::Off, "switched off"),
            (Read::Unavailable, "could not be opened"),
            (Read::Empty, "Nothing recorded yet"),
            (Read::Failed, "could not be read"),
            (Read::Found(vec![]), "No unanswered question"),
        ] {
            let e = gaps_embed(&r, 1);
            assert!(e.description.contains(needle), "{r:?}: {}", e.description);
            assert_eq!(e.title.as_deref(), Some("Unanswered questions: last 1 day"));
        }
    }

    #[test]
    fn stats_show_votes_per_entry_and_outcomes_per_day() {
        let stats = RecordStats {
            feedback: vec![
                FeedbackCount {
                    entry: "safety-is-it-safe".into(),
                    up: 0,
                    down: 2,
                },
                FeedbackCount {
                    entry: "procedure-pain".into(),
                    up: 1,
                    down: 0,
                },
            ],
            outcomes: vec![
                OutcomeCount {
                    day: 19_723,
                    outcome: "answered".into(),
                    count: 4,
                },
                OutcomeCount {
                    day: 19_723,
                    outcome: "no_match".into(),
                    count: 2,
                },
                OutcomeCount {
                    day: 19_724,
                    outcome: "answered".into(),
                    count: 1,
                },
            ],
            since: 19_718,
        };
        let fields = stats_fields(&Read::Found(stats));
        assert_eq!(fields.len(), 2);
        assert_eq!(
            fields[0].1,
            "`safety-is-it-safe`: 0 👍 / 2 👎\n`procedure-pain`: 1 👍 / 0 👎"
        );
        assert_eq!(
            fields[1].1,
            "2024-01-02: answered 1\n2024-01-01: answered 4, no_match 2"
        );
        let off = stats_fields(&Read::Off);
        assert!(off[0].1.contains("switched off"));

        let many = RecordStats {
            feedback: (0..100)
                .map(|i| FeedbackCount {
                    entry: format!("entry-{i}-{}", "x".repeat(80)),
                    up: i,
                    down: 0,
                })
                .collect(),
            ..RecordStats::default()
        };
        let fields = stats_fields(&Read::Found(many));
        assert!(fields[0].1.chars().count() <= limit::FIELD_VALUE);
        assert!(fields[0].1.ends_with("more"), "{}", fields[0].1);
        assert!(fields[1].1.starts_with("No replies recorded since"));
    }
}
