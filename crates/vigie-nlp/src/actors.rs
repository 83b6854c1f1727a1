//! Canonical actors and their coreference chains: countries (names, adjectives, capitals and
//! seats of power standing for governments), organisations, outlets, and persons with the roles
//! their appositions and titles give them. Mentions of one actor form one chain: names and
//! short names, nominal anaphora (`le ministre`, `l'officier`, `l'interlocuteur de l'agence`)
//! and the subject pronouns of reporting verbs (`souligne-t-il`, `il a déclaré`). The quote
//! layer resolves speakers through these chains.
//!
//! Also detects the document's outlets: the publisher (metadata: outlet name, URL domain) and
//! the outlets the text credits (`Contacté par Sputnik`, `a indiqué à l'AFP`, `(Reuters) -`).

use crate::gazetteer::{EntryKind, Gazetteer, Outlet};
use crate::lexicons::Lexicons;
use crate::ner::{EntitySpan, LABELS};
use crate::tokenize::{Token, TokenKind};
use crate::Prepared;
use std::borrow::Cow;
use unicode_normalization::UnicodeNormalization;
use vigie_core::{ByteSpan, Meta};

/// Kinds of actors.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ActorKind {
    /// A state.
    Country,
    /// An organisation of the gazetteer.
    Organization,
    /// A news outlet of the registry.
    Outlet,
    /// A person named in the text.
    Person,
}

impl ActorKind {
    /// Name used in the output.
    pub fn name(self) -> &'static str {
        match self {
            ActorKind::Country => "country",
            ActorKind::Organization => "organization",
            ActorKind::Outlet => "outlet",
            ActorKind::Person => "person",
        }
    }
}

/// A mention in the chain of an actor (bytes of the normalised text).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mention {
    /// Where.
    pub span: ByteSpan,
    /// `name`, `short_name`, `adjective`, `capital`, `seat`, `nominal`, `pronoun`.
    pub kind: &'static str,
    /// A place standing for its government.
    pub metonymy: bool,
}

/// A role found for a person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoleFound {
    /// Title without nationality.
    pub title: String,
    /// Country served.
    pub country: Option<String>,
    /// The words it comes from.
    pub evidence: ByteSpan,
    /// Index of the role noun in [`crate::lexicons::Roles::nouns`].
    pub noun: usize,
}

/// An actor of the document.
#[derive(Debug, Clone)]
pub struct ActorFound {
    /// Stable id.
    pub id: String,
    /// Kind.
    pub kind: ActorKind,
    /// Canonical name.
    pub name: String,
    /// Country (ISO2).
    pub country: Option<String>,
    /// Roles (persons).
    pub roles: Vec<RoleFound>,
    /// Mentions, in text order.
    pub mentions: Vec<Mention>,
    /// Grammatical gender when the text shows it (`true` = feminine).
    pub feminine: Option<bool>,
    words: Vec<String>,
}

/// A detected outlet (registry entry) with where it was found.
#[derive(Debug, Clone)]
pub struct OutletFound<'g> {
    /// The registry entry.
    pub outlet: &'g Outlet,
    /// `meta.outlet`, `meta.url` or `text`.
    pub found_in: &'static str,
    /// The credit in the text (cue and name).
    pub evidence: Option<ByteSpan>,
}

/// Everything this layer finds.
#[derive(Debug, Clone, Default)]
pub struct ActorLayer<'g> {
    /// Actors, in order of first mention.
    pub actors: Vec<ActorFound>,
    /// For each entity given, the index of its actor.
    pub entity_actor: Vec<Option<usize>>,
    /// Publisher from the metadata.
    pub publisher: Option<OutletFound<'g>>,
    /// Outlets credited in the text.
    pub credited: Vec<OutletFound<'g>>,
    /// Every title or apposition that gave a role (repeats included).
    pub role_spans: Vec<ByteSpan>,
}

impl ActorLayer<'_> {
    /// Is `span` inside the evidence of a role (the words of a title)?
    pub fn inside_role(&self, span: ByteSpan) -> bool {
        self.role_spans
            .iter()
            .any(|r| r.start <= span.start && span.end <= r.end)
    }

    /// The actor holding a mention that covers `span` exactly, if any.
    pub fn actor_at(&self, span: ByteSpan) -> Option<usize> {
        self.actors
            .iter()
            .position(|a| a.mentions.iter().any(|m| m.span == span))
    }
}

