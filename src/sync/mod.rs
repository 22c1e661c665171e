//! Knowledge edits shared by every bot process through PostgreSQL
//! (`knowledge.share = true`).
//!
//! Each process serves its own copy of the knowledge directory. When a
//! moderator teaches, declines or reloads on one process, the files that
//! changed are published, whole, to the table [`TABLE`] (one row per file:
//! id, path relative to the knowledge directory, full new text, the knowledge
//! version after the edit, time) with a `NOTIFY` on [`CHANNEL`], in the same
//! step as the local atomic write: the rows are committed first, then the
//! files are written; a publication that fails refuses the edit and nothing is
//! written anywhere.
//!
//! Every process runs a [`ShareTask`]: a thread with a connection of its own
//! that `LISTEN`s on [`CHANNEL`] and also looks at the table every
//! `knowledge.share_poll_seconds` (a fallback for a notification missed while
//! reconnecting), reconnecting by itself (0.25 s doubling to 10 s). For each
//! edit newer than the last it looked at, it checks the edit against its own
//! copy ([`teach::check_files`]: a scratch copy with the files written,
//! [`crate::knowledge::load`], and the phrasing self-test
//! [`crate::Engine::self_test`]), then writes the files atomically and reloads
//! the [`LiveEngine`]. An edit that fails the check is logged and skipped: it
//! is never written nor served, and the process keeps the last good knowledge.
//!
//! Conflicts: edits are serialized across processes by the transaction
//! advisory lock [`EDIT_LOCK`]; a teach or decline first applies every edit
//! published before it, so two moderators teaching on two processes at once
//! both land. A `/kb reload` publishes the files that changed on that
//! process's disk as they are, without merging: for one file, the last
//! publication wins everywhere. Deleting a file is not shared.
//!
//! Rows older than [`KEEP_DAYS`] days are deleted when an edit is published,
//! except the newest row of each file, so a process started later still gets
//! every file's latest text.

use crate::knowledge::Problem;
use crate::live::{LiveEngine, Reloaded};
use crate::settings::MatchingSettings;
use crate::teach::{self, lock::EditLock, Publication, Request, Taught, TeachError};
use postgres::fallible_iterator::FallibleIterator;
use postgres::{Client, Config, GenericClient, NoTls};
use std::collections::{BTreeMap, HashMap};
use std::path::{Component, Path, PathBuf};
use std::str::FromStr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant, SystemTime};

/// The table of published edits.
pub const TABLE: &str = "knowledge_edits";
/// The `NOTIFY` channel; the payload is the id of the last row of an edit.
pub const CHANNEL: &str = "mnbot_knowledge_edits";
/// The transaction advisory lock every publisher holds while it publishes
/// (and, for a teach, while it catches up and validates), so edits are
/// numbered in the order they commit.
pub const EDIT_LOCK: i64 = 0x6d6e_626f_7403; // "mnbot" 3
/// The transaction advisory lock under which the table is created.
const SCHEMA_LOCK: i64 = 0x6d6e_626f_7404;
/// Rows older than this many days are deleted, except each file's newest.
pub const KEEP_DAYS: i64 = 30;
/// How long connecting may take when the URL does not say.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
/// How long one statement (or a wait for [`EDIT_LOCK`]) may take.
const STATEMENT_TIMEOUT: Duration = Duration::from_secs(10);
/// The first pause before reconnecting, doubled after each failed attempt…
pub const RETRY_MIN: Duration = Duration::from_millis(250);
/// … up to this.
pub const RETRY_MAX: Duration = Duration::from_secs(10);
/// Rows read at once.
const BATCH: i64 = 200;
/// At most this many batches per look (a bound, not a limit in practice).
const MAX_BATCHES: usize = 10_000;
/// How often the listening thread checks whether it should stop.
const TICK: Duration = Duration::from_millis(250);
/// How often the listening connection is checked with a round trip.
const LIVENESS: Duration = Duration::from_secs(3);

