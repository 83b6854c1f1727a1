//! Vigie's analysis pipeline: a pure function from a [`Document`] to its [`Analysis`].
//!
//! Components run in order, each adding its layer: [`normalize`] (a normalised view with an
//! offset map back to the original), [`segment`] (paragraphs), [`quotemarks`] (quote-mark
//! pairs), [`segment`] again (sentences, which need the closing marks), and [`lang`]. The
//! pipeline never touches disk or network; resources are loaded once ([`Resources`]) and
//! shared by every thread.

#![warn(missing_docs)]

pub mod actors;
pub mod codebook;
pub mod gazetteer;
pub mod lang;
pub mod lexicons;
pub mod ner;
pub mod ner_en;
pub mod normalize;
pub mod quotemarks;
pub mod quotes;
pub mod resources;
pub mod segment;
pub mod stance;
pub mod terms;
pub mod tokenize;

pub use resources::Resources;

use normalize::Normalized;
use quotemarks::QuotePair;
use tokenize::Token;
use vigie_core::{
    Actor, ActorMention, Analysis, ByteSpan, CharIndex, Document, Entity, LanguageGuess,
    NarrativeEvidence, NarrativeMatch, OutletRef, Outlets, Quote, QuoteMark, Role, Sentence, Span,
    Speaker, Stance, StanceEvidence, Stats, Warning, SCHEMA_VERSION,
};

/// The layers every later component reads: the normalised text and its segmentation.
#[derive(Debug, Clone)]
pub struct Prepared<'a> {
    /// Normalised view of the text, with its map back to the original.
    pub norm: Normalized<'a>,
    /// Paragraphs (bytes of the normalised text).
    pub paragraphs: Vec<ByteSpan>,
    /// Quote-mark pairs.
    pub quotes: Vec<QuotePair>,
    /// Closing marks without an opening one.
    pub unmatched: Vec<quotemarks::Unmatched>,
    /// Where a cap of docs/limits.md applied (reported as warnings).
    pub capped: Vec<Capped>,
    /// Sentences and their paragraph index.
    pub sentences: Vec<(ByteSpan, usize)>,
    /// Tokens of every sentence.
    pub tokens: Vec<Token>,
    /// Detected language.
    pub language: LanguageGuess,
    /// Gazetteer hits.
    pub gazetteer: Vec<gazetteer::GazMatch>,
}

/// A place where the analysis applied one of its caps (docs/limits.md), to report as a
/// warning: the text went on being analysed, with less read there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Capped {
    /// Machine-readable kind (`quote_depth_cap`, …).
    pub kind: &'static str,
    /// Where (bytes of the normalised text).
    pub span: ByteSpan,
    /// A sentence for a person.
    pub message: String,
}

/// Gazetteer codes per token for the NER features (see [`ner::GazCode`]).
pub fn gaz_codes(
    res: &Resources,
    tokens: &[Token],
    hits: &[gazetteer::GazMatch],
) -> Vec<ner::GazCode> {
    let mut codes = vec![0u8; tokens.len()];
    let Some(gz) = &res.gazetteer else {
        return codes;
    };
    let mut t = 0;
    for h in hits {
        let label = match gz.entries[h.entry].kind.label() {
            Some("LOC") => 1,
            Some("ORG") => 2,
            _ => 3,
        };
        while t < tokens.len() && tokens[t].span.start < h.span.start {
            t += 1;
        }
        let mut k = t;
        while k < tokens.len() && tokens[k].span.end <= h.span.end {
            codes[k] = 1 + 2 * label + (k > t) as u8;
            k += 1;
        }
    }
    codes
}

/// Output options.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    /// Copy the document text into the analysis.
    pub include_text: bool,
    /// How deep to analyse: each layer needs the ones before it.
    pub layers: Layers,
    /// The longest a document may take ([`Pipeline::try_analyze`]): past it, checked
    /// between layers, the analysis stops with [`OverBudget`]. `None`: no limit.
    pub time_budget: Option<std::time::Duration>,
    /// The most heap one document's analysis may hold, in bytes, checked between layers like
    /// the time budget. Counted only in a binary whose global allocator is wrapped in
    /// [`vigie_core::alloc::Counting`] (the `vigie` binary is). `None`: no limit.
    pub memory_budget: Option<usize>,
}

