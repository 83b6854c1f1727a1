//! The corpus commands: ingest, reanalyze, check, search, quotes, trends, reprints, show,
//! export.

use crate::input::{AnalysisArgs, InputArgs, Report};
use crate::table::{clip, or_dash, print_csv, print_json, print_table, sparkline, QueryFormat};
use crate::{text_view, EXIT_FATAL, EXIT_OK, EXIT_SKIPPED};
use clap::{Args, ValueEnum};
use rayon::prelude::*;
use std::io::{self, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::Ordering;
use std::time::Instant;
use vigie_core::PartialDate;
use vigie_io::{InputError, Item};
use vigie_store::reprints::{ReprintOptions, DEFAULT_THRESHOLD};
use vigie_store::{BatchReport, Filters, Interval, Prepared, QuoteQuery, Store, TrendBy, Writer};

/// Which store to use.
#[derive(Args, Debug, Clone)]
pub struct StoreArg {
    /// Store directory (default: $VIGIE_STORE, else ./vigie-data).
    #[arg(long, value_name = "DIR")]
    pub store: Option<PathBuf>,
}

impl StoreArg {
    /// The store directory.
    pub fn dir(&self) -> PathBuf {
        vigie_store::store_dir(self.store.as_deref())
    }
    /// Opens the store for reading.
    pub fn open(&self) -> Result<Store, String> {
        Store::open(&self.dir()).map_err(|e| e.to_string())
    }
}

/// How the writing commands write: where, in which batches, how loudly.
#[derive(Args, Debug)]
pub struct WriteArgs {
    #[command(flatten)]
    pub store: StoreArg,
    /// Documents per transaction: a crash loses at most the batch in flight.
    #[arg(long, default_value_t = 256)]
    pub batch_size: usize,
    /// No progress bar and no summary line.
    #[arg(short, long)]
    pub quiet: bool,
}

/// Arguments of `vigie ingest`.
#[derive(Args, Debug)]
pub struct IngestArgs {
    #[command(flatten)]
    pub input: InputArgs,
    #[command(flatten)]
    pub analysis: AnalysisArgs,
    #[command(flatten)]
    pub write: WriteArgs,
}

/// Arguments of `vigie reanalyze`.
#[derive(Args, Debug)]
pub struct ReanalyzeArgs {
    #[command(flatten)]
    pub analysis: AnalysisArgs,
    #[command(flatten)]
    pub write: WriteArgs,
}

/// Arguments of `vigie check`.
#[derive(Args, Debug)]
pub struct CheckArgs {
    #[command(flatten)]
    pub store: StoreArg,
    /// Also decode every stored analysis and re-hash every text (slower).
    #[arg(long)]
    pub deep: bool,
}

/// Filters shared by the query commands.
#[derive(Args, Debug, Clone, Default)]
pub struct FilterArgs {
    /// Documents dated on or after this date (2022, 2022-08 or 2022-08-14).
    #[arg(long, value_name = "DATE")]
    pub from: Option<PartialDate>,
    /// Documents dated on or before this date (2022-08 includes the whole month).
    #[arg(long, value_name = "DATE")]
    pub to: Option<PartialDate>,
    /// Language code (repeatable).
    #[arg(long)]
    pub lang: Vec<String>,
    /// Publishing outlet (repeatable).
    #[arg(long)]
    pub outlet: Vec<String>,
    /// State affiliation of the publisher or a credited outlet: state-controlled,
    /// state-funded-independent, private, cooperative (repeatable).
    #[arg(long)]
    pub affiliation: Vec<String>,
}

impl FilterArgs {
    fn filters(&self) -> Filters {
        Filters {
            from: self.from,
            to: self.to,
            lang: self.lang.clone(),
            outlet: self.outlet.clone(),
            affiliation: self.affiliation.clone(),
            ..Default::default()
        }
    }
}

/// Arguments of `vigie search`.
#[derive(Args, Debug)]
pub struct SearchArgs {
    /// Words to find (stemmed, accents ignored; all must match; "quotes" for a phrase,
    /// OR and - for alternatives and exclusions). Empty: filters only.
    #[arg(default_value = "")]
    pub query: String,
    #[command(flatten)]
    pub filters: FilterArgs,
    /// Documents mentioning this actor (id like RU or country:RU, or a name) (repeatable).
    #[arg(long)]
    pub actor: Vec<String>,
    /// Documents quoting this speaker (repeatable).
    #[arg(long)]
    pub speaker: Vec<String>,
    /// Documents carrying this narrative (repeatable).
    #[arg(long)]
    pub narrative: Vec<String>,
    /// Results per page.
    #[arg(short = 'n', long, default_value_t = 10)]
    pub limit: usize,
    /// Results to skip (for the next pages).
    #[arg(long, default_value_t = 0)]
    pub offset: usize,
    /// Output format.
    #[arg(short, long, value_enum, default_value = "table")]
    pub format: QueryFormat,
    #[command(flatten)]
    pub store: StoreArg,
}

/// Arguments of `vigie quotes`.
#[derive(Args, Debug)]
pub struct QuotesArgs {
    /// Quotes by this speaker (a name, part of a name, or an actor id).
    #[arg(long)]
    pub speaker: Option<String>,
    /// Quotes mentioning this actor.
    #[arg(long)]
    pub about: Option<String>,
    /// Quotes holding evidence of this narrative.
    #[arg(long)]
    pub narrative: Option<String>,
    #[command(flatten)]
    pub filters: FilterArgs,
    /// At most this many quotes (newest first).
    #[arg(short = 'n', long, default_value_t = 50)]
    pub limit: usize,
    /// Output format.
    #[arg(short, long, value_enum, default_value = "table")]
    pub format: QueryFormat,
    #[command(flatten)]
    pub store: StoreArg,
}

/// What trends count.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ByArg {
    /// Documents carrying each narrative.
    Narrative,
    /// Documents mentioning each actor.
    Actor,
    /// Documents quoting each speaker.
    Speaker,
    /// Documents published by each outlet.
    Outlet,
}

