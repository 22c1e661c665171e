//! Reading the knowledge directory and checking it, collecting every problem.
//!
//! Each file is parsed on its own and each item (entry, source, flag) is read on
//! its own, so one broken entry does not hide the problems of the next. Cross
//! checks (ids, topics, related entries, quotes against the sources) run on
//! whatever parsed, but never against a file (or item) that could not be read:
//! a syntax error in one file is reported alone, not followed by knock-on
//! errors in files nobody edited ("related entry `x` does not exist" because
//! `x` lives in the broken file, "unknown source" because `sources.toml` did
//! not parse).

use super::files::{
    RawChat, RawContext, RawCrisis, RawCrisisExample, RawEntry, RawFlag, RawGap, RawKindTriggers,
    RawOtherCause, RawPhrases, RawSign, RawSource, RawTopic, RawVocabulary, Texts,
};
use super::problem::{file_problem, FileText, KnowledgeError, Problem};
use super::source::Source;
use super::{
    Chat, CrisisExample, CrisisSign, Entry, Flag, Gap, Knowledge, OtherCause, Quote, RedFlags,
    SmallTalk, SynonymGroup, Topic,
};
use crate::text::context::{ContextTriggers, KindTriggers};
use crate::text::pattern::Pattern;
use serde::de::DeserializeOwned;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use toml::de::{DeTable, DeValue};
use toml::Spanned;

/// Collects problems and remembers which files were read (for the version).
struct Loader<'d> {
    dir: &'d Path,
    problems: Vec<Problem>,
    hasher: Fnv,
    /// Files that could not be read or parsed (relative paths): checks that
    /// depend on what they define are skipped.
    unreadable: HashSet<String>,
    /// Ids of items (`entry`, `source`, `topic`…) that are defined but could
    /// not be read: a reference to one is not reported as unknown.
    broken_ids: HashMap<String, HashSet<String>>,
    /// The chat spellings, read before any pattern: patterns are read as
    /// messages are, after spelling ([`Pattern::respelled`]).
    spellings: crate::text::pattern::Spellings,
}

impl<'d> Loader<'d> {
    fn read(&mut self, rel: &str) -> Option<FileText> {
        let path = self.dir.join(rel);
        match std::fs::read(&path) {
            Ok(bytes) => {
                self.hasher.write(rel.as_bytes());
                self.hasher.write(&bytes);
                match String::from_utf8(bytes) {
                    Ok(text) => Some(FileText::new(path, text)),
                    Err(e) => {
                        let at = e.utf8_error().valid_up_to();
                        let text = String::from_utf8_lossy(e.as_bytes()).into_owned();
                        let f = FileText::new(path, text);
                        self.problems
                            .push(f.problem_at(at, "the file is not valid UTF-8 text"));
                        self.unreadable.insert(rel.to_string());
                        None
                    }
                }
            }
            Err(e) => {
                let why = if e.kind() == std::io::ErrorKind::NotFound {
                    "the file is missing".to_string()
                } else {
                    format!("the file cannot be read: {e}")
                };
                self.problems.push(file_problem(&path, why));
                self.unreadable.insert(rel.to_string());
                None
            }
        }
    }

    /// Whether the file `rel` could not be read or parsed.
    fn is_unreadable(&self, rel: &str) -> bool {
        self.unreadable.contains(rel)
    }

    /// Whether some file under `entries/` could not be read or parsed, or
    /// some entry is broken (their keywords are then unknown, so a list
    /// naming them is not checked).
    fn entries_unreadable(&self) -> bool {
        self.unreadable
            .iter()
            .any(|rel| rel.starts_with("entries/"))
            || self
                .broken_ids
                .get("entry")
                .is_some_and(|ids| !ids.is_empty())
    }

    /// Remembers that an item of kind `key` with this id exists but is broken.
    fn broken(&mut self, key: &str, id: impl Into<String>) {
        self.broken_ids
            .entry(key.to_string())
            .or_default()
            .insert(id.into());
    }

    /// Whether an item of kind `key` with this id exists but is broken.
    fn is_broken(&self, key: &str, id: &str) -> bool {
        self.broken_ids.get(key).is_some_and(|ids| ids.contains(id))
    }

