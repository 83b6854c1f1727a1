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
mod guard;
mod ingest;
mod openapi;
mod pool;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

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
    /// Requests per second allowed to one client address (bursts of twice as many); 0 turns
    /// the limit off.
    pub rate_limit: u32,
    /// Bytes of inflated article texts kept for search snippets (0: none).
    pub text_cache: usize,
    /// The analysis pipeline for posted documents.
    pub analyzer: Analyzer,
}

/// Default largest request body: 32 MiB.
pub const DEFAULT_MAX_BODY: usize = 32 << 20;

/// Default memory for inflated article texts: 64 MiB.
pub const DEFAULT_TEXT_CACHE: usize = 64 << 20;

/// Default requests per second per client address.
pub const DEFAULT_RATE_LIMIT: u32 = 500;

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
    pub limiter: guard::RateLimiter,
    pub loopback: bool,
    pub analyzer: Analyzer,
}

/// Builds the application: API, OpenAPI document and dashboard, with the guards.
fn app(config: Config) -> Result<(axum::Router, Arc<AppState>), String> {
    let pool = pool::Pool::new(config.store.clone(), config.text_cache);
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
pub fn run(config: Config, on_ready: impl FnOnce(SocketAddr)) -> Result<(), String> {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .thread_name("vigie-http")
        .build()
        .map_err(|e| format!("starting the server: {e}"))?;
    rt.block_on(async move {
        let addr = config.addr;
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
        axum::serve(
            listener,
            app.into_make_service_with_connect_info::<SocketAddr>(),
        )
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await
        .map_err(|e| format!("serving on {bound}: {e}"))
    })
}
