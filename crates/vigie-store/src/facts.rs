//! From one analysed document to the rows the store writes: computed in parallel by the
//! ingest workers, so the single writer thread only inserts.

use crate::minhash;
use flate2::write::DeflateEncoder;
use flate2::Compression;

use vigie_core::{Analysis, Document, TextSpan};

/// One entity row.
#[derive(Debug, Clone)]
pub struct EntityRow {
    /// Code-point span.
    pub start: usize,
    /// End of the span.
    pub end: usize,
    /// PER, LOC, ORG...
    pub label: String,
    /// Canonical actor, when resolved.
    pub actor: Option<String>,
}

/// One actor row (one per actor and document).
#[derive(Debug, Clone)]
pub struct ActorRow {
    /// Actor id (`country:RU`, `person:sadio-camara`).
    pub actor: String,
    /// country, person, organization, outlet...
    pub kind: String,
    /// Display name.
    pub name: String,
    /// Country code, when known.
    pub country: Option<String>,
    /// Number of mentions in the document.
    pub mentions: usize,
    /// First mention's span.
    pub start: usize,
    /// End of the first mention.
    pub end: usize,
}

/// One quote row.
#[derive(Debug, Clone)]
pub struct QuoteRow {
    /// direct, indirect, mixed.
    pub kind: String,
    /// Content span.
    pub start: usize,
    /// End of the content.
    pub end: usize,
    /// Reporting cue (`a déclaré`).
    pub cue: Option<String>,
    /// Resolved speaker name.
    pub speaker: Option<String>,
    /// Speaker's actor id.
    pub speaker_actor: Option<String>,
    /// Speaker's role (`ministre de la Défense`).
    pub speaker_role: Option<String>,
    /// Whether the speaker is named (not only a description).
    pub speaker_named: Option<bool>,
    /// The speaker mention's text and span.
    pub mention: Option<(String, usize, usize)>,
    /// Extractor confidence.
    pub confidence: f32,
}

/// One stance row (holder → target).
#[derive(Debug, Clone)]
pub struct StanceRow {
    /// `author` or the speaker's name.
    pub holder: String,
    /// The holder's actor id.
    pub holder_actor: Option<String>,
    /// Target actor id.
    pub target: String,
    /// Target display name.
    pub target_name: String,
    /// −1 to +1.
    pub score: f32,
    /// Number of evidence expressions.
    pub evidence: usize,
    /// First evidence span.
    pub start: usize,
    /// End of the first evidence span.
    pub end: usize,
    /// Evidence words, ` | `-separated.
    pub words: String,
}

/// One narrative match row.
#[derive(Debug, Clone)]
pub struct NarrativeRow {
    /// Narrative id.
    pub narrative: String,
    /// Label.
    pub label: String,
    /// Codebook name.
    pub codebook: String,
    /// Match score.
    pub score: f32,
    /// Number of evidence units.
    pub evidence: usize,
    /// First evidence unit.
    pub start: usize,
    /// End of the first evidence unit.
    pub end: usize,
    /// Evidence words, ` | `-separated.
    pub words: String,
}

