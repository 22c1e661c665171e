//! microneedling-bot: answers questions about microneedling from a curated,
//! source-verified knowledge base.
//!
//! The answering engine here has no Discord dependency: the console commands
//! and the Discord front end (feature `discord`) render the same [`Answer`].

pub mod knowledge;
pub mod text;
pub mod settings;
