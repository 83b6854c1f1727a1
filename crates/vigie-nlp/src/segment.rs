//! Paragraph and sentence segmentation for French and English news.
//!
//! Paragraphs: blank lines separate paragraphs when the text has any; otherwise every line
//! is one. Sentences end after `.`, `!`, `?` or `…` (with any closing quote marks and
//! brackets that follow) when the next word starts a sentence: a capital, a digit, an
//! opening quote mark or a dash. A full stop does not end a sentence after an abbreviation
//! (`M.`, `Mme`, `col.`, `gén.`, from resources/segment/abbreviations.txt), an initial
//! (`J. K.`), a dotted acronym unless a sentence starter follows (`U.S. President` but
//! `U.S. The`), or between digits (`3.5`, `1.000`). OrangeSum often drops the space after a
//! full stop: `jeudi.Le` is split when a word of two letters or more precedes and a
//! capitalised word (not a domain name) follows. A closing quote mark glued to a capitalised
//! word (`sincère”Alors`) also ends a sentence.

use crate::resources::Resources;
use vigie_core::ByteSpan;

/// Splits `text` into trimmed, non-empty paragraphs.
pub fn paragraphs(text: &str) -> Vec<ByteSpan> {
    let blank_lines = has_blank_line(text);
    let mut out = Vec::new();
    let mut start = 0;
    let mut pos = 0;
    for line in text.split_inclusive('\n') {
        let end = pos + line.len();
        let is_break = if blank_lines { line.trim().is_empty() } else { true };
        if is_break {
            let stop = if blank_lines { pos } else { end };
            push_trimmed(text, start, stop, &mut out);
            start = end;
        }
        pos = end;
    }
    push_trimmed(text, start, text.len(), &mut out);
    out
}

fn has_blank_line(text: &str) -> bool {
    let b = text.as_bytes();
    let mut it = memchr_iter(b'\n', b);
    let mut last: Option<usize> = None;
    for i in &mut it {
        if let Some(l) = last {
            if b[l + 1..i].iter().all(|c| *c == b' ' || *c == b'\t') {
                return true;
            }
        }
        last = Some(i);
    }
    false
}

fn memchr_iter(needle: u8, hay: &[u8]) -> impl Iterator<Item = usize> + '_ {
    hay.iter().enumerate().filter(move |(_, &c)| c == needle).map(|(i, _)| i)
}

fn push_trimmed(text: &str, start: usize, end: usize, out: &mut Vec<ByteSpan>) {
    let s = &text[start..end];
    let t = s.trim();
    if !t.is_empty() {
        let lead = s.len() - s.trim_start().len();
        out.push(ByteSpan::new(start + lead, start + lead + t.len()));
    }
}

fn is_terminal(c: char) -> bool {
    matches!(c, '.' | '!' | '?' | '…')
}

fn is_opening_mark(c: char) -> bool {
    matches!(c, '«' | '“' | '„' | '"' | '‘' | '”' | '(' | '[' | '-' | '–' | '—' | '•' | '¿' | '¡')
}

/// Sentence segmentation of one text, given its paragraphs and the byte positions of its
/// closing quote marks (sorted). Returns `(span, paragraph index)` pairs.
pub fn sentences(text: &str, paras: &[ByteSpan], closers: &[usize], res: &Resources) -> Vec<(ByteSpan, usize)> {
    let mut out: Vec<(ByteSpan, usize)> = Vec::new();
    let is_closer = |pos: usize, c: char| matches!(c, ')' | ']') || closers.binary_search(&pos).is_ok();
    for (pi, para) in paras.iter().enumerate() {
        let ptext = &text[para.start..para.end];
        let chars: Vec<(usize, char)> = ptext.char_indices().map(|(i, c)| (para.start + i, c)).collect();
        let n = chars.len();
        let at = |k: usize| chars.get(k).map(|&(_, c)| c);
        let pos_of = |k: usize| chars.get(k).map_or(para.end, |&(p, _)| p);
        let mut start = 0usize;
        let mut k = 0usize;
        while k < n {
            let c = chars[k].1;
            let mut cut: Option<(usize, usize)> = None; // (end char index, next start index)
            if is_terminal(c) {
                let mut j = k;
                while j < n && is_terminal(chars[j].1) {
                    j += 1;
                }
                // Closing marks and brackets after the punctuation belong to the sentence,
                // even after a space (French `fin. »`).
                let mut e = j;
                loop {
                    let mut m = e;
                    while m < n && matches!(chars[m].1, ' ' | '\t') {
                        m += 1;
                    }
                    if m < n && is_closer(chars[m].0, chars[m].1) {
                        e = m + 1;
                    } else {
                        break;
                    }
                }
                let mut m = e;
                while m < n && chars[m].1.is_whitespace() {
                    m += 1;
                }
                if m < n && ends_sentence(&chars, k, j, e, m, res) {
                    cut = Some((e, m));
                } else {
                    k = e.max(k + 1);
                    continue;
                }
            } else if is_closer(chars[k].0, c)
                && k > 0
                && at(k - 1).is_some_and(char::is_lowercase)
                && at(k + 1).is_some_and(char::is_uppercase)
                && at(k + 2).is_some_and(char::is_lowercase)
            {
                cut = Some((k + 1, k + 1)); // `sincère”Alors`
            } else if c == '\n' {
                // A line break inside a paragraph ends a sentence after final punctuation, a
                // colon, a dash or a closing mark, or before a list item.
                let mut b = k;
                while b > start && chars[b - 1].1.is_whitespace() {
                    b -= 1;
                }
                let mut m = k;
                while m < n && chars[m].1.is_whitespace() {
                    m += 1;
                }
                let before = if b > start { Some(chars[b - 1]) } else { None };
                let ends = before.is_some_and(|(p, ch)| {
                    is_terminal(ch) || matches!(ch, ':' | ';' | '-' | '–' | '—') || is_closer(p, ch)
                });
                if m < n && (ends || matches!(chars[m].1, '-' | '–' | '—' | '•' | '*')) {
                    cut = Some((b, m));
                }
            }
            if let Some((e, next)) = cut {
                push_sentence(text, pos_of(start), pos_of(e), pi, &mut out);
                start = next;
                k = next;
            } else {
                k += 1;
            }
        }
        push_sentence(text, pos_of(start), para.end, pi, &mut out);
    }
    out
}

