//! Knowledge edits shared through PostgreSQL (`knowledge.share`), the library's side:
//! two copies of the knowledge ("processes") on one throwaway database. A teach on one
//! reaches the other; a broken edit published straight into the table (bad TOML, a
//! phrasing a red flag captures, a path outside the directory) is skipped and never
//! written; two teaches at once on two copies both land; the listener applies an edit
//! within seconds from the notification, and again after the database was restarted.
//! Skipped loudly without PostgreSQL (a failure with `MICRONEEDLING_BOT_REQUIRE_POSTGRES=1`).

use crate::support::knowledge_copy;
use crate::support::postgres::PgServer;
use microneedling_bot::live::LiveEngine;
use microneedling_bot::settings::MatchingSettings;
use microneedling_bot::sync::{KnowledgeShare, TABLE};
use microneedling_bot::teach::{self, Change, Request, TeachError};
use microneedling_bot::Status;
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

pub const DULL: &str = "is it good for a sallow complexion";
pub const TEXTURE: &str = "uses-skin-texture";
const TATTOO: &str = "can microneedling remove a tattoo";
const PUS: &str = "my face is full of pus, is that normal";

fn share(url: &str, dir: &Path, poll: Duration) -> KnowledgeShare {
    KnowledgeShare::new(url, dir, MatchingSettings::default(), poll).expect("share")
}

fn phrasing(question: &str, entry: &str) -> Request {
    Request {
        question: question.into(),
        change: Change::Phrasing {
            entry: entry.into(),
        },
    }
}

fn decline_tattoo() -> Request {
    Request {
        question: TATTOO.into(),
        change: Change::NotCovered {
            subject: "tattoos".into(),
            label: Some("tattoo removal".into()),
        },
    }
}

fn read(dir: &Path, rel: &str) -> String {
    std::fs::read_to_string(dir.join(rel)).unwrap_or_default()
}

/// Publishes a row as another process would, without any check (what a buggy or
/// hostile writer could do).
fn publish_raw(url: &str, path: &str, content: &str, version: &str) -> i64 {
    let mut c = postgres::Client::connect(url, postgres::NoTls).expect("connect");
    let id: i64 = c
        .query_one(
            &format!(
                "INSERT INTO {TABLE} (path, content, version) VALUES ($1, $2, $3) RETURNING id"
            ),
            &[&path, &content, &version],
        )
        .unwrap()
        .get(0);
    c.execute(
        "SELECT pg_notify('mnbot_knowledge_edits', $1)",
        &[&id.to_string()],
    )
    .unwrap();
    id
}

fn sync(share: &KnowledgeShare) -> usize {
    let mut c = share.connect().expect("connect");
    share.sync(&mut c).expect("sync")
}

/// `downtime.toml` with a phrasing a red flag captures: it loads, but the phrasing
/// self-test fails.
pub fn self_test_breaking(dir: &Path) -> String {
    let text = read(dir, "entries/downtime.toml");
    teach::edit::add_phrasing(&text, "downtime-redness", PUS)
        .expect("edit")
        .text
}

