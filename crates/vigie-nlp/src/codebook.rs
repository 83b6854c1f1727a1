//! Narrative codebooks: analysts' rules, checked, compiled once, applied to every document.
//!
//! A codebook is a TOML file (see `docs/codebook.md`): narratives with an id, labels, a
//! description, sources, weighted rules and example sentences. A rule is a boolean query:
//!
//! ```text
//! ("partenaire fiable" OR sincère*) AND actor(RU)        terms, phrases, prefixes
//! échec NEAR/6 (Barkhane OR "forces internationales")    proximity in words
//! sentence(sanction* AND CEDEAO) NOT humanitaire         same sentence, negation
//! actor(RU, positive)                                    an actor with a positive stance
//! quote(souveraineté, by = "ML official")                in a quote by an official of Mali
//! ```
//!
//! Terms are matched on stems without accents ([`crate::terms`]); all terms of all narratives
//! are compiled into one automaton per language, so a document is scanned once whatever the
//! number of narratives, and only the rules whose terms occur are evaluated. A codebook with an
//! error is rejected whole, with the line and column of the error.

use crate::actors::{ActorKind, ActorLayer};
use crate::quotes::{QuoteFound, QuoteIndex};
use crate::stance::StanceLayer;
use crate::terms::{fold, term_words, KeyStream, Stemmers, TermSet};
use crate::tokenize::token_range;
use crate::Prepared;
use serde::Deserialize;
use std::fmt;
use vigie_core::ByteSpan;

/// A codebook error, with its place in the file (1-based line and column).
#[derive(Debug, Clone, PartialEq)]
pub struct CodebookError {
    /// Line (1-based).
    pub line: usize,
    /// Column (1-based, in characters).
    pub column: usize,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for CodebookError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "line {}, column {}: {}",
            self.line, self.column, self.message
        )
    }
}

impl std::error::Error for CodebookError {}

/// Line and column (1-based) of byte `at` of `src`.
fn line_col(src: &str, at: usize) -> (usize, usize) {
    let mut at = at.min(src.len());
    // (An offset computed through escapes may fall inside a character.)
    while !src.is_char_boundary(at) {
        at -= 1;
    }
    let before = &src[..at];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
    (line, col)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    codebook: RawMeta,
    #[serde(default)]
    narratives: Vec<RawNarrative>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMeta {
    name: String,
    #[serde(default)]
    version: Option<String>,
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    source: Option<String>,
    #[serde(default)]
    licence: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawNarrative {
    id: toml::Spanned<String>,
    labels: Labels,
    description: String,
    #[serde(default)]
    sources: Vec<String>,
    #[serde(default)]
    threshold: Option<f32>,
    #[serde(default)]
    rules: Vec<RawRule>,
    #[serde(default)]
    examples: Vec<Example>,
}

/// A narrative's labels.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Labels {
    /// French label.
    pub fr: String,
    /// English label.
    pub en: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRule {
    #[serde(rename = "match")]
    query: toml::Spanned<String>,
    #[serde(default)]
    lang: Option<toml::Spanned<String>>,
    #[serde(default)]
    scope: Option<toml::Spanned<String>>,
    #[serde(default)]
    weight: Option<f32>,
}

/// The unit a rule or a `sentence(…)` / `paragraph(…)` group is evaluated on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    /// One sentence.
    Sentence,
    /// One paragraph.
    Paragraph,
    /// The whole document.
    Document,
}

/// A stance sign required by `actor(X, positive)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sign {
    /// Sum of the actor's stance values > 0.
    Positive,
    /// Sum < 0.
    Negative,
}

/// A compiled query.
#[derive(Debug, Clone)]
pub enum Expr {
    /// A term or phrase (index into the codebook's terms).
    Term(usize),
    /// All of.
    And(Vec<Expr>),
    /// Any of.
    Or(Vec<Expr>),
    /// Not.
    Not(Box<Expr>),
    /// Both within `n` words.
    Near(Box<Expr>, Box<Expr>, usize),
    /// True in one unit of the window.
    Within(Unit, Box<Expr>),
    /// A mention of an actor, maybe with a stance sign.
    Actor(String, Option<Sign>),
    /// Inside a quote, maybe by a given kind of speaker.
    Quote(Box<Expr>, Vec<String>),
}

impl Expr {
    /// Terms that occur in it, outside `NOT`.
    fn positive_terms(&self, out: &mut Vec<usize>) {
        match self {
            Expr::Term(t) => out.push(*t),
            Expr::And(v) | Expr::Or(v) => v.iter().for_each(|e| e.positive_terms(out)),
            Expr::Near(a, b, _) => {
                a.positive_terms(out);
                b.positive_terms(out);
            }
            Expr::Within(_, e) | Expr::Quote(e, _) => e.positive_terms(out),
            Expr::Not(_) | Expr::Actor(..) => {}
        }
    }

    /// Whether it can be true only where something is found (not a bare `NOT`).
    fn anchored(&self) -> bool {
        match self {
            Expr::Term(_) | Expr::Actor(..) => true,
            Expr::And(v) => v.iter().any(Expr::anchored),
            Expr::Or(v) => v.iter().all(Expr::anchored),
            Expr::Not(_) => false,
            Expr::Near(a, b, _) => a.anchored() && b.anchored(),
            Expr::Within(_, e) | Expr::Quote(e, _) => e.anchored(),
        }
    }

