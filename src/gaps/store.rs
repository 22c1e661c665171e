//! The gap record on disk: one SQLite file, no server.
//!
//! Durability: WAL journal with `synchronous=FULL`, and every write is its own
//! committed transaction, so once a write returns `Ok` its row survives a
//! crash, a `kill -9` or a power cut, and the file is never left corrupt.
//! Privacy: questions are scrubbed here, at the last step before the disk,
//! whoever the caller is; `secure_delete` overwrites purged rows instead of
//! leaving them in free pages.
//!
//! What is stored (nothing else):
//! - `gaps`: day, outcome (`no_match`, `clarify`, `thumbs_down`), scrubbed
//!   question, nearest entry id, its score, knowledge version, and how many
//!   times that same combination occurred that day.
//! - `feedback`: day, entry id, knowledge version, helpful or not, count.
//! - `outcomes`: day, outcome name, count.
//!
//! Identical rows of a day are counted rather than repeated, and the tables
//! are keyed by their content (`WITHOUT ROWID`), so not even the order in
//! which questions arrived within a day is kept.

use super::backend::RecordRow;
use super::group::{group_questions, GapGroup, QuestionCount};
use super::scrub::scrub;
use super::Day;
use crate::answer::Status;
use rusqlite::{params, Connection, ErrorCode, OpenFlags, OptionalExtension, TransactionBehavior};
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// The schema version this build writes (`PRAGMA user_version`).
pub const SCHEMA_VERSION: i64 = 1;

/// How long a write waits for another connection (the CLI, a second bot
/// process) to release the file before giving up with [`GapError::Busy`].
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// Longest question kept, in characters (the engine caps messages anyway).
const MAX_QUESTION_CHARS: usize = 1000;

/// Longest entry id or knowledge version kept, in characters.
const MAX_LABEL_CHARS: usize = 200;

