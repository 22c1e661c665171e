//! Teaching the knowledge from a question: add it as a phrasing of an entry
//! (`teach --entry`, `/kb teach`), or decline it as a subject the source does
//! not cover (`teach --not-covered`, `/kb decline`).
//!
//! One code path for the command line and Discord, [`apply`]:
//! 1. take the knowledge directory's edit lock ([`lock`]), so concurrent edits
//!    land one after the other;
//! 2. edit the one TOML file in memory with `toml_edit` ([`edit`]): the diff is
//!    the added line, comments and layout stay;
//! 3. validate the WHOLE knowledge with the edit applied, in a temporary copy
//!    of the directory: it loads ([`knowledge::load`]), every phrasing of every
//!    entry is still answered by its own entry with no red flag or uncovered
//!    subject capturing it ([`self_test`]), the question now gets the
//!    outcome asked for, and every regression question of `tests.jsonl` that
//!    passed still passes (a phrasing also teaches the learned entry model,
//!    which can move close questions). Anything broken refuses the edit with
//!    the problems (file:line) and nothing is written;
//! 4. write the file atomically (a temporary file in the same folder, renamed),
//!    then append the question, labelled, to `tests.jsonl`.
//!
//! A question is not a pattern: a decline adds the question's words, as the
//! engine reads them (cleaned, spelling-corrected), as one exact phrase
//! pattern (`how much is a laser facial`), which matches messages containing
//! those words in a row. (`not_covered.toml` has no list of questions; the
//! loader would refuse one.)

pub mod edit;
pub mod explain;
pub mod git;
pub mod lock;

pub use explain::{explain, outcome, CrisisScore, Explanation};

use crate::answer::{Answer, Status};
use crate::engine::{Engine, PhrasingProblem};
use crate::eval::{evaluate, parse_cases, Kind};
use crate::knowledge::{self, Knowledge, Problem};
use crate::matching::Matcher;
use crate::settings::MatchingSettings;
use edit::{EditError, Edited};
use lock::{EditLock, LockError};
use std::collections::{HashMap, HashSet};
use std::fmt;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

/// What to do with the question.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// Add it to the `questions` of this entry.
    Phrasing { entry: String },
    /// Decline it as this not-covered subject; with a label, the subject is
    /// created when it does not exist (`about = label`).
    NotCovered {
        subject: String,
        label: Option<String>,
    },
}

/// A question and what to do with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    pub question: String,
    pub change: Change,
}

/// A change that was written.
#[derive(Debug)]
pub struct Taught {
    /// The file edited.
    pub file: PathBuf,
    /// 1-based line of the added line.
    pub line: usize,
    /// The added line(s), as written.
    pub lines: Vec<String>,
    /// For a decline: the pattern added.
    pub pattern: Option<String>,
    /// The line appended to `tests.jsonl` (`None`: the question was already there).
    pub case: Option<String>,
    /// The engine over the new knowledge (what the files now say).
    pub engine: Engine,
    /// The question's new outcome.
    pub answer: Answer,
}

/// Why nothing was written.
#[derive(Debug, thiserror::Error)]
pub enum TeachError {
    /// The edit could not be published to the other processes
    /// (`knowledge.share`): nothing was written here either.
    #[error("the edit could not be shared with the other bot processes, nothing was written: {0}")]
    Publish(String),
    /// The edit would break something (or makes no sense): every problem.
    #[error("{}", Refused(.0))]
    Refused(Vec<Problem>),
    /// Another edit held the lock for too long.
    #[error(transparent)]
    Lock(#[from] LockError),
    /// Reading or writing a file failed.
    #[error("{0}")]
    Io(String),
}

struct Refused<'a>(&'a [Problem]);

impl fmt::Display for Refused<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "refused, nothing was written:")?;
        for p in self.0 {
            writeln!(f, "  {p}")?;
        }
        Ok(())
    }
}

impl TeachError {
    /// The problems of a refused edit (empty for other errors).
    pub fn problems(&self) -> &[Problem] {
        match self {
            TeachError::Refused(p) => p,
            _ => &[],
        }
    }
}

