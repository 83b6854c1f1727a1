//! Word tokenisation for French and English news.
//!
//! Tokens are words (letters and digits, with inner hyphens: `al-Bab`, `Saint-Étienne`),
//! numbers (`3,5`, `1.000`, `2014`), dotted acronyms (`U.S.`, `O.N.U.`) and single punctuation
//! characters. French elisions are split after the apostrophe (`l'` `armée`, `qu'` `il`), the
//! English possessive before it (`Trump` `'s`); other apostrophes stay inside the word
//! (`aujourd'hui`, `O'Brien`). Works on the normalised text, where typographic apostrophes are `'`.

use std::borrow::Cow;
use vigie_core::ByteSpan;

/// One token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    /// Bytes in the normalised text.
    pub span: ByteSpan,
    /// Index of the sentence holding it.
    pub sentence: u32,
    /// Kind of token.
    pub kind: TokenKind,
}

/// Kinds of tokens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenKind {
    /// Letters (maybe with digits, hyphens, an inner apostrophe).
    Word,
    /// Digits (maybe with `.` or `,` between digits).
    Number,
    /// Any other single character.
    Punct,
}

/// Words that elide before a vowel and stand as tokens of their own (`l'`, `qu'`, `jusqu'`).
pub(crate) const ELISIONS: &[&str] = &[
    "l", "d", "j", "m", "n", "s", "t", "c", "qu", "jusqu", "lorsqu", "puisqu", "quoiqu", "presqu",
];

/// `s` in lower case, borrowed when it already is (most words): no allocation on the hot path.
/// Uppercase characters are ASCII or start with a byte >= 0xC3 in UTF-8, a cheap pre-test.
pub fn lower(s: &str) -> Cow<'_, str> {
    if s.bytes().any(|b| b.is_ascii_uppercase() || b >= 0xC3) && s.chars().any(char::is_uppercase) {
        Cow::Owned(s.to_lowercase())
    } else {
        Cow::Borrowed(s)
    }
}

#[inline]
fn is_alnum(c: char) -> bool {
    crate::is_word_char(c)
}

/// The first and last (inclusive) tokens of a byte span: the tokens that start inside it, or
/// the one it starts in.
pub fn token_range(tokens: &[Token], s: ByteSpan) -> (usize, usize) {
    let f = tokens.partition_point(|t| t.span.start < s.start);
    let l = tokens.partition_point(|t| t.span.start < s.end).max(f + 1) - 1;
    (f, l)
}

/// Tokenises `text` sentence by sentence; `sentences` are byte spans of the normalised text.
pub fn tokenize(text: &str, sentences: &[ByteSpan]) -> Vec<Token> {
    let mut out = Vec::with_capacity(text.len() / 5);
    for (si, s) in sentences.iter().enumerate() {
        tokenize_span(text, s.start, s.end, si as u32, &mut out);
    }
    out
}

