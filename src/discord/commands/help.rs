//! `/help`: what the bot can do, for members, privately. The command list is
//! read from the framework's own registered commands (their names and
//! descriptions, as Discord shows them), so a new command appears here by
//! itself; `/kb` and its subcommands are listed only to moderators.

use super::{permissions, send_private_embed, Context, Error};
use crate::discord::render::{self, colour};
use crate::knowledge::Knowledge;

/// What I can do and how to ask me
#[poise::command(slash_command)]
pub async fn help(ctx: Context<'_>) -> Result<(), Error> {
    let bot = ctx.data();
    let _work = bot.inflight.enter();
    let member = match ctx {
        poise::Context::Application(a) => a.interaction.member.as_deref(),
        poise::Context::Prefix(_) => None,
    };
    let moderator = permissions::is_moderator(member, &bot.settings.moderator_roles);
    let listed: Vec<Listed> = ctx
        .framework()
        .options
        .commands
        .iter()
        .filter(|c| !c.hide_in_help)
        .map(|c| Listed {
            name: c.name.to_string(),
            description: c.description.as_deref().unwrap_or_default().to_string(),
            // `/kb`: hidden by permissions, or guarded by the moderator check.
            moderators: !c.default_member_permissions.is_empty() || !c.checks.is_empty(),
            subcommands: c
                .subcommands
                .iter()
                .map(|s| {
                    (
                        s.name.to_string(),
                        s.description.as_deref().unwrap_or_default().to_string(),
                    )
                })
                .collect(),
        })
        .collect();
    let engine = bot.live.engine();
    send_private_embed(
        ctx,
        "help reply",
        help_embed(engine.knowledge(), &listed, moderator),
    )
    .await
}

/// A registered command as `/help` lists it.
#[derive(Debug, Clone)]
pub struct Listed {
    pub name: String,
    pub description: String,
    /// For moderators only (`/kb`): listed only to them.
    pub moderators: bool,
    /// (name, description) of its subcommands.
    pub subcommands: Vec<(String, String)>,
}

/// The `/help` embed: how to ask, the commands, and for moderators `/kb`.
pub fn help_embed(k: &Knowledge, commands: &[Listed], moderator: bool) -> render::EmbedParts {
    let mut everyone = String::new();
    let mut moderators = String::new();
    for c in commands {
        if !c.moderators {
            everyone.push_str(&format!("`/{}`: {}\n", c.name, c.description));
        } else if moderator {
            for (sub, description) in &c.subcommands {
                moderators.push_str(&format!("`/{} {sub}`: {description}\n", c.name));
            }
            if c.subcommands.is_empty() {
                moderators.push_str(&format!("`/{}`: {}\n", c.name, c.description));
            }
        }
    }
    everyone.push_str(
        "Or mention me with your question, or send it to me in a direct message.\n\
         Under an answer, 👍 / 👎 tell the moderators whether it helped.",
    );
    let mut fields = vec![("Commands".to_string(), everyone)];
    if !moderators.is_empty() {
        fields.push(("For moderators".to_string(), moderators));
    }
    render::fit(render::info(
        Some("What I can do"),
        k.texts.help.trim(),
        colour::HELP,
        fields,
        Some(&k.texts.disclaimer),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn listed() -> Vec<Listed> {
        let plain = |name: &str, description: &str| Listed {
            name: name.into(),
            description: description.into(),
            moderators: false,
            subcommands: vec![],
        };
        vec![
            plain("ask", "Ask a question about microneedling"),
            plain("topics", "List the topics I can answer"),
            Listed {
                name: "kb".into(),
                description: "Knowledge base tools for moderators".into(),
                moderators: true,
                subcommands: vec![("gaps".into(), "The unanswered questions".into())],
            },
        ]
    }

    #[test]
    fn members_see_their_commands_and_moderators_also_kb() {
        let k = crate::knowledge::load(
            &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("knowledge"),
        )
        .unwrap();
        let member = help_embed(&k, &listed(), false);
        let text = format!("{:?}", member.fields);
        assert!(text.contains("`/ask`: Ask a question"), "{text}");
        assert!(text.contains("`/topics`"), "{text}");
        assert!(!text.contains("/kb"), "{text}");
        assert_eq!(member.fields.len(), 1);
        assert!(render::total(&member) <= crate::discord::render::limit::TOTAL);
        let moderator = help_embed(&k, &listed(), true);
        assert_eq!(moderator.fields.len(), 2);
        assert!(moderator.fields[1].1.contains("`/kb gaps`"));
    }
}
