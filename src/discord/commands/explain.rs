//! `/kb explain question:<text>`: why the bot answers a question the way it
//! does (as `microneedling-bot explain`), privately.

use super::{send_private_embed, Context, Error};
use crate::discord::render::{self, colour, limit, truncate};
use crate::teach;

/// Why a question gets its answer: outcome, what fired, terms, best entries (moderators)
#[poise::command(slash_command, rename = "explain")]
pub async fn kb_explain(
    ctx: Context<'_>,
    #[description = "The question, as members asked it"] question: String,
) -> Result<(), Error> {
    let bot = ctx.data();
    let _work = bot.inflight.enter();
    let engine = bot.live.engine();
    let e = teach::explain(&engine, &question);
    send_private_embed(ctx, "explain reply", explain_embed(&e)).await
}

/// The explanation in a code block (backticks in it made harmless).
pub fn explain_embed(e: &teach::Explanation) -> render::EmbedParts {
    let text = e.to_string().replace('`', "'");
    render::info(
        Some("How I read this question"),
        &format!("```\n{}\n```", truncate(&text, limit::DESCRIPTION - 20)),
        colour::HELP,
        vec![],
        None,
    )
}
