//! A fake Discord (REST API + gateway websocket) on 127.0.0.1 for tests.
//!
//! One port serves both the REST API under `/api/v10/...` and the gateway websocket at
//! `/gateway`. Point serenity at it with
//! `HttpBuilder::new(token).proxy(fake.base_url()).ratelimiter_disabled(true).build()` and
//! `ClientBuilder::new_with_http(http, intents)` (see `/work/shared/notes/fake-discord.md`).
//!
//! Everything the bot does is recorded: REST requests (method, path, headers, JSON body, order)
//! and gateway frames (IDENTIFY, RESUME, heartbeats, close codes). Tests drive the bot with
//! [`FakeDiscord::dispatch`] and the payload builders at the bottom of this file
//! ([`message_create`], [`slash_command_interaction`], [`component_interaction`], ...).
//!
//! Every wait is bounded: the `timeout` a caller passes is clamped to [`MAX_WAIT`].
//!
//! The harness itself does not depend on serenity, so it also builds with
//! `--no-default-features`; only [`FakeDiscord::serenity_http`] needs the `discord` feature.

use std::collections::{BTreeMap, HashMap};
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use axum::body::{Body, Bytes};
use axum::extract::ws::{CloseFrame, Message as WsMessage, WebSocket, WebSocketUpgrade};
use axum::extract::State as AxState;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri};
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use serde_json::{json, Map, Value};
use tokio::sync::{mpsc, oneshot, watch};
use tokio::task::JoinHandle;

// ---------------------------------------------------------------------------------------------
// Constants and configuration
// ---------------------------------------------------------------------------------------------

/// Upper bound for every wait in this module, whatever timeout the caller asks for.
pub const MAX_WAIT: Duration = Duration::from_secs(30);
/// How long `dispatch` and friends wait for a ready gateway connection.
pub const DISPATCH_WAIT: Duration = Duration::from_secs(5);
/// How long a connection closed by the fake keeps reading to complete the close handshake.
const CLOSE_DRAIN: Duration = Duration::from_secs(2);
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

/// Discord's epoch (2015-01-01) in milliseconds since the Unix epoch.
const DISCORD_EPOCH_MS: u64 = 1_420_070_400_000;

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

#[derive(Default)]
struct GatewayState {
    current: Option<ConnHandle>,
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

    /// Like [`FakeDiscord::dispatch`] but returns an error instead of panicking.
    pub async fn try_dispatch(&self, event: &str, data: Value) -> Result<u64, FakeError> {
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
        seq: gw.seq,
        bot_close_codes: gw.bot_close_codes.clone(),
    }
}

// ---------------------------------------------------------------------------------------------
// Path patterns
// ---------------------------------------------------------------------------------------------

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

// ---------------------------------------------------------------------------------------------
// REST
// ---------------------------------------------------------------------------------------------

struct Answer {
    status: u16,
    body: Option<Value>,
    headers: Vec<(String, String)>,
    known: bool,
    injected: bool,
}

impl Answer {
    fn json(status: u16, body: Value) -> Self {
        Self {
            status,
            body: Some(body),
            headers: Vec::new(),
            known: true,
            injected: false,
        }
    }

    fn no_content() -> Self {
        Self {
            status: 204,
            body: None,
            headers: Vec::new(),
            known: true,
            injected: false,
        }
    }

    fn error(status: u16, code: i64, message: &str) -> Self {
        Self::json(status, json!({ "message": message, "code": code }))
    }

    fn unknown_route() -> Self {
        Self {
            known: false,
            ..Self::json(404, json!({ "message": "404: Not Found", "code": 0 }))
        }
    }
}

fn error_body(status: u16) -> Value {
    let (code, message) = match status {
        400 => (50035, "Invalid Form Body"),
        401 => (0, "401: Unauthorized"),
        403 => (50013, "Missing Permissions"),
        404 => (0, "404: Not Found"),
        405 => (0, "405: Method Not Allowed"),
        429 => (0, "You are being rate limited."),
        500 => (0, "500: Internal Server Error"),
        502 => (0, "502: Bad Gateway"),
        503 => (0, "503: Service Unavailable"),
        _ => (0, "Fake error"),
    };
    json!({ "message": message, "code": code })
}

fn headers_to_vec(headers: &HeaderMap) -> Vec<(String, String)> {
    headers
        .iter()
        .map(|(k, v)| {
            (
                k.as_str().to_ascii_lowercase(),
                String::from_utf8_lossy(v.as_bytes()).into_owned(),
            )
        })
        .collect()
}

/// Parses a JSON body, or the `payload_json` part of a multipart body.
fn parse_body(headers: &HeaderMap, body: &[u8]) -> Option<Value> {
    if body.is_empty() {
        return None;
    }
    let content_type = headers
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    if content_type.starts_with("multipart/") {
        let text = String::from_utf8_lossy(body);
        let start = text.find("name=\"payload_json\"")?;
        let rest = &text[start..];
        let data_start = rest.find("\r\n\r\n")? + 4;
        let rest = &rest[data_start..];
        let end = rest.find("\r\n--").unwrap_or(rest.len());
        return serde_json::from_str(&rest[..end]).ok();
    }
    serde_json::from_slice(body).ok()
}