/// Why sharing failed.
#[derive(Debug, thiserror::Error)]
pub enum ShareError {
    /// The URL is not a usable PostgreSQL URL.
    #[error("invalid knowledge.share_url / recording.url: {0}")]
    Url(String),
    /// Connecting failed (the password is never shown).
    #[error("cannot connect to the shared knowledge at {target}: {source}")]
    Connect {
        target: String,
        #[source]
        source: postgres::Error,
    },
    /// A statement failed.
    #[error("shared knowledge: {0}")]
    Postgres(#[from] postgres::Error),
    /// The local files could not be read or written.
    #[error("{0}")]
    Local(String),
}

impl ShareError {
    /// Whether the connection is unusable (to be made again).
    fn connection_lost(&self) -> bool {
        match self {
            ShareError::Connect { .. } => true,
            ShareError::Postgres(e) => e.is_closed() || e.as_db_error().is_none(),
            _ => false,
        }
    }
}

/// What `/kb stats` and the metrics show about sharing.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ShareStatus {
    /// `postgres://user@host:port/db`, no password.
    pub target: String,
    /// Whether the listening connection is up.
    pub connected: bool,
    /// The id of the last published row this process has looked at.
    pub last_seen: i64,
    /// Edits received and applied (written and reloaded) since start.
    pub applied: u64,
    /// Edits received that failed the check and were skipped.
    pub skipped: u64,
    /// Edits this process published.
    pub published: u64,
    /// The last edit applied: its last row's id and when.
    pub last_applied: Option<(i64, SystemTime)>,
    /// The last edit skipped: its last row's id and why (the problems).
    pub last_skipped: Option<(i64, String)>,
}

/// One published row.
#[derive(Debug, Clone)]
struct Row {
    id: i64,
    path: String,
    content: String,
    version: String,
}

/// Consecutive rows with the same version: the files of one edit.
#[derive(Debug, Clone)]
struct Group {
    /// The last row's id.
    id: i64,
    version: String,
    /// Path → text (a later row of the same path wins).
    files: BTreeMap<String, String>,
}

fn groups(rows: &[Row]) -> Vec<Group> {
    let mut out: Vec<Group> = Vec::new();
    for r in rows {
        match out.last_mut() {
            Some(g) if g.version == r.version => {
                g.id = r.id;
                g.files.insert(r.path.clone(), r.content.clone());
            }
            _ => out.push(Group {
                id: r.id,
                version: r.version.clone(),
                files: BTreeMap::from([(r.path.clone(), r.content.clone())]),
            }),
        }
    }
    out
}

#[derive(Debug, Default)]
struct State {
    status: ShareStatus,
    /// The text of each knowledge file as last published or applied (at
    /// start: as on disk): what a `/kb reload` compares the disk with.
    baseline: HashMap<String, String>,
}

/// Sharing knowledge edits for one knowledge directory (see the module).
pub struct KnowledgeShare {
    config: Config,
    target: String,
    dir: PathBuf,
    matching: MatchingSettings,
    poll: Duration,
    state: Mutex<State>,
    /// One look at the table (and one teach) at a time in this process.
    syncing: Mutex<()>,
}

impl std::fmt::Debug for KnowledgeShare {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("KnowledgeShare")
            .field("target", &self.target)
            .field("dir", &self.dir)
            .finish()
    }
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// A PostgreSQL client configuration for `url`, with the timeouts set.
fn parse(url: &str) -> Result<Config, ShareError> {
    let url = url.trim();
    if !(url.starts_with("postgres://") || url.starts_with("postgresql://")) {
        return Err(ShareError::Url(
            "it must start with postgres:// or postgresql://".into(),
        ));
    }
    let mut c = Config::from_str(url).map_err(|e| ShareError::Url(e.to_string()))?;
    if c.get_connect_timeout().is_none() {
        c.connect_timeout(CONNECT_TIMEOUT);
    }
    c.tcp_user_timeout(STATEMENT_TIMEOUT);
    c.keepalives(true);
    c.keepalives_idle(Duration::from_secs(30));
    c.application_name("microneedling-bot knowledge");
    Ok(c)
}

