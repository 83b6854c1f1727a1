//! Vigie's corpus store: one directory on disk, no server.
//!
//! ```text
//! vigie-data/
//!   vigie.sqlite   documents (every version, text and compressed analysis), tidy fact tables
//!                  (entities, actors, quotes, stances, narratives, facets) and MinHash signatures
//!   index/         tantivy full-text index of the latest version of each document
//! ```
//!
//! SQLite is the source of truth. Each ingest batch is one SQLite transaction, so a crash
//! (even `kill -9`) loses at most the batch in flight. The full-text index follows it: every
//! stored version carries a revision number (`rev`), and each index commit records the highest
//! revision it holds. Opening the store for writing (ingest, reanalyze, check) first brings the
//! index up to date from SQLite, so the two always agree again after a crash. Readers (search,
//! serve) use SQLite's WAL mode and tantivy's committed segments, and work during an ingest.

#![warn(missing_docs)]

pub mod browse;
mod error;
pub mod export;
mod facts;
mod index;
pub mod minhash;
mod query;
pub mod reprints;
mod schema;
mod texts;
mod write;

pub use error::{Error, ErrorKind, Result};
pub use facts::{DocFacts, Prepared};
pub use query::{
    check_query, DocView, Facet, FacetCount, Filters, Interval, QuoteHit, QuoteQuery, SearchHit,
    SearchResults, TrendBy, TrendSeries, Trends, VersionInfo, MAX_PAGE, MAX_QUERY_BYTES,
    MAX_QUERY_DEPTH,
};
pub use texts::TextCache;
pub use write::{BatchReport, CheckReport, Writer};

use rusqlite::{Connection, OpenFlags};
use std::path::{Path, PathBuf};

/// The store directory used when none is given and `VIGIE_STORE` is unset.
pub const DEFAULT_STORE: &str = "vigie-data";

/// Name of the SQLite database inside the store directory.
pub const DB_FILE: &str = "vigie.sqlite";

/// Name of the full-text index directory inside the store directory.
pub const INDEX_DIR: &str = "index";

/// The store directory to use: the given one, else `VIGIE_STORE`, else [`DEFAULT_STORE`].
pub fn store_dir(given: Option<&Path>) -> PathBuf {
    match given {
        Some(p) => p.to_path_buf(),
        None => std::env::var_os("VIGIE_STORE")
            .map(PathBuf::from)
            .unwrap_or_else(|| PathBuf::from(DEFAULT_STORE)),
    }
}

/// A store opened for reading: queries run on it while an ingest may be writing.
pub struct Store {
    dir: PathBuf,
    db: Connection,
    index: index::TextIndex,
    /// Facet names already read, while the database is unchanged.
    names: std::cell::RefCell<query::NameCache>,
    /// Texts already inflated, if the caller shares a cache ([`Store::set_text_cache`]).
    texts: Option<std::sync::Arc<TextCache>>,
    /// Whether the quotes hold their days, with the indexes that read them in order (stores
    /// written by an older Vigie lack them until a writer opens them).
    quote_days: bool,
}

impl Store {
    /// Opens an existing store for reading.
    pub fn open(dir: &Path) -> Result<Store> {
        let db_path = dir.join(DB_FILE);
        if !db_path.is_file() {
            return Err(Error::msg(format!(
                "no Vigie store at {} (create one with `vigie ingest SOURCES --store {}`)",
                dir.display(),
                dir.display()
            )));
        }
        let db = Connection::open_with_flags(
            &db_path,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(|e| Error::ctx(format!("opening {}", db_path.display()), e))?;
        schema::configure_reader(&db)?;
        schema::check_version(&db)?;
        let quote_days = schema::has_quote_days(&db)?;
        let index = index::TextIndex::open(&dir.join(INDEX_DIR))?;
        Ok(Store {
            dir: dir.to_path_buf(),
            db,
            index,
            names: Default::default(),
            texts: None,
            quote_days,
        })
    }

    /// Keeps the texts that searches inflate in `cache`, which other handles on the same
    /// store may share (a server's handles do).
    pub fn set_text_cache(&mut self, cache: std::sync::Arc<TextCache>) {
        self.texts = Some(cache);
    }

    /// The store directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Makes the full-text index see the latest commit now (it otherwise follows commits
    /// within a moment): for a caller that has just written the store and reads it back.
    pub fn refresh(&self) -> Result<()> {
        Ok(self.index.reader.reload()?)
    }

    /// The SQLite connection (read-only), for callers that need a query of their own.
    pub fn db(&self) -> &Connection {
        &self.db
    }
}
