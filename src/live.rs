//! Live knowledge: the engine being served, swapped atomically when the
//! knowledge directory changes.
//!
//! [`LiveEngine`] holds the current [`Engine`] behind an [`ArcSwap`]. A front
//! end takes [`LiveEngine::engine`] once per question and answers from that
//! `Arc` to the end, so a question in flight finishes on the knowledge it
//! started with even if a reload lands meanwhile. [`LiveEngine::reload`] loads
//! and validates the directory off the async runtime (`spawn_blocking`) and
//! swaps the new engine in only when the whole knowledge is valid: a broken
//! edit keeps the old knowledge serving and returns every problem found.
//!
//! With the `discord` feature, [`LiveEngine::watch`] adds a debounced file
//! watcher on the directory that reloads after each burst of changes. One save
//! is one reload: every reload first takes a fingerprint of the files it is
//! about to read ([`fingerprint`]), and the watcher skips a signal when the
//! files still have the fingerprint of the last reload (an editor's save in
//! several steps, events of one write split over two debounce ticks, the
//! watcher catching up with a write `/kb teach` already reloaded).
//!
//! Nothing here depends on Discord.

use crate::engine::Engine;
use crate::knowledge::{self, KnowledgeError, Problem, Summary};
use crate::settings::MatchingSettings;
use arc_swap::ArcSwap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::SystemTime;

/// The engine being served and how it got there.
#[derive(Debug)]
pub struct LiveEngine {
    dir: PathBuf,
    matching: MatchingSettings,
    current: ArcSwap<Engine>,
    stats: Mutex<ReloadStats>,
    /// Reloads run one at a time, so an older read never replaces a newer one.
    reloading: tokio::sync::Mutex<()>,
    /// The [`fingerprint`] of the files as the last load read them (`None`:
    /// unknown, the next signal reloads).
    read: Mutex<Option<u64>>,
}

/// What `/kb stats` shows about the knowledge being served.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReloadStats {
    /// The version (fingerprint) of the knowledge being served.
    pub version: String,
    /// When the knowledge being served was loaded.
    pub loaded_at: SystemTime,
    /// Successful reloads since start (including ones that found nothing changed).
    pub reloads: u64,
    /// Reloads that found a problem and kept the old knowledge.
    pub failed_reloads: u64,
    /// When the last successful reload finished.
    pub last_reload: Option<SystemTime>,
    /// The problems of the last failed reload, as shown to moderators; cleared by
    /// the next successful reload.
    pub last_error: Option<String>,
    /// When the last failed reload happened.
    pub last_error_at: Option<SystemTime>,
}

/// The result of a successful [`LiveEngine::reload`].
#[derive(Debug, Clone, PartialEq)]
pub enum Reloaded {
    /// New knowledge is being served.
    Swapped {
        /// The version served before.
        from: String,
        /// What is served now.
        summary: Summary,
    },
    /// The files are valid and identical to what is served: nothing swapped.
    Unchanged {
        /// The version served.
        version: String,
    },
}

impl LiveEngine {
    /// Loads the knowledge in `dir` (blocking) and serves it.
    pub fn load(
        dir: impl Into<PathBuf>,
        matching: MatchingSettings,
    ) -> Result<LiveEngine, KnowledgeError> {
        let dir = dir.into();
        let read = fingerprint(&dir);
        let engine = build(&dir, matching)?;
        let live = LiveEngine::from_engine(dir, engine);
        *live.lock_read() = Some(read);
        Ok(live)
    }

    /// Serves an engine already built from the knowledge in `dir` (reloads read `dir`).
    pub fn from_engine(dir: impl Into<PathBuf>, engine: Engine) -> LiveEngine {
        let matching = *engine.settings();
        let stats = ReloadStats {
            version: engine.knowledge().version.clone(),
            loaded_at: SystemTime::now(),
            reloads: 0,
            failed_reloads: 0,
            last_reload: None,
            last_error: None,
            last_error_at: None,
        };
        LiveEngine {
            dir: dir.into(),
            matching,
            current: ArcSwap::from_pointee(engine),
            stats: Mutex::new(stats),
            reloading: tokio::sync::Mutex::new(()),
            read: Mutex::new(None),
        }
    }

