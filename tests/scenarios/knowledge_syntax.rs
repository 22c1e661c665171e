//! A TOML syntax error in one file is reported alone: no knock-on problems in
//! files nobody edited (a `related` entry that lives in the broken file is not
//! "missing"; quotes are not "unknown source" because sources.toml broke).

use crate::support::{binary, knowledge_copy};
use microneedling_bot::knowledge;
use std::path::Path;

/// Breaks `rel` with a syntax error and returns the files the problems name.
fn problems_after_breaking(rel: &str, breakage: &str) -> Vec<(String, String)> {
    let dir = knowledge_copy();
    let path = dir.path().join(rel);
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, format!("{text}{breakage}")).unwrap();
    let err = knowledge::load(dir.path()).expect_err("the knowledge is broken");
    let problems: Vec<(String, String)> = err
        .problems
        .iter()
        .map(|p| {
            (
                p.file
                    .strip_prefix(dir.path())
                    .unwrap_or(&p.file)
                    .display()
                    .to_string(),
                p.message.clone(),
            )
        })
        .collect();

    // `check` lists the same, and nothing else.
    let out = binary(dir.path())
        .args(["check", "--knowledge"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    let listed = stderr.lines().filter(|l| l.starts_with("  ")).count();
    assert_eq!(listed, problems.len(), "{stderr}");
    problems
}

#[test]
fn a_syntax_error_in_one_file_yields_only_that_files_problems() {
    // downtime-redness (in downtime.toml) is related from aftercare.toml.
    let aftercare = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("knowledge/entries/aftercare.toml"),
    )
    .unwrap();
    assert!(
        aftercare.contains("\"downtime-redness\""),
        "update this test"
    );
    for (rel, breakage) in [
        (
            "entries/downtime.toml",
            "\n[[entry]]\nid = \"unterminated\n",
        ),
        ("entries/downtime.toml", "\nanswer = = \"x\"\n"),
        ("sources.toml", "\n[[source]\n"),
        ("topics.toml", "\n[[topic]]\nid = \"x\"\ntitle = \n"),
        ("vocabulary.toml", "\n[synonyms\n"),
    ] {
        let problems = problems_after_breaking(rel, breakage);
        assert!(!problems.is_empty(), "{rel}");
        for (file, message) in &problems {
            assert_eq!(file, rel, "{rel} broken, yet {file}: {message}");
        }
        assert!(
            problems
                .iter()
                .any(|(_, m)| m.starts_with("TOML syntax error")),
            "{rel}: {problems:?}"
        );
    }
}

#[test]
fn an_entry_that_does_not_read_is_not_reported_missing_elsewhere() {
    // An entry with a misspelt key fails alone; entries that relate to it
    // are not told it does not exist.
    let dir = knowledge_copy();
    let path = dir.path().join("entries/downtime.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    let at = text.find("id = \"downtime-redness\"").expect("the entry");
    let broken = format!("{}anwser_typo = 1\n{}", &text[..at], &text[at..]);
    std::fs::write(&path, broken).unwrap();
    let err = knowledge::load(dir.path()).expect_err("broken");
    for p in &err.problems {
        assert!(p.file.ends_with("entries/downtime.toml"), "{p}");
        assert!(!p.message.contains("does not exist"), "{p}");
    }
    assert!(err
        .problems
        .iter()
        .any(|p| p.message.contains("anwser_typo")));
}
