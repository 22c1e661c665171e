//! The gap record in a shared PostgreSQL database (`recording.url`), for
//! several bot processes (shards) that record into one place.
//!
//! The same rows and promises as the SQLite file (see `store`): questions are
//! scrubbed here, before they leave the process; counts per day; nothing that
//! identifies anyone. Every write is one committed transaction; identical
//! rows of a day add to one count, so rows from every process are summed, and
//! `gaps` reads the union of all of them.
//!
//! - Schema: versioned migrations, applied under a transaction-scoped
//!   advisory lock when a connection is made, so processes starting together
//!   migrate once. A database with a newer schema is refused.
//! - Retention: applied by whichever process holds the session advisory lock
//!   [`RETENTION_LOCK`] (`pg_try_advisory_lock`); when that process dies its
//!   connection closes, the lock is freed, and the next process to try takes
//!   over.
//! - Failures: a database that is down or slow makes a call fail (bounded by
//!   the connect and statement timeouts), never wait for ever. The connection
//!   is dropped and made again on a later call, after a pause that doubles
//!   from [`RETRY_MIN`] to [`RETRY_MAX`] while the server stays away.

use super::backend::{RecordRow, RecordStore};
use super::store::{
    group_rows, label, sort_feedback, FeedbackCount, GapError, GapRecord, GapRow, OutcomeCount,
    Purged, StoredGap, Vote, SCHEMA_VERSION,
};
use super::{retention_start, scrub, Day, GapGroup, GapOutcome};
use crate::answer::Status;
use postgres::config::Host;
use postgres::error::SqlState;
use postgres::{Client, Config, GenericClient, NoTls};
use std::str::FromStr;
use std::time::{Duration, Instant};

/// The session advisory lock held by the process in charge of retention.
pub const RETENTION_LOCK: i64 = 0x6d6e_626f_7401; // "mnbot" 1
/// The transaction advisory lock that serialises migrations.
const MIGRATION_LOCK: i64 = 0x6d6e_626f_7402;

/// How long connecting may take when the URL does not say.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
/// How long one statement may run on the server, and how long the network may
/// leave a write unacknowledged, before the call fails.
const STATEMENT_TIMEOUT: Duration = Duration::from_secs(10);
/// The first pause before reconnecting, doubled after each failed attempt…
pub const RETRY_MIN: Duration = Duration::from_millis(250);
/// … up to this.
pub const RETRY_MAX: Duration = Duration::from_secs(10);