    /// Parses a TOML file, reporting every syntax error.
    fn parse<'f>(&mut self, file: &'f FileText) -> Option<DeTable<'f>> {
        let (table, errors) = DeTable::parse_recoverable(&file.text);
        if errors.is_empty() {
            return Some(table.into_inner());
        }
        if let Ok(rel) = file.path.strip_prefix(self.dir) {
            self.unreadable
                .insert(rel.to_string_lossy().replace('\\', "/"));
        }
        for e in errors {
            let at = e.span().map_or(0, |s| s.start);
            self.problems
                .push(file.problem_at(at, format!("TOML syntax error: {}", e.message().trim())));
        }
        None
    }

    /// Reads an array of tables (`[[key]]`) item by item; any other top-level
    /// key is reported as unknown.
    fn items<T: DeserializeOwned>(
        &mut self,
        file: &FileText,
        table: DeTable<'_>,
        key: &str,
    ) -> Vec<(T, usize)> {
        let mut out = Vec::new();
        for (k, v) in table {
            if k.get_ref().as_ref() != key {
                self.problems.push(file.problem_at(
                    k.span().start,
                    format!(
                        "unknown key `{}` (this file holds `[[{key}]]` tables)",
                        k.get_ref()
                    ),
                ));
                continue;
            }
            let span = v.span();
            match v.into_inner() {
                DeValue::Array(items) => {
                    for item in items {
                        let at = item.span().start;
                        let id = item_id(&item);
                        match self.value::<T>(file, item) {
                            Some(t) => out.push((t, at)),
                            None => {
                                if let Some(id) = id {
                                    self.broken(key, id);
                                }
                            }
                        }
                    }
                }
                _ => self.problems.push(file.problem_at(
                    span.start,
                    format!("`{key}` must be written as `[[{key}]]` tables"),
                )),
            }
        }
        out
    }

    fn value<T: DeserializeOwned>(
        &mut self,
        file: &FileText,
        v: Spanned<DeValue<'_>>,
    ) -> Option<T> {
        let at = v.span().start;
        T::deserialize(toml::de::ValueDeserializer::from(v))
            .map_err(|e| self.toml_error(file, &e, at))
            .ok()
    }

    fn whole<T: DeserializeOwned>(&mut self, file: &FileText, table: DeTable<'_>) -> Option<T> {
        let span = 0..file.text.len();
        let v = Spanned::new(span, DeValue::Table(table));
        self.value(file, v)
    }

    fn toml_error(&mut self, file: &FileText, e: &toml::de::Error, fallback: usize) {
        let at = e.span().map_or(fallback, |s| s.start);
        self.problems
            .push(file.problem_at(at, explain(e.message())));
    }

    fn at(&mut self, file: &FileText, at: usize, message: impl Into<String>) {
        self.problems.push(file.problem_at(at, message));
    }
}

/// The `id` of a `[[table]]` item, read before the item is checked.
fn item_id(item: &Spanned<DeValue<'_>>) -> Option<String> {
    match item.get_ref() {
        DeValue::Table(t) => t.iter().find_map(|(k, v)| match v.get_ref() {
            DeValue::String(s) if k.get_ref().as_ref() == "id" => Some(s.to_string()),
            _ => None,
        }),
        _ => None,
    }
}

/// The ids a file that does not parse seems to define: each `id = "…"` line.
fn ids_in_text(text: &str) -> Vec<String> {
    text.lines()
        .filter_map(|line| {
            let rest = line.trim_start().strip_prefix("id")?.trim_start();
            let rest = rest.strip_prefix('=')?.trim_start();
            let quote = rest.chars().next().filter(|c| *c == '"' || *c == '\'')?;
            let rest = &rest[1..];
            rest.find(quote).map(|end| rest[..end].to_string())
        })
        .collect()
}

/// Rewords serde's messages for moderators.
fn explain(message: &str) -> String {
    let m = message.trim();
    if let Some(rest) = m.strip_prefix("missing field ") {
        format!("missing required key {rest}")
    } else if let Some(rest) = m.strip_prefix("unknown field ") {
        format!("unknown key {rest}")
    } else {
        m.to_string()
    }
}

/// Loads and checks the knowledge in `dir`. Every problem found is returned,
/// not only the first.
pub fn load(dir: &Path) -> Result<Knowledge, KnowledgeError> {
    let mut l = Loader {
        dir,
        problems: Vec::new(),
        hasher: Fnv::new(),
        unreadable: HashSet::new(),
        broken_ids: HashMap::new(),
        spellings: Default::default(),
    };

    let sources = load_sources(&mut l);
    let topics = load_topics(&mut l);
    let texts = load_texts(&mut l);
    let (synonyms, spellings) = load_vocabulary(&mut l);
    let red_flags = load_red_flags(&mut l);
    let context = load_context(&mut l);
    let entries = load_entries(&mut l, &sources, &topics);
    let chat = load_chat(&mut l, &synonyms, &entries);
    let gaps = load_gaps(&mut l);

    if !l.problems.is_empty() {
        let mut problems = l.problems;
        // File order, then position: the order a moderator fixes them in.
        problems.sort_by(|a, b| (&a.file, a.line, a.column).cmp(&(&b.file, b.line, b.column)));
        return Err(KnowledgeError { problems });
    }
    let (Some(texts), Some(red_flags), Some(context), Some(chat)) =
        (texts, red_flags, context, chat)
    else {
        // Unreachable in practice: a missing file is a problem above.
        return Err(KnowledgeError {
            problems: vec![file_problem(dir, "incomplete knowledge")],
        });
    };
    Ok(Knowledge {
        dir: dir.to_path_buf(),
        version: format!("{:012x}", l.hasher.finish() & 0xffff_ffff_ffff),
        sources,
        topics,
        entries,
        synonyms,
        spellings,
        red_flags,
        context,
        chat,
        gaps,
        texts,
    })
}

/// Cleaned one-word entries of a list; a phrase or an empty string is a problem.
fn one_words(l: &mut Loader<'_>, file: &FileText, list: Vec<Spanned<String>>) -> Vec<String> {
    list.into_iter()
        .filter_map(|w| {
            let ws = crate::text::words(w.get_ref());
            match ws.as_slice() {
                [one] => Some(one.text.clone()),
                _ => {
                    l.at(
                        file,
                        w.span().start,
                        format!("`{}` must be one word", w.get_ref()),
                    );
                    None
                }
            }
        })
        .collect()
}

