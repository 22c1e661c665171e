//! The gap record: retention, grouping, counts, schema, export and import.
//!
//! The record's contract is written once, over [`RecordStore`], and run here on the
//! SQLite file; `gaps_postgres` runs the same [`CONTRACT`] on PostgreSQL.

use crate::support::record::gap;
use microneedling_bot::gaps::{
    today, GapOutcome, GapStore, RecordRow, RecordStore, Vote, SCHEMA_VERSION,
};
use microneedling_bot::Status;

/// Makes a new, empty record of the backend under test.
pub type Fresh<'a> = &'a mut dyn FnMut() -> Box<dyn RecordStore>;

/// One part of the contract: given a way to make fresh records, asserts.
pub type Contract = fn(Fresh);

/// The contract every backend keeps, by name.
pub const CONTRACT: &[(&str, Contract)] = &[
    ("retention", retention_contract),
    ("purge_all", purge_all_contract),
    ("grouping", grouping_contract),
    ("since_day", since_day_contract),
    ("feedback", feedback_contract),
    ("outcome_counts", outcome_counts_contract),
    ("record_answer", record_answer_contract),
    ("schema_version", schema_version_contract),
    ("export_import", export_import_contract),
    ("long_questions", long_questions_contract),
];

/// Fresh SQLite records, each in its own temporary directory (kept until dropped).
#[derive(Default)]
pub struct SqliteFresh(Vec<tempfile::TempDir>);

impl SqliteFresh {
    pub fn make(&mut self) -> Box<dyn RecordStore> {
        let dir = tempfile::tempdir().expect("tempdir");
        let store = GapStore::open(&dir.path().join("gaps.db")).expect("open");
        self.0.push(dir);
        Box::new(store)
    }
}

fn on_sqlite(contract: Contract) {
    let mut dirs = SqliteFresh::default();
    contract(&mut || dirs.make());
}

fn vote(entry: &str, helpful: bool, question: Option<&str>) -> Vote {
    Vote {
        entry: entry.into(),
        helpful,
        knowledge_version: "v1".into(),
        question: question.map(Into::into),
        score: Some(0.7),
    }
}

fn store() -> (tempfile::TempDir, GapStore) {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = GapStore::open(&dir.path().join("nested/dir/gaps.db")).expect("open");
    (dir, store)
}

#[test]
fn open_creates_the_directory_the_schema_and_wal() {
    let (dir, store) = store();
    assert!(dir.path().join("nested/dir/gaps.db").exists());
    assert_eq!(store.schema_version().unwrap(), SCHEMA_VERSION);
    assert_eq!(store.integrity_check().unwrap(), "ok");
    drop(store);
    // Reopening an existing file keeps its schema and does not fail.
    let again = GapStore::open(&dir.path().join("nested/dir/gaps.db")).expect("reopen");
    assert_eq!(again.schema_version().unwrap(), SCHEMA_VERSION);
}

#[test]
fn open_existing_never_creates_a_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("missing/gaps.db");
    assert!(GapStore::open_existing(&path).unwrap().is_none());
    assert!(!path.exists());
    assert!(!dir.path().join("missing").exists());
}

#[test]
fn retention_purge_removes_old_rows_and_keeps_recent_ones() {
    on_sqlite(retention_contract);
}

pub fn retention_contract(fresh: Fresh) {
    let mut store = fresh();
    let today = today();
    let days = [
        today - 45,
        today - 31,
        today - 30,
        today - 29,
        today - 1,
        today,
    ];
    for &day in &days {
        store
            .record_gap(&gap(
                day,
                GapOutcome::NoMatch,
                &format!("question of day {}", today - day),
                None,
                0.1,
            ))
            .unwrap();
        store.record_outcome(Status::Answered, day).unwrap();
        store
            .record_feedback(&vote("downtime", true, None), day)
            .unwrap();
    }
    // Keep 30 days, today included: days today-29 ..= today.
    let start = microneedling_bot::gaps::retention_start(today, 30);
    assert_eq!(start, today - 29);
    let purged = store.purge_older_than(start).unwrap();
    assert_eq!(purged.gaps, 3);
    assert_eq!(purged.outcomes, 3);
    assert_eq!(purged.feedback, 3);

    let kept: Vec<i64> = store
        .outcome_counts(i64::MIN)
        .unwrap()
        .into_iter()
        .map(|c| c.day)
        .collect();
    assert_eq!(kept, vec![today - 29, today - 1, today]);
    for old in [
        "question of day 45",
        "question of day 31",
        "question of day 30",
    ] {
        assert_eq!(store.gap_count(old).unwrap(), 0, "{old}");
    }
    for recent in [
        "question of day 29",
        "question of day 1",
        "question of day 0",
    ] {
        assert_eq!(store.gap_count(recent).unwrap(), 1, "{recent}");
    }
    assert_eq!(store.feedback_counts().unwrap()[0].up, 3);
    // A second purge has nothing left to do.
    assert_eq!(store.purge_older_than(start).unwrap().total(), 0);
}

