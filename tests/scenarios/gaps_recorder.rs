//! The recorder the bot holds: off means nothing on disk, on means nothing
//! identifying on disk, and a reply is never held up by the disk.

use crate::support;
use crate::support::record::{every_value, record_files, Stored};
use microneedling_bot::answer::{Answer, Suggestion};
use microneedling_bot::gaps::{today, GapOutcome, GapRecord, GapStore, Recorder, Vote};
use microneedling_bot::settings::{RecordingSettings, Settings};
use microneedling_bot::Status;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

const FLUSH: Duration = Duration::from_secs(30);

fn settings(path: PathBuf, enabled: bool) -> RecordingSettings {
    RecordingSettings {
        enabled,
        path,
        url: None,
        retention_days: 30,
    }
}

pub fn answer(question: &str, status: Status, suggestion: Option<&str>, confidence: f32) -> Answer {
    Answer {
        question: question.into(),
        status,
        entry: (status == Status::Answered).then(|| "downtime".to_string()),
        topic: None,
        confidence,
        answer: "reply text".into(),
        sources: Vec::new(),
        suggestions: suggestion
            .map(|e| Suggestion {
                entry: e.into(),
                question: "a title".into(),
            })
            .into_iter()
            .collect(),
        disclaimer: String::new(),
        title: None,
        related: Vec::new(),
        entries: Vec::new(),
        flag: None,
        gap: None,
        fired: None,
        corrected: Vec::new(),
    }
}

/// Messages as members write them, full of what must never be kept.
pub const NOISY: &[&str] = &[
    "<@123456789012345678> can I microneedle with a tattoo? email me jane.doe@example.com",
    "<@!234567890123456789> @everyone call me on +1 415 555 2671 about my scars",
    "<@&345678901234567890> <#456789012345678901> is retinol ok? my number is (415) 555-2672",
    "@here my order 98765432 from https://shop.example.com/item?id=42 never came, is the pen safe?",
    "text 555-1234 or 07700 900123, what about laser after needling? see www.example.org/me",
    "my user id is 567890123456789012 and my mail JOHN.SMITH@mail.example.co.uk, stretch marks?",
    "dm @jane_doe or instagram.com/jane.doe for pics <:cry:678901234567890123> does it scar",
];

/// Strings from [`NOISY`] that must appear nowhere in the file.
pub const SECRETS: &[&str] = &[
    "123456789012345678",
    "234567890123456789",
    "345678901234567890",
    "456789012345678901",
    "567890123456789012",
    "678901234567890123",
    "98765432",
    "jane.doe@example.com",
    "example.com",
    "JOHN.SMITH",
    "john.smith",
    "415 555 2671",
    "555-2672",
    "555-1234",
    "900123",
    "jane_doe",
    "jane.doe",
    "everyone",
    "@here",
    "www.example.org",
    "instagram",
    "https",
];

#[test]
fn recording_disabled_writes_nothing_and_creates_no_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("data/gaps.db");
    let recorder = Recorder::open(&settings(path.clone(), false)).unwrap();
    assert!(!recorder.is_enabled());
    assert_eq!(recorder.path(), None);
    for q in NOISY {
        recorder.record_answer(&answer(q, Status::NoMatch, None, 0.1), "v1");
        recorder.record_answer(&answer(q, Status::Answered, None, 0.9), "v1");
    }
    recorder.record_feedback(Vote {
        entry: "downtime".into(),
        helpful: false,
        knowledge_version: "v1".into(),
        question: Some("does it hurt".into()),
        score: None,
    });
    recorder.daily_maintenance();
    assert!(recorder.flush(FLUSH));
    assert_eq!(recorder.stats().written, 0);
    drop(recorder);
    assert!(!path.exists());
    assert!(!dir.path().join("data").exists());
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
}