/// Reads `chat.toml`. `everyday` names vocabulary keys or entry keywords
/// (the words that would otherwise make a message about the domain), so
/// each must be one: a misspelt word there would silently do nothing.
fn load_chat(l: &mut Loader<'_>, synonyms: &[SynonymGroup], entries: &[Entry]) -> Option<Chat> {
    let file = l.read("chat.toml")?;
    let table = l.parse(&file)?;
    let raw: RawChat = l.whole(&file, table)?;
    // Keywords read word by word, as the chatter check reads them.
    let keywords: HashSet<String> = entries
        .iter()
        .flat_map(|e| &e.keywords)
        .flat_map(|k| crate::text::words(k))
        .map(|w| w.text)
        .collect();
    let keyword = |w: &str| keywords.contains(w);
    let domain: HashSet<String> = raw
        .domain
        .iter()
        .flat_map(|w| crate::text::words(w.get_ref()))
        .map(|w| w.text)
        .collect();
    let lists = [("everyday", &raw.everyday), ("ambiguous", &raw.ambiguous)];
    for (list, w) in lists
        .into_iter()
        .flat_map(|(n, ws)| ws.iter().map(move |w| (n, w)))
    {
        let word = crate::text::words(w.get_ref());
        let known = word.len() == 1
            && (synonyms.iter().any(|g| g.canonical == word[0].text)
                || keyword(&word[0].text)
                || (list == "ambiguous" && domain.contains(&word[0].text)));
        if !known
            && !synonyms.is_empty()
            && !l.is_unreadable("vocabulary.toml")
            && !l.entries_unreadable()
        {
            let what = if list == "ambiguous" {
                "a key of vocabulary.toml's [synonyms], an entry's keyword nor a `domain` word"
            } else {
                "a key of vocabulary.toml's [synonyms] nor an entry's keyword"
            };
            l.at(
                &file,
                w.span().start,
                format!("`{list}` names `{}`, which is neither {what}", w.get_ref()),
            );
        }
    }
    // Phrases are compared with a message's words after chat spelling, so
    // they are read the same way ("stop needling" as messages read it,
    // "stop microneedling"), as patterns and context triggers are.
    let phrases = |l: &mut Loader<'_>, list: Vec<Spanned<String>>| -> Vec<Vec<String>> {
        list.into_iter()
            .filter_map(|p| {
                let ws = respelled_words(&l.spellings, p.get_ref());
                if ws.is_empty() {
                    l.at(&file, p.span().start, "an empty phrase");
                    None
                } else {
                    Some(ws)
                }
            })
            .collect()
    };
    let anchors = one_words(l, &file, raw.anchors);
    // A word both elsewhere and an anchor would be ignored as elsewhere.
    for w in &raw.elsewhere {
        if anchors.contains(w.get_ref()) {
            l.at(
                &file,
                w.span().start,
                format!("`{}` is in both `elsewhere` and `anchors`", w.get_ref()),
            );
        }
    }
    let elsewhere = one_words(l, &file, raw.elsewhere);
    let help_phrases = phrases(l, raw.help_phrases);
    let not_references = phrases(l, raw.not_references);
    let ask_markers = phrases(l, raw.ask_markers);
    let elsewhere_phrases = phrases(l, raw.elsewhere_phrases);
    let anchor_phrases = phrases(l, raw.anchor_phrases);
    let mut small_talk = Vec::new();
    let mut seen = HashSet::new();
    for (i, t) in raw.small_talk.into_iter().enumerate() {
        // The engine keeps each word's small-talk kinds in one 64-bit mask.
        if i == MAX_SMALL_TALK_KINDS {
            l.at(
                &file,
                t.id.span().start,
                format!("more than {MAX_SMALL_TALK_KINDS} [[small_talk]] kinds; merge some"),
            );
        }
        if !seen.insert(t.id.get_ref().clone()) {
            l.at(
                &file,
                t.id.span().start,
                format!("duplicate small_talk id `{}`", t.id.get_ref()),
            );
        }
        if t.reply.get_ref().trim().is_empty() {
            l.at(&file, t.reply.span().start, "an empty `reply`");
        }
        small_talk.push(SmallTalk {
            id: t.id.into_inner(),
            words: one_words(l, &file, t.words),
            reply: t.reply.into_inner().trim().to_string(),
        });
    }
    Some(Chat {
        help: one_words(l, &file, raw.help),
        help_phrases,
        filler: raw
            .filler
            .into_iter()
            .flat_map(|w| crate::text::words(w.get_ref()))
            .map(|w| w.text)
            .collect(),
        small_talk,
        questions: one_words(l, &file, raw.questions),
        domain: one_words(l, &file, raw.domain),
        everyday: one_words(l, &file, raw.everyday),
        ambiguous: one_words(l, &file, raw.ambiguous),
        elsewhere,
        elsewhere_phrases,
        anchors,
        anchor_phrases,
        references: one_words(l, &file, raw.references),
        people: one_words(l, &file, raw.people),
        not_references,
        not_symptoms: one_words(l, &file, raw.not_symptoms),
        ask_markers,
        for_them: one_words(l, &file, raw.for_them),
    })
}

/// How many `[[small_talk]]` kinds `chat.toml` may have.
pub const MAX_SMALL_TALK_KINDS: usize = 64;

/// A trigger phrase as messages' words reach it: their chat spellings are
/// replaced first (see [`Pattern::respelled`]), so "gonna" in a trigger
/// is read as "going to".
fn respelled_phrase(spellings: &crate::text::pattern::Spellings, phrase: &str) -> String {
    respelled_words(spellings, phrase).join(" ")
}

