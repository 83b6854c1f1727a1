//! The analysis of one document with the default resources and the built-in codebook. Checks
//! the documented span invariants: every span (`start`, `end` in code points) inside the text
//! with `start <= end`; a span's `text` equal to the text it covers; paragraphs and sentences
//! in order and disjoint, each sentence in an existing paragraph; quote marks, entities and
//! quotes in text order.
#![no_main]
use libfuzzer_sys::fuzz_target;
use serde_json::Value;
use std::sync::{Arc, OnceLock};
use vigie_core::Document;
use vigie_nlp::{codebook::Codebook, Options, Pipeline, Resources};

fn pipeline() -> &'static Pipeline {
    static P: OnceLock<Pipeline> = OnceLock::new();
    P.get_or_init(|| {
        let p = Pipeline::new(Resources::embedded(), Options::default());
        let cb = Codebook::parse(vigie_nlp::codebook::BUILTIN, &p.resources().stemmers)
            .expect("the built-in codebook is valid");
        p.with_codebooks(vec![Arc::new(cb)])
    })
}

/// Walks the analysis as JSON: every object with numeric `start` and `end` is a span.
fn spans(v: &Value, chars: &[char], path: &str) {
    match v {
        Value::Object(m) => {
            if let (Some(s), Some(e)) = (
                m.get("start").and_then(Value::as_u64),
                m.get("end").and_then(Value::as_u64),
            ) {
                let (s, e) = (s as usize, e as usize);
                assert!(s <= e, "{path}: start {s} > end {e}");
                assert!(
                    e <= chars.len(),
                    "{path}: end {e} past the text ({})",
                    chars.len()
                );
                if let Some(t) = m.get("text").and_then(Value::as_str) {
                    let covered: String = chars[s..e].iter().collect();
                    assert_eq!(
                        t, covered,
                        "{path}: the span's text is not text[start..end]"
                    );
                }
            }
            for (k, x) in m {
                if k != "meta" && k != "origin" {
                    spans(x, chars, &format!("{path}.{k}"));
                }
            }
        }
        Value::Array(a) => {
            for (i, x) in a.iter().enumerate() {
                spans(x, chars, &format!("{path}[{i}]"));
            }
        }
        _ => {}
    }
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data).into_owned();
    if text.trim().is_empty() {
        return;
    }
    let doc = Document {
        id: "fuzz".into(),
        text,
        meta: Default::default(),
        origin: Default::default(),
    };
    let a = pipeline().analyze(&doc);
    let chars: Vec<char> = doc.text.chars().collect();
    let json = serde_json::to_value(&a).unwrap();
    spans(&json, &chars, "analysis");
    for w in a.paragraphs.windows(2) {
        assert!(
            w[0].end <= w[1].start,
            "paragraphs out of order or overlapping"
        );
    }
    for w in a.sentences.windows(2) {
        assert!(
            w[0].end <= w[1].start,
            "sentences out of order or overlapping"
        );
    }
    for s in &a.sentences {
        assert!(
            s.paragraph < a.paragraphs.len().max(1),
            "sentence in no paragraph"
        );
    }
    for w in a.quote_marks.windows(2) {
        assert!(w[0].start <= w[1].start, "quote marks out of order");
    }
    for w in a.entities.windows(2) {
        assert!(w[0].start <= w[1].start, "entities out of order");
    }
    for w in a.quotes.windows(2) {
        assert!(
            w[0].content.start <= w[1].content.start,
            "quotes out of order"
        );
    }
});
