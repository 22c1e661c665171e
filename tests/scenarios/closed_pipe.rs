//! A reader that goes away (`ask … | head`, `eval … | head`) ends the command
//! quietly: no panic, no error message.

use crate::support::binary;
use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

/// Runs `command` with its standard output closed before it writes.
fn with_stdout_closed(mut command: Command, input: Option<String>) -> (Option<i32>, String) {
    let mut child = command
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    drop(child.stdout.take());
    if let Some(input) = input {
        let mut stdin = child.stdin.take().expect("stdin");
        // The child may end before reading everything: a write error here is fine.
        let _ = stdin.write_all(input.as_bytes());
    } else {
        drop(child.stdin.take());
    }
    let out = child.wait_with_output().expect("wait");
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn bot() -> Command {
    binary(Path::new(env!("CARGO_MANIFEST_DIR")))
}

#[test]
fn a_closed_pipe_ends_quietly() {
    let questions = "how long will my face be red?\n".repeat(200);
    let mut ask = bot();
    ask.args(["ask", "--json"]);
    let mut ask_plain = bot();
    ask_plain.args(["ask"]);
    let mut one = bot();
    one.args(["ask", "does it hurt"]);
    let mut eval = bot();
    eval.args(["eval", "tests/data/dev.jsonl"]);
    let mut gaps = bot();
    let dir = tempfile::tempdir().unwrap();
    gaps.args(["gaps", "--db"]).arg(dir.path().join("none.db"));
    let mut chat = bot();
    chat.arg("chat");
    for (name, command, input) in [
        ("ask --json", ask, Some(questions.clone())),
        ("ask", ask_plain, Some(questions.clone())),
        ("ask QUESTION", one, None),
        ("eval", eval, None),
        ("gaps", gaps, None),
        ("chat", chat, Some(questions.clone())),
    ] {
        let (code, stderr) = with_stdout_closed(command, input);
        assert!(!stderr.contains("panicked"), "{name}: {stderr}");
        assert!(!stderr.contains("Broken pipe"), "{name}: {stderr}");
        assert_eq!(code, Some(0), "{name}: {stderr}");
    }
}