/// Migrations, in order: `MIGRATIONS[i]` takes the schema from version `i` to
/// `i + 1`. Never edit a released one; append a new one.
const MIGRATIONS: &[&str] = &["
    CREATE TABLE gaps (
        day INTEGER NOT NULL,
        outcome TEXT NOT NULL,
        question TEXT NOT NULL,
        best_entry TEXT NOT NULL,          -- '' when there is none
        knowledge_version TEXT NOT NULL,
        score REAL,                        -- the best seen for this row
        count INTEGER NOT NULL,
        PRIMARY KEY (day, outcome, question, best_entry, knowledge_version)
    ) WITHOUT ROWID;
    CREATE TABLE feedback (
        day INTEGER NOT NULL,
        entry TEXT NOT NULL,
        knowledge_version TEXT NOT NULL,
        helpful INTEGER NOT NULL,          -- 1 = thumbs up, 0 = thumbs down
        count INTEGER NOT NULL,
        PRIMARY KEY (day, entry, knowledge_version, helpful)
    ) WITHOUT ROWID;
    CREATE TABLE outcomes (
        day INTEGER NOT NULL,
        outcome TEXT NOT NULL,
        count INTEGER NOT NULL,
        PRIMARY KEY (day, outcome)
    ) WITHOUT ROWID;
"];

/// The record could not be opened, read or written. The bot logs these and
/// keeps answering.
#[derive(Debug, thiserror::Error)]
pub enum GapError {
    /// The directory for the file could not be created.
    #[error("cannot create the directory {path}: {source}")]
    CreateDir {
        path: PathBuf,
        source: std::io::Error,
    },
    /// The file could not be created.
    #[error("cannot create the gap record {path}: {source}")]
    CreateFile {
        path: PathBuf,
        source: std::io::Error,
    },
    /// The file could not be opened or set up.
    #[error("cannot open the gap record {path}: {source}")]
    Open {
        path: PathBuf,
        source: rusqlite::Error,
    },
    /// The disk (or the file's size limit) is full.
    #[error("the gap record's disk is full")]
    Full,
    /// Another connection holds the file longer than the busy timeout.
    #[error("the gap record is locked by another process")]
    Busy,
    /// The file or its directory is read-only.
    #[error("the gap record is read-only")]
    ReadOnly,
    /// The file is not a database or is damaged.
    #[error("the gap record is corrupt or not a database")]
    Corrupt,
    /// The file was written by a newer version of the bot.
    #[error("the gap record has schema version {found}; this build knows up to {SCHEMA_VERSION}")]
    NewerSchema { found: i64 },
    /// The writer thread could not be started.
    #[error("cannot start the gap record writer: {0}")]
    Thread(std::io::Error),
    /// Any other SQLite error.
    #[error("gap record error: {0}")]
    Sqlite(rusqlite::Error),
    /// `recording.url` is not a PostgreSQL URL.
    #[error("recording.url is not a postgres:// URL: {0}")]
    Url(String),
    /// The PostgreSQL server could not be reached or refused the login.
    #[error("cannot connect to the gap record {target}: {source}")]
    Connect {
        target: String,
        source: postgres::Error,
    },
    /// The connection to PostgreSQL is down; another attempt is made after a
    /// pause (the record reconnects by itself).
    #[error("the gap record {target} is unreachable; retrying in {retry_in:?}")]
    Unavailable { target: String, retry_in: Duration },
    /// Any other PostgreSQL error.
    #[error("gap record error: {0}")]
    Postgres(#[from] postgres::Error),
    /// A row to import is not a row of the record.
    #[error("line {line}: {why}")]
    BadRow { line: usize, why: String },
}

impl From<rusqlite::Error> for GapError {
    fn from(e: rusqlite::Error) -> Self {
        match e.sqlite_error_code() {
            Some(ErrorCode::DiskFull) => GapError::Full,
            Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => GapError::Busy,
            Some(ErrorCode::ReadOnly) => GapError::ReadOnly,
            Some(ErrorCode::DatabaseCorrupt | ErrorCode::NotADatabase) => GapError::Corrupt,
            _ => GapError::Sqlite(e),
        }
    }
}

/// Why a question was recorded as a gap.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum GapOutcome {
    /// Nothing in the knowledge fit.
    NoMatch,
    /// Close candidates were offered instead of an answer.
    Clarify,
    /// A member marked the answer as not helpful.
    ThumbsDown,
}

impl GapOutcome {
    /// The name stored and shown.
    pub fn as_str(self) -> &'static str {
        match self {
            GapOutcome::NoMatch => "no_match",
            GapOutcome::Clarify => "clarify",
            GapOutcome::ThumbsDown => "thumbs_down",
        }
    }

    /// The outcome as moderators read it: `no match`, `clarify`, `👎`.
    pub fn label(self) -> &'static str {
        match self {
            GapOutcome::NoMatch => "no match",
            GapOutcome::Clarify => "clarify",
            GapOutcome::ThumbsDown => "👎",
        }
    }

    /// The label of a stored outcome name (`no_match` → `no match`); an
    /// unknown name as it is.
    pub fn label_of(name: &str) -> &str {
        [
            GapOutcome::NoMatch,
            GapOutcome::Clarify,
            GapOutcome::ThumbsDown,
        ]
        .into_iter()
        .find(|o| o.as_str() == name)
        .map_or(name, |o| o.label())
    }

    /// The gap outcome of an answer status, if that status is a gap.
    pub fn of_status(status: Status) -> Option<GapOutcome> {
        match status {
            Status::NoMatch => Some(GapOutcome::NoMatch),
            Status::Clarify => Some(GapOutcome::Clarify),
            _ => None,
        }
    }
}

/// A question the knowledge could not answer.
#[derive(Debug, Clone, PartialEq)]
pub struct GapRecord {
    pub day: Day,
    pub outcome: GapOutcome,
    /// The question as asked: scrubbed by the store before it is written.
    pub question: String,
    /// The nearest entry, if any.
    pub best_entry: Option<String>,
    /// The nearest entry's score.
    pub score: Option<f32>,
    /// The knowledge version that answered.
    pub knowledge_version: String,
}

/// A member's vote on an answered reply. Who voted is never part of it.
#[derive(Debug, Clone, PartialEq)]
pub struct Vote {
    /// The entry that answered.
    pub entry: String,
    /// Thumbs up (`true`) or down.
    pub helpful: bool,
    /// The knowledge version that answered.
    pub knowledge_version: String,
    /// The question answered, when the front end still has it (scrubbed by
    /// the store; kept only for a thumbs-down).
    pub question: Option<String>,
    /// The answer's confidence, when known.
    pub score: Option<f32>,
}

