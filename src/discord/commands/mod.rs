//! Slash commands: `/ask`, `/topics`, `/about` and `/help` (its own file) for
//! everyone, `/kb reload|check|stats|gaps` and `/kb teach|decline|explain`
//! (one file each below) for moderators. The
//! moderator check is `/kb`'s poise check ([`moderator`]); poise runs it before
//! every subcommand, and a refusal is answered privately by the framework's
//! error handler ([`refuse`]).

mod decline;
mod explain;
mod help;
mod teach;

use super::limits::{cap_input, Verdict};
use super::moderation;
use super::render::{self, colour, limit, no_mentions, truncate};
use super::{permissions, retry, Bot, Context, Error};
use crate::knowledge::{Knowledge, KnowledgeError, Problem, Summary};
use crate::live::Reloaded;
use poise::CreateReply;
use serenity::all::{CreateAutocompleteResponse, Permissions};
use std::fmt::Write as _;
use std::path::Path;
use std::time::{Instant, SystemTime, UNIX_EPOCH};

/// The commands, with `/kb` hidden from members without Manage Server unless
/// moderator roles are configured (then Discord shows it to everyone and the
/// bot checks the role itself).
pub fn all(moderator_roles: &[u64]) -> Vec<poise::Command<super::Data, Error>> {
    let mut kb = kb();
    if moderator_roles.is_empty() {
        kb.default_member_permissions = Permissions::MANAGE_GUILD;
    }
    vec![ask(), topics(), about(), help::help(), kb]
}

/// A private (ephemeral) text reply with no pings.
fn private(text: impl Into<String>) -> CreateReply {
    CreateReply::default()
        .content(truncate(&text.into(), limit::CONTENT))
        .ephemeral(true)
        .allowed_mentions(no_mentions())
}

/// Sends with bounded retries on a Discord 5xx.
async fn send(ctx: Context<'_>, what: &'static str, reply: CreateReply) -> Result<(), Error> {
    let sent = retry::send(what, || {
        let reply = reply.clone();
        async move { ctx.send(reply).await.map(|_| ()) }
    })
    .await;
    if sent.is_err() {
        ctx.data().stats.failed_reply();
    }
    Ok(sent?)
}

/// Ask a question about microneedling
#[poise::command(slash_command)]
pub async fn ask(
    ctx: Context<'_>,
    #[description = "Your question, in your own words"]
    #[autocomplete = "autocomplete_question"]
    question: String,
    #[description = "Only you see the answer (default: the channel sees it)"] private: Option<bool>,
) -> Result<(), Error> {
    let started = Instant::now();
    let bot = ctx.data();
    let _work = bot.inflight.enter();
    let private_reply = private.unwrap_or(false);
    let engine = bot.live.engine();
    let a = engine.answer(cap_input(&question, bot.max_input));
    let in_channel = (!private_reply).then(|| ctx.channel_id().get());
    let verdict = bot.limits.admit(
        ctx.author().id.get(),
        in_channel,
        a.status == crate::Status::Urgent,
        Instant::now(),
    );
    if let Some(notice) = verdict.notice() {
        match verdict {
            Verdict::Cooldown { .. } => bot.stats.cooldown(),
            _ => bot.stats.busy_channel(),
        }
        tracing::info!(via = "slash", refused = ?verdict, "question refused by a limit");
        return send(ctx, "limit notice", self::private(notice)).await;
    }
    let reply = bot.render(&engine, &a);
    let create = CreateReply::default()
        .embed(reply.embed())
        .components(reply.components())
        .ephemeral(private_reply)
        .allowed_mentions(no_mentions());
    send(ctx, "ask reply", create).await?;
    // The reply is the interaction's response: a 👎 on it finds the question
    // under the interaction's id.
    bot.replied("slash", &engine, &a, started, Some(ctx.id()));
    Ok(())
}