const DETERMINERS: &[&str] = &[
    "le", "la", "l'", "les", "un", "une", "son", "sa", "notre", "the", "a", "an", "his", "her",
    "our",
];
const PREPOSITIONS: &[&str] = &[
    "de", "d'", "du", "des", "à", "au", "aux", "of", "for", "in", "on",
];
/// More prepositions whose object is not the subject a later pronoun takes up.
const OBJECT_PREPOSITIONS: &[&str] = &[
    "contre", "avec", "par", "pour", "sur", "vers", "chez", "envers", "against", "with", "by",
    "to", "about",
];
const STOPS: &[&str] = &[
    ",", ".", ";", ":", "(", ")", "«", "»", "“", "”", "\"", "!", "?", "…", "—", "–",
];

/// A lower-case ASCII slug of a name (`Sadio Camara` → `sadio-camara`).
pub fn slug(name: &str) -> String {
    let folded: String = name
        .nfd()
        .filter(|c| c.is_ascii())
        .collect::<String>()
        .to_lowercase();
    let mut out = String::new();
    for part in folded
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|p| !p.is_empty())
    {
        if !out.is_empty() {
            out.push('-');
        }
        out.push_str(part);
    }
    out
}

struct Ctx<'a> {
    text: &'a str,
    toks: &'a [Token],
    lex: &'a Lexicons,
}

impl<'a> Ctx<'a> {
    fn raw(&self, i: usize) -> &'a str {
        let t = &self.toks[i];
        &self.text[t.span.start..t.span.end]
    }
    fn lw(&self, i: usize) -> Cow<'a, str> {
        crate::tokenize::lower(self.raw(i))
    }
    fn same_sentence(&self, a: usize, b: usize) -> bool {
        self.toks[a].sentence == self.toks[b].sentence
    }
    fn is_stop(&self, i: usize) -> bool {
        self.toks[i].kind == TokenKind::Punct && STOPS.contains(&self.raw(i))
    }
    fn is_det(&self, i: usize) -> bool {
        DETERMINERS.contains(&self.lw(i).as_ref())
    }
    /// Token index of the first token starting at or after byte `pos`.
    fn token_at(&self, pos: usize) -> usize {
        self.toks.partition_point(|t| t.span.start < pos)
    }
    /// The longest role noun starting at token `i`: (noun index, tokens used).
    fn role_at(&self, i: usize) -> Option<(usize, usize)> {
        let roles = &self.lex.roles;
        let first = self.lw(i);
        let head = first.split('-').next().unwrap_or(&first);
        if !roles.first_words.contains(head) {
            return None;
        }
        let mut form = String::new();
        let mut best = None;
        for n in 0..roles.max_words.max(1) * 2 {
            let k = i + n;
            if k >= self.toks.len() || !self.same_sentence(i, k) {
                break;
            }
            let w = self.lw(k);
            if n > 0 && !form.ends_with('\'') && !form.ends_with('-') && w != "-" {
                form.push(' ');
            }
            form.push_str(&w);
            if let Some(&id) = roles.by_form.get(&form) {
                best = Some((id, n + 1));
            }
        }
        best
    }
}

