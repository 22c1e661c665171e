//! What the bot holds to record: a handle that never blocks a reply.
//!
//! Every SQLite write waits for the disk (`synchronous=FULL`), which is
//! milliseconds on a good day and much longer on a busy or failing one. So
//! the bot never writes itself: it hands each record to a dedicated writer
//! thread through a bounded queue. When the queue is full (the disk cannot
//! keep up) the record is dropped and counted, and the member's reply goes out
//! regardless; a write that fails is logged and counted the same way. The
//! handle is cheap to clone and safe to use from async code: no call here
//! waits on the disk (except [`Recorder::flush`], which is for tests and
//! shutdown).
//!
//! With recording switched off, the recorder does nothing and creates no file.
//!
//! The record is the SQLite file, or a shared PostgreSQL database when
//! `recording.url` is set (see [`RecordStore`]). A database that is down or
//! slow is the same as a failing disk: the write fails (bounded by the
//! store's timeouts), is logged and counted as `failed`, records queued
//! meanwhile may be dropped and counted, and the store reconnects by itself.

use super::backend::{postgres_url, RecordStore};
use super::postgres::PgStore;
use super::store::{GapOutcome, GapRecord, GapStore, Vote};
use super::{today, Day, GapError};
use crate::answer::{Answer, Status};
use crate::engine::Engine;
use crate::settings::RecordingSettings;
use serde::Serialize;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, SyncSender, TrySendError};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Records waiting for the writer at most; beyond, new ones are dropped.
pub const QUEUE_CAPACITY: usize = 1024;

/// How often an idle writer wakes to see whether a new day began (and purge).
const IDLE_WAKE: Duration = Duration::from_secs(15 * 60);

/// What the writer has done since start-up, for logs and metrics.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct RecorderStats {
    /// Records written (durable).
    pub written: u64,
    /// Records dropped because the queue was full or the writer had stopped.
    pub dropped: u64,
    /// Records whose write failed (full disk, locked or read-only file,
    /// database unreachable...): dropped too.
    pub failed: u64,
}

#[derive(Debug, Default)]
struct Counters {
    written: AtomicU64,
    dropped: AtomicU64,
    failed: AtomicU64,
}

enum Job {
    Answer {
        day: Day,
        status: Status,
        gap: Option<GapRecord>,
    },
    Vote {
        day: Day,
        vote: Vote,
    },
    Maintenance {
        today: Day,
    },
    Flush(mpsc::Sender<()>),
}

#[derive(Debug)]
struct Inner {
    queue: SyncSender<Job>,
    counters: Arc<Counters>,
    /// The SQLite file, when the record is one.
    path: Option<PathBuf>,
    /// Where the record is, for logs (no password).
    target: String,
}

/// A handle on the gap record for the bot. Clones share one writer.
#[derive(Debug, Clone, Default)]
pub struct Recorder {
    inner: Option<Arc<Inner>>,
}

impl Recorder {
    /// A recorder that records nothing and touches no file.
    pub fn disabled() -> Recorder {
        Recorder { inner: None }
    }

    /// Opens the record as the settings say: nothing at all when recording is
    /// off; otherwise opens (or creates) the file, deletes rows older than the
    /// retention, and starts the writer thread. Blocks on the disk: call it at
    /// start-up, not from a busy async task.
    pub fn open(settings: &RecordingSettings) -> Result<Recorder, GapError> {
        if !settings.enabled {
            return Ok(Recorder::disabled());
        }
        let (mut store, path): (Box<dyn RecordStore>, _) = match postgres_url(settings) {
            Some(url) => {
                let mut store = PgStore::new(url)?;
                match store.ensure_connected() {
                    Ok(()) => {}
                    // The database may come up after the bot: keep trying.
                    Err(e @ (GapError::Connect { .. } | GapError::Postgres(_))) => {
                        tracing::warn!(
                            error = %e,
                            target = %store.target(),
                            "the gap record's database is unreachable; recording starts when it is back"
                        );
                    }
                    Err(e) => return Err(e),
                }
                (Box::new(store), None)
            }
            None => (
                Box::new(GapStore::open(&settings.path)?),
                Some(settings.path.clone()),
            ),
        };
        let target = store.target();
        let retention_days = settings.retention_days.max(1);
        let day = today();
        purge(store.as_mut(), day, retention_days);
        let (queue, jobs) = mpsc::sync_channel(QUEUE_CAPACITY);
        let counters = Arc::new(Counters::default());
        let writer = Writer {
            store,
            jobs,
            counters: Arc::clone(&counters),
            retention_days,
            purged_on: day,
        };
        std::thread::Builder::new()
            .name("gaps-writer".into())
            .spawn(move || writer.run())
            .map_err(GapError::Thread)?;
        Ok(Recorder {
            inner: Some(Arc::new(Inner {
                queue,
                counters,
                path,
                target,
            })),
        })
    }

