//! Read-only store handles shared by the requests, and a cache of the costly aggregates.

use rustc_hash::FxHashMap;
use std::any::Any;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use tokio::sync::Semaphore;
use vigie_store::{Store, TextCache};

/// Store handles kept open between requests.
const IDLE: usize = 8;

/// Queries running at once: twice the cores. A query is CPU-bound: more at once would only
/// share the cores and stretch every answer, while the others wait their turn in order.
fn running() -> usize {
    2 * std::thread::available_parallelism().map_or(2, |n| n.get())
}

/// A pool of read-only store handles. A handle is a SQLite connection and a full-text index
/// reader, each `Send` but not `Sync`: a request takes one, runs on a blocking thread, and
/// gives it back.
pub struct Pool {
    dir: PathBuf,
    /// Idle handles, with the write generation they have seen.
    idle: Mutex<Vec<(Store, u64)>>,
    running: Arc<Semaphore>,
    /// Bumped by every write this server makes.
    generation: AtomicU64,
    /// The texts searches have inflated, shared by the handles.
    texts: Option<Arc<TextCache>>,
}

/// A failed query: the store's message, or a request the store itself found invalid.
pub enum QueryError {
    /// The request is wrong (400).
    Bad(String),
    /// The store failed (500).
    Store(vigie_store::Error),
}

impl From<vigie_store::Error> for QueryError {
    fn from(e: vigie_store::Error) -> Self {
        QueryError::Store(e)
    }
}

impl Pool {
    /// A pool over the store in `dir` (opened lazily), keeping up to `text_cache` bytes of
    /// inflated texts (0: none).
    pub fn new(dir: PathBuf, text_cache: usize) -> Pool {
        Pool {
            dir,
            idle: Mutex::new(Vec::new()),
            running: Arc::new(Semaphore::new(running())),
            generation: AtomicU64::new(0),
            texts: (text_cache > 0).then(|| Arc::new(TextCache::new(text_cache))),
        }
    }

    fn open(&self) -> vigie_store::Result<Store> {
        let mut s = Store::open(&self.dir)?;
        if let Some(texts) = &self.texts {
            s.set_text_cache(texts.clone());
        }
        Ok(s)
    }

    /// The store directory.
    pub fn dir(&self) -> &std::path::Path {
        &self.dir
    }

    /// Opens one handle, to report a missing or unreadable store at start-up.
    pub fn check(&self) -> vigie_store::Result<()> {
        let s = self.open()?;
        self.put(s, self.generation.load(Ordering::Acquire));
        Ok(())
    }

    /// Records that this server has written the store: the handles taken from now on see
    /// the write at once in their full-text index.
    pub fn written(&self) {
        self.generation.fetch_add(1, Ordering::AcqRel);
    }

    fn take(&self) -> vigie_store::Result<(Store, u64)> {
        let now = self.generation.load(Ordering::Acquire);
        let got = self.idle.lock().unwrap_or_else(|p| p.into_inner()).pop();
        match got {
            Some((s, seen)) if seen == now => Ok((s, now)),
            Some((s, _)) => {
                s.refresh()?;
                Ok((s, now))
            }
            None => Ok((self.open()?, now)),
        }
    }

    fn put(&self, s: Store, seen: u64) {
        let mut idle = self.idle.lock().unwrap_or_else(|p| p.into_inner());
        if idle.len() < IDLE {
            idle.push((s, seen));
        }
    }

    /// Runs `f` on a store handle, on this thread.
    pub fn with_store<T>(
        &self,
        f: impl FnOnce(&Store) -> Result<T, QueryError>,
    ) -> Result<T, QueryError> {
        let (store, seen) = self.take()?;
        let out = f(&store);
        self.put(store, seen);
        out
    }

    /// Runs `f` on a store handle on a blocking thread.
    pub async fn run<T, F>(self: &Arc<Self>, f: F) -> Result<T, QueryError>
    where
        T: Send + 'static,
        F: FnOnce(&Store) -> Result<T, QueryError> + Send + 'static,
    {
        // The permit goes with the query: a client that hangs up does not free a place while
        // its query still runs.
        let permit = self
            .running
            .clone()
            .acquire_owned()
            .await
            .map_err(|_| QueryError::Bad("the server is shutting down".into()))?;
        let pool = self.clone();
        tokio::task::spawn_blocking(move || {
            let _permit = permit;
            pool.with_store(f)
        })
        .await
        .unwrap_or_else(|e| {
            Err(QueryError::Store(vigie_store::Error::msg(format!(
                "the query failed: {e}"
            ))))
        })
    }
}

/// Answers of the costly queries (reprint clusters, facet lists, the network), keyed by
/// request and valid for one store revision.
pub struct Cache {
    map: Mutex<FxHashMap<String, CacheEntry>>,
    capacity: usize,
}

type CacheEntry = (i64, Arc<dyn Any + Send + Sync>);

impl Cache {
    /// A cache of at most `capacity` answers.
    pub fn new(capacity: usize) -> Cache {
        Cache {
            map: Mutex::default(),
            capacity,
        }
    }

    /// The answer to `key` at revision `rev`, if computed.
    pub fn get<T: Send + Sync + 'static>(&self, key: &str, rev: i64) -> Option<Arc<T>> {
        let map = self.map.lock().unwrap_or_else(|p| p.into_inner());
        let (r, v) = map.get(key)?;
        (*r == rev).then(|| v.clone().downcast::<T>().ok())?
    }

    /// Remembers the answer to `key` at revision `rev`.
    pub fn put<T: Send + Sync + 'static>(&self, key: String, rev: i64, value: Arc<T>) {
        let mut map = self.map.lock().unwrap_or_else(|p| p.into_inner());
        if map.len() >= self.capacity {
            map.retain(|_, (r, _)| *r == rev);
            if map.len() >= self.capacity {
                map.clear();
            }
        }
        map.insert(key, (rev, value));
    }

    /// The cached answer to `key` for the store's current revision, or `compute`'s (cached).
    pub fn get_or<T: Send + Sync + 'static>(
        &self,
        store: &Store,
        key: String,
        compute: impl FnOnce() -> Result<T, QueryError>,
    ) -> Result<Arc<T>, QueryError> {
        let rev = store.revision()?;
        if let Some(hit) = self.get::<T>(&key, rev) {
            return Ok(hit);
        }
        let value = Arc::new(compute()?);
        self.put(key, rev, value.clone());
        Ok(value)
    }
}
