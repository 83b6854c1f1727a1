//! `vigie eval quotes`: scores Vigie (or any system's predictions) against gold quotations,
//! with the same figures as `../shared/eval/score_quotes.py`.

use crate::{EXIT_FATAL, EXIT_OK, EXIT_SKIPPED};
use clap::{Args, Subcommand};
use rayon::prelude::*;
use serde_json::Value;
use std::collections::HashMap;
use std::io::{self, BufRead, BufReader, Write};
use std::ops::ControlFlow;
use std::path::{Path, PathBuf};
use vigie_core::eval::{self, QuoteSet};
use vigie_io::{Item, ReadOptions};
use vigie_nlp::{Options, Pipeline, Resources};

/// What to evaluate.
#[derive(Subcommand, Debug)]
pub enum EvalCommand {
    /// Quotations and their speakers, from gold JSONL `{id, quotes: [{type, content, speaker}]}`.
    Quotes(QuotesArgs),
}

/// Arguments of `vigie eval quotes`.
#[derive(Args, Debug)]
pub struct QuotesArgs {
    /// Gold annotations: one `{id, quotes}` object per line, offsets in code points (`.gz` is
    /// decompressed).
    #[arg(long)]
    pub gold: PathBuf,
    /// Documents to analyse (any input `vigie analyze` reads); their ids must match the gold's.
    #[arg(required_unless_present = "pred", conflicts_with = "pred")]
    pub inputs: Vec<PathBuf>,
    /// Score this prediction file (JSONL `{id, quotes}`, e.g. `vigie analyze` output) instead of
    /// analysing documents.
    #[arg(long)]
    pub pred: Option<PathBuf>,
    /// Print the figures as one JSON object (as `score_quotes.py --json`).
    #[arg(long)]
    pub json: bool,
    /// Also list up to this many missed quotes, wrong speakers and false positives.
    #[arg(long, default_value_t = 0)]
    pub details: usize,
    /// Write Vigie's predictions (one `{id, quotes}` per line) to this file.
    #[arg(long)]
    pub write_pred: Option<PathBuf>,
    /// Stop at the first bad input line instead of reporting it and going on.
    #[arg(long)]
    pub strict: bool,
    /// Directory of resource files overriding the embedded ones.
    #[arg(long)]
    pub resources: Option<PathBuf>,
}

/// Runs `vigie eval`; returns the exit code.
pub fn run(cmd: EvalCommand) -> u8 {
    let EvalCommand::Quotes(args) = cmd;
    match quotes(&args) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("vigie: error: {e}");
            EXIT_FATAL
        }
    }
}

/// Reads a JSONL file of `{id, quotes}` records; bad lines are reported with their number.
fn read_records(
    path: &Path,
    strict: bool,
    bad: &mut usize,
    texts: &mut HashMap<String, String>,
) -> io::Result<QuoteSet> {
    let f = std::fs::File::open(path)
        .map_err(|e| io::Error::new(e.kind(), format!("{}: {e}", path.display())))?;
    // `.gz` files are read through gzip (the shared train sets are compressed).
    let reader: Box<dyn BufRead> = if path.extension().is_some_and(|e| e == "gz") {
        Box::new(BufReader::new(flate2::read::MultiGzDecoder::new(f)))
    } else {
        Box::new(BufReader::new(f))
    };
    let mut set = QuoteSet::new();
    for (n, line) in reader.split(b'\n').enumerate() {
        // A read error (a truncated gzip file) ends the file: reported, the records before it
        // kept, unless `--strict`.
        let line = match line {
            Ok(l) => l,
            Err(e) => {
                let at = format!("{}:{}: {e}", path.display(), n + 1);
                if strict {
                    return Err(io::Error::new(e.kind(), at));
                }
                eprintln!("vigie: skipped the rest of {at}");
                *bad += 1;
                break;
            }
        };
        if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        let parsed = std::str::from_utf8(&line)
            .map_err(|e| e.to_string())
            .and_then(|s| serde_json::from_str::<Value>(s).map_err(|e| e.to_string()))
            .and_then(|v| {
                set.insert_record(&v)?;
                Ok(v)
            });
        match parsed {
            Ok(v) => {
                if let (Some(id), Some(t)) = (v.get("id"), v.get("text").and_then(Value::as_str)) {
                    let id = id.as_str().map_or_else(|| id.to_string(), str::to_string);
                    texts.insert(id, t.to_string());
                }
            }
            Err(e) => {
                eprintln!("vigie: skipped {}:{}: {e}", path.display(), n + 1);
                *bad += 1;
                if strict {
                    return Err(io::Error::other("stopped at the first bad line (--strict)"));
                }
            }
        }
    }
    Ok(set)
}

