//! A fake Discord (REST API + gateway websocket) on 127.0.0.1 for tests.
//!
//! One port serves both the REST API under `/api/v10/...` and the gateway websocket at
//! `/gateway`. Point serenity at it with
//! `HttpBuilder::new(token).proxy(fake.base_url()).ratelimiter_disabled(true).build()` and
//! `ClientBuilder::new_with_http(http, intents)` (see `/work/shared/notes/fake-discord.md`).
//!
//! Everything the bot does is recorded: REST requests (method, path, headers, JSON body, order)
//! and gateway frames (IDENTIFY, RESUME, heartbeats, close codes). Tests drive the bot with
//! [`FakeDiscord::dispatch`] and the payload builders of [`payloads`] (re-exported here:
//! [`message_create`], [`slash_command_interaction`], [`component_interaction`], ...).
//!
//! This file is the public surface the scenarios use (configuration, what was recorded, the
//! [`FakeDiscord`] handle and its waits, fault injection and gateway controls) and the state
//! shared by the server halves: [`rest`] answers the REST routes, [`gateway`] runs the
//! websocket connections.
//!
//! Every wait is bounded: the `timeout` a caller passes is clamped to [`MAX_WAIT`].
//!
//! The harness itself does not depend on serenity, so it also builds with
//! `--no-default-features`; only [`FakeDiscord::serenity_http`] needs the `discord` feature.

use std::collections::{BTreeMap, HashMap};
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use axum::routing::get;
use axum::Router;
use serde_json::{json, Value};
use tokio::sync::{mpsc, oneshot, watch};
use tokio::task::JoinHandle;

mod gateway;
mod payloads;
mod rest;

pub use payloads::*;

use gateway::ws_handler;
use rest::{error_body, outgoing_from, rest_handler};

// ---------------------------------------------------------------------------------------------
// Constants and configuration
// ---------------------------------------------------------------------------------------------

/// Upper bound for every wait in this module, whatever timeout the caller asks for.
pub const MAX_WAIT: Duration = Duration::from_secs(30);
/// How long `dispatch` and friends wait for a ready gateway connection.
pub const DISPATCH_WAIT: Duration = Duration::from_secs(5);
/// Bound on the number of wake-ups in a single wait loop.
const MAX_WAKEUPS: usize = 100_000;

/// Default ids used by the fake and by the payload builders.
pub const BOT_ID: u64 = 100_000_000_000_000_001;
/// The application id (Discord uses the bot user id for bot applications).
pub const APP_ID: u64 = BOT_ID;
/// Owner of the application (returned by `GET /oauth2/applications/@me`).
pub const OWNER_ID: u64 = 100_000_000_000_000_002;
/// A default guild.
pub const GUILD_ID: u64 = 100_000_000_000_000_010;
/// A default guild text channel.
pub const CHANNEL_ID: u64 = 100_000_000_000_000_020;
/// A default DM channel.
pub const DM_CHANNEL_ID: u64 = 100_000_000_000_000_021;
/// A default human user.
pub const USER_ID: u64 = 100_000_000_000_000_030;

/// Configuration for [`FakeDiscord::start_with`].
#[derive(Clone, Debug)]
pub struct FakeConfig {
    /// The bot user's id (also used in READY and `users/@me`).
    pub bot_id: u64,
    /// The bot user's name.
    pub bot_name: String,
    /// The application id (READY `application.id`, `oauth2/applications/@me`).
    pub application_id: u64,
    /// The application owner's user id.
    pub owner_id: u64,
    /// Heartbeat interval announced in HELLO.
    pub heartbeat_interval: Duration,
    /// If set, REST calls (except `GET /gateway`) must carry `Authorization: Bot <token>` or get
    /// 401, and an IDENTIFY/RESUME with another token is closed with 4004.
    pub token: Option<String>,
    /// `shards` answered by `GET /gateway/bot`.
    pub shards: u32,
    /// Guild ids listed (as unavailable) in READY.
    pub ready_guilds: Vec<u64>,
}

impl Default for FakeConfig {
    fn default() -> Self {
        Self {
            bot_id: BOT_ID,
            bot_name: "testbot".to_string(),
            application_id: APP_ID,
            owner_id: OWNER_ID,
            heartbeat_interval: Duration::from_millis(1000),
            token: None,
            shards: 1,
            ready_guilds: Vec::new(),
        }
    }
}

/// Error from a harness operation (no gateway connection, timeout, ...).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FakeError(pub String);

impl std::fmt::Display for FakeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for FakeError {}

// ---------------------------------------------------------------------------------------------
// Recorded data
// ---------------------------------------------------------------------------------------------

/// One HTTP request the fake received (REST call or websocket upgrade).
#[derive(Clone, Debug)]
pub struct RecordedRequest {
    /// Position in the fake's global event order (shared with [`GatewayFrame::order`]).
    pub order: u64,
    /// When the request arrived.
    pub at: Instant,
    /// `GET`, `POST`, ...
    pub method: String,
    /// Full path, e.g. `/api/v10/channels/123/messages`.
    pub path: String,
    /// Raw query string without `?` (serenity writes `?&key=value`).
    pub query: Option<String>,
    /// Header names are lower case.
    pub headers: Vec<(String, String)>,
    /// JSON body; for multipart requests the `payload_json` part.
    pub body: Option<Value>,
    /// Body as (lossy) UTF-8 text.
    pub raw_body: String,
    /// Status the fake answered with.
    pub status: u16,
    /// False if no route matched (answered 404 `Unknown route`).
    pub known_route: bool,
    /// True if the answer came from an injected fault or override.
    pub injected: bool,
    /// The JSON the fake answered with (`None` for 204 and 101).
    pub response_body: Option<Value>,
}

