//! The versioned JSON output of `vigie analyze` (documented in docs/schema.md).
//!
//! All offsets here are Unicode code points into the document text.

use crate::{Meta, Origin};
use serde::{Deserialize, Serialize};

/// Identifier and version of the output schema; bumped on any breaking change.
pub const SCHEMA_VERSION: &str = "vigie.analysis/1";

/// A half-open range of code points `[start, end)` into the document text.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize,
)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Span {
    /// First code point.
    pub start: usize,
    /// One past the last code point.
    pub end: usize,
}

/// A [`Span`] that also carries the text it covers, for human readers of the JSON.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TextSpan {
    /// First code point.
    pub start: usize,
    /// One past the last code point.
    pub end: usize,
    /// `text[start..end]`.
    pub text: String,
}

/// The detected language of a document.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LanguageGuess {
    /// `fr`, `en`, or `other`.
    pub code: String,
    /// Confidence in `[0, 1]`.
    pub score: f32,
    /// ISO 639-3 code of the best guess when `code` is `other` (e.g. `spa`), if any.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub detected: Option<String>,
}

/// One sentence.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Sentence {
    /// First code point.
    pub start: usize,
    /// One past the last code point (trailing spaces excluded).
    pub end: usize,
    /// Index of the paragraph holding the sentence's start.
    pub paragraph: usize,
}

/// A pair of quote marks and what they enclose.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct QuoteMark {
    /// From the opening mark to the closing mark, both included.
    pub start: usize,
    /// One past the closing mark (or the end of the content when unclosed).
    pub end: usize,
    /// The enclosed text, without the marks and surrounding spaces.
    pub content: TextSpan,
    /// The opening mark as written (`«`, `“`, `”`, `"`, `‘`, ...).
    pub open: String,
    /// The closing mark, or `None` when the quote is never closed.
    pub close: Option<String>,
    /// Nesting depth: 0 for outermost quotes.
    pub depth: usize,
    /// Number of paragraphs the quote runs over (1 for most quotes).
    pub paragraphs: usize,
}

/// A named entity.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Entity {
    /// First code point.
    pub start: usize,
    /// One past the last code point.
    pub end: usize,
    /// `text[start..end]`.
    pub text: String,
    /// `PER`, `LOC` or `ORG`.
    pub label: String,
    /// The canonical actor it names (`country:RU`, `org:UN`, `person:sadio-camara`), if known.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub actor: Option<String>,
}

/// A role held by a person, with the words it comes from.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Role {
    /// The title without nationality (`ministre de la Défense`, `colonel`).
    pub title: String,
    /// ISO 3166-1 alpha-2 of the country the role serves, when the text says it.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub country: Option<String>,
    /// The apposition or title in the text.
    pub evidence: TextSpan,
}

/// One mention of an actor.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ActorMention {
    /// First code point.
    pub start: usize,
    /// One past the last code point.
    pub end: usize,
    /// `text[start..end]`.
    pub text: String,
    /// `name`, `short_name`, `adjective`, `capital`, `seat`, `nominal` or `pronoun`.
    pub kind: String,
    /// True when a place stands for its government (`Moscou` for Russia's government).
    #[serde(skip_serializing_if = "std::ops::Not::not", default)]
    pub metonymy: bool,
}

/// A canonical actor of the document and every mention of it (its coreference chain).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Actor {
    /// Stable id: `country:RU`, `org:UN`, `outlet:sputnik`, `person:sadio-camara`.
    pub id: String,
    /// `country`, `organization`, `outlet` or `person`.
    pub kind: String,
    /// Canonical name (the fullest name the text gives for persons).
    pub name: String,
    /// ISO2 of the actor's country (persons with a national role, national bodies, outlets).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub country: Option<String>,
    /// Roles of a person, from appositions and titles.
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub roles: Vec<Role>,
    /// Mentions, in text order.
    pub mentions: Vec<ActorMention>,
}

/// An outlet of the registry, as detected in a document.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OutletRef {
    /// Registry id (`sputnik`).
    pub id: String,
    /// Display name.
    pub name: String,
    /// ISO2 of its state.
    pub country: String,
    /// `state-controlled`, `state-funded-independent`, `private` or `cooperative`.
    pub state_affiliation: String,
    /// Owner.
    pub owner: String,
    /// Public source documenting the affiliation.
    pub affiliation_source: String,
    /// Where it was found: `meta.outlet`, `meta.url`, or `text`.
    pub found_in: String,
    /// For credits in the text: the cue and the name (`Contacté par Sputnik`).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub evidence: Option<TextSpan>,
}

/// The publisher of a document and the outlets its text credits as sources.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Outlets {
    /// From the metadata (outlet name, URL domain).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub publisher: Option<OutletRef>,
    /// From in-text credits, in text order (one per credit).
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub credited: Vec<OutletRef>,
}

