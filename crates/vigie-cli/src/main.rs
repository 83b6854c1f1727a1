//! `vigie`: who said what, about whom, in news articles.
//!
//! Exit codes (docs/cli.md): 0 all input analysed; 1 finished, but some input was bad and
//! skipped (each case reported on stderr with file and line); 2 usage error; 3 stopped by a
//! fatal error (`--strict` and bad input, unwritable output, invalid resources).

mod analyze;
mod codebook_cmd;
mod eval;
mod text_view;
mod train;

use clap::{Parser, Subcommand};

/// mimalloc: the pipeline allocates many small strings per document; this allocator is
/// measurably faster at it than the system one.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;
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
