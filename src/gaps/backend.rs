//! One face for both places the record can live: the SQLite file
//! ([`GapStore`], the default) and a shared PostgreSQL database
//! ([`PgStore`], when `recording.url` is set). The recorder, the `gaps`
//! command and `/kb gaps` use [`RecordStore`] and do not care which.
//!
//! Both keep exactly the same rows (see `store`): scrubbed questions, counts
//! per day, nothing that identifies anyone.

use super::postgres::PgStore;
use super::store::{FeedbackCount, GapError, GapRecord, GapStore, OutcomeCount, Purged, Vote};
use super::{retention_start, Day, GapGroup, GapOutcome};
use crate::answer::Status;
use crate::settings::RecordingSettings;
use serde::{Deserialize, Serialize};

/// The gap record, wherever it lives. Every call may wait on the disk or the
/// network: call from a blocking thread, never from async code.
pub trait RecordStore: Send {
    /// Where the record is, for logs and messages (a file path, or
    /// `postgres://user@host:port/db` without the password).
    fn target(&self) -> String;
    /// Records an unanswered question (scrubbed by the store).
    fn record_gap(&mut self, gap: &GapRecord) -> Result<(), GapError>;
    /// Counts one answer of `status` on `day`.
    fn record_outcome(&mut self, status: Status, day: Day) -> Result<(), GapError>;
    /// Counts one answer and, for a gap, records it, in one transaction.
    fn record_answer(
        &mut self,
        status: Status,
        day: Day,
        gap: Option<&GapRecord>,
    ) -> Result<(), GapError>;
    /// Counts a vote (a thumbs-down also as a gap), in one transaction.
    fn record_feedback(&mut self, vote: &Vote, day: Day) -> Result<(), GapError>;
    /// Unanswered questions since `since_day` (included), grouped.
    fn gaps(&mut self, since_day: Day) -> Result<Vec<GapGroup>, GapError>;
    /// Votes per entry, most thumbs-down first.
    fn feedback_counts(&mut self) -> Result<Vec<FeedbackCount>, GapError>;
    /// Answers per day and outcome since `since_day`, oldest first.
    fn outcome_counts(&mut self, since_day: Day) -> Result<Vec<OutcomeCount>, GapError>;
    /// Deletes every row of a day before `day`.
    fn purge_older_than(&mut self, day: Day) -> Result<Purged, GapError>;
    /// Deletes everything recorded.
    fn purge_all(&mut self) -> Result<Purged, GapError>;
    /// The daily retention: deletes rows older than `retention_days` days up
    /// to `today`. `Ok(None)` when another process is in charge of it (a
    /// shared database: see [`PgStore`]).
    fn apply_retention(
        &mut self,
        today: Day,
        retention_days: u32,
    ) -> Result<Option<Purged>, GapError> {
        self.purge_older_than(retention_start(today, retention_days))
            .map(Some)
    }
    /// The schema version of the record.
    fn schema_version(&mut self) -> Result<i64, GapError>;
    /// How many times `question` (scrubbed) was recorded as a gap.
    fn gap_count(&mut self, question: &str) -> Result<u64, GapError>;
    /// Every row, for `gaps export`.
    fn export_rows(&mut self) -> Result<Vec<RecordRow>, GapError>;
    /// Adds exported rows to the counts, in one transaction.
    fn import_rows(&mut self, rows: &[RecordRow]) -> Result<usize, GapError>;
}

/// One row of the record as `gaps export` writes it and `gaps import` reads
/// it (one JSON object per line, `table` naming the table).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "table", rename_all = "snake_case")]
pub enum RecordRow {
    Gaps {
        day: Day,
        outcome: String,
        question: String,
        /// `""` when there was no nearest entry.
        best_entry: String,
        knowledge_version: String,
        score: Option<f64>,
        count: i64,
    },
    Feedback {
        day: Day,
        entry: String,
        knowledge_version: String,
        helpful: bool,
        count: i64,
    },
    Outcomes {
        day: Day,
        outcome: String,
        count: i64,
    },
}