    /// Whether every `NEAR` has something to find on both sides (`a NEAR/3 NOT b` never holds).
    fn near_sides_anchored(&self) -> bool {
        match self {
            Expr::Near(a, b, _) => {
                a.anchored() && b.anchored() && a.near_sides_anchored() && b.near_sides_anchored()
            }
            Expr::And(v) | Expr::Or(v) => v.iter().all(Expr::near_sides_anchored),
            Expr::Not(e) | Expr::Within(_, e) | Expr::Quote(e, _) => e.near_sides_anchored(),
            Expr::Term(_) | Expr::Actor(..) => true,
        }
    }

    /// Whether some `Or` branch holds no term: such a rule must be evaluated everywhere.
    fn needs_all_units(&self) -> bool {
        let mut t = Vec::new();
        self.positive_terms(&mut t);
        t.is_empty()
            || match self {
                Expr::Or(v) => v.iter().any(Expr::needs_all_units),
                Expr::And(v) => v.iter().all(Expr::needs_all_units),
                Expr::Within(_, e) | Expr::Quote(e, _) => e.needs_all_units(),
                _ => false,
            }
    }
}

/// A rule of a narrative.
#[derive(Debug, Clone)]
pub struct Rule {
    /// The query as written.
    pub source: String,
    /// Languages it applies to (empty: all).
    pub langs: Vec<String>,
    /// The unit it is evaluated on.
    pub scope: Unit,
    /// Its weight in the narrative's score (may be negative: counter-evidence).
    pub weight: f32,
    /// The compiled query.
    pub expr: Expr,
    positive: Vec<usize>,
    everywhere: bool,
}

/// An example sentence of a narrative.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Example {
    /// The text.
    pub text: String,
    /// Whether the narrative must be found in it.
    pub matches: bool,
    /// Its language, when given.
    #[serde(default)]
    pub lang: Option<String>,
    /// Why it is there.
    #[serde(default)]
    pub note: Option<String>,
}

/// A narrative.
#[derive(Debug, Clone)]
pub struct Narrative {
    /// Stable id.
    pub id: String,
    /// Labels.
    pub labels: Labels,
    /// What it claims.
    pub description: String,
    /// Where its definition comes from.
    pub sources: Vec<String>,
    /// Score from which it is reported.
    pub threshold: f32,
    /// Rules.
    pub rules: Vec<Rule>,
    /// Examples.
    pub examples: Vec<Example>,
}

/// A checked, compiled codebook.
#[derive(Debug, Clone)]
pub struct Codebook {
    /// Its name.
    pub name: String,
    /// Its version.
    pub version: Option<String>,
    /// What it covers.
    pub description: Option<String>,
    /// Where it comes from.
    pub source: Option<String>,
    /// Its licence.
    pub licence: Option<String>,
    /// Narratives.
    pub narratives: Vec<Narrative>,
    /// Terms, by index, as words.
    terms: Vec<Vec<String>>,
    /// Per language: the automaton and its term indices.
    sets: Vec<(String, TermSet, Vec<usize>)>,
}

/// The built-in codebook (`resources/codebooks/sahel-kremlin.toml`).
pub const BUILTIN: &str = include_str!("../../../resources/codebooks/sahel-kremlin.toml");

/// Largest rule weight (scores stay finite).
const MAX_WEIGHT: f32 = 1000.0;

/// Languages whose terms are compiled.
const LANGS: &[&str] = &["fr", "en"];

