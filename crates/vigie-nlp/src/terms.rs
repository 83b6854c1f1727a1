//! Lemma- and accent-insensitive term matching: many words and phrases, one pass.
//!
//! Every word is reduced to a *key*: lower-cased, stemmed with the Snowball stemmer of the
//! document's language, then stripped of accents (`souverainetés` → `souverainet`,
//! `Sincère` → `sincer`). A term (`partenaire stratégique`, `souverain*`) is the sequence of the
//! keys of its words; a final `*` matches any word whose key starts with the key of the prefix
//! (`souverain*` finds `souveraineté`, `manipulation*` finds `manipulations`). All terms of all patterns are compiled into one Aho-Corasick automaton over
//! the document's key stream, so the cost of a search grows with the text, not with the number
//! of terms (see [`TermSet`]).

use crate::tokenize::{Token, TokenKind};
use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};
use rust_stemmers::{Algorithm, Stemmer};
use unicode_normalization::UnicodeNormalization;

/// Lower-cases and strips the accents of `s` (`Stratégique` → `strategique`).
pub fn fold(s: &str) -> String {
    let lower = s.to_lowercase();
    if lower.is_ascii() {
        return lower;
    }
    lower
        .nfd()
        .filter(|c| !unicode_normalization::char::is_combining_mark(*c))
        .map(|c| if c == '’' { '\'' } else { c })
        .collect()
}

/// The stemmers of the supported languages.
pub struct Stemmers {
    fr: Stemmer,
    en: Stemmer,
}

impl std::fmt::Debug for Stemmers {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Stemmers")
    }
}

impl Clone for Stemmers {
    fn clone(&self) -> Self {
        Stemmers::default()
    }
}

impl Default for Stemmers {
    fn default() -> Self {
        Stemmers {
            fr: Stemmer::create(Algorithm::French),
            en: Stemmer::create(Algorithm::English),
        }
    }
}

impl Stemmers {
    /// The key of one word in `lang` (`fr`, `en`; other languages are only folded).
    pub fn key(&self, word: &str, lang: &str) -> String {
        let lower = word.to_lowercase();
        // Elided articles and pronouns stay whole (`l'`, `d'`), like their full forms.
        let stemmed = match lang {
            "fr" => self.fr.stem(&lower),
            "en" => self.en.stem(&lower),
            _ => std::borrow::Cow::Borrowed(lower.as_str()),
        };
        fold(&stemmed)
    }
}

/// Splits a term into words the way the tokenizer splits text (letters, digits, inner
/// apostrophes and hyphens; an elided `l'` is a word of its own).
pub fn term_words(term: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut cur = String::new();
    for c in term.chars() {
        if c.is_alphanumeric() || c == '-' || c == '*' {
            cur.push(c);
        } else if c == '\'' || c == '’' {
            cur.push('\'');
            // A French elision is a word of its own (`l'`, `qu'`), as the tokenizer has it;
            // other apostrophes stay inside their word (`aujourd'hui`, `isn't`).
            let stem = cur.trim_end_matches('\'').to_lowercase();
            if crate::tokenize::ELISIONS.contains(&stem.as_str()) {
                words.push(std::mem::take(&mut cur));
            }
        } else if !cur.is_empty() {
            words.push(std::mem::take(&mut cur));
        }
    }
    if !cur.is_empty() {
        words.push(cur);
    }
    words.retain(|w| !w.is_empty());
    words
}

/// A character lower-cased and without its accent, when that is one ASCII byte (`É` → `e`).
fn fold_byte(c: char) -> Option<u8> {
    if c.is_ascii() {
        return Some(c.to_ascii_lowercase() as u8);
    }
    let l = c.to_lowercase().next()?;
    let base = std::iter::once(l).nfd().next()?;
    base.is_ascii().then_some(base as u8)
}

/// The first `n` (≤ 3) folded characters of `w` packed in a `u32` with their count, and
/// whether `w` has more than `n` characters; `None` when one of them does not fold to ASCII.
fn packed(w: &str, n: usize) -> Option<(u32, bool)> {
    let mut chars = w.chars();
    let mut key = 0u32;
    let mut k = 0;
    while k < n {
        let Some(c) = chars.next() else {
            break;
        };
        key |= u32::from(fold_byte(c)?) << (8 * k);
        k += 1;
    }
    Some((key | ((k as u32) << 24), chars.next().is_some()))
}

/// Which words can be part of some term. A key starts like its word (a stem is the word up to
/// its last letters), so a word of four letters or more whose first three letters begin no
/// term word needs no key, and a shorter word needs one only when it, or it without its last
/// letter (`ces` → `ce`), is a term word. Most words of a text are skipped this way, with two
/// small integer-set look-ups, before any look-up of their stem.
#[derive(Debug, Clone, Default)]
pub struct KeyFilter {
    /// First three letters of the term words (and of their keys) of three letters or more.
    long: rustc_hash::FxHashSet<u32>,
    /// Term words (and their keys) of three letters or less.
    short: rustc_hash::FxHashSet<u32>,
    /// Some term word does not fold to ASCII: no filtering.
    off: bool,
}

