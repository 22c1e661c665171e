//! Learning from use, privately, end to end: the bot (`discord::serve`) against the fake
//! Discord records outcomes, unanswered questions and 👍 / 👎 votes; moderators read them
//! with `/kb gaps`, `/kb stats` and the real `microneedling-bot gaps`; and the record holds
//! nothing that identifies a member, a guild, a channel or a message.
//!
//! Every wait is bounded (`support::WAIT`).

use crate::fake_discord::*;
use crate::support::binary;
use crate::support::bot::*;
use crate::support::record::{contains, every_value, record_files};
use microneedling_bot::discord::feedback::notice;
use microneedling_bot::gaps::{format_day, today};
use microneedling_bot::Status;
use serde_json::Value;
use std::collections::BTreeSet;

const HURT: &str = "does it hurt?";
const HALAL: &str = "is microneedling halal?";
/// Answered, and the member votes the answer 👎 (with a phone number to scrub).
const WRONG: &str = "is microneedling safe for me? text me on 415-555-2671";
const EMAIL: &str = "jane.doe@example.com";

/// The message object of a bot reply sent as a channel message.
fn sent(m: &OutgoingMessage) -> Value {
    m.response.clone().expect("the fake's message object")
}

/// The 👍 and 👎 custom ids of a reply (the last row), if it has them.
fn vote_ids(m: &OutgoingMessage) -> Option<(String, String)> {
    let ids: Vec<String> = button_ids(m)
        .into_iter()
        .filter(|id| id.starts_with("mnbot:vote:"))
        .collect();
    match ids.as_slice() {
        [up, down] => Some((up.clone(), down.clone())),
        [] => None,
        other => panic!("unexpected vote buttons {other:?}"),
    }
}

/// Every snowflake the fake saw or made: requests' paths and bodies, responses, the
/// gateway frames, plus `extra`.
fn all_ids(fake: &FakeDiscord, extra: &[u64]) -> BTreeSet<u64> {
    fn collect(v: &Value, out: &mut BTreeSet<u64>) {
        match v {
            Value::String(s) if s.len() >= 15 => {
                if let Ok(n) = s.parse::<u64>() {
                    out.insert(n);
                }
            }
            Value::Number(n) => {
                if let Some(n) = n.as_u64().filter(|n| *n >= 100_000_000_000_000) {
                    out.insert(n);
                }
            }
            Value::Array(a) => a.iter().for_each(|x| collect(x, out)),
            Value::Object(o) => o.values().for_each(|x| collect(x, out)),
            _ => {}
        }
    }
    let mut ids: BTreeSet<u64> = extra.iter().copied().collect();
    for r in fake.requests() {
        for seg in r.path.split('/') {
            if let Ok(n) = seg.parse::<u64>() {
                if n >= 100_000_000_000_000 {
                    ids.insert(n);
                }
            }
        }
        if let Some(b) = &r.body {
            collect(b, &mut ids);
        }
        if let Some(b) = &r.response_body {
            collect(b, &mut ids);
        }
    }
    for f in fake.gateway_log() {
        collect(&f.payload, &mut ids);
    }
    ids
}

