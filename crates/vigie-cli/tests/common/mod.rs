//! Helpers shared by the end-to-end tests: run `vigie analyze` and read its JSON.

#![allow(dead_code)]

use serde_json::Value;
use std::io::Write;
use std::process::{Command, Output, Stdio};

/// Runs `vigie analyze ARGS...` with `input` on standard input.
pub fn run_analyze(args: &[&str], input: &[u8]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_vigie"))
        .arg("analyze")
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("vigie runs");
    let mut stdin = child.stdin.take().expect("piped");
    let input = input.to_vec();
    // Write from a thread: a large input must not block on a full output pipe.
    let writer = std::thread::spawn(move || stdin.write_all(&input));
    let out = child.wait_with_output().expect("vigie ends");
    writer
        .join()
        .expect("writer thread")
        .expect("input written");
    out
}

/// The JSON objects of a JSONL output.
pub fn records(out: &Output) -> Vec<Value> {
    String::from_utf8(out.stdout.clone())
        .expect("UTF-8 output")
        .lines()
        .map(|l| serde_json::from_str(l).expect("each output line is JSON"))
        .collect()
}

/// Analyses one JSONL record (or several) and returns the first analysis; the run must succeed.
pub fn analyze_one(input: &str) -> Value {
    let out = run_analyze(&["-"], input.as_bytes());
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    records(&out).into_iter().next().expect("one document")
}
