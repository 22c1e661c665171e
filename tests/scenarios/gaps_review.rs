//! `gaps review` driven through standard input, on a copy of the knowledge and
//! a temporary record: a teach by number lands (file and tests.jsonl), a
//! decline creates its subject, skip and quit move on and stop, and the end
//! of the input ends the review cleanly.

use crate::support::record::gap;
use crate::support::{binary, knowledge_copy, run_with_input};
use microneedling_bot::gaps::{today, GapOutcome, GapStore, Vote};
use std::path::{Path, PathBuf};

const DULL: &str = "can microneedling fix sallow skin";
const TEXTURE: &str = "uses-skin-texture";
const TATTOO: &str = "can microneedling remove a tattoo";
const SKIPPED: &str = "is microneedling better than a chemical peel";
const LAST: &str = "what do I eat before my appointment";

/// A record whose groups, most frequent first, are DULL (4), TATTOO (3),
/// SKIPPED (2), LAST (1), plus a 👎 without its question (not reviewed).
fn record(dir: &Path) -> PathBuf {
    let path = dir.join("gaps.db");
    let mut store = GapStore::open(&path).expect("open");
    let day = today();
    for (q, n, outcome) in [
        (DULL, 4, GapOutcome::NoMatch),
        (TATTOO, 3, GapOutcome::NoMatch),
        (SKIPPED, 2, GapOutcome::Clarify),
        (LAST, 1, GapOutcome::NoMatch),
    ] {
        for _ in 0..n {
            store
                .record_gap(&gap(day, outcome, q, Some("procedure-pain"), 0.2))
                .expect("record");
        }
    }
    store
        .record_feedback(
            &Vote {
                entry: "procedure-pain".into(),
                helpful: false,
                knowledge_version: "v1".into(),
                question: None,
                score: None,
            },
            day,
        )
        .expect("vote");
    path
}

/// The number `gaps review` shows for `entry` among the question's nearest entries.
fn number_of(knowledge: &Path, question: &str, entry: &str) -> usize {
    let k = microneedling_bot::knowledge::load(knowledge).expect("loads");
    let engine = microneedling_bot::Engine::new(std::sync::Arc::new(k), Default::default());
    let e = microneedling_bot::teach::explain(&engine, question);
    1 + e
        .candidates
        .iter()
        .position(|c| c.entry == entry)
        .unwrap_or_else(|| panic!("{entry} is not among the nearest entries of {question:?}"))
}

