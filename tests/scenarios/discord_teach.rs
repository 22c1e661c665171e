//! `/kb teach` through the fake Discord: a moderator's teach is served at once
//! (no restart, no file watcher); a member's is refused privately.

use crate::fake_discord::*;
use crate::support::bot::*;
use microneedling_bot::Status;

const DULL: &str = "is it good for a sallow complexion";
const TEXTURE: &str = "uses-skin-texture";

fn teach_options(question: &str, entry: &str) -> Vec<serde_json::Value> {
    vec![opt_string("question", question), opt_string("entry", entry)]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_moderators_teach_answers_the_next_member_question_without_a_restart() {
    // A copy of the knowledge, not watched: only /kb teach's own reload can serve the edit.
    let bot = TestBot::start_with(KnowledgeSource::WatchedCopy, fast_config(), |s| {
        s.knowledge.watch = false;
    })
    .await;
    let before = bot.expected(DULL);
    assert_ne!(before.entry.as_deref(), Some(TEXTURE));
    let version = bot.live.stats().version;

    let reply = bot
        .kb_with("teach", teach_options(DULL, TEXTURE), MANAGE_GUILD, &[])
        .await;
    assert!(reply.ephemeral);
    let text = reply.all_text();
    assert!(text.contains("Phrasing added"), "{text}");
    assert!(text.contains("answered by uses-skin-texture"), "{text}");
    assert_eq!(reply.data["allowed_mentions"], no_mentions());
    assert_ne!(bot.live.stats().version, version, "reloaded");

    let member = member(1);
    let answer = bot.ask(&member, DULL, false).await;
    let expected = bot.expected(DULL);
    assert_eq!(expected.status, Status::Answered);
    assert_eq!(expected.entry.as_deref(), Some(TEXTURE));
    assert_shows(&answer, &expected);

    // A refused teach says why, privately, and changes nothing.
    let files = std::fs::read_to_string(bot.knowledge_dir().join("entries/downtime.toml")).unwrap();
    let refused = bot
        .kb_with(
            "teach",
            teach_options("my face is full of pus, is that normal", "downtime-redness"),
            MANAGE_GUILD,
            &[],
        )
        .await;
    assert!(refused.ephemeral);
    let text = refused.all_text();
    assert!(text.contains("Refused: nothing was changed"), "{text}");
    assert!(text.contains("entries/downtime.toml:"), "{text}");
    assert!(!text.contains('`'), "no code spans: {text}");
    assert_eq!(
        std::fs::read_to_string(bot.knowledge_dir().join("entries/downtime.toml")).unwrap(),
        files
    );

    let explained = bot
        .kb_with(
            "explain",
            vec![opt_string("question", DULL)],
            MANAGE_GUILD,
            &[],
        )
        .await;
    assert!(explained.ephemeral);
    assert!(
        explained
            .all_text()
            .contains("answered by uses-skin-texture"),
        "{}",
        explained.all_text()
    );
    bot.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_members_teach_is_refused_privately() {
    let bot = TestBot::start_with(KnowledgeSource::WatchedCopy, fast_config(), |s| {
        s.knowledge.watch = false;
    })
    .await;
    let path = bot.knowledge_dir().join("entries/uses.toml");
    let before = std::fs::read_to_string(&path).unwrap();
    let refused = bot
        .kb_with("teach", teach_options(DULL, TEXTURE), 1 << 11, &[])
        .await;
    assert!(refused.ephemeral);
    assert!(
        refused
            .content
            .as_deref()
            .unwrap_or("")
            .contains("moderators only"),
        "{:?}",
        refused.content
    );
    assert_eq!(std::fs::read_to_string(&path).unwrap(), before);
    assert_ne!(bot.expected(DULL).entry.as_deref(), Some(TEXTURE));
    bot.stop().await.unwrap();
}
