//! Vigie's HTTP server: a JSON API over every corpus query, ingestion over HTTP, an OpenAPI
//! document at `/api/openapi.json` and the web dashboard, all from one binary.
//!
//! Reads run on a small pool of read-only [`Store`] handles, on blocking threads, so a search
//! never waits on another and keeps working while an ingest writes (SQLite in WAL mode, the
//! full-text index reloaded on commit). Writes (`POST /api/documents`) need the token, go one
//! at a time, and are refused while another program writes the store.
//!
//! Security: the server binds to loopback unless told otherwise, and then only answers requests
//! addressed to a loopback host name (against DNS rebinding); every parameter is validated
//! (4xx with a JSON message); bodies and request rates are limited; the dashboard builds its
//! pages from text nodes and is served with a strict content security policy.

#![warn(missing_docs)]

mod api;
mod assets;
mod conns;
mod guard;
mod ingest;
mod lanes;
mod openapi;
mod pool;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

pub use ingest::{ingest_bytes, IngestReport, Input, RecordError};
pub use openapi::openapi_json;
pub use vigie_io::Format;

/// What the server needs to analyse documents posted to `POST /api/documents`.
pub struct Analyzer {
    /// The analysis pipeline (the same as `vigie ingest` builds).
    pub pipeline: vigie_nlp::Pipeline,
    /// What the analyses are recorded as produced by (Vigie version, layers, codebooks).
    pub analyzed_by: String,
}

/// Server settings.
pub struct Config {
    /// The store directory.
    pub store: PathBuf,
    /// Address to listen on (port 0 picks a free port).
    pub addr: SocketAddr,
    /// Token that write requests must carry (`Authorization: Bearer TOKEN`); without one,
    /// writes are refused.
    pub token: Option<String>,
    /// Largest request body accepted, in bytes.
    pub max_body: usize,
    /// Largest size a gzipped request body may inflate to, in bytes: past it the request is
    /// refused whole (413).
    pub max_inflated: usize,
    /// Requests per second allowed to one client address (bursts of twice as many); 0 turns
    /// the limit off.
    pub rate_limit: u32,
    /// Memory the server aims to stay within, in bytes: the caches are sized from it.
    pub memory: usize,
    /// Bytes of inflated article texts kept for search snippets (0: none); `None`: a share of
    /// [`Config::memory`].
    pub text_cache: Option<usize>,
    /// Time a client has to send a request's headers, and that an open connection may stay
    /// idle between requests.
    pub header_timeout: Duration,
    /// Time a client has to send a request's body.
    pub body_timeout: Duration,
    /// Connections open at once, at most.
    pub max_connections: usize,
    /// Called to give freed memory back to the system after large requests and when the
    /// server falls idle (the allocator's own call, such as mimalloc's `mi_collect`).
    pub release_memory: Option<fn()>,
    /// The analysis pipeline for posted documents.
    pub analyzer: Analyzer,
}

/// Default largest request body: 32 MiB.
pub const DEFAULT_MAX_BODY: usize = 32 << 20;

/// Default largest inflated size of a gzipped body: 256 MiB.
pub const DEFAULT_MAX_INFLATED: usize = 256 << 20;

/// Default memory the server aims to stay within: 1 GiB.
pub const DEFAULT_MEMORY: usize = 1 << 30;

/// Default requests per second per client address.
pub const DEFAULT_RATE_LIMIT: u32 = 500;

/// Default time to send a request's headers (and to stay idle between requests): 10 s.
pub const DEFAULT_HEADER_TIMEOUT: Duration = Duration::from_secs(10);

/// Default time to send a request's body: 60 s.
pub const DEFAULT_BODY_TIMEOUT: Duration = Duration::from_secs(60);

/// Default cap on open connections.
pub const DEFAULT_MAX_CONNECTIONS: usize = 512;

/// How long Ctrl-C waits for the requests under way before the server stops anyway.
pub const SHUTDOWN_GRACE: Duration = Duration::from_secs(5);

/// How the memory budget is shared: the page cache of the SQLite handles, the inflated
/// texts, the handles kept idle.
fn memory_plan(memory: usize, text_cache: Option<usize>) -> pool::PoolMemory {
    let mib = (memory >> 20).max(64);
    // A handle costs some MiB besides its page cache (statements, the index reader).
    let idle = (mib / 128).clamp(2, 8);
    // A quarter for the SQLite caches of the handles (idle ones and the cheap lane's).
    let handles = idle + 2 * std::thread::available_parallelism().map_or(2, |n| n.get());
    let sqlite_cache_kib = (mib * 1024 / 4 / handles).clamp(1024, 64 * 1024);
    pool::PoolMemory {
        text_cache: text_cache.unwrap_or(memory / 16),
        idle,
        sqlite_cache_kib,
    }
}

