//! English named entities by rule, for lack of an openly licensed English training set.
//!
//! Candidates are runs of capitalised tokens in a sentence (with inner connectors: `Bank of
//! England`, `bin Salman`). A run is classified by, in order: a gazetteer hit (countries,
//! capitals, seats → LOC; organisations, outlets → ORG), an organisation or place designator
//! (`Labour Party`, `Niger River`), a person title before it (`President Putin`), a place
//! preposition before a one-word name (`in Gao`), a reporting verb after it (`Smith said`),
//! and otherwise two or three capitalised words make a person's name. Word lists come from
//! resources/ner/en-rules.tsv.

use crate::gazetteer::{GazMatch, Gazetteer};
use crate::ner::EntitySpan;
use crate::resources::data_lines;
use crate::tokenize::{Token, TokenKind};
use rustc_hash::FxHashSet;
use vigie_core::ByteSpan;

/// The word lists of the rules.
#[derive(Debug, Clone, Default)]
pub struct EnRules {
    not_entity: FxHashSet<String>,
    person_title: FxHashSet<String>,
    org_designator: FxHashSet<String>,
    org_head: FxHashSet<String>,
    location_designator: FxHashSet<String>,
    location_preposition: FxHashSet<String>,
    location_modifier: FxHashSet<String>,
}

const CONNECTORS: &[&str] = &[
    "of", "de", "du", "des", "bin", "al", "van", "von", "der", "la", "le", "del", "da", "for",
    "on", "the",
];

impl EnRules {
    /// Parses resources/ner/en-rules.tsv.
    pub fn from_source(src: &str) -> Result<Self, String> {
        let mut r = EnRules::default();
        for (n, line) in data_lines(src).enumerate() {
            let (kind, words) = line
                .split_once('\t')
                .ok_or_else(|| format!("ner/en-rules.tsv: data line {} has no tab", n + 1))?;
            let set = match kind {
                "not-entity" => &mut r.not_entity,
                "person-title" => &mut r.person_title,
                "org-designator" => &mut r.org_designator,
                "org-head" => &mut r.org_head,
                "location-designator" => &mut r.location_designator,
                "location-preposition" => &mut r.location_preposition,
                "location-modifier" => &mut r.location_modifier,
                other => return Err(format!("ner/en-rules.tsv: unknown kind {other:?}")),
            };
            set.extend(words.split_whitespace().map(str::to_string));
        }
        Ok(r)
    }

    /// Entities of an English text.
    pub fn entities(
        &self,
        text: &str,
        toks: &[Token],
        gaz: Option<&Gazetteer>,
        hits: &[GazMatch],
        is_reporting: &dyn Fn(&str) -> bool,
        is_role: &dyn Fn(&str) -> bool,
    ) -> Vec<EntitySpan> {
        let word = |i: usize| &text[toks[i].span.start..toks[i].span.end];
        let cap = |i: usize| {
            toks[i].kind == TokenKind::Word
                && word(i).chars().next().is_some_and(char::is_uppercase)
        };
        let mut out = Vec::new();
        let mut i = 0;
        while i < toks.len() {
            if !cap(i) {
                i += 1;
                continue;
            }
            let sent = toks[i].sentence;
            let sentence_start = i == 0 || toks[i - 1].sentence != sent;
            // The run: capitalised words, joined by connectors followed by a capital.
            let mut j = i + 1;
            loop {
                if j < toks.len() && toks[j].sentence == sent && cap(j) {
                    j += 1;
                } else if j + 1 < toks.len()
                    && toks[j + 1].sentence == sent
                    && CONNECTORS.contains(&word(j))
                    && cap(j + 1)
                {
                    j += 2;
                } else {
                    break;
                }
            }
            let _ = sentence_start;
            // Leading titles (`Interior Minister`, `Mayor of Koszalin`) and words that are never
            // names on their own are not part of the name.
            let is_title =
                |k: usize| self.person_title.contains(word(k)) || is_role(&word(k).to_lowercase());
            let mut s = i;
            let mut title = false;
            if let Some(t) = (i..j).rev().find(|&k| is_title(k)) {
                title = true;
                s = t + 1;
                // `Mayor of Koszalin Piotr Jedlinski`: the title's complement goes too.
                if s + 2 < j && CONNECTORS.contains(&word(s)) {
                    s += 2;
                }
            }
            while s < j && (self.not_entity.contains(word(s)) || CONNECTORS.contains(&word(s))) {
                s += 1;
            }
            let mut e = j;
            while e > s && CONNECTORS.contains(&word(e - 1)) {
                e -= 1;
            }
            let j = e;
            if s >= j {
                i = j;
                continue;
            }
            let span = ByteSpan::new(toks[s].span.start, toks[j - 1].span.end);
            let label = self.classify(text, toks, s, j, span, title, gaz, hits, is_reporting);
            if let Some(label) = label {
                out.push(EntitySpan {
                    span,
                    label,
                    tokens: (s, j),
                });
            }
            i = j;
        }
        out
    }

    #[allow(clippy::too_many_arguments)]
    fn classify(
        &self,
        text: &str,
        toks: &[Token],
        s: usize,
        j: usize,
        span: ByteSpan,
        title: bool,
        gaz: Option<&Gazetteer>,
        hits: &[GazMatch],
        is_reporting: &dyn Fn(&str) -> bool,
    ) -> Option<usize> {
        let word = |i: usize| &text[toks[i].span.start..toks[i].span.end];
        if let Some(g) = gaz {
            // (Hits are sorted and disjoint: the one at `span`, if any, by binary search.)
            let k = hits.partition_point(|h| h.span.start < span.start);
            if let Some(h) = hits.get(k).filter(|h| h.span == span) {
                return match g.entries[h.entry].kind.label() {
                    Some("LOC") => Some(1),
                    Some("ORG") => Some(2),
                    _ => None, // an adjective (`Russian`)
                };
            }
        }
        let last = word(j - 1);
        if self.org_designator.contains(last) || self.org_head.contains(word(s)) && j - s > 1 {
            return Some(2);
        }
        if (self.location_designator.contains(last) || self.location_modifier.contains(word(s)))
            && j - s > 1
        {
            return Some(1);
        }
        if title {
            return Some(0);
        }
        let prev = (s > 0 && toks[s - 1].sentence == toks[s].sentence).then(|| word(s - 1));
        let next = (j < toks.len() && toks[j].sentence == toks[s].sentence).then(|| word(j));
        let all_caps = word(s).len() > 1 && word(s).chars().all(|c| !c.is_lowercase());
        if all_caps && j - s == 1 {
            return Some(2); // an acronym: `NATO`, `UNICEF`
        }
        if prev.is_some_and(|p| self.location_preposition.contains(p)) && j - s == 1 {
            return Some(1);
        }
        if next.is_some_and(|n| is_reporting(&n.to_lowercase())) {
            return Some(0);
        }
        if (2..=3).contains(&(j - s)) {
            return Some(0);
        }
        None
    }
}