async fn rest_handler(
    AxState(shared): AxState<Arc<Shared>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let order = shared.next_order();
    let at = Instant::now();
    let path = uri.path().to_string();
    let query = uri.query().map(str::to_string);
    let json_body = parse_body(&headers, &body);

    // Injected faults and overrides come first.
    let mut delay = None;
    let mut answer = None;
    {
        let mut state = shared.lock();
        let rule = state.faults.iter_mut().find(|r| {
            r.remaining != Some(0)
                && method_matches(&r.method, method.as_str())
                && path_matches(&r.pattern, &path)
        });
        if let Some(rule) = rule {
            if let Some(n) = rule.remaining.as_mut() {
                *n -= 1;
            }
            match rule.action.clone() {
                FaultAction::Delay(d) => delay = Some(d),
                FaultAction::Respond {
                    status,
                    body,
                    headers,
                } => {
                    answer = Some(Answer {
                        status,
                        body,
                        headers,
                        known: true,
                        injected: true,
                    })
                }
            }
        }
        state.faults.retain(|r| r.remaining != Some(0));
    }
    if let Some(d) = delay {
        tokio::time::sleep(d).await;
    }
    let answer = match answer {
        Some(a) => a,
        None => {
            let authorization = headers.get("authorization").and_then(|v| v.to_str().ok());
            let public = method == Method::GET && path == "/api/v10/gateway";
            if !public && !shared.token_ok(authorization) {
                Answer::error(401, 0, "401: Unauthorized")
            } else {
                route_rest(&shared, &method, &path, json_body.as_ref())
            }
        }
    };

    let record = RecordedRequest {
        order,
        at,
        method: method.as_str().to_string(),
        path,
        query,
        headers: headers_to_vec(&headers),
        body: json_body,
        raw_body: String::from_utf8_lossy(&body).into_owned(),
        status: answer.status,
        known_route: answer.known,
        injected: answer.injected,
        response_body: answer.body.clone(),
    };
    {
        let mut state = shared.lock();
        // Keep arrival order even when a delayed request is recorded late.
        let pos = state
            .requests
            .iter()
            .rposition(|r| r.order < order)
            .map_or(0, |p| p + 1);
        state.requests.insert(pos, record);
    }
    shared.notify();

    let status = StatusCode::from_u16(answer.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let mut builder = Response::builder().status(status);
    for (k, v) in &answer.headers {
        if let Ok(v) = HeaderValue::from_str(v) {
            builder = builder.header(k.as_str(), v);
        }
    }
    let body = match answer.body {
        Some(v) if status != StatusCode::NO_CONTENT => {
            builder = builder.header("content-type", "application/json");
            Body::from(serde_json::to_vec(&v).unwrap_or_default())
        }
        _ => Body::empty(),
    };
    builder
        .body(body)
        .unwrap_or_else(|_| Response::new(Body::empty()))
}

fn route_rest(shared: &Shared, method: &Method, path: &str, body: Option<&Value>) -> Answer {
    let Some(rest) = path.strip_prefix("/api/v10/") else {
        return Answer::unknown_route();
    };
    let segs: Vec<&str> = rest.trim_end_matches('/').split('/').collect();
    let cfg = &shared.config;
    let empty = Value::Null;
    let body = body.unwrap_or(&empty);
    let m = method.as_str();

    match (m, segs.as_slice()) {
        ("GET", ["gateway"]) => Answer::json(200, json!({ "url": shared.ws_url() })),
        ("GET", ["gateway", "bot"]) => Answer::json(
            200,
            json!({
                "url": shared.ws_url(),
                "shards": cfg.shards,
                "session_start_limit": {
                    "total": 1000, "remaining": 999, "reset_after": 14_400_000u64,
                    "max_concurrency": 1
                }
            }),
        ),
        ("GET", ["users", "@me"]) => {
            let mut user = shared.bot_user();
            user["verified"] = json!(true);
            user["mfa_enabled"] = json!(false);
            user["flags"] = json!(0);
            Answer::json(200, user)
        }
        ("GET", ["users", id]) => match parse_id(id) {
            Some(id) if id == cfg.bot_id => Answer::json(200, shared.bot_user()),
            Some(id) => Answer::json(200, user_json(&TestUser::new(id, &format!("user{id}")))),
            None => Answer::error(404, 10013, "Unknown User"),
        },
        ("POST", ["users", "@me", "channels"]) => {
            let Some(recipient) = body.get("recipient_id").and_then(id_of) else {
                return Answer::error(400, 50035, "Invalid Form Body");
            };
            let mut state = shared.lock();
            let channel_id = *state.dm_channels.entry(recipient).or_insert_with(snowflake);
            let channel = dm_channel(
                channel_id,
                &TestUser::new(recipient, &format!("user{recipient}")),
            );
            state.channels.entry(channel_id).or_insert(channel.clone());
            Answer::json(200, channel)
        }
        ("GET", ["oauth2", "applications", "@me"]) => Answer::json(
            200,
            json!({
                "id": cfg.application_id.to_string(),
                "name": cfg.bot_name,
                "icon": null,
                "description": "",
                "rpc_origins": [],
                "bot_public": true,
                "bot_require_code_grant": false,
                "verify_key": "0000000000000000000000000000000000000000000000000000000000000000",
                "owner": user_json(&TestUser::new(cfg.owner_id, "owner")),
                "team": null,
                "flags": 0,
                "bot": shared.bot_user(),
            }),
        ),

        // Application commands.
        ("PUT", ["applications", _, "commands"]) => put_commands(shared, None, body),
        ("PUT", ["applications", _, "guilds", g, "commands"]) => {
            put_commands(shared, parse_id(g), body)
        }
        ("GET", ["applications", _, "commands"]) => {
            Answer::json(200, Value::Array(registered(shared, None)))
        }
        ("GET", ["applications", _, "guilds", g, "commands"]) => {
            Answer::json(200, Value::Array(registered(shared, parse_id(g))))
        }
        ("POST", ["applications", _, "commands"]) => post_command(shared, None, body),
        ("POST", ["applications", _, "guilds", g, "commands"]) => {
            post_command(shared, parse_id(g), body)
        }
        ("PATCH", ["applications", _, "commands", _]) => post_command(shared, None, body),
        ("PATCH", ["applications", _, "guilds", g, "commands", _]) => {
            post_command(shared, parse_id(g), body)
        }
        ("DELETE", ["applications", _, "commands", _])
        | ("DELETE", ["applications", _, "guilds", _, "commands", _]) => Answer::no_content(),

        // Channels and messages.
        ("GET", ["channels", c]) => match parse_id(c) {
            Some(c) => {
                let stored = shared.lock().channels.get(&c).cloned();
                Answer::json(
                    200,
                    stored.unwrap_or_else(|| {
                        if c == DM_CHANNEL_ID {
                            dm_channel(c, &TestUser::alice())
                        } else {
                            guild_text_channel(GUILD_ID, c, "general")
                        }
                    }),
                )
            }
            None => Answer::error(404, 10003, "Unknown Channel"),
        },
        ("POST", ["channels", c, "messages"]) => match parse_id(c) {
            Some(c) => {
                let msg = bot_message(shared, c, None, body, None);
                let id = id_of(&msg["id"]).unwrap_or(0);
                shared.lock().messages.insert(id, msg.clone());
                Answer::json(200, msg)
            }
            None => Answer::error(404, 10003, "Unknown Channel"),
        },
        ("GET", ["channels", _, "messages"]) => Answer::json(200, json!([])),
        ("GET", ["channels", _, "messages", mid]) => {
            match parse_id(mid).and_then(|id| shared.lock().messages.get(&id).cloned()) {
                Some(msg) => Answer::json(200, msg),
                None => Answer::error(404, 10008, "Unknown Message"),
            }
        }
        ("PATCH", ["channels", c, "messages", mid]) => {
            let (Some(c), Some(mid)) = (parse_id(c), parse_id(mid)) else {
                return Answer::error(404, 10008, "Unknown Message");
            };
            let mut state = shared.lock();
            let base = state.messages.get(&mid).cloned();
            let msg = edit_message(shared, base, c, mid, body);
            state.messages.insert(mid, msg.clone());
            Answer::json(200, msg)
        }
        ("DELETE", ["channels", _, "messages", mid]) => {
            if let Some(id) = parse_id(mid) {
                shared.lock().messages.remove(&id);
            }
            Answer::no_content()
        }
        ("POST", ["channels", _, "typing"]) => Answer::no_content(),
        ("PUT", ["channels", _, "messages", _, "reactions", ..])
        | ("DELETE", ["channels", _, "messages", _, "reactions", ..]) => Answer::no_content(),
        ("GET", ["guilds", g, "members", u]) => match (parse_id(g), parse_id(u)) {
            (Some(g), Some(u)) => {
                let user = if u == cfg.bot_id {
                    TestUser::bot(u, &cfg.bot_name)
                } else {
                    TestUser::new(u, &format!("user{u}"))
                };
                let mut member = member_json(&user, 0, &[]);
                member["guild_id"] = json!(g.to_string());
                Answer::json(200, member)
            }
            _ => Answer::error(404, 10007, "Unknown Member"),
        },

        // Interactions.
        ("POST", ["interactions", _, token, "callback"]) => {
            let kind = body.get("type").and_then(Value::as_u64).unwrap_or(0);
            let info = interaction_info(shared, token);
            if matches!(kind, 4 | 5) {
                let data = body.get("data").cloned().unwrap_or_else(|| json!({}));
                let mut msg = bot_message(shared, info.channel_id, info.guild_id, &data, None);
                // As Discord does: the response says which interaction it answers.
                if let Some(m) = &info.metadata {
                    msg["interaction_metadata"] = m.clone();
                }
                if kind == 5 {
                    // Discord shows a "thinking" message: flag LOADING (128).
                    let flags = msg.get("flags").and_then(Value::as_u64).unwrap_or(0);
                    msg["flags"] = json!(flags | 128);
                }
                let id = id_of(&msg["id"]).unwrap_or(0);
                let mut state = shared.lock();
                state.messages.insert(id, msg.clone());
                state.originals.insert(token.to_string(), msg);
            }
            Answer::no_content()
        }
        ("GET", ["webhooks", _, token, "messages", "@original"]) => {
            match shared.lock().originals.get(*token).cloned() {
                Some(msg) => Answer::json(200, msg),
                None => Answer::error(404, 10008, "Unknown Message"),
            }
        }
        ("PATCH", ["webhooks", _, token, "messages", "@original"]) => {
            let info = interaction_info(shared, token);
            let mut state = shared.lock();
            let base = state.originals.get(*token).cloned();
            let id = base
                .as_ref()
                .and_then(|b| b.get("id"))
                .and_then(id_of)
                .unwrap_or_else(snowflake);
            let mut msg = edit_message(shared, base, info.channel_id, id, body);
            if let Some(g) = info.guild_id {
                msg["guild_id"] = json!(g.to_string());
            }
            state.originals.insert(token.to_string(), msg.clone());
            state.messages.insert(id, msg.clone());
            Answer::json(200, msg)
        }
        ("DELETE", ["webhooks", _, token, "messages", "@original"]) => {
            shared.lock().originals.remove(*token);
            Answer::no_content()
        }
        ("POST", ["webhooks", _, token]) => {
            let info = interaction_info(shared, token);
            let mut state = shared.lock();
            // The first followup after a deferred response replaces the "thinking" original.
            let deferred_id = state
                .originals
                .get(*token)
                .filter(|o| o.get("flags").and_then(Value::as_u64).unwrap_or(0) & 128 != 0)
                .and_then(|o| o.get("id"))
                .and_then(id_of);
            let mut msg = bot_message(shared, info.channel_id, info.guild_id, body, deferred_id);
            if let Some(m) = &info.metadata {
                msg["interaction_metadata"] = m.clone();
            }
            let id = id_of(&msg["id"]).unwrap_or(0);
            if deferred_id.is_some() {
                state.originals.insert(token.to_string(), msg.clone());
            }
            state.messages.insert(id, msg.clone());
            Answer::json(200, msg)
        }
        ("GET", ["webhooks", _, _, "messages", mid]) => {
            match parse_id(mid).and_then(|id| shared.lock().messages.get(&id).cloned()) {
                Some(msg) => Answer::json(200, msg),
                None => Answer::error(404, 10008, "Unknown Message"),
            }
        }
        ("PATCH", ["webhooks", _, token, "messages", mid]) => {
            let Some(mid) = parse_id(mid) else {
                return Answer::error(404, 10008, "Unknown Message");
            };
            let info = interaction_info(shared, token);
            let mut state = shared.lock();
            let base = state.messages.get(&mid).cloned();
            let msg = edit_message(shared, base, info.channel_id, mid, body);
            state.messages.insert(mid, msg.clone());
            Answer::json(200, msg)
        }
        ("DELETE", ["webhooks", _, _, "messages", _]) => Answer::no_content(),

        _ => Answer::unknown_route(),
    }
}

fn interaction_info(shared: &Shared, token: &str) -> InteractionInfo {
    shared
        .lock()
        .interactions
        .get(token)
        .cloned()
        .unwrap_or(InteractionInfo {
            channel_id: CHANNEL_ID,
            guild_id: None,
            metadata: None,
        })
}

fn registered(shared: &Shared, guild: Option<u64>) -> Vec<Value> {
    shared
        .lock()
        .commands
        .get(&guild)
        .cloned()
        .unwrap_or_default()
}

fn complete_command(shared: &Shared, state: &mut State, guild: Option<u64>, cmd: &Value) -> Value {
    let mut cmd = cmd.clone();
    let name = cmd
        .get("name")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string();
    let id = *state
        .command_ids
        .entry((guild, name))
        .or_insert_with(snowflake);
    if let Some(obj) = cmd.as_object_mut() {
        obj.insert("id".into(), json!(id.to_string()));
        obj.insert(
            "application_id".into(),
            json!(shared.config.application_id.to_string()),
        );
        obj.insert("version".into(), json!(snowflake().to_string()));
        obj.entry("type").or_insert(json!(1));
        obj.entry("description").or_insert(json!(""));
        obj.entry("options").or_insert(json!([]));
        match guild {
            Some(g) => obj.insert("guild_id".into(), json!(g.to_string())),
            None => obj.remove("guild_id"),
        };
    }
    cmd
}

fn put_commands(shared: &Shared, guild: Option<u64>, body: &Value) -> Answer {
    let Some(list) = body.as_array() else {
        return Answer::error(400, 50035, "Invalid Form Body");
    };
    let mut state = shared.lock();
    let stored: Vec<Value> = list
        .iter()
        .map(|c| complete_command(shared, &mut state, guild, c))
        .collect();
    state.commands.insert(guild, stored.clone());
    Answer::json(200, Value::Array(stored))
}

fn post_command(shared: &Shared, guild: Option<u64>, body: &Value) -> Answer {
    if !body.is_object() {
        return Answer::error(400, 50035, "Invalid Form Body");
    }
    let mut state = shared.lock();
    let cmd = complete_command(shared, &mut state, guild, body);
    let list = state.commands.entry(guild).or_default();
    list.retain(|c| c.get("name") != cmd.get("name"));
    list.push(cmd.clone());
    Answer::json(200, cmd)
}

/// Builds the message object the fake answers for a message the bot sends.
fn bot_message(
    shared: &Shared,
    channel_id: u64,
    guild_id: Option<u64>,
    body: &Value,
    id: Option<u64>,
) -> Value {
    let id = id.unwrap_or_else(snowflake);
    let mut msg = base_message(id, channel_id, shared.bot_user(), "");
    apply_message_fields(&mut msg, body, channel_id);
    if let Some(g) = guild_id {
        msg["guild_id"] = json!(g.to_string());
    }
    msg
}

fn edit_message(
    shared: &Shared,
    base: Option<Value>,
    channel_id: u64,
    id: u64,
    body: &Value,
) -> Value {
    let mut msg = base.unwrap_or_else(|| base_message(id, channel_id, shared.bot_user(), ""));
    apply_message_fields(&mut msg, body, channel_id);
    msg["edited_timestamp"] = json!(rfc3339(SystemTime::now()));
    msg
}

fn apply_message_fields(msg: &mut Value, body: &Value, channel_id: u64) {
    for key in ["content", "embeds", "components", "tts", "flags", "poll"] {
        if let Some(v) = body.get(key) {
            if !v.is_null() {
                msg[key] = v.clone();
            }
        }
    }
    if let Some(reference) = body.get("message_reference").filter(|r| r.is_object()) {
        let mut reference = reference.clone();
        if reference.get("channel_id").is_none() {
            reference["channel_id"] = json!(channel_id.to_string());
        }
        msg["message_reference"] = reference;
        msg["type"] = json!(19);
    }
}

fn base_message(id: u64, channel_id: u64, author: Value, content: &str) -> Value {
    json!({
        "id": id.to_string(),
        "channel_id": channel_id.to_string(),
        "author": author,
        "content": content,
        "timestamp": rfc3339(SystemTime::now()),
        "edited_timestamp": null,
        "tts": false,
        "mention_everyone": false,
        "mentions": [],
        "mention_roles": [],
        "attachments": [],
        "embeds": [],
        "components": [],
        "pinned": false,
        "type": 0,
    })
}

fn outgoing_from(r: &RecordedRequest) -> Option<OutgoingMessage> {
    if !r.succeeded() {
        return None;
    }
    let segs: Vec<&str> = r.route().trim_matches('/').split('/').collect();
    let body = r.body.clone().unwrap_or(Value::Null);
    let (kind, data) = match (r.method.as_str(), segs.as_slice()) {
        ("POST", ["channels", c, "messages"]) => (
            OutgoingKind::ChannelMessage {
                channel_id: parse_id(c)?,
            },
            body,
        ),
        ("PATCH", ["channels", c, "messages", m]) => (
            OutgoingKind::EditChannelMessage {
                channel_id: parse_id(c)?,
                message_id: parse_id(m)?,
            },
            body,
        ),
        ("POST", ["interactions", i, token, "callback"]) => (
            OutgoingKind::InteractionCallback {
                interaction_id: parse_id(i)?,
                token: token.to_string(),
                callback_type: body.get("type").and_then(Value::as_u64).unwrap_or(0),
            },
            body.get("data").cloned().unwrap_or(Value::Null),
        ),
        ("PATCH", ["webhooks", _, token, "messages", "@original"]) => (
            OutgoingKind::EditOriginal {
                token: token.to_string(),
            },
            body,
        ),
        ("POST", ["webhooks", _, token]) => (
            OutgoingKind::Followup {
                token: token.to_string(),
            },
            body,
        ),
        ("PATCH", ["webhooks", _, token, "messages", m]) => (
            OutgoingKind::EditFollowup {
                token: token.to_string(),
                message_id: parse_id(m)?,
            },
            body,
        ),
        _ => return None,
    };
    let content = data
        .get("content")
        .and_then(Value::as_str)
        .map(str::to_string);
    let ephemeral = data
        .get("flags")
        .and_then(Value::as_u64)
        .is_some_and(|f| f & 64 != 0);
    Some(OutgoingMessage {
        order: r.order,
        kind,
        data,
        content,
        ephemeral,
        response: r.response_body.clone(),
    })
}

// ---------------------------------------------------------------------------------------------
// Gateway
// ---------------------------------------------------------------------------------------------

async fn ws_handler(
    AxState(shared): AxState<Arc<Shared>>,
    uri: Uri,
    headers: HeaderMap,
    ws: WebSocketUpgrade,
) -> Response {
    let order = shared.next_order();
    {
        let mut state = shared.lock();
        state.requests.push(RecordedRequest {
            order,
            at: Instant::now(),
            method: "GET".to_string(),
            path: uri.path().to_string(),
            query: uri.query().map(str::to_string),
            headers: headers_to_vec(&headers),
            body: None,
            raw_body: String::new(),
            status: 101,
            known_route: true,
            injected: false,
            response_body: None,
        });
    }
    shared.notify();
    ws.on_upgrade(move |socket| run_connection(socket, shared))
}

/// Sends a JSON frame and logs it. Returns false if the socket is gone.
async fn send_frame(shared: &Shared, socket: &mut WebSocket, conn: u64, payload: Value) -> bool {
    let text = payload.to_string();
    {
        let mut state = shared.lock();
        if payload.get("op").and_then(Value::as_u64) == Some(0) {
            state.gw.dispatches += 1;
        }
        state.gw.log.push(GatewayFrame {
            order: shared.next_order(),
            at: Instant::now(),
            connection: conn,
            direction: Direction::ToBot,
            payload,
        });
    }
    shared.notify();
    socket.send(WsMessage::Text(text.into())).await.is_ok()
}

/// Takes the connection out of `current` (if it still is) so nothing more is sent to it.
fn detach(shared: &Shared, conn: u64) {
    let mut state = shared.lock();
    if state.gw.current.as_ref().is_some_and(|c| c.id == conn) {
        state.gw.current = None;
    }
    drop(state);
    shared.notify();
}

fn set_ready(shared: &Shared, conn: u64) {
    let mut state = shared.lock();
    if let Some(c) = state.gw.current.as_mut().filter(|c| c.id == conn) {
        c.ready = true;
    }
    drop(state);
    shared.notify();
}

enum Reply {
    Frames(Vec<Value>),
    FramesThenReady(Vec<Value>),
    Close(u16, &'static str),
    Nothing,
}

fn handle_bot_frame(shared: &Shared, payload: &Value) -> Reply {
    let op = payload.get("op").and_then(Value::as_u64);
    let d = payload.get("d").cloned().unwrap_or(Value::Null);
    let cfg = &shared.config;
    let mut state = shared.lock();
    match op {
        Some(1) => {
            state.gw.heartbeats += 1;
            if state.gw.no_heartbeat_ack {
                Reply::Nothing
            } else {
                state.gw.heartbeat_acks += 1;
                Reply::Frames(vec![json!({ "op": 11, "d": null })])
            }
        }
        Some(2) => {
            state.gw.identifies.push(d.clone());
            if !shared.token_ok(d.get("token").and_then(Value::as_str)) {
                return Reply::Close(4004, "Authentication failed.");
            }
            state.gw.sessions += 1;
            let session_id = format!("fake-session-{}", state.gw.sessions);
            state.gw.session_id = Some(session_id.clone());
            state.gw.seq = 1;
            let shard = d.get("shard").cloned().unwrap_or_else(|| json!([0, 1]));
            let guilds: Vec<Value> = cfg
                .ready_guilds
                .iter()
                .map(|g| json!({ "id": g.to_string(), "unavailable": true }))
                .collect();
            let mut user = shared.bot_user();
            user["verified"] = json!(true);
            user["mfa_enabled"] = json!(false);
            let ready = json!({
                "op": 0, "s": 1, "t": "READY",
                "d": {
                    "v": 10,
                    "user": user,
                    "guilds": guilds,
                    "session_id": session_id,
                    "resume_gateway_url": shared.ws_url(),
                    "shard": shard,
                    "application": { "id": cfg.application_id.to_string(), "flags": 0 },
                }
            });
            Reply::FramesThenReady(vec![ready])
        }
        Some(6) => {
            state.gw.resumes.push(d.clone());
            if !shared.token_ok(d.get("token").and_then(Value::as_str)) {
                return Reply::Close(4004, "Authentication failed.");
            }
            let same_session = d.get("session_id").and_then(Value::as_str)
                == state.gw.session_id.as_deref()
                && state.gw.session_id.is_some();
            if state.gw.refuse_resume || !same_session {
                Reply::Frames(vec![json!({ "op": 9, "d": false })])
            } else {
                state.gw.successful_resumes += 1;
                state.gw.seq += 1;
                let seq = state.gw.seq;
                Reply::FramesThenReady(vec![json!({ "op": 0, "s": seq, "t": "RESUMED", "d": {} })])
            }
        }
        _ => Reply::Nothing,
    }
}

async fn run_connection(mut socket: WebSocket, shared: Arc<Shared>) {
    let (tx, mut rx) = mpsc::unbounded_channel::<GwCmd>();
    let conn = {
        let mut state = shared.lock();
        state.gw.connections += 1;
        let id = state.gw.connections;
        state.gw.current = Some(ConnHandle {
            id,
            tx,
            ready: false,
        });
        id
    };
    shared.notify();
    let mut shutdown = shared.shutdown.subscribe();
    if *shutdown.borrow_and_update() {
        return;
    }

    let hello = json!({
        "op": 10,
        "d": { "heartbeat_interval": shared.config.heartbeat_interval.as_millis() as u64 },
    });
    if !send_frame(&shared, &mut socket, conn, hello).await {
        detach(&shared, conn);
        return;
    }

    // Set when the close handshake started: keep reading until this deadline at most.
    let mut closing: Option<tokio::time::Instant> = None;
    for _ in 0..10_000_000u64 {
        let drain_deadline = closing;
        tokio::select! {
            incoming = socket.recv() => {
                match incoming {
                    Some(Ok(WsMessage::Text(text))) => {
                        let payload: Value = serde_json::from_str(text.as_str())
                            .unwrap_or_else(|_| json!({ "unparsed": text.as_str() }));
                        {
                            let mut state = shared.lock();
                            state.gw.log.push(GatewayFrame {
                                order: shared.next_order(),
                                at: Instant::now(),
                                connection: conn,
                                direction: Direction::FromBot,
                                payload: payload.clone(),
                            });
                        }
                        shared.notify();
                        if closing.is_some() {
                            continue;
                        }
                        match handle_bot_frame(&shared, &payload) {
                            Reply::Frames(frames) => {
                                for f in frames {
                                    if !send_frame(&shared, &mut socket, conn, f).await {
                                        break;
                                    }
                                }
                            }
                            Reply::FramesThenReady(frames) => {
                                let mut ok = true;
                                for f in frames {
                                    ok &= send_frame(&shared, &mut socket, conn, f).await;
                                }
                                if ok {
                                    set_ready(&shared, conn);
                                }
                            }
                            Reply::Close(code, reason) => {
                                detach(&shared, conn);
                                log_close(&shared, conn, Direction::ToBot, Some(code));
                                let _ = socket
                                    .send(WsMessage::Close(Some(CloseFrame {
                                        code,
                                        reason: reason.into(),
                                    })))
                                    .await;
                                closing = Some(tokio::time::Instant::now() + CLOSE_DRAIN);
                            }
                            Reply::Nothing => {}
                        }
                    }
                    Some(Ok(WsMessage::Close(frame))) => {
                        let code = frame.as_ref().map(|f| f.code);
                        shared.lock().gw.bot_close_codes.push(code);
                        log_close(&shared, conn, Direction::FromBot, code);
                        detach(&shared, conn);
                        // Keep reading: the next read flushes the close reply, then ends.
                        if closing.is_none() {
                            closing = Some(tokio::time::Instant::now() + CLOSE_DRAIN);
                        }
                    }
                    Some(Ok(_)) => {}
                    Some(Err(_)) | None => break,
                }
            }
            cmd = rx.recv(), if closing.is_none() => {
                match cmd {
                    Some(GwCmd::Dispatch { event, data, ack }) => {
                        let seq = {
                            let mut state = shared.lock();
                            state.gw.seq += 1;
                            state.gw.seq
                        };
                        let frame = json!({ "op": 0, "s": seq, "t": event, "d": data });
                        if send_frame(&shared, &mut socket, conn, frame).await {
                            let _ = ack.send(seq);
                        }
                    }
                    Some(GwCmd::Raw { payload, ack }) => {
                        // After RECONNECT (7) or INVALID SESSION (9) the bot opens a new
                        // connection: stop treating this one as current.
                        let reconnecting = matches!(
                            payload.get("op").and_then(Value::as_u64),
                            Some(7 | 9)
                        );
                        if send_frame(&shared, &mut socket, conn, payload).await {
                            if reconnecting {
                                detach(&shared, conn);
                            }
                            let _ = ack.send(());
                        }
                    }
                    Some(GwCmd::Close { code, ack }) => {
                        detach(&shared, conn);
                        log_close(&shared, conn, Direction::ToBot, Some(code));
                        let _ = socket
                            .send(WsMessage::Close(Some(CloseFrame {
                                code,
                                reason: "".into(),
                            })))
                            .await;
                        let _ = ack.send(());
                        closing = Some(tokio::time::Instant::now() + CLOSE_DRAIN);
                    }
                    Some(GwCmd::Drop { ack }) => {
                        detach(&shared, conn);
                        log_close(&shared, conn, Direction::ToBot, None);
                        drop(socket);
                        let _ = ack.send(());
                        return;
                    }
                    None => break,
                }
            }
            _ = async {
                match drain_deadline {
                    Some(deadline) => tokio::time::sleep_until(deadline).await,
                    None => std::future::pending::<()>().await,
                }
            } => break,
            _ = async { let _ = shutdown.wait_for(|stop| *stop).await; } => break,
        }
    }
    detach(&shared, conn);
}

fn log_close(shared: &Shared, conn: u64, direction: Direction, code: Option<u16>) {
    shared.lock().gw.log.push(GatewayFrame {
        order: shared.next_order(),
        at: Instant::now(),
        connection: conn,
        direction,
        payload: json!({ "close": code }),
    });
    shared.notify();
}

// ---------------------------------------------------------------------------------------------
// Ids and timestamps
// ---------------------------------------------------------------------------------------------

static LAST_SNOWFLAKE: AtomicU64 = AtomicU64::new(0);

/// A fresh, unique snowflake whose timestamp part is "now".
pub fn snowflake() -> u64 {
    let ms = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as u64)
        .unwrap_or(DISCORD_EPOCH_MS)
        .saturating_sub(DISCORD_EPOCH_MS);
    let candidate = ms << 22;
    let mut last = LAST_SNOWFLAKE.load(Ordering::SeqCst);
    loop {
        let next = candidate.max(last + 1);
        match LAST_SNOWFLAKE.compare_exchange(last, next, Ordering::SeqCst, Ordering::SeqCst) {
            Ok(_) => return next,
            Err(actual) => last = actual,
        }
    }
}

/// RFC 3339 timestamp (`2024-05-01T12:00:00.000000+00:00`) as Discord sends them.
pub fn rfc3339(t: SystemTime) -> String {
    let d = t.duration_since(UNIX_EPOCH).unwrap_or_default();
    let secs = d.as_secs();
    let days = (secs / 86_400) as i64;
    let rem = secs % 86_400;
    let (y, m, day) = civil_from_days(days);
    format!(
        "{y:04}-{m:02}-{day:02}T{:02}:{:02}:{:02}.{:06}+00:00",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60,
        d.subsec_micros()
    )
}

/// Days since 1970-01-01 to (year, month, day) (Howard Hinnant's algorithm).
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = if z >= 0 { z } else { z - 146_096 } / 146_097;
    let doe = (z - era * 146_097) as u64;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe as i64 + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

fn parse_id(s: &str) -> Option<u64> {
    s.parse().ok()
}

/// A snowflake from a JSON string or number.
pub fn id_of(v: &Value) -> Option<u64> {
    match v {
        Value::String(s) => s.parse().ok(),
        Value::Number(n) => n.as_u64(),
        _ => None,
    }
}

// ---------------------------------------------------------------------------------------------
// Payload builders
// ---------------------------------------------------------------------------------------------

/// A user for payloads.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TestUser {
    pub id: u64,
    pub name: String,
    pub bot: bool,
}