    /// [`Recorder::open`], or, when the record cannot be opened, a logged
    /// warning and a disabled recorder: the bot answers either way.
    pub fn open_or_disabled(settings: &RecordingSettings) -> Recorder {
        match Recorder::open(settings) {
            Ok(r) => r,
            Err(e) => {
                tracing::warn!(
                    error = %e,
                    target = %super::backend::describe(settings),
                    "recording unanswered questions is off: the gap record cannot be opened"
                );
                Recorder::disabled()
            }
        }
    }

    /// Whether anything is recorded.
    pub fn is_enabled(&self) -> bool {
        self.inner.is_some()
    }

    /// The SQLite file written, when recording to one.
    pub fn path(&self) -> Option<&Path> {
        self.inner.as_ref().and_then(|i| i.path.as_deref())
    }

    /// Where the record is written (a file, or a PostgreSQL database without
    /// its password), when recording.
    pub fn target(&self) -> Option<&str> {
        self.inner.as_ref().map(|i| i.target.as_str())
    }

    /// Records a reply: its outcome is counted, and a `no_match` or `clarify`
    /// is recorded as a gap with its question (scrubbed by the store), the
    /// nearest entry (the first suggestion, if any) and the confidence.
    /// Never blocks.
    pub fn record_answer(&self, answer: &Answer, knowledge_version: &str) {
        if self.inner.is_none() {
            return;
        }
        let nearest = answer
            .suggestions
            .first()
            .map(|s| s.entry.clone())
            .or_else(|| answer.entry.clone());
        self.record_with_nearest(answer, knowledge_version, nearest, answer.confidence);
    }

    /// [`Recorder::record_answer`] with the engine that answered: takes the
    /// knowledge version from it, and for a `no_match` without suggestions
    /// asks it for the nearest entry (one ranking of the question, on the
    /// caller's thread: cheap, and only for that outcome).
    pub fn record_answer_from(&self, engine: &Engine, answer: &Answer) {
        if self.inner.is_none() {
            return;
        }
        let version = &engine.knowledge().version;
        let from_answer = answer
            .suggestions
            .first()
            .map(|s| s.entry.clone())
            .or_else(|| answer.entry.clone());
        if from_answer.is_some() || answer.status != Status::NoMatch {
            self.record_with_nearest(answer, version, from_answer, answer.confidence);
            return;
        }
        let best = engine.candidates(&answer.question).into_iter().next();
        let (nearest, score) = match best {
            Some(c) => (
                engine
                    .knowledge()
                    .entries
                    .get(c.entry)
                    .map(|e| e.id.clone()),
                c.confidence,
            ),
            None => (None, answer.confidence),
        };
        self.record_with_nearest(answer, version, nearest, score);
    }

    fn record_with_nearest(
        &self,
        answer: &Answer,
        knowledge_version: &str,
        nearest: Option<String>,
        score: f32,
    ) {
        let day = today();
        let gap = GapOutcome::of_status(answer.status).map(|outcome| GapRecord {
            day,
            outcome,
            question: answer.question.clone(),
            best_entry: nearest,
            score: Some(score),
            knowledge_version: knowledge_version.to_string(),
        });
        self.send(Job::Answer {
            day,
            status: answer.status,
            gap,
        });
    }

    /// Records a member's vote (a thumbs-down also as a gap). Never blocks.
    pub fn record_feedback(&self, vote: Vote) {
        if self.inner.is_none() {
            return;
        }
        self.send(Job::Vote { day: today(), vote });
    }

    /// Asks the writer to delete rows older than the retention now. The
    /// writer also does this by itself when the day changes; the bot may call
    /// this from a daily timer as well. Never blocks.
    pub fn daily_maintenance(&self) {
        self.send(Job::Maintenance { today: today() });
    }

