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
        let is_break = if blank_lines {
            line.trim().is_empty()
        } else {
            true
        };
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
    let mut last: Option<usize> = None;
    for i in b
        .iter()
        .enumerate()
        .filter(|(_, &c)| c == b'\n')
        .map(|(i, _)| i)
    {
        if let Some(l) = last {
            if b[l + 1..i].iter().all(|c| *c == b' ' || *c == b'\t') {
                return true;
            }
        }
        last = Some(i);
    }
    false
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
    matches!(
        c,
        '«' | '“' | '„' | '"' | '‘' | '”' | '(' | '[' | '-' | '–' | '—' | '•' | '¿' | '¡'
    )
}

#[inline]
fn char_at(text: &str, i: usize) -> char {
    text[i..].chars().next().unwrap_or('\0')
}

#[inline]
fn char_before(text: &str, i: usize, floor: usize) -> Option<char> {
    if i <= floor {
        None
    } else {
        text[..i].chars().next_back()
    }
}

/// Could this byte start a character the sentence scanner looks at?
#[inline]
fn interesting(b: u8) -> bool {
    matches!(
        b,
        b'.' | b'!' | b'?' | b'\n' | b'"' | b'\'' | b')' | b']' | b'-'
    ) || b >= 0xC2
}

/// Byte positions of the quote marks that open and close quotes (each sorted).
#[derive(Debug, Clone, Default)]
pub struct MarkRoles {
    /// Opening marks.
    pub openers: Vec<usize>,
    /// Closing marks.
    pub closers: Vec<usize>,
}

/// Sentence segmentation of one text, given its paragraphs and the roles of its quote marks.
/// Returns `(span, paragraph index)` pairs.
pub fn sentences(
    text: &str,
    paras: &[ByteSpan],
    marks: &MarkRoles,
    res: &Resources,
) -> Vec<(ByteSpan, usize)> {
    let mut out: Vec<(ByteSpan, usize)> = Vec::new();
    let bytes = text.as_bytes();
    let is_closer =
        |pos: usize, c: char| matches!(c, ')' | ']') || marks.closers.binary_search(&pos).is_ok();
    let is_opener = |pos: usize| marks.openers.binary_search(&pos).is_ok();
    for (pi, para) in paras.iter().enumerate() {
        let (pstart, end) = (para.start, para.end);
        let skip = |mut m: usize, pred: fn(char) -> bool| {
            while m < end && pred(char_at(text, m)) {
                m += char_at(text, m).len_utf8();
            }
            m
        };
        let mut start = pstart;
        let mut i = pstart;
        while i < end {
            if !interesting(bytes[i]) {
                i += 1;
                continue;
            }
            let c = char_at(text, i);
            let clen = c.len_utf8();
            let mut cut: Option<(usize, usize)> = None; // (end of sentence, start of the next)
            if is_terminal(c) {
                let j = skip(i, is_terminal);
                // Closing marks and brackets after the punctuation belong to the sentence,
                // even after a space (French `fin. »`).
                let mut e = j;
                loop {
                    let m = skip(e, |c| c == ' ' || c == '\t');
                    if m < end && is_closer(m, char_at(text, m)) {
                        e = m + char_at(text, m).len_utf8();
                    } else {
                        break;
                    }
                }
                let m = skip(e, char::is_whitespace);
                if m < end
                    && (ends_sentence(text, pstart, end, i, j, e, m, res)
                        || glued_quote(text, e, m, end, &is_opener))
                {
                    cut = Some((e, m));
                } else {
                    i = e.max(i + clen);
                    continue;
                }
            } else if is_closer(i, c)
                && char_before(text, i, pstart).is_some_and(char::is_lowercase)
                && i + clen < end
                && char_at(text, i + clen).is_uppercase()
                && text[i + clen..]
                    .chars()
                    .nth(1)
                    .is_some_and(char::is_lowercase)
            {
                cut = Some((i + clen, i + clen)); // `sincère”Alors`
            } else if is_opener(i)
                && char_before(text, i, pstart).is_some_and(char::is_lowercase)
                && i + clen < end
                && char_at(text, i + clen).is_uppercase()
                && text[i + clen..end]
                    .chars()
                    .nth(1)
                    .is_some_and(|c| c.is_lowercase() || c == '\'')
            {
                cut = Some((i, i)); // a heading glued to a quote: `L'armée dément"C'est faux"`
            } else if c == '-'
                && char_before(text, i, pstart).is_some_and(char::is_whitespace)
                && i + 1 < end
                && char_at(text, i + 1).is_uppercase()
                && text[i + 1..end]
                    .chars()
                    .nth(1)
                    .is_some_and(|c| c.is_lowercase() || c == '\'')
            {
                cut = Some((i + 1, i + 1)); // the dash closing a heading: `- "Triomphal" -Autant`
            } else if c == '\n' {
                // A line break inside a paragraph ends a sentence after final punctuation, a
                // colon, a dash or a closing mark, or before a list item.
                let b = start + text[start..i].trim_end().len();
                let m = skip(i, char::is_whitespace);
                let ends = char_before(text, b, start).is_some_and(|ch| {
                    is_terminal(ch)
                        || matches!(ch, ':' | ';' | '-' | '–' | '—')
                        || is_closer(b - ch.len_utf8(), ch)
                });
                if m < end && (ends || matches!(char_at(text, m), '-' | '–' | '—' | '•' | '*'))
                {
                    cut = Some((b, m));
                }
            }
            if let Some((e, next)) = cut {
                push_sentence(text, start, e, pi, &mut out);
                start = next;
                // (Always forward: a cut before an opening mark starts the next sentence at it.)
                i = next.max(i + clen);
            } else {
                i += clen;
            }
        }
        push_sentence(text, start, end, pi, &mut out);
    }
    out
}