#[test]
fn edits_reach_the_other_copy_and_broken_ones_are_never_written() {
    let Some(server) =
        PgServer::start("edits_reach_the_other_copy_and_broken_ones_are_never_written")
    else {
        return;
    };
    let url = server.create_database("share1");
    let (a, b) = (knowledge_copy(), knowledge_copy());
    let (sa, sb) = (
        share(&url, a.path(), Duration::from_secs(60)),
        share(&url, b.path(), Duration::from_secs(60)),
    );
    let rt = tokio::runtime::Runtime::new().unwrap();
    let live_b = LiveEngine::load(b.path(), MatchingSettings::default()).unwrap();
    assert_ne!(live_b.engine().answer(DULL).entry.as_deref(), Some(TEXTURE));

    // A teaches: published, then written on A.
    let taught = sa.teach(&phrasing(DULL, TEXTURE)).expect("teach on A");
    assert_eq!(taught.answer.entry.as_deref(), Some(TEXTURE));
    assert_eq!(sa.status().published, 1);

    // B catches up: the same files, and it answers with the new knowledge.
    assert_eq!(sync(&sb), 1);
    for rel in ["entries/uses.toml", "tests.jsonl"] {
        assert_eq!(read(a.path(), rel), read(b.path(), rel), "{rel}");
    }
    rt.block_on(live_b.reload()).unwrap();
    assert_eq!(live_b.engine().answer(DULL).entry.as_deref(), Some(TEXTURE));
    let good = live_b.stats().version;
    assert_eq!(
        good,
        LiveEngine::load(a.path(), MatchingSettings::default())
            .unwrap()
            .stats()
            .version,
        "both copies at the same version"
    );
    // Nothing new: nothing written.
    assert_eq!(sync(&sb), 0);
    // A sees its own edit as already there.
    assert_eq!(sync(&sa), 0);
    assert_eq!(sa.status().applied, 0);

    // Broken edits published straight to the table: skipped, never written.
    let downtime = read(b.path(), "entries/downtime.toml");
    let mut bad_toml = downtime.clone();
    bad_toml.push_str("\n[[entry]]\nid = \"unterminated\n");
    publish_raw(&url, "entries/downtime.toml", &bad_toml, "broken-1");
    publish_raw(
        &url,
        "entries/downtime.toml",
        &self_test_breaking(b.path()),
        "broken-2",
    );
    let outside = publish_raw(&url, "../escaped.toml", "x = 1\n", "broken-3");
    assert_eq!(sync(&sb), 0);
    let status = sb.status();
    assert_eq!(status.skipped, 3, "{status:?}");
    assert_eq!(status.last_seen, outside);
    assert!(
        status.last_skipped.as_ref().unwrap().1.contains("escaped"),
        "{status:?}"
    );
    assert_eq!(read(b.path(), "entries/downtime.toml"), downtime);
    assert!(!b.path().parent().unwrap().join("escaped.toml").exists());
    assert!(matches!(
        rt.block_on(live_b.reload()).unwrap(),
        microneedling_bot::live::Reloaded::Unchanged { .. }
    ));
    assert_eq!(live_b.stats().version, good);
    // A skips them too.
    assert_eq!(sync(&sa), 0);
    assert_eq!(sa.status().skipped, 3);

    // A good edit after the broken ones still lands.
    sa.teach(&decline_tattoo()).expect("decline on A");
    assert_eq!(sync(&sb), 1);
    rt.block_on(live_b.reload()).unwrap();
    assert_eq!(live_b.engine().answer(TATTOO).status, Status::NoMatch);
    assert_eq!(
        read(a.path(), "not_covered.toml"),
        read(b.path(), "not_covered.toml")
    );

    // A process started later catches up on everything at once, skipping nothing good.
    let c = knowledge_copy();
    let sc = share(&url, c.path(), Duration::from_secs(60));
    // The history has broken edits: one by one, the two good ones are written.
    assert_eq!(sync(&sc), 2);
    assert_eq!(sc.status().skipped, 3);
    for rel in [
        "entries/uses.toml",
        "not_covered.toml",
        "tests.jsonl",
        "entries/downtime.toml",
    ] {
        assert_eq!(read(a.path(), rel), read(c.path(), rel), "{rel}");
    }
}