/// Migrations, in order: `MIGRATIONS[i]` takes the schema from version `i` to
/// `i + 1` (the same versions as the SQLite file). Never edit a released one.
const MIGRATIONS: &[&str] = &["
    CREATE TABLE gaps (
        day BIGINT NOT NULL,
        outcome TEXT NOT NULL,
        question TEXT NOT NULL,
        best_entry TEXT NOT NULL,
        knowledge_version TEXT NOT NULL,
        score DOUBLE PRECISION,
        count BIGINT NOT NULL
    );
    -- A question can be longer than a b-tree key may be: keyed by its digest.
    CREATE UNIQUE INDEX gaps_key
        ON gaps (day, outcome, md5(question), best_entry, knowledge_version);
    CREATE TABLE feedback (
        day BIGINT NOT NULL,
        entry TEXT NOT NULL,
        knowledge_version TEXT NOT NULL,
        helpful BOOLEAN NOT NULL,
        count BIGINT NOT NULL,
        PRIMARY KEY (day, entry, knowledge_version, helpful)
    );
    CREATE TABLE outcomes (
        day BIGINT NOT NULL,
        outcome TEXT NOT NULL,
        count BIGINT NOT NULL,
        PRIMARY KEY (day, outcome)
    );
"];

/// The table that holds the schema version.
pub const SCHEMA_TABLE: &str = "record_schema";

/// `url` without its password, for logs: `postgres://user@host:port/db`.
pub fn describe_url(url: &str) -> String {
    match Config::from_str(url) {
        Ok(c) => describe(&c),
        Err(_) => "postgres://(invalid URL)".to_string(),
    }
}

fn describe(c: &Config) -> String {
    let hosts: Vec<String> = c
        .get_hosts()
        .iter()
        .enumerate()
        .map(|(i, h)| {
            let host = match h {
                Host::Tcp(h) => h.clone(),
                #[cfg(unix)]
                Host::Unix(p) => p.display().to_string(),
            };
            match c.get_ports().get(i).or(c.get_ports().first()) {
                Some(port) => format!("{host}:{port}"),
                None => host,
            }
        })
        .collect();
    format!(
        "postgres://{}@{}/{}",
        c.get_user().unwrap_or(""),
        hosts.join(","),
        c.get_dbname().unwrap_or("")
    )
}

/// Checks that `url` is a PostgreSQL URL this build can use.
pub fn check_url(url: &str) -> Result<(), GapError> {
    parse(url).map(|_| ())
}

fn parse(url: &str) -> Result<Config, GapError> {
    let url = url.trim();
    if !(url.starts_with("postgres://") || url.starts_with("postgresql://")) {
        return Err(GapError::Url(
            "it must start with postgres:// or postgresql://".into(),
        ));
    }
    let mut c = Config::from_str(url).map_err(|e| GapError::Url(e.to_string()))?;
    if c.get_connect_timeout().is_none() {
        c.connect_timeout(CONNECT_TIMEOUT);
    }
    c.tcp_user_timeout(STATEMENT_TIMEOUT);
    c.keepalives(true);
    c.keepalives_idle(Duration::from_secs(30));
    c.application_name("microneedling-bot");
    Ok(c)
}

/// The gap record in PostgreSQL: one connection, made again when it breaks.
pub struct PgStore {
    config: Config,
    target: String,
    client: Option<Client>,
    /// Whether this connection holds [`RETENTION_LOCK`].
    retention_holder: bool,
    /// No new connection before this.
    retry_at: Option<Instant>,
    /// The pause after the next failed attempt.
    backoff: Duration,
}

impl std::fmt::Debug for PgStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PgStore")
            .field("target", &self.target)
            .field("connected", &self.client.is_some())
            .field("retention_holder", &self.retention_holder)
            .finish()
    }
}

impl PgStore {
    /// A store for `url` that connects on first use (and again after any
    /// failure). Only the URL is checked here.
    pub fn new(url: &str) -> Result<PgStore, GapError> {
        let config = parse(url)?;
        Ok(PgStore {
            target: describe(&config),
            config,
            client: None,
            retention_holder: false,
            retry_at: None,
            backoff: RETRY_MIN,
        })
    }

    /// A store for `url`, connected now (and its schema migrated).
    pub fn connect(url: &str) -> Result<PgStore, GapError> {
        let mut store = PgStore::new(url)?;
        store.client()?;
        Ok(store)
    }

    /// Connects now if not connected; `Ok` when connected.
    pub fn ensure_connected(&mut self) -> Result<(), GapError> {
        self.client().map(|_| ())
    }

    /// Whether a connection is open (as far as this side knows).
    pub fn is_connected(&self) -> bool {
        self.client.as_ref().is_some_and(|c| !c.is_closed())
    }

    /// Whether this process is the one applying the retention.
    pub fn holds_retention_lock(&self) -> bool {
        self.retention_holder && self.is_connected()
    }

    fn client(&mut self) -> Result<&mut Client, GapError> {
        if self.client.as_ref().is_some_and(Client::is_closed) {
            self.disconnect();
        }
        if self.client.is_none() {
            if let Some(at) = self.retry_at {
                let now = Instant::now();
                if now < at {
                    return Err(GapError::Unavailable {
                        target: self.target.clone(),
                        retry_in: at - now,
                    });
                }
            }
            match self.open_connection() {
                Ok(client) => {
                    if self.retry_at.is_some() {
                        tracing::info!(target = %self.target, "the gap record is reachable again");
                    }
                    self.retry_at = None;
                    self.backoff = RETRY_MIN;
                    self.client = Some(client);
                }
                Err(e) => {
                    self.retry_at = Some(Instant::now() + self.backoff);
                    self.backoff = (self.backoff * 2).min(RETRY_MAX);
                    return Err(e);
                }
            }
        }
        Ok(self.client.as_mut().expect("connected just above"))
    }

    fn open_connection(&self) -> Result<Client, GapError> {
        let connect_error = |source| GapError::Connect {
            target: self.target.clone(),
            source,
        };
        let mut client = self.config.connect(NoTls).map_err(connect_error)?;
        client.batch_execute(&format!(
            "SET statement_timeout = {ms}; SET lock_timeout = {ms}",
            ms = STATEMENT_TIMEOUT.as_millis()
        ))?;
        migrate(&mut client)?;
        Ok(client)
    }