impl KeyFilter {
    /// The filter of the words of these term sets.
    pub fn new<'a>(sets: impl IntoIterator<Item = &'a TermSet>) -> Self {
        let mut f = KeyFilter::default();
        for set in sets {
            for w in &set.words {
                match packed(w, 3) {
                    Some((p, true)) => {
                        f.long.insert(p);
                    }
                    Some((p, false)) => {
                        f.short.insert(p);
                        if w.chars().count() == 3 {
                            f.long.insert(p);
                        }
                    }
                    None => f.off = true,
                }
            }
        }
        f
    }

    /// Whether `word` may be part of a term.
    fn admits(&self, word: &str) -> bool {
        if self.off {
            return true;
        }
        let Some((p, more)) = packed(word, 3) else {
            return true;
        };
        if more {
            return self.long.contains(&p);
        }
        let n = (p >> 24) as usize;
        let shorter = (p & ((1 << (8 * (n.max(1) - 1))) - 1)) | (((n.max(1) - 1) as u32) << 24);
        self.short.contains(&p) || (n > 1 && self.short.contains(&shorter))
    }
}

/// Most forms a thread keeps the key of (then it starts again).
const KEY_CACHE_MAX: usize = 200_000;

thread_local! {
    /// Per language (`fr`, `en`, other): word as written → key, per thread.
    static KEY_CACHE: std::cell::RefCell<[rustc_hash::FxHashMap<String, String>; 3]> =
        std::cell::RefCell::new(Default::default());
}

/// A document's words as keys, in one string (`" key key key "`), with the token of each.
#[derive(Debug, Clone, Default)]
pub struct KeyStream {
    /// `" k1 k2 … "`: every key between single spaces.
    pub text: String,
    /// Byte offset in `text` where the key of each entry starts, and its token index.
    pub starts: Vec<(usize, usize)>,
}

impl KeyStream {
    /// The keys of the word tokens of a text; words the filter rules out get the key `~`, which
    /// no term has.
    pub fn new(
        stem: &Stemmers,
        filter: &KeyFilter,
        text: &str,
        tokens: &[Token],
        lang: &str,
    ) -> Self {
        let mut s = KeyStream {
            text: String::with_capacity(text.len() + 2),
            starts: Vec::with_capacity(tokens.len()),
        };
        s.text.push(' ');
        KEY_CACHE.with(|cache| {
            let mut caches = cache.borrow_mut();
            let cache = &mut caches[match lang {
                "fr" => 0,
                "en" => 1,
                _ => 2,
            }];
            if cache.len() > KEY_CACHE_MAX {
                cache.clear();
            }
            let fr = lang == "fr";
            for (i, t) in tokens.iter().enumerate() {
                if t.kind != TokenKind::Word {
                    continue;
                }
                let w = &text[t.span.start..t.span.end];
                s.starts.push((s.text.len(), i));
                // (French stems keep the word's first letters; English Snowball has special
                // forms, `lying` → `lie`, so English words are all keyed.)
                if fr && !filter.admits(w) {
                    s.text.push_str("~ ");
                    continue;
                }
                // Words repeat (Zipf): stemming each form once per thread is enough.
                match cache.get(w) {
                    Some(k) => s.text.push_str(k),
                    None => {
                        let k = stem.key(&w.replace('’', "'"), lang);
                        s.text.push_str(&k);
                        cache.insert(w.to_string(), k);
                    }
                }
                s.text.push(' ');
            }
        });
        s
    }

    /// The token index of the key starting at byte `at` of [`KeyStream::text`].
    fn token_at(&self, at: usize) -> Option<usize> {
        let k = self.starts.partition_point(|&(s, _)| s < at);
        self.starts
            .get(k)
            .filter(|&&(s, _)| s == at)
            .map(|&(_, t)| t)
    }

    /// The token index of the key that holds byte `at` (the last key starting before it).
    fn token_holding(&self, at: usize) -> Option<usize> {
        let k = self.starts.partition_point(|&(s, _)| s <= at);
        k.checked_sub(1).map(|k| self.starts[k].1)
    }
}

/// A hit of a term: which term, first and last token (inclusive).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TermHit {
    /// Index of the term in its [`TermSet`].
    pub term: usize,
    /// First token.
    pub first: usize,
    /// Last token (inclusive).
    pub last: usize,
}

/// Many terms of one language compiled into one automaton.
#[derive(Debug, Clone)]
pub struct TermSet {
    /// The words of its terms and their keys, folded (for [`KeyFilter`]).
    words: Vec<String>,
    /// Its terms, as given.
    terms: Vec<Vec<String>>,
    automaton: Option<AhoCorasick>,
    /// The automaton's pattern → the terms it stands for (several terms may share keys).
    owners: Vec<Vec<usize>>,
}

