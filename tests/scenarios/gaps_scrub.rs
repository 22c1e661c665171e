//! Scrubbing a question before it is recorded: what goes, what stays.

use microneedling_bot::gaps::scrub;

/// (input, expected). Each line is one case a moderator could meet.
const CASES: &[(&str, &str)] = &[
    // Kept as written.
    ("does microneedling hurt?", "does microneedling hurt?"),
    ("my 2 cheeks are red after 3 sessions", "my 2 cheeks are red after 3 sessions"),
    ("is 0.5mm ok every 4 weeks?", "is 0.5mm ok every 4 weeks?"),
    ("1-2 days of redness, normal?", "1-2 days of redness, normal?"),
    ("0.25 0.5 1.0 1.5 which depth", "0.25 0.5 1.0 1.5 which depth"),
    ("I'm 34 and had it done in 2023", "I'm 34 and had it done in 2023"),
    ("24-48hrs before makeup?", "24-48hrs before makeup?"),
    ("SPF 50 after?", "SPF 50 after?"),
    ("e.g. vitamin c, i.e. serums", "e.g. vitamin c, i.e. serums"),
    ("redness/swelling and/or peeling", "redness/swelling and/or peeling"),
    ("what's 3 x 4 weeks", "what's 3 x 4 weeks"),
    ("Décolletage ok?", "Décolletage ok?"),
    ("  lots   of\n\tspace  ", "lots of space"),
    ("", ""),
    // Discord mentions and tokens.
    ("<@123456789012345678> does it hurt?", "does it hurt?"),
    ("<@!123456789012345678> does it hurt?", "does it hurt?"),
    ("<@&987654321098765432> pls help", "pls help"),
    ("see <#112233445566778899> for more", "see for more"),
    ("hey @everyone is it safe?", "hey is it safe?"),
    ("@here anyone tried it", "anyone tried it"),
    ("@jane_doe said it hurts", "said it hurts"),
    ("thanks<@42>!", "thanks!"),
    ("<:sad:123456789> it stings <a:cry:987654321>", "it stings"),
    ("since <t:1700000000:R> my skin peels", "since my skin peels"),
    ("try </kb ask:123456789012345678>", "try"),
    ("is 1 < 2 mm ok", "is 1 < 2 mm ok"),
    // E-mail addresses.
    ("email me at jane.doe+skin@example.com please", "email me at please"),
    ("mail JANE@EXAMPLE.CO.UK, thanks", "mail, thanks"),
    ("(contact: first_last@clinic.health)", "(contact:)"),
    ("my email is a@b.c ok", "my email is ok"),
    // Phone numbers.
    ("call me +1 415 555 2671 about scars", "call me about scars"),
    ("my number is +44 20 7946 0958.", "my number is."),
    ("text (415) 555-2671 pls", "text pls"),
    ("415-555-2671", ""),
    ("415.555.2671 is my cell", "is my cell"),
    ("call 555-1234 tonight", "call tonight"),
    ("06 12 34 56 78 whatsapp", "whatsapp"),
    ("+33 6 12 34 56 78 whatsapp", "whatsapp"),
    ("07700 900123 uk mobile", "uk mobile"),
    ("tel:+14155552671", "tel:"),
    ("+1-800-555-0199 clinic", "clinic"),
    ("my phone 4155552671!", "my phone!"),
    ("５５５１２３４５６７ fullwidth", "fullwidth"),
    ("555\u{200b}1234\u{200b}567 hidden", "hidden"),
    // URLs and domains.
    ("look https://example.com/photo.jpg does this look infected", "look does this look infected"),
    ("http://x.y/z?a=1&b=2, is it ok?", "is it ok?"),
    ("see www.example.org for my pics", "see for my pics"),
    ("my before/after on instagram.com/jane.doe", "my before/after on"),
    ("bit.ly/abc123 what do you think", "what do you think"),
    ("discord.gg/abcdef join", "join"),
    ("<https://example.com/a> suppressed link", "suppressed link"),
    ("my clinic site drjane.com says so", "my clinic site says so"),
    ("HTTPS://EXAMPLE.COM/X upper case", "upper case"),
    // Long digit runs (ids, order numbers).
    ("order 1234567 never arrived", "order never arrived"),
    ("my id is 123456789012345678", "my id is"),
    ("ticket #98765 about pen", "ticket # about pen"),
    ("ORD12345X dermapen", "ORD X dermapen"),
    ("call12345now", "call now"),
    ("(4155552671)", ""),
    ("<not a token> stays", "<not a token> stays"),
    ("code 1234 is short", "code 1234 is short"),
    ("zip 90210 clinic near me", "zip clinic near me"),
    // Everything at once.
    (
        "<@111111111111111111> @everyone I'm jane@x.io, call +1 (415) 555-2671 or see https://x.io/me, order 55555: does 1mm hurt?",
        "I'm, call or see, order: does 1mm hurt?",
    ),
];

#[test]
fn scrubbing_table() {
    let mut wrong = Vec::new();
    for (input, want) in CASES {
        let got = scrub(input);
        if &got != want {
            wrong.push(format!("{input:?}\n   want {want:?}\n    got {got:?}"));
        }
    }
    assert!(
        wrong.is_empty(),
        "{} wrong:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
}

#[test]
fn scrubbing_is_idempotent() {
    for (input, _) in CASES {
        let once = scrub(input);
        assert_eq!(scrub(&once), once, "{input:?}");
    }
}

#[test]
fn nothing_identifying_survives() {
    for (input, _) in CASES {
        let out = scrub(input);
        assert!(!out.contains('@'), "{input:?} -> {out:?}");
        assert!(!out.contains("://"), "{input:?} -> {out:?}");
        let longest_run = out
            .split(|c: char| !c.is_ascii_digit())
            .map(str::len)
            .max()
            .unwrap_or(0);
        assert!(longest_run < 5, "{input:?} -> {out:?}");
    }
}
