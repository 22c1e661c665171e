//! The Discord front end: connects with serenity, registers the slash
//! commands (poise), answers mentions, DMs and auto-answer channels, and
//! serves live knowledge.
//!
//! [`serve`] runs the bot until a shutdown future completes; the `serve`
//! command passes SIGINT/SIGTERM, tests pass a channel. With
//! `discord.api_base` set, REST and gateway traffic go to that base URL (a
//! local fake Discord or a REST proxy) and serenity's ratelimiter is off (it
//! would ignore the proxy).
//!
//! Modules, one job each: [`commands`] (slash commands), [`events`] (messages
//! and buttons), [`render`] (an answer as an embed and buttons, within
//! Discord's limits), [`limits`] (cooldown, channel cap, input cap),
//! [`permissions`] (who is a moderator), [`retry`] (bounded retries of a
//! reply on a Discord 5xx), [`stats`] (outcome counters, the reply log line),
//! [`inflight`] (replies to finish before shutting down).

pub mod commands;
pub mod events;
pub mod inflight;
pub mod limits;
pub mod permissions;
pub mod render;
pub mod retry;
pub mod stats;

use crate::live::LiveEngine;
use crate::settings::{DiscordSettings, Settings};
use limits::Limits;
use serenity::all::{ClientBuilder, Command, GatewayIntents, GuildId, HttpBuilder};
use serenity::gateway::GatewayError;
use serenity::http::HttpError;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

/// Message replies being sent to Discord at once, at most; more wait their turn.
/// (Bounds connections and memory under a burst; interaction responses, which
/// Discord wants within 3 s, never wait.)
pub const MAX_CONCURRENT_MESSAGE_REPLIES: usize = 32;
/// How long a shutdown waits for replies in progress.
pub const DRAIN_TIMEOUT: Duration = Duration::from_secs(10);
/// How long a shutdown waits for the shards to close.
const SHARD_CLOSE_TIMEOUT: Duration = Duration::from_secs(8);

/// Errors the commands return to poise (logged, never shown to members).
pub type Error = Box<dyn std::error::Error + Send + Sync>;
/// What every command and event handler gets.
pub type Data = Arc<Bot>;
/// A poise command context.
pub type Context<'a> = poise::Context<'a, Data, Error>;

/// The bot's shared state.
#[derive(Debug)]
pub struct Bot {
    /// The knowledge being served.
    pub live: Arc<LiveEngine>,
    /// The Discord settings.
    pub settings: DiscordSettings,
    /// Messages are cut to this many characters.
    pub max_input: usize,
    /// Cooldown and channel cap.
    pub limits: Limits,
    /// Counters since start.
    pub stats: stats::Stats,
    /// Replies in progress.
    pub inflight: inflight::InFlight,
    /// Turns to send a message reply (see [`MAX_CONCURRENT_MESSAGE_REPLIES`]).
    pub sending: tokio::sync::Semaphore,
}

impl Bot {
    /// The state for `settings`, serving `live`.
    pub fn new(settings: &Settings, live: Arc<LiveEngine>) -> Bot {
        let d = &settings.discord;
        Bot {
            live,
            settings: d.clone(),
            max_input: settings.matching.max_input_chars,
            limits: Limits::new(
                Duration::from_secs(d.user_cooldown_seconds),
                d.channel_replies_per_minute,
            ),
            stats: stats::Stats::default(),
            inflight: inflight::InFlight::default(),
            sending: tokio::sync::Semaphore::new(MAX_CONCURRENT_MESSAGE_REPLIES),
        }
    }
}

/// Why the bot could not run. Each message is one line saying what to do.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    /// No token in the settings or the environment.
    #[error("no Discord bot token: set DISCORD_TOKEN (or MNBOT_DISCORD__TOKEN) to the token from the Discord developer portal (Bot → Reset Token)")]
    MissingToken,
    /// Discord refused the token (REST 401 or gateway close 4004).
    #[error("Discord rejected the bot token: check DISCORD_TOKEN (Discord developer portal → your application → Bot → Reset Token)")]
    RejectedToken,
    /// The message-content intent is not enabled for the application.
    #[error("Discord refused the gateway intents: enable \"Message Content Intent\" (developer portal → Bot → Privileged Gateway Intents), which discord.auto_answer_channels needs, or clear auto_answer_channels")]
    DisallowedIntents,
    /// Anything else from Discord or the connection.
    #[error("Discord connection failed: {0}")]
    Discord(String),
}

