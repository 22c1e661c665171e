//! The Discord bot end to end: `microneedling_bot::discord::serve` (what `serve` runs)
//! against the fake Discord (`fake_discord`), over real HTTP and a real
//! gateway websocket on 127.0.0.1.
//!
//! Every wait is bounded (`support::WAIT`, the fake's `MAX_WAIT`).

use crate::fake_discord::*;
use crate::support;
use crate::support::bot::*;
use microneedling_bot::Status;
use serde_json::{json, Value};
use std::collections::HashMap;
use std::path::Path;
use std::time::{Duration, Instant};

const URGENT: &str = "my face is oozing pus and I have a fever";
/// An auto-answer channel.
const AUTO_CHANNEL: u64 = 100_000_000_000_000_050;

/// Waits until `cond` holds, polling every 50 ms for at most `WAIT`.
async fn eventually(what: &str, mut cond: impl FnMut() -> bool) {
    let deadline = Instant::now() + WAIT;
    while Instant::now() < deadline {
        if cond() {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("timed out waiting for {what}");
}

/// Gives ignored messages time to (not) be answered: a later message is answered, and a
/// little more time passes.
async fn settle(bot: &TestBot) {
    let sentinel = bot.dm(&member(999), "does it hurt?").await;
    bot.reply_to(&sentinel).await;
    tokio::time::sleep(Duration::from_millis(200)).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn registers_the_commands_with_options_and_default_permissions() {
    let bot = TestBot::start(|_| {}).await;
    let fake = &bot.fake;

    // The gateway URL came from the fake, not from the real Discord fallback.
    let requests = fake.requests();
    assert_eq!(
        (requests[0].method.as_str(), requests[0].path.as_str()),
        ("GET", "/api/v10/gateway"),
        "{}",
        fake.transcript()
    );
    let position = |path: &str| requests.iter().position(|r| r.path == path);
    let shards = position("/api/v10/gateway/bot").expect("autosharded: asks the shard count");
    let websocket = position("/gateway").expect("the websocket");
    assert!(shards < websocket && requests[websocket].is_websocket());
    assert_eq!(requests[websocket].query.as_deref(), Some("v=10"));
    assert!(
        requests.iter().all(|r| r.known_route),
        "{:?}",
        fake.unknown_requests()
    );
    assert!(requests
        .iter()
        .filter(|r| r.path.starts_with("/api/"))
        .all(|r| r.header("authorization") == Some("Bot fake-token-123")));

    // Intents: guilds, guild messages, DMs; no privileged message content.
    let identify = &fake.identifies()[0];
    let intents = identify["intents"].as_u64().unwrap();
    assert_eq!(intents, 1 | (1 << 9) | (1 << 12), "intents {intents:#b}");
    assert_eq!(identify["shard"], json!([0, 1]));

    let commands = fake.registered_commands(None);
    let names: Vec<&str> = commands.iter().filter_map(|c| c["name"].as_str()).collect();
    assert_eq!(names, ["ask", "topics", "about", "help", "kb"]);
    let by_name: HashMap<&str, &Value> = commands
        .iter()
        .map(|c| (c["name"].as_str().unwrap(), c))
        .collect();

    let ask = by_name["ask"];
    assert!(ask["description"]
        .as_str()
        .unwrap()
        .contains("microneedling"));
    let options = ask["options"].as_array().unwrap();
    assert_eq!(options.len(), 2);
    assert_eq!(options[0]["name"], json!("question"));
    assert_eq!(options[0]["type"], json!(3));
    assert_eq!(options[0]["required"], json!(true));
    assert_eq!(options[0]["autocomplete"], json!(true));
    assert_eq!(options[1]["name"], json!("private"));
    assert_eq!(options[1]["type"], json!(5));
    assert_eq!(options[1]["required"], json!(false));
    for open in ["ask", "topics", "about", "help"] {
        assert!(
            by_name[open]
                .get("default_member_permissions")
                .is_none_or(Value::is_null),
            "{open} is for everyone"
        );
    }

    let kb = by_name["kb"];
    assert_eq!(
        kb["default_member_permissions"],
        json!("32"),
        "Manage Server"
    );
    assert_eq!(kb["contexts"], json!([0]), "guild only");
    let subs: Vec<(&str, u64)> = kb["options"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| (o["name"].as_str().unwrap(), o["type"].as_u64().unwrap()))
        .collect();
    assert_eq!(
        subs,
        [
            ("reload", 1),
            ("check", 1),
            ("stats", 1),
            ("gaps", 1),
            ("teach", 1),
            ("decline", 1),
            ("explain", 1)
        ]
    );
    let gaps = &kb["options"][3]["options"];
    assert_eq!(gaps[0]["name"], json!("days"));
    assert_eq!(gaps[0]["type"], json!(4), "an integer");
    assert_eq!(gaps[0]["required"], json!(false));
    assert_eq!(gaps[0]["min_value"].as_f64(), Some(1.0));

    // Autocomplete offers the knowledge's questions.
    let auto = SlashCommandBuilder::new("ask")
        .option(opt_focused("question", "how long does the red"))
        .autocomplete()
        .build();
    let token = bot.interact(auto).await;
    let choices = bot.interaction_reply(&token).await;
    assert!(matches!(
        choices.kind,
        OutgoingKind::InteractionCallback {
            callback_type: 8,
            ..
        }
    ));
    let choices = choices.data["choices"].as_array().unwrap().clone();
    assert!(!choices.is_empty() && choices.len() <= 25);
    assert!(choices[0]["name"]
        .as_str()
        .unwrap()
        .to_lowercase()
        .starts_with("how long does the red"));

    bot.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ask_replies_with_quote_citation_and_disclaimer() {
    let bot = TestBot::start(|_| {}).await;
    let alice = TestUser::alice();

    let reply = bot.ask(&alice, REDNESS, false).await;
    assert!(matches!(
        reply.kind,
        OutgoingKind::InteractionCallback {
            callback_type: 4,
            ..
        }
    ));
    assert!(!reply.ephemeral, "public by default");
    let expected = bot.expected(REDNESS);
    assert_eq!(expected.status, Status::Answered);
    assert_shows(&reply, &expected);
    let e = embed(&reply);
    assert_eq!(e["title"].as_str(), expected.title.as_deref());
    assert_eq!(e["color"], json!(0x2E_CC_71));
    let (citation, quote) = &fields(&reply)[0];
    assert!(quote.contains("24-48 hours"), "{quote}");
    assert!(
        citation.starts_with("Microneedling for Skin Renewal") && citation.contains("paragraph "),
        "{citation}"
    );
    // Follow-ups are buttons carrying entry ids; 👍 / 👎 follow on a row of their own.
    let buttons = button_ids(&reply);
    assert_eq!(buttons.len(), expected.related.len() + 2);
    let (follow_ups, votes) = buttons.split_at(expected.related.len());
    assert!(follow_ups.iter().all(|b| b.starts_with("mnbot:entry:")));
    let version = bot.live.stats().version;
    assert_eq!(
        votes,
        [
            format!("mnbot:vote:up:{version}:downtime-redness"),
            format!("mnbot:vote:down:{version}:downtime-redness")
        ]
    );
    let rows = reply.components();
    assert_eq!(
        rows.last().unwrap()["components"].as_array().unwrap().len(),
        2,
        "the votes' row holds nothing else"
    );

    let private = bot.ask(&alice, REDNESS, true).await;
    assert!(private.ephemeral, "private:true is ephemeral");
    assert_shows(&private, &expected);

    for (command, needle) in [("about", "FAQ bot"), ("topics", "What I can answer")] {
        let token = bot
            .interact(SlashCommandBuilder::new(command).build())
            .await;
        let r = bot.interaction_reply(&token).await;
        assert!(r.ephemeral, "/{command}");
        assert!(
            r.all_text().contains(needle),
            "/{command}: {}",
            r.all_text()
        );
        assert_eq!(r.data["allowed_mentions"], no_mentions());
    }
    let about = bot.fake.outgoing_messages();
    let about = about.iter().rev().nth(1).unwrap();
    assert!(about.all_text().contains("Microneedling for Skin Renewal"));
    assert!(about.all_text().contains(&expected.disclaimer));

    bot.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mentions_and_dms_get_replies_that_ping_nobody_and_bots_are_ignored() {
    let bot = TestBot::start(|_| {}).await;
    let alice = TestUser::alice();
    let engine = support::engine();

    // A mention: a reply to the message, the same answer as `ask --json` gives.
    let msg = bot.mention(&alice, REDNESS).await;
    let reply = bot.reply_to(&msg).await;
    assert_eq!(
        reply.kind,
        OutgoingKind::ChannelMessage {
            channel_id: CHANNEL_ID
        }
    );
    let expected = engine.answer(REDNESS);
    assert_shows(&reply, &expected);
    assert_eq!(
        reply.data["message_reference"]["message_id"], msg["id"],
        "a reply to the message"
    );
    assert!(reply.content.as_deref().unwrap_or("").is_empty());

    // A DM, without a mention.
    let dm = bot.dm(&alice, "does it hurt?").await;
    let reply = bot.reply_to(&dm).await;
    assert_eq!(
        reply.kind,
        OutgoingKind::ChannelMessage {
            channel_id: DM_CHANNEL_ID
        }
    );
    assert_shows(&reply, &engine.answer("does it hurt?"));

    // @everyone, a role and a user in the question: nobody is pinged.
    let loud = format!("@everyone <@&{MOD_ROLE}> <@{}> {REDNESS}", USER_ID + 1);
    let msg = bot.mention(&alice, &loud).await;
    let reply = bot.reply_to(&msg).await;
    assert_eq!(reply.data["allowed_mentions"], no_mentions());
    assert!(!reply.all_text().contains("@everyone"));
    assert_eq!(description(&reply), expected.answer);

    // An empty mention gets the help text.
    let msg = bot.mention(&alice, "").await;
    let reply = bot.reply_to(&msg).await;
    assert_eq!(description(&reply), engine.answer("").answer);
    assert_eq!(engine.answer("").status, Status::Help);

    // Ignored: other bots, the bot itself, webhooks, guild messages without a mention.
    let other_bot = TestUser::bot(USER_ID + 500, "otherbot");
    let ignored = vec![
        bot.mention(&other_bot, REDNESS).await,
        bot.dm(&other_bot, REDNESS).await,
        bot.mention(&TestUser::testbot(), REDNESS).await,
        bot.say(CHANNEL_ID, &alice, REDNESS).await,
        {
            let m = MessageBuilder::guild(GUILD_ID, CHANNEL_ID, &alice, REDNESS)
                .mention(&TestUser::testbot())
                .webhook(USER_ID + 600)
                .build();
            bot.fake.dispatch("MESSAGE_CREATE", m.clone()).await;
            m
        },
    ];
    settle(&bot).await;
    for m in &ignored {
        assert!(bot.replies_to(m).is_empty(), "answered {m}");
    }
    bot.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn auto_answer_channels_answer_only_answers_and_urgent_messages() {
    let bot = TestBot::start(|s| s.discord.auto_answer_channels = vec![AUTO_CHANNEL]).await;
    let alice = TestUser::alice();
    let intents = bot.fake.identifies()[0]["intents"].as_u64().unwrap();
    assert_ne!(intents & (1 << 15), 0, "message content intent");

    let answered = bot.say(AUTO_CHANNEL, &alice, REDNESS).await;
    assert_shows(&bot.reply_to(&answered).await, &bot.expected(REDNESS));
    let urgent = bot.say(AUTO_CHANNEL, &member(1), URGENT).await;
    assert_eq!(
        embed(&bot.reply_to(&urgent).await)["color"],
        json!(0xE7_4C_3C)
    );
    // A mention in the channel is answered whatever the outcome.
    let hello = bot.mention_in(AUTO_CHANNEL, &member(2), "hello").await;
    bot.reply_to(&hello).await;

    let chatter = ["lol nice weather today", "hello", "anyone up for lunch?"];
    let mut ignored = Vec::new();
    for (i, text) in chatter.iter().enumerate() {
        assert!(
            !matches!(bot.expected(text).status, Status::Answered | Status::Urgent),
            "{text}"
        );
        ignored.push(bot.say(AUTO_CHANNEL, &member(10 + i as u64), text).await);
    }
    ignored.push(bot.say(CHANNEL_ID, &alice, REDNESS).await);
    settle(&bot).await;
    for m in &ignored {
        assert!(bot.replies_to(m).is_empty(), "answered {m}");
    }
    bot.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn urgent_and_clarify_replies_and_pressing_a_button() {
    // A margin no answer can clear: every question with a rival topic gets suggestions.
    let bot = TestBot::start(|s| s.matching.min_margin = 1.0).await;
    let alice = TestUser::alice();

    let msg = bot.mention(&alice, URGENT).await;
    let reply = bot.reply_to(&msg).await;
    let expected = bot.expected(URGENT);
    assert_eq!(expected.status, Status::Urgent);
    assert_shows(&reply, &expected);
    let e = embed(&reply);
    assert_eq!(e["color"], json!(0xE7_4C_3C));
    assert!(
        e.get("title").is_none_or(Value::is_null),
        "leads with seek-care text"
    );
    assert!(description(&reply).starts_with(&expected.answer[..20]));

    let question = [
        "how long does it take",
        "how long does it last",
        REDNESS,
        "does it hurt?",
    ]
    .into_iter()
    .find(|q| {
        let a = bot.expected(q);
        a.status == Status::Clarify && a.suggestions.len() >= 2
    })
    .expect("a question with suggestions");
    let expected = bot.expected(question);
    let msg = bot.mention(&alice, question).await;
    let reply = bot.reply_to(&msg).await;
    assert_shows(&reply, &expected);
    assert_eq!(embed(&reply)["color"], json!(0xF1_C4_0F));
    let ids = button_ids(&reply);
    let wanted: Vec<String> = expected
        .suggestions
        .iter()
        .map(|s| format!("mnbot:entry:{}", s.entry))
        .collect();
    assert_eq!(ids[..wanted.len()], wanted[..]);
    let row = &reply.components()[0];
    assert_eq!(row["type"], json!(1));
    assert!(row["components"].as_array().unwrap().len() <= 5);

    // Pressing a suggestion answers that entry, privately.
    let entry = &expected.suggestions[1].entry;
    let message = reply.response.clone().expect("the sent message");
    let press = ComponentBuilder::button(&ids[1], &message)
        .user(&member(3))
        .build();
    let token = bot.interact(press).await;
    let answer = bot.interaction_reply(&token).await;
    assert!(answer.ephemeral);
    let expected = bot.live.engine().answer_entry(entry).unwrap();
    assert_shows(&answer, &expected);
    assert_eq!(
        embed(&answer)["title"].as_str(),
        expected.title.as_deref(),
        "titled with the picked question"
    );
    bot.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn moderator_commands_are_refused_to_members_and_allowed_to_moderators() {
    let bot = TestBot::start(|s| {
        s.discord.guild_id = Some(GUILD_ID);
        s.discord.moderator_roles = vec![MOD_ROLE];
    })
    .await;
    // With moderator roles, Discord shows /kb to everyone and the bot checks.
    let commands = bot.fake.registered_commands(Some(GUILD_ID));
    let kb = commands.iter().find(|c| c["name"] == "kb").unwrap();
    assert!(kb
        .get("default_member_permissions")
        .is_none_or(Value::is_null));

    for sub in ["stats", "reload", "check"] {
        let refused = bot.kb(sub, 1 << 11, &[MOD_ROLE + 1]).await;
        assert!(refused.ephemeral, "{sub}");
        assert!(
            refused
                .content
                .as_deref()
                .unwrap_or("")
                .contains("moderators only"),
            "{sub}: {:?}",
            refused.content
        );
        assert_eq!(refused.data["allowed_mentions"], no_mentions());
    }
    assert_eq!(bot.live.stats().reloads, 0, "a refused reload does nothing");

    let stats = bot.kb("stats", MANAGE_GUILD, &[]).await;
    assert!(stats.ephemeral);
    let text = stats.all_text();
    assert!(text.contains("Knowledge base stats"), "{text}");
    assert!(text.contains(&bot.live.stats().version), "{text}");
    assert!(text.contains("answered: "), "{text}");

    let check = bot.kb("check", 0, &[MOD_ROLE]).await;
    assert!(
        matches!(check.kind, OutgoingKind::Followup { .. }),
        "deferred first"
    );
    assert!(check.ephemeral);
    assert!(
        check.all_text().contains("The knowledge files are valid"),
        "{}",
        check.all_text()
    );
    let deferral = bot
        .fake
        .outgoing_messages()
        .into_iter()
        .find(|m| {
            matches!(
                m.kind,
                OutgoingKind::InteractionCallback {
                    callback_type: 5,
                    ..
                }
            )
        })
        .expect("a deferral");
    assert!(deferral.ephemeral);

    let reload = bot.kb("reload", 0, &[MOD_ROLE]).await;
    assert!(
        reload.all_text().contains("Knowledge unchanged"),
        "{}",
        reload.all_text()
    );
    assert_eq!(bot.live.stats().reloads, 1);
    bot.stop().await.unwrap();
}

/// Puts `marker` at the start of the redness entry's answer.
fn edit_redness_answer(dir: &Path, marker: &str) {
    let path = dir.join("entries/downtime.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    let at = text
        .find("id = \"downtime-redness\"")
        .expect("the redness entry");
    let open = "answer = \"\"\"\n";
    let answer = at + text[at..].find(open).expect("its answer") + open.len();
    std::fs::write(
        &path,
        format!("{}{marker} {}", &text[..answer], &text[answer..]),
    )
    .unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_broken_edit_keeps_the_old_answers_and_a_good_one_takes_effect() {
    let bot = TestBot::start_with(KnowledgeSource::WatchedCopy, fast_config(), |_| {}).await;
    let alice = TestUser::alice();
    let dir = bot.knowledge_dir().to_path_buf();
    let file = dir.join("entries/downtime.toml");
    let original = std::fs::read_to_string(&file).unwrap();
    let before = bot.mention(&alice, REDNESS).await;
    let before = description(&bot.reply_to(&before).await).to_string();
    assert!(before.contains("24-48 hours"));
    let version = bot.live.stats().version;

    // A broken edit: the watcher tries, fails, and the old knowledge keeps answering.
    std::fs::write(
        &file,
        format!("{original}\n[[entry]]\nid = \"unterminated\n"),
    )
    .unwrap();
    eventually("the watcher to try the broken edit", || {
        bot.live.stats().failed_reloads >= 1
    })
    .await;
    let msg = bot.mention(&alice, REDNESS).await;
    assert_eq!(description(&bot.reply_to(&msg).await), before);
    assert_eq!(bot.live.stats().version, version);

    // A moderator's reload shows where the problem is.
    let reload = bot.kb("reload", MANAGE_GUILD, &[]).await;
    let text = reload.all_text();
    assert!(text.contains("Reload failed"), "{text}");
    assert!(text.contains("downtime.toml:"), "{text}");

    // A good edit takes effect.
    std::fs::write(&file, &original).unwrap();
    edit_redness_answer(&dir, "EDITED");
    eventually("the good edit to be served", || {
        bot.live
            .engine()
            .answer(REDNESS)
            .answer
            .starts_with("EDITED")
    })
    .await;
    let msg = bot.mention(&alice, REDNESS).await;
    let after = bot.reply_to(&msg).await;
    assert!(
        description(&after).starts_with("EDITED "),
        "{}",
        description(&after)
    );
    assert_ne!(bot.live.stats().version, version);

    let stats = bot.kb("stats", MANAGE_GUILD, &[]).await.all_text();
    assert!(stats.contains("failed"), "{stats}");
    bot.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cooldown_and_channel_cap_answer_with_a_short_notice() {
    let bot = TestBot::start(|s| {
        s.discord.user_cooldown_seconds = 30;
        s.discord.channel_replies_per_minute = 3;
    })
    .await;
    let alice = TestUser::alice();

    let first = bot.ask(&alice, REDNESS, false).await;
    assert!(!first.ephemeral && first.data.get("embeds").is_some());
    let again = bot.ask(&alice, "does it hurt?", false).await;
    assert!(again.ephemeral);
    let notice = again.content.clone().unwrap_or_default();
    assert!(
        notice.contains("wait") && notice.contains("seconds"),
        "{notice}"
    );
    assert!(notice.chars().count() < 200, "short: {notice}");

    // A mention during the cooldown gets a ⏳ reaction, not a reply.
    let mark = bot.fake.mark();
    let msg = bot.mention(&alice, "does it hurt?").await;
    let reaction = bot
        .fake
        .wait_for(
            |r| r.order > mark && r.is("PUT", "/channels/*/messages/*/reactions/**"),
            WAIT,
        )
        .await
        .expect("a reaction");
    assert!(reaction.path.contains(msg["id"].as_str().unwrap()));

    // The seek-care reply is never held back by the cooldown.
    let urgent = bot.mention(&alice, URGENT).await;
    bot.reply_to(&urgent).await;

    // Channel cap: alice's two replies and bob's fill the minute.
    bot.ask(&member(1), REDNESS, false).await;
    let busy = bot.ask(&member(2), REDNESS, false).await;
    assert!(busy.ephemeral);
    assert!(
        busy.content.as_deref().unwrap_or("").contains("private"),
        "{:?}",
        busy.content
    );
    // A private question does not add to the channel.
    let private = bot.ask(&member(2), REDNESS, true).await;
    assert!(private.ephemeral && private.data.get("embeds").is_some());
    assert!(bot.replies_to(&msg).is_empty());
    bot.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn after_the_gateway_closes_or_drops_the_bot_resumes_and_still_answers() {
    let bot = TestBot::start(|_| {}).await;
    let alice = TestUser::alice();
    let fake = &bot.fake;

    fake.close_gateway(4000).await.expect("close");
    assert!(
        fake.wait_for_gateway(|s| s.successful_resumes >= 1 && s.ready, WAIT)
            .await,
        "no RESUME after close 4000:\n{}",
        fake.transcript()
    );
    let msg = bot.mention(&alice, REDNESS).await;
    assert_shows(&bot.reply_to(&msg).await, &bot.expected(REDNESS));

    fake.drop_gateway().await.expect("drop");
    assert!(
        fake.wait_for_gateway(|s| s.successful_resumes >= 2 && s.ready, WAIT)
            .await,
        "no RESUME after a dropped connection:\n{}",
        fake.transcript()
    );
    let token = bot
        .interact(
            SlashCommandBuilder::new("ask")
                .option(opt_string("question", REDNESS))
                .build(),
        )
        .await;
    assert_shows(&bot.interaction_reply(&token).await, &bot.expected(REDNESS));
    let resumes = fake.resumes();
    assert!(resumes
        .iter()
        .all(|r| r["session_id"] == json!("fake-session-1")));
    assert_eq!(fake.identify_count(), 1, "resumed, never re-identified");
    bot.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_discord_5xx_on_a_reply_is_retried_a_bounded_number_of_times() {
    let bot = TestBot::start(|_| {}).await;
    let alice = TestUser::alice();
    let fake = &bot.fake;
    let posts_for = |msg: &Value| {
        let id = msg["id"].clone();
        fake.requests_matching("POST", "/channels/*/messages")
            .into_iter()
            .filter(|r| {
                r.body
                    .as_ref()
                    .and_then(|b| b.pointer("/message_reference/message_id"))
                    == Some(&id)
            })
            .collect::<Vec<_>>()
    };

    // Two 500s, then Discord takes it: three tries, one reply.
    fake.fail_next("POST", "/channels/*/messages", 2, 500);
    let msg = bot.mention(&alice, REDNESS).await;
    bot.reply_to(&msg).await;
    let tries = posts_for(&msg);
    assert_eq!(
        tries.iter().map(|r| r.status).collect::<Vec<_>>(),
        [500, 500, 200]
    );

    // Discord keeps failing: three tries, then the bot gives up and carries on.
    fake.fail_next("POST", "/channels/*/messages", 10, 503);
    let msg = bot.mention(&alice, REDNESS).await;
    eventually("three tries", || posts_for(&msg).len() >= 3).await;
    tokio::time::sleep(Duration::from_millis(1000)).await;
    assert_eq!(posts_for(&msg).len(), 3, "bounded");
    fake.clear_faults();
    let msg = bot.mention(&alice, REDNESS).await;
    bot.reply_to(&msg).await;

    // An interaction callback too.
    fake.fail_next("POST", "/interactions/*/*/callback", 1, 502);
    let reply = bot.ask(&alice, REDNESS, false).await;
    assert_shows(&reply, &bot.expected(REDNESS));
    bot.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_thousand_messages_from_fifty_users_are_answered_exactly_once() {
    let bot = TestBot::start(|_| {}).await;
    let questions = [
        REDNESS,
        "does it hurt?",
        URGENT,
        "can it help with acne scars?",
        "hello",
        "what is the price of a session",
    ];
    let expected: Vec<String> = questions.iter().map(|q| bot.expected(q).answer).collect();
    let channels = [CHANNEL_ID, CHANNEL_ID + 1, CHANNEL_ID + 2, CHANNEL_ID + 3];
    let users: Vec<TestUser> = (0..50).map(member).collect();

    let mut sent: HashMap<String, usize> = HashMap::new();
    for i in 0..1000 {
        let q = i % questions.len();
        let msg = bot
            .mention_in(
                channels[i % channels.len()],
                &users[i % users.len()],
                questions[q],
            )
            .await;
        sent.insert(msg["id"].as_str().unwrap().to_string(), q);
    }
    let replies = bot
        .fake
        .wait_for_count(
            "POST",
            "/channels/*/messages",
            1000,
            Duration::from_secs(30),
        )
        .await;
    if replies.len() != 1000 {
        let answered: std::collections::HashSet<String> = bot
            .fake
            .outgoing_messages()
            .iter()
            .filter_map(|r| {
                r.data["message_reference"]["message_id"]
                    .as_str()
                    .map(str::to_string)
            })
            .collect();
        let missing: Vec<_> = sent
            .keys()
            .filter(|id| !answered.contains(*id))
            .take(5)
            .collect();
        panic!(
            "{} replies; gateway {:?}; missing e.g. {missing:?}; failed requests {:?}",
            replies.len(),
            bot.fake.gateway_stats(),
            bot.fake
                .requests()
                .iter()
                .filter(|r| !r.succeeded() && r.status != 101)
                .map(|r| (r.path.clone(), r.status))
                .collect::<Vec<_>>()
        );
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    let replies = bot.fake.outgoing_messages();
    assert_eq!(replies.len(), 1000, "no extra replies");
    let mut seen: HashMap<String, usize> = HashMap::new();
    for r in &replies {
        let id = r.data["message_reference"]["message_id"]
            .as_str()
            .expect("a reply")
            .to_string();
        let q = *sent.get(&id).expect("a reply to a message that was sent");
        assert_eq!(description(r), expected[q], "reply to {}", questions[q]);
        assert_eq!(r.data["allowed_mentions"], no_mentions());
        *seen.entry(id).or_default() += 1;
    }
    assert_eq!(seen.len(), 1000, "every message answered");
    assert_eq!(bot.fake.identify_count(), 1, "one session throughout");
    assert!(seen.values().all(|n| *n == 1), "exactly once");
    bot.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shutdown_finishes_replies_in_progress_and_closes_the_gateway() {
    let bot = TestBot::start(|_| {}).await;
    let alice = TestUser::alice();
    let msg = bot.mention(&alice, REDNESS).await;
    bot.reply_to(&msg).await;

    // A reply Discord is slow to take is in progress when the shutdown comes.
    bot.fake.delay_next(
        "POST",
        "/channels/*/messages",
        1,
        Duration::from_millis(1500),
    );
    let slow = bot.mention(&alice, "does it hurt?").await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    let started = Instant::now();
    let result = bot.stop().await;
    result.expect("a clean shutdown");
    let took = started.elapsed();
    assert!(took < Duration::from_secs(10), "{took:?}");
    assert!(
        took >= Duration::from_millis(800),
        "waited for the reply: {took:?}"
    );
    let fake = &bot.fake;
    let replies: Vec<_> = fake
        .outgoing_messages()
        .into_iter()
        .filter(|m| replies_to(m, slow["id"].as_str().unwrap()))
        .collect();
    assert_eq!(replies.len(), 1, "the reply in progress was finished");
    assert!(
        fake.gateway_stats().bot_close_codes.contains(&Some(1000)),
        "{:?}",
        fake.gateway_stats()
    );
}