#[test]
fn purge_all_empties_every_table() {
    on_sqlite(purge_all_contract);
}

pub fn purge_all_contract(fresh: Fresh) {
    let mut store = fresh();
    store
        .record_gap(&gap(
            5,
            GapOutcome::Clarify,
            "what about retinol",
            Some("actives"),
            0.33,
        ))
        .unwrap();
    store.record_outcome(Status::Clarify, 5).unwrap();
    store
        .record_feedback(&vote("actives", false, Some("what about retinol")), 5)
        .unwrap();
    let purged = store.purge_all().unwrap();
    assert_eq!(purged.gaps, 2);
    assert_eq!(purged.feedback, 1);
    assert_eq!(purged.outcomes, 1);
    assert!(store.gaps(i64::MIN).unwrap().is_empty());
    assert!(store.feedback_counts().unwrap().is_empty());
    assert!(store.outcome_counts(i64::MIN).unwrap().is_empty());
}

#[test]
fn similar_questions_are_grouped_with_counts_in_a_deterministic_order() {
    on_sqlite(grouping_contract);
}

pub fn grouping_contract(fresh: Fresh) {
    let rows = [
        (
            "can I use retinol after microneedling?",
            Some("actives"),
            0.21,
        ),
        (
            "Can I use retinol after microneedling",
            Some("actives"),
            0.25,
        ),
        ("retinol after microneedling, ok?", Some("aftercare"), 0.30),
        (
            "can I use retinol after microneedling?",
            Some("actives"),
            0.20,
        ),
        ("does microneedling help stretch marks", None, 0.05),
        (
            "microneedling for stretch marks?",
            Some("indications"),
            0.12,
        ),
        ("is it safe while pregnant", Some("contraindications"), 0.29),
    ];
    let today = today();
    let mut orders: Vec<Vec<(String, u64, Option<String>)>> = Vec::new();
    // The same rows in two orders, over two days, give the same groups.
    for order in [
        rows.to_vec(),
        rows.iter().rev().cloned().collect::<Vec<_>>(),
    ] {
        let mut store = fresh();
        for (i, (q, entry, score)) in order.iter().enumerate() {
            let day = today - (i as i64 % 2);
            store
                .record_gap(&gap(day, GapOutcome::NoMatch, q, *entry, *score))
                .unwrap();
        }
        let groups = store.gaps(today - 1).unwrap();
        orders.push(
            groups
                .iter()
                .map(|g| (g.question.clone(), g.count, g.nearest_entry.clone()))
                .collect(),
        );
        let retinol = &groups[0];
        assert_eq!(retinol.count, 4, "{groups:#?}");
        assert_eq!(retinol.question, "can I use retinol after microneedling?");
        assert_eq!(retinol.nearest_entry.as_deref(), Some("actives"));
        assert_eq!(retinol.best_score.map(|s| (s * 100.0).round()), Some(25.0));
        assert_eq!(retinol.outcomes.get("no_match"), Some(&4));
        assert_eq!(retinol.examples.len(), 2);
        let stretch = groups
            .iter()
            .find(|g| g.question.contains("stretch"))
            .expect("stretch marks group");
        assert_eq!(stretch.count, 2, "{groups:#?}");
        assert_eq!(stretch.nearest_entry.as_deref(), Some("indications"));
        assert_eq!(groups.len(), 3, "{groups:#?}");
        // Most frequent first.
        assert!(groups.windows(2).all(|w| w[0].count >= w[1].count));
    }
    assert_eq!(orders[0], orders[1]);
}

#[test]
fn gaps_respects_the_since_day() {
    on_sqlite(since_day_contract);
}

