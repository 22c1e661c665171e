//! The handle the bot updates: counters, gauges and the latency histogram in
//! a registry of its own.
//!
//! Each handle owns its [`Registry`] rather than using the process-wide
//! default one, so two bots (or two tests) in one process never share counts.
//! Updating is a few atomic operations and never waits on the network: the
//! bot records on its hot path, and the endpoint only reads.

use super::names;
use super::MetricsError;
use crate::answer::Status;
use prometheus::{
    Histogram, HistogramOpts, IntCounter, IntCounterVec, IntGauge, IntGaugeVec, Opts, Registry,
    TextEncoder,
};
use std::fmt;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

/// Upper bounds (seconds) of the reply-latency buckets: 100 µs to 5 s. The
/// engine answers in well under a millisecond, so the low buckets show it;
/// a reply that waits on Discord's rate limits or retries lands in the high
/// ones.
pub const LATENCY_BUCKETS: [f64; 15] = [
    0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0,
];

/// The `result` label values of [`names::GAP_RECORDS_TOTAL`], in the order of
/// [`Metrics::set_recorder_stats`].
const GAP_RESULTS: [&str; 3] = ["written", "dropped", "failed"];

/// The `result` label values of [`names::KNOWLEDGE_SHARE_EDITS_TOTAL`], in
/// the order of [`Metrics::set_share_stats`].
const SHARE_RESULTS: [&str; 3] = ["applied", "skipped", "published"];

/// Why the bot is not ready to answer, for `/healthz`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NotReady {
    /// The gateway is not connected: no message reaches the bot.
    pub gateway_down: bool,
    /// No knowledge is loaded: the bot has nothing to answer from.
    pub knowledge_missing: bool,
}

impl fmt::Display for NotReady {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.gateway_down, self.knowledge_missing) {
            (true, true) => f.write_str("gateway not connected and knowledge not loaded"),
            (true, false) => f.write_str("gateway not connected"),
            (false, true) => f.write_str("knowledge not loaded"),
            (false, false) => f.write_str("ready"),
        }
    }
}

#[derive(Debug)]
struct Inner {
    registry: Registry,
    /// One counter per outcome, resolved once so recording never looks up
    /// a label.
    replies: Vec<(Status, IntCounter)>,
    latency: Histogram,
    reloads: IntCounter,
    reload_failures: IntCounter,
    reconnects: IntCounter,
    gateway_connected: IntGauge,
    connected: AtomicBool,
    knowledge_info: IntGaugeVec,
    /// The version served, if any; also tells whether knowledge is loaded.
    knowledge_version: Mutex<Option<String>>,
    /// `written`, `dropped`, `failed`.
    gap_records: [IntCounter; 3],
    /// Held while the gap counters are brought up to the recorder's figures,
    /// so two concurrent updates cannot both add the same difference.
    gap_update: Mutex<()>,
    /// `applied`, `skipped`, `published` (registered on first use).
    share: Mutex<Option<([IntCounter; 3], IntGauge)>>,
}

/// The bot's metrics. Cheap to clone: clones share one registry.
#[derive(Debug, Clone)]
pub struct Metrics {
    inner: Arc<Inner>,
}

/// A lock that a panicking holder did not leave unusable: the data behind
/// these locks is always consistent between statements.
fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