/// A phrase's cleaned words, each chat spelling replaced as in messages.
fn respelled_words(spellings: &crate::text::pattern::Spellings, phrase: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for w in crate::text::words(phrase) {
        match spellings.get(&w.text) {
            Some(to) => out.extend(to.iter().cloned()),
            None => out.push(w.text),
        }
    }
    out
}

/// Reads `context.toml`: the NegEx/ConText triggers. Every phrase must hold a
/// word once cleaned, and a reach must be 1–30 words.
fn load_context(l: &mut Loader<'_>) -> Option<ContextTriggers> {
    let file = l.read("context.toml")?;
    let table = l.parse(&file)?;
    let raw: RawContext = l.whole(&file, table)?;
    let phrases = |l: &mut Loader<'_>, list: Vec<Spanned<String>>| -> Vec<String> {
        list.into_iter()
            .filter_map(|p| {
                if crate::text::words(p.get_ref()).is_empty() {
                    l.at(&file, p.span().start, "a trigger phrase with no words");
                    None
                } else {
                    Some(respelled_phrase(&l.spellings, p.get_ref()))
                }
            })
            .collect()
    };
    let kind = |l: &mut Loader<'_>, k: RawKindTriggers| -> KindTriggers {
        let reach = *k.reach.get_ref();
        if !(1..=30).contains(&reach) {
            l.at(
                &file,
                k.reach.span().start,
                "`reach` must be between 1 and 30 words",
            );
        }
        KindTriggers {
            before: phrases(l, k.before),
            after: phrases(l, k.after),
            until: phrases(l, k.until),
            after_clause: phrases(l, k.after_clause),
            unless: phrases(l, k.unless),
            closing: phrases(l, k.closing),
            reach,
        }
    };
    use crate::text::context::{HISTORY, HYPOTHETICAL, NEGATED, OTHER, PAST, UNCONCERNED};
    let kinds = vec![
        (NEGATED, kind(l, raw.negation)),
        (HISTORY, kind(l, raw.history)),
        (HYPOTHETICAL, kind(l, raw.hypothetical)),
        (OTHER, kind(l, raw.other)),
        (PAST, kind(l, raw.past)),
        (UNCONCERNED, kind(l, raw.unconcerned)),
    ];
    let RawPhrases { phrases: pseudo } = raw.pseudo;
    let RawPhrases {
        phrases: termination,
    } = raw.termination;
    Some(ContextTriggers {
        kinds,
        pseudo: phrases(l, pseudo),
        termination: phrases(l, termination),
    })
}

fn load_sources(l: &mut Loader<'_>) -> Vec<Source> {
    let Some(file) = l.read("sources.toml") else {
        return Vec::new();
    };
    let Some(table) = l.parse(&file) else {
        return Vec::new();
    };
    let mut seen = HashSet::new();
    let mut sources = Vec::new();
    for (raw, at) in l.items::<RawSource>(&file, table, "source") {
        if !seen.insert(raw.id.get_ref().clone()) {
            l.at(
                &file,
                raw.id.span().start,
                format!("duplicate source id `{}`", raw.id.get_ref()),
            );
            continue;
        }
        let rel = raw.file.get_ref();
        if rel.is_empty() {
            l.at(&file, at, "`file` is empty");
            continue;
        }
        let path = l.dir.join(rel);
        match std::fs::read_to_string(&path) {
            Ok(text) => {
                l.hasher.write(rel.as_bytes());
                l.hasher.write(text.as_bytes());
                let source = Source::new(
                    raw.id.get_ref(),
                    raw.title,
                    &text,
                    raw.skip_blocks,
                    raw.never_quote,
                );
                if source.paragraphs.is_empty() {
                    l.at(
                        &file,
                        raw.file.span().start,
                        format!(
                            "source file `{rel}` has no paragraphs after skipping {} block(s)",
                            raw.skip_blocks
                        ),
                    );
                }
                sources.push(source);
            }
            Err(e) => {
                l.at(
                    &file,
                    raw.file.span().start,
                    format!("cannot read source file `{}`: {e}", path.display()),
                );
                l.broken("source", raw.id.get_ref().clone());
            }
        }
    }
    if sources.is_empty() && seen.is_empty() {
        l.at(&file, 0, "no `[[source]]` is defined");
    }
    sources
}

fn load_topics(l: &mut Loader<'_>) -> Vec<Topic> {
    let Some(file) = l.read("topics.toml") else {
        return Vec::new();
    };
    let Some(table) = l.parse(&file) else {
        return Vec::new();
    };
    let mut topics: Vec<Topic> = Vec::new();
    for (raw, _) in l.items::<RawTopic>(&file, table, "topic") {
        let id = raw.id.get_ref();
        if topics.iter().any(|t| &t.id == id) {
            l.at(
                &file,
                raw.id.span().start,
                format!("duplicate topic id `{id}`"),
            );
            continue;
        }
        if let Some(why) = bad_id(id) {
            l.at(&file, raw.id.span().start, why);
        }
        topics.push(Topic {
            id: id.clone(),
            title: raw.title,
            description: raw.description,
        });
    }
    topics
}