/// Every fact of one document version, as table rows.
#[derive(Debug, Clone, Default)]
pub struct DocFacts {
    /// `entities` rows.
    pub entities: Vec<EntityRow>,
    /// `actors` rows.
    pub actors: Vec<ActorRow>,
    /// `quotes` rows.
    pub quotes: Vec<QuoteRow>,
    /// `quote_tags` rows: (kind, key, quote index): `about` actors inside the quote,
    /// `narrative` matches whose evidence lies inside it.
    pub quote_tags: Vec<(&'static str, String, usize)>,
    /// `stances` rows.
    pub stances: Vec<StanceRow>,
    /// `narratives` rows.
    pub narratives: Vec<NarrativeRow>,
    /// `facets` rows (kind, key): lang, outlet, affiliation, actor, speaker, narrative.
    pub facets: Vec<(&'static str, String)>,
}

/// A document ready to store: its row, compressed analysis, facts and signature.
#[derive(Debug, Clone)]
pub struct Prepared {
    /// Document id from the input.
    pub doc_id: String,
    /// Content hash (title and text).
    pub hash: String,
    /// Headline.
    pub title: Option<String>,
    /// URL.
    pub url: Option<String>,
    /// Publishing outlet (registry id when known, else as the source names it).
    pub outlet: Option<String>,
    /// State affiliations of the publisher and credited outlets, `,`-separated.
    pub affiliation: Option<String>,
    /// Detected (or declared) language.
    pub lang: String,
    /// Publication date as given.
    pub date: Option<String>,
    /// First and last day the date covers (days since 1970-01-01).
    pub days: Option<(i64, i64)>,
    /// Where it was read from.
    pub origin: String,
    /// Vigie version and codebooks that produced the analysis.
    pub analyzed_by: String,
    /// The metadata as JSON (kept for re-analysis).
    pub meta: String,
    /// The document text.
    pub text: String,
    /// The document text, deflated (the `docs.text` column).
    pub text_z: Vec<u8>,
    /// The analysis JSON without its text, deflated.
    pub analysis: Vec<u8>,
    /// Number of distinct shingles.
    pub shingles: usize,
    /// MinHash signature bytes, when the text is long enough.
    pub minhash: Option<Vec<u8>>,
    /// Fact rows.
    pub facts: DocFacts,
}

/// The content hash of a document: 128-bit xxh3 of its title and text, in hex.
pub fn content_hash(title: Option<&str>, text: &str) -> String {
    let mut h = twox_hash::XxHash3_128::new();
    h.write(title.unwrap_or("").as_bytes());
    h.write(&[0]);
    h.write(text.as_bytes());
    format!("{:032x}", h.finish_128())
}

/// Calls `f` with every span's code-point range and text.
fn for_each_span(a: &mut Analysis, f: &mut dyn FnMut(usize, usize, &mut String)) {
    let mut ts = |t: &mut TextSpan| f(t.start, t.end, &mut t.text);
    for m in &mut a.quote_marks {
        ts(&mut m.content);
    }
    for x in &mut a.actors {
        for r in &mut x.roles {
            ts(&mut r.evidence);
        }
    }
    for o in a
        .outlets
        .publisher
        .iter_mut()
        .chain(a.outlets.credited.iter_mut())
    {
        if let Some(e) = &mut o.evidence {
            ts(e);
        }
    }
    for q in &mut a.quotes {
        ts(&mut q.content);
        for t in [&mut q.cue, &mut q.speaker_mention].into_iter().flatten() {
            ts(t);
        }
    }
    for s in &mut a.stances {
        for e in &mut s.evidence {
            ts(&mut e.text);
            ts(&mut e.mention);
        }
    }
    for n in &mut a.narratives {
        for e in &mut n.evidence {
            for s in &mut e.spans {
                ts(s);
            }
        }
    }
    for e in &mut a.entities {
        f(e.start, e.end, &mut e.text);
    }
    for x in &mut a.actors {
        for m in &mut x.mentions {
            f(m.start, m.end, &mut m.text);
        }
    }
}

/// Byte offset of every code point of `text`, and the text's length at the end.
pub(crate) fn char_starts(text: &str) -> Vec<usize> {
    text.char_indices()
        .map(|(i, _)| i)
        .chain(std::iter::once(text.len()))
        .collect()
}

fn slice<'t>(text: &'t str, starts: &[usize], start: usize, end: usize) -> Option<&'t str> {
    Some(&text[*starts.get(start)?..*starts.get(end)?])
}

/// Empties every span text that the document text gives back from the span's offsets (most
/// of them): stored analyses stay small, and [`restore_span_texts`] refills them.
pub fn strip_span_texts(a: &mut Analysis, text: &str) {
    let starts = char_starts(text);
    for_each_span(a, &mut |s, e, t| {
        if e > s && slice(text, &starts, s, e) == Some(t.as_str()) {
            t.clear();
        }
    });
}

/// Refills the span texts emptied by [`strip_span_texts`].
pub fn restore_span_texts(a: &mut Analysis, text: &str) {
    let starts = char_starts(text);
    for_each_span(a, &mut |s, e, t| {
        if t.is_empty() && e > s {
            if let Some(x) = slice(text, &starts, s, e) {
                t.push_str(x);
            }
        }
    });
}

/// Deflates a document text for the `docs.text` column.
pub fn compress_text(text: &str) -> Vec<u8> {
    let mut enc = DeflateEncoder::new(Vec::new(), Compression::new(6));
    std::io::Write::write_all(&mut enc, text.as_bytes()).expect("writing to memory cannot fail");
    enc.finish().expect("writing to memory cannot fail")
}

/// Inflates a stored document text.
pub fn decompress_text(b: &[u8]) -> crate::Result<String> {
    let mut s = String::new();
    std::io::Read::read_to_string(&mut flate2::read::DeflateDecoder::new(b), &mut s)
        .map_err(|e| crate::Error::ctx("reading a stored text", e))?;
    Ok(s)
}