/// Votes for one entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FeedbackCount {
    pub entry: String,
    pub up: u64,
    pub down: u64,
}

/// How many answers of one outcome on one day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OutcomeCount {
    pub day: Day,
    /// A [`Status`] name (`answered`, `no_match`, ...).
    pub outcome: String,
    pub count: u64,
}

/// Rows deleted by a purge (counted rows, not occurrences).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Purged {
    pub gaps: usize,
    pub feedback: usize,
    pub outcomes: usize,
}

impl Purged {
    /// All rows deleted.
    pub fn total(&self) -> usize {
        self.gaps + self.feedback + self.outcomes
    }
}

/// The gap record: one open SQLite connection.
#[derive(Debug)]
pub struct GapStore {
    conn: Connection,
    path: PathBuf,
}

impl GapStore {
    /// Opens the record at `path`, creating its directory, the file and the
    /// schema as needed, and migrating an older schema.
    pub fn open(path: &Path) -> Result<GapStore, GapError> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|source| GapError::CreateDir {
                path: dir.to_path_buf(),
                source,
            })?;
        }
        create_private(path)?;
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_CREATE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        Self::open_with(path, flags)
    }

    /// Opens an existing record; `Ok(None)` when there is no file (nothing was
    /// ever recorded). Never creates anything.
    pub fn open_existing(path: &Path) -> Result<Option<GapStore>, GapError> {
        if !path.exists() {
            return Ok(None);
        }
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        Self::open_with(path, flags).map(Some)
    }

    fn open_with(path: &Path, flags: OpenFlags) -> Result<GapStore, GapError> {
        let open_error = |source: rusqlite::Error| match GapError::from(source) {
            GapError::Sqlite(source) => GapError::Open {
                path: path.to_path_buf(),
                source,
            },
            typed => typed,
        };
        let conn = Connection::open_with_flags(path, flags).map_err(open_error)?;
        conn.busy_timeout(BUSY_TIMEOUT).map_err(open_error)?;
        let mode: String = conn
            .query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))
            .map_err(open_error)?;
        if !mode.eq_ignore_ascii_case("wal") {
            tracing::warn!(mode = %mode, "the gap record could not switch to WAL");
        }
        conn.execute_batch(
            "PRAGMA synchronous = FULL;
             PRAGMA secure_delete = ON;",
        )
        .map_err(open_error)?;
        let mut store = GapStore {
            conn,
            path: path.to_path_buf(),
        };
        store.migrate()?;
        Ok(store)
    }

    /// Brings the schema to [`SCHEMA_VERSION`], one committed step at a time.
    fn migrate(&mut self) -> Result<(), GapError> {
        let found: i64 = self
            .conn
            .pragma_query_value(None, "user_version", |r| r.get(0))?;
        if found > SCHEMA_VERSION {
            return Err(GapError::NewerSchema { found });
        }
        for (from, sql) in MIGRATIONS.iter().enumerate().skip(found.max(0) as usize) {
            let tx = self
                .conn
                .transaction_with_behavior(TransactionBehavior::Immediate)?;
            // Another process may have migrated while this one waited.
            let now: i64 = tx.pragma_query_value(None, "user_version", |r| r.get(0))?;
            if now > from as i64 {
                tx.commit()?;
                continue;
            }
            tx.execute_batch(sql)?;
            tx.pragma_update(None, "user_version", from as i64 + 1)?;
            tx.commit()?;
        }
        Ok(())
    }

    /// The file this store writes.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Records an unanswered question (scrubbed here). Durable once `Ok`.
    pub fn record_gap(&mut self, gap: &GapRecord) -> Result<(), GapError> {
        insert_gap(&self.conn, gap)?;
        Ok(())
    }

    /// Counts one answer of `status` on `day`. Durable once `Ok`.
    pub fn record_outcome(&mut self, status: Status, day: Day) -> Result<(), GapError> {
        insert_outcome(&self.conn, status, day)?;
        Ok(())
    }

    /// Counts one answer of `status` on `day` and, for a gap, records it, in
    /// one transaction. Durable once `Ok`.
    pub fn record_answer(
        &mut self,
        status: Status,
        day: Day,
        gap: Option<&GapRecord>,
    ) -> Result<(), GapError> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        insert_outcome(&tx, status, day)?;
        if let Some(gap) = gap {
            insert_gap(&tx, gap)?;
        }
        tx.commit()?;
        Ok(())
    }

    /// Counts a vote; a thumbs-down is also recorded as a gap (outcome
    /// `thumbs_down`, with the scrubbed question when the vote has it), in the
    /// same transaction. Durable once `Ok`.
    pub fn record_feedback(&mut self, vote: &Vote, day: Day) -> Result<(), GapError> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let entry = label(&vote.entry);
        let version = label(&vote.knowledge_version);
        tx.execute(
            "INSERT INTO feedback (day, entry, knowledge_version, helpful, count)
             VALUES (?1, ?2, ?3, ?4, 1)
             ON CONFLICT (day, entry, knowledge_version, helpful)
             DO UPDATE SET count = count + 1",
            params![day, entry, version, vote.helpful],
        )?;
        if !vote.helpful {
            insert_gap(
                &tx,
                &GapRecord {
                    day,
                    outcome: GapOutcome::ThumbsDown,
                    question: vote.question.clone().unwrap_or_default(),
                    best_entry: Some(vote.entry.clone()),
                    score: vote.score,
                    knowledge_version: vote.knowledge_version.clone(),
                },
            )?;
        }
        tx.commit()?;
        Ok(())
    }

    /// Unanswered questions since `since_day` (included), grouped by
    /// similarity, most frequent first.
    pub fn gaps(&self, since_day: Day) -> Result<Vec<GapGroup>, GapError> {
        let mut stmt = self.conn.prepare(
            "SELECT question, best_entry, outcome, SUM(count), MAX(score)
             FROM gaps WHERE day >= ?1
             GROUP BY question, best_entry, outcome",
        )?;
        let rows = stmt.query_map([since_day], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, i64>(3)?,
                r.get::<_, Option<f64>>(4)?,
            ))
        })?;
        let rows = rows.collect::<Result<Vec<_>, _>>()?;
        Ok(group_rows(rows))
    }

    /// Votes per entry over everything kept, most thumbs-down first.
    pub fn feedback_counts(&self) -> Result<Vec<FeedbackCount>, GapError> {
        let mut stmt = self.conn.prepare(
            "SELECT entry,
                    SUM(CASE WHEN helpful THEN count ELSE 0 END),
                    SUM(CASE WHEN helpful THEN 0 ELSE count END)
             FROM feedback GROUP BY entry",
        )?;
        let mut out = stmt
            .query_map([], |r| {
                Ok(FeedbackCount {
                    entry: r.get(0)?,
                    up: u64::try_from(r.get::<_, i64>(1)?).unwrap_or(0),
                    down: u64::try_from(r.get::<_, i64>(2)?).unwrap_or(0),
                })
            })?
            .collect::<Result<Vec<_>, _>>()?;
        sort_feedback(&mut out);
        Ok(out)
    }

    /// Answers per day and outcome since `since_day` (included), oldest day
    /// first.
    pub fn outcome_counts(&self, since_day: Day) -> Result<Vec<OutcomeCount>, GapError> {
        let mut stmt = self.conn.prepare(
            "SELECT day, outcome, count FROM outcomes WHERE day >= ?1 ORDER BY day, outcome",
        )?;
        let out = stmt
            .query_map([since_day], |r| {
                Ok(OutcomeCount {
                    day: r.get(0)?,
                    outcome: r.get(1)?,
                    count: u64::try_from(r.get::<_, i64>(2)?).unwrap_or(0),
                })
            })?
            .collect::<Result<Vec<_>, _>>()?;
        Ok(out)
    }

    /// Deletes every row of a day before `day`.
    pub fn purge_older_than(&mut self, day: Day) -> Result<Purged, GapError> {
        self.purge_where("day < ?1", Some(day))
    }

    /// Deletes everything recorded.
    pub fn purge_all(&mut self) -> Result<Purged, GapError> {
        self.purge_where("1", None)
    }

    fn purge_where(&mut self, condition: &str, day: Option<Day>) -> Result<Purged, GapError> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let mut purged = Purged::default();
        for (table, slot) in [
            ("gaps", &mut purged.gaps),
            ("feedback", &mut purged.feedback),
            ("outcomes", &mut purged.outcomes),
        ] {
            let sql = format!("DELETE FROM {table} WHERE {condition}");
            *slot = match day {
                Some(d) => tx.execute(&sql, [d])?,
                None => tx.execute(&sql, [])?,
            };
        }
        tx.commit()?;
        if purged.total() > 0 {
            self.checkpoint();
        }
        Ok(purged)
    }

    /// Copies the WAL into the file and empties it, so deleted rows do not
    /// linger in the WAL. Best effort: a reader may hold it open.
    fn checkpoint(&self) {
        let result = self
            .conn
            .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |r| {
                r.get::<_, i64>(0)
            });
        if let Err(e) = result {
            tracing::debug!(error = %e, "gap record checkpoint skipped");
        }
    }

    /// `PRAGMA integrity_check`: `"ok"` for a sound file.
    pub fn integrity_check(&self) -> Result<String, GapError> {
        let mut stmt = self.conn.prepare("PRAGMA integrity_check")?;
        let lines = stmt
            .query_map([], |r| r.get::<_, String>(0))?
            .collect::<Result<Vec<_>, _>>()?;
        Ok(lines.join("\n"))
    }

    /// The schema version of the open file.
    pub fn schema_version(&self) -> Result<i64, GapError> {
        Ok(self
            .conn
            .pragma_query_value(None, "user_version", |r| r.get(0))?)
    }

    /// Every row of every table, for `gaps export`.
    pub fn export_rows(&self) -> Result<Vec<RecordRow>, GapError> {
        let mut out = Vec::new();
        let mut stmt = self.conn.prepare(
            "SELECT day, outcome, question, best_entry, knowledge_version, score, count
             FROM gaps ORDER BY day, outcome, question, best_entry, knowledge_version",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok(RecordRow::Gaps {
                day: r.get(0)?,
                outcome: r.get(1)?,
                question: r.get(2)?,
                best_entry: r.get(3)?,
                knowledge_version: r.get(4)?,
                score: r.get(5)?,
                count: r.get(6)?,
            })
        })?;
        out.extend(rows.collect::<Result<Vec<_>, _>>()?);
        let mut stmt = self.conn.prepare(
            "SELECT day, entry, knowledge_version, helpful, count
             FROM feedback ORDER BY day, entry, knowledge_version, helpful",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok(RecordRow::Feedback {
                day: r.get(0)?,
                entry: r.get(1)?,
                knowledge_version: r.get(2)?,
                helpful: r.get(3)?,
                count: r.get(4)?,
            })
        })?;
        out.extend(rows.collect::<Result<Vec<_>, _>>()?);
        let mut stmt = self
            .conn
            .prepare("SELECT day, outcome, count FROM outcomes ORDER BY day, outcome")?;
        let rows = stmt.query_map([], |r| {
            Ok(RecordRow::Outcomes {
                day: r.get(0)?,
                outcome: r.get(1)?,
                count: r.get(2)?,
            })
        })?;
        out.extend(rows.collect::<Result<Vec<_>, _>>()?);
        Ok(out)
    }

    /// Adds exported rows (checked with [`RecordRow::checked`]) to the
    /// counts, in one transaction; returns how many rows were added.
    pub fn import_rows(&mut self, rows: &[RecordRow]) -> Result<usize, GapError> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        for row in rows {
            match row {
                RecordRow::Gaps {
                    day,
                    outcome,
                    question,
                    best_entry,
                    knowledge_version,
                    score,
                    count,
                } => {
                    let entry = (!best_entry.is_empty()).then_some(best_entry.as_str());
                    let g = StoredGap::of(question, entry, knowledge_version, *score);
                    add_gap(&tx, *day, outcome, &g, *count)?;
                }
                RecordRow::Feedback {
                    day,
                    entry,
                    knowledge_version,
                    helpful,
                    count,
                } => {
                    tx.execute(
                        "INSERT INTO feedback (day, entry, knowledge_version, helpful, count)
                         VALUES (?1, ?2, ?3, ?4, ?5)
                         ON CONFLICT (day, entry, knowledge_version, helpful)
                         DO UPDATE SET count = count + excluded.count",
                        params![day, label(entry), label(knowledge_version), helpful, count],
                    )?;
                }
                RecordRow::Outcomes {
                    day,
                    outcome,
                    count,
                } => {
                    tx.execute(
                        "INSERT INTO outcomes (day, outcome, count) VALUES (?1, ?2, ?3)
                         ON CONFLICT (day, outcome) DO UPDATE SET count = count + excluded.count",
                        params![day, outcome, count],
                    )?;
                }
            }
        }
        tx.commit()?;
        Ok(rows.len())
    }

    /// The number of times `question` (scrubbed) was recorded as a gap, over
    /// every day kept: a check for tools and tests.
    pub fn gap_count(&self, question: &str) -> Result<u64, GapError> {
        let n: Option<i64> = self
            .conn
            .query_row(
                "SELECT SUM(count) FROM gaps WHERE question = ?1",
                [scrub(question)],
                |r| r.get(0),
            )
            .optional()?
            .flatten();
        Ok(n.map_or(0, |n| u64::try_from(n).unwrap_or(0)))
    }
}