#[test]
fn two_teaches_at_once_on_two_copies_both_land_everywhere() {
    let Some(server) = PgServer::start("two_teaches_at_once_on_two_copies_both_land_everywhere")
    else {
        return;
    };
    let url = server.create_database("share2");
    let (a, b) = (knowledge_copy(), knowledge_copy());
    let sa = Arc::new(share(&url, a.path(), Duration::from_secs(60)));
    let sb = Arc::new(share(&url, b.path(), Duration::from_secs(60)));
    let ta = {
        let sa = Arc::clone(&sa);
        std::thread::spawn(move || sa.teach(&phrasing(DULL, TEXTURE)).map(|_| ()))
    };
    let tb = {
        let sb = Arc::clone(&sb);
        std::thread::spawn(move || sb.teach(&decline_tattoo()).map(|_| ()))
    };
    ta.join().unwrap().expect("A's teach");
    tb.join().unwrap().expect("B's teach");
    sync(&sa);
    sync(&sb);
    for rel in ["entries/uses.toml", "not_covered.toml", "tests.jsonl"] {
        assert_eq!(read(a.path(), rel), read(b.path(), rel), "{rel}");
    }
    let tests = read(a.path(), "tests.jsonl");
    assert!(
        tests.contains(DULL) && tests.contains(TATTOO),
        "both regression lines"
    );
    for dir in [a.path(), b.path()] {
        let live = LiveEngine::load(dir, MatchingSettings::default()).unwrap();
        assert_eq!(live.engine().answer(DULL).entry.as_deref(), Some(TEXTURE));
        assert_eq!(live.engine().answer(TATTOO).status, Status::NoMatch);
    }
}