fn load_texts(l: &mut Loader<'_>) -> Option<Texts> {
    let file = l.read("texts.toml")?;
    let table = l.parse(&file)?;
    let texts: Texts = l.whole(&file, table)?;
    for (name, value) in [
        ("disclaimer", &texts.disclaimer),
        ("help", &texts.help),
        ("no_match", &texts.no_match),
        ("not_covered", &texts.not_covered),
        ("clarify", &texts.clarify),
        ("about", &texts.about),
    ] {
        if value.trim().is_empty() {
            l.at(&file, 0, format!("`{name}` is empty"));
        }
    }
    if !texts.not_covered.contains("{about}") {
        l.at(
            &file,
            0,
            "`not_covered` must contain `{about}`, where the uncovered subject is named",
        );
    }
    Some(texts)
}

fn load_vocabulary(l: &mut Loader<'_>) -> (Vec<SynonymGroup>, Vec<(String, String)>) {
    let Some(file) = l.read("vocabulary.toml") else {
        return Default::default();
    };
    let Some(table) = l.parse(&file) else {
        return Default::default();
    };
    let Some(raw) = l.whole::<RawVocabulary>(&file, table) else {
        return Default::default();
    };
    let mut groups = Vec::new();
    // Which group claimed each variant, to report a phrase that maps two ways.
    let mut claimed: HashMap<String, String> = HashMap::new();
    for (canonical, variants) in raw.synonyms {
        let words = crate::text::words(canonical.get_ref());
        if words.len() != 1 {
            l.at(
                &file,
                canonical.span().start,
                format!("synonym key `{}` must be one word", canonical.get_ref()),
            );
            continue;
        }
        let canonical_word = words[0].text.clone();
        let mut clean = Vec::new();
        for v in variants {
            let phrase: Vec<String> = crate::text::words(v.get_ref())
                .into_iter()
                .map(|w| w.text)
                .collect();
            if phrase.is_empty() {
                l.at(&file, v.span().start, "empty synonym");
                continue;
            }
            let key = phrase.join(" ");
            if let Some(other) = claimed.get(&key) {
                if other != &canonical_word {
                    l.at(&file, v.span().start, format!("`{}` is already a synonym of `{other}`; a phrase can stand for only one word", v.get_ref()));
                }
                continue;
            }
            claimed.insert(key, canonical_word.clone());
            clean.push(phrase);
        }
        groups.push(SynonymGroup {
            canonical: canonical_word,
            variants: clean,
        });
    }
    report_stem_collisions(l, &file, &groups);
    let mut spellings = Vec::new();
    for (from, to) in raw.spellings {
        let words = crate::text::words(from.get_ref());
        if words.len() != 1 {
            l.at(
                &file,
                from.span().start,
                format!(
                    "spelling `{}` must be one word (use [synonyms] for phrases)",
                    from.get_ref()
                ),
            );
            continue;
        }
        let replacement: Vec<String> = crate::text::words(to.get_ref())
            .into_iter()
            .map(|w| w.text)
            .collect();
        if replacement.is_empty() {
            l.at(&file, to.span().start, "empty replacement");
            continue;
        }
        spellings.push((words[0].text.clone(), replacement));
    }
    // A replacement's own chat spellings are replaced too ("ngl" is "not
    // gonna lie", read as "not going to lie"), so a message, a pattern and a
    // trigger that say the same thing in different spellings read alike.
    let direct: HashMap<String, Vec<String>> = spellings.iter().cloned().collect();
    // In the file's order: typo correction meets the words in this order.
    let resolved: Vec<(String, Vec<String>)> = spellings
        .into_iter()
        .map(|(from, to)| {
            let mut out = Vec::new();
            for w in to {
                match direct.get(&w) {
                    Some(again) if w != from => out.extend(again.iter().cloned()),
                    _ => out.push(w),
                }
            }
            (from, out)
        })
        .collect();
    // Patterns and triggers, read after this, are respelled with them.
    l.spellings = resolved.iter().cloned().collect();
    let spellings = resolved
        .into_iter()
        .map(|(from, to)| (from, to.join(" ")))
        .collect();
    (groups, spellings)
}

/// The matcher compares stems, so two words with one stem ("microneedles",
/// "microneedling") are one word to it: a variant must not share its stem with
/// another group's word, or it would silently pull one word into the other.
fn report_stem_collisions(l: &mut Loader<'_>, file: &FileText, groups: &[SynonymGroup]) {
    use crate::text::stem;
    let mut owner: HashMap<String, &str> = HashMap::new();
    for g in groups {
        owner.insert(stem(&g.canonical), &g.canonical);
    }
    for g in groups {
        for v in g.variants.iter().filter(|v| v.len() == 1) {
            let s = stem(&v[0]);
            match owner.get(&s) {
                Some(other) if *other != g.canonical => {
                    let at = file.text.find(&format!("\"{}\"", v[0])).unwrap_or(0);
                    l.at(file, at, format!("synonym `{}` of `{}` has the same stem (`{s}`) as `{other}`: the matcher cannot tell them apart; remove it or move it to `{other}`", v[0], g.canonical));
                }
                Some(_) => {}
                None => {
                    owner.insert(s, &g.canonical);
                }
            }
        }
    }
}

fn load_patterns(
    l: &mut Loader<'_>,
    file: &FileText,
    raw: Vec<Spanned<String>>,
    owner_at: usize,
) -> Vec<Pattern> {
    if raw.is_empty() {
        l.at(file, owner_at, "no `patterns`: add at least one");
    }
    parse_patterns(l, file, raw)
}

