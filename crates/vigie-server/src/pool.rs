//! Read-only store handles shared by the requests, the lanes queries wait in, and a cache of
//! the costly aggregates.

use crate::lanes::{Lane, Place};
use rustc_hash::FxHashMap;
use std::any::Any;
use std::net::IpAddr;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use vigie_store::{Store, TextCache};

fn cores() -> usize {
    std::thread::available_parallelism().map_or(2, |n| n.get())
}

/// Which lane a query waits in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cost {
    /// Answered in milliseconds (search, a document, quotes, trends, the stats, a cached
    /// aggregate).
    Cheap,
    /// Seconds at worst (an aggregate computed afresh): apart, so that the cheap ones never
    /// wait behind them.
    Costly,
}

/// How the pool uses memory.
#[derive(Clone, Copy, Debug)]
pub struct PoolMemory {
    /// Bytes of inflated article texts kept for search snippets (0: none).
    pub text_cache: usize,
    /// Store handles kept open between requests.
    pub idle: usize,
    /// SQLite page cache of each handle, in KiB.
    pub sqlite_cache_kib: usize,
}

/// A pool of read-only store handles. A handle is a SQLite connection and a full-text index
/// reader, each `Send` but not `Sync`: a request takes one, runs on a blocking thread, and
/// gives it back.
pub struct Pool {
    dir: PathBuf,
    /// Idle handles, with the write generation they have seen.
    idle: Mutex<Vec<(Store, u64)>>,
    /// Handles kept idle at most.
    max_idle: usize,
    /// SQLite page cache of each handle, in KiB.
    sqlite_cache_kib: usize,
    /// Cheap queries: twice the cores (a query is CPU-bound: more at once would only share
    /// the cores and stretch every answer), one client holding at most all but one.
    cheap: Arc<Lane>,
    /// Costly queries: as many as the cores, one client holding at most half of them.
    costly: Arc<Lane>,
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
    /// A pool over the store in `dir` (opened lazily), using memory as `mem` says.
    pub fn new(dir: PathBuf, mem: PoolMemory) -> Pool {
        let cheap = 2 * cores();
        let costly = cores().max(2);
        Pool {
            dir,
            idle: Mutex::new(Vec::new()),
            max_idle: mem.idle.max(1),
            sqlite_cache_kib: mem.sqlite_cache_kib,
            cheap: Lane::new(cheap, cheap - 1),
            costly: Lane::new(costly, costly / 2),
            generation: AtomicU64::new(0),
            texts: (mem.text_cache > 0).then(|| Arc::new(TextCache::new(mem.text_cache))),
        }
    }

    /// The lane of queries of this cost.
    fn lane(&self, cost: Cost) -> &Arc<Lane> {
        match cost {
            Cost::Cheap => &self.cheap,
            Cost::Costly => &self.costly,
        }
    }

    /// Waits for a place in the lane of `cost` for `client`.
    pub async fn enter(&self, cost: Cost, client: IpAddr) -> Place {
        self.lane(cost).enter(client).await
    }

