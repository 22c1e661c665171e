//! Two `serve` processes (the built binary) sharing one PostgreSQL, each running one shard
//! of two against one fake Discord, each with its own copy of the knowledge and
//! `knowledge.share` on: what members asked on either shard is recorded once; a `/kb teach`
//! through process A is answered by process B within a bounded wait; broken edits published
//! straight to the table are served by neither, and both keep answering from the last good
//! knowledge at the same version. Skipped loudly without PostgreSQL (a failure with
//! `MICRONEEDLING_BOT_REQUIRE_POSTGRES=1`).

use crate::fake_discord::*;
use crate::knowledge_share::{edit_redness_answer, self_test_breaking, DULL, TEXTURE};
use crate::support::bot::*;
use crate::support::http::{request, sample};
use crate::support::postgres::PgServer;
use crate::support::{binary, knowledge_copy};
use serde_json::Value;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const PREGNANT: &str = "is microneedling ok while pregnant?";
/// Upper bound of each wait on the processes.
const LONG: Duration = Duration::from_secs(30);

/// One bot process: its folder (config.toml, knowledge copy, log), the child, its metrics.
struct Process {
    name: &'static str,
    dir: tempfile::TempDir,
    knowledge: tempfile::TempDir,
    child: Child,
    metrics: SocketAddr,
}

impl Process {
    fn start(name: &'static str, shard: u32, fake: &FakeDiscord, url: &str) -> Process {
        let dir = tempfile::tempdir().unwrap();
        let knowledge = knowledge_copy();
        let metrics: SocketAddr = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .unwrap();
        let config = format!(
            r#"[knowledge]
dir = "{}"
share = true
share_poll_seconds = 2
# As the README advises with sharing: hand edits are served after /kb reload checked them.
watch = false

[discord]
shard_count = 2
shard_range = [{shard}, {shard}]
user_cooldown_seconds = 0
channel_replies_per_minute = 0

[recording]
url = "{url}"

[metrics]
enabled = true
listen = "{metrics}"
"#,
            knowledge.path().display()
        );
        std::fs::write(dir.path().join("config.toml"), config).unwrap();
        let log = std::fs::File::create(dir.path().join("stderr")).unwrap();
        let mut c: Command = binary(dir.path());
        c.arg("serve")
            .env("DISCORD_TOKEN", TOKEN)
            .env("MNBOT_DISCORD__API_BASE", fake.base_url())
            .env("RUST_LOG", "info")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(log);
        for (k, _) in std::env::vars() {
            if k.starts_with("MNBOT_") {
                c.env_remove(k);
            }
        }
        let child = c.spawn().expect("spawn serve");
        Process {
            name,
            dir,
            knowledge,
            child,
            metrics,
        }
    }

    fn log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("stderr")).unwrap_or_default()
    }

    fn file(&self, rel: &str) -> String {
        std::fs::read_to_string(self.knowledge.path().join(rel)).unwrap_or_default()
    }

    fn knowledge_dir(&self) -> PathBuf {
        self.knowledge.path().to_path_buf()
    }

    async fn metrics(&self) -> String {
        request(self.metrics, "GET", "/metrics").await.body
    }

    /// The `version` label of `mnbot_knowledge_info`.
    async fn version(&self) -> String {
        let text = self.metrics().await;
        text.lines()
            .find_map(|l| l.strip_prefix("mnbot_knowledge_info{version=\""))
            .and_then(|rest| rest.split('"').next())
            .unwrap_or_else(|| panic!("{}: no knowledge version in\n{text}", self.name))
            .to_string()
    }

    async fn share_count(&self, result: &str) -> f64 {
        let series = format!("mnbot_knowledge_share_edits_total{{result=\"{result}\"}}");
        sample(&self.metrics().await, &series).unwrap_or(0.0)
    }

    fn terminate(&mut self) {
        let _ = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status();
    }
}

