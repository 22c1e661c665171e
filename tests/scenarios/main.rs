//! The scenario tests: one test binary (`cargo test --test scenarios`), one module per
//! scenario file, so that the shared harness (the fake Discord, the bot against it, the
//! helpers) is compiled and linked once, however many scenarios there are.
//!
//! A new scenario is a new file here and one `mod` line below. Run one module with
//! `cargo test --test scenarios discord_bot::`, one test by its name.
//!
//! The Discord scenarios need the `discord` feature; `cargo test --no-default-features`
//! builds and runs the rest.

/// A fake Discord (REST API + gateway) on 127.0.0.1. Not every scenario uses all of it.
#[allow(dead_code)]
mod fake_discord;
/// Helpers shared by the scenarios. Not every build uses every helper.
#[allow(dead_code)]
mod support;

mod answering;
mod chat_console;
mod cli;
mod closed_pipe;
#[cfg(feature = "discord")]
mod discord_bot;
#[cfg(feature = "discord")]
mod discord_feedback;
#[cfg(feature = "discord")]
mod discord_help;
/// Ignored: `cargo test --release --test scenarios discord_load -- --ignored --nocapture`.
#[cfg(feature = "discord")]
mod discord_load;
#[cfg(feature = "discord")]
mod discord_metrics;
#[cfg(feature = "discord")]
mod discord_serve;
#[cfg(feature = "discord")]
mod discord_share;
#[cfg(feature = "discord")]
mod discord_teach;
mod fake_discord_smoke;
mod gaps_cli;
#[cfg(unix)]
mod gaps_crash;
mod gaps_postgres;
mod gaps_purge;
mod gaps_recorder;
mod gaps_review;
mod gaps_scrub;
mod gaps_store;
mod knowledge_files;
mod knowledge_share;
mod knowledge_syntax;
#[cfg(feature = "discord")]
mod live_reload;
#[cfg(feature = "metrics-endpoint")]
mod metrics_endpoint;
mod teach;
