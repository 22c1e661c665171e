//! Load figures (not a timed assertion): 1,000 questions from 50 members through the fake
//! Discord to the built `serve` binary; prints messages per second, reply latency (median,
//! p99) and the bot's resident memory.
//!
//! ```sh
//! cargo test --release --test scenarios discord_load -- --ignored --nocapture
//! ```

use crate::fake_discord::*;
use crate::support::bot::*;
use crate::support::{binary, shipped_knowledge};
use std::collections::HashMap;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const QUESTIONS: [&str; 8] = [
    "how long does the redness last after microneedling?",
    "does it hurt?",
    "my face is oozing pus and I have a fever",
    "can it help with acne scars?",
    "how many sessions will I need?",
    "hello",
    "what is the price of a session",
    "is microneedling safe for dark skin",
];

/// Resident and peak resident memory of a process, in KiB (Linux).
fn memory_kib(pid: u32) -> (u64, u64) {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find(|l| l.starts_with(name))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|v| v.parse().ok())
            .unwrap_or(0)
    };
    (field("VmRSS:"), field("VmHWM:"))
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "prints load figures; run with --release -- --ignored --nocapture"]
async fn load_figures() {
    let fake = FakeDiscord::start_with(fast_config()).await;
    let dir = tempfile::tempdir().unwrap();
    let mut child = binary(dir.path())
        .args(["serve", "--knowledge"])
        .arg(shipped_knowledge())
        .env("DISCORD_TOKEN", TOKEN)
        .env("MNBOT_DISCORD__API_BASE", fake.base_url())
        .env("MNBOT_DISCORD__USER_COOLDOWN_SECONDS", "0")
        .env("MNBOT_DISCORD__CHANNEL_REPLIES_PER_MINUTE", "0")
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("spawn the bot");
    let pid = child.id();
    assert!(fake.wait_until_ready(WAIT).await, "{}", fake.transcript());
    fake.wait_for_request("PUT", "/applications/*/commands", WAIT)
        .await
        .expect("registered");
    tokio::time::sleep(Duration::from_millis(300)).await;
    let (idle_rss, _) = memory_kib(pid);

    let users: Vec<TestUser> = (0..50)
        .map(|n| TestUser::new(USER_ID + 1000 + n, &format!("member{n}")))
        .collect();
    let bot_user = TestUser::testbot();
    let channels = [CHANNEL_ID, CHANNEL_ID + 1, CHANNEL_ID + 2, CHANNEL_ID + 3];
    let mut sent_at: HashMap<String, Instant> = HashMap::new();
    let started = Instant::now();
    for i in 0..1000 {
        let msg = MessageBuilder::guild(
            GUILD_ID,
            channels[i % channels.len()],
            &users[i % users.len()],
            &format!("{} {}", bot_user.mention(), QUESTIONS[i % QUESTIONS.len()]),
        )
        .mention(&bot_user)
        .build();
        let id = msg["id"].as_str().unwrap().to_string();
        sent_at.insert(id, Instant::now());
        fake.dispatch("MESSAGE_CREATE", msg).await;
    }
    let dispatched = started.elapsed();
    let mut peak_rss = 0;
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        peak_rss = peak_rss.max(memory_kib(pid).0);
        if fake.requests_matching("POST", "/channels/*/messages").len() >= 1000
            || Instant::now() > deadline
        {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let replies = fake.requests_matching("POST", "/channels/*/messages");
    assert_eq!(replies.len(), 1000, "every question answered");
    let last = replies.iter().map(|r| r.at).max().unwrap();
    let total = last - started;
    let mut latencies: Vec<Duration> = replies
        .iter()
        .map(|r| {
            let id = r.body.as_ref().unwrap()["message_reference"]["message_id"]
                .as_str()
                .unwrap()
                .to_string();
            r.at - sent_at[&id]
        })
        .collect();
    latencies.sort();
    let (rss, hwm) = memory_kib(pid);

    // One question at a time: latency without queueing.
    let mut single: Vec<Duration> = Vec::new();
    for i in 0..200 {
        let msg = MessageBuilder::guild(
            GUILD_ID,
            CHANNEL_ID,
            &users[i % users.len()],
            &format!("{} {}", bot_user.mention(), QUESTIONS[i % QUESTIONS.len()]),
        )
        .mention(&bot_user)
        .build();
        let id = msg["id"].as_str().unwrap().to_string();
        let wanted = serde_json::json!(id);
        let t = Instant::now();
        fake.dispatch("MESSAGE_CREATE", msg).await;
        let reply = fake
            .wait_for(
                |r| {
                    r.body
                        .as_ref()
                        .and_then(|b| b.pointer("/message_reference/message_id"))
                        == Some(&wanted)
                },
                WAIT,
            )
            .await
            .expect("a reply");
        single.push(reply.at - t);
    }
    single.sort();

    let _ = Command::new("kill")
        .args(["-TERM", &pid.to_string()])
        .status();
    let deadline = Instant::now() + Duration::from_secs(20);
    while child.try_wait().unwrap().is_none() && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let _ = child.kill();

    println!(
        "build profile: {}",
        if cfg!(debug_assertions) {
            "debug"
        } else {
            "release"
        }
    );
    println!(
        "1000 questions from 50 members over 4 channels: dispatched in {:.2} s, all answered in {:.2} s",
        dispatched.as_secs_f64(),
        total.as_secs_f64()
    );
    println!("throughput: {:.0} messages/s", 1000.0 / total.as_secs_f64());
    println!(
        "burst reply latency (event sent -> reply received by the fake, queueing included): median {:.2} ms, p99 {:.2} ms, max {:.2} ms",
        percentile(&latencies, 0.5).as_secs_f64() * 1000.0,
        percentile(&latencies, 0.99).as_secs_f64() * 1000.0,
        latencies.last().unwrap().as_secs_f64() * 1000.0
    );
    println!(
        "one question at a time (200): median {:.2} ms, p99 {:.2} ms",
        percentile(&single, 0.5).as_secs_f64() * 1000.0,
        percentile(&single, 0.99).as_secs_f64() * 1000.0
    );
    println!(
        "bot resident memory: {:.1} MiB idle after connecting, {:.1} MiB peak sampled under load, {:.1} MiB at the end (VmHWM {:.1} MiB)",
        idle_rss as f64 / 1024.0,
        peak_rss as f64 / 1024.0,
        rss as f64 / 1024.0,
        hwm as f64 / 1024.0
    );
}