/// Runs the layer.
pub fn resolve<'g>(
    p: &Prepared,
    ents: &[EntitySpan],
    gaz: &'g Gazetteer,
    lex: &Lexicons,
    meta: &Meta,
) -> ActorLayer<'g> {
    let text: &str = &p.norm.text;
    let fr = p.language.code != "en";
    let cx = Ctx {
        text,
        toks: &p.tokens,
        lex,
    };
    let mut layer = ActorLayer::default();
    let mut actors: Vec<ActorFound> = Vec::new();
    let mut by_id: rustc_hash::FxHashMap<String, usize> = rustc_hash::FxHashMap::default();
    let mut find_or_add = |actors: &mut Vec<ActorFound>,
                           id: &str,
                           kind: ActorKind,
                           name: &str,
                           country: Option<String>| {
        match by_id.get(id) {
            Some(&i) => i,
            None => {
                by_id.insert(id.to_string(), actors.len());
                actors.push(ActorFound {
                    id: id.to_string(),
                    kind,
                    name: name.to_string(),
                    country,
                    roles: Vec::new(),
                    mentions: Vec::new(),
                    feminine: None,
                    words: Vec::new(),
                });
                actors.len() - 1
            }
        }
    };

    // Gazetteer actors.
    let mut adjective_spans = Vec::new();
    let mut country_spans = Vec::new();
    for h in &p.gazetteer {
        let e = &gaz.entries[h.entry];
        let (prefix, key) = e.actor.split_once(':').unwrap_or(("", &e.actor));
        let (kind, name, country) = match prefix {
            "country" => {
                let c = gaz.country(key);
                let name = c.map_or(key.to_string(), |c| {
                    if fr {
                        c.name_fr.clone()
                    } else {
                        c.name_en.clone()
                    }
                });
                (ActorKind::Country, name, Some(key.to_string()))
            }
            "org" => {
                let o = gaz.organization(key);
                let name = o.map_or(key.to_string(), |o| {
                    if fr {
                        o.name_fr.clone()
                    } else {
                        o.name_en.clone()
                    }
                });
                (
                    ActorKind::Organization,
                    name,
                    o.and_then(|o| o.country.clone()),
                )
            }
            _ => {
                let o = gaz.outlet(key);
                (
                    ActorKind::Outlet,
                    o.map_or(key.to_string(), |o| o.name.clone()),
                    o.map(|o| o.country.clone()),
                )
            }
        };
        let t = cx.token_at(h.span.start);
        let (mkind, metonymy) = match e.kind {
            EntryKind::CountryName | EntryKind::Organization | EntryKind::Outlet => ("name", false),
            EntryKind::CountryAdjective => {
                adjective_spans.push((h.span, key.to_string()));
                ("adjective", false)
            }
            EntryKind::Capital => ("capital", capital_metonymy(&cx, t, h.span)),
            EntryKind::Seat => ("seat", true),
        };
        if e.kind == EntryKind::CountryName {
            country_spans.push((h.span, key.to_string()));
        }
        let a = find_or_add(&mut actors, &e.actor, kind, &name, country);
        actors[a].mentions.push(Mention {
            span: h.span,
            kind: mkind,
            metonymy,
        });
    }

    // Persons: PER entities clustered by name.
    // Gazetteer hits are sorted and disjoint: a binary search finds the one that may overlap.
    let gaz_covered = |s: ByteSpan| {
        let k = p.gazetteer.partition_point(|h| h.span.end <= s.start);
        p.gazetteer.get(k).is_some_and(|h| h.span.start < s.end)
    };
    let mut person_mentions: Vec<(usize, usize, usize)> = Vec::new(); // (actor, first token, end token)
                                                                      // Per word, the persons (actor indices, ascending) whose name holds it.
    let mut by_word: rustc_hash::FxHashMap<String, Vec<usize>> = Default::default();
    let index_words =
        |by_word: &mut rustc_hash::FxHashMap<String, Vec<usize>>, words: &[String], a: usize| {
            for w in words {
                let list = by_word.entry(w.clone()).or_default();
                if let Err(k) = list.binary_search(&a) {
                    list.insert(k, a);
                }
            }
        };
    for e in ents
        .iter()
        .filter(|e| LABELS[e.label] == "PER" && !gaz_covered(e.span))
    {
        let name = &text[e.span.start..e.span.end];
        let words: Vec<String> = name.split_whitespace().map(str::to_string).collect();
        if words.is_empty() {
            continue;
        }
        let contains = |big: &[String], small: &[String]| small.iter().all(|w| big.contains(w));
        // The first person whose name holds every word of this one: among those listed under
        // its rarest word (at most MAX_NAME_CANDIDATES of them).
        let rarest = words
            .iter()
            .map(|w| by_word.get(w).map_or(&[][..], |l| &l[..]))
            .min_by_key(|l| l.len())
            .unwrap_or(&[]);
        let existing = rarest
            .iter()
            .take(MAX_NAME_CANDIDATES)
            .copied()
            .find(|&i| contains(&actors[i].words, &words));
        let (idx, kind) = match existing {
            Some(i) => (
                i,
                if words.len() < actors[i].words.len() {
                    "short_name"
                } else {
                    "name"
                },
            ),
            // The first person whose whole name is within this one (`Macron` before `Emmanuel
            // Macron`): listed under one of its words.
            None => match words
                .iter()
                .filter_map(|w| by_word.get(w))
                .flat_map(|l| l.iter().take(MAX_NAME_CANDIDATES))
                .copied()
                .filter(|&i| contains(&words, &actors[i].words))
                .min()
            {
                Some(i) => {
                    for m in actors[i].mentions.iter_mut().filter(|m| m.kind == "name") {
                        m.kind = "short_name";
                    }
                    index_words(&mut by_word, &words, i);
                    actors[i].words = words.clone();
                    actors[i].name = name.to_string();
                    (i, "name")
                }
                None => {
                    index_words(&mut by_word, &words, actors.len());
                    actors.push(ActorFound {
                        id: String::new(),
                        kind: ActorKind::Person,
                        name: name.to_string(),
                        country: None,
                        roles: Vec::new(),
                        mentions: Vec::new(),
                        feminine: None,
                        words,
                    });
                    (actors.len() - 1, "name")
                }
            },
        };
        actors[idx].mentions.push(Mention {
            span: e.span,
            kind,
            metonymy: false,
        });
        let (a, b) = (cx.token_at(e.span.start), cx.token_at(e.span.end));
        if a < b && b <= p.tokens.len() {
            person_mentions.push((idx, a, b));
        }
    }

    // Roles from titles and appositions.
    let mut consumed = vec![false; p.tokens.len()];
    for &(idx, first, end) in &person_mentions {
        let found = roles_around(
            &cx,
            first,
            end,
            fr,
            &adjective_spans,
            &country_spans,
            &mut consumed,
        );
        for (role, feminine) in found {
            layer.role_spans.push(role.evidence);
            if !actors[idx].roles.iter().any(|r| r.title == role.title) {
                actors[idx].roles.push(role);
            }
            if feminine.is_some() && actors[idx].feminine.is_none() {
                actors[idx].feminine = feminine;
            }
        }
        if first > 0 && cx.same_sentence(first - 1, first) {
            match cx.raw(first - 1) {
                "Mme" | "Madame" | "Mrs" | "Ms" => actors[idx].feminine = Some(true),
                "M." | "Monsieur" | "Mr" => actors[idx].feminine = Some(false),
                _ => {}
            }
        }
    }

    // Nominal anaphora and reporting pronouns, in text order.
    let quoted = closed_quote_cover(p);
    let in_quote = |pos: usize| {
        let k = quoted.partition_point(|s| s.end <= pos);
        quoted.get(k).is_some_and(|s| s.start <= pos)
    };
    let mut recent = Recency::new(&actors);
    // The first token of every person's name.
    let name_starts: rustc_hash::FxHashSet<usize> =
        person_mentions.iter().map(|&(_, f, _)| f).collect();
    let mut i = 0;
    while i < p.tokens.len() {
        // Cheap tests on the raw token first: only determiners and pronouns matter here.
        let raw = cx.raw(i);
        let last = raw.as_bytes().last().map_or(0, |b| b | 0x20);
        let det = raw.len() <= 5
            && matches!(last, b'e' | b'a' | b'\'' | b's' | b'n' | b'r' | b'h')
            && DETERMINERS.iter().any(|d| d.eq_ignore_ascii_case(raw));
        let pron = (last == b'l' || last == b'e')
            && ["il", "elle", "he", "she"].iter().any(|s| {
                raw.len() >= s.len()
                    && raw.is_char_boundary(raw.len() - s.len())
                    && raw[raw.len() - s.len()..].eq_ignore_ascii_case(s)
            });
        if !(det || pron) || consumed[i] || in_quote(p.tokens[i].span.start) {
            i += 1;
            continue;
        }
        recent.advance(p.tokens[i].span.start);
        let lw = cx.lw(i);
        if det && !["les", "un", "une", "a", "an"].contains(&lw.as_ref()) && i + 1 < p.tokens.len()
        {
            if let Some((noun, used)) = cx.role_at(i + 1) {
                let mut end = i + 1 + used;
                // A person's name right after is an apposition, handled above.
                if end < p.tokens.len() && name_starts.contains(&end) {
                    i = end;
                    continue;
                }
                // Keep one complement: `l'interlocuteur de l'agence`, `le ministre de la Défense`.
                end = complement_end(&cx, end);
                let form = cx.lw(i + 1).to_string();
                let form = cx
                    .role_at(i + 1)
                    .map(|(n, _)| lex.roles.nouns[n].noun.clone())
                    .unwrap_or(form);
                let span = ByteSpan::new(p.tokens[i].span.start, p.tokens[end - 1].span.end);
                let interview = lex.roles.nouns[noun].class == "interview";
                if let Some(a) = recent.antecedent(
                    &actors,
                    |a, _| interview || a.roles.iter().any(|r| lex.roles.fits(r.noun, &form)),
                    |_| true,
                    interview,
                ) {
                    let m = Mention {
                        span,
                        kind: "nominal",
                        metonymy: false,
                    };
                    recent.record(a, m.span);
                    actors[a].mentions.push(m);
                }
                i = end;
                continue;
            }
        }
        if let Some((span, feminine)) = reporting_pronoun(&cx, i) {
            let sentence = p.tokens[i].sentence;
            // Mentioned in the last three sentences (its latest mention before the pronoun).
            let ok = |a: &ActorFound, last: ByteSpan| {
                a.feminine.is_none_or(|f| f == feminine)
                    && sentence.saturating_sub(
                        p.tokens
                            .get(cx.token_at(last.start))
                            .map_or(sentence, |t| t.sentence),
                    ) <= 3
            };
            // A subject pronoun takes up a person mentioned outside quotes, and not as the
            // object of a preposition (`la violence à l'égard d'Éric Drouet. Il …`).
            let usable = |m: &ByteSpan| {
                let t = cx.token_at(m.start);
                !in_quote(m.start)
                    && !(t > 0
                        && t < cx.toks.len()
                        && cx.same_sentence(t - 1, t)
                        && (PREPOSITIONS.contains(&cx.lw(t - 1).as_ref())
                            || OBJECT_PREPOSITIONS.contains(&cx.lw(t - 1).as_ref())))
            };
            if let Some(a) = recent.antecedent(&actors, ok, usable, false) {
                recent.record(a, span);
                actors[a].mentions.push(Mention {
                    span,
                    kind: "pronoun",
                    metonymy: false,
                });
            }
        }
        i += 1;
    }

    // Ids, countries, order.
    for a in actors.iter_mut() {
        if a.kind == ActorKind::Person {
            a.id = format!("person:{}", slug(&a.name));
            a.country = a.roles.iter().find_map(|r| r.country.clone());
        }
        a.mentions.sort_by_key(|m| m.span.start);
        a.mentions.dedup_by_key(|m| m.span);
    }
    actors.retain(|a| !a.mentions.is_empty());
    actors.sort_by_key(|a| a.mentions[0].span.start);

    let by_span: rustc_hash::FxHashMap<ByteSpan, usize> = actors
        .iter()
        .enumerate()
        .flat_map(|(i, a)| a.mentions.iter().map(move |m| (m.span, i)))
        .collect();
    layer.entity_actor = ents.iter().map(|e| by_span.get(&e.span).copied()).collect();
    layer.actors = actors;

    // Outlets.
    layer.publisher = gaz
        .outlet_by_name_or_url(meta.outlet.as_deref(), None)
        .map(|o| OutletFound {
            outlet: o,
            found_in: "meta.outlet",
            evidence: None,
        })
        .or_else(|| {
            gaz.outlet_by_name_or_url(None, meta.url.as_deref())
                .map(|o| OutletFound {
                    outlet: o,
                    found_in: "meta.url",
                    evidence: None,
                })
        });
    for h in &p.gazetteer {
        let e = &gaz.entries[h.entry];
        if e.kind != EntryKind::Outlet {
            continue;
        }
        let Some(o) = gaz.outlet(e.actor.trim_start_matches("outlet:")) else {
            continue;
        };
        if let Some(evidence) = credit(text, h.span, lex) {
            layer.credited.push(OutletFound {
                outlet: o,
                found_in: "text",
                evidence: Some(evidence),
            });
        }
    }
    layer
}

