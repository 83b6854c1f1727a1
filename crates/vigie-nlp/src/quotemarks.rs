//! Quote-mark pairing: « », “ ”, ” used both ways, straight " ", ‘ ’, over several paragraphs.
//!
//! Directional marks («, “, „, ‘ open; » closes) are trusted. Ambiguous marks (”, ", ')
//! take their role from their flanks, as typographers read them: a mark after a space or an
//! apostrophe and before a word opens (`d'”engranger`), a mark after a word and before a
//! space or punctuation closes (`seulement”,`), and a mark between two words (`sincère”Alors`)
//! closes a quote of its family when one is open. A quote may run over paragraphs: it stays
//! open until its closing mark, and a paragraph that starts with a mark of its family (the
//! French `« ` or `» ` of continued quotes) continues it. A straight single quote is a quote
//! only when closed in its paragraph; otherwise it was an apostrophe. Quotes never closed are
//! reported as such, and cut at the end of their sentence by the pipeline.

use vigie_core::ByteSpan;

/// Families of marks that pair with each other.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Family {
    /// « »
    Guillemet,
    /// “ ” „ "
    Double,
    /// ‘ ’ '
    Single,
}

/// A pair of quote marks found in the (normalised) text. Offsets are bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuotePair {
    /// The opening mark.
    pub open: ByteSpan,
    /// The closing mark, if any.
    pub close: Option<ByteSpan>,
    /// The enclosed text, trimmed; for an unclosed quote, up to the end of its last paragraph.
    pub content: ByteSpan,
    /// Nesting depth (0 = outermost).
    pub depth: usize,
    /// First and last paragraph index.
    pub paragraphs: (usize, usize),
}

/// Quotes open at once in a paragraph, all families together: deeper marks are not read as
/// quote marks.
/// Real text nests two or three levels (`« … “ … ‘ … ’ … ” … »`); the cap keeps the quotes'
/// overlap, and so the copies of their contents, linear in the size of the text.
pub const MAX_OPEN: usize = 8;

/// Paragraphs a quote may run past its last one without a continuation mark before it is
/// taken as never closed (a closing mark further on no longer closes it).
pub const MAX_QUOTE_PARAGRAPHS: usize = 10;

/// Opening marks past [`MAX_OPEN`] in one paragraph: the first one and how many.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TooDeep {
    /// The first mark not read.
    pub first: ByteSpan,
    /// How many marks of the paragraph were not read.
    pub count: usize,
}

/// Every quote mark of a text, read.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Marks {
    /// Quote pairs (and quotes never closed), sorted by their opening mark.
    pub pairs: Vec<QuotePair>,
    /// Closing marks without an opening one.
    pub unmatched: Vec<Unmatched>,
    /// Per paragraph, the opening marks nested too deep to be read.
    pub too_deep: Vec<TooDeep>,
}

/// A closing mark with no opening mark.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Unmatched {
    /// The mark.
    pub span: ByteSpan,
}

struct Open {
    pos: usize,
    len: usize,
    family: Family,
    first_para: usize,
    last_para: usize,
    depth: usize,
}

fn family_of(c: char) -> Option<Family> {
    match c {
        '«' | '»' => Some(Family::Guillemet),
        '“' | '”' | '„' | '"' => Some(Family::Double),
        '‘' | '\'' => Some(Family::Single),
        _ => None,
    }
}

fn opening_context(c: char) -> bool {
    c.is_whitespace()
        || matches!(
            c,
            '(' | '[' | '{' | '«' | '“' | '‘' | '„' | '—' | '–' | '-' | '/' | '\'' | ':'
        )
}

fn closing_context(c: char) -> bool {
    c.is_whitespace()
        || matches!(
            c,
            '.' | ','
                | ';'
                | ':'
                | '!'
                | '?'
                | ')'
                | ']'
                | '}'
                | '…'
                | '»'
                | '”'
                | '"'
                | '\''
                | '-'
                | '–'
                | '—'
        )
}