/// Up to 25 knowledge questions for what the member has typed so far.
async fn autocomplete_question(ctx: Context<'_>, partial: &str) -> CreateAutocompleteResponse {
    let engine = ctx.data().live.engine();
    suggest_questions(engine.knowledge(), partial, 25)
        .into_iter()
        .fold(CreateAutocompleteResponse::new(), |r, q| {
            r.add_string_choice(q.clone(), q)
        })
}

/// Knowledge questions matching a partly typed one: those starting with it
/// first, then those containing it, then those containing each of its words;
/// entry titles before other phrasings. Empty input lists the entries' titles.
pub fn suggest_questions(k: &Knowledge, partial: &str, max: usize) -> Vec<String> {
    let partial = partial.trim().to_lowercase();
    let words: Vec<&str> = partial.split_whitespace().collect();
    let mut scored: Vec<(u8, usize, usize, &str)> = Vec::new();
    for (ei, e) in k.entries.iter().enumerate() {
        for (qi, q) in e.questions.iter().enumerate() {
            let lower = q.to_lowercase();
            let rank = if partial.is_empty() {
                if qi == 0 {
                    Some(0)
                } else {
                    None
                }
            } else if lower.starts_with(&partial) {
                Some(0)
            } else if lower.contains(&partial) {
                Some(1)
            } else if words.iter().all(|w| lower.contains(w)) {
                Some(2)
            } else {
                None
            };
            if let Some(rank) = rank {
                scored.push((rank, usize::from(qi != 0), ei * 1000 + qi, q));
            }
        }
    }
    scored.sort();
    let mut out: Vec<String> = Vec::new();
    for (_, _, _, q) in scored {
        let q = truncate(q, limit::CHOICE);
        if !out.iter().any(|o| o.eq_ignore_ascii_case(&q)) {
            out.push(q);
        }
        if out.len() == max {
            break;
        }
    }
    out
}

/// List the topics I can answer, with example questions
#[poise::command(slash_command)]
pub async fn topics(ctx: Context<'_>) -> Result<(), Error> {
    reply_private(ctx, "topics reply", topics_embed).await
}

/// Answers only the member who asked with an embed built from the current knowledge.
async fn reply_private(
    ctx: Context<'_>,
    what: &'static str,
    build: fn(&Knowledge) -> render::EmbedParts,
) -> Result<(), Error> {
    let bot = ctx.data();
    let _work = bot.inflight.enter();
    let engine = bot.live.engine();
    send_private_embed(ctx, what, build(engine.knowledge())).await
}

/// The `/topics` embed: one field per topic with up to three example questions.
pub fn topics_embed(k: &Knowledge) -> render::EmbedParts {
    let fields = k
        .topics
        .iter()
        .map(|t| {
            let mut value = t.description.clone();
            for e in k.entries.iter().filter(|e| e.topic == t.id).take(3) {
                let _ = write!(value, "\n• {}", e.title());
            }
            (t.title.clone(), value)
        })
        .collect();
    render::info(
        Some("What I can answer"),
        "Ask with `/ask`, mention me with your question, or send me a DM.",
        colour::HELP,
        fields,
        Some(&k.texts.disclaimer),
    )
}

/// What this bot is, where its answers come from
#[poise::command(slash_command)]
pub async fn about(ctx: Context<'_>) -> Result<(), Error> {
    reply_private(ctx, "about reply", about_embed).await
}

/// The `/about` embed: the about text, the sources, the disclaimer.
pub fn about_embed(k: &Knowledge) -> render::EmbedParts {
    let sources = k
        .sources
        .iter()
        .map(|s| format!("• {}", s.title))
        .collect::<Vec<_>>()
        .join("\n");
    render::info(
        Some("About this bot"),
        k.texts.about.trim(),
        colour::HELP,
        vec![("Source".to_string(), sources)],
        Some(&k.texts.disclaimer),
    )
}

/// Knowledge base tools for moderators
#[poise::command(
    slash_command,
    guild_only,
    subcommands(
        "kb_reload",
        "kb_check",
        "kb_stats",
        "kb_gaps",
        "teach::kb_teach",
        "decline::kb_decline",
        "explain::kb_explain"
    ),
    subcommand_required,
    check = "moderator"
)]
pub async fn kb(_ctx: Context<'_>) -> Result<(), Error> {
    Ok(())
}

