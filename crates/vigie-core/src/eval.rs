//! Scoring quotations against gold annotations, figure for figure as the reference scorer
//! `../shared/eval/score_quotes.py` (that script stays the yardstick; this is the same
//! arithmetic, so users can measure Vigie on their own annotated data without Python).
//!
//! Records are JSON objects `{id, quotes: [...]}`. A quote has `content` as `[start, end]` or
//! `{start, end}` (Unicode code points) and an optional `type`. A gold `speaker` is a string or
//! null (as the reference script reads it); a predicted one may also be `{name}` (or
//! `{canonical}`, `{text}`).
//!
//! - lenient: a prediction matches a gold quote when it covers at least 30% of the gold span;
//! - strict: intersection over union at least 0.8;
//! - matching is one-to-one, best overlap first;
//! - speaker: the names agree once case, accents, articles and punctuation are ignored, or the
//!   tokens of one are contained in the other's (`Camara` matches `Sadio Camara`).

use serde::Serialize;
use serde_json::Value;
use std::collections::HashMap;
use unicode_normalization::char::canonical_combining_class;
use unicode_normalization::UnicodeNormalization;

/// Articles ignored when comparing speaker names.
const ARTICLES: &[&str] = &[
    "le", "la", "les", "l", "un", "une", "des", "du", "de", "d", "the", "a", "an",
];

/// The figures of one matching mode.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct ModeScores {
    /// Matched predictions / predictions.
    pub precision: f64,
    /// Matched gold quotes / gold quotes.
    pub recall: f64,
    /// Harmonic mean of the two.
    pub f1: f64,
    /// Among matched quotes, the share with the right speaker.
    pub speaker_accuracy: f64,
    /// Among matched quotes, the share with the right type.
    pub type_accuracy: f64,
    /// Precision counting a quote only when matched with the right speaker.
    pub attributed_precision: f64,
    /// Recall counting a quote only when matched with the right speaker.
    pub attributed_recall: f64,
    /// F1 of the two above.
    pub attributed_f1: f64,
}

/// All figures, in the shape of `score_quotes.py --json`.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct QuoteScores {
    /// Gold documents.
    pub documents: usize,
    /// Gold documents absent from the predictions (scored as having no quotes).
    pub documents_missing_in_pred: usize,
    /// Gold quotes.
    pub gold_quotes: usize,
    /// Predicted quotes in the gold documents.
    pub pred_quotes: usize,
    /// Lenient matching (>= 30% of the gold span covered).
    pub lenient: ModeScores,
    /// Strict matching (IoU >= 0.8).
    pub strict: ModeScores,
}

impl QuoteScores {
    /// The report printed by `score_quotes.py` without `--json`.
    pub fn report(&self) -> String {
        let mut s = format!(
            "documents {} (missing in predictions: {}), gold quotes {}, predicted {}\n",
            self.documents, self.documents_missing_in_pred, self.gold_quotes, self.pred_quotes
        );
        for (name, m) in [("lenient", &self.lenient), ("strict", &self.strict)] {
            s.push_str(&format!(
                "{name:8} P {:.3} R {:.3} F1 {:.3} | speaker acc {:.3} | type acc {:.3} | attributed F1 {:.3}\n",
                m.precision, m.recall, m.f1, m.speaker_accuracy, m.type_accuracy, m.attributed_f1
            ));
        }
        s
    }
}

/// Documents by id, in first-seen order, each with its quotes (a later record with the same id
/// replaces an earlier one, as in the reference scorer).
#[derive(Debug, Clone, Default)]
pub struct QuoteSet {
    order: Vec<String>,
    quotes: HashMap<String, Vec<Value>>,
}

impl QuoteSet {
    /// An empty set.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds one record `{id, quotes}`; a record without `quotes` (or with null) has none.
    pub fn insert_record(&mut self, record: &Value) -> Result<(), String> {
        let id = match record.get("id") {
            Some(Value::String(s)) => s.clone(),
            Some(v) if !v.is_null() => v.to_string(),
            _ => return Err("the record has no `id`".into()),
        };
        let quotes = match record.get("quotes") {
            None | Some(Value::Null) => Vec::new(),
            Some(Value::Array(a)) => a.clone(),
            Some(_) => return Err("`quotes` is not an array".into()),
        };
        for q in &quotes {
            span_of(q).ok_or_else(|| format!("a quote of `{id}` has no valid `content` span"))?;
        }
        self.insert(id, quotes);
        Ok(())
    }

    /// Adds (or replaces) the quotes of one document.
    pub fn insert(&mut self, id: String, quotes: Vec<Value>) {
        if !self.quotes.contains_key(&id) {
            self.order.push(id.clone());
        }
        self.quotes.insert(id, quotes);
    }

    /// The quotes of a document.
    pub fn get(&self, id: &str) -> Option<&[Value]> {
        self.quotes.get(id).map(Vec::as_slice)
    }

