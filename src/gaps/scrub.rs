//! Scrubbing a member's question before it is kept.
//!
//! A question about one's own skin is health information. The gap record may
//! keep the words of the question (moderators need them to improve the
//! knowledge) but never what points at a person: Discord mentions, e-mail
//! addresses, phone numbers, links (a profile or a photo link names someone)
//! and long digit runs (user ids, order numbers). The rest is kept as written,
//! so "my 2 cheeks" or "0.5mm every 4 weeks" still reads as the member meant it.
//!
//! The scrubber errs on the side of removing: a date or a long number range
//! may go too, which costs a moderator little and never leaks anything.

use unicode_normalization::UnicodeNormalization;

/// Digits in a row from which a number is taken for an id or an order number.
const LONG_DIGIT_RUN: usize = 5;

/// Digits, in a grouped number ("415 555 2671"), from which it is a phone number.
const PHONE_DIGITS: usize = 7;

/// Top-level domains that make a bare `name.tld` a link even without a path.
/// Short words that end sentences typed without a space ("do.it", "tell.me")
/// are left out on purpose.
const LINK_TLDS: &[&str] = &[
    "com", "net", "org", "edu", "gov", "io", "co", "uk", "us", "ca", "au", "de", "fr", "nl", "es",
    "eu", "ly", "gg", "tv", "app", "dev", "info", "biz", "xyz", "shop", "store", "online", "site",
    "link", "page", "ru", "br", "jp", "cn", "pl", "se", "ch", "dk", "fi", "ie", "nz", "za", "mx",
    "ar", "kr", "ee", "health", "clinic",
];

/// Removes mentions, e-mail addresses, phone numbers, links and digit runs of
/// five or more from `text`, and collapses whitespace. Idempotent:
/// `scrub(&scrub(x)) == scrub(x)`.
pub fn scrub(text: &str) -> String {
    let normalized = normalize(text);
    let without_tokens = remove_angle_tokens(&normalized);
    let without_words = remove_identifying_words(&without_tokens);
    let chars: Vec<char> = without_words.chars().collect();
    let without_phones = remove_phone_numbers(&chars);
    let without_runs = remove_long_digit_runs(&without_phones);
    tidy(&without_runs)
}

/// NFKC folds look-alikes (fullwidth digits, ligatures) into plain characters,
/// so "５５５１２３４" is seen as digits; invisible characters that could split
/// a number ("555\u{200b}1234") are dropped and control characters become
/// spaces.
fn normalize(text: &str) -> String {
    text.nfkc()
        .filter(|c| !is_invisible(*c))
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2064}' | '\u{FEFF}'
    )
}

