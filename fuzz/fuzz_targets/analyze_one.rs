//! The analysis of one document with the default resources and the built-in codebook. Checks
//! the documented span invariants (`vigie_core::Analysis::check_spans`): every span (`start`,
//! `end` in code points) inside the text with `start <= end`; a span's `text` equal to the text
//! it covers; paragraphs and sentences in order and disjoint, each sentence in its paragraph;
//! quote marks, entities and quotes in text order.
#![no_main]
use libfuzzer_sys::fuzz_target;
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
    if let Err(e) = a.check_spans(&doc.text) {
        panic!("{e}");
    }
});
