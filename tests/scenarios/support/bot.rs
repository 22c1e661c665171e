//! The real bot (`microneedling_bot::discord::serve`, the code path of the `serve` command)
//! running in-process against a [`FakeDiscord`], with helpers to talk to it the way members do.
//!
//! ```ignore
//! let bot = TestBot::start(|s| s.discord.user_cooldown_seconds = 0).await;
//! let msg = bot.mention(&TestUser::alice(), "does it hurt?").await;
//! let reply = bot.reply_to(&msg).await;
//! bot.stop().await;
//! ```
//!
//! Every wait is bounded by [`WAIT`].

use super::{knowledge_copy, shipped_knowledge};
use crate::fake_discord::*;
use microneedling_bot::discord::{self, ServeError};
use microneedling_bot::live::{KnowledgeWatcher, LiveEngine};
use microneedling_bot::settings::{Secret, Settings};
use microneedling_bot::Answer;
use serde_json::{json, Value};
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

pub use super::WAIT;

/// The token the fake expects.
pub const TOKEN: &str = "fake-token-123";

/// Answered from `downtime-redness`.
pub const REDNESS: &str = "how long does the redness last after microneedling?";
/// Not covered: a `no_match`.
pub const COST: &str = "how much does microneedling cost?";
/// A moderator role (settings `discord.moderator_roles`).
pub const MOD_ROLE: u64 = 100_000_000_000_000_040;
/// The Manage Server permission.
pub const MANAGE_GUILD: u64 = 1 << 5;

/// `{"parse":[],"users":[],"roles":[]}`: nobody may be pinged.
pub fn no_mentions() -> Value {
    json!({ "parse": [], "users": [], "roles": [] })
}

/// Member `n` of the default guild (a human user, `member{n}`).
pub fn member(n: u64) -> TestUser {
    TestUser::new(USER_ID + 1000 + n, &format!("member{n}"))
}

/// Logs to the test output when `TEST_LOG` is set (e.g. `TEST_LOG=info`).
pub fn init_test_log() {
    if let Ok(filter) = std::env::var("TEST_LOG") {
        let _ = tracing_subscriber::fmt()
            .with_env_filter(tracing_subscriber::EnvFilter::new(filter))
            .with_test_writer()
            .try_init();
    }
}

/// Where the bot reads its knowledge.
pub enum KnowledgeSource {
    /// The shipped `knowledge/`, not watched.
    Shipped,
    /// A fresh copy in a temporary directory, watched (debounce 150 ms).
    WatchedCopy,
}

/// The bot serving against its own fake Discord.
pub struct TestBot {
    pub fake: FakeDiscord,
    pub live: Arc<LiveEngine>,
    pub settings: Settings,
    /// The knowledge copy (for [`KnowledgeSource::WatchedCopy`]).
    pub dir: Option<tempfile::TempDir>,
    /// A scratch directory for what the bot writes: the gap record is
    /// `recording.path` = `gaps.db` in it unless `adjust` changes it.
    pub data: tempfile::TempDir,
    shutdown: Mutex<Option<oneshot::Sender<()>>>,
    task: Mutex<Option<JoinHandle<Result<(), ServeError>>>>,
    watcher: Mutex<Option<KnowledgeWatcher>>,
}

/// Test settings: the fake's token and address; no cooldown or channel cap (tests that need
/// them set them in `adjust`); the gap record in `data` (never in the crate's directory).
pub fn test_settings(fake: &FakeDiscord, data: &Path) -> Settings {
    let mut s = Settings::default();
    s.recording.path = data.join("gaps.db");
    s.discord.token = Some(Secret::new(TOKEN));
    s.discord.api_base = Some(fake.base_url());
    s.discord.user_cooldown_seconds = 0;
    s.discord.channel_replies_per_minute = 0;
    s.knowledge.dir = shipped_knowledge();
    s.knowledge.watch = false;
    s
}

impl TestBot {
    /// Starts a fake and the bot (shipped knowledge), waits for READY and the command
    /// registration.
    pub async fn start(adjust: impl FnOnce(&mut Settings)) -> TestBot {
        Self::start_with(KnowledgeSource::Shipped, fast_config(), adjust).await
    }

