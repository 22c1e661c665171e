//! The `serve` command as an operator runs it: the built binary, configured only through the
//! environment (`DISCORD_TOKEN`, `MNBOT_DISCORD__API_BASE`), against the fake Discord.

use crate::fake_discord::*;
use crate::support::bot::*;
use crate::support::{binary, shipped_knowledge};
use serde_json::{json, Value};
use std::path::Path;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

/// `microneedling-bot <args>` in a scratch directory (no config.toml), with no token in the
/// environment unless given; standard error goes to `log`.
fn bot(args: &[&str], dir: &Path, log: &Path) -> Command {
    let mut c = binary(dir);
    c.args(args)
        .env_remove("RUST_LOG")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(log).expect("log file"));
    for (k, _) in std::env::vars() {
        if k.starts_with("MNBOT_") {
            c.env_remove(k);
        }
    }
    c
}

fn knowledge_arg() -> String {
    shipped_knowledge().display().to_string()
}

/// Waits (bounded) for the child to exit; kills it if it does not.
async fn wait_exit(child: &mut Child, limit: Duration) -> ExitStatus {
    let deadline = Instant::now() + limit;
    loop {
        if let Some(status) = child.try_wait().expect("try_wait") {
            return status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("the bot did not exit within {limit:?}");
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_default()
}

/// Kills the child if a test fails half-way.
struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        if self.0.try_wait().ok().flatten().is_none() {
            let _ = self.0.kill();
            let _ = self.0.wait();
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_a_token_serve_says_in_one_line_what_to_set() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("stderr");
    let mut child = bot(
        &["serve", "--knowledge", &knowledge_arg()],
        dir.path(),
        &log,
    )
    .spawn()
    .expect("spawn");
    let status = wait_exit(&mut child, Duration::from_secs(10)).await;
    assert_eq!(status.code(), Some(2));
    let stderr = read(&log);
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        stderr.starts_with("error: no Discord bot token: set DISCORD_TOKEN"),
        "{stderr}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rejected_token_ends_serve_with_one_line_saying_so() {
    let fake = FakeDiscord::start_with(fast_config()).await;
    let dir = tempfile::tempdir().unwrap();
    // Autosharded: `GET /gateway/bot` answers 401. A fixed shard count: the gateway closes 4004.
    for fixed_shards in [false, true] {
        let log = dir.path().join(format!("stderr-{fixed_shards}"));
        let mut cmd = bot(
            &["serve", "--knowledge", &knowledge_arg()],
            dir.path(),
            &log,
        );
        cmd.env("DISCORD_TOKEN", "not-the-token")
            .env("MNBOT_DISCORD__API_BASE", fake.base_url());
        if fixed_shards {
            cmd.env("MNBOT_DISCORD__SHARD_COUNT", "1");
        }
        let mut child = cmd.spawn().expect("spawn");
        let status = wait_exit(&mut child, Duration::from_secs(15)).await;
        let stderr = read(&log);
        assert_eq!(status.code(), Some(2), "{stderr}");
        let last = stderr.lines().last().unwrap_or_default();
        assert!(
            last.starts_with("error: Discord rejected the bot token: check DISCORD_TOKEN"),
            "{stderr}"
        );
        assert!(
            !stderr.contains("not-the-token"),
            "the token is never logged"
        );
    }
    assert_eq!(fake.identify_count(), 1, "one try at the gateway");
    assert_eq!(fake.identifies()[0]["token"], json!("Bot not-the-token"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn serve_answers_like_ask_json_logs_no_member_data_and_stops_on_sigterm() {
    let fake = FakeDiscord::start_with(fast_config()).await;
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("stderr");
    let mut cmd = bot(
        &["serve", "--knowledge", &knowledge_arg()],
        dir.path(),
        &log,
    );
    cmd.env("DISCORD_TOKEN", TOKEN)
        .env("MNBOT_DISCORD__API_BASE", fake.base_url())
        .env("MNBOT_LOGGING__FORMAT", "json")
        .env("RUST_LOG", "info");
    let mut child = Running(cmd.spawn().expect("spawn"));

    assert!(
        fake.wait_until_ready(WAIT).await,
        "no READY:\n{}\n{}",
        fake.transcript(),
        read(&log)
    );
    let first = fake.first_request().unwrap();
    assert_eq!(
        (first.method.as_str(), first.path.as_str()),
        ("GET", "/api/v10/gateway")
    );
    assert!(fake
        .wait_for_request("PUT", "/applications/*/commands", WAIT)
        .await
        .is_some());

    // What `ask --json` says for the question.
    let out = binary(dir.path())
        .args(["ask", "--json", "--knowledge", &knowledge_arg(), REDNESS])
        .output()
        .expect("ask --json");
    let json: Value = serde_json::from_slice(&out.stdout).expect("one JSON reply");
    assert_eq!(json["status"], json!("answered"));

    let member = TestUser::new(USER_ID + 77, "member77");
    // Another member for /ask: the default cooldown (5 s) applies per member.
    let other = TestUser::new(USER_ID + 78, "member78");
    let check = |m: &OutgoingMessage| {
        assert_eq!(description(m), json["answer"].as_str().unwrap());
        let quotes: Vec<(String, String)> = json["sources"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| {
                (
                    format!(
                        "{}, {}",
                        s["title"].as_str().unwrap(),
                        s["location"].as_str().unwrap()
                    ),
                    format!("“{}”", s["quote"].as_str().unwrap()),
                )
            })
            .collect();
        assert_eq!(fields(m), quotes);
        assert_eq!(
            embed(m).pointer("/footer/text"),
            Some(&json["disclaimer"]),
            "disclaimer"
        );
        assert_eq!(m.data["allowed_mentions"], no_mentions());
    };

    // A mention.
    let bot_user = TestUser::testbot();
    let msg = MessageBuilder::guild(
        GUILD_ID,
        CHANNEL_ID,
        &member,
        &format!("{} {REDNESS}", bot_user.mention()),
    )
    .mention(&bot_user)
    .build();
    fake.dispatch("MESSAGE_CREATE", msg.clone()).await;
    let id = msg["id"].as_str().unwrap().to_string();
    let reply = fake
        .wait_for_outgoing(|m| replies_to(m, &id), WAIT)
        .await
        .expect("a reply to the mention");
    check(&reply);

    // /ask.
    let interaction = SlashCommandBuilder::new("ask")
        .user(&other)
        .option(opt_string("question", REDNESS))
        .build();
    let token = interaction["token"].as_str().unwrap().to_string();
    fake.dispatch("INTERACTION_CREATE", interaction).await;
    let reply = fake
        .wait_for_outgoing(
            |m| matches!(&m.kind, OutgoingKind::InteractionCallback { token: t, .. } if *t == token),
            WAIT,
        )
        .await
        .expect("a reply to /ask");
    check(&reply);

    // SIGTERM: a clean stop that closes the gateway.
    let pid = child.0.id().to_string();
    let killed = Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .expect("kill");
    assert!(killed.success());
    let status = wait_exit(&mut child.0, Duration::from_secs(20)).await;
    let stderr = read(&log);
    assert!(status.success(), "{status:?}\n{stderr}");
    assert!(
        fake.wait_for_gateway(|s| s.bot_close_codes.contains(&Some(1000)), WAIT)
            .await,
        "{:?}",
        fake.gateway_stats()
    );

    // JSON log lines with outcome, entry, confidence and latency, and nothing about the member.
    let lines: Vec<Value> = stderr
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|_| panic!("not JSON: {l}")))
        .collect();
    let replies: Vec<&Value> = lines
        .iter()
        .filter(|l| l.pointer("/fields/message") == Some(&json!("replied")))
        .collect();
    assert_eq!(replies.len(), 2, "{stderr}");
    for r in &replies {
        let f = &r["fields"];
        assert_eq!(f["outcome"], json!("answered"));
        assert_eq!(f["entry"], json!("downtime-redness"));
        assert!(f["confidence"].as_f64().unwrap() > 0.5);
        assert!(f["latency_ms"].as_f64().is_some());
    }
    assert!(stderr.contains("SIGTERM received"), "{stderr}");
    for secret in [
        TOKEN,
        "redness last",
        &member.id.to_string(),
        &other.id.to_string(),
        "member77",
        "member78",
    ] {
        assert!(!stderr.contains(secret), "`{secret}` logged:\n{stderr}");
    }
    assert!(
        fake.unknown_requests().is_empty(),
        "{:?}",
        fake.unknown_requests()
    );
}