    /// The engine to answer one question with. Keep the `Arc` for the whole
    /// question: a reload meanwhile does not change it.
    pub fn engine(&self) -> Arc<Engine> {
        self.current.load_full()
    }

    /// The knowledge directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Counters and times for `/kb stats`.
    pub fn stats(&self) -> ReloadStats {
        self.lock_stats().clone()
    }

    /// Loads and validates the knowledge directory on a blocking thread and,
    /// if it is valid and different, swaps it in. On a problem the knowledge
    /// being served stays, and every problem is returned (and kept for
    /// [`LiveEngine::stats`]).
    ///
    /// Must be called within a Tokio runtime.
    pub async fn reload(&self) -> Result<Reloaded, KnowledgeError> {
        let one_at_a_time = self.reloading.lock().await;
        self.reload_locked(one_at_a_time).await
    }

    /// [`LiveEngine::reload`], unless the files are the ones the last reload
    /// read (`None`). Checked while holding the reload turn, so a save that a
    /// reload in progress (`/kb teach`'s) is reading is not reloaded twice.
    pub async fn reload_if_changed(&self) -> Option<Result<Reloaded, KnowledgeError>> {
        let one_at_a_time = self.reloading.lock().await;
        let read = *self.lock_read();
        if let Some(read) = read {
            let dir = self.dir.clone();
            let now = tokio::task::spawn_blocking(move || fingerprint(&dir)).await;
            if now.is_ok_and(|now| now == read) {
                return None;
            }
        }
        Some(self.reload_locked(one_at_a_time).await)
    }

    async fn reload_locked(
        &self,
        _one_at_a_time: tokio::sync::MutexGuard<'_, ()>,
    ) -> Result<Reloaded, KnowledgeError> {
        let (read, loaded) = self.load_off_runtime().await;
        *self.lock_read() = read;
        let now = SystemTime::now();
        let mut stats = self.lock_stats();
        match loaded {
            Ok(engine) => {
                let version = engine.knowledge().version.clone();
                stats.reloads += 1;
                stats.last_reload = Some(now);
                stats.last_error = None;
                if version == stats.version {
                    return Ok(Reloaded::Unchanged { version });
                }
                let summary = engine.knowledge().summary();
                let from = std::mem::replace(&mut stats.version, version);
                stats.loaded_at = now;
                self.current.store(Arc::new(engine));
                Ok(Reloaded::Swapped { from, summary })
            }
            Err(e) => {
                stats.failed_reloads += 1;
                stats.last_error = Some(e.to_string());
                stats.last_error_at = Some(now);
                Err(e)
            }
        }
    }

    /// Validates the knowledge directory as it is on disk without serving it
    /// (what `/kb check` reports). Must be called within a Tokio runtime.
    pub async fn check(&self) -> Result<Summary, KnowledgeError> {
        self.load_off_runtime()
            .await
            .1
            .map(|engine| engine.knowledge().summary())
    }

    /// The files' fingerprint taken just before reading them, and the engine.
    async fn load_off_runtime(&self) -> (Option<u64>, Result<Engine, KnowledgeError>) {
        let dir = self.dir.clone();
        let matching = self.matching;
        let loaded = tokio::task::spawn_blocking(move || {
            let read = fingerprint(&dir);
            (read, build(&dir, matching))
        })
        .await;
        match loaded {
            Ok((read, result)) => (Some(read), result),
            Err(join) => (
                None,
                Err(KnowledgeError {
                    problems: vec![Problem {
                        file: self.dir.clone(),
                        line: 0,
                        column: 0,
                        message: format!("loading the knowledge failed unexpectedly: {join}"),
                    }],
                }),
            ),
        }
    }

