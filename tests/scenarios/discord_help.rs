//! `/help` through the fake Discord: a member gets, privately, what the bot can
//! do (the registered commands, not `/kb`); a moderator also gets `/kb`.

use crate::fake_discord::*;
use crate::support::bot::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn help_lists_what_members_can_do_privately() {
    let bot = TestBot::start(|_| {}).await;
    let names: Vec<String> = bot
        .fake
        .registered_commands(None)
        .iter()
        .filter_map(|c| c["name"].as_str().map(str::to_string))
        .collect();
    assert!(names.contains(&"help".to_string()), "{names:?}");

    let token = bot
        .interact(SlashCommandBuilder::new("help").user(&member(1)).build())
        .await;
    let reply = bot.interaction_reply(&token).await;
    assert!(reply.ephemeral, "/help is private");
    assert_eq!(reply.data["allowed_mentions"], no_mentions());
    let text = reply.all_text();
    assert!(text.contains("What I can do"), "{text}");
    for command in ["/ask", "/topics", "/about", "/help"] {
        assert!(text.contains(&format!("`{command}`")), "{command}: {text}");
    }
    assert!(text.contains("mention me"), "{text}");
    assert!(!text.contains("/kb"), "members do not see /kb: {text}");

    let token = bot
        .interact(
            SlashCommandBuilder::new("help")
                .permissions(MANAGE_GUILD)
                .build(),
        )
        .await;
    let text = bot.interaction_reply(&token).await.all_text();
    assert!(text.contains("`/kb gaps`"), "{text}");
    assert!(text.contains("`/kb teach`"), "{text}");
    bot.stop().await.unwrap();
}