impl RecordedRequest {
    /// The value of a header (name is case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        let name = name.to_ascii_lowercase();
        self.headers
            .iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v.as_str())
    }

    /// The path without the `/api/v10` prefix.
    pub fn route(&self) -> &str {
        self.path.strip_prefix("/api/v10").unwrap_or(&self.path)
    }

    /// Whether method and path match; see [`path_matches`] for the pattern syntax.
    pub fn is(&self, method: &str, pattern: &str) -> bool {
        method_matches(method, &self.method) && path_matches(pattern, &self.path)
    }

    /// `body.content`, or `body.data.content` for interaction callbacks.
    pub fn content(&self) -> Option<&str> {
        let body = self.body.as_ref()?;
        body.get("content")
            .or_else(|| body.get("data").and_then(|d| d.get("content")))
            .and_then(Value::as_str)
    }

    /// Whether the fake answered with a 2xx status.
    pub fn succeeded(&self) -> bool {
        (200..300).contains(&self.status)
    }

    /// Whether this is the gateway websocket upgrade (`GET /gateway`, answered 101).
    pub fn is_websocket(&self) -> bool {
        self.status == 101
    }
}

/// Direction of a gateway frame.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Direction {
    /// Sent by the bot to the fake.
    FromBot,
    /// Sent by the fake to the bot.
    ToBot,
}

/// One gateway frame. Close frames are logged as `{"close": code}`, and a connection the fake
/// dropped (see [`FakeDiscord::drop_gateway`]) as `{"close": null}` from the fake.
#[derive(Clone, Debug)]
pub struct GatewayFrame {
    /// Position in the fake's global event order (shared with [`RecordedRequest::order`]).
    pub order: u64,
    /// When the frame was sent or received.
    pub at: Instant,
    /// Gateway connection number (1 for the first connection).
    pub connection: u64,
    /// Who sent it.
    pub direction: Direction,
    /// The JSON payload.
    pub payload: Value,
}

impl GatewayFrame {
    /// The `op` field, if any.
    pub fn op(&self) -> Option<u64> {
        self.payload.get("op").and_then(Value::as_u64)
    }
}

/// Counters and state of the fake gateway.
#[derive(Clone, Debug, Default)]
pub struct GatewayStats {
    /// Websocket connections accepted so far.
    pub connections: usize,
    /// IDENTIFY (op 2) received.
    pub identifies: usize,
    /// RESUME (op 6) received.
    pub resumes: usize,
    /// RESUME answered with RESUMED (the others got op 9).
    pub successful_resumes: usize,
    /// Heartbeats (op 1) received.
    pub heartbeats: usize,
    /// Heartbeat acks (op 11) sent.
    pub heartbeat_acks: usize,
    /// Dispatches (op 0) sent, including READY and RESUMED.
    pub dispatches: usize,
    /// A connection is current and has been sent READY or RESUMED.
    pub ready: bool,
    /// Number of the current connection, if any.
    pub current_connection: Option<u64>,
    /// The current session id (set by IDENTIFY).
    pub session_id: Option<String>,
    /// `[shard_id, num_shards]` of every open connection that got READY or RESUMED.
    pub ready_shards: Vec<[u64; 2]>,
    /// Last sequence number sent.
    pub seq: u64,
    /// Close codes of close frames the bot sent (`None`: close frame without code).
    pub bot_close_codes: Vec<Option<u16>>,
}

/// How a bot reply reached Discord.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum OutgoingKind {
    /// `POST /channels/{id}/messages`.
    ChannelMessage { channel_id: u64 },
    /// `PATCH /channels/{id}/messages/{id}`.
    EditChannelMessage { channel_id: u64, message_id: u64 },
    /// `POST /interactions/{id}/{token}/callback` (`callback_type` 4 = message, 5 = deferred,
    /// 6 = deferred update, 7 = update message, 9 = modal).
    InteractionCallback {
        interaction_id: u64,
        token: String,
        callback_type: u64,
    },
    /// `PATCH /webhooks/{app}/{token}/messages/@original`.
    EditOriginal { token: String },
    /// `POST /webhooks/{app}/{token}` (a followup).
    Followup { token: String },
    /// `PATCH /webhooks/{app}/{token}/messages/{id}` (a followup edit).
    EditFollowup { token: String, message_id: u64 },
}

/// A message the bot sent or edited, in whatever way (see [`OutgoingKind`]).
#[derive(Clone, Debug)]
pub struct OutgoingMessage {
    /// Order of the request (see [`RecordedRequest::order`]).
    pub order: u64,
    /// How it was sent.
    pub kind: OutgoingKind,
    /// The message fields the bot sent (for callbacks: the `data` object; may be `Null`).
    pub data: Value,
    /// `data.content`.
    pub content: Option<String>,
    /// Ephemeral flag (64) set.
    pub ephemeral: bool,
    /// The message object the fake answered with (`None` for callbacks, which answer 204).
    pub response: Option<Value>,
}