fn problem(file: &Path, line: usize, message: impl Into<String>) -> Problem {
    Problem {
        file: file.to_path_buf(),
        line,
        column: 0,
        message: message.into(),
    }
}

fn refuse<T>(file: &Path, line: usize, message: impl Into<String>) -> Result<T, TeachError> {
    Err(TeachError::Refused(vec![problem(file, line, message)]))
}

fn io(what: &str, path: &Path, e: impl fmt::Display) -> TeachError {
    TeachError::Io(format!("{what} {}: {e}", path.display()))
}

/// The question on one line, spaces collapsed.
pub fn clean_question(q: &str) -> String {
    q.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The files an edit writes, with their whole new text, and the knowledge
/// version once they are written: what [`apply_with`] hands to its publisher
/// before writing anything.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Publication {
    /// (path relative to the knowledge directory, `/`-separated; the file's full new text).
    pub files: Vec<(String, String)>,
    /// The knowledge version with these files written.
    pub version: String,
}

/// Applies `request` to the knowledge in `dir` (see the module's doc). Blocking:
/// from async code, run it with `spawn_blocking`.
pub fn apply(
    dir: &Path,
    matching: MatchingSettings,
    request: &Request,
) -> Result<Taught, TeachError> {
    apply_with(dir, matching, request, &mut |_| Ok(()))
}

/// [`apply`], with `publish` called once the edit is validated and before any
/// file is written, with every file about to be written. An error from
/// `publish` refuses the edit ([`TeachError::Publish`]) and nothing is written.
pub fn apply_with(
    dir: &Path,
    matching: MatchingSettings,
    request: &Request,
    publish: &mut dyn FnMut(&Publication) -> Result<(), String>,
) -> Result<Taught, TeachError> {
    let question = clean_question(&request.question);
    if question.is_empty() {
        return refuse(dir, 0, "the question is empty");
    }
    let _lock = EditLock::acquire(dir)?;
    let current = knowledge::load(dir).map_err(|e| {
        let mut problems = vec![problem(
            dir,
            0,
            "the knowledge on disk has problems; fix them first (run `check`)",
        )];
        problems.extend(e.problems);
        TeachError::Refused(problems)
    })?;

    // 1. The edit, in memory.
    let (rel, edited, pattern) = match &request.change {
        Change::Phrasing { entry } => {
            let Some(e) = current.entry(entry) else {
                return refuse(
                    &dir.join("entries"),
                    0,
                    format!(
                        "entry `{entry}` does not exist{}",
                        closest(entry, current.entries.iter().map(|e| e.id.as_str()))
                    ),
                );
            };
            let (rel, text) = entry_file(dir, &e.id)?;
            let edited = edit::add_phrasing(&text, &e.id, &question)
                .map_err(|err| edit_refusal(dir, &rel, &err))?;
            (rel, edited, None)
        }
        Change::NotCovered { subject, label } => {
            let rel = "not_covered.toml".to_string();
            let path = dir.join(&rel);
            let text = std::fs::read_to_string(&path).map_err(|e| io("cannot read", &path, e))?;
            let pattern = phrase_pattern(&current, &question);
            if pattern.is_empty() {
                return refuse(&path, 0, "the question has no words to match");
            }
            let exists = current.gaps.iter().any(|g| &g.id == subject);
            let edited = match (exists, label) {
                (true, _) => edit::add_pattern(&text, subject, &pattern),
                (false, Some(label)) => {
                    if let Some(why) = bad_id(subject) {
                        return refuse(&path, 0, why);
                    }
                    let label = clean_question(label);
                    if label.is_empty() {
                        return refuse(&path, 0, "the label (`about`) is empty");
                    }
                    edit::add_gap(&text, subject, &label, &pattern)
                }
                (false, None) => {
                    return refuse(
                        &path,
                        0,
                        format!(
                            "subject `{subject}` does not exist{}; give a label to create it",
                            closest(subject, current.gaps.iter().map(|g| g.id.as_str()))
                        ),
                    )
                }
            }
            .map_err(|err| edit_refusal(dir, &rel, &err))?;
            (rel, edited, Some(pattern))
        }
    };

    // 2. The whole knowledge, validated with the edit applied.
    let engine = validate(dir, matching, &current, &rel, &edited, &question, request)?;

    // 3. Published (when shared), then written.
    let path = dir.join(&rel);
    let case = new_case(dir, &current, &question, &request.change)?;
    let mut files = vec![(rel.clone(), edited.text.clone())];
    if let Some((_, tests)) = &case {
        files.push((TESTS_FILE.to_string(), tests.clone()));
    }
    publish(&Publication {
        files,
        version: engine.knowledge().version.clone(),
    })
    .map_err(TeachError::Publish)?;
    write_atomically(&path, &edited.text)?;
    if let Some((_, tests)) = &case {
        write_atomically(&dir.join(TESTS_FILE), tests)?;
    }
    let case = case.map(|(line, _)| line);
    let answer = engine.answer(&question);
    Ok(Taught {
        file: path,
        line: edited.line,
        lines: edited.lines,
        pattern,
        case,
        engine,
        answer,
    })
}