fn tokenize_span(text: &str, start: usize, end: usize, sentence: u32, out: &mut Vec<Token>) {
    let bytes = text.as_bytes();
    let mut i = start;
    let push = |out: &mut Vec<Token>, a: usize, b: usize, kind: TokenKind| {
        out.push(Token {
            span: ByteSpan::new(a, b),
            sentence,
            kind,
        });
    };
    let char_at = |i: usize| text[i..].chars().next().unwrap_or('\0');
    // The end of the word an elision was split from: the rest of that word ends there too
    // (`l'l'l'…` is scanned once, not once per elision).
    let mut word_known: Option<usize> = None;
    // The end of a run of `X.` that is no acronym (`A.B.Cd`): not scanned again from inside.
    let mut acronym_fails_until = 0;
    while i < end {
        let b = bytes[i];
        if b == b' ' || b == b'\n' || b == b'\t' {
            i += 1;
            continue;
        }
        let c = char_at(i);
        if c.is_whitespace() {
            i += c.len_utf8();
            continue;
        }
        if c.is_ascii_digit() {
            let mut j = i;
            while j < end {
                let d = bytes[j];
                if d.is_ascii_digit()
                    || (matches!(d, b'.' | b',')
                        && j + 1 < end
                        && bytes[j + 1].is_ascii_digit()
                        && j > i)
                {
                    j += 1;
                } else {
                    break;
                }
            }
            // Digits followed by letters form one word (`14h30`, `2e`, `UZ224` handled below).
            if j < end && is_alnum(char_at(j)) && !bytes[j].is_ascii_digit() {
                let k = word_end(text, j, end);
                push(out, i, k, TokenKind::Word);
                i = k;
            } else {
                push(out, i, j, TokenKind::Number);
                i = j;
            }
            continue;
        }
        if is_alnum(c) {
            // Dotted acronym: `U.S.`, `O.N.U.`
            if c.is_uppercase() && i >= acronym_fails_until {
                let mut j = i;
                let mut letters = 0;
                while j + char_at(j).len_utf8() < end
                    && char_at(j).is_uppercase()
                    && bytes.get(j + char_at(j).len_utf8()) == Some(&b'.')
                {
                    j += char_at(j).len_utf8() + 1;
                    letters += 1;
                }
                if letters >= 2 && (j >= end || !is_alnum(char_at(j))) {
                    push(out, i, j, TokenKind::Word);
                    i = j;
                    continue;
                }
                // From any later letter of this run the same scan ends at `j` the same way.
                acronym_fails_until = j;
            }
            let k = match word_known.take() {
                Some(k) if k > i => k,
                _ => word_end(text, i, end),
            };
            // An elision before a quote mark or a space keeps its apostrophe: `d'"améliorations"`.
            if k < end
                && text.as_bytes()[k] == b'\''
                && ELISIONS.iter().any(|e| e.eq_ignore_ascii_case(&text[i..k]))
            {
                push(out, i, k + 1, TokenKind::Word);
                i = k + 1;
                continue;
            }
            // An apostrophe inside: elision or possessive splits, others stay.
            let w = &text[i..k];
            if let Some(p) = w.find('\'') {
                let (head, tail) = (&w[..p], &w[p + 1..]);
                if ELISIONS.iter().any(|e| e.eq_ignore_ascii_case(head)) {
                    push(out, i, i + p + 1, TokenKind::Word);
                    i += p + 1;
                    word_known = Some(k);
                    continue;
                }
                if tail.eq_ignore_ascii_case("s") || tail.is_empty() {
                    push(out, i, i + p, TokenKind::Word);
                    push(out, i + p, k, TokenKind::Word);
                    i = k;
                    continue;
                }
            }
            push(out, i, k, TokenKind::Word);
            i = k;
            continue;
        }
        push(out, i, i + c.len_utf8(), TokenKind::Punct);
        i += c.len_utf8();
    }
}

/// End of a word starting at `i`: letters and digits, joined by single inner hyphens or
/// apostrophes.
fn word_end(text: &str, i: usize, end: usize) -> usize {
    let bytes = text.as_bytes();
    let mut j = i;
    loop {
        while j < end {
            let c = text[j..].chars().next().unwrap_or(' ');
            if is_alnum(c) {
                j += c.len_utf8();
            } else {
                break;
            }
        }
        if j + 1 < end && matches!(bytes[j], b'-' | b'\'') {
            let next = text[j + 1..].chars().next().unwrap_or(' ');
            if is_alnum(next) {
                j += 1;
                continue;
            }
        }
        return j;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toks(t: &str) -> Vec<&str> {
        tokenize(t, &[ByteSpan::new(0, t.len())])
            .iter()
            .map(|k| &t[k.span.start..k.span.end])
            .collect()
    }

    #[test]
    fn french_and_english_tokens() {
        assert_eq!(
            toks("l'armée d'al-Bab, aujourd'hui."),
            ["l'", "armée", "d'", "al-Bab", ",", "aujourd'hui", "."]
        );
        assert_eq!(
            toks("d'\"améliorations\""),
            ["d'", "\"", "améliorations", "\""]
        );
        assert_eq!(
            toks("Qu'il vienne à Saint-Étienne"),
            ["Qu'", "il", "vienne", "à", "Saint-Étienne"]
        );
        assert_eq!(
            toks("Trump's U.S. policy costs 1.000,5 $ at 14h30"),
            ["Trump", "'s", "U.S.", "policy", "costs", "1.000,5", "$", "at", "14h30"]
        );
        assert_eq!(
            toks("souligne-t-il « oui »"),
            ["souligne-t-il", "«", "oui", "»"]
        );
        assert_eq!(toks("2014 UZ224"), ["2014", "UZ224"]);
    }
}