/// Trend intervals.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum IntervalArg {
    /// Days.
    Day,
    /// ISO weeks, labelled by their Monday.
    Week,
    /// Calendar months.
    Month,
}

/// Arguments of `vigie trends`.
#[derive(Args, Debug)]
pub struct TrendsArgs {
    /// What to count.
    #[arg(long, value_enum)]
    pub by: ByArg,
    /// Bucket size.
    #[arg(long, value_enum, default_value = "month")]
    pub interval: IntervalArg,
    /// How many keys (the largest totals).
    #[arg(long, default_value_t = 10)]
    pub top: usize,
    /// Count these keys instead of the top ones (repeatable).
    #[arg(long)]
    pub key: Vec<String>,
    /// Only dates on or after this one.
    #[arg(long, value_name = "DATE")]
    pub from: Option<PartialDate>,
    /// Only dates on or before this one.
    #[arg(long, value_name = "DATE")]
    pub to: Option<PartialDate>,
    /// Output format (table: counts and a chart per key; csv: one row per bucket and key).
    #[arg(short, long, value_enum, default_value = "table")]
    pub format: QueryFormat,
    #[command(flatten)]
    pub store: StoreArg,
}

/// Arguments of `vigie reprints`.
#[derive(Args, Debug)]
pub struct ReprintsArgs {
    /// Minimum share of the shorter document's word triples found in the other (0 to 1).
    #[arg(long, default_value_t = DEFAULT_THRESHOLD)]
    pub threshold: f64,
    /// Only clusters spanning more than one outlet.
    #[arg(long)]
    pub cross_outlet: bool,
    /// Only documents dated on or after this date.
    #[arg(long, value_name = "DATE")]
    pub from: Option<PartialDate>,
    /// Only documents dated on or before this date.
    #[arg(long, value_name = "DATE")]
    pub to: Option<PartialDate>,
    /// At most this many clusters (largest first); 0 for all.
    #[arg(short = 'n', long, default_value_t = 0)]
    pub limit: usize,
    /// Output format.
    #[arg(short, long, value_enum, default_value = "table")]
    pub format: QueryFormat,
    #[command(flatten)]
    pub store: StoreArg,
}