    /// [`TestBot::start`] with a choice of knowledge and fake configuration.
    pub async fn start_with(
        source: KnowledgeSource,
        config: FakeConfig,
        adjust: impl FnOnce(&mut Settings),
    ) -> TestBot {
        init_test_log();
        let fake = FakeDiscord::start_with(config).await;
        let data = tempfile::tempdir().expect("tempdir");
        let mut settings = test_settings(&fake, data.path());
        let dir = match source {
            KnowledgeSource::Shipped => None,
            KnowledgeSource::WatchedCopy => {
                let d = knowledge_copy();
                settings.knowledge.dir = d.path().to_path_buf();
                settings.knowledge.watch = true;
                Some(d)
            }
        };
        adjust(&mut settings);
        let live = Arc::new(
            LiveEngine::load(&settings.knowledge.dir, settings.matching).expect("knowledge loads"),
        );
        let watcher = settings.knowledge.watch.then(|| {
            live.watch(Duration::from_millis(150))
                .expect("watching the knowledge")
        });
        let (tx, rx) = oneshot::channel::<()>();
        let task = {
            let settings = settings.clone();
            let live = Arc::clone(&live);
            tokio::spawn(async move {
                discord::serve(&settings, live, async {
                    let _ = rx.await;
                })
                .await
            })
        };
        let bot = TestBot {
            fake,
            live,
            settings,
            dir,
            data,
            shutdown: Mutex::new(Some(tx)),
            task: Mutex::new(Some(task)),
            watcher: Mutex::new(watcher),
        };
        assert!(
            bot.fake.wait_until_ready(WAIT).await,
            "the bot never got READY:\n{}",
            bot.fake.transcript()
        );
        let registration = match bot.settings.discord.guild_id {
            Some(_) => "/applications/*/guilds/*/commands",
            None => "/applications/*/commands",
        };
        assert!(
            bot.fake
                .wait_for_request("PUT", registration, WAIT)
                .await
                .is_some(),
            "commands were never registered:\n{}",
            bot.fake.transcript()
        );
        bot
    }

    /// The knowledge directory being served.
    pub fn knowledge_dir(&self) -> &Path {
        &self.settings.knowledge.dir
    }

    /// What the engine being served answers.
    pub fn expected(&self, question: &str) -> Answer {
        self.live.engine().answer(question)
    }

    /// Sends `<@bot> text` from `user` in the default guild channel; returns the message.
    pub async fn mention(&self, user: &TestUser, text: &str) -> Value {
        self.mention_in(CHANNEL_ID, user, text).await
    }

    /// Sends `<@bot> text` from `user` in `channel` of the default guild.
    pub async fn mention_in(&self, channel: u64, user: &TestUser, text: &str) -> Value {
        let bot = TestUser::testbot();
        let msg = MessageBuilder::guild(
            GUILD_ID,
            channel,
            user,
            &format!("{} {text}", bot.mention()),
        )
        .mention(&bot)
        .build();
        self.fake.dispatch("MESSAGE_CREATE", msg.clone()).await;
        msg
    }

    /// Sends a guild message as is (no mention added).
    pub async fn say(&self, channel: u64, user: &TestUser, text: &str) -> Value {
        let msg = MessageBuilder::guild(GUILD_ID, channel, user, text).build();
        self.fake.dispatch("MESSAGE_CREATE", msg.clone()).await;
        msg
    }

    /// Sends a DM from `user`.
    pub async fn dm(&self, user: &TestUser, text: &str) -> Value {
        let msg = MessageBuilder::dm(DM_CHANNEL_ID, user, text).build();
        self.fake.dispatch("MESSAGE_CREATE", msg.clone()).await;
        msg
    }

    /// Waits for the bot's message replying to `msg` (by `message_reference`).
    pub async fn reply_to(&self, msg: &Value) -> OutgoingMessage {
        let id = msg["id"].as_str().expect("message id").to_string();
        self.fake
            .wait_for_outgoing(|m| replies_to(m, &id), WAIT)
            .await
            .unwrap_or_else(|| {
                panic!(
                    "no reply to message {id} within {WAIT:?}:\n{}",
                    self.fake.transcript()
                )
            })
    }

    /// Replies to `msg` so far (none expected for ignored messages).
    pub fn replies_to(&self, msg: &Value) -> Vec<OutgoingMessage> {
        let id = msg["id"].as_str().unwrap_or_default().to_string();
        self.fake
            .outgoing_messages()
            .into_iter()
            .filter(|m| replies_to(m, &id))
            .collect()
    }

    /// Dispatches an interaction; returns its token.
    pub async fn interact(&self, interaction: Value) -> String {
        let token = interaction["token"].as_str().expect("token").to_string();
        self.fake.dispatch("INTERACTION_CREATE", interaction).await;
        token
    }

    /// Waits for the first message for the interaction `token` that is not a deferral (an
    /// initial response, a followup or an edit).
    pub async fn interaction_reply(&self, token: &str) -> OutgoingMessage {
        self.fake
            .wait_for_outgoing(
                |m| match &m.kind {
                    OutgoingKind::InteractionCallback {
                        token: t,
                        callback_type,
                        ..
                    } => t == token && *callback_type != 5,
                    OutgoingKind::Followup { token: t }
                    | OutgoingKind::EditOriginal { token: t } => t == token,
                    _ => false,
                },
                WAIT,
            )
            .await
            .unwrap_or_else(|| {
                panic!(
                    "no reply to interaction {token} within {WAIT:?}:\n{}",
                    self.fake.transcript()
                )
            })
    }

    /// `/ask question:<q>` by `user` (optionally `private:true`); waits for the reply.
    pub async fn ask(&self, user: &TestUser, question: &str, private: bool) -> OutgoingMessage {
        let mut b = SlashCommandBuilder::new("ask")
            .user(user)
            .option(opt_string("question", question));
        if private {
            b = b.option(opt_bool("private", true));
        }
        let token = self.interact(b.build()).await;
        self.interaction_reply(&token).await
    }