impl TestUser {
    /// A human user.
    pub fn new(id: u64, name: &str) -> Self {
        Self {
            id,
            name: name.to_string(),
            bot: false,
        }
    }

    /// A bot user.
    pub fn bot(id: u64, name: &str) -> Self {
        Self {
            id,
            name: name.to_string(),
            bot: true,
        }
    }

    /// The default human user ([`USER_ID`], "alice").
    pub fn alice() -> Self {
        Self::new(USER_ID, "alice")
    }

    /// The fake's default bot user ([`BOT_ID`], "testbot").
    pub fn testbot() -> Self {
        Self::bot(BOT_ID, "testbot")
    }

    /// `<@id>`.
    pub fn mention(&self) -> String {
        format!("<@{}>", self.id)
    }
}

/// A Discord user object.
pub fn user_json(user: &TestUser) -> Value {
    json!({
        "id": user.id.to_string(),
        "username": user.name,
        "discriminator": "0",
        "global_name": user.name,
        "avatar": null,
        "bot": user.bot,
    })
}

/// A guild member object (with `user`), as in interactions.
pub fn member_json(user: &TestUser, permissions: u64, roles: &[u64]) -> Value {
    json!({
        "user": user_json(user),
        "nick": null,
        "avatar": null,
        "roles": roles.iter().map(|r| r.to_string()).collect::<Vec<_>>(),
        "joined_at": "2024-01-01T00:00:00.000000+00:00",
        "premium_since": null,
        "deaf": false,
        "mute": false,
        "flags": 0,
        "pending": false,
        "permissions": permissions.to_string(),
        "communication_disabled_until": null,
    })
}