/// Formats of `vigie show`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ShowFormat {
    /// The readable view of `vigie analyze --format text`.
    Text,
    /// The analysis JSON, with the stored versions.
    Json,
}

/// Arguments of `vigie show`.
#[derive(Args, Debug)]
pub struct ShowArgs {
    /// Document id.
    pub doc_id: String,
    /// Show this version instead of the latest.
    #[arg(long)]
    pub version: Option<i64>,
    /// Output format.
    #[arg(short, long, value_enum, default_value = "text")]
    pub format: ShowFormat,
    #[command(flatten)]
    pub store: StoreArg,
}

/// Exit code of a request the store refuses (a query it cannot run, over its caps): a usage
/// error.
const EXIT_USAGE: u8 = 2;

/// A failed command: its message and exit code.
struct Failure {
    message: String,
    code: u8,
}

impl From<String> for Failure {
    fn from(message: String) -> Failure {
        Failure {
            message,
            code: EXIT_FATAL,
        }
    }
}

impl From<vigie_store::Error> for Failure {
    fn from(e: vigie_store::Error) -> Failure {
        Failure {
            code: if e.is_invalid() {
                EXIT_USAGE
            } else {
                EXIT_FATAL
            },
            message: e.to_string(),
        }
    }
}

fn fail(e: impl Into<Failure>) -> u8 {
    let f = e.into();
    // A reader that went away (`vigie search … | head`) is no error.
    if f.message.contains("Broken pipe") {
        return EXIT_OK;
    }
    eprintln!("vigie: error: {}", f.message);
    f.code
}

fn store_size(dir: &Path) -> u64 {
    fn walk(p: &Path) -> u64 {
        match std::fs::read_dir(p) {
            Ok(rd) => rd
                .flatten()
                .map(|e| match e.file_type() {
                    Ok(t) if t.is_dir() => walk(&e.path()),
                    _ => e.metadata().map(|m| m.len()).unwrap_or(0),
                })
                .sum(),
            Err(_) => 0,
        }
    }
    walk(dir)
}

/// Runs `vigie ingest`.
pub fn ingest(args: IngestArgs) -> u8 {
    match ingest_inner(args) {
        Ok(code) => code,
        Err(e) => fail(e),
    }
}

fn ingest_inner(args: IngestArgs) -> Result<u8, String> {
    let pipeline = crate::input::pipeline(&args.analysis, false).map_err(|e| e.to_string())?;
    let analyzed_by = crate::input::analyzed_by(&args.analysis, &pipeline);
    let dir = args.write.store.dir();
    let mut writer = Writer::open(&dir).map_err(|e| e.to_string())?;
    if writer.caught_up() > 0 && !args.write.quiet {
        eprintln!(
            "vigie ingest: re-indexed {} stored documents the full-text index lacked (an interrupted run, or an index rebuilt for this Vigie)",
            writer.caught_up()
        );
    }
    let opts = args.input.read_options();
    let (sources, expand_errors) = vigie_io::expand_inputs(&args.input.inputs);
    let total_bytes: Option<u64> = sources.iter().map(|s| s.size()).sum();
    let mut report = Report::new(args.input.error_log.as_ref(), args.write.quiet, total_bytes)
        .map_err(|e| e.to_string())?;
    let started = Instant::now();
    let mut fatal = false;
    for e in &expand_errors {
        report.error(e).map_err(|e| e.to_string())?;
    }
    if args.input.strict && !expand_errors.is_empty() {
        fatal = true;
    }
    let mut totals = BatchReport::default();
    let mut text_bytes = 0usize;
    if !fatal {
        let bytes_read = opts.bytes_read.clone();
        let (rx, reader) =
            crate::input::spawn_reader(sources, opts, args.input.strict, args.write.batch_size);
        for batch in rx {
            let prepared: Vec<Result<Prepared, InputError>> = batch
                .into_par_iter()
                .map(|item| match item {
                    Item::Doc(doc) => vigie_io::budgeted(&doc.origin, || {
                        let a = pipeline.try_analyze(&doc)?;
                        Ok::<_, vigie_nlp::OverBudget>(Prepared::new(&doc, a, &analyzed_by))
                    }),
                    Item::Error(e) => Err(e),
                })
                .collect();
            let mut good = Vec::with_capacity(prepared.len());
            for p in prepared {
                match p {
                    Ok(p) => {
                        text_bytes += p.text.len();
                        good.push(p);
                    }
                    Err(e) => {
                        report.error(&e).map_err(|e| e.to_string())?;
                        if args.input.strict {
                            fatal = true;
                        }
                    }
                }
            }
            // What was read before a bad input under --strict is still stored.
            totals += writer.add_batch(good).map_err(|e| e.to_string())?;
            if let Some(pb) = &report.progress {
                pb.set_position(bytes_read.load(Ordering::Relaxed));
                pb.set_message(format!(
                    "{} new, {} versions, {} unchanged",
                    totals.new, totals.versions, totals.unchanged
                ));
            }
            if fatal {
                break;
            }
        }
        let _ = reader.join();
    }
    writer.finish().map_err(|e| e.to_string())?;
    report.finish().map_err(|e| e.to_string())?;
    if !args.write.quiet {
        let secs = started.elapsed().as_secs_f64();
        let (docs, versions) = Store::open(&dir)
            .and_then(|s| s.counts())
            .map_err(|e| e.to_string())?;
        let kinds = report.kinds();
        eprintln!(
            "vigie ingest: {} new documents, {} new versions, {} unchanged, {} skipped{}{}; {:.1} MB of text in {secs:.1} s ({:.1} MB/s)\nstore {}: {docs} documents, {versions} versions, {:.1} MB on disk",
            totals.new,
            totals.versions,
            totals.unchanged,
            report.total(),
            if kinds.is_empty() { String::new() } else { format!(" ({kinds})") },
            if fatal { "; stopped at the first bad input (--strict)" } else { "" },
            text_bytes as f64 / 1e6,
            text_bytes as f64 / 1e6 / secs.max(1e-9),
            dir.display(),
            store_size(&dir) as f64 / 1e6,
        );
    }
    Ok(report.exit_code(fatal))
}