impl ServeError {
    fn from_serenity(e: serenity::Error) -> ServeError {
        match &e {
            serenity::Error::Gateway(GatewayError::InvalidAuthentication) => {
                ServeError::RejectedToken
            }
            serenity::Error::Http(HttpError::UnsuccessfulRequest(r))
                if r.status_code.as_u16() == 401 =>
            {
                ServeError::RejectedToken
            }
            serenity::Error::Gateway(
                GatewayError::DisallowedGatewayIntents | GatewayError::InvalidGatewayIntents,
            ) => ServeError::DisallowedIntents,
            _ => ServeError::Discord(retry::Retryable::describe(&e)),
        }
    }
}

/// The gateway intents: guilds, guild messages and DMs; the privileged
/// message-content intent only when auto-answer channels are configured
/// (mentions and DMs carry their content without it).
pub fn intents(d: &DiscordSettings) -> GatewayIntents {
    let mut intents =
        GatewayIntents::GUILDS | GatewayIntents::GUILD_MESSAGES | GatewayIntents::DIRECT_MESSAGES;
    if !d.auto_answer_channels.is_empty() {
        intents |= GatewayIntents::MESSAGE_CONTENT;
    }
    intents
}

/// The REST client: Discord itself, or `api_base` (then without serenity's
/// ratelimiter, which would send to Discord regardless of the proxy).
fn http(d: &DiscordSettings, token: &str) -> serenity::http::Http {
    let mut builder = HttpBuilder::new(token);
    if let Some(base) = &d.api_base {
        builder = builder
            .proxy(base.trim_end_matches('/'))
            .ratelimiter_disabled(true);
    }
    builder.build()
}

/// Runs the bot until `shutdown` completes or the connection fails for good.
///
/// On shutdown the shards are closed (no new events), replies in progress are
/// given up to [`DRAIN_TIMEOUT`] to finish, and `Ok(())` is returned. The
/// caller owns `live` (and its file watcher, if any).
pub async fn serve<F>(
    settings: &Settings,
    live: Arc<LiveEngine>,
    shutdown: F,
) -> Result<(), ServeError>
where
    F: Future<Output = ()> + Send,
{
    let d = &settings.discord;
    let token = d
        .token
        .as_ref()
        .map(|t| t.expose().trim())
        .filter(|t| !t.is_empty())
        .ok_or(ServeError::MissingToken)?;
    let bot: Data = Arc::new(Bot::new(settings, live));
    let intents = intents(d);

    let framework_bot = Arc::clone(&bot);
    let guild = d.guild_id;
    let framework = poise::Framework::builder()
        .options(poise::FrameworkOptions {
            commands: commands::all(&d.moderator_roles),
            event_handler: |framework, event| Box::pin(events::handle(framework, event)),
            on_error: |error| Box::pin(on_error(error)),
            allowed_mentions: Some(render::no_mentions()),
            prefix_options: poise::PrefixFrameworkOptions {
                prefix: None,
                mention_as_prefix: false,
                ..Default::default()
            },
            ..Default::default()
        })
        // The bot has no owner-only commands: no need to ask Discord who the owners are.
        .initialize_owners(false)
        .setup(move |ctx, _ready, framework| {
            Box::pin(async move {
                // Registration runs on its own: the bot answers meanwhile.
                let commands =
                    poise::builtins::create_application_commands(&framework.options().commands);
                tokio::spawn(register(Arc::clone(&ctx.http), guild, commands));
                Ok(framework_bot)
            })
        })
        .build();

    tracing::info!(
        api_base = d.api_base.as_deref().unwrap_or("discord.com"),
        message_content = intents.contains(GatewayIntents::MESSAGE_CONTENT),
        shards = ?d.shard_count,
        shard_range = ?d.shard_range,
        version = %bot.live.stats().version,
        "starting the Discord bot"
    );
    let http = http(d, token);
    if let Some(base) = &d.api_base {
        // Serenity would quietly fall back to Discord's own gateway if this failed.
        http.get_gateway().await.map_err(|e| {
            ServeError::Discord(format!(
                "cannot reach discord.api_base {base}: {}",
                retry::Retryable::describe(&e)
            ))
        })?;
    }
    let mut client = ClientBuilder::new_with_http(http, intents)
        .framework(framework)
        .await
        .map_err(ServeError::from_serenity)?;
    let shard_manager = Arc::clone(&client.shard_manager);

    let (shard_count, shard_range) = (d.shard_count, d.shard_range);
    let start = async move {
        match (shard_count, shard_range) {
            (Some(total), Some([first, last])) => {
                client.start_shard_range(first..last + 1, total).await
            }
            (Some(total), None) => client.start_shards(total).await,
            _ => client.start_autosharded().await,
        }
    };
    tokio::pin!(start);
    let result = tokio::select! {
        result = &mut start => result,
        () = shutdown => {
            tracing::info!(in_flight = bot.inflight.count(), "shutting down: closing the gateway");
            shard_manager.shutdown_all().await;
            // `start` returns once every shard has closed.
            tokio::time::timeout(SHARD_CLOSE_TIMEOUT, &mut start).await.unwrap_or(Ok(()))
        }
    };
    if result.is_err() {
        // Shards still up (with several, one may fail while others run) are closed; a shard
        // that already died would keep `shutdown_all` waiting 5 s for it, hence the bound.
        let _ = tokio::time::timeout(Duration::from_secs(1), shard_manager.shutdown_all()).await;
    }
    if !bot.inflight.wait_idle(DRAIN_TIMEOUT).await {
        tracing::warn!(
            in_flight = bot.inflight.count(),
            "replies still in progress after {DRAIN_TIMEOUT:?}; stopping anyway"
        );
    }
    tracing::info!("the Discord bot stopped");
    result.map_err(ServeError::from_serenity)
}