/// A running server's shared state.
pub(crate) struct AppState {
    pub pool: Arc<pool::Pool>,
    /// Facet lists and networks.
    pub cache: pool::Cache,
    /// Reprint clusters, apart: many cheap answers must not evict them.
    pub reprint_cache: pool::Cache,
    /// The work done ahead ([`api::warm_up`]): 0 idle, 1 running, 2 running and asked again.
    pub warming: std::sync::atomic::AtomicU8,
    /// One write at a time, held by the blocking ingestion itself.
    pub write_lock: std::sync::Mutex<()>,
    pub token: Option<String>,
    pub max_body: usize,
    pub max_inflated: usize,
    pub body_timeout: Duration,
    /// Gives freed memory back to the system.
    pub release_memory: Option<fn()>,
    pub limiter: guard::RateLimiter,
    pub loopback: bool,
    pub analyzer: Analyzer,
}

/// Gives the memory freed after a large request back to the system: SQLite's (the C
/// allocator's, trimmed) and the Rust allocator's ([`Config::release_memory`]). Blocks (the
/// hook may wait for the rayon threads): call it from a blocking thread.
pub(crate) fn release_memory(st: &AppState) {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only releases free memory of the C allocator.
    unsafe {
        libc::malloc_trim(0);
    }
    if let Some(release) = st.release_memory {
        release();
    }
}

/// Builds the application: API, OpenAPI document and dashboard, with the guards.
fn app(config: Config) -> Result<(axum::Router, Arc<AppState>), String> {
    let pool = pool::Pool::new(
        config.store.clone(),
        memory_plan(config.memory, config.text_cache),
    );
    // Fail now, with the store's own message, rather than on the first request.
    pool.check().map_err(|e| e.to_string())?;
    let state = Arc::new(AppState {
        pool: Arc::new(pool),
        cache: pool::Cache::new(512),
        reprint_cache: pool::Cache::new(16),
        warming: Default::default(),
        write_lock: std::sync::Mutex::new(()),
        token: config.token.filter(|t| !t.is_empty()),
        max_body: config.max_body,
        max_inflated: config.max_inflated,
        body_timeout: config.body_timeout,
        release_memory: config.release_memory,
        limiter: guard::RateLimiter::new(config.rate_limit),
        loopback: config.addr.ip().is_loopback(),
        analyzer: config.analyzer,
    });
    let router = api::routes(state.clone()).merge(assets::routes()).layer(
        axum::middleware::from_fn_with_state(state.clone(), guard::guard),
    );
    Ok((router, state))
}

/// Runs the server until Ctrl-C (or the process is stopped). `on_ready` receives the address
/// actually bound (useful with port 0) once the server accepts connections.
///
/// On Ctrl-C the server stops accepting connections, closes the idle ones, lets the requests
/// under way finish for at most [`SHUTDOWN_GRACE`] and returns (a second Ctrl-C returns at
/// once).
pub fn run(config: Config, on_ready: impl FnOnce(SocketAddr)) -> Result<(), String> {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .thread_name("vigie-http")
        .build()
        .map_err(|e| format!("starting the server: {e}"))?;
    let out = rt.block_on(async move {
        let addr = config.addr;
        let limits = conns::Limits {
            header_timeout: config.header_timeout,
            max_connections: conns::usable_connections(config.max_connections),
        };
        let (app, state) = app(config)?;
        let listener = tokio::net::TcpListener::bind(addr)
            .await
            .map_err(|e| format!("listening on {addr}: {e}"))?;
        let bound = listener
            .local_addr()
            .map_err(|e| format!("listening on {addr}: {e}"))?;
        // The reprint clusters take seconds on a large store: compute the default ones now.
        api::warm_up_soon(&state);
        on_ready(bound);
        conns::serve(listener, app, limits, state, async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await;
        Ok(())
    });
    // Queries still running on blocking threads are abandoned (the store is only read; a
    // write cut short is rolled back at the next open).
    rt.shutdown_timeout(Duration::from_millis(500));
    out
}