/// Runs `vigie reanalyze`.
pub fn reanalyze(args: ReanalyzeArgs) -> u8 {
    let run = || -> Result<u8, String> {
        let pipeline = crate::input::pipeline(&args.analysis, false).map_err(|e| e.to_string())?;
        let analyzed_by = crate::input::analyzed_by(&args.analysis, &pipeline);
        let dir = args.write.store.dir();
        let store = Store::open(&dir).map_err(|e| e.to_string())?;
        let (total, _) = store.counts().map_err(|e| e.to_string())?;
        drop(store);
        let mut writer = Writer::open(&dir).map_err(|e| e.to_string())?;
        let mut report =
            Report::new(None, args.write.quiet, Some(total as u64)).map_err(|e| e.to_string())?;
        let started = Instant::now();
        let (mut after, mut done) = (0i64, 0usize);
        loop {
            let docs = writer
                .latest_documents(after, args.write.batch_size.max(1))
                .map_err(|e| e.to_string())?;
            let Some(last) = docs.last().map(|d| d.0) else {
                break;
            };
            after = last;
            let prepared: Vec<Result<(i64, Prepared), InputError>> = docs
                .into_par_iter()
                .map(|(seq, doc)| {
                    vigie_io::budgeted(&doc.origin, || {
                        Ok::<_, vigie_nlp::OverBudget>((
                            seq,
                            Prepared::new(&doc, pipeline.try_analyze(&doc)?, &analyzed_by),
                        ))
                    })
                })
                .collect();
            let mut good = Vec::new();
            for p in prepared {
                match p {
                    Ok(p) => good.push(p),
                    Err(e) => report.error(&e).map_err(|e| e.to_string())?,
                }
            }
            done += writer.replace_analyses(good).map_err(|e| e.to_string())?;
            if let Some(pb) = &report.progress {
                pb.set_position(done as u64);
            }
        }
        writer.finish().map_err(|e| e.to_string())?;
        report.finish().map_err(|e| e.to_string())?;
        if !args.write.quiet {
            eprintln!(
                "vigie reanalyze: {done} documents re-analysed ({analyzed_by}), {} failed, in {:.1} s",
                report.total(),
                started.elapsed().as_secs_f64()
            );
        }
        Ok(if report.total() > 0 {
            EXIT_SKIPPED
        } else {
            EXIT_OK
        })
    };
    run().unwrap_or_else(fail)
}