impl OutgoingMessage {
    /// Content plus embed titles, descriptions, field names/values and footers, joined by
    /// newlines: handy for asserting on answers that may be in embeds.
    pub fn all_text(&self) -> String {
        let mut parts: Vec<String> = Vec::new();
        if let Some(c) = &self.content {
            parts.push(c.clone());
        }
        if let Some(embeds) = self.data.get("embeds").and_then(Value::as_array) {
            for e in embeds {
                for key in ["title", "description"] {
                    if let Some(s) = e.get(key).and_then(Value::as_str) {
                        parts.push(s.to_string());
                    }
                }
                if let Some(fields) = e.get("fields").and_then(Value::as_array) {
                    for f in fields {
                        for key in ["name", "value"] {
                            if let Some(s) = f.get(key).and_then(Value::as_str) {
                                parts.push(s.to_string());
                            }
                        }
                    }
                }
                if let Some(s) = e.pointer("/footer/text").and_then(Value::as_str) {
                    parts.push(s.to_string());
                }
            }
        }
        parts.join("\n")
    }

    /// The `components` the bot attached (action rows), or an empty list.
    pub fn components(&self) -> Vec<Value> {
        self.data
            .get("components")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default()
    }
}

// ---------------------------------------------------------------------------------------------
// Internal state
// ---------------------------------------------------------------------------------------------

#[derive(Clone, Debug)]
enum FaultAction {
    Respond {
        status: u16,
        body: Option<Value>,
        headers: Vec<(String, String)>,
    },
    Delay(Duration),
}

#[derive(Clone, Debug)]
struct FaultRule {
    method: String,
    pattern: String,
    remaining: Option<usize>,
    action: FaultAction,
}

#[derive(Clone, Debug)]
struct InteractionInfo {
    channel_id: u64,
    guild_id: Option<u64>,
    /// The `interaction_metadata` Discord puts on the interaction's response messages.
    metadata: Option<Value>,
}

enum GwCmd {
    Dispatch {
        event: String,
        data: Value,
        ack: oneshot::Sender<u64>,
    },
    Raw {
        payload: Value,
        ack: oneshot::Sender<()>,
    },
    Close {
        code: u16,
        ack: oneshot::Sender<()>,
    },
    Drop {
        ack: oneshot::Sender<()>,
    },
}

struct ConnHandle {
    id: u64,
    tx: mpsc::UnboundedSender<GwCmd>,
    ready: bool,
}

/// A connection that is open (whether or not current), with the shard it identified as.
struct LiveConn {
    tx: mpsc::UnboundedSender<GwCmd>,
    ready: bool,
    /// `[shard_id, num_shards]` from IDENTIFY (or the resumed session's).
    shard: Option<[u64; 2]>,
}

#[derive(Default)]
struct GatewayState {
    current: Option<ConnHandle>,
    /// Every open connection by id: several shards (in one bot process or several) are
    /// connected at once; `current` is the latest one.
    open: BTreeMap<u64, LiveConn>,
    /// The latest session id issued to each shard (`[shard_id, num_shards]`).
    shard_sessions: BTreeMap<[u64; 2], String>,
    connections: u64,
    identifies: Vec<Value>,
    resumes: Vec<Value>,
    successful_resumes: usize,
    heartbeats: usize,
    heartbeat_acks: usize,
    dispatches: usize,
    sessions: u64,
    session_id: Option<String>,
    seq: u64,
    log: Vec<GatewayFrame>,
    bot_close_codes: Vec<Option<u16>>,
    no_heartbeat_ack: bool,
    refuse_resume: bool,
}

#[derive(Default)]
struct State {
    requests: Vec<RecordedRequest>,
    faults: Vec<FaultRule>,
    commands: BTreeMap<Option<u64>, Vec<Value>>,
    command_ids: HashMap<(Option<u64>, String), u64>,
    channels: HashMap<u64, Value>,
    messages: HashMap<u64, Value>,
    originals: HashMap<String, Value>,
    interactions: HashMap<String, InteractionInfo>,
    dm_channels: HashMap<u64, u64>,
    gw: GatewayState,
}