/// Persons looked at under one word of a name when clustering names (`Macron` with
/// `Emmanuel Macron`): real articles name a handful of persons per word (docs/limits.md).
pub const MAX_NAME_CANDIDATES: usize = 256;

/// Persons an anaphor may take up: at most this many, the most recently mentioned
/// (docs/limits.md). Real articles keep far fewer persons in play; the cap keeps the
/// coreference scan linear whatever the number of names.
pub const MAX_ANTECEDENTS: usize = 32;

/// Mentions of one candidate looked at, latest first, for one that may be taken up.
pub const MAX_LOOKBACK: usize = 16;

/// The persons mentioned before the scan position, most recent last, and the mentions of each
/// so far, in text order: the candidates of [`Recency::antecedent`].
struct Recency {
    /// Person mentions found before the scan (names), sorted: (start, actor, span).
    events: Vec<(usize, usize, ByteSpan)>,
    next: usize,
    /// Per actor, its mentions before the scan position, in text order.
    seen: Vec<Vec<ByteSpan>>,
    /// At most [`MAX_ANTECEDENTS`] actors, the most recently mentioned last.
    recent: Vec<usize>,
}

impl Recency {
    fn new(actors: &[ActorFound]) -> Recency {
        let mut events: Vec<(usize, usize, ByteSpan)> = actors
            .iter()
            .enumerate()
            .filter(|(_, a)| a.kind == ActorKind::Person)
            .flat_map(|(i, a)| a.mentions.iter().map(move |m| (m.span.start, i, m.span)))
            .collect();
        events.sort_unstable_by_key(|&(start, i, _)| (start, i));
        Recency {
            events,
            next: 0,
            seen: vec![Vec::new(); actors.len()],
            recent: Vec::with_capacity(MAX_ANTECEDENTS + 1),
        }
    }