    /// Document ids in first-seen order.
    pub fn ids(&self) -> impl Iterator<Item = &str> {
        self.order.iter().map(String::as_str)
    }

    /// Number of documents.
    pub fn len(&self) -> usize {
        self.order.len()
    }

    /// No documents.
    pub fn is_empty(&self) -> bool {
        self.order.is_empty()
    }
}

/// The name tokens compared between speakers: accents, case, punctuation and articles dropped.
pub fn name_tokens(name: &str) -> Vec<String> {
    let folded: String = name
        .nfkd()
        .filter(|&c| canonical_combining_class(c) == 0)
        .collect::<String>()
        .to_lowercase();
    folded
        .split(|c: char| !(c.is_ascii_lowercase() || c.is_ascii_digit()))
        .filter(|t| !t.is_empty() && !ARTICLES.contains(t))
        .map(str::to_string)
        .collect()
}

/// Whether two speaker names (either may be absent) name the same source.
pub fn same_speaker(gold: Option<&str>, pred: Option<&str>) -> bool {
    let g = gold.map(name_tokens).unwrap_or_default();
    let p = pred.map(name_tokens).unwrap_or_default();
    match (g.is_empty(), p.is_empty()) {
        (true, true) => true,
        (true, false) | (false, true) => false,
        _ => g.iter().all(|t| p.contains(t)) || p.iter().all(|t| g.contains(t)),
    }
}

/// The content span of a quote, `[start, end]` or `{start, end}`.
pub fn span_of(q: &Value) -> Option<(i64, i64)> {
    let c = q.get("content")?;
    let (s, e) = match c {
        Value::Array(a) if a.len() >= 2 => (&a[0], &a[1]),
        Value::Object(o) => (o.get("start")?, o.get("end")?),
        _ => return None,
    };
    let num = |v: &Value| v.as_i64().or_else(|| v.as_f64().map(|f| f as i64));
    Some((num(s)?, num(e)?))
}

/// The speaker name of a quote: a string, or the `name` (`canonical`, `text`) of an object.
pub fn speaker_of(q: &Value) -> Option<&str> {
    match q.get("speaker")? {
        Value::String(s) => Some(s),
        Value::Object(o) => ["name", "canonical", "text"]
            .iter()
            .filter_map(|k| o.get(*k).and_then(Value::as_str))
            .find(|s| !s.is_empty()),
        _ => None,
    }
}

/// One-to-one matching, best overlap first: pairs `(gold index, predicted index)`.
pub fn match_quotes(golds: &[Value], preds: &[Value], strict: bool) -> Vec<(usize, usize)> {
    // (i128: no overflow whatever the offsets a file holds.)
    let spans = |qs: &[Value]| -> Vec<(i128, i128)> {
        qs.iter()
            .map(|q| span_of(q).map_or((0, 0), |(s, e)| (s as i128, e as i128)))
            .collect()
    };
    let (gspans, pspans) = (spans(golds), spans(preds));
    let mut pairs: Vec<(f64, usize, usize)> = Vec::new();
    for (i, &(gs, ge)) in gspans.iter().enumerate() {
        for (j, &(ps, pe)) in pspans.iter().enumerate() {
            let inter = (ge.min(pe) - gs.max(ps)).max(0);
            if inter == 0 {
                continue;
            }
            let (score, ok) = if strict {
                let s = inter as f64 / (ge.max(pe) - gs.min(ps)) as f64;
                (s, s >= 0.8)
            } else {
                let s = inter as f64 / (ge - gs).max(1) as f64;
                (s, s >= 0.3)
            };
            if ok {
                pairs.push((score, i, j));
            }
        }
    }
    // Highest score first; ties broken as Python's reverse tuple sort does.
    pairs.sort_by(|a, b| b.0.total_cmp(&a.0).then(b.1.cmp(&a.1)).then(b.2.cmp(&a.2)));
    let (mut used_g, mut used_p) = (vec![false; golds.len()], vec![false; preds.len()]);
    let mut out = Vec::new();
    for (_, i, j) in pairs {
        if used_g[i] || used_p[j] {
            continue;
        }
        used_g[i] = true;
        used_p[j] = true;
        out.push((i, j));
    }
    out
}

/// Rounds to 4 decimals like Python's `round(x, 4)`: from the exact value of the double (so
/// 131/160 = 0.818749999… gives 0.8187), ties to even.
fn round4(x: f64) -> f64 {
    format!("{x:.4}").parse().unwrap_or(x)
}

fn prf(tp: usize, npred: usize, ngold: usize) -> (f64, f64, f64) {
    let p = if npred > 0 {
        tp as f64 / npred as f64
    } else {
        0.0
    };
    let r = if ngold > 0 {
        tp as f64 / ngold as f64
    } else {
        0.0
    };
    let f = if p + r > 0.0 {
        2.0 * p * r / (p + r)
    } else {
        0.0
    };
    (round4(p), round4(r), round4(f))
}