    fn lock_read(&self) -> MutexGuard<'_, Option<u64>> {
        self.read.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn lock_stats(&self) -> MutexGuard<'_, ReloadStats> {
        self.stats.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// A fingerprint of the knowledge files: every file under `dir` (names and
/// contents, in name order) but editor droppings, dot-files, `README.md`s and
/// the regression questions (`tests.jsonl`), which the knowledge does not read.
pub fn fingerprint(dir: &Path) -> u64 {
    use std::hash::{Hash, Hasher};
    fn walk(dir: &Path, rel: &Path, out: &mut Vec<(PathBuf, Vec<u8>)>) {
        let Ok(read) = std::fs::read_dir(dir.join(rel)) else {
            return;
        };
        for entry in read.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if name.starts_with('.') || name.ends_with('~') || name.ends_with(".swp") {
                continue;
            }
            let rel = rel.join(&name);
            match entry.file_type() {
                Ok(t) if t.is_dir() => walk(dir, &rel, out),
                Ok(_) if name == "README.md" || rel == Path::new("tests.jsonl") => {}
                Ok(_) => out.push((
                    rel.clone(),
                    std::fs::read(dir.join(&rel)).unwrap_or_default(),
                )),
                Err(_) => {}
            }
        }
    }
    let mut files = Vec::new();
    walk(dir, Path::new(""), &mut files);
    files.sort();
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    files.hash(&mut hasher);
    hasher.finish()
}

fn build(dir: &Path, matching: MatchingSettings) -> Result<Engine, KnowledgeError> {
    let k = knowledge::load(dir)?;
    Ok(Engine::new(Arc::new(k), matching))
}

#[cfg(feature = "discord")]
pub use watch::KnowledgeWatcher;

#[cfg(feature = "discord")]
mod watch {
    use super::{LiveEngine, Reloaded};
    use notify::event::{AccessKind, AccessMode, ModifyKind};
    use notify::{Event, EventKind, RecommendedWatcher, RecursiveMode, Watcher};
    use std::path::Path;
    use std::sync::Arc;
    use std::time::Duration;
    use tokio::sync::mpsc;
    use tokio::task::JoinHandle;

    /// A running watcher on the knowledge directory. Dropping it stops watching.
    pub struct KnowledgeWatcher {
        _watcher: RecommendedWatcher,
        task: JoinHandle<()>,
    }