struct Shared {
    config: FakeConfig,
    addr: SocketAddr,
    order: AtomicU64,
    state: Mutex<State>,
    version: watch::Sender<u64>,
    shutdown: watch::Sender<bool>,
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, State> {
        // A panicking test thread must not wedge the fake for the others.
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn next_order(&self) -> u64 {
        self.order.fetch_add(1, Ordering::SeqCst) + 1
    }

    fn notify(&self) {
        self.version.send_modify(|v| *v = v.wrapping_add(1));
    }

    fn ws_url(&self) -> String {
        format!("ws://{}/gateway", self.addr)
    }

    fn bot_user(&self) -> Value {
        user_json(&TestUser::bot(self.config.bot_id, &self.config.bot_name))
    }

    fn token_ok(&self, presented: Option<&str>) -> bool {
        match &self.config.token {
            None => true,
            Some(expected) => match presented {
                Some(p) => {
                    let p = p.trim();
                    p == expected || p.strip_prefix("Bot ").map(str::trim) == Some(expected)
                }
                None => false,
            },
        }
    }

    /// Waits until `check` returns `Some`, at most `timeout` (clamped to [`MAX_WAIT`]).
    async fn wait_until<T>(
        &self,
        timeout: Duration,
        mut check: impl FnMut(&State) -> Option<T>,
    ) -> Option<T> {
        let deadline = tokio::time::Instant::now() + timeout.min(MAX_WAIT);
        let mut rx = self.version.subscribe();
        for _ in 0..MAX_WAKEUPS {
            if let Some(found) = check(&self.lock()) {
                return Some(found);
            }
            match tokio::time::timeout_at(deadline, rx.changed()).await {
                Ok(Ok(())) => continue,
                _ => break,
            }
        }
        check(&self.lock())
    }
}

// ---------------------------------------------------------------------------------------------
// The fake
// ---------------------------------------------------------------------------------------------

/// A running fake Discord. Shuts down when dropped or via [`FakeDiscord::shutdown`].
pub struct FakeDiscord {
    shared: Arc<Shared>,
    server: Mutex<Option<JoinHandle<()>>>,
}

impl FakeDiscord {
    /// Starts a fake with [`FakeConfig::default`] on `127.0.0.1:0`.
    pub async fn start() -> Self {
        Self::start_with(FakeConfig::default()).await
    }

    /// Starts a fake with the given configuration on `127.0.0.1:0`.
    pub async fn start_with(config: FakeConfig) -> Self {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("fake discord: bind 127.0.0.1:0");
        let addr = listener.local_addr().expect("fake discord: local addr");
        let (version, _) = watch::channel(0u64);
        let (shutdown, _) = watch::channel(false);
        let shared = Arc::new(Shared {
            config,
            addr,
            order: AtomicU64::new(0),
            state: Mutex::new(State::default()),
            version,
            shutdown,
        });
        let app = Router::new()
            .route("/gateway", get(ws_handler))
            .fallback(rest_handler)
            .with_state(Arc::clone(&shared));
        let mut shutdown_rx = shared.shutdown.subscribe();
        let server = tokio::spawn(async move {
            let serve = axum::serve(listener, app).with_graceful_shutdown(async move {
                let _ = shutdown_rx.wait_for(|stop| *stop).await;
            });
            let _ = serve.await;
        });
        Self {
            shared,
            server: Mutex::new(Some(server)),
        }
    }

    /// `http://127.0.0.1:PORT`: pass it to `HttpBuilder::proxy`.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.shared.addr)
    }

    /// `ws://127.0.0.1:PORT/gateway` (what `GET /gateway` answers).
    pub fn gateway_url(&self) -> String {
        self.shared.ws_url()
    }

    /// The socket address the fake listens on.
    pub fn addr(&self) -> SocketAddr {
        self.shared.addr
    }

    /// The configuration the fake runs with.
    pub fn config(&self) -> &FakeConfig {
        &self.shared.config
    }

    /// A serenity `Http` pointed at this fake (proxy set, ratelimiter disabled).
    #[cfg(feature = "discord")]
    pub fn serenity_http(&self, token: &str) -> serenity::http::Http {
        serenity::http::HttpBuilder::new(token)
            .proxy(self.base_url())
            .ratelimiter_disabled(true)
            .build()
    }

    /// Stops the server and closes gateway connections (bounded: about 1 s at most).
    pub async fn shutdown(&self) {
        self.shared.shutdown.send_replace(true);
        let handle = self.server.lock().unwrap_or_else(|e| e.into_inner()).take();
        if let Some(mut handle) = handle {
            if tokio::time::timeout(Duration::from_secs(1), &mut handle)
                .await
                .is_err()
            {
                handle.abort();
            }
        }
    }

    /// A readable transcript of every request and gateway frame so far (heartbeats folded),
    /// for assertion messages: `assert!(ok, "{}", fake.transcript())`.
    pub fn transcript(&self) -> String {
        use std::fmt::Write as _;
        let state = self.shared.lock();
        let mut lines: Vec<(u64, String)> = Vec::new();
        for r in &state.requests {
            let mut line = format!("HTTP {} {}", r.method, r.path);
            if let Some(q) = &r.query {
                let _ = write!(line, "?{q}");
            }
            let _ = write!(line, " -> {}", r.status);
            if r.injected {
                line.push_str(" (injected)");
            }
            if let Some(b) = &r.body {
                let b = b.to_string();
                let cut: String = b.chars().take(160).collect();
                let _ = write!(line, " {cut}");
            }
            lines.push((r.order, line));
        }
        for f in &state.gw.log {
            let arrow = match f.direction {
                Direction::FromBot => "bot->fake",
                Direction::ToBot => "fake->bot",
            };
            let what = match (f.op(), f.payload.get("t").and_then(Value::as_str)) {
                (Some(0), Some(t)) => format!("op 0 {t} s={}", f.payload["s"]),
                (Some(op), _) => format!("op {op}"),
                _ => f.payload.to_string(),
            };
            lines.push((f.order, format!("WS#{} {arrow} {what}", f.connection)));
        }
        lines.sort_by_key(|(o, _)| *o);
        let mut out = String::new();
        let mut last = String::new();
        let mut repeat = 0usize;
        for (_, line) in lines {
            if line == last {
                repeat += 1;
                continue;
            }
            if repeat > 0 {
                let _ = writeln!(out, "  (x{} more)", repeat);
                repeat = 0;
            }
            let _ = writeln!(out, "{line}");
            last = line;
        }
        if repeat > 0 {
            let _ = writeln!(out, "  (x{} more)", repeat);
        }
        out
    }

