//! The shipped knowledge loads, and each kind of broken file is rejected with
//! the right file, line and explanation, every problem in one run.

use crate::support;

use microneedling_bot::knowledge::{self, Problem};
use proptest::prelude::*;
use std::path::Path;

#[test]
fn shipped_knowledge_is_valid_and_complete() {
    let k = knowledge::load(&support::shipped_knowledge()).unwrap_or_else(|e| panic!("{e}"));
    let s = k.summary();
    assert!(s.entries >= 20, "{s}");
    assert!(s.per_topic.len() >= 7, "{s}");
    assert!(
        s.per_topic.iter().all(|(_, _, n)| *n > 0),
        "a topic without entries: {s}"
    );
    for required in [
        "procedure",
        "collagen",
        "scar_types",
        "results",
        "downtime",
        "aftercare",
        "safety",
    ] {
        assert!(k.topic(required).is_some(), "topic {required} missing");
    }
    for e in &k.entries {
        assert!(!e.quotes.is_empty(), "{} has no verified quote", e.id);
        assert!(e.questions.len() >= 3, "{} has few phrasings", e.id);
    }
    // The garbled phrase of paragraph 2 is never reproduced.
    assert!(k
        .entries
        .iter()
        .flat_map(|e| &e.quotes)
        .all(|q| !q.excerpt.contains("learn all the details")));
    // The downtime figure is quoted in the source's own words.
    assert!(k
        .entries
        .iter()
        .flat_map(|e| &e.quotes)
        .any(|q| q.excerpt.contains("24-48 hours") && q.paragraph == 7));
}

/// Loads a copy of the shipped knowledge with one file replaced.
fn load_with(rel: &str, content: &[u8]) -> (Vec<Problem>, tempfile::TempDir) {
    let dir = support::knowledge_copy();
    std::fs::write(dir.path().join(rel), content).expect("write fixture");
    let problems = match knowledge::load(dir.path()) {
        Ok(_) => Vec::new(),
        Err(e) => e.problems,
    };
    (problems, dir)
}

#[test]
fn every_broken_fixture_is_reported_at_its_line() {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/broken");
    let mut names: Vec<_> = std::fs::read_dir(&fixtures)
        .expect("fixtures")
        .map(|e| e.expect("entry").path())
        .collect();
    names.sort();
    assert!(names.len() >= 10);
    for path in names {
        let text = std::fs::read_to_string(&path).expect("read");
        let rel = text
            .lines()
            .find_map(|l| l.strip_prefix("# replaces: "))
            .expect("fixture names the file it replaces")
            .trim();
        let (problems, _dir) = load_with(rel, text.as_bytes());
        let shown: Vec<String> = problems.iter().map(|p| p.to_string()).collect();
        assert!(!problems.is_empty(), "{}: accepted", path.display());
        for expect in text.lines().filter_map(|l| l.strip_prefix("# expect: ")) {
            let (line, words) = expect.split_once(": ").expect("`LINE: words`");
            let line: usize = line.parse().expect("line number");
            assert!(
                problems
                    .iter()
                    .any(|p| p.file.ends_with(rel) && p.line == line && p.message.contains(words)),
                "{}: expected {rel}:{line} `{words}`, got:\n{}",
                path.display(),
                shown.join("\n")
            );
        }
    }
}

#[test]
fn a_missing_file_and_invalid_utf8_are_named() {
    let dir = support::knowledge_copy();
    std::fs::remove_file(dir.path().join("texts.toml")).expect("rm");
    std::fs::write(
        dir.path().join("topics.toml"),
        b"[[topic]]\nid = \"x\xff\"\n",
    )
    .expect("write");
    let e = knowledge::load(dir.path()).expect_err("broken");
    let text = e.to_string();
    assert!(text.contains("texts.toml: the file is missing"), "{text}");
    assert!(text.contains("topics.toml:2:"), "{text}");
    assert!(text.contains("not valid UTF-8"), "{text}");
}

#[test]
fn problems_in_several_files_are_all_reported_in_one_run() {
    let dir = support::knowledge_copy();
    std::fs::write(dir.path().join("texts.toml"), "disclaimer = ").expect("write");
    std::fs::write(
        dir.path().join("not_covered.toml"),
        "[[gap]]\nid = \"a\"\nabout = \"x\"\npatterns = [\"*\"]\n",
    )
    .expect("write");
    let e = knowledge::load(dir.path()).expect_err("broken");
    let files: std::collections::BTreeSet<String> = e
        .problems
        .iter()
        .map(|p| {
            p.file
                .file_name()
                .unwrap_or_default()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    assert!(
        files.contains("texts.toml") && files.contains("not_covered.toml"),
        "{e}"
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// Whatever a file holds, loading reports problems and never panics.
    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
        let (_problems, _dir) = load_with("entries/downtime.toml", &bytes);
    }

    /// Near-TOML text (the usual moderator slip) is handled the same way.
    #[test]
    fn arbitrary_toml_like_text_never_panics(text in "(\\[\\[entry\\]\\]\n|id = \"[a-z]{0,5}\"\n|topic = \"downtime\"\n|questions = \\[\"[a-z ]{0,12}\"\\]\n|answer = \"\"\"\n|\\[\\[entry.quote\\]\\]\n|text = \"[A-Za-z ]{0,20}\"\n|source = \"skin-renewal\"\n|[=\\[\\]\"{}#]\n){0,14}") {
        let (_problems, _dir) = load_with("entries/downtime.toml", text.as_bytes());
    }
}

#[test]
fn a_word_both_elsewhere_and_an_anchor_is_refused() {
    // A word in both lists would silently be ignored as another field.
    let chat = std::fs::read_to_string(support::shipped_knowledge().join("chat.toml"))
        .expect("read chat.toml");
    let broken = chat.replacen("elsewhere = [", "elsewhere = [\n  \"acne\",", 1);
    assert_ne!(broken, chat, "chat.toml has an elsewhere list");
    let (problems, _dir) = load_with("chat.toml", broken.as_bytes());
    assert!(
        problems.iter().any(|p| p
            .to_string()
            .contains("`acne` is in both `elsewhere` and `anchors`")),
        "{problems:?}"
    );
}