/// Deflates an analysis (without its text) for the `docs.analysis` column.
pub fn compress_analysis(a: &Analysis) -> Vec<u8> {
    let mut enc = DeflateEncoder::new(Vec::new(), Compression::new(6));
    serde_json::to_writer(&mut enc, a).expect("an analysis always serialises");
    enc.finish().expect("writing to memory cannot fail")
}

/// Inflates a stored analysis.
pub fn decompress_analysis(b: &[u8]) -> crate::Result<Analysis> {
    let dec = flate2::read::DeflateDecoder::new(b);
    serde_json::from_reader(dec).map_err(|e| crate::Error::ctx("reading a stored analysis", e))
}

fn words(spans: impl Iterator<Item = String>) -> String {
    let mut v: Vec<String> = spans.collect();
    v.dedup();
    v.join(" | ")
}

impl Prepared {
    /// Prepares a document and its analysis for storage.
    pub fn new(doc: &Document, mut analysis: Analysis, analyzed_by: &str) -> Prepared {
        analysis.text = None;
        let facts = DocFacts::from_analysis(&analysis, &doc.meta);
        strip_span_texts(&mut analysis, &doc.text);
        let sh = minhash::shingles(&doc.text);
        let days = doc.meta.date.map(|d| (d.first_day(), d.last_day()));
        let outlet = publisher(&analysis, &doc.meta);
        let affiliation = {
            let mut v: Vec<&str> = facts
                .facets
                .iter()
                .filter(|(k, _)| *k == "affiliation")
                .map(|(_, v)| v.as_str())
                .collect();
            v.dedup();
            (!v.is_empty()).then(|| v.join(","))
        };
        Prepared {
            doc_id: doc.id.clone(),
            hash: content_hash(doc.meta.title.as_deref(), &doc.text),
            title: doc.meta.title.clone(),
            url: doc.meta.url.clone(),
            outlet,
            affiliation,
            lang: analysis.language.code.clone(),
            date: doc.meta.date.map(|d| d.to_string()),
            days,
            origin: doc.origin.to_string(),
            analyzed_by: analyzed_by.to_string(),
            meta: serde_json::to_string(&doc.meta).expect("metadata always serialises"),
            text: doc.text.clone(),
            text_z: compress_text(&doc.text),
            analysis: compress_analysis(&analysis),
            shingles: sh.len(),
            minhash: minhash::signature(&sh).map(|s| minhash::to_bytes(&s)),
            facts,
        }
    }
}

/// The publishing outlet: the registry id of the publisher, else the metadata's name.
fn publisher(a: &Analysis, meta: &vigie_core::Meta) -> Option<String> {
    a.outlets
        .publisher
        .as_ref()
        .map(|p| p.id.clone())
        .or_else(|| meta.outlet.clone())
}