    impl std::fmt::Debug for KnowledgeWatcher {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("KnowledgeWatcher")
        }
    }

    impl Drop for KnowledgeWatcher {
        fn drop(&mut self) {
            self.task.abort();
        }
    }

    /// Editor droppings (`.file.swp`, `file~`, `.#file`) do not trigger a reload.
    pub(super) fn is_relevant(dir: &Path, path: &Path) -> bool {
        let rel = path.strip_prefix(dir).unwrap_or(path);
        !rel.components().any(|c| {
            let name = c.as_os_str().to_string_lossy();
            name.starts_with('.') || name.ends_with('~') || name.ends_with(".swp")
        })
    }

    /// Whether an event can change what a file holds. Opening and reading a
    /// file are events too (inotify reports them): every reload reads every
    /// file, and counting those as changes made each reload trigger the next.
    pub(super) fn is_change(kind: &EventKind) -> bool {
        match kind {
            EventKind::Access(AccessKind::Close(AccessMode::Write)) => true,
            EventKind::Access(_) | EventKind::Other => false,
            // Permissions, times: not the contents.
            EventKind::Modify(ModifyKind::Metadata(_)) => false,
            EventKind::Any | EventKind::Create(_) | EventKind::Modify(_) | EventKind::Remove(_) => {
                true
            }
        }
    }

    impl LiveEngine {
        /// Watches the knowledge directory (recursively) and reloads once each
        /// burst of changes has been quiet for `debounce`, unless the files are
        /// those the last reload read. Outcomes go to the log: the new version,
        /// or every problem while the old knowledge keeps serving.
        ///
        /// Must be called within a Tokio runtime.
        pub fn watch(
            self: &Arc<Self>,
            debounce: Duration,
        ) -> Result<KnowledgeWatcher, notify::Error> {
            // One pending signal is enough: a reload reads every file anyway.
            let (tx, mut rx) = mpsc::channel::<()>(1);
            let dir = self.dir.clone();
            let watched = dir.canonicalize().unwrap_or_else(|_| dir.clone());
            let mut watcher = notify::recommended_watcher(move |result: notify::Result<Event>| {
                match result {
                    Ok(event) => {
                        if is_change(&event.kind)
                            && event
                                .paths
                                .iter()
                                .any(|p| is_relevant(&watched, p) || is_relevant(&dir, p))
                        {
                            tracing::trace!(paths = ?event.paths, kind = ?event.kind, "knowledge file changed");
                            let _ = tx.try_send(());
                        }
                    }
                    Err(e) => tracing::warn!(error = %e, "knowledge watcher error"),
                }
            })?;
            watcher.watch(&self.dir, RecursiveMode::Recursive)?;
            let live = Arc::clone(self);
            let task = tokio::spawn(async move {
                while rx.recv().await.is_some() {
                    // Debounce: wait until the burst has been quiet for `debounce`.
                    loop {
                        match tokio::time::timeout(debounce, rx.recv()).await {
                            Ok(Some(())) => continue,
                            Ok(None) => return,
                            Err(_quiet) => break,
                        }
                    }
                    // Files already read by the last reload (a save in several
                    // steps, a reload by `/kb teach`): nothing to do.
                    let Some(reloaded) = live.reload_if_changed().await else {
                        tracing::debug!(
                            "knowledge files touched, not changed since the last reload"
                        );
                        continue;
                    };
                    match reloaded {
                        Ok(Reloaded::Swapped { from, summary }) => tracing::info!(
                            from = %from,
                            version = %summary.version,
                            entries = summary.entries,
                            "knowledge changed on disk: reloaded"
                        ),
                        Ok(Reloaded::Unchanged { version }) => {
                            tracing::info!(version = %version, "knowledge files touched, unchanged")
                        }
                        Err(e) => tracing::warn!(
                            problems = e.problems.len(),
                            serving = %live.stats().version,
                            "knowledge changed on disk but has problems; still serving the previous version:\n{e}"
                        ),
                    }
                }
            });
            tracing::info!(dir = %self.dir.display(), "watching the knowledge for changes");
            Ok(KnowledgeWatcher {
                _watcher: watcher,
                task,
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(feature = "discord")]
    use std::time::Duration;

    fn shipped() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("knowledge")
    }

    fn copy_dir(from: &Path, to: &Path) {
        std::fs::create_dir_all(to).unwrap();
        for entry in std::fs::read_dir(from).unwrap() {
            let entry = entry.unwrap();
            let target = to.join(entry.file_name());
            if entry.file_type().unwrap().is_dir() {
                copy_dir(&entry.path(), &target);
            } else {
                std::fs::copy(entry.path(), &target).unwrap();
            }
        }
    }

    fn knowledge_copy() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        copy_dir(&shipped(), dir.path());
        dir
    }

    const QUESTION: &str = "how long does the redness last after microneedling?";

    /// Puts `marker` at the start of the redness entry's answer.
    fn edit_redness_answer(dir: &Path, marker: &str) {
        let path = dir.join("entries/downtime.toml");
        let text = std::fs::read_to_string(&path).unwrap();
        let at = text.find("id = \"downtime-redness\"").unwrap();
        let answer = at + text[at..].find("answer = \"\"\"\n").unwrap() + "answer = \"\"\"\n".len();
        let edited = format!("{}{marker} {}", &text[..answer], &text[answer..]);
        std::fs::write(&path, edited).unwrap();
    }

    fn break_file(dir: &Path) {
        let path = dir.join("entries/downtime.toml");
        let mut text = std::fs::read_to_string(&path).unwrap();
        text.push_str("\n[[entry]]\nid = \"unterminated\n");
        std::fs::write(&path, text).unwrap();
    }

    #[tokio::test]
    async fn a_good_edit_is_swapped_in_and_a_question_in_flight_keeps_its_engine() {
        let dir = knowledge_copy();
        let live = LiveEngine::load(dir.path(), MatchingSettings::default()).unwrap();
        let before = live.stats();
        assert_eq!(before.reloads, 0);
        let in_flight = live.engine();
        assert!(!in_flight.answer(QUESTION).answer.contains("EDITED"));

        edit_redness_answer(dir.path(), "EDITED");
        let outcome = live.reload().await.unwrap();
        match &outcome {
            Reloaded::Swapped { from, summary } => {
                assert_eq!(from, &before.version);
                assert_ne!(summary.version, before.version);
            }
            other => panic!("expected a swap, got {other:?}"),
        }
        assert!(live.engine().answer(QUESTION).answer.starts_with("EDITED"));
        // The engine taken before the reload still answers from the old knowledge.
        assert!(!in_flight.answer(QUESTION).answer.contains("EDITED"));
        let after = live.stats();
        assert_eq!(after.reloads, 1);
        assert!(after.last_reload.is_some());
        assert_ne!(after.version, before.version);

        // Reloading the same files changes nothing.
        assert!(matches!(
            live.reload().await.unwrap(),
            Reloaded::Unchanged { .. }
        ));
        assert_eq!(live.stats().reloads, 2);
    }

    #[tokio::test]
    async fn a_broken_edit_keeps_the_old_knowledge_and_reports_where() {
        let dir = knowledge_copy();
        let live = LiveEngine::load(dir.path(), MatchingSettings::default()).unwrap();
        let version = live.stats().version;
        let answer = live.engine().answer(QUESTION);

        break_file(dir.path());
        let err = live.reload().await.unwrap_err();
        assert!(!err.problems.is_empty());
        let shown = err.to_string();
        assert!(shown.contains("downtime.toml"), "{shown}");
        assert!(
            err.problems.iter().any(|p| p.line > 0),
            "a line number: {shown}"
        );

        assert_eq!(live.engine().answer(QUESTION), answer);
        let stats = live.stats();
        assert_eq!(stats.version, version);
        assert_eq!((stats.reloads, stats.failed_reloads), (0, 1));
        assert_eq!(stats.last_error.as_deref(), Some(shown.as_str()));
        assert!(stats.last_error_at.is_some());

        // check reports the same problems without touching what is served.
        let checked = live.check().await.unwrap_err();
        assert_eq!(checked.problems, err.problems);

        // Fixing the file clears the error.
        std::fs::copy(
            shipped().join("entries/downtime.toml"),
            dir.path().join("entries/downtime.toml"),
        )
        .unwrap();
        assert!(live.check().await.is_ok());
        assert!(matches!(
            live.reload().await.unwrap(),
            Reloaded::Unchanged { .. }
        ));
        assert_eq!(live.stats().last_error, None);
    }

    #[tokio::test]
    async fn a_missing_directory_fails_to_load_and_reload() {
        let dir = knowledge_copy();
        let live = LiveEngine::load(dir.path(), MatchingSettings::default()).unwrap();
        let path = dir.path().to_path_buf();
        drop(dir);
        assert!(live.reload().await.is_err());
        assert!(LiveEngine::load(&path, MatchingSettings::default()).is_err());
        assert_eq!(
            live.engine().answer(QUESTION).status,
            crate::Status::Answered
        );
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn concurrent_reloads_and_questions_never_see_half_a_knowledge() {
        let dir = knowledge_copy();
        let live = Arc::new(LiveEngine::load(dir.path(), MatchingSettings::default()).unwrap());
        edit_redness_answer(dir.path(), "EDITED");
        let readers: Vec<_> = (0..4)
            .map(|_| {
                let live = Arc::clone(&live);
                tokio::spawn(async move {
                    for _ in 0..50 {
                        let a = live.engine().answer(QUESTION);
                        assert_eq!(a.status, crate::Status::Answered);
                        assert!(a.sources.iter().any(|s| s.quote.contains("24-48 hours")));
                        tokio::task::yield_now().await;
                    }
                })
            })
            .collect();
        let reloads: Vec<_> = (0..3)
            .map(|_| {
                let live = Arc::clone(&live);
                tokio::spawn(async move { live.reload().await.map(|_| ()) })
            })
            .collect();
        for r in reloads {
            r.await.unwrap().unwrap();
        }
        for r in readers {
            r.await.unwrap();
        }
        let stats = live.stats();
        assert_eq!(stats.reloads, 3);
        assert!(live.engine().answer(QUESTION).answer.starts_with("EDITED"));
    }

    #[cfg(feature = "discord")]
    #[test]
    fn editor_droppings_are_ignored() {
        let dir = Path::new("/k");
        assert!(watch::is_relevant(
            dir,
            Path::new("/k/entries/downtime.toml")
        ));
        assert!(!watch::is_relevant(
            dir,
            Path::new("/k/entries/.downtime.toml.swp")
        ));
        assert!(!watch::is_relevant(
            dir,
            Path::new("/k/entries/downtime.toml~")
        ));
        assert!(!watch::is_relevant(dir, Path::new("/k/.git/index")));
    }

    #[cfg(feature = "discord")]
    #[test]
    fn reading_a_file_is_not_a_change() {
        use notify::event::{
            AccessKind, AccessMode, CreateKind, DataChange, MetadataKind, ModifyKind,
        };
        use notify::EventKind;
        assert!(!watch::is_change(&EventKind::Access(AccessKind::Open(
            AccessMode::Any
        ))));
        assert!(!watch::is_change(&EventKind::Access(AccessKind::Close(
            AccessMode::Read
        ))));
        assert!(!watch::is_change(&EventKind::Modify(ModifyKind::Metadata(
            MetadataKind::AccessTime
        ))));
        assert!(watch::is_change(&EventKind::Access(AccessKind::Close(
            AccessMode::Write
        ))));
        assert!(watch::is_change(&EventKind::Modify(ModifyKind::Data(
            DataChange::Any
        ))));
        assert!(watch::is_change(&EventKind::Create(CreateKind::File)));
    }

    #[cfg(feature = "discord")]
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn the_watcher_reloads_good_edits_and_keeps_serving_through_broken_ones() {
        let dir = knowledge_copy();
        let live = Arc::new(LiveEngine::load(dir.path(), MatchingSettings::default()).unwrap());
        let _watcher = live.watch(Duration::from_millis(100)).unwrap();

        async fn until(live: &LiveEngine, what: impl Fn(&ReloadStats) -> bool) -> ReloadStats {
            for _ in 0..100 {
                let s = live.stats();
                if what(&s) {
                    return s;
                }
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
            panic!("timed out waiting; stats {:?}", live.stats());
        }

        break_file(dir.path());
        let s = until(&live, |s| s.failed_reloads >= 1).await;
        assert!(s.last_error.unwrap().contains("downtime.toml"));
        assert!(!live.engine().answer(QUESTION).answer.contains("EDITED"));

        std::fs::copy(
            shipped().join("entries/downtime.toml"),
            dir.path().join("entries/downtime.toml"),
        )
        .unwrap();
        edit_redness_answer(dir.path(), "EDITED");
        until(&live, |s| s.last_error.is_none() && s.reloads >= 1).await;
        for _ in 0..100 {
            if live.engine().answer(QUESTION).answer.starts_with("EDITED") {
                return;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("the good edit never took effect: {:?}", live.stats());
    }
}
