//! `vigie serve` (the API and the dashboard over a store) and `vigie demo` (a store built from
//! the bundled sample corpus, then the dashboard over it).

use crate::input::AnalysisArgs;
use crate::store_cmd::StoreArg;
use crate::{EXIT_FATAL, EXIT_OK};
use clap::Args;
use std::net::SocketAddr;
use std::path::Path;
use std::time::{Duration, Instant};
use vigie_server::{Analyzer, Config, Format, Input};

/// How the server listens and what it allows.
#[derive(Args, Debug)]
pub struct ListenArgs {
    /// Address to listen on. The default, loopback, keeps the server to this machine; use
    /// `0.0.0.0:8080` to serve the network (then set a token before allowing writes).
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub addr: SocketAddr,
    /// Token that `POST /api/documents` must carry (`Authorization: Bearer TOKEN`); without
    /// one, the server is read-only.
    #[arg(long, env = "VIGIE_TOKEN", hide_env_values = true)]
    pub token: Option<String>,
    /// Largest request body accepted, in bytes.
    #[arg(long, default_value_t = vigie_server::DEFAULT_MAX_BODY)]
    pub max_body: usize,
    /// Largest size a gzipped body may inflate to, in bytes: past it the request is refused
    /// whole (413) and nothing of it is stored.
    #[arg(long, value_name = "BYTES", default_value_t = vigie_server::DEFAULT_MAX_INFLATED)]
    pub max_inflated: usize,
    /// Requests per second allowed to one client address, in bursts of twice as many (0: no
    /// limit).
    #[arg(long, default_value_t = vigie_server::DEFAULT_RATE_LIMIT)]
    pub rate_limit: u32,
    /// Memory the server aims to stay within, in MiB: the SQLite page cache of each store
    /// handle, the handles kept open and the text cache are sized from it.
    #[arg(long, value_name = "MIB", default_value_t = (vigie_server::DEFAULT_MEMORY >> 20) as u64,
          value_parser = clap::value_parser!(u64).range(64..))]
    pub memory_mb: u64,
    /// Memory for article texts kept inflated between searches, in MiB (0: none; default: a
    /// sixteenth of --memory-mb). Search reads its hits' texts to cut their passages; the
    /// texts are stored deflated.
    #[arg(long, value_name = "MIB")]
    pub text_cache: Option<usize>,
    /// Seconds a client has to send a request's headers; also how long an open connection
    /// may stay idle between requests.
    #[arg(long, value_name = "SECONDS", default_value_t = vigie_server::DEFAULT_HEADER_TIMEOUT.as_secs_f64(),
          value_parser = positive_seconds)]
    pub header_timeout: f64,
    /// Seconds a client has to send a request's body (`POST /api/documents`).
    #[arg(long, value_name = "SECONDS", default_value_t = vigie_server::DEFAULT_BODY_TIMEOUT.as_secs_f64(),
          value_parser = positive_seconds)]
    pub body_timeout: f64,
    /// Connections open at once, at most (lowered to fit the open-file limit). Past it, a
    /// new connection closes the oldest idle one, or gets 503 when all are busy.
    #[arg(long, value_name = "N", default_value_t = vigie_server::DEFAULT_MAX_CONNECTIONS as u64,
          value_parser = clap::value_parser!(u64).range(1..1_000_000))]
    pub max_connections: u64,
}

fn positive_seconds(s: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(v) if v.is_finite() && v > 0.0 && v <= 86_400.0 => Ok(v),
        _ => Err(format!(
            "{s:?} is not a number of seconds between 0 and 86400"
        )),
    }
}

/// Gives the memory mimalloc (the binary's allocator) holds free back to the system: the
/// calling thread's and the analysis threads' (each thread frees its own).
fn release_memory() {
    // SAFETY: mi_collect may be called at any time from any thread.
    let collect = || unsafe { libmimalloc_sys::mi_collect(true) };
    collect();
    rayon::broadcast(|_| collect());
}

/// Arguments of `vigie serve`.
#[derive(Args, Debug)]
pub struct ServeArgs {
    #[command(flatten)]
    pub store: StoreArg,
    #[command(flatten)]
    pub listen: ListenArgs,
    /// How posted documents are analysed.
    #[command(flatten)]
    pub analysis: AnalysisArgs,
}

/// Arguments of `vigie demo`.
#[derive(Args, Debug)]
pub struct DemoArgs {
    #[command(flatten)]
    pub store: StoreArg,
    #[command(flatten)]
    pub listen: ListenArgs,
    /// Build the store and stop, without serving.
    #[arg(long)]
    pub no_serve: bool,
}