fn edit_refusal(dir: &Path, rel: &str, err: &EditError) -> TeachError {
    TeachError::Refused(vec![problem(&dir.join(rel), 0, err.to_string())])
}

/// " (did you mean `x`?)" for the known id closest to `id`, if any is close.
fn closest<'a>(id: &str, known: impl Iterator<Item = &'a str>) -> String {
    known
        .map(|k| (strsim::damerau_levenshtein(id, k), k))
        .filter(|(d, k)| *d <= 3 || k.contains(id) || id.contains(k))
        .min()
        .map(|(_, k)| format!(" (did you mean `{k}`?)"))
        .unwrap_or_default()
}

/// Same rule as the loader's for entry ids.
fn bad_id(id: &str) -> Option<String> {
    let ok = !id.is_empty()
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_');
    (!ok).then(|| format!("id `{id}` may only use lowercase letters, digits, `-` and `_`"))
}

/// The entries file (relative path) defining entry `id`, and its text.
fn entry_file(dir: &Path, id: &str) -> Result<(String, String), TeachError> {
    for rel in entry_files(dir)? {
        let path = dir.join(&rel);
        let text = std::fs::read_to_string(&path).map_err(|e| io("cannot read", &path, e))?;
        if edit::defines(&text, "entry", id) {
            return Ok((rel, text));
        }
    }
    refuse(
        &dir.join("entries"),
        0,
        format!("no file under entries/ defines `{id}`"),
    )
}

fn entry_files(dir: &Path) -> Result<Vec<String>, TeachError> {
    let entries = dir.join("entries");
    let mut names: Vec<String> = std::fs::read_dir(&entries)
        .map_err(|e| io("cannot read", &entries, e))?
        .filter_map(|e| e.ok())
        .filter_map(|e| e.file_name().into_string().ok())
        .filter(|n| n.ends_with(".toml"))
        .map(|n| format!("entries/{n}"))
        .collect();
    names.sort();
    Ok(names)
}

