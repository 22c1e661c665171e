//! Committing a moderator's edit when the knowledge folder is a git work tree
//! and `knowledge.commit_edits` allows it: the history then shows every
//! teach and decline, and a bad one is one `git revert` away.
//!
//! The message names the action and the entry or subject, never who asked
//! the question or who taught it (the question itself is in the diff, as it
//! is in `tests.jsonl`).

use super::{Change, Request};
use std::path::Path;
use std::process::Command;

/// Commits the files a teach changed: `file`, and `tests.jsonl` when
/// `with_tests`. `Ok(None)`: the folder is not a git work tree, so there is
/// nothing to do; `Ok(Some(message))`: committed.
pub fn commit(
    dir: &Path,
    request: &Request,
    file: &Path,
    with_tests: bool,
) -> Result<Option<String>, String> {
    let git = |args: &[&str]| {
        Command::new("git")
            .arg("-C")
            .arg(dir)
            .args(args)
            .output()
            .map_err(|e| format!("cannot run git: {e}"))
    };
    let inside = git(&["rev-parse", "--is-inside-work-tree"])?;
    if !inside.status.success() || String::from_utf8_lossy(&inside.stdout).trim() != "true" {
        return Ok(None);
    }
    let message = match &request.change {
        Change::Phrasing { entry } => format!("knowledge: teach a phrasing to entry `{entry}`"),
        Change::NotCovered { subject, label } => match label {
            Some(_) => format!("knowledge: decline a question as new subject `{subject}`"),
            None => format!("knowledge: decline a question as subject `{subject}`"),
        },
    };
    // Absolute paths: `git -C dir` runs in the knowledge folder.
    let absolute = |p: &Path| {
        std::fs::canonicalize(p)
            .map(|p| p.to_string_lossy().into_owned())
            .map_err(|e| format!("cannot find {}: {e}", p.display()))
    };
    let mut files = vec![absolute(file)?];
    if with_tests {
        files.push(absolute(&dir.join("tests.jsonl"))?);
    }
    let mut add = vec!["add", "--"];
    add.extend(files.iter().map(String::as_str));
    let added = git(&add)?;
    if !added.status.success() {
        return Err(format!(
            "git add failed: {}",
            String::from_utf8_lossy(&added.stderr).trim()
        ));
    }
    // Only these files: anything else a moderator has staged stays staged.
    let mut commit = vec![
        "-c",
        "user.name=microneedling-bot",
        "-c",
        "user.email=microneedling-bot@localhost",
        "commit",
        "--quiet",
        "-m",
        &message,
        "--",
    ];
    commit.extend(files.iter().map(String::as_str));
    let done = git(&commit)?;
    if !done.status.success() {
        return Err(format!(
            "git commit failed: {}",
            String::from_utf8_lossy(&done.stderr).trim()
        ));
    }
    Ok(Some(message))
}
