//! Plain-text rendering of an answer for the terminal.

use microneedling_bot::{Answer, Status};

/// The reply as a person reads it in a terminal: heading, answer, quotes with
/// citations, suggestions or follow-ups, and the disclaimer.
pub fn plain(a: &Answer) -> String {
    let mut out = String::new();
    match a.status {
        Status::Answered => {
            if let (Some(title), 1) = (&a.title, a.entries.len()) {
                out.push_str(&format!("» {title}\n\n"));
            }
        }
        Status::Urgent => out.push_str("!! URGENT !!\n\n"),
        _ => {}
    }
    out.push_str(&a.answer.replace("**", ""));
    out.push('\n');
    if !a.sources.is_empty() {
        out.push_str("\nFrom the source:\n");
        for s in &a.sources {
            out.push_str(&format!(
                "  “{}”\n    — {}, {}\n",
                s.quote, s.title, s.location
            ));
        }
    }
    if !a.suggestions.is_empty() && a.status != Status::Clarify {
        out.push_str("\nYou could ask instead:\n");
        for (i, s) in a.suggestions.iter().enumerate() {
            out.push_str(&format!("  [{}] {}\n", i + 1, s.question));
        }
    }
    if a.status == Status::Clarify {
        out.push_str("\n(type a number to pick one)\n");
    }
    if !a.related.is_empty() {
        out.push_str("\nRelated:\n");
        let start = a.suggestions.len();
        for (i, s) in a.related.iter().enumerate() {
            out.push_str(&format!("  [{}] {}\n", start + i + 1, s.question));
        }
    }
    out.push_str(&format!("\n— {}\n", a.disclaimer));
    out
}