/// The longest sentence, in bytes: a longer run of text without a sentence end is cut (at its
/// last space before the cap) into sentences of at most this size. Real sentences of the
/// shared corpora stay under 2,000 characters; every scan the later layers make within a
/// sentence is bounded by it.
pub const MAX_SENTENCE: usize = 4096;

/// Cuts every sentence longer than [`MAX_SENTENCE`] bytes, at a space where there is one
/// (else at a character boundary). Returns where the cuts were made.
pub fn cap_sentences(text: &str, sentences: &mut Vec<(ByteSpan, usize)>) -> Vec<ByteSpan> {
    if sentences
        .iter()
        .all(|(s, _)| s.end - s.start <= MAX_SENTENCE)
    {
        return Vec::new();
    }
    let mut cuts = Vec::new();
    let mut out = Vec::with_capacity(sentences.len());
    for &(s, para) in sentences.iter() {
        let mut start = s.start;
        while s.end - start > MAX_SENTENCE {
            let mut limit = start + MAX_SENTENCE;
            while !text.is_char_boundary(limit) {
                limit -= 1;
            }
            let window = &text[start..limit];
            let end = match window.rfind(char::is_whitespace) {
                // (Before every space of the run: the sentence ends on its last word.)
                Some(k) if !window[..k].trim_end().is_empty() => {
                    start + window[..k].trim_end().len()
                }
                _ => limit,
            };
            out.push((ByteSpan::new(start, end), para));
            cuts.push(ByteSpan::new(end, end));
            start = end + text[end..s.end].len() - text[end..s.end].trim_start().len();
        }
        if start < s.end {
            out.push((ByteSpan::new(start, s.end), para));
        }
    }
    *sentences = out;
    cuts
}

fn push_sentence(
    text: &str,
    start: usize,
    end: usize,
    para: usize,
    out: &mut Vec<(ByteSpan, usize)>,
) {
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
    if let Some(last) = out
        .last()
        .filter(|(s, p)| *p == para && !text[s.start..s.end].chars().any(char::is_alphanumeric))
    {
        let merged = ByteSpan::new(last.0.start, span.end);
        out.pop();
        out.push((merged, para));
        return;
    }
    out.push((span, para));
}