/// Runs `vigie check`: exit 0 when the store is sound, 1 when problems were found.
pub fn check(args: CheckArgs) -> u8 {
    let dir = args.store.dir();
    if !dir.join(vigie_store::DB_FILE).is_file() {
        return fail(format!("no Vigie store at {}", dir.display()));
    }
    let report = match Writer::open(&dir).and_then(|w| w.check(args.deep)) {
        Ok(r) => r,
        Err(e) => return fail(e),
    };
    if report.caught_up > 0 {
        println!(
            "re-indexed {} stored documents the full-text index lacked (an interrupted run, or an index rebuilt for this Vigie)",
            report.caught_up
        );
    }
    println!(
        "store {}: {} documents, {} versions, {} in the full-text index{}",
        dir.display(),
        report.documents,
        report.versions,
        report.indexed,
        if args.deep {
            format!(", {} analyses decoded", report.decoded)
        } else {
            String::new()
        }
    );
    if report.problems.is_empty() {
        println!("ok");
        EXIT_OK
    } else {
        for p in &report.problems {
            println!("problem: {p}");
        }
        EXIT_SKIPPED
    }
}

fn emphasise(snippet: &str, highlights: &[(usize, usize)], tty: bool) -> String {
    let (open, close) = if tty {
        ("\x1b[1m", "\x1b[0m")
    } else {
        ("[", "]")
    };
    let mut out = String::new();
    let mut it = highlights.iter().peekable();
    for (i, c) in snippet.chars().enumerate() {
        if let Some(&&(s, _)) = it.peek() {
            if s == i {
                out.push_str(open);
            }
        }
        if c.is_whitespace() {
            out.push(' ');
        } else {
            out.push(c);
        }
        if let Some(&&(_, e)) = it.peek() {
            if e == i + 1 {
                out.push_str(close);
                it.next();
            }
        }
    }
    out
}

fn report_unknown(unknown: &[String]) {
    for u in unknown {
        eprintln!("vigie: note: no {u} in this store");
    }
}

/// Runs `vigie search`.
pub fn search(args: SearchArgs) -> u8 {
    let run = || -> Result<u8, Failure> {
        let store = args.store.open()?;
        let mut filters = args.filters.filters();
        filters.actor = args.actor.clone();
        filters.speaker = args.speaker.clone();
        filters.narrative = args.narrative.clone();
        let started = Instant::now();
        let res = store.search(&args.query, &filters, args.limit, args.offset)?;
        let took = started.elapsed().as_secs_f64() * 1000.0;
        report_unknown(&res.unknown);
        let mut out = io::stdout().lock();
        let tty = io::stdout().is_terminal();
        match args.format {
            QueryFormat::Json => print_json(&mut out, &res),
            QueryFormat::Csv => print_csv(
                &mut out,
                &[
                    "rank",
                    "score",
                    "doc_id",
                    "date",
                    "outlet",
                    "lang",
                    "title",
                    "url",
                    "snippet",
                    "snippet_start",
                    "snippet_end",
                ],
                &res.hits
                    .iter()
                    .enumerate()
                    .map(|(i, h)| {
                        vec![
                            (args.offset + i + 1).to_string(),
                            format!("{:.3}", h.score),
                            h.doc_id.clone(),
                            or_dash(&h.date),
                            or_dash(&h.outlet),
                            or_dash(&h.lang),
                            or_dash(&h.title),
                            h.url.clone().unwrap_or_default(),
                            h.snippet.clone(),
                            h.snippet_start.to_string(),
                            h.snippet_end.to_string(),
                        ]
                    })
                    .collect::<Vec<_>>(),
            ),
            QueryFormat::Table => (|| {
                writeln!(
                    out,
                    "{} documents match ({took:.1} ms){}",
                    res.total,
                    if res.hits.is_empty() {
                        String::new()
                    } else {
                        format!(
                            "; showing {}–{}",
                            args.offset + 1,
                            args.offset + res.hits.len()
                        )
                    }
                )?;
                for (i, h) in res.hits.iter().enumerate() {
                    writeln!(
                        out,
                        "\n{:>3}. {}  {}  {}  [{}]  score {:.2}",
                        args.offset + i + 1,
                        or_dash(&h.date),
                        or_dash(&h.outlet),
                        clip(h.title.as_deref().unwrap_or("(no title)"), 90),
                        h.doc_id,
                        h.score
                    )?;
                    writeln!(out, "     {}", emphasise(&h.snippet, &h.highlights, tty))?;
                }
                let mut dim = "";
                for f in &res.facets {
                    if f.facet != dim {
                        dim = &f.facet;
                        write!(out, "\n{dim}:")?;
                    }
                    write!(out, "  {} ({})", f.name, f.count)?;
                }
                writeln!(out)
            })(),
        }
        .map_err(|e| e.to_string())?;
        Ok(EXIT_OK)
    };
    run().unwrap_or_else(fail)
}