/// The poise check of `/kb` (and so of every subcommand): members with
/// Manage Server or a moderator role.
async fn moderator(ctx: Context<'_>) -> Result<bool, Error> {
    let member = match ctx {
        poise::Context::Application(a) => a.interaction.member.as_deref(),
        poise::Context::Prefix(_) => None,
    };
    Ok(permissions::is_moderator(
        member,
        &ctx.data().settings.moderator_roles,
    ))
}

/// Tells a member who failed [`moderator`], privately, that `/kb` is for
/// moderators (an autocomplete request just gets no choices).
pub async fn refuse(ctx: Context<'_>) {
    tracing::info!(command = %ctx.command().qualified_name, "moderator command refused");
    if let poise::Context::Application(a) = ctx {
        if a.interaction_type == poise::CommandInteractionType::Autocomplete {
            return;
        }
    }
    if let Err(e) = send(ctx, "refusal", private(permissions::REFUSAL)).await {
        tracing::warn!(error = %e, "the refusal could not be sent");
    }
}

/// Reload the knowledge files now (moderators)
#[poise::command(slash_command, rename = "reload")]
pub async fn kb_reload(ctx: Context<'_>) -> Result<(), Error> {
    let bot = ctx.data();
    let _work = bot.inflight.enter();
    retry::send("defer", || ctx.defer_ephemeral()).await?;
    if let Some(share) = bot.share.clone() {
        // Shared: hand edits are checked as every other process will check them
        // (load and phrasing self-test) before they are served here.
        let checked = tokio::task::spawn_blocking(move || share.check_changes()).await;
        if let Ok(Err(problems)) = checked {
            tracing::warn!(
                problems = problems.len(),
                serving = %bot.live.stats().version,
                "reload requested by a moderator refused: the changed files have problems; nothing was served or shared"
            );
            let embed = problems_embed(
                &format!(
                    "Not reloaded: the changed files have problems; still serving version `{}`, nothing shared",
                    bot.live.stats().version
                ),
                bot.live.dir(),
                &KnowledgeError { problems },
            );
            return send_private_embed(ctx, "reload reply", embed).await;
        }
    }
    let result = bot.live.reload().await;
    bot.sync_metrics();
    let shared = share_reload(bot, &result).await;
    let mut embed = match &result {
        Ok(Reloaded::Swapped { from, summary }) => {
            tracing::info!(from = %from, version = %summary.version, "knowledge reloaded by a moderator");
            render::info(
                Some("Knowledge reloaded"),
                &format!(
                    "Now serving version `{}` (was `{from}`): {} entries, {} quotes verified.",
                    summary.version, summary.entries, summary.quotes_verified
                ),
                colour::ANSWERED,
                vec![],
                None,
            )
        }
        Ok(Reloaded::Unchanged { version }) => {
            tracing::info!(version = %version, "reload requested by a moderator: knowledge unchanged");
            render::info(
                Some("Knowledge unchanged"),
                &format!(
                    "The files are valid and identical to what I serve (version `{version}`)."
                ),
                colour::ANSWERED,
                vec![],
                None,
            )
        }
        Err(e) => {
            tracing::warn!(problems = e.problems.len(), serving = %bot.live.stats().version, "reload requested by a moderator failed; still serving the previous knowledge:\n{e}");
            problems_embed(
                &format!(
                    "Reload failed: still serving version {}",
                    bot.live.stats().version
                ),
                bot.live.dir(),
                e,
            )
        }
    };
    if let Some(note) = shared {
        embed.description.push_str(&format!("\n{note}"));
    }
    send_private_embed(ctx, "reload reply", embed).await
}

