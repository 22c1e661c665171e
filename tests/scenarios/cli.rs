//! The command line as moderators and operators use it.

use crate::support::{self, run_with_input};
use std::path::Path;
use std::process::Command;

/// The binary run from the crate's directory, where `tests/data/...` paths resolve.
fn bot() -> Command {
    support::binary(Path::new(env!("CARGO_MANIFEST_DIR")))
}

#[test]
fn check_passes_on_the_shipped_knowledge() {
    let out = bot().arg("check").output().expect("runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("quotes verified"), "{stdout}");
}

#[test]
fn check_fails_with_file_and_line_on_a_broken_edit() {
    let dir = support::knowledge_copy();
    let path = dir.path().join("entries/downtime.toml");
    let mut text = std::fs::read_to_string(&path).expect("read");
    text.push_str(
        "\n[[entry]]\nid = \"broken\"\ntopic = \"nope\"\nquestions = [\"x\"]\nanswer = \"y\"\n",
    );
    std::fs::write(&path, text).expect("write");
    let out = bot()
        .args(["check", "--knowledge"])
        .arg(dir.path())
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("entries/downtime.toml:"), "{stderr}");
    assert!(stderr.contains("unknown topic `nope`"), "{stderr}");
    assert!(stderr.contains("has no quote"), "{stderr}");
}

#[test]
fn check_fails_when_a_red_flag_captures_a_phrasing() {
    let dir = support::knowledge_copy();
    let path = dir.path().join("red_flags.toml");
    let text = std::fs::read_to_string(&path).expect("read");
    // A careless pattern: "redness" alone would escalate every redness question.
    let broken = text.replacen(
        "patterns = [\n  \"pus",
        "patterns = [\n  \"redness\",\n  \"pus",
        1,
    );
    assert_ne!(
        broken, text,
        "the infection flag's first pattern moved; update this test"
    );
    std::fs::write(&path, broken).expect("write");
    let out = bot()
        .args(["check", "--knowledge"])
        .arg(dir.path())
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("entries/downtime.toml:"), "{stderr}");
    assert!(
        stderr.contains("is captured by red flag `infection`"),
        "{stderr}"
    );
}

#[test]
fn ask_reads_standard_input_one_json_reply_per_line() {
    let out = run_with_input(
        bot().args(["ask", "--json"]),
        "how long will my face be red?\n\nI have pus and a fever\n\u{0}\u{ff}\n",
    );
    assert!(out.status.success());
    let lines: Vec<serde_json::Value> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).expect("json line"))
        .collect();
    assert_eq!(lines.len(), 4);
    assert_eq!(lines[0]["status"], "answered");
    assert!(lines[0]["sources"][0]["quote"]
        .as_str()
        .unwrap_or("")
        .contains("24-48"));
    assert_eq!(lines[1]["status"], "help");
    assert_eq!(lines[2]["status"], "urgent");
}

#[test]
fn eval_enforces_floors() {
    let ok = bot()
        .args([
            "eval",
            "tests/data/dev.jsonl",
            "--min-answer",
            "0.9",
            "--min-no-match",
            "0.9",
            "--min-urgent",
            "1.0",
        ])
        .output()
        .expect("runs");
    assert!(
        ok.status.success(),
        "{}",
        String::from_utf8_lossy(&ok.stdout)
    );
    let impossible = bot()
        .args(["eval", "tests/data/dev.jsonl", "--min-answer", "1.01"])
        .output()
        .expect("runs");
    assert_eq!(impossible.status.code(), Some(1));
}

#[test]
fn a_bad_setting_is_named() {
    let out = bot()
        .arg("check")
        .env("MNBOT_MATCHING__ANSWER_THRESHOLD", "7")
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("matching.answer_threshold"));
}
