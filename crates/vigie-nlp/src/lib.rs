//! Vigie's analysis pipeline: a pure function from a [`Document`] to its [`Analysis`].
//!
//! Components run in order, each adding its layer: [`normalize`] (a normalised view with an
//! offset map back to the original), [`segment`] (paragraphs), [`quotemarks`] (quote-mark
//! pairs), [`segment`] again (sentences, which need the closing marks), and [`lang`]. The
//! pipeline never touches disk or network; resources are loaded once ([`Resources`]) and
//! shared by every thread.

pub mod lang;
pub mod normalize;
pub mod quotemarks;
pub mod resources;
pub mod segment;

pub use resources::Resources;

use vigie_core::{
    Analysis, ByteSpan, CharIndex, Document, QuoteMark, Sentence, Span, Stats, Warning,
    SCHEMA_VERSION,
};

/// Output options.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    /// Copy the document text into the analysis.
    pub include_text: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options { include_text: true }
    }
}

/// The analysis pipeline with its resources.
#[derive(Debug, Clone)]
pub struct Pipeline {
    res: Resources,
    opts: Options,
}

impl Pipeline {
    /// A pipeline over `res`.
    pub fn new(res: Resources, opts: Options) -> Self {
        Pipeline { res, opts }
    }

    /// The resources in use.
    pub fn resources(&self) -> &Resources {
        &self.res
    }

    /// Analyses one document, moving its text and metadata into the analysis.
    pub fn analyze_owned(&self, doc: Document) -> Analysis {
        let mut a = self.analyze_inner(&doc, false);
        if self.opts.include_text {
            a.text = Some(doc.text);
        }
        a.meta = doc.meta;
        a.origin = doc.origin;
        a
    }

    /// Analyses one document.
    pub fn analyze(&self, doc: &Document) -> Analysis {
        self.analyze_inner(doc, true)
    }

    fn analyze_inner(&self, doc: &Document, copy: bool) -> Analysis {
        let norm = normalize::normalize(&doc.text);
        let nt: &str = &norm.text;
        let paras = segment::paragraphs(nt);
        let (mut pairs, unmatched) = quotemarks::pair_quotes(nt, &paras);
        let mut roles = segment::MarkRoles {
            openers: pairs.iter().map(|p| p.open.start).collect(),
            closers: pairs
                .iter()
                .filter_map(|p| p.close.map(|c| c.start))
                .collect(),
        };
        roles.closers.sort_unstable();
        roles.openers.sort_unstable();
        let sentences = segment::sentences(nt, &paras, &roles, &self.res);
        // A quote never closed runs to the end of the sentence where its content starts.
        for p in pairs.iter_mut().filter(|p| p.close.is_none()) {
            if let Some((s, _)) = sentences
                .iter()
                .find(|(s, _)| s.start <= p.content.start && p.content.start < s.end)
            {
                let end = s.end.max(p.content.start);
                p.content = trim_span(nt, p.content.start, end);
            }
        }
        let language = lang::identify(nt, &self.res);

        let idx = CharIndex::new(&doc.text);
        let span = |s: ByteSpan| idx.span(norm.span_to_original(s));
        let mut warnings = Vec::new();
        let quote_marks = pairs
            .iter()
            .map(|p| {
                let open = norm.span_to_original(p.open);
                let close = p.close.map(|c| norm.span_to_original(c));
                let whole_end = close.map_or(norm.to_original(p.content.end), |c| c.end);
                if close.is_none() {
                    warnings.push(Warning {
                        kind: "unclosed_quote".into(),
                        span: idx.span(open),
                        message: "quote mark never closed; content cut at the end of its sentence"
                            .into(),
                    });
                }
                QuoteMark {
                    start: idx.char_offset(open.start),
                    end: idx.char_offset(whole_end),
                    content: idx.text_span(norm.span_to_original(p.content)),
                    open: doc.text[open.start..open.end].to_string(),
                    close: close.map(|c| doc.text[c.start..c.end].to_string()),
                    depth: p.depth,
                    paragraphs: p.paragraphs.1 - p.paragraphs.0 + 1,
                }
            })
            .collect();
        for u in &unmatched {
            warnings.push(Warning {
                kind: "unmatched_closing_quote".into(),
                span: span(u.span),
                message: "closing quote mark without an opening mark".into(),
            });
        }
        let words = count_words(nt);
        Analysis {
            schema: SCHEMA_VERSION.to_string(),
            id: doc.id.clone(),
            origin: if copy {
                doc.origin.clone()
            } else {
                Default::default()
            },
            meta: if copy {
                doc.meta.clone()
            } else {
                Default::default()
            },
            text: (copy && self.opts.include_text).then(|| doc.text.clone()),
            language,
            stats: Stats {
                chars: idx.char_offset(doc.text.len()),
                bytes: doc.text.len(),
                words,
                normalized_chars: norm.changed,
            },
            paragraphs: paras.iter().map(|&p| span(p)).collect::<Vec<Span>>(),
            sentences: sentences
                .iter()
                .map(|&(s, paragraph)| {
                    let s = span(s);
                    Sentence {
                        start: s.start,
                        end: s.end,
                        paragraph,
                    }
                })
                .collect(),
            quote_marks,
            warnings,
        }
    }
}

fn trim_span(text: &str, start: usize, end: usize) -> ByteSpan {
    let s = &text[start..end];
    let t = s.trim_end();
    ByteSpan::new(start, start + t.len())
}

/// Counts runs of letters and digits.
fn count_words(text: &str) -> usize {
    let mut n = 0;
    let mut in_word = false;
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        let (word, len) = if b < 0x80 {
            (b.is_ascii_alphanumeric(), 1)
        } else {
            let c = text[i..].chars().next().unwrap_or(' ');
            (is_word_char(c), c.len_utf8())
        };
        n += (word && !in_word) as usize;
        in_word = word;
        i += len;
    }
    n
}

/// Letter or digit, with a fast path for ASCII and the Latin letters of French and English.
#[inline]
pub fn is_word_char(c: char) -> bool {
    match c {
        'a'..='z' | 'A'..='Z' | '0'..='9' => true,
        '\u{C0}'..='\u{24F}' => c != '×' && c != '÷',
        c if c.is_ascii() => false,
        c => c.is_alphanumeric(),
    }
}