/// The question's words as the engine reads them (cleaned, chat spellings and
/// typos corrected), as one phrase: a pattern that matches them in a row.
/// Cleaned words hold no `|`, `+`, `*` or leading `-`, so the pattern is
/// always a plain phrase.
pub fn phrase_pattern(k: &Knowledge, question: &str) -> String {
    let analyzed = Matcher::new(k).analyze(question);
    analyzed
        .tokens
        .iter()
        .map(|t| t.text.as_str())
        .filter(|w| w.chars().all(char::is_alphanumeric) && !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// A phrasing that is not answered by its own entry.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Miss {
    pub entry: String,
    pub question: String,
    /// What happened instead, e.g. "urgent (infection)".
    pub outcome: String,
}

/// Every phrasing of every entry must be answered by its own entry, with no
/// red flag or not-covered subject capturing it ([`Engine::self_test`]).
/// Returns the ones that are not.
pub fn self_test(engine: &Engine) -> Vec<Miss> {
    engine
        .self_test()
        .into_iter()
        .map(|i| Miss {
            outcome: match &i.problem {
                PhrasingProblem::RedFlag(id) => format!("urgent ({id})"),
                PhrasingProblem::NotCovered(id) => format!("no_match ({id})"),
                PhrasingProblem::OtherEntry(id) => format!("answered by `{id}`"),
                PhrasingProblem::NotAnswered(status) => status.to_string(),
            },
            entry: i.entry,
            question: i.phrasing,
        })
        .collect()
}

/// Where each phrasing is written: (entry id, phrasing) → (file, line).
pub fn phrasing_lines(dir: &Path) -> HashMap<(String, String), (PathBuf, usize)> {
    let mut out = HashMap::new();
    let Ok(files) = entry_files(dir) else {
        return out;
    };
    for rel in files {
        let Ok(text) = std::fs::read_to_string(dir.join(&rel)) else {
            continue;
        };
        let Ok(doc) = toml_edit::Document::parse(text.as_str()) else {
            continue;
        };
        let line_of = |at: usize| text[..at.min(text.len())].matches('\n').count() + 1;
        let Some(aot) = doc
            .get("entry")
            .and_then(toml_edit::Item::as_array_of_tables)
        else {
            continue;
        };
        for t in aot.iter() {
            let Some(id) = t.get("id").and_then(toml_edit::Item::as_str) else {
                continue;
            };
            let Some(qs) = t.get("questions").and_then(toml_edit::Item::as_array) else {
                continue;
            };
            for q in qs.iter() {
                if let (Some(s), Some(span)) = (q.as_str(), q.span()) {
                    out.insert(
                        (id.to_string(), s.to_string()),
                        (PathBuf::from(&rel), line_of(span.start)),
                    );
                }
            }
        }
    }
    out
}

/// A temporary directory removed on drop.
struct Scratch(PathBuf);

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

static SCRATCH: AtomicU64 = AtomicU64::new(0);

fn scratch_copy(dir: &Path) -> Result<Scratch, TeachError> {
    let n = SCRATCH.fetch_add(1, Ordering::Relaxed);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    let path = std::env::temp_dir().join(format!("mnbot-teach-{}-{n}-{nanos}", std::process::id()));
    let scratch = Scratch(path);
    copy_dir(dir, &scratch.0).map_err(|e| io("cannot copy the knowledge to", &scratch.0, e))?;
    Ok(scratch)
}

/// Copies a directory (without dot-files: locks, editor droppings, `.git`).
fn copy_dir(from: &Path, to: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(to)?;
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        if entry.file_name().to_string_lossy().starts_with('.') {
            continue;
        }
        let target = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            copy_dir(&entry.path(), &target)?;
        } else {
            std::fs::copy(entry.path(), &target)?;
        }
    }
    Ok(())
}