/// A guild text channel object (type 0).
pub fn guild_text_channel(guild_id: u64, channel_id: u64, name: &str) -> Value {
    json!({
        "id": channel_id.to_string(),
        "type": 0,
        "guild_id": guild_id.to_string(),
        "name": name,
        "position": 0,
        "permission_overwrites": [],
        "nsfw": false,
        "topic": null,
        "last_message_id": null,
        "parent_id": null,
        "rate_limit_per_user": 0,
        "flags": 0,
    })
}

/// A DM channel object (type 1).
pub fn dm_channel(channel_id: u64, recipient: &TestUser) -> Value {
    json!({
        "id": channel_id.to_string(),
        "type": 1,
        "last_message_id": null,
        "recipients": [user_json(recipient)],
        "flags": 0,
    })
}

/// Builder for MESSAGE_CREATE payloads. See also [`message_create`].
#[derive(Clone, Debug)]
pub struct MessageBuilder {
    pub id: u64,
    pub guild_id: Option<u64>,
    pub channel_id: u64,
    pub author: TestUser,
    pub content: String,
    pub mentions: Vec<TestUser>,
    pub mention_roles: Vec<u64>,
    pub member_roles: Vec<u64>,
    pub referenced_message: Option<Value>,
    pub webhook_id: Option<u64>,
}