impl Codebook {
    /// Parses, checks and compiles a codebook.
    pub fn parse(src: &str, stem: &Stemmers) -> Result<Self, CodebookError> {
        let raw: RawFile = toml::from_str(src).map_err(|e| {
            let (line, column) = e.span().map_or((1, 1), |s| line_col(src, s.start));
            CodebookError {
                line,
                column,
                message: e.message().to_string(),
            }
        })?;
        let err = |at: usize, message: String| {
            let (line, column) = line_col(src, at);
            CodebookError {
                line,
                column,
                message,
            }
        };
        let mut terms: Vec<Vec<String>> = Vec::new();
        let mut term_langs: Vec<Vec<String>> = Vec::new();
        let mut narratives = Vec::new();
        let mut ids = std::collections::HashSet::new();
        for n in raw.narratives {
            let id = n.id.get_ref().trim().to_string();
            let at = n.id.span().start;
            if id.is_empty()
                || !id
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
            {
                return Err(err(
                    at,
                    format!("narrative id {id:?}: use letters, digits, '-' and '_'"),
                ));
            }
            if !ids.insert(id.clone()) {
                return Err(err(at, format!("narrative id {id:?} is used twice")));
            }
            if n.rules.is_empty() {
                return Err(err(at, format!("narrative {id:?} has no rule")));
            }
            let threshold = n.threshold.unwrap_or(1.0);
            if !threshold.is_finite() || threshold <= 0.0 {
                return Err(err(at, format!("narrative {id:?}: threshold must be > 0")));
            }
            let mut rules = Vec::new();
            for r in n.rules {
                let langs: Vec<String> = match &r.lang {
                    None => Vec::new(),
                    Some(l) => {
                        let v: Vec<String> = l
                            .get_ref()
                            .split([',', ' '])
                            .filter(|s| !s.is_empty())
                            .map(str::to_string)
                            .collect();
                        if v.is_empty() {
                            return Err(err(l.span().start, "empty language (fr, en)".into()));
                        }
                        if let Some(bad) = v.iter().find(|x| !LANGS.contains(&x.as_str())) {
                            return Err(err(
                                l.span().start,
                                format!("unknown language {bad:?} (fr, en)"),
                            ));
                        }
                        v
                    }
                };
                let scope = match r.scope.as_ref().map(|s| s.get_ref().as_str()) {
                    None | Some("sentence") => Unit::Sentence,
                    Some("paragraph") => Unit::Paragraph,
                    Some("document") => Unit::Document,
                    Some(other) => {
                        return Err(err(
                            r.scope.as_ref().map_or(0, |s| s.span().start),
                            format!("unknown scope {other:?} (sentence, paragraph, document)"),
                        ))
                    }
                };
                let weight = r.weight.unwrap_or(1.0);
                if !weight.is_finite() || weight.abs() > MAX_WEIGHT {
                    return Err(err(
                        r.query.span().start,
                        format!("this rule's weight must be a number from -{MAX_WEIGHT} to {MAX_WEIGHT}"),
                    ));
                }
                let q = r.query.get_ref();
                // The query's first character in the file: after its quote mark (three for a
                // multi-line string, and the newline right after them).
                let start = r.query.span().start;
                let opening = src.get(start..).unwrap_or("");
                let base = if opening.starts_with("'''") || opening.starts_with("\"\"\"") {
                    start + 3 + usize::from(opening[3..].starts_with('\n'))
                } else {
                    start + 1
                };
                let before = terms.len();
                let expr = Parser::new(q, &mut terms)
                    .parse()
                    .map_err(|(off, m)| err(base + off, m))?;
                let rule_langs: Vec<String> = if langs.is_empty() {
                    LANGS.iter().map(|s| s.to_string()).collect()
                } else {
                    langs.clone()
                };
                term_langs.resize(terms.len(), Vec::new());
                for tl in &mut term_langs[before..] {
                    *tl = rule_langs.clone();
                }
                if !expr.near_sides_anchored() {
                    return Err(err(
                        base,
                        "NEAR needs something to find on both sides, not a bare NOT: write \
                         `(a NEAR/3 b) NOT c`"
                            .into(),
                    ));
                }
                if !expr.anchored() {
                    return Err(err(
                        base,
                        "this rule matches only through NOT: give it a term or an actor to \
                         look for"
                            .into(),
                    ));
                }
                let mut positive = Vec::new();
                expr.positive_terms(&mut positive);
                positive.sort_unstable();
                positive.dedup();
                let everywhere = expr.needs_all_units();
                rules.push(Rule {
                    source: q.clone(),
                    langs,
                    scope,
                    weight,
                    expr,
                    positive,
                    everywhere,
                });
            }
            narratives.push(Narrative {
                id,
                labels: n.labels,
                description: n.description,
                sources: n.sources,
                threshold,
                rules,
                examples: n.examples,
            });
        }
        let mut sets = Vec::new();
        for &lang in LANGS {
            let ids: Vec<usize> = (0..terms.len())
                .filter(|&i| term_langs[i].iter().any(|l| l == lang))
                .collect();
            let words: Vec<Vec<String>> = ids.iter().map(|&i| terms[i].clone()).collect();
            let set = TermSet::new(stem, &words, lang).map_err(|_| err(0, "empty term".into()))?;
            sets.push((lang.to_string(), set, ids));
        }
        Ok(Codebook {
            name: raw.codebook.name,
            version: raw.codebook.version,
            description: raw.codebook.description,
            source: raw.codebook.source,
            licence: raw.codebook.licence,
            narratives,
            terms,
            sets,
        })
    }

    /// Its compiled term sets (one per language).
    pub fn term_sets(&self) -> impl Iterator<Item = &TermSet> {
        self.sets.iter().map(|(_, s, _)| s)
    }

    /// The words of term `i`.
    pub fn term(&self, i: usize) -> &[String] {
        &self.terms[i]
    }

    /// Applies the codebook to an analysed document.
    pub fn apply(&self, d: &DocView) -> Vec<NarrativeFound> {
        let hits = self
            .set_for(&d.p.language.code)
            .map_or_else(Vec::new, |s| s.find(d.keys));
        self.apply_hits(d, &hits)
    }

    /// The term set of one language.
    pub fn set_for(&self, lang: &str) -> Option<&TermSet> {
        self.sets
            .iter()
            .find(|(l, _, _)| l == lang)
            .map(|(_, s, _)| s)
    }

