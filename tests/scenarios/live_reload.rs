//! The knowledge watcher: one write to a knowledge file is one reload, and a
//! write already reloaded (as `/kb teach` does) is not reloaded again.

use crate::support::knowledge_copy;
use microneedling_bot::live::{LiveEngine, ReloadStats};
use microneedling_bot::settings::MatchingSettings;
use microneedling_bot::teach::{self, Change, Request};
use std::sync::Arc;
use std::time::Duration;

const DEBOUNCE: Duration = Duration::from_millis(150);

async fn until(live: &LiveEngine, what: impl Fn(&ReloadStats) -> bool) -> ReloadStats {
    for _ in 0..200 {
        let s = live.stats();
        if what(&s) {
            return s;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    panic!("timed out waiting; stats {:?}", live.stats());
}

/// Long enough for any late event of the same write to have been handled.
async fn settle() {
    tokio::time::sleep(DEBOUNCE * 8).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_write_to_a_knowledge_file_gives_one_reload() {
    crate::support::bot::init_test_log();
    let dir = knowledge_copy();
    let live = Arc::new(LiveEngine::load(dir.path(), MatchingSettings::default()).unwrap());
    let _watcher = live.watch(DEBOUNCE).unwrap();
    let version = live.stats().version;

    // 1. A plain write.
    let path = dir.path().join("entries/downtime.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(
        &path,
        text.replacen("Yes, that's common", "Yes, that is common", 1),
    )
    .unwrap();
    until(&live, |s| s.reloads >= 1).await;
    settle().await;
    let s = live.stats();
    assert_eq!((s.reloads, s.failed_reloads), (1, 0), "{s:?}");
    assert_ne!(s.version, version);

    // 2. `teach`: an atomic save (temporary file renamed) plus tests.jsonl.
    teach::apply(
        dir.path(),
        MatchingSettings::default(),
        &Request {
            question: "is it good for a sallow complexion".into(),
            change: Change::Phrasing {
                entry: "uses-skin-texture".into(),
            },
        },
    )
    .unwrap();
    until(&live, |s| s.reloads >= 2).await;
    settle().await;
    assert_eq!(live.stats().reloads, 2, "{:?}", live.stats());

    // 3. A write reloaded at once by hand (as /kb teach does): the watcher
    //    finds nothing new to read.
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(
        &path,
        text.replacen("Yes, that is common", "Yes, that's common", 1),
    )
    .unwrap();
    live.reload().await.unwrap();
    settle().await;
    assert_eq!(live.stats().reloads, 3, "{:?}", live.stats());

    // 4. Touching only the regression questions reloads nothing.
    let tests = dir.path().join("tests.jsonl");
    let mut t = std::fs::read_to_string(&tests).unwrap();
    t.push('\n');
    std::fs::write(&tests, t).unwrap();
    settle().await;
    assert_eq!(live.stats().reloads, 3, "{:?}", live.stats());
}