    /// Takes in the mentions that start before `pos`.
    fn advance(&mut self, pos: usize) {
        while let Some(&(start, a, span)) = self.events.get(self.next) {
            if start >= pos {
                break;
            }
            self.next += 1;
            self.record(a, span);
        }
    }

    /// A mention of actor `a` at `span` (at or after every mention taken in so far).
    fn record(&mut self, a: usize, span: ByteSpan) {
        self.seen[a].push(span);
        if let Some(k) = self.recent.iter().position(|&r| r == a) {
            self.recent.remove(k);
        }
        self.recent.push(a);
        if self.recent.len() > MAX_ANTECEDENTS {
            self.recent.remove(0);
        }
    }

    /// The candidate with the latest usable mention that `ok` accepts (given the candidate's
    /// latest mention); with `salient`, the one with the most mentions instead (then the
    /// latest). Ties go to the actor found last in the text's order of first mentions.
    fn antecedent(
        &self,
        actors: &[ActorFound],
        ok: impl Fn(&ActorFound, ByteSpan) -> bool,
        usable: impl Fn(&ByteSpan) -> bool,
        salient: bool,
    ) -> Option<usize> {
        let mut candidates = self.recent.clone();
        candidates.sort_unstable();
        let mut best: Option<(usize, (usize, usize))> = None;
        for i in candidates {
            let seen = &self.seen[i];
            let Some(&latest) = seen.last() else {
                continue;
            };
            if !ok(&actors[i], latest) {
                continue;
            }
            let Some(last) = seen.iter().rev().take(MAX_LOOKBACK).find(|m| usable(m)) else {
                continue;
            };
            let key = if salient {
                (seen.len(), last.start)
            } else {
                (0, last.start)
            };
            if best.is_none_or(|(_, k)| key >= k) {
                best = Some((i, key));
            }
        }
        best.map(|(i, _)| i)
    }
}

