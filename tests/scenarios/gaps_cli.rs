//! `microneedling-bot gaps` as a moderator runs it.

use crate::support::binary;
use crate::support::record::gap;
use microneedling_bot::eval::{parse_cases, Kind};
use microneedling_bot::gaps::{today, GapOutcome, GapStore, Vote};
use microneedling_bot::Status;
use std::path::Path;
use std::process::Output;

/// The binary in `dir`, a directory without config.toml: only the flags matter.
fn run(dir: &Path, args: &[&str]) -> (String, String) {
    let out: Output = binary(dir).args(args).output().expect("runs");
    let stdout = String::from_utf8_lossy(&out.stdout).to_string();
    let stderr = String::from_utf8_lossy(&out.stderr).to_string();
    assert!(out.status.success(), "{args:?}: {stdout}{stderr}");
    (stdout, stderr)
}

/// A record with two groups today and one question from last week.
fn populated(dir: &Path) -> std::path::PathBuf {
    let path = dir.join("gaps.db");
    let mut store = GapStore::open(&path).expect("open");
    let today = today();
    for q in [
        "can I use retinol after microneedling?",
        "can I use retinol after microneedling?",
        "Can I use retinol after microneedling",
    ] {
        store
            .record_gap(&gap(today, GapOutcome::NoMatch, q, Some("actives"), 0.21))
            .unwrap();
    }
    store
        .record_gap(&gap(
            today,
            GapOutcome::Clarify,
            "dermapen, or \"roller\"?",
            Some("devices"),
            0.34,
        ))
        .unwrap();
    store
        .record_gap(&gap(
            today - 7,
            GapOutcome::NoMatch,
            "an old question about lasers",
            None,
            0.05,
        ))
        .unwrap();
    store.record_outcome(Status::Answered, today).unwrap();
    store
        .record_feedback(
            &Vote {
                entry: "downtime".into(),
                helpful: true,
                knowledge_version: "v1".into(),
                question: None,
                score: None,
            },
            today,
        )
        .unwrap();
    path
}

#[test]
fn a_missing_database_is_nothing_recorded_yet() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("none/gaps.db");
    let db = db.to_str().unwrap();
    let (stdout, _) = run(dir.path(), &["gaps", "--db", db]);
    assert!(stdout.contains("nothing recorded yet"), "{stdout}");
    let (stdout, _) = run(dir.path(), &["gaps", "--db", db, "purge"]);
    assert!(stdout.contains("nothing recorded yet"), "{stdout}");
    // The default path from the settings, relative to the working directory.
    let (stdout, _) = run(dir.path(), &["gaps", "--format", "jsonl"]);
    assert!(stdout.contains("nothing recorded yet"), "{stdout}");
    assert!(!dir.path().join("none").exists());
    assert!(!dir.path().join("data").exists());
}

#[test]
fn jsonl_lists_the_groups_with_counts_most_frequent_first() {
    let dir = tempfile::tempdir().unwrap();
    let db = populated(dir.path());
    let db = db.to_str().unwrap();
    let (stdout, _) = run(dir.path(), &["gaps", "--db", db, "--format", "jsonl"]);
    let lines: Vec<serde_json::Value> = stdout
        .lines()
        .map(|l| serde_json::from_str(l).expect("json line"))
        .collect();
    assert_eq!(lines.len(), 3, "{stdout}");
    assert_eq!(
        lines[0]["question"],
        "can I use retinol after microneedling?"
    );
    assert_eq!(lines[0]["count"], 3);
    assert_eq!(lines[0]["nearest_entry"], "actives");
    assert_eq!(
        lines[0]["examples"][0],
        "Can I use retinol after microneedling"
    );
    assert_eq!(lines[0]["outcomes"]["no_match"], 3);
    assert_eq!(lines[1]["count"], 1);
    assert!(lines[1]["best_score"].as_f64().is_some());

    // --days 1 is today only: last week's question goes.
    let (stdout, _) = run(
        dir.path(),
        &["gaps", "--db", db, "--format", "jsonl", "--days", "1"],
    );
    assert_eq!(stdout.lines().count(), 2, "{stdout}");
    assert!(!stdout.contains("lasers"));
}