pub fn since_day_contract(fresh: Fresh) {
    let mut store = fresh();
    store
        .record_gap(&gap(
            10,
            GapOutcome::NoMatch,
            "old question about peels",
            None,
            0.1,
        ))
        .unwrap();
    store
        .record_gap(&gap(
            20,
            GapOutcome::NoMatch,
            "new question about lasers",
            None,
            0.1,
        ))
        .unwrap();
    let groups = store.gaps(15).unwrap();
    assert_eq!(groups.len(), 1);
    assert_eq!(groups[0].question, "new question about lasers");
}

#[test]
fn feedback_is_counted_per_entry_and_a_thumbs_down_is_a_gap() {
    on_sqlite(feedback_contract);
}

pub fn feedback_contract(fresh: Fresh) {
    let mut store = fresh();
    let day = today();
    for _ in 0..3 {
        store
            .record_feedback(&vote("downtime", true, None), day)
            .unwrap();
    }
    store
        .record_feedback(
            &vote("downtime", false, Some("how long is downtime <@123456789>")),
            day,
        )
        .unwrap();
    store
        .record_feedback(&vote("numbing", false, None), day)
        .unwrap();
    store
        .record_feedback(&vote("numbing", false, None), day - 1)
        .unwrap();
    let counts = store.feedback_counts().unwrap();
    let pairs: Vec<(&str, u64, u64)> = counts
        .iter()
        .map(|c| (c.entry.as_str(), c.up, c.down))
        .collect();
    assert_eq!(pairs, vec![("numbing", 0, 2), ("downtime", 3, 1)]);

    let groups = store.gaps(day - 1).unwrap();
    let downtime = groups
        .iter()
        .find(|g| g.question == "how long is downtime")
        .expect("thumbs-down question kept, scrubbed");
    assert_eq!(downtime.outcomes.get("thumbs_down"), Some(&1));
    assert_eq!(downtime.nearest_entry.as_deref(), Some("downtime"));
    let numbing = groups
        .iter()
        .find(|g| g.question.is_empty())
        .expect("no-question group");
    assert_eq!(numbing.count, 2);
    assert_eq!(numbing.nearest_entry.as_deref(), Some("numbing"));
}

#[test]
fn outcome_counts_over_time() {
    on_sqlite(outcome_counts_contract);
}

pub fn outcome_counts_contract(fresh: Fresh) {
    let mut store = fresh();
    for (day, status, n) in [
        (7, Status::Answered, 3),
        (7, Status::NoMatch, 1),
        (8, Status::Answered, 2),
        (8, Status::Urgent, 1),
        (9, Status::Help, 1),
    ] {
        for _ in 0..n {
            store.record_outcome(status, day).unwrap();
        }
    }
    let counts: Vec<(i64, String, u64)> = store
        .outcome_counts(8)
        .unwrap()
        .into_iter()
        .map(|c| (c.day, c.outcome, c.count))
        .collect();
    assert_eq!(
        counts,
        vec![
            (8, "answered".to_string(), 2),
            (8, "urgent".to_string(), 1),
            (9, "help".to_string(), 1),
        ]
    );
}

#[test]
fn record_answer_counts_the_outcome_and_the_gap_together() {
    on_sqlite(record_answer_contract);
}

pub fn record_answer_contract(fresh: Fresh) {
    let mut store = fresh();
    let g = gap(
        3,
        GapOutcome::Clarify,
        "dermapen vs roller",
        Some("devices"),
        0.35,
    );
    store.record_answer(Status::Clarify, 3, Some(&g)).unwrap();
    store.record_answer(Status::Answered, 3, None).unwrap();
    let counts = store.outcome_counts(0).unwrap();
    assert_eq!(counts.len(), 2);
    assert_eq!(store.gap_count("dermapen vs roller").unwrap(), 1);
}

#[cfg(unix)]
#[test]
fn the_file_is_readable_by_its_owner_only() {
    use std::os::unix::fs::PermissionsExt;
    let (dir, mut store) = store();
    store.record_outcome(Status::NoMatch, 1).unwrap();
    let path = dir.path().join("nested/dir/gaps.db");
    for file in [path.clone(), path.with_extension("db-wal")] {
        let mode = std::fs::metadata(&file).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "{}", file.display());
    }
}

#[test]
fn the_schema_version_is_the_builds() {
    on_sqlite(schema_version_contract);
}