    /// `/kb <sub>` by a member with `permissions` and `roles`; waits for the reply.
    pub async fn kb(&self, sub: &str, permissions: u64, roles: &[u64]) -> OutgoingMessage {
        let i = SlashCommandBuilder::new("kb")
            .option(opt_subcommand(sub, vec![]))
            .permissions(permissions)
            .roles(roles)
            .build();
        let token = self.interact(i).await;
        self.interaction_reply(&token).await
    }

    /// `/kb <sub> <options>` by a member with `permissions` and `roles`; waits for the reply.
    pub async fn kb_with(
        &self,
        sub: &str,
        options: Vec<Value>,
        permissions: u64,
        roles: &[u64],
    ) -> OutgoingMessage {
        let i = SlashCommandBuilder::new("kb")
            .option(opt_subcommand(sub, options))
            .permissions(permissions)
            .roles(roles)
            .build();
        let token = self.interact(i).await;
        self.interaction_reply(&token).await
    }

    /// `user` presses the button `custom_id` of `message` (a message object); waits for the
    /// bot's response.
    pub async fn press(
        &self,
        custom_id: &str,
        message: &Value,
        user: &TestUser,
    ) -> OutgoingMessage {
        let press = ComponentBuilder::button(custom_id, message)
            .user(user)
            .build();
        let token = self.interact(press).await;
        self.interaction_reply(&token).await
    }

    /// Asks the bot to shut down and waits (bounded) for `serve` to return. The fake stays up.
    pub async fn stop(&self) -> Result<(), ServeError> {
        if let Some(tx) = lock(&self.shutdown).take() {
            let _ = tx.send(());
        }
        let task = lock(&self.task).take().expect("running");
        let result = tokio::time::timeout(Duration::from_secs(20), task)
            .await
            .expect("serve did not return within 20 s of the shutdown request")
            .expect("serve panicked");
        drop(lock(&self.watcher).take());
        result
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

impl Drop for TestBot {
    fn drop(&mut self) {
        if let Some(task) = lock(&self.task).take() {
            task.abort();
        }
    }
}

/// A fake with the test token and a 5 s heartbeat. (Shorter is risky: serenity reads the
/// heartbeat ack in turn with the dispatches before it, and re-identifies, losing what the old
/// connection still held, when a 1,000-message backlog on a busy machine delays the ack past the
/// next heartbeat. Discord itself asks for about 41 s.)
pub fn fast_config() -> FakeConfig {
    FakeConfig {
        heartbeat_interval: Duration::from_secs(5),
        token: Some(TOKEN.to_string()),
        ..FakeConfig::default()
    }
}

/// Whether `m` is a channel message replying to message `id`.
pub fn replies_to(m: &OutgoingMessage, id: &str) -> bool {
    matches!(m.kind, OutgoingKind::ChannelMessage { .. })
        && m.data.pointer("/message_reference/message_id") == Some(&json!(id))
}

/// The first embed of a message.
pub fn embed(m: &OutgoingMessage) -> &Value {
    m.data
        .pointer("/embeds/0")
        .unwrap_or_else(|| panic!("no embed in {}", m.data))
}

/// The embed's description.
pub fn description(m: &OutgoingMessage) -> &str {
    embed(m)["description"].as_str().unwrap_or_default()
}

/// The embed's fields as (name, value).
pub fn fields(m: &OutgoingMessage) -> Vec<(String, String)> {
    embed(m)["fields"]
        .as_array()
        .map(|fs| {
            fs.iter()
                .map(|f| {
                    (
                        f["name"].as_str().unwrap_or_default().to_string(),
                        f["value"].as_str().unwrap_or_default().to_string(),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

/// The custom ids of all buttons of a message.
pub fn button_ids(m: &OutgoingMessage) -> Vec<String> {
    m.components()
        .iter()
        .flat_map(|row| row["components"].as_array().cloned().unwrap_or_default())
        .filter_map(|b| b["custom_id"].as_str().map(str::to_string))
        .collect()
}

/// Asserts that a reply shows exactly `a`: answer, quotes with citations, disclaimer.
pub fn assert_shows(m: &OutgoingMessage, a: &Answer) {
    assert_eq!(description(m), a.answer, "answer text");
    let quotes: Vec<(String, String)> = a
        .sources
        .iter()
        .map(|s| {
            (
                format!("{}, {}", s.title, s.location),
                format!("“{}”", s.quote),
            )
        })
        .collect();
    assert_eq!(fields(m), quotes, "quotes and citations");
    assert_eq!(
        embed(m).pointer("/footer/text").and_then(Value::as_str),
        Some(a.disclaimer.as_str()),
        "disclaimer"
    );
    assert_eq!(
        m.data.get("allowed_mentions"),
        Some(&no_mentions()),
        "allowed mentions"
    );
}
