//! One knowledge edit at a time, across processes (the CLI, the bot) and
//! within one (two `/kb teach` at once).
//!
//! The lock is a file, `.teach.lock` in the knowledge directory, created
//! exclusively (`O_EXCL`): whoever creates it holds the lock and removes it
//! when done. Its name starts with a dot, so the knowledge watcher ignores it.
//! A lock left by a process that died is taken over once it is older than
//! [`STALE`]; an edit (load, validate, write) takes a few seconds at most.

use std::fs::OpenOptions;
use std::io::{ErrorKind, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant, SystemTime};

/// The lock file's name in the knowledge directory.
pub const LOCK_FILE: &str = ".teach.lock";
/// A lock older than this was left by a process that died.
pub const STALE: Duration = Duration::from_secs(120);
/// How long to wait for another edit to finish.
pub const WAIT: Duration = Duration::from_secs(60);

/// Held while editing; dropping it releases the lock.
#[derive(Debug)]
pub struct EditLock {
    path: PathBuf,
}

/// The lock could not be taken.
#[derive(Debug, thiserror::Error)]
pub enum LockError {
    #[error("another knowledge edit has held {} for over {}s; try again (or delete the file if no edit is running)", .0.display(), WAIT.as_secs())]
    Busy(PathBuf),
    #[error("cannot create the lock file {}: {}", .0.display(), .1)]
    Io(PathBuf, std::io::Error),
}

impl EditLock {
    /// Waits (up to [`WAIT`]) for the knowledge directory's edit lock.
    pub fn acquire(dir: &Path) -> Result<EditLock, LockError> {
        let path = dir.join(LOCK_FILE);
        let started = Instant::now();
        let mut pause = Duration::from_millis(5);
        loop {
            match OpenOptions::new().write(true).create_new(true).open(&path) {
                Ok(mut f) => {
                    let _ = writeln!(f, "{}", std::process::id());
                    return Ok(EditLock { path });
                }
                Err(e) if e.kind() == ErrorKind::AlreadyExists => {
                    if is_stale(&path) {
                        tracing::warn!(lock = %path.display(), "taking over a stale knowledge edit lock");
                        let _ = std::fs::remove_file(&path);
                        continue;
                    }
                    if started.elapsed() > WAIT {
                        return Err(LockError::Busy(path));
                    }
                    std::thread::sleep(pause);
                    pause = (pause * 2).min(Duration::from_millis(100));
                }
                Err(e) => return Err(LockError::Io(path, e)),
            }
        }
    }
}

fn is_stale(path: &Path) -> bool {
    std::fs::metadata(path)
        .and_then(|m| m.modified())
        .ok()
        .and_then(|t| SystemTime::now().duration_since(t).ok())
        .is_some_and(|age| age > STALE)
}

impl Drop for EditLock {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Arc;

    #[test]
    fn holders_never_overlap() {
        let dir = tempfile::tempdir().unwrap();
        let inside = Arc::new(AtomicUsize::new(0));
        let threads: Vec<_> = (0..4)
            .map(|_| {
                let dir = dir.path().to_path_buf();
                let inside = Arc::clone(&inside);
                std::thread::spawn(move || {
                    for _ in 0..10 {
                        let _l = EditLock::acquire(&dir).unwrap();
                        assert_eq!(inside.fetch_add(1, Ordering::SeqCst), 0);
                        std::thread::sleep(Duration::from_millis(1));
                        inside.fetch_sub(1, Ordering::SeqCst);
                    }
                })
            })
            .collect();
        for t in threads {
            t.join().unwrap();
        }
        assert!(!dir.path().join(LOCK_FILE).exists());
    }
}