pub fn schema_version_contract(fresh: Fresh) {
    let mut store = fresh();
    assert_eq!(store.schema_version().unwrap(), SCHEMA_VERSION);
}

#[test]
fn export_then_import_gives_the_same_record() {
    on_sqlite(export_import_contract);
}

/// Rows exported from one record and imported into an empty one read back the same;
/// imported again, every count doubles; a row that is no row of the record is refused.
pub fn export_import_contract(fresh: Fresh) {
    let mut from = fresh();
    let today = today();
    for (day, q, entry) in [
        (
            today,
            "can I use retinol after microneedling?",
            Some("actives"),
        ),
        (
            today,
            "can I use retinol after microneedling?",
            Some("actives"),
        ),
        (today - 3, "microneedling for stretch marks?", None),
    ] {
        from.record_gap(&gap(day, GapOutcome::NoMatch, q, entry, 0.2))
            .unwrap();
    }
    from.record_answer(Status::Answered, today, None).unwrap();
    from.record_feedback(
        &vote("downtime", false, Some("how long is downtime")),
        today,
    )
    .unwrap();
    from.record_feedback(&vote("downtime", true, None), today)
        .unwrap();
    let rows = from.export_rows().unwrap();
    assert_eq!(rows.len(), 3 + 2 + 1, "{rows:#?}");
    // Through JSON lines, as `gaps export` writes them.
    let lines: Vec<String> = rows
        .iter()
        .map(|r| serde_json::to_string(r).unwrap())
        .collect();
    let parsed: Vec<RecordRow> = lines
        .iter()
        .enumerate()
        .map(|(i, l)| RecordRow::parse(l, i + 1).unwrap())
        .collect();
    assert_eq!(parsed, rows);

    let mut to = fresh();
    assert_eq!(to.import_rows(&parsed).unwrap(), rows.len());
    assert_eq!(to.export_rows().unwrap(), rows);
    assert_eq!(to.gaps(i64::MIN).unwrap(), from.gaps(i64::MIN).unwrap());
    assert_eq!(
        to.feedback_counts().unwrap(),
        from.feedback_counts().unwrap()
    );
    assert_eq!(
        to.outcome_counts(i64::MIN).unwrap(),
        from.outcome_counts(i64::MIN).unwrap()
    );
    to.import_rows(&parsed).unwrap();
    assert_eq!(
        to.gap_count("can I use retinol after microneedling?")
            .unwrap(),
        4
    );

    for bad in [
        r#"{"table":"gaps","day":1,"outcome":"answered","question":"q","best_entry":"","knowledge_version":"v","score":null,"count":1}"#,
        r#"{"table":"outcomes","day":1,"outcome":"answered","count":0}"#,
        r#"{"table":"users","id":1}"#,
        "not json",
    ] {
        let e = RecordRow::parse(bad, 7).unwrap_err();
        assert!(e.to_string().starts_with("line 7"), "{bad}: {e}");
    }
    // Imported questions are scrubbed like recorded ones.
    let noisy = RecordRow::parse(
        r#"{"table":"gaps","day":1,"outcome":"no_match","question":"mail jane.doe@example.com <@123456789012345678> about peels","best_entry":"","knowledge_version":"v","score":0.5,"count":2}"#,
        1,
    )
    .unwrap();
    let mut scrubbed = fresh();
    scrubbed.import_rows(&[noisy]).unwrap();
    let exported = format!("{:?}", scrubbed.export_rows().unwrap());
    assert!(!exported.contains("jane.doe"), "{exported}");
    assert!(!exported.contains("123456789012345678"), "{exported}");
}

#[test]
fn long_questions_in_any_script_are_kept_whole_up_to_the_cap() {
    on_sqlite(long_questions_contract);
}

/// Up to 1000 characters of any script are kept; two long questions that differ only at
/// the end are two rows.
pub fn long_questions_contract(fresh: Fresh) {
    let mut store = fresh();
    let long = "微针后可以用视黄醇吗".repeat(99);
    for end in ["甲", "乙", "乙"] {
        store
            .record_gap(&gap(
                1,
                GapOutcome::NoMatch,
                &format!("{long}{end}"),
                None,
                0.1,
            ))
            .unwrap();
    }
    assert_eq!(store.gap_count(&format!("{long}甲")).unwrap(), 1);
    assert_eq!(store.gap_count(&format!("{long}乙")).unwrap(), 2);
}
