//! Named entities (PER, LOC, ORG): an averaged perceptron over hand-built features.
//!
//! The tagger reads tokens left to right with BIO tags. Features are the word, its shape,
//! prefix and suffix, two words of context on each side, the previous tags, and gazetteer
//! hits (countries, capitals, organisations, outlets). Only candidate tokens are scored: a
//! token that starts with a capital or a digit, one that continues an entity, or a lower-case
//! word seen starting an entity in training (`armée`, `ministère`); every other token is `O`
//! without a look-up, which keeps the tagger fast.
//!
//! Training (`vigie train ner`) is deterministic: same data, same epochs, same model.

use crate::tokenize::{Token, TokenKind};
use rustc_hash::{FxHashMap, FxHashSet, FxHasher};
use std::hash::Hasher;
use std::io::{Read, Write};
use vigie_core::ByteSpan;

/// BIO tags, in weight-vector order.
pub const TAGS: [&str; 7] = ["O", "B-PER", "I-PER", "B-LOC", "I-LOC", "B-ORG", "I-ORG"];
const N: usize = TAGS.len();
/// Entity labels, in tag order.
pub const LABELS: [&str; 3] = ["PER", "LOC", "ORG"];

/// Gazetteer code of a token: 0 none, else `1 + 2 * label + (0 for first token, 1 for next)`.
pub type GazCode = u8;

/// A learned NER model.
#[derive(Debug, Clone, Default)]
pub struct NerModel {
    weights: FxHashMap<u64, [f32; N]>,
    lower_starters: FxHashSet<String>,
    /// Capitalised words frequent in training and never inside an entity (`Il`, `Selon`).
    never: FxHashSet<String>,
    /// Non-capitalised tokens seen inside an entity in training (`de`, `la`, `d'`): after an
    /// entity, any other such token ends it without a look-up.
    inner: FxHashSet<String>,
}

/// An entity found by the tagger (bytes of the normalised text).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EntitySpan {
    /// Where.
    pub span: ByteSpan,
    /// Index into [`LABELS`].
    pub label: usize,
    /// First and one-past-last token.
    pub tokens: (usize, usize),
}

#[derive(Clone, Copy, Default)]
struct TokInfo {
    lower: u64,
    shape: u64,
    pre3: u64,
    suf3: u64,
    flags: u64,
}

fn mix(parts: &[u64]) -> u64 {
    let mut h = FxHasher::default();
    for p in parts {
        h.write_u64(*p);
    }
    // FxHash of small integers is weak in the low bits: finish with a multiply-xorshift.
    let x = h.finish();
    let x = (x ^ (x >> 33)).wrapping_mul(0xff51afd7ed558ccd);
    x ^ (x >> 33)
}

fn hash_bytes(tmpl: u64, b: &[u8]) -> u64 {
    let mut h = FxHasher::default();
    h.write_u64(tmpl);
    h.write(b);
    h.finish()
}

/// Features of one token, in one pass: its lower-cased form (and the first and last three
/// characters of it), its shape (`Xxx`, `dd`, `X.X.`: character classes with runs cut at
/// two) and flags. Tokens longer than 64 bytes are hashed on their first 64.
fn info(text: &str, t: &Token) -> TokInfo {
    let s = &text[t.span.start..t.span.end];
    let mut low = [0u8; 68];
    let mut n = 0usize;
    let mut ring = [0usize; 3]; // starts of the last three characters in `low`
    let (mut chars, mut pre_end) = (0usize, 0usize);
    let mut shape = FxHasher::default();
    shape.write_u64(2);
    let (mut last, mut run) = ('\0', 0);
    let mut all_upper = true;
    let mut first_upper = false;
    for c in s.chars() {
        if n > 64 {
            break;
        }
        if chars == 3 {
            pre_end = n;
        }
        ring[chars % 3] = n;
        let (k, upper) = if c.is_ascii() {
            let b = c as u8;
            low[n] = b.to_ascii_lowercase();
            n += 1;
            let k = if b.is_ascii_uppercase() {
                'X'
            } else if b.is_ascii_lowercase() {
                'x'
            } else if b.is_ascii_digit() {
                'd'
            } else {
                c
            };
            (k, b.is_ascii_uppercase())
        } else {
            for l in c.to_lowercase() {
                n += l.encode_utf8(&mut low[n..]).len();
            }
            let upper = c.is_uppercase();
            (
                if upper {
                    'X'
                } else if c.is_lowercase() {
                    'x'
                } else {
                    c
                },
                upper,
            )
        };
        if chars == 0 {
            first_upper = upper;
        }
        all_upper &= k != 'x';
        chars += 1;
        if k == last {
            run += 1;
            if run > 2 {
                continue;
            }
        } else {
            last = k;
            run = 1;
        }
        shape.write_u32(k as u32);
    }
    if chars <= 3 {
        pre_end = n;
    }
    let suf_start = if chars > 3 { ring[chars % 3] } else { 0 };
    let flags = (first_upper as u64)
        | ((all_upper as u64) << 1)
        | ((s.contains('-') as u64) << 2)
        | (((chars > 12) as u64) << 3)
        | (((t.kind == TokenKind::Punct) as u64) << 4);
    TokInfo {
        lower: hash_bytes(1, &low[..n]),
        shape: shape.finish(),
        pre3: hash_bytes(3, &low[..pre_end]),
        suf3: hash_bytes(4, &low[suf_start..n]),
        flags,
    }
}

