//! `teach` and `explain` on a copy of the shipped knowledge: a taught question
//! is one added line, validated against the whole knowledge before it is
//! written; a refused one changes no byte.

use crate::support;
use std::collections::BTreeMap;
use std::path::Path;
use std::process::{Command, Output};

/// Not answered by the knowledge as shipped (no word it knows well).
const DULL: &str = "is it good for a sallow complexion";
const TEXTURE: &str = "uses-skin-texture";

fn bot() -> Command {
    support::binary(Path::new(env!("CARGO_MANIFEST_DIR")))
}

fn run(dir: &Path, args: &[&str]) -> Output {
    bot()
        .args(args)
        .arg("--knowledge")
        .arg(dir)
        .output()
        .expect("runs")
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// Every file under `dir`, by relative path.
fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<String, Vec<u8>>) {
        for e in std::fs::read_dir(dir).expect("read_dir") {
            let e = e.expect("entry");
            if e.file_type().expect("type").is_dir() {
                walk(root, &e.path(), out);
            } else {
                let rel = e.path().strip_prefix(root).unwrap().display().to_string();
                out.insert(rel, std::fs::read(e.path()).expect("read"));
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

/// The files that differ between two snapshots.
fn changed(a: &BTreeMap<String, Vec<u8>>, b: &BTreeMap<String, Vec<u8>>) -> Vec<String> {
    let names: std::collections::BTreeSet<String> = a
        .keys()
        .chain(b.keys())
        .filter(|k| a.get(*k) != b.get(*k))
        .cloned()
        .collect();
    names.into_iter().collect()
}

/// `new` is `old` with exactly these lines inserted.
fn added_lines(old: &[u8], new: &[u8]) -> Vec<String> {
    let old: Vec<&str> = std::str::from_utf8(old).unwrap().lines().collect();
    let new: Vec<&str> = std::str::from_utf8(new).unwrap().lines().collect();
    let prefix = old.iter().zip(&new).take_while(|(a, b)| a == b).count();
    let added = new.len() - old.len();
    assert_eq!(
        &new[prefix + added..],
        &old[prefix..],
        "only lines inserted"
    );
    new[prefix..prefix + added]
        .iter()
        .map(|l| l.to_string())
        .collect()
}

fn ask_json(dir: &Path, q: &str) -> serde_json::Value {
    let o = run(dir, &["ask", "--json", q]);
    assert!(o.status.success(), "{}", text(&o));
    serde_json::from_slice(&o.stdout).expect("json")
}

#[test]
fn teach_adds_one_line_then_check_passes_and_the_question_is_answered() {
    let dir = support::knowledge_copy();
    let before = snapshot(dir.path());
    assert_ne!(ask_json(dir.path(), DULL)["entry"], TEXTURE);

    let o = run(dir.path(), &["teach", "--entry", TEXTURE, DULL]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert!(
        text(&o).contains("answered by uses-skin-texture"),
        "{}",
        text(&o)
    );

    let after = snapshot(dir.path());
    assert_eq!(
        changed(&before, &after),
        ["entries/uses.toml", "tests.jsonl"]
    );
    assert_eq!(
        added_lines(&before["entries/uses.toml"], &after["entries/uses.toml"]),
        [format!("  \"{DULL}\",")]
    );
    let case = added_lines(&before["tests.jsonl"], &after["tests.jsonl"]);
    assert_eq!(case.len(), 1);
    let case: serde_json::Value = serde_json::from_str(&case[0]).unwrap();
    assert_eq!(case["q"], DULL);
    assert_eq!(case["kind"], "answer");
    assert_eq!(case["entry"], TEXTURE);
    assert_eq!(case["expect"], serde_json::json!([]));
    assert!(case["id"].as_str().unwrap().starts_with("kb-"));
    // The eval still reads the file (it refuses unknown fields).
    let o = bot()
        .args(["eval"])
        .arg(dir.path().join("tests.jsonl"))
        .arg("--knowledge")
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(!text(&o).contains("unknown field"), "{}", text(&o));

    let o = run(dir.path(), &["check"]);
    assert!(o.status.success(), "{}", text(&o));
    let a = ask_json(dir.path(), DULL);
    assert_eq!(a["status"], "answered");
    assert_eq!(a["entry"], TEXTURE);
}

#[test]
fn teach_to_a_missing_entry_changes_nothing() {
    let dir = support::knowledge_copy();
    let before = snapshot(dir.path());
    let o = run(
        dir.path(),
        &["teach", "--entry", "uses-skin-texturee", DULL],
    );
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(
        text(&o).contains("`uses-skin-texturee` does not exist"),
        "{}",
        text(&o)
    );
    assert!(
        text(&o).contains("did you mean `uses-skin-texture`"),
        "{}",
        text(&o)
    );
    assert_eq!(snapshot(dir.path()), before, "every file byte-identical");
}

/// Teaches `question` to `entry` on a fresh copy of the shipped knowledge,
/// expects a refusal that writes nothing, and returns what was printed.
fn refused_teach(entry: &str, question: &str) -> String {
    let dir = support::knowledge_copy();
    let before = snapshot(dir.path());
    let o = run(dir.path(), &["teach", "--entry", entry, question]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    let t = text(&o);
    assert!(t.contains("refused, nothing was written"), "{t}");
    assert_eq!(snapshot(dir.path()), before, "every file byte-identical");
    t
}

#[test]
fn a_question_a_red_flag_captures_is_refused() {
    let t = refused_teach("downtime-redness", "my face is full of pus, is that normal");
    assert!(t.contains("entries/downtime.toml:"), "file:line: {t}");
    assert!(t.contains("urgent (infection)"), "{t}");
}

/// A phrasing also teaches the learned entry model, so it can move other
/// questions: a teach that makes a moderator's regression question fail is
/// refused, naming the question's line in `tests.jsonl`.
#[test]
fn a_teach_that_breaks_a_regression_question_is_refused() {
    // A pain question taught to the redness entry pulls pain questions there.
    let t = refused_teach("downtime-redness", "how painful is it tbh");
    assert!(
        t.lines()
            .any(|l| l.contains("tests.jsonl:") && l.contains("would no longer pass")),
        "a regression question named with its line: {t}"
    );
}

#[test]
fn comments_and_layout_survive() {
    let dir = support::knowledge_copy();
    let path = dir.path().join("entries/uses.toml");
    let original = std::fs::read_to_string(&path).unwrap();
    // A moderator's comments inside and after the entry's list of questions.
    let at = original.find("id = \"uses-skin-texture\"").unwrap();
    let close = at + original[at..].find("\n]").unwrap();
    let commented = format!(
        "{}\n  # keep: a note inside the list{}\n# keep: the end\n",
        &original[..close],
        &original[close..]
    );
    std::fs::write(&path, &commented).unwrap();
    let o = run(dir.path(), &["teach", "--entry", TEXTURE, DULL]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let new = std::fs::read_to_string(&path).unwrap();
    assert_eq!(
        added_lines(commented.as_bytes(), new.as_bytes()),
        [format!("  \"{DULL}\",")]
    );
    assert!(new.contains("  # keep: a note inside the list\n"));
    assert!(new.ends_with("# keep: the end\n"));
    let comments = |t: &str| {
        t.lines()
            .filter(|l| l.trim_start().starts_with('#'))
            .count()
    };
    assert_eq!(comments(&new), comments(&commented));
}

#[test]
fn two_concurrent_teaches_both_land() {
    let dir = support::knowledge_copy();
    let start = |entry: &str, q: &str| {
        bot()
            .args(["teach", "--entry", entry, q, "--knowledge"])
            .arg(dir.path())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("spawn")
    };
    // Both in entries/procedure.toml: without the lock one would overwrite the other.
    let a = start("procedure-pain", "will it sting a lot");
    let b = start("procedure-popularity", "is it a fad or is it here to stay");
    for child in [a, b] {
        let o = child.wait_with_output().unwrap();
        assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    }
    let file = std::fs::read_to_string(dir.path().join("entries/procedure.toml")).unwrap();
    assert!(file.contains("  \"will it sting a lot\",\n"));
    assert!(file.contains("  \"is it a fad or is it here to stay\",\n"));
    let tests = std::fs::read_to_string(dir.path().join("tests.jsonl")).unwrap();
    assert!(tests.contains("will it sting a lot"));
    assert!(tests.contains("is it a fad or is it here to stay"));
    let ids: Vec<String> = tests
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap()["id"].to_string())
        .collect();
    let mut unique = ids.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), ids.len(), "distinct ids");
    assert!(!dir.path().join(".teach.lock").exists());
    assert!(run(dir.path(), &["check"]).status.success());
    assert_eq!(
        ask_json(dir.path(), "will it sting a lot")["entry"],
        "procedure-pain"
    );
}

#[test]
fn decline_creates_a_subject_and_the_question_gets_no_match() {
    let dir = support::knowledge_copy();
    let q = "can microneedling get rid of a tattoo";
    let o = run(
        dir.path(),
        &[
            "teach",
            "--not-covered",
            "tattoos",
            "--label",
            "tattoo removal",
            q,
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let file = std::fs::read_to_string(dir.path().join("not_covered.toml")).unwrap();
    assert!(file.contains("id = \"tattoos\"\nabout = \"tattoo removal\"\npatterns = [\"can microneedling get rid of a tattoo\"]\n"), "{file}");
    assert!(run(dir.path(), &["check"]).status.success());
    assert_eq!(ask_json(dir.path(), q)["status"], "no_match");
    let tests = std::fs::read_to_string(dir.path().join("tests.jsonl")).unwrap();
    assert!(tests
        .lines()
        .last()
        .unwrap()
        .contains("\"kind\": \"no_match\""));

    // Without a label, an unknown subject is refused.
    let before = snapshot(dir.path());
    let o = run(
        dir.path(),
        &["teach", "--not-covered", "piercings", "do piercings close"],
    );
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert_eq!(snapshot(dir.path()), before);
}

#[test]
fn explain_shows_outcome_what_fired_terms_and_entries() {
    let dir = support::shipped_knowledge();
    let o = run(&dir, &["explain", "my face is full of pus, is that normal"]);
    assert!(o.status.success(), "{}", text(&o));
    let t = text(&o);
    assert!(t.contains("outcome:  urgent (infection)"), "{t}");
    assert!(t.contains("fired:    red flag `infection`"), "{t}");
    let o = run(
        &dir,
        &[
            "explain",
            "how long does the redness last after microneedling?",
        ],
    );
    let t = text(&o);
    assert!(t.contains("outcome:  answered by downtime-redness"), "{t}");
    assert!(t.contains("terms:    "), "{t}");
    assert!(t.contains("downtime-redness (downtime, learned "), "{t}");
    // ask --explain says the same.
    let o = run(&dir, &["ask", "--explain", "how much does it cost"]);
    assert!(text(&o).contains("not covered `cost`"), "{}", text(&o));
}

#[test]
fn with_commit_edits_a_teach_is_committed_naming_the_entry_not_the_asker() {
    let dir = support::knowledge_copy();
    let git = |args: &[&str]| {
        let o = Command::new("git")
            .arg("-C")
            .arg(dir.path())
            .args(["-c", "user.name=t", "-c", "user.email=t@localhost"])
            .args(args)
            .output()
            .expect("git runs");
        assert!(o.status.success(), "git {args:?}: {}", text(&o));
        String::from_utf8_lossy(&o.stdout).into_owned()
    };
    git(&["init", "--quiet"]);
    git(&["add", "."]);
    git(&["commit", "--quiet", "-m", "shipped knowledge"]);
    let out = bot()
        .env("MNBOT_KNOWLEDGE__COMMIT_EDITS", "true")
        .args(["teach", "--entry", TEXTURE, DULL, "--knowledge"])
        .arg(dir.path())
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let subject = git(&["log", "-1", "--format=%s"]);
    assert_eq!(
        subject.trim(),
        format!("knowledge: teach a phrasing to entry `{TEXTURE}`")
    );
    let files = git(&["show", "--name-only", "--format=", "HEAD"]);
    assert!(files.contains("entries/"), "{files}");
    assert!(files.contains("tests.jsonl"), "{files}");
    assert_eq!(
        git(&["status", "--porcelain"]).trim(),
        "",
        "everything committed"
    );
    // Without the setting nothing is committed.
    let out = run(
        dir.path(),
        &[
            "teach",
            "--entry",
            TEXTURE,
            "is microneedling good for a tired complexion",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert_eq!(git(&["log", "--format=%s"]).lines().count(), 2);
}