impl DocFacts {
    /// The fact rows of an analysis.
    pub fn from_analysis(a: &Analysis, meta: &vigie_core::Meta) -> DocFacts {
        let mut f = DocFacts {
            entities: a
                .entities
                .iter()
                .map(|e| EntityRow {
                    start: e.start,
                    end: e.end,
                    label: e.label.clone(),
                    actor: e.actor.clone(),
                })
                .collect(),
            actors: a
                .actors
                .iter()
                .filter_map(|x| {
                    let first = x.mentions.first()?;
                    Some(ActorRow {
                        actor: x.id.clone(),
                        kind: x.kind.clone(),
                        name: x.name.clone(),
                        country: x.country.clone(),
                        mentions: x.mentions.len(),
                        start: first.start,
                        end: first.end,
                    })
                })
                .collect(),
            ..Default::default()
        };
        // Actor ids are unique per document in the analysis; keep the table's key safe anyway.
        f.actors.sort_by(|x, y| x.actor.cmp(&y.actor));
        f.actors.dedup_by(|x, y| x.actor == y.actor);

        for (i, q) in a.quotes.iter().enumerate() {
            let sp = q.speaker.as_ref();
            f.quotes.push(QuoteRow {
                kind: q.kind.clone(),
                start: q.content.start,
                end: q.content.end,
                cue: q.cue.as_ref().map(|c| c.text.clone()),
                speaker: sp.map(|s| s.name.clone()),
                speaker_actor: sp.and_then(|s| s.actor.clone()),
                speaker_role: sp.and_then(|s| s.role.clone()),
                speaker_named: sp.map(|s| s.named),
                mention: q
                    .speaker_mention
                    .as_ref()
                    .map(|m| (m.text.clone(), m.start, m.end)),
                confidence: q.confidence,
            });
            let (qs, qe) = (q.content.start, q.content.end);
            let mut about: Vec<&str> = a
                .actors
                .iter()
                .filter(|x| x.mentions.iter().any(|m| m.start >= qs && m.end <= qe))
                .filter(|x| sp.and_then(|s| s.actor.as_deref()) != Some(x.id.as_str()))
                .map(|x| x.id.as_str())
                .collect();
            about.sort_unstable();
            about.dedup();
            f.quote_tags
                .extend(about.into_iter().map(|k| ("about", k.to_string(), i)));
            let mut narr: Vec<&str> = a
                .narratives
                .iter()
                .filter(|n| {
                    n.evidence
                        .iter()
                        .flat_map(|e| &e.spans)
                        .any(|s| s.start < qe && s.end > qs)
                })
                .map(|n| n.id.as_str())
                .collect();
            narr.sort_unstable();
            narr.dedup();
            f.quote_tags
                .extend(narr.into_iter().map(|k| ("narrative", k.to_string(), i)));
        }
        for s in &a.stances {
            let Some(first) = s.evidence.first() else {
                continue;
            };
            f.stances.push(StanceRow {
                holder: s.holder.clone(),
                holder_actor: s.holder_actor.clone(),
                target: s.target.clone(),
                target_name: s.target_name.clone(),
                score: s.score,
                evidence: s.evidence.len(),
                start: first.text.start,
                end: first.text.end,
                words: words(s.evidence.iter().map(|e| e.text.text.clone())),
            });
        }
        for n in &a.narratives {
            let Some(first) = n.evidence.first() else {
                continue;
            };
            f.narratives.push(NarrativeRow {
                narrative: n.id.clone(),
                label: n.label.clone(),
                codebook: n.codebook.clone(),
                score: n.score,
                evidence: n.evidence.len(),
                start: first.unit.start,
                end: first.unit.end,
                words: words(
                    n.evidence
                        .iter()
                        .flat_map(|e| e.spans.iter().map(|s| s.text.clone())),
                ),
            });
        }
        f.narratives.sort_by(|x, y| x.narrative.cmp(&y.narrative));
        f.narratives.dedup_by(|x, y| x.narrative == y.narrative);

        // Facets: what search filters on and trends count, one row per document and value.
        let mut facets: Vec<(&'static str, String)> = vec![("lang", a.language.code.clone())];
        if let Some(o) = publisher(a, meta) {
            facets.push(("outlet", o));
        }
        for o in a.outlets.publisher.iter().chain(&a.outlets.credited) {
            if !o.state_affiliation.is_empty() {
                facets.push(("affiliation", o.state_affiliation.clone()));
            }
            if o.found_in == "text" {
                facets.push(("credited", o.id.clone()));
            }
        }
        facets.extend(f.actors.iter().map(|x| ("actor", x.actor.clone())));
        facets.extend(
            f.quotes
                .iter()
                .filter_map(|q| q.speaker.clone())
                .map(|s| ("speaker", s)),
        );
        facets.extend(
            f.narratives
                .iter()
                .map(|n| ("narrative", n.narrative.clone())),
        );
        facets.sort();
        facets.dedup();
        f.facets = facets;
        f
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn span_texts_come_back_after_stripping() {
        let text = "« Ça va », a dit Sadio Camara à l’agence.";
        let mut a = Analysis::default();
        a.quotes.push(vigie_core::Quote {
            content: TextSpan {
                start: 2,
                end: 7,
                text: "Ça va".into(),
            },
            cue: Some(TextSpan {
                start: 11,
                end: 16,
                text: "a dit".into(),
            }),
            ..Default::default()
        });
        a.entities.push(vigie_core::Entity {
            start: 17,
            end: 29,
            text: "Sadio Camara".into(),
            label: "PER".into(),
            actor: None,
        });
        // A span whose text differs from the slice is kept as is.
        a.quote_marks.push(vigie_core::QuoteMark {
            content: TextSpan {
                start: 2,
                end: 7,
                text: "Ca va".into(),
            },
            ..Default::default()
        });
        let before = a.clone();
        strip_span_texts(&mut a, text);
        assert!(a.quotes[0].content.text.is_empty());
        assert!(a.entities[0].text.is_empty());
        assert!(a.quotes[0].cue.as_ref().unwrap().text.is_empty());
        assert_eq!(a.quote_marks[0].content.text, "Ca va");
        restore_span_texts(&mut a, text);
        assert_eq!(a, before);
    }
}