/// Is this token able to start an entity on its own (capital or digit)?
#[inline]
fn capital(text: &str, t: &Token) -> bool {
    text[t.span.start..]
        .chars()
        .next()
        .is_some_and(|c| c.is_uppercase() || c.is_ascii_digit())
}

/// Token infos computed on demand: most tokens are never scored nor next to a scored one.
struct Infos<'a> {
    text: &'a str,
    toks: &'a [Token],
    inf: Vec<TokInfo>,
    done: Vec<bool>,
}

impl<'a> Infos<'a> {
    fn new(text: &'a str, toks: &'a [Token]) -> Self {
        Infos {
            text,
            toks,
            inf: vec![PAD; toks.len()],
            done: vec![false; toks.len()],
        }
    }
    /// Makes sure tokens `i-2..=i+2` are computed, and returns all infos.
    fn around(&mut self, i: usize) -> &[TokInfo] {
        for k in i.saturating_sub(2)..(i + 3).min(self.toks.len()) {
            if !self.done[k] {
                self.inf[k] = info(self.text, &self.toks[k]);
                self.done[k] = true;
            }
        }
        &self.inf
    }
}

const PAD: TokInfo = TokInfo {
    lower: 11,
    shape: 12,
    pre3: 13,
    suf3: 14,
    flags: 1 << 5,
};

/// The features of token `i` of a sentence whose infos are `inf`, into `out`.
fn features(
    inf: &[TokInfo],
    gaz: &[GazCode],
    i: usize,
    prev: usize,
    prev2: usize,
    out: &mut Vec<u64>,
) {
    let at = |k: isize| -> TokInfo {
        if k < 0 || k as usize >= inf.len() {
            PAD
        } else {
            inf[k as usize]
        }
    };
    let g = |k: isize| -> u64 {
        if k < 0 || k as usize >= gaz.len() {
            0
        } else {
            gaz[k as usize] as u64
        }
    };
    let ii = i as isize;
    let (w, p1, n1, p2, n2) = (at(ii), at(ii - 1), at(ii + 1), at(ii - 2), at(ii + 2));
    let (pt, pt2) = (prev as u64, prev2 as u64);
    out.clear();
    out.extend_from_slice(&[
        mix(&[0]),
        mix(&[1, w.lower]),
        mix(&[2, w.shape]),
        mix(&[3, w.pre3]),
        mix(&[4, w.suf3]),
        mix(&[5, p1.lower]),
        mix(&[6, n1.lower]),
        mix(&[7, p2.lower]),
        mix(&[8, n2.lower]),
        mix(&[9, p1.shape]),
        mix(&[10, n1.shape]),
        mix(&[11, pt]),
        mix(&[12, pt, w.lower]),
        mix(&[13, pt, w.shape]),
        mix(&[14, p1.lower, w.lower]),
        mix(&[15, w.lower, n1.lower]),
        mix(&[16, g(ii)]),
        mix(&[17, g(ii - 1), g(ii)]),
        mix(&[18, g(ii), g(ii + 1)]),
        mix(&[19, (i == 0) as u64, w.shape]),
        mix(&[20, w.flags]),
        mix(&[21, pt2, pt]),
        mix(&[22, p1.shape, w.shape, n1.shape]),
        mix(&[23, p1.suf3]),
        mix(&[24, n1.suf3]),
        mix(&[25, pt, n1.shape]),
        mix(&[26, g(ii), w.shape]),
    ]);
}

/// May `t` follow `prev`? (`I-X` only after `B-X` or `I-X`.)
fn allowed(prev: usize, t: usize) -> bool {
    t == 0 || t % 2 == 1 || prev == t || prev + 1 == t
}

