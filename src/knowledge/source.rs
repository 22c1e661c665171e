//! Source documents: their paragraphs, and the verification of quotes against them.
//!
//! Every fact the bot states must trace to a span of a source, so a quote in the
//! knowledge is only accepted when it occurs in the source text. Matching ignores
//! typography alone (curly versus straight apostrophes and quotes, dashes versus
//! hyphens, runs of white space) and nothing else: a changed word, letter case or
//! punctuation mark is a different quote.

/// A source document, split into numbered paragraphs so quotes can be cited.
#[derive(Debug, Clone)]
pub struct Source {
    /// Stable id that entries use to name the source.
    pub id: String,
    /// The document's title, shown in citations.
    pub title: String,
    /// Body paragraphs in order; `paragraphs[0]` is paragraph 1.
    pub paragraphs: Vec<String>,
    folded: Vec<Folded>,
    never_quote: Vec<String>,
}

/// A quote found in its source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Located {
    /// 1-based paragraph number.
    pub paragraph: usize,
    /// The source's own words for the quote, elided parts shown as ` … `.
    pub excerpt: String,
}

/// Why a quote could not be verified.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum QuoteError {
    /// The quote is empty or only elision marks.
    #[error("the quote is empty")]
    Empty,
    /// Two elision marks with nothing between them.
    #[error("the quote has two elision marks (…) with nothing between them")]
    EmptySegment,
    /// The quote reproduces a phrase the source marks as never to be quoted.
    #[error("the quote contains \"{0}\", which the source marks as never to be quoted (garbled in the original): elide it with …")]
    Forbidden(String),
    /// A part of the quote is not in the source.
    #[error("\"{segment}\" does not occur in source `{source_id}`{hint}")]
    NotFound {
        source_id: String,
        segment: String,
        hint: String,
    },
    /// Every part exists, but not in order within one paragraph.
    #[error("the parts of the quote do not occur in this order within one paragraph of source `{0}` (an elision … may only skip words inside a paragraph)")]
    NotInOneParagraph(String),
}

impl Source {
    /// Builds a source from its text. The first `skip_blocks` blank-line-separated
    /// blocks (title, byline, category) are not part of the numbered body.
    pub fn new(
        id: impl Into<String>,
        title: impl Into<String>,
        text: &str,
        skip_blocks: usize,
        never_quote: Vec<String>,
    ) -> Self {
        let paragraphs: Vec<String> = split_blocks(text).into_iter().skip(skip_blocks).collect();
        let folded = paragraphs.iter().map(|p| Folded::new(p)).collect();
        Source {
            id: id.into(),
            title: title.into(),
            paragraphs,
            folded,
            never_quote: never_quote.iter().map(|s| Folded::new(s).text).collect(),
        }
    }

    /// Finds a quote in this source. `…` (or `...`) marks an elision between two
    /// spans of the same paragraph, which must occur in order.
    pub fn locate(&self, quote: &str) -> Result<Located, QuoteError> {
        let segments = split_elisions(quote)?;
        for (seg, _) in &segments {
            if let Some(bad) = self.never_quote.iter().find(|b| seg.contains(b.as_str())) {
                return Err(QuoteError::Forbidden(bad.clone()));
            }
        }
        for (n, para) in self.folded.iter().enumerate() {
            let mut from = 0;
            let mut parts = Vec::with_capacity(segments.len());
            for (seg, _) in &segments {
                match para.text[from..].find(seg.as_str()) {
                    Some(at) => {
                        let start = from + at;
                        let end = start + seg.len();
                        parts.push(para.original(&self.paragraphs[n], start, end));
                        from = end;
                    }
                    None => break,
                }
            }
            if parts.len() == segments.len() {
                return Ok(Located {
                    paragraph: n + 1,
                    excerpt: parts.join(" … "),
                });
            }
        }
        // Explain the failure: the first part found nowhere, and how far it matched.
        for (seg, raw) in &segments {
            if !self.folded.iter().any(|p| p.text.contains(seg.as_str())) {
                return Err(QuoteError::NotFound {
                    source_id: self.id.clone(),
                    segment: raw.clone(),
                    hint: self.divergence_hint(seg),
                });
            }
        }
        Err(QuoteError::NotInOneParagraph(self.id.clone()))
    }