/// Runs `vigie quotes`.
pub fn quotes(args: QuotesArgs) -> u8 {
    let run = || -> Result<u8, Failure> {
        let store = args.store.open()?;
        let q = QuoteQuery {
            speaker: args.speaker.clone(),
            about: args.about.clone(),
            narrative: args.narrative.clone(),
            filters: args.filters.filters(),
            limit: args.limit,
            offset: 0,
        };
        let (hits, unknown) = store.quotes(&q)?;
        report_unknown(&unknown);
        let mut out = io::stdout().lock();
        let headers = [
            "date", "outlet", "speaker", "role", "type", "quote", "doc_id", "span", "url",
        ];
        let rows: Vec<Vec<String>> = hits
            .iter()
            .map(|h| {
                let full = args.format != QueryFormat::Table;
                vec![
                    or_dash(&h.date),
                    or_dash(&h.outlet),
                    h.speaker
                        .clone()
                        .or(h.mention.clone())
                        .unwrap_or_else(|| "(unknown)".into()),
                    if full {
                        h.speaker_role.clone().unwrap_or_default()
                    } else {
                        clip(h.speaker_role.as_deref().unwrap_or(""), 24)
                    },
                    h.kind.clone(),
                    if full {
                        h.content.clone()
                    } else {
                        clip(&h.content, 90)
                    },
                    h.doc_id.clone(),
                    format!("{}-{}", h.start, h.end),
                    h.url.clone().unwrap_or_default(),
                ]
            })
            .collect();
        match args.format {
            QueryFormat::Json => print_json(&mut out, &hits),
            QueryFormat::Csv => print_csv(&mut out, &headers, &rows),
            QueryFormat::Table => {
                let rows: Vec<Vec<String>> = rows
                    .into_iter()
                    .map(|mut r| {
                        r.truncate(8);
                        r
                    })
                    .collect();
                print_table(&mut out, &headers[..8], &rows).and_then(|_| {
                    writeln!(
                        out,
                        "{} quotes (`vigie show DOC_ID` shows one in its document)",
                        hits.len()
                    )
                })
            }
        }
        .map_err(|e| e.to_string())?;
        Ok(EXIT_OK)
    };
    run().unwrap_or_else(fail)
}

