//! What `vigie analyze`, `vigie ingest` and `vigie reanalyze` share: the input and analysis
//! options, the reader thread, the progress bar and the bad-input report.

use clap::{Args, ValueEnum};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::collections::BTreeMap;
use std::io::{self, BufWriter, IsTerminal, Write};
use std::ops::ControlFlow;
use std::path::PathBuf;
use std::sync::mpsc::{sync_channel, Receiver};
use std::thread::JoinHandle;
use vigie_io::{InputError, InputSource, Item, ReadOptions};
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

/// How to analyse: resources, layers, codebooks, threads.
#[derive(Args, Debug, Clone)]
pub struct AnalysisArgs {
    /// Run the analysis up to this layer only (faster when later layers are not needed).
    #[arg(long, value_enum, default_value = "narratives")]
    pub layers: LayerArg,
    /// Narrative codebook(s) to apply (TOML, docs/codebook.md); `builtin` (the default) is the
    /// embedded one, `none` applies none. Repeat the option to apply several.
    #[arg(long)]
    pub codebook: Vec<PathBuf>,
    /// Worker threads (default: all cores).
    #[arg(short = 'j', long)]
    pub threads: Option<usize>,
    /// Directory of resource files overriding the embedded ones (same relative paths).
    #[arg(long)]
    pub resources: Option<PathBuf>,
    /// Seconds one document may take to analyse; a document over it is skipped and reported
    /// (`over_budget`). 0: no limit. (docs/limits.md)
    #[arg(long, default_value_t = 60.0, value_name = "SECS")]
    pub time_budget: f64,
    /// Megabytes of heap one document's analysis may hold; a document over it is skipped and
    /// reported (`over_budget`). 0: no limit. (docs/limits.md)
    #[arg(long, default_value_t = 2048, value_name = "MB")]
    pub memory_budget: usize,
}

/// Where documents come from and what to do with bad input.
#[derive(Args, Debug, Clone)]
pub struct InputArgs {
    /// Files, directories (read recursively) or `-` for standard input; `.gz` is decompressed.
    #[arg(required = true)]
    pub inputs: Vec<PathBuf>,
    /// Input format, instead of guessing from names and content: auto, seed, jsonl, json, text.
    #[arg(short = 'I', long, default_value = "auto", value_parser = parse_input_format)]
    pub input_format: vigie_io::Format,
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
    /// Also write every input error as a JSON line to this file.
    #[arg(long)]
    pub error_log: Option<PathBuf>,
}

fn parse_input_format(s: &str) -> Result<vigie_io::Format, String> {
    s.parse()
}

/// Builds the pipeline (resources, layers, codebooks) and the worker pool.
pub fn pipeline(args: &AnalysisArgs, include_text: bool) -> io::Result<Pipeline> {
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
    let pipeline = Pipeline::new(
        res,
        Options {
            include_text,
            layers: match args.layers {
                LayerArg::Segment => Layers::Segment,
                LayerArg::Entities => Layers::Entities,
                LayerArg::Actors => Layers::Actors,
                LayerArg::Quotes => Layers::Quotes,
                LayerArg::Stance => Layers::Stance,
                LayerArg::Narratives => Layers::Narratives,
            },
            time_budget: (args.time_budget > 0.0)
                .then(|| std::time::Duration::from_secs_f64(args.time_budget.min(1e9))),
            memory_budget: (args.memory_budget > 0)
                .then(|| args.memory_budget.saturating_mul(1 << 20)),
        },
    );
    let codebooks = crate::codebook_cmd::load_all(&args.codebook, pipeline.resources())
        .map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))?;
    Ok(pipeline.with_codebooks(codebooks))
}

/// What produced an analysis: the Vigie version, the layers and the codebooks.
pub fn analyzed_by(args: &AnalysisArgs, p: &Pipeline) -> String {
    let books: Vec<String> = p
        .codebooks()
        .iter()
        .map(|c| match &c.version {
            Some(v) => format!("{}@{v}", c.name),
            None => c.name.clone(),
        })
        .collect();
    format!(
        "vigie {}; layers {:?}; codebooks [{}]",
        env!("CARGO_PKG_VERSION"),
        args.layers,
        books.join(", ")
    )
    .to_lowercase()
}