    /// [`Codebook::apply`], given the hits of the language's term set ([`Codebook::set_for`]).
    pub fn apply_hits(&self, d: &DocView, found: &[crate::terms::TermHit]) -> Vec<NarrativeFound> {
        let lang = d.p.language.code.as_str();
        let Some((_, _, ids)) = self.sets.iter().find(|(l, _, _)| l == lang) else {
            return Vec::new();
        };
        let mut hits: Vec<Vec<(usize, usize)>> = vec![Vec::new(); self.terms.len()];
        for h in found {
            hits[ids[h.term]].push((h.first, h.last));
        }
        let ev = Eval::new(d, &hits);
        let mut out = Vec::new();
        for (ni, n) in self.narratives.iter().enumerate() {
            let mut score = 0.0;
            let mut evidence = Vec::new();
            for (ri, r) in n.rules.iter().enumerate() {
                if !r.langs.is_empty() && !r.langs.iter().any(|l| l == lang) {
                    continue;
                }
                if !r.everywhere && r.positive.iter().all(|&t| hits[t].is_empty()) {
                    continue;
                }
                for (unit, spans) in ev.rule_matches(r) {
                    score += r.weight;
                    evidence.push(EvidenceFound {
                        rule: ri,
                        unit,
                        spans,
                    });
                }
            }
            if score >= n.threshold && !evidence.is_empty() {
                out.push(NarrativeFound {
                    narrative: ni,
                    score,
                    evidence,
                });
            }
        }
        out
    }
}

/// What a codebook reads of an analysed document.
pub struct DocView<'a> {
    /// Tokens, sentences, paragraphs, language.
    pub p: &'a Prepared<'a>,
    /// First token of each sentence, and the token count ([`crate::stance::sentence_bounds`]).
    pub sentence_bounds: &'a [usize],
    /// Word keys.
    pub keys: &'a KeyStream,
    /// Actors.
    pub layer: &'a ActorLayer<'a>,
    /// Quotes.
    pub quotes: &'a [QuoteFound],
    /// Stances.
    pub stance: &'a StanceLayer,
}

/// One rule match: the unit it holds in and the evidence that fired.
#[derive(Debug, Clone)]
pub struct EvidenceFound {
    /// Index of the rule in its narrative.
    pub rule: usize,
    /// The sentence, paragraph or document.
    pub unit: ByteSpan,
    /// The words that fired, in text order.
    pub spans: Vec<ByteSpan>,
}

/// A narrative found in a document.
#[derive(Debug, Clone)]
pub struct NarrativeFound {
    /// Index of the narrative in its codebook.
    pub narrative: usize,
    /// Sum of the weights of the rule matches.
    pub score: f32,
    /// The matches.
    pub evidence: Vec<EvidenceFound>,
}

/// Evidence as token ranges (first, last inclusive).
type Ev = Vec<(usize, usize)>;

struct Eval<'a> {
    d: &'a DocView<'a>,
    /// Per term: its hits, sorted by first token.
    hits: &'a [Vec<(usize, usize)>],
    /// Sentences and paragraphs as token windows, in order.
    sentences: Vec<(usize, usize)>,
    paragraphs: Vec<(usize, usize)>,
    /// Per actor: its mentions as token ranges, sorted.
    mentions: Vec<Vec<(usize, usize)>>,
    /// Per actor: its stance evidence, sorted by the words' first token.
    stances: Vec<Vec<StanceAt>>,
    /// The quotes, for overlap queries.
    quotes: QuoteIndex,
    /// Actor specs already resolved.
    resolved: std::cell::RefCell<rustc_hash::FxHashMap<String, Vec<usize>>>,
}

/// A stance evidence as token ranges: the words, their value, the mention.
type StanceAt = ((usize, usize), f32, (usize, usize));

/// The items of `v` (sorted by their first token) that lie within tokens `lo..hi`.
fn within<T: Copy>(v: &[T], key: impl Fn(&T) -> (usize, usize), lo: usize, hi: usize) -> Vec<T> {
    let a = v.partition_point(|x| key(x).0 < lo);
    v[a..]
        .iter()
        .take_while(|x| key(x).0 < hi)
        .filter(|x| key(x).1 < hi)
        .copied()
        .collect()
}

impl<'a> Eval<'a> {
    fn new(d: &'a DocView<'a>, hits: &'a [Vec<(usize, usize)>]) -> Self {
        let p = d.p;
        let toks = &p.tokens;
        let sentences = d.sentence_bounds.windows(2).map(|w| (w[0], w[1])).collect();
        let paragraphs = p
            .paragraphs
            .iter()
            .map(|s| {
                (
                    toks.partition_point(|t| t.span.start < s.start),
                    toks.partition_point(|t| t.span.start < s.end),
                )
            })
            .collect();
        let mentions = d
            .layer
            .actors
            .iter()
            .map(|a| {
                let mut v: Vec<(usize, usize)> = a
                    .mentions
                    .iter()
                    .map(|m| token_range(toks, m.span))
                    .collect();
                v.sort_unstable();
                v
            })
            .collect();
        let mut stances = vec![Vec::new(); d.layer.actors.len()];
        for st in &d.stance.stances {
            for e in &st.evidence {
                stances[st.actor].push((
                    token_range(toks, e.span),
                    e.value,
                    token_range(toks, e.mention),
                ));
            }
        }
        for v in &mut stances {
            v.sort_by_key(|x: &StanceAt| x.0);
        }
        Eval {
            d,
            hits,
            sentences,
            paragraphs,
            mentions,
            stances,
            quotes: QuoteIndex::new(d.quotes),
            resolved: Default::default(),
        }
    }

    /// Token windows of a unit within `lo..hi`.
    fn units(&self, unit: Unit, lo: usize, hi: usize) -> Vec<(usize, usize)> {
        let all = match unit {
            Unit::Document => return vec![(lo, hi)],
            Unit::Sentence => &self.sentences,
            Unit::Paragraph => &self.paragraphs,
        };
        // Units are in order: those that end after `lo` and start before `hi`.
        let a = all.partition_point(|u| u.1 <= lo);
        all[a..]
            .iter()
            .take_while(|u| u.0 < hi)
            .map(|&(a, b)| (a.max(lo), b.min(hi)))
            .filter(|(a, b)| a < b)
            .collect()
    }

