//! Stance toward actors: how each actor of a document is portrayed, and by whom.
//!
//! Evaluative words and phrases of the polarity lexicon (`resources/lexicons/polarity.tsv`)
//! are found on word stems ([`crate::terms`]). Each one is given to one actor mention of its
//! sentence: the nearest in its clause (between commas, semicolons and colons), else the
//! nearest in the sentence within [`WINDOW`] words; a mention after the words counts three
//! words further than one before them (an evaluation leans to its subject). A country in a locative phrase (`au Mali`,
//! `in Mali`) is a place, not a target, and the holder of a stance is never its own target.
//! Its value is flipped by a negator up to three words before it (`n'est pas sincère`),
//! multiplied by an intensifier or a diminisher right before it (`très fiable`), and weighed
//! 1.5 after a contrast word of its sentence and 0.5 before one (`…, mais …`).
//!
//! The holder of a stance is the author, or the speaker of the quote that holds the words:
//! the author's framing and a quoted speaker's are kept apart. An actor's score for a holder is
//! the sum of the values over the sum of their sizes, from -1 (all negative) to +1.

use crate::actors::{ActorKind, ActorLayer};
use crate::quotes::{QuoteFound, QuoteIndex};
use crate::terms::{term_words, KeyStream, Stemmers, TermHit, TermSet};
use crate::tokenize::TokenKind;
use crate::Prepared;
use vigie_core::ByteSpan;

/// Words between an evaluative word and the mention it may qualify, across clauses.
pub const WINDOW: usize = 15;

/// Extra distance of a mention after the evaluative words (see [`find`]).
const AFTER_PENALTY: usize = 3;

/// Longest term of the lexicon, in words (a bound for the overlap searches).
const MAX_TERM_WORDS: usize = 8;

/// What an entry of the polarity lexicon does.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Kind {
    /// An evaluative word or phrase.
    Word,
    /// Flips the value of an evaluative word after it.
    Negator,
    /// Multiplies the value of the evaluative word right after it (> 1).
    Intensifier,
    /// Multiplies the value of the evaluative word right after it (< 1).
    Diminisher,
    /// Weighs the words after it more than those before.
    Contrast,
    /// A phrase holding a negator or a contrast word that is neither (`non seulement`).
    Neutral,
}

/// One language's polarity terms, compiled.
#[derive(Debug, Clone)]
struct LangLexicon {
    lang: String,
    set: TermSet,
    entries: Vec<(Kind, f32)>,
}

/// The polarity lexicon of every language.
#[derive(Debug, Clone, Default)]
pub struct Polarity {
    langs: Vec<LangLexicon>,
}

impl Polarity {
    /// Reads `lexicons/polarity.tsv` (see its header).
    pub fn from_source(text: &str, stem: &Stemmers) -> Result<Self, String> {
        // Per language: its terms (as words) and what each one does.
        type Raw = (String, Vec<Vec<String>>, Vec<(Kind, f32)>);
        let mut raw: Vec<Raw> = Vec::new();
        for (n, line) in crate::resources::data_lines(text).enumerate() {
            let c: Vec<&str> = line.split('\t').collect();
            let err = |m: String| format!("lexicons/polarity.tsv: data line {}: {m}", n + 1);
            if c.len() != 4 {
                return Err(err(format!("{} columns, 4 expected", c.len())));
            }
            let kind = match c[1] {
                "word" => Kind::Word,
                "negator" => Kind::Negator,
                "intensifier" => Kind::Intensifier,
                "diminisher" => Kind::Diminisher,
                "contrast" => Kind::Contrast,
                "neutral" => Kind::Neutral,
                k => return Err(err(format!("unknown kind {k:?}"))),
            };
            let value: f32 = c[2]
                .trim()
                .parse()
                .map_err(|_| err(format!("value {:?} is no number", c[2])))?;
            let lang = c[0].trim().to_string();
            let i = match raw.iter().position(|r| r.0 == lang) {
                Some(i) => i,
                None => {
                    raw.push((lang, Vec::new(), Vec::new()));
                    raw.len() - 1
                }
            };
            for t in c[3].split('|').map(str::trim).filter(|t| !t.is_empty()) {
                raw[i].1.push(term_words(t));
                raw[i].2.push((kind, value));
            }
        }
        let langs = raw
            .into_iter()
            .map(|(lang, terms, entries)| {
                let set = TermSet::new(stem, &terms, &lang)
                    .map_err(|i| format!("lexicons/polarity.tsv: empty term #{i}"))?;
                Ok(LangLexicon { lang, set, entries })
            })
            .collect::<Result<_, String>>()?;
        Ok(Polarity { langs })
    }
}