fn review(dir: &Path, db: &Path, knowledge: &Path, input: &str) -> (bool, String, String) {
    let out = run_with_input(
        binary(dir)
            .args(["gaps", "review", "--db"])
            .arg(db)
            .arg("--knowledge")
            .arg(knowledge),
        input,
    );
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn a_review_teaches_declines_skips_and_quits() {
    let knowledge = knowledge_copy();
    let tmp = tempfile::tempdir().unwrap();
    let db = record(tmp.path());
    let n = number_of(knowledge.path(), DULL, TEXTURE);
    let before_other =
        std::fs::read_to_string(knowledge.path().join("entries/downtime.toml")).unwrap();

    // DULL: an option that does not exist, then the texture entry by number;
    // TATTOO: declined as a new subject; SKIPPED: skipped; LAST: quit.
    let input = format!("99\n{n}\nd tattoos tattoo removal\ns\nq\nnever read\n");
    let (ok, stdout, stderr) = review(tmp.path(), &db, knowledge.path(), &input);
    assert!(ok, "{stdout}{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");

    // Most frequent first, each with its nearest entries and scores.
    let first = stdout.find(DULL).expect("DULL shown");
    let second = stdout.find(TATTOO).expect("TATTOO shown");
    let third = stdout.find(SKIPPED).expect("SKIPPED shown");
    let fourth = stdout.find(LAST).expect("LAST shown");
    assert!(
        first < second && second < third && third < fourth,
        "{stdout}"
    );
    assert!(stdout.contains("[1/4] 4 × "), "{stdout}");
    // Piped answers are echoed after the prompt, so the transcript reads.
    assert!(stdout.contains("> d tattoos tattoo removal\n"), "{stdout}");
    assert!(stdout.contains("(no match)"), "{stdout}");
    assert!(stdout.contains("(clarify)"), "{stdout}");
    assert!(stdout.contains(&format!("{n}. ")), "{stdout}");
    assert!(stdout.contains(&format!("  {TEXTURE}: ")), "{stdout}");
    assert!(stdout.contains("pick an entry from 1 to"), "{stdout}");
    assert!(
        stdout.contains("now: answered by uses-skin-texture"),
        "{stdout}"
    );
    // (Another subject may decline it first: the new one is written all the same.)
    assert!(stdout.contains("now: no_match"), "{stdout}");
    assert!(
        stdout.contains("reviewed 3 of 4: 1 taught, 1 declined, 1 skipped; 1 left for later"),
        "{stdout}"
    );

    // The teach landed where `teach` would put it, with its regression question.
    let uses = std::fs::read_to_string(knowledge.path().join("entries/uses.toml")).unwrap();
    assert!(uses.contains(DULL), "{uses}");
    let tests = std::fs::read_to_string(knowledge.path().join("tests.jsonl")).unwrap();
    assert!(tests.contains(&format!("\"q\": \"{DULL}\"")), "{tests}");
    assert!(tests.contains(&format!("\"q\": \"{TATTOO}\"")), "{tests}");
    assert!(!tests.contains(SKIPPED) && !tests.contains(LAST));
    let not_covered = std::fs::read_to_string(knowledge.path().join("not_covered.toml")).unwrap();
    assert!(not_covered.contains("id = \"tattoos\""), "{not_covered}");
    assert!(not_covered.contains("tattoo removal"), "{not_covered}");
    assert_eq!(
        std::fs::read_to_string(knowledge.path().join("entries/downtime.toml")).unwrap(),
        before_other
    );
    // The knowledge is still valid and answers the taught question.
    let check = binary(tmp.path())
        .args(["ask", "--json", "--knowledge"])
        .arg(knowledge.path())
        .arg(DULL)
        .output()
        .unwrap();
    let answer: serde_json::Value = serde_json::from_slice(&check.stdout).unwrap();
    assert_eq!(answer["entry"], TEXTURE);
}

#[test]
fn the_end_of_the_input_ends_the_review_and_changes_nothing() {
    let knowledge = knowledge_copy();
    let tmp = tempfile::tempdir().unwrap();
    let db = record(tmp.path());
    let uses = std::fs::read_to_string(knowledge.path().join("entries/uses.toml")).unwrap();
    for input in ["", "s\n", "s\nd\n"] {
        let (ok, stdout, stderr) = review(tmp.path(), &db, knowledge.path(), input);
        assert!(ok, "{input:?}: {stdout}{stderr}");
        assert!(stdout.contains("(end of input)"), "{input:?}: {stdout}");
        assert!(
            stdout.contains("0 taught, 0 declined"),
            "{input:?}: {stdout}"
        );
        assert!(!stderr.contains("panicked"), "{stderr}");
    }
    assert_eq!(
        std::fs::read_to_string(knowledge.path().join("entries/uses.toml")).unwrap(),
        uses
    );
    // A record that does not exist is nothing to review.
    let (ok, stdout, _) = review(
        tmp.path(),
        &tmp.path().join("none.db"),
        knowledge.path(),
        "",
    );
    assert!(ok);
    assert!(stdout.contains("nothing recorded yet"), "{stdout}");
}

/// A refused teach (a red flag captures the question) says why and asks again.
#[test]
fn a_refused_teach_asks_again() {
    let knowledge = knowledge_copy();
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("gaps.db");
    let mut store = GapStore::open(&db).unwrap();
    store
        .record_gap(&gap(
            today(),
            GapOutcome::NoMatch,
            "my face is full of pus, is that normal",
            None,
            0.1,
        ))
        .unwrap();
    drop(store);
    let (ok, stdout, _) = review(tmp.path(), &db, knowledge.path(), "t downtime-redness\nq\n");
    assert!(ok, "{stdout}");
    assert!(stdout.contains("refused, nothing was written"), "{stdout}");
    assert!(stdout.contains("reviewed 0 of 1"), "{stdout}");
}