/// Parses `raw` (any number, none included), reporting each bad one.
fn parse_patterns(l: &mut Loader<'_>, file: &FileText, raw: Vec<Spanned<String>>) -> Vec<Pattern> {
    raw.into_iter()
        .filter_map(|p| match Pattern::parse(p.get_ref()) {
            Ok(pattern) => {
                if let Some((excluded, word)) = pattern.cancelled_word() {
                    l.at(
                        file,
                        p.span().start,
                        format!("pattern `{}`: the exclusion `-{excluded}` reads as `{word}` (the same stem), so `{word}` can never match; write the exclusion as a phrase", p.get_ref()),
                    );
                }
                Some(pattern.respelled(&l.spellings))
            }
            Err(e) => {
                l.at(
                    file,
                    p.span().start,
                    format!("pattern `{}`: {e}", p.get_ref()),
                );
                None
            }
        })
        .collect()
}

fn load_red_flags(l: &mut Loader<'_>) -> Option<RedFlags> {
    let file = l.read("red_flags.toml")?;
    let table = l.parse(&file)?;
    // `urgent_reply` is read on its own, then the `[[flag]]` tables one by one.
    let mut reply = None;
    let mut crisis = None;
    let mut other_cause = None;
    let mut rest = DeTable::new();
    for (k, v) in table {
        if k.get_ref().as_ref() == "urgent_reply" {
            reply = Some(v);
        } else if k.get_ref().as_ref() == "other_cause" {
            other_cause = l.value::<RawOtherCause>(&file, v);
        } else if k.get_ref().as_ref() == "crisis" {
            let at = v.span().start;
            crisis = l.value::<RawCrisis>(&file, v).map(|c| (c, at));
        } else {
            rest.insert(k, v);
        }
    }
    let table = rest;
    let mut flags = Vec::new();
    let mut seen = HashSet::new();
    for (raw, at) in l.items::<RawFlag>(&file, table, "flag") {
        if !seen.insert(raw.id.get_ref().clone()) {
            l.at(
                &file,
                raw.id.span().start,
                format!("duplicate flag id `{}`", raw.id.get_ref()),
            );
        }
        let patterns = load_patterns(l, &file, raw.patterns, at);
        flags.push(Flag {
            id: raw.id.into_inner(),
            label: raw.label,
            patterns,
        });
    }
    let urgent_reply = match reply {
        Some(v) => l.value::<String>(&file, v)?,
        None => {
            l.at(&file, 0, "missing required key `urgent_reply`");
            return None;
        }
    };
    if urgent_reply.trim().is_empty() {
        l.at(&file, 0, "`urgent_reply` is empty");
    }
    let Some((crisis, at)) = crisis else {
        l.at(
            &file,
            0,
            "missing required table `[crisis]` (the reply and patterns for self-harm and suicide)",
        );
        return None;
    };
    if crisis.reply.get_ref().trim().is_empty() {
        l.at(
            &file,
            crisis.reply.span().start,
            "the crisis `reply` is empty",
        );
    }
    let crisis_patterns = load_patterns(l, &file, crisis.patterns, at);
    let (crisis_signs, signs_needed) = load_signs(l, &file, crisis.sign, crisis.signs_needed);
    let learned_threshold = match crisis.learned_threshold {
        None => DEFAULT_LEARNED_THRESHOLD,
        Some(t) if t.get_ref().is_finite() => *t.get_ref() as f32,
        Some(t) => {
            l.at(
                &file,
                t.span().start,
                "`learned_threshold` must be a number",
            );
            DEFAULT_LEARNED_THRESHOLD
        }
    };
    let crisis_examples = load_crisis_examples(l);
    let other_cause = other_cause
        .map(|raw| load_other_cause(l, &file, raw, &flags))
        .unwrap_or_default();
    Some(RedFlags {
        urgent_reply,
        flags,
        crisis_reply: crisis.reply.into_inner(),
        crisis: crisis_patterns,
        crisis_signs,
        signs_needed,
        crisis_examples,
        learned_threshold,
        other_cause,
    })
}

/// The learned crisis model's threshold when `[crisis]` sets none: even
/// odds. Chosen in cross-validation by set (`tools/crisis_cv.py`: 2,269
/// crisis and 37,621 ordinary messages, each scored by a model that never
/// saw its set): it caught 1,721 crisis messages with 39 false alarms,
/// where 1.0 caught 1,676 with 29 and 1.5 (the older model's threshold)
/// 1,648 with 27. A missed crisis costs more than a false alarm.
const DEFAULT_LEARNED_THRESHOLD: f32 = 0.0;

/// The examples the crisis model learns from. The file is optional (no
/// file, no model); every bad line is a problem, and so is a repeated
/// message, which would count twice.
fn load_crisis_examples(l: &mut Loader<'_>) -> Vec<CrisisExample> {
    const FILE: &str = "crisis_examples.jsonl";
    if !l.dir.join(FILE).exists() {
        return Vec::new();
    }
    let Some(file) = l.read(FILE) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut offset = 0;
    for (i, line) in file.text.split('\n').enumerate() {
        let at = offset;
        offset += line.len() + 1;
        if line.trim().is_empty() {
            continue;
        }
        match serde_json::from_str::<RawCrisisExample>(line) {
            Ok(raw) if raw.q.trim().is_empty() => l.at(&file, at, "the message `q` is empty"),
            Ok(raw) => {
                let key = raw.q.trim().to_lowercase();
                if let Some(first) = seen.insert(key, i + 1) {
                    l.at(&file, at, format!("the same message is on line {first}"));
                }
                out.push(CrisisExample {
                    text: raw.q,
                    crisis: raw.crisis,
                    line: i + 1,
                });
            }
            Err(e) => l.at(
                &file,
                at,
                format!("not an example (`{{\"q\": \"…\", \"crisis\": true}}`): {e}"),
            ),
        }
    }
    out
}