/// `rel` as a path inside the knowledge directory, if it is a plain relative
/// path of normal names (no `..`, no root, no dot-file, no backslash).
pub fn safe_path(rel: &str) -> Option<PathBuf> {
    if rel.is_empty() || rel.len() > 255 || rel.contains(['\\', '\0']) {
        return None;
    }
    let path = Path::new(rel);
    let mut parts = 0;
    for c in path.components() {
        match c {
            Component::Normal(name) => {
                let name = name.to_str()?;
                if name.starts_with('.') || name.ends_with('~') || name.ends_with(".swp") {
                    return None;
                }
                parts += 1;
            }
            _ => return None,
        }
    }
    (parts > 0).then(|| path.to_path_buf())
}

/// Every text file of the knowledge directory (no dot-files or editor
/// droppings), by `/`-separated relative path.
pub fn read_files(dir: &Path) -> HashMap<String, String> {
    fn walk(root: &Path, dir: &Path, out: &mut HashMap<String, String>, depth: usize) {
        if depth > 16 {
            return;
        }
        for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if name.starts_with('.') || name.ends_with('~') || name.ends_with(".swp") {
                continue;
            }
            let path = entry.path();
            match entry.file_type() {
                Ok(t) if t.is_dir() => walk(root, &path, out, depth + 1),
                Ok(t) if t.is_file() => {
                    let Ok(rel) = path.strip_prefix(root) else {
                        continue;
                    };
                    let rel: Vec<String> = rel
                        .components()
                        .map(|c| c.as_os_str().to_string_lossy().into_owned())
                        .collect();
                    if let Ok(text) = std::fs::read_to_string(&path) {
                        out.insert(rel.join("/"), text);
                    }
                }
                _ => {}
            }
        }
    }
    let mut out = HashMap::new();
    walk(dir, dir, &mut out, 0);
    out
}

fn problems_text(problems: &[Problem]) -> String {
    problems
        .iter()
        .map(|p| format!("  {p}"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Creates the table (once, under [`SCHEMA_LOCK`]).
fn ensure_table(client: &mut Client) -> Result<(), postgres::Error> {
    let mut tx = client.transaction()?;
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&SCHEMA_LOCK])?;
    tx.batch_execute(&format!(
        "CREATE TABLE IF NOT EXISTS {TABLE} (
            id BIGSERIAL PRIMARY KEY,
            path TEXT NOT NULL,
            content TEXT NOT NULL,
            version TEXT NOT NULL,
            edited_at TIMESTAMPTZ NOT NULL DEFAULT now()
        );
        CREATE INDEX IF NOT EXISTS {TABLE}_path ON {TABLE} (path, id);"
    ))?;
    tx.commit()
}

/// Inserts the rows of one edit, notifies, and deletes old rows; the caller
/// holds [`EDIT_LOCK`] in `tx` and commits. Returns the last row's id.
fn insert(
    tx: &mut impl GenericClient,
    files: &[(String, String)],
    version: &str,
) -> Result<i64, postgres::Error> {
    let mut last = 0;
    for (path, content) in files {
        last = tx
            .query_one(
                &format!(
                    "INSERT INTO {TABLE} (path, content, version) VALUES ($1, $2, $3) RETURNING id"
                ),
                &[path, content, &version],
            )?
            .get(0);
    }
    tx.execute("SELECT pg_notify($1, $2)", &[&CHANNEL, &last.to_string()])?;
    tx.execute(
        &format!(
            "DELETE FROM {TABLE} e WHERE e.edited_at < now() - make_interval(days => $1)
             AND e.id < (SELECT max(l.id) FROM {TABLE} l WHERE l.path = e.path)"
        ),
        &[&(KEEP_DAYS as i32)],
    )?;
    Ok(last)
}

