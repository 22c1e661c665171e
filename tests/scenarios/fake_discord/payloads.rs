//! Ids, timestamps and the JSON payload builders: users, members, channels, guilds, and the
//! MESSAGE_CREATE and INTERACTION_CREATE objects tests dispatch with [`FakeDiscord::dispatch`].

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use serde_json::{json, Map, Value};

use super::*;

/// Discord's epoch (2015-01-01) in milliseconds since the Unix epoch.
const DISCORD_EPOCH_MS: u64 = 1_420_070_400_000;

// ---------------------------------------------------------------------------------------------
// Ids and timestamps
// ---------------------------------------------------------------------------------------------

static LAST_SNOWFLAKE: AtomicU64 = AtomicU64::new(0);

/// A fresh, unique snowflake whose timestamp part is "now".
pub fn snowflake() -> u64 {
    let ms = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as u64)
        .unwrap_or(DISCORD_EPOCH_MS)
        .saturating_sub(DISCORD_EPOCH_MS);
    let candidate = ms << 22;
    let mut last = LAST_SNOWFLAKE.load(Ordering::SeqCst);
    loop {
        let next = candidate.max(last + 1);
        match LAST_SNOWFLAKE.compare_exchange(last, next, Ordering::SeqCst, Ordering::SeqCst) {
            Ok(_) => return next,
            Err(actual) => last = actual,
        }
    }
}

/// RFC 3339 timestamp (`2024-05-01T12:00:00.000000+00:00`) as Discord sends them.
pub fn rfc3339(t: SystemTime) -> String {
    let d = t.duration_since(UNIX_EPOCH).unwrap_or_default();
    let secs = d.as_secs();
    let days = (secs / 86_400) as i64;
    let rem = secs % 86_400;
    let (y, m, day) = civil_from_days(days);
    format!(
        "{y:04}-{m:02}-{day:02}T{:02}:{:02}:{:02}.{:06}+00:00",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60,
        d.subsec_micros()
    )
}

/// Days since 1970-01-01 to (year, month, day) (Howard Hinnant's algorithm).
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = if z >= 0 { z } else { z - 146_096 } / 146_097;
    let doe = (z - era * 146_097) as u64;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe as i64 + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

pub(super) fn parse_id(s: &str) -> Option<u64> {
    s.parse().ok()
}

/// A snowflake from a JSON string or number.
pub fn id_of(v: &Value) -> Option<u64> {
    match v {
        Value::String(s) => s.parse().ok(),
        Value::Number(n) => n.as_u64(),
        _ => None,
    }
}

// ---------------------------------------------------------------------------------------------
// Payload builders
// ---------------------------------------------------------------------------------------------

/// A message object (as Discord sends it) with no mentions, embeds or components.
pub(super) fn base_message(id: u64, channel_id: u64, author: Value, content: &str) -> Value {
    json!({
        "id": id.to_string(),
        "channel_id": channel_id.to_string(),
        "author": author,
        "content": content,
        "timestamp": rfc3339(SystemTime::now()),
        "edited_timestamp": null,
        "tts": false,
        "mention_everyone": false,
        "mentions": [],
        "mention_roles": [],
        "attachments": [],
        "embeds": [],
        "components": [],
        "pinned": false,
        "type": 0,
    })
}

/// A user for payloads.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TestUser {
    pub id: u64,
    pub name: String,
    pub bot: bool,
}

impl TestUser {
    /// A human user.
    pub fn new(id: u64, name: &str) -> Self {
        Self {
            id,
            name: name.to_string(),
            bot: false,
        }
    }

    /// A bot user.
    pub fn bot(id: u64, name: &str) -> Self {
        Self {
            id,
            name: name.to_string(),
            bot: true,
        }
    }

    /// The default human user ([`USER_ID`], "alice").
    pub fn alice() -> Self {
        Self::new(USER_ID, "alice")
    }

    /// The fake's default bot user ([`BOT_ID`], "testbot").
    pub fn testbot() -> Self {
        Self::bot(BOT_ID, "testbot")
    }

    /// `<@id>`.
    pub fn mention(&self) -> String {
        format!("<@{}>", self.id)
    }
}

/// A Discord user object.
pub fn user_json(user: &TestUser) -> Value {
    json!({
        "id": user.id.to_string(),
        "username": user.name,
        "discriminator": "0",
        "global_name": user.name,
        "avatar": null,
        "bot": user.bot,
    })
}

