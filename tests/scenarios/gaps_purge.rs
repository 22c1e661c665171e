//! `gaps purge` asks before deleting: from a script (standard input not a
//! terminal) it refuses unless `--yes` is given, and deletes nothing.

use crate::support::binary;
use crate::support::record::gap;
use microneedling_bot::gaps::{today, GapOutcome, GapStore};
use std::process::Stdio;

#[test]
fn purge_without_yes_and_without_a_terminal_refuses() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("gaps.db");
    let mut store = GapStore::open(&db).unwrap();
    store
        .record_gap(&gap(
            today(),
            GapOutcome::NoMatch,
            "can I use retinol after microneedling?",
            None,
            0.2,
        ))
        .unwrap();
    drop(store);

    // Standard input a pipe, even one saying "y": refused, nothing deleted.
    for stdin in [Stdio::null(), Stdio::piped()] {
        let mut child = binary(dir.path())
            .args(["gaps", "purge", "--db"])
            .arg(&db)
            .stdin(stdin)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        if let Some(mut input) = child.stdin.take() {
            use std::io::Write;
            let _ = input.write_all(b"y\n");
        }
        let out = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{stderr}");
        assert!(stderr.contains("--yes"), "{stderr}");
        assert!(!String::from_utf8_lossy(&out.stdout).contains("purged"));
        let store = GapStore::open_existing(&db).unwrap().unwrap();
        assert_eq!(store.gaps(i64::MIN).unwrap().len(), 1, "nothing deleted");
    }

    // --yes purges.
    let out = binary(dir.path())
        .args(["gaps", "purge", "--yes", "--db"])
        .arg(&db)
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("purged"));
    let store = GapStore::open_existing(&db).unwrap().unwrap();
    assert!(store.gaps(i64::MIN).unwrap().is_empty());
}