/// A document whose analysis went over its time or memory budget.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OverBudget {
    /// The last layer finished when the budget ran out.
    pub layer: &'static str,
    /// Which budget, and how far over.
    pub over: Over,
}

/// The budget a document went over.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Over {
    /// Time spent, and the budget.
    Time(std::time::Duration, std::time::Duration),
    /// Heap held (bytes), and the budget.
    Memory(usize, usize),
}

impl std::fmt::Display for OverBudget {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (what, spent, budget, flag) = match self.over {
            Over::Time(spent, budget) => (
                "time",
                format!("took {:.3} s", spent.as_secs_f64()),
                format!("{:.3} s", budget.as_secs_f64()),
                "--time-budget",
            ),
            Over::Memory(held, budget) => (
                "memory",
                format!("held {} MB", held >> 20),
                format!("{} MB", budget >> 20),
                "--memory-budget",
            ),
        };
        write!(
            f,
            "the analysis {spent}, over the {what} budget of {budget} per document (stopped \
             after the {} layer); the document is skipped: raise the budget ({flag}) or split the \
             document",
            self.layer
        )
    }
}

impl std::error::Error for OverBudget {}

/// One analysis against its budgets.
struct Clock {
    started: std::time::Instant,
    heap_at_start: i64,
    budget: Budget,
}

/// The budgets of one analysis (none when checked by the infallible entry points).
#[derive(Clone, Copy, Default)]
struct Budget {
    time: Option<std::time::Duration>,
    memory: Option<usize>,
}

impl Clock {
    fn start(budget: Budget) -> Clock {
        Clock {
            started: std::time::Instant::now(),
            heap_at_start: vigie_core::alloc::thread_net_bytes(),
            budget,
        }
    }

    fn check(&self, layer: &'static str) -> Result<(), OverBudget> {
        if let Some(budget) = self.budget.time {
            let spent = self.started.elapsed();
            if spent > budget {
                return Err(OverBudget {
                    layer,
                    over: Over::Time(spent, budget),
                });
            }
        }
        if let Some(budget) = self.budget.memory {
            let held = vigie_core::alloc::thread_net_bytes() - self.heap_at_start;
            if held > i64::try_from(budget).unwrap_or(i64::MAX) {
                return Err(OverBudget {
                    layer,
                    over: Over::Memory(held as usize, budget),
                });
            }
        }
        Ok(())
    }
}

/// The analysis layers, in order; a pipeline runs every layer up to the one chosen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub enum Layers {
    /// Normalisation, paragraphs, quote marks, sentences, language.
    Segment,
    /// ... and named entities.
    Entities,
    /// ... and canonical actors, roles, chains and outlets.
    Actors,
    /// ... and quotations with their speakers.
    Quotes,
    /// ... and stances toward actors.
    Stance,
    /// ... and the narratives of the codebooks in use.
    #[default]
    Narratives,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            include_text: true,
            layers: Layers::default(),
            time_budget: None,
            memory_budget: None,
        }
    }
}

/// The analysis pipeline with its resources.
#[derive(Debug, Clone)]
pub struct Pipeline {
    res: Resources,
    opts: Options,
    codebooks: Vec<std::sync::Arc<codebook::Codebook>>,
    /// Which words need a key: those that may belong to a polarity or codebook term.
    key_filter: std::sync::Arc<terms::KeyFilter>,
    /// Per language: the polarity terms and every codebook's, in one automaton (parts: the
    /// polarity lexicon, then the codebooks in order).
    merged: std::sync::Arc<Vec<(String, terms::MergedSets)>>,
}

impl Pipeline {
    /// A pipeline over `res`.
    pub fn new(res: Resources, opts: Options) -> Self {
        let mut p = Pipeline {
            res,
            opts,
            codebooks: Vec::new(),
            key_filter: Default::default(),
            merged: Default::default(),
        };
        p.compile_terms();
        p
    }