/// With `knowledge.share`, after a successful reload: publishes the files
/// that changed on this process's disk, so every process serves them. The
/// note for the moderator, if sharing is on.
async fn share_reload(bot: &Bot, result: &Result<Reloaded, KnowledgeError>) -> Option<String> {
    let share = bot.share.clone()?;
    if result.is_err() {
        return Some("Nothing was shared with the other bot processes.".to_string());
    }
    let version = bot.live.stats().version;
    let published = tokio::task::spawn_blocking(move || share.publish_changes(&version)).await;
    Some(match published {
        Ok(Ok(0)) => "No file differs from the shared knowledge: nothing to share.".to_string(),
        Ok(Ok(n)) => format!("{n} changed file(s) shared with the other bot processes."),
        Ok(Err(e)) => {
            tracing::warn!(error = %e, "the reloaded knowledge could not be shared");
            format!(
                "Served here, but NOT shared with the other bot processes ({}); run /kb reload again later.",
                e.to_string().replace('`', "'")
            )
        }
        Err(e) => {
            tracing::warn!(error = %e, "sharing the reloaded knowledge failed");
            "Served here, but NOT shared with the other bot processes.".to_string()
        }
    })
}

/// Validate the knowledge files without serving them (moderators)
#[poise::command(slash_command, rename = "check")]
pub async fn kb_check(ctx: Context<'_>) -> Result<(), Error> {
    let bot = ctx.data();
    let _work = bot.inflight.enter();
    retry::send("defer", || ctx.defer_ephemeral()).await?;
    let embed = match bot.live.check().await {
        Ok(summary) => check_embed(&summary, &bot.live.stats().version),
        Err(e) => problems_embed("The knowledge files have problems", bot.live.dir(), &e),
    };
    send_private_embed(ctx, "check reply", embed).await
}

/// Outcomes since start and by day, helpfulness per entry, reloads (moderators)
#[poise::command(slash_command, rename = "stats")]
pub async fn kb_stats(ctx: Context<'_>) -> Result<(), Error> {
    let bot = ctx.data();
    let _work = bot.inflight.enter();
    // Reading the record may wait on the disk: Discord gets a "thinking" first.
    retry::send("defer", || ctx.defer_ephemeral()).await?;
    let record = moderation::read_stats(bot).await;
    let mut embed = stats_embed(bot);
    embed.fields.extend(moderation::stats_fields(&record));
    send_private_embed(ctx, "stats reply", render::fit(embed)).await
}

/// The most frequent unanswered questions, grouped (moderators)
#[poise::command(slash_command, rename = "gaps")]
pub async fn kb_gaps(
    ctx: Context<'_>,
    #[description = "Only the last N days, today included (default: all that is kept)"]
    #[min = 1]
    #[max = 3650]
    days: Option<u32>,
) -> Result<(), Error> {
    let bot = ctx.data();
    let _work = bot.inflight.enter();
    retry::send("defer", || ctx.defer_ephemeral()).await?;
    let kept = bot.recording.retention_days.max(1);
    let days = days.unwrap_or(kept).clamp(1, kept);
    let groups = moderation::read_gaps(bot, days).await;
    send_private_embed(ctx, "gaps reply", moderation::gaps_embed(&groups, days)).await
}

async fn send_private_embed(
    ctx: Context<'_>,
    what: &'static str,
    embed: render::EmbedParts,
) -> Result<(), Error> {
    send(
        ctx,
        what,
        CreateReply::default()
            .embed(embed.to_embed())
            .ephemeral(true)
            .allowed_mentions(no_mentions()),
    )
    .await
}

/// Text with backticks made harmless (a backtick inside a problem, such as
/// "expected `\"`", would open a code span that swallows the rest of the
/// list) and other markdown escaped.
pub(crate) fn plain(text: &str) -> String {
    moderation::escape(&text.replace('`', "'"))
}

/// One bullet per problem (`file:line:column: what`, the path relative to the
/// knowledge directory `dir`), as many as fit in `budget` characters, then
/// "… and N more" and `more`.
pub fn problem_list(dir: &Path, problems: &[Problem], budget: usize, more: &str) -> String {
    let mut text = String::new();
    for (i, p) in problems.iter().enumerate() {
        let mut p = p.clone();
        if let Ok(rel) = p.file.strip_prefix(dir) {
            p.file = rel.to_path_buf();
        }
        let line = format!("• {}\n", plain(&p.to_string()));
        if text.chars().count() + line.chars().count() > budget {
            let _ = write!(text, "… and {} more{more}", problems.len() - i);
            break;
        }
        text.push_str(&line);
    }
    text
}

