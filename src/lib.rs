//! microneedling-bot: answers questions about microneedling from a curated,
//! source-verified knowledge base.
//!
//! The answering engine here has no Discord dependency: the console commands
//! and the Discord front end (feature `discord`) render the same [`Answer`].

pub mod answer;
#[cfg(feature = "discord")]
pub mod discord;
pub mod engine;
pub mod eval;
pub mod gaps;
pub mod knowledge;
pub mod learning;
pub mod live;
pub mod matching;
pub mod metrics;
pub mod settings;
pub mod sync;
pub mod teach;
pub mod text;

pub use answer::{Answer, Status};
pub use engine::Engine;