/// One row of a gap query: question, nearest entry (`""` for none), outcome,
/// occurrences, best score.
pub(super) type GapRow = (String, String, String, i64, Option<f64>);

/// Questions summed over days and outcomes, then grouped by similarity.
pub(super) fn group_rows(rows: Vec<GapRow>) -> Vec<GapGroup> {
    let mut by_question: BTreeMap<(String, String), QuestionCount> = BTreeMap::new();
    for (question, entry, outcome, count, score) in rows {
        let count = u64::try_from(count).unwrap_or(0);
        let q = by_question
            .entry((question.clone(), entry.clone()))
            .or_insert_with(|| QuestionCount {
                question,
                count: 0,
                best_entry: (!entry.is_empty()).then_some(entry),
                score: None,
                outcomes: BTreeMap::new(),
            });
        q.count += count;
        *q.outcomes.entry(outcome).or_insert(0) += count;
        if let Some(s) = score {
            q.score = Some(q.score.map_or(s, |b: f64| b.max(s)));
        }
    }
    group_questions(by_question.into_values().collect())
}

/// Votes per entry, most thumbs-down first.
pub(super) fn sort_feedback(out: &mut [FeedbackCount]) {
    out.sort_by(|a, b| {
        b.down
            .cmp(&a.down)
            .then_with(|| b.up.cmp(&a.up))
            .then_with(|| a.entry.cmp(&b.entry))
    });
}