/// `microneedling-bot gaps <args>` (the real binary) in a directory without settings.
fn gaps_cli(args: &[&str]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let out = binary(dir.path())
        .arg("gaps")
        .args(args)
        .output()
        .expect("runs");
    let stdout = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(
        out.status.success(),
        "gaps {args:?}: {stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    stdout
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn votes_gaps_and_stats_are_recorded_without_identifying_anyone() {
    let bot = TestBot::start(|s| {
        s.discord.guild_id = Some(GUILD_ID);
        s.discord.moderator_roles = vec![MOD_ROLE];
    })
    .await;
    let db = bot.settings.recording.path.clone();
    assert!(db.starts_with(bot.data.path()), "never inside the crate");
    let version = bot.live.stats().version;
    // The entry that answers WRONG (whichever the knowledge picks today).
    let wrong_entry = bot.expected(WRONG).entry.expect("WRONG is answered");
    for (q, status) in [
        (REDNESS, Status::Answered),
        (HURT, Status::Answered),
        (WRONG, Status::Answered),
        (COST, Status::NoMatch),
        (HALAL, Status::NoMatch),
    ] {
        assert_eq!(bot.expected(q).status, status, "{q}");
    }

    // Answered: 👍 / 👎 on a row of their own, carrying the entry and the knowledge version.
    let redness_msg = bot.mention(&member(1), REDNESS).await;
    let redness = bot.reply_to(&redness_msg).await;
    let (up, down) = vote_ids(&redness).expect("votes on an answered reply");
    assert_eq!(up, format!("mnbot:vote:up:{version}:downtime-redness"));
    assert_eq!(down, format!("mnbot:vote:down:{version}:downtime-redness"));
    let rows = redness.components();
    assert!(rows.len() <= 5);
    for row in &rows {
        assert!(row["components"].as_array().unwrap().len() <= 5);
    }
    let last = rows.last().unwrap()["components"]
        .as_array()
        .unwrap()
        .clone();
    assert_eq!(last.len(), 2);
    assert_eq!(last[0]["emoji"]["name"], "👍");
    assert_eq!(last[1]["emoji"]["name"], "👎");

    let hurt = bot.ask(&member(2), HURT, false).await;
    let hurt_token = match &hurt.kind {
        OutgoingKind::InteractionCallback { token, .. } => token.clone(),
        other => panic!("{other:?}"),
    };
    let hurt_message = bot
        .fake
        .original_response(&hurt_token)
        .expect("the /ask reply");
    let (_, hurt_down) = vote_ids(&hurt).expect("votes on /ask replies too");

    let wrong_msg = bot.dm(&member(3), WRONG).await;
    let wrong = bot.reply_to(&wrong_msg).await;
    let (_, wrong_down) = vote_ids(&wrong).expect("votes in DMs too");
    assert!(
        wrong_down.ends_with(&format!(":{wrong_entry}")),
        "{wrong_down}"
    );

    // Unanswered, in several wordings and places, with mentions and an e-mail address.
    let mut asked = vec![redness_msg.clone(), wrong_msg.clone()];
    asked.push(bot.mention(&member(4), COST).await);
    asked.push(bot.dm(&member(5), COST).await);
    asked.push(bot.mention(&member(6), HALAL).await);
    asked.push(bot.mention(&member(7), &format!("@everyone {HALAL}")).await);
    asked.push(
        bot.mention(
            &member(8),
            &format!("is microneedling halal <@{}>?", member(1).id),
        )
        .await,
    );
    asked.push(
        bot.dm(&member(9), &format!("{HALAL} my email is {EMAIL}"))
            .await,
    );
    for m in &asked[2..] {
        let reply = bot.reply_to(m).await;
        assert_eq!(vote_ids(&reply), None, "no votes on a no_match reply");
    }
    let what_cost = bot
        .ask(&member(10), "what does microneedling cost?", false)
        .await;
    assert_eq!(vote_ids(&what_cost), None);

    // 👍 counted once per member: the second press by the same member is not counted.
    let redness_sent = sent(&redness);
    let first = bot.press(&up, &redness_sent, &member(11)).await;
    assert!(first.ephemeral);
    assert_eq!(first.content.as_deref(), Some(notice::THANKS_UP));
    assert_eq!(first.data["allowed_mentions"], no_mentions());
    let again = bot.press(&up, &redness_sent, &member(11)).await;
    assert!(again.ephemeral);
    assert_eq!(again.content.as_deref(), Some(notice::ALREADY));
    let switch = bot.press(&down, &redness_sent, &member(11)).await;
    assert_eq!(
        switch.content.as_deref(),
        Some(notice::ALREADY),
        "one vote per reply"
    );
    let other = bot.press(&up, &redness_sent, &member(12)).await;
    assert_eq!(other.content.as_deref(), Some(notice::THANKS_UP));

    // 👎 on a message reply and on an /ask reply: the question is recorded as a gap.
    let thumbs_down = bot.press(&wrong_down, &sent(&wrong), &member(3)).await;
    assert!(thumbs_down.ephemeral);
    assert_eq!(thumbs_down.content.as_deref(), Some(notice::THANKS_DOWN));
    let thumbs_down = bot.press(&hurt_down, &hurt_message, &member(13)).await;
    assert_eq!(thumbs_down.content.as_deref(), Some(notice::THANKS_DOWN));

    // Members may not read the record.
    let refused = bot.kb("gaps", 1 << 11, &[]).await;
    assert!(refused.ephemeral);
    assert!(refused
        .content
        .as_deref()
        .unwrap_or("")
        .contains("moderators only"));

    // /kb gaps: grouped, most frequent first, with counts, nearest entries and scores.
    let gaps = bot.kb("gaps", 0, &[MOD_ROLE]).await;
    assert!(gaps.ephemeral);
    assert_eq!(gaps.data["allowed_mentions"], no_mentions());
    let text = gaps.all_text();
    assert!(
        text.contains("Unanswered questions: last 30 days"),
        "{text}"
    );
    let halal_at = text.find(&format!("**4×** {HALAL}")).expect(&text);
    let cost_at = text.find(&format!("**3×** {COST}")).expect(&text);
    assert!(halal_at < cost_at, "most frequent first: {text}");
    assert!(text.contains("~ what does microneedling cost?"), "{text}");
    // The 👎 row names the entry that answered; its score is the scrubbed
    // question's (the phone number is gone), so only the entry is pinned.
    assert!(
        text.lines()
            .any(|l| l.contains(&format!("nearest: `{wrong_entry}`")) && l.contains("· 👎 1")),
        "{text}"
    );
    assert!(text.contains("**1×** does it hurt?"), "{text}");
    assert!(
        text.contains("**1×** is microneedling safe for me? text me on"),
        "{text}"
    );
    for leak in [EMAIL, "415", "@everyone", "<@", "member"] {
        assert!(!text.contains(leak), "{leak} in {text}");
    }
    let embed = embed(&gaps);
    assert!(embed["description"].as_str().unwrap().chars().count() <= 4096);
    let one_day = bot
        .kb_with("gaps", vec![opt_int("days", 1)], MANAGE_GUILD, &[])
        .await;
    assert!(
        one_day.all_text().contains("last 1 day"),
        "{}",
        one_day.all_text()
    );
    assert!(one_day.all_text().contains(&format!("**4×** {HALAL}")));

    // /kb stats: helpfulness per entry and outcomes per day.
    let stats = bot.kb("stats", MANAGE_GUILD, &[]).await;
    assert!(stats.ephemeral);
    let text = stats.all_text();
    assert!(text.contains("`downtime-redness`: 2 👍 / 0 👎"), "{text}");
    assert!(
        text.contains(&format!("`{wrong_entry}`: 0 👍 / 1 👎")),
        "{text}"
    );
    assert!(text.contains("`procedure-pain`: 0 👍 / 1 👎"), "{text}");
    assert!(
        text.contains(&format!("{}: answered 3, no_match 7", format_day(today()))),
        "{text}"
    );

    bot.stop().await.unwrap();

    // The real command shows the same groups.
    let db_arg = db.display().to_string();
    let table = gaps_cli(&["--db", &db_arg]);
    assert!(table.contains(HALAL) && table.contains(COST), "{table}");
    let jsonl = gaps_cli(&["--db", &db_arg, "--format", "jsonl"]);
    let groups: Vec<Value> = jsonl
        .lines()
        .map(|l| serde_json::from_str(l).expect("a JSON line"))
        .collect();
    let counted: Vec<(&str, u64)> = groups
        .iter()
        .map(|g| {
            (
                g["question"].as_str().unwrap(),
                g["count"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(counted[0], (HALAL, 4), "{jsonl}");
    assert_eq!(counted[1], (COST, 3), "{jsonl}");
    assert_eq!(counted.len(), 4, "{jsonl}");
    assert!(counted.contains(&(HURT, 1)), "{jsonl}");
    assert!(
        counted.contains(&("is microneedling safe for me? text me on", 1)),
        "{jsonl}"
    );

    // Nothing identifying in any column, nor anywhere in the file's bytes.
    let mut extra: Vec<u64> = vec![BOT_ID, GUILD_ID, CHANNEL_ID, DM_CHANNEL_ID, MOD_ROLE];
    extra.extend((0..=13).map(|n| member(n).id));
    let ids = all_ids(&bot.fake, &extra);
    assert!(
        ids.len() > 30,
        "the fake's ids were gathered: {}",
        ids.len()
    );
    let values: Vec<(String, String, String)> = every_value(&db)
        .into_iter()
        .map(|c| (c.table, c.column, c.value.text()))
        .collect();
    let questions: Vec<&str> = values
        .iter()
        .filter(|(t, c, _)| t == "gaps" && c == "question")
        .map(|(_, _, v)| v.as_str())
        .collect();
    assert!(questions.contains(&HALAL), "{questions:?}");
    // Words that would point at someone (the knowledge version, a hash, is left out).
    let words = [
        EMAIL, "jane", "example", "@", "<#", "415", "555", "2671", "alice", "member", "everyone",
    ];
    for (table, column, value) in &values {
        for id in &ids {
            assert!(
                !value.contains(&id.to_string()),
                "id {id} in {table}.{column}: {value}"
            );
        }
        if ["question", "best_entry", "entry", "outcome"].contains(&column.as_str()) {
            for w in words {
                assert!(!value.contains(w), "{w:?} in {table}.{column}: {value}");
            }
        }
        if column == "question" {
            assert!(
                !value
                    .as_bytes()
                    .windows(5)
                    .any(|w| w.iter().all(u8::is_ascii_digit)),
                "a long digit run in {table}.{column}: {value}"
            );
        }
    }
    let files = record_files(&db);
    assert!(!files.is_empty());
    for (file, bytes) in &files {
        let file = file.display();
        for id in &ids {
            for needle in [
                id.to_string().into_bytes(),
                id.to_be_bytes().to_vec(),
                id.to_le_bytes().to_vec(),
            ] {
                assert!(!contains(bytes, &needle), "id {id} in {file}");
            }
        }
        for w in [
            EMAIL,
            "jane.doe",
            "example.com",
            "415-555",
            "<@",
            "@everyone",
        ] {
            assert!(!contains(bytes, w.as_bytes()), "{w:?} in {file}");
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_recording_off_nothing_is_written_and_replies_take_no_votes() {
    let bot = TestBot::start(|s| s.recording.enabled = false).await;
    let alice = TestUser::alice();

    let msg = bot.mention(&alice, REDNESS).await;
    let reply = bot.reply_to(&msg).await;
    assert_shows(&reply, &bot.expected(REDNESS));
    assert_eq!(
        vote_ids(&reply),
        None,
        "no votes when they are not recorded"
    );
    let msg = bot.dm(&member(1), COST).await;
    bot.reply_to(&msg).await;
    let asked = bot.ask(&member(2), HALAL, false).await;
    assert!(!asked.all_text().is_empty());

    // A stale vote button (from before recording was switched off) is answered, not recorded.
    let version = bot.live.stats().version;
    let stale = format!("mnbot:vote:down:{version}:downtime-redness");
    let pressed = bot.press(&stale, &sent(&reply), &member(3)).await;
    assert!(pressed.ephemeral);
    assert_eq!(pressed.content.as_deref(), Some(notice::THANKS_DOWN));

    let gaps = bot.kb("gaps", MANAGE_GUILD, &[]).await;
    assert!(
        gaps.all_text().contains("switched off"),
        "{}",
        gaps.all_text()
    );
    let stats = bot.kb("stats", MANAGE_GUILD, &[]).await;
    assert!(
        stats.all_text().contains("switched off"),
        "{}",
        stats.all_text()
    );
    assert!(
        stats.all_text().contains("answered: "),
        "the counters since start stay"
    );
    bot.stop().await.unwrap();

    let written: Vec<_> = std::fs::read_dir(bot.data.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert!(written.is_empty(), "{written:?}");
    assert!(!bot.settings.recording.path.exists());
}