fn best(scores: &[f32; N], prev: usize) -> usize {
    let mut b = 0;
    for t in 1..N {
        if allowed(prev, t) && scores[t] > scores[b] {
            b = t;
        }
    }
    b
}

impl NerModel {
    fn score(&self, feats: &[u64]) -> [f32; N] {
        let mut s = [0f32; N];
        for f in feats {
            if let Some(w) = self.weights.get(f) {
                for k in 0..N {
                    s[k] += w[k];
                }
            }
        }
        s
    }

    fn is_candidate(&self, text: &str, tok: &Token, prev: usize) -> bool {
        let s = &text[tok.span.start..tok.span.end];
        if capital(text, tok) {
            return prev != 0 || !self.never.contains(s);
        }
        if prev != 0 {
            return self.inner.contains(s);
        }
        s.len() > 1 && self.lower_starters.contains(s)
    }

    /// Number of weighted features.
    pub fn len(&self) -> usize {
        self.weights.len()
    }

    /// True for an empty (untrained) model, which finds nothing.
    pub fn is_empty(&self) -> bool {
        self.weights.is_empty()
    }

    /// Tags one sentence's tokens; returns the tag index of each.
    pub fn tag_sentence(&self, text: &str, toks: &[Token], gaz: &[GazCode]) -> Vec<usize> {
        let mut tags = vec![0usize; toks.len()];
        if self.is_empty() {
            return tags;
        }
        let mut inf = Infos::new(text, toks);
        let mut feats = Vec::with_capacity(32);
        let (mut prev, mut prev2) = (0, 0);
        for i in 0..toks.len() {
            let t = if self.is_candidate(text, &toks[i], prev) {
                features(inf.around(i), gaz, i, prev, prev2, &mut feats);
                best(&self.score(&feats), prev)
            } else {
                0
            };
            tags[i] = t;
            prev2 = prev;
            prev = t;
        }
        tags
    }

    /// Finds the entities of a text given its tokens (all sentences) and gazetteer codes.
    pub fn entities(&self, text: &str, toks: &[Token], gaz: &[GazCode]) -> Vec<EntitySpan> {
        let mut out = Vec::new();
        let mut i = 0;
        while i < toks.len() {
            let s = toks[i].sentence;
            let mut j = i;
            while j < toks.len() && toks[j].sentence == s {
                j += 1;
            }
            let tags = self.tag_sentence(text, &toks[i..j], &gaz[i..j]);
            spans_from_tags(&tags, &toks[i..j], i, &mut out);
            i = j;
        }
        out
    }

    /// Serialises the model (gzip-compressed).
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut raw = Vec::new();
        raw.extend_from_slice(b"VIGIENER3");
        for set in [&self.lower_starters, &self.never, &self.inner] {
            let mut words: Vec<&String> = set.iter().collect();
            words.sort();
            raw.extend_from_slice(&(words.len() as u32).to_le_bytes());
            for s in words {
                raw.extend_from_slice(&(s.len() as u32).to_le_bytes());
                raw.extend_from_slice(s.as_bytes());
            }
        }
        let mut keys: Vec<&u64> = self.weights.keys().collect();
        keys.sort();
        raw.extend_from_slice(&(keys.len() as u32).to_le_bytes());
        for k in keys {
            raw.extend_from_slice(&k.to_le_bytes());
            for w in self.weights[k] {
                raw.extend_from_slice(&w.to_le_bytes());
            }
        }
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        gz.write_all(&raw).expect("writing to memory");
        gz.finish().expect("writing to memory")
    }

    /// Reads a model written by [`NerModel::to_bytes`].
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, String> {
        let mut raw = Vec::new();
        flate2::read::GzDecoder::new(bytes)
            .read_to_end(&mut raw)
            .map_err(|e| format!("NER model: {e}"))?;
        let mut r = Reader { b: &raw, i: 0 };
        if r.take(9)? != b"VIGIENER3" {
            return Err("NER model: not a Vigie NER model of this version (bad magic)".into());
        }
        let mut m = NerModel::default();
        for set in [&mut m.lower_starters, &mut m.never, &mut m.inner] {
            for _ in 0..r.u32()? {
                let n = r.u32()? as usize;
                let s = std::str::from_utf8(r.take(n)?).map_err(|e| format!("NER model: {e}"))?;
                set.insert(s.to_string());
            }
        }
        let n = r.u32()? as usize;
        m.weights.reserve(n);
        for _ in 0..n {
            let k = u64::from_le_bytes(r.take(8)?.try_into().expect("8 bytes"));
            let mut w = [0f32; N];
            for x in &mut w {
                *x = f32::from_le_bytes(r.take(4)?.try_into().expect("4 bytes"));
            }
            m.weights.insert(k, w);
        }
        Ok(m)
    }
}

