//! Queries over the store: search, quotes, trends and one document with all its layers.

use crate::facts::decompress_analysis;
use crate::index::{
    facet, unstemmed_words, FacetCounts, KeyCounts, SegmentColumns, TextIndex, COUNTED,
};
use crate::{Error, Result, Store};
use flate2::{FlushDecompress, Status};
use rusqlite::{params_from_iter, types::Value, Connection, OptionalExtension};
use rustc_hash::FxHashMap;
use serde::Serialize;
use std::collections::BTreeSet;
use std::ops::{Bound, Range};
use std::sync::Arc;

use tantivy::collector::{Count, TopDocs};
use tantivy::index::InvertedIndexReader;
use tantivy::postings::{Postings, TermInfo};
use tantivy::query::{AllQuery, BooleanQuery, Occur, Query, QueryParser, RangeQuery, TermQuery};
use tantivy::query_grammar::{UserInputAst, UserInputLeaf};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{DocAddress, DocSet, Score, Searcher, Term};
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
    /// Filter values that matched nothing in the store.
    pub unknown: Vec<String>,
}

/// Speaker keys (names and actors) up to which quote searches merge one ordered run of the
/// index per key; beyond, one run for the names and one for the actors, each sorted.
const MERGED_RUNS: usize = 16;

/// Quotes a tag filter (about, narrative) may tag for quote searches to read them from the tags
/// and sort them; beyond, they read the quotes in order and test the tags of each.
const TAGGED_FEW: usize = if cfg!(test) { 40 } else { 2000 };

/// Most days a document's date covers (a year, for a date known to the year only).
const MAX_DATE_DAYS: i64 = 366;

/// Most series one trends query returns.
const MAX_SERIES: usize = 100;

/// Most counts (series × buckets) one trends query returns.
const MAX_CELLS: i64 = 2_000_000;

