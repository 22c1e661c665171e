//! The gap record in a shared PostgreSQL database (`recording.url`), against a real
//! throwaway server (see `support::postgres`; skipped loudly when PostgreSQL is not
//! installed, a failure with `MICRONEEDLING_BOT_REQUIRE_POSTGRES=1`).
//!
//! The same contract as the SQLite file; two recorders ("processes") on one database;
//! the database stopped and started again under a recorder; retention by one process at
//! a time; nothing identifying in the tables or the server's files; the CLI moving a
//! SQLite record over.

use crate::gaps_recorder::{answer, NOISY, SECRETS};
use crate::gaps_store::{SqliteFresh, CONTRACT};
use crate::support::postgres::{capture_logs, every_value, PgServer};
use crate::support::record::{contains, gap, Stored};
use crate::support::{binary, WAIT};
use microneedling_bot::gaps::{today, GapOutcome, GapStore, PgStore, RecordStore, Recorder, Vote};
use microneedling_bot::metrics::Metrics;
use microneedling_bot::settings::RecordingSettings;
use microneedling_bot::Status;
use std::path::Path;
use std::time::{Duration, Instant};

const FLUSH: Duration = Duration::from_secs(30);

fn settings(url: &str) -> RecordingSettings {
    RecordingSettings {
        enabled: true,
        // Never used with a URL: a file here would be a bug.
        path: "/nonexistent/must-not-be-created/gaps.db".into(),
        url: Some(microneedling_bot::settings::Secret::new(url)),
        retention_days: 30,
    }
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

#[test]
fn the_record_contract_holds_on_postgres() {
    let Some(server) = PgServer::start("the_record_contract_holds_on_postgres") else {
        return;
    };
    let mut n = 0;
    let mut fresh = || -> Box<dyn RecordStore> {
        n += 1;
        let url = server.create_database(&format!("contract{n}"));
        Box::new(PgStore::connect(&url).expect("connect"))
    };
    for (name, contract) in CONTRACT {
        eprintln!("contract on postgres: {name}");
        contract(&mut fresh);
    }
    // Moving a SQLite record over: export there, import here, same record.
    let mut files = SqliteFresh::default();
    let mut sqlite = files.make();
    for q in ["does it hurt", "does it hurt", "peel after needling?"] {
        sqlite
            .record_gap(&gap(today(), GapOutcome::NoMatch, q, Some("pain"), 0.3))
            .unwrap();
    }
    sqlite
        .record_feedback(&vote("pain", true, None), today())
        .unwrap();
    let mut pg = fresh();
    pg.import_rows(&sqlite.export_rows().unwrap()).unwrap();
    assert_eq!(pg.export_rows().unwrap(), sqlite.export_rows().unwrap());
    assert_eq!(pg.gaps(0).unwrap(), sqlite.gaps(0).unwrap());
}

#[test]
fn migrations_run_once_and_a_newer_schema_is_refused() {
    let Some(server) = PgServer::start("migrations_run_once_and_a_newer_schema_is_refused") else {
        return;
    };
    let url = server.create_database("mig");
    // Several processes starting together migrate once, without error.
    let handles: Vec<_> = (0..4)
        .map(|_| {
            let url = url.clone();
            std::thread::spawn(move || PgStore::connect(&url).map(|_| ()))
        })
        .collect();
    for h in handles {
        h.join().unwrap().expect("connect and migrate");
    }
    let mut store = PgStore::connect(&url).unwrap();
    assert_eq!(
        store.schema_version().unwrap(),
        microneedling_bot::gaps::SCHEMA_VERSION
    );
    let mut c = postgres::Client::connect(&url, postgres::NoTls).unwrap();
    c.batch_execute("UPDATE record_schema SET version = version + 1")
        .unwrap();
    let e = PgStore::connect(&url).unwrap_err();
    assert!(
        matches!(e, microneedling_bot::gaps::GapError::NewerSchema { .. }),
        "{e:?}"
    );
    // The recorder refuses it too (the bot then answers without recording).
    assert!(Recorder::open(&settings(&url)).is_err());
    assert!(!Recorder::open_or_disabled(&settings(&url)).is_enabled());
}

#[test]
fn two_recorders_on_one_database_are_read_as_one_record() {
    let Some(server) = PgServer::start("two_recorders_on_one_database") else {
        return;
    };
    let url = server.create_database("shared");
    let a = Recorder::open(&settings(&url)).expect("first process");
    let b = Recorder::open(&settings(&url)).expect("second process");
    assert_eq!(a.path(), None);
    assert_eq!(a.target(), Some(server.url("shared").as_str()));
    for (recorder, only) in [
        (&a, "can microneedling fix a deviated septum"),
        (&b, "is microneedling ok with a pacemaker implant"),
    ] {
        for q in [only, "does microneedling cure baldness in cats"] {
            recorder.record_answer(&answer(q, Status::NoMatch, None, 0.1), "v1");
        }
        recorder.record_answer(
            &answer("how long is downtime", Status::Answered, None, 0.9),
            "v1",
        );
        recorder.record_feedback(vote("downtime", false, Some("is it safe in summer")));
    }
    assert!(a.flush(FLUSH) && b.flush(FLUSH));
    for r in [&a, &b] {
        let stats = r.stats();
        assert_eq!((stats.written, stats.failed, stats.dropped), (4, 0, 0));
    }
    let mut reader = PgStore::connect(&url).unwrap();
    let groups = reader.gaps(today()).unwrap();
    let count = |q: &str| -> u64 {
        let found: Vec<_> = groups.iter().filter(|g| g.question == q).collect();
        assert!(found.len() <= 1, "{q} shown once: {groups:#?}");
        found.first().map_or(0, |g| g.count)
    };
    assert_eq!(count("can microneedling fix a deviated septum"), 1);
    assert_eq!(count("is microneedling ok with a pacemaker implant"), 1);
    assert_eq!(count("does microneedling cure baldness in cats"), 2);
    assert_eq!(count("is it safe in summer"), 2);
    let answered: u64 = reader
        .outcome_counts(today())
        .unwrap()
        .iter()
        .filter(|o| o.outcome == "answered")
        .map(|o| o.count)
        .sum();
    assert_eq!(answered, 2);
    assert_eq!(reader.feedback_counts().unwrap()[0].down, 2);

    // `gaps` reads the union too, from the settings' URL (here the environment).
    let dir = tempfile::tempdir().unwrap();
    let out = binary(dir.path())
        .args(["gaps", "--format", "jsonl"])
        .env("MNBOT_RECORDING__URL", &url)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let septum = stdout
        .lines()
        .filter(|l| l.contains("deviated septum"))
        .count();
    assert_eq!(septum, 1, "{stdout}");
    assert!(stdout.contains(r#""count":2"#), "{stdout}");
    assert!(!Path::new("/nonexistent/must-not-be-created").exists());
}

#[test]
fn retention_is_applied_by_one_process_at_a_time() {
    let Some(server) = PgServer::start("retention_is_applied_by_one_process_at_a_time") else {
        return;
    };
    let url = server.create_database("retention");
    let today = today();
    let mut a = PgStore::connect(&url).unwrap();
    let mut b = PgStore::connect(&url).unwrap();
    a.record_gap(&gap(today - 40, GapOutcome::NoMatch, "old one", None, 0.1))
        .unwrap();
    let first = a
        .apply_retention(today, 30)
        .unwrap()
        .expect("a takes the lock");
    assert_eq!(first.gaps, 1);
    assert!(a.holds_retention_lock());
    // B is not in charge while A lives, however often it tries.
    a.record_gap(&gap(today - 40, GapOutcome::NoMatch, "old two", None, 0.1))
        .unwrap();
    assert_eq!(b.apply_retention(today, 30).unwrap(), None);
    assert_eq!(b.apply_retention(today, 30).unwrap(), None);
    assert_eq!(b.gap_count("old two").unwrap(), 1);
    // A keeps doing it (the lock is held, not taken again).
    assert_eq!(a.apply_retention(today, 30).unwrap().unwrap().gaps, 1);
    a.record_gap(&gap(
        today - 40,
        GapOutcome::NoMatch,
        "old three",
        None,
        0.1,
    ))
    .unwrap();
    // A dies: its connection closes, the lock is free, B takes over (bounded wait
    // while the server notices).
    drop(a);
    let deadline = Instant::now() + WAIT;
    let purged = loop {
        if let Some(p) = b.apply_retention(today, 30).unwrap() {
            break p;
        }
        assert!(Instant::now() < deadline, "B never took over the retention");
        std::thread::sleep(Duration::from_millis(50));
    };
    assert_eq!(purged.gaps, 1);
    assert!(b.holds_retention_lock());
    assert_eq!(b.gap_count("old three").unwrap(), 0);
}

#[test]
fn a_database_that_goes_away_costs_rows_not_replies_and_recording_resumes() {
    let Some(server) = PgServer::start("a_database_that_goes_away") else {
        return;
    };
    let logs = capture_logs();
    let url = server.create_database("flaky");
    let engine = crate::support::engine();
    let metrics = Metrics::new().unwrap();
    let recorder = Recorder::open(&settings(&url)).expect("open");
    // A member's question: answered by the engine, then handed to the recorder.
    let ask = |q: &str| {
        let reply = engine.answer(q);
        recorder.record_answer(&answer(q, Status::NoMatch, None, 0.1), "v1");
        reply
    };
    ask("what is microneedling");
    ask("question before the outage about lasers");
    assert!(recorder.flush(FLUSH));
    assert_eq!(recorder.stats().written, 2);

    server.stop();
    // Members are answered as before, and recording never holds them up.
    let mut slowest = Duration::ZERO;
    for i in 0..40 {
        let started = Instant::now();
        let a = ask(&format!(
            "question during the outage number {i} about peels"
        ));
        slowest = slowest.max(started.elapsed());
        assert!(!a.answer.is_empty());
    }
    assert!(
        slowest < Duration::from_millis(500),
        "a reply waited {slowest:?} on the database"
    );
    assert!(recorder.flush(FLUSH), "the writer keeps going");
    let down = recorder.stats();
    assert!(down.failed + down.dropped >= 40, "{down:?}");
    assert_eq!(down.written, 2, "{down:?}");
    // Counted in the metrics.
    metrics.set_recorder_stats(down.written, down.dropped, down.failed);
    let text = metrics.render().unwrap();
    let failed_line = text
        .lines()
        .find(|l| l.starts_with("mnbot_gap_records_total{result=\"failed\"}"))
        .unwrap_or_else(|| panic!("{text}"));
    assert!(!failed_line.ends_with(" 0"), "{failed_line}");
    // And logged.
    if let Some(logs) = logs {
        let deadline = Instant::now() + WAIT;
        loop {
            let text = String::from_utf8_lossy(&logs.lock().unwrap()).to_string();
            if text.contains("a gap record could not be written") {
                assert!(!text.contains("about peels"), "questions are not logged");
                break;
            }
            assert!(Instant::now() < deadline, "no warning logged:\n{text}");
            std::thread::sleep(Duration::from_millis(20));
        }
    } else {
        eprintln!("log capture unavailable (another subscriber is installed): log not checked");
    }

    server.restart();
    // Recording resumes by itself: bounded in count and time.
    let deadline = Instant::now() + Duration::from_secs(40);
    let mut asked = 0;
    loop {
        ask(&format!(
            "question after the outage number {asked} about peels"
        ));
        asked += 1;
        assert!(recorder.flush(FLUSH));
        if recorder.stats().written > down.written {
            break;
        }
        assert!(
            Instant::now() < deadline && asked < 400,
            "recording did not resume: {:?}",
            recorder.stats()
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    // What is asked from now on is recorded.
    ask("question after recovery about dermaplaning");
    assert!(recorder.flush(FLUSH));
    let mut reader = PgStore::connect(&url).unwrap();
    assert_eq!(
        reader
            .gap_count("question before the outage about lasers")
            .unwrap(),
        1
    );
    assert_eq!(
        reader
            .gap_count("question after recovery about dermaplaning")
            .unwrap(),
        1
    );
}

#[test]
fn a_database_down_at_start_up_is_recorded_to_once_it_is_up() {
    let Some(server) = PgServer::start("a_database_down_at_start_up") else {
        return;
    };
    let url = server.create_database("late");
    server.stop();
    let recorder = Recorder::open(&settings(&url)).expect("opens without the database");
    assert!(recorder.is_enabled());
    recorder.record_answer(
        &answer("asked while it was down", Status::NoMatch, None, 0.1),
        "v1",
    );
    assert!(recorder.flush(FLUSH));
    assert_eq!(recorder.stats().written, 0);
    server.restart();
    let deadline = Instant::now() + Duration::from_secs(40);
    let mut n = 0;
    while recorder.stats().written == 0 {
        assert!(
            Instant::now() < deadline && n < 400,
            "{:?}",
            recorder.stats()
        );
        recorder.record_answer(
            &answer("asked once it was up", Status::NoMatch, None, 0.1),
            "v1",
        );
        n += 1;
        assert!(recorder.flush(FLUSH));
        std::thread::sleep(Duration::from_millis(100));
    }
    let mut reader = PgStore::connect(&url).unwrap();
    assert!(reader.gap_count("asked once it was up").unwrap() >= 1);
}

#[test]
fn the_postgres_record_holds_nothing_identifying_after_noisy_messages() {
    let Some(server) = PgServer::start("the_postgres_record_holds_nothing_identifying") else {
        return;
    };
    let url = server.create_database("privacy");
    let recorder = Recorder::open(&settings(&url)).expect("open");
    for (i, q) in NOISY.iter().enumerate() {
        let (status, suggestion) = match i % 3 {
            0 => (Status::NoMatch, None),
            1 => (Status::Clarify, Some("aftercare")),
            _ => (Status::NoMatch, Some("devices")),
        };
        recorder.record_answer(&answer(q, status, suggestion, 0.2), "v1");
        recorder.record_feedback(Vote {
            entry: "downtime".into(),
            helpful: false,
            knowledge_version: "v1".into(),
            question: Some((*q).into()),
            score: Some(0.5),
        });
    }
    assert!(recorder.flush(FLUSH));
    assert_eq!(recorder.stats().failed, 0);
    let cells = every_value(&url);
    assert!(
        cells.iter().any(|c| c.column == "question"),
        "rows were written"
    );
    for cell in &cells {
        let text = cell.value.text();
        for secret in SECRETS {
            assert!(
                !text.to_lowercase().contains(&secret.to_lowercase()),
                "{}.{} holds {secret:?}: {text}",
                cell.table,
                cell.column
            );
        }
        assert!(
            !text.contains('@'),
            "{}.{}: {text}",
            cell.table,
            cell.column
        );
        assert!(
            !text.contains("<#"),
            "{}.{}: {text}",
            cell.table,
            cell.column
        );
        // No run of 7+ digits (ids, phone numbers) anywhere.
        let digits = text
            .split(|c: char| !c.is_ascii_digit())
            .map(str::len)
            .max()
            .unwrap_or(0);
        assert!(digits < 7, "{}.{}: {text}", cell.table, cell.column);
        if cell.column == "day" {
            assert!(matches!(cell.value, Stored::Text(_)));
        }
    }
    // Nor in the server's files (tables, indexes, WAL): scrubbed before they left.
    drop(recorder);
    let strong: Vec<&str> = SECRETS.iter().copied().filter(|s| s.len() >= 8).collect();
    for (path, bytes) in server.data_files() {
        for secret in &strong {
            assert!(
                !contains(&bytes, secret.as_bytes()),
                "{} holds {secret:?}",
                path.display()
            );
        }
    }
}

#[test]
fn the_cli_moves_a_sqlite_record_to_postgres_and_purges_it() {
    let Some(server) = PgServer::start("the_cli_moves_a_sqlite_record_to_postgres") else {
        return;
    };
    let url = server.create_database("moved");
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("gaps.db");
    {
        let mut store = GapStore::open(&db).unwrap();
        for q in [
            "can I tan after microneedling",
            "can I tan after microneedling",
        ] {
            store
                .record_gap(&gap(today(), GapOutcome::NoMatch, q, Some("sun"), 0.2))
                .unwrap();
        }
        store.record_outcome(Status::NoMatch, today()).unwrap();
    }
    let run = |args: &[&str], with_url: bool| -> String {
        let mut c = binary(dir.path());
        c.args(args);
        if with_url {
            c.env("MNBOT_RECORDING__URL", &url);
        }
        let out = c.output().unwrap();
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(out.status.success(), "{args:?}: {text}");
        text
    };
    let rows = dir.path().join("rows.jsonl");
    // `--db` reads the file even where the settings name a database.
    let said = run(
        &[
            "gaps",
            "export",
            "--db",
            db.to_str().unwrap(),
            "--out",
            rows.to_str().unwrap(),
        ],
        true,
    );
    assert!(said.contains("exported 2 row(s)"), "{said}");
    let said = run(&["gaps", "import", rows.to_str().unwrap()], true);
    assert!(
        said.contains("imported 2 row(s) into postgres://mnbot@127.0.0.1"),
        "{said}"
    );
    let listed = run(&["gaps", "--format", "csv"], true);
    assert!(
        listed.contains("2,can I tan after microneedling,sun"),
        "{listed}"
    );
    // A file that is not an export is refused whole, naming the line.
    let bad = dir.path().join("bad.jsonl");
    std::fs::write(
        &bad,
        format!(
            "{}\n{{\"table\":\"users\"}}\n",
            std::fs::read_to_string(&rows)
                .unwrap()
                .lines()
                .next()
                .unwrap()
        ),
    )
    .unwrap();
    let out = binary(dir.path())
        .args(["gaps", "import", bad.to_str().unwrap()])
        .env("MNBOT_RECORDING__URL", &url)
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("line 2"));
    let said = run(&["gaps", "purge", "--yes"], true);
    assert!(
        said.contains("1 gap row(s)") && said.contains("1 outcome row(s)"),
        "{said}"
    );
    let listed = run(&["gaps"], true);
    assert!(listed.contains("no unanswered questions"), "{listed}");
    // The SQLite file is untouched by all this.
    assert_eq!(
        GapStore::open(&db)
            .unwrap()
            .gap_count("can I tan after microneedling")
            .unwrap(),
        2
    );
    // A database that cannot be reached is an error, not an empty record.
    server.stop();
    let out = binary(dir.path())
        .args(["gaps"])
        .env("MNBOT_RECORDING__URL", &url)
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("cannot open the gap record postgres://mnbot@127.0.0.1"),
        "{err}"
    );
}

#[test]
fn the_bot_reads_the_shared_record_from_its_async_runtime() {
    let Some(server) = PgServer::start("the_bot_reads_the_shared_record_from_its_async_runtime")
    else {
        return;
    };
    let url = server.create_database("from_async");
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    // As `serve` and `/kb gaps` do: open and read on a blocking thread of the runtime.
    let groups = runtime.block_on(async {
        let s = settings(&url);
        let recorder = tokio::task::spawn_blocking(move || Recorder::open_or_disabled(&s))
            .await
            .unwrap();
        assert!(recorder.is_enabled());
        recorder.record_answer(
            &answer("asked from async code", Status::NoMatch, None, 0.1),
            "v1",
        );
        let s = settings(&url);
        tokio::task::spawn_blocking(move || {
            assert!(recorder.flush(FLUSH));
            let mut store = microneedling_bot::gaps::open_existing(&s).unwrap().unwrap();
            store.gaps(today())
        })
        .await
        .unwrap()
        .unwrap()
    });
    assert_eq!(groups.len(), 1);
    assert_eq!(groups[0].question, "asked from async code");
}