/// A gap as stored: the question scrubbed and capped, the labels scrubbed,
/// the score rounded (`None` when not a finite number).
pub(super) struct StoredGap {
    pub question: String,
    pub entry: String,
    pub version: String,
    pub score: Option<f64>,
}

impl StoredGap {
    pub(super) fn of(
        question: &str,
        entry: Option<&str>,
        version: &str,
        score: Option<f64>,
    ) -> Self {
        StoredGap {
            question: scrub(question).chars().take(MAX_QUESTION_CHARS).collect(),
            entry: entry.map(label).unwrap_or_default(),
            version: label(version),
            score: score
                .filter(|s| s.is_finite())
                // Three decimals are all anyone reads; the rest is float noise.
                .map(|s| (s.clamp(0.0, 1.0) * 1000.0).round() / 1000.0),
        }
    }
}

/// Creates an empty file (a valid empty database) readable by its owner only,
/// so that the questions are not world-readable; SQLite gives the WAL and
/// shared-memory files the same permissions. An existing file is left as it is.
fn create_private(path: &Path) -> Result<(), GapError> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    match options.open(path) {
        Ok(_) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        Err(source) => Err(GapError::CreateFile {
            path: path.to_path_buf(),
            source,
        }),
    }
}

/// Adds one to the count of an outcome on a day.
fn insert_outcome(conn: &Connection, status: Status, day: Day) -> Result<usize, rusqlite::Error> {
    conn.execute(
        "INSERT INTO outcomes (day, outcome, count) VALUES (?1, ?2, 1)
         ON CONFLICT (day, outcome) DO UPDATE SET count = count + 1",
        params![day, status.as_str()],
    )
}