/// `[other_cause]`: its patterns, and `always` as flag indexes (an unknown
/// id is a problem: a typo there would silently let a cause excuse it).
fn load_other_cause(
    l: &mut Loader<'_>,
    file: &FileText,
    raw: RawOtherCause,
    flags: &[Flag],
) -> OtherCause {
    let at = raw.patterns.first().map_or(0, |p| p.span().start);
    let causes = load_patterns(l, file, raw.patterns, at);
    let treatment = load_patterns(l, file, raw.treatment, at);
    // Optional lists: an empty one is no problem.
    let optional = |l: &mut Loader<'_>, raw: Vec<Spanned<String>>| {
        if raw.is_empty() {
            Vec::new()
        } else {
            load_patterns(l, file, raw, at)
        }
    };
    let treated = optional(l, raw.treated);
    let upcoming = optional(l, raw.upcoming);
    let mut always = Vec::new();
    for id in raw.always {
        match flags.iter().position(|f| &f.id == id.get_ref()) {
            Some(i) => always.push(i),
            None => l.at(
                file,
                id.span().start,
                format!("`always` names `{}`, which is no flag's id", id.get_ref()),
            ),
        }
    }
    OtherCause {
        causes,
        treatment,
        treated,
        upcoming,
        always,
    }
}

/// `[[crisis.sign]]` and `signs_needed`. One sign alone must never make a
/// crisis (that is what `patterns` is for), so `signs_needed` is at least 2,
/// and no more than there are signs.
fn load_signs(
    l: &mut Loader<'_>,
    file: &FileText,
    raw: Vec<RawSign>,
    needed: Option<Spanned<usize>>,
) -> (Vec<CrisisSign>, usize) {
    const DEFAULT_NEEDED: usize = 2;
    let mut seen = HashSet::new();
    let mut signs = Vec::new();
    for sign in raw {
        if !seen.insert(sign.id.get_ref().clone()) {
            l.at(
                file,
                sign.id.span().start,
                format!("duplicate crisis sign id `{}`", sign.id.get_ref()),
            );
        }
        let sign_at = sign.id.span().start;
        signs.push(CrisisSign {
            id: sign.id.into_inner(),
            patterns: load_patterns(l, file, sign.patterns, sign_at),
        });
    }
    let needed = match needed {
        None => DEFAULT_NEEDED,
        Some(n) => {
            let value = *n.get_ref();
            if value < 2 {
                l.at(
                    file,
                    n.span().start,
                    format!("`signs_needed` is {value}: it must be at least 2 (a sign strong enough alone belongs in `patterns`)"),
                );
            } else if value > signs.len() {
                l.at(
                    file,
                    n.span().start,
                    format!(
                        "`signs_needed` is {value}, but there are only {} `[[crisis.sign]]` tables",
                        signs.len()
                    ),
                );
            }
            value.max(2)
        }
    };
    (signs, needed)
}

fn load_gaps(l: &mut Loader<'_>) -> Vec<Gap> {
    let Some(file) = l.read("not_covered.toml") else {
        return Vec::new();
    };
    let Some(table) = l.parse(&file) else {
        return Vec::new();
    };
    let mut gaps = Vec::new();
    let mut seen = HashSet::new();
    for (raw, at) in l.items::<RawGap>(&file, table, "gap") {
        if !seen.insert(raw.id.get_ref().clone()) {
            l.at(
                &file,
                raw.id.span().start,
                format!("duplicate gap id `{}`", raw.id.get_ref()),
            );
        }
        let patterns = load_patterns(l, &file, raw.patterns, at);
        let asked_by = parse_patterns(l, &file, raw.asked_by);
        gaps.push(Gap {
            id: raw.id.into_inner(),
            about: raw.about,
            patterns,
            aside: raw.aside,
            asked_alone: raw.asked_alone,
            asked_by,
        });
    }
    gaps
}

fn entry_files(l: &mut Loader<'_>) -> Vec<String> {
    let dir = l.dir.join("entries");
    let mut names: Vec<String> = match std::fs::read_dir(&dir) {
        Ok(rd) => rd
            .filter_map(|e| e.ok())
            .filter_map(|e| e.file_name().into_string().ok())
            .filter(|n| n.ends_with(".toml"))
            .collect(),
        Err(e) => {
            l.problems.push(file_problem(
                &dir,
                format!("cannot read the entries folder: {e}"),
            ));
            return Vec::new();
        }
    };
    names.sort();
    if names.is_empty() {
        l.problems.push(file_problem(
            &dir,
            "no `.toml` files: the knowledge has no entries",
        ));
    }
    names.into_iter().map(|n| format!("entries/{n}")).collect()
}

