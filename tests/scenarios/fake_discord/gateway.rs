//! The fake's gateway websocket at `/gateway`: HELLO, IDENTIFY / READY, RESUME, heartbeats,
//! and the dispatches, raw payloads, closes and drops the tests ask for.

use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::extract::ws::{CloseFrame, Message as WsMessage, WebSocket, WebSocketUpgrade};
use axum::extract::State as AxState;
use axum::http::{HeaderMap, Uri};
use axum::response::Response;
use serde_json::{json, Value};
use tokio::sync::mpsc;

use super::rest::headers_to_vec;
use super::*;

/// How long a connection closed by the fake keeps reading to complete the close handshake.
const CLOSE_DRAIN: Duration = Duration::from_secs(2);

pub(super) async fn ws_handler(
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
    state.gw.open.remove(&conn);
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
    if let Some(c) = state.gw.open.get_mut(&conn) {
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

fn handle_bot_frame(shared: &Shared, conn: u64, payload: &Value) -> Reply {
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
            let pair = [
                shard.get(0).and_then(Value::as_u64).unwrap_or(0),
                shard.get(1).and_then(Value::as_u64).unwrap_or(1),
            ];
            state.gw.shard_sessions.insert(pair, session_id.clone());
            if let Some(c) = state.gw.open.get_mut(&conn) {
                c.shard = Some(pair);
            }
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
            let presented = d.get("session_id").and_then(Value::as_str);
            // The latest session of some shard (with one shard: the current session).
            let shard = state
                .gw
                .shard_sessions
                .iter()
                .find(|(_, s)| Some(s.as_str()) == presented)
                .map(|(pair, _)| *pair);
            let same_session = shard.is_some();
            if let (Some(pair), Some(c)) = (shard, state.gw.open.get_mut(&conn)) {
                c.shard = Some(pair);
            }
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
        state.gw.open.insert(
            id,
            LiveConn {
                tx: tx.clone(),
                ready: false,
                shard: None,
            },
        );
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
                        match handle_bot_frame(&shared, conn, &payload) {
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