/// Runs `vigie trends`.
pub fn trends(args: TrendsArgs) -> u8 {
    let run = || -> Result<u8, Failure> {
        let store = args.store.open()?;
        let by = match args.by {
            ByArg::Narrative => TrendBy::Narrative,
            ByArg::Actor => TrendBy::Actor,
            ByArg::Speaker => TrendBy::Speaker,
            ByArg::Outlet => TrendBy::Outlet,
        };
        let interval = match args.interval {
            IntervalArg::Day => Interval::Day,
            IntervalArg::Week => Interval::Week,
            IntervalArg::Month => Interval::Month,
        };
        let filters = Filters {
            from: args.from,
            to: args.to,
            ..Default::default()
        };
        let started = Instant::now();
        let t = store.trends(by, interval, args.top, &args.key, &filters)?;
        let took = started.elapsed().as_secs_f64() * 1000.0;
        let mut out = io::stdout().lock();
        match args.format {
            QueryFormat::Json => print_json(&mut out, &t),
            QueryFormat::Csv => {
                let mut rows = Vec::new();
                for s in &t.series {
                    for (b, c) in t.buckets.iter().zip(&s.counts) {
                        rows.push(vec![
                            b.clone(),
                            s.key.clone(),
                            s.name.clone(),
                            c.to_string(),
                        ]);
                    }
                }
                print_csv(&mut out, &["interval", "key", "name", "documents"], &rows)
            }
            QueryFormat::Table => (|| {
                if t.series.is_empty() {
                    return writeln!(out, "no dated documents to count by {} in this store", t.by);
                }
                writeln!(
                    out,
                    "documents per {} by {}, {} to {} ({took:.0} ms)\n",
                    format!("{:?}", args.interval).to_lowercase(),
                    t.by,
                    t.buckets.first().map_or("", |s| s.as_str()),
                    t.buckets.last().map_or("", |s| s.as_str())
                )?;
                let name_w = t
                    .series
                    .iter()
                    .map(|s| clip(&s.name, 32).chars().count())
                    .max()
                    .unwrap_or(0);
                for s in &t.series {
                    let name = clip(&s.name, 32);
                    let pad = " ".repeat(name_w - name.chars().count());
                    writeln!(
                        out,
                        "{name}{pad}  {:>6}  {}",
                        s.total,
                        sparkline(&fit(&s.counts, 100))
                    )?;
                }
                let mut headers: Vec<&str> = vec!["interval"];
                let names: Vec<String> = t.series.iter().map(|s| clip(&s.name, 18)).collect();
                headers.extend(names.iter().map(|s| s.as_str()));
                let rows: Vec<Vec<String>> = t
                    .buckets
                    .iter()
                    .enumerate()
                    .map(|(i, b)| {
                        std::iter::once(b.clone())
                            .chain(t.series.iter().map(|s| s.counts[i].to_string()))
                            .collect()
                    })
                    .collect();
                writeln!(out)?;
                print_table(&mut out, &headers, &rows)?;
                if t.undated > 0 {
                    writeln!(out, "({} undated documents left out)", t.undated)?;
                }
                Ok(())
            })(),
        }
        .map_err(|e| e.to_string())?;
        Ok(EXIT_OK)
    };
    run().unwrap_or_else(fail)
}

/// Sums neighbouring counts so that a chart of many intervals fits `width` characters.
fn fit(counts: &[u64], width: usize) -> Vec<u64> {
    if counts.len() <= width {
        return counts.to_vec();
    }
    let per = counts.len().div_ceil(width);
    counts.chunks(per).map(|c| c.iter().sum()).collect()
}

fn describe(c: &vigie_store::reprints::Changes) -> String {
    let mut v = Vec::new();
    if c.title_changed {
        v.push("new title".to_string());
    }
    for x in &c.credits_removed {
        v.push(format!("credit {x} removed"));
    }
    for x in &c.credits_added {
        v.push(format!("credit {x} added"));
    }
    if c.paragraphs_cut > 0 {
        v.push(format!("{} ¶ cut", c.paragraphs_cut));
    }
    if c.paragraphs_added > 0 {
        v.push(format!("{} ¶ added", c.paragraphs_added));
    }
    if c.paragraphs_reworded > 0 {
        v.push(format!("{} ¶ reworded", c.paragraphs_reworded));
    }
    if c.reordered {
        v.push("reordered".into());
    }
    if v.is_empty() {
        "identical".into()
    } else {
        v.join(", ")
    }
}