/// The contents of the closed quotes, merged into sorted disjoint spans.
fn closed_quote_cover(p: &Prepared) -> Vec<ByteSpan> {
    let mut spans: Vec<ByteSpan> = p
        .quotes
        .iter()
        .filter(|q| q.close.is_some() && q.content.start < q.content.end)
        .map(|q| q.content)
        .collect();
    spans.sort_unstable_by_key(|s| s.start);
    let mut out: Vec<ByteSpan> = Vec::with_capacity(spans.len());
    for s in spans {
        match out.last_mut() {
            Some(l) if s.start <= l.end => l.end = l.end.max(s.end),
            _ => out.push(s),
        }
    }
    out
}

/// Is the capital at token `t` (bytes `span`) used for its government?
fn capital_metonymy(cx: &Ctx, t: usize, span: ByteSpan) -> bool {
    let m = &cx.lex.metonymy;
    let prev = (t > 0 && cx.same_sentence(t - 1, t)).then(|| cx.lw(t - 1));
    let prev2 = (t > 1 && cx.same_sentence(t - 2, t)).then(|| cx.lw(t - 2));
    let end = cx.token_at(span.end);
    let next = (end < cx.toks.len() && cx.same_sentence(end, t)).then(|| cx.lw(end));
    prev.as_deref().is_some_and(|w| m.relation.contains(w))
        || (prev
            .as_deref()
            .is_some_and(|w| ["à", "au", "to"].contains(&w))
            && prev2.as_deref().is_some_and(|w| m.dative.contains(w)))
        || next
            .as_deref()
            .is_some_and(|w| m.agent.contains(w) || !cx.lex.verbs.lookup(w).is_empty())
}

