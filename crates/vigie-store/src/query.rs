//! Queries over the store: search, quotes, trends and one document with all its layers.

use crate::facts::decompress_analysis;
use crate::index::{facet, FacetCounts, TextIndex, COUNTED};
use crate::{Error, Result, Store};
use rusqlite::{params_from_iter, types::Value, OptionalExtension};
use rustc_hash::FxHashMap;
use serde::Serialize;
use std::ops::Bound;

use tantivy::collector::{Count, TopDocs};
use tantivy::query::{AllQuery, BooleanQuery, Occur, Query, QueryParser, RangeQuery, TermQuery};
use tantivy::schema::{IndexRecordOption, Value as _};
use tantivy::snippet::SnippetGenerator;
use tantivy::{TantivyDocument, Term};
use vigie_core::{civil_from_days, Analysis, PartialDate};

/// Most results one search returns at once.
pub const MAX_PAGE: usize = 10_000;

/// Values shown per facet dimension.
const FACET_VALUES: usize = 10;

/// Filters shared by search, quotes and trends. Each list is an OR of its values; lists are
/// ANDed. Values are matched by key or display name (`RU`, `country:RU`, `Russie`).
#[derive(Debug, Clone, Default)]
pub struct Filters {
    /// Documents dated on or after this (any precision: `2022`, `2022-08`, `2022-08-14`).
    pub from: Option<PartialDate>,
    /// Documents dated on or before this (any precision; `2022-08` includes the whole month).
    pub to: Option<PartialDate>,
    /// Language codes.
    pub lang: Vec<String>,
    /// Publishing outlets.
    pub outlet: Vec<String>,
    /// State affiliation of the publisher or a credited outlet (`state-controlled`...).
    pub affiliation: Vec<String>,
    /// Actors mentioned.
    pub actor: Vec<String>,
    /// Speakers quoted.
    pub speaker: Vec<String>,
    /// Narratives carried.
    pub narrative: Vec<String>,
}

impl Filters {
    fn lists(&self) -> [(&'static str, &Vec<String>); 6] {
        [
            ("lang", &self.lang),
            ("outlet", &self.outlet),
            ("affiliation", &self.affiliation),
            ("actor", &self.actor),
            ("speaker", &self.speaker),
            ("narrative", &self.narrative),
        ]
    }

    /// The day range the date filters cover.
    pub fn days(&self) -> Option<(i64, i64)> {
        if self.from.is_none() && self.to.is_none() {
            return None;
        }
        Some((
            self.from.map_or(i64::MIN, |d| d.first_day()),
            self.to.map_or(i64::MAX, |d| d.last_day()),
        ))
    }
}

/// One search result.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SearchHit {
    /// Document id.
    pub doc_id: String,
    /// Stored row of the version found.
    pub seq: i64,
    /// BM25 relevance.
    pub score: f32,
    /// Headline.
    pub title: Option<String>,
    /// Publication date.
    pub date: Option<String>,
    /// Publishing outlet.
    pub outlet: Option<String>,
    /// Language.
    pub lang: Option<String>,
    /// URL.
    pub url: Option<String>,
    /// The best passage.
    pub snippet: String,
    /// The passage's span in the document text (code points).
    pub snippet_start: usize,
    /// End of the passage.
    pub snippet_end: usize,
    /// Matched words inside the snippet, as code-point ranges of `snippet`.
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<[u64; 2]>))]
    pub highlights: Vec<(usize, usize)>,
}

/// A facet value with its document count among the results.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FacetCount {
    /// Dimension: lang, outlet, affiliation, actor, speaker, narrative.
    pub facet: String,
    /// Value (key).
    pub key: String,
    /// Display name.
    pub name: String,
    /// Matching documents with this value.
    pub count: u64,
}

/// Search results.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SearchResults {
    /// Matching documents in all.
    pub total: usize,
    /// The requested page of results, best first.
    pub hits: Vec<SearchHit>,
    /// Facet counts over all matching documents (top values per dimension).
    pub facets: Vec<FacetCount>,
    /// Filter values that matched nothing in the store.
    pub unknown: Vec<String>,
}

/// A facet dimension for trends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Facet {
    /// Narratives.
    Narrative,
    /// Actors.
    Actor,
    /// Speakers.
    Speaker,
    /// Publishing outlets.
    Outlet,
}

