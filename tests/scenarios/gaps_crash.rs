//! A writer killed with SIGKILL at any moment loses no acknowledged row and
//! leaves a file that opens cleanly.
//!
//! The child is the real binary in its hidden, env-gated test mode
//! (`gaps test-writer`): it writes rows, one committed transaction each, and
//! prints `ack <kind> <n>` after each commit. The test kills it mid-stream
//! after a bounded number of acknowledgements (or a bounded time), reopens the
//! file and checks every acknowledged row. Unix only (`#[cfg(unix)]` in `main.rs`).

use crate::support::binary;
use microneedling_bot::gaps::GapStore;
use std::io::{BufRead, BufReader};
use std::os::unix::process::ExitStatusExt;
use std::path::Path;
use std::process::Stdio;
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// Rounds of start, write, kill, check on the same file.
const KILLS_AFTER: [usize; 4] = [40, 157, 301, 3];
/// How long one round may take at most.
const ROUND_TIME: Duration = Duration::from_secs(60);
/// Rows the child would write if never killed: far more than a round needs.
const CHILD_ROWS: u64 = 100_000;

/// The question the test writer writes for row `n` (as in `src/cli/gaps.rs`).
fn test_question(n: u64) -> String {
    let words: Vec<String> = n.to_string().chars().map(|d| format!("d{d}")).collect();
    format!("crash test question {}", words.join(" "))
}

#[derive(Default, Debug)]
struct Acked {
    gaps: Vec<u64>,
    outcomes: u64,
    feedback: u64,
    last: Option<u64>,
}

impl Acked {
    fn total(&self) -> usize {
        self.gaps.len() + self.outcomes as usize + self.feedback as usize
    }

    fn take(&mut self, line: &str) {
        let mut parts = line.split_whitespace();
        assert_eq!(parts.next(), Some("ack"), "unexpected line {line:?}");
        let kind = parts.next().unwrap_or_default().to_string();
        let n: u64 = parts
            .next()
            .and_then(|n| n.parse().ok())
            .unwrap_or_else(|| panic!("unexpected line {line:?}"));
        match kind.as_str() {
            "gap" => self.gaps.push(n),
            "outcome" => self.outcomes += 1,
            "feedback" => self.feedback += 1,
            _ => panic!("unexpected line {line:?}"),
        }
        self.last = Some(n);
    }
}

/// Runs the child from row `start`, kills it after `kill_after` acks, and
/// returns every ack it printed (including any read after the kill).
fn run_and_kill(db: &Path, start: u64, kill_after: usize) -> Acked {
    let mut child = binary(db.parent().expect("parent"))
        .env("MICRONEEDLING_BOT_GAPS_TEST_WRITER", "1")
        .arg("gaps")
        .arg("--db")
        .arg(db)
        .args(["test-writer", "--start", &start.to_string()])
        .args(["--count", &CHILD_ROWS.to_string()])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn the writer");
    let stdout = child.stdout.take().expect("stdout");
    let (lines, incoming) = mpsc::channel();
    let reader = std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if lines.send(line).is_err() {
                break;
            }
        }
    });

    let deadline = Instant::now() + ROUND_TIME;
    let mut acked = Acked::default();
    while acked.total() < kill_after {
        let left = deadline.saturating_duration_since(Instant::now());
        match incoming.recv_timeout(left) {
            Ok(line) => acked.take(&line),
            Err(_) => break,
        }
    }
    child.kill().expect("SIGKILL");
    let status = child.wait().expect("wait");
    let mut stderr = String::new();
    if let Some(mut e) = child.stderr.take() {
        use std::io::Read;
        let _ = e.read_to_string(&mut stderr);
    }
    assert!(
        acked.total() >= kill_after,
        "only {} acks in {ROUND_TIME:?}; stderr: {stderr}",
        acked.total()
    );
    assert_eq!(
        status.signal(),
        Some(9),
        "the writer must die by SIGKILL mid-stream, not exit ({status:?}); stderr: {stderr}"
    );
    // Acks already in the pipe were committed too: count them.
    let drain_deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let left = drain_deadline.saturating_duration_since(Instant::now());
        match incoming.recv_timeout(left) {
            Ok(line) => acked.take(&line),
            Err(_) => break,
        }
    }
    reader.join().expect("reader");
    acked
}

#[test]
fn kill_9_loses_no_acknowledged_row_and_never_corrupts_the_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("gaps.db");
    let mut all = Acked::default();
    let mut start = 0;
    for kill_after in KILLS_AFTER {
        let acked = run_and_kill(&db, start, kill_after);
        // The next round starts past anything this one may have written.
        start = acked.last.map_or(start, |n| n + 1) + 10;
        all.gaps.extend(&acked.gaps);
        all.outcomes += acked.outcomes;
        all.feedback += acked.feedback;

        // Opens cleanly, passes the integrity check, holds every acked row.
        let raw = rusqlite::Connection::open(&db).expect("reopen raw");
        let check: String = raw
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))
            .expect("integrity_check");
        assert_eq!(check, "ok");
        drop(raw);
        let store = GapStore::open(&db).expect("reopen");
        assert_eq!(store.integrity_check().expect("check"), "ok");
        for &n in &all.gaps {
            assert_eq!(
                store.gap_count(&test_question(n)).expect("count"),
                1,
                "acknowledged gap row {n} is missing"
            );
        }
        // At most one row past the last ack can be committed but unacked.
        let outcomes: u64 = store
            .outcome_counts(i64::MIN)
            .expect("outcomes")
            .iter()
            .map(|c| c.count)
            .sum();
        assert!(
            (all.outcomes..=all.outcomes + KILLS_AFTER.len() as u64).contains(&outcomes),
            "{outcomes} outcome rows for {} acked",
            all.outcomes
        );
        let up: u64 = store
            .feedback_counts()
            .expect("feedback")
            .iter()
            .map(|c| c.up)
            .sum();
        assert!(
            (all.feedback..=all.feedback + KILLS_AFTER.len() as u64).contains(&up),
            "{up} votes for {} acked",
            all.feedback
        );
    }
    assert!(all.total() >= KILLS_AFTER.iter().sum::<usize>());
}

#[test]
fn the_test_writer_refuses_to_run_without_its_environment_variable() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("gaps.db");
    let out = binary(dir.path())
        .env_remove("MICRONEEDLING_BOT_GAPS_TEST_WRITER")
        .arg("gaps")
        .arg("--db")
        .arg(&db)
        .args(["test-writer", "--count", "3"])
        .output()
        .expect("runs");
    assert!(!out.status.success());
    assert!(!db.exists());
}