/// Decides whether the punctuation `text[k..j]`, followed by closers up to `e` and the next
/// non-space character at `m`, ends a sentence (`pstart..end` is the paragraph).
#[allow(clippy::too_many_arguments)]
fn ends_sentence(
    text: &str,
    pstart: usize,
    end: usize,
    k: usize,
    j: usize,
    e: usize,
    m: usize,
    res: &Resources,
) -> bool {
    let next = char_at(text, m);
    let spaced = m > e;
    let after_next = text[m..end].chars().nth(1);
    let single_stop = j == k + 1 && text.as_bytes()[k] == b'.';
    if single_stop && e == j {
        let mut word = word_before(text, pstart, k);
        // `gouvernement.M. Delevoye`: the word before this stop is `M` (the sentence before
        // ended at the first stop).
        if let Some(p) = word.rfind('.') {
            let (left, right) = (&word[..p], &word[p + 1..]);
            if left.chars().filter(|c| c.is_alphabetic()).count() >= 3
                && left.ends_with(char::is_lowercase)
                && right.starts_with(char::is_uppercase)
            {
                word = right;
            }
        }
        let next_word = word_after(text, m, end);
        if is_abbreviation(word, next, next_word, res) {
            return false;
        }
        if !spaced {
            if matches!(next, '-' | '–' | '—') && after_next.is_some_and(char::is_whitespace) {
                return true; // a heading follows: `international.- "Triomphal" -`
            }
            // Missing space: `jeudi.Le`, `élevé".S'il`, but not `M.Macron`, `3.5`, `U.S.`,
            // `site.Fr`.
            let letters = word.chars().filter(|c| c.is_alphanumeric()).count();
            let after_mark = char_before(text, k, pstart)
                .is_some_and(|c| matches!(c, '"' | '»' | '”' | '\'' | ')'));
            return next.is_uppercase()
                && (letters >= 2 || after_mark)
                && !word.contains('.')
                && (after_next.is_some_and(|c| c.is_lowercase() || c == '\'')
                    // `Jdanov.M. Peskov`: a title abbreviation after a long lower-case word.
                    || (after_next == Some('.')
                        && letters >= 3
                        && word.ends_with(char::is_lowercase)))
                && !looks_like_domain(next_word);
        }
    }
    if !spaced {
        // `vraiment?Le`, `fin.”Le`
        return (e > j || !single_stop)
            && next.is_uppercase()
            && after_next.is_some_and(|c| c.is_lowercase() || c == '\'');
    }
    // (Two straight apostrophes open a quote in LDC / New York Times text: `said. ''They`.)
    next.is_uppercase()
        || next.is_ascii_digit()
        || is_opening_mark(next)
        || (next == '\'' && after_next == Some('\''))
}

/// A sentence glued to the next one by an opening quote: `syndicat."Le montant`.
fn glued_quote(
    text: &str,
    e: usize,
    m: usize,
    end: usize,
    is_opener: &dyn Fn(usize) -> bool,
) -> bool {
    e == m && is_opener(m) && {
        let mut rest = text[m..end].chars().skip(1);
        rest.next().is_some_and(char::is_uppercase)
            && rest.next().is_some_and(|c| c.is_lowercase() || c == '\'')
    }
}

/// How far [`word_before`] and [`word_after`] look for the edge of a word, in bytes: no
/// abbreviation, initial or acronym is longer, and a bounded look keeps the splitter linear on
/// text without spaces (`M.M.M.…`, a 1 MB run of digits).
const WORD_SCAN: usize = 64;