impl Metrics {
    /// A new set of metrics, all at zero, the gateway disconnected and no
    /// knowledge loaded. Every outcome's counter is there from the start (at
    /// 0), so a rate over an outcome that never happened is 0, not absent.
    pub fn new() -> Result<Metrics, MetricsError> {
        let registry = Registry::new();

        let replies_vec = IntCounterVec::new(
            Opts::new(names::REPLIES_TOTAL, "Replies sent, by outcome."),
            &["outcome"],
        )?;
        registry.register(Box::new(replies_vec.clone()))?;
        let replies = Status::ALL
            .iter()
            .map(|&s| Ok((s, replies_vec.get_metric_with_label_values(&[s.as_str()])?)))
            .collect::<Result<Vec<_>, prometheus::Error>>()?;

        let latency = Histogram::with_opts(
            HistogramOpts::new(
                names::REPLY_LATENCY_SECONDS,
                "Seconds from a question's arrival to its reply.",
            )
            .buckets(LATENCY_BUCKETS.to_vec()),
        )?;
        registry.register(Box::new(latency.clone()))?;

        let reloads = IntCounter::new(
            names::KNOWLEDGE_RELOADS_TOTAL,
            "Knowledge reloads that succeeded.",
        )?;
        registry.register(Box::new(reloads.clone()))?;
        let reload_failures = IntCounter::new(
            names::KNOWLEDGE_RELOAD_FAILURES_TOTAL,
            "Knowledge reloads that failed; the previous knowledge kept serving.",
        )?;
        registry.register(Box::new(reload_failures.clone()))?;

        let reconnects =
            IntCounter::new(names::GATEWAY_RECONNECTS_TOTAL, "Gateway reconnections.")?;
        registry.register(Box::new(reconnects.clone()))?;
        let gateway_connected = IntGauge::new(
            names::GATEWAY_CONNECTED,
            "1 while the Discord gateway is connected, else 0.",
        )?;
        registry.register(Box::new(gateway_connected.clone()))?;

        let knowledge_info = IntGaugeVec::new(
            Opts::new(
                names::KNOWLEDGE_INFO,
                "1 for the knowledge version being served.",
            ),
            &["version"],
        )?;
        registry.register(Box::new(knowledge_info.clone()))?;

        let gap_vec = IntCounterVec::new(
            Opts::new(
                names::GAP_RECORDS_TOTAL,
                "Gap records since the recorder started, by result.",
            ),
            &["result"],
        )?;
        registry.register(Box::new(gap_vec.clone()))?;
        let [w, d, f] = GAP_RESULTS;
        let gap_records = [
            gap_vec.get_metric_with_label_values(&[w])?,
            gap_vec.get_metric_with_label_values(&[d])?,
            gap_vec.get_metric_with_label_values(&[f])?,
        ];

        Ok(Metrics {
            inner: Arc::new(Inner {
                registry,
                replies,
                latency,
                reloads,
                reload_failures,
                reconnects,
                gateway_connected,
                connected: AtomicBool::new(false),
                knowledge_info,
                knowledge_version: Mutex::new(None),
                gap_records,
                gap_update: Mutex::new(()),
                share: Mutex::new(None),
            }),
        })
    }

    /// Counts a reply by its outcome and observes how long it took.
    pub fn record_reply(&self, status: Status, latency: Duration) {
        if let Some((_, c)) = self.inner.replies.iter().find(|(s, _)| *s == status) {
            c.inc();
        }
        self.inner.latency.observe(latency.as_secs_f64());
    }

    /// Counts a knowledge reload that succeeded. Call
    /// [`Metrics::set_knowledge_loaded`] with the new version as well.
    pub fn reload_succeeded(&self) {
        self.inner.reloads.inc();
    }

    /// Counts a knowledge reload that failed (the old knowledge still serves).
    pub fn reload_failed(&self) {
        self.inner.reload_failures.inc();
    }

    /// Counts a gateway reconnection. Connection state is separate: call
    /// [`Metrics::set_gateway_connected`] when the gateway is up again.
    pub fn gateway_reconnected(&self) {
        self.inner.reconnects.inc();
    }

    /// Whether the gateway is connected now (part of readiness).
    pub fn set_gateway_connected(&self, connected: bool) {
        self.inner.connected.store(connected, Ordering::SeqCst);
        self.inner.gateway_connected.set(i64::from(connected));
    }

    /// The knowledge version now served: readiness's other half, and the
    /// `version` label of the info metric (the previous version's series is
    /// removed, so exactly one version shows).
    pub fn set_knowledge_loaded(&self, version: &str) {
        let mut current = lock(&self.inner.knowledge_version);
        if let Some(old) = current.as_deref() {
            if old == version {
                return;
            }
            // The old series was set when `current` was; an error here would
            // only mean it is already gone, which is the aim.
            let _ = self.inner.knowledge_info.remove_label_values(&[old]);
        }
        match self
            .inner
            .knowledge_info
            .get_metric_with_label_values(&[version])
        {
            Ok(g) => g.set(1),
            Err(e) => tracing::warn!(error = %e, "knowledge version not shown in metrics"),
        }
        *current = Some(version.to_string());
    }

    /// Brings the gap-record counters up to the recorder's own figures
    /// (`RecorderStats`: totals since it started). A figure lower than the
    /// one shown means a new recorder started, and the counter restarts from
    /// it, which Prometheus reads as a counter reset.
    pub fn set_recorder_stats(&self, written: u64, dropped: u64, failed: u64) {
        let _guard = lock(&self.inner.gap_update);
        for (counter, value) in self
            .inner
            .gap_records
            .iter()
            .zip([written, dropped, failed])
        {
            let shown = counter.get();
            if value < shown {
                counter.reset();
                counter.inc_by(value);
            } else {
                counter.inc_by(value - shown);
            }
        }
    }