struct Reader<'a> {
    b: &'a [u8],
    i: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], String> {
        let s = self
            .b
            .get(self.i..self.i + n)
            .ok_or("NER model: truncated file")?;
        self.i += n;
        Ok(s)
    }
    fn u32(&mut self) -> Result<u32, String> {
        Ok(u32::from_le_bytes(
            self.take(4)?.try_into().expect("4 bytes"),
        ))
    }
}

fn spans_from_tags(tags: &[usize], toks: &[Token], offset: usize, out: &mut Vec<EntitySpan>) {
    let mut k = 0;
    while k < tags.len() {
        let t = tags[k];
        if t == 0 {
            k += 1;
            continue;
        }
        let label = (t - 1) / 2;
        let mut e = k + 1;
        while e < tags.len() && tags[e] == 2 + 2 * label {
            e += 1;
        }
        out.push(EntitySpan {
            span: ByteSpan::new(toks[k].span.start, toks[e - 1].span.end),
            label,
            tokens: (offset + k, offset + e),
        });
        k = e;
    }
}

/// One training sentence: its tokens, gazetteer codes and gold tags (indices into [`TAGS`]).
#[derive(Debug, Clone)]
pub struct TrainSentence {
    /// Tokens (spans into `text` of the [`TrainDoc`]).
    pub tokens: Vec<Token>,
    /// Gazetteer codes per token.
    pub gaz: Vec<GazCode>,
    /// Gold tag per token.
    pub tags: Vec<usize>,
}

/// One training document.
#[derive(Debug, Clone)]
pub struct TrainDoc {
    /// Normalised text.
    pub text: String,
    /// Its sentences.
    pub sentences: Vec<TrainSentence>,
}

