//! What the bot has done since it started, for `/kb stats` and the log.

use crate::answer::{Answer, Status};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Instant, SystemTime};

/// Counters since start. Only outcomes are counted, never who asked or what.
#[derive(Debug)]
pub struct Stats {
    outcomes: [AtomicU64; Status::ALL.len()],
    cooldowns: AtomicU64,
    busy_channels: AtomicU64,
    failed_replies: AtomicU64,
    /// When the bot started (wall clock, for Discord timestamps).
    pub started_at: SystemTime,
    started: Instant,
}

impl Default for Stats {
    fn default() -> Self {
        Stats {
            outcomes: Default::default(),
            cooldowns: AtomicU64::new(0),
            busy_channels: AtomicU64::new(0),
            failed_replies: AtomicU64::new(0),
            started_at: SystemTime::now(),
            started: Instant::now(),
        }
    }
}

fn index(s: Status) -> usize {
    Status::ALL.iter().position(|x| *x == s).unwrap_or(0)
}

impl Stats {
    /// Counts one reply.
    pub fn answered(&self, status: Status) {
        self.outcomes[index(status)].fetch_add(1, Ordering::Relaxed);
    }

    /// Counts a question refused by the member's cooldown.
    pub fn cooldown(&self) {
        self.cooldowns.fetch_add(1, Ordering::Relaxed);
    }

    /// Counts a question refused by the channel's cap.
    pub fn busy_channel(&self) {
        self.busy_channels.fetch_add(1, Ordering::Relaxed);
    }

    /// Counts a reply Discord did not take, even after retries.
    pub fn failed_reply(&self) {
        self.failed_replies.fetch_add(1, Ordering::Relaxed);
    }

    /// Replies per outcome, in [`Status::ALL`] order.
    pub fn outcomes(&self) -> Vec<(Status, u64)> {
        Status::ALL
            .iter()
            .map(|s| (*s, self.outcomes[index(*s)].load(Ordering::Relaxed)))
            .collect()
    }

    /// (refused by cooldown, refused by channel cap, replies that failed).
    pub fn refusals(&self) -> (u64, u64, u64) {
        (
            self.cooldowns.load(Ordering::Relaxed),
            self.busy_channels.load(Ordering::Relaxed),
            self.failed_replies.load(Ordering::Relaxed),
        )
    }

    /// Seconds since start.
    pub fn uptime_secs(&self) -> u64 {
        self.started.elapsed().as_secs()
    }
}

/// Logs one reply: how, outcome, entry, confidence and latency. Never the
/// member's words or ids.
pub fn log_reply(via: &'static str, a: &Answer, started: Instant) {
    tracing::info!(
        via,
        outcome = a.status.as_str(),
        entry = a.entry.as_deref().unwrap_or("-"),
        confidence = (f64::from(a.confidence) * 1000.0).round() / 1000.0,
        latency_ms = (started.elapsed().as_secs_f64() * 10_000.0).round() / 10.0,
        flag = a.flag.as_deref().unwrap_or("-"),
        gap = a.gap.as_deref().unwrap_or("-"),
        "replied"
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_per_outcome() {
        let s = Stats::default();
        s.answered(Status::Answered);
        s.answered(Status::Answered);
        s.answered(Status::Urgent);
        s.cooldown();
        let o = s.outcomes();
        assert_eq!(o[0], (Status::Answered, 2));
        assert!(o.contains(&(Status::Urgent, 1)));
        assert!(o.contains(&(Status::Help, 0)));
        assert_eq!(s.refusals(), (1, 0, 0));
    }
}
