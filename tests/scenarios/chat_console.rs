//! `chat` driven through standard input: numbered options pick an entry only
//! while a list is pending, unknown commands are said to be unknown, `/help`
//! lists the commands, text is wrapped to the width, and `/teach` and
//! `/explain` work on the knowledge in use.

use crate::support::{binary, engine, knowledge_copy, run_with_input};
use microneedling_bot::Status;
use std::path::Path;

fn chat(knowledge: &Path, columns: &str, input: &str) -> String {
    let out = run_with_input(
        binary(Path::new(env!("CARGO_MANIFEST_DIR")))
            .args(["chat", "--knowledge"])
            .arg(knowledge)
            .env("COLUMNS", columns),
        input,
    );
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stdout}{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    stdout
}

const REDNESS: &str = "how long will my face be red?";

#[test]
fn numbers_pick_options_only_while_a_list_is_pending() {
    let engine = engine();
    let first = engine.answer(REDNESS);
    assert_eq!(first.status, Status::Answered);
    assert!(
        first.related.len() >= 2,
        "the redness entry has related entries"
    );
    let second = engine
        .answer_entry(&first.related[1].entry)
        .expect("the related entry");
    let second_title = second.title.clone().expect("a title");

    // "2" before any list is a question; after the reply it picks the second
    // related entry; "9" is no option; unknown commands are named.
    let out = chat(
        &crate::support::shipped_knowledge(),
        "200",
        &format!("2\n{REDNESS}\n2\n9\n/nope\n/help\n"),
    );
    let before_list = out
        .find(&format!("» {}", first.title.clone().unwrap()))
        .unwrap();
    assert!(!out[..before_list].contains("there is no option"), "{out}");
    assert!(out.contains("[1] "), "numbered: {out}");
    assert!(out.contains(&format!("» {second_title}")), "picked: {out}");
    assert!(out.contains("there is no option 9"), "{out}");
    assert!(out.contains("unknown command /nope"), "{out}");
    assert!(
        out.contains("/teach ENTRY QUESTION"),
        "/help lists the commands: {out}"
    );
    assert!(out.contains("/explain QUESTION"), "{out}");
}

#[test]
fn clarify_options_are_numbered_and_picked() {
    // A question that touches two entries equally: the shipped knowledge
    // offers both. If a knowledge change makes it clear, pick another such
    // question; the console's numbering is what is tested here.
    let engine = engine();
    let question = "will i look like a tomato on my video call tomorrow if i get it done today";
    let a = engine.answer(question);
    assert!(
        a.status == Status::Clarify && a.suggestions.len() >= 2,
        "{question:?} no longer gets a clarify ({:?}): choose another ambiguous question",
        a.status
    );
    let picked = engine.answer_entry(&a.suggestions[1].entry).unwrap();
    let out = chat(
        &crate::support::shipped_knowledge(),
        "200",
        &format!("{question}\n2\n"),
    );
    assert!(
        out.contains(&format!("[1] {}", a.suggestions[0].question)),
        "{out}"
    );
    assert!(
        out.contains(&format!("[2] {}", a.suggestions[1].question)),
        "{out}"
    );
    assert!(
        out.contains(&format!("» {}", picked.title.unwrap())),
        "{out}"
    );
}

#[test]
fn replies_are_wrapped_to_the_width() {
    let out = chat(
        &crate::support::shipped_knowledge(),
        "50",
        &format!("{REDNESS}\n/help\n"),
    );
    for line in out.lines() {
        let longest_word = line
            .split(' ')
            .map(|w| w.chars().count())
            .max()
            .unwrap_or(0);
        assert!(
            line.chars().count() <= 50 || longest_word > 30,
            "{line:?} is wider than 50:\n{out}"
        );
    }
    assert!(out.contains("24-48"), "{out}");
}

#[test]
fn teach_and_explain_work_inside_chat() {
    let knowledge = knowledge_copy();
    let dull = "is it good for a sallow complexion";
    let out = chat(
        knowledge.path(),
        "200",
        &format!(
            "/explain {dull}\n/teach uses-skin-texture {dull}\n{dull}\n/teach no-such-entry {dull}\n/teach\n"
        ),
    );
    assert!(out.contains("question: is it good for a sallow"), "{out}");
    assert!(out.contains("entries:"), "{out}");
    assert!(out.contains("now: answered by uses-skin-texture"), "{out}");
    let texture = engine().answer_entry("uses-skin-texture").unwrap();
    assert!(
        out.contains(&format!("» {}", texture.title.unwrap())),
        "the next question is answered from the taught knowledge: {out}"
    );
    assert!(out.contains("refused, nothing was written"), "{out}");
    assert!(
        out.contains("entry `no-such-entry` does not exist"),
        "{out}"
    );
    assert!(out.contains("usage: /teach ENTRY-ID QUESTION"), "{out}");
    let uses = std::fs::read_to_string(knowledge.path().join("entries/uses.toml")).unwrap();
    assert!(uses.contains(dull));
}