/// What trends count by.
pub type TrendBy = Facet;

impl Facet {
    /// The facet kind in the store.
    pub fn kind(self) -> &'static str {
        match self {
            Facet::Narrative => "narrative",
            Facet::Actor => "actor",
            Facet::Speaker => "speaker",
            Facet::Outlet => "outlet",
        }
    }
}

/// Trend buckets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Interval {
    /// Calendar days.
    Day,
    /// ISO weeks (Monday to Sunday), labelled by their Monday.
    Week,
    /// Calendar months.
    Month,
}

impl Interval {
    fn bucket(self, day: i64) -> i64 {
        match self {
            Interval::Day => day,
            Interval::Week => (day + 3).div_euclid(7),
            Interval::Month => {
                let (y, m, _) = civil_from_days(day);
                y * 12 + i64::from(m) - 1
            }
        }
    }

    fn label(self, bucket: i64) -> String {
        let day = |d: i64| {
            let (y, m, dd) = civil_from_days(d);
            format!("{y:04}-{m:02}-{dd:02}")
        };
        match self {
            Interval::Day => day(bucket),
            Interval::Week => day(bucket * 7 - 3),
            Interval::Month => format!(
                "{:04}-{:02}",
                bucket.div_euclid(12),
                bucket.rem_euclid(12) + 1
            ),
        }
    }
}

/// One key's counts over time.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TrendSeries {
    /// Facet key.
    pub key: String,
    /// Display name.
    pub name: String,
    /// Documents in all buckets.
    pub total: u64,
    /// Documents per bucket, aligned with [`Trends::buckets`].
    pub counts: Vec<u64>,
}

/// Document counts per interval for the top keys of a facet.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Trends {
    /// The facet counted.
    pub by: String,
    /// Bucket labels (`2022-08`, or the day / the week's Monday).
    pub buckets: Vec<String>,
    /// One series per key, largest total first.
    pub series: Vec<TrendSeries>,
    /// Documents with this facet but no date (left out of the buckets).
    pub undated: u64,
}

/// A quote search.
#[derive(Debug, Clone, Default)]
pub struct QuoteQuery {
    /// Speaker name or actor (substring of the name when nothing matches exactly).
    pub speaker: Option<String>,
    /// An actor mentioned inside the quote.
    pub about: Option<String>,
    /// A narrative whose evidence lies inside the quote.
    pub narrative: Option<String>,
    /// Document filters (date, language, outlet...).
    pub filters: Filters,
    /// At most this many quotes.
    pub limit: usize,
    /// Quotes skipped before the first one returned (paging).
    pub offset: usize,
}

/// One quote found.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct QuoteHit {
    /// Document id.
    pub doc_id: String,
    /// Index of the quote in the document's analysis.
    pub quote: usize,
    /// Publication date.
    pub date: Option<String>,
    /// Publishing outlet.
    pub outlet: Option<String>,
    /// Headline.
    pub title: Option<String>,
    /// URL.
    pub url: Option<String>,
    /// direct, indirect, mixed.
    pub kind: String,
    /// What was said.
    pub content: String,
    /// Its span in the document text (code points).
    pub start: usize,
    /// End of the content.
    pub end: usize,
    /// Reporting cue.
    pub cue: Option<String>,
    /// Resolved speaker.
    pub speaker: Option<String>,
    /// Speaker's actor id.
    pub speaker_actor: Option<String>,
    /// Speaker's role.
    pub speaker_role: Option<String>,
    /// The speaker mention in the text.
    pub mention: Option<String>,
    /// Extractor confidence.
    pub confidence: f64,
}

/// One document with every stored version and its full analysis.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DocView {
    /// Document id.
    pub doc_id: String,
    /// Version shown (1 is the first ingested).
    pub version: i64,
    /// Every stored version, oldest first.
    pub versions: Vec<VersionInfo>,
    /// Where it was read from.
    pub origin: String,
    /// Vigie version and codebooks of the analysis.
    pub analyzed_by: String,
    /// The analysis, with its text.
    pub analysis: Analysis,
}

/// One stored version of a document.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct VersionInfo {
    /// Version number (1 is the first ingested).
    pub version: i64,
    /// When it was ingested (UTC, RFC 3339).
    pub ingested_at: String,
    /// Content hash (title and text).
    pub hash: String,
}

