//! `vigie analyze`: read, analyse in parallel, write in input order, report.

use crate::{text_view, EXIT_FATAL, EXIT_OK, EXIT_SKIPPED};
use clap::{Args, ValueEnum};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::io::{self, BufWriter, IsTerminal, Write};
use std::ops::ControlFlow;
use std::path::PathBuf;
use std::sync::atomic::Ordering;
use std::sync::mpsc::sync_channel;
use std::time::Instant;
use vigie_io::{InputError, Item, ReadOptions};
use vigie_nlp::{Layers, Options, Pipeline, Resources};

/// Analysis depth (each layer includes the ones before it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LayerArg {
    /// Normalisation, paragraphs, quote marks, sentences, language.
    Segment,
    /// ... and named entities.
    Entities,
    /// ... and actors, roles, chains, outlets.
    Actors,
    /// ... and quotations with their speakers.
    Quotes,
    /// ... and stances toward actors.
    Stance,
    /// ... and the narratives of the codebooks (everything; the default).
    Narratives,
}

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
    /// Files, directories (read recursively) or `-` for standard input; `.gz` is decompressed.
    #[arg(required = true)]
    pub inputs: Vec<PathBuf>,
    /// Output format.
    #[arg(short, long, value_enum, default_value = "jsonl")]
    pub format: OutFormat,
    /// Input format, instead of guessing from names and content: auto, seed, jsonl, json, text.
    #[arg(short = 'I', long, default_value = "auto", value_parser = parse_input_format)]
    pub input_format: vigie_io::Format,
    /// Write to this file instead of standard output.
    #[arg(short, long)]
    pub output: Option<PathBuf>,
    /// Stop at the first bad input (exit code 3) instead of reporting it and going on.
    #[arg(long)]
    pub strict: bool,
    /// Skip (and report) documents whose text is larger than this many bytes.
    #[arg(long, default_value_t = vigie_io::DEFAULT_MAX_DOC_BYTES)]
    pub max_doc_bytes: usize,
    /// JSON field(s) holding the text, tried in order (default: text, article, body, content).
    #[arg(long, value_delimiter = ',')]
    pub text_field: Vec<String>,
    /// JSON field(s) holding the document id (default: id, doc_id, guid).
    #[arg(long, value_delimiter = ',')]
    pub id_field: Vec<String>,
    /// JSON field(s) holding the title (default: title, headline).
    #[arg(long, value_delimiter = ',')]
    pub title_field: Vec<String>,
    /// JSON field(s) holding the date (default: date, published, published_at, pubdate).
    #[arg(long, value_delimiter = ',')]
    pub date_field: Vec<String>,
    /// JSON field(s) holding the outlet (default: outlet, source, publisher, site_name).
    #[arg(long, value_delimiter = ',')]
    pub outlet_field: Vec<String>,
    /// JSON field(s) holding the URL (default: url, link).
    #[arg(long, value_delimiter = ',')]
    pub url_field: Vec<String>,
    /// Run the analysis up to this layer only (faster when later layers are not needed).
    #[arg(long, value_enum, default_value = "narratives")]
    pub layers: LayerArg,
    /// Narrative codebook(s) to apply (TOML, docs/codebook.md); `builtin` (the default) is the
    /// embedded one, `none` applies none. Repeat the option to apply several.
    #[arg(long)]
    pub codebook: Vec<PathBuf>,
    /// Leave the document text out of the JSON output.
    #[arg(long)]
    pub no_text: bool,
    /// Worker threads (default: all cores).
    #[arg(short = 'j', long)]
    pub threads: Option<usize>,
    /// Directory of resource files overriding the embedded ones (same relative paths).
    #[arg(long)]
    pub resources: Option<PathBuf>,
    /// Also write every input error as a JSON line to this file.
    #[arg(long)]
    pub error_log: Option<PathBuf>,
    /// No progress bar and no summary line.
    #[arg(short, long)]
    pub quiet: bool,
}

fn parse_input_format(s: &str) -> Result<vigie_io::Format, String> {
    s.parse()
}

const BATCH_DOCS: usize = 256;
const BATCH_BYTES: usize = 4 << 20;

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

struct Report {
    errors: BTreeMap<&'static str, usize>,
    log: Option<BufWriter<std::fs::File>>,
    progress: Option<ProgressBar>,
}

impl Report {
    fn error(&mut self, e: &InputError) -> io::Result<()> {
        *self.errors.entry(e.kind.name()).or_default() += 1;
        let line = format!("vigie: skipped {e}");
        match &self.progress {
            Some(pb) => pb.println(line),
            None => eprintln!("{line}"),
        }
        if let Some(log) = &mut self.log {
            serde_json::to_writer(&mut *log, e)?;
            log.write_all(b"\n")?;
        }
        Ok(())
    }
    fn total(&self) -> usize {
        self.errors.values().sum()
    }
}