    /// Builds the word filter and the merged automata of the polarity and codebook terms.
    fn compile_terms(&mut self) {
        self.key_filter = std::sync::Arc::new(self.filter());
        let Some(pol) = self.res.polarity.clone() else {
            return;
        };
        let merged = ["fr", "en"]
            .iter()
            .filter_map(|&lang| {
                let mut parts = vec![pol.set_for(lang)?];
                for cb in &self.codebooks {
                    parts.push(cb.set_for(lang)?);
                }
                Some((
                    lang.to_string(),
                    terms::MergedSets::new(&self.res.stemmers, &parts, lang),
                ))
            })
            .collect();
        self.merged = std::sync::Arc::new(merged);
    }

    fn filter(&self) -> terms::KeyFilter {
        let polarity = self.res.polarity.iter().flat_map(|p| p.term_sets());
        let books = self.codebooks.iter().flat_map(|c| c.term_sets());
        terms::KeyFilter::new(polarity.chain(books))
    }

    /// The same pipeline applying `codebooks` (none by default; see [`codebook::BUILTIN`]).
    pub fn with_codebooks(mut self, codebooks: Vec<std::sync::Arc<codebook::Codebook>>) -> Self {
        self.codebooks = codebooks;
        self.compile_terms();
        self
    }

    /// The codebooks applied.
    pub fn codebooks(&self) -> &[std::sync::Arc<codebook::Codebook>] {
        &self.codebooks
    }

    /// The resources in use.
    pub fn resources(&self) -> &Resources {
        &self.res
    }

    /// Analyses one document, moving its text and metadata into the analysis (no time
    /// budget: see [`Pipeline::try_analyze_owned`]).
    pub fn analyze_owned(&self, doc: Document) -> Analysis {
        self.owned(doc, Budget::default())
            .expect("no budget, no error")
    }

    /// Analyses one document within the time budget of the options.
    pub fn try_analyze_owned(&self, doc: Document) -> Result<Analysis, OverBudget> {
        self.owned(doc, self.budget())
    }

    /// Analyses one document within the time budget of the options.
    pub fn try_analyze(&self, doc: &Document) -> Result<Analysis, OverBudget> {
        self.analyze_inner(doc, true, self.budget())
    }

    fn budget(&self) -> Budget {
        Budget {
            time: self.opts.time_budget,
            memory: self.opts.memory_budget,
        }
    }

    fn owned(&self, doc: Document, budget: Budget) -> Result<Analysis, OverBudget> {
        let mut a = self.analyze_inner(&doc, false, budget)?;
        if self.opts.include_text {
            a.text = Some(doc.text);
        }
        a.meta = doc.meta;
        a.origin = doc.origin;
        Ok(a)
    }

    /// Analyses one document (no time budget: see [`Pipeline::try_analyze`]).
    pub fn analyze(&self, doc: &Document) -> Analysis {
        self.analyze_inner(doc, true, Budget::default())
            .expect("no budget, no error")
    }

