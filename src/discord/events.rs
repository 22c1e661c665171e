//! Messages and button presses.
//!
//! A message that mentions the bot, and any DM, gets a reply to that message
//! (an empty mention gets the help text). In the auto-answer channels from the
//! settings, other messages get a reply only when the outcome is `answered` or
//! `urgent`, never for chatter. Bots (the bot itself included) and webhooks are
//! ignored. A button from one of the bot's replies answers its entry, privately
//! to whoever pressed it; a 👍 / 👎 is counted once per member and reply, and
//! the member is thanked privately.

use super::feedback::{notice, Ballot};
use super::limits::{cap_input, Verdict};
use super::render::{self, no_mentions, VoteButton};
use super::{retry, Bot, Data, Error};
use crate::gaps::Vote;
use crate::Status;
use serenity::all::{
    ComponentInteraction, Context as SerenityContext, CreateInteractionResponse,
    CreateInteractionResponseMessage, CreateMessage, FullEvent, Interaction, Message,
    MessageInteractionMetadata, ReactionType, UserId,
};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

/// poise's event hook: everything that is not a slash command.
pub async fn handle(
    framework: poise::FrameworkContext<'_, Data, Error>,
    event: &FullEvent,
) -> Result<(), Error> {
    let ctx = framework.serenity_context;
    let bot = framework.user_data;
    match event {
        FullEvent::Message { new_message } => {
            on_message(ctx, bot, new_message, framework.bot_id()).await;
        }
        FullEvent::InteractionCreate {
            interaction: Interaction::Component(press),
        } => on_button(ctx, bot, press).await,
        FullEvent::Ready { data_about_bot } => {
            bot.gateway_ready(data_about_bot.shard.map_or(0, |s| s.id.0));
            tracing::info!(
                shard = ?data_about_bot.shard.map(|s| (s.id.0, s.total)),
                guilds = data_about_bot.guilds.len(),
                "connected to Discord"
            );
        }
        FullEvent::Resume { .. } => {
            bot.gateway_resumed();
            tracing::info!("gateway session resumed");
        }
        _ => {}
    }
    Ok(())
}

/// Why a message is answered, if it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Trigger {
    /// A direct message.
    Dm,
    /// The bot was mentioned.
    Mention,
    /// A message in an auto-answer channel.
    Auto,
}

impl Trigger {
    fn as_str(self) -> &'static str {
        match self {
            Trigger::Dm => "dm",
            Trigger::Mention => "mention",
            Trigger::Auto => "auto",
        }
    }
}

/// Whether (and why) the bot answers `msg`.
pub fn trigger(msg: &Message, bot_id: UserId, auto_channels: &[u64]) -> Option<Trigger> {
    if msg.author.bot || msg.author.id == bot_id || msg.webhook_id.is_some() {
        return None;
    }
    if msg.guild_id.is_none() {
        Some(Trigger::Dm)
    } else if msg.mentions.iter().any(|u| u.id == bot_id) {
        Some(Trigger::Mention)
    } else if auto_channels.contains(&msg.channel_id.get()) {
        Some(Trigger::Auto)
    } else {
        None
    }
}

/// The message without the bot's own mention(s).
pub fn without_mention(content: &str, bot_id: UserId) -> String {
    content
        .replace(&format!("<@{bot_id}>"), " ")
        .replace(&format!("<@!{bot_id}>"), " ")
        .trim()
        .to_string()
}