impl InputArgs {
    /// Reading options from the flags.
    pub fn read_options(&self) -> ReadOptions {
        let mut fields = vigie_io::FieldMap::default();
        for (target, given) in [
            (&mut fields.text, &self.text_field),
            (&mut fields.id, &self.id_field),
            (&mut fields.title, &self.title_field),
            (&mut fields.date, &self.date_field),
            (&mut fields.outlet, &self.outlet_field),
            (&mut fields.url, &self.url_field),
        ] {
            if !given.is_empty() {
                *target = given.clone();
            }
        }
        ReadOptions {
            format: self.input_format,
            fields,
            max_doc_bytes: self.max_doc_bytes,
            ..Default::default()
        }
    }
}

/// Bad input seen so far, by kind, with the optional error log and progress bar.
pub struct Report {
    /// Errors by kind.
    pub errors: BTreeMap<&'static str, usize>,
    log: Option<BufWriter<std::fs::File>>,
    /// The progress bar, when standard error is a terminal.
    pub progress: Option<ProgressBar>,
}

impl Report {
    /// A report writing to `error_log` and drawing a progress bar over `total_bytes`.
    pub fn new(
        error_log: Option<&PathBuf>,
        quiet: bool,
        total_bytes: Option<u64>,
    ) -> io::Result<Report> {
        let progress = (!quiet && io::stderr().is_terminal()).then(|| {
            let pb = ProgressBar::with_draw_target(total_bytes, ProgressDrawTarget::stderr());
            pb.set_style(
                ProgressStyle::with_template(
                    "{spinner} [{elapsed_precise}] {wide_bar} {bytes}/{total_bytes} {msg}",
                )
                .unwrap_or_else(|_| ProgressStyle::default_bar()),
            );
            pb
        });
        let log = match error_log {
            Some(p) => Some(BufWriter::new(std::fs::File::create(p)?)),
            None => None,
        };
        Ok(Report {
            errors: BTreeMap::new(),
            log,
            progress,
        })
    }

    /// Counts and reports one bad input (with its file and line).
    pub fn error(&mut self, e: &InputError) -> io::Result<()> {
        *self.errors.entry(e.kind.name()).or_default() += 1;
        self.println(format!("vigie: skipped {e}"));
        if let Some(log) = &mut self.log {
            serde_json::to_writer(&mut *log, e)?;
            log.write_all(b"\n")?;
        }
        Ok(())
    }

    /// Prints a line above the progress bar.
    pub fn println(&self, line: String) {
        match &self.progress {
            Some(pb) => pb.println(line),
            None => eprintln!("{line}"),
        }
    }

    /// The exit code of a run: fatal (stopped under `--strict`), some input skipped, or all
    /// well.
    pub fn exit_code(&self, fatal: bool) -> u8 {
        if fatal {
            crate::EXIT_FATAL
        } else if self.total() > 0 {
            crate::EXIT_SKIPPED
        } else {
            crate::EXIT_OK
        }
    }

    /// Number of bad inputs.
    pub fn total(&self) -> usize {
        self.errors.values().sum()
    }

    /// `3 invalid_json, 1 binary` (empty when there were none).
    pub fn kinds(&self) -> String {
        self.errors
            .iter()
            .map(|(k, n)| format!("{n} {k}"))
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// Flushes the log and clears the progress bar.
    pub fn finish(&mut self) -> io::Result<()> {
        if let Some(log) = &mut self.log {
            log.flush()?;
        }
        if let Some(pb) = &self.progress {
            pb.finish_and_clear();
        }
        Ok(())
    }
}

const BATCH_DOCS: usize = 256;
const BATCH_BYTES: usize = 4 << 20;

/// Reads the sources on a thread of its own and sends batches of items; a batch ends after an
/// error so that errors are reported in order. Under `strict` reading stops at the first error.
pub fn spawn_reader(
    sources: Vec<InputSource>,
    opts: ReadOptions,
    strict: bool,
    batch_docs: usize,
) -> (Receiver<Vec<Item>>, JoinHandle<()>) {
    let (tx, rx) = sync_channel::<Vec<Item>>(2);
    let batch_docs = if batch_docs == 0 {
        BATCH_DOCS
    } else {
        batch_docs
    };
    let reader = std::thread::spawn(move || {
        let mut batch: Vec<Item> = Vec::with_capacity(batch_docs);
        let mut batch_bytes = 0usize;
        let mut sink = |item: Item| {
            let is_err = matches!(item, Item::Error(_));
            if let Item::Doc(d) = &item {
                batch_bytes += d.text.len();
            }
            batch.push(item);
            if is_err || batch.len() >= batch_docs || batch_bytes >= BATCH_BYTES {
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
        let _ = vigie_io::read_sources(&sources, &opts, &mut sink);
        if !batch.is_empty() {
            let _ = tx.send(batch);
        }
    });
    (rx, reader)
}