impl Drop for Process {
    fn drop(&mut self) {
        if self.child.try_wait().ok().flatten().is_none() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// What `ask --json` says for `question` over the knowledge in `dir`.
fn expected(dir: &Path, question: &str) -> Value {
    let out = binary(dir)
        .args(["ask", "--json", "--knowledge"])
        .arg(dir)
        .arg(question)
        .output()
        .expect("ask --json");
    serde_json::from_slice(&out.stdout).expect("one JSON reply")
}

/// `/ask` on `shard` by a new member; the reply's embed description.
async fn ask_on(fake: &FakeDiscord, shard: u64, n: u64, question: &str) -> String {
    let interaction = SlashCommandBuilder::new("ask")
        .user(&member(1000 + n))
        .option(opt_string("question", question))
        .build();
    let token = interaction["token"].as_str().unwrap().to_string();
    fake.dispatch_to_shard(shard, "INTERACTION_CREATE", interaction)
        .await;
    let reply = fake
        .wait_for_outgoing(
            |m| matches!(&m.kind, OutgoingKind::InteractionCallback { token: t, .. } if *t == token),
            WAIT,
        )
        .await
        .unwrap_or_else(|| panic!("no reply to /ask on shard {shard}"));
    description(&reply).to_string()
}

/// `/kb <sub>` by a moderator on `shard`; the text of the reply (after the deferral).
async fn kb_on(fake: &FakeDiscord, shard: u64, sub: &str) -> String {
    let i = SlashCommandBuilder::new("kb")
        .option(opt_subcommand(sub, vec![]))
        .permissions(MANAGE_GUILD)
        .build();
    let token = i["token"].as_str().unwrap().to_string();
    fake.dispatch_to_shard(shard, "INTERACTION_CREATE", i).await;
    fake.wait_for_outgoing(
        |m| match &m.kind {
            OutgoingKind::InteractionCallback {
                token: t,
                callback_type,
                ..
            } => *t == token && *callback_type != 5,
            OutgoingKind::Followup { token: t } | OutgoingKind::EditOriginal { token: t } => {
                *t == token
            }
            _ => false,
        },
        LONG,
    )
    .await
    .unwrap_or_else(|| panic!("no reply to /kb {sub} on shard {shard}"))
    .all_text()
}

/// Waits (bounded) until `what` holds.
async fn until<F: std::future::Future<Output = bool>>(
    limit: Duration,
    mut what: impl FnMut() -> F,
) -> bool {
    let deadline = Instant::now() + limit;
    for _ in 0..10_000 {
        if what().await {
            return true;
        }
        if Instant::now() > deadline {
            return false;
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    false
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_processes_on_two_shards_share_the_record_and_the_knowledge() {
    let Some(server) =
        PgServer::start("two_processes_on_two_shards_share_the_record_and_the_knowledge")
    else {
        return;
    };
    // The blocking PostgreSQL client runs a runtime of its own: off this one's threads.
    let url = tokio::task::block_in_place(|| server.create_database("bots"));
    let fake = FakeDiscord::start_with(FakeConfig {
        shards: 2,
        ..fast_config()
    })
    .await;
    let mut a = Process::start("A", 0, &fake, &url);
    let mut b = Process::start("B", 1, &fake, &url);
    assert!(
        fake.wait_until_shards_ready(2, LONG).await,
        "both shards READY:\n{}\nA:\n{}\nB:\n{}",
        fake.transcript(),
        a.log(),
        b.log()
    );
    let mut shards: Vec<Value> = fake
        .identifies()
        .iter()
        .map(|i| i["shard"].clone())
        .collect();
    shards.sort_by_key(|s| s[0].as_u64());
    assert_eq!(
        shards,
        vec![serde_json::json!([0, 2]), serde_json::json!([1, 2])]
    );
    let good = a.version().await;
    assert_eq!(b.version().await, good, "same knowledge at start");

    // 1. Unanswered questions from both shards: each once in the shared record.
    let bot_user = TestUser::testbot();
    for (shard, question) in [(0, COST), (1, PREGNANT)] {
        let msg = MessageBuilder::guild(
            GUILD_ID,
            CHANNEL_ID,
            &member(shard + 1),
            &format!("{} {question}", bot_user.mention()),
        )
        .mention(&bot_user)
        .build();
        let id = msg["id"].as_str().unwrap().to_string();
        fake.dispatch_to_shard(shard, "MESSAGE_CREATE", msg).await;
        assert!(
            fake.wait_for_outgoing(|m| replies_to(m, &id), WAIT)
                .await
                .is_some(),
            "a reply on shard {shard}"
        );
    }
    let gaps = || {
        tokio::task::block_in_place(|| {
            let mut c = postgres::Client::connect(&url, postgres::NoTls).expect("connect");
            c.query("SELECT question, count FROM gaps ORDER BY question", &[])
                .unwrap()
                .iter()
                .map(|r| (r.get::<_, String>(0), r.get::<_, i64>(1)))
                .collect::<Vec<_>>()
        })
    };
    assert!(
        until(LONG, || {
            let n = gaps().len();
            async move { n >= 2 }
        })
        .await,
        "{:?}",
        gaps()
    );
    let rows = gaps();
    assert_eq!(rows.len(), 2, "{rows:?}");
    assert!(rows.iter().all(|(_, n)| *n == 1), "{rows:?}");
    assert!(rows.iter().any(|(q, _)| q.contains("cost")), "{rows:?}");
    assert!(rows.iter().any(|(q, _)| q.contains("pregnant")), "{rows:?}");

    // 2. /kb teach through A (shard 0) is answered by B (shard 1).
    let teach = SlashCommandBuilder::new("kb")
        .option(opt_subcommand(
            "teach",
            vec![opt_string("question", DULL), opt_string("entry", TEXTURE)],
        ))
        .permissions(MANAGE_GUILD)
        .build();
    let token = teach["token"].as_str().unwrap().to_string();
    fake.dispatch_to_shard(0, "INTERACTION_CREATE", teach).await;
    let reply = fake
        .wait_for_outgoing(
            |m| match &m.kind {
                OutgoingKind::InteractionCallback {
                    token: t,
                    callback_type,
                    ..
                } => *t == token && *callback_type != 5,
                OutgoingKind::Followup { token: t } | OutgoingKind::EditOriginal { token: t } => {
                    *t == token
                }
                _ => false,
            },
            LONG,
        )
        .await
        .unwrap_or_else(|| panic!("no reply to /kb teach:\n{}", a.log()));
    let text = reply.all_text();
    assert!(text.contains("Phrasing added"), "{text}");
    assert!(
        text.contains("Shared with the other bot processes"),
        "{text}"
    );
    let taught_at = Instant::now();
    let want = expected(&a.knowledge_dir(), DULL);
    assert_eq!(want["entry"], serde_json::json!(TEXTURE));
    let want = want["answer"].as_str().unwrap().to_string();
    let mut n = 0;
    let served = until(LONG, || {
        n += 1;
        let (fake, want, n) = (&fake, want.clone(), n);
        async move { ask_on(fake, 1, n, DULL).await == want }
    })
    .await;
    assert!(
        served,
        "B never answered with the taught knowledge:\n{}",
        b.log()
    );
    eprintln!(
        "B answered with the edit {:?} after A's reply",
        taught_at.elapsed()
    );
    assert_eq!(a.file("entries/uses.toml"), b.file("entries/uses.toml"));
    assert_eq!(a.file("tests.jsonl"), b.file("tests.jsonl"));
    let taught = a.version().await;
    assert_ne!(taught, good);
    let bv = until(LONG, || {
        let (b, taught) = (&b, taught.clone());
        async move { b.version().await == taught }
    })
    .await;
    assert!(bv, "the metrics of both show one version");
    assert_eq!(b.share_count("applied").await, 1.0);
    assert_eq!(a.share_count("published").await, 1.0);

    // 3. Broken edits published straight to the table: neither process serves them.
    let downtime_a = a.file("entries/downtime.toml");
    let downtime_b = b.file("entries/downtime.toml");
    let redness_a = expected(&a.knowledge_dir(), REDNESS)["answer"]
        .as_str()
        .unwrap()
        .to_string();
    let mut broken = downtime_b.clone();
    broken.push_str("\n[[entry]]\nid = \"unterminated\n");
    let breaking = self_test_breaking(&b.knowledge_dir());
    tokio::task::block_in_place(|| {
        let mut c = postgres::Client::connect(&url, postgres::NoTls).expect("connect");
        for (text, version) in [(broken, "broken-toml"), (breaking, "broken-self-test")] {
            c.execute(
                "INSERT INTO knowledge_edits (path, content, version) VALUES ('entries/downtime.toml', $1, $2)",
                &[&text, &version],
            )
            .unwrap();
        }
        c.execute("NOTIFY mnbot_knowledge_edits, 'x'", &[]).unwrap();
    });
    for p in [&a, &b] {
        let skipped = until(
            LONG,
            || async move { p.share_count("skipped").await >= 2.0 },
        )
        .await;
        assert!(
            skipped,
            "{} did not skip both broken edits:\n{}",
            p.name,
            p.log()
        );
        assert!(
            p.log().contains("skipped, not written, not served"),
            "{}",
            p.log()
        );
    }
    assert_eq!(a.file("entries/downtime.toml"), downtime_a);
    assert_eq!(b.file("entries/downtime.toml"), downtime_b);
    for (p, shard) in [(&a, 0), (&b, 1)] {
        assert_eq!(
            p.version().await,
            taught,
            "{} serves the last good knowledge",
            p.name
        );
        n += 1;
        assert_eq!(ask_on(&fake, shard, n, REDNESS).await, redness_a);
        n += 1;
        assert_eq!(ask_on(&fake, shard, n, DULL).await, want);
    }

    // 4. A hand edit on B, served and shared by /kb reload there; a broken one on A is
    //    refused by /kb reload and served by neither.
    edit_redness_answer(&b.knowledge_dir(), "HAND-EDITED");
    let reply = kb_on(&fake, 1, "reload").await;
    assert!(reply.contains("Knowledge reloaded"), "{reply}");
    assert!(reply.contains("1 changed file(s) shared"), "{reply}");
    let mut m = 100;
    let on_a = until(LONG, || {
        m += 1;
        let (fake, m) = (&fake, m);
        async move { ask_on(fake, 0, m, REDNESS).await.starts_with("HAND-EDITED") }
    })
    .await;
    assert!(on_a, "A never served B's hand edit:\n{}", a.log());
    let hand = b.version().await;
    let av = until(LONG, || {
        let (a, hand) = (&a, hand.clone());
        async move { a.version().await == hand }
    })
    .await;
    assert!(av, "both at B's version");
    std::fs::write(
        a.knowledge_dir().join("entries/downtime.toml"),
        self_test_breaking(&a.knowledge_dir()),
    )
    .unwrap();
    let reply = kb_on(&fake, 0, "reload").await;
    assert!(reply.contains("Not reloaded"), "{reply}");
    assert!(reply.contains("entries/downtime.toml"), "{reply}");
    assert_eq!(a.version().await, hand);
    assert_eq!(b.version().await, hand);
    m += 1;
    assert!(ask_on(&fake, 0, m, REDNESS)
        .await
        .starts_with("HAND-EDITED"));

    // A clean stop of both.
    a.terminate();
    b.terminate();
    for p in [&mut a, &mut b] {
        let deadline = Instant::now() + LONG;
        loop {
            if let Some(status) = p.child.try_wait().unwrap() {
                assert!(status.success(), "{}: {status:?}\n{}", p.name, p.log());
                break;
            }
            assert!(Instant::now() < deadline, "{} did not stop", p.name);
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
    assert!(
        fake.unknown_requests().is_empty(),
        "{:?}",
        fake.unknown_requests()
    );
}