    // ----- REST observation -------------------------------------------------------------------

    /// The current position in the global event order: compare with
    /// [`RecordedRequest::order`] / [`OutgoingMessage::order`] / [`GatewayFrame::order`] to
    /// look only at what happened after this point, e.g.
    /// `fake.wait_for(|r| r.order > mark && r.is("POST", "/channels/*/messages"), t)`.
    pub fn mark(&self) -> u64 {
        self.shared.order.load(Ordering::SeqCst)
    }

    /// All requests so far, in arrival order.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.shared.lock().requests.clone()
    }

    /// The first request received, if any.
    pub fn first_request(&self) -> Option<RecordedRequest> {
        self.shared.lock().requests.first().cloned()
    }

    /// Requests matching `method` (`"*"` for any) and a path pattern (see [`path_matches`]).
    pub fn requests_matching(&self, method: &str, pattern: &str) -> Vec<RecordedRequest> {
        self.shared
            .lock()
            .requests
            .iter()
            .filter(|r| r.is(method, pattern))
            .cloned()
            .collect()
    }

    /// Requests no route matched (answered 404): shows what serenity asked that the fake lacks.
    pub fn unknown_requests(&self) -> Vec<RecordedRequest> {
        self.shared
            .lock()
            .requests
            .iter()
            .filter(|r| !r.known_route)
            .cloned()
            .collect()
    }

    /// Forgets recorded requests (gateway state and stored objects are kept).
    pub fn clear_requests(&self) {
        self.shared.lock().requests.clear();
    }

    /// Waits for the first recorded request (already recorded or future) satisfying `pred`.
    pub async fn wait_for<F>(&self, pred: F, timeout: Duration) -> Option<RecordedRequest>
    where
        F: Fn(&RecordedRequest) -> bool,
    {
        self.shared
            .wait_until(timeout, |s| s.requests.iter().find(|r| pred(r)).cloned())
            .await
    }

    /// Waits for a request matching `method` and `pattern` (see [`path_matches`]).
    pub async fn wait_for_request(
        &self,
        method: &str,
        pattern: &str,
        timeout: Duration,
    ) -> Option<RecordedRequest> {
        self.wait_for(|r| r.is(method, pattern), timeout).await
    }

    /// Waits until at least `count` requests match; returns all matches (possibly fewer than
    /// `count` on timeout).
    pub async fn wait_for_count(
        &self,
        method: &str,
        pattern: &str,
        count: usize,
        timeout: Duration,
    ) -> Vec<RecordedRequest> {
        // On timeout, fall through and return whatever matched.
        let _ = self
            .shared
            .wait_until(timeout, |s| {
                let n = s.requests.iter().filter(|r| r.is(method, pattern)).count();
                (n >= count).then_some(())
            })
            .await;
        self.requests_matching(method, pattern)
    }

    /// Every message the bot sent or edited (channel messages, interaction callbacks, original
    /// response edits, followups), in order. Only requests the fake answered with 2xx.
    pub fn outgoing_messages(&self) -> Vec<OutgoingMessage> {
        let state = self.shared.lock();
        state.requests.iter().filter_map(outgoing_from).collect()
    }

    /// Waits for an outgoing message satisfying `pred` (see [`FakeDiscord::outgoing_messages`]).
    pub async fn wait_for_outgoing<F>(&self, pred: F, timeout: Duration) -> Option<OutgoingMessage>
    where
        F: Fn(&OutgoingMessage) -> bool,
    {
        self.shared
            .wait_until(timeout, |s| {
                s.requests
                    .iter()
                    .filter_map(outgoing_from)
                    .find(|m| pred(m))
            })
            .await
    }

    /// Waits for the `n`-th (1-based) outgoing message.
    pub async fn wait_for_outgoing_count(
        &self,
        n: usize,
        timeout: Duration,
    ) -> Vec<OutgoingMessage> {
        let _ = self
            .shared
            .wait_until(timeout, |s| {
                (s.requests.iter().filter_map(outgoing_from).count() >= n).then_some(())
            })
            .await;
        self.outgoing_messages()
    }

    /// Commands registered with `PUT`/`POST applications/{app}/commands` (`guild_id: None`) or
    /// the guild variant, as the fake stores them (with ids).
    pub fn registered_commands(&self, guild_id: Option<u64>) -> Vec<Value> {
        self.shared
            .lock()
            .commands
            .get(&guild_id)
            .cloned()
            .unwrap_or_default()
    }

    /// The stored original interaction response for `token` (from a type 4/7 callback, updated
    /// by `PATCH .../@original`), as a full message object.
    pub fn original_response(&self, token: &str) -> Option<Value> {
        self.shared.lock().originals.get(token).cloned()
    }

    /// A message the fake created or was given, by id.
    pub fn message(&self, id: u64) -> Option<Value> {
        self.shared.lock().messages.get(&id).cloned()
    }

    /// Stores a channel object answered by `GET /channels/{id}` (otherwise a guild text channel
    /// in [`GUILD_ID`] is made up). Use [`guild_text_channel`] or [`dm_channel`].
    pub fn set_channel(&self, channel: Value) {
        let id = channel
            .get("id")
            .and_then(id_of)
            .expect("set_channel: channel needs an id");
        self.shared.lock().channels.insert(id, channel);
    }

    // ----- fault injection --------------------------------------------------------------------

    /// The next `times` requests matching `method`/`pattern` get `status` with a Discord-style
    /// JSON error body (`{"message": ..., "code": ...}`).
    pub fn fail_next(&self, method: &str, pattern: &str, times: usize, status: u16) {
        self.push_fault(
            method,
            pattern,
            Some(times),
            FaultAction::Respond {
                status,
                body: Some(error_body(status)),
                headers: Vec::new(),
            },
        );
    }

    /// The next `times` matching requests get 429 with `retry_after` (seconds) in the body and
    /// the `retry-after` / `x-ratelimit-*` headers.
    pub fn rate_limit_next(&self, method: &str, pattern: &str, times: usize, retry_after: f64) {
        let body = json!({
            "message": "You are being rate limited.",
            "retry_after": retry_after,
            "global": false,
            "code": 0,
        });
        let headers = vec![
            (
                "retry-after".to_string(),
                format!("{}", retry_after.ceil().max(0.0) as u64),
            ),
            ("x-ratelimit-limit".to_string(), "5".to_string()),
            ("x-ratelimit-remaining".to_string(), "0".to_string()),
            (
                "x-ratelimit-reset-after".to_string(),
                format!("{retry_after:.3}"),
            ),
            ("x-ratelimit-bucket".to_string(), "fake-bucket".to_string()),
            ("x-ratelimit-scope".to_string(), "user".to_string()),
        ];
        self.push_fault(
            method,
            pattern,
            Some(times),
            FaultAction::Respond {
                status: 429,
                body: Some(body),
                headers,
            },
        );
    }

    /// Matching requests get this status and JSON body (`None` = empty body); `times: None`
    /// means for ever (until [`FakeDiscord::clear_faults`]).
    pub fn respond_with(
        &self,
        method: &str,
        pattern: &str,
        times: Option<usize>,
        status: u16,
        body: Option<Value>,
    ) {
        self.push_fault(
            method,
            pattern,
            times,
            FaultAction::Respond {
                status,
                body,
                headers: Vec::new(),
            },
        );
    }

    /// The next `times` matching requests are answered normally, but only after `delay`.
    pub fn delay_next(&self, method: &str, pattern: &str, times: usize, delay: Duration) {
        self.push_fault(
            method,
            pattern,
            Some(times),
            FaultAction::Delay(delay.min(MAX_WAIT)),
        );
    }

    /// Removes every fault and override.
    pub fn clear_faults(&self) {
        self.shared.lock().faults.clear();
    }

    fn push_fault(&self, method: &str, pattern: &str, times: Option<usize>, action: FaultAction) {
        self.shared.lock().faults.push(FaultRule {
            method: method.to_string(),
            pattern: pattern.to_string(),
            remaining: times,
            action,
        });
    }

    // ----- gateway ----------------------------------------------------------------------------

    /// Counters and state of the gateway.
    pub fn gateway_stats(&self) -> GatewayStats {
        gateway_stats(&self.shared.lock())
    }

    /// Number of IDENTIFY payloads received.
    pub fn identify_count(&self) -> usize {
        self.shared.lock().gw.identifies.len()
    }

    /// Number of RESUME payloads received.
    pub fn resume_count(&self) -> usize {
        self.shared.lock().gw.resumes.len()
    }

    /// Number of heartbeats received.
    pub fn heartbeat_count(&self) -> usize {
        self.shared.lock().gw.heartbeats
    }

    /// Number of websocket connections accepted.
    pub fn connection_count(&self) -> usize {
        self.shared.lock().gw.connections as usize
    }

    /// The `d` objects of IDENTIFY payloads (`token`, `intents`, `shard`, `properties`, ...).
    pub fn identifies(&self) -> Vec<Value> {
        self.shared.lock().gw.identifies.clone()
    }

    /// The `d` objects of RESUME payloads (`token`, `session_id`, `seq`).
    pub fn resumes(&self) -> Vec<Value> {
        self.shared.lock().gw.resumes.clone()
    }

    /// Every gateway frame sent or received, in order.
    pub fn gateway_log(&self) -> Vec<GatewayFrame> {
        self.shared.lock().gw.log.clone()
    }

    /// Waits until `pred` holds for the gateway stats; returns whether it did.
    pub async fn wait_for_gateway<F>(&self, pred: F, timeout: Duration) -> bool
    where
        F: Fn(&GatewayStats) -> bool,
    {
        self.shared
            .wait_until(timeout, |s| pred(&gateway_stats(s)).then_some(()))
            .await
            .is_some()
    }

    /// Waits until a connection is current and has been sent READY or RESUMED.
    pub async fn wait_until_ready(&self, timeout: Duration) -> bool {
        self.wait_for_gateway(|s| s.ready, timeout).await
    }

    /// Sends a dispatch (op 0) with the next sequence number to the current connection, waiting
    /// up to [`DISPATCH_WAIT`] for a ready connection. Returns the sequence number.
    ///
    /// # Panics
    /// If there is no ready connection in time; use [`FakeDiscord::try_dispatch`] to handle that.
    pub async fn dispatch(&self, event: &str, data: Value) -> u64 {
        match self.try_dispatch(event, data).await {
            Ok(seq) => seq,
            Err(e) => panic!("fake discord: dispatch {event} failed: {e}"),
        }
    }

    /// Waits until `n` distinct shards have a ready connection (each bot process of a
    /// sharded bot identifies with `shard: [i, n]`).
    pub async fn wait_until_shards_ready(&self, n: usize, timeout: Duration) -> bool {
        self.wait_for_gateway(
            |s| {
                let mut ids: Vec<u64> = s.ready_shards.iter().map(|sh| sh[0]).collect();
                ids.sort_unstable();
                ids.dedup();
                ids.len() >= n
            },
            timeout,
        )
        .await
    }

    /// Like [`FakeDiscord::dispatch`], to the ready connection of shard `shard` (as Discord
    /// sends a guild's events to the shard `(guild_id >> 22) % num_shards`; see
    /// [`shard_of_guild`]), waiting up to [`DISPATCH_WAIT`] for one.
    pub async fn dispatch_to_shard(&self, shard: u64, event: &str, data: Value) -> u64 {
        self.remember_dispatched(event, &data);
        let found = self
            .shared
            .wait_until(DISPATCH_WAIT, |s| {
                s.gw.open
                    .values()
                    .find(|c| c.ready && c.shard.is_some_and(|sh| sh[0] == shard))
                    .map(|c| c.tx.clone())
            })
            .await;
        let Some(tx) = found else {
            panic!("fake discord: no ready connection of shard {shard} within {DISPATCH_WAIT:?}");
        };
        let (ack, rx) = oneshot::channel();
        tx.send(GwCmd::Dispatch {
            event: event.to_string(),
            data,
            ack,
        })
        .unwrap_or_else(|_| panic!("fake discord: shard {shard}'s connection went away"));
        match tokio::time::timeout(DISPATCH_WAIT, rx).await {
            Ok(Ok(seq)) => seq,
            _ => panic!("fake discord: shard {shard}'s connection went away before sending"),
        }
    }

    /// Like [`FakeDiscord::dispatch`] but returns an error instead of panicking.
    pub async fn try_dispatch(&self, event: &str, data: Value) -> Result<u64, FakeError> {
        self.remember_dispatched(event, &data);
        let tx = self.ready_connection().await?;
        let (ack, rx) = oneshot::channel();
        tx.send(GwCmd::Dispatch {
            event: event.to_string(),
            data,
            ack,
        })
        .map_err(|_| FakeError("gateway connection went away".into()))?;
        match tokio::time::timeout(DISPATCH_WAIT, rx).await {
            Ok(Ok(seq)) => Ok(seq),
            _ => Err(FakeError(
                "gateway connection went away before sending".into(),
            )),
        }
    }

    /// Keeps what REST answers later need: an interaction's channel and metadata, a message.
    fn remember_dispatched(&self, event: &str, data: &Value) {
        if event == "INTERACTION_CREATE" {
            if let Some(token) = data.get("token").and_then(Value::as_str) {
                let channel_id = data.get("channel_id").and_then(id_of).unwrap_or(CHANNEL_ID);
                let guild_id = data.get("guild_id").and_then(id_of);
                let user = data
                    .pointer("/member/user")
                    .or_else(|| data.get("user"))
                    .cloned();
                let metadata = match (data.get("id"), user) {
                    (Some(id), Some(user)) => Some(json!({
                        "id": id,
                        "type": data.get("type").cloned().unwrap_or(json!(2)),
                        "user": user,
                        "authorizing_integration_owners": match guild_id {
                            Some(g) => json!({ "0": g.to_string() }),
                            None => json!({}),
                        },
                    })),
                    _ => None,
                };
                self.shared.lock().interactions.insert(
                    token.to_string(),
                    InteractionInfo {
                        channel_id,
                        guild_id,
                        metadata,
                    },
                );
            }
        }
        if event == "MESSAGE_CREATE" {
            if let Some(id) = data.get("id").and_then(id_of) {
                self.shared.lock().messages.insert(id, data.clone());
            }
        }
    }

    /// Sends an arbitrary JSON payload to the current (ready) connection, e.g.
    /// `{"op":7,"d":null}` (reconnect) or `{"op":9,"d":false}` (invalid session). After op 7 or
    /// 9 the connection stops being current, so the next `dispatch` waits for the bot to
    /// reconnect. Note: serenity 0.12.5 resumes quickly, but a re-identify (op 9 with `false`,
    /// unacknowledged heartbeats) goes through its shard queuer and takes 5-10 s.
    pub async fn send_gateway_raw(&self, payload: Value) -> Result<(), FakeError> {
        let tx = self.ready_connection().await?;
        let (ack, rx) = oneshot::channel();
        tx.send(GwCmd::Raw { payload, ack })
            .map_err(|_| FakeError("gateway connection went away".into()))?;
        tokio::time::timeout(DISPATCH_WAIT, rx)
            .await
            .map_err(|_| FakeError("timed out".into()))?
            .map_err(|_| FakeError("gateway connection went away".into()))
    }

    /// Sends a close frame with `code` (e.g. 4000) on the current connection. The connection
    /// stops being current at once; it then waits (bounded) for the bot's close reply.
    pub async fn close_gateway(&self, code: u16) -> Result<(), FakeError> {
        let tx = self.current_connection()?;
        let (ack, rx) = oneshot::channel();
        tx.send(GwCmd::Close { code, ack })
            .map_err(|_| FakeError("gateway connection went away".into()))?;
        tokio::time::timeout(DISPATCH_WAIT, rx)
            .await
            .map_err(|_| FakeError("timed out".into()))?
            .map_err(|_| FakeError("gateway connection went away".into()))
    }

    /// Drops the current connection's TCP stream without a close frame.
    pub async fn drop_gateway(&self) -> Result<(), FakeError> {
        let tx = self.current_connection()?;
        let (ack, rx) = oneshot::channel();
        tx.send(GwCmd::Drop { ack })
            .map_err(|_| FakeError("gateway connection went away".into()))?;
        tokio::time::timeout(DISPATCH_WAIT, rx)
            .await
            .map_err(|_| FakeError("timed out".into()))?
            .map_err(|_| FakeError("gateway connection went away".into()))
    }

    /// When false, heartbeats are recorded but not acknowledged (a "zombie" connection).
    pub fn set_heartbeat_ack(&self, enabled: bool) {
        self.shared.lock().gw.no_heartbeat_ack = !enabled;
    }

    /// When false, RESUME is answered with op 9 (invalid session, not resumable).
    pub fn set_resume_allowed(&self, allowed: bool) {
        self.shared.lock().gw.refuse_resume = !allowed;
    }

    fn current_connection(&self) -> Result<mpsc::UnboundedSender<GwCmd>, FakeError> {
        self.shared
            .lock()
            .gw
            .current
            .as_ref()
            .map(|c| c.tx.clone())
            .ok_or_else(|| FakeError("no gateway connection".into()))
    }

    async fn ready_connection(&self) -> Result<mpsc::UnboundedSender<GwCmd>, FakeError> {
        self.shared
            .wait_until(DISPATCH_WAIT, |s| {
                s.gw.current
                    .as_ref()
                    .filter(|c| c.ready)
                    .map(|c| c.tx.clone())
            })
            .await
            .ok_or_else(|| {
                FakeError(format!(
                    "no ready gateway connection within {DISPATCH_WAIT:?}"
                ))
            })
    }
}