#[test]
fn the_database_holds_nothing_identifying_after_noisy_messages() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("gaps.db");
    let recorder = Recorder::open(&settings(path.clone(), true)).unwrap();
    for (i, q) in NOISY.iter().enumerate() {
        let (status, suggestion) = match i % 3 {
            0 => (Status::NoMatch, None),
            1 => (Status::Clarify, Some("actives")),
            _ => (Status::Answered, None),
        };
        recorder.record_answer(&answer(q, status, suggestion, 0.31), "v1");
        recorder.record_feedback(Vote {
            entry: "downtime".into(),
            helpful: i % 2 == 0,
            knowledge_version: "v1".into(),
            question: Some(q.to_string()),
            score: Some(0.5),
        });
    }
    assert!(recorder.flush(FLUSH));
    let stats = recorder.stats();
    assert_eq!(stats.written, 2 * NOISY.len() as u64, "{stats:?}");
    assert_eq!((stats.dropped, stats.failed), (0, 0));

    // Every value of every column of every table.
    let mut texts = 0;
    let mut questions = Vec::new();
    for cell in every_value(&path) {
        let place = format!("{}.{}", cell.table, cell.column);
        match cell.value {
            Stored::Text(text) => {
                assert_clean(&text, &place);
                if cell.column == "question" {
                    questions.push(text);
                }
                texts += 1;
            }
            Stored::Integer(v) => assert!(v.abs() < 1_000_000, "{place} = {v}"),
            _ => {}
        }
    }
    assert!(texts > 10, "scanned {texts} text values");
    // The gap questions are still readable.
    assert!(
        questions
            .iter()
            .any(|q| q.contains("can I microneedle with a tattoo?")),
        "{questions:#?}"
    );
    assert!(
        questions
            .iter()
            .any(|q| q.contains("what about laser after needling?")),
        "{questions:#?}"
    );

    // And the raw bytes of the file and its journal, while the writer holds
    // them open (the WAL is then full of the latest pages).
    let files = record_files(&path);
    assert!(
        files.len() > 1,
        "{:?}",
        files.iter().map(|f| &f.0).collect::<Vec<_>>()
    );
    for (file, bytes) in files {
        let raw = String::from_utf8_lossy(&bytes).to_lowercase();
        for secret in SECRETS {
            assert!(
                !raw.contains(&secret.to_lowercase()),
                "{} contains {secret:?}",
                file.display()
            );
        }
    }
}

fn assert_clean(text: &str, place: &str) {
    for bad in ["@", "<", ">", "://", "www."] {
        assert!(!text.contains(bad), "{place}: {text:?} contains {bad:?}");
    }
    let longest_run = text
        .split(|c: char| !c.is_ascii_digit())
        .map(str::len)
        .max()
        .unwrap_or(0);
    assert!(longest_run < 5, "{place}: {text:?} has a long digit run");
    let digits = text.chars().filter(char::is_ascii_digit).count();
    assert!(digits < 7, "{place}: {text:?} has {digits} digits");
    for secret in SECRETS {
        assert!(
            !text.to_lowercase().contains(&secret.to_lowercase()),
            "{place}: {text:?} contains {secret:?}"
        );
    }
}

#[test]
fn only_no_match_and_clarify_are_gaps_but_every_outcome_is_counted() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("gaps.db");
    let recorder = Recorder::open(&settings(path.clone(), true)).unwrap();
    for (q, status) in [
        ("how long is downtime", Status::Answered),
        ("I have pus and a fever", Status::Urgent),
        ("hello", Status::Help),
        ("what about retinol", Status::Clarify),
        ("can I do it on my tattoo", Status::NoMatch),
    ] {
        let suggestion = (status == Status::Clarify).then_some("actives");
        recorder.record_answer(&answer(q, status, suggestion, 0.33), "v7");
    }
    assert!(recorder.flush(FLUSH));
    let store = GapStore::open_existing(&path).unwrap().unwrap();
    let groups = store.gaps(today()).unwrap();
    let mut questions: Vec<&str> = groups.iter().map(|g| g.question.as_str()).collect();
    questions.sort();
    assert_eq!(
        questions,
        ["can I do it on my tattoo", "what about retinol"]
    );
    let clarify = groups
        .iter()
        .find(|g| g.question == "what about retinol")
        .unwrap();
    assert_eq!(clarify.nearest_entry.as_deref(), Some("actives"));
    assert_eq!(clarify.outcomes.get("clarify"), Some(&1));
    let counts = store.outcome_counts(today()).unwrap();
    assert_eq!(counts.len(), 5, "{counts:?}");
    assert!(counts.iter().all(|c| c.count == 1));
}