    fn disconnect(&mut self) {
        self.client = None;
        self.retention_holder = false;
    }

    /// Runs `f` on the connection; a broken connection is dropped, to be made
    /// again on a later call.
    fn run<T>(
        &mut self,
        f: impl FnOnce(&mut Client) -> Result<T, postgres::Error>,
    ) -> Result<T, GapError> {
        let client = self.client()?;
        match f(client) {
            Ok(t) => Ok(t),
            Err(e) => {
                if connection_lost(&e) || self.client.as_ref().is_some_and(Client::is_closed) {
                    tracing::debug!(error = %e, "the gap record connection is lost");
                    self.disconnect();
                    // The first reconnection is tried on the next call.
                    self.retry_at = None;
                }
                Err(GapError::Postgres(e))
            }
        }
    }
}

/// Whether an error means the connection is unusable (rather than one
/// statement failing).
fn connection_lost(e: &postgres::Error) -> bool {
    if e.is_closed() {
        return true;
    }
    match e.code() {
        None => e.as_db_error().is_none(),
        Some(code) => {
            let c = code.code();
            // 08: connection exception; 57P0x: the server is shutting down.
            c.starts_with("08")
                || *code == SqlState::ADMIN_SHUTDOWN
                || *code == SqlState::CRASH_SHUTDOWN
                || *code == SqlState::CANNOT_CONNECT_NOW
        }
    }
}

/// Brings the schema to [`SCHEMA_VERSION`] in one transaction, under
/// [`MIGRATION_LOCK`] so that processes starting together migrate once.
fn migrate(client: &mut Client) -> Result<(), GapError> {
    let mut tx = client.transaction()?;
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK])?;
    tx.batch_execute(&format!(
        "CREATE TABLE IF NOT EXISTS {SCHEMA_TABLE} (version BIGINT NOT NULL)"
    ))?;
    let found: i64 = tx
        .query_one(
            &format!("SELECT COALESCE(MAX(version), 0) FROM {SCHEMA_TABLE}"),
            &[],
        )?
        .get(0);
    if found > SCHEMA_VERSION {
        return Err(GapError::NewerSchema { found });
    }
    if found < SCHEMA_VERSION {
        for sql in MIGRATIONS.iter().skip(found.max(0) as usize) {
            tx.batch_execute(sql)?;
        }
        tx.execute(&format!("DELETE FROM {SCHEMA_TABLE}"), &[])?;
        tx.execute(
            &format!("INSERT INTO {SCHEMA_TABLE} (version) VALUES ($1)"),
            &[&SCHEMA_VERSION],
        )?;
    }
    tx.commit()?;
    Ok(())
}

fn add_outcome(
    c: &mut impl GenericClient,
    status: Status,
    day: Day,
) -> Result<u64, postgres::Error> {
    c.execute(
        "INSERT INTO outcomes (day, outcome, count) VALUES ($1, $2, 1)
         ON CONFLICT (day, outcome) DO UPDATE SET count = outcomes.count + 1",
        &[&day, &status.as_str()],
    )
}

fn add_gap(
    c: &mut impl GenericClient,
    day: Day,
    outcome: &str,
    g: &StoredGap,
    count: i64,
) -> Result<u64, postgres::Error> {
    c.execute(
        "INSERT INTO gaps (day, outcome, question, best_entry, knowledge_version, score, count)
         VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (day, outcome, md5(question), best_entry, knowledge_version)
         DO UPDATE SET count = gaps.count + EXCLUDED.count,
                       score = GREATEST(gaps.score, EXCLUDED.score)",
        &[
            &day,
            &outcome,
            &g.question,
            &g.entry,
            &g.version,
            &g.score,
            &count,
        ],
    )
}

fn insert_gap(c: &mut impl GenericClient, gap: &GapRecord) -> Result<u64, postgres::Error> {
    let g = StoredGap::of(
        &gap.question,
        gap.best_entry.as_deref(),
        &gap.knowledge_version,
        gap.score.map(f64::from),
    );
    add_gap(c, gap.day, gap.outcome.as_str(), &g, 1)
}