impl MessageBuilder {
    /// A message in a guild channel.
    pub fn guild(guild_id: u64, channel_id: u64, author: &TestUser, content: &str) -> Self {
        Self {
            id: snowflake(),
            guild_id: Some(guild_id),
            channel_id,
            author: author.clone(),
            content: content.to_string(),
            mentions: Vec::new(),
            mention_roles: Vec::new(),
            member_roles: Vec::new(),
            referenced_message: None,
            webhook_id: None,
        }
    }

    /// A direct message.
    pub fn dm(channel_id: u64, author: &TestUser, content: &str) -> Self {
        Self {
            guild_id: None,
            ..Self::guild(0, channel_id, author, content)
        }
    }

    /// Sets the message id (default: a fresh snowflake).
    pub fn id(mut self, id: u64) -> Self {
        self.id = id;
        self
    }

    /// Adds a user to `mentions` (the content is not changed; put `user.mention()` in it).
    pub fn mention(mut self, user: &TestUser) -> Self {
        self.mentions.push(user.clone());
        self
    }

    /// Adds a role to `mention_roles`.
    pub fn mention_role(mut self, role: u64) -> Self {
        self.mention_roles.push(role);
        self
    }

    /// Roles of the author (guild messages: `member.roles`).
    pub fn member_roles(mut self, roles: &[u64]) -> Self {
        self.member_roles = roles.to_vec();
        self
    }