#[test]
fn table_and_csv_show_count_question_entry_and_score() {
    let dir = tempfile::tempdir().unwrap();
    let db = populated(dir.path());
    let db = db.to_str().unwrap();
    let (table, _) = run(dir.path(), &["gaps", "--db", db]);
    assert!(table.contains("COUNT"), "{table}");
    let first = table.lines().nth(1).unwrap_or_default();
    assert!(first.trim_start().starts_with('3'), "{table}");
    assert!(
        first.contains("retinol") && first.contains("actives") && first.contains("0.21"),
        "{table}"
    );
    // Each row says why its questions are gaps.
    assert!(
        table
            .lines()
            .next()
            .unwrap_or_default()
            .ends_with("OUTCOME"),
        "{table}"
    );
    assert!(first.ends_with("no match"), "{table}");
    let dermapen = table
        .lines()
        .find(|l| l.contains("dermapen"))
        .unwrap_or_default();
    assert!(dermapen.ends_with("clarify"), "{table}");

    let (csv, _) = run(dir.path(), &["gaps", "--db", db, "--format", "csv"]);
    let mut lines = csv.lines();
    assert_eq!(
        lines.next(),
        Some("count,question,nearest_entry,score,outcomes,examples")
    );
    assert!(
        csv.contains(r#","dermapen, or ""roller""?",devices,0.340,clarify=1,"#),
        "{csv}"
    );
}

#[test]
fn as_questions_writes_the_eval_format() {
    let dir = tempfile::tempdir().unwrap();
    let db = populated(dir.path());
    let file = dir.path().join("new-questions.jsonl");
    let (_, stderr) = run(
        dir.path(),
        &[
            "gaps",
            "--db",
            db.to_str().unwrap(),
            "--format",
            "jsonl",
            "--as-questions",
            file.to_str().unwrap(),
        ],
    );
    assert!(stderr.contains("wrote 3 question(s)"), "{stderr}");
    let text = std::fs::read_to_string(&file).unwrap();
    assert_eq!(
        text.lines().next(),
        Some(
            r#"{"id":"gap-001","q":"can I use retinol after microneedling?","kind":"answer","topic":"","expect":[],"entry":"actives"}"#
        )
    );
    let cases = parse_cases(&text).expect("the eval parser reads it");
    assert_eq!(cases.len(), 3);
    let ids: Vec<&str> = cases.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(ids, ["gap-001", "gap-002", "gap-003"]);
    assert!(cases
        .iter()
        .all(|c| c.kind == Kind::Answer && c.expect.is_empty()));
    // The nearest entry is the suggested label; a group without one has none.
    let entry = |q: &str| {
        cases
            .iter()
            .find(|c| c.q.contains(q))
            .and_then(|c| c.entry.clone())
    };
    assert_eq!(entry("retinol").as_deref(), Some("actives"));
    assert_eq!(entry("dermapen").as_deref(), Some("devices"));
    assert_eq!(entry("lasers"), None);
}

#[test]
fn purge_deletes_everything() {
    let dir = tempfile::tempdir().unwrap();
    let db = populated(dir.path());
    let (stdout, _) = run(
        dir.path(),
        &["gaps", "purge", "--yes", "--db", db.to_str().unwrap()],
    );
    assert!(stdout.contains("purged"), "{stdout}");
    assert!(
        stdout.contains("4 gap row(s), 1 feedback row(s), 1 outcome row(s)"),
        "{stdout}"
    );
    let (stdout, _) = run(
        dir.path(),
        &["gaps", "--db", db.to_str().unwrap(), "--format", "jsonl"],
    );
    assert_eq!(stdout, "");
    let store = GapStore::open_existing(&db).unwrap().unwrap();
    assert!(store.gaps(i64::MIN).unwrap().is_empty());
    assert!(store.feedback_counts().unwrap().is_empty());
    assert!(store.outcome_counts(i64::MIN).unwrap().is_empty());
    let (table, _) = run(dir.path(), &["gaps", "--db", db.to_str().unwrap()]);
    assert!(table.contains("no unanswered questions"), "{table}");
    drop(store);
    // Purged questions are overwritten, not left in free pages or the WAL.
    for suffix in ["", "-wal"] {
        let file = format!("{}{suffix}", db.display());
        if let Ok(bytes) = std::fs::read(&file) {
            let raw = String::from_utf8_lossy(&bytes);
            assert!(
                !raw.contains("retinol"),
                "{file} still holds a purged question"
            );
            assert!(
                !raw.contains("dermapen"),
                "{file} still holds a purged question"
            );
        }
    }
}