fn add_feedback(
    c: &mut impl GenericClient,
    day: Day,
    entry: &str,
    version: &str,
    helpful: bool,
    count: i64,
) -> Result<u64, postgres::Error> {
    c.execute(
        "INSERT INTO feedback (day, entry, knowledge_version, helpful, count)
         VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (day, entry, knowledge_version, helpful)
         DO UPDATE SET count = feedback.count + EXCLUDED.count",
        &[&day, &label(entry), &label(version), &helpful, &count],
    )
}

fn purge_where(
    c: &mut Client,
    condition: &str,
    day: Option<Day>,
) -> Result<Purged, postgres::Error> {
    let mut tx = c.transaction()?;
    let mut purged = Purged::default();
    for (table, slot) in [
        ("gaps", &mut purged.gaps),
        ("feedback", &mut purged.feedback),
        ("outcomes", &mut purged.outcomes),
    ] {
        let sql = format!("DELETE FROM {table} WHERE {condition}");
        let n = match day {
            Some(d) => tx.execute(&sql, &[&d])?,
            None => tx.execute(&sql, &[])?,
        };
        *slot = usize::try_from(n).unwrap_or(usize::MAX);
    }
    tx.commit()?;
    Ok(purged)
}

fn count(n: i64) -> u64 {
    u64::try_from(n).unwrap_or(0)
}

impl RecordStore for PgStore {
    fn target(&self) -> String {
        self.target.clone()
    }

    fn record_gap(&mut self, gap: &GapRecord) -> Result<(), GapError> {
        self.run(|c| insert_gap(c, gap).map(|_| ()))
    }

    fn record_outcome(&mut self, status: Status, day: Day) -> Result<(), GapError> {
        self.run(|c| add_outcome(c, status, day).map(|_| ()))
    }

    fn record_answer(
        &mut self,
        status: Status,
        day: Day,
        gap: Option<&GapRecord>,
    ) -> Result<(), GapError> {
        self.run(|c| {
            let mut tx = c.transaction()?;
            add_outcome(&mut tx, status, day)?;
            if let Some(gap) = gap {
                insert_gap(&mut tx, gap)?;
            }
            tx.commit()
        })
    }