impl RecordRow {
    /// Parses one exported line, refusing what the record never holds (an
    /// unknown outcome, a count below one). Questions and labels are scrubbed
    /// again when the row is stored.
    pub fn parse(line: &str, line_no: usize) -> Result<RecordRow, GapError> {
        let bad = |why: String| GapError::BadRow { line: line_no, why };
        let row: RecordRow = serde_json::from_str(line).map_err(|e| bad(e.to_string()))?;
        let (outcome_ok, count) = match &row {
            RecordRow::Gaps { outcome, count, .. } => (
                [
                    GapOutcome::NoMatch,
                    GapOutcome::Clarify,
                    GapOutcome::ThumbsDown,
                ]
                .iter()
                .any(|o| o.as_str() == outcome),
                *count,
            ),
            RecordRow::Feedback { count, .. } => (true, *count),
            RecordRow::Outcomes { outcome, count, .. } => {
                (Status::ALL.iter().any(|s| s.as_str() == outcome), *count)
            }
        };
        if !outcome_ok {
            return Err(bad("unknown outcome".into()));
        }
        if count < 1 {
            return Err(bad(format!("count {count} is below 1")));
        }
        Ok(row)
    }
}

impl RecordStore for GapStore {
    fn target(&self) -> String {
        self.path().display().to_string()
    }
    fn record_gap(&mut self, gap: &GapRecord) -> Result<(), GapError> {
        GapStore::record_gap(self, gap)
    }
    fn record_outcome(&mut self, status: Status, day: Day) -> Result<(), GapError> {
        GapStore::record_outcome(self, status, day)
    }
    fn record_answer(
        &mut self,
        status: Status,
        day: Day,
        gap: Option<&GapRecord>,
    ) -> Result<(), GapError> {
        GapStore::record_answer(self, status, day, gap)
    }
    fn record_feedback(&mut self, vote: &Vote, day: Day) -> Result<(), GapError> {
        GapStore::record_feedback(self, vote, day)
    }
    fn gaps(&mut self, since_day: Day) -> Result<Vec<GapGroup>, GapError> {
        GapStore::gaps(self, since_day)
    }
    fn feedback_counts(&mut self) -> Result<Vec<FeedbackCount>, GapError> {
        GapStore::feedback_counts(self)
    }
    fn outcome_counts(&mut self, since_day: Day) -> Result<Vec<OutcomeCount>, GapError> {
        GapStore::outcome_counts(self, since_day)
    }
    fn purge_older_than(&mut self, day: Day) -> Result<Purged, GapError> {
        GapStore::purge_older_than(self, day)
    }
    fn purge_all(&mut self) -> Result<Purged, GapError> {
        GapStore::purge_all(self)
    }
    fn schema_version(&mut self) -> Result<i64, GapError> {
        GapStore::schema_version(self)
    }
    fn gap_count(&mut self, question: &str) -> Result<u64, GapError> {
        GapStore::gap_count(self, question)
    }
    fn export_rows(&mut self) -> Result<Vec<RecordRow>, GapError> {
        GapStore::export_rows(self)
    }
    fn import_rows(&mut self, rows: &[RecordRow]) -> Result<usize, GapError> {
        GapStore::import_rows(self, rows)
    }
}

/// The PostgreSQL URL of the settings, if one is set (an empty one is none).
pub fn postgres_url(settings: &RecordingSettings) -> Option<&str> {
    settings
        .url
        .as_ref()
        .map(|u| u.expose().trim())
        .filter(|u| !u.is_empty())
}

/// Where the settings put the record, for logs (no password).
pub fn describe(settings: &RecordingSettings) -> String {
    match postgres_url(settings) {
        Some(url) => super::postgres::describe_url(url),
        None => settings.path.display().to_string(),
    }
}

/// Opens the record the settings name, creating it (the SQLite file, or the
/// tables in PostgreSQL) and migrating its schema. PostgreSQL must be
/// reachable now.
pub fn open_store(settings: &RecordingSettings) -> Result<Box<dyn RecordStore>, GapError> {
    Ok(match postgres_url(settings) {
        Some(url) => Box::new(PgStore::connect(url)?),
        None => Box::new(GapStore::open(&settings.path)?),
    })
}

/// Opens the record the settings name to read it: `Ok(None)` when it is a
/// SQLite file that does not exist (nothing was ever recorded; nothing is
/// created). PostgreSQL must be reachable now.
pub fn open_existing(
    settings: &RecordingSettings,
) -> Result<Option<Box<dyn RecordStore>>, GapError> {
    Ok(match postgres_url(settings) {
        Some(url) => Some(Box::new(PgStore::connect(url)?)),
        None => GapStore::open_existing(&settings.path)?.map(|s| Box::new(s) as _),
    })
}