async fn on_message(ctx: &SerenityContext, bot: &Bot, msg: &Message, bot_id: UserId) {
    let Some(trigger) = trigger(msg, bot_id, &bot.settings.auto_answer_channels) else {
        return;
    };
    let started = Instant::now();
    let _work = bot.inflight.enter();
    let engine = bot.live.engine();
    let text = without_mention(&msg.content, bot_id);
    let a = engine.answer(cap_input(&text, bot.max_input));
    if trigger == Trigger::Auto && !matches!(a.status, Status::Answered | Status::Urgent) {
        return;
    }
    let channel = msg.guild_id.map(|_| msg.channel_id.get());
    let verdict = bot.limits.admit(
        msg.author.id.get(),
        channel,
        a.status == Status::Urgent,
        Instant::now(),
    );
    if verdict != Verdict::Allowed {
        match verdict {
            Verdict::Cooldown { .. } => bot.stats.cooldown(),
            _ => bot.stats.busy_channel(),
        }
        tracing::info!(via = trigger.as_str(), refused = ?verdict, "question refused by a limit");
        // A message cannot get a private notice: a reaction says "wait" without
        // adding to the channel (none in auto-answer channels).
        if trigger != Trigger::Auto {
            if let Err(e) = msg
                .react(&ctx.http, ReactionType::Unicode("⏳".into()))
                .await
            {
                tracing::debug!(error = %retry::Retryable::describe(&e), "could not react");
            }
        }
        return;
    }
    let reply = bot.render(&engine, &a);
    let create = CreateMessage::new()
        .embed(reply.embed())
        .components(reply.components())
        .reference_message(msg)
        .allowed_mentions(no_mentions());
    // The semaphore is never closed; without a turn, send anyway.
    let _turn = bot.sending.acquire().await.ok();
    let sent = retry::send("message reply", || {
        msg.channel_id.send_message(&ctx.http, create.clone())
    })
    .await;
    match sent {
        Ok(sent) => bot.replied(trigger.as_str(), &engine, &a, started, Some(sent.id.get())),
        Err(_) => bot.stats.failed_reply(),
    }
}

async fn on_button(ctx: &SerenityContext, bot: &Bot, press: &ComponentInteraction) {
    if let Some(vote) = render::vote_of_button(&press.data.custom_id) {
        return on_vote(ctx, bot, press, vote).await;
    }
    let Some(entry) = render::entry_of_button(&press.data.custom_id) else {
        return;
    };
    let started = Instant::now();
    let _work = bot.inflight.enter();
    let engine = bot.live.engine();
    let answer = engine.answer_entry(entry);
    let message = match &answer {
        Some(a) => {
            let reply = bot.render(&engine, a);
            CreateInteractionResponseMessage::new()
                .embed(reply.embed())
                .components(reply.components())
        }
        None => CreateInteractionResponseMessage::new().content(
            "That question is no longer in my knowledge base. Try `/ask` with your own words.",
        ),
    };
    let response =
        CreateInteractionResponse::Message(message.ephemeral(true).allowed_mentions(no_mentions()));
    let sent = retry::send("button reply", || {
        press.create_response(&ctx.http, response.clone())
    })
    .await;
    match (sent, answer) {
        // The words are the entry's, not a member's: nothing to remember for a 👎.
        (Ok(()), Some(a)) => bot.replied("button", &engine, &a, started, None),
        (Ok(()), None) => {}
        (Err(_), _) => bot.stats.failed_reply(),
    }
}

/// When a message (a snowflake) was sent, as time elapsed since.
fn age_of(snowflake: u64) -> Duration {
    const DISCORD_EPOCH_MS: u64 = 1_420_070_400_000;
    let sent = UNIX_EPOCH + Duration::from_millis((snowflake >> 22) + DISCORD_EPOCH_MS);
    SystemTime::now()
        .duration_since(sent)
        .unwrap_or(Duration::ZERO)
}

/// The ids under which the question of the reply `m` may be remembered: the
/// message's own, and that of the interaction it answered (`/ask`).
pub fn reply_ids(m: &Message) -> Vec<u64> {
    let mut ids = vec![m.id.get()];
    let interaction = match m.interaction_metadata.as_deref() {
        Some(MessageInteractionMetadata::Command(c)) => Some(c.id.get()),
        Some(MessageInteractionMetadata::Component(c)) => Some(c.id.get()),
        Some(MessageInteractionMetadata::ModalSubmit(c)) => Some(c.id.get()),
        _ => {
            #[allow(deprecated)]
            let legacy = m.interaction.as_ref().map(|i| i.id.get());
            legacy
        }
    };
    ids.extend(interaction);
    ids
}