    fn record_feedback(&mut self, vote: &Vote, day: Day) -> Result<(), GapError> {
        self.run(|c| {
            let mut tx = c.transaction()?;
            add_feedback(
                &mut tx,
                day,
                &vote.entry,
                &vote.knowledge_version,
                vote.helpful,
                1,
            )?;
            if !vote.helpful {
                insert_gap(
                    &mut tx,
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
            tx.commit()
        })
    }

    fn gaps(&mut self, since_day: Day) -> Result<Vec<GapGroup>, GapError> {
        let rows = self.run(|c| {
            c.query(
                "SELECT question, best_entry, outcome, SUM(count)::BIGINT, MAX(score)
                 FROM gaps WHERE day >= $1
                 GROUP BY question, best_entry, outcome",
                &[&since_day],
            )
        })?;
        let rows: Vec<GapRow> = rows
            .iter()
            .map(|r| (r.get(0), r.get(1), r.get(2), r.get(3), r.get(4)))
            .collect();
        Ok(group_rows(rows))
    }

    fn feedback_counts(&mut self) -> Result<Vec<FeedbackCount>, GapError> {
        let rows = self.run(|c| {
            c.query(
                "SELECT entry,
                        SUM(CASE WHEN helpful THEN count ELSE 0 END)::BIGINT,
                        SUM(CASE WHEN helpful THEN 0 ELSE count END)::BIGINT
                 FROM feedback GROUP BY entry",
                &[],
            )
        })?;
        let mut out: Vec<FeedbackCount> = rows
            .iter()
            .map(|r| FeedbackCount {
                entry: r.get(0),
                up: count(r.get(1)),
                down: count(r.get(2)),
            })
            .collect();
        sort_feedback(&mut out);
        Ok(out)
    }

    fn outcome_counts(&mut self, since_day: Day) -> Result<Vec<OutcomeCount>, GapError> {
        let rows = self.run(|c| {
            c.query(
                "SELECT day, outcome, count FROM outcomes WHERE day >= $1
                 ORDER BY day, outcome COLLATE \"C\"",
                &[&since_day],
            )
        })?;
        Ok(rows
            .iter()
            .map(|r| OutcomeCount {
                day: r.get(0),
                outcome: r.get(1),
                count: count(r.get(2)),
            })
            .collect())
    }

    fn purge_older_than(&mut self, day: Day) -> Result<Purged, GapError> {
        self.run(|c| purge_where(c, "day < $1", Some(day)))
    }

    fn purge_all(&mut self) -> Result<Purged, GapError> {
        self.run(|c| purge_where(c, "TRUE", None))
    }

    /// Only the process holding [`RETENTION_LOCK`] deletes old rows; the lock
    /// is taken when free and kept for as long as the connection lives.
    fn apply_retention(
        &mut self,
        today: Day,
        retention_days: u32,
    ) -> Result<Option<Purged>, GapError> {
        if !self.holds_retention_lock() {
            let got: bool = self.run(|c| {
                c.query_one("SELECT pg_try_advisory_lock($1)", &[&RETENTION_LOCK])
                    .map(|r| r.get(0))
            })?;
            self.retention_holder = got;
            if !got {
                return Ok(None);
            }
            tracing::info!(target = %self.target, "this process applies the gap record's retention");
        }
        self.purge_older_than(retention_start(today, retention_days))
            .map(Some)
    }

    fn schema_version(&mut self) -> Result<i64, GapError> {
        self.run(|c| {
            c.query_one(
                &format!("SELECT COALESCE(MAX(version), 0) FROM {SCHEMA_TABLE}"),
                &[],
            )
            .map(|r| r.get(0))
        })
    }

    fn gap_count(&mut self, question: &str) -> Result<u64, GapError> {
        let q = scrub(question);
        let n: Option<i64> = self.run(|c| {
            c.query_one(
                "SELECT SUM(count)::BIGINT FROM gaps WHERE question = $1",
                &[&q],
            )
            .map(|r| r.get(0))
        })?;
        Ok(n.map_or(0, count))
    }

    fn export_rows(&mut self) -> Result<Vec<RecordRow>, GapError> {
        self.run(|c| {
            let mut tx = c.build_transaction().read_only(true).start()?;
            let mut out = Vec::new();
            for r in tx.query(
                "SELECT day, outcome, question, best_entry, knowledge_version, score, count
                 FROM gaps ORDER BY day, outcome, question, best_entry, knowledge_version",
                &[],
            )? {
                out.push(RecordRow::Gaps {
                    day: r.get(0),
                    outcome: r.get(1),
                    question: r.get(2),
                    best_entry: r.get(3),
                    knowledge_version: r.get(4),
                    score: r.get(5),
                    count: r.get(6),
                });
            }
            for r in tx.query(
                "SELECT day, entry, knowledge_version, helpful, count
                 FROM feedback ORDER BY day, entry, knowledge_version, helpful",
                &[],
            )? {
                out.push(RecordRow::Feedback {
                    day: r.get(0),
                    entry: r.get(1),
                    knowledge_version: r.get(2),
                    helpful: r.get(3),
                    count: r.get(4),
                });
            }
            for r in tx.query(
                "SELECT day, outcome, count FROM outcomes ORDER BY day, outcome",
                &[],
            )? {
                out.push(RecordRow::Outcomes {
                    day: r.get(0),
                    outcome: r.get(1),
                    count: r.get(2),
                });
            }
            tx.commit()?;
            Ok(out)
        })
    }

    fn import_rows(&mut self, rows: &[RecordRow]) -> Result<usize, GapError> {
        self.run(|c| {
            let mut tx = c.transaction()?;
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
                        add_gap(&mut tx, *day, outcome, &g, *count)?;
                    }
                    RecordRow::Feedback {
                        day,
                        entry,
                        knowledge_version,
                        helpful,
                        count,
                    } => {
                        add_feedback(&mut tx, *day, entry, knowledge_version, *helpful, *count)?;
                    }
                    RecordRow::Outcomes {
                        day,
                        outcome,
                        count,
                    } => {
                        tx.execute(
                            "INSERT INTO outcomes (day, outcome, count) VALUES ($1, $2, $3)
                             ON CONFLICT (day, outcome)
                             DO UPDATE SET count = outcomes.count + EXCLUDED.count",
                            &[day, outcome, count],
                        )?;
                    }
                }
            }
            tx.commit()?;
            Ok(rows.len())
        })
    }
}
