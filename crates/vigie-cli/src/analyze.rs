//! `vigie analyze`: read, analyse in parallel, write in input order, report.

use crate::input::{AnalysisArgs, InputArgs, Report};
use crate::{text_view, EXIT_FATAL, EXIT_OK};
use clap::{Args, ValueEnum};
use rayon::prelude::*;
use std::io::{self, BufWriter, Write};
use std::path::PathBuf;
use std::sync::atomic::Ordering;
use std::time::Instant;
use vigie_io::{InputError, Item};

/// Output formats of `vigie analyze`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutFormat {
    /// One JSON object per line.
    Jsonl,
    /// A pretty-printed JSON array.
    Json,
    /// A readable view for a person at a terminal.
    Text,
}

/// Arguments of `vigie analyze`.
#[derive(Args, Debug)]
pub struct AnalyzeArgs {
    #[command(flatten)]
    pub input: InputArgs,
    #[command(flatten)]
    pub analysis: AnalysisArgs,
    /// Output format.
    #[arg(short, long, value_enum, default_value = "jsonl")]
    pub format: OutFormat,
    /// Write to this file instead of standard output.
    #[arg(short, long)]
    pub output: Option<PathBuf>,
    /// Leave the document text out of the JSON output.
    #[arg(long)]
    pub no_text: bool,
    /// No progress bar and no summary line.
    #[arg(short, long)]
    pub quiet: bool,
}

/// Runs `vigie analyze`; returns the exit code.
pub fn run(args: AnalyzeArgs) -> u8 {
    match run_inner(args) {
        Ok(code) => code,
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => EXIT_OK,
        Err(e) => {
            eprintln!("vigie: error: {e}");
            EXIT_FATAL
        }
    }
}

fn run_inner(args: AnalyzeArgs) -> io::Result<u8> {
    let pipeline = crate::input::pipeline(&args.analysis, !args.no_text)?;
    let threads = rayon::current_num_threads();
    let opts = args.input.read_options();
    let (sources, expand_errors) = vigie_io::expand_inputs(&args.input.inputs);
    let total_bytes: Option<u64> = sources.iter().map(|s| s.size()).sum();
    let mut report = Report::new(args.input.error_log.as_ref(), args.quiet, total_bytes)?;

    let out: Box<dyn Write> = match &args.output {
        Some(p) => Box::new(std::fs::File::create(p)?),
        None => Box::new(io::stdout().lock()),
    };
    let mut out = BufWriter::with_capacity(1 << 20, out);
    let started = Instant::now();
    let (mut docs, mut text_bytes) = (0usize, 0usize);
    let mut fatal = false;

    for e in &expand_errors {
        report.error(e)?;
    }
    if args.input.strict && !expand_errors.is_empty() {
        fatal = true;
    }

    if args.format == OutFormat::Json {
        out.write_all(b"[")?;
    }
    if !fatal {
        let bytes_read = opts.bytes_read.clone();
        let (rx, reader) = crate::input::spawn_reader(sources, opts, args.input.strict, 0);
        let mut first = true;
        'outer: for batch in rx {
            let rendered: Vec<Result<(String, usize), InputError>> = batch
                .into_par_iter()
                .map(|item| match item {
                    Item::Doc(doc) => {
                        let n = doc.text.len();
                        let origin = doc.origin.clone();
                        // A bug in one document must not end the run: report it and go on.
                        vigie_io::budgeted(&origin, || {
                            Ok::<_, vigie_nlp::OverBudget>(match args.format {
                                OutFormat::Jsonl => {
                                    serde_json::to_string(&pipeline.try_analyze_owned(*doc)?)
                                }
                                OutFormat::Json => {
                                    serde_json::to_string_pretty(&pipeline.try_analyze_owned(*doc)?)
                                }
                                OutFormat::Text => {
                                    Ok(text_view::render(&pipeline.try_analyze(&doc)?, &doc.text))
                                }
                            })
                        })
                        .map(|s| (s.expect("an analysis always serialises"), n))
                    }
                    Item::Error(e) => Err(e),
                })
                .collect();
            for r in rendered {
                match r {
                    Ok((s, n)) => {
                        match args.format {
                            OutFormat::Json => {
                                out.write_all(if first { b"\n" } else { b",\n" })?;
                                out.write_all(s.as_bytes())?;
                            }
                            _ => {
                                out.write_all(s.as_bytes())?;
                                out.write_all(b"\n")?;
                            }
                        }
                        first = false;
                        docs += 1;
                        text_bytes += n;
                    }
                    Err(e) => {
                        report.error(&e)?;
                        if args.input.strict {
                            fatal = true;
                            break 'outer;
                        }
                    }
                }
            }
            if let Some(pb) = &report.progress {
                pb.set_position(bytes_read.load(Ordering::Relaxed));
                pb.set_message(format!("{docs} documents"));
            }
        }
        // The receiver is gone: a reader stopped early sees its send fail and ends.
        let _ = reader.join();
    }
    if args.format == OutFormat::Json {
        out.write_all(b"\n]\n")?;
    }
    out.flush()?;
    report.finish()?;
    let secs = started.elapsed().as_secs_f64();
    if !args.quiet {
        let mb = text_bytes as f64 / 1e6;
        let skipped = report.total();
        let kinds = report.kinds();
        eprintln!(
            "vigie analyze: {docs} documents analysed, {skipped} skipped{}{}; {mb:.1} MB of text in {secs:.2} s: {:.0} docs/s, {:.1} MB/s ({threads} threads, {:.1} MB/s per thread)",
            if kinds.is_empty() { String::new() } else { format!(" ({kinds})") },
            if fatal { "; stopped at the first bad input (--strict)" } else { "" },
            docs as f64 / secs.max(1e-9),
            mb / secs.max(1e-9),
            mb / secs.max(1e-9) / threads as f64,
        );
    }
    Ok(report.exit_code(fatal))
}