fn load_entries(l: &mut Loader<'_>, sources: &[Source], topics: &[Topic]) -> Vec<Entry> {
    // First pass: parse everything, so `related` can point to entries in later files.
    let mut parsed: Vec<(std::rc::Rc<FileText>, RawEntry, usize)> = Vec::new();
    for rel in entry_files(l) {
        let Some(file) = l.read(&rel) else {
            // Not UTF-8 (or unreadable): what ids it seems to define still count.
            if let Ok(bytes) = std::fs::read(l.dir.join(&rel)) {
                for id in ids_in_text(&String::from_utf8_lossy(&bytes)) {
                    l.broken("entry", id);
                }
            }
            continue;
        };
        let file = std::rc::Rc::new(file);
        let Some(table) = l.parse(&file) else {
            for id in ids_in_text(&file.text) {
                l.broken("entry", id);
            }
            continue;
        };
        for (raw, at) in l.items::<RawEntry>(&file, table, "entry") {
            parsed.push((file.clone(), raw, at));
        }
    }
    let mut where_defined: HashMap<String, PathBuf> = HashMap::new();
    for (file, raw, _) in &parsed {
        let id = raw.id.get_ref();
        if let Some(first) = where_defined.get(id) {
            let msg = format!(
                "duplicate entry id `{id}` (first defined in {})",
                first.display()
            );
            l.at(file, raw.id.span().start, msg);
        } else {
            where_defined.insert(id.clone(), file.path.clone());
        }
    }
    let known_topics: Vec<&str> = topics.iter().map(|t| t.id.as_str()).collect();

    let mut entries = Vec::new();
    for (file, raw, at) in parsed {
        let id = raw.id.get_ref().clone();
        if let Some(why) = bad_id(&id) {
            l.at(&file, raw.id.span().start, why);
        }
        if !topics.is_empty()
            && !l.is_unreadable("topics.toml")
            && !l.is_broken("topic", raw.topic.get_ref())
            && !known_topics.contains(&raw.topic.get_ref().as_str())
        {
            l.at(
                &file,
                raw.topic.span().start,
                format!(
                    "unknown topic `{}` (topics.toml defines: {})",
                    raw.topic.get_ref(),
                    known_topics.join(", ")
                ),
            );
        }
        if raw.questions.iter().all(|q| q.get_ref().trim().is_empty()) {
            l.at(
                &file,
                at,
                format!("entry `{id}` has no questions: add at least one to `questions`"),
            );
        }
        for q in &raw.questions {
            if q.get_ref().trim().is_empty() {
                l.at(&file, q.span().start, "empty question");
            }
        }
        if raw.answer.get_ref().trim().is_empty() {
            l.at(
                &file,
                raw.answer.span().start,
                format!("entry `{id}` has an empty answer"),
            );
        }
        if raw.quotes.is_empty() {
            l.at(&file, at, format!("entry `{id}` has no quote: every entry needs at least one `[[entry.quote]]` from a source"));
        }
        for r in &raw.related {
            if r.get_ref() == &id {
                l.at(
                    &file,
                    r.span().start,
                    format!("entry `{id}` lists itself as related"),
                );
            } else if !where_defined.contains_key(r.get_ref()) && !l.is_broken("entry", r.get_ref())
            {
                l.at(
                    &file,
                    r.span().start,
                    format!("related entry `{}` does not exist", r.get_ref()),
                );
            }
        }
        let mut quotes = Vec::new();
        for q in &raw.quotes {
            let Some(source) = sources.iter().find(|s| &s.id == q.source.get_ref()) else {
                if l.is_unreadable("sources.toml") || l.is_broken("source", q.source.get_ref()) {
                    continue;
                }
                let known: Vec<&str> = sources.iter().map(|s| s.id.as_str()).collect();
                l.at(
                    &file,
                    q.source.span().start,
                    format!(
                        "unknown source `{}` (sources.toml defines: {})",
                        q.source.get_ref(),
                        known.join(", ")
                    ),
                );
                continue;
            };
            match source.locate(q.text.get_ref()) {
                Ok(found) => quotes.push(Quote {
                    source: source.id.clone(),
                    paragraph: found.paragraph,
                    excerpt: found.excerpt,
                }),
                Err(e) => l.at(
                    &file,
                    q.text.span().start,
                    format!("quote not verified: {e}"),
                ),
            }
        }
        entries.push(Entry {
            id,
            topic: raw.topic.into_inner(),
            questions: raw
                .questions
                .into_iter()
                .map(|q| q.into_inner())
                .filter(|q| !q.trim().is_empty())
                .collect(),
            keywords: raw.keywords,
            answer: raw.answer.into_inner().trim().to_string(),
            quotes,
            related: raw.related.into_iter().map(|r| r.into_inner()).collect(),
            answers_despite_uncovered: raw
                .answers_despite_uncovered
                .into_iter()
                .map(|w| w.trim().to_lowercase())
                .filter(|w| !w.is_empty())
                .collect(),
        });
    }
    entries
}

/// Ids are lowercase letters, digits, `-` and `_`, so they read the same in
/// every file, command and log.
fn bad_id(id: &str) -> Option<String> {
    if id.is_empty() {
        return Some("empty id".into());
    }
    if id
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
    {
        None
    } else {
        Some(format!(
            "id `{id}` may only use lowercase letters, digits, `-` and `_`"
        ))
    }
}

/// FNV-1a: a stable fingerprint of the files, shown as the knowledge version.
struct Fnv(u64);

impl Fnv {
    fn new() -> Self {
        Fnv(0xcbf2_9ce4_8422_2325)
    }
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 ^= u64::from(*b);
            self.0 = self.0.wrapping_mul(0x0100_0000_01b3);
        }
    }
    fn finish(&self) -> u64 {
        self.0
    }
}