#[test]
fn record_answer_from_finds_the_nearest_entry_of_a_no_match() {
    let engine = support::engine();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("gaps.db");
    let recorder = Recorder::open(&settings(path.clone(), true)).unwrap();
    let question = "can microneedling remove a tattoo <@123456789012345678>";
    let mut a = engine.answer(question);
    // Whatever the knowledge says today, record it as a plain no_match.
    a.status = Status::NoMatch;
    a.suggestions.clear();
    a.entry = None;
    recorder.record_answer_from(&engine, &a);
    assert!(recorder.flush(FLUSH));
    let store = GapStore::open_existing(&path).unwrap().unwrap();
    let groups = store.gaps(today()).unwrap();
    assert_eq!(groups.len(), 1, "{groups:#?}");
    assert_eq!(groups[0].question, "can microneedling remove a tattoo");
    let best = engine.candidates(question).into_iter().next();
    let expected = best.map(|c| engine.knowledge().entries[c.entry].id.clone());
    assert_eq!(groups[0].nearest_entry, expected);
}

#[test]
fn retention_is_enforced_when_the_recorder_opens() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("gaps.db");
    let today = today();
    {
        let mut store = GapStore::open(&path).unwrap();
        for (day, q) in [
            (today - 40, "an old question"),
            (today - 3, "a recent question"),
        ] {
            store
                .record_gap(&GapRecord {
                    day,
                    outcome: GapOutcome::NoMatch,
                    question: q.into(),
                    best_entry: None,
                    score: None,
                    knowledge_version: "v1".into(),
                })
                .unwrap();
            store.record_outcome(Status::NoMatch, day).unwrap();
        }
    }
    let recorder = Recorder::open(&settings(path.clone(), true)).unwrap();
    let store = GapStore::open_existing(&path).unwrap().unwrap();
    assert_eq!(store.gap_count("an old question").unwrap(), 0);
    assert_eq!(store.gap_count("a recent question").unwrap(), 1);
    assert_eq!(store.outcome_counts(i64::MIN).unwrap().len(), 1);
    // The daily maintenance keeps it that way.
    recorder.daily_maintenance();
    assert!(recorder.flush(FLUSH));
    assert_eq!(store.gap_count("a recent question").unwrap(), 1);
}

#[test]
fn a_locked_file_never_holds_up_a_reply() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("gaps.db");
    let recorder = Recorder::open(&settings(path.clone(), true)).unwrap();
    // Another process holds the write lock: the writer waits on it.
    let other = rusqlite::Connection::open(&path).unwrap();
    other.execute_batch("BEGIN IMMEDIATE").unwrap();
    let sends = microneedling_bot::gaps::QUEUE_CAPACITY + 200;
    let started = Instant::now();
    for _ in 0..sends {
        recorder.record_answer(&answer("does it hurt", Status::NoMatch, None, 0.1), "v1");
    }
    let elapsed = started.elapsed();
    assert!(
        elapsed < Duration::from_secs(2),
        "recording took {elapsed:?}"
    );
    let dropped = recorder.stats().dropped;
    assert!(dropped >= 100, "dropped {dropped}");
    other.execute_batch("COMMIT").unwrap();
    assert!(recorder.flush(Duration::from_secs(120)));
    let stats = recorder.stats();
    assert_eq!(
        stats.written + stats.dropped + stats.failed,
        sends as u64,
        "{stats:?}"
    );
    let store = GapStore::open_existing(&path).unwrap().unwrap();
    assert_eq!(store.gap_count("does it hurt").unwrap(), stats.written);
}

#[test]
fn recording_settings_have_defaults_and_are_validated() {
    let s = Settings::load_from(None, |_| None, vec![]).unwrap();
    assert_eq!(s.recording, RecordingSettings::default());
    assert!(s.recording.enabled);
    assert_eq!(s.recording.path, PathBuf::from("data/gaps.db"));
    assert_eq!(s.recording.retention_days, 30);

    let env = |pairs: &[(&str, &str)]| -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    };
    let s = Settings::load_from(
        None,
        |_| None,
        env(&[
            ("MNBOT_RECORDING__ENABLED", "false"),
            ("MNBOT_RECORDING__RETENTION_DAYS", "7"),
        ]),
    )
    .unwrap();
    assert!(!s.recording.enabled);
    assert_eq!(s.recording.retention_days, 7);

    let e = Settings::load_from(
        None,
        |_| None,
        env(&[("MNBOT_RECORDING__RETENTION_DAYS", "0")]),
    )
    .unwrap_err();
    assert!(e.to_string().contains("recording.retention_days"), "{e}");

    let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("config.example.toml");
    let s = Settings::load_from(Some(&example), |_| None, vec![]).unwrap();
    assert_eq!(s.recording, RecordingSettings::default());
}
