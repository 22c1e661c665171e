//! The private record of unanswered questions (`gaps.db`): gap rows to seed it with, and a
//! scan of everything it holds, in its columns and in its files' bytes, for the tests that
//! prove it identifies nobody.

use microneedling_bot::gaps::{GapOutcome, GapRecord};
use rusqlite::types::ValueRef;
use rusqlite::{Connection, OpenFlags};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// The record's only tables.
pub const TABLES: [&str; 3] = ["gaps", "feedback", "outcomes"];

/// A gap row of knowledge version `v1`.
pub fn gap(
    day: i64,
    outcome: GapOutcome,
    question: &str,
    entry: Option<&str>,
    score: f32,
) -> GapRecord {
    GapRecord {
        day,
        outcome,
        question: question.into(),
        best_entry: entry.map(Into::into),
        score: Some(score),
        knowledge_version: "v1".into(),
    }
}

/// A value as SQLite stored it.
#[derive(Clone, Debug, PartialEq)]
pub enum Stored {
    Null,
    Integer(i64),
    Real(f64),
    Text(String),
    Blob(Vec<u8>),
}

impl Stored {
    /// The value as text (`""` for NULL, blobs as lossy UTF-8).
    pub fn text(&self) -> String {
        match self {
            Stored::Null => String::new(),
            Stored::Integer(n) => n.to_string(),
            Stored::Real(f) => f.to_string(),
            Stored::Text(t) => t.clone(),
            Stored::Blob(b) => String::from_utf8_lossy(b).into_owned(),
        }
    }
}

/// One value of one row.
#[derive(Clone, Debug)]
pub struct Cell {
    pub table: String,
    pub column: String,
    pub value: Stored,
}

/// Whether a column name points at someone or something they did: a member, a place, a
/// message, a moment.
pub fn identifying_column(column: &str) -> bool {
    column.split('_').any(|w| w == "id")
        || [
            "user", "member", "guild", "channel", "message", "author", "time",
        ]
        .iter()
        .any(|w| column.contains(w))
}

/// Every value of every column of every row of the record at `db`, opened read-only (it
/// may still be open for writing). Asserts first that the record has exactly its
/// [`TABLES`] and no column whose name looks identifying.
pub fn every_value(db: &Path) -> Vec<Cell> {
    let conn = Connection::open_with_flags(db, OpenFlags::SQLITE_OPEN_READ_ONLY)
        .expect("the record opens");
    let tables: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table'")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(
        tables.iter().map(String::as_str).collect::<BTreeSet<_>>(),
        BTreeSet::from(TABLES),
        "no other table"
    );
    let mut out = Vec::new();
    for table in &tables {
        let mut stmt = conn.prepare(&format!("SELECT * FROM {table}")).unwrap();
        let columns: Vec<String> = stmt.column_names().iter().map(|c| c.to_string()).collect();
        for column in &columns {
            assert!(
                !identifying_column(column),
                "{table}.{column} looks identifying"
            );
        }
        let mut rows = stmt.query([]).unwrap();
        while let Some(row) = rows.next().unwrap() {
            for (i, column) in columns.iter().enumerate() {
                let value = match row.get_ref(i).unwrap() {
                    ValueRef::Null => Stored::Null,
                    ValueRef::Integer(n) => Stored::Integer(n),
                    ValueRef::Real(f) => Stored::Real(f),
                    ValueRef::Text(t) => Stored::Text(String::from_utf8_lossy(t).into_owned()),
                    ValueRef::Blob(b) => Stored::Blob(b.to_vec()),
                };
                out.push(Cell {
                    table: table.clone(),
                    column: column.clone(),
                    value,
                });
            }
        }
    }
    out
}

/// The record's files with their bytes: the database and, while it is open, its WAL,
/// shared memory and journal (those that exist).
pub fn record_files(db: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    ["", "-wal", "-shm", "-journal"]
        .iter()
        .filter_map(|suffix| {
            let p = PathBuf::from(format!("{}{suffix}", db.display()));
            std::fs::read(&p).ok().map(|b| (p, b))
        })
        .collect()
}

/// Whether `needle` (not empty) occurs in `hay`.
pub fn contains(hay: &[u8], needle: &[u8]) -> bool {
    !needle.is_empty() && hay.windows(needle.len()).any(|w| w == needle)
}