impl KnowledgeShare {
    /// Sharing for the knowledge in `dir` through the database at `url`
    /// (checked here, connected on use). What is on disk now is the
    /// baseline a `/kb reload` compares with.
    pub fn new(
        url: &str,
        dir: impl Into<PathBuf>,
        matching: MatchingSettings,
        poll: Duration,
    ) -> Result<KnowledgeShare, ShareError> {
        let config = parse(url)?;
        let dir = dir.into();
        let target = crate::gaps::postgres::describe_url(url);
        let baseline = read_files(&dir);
        Ok(KnowledgeShare {
            config,
            state: Mutex::new(State {
                status: ShareStatus {
                    target: target.clone(),
                    ..ShareStatus::default()
                },
                baseline,
            }),
            target,
            dir,
            matching,
            poll: poll.max(Duration::from_millis(100)),
            syncing: Mutex::new(()),
        })
    }

    /// The knowledge directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Where edits are shared, for logs (no password).
    pub fn target(&self) -> &str {
        &self.target
    }

    /// Counters for `/kb stats` and the metrics.
    pub fn status(&self) -> ShareStatus {
        lock(&self.state).status.clone()
    }

    /// A new connection, the table created if needed.
    pub fn connect(&self) -> Result<Client, ShareError> {
        let mut client = self
            .config
            .connect(NoTls)
            .map_err(|source| ShareError::Connect {
                target: self.target.clone(),
                source,
            })?;
        client.batch_execute(&format!(
            "SET statement_timeout = {ms}; SET lock_timeout = {ms}",
            ms = STATEMENT_TIMEOUT.as_millis()
        ))?;
        ensure_table(&mut client)?;
        Ok(client)
    }

    /// Looks at the edits published since the last look and applies the
    /// good ones (see the module). Returns how many edits were written here
    /// (the caller reloads the knowledge when it is not 0). Blocking.
    pub fn sync(&self, client: &mut impl GenericClient) -> Result<usize, ShareError> {
        let _one = lock(&self.syncing);
        self.sync_locked(client)
    }

    fn sync_locked(&self, client: &mut impl GenericClient) -> Result<usize, ShareError> {
        let mut rows = Vec::new();
        let mut after = lock(&self.state).status.last_seen;
        for _ in 0..MAX_BATCHES {
            let batch = client.query(
                &format!(
                    "SELECT id, path, content, version FROM {TABLE} WHERE id > $1 ORDER BY id LIMIT $2"
                ),
                &[&after, &BATCH],
            )?;
            let n = batch.len();
            for r in batch {
                rows.push(Row {
                    id: r.get(0),
                    path: r.get(1),
                    content: r.get(2),
                    version: r.get(3),
                });
            }
            after = rows.last().map_or(after, |r| r.id);
            if n < BATCH as usize {
                break;
            }
        }
        if rows.is_empty() {
            return Ok(0);
        }
        let groups = groups(&rows);
        // Catching up on several edits: all at once when the end result is good.
        if groups.len() > 1 {
            let mut all = Group {
                id: after,
                version: groups.last().map(|g| g.version.clone()).unwrap_or_default(),
                files: BTreeMap::new(),
            };
            for g in &groups {
                all.files.extend(g.files.clone());
            }
            if let Ok(written) = self.apply(&all, false) {
                return Ok(usize::from(written));
            }
        }
        let mut written = 0;
        for g in &groups {
            written += usize::from(self.apply(g, true)?);
        }
        Ok(written)
    }