/// A guild member object (with `user`), as in interactions.
pub fn member_json(user: &TestUser, permissions: u64, roles: &[u64]) -> Value {
    json!({
        "user": user_json(user),
        "nick": null,
        "avatar": null,
        "roles": roles.iter().map(|r| r.to_string()).collect::<Vec<_>>(),
        "joined_at": "2024-01-01T00:00:00.000000+00:00",
        "premium_since": null,
        "deaf": false,
        "mute": false,
        "flags": 0,
        "pending": false,
        "permissions": permissions.to_string(),
        "communication_disabled_until": null,
    })
}

/// A guild text channel object (type 0).
pub fn guild_text_channel(guild_id: u64, channel_id: u64, name: &str) -> Value {
    json!({
        "id": channel_id.to_string(),
        "type": 0,
        "guild_id": guild_id.to_string(),
        "name": name,
        "position": 0,
        "permission_overwrites": [],
        "nsfw": false,
        "topic": null,
        "last_message_id": null,
        "parent_id": null,
        "rate_limit_per_user": 0,
        "flags": 0,
    })
}

/// A DM channel object (type 1).
pub fn dm_channel(channel_id: u64, recipient: &TestUser) -> Value {
    json!({
        "id": channel_id.to_string(),
        "type": 1,
        "last_message_id": null,
        "recipients": [user_json(recipient)],
        "flags": 0,
    })
}

/// Builder for MESSAGE_CREATE payloads. See also [`message_create`].
#[derive(Clone, Debug)]
pub struct MessageBuilder {
    pub id: u64,
    pub guild_id: Option<u64>,
    pub channel_id: u64,
    pub author: TestUser,
    pub content: String,
    pub mentions: Vec<TestUser>,
    pub mention_roles: Vec<u64>,
    pub member_roles: Vec<u64>,
    pub referenced_message: Option<Value>,
    pub webhook_id: Option<u64>,
}

impl MessageBuilder {
    /// A message in a guild channel.
    pub fn guild(guild_id: u64, channel_id: u64, author: &TestUser, content: &str) -> Self {
        Self {
            id: snowflake(),
            guild_id: Some(guild_id),
            channel_id,
            author: author.clone(),
            content: content.to_string(),
            mentions: Vec::new(),
            mention_roles: Vec::new(),
            member_roles: Vec::new(),
            referenced_message: None,
            webhook_id: None,
        }
    }

    /// A direct message.
    pub fn dm(channel_id: u64, author: &TestUser, content: &str) -> Self {
        Self {
            guild_id: None,
            ..Self::guild(0, channel_id, author, content)
        }
    }

    /// Sets the message id (default: a fresh snowflake).
    pub fn id(mut self, id: u64) -> Self {
        self.id = id;
        self
    }

    /// Adds a user to `mentions` (the content is not changed; put `user.mention()` in it).
    pub fn mention(mut self, user: &TestUser) -> Self {
        self.mentions.push(user.clone());
        self
    }

    /// Adds a role to `mention_roles`.
    pub fn mention_role(mut self, role: u64) -> Self {
        self.mention_roles.push(role);
        self
    }

    /// Roles of the author (guild messages: `member.roles`).
    pub fn member_roles(mut self, roles: &[u64]) -> Self {
        self.member_roles = roles.to_vec();
        self
    }

    /// Makes this a reply to `message` (a message object).
    pub fn reply_to(mut self, message: &Value) -> Self {
        self.referenced_message = Some(message.clone());
        self
    }

    /// Marks the message as sent by a webhook.
    pub fn webhook(mut self, webhook_id: u64) -> Self {
        self.webhook_id = Some(webhook_id);
        self
    }

    /// The MESSAGE_CREATE `d` object.
    pub fn build(&self) -> Value {
        let mut msg = base_message(
            self.id,
            self.channel_id,
            user_json(&self.author),
            &self.content,
        );
        msg["mentions"] = Value::Array(self.mentions.iter().map(user_json).collect());
        msg["mention_roles"] = Value::Array(
            self.mention_roles
                .iter()
                .map(|r| json!(r.to_string()))
                .collect(),
        );
        if let Some(g) = self.guild_id {
            msg["guild_id"] = json!(g.to_string());
            msg["member"] = json!({
                "roles": self.member_roles.iter().map(|r| r.to_string()).collect::<Vec<_>>(),
                "joined_at": "2024-01-01T00:00:00.000000+00:00",
                "deaf": false,
                "mute": false,
                "flags": 0,
                "nick": null,
                "premium_since": null,
            });
        }
        if let Some(w) = self.webhook_id {
            msg["webhook_id"] = json!(w.to_string());
        }
        if let Some(r) = &self.referenced_message {
            msg["type"] = json!(19);
            msg["message_reference"] = json!({
                "type": 0,
                "message_id": r.get("id").cloned().unwrap_or(Value::Null),
                "channel_id": r.get("channel_id").cloned()
                    .unwrap_or_else(|| json!(self.channel_id.to_string())),
                "guild_id": self.guild_id.map(|g| g.to_string()),
            });
            msg["referenced_message"] = r.clone();
        }
        msg
    }
}

