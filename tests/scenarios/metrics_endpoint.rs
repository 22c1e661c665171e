//! The operators' endpoint over real TCP: exact counts on `/metrics`,
//! readiness on `/healthz`, and a shutdown that always ends.
//!
//! Every request and every wait here is bounded, so a broken server fails a
//! test instead of hanging it.

use crate::support::http::{request, sample};
use crate::support::WAIT;
use microneedling_bot::metrics::{
    serve, Metrics, MetricsError, MetricsServer, CONTENT_TYPE, SHUTDOWN_GRACE,
};
use microneedling_bot::Status;
use std::net::SocketAddr;
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;
use tokio::time::timeout;

/// A server running on a free loopback port.
struct Running {
    addr: SocketAddr,
    stop: oneshot::Sender<()>,
    task: JoinHandle<Result<(), MetricsError>>,
}

async fn start(metrics: &Metrics) -> Running {
    let server = MetricsServer::bind("127.0.0.1:0".parse().unwrap())
        .await
        .unwrap();
    let addr = server.local_addr();
    assert!(addr.ip().is_loopback());
    assert_ne!(addr.port(), 0);
    let (stop, stopped) = oneshot::channel::<()>();
    let task = tokio::spawn(server.run(metrics.clone(), async move {
        let _ = stopped.await;
    }));
    Running { addr, stop, task }
}

impl Running {
    /// Signals shutdown and waits for the server to return; how long it took.
    async fn shut_down(self) -> Duration {
        let began = Instant::now();
        let _ = self.stop.send(());
        timeout(WAIT, self.task)
            .await
            .expect("the server stops in bounded time")
            .expect("the server task does not panic")
            .expect("the server stops without error");
        began.elapsed()
    }
}