    /// Says where the longest matching start of `seg` stops matching the source.
    fn divergence_hint(&self, seg: &str) -> String {
        let bounds: Vec<usize> = seg.char_indices().map(|(i, _)| i).skip(1).collect();
        // Binary search on the longest prefix found somewhere (prefix matching is monotone).
        let found = |end: usize| self.folded.iter().any(|p| p.text.contains(&seg[..end]));
        let (mut lo, mut hi) = (0usize, bounds.len());
        while lo < hi {
            let mid = (lo + hi).div_ceil(2);
            if found(bounds[mid - 1]) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        if lo < 8 {
            return String::new();
        }
        let matched = &seg[..bounds[lo - 1]];
        let tail: String = matched
            .chars()
            .rev()
            .take(30)
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect();
        format!(" (it matches the source up to \"…{tail}\" and differs after that)")
    }
}

/// Splits a quote at elision marks; returns (folded, as written) per segment.
fn split_elisions(quote: &str) -> Result<Vec<(String, String)>, QuoteError> {
    let unified = quote.replace("...", "…");
    let raw: Vec<&str> = unified.split('…').map(str::trim).collect();
    // A leading or trailing elision is allowed; an empty part inside is not.
    let first = raw
        .iter()
        .position(|s| !s.is_empty())
        .ok_or(QuoteError::Empty)?;
    let last = raw.iter().rposition(|s| !s.is_empty()).unwrap_or(first);
    let inner = &raw[first..=last];
    if inner.iter().any(|s| s.is_empty()) {
        return Err(QuoteError::EmptySegment);
    }
    Ok(inner
        .iter()
        .map(|s| (Folded::new(s).text, (*s).to_string()))
        .collect())
}

/// Splits text into blocks separated by blank lines, each block's lines joined by a space.
fn split_blocks(text: &str) -> Vec<String> {
    let mut blocks = Vec::new();
    let mut current: Vec<&str> = Vec::new();
    for line in text.lines() {
        if line.trim().is_empty() {
            if !current.is_empty() {
                blocks.push(current.join(" "));
                current.clear();
            }
        } else {
            current.push(line.trim());
        }
    }
    if !current.is_empty() {
        blocks.push(current.join(" "));
    }
    blocks
}

/// Text with typography folded, remembering where each folded byte came from.
#[derive(Debug, Clone)]
struct Folded {
    text: String,
    /// `origin[i]` is the original byte offset of folded byte `i`; one extra at the end.
    origin: Vec<usize>,
}

impl Folded {
    fn new(original: &str) -> Self {
        let mut text = String::with_capacity(original.len());
        let mut origin = Vec::with_capacity(original.len() + 1);
        let mut last_space = true; // also trims leading white space
        for (i, c) in original.char_indices() {
            let f = match c {
                '\u{2018}' | '\u{2019}' | '\u{02BC}' | '\u{2032}' | '`' => '\'',
                '\u{201C}' | '\u{201D}' | '\u{2033}' => '"',
                '\u{2010}'..='\u{2015}' | '\u{2212}' => '-',
                c if c.is_whitespace() => ' ',
                c => c,
            };
            if f == ' ' {
                if last_space {
                    continue;
                }
                last_space = true;
            } else {
                last_space = false;
            }
            for _ in 0..f.len_utf8() {
                origin.push(i);
            }
            text.push(f);
        }
        if text.ends_with(' ') {
            text.pop();
            origin.pop();
        }
        origin.push(original.len());
        Folded { text, origin }
    }

    /// The original text behind folded bytes `start..end`.
    fn original(&self, original: &str, start: usize, end: usize) -> String {
        let from = self.origin[start];
        // The end is where the next folded character starts in the original.
        let to = self.origin.get(end).copied().unwrap_or(original.len());
        original[from..to].trim_end().to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn src() -> Source {
        Source::new(
            "s",
            "T",
            "Title\n\nBy nobody\n\nIt’s a minimally  invasive treatment – with tiny needles.\nSecond line.\n\nRedness subsides within 24-48 hours. Avoid the sun.\n",
            2,
            vec!["tiny needles".into()],
        )
    }

    #[test]
    fn numbers_body_paragraphs_after_skipped_blocks() {
        let s = src();
        assert_eq!(s.paragraphs.len(), 2);
        assert!(s.paragraphs[0].starts_with("It’s a"));
        assert!(s.paragraphs[0].ends_with("Second line."));
    }

    #[test]
    fn typography_is_ignored_and_source_words_are_kept() {
        let s = src();
        let l = s
            .locate("It's a minimally invasive treatment - with")
            .unwrap();
        assert_eq!(l.paragraph, 1);
        assert_eq!(l.excerpt, "It’s a minimally  invasive treatment – with");
    }

    #[test]
    fn case_and_words_are_not_ignored() {
        let s = src();
        assert!(matches!(
            s.locate("it's a minimally invasive"),
            Err(QuoteError::NotFound { .. })
        ));
        let err = s.locate("Redness subsides within 24-72 hours").unwrap_err();
        assert!(
            err.to_string().contains("matches the source up to"),
            "{err}"
        );
    }

    #[test]
    fn elisions_skip_words_in_order_within_a_paragraph() {
        let s = src();
        let l = s.locate("Redness subsides … Avoid the sun.").unwrap();
        assert_eq!(l.paragraph, 2);
        assert_eq!(l.excerpt, "Redness subsides … Avoid the sun.");
        assert!(s.locate("Redness subsides ... Avoid the sun.").is_ok());
        assert_eq!(
            s.locate("Avoid the sun. … Redness subsides"),
            Err(QuoteError::NotInOneParagraph("s".into()))
        );
        assert_eq!(
            s.locate("Second line. … Redness"),
            Err(QuoteError::NotInOneParagraph("s".into()))
        );
        assert_eq!(s.locate(" … "), Err(QuoteError::Empty));
        assert_eq!(s.locate("Avoid … … sun"), Err(QuoteError::EmptySegment));
    }

    #[test]
    fn never_quote_phrases_are_rejected() {
        let s = src();
        assert!(matches!(
            s.locate("with tiny needles"),
            Err(QuoteError::Forbidden(_))
        ));
    }
}
