//! Smoke tests of the fake Discord harness (`fake_discord`) with plain
//! serenity and poise: no project code is involved.
//!
//! The harness itself does not need serenity, so it is compiled (and `path_patterns` runs) with
//! `--no-default-features` too; the client tests need the `discord` feature.

use crate::fake_discord::path_matches;

#[test]
fn path_patterns() {
    assert!(path_matches(
        "/channels/*/messages",
        "/api/v10/channels/1/messages"
    ));
    assert!(path_matches(
        "/api/v10/channels/**",
        "/api/v10/channels/1/messages"
    ));
    assert!(path_matches("channels/**", "/api/v10/channels"));
    assert!(!path_matches("/channels/*", "/api/v10/channels/1/messages"));
    assert!(path_matches("/gateway", "/api/v10/gateway?v=10"));
    assert!(!path_matches("/gateway", "/gateway"));
}

#[cfg(feature = "discord")]
mod with_serenity {
    use std::sync::Arc;
    use std::time::{Duration, Instant};

    use crate::fake_discord::*;
    use serde_json::{json, Value};
    use serenity::all::{
        ChannelId, ClientBuilder, Context, CreateActionRow, CreateButton, CreateMessage,
        EditMessage, EventHandler, GatewayIntents, Interaction, Message, Ready, UserId,
    };
    use serenity::async_trait;

    const TOKEN: &str = "fake-token-123";
    const WAIT: Duration = Duration::from_secs(5);

    struct PingPong;

    #[async_trait]
    impl EventHandler for PingPong {
        async fn message(&self, ctx: Context, msg: Message) {
            if msg.author.bot {
                return;
            }
            if msg.content == "ping" {
                msg.channel_id
                    .say(&ctx.http, "pong")
                    .await
                    .expect("sending pong");
            }
        }

        async fn ready(&self, _ctx: Context, _ready: Ready) {}
    }

    fn fast_config() -> FakeConfig {
        FakeConfig {
            heartbeat_interval: Duration::from_millis(300),
            token: Some(TOKEN.to_string()),
            ..FakeConfig::default()
        }
    }