    fn open(&self) -> vigie_store::Result<Store> {
        let mut s = Store::open(&self.dir)?;
        // The page cache also bounds the memory of SQLite's sorts (quotes newest first).
        s.db()
            .pragma_update(None, "cache_size", -(self.sqlite_cache_kib.max(64) as i64))
            .map_err(|e| vigie_store::Error::ctx("setting the SQLite cache size", e))?;
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
        if idle.len() < self.max_idle {
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

    /// Runs `f` on a store handle on a blocking thread, once `client` has a place in the
    /// lane of `cost`.
    pub async fn run<T, F>(
        self: &Arc<Self>,
        cost: Cost,
        client: IpAddr,
        f: F,
    ) -> Result<T, QueryError>
    where
        T: Send + 'static,
        F: FnOnce(&Store) -> Result<T, QueryError> + Send + 'static,
    {
        // The place goes with the query: a client that hangs up does not free it while its
        // query still runs.
        let place = self.enter(cost, client).await;
        let pool = self.clone();
        tokio::task::spawn_blocking(move || {
            let _place = place;
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
/// request and valid for one store revision. A computation runs once: callers asking for the
/// same answer meanwhile wait for it (single flight).
pub struct Cache {
    map: Mutex<FxHashMap<String, Slot>>,
    capacity: usize,
}

type Value = Arc<dyn Any + Send + Sync>;

enum Slot {
    Ready(i64, Value),
    Running(i64, Arc<Flight>),
}

/// A computation under way, which other callers wait for.
#[derive(Default)]
struct Flight {
    /// The outcome: the value, or the error (whether the request was at fault, the message).
    done: Mutex<Option<Result<Value, (bool, String)>>>,
    ready: Condvar,
}

impl Flight {
    fn finish(&self, outcome: Result<Value, (bool, String)>) {
        *self.done.lock().unwrap_or_else(|p| p.into_inner()) = Some(outcome);
        self.ready.notify_all();
    }

    fn wait(&self) -> Result<Value, (bool, String)> {
        let mut done = self.done.lock().unwrap_or_else(|p| p.into_inner());
        loop {
            if let Some(outcome) = &*done {
                return outcome.clone();
            }
            done = self.ready.wait(done).unwrap_or_else(|p| p.into_inner());
        }
    }
}

/// Ends a flight whose computation panicked, so that its waiters do not wait forever.
struct Landing<'a> {
    cache: &'a Cache,
    key: &'a str,
    flight: &'a Arc<Flight>,
    landed: bool,
}

impl Drop for Landing<'_> {
    fn drop(&mut self) {
        if !self.landed {
            self.cache.forget(self.key, self.flight);
            self.flight
                .finish(Err((false, "the computation failed".to_string())));
        }
    }
}

impl Cache {
    /// A cache of at most `capacity` answers.
    pub fn new(capacity: usize) -> Cache {
        Cache {
            map: Mutex::default(),
            capacity: capacity.max(1),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, FxHashMap<String, Slot>> {
        self.map.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The answer to `key` at revision `rev`, if computed.
    pub fn get<T: Send + Sync + 'static>(&self, key: &str, rev: i64) -> Option<Arc<T>> {
        match self.lock().get(key)? {
            Slot::Ready(r, v) if *r == rev => v.clone().downcast::<T>().ok(),
            _ => None,
        }
    }

    /// The cached answer to `key` for `store`'s current revision, if computed.
    pub fn peek<T: Send + Sync + 'static>(
        &self,
        store: &Store,
        key: &str,
    ) -> Result<Option<Arc<T>>, QueryError> {
        Ok(self.get(key, store.revision()?))
    }

    /// Removes the flight of `key` if it is still `flight`.
    fn forget(&self, key: &str, flight: &Arc<Flight>) {
        let mut map = self.lock();
        if matches!(map.get(key), Some(Slot::Running(_, f)) if Arc::ptr_eq(f, flight)) {
            map.remove(key);
        }
    }

    /// Remembers the answer to `key` at revision `rev`. The answers of older revisions go
    /// (the revision only grows: no one will ask for them again), then, to make room, every
    /// other answer (computations under way stay).
    fn put(&self, key: &str, rev: i64, value: Value) {
        let mut map = self.lock();
        map.insert(key.to_string(), Slot::Ready(rev, value));
        map.retain(|_, slot| match slot {
            Slot::Ready(r, _) => *r >= rev,
            Slot::Running(..) => true,
        });
        if map.len() > self.capacity {
            map.retain(|k, slot| matches!(slot, Slot::Running(..)) || k == key);
        }
    }

    /// The cached answer to `key` for the store's current revision, or `compute`'s (cached).
    /// While it computes, other callers of the same key and revision wait for its answer
    /// instead of computing it again.
    pub fn get_or<T: Send + Sync + 'static>(
        &self,
        store: &Store,
        key: String,
        compute: impl FnOnce() -> Result<T, QueryError>,
    ) -> Result<Arc<T>, QueryError> {
        self.get_or_at(store.revision()?, key, compute)
    }

    /// [`Cache::get_or`] at revision `rev`.
    fn get_or_at<T: Send + Sync + 'static>(
        &self,
        rev: i64,
        key: String,
        compute: impl FnOnce() -> Result<T, QueryError>,
    ) -> Result<Arc<T>, QueryError> {
        let flight = {
            let mut map = self.lock();
            match map.get(&key) {
                Some(Slot::Ready(r, v)) if *r == rev => {
                    if let Ok(v) = v.clone().downcast::<T>() {
                        return Ok(v);
                    }
                    None
                }
                Some(Slot::Running(r, f)) if *r == rev => Some(f.clone()),
                _ => None,
            }
            .map(Err)
            .unwrap_or_else(|| {
                let f = Arc::new(Flight::default());
                map.insert(key.clone(), Slot::Running(rev, f.clone()));
                Ok(f)
            })
        };
        let flight = match flight {
            // Another caller computes it: wait for its answer.
            Err(theirs) => {
                return match theirs.wait() {
                    Ok(v) => v
                        .downcast::<T>()
                        .map_err(|_| QueryError::Store(vigie_store::Error::msg("cache type"))),
                    Err((true, m)) => Err(QueryError::Bad(m)),
                    Err((false, m)) => Err(QueryError::Store(vigie_store::Error::msg(m))),
                }
            }
            Ok(mine) => mine,
        };
        let mut landing = Landing {
            cache: self,
            key: &key,
            flight: &flight,
            landed: false,
        };
        let out = compute();
        landing.landed = true;
        match out {
            Ok(v) => {
                let v = Arc::new(v);
                self.put(&key, rev, v.clone());
                flight.finish(Ok(v.clone()));
                Ok(v)
            }
            Err(e) => {
                self.forget(&key, &flight);
                let shared = match &e {
                    QueryError::Bad(m) => (true, m.clone()),
                    QueryError::Store(s) => (s.is_invalid(), s.to_string()),
                };
                flight.finish(Err(shared));
                Err(e)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::AtomicUsize;
    use std::time::Duration;

    #[test]
    fn concurrent_callers_share_one_computation() {
        let cache = Arc::new(Cache::new(4));
        let runs = Arc::new(AtomicUsize::new(0));
        let threads: Vec<_> = (0..8)
            .map(|_| {
                let (cache, runs) = (cache.clone(), runs.clone());
                std::thread::spawn(move || {
                    cache
                        .get_or_at(7, "k".into(), || {
                            runs.fetch_add(1, Ordering::SeqCst);
                            std::thread::sleep(Duration::from_millis(100));
                            Ok(42u32)
                        })
                        .map(|v| *v)
                        .unwrap_or(0)
                })
            })
            .collect();
        for t in threads {
            assert_eq!(t.join().unwrap(), 42);
        }
        assert_eq!(runs.load(Ordering::SeqCst), 1);
        // A new revision computes again.
        let v = cache
            .get_or_at(8, "k".into(), || Ok(43u32))
            .unwrap_or_else(|_| panic!());
        assert_eq!(*v, 43);
    }

    #[test]
    fn waiters_share_the_error_and_the_next_call_retries() {
        let cache = Arc::new(Cache::new(4));
        let c2 = cache.clone();
        let leader = std::thread::spawn(move || {
            c2.get_or_at::<u32>(1, "k".into(), || {
                std::thread::sleep(Duration::from_millis(100));
                Err(QueryError::Bad("no such threshold".into()))
            })
            .is_err()
        });
        std::thread::sleep(Duration::from_millis(20));
        match cache.get_or_at::<u32>(1, "k".into(), || Ok(1)) {
            Err(QueryError::Bad(m)) => assert_eq!(m, "no such threshold"),
            _ => panic!("the waiter gets the leader's error"),
        }
        assert!(leader.join().unwrap());
        let v = cache
            .get_or_at(1, "k".into(), || Ok(5u32))
            .unwrap_or_else(|_| panic!());
        assert_eq!(*v, 5);
    }

    #[test]
    fn a_panicking_computation_frees_its_waiters() {
        let cache = Arc::new(Cache::new(4));
        let c2 = cache.clone();
        let leader = std::thread::spawn(move || {
            let _ = c2.get_or_at::<u32>(1, "k".into(), || {
                std::thread::sleep(Duration::from_millis(100));
                panic!("boom")
            });
        });
        std::thread::sleep(Duration::from_millis(20));
        assert!(cache.get_or_at::<u32>(1, "k".into(), || Ok(1)).is_err());
        assert!(leader.join().is_err());
        assert!(cache.get_or_at::<u32>(1, "k".into(), || Ok(2)).is_ok());
    }

    #[test]
    fn the_cache_keeps_at_most_its_capacity() {
        let cache = Cache::new(3);
        for i in 0..10 {
            let _ = cache.get_or_at(1, format!("k{i}"), || Ok(i));
            assert!(cache.lock().len() <= 3);
        }
        assert_eq!(cache.get::<i32>("k9", 1).map(|v| *v), Some(9));
        assert!(cache.get::<i32>("k9", 2).is_none());
        // An answer of a newer revision frees those of the older ones.
        let _ = cache.get_or_at(2, "new".into(), || Ok(0));
        assert_eq!(cache.lock().len(), 1);
    }
}