fn push_sentence(text: &str, start: usize, end: usize, para: usize, out: &mut Vec<(ByteSpan, usize)>) {
    let s = &text[start..end.max(start)];
    let t = s.trim();
    if t.is_empty() {
        return;
    }
    let lead = s.len() - s.trim_start().len();
    let span = ByteSpan::new(start + lead, start + lead + t.len());
    // A fragment without a letter or digit (a lone dash) joins the previous sentence.
    if !t.chars().any(char::is_alphanumeric) {
        if let Some(last) = out.last_mut().filter(|(_, p)| *p == para) {
            last.0.end = span.end;
            return;
        }
    }
    if let Some(last) = out.last().filter(|(s, p)| *p == para && !text[s.start..s.end].chars().any(char::is_alphanumeric)) {
        let merged = ByteSpan::new(last.0.start, span.end);
        out.pop();
        out.push((merged, para));
        return;
    }
    out.push((span, para));
}

/// Decides whether the punctuation `chars[k..j]`, followed by closers up to `e` and the next
/// non-space character at `m`, ends a sentence.
fn ends_sentence(chars: &[(usize, char)], k: usize, j: usize, e: usize, m: usize, res: &Resources) -> bool {
    let next = chars[m].1;
    let spaced = m > e;
    let after_next = chars.get(m + 1).map(|&(_, c)| c);
    let single_stop = j == k + 1 && chars[k].1 == '.';
    if single_stop && e == j {
        let word = word_before(chars, k);
        let next_word = word_after(chars, m);
        if is_abbreviation(&word, next, &next_word, res) {
            return false;
        }
        if !spaced {
            // Missing space: `jeudi.Le`, but not `M.Macron`, `3.5`, `U.S.`, `site.Fr`.
            let letters = word.chars().filter(|c| c.is_alphanumeric()).count();
            return next.is_uppercase()
                && letters >= 2
                && !word.contains('.')
                && after_next.is_some_and(|c| c.is_lowercase() || c == '\'')
                && !looks_like_domain(&next_word);
        }
    }
    if !spaced {
        // `vraiment?Le`, `fin.”Le`
        return (e > j || !single_stop) && next.is_uppercase() && after_next.is_some_and(|c| c.is_lowercase() || c == '\'');
    }
    next.is_uppercase() || next.is_ascii_digit() || is_opening_mark(next)
}

/// The token before position `k`: back to a space or an opening bracket or quote.
fn word_before(chars: &[(usize, char)], k: usize) -> String {
    let mut b = k;
    while b > 0 {
        let c = chars[b - 1].1;
        if c.is_whitespace() || matches!(c, '(' | '[' | '«' | '“' | '"' | '\'' | '‘' | '”' | '/' | '»') {
            break;
        }
        b -= 1;
    }
    chars[b..k].iter().map(|&(_, c)| c).collect()
}

fn word_after(chars: &[(usize, char)], m: usize) -> String {
    chars[m..].iter().map(|&(_, c)| c).take_while(|c| !c.is_whitespace()).collect()
}

fn looks_like_domain(word: &str) -> bool {
    let w = word.trim_end_matches(['.', ',', ';', ':', ')']);
    w.split_once('.').is_some_and(|(_, tld)| tld.len() >= 2 && tld.chars().all(|c| c.is_ascii_lowercase() || c == '.'))
}

fn is_abbreviation(word: &str, next: char, next_word: &str, res: &Resources) -> bool {
    let word = word.trim_start_matches(|c: char| !c.is_alphanumeric());
    if word.is_empty() {
        return false;
    }
    if res.abbreviations.contains(word, next.is_ascii_digit()) {
        return true;
    }
    let mut letters = word.chars().filter(|c| c.is_alphabetic());
    let count = word.chars().count();
    // An initial: `J.`, `W.` in `George W. Bush`.
    if count == 1 && letters.next().is_some_and(char::is_uppercase) {
        return true;
    }
    // Digits on both sides: `3.5`, `1.000` (only without a space, handled by the caller).
    // A dotted acronym: `U.S`, `O.N.U`, `e.g`.
    if word.contains('.') && word.split('.').all(|p| !p.is_empty() && p.chars().count() <= 2 && p.chars().all(char::is_alphabetic)) {
        let starter = next_word.trim_end_matches(|c: char| !c.is_alphanumeric() && c != '\'');
        return !res.sentence_starters.contains(starter)
            && !res.sentence_starters.contains(starter.split('\'').next().unwrap_or(""));
    }
    false
}