    /// Waits until everything queued before this call is written, at most
    /// `timeout`; `false` when it was not. For tests and shutdown.
    pub fn flush(&self, timeout: Duration) -> bool {
        let Some(inner) = &self.inner else {
            return true;
        };
        let deadline = Instant::now() + timeout;
        let (done, wait) = mpsc::channel();
        let mut job = Job::Flush(done);
        loop {
            match inner.queue.try_send(job) {
                Ok(()) => break,
                Err(TrySendError::Disconnected(_)) => return false,
                Err(TrySendError::Full(back)) => {
                    if Instant::now() >= deadline {
                        return false;
                    }
                    job = back;
                    std::thread::sleep(Duration::from_millis(5));
                }
            }
        }
        wait.recv_timeout(deadline.saturating_duration_since(Instant::now()))
            .is_ok()
    }

    /// What the writer has done so far (all zero when disabled).
    pub fn stats(&self) -> RecorderStats {
        self.inner
            .as_ref()
            .map_or_else(RecorderStats::default, |i| RecorderStats {
                written: i.counters.written.load(Ordering::Relaxed),
                dropped: i.counters.dropped.load(Ordering::Relaxed),
                failed: i.counters.failed.load(Ordering::Relaxed),
            })
    }

    fn send(&self, job: Job) {
        let Some(inner) = &self.inner else {
            return;
        };
        let why = match inner.queue.try_send(job) {
            Ok(()) => return,
            Err(TrySendError::Full(_)) => "the queue is full",
            Err(TrySendError::Disconnected(_)) => "the writer has stopped",
        };
        let n = inner.counters.dropped.fetch_add(1, Ordering::Relaxed) + 1;
        // 1st, 2nd, 4th, 8th...: visible without flooding the log.
        if n.is_power_of_two() {
            tracing::warn!(dropped = n, "a gap record was dropped: {why}");
        }
    }
}

/// The writer thread: owns the store and applies jobs in order.
struct Writer {
    store: Box<dyn RecordStore>,
    jobs: Receiver<Job>,
    counters: Arc<Counters>,
    retention_days: u32,
    /// The day of the last retention purge.
    purged_on: Day,
}

impl Writer {
    fn run(mut self) {
        loop {
            match self.jobs.recv_timeout(IDLE_WAKE) {
                Ok(job) => self.apply(job),
                Err(RecvTimeoutError::Timeout) => {}
                // Every handle is gone: the queue is drained, stop.
                Err(RecvTimeoutError::Disconnected) => return,
            }
            let day = today();
            if day > self.purged_on {
                self.maintain(day);
            }
        }
    }

    fn apply(&mut self, job: Job) {
        let result = match job {
            Job::Answer { day, status, gap } => self.store.record_answer(status, day, gap.as_ref()),
            Job::Vote { day, vote } => self.store.record_feedback(&vote, day),
            Job::Maintenance { today } => {
                self.maintain(today);
                return;
            }
            Job::Flush(done) => {
                // The caller may have given up waiting: nothing to do then.
                let _ = done.send(());
                return;
            }
        };
        match result {
            Ok(()) => {
                self.counters.written.fetch_add(1, Ordering::Relaxed);
            }
            Err(e) => {
                let n = self.counters.failed.fetch_add(1, Ordering::Relaxed) + 1;
                if n.is_power_of_two() {
                    tracing::warn!(error = %e, failed = n, "a gap record could not be written");
                }
            }
        }
    }

    fn maintain(&mut self, day: Day) {
        // Tried again later the same day when the record was unreachable.
        if purge(self.store.as_mut(), day, self.retention_days) {
            self.purged_on = day;
        }
    }
}

/// Deletes rows older than the retention (in a shared database, only when
/// this process is the one in charge); a failure is logged, never fatal.
/// `false` when it failed.
fn purge(store: &mut dyn RecordStore, today: Day, retention_days: u32) -> bool {
    match store.apply_retention(today, retention_days) {
        Ok(Some(p)) if p.total() > 0 => tracing::info!(
            gaps = p.gaps,
            feedback = p.feedback,
            outcomes = p.outcomes,
            retention_days,
            "old gap records deleted"
        ),
        Ok(_) => {}
        Err(e) => {
            tracing::warn!(error = %e, "old gap records could not be deleted");
            return false;
        }
    }
    true
}
