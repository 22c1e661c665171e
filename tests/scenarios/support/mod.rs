//! Helpers shared by the scenarios: the shipped knowledge and copies of it to break, an
//! engine over it, the built binary, and (in submodules) the gap record, the operators'
//! HTTP endpoint and the real bot against the fake Discord.
//!
//! Not every build uses every helper (`--no-default-features` leaves out the Discord
//! scenarios), so dead-code warnings are silenced for this module in `main.rs`.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

/// The gap record: rows to seed it with, and scans of what it holds.
pub mod record;

/// A throwaway PostgreSQL server (skipped loudly when not installed).
pub mod postgres;

/// Plain HTTP/1.1 requests to the operators' endpoint, and reading its samples.
#[cfg(feature = "metrics-endpoint")]
pub mod http;

/// The real bot against the fake (needs the `discord` feature).
#[cfg(feature = "discord")]
pub mod bot;

/// Upper bound of each wait in these tests. Every wait returns as soon as
/// what it waits for happens; the bound is generous because a debug build
/// under the whole parallel test run can take several seconds to reload and
/// self-test the knowledge after a moderator's teach (a CI run once took
/// over 10 s).
pub const WAIT: Duration = Duration::from_secs(30);

/// The shipped knowledge directory.
pub fn shipped_knowledge() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("knowledge")
}

/// A copy of the shipped knowledge in a temporary directory, to break on purpose.
pub fn knowledge_copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    copy_dir(&shipped_knowledge(), dir.path());
    dir
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for entry in std::fs::read_dir(from).expect("read_dir") {
        let entry = entry.expect("entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("type").is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copy");
        }
    }
}

/// An engine over the shipped knowledge with default settings.
pub fn engine() -> microneedling_bot::Engine {
    let k =
        microneedling_bot::knowledge::load(&shipped_knowledge()).expect("shipped knowledge loads");
    microneedling_bot::Engine::new(std::sync::Arc::new(k), Default::default())
}

/// Runs `command` with `input` on its standard input (closed after it) and
/// collects what it printed.
pub fn run_with_input(command: &mut Command, input: &str) -> std::process::Output {
    use std::io::Write;
    use std::process::Stdio;
    let mut child = command
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(input.as_bytes())
        .expect("write");
    child.wait_with_output().expect("wait")
}

/// The built `microneedling-bot`, run in `dir` (a `config.toml` there is read) with no
/// `DISCORD_TOKEN` from the environment unless the caller sets one.
pub fn binary(dir: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_microneedling-bot"));
    c.current_dir(dir).env_remove("DISCORD_TOKEN");
    c
}
