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
//! [`inflight`] (replies to finish before shutting down), [`feedback`] (👍 /
//! 👎 votes, one per member and reply), [`moderation`] (`/kb gaps` and the
//! record's part of `/kb stats`).
//!
//! Every reply is also handed to the gap [`Recorder`] (outcome counts, and
//! the scrubbed words of unanswered questions), which writes on a thread of
//! its own and never delays a reply, and counted in the operators' [`Metrics`]
//! (served on `/metrics` and `/healthz` when `metrics.enabled` is set).

pub mod commands;
pub mod events;
pub mod feedback;
pub mod inflight;
pub mod limits;
pub mod moderation;
pub mod permissions;
pub mod render;
pub mod retry;
pub mod stats;

use crate::answer::Answer;
use crate::engine::Engine;
use crate::gaps::Recorder;
use crate::live::LiveEngine;
use crate::metrics::{Metrics, MetricsServer, SHUTDOWN_GRACE};
use crate::settings::{DiscordSettings, RecordingSettings, Settings};
use crate::sync::KnowledgeShare;
use limits::Limits;
use serenity::all::{
    ClientBuilder, Command, ConnectionStage, GatewayIntents, GuildId, HttpBuilder, ShardManager,
};
use serenity::gateway::GatewayError;
use serenity::http::HttpError;
use std::collections::HashSet;
use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Message replies being sent to Discord at once, at most; more wait their turn.
/// (Bounds connections and memory under a burst; interaction responses, which
/// Discord wants within 3 s, never wait.)
pub const MAX_CONCURRENT_MESSAGE_REPLIES: usize = 32;
/// How long a shutdown waits for replies in progress.
pub const DRAIN_TIMEOUT: Duration = Duration::from_secs(10);
/// How long a shutdown waits for the shards to close.
const SHARD_CLOSE_TIMEOUT: Duration = Duration::from_secs(8);
/// How long a shutdown waits for the gap record to write what is queued.
pub const RECORD_FLUSH_TIMEOUT: Duration = Duration::from_secs(5);
/// How often old gap records are purged while the bot runs (also at start-up).
pub const MAINTENANCE_INTERVAL: Duration = Duration::from_secs(24 * 60 * 60);
/// How often the metrics take in the gateway's state, reloads and the
/// recorder's counts (replies are counted as they happen).
pub const METRICS_SYNC_INTERVAL: Duration = Duration::from_millis(500);

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
    /// The private record of outcomes, gaps and votes (disabled: records nothing).
    pub recorder: Recorder,
    /// Where the record is, and for how long it is kept.
    pub recording: RecordingSettings,
    /// Votes cast and questions of recent replies (in memory only).
    pub feedback: feedback::Feedback,
    /// The operators' figures (served only when `metrics.enabled` is set).
    pub metrics: Metrics,
    /// Knowledge edits shared with the other processes (`knowledge.share`).
    pub share: Option<Arc<KnowledgeShare>>,
    /// Commit each teach and decline to git (`knowledge.commit_edits`).
    pub commit_edits: bool,
    /// (successful, failed) reloads already counted in `metrics`.
    reloads_counted: Mutex<(u64, u64)>,
    /// Shards that got READY at least once: another READY is a reconnection.
    shards_ready: Mutex<HashSet<u32>>,
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