/// Every problem (file:line:column: what), as many as fit; paths relative to
/// the knowledge directory `dir`.
pub fn problems_embed(title: &str, dir: &Path, e: &KnowledgeError) -> render::EmbedParts {
    let text = problem_list(
        dir,
        &e.problems,
        limit::DESCRIPTION - 100,
        " (run check for all)",
    );
    render::info(
        Some(title),
        &text,
        colour::URGENT,
        vec![],
        Some("Fix the files, then /kb reload (or wait for the automatic reload)."),
    )
}

/// A valid knowledge's summary, and whether it differs from what is served.
pub fn check_embed(summary: &Summary, serving: &str) -> render::EmbedParts {
    let note = if summary.version == serving {
        "This is the version being served."
    } else {
        "This differs from the version being served: `/kb reload` to serve it."
    };
    render::info(
        Some("The knowledge files are valid"),
        &format!("```\n{summary}```\n{note}"),
        colour::ANSWERED,
        vec![],
        None,
    )
}

/// Discord shows `<t:SECONDS:R>` as "5 minutes ago" in the reader's language.
fn when(t: SystemTime) -> String {
    match t.duration_since(UNIX_EPOCH) {
        Ok(d) => format!("<t:{}:R>", d.as_secs()),
        Err(_) => "?".to_string(),
    }
}

/// `/kb stats`: outcomes since start, the knowledge served, reloads.
pub fn stats_embed(bot: &Bot) -> render::EmbedParts {
    let reload = bot.live.stats();
    let engine = bot.live.engine();
    let outcomes = bot
        .stats
        .outcomes()
        .iter()
        .map(|(s, n)| format!("{}: {n}", s.as_str()))
        .collect::<Vec<_>>()
        .join("\n");
    let (cooldowns, busy, failed) = bot.stats.refusals();
    let mut reloads = format!(
        "{} successful, {} failed\nlast reload: {}",
        reload.reloads,
        reload.failed_reloads,
        reload.last_reload.map_or("none".to_string(), when)
    );
    if let (Some(err), Some(at)) = (&reload.last_error, reload.last_error_at) {
        // The problems as plain lines: a backtick inside one must not break a code block.
        let dir = format!("{}/", bot.live.dir().display());
        let _ = write!(
            reloads,
            "\nlast failure {}:\n{}",
            when(at),
            plain(&err.replace(&dir, ""))
        );
    }
    render::info(
        Some("Knowledge base stats"),
        &format!(
            "Serving knowledge version `{}` ({} entries), loaded {}.\nUp since {}.",
            reload.version,
            engine.knowledge().entries.len(),
            when(reload.loaded_at),
            when(bot.stats.started_at)
        ),
        colour::HELP,
        vec![
            ("Replies since start".to_string(), outcomes),
            (
                "Limits".to_string(),
                format!(
                    "cooldown refusals: {cooldowns}\nbusy channel refusals: {busy}\nfailed replies: {failed}"
                ),
            ),
            ("Reloads".to_string(), reloads),
        ]
        .into_iter()
        .chain(bot.share.as_ref().map(|share| share_field(&share.status())))
        .collect(),
        None,
    )
}