/// A MESSAGE_CREATE `d` object: `guild_id: None` makes a DM.
pub fn message_create(
    guild_id: Option<u64>,
    channel_id: u64,
    author: &TestUser,
    content: &str,
    mentions: &[TestUser],
) -> Value {
    let mut b = match guild_id {
        Some(g) => MessageBuilder::guild(g, channel_id, author, content),
        None => MessageBuilder::dm(channel_id, author, content),
    };
    b.mentions = mentions.to_vec();
    b.build()
}

/// A string option for [`slash_command_interaction`].
pub fn opt_string(name: &str, value: &str) -> Value {
    json!({ "name": name, "type": 3, "value": value })
}

/// An integer option.
pub fn opt_int(name: &str, value: i64) -> Value {
    json!({ "name": name, "type": 4, "value": value })
}

/// A boolean option.
pub fn opt_bool(name: &str, value: bool) -> Value {
    json!({ "name": name, "type": 5, "value": value })
}

/// A number (float) option.
pub fn opt_number(name: &str, value: f64) -> Value {
    json!({ "name": name, "type": 10, "value": value })
}

/// A subcommand with its options.
pub fn opt_subcommand(name: &str, options: Vec<Value>) -> Value {
    json!({ "name": name, "type": 1, "options": options })
}

/// A string option marked `focused` (for autocomplete interactions).
pub fn opt_focused(name: &str, partial: &str) -> Value {
    json!({ "name": name, "type": 3, "value": partial, "focused": true })
}

/// Builder for INTERACTION_CREATE payloads of slash commands (type 2) and autocomplete
/// (type 4). See also [`slash_command_interaction`].
#[derive(Clone, Debug)]
pub struct SlashCommandBuilder {
    pub name: String,
    pub options: Vec<Value>,
    pub guild_id: Option<u64>,
    pub channel_id: u64,
    pub user: TestUser,
    pub permissions: u64,
    pub app_permissions: u64,
    pub roles: Vec<u64>,
    pub interaction_id: u64,
    pub token: String,
    pub command_id: u64,
    pub application_id: u64,
    pub locale: String,
    pub autocomplete: bool,
    pub resolved_users: Vec<TestUser>,
}

/// Permissions sent as `app_permissions` by default: add reactions, view channel, send
/// messages, embed links, attach files, read message history, use external emojis, use
/// application commands, send messages in threads.
pub const DEFAULT_APP_PERMISSIONS: u64 = (1 << 6)
    | (1 << 10)
    | (1 << 11)
    | (1 << 14)
    | (1 << 15)
    | (1 << 16)
    | (1 << 18)
    | (1 << 31)
    | (1 << 38);

impl SlashCommandBuilder {
    /// A command invoked by [`TestUser::alice`] in [`CHANNEL_ID`] of [`GUILD_ID`], with no
    /// member permissions and no roles.
    pub fn new(name: &str) -> Self {
        let interaction_id = snowflake();
        Self {
            name: name.to_string(),
            options: Vec::new(),
            guild_id: Some(GUILD_ID),
            channel_id: CHANNEL_ID,
            user: TestUser::alice(),
            permissions: 0,
            app_permissions: DEFAULT_APP_PERMISSIONS,
            roles: Vec::new(),
            interaction_id,
            token: format!("fake-interaction-token-{interaction_id}"),
            command_id: 0,
            application_id: APP_ID,
            locale: "en-US".to_string(),
            autocomplete: false,
            resolved_users: Vec::new(),
        }
    }

    /// Adds an option (see [`opt_string`] and friends).
    pub fn option(mut self, option: Value) -> Self {
        self.options.push(option);
        self
    }

    /// Adds a user option and the matching `resolved.users` entry.
    pub fn user_option(mut self, name: &str, user: &TestUser) -> Self {
        self.options
            .push(json!({ "name": name, "type": 6, "value": user.id.to_string() }));
        self.resolved_users.push(user.clone());
        self
    }

    /// Invoked in a guild channel.
    pub fn guild(mut self, guild_id: u64, channel_id: u64) -> Self {
        self.guild_id = Some(guild_id);
        self.channel_id = channel_id;
        self
    }

    /// Invoked in a DM channel (no member, `user` set instead).
    pub fn dm(mut self, channel_id: u64) -> Self {
        self.guild_id = None;
        self.channel_id = channel_id;
        self
    }