fn replies(text: &str, outcome: &str) -> Option<f64> {
    sample(
        text,
        &format!("mnbot_replies_total{{outcome=\"{outcome}\"}}"),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_scrape_shows_the_exact_counts() {
    let metrics = Metrics::new().unwrap();
    let server = start(&metrics).await;

    let ms = Duration::from_millis;
    for (status, latency) in [
        (Status::Answered, ms(1)),
        (Status::Answered, ms(2)),
        (Status::Answered, Duration::from_micros(80)),
        (Status::NoMatch, ms(3)),
        (Status::NoMatch, ms(40)),
        (Status::Clarify, ms(4)),
        (Status::Urgent, Duration::from_secs(7)),
    ] {
        metrics.record_reply(status, latency);
    }
    metrics.reload_succeeded();
    metrics.reload_succeeded();
    metrics.reload_failed();
    metrics.gateway_reconnected();
    metrics.set_gateway_connected(true);
    metrics.set_knowledge_loaded("kb-1f2e3d");
    metrics.set_recorder_stats(4, 1, 0);

    let reply = request(server.addr, "GET", "/metrics").await;
    assert_eq!(reply.status, 200, "{reply:?}");
    assert_eq!(reply.content_type.as_deref(), Some(CONTENT_TYPE));
    let text = &reply.body;

    assert_eq!(replies(text, "answered"), Some(3.0), "{text}");
    assert_eq!(replies(text, "no_match"), Some(2.0));
    assert_eq!(replies(text, "clarify"), Some(1.0));
    assert_eq!(replies(text, "urgent"), Some(1.0));
    assert_eq!(replies(text, "help"), Some(0.0));

    assert!(text.contains("# TYPE mnbot_reply_latency_seconds histogram"));
    assert_eq!(sample(text, "mnbot_reply_latency_seconds_count"), Some(7.0));
    let bucket = |le: &str| {
        sample(
            text,
            &format!("mnbot_reply_latency_seconds_bucket{{le=\"{le}\"}}"),
        )
    };
    assert_eq!(bucket("0.0001"), Some(1.0));
    assert_eq!(bucket("0.005"), Some(5.0));
    assert_eq!(bucket("0.05"), Some(6.0));
    assert_eq!(bucket("5"), Some(6.0));
    assert_eq!(bucket("+Inf"), Some(7.0));
    let sum = sample(text, "mnbot_reply_latency_seconds_sum").unwrap();
    assert!((sum - 7.05008).abs() < 1e-9, "{sum}");

    assert_eq!(sample(text, "mnbot_knowledge_reloads_total"), Some(2.0));
    assert_eq!(
        sample(text, "mnbot_knowledge_reload_failures_total"),
        Some(1.0)
    );
    assert_eq!(sample(text, "mnbot_gateway_reconnects_total"), Some(1.0));
    assert_eq!(sample(text, "mnbot_gateway_connected"), Some(1.0));
    assert_eq!(
        sample(text, "mnbot_knowledge_info{version=\"kb-1f2e3d\"}"),
        Some(1.0)
    );
    let gaps = |r: &str| sample(text, &format!("mnbot_gap_records_total{{result=\"{r}\"}}"));
    assert_eq!(gaps("written"), Some(4.0));
    assert_eq!(gaps("dropped"), Some(1.0));
    assert_eq!(gaps("failed"), Some(0.0));

    // A later scrape sees later counts.
    metrics.record_reply(Status::Help, ms(1));
    let text = request(server.addr, "GET", "/metrics").await.body;
    assert_eq!(replies(&text, "help"), Some(1.0));
    assert_eq!(
        sample(&text, "mnbot_reply_latency_seconds_count"),
        Some(8.0)
    );

    assert!(server.shut_down().await < WAIT);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn healthz_is_ready_only_with_the_gateway_and_the_knowledge() {
    let metrics = Metrics::new().unwrap();
    let server = start(&metrics).await;
    let health = || request(server.addr, "GET", "/healthz");

    let r = health().await;
    assert_eq!(r.status, 503);
    assert_eq!(
        r.body,
        "not ready: gateway not connected and knowledge not loaded\n"
    );

    metrics.set_gateway_connected(true);
    let r = health().await;
    assert_eq!(
        (r.status, r.body.as_str()),
        (503, "not ready: knowledge not loaded\n")
    );

    metrics.set_knowledge_loaded("v1");
    let r = health().await;
    assert_eq!((r.status, r.body.as_str()), (200, "ready\n"));

    metrics.set_gateway_connected(false);
    metrics.gateway_reconnected();
    let r = health().await;
    assert_eq!(
        (r.status, r.body.as_str()),
        (503, "not ready: gateway not connected\n")
    );

    metrics.set_gateway_connected(true);
    assert_eq!(health().await.status, 200);

    server.shut_down().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_the_two_routes_are_served() {
    let metrics = Metrics::new().unwrap();
    let server = start(&metrics).await;
    assert_eq!(request(server.addr, "GET", "/").await.status, 404);
    assert_eq!(request(server.addr, "GET", "/metrics/x").await.status, 404);
    assert_eq!(request(server.addr, "POST", "/metrics").await.status, 405);
    assert_eq!(request(server.addr, "DELETE", "/healthz").await.status, 405);
    server.shut_down().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn counts_from_many_tasks_add_up() {
    let metrics = Metrics::new().unwrap();
    let server = start(&metrics).await;
    let tasks: Vec<_> = (0..4)
        .map(|_| {
            let m = metrics.clone();
            tokio::spawn(async move {
                for i in 0..250u64 {
                    m.record_reply(Status::Answered, Duration::from_micros(i));
                    if i % 50 == 0 {
                        tokio::task::yield_now().await;
                    }
                }
            })
        })
        .collect();
    // Scrapes while the counts move are consistent enough to parse.
    for _ in 0..3 {
        let r = request(server.addr, "GET", "/metrics").await;
        assert_eq!(r.status, 200);
        assert!(replies(&r.body, "answered").is_some());
    }
    for t in tasks {
        timeout(WAIT, t).await.unwrap().unwrap();
    }
    let text = request(server.addr, "GET", "/metrics").await.body;
    assert_eq!(replies(&text, "answered"), Some(1000.0));
    assert_eq!(
        sample(&text, "mnbot_reply_latency_seconds_count"),
        Some(1000.0)
    );
    server.shut_down().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shutdown_is_prompt_with_an_idle_keep_alive_connection() {
    let metrics = Metrics::new().unwrap();
    let server = start(&metrics).await;
    // A scraper that keeps its connection open after a request.
    let mut idle = TcpStream::connect(server.addr).await.unwrap();
    idle.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        .await
        .unwrap();
    let mut buf = [0u8; 512];
    let n = timeout(WAIT, idle.read(&mut buf)).await.unwrap().unwrap();
    assert!(buf[..n].starts_with(b"HTTP/1.1 503"));

    let took = server.shut_down().await;
    assert!(took < SHUTDOWN_GRACE, "{took:?}");
    // Nothing listens any more.
    let refused = timeout(WAIT, TcpStream::connect(idle.peer_addr().unwrap())).await;
    assert!(matches!(refused, Ok(Err(_))), "{refused:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shutdown_is_bounded_by_a_half_sent_request() {
    let metrics = Metrics::new().unwrap();
    let server = start(&metrics).await;
    let mut stuck = TcpStream::connect(server.addr).await.unwrap();
    stuck
        .write_all(b"GET /metrics HTTP/1.1\r\nHo")
        .await
        .unwrap();
    // Let the server accept it and start reading.
    tokio::time::sleep(Duration::from_millis(100)).await;

    let took = server.shut_down().await;
    assert!(took < SHUTDOWN_GRACE + Duration::from_secs(2), "{took:?}");
    drop(stuck);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_taken_address_fails_at_once() {
    let metrics = Metrics::new().unwrap();
    let server = start(&metrics).await;
    let result = timeout(WAIT, serve(server.addr, metrics.clone(), async {})).await;
    match result {
        Ok(Err(MetricsError::Bind { addr, .. })) => assert_eq!(addr, server.addr),
        other => panic!("expected a bind error, got {other:?}"),
    }
    server.shut_down().await;
}