/// Pairs the quote marks of `text` whose paragraphs are `paras` (sorted, non-overlapping).
pub fn pair_quotes(text: &str, paras: &[ByteSpan]) -> Marks {
    let mut pairs = Vec::new();
    let mut unmatched = Vec::new();
    let mut too_deep: Vec<TooDeep> = Vec::new();
    let mut stack: Vec<Open> = Vec::new();
    // A quote never closed runs to the end of its last paragraph, or to the closing mark of
    // the quote it was opened in (`end`).
    let unclose = |o: Open, end: Option<usize>, pairs: &mut Vec<QuotePair>| {
        if o.family == Family::Single {
            return; // an unpaired straight single quote is an apostrophe
        }
        let end = end.unwrap_or(paras[o.last_para].end);
        pairs.push(QuotePair {
            open: ByteSpan::new(o.pos, o.pos + o.len),
            close: None,
            content: trim(text, o.pos + o.len, end),
            depth: o.depth,
            paragraphs: (o.first_para, o.last_para),
        });
    };
    for (pi, para) in paras.iter().enumerate() {
        // Single quotes never cross paragraphs.
        while stack.last().is_some_and(|o| o.family == Family::Single) {
            let o = stack.pop().expect("checked");
            unclose(o, None, &mut pairs);
        }
        // Nor do quotes left without a mark for MAX_QUOTE_PARAGRAPHS paragraphs.
        if stack
            .iter()
            .any(|o| o.last_para + MAX_QUOTE_PARAGRAPHS < pi)
        {
            let (stale, kept): (Vec<Open>, Vec<Open>) = std::mem::take(&mut stack)
                .into_iter()
                .partition(|o| o.last_para + MAX_QUOTE_PARAGRAPHS < pi);
            stack = kept;
            for o in stale {
                unclose(o, None, &mut pairs);
            }
        }
        let bytes = text.as_bytes();
        let mut last_close_end = usize::MAX;
        let mut i = para.start;
        while i < para.end {
            // Quote marks are `"`, `'` or start with the bytes 0xC2 (« ») or 0xE2 (“ ” „ ‘).
            let b = bytes[i];
            if !matches!(b, b'"' | b'\'' | 0xC2 | 0xE2) {
                i += 1;
                continue;
            }
            let mut c = text[i..].chars().next().unwrap_or('\0');
            let pos = i;
            i += c.len_utf8();
            let prev = if pos > para.start {
                text[para.start..pos].chars().next_back()
            } else {
                None
            };
            // Two straight apostrophes at a word boundary are a double mark (`''We've shown
            // the world,''` in LDC / New York Times text), not `d''évolutions`.
            if c == '\'' && i < para.end && bytes[i] == b'\'' {
                let after = text[i + 1..para.end].chars().next();
                if !(prev.is_some_and(char::is_alphanumeric)
                    && after.is_some_and(char::is_alphanumeric))
                {
                    c = '"';
                    i += 1;
                }
            }
            let len = i - pos;
            let next = if i < para.end {
                text[i..para.end].chars().next()
            } else {
                None
            };
            let at_start = pos == para.start;
            let Some(fam) = family_of(c) else {
                continue;
            };
            if fam == Family::Single
                && c == '\''
                && prev.is_some_and(char::is_alphanumeric)
                && next.is_some_and(char::is_alphanumeric)
            {
                continue; // apostrophe inside a word
            }
            // A paragraph opening with a mark of a quote carried over continues it.
            if at_start && next.is_some_and(|n| !n.is_whitespace() || c == '«' || c == '»') {
                if let Some(top) = stack.last_mut() {
                    if top.family == fam && top.last_para < pi && c != '\'' {
                        top.last_para = pi;
                        continue;
                    }
                }
            }
            // A mark right after a closing mark (`substantielles'"`) is in closing context.
            let after_close = last_close_end == pos;
            let left = !after_close
                && prev.is_none_or(opening_context)
                && next.is_some_and(|n| !n.is_whitespace());
            let right = prev
                .is_some_and(|p| after_close || !p.is_whitespace() && !opening_context(p))
                && next.is_none_or(closing_context);
            let open_idx = stack.iter().rposition(|o| o.family == fam);
            let is_open = match c {
                '«' | '“' | '„' | '‘' => true,
                '»' => false,
                _ if left && !right => true,
                _ if right && !left => false,
                // Between two words or two spaces: close what is open, else open.
                _ => open_idx.is_none(),
            };
            if c == '\'' && !is_open && open_idx.is_none() {
                continue; // a closing-looking apostrophe: `ministers' meeting`, `'90s`
            }
            if is_open {
                // A quote carried over from an earlier paragraph that was not continued ends there.
                if let Some(i) = open_idx {
                    if stack[i].last_para < pi {
                        let o = stack.remove(i);
                        unclose(o, None, &mut pairs);
                    }
                }
                let depth = stack.len();
                // (Quotes carried over from earlier paragraphs do not count.)
                if stack.iter().filter(|o| o.last_para == pi).count() >= MAX_OPEN {
                    match too_deep.last_mut() {
                        Some(d) if d.first.start >= para.start => d.count += 1,
                        _ => too_deep.push(TooDeep {
                            first: ByteSpan::new(pos, pos + len),
                            count: 1,
                        }),
                    }
                    continue;
                }
                stack.push(Open {
                    pos,
                    len,
                    family: fam,
                    first_para: pi,
                    last_para: pi,
                    depth,
                });
            } else if let Some(k) = open_idx {
                // Marks opened inside this quote and never closed end here.
                while stack.len() > k + 1 {
                    let o = stack.pop().expect("len checked");
                    unclose(o, Some(pos), &mut pairs);
                }
                let o = stack.pop().expect("len checked");
                last_close_end = i;
                pairs.push(QuotePair {
                    open: ByteSpan::new(o.pos, o.pos + o.len),
                    close: Some(ByteSpan::new(pos, pos + len)),
                    content: trim(text, o.pos + o.len, pos),
                    depth: o.depth,
                    paragraphs: (o.first_para, pi),
                });
            } else {
                unmatched.push(Unmatched {
                    span: ByteSpan::new(pos, pos + len),
                });
            }
        }
    }
    while let Some(o) = stack.pop() {
        unclose(o, None, &mut pairs);
    }
    pairs.sort_by_key(|p| p.open.start);
    Marks {
        pairs,
        unmatched,
        too_deep,
    }
}