/// The largest char boundary of `text` at or below `i`.
fn floor_boundary(text: &str, mut i: usize) -> usize {
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// The token before byte `k`: back to a space or an opening bracket or quote, at most
/// [`WORD_SCAN`] bytes (a longer token is cut to its end).
fn word_before(text: &str, floor: usize, k: usize) -> &str {
    let from = floor_boundary(text, k.saturating_sub(WORD_SCAN).max(floor));
    let head = &text[from..k];
    let b = head
        .char_indices()
        .rev()
        .find(|&(_, c)| {
            c.is_whitespace()
                || matches!(
                    c,
                    '(' | '[' | '«' | '“' | '"' | '\'' | '‘' | '”' | '/' | '»'
                )
        })
        .map_or(0, |(i, c)| i + c.len_utf8());
    &head[b..]
}

/// The token from byte `m` to the next space, at most [`WORD_SCAN`] bytes.
fn word_after(text: &str, m: usize, end: usize) -> &str {
    let tail = &text[m..floor_boundary(text, end.min(m + WORD_SCAN))];
    &tail[..tail.find(char::is_whitespace).unwrap_or(tail.len())]
}
fn looks_like_domain(word: &str) -> bool {
    let w = word.trim_end_matches(['.', ',', ';', ':', ')']);
    w.split_once('.').is_some_and(|(_, tld)| {
        tld.len() >= 2 && tld.chars().all(|c| c.is_ascii_lowercase() || c == '.')
    })
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
    if word.contains('.')
        && word
            .split('.')
            .all(|p| !p.is_empty() && p.chars().count() <= 2 && p.chars().all(char::is_alphabetic))
    {
        let starter = next_word.trim_end_matches(|c: char| !c.is_alphanumeric() && c != '\'');
        return !res.sentence_starters.contains(starter)
            && !res
                .sentence_starters
                .contains(starter.split('\'').next().unwrap_or(""));
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sentences_past_the_cap_are_cut_at_a_space() {
        let text = "mot ".repeat(3000);
        let mut s = vec![(ByteSpan::new(0, text.trim_end().len()), 0)];
        let cuts = cap_sentences(&text, &mut s);
        assert_eq!(cuts.len(), 2);
        assert!(s.iter().all(|(x, _)| x.end - x.start <= MAX_SENTENCE));
        assert!(s
            .iter()
            .all(|(x, _)| !text[x.start..x.end].starts_with(' ')));
        assert!(s.iter().all(|(x, _)| text[x.start..x.end].ends_with("mot")));
        let long = "é".repeat(5000);
        let mut s = vec![(ByteSpan::new(0, long.len()), 0)];
        cap_sentences(&long, &mut s);
        assert!(s
            .iter()
            .all(|(x, _)| long.is_char_boundary(x.start) && long.is_char_boundary(x.end)));
        assert_eq!(
            s.iter().map(|(x, _)| x.end - x.start).sum::<usize>(),
            long.len()
        );
    }
    use crate::{Options, Pipeline};
    use vigie_core::{Document, Meta, Origin};

    fn sents(text: &str) -> Vec<String> {
        let p = Pipeline::new(Resources::embedded(), Options::default());
        let doc = Document {
            id: "t".into(),
            text: text.into(),
            meta: Meta::default(),
            origin: Origin::default(),
        };
        let a = p.analyze(&doc);
        let chars: Vec<char> = text.chars().collect();
        a.sentences
            .iter()
            .map(|s| chars[s.start..s.end].iter().collect())
            .collect()
    }

    #[test]
    fn missing_space_after_full_stop() {
        assert_eq!(
            sents("dans la nuit de mercredi à jeudi.Le gouvernement avait déjà annoncé."),
            [
                "dans la nuit de mercredi à jeudi.",
                "Le gouvernement avait déjà annoncé."
            ]
        );
        assert_eq!(sents("en 2020.Le texte"), ["en 2020.", "Le texte"]);
        assert_eq!(
            sents("un niveau \"élevé\".S'il n'y a"),
            ["un niveau \"élevé\".", "S'il n'y a"]
        );
        assert_eq!(
            sents("le directeur du Fonds, Ivan Jdanov.M. Peskov avait rejeté mardi."),
            [
                "le directeur du Fonds, Ivan Jdanov.",
                "M. Peskov avait rejeté mardi."
            ]
        );
        // Domain names and abbreviations glued to a capital stay whole.
        assert_eq!(
            sents("sur le site Francetvinfo.fr et M.Macron a dit."),
            ["sur le site Francetvinfo.fr et M.Macron a dit."]
        );
    }

    #[test]
    fn abbreviations_numbers_and_acronyms() {
        assert_eq!(
            sents("M. Macron a reçu Mme Merkel. Le col. Goïta et le gén. Camara sont venus."),
            [
                "M. Macron a reçu Mme Merkel.",
                "Le col. Goïta et le gén. Camara sont venus."
            ]
        );
        assert_eq!(
            sents("Le taux est de 3.5 % et 1.000 euros. Puis 3,5 %."),
            ["Le taux est de 3.5 % et 1.000 euros.", "Puis 3,5 %."]
        );
        assert_eq!(
            sents("The U.S. President spoke. The U.S. The end."),
            ["The U.S. President spoke.", "The U.S.", "The end."]
        );
        assert_eq!(
            sents("George W. Bush and Mr. Smith met Dr. Who. Then they left."),
            [
                "George W. Bush and Mr. Smith met Dr. Who.",
                "Then they left."
            ]
        );
        assert_eq!(
            sents("Voir l'art. 3 du texte. Il a dit etc. Ensuite."),
            ["Voir l'art. 3 du texte.", "Il a dit etc.", "Ensuite."]
        );
    }

    #[test]
    fn quotes_inside_and_around_sentences() {
        assert_eq!(
            sents("« Nous resterons. Nous combattrons », a-t-il dit. Puis il est parti."),
            [
                "« Nous resterons.",
                "Nous combattrons », a-t-il dit.",
                "Puis il est parti."
            ]
        );
        assert_eq!(
            sents("« Pourquoi ? », a-t-il demandé. « Parce que ! »"),
            ["« Pourquoi ? », a-t-il demandé.", "« Parce que ! »"]
        );
        assert_eq!(
            sents("Il a dit : “C'est fini.” Le ministre est parti."),
            ["Il a dit : “C'est fini.”", "Le ministre est parti."]
        );
        assert_eq!(
            sents("Un soutien “constant et sincère”Alors qu'à la fin"),
            ["Un soutien “constant et sincère”", "Alors qu'à la fin"]
        );
        // A heading glued to the quote that opens the next paragraph.
        assert_eq!(
            sents("L'armée française dément\"C'est absolument faux\", a-t-il dit."),
            [
                "L'armée française dément",
                "\"C'est absolument faux\", a-t-il dit."
            ]
        );
        // Doubled apostrophes open a quote in LDC / New York Times text.
        assert_eq!(
            sents("Mr. Smith said. ''They are more detailed.''"),
            ["Mr. Smith said.", "''They are more detailed.''"]
        );
        assert_eq!(
            sents("a insisté le syndicat.\"Le montant est insuffisant\", a-t-il dit."),
            [
                "a insisté le syndicat.",
                "\"Le montant est insuffisant\", a-t-il dit."
            ]
        );
    }

    #[test]
    fn headings_and_lines() {
        assert_eq!(
            sents("sur le droit international.- \"Triomphal\" -Autant de mesures."),
            [
                "sur le droit international.",
                "- \"Triomphal\" -",
                "Autant de mesures."
            ]
        );
        assert_eq!(
            sents("1er janvier 2016, 14h30. –\nUn homme a foncé.\n\nIl a agi seul."),
            [
                "1er janvier 2016, 14h30. –",
                "Un homme a foncé.",
                "Il a agi seul."
            ]
        );
    }

    #[test]
    fn paragraphs_by_blank_lines_or_lines() {
        let t = "Un.\nDeux.\n\n  Trois.  \n\n\n";
        let p: Vec<&str> = paragraphs(t).iter().map(|s| &t[s.start..s.end]).collect();
        assert_eq!(p, ["Un.\nDeux.", "Trois."]);
        let t = "Un.\nDeux.\r\nTrois.";
        let p: Vec<&str> = paragraphs(t).iter().map(|s| &t[s.start..s.end]).collect();
        assert_eq!(p, ["Un.", "Deux.", "Trois."]);
        assert!(paragraphs("  \n ").is_empty());
    }
}