    fn rule_matches(&self, r: &Rule) -> Vec<(ByteSpan, Vec<ByteSpan>)> {
        let toks = &self.d.p.tokens;
        if toks.is_empty() {
            return Vec::new();
        }
        let mut out = Vec::new();
        let units = self.units(r.scope, 0, toks.len());
        // Only units holding one of the rule's terms, unless it needs no term.
        let mut wanted = vec![r.everywhere; units.len()];
        if !r.everywhere {
            for &t in &r.positive {
                for &(f, l) in &self.hits[t] {
                    let u = units.partition_point(|u| u.1 <= f);
                    if u < units.len() && units[u].0 <= f && l < units[u].1 {
                        wanted[u] = true;
                    }
                }
            }
        }
        for (u, &(a, b)) in units.iter().enumerate() {
            if !wanted[u] {
                continue;
            }
            if let Some(mut ev) = self.eval(&r.expr, a, b) {
                ev.sort_unstable();
                ev.dedup();
                let spans = ev
                    .iter()
                    .map(|&(f, l)| ByteSpan::new(toks[f].span.start, toks[l].span.end))
                    .collect();
                out.push((
                    ByteSpan::new(toks[a].span.start, toks[b - 1].span.end),
                    spans,
                ));
            }
        }
        out
    }

    fn eval(&self, e: &Expr, lo: usize, hi: usize) -> Option<Ev> {
        match e {
            Expr::Term(t) => {
                let v: Ev = within(&self.hits[*t], |&x| x, lo, hi);
                (!v.is_empty()).then_some(v)
            }
            Expr::And(v) => {
                let mut out = Vec::new();
                for x in v {
                    out.extend(self.eval(x, lo, hi)?);
                }
                Some(out)
            }
            Expr::Or(v) => {
                let mut out = Vec::new();
                let mut any = false;
                for x in v {
                    if let Some(ev) = self.eval(x, lo, hi) {
                        any = true;
                        out.extend(ev);
                    }
                }
                any.then_some(out)
            }
            Expr::Not(x) => match self.eval(x, lo, hi) {
                Some(_) => None,
                None => Some(Vec::new()),
            },
            Expr::Near(a, b, n) => {
                let (mut ea, mut eb) = (self.eval(a, lo, hi)?, self.eval(b, lo, hi)?);
                ea.sort_unstable();
                ea.dedup();
                eb.sort_unstable();
                eb.dedup();
                let gap = |x: (usize, usize), y: (usize, usize)| {
                    if x.1 < y.0 {
                        y.0 - x.1 - 1
                    } else {
                        x.0.saturating_sub(y.1 + 1)
                    }
                };
                // Each side once, whatever the number of pairs: `b` items near an `a` item form
                // a run of `eb` (sorted by start; ranges are a few words long), marked with a
                // difference array; a few longer ones before the run are checked one by one.
                let mut marks = vec![0i64; eb.len() + 1];
                let mut single = vec![false; eb.len()];
                let mut out = Vec::new();
                for &x in &ea {
                    let s = eb.partition_point(|y| y.0.saturating_add(*n).saturating_add(1) < x.0);
                    let e = eb.partition_point(|y| y.0 <= x.1.saturating_add(*n).saturating_add(1));
                    // (An item is not near itself: `accord NEAR/3 accord` needs two.)
                    let own = eb[s..e].binary_search(&x).ok().map(|j| s + j);
                    let mut near = e - s > usize::from(own.is_some());
                    let mut mark = |a: usize, b: usize| {
                        if b > a {
                            marks[a] += 1;
                            marks[b] -= 1;
                        }
                    };
                    match own {
                        Some(j) => {
                            mark(s, j);
                            mark(j + 1, e);
                        }
                        None => mark(s, e),
                    }
                    for k in (s.saturating_sub(16)..s).rev() {
                        if eb[k] != x && gap(x, eb[k]) <= *n {
                            single[k] = true;
                            near = true;
                        }
                    }
                    if near {
                        out.push(x);
                    }
                }
                let mut run = 0i64;
                for (k, &y) in eb.iter().enumerate() {
                    run += marks[k];
                    if run > 0 || single[k] {
                        out.push(y);
                    }
                }
                (!out.is_empty()).then_some(out)
            }
            Expr::Within(unit, x) => {
                let mut out = Vec::new();
                let mut any = false;
                for (a, b) in self.units(*unit, lo, hi) {
                    if let Some(ev) = self.eval(x, a, b) {
                        any = true;
                        out.extend(ev);
                    }
                }
                any.then_some(out)
            }
            Expr::Actor(spec, sign) => self.actor(spec, *sign, lo, hi),
            Expr::Quote(x, by) => {
                let mut out = Vec::new();
                let mut any = false;
                let toks = &self.d.p.tokens;
                let bytes = (toks[lo].span.start, toks[hi - 1].span.end);
                for i in self.quotes.overlapping(bytes.0, bytes.1) {
                    let q = &self.d.quotes[i];
                    if !self.speaker_fits(q, by) {
                        continue;
                    }
                    let a = toks.partition_point(|t| t.span.start < q.content.start);
                    let b = toks.partition_point(|t| t.span.start < q.content.end);
                    let (a, b) = (a.max(lo), b.min(hi));
                    if a >= b {
                        continue;
                    }
                    if let Some(ev) = self.eval(x, a, b) {
                        any = true;
                        out.extend(ev);
                    }
                }
                any.then_some(out)
            }
        }
    }

