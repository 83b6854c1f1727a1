//! `vigie train ner`: trains the French NER model, reproducibly, and scores it on a held-out
//! validation split that training never sees.

use clap::{Args, Subcommand};
use serde_json::Value;
use std::io::{self, BufRead, Write};
use std::path::PathBuf;
use vigie_core::CharIndex;
use vigie_nlp::ner::{self, TrainDoc, TrainSentence};
use vigie_nlp::{Options, Pipeline, Resources};

/// What to train.
#[derive(Subcommand, Debug)]
pub enum TrainCommand {
    /// The named-entity tagger, from gold JSONL `{id, text, entities: [{start, end, label}]}`.
    Ner(NerArgs),
}

/// Arguments of `vigie train ner`.
#[derive(Args, Debug)]
pub struct NerArgs {
    /// Gold annotations (e.g. ../shared/gold/ner-fr-dev.jsonl).
    #[arg(long)]
    pub gold: PathBuf,
    /// Where to write the model.
    #[arg(long, default_value = "resources/models/ner-fr.bin.gz")]
    pub out: PathBuf,
    /// Training epochs.
    #[arg(long, default_value_t = 12)]
    pub epochs: usize,
    /// Documents whose id hashes to 0 modulo this number form the validation split.
    #[arg(long, default_value_t = 5)]
    pub folds: u32,
    /// Write the validation gold records here (for ../shared/eval/score_entities.py).
    #[arg(long)]
    pub valid_gold: Option<PathBuf>,
    /// Write the predictions on the validation split here.
    #[arg(long)]
    pub valid_pred: Option<PathBuf>,
}

/// FNV-1a, 32 bits: the split must be reproducible in any language (bench/ner.py uses it too).
pub fn fnv1a32(s: &str) -> u32 {
    let mut h: u32 = 0x811c9dc5;
    for b in s.bytes() {
        h ^= b as u32;
        h = h.wrapping_mul(0x01000193);
    }
    h
}

struct Gold {
    id: String,
    text: String,
    entities: Vec<(usize, usize, String)>,
    raw: Value,
}

fn read_gold(path: &PathBuf) -> io::Result<Vec<Gold>> {
    let f = std::fs::File::open(path)?;
    let mut out = Vec::new();
    for (n, line) in io::BufReader::new(f).lines().enumerate() {
        let line = line?;
        if line.trim().is_empty() {
            continue;
        }
        let v: Value = serde_json::from_str(&line)
            .map_err(|e| io::Error::other(format!("{}:{}: {e}", path.display(), n + 1)))?;
        let bad = || {
            io::Error::other(format!(
                "{}:{}: needs id, text and entities",
                path.display(),
                n + 1
            ))
        };
        let id = match &v["id"] {
            Value::String(s) => s.clone(),
            Value::Number(x) => x.to_string(),
            _ => return Err(bad()),
        };
        let text = v["text"].as_str().ok_or_else(bad)?.to_string();
        let entities = v["entities"]
            .as_array()
            .ok_or_else(bad)?
            .iter()
            .filter_map(|e| {
                Some((
                    e["start"].as_u64()? as usize,
                    e["end"].as_u64()? as usize,
                    e["label"].as_str()?.to_string(),
                ))
            })
            .collect();
        out.push(Gold {
            id,
            text,
            entities,
            raw: v,
        });
    }
    Ok(out)
}

/// Byte offset of each code point (and the end).
fn char_to_byte(text: &str) -> Vec<usize> {
    text.char_indices()
        .map(|(i, _)| i)
        .chain(std::iter::once(text.len()))
        .collect()
}

