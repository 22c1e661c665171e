//! `/kb teach question:<text> entry:<id>`: adds the question as a phrasing of
//! the entry through the same code as `microneedling-bot teach`
//! ([`crate::teach::apply`]), reloads the knowledge being served and shows
//! the question's new outcome. A refused edit lists its problems and changes
//! nothing. Also [`write`] for `/kb decline`.

use super::{plain, send, send_private_embed, Context, Error};
use crate::discord::moderation::escape;
use crate::discord::render::{self, colour, limit, no_mentions, truncate};
use crate::discord::retry;
use crate::knowledge::{Knowledge, Problem};
use crate::live::Reloaded;
use crate::teach::{self, Change, Request, TeachError};
use poise::CreateReply;
use serenity::all::CreateAutocompleteResponse;
use std::fmt::Write as _;

/// Add a question as a phrasing of an entry (moderators)
#[poise::command(slash_command, rename = "teach")]
pub async fn kb_teach(
    ctx: Context<'_>,
    #[description = "The question, as members asked it"] question: String,
    #[description = "The entry that answers it"]
    #[autocomplete = "autocomplete_entry"]
    entry: String,
) -> Result<(), Error> {
    write(
        ctx,
        Request {
            question,
            change: Change::Phrasing { entry },
        },
    )
    .await
}

/// Entries whose id or title contains what was typed: `id — title`, value the id.
async fn autocomplete_entry(ctx: Context<'_>, partial: &str) -> CreateAutocompleteResponse {
    let engine = ctx.data().live.engine();
    suggest_entries(engine.knowledge(), partial, 25)
        .into_iter()
        .fold(CreateAutocompleteResponse::new(), |r, (name, id)| {
            r.add_string_choice(name, id)
        })
}

/// Up to `max` (shown name, id) of the entries matching a partly typed id or title.
pub fn suggest_entries(k: &Knowledge, partial: &str, max: usize) -> Vec<(String, String)> {
    let partial = partial.trim().to_lowercase();
    let mut out: Vec<(u8, String, String)> = k
        .entries
        .iter()
        .filter_map(|e| {
            let rank = if e.id.starts_with(&partial) {
                0
            } else if e.id.contains(&partial) {
                1
            } else if e.title().to_lowercase().contains(&partial) {
                2
            } else {
                return None;
            };
            let name = truncate(&format!("{} — {}", e.id, e.title()), limit::CHOICE);
            Some((rank, name, e.id.clone()))
        })
        .collect();
    out.sort_by_key(|(rank, _, _)| *rank);
    out.into_iter()
        .take(max)
        .map(|(_, name, id)| (name, id))
        .collect()
}