    /// Whether actor `i` is the one a spec names: an ISO country code (`RU`), an actor id
    /// (`org:UN`, `person:sadio-camara`) or a name (accents and case ignored).
    fn actor_is(&self, i: usize, spec: &str) -> bool {
        let a = &self.d.layer.actors[i];
        if spec.len() == 2
            && spec.chars().all(|c| c.is_ascii_uppercase())
            && a.kind == ActorKind::Country
            && a.country.as_deref() == Some(spec)
        {
            return true;
        }
        if spec.contains(':') {
            return a.id.eq_ignore_ascii_case(spec);
        }
        // A name: the actor's, or one of its mentions as written (`ONU`, `UE`, `Moscou`).
        let f = fold(spec);
        fold(&a.name) == f
            || a.mentions.iter().any(|m| {
                m.kind == "name" && fold(&self.d.p.norm.text[m.span.start..m.span.end]) == f
            })
    }

    fn actor(&self, spec: &str, sign: Option<Sign>, lo: usize, hi: usize) -> Option<Ev> {
        let actors = self
            .resolved
            .borrow_mut()
            .entry(spec.to_string())
            .or_insert_with(|| {
                (0..self.d.layer.actors.len())
                    .filter(|&i| self.actor_is(i, spec))
                    .collect()
            })
            .clone();
        let mut out = Vec::new();
        match sign {
            None => {
                for &i in &actors {
                    out.extend(within(&self.mentions[i], |&x| x, lo, hi));
                }
            }
            Some(sign) => {
                let mut sum = 0.0;
                for &i in &actors {
                    for (words, value, mention) in within(&self.stances[i], |x| x.0, lo, hi) {
                        sum += value;
                        out.push(words);
                        if mention.0 >= lo && mention.1 < hi {
                            out.push(mention);
                        }
                    }
                }
                let ok = match sign {
                    Sign::Positive => sum > 0.0,
                    Sign::Negative => sum < 0.0,
                };
                if !ok {
                    return None;
                }
            }
        }
        (!out.is_empty()).then_some(out)
    }

    /// Whether a quote's speaker fits every condition of a `by` list: a country code (the
    /// speaker's country, or the speaker is that country), `official` (a role, or an
    /// institution), `named` / `unnamed`, an actor id, or words of the speaker's name.
    fn speaker_fits(&self, q: &QuoteFound, by: &[String]) -> bool {
        if by.is_empty() {
            return true;
        }
        let Some(s) = &q.speaker else {
            return false;
        };
        let actor = s.actor.map(|i| &self.d.layer.actors[i]);
        by.iter().all(|c| {
            if c.len() == 2 && c.chars().all(|x| x.is_ascii_uppercase()) {
                actor.is_some_and(|a| {
                    a.country.as_deref() == Some(c.as_str())
                        || a.roles
                            .iter()
                            .any(|r| r.country.as_deref() == Some(c.as_str()))
                })
            } else if c == "official" {
                s.role.is_some()
                    || actor.is_some_and(|a| {
                        !a.roles.is_empty()
                            || matches!(a.kind, ActorKind::Country | ActorKind::Organization)
                    })
            } else if c == "named" {
                s.named
            } else if c == "unnamed" {
                !s.named
            } else if c.contains(':') {
                actor.is_some_and(|a| a.id.eq_ignore_ascii_case(c))
            } else {
                fold(&s.name).contains(&fold(c))
            }
        })
    }
}

// ---------------------------------------------------------------------------------------------
// The query language.

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Word(String),
    Phrase(String),
    And,
    Or,
    Not,
    Near(usize),
    Open,
    Close,
    Comma,
    Equals,
    Func(String),
}

struct Parser<'a> {
    toks: Vec<(usize, Tok)>,
    i: usize,
    src: &'a str,
    terms: &'a mut Vec<Vec<String>>,
    lex_error: Option<(usize, String)>,
    depth: usize,
}

/// Deepest nesting of parentheses, functions and `NOT`s a rule may have.
const MAX_DEPTH: usize = 200;