fn to_train_doc(pipeline: &Pipeline, g: &Gold) -> TrainDoc {
    let p = pipeline.prepare(&g.text);
    let c2b = char_to_byte(&g.text);
    let nt = p.norm.text.to_string();
    let ents: Vec<(usize, usize, usize)> = g
        .entities
        .iter()
        .filter_map(|(s, e, l)| {
            let label = ner::LABELS.iter().position(|x| x == l)?;
            let (s, e) = (*c2b.get(*s)?, *c2b.get(*e)?);
            Some((p.norm.from_original(s), p.norm.from_original(e), label))
        })
        .collect();
    let codes = vigie_nlp::gaz_codes(pipeline.resources(), &p.tokens, &p.gazetteer);
    let mut sentences: Vec<TrainSentence> = Vec::new();
    let mut last = u32::MAX;
    for (k, t) in p.tokens.iter().enumerate() {
        if t.sentence != last {
            sentences.push(TrainSentence {
                tokens: Vec::new(),
                gaz: Vec::new(),
                tags: Vec::new(),
            });
            last = t.sentence;
        }
        let tag = ents
            .iter()
            .find(|(s, e, _)| t.span.start >= *s && t.span.end <= *e)
            .map_or(0, |(s, _, l)| 1 + 2 * l + (t.span.start > *s) as usize);
        let cur = sentences.last_mut().expect("pushed above");
        cur.tokens.push(*t);
        cur.gaz.push(codes[k]);
        cur.tags.push(tag);
    }
    TrainDoc {
        text: nt,
        sentences,
    }
}

/// Runs `vigie train ...`.
pub fn run(cmd: TrainCommand) -> io::Result<()> {
    let TrainCommand::Ner(args) = cmd;
    let gold = read_gold(&args.gold)?;
    let folds = args.folds.max(2);
    let (valid, train): (Vec<&Gold>, Vec<&Gold>) = gold
        .iter()
        .partition(|g| fnv1a32(&g.id).is_multiple_of(folds));
    eprintln!(
        "vigie train ner: {} training documents, {} validation documents",
        train.len(),
        valid.len()
    );
    let base = Pipeline::new(Resources::embedded_data(), Options::default());
    let docs: Vec<TrainDoc> = train.iter().map(|g| to_train_doc(&base, g)).collect();
    let started = std::time::Instant::now();
    let model = ner::train(&docs, args.epochs, &mut |line| eprintln!("  {line}"));
    eprintln!(
        "  {} features, trained in {:.1} s",
        model.len(),
        started.elapsed().as_secs_f64()
    );
    std::fs::write(&args.out, model.to_bytes())?;
    eprintln!("  model written to {}", args.out.display());

    let mut res = Resources::embedded_data();
    res.ner_fr = model;
    let pipeline = Pipeline::new(
        res,
        Options {
            include_text: false,
            layers: vigie_nlp::Layers::Entities,
            time_budget: None,
            memory_budget: None,
        },
    );
    let (mut tp, mut np, mut ng) = (0usize, 0usize, 0usize);
    let mut pred_out = args
        .valid_pred
        .as_ref()
        .map(std::fs::File::create)
        .transpose()?
        .map(io::BufWriter::new);
    let mut gold_out = args
        .valid_gold
        .as_ref()
        .map(std::fs::File::create)
        .transpose()?
        .map(io::BufWriter::new);
    for g in &valid {
        let p = pipeline.prepare(&g.text);
        let idx = CharIndex::new(&g.text);
        let pred: Vec<(usize, usize, String)> = pipeline
            .entities(&p)
            .iter()
            .map(|e| {
                let s = idx.span(p.norm.span_to_original(e.span));
                (s.start, s.end, ner::LABELS[e.label].to_string())
            })
            .collect();
        np += pred.len();
        ng += g.entities.len();
        tp += pred.iter().filter(|x| g.entities.contains(x)).count();
        if let Some(w) = &mut pred_out {
            let ents: Vec<Value> = pred
                .iter()
                .map(|(s, e, l)| serde_json::json!({"start": s, "end": e, "label": l}))
                .collect();
            writeln!(w, "{}", serde_json::json!({"id": g.id, "entities": ents}))?;
        }
        if let Some(w) = &mut gold_out {
            writeln!(w, "{}", g.raw)?;
        }
    }
    let (p, r) = (tp as f64 / np.max(1) as f64, tp as f64 / ng.max(1) as f64);
    let f = if p + r > 0.0 {
        2.0 * p * r / (p + r)
    } else {
        0.0
    };
    eprintln!("validation (exact spans): P {p:.4} R {r:.4} F1 {f:.4} ({ng} gold, {np} predicted)");
    Ok(())
}
