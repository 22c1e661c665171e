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
    if a.status == Status::Clarify && !a.suggestions.is_empty() {
        // The options, numbered (the engine's text lists them as bullets).
        for line in a.answer.lines().filter(|l| !l.starts_with("• ")) {
            out.push_str(&line.replace("**", ""));
            out.push('\n');
        }
        for (i, s) in a.suggestions.iter().enumerate() {
            out.push_str(&format!("  [{}] {}\n", i + 1, s.question));
        }
    } else {
        out.push_str(&a.answer.replace("**", ""));
        out.push('\n');
    }
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

/// How many options [`plain`] numbers: clarify suggestions (or "you could ask
/// instead"), then related entries, in that order.
pub fn numbered(a: &Answer) -> Vec<String> {
    a.suggestions
        .iter()
        .chain(&a.related)
        .map(|s| s.entry.clone())
        .collect()
}

/// `text` wrapped to `width` columns: lines are broken between words, and a
/// continued line is indented like the text after its line's indent and
/// marker (`• `, `[2] `, `— `, `“`). A word longer than the width is not cut.
pub fn wrap(text: &str, width: usize) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / width.max(1));
    for line in text.split('\n') {
        wrap_line(line, width, &mut out);
        out.push('\n');
    }
    out.pop();
    out
}

fn wrap_line(line: &str, width: usize, out: &mut String) {
    if line.chars().count() <= width || width < 10 {
        out.push_str(line);
        return;
    }
    let body = line.trim_start();
    let indent = line.chars().count() - body.chars().count();
    // Continued lines start under the text: after a marker, or after a
    // column gap (two spaces or more, as in a table of commands).
    let marker = ["• ", "— ", "“", "~ "]
        .iter()
        .find(|m| body.starts_with(*m))
        .map(|m| m.chars().count())
        .or_else(|| {
            let close = body.find("] ")?;
            (body.starts_with('[') && body[1..close].chars().all(|c| c.is_ascii_digit()))
                .then(|| body[..close + 2].chars().count())
        })
        .or_else(|| {
            let gap = body.find("  ")?;
            let text = gap + body[gap..].len() - body[gap..].trim_start().len();
            Some(body[..text].chars().count())
        })
        .unwrap_or(0);
    let hang = " ".repeat((indent + marker).min(width / 2));
    // Words with the spaces before them, so spacing inside a line is kept.
    let mut segments: Vec<(&str, &str)> = Vec::new();
    let mut rest = body;
    while !rest.is_empty() {
        let word_start = rest.len() - rest.trim_start_matches(' ').len();
        let after = &rest[word_start..];
        let word_len = after.find(' ').unwrap_or(after.len());
        segments.push((&rest[..word_start], &after[..word_len]));
        rest = &after[word_len..];
    }
    out.push_str(&line[..line.len() - body.len()]);
    let mut col = indent;
    for (i, (spaces, word)) in segments.into_iter().enumerate() {
        let len = word.chars().count();
        if i > 0 && col + spaces.len() + len > width {
            out.push('\n');
            out.push_str(&hang);
            col = hang.len();
        } else {
            out.push_str(spaces);
            col += spaces.len();
        }
        out.push_str(word);
        col += len;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_lines_wrap_with_a_hanging_indent() {
        let text = "short\n  [12] one two three four five six seven eight nine ten\n• alpha beta gamma delta epsilon";
        let wrapped = wrap(text, 20);
        assert_eq!(
            wrapped,
            "short\n  [12] one two three\n       four five six\n       seven eight\n       nine ten\n• alpha beta gamma\n  delta epsilon"
        );
        for line in wrapped.lines() {
            assert!(line.chars().count() <= 20, "{line:?}");
        }
        assert_eq!(
            wrap("a verylongwordthatdoesnotfit", 10),
            "a\nverylongwordthatdoesnotfit"
        );
        assert_eq!(
            wrap("  /help     this list of every command", 26),
            "  /help     this list of\n            every command"
        );
    }
}