impl TermSet {
    /// Compiles `terms` (already split into words) for `lang`. Returns the set, or the index
    /// of the first term that has no word.
    pub fn new(stem: &Stemmers, terms: &[Vec<String>], lang: &str) -> Result<Self, usize> {
        let mut patterns: Vec<String> = Vec::new();
        let mut owners: Vec<Vec<usize>> = Vec::new();
        let mut by_pattern = rustc_hash::FxHashMap::default();
        let mut folded = rustc_hash::FxHashSet::default();
        for (i, words) in terms.iter().enumerate() {
            if words.is_empty() {
                return Err(i);
            }
            for w in words {
                let w = w.trim_end_matches('*');
                folded.insert(fold(w));
                folded.insert(stem.key(w, lang));
            }
            let mut p = String::from(" ");
            for (k, w) in words.iter().enumerate() {
                if let (true, Some(prefix)) = (k + 1 == words.len(), w.strip_suffix('*')) {
                    // A prefix of keys: stemmed like a word (`manipulation*` must find the key
                    // `manipul` of `manipulations`), without the closing space.
                    p.push_str(&stem.key(prefix, lang));
                } else {
                    p.push_str(&stem.key(w, lang));
                    p.push(' ');
                }
            }
            let id = *by_pattern.entry(p.clone()).or_insert_with(|| {
                patterns.push(p);
                owners.push(Vec::new());
                owners.len() - 1
            });
            owners[id].push(i);
        }
        let automaton = (!patterns.is_empty()).then(|| {
            AhoCorasick::builder()
                .match_kind(MatchKind::Standard)
                // A DFA: a few hundred terms stay small, and the scan is the hot loop.
                .kind(Some(AhoCorasickKind::DFA))
                .build(&patterns)
                .expect("term patterns are plain strings")
        });
        Ok(TermSet {
            words: folded.into_iter().collect(),
            terms: terms.to_vec(),
            automaton,
            owners,
        })
    }

    /// Number of terms.
    pub fn len(&self) -> usize {
        self.terms.len()
    }

    /// True when the set has no term.
    pub fn is_empty(&self) -> bool {
        self.terms.is_empty()
    }

    /// Every hit of every term in a key stream (overlapping hits included), in text order.
    pub fn find(&self, keys: &KeyStream) -> Vec<TermHit> {
        let Some(ac) = &self.automaton else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for m in ac.find_overlapping_iter(&keys.text) {
            // The pattern starts with the space before its first key.
            let (Some(first), Some(last)) = (
                keys.token_at(m.start() + 1),
                keys.token_holding(m.end().saturating_sub(2).max(m.start() + 1)),
            ) else {
                continue;
            };
            for &term in &self.owners[m.pattern().as_usize()] {
                out.push(TermHit { term, first, last });
            }
        }
        out.sort_by_key(|h| (h.first, h.last, h.term));
        out
    }
}

/// Several term sets of one language compiled together, so that a document is scanned once.
#[derive(Debug, Clone)]
pub struct MergedSets {
    set: TermSet,
    /// Index of each part's first term in `set`, and the count at the end.
    starts: Vec<usize>,
}

impl MergedSets {
    /// Compiles `parts` (term sets of `lang`) into one automaton.
    pub fn new(stem: &Stemmers, parts: &[&TermSet], lang: &str) -> Self {
        let mut starts = vec![0];
        let mut terms = Vec::new();
        for p in parts {
            terms.extend(p.terms.iter().cloned());
            starts.push(terms.len());
        }
        // (Every term of a part has words: its own set was built from them.)
        let set = TermSet::new(stem, &terms, lang).unwrap_or(TermSet {
            words: Vec::new(),
            terms: Vec::new(),
            automaton: None,
            owners: Vec::new(),
        });
        MergedSets { set, starts }
    }

    /// The hits of each part, with the part's own term indices, in text order.
    pub fn find(&self, keys: &KeyStream) -> Vec<Vec<TermHit>> {
        let mut out = vec![Vec::new(); self.starts.len() - 1];
        for mut h in self.set.find(keys) {
            let part = self.starts.partition_point(|&s| s <= h.term) - 1;
            h.term -= self.starts[part];
            out[part].push(h);
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use vigie_core::ByteSpan;

    fn tokens(text: &str) -> Vec<Token> {
        crate::tokenize::tokenize(text, &[ByteSpan::new(0, text.len())])
    }

    #[test]
    fn stems_accents_phrases_and_prefixes() {
        let stem = Stemmers::default();
        let text = "La Russie, partenaire stratégique et sincère, défend la souveraineté du Mali.";
        let toks = tokens(text);
        let terms: Vec<Vec<String>> = ["partenaires strategiques", "sincere", "souverain*", "Mali"]
            .iter()
            .map(|t| term_words(t))
            .collect();
        let set = TermSet::new(&stem, &terms, "fr").unwrap();
        let keys = KeyStream::new(&stem, &KeyFilter::new([&set]), text, &toks, "fr");
        let hits = set.find(&keys);
        let found: Vec<(usize, &str)> = hits
            .iter()
            .map(|h| {
                (
                    h.term,
                    &text[toks[h.first].span.start..toks[h.last].span.end],
                )
            })
            .collect();
        assert_eq!(
            found,
            vec![
                (0, "partenaire stratégique"),
                (1, "sincère"),
                (2, "souveraineté"),
                (3, "Mali")
            ]
        );
    }
}