#[test]
fn the_listener_applies_edits_within_seconds_and_survives_a_database_restart() {
    let Some(server) = PgServer::start(
        "the_listener_applies_edits_within_seconds_and_survives_a_database_restart",
    ) else {
        return;
    };
    let url = server.create_database("share3");
    let (a, b) = (knowledge_copy(), knowledge_copy());
    let sa = share(&url, a.path(), Duration::from_secs(60));
    // Polls every 60 s: within the test, only the notification can bring the edit.
    let sb = Arc::new(share(&url, b.path(), Duration::from_secs(60)));
    let rt = tokio::runtime::Runtime::new().unwrap();
    let live_b = Arc::new(LiveEngine::load(b.path(), MatchingSettings::default()).unwrap());
    let task = {
        let _in = rt.enter();
        sb.spawn(Arc::clone(&live_b)).expect("listener")
    };
    let until = |what: &dyn Fn() -> bool, limit: Duration| {
        let deadline = Instant::now() + limit;
        while Instant::now() < deadline {
            if what() {
                return true;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        what()
    };
    assert!(until(&|| sb.status().connected, Duration::from_secs(10)));
    let started = Instant::now();
    sa.teach(&phrasing(DULL, TEXTURE)).expect("teach on A");
    let taught = Instant::now();
    // B checks the edit (load and self-test) and reloads: seconds in a debug build.
    assert!(
        until(
            &|| live_b.engine().answer(DULL).entry.as_deref() == Some(TEXTURE),
            Duration::from_secs(30)
        ),
        "B never served the edit: {:?}",
        sb.status()
    );
    eprintln!(
        "the teach on A took {:?}; served on B {:?} after it",
        taught - started,
        taught.elapsed()
    );

    // The database goes away: a teach is refused and writes nothing; B keeps serving.
    server.stop();
    let before = read(a.path(), "not_covered.toml");
    match sa.teach(&decline_tattoo()) {
        Err(TeachError::Publish(_)) => {}
        other => panic!("expected a publication error, got {:?}", other.map(|_| ())),
    }
    assert_eq!(
        read(a.path(), "not_covered.toml"),
        before,
        "nothing written"
    );
    assert!(until(&|| !sb.status().connected, Duration::from_secs(15)));
    assert_eq!(live_b.engine().answer(DULL).entry.as_deref(), Some(TEXTURE));

    // Back: B reconnects by itself and gets the next edit.
    server.restart();
    assert!(
        until(&|| sb.status().connected, Duration::from_secs(20)),
        "B did not reconnect: {:?}",
        sb.status()
    );
    sa.teach(&decline_tattoo()).expect("decline on A");
    assert!(
        until(
            &|| live_b.engine().answer(TATTOO).status == Status::NoMatch,
            Duration::from_secs(30)
        ),
        "B never served the decline: {:?}",
        sb.status()
    );
    drop(task);
}

/// Puts `marker` at the start of the redness entry's answer (a hand edit).
pub fn edit_redness_answer(dir: &Path, marker: &str) {
    let path = dir.join("entries/downtime.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    let at = text.find("id = \"downtime-redness\"").unwrap();
    let answer = at + text[at..].find("answer = \"\"\"\n").unwrap() + "answer = \"\"\"\n".len();
    std::fs::write(
        &path,
        format!("{}{marker} {}", &text[..answer], &text[answer..]),
    )
    .unwrap();
}

#[test]
fn hand_edits_are_checked_like_shared_ones_before_they_are_published() {
    let Some(server) =
        PgServer::start("hand_edits_are_checked_like_shared_ones_before_they_are_published")
    else {
        return;
    };
    let url = server.create_database("share4");
    let (a, b) = (knowledge_copy(), knowledge_copy());
    let (sa, sb) = (
        share(&url, a.path(), Duration::from_secs(60)),
        share(&url, b.path(), Duration::from_secs(60)),
    );
    assert_eq!(sa.check_changes().unwrap(), 0);
    assert_eq!(sa.publish_changes("v0").unwrap(), 0, "nothing changed");

    // A phrasing a red flag captures, by hand: refused with where and why; not published.
    let good = read(a.path(), "entries/downtime.toml");
    std::fs::write(
        a.path().join("entries/downtime.toml"),
        self_test_breaking(a.path()),
    )
    .unwrap();
    let problems = sa.check_changes().unwrap_err();
    let shown: Vec<String> = problems.iter().map(|p| p.to_string()).collect();
    assert!(
        shown
            .iter()
            .any(|p| p.contains("entries/downtime.toml") && p.contains("urgent")),
        "{shown:?}"
    );
    assert!(
        shown
            .iter()
            .all(|p| p.starts_with(&a.path().display().to_string())),
        "named in the knowledge directory: {shown:?}"
    );

    // A good hand edit: checked, published, received.
    std::fs::write(a.path().join("entries/downtime.toml"), &good).unwrap();
    edit_redness_answer(a.path(), "HAND-EDITED");
    assert_eq!(sa.check_changes().unwrap(), 1);
    assert_eq!(sa.publish_changes("v1").unwrap(), 1);
    assert_eq!(sa.publish_changes("v1").unwrap(), 0, "published once");
    assert_eq!(sync(&sb), 1);
    assert_eq!(
        read(a.path(), "entries/downtime.toml"),
        read(b.path(), "entries/downtime.toml")
    );
    let live_b = LiveEngine::load(b.path(), MatchingSettings::default()).unwrap();
    assert!(live_b
        .engine()
        .answer("how long does the redness last after microneedling?")
        .answer
        .starts_with("HAND-EDITED"));
}

#[test]
fn the_teach_command_publishes_too() {
    let Some(server) = PgServer::start("the_teach_command_publishes_too") else {
        return;
    };
    let url = server.create_database("share5");
    let (a, b) = (knowledge_copy(), knowledge_copy());
    let out = crate::support::binary(a.path())
        .args(["teach", "--entry", TEXTURE, "--knowledge"])
        .arg(a.path())
        .arg(DULL)
        .env("MNBOT_KNOWLEDGE__SHARE", "true")
        .env("MNBOT_KNOWLEDGE__SHARE_URL", &url)
        .output()
        .expect("teach");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let sb = share(&url, b.path(), Duration::from_secs(60));
    assert_eq!(sync(&sb), 1);
    assert_eq!(
        read(a.path(), "entries/uses.toml"),
        read(b.path(), "entries/uses.toml")
    );

    // The database down: the command fails and writes nothing.
    server.stop();
    let before = read(a.path(), "not_covered.toml");
    let out = crate::support::binary(a.path())
        .args([
            "teach",
            "--not-covered",
            "tattoos",
            "--label",
            "tattoo removal",
            "--knowledge",
        ])
        .arg(a.path())
        .arg(TATTOO)
        .env("MNBOT_KNOWLEDGE__SHARE", "true")
        .env("MNBOT_KNOWLEDGE__SHARE_URL", &url)
        .output()
        .expect("teach");
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("could not be shared"), "{stderr}");
    assert_eq!(read(a.path(), "not_covered.toml"), before);
}