    /// Normalises and segments a text: the layers shared by every later component.
    pub fn prepare<'a>(&self, text: &'a str) -> Prepared<'a> {
        let norm = normalize::normalize(text);
        let nt: &str = &norm.text;
        let paras = segment::paragraphs(nt);
        let quotemarks::Marks {
            mut pairs,
            unmatched,
            too_deep,
        } = quotemarks::pair_quotes(nt, &paras);
        let mut roles = segment::MarkRoles {
            openers: pairs.iter().map(|p| p.open.start).collect(),
            closers: pairs
                .iter()
                .filter_map(|p| p.close.map(|c| c.start))
                .collect(),
        };
        roles.closers.sort_unstable();
        roles.openers.sort_unstable();
        let mut sentences = segment::sentences(nt, &paras, &roles, &self.res);
        let cuts = segment::cap_sentences(nt, &mut sentences);
        // A quote never closed runs to the end of the sentence where its content starts.
        for p in pairs.iter_mut().filter(|p| p.close.is_none()) {
            let k = sentences.partition_point(|(s, _)| s.end <= p.content.start);
            if let Some((s, _)) = sentences.get(k).filter(|(s, _)| s.start <= p.content.start) {
                let end = s.end.max(p.content.start).min(p.content.end);
                p.content = trim_span(nt, p.content.start, end);
            }
        }
        let language = lang::identify(nt, &self.res);
        let spans: Vec<ByteSpan> = sentences.iter().map(|s| s.0).collect();
        let deep = self.opts.layers > Layers::Segment;
        let tokens = if deep {
            tokenize::tokenize(nt, &spans)
        } else {
            Vec::new()
        };
        let gazetteer = match &self.res.gazetteer {
            Some(g) if deep => g.find(nt, &tokens),
            _ => Vec::new(),
        };
        let mut capped: Vec<Capped> = too_deep
            .iter()
            .map(|d| Capped {
                kind: "quote_depth_cap",
                span: d.first,
                message: format!(
                    "{} quote mark(s) of this paragraph opened inside {} open quotes were not \
                     read as quote marks",
                    d.count,
                    quotemarks::MAX_OPEN
                ),
            })
            .collect();
        capped.extend(cuts.iter().map(|&c| Capped {
            kind: "sentence_length_cap",
            span: c,
            message: format!(
                "a sentence longer than {} bytes was cut here",
                segment::MAX_SENTENCE
            ),
        }));
        Prepared {
            paragraphs: paras,
            quotes: pairs,
            unmatched,
            capped,
            sentences,
            tokens,
            language,
            gazetteer,
            norm,
        }
    }

    /// Named entities (bytes of the normalised text) with their labels.
    pub fn entities(&self, p: &Prepared) -> Vec<ner::EntitySpan> {
        if p.language.code == "en" {
            let (Some(rules), Some(lex)) = (&self.res.ner_en, &self.res.lexicons) else {
                return Vec::new();
            };
            let reporting = |w: &str| !lex.verbs.lookup(w).is_empty();
            let role = |w: &str| lex.roles.by_form.contains_key(w);
            return rules.entities(
                &p.norm.text,
                &p.tokens,
                self.res.gazetteer.as_ref(),
                &p.gazetteer,
                &reporting,
                &role,
            );
        }
        if p.language.code != "fr" {
            return Vec::new();
        }
        let codes = gaz_codes(&self.res, &p.tokens, &p.gazetteer);
        let found = self.res.ner_fr.entities(&p.norm.text, &p.tokens, &codes);
        match &self.res.gazetteer {
            Some(g) => merge_gazetteer(found, g, &p.norm.text, &p.gazetteer),
            None => found,
        }
    }

    fn analyze_inner(
        &self,
        doc: &Document,
        copy: bool,
        budget: Budget,
    ) -> Result<Analysis, OverBudget> {
        let clock = Clock::start(budget);
        let p = self.prepare(&doc.text);
        clock.check("segment")?;
        let layers = self.opts.layers;
        let ents = if layers >= Layers::Entities {
            self.entities(&p)
        } else {
            Vec::new()
        };
        clock.check("entities")?;
        let layer = match (&self.res.gazetteer, &self.res.lexicons) {
            (Some(g), Some(l)) if layers >= Layers::Actors => {
                actors::resolve(&p, &ents, g, l, &doc.meta)
            }
            _ => actors::ActorLayer::default(),
        };
        clock.check("actors")?;
        let found_quotes = match &self.res.lexicons {
            Some(l) if layers >= Layers::Quotes && p.language.code != "other" => {
                quotes::find(&p, &layer, &ents, l)
            }
            _ => Vec::new(),
        };
        clock.check("quotes")?;
        let (stance_layer, narratives) = match &self.res.polarity {
            Some(pol) if layers >= Layers::Stance && p.language.code != "other" => {
                let keys = terms::KeyStream::new(
                    &self.res.stemmers,
                    &self.key_filter,
                    &p.norm.text,
                    &p.tokens,
                    &p.language.code,
                );
                // One scan for the polarity terms and every codebook's.
                let mut parts = match self.merged.iter().find(|(l, _)| *l == p.language.code) {
                    Some((_, m)) => m.find(&keys),
                    None => Vec::new(),
                };
                let polarity_hits = if parts.is_empty() {
                    Vec::new()
                } else {
                    std::mem::take(&mut parts[0])
                };
                let bounds = stance::sentence_bounds(&p);
                let st = stance::find_hits(&p, &bounds, polarity_hits, &layer, &found_quotes, pol);
                let mut narratives = Vec::new();
                if layers >= Layers::Narratives {
                    let view = codebook::DocView {
                        p: &p,
                        sentence_bounds: &bounds,
                        keys: &keys,
                        layer: &layer,
                        quotes: &found_quotes,
                        stance: &st,
                    };
                    for (i, cb) in self.codebooks.iter().enumerate() {
                        let found = match parts.get(i + 1) {
                            Some(h) => cb.apply_hits(&view, h),
                            None => cb.apply(&view),
                        };
                        narratives.extend(found.into_iter().map(|n| (cb.clone(), n)));
                    }
                }
                (st, narratives)
            }
            _ => (stance::StanceLayer::default(), Vec::new()),
        };
        clock.check("narratives")?;
        let Prepared {
            norm,
            paragraphs: paras,
            quotes: pairs,
            unmatched,
            sentences,
            language,
            capped,
            ..
        } = p;
        let nt: &str = &norm.text;
        let french = language.code == "fr";
        let idx = CharIndex::new(&doc.text);
        let span = |s: ByteSpan| idx.span(norm.span_to_original(s));
        let mut warnings = Warnings::default();
        let quote_marks = pairs
            .iter()
            .map(|p| {
                let open = norm.span_to_original(p.open);
                let close = p.close.map(|c| norm.span_to_original(c));
                let whole_end = close.map_or(norm.to_original(p.content.end), |c| c.end);
                if close.is_none() {
                    warnings.push("unclosed_quote", idx.span(open), || {
                        "quote mark never closed; content cut at the end of its sentence".into()
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
            warnings.push("unmatched_closing_quote", span(u.span), || {
                "closing quote mark without an opening mark".into()
            });
        }
        for c in capped {
            warnings.push(c.kind, span(c.span), || c.message);
        }
        let words = count_words(nt);
        Ok(Analysis {
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
            entities: ents
                .iter()
                .zip(&layer.entity_actor)
                // The portfolio in a title (`ministre de la Défense`) is no entity of its own.
                .filter(|(e, a)| a.is_some() || !layer.inside_role(e.span))
                .map(|(e, a)| {
                    let t = idx.text_span(norm.span_to_original(e.span));
                    Entity {
                        start: t.start,
                        end: t.end,
                        text: t.text,
                        label: ner::LABELS[e.label].to_string(),
                        actor: a.map(|a| layer.actors[a].id.clone()),
                    }
                })
                .collect(),
            actors: layer
                .actors
                .iter()
                .map(|a| Actor {
                    id: a.id.clone(),
                    kind: a.kind.name().to_string(),
                    name: a.name.clone(),
                    country: a.country.clone(),
                    roles: a
                        .roles
                        .iter()
                        .map(|r| Role {
                            title: r.title.clone(),
                            country: r.country.clone(),
                            evidence: idx.text_span(norm.span_to_original(r.evidence)),
                        })
                        .collect(),
                    mentions: a
                        .mentions
                        .iter()
                        .map(|m| {
                            let t = idx.text_span(norm.span_to_original(m.span));
                            ActorMention {
                                start: t.start,
                                end: t.end,
                                text: t.text,
                                kind: m.kind.to_string(),
                                metonymy: m.metonymy,
                            }
                        })
                        .collect(),
                })
                .collect(),
            quotes: found_quotes
                .iter()
                .map(|q| Quote {
                    kind: q.kind.name().to_string(),
                    content: idx.text_span(norm.span_to_original(q.content)),
                    cue: q.cue.map(|c| idx.text_span(norm.span_to_original(c))),
                    speaker_mention: q.mention.map(|m| idx.text_span(norm.span_to_original(m))),
                    speaker: q.speaker.as_ref().map(|s| Speaker {
                        name: s.name.clone(),
                        named: s.named,
                        role: s.role.clone(),
                        actor: s.actor.map(|a| layer.actors[a].id.clone()),
                    }),
                    confidence: q.confidence,
                })
                .collect(),
            stances: stance_layer
                .stances
                .iter()
                .map(|st| Stance {
                    target: layer.actors[st.actor].id.clone(),
                    target_name: layer.actors[st.actor].name.clone(),
                    holder: st.holder.name().to_string(),
                    holder_actor: match &st.holder {
                        stance::Holder::Speaker(_, Some(a)) => Some(layer.actors[*a].id.clone()),
                        _ => None,
                    },
                    score: (st.score * 1000.0).round() / 1000.0,
                    evidence: st
                        .evidence
                        .iter()
                        .map(|e| StanceEvidence {
                            text: idx.text_span(norm.span_to_original(e.span)),
                            value: e.value,
                            mention: idx.text_span(norm.span_to_original(e.mention)),
                            modifiers: e.modifiers.iter().map(|m| m.to_string()).collect(),
                        })
                        .collect(),
                })
                .collect(),
            narratives: narratives
                .iter()
                .map(|(cb, n)| {
                    let nar = &cb.narratives[n.narrative];
                    NarrativeMatch {
                        id: nar.id.clone(),
                        label: if french {
                            nar.labels.fr.clone()
                        } else {
                            nar.labels.en.clone()
                        },
                        codebook: cb.name.clone(),
                        score: n.score,
                        evidence: n
                            .evidence
                            .iter()
                            .map(|e| NarrativeEvidence {
                                rule: e.rule,
                                unit: span(e.unit),
                                spans: e
                                    .spans
                                    .iter()
                                    .map(|&s| idx.text_span(norm.span_to_original(s)))
                                    .collect(),
                            })
                            .collect(),
                    }
                })
                .collect(),
            outlets: Outlets {
                publisher: layer.publisher.as_ref().map(|o| outlet_ref(o, &idx, &norm)),
                credited: layer
                    .credited
                    .iter()
                    .map(|o| outlet_ref(o, &idx, &norm))
                    .collect(),
            },
            warnings: warnings.finish(),
        })
    }
}

/// Warnings listed per kind and document; the rest are counted in one `warnings_capped`
/// warning per kind (docs/limits.md).
pub const MAX_WARNINGS: usize = 100;

/// A document's warnings: the first [`MAX_WARNINGS`] of each kind, and how many more.
#[derive(Default)]
struct Warnings {
    list: Vec<Warning>,
    /// Per kind: how many, and where the first one not listed is.
    counts: Vec<(&'static str, usize, Option<Span>)>,
}

impl Warnings {
    /// A warning of `kind` at `span` (its message made only when it is listed).
    fn push(&mut self, kind: &'static str, span: Span, message: impl FnOnce() -> String) {
        let k = match self.counts.iter().position(|(k, _, _)| *k == kind) {
            Some(k) => k,
            None => {
                self.counts.push((kind, 0, None));
                self.counts.len() - 1
            }
        };
        let c = &mut self.counts[k];
        c.1 += 1;
        if c.1 > MAX_WARNINGS {
            c.2.get_or_insert(span);
            return;
        }
        self.list.push(Warning {
            kind: kind.into(),
            span,
            message: message(),
        });
    }

    /// The warnings listed, then one `warnings_capped` per kind that had more.
    fn finish(mut self) -> Vec<Warning> {
        for (kind, n, first) in self.counts {
            if let Some(span) = first {
                self.list.push(Warning {
                    kind: "warnings_capped".into(),
                    span,
                    message: format!(
                        "{} more `{kind}` warnings not listed (from here on)",
                        n - MAX_WARNINGS
                    ),
                });
            }
        }
        self.list
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

/// Reconciles the tagger with the gazetteers: an entity strictly inside a gazetteer name takes
/// the name's span and label (`Fédération` → `Fédération de Russie`), and a capitalised
/// gazetteer name that the tagger missed becomes an entity.
fn merge_gazetteer(
    mut ents: Vec<ner::EntitySpan>,
    g: &gazetteer::Gazetteer,
    text: &str,
    hits: &[gazetteer::GazMatch],
) -> Vec<ner::EntitySpan> {
    // The tagger's entities are sorted and disjoint, and so are the hits: the entities a hit
    // overlaps are found by a binary search (no pass over every entity per hit). Entities a hit
    // replaces are marked, new ones kept apart, and all are merged at the end.
    ents.sort_by_key(|e| e.span.start);
    let mut removed = vec![false; ents.len()];
    let mut added = Vec::new();
    for h in hits {
        let Some(label) = g.entries[h.entry].kind.label() else {
            continue;
        };
        let label = ner::LABELS.iter().position(|l| *l == label).unwrap_or(1);
        if !text[h.span.start..].starts_with(char::is_uppercase) {
            continue;
        }
        let mut k = ents.partition_point(|e| e.span.start < h.span.end);
        let mut overlapping = Vec::new();
        while k > 0 && ents[k - 1].span.end > h.span.start {
            k -= 1;
            if !removed[k] {
                overlapping.push(k);
            }
        }
        overlapping.reverse();
        let inside = overlapping
            .iter()
            .all(|&i| ents[i].span.start >= h.span.start && ents[i].span.end <= h.span.end);
        if !inside {
            // `sur BFMTV François Kalfon`: an acronym or an outlet does not open a person's
            // name; the two words or more after it are the name.
            if let [i] = overlapping[..] {
                let e = &ents[i];
                // Empty when the entity ends inside the hit (the check below then fails).
                let rest = text.get(h.span.end..e.span.end).unwrap_or("").trim_start();
                let words: Vec<&str> = rest.split_whitespace().collect();
                let hit = &text[h.span.start..h.span.end];
                let acronym = hit.chars().filter(|c| c.is_alphabetic()).count() >= 2
                    && !hit.chars().any(char::is_lowercase);
                let outlet = g.entries[h.entry].kind == gazetteer::EntryKind::Outlet;
                if e.span.start == h.span.start
                    && e.span.end > h.span.end
                    && (acronym || outlet)
                    && words.len() >= 2
                    && words.iter().all(|w| {
                        let mut c = w.chars();
                        c.next().is_some_and(char::is_uppercase) && c.any(char::is_lowercase)
                    })
                {
                    let per = ner::EntitySpan {
                        span: ByteSpan {
                            start: e.span.end - rest.len(),
                            end: e.span.end,
                        },
                        label: 0,
                        tokens: (0, 0),
                    };
                    ents[i] = ner::EntitySpan {
                        span: h.span,
                        label,
                        tokens: (0, 0),
                    };
                    added.push(per);
                }
            }
            continue; // the tagger saw a longer name (`Paris Saint-Germain`): keep it
        }
        if overlapping.len() == 1 && ents[overlapping[0]].span == h.span {
            continue; // agreement; the tagger's label stands
        }
        for &i in &overlapping {
            removed[i] = true;
        }
        added.push(ner::EntitySpan {
            span: h.span,
            label,
            tokens: (0, 0),
        });
    }
    let mut out: Vec<ner::EntitySpan> = ents
        .into_iter()
        .zip(removed)
        .filter(|(_, r)| !r)
        .map(|(e, _)| e)
        .collect();
    out.extend(added);
    out.sort_by_key(|e| e.span.start);
    out
}

fn outlet_ref(o: &actors::OutletFound, idx: &CharIndex, norm: &Normalized) -> OutletRef {
    OutletRef {
        id: o.outlet.id.clone(),
        name: o.outlet.name.clone(),
        country: o.outlet.country.clone(),
        state_affiliation: o.outlet.state_affiliation.clone(),
        owner: o.outlet.owner.clone(),
        affiliation_source: o.outlet.affiliation_source.clone(),
        found_in: o.found_in.to_string(),
        evidence: o.evidence.map(|e| idx.text_span(norm.span_to_original(e))),
    }
}