/// Filter values resolved to facet keys, per dimension.
type Resolved = Vec<(&'static str, Vec<String>)>;

fn opt_str(v: &[Value], i: usize) -> Option<String> {
    match &v[i] {
        Value::Text(s) => Some(s.clone()),
        Value::Integer(n) => Some(n.to_string()),
        _ => None,
    }
}

fn char_offset(text: &str, byte: usize) -> usize {
    text[..byte.min(text.len())].chars().count()
}

impl Store {
    /// Facet keys of `kind` matching a user's value: the key itself (any case), else a key
    /// ending with `:value` (`RU` → `country:RU`), else a display name (any case), else a name
    /// or key containing it.
    pub fn resolve(&self, kind: &str, value: &str) -> Result<Vec<String>> {
        let v = value.trim();
        let q = |sql: &str, arg: &str| -> Result<Vec<String>> {
            let mut st = self.db.prepare_cached(sql)?;
            let rows = st.query_map([kind, arg], |r| r.get(0))?;
            Ok(rows.collect::<rusqlite::Result<_>>()?)
        };
        for (sql, arg) in [
            (
                "SELECT key FROM names WHERE kind = ?1 AND key = ?2 COLLATE NOCASE",
                v.to_string(),
            ),
            (
                "SELECT key FROM names WHERE kind = ?1 AND key LIKE ?2 ESCAPE '\\'",
                format!("%:{}", like_escape(v)),
            ),
            (
                "SELECT key FROM names WHERE kind = ?1 AND name = ?2 COLLATE NOCASE",
                v.to_string(),
            ),
            (
                "SELECT key FROM names WHERE kind = ?1 AND (name LIKE ?2 ESCAPE '\\' OR key LIKE ?2 ESCAPE '\\') LIMIT 200",
                format!("%{}%", like_escape(v)),
            ),
        ] {
            if v.is_empty() {
                break;
            }
            let found = q(sql, &arg)?;
            if !found.is_empty() {
                return Ok(found);
            }
        }
        Ok(Vec::new())
    }

    pub(crate) fn name_of(&self, kind: &str, key: &str) -> Result<String> {
        Ok(self
            .db
            .prepare_cached("SELECT name FROM names WHERE kind = ?1 AND key = ?2")?
            .query_row([kind, key], |r| r.get(0))
            .optional()?
            .unwrap_or_else(|| key.to_string()))
    }

    /// Appends the SQL conditions of `f` (` AND ...`) on the document version column `seq`
    /// and the `docs` alias `d`, with their arguments; returns the values that matched nothing.
    pub(crate) fn filter_sql(
        &self,
        f: &Filters,
        seq: &str,
        d: &str,
        sql: &mut String,
        args: &mut Vec<Value>,
    ) -> Result<Vec<String>> {
        let (resolved, unknown) = self.resolve_filters(f)?;
        for (kind, keys) in resolved {
            sql.push_str(&format!(
                " AND {seq} IN (SELECT seq FROM facets WHERE kind = ? AND key IN ("
            ));
            args.push(Value::Text(kind.to_string()));
            sql.push_str(&vec!["?"; keys.len().max(1)].join(", "));
            if keys.is_empty() {
                args.push(Value::Null);
            }
            args.extend(keys.into_iter().map(Value::Text));
            sql.push_str("))");
        }
        if let Some((lo, hi)) = f.days() {
            sql.push_str(&format!(" AND {d}.day_hi >= ? AND {d}.day_lo <= ?"));
            args.push(Value::Integer(lo));
            args.push(Value::Integer(hi));
        }
        Ok(unknown)
    }

    /// Resolves every filter value; values that match nothing are returned apart.
    fn resolve_filters(&self, f: &Filters) -> Result<(Resolved, Vec<String>)> {
        let mut out = Vec::new();
        let mut unknown = Vec::new();
        for (kind, values) in f.lists() {
            if values.is_empty() {
                continue;
            }
            let mut keys = Vec::new();
            for v in values {
                let found = self.resolve(kind, v)?;
                if found.is_empty() {
                    unknown.push(format!("{kind} {v:?}"));
                }
                keys.extend(found);
            }
            keys.sort();
            keys.dedup();
            out.push((kind, keys));
        }
        Ok((out, unknown))
    }

    /// Full-text search with filters, ranked by relevance, with snippets and facet counts.
    /// An empty query matches every document (filters only).
    pub fn search(
        &self,
        query: &str,
        filters: &Filters,
        limit: usize,
        offset: usize,
    ) -> Result<SearchResults> {
        let ix: &TextIndex = &self.index;
        let f = ix.fields;
        let searcher = ix.reader.searcher();
        // One query per analyser (French, English, other) over its own title and body: a
        // French stop word is dropped from the French query only, and must not be required of
        // the English fields. A document matches through its language's fields.
        let slot_queries: Option<Vec<Box<dyn Query>>> = if query.trim().is_empty() {
            None
        } else {
            let mut v = Vec::with_capacity(3);
            for (title, body) in f.text {
                let mut parser = QueryParser::for_index(&ix.index, vec![title, body]);
                parser.set_conjunction_by_default();
                parser.set_field_boost(title, 2.0);
                // A query the syntax rejects (`Russie AND`, an unclosed quote) is searched as
                // its plain words.
                let q = parser.parse_query(query).or_else(|_| {
                    let words: Vec<&str> = query
                        .split(|c: char| !c.is_alphanumeric() && c != '\'' && c != '’')
                        .filter(|w| !w.is_empty() && !["AND", "OR", "NOT"].contains(w))
                        .collect();
                    parser.parse_query(&words.join(" "))
                });
                v.push(q.unwrap_or_else(|_| parser.parse_query_lenient(query).0));
            }
            Some(v)
        };
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        if let Some(qs) = &slot_queries {
            let any: Vec<(Occur, Box<dyn Query>)> =
                qs.iter().map(|q| (Occur::Should, q.box_clone())).collect();
            clauses.push((Occur::Must, Box::new(BooleanQuery::new(any))));
        }
        let (resolved, unknown) = self.resolve_filters(filters)?;
        for (kind, keys) in &resolved {
            let any: Vec<(Occur, Box<dyn Query>)> = keys
                .iter()
                .map(|k| {
                    let t = Term::from_facet(f.facet, &facet(kind, k));
                    (
                        Occur::Should,
                        Box::new(TermQuery::new(t, IndexRecordOption::Basic)) as Box<dyn Query>,
                    )
                })
                .collect();
            // A filter whose values match nothing matches no document.
            clauses.push((Occur::Must, Box::new(BooleanQuery::new(any))));
        }
        if let Some((lo, hi)) = filters.days() {
            clauses.push((
                Occur::Must,
                Box::new(RangeQuery::new(
                    Bound::Included(Term::from_field_i64(f.day_hi, lo)),
                    Bound::Unbounded,
                )),
            ));
            clauses.push((
                Occur::Must,
                Box::new(RangeQuery::new(
                    Bound::Unbounded,
                    Bound::Included(Term::from_field_i64(f.day_lo, hi)),
                )),
            ));
        }
        let full: Box<dyn Query> = if clauses.is_empty() {
            Box::new(AllQuery)
        } else {
            Box::new(BooleanQuery::new(clauses))
        };
        // Pages stay within the index: a huge `-n` or `--offset` is clamped, not allocated.
        let all = searcher.num_docs() as usize;
        let (limit, offset) = (limit.min(MAX_PAGE), offset.min(all));
        let top = TopDocs::with_limit(limit.max(1))
            .and_offset(offset)
            .order_by_score();
        let (top, total, counts) = searcher.search(&*full, &(top, Count, FacetCounts))?;

        let mut facets = Vec::new();
        let mut name = self
            .db
            .prepare_cached("SELECT key, name FROM names WHERE h = ?1 AND kind = ?2")?;
        for (dim, counts) in COUNTED.iter().zip(counts) {
            let mut best: Vec<(u64, u32)> = counts.into_iter().collect();
            best.sort_unstable_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
            for (h, n) in best.into_iter().take(FACET_VALUES) {
                let Some((key, display)) = name
                    .query_row(rusqlite::params![h as i64, dim], |r| {
                        Ok((r.get(0)?, r.get(1)?))
                    })
                    .optional()?
                else {
                    continue;
                };
                facets.push(FacetCount {
                    facet: dim.to_string(),
                    key,
                    name: display,
                    count: u64::from(n),
                });
            }
        }

        let mut generators: [Option<SnippetGenerator>; 3] = [None, None, None];
        let mut hits = Vec::with_capacity(top.len());
        let mut row = self.db.prepare_cached(
            "SELECT doc_id, title, date, outlet, lang, url, vigie_text(text) FROM docs WHERE seq = ?1",
        )?;
        for (score, addr) in top.into_iter().take(limit) {
            let doc: TantivyDocument = searcher.doc(addr)?;
            let Some(seq) = doc.get_first(f.seq).and_then(|v| v.as_u64()) else {
                continue;
            };
            let Some((doc_id, title, date, outlet, lang, url, text)) = row
                .query_row([seq as i64], |r| {
                    Ok((
                        r.get::<_, String>(0)?,
                        r.get::<_, Option<String>>(1)?,
                        r.get::<_, Option<String>>(2)?,
                        r.get::<_, Option<String>>(3)?,
                        r.get::<_, Option<String>>(4)?,
                        r.get::<_, Option<String>>(5)?,
                        r.get::<_, String>(6)?,
                    ))
                })
                .optional()?
            else {
                continue;
            };
            let slot = TextIndex::slot(lang.as_deref().unwrap_or(""));
            let (snippet, start, highlights) = match &slot_queries {
                Some(qs) => {
                    if generators[slot].is_none() {
                        let mut g =
                            SnippetGenerator::create(&searcher, &*qs[slot], f.text[slot].1)?;
                        g.set_max_num_chars(240);
                        generators[slot] = Some(g);
                    }
                    let sn = generators[slot]
                        .as_ref()
                        .expect("just created")
                        .snippet(&text);
                    let frag = sn.fragment().to_string();
                    if frag.is_empty() {
                        lead(&text)
                    } else {
                        let hl = sn
                            .highlighted()
                            .iter()
                            .map(|r| (char_offset(&frag, r.start), char_offset(&frag, r.end)))
                            .collect();
                        (frag, char_offset(&text, sn.fragment_range().start), hl)
                    }
                }
                None => lead(&text),
            };
            let len = snippet.chars().count();
            hits.push(SearchHit {
                doc_id,
                seq: seq as i64,
                score,
                title,
                date,
                outlet,
                lang,
                url,
                snippet,
                snippet_start: start,
                snippet_end: start + len,
                highlights,
            });
        }
        Ok(SearchResults {
            total,
            hits,
            facets,
            unknown,
        })
    }

    /// Quotes with their speaker, date, outlet and document, newest first.
    pub fn quotes(&self, q: &QuoteQuery) -> Result<(Vec<QuoteHit>, Vec<String>)> {
        let mut sql = String::from(
            "SELECT q.seq, q.idx, d.day_lo FROM quotes q JOIN docs d ON d.seq = q.seq WHERE 1 = 1",
        );
        let mut args: Vec<Value> = Vec::new();
        let mut unknown = Vec::new();
        let in_list = |sql: &mut String, args: &mut Vec<Value>, keys: &[String]| {
            sql.push_str(&vec!["?"; keys.len().max(1)].join(", "));
            if keys.is_empty() {
                args.push(Value::Null);
            }
            args.extend(keys.iter().map(|k| Value::Text(k.clone())));
        };
        if let Some(s) = &q.speaker {
            let names = self.resolve("speaker", s)?;
            let actors = self.resolve("actor", s)?;
            if names.is_empty() && actors.is_empty() {
                unknown.push(format!("speaker {s:?}"));
            }
            // The documents first, through the facet index; then the quotes inside them.
            sql.push_str(
                " AND q.seq IN (SELECT seq FROM facets WHERE kind = 'speaker' AND key IN (",
            );
            in_list(&mut sql, &mut args, &names);
            sql.push_str(") UNION SELECT seq FROM facets WHERE kind = 'actor' AND key IN (");
            in_list(&mut sql, &mut args, &actors);
            sql.push_str(")) AND (q.speaker IN (");
            in_list(&mut sql, &mut args, &names);
            sql.push_str(") OR q.speaker_actor IN (");
            in_list(&mut sql, &mut args, &actors);
            sql.push_str("))");
        }
        for (kind, value) in [("about", &q.about), ("narrative", &q.narrative)] {
            let Some(v) = value else { continue };
            let keys = self.resolve(if kind == "about" { "actor" } else { kind }, v)?;
            if keys.is_empty() {
                unknown.push(format!("{kind} {v:?}"));
            }
            sql.push_str(" AND EXISTS (SELECT 1 FROM quote_tags t WHERE t.kind = ? AND t.seq = q.seq AND t.idx = q.idx AND t.key IN (");
            args.push(Value::Text(kind.to_string()));
            in_list(&mut sql, &mut args, &keys);
            sql.push_str("))");
        }
        unknown.extend(self.filter_sql(&q.filters, "q.seq", "d", &mut sql, &mut args)?);
        sql.push_str(" ORDER BY d.day_lo IS NULL, d.day_lo DESC, q.seq, q.idx LIMIT ? OFFSET ?");
        args.push(Value::Integer(q.limit.min(MAX_PAGE) as i64));
        args.push(Value::Integer(q.offset.min(MAX_PAGE) as i64));
        // The page first, then its columns: the quote text is read from the document text of
        // these rows only.
        let sql = format!(
            "SELECT d.doc_id, q.idx, d.date, d.outlet, d.title, d.url, q.kind, vigie_span(d.text, q.start, q.end), q.start, q.end, q.cue, q.speaker, q.speaker_actor, q.speaker_role, q.mention, q.confidence \
             FROM ({sql}) k JOIN quotes q ON q.seq = k.seq AND q.idx = k.idx JOIN docs d ON d.seq = k.seq \
             ORDER BY k.day_lo IS NULL, k.day_lo DESC, k.seq, k.idx"
        );
        let mut st = self.db.prepare(&sql)?;
        let rows = st.query_map(params_from_iter(args), |r| {
            (0..16)
                .map(|i| r.get::<_, Value>(i))
                .collect::<rusqlite::Result<Vec<_>>>()
        })?;
        let mut out = Vec::new();
        for row in rows {
            let v = row?;
            let int = |i: usize| match v[i] {
                Value::Integer(n) => n,
                _ => 0,
            };
            out.push(QuoteHit {
                doc_id: opt_str(&v, 0).unwrap_or_default(),
                quote: int(1) as usize,
                date: opt_str(&v, 2),
                outlet: opt_str(&v, 3),
                title: opt_str(&v, 4),
                url: opt_str(&v, 5),
                kind: opt_str(&v, 6).unwrap_or_default(),
                content: opt_str(&v, 7).unwrap_or_default(),
                start: int(8) as usize,
                end: int(9) as usize,
                cue: opt_str(&v, 10),
                speaker: opt_str(&v, 11),
                speaker_actor: opt_str(&v, 12),
                speaker_role: opt_str(&v, 13),
                mention: opt_str(&v, 14),
                confidence: match v[15] {
                    Value::Real(x) => x,
                    _ => 0.0,
                },
            });
        }
        Ok((out, unknown))
    }

    /// Documents per interval for the `top` keys of a facet (or the keys `keys` resolve to).
    pub fn trends(
        &self,
        by: TrendBy,
        interval: Interval,
        top: usize,
        keys: &[String],
        filters: &Filters,
    ) -> Result<Trends> {
        let kind = by.kind();
        let (lo, hi) = filters.days().unwrap_or((i64::MIN, i64::MAX));
        let mut chosen: Vec<String> = Vec::new();
        for k in keys {
            chosen.extend(self.resolve(kind, k)?);
        }
        if keys.is_empty() {
            let mut st = self.db.prepare_cached(
                "SELECT key, count(*) AS n FROM facets WHERE kind = ?1 AND day BETWEEN ?2 AND ?3 GROUP BY key ORDER BY n DESC, key LIMIT ?4",
            )?;
            let rows = st.query_map(rusqlite::params![kind, lo, hi, top as i64], |r| r.get(0))?;
            chosen = rows.collect::<rusqlite::Result<_>>()?;
        }
        let mut seen = rustc_hash::FxHashSet::default();
        chosen.retain(|k| seen.insert(k.clone()));
        let dated_only = filters.days().is_some();
        let mut undated_docs = rustc_hash::FxHashSet::default();
        let mut per_key: Vec<FxHashMap<i64, u64>> = vec![FxHashMap::default(); chosen.len()];
        let (mut min_b, mut max_b) = (i64::MAX, i64::MIN);

        {
            let mut st = self.db.prepare_cached(
                "SELECT day, seq FROM facets WHERE kind = ?1 AND key = ?2 AND (day IS NULL OR day BETWEEN ?3 AND ?4)",
            )?;
            for (i, key) in chosen.iter().enumerate() {
                let mut rows = st.query(rusqlite::params![kind, key, lo, hi])?;
                while let Some(r) = rows.next()? {
                    match r.get::<_, Option<i64>>(0)? {
                        Some(day) => {
                            let b = interval.bucket(day);
                            min_b = min_b.min(b);
                            max_b = max_b.max(b);
                            *per_key[i].entry(b).or_default() += 1;
                        }
                        // Undated documents are counted apart, once each, and only when no
                        // date range was asked for.
                        None if !dated_only => {
                            undated_docs.insert(r.get::<_, i64>(1)?);
                        }
                        None => {}
                    }
                }
            }
        }
        let undated = undated_docs.len() as u64;
        if min_b > max_b {
            (min_b, max_b) = (0, -1);
        }
        if max_b - min_b > 100_000 {
            return Err(Error::invalid(
                "the dates span too many intervals: choose a longer interval or a date range",
            ));
        }
        let buckets: Vec<String> = (min_b..=max_b).map(|b| interval.label(b)).collect();
        let mut series = Vec::with_capacity(chosen.len());
        for (key, counts) in chosen.into_iter().zip(per_key) {
            let c: Vec<u64> = (min_b..=max_b)
                .map(|b| counts.get(&b).copied().unwrap_or(0))
                .collect();
            series.push(TrendSeries {
                name: self.name_of(kind, &key)?,
                key,
                total: c.iter().sum(),
                counts: c,
            });
        }
        series.sort_by(|a, b| b.total.cmp(&a.total).then(a.key.cmp(&b.key)));
        Ok(Trends {
            by: kind.to_string(),
            buckets,
            series,
            undated,
        })
    }

    /// One document (its latest version, or `version`) with its full analysis.
    pub fn show(&self, doc_id: &str, version: Option<i64>) -> Result<Option<DocView>> {
        let mut versions: Vec<VersionInfo> = Vec::new();
        {
            let mut st = self.db.prepare_cached(
                "SELECT version, ingested_at, hash FROM docs WHERE doc_id = ?1 ORDER BY version",
            )?;
            let rows = st.query_map([doc_id], |r| {
                Ok(VersionInfo {
                    version: r.get(0)?,
                    ingested_at: r.get(1)?,
                    hash: r.get(2)?,
                })
            })?;
            for r in rows {
                versions.push(r?);
            }
        }
        if versions.is_empty() {
            return Ok(None);
        }
        let row = self
            .db
            .prepare_cached(
                "SELECT version, origin, analyzed_by, vigie_text(text), analysis FROM docs WHERE doc_id = ?1 AND (version = ?2 OR (?2 IS NULL AND latest = 1))",
            )?
            .query_row(rusqlite::params![doc_id, version], |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, String>(3)?,
                    r.get::<_, Vec<u8>>(4)?,
                ))
            })
            .optional()?;
        let Some((version, origin, analyzed_by, text, blob)) = row else {
            return Ok(None);
        };
        let mut analysis = decompress_analysis(&blob)?;
        crate::facts::restore_span_texts(&mut analysis, &text);
        analysis.text = Some(text);
        Ok(Some(DocView {
            doc_id: doc_id.to_string(),
            version,
            versions,
            origin,
            analyzed_by,
            analysis,
        }))
    }

    /// Number of documents (latest versions) and stored versions.
    pub fn counts(&self) -> Result<(i64, i64)> {
        Ok(self.db.query_row(
            "SELECT (SELECT count(*) FROM docs WHERE latest = 1), (SELECT count(*) FROM docs)",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?)
    }
}

fn lead(text: &str) -> (String, usize, Vec<(usize, usize)>) {
    let s: String = text.chars().take(240).collect();
    (s, 0, Vec::new())
}

pub(crate) fn like_escape(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_")
}