fn trim(text: &str, start: usize, end: usize) -> ByteSpan {
    let s = &text[start..end.max(start)];
    let lead = s.len() - s.trim_start().len();
    let t = s.trim();
    ByteSpan::new(start + lead, start + lead + t.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(text: &str) -> Vec<(String, bool)> {
        let paras = crate::segment::paragraphs(text);
        pair_quotes(text, &paras)
            .pairs
            .iter()
            .map(|p| {
                (
                    text[p.content.start..p.content.end].to_string(),
                    p.close.is_some(),
                )
            })
            .collect()
    }

    #[test]
    fn two_apostrophes_are_a_double_mark() {
        assert_eq!(
            run("''We've shown the world,'' Mr. Obama said."),
            vec![("We've shown the world,".into(), true)]
        );
    }

    #[test]
    fn guillemets_and_curly_quotes() {
        assert_eq!(
            run("Il a dit « nous resterons » hier."),
            vec![("nous resterons".into(), true)]
        );
        assert_eq!(
            run("He said “we stay” and left."),
            vec![("we stay".into(), true)]
        );
    }

    #[test]
    fn right_double_quote_used_both_ways() {
        let t =
            "au Mali d’”engranger des résultats”, a déclaré. Un soutien “constant et sincère”Alors";
        let t = crate::normalize::normalize(t).text.to_string();
        assert_eq!(
            run(&t),
            vec![
                ("engranger des résultats".into(), true),
                ("constant et sincère".into(), true)
            ]
        );
    }

    #[test]
    fn straight_quotes_and_apostrophes() {
        let t = "le \"Ségur de la santé\" organisé l'an dernier, dit l'\"affaire\" 'x' des ministers' car";
        assert_eq!(
            run(t),
            vec![
                ("Ségur de la santé".into(), true),
                ("affaire".into(), true),
                ("x".into(), true)
            ]
        );
    }

    #[test]
    fn mark_after_a_closing_mark_closes() {
        let t = "vouloir \"obtenir d''évolutions substantielles'\".\"Malgré cela\", a dit FO.";
        assert_eq!(
            run(t),
            vec![
                ("obtenir d''évolutions substantielles'".into(), true),
                ("évolutions substantielles".into(), true),
                ("Malgré cela".into(), true)
            ]
        );
    }

    #[test]
    fn quote_over_two_paragraphs_and_continuation_marks() {
        let t = "“Premier paragraphe.\n\nSecond paragraphe”, assure-t-il.";
        assert_eq!(
            run(t),
            vec![("Premier paragraphe.\n\nSecond paragraphe".into(), true)]
        );
        let t = "« Premier.\n\n« Second. »\n\nFin.";
        assert_eq!(run(t), vec![("Premier.\n\n« Second.".into(), true)]);
    }

    #[test]
    fn nested_and_unclosed() {
        let t = "« Il a parlé d’un “partenaire” fiable », dit-il.";
        let r = run(t);
        assert_eq!(r.len(), 2);
        assert_eq!(r[0].0, "Il a parlé d’un “partenaire” fiable");
        assert_eq!(r[1].0, "partenaire");
        let r = run("Il a dit « nous resterons. Puis il est parti.");
        assert_eq!(
            r,
            vec![("nous resterons. Puis il est parti.".into(), false)]
        );
    }

    #[test]
    fn marks_nested_past_the_cap_are_not_read() {
        let t = "« a « b « c « d « e « f « g « h « i « j » » » » » » » » » ». Fin « x ».";
        let paras = crate::segment::paragraphs(t);
        let m = pair_quotes(t, &paras);
        assert!(m.pairs.iter().all(|p| p.depth < MAX_OPEN));
        assert_eq!(m.too_deep.len(), 1);
        assert_eq!(m.too_deep[0].count, 2);
        assert_eq!(&t[m.too_deep[0].first.start..m.too_deep[0].first.end], "«");
        // The two closers left over are reported, and the next quote is read as usual.
        assert_eq!(m.unmatched.len(), 2);
        assert!(m
            .pairs
            .iter()
            .any(|p| &t[p.content.start..p.content.end] == "x"));
    }
}
