//! Shared helpers for integration tests.
//!
//! Not every test file uses every helper, so dead-code warnings are silenced here.
#![allow(dead_code)]

/// Knowledge copies and engines shared with the engine's scenario tests.
#[path = "../common/mod.rs"]
pub mod common;
pub mod fake_discord;

/// The real bot against the fake (needs the `discord` feature).
#[cfg(feature = "discord")]
pub mod bot;