    /// Makes this a reply to `message` (a message object).
    pub fn reply_to(mut self, message: &Value) -> Self {
        self.referenced_message = Some(message.clone());
        self
    }

    /// Marks the message as sent by a webhook.
    pub fn webhook(mut self, webhook_id: u64) -> Self {
        self.webhook_id = Some(webhook_id);
        self
    }

    /// The MESSAGE_CREATE `d` object.
    pub fn build(&self) -> Value {
        let mut msg = base_message(
            self.id,
            self.channel_id,
            user_json(&self.author),
            &self.content,
        );
        msg["mentions"] = Value::Array(self.mentions.iter().map(user_json).collect());
        msg["mention_roles"] = Value::Array(
            self.mention_roles
                .iter()
                .map(|r| json!(r.to_string()))
                .collect(),
        );
        if let Some(g) = self.guild_id {
            msg["guild_id"] = json!(g.to_string());
            msg["member"] = json!({
                "roles": self.member_roles.iter().map(|r| r.to_string()).collect::<Vec<_>>(),
                "joined_at": "2024-01-01T00:00:00.000000+00:00",
                "deaf": false,
                "mute": false,
                "flags": 0,
                "nick": null,
                "premium_since": null,
            });
        }
        if let Some(w) = self.webhook_id {
            msg["webhook_id"] = json!(w.to_string());
        }
        if let Some(r) = &self.referenced_message {
            msg["type"] = json!(19);
            msg["message_reference"] = json!({
                "type": 0,
                "message_id": r.get("id").cloned().unwrap_or(Value::Null),
                "channel_id": r.get("channel_id").cloned()
                    .unwrap_or_else(|| json!(self.channel_id.to_string())),
                "guild_id": self.guild_id.map(|g| g.to_string()),
            });
            msg["referenced_message"] = r.clone();
        }
        msg
    }
}