impl Drop for FakeDiscord {
    fn drop(&mut self) {
        self.shared.shutdown.send_replace(true);
        if let Some(handle) = self
            .server
            .get_mut()
            .unwrap_or_else(|e| e.into_inner())
            .take()
        {
            handle.abort();
        }
    }
}

fn gateway_stats(s: &State) -> GatewayStats {
    let gw = &s.gw;
    GatewayStats {
        connections: gw.connections as usize,
        identifies: gw.identifies.len(),
        resumes: gw.resumes.len(),
        successful_resumes: gw.successful_resumes,
        heartbeats: gw.heartbeats,
        heartbeat_acks: gw.heartbeat_acks,
        dispatches: gw.dispatches,
        ready: gw.current.as_ref().is_some_and(|c| c.ready),
        current_connection: gw.current.as_ref().map(|c| c.id),
        session_id: gw.session_id.clone(),
        ready_shards: gw
            .open
            .values()
            .filter(|c| c.ready)
            .filter_map(|c| c.shard)
            .collect(),
        seq: gw.seq,
        bot_close_codes: gw.bot_close_codes.clone(),
    }
}

// ---------------------------------------------------------------------------------------------
// Path patterns
// ---------------------------------------------------------------------------------------------

/// The shard Discord sends a guild's events to: `(guild_id >> 22) % num_shards`.
pub fn shard_of_guild(guild_id: u64, num_shards: u64) -> u64 {
    (guild_id >> 22) % num_shards.max(1)
}