/// End (exclusive) of an optional `de X` complement after token `end`.
fn complement_end(cx: &Ctx, end: usize) -> usize {
    let n = cx.toks.len();
    if end < n
        && cx.same_sentence(end, end - 1)
        && ["de", "d'", "du", "des", "of"].contains(&cx.lw(end).as_ref())
    {
        let mut k = end + 1;
        if k < n && ["l'", "la", "le", "les", "the"].contains(&cx.lw(k).as_ref()) {
            k += 1;
        }
        if k < n && cx.same_sentence(k, end) && cx.toks[k].kind == TokenKind::Word && !cx.is_det(k)
        {
            return k + 1;
        }
    }
    end
}

/// A subject pronoun of a reporting verb at token `i`: `souligne-t-il`, `a-t-elle`,
/// `il a déclaré`, `elle estime`. Returns the pronoun's bytes and whether it is feminine.
fn reporting_pronoun(cx: &Ctx, i: usize) -> Option<(ByteSpan, bool)> {
    let w = cx.lw(i);
    let verbs = &cx.lex.verbs;
    let is_reporting = |k: usize| k < cx.toks.len() && !verbs.lookup(&cx.lw(k)).is_empty();
    let aux = |s: &str| ["a", "avait", "aurait", "has", "had"].contains(&s);
    for (suffix, feminine) in [
        ("-t-il", false),
        ("-t-elle", true),
        ("-il", false),
        ("-elle", true),
    ] {
        if let Some(verb) = w.strip_suffix(suffix) {
            if !verbs.lookup(&w).is_empty()
                || !verbs.lookup(verb).is_empty()
                || (aux(verb) && is_reporting(i + 1))
            {
                let t = cx.toks[i].span;
                let pron = suffix.trim_start_matches("-t").trim_start_matches('-');
                return Some((ByteSpan::new(t.end - pron.len(), t.end), feminine));
            }
            return None;
        }
    }
    let feminine = match w.as_ref() {
        "il" | "he" => false,
        "elle" | "she" => true,
        _ => return None,
    };
    let next = i + 1;
    if is_reporting(next) || (next < cx.toks.len() && aux(&cx.lw(next)) && is_reporting(next + 1)) {
        return Some((cx.toks[i].span, feminine));
    }
    None
}

/// Roles given by the words around a person's name (tokens `first..end`): titles and
/// appositions before it (`le ministre malien de la Défense, le colonel Sadio Camara`) and an
/// apposition after it (`Sadio Camara, ministre de la Défense,`).
fn roles_around(
    cx: &Ctx,
    first: usize,
    end: usize,
    fr: bool,
    adjectives: &[(ByteSpan, String)],
    countries: &[(ByteSpan, String)],
    consumed: &mut [bool],
) -> Vec<(RoleFound, Option<bool>)> {
    let mut out = Vec::new();
    // Before the name, possibly a chain of appositions.
    let mut j = first;
    for _ in 0..3 {
        if j == 0 || !cx.same_sentence(j - 1, first) {
            break;
        }
        let comma = cx.raw(j - 1) == ",";
        let wend = if comma { j - 1 } else { j };
        let mut s = wend;
        let mut det = None;
        while s > 0 && cx.same_sentence(s - 1, first) && wend - s < 10 {
            let k = s - 1;
            if cx.is_stop(k) {
                break;
            }
            if cx.is_det(k) && !(k > 0 && PREPOSITIONS.contains(&cx.lw(k - 1).as_ref())) {
                det = Some(k);
                break;
            }
            // English titles stand right before the name: capitalised words, role nouns,
            // a possessive; any other word ends the title.
            let w = cx.raw(k);
            if !(fr || w.starts_with(char::is_uppercase) || w == "'s" || cx.role_at(k).is_some()) {
                break;
            }
            s -= 1;
        }
        if s == wend {
            break;
        }
        let Some(role) = role_in_window(cx, s, wend, fr, adjectives, countries) else {
            break;
        };
        let feminine = det.and_then(|d| match cx.lw(d).as_ref() {
            "la" | "une" => Some(true),
            "le" | "un" => Some(false),
            _ => None,
        });
        let from = det.unwrap_or(s);
        for c in consumed.iter_mut().take(wend).skip(from) {
            *c = true;
        }
        out.push((
            RoleFound {
                evidence: ByteSpan::new(cx.toks[from].span.start, cx.toks[wend - 1].span.end),
                ..role
            },
            feminine,
        ));
        match det {
            Some(d) if d > 0 && cx.raw(d - 1) == "," => j = d,
            _ => break,
        }
    }
    // After the name: `, ministre malien de la Défense,`.
    if end < cx.toks.len() && cx.same_sentence(end, first) && cx.raw(end) == "," {
        let mut s = end + 1;
        let det = (s < cx.toks.len() && cx.is_det(s)).then_some(s);
        if det.is_some() {
            s += 1;
        }
        let mut e = s;
        while e < cx.toks.len() && cx.same_sentence(e, first) && !cx.is_stop(e) && e - s < 12 {
            e += 1;
        }
        let starts_with_role = fr && s < e && cx.role_at(s).is_some();
        if e > s && (starts_with_role || !fr) {
            if let Some(role) = role_in_window(cx, s, e, fr, adjectives, countries) {
                let from = det.unwrap_or(s);
                for c in consumed.iter_mut().take(e).skip(from) {
                    *c = true;
                }
                out.push((
                    RoleFound {
                        evidence: ByteSpan::new(cx.toks[from].span.start, cx.toks[e - 1].span.end),
                        ..role
                    },
                    None,
                ));
            }
        }
    }
    out
}