/// A quote search.
#[derive(Debug, Clone, Default)]
pub struct QuoteQuery {
    /// Speaker name or actor: the names and actors equal to it (any case), else those whose
    /// name contains it.
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

/// The keys of `kind` equal to `value` but for the case of ASCII letters (SQLite's `NOCASE`),
/// in key order.
///
/// SQLite can only compare every key of the kind with `value` for this, as the key index
/// sorts bytes (upper-case letters before lower-case ones). The case variants of `value` are
/// found instead by a few seeks in that index: from the smallest variant (all upper case),
/// each seek lands on the next key, which either is a variant or tells the smallest variant
/// that can follow it ([`next_case_variant`]).
fn keys_any_case(db: &Connection, kind: &str, value: &str) -> Result<Vec<String>> {
    let mut st = db.prepare_cached(
        "SELECT key FROM names WHERE kind = ?1 AND key >= ?2 AND key <= ?3 ORDER BY key LIMIT 1",
    )?;
    let last = value.to_ascii_lowercase();
    let mut from = value.to_ascii_uppercase();
    let mut found = Vec::new();
    while let Some(key) = st
        .query_row(rusqlite::params![kind, from, last], |r| {
            r.get::<_, String>(0)
        })
        .optional()?
    {
        let next = next_case_variant(value, &key);
        if key.eq_ignore_ascii_case(value) {
            found.push(key);
        }
        match next {
            Some(n) => from = n,
            None => break,
        }
    }
    Ok(found)
}

/// The smallest string after `key` (in byte order) that is `value` with its ASCII letters in
/// any case, if any.
fn next_case_variant(value: &str, key: &str) -> Option<String> {
    let (v, k) = (value.as_bytes(), key.as_bytes());
    // The variant that keeps `key`'s first `at` bytes, then `byte`, then upper case (the
    // smallest): still `value` up to case, so valid UTF-8.
    let variant = |at: usize, byte: Option<u8>| {
        let mut w = value.to_ascii_uppercase().into_bytes();
        w[..at].copy_from_slice(&k[..at]);
        if let Some(b) = byte {
            w[at] = b;
        }
        String::from_utf8(w).expect("changing the case of ASCII letters keeps UTF-8 valid")
    };
    // `key` starts like a variant for `same` bytes.
    let same = k
        .iter()
        .zip(v)
        .take_while(|(a, b)| a.eq_ignore_ascii_case(b))
        .count();
    if same == k.len() && same < v.len() {
        // `key` is the start of variants: the smallest of them follows it.
        return Some(variant(same, None));
    }
    if same < v.len() {
        // Variants that differ from `key` at `same` follow it if their byte there is larger.
        let b = v[same];
        if let Some(c) = [b.to_ascii_uppercase(), b.to_ascii_lowercase()]
            .into_iter()
            .find(|&c| c > k[same])
        {
            return Some(variant(same, Some(c)));
        }
    }
    // Otherwise the last upper-case letter of the common start that can turn lower case.
    (0..same)
        .rev()
        .find(|&i| k[i].is_ascii_uppercase())
        .map(|i| variant(i, Some(k[i].to_ascii_lowercase())))
}

/// Longest search query, or filter value, accepted (bytes): the same for the command line
/// and the server.
pub const MAX_QUERY_BYTES: usize = 1000;

/// Deepest nesting of parentheses accepted in a search query.
pub const MAX_QUERY_DEPTH: usize = 16;

/// Refuses a filter value (an actor, a speaker, an outlet...) longer than [`MAX_QUERY_BYTES`].
fn check_value(what: &str, value: &str) -> Result<()> {
    if value.len() > MAX_QUERY_BYTES {
        return Err(Error::invalid(format!(
            "the {what} value is too long ({} bytes, at most {MAX_QUERY_BYTES})",
            value.len()
        )));
    }
    Ok(())
}

/// Refuses a query longer than [`MAX_QUERY_BYTES`] or whose parentheses (outside phrases) nest
/// deeper than [`MAX_QUERY_DEPTH`]: the query parser and the query it builds recurse on them.
pub fn check_query(query: &str) -> Result<()> {
    if query.len() > MAX_QUERY_BYTES {
        return Err(Error::invalid(format!(
            "the query is too long ({} bytes, at most {MAX_QUERY_BYTES})",
            query.len()
        )));
    }
    let (mut depth, mut deepest, mut phrase) = (0usize, 0usize, false);
    for c in query.chars() {
        match c {
            '"' => phrase = !phrase,
            '(' if !phrase => {
                depth += 1;
                deepest = deepest.max(depth);
            }
            ')' if !phrase => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    if deepest > MAX_QUERY_DEPTH {
        return Err(Error::invalid(format!(
            "the query nests parentheses {deepest} deep (at most {MAX_QUERY_DEPTH})"
        )));
    }
    Ok(())
}

/// What a search query may hold: words, `"phrases"` (with `~N`), `word*`, `AND`, `OR`,
/// `NOT`, `+`, `-`, parentheses and `^` boosts, on the default fields or on one named title or
/// body field (`title_fr:Macron`). Constructs the index cannot run or that would expose its
/// inner fields are refused when a field is named (`body_fr:*`, `seq:1`, `body_fr:[a TO z]`,
/// `day_lo: IN [1 2]`); without a field, ranges and sets (`>30`, `[a TO b]`, `IN [a b]`) are
/// searched as their plain words, like a query the syntax rejects.
fn check_syntax(ix: &TextIndex, ast: &UserInputAst) -> Result<bool> {
    const HELP: &str = "search words, \"phrases\", OR, -word and parentheses; filter by date, language, outlet, actor, speaker or narrative with the filters";
    let schema = ix.index.schema();
    let searchable = |field: &str| {
        ix.fields
            .text
            .iter()
            .any(|&(t, b)| [t, b].iter().any(|&f| schema.get_field_name(f) == field))
    };
    let mut plain = true;
    let mut stack = vec![ast];
    while let Some(node) = stack.pop() {
        let leaf = match node {
            UserInputAst::Clause(clauses) => {
                stack.extend(clauses.iter().map(|(_, c)| c));
                continue;
            }
            UserInputAst::Boost(inner, _) => {
                stack.push(inner);
                continue;
            }
            UserInputAst::Leaf(leaf) => &**leaf,
        };
        let (field, what) = match leaf {
            UserInputLeaf::Literal(l) => (l.field_name.as_deref(), None),
            UserInputLeaf::All => (None, None),
            UserInputLeaf::Exists { field } => {
                (Some(field.as_str()), Some("`field:*` (any value)"))
            }
            UserInputLeaf::Range { field, .. } => (field.as_deref(), Some("ranges")),
            UserInputLeaf::Set { field, .. } => (field.as_deref(), Some("`IN [...]` sets")),
            UserInputLeaf::Regex { field, .. } => (field.as_deref(), Some("regular expressions")),
        };
        match (field, what) {
            // A field this index does not have: the parser refuses the query, which is then
            // searched as its plain words (`Macron: « ... »`).
            (Some(f), _) if schema.get_field(f).is_err() => {}
            (Some(f), _) if !searchable(f) => {
                return Err(Error::invalid(format!(
                    "the field {f:?} cannot be searched (only the title_* and body_* fields can be named): {HELP}"
                )))
            }
            (Some(f), Some(what)) => {
                return Err(Error::invalid(format!(
                    "{what} cannot be searched ({f}): {HELP}"
                )))
            }
            (None, Some(_)) => plain = false,
            _ => {}
        }
    }
    Ok(plain)
}

/// The query of each analyser slot (French, English, other), over the slot's own title and
/// body; `None` for an empty query. A query over the caps ([`check_query`]) or that the index
/// cannot run ([`check_syntax`]) is refused ([`Error::invalid`]).
///
/// A French stop word is dropped from the French query only, and must not be required of the
/// English fields: a document matches through its language's fields.
fn slot_queries(ix: &TextIndex, query: &str) -> Result<Option<Vec<Box<dyn Query>>>> {
    check_query(query)?;
    if query.trim().is_empty() {
        return Ok(None);
    }
    // Ranges and sets without a field are searched as plain words.
    let syntax_ok = match tantivy::query_grammar::parse_query(query) {
        Ok(ast) => check_syntax(ix, &ast)?,
        Err(_) => true,
    };
    let queries: [Box<dyn Query>; 3] = std::array::from_fn(|slot| {
        let (title, body) = ix.fields.text[slot];
        let mut parser = QueryParser::for_index(&ix.index, vec![title, body]);
        parser.set_conjunction_by_default();
        parser.set_field_boost(title, 2.0);
        // A query the syntax rejects (`Russie AND`, an unclosed quote) is searched as its
        // plain words.
        let parsed = match syntax_ok {
            true => parser.parse_query(query),
            false => Err(tantivy::query::QueryParserError::SyntaxError(String::new())),
        };
        let q = parsed.or_else(|_| {
            let words: Vec<&str> = query
                .split(|c: char| !c.is_alphanumeric() && c != '\'' && c != '’')
                .filter(|w| !w.is_empty() && !["AND", "OR", "NOT"].contains(w))
                .collect();
            parser.parse_query(&words.join(" "))
        });
        q.unwrap_or_else(|_| parser.parse_query_lenient(query).0)
    });
    // Whatever else the index cannot run (a query the checks above let through) is the
    // query's fault too, said before the search starts.
    let schema = ix.index.schema();
    for q in &queries {
        q.weight(tantivy::query::EnableScoring::disabled_from_schema(&schema))
            .map_err(|e| Error::invalid(format!("this query cannot be run: {e}")))?;
    }
    Ok(Some(queries.into()))
}

fn char_offset(text: &str, byte: usize) -> usize {
    text[..byte.min(text.len())].chars().count()
}

impl Store {
    /// Facet keys of `kind` matching a user's value: the key itself (any case), else a key
    /// ending with `:value` (`RU` → `country:RU`), else a display name (any case), else a name
    /// or key containing it.
    pub fn resolve(&self, kind: &str, value: &str) -> Result<Vec<String>> {
        check_value(kind, value)?;
        let v = value.trim();
        if v.is_empty() {
            return Ok(Vec::new());
        }
        // The key itself, in any case (`key = v COLLATE NOCASE`), through the key index.
        let found = keys_any_case(&self.db, kind, v)?;
        if !found.is_empty() {
            return Ok(found);
        }
        let q = |sql: &str, arg: &str| -> Result<Vec<String>> {
            let mut st = self.db.prepare_cached(sql)?;
            let rows = st.query_map([kind, arg], |r| r.get(0))?;
            Ok(rows.collect::<rusqlite::Result<_>>()?)
        };
        for (sql, arg) in [
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
            in_list(sql, args, &keys);
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
        let slot_queries = slot_queries(ix, query)?;
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
        let columns = ix.columns(&searcher)?;
        let mut names = self.names.borrow_mut();
        names.check(&self.db)?;
        let tables = std::mem::take(&mut names.tables);
        let collectors = (
            top,
            Count,
            FacetCounts::new(&columns, tables, names.expected()),
        );
        let (top, total, ()) = searcher.search(&*full, &collectors)?;
        let mut tables = collectors.2.into_counts();
        let facets = self.facet_names(&mut names, &mut tables)?;
        names.tables = tables;
        drop(names);
        let page = &top[..top.len().min(limit)];
        let hits = self.hits(&searcher, &columns, slot_queries.as_deref(), page)?;
        Ok(SearchResults {
            total,
            hits,
            facets,
            unknown,
        })
    }

    /// The top values of each counted dimension ([`COUNTED`]), most documents first, with
    /// their keys and display names.
    fn facet_names(
        &self,
        cache: &mut NameCache,
        counts: &mut KeyCounts,
    ) -> Result<Vec<FacetCount>> {
        // One statement for every dimension: the hashes are padded with NULL (never equal).
        // `+kind` keeps SQLite on the hash index instead of scanning the dimension's names.
        let mut st = self.db.prepare_cached(&format!(
            "SELECT h, key, name FROM names WHERE +kind = ?1 AND h IN ({})",
            ["?"; FACET_VALUES].join(", ")
        ))?;
        let mut facets = Vec::new();
        for (d, (dim, counts)) in COUNTED.iter().zip(counts).enumerate() {
            cache.seen(d, counts.len());
            let mut best = counts.drain();
            // Most documents first, then the smaller hash: a total order, so the top values
            // are selected, and only they sorted.
            let order = |a: &(u64, u32), b: &(u64, u32)| b.1.cmp(&a.1).then(a.0.cmp(&b.0));
            if best.len() > FACET_VALUES {
                best.select_nth_unstable_by(FACET_VALUES, order);
                best.truncate(FACET_VALUES);
            }
            best.sort_unstable_by(order);
            let missing: Vec<u64> = best
                .iter()
                .map(|b| b.0)
                .filter(|h| !cache.names[d].contains_key(h))
                .collect();
            if !missing.is_empty() {
                let args = std::iter::once(Value::Text(dim.to_string())).chain(
                    (0..FACET_VALUES).map(|i| {
                        missing
                            .get(i)
                            .map_or(Value::Null, |&h| Value::Integer(h as i64))
                    }),
                );
                let mut rows = st.query(params_from_iter(args))?;
                while let Some(r) = rows.next()? {
                    cache.names[d]
                        .entry(r.get::<_, i64>(0)? as u64)
                        .or_insert((r.get(1)?, r.get(2)?));
                }
            }
            // Values without a name (none in a consistent store) are left out.
            for (h, n) in best {
                if let Some((key, name)) = cache.names[d].get(&h) {
                    facets.push(FacetCount {
                        facet: dim.to_string(),
                        key: key.clone(),
                        name: name.clone(),
                        count: u64::from(n),
                    });
                }
            }
        }
        Ok(facets)
    }

    /// The hits of a page of results: their stored row, with the best passage of their text
    /// for the query of their language's slot (or the text's start without a query).
    fn hits(
        &self,
        searcher: &Searcher,
        columns: &[SegmentColumns],
        slot_queries: Option<&[Box<dyn Query>]>,
        top: &[(Score, DocAddress)],
    ) -> Result<Vec<SearchHit>> {
        let bodies = self.index.fields.text.map(|(_, body)| body);
        let mut snippets = slot_queries.map(|qs| Snippets::new(searcher, qs, bodies));
        let mut inflater = Inflater::default();
        let mut row = self.db.prepare_cached(
            "SELECT doc_id, title, date, outlet, lang, url, text FROM docs WHERE seq = ?1",
        )?;
        let mut hits = Vec::with_capacity(top.len());
        for &(score, addr) in top {
            let seq = columns[addr.segment_ord as usize].seq.first(addr.doc_id);
            let Some(seq) = seq.map(|s| s as i64) else {
                continue;
            };
            let mut rows = row.query([seq])?;
            let Some(r) = rows.next()? else {
                continue;
            };
            let lang: Option<String> = r.get(4)?;
            let slot = TextIndex::slot(lang.as_deref().unwrap_or(""));
            let found = match &mut snippets {
                Some(s) => s.find(slot, addr)?,
                None => false,
            };
            // The stored text: kept by the text cache, or inflated here (`vigie_text` would
            // also index its characters and copy it) as far as the passage needs: past the
            // last match's passage, or only its start when no passage is sought.
            let kept = self.texts.as_ref().and_then(|c| c.get(seq));
            if kept.is_none() {
                let blob = r.get_ref(6)?.as_blob_or_null();
                let blob = blob.map_err(rusqlite::Error::from)?.unwrap_or_default();
                inflater.start(blob);
            }
            let passage = match (&mut snippets, &kept) {
                (Some(s), Some(text)) if found => s.passage(slot, text).0,
                (Some(s), None) if found => {
                    let mut upto = s.bytes_needed();
                    loop {
                        let (passage, decided) = s.passage(slot, inflater.read(upto)?);
                        if decided || inflater.whole() {
                            break passage;
                        }
                        upto = usize::MAX;
                    }
                }
                _ => None,
            };
            if kept.is_none() && passage.is_none() {
                // The start shown instead of a passage (also after a read for a passage,
                // which may hold fewer characters than it shows).
                inflater.read(LEAD_BYTES)?;
            }
            let text = match (&kept, &self.texts) {
                (Some(text), _) => text,
                (None, Some(cache)) if inflater.whole() => {
                    cache.put(seq, inflater.text());
                    inflater.text()
                }
                (None, _) => inflater.text(),
            };
            let (snippet, start, highlights) = match passage {
                Some(p) => {
                    let snippet = text[p.range.clone()].to_string();
                    let highlights = p
                        .highlights
                        .iter()
                        .map(|h| {
                            let at = |b: usize| char_offset(&snippet, b - p.range.start);
                            (at(h.start), at(h.end))
                        })
                        .collect();
                    (snippet, char_offset(text, p.range.start), highlights)
                }
                None => lead(text),
            };
            let len = snippet.chars().count();
            hits.push(SearchHit {
                doc_id: r.get(0)?,
                seq,
                score,
                title: r.get(1)?,
                date: r.get(2)?,
                outlet: r.get(3)?,
                lang,
                url: r.get(5)?,
                snippet,
                snippet_start: start,
                snippet_end: start + len,
                highlights,
            });
        }
        Ok(hits)
    }

    /// Quotes with their speaker, date, outlet and document, newest first (undated last, then
    /// by stored row and rank in the document).
    ///
    /// The quotes are read in this order from the indexes on (day), (speaker name, day) and
    /// (speaker actor, day), one run per speaker key merged, and reading stops once the page
    /// is full: no more rows are read than the page and the ones the other filters leave out.
    pub fn quotes(&self, q: &QuoteQuery) -> Result<(Vec<QuoteHit>, Vec<String>)> {
        if !self.quote_days {
            return self.quotes_unindexed(q);
        }
        let mut unknown = Vec::new();
        // What every run of quotes must also meet (on the quote `q`), with its arguments.
        let mut cond = String::new();
        let mut cond_args: Vec<Value> = Vec::new();
        // The tag filters (about, narrative), with the number of quotes they tag, up to
        // TAGGED_FEW + 1.
        let mut tags = Vec::new();
        for (kind, value) in [("about", &q.about), ("narrative", &q.narrative)] {
            let Some(v) = value else { continue };
            let keys = self.resolve(if kind == "about" { "actor" } else { kind }, v)?;
            if keys.is_empty() {
                unknown.push(format!("{kind} {v:?}"));
            }
            let mut count = String::from(
                "SELECT count(*) FROM (SELECT 1 FROM quote_tags WHERE kind = ? AND key IN (",
            );
            let mut count_args = vec![Value::Text(kind.to_string())];
            in_list(&mut count, &mut count_args, &keys);
            count.push_str(&format!(") LIMIT {})", TAGGED_FEW + 1));
            let n: i64 = self
                .db
                .prepare_cached(&count)?
                .query_row(params_from_iter(count_args), |r| r.get(0))?;
            tags.push((n, kind, keys));
        }
        // A filter that tags few quotes is where they are read from (and sorted); the others
        // are tested on each quote read in order.
        tags.sort_by_key(|t| t.0);
        let mut from = String::from("quotes q");
        for (i, (n, kind, keys)) in tags.iter().enumerate() {
            if i == 0 && *n <= TAGGED_FEW as i64 {
                // (CROSS JOIN: SQLite keeps the tags as the outer loop.)
                from = String::from(
                    "quote_tags t CROSS JOIN quotes q ON q.seq = t.seq AND q.idx = t.idx",
                );
                cond.push_str(" AND t.kind = ? AND t.key IN (");
                cond_args.push(Value::Text(kind.to_string()));
                in_list(&mut cond, &mut cond_args, keys);
                cond.push(')');
                continue;
            }
            cond.push_str(" AND EXISTS (SELECT 1 FROM quote_tags t2 WHERE t2.kind = ? AND t2.seq = q.seq AND t2.idx = q.idx AND t2.key IN (");
            cond_args.push(Value::Text(kind.to_string()));
            in_list(&mut cond, &mut cond_args, keys);
            cond.push_str("))");
        }
        // The quotes hold their document's days: the date filters test them in the index.
        unknown.extend(self.filter_sql(&q.filters, "q.seq", "q", &mut cond, &mut cond_args)?);
        if let Some((lo, _)) = q.filters.days().filter(|d| d.0 > i64::MIN) {
            // A date covers a year at most: a bound that lets the index stop early.
            cond.push_str(" AND q.day_lo >= ?");
            cond_args.push(Value::Integer(lo.saturating_sub(MAX_DATE_DAYS)));
        }
        // The runs: one per speaker key, or all the quotes.
        // (DISTINCT: a quote tagged with several of the keys comes once.)
        let distinct = if from.starts_with("quote_tags") {
            "DISTINCT "
        } else {
            ""
        };
        let select = format!("SELECT {distinct}q.seq, q.idx, q.day_lo FROM {from} WHERE ");
        let mut sql = String::new();
        let mut args: Vec<Value> = Vec::new();
        let run = |sql: &mut String, args: &mut Vec<Value>, head: &str, head_args: Vec<Value>| {
            if !sql.is_empty() {
                sql.push_str(" UNION ");
            }
            sql.push_str(&select);
            sql.push_str(head);
            sql.push_str(&cond);
            args.extend(head_args);
            args.extend(cond_args.iter().cloned());
        };
        match &q.speaker {
            None => run(&mut sql, &mut args, "1 = 1", Vec::new()),
            Some(s) => {
                let (names, actors) = self.resolve_speaker(s)?;
                if names.is_empty() && actors.is_empty() {
                    unknown.push(format!("speaker {s:?}"));
                }
                // A quote of an actor counts when its document names one of the actors or
                // speakers asked for (a quote of a speaker name always does: the document's
                // speaker facets come from its quotes).
                let mut in_docs = String::from(
                    " AND (EXISTS (SELECT 1 FROM facets f WHERE f.kind = 'actor' AND f.key = q.speaker_actor AND f.seq = q.seq) OR q.seq IN (SELECT seq FROM facets WHERE kind = 'speaker' AND key IN (",
                );
                let mut in_docs_args = Vec::new();
                in_list(&mut in_docs, &mut in_docs_args, &names);
                in_docs
                    .push_str(") UNION SELECT seq FROM facets WHERE kind = 'actor' AND key IN (");
                in_list(&mut in_docs, &mut in_docs_args, &actors);
                in_docs.push_str(")))");
                let text = |k: &String| Value::Text(k.clone());
                if names.len() + actors.len() <= MERGED_RUNS {
                    for n in &names {
                        run(&mut sql, &mut args, "q.speaker = ?", vec![text(n)]);
                    }
                    for a in &actors {
                        let mut head_args = vec![text(a)];
                        head_args.extend(in_docs_args.iter().cloned());
                        run(
                            &mut sql,
                            &mut args,
                            &format!("q.speaker_actor = ?{in_docs}"),
                            head_args,
                        );
                    }
                } else {
                    // Many keys (a name found inside many others): two runs, each sorted.
                    let mut head = String::from("q.speaker IN (");
                    let mut head_args = Vec::new();
                    in_list(&mut head, &mut head_args, &names);
                    head.push(')');
                    run(&mut sql, &mut args, &head, head_args);
                    let mut head = String::from("q.speaker_actor IN (");
                    let mut head_args = Vec::new();
                    in_list(&mut head, &mut head_args, &actors);
                    head.push(')');
                    head.push_str(&in_docs);
                    head_args.extend(in_docs_args.iter().cloned());
                    run(&mut sql, &mut args, &head, head_args);
                }
                if names.is_empty() && actors.is_empty() {
                    run(&mut sql, &mut args, "0 = 1", Vec::new());
                }
            }
        }
        // Newest first, undated last (SQLite sorts NULL lowest).
        sql.push_str(" ORDER BY 3 DESC, 1, 2 LIMIT ? OFFSET ?");
        args.push(Value::Integer(q.limit.min(MAX_PAGE) as i64));
        args.push(Value::Integer(q.offset.min(MAX_PAGE) as i64));
        let order = "k.day_lo DESC, k.seq, k.idx";
        Ok((self.quote_rows(&sql, order, args)?, unknown))
    }

    /// The speaker names and actors a quote search's speaker value matches, exact first: the
    /// speaker names equal to it and the actors whose key or name is, any case (a few seeks in
    /// the name indexes); only when none is, the names and actors that [`Store::resolve`]
    /// finds otherwise (a key ending with `:value`, or a part of a name), which reads every
    /// name of the kind.
    fn resolve_speaker(&self, value: &str) -> Result<(Vec<String>, Vec<String>)> {
        check_value("speaker", value)?;
        let v = value.trim();
        if v.is_empty() {
            return Ok((Vec::new(), Vec::new()));
        }
        let names = keys_any_case(&self.db, "speaker", v)?;
        let mut actors = keys_any_case(&self.db, "actor", v)?;
        if actors.is_empty() {
            let mut st = self.db.prepare_cached(
                "SELECT key FROM names WHERE kind = 'actor' AND name = ?1 COLLATE NOCASE",
            )?;
            let rows = st.query_map([v], |r| r.get(0))?;
            actors = rows.collect::<rusqlite::Result<_>>()?;
        }
        if !names.is_empty() || !actors.is_empty() {
            return Ok((names, actors));
        }
        Ok((self.resolve("speaker", v)?, self.resolve("actor", v)?))
    }

    /// [`Store::quotes`] on a store whose quotes lack their days (written by an older Vigie
    /// and not opened for writing since): through the documents' days, sorting every quote
    /// the filters keep.
    fn quotes_unindexed(&self, q: &QuoteQuery) -> Result<(Vec<QuoteHit>, Vec<String>)> {
        let mut sql = String::from(
            "SELECT q.seq, q.idx, d.day_lo FROM quotes q JOIN docs d ON d.seq = q.seq WHERE 1 = 1",
        );
        let mut args: Vec<Value> = Vec::new();
        let mut unknown = Vec::new();
        if let Some(s) = &q.speaker {
            let (names, actors) = self.resolve_speaker(s)?;
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
        let order = "k.day_lo IS NULL, k.day_lo DESC, k.seq, k.idx";
        Ok((self.quote_rows(&sql, order, args)?, unknown))
    }

    /// The quotes of the page that `keys` selects (its rows have `seq`, `idx` and `day_lo`),
    /// in `order` (over `k`): the columns of [`QuoteHit`], the quote text read from the
    /// document text of these rows only.
    fn quote_rows(&self, keys: &str, order: &str, args: Vec<Value>) -> Result<Vec<QuoteHit>> {
        let sql = format!(
            "SELECT d.doc_id, q.idx, d.date, d.outlet, d.title, d.url, q.kind, vigie_span(d.text, q.start, q.end), q.start, q.end, q.cue, q.speaker, q.speaker_actor, q.speaker_role, q.mention, q.confidence \
             FROM ({keys}) k JOIN quotes q ON q.seq = k.seq AND q.idx = k.idx JOIN docs d ON d.seq = k.seq \
             ORDER BY {order}"
        );
        let mut st = self.db.prepare_cached(&sql)?;
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
        Ok(out)
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
        // The other filters restrict the documents counted (the dates apply to the facet rows).
        let mut cond = String::new();
        let mut cond_args: Vec<Value> = Vec::new();
        let others = Filters {
            from: None,
            to: None,
            ..filters.clone()
        };
        let unknown = self.filter_sql(&others, "o.seq", "o", &mut cond, &mut cond_args)?;
        let mut chosen: Vec<String> = Vec::new();
        for k in keys {
            chosen.extend(self.resolve(kind, k)?);
        }
        if keys.is_empty() {
            let mut st = self.db.prepare_cached(&format!(
                "SELECT o.key, count(*) AS n FROM facets o WHERE o.kind = ? AND o.day BETWEEN ? AND ?{cond} GROUP BY o.key ORDER BY n DESC, o.key LIMIT ?"
            ))?;
            let mut args = vec![
                Value::Text(kind.into()),
                Value::Integer(lo),
                Value::Integer(hi),
            ];
            args.extend(cond_args.iter().cloned());
            args.push(Value::Integer(top as i64));
            let rows = st.query_map(params_from_iter(args), |r| r.get(0))?;
            chosen = rows.collect::<rusqlite::Result<_>>()?;
        }
        let mut seen = rustc_hash::FxHashSet::default();
        chosen.retain(|k| seen.insert(k.clone()));
        if chosen.len() > MAX_SERIES {
            return Err(Error::invalid(format!(
                "the values asked for match {} keys (at most {MAX_SERIES} series): name them more precisely",
                chosen.len()
            )));
        }
        let dated_only = filters.days().is_some();
        let mut undated_docs = rustc_hash::FxHashSet::default();
        let mut per_key: Vec<FxHashMap<i64, u64>> = vec![FxHashMap::default(); chosen.len()];
        let (mut min_b, mut max_b) = (i64::MAX, i64::MIN);

        {
            let mut st = self.db.prepare_cached(&format!(
                "SELECT o.day, o.seq FROM facets o WHERE o.kind = ? AND o.key = ? AND (o.day IS NULL OR o.day BETWEEN ? AND ?){cond}"
            ))?;
            for (i, key) in chosen.iter().enumerate() {
                let mut args = vec![
                    Value::Text(kind.into()),
                    Value::Text(key.clone()),
                    Value::Integer(lo),
                    Value::Integer(hi),
                ];
                args.extend(cond_args.iter().cloned());
                let mut rows = st.query(params_from_iter(args))?;
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
        if max_b - min_b > 100_000 || (max_b - min_b + 1) * chosen.len() as i64 > MAX_CELLS {
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
            unknown,
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

/// What searches on one connection keep between them while the database does not change
/// (`PRAGMA data_version`, which other connections' commits change): the display names of the
/// facet values they have shown, and the number of values each dimension has had.
#[derive(Default)]
pub(crate) struct NameCache {
    /// The database's data version when this was filled.
    version: Option<i64>,
    /// Per counted dimension, (key, display name) by key hash.
    names: [FxHashMap<u64, (String, String)>; COUNTED.len()],
    /// Per counted dimension, the most values one search has counted.
    most: [usize; COUNTED.len()],
    /// The counting tables, empty between searches.
    tables: KeyCounts,
}

/// Names kept per dimension, at most (the cache is emptied beyond).
const NAMES_KEPT: usize = 20_000;

impl NameCache {
    /// Empties the cache when the database has changed since it was filled.
    fn check(&mut self, db: &Connection) -> Result<()> {
        let version: i64 = db
            .prepare_cached("PRAGMA data_version")?
            .query_row([], |r| r.get(0))?;
        if self.version != Some(version) || self.names.iter().any(|n| n.len() > NAMES_KEPT) {
            self.version = Some(version);
            self.names = Default::default();
        }
        Ok(())
    }

    /// The values each dimension may count: the most seen so far, or no bound at first.
    fn expected(&self) -> [usize; COUNTED.len()] {
        self.most.map(|m| if m == 0 { usize::MAX } else { m })
    }

    /// Records that dimension `d` counted `values` values.
    fn seen(&mut self, d: usize, values: usize) {
        self.most[d] = self.most[d].max(values);
    }
}

/// Longest passage, in bytes of text (as tantivy's snippets measure it).
const PASSAGE_LEN: usize = 240;

/// The best passage of a text: its byte range and the byte ranges of the query's words in it.
struct Passage {
    range: Range<usize>,
    highlights: Vec<Range<usize>>,
    score: Score,
}

/// Finds the best passage of the hits' texts, as tantivy's `SnippetGenerator` does (same
/// passages, words and scores: see [`best_passage`]), without running the analyser over the
/// texts: the query's words are found by their positions in the index, and the text is only
/// cut into words, up to the passage after the last match.
///
/// A passage scores the sum of the weights (1 / (1 + document frequency)) of the query's
/// words it holds, and the best is the first of the highest score.
struct Snippets<'s> {
    searcher: &'s Searcher,
    /// Per slot: the query and the body field.
    queries: &'s [Box<dyn Query>],
    bodies: [Field; 3],
    /// Per slot, created on its first hit.
    slots: [Option<SlotTerms>; 3],
    /// The matched words of the current hit: (position, weight), by position.
    matches: Vec<(u32, Score)>,
    positions: Vec<u32>,
}

/// The query's words in a slot's body field, with their postings in each segment.
struct SlotTerms {
    /// The words (indexed terms) with their weights.
    terms: Vec<(Term, Score)>,
    /// The slot's analyser before stemming: whether it indexes a word.
    words: TextAnalyzer,
    /// Per segment, on its first hit.
    segments: Vec<Option<SegmentTerms>>,
    field: Field,
}

/// The query's words of a slot in one segment.
struct SegmentTerms {
    /// The body field's inverted index.
    inverted: Arc<InvertedIndexReader>,
    /// Each word's entry, if the segment has it.
    infos: Vec<Option<TermInfo>>,
}

impl<'s> Snippets<'s> {
    fn new(searcher: &'s Searcher, queries: &'s [Box<dyn Query>], bodies: [Field; 3]) -> Self {
        Snippets {
            searcher,
            queries,
            bodies,
            slots: [None, None, None],
            matches: Vec::new(),
            positions: Vec::new(),
        }
    }

    /// Whether the body of index entry `addr`, in `slot`, holds some of the query's words;
    /// their positions are kept for [`Snippets::passage`].
    fn find(&mut self, slot: usize, addr: DocAddress) -> Result<bool> {
        self.matches.clear();
        let searcher = self.searcher;
        let terms = match &mut self.slots[slot] {
            Some(t) => t,
            empty => empty.insert(SlotTerms::new(
                searcher,
                &*self.queries[slot],
                self.bodies[slot],
                slot,
            )?),
        };
        if terms.terms.is_empty() {
            return Ok(false);
        }
        let segment = match &mut terms.segments[addr.segment_ord as usize] {
            Some(s) => s,
            empty => {
                let inverted = searcher
                    .segment_reader(addr.segment_ord)
                    .inverted_index(terms.field)?;
                let infos = terms
                    .terms
                    .iter()
                    .map(|(t, _)| inverted.get_term_info(t))
                    .collect::<std::io::Result<_>>()?;
                empty.insert(SegmentTerms { inverted, infos })
            }
        };
        for ((_, weight), info) in terms.terms.iter().zip(&segment.infos) {
            let Some(info) = info else { continue };
            let mut postings = segment
                .inverted
                .read_postings_from_terminfo(info, IndexRecordOption::WithFreqsAndPositions)?;
            // (`seek` wants a target at or after the current document.)
            if postings.doc() < addr.doc_id {
                postings.seek(addr.doc_id);
            }
            if postings.doc() == addr.doc_id {
                postings.positions(&mut self.positions);
                self.matches
                    .extend(self.positions.iter().map(|&p| (p, *weight)));
            }
        }
        self.matches.sort_unstable_by_key(|m| m.0);
        Ok(!self.matches.is_empty())
    }

    /// The best passage of `text`, the body of the entry last [found](Snippets::find) in
    /// `slot`, or of its start: see [`best_passage`].
    fn passage(&mut self, slot: usize, text: &str) -> (Option<Passage>, bool) {
        match self.slots[slot].as_mut() {
            Some(terms) => best_passage(&mut terms.words, text, &self.matches),
            None => (None, true),
        }
    }

    /// The start of the text that most likely decides the passage of the entry last
    /// [found](Snippets::find): a few bytes per word up to its last match, and two passages.
    fn bytes_needed(&self) -> usize {
        let last = self.matches.last().map_or(0, |m| m.0 as usize + 1);
        last.saturating_mul(BYTES_PER_WORD) + 2 * PASSAGE_LEN
    }
}

impl SlotTerms {
    fn new(searcher: &Searcher, query: &dyn Query, field: Field, slot: usize) -> Result<SlotTerms> {
        let mut found = BTreeSet::new();
        query.query_terms(&mut |term, _| {
            if term.field() == field {
                found.insert(term.clone());
            }
        });
        let mut terms = Vec::new();
        for term in found {
            let df = searcher.doc_freq(&term)?;
            if df > 0 {
                terms.push((term, 1.0 / (1.0 + df as Score)));
            }
        }
        Ok(SlotTerms {
            terms,
            words: unstemmed_words(slot),
            segments: searcher.segment_readers().iter().map(|_| None).collect(),
            field,
        })
    }
}

/// The best passage of `text` given its matched words (by position, as `matches` lists them),
/// as tantivy's `SnippetGenerator` finds it, and whether the text after the words read could
/// not change it: `text` may be the start of a longer one, which decides the passage when the
/// last match's passage ends before the start's last word.
///
/// Passages are cut greedily from the start of the text: a passage takes the indexed words
/// that follow it until one would make it longer than [`PASSAGE_LEN`], which starts the next
/// one. Words the analyser drops (stop words) are no part of passages. Whether a word is
/// indexed is only asked of the words that may end or start a passage, which spares analysing
/// the words inside passages.
fn best_passage(
    words: &mut TextAnalyzer,
    text: &str,
    matches: &[(u32, Score)],
) -> (Option<Passage>, bool) {
    let indexed =
        |words: &mut TextAnalyzer, w: &Range<usize>| words.token_stream(&text[w.clone()]).advance();
    let mut best: Option<Passage> = None;
    let mut cur = Passage::at(0);
    // The words of `cur` after its last word known to be indexed, once it holds a match: the
    // last indexed one ends it.
    let mut tail: Vec<Range<usize>> = Vec::new();
    // Ends `cur`, kept when it beats `best`, and starts the next passage at `start`.
    let mut close = |cur: &mut Passage, tail: &mut Vec<Range<usize>>, words: &mut _, start| {
        let mut done = std::mem::replace(cur, Passage::at(start));
        if done.score > best.as_ref().map_or(0.0, |b| b.score) {
            if let Some(w) = tail.iter().rev().find(|w| indexed(words, w)) {
                done.range.end = w.end;
            }
            best = Some(done);
        }
        tail.clear();
    };
    let mut next = matches.iter().peekable();
    let mut decided = false;
    for (pos, word) in Words::new(text) {
        let end = word.end;
        while next.next_if(|m| m.0 < pos).is_some() {}
        let matched = next.next_if(|m| m.0 == pos).map(|m| m.1);
        if word.end - cur.range.start > PASSAGE_LEN {
            // The first indexed word that does not fit starts the next passage.
            if matched.is_none() && !indexed(words, &word) {
                continue;
            }
            close(&mut cur, &mut tail, words, word.start);
            cur.range.end = word.end;
        } else if matched.is_none() && cur.score > 0.0 {
            tail.push(word.clone());
        }
        if let Some(weight) = matched {
            cur.score += weight;
            cur.range.end = word.end;
            cur.highlights.push(word);
            tail.clear();
        }
        // Past the last match, only the passage holding it still grows. A word that ends
        // before the text does is whole (a character follows it).
        if next.peek().is_none() && cur.score == 0.0 {
            decided = end < text.len();
            break;
        }
    }
    close(&mut cur, &mut tail, words, text.len());
    (best, decided)
}

impl Passage {
    /// A passage starting at byte `start`, empty.
    fn at(start: usize) -> Passage {
        Passage {
            range: start..start,
            highlights: Vec::new(),
            score: 0.0,
        }
    }
}

/// The words of a text as the index's analysers cut it (tantivy's `SimpleTokenizer`): runs of
/// alphanumeric characters, with their position (their rank, as the index numbers them) and
/// byte range.
struct Words<'t> {
    text: &'t str,
    at: usize,
    position: u32,
}

impl<'t> Words<'t> {
    fn new(text: &'t str) -> Self {
        Words {
            text,
            at: 0,
            position: 0,
        }
    }

    /// Whether the character at byte `i` is alphanumeric, and its length in bytes.
    #[inline]
    fn class(&self, i: usize) -> (bool, usize) {
        let bytes = self.text.as_bytes();
        match bytes[i] {
            b if b.is_ascii() => (b.is_ascii_alphanumeric(), 1),
            // U+00C0 to U+00FF (`é`, `à`...): letters, but `×` and `÷`.
            0xC3 => (!matches!(bytes.get(i + 1), Some(0x97 | 0xB7)), 2),
            _ => {
                let c = self.text[i..]
                    .chars()
                    .next()
                    .expect("a character starts here");
                (c.is_alphanumeric(), c.len_utf8())
            }
        }
    }
}

impl Iterator for Words<'_> {
    type Item = (u32, Range<usize>);

    fn next(&mut self) -> Option<Self::Item> {
        let len = self.text.len();
        loop {
            if self.at >= len {
                return None;
            }
            let (alnum, n) = self.class(self.at);
            if alnum {
                break;
            }
            self.at += n;
        }
        let start = self.at;
        while self.at < len {
            let (alnum, n) = self.class(self.at);
            if !alnum {
                break;
            }
            self.at += n;
        }
        self.position += 1;
        Some((self.position - 1, start..self.at))
    }
}

/// Bytes a word takes in a text, with the spaces and signs after it, seldom exceeded on
/// average (French news: about six and a half).
const BYTES_PER_WORD: usize = 8;

/// Inflates the stored texts of a page of hits (`docs.text`: raw deflate, as
/// [`crate::facts::compress_text`] writes it) with one decoder and one buffer, where a
/// decoder per text would allocate and clear its window and buffers each time; a text is read
/// only as far as it is needed.
pub(crate) struct Inflater {
    z: flate2::Decompress,
    /// The deflated text (a copy: the reader outlives the row it comes from).
    blob: Vec<u8>,
    /// The bytes inflated so far.
    raw: Vec<u8>,
    /// The characters of `raw`, less one cut at its end.
    text: String,
    /// Whether the text is read to its end.
    whole: bool,
}

impl Default for Inflater {
    fn default() -> Self {
        Inflater {
            z: flate2::Decompress::new(false),
            blob: Vec::new(),
            raw: Vec::new(),
            text: String::new(),
            whole: false,
        }
    }
}

impl Inflater {
    /// Starts reading the text deflated in `blob`.
    pub(crate) fn start(&mut self, blob: &[u8]) {
        self.z.reset(false);
        self.blob.clear();
        self.blob.extend_from_slice(blob);
        self.raw.clear();
        self.text.clear();
        self.whole = false;
    }

    /// Reads on in the text until `upto` bytes or its end, and returns what is read: the
    /// text, or its first `upto` bytes or more less a character cut at their end.
    pub(crate) fn read(&mut self, upto: usize) -> Result<&str> {
        let blob = &self.blob;
        let err = |e: &dyn std::fmt::Display| Error::ctx("reading a stored text", e);
        // An empty blob is an empty text, as `vigie_text` reads it.
        self.whole |= blob.is_empty();
        while !self.whole && self.raw.len() < upto {
            // Texts deflate about three to one; no more than asked is inflated.
            let at = self.raw.len();
            let room = (upto - at).min(at.max(blob.len().saturating_mul(4)).max(64));
            self.raw.resize(at + room, 0);
            let (was_in, was_out) = (self.z.total_in(), self.z.total_out());
            let input = &blob[(was_in as usize).min(blob.len())..];
            let status = self
                .z
                .decompress(input, &mut self.raw[at..], FlushDecompress::None)
                .map_err(|e| err(&e))?;
            let wrote = (self.z.total_out() - was_out) as usize;
            self.raw.truncate(at + wrote);
            match status {
                Status::StreamEnd => self.whole = true,
                // Room, but nothing read or written: the input ended before the text.
                _ if wrote == 0 && self.z.total_in() == was_in => {
                    return Err(err(&"the text is cut short"))
                }
                _ => {}
            }
        }
        let new = &self.raw[self.text.len()..];
        let valid = match std::str::from_utf8(new) {
            Ok(s) => s,
            // The start of a text may end inside a character.
            Err(e) if !self.whole && e.error_len().is_none() => {
                std::str::from_utf8(&new[..e.valid_up_to()]).map_err(|e| err(&e))?
            }
            Err(e) => return Err(err(&e)),
        };
        self.text.push_str(valid);
        Ok(&self.text)
    }

    /// What is read of the current text.
    pub(crate) fn text(&self) -> &str {
        &self.text
    }

    /// Whether the current text is read to its end.
    pub(crate) fn whole(&self) -> bool {
        self.whole
    }
}

/// Characters shown of a text without a passage: its start.
const LEAD_CHARS: usize = 240;

/// The bytes that always hold [`LEAD_CHARS`] characters, even once a character cut at their
/// end is left out.
const LEAD_BYTES: usize = LEAD_CHARS * 4 + 3;

fn lead(text: &str) -> (String, usize, Vec<(usize, usize)>) {
    let s: String = text.chars().take(LEAD_CHARS).collect();
    (s, 0, Vec::new())
}

/// Appends the placeholders of an SQL `IN (...)` list of `keys` and their arguments; an empty
/// list becomes `(NULL)`, which matches nothing.
fn in_list(sql: &mut String, args: &mut Vec<Value>, keys: &[String]) {
    sql.push_str(&vec!["?"; keys.len().max(1)].join(", "));
    if keys.is_empty() {
        args.push(Value::Null);
    }
    args.extend(keys.iter().map(|k| Value::Text(k.clone())));
}

pub(crate) fn like_escape(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `keys_any_case` finds exactly what SQLite's `NOCASE` comparison finds.
    #[test]
    fn keys_any_case_matches_nocase() {
        let db = Connection::open_in_memory().unwrap();
        db.execute_batch(
            "CREATE TABLE names (kind TEXT NOT NULL, key TEXT NOT NULL, name TEXT NOT NULL,
             h INTEGER NOT NULL, PRIMARY KEY (kind, key)) WITHOUT ROWID;",
        )
        .unwrap();
        // Short words over a few letters, digits, punctuation and accents: many case
        // variants of each other, prefixes of each other, and neighbours in byte order.
        let alphabet = ["a", "A", "b", "B", "z", "Z", ":", "1", "é", "É", "_"];
        let mut rng = 0x9e37_79b9_7f4a_7c15_u64;
        let mut next = |n: usize| {
            rng ^= rng << 13;
            rng ^= rng >> 7;
            rng ^= rng << 17;
            (rng % n as u64) as usize
        };
        let mut words = Vec::new();
        for _ in 0..3000 {
            let len = 1 + next(5);
            words.push(
                (0..len)
                    .map(|_| alphabet[next(alphabet.len())])
                    .collect::<String>(),
            );
        }
        words.extend(
            [
                "country:FR",
                "country:fr",
                "Country:Fr",
                "country:FRA",
                "country:F",
            ]
            .map(String::from),
        );
        let mut insert = db
            .prepare("INSERT OR IGNORE INTO names VALUES (?1, ?2, '', 0)")
            .unwrap();
        for (i, w) in words.iter().enumerate() {
            insert
                .execute([if i % 7 == 0 { "other" } else { "actor" }, w])
                .unwrap();
        }
        let mut nocase = db
            .prepare("SELECT key FROM names WHERE kind = 'actor' AND key = ?1 COLLATE NOCASE ORDER BY key")
            .unwrap();
        let mut probes = words.clone();
        probes.extend(words.iter().map(|w| w.to_ascii_uppercase()));
        probes.extend(words.iter().map(|w| format!("{w}b")));
        probes.extend(["", "country:fR", "COUNTRY:FR", "zzzz", "é"].map(String::from));
        let mut found_some = 0;
        for p in &probes {
            let expected: Vec<String> = nocase
                .query_map([p], |r| r.get(0))
                .unwrap()
                .map(|r| r.unwrap())
                .collect();
            assert_eq!(keys_any_case(&db, "actor", p).unwrap(), expected, "{p:?}");
            found_some += usize::from(expected.len() > 1);
        }
        assert!(
            found_some > 100,
            "the words have case variants in the store"
        );
    }

    /// A small deterministic generator (xorshift).
    pub(super) struct Rng(pub(super) u64);

    impl Rng {
        pub(super) fn below(&mut self, n: usize) -> usize {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            (self.0 % n as u64) as usize
        }
    }

    /// The passages found from the index's positions are tantivy's snippets: same passage,
    /// same highlighted words, on texts full of stop words, elisions, case and accents, long
    /// words, digits and other scripts, in every analyser slot.
    #[test]
    fn passages_are_tantivys_snippets() {
        use crate::index::IndexDoc;
        use tantivy::snippet::SnippetGenerator;

        let words = [
            "le",
            "La",
            "de",
            "l'armée",
            "qu'il",
            "à",
            "était",
            "Être",
            "élection",
            "élections",
            "ELECTION",
            "Election",
            "président",
            "Présidente",
            "Russie",
            "russe",
            "Ukraine",
            "guerre",
            "the",
            "The",
            "war",
            "wars",
            "of",
            "and",
            "s",
            "2022",
            "10",
            "1er",
            "Москва",
            "東京",
            "Kelvin",
            "\u{212a}elvin",
            "naïve",
            "cœur",
            "Œuvre",
            "straße",
            "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
            "éééééééééééééééééééé",
            "x",
        ];
        let seps = [
            " ", " ", " ", ", ", ". ", " — ", "\n", "’", "'", " (", ") ", "-", " 🙂 ",
        ];
        let mut rng = Rng(0x2545_f491_4f6c_dd1d);
        let dir = tempfile::tempdir().unwrap();
        let ix = TextIndex::open_or_create(dir.path(), true).unwrap();
        let mut w = ix.writer().unwrap();
        let mut texts = Vec::new();
        for seq in 0..300 {
            let len = 1 + rng.below(400);
            let mut text = String::new();
            for _ in 0..len {
                text.push_str(words[rng.below(words.len())]);
                text.push_str(seps[rng.below(seps.len())]);
            }
            let lang = ["fr", "fr", "en", "de"][rng.below(4)];
            ix.put(
                &w,
                &IndexDoc {
                    seq,
                    doc_id: seq.to_string(),
                    lang: lang.to_string(),
                    title: None,
                    text: text.clone(),
                    facets: Vec::new(),
                    days: None,
                },
            )
            .unwrap();
            texts.push((TextIndex::slot(lang), text));
            // Several segments.
            if seq % 100 == 99 {
                TextIndex::commit(&mut w, seq).unwrap();
            }
        }
        ix.reader.reload().unwrap();
        let searcher = ix.reader.searcher();
        let columns = ix.columns(&searcher).unwrap();
        let bodies = ix.fields.text.map(|(_, body)| body);
        let mut compared = 0;
        for query in [
            "élection",
            "election président",
            "guerre Russie Ukraine",
            "\"président russe\"",
            "war",
            "le la de",
            "x 2022",
            "Москва",
            "kelvin",
        ] {
            let qs = slot_queries(&ix, query).unwrap().unwrap();
            let mut snippets = Snippets::new(&searcher, &qs, bodies);
            for (ord, segment) in searcher.segment_readers().iter().enumerate() {
                for doc in 0..segment.max_doc() {
                    let addr = DocAddress::new(ord as u32, doc);
                    let seq = columns[ord].seq.first(doc).unwrap() as usize;
                    let (slot, text) = &texts[seq];
                    let mut g =
                        SnippetGenerator::create(&searcher, &*qs[*slot], bodies[*slot]).unwrap();
                    g.set_max_num_chars(PASSAGE_LEN);
                    let expected = g.snippet(text);
                    let ours = match snippets.find(*slot, addr).unwrap() {
                        true => {
                            let (whole, _) = snippets.passage(*slot, text);
                            // A start of the text that decides the passage finds the same.
                            for cut in (1..text.len()).step_by(37) {
                                let Some(start) = text.get(..cut) else {
                                    continue;
                                };
                                if let (p, true) = snippets.passage(*slot, start) {
                                    let same = |p: &Option<Passage>| {
                                        p.as_ref().map(|p| (p.range.clone(), p.highlights.clone()))
                                    };
                                    assert_eq!(same(&p), same(&whole), "{query:?} {seq} {cut}");
                                }
                            }
                            whole
                        }
                        false => None,
                    };
                    match ours {
                        None => assert!(expected.fragment().is_empty(), "{query:?} {seq}"),
                        Some(p) => {
                            assert_eq!(p.range, expected.fragment_range(), "{query:?} {seq}");
                            let highlights: Vec<_> = p
                                .highlights
                                .iter()
                                .map(|h| h.start - p.range.start..h.end - p.range.start)
                                .collect();
                            assert_eq!(highlights, expected.highlighted(), "{query:?} {seq}");
                            compared += 1;
                        }
                    }
                }
            }
        }
        assert!(compared > 500, "the queries find passages ({compared})");
    }

    /// Texts are cut into words as tantivy's `SimpleTokenizer` cuts them, whatever the
    /// characters.
    #[test]
    fn words_are_simple_tokens() {
        use tantivy::tokenizer::{SimpleTokenizer, TokenStream, Tokenizer};
        // Every character up to U+2FFF between ASCII letters and spaces, then mixed runs.
        let mut text = String::new();
        for c in (0..0x3000).filter_map(char::from_u32) {
            text.push_str(&format!("a{c}b {c} "));
        }
        text.push_str("Élysée × 3÷4 naïveté «Ça» l’État 2022-08 Москва 東京 🙂x");
        let mut simple = SimpleTokenizer::default();
        let mut stream = simple.token_stream(&text);
        let mut expected = Vec::new();
        while let Some(t) = stream.next() {
            expected.push((t.position as u32, t.offset_from..t.offset_to));
        }
        assert!(expected.len() > 10_000);
        assert_eq!(Words::new(&text).collect::<Vec<_>>(), expected);
    }

    /// Stored texts inflate whole, or only their start, or on from where they stopped.
    #[test]
    fn inflater_reads_texts_and_their_start() {
        let text = "Élection présidentielle : le président sortant est réélu. ".repeat(200);
        let blob = crate::facts::compress_text(&text);
        let mut inflater = Inflater::default();
        let mut read = |blob: &[u8], upto| -> Result<String> {
            inflater.start(blob);
            inflater.read(upto).map(str::to_owned)
        };
        for _ in 0..2 {
            assert_eq!(read(&blob, usize::MAX).unwrap(), text);
            let start = read(&blob, LEAD_BYTES).unwrap();
            assert!(start.len() >= LEAD_BYTES - 3 && text.starts_with(&start));
            assert!(start.len() < text.len());
        }
        // Characters of four bytes, cut anywhere.
        for text in ["🙂".repeat(1000), format!("ab{}", "🙂".repeat(1000))] {
            let start = read(&crate::facts::compress_text(&text), LEAD_BYTES).unwrap();
            assert_eq!(lead(&start).0, lead(&text).0);
        }
        assert_eq!(
            read(&crate::facts::compress_text(""), usize::MAX).unwrap(),
            ""
        );
        assert!(read(&blob[..blob.len() / 2], usize::MAX).is_err());
        // Read on in steps, cutting characters: the same text.
        let text = format!("é{}", "€🙂 ".repeat(3000));
        let blob = crate::facts::compress_text(&text);
        inflater.start(&blob);
        for upto in [1, 2, 7, 100, 1001, 5000, 5001, usize::MAX] {
            let got = inflater.read(upto).unwrap();
            assert!(text.starts_with(got) && (got.len() + 3 >= upto.min(text.len())));
        }
        assert!(inflater.whole());
        assert_eq!(inflater.text(), text);
    }
}

#[cfg(test)]
mod quote_index_tests {
    use super::*;
    use crate::{Prepared, Writer};
    use vigie_core::{Actor, ActorMention, Document, Meta, Quote, Speaker, TextSpan};

    /// A store of documents with random dates (day, month or year precision, or none), and
    /// quotes by a few speakers (names, actors, both, neither) about a few actors.
    fn quote_store(dir: &std::path::Path) {
        let names = [
            "Emmanuel Macron",
            "Macron",
            "Le Parisien",
            "macron",
            "ministre",
        ];
        let actors = [
            "person:emmanuel-macron",
            "country:RU",
            "org:UN",
            "person:macron",
            "person:rare",
        ];
        let mut rng = tests_rng(0x5eed_1234_abcd_ef01);
        let mut w = Writer::open(dir).unwrap();
        let mut batch = Vec::new();
        for i in 0..400 {
            let text = "« Bonjour », a dit Macron à la Russie et à l'ONU. ".repeat(6);
            let date = match rng.below(8) {
                0 => None,
                1 => vigie_core::PartialDate::new(2019 + rng.below(3) as u16, None, None),
                2 => vigie_core::PartialDate::new(
                    2019 + rng.below(3) as u16,
                    Some(1 + rng.below(12) as u8),
                    None,
                ),
                _ => vigie_core::PartialDate::new(
                    2019 + rng.below(3) as u16,
                    Some(1 + rng.below(12) as u8),
                    Some(1 + rng.below(28) as u8),
                ),
            };
            let mut a = Analysis::default();
            a.language.code = "fr".into();
            for (k, id) in actors.iter().enumerate() {
                if rng.below(if k == 4 { 40 } else { 3 }) == 0 {
                    let at = rng.below(250);
                    a.actors.push(Actor {
                        id: id.to_string(),
                        kind: "person".into(),
                        name: ["Emmanuel Macron", "Russie", "ONU", "Macron", "Rare"][k].into(),
                        mentions: vec![ActorMention {
                            start: at,
                            end: at + 5,
                            ..Default::default()
                        }],
                        ..Default::default()
                    });
                }
            }
            for _ in 0..rng.below(6) {
                let start = rng.below(200);
                let speaker = match rng.below(5) {
                    0 => None,
                    n => Some(Speaker {
                        name: names[rng.below(names.len())].into(),
                        named: true,
                        role: None,
                        actor: (n > 2).then(|| actors[rng.below(4)].to_string()),
                    }),
                };
                a.quotes.push(Quote {
                    kind: "direct".into(),
                    content: TextSpan {
                        start,
                        end: start + 40,
                        text: String::new(),
                    },
                    speaker,
                    confidence: 0.5,
                    ..Default::default()
                });
            }
            let doc = Document {
                id: format!("d{i}"),
                text,
                meta: Meta {
                    date,
                    title: Some(format!("t{i}")),
                    ..Default::default()
                },
                origin: Default::default(),
            };
            let mut a2 = a.clone();
            a2.text = None;
            batch.push(Prepared::new(&doc, a2, "test"));
            if batch.len() == 100 {
                w.add_batch(std::mem::take(&mut batch)).unwrap();
            }
        }
        w.finish().unwrap();
    }

    fn tests_rng(seed: u64) -> tests::Rng {
        tests::Rng(seed)
    }

    fn queries() -> Vec<QuoteQuery> {
        let mut out = vec![QuoteQuery {
            limit: 10_000,
            ..Default::default()
        }];
        let speakers = [
            "Emmanuel Macron",
            "Macron",
            "MACRON",
            "Parisien",
            "RU",
            "UN",
            "zzz",
            "person:macron",
        ];
        let dates = [None, Some("2019"), Some("2020-02"), Some("2021-03-04")];
        for (i, s) in speakers.iter().enumerate() {
            for (j, from) in dates.iter().enumerate() {
                for (k, to) in dates.iter().enumerate() {
                    let parse = |d: &Option<&str>| d.map(|d| d.parse().unwrap());
                    out.push(QuoteQuery {
                        speaker: ((i + j) % 5 != 4).then(|| s.to_string()),
                        about: ((i + j + k) % 3 != 1)
                            .then(|| ["RU", "Macron", "ONU", "Rare"][(i + k) % 4].to_string()),
                        filters: Filters {
                            from: parse(from),
                            to: parse(to),
                            ..Default::default()
                        },
                        limit: [3, 20, 10_000][(i + k) % 3],
                        offset: [0, 2, 7][(j + k) % 3],
                        ..Default::default()
                    });
                }
            }
        }
        out
    }

    fn all_quotes(store: &Store, indexed: bool) -> Vec<String> {
        queries()
            .iter()
            .map(|q| {
                let r = match indexed {
                    true => store.quotes(q),
                    false => store.quotes_unindexed(q),
                };
                let (hits, unknown) = r.unwrap();
                serde_json::to_string(&(hits, unknown)).unwrap()
            })
            .collect()
    }

    /// The quotes read from the (speaker, day) indexes are those the documents' days sorted
    /// before, in the same order, for every filter; an older store gets the days and the
    /// indexes when a writer opens it, and answers the same before and after.
    #[test]
    fn quote_indexes_answer_as_the_documents_did() {
        let dir = tempfile::tempdir().unwrap();
        quote_store(dir.path());
        let store = Store::open(dir.path()).unwrap();
        assert!(store.quote_days);
        let expected = all_quotes(&store, false);
        assert_eq!(all_quotes(&store, true), expected);
        let found = expected.iter().filter(|r| r.len() > 200).count();
        assert!(
            found > 40,
            "the queries find quotes ({found} of {})",
            expected.len()
        );
        // Both ways of reading a tag filter are taken: from the tags, and in order.
        let tagged = |key: &str| -> i64 {
            store
                .db
                .query_row(
                    "SELECT count(*) FROM quote_tags WHERE kind = 'about' AND key = ?1",
                    [key],
                    |r| r.get(0),
                )
                .unwrap()
        };
        assert!((1..=TAGGED_FEW as i64).contains(&tagged("person:rare")));
        assert!(tagged("country:RU") > TAGGED_FEW as i64);
        drop(store);
        // The store as an older Vigie wrote it: no days in the quotes, no indexes.
        let db = Connection::open(dir.path().join(crate::DB_FILE)).unwrap();
        db.execute_batch(
            "DROP INDEX quotes_day; DROP INDEX quotes_speaker; DROP INDEX quotes_speaker_actor;
             ALTER TABLE quotes DROP COLUMN day_lo; ALTER TABLE quotes DROP COLUMN day_hi;",
        )
        .unwrap();
        drop(db);
        let old = Store::open(dir.path()).unwrap();
        assert!(!old.quote_days);
        assert_eq!(
            all_quotes(&old, true),
            expected,
            "an older store is read as before"
        );
        drop(old);
        Writer::open(dir.path()).unwrap().finish().unwrap();
        let migrated = Store::open(dir.path()).unwrap();
        assert!(migrated.quote_days);
        let wrong: i64 = migrated
            .db
            .query_row(
                "SELECT count(*) FROM quotes q JOIN docs d ON d.seq = q.seq WHERE q.day_lo IS NOT d.day_lo OR q.day_hi IS NOT d.day_hi",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(wrong, 0);
        assert_eq!(all_quotes(&migrated, true), expected);
        // Exact first: `macron` is a speaker name and an actor's name, so names that only
        // contain it (`Emmanuel Macron`) are left out; `Parisien` is neither, so it is looked
        // for inside the names.
        let of = |speaker: &str| {
            let q = QuoteQuery {
                speaker: Some(speaker.into()),
                limit: 10_000,
                ..Default::default()
            };
            migrated.quotes(&q).unwrap().0
        };
        let macron = of("macron");
        assert!(macron.len() > 10);
        assert!(macron.iter().all(|h| {
            h.speaker
                .as_deref()
                .is_some_and(|s| s.eq_ignore_ascii_case("macron"))
                || h.speaker_actor.as_deref() == Some("person:macron")
        }));
        let parisien = of("Parisien");
        assert!(!parisien.is_empty());
        assert!(parisien
            .iter()
            .all(|h| h.speaker.as_deref() == Some("Le Parisien")));
    }
}

#[cfg(test)]
mod query_check_tests {
    use super::*;
    use crate::index::IndexDoc;

    fn index() -> (tempfile::TempDir, TextIndex) {
        let dir = tempfile::tempdir().unwrap();
        let ix = TextIndex::open_or_create(dir.path(), true).unwrap();
        let mut w = ix.writer().unwrap();
        for seq in 0..6 {
            ix.put(
                &w,
                &IndexDoc {
                    seq,
                    doc_id: seq.to_string(),
                    lang: ["fr", "en", "de"][seq as usize % 3].into(),
                    title: Some("Titre Macron".into()),
                    text: "le président Macron a dit bonjour à la Russie, 30 fois".into(),
                    facets: vec![("actor".into(), "country:RU".into())],
                    days: Some((10, 12)),
                },
            )
            .unwrap();
        }
        TextIndex::commit(&mut w, 6).unwrap();
        ix.reader.reload().unwrap();
        (dir, ix)
    }

    /// Runs `query` as search runs it: its slot queries, then the index.
    fn run(ix: &TextIndex, query: &str) -> Result<usize> {
        let Some(qs) = slot_queries(ix, query)? else {
            return Ok(ix.reader.searcher().num_docs() as usize);
        };
        let any: Vec<(Occur, Box<dyn Query>)> =
            qs.iter().map(|q| (Occur::Should, q.box_clone())).collect();
        Ok(ix
            .reader
            .searcher()
            .search(&BooleanQuery::new(any), &Count)?)
    }

    /// Queries the index cannot run (a field's any value, ranges, sets or regular
    /// expressions on a named field, the index's inner fields) are the request's fault, with
    /// a message; the rest runs. `GET /api/search?q=body_fr:*` was a 500.
    #[test]
    fn queries_the_index_cannot_run_are_refused() {
        let (_dir, ix) = index();
        for q in [
            "body_fr:*",
            "title_en:*",
            "key:*",
            "body_fr:[a TO z]",
            "body_fr:>a",
            "body_fr: IN [macron russie]",
            "seq: IN [1 2]",
            "seq:1",
            "day_lo:[1 TO 20]",
            "facet:\"/actor/country:RU\"",
            "n_lang:5",
            "key:1",
            "Macron AND (body_any:* OR Russie)",
        ] {
            let e = run(&ix, q).expect_err(q);
            assert!(e.is_invalid(), "{q}: {e}");
            assert!(e.to_string().contains("cannot be searched"), "{q}: {e}");
        }
        for (q, n) in [
            ("macron", 6),
            ("title_fr:macron", 2),
            ("body_en:macron", 2),
            ("*", 6),
            ("", 6),
            ("(((macron)))", 6),
            ("Macron: « bonjour »", 6),
            ("Russie >30", 6),
            ("\"président macron\"", 6),
            ("bonjour -russie", 0),
            // Not the query syntax: searched as its words.
            ("facet:/actor/country:RU", 0),
            ("macron^2 OR bonjour", 6),
        ] {
            assert_eq!(run(&ix, q).unwrap_or_else(|e| panic!("{q}: {e}")), n, "{q}");
        }
        // Ranges and sets without a field are searched as their words.
        for q in [
            "[russie TO macron]",
            "IN [macron russie]",
            "russie >",
            "{a TO b}",
        ] {
            run(&ix, q).unwrap_or_else(|e| panic!("{q}: {e}"));
        }
    }

    /// Deep parentheses are refused before the parser recurses on them (10,000 of them
    /// overflowed the stack of the command line), as are queries over the length cap; the
    /// caps are the server's too, and what they let through runs on a small stack.
    #[test]
    fn query_depth_and_length_are_capped() {
        let (_dir, ix) = index();
        let deep = format!("{}macron{}", "(".repeat(10_000), ")".repeat(10_000));
        let e = run(&ix, &deep).unwrap_err();
        assert!(e.is_invalid() && e.to_string().contains("too long"), "{e}");
        let deep = format!("{}macron", "(".repeat(MAX_QUERY_DEPTH + 1));
        let e = run(&ix, &deep).unwrap_err();
        assert!(
            e.is_invalid() && e.to_string().contains("nests parentheses"),
            "{e}"
        );
        let long = "macron ".repeat(MAX_QUERY_BYTES / 7 + 1);
        assert!(run(&ix, &long).unwrap_err().is_invalid());
        // Parentheses inside a phrase do not nest.
        check_query(&format!("\"{}\"", "(".repeat(40))).unwrap();
        // The worst the caps let through, on a 256 KiB stack.
        let ix = std::sync::Arc::new(ix);
        let worst = [
            format!(
                "{}macron{}",
                "(".repeat(MAX_QUERY_DEPTH),
                ")".repeat(MAX_QUERY_DEPTH)
            ),
            "(macron "
                .repeat(MAX_QUERY_DEPTH)
                .chars()
                .take(MAX_QUERY_BYTES)
                .collect(),
            "-".repeat(MAX_QUERY_BYTES),
            "\"".repeat(MAX_QUERY_BYTES),
            "a OR ".repeat(MAX_QUERY_BYTES / 5),
            "+(-".repeat(MAX_QUERY_BYTES / 3),
        ];
        for q in worst {
            let ix = ix.clone();
            std::thread::Builder::new()
                .stack_size(256 << 10)
                .spawn(move || {
                    let _ = run(&ix, &q);
                })
                .unwrap()
                .join()
                .unwrap();
        }
    }
}
