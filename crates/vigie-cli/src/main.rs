//! `vigie`: who said what, about whom, in news articles.
//!
//! Exit codes (docs/cli.md): 0 all input analysed; 1 finished, but some input was bad and
//! skipped (each case reported on stderr with file and line); 2 usage error; 3 stopped by a
//! fatal error (`--strict` and bad input, unwritable output, invalid resources).

mod analyze;
mod codebook_cmd;
mod eval;
mod export_cmd;
mod input;
mod serve_cmd;
mod store_cmd;
mod table;
mod text_view;
mod train;

use clap::{Parser, Subcommand};

/// mimalloc: the pipeline allocates many small strings per document; this allocator is
/// measurably faster at it than the system one. Counted per thread, for the memory budget of
/// each document (docs/limits.md).
#[global_allocator]
static GLOBAL: vigie_core::alloc::Counting<mimalloc::MiMalloc> =
    vigie_core::alloc::Counting(mimalloc::MiMalloc);
use std::process::ExitCode;

/// Vigie turns news articles into evidence: who said what, about whom.
#[derive(Parser, Debug)]
#[command(name = "vigie", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Analyse documents and write one JSON object per document (or a readable view).
    Analyze(analyze::AnalyzeArgs),
    /// Train a model from annotated data (reproducible: same data, same model).
    #[command(subcommand)]
    Train(train::TrainCommand),
    /// Measure accuracy against gold annotations (same figures as ../shared/eval).
    #[command(subcommand)]
    Eval(eval::EvalCommand),
    /// Check and test narrative codebooks (docs/codebook.md).
    #[command(subcommand)]
    Codebook(codebook_cmd::CodebookCommand),
    /// Analyse documents and store them in a corpus (SQLite + full-text index + signatures).
    Ingest(store_cmd::IngestArgs),
    /// Re-analyse the stored documents (new codebook, new Vigie) without reading sources.
    Reanalyze(store_cmd::ReanalyzeArgs),
    /// Verify a store: SQLite integrity, index and tables in agreement.
    Check(store_cmd::CheckArgs),
    /// Full-text search with filters, snippets and facet counts.
    Search(store_cmd::SearchArgs),
    /// Quotes by speaker, about an actor, or carrying a narrative.
    Quotes(store_cmd::QuotesArgs),
    /// Document counts over time by narrative, actor, speaker or outlet.
    Trends(store_cmd::TrendsArgs),
    /// Clusters of near-duplicate documents: the original, each copy and what it changed.
    Reprints(store_cmd::ReprintsArgs),
    /// One stored document with all its layers.
    Show(store_cmd::ShowArgs),
    /// Export documents, quotes, entities, stances and narratives as tidy tables.
    Export(export_cmd::ExportArgs),
    /// Serve the web dashboard and the JSON API over a store (loopback by default).
    Serve(serve_cmd::ServeArgs),
    /// Build a store from the bundled sample corpus (and the seed) and serve the dashboard.
    Demo(serve_cmd::DemoArgs),
}

/// Exit code: everything went well.
pub const EXIT_OK: u8 = 0;
/// Exit code: finished, but some input was skipped.
pub const EXIT_SKIPPED: u8 = 1;
/// Exit code: fatal error.
pub const EXIT_FATAL: u8 = 3;

fn main() -> ExitCode {
    let cli = Cli::parse();
    // Panics are caught per document and reported as `internal_error` with the document's
    // location; print one line for them instead of a backtrace.
    std::panic::set_hook(Box::new(|info| eprintln!("vigie: internal error: {info}")));
    let code = match cli.command {
        Command::Analyze(args) => analyze::run(args),
        Command::Eval(cmd) => eval::run(cmd),
        Command::Codebook(cmd) => codebook_cmd::run(cmd),
        Command::Ingest(args) => store_cmd::ingest(args),
        Command::Reanalyze(args) => store_cmd::reanalyze(args),
        Command::Check(args) => store_cmd::check(args),
        Command::Search(args) => store_cmd::search(args),
        Command::Quotes(args) => store_cmd::quotes(args),
        Command::Trends(args) => store_cmd::trends(args),
        Command::Reprints(args) => store_cmd::reprints(args),
        Command::Show(args) => store_cmd::show(args),
        Command::Export(args) => export_cmd::run(args),
        Command::Serve(args) => serve_cmd::serve_run(args),
        Command::Demo(args) => serve_cmd::demo_run(args),
        Command::Train(cmd) => match train::run(cmd) {
            Ok(()) => EXIT_OK,
            Err(e) => {
                eprintln!("vigie: error: {e}");
                EXIT_FATAL
            }
        },
    };
    ExitCode::from(code)
}