    /// The invoking user.
    pub fn user(mut self, user: &TestUser) -> Self {
        self.user = user.clone();
        self
    }

    /// The invoking member's permissions (bits).
    pub fn permissions(mut self, permissions: u64) -> Self {
        self.permissions = permissions;
        self
    }

    /// The bot's permissions in the channel (`app_permissions`).
    pub fn app_permissions(mut self, permissions: u64) -> Self {
        self.app_permissions = permissions;
        self
    }

    /// The invoking member's roles.
    pub fn roles(mut self, roles: &[u64]) -> Self {
        self.roles = roles.to_vec();
        self
    }

    /// The interaction token (default: derived from the interaction id).
    pub fn token(mut self, token: &str) -> Self {
        self.token = token.to_string();
        self
    }

    /// Makes it an autocomplete interaction (type 4); mark the option with [`opt_focused`].
    pub fn autocomplete(mut self) -> Self {
        self.autocomplete = true;
        self
    }

    /// The INTERACTION_CREATE `d` object.
    pub fn build(&self) -> Value {
        let command_id = if self.command_id == 0 {
            snowflake()
        } else {
            self.command_id
        };
        let mut data = json!({
            "id": command_id.to_string(),
            "name": self.name,
            "type": 1,
            "options": self.options,
        });
        if !self.resolved_users.is_empty() {
            let users: Map<String, Value> = self
                .resolved_users
                .iter()
                .map(|u| (u.id.to_string(), user_json(u)))
                .collect();
            data["resolved"] = json!({ "users": users });
        }
        if let Some(g) = self.guild_id {
            data["guild_id"] = json!(g.to_string());
        }
        let mut v = interaction_base(
            self.interaction_id,
            if self.autocomplete { 4 } else { 2 },
            &self.token,
            self.application_id,
            self.guild_id,
            self.channel_id,
            &self.user,
            self.permissions,
            &self.roles,
            self.app_permissions,
            &self.locale,
        );
        v["data"] = data;
        v
    }
}

#[allow(clippy::too_many_arguments)]
fn interaction_base(
    id: u64,
    kind: u64,
    token: &str,
    application_id: u64,
    guild_id: Option<u64>,
    channel_id: u64,
    user: &TestUser,
    permissions: u64,
    roles: &[u64],
    app_permissions: u64,
    locale: &str,
) -> Value {
    let mut v = json!({
        "id": id.to_string(),
        "application_id": application_id.to_string(),
        "type": kind,
        "token": token,
        "version": 1,
        "channel_id": channel_id.to_string(),
        "app_permissions": app_permissions.to_string(),
        "locale": locale,
        "entitlements": [],
        "authorizing_integration_owners": {},
        "attachment_size_limit": 10_485_760,
    });
    match guild_id {
        Some(g) => {
            v["guild_id"] = json!(g.to_string());
            v["guild_locale"] = json!("en-US");
            v["member"] = member_json(user, permissions, roles);
            v["channel"] = json!({ "id": channel_id.to_string(), "type": 0, "name": "general" });
            v["context"] = json!(0);
        }
        None => {
            v["user"] = user_json(user);
            v["channel"] = json!({ "id": channel_id.to_string(), "type": 1 });
            v["context"] = json!(1);
        }
    }
    v
}

/// A slash command INTERACTION_CREATE `d` object in [`CHANNEL_ID`] of [`GUILD_ID`], invoked by
/// [`TestUser::alice`] with the given member permissions and roles. Use [`SlashCommandBuilder`]
/// for more control (DMs, other users, tokens).
pub fn slash_command_interaction(
    name: &str,
    options: Vec<Value>,
    member_permissions: u64,
    roles: &[u64],
) -> Value {
    let mut b = SlashCommandBuilder::new(name)
        .permissions(member_permissions)
        .roles(roles);
    b.options = options;
    b.build()
}

/// Builder for component (button / select menu) INTERACTION_CREATE payloads (type 3).
#[derive(Clone, Debug)]
pub struct ComponentBuilder {
    pub custom_id: String,
    pub message: Value,
    pub component_type: u64,
    pub values: Option<Vec<String>>,
    pub user: TestUser,
    pub permissions: u64,
    pub roles: Vec<u64>,
    pub interaction_id: u64,
    pub token: String,
    pub application_id: u64,
}