    /// Brings the shared-knowledge figures up to the share's own (totals
    /// since start) and its connection state. The series appear on the first
    /// call, so a process that does not share shows none.
    pub fn set_share_stats(&self, applied: u64, skipped: u64, published: u64, connected: bool) {
        let mut share = lock(&self.inner.share);
        if share.is_none() {
            match self.register_share() {
                Ok(s) => *share = Some(s),
                Err(e) => {
                    tracing::warn!(error = %e, "shared-knowledge figures not shown in metrics");
                    return;
                }
            }
        }
        let Some((counters, gauge)) = share.as_ref() else {
            return;
        };
        for (counter, value) in counters.iter().zip([applied, skipped, published]) {
            let shown = counter.get();
            if value < shown {
                counter.reset();
                counter.inc_by(value);
            } else {
                counter.inc_by(value - shown);
            }
        }
        gauge.set(i64::from(connected));
    }

    fn register_share(&self) -> Result<([IntCounter; 3], IntGauge), prometheus::Error> {
        let edits = IntCounterVec::new(
            Opts::new(
                names::KNOWLEDGE_SHARE_EDITS_TOTAL,
                "Shared knowledge edits since start: applied here, skipped for their problems, published from here.",
            ),
            &["result"],
        )?;
        self.inner.registry.register(Box::new(edits.clone()))?;
        let [a, s, p] = SHARE_RESULTS;
        let counters = [
            edits.get_metric_with_label_values(&[a])?,
            edits.get_metric_with_label_values(&[s])?,
            edits.get_metric_with_label_values(&[p])?,
        ];
        let connected = IntGauge::new(
            names::KNOWLEDGE_SHARE_CONNECTED,
            "1 while the connection listening for shared knowledge edits is up, else 0.",
        )?;
        self.inner.registry.register(Box::new(connected.clone()))?;
        Ok((counters, connected))
    }

    /// The knowledge version served, if any.
    pub fn knowledge_version(&self) -> Option<String> {
        lock(&self.inner.knowledge_version).clone()
    }

    /// Ready means answering: the gateway is connected and knowledge is
    /// loaded.
    pub fn readiness(&self) -> Result<(), NotReady> {
        let not = NotReady {
            gateway_down: !self.inner.connected.load(Ordering::SeqCst),
            knowledge_missing: lock(&self.inner.knowledge_version).is_none(),
        };
        if not.gateway_down || not.knowledge_missing {
            Err(not)
        } else {
            Ok(())
        }
    }