/// Trains a model with the averaged perceptron; `log` receives one line per epoch.
pub fn train(docs: &[TrainDoc], epochs: usize, log: &mut dyn FnMut(String)) -> NerModel {
    let mut model = NerModel::default();
    // Lower-case words that start at least two gold entities.
    let mut starters: FxHashMap<String, usize> = FxHashMap::default();
    for d in docs {
        for s in &d.sentences {
            for (t, &tag) in s.tokens.iter().zip(&s.tags) {
                let w = &d.text[t.span.start..t.span.end];
                if tag % 2 == 1 && w.chars().next().is_some_and(char::is_lowercase) {
                    *starters.entry(w.to_string()).or_default() += 1;
                }
            }
        }
    }
    model.lower_starters = starters
        .into_iter()
        .filter(|(_, n)| *n >= 2)
        .map(|(w, _)| w)
        .collect();
    // Capitalised words seen at least 5 times and never inside an entity.
    let mut capitalised: FxHashMap<&str, (usize, usize)> = FxHashMap::default();
    for d in docs {
        for s in &d.sentences {
            for (t, &tag) in s.tokens.iter().zip(&s.tags) {
                if capital(&d.text, t) {
                    let e = capitalised
                        .entry(&d.text[t.span.start..t.span.end])
                        .or_default();
                    e.0 += 1;
                    e.1 += (tag != 0) as usize;
                }
            }
        }
    }
    model.inner = docs
        .iter()
        .flat_map(|d| {
            d.sentences.iter().flat_map(move |s| {
                s.tokens
                    .iter()
                    .zip(&s.tags)
                    .filter(|(t, &tag)| tag != 0 && tag % 2 == 0 && !capital(&d.text, t))
                    .map(move |(t, _)| d.text[t.span.start..t.span.end].to_string())
            })
        })
        .collect();
    model.never = capitalised
        .into_iter()
        .filter(|(_, (n, ent))| *n >= 5 && *ent == 0)
        .map(|(w, _)| w.to_string())
        .collect();

    let mut totals: FxHashMap<u64, [f64; N]> = FxHashMap::default();
    let mut stamps: FxHashMap<u64, [u64; N]> = FxHashMap::default();
    let mut step: u64 = 0;
    let mut order: Vec<(usize, usize)> = docs
        .iter()
        .enumerate()
        .flat_map(|(d, doc)| (0..doc.sentences.len()).map(move |s| (d, s)))
        .collect();
    let mut rng: u64 = 0x9E3779B97F4A7C15;
    let mut feats = Vec::with_capacity(32);
    for epoch in 0..epochs {
        // Fisher-Yates with a fixed xorshift sequence: reproducible.
        for i in (1..order.len()).rev() {
            rng ^= rng << 13;
            rng ^= rng >> 7;
            rng ^= rng << 17;
            order.swap(i, (rng % (i as u64 + 1)) as usize);
        }
        let (mut errors, mut seen) = (0usize, 0usize);
        for &(d, s) in &order {
            let doc = &docs[d];
            let sent = &doc.sentences[s];
            let mut inf = Infos::new(&doc.text, &sent.tokens);
            let (mut prev, mut prev2) = (0, 0);
            for i in 0..sent.tokens.len() {
                step += 1;
                let gold = sent.tags[i];
                let pred = if model.is_candidate(&doc.text, &sent.tokens[i], prev) {
                    features(inf.around(i), &sent.gaz, i, prev, prev2, &mut feats);
                    let p = best(&model.score(&feats), prev);
                    seen += 1;
                    if p != gold {
                        errors += 1;
                        for &f in &feats {
                            let w = model.weights.entry(f).or_insert([0.0; N]);
                            let tot = totals.entry(f).or_insert([0.0; N]);
                            let st = stamps.entry(f).or_insert([0; N]);
                            for (t, delta) in [(gold, 1.0f32), (p, -1.0f32)] {
                                tot[t] += (step - st[t]) as f64 * w[t] as f64;
                                st[t] = step;
                                w[t] += delta;
                            }
                        }
                    }
                    p
                } else {
                    0
                };
                prev2 = prev;
                prev = pred;
            }
        }
        log(format!(
            "epoch {}: {errors} errors on {seen} scored tokens",
            epoch + 1
        ));
    }
    // Average, and drop the features whose averaged weights are all negligible.
    let weights = std::mem::take(&mut model.weights);
    for (f, w) in weights {
        let tot = totals.get(&f).copied().unwrap_or([0.0; N]);
        let st = stamps.get(&f).copied().unwrap_or([0; N]);
        let mut avg = [0f32; N];
        for t in 0..N {
            let sum = tot[t] + (step - st[t]) as f64 * w[t] as f64;
            avg[t] = (sum / step as f64) as f32;
        }
        if avg.iter().any(|x| x.abs() >= 1e-3) {
            model.weights.insert(f, avg);
        }
    }
    model
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_to_spans_and_transitions() {
        assert!(
            allowed(1, 2) && allowed(2, 2) && !allowed(0, 2) && !allowed(3, 2) && allowed(4, 5)
        );
        let toks: Vec<Token> = (0..4)
            .map(|i| Token {
                span: ByteSpan::new(i * 2, i * 2 + 1),
                sentence: 0,
                kind: TokenKind::Word,
            })
            .collect();
        let mut out = Vec::new();
        spans_from_tags(&[1, 2, 0, 3], &toks, 0, &mut out);
        assert_eq!(out.len(), 2);
        assert_eq!((out[0].span, out[0].label), (ByteSpan::new(0, 3), 0));
        assert_eq!((out[1].span, out[1].label), (ByteSpan::new(6, 7), 1));
    }

    #[test]
    fn model_round_trip_and_learning() {
        // A toy corpus: capitalised words after `à` are places, after `M.` persons.
        let text =
            "Il va à Paris . M. Dupont parle . Elle va à Lyon . M. Durand parle .".to_string();
        let mut toks = Vec::new();
        let mut pos = 0;
        for w in text.split(' ') {
            toks.push(Token {
                span: ByteSpan::new(pos, pos + w.len()),
                sentence: 0,
                kind: TokenKind::Word,
            });
            pos += w.len() + 1;
        }
        let gold: Vec<usize> = text
            .split(' ')
            .map(|w| match w {
                "Paris" | "Lyon" => 3,
                "Dupont" | "Durand" => 1,
                _ => 0,
            })
            .collect();
        let doc = TrainDoc {
            text: text.clone(),
            sentences: vec![TrainSentence {
                gaz: vec![0; toks.len()],
                tokens: toks.clone(),
                tags: gold.clone(),
            }],
        };
        let m = train(&[doc], 10, &mut |_| {});
        assert_eq!(m.tag_sentence(&text, &toks, &vec![0; toks.len()]), gold);
        let m2 = NerModel::from_bytes(&m.to_bytes()).unwrap();
        assert_eq!(m2.len(), m.len());
        assert_eq!(m2.tag_sentence(&text, &toks, &vec![0; toks.len()]), gold);
        assert!(NerModel::from_bytes(b"junk").is_err());
    }
}