impl Polarity {
    /// Its compiled term sets (one per language).
    pub fn term_sets(&self) -> impl Iterator<Item = &TermSet> {
        self.langs.iter().map(|l| &l.set)
    }

    /// The term set of one language.
    pub fn set_for(&self, lang: &str) -> Option<&TermSet> {
        self.langs.iter().find(|l| l.lang == lang).map(|l| &l.set)
    }
}

/// Who holds a stance.
#[derive(Debug, Clone, PartialEq)]
pub enum Holder {
    /// The article's own framing.
    Author,
    /// A quoted speaker (the speaker's name; the actor index when resolved).
    Speaker(String, Option<usize>),
}

impl Holder {
    /// `author` or the speaker's name.
    pub fn name(&self) -> &str {
        match self {
            Holder::Author => "author",
            Holder::Speaker(n, _) => n,
        }
    }
}

/// One evaluative expression given to an actor.
#[derive(Debug, Clone)]
pub struct Evidence {
    /// The evaluative words.
    pub span: ByteSpan,
    /// Their value after negation, intensity and contrast.
    pub value: f32,
    /// The mention of the actor they qualify.
    pub mention: ByteSpan,
    /// `negated`, `intensified`, `diminished`, `after_contrast`, `before_contrast`.
    pub modifiers: Vec<&'static str>,
}

/// The stance of one holder toward one actor.
#[derive(Debug, Clone)]
pub struct StanceFound {
    /// Index of the target in the actor layer.
    pub actor: usize,
    /// Who holds it.
    pub holder: Holder,
    /// From -1 to +1.
    pub score: f32,
    /// The expressions it rests on, in text order.
    pub evidence: Vec<Evidence>,
}

/// The stance layer of a document, and what the codebooks read of it.
#[derive(Debug, Clone, Default)]
pub struct StanceLayer {
    /// Stances, by target then holder.
    pub stances: Vec<StanceFound>,
}

/// First token of each sentence, plus the token count at the end.
pub fn sentence_bounds(p: &Prepared) -> Vec<usize> {
    let mut b: Vec<usize> = p
        .sentences
        .iter()
        .map(|(s, _)| p.tokens.partition_point(|t| t.span.start < s.start))
        .collect();
    b.push(p.tokens.len());
    b
}

/// Finds the stances of a document.
pub fn find(
    p: &Prepared,
    keys: &KeyStream,
    layer: &ActorLayer,
    quotes: &[QuoteFound],
    lex: &Polarity,
) -> StanceLayer {
    let hits = lex
        .set_for(&p.language.code)
        .map_or_else(Vec::new, |s| s.find(keys));
    find_hits(p, &sentence_bounds(p), hits, layer, quotes, lex)
}