    /// Checks and writes one edit. `Ok(true)`: written; `Ok(false)`: nothing
    /// to write, or (with `skip_bad`) skipped for its problems. `Err`: not
    /// looked at (the lock or the disk failed; tried again at the next look),
    /// or problems without `skip_bad`.
    fn apply(&self, g: &Group, skip_bad: bool) -> Result<bool, ShareError> {
        let unsafe_path = g.files.keys().find(|p| safe_path(p).is_none());
        let problems = unsafe_path.map(|p| {
            vec![Problem {
                file: self.dir.clone(),
                line: 0,
                column: 0,
                message: format!(
                    "the path {p:?} is not a plain path inside the knowledge directory"
                ),
            }]
        });
        let _edit = EditLock::acquire(&self.dir).map_err(|e| ShareError::Local(e.to_string()))?;
        let changed: Vec<(String, String)> = if problems.is_some() {
            Vec::new()
        } else {
            g.files
                .iter()
                .filter(|(p, text)| {
                    std::fs::read_to_string(self.dir.join(p)).ok().as_ref() != Some(*text)
                })
                .map(|(p, t)| (p.clone(), t.clone()))
                .collect()
        };
        if problems.is_none() && changed.is_empty() {
            let mut s = lock(&self.state);
            s.status.last_seen = s.status.last_seen.max(g.id);
            s.baseline.extend(g.files.clone());
            return Ok(false);
        }
        let checked = match problems {
            Some(p) => Err(p),
            None => teach::check_files(&self.dir, self.matching, &changed),
        };
        let engine = match checked {
            Ok(engine) => engine,
            Err(problems) => {
                if !skip_bad {
                    return Err(ShareError::Local("the edits together have problems".into()));
                }
                let text = problems_text(&problems);
                tracing::warn!(
                    edit = g.id,
                    version = %g.version,
                    files = ?g.files.keys().collect::<Vec<_>>(),
                    problems = problems.len(),
                    "a shared knowledge edit has problems here: skipped, not written, not served; still serving the previous knowledge:\n{text}"
                );
                let mut s = lock(&self.state);
                s.status.last_seen = s.status.last_seen.max(g.id);
                s.status.skipped += 1;
                s.status.last_skipped = Some((g.id, text));
                return Ok(false);
            }
        };
        for (rel, text) in &changed {
            let path = self.dir.join(rel);
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent).map_err(|e| {
                    ShareError::Local(format!("cannot create {}: {e}", parent.display()))
                })?;
            }
            teach::write_atomically(&path, text).map_err(|e| ShareError::Local(e.to_string()))?;
        }
        let version = engine.knowledge().version.clone();
        if version != g.version {
            tracing::warn!(
                edit = g.id,
                published = %g.version,
                here = %version,
                "a shared knowledge edit gives another version here than where it was made: the other knowledge files differ"
            );
        }
        tracing::info!(
            edit = g.id,
            version = %version,
            files = ?changed.iter().map(|(p, _)| p.as_str()).collect::<Vec<_>>(),
            "a shared knowledge edit was checked and written"
        );
        let mut s = lock(&self.state);
        s.status.last_seen = s.status.last_seen.max(g.id);
        s.status.applied += 1;
        s.status.last_applied = Some((g.id, SystemTime::now()));
        s.baseline.extend(g.files.clone());
        Ok(true)
    }

    /// Teaches (or declines) through [`teach::apply_with`], shared: under
    /// [`EDIT_LOCK`], every edit published before is applied first, then the
    /// edit is validated, published (committed) and written. The caller
    /// reloads the knowledge served. Blocking.
    pub fn teach(&self, request: &Request) -> Result<Taught, TeachError> {
        let publish_error = |e: &dyn std::fmt::Display| TeachError::Publish(e.to_string());
        let mut client = self.connect().map_err(|e| publish_error(&e))?;
        let _one = lock(&self.syncing);
        let mut tx = client.transaction().map_err(|e| publish_error(&e))?;
        tx.execute("SELECT pg_advisory_xact_lock($1)", &[&EDIT_LOCK])
            .map_err(|e| publish_error(&e))?;
        self.sync_locked(&mut tx).map_err(|e| publish_error(&e))?;
        let mut tx = Some(tx);
        let mut published: Option<(i64, Vec<(String, String)>)> = None;
        let taught =
            teach::apply_with(&self.dir, self.matching, request, &mut |p: &Publication| {
                let mut t = tx.take().ok_or("published twice")?;
                let id = insert(&mut t, &p.files, &p.version).map_err(|e| e.to_string())?;
                t.commit().map_err(|e| e.to_string())?;
                published = Some((id, p.files.clone()));
                Ok(())
            })?;
        if let Some((id, files)) = published {
            let mut s = lock(&self.state);
            s.status.published += 1;
            tracing::info!(edit = id, version = %taught.engine.knowledge().version, "knowledge edit published to the other processes");
            s.baseline.extend(files);
        }
        Ok(taught)
    }

    /// The knowledge files on disk that differ from what was last published
    /// or applied here (hand edits), sorted by path.
    fn local_changes(&self) -> Vec<(String, String)> {
        let now = read_files(&self.dir);
        let s = lock(&self.state);
        let mut c: Vec<(String, String)> = now
            .into_iter()
            .filter(|(p, text)| s.baseline.get(p) != Some(text))
            .collect();
        c.sort();
        c
    }

    /// Checks the files changed on disk (see [`KnowledgeShare::publish_changes`])
    /// as every other process will check them once published: against the
    /// knowledge as last shared, they must load and break no phrasing
    /// ([`teach::check_files`]). Returns how many files changed, or every
    /// problem (files named in the knowledge directory). Blocking.
    pub fn check_changes(&self) -> Result<usize, Vec<Problem>> {
        let _one = lock(&self.syncing);
        let changed = self.local_changes();
        if changed.is_empty() {
            return Ok(0);
        }
        // The knowledge as last shared: the files on disk, the changed ones as they were.
        let before = ScratchDir::new().map_err(|e| {
            vec![Problem {
                file: self.dir.clone(),
                line: 0,
                column: 0,
                message: format!("cannot make a scratch copy: {e}"),
            }]
        })?;
        let baseline = lock(&self.state).baseline.clone();
        let changed_paths: Vec<&str> = changed.iter().map(|(p, _)| p.as_str()).collect();
        for (rel, text) in read_files(&self.dir) {
            let text = if changed_paths.contains(&rel.as_str()) {
                match baseline.get(&rel) {
                    Some(old) => old.clone(),
                    // A new file: absent before.
                    None => continue,
                }
            } else {
                text
            };
            let path = before.0.join(&rel);
            let written = path
                .parent()
                .map_or(Ok(()), std::fs::create_dir_all)
                .and_then(|()| std::fs::write(&path, text));
            if let Err(e) = written {
                return Err(vec![Problem {
                    file: self.dir.join(&rel),
                    line: 0,
                    column: 0,
                    message: format!("cannot make a scratch copy: {e}"),
                }]);
            }
        }
        teach::check_files(&before.0, self.matching, &changed)
            .map(|_| changed.len())
            .map_err(|problems| {
                problems
                    .into_iter()
                    .map(|mut p| {
                        if let Ok(rel) = p.file.strip_prefix(&before.0) {
                            p.file = self.dir.join(rel);
                        }
                        p
                    })
                    .collect()
            })
    }

    /// Publishes the knowledge files that differ from what was last
    /// published or applied here (a moderator's `/kb reload` after editing
    /// files by hand), with `version`, the version now served. Returns how
    /// many files were published (0: nothing changed). Blocking.
    pub fn publish_changes(&self, version: &str) -> Result<usize, ShareError> {
        let _one = lock(&self.syncing);
        let changed = self.local_changes();
        if changed.is_empty() {
            return Ok(0);
        }
        let mut client = self.connect()?;
        let mut tx = client.transaction()?;
        tx.execute("SELECT pg_advisory_xact_lock($1)", &[&EDIT_LOCK])?;
        let id = insert(&mut tx, &changed, version)?;
        tx.commit()?;
        tracing::info!(
            edit = id,
            version = %version,
            files = ?changed.iter().map(|(p, _)| p.as_str()).collect::<Vec<_>>(),
            "knowledge files changed here were published to the other processes"
        );
        let n = changed.len();
        let mut s = lock(&self.state);
        s.status.published += 1;
        s.baseline.extend(changed);
        Ok(n)
    }

    /// Looks at the table once, now (start-up), and reloads `live` when an
    /// edit was written. Blocking; must be called within a Tokio runtime's
    /// reach (a `spawn_blocking` thread).
    pub fn catch_up(
        &self,
        live: &LiveEngine,
        rt: &tokio::runtime::Handle,
    ) -> Result<usize, ShareError> {
        let mut client = self.connect()?;
        let n = self.sync(&mut client)?;
        if n > 0 {
            log_reload(rt.block_on(live.reload()), "start-up");
        }
        Ok(n)
    }

    /// Starts the listening thread (see the module): it applies edits to
    /// this directory and reloads `live`. Stops when the task is dropped.
    pub fn spawn(self: &Arc<Self>, live: Arc<LiveEngine>) -> std::io::Result<ShareTask> {
        let stop = Arc::new(AtomicBool::new(false));
        let rt = tokio::runtime::Handle::current();
        let share = Arc::clone(self);
        let flag = Arc::clone(&stop);
        std::thread::Builder::new()
            .name("knowledge-share".into())
            .spawn(move || share.listen(&live, &rt, &flag))?;
        tracing::info!(target_db = %self.target, poll_seconds = self.poll.as_secs_f64(), "sharing knowledge edits through PostgreSQL");
        Ok(ShareTask { stop })
    }

    fn set_connected(&self, connected: bool) {
        lock(&self.state).status.connected = connected;
    }

    fn listen(&self, live: &LiveEngine, rt: &tokio::runtime::Handle, stop: &AtomicBool) {
        let mut client: Option<Client> = None;
        let mut backoff = RETRY_MIN;
        let mut retry_at = Instant::now();
        let mut failures: u64 = 0;
        let mut next_look = Instant::now();
        let mut last_check = Instant::now();
        while !stop.load(Ordering::SeqCst) {
            if client.as_ref().is_none_or(Client::is_closed) {
                client = None;
                if self.status().connected {
                    self.set_connected(false);
                    tracing::warn!(target_db = %self.target, "the shared knowledge connection was lost; reconnecting");
                }
                let now = Instant::now();
                if now < retry_at {
                    std::thread::sleep((retry_at - now).min(TICK));
                    continue;
                }
                match self.connect().and_then(|mut c| {
                    c.batch_execute(&format!("LISTEN {CHANNEL}"))?;
                    Ok(c)
                }) {
                    Ok(c) => {
                        if failures > 0 {
                            tracing::info!(target_db = %self.target, "the shared knowledge is reachable again");
                        }
                        failures = 0;
                        backoff = RETRY_MIN;
                        client = Some(c);
                        self.set_connected(true);
                        // Whatever was published while away.
                        next_look = Instant::now();
                    }
                    Err(e) => {
                        failures += 1;
                        if failures.is_power_of_two() {
                            tracing::warn!(failures, error = %e, "cannot reach the shared knowledge; serving the knowledge on disk, retrying");
                        }
                        retry_at = Instant::now() + backoff;
                        backoff = (backoff * 2).min(RETRY_MAX);
                        continue;
                    }
                }
            }
            let Some(c) = client.as_mut() else {
                continue;
            };
            let now = Instant::now();
            let mut due = now >= next_look;
            if !due {
                let wait = (next_look - now).min(TICK);
                let got = c
                    .notifications()
                    .timeout_iter(wait)
                    .next()
                    .map(|n| n.is_some());
                // A wait that ends early with nothing means the connection ended;
                // and every few seconds, a round trip finds a half-open one.
                let early = matches!(got, Ok(false)) && now.elapsed() < wait / 2;
                if early || last_check.elapsed() >= LIVENESS {
                    last_check = Instant::now();
                    if let Err(e) = c.is_valid(STATEMENT_TIMEOUT.min(Duration::from_secs(3))) {
                        tracing::debug!(error = %e, "the shared knowledge connection is gone");
                        client = None;
                        continue;
                    }
                }
                match got {
                    Ok(true) => {
                        due = true;
                        // Every pending one: one look covers them all.
                        let mut notes = c.notifications();
                        let mut pending = notes.iter();
                        for _ in 0..10_000 {
                            if !matches!(pending.next(), Ok(Some(_))) {
                                break;
                            }
                        }
                    }
                    Err(e) => {
                        tracing::debug!(error = %e, "the shared knowledge connection failed");
                        client = None;
                        continue;
                    }
                    Ok(false) => {}
                }
            }
            if !due {
                continue;
            }
            next_look = Instant::now() + self.poll;
            match self.sync(c) {
                Ok(0) => {}
                Ok(_) => log_reload(rt.block_on(live.reload()), "shared edit"),
                Err(e) => {
                    tracing::warn!(error = %e, "looking at the shared knowledge edits failed; trying again");
                    if e.connection_lost() {
                        client = None;
                    }
                }
            }
        }
        self.set_connected(false);
    }
}

