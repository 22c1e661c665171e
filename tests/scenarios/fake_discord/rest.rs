//! The fake's REST API under `/api/v10/...`: injected faults first, then the routes (users,
//! application commands, channels and messages, interactions and webhooks), the message
//! objects it answers with, and how a recorded request reads as an [`OutgoingMessage`].

use std::sync::Arc;
use std::time::{Instant, SystemTime};

use axum::body::{Body, Bytes};
use axum::extract::State as AxState;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri};
use axum::response::Response;
use serde_json::{json, Value};

use super::payloads::{base_message, parse_id};
use super::*;

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

pub(super) fn error_body(status: u16) -> Value {
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

pub(super) fn headers_to_vec(headers: &HeaderMap) -> Vec<(String, String)> {
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

pub(super) async fn rest_handler(
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

pub(super) fn outgoing_from(r: &RecordedRequest) -> Option<OutgoingMessage> {
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