/// Adds one occurrence of a gap row (scrubbing its question and labels).
fn insert_gap(conn: &Connection, gap: &GapRecord) -> Result<usize, rusqlite::Error> {
    let g = StoredGap::of(
        &gap.question,
        gap.best_entry.as_deref(),
        &gap.knowledge_version,
        gap.score.map(f64::from),
    );
    add_gap(conn, gap.day, gap.outcome.as_str(), &g, 1)
}

/// Adds `count` occurrences of a stored gap row.
fn add_gap(
    conn: &Connection,
    day: Day,
    outcome: &str,
    g: &StoredGap,
    count: i64,
) -> Result<usize, rusqlite::Error> {
    conn.execute(
        "INSERT INTO gaps (day, outcome, question, best_entry, knowledge_version, score, count)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
         ON CONFLICT (day, outcome, question, best_entry, knowledge_version)
         DO UPDATE SET count = count + excluded.count,
                       score = MAX(COALESCE(score, excluded.score), COALESCE(excluded.score, score))",
        params![day, outcome, g.question, g.entry, g.version, g.score, count],
    )
}

/// An entry id or knowledge version as stored: these come from the
/// knowledge, but a front end may pass one back from a button, so they are
/// scrubbed and capped like any text from outside.
pub(super) fn label(text: &str) -> String {
    scrub(text).chars().take(MAX_LABEL_CHARS).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gap(day: Day, question: &str) -> GapRecord {
        GapRecord {
            day,
            outcome: GapOutcome::NoMatch,
            question: question.into(),
            best_entry: Some("e".into()),
            score: Some(0.2),
            knowledge_version: "v1".into(),
        }
    }

    #[test]
    fn a_full_file_is_a_typed_error() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = GapStore::open(&dir.path().join("g.db")).unwrap();
        let pages: i64 = store
            .conn
            .pragma_query_value(None, "page_count", |r| r.get(0))
            .unwrap();
        store
            .conn
            .pragma_update(None, "max_page_count", pages)
            .unwrap();
        let long = "lorem ipsum dolor sit amet ".repeat(30);
        let mut result = Ok(());
        for i in 0..2000 {
            result = store.record_gap(&gap(1, &format!("{long} {i}")));
            if result.is_err() {
                break;
            }
        }
        assert!(matches!(result, Err(GapError::Full)), "{result:?}");
    }

    #[test]
    fn a_locked_file_is_a_typed_error() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("g.db");
        let mut store = GapStore::open(&path).unwrap();
        store.conn.busy_timeout(Duration::from_millis(10)).unwrap();
        let other = Connection::open(&path).unwrap();
        other.execute_batch("BEGIN IMMEDIATE").unwrap();
        let result = store.record_gap(&gap(1, "does it hurt"));
        assert!(matches!(result, Err(GapError::Busy)), "{result:?}");
        other.execute_batch("COMMIT").unwrap();
        store.record_gap(&gap(1, "does it hurt")).unwrap();
    }

    #[test]
    fn a_read_only_connection_is_a_typed_error() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = GapStore::open(&dir.path().join("g.db")).unwrap();
        store.conn.execute_batch("PRAGMA query_only = ON").unwrap();
        let result = store.record_outcome(Status::NoMatch, 1);
        assert!(matches!(result, Err(GapError::ReadOnly)), "{result:?}");
    }

    #[test]
    fn a_newer_schema_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("g.db");
        drop(GapStore::open(&path).unwrap());
        Connection::open(&path)
            .unwrap()
            .pragma_update(None, "user_version", SCHEMA_VERSION + 1)
            .unwrap();
        let e = GapStore::open(&path).unwrap_err();
        assert!(matches!(e, GapError::NewerSchema { .. }), "{e:?}");
    }

    #[test]
    fn not_a_database_is_a_typed_error() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("g.db");
        std::fs::write(&path, "this is not a database, just some text ".repeat(200)).unwrap();
        let e = GapStore::open(&path).unwrap_err();
        assert!(matches!(e, GapError::Corrupt), "{e:?}");
    }
}