fn log_reload(result: Result<Reloaded, crate::knowledge::KnowledgeError>, why: &str) {
    match result {
        Ok(Reloaded::Swapped { from, summary }) => tracing::info!(
            from = %from,
            version = %summary.version,
            entries = summary.entries,
            why,
            "knowledge reloaded with a shared edit"
        ),
        Ok(Reloaded::Unchanged { version }) => {
            tracing::info!(version = %version, why, "knowledge already serving the shared edit")
        }
        Err(e) => tracing::warn!(
            problems = e.problems.len(),
            why,
            "a shared edit was written but the knowledge on disk does not reload; still serving the previous version:\n{e}"
        ),
    }
}

/// A temporary directory removed on drop.
struct ScratchDir(PathBuf);

impl ScratchDir {
    fn new() -> std::io::Result<ScratchDir> {
        static N: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
        let nanos = SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.subsec_nanos());
        let path = std::env::temp_dir().join(format!(
            "mnbot-share-{}-{}-{nanos}",
            std::process::id(),
            N.fetch_add(1, Ordering::Relaxed)
        ));
        std::fs::create_dir_all(&path)?;
        Ok(ScratchDir(path))
    }
}

impl Drop for ScratchDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// The running listener; dropping it stops the thread (within [`TICK`] once
/// a look in progress finishes).
#[derive(Debug)]
pub struct ShareTask {
    stop: Arc<AtomicBool>,
}

