//! Figures for operators: what the bot did, and whether it can answer now.
//!
//! - [`Metrics`]: the handle the bot updates (replies by outcome and their
//!   latency, knowledge reloads, gateway state, the gap recorder's counts).
//!   Always built, so the bot records the same way whether or not anything
//!   is served.
//! - [`MetricsServer`] (feature `metrics-endpoint`): an HTTP endpoint with
//!   `GET /metrics` (the Prometheus text format) and `GET /healthz` (200
//!   `ready` only while the gateway is connected and knowledge is loaded, else
//!   503 with the reason), for a scraper and an orchestrator's readiness probe.
//!   It is off unless `metrics.enabled` is set, and listens on 127.0.0.1 by
//!   default: the figures say nothing about members, but there is no reason to
//!   show them beyond the host.
//!
//! The exposition comes from the `prometheus` crate rather than being written
//! by hand, so escaping and the format's details are someone else's tested
//! code. The metric names are in [`names`].
//!
//! This module has no Discord dependency: the tests drive it directly.

mod handle;
pub mod names;
#[cfg(feature = "metrics-endpoint")]
mod server;

pub use handle::{Metrics, NotReady, LATENCY_BUCKETS};
#[cfg(feature = "metrics-endpoint")]
pub use server::{serve, MetricsServer, SHUTDOWN_GRACE};

use std::net::SocketAddr;

/// The `Content-Type` of `/metrics`: the Prometheus text format, version 0.0.4.
pub const CONTENT_TYPE: &str = "text/plain; version=0.0.4; charset=utf-8";

/// The metrics could not be set up or served.
#[derive(Debug, thiserror::Error)]
pub enum MetricsError {
    /// A metric could not be created, registered or encoded.
    #[error("metrics: {0}")]
    Prometheus(#[from] prometheus::Error),
    /// The endpoint's address is taken, not local, or not allowed.
    #[error("cannot serve metrics on {addr}: {source}")]
    Bind {
        addr: SocketAddr,
        #[source]
        source: std::io::Error,
    },
    /// The endpoint stopped with an error.
    #[error("metrics endpoint failed: {0}")]
    Serve(#[source] std::io::Error),
}
