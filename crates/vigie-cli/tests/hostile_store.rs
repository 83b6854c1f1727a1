//! Issue 16, through the binary: every hostile pattern of the analysis suite (at 64 KiB) is
//! ingested into a store in one run, then read back with `vigie show`; the run stays within a
//! time limit and every stored analysis stays a bounded multiple of its text (defect 1: a 24 KB
//! document of unclosed `«` made every read of it 219 MB).

#[path = "../../vigie-nlp/tests/hostile/inputs.rs"]
mod inputs;

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output};
use std::time::{Duration, Instant};

fn vigie(store: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_vigie"))
        .args(args)
        .arg("--store")
        .arg(store)
        .output()
        .expect("vigie runs")
}

#[test]
fn hostile_documents_are_stored_and_read_back_bounded() {
    let dir = tempfile::tempdir().expect("temp dir");
    let input = dir.path().join("hostile.jsonl");
    let mut f = std::fs::File::create(&input).expect("input file");
    let size = 64 << 10;
    // (A text of white space only is no document: it is reported as empty, tested elsewhere.)
    let stored: Vec<&inputs::Hostile> = inputs::ALL
        .iter()
        .filter(|h| !(h.make)(64).trim().is_empty())
        .collect();
    for h in &stored {
        let rec = serde_json::json!({"id": h.name, "text": (h.make)(size), "title": h.about});
        writeln!(f, "{rec}").expect("write");
    }
    drop(f);
    let store = dir.path().join("store");
    let started = Instant::now();
    let out = vigie(
        &store,
        &[
            "ingest",
            "--quiet",
            "--time-budget",
            "0",
            input.to_str().unwrap(),
        ],
    );
    let took = started.elapsed();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // About 2 MB of text: well under a minute even in the debug build on a loaded machine.
    assert!(took < Duration::from_secs(120), "ingest took {took:?}");
    for h in &stored {
        let out = vigie(&store, &["show", h.name, "--format", "json"]);
        assert!(
            out.status.success(),
            "{}: {}",
            h.name,
            String::from_utf8_lossy(&out.stderr)
        );
        // The analysis with the text: JSON escapes and span texts included, at most 100 times
        // the text (the worst pattern holds about 35 here).
        assert!(
            out.stdout.len() < 100 * size,
            "{}: `vigie show` wrote {} bytes for {} bytes of text",
            h.name,
            out.stdout.len(),
            size
        );
    }
}
