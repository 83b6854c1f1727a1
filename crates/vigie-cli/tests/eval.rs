//! `vigie eval quotes`: the seed's figures, bad gold lines, and (when ../shared and python3 are
//! present) the same output as the reference scorer.

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn repo(p: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..").join(p)
}

fn vigie(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_vigie"))
        .args(args)
        .output()
        .expect("vigie runs")
}

fn path(p: &Path) -> &str {
    p.to_str().expect("UTF-8 path")
}

/// `vigie eval quotes --gold GOLD INPUT --json EXTRA...`: the figures, the run must succeed.
fn eval_json(gold: &Path, input: &Path, extra: &[&str]) -> Value {
    let mut args = vec![
        "eval",
        "quotes",
        "--gold",
        path(gold),
        path(input),
        "--json",
    ];
    args.extend_from_slice(extra);
    let out = vigie(&args);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("JSON figures")
}

#[test]
fn seed_all_seven_quotes_by_sadio_camara() {
    let gold = repo("fixtures/seed/seed.gold.jsonl");
    let input = repo("fixtures/seed/seed.input.jsonl");
    let v = eval_json(&gold, &input, &[]);
    assert_eq!(v["gold_quotes"], 7);
    assert_eq!(v["lenient"]["recall"], 1.0);
    assert_eq!(v["lenient"]["speaker_accuracy"], 1.0);
    assert_eq!(v["lenient"]["attributed_recall"], 1.0);
    // The spans themselves: every quote overlaps its gold span by IoU >= 0.8.
    assert_eq!(v["strict"]["recall"], 1.0);
    assert_eq!(v["strict"]["precision"], 1.0);
}

#[test]
fn bad_gold_lines_are_reported_with_their_number_and_skipped() {
    let dir = tempfile::tempdir().unwrap();
    let gold = dir.path().join("gold.jsonl");
    std::fs::write(
        &gold,
        "{\"id\": \"a\", \"quotes\": [{\"content\": [0, 5], \"speaker\": \"X\"}]}\nnot json\n",
    )
    .unwrap();
    let pred = dir.path().join("pred.jsonl");
    std::fs::write(
        &pred,
        "{\"id\": \"a\", \"quotes\": [{\"content\": {\"start\": 0, \"end\": 5}, \"speaker\": {\"name\": \"X\"}}]}\n",
    )
    .unwrap();
    let run = |extra: &[&str]| {
        let mut args = vec![
            "eval",
            "quotes",
            "--gold",
            path(&gold),
            "--pred",
            path(&pred),
        ];
        args.extend_from_slice(extra);
        vigie(&args)
    };
    let out = run(&[]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("gold.jsonl:2"), "{err}");
    let report = String::from_utf8_lossy(&out.stdout);
    assert!(
        report.contains("lenient  P 1.000 R 1.000 F1 1.000"),
        "{report}"
    );
    // --strict stops at the bad line.
    assert_eq!(run(&["--strict"]).status.code(), Some(3));
}

#[test]
fn a_truncated_gzip_gold_keeps_the_records_before_the_break() {
    use std::io::Write;
    let dir = tempfile::tempdir().unwrap();
    let mut records = String::new();
    for i in 0..400 {
        records.push_str(&format!(
            "{{\"id\": \"d{i}\", \"quotes\": [{{\"content\": [0, 5], \"speaker\": \"X\"}}], \"pad\": \"{i:0>64}\"}}\n"
        ));
    }
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    gz.write_all(records.as_bytes()).unwrap();
    let bytes = gz.finish().unwrap();
    let gold = dir.path().join("gold.jsonl.gz");
    std::fs::write(&gold, &bytes[..bytes.len() / 2]).unwrap();
    // The truncated file scored against itself, with one more flag.
    let score_itself = |flag: &str| {
        vigie(&[
            "eval",
            "quotes",
            "--gold",
            path(&gold),
            "--pred",
            path(&gold),
            flag,
        ])
    };
    let out = score_itself("--json");
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("gold.jsonl.gz:"), "{err}");
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let docs = v["documents"].as_u64().unwrap();
    assert!(docs > 0 && docs < 400, "{docs}");
    assert_eq!(score_itself("--strict").status.code(), Some(3));
}

#[test]
fn same_figures_as_the_reference_scorer() {
    let shared = repo("../shared");
    let scorer = shared.join("eval/score_quotes.py");
    if !scorer.exists() || Command::new("python3").arg("--version").output().is_err() {
        eprintln!("skipped: ../shared/eval/score_quotes.py or python3 not available");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    for set in ["quotes-fr-dev", "quotes-en-dev"] {
        let gold = shared.join(format!("gold/{set}.gold.jsonl"));
        let input = shared.join(format!("gold/{set}.input.jsonl"));
        let pred = dir.path().join(format!("{set}.pred.jsonl"));
        let ours = eval_json(&gold, &input, &["--write-pred", path(&pred)]);
        let reference = Command::new("python3")
            .args([path(&scorer), path(&gold), path(&pred), "--json"])
            .output()
            .unwrap();
        assert!(reference.status.success());
        let theirs: Value = serde_json::from_slice(&reference.stdout).unwrap();
        assert_eq!(ours, theirs, "{set}");
    }
}
