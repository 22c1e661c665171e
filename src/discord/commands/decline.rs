//! `/kb decline question:<text> subject:<id> [label:<text>]`: declines the
//! question as a subject the source does not cover (its words become a
//! pattern of the subject; a label creates the subject), through the same
//! code as `microneedling-bot teach --not-covered`.

use super::teach::write;
use super::{Context, Error};
use crate::discord::render::{limit, truncate};
use crate::teach::{Change, Request};
use serenity::all::CreateAutocompleteResponse;

/// Decline a question as not covered by the source (moderators)
#[poise::command(slash_command, rename = "decline")]
pub async fn kb_decline(
    ctx: Context<'_>,
    #[description = "The question, as members asked it"] question: String,
    #[description = "The not-covered subject (an id from not_covered.toml, or a new one with a label)"]
    #[autocomplete = "autocomplete_subject"]
    subject: String,
    #[description = "For a new subject: what it is about (\"My source doesn't cover …\")"]
    label: Option<String>,
) -> Result<(), Error> {
    write(
        ctx,
        Request {
            question,
            change: Change::NotCovered { subject, label },
        },
    )
    .await
}

/// Subjects whose id or description contains what was typed.
async fn autocomplete_subject(ctx: Context<'_>, partial: &str) -> CreateAutocompleteResponse {
    let engine = ctx.data().live.engine();
    let partial = partial.trim().to_lowercase();
    engine
        .knowledge()
        .gaps
        .iter()
        .filter(|g| g.id.contains(&partial) || g.about.to_lowercase().contains(&partial))
        .take(25)
        .fold(CreateAutocompleteResponse::new(), |r, g| {
            r.add_string_choice(
                truncate(&format!("{} — {}", g.id, g.about), limit::CHOICE),
                g.id.clone(),
            )
        })
}
