//! The text edits themselves, with `toml_edit`: one phrasing added to an
//! entry's `questions`, one pattern added to a not-covered subject's
//! `patterns` (or a new `[[gap]]` appended). Everything else in the file —
//! comments, order, layout — stays as written; [`only_additions`] proves it
//! before anything is written.

use toml_edit::{Array, DocumentMut, Item, Table, Value};

/// Why an edit could not be made to a file's text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EditError {
    /// The file is not valid TOML (`check` says where).
    #[error("the file is not valid TOML: {0}")]
    Syntax(String),
    /// No `[[entry]]` / `[[gap]]` with this id in the file.
    #[error("no `[[{table}]]` with id `{id}` in this file")]
    NotFound { table: &'static str, id: String },
    /// The key exists but is not an array (`questions = "…"`).
    #[error("`{key}` of `{id}` is not a list")]
    NotAList { key: &'static str, id: String },
    /// The text is already in the list.
    #[error("{what} is already listed for `{id}`")]
    AlreadyThere { what: &'static str, id: String },
    /// Serialization changed more than the added value (never expected).
    #[error("the edit would reformat other lines of the file; add the line by hand")]
    Reformats,
}

/// A file's new text and where the change is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edited {
    pub text: String,
    /// 1-based line of the first added (or changed) line.
    pub line: usize,
    /// The added (or changed) lines, as they read in the new text.
    pub lines: Vec<String>,
}

fn parse(text: &str) -> Result<DocumentMut, EditError> {
    text.parse::<DocumentMut>()
        .map_err(|e| EditError::Syntax(e.message().trim().to_string()))
}

fn find_table<'d>(
    doc: &'d mut DocumentMut,
    table: &'static str,
    id: &str,
) -> Result<&'d mut Table, EditError> {
    let not_found = || EditError::NotFound {
        table,
        id: id.to_string(),
    };
    doc.get_mut(table)
        .and_then(Item::as_array_of_tables_mut)
        .ok_or_else(not_found)?
        .iter_mut()
        .find(|t| t.get("id").and_then(Item::as_str) == Some(id))
        .ok_or_else(not_found)
}

/// Whether the file defines `[[table]]` with this id.
pub fn defines(text: &str, table: &'static str, id: &str) -> bool {
    parse(text).is_ok_and(|mut doc| find_table(&mut doc, table, id).is_ok())
}

/// Appends `item` to `array`, on a line of its own when the array is written
/// one item per line (indented like the last item), after a space otherwise.
fn push_like_the_others(array: &mut Array, item: &str) {
    let mut value = string(item);
    let last_prefix = array
        .iter()
        .last()
        .and_then(|v| v.decor().prefix())
        .and_then(|p| p.as_str())
        .map(str::to_string);
    match last_prefix {
        Some(prefix) if prefix.contains('\n') => {
            // Only the indentation: comments before the last item stay with it.
            let indent = prefix.rsplit('\n').next().unwrap_or("");
            value.decor_mut().set_prefix(format!("\n{indent}"));
            value.decor_mut().set_suffix("");
            array.push_formatted(value);
        }
        Some(_) => {
            value.decor_mut().set_prefix(" ");
            value.decor_mut().set_suffix("");
            array.push_formatted(value);
        }
        None => array.push_formatted(value),
    }
}

/// A TOML basic string (`"…"`, escapes as in JSON, which TOML shares), never
/// a literal or multi-line string.
fn string(s: &str) -> Value {
    serde_json::to_string(s)
        .ok()
        .and_then(|json| json.parse::<Value>().ok())
        .unwrap_or_else(|| Value::from(s))
}

fn add_to_list(
    text: &str,
    table: &'static str,
    id: &str,
    key: &'static str,
    item: &str,
    what: &'static str,
) -> Result<Edited, EditError> {
    let mut doc = parse(text)?;
    let t = find_table(&mut doc, table, id)?;
    let not_a_list = || EditError::NotAList {
        key,
        id: id.to_string(),
    };
    let array = match t.get_mut(key) {
        Some(item) => item.as_array_mut().ok_or_else(not_a_list)?,
        None => {
            t.insert(key, toml_edit::value(Array::new()));
            t.get_mut(key)
                .and_then(Item::as_array_mut)
                .ok_or_else(not_a_list)?
        }
    };
    let norm = |s: &str| s.trim().to_lowercase();
    if array
        .iter()
        .filter_map(Value::as_str)
        .any(|q| norm(q) == norm(item))
    {
        return Err(EditError::AlreadyThere {
            what,
            id: id.to_string(),
        });
    }
    push_like_the_others(array, item);
    only_additions(text, &doc.to_string())
}

/// `text` with `question` added to the `questions` of entry `id`.
pub fn add_phrasing(text: &str, id: &str, question: &str) -> Result<Edited, EditError> {
    add_to_list(text, "entry", id, "questions", question, "this phrasing")
}

/// `text` with `pattern` added to the `patterns` of subject `id`.
pub fn add_pattern(text: &str, id: &str, pattern: &str) -> Result<Edited, EditError> {
    add_to_list(text, "gap", id, "patterns", pattern, "this pattern")
}

