//! The SQLite schema, defined once: documents with every version, and tidy fact tables.
//!
//! Offsets (`start`, `end`) are Unicode code points into the document text, as in the analysis
//! JSON. Fact tables hold the facts of the latest version of each document only; older versions
//! keep their text and their full analysis in `docs`. Texts and analyses are stored deflated;
//! SQL reads them with the functions `vigie_text(docs.text)` and
//! `vigie_span(docs.text, start, end)` that every connection registers. Span texts (a quote's
//! content, an entity's words) are not stored twice: queries take them from the document text.

use crate::{Error, Result};
use rusqlite::Connection;

/// Version of the store layout; a store written by another layout is refused, not misread.
pub const FORMAT: &str = "vigie-store/1";

const SCHEMA: &str = r#"
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS docs (
    seq INTEGER PRIMARY KEY,
    doc_id TEXT NOT NULL,
    version INTEGER NOT NULL,
    latest INTEGER NOT NULL,
    rev INTEGER NOT NULL,
    hash TEXT NOT NULL,
    title TEXT,
    url TEXT,
    outlet TEXT,
    affiliation TEXT,
    lang TEXT,
    date TEXT,
    day_lo INTEGER,
    day_hi INTEGER,
    origin TEXT NOT NULL,
    ingested_at TEXT NOT NULL,
    analyzed_by TEXT NOT NULL,
    meta TEXT NOT NULL,
    text BLOB NOT NULL,
    analysis BLOB NOT NULL,
    shingles INTEGER NOT NULL,
    minhash BLOB
);
CREATE INDEX IF NOT EXISTS docs_doc ON docs(doc_id, version);
CREATE INDEX IF NOT EXISTS docs_url ON docs(url) WHERE url IS NOT NULL;
CREATE INDEX IF NOT EXISTS docs_hash ON docs(hash);
CREATE INDEX IF NOT EXISTS docs_rev ON docs(rev) WHERE latest = 1;
CREATE TABLE IF NOT EXISTS entities (
    seq INTEGER NOT NULL, idx INTEGER NOT NULL,
    start INTEGER NOT NULL, end INTEGER NOT NULL, label TEXT NOT NULL,
    actor TEXT,
    PRIMARY KEY (seq, idx)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS actors (
    seq INTEGER NOT NULL, actor TEXT NOT NULL,
    kind TEXT NOT NULL, name TEXT NOT NULL, country TEXT, mentions INTEGER NOT NULL,
    start INTEGER NOT NULL, end INTEGER NOT NULL,
    PRIMARY KEY (seq, actor)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS quotes (
    seq INTEGER NOT NULL, idx INTEGER NOT NULL,
    kind TEXT NOT NULL, start INTEGER NOT NULL, end INTEGER NOT NULL,
    cue TEXT, speaker TEXT, speaker_actor TEXT, speaker_role TEXT, speaker_named INTEGER,
    mention TEXT, mention_start INTEGER, mention_end INTEGER, confidence REAL NOT NULL,
    day_lo INTEGER, day_hi INTEGER,
    PRIMARY KEY (seq, idx)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS quote_tags (
    kind TEXT NOT NULL, key TEXT NOT NULL, seq INTEGER NOT NULL, idx INTEGER NOT NULL,
    PRIMARY KEY (kind, key, seq, idx)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS quote_tags_seq ON quote_tags(seq);
CREATE TABLE IF NOT EXISTS stances (
    seq INTEGER NOT NULL, idx INTEGER NOT NULL,
    holder TEXT NOT NULL, holder_actor TEXT, target TEXT NOT NULL, target_name TEXT NOT NULL,
    score REAL NOT NULL, evidence INTEGER NOT NULL,
    start INTEGER NOT NULL, end INTEGER NOT NULL, words TEXT NOT NULL,
    PRIMARY KEY (seq, idx)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS narratives (
    seq INTEGER NOT NULL, narrative TEXT NOT NULL,
    label TEXT NOT NULL, codebook TEXT NOT NULL, score REAL NOT NULL, evidence INTEGER NOT NULL,
    start INTEGER NOT NULL, end INTEGER NOT NULL, words TEXT NOT NULL,
    PRIMARY KEY (seq, narrative)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS facets (
    kind TEXT NOT NULL, key TEXT NOT NULL, seq INTEGER NOT NULL, day INTEGER,
    PRIMARY KEY (kind, key, seq)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS facets_seq ON facets(seq);
CREATE TABLE IF NOT EXISTS names (
    kind TEXT NOT NULL, key TEXT NOT NULL, name TEXT NOT NULL, h INTEGER NOT NULL,
    PRIMARY KEY (kind, key)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS names_name ON names(kind, name COLLATE NOCASE);
CREATE INDEX IF NOT EXISTS names_h ON names(h);
"#;

/// The indexes quote searches read in order, newest first (`day_lo DESC`, undated last, then
/// `seq`, `idx`): all quotes, and the quotes of a speaker name or actor. They also hold the
/// last day (`day_hi`), which date filters test without reading the table.
const QUOTE_INDEXES: &str = r#"
CREATE INDEX IF NOT EXISTS quotes_day ON quotes(day_lo DESC, seq, idx, day_hi);
CREATE INDEX IF NOT EXISTS quotes_speaker ON quotes(speaker, day_lo DESC, seq, idx, day_hi)
    WHERE speaker IS NOT NULL;
CREATE INDEX IF NOT EXISTS quotes_speaker_actor
    ON quotes(speaker_actor, day_lo DESC, seq, idx, day_hi) WHERE speaker_actor IS NOT NULL;
"#;

/// Whether the `quotes` table holds its document's days (stores written before it did lack
/// them until their first opening for writing adds them: [`configure_writer`]).
pub fn has_quote_days(db: &Connection) -> Result<bool> {
    let n: i64 = db.query_row(
        "SELECT count(*) FROM pragma_table_info('quotes') WHERE name = 'day_lo'",
        [],
        |r| r.get(0),
    )?;
    Ok(n > 0)
}

/// Brings a store written by an older Vigie of the same layout up to this one, in one
/// transaction (a crash leaves it as it was): the quotes get their document's days (from
/// `docs`, where they are stored) and the indexes that read them in order.
fn migrate(db: &Connection) -> Result<()> {
    let tx = rusqlite::Transaction::new_unchecked(db, rusqlite::TransactionBehavior::Immediate)?;
    if !has_quote_days(&tx)? {
        tx.execute_batch(
            "ALTER TABLE quotes ADD COLUMN day_lo INTEGER;
             ALTER TABLE quotes ADD COLUMN day_hi INTEGER;
             UPDATE quotes SET (day_lo, day_hi) =
                 (SELECT d.day_lo, d.day_hi FROM docs d WHERE d.seq = quotes.seq);",
        )?;
    }
    tx.execute_batch(QUOTE_INDEXES)?;
    tx.commit()?;
    Ok(())
}

/// The fact tables keyed by document version (`seq`), cleared when a version is superseded or
/// re-analysed.
pub const FACT_TABLES: [&str; 7] = [
    "entities",
    "actors",
    "quotes",
    "quote_tags",
    "stances",
    "narratives",
    "facets",
];

fn pragmas(db: &Connection) -> Result<()> {
    db.busy_timeout(std::time::Duration::from_secs(30))?;
    db.pragma_update(None, "cache_size", -65_536)?;
    register_functions(db)
}

thread_local! {
    /// The last text inflated on this thread, by the hash of its compressed bytes (for
    /// `vigie_text`).
    static LAST_TEXT: std::cell::RefCell<(u64, std::rc::Rc<String>)> = Default::default();
    /// The text `vigie_span` reads, as far as the spans asked of it so far: the span rows of
    /// one document come together, and inflate it once, no further than its last span.
    static SPAN_TEXT: std::cell::RefCell<SpanText> = Default::default();
}

fn inflate_cached(blob: &[u8]) -> Result<std::rc::Rc<String>> {
    let h = twox_hash::XxHash3_64::oneshot(blob);
    if let Some(hit) =
        LAST_TEXT.with_borrow(|(k, text)| (*k == h && !text.is_empty()).then(|| text.clone()))
    {
        return Ok(hit);
    }
    let text = std::rc::Rc::new(crate::facts::decompress_text(blob)?);
    LAST_TEXT.set((h, text.clone()));
    Ok(text)
}

/// A stored text read only as far as needed, with the byte offset of each character read.
#[derive(Default)]
struct SpanText {
    key: Option<u64>,
    inflater: crate::query::Inflater,
    /// Byte offset of each character of what is read.
    starts: Vec<usize>,
}

impl SpanText {
    /// The text of characters `start..end` of the text deflated in `blob` (`None` when the
    /// offsets are not in the text).
    fn span(&mut self, blob: &[u8], start: usize, end: usize) -> Result<Option<String>> {
        let key = twox_hash::XxHash3_64::oneshot(blob);
        if self.key != Some(key) {
            self.key = Some(key);
            self.inflater.start(blob);
            self.starts.clear();
        }
        // Read on until character `end` is known (a character takes at most 4 bytes).
        while self.starts.len() <= end && !self.inflater.whole() {
            let want = (end + 1 - self.starts.len())
                .saturating_mul(4)
                .saturating_add(self.inflater.text().len() + 256);
            self.inflater.read(want)?;
            let text = self.inflater.text();
            let from = self.starts.last().map_or(0, |&b| {
                b + text[b..].chars().next().map_or(0, char::len_utf8)
            });
            self.starts
                .extend(text[from..].char_indices().map(|(i, _)| from + i));
        }
        let text = self.inflater.text();
        let at = |i: usize| match self.starts.get(i) {
            Some(&b) => Some(b),
            None if i == self.starts.len() && self.inflater.whole() => Some(text.len()),
            None => None,
        };
        Ok(match (at(start), at(end)) {
            (Some(s), Some(e)) if s <= e => Some(text[s..e].to_string()),
            _ => None,
        })
    }
}

fn register_functions(db: &Connection) -> Result<()> {
    use rusqlite::functions::FunctionFlags;
    let flags = FunctionFlags::SQLITE_UTF8 | FunctionFlags::SQLITE_DETERMINISTIC;
    let err = |e: Error| rusqlite::Error::UserFunctionError(Box::new(e));
    db.create_scalar_function("vigie_text", 1, flags, move |ctx| {
        let blob = ctx.get_raw(0).as_blob_or_null()?.unwrap_or_default();
        Ok(inflate_cached(blob).map_err(err)?.to_string())
    })?;
    db.create_scalar_function("vigie_span", 3, flags, move |ctx| {
        let blob = ctx.get_raw(0).as_blob_or_null()?.unwrap_or_default();
        let (start, end): (i64, i64) = (ctx.get(1)?, ctx.get(2)?);
        let (Ok(start), Ok(end)) = (usize::try_from(start), usize::try_from(end)) else {
            return Ok(None);
        };
        SPAN_TEXT
            .with_borrow_mut(|t| t.span(blob, start, end))
            .map_err(err)
    })?;
    Ok(())
}

/// Bytes of the database file a reading connection maps into memory.
const READER_MMAP: i64 = 1 << 30;

/// Settings for a reading connection.
pub fn configure_reader(db: &Connection) -> Result<()> {
    pragmas(db)?;
    db.pragma_update(None, "query_only", true)?;
    // Pages are read in place from the mapped file instead of being copied into the
    // connection's cache (a search reads a few hundred of them).
    db.pragma_update(None, "mmap_size", READER_MMAP)?;
    Ok(())
}

/// Settings for the writing connection, and the schema (created when absent).
pub fn configure_writer(db: &Connection) -> Result<()> {
    pragmas(db)?;
    check_writable(db)?;
    // 16 KiB pages (set before the first table, fixed afterwards): a document row (about 3 KiB
    // of compressed text and analysis) wastes a fifth of a 4 KiB page, a twentieth of these.
    db.pragma_update(None, "page_size", 16_384)?;
    // WAL: readers go on while a batch is written; a committed batch survives a process crash.
    let mode: String = db.pragma_update_and_check(None, "journal_mode", "wal", |r| r.get(0))?;
    if !mode.eq_ignore_ascii_case("wal") {
        return Err(Error::msg(format!(
            "the database refused WAL journaling (mode {mode}): is the store on a network file system?"
        )));
    }
    db.pragma_update(None, "synchronous", "normal")?;
    db.execute_batch(SCHEMA)?;
    let format: Option<String> = db
        .query_row("SELECT value FROM meta WHERE key = 'format'", [], |r| {
            r.get(0)
        })
        .ok();
    if format.is_none() {
        db.execute(
            "INSERT INTO meta (key, value) VALUES ('format', ?1), ('rev', '0')",
            [FORMAT],
        )?;
    }
    check_version(db)?;
    migrate(db)
}

/// Refuses a database that is not a Vigie store, or a store of another layout. It only reads,
/// and takes no lock: the store's writer checks it before waiting for the store.
pub fn check_writable(db: &Connection) -> Result<()> {
    // A database that is not a Vigie store (tables, but no `meta` table) is left untouched.
    let tables: i64 = db.query_row(
        "SELECT count(*) FROM sqlite_master WHERE type = 'table'",
        [],
        |r| r.get(0),
    )?;
    let has_meta: i64 = db.query_row(
        "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'meta'",
        [],
        |r| r.get(0),
    )?;
    if tables > 0 && has_meta == 0 {
        return Err(Error::msg(
            "this database is not a Vigie store (it has tables of its own): choose another --store",
        ));
    }
    if has_meta == 1 {
        check_version(db)?;
    }
    Ok(())
}

/// Refuses a store written with another layout.
pub fn check_version(db: &Connection) -> Result<()> {
    let format: String = db
        .query_row("SELECT value FROM meta WHERE key = 'format'", [], |r| {
            r.get(0)
        })
        .map_err(|e| Error::ctx("reading the store format (is this a Vigie store?)", e))?;
    if format != FORMAT {
        return Err(Error::msg(format!(
            "this store has layout {format:?}; this Vigie reads {FORMAT:?}"
        )));
    }
    Ok(())
}