/// The `/kb stats` field about knowledge shared with the other processes.
pub fn share_field(s: &crate::sync::ShareStatus) -> (String, String) {
    let mut text = format!(
        "through {} ({})\nlast edit seen: #{}\nreceived and applied: {}, skipped (problems): {}, published from here: {}",
        s.target,
        if s.connected { "connected" } else { "NOT connected" },
        s.last_seen,
        s.applied,
        s.skipped,
        s.published
    );
    if let Some((id, at)) = s.last_applied {
        let _ = write!(text, "\nlast applied: #{id} {}", when(at));
    }
    if let Some((id, why)) = &s.last_skipped {
        let first = why.lines().next().unwrap_or("").trim();
        let _ = write!(text, "\nlast skipped: #{id}: {}", truncate(first, 300));
    }
    ("Shared knowledge".to_string(), text)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    fn knowledge() -> Knowledge {
        crate::knowledge::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("knowledge")).unwrap()
    }

    #[test]
    fn autocomplete_prefers_prefixes_and_titles() {
        let k = knowledge();
        let all = suggest_questions(&k, "", 25);
        assert_eq!(all.len(), k.entries.len().min(25));
        assert_eq!(all[0], k.entries[0].title());
        let red = suggest_questions(&k, "how long does the red", 25);
        assert!(!red.is_empty());
        assert!(
            red[0].to_lowercase().starts_with("how long does the red"),
            "{red:?}"
        );
        let words = suggest_questions(&k, "redness last", 25);
        assert!(
            words.iter().any(|q| q.to_lowercase().contains("redness")),
            "{words:?}"
        );
        assert!(suggest_questions(&k, "zzzzqqq", 25).is_empty());
        for q in suggest_questions(&k, "a", 25) {
            assert!(q.chars().count() <= limit::CHOICE);
        }
    }

    #[test]
    fn topics_and_about_fit() {
        let k = knowledge();
        let t = topics_embed(&k);
        assert_eq!(t.fields.len(), k.topics.len().min(25));
        assert!(render::total(&t) <= limit::TOTAL);
        let a = about_embed(&k);
        assert!(a.description.contains("FAQ bot"));
        assert!(a.fields[0].1.contains("Microneedling for Skin Renewal"));
        assert_eq!(a.footer.as_deref(), Some(k.texts.disclaimer.as_str()));
    }

    #[test]
    fn problems_are_listed_with_their_place_and_cut_to_fit() {
        let dir = PathBuf::from("/k");
        let problem = |i: usize| Problem {
            file: dir.join("entries/downtime.toml"),
            line: i,
            column: 3,
            message: "TOML syntax error: expected `\"`, found `x`".into(),
        };
        let e = KnowledgeError {
            problems: vec![problem(6), problem(7)],
        };
        let embed = problems_embed("Reload failed", &dir, &e);
        assert_eq!(
            embed.description,
            "• entries/downtime.toml:6:3: TOML syntax error: expected '\"', found 'x'\n\
             • entries/downtime.toml:7:3: TOML syntax error: expected '\"', found 'x'\n"
        );
        assert!(!embed.description.contains('`'), "no code spans");
        let many = KnowledgeError {
            problems: (1..500).map(problem).collect(),
        };
        let embed = problems_embed("Reload failed", &dir, &many);
        assert!(embed.description.chars().count() <= limit::DESCRIPTION);
        assert!(embed.description.contains("more (run check for all)"));
    }

    #[test]
    fn the_shared_knowledge_field_says_what_was_seen_applied_and_skipped() {
        let status = crate::sync::ShareStatus {
            target: "postgres://mnbot@db:5432/mnbot".into(),
            connected: true,
            last_seen: 12,
            applied: 3,
            skipped: 1,
            published: 2,
            last_applied: Some((11, SystemTime::now())),
            last_skipped: Some((
                12,
                "  entries/downtime.toml:3:1: TOML syntax error\n  more".into(),
            )),
        };
        let (name, text) = share_field(&status);
        assert_eq!(name, "Shared knowledge");
        for part in [
            "postgres://mnbot@db:5432/mnbot (connected)",
            "last edit seen: #12",
            "received and applied: 3, skipped (problems): 1, published from here: 2",
            "last applied: #11 <t:",
            "last skipped: #12: entries/downtime.toml:3:1: TOML syntax error",
        ] {
            assert!(text.contains(part), "{part} in {text}");
        }
        let down = crate::sync::ShareStatus::default();
        assert!(share_field(&down).1.contains("NOT connected"));
    }
}
