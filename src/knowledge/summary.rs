//! What `check` reports about valid knowledge.

use super::Knowledge;
use std::fmt;

/// Counts that tell a moderator the knowledge is what they expect.
#[derive(Debug, Clone, PartialEq)]
pub struct Summary {
    pub version: String,
    pub entries: usize,
    /// (topic id, topic title, entries in it), in topics.toml order.
    pub per_topic: Vec<(String, String, usize)>,
    pub questions: usize,
    pub sources: Vec<(String, String, usize)>,
    pub quotes_verified: usize,
    pub synonyms: usize,
    pub spellings: usize,
    pub red_flags: usize,
    pub red_flag_patterns: usize,
    pub crisis_patterns: usize,
    /// Kinds of crisis warning sign, and how many together make a crisis.
    pub crisis_signs: usize,
    pub signs_needed: usize,
    /// Patterns naming causes other than the treatment.
    pub other_causes: usize,
    /// `crisis_examples.jsonl`: examples, how many of them crisis, and the
    /// learned model's threshold.
    pub crisis_examples: usize,
    pub crisis_examples_crisis: usize,
    pub learned_threshold: f32,
    pub gaps: usize,
}

impl Summary {
    pub(crate) fn of(k: &Knowledge) -> Summary {
        Summary {
            version: k.version.clone(),
            entries: k.entries.len(),
            per_topic: k
                .topics
                .iter()
                .map(|t| {
                    let n = k.entries.iter().filter(|e| e.topic == t.id).count();
                    (t.id.clone(), t.title.clone(), n)
                })
                .collect(),
            questions: k.entries.iter().map(|e| e.questions.len()).sum(),
            sources: k
                .sources
                .iter()
                .map(|s| (s.id.clone(), s.title.clone(), s.paragraphs.len()))
                .collect(),
            quotes_verified: k.entries.iter().map(|e| e.quotes.len()).sum(),
            synonyms: k.synonyms.iter().map(|g| g.variants.len()).sum(),
            spellings: k.spellings.len(),
            red_flags: k.red_flags.flags.len(),
            red_flag_patterns: k.red_flags.flags.iter().map(|f| f.patterns.len()).sum(),
            crisis_patterns: k.red_flags.crisis.len(),
            crisis_signs: k.red_flags.crisis_signs.len(),
            signs_needed: k.red_flags.signs_needed,
            other_causes: k.red_flags.other_cause.causes.len(),
            crisis_examples: k.red_flags.crisis_examples.len(),
            crisis_examples_crisis: k
                .red_flags
                .crisis_examples
                .iter()
                .filter(|x| x.crisis)
                .count(),
            learned_threshold: k.red_flags.learned_threshold,
            gaps: k.gaps.len(),
        }
    }
}

impl fmt::Display for Summary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "knowledge version {}", self.version)?;
        writeln!(
            f,
            "{} entries ({} questions) in {} topics:",
            self.entries,
            self.questions,
            self.per_topic.len()
        )?;
        for (id, title, n) in &self.per_topic {
            writeln!(f, "  {id:<14} {n:>3}  {title}")?;
        }
        writeln!(f, "{} source(s):", self.sources.len())?;
        for (id, title, paragraphs) in &self.sources {
            writeln!(f, "  {id}: \"{title}\" ({paragraphs} paragraphs)")?;
        }
        writeln!(
            f,
            "{} quotes verified against their sources",
            self.quotes_verified
        )?;
        writeln!(
            f,
            "{} synonyms, {} spellings",
            self.synonyms, self.spellings
        )?;
        writeln!(
            f,
            "{} red flags ({} patterns), {} subjects marked as not covered",
            self.red_flags, self.red_flag_patterns, self.gaps
        )?;
        writeln!(
            f,
            "crisis: {} patterns, {} kinds of warning sign ({} together make a crisis); {} other-cause patterns",
            self.crisis_patterns, self.crisis_signs, self.signs_needed, self.other_causes
        )?;
        if self.crisis_examples == 0 {
            writeln!(f, "crisis model: none (no crisis_examples.jsonl)")
        } else {
            writeln!(
                f,
                "crisis model: learned from {} examples ({} crisis); a score above {} is a crisis",
                self.crisis_examples, self.crisis_examples_crisis, self.learned_threshold
            )
        }
    }
}
