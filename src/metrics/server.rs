//! The HTTP endpoint: `GET /metrics` and `GET /healthz`, nothing else.
//!
//! Binding is separate from serving ([`MetricsServer::bind`], then
//! [`MetricsServer::run`]) so the bot fails at start-up when the address is
//! taken, before it connects to Discord, and tests can listen on port 0 and
//! learn the port. Shutdown is graceful but bounded: a scraper that keeps a
//! request half-sent cannot hold the bot's exit for longer than
//! [`SHUTDOWN_GRACE`].

use super::{Metrics, MetricsError, CONTENT_TYPE};
use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use std::future::{Future, IntoFuture};
use std::net::SocketAddr;
use std::time::Duration;
use tokio::net::TcpListener;
use tokio::sync::oneshot;

/// After the shutdown signal, how long requests in progress may take before
/// the endpoint stops regardless.
pub const SHUTDOWN_GRACE: Duration = Duration::from_secs(3);

const PLAIN_TEXT: &str = "text/plain; charset=utf-8";

/// A bound, not yet serving, metrics endpoint.
#[derive(Debug)]
pub struct MetricsServer {
    listener: TcpListener,
    local_addr: SocketAddr,
}

impl MetricsServer {
    /// Listens on `listen` (port 0 picks a free port; see
    /// [`MetricsServer::local_addr`]). An address other than loopback is
    /// allowed, since a container may need it, but logged as a warning.
    pub async fn bind(listen: SocketAddr) -> Result<MetricsServer, MetricsError> {
        let bind_error = |source| MetricsError::Bind {
            addr: listen,
            source,
        };
        let listener = TcpListener::bind(listen).await.map_err(bind_error)?;
        let local_addr = listener.local_addr().map_err(bind_error)?;
        if !local_addr.ip().is_loopback() {
            tracing::warn!(
                address = %local_addr,
                "the metrics endpoint listens beyond this host: restrict who can reach it"
            );
        }
        Ok(MetricsServer {
            listener,
            local_addr,
        })
    }

    /// The address actually listened on.
    pub fn local_addr(&self) -> SocketAddr {
        self.local_addr
    }

    /// Serves until `shutdown` completes, then stops accepting, lets requests
    /// in progress finish for at most [`SHUTDOWN_GRACE`], and returns.
    pub async fn run(
        self,
        metrics: Metrics,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> Result<(), MetricsError> {
        let (signalled, on_signal) = oneshot::channel::<()>();
        let server = axum::serve(self.listener, router(metrics))
            .with_graceful_shutdown(async move {
                shutdown.await;
                let _ = signalled.send(());
            })
            .into_future();
        let grace_over = async move {
            match on_signal.await {
                Ok(()) => tokio::time::sleep(SHUTDOWN_GRACE).await,
                // The server finished first and dropped the sender.
                Err(_) => std::future::pending().await,
            }
        };
        tracing::info!(address = %self.local_addr, "metrics endpoint listening");
        tokio::select! {
            result = server => result.map_err(MetricsError::Serve),
            () = grace_over => {
                tracing::warn!(
                    grace = ?SHUTDOWN_GRACE,
                    "metrics endpoint stopped with requests still open"
                );
                Ok(())
            }
        }
    }
}

/// Binds `listen` and serves `metrics` until `shutdown` completes (see
/// [`MetricsServer`]).
pub async fn serve(
    listen: SocketAddr,
    metrics: Metrics,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<(), MetricsError> {
    MetricsServer::bind(listen)
        .await?
        .run(metrics, shutdown)
        .await
}

/// The two routes; any other path is 404, any other method 405.
fn router(metrics: Metrics) -> Router {
    Router::new()
        .route("/metrics", get(scrape))
        .route("/healthz", get(healthz))
        .with_state(metrics)
}

async fn scrape(State(metrics): State<Metrics>) -> Response {
    match metrics.render() {
        Ok(text) => ([(header::CONTENT_TYPE, CONTENT_TYPE)], text).into_response(),
        Err(e) => {
            tracing::warn!(error = %e, "metrics could not be rendered");
            (
                StatusCode::INTERNAL_SERVER_ERROR,
                [(header::CONTENT_TYPE, PLAIN_TEXT)],
                format!("{e}\n"),
            )
                .into_response()
        }
    }
}

async fn healthz(State(metrics): State<Metrics>) -> Response {
    let (status, body) = match metrics.readiness() {
        Ok(()) => (StatusCode::OK, "ready\n".to_string()),
        Err(why) => (
            StatusCode::SERVICE_UNAVAILABLE,
            format!("not ready: {why}\n"),
        ),
    };
    (status, [(header::CONTENT_TYPE, PLAIN_TEXT)], body).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::answer::Status;
    use axum::body::to_bytes;

    async fn parts(res: Response) -> (StatusCode, String, String) {
        let status = res.status();
        let ctype = res
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_string();
        let body = to_bytes(res.into_body(), 1 << 20).await.unwrap();
        (status, ctype, String::from_utf8(body.to_vec()).unwrap())
    }

    #[tokio::test]
    async fn metrics_are_served_as_prometheus_text() {
        let m = Metrics::new().unwrap();
        m.record_reply(Status::Urgent, Duration::from_millis(1));
        let (status, ctype, body) = parts(scrape(State(m)).await).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(ctype, CONTENT_TYPE);
        assert!(
            body.contains("mnbot_replies_total{outcome=\"urgent\"} 1\n"),
            "{body}"
        );
        assert!(
            body.contains("# TYPE mnbot_reply_latency_seconds histogram\n"),
            "{body}"
        );
    }

    #[tokio::test]
    async fn healthz_says_why_it_is_not_ready() {
        let m = Metrics::new().unwrap();
        m.set_knowledge_loaded("v1");
        let (status, ctype, body) = parts(healthz(State(m.clone())).await).await;
        assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(ctype, PLAIN_TEXT);
        assert_eq!(body, "not ready: gateway not connected\n");
        m.set_gateway_connected(true);
        let (status, _, body) = parts(healthz(State(m)).await).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(body, "ready\n");
    }

    #[tokio::test]
    async fn a_taken_address_is_an_error_naming_it() {
        let first = MetricsServer::bind("127.0.0.1:0".parse().unwrap())
            .await
            .unwrap();
        let taken = first.local_addr();
        let e = MetricsServer::bind(taken).await.unwrap_err();
        assert!(e.to_string().contains(&taken.to_string()), "{e}");
    }
}