/// The bundled sample corpus (fixtures/README.md gives sources and licences): name, id base
/// and bytes.
const DEMO: &[(&str, &str, &[u8])] = &[
    (
        "fixtures/seed/sputnik-2022-08-camara.txt",
        "sputnik-2022-08-camara",
        include_bytes!("../../../fixtures/seed/sputnik-2022-08-camara.txt"),
    ),
    (
        "fixtures/corpus/orangesum-300.jsonl.gz",
        "orangesum-300",
        include_bytes!("../../../fixtures/corpus/orangesum-300.jsonl.gz"),
    ),
    (
        "fixtures/demo/orangesum-reprints.jsonl.gz",
        "orangesum-reprints",
        include_bytes!("../../../fixtures/demo/orangesum-reprints.jsonl.gz"),
    ),
    (
        "fixtures/demo/wikinews-fr.jsonl.gz",
        "wikinews-fr",
        include_bytes!("../../../fixtures/demo/wikinews-fr.jsonl.gz"),
    ),
];

fn analyzer(args: &AnalysisArgs) -> Result<Analyzer, String> {
    let pipeline = crate::input::pipeline(args, false).map_err(|e| e.to_string())?;
    let analyzed_by = crate::input::analyzed_by(args, &pipeline);
    Ok(Analyzer {
        pipeline,
        analyzed_by,
    })
}

fn serve(dir: &Path, listen: ListenArgs, analyzer: Analyzer) -> Result<(), String> {
    let writable = listen.token.as_deref().is_some_and(|t| !t.is_empty());
    let config = Config {
        store: dir.to_path_buf(),
        addr: listen.addr,
        token: listen.token,
        max_body: listen.max_body,
        max_inflated: listen.max_inflated,
        rate_limit: listen.rate_limit,
        memory: usize::try_from(listen.memory_mb)
            .unwrap_or(usize::MAX >> 20)
            .saturating_mul(1 << 20),
        text_cache: listen.text_cache.map(|m| m.saturating_mul(1 << 20)),
        header_timeout: Duration::from_secs_f64(listen.header_timeout),
        body_timeout: Duration::from_secs_f64(listen.body_timeout),
        max_connections: usize::try_from(listen.max_connections).unwrap_or(usize::MAX),
        release_memory: Some(release_memory),
        analyzer,
    };
    vigie_server::run(config, |bound| {
        // The URL on stdout (for scripts), the rest on stderr.
        println!("http://{bound}/");
        eprintln!(
            "vigie: the dashboard is at http://{bound}/ (API: http://{bound}/api/openapi.json; {}); Ctrl-C stops it",
            if writable {
                "POST /api/documents with the token adds documents"
            } else {
                "read-only: start with --token to allow POST /api/documents"
            }
        );
    })
}

/// Runs `vigie serve`.
pub fn serve_run(args: ServeArgs) -> u8 {
    let run = || -> Result<(), String> {
        let analyzer = analyzer(&args.analysis)?;
        serve(&args.store.dir(), args.listen, analyzer)
    };
    match run() {
        Ok(()) => EXIT_OK,
        Err(e) => {
            eprintln!("vigie serve: {e}");
            EXIT_FATAL
        }
    }
}

/// Runs `vigie demo`.
pub fn demo_run(args: DemoArgs) -> u8 {
    let run = || -> Result<(), String> {
        let dir = args.store.dir();
        let defaults = AnalysisArgs {
            layers: crate::input::LayerArg::Narratives,
            codebook: Vec::new(),
            threads: None,
            resources: None,
            time_budget: 60.0,
            memory_budget: 2048,
        };
        let analyzer = analyzer(&defaults)?;
        let started = Instant::now();
        let (mut new, mut unchanged, mut docs) = (0, 0, 0);
        for (name, id_base, bytes) in DEMO {
            let r = vigie_server::ingest_bytes(
                &dir,
                &analyzer,
                Input {
                    bytes,
                    name,
                    id_base,
                    format: Format::Auto,
                },
            )
            .map_err(|e| format!("{name}: {e}"))?;
            for e in &r.errors {
                eprintln!(
                    "vigie demo: skipped {}: {} ({})",
                    e.origin, e.message, e.kind
                );
            }
            new += r.new + r.versions;
            unchanged += r.unchanged;
            docs += r.documents.len();
        }
        eprintln!(
            "vigie demo: {docs} sample documents in {} ({new} stored, {unchanged} already there) in {:.1} s",
            dir.display(),
            started.elapsed().as_secs_f64()
        );
        if args.no_serve {
            return Ok(());
        }
        serve(&dir, args.listen, analyzer)
    };
    match run() {
        Ok(()) => EXIT_OK,
        Err(e) => {
            eprintln!("vigie demo: {e}");
            EXIT_FATAL
        }
    }
}