/// Runs `vigie reprints`.
pub fn reprints(args: ReprintsArgs) -> u8 {
    let run = || -> Result<u8, String> {
        if !(0.0..=1.0).contains(&args.threshold) {
            return Err(format!(
                "--threshold {} is not between 0 and 1",
                args.threshold
            ));
        }
        let store = args.store.open()?;
        let filters = Filters {
            from: args.from,
            to: args.to,
            ..Default::default()
        };
        let opts = ReprintOptions {
            threshold: args.threshold,
            cross_outlet: args.cross_outlet,
            days: filters.days(),
        };
        let started = Instant::now();
        let mut clusters = store.reprints(&opts).map_err(|e| e.to_string())?;
        let took = started.elapsed().as_secs_f64();
        if args.limit > 0 {
            clusters.truncate(args.limit);
        }
        let mut out = io::stdout().lock();
        match args.format {
            QueryFormat::Json => print_json(&mut out, &clusters),
            QueryFormat::Csv => {
                let mut rows = Vec::new();
                for c in &clusters {
                    for k in &c.copies {
                        let ch = &k.changes;
                        rows.push(vec![
                            c.original.doc_id.clone(),
                            or_dash(&c.original.outlet),
                            or_dash(&c.original.date),
                            k.doc.doc_id.clone(),
                            or_dash(&k.doc.outlet),
                            or_dash(&k.doc.date),
                            k.lag_days.map(|d| d.to_string()).unwrap_or_default(),
                            k.similarity.to_string(),
                            k.jaccard.to_string(),
                            ch.title_changed.to_string(),
                            ch.credits_removed.join(" "),
                            ch.credits_added.join(" "),
                            ch.paragraphs_cut.to_string(),
                            ch.paragraphs_added.to_string(),
                            ch.paragraphs_reworded.to_string(),
                            ch.reordered.to_string(),
                        ]);
                    }
                }
                print_csv(
                    &mut out,
                    &[
                        "original",
                        "original_outlet",
                        "original_date",
                        "copy",
                        "copy_outlet",
                        "copy_date",
                        "lag_days",
                        "similarity",
                        "jaccard",
                        "title_changed",
                        "credits_removed",
                        "credits_added",
                        "paragraphs_cut",
                        "paragraphs_added",
                        "paragraphs_reworded",
                        "reordered",
                    ],
                    &rows,
                )
            }
            QueryFormat::Table => (|| {
                let copies: usize = clusters.iter().map(|c| c.copies.len()).sum();
                writeln!(
                    out,
                    "{} clusters, {copies} copies, linked by similarity ≥ {} ({took:.2} s)",
                    clusters.len(),
                    args.threshold
                )?;
                for c in &clusters {
                    writeln!(
                        out,
                        "\n{}  {}  {}  [{}]  original, {} outlets",
                        or_dash(&c.original.date),
                        or_dash(&c.original.outlet),
                        clip(c.original.title.as_deref().unwrap_or("(no title)"), 80),
                        c.original.doc_id,
                        c.outlets
                    )?;
                    for k in &c.copies {
                        writeln!(
                            out,
                            "  {}  {}  {}  [{}]  similarity {:.2}: {}",
                            or_dash(&k.doc.date),
                            k.lag_days.map_or("".into(), |d| format!("+{d} d")),
                            or_dash(&k.doc.outlet),
                            k.doc.doc_id,
                            k.similarity,
                            describe(&k.changes)
                        )?;
                    }
                }
                Ok(())
            })(),
        }
        .map_err(|e| e.to_string())?;
        Ok(EXIT_OK)
    };
    run().unwrap_or_else(fail)
}

/// Runs `vigie show`.
pub fn show(args: ShowArgs) -> u8 {
    let run = || -> Result<u8, String> {
        let store = args.store.open()?;
        let Some(view) = store
            .show(&args.doc_id, args.version)
            .map_err(|e| e.to_string())?
        else {
            return Err(format!(
                "no document {:?} in {}",
                args.doc_id,
                store.dir().display()
            ));
        };
        let mut out = io::stdout().lock();
        match args.format {
            ShowFormat::Json => print_json(&mut out, &view),
            ShowFormat::Text => {
                let text = view.analysis.text.clone().unwrap_or_default();
                write!(out, "{}", text_view::render(&view.analysis, &text)).and_then(|_| {
                    writeln!(
                        out,
                        "version {} of {} ({}); analysed by {}",
                        view.version,
                        view.versions.len(),
                        view.versions
                            .iter()
                            .map(|v| format!("v{} {}", v.version, v.ingested_at))
                            .collect::<Vec<_>>()
                            .join(", "),
                        view.analyzed_by
                    )
                })
            }
        }
        .map_err(|e| e.to_string())?;
        Ok(EXIT_OK)
    };
    run().unwrap_or_else(fail)
}