impl<'a> Parser<'a> {
    fn new(src: &'a str, terms: &'a mut Vec<Vec<String>>) -> Self {
        let mut toks = Vec::new();
        let mut lex_error = None;
        let chars: Vec<(usize, char)> = src.char_indices().collect();
        let mut k = 0;
        while k < chars.len() {
            let (at, c) = chars[k];
            if c.is_whitespace() {
                k += 1;
                continue;
            }
            match c {
                '(' => toks.push((at, Tok::Open)),
                ')' => toks.push((at, Tok::Close)),
                ',' => toks.push((at, Tok::Comma)),
                '=' => toks.push((at, Tok::Equals)),
                '"' | '«' | '“' => {
                    let close = match c {
                        '«' => '»',
                        '“' => '”',
                        _ => '"',
                    };
                    let mut e = k + 1;
                    while e < chars.len() && chars[e].1 != close {
                        e += 1;
                    }
                    if e == chars.len() {
                        lex_error.get_or_insert((at, "unclosed quote mark".to_string()));
                        break;
                    }
                    let body: String = chars[k + 1..e].iter().map(|x| x.1).collect();
                    toks.push((at, Tok::Phrase(body)));
                    k = e;
                }
                _ if c.is_alphanumeric()
                    || c == '*'
                    || c == '\''
                    || c == '’'
                    || c == '-'
                    || c == '/' =>
                {
                    let mut e = k;
                    while e < chars.len() {
                        let x = chars[e].1;
                        if x.is_alphanumeric() || ['*', '\'', '’', '-', '/', ':', '.'].contains(&x)
                        {
                            e += 1;
                        } else {
                            break;
                        }
                    }
                    let w: String = chars[k..e].iter().map(|x| x.1).collect();
                    let next = chars[e..]
                        .iter()
                        .find(|x| !x.1.is_whitespace())
                        .map(|x| x.1);
                    let tok = match w.as_str() {
                        "AND" => Tok::And,
                        "OR" => Tok::Or,
                        "NOT" => Tok::Not,
                        _ if w.starts_with("NEAR/") => match w[5..].parse() {
                            Ok(n) => Tok::Near(n),
                            Err(_) => {
                                lex_error.get_or_insert((
                                    at,
                                    format!("{w:?}: NEAR takes a number of words, as in NEAR/5"),
                                ));
                                Tok::Near(0)
                            }
                        },
                        _ if next == Some('(') && w.chars().all(|x| x.is_ascii_lowercase()) => {
                            Tok::Func(w)
                        }
                        _ => Tok::Word(w),
                    };
                    toks.push((at, tok));
                    k = e;
                    continue;
                }
                _ => {
                    lex_error.get_or_insert((at, format!("unexpected character {c:?}")));
                }
            }
            k += 1;
        }
        Parser {
            toks,
            i: 0,
            src,
            terms,
            lex_error,
            depth: 0,
        }
    }

    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.i).map(|t| &t.1)
    }

    fn at(&self) -> usize {
        self.toks.get(self.i).map_or(self.src.len(), |t| t.0)
    }

    fn parse(mut self) -> Result<Expr, (usize, String)> {
        if let Some(e) = self.lex_error.take() {
            return Err(e);
        }
        if self.toks.is_empty() {
            return Err((0, "empty rule".into()));
        }
        let e = self.or()?;
        if self.i < self.toks.len() {
            return Err((
                self.at(),
                "unexpected text after the end of the rule".into(),
            ));
        }
        Ok(e)
    }

    fn or(&mut self) -> Result<Expr, (usize, String)> {
        let mut v = vec![self.and()?];
        while self.peek() == Some(&Tok::Or) {
            self.i += 1;
            v.push(self.and()?);
        }
        Ok(if v.len() == 1 {
            v.remove(0)
        } else {
            Expr::Or(v)
        })
    }

    fn and(&mut self) -> Result<Expr, (usize, String)> {
        let mut v = vec![self.near()?];
        loop {
            match self.peek() {
                Some(Tok::And) => {
                    self.i += 1;
                    v.push(self.near()?);
                }
                // Juxtaposition is AND, as in search engines: `a NOT b`, `a b`.
                Some(Tok::Not | Tok::Word(_) | Tok::Phrase(_) | Tok::Open | Tok::Func(_)) => {
                    v.push(self.near()?)
                }
                _ => break,
            }
        }
        Ok(if v.len() == 1 {
            v.remove(0)
        } else {
            Expr::And(v)
        })
    }

    fn near(&mut self) -> Result<Expr, (usize, String)> {
        let mut e = self.unary()?;
        while let Some(&Tok::Near(n)) = self.peek() {
            self.i += 1;
            let b = self.unary()?;
            e = Expr::Near(Box::new(e), Box::new(b), n);
        }
        Ok(e)
    }

    fn unary(&mut self) -> Result<Expr, (usize, String)> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err((
                self.at(),
                format!("the rule nests deeper than {MAX_DEPTH} levels"),
            ));
        }
        let e = if self.peek() == Some(&Tok::Not) {
            self.i += 1;
            self.unary().map(|x| Expr::Not(Box::new(x)))
        } else {
            self.primary()
        };
        self.depth -= 1;
        e
    }

    fn term(&mut self, at: usize, t: &str) -> Result<Expr, (usize, String)> {
        let words = term_words(t);
        if words.is_empty() {
            return Err((at, format!("{t:?} has no word")));
        }
        if words[..words.len() - 1].iter().any(|w| w.contains('*')) {
            return Err((at, format!("{t:?}: only the last word may end with '*'")));
        }
        if let Some(w) = words.last().filter(|w| w.contains('*')) {
            if !w.ends_with('*') || w.trim_end_matches('*').chars().count() < 3 {
                return Err((
                    at,
                    format!("{t:?}: a prefix needs 3 letters before one final '*'"),
                ));
            }
        }
        self.terms.push(words);
        Ok(Expr::Term(self.terms.len() - 1))
    }

    fn expect(&mut self, t: Tok, what: &str) -> Result<(), (usize, String)> {
        if self.peek() == Some(&t) {
            self.i += 1;
            Ok(())
        } else {
            Err((self.at(), format!("expected {what}")))
        }
    }

    fn primary(&mut self) -> Result<Expr, (usize, String)> {
        let at = self.at();
        let Some(tok) = self.peek().cloned() else {
            return Err((at, "the rule ends too early: a term is missing".into()));
        };
        self.i += 1;
        match tok {
            Tok::Word(w) => self.term(at, &w),
            Tok::Phrase(p) => self.term(at, &p),
            Tok::Open => {
                let e = self.or()?;
                self.expect(Tok::Close, "')'")?;
                Ok(e)
            }
            Tok::Func(f) => {
                self.expect(Tok::Open, "'('")?;
                let e = match f.as_str() {
                    "sentence" | "paragraph" => {
                        let unit = if f == "sentence" {
                            Unit::Sentence
                        } else {
                            Unit::Paragraph
                        };
                        Expr::Within(unit, Box::new(self.or()?))
                    }
                    "actor" => {
                        let spec = self
                            .word_arg("an actor: a country code (RU), an id (org:UN) or a name")?;
                        let sign = if self.peek() == Some(&Tok::Comma) {
                            self.i += 1;
                            let a = self.at();
                            match self.word_arg("positive or negative")?.as_str() {
                                "positive" => Some(Sign::Positive),
                                "negative" => Some(Sign::Negative),
                                other => {
                                    return Err((
                                        a,
                                        format!("{other:?}: a stance is positive or negative"),
                                    ))
                                }
                            }
                        } else {
                            None
                        };
                        Expr::Actor(spec, sign)
                    }
                    "quote" => {
                        let inner = self.or()?;
                        let mut by = Vec::new();
                        if self.peek() == Some(&Tok::Comma) {
                            self.i += 1;
                            let a = self.at();
                            if self.word_arg("by")? != "by" {
                                return Err((a, "expected by = …".into()));
                            }
                            self.expect(Tok::Equals, "'=' after by")?;
                            by = self
                                .word_arg("who speaks: ML, official, named, an actor id or a name")?
                                .split_whitespace()
                                .map(str::to_string)
                                .collect();
                        }
                        Expr::Quote(Box::new(inner), by)
                    }
                    other => {
                        return Err((
                            at,
                            format!(
                                "unknown function {other:?} (sentence, paragraph, actor, quote)"
                            ),
                        ))
                    }
                };
                self.expect(Tok::Close, "')'")?;
                Ok(e)
            }
            _ => Err((at, "expected a term, a phrase, '(' or a function".into())),
        }
    }

    fn word_arg(&mut self, what: &str) -> Result<String, (usize, String)> {
        let at = self.at();
        match self.peek().cloned() {
            Some(Tok::Word(w) | Tok::Phrase(w)) => {
                self.i += 1;
                Ok(w)
            }
            _ => Err((at, format!("expected {what}"))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(q: &str) -> Result<Expr, (usize, String)> {
        let mut terms = Vec::new();
        Parser::new(q, &mut terms).parse()
    }

    #[test]
    fn queries_parse_and_errors_point_at_their_place() {
        assert!(parse(r#"("partenaire fiable" OR sincère*) AND actor(RU)"#).is_ok());
        assert!(parse("échec NEAR/6 (Barkhane OR \"forces internationales\")").is_ok());
        assert!(parse("sentence(sanction* CEDEAO) NOT humanitaire").is_ok());
        assert!(parse("quote(souveraineté, by = \"ML official\")").is_ok());
        assert!(parse("actor(RU, positive)").is_ok());
        assert_eq!(
            parse("échec AND (Barkhane").unwrap_err().0,
            "échec AND (Barkhane".len()
        );
        assert_eq!(parse("a NEAR/x b").unwrap_err().0, 2);
        assert!(parse("actor(RU, glowing)")
            .unwrap_err()
            .1
            .contains("positive or negative"));
        assert!(parse("frobnicate(x)")
            .unwrap_err()
            .1
            .contains("unknown function"));
        assert!(parse("\"partenaire fiable")
            .unwrap_err()
            .1
            .contains("unclosed"));
        assert!(parse("so*").unwrap_err().1.contains("3 letters"));
    }

    #[test]
    fn codebook_errors_carry_line_and_column() {
        let stem = Stemmers::default();
        let src = "[codebook]\nname = \"t\"\n\n[[narratives]]\nid = \"x\"\nlabels = { fr = \"x\", en = \"x\" }\ndescription = \"d\"\n[[narratives.rules]]\nmatch = 'échec AND (Barkhane'\n";
        let e = Codebook::parse(src, &stem).unwrap_err();
        assert_eq!((e.line, e.column), (9, 29), "{e}");
        let src = src.replace("description", "descripton");
        let e = Codebook::parse(&src, &stem).unwrap_err();
        assert_eq!(e.line, 7, "{e}");
        let only_not = "[codebook]\nname = \"t\"\n[[narratives]]\nid = \"x\"\nlabels = { fr = \"x\", en = \"x\" }\ndescription = \"d\"\n[[narratives.rules]]\nmatch = 'NOT paix'\n";
        let e = Codebook::parse(only_not, &stem).unwrap_err();
        assert!(e.message.contains("only through NOT"), "{e}");
        assert!(Codebook::parse(BUILTIN, &stem).is_ok());
    }
}