/// Registers the commands globally, or in one guild (instant, for testing).
async fn register(
    http: Arc<serenity::http::Http>,
    guild: Option<u64>,
    commands: Vec<serenity::all::CreateCommand>,
) {
    let n = commands.len();
    let result = retry::send("command registration", || {
        let commands = commands.clone();
        let http = Arc::clone(&http);
        async move {
            match guild {
                Some(g) => GuildId::new(g)
                    .set_commands(&http, commands)
                    .await
                    .map(|_| ()),
                None => Command::set_global_commands(&http, commands)
                    .await
                    .map(|_| ()),
            }
        }
    })
    .await;
    match result {
        Ok(()) => tracing::info!(commands = n, guild = ?guild, "slash commands registered"),
        Err(e) => {
            tracing::error!(error = %retry::Retryable::describe(&e), "registering the slash commands failed")
        }
    }
}

async fn on_error(error: poise::FrameworkError<'_, Data, Error>) {
    match error {
        poise::FrameworkError::Command { error, ctx, .. } => tracing::warn!(
            command = %ctx.command().qualified_name,
            error = %error,
            "command failed"
        ),
        poise::FrameworkError::EventHandler { error, .. } => {
            tracing::warn!(error = %error, "event handler failed")
        }
        other => {
            if let Err(e) = poise::builtins::on_error(other).await {
                tracing::warn!(error = %e, "handling an error failed");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn message_content_only_with_auto_answer_channels() {
        let mut d = DiscordSettings::default();
        let i = intents(&d);
        assert!(i.contains(GatewayIntents::GUILDS | GatewayIntents::GUILD_MESSAGES));
        assert!(i.contains(GatewayIntents::DIRECT_MESSAGES));
        assert!(!i.contains(GatewayIntents::MESSAGE_CONTENT));
        d.auto_answer_channels = vec![1];
        assert!(intents(&d).contains(GatewayIntents::MESSAGE_CONTENT));
    }

    #[tokio::test]
    async fn a_missing_token_says_what_to_set() {
        let settings = Settings::default();
        let live = Arc::new(
            LiveEngine::load(
                std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("knowledge"),
                settings.matching,
            )
            .unwrap(),
        );
        let e = serve(&settings, live, async {}).await.unwrap_err();
        assert!(matches!(e, ServeError::MissingToken));
        let text = e.to_string();
        assert!(
            text.contains("DISCORD_TOKEN") && !text.contains('\n'),
            "{text}"
        );
    }
}
