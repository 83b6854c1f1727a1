//! The shipped French NER model keeps exact-span F1 >= 0.80 on the validation split of
//! ../shared/gold/ner-fr-dev.jsonl (documents that `vigie train ner` never trains on).
//! Skipped when ../shared is absent. The reference scorer is ../shared/eval/score_entities.py
//! (run by bench/ner.py); this test computes the same exact-match figure.

use serde_json::Value;
use std::collections::HashSet;
use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

fn fnv1a32(s: &str) -> u32 {
    s.bytes().fold(0x811c9dc5u32, |h, b| {
        (h ^ b as u32).wrapping_mul(0x01000193)
    })
}

#[test]
fn validation_exact_f1() {
    let gold_path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/gold/ner-fr-dev.jsonl");
    let Ok(gold) = std::fs::read_to_string(&gold_path) else {
        eprintln!(
            "skipped: {} not found (../shared is not beside this clone)",
            gold_path.display()
        );
        return;
    };
    let valid: Vec<Value> = gold
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str::<Value>(l).unwrap())
        .filter(|g| fnv1a32(g["id"].as_str().unwrap()).is_multiple_of(5))
        .collect();
    assert!(valid.len() > 150);
    let input: String = valid.iter().map(|g| format!("{g}\n")).collect();
    let mut child = Command::new(env!("CARGO_BIN_EXE_vigie"))
        .args(["analyze", "-", "--no-text", "-q"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    std::thread::spawn(move || stdin.write_all(input.as_bytes()).unwrap());
    let out = child.wait_with_output().unwrap();
    let preds: Vec<Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(preds.len(), valid.len());
    let set = |v: &Value| -> HashSet<(u64, u64, String)> {
        v["entities"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| {
                (
                    e["start"].as_u64().unwrap(),
                    e["end"].as_u64().unwrap(),
                    e["label"].as_str().unwrap().to_string(),
                )
            })
            .collect()
    };
    let (mut tp, mut np, mut ng) = (0, 0, 0);
    for (g, p) in valid.iter().zip(&preds) {
        assert_eq!(g["id"], p["id"]);
        let (gs, ps) = (set(g), set(p));
        tp += gs.intersection(&ps).count();
        np += ps.len();
        ng += gs.len();
    }
    let (p, r) = (tp as f64 / np as f64, tp as f64 / ng as f64);
    let f1 = 2.0 * p * r / (p + r);
    eprintln!("validation exact P {p:.3} R {r:.3} F1 {f1:.3}");
    assert!(f1 >= 0.80, "exact F1 {f1:.3} < 0.80");
}