impl ComponentBuilder {
    /// A button click on `message` (a message object, e.g. from
    /// [`FakeDiscord::original_response`] or an [`OutgoingMessage::response`]). Guild and
    /// channel are taken from the message (a message without `guild_id` makes a DM interaction).
    pub fn button(custom_id: &str, message: &Value) -> Self {
        let interaction_id = snowflake();
        Self {
            custom_id: custom_id.to_string(),
            message: message.clone(),
            component_type: 2,
            values: None,
            user: TestUser::alice(),
            permissions: 0,
            roles: Vec::new(),
            interaction_id,
            token: format!("fake-interaction-token-{interaction_id}"),
            application_id: APP_ID,
        }
    }

    /// A string select menu choice.
    pub fn string_select(custom_id: &str, message: &Value, values: &[&str]) -> Self {
        Self {
            component_type: 3,
            values: Some(values.iter().map(|s| s.to_string()).collect()),
            ..Self::button(custom_id, message)
        }
    }

    /// The clicking user.
    pub fn user(mut self, user: &TestUser) -> Self {
        self.user = user.clone();
        self
    }

    /// The clicking member's permissions and roles.
    pub fn member(mut self, permissions: u64, roles: &[u64]) -> Self {
        self.permissions = permissions;
        self.roles = roles.to_vec();
        self
    }

    /// The interaction token.
    pub fn token(mut self, token: &str) -> Self {
        self.token = token.to_string();
        self
    }

    /// The INTERACTION_CREATE `d` object.
    pub fn build(&self) -> Value {
        let channel_id = self
            .message
            .get("channel_id")
            .and_then(id_of)
            .unwrap_or(CHANNEL_ID);
        let guild_id = self.message.get("guild_id").and_then(id_of);
        let mut v = interaction_base(
            self.interaction_id,
            3,
            &self.token,
            self.application_id,
            guild_id,
            channel_id,
            &self.user,
            self.permissions,
            &self.roles,
            DEFAULT_APP_PERMISSIONS,
            "en-US",
        );
        let mut data = json!({
            "custom_id": self.custom_id,
            "component_type": self.component_type,
        });
        if let Some(values) = &self.values {
            data["values"] = json!(values);
        }
        v["data"] = data;
        v["message"] = self.message.clone();
        v
    }
}

/// A button-click INTERACTION_CREATE `d` object for `message` (see [`ComponentBuilder`]).
pub fn component_interaction(custom_id: &str, message: &Value) -> Value {
    ComponentBuilder::button(custom_id, message).build()
}

/// A role object. The `@everyone` role has the guild's id.
pub fn role_json(role_id: u64, name: &str, permissions: u64, position: u16) -> Value {
    json!({
        "id": role_id.to_string(),
        "name": name,
        "color": 0,
        "colors": { "primary_color": 0, "secondary_color": null, "tertiary_color": null },
        "hoist": false,
        "icon": null,
        "unicode_emoji": null,
        "position": position,
        "permissions": permissions.to_string(),
        "managed": false,
        "mentionable": false,
        "flags": 0,
    })
}

/// A GUILD_CREATE `d` object (the guild as the cache sees it): `@everyone` (id = guild id) with
/// `everyone_permissions`, plus `roles`, `channels` (e.g. [`guild_text_channel`]) and
/// `members` (e.g. [`member_json`]; include the bot's own member for permission checks).
pub fn guild_create(
    guild_id: u64,
    name: &str,
    owner_id: u64,
    everyone_permissions: u64,
    roles: &[Value],
    channels: &[Value],
    members: &[Value],
) -> Value {
    let mut all_roles = vec![role_json(guild_id, "@everyone", everyone_permissions, 0)];
    all_roles.extend(roles.iter().cloned());
    json!({
        "id": guild_id.to_string(),
        "name": name,
        "icon": null,
        "icon_hash": null,
        "splash": null,
        "discovery_splash": null,
        "owner_id": owner_id.to_string(),
        "afk_channel_id": null,
        "afk_timeout": 300,
        "verification_level": 0,
        "default_message_notifications": 0,
        "explicit_content_filter": 0,
        "roles": all_roles,
        "emojis": [],
        "features": [],
        "mfa_level": 0,
        "application_id": null,
        "system_channel_id": null,
        "system_channel_flags": 0,
        "rules_channel_id": null,
        "vanity_url_code": null,
        "description": null,
        "banner": null,
        "premium_tier": 0,
        "preferred_locale": "en-US",
        "public_updates_channel_id": null,
        "nsfw_level": 0,
        "stickers": [],
        "premium_progress_bar_enabled": false,
        "joined_at": "2024-01-01T00:00:00.000000+00:00",
        "large": false,
        "unavailable": false,
        "member_count": members.len(),
        "voice_states": [],
        "members": members,
        "channels": channels,
        "threads": [],
        "presences": [],
        "stage_instances": [],
        "guild_scheduled_events": [],
    })
}