/// A MESSAGE_CREATE `d` object: `guild_id: None` makes a DM.
pub fn message_create(
    guild_id: Option<u64>,
    channel_id: u64,
    author: &TestUser,
    content: &str,
    mentions: &[TestUser],
) -> Value {
    let mut b = match guild_id {
        Some(g) => MessageBuilder::guild(g, channel_id, author, content),
        None => MessageBuilder::dm(channel_id, author, content),
    };
    b.mentions = mentions.to_vec();
    b.build()
}

/// A string option for [`slash_command_interaction`].
pub fn opt_string(name: &str, value: &str) -> Value {
    json!({ "name": name, "type": 3, "value": value })
}

/// An integer option.
pub fn opt_int(name: &str, value: i64) -> Value {
    json!({ "name": name, "type": 4, "value": value })
}

/// A boolean option.
pub fn opt_bool(name: &str, value: bool) -> Value {
    json!({ "name": name, "type": 5, "value": value })
}

/// A number (float) option.
pub fn opt_number(name: &str, value: f64) -> Value {
    json!({ "name": name, "type": 10, "value": value })
}

/// A subcommand with its options.
pub fn opt_subcommand(name: &str, options: Vec<Value>) -> Value {
    json!({ "name": name, "type": 1, "options": options })
}

/// A string option marked `focused` (for autocomplete interactions).
pub fn opt_focused(name: &str, partial: &str) -> Value {
    json!({ "name": name, "type": 3, "value": partial, "focused": true })
}

/// Builder for INTERACTION_CREATE payloads of slash commands (type 2) and autocomplete
/// (type 4). See also [`slash_command_interaction`].
#[derive(Clone, Debug)]
pub struct SlashCommandBuilder {
    pub name: String,
    pub options: Vec<Value>,
    pub guild_id: Option<u64>,
    pub channel_id: u64,
    pub user: TestUser,
    pub permissions: u64,
    pub app_permissions: u64,
    pub roles: Vec<u64>,
    pub interaction_id: u64,
    pub token: String,
    pub command_id: u64,
    pub application_id: u64,
    pub locale: String,
    pub autocomplete: bool,
    pub resolved_users: Vec<TestUser>,
}

/// Permissions sent as `app_permissions` by default: add reactions, view channel, send
/// messages, embed links, attach files, read message history, use external emojis, use
/// application commands, send messages in threads.
pub const DEFAULT_APP_PERMISSIONS: u64 = (1 << 6)
    | (1 << 10)
    | (1 << 11)
    | (1 << 14)
    | (1 << 15)
    | (1 << 16)
    | (1 << 18)
    | (1 << 31)
    | (1 << 38);

impl SlashCommandBuilder {
    /// A command invoked by [`TestUser::alice`] in [`CHANNEL_ID`] of [`GUILD_ID`], with no
    /// member permissions and no roles.
    pub fn new(name: &str) -> Self {
        let interaction_id = snowflake();
        Self {
            name: name.to_string(),
            options: Vec::new(),
            guild_id: Some(GUILD_ID),
            channel_id: CHANNEL_ID,
            user: TestUser::alice(),
            permissions: 0,
            app_permissions: DEFAULT_APP_PERMISSIONS,
            roles: Vec::new(),
            interaction_id,
            token: format!("fake-interaction-token-{interaction_id}"),
            command_id: 0,
            application_id: APP_ID,
            locale: "en-US".to_string(),
            autocomplete: false,
            resolved_users: Vec::new(),
        }
    }

    /// Adds an option (see [`opt_string`] and friends).
    pub fn option(mut self, option: Value) -> Self {
        self.options.push(option);
        self
    }

    /// Adds a user option and the matching `resolved.users` entry.
    pub fn user_option(mut self, name: &str, user: &TestUser) -> Self {
        self.options
            .push(json!({ "name": name, "type": 6, "value": user.id.to_string() }));
        self.resolved_users.push(user.clone());
        self
    }

    /// Invoked in a guild channel.
    pub fn guild(mut self, guild_id: u64, channel_id: u64) -> Self {
        self.guild_id = Some(guild_id);
        self.channel_id = channel_id;
        self
    }

    /// Invoked in a DM channel (no member, `user` set instead).
    pub fn dm(mut self, channel_id: u64) -> Self {
        self.guild_id = None;
        self.channel_id = channel_id;
        self
    }

    /// The invoking user.
    pub fn user(mut self, user: &TestUser) -> Self {
        self.user = user.clone();
        self
    }

    /// The invoking member's permissions (bits).
    pub fn permissions(mut self, permissions: u64) -> Self {
        self.permissions = permissions;
        self
    }

    /// The bot's permissions in the channel (`app_permissions`).
    pub fn app_permissions(mut self, permissions: u64) -> Self {
        self.app_permissions = permissions;
        self
    }

    /// The invoking member's roles.
    pub fn roles(mut self, roles: &[u64]) -> Self {
        self.roles = roles.to_vec();
        self
    }

    /// The interaction token (default: derived from the interaction id).
    pub fn token(mut self, token: &str) -> Self {
        self.token = token.to_string();
        self
    }

    /// Makes it an autocomplete interaction (type 4); mark the option with [`opt_focused`].
    pub fn autocomplete(mut self) -> Self {
        self.autocomplete = true;
        self
    }

    /// The INTERACTION_CREATE `d` object.
    pub fn build(&self) -> Value {
        let command_id = if self.command_id == 0 {
            snowflake()
        } else {
            self.command_id
        };
        let mut data = json!({
            "id": command_id.to_string(),
            "name": self.name,
            "type": 1,
            "options": self.options,
        });
        if !self.resolved_users.is_empty() {
            let users: Map<String, Value> = self
                .resolved_users
                .iter()
                .map(|u| (u.id.to_string(), user_json(u)))
                .collect();
            data["resolved"] = json!({ "users": users });
        }
        if let Some(g) = self.guild_id {
            data["guild_id"] = json!(g.to_string());
        }
        let mut v = interaction_base(
            self.interaction_id,
            if self.autocomplete { 4 } else { 2 },
            &self.token,
            self.application_id,
            self.guild_id,
            self.channel_id,
            &self.user,
            self.permissions,
            &self.roles,
            self.app_permissions,
            &self.locale,
        );
        v["data"] = data;
        v
    }
}

