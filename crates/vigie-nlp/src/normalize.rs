//! Unicode normalisation that keeps offsets into the original text.
//!
//! The analysis layers read a normalised copy of the text: NFC, typographic apostrophes as
//! `'`, every kind of non-breaking or thin space as ` `, non-breaking hyphens as `-`,
//! `\r\n` as `\n`, invisible characters (soft hyphen, zero-width space, word joiner, BOM)
//! dropped and other control characters as spaces. Quote marks are kept as written: the
//! quote-mark layer needs their direction. An offset map leads back from every byte of the
//! copy to the original, so every span the pipeline reports points at the original text.

use std::borrow::Cow;
use unicode_normalization::char::canonical_combining_class;
use unicode_normalization::{is_nfc_quick, IsNormalized, UnicodeNormalization};
use vigie_core::ByteSpan;

/// A normalised view of a text.
#[derive(Debug, Clone)]
pub struct Normalized<'a> {
    /// The normalised text.
    pub text: Cow<'a, str>,
    /// For each byte of `text` (and its end), the byte offset in the original; `None` when
    /// the text was unchanged.
    map: Option<Vec<u32>>,
    /// Number of original characters replaced, dropped or composed.
    pub changed: usize,
}

enum Action {
    Keep,
    Replace(char),
    Drop,
}

#[inline]
fn action(c: char, next: Option<char>) -> Action {
    match c {
        '\u{00A0}' | '\u{202F}' | '\u{2000}'..='\u{200A}' | '\u{205F}' | '\u{3000}' => {
            Action::Replace(' ')
        }
        '\u{2019}' | '\u{02BC}' => Action::Replace('\''),
        '\u{2010}' | '\u{2011}' => Action::Replace('-'),
        '\u{00AD}' | '\u{200B}' | '\u{2060}' | '\u{FEFF}' => Action::Drop,
        '\u{2028}' | '\u{2029}' | '\u{0085}' => Action::Replace('\n'),
        '\r' if next == Some('\n') => Action::Drop,
        '\r' => Action::Replace('\n'),
        '\t' | '\n' => Action::Keep,
        c if c.is_control() => Action::Replace(' '),
        _ => Action::Keep,
    }
}

impl<'a> Normalized<'a> {
    /// Original byte offset of a byte offset of the normalised text.
    #[inline]
    pub fn to_original(&self, pos: usize) -> usize {
        match &self.map {
            None => pos,
            Some(m) => m[pos.min(m.len() - 1)] as usize,
        }
    }

    /// Byte offset in the normalised text of an original byte offset (the first normalised
    /// byte at or after it).
    pub fn from_original(&self, pos: usize) -> usize {
        match &self.map {
            None => pos,
            Some(m) => m.partition_point(|&o| (o as usize) < pos),
        }
    }

    /// Maps a span of the normalised text to the original text.
    pub fn span_to_original(&self, s: ByteSpan) -> ByteSpan {
        ByteSpan::new(self.to_original(s.start), self.to_original(s.end))
    }

    /// True when normalisation changed nothing.
    pub fn is_identity(&self) -> bool {
        self.map.is_none()
    }
}

/// One fast pass: does any character need an action, and could the text be other than NFC?
/// Characters below U+0300 are NFC starters, as are the punctuation and currency blocks.
fn scan(text: &str) -> (bool, bool) {
    let bytes = text.as_bytes();
    let (mut act, mut nfc_check) = (false, false);
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b < 0x80 {
            act |= (b < 0x20 && b != b'\n' && b != b'\t') || b == 0x7f;
            i += 1;
            continue;
        }
        let c = text[i..].chars().next().unwrap_or(' ');
        act |= !matches!(action(c, None), Action::Keep);
        nfc_check |=
            c >= '\u{300}' && !matches!(c, '\u{2002}'..='\u{206F}' | '\u{20A0}'..='\u{20CF}');
        i += c.len_utf8();
    }
    (act, nfc_check)
}

/// Normalises `text` (see the module documentation).
pub fn normalize(text: &str) -> Normalized<'_> {
    let (needs_action, maybe_not_nfc) = scan(text);
    let nfc = !maybe_not_nfc || is_nfc_quick(text.chars()) == IsNormalized::Yes;
    if nfc && !needs_action {
        return Normalized {
            text: Cow::Borrowed(text),
            map: None,
            changed: 0,
        };
    }
    let mut out = String::with_capacity(text.len());
    let mut map: Vec<u32> = Vec::with_capacity(text.len() + 1);
    let mut changed = 0;
    let mut iter = text.char_indices().peekable();
    let mut run = String::new();
    while let Some((i, c)) = iter.next() {
        let next = iter.peek().map(|&(_, n)| n);
        if !nfc
            && canonical_combining_class(c) == 0
            && next.is_some_and(|n| canonical_combining_class(n) != 0)
        {
            // A starter followed by combining marks: compose the run.
            run.clear();
            run.push(c);
            let mut end = i + c.len_utf8();
            while let Some(&(j, n)) = iter.peek() {
                if canonical_combining_class(n) == 0 {
                    break;
                }
                run.push(n);
                end = j + n.len_utf8();
                iter.next();
            }
            let before = out.len();
            out.extend(run.nfc());
            if out.len() - before != end - i || out[before..] != run[..] {
                changed += 1;
            }
            map.extend(std::iter::repeat_n(i as u32, out.len() - before));
            continue;
        }
        match action(c, next) {
            Action::Keep => {
                out.push(c);
                map.extend(i as u32..(i + c.len_utf8()) as u32);
            }
            Action::Replace(r) => {
                changed += 1;
                out.push(r);
                map.extend(std::iter::repeat_n(i as u32, r.len_utf8()));
            }
            Action::Drop => changed += 1,
        }
    }
    map.push(text.len() as u32);
    if changed == 0 {
        return Normalized {
            text: Cow::Borrowed(text),
            map: None,
            changed: 0,
        };
    }
    Normalized {
        text: Cow::Owned(out),
        map: Some(map),
        changed,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn apostrophes_spaces_and_invisibles() {
        let t = "l’officier\u{00A0}: «\u{202F}oui\u{202F}»\u{00AD}.\r\nFin";
        let n = normalize(t);
        assert_eq!(n.text, "l'officier : « oui ».\nFin");
        // Every span maps back to the same words in the original.
        let p = n.text.find("oui").unwrap();
        let s = n.span_to_original(ByteSpan::new(p, p + 3));
        assert_eq!(&t[s.start..s.end], "oui");
        let p = n.text.find("Fin").unwrap();
        assert_eq!(&t[n.to_original(p)..], "Fin");
        assert_eq!(n.to_original(n.text.len()), t.len());
    }

    #[test]
    fn composes_combining_marks() {
        let t = "Be\u{301}ne\u{301}dicte a dit";
        let n = normalize(t);
        assert_eq!(n.text, "Bénédicte a dit");
        let p = n.text.find("a dit").unwrap();
        assert_eq!(&t[n.to_original(p)..], "a dit");
    }

    #[test]
    fn plain_text_is_borrowed() {
        assert!(normalize("Le ministre a déclaré « oui ».").is_identity());
        assert!(normalize("").is_identity());
    }
}