/// A 👍 or 👎: counted for the entry (never with the member) once per member
/// and reply; a 👎 also records the reply's question as a gap, when the bot
/// still has it. The member is told privately either way.
async fn on_vote(ctx: &SerenityContext, bot: &Bot, press: &ComponentInteraction, vote: VoteButton) {
    let _work = bot.inflight.enter();
    let now = Instant::now();
    let reply = press.message.id.get();
    let ballot = bot
        .feedback
        .vote(reply, press.user.id.get(), age_of(reply), now);
    let text = match ballot {
        Ballot::Counted => {
            let asked = (!vote.helpful)
                .then(|| bot.feedback.question(&reply_ids(&press.message), now))
                .flatten();
            tracing::info!(
                entry = %vote.entry,
                helpful = vote.helpful,
                question_kept = asked.is_some(),
                "vote counted"
            );
            bot.recorder.record_feedback(Vote {
                entry: vote.entry,
                helpful: vote.helpful,
                knowledge_version: vote.knowledge_version,
                score: asked.as_ref().map(|a| a.score),
                question: asked.map(|a| a.question),
            });
            if vote.helpful {
                notice::THANKS_UP
            } else {
                notice::THANKS_DOWN
            }
        }
        Ballot::Already => {
            tracing::info!(entry = %vote.entry, "a second vote on the same reply was not counted");
            notice::ALREADY
        }
        Ballot::Closed => notice::CLOSED,
    };
    let response = CreateInteractionResponse::Message(
        CreateInteractionResponseMessage::new()
            .content(text)
            .ephemeral(true)
            .allowed_mentions(no_mentions()),
    );
    let sent = retry::send("vote reply", || {
        press.create_response(&ctx.http, response.clone())
    })
    .await;
    if sent.is_err() {
        bot.stats.failed_reply();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const BOT: u64 = 1000;

    fn message(
        guild: bool,
        author_bot: bool,
        author: u64,
        content: &str,
        mentions: &[u64],
    ) -> Message {
        let mut m = json!({
            "id": "1", "channel_id": "20",
            "author": {"id": author.to_string(), "username": "u", "discriminator": "0",
                       "global_name": null, "avatar": null, "bot": author_bot},
            "content": content, "timestamp": "2024-01-01T00:00:00.000000+00:00",
            "edited_timestamp": null, "tts": false, "mention_everyone": false,
            "mentions": mentions.iter().map(|id| json!({"id": id.to_string(), "username": "b",
                "discriminator": "0", "global_name": null, "avatar": null})).collect::<Vec<_>>(),
            "mention_roles": [], "attachments": [], "embeds": [], "pinned": false, "type": 0,
        });
        if guild {
            m["guild_id"] = json!("9");
        }
        serde_json::from_value(m).unwrap()
    }

    #[test]
    fn who_gets_an_answer() {
        let bot = UserId::new(BOT);
        let t = |m: &Message, auto: &[u64]| trigger(m, bot, auto);
        assert_eq!(
            t(&message(false, false, 5, "hi", &[]), &[]),
            Some(Trigger::Dm)
        );
        assert_eq!(
            t(&message(true, false, 5, "<@1000> hi", &[BOT]), &[]),
            Some(Trigger::Mention)
        );
        assert_eq!(t(&message(true, false, 5, "hi", &[]), &[]), None);
        assert_eq!(t(&message(true, false, 5, "hi", &[7]), &[]), None);
        assert_eq!(
            t(&message(true, false, 5, "hi", &[]), &[20]),
            Some(Trigger::Auto)
        );
        // Bots, including itself, never.
        assert_eq!(t(&message(false, true, 6, "hi", &[]), &[]), None);
        assert_eq!(t(&message(true, true, 6, "<@1000>", &[BOT]), &[20]), None);
        assert_eq!(t(&message(false, false, BOT, "hi", &[]), &[]), None);
    }

    #[test]
    fn the_mention_is_taken_out() {
        let bot = UserId::new(BOT);
        assert_eq!(
            without_mention("<@1000> does it hurt?", bot),
            "does it hurt?"
        );
        assert_eq!(
            without_mention("does it hurt <@!1000>", bot),
            "does it hurt"
        );
        assert_eq!(without_mention("<@1000>", bot), "");
        assert_eq!(without_mention("<@2000> hi", bot), "<@2000> hi");
    }
}