/// Who a quote is attributed to.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Speaker {
    /// Canonical name (the fullest name the text gives), or the unnamed source's description
    /// without its article (`source policière`).
    pub name: String,
    /// False for sources the text never names (`un habitant`, `des sources sécuritaires`).
    pub named: bool,
    /// The speaker's role, when the text gives one.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub role: Option<String>,
    /// Id of the speaker's actor (see `actors`).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub actor: Option<String>,
}

/// A quotation: reported speech or writing attributed to a source.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Quote {
    /// `direct` (verbatim, in quote marks), `indirect` (reported), `mixed` (reported with a
    /// quoted fragment).
    #[serde(rename = "type")]
    pub kind: String,
    /// What was said.
    pub content: TextSpan,
    /// The reporting verb or expression (`a déclaré`, `selon`, `said`), if any.
    pub cue: Option<TextSpan>,
    /// The words naming the source in the quote's sentence (`Sadio Camara`, `il`).
    pub speaker_mention: Option<TextSpan>,
    /// The resolved source.
    pub speaker: Option<Speaker>,
    /// Confidence in `[0, 1]` from the rule that found the quote.
    pub confidence: f32,
}

/// Counts for one document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Stats {
    /// Length of the text in code points.
    pub chars: usize,
    /// Length of the text in UTF-8 bytes.
    pub bytes: usize,
    /// Word tokens (letters or digits).
    pub words: usize,
    /// Characters changed, inserted or dropped by Unicode normalisation.
    pub normalized_chars: usize,
}

/// A non-fatal observation about a document (e.g. an unclosed quote mark).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Warning {
    /// Machine-readable kind, e.g. `unclosed_quote`, `unmatched_closing_quote`.
    pub kind: String,
    /// Where in the text.
    pub span: Span,
    /// A sentence for a person.
    pub message: String,
}

/// One evaluative expression behind a stance.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StanceEvidence {
    /// The evaluative words.
    pub text: TextSpan,
    /// Their value after negation, intensity and contrast (negative: unfavourable).
    pub value: f32,
    /// The mention of the target they qualify.
    pub mention: TextSpan,
    /// `negated`, `intensified`, `diminished`, `after_contrast`, `before_contrast`.
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub modifiers: Vec<String>,
}

/// How one holder portrays one actor.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Stance {
    /// The target's actor id.
    pub target: String,
    /// The target's name.
    pub target_name: String,
    /// `author` (the article's own framing) or the quoted speaker's name.
    pub holder: String,
    /// The holder's actor id, when resolved.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub holder_actor: Option<String>,
    /// From -1 (all unfavourable) to +1 (all favourable).
    pub score: f32,
    /// The expressions it rests on.
    pub evidence: Vec<StanceEvidence>,
}

/// One rule match of a narrative.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NarrativeEvidence {
    /// Index of the rule in the narrative (0-based, in codebook order).
    pub rule: usize,
    /// The sentence, paragraph or document the rule held in.
    pub unit: Span,
    /// The words that fired.
    pub spans: Vec<TextSpan>,
}

/// A narrative of a codebook found in the document.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NarrativeMatch {
    /// Narrative id.
    pub id: String,
    /// Label in the document's language (English otherwise).
    pub label: String,
    /// Codebook name.
    pub codebook: String,
    /// Sum of the weights of the rules that matched (one per unit matched).
    pub score: f32,
    /// The matches.
    pub evidence: Vec<NarrativeEvidence>,
}

/// The analysis of one document: what `vigie analyze` writes, one JSON object per document.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Analysis {
    /// Always [`SCHEMA_VERSION`] when written by this version.
    pub schema: String,
    /// Document id.
    pub id: String,
    /// Where the document was read from.
    pub origin: Origin,
    /// Input metadata.
    pub meta: Meta,
    /// The document text (omitted with `--no-text`).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub text: Option<String>,
    /// Detected language.
    pub language: LanguageGuess,
    /// Sizes.
    pub stats: Stats,
    /// Paragraphs, in order.
    pub paragraphs: Vec<Span>,
    /// Sentences, in order.
    pub sentences: Vec<Sentence>,
    /// Quote-mark pairs, in order of their opening mark.
    pub quote_marks: Vec<QuoteMark>,
    /// Named entities, in text order.
    #[serde(default)]
    pub entities: Vec<Entity>,
    /// Canonical actors with their mentions (countries, organisations, outlets, persons).
    #[serde(default)]
    pub actors: Vec<Actor>,
    /// Publisher and credited outlets.
    #[serde(default)]
    pub outlets: Outlets,
    /// Quotations with their speakers, in text order.
    #[serde(default)]
    pub quotes: Vec<Quote>,
    /// Stances toward actors, by target and holder.
    #[serde(default)]
    pub stances: Vec<Stance>,
    /// Narratives of the codebooks in use.
    #[serde(default)]
    pub narratives: Vec<NarrativeMatch>,
    /// Non-fatal observations.
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub warnings: Vec<Warning>,
}