fn run_inner(args: AnalyzeArgs) -> io::Result<u8> {
    let res = match &args.resources {
        Some(dir) => Resources::load(dir).map_err(io::Error::other)?,
        None => Resources::embedded(),
    };
    if let Some(n) = args.threads {
        rayon::ThreadPoolBuilder::new()
            .num_threads(n.max(1))
            .build_global()
            .map_err(io::Error::other)?;
    }
    let threads = rayon::current_num_threads();
    let pipeline = Pipeline::new(
        res,
        Options {
            include_text: !args.no_text,
            layers: match args.layers {
                LayerArg::Segment => Layers::Segment,
                LayerArg::Entities => Layers::Entities,
                LayerArg::Actors => Layers::Actors,
                LayerArg::Quotes => Layers::Quotes,
                LayerArg::Stance => Layers::Stance,
                LayerArg::Narratives => Layers::Narratives,
            },
        },
    );
    let codebooks = crate::codebook_cmd::load_all(&args.codebook, pipeline.resources())
        .map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))?;
    let pipeline = pipeline.with_codebooks(codebooks);

    let mut fields = vigie_io::FieldMap::default();
    for (target, given) in [
        (&mut fields.text, &args.text_field),
        (&mut fields.id, &args.id_field),
        (&mut fields.title, &args.title_field),
        (&mut fields.date, &args.date_field),
        (&mut fields.outlet, &args.outlet_field),
        (&mut fields.url, &args.url_field),
    ] {
        if !given.is_empty() {
            *target = given.clone();
        }
    }
    let opts = ReadOptions {
        format: args.input_format,
        fields,
        max_doc_bytes: args.max_doc_bytes,
        ..Default::default()
    };
    let (sources, expand_errors) = vigie_io::expand_inputs(&args.inputs);
    let total_bytes: Option<u64> = sources.iter().map(|s| s.size()).sum();

    let progress = (!args.quiet && io::stderr().is_terminal()).then(|| {
        let pb = match total_bytes {
            Some(n) => ProgressBar::with_draw_target(Some(n), ProgressDrawTarget::stderr()),
            None => ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr()),
        };
        pb.set_style(
            ProgressStyle::with_template(
                "{spinner} [{elapsed_precise}] {wide_bar} {bytes}/{total_bytes} {msg}",
            )
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
        pb
    });
    let log = match &args.error_log {
        Some(p) => Some(BufWriter::new(std::fs::File::create(p)?)),
        None => None,
    };
    let mut report = Report {
        errors: BTreeMap::new(),
        log,
        progress,
    };

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
    if args.strict && !expand_errors.is_empty() {
        fatal = true;
    }

    if args.format == OutFormat::Json {
        out.write_all(b"[")?;
    }
    if !fatal {
        let (tx, rx) = sync_channel::<Vec<Item>>(2);
        let strict = args.strict;
        let reader_opts = opts.clone();
        let bytes_read = opts.bytes_read.clone();
        let reader = std::thread::spawn(move || {
            let mut batch: Vec<Item> = Vec::with_capacity(BATCH_DOCS);
            let mut batch_bytes = 0usize;
            let mut sink = |item: Item| {
                let is_err = matches!(item, Item::Error(_));
                if let Item::Doc(d) = &item {
                    batch_bytes += d.text.len();
                }
                batch.push(item);
                if is_err || batch.len() >= BATCH_DOCS || batch_bytes >= BATCH_BYTES {
                    batch_bytes = 0;
                    if tx.send(std::mem::take(&mut batch)).is_err() {
                        return ControlFlow::Break(());
                    }
                }
                if is_err && strict {
                    ControlFlow::Break(())
                } else {
                    ControlFlow::Continue(())
                }
            };
            let _ = vigie_io::read_sources(&sources, &reader_opts, &mut sink);
            if !batch.is_empty() {
                let _ = tx.send(batch);
            }
        });
        let mut first = true;
        'outer: for batch in rx {
            let rendered: Vec<Result<(String, usize), InputError>> = batch
                .into_par_iter()
                .map(|item| match item {
                    Item::Doc(doc) => {
                        let n = doc.text.len();
                        let origin = doc.origin.clone();
                        // A bug in one document must not end the run: report it and go on.
                        let rendered =
                            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                                match args.format {
                                    OutFormat::Jsonl => {
                                        serde_json::to_string(&pipeline.analyze_owned(*doc))
                                    }
                                    OutFormat::Json => {
                                        serde_json::to_string_pretty(&pipeline.analyze_owned(*doc))
                                    }
                                    OutFormat::Text => {
                                        Ok(text_view::render(&pipeline.analyze(&doc), &doc.text))
                                    }
                                }
                            }));
                        match rendered {
                            Ok(s) => Ok((s.expect("an analysis always serialises"), n)),
                            Err(_) => Err(InputError::new(
                                origin,
                                vigie_io::ErrorKind::Internal,
                                "the analysis failed on this document (a bug: please report it)"
                                    .into(),
                            )),
                        }
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
                        if args.strict {
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
    if let Some(log) = &mut report.log {
        log.flush()?;
    }
    if let Some(pb) = &report.progress {
        pb.finish_and_clear();
    }
    let secs = started.elapsed().as_secs_f64();
    if !args.quiet {
        let mb = text_bytes as f64 / 1e6;
        let skipped = report.total();
        let kinds = report
            .errors
            .iter()
            .map(|(k, n)| format!("{n} {k}"))
            .collect::<Vec<_>>()
            .join(", ");
        eprintln!(
            "vigie analyze: {docs} documents analysed, {skipped} skipped{}{}; {mb:.1} MB of text in {secs:.2} s: {:.0} docs/s, {:.1} MB/s ({threads} threads, {:.1} MB/s per thread)",
            if kinds.is_empty() { String::new() } else { format!(" ({kinds})") },
            if fatal { "; stopped at the first bad input (--strict)" } else { "" },
            docs as f64 / secs.max(1e-9),
            mb / secs.max(1e-9),
            mb / secs.max(1e-9) / threads as f64,
        );
    }
    Ok(if fatal {
        EXIT_FATAL
    } else if report.total() > 0 {
        EXIT_SKIPPED
    } else {
        EXIT_OK
    })
}