    /// Every metric in the Prometheus text exposition format (served with
    /// [`CONTENT_TYPE`](super::CONTENT_TYPE)).
    pub fn render(&self) -> Result<String, MetricsError> {
        let families = self.inner.registry.gather();
        Ok(TextEncoder::new().encode_to_string(&families)?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The value of the sample line that starts with `series` followed by a
    /// space.
    fn sample(text: &str, series: &str) -> Option<f64> {
        text.lines()
            .find_map(|l| l.strip_prefix(series)?.strip_prefix(' '))
            .and_then(|v| v.trim().parse().ok())
    }

    #[test]
    fn every_outcome_is_counted_separately_and_starts_at_zero() {
        let m = Metrics::new().unwrap();
        let text = m.render().unwrap();
        for s in Status::ALL {
            let series = format!("mnbot_replies_total{{outcome=\"{}\"}}", s.as_str());
            assert_eq!(sample(&text, &series), Some(0.0), "{series}\n{text}");
        }
        m.record_reply(Status::Answered, Duration::from_micros(50));
        m.record_reply(Status::Answered, Duration::from_millis(3));
        m.record_reply(Status::NoMatch, Duration::from_secs(10));
        let text = m.render().unwrap();
        let count = |o: &str| sample(&text, &format!("mnbot_replies_total{{outcome=\"{o}\"}}"));
        assert_eq!(count("answered"), Some(2.0));
        assert_eq!(count("no_match"), Some(1.0));
        assert_eq!(count("clarify"), Some(0.0));
        assert_eq!(
            sample(&text, "mnbot_reply_latency_seconds_count"),
            Some(3.0)
        );
        let bucket = |le: &str| {
            sample(
                &text,
                &format!("mnbot_reply_latency_seconds_bucket{{le=\"{le}\"}}"),
            )
        };
        assert_eq!(bucket("0.0001"), Some(1.0));
        assert_eq!(bucket("0.005"), Some(2.0));
        assert_eq!(bucket("5"), Some(2.0));
        assert_eq!(bucket("+Inf"), Some(3.0));
    }

    #[test]
    fn the_buckets_rise_from_100_microseconds_to_5_seconds() {
        assert_eq!(LATENCY_BUCKETS.first(), Some(&0.0001));
        assert_eq!(LATENCY_BUCKETS.last(), Some(&5.0));
        assert!(LATENCY_BUCKETS.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn clones_share_counts() {
        let m = Metrics::new().unwrap();
        let c = m.clone();
        c.reload_succeeded();
        c.reload_failed();
        c.reload_failed();
        m.gateway_reconnected();
        let text = m.render().unwrap();
        assert_eq!(sample(&text, "mnbot_knowledge_reloads_total"), Some(1.0));
        assert_eq!(
            sample(&text, "mnbot_knowledge_reload_failures_total"),
            Some(2.0)
        );
        assert_eq!(sample(&text, "mnbot_gateway_reconnects_total"), Some(1.0));
    }

    #[test]
    fn two_handles_do_not_share_counts() {
        let a = Metrics::new().unwrap();
        let b = Metrics::new().unwrap();
        a.reload_succeeded();
        let text = b.render().unwrap();
        assert_eq!(sample(&text, "mnbot_knowledge_reloads_total"), Some(0.0));
    }

    #[test]
    fn ready_needs_both_the_gateway_and_the_knowledge() {
        let m = Metrics::new().unwrap();
        let e = m.readiness().unwrap_err();
        assert_eq!(
            e.to_string(),
            "gateway not connected and knowledge not loaded"
        );
        m.set_gateway_connected(true);
        assert_eq!(
            m.readiness().unwrap_err().to_string(),
            "knowledge not loaded"
        );
        m.set_knowledge_loaded("abc123");
        assert_eq!(m.readiness(), Ok(()));
        m.set_gateway_connected(false);
        assert_eq!(
            m.readiness().unwrap_err().to_string(),
            "gateway not connected"
        );
        let text = m.render().unwrap();
        assert_eq!(sample(&text, "mnbot_gateway_connected"), Some(0.0));
    }

    #[test]
    fn only_the_version_served_is_shown() {
        let m = Metrics::new().unwrap();
        assert!(!m.render().unwrap().contains("mnbot_knowledge_info{"));
        m.set_knowledge_loaded("v1");
        m.set_knowledge_loaded("v2");
        m.set_knowledge_loaded("v2");
        let text = m.render().unwrap();
        assert_eq!(
            sample(&text, "mnbot_knowledge_info{version=\"v2\"}"),
            Some(1.0)
        );
        assert!(!text.contains("version=\"v1\""), "{text}");
        assert_eq!(m.knowledge_version().as_deref(), Some("v2"));
    }

    #[test]
    fn a_version_with_quotes_is_escaped_not_broken() {
        let m = Metrics::new().unwrap();
        m.set_knowledge_loaded("a\"b\\c\nd");
        let text = m.render().unwrap();
        assert!(
            text.contains(r#"mnbot_knowledge_info{version="a\"b\\c\nd"} 1"#),
            "{text}"
        );
    }

    #[test]
    fn recorder_figures_follow_the_recorder_and_its_restarts() {
        let m = Metrics::new().unwrap();
        let g = |text: &str, r: &str| {
            sample(text, &format!("mnbot_gap_records_total{{result=\"{r}\"}}"))
        };
        m.set_recorder_stats(5, 1, 0);
        m.set_recorder_stats(7, 1, 2);
        let text = m.render().unwrap();
        assert_eq!(g(&text, "written"), Some(7.0));
        assert_eq!(g(&text, "dropped"), Some(1.0));
        assert_eq!(g(&text, "failed"), Some(2.0));
        // A new recorder starts from zero again.
        m.set_recorder_stats(3, 1, 0);
        let text = m.render().unwrap();
        assert_eq!(g(&text, "written"), Some(3.0));
        assert_eq!(g(&text, "dropped"), Some(1.0));
        assert_eq!(g(&text, "failed"), Some(0.0));
    }

    #[test]
    fn shared_knowledge_figures_appear_only_when_sharing() {
        let m = Metrics::new().unwrap();
        assert!(!m.render().unwrap().contains("mnbot_knowledge_share"));
        m.set_share_stats(2, 1, 3, true);
        m.set_share_stats(2, 1, 4, true);
        let text = m.render().unwrap();
        assert_eq!(
            sample(
                &text,
                "mnbot_knowledge_share_edits_total{result=\"applied\"}"
            ),
            Some(2.0)
        );
        assert_eq!(
            sample(
                &text,
                "mnbot_knowledge_share_edits_total{result=\"skipped\"}"
            ),
            Some(1.0)
        );
        assert_eq!(
            sample(
                &text,
                "mnbot_knowledge_share_edits_total{result=\"published\"}"
            ),
            Some(4.0)
        );
        assert_eq!(sample(&text, "mnbot_knowledge_share_connected"), Some(1.0));
    }
}