/// Loads the knowledge with the edit applied (in a copy) and runs the checks;
/// the problems name the real files.
fn validate(
    dir: &Path,
    matching: MatchingSettings,
    current: &Knowledge,
    rel: &str,
    edited: &Edited,
    question: &str,
    request: &Request,
) -> Result<Engine, TeachError> {
    let scratch = scratch_copy(dir)?;
    let copy = scratch.0.join(rel);
    std::fs::write(&copy, &edited.text).map_err(|e| io("cannot write", &copy, e))?;
    let real = |p: &Path| match p.strip_prefix(&scratch.0) {
        Ok(r) => dir.join(r),
        Err(_) => p.to_path_buf(),
    };
    let k = knowledge::load(&scratch.0).map_err(|e| {
        TeachError::Refused(
            e.problems
                .into_iter()
                .map(|mut p| {
                    p.file = real(&p.file);
                    p
                })
                .collect(),
        )
    })?;
    let engine = Engine::new(Arc::new(k), matching);
    let edited_at = (dir.join(rel), edited.line);
    let mut problems = Vec::new();

    // The question itself.
    let a = engine.answer(question);
    match &request.change {
        Change::Phrasing { entry } => {
            if a.status != Status::Answered || a.entry.as_deref() != Some(entry) {
                let why = match a.status {
                    Status::Urgent => " (a red flag captures it: a question about a possible complication gets the seek-care reply and cannot be taught)".to_string(),
                    Status::NoMatch if a.gap.is_some() => format!(
                        " (the not-covered subject `{}` captures it)",
                        a.gap.as_deref().unwrap_or("")
                    ),
                    _ => String::new(),
                };
                problems.push(problem(
                    &edited_at.0,
                    edited_at.1,
                    format!(
                        "with the phrasing added, the question is still not answered by `{entry}`: {}{why}",
                        outcome(&a)
                    ),
                ));
            }
        }
        Change::NotCovered { subject, .. } => {
            if a.status != Status::NoMatch {
                problems.push(problem(
                    &edited_at.0,
                    edited_at.1,
                    format!(
                        "with the pattern added, the question still does not get no_match: {}",
                        outcome(&a)
                    ),
                ));
            } else if a.gap.as_deref() != Some(subject) {
                tracing::debug!(gap = ?a.gap, "declined, but not by the subject taught");
            }
        }
    }

    // Every phrasing of every entry (only what the edit broke: a miss that
    // was already there is not this edit's fault).
    let current_engine = Engine::new(Arc::new(current.clone()), matching);
    let misses = self_test(&engine);
    if !misses.is_empty() {
        let before: HashSet<Miss> = self_test(&current_engine).into_iter().collect();
        let lines = phrasing_lines(&scratch.0);
        // The taught phrasing itself is reported above.
        let taught = match &request.change {
            Change::Phrasing { entry } => Some((entry.as_str(), question)),
            Change::NotCovered { .. } => None,
        };
        for m in misses
            .into_iter()
            .filter(|m| !before.contains(m))
            .filter(|m| taught != Some((m.entry.as_str(), m.question.as_str())))
        {
            let (file, line) = lines
                .get(&(m.entry.clone(), m.question.clone()))
                .map(|(f, l)| (dir.join(f), *l))
                .unwrap_or_else(|| (dir.join("entries"), 0));
            problems.push(problem(
                &file,
                line,
                format!(
                    "phrasing {:?} of `{}` would no longer be answered by its entry: {}",
                    m.question, m.entry, m.outcome
                ),
            ));
        }
    }
    problems.extend(regressions(dir, &current_engine, &engine));
    if problems.is_empty() {
        Ok(engine)
    } else {
        Err(TeachError::Refused(problems))
    }
}

/// The moderators' regression questions (`tests.jsonl` in `dir`) that pass
/// with the knowledge as it is (`before`) and fail with the edit (`after`).
/// A phrasing also teaches the learned entry model, which can move a close
/// question to another entry; a question that already failed is not the
/// edit's fault. A missing or unreadable file is no regression (`check`
/// and `eval` report a broken one).
fn regressions(dir: &Path, before: &Engine, after: &Engine) -> Vec<Problem> {
    let path = dir.join(TESTS_FILE);
    let Ok(text) = std::fs::read_to_string(&path) else {
        return Vec::new();
    };
    let Ok(cases) = parse_cases(&text) else {
        return Vec::new();
    };
    let was: HashSet<String> = evaluate(before, &cases)
        .failures
        .into_iter()
        .map(|f| f.case.id)
        .collect();
    let line_of = |id: &str| {
        text.lines()
            .position(|l| {
                serde_json::from_str::<serde_json::Value>(l)
                    .ok()
                    .is_some_and(|v| v.get("id").and_then(|x| x.as_str()) == Some(id))
            })
            .map_or(0, |i| i + 1)
    };
    evaluate(after, &cases)
        .failures
        .into_iter()
        .filter(|f| !was.contains(&f.case.id))
        .map(|f| {
            problem(
                &path,
                line_of(&f.case.id),
                format!(
                    "regression question {:?} (`{}`) would no longer pass: {} (if that is now the right answer, change the line)",
                    f.case.q,
                    f.case.id,
                    outcome(&f.answer)
                ),
            )
        })
        .collect()
}