impl Bot {
    /// The state for `settings`, serving `live`, recording with `recorder`,
    /// counting in `metrics`.
    pub fn new(
        settings: &Settings,
        live: Arc<LiveEngine>,
        recorder: Recorder,
        metrics: Metrics,
    ) -> Bot {
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
            recorder,
            recording: settings.recording.clone(),
            feedback: feedback::Feedback::default(),
            metrics,
            share: None,
            commit_edits: settings.knowledge.commit_edits,
            reloads_counted: Mutex::new((0, 0)),
            shards_ready: Mutex::new(HashSet::new()),
        }
    }

    /// Brings the metrics up to date with the knowledge served, its reloads
    /// (by the watcher or `/kb reload`) and the recorder's counts.
    pub fn sync_metrics(&self) {
        let reload = self.live.stats();
        self.metrics.set_knowledge_loaded(&reload.version);
        {
            let mut counted = lock(&self.reloads_counted);
            for _ in counted.0..reload.reloads {
                self.metrics.reload_succeeded();
            }
            for _ in counted.1..reload.failed_reloads {
                self.metrics.reload_failed();
            }
            *counted = (
                counted.0.max(reload.reloads),
                counted.1.max(reload.failed_reloads),
            );
        }
        let r = self.recorder.stats();
        self.metrics
            .set_recorder_stats(r.written, r.dropped, r.failed);
        if let Some(share) = &self.share {
            let s = share.status();
            self.metrics
                .set_share_stats(s.applied, s.skipped, s.published, s.connected);
        }
    }

    /// A shard got READY: connected; a second READY of the same shard (a new
    /// session after a failed resume) is a reconnection.
    pub fn gateway_ready(&self, shard: u32) {
        if !lock(&self.shards_ready).insert(shard) {
            self.metrics.gateway_reconnected();
        }
        self.metrics.set_gateway_connected(true);
    }

    /// A shard resumed its session: a reconnection.
    pub fn gateway_resumed(&self) {
        self.metrics.gateway_reconnected();
        self.metrics.set_gateway_connected(true);
    }

    /// Whether replies take 👍 / 👎 votes: only when votes are recorded.
    pub fn takes_votes(&self) -> bool {
        self.recorder.is_enabled()
    }

    /// The reply to `a` from `engine`: with 👍 / 👎 when votes are taken.
    pub fn render(&self, engine: &Engine, a: &Answer) -> render::Reply {
        if self.takes_votes() {
            render::answer_with_feedback(a, &engine.knowledge().version)
        } else {
            render::answer(a)
        }
    }

    /// Counts, records and logs one reply that reached Discord. `reply` is
    /// the id under which a 👎 finds the member's words again (the reply
    /// message's id, or the id of the interaction answered); `None` when the
    /// words are not the member's (a button's entry).
    pub fn replied(
        &self,
        via: &'static str,
        engine: &Engine,
        a: &Answer,
        started: Instant,
        reply: Option<u64>,
    ) {
        self.stats.answered(a.status);
        self.metrics.record_reply(a.status, started.elapsed());
        // Non-blocking: the recorder writes on its own thread.
        self.recorder.record_answer_from(engine, a);
        if let Some(id) =
            reply.filter(|_| self.takes_votes() && a.status == crate::Status::Answered)
        {
            self.feedback
                .remember(id, &a.question, a.confidence, Instant::now());
        }
        stats::log_reply(via, a, started);
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
    /// The metrics endpoint could not be set up (`metrics.enabled` is set).
    #[error("{0}: change metrics.listen, or set metrics.enabled = false")]
    Metrics(String),
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
/// The gap record is opened from `settings.recording` (a failure leaves
/// recording off, with a warning) and purged of old rows daily. With
/// `metrics.enabled`, the endpoint is bound before anything else (an address
/// in use is a [`ServeError::Metrics`]) and stops with the bot.
///
/// On shutdown the shards are closed (no new events), replies in progress are
/// given up to [`DRAIN_TIMEOUT`] to finish, the gap record up to
/// [`RECORD_FLUSH_TIMEOUT`] to write what is queued, and `Ok(())` is
/// returned. The caller owns `live` (and its file watcher, if any).
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
    let metrics = Metrics::new().map_err(|e| ServeError::Metrics(e.to_string()))?;
    // Bound before connecting, so a taken address fails the start, not later.
    let endpoint = if settings.metrics.enabled {
        let addr = settings
            .metrics
            .listen_addr()
            .map_err(|e| ServeError::Metrics(e.to_string()))?;
        let server = MetricsServer::bind(addr)
            .await
            .map_err(|e| ServeError::Metrics(e.to_string()))?;
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let task = tokio::spawn(server.run(metrics.clone(), async move {
            let _ = stopped.await;
        }));
        Some((stop, task))
    } else {
        None
    };
    // Opening the record touches the disk: off the async threads. Any failure
    // is logged and leaves recording off; the bot answers either way.
    let recording = settings.recording.clone();
    let recorder = tokio::task::spawn_blocking(move || Recorder::open_or_disabled(&recording))
        .await
        .unwrap_or_else(|_| Recorder::disabled());
    let share = start_sharing(settings, &live).await;
    let mut bot = Bot::new(settings, live, recorder, metrics);
    bot.share = share.as_ref().map(|(s, _)| Arc::clone(s));
    let bot: Data = Arc::new(bot);
    bot.sync_metrics();
    let maintenance = tokio::spawn(daily_maintenance(bot.recorder.clone()));
    let result = run(settings, token, &bot, shutdown).await;
    maintenance.abort();
    bot.metrics.set_gateway_connected(false);
    // What was recorded before the shutdown reaches the disk (bounded).
    let recorder = bot.recorder.clone();
    let flushed = tokio::task::spawn_blocking(move || recorder.flush(RECORD_FLUSH_TIMEOUT))
        .await
        .unwrap_or(false);
    if !flushed {
        tracing::warn!(
            "the gap record did not finish writing within {RECORD_FLUSH_TIMEOUT:?}; the rest is lost"
        );
    }
    bot.sync_metrics();
    if let Some((stop, task)) = endpoint {
        let _ = stop.send(());
        match tokio::time::timeout(SHUTDOWN_GRACE + Duration::from_secs(1), task).await {
            Ok(Ok(Err(e))) => tracing::warn!(error = %e, "the metrics endpoint failed"),
            Ok(_) => {}
            Err(_) => tracing::warn!("the metrics endpoint did not stop in time"),
        }
    }
    drop(share);
    tracing::info!("the Discord bot stopped");
    result
}