impl Analysis {
    /// Checks the span invariants of docs/schema.md against `text`, the document's text:
    /// every span (an object with `start` and `end`, in code points) lies inside the text with
    /// `start <= end`, and its `text`, when it has one, is the text it covers; paragraphs and
    /// sentences are in order and disjoint, each sentence inside its paragraph; quote marks,
    /// entities and quotes in text order. Returns the first violation, with its path in the
    /// analysis.
    pub fn check_spans(&self, text: &str) -> Result<(), String> {
        let chars: Vec<char> = text.chars().collect();
        let json = serde_json::to_value(self).map_err(|e| e.to_string())?;
        check_value(&json, &chars, "analysis")?;
        for (i, w) in self.paragraphs.windows(2).enumerate() {
            if w[0].end > w[1].start {
                return Err(format!(
                    "paragraphs[{i}] and [{}] overlap or are out of order",
                    i + 1
                ));
            }
        }
        for (i, w) in self.sentences.windows(2).enumerate() {
            if w[0].end > w[1].start {
                return Err(format!(
                    "sentences[{i}] and [{}] overlap or are out of order",
                    i + 1
                ));
            }
        }
        let ordered =
            |name: &str, starts: &[usize]| match starts.windows(2).position(|w| w[0] > w[1]) {
                Some(i) => Err(format!("{name}[{}] starts before {name}[{i}]", i + 1)),
                None => Ok(()),
            };
        ordered(
            "quote_marks",
            &self.quote_marks.iter().map(|q| q.start).collect::<Vec<_>>(),
        )?;
        ordered(
            "entities",
            &self.entities.iter().map(|e| e.start).collect::<Vec<_>>(),
        )?;
        ordered(
            "quotes",
            &self
                .quotes
                .iter()
                .map(|q| q.content.start)
                .collect::<Vec<_>>(),
        )?;
        for (i, s) in self.sentences.iter().enumerate() {
            let inside = self
                .paragraphs
                .get(s.paragraph)
                .is_some_and(|p| p.start <= s.start && s.end <= p.end);
            if !inside {
                return Err(format!(
                    "sentences[{i}] is not inside its paragraph {}",
                    s.paragraph
                ));
            }
        }
        Ok(())
    }
}

/// Walks one JSON value of an analysis, checking every span in it.
fn check_value(v: &serde_json::Value, chars: &[char], path: &str) -> Result<(), String> {
    use serde_json::Value;
    match v {
        Value::Object(m) => {
            if let (Some(s), Some(e)) = (
                m.get("start").and_then(Value::as_u64),
                m.get("end").and_then(Value::as_u64),
            ) {
                let (s, e) = (s as usize, e as usize);
                if s > e || e > chars.len() {
                    return Err(format!("{path}: span {s}..{e} outside 0..{}", chars.len()));
                }
                if let Some(t) = m.get("text").and_then(Value::as_str) {
                    if !t.chars().eq(chars[s..e].iter().copied()) {
                        return Err(format!("{path}: `text` is not the text at {s}..{e}"));
                    }
                }
            }
            for (k, x) in m {
                // Metadata and the document's own text hold no spans.
                if !matches!(k.as_str(), "meta" | "origin" | "text") || x.is_object() {
                    check_value(x, chars, &format!("{path}.{k}"))?;
                }
            }
            Ok(())
        }
        Value::Array(a) => a
            .iter()
            .enumerate()
            .try_for_each(|(i, x)| check_value(x, chars, &format!("{path}[{i}]"))),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod span_checks {
    use super::*;

    #[test]
    fn a_span_past_the_text_or_with_the_wrong_text_is_caught() {
        let text = "Il a dit « oui ».";
        let mut a = Analysis {
            paragraphs: vec![Span { start: 0, end: 17 }],
            ..Default::default()
        };
        assert_eq!(a.check_spans(text), Ok(()));
        a.paragraphs[0].end = 18;
        assert!(a.check_spans(text).unwrap_err().contains("paragraphs[0]"));
        a.paragraphs[0].end = 17;
        a.warnings.push(Warning {
            kind: "x".into(),
            span: Span { start: 3, end: 2 },
            message: String::new(),
        });
        assert!(a.check_spans(text).unwrap_err().contains("warnings[0]"));
        a.warnings.clear();
        a.entities.push(Entity {
            start: 0,
            end: 2,
            text: "Le".into(),
            label: "PER".into(),
            actor: None,
        });
        assert!(a.check_spans(text).unwrap_err().contains("not the text"));
        a.entities[0].text = "Il".into();
        a.sentences.push(Sentence {
            start: 0,
            end: 17,
            paragraph: 1,
        });
        assert!(a.check_spans(text).unwrap_err().contains("paragraph"));
    }
}