/// Validates the knowledge in `dir` with `files` (relative path, full new
/// text) written over it, in a scratch copy: it must load
/// ([`knowledge::load`]), and the phrasing self-test ([`self_test`]) must find
/// no phrasing answered wrongly that the knowledge in `dir` as it is answers
/// right. Returns the engine over the edited knowledge, or every problem
/// (files named as in `dir`). Nothing in `dir` is written. The paths must be
/// safe (relative, no `..`): the caller checks them.
pub fn check_files(
    dir: &Path,
    matching: MatchingSettings,
    files: &[(String, String)],
) -> Result<Engine, Vec<Problem>> {
    let scratch = scratch_copy(dir).map_err(|e| vec![problem(dir, 0, e.to_string())])?;
    for (rel, text) in files {
        let copy = scratch.0.join(rel);
        let written = copy
            .parent()
            .map_or(Ok(()), std::fs::create_dir_all)
            .and_then(|()| std::fs::write(&copy, text));
        if let Err(e) = written {
            return Err(vec![problem(
                &dir.join(rel),
                0,
                format!("cannot write a scratch copy: {e}"),
            )]);
        }
    }
    let real = |p: &Path| match p.strip_prefix(&scratch.0) {
        Ok(r) => dir.join(r),
        Err(_) => p.to_path_buf(),
    };
    let k = knowledge::load(&scratch.0).map_err(|e| {
        e.problems
            .into_iter()
            .map(|mut p| {
                p.file = real(&p.file);
                p
            })
            .collect::<Vec<_>>()
    })?;
    let engine = Engine::new(Arc::new(k), matching);
    let current = knowledge::load(dir)
        .ok()
        .map(|k| Engine::new(Arc::new(k), matching));
    let regressed = current
        .as_ref()
        .map_or_else(Vec::new, |before| regressions(dir, before, &engine));
    let misses = self_test(&engine);
    if misses.is_empty() && regressed.is_empty() {
        return Ok(engine);
    }
    let before: HashSet<Miss> = current
        .as_ref()
        .map_or_else(HashSet::new, |e| self_test(e).into_iter().collect());
    let lines = phrasing_lines(&scratch.0);
    let problems: Vec<Problem> = misses
        .into_iter()
        .filter(|m| !before.contains(m))
        .map(|m| {
            let (file, line) = lines
                .get(&(m.entry.clone(), m.question.clone()))
                .map(|(f, l)| (dir.join(f), *l))
                .unwrap_or_else(|| (dir.join("entries"), 0));
            problem(
                &file,
                line,
                format!(
                    "phrasing {:?} of `{}` would no longer be answered by its entry: {}",
                    m.question, m.entry, m.outcome
                ),
            )
        })
        .chain(regressed)
        .collect();
    if problems.is_empty() {
        Ok(engine)
    } else {
        Err(problems)
    }
}

static TMP: AtomicU64 = AtomicU64::new(0);