impl Drop for ShareTask {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_paths_inside_the_directory_are_accepted() {
        for ok in ["entries/downtime.toml", "not_covered.toml", "sources/a.txt"] {
            assert!(safe_path(ok).is_some(), "{ok}");
        }
        for bad in [
            "",
            "/etc/passwd",
            "../x.toml",
            "entries/../../x",
            "./x.toml",
            ".teach.lock",
            "entries/.x.swp",
            "x~",
            "a\\b",
        ] {
            assert!(safe_path(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn rows_of_one_edit_are_grouped_by_version() {
        let row = |id, path: &str, version: &str| Row {
            id,
            path: path.into(),
            content: format!("{id}"),
            version: version.into(),
        };
        let g = groups(&[
            row(1, "a", "v1"),
            row(2, "b", "v1"),
            row(3, "a", "v2"),
            row(4, "a", "v3"),
        ]);
        assert_eq!(g.len(), 3);
        assert_eq!((g[0].id, g[0].files.len()), (2, 2));
        assert_eq!(g[2].files["a"], "4");
    }

    #[test]
    fn the_files_read_are_the_knowledges_own() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("knowledge");
        let files = read_files(&dir);
        assert!(files.contains_key("entries/downtime.toml"));
        assert!(files.contains_key("tests.jsonl"));
        assert!(
            files.keys().all(|p| safe_path(p).is_some()),
            "{:?}",
            files.keys()
        );
    }
}