/// Scores predictions against gold: every gold document counts (a missing prediction has no
/// quotes); predicted documents absent from the gold are ignored.
pub fn score_quotes(gold: &QuoteSet, pred: &QuoteSet) -> QuoteScores {
    let none: &[Value] = &[];
    let mut res = QuoteScores {
        documents: gold.len(),
        documents_missing_in_pred: gold.ids().filter(|k| pred.get(k).is_none()).count(),
        ..Default::default()
    };
    res.gold_quotes = gold.ids().map(|k| gold.get(k).map_or(0, <[_]>::len)).sum();
    res.pred_quotes = gold.ids().map(|k| pred.get(k).map_or(0, <[_]>::len)).sum();
    for strict in [false, true] {
        let (mut tp, mut spk, mut typ) = (0usize, 0usize, 0usize);
        for k in gold.ids() {
            let gq = gold.get(k).unwrap_or(none);
            let pq = pred.get(k).unwrap_or(none);
            for (i, j) in match_quotes(gq, pq, strict) {
                tp += 1;
                let gs = gq[i].get("speaker").and_then(Value::as_str);
                if same_speaker(gs, speaker_of(&pq[j])) {
                    spk += 1;
                }
                let ty = |q: &Value| q.get("type").cloned().unwrap_or(Value::Null);
                if ty(&gq[i]) == ty(&pq[j]) {
                    typ += 1;
                }
            }
        }
        let (p, r, f) = prf(tp, res.pred_quotes, res.gold_quotes);
        let (ap, ar, af) = prf(spk, res.pred_quotes, res.gold_quotes);
        let share = |n: usize| {
            if tp > 0 {
                round4(n as f64 / tp as f64)
            } else {
                0.0
            }
        };
        let m = ModeScores {
            precision: p,
            recall: r,
            f1: f,
            speaker_accuracy: share(spk),
            type_accuracy: share(typ),
            attributed_precision: ap,
            attributed_recall: ar,
            attributed_f1: af,
        };
        if strict {
            res.strict = m;
        } else {
            res.lenient = m;
        }
    }
    res
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn names_compare_like_the_reference() {
        assert_eq!(name_tokens("L'Équipe"), vec!["equipe"]);
        assert!(same_speaker(Some("Sadio Camara"), Some("Camara")));
        assert!(same_speaker(Some("le Kremlin"), Some("Kremlin")));
        assert!(!same_speaker(Some("Moscou"), Some("Kremlin")));
        assert!(same_speaker(None, None));
        assert!(!same_speaker(Some("X"), None));
    }

    #[test]
    fn lenient_and_strict_matching() {
        let mut gold = QuoteSet::new();
        gold.insert_record(&json!({"id": "a", "quotes": [
            {"type": "direct", "content": [0, 100], "speaker": "Sadio Camara"},
            {"type": "indirect", "content": [200, 300], "speaker": "Moscou"}]}))
            .unwrap();
        gold.insert_record(&json!({"id": "b", "quotes": [
            {"type": "direct", "content": [0, 10], "speaker": null}]}))
            .unwrap();
        let mut pred = QuoteSet::new();
        pred.insert_record(&json!({"id": "a", "quotes": [
            {"type": "direct", "content": {"start": 0, "end": 95}, "speaker": {"name": "Camara"}},
            {"type": "direct", "content": [250, 290], "speaker": "Kremlin"},
            {"type": "direct", "content": [500, 600], "speaker": null}]}))
            .unwrap();
        let s = score_quotes(&gold, &pred);
        assert_eq!((s.documents, s.documents_missing_in_pred), (2, 1));
        assert_eq!((s.gold_quotes, s.pred_quotes), (3, 3));
        // Lenient: 2 matches of 3 and 3; one right speaker; one right type.
        assert_eq!(s.lenient.precision, 0.6667);
        assert_eq!(s.lenient.f1, 0.6667);
        assert_eq!(s.lenient.speaker_accuracy, 0.5);
        assert_eq!(s.lenient.type_accuracy, 0.5);
        assert_eq!(s.lenient.attributed_f1, 0.3333);
        // Strict: only the first (IoU 0.95).
        assert_eq!(s.strict.recall, 0.3333);
        assert!(s
            .report()
            .starts_with("documents 2 (missing in predictions: 1)"));
    }

    #[test]
    fn rounding_follows_python() {
        assert_eq!(round4(131.0 / 160.0), 0.8187);
        assert_eq!(round4(2.0 / 3.0), 0.6667);
        assert_eq!(round4(1.0), 1.0);
    }

    #[test]
    fn best_overlap_wins_one_to_one() {
        let golds = vec![json!({"content": [0, 10]}), json!({"content": [8, 20]})];
        let preds = vec![json!({"content": [0, 20]})];
        // Gold 0 is fully covered (1.0) and gold 1 too (1.0): the tie goes to the higher index.
        assert_eq!(match_quotes(&golds, &preds, false), vec![(1, 0)]);
        assert!(QuoteSet::new()
            .insert_record(&json!({"id": "x", "quotes": [{"content": "no"}]}))
            .is_err());
    }
}