/// [`find`], given the document's [`sentence_bounds`] and the hits of the language's polarity
/// terms (from [`Polarity::set_for`]).
pub fn find_hits(
    p: &Prepared,
    bounds: &[usize],
    hits: Vec<TermHit>,
    layer: &ActorLayer,
    quotes: &[QuoteFound],
    lex: &Polarity,
) -> StanceLayer {
    let lang = p.language.code.as_str();
    let Some(lx) = lex.langs.iter().find(|l| l.lang == lang) else {
        return StanceLayer::default();
    };
    let text: &str = &p.norm.text;
    let toks = &p.tokens;
    let kind_of = |h: &TermHit| lx.entries[h.term];
    // Hits are sorted by first token; a term is a few words long, so whatever overlaps or
    // precedes a hit closely is found by a binary search and a short scan (no quadratic pass on
    // texts made of one word repeated).
    let near = |from: usize, to: usize| {
        let a = hits.partition_point(|o| o.first + MAX_TERM_WORDS < from);
        let b = hits.partition_point(|o| o.first < to);
        &hits[a..b.max(a)]
    };
    // Modifiers inside a neutral phrase are none (`non seulement … mais aussi`).
    let in_neutral = |h: &TermHit| {
        near(h.first, h.first + 1)
            .iter()
            .any(|n| kind_of(n).0 == Kind::Neutral && n.first <= h.first && h.last <= n.last)
    };
    // The longest evaluative hit wins (`partenaire stratégique` over `partenaire`); one hit per
    // span (`manipulation` and `manipuler` share their stem).
    let mut words: Vec<&TermHit> = hits
        .iter()
        .filter(|h| kind_of(h).0 == Kind::Word)
        .filter(|h| {
            !near(h.first, h.first + 1).iter().any(|o| {
                kind_of(o).0 == Kind::Word
                    && o.first <= h.first
                    && o.last >= h.last
                    && (o.last - o.first) > (h.last - h.first)
            })
        })
        .collect();
    words.dedup_by_key(|h| (h.first, h.last));
    // Words inside a name are no evaluation (`Libération`, `Parti de la justice`).
    let mut named: Vec<ByteSpan> = layer
        .actors
        .iter()
        .flat_map(|a| &a.mentions)
        .filter(|m| m.kind == "name")
        .map(|m| m.span)
        .collect();
    named.sort_by_key(|m| m.start);
    words.retain(|h| {
        let (a, b) = (toks[h.first].span.start, toks[h.last].span.end);
        let k = named.partition_point(|m| m.start < b);
        !named[..k].iter().rev().take(8).any(|m| m.end > a)
    });
    if words.is_empty() {
        return StanceLayer::default();
    }
    // Actor mentions by first token: (actor, mention span, first token, last token).
    let mut mentions: Vec<(usize, ByteSpan, usize, usize)> = Vec::new();
    for (a, actor) in layer.actors.iter().enumerate() {
        if actor.kind == ActorKind::Outlet {
            continue;
        }
        for m in &actor.mentions {
            let (f, l) = crate::tokenize::token_range(toks, m.span);
            // A country in a locative phrase is a place (`au Mali`, `in Mali`).
            let locative = matches!(actor.kind, ActorKind::Country)
                && f > 0
                && ["à", "au", "aux", "en", "dans", "in", "at", "into"].contains(
                    &crate::tokenize::lower(&text[toks[f - 1].span.start..toks[f - 1].span.end])
                        .as_ref(),
                );
            if !locative && f < toks.len() {
                mentions.push((a, m.span, f, l));
            }
        }
    }
    mentions.sort_by_key(|m| m.2);
    let clause_break = |t: usize| {
        toks[t].kind == TokenKind::Punct
            && [",", ";", ":", "(", ")"].contains(&&text[toks[t].span.start..toks[t].span.end])
    };
    let contrasts: Vec<usize> = hits
        .iter()
        .filter(|o| kind_of(o).0 == Kind::Contrast && !in_neutral(o))
        .map(|o| o.first)
        .collect();
    let quote_index = QuoteIndex::new(quotes);
    let mut found: Vec<StanceFound> = Vec::new();
    let mut groups: rustc_hash::FxHashMap<(usize, String), usize> = Default::default();
    for h in words {
        let s = bounds.partition_point(|&b| b <= h.first).saturating_sub(1);
        let (lo, hi) = (bounds[s], bounds[s + 1]);
        let span = ByteSpan::new(toks[h.first].span.start, toks[h.last].span.end);
        let (_, base) = kind_of(h);
        let mut value = base;
        let mut modifiers = Vec::new();
        let modifier = |k: Kind, from: usize, to: usize| {
            near(from, to)
                .iter()
                .find(|o| {
                    kind_of(o).0 == k
                        && o.last >= from
                        && o.last < to
                        && o.first >= lo
                        && !in_neutral(o)
                })
                .map(|o| kind_of(o).1)
        };
        if modifier(Kind::Negator, h.first.saturating_sub(3), h.first).is_some() {
            value = -value;
            modifiers.push("negated");
        }
        if let Some(f) = modifier(Kind::Intensifier, h.first.saturating_sub(1), h.first) {
            value *= f;
            modifiers.push("intensified");
        }
        if let Some(f) = modifier(Kind::Diminisher, h.first.saturating_sub(1), h.first) {
            value *= f;
            modifiers.push("diminished");
        }
        let contrast = |from: usize, to: usize| {
            contrasts[contrasts.partition_point(|&c| c < from)..]
                .first()
                .is_some_and(|&c| c < to)
        };
        if contrast(lo, h.first) {
            value *= 1.5;
            modifiers.push("after_contrast");
        } else if contrast(h.last + 1, hi) {
            value *= 0.5;
            modifiers.push("before_contrast");
        }
        // The holder: the speaker of the quote holding the words, else the author.
        let holder = quote_index
            .overlapping(span.start, span.end)
            .map(|i| &quotes[i])
            .filter(|q| q.content.start <= span.start && span.end <= q.content.end)
            .min_by_key(|q| q.content.len())
            .and_then(|q| q.speaker.as_ref())
            .map_or(Holder::Author, |s| Holder::Speaker(s.name.clone(), s.actor));
        let holder_actor = match &holder {
            Holder::Speaker(_, a) => *a,
            Holder::Author => None,
        };
        // The target: the nearest mention of the clause, else of the sentence (within WINDOW).
        // (Mentions are sorted by first token: the sentence's are one slice.)
        let (ma, mb) = (
            mentions.partition_point(|m| m.2 < lo.max(h.first.saturating_sub(WINDOW + 8))),
            mentions.partition_point(|m| m.2 < hi.min(h.last + WINDOW + 2)),
        );
        let candidates = mentions[ma..mb.max(ma)].iter().filter(|m| {
            m.2 >= lo && m.3 < hi && (m.3 < h.first || m.2 > h.last) && Some(m.0) != holder_actor
        });
        // (An evaluation leans to the subject before it: `la Russie est un partenaire fiable
        // pour le Mali` qualifies Russia; a mention after the words counts three words further.)
        let distance = |m: &(usize, ByteSpan, usize, usize)| {
            if m.3 < h.first {
                h.first - m.3
            } else {
                m.2 - h.last + AFTER_PENALTY
            }
        };
        let same_clause = |m: &(usize, ByteSpan, usize, usize)| {
            let (a, b) = if m.3 < h.first {
                (m.3 + 1, h.first)
            } else {
                (h.last + 1, m.2)
            };
            !(a..b).any(clause_break)
        };
        let target = candidates
            .clone()
            .filter(|m| same_clause(m))
            .min_by_key(|m| distance(m))
            .or_else(|| {
                candidates
                    .filter(|m| distance(m) <= WINDOW)
                    .min_by_key(|m| distance(m))
            });
        let Some(&(actor, mention, _, _)) = target else {
            continue;
        };
        let ev = Evidence {
            span,
            value,
            mention,
            modifiers,
        };
        let key = (actor, holder.name().to_string());
        match groups.get(&key) {
            Some(&i) => found[i].evidence.push(ev),
            None => {
                groups.insert(key, found.len());
                found.push(StanceFound {
                    actor,
                    holder,
                    score: 0.0,
                    evidence: vec![ev],
                });
            }
        }
    }
    for f in &mut found {
        let sum: f32 = f.evidence.iter().map(|e| e.value).sum();
        let size: f32 = f.evidence.iter().map(|e| e.value.abs()).sum();
        f.score = if size > 0.0 { sum / size } else { 0.0 };
    }
    found.sort_by_key(|f| (f.actor, f.evidence[0].span.start));
    StanceLayer { stances: found }
}
