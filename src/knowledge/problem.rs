//! Problems found in the knowledge files, located by file, line and column.
//!
//! A moderator fixes knowledge by reading these messages, so each one names
//! the place to look and says what is wrong in plain words. Loading collects
//! every problem it can find before failing, so one `check` run lists them all.

use std::fmt;
use std::path::{Path, PathBuf};

/// One thing wrong with the knowledge files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The file, as a path under the knowledge directory when possible.
    pub file: PathBuf,
    /// 1-based line; 0 when the problem concerns the whole file.
    pub line: usize,
    /// 1-based column in characters; 0 when unknown.
    pub column: usize,
    /// What is wrong, in words a moderator understands.
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.line, self.column) {
            (0, _) => write!(f, "{}: {}", self.file.display(), self.message),
            (line, 0) => write!(f, "{}:{}: {}", self.file.display(), line, self.message),
            (line, col) => write!(
                f,
                "{}:{}:{}: {}",
                self.file.display(),
                line,
                col,
                self.message
            ),
        }
    }
}

/// The knowledge could not be loaded; every problem found is listed.
#[derive(Debug, Clone, thiserror::Error)]
pub struct KnowledgeError {
    /// All problems, in file order.
    pub problems: Vec<Problem>,
}

impl fmt::Display for KnowledgeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.problems.len();
        writeln!(
            f,
            "the knowledge has {n} problem{}:",
            if n == 1 { "" } else { "s" }
        )?;
        for p in &self.problems {
            writeln!(f, "  {p}")?;
        }
        Ok(())
    }
}

/// A text file held in memory with what is needed to turn byte offsets
/// (as the TOML parser reports them) into line and column numbers.
#[derive(Debug)]
pub(crate) struct FileText {
    pub path: PathBuf,
    pub text: String,
    line_starts: Vec<usize>,
}

impl FileText {
    pub fn new(path: PathBuf, text: String) -> Self {
        let mut line_starts = vec![0];
        line_starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        FileText {
            path,
            text,
            line_starts,
        }
    }

    /// 1-based (line, column) of a byte offset; the column counts characters.
    pub fn locate(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let line = self.line_starts.partition_point(|&s| s <= offset);
        let start = self.line_starts[line - 1];
        let column = self
            .text
            .get(start..offset)
            .map_or(1, |s| s.chars().count() + 1);
        (line, column)
    }

    /// A problem at a byte offset of this file.
    pub fn problem_at(&self, offset: usize, message: impl Into<String>) -> Problem {
        let (line, column) = self.locate(offset);
        Problem {
            file: self.path.clone(),
            line,
            column,
            message: message.into(),
        }
    }
}

/// A problem about a whole file (missing, unreadable).
pub(crate) fn file_problem(path: &Path, message: impl Into<String>) -> Problem {
    Problem {
        file: path.to_path_buf(),
        line: 0,
        column: 0,
        message: message.into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locates_lines_and_character_columns() {
        let f = FileText::new("a.toml".into(), "ab\ncdé f\n\nx".into());
        assert_eq!(f.locate(0), (1, 1));
        assert_eq!(f.locate(1), (1, 2));
        assert_eq!(f.locate(3), (2, 1));
        // 'é' is two bytes: the space after it is the 4th character.
        assert_eq!(f.locate(3 + 4), (2, 4));
        assert_eq!(f.locate(10), (3, 1));
        assert_eq!(f.locate(11), (4, 1));
        assert_eq!(f.locate(999), (4, 2));
    }

    #[test]
    fn displays_file_line_column() {
        let f = FileText::new("k/e.toml".into(), "x\ny = 1\n".into());
        let p = f.problem_at(2, "unknown field `y`");
        assert_eq!(p.to_string(), "k/e.toml:2:1: unknown field `y`");
    }
}