/// Removes Discord's `<...>` tokens: user, role and channel mentions, custom
/// emoji, timestamps, slash-command mentions, and links in angle brackets.
fn remove_angle_tokens(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find('<') {
        out.push_str(&rest[..start]);
        let after = &rest[start + 1..];
        let end = after
            .char_indices()
            .take(200)
            .find(|(_, c)| *c == '>' || *c == '<' || *c == '\n')
            .filter(|(_, c)| *c == '>')
            .map(|(i, _)| i);
        match end {
            Some(end) if is_angle_token(&after[..end]) => {
                out.push(' ');
                rest = &after[end + 1..];
            }
            _ => {
                out.push('<');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

fn is_angle_token(inner: &str) -> bool {
    let lower = inner.to_lowercase();
    if lower.contains(char::is_whitespace) {
        // Only a slash-command mention has spaces: `</kb ask:123>`.
        return lower.starts_with('/') && lower.contains(':');
    }
    ["@", "#", ":", "a:", "t:", "/", "id:"]
        .iter()
        .any(|p| lower.starts_with(p))
        || is_link(&lower)
        || lower.contains('@')
}

/// Removes whole whitespace-separated words that are links, e-mail addresses
/// or `@` handles (which includes `@everyone` and `@here`), keeping the
/// punctuation around them ("mail me at a@b.co, please" keeps its comma).
fn remove_identifying_words(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for (i, word) in text.split_whitespace().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        let core_start = word
            .char_indices()
            .find(|(_, c)| !matches!(c, '(' | '[' | '{' | '"' | '\'' | '*' | '_' | '~' | '|'))
            .map_or(word.len(), |(i, _)| i);
        let core_end = word
            .char_indices()
            .rev()
            .find(|(_, c)| {
                !matches!(
                    c,
                    '.' | ','
                        | ';'
                        | ':'
                        | '!'
                        | '?'
                        | ')'
                        | ']'
                        | '}'
                        | '"'
                        | '\''
                        | '*'
                        | '_'
                        | '~'
                        | '|'
                )
            })
            .map_or(core_start, |(i, c)| i + c.len_utf8())
            .max(core_start);
        let core = &word[core_start..core_end];
        if core.contains('@') || is_link(&core.to_lowercase()) {
            out.push_str(&word[..core_start]);
            out.push_str(&word[core_end..]);
        } else {
            out.push_str(word);
        }
    }
    out
}

/// Whether a lowercase word is a link: a scheme, `www.`, a domain with a
/// path, or a bare domain with a well-known top-level domain.
fn is_link(lower: &str) -> bool {
    if lower.contains("://") || lower.starts_with("www.") {
        return true;
    }
    let host_end = lower.find(['/', '?', '#']).unwrap_or(lower.len());
    let host = &lower[..host_end];
    let has_path = host_end < lower.len();
    let labels: Vec<&str> = host.split('.').collect();
    if labels.len() < 2
        || labels
            .iter()
            .any(|l| l.is_empty() || !l.chars().all(|c| c.is_alphanumeric() || c == '-'))
    {
        return false;
    }
    let tld = labels[labels.len() - 1];
    let alphabetic_tld = tld.len() >= 2 && tld.chars().all(|c| c.is_ascii_alphabetic());
    alphabetic_tld && (has_path || LINK_TLDS.contains(&tld))
}

fn is_digit(c: char) -> bool {
    c.is_numeric()
}

fn is_phone_separator(c: char) -> bool {
    matches!(c, ' ' | '-' | '.' | '/' | '(' | ')' | '\u{00A0}')
}

/// Removes phone numbers: seven or more digits in groups separated by single
/// spaces, dashes, dots, slashes or parentheses ("+44 20 7946 0958",
/// "(415) 555-2671", "555-1234", "06 12 34 56 78"). Decimal numbers and short
/// lists ("0.25 0.5 1.0") stay: a group of one digit after the first only
/// counts in an international number (one starting with `+`).
fn remove_phone_numbers(chars: &[char]) -> String {
    let mut out = String::with_capacity(chars.len());
    let mut i = 0;
    while i < chars.len() {
        let starts_number = (is_digit(chars[i]) || chars[i] == '+' || chars[i] == '(')
            && (i == 0 || !is_digit(chars[i - 1]));
        if starts_number {
            if let Some(end) = phone_span(chars, i) {
                out.push(' ');
                i = end;
                continue;
            }
        }
        out.push(chars[i]);
        i += 1;
    }
    out
}

/// The end (exclusive) of a phone number starting at `start`, if there is one.
fn phone_span(chars: &[char], start: usize) -> Option<usize> {
    let mut j = start;
    let international = chars[j] == '+';
    if international {
        j += 1;
    }
    while j < chars.len() && chars[j] == '(' && j - start < 3 {
        j += 1;
    }
    let mut groups: Vec<usize> = Vec::new();
    let mut end = j;
    loop {
        let digits = chars[j..].iter().take_while(|c| is_digit(**c)).count();
        if digits == 0 {
            break;
        }
        groups.push(digits);
        j += digits;
        end = j;
        let separators = chars[j..]
            .iter()
            .take(3)
            .take_while(|c| is_phone_separator(**c))
            .count();
        if separators == 0 || !chars.get(j + separators).is_some_and(|c| is_digit(*c)) {
            break;
        }
        j += separators;
    }
    let total: usize = groups.iter().sum();
    let grouped_like_a_phone = international || groups.iter().skip(1).all(|g| *g >= 2);
    // One group is a phone number only after a `+`; otherwise the run of
    // digits is left to the long-run rule.
    if (groups.len() < 2 && !international) || total < PHONE_DIGITS || !grouped_like_a_phone {
        return None;
    }
    // "(415) 555-2671)" keeps nothing of the number, not even its brackets.
    let opened = chars[start..end].iter().filter(|c| **c == '(').count();
    let closed = chars[start..end].iter().filter(|c| **c == ')').count();
    if opened > closed && chars.get(end) == Some(&')') {
        end += 1;
    }
    Some(end)
}

/// Removes every run of five or more digits (ids, order numbers, dates
/// written without separators), wherever it stands.
fn remove_long_digit_runs(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        let run = chars[i..].iter().take_while(|c| is_digit(**c)).count();
        if run >= LONG_DIGIT_RUN {
            out.push(' ');
            i += run;
        } else if run > 0 {
            out.extend(&chars[i..i + run]);
            i += run;
        } else {
            out.push(chars[i]);
            i += 1;
        }
    }
    out
}

/// Collapses whitespace and the gaps left by removals: no space before
/// closing punctuation or after an opening bracket, no empty brackets, no
/// stray separator at the start.
fn tidy(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        let closes = word.starts_with([',', '.', ';', ':', '!', '?', ')', ']']);
        if !out.is_empty() && !closes && !out.ends_with(['(', '[']) {
            out.push(' ');
        }
        out.push_str(word);
        loop {
            let before = out.len();
            for empty in ["()", "[]", "( )", "[ ]"] {
                if out.ends_with(empty) {
                    out.truncate(out.len() - empty.len());
                }
            }
            if out.len() == before {
                break;
            }
        }
        if out.ends_with(' ') {
            out.pop();
        }
    }
    let start = out
        .char_indices()
        .find(|(_, c)| !matches!(c, ',' | ';' | ':' | ' '))
        .map_or(out.len(), |(i, _)| i);
    out[start..].to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cases() {
        let cases: &[(&str, &str)] = &[
            ("does it hurt?", "does it hurt?"),
            ("  does   it\n\thurt ?  ", "does it hurt?"),
            ("<@123456789012345678> does it hurt?", "does it hurt?"),
            ("hi<@!42>there", "hi there"),
            ("(call 555-123-4567)", "(call)"),
            ("phone: 555 1234", "phone:"),
            ("my 2 cheeks and 1 forehead", "my 2 cheeks and 1 forehead"),
            ("a@b.co", ""),
        ];
        for (input, want) in cases {
            assert_eq!(&scrub(input), want, "input: {input:?}");
        }
    }

    #[test]
    fn idempotent() {
        for s in [
            "x <@1> y a@b.com +1 415 555 2671 www.x.com 123456 (555) 123-4567",
            "((a)) [b] , c",
        ] {
            let once = scrub(s);
            assert_eq!(scrub(&once), once, "{s:?}");
        }
    }
}