/// Applies `request` to the knowledge directory being served (off the async
/// threads), reloads it and replies privately with the new outcome, or with
/// the problems of a refused edit.
pub(super) async fn write(ctx: Context<'_>, request: Request) -> Result<(), Error> {
    let bot = ctx.data();
    let _work = bot.inflight.enter();
    retry::send("defer", || ctx.defer_ephemeral()).await?;
    let dir = bot.live.dir().to_path_buf();
    let matching = *bot.live.engine().settings();
    let question = teach::clean_question(&request.question);
    let applied = {
        let dir = dir.clone();
        let request = request.clone();
        let share = bot.share.clone();
        tokio::task::spawn_blocking(move || match share {
            // Published to the other processes before it is written here.
            Some(share) => share.teach(&request),
            None => teach::apply(&dir, matching, &request),
        })
        .await
    };
    let taught = match applied {
        Ok(Ok(t)) => t,
        Ok(Err(TeachError::Refused(problems))) => {
            tracing::info!(
                problems = problems.len(),
                "a knowledge edit by a moderator was refused"
            );
            return send_private_embed(ctx, "refused edit", refusal_embed(&dir, &problems)).await;
        }
        Ok(Err(e)) => {
            tracing::warn!(error = %e, "a knowledge edit by a moderator failed");
            return send(
                ctx,
                "failed edit",
                CreateReply::default()
                    .content(truncate(
                        &format!(
                            "The edit failed, nothing was changed: {}",
                            plain(&e.to_string())
                        ),
                        limit::CONTENT,
                    ))
                    .ephemeral(true)
                    .allowed_mentions(no_mentions()),
            )
            .await;
        }
        Err(join) => return Err(Box::new(join)),
    };
    if bot.commit_edits {
        let (dir, request) = (dir.clone(), request.clone());
        let (file, with_tests) = (taught.file.clone(), taught.case.is_some());
        let committed = tokio::task::spawn_blocking(move || {
            teach::git::commit(&dir, &request, &file, with_tests)
        })
        .await;
        match committed {
            Ok(Ok(Some(message))) => tracing::info!(%message, "knowledge edit committed to git"),
            Ok(Ok(None)) => tracing::debug!("the knowledge folder is not a git work tree"),
            Ok(Err(e)) => {
                tracing::warn!(error = %e, "the knowledge edit was written but not committed")
            }
            Err(e) => tracing::warn!(error = %e, "the git commit task failed"),
        }
    }
    let reloaded = bot.live.reload().await;
    bot.sync_metrics();
    let serving = match &reloaded {
        Ok(Reloaded::Swapped { summary, .. }) => {
            tracing::info!(version = %summary.version, "knowledge taught by a moderator: reloaded");
            format!("Now serving version {}.", summary.version)
        }
        Ok(Reloaded::Unchanged { version }) => {
            tracing::info!(version = %version, "knowledge taught by a moderator: already serving it");
            format!("Now serving version {version}.")
        }
        Err(e) => {
            tracing::warn!("the taught knowledge did not reload:\n{e}");
            "The files were written but the reload failed: see /kb check.".to_string()
        }
    };
    // What members get now: the engine being served.
    let engine = bot.live.engine();
    let a = engine.answer(&question);
    let file = taught
        .file
        .strip_prefix(&dir)
        .unwrap_or(&taught.file)
        .display()
        .to_string();
    let what = match &taught.pattern {
        Some(p) => format!("Pattern \"{}\" added", escape(p)),
        None => "Phrasing added".to_string(),
    };
    let shared = if bot.share.is_some() {
        " Shared with the other bot processes."
    } else {
        ""
    };
    let mut text = format!(
        "**{what}** to {} line {}. {serving}{shared}\n\"{}\" now gets: **{}**",
        escape(&file),
        taught.line,
        escape(&truncate(&question, 300)),
        escape(&teach::outcome(&a)),
    );
    if let Some(case) = taught.case.as_ref().and_then(|c| c.split('"').nth(3)) {
        let _ = write!(text, "\nRegression question {case} added to tests.jsonl.");
    }
    let reply = render::answer(&a);
    send(
        ctx,
        "teach reply",
        CreateReply::default()
            .content(truncate(&text, limit::CONTENT))
            .embed(reply.embed())
            .ephemeral(true)
            .allowed_mentions(no_mentions()),
    )
    .await
}

/// Every problem of a refused edit (file:line: what), as many as fit; paths
/// relative to the knowledge directory.
pub fn refusal_embed(dir: &std::path::Path, problems: &[Problem]) -> render::EmbedParts {
    let text = super::problem_list(dir, problems, limit::DESCRIPTION - 100, "");
    render::info(
        Some("Refused: nothing was changed"),
        &text,
        colour::URGENT,
        vec![],
        None,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::{Path, PathBuf};

    #[test]
    fn entries_are_suggested_by_id_and_title() {
        let k = crate::knowledge::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("knowledge"))
            .unwrap();
        let all = suggest_entries(&k, "", 25);
        assert_eq!(all.len(), k.entries.len().min(25));
        let red = suggest_entries(&k, "downtime-red", 25);
        assert_eq!(red[0].1, "downtime-redness");
        assert!(red[0].0.starts_with("downtime-redness — "));
        let by_title = suggest_entries(&k, "dermatologist", 25);
        assert!(!by_title.is_empty());
        for (name, _) in suggest_entries(&k, "a", 25) {
            assert!(name.chars().count() <= limit::CHOICE);
        }
    }

    #[test]
    fn refusals_list_problems_without_code_spans() {
        let dir = PathBuf::from("/k");
        let e = refusal_embed(
            &dir,
            &[Problem {
                file: dir.join("entries/downtime.toml"),
                line: 144,
                column: 0,
                message: "entry `nope` does not exist (did you mean `downtime_x`?)".into(),
            }],
        );
        assert_eq!(
            e.description,
            "• entries/downtime.toml:144: entry 'nope' does not exist (did you mean 'downtime\\_x'?)\n"
        );
    }
}