/// The role named by tokens `s..e` (no determiner): its noun, its title without nationality
/// words, its country.
fn role_in_window(
    cx: &Ctx,
    s: usize,
    e: usize,
    fr: bool,
    adjectives: &[(ByteSpan, String)],
    countries: &[(ByteSpan, String)],
) -> Option<RoleFound> {
    let (head, noun, used) = (s..e).find_map(|k| cx.role_at(k).map(|(n, u)| (k, n, u)))?;
    if head + used > e {
        return None;
    }
    let within =
        |span: ByteSpan| span.start >= cx.toks[s].span.start && span.end <= cx.toks[e - 1].span.end;
    let mut country = None;
    let mut skip = vec![false; e - s];
    for (span, iso) in adjectives.iter().chain(countries) {
        if within(*span) {
            country.get_or_insert_with(|| iso.clone());
            let (a, b) = (cx.token_at(span.start), cx.token_at(span.end));
            for k in a..b {
                skip[k - s] = true;
            }
            // `du Mali`, `de la Russie`, `of Mali`, `Mali's`: the linking words go too.
            let mut k = a;
            while k > s && (PREPOSITIONS.contains(&cx.lw(k - 1).as_ref()) || cx.is_det(k - 1)) {
                k -= 1;
                skip[k - s] = true;
            }
            if b < e && cx.raw(b) == "'s" {
                skip[b - s] = true;
            }
        }
    }
    // French titles start at their head noun; English ones end with it.
    let from = if fr { head } else { s };
    let mut title = String::new();
    for k in from..e {
        if skip[k - s] {
            continue;
        }
        let w = cx.raw(k);
        if !title.is_empty() && !title.ends_with('\'') && !title.ends_with('-') && w != "-" {
            title.push(' ');
        }
        title.push_str(w);
    }
    Some(RoleFound {
        title,
        country,
        evidence: ByteSpan::default(),
        noun,
    })
}

/// If the outlet name at `span` is credited as a source, the span of the credit.
fn credit(text: &str, span: ByteSpan, lex: &Lexicons) -> Option<ByteSpan> {
    let mut from = span.start.saturating_sub(90);
    while !text.is_char_boundary(from) {
        from += 1;
    }
    let before = &text[from..span.start];
    let lower = before.to_lowercase();
    if lower.len() == before.len() {
        if let Some(m) = lex.credits.before.find(&lower) {
            return Some(ByteSpan::new(from + m.start(), span.end));
        }
    }
    let mut to = (span.end + 50).min(text.len());
    while !text.is_char_boundary(to) {
        to -= 1;
    }
    let after = &text[span.end..to];
    if before.ends_with('(') {
        if let Some(m) = lex.credits.paren.find(after) {
            return Some(ByteSpan::new(span.start - 1, span.end + m.end()));
        }
    }
    lex.credits
        .after
        .find(after)
        .map(|m| ByteSpan::new(span.start, span.end + m.end()))
}

#[cfg(test)]
mod tests {
    use super::slug;

    #[test]
    fn slugs() {
        assert_eq!(slug("Sadio Camara"), "sadio-camara");
        assert_eq!(slug("Jean-Yves Le Drian"), "jean-yves-le-drian");
        assert_eq!(slug("Alexeï Navalny"), "alexei-navalny");
    }
}
