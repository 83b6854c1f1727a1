//! `vigie analyze` on real articles of ../shared/corpora (skipped when absent).

mod common;

use serde_json::Value;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};

fn corpus(name: &str) -> Option<PathBuf> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/corpora")
        .join(name);
    if p.exists() {
        Some(p)
    } else {
        eprintln!(
            "skipped: {} not found (../shared is not beside this clone)",
            p.display()
        );
        None
    }
}

fn analyze(args: &[&str], stdin: Option<Vec<u8>>) -> Vec<Value> {
    let out = common::run_analyze(args, &stdin.unwrap_or_default());
    assert!(
        out.status.code().is_some_and(|c| c <= 1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    common::records(&out)
}

fn sentence_texts(d: &Value) -> Vec<String> {
    let chars: Vec<char> = d["text"].as_str().unwrap().chars().collect();
    d["sentences"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            chars[s["start"].as_u64().unwrap() as usize..s["end"].as_u64().unwrap() as usize]
                .iter()
                .collect()
        })
        .collect()
}

#[test]
fn orangesum_sample_segmentation() {
    let Some(p) = corpus("orangesum-fr.jsonl.gz") else {
        return;
    };
    let reader = BufReader::new(flate2::read::MultiGzDecoder::new(
        std::fs::File::open(p).unwrap(),
    ));
    let mut sample = Vec::new();
    for line in reader.lines().take(500) {
        sample.extend_from_slice(line.unwrap().as_bytes());
        sample.push(b'\n');
    }
    let docs = analyze(&["-"], Some(sample));
    assert!(docs.len() > 490);
    let first = &docs[0];
    assert_eq!(first["id"], "2");
    let s = sentence_texts(first);
    assert!(
        s[0].ends_with("dans la nuit de mercredi à jeudi."),
        "{s:#?}"
    );
    assert!(
        s[1].starts_with("Le gouvernement avait déjà annoncé"),
        "{s:#?}"
    );
    let mut bad = Vec::new();
    for d in &docs {
        assert_eq!(d["language"]["code"], "fr", "{}", d["id"]);
        for s in sentence_texts(d) {
            // No sentence ends right after a title (`M.`, `Mme`) or an initial.
            let last = s.rsplit(' ').next().unwrap_or("");
            if ["M.", "Mme.", "MM.", "Dr.", "gén.", "col."].contains(&last)
                || last.len() == 2
                    && last.ends_with('.')
                    && last.starts_with(|c: char| c.is_uppercase())
            {
                bad.push(s.clone());
            }
        }
    }
    assert!(bad.is_empty(), "{bad:#?}");
}

#[test]
fn wikinews_languages() {
    for (name, lang) in [
        ("wikinews-fr.jsonl.gz", "fr"),
        ("wikinews-en.jsonl.gz", "en"),
    ] {
        let Some(p) = corpus(name) else { return };
        let docs = analyze(&[p.to_str().unwrap()], None);
        let right = docs
            .iter()
            .filter(|d| d["language"]["code"] == lang)
            .count();
        // One English article holds nothing but a date line.
        assert!(right + 1 >= docs.len(), "{name}: {right}/{}", docs.len());
    }
}