/// Writes `text` to `path` through a temporary file in the same folder (a
/// dot-file the watcher ignores) renamed over it: readers see the old file
/// or the new one, never half of it.
pub fn write_atomically(path: &Path, text: &str) -> Result<(), TeachError> {
    let folder = path.parent().unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map_or_else(|| "file".into(), |n| n.to_string_lossy().into_owned());
    let tmp = folder.join(format!(
        ".{name}.{}-{}.tmp",
        std::process::id(),
        TMP.fetch_add(1, Ordering::Relaxed)
    ));
    let result = (|| -> std::io::Result<()> {
        let mut f = std::fs::File::create(&tmp)?;
        if let Ok(meta) = std::fs::metadata(path) {
            let _ = f.set_permissions(meta.permissions());
        }
        f.write_all(text.as_bytes())?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if let Err(e) = result {
        let _ = std::fs::remove_file(&tmp);
        return Err(io("cannot write", path, e));
    }
    Ok(())
}

/// The eval topic for questions answered by `entry`: the topic of the
/// regression questions pinned to it or answered by it, else the entry's topic.
fn eval_topic(k: &Knowledge, text: &str, entry: &str) -> String {
    let Ok(cases) = parse_cases(text) else {
        return k.entry(entry).map(|e| e.topic.clone()).unwrap_or_default();
    };
    if let Some(c) = cases
        .iter()
        .find(|c| c.kind == Kind::Answer && c.entry.as_deref() == Some(entry))
    {
        return c.topic.clone();
    }
    let engine = Engine::new(Arc::new(k.clone()), MatchingSettings::default());
    let mut counts: HashMap<&str, usize> = HashMap::new();
    for c in cases.iter().filter(|c| c.kind == Kind::Answer) {
        if engine.answer(&c.q).entry.as_deref() == Some(entry) {
            *counts.entry(c.topic.as_str()).or_default() += 1;
        }
    }
    counts
        .into_iter()
        .max_by_key(|(t, n)| (*n, std::cmp::Reverse(*t)))
        .map(|(t, _)| t.to_string())
        .unwrap_or_else(|| k.entry(entry).map(|e| e.topic.clone()).unwrap_or_default())
}

/// The moderators' regression questions, in the knowledge directory.
pub const TESTS_FILE: &str = "tests.jsonl";

/// The question, labelled, as a line for `tests.jsonl`, and the file's text
/// with it appended (`None`: the question is already there).
fn new_case(
    dir: &Path,
    k: &Knowledge,
    question: &str,
    change: &Change,
) -> Result<Option<(String, String)>, TeachError> {
    let path = dir.join(TESTS_FILE);
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(e) => return Err(io("cannot read", &path, e)),
    };
    let mut next = 1;
    for line in text.lines() {
        let Ok(v) = serde_json::from_str::<serde_json::Value>(line) else {
            continue;
        };
        if v["q"].as_str() == Some(question) {
            return Ok(None);
        }
        if let Some(n) = v["id"]
            .as_str()
            .and_then(|id| id.strip_prefix("kb-"))
            .and_then(|n| n.parse::<usize>().ok())
        {
            next = next.max(n + 1);
        }
    }
    let q = serde_json::to_string(question).unwrap_or_default();
    let line = match change {
        Change::Phrasing { entry } => {
            let topic = serde_json::to_string(&eval_topic(k, &text, entry)).unwrap_or_default();
            let entry = serde_json::to_string(entry).unwrap_or_default();
            format!(
                r#"{{"id": "kb-{next:03}", "q": {q}, "kind": "answer", "topic": {topic}, "expect": [], "entry": {entry}}}"#
            )
        }
        Change::NotCovered { .. } => format!(
            r#"{{"id": "kb-{next:03}", "q": {q}, "kind": "no_match", "topic": "out_of_scope", "expect": []}}"#
        ),
    };
    let mut out = text;
    if !out.is_empty() && !out.ends_with('\n') {
        out.push('\n');
    }
    out.push_str(&line);
    out.push('\n');
    Ok(Some((line, out)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shipped() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("knowledge")
    }

    #[test]
    fn a_pattern_is_the_questions_cleaned_words() {
        let k = knowledge::load(&shipped()).unwrap();
        let p = phrase_pattern(&k, "How much is a LASER facial?? 😅 <@123>");
        assert_eq!(p, "how much is a laser facial");
        crate::text::pattern::Pattern::parse(&p).unwrap();
        assert_eq!(phrase_pattern(&k, "+|* -x"), "x");
    }

    #[test]
    fn closest_ids_are_suggested() {
        let ids = ["downtime-redness", "downtime-recovery"];
        assert!(closest("downtime-redness2", ids.into_iter()).contains("downtime-redness"));
        assert_eq!(closest("zzz", ids.into_iter()), "");
    }
}
