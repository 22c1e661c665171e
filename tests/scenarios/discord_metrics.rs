//! The operators' endpoint while the bot runs against the fake Discord: `/metrics` counts
//! the replies by outcome, their latency, reloads, reconnects and gap records; `/healthz`
//! is ready only while the gateway is connected.
//!
//! Every wait is bounded (`support::WAIT`).

use crate::fake_discord::*;
use crate::support::bot::*;
use crate::support::http::{request, sample, try_request};
use std::net::SocketAddr;
use std::time::{Duration, Instant};

/// A loopback port free a moment ago.
fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Scrapes until `series` has `value` (polling every 50 ms for at most `WAIT`); returns the
/// last scrape.
async fn scrape_until(addr: SocketAddr, series: &str, value: f64) -> String {
    let deadline = Instant::now() + WAIT;
    loop {
        let reply = request(addr, "GET", "/metrics").await;
        assert_eq!(reply.status, 200);
        let body = reply.body;
        if sample(&body, series) == Some(value) {
            return body;
        }
        assert!(
            Instant::now() < deadline,
            "{series} never reached {value}:\n{body}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_endpoint_counts_what_the_bot_does() {
    let port = free_port();
    let bot = TestBot::start(|s| {
        s.metrics.enabled = true;
        s.metrics.listen = format!("127.0.0.1:{port}");
    })
    .await;
    let addr: SocketAddr = format!("127.0.0.1:{port}").parse().unwrap();
    let version = bot.live.stats().version;

    // Connected, knowledge loaded: ready.
    let body = scrape_until(addr, "mnbot_gateway_connected", 1.0).await;
    assert_eq!(
        sample(
            &body,
            &format!("mnbot_knowledge_info{{version=\"{version}\"}}")
        ),
        Some(1.0),
        "{body}"
    );
    let health = request(addr, "GET", "/healthz").await;
    assert_eq!((health.status, health.body.trim()), (200, "ready"));

    // Two answered, one unanswered, one vote.
    let alice = TestUser::alice();
    let msg = bot.mention(&alice, REDNESS).await;
    let reply = bot.reply_to(&msg).await;
    bot.ask(&TestUser::new(USER_ID + 1, "bob"), REDNESS, false)
        .await;
    let msg = bot.dm(&TestUser::new(USER_ID + 2, "carol"), COST).await;
    bot.reply_to(&msg).await;
    let up = format!("mnbot:vote:up:{version}:downtime-redness");
    let thanks = bot
        .press(&up, reply.response.as_ref().unwrap(), &alice)
        .await;
    assert!(thanks.ephemeral);

    // A reply is counted just after Discord accepted it: the fake may have it first.
    scrape_until(addr, "mnbot_replies_total{outcome=\"answered\"}", 2.0).await;
    let body = scrape_until(addr, "mnbot_replies_total{outcome=\"no_match\"}", 1.0).await;
    assert_eq!(
        sample(&body, "mnbot_replies_total{outcome=\"answered\"}"),
        Some(2.0),
        "{body}"
    );
    assert_eq!(
        sample(&body, "mnbot_replies_total{outcome=\"urgent\"}"),
        Some(0.0)
    );
    assert_eq!(
        sample(&body, "mnbot_reply_latency_seconds_count"),
        Some(3.0),
        "{body}"
    );
    // Three replies and a vote reach the record.
    scrape_until(addr, "mnbot_gap_records_total{result=\"written\"}", 4.0).await;

    // A reload by a moderator.
    let reload = bot.kb("reload", MANAGE_GUILD, &[]).await;
    assert!(reload.all_text().contains("Knowledge unchanged"));
    let body = scrape_until(addr, "mnbot_knowledge_reloads_total", 1.0).await;
    assert_eq!(
        sample(&body, "mnbot_knowledge_reload_failures_total"),
        Some(0.0)
    );

    // The gateway drops: the bot resumes, and the reconnection is counted.
    bot.fake.drop_gateway().await.unwrap();
    assert!(
        bot.fake
            .wait_for_gateway(|s| s.successful_resumes >= 1 && s.ready, WAIT)
            .await,
        "no RESUME:\n{}",
        bot.fake.transcript()
    );
    let body = scrape_until(addr, "mnbot_gateway_reconnects_total", 1.0).await;
    assert_eq!(sample(&body, "mnbot_gateway_connected"), Some(1.0));
    let msg = bot.mention(&alice, REDNESS).await;
    bot.reply_to(&msg).await;
    scrape_until(addr, "mnbot_replies_total{outcome=\"answered\"}", 3.0).await;

    // Nothing about members in the figures.
    let body = request(addr, "GET", "/metrics").await.body;
    for leak in [
        USER_ID.to_string(),
        GUILD_ID.to_string(),
        "alice".into(),
        "cost".into(),
    ] {
        assert!(!body.contains(&leak), "{leak} in\n{body}");
    }

    bot.stop().await.unwrap();
    // The endpoint stops with the bot.
    let deadline = Instant::now() + WAIT;
    while try_request(addr, "GET", "/healthz").await.is_some() {
        assert!(Instant::now() < deadline, "the endpoint outlived the bot");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_taken_metrics_address_fails_the_start_in_one_line() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let fake = FakeDiscord::start_with(fast_config()).await;
    let data = tempfile::tempdir().unwrap();
    let mut settings = test_settings(&fake, data.path());
    settings.metrics.enabled = true;
    settings.metrics.listen = taken.local_addr().unwrap().to_string();
    let live = std::sync::Arc::new(
        microneedling_bot::live::LiveEngine::load(&settings.knowledge.dir, settings.matching)
            .unwrap(),
    );
    let result = tokio::time::timeout(
        WAIT,
        microneedling_bot::discord::serve(&settings, live, std::future::pending()),
    )
    .await
    .expect("fails fast");
    let e = result.unwrap_err().to_string();
    assert!(
        e.contains("metrics.listen") && e.contains(&settings.metrics.listen) && !e.contains('\n'),
        "{e}"
    );
    assert!(fake.requests().is_empty(), "never connected to Discord");
}
