//! `serve`: runs the Discord bot until SIGINT or SIGTERM.

use anyhow::Context;
use microneedling_bot::discord;
use microneedling_bot::live::LiveEngine;
use microneedling_bot::settings::{LogFormat, Settings};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

/// How long a burst of file changes must be quiet before the knowledge reloads.
const WATCH_DEBOUNCE: Duration = Duration::from_millis(500);

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Knowledge directory (default: the settings' knowledge.dir).
    #[arg(long, value_name = "DIR")]
    knowledge: Option<PathBuf>,
}

pub fn run(args: Args, settings: &Settings) -> anyhow::Result<ExitCode> {
    init_logging(settings.logging.format);
    // Fail fast, before loading anything, when there is no token.
    if settings
        .discord
        .token
        .as_ref()
        .is_none_or(|t| t.expose().trim().is_empty())
    {
        return Err(discord::ServeError::MissingToken.into());
    }
    let dir = super::knowledge_dir(args.knowledge, settings);
    let live = LiveEngine::load(&dir, settings.matching)
        .with_context(|| format!("cannot load the knowledge in {}", dir.display()))?;
    let live = Arc::new(live);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    runtime.block_on(async {
        let _watcher = if settings.knowledge.watch {
            match live.watch(WATCH_DEBOUNCE) {
                Ok(w) => Some(w),
                Err(e) => {
                    tracing::warn!(error = %e, "cannot watch the knowledge directory; use /kb reload after edits");
                    None
                }
            }
        } else {
            None
        };
        discord::serve(settings, Arc::clone(&live), shutdown_signal()).await
    })?;
    Ok(ExitCode::SUCCESS)
}

/// Logs to standard error, human-readable or JSON lines; the level comes from
/// `RUST_LOG` (default `info`).
fn init_logging(format: LogFormat) {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .with_writer(std::io::stderr);
    let _ = match format {
        LogFormat::Human => builder.try_init(),
        LogFormat::Json => builder.json().try_init(),
    };
}

/// Completes on SIGINT (Ctrl-C) or SIGTERM.
async fn shutdown_signal() {
    let interrupt = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = interrupt => tracing::info!("SIGINT received"),
        () = terminate => tracing::info!("SIGTERM received"),
    }
}