/// Analyses the inputs and returns their quotes as records, with the texts.
fn analyse(
    args: &QuotesArgs,
    bad: &mut usize,
    texts: &mut HashMap<String, String>,
) -> io::Result<QuoteSet> {
    let res = match &args.resources {
        Some(dir) => Resources::load(dir).map_err(io::Error::other)?,
        None => Resources::embedded(),
    };
    let pipeline = Pipeline::new(
        res,
        Options {
            include_text: false,
            ..Default::default()
        },
    );
    let (sources, errors) = vigie_io::expand_inputs(&args.inputs);
    let mut docs = Vec::new();
    let report = |e: &vigie_io::InputError| {
        eprintln!("vigie: skipped {e}");
    };
    for e in &errors {
        report(e);
    }
    *bad += errors.len();
    let mut stop = args.strict && !errors.is_empty();
    if !stop {
        let mut sink = |item: Item| match item {
            Item::Doc(d) => {
                docs.push(*d);
                ControlFlow::Continue(())
            }
            Item::Error(e) => {
                report(&e);
                *bad += 1;
                if args.strict {
                    stop = true;
                    ControlFlow::Break(())
                } else {
                    ControlFlow::Continue(())
                }
            }
        };
        let _ = vigie_io::read_sources(&sources, &ReadOptions::default(), &mut sink);
    }
    if stop {
        return Err(io::Error::other(
            "stopped at the first bad input (--strict)",
        ));
    }
    let analysed: Vec<(String, Value)> = docs
        .par_iter()
        .map(|d| {
            let a = pipeline.analyze(d);
            let quotes = serde_json::to_value(&a.quotes).unwrap_or(Value::Array(Vec::new()));
            (d.id.clone(), quotes)
        })
        .collect();
    let mut set = QuoteSet::new();
    for ((id, quotes), d) in analysed.into_iter().zip(docs) {
        let quotes = match quotes {
            Value::Array(a) => a,
            _ => Vec::new(),
        };
        texts.insert(id.clone(), d.text);
        set.insert(id, quotes);
    }
    Ok(set)
}

fn quotes(args: &QuotesArgs) -> io::Result<u8> {
    let mut bad = 0usize;
    let mut texts = HashMap::new();
    let gold = read_records(&args.gold, args.strict, &mut bad, &mut texts)?;
    if gold.is_empty() {
        return Err(io::Error::other(format!(
            "{}: no gold record",
            args.gold.display()
        )));
    }
    let pred = match &args.pred {
        Some(p) => read_records(p, args.strict, &mut bad, &mut texts)?,
        None => analyse(args, &mut bad, &mut texts)?,
    };
    if let Some(path) = &args.write_pred {
        let mut w = io::BufWriter::new(std::fs::File::create(path)?);
        for id in pred.ids() {
            let rec = serde_json::json!({"id": id, "quotes": pred.get(id).unwrap_or(&[])});
            serde_json::to_writer(&mut w, &rec)?;
            w.write_all(b"\n")?;
        }
        w.flush()?;
    }
    let scores = eval::score_quotes(&gold, &pred);
    let mut out = io::stdout().lock();
    if args.json {
        serde_json::to_writer(&mut out, &scores)?;
        writeln!(out)?;
    } else {
        write!(out, "{}", scores.report())?;
    }
    if args.details > 0 {
        write!(out, "{}", details(&gold, &pred, &texts, args.details))?;
    }
    Ok(if bad > 0 { EXIT_SKIPPED } else { EXIT_OK })
}

/// Text of `[s, e)` in code points, on one line, cut to `max` characters.
fn excerpt(text: Option<&String>, s: i64, e: i64, max: usize) -> String {
    let Some(t) = text else {
        return String::new();
    };
    let (s, e) = (s.max(0) as usize, e.max(0) as usize);
    let snippet: String = t
        .chars()
        .skip(s)
        .take(e.saturating_sub(s).min(max))
        .collect();
    snippet.replace(['\n', '\r'], " ")
}

/// The errors, for tuning: missed gold quotes, wrong speakers, false positives.
fn details(gold: &QuoteSet, pred: &QuoteSet, texts: &HashMap<String, String>, n: usize) -> String {
    let (mut missed, mut wrong, mut spurious) = (Vec::new(), Vec::new(), Vec::new());
    for id in gold.ids() {
        let gq = gold.get(id).unwrap_or(&[]);
        let pq = pred.get(id).unwrap_or(&[]);
        let text = texts.get(id);
        let pairs = eval::match_quotes(gq, pq, false);
        let span = |q: &Value| eval::span_of(q).unwrap_or((0, 0));
        let name = |q: &Value| eval::speaker_of(q).unwrap_or("-").to_string();
        for (i, g) in gq.iter().enumerate() {
            let (s, e) = span(g);
            match pairs.iter().find(|p| p.0 == i) {
                None => missed.push(format!(
                    "  {id} [{s}, {e}) {}: «{}»",
                    name(g),
                    excerpt(text, s, e, 80)
                )),
                Some(&(_, j)) => {
                    let gs = g.get("speaker").and_then(Value::as_str);
                    if !eval::same_speaker(gs, eval::speaker_of(&pq[j])) {
                        wrong.push(format!(
                            "  {id} [{s}, {e}) gold {} / predicted {}: «{}»",
                            name(g),
                            name(&pq[j]),
                            excerpt(text, s, e, 60)
                        ));
                    }
                }
            }
        }
        for (j, p) in pq.iter().enumerate() {
            if !pairs.iter().any(|x| x.1 == j) {
                let (s, e) = span(p);
                spurious.push(format!(
                    "  {id} [{s}, {e}) {}: «{}»",
                    name(p),
                    excerpt(text, s, e, 80)
                ));
            }
        }
    }
    let mut out = String::new();
    for (title, list) in [
        ("missed (lenient)", &missed),
        ("wrong speaker", &wrong),
        ("false positives (lenient)", &spurious),
    ] {
        out.push_str(&format!("{title}: {}\n", list.len()));
        for l in list.iter().take(n) {
            out.push_str(l);
            out.push('\n');
        }
    }
    out
}