/// With `knowledge.share`: applies what was published while this process was
/// away (bounded by the connect timeout when the database is down), then
/// listens for edits until the returned task is dropped.
async fn start_sharing(
    settings: &Settings,
    live: &Arc<LiveEngine>,
) -> Option<(Arc<KnowledgeShare>, crate::sync::ShareTask)> {
    let url = settings.share_url()?;
    let poll = Duration::from_secs(settings.knowledge.share_poll_seconds.max(1));
    let share = match KnowledgeShare::new(url, live.dir(), *live.engine().settings(), poll) {
        Ok(s) => Arc::new(s),
        Err(e) => {
            tracing::error!(error = %e, "knowledge edits are not shared");
            return None;
        }
    };
    let (s, l, rt) = (
        Arc::clone(&share),
        Arc::clone(live),
        tokio::runtime::Handle::current(),
    );
    match tokio::task::spawn_blocking(move || s.catch_up(&l, &rt)).await {
        Ok(Ok(n)) => tracing::info!(
            edits_written = n,
            version = %live.stats().version,
            "caught up with the shared knowledge edits"
        ),
        Ok(Err(e)) => tracing::warn!(
            error = %e,
            version = %live.stats().version,
            "cannot catch up with the shared knowledge edits now; serving the knowledge on disk and retrying"
        ),
        Err(e) => tracing::warn!(error = %e, "catching up with the shared knowledge failed"),
    }
    match share.spawn(Arc::clone(live)) {
        Ok(task) => Some((share, task)),
        Err(e) => {
            tracing::error!(error = %e, "cannot start listening for shared knowledge edits");
            None
        }
    }
}

/// Every [`METRICS_SYNC_INTERVAL`]: whether every shard is connected (for
/// `/healthz`), and [`Bot::sync_metrics`].
async fn watch_gateway(bot: Data, shards: Arc<ShardManager>) {
    let mut every = tokio::time::interval(METRICS_SYNC_INTERVAL);
    every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        every.tick().await;
        let connected = {
            let runners = shards.runners.lock().await;
            !runners.is_empty()
                && runners
                    .values()
                    .all(|r| r.stage == ConnectionStage::Connected)
        };
        bot.metrics.set_gateway_connected(connected);
        bot.sync_metrics();
    }
}

/// Purges gap records past the retention once a day (the recorder's writer
/// also does it when it sees the date change; this is the timer that makes
/// sure a quiet bot does it too).
async fn daily_maintenance(recorder: Recorder) {
    if !recorder.is_enabled() {
        return;
    }
    let mut every_day = tokio::time::interval_at(
        tokio::time::Instant::now() + MAINTENANCE_INTERVAL,
        MAINTENANCE_INTERVAL,
    );
    every_day.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        every_day.tick().await;
        // Never blocks: the writer thread does the work.
        recorder.daily_maintenance();
    }
}

/// Connects and serves until `shutdown` completes or the connection fails for
/// good, then lets replies in progress finish (bounded).
async fn run<F>(settings: &Settings, token: &str, bot: &Data, shutdown: F) -> Result<(), ServeError>
where
    F: Future<Output = ()> + Send,
{
    let d = &settings.discord;
    let intents = intents(d);
    let framework_bot = Arc::clone(bot);
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
        recording = bot.recorder.is_enabled(),
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
    let client = ClientBuilder::new_with_http(http, intents)
        .framework(framework)
        .await
        .map_err(ServeError::from_serenity)?;
    let shard_manager = Arc::clone(&client.shard_manager);
    let watcher = tokio::spawn(watch_gateway(Arc::clone(bot), Arc::clone(&shard_manager)));
    let result = connect(client, d, bot, &shard_manager, shutdown).await;
    watcher.abort();
    // Finished for sure: it cannot mark the gateway connected after this.
    let _ = watcher.await;
    result
}

/// Runs the shards until `shutdown` or a failure, then drains replies.
async fn connect<F>(
    mut client: serenity::Client,
    d: &DiscordSettings,
    bot: &Data,
    shard_manager: &Arc<ShardManager>,
    shutdown: F,
) -> Result<(), ServeError>
where
    F: Future<Output = ()> + Send,
{
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
        poise::FrameworkError::CommandCheckFailed { ctx, error, .. } => {
            if let Some(e) = error {
                tracing::warn!(error = %e, "the moderator check failed");
            }
            commands::refuse(ctx).await;
        }
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