/// Whether `path` matches `pattern`. Patterns are paths whose segments may be `*` (any one
/// segment) or a final `**` (any rest, including nothing). A pattern that does not start with
/// `/api/` gets `/api/v10` prepended, so `"/channels/*/messages"` matches
/// `/api/v10/channels/123/messages` and `"/gateway"` means the REST `GET /api/v10/gateway`
/// (the websocket upgrade is recorded with path `/gateway`: see
/// [`RecordedRequest::is_websocket`]). A query string in `path` is ignored.
pub fn path_matches(pattern: &str, path: &str) -> bool {
    let path = path.split('?').next().unwrap_or("");
    let pattern = if pattern.starts_with("/api/") {
        pattern.to_string()
    } else {
        format!("/api/v10/{}", pattern.trim_start_matches('/'))
    };
    let pat: Vec<&str> = pattern.trim_matches('/').split('/').collect();
    let segs: Vec<&str> = path.trim_matches('/').split('/').collect();
    for (i, p) in pat.iter().enumerate() {
        if *p == "**" && i + 1 == pat.len() {
            return true;
        }
        match segs.get(i) {
            Some(s) if *p == "*" || p == s => {}
            _ => return false,
        }
    }
    pat.len() == segs.len()
}

fn method_matches(pattern: &str, method: &str) -> bool {
    pattern == "*" || pattern.eq_ignore_ascii_case(method)
}
