//! The metric names, in one place: dashboards and alerts are written against
//! them, so they change only on purpose (and the README lists them).

/// Prefix of every metric, so the bot's series never collide with another
/// exporter's on the same Prometheus.
pub const PREFIX: &str = "mnbot_";

/// Counter, label `outcome` (`answered`, `clarify`, `no_match`, `urgent`,
/// `help`): replies sent.
pub const REPLIES_TOTAL: &str = "mnbot_replies_total";

/// Histogram (seconds): from a question's arrival to its reply.
pub const REPLY_LATENCY_SECONDS: &str = "mnbot_reply_latency_seconds";

/// Counter: knowledge reloads that succeeded (the new knowledge is served).
pub const KNOWLEDGE_RELOADS_TOTAL: &str = "mnbot_knowledge_reloads_total";

/// Counter: knowledge reloads that failed (the old knowledge kept serving).
pub const KNOWLEDGE_RELOAD_FAILURES_TOTAL: &str = "mnbot_knowledge_reload_failures_total";

/// Gauge, label `version`: 1 for the knowledge version being served; absent
/// before any knowledge is loaded.
pub const KNOWLEDGE_INFO: &str = "mnbot_knowledge_info";

/// Counter: gateway reconnections.
pub const GATEWAY_RECONNECTS_TOTAL: &str = "mnbot_gateway_reconnects_total";

/// Gauge: 1 while the gateway is connected, else 0.
pub const GATEWAY_CONNECTED: &str = "mnbot_gateway_connected";

/// Counter, label `result` (`written`, `dropped`, `failed`): gap records
/// handled by the recorder since it started.
pub const GAP_RECORDS_TOTAL: &str = "mnbot_gap_records_total";

/// Counter, label `result` (`applied`, `skipped`, `published`): shared
/// knowledge edits (`knowledge.share`) this process applied, skipped for
/// their problems, or published, since it started.
pub const KNOWLEDGE_SHARE_EDITS_TOTAL: &str = "mnbot_knowledge_share_edits_total";

/// Gauge: 1 while the connection that listens for shared knowledge edits is
/// up, else 0 (absent unless `knowledge.share` is on).
pub const KNOWLEDGE_SHARE_CONNECTED: &str = "mnbot_knowledge_share_connected";
