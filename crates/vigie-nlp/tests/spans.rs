//! Property tests of the span invariants (docs/schema.md): whatever the text, every span of
//! the analysis lies inside it, on character boundaries, with its `text` equal to what it
//! covers, and paragraphs and sentences come in order ([`vigie_core::Analysis::check_spans`]).
//! Texts are drawn from pieces that exercise every layer: names, cues, quote marks of every
//! family, apostrophes, abbreviations, multi-byte and combining characters, line breaks.

use proptest::prelude::*;
use std::sync::{Arc, OnceLock};
use vigie_core::Document;
use vigie_nlp::{codebook, Options, Pipeline, Resources};

fn pipeline() -> &'static Pipeline {
    static P: OnceLock<Pipeline> = OnceLock::new();
    P.get_or_init(|| {
        let res = Resources::embedded();
        let book = codebook::Codebook::parse(codebook::BUILTIN, &res.stemmers).expect("valid");
        Pipeline::new(res, Options::default()).with_codebooks(vec![Arc::new(book)])
    })
}

const PIECES: &[&str] = &[
    "Emmanuel Macron",
    "Sadio Camara",
    "Il",
    "elle",
    " a déclaré ",
    " que ",
    "« ",
    " »",
    "“",
    "”",
    "\"",
    "'",
    "‘",
    "’",
    "„",
    ". ",
    ", ",
    " : ",
    "selon ",
    "l'",
    "qu'",
    "M. ",
    "U.S.",
    "\n",
    "\n\n",
    "le ministre",
    " la Russie",
    " partenaire stratégique",
    "a-t-il ajouté",
    "—",
    " ",
    "é",
    "e\u{301}",
    "😀",
    "中国",
    "\u{0}",
    "\u{feff}",
    "\r\n",
    "(",
    ")",
    "ONU",
    "!",
    "?",
    "…",
    " dénonce ",
    "he said",
    "according to ",
    "WALLACE:",
    "1.000,5",
    "\t",
    "\u{a0}",
];

fn text() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(PIECES), 0..120).prop_map(|v| v.concat())
}

fn check(text: String) -> Result<(), TestCaseError> {
    let doc = Document {
        id: "prop".into(),
        text,
        meta: Default::default(),
        origin: Default::default(),
    };
    let a = pipeline().analyze(&doc);
    a.check_spans(&doc.text).map_err(TestCaseError::fail)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn spans_hold_on_generated_news(t in text()) {
        check(t)?;
    }

    #[test]
    fn spans_hold_on_any_text(t in any::<String>()) {
        check(t)?;
    }
}

#[test]
fn the_seed_keeps_its_invariants() {
    let text = include_str!("../../../fixtures/seed/sputnik-2022-08-camara.txt");
    check(text.to_string()).expect("the seed's spans hold");
}