/// `text` with a new `[[gap]]` at the end: `id`, `about`, one pattern.
pub fn add_gap(text: &str, id: &str, about: &str, pattern: &str) -> Result<Edited, EditError> {
    let mut doc = parse(text)?;
    if find_table(&mut doc, "gap", id).is_ok() {
        return Err(EditError::AlreadyThere {
            what: "this subject",
            id: id.to_string(),
        });
    }
    let mut gap = Table::new();
    gap.insert("id", toml_edit::value(string(id)));
    gap.insert("about", toml_edit::value(string(about)));
    let mut patterns = Array::new();
    patterns.push_formatted(string(pattern));
    gap.insert("patterns", toml_edit::value(patterns));
    // The new table is written after everything else, a blank line before it.
    gap.decor_mut().set_prefix("\n");
    let mut new = doc.to_string();
    if !new.ends_with('\n') && !new.is_empty() {
        new.push('\n');
    }
    let mut tail = DocumentMut::new();
    let mut aot = toml_edit::ArrayOfTables::new();
    aot.push(gap);
    tail.insert("gap", Item::ArrayOfTables(aot));
    new.push_str(&tail.to_string());
    // Appending to a file without a final newline changes its last line.
    only_additions(text, &new)
}

/// Checks that `new` is `old` with lines added (at most one old line changed,
/// as when a comma or an item is added to a one-line list) and says where.
pub fn only_additions(old: &str, new: &str) -> Result<Edited, EditError> {
    let a: Vec<&str> = old.split('\n').collect();
    let b: Vec<&str> = new.split('\n').collect();
    let prefix = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let max_suffix = a.len().min(b.len()) - prefix;
    let suffix = a
        .iter()
        .rev()
        .zip(b.iter().rev())
        .take(max_suffix)
        .take_while(|(x, y)| x == y)
        .count();
    let removed = a.len() - prefix - suffix;
    let added = &b[prefix..b.len() - suffix];
    if removed > 1 || added.is_empty() {
        return Err(EditError::Reformats);
    }
    if removed == 1 && added.len() > 1 {
        // Lines added after a changed line: the changed line must keep its
        // old text at its start (a comma appended to it).
        let old_line = a[prefix].trim_end();
        if !added[0].starts_with(old_line) {
            return Err(EditError::Reformats);
        }
    }
    Ok(Edited {
        text: new.to_string(),
        line: prefix + 1,
        lines: added.iter().map(|l| l.to_string()).collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const ENTRIES: &str = r#"# Topic: downtime

[[entry]]
id = "a"
topic = "t"
questions = [
  "first?",
  # short
  "second?",
]
answer = """
x"""

[[entry]]
id = "b"
topic = "t"
questions = ["one", "two"]  # inline
answer = "y"
"#;

    #[test]
    fn a_phrasing_is_one_added_line_indented_like_the_others() {
        let e = add_phrasing(ENTRIES, "a", "it's \"new\"?").unwrap();
        assert_eq!(e.line, 10);
        assert_eq!(e.lines, vec![r#"  "it's \"new\"?","#]);
        let expected = ENTRIES.replace(
            "  \"second?\",\n]",
            "  \"second?\",\n  \"it's \\\"new\\\"?\",\n]",
        );
        assert_eq!(e.text, expected);
    }

    #[test]
    fn a_one_line_list_changes_its_one_line() {
        let e = add_phrasing(ENTRIES, "b", "three").unwrap();
        assert_eq!(
            e.lines,
            vec![r#"questions = ["one", "two", "three"]  # inline"#.to_string()]
        );
        assert_eq!(e.text.lines().count(), ENTRIES.lines().count());
    }

    #[test]
    fn missing_ids_and_duplicates_are_refused() {
        assert!(matches!(
            add_phrasing(ENTRIES, "zzz", "q"),
            Err(EditError::NotFound { .. })
        ));
        assert!(matches!(
            add_phrasing(ENTRIES, "a", "  FIRST? "),
            Err(EditError::AlreadyThere { .. })
        ));
        assert!(matches!(
            add_phrasing("[[entry]\n", "a", "q"),
            Err(EditError::Syntax(_))
        ));
    }

    #[test]
    fn a_new_gap_is_appended_after_a_blank_line() {
        let text = "# gaps\n\n[[gap]]\nid = \"cost\"\nabout = \"prices\"\npatterns = [\"cost*\"]\n";
        let e = add_gap(text, "tattoos", "tattoos", "tattoo removal").unwrap();
        assert_eq!(
            e.text,
            format!("{text}\n[[gap]]\nid = \"tattoos\"\nabout = \"tattoos\"\npatterns = [\"tattoo removal\"]\n")
        );
        assert_eq!(e.line, 8, "the `[[gap]]` line");
        assert!(add_gap(text, "cost", "x", "y").is_err());
        let e = add_pattern(text, "cost", "how much").unwrap();
        assert_eq!(e.lines, vec!["patterns = [\"cost*\", \"how much\"]"]);
    }

    #[test]
    fn only_additions_refuses_a_reformat() {
        assert!(only_additions("a\nb\nc\n", "a\nb\nx\nc\n").is_ok());
        assert_eq!(only_additions("a\nb\nc\n", "a\nb\nx\nc\n").unwrap().line, 3);
        assert!(only_additions("a\nb\nc\n", "a\nB\nx\nc\n").is_err());
        assert!(only_additions("a\nb\nc\n", "a\nb\nc\n").is_err());
    }
}