#[allow(clippy::too_many_arguments)]
fn interaction_base(
    id: u64,
    kind: u64,
    token: &str,
    application_id: u64,
    guild_id: Option<u64>,
    channel_id: u64,
    user: &TestUser,
    permissions: u64,
    roles: &[u64],
    app_permissions: u64,
    locale: &str,
) -> Value {
    let mut v = json!({
        "id": id.to_string(),
        "application_id": application_id.to_string(),
        "type": kind,
        "token": token,
        "version": 1,
        "channel_id": channel_id.to_string(),
        "app_permissions": app_permissions.to_string(),
        "locale": locale,
        "entitlements": [],
        "authorizing_integration_owners": {},
        "attachment_size_limit": 10_485_760,
    });
    match guild_id {
        Some(g) => {
            v["guild_id"] = json!(g.to_string());
            v["guild_locale"] = json!("en-US");
            v["member"] = member_json(user, permissions, roles);
            v["channel"] = json!({ "id": channel_id.to_string(), "type": 0, "name": "general" });
            v["context"] = json!(0);
        }
        None => {
            v["user"] = user_json(user);
            v["channel"] = json!({ "id": channel_id.to_string(), "type": 1 });
            v["context"] = json!(1);
        }
    }
    v
}

/// A slash command INTERACTION_CREATE `d` object in [`CHANNEL_ID`] of [`GUILD_ID`], invoked by
/// [`TestUser::alice`] with the given member permissions and roles. Use [`SlashCommandBuilder`]
/// for more control (DMs, other users, tokens).
pub fn slash_command_interaction(
    name: &str,
    options: Vec<Value>,
    member_permissions: u64,
    roles: &[u64],
) -> Value {
    let mut b = SlashCommandBuilder::new(name)
        .permissions(member_permissions)
        .roles(roles);
    b.options = options;
    b.build()
}

/// Builder for component (button / select menu) INTERACTION_CREATE payloads (type 3).
#[derive(Clone, Debug)]
pub struct ComponentBuilder {
    pub custom_id: String,
    pub message: Value,
    pub component_type: u64,
    pub values: Option<Vec<String>>,
    pub user: TestUser,
    pub permissions: u64,
    pub roles: Vec<u64>,
    pub interaction_id: u64,
    pub token: String,
    pub application_id: u64,
}

impl ComponentBuilder {
    /// A button click on `message` (a message object, e.g. from
    /// [`FakeDiscord::original_response`] or an [`OutgoingMessage::response`]). Guild and
    /// channel are taken from the message (a message without `guild_id` makes a DM interaction).
    pub fn button(custom_id: &str, message: &Value) -> Self {
        let interaction_id = snowflake();
        Self {
            custom_id: custom_id.to_string(),
            message: message.clone(),
            component_type: 2,
            values: None,
            user: TestUser::alice(),
            permissions: 0,
            roles: Vec::new(),
            interaction_id,
            token: format!("fake-interaction-token-{interaction_id}"),
            application_id: APP_ID,
        }
    }

    /// A string select menu choice.
    pub fn string_select(custom_id: &str, message: &Value, values: &[&str]) -> Self {
        Self {
            component_type: 3,
            values: Some(values.iter().map(|s| s.to_string()).collect()),
            ..Self::button(custom_id, message)
        }
    }

    /// The clicking user.
    pub fn user(mut self, user: &TestUser) -> Self {
        self.user = user.clone();
        self
    }

    /// The clicking member's permissions and roles.
    pub fn member(mut self, permissions: u64, roles: &[u64]) -> Self {
        self.permissions = permissions;
        self.roles = roles.to_vec();
        self
    }

    /// The interaction token.
    pub fn token(mut self, token: &str) -> Self {
        self.token = token.to_string();
        self
    }

    /// The INTERACTION_CREATE `d` object.
    pub fn build(&self) -> Value {
        let channel_id = self
            .message
            .get("channel_id")
            .and_then(id_of)
            .unwrap_or(CHANNEL_ID);
        let guild_id = self.message.get("guild_id").and_then(id_of);
        let mut v = interaction_base(
            self.interaction_id,
            3,
            &self.token,
            self.application_id,
            guild_id,
            channel_id,
            &self.user,
            self.permissions,
            &self.roles,
            DEFAULT_APP_PERMISSIONS,
            "en-US",
        );
        let mut data = json!({
            "custom_id": self.custom_id,
            "component_type": self.component_type,
        });
        if let Some(values) = &self.values {
            data["values"] = json!(values);
        }
        v["data"] = data;
        v["message"] = self.message.clone();
        v
    }
}

/// A button-click INTERACTION_CREATE `d` object for `message` (see [`ComponentBuilder`]).
pub fn component_interaction(custom_id: &str, message: &Value) -> Value {
    ComponentBuilder::button(custom_id, message).build()
}

/// A role object. The `@everyone` role has the guild's id.
pub fn role_json(role_id: u64, name: &str, permissions: u64, position: u16) -> Value {
    json!({
        "id": role_id.to_string(),
        "name": name,
        "color": 0,
        "colors": { "primary_color": 0, "secondary_color": null, "tertiary_color": null },
        "hoist": false,
        "icon": null,
        "unicode_emoji": null,
        "position": position,
        "permissions": permissions.to_string(),
        "managed": false,
        "mentionable": false,
        "flags": 0,
    })
}

/// A GUILD_CREATE `d` object (the guild as the cache sees it): `@everyone` (id = guild id) with
/// `everyone_permissions`, plus `roles`, `channels` (e.g. [`guild_text_channel`]) and
/// `members` (e.g. [`member_json`]; include the bot's own member for permission checks).
pub fn guild_create(
    guild_id: u64,
    name: &str,
    owner_id: u64,
    everyone_permissions: u64,
    roles: &[Value],
    channels: &[Value],
    members: &[Value],
) -> Value {
    let mut all_roles = vec![role_json(guild_id, "@everyone", everyone_permissions, 0)];
    all_roles.extend(roles.iter().cloned());
    json!({
        "id": guild_id.to_string(),
        "name": name,
        "icon": null,
        "icon_hash": null,
        "splash": null,
        "discovery_splash": null,
        "owner_id": owner_id.to_string(),
        "afk_channel_id": null,
        "afk_timeout": 300,
        "verification_level": 0,
        "default_message_notifications": 0,
        "explicit_content_filter": 0,
        "roles": all_roles,
        "emojis": [],
        "features": [],
        "mfa_level": 0,
        "application_id": null,
        "system_channel_id": null,
        "system_channel_flags": 0,
        "rules_channel_id": null,
        "vanity_url_code": null,
        "description": null,
        "banner": null,
        "premium_tier": 0,
        "preferred_locale": "en-US",
        "public_updates_channel_id": null,
        "nsfw_level": 0,
        "stickers": [],
        "premium_progress_bar_enabled": false,
        "joined_at": "2024-01-01T00:00:00.000000+00:00",
        "large": false,
        "unavailable": false,
        "member_count": members.len(),
        "voice_states": [],
        "members": members,
        "channels": channels,
        "threads": [],
        "presences": [],
        "stage_instances": [],
        "guild_scheduled_events": [],
    })
}