    async fn ping_and_expect_pong(fake: &FakeDiscord, nth_pong: usize) {
        let alice = TestUser::alice();
        fake.dispatch(
            "MESSAGE_CREATE",
            message_create(Some(GUILD_ID), CHANNEL_ID, &alice, "ping", &[]),
        )
        .await;
        let pongs = fake
            .wait_for_count("POST", "/channels/*/messages", nth_pong, WAIT)
            .await;
        assert_eq!(pongs.len(), nth_pong, "expected pong #{nth_pong}");
        let pong = pongs.last().unwrap();
        assert_eq!(
            pong.path,
            format!("/api/v10/channels/{CHANNEL_ID}/messages")
        );
        assert_eq!(pong.content(), Some("pong"));
        assert_eq!(pong.header("authorization"), Some("Bot fake-token-123"));
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn serenity_client_answers_resumes_and_shuts_down() {
        let started = Instant::now();
        let fake = FakeDiscord::start_with(fast_config()).await;
        let intents = GatewayIntents::GUILD_MESSAGES
            | GatewayIntents::DIRECT_MESSAGES
            | GatewayIntents::MESSAGE_CONTENT;
        let mut client = ClientBuilder::new_with_http(fake.serenity_http(TOKEN), intents)
            .event_handler(PingPong)
            .await
            .expect("building the client");
        let shard_manager = Arc::clone(&client.shard_manager);
        let client_task = tokio::spawn(async move { client.start().await });

        assert!(fake.wait_until_ready(WAIT).await, "bot never got READY");

        // The websocket URL came from the fake, not from the real Discord fallback.
        let first = fake.first_request().expect("a request");
        assert_eq!(
            (first.method.as_str(), first.path.as_str()),
            ("GET", "/api/v10/gateway")
        );
        let upgrade = fake
            .requests()
            .into_iter()
            .find(|r| r.is_websocket())
            .expect("websocket upgrade");
        assert_eq!(upgrade.query.as_deref(), Some("v=10"));

        let identifies = fake.identifies();
        assert_eq!(identifies.len(), 1);
        assert_eq!(identifies[0]["token"], json!("Bot fake-token-123"));
        assert_eq!(identifies[0]["intents"], json!(intents.bits()));
        assert_eq!(identifies[0]["shard"], json!([0, 1]));

        ping_and_expect_pong(&fake, 1).await;

        // Heartbeats are answered.
        assert!(
            fake.wait_for_gateway(|s| s.heartbeat_acks >= 1, WAIT).await,
            "no heartbeat within the interval"
        );

        // An abrupt TCP drop: serenity reconnects and RESUMEs the session.
        fake.drop_gateway().await.expect("drop");
        assert!(
            fake.wait_for_gateway(|s| s.successful_resumes >= 1 && s.ready, WAIT)
                .await,
            "no RESUME after a dropped connection: {:?}",
            fake.gateway_stats()
        );
        let resume = &fake.resumes()[0];
        assert_eq!(resume["session_id"], json!("fake-session-1"));
        assert_eq!(resume["token"], json!("Bot fake-token-123"));
        ping_and_expect_pong(&fake, 2).await;

        // A close frame with 4000 (unknown error): resumable as well.
        fake.close_gateway(4000).await.expect("close");
        assert!(
            fake.wait_for_gateway(|s| s.successful_resumes >= 2 && s.ready, WAIT)
                .await,
            "no RESUME after close 4000: {:?}",
            fake.gateway_stats()
        );
        ping_and_expect_pong(&fake, 3).await;

        // RECONNECT (op 7): resumable too.
        let mark = fake.mark();
        fake.send_gateway_raw(json!({ "op": 7, "d": null }))
            .await
            .expect("op 7");
        assert!(
            fake.wait_for_gateway(|s| s.successful_resumes >= 3 && s.ready, WAIT)
                .await,
            "no RESUME after op 7:\n{}",
            fake.transcript()
        );
        ping_and_expect_pong(&fake, 4).await;
        assert!(fake
            .outgoing_messages()
            .iter()
            .any(|m| m.order > mark && m.content.as_deref() == Some("pong")));
        assert_eq!(
            fake.identify_count(),
            1,
            "reconnects must resume, not re-identify"
        );

        // Clean shutdown, bounded in time.
        tokio::time::timeout(WAIT, shard_manager.shutdown_all())
            .await
            .expect("shutdown_all took too long");
        let result = tokio::time::timeout(WAIT, client_task)
            .await
            .expect("client.start() did not return")
            .expect("client task panicked");
        assert!(result.is_ok(), "client ended with {result:?}");
        assert!(
            fake.wait_for_gateway(|s| s.bot_close_codes.contains(&Some(1000)), WAIT)
                .await,
            "bot did not send close 1000: {:?}",
            fake.gateway_stats()
        );
        assert!(
            fake.unknown_requests().is_empty(),
            "{:?}",
            fake.unknown_requests()
        );
        if std::env::var_os("FAKE_DISCORD_TRANSCRIPT").is_some() {
            eprintln!("{}", fake.transcript());
        }
        fake.shutdown().await;
        assert!(
            started.elapsed() < Duration::from_secs(8),
            "{:?}",
            started.elapsed()
        );
    }

    // ----- poise --------------------------------------------------------------------------------

    struct Data;
    type PoiseError = Box<dyn std::error::Error + Send + Sync>;
    type PoiseContext<'a> = poise::Context<'a, Data, PoiseError>;

    /// Replies pong.
    #[poise::command(slash_command)]
    async fn ping(ctx: PoiseContext<'_>) -> Result<(), PoiseError> {
        ctx.say("pong").await?;
        Ok(())
    }

    /// Echoes its argument.
    #[poise::command(slash_command, required_permissions = "SEND_MESSAGES")]
    async fn echo(
        ctx: PoiseContext<'_>,
        #[description = "What to say"] text: String,
    ) -> Result<(), PoiseError> {
        ctx.defer().await?;
        ctx.say(format!("echo: {text}")).await?;
        Ok(())
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn poise_registers_and_answers_slash_commands() {
        let fake = FakeDiscord::start_with(fast_config()).await;
        let framework = poise::Framework::builder()
            .options(poise::FrameworkOptions {
                commands: vec![ping(), echo()],
                ..Default::default()
            })
            .setup(|ctx, _ready, framework| {
                Box::pin(async move {
                    poise::builtins::register_globally(ctx, &framework.options().commands).await?;
                    Ok(Data)
                })
            })
            .build();
        let mut client = ClientBuilder::new_with_http(
            fake.serenity_http(TOKEN),
            GatewayIntents::non_privileged(),
        )
        .framework(framework)
        .await
        .expect("building the client");
        let shard_manager = Arc::clone(&client.shard_manager);
        let client_task = tokio::spawn(async move { client.start().await });

        let put = fake
            .wait_for_request("PUT", "/applications/*/commands", WAIT)
            .await
            .expect("commands were not registered");
        assert_eq!(put.path, format!("/api/v10/applications/{APP_ID}/commands"));
        let names: Vec<&str> = put
            .body
            .as_ref()
            .and_then(Value::as_array)
            .expect("array body")
            .iter()
            .filter_map(|c| c["name"].as_str())
            .collect();
        assert_eq!(names, ["ping", "echo"]);
        assert_eq!(fake.registered_commands(None).len(), 2);
        assert!(!fake
            .requests_matching("GET", "/oauth2/applications/@me")
            .is_empty());
        assert_eq!(fake.first_request().unwrap().path, "/api/v10/gateway");

        // /ping
        let interaction = slash_command_interaction("ping", vec![], 0, &[]);
        let token = interaction["token"].as_str().unwrap().to_string();
        fake.dispatch("INTERACTION_CREATE", interaction).await;
        let reply = fake
            .wait_for_outgoing(|m| m.content.as_deref() == Some("pong"), WAIT)
            .await
            .expect("no pong");
        match &reply.kind {
            OutgoingKind::InteractionCallback {
                token: t,
                callback_type,
                ..
            } => {
                assert_eq!(t, &token);
                assert_eq!(*callback_type, 4);
            }
            other => panic!("unexpected {other:?}"),
        }
        let original = fake.original_response(&token).expect("original response");
        assert_eq!(original["content"], json!("pong"));

        // /echo text:hello: poise defers (callback type 5), then `say` sends a followup, which
        // Discord shows in place of the "thinking" original.
        let interaction = SlashCommandBuilder::new("echo")
            .option(opt_string("text", "hello"))
            .permissions(1 << 11)
            .build();
        let token = interaction["token"].as_str().unwrap().to_string();
        fake.dispatch("INTERACTION_CREATE", interaction).await;
        let followup = fake
            .wait_for_outgoing(|m| matches!(m.kind, OutgoingKind::Followup { .. }), WAIT)
            .await
            .expect("no followup after the deferred response");
        assert_eq!(followup.content.as_deref(), Some("echo: hello"));
        assert!(fake.outgoing_messages().iter().any(|m| matches!(
            m.kind,
            OutgoingKind::InteractionCallback {
                callback_type: 5,
                ..
            }
        )));
        assert_eq!(
            fake.original_response(&token).unwrap()["content"],
            json!("echo: hello")
        );

        tokio::time::timeout(WAIT, shard_manager.shutdown_all())
            .await
            .expect("shutdown_all took too long");
        let _ = tokio::time::timeout(WAIT, client_task)
            .await
            .expect("client.start() did not return");
        assert!(
            fake.unknown_requests().is_empty(),
            "{:?}",
            fake.unknown_requests()
        );
    }

    // ----- payloads and REST routes without a gateway -----------------------------------------

    #[tokio::test]
    async fn payload_builders_deserialize_into_serenity_models() {
        let alice = TestUser::alice();
        let guild_msg = MessageBuilder::guild(GUILD_ID, CHANNEL_ID, &alice, "hi <@1>")
            .mention(&TestUser::testbot())
            .member_roles(&[42])
            .build();
        let msg: Message = serde_json::from_value(guild_msg.clone()).expect("guild message");
        assert_eq!(msg.content, "hi <@1>");
        assert_eq!(msg.mentions.len(), 1);
        assert!(msg.member.is_some());

        let dm: Message = serde_json::from_value(message_create(
            None,
            DM_CHANNEL_ID,
            &TestUser::bot(7, "otherbot"),
            "hello",
            &[],
        ))
        .expect("dm message");
        assert!(dm.guild_id.is_none() && dm.author.bot);

        let reply: Message = serde_json::from_value(
            MessageBuilder::guild(GUILD_ID, CHANNEL_ID, &alice, "re")
                .reply_to(&guild_msg)
                .build(),
        )
        .expect("reply");
        assert!(reply.referenced_message.is_some());

        let slash = SlashCommandBuilder::new("ask")
            .option(opt_string("question", "what is it?"))
            .option(opt_int("n", 3))
            .option(opt_bool("private", true))
            .user_option("who", &alice)
            .permissions(8)
            .roles(&[42, 43])
            .build();
        match serde_json::from_value::<Interaction>(slash).expect("slash") {
            Interaction::Command(c) => {
                assert_eq!(c.data.name, "ask");
                assert_eq!(c.data.options.len(), 4);
                assert_eq!(c.user.id, UserId::new(USER_ID));
                assert_eq!(c.member.as_ref().unwrap().roles.len(), 2);
            }
            other => panic!("not a command: {other:?}"),
        }
        let dm_slash = SlashCommandBuilder::new("ask").dm(DM_CHANNEL_ID).build();
        assert!(matches!(
            serde_json::from_value::<Interaction>(dm_slash).expect("dm slash"),
            Interaction::Command(c) if c.guild_id.is_none()
        ));
        let auto = SlashCommandBuilder::new("ask")
            .option(opt_focused("question", "wha"))
            .autocomplete()
            .build();
        assert!(matches!(
            serde_json::from_value::<Interaction>(auto).expect("autocomplete"),
            Interaction::Autocomplete(_)
        ));

        let button = component_interaction("more", &guild_msg);
        match serde_json::from_value::<Interaction>(button).expect("component") {
            Interaction::Component(c) => {
                assert_eq!(c.data.custom_id, "more");
                assert_eq!(c.message.id, msg.id);
            }
            other => panic!("not a component: {other:?}"),
        }
        let select = ComponentBuilder::string_select("topic", &guild_msg, &["a"]).build();
        assert!(matches!(
            serde_json::from_value::<Interaction>(select).expect("select"),
            Interaction::Component(_)
        ));

        let guild = guild_create(
            GUILD_ID,
            "Test guild",
            OWNER_ID,
            DEFAULT_APP_PERMISSIONS,
            &[role_json(42, "mods", 1 << 13, 1)],
            &[guild_text_channel(GUILD_ID, CHANNEL_ID, "general")],
            &[
                member_json(&TestUser::testbot(), 0, &[]),
                member_json(&alice, 0, &[42]),
            ],
        );
        let event: serenity::all::GuildCreateEvent =
            serde_json::from_value(guild).expect("guild create");
        assert_eq!(event.guild.channels.len(), 1);
        assert_eq!(event.guild.members.len(), 2);
        assert_eq!(event.guild.roles.len(), 2);

        for channel in [
            guild_text_channel(GUILD_ID, CHANNEL_ID, "general"),
            dm_channel(DM_CHANNEL_ID, &alice),
        ] {
            serde_json::from_value::<serenity::all::Channel>(channel).expect("channel");
        }
    }

    #[tokio::test]
    async fn rest_routes_faults_and_unknown_routes() {
        let fake = FakeDiscord::start_with(fast_config()).await;
        let http = fake.serenity_http(TOKEN);

        let me = http.get_current_user().await.expect("users/@me");
        assert_eq!(me.id, UserId::new(BOT_ID));
        let app = http
            .get_current_application_info()
            .await
            .expect("oauth2/applications/@me");
        assert_eq!(app.id.get(), APP_ID);
        let gateway = http.get_bot_gateway().await.expect("gateway/bot");
        assert_eq!(gateway.url, fake.gateway_url());
        assert!(http
            .get_channel(ChannelId::new(CHANNEL_ID))
            .await
            .unwrap()
            .guild()
            .is_some());
        assert!(http
            .get_channel(ChannelId::new(DM_CHANNEL_ID))
            .await
            .unwrap()
            .private()
            .is_some());
        let dm = UserId::new(USER_ID)
            .create_dm_channel(&http)
            .await
            .expect("create dm");
        assert_eq!(dm.recipient.id, UserId::new(USER_ID));

        // A message with a button round-trips through the fake's echo.
        let channel = ChannelId::new(CHANNEL_ID);
        let sent =
            channel
                .send_message(
                    &http,
                    CreateMessage::new().content("hello").components(vec![
                        CreateActionRow::Buttons(vec![CreateButton::new("more").label("More")]),
                    ]),
                )
                .await
                .expect("send with components");
        assert_eq!(sent.components.len(), 1);
        let mut sent = sent;
        sent.edit(&http, EditMessage::new().content("edited"))
            .await
            .expect("edit");
        assert_eq!(sent.content, "edited");
        let out = fake.outgoing_messages();
        assert_eq!(out.len(), 2);
        assert_eq!(out[0].components().len(), 1);
        assert!(matches!(
            out[1].kind,
            OutgoingKind::EditChannelMessage { .. }
        ));

        // Fault injection: two 500s, then success.
        fake.fail_next("POST", "/channels/*/messages", 2, 500);
        for _ in 0..2 {
            let err = channel.say(&http, "x").await.expect_err("injected 500");
            assert!(err.to_string().contains("500"), "{err}");
        }
        channel
            .say(&http, "third time")
            .await
            .expect("after faults");

        // 429 with retry_after decodes as a Discord error.
        fake.rate_limit_next("POST", "/channels/*/messages", 1, 0.25);
        match channel.say(&http, "x").await {
            Err(serenity::Error::Http(serenity::http::HttpError::UnsuccessfulRequest(e))) => {
                assert_eq!(e.status_code.as_u16(), 429);
                assert_eq!(e.error.message, "You are being rate limited.");
            }
            other => panic!("expected 429, got {other:?}"),
        }
        let limited = fake
            .requests_matching("POST", "/channels/*/messages")
            .into_iter()
            .filter(|r| r.status == 429)
            .count();
        assert_eq!(limited, 1);

        // Delays are bounded and applied once.
        fake.delay_next("GET", "/users/@me", 1, Duration::from_millis(200));
        let t = Instant::now();
        http.get_current_user().await.unwrap();
        assert!(t.elapsed() >= Duration::from_millis(200));

        // Unknown routes answer 404 and are recorded.
        let err = http
            .get_guild(serenity::all::GuildId::new(GUILD_ID))
            .await
            .expect_err("unknown route");
        assert!(err.to_string().contains("Not Found"), "{err}");
        let unknown = fake.unknown_requests();
        assert_eq!(unknown.len(), 1);
        assert_eq!(unknown[0].path, format!("/api/v10/guilds/{GUILD_ID}"));

        // A wrong token is rejected (REST 401).
        let bad = fake.serenity_http("wrong");
        let err = bad.get_current_user().await.expect_err("401");
        assert!(
            err.to_string().contains("401") || err.to_string().contains("Unauthorized"),
            "{err}"
        );

        // Waits are bounded.
        let t = Instant::now();
        assert!(fake
            .wait_for_request("DELETE", "/nothing", Duration::from_millis(100))
            .await
            .is_none());
        assert!(t.elapsed() < Duration::from_secs(1));
        assert!(!fake.wait_until_ready(Duration::from_millis(50)).await);
        assert!(
            fake.close_gateway(4000).await.is_err(),
            "no connection to close"
        );
        fake.shutdown().await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn wrong_token_ends_the_client_with_an_error() {
        let fake = FakeDiscord::start_with(fast_config()).await;
        let mut client = ClientBuilder::new_with_http(
            fake.serenity_http("wrong"),
            GatewayIntents::non_privileged(),
        )
        .event_handler(PingPong)
        .await
        .expect("building the client");
        let result = tokio::time::timeout(WAIT, client.start())
            .await
            .expect("client.start() did not return after close 4004");
        assert!(result.is_err(), "{result:?}\n{}", fake.transcript());
        assert_eq!(fake.identify_count(), 1);
        assert_eq!(fake.first_request().unwrap().path, "/api/v10/gateway");
    }
}
