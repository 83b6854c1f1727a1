//! End-to-end tests of `vigie analyze`: the seed, every reader, every kind of bad input.

mod common;

use serde_json::Value;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// `vigie analyze`.
fn vigie() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_vigie"));
    c.arg("analyze");
    c
}

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn seed() -> PathBuf {
    repo().join("fixtures/seed/sputnik-2022-08-camara.txt")
}

fn run(args: &[&str]) -> Output {
    vigie().args(args).output().expect("vigie runs")
}

fn run_stdin(args: &[&str], input: &[u8]) -> Output {
    common::run_analyze(args, input)
}

fn records(out: &Output) -> Vec<Value> {
    common::records(out)
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// `text[start:end]` by code points, as Python slices.
fn cp_slice(text: &str, s: &Value) -> String {
    let (a, b) = (
        s["start"].as_u64().unwrap() as usize,
        s["end"].as_u64().unwrap() as usize,
    );
    text.chars().skip(a).take(b - a).collect()
}

#[test]
fn seed_document() {
    let out = run(&[seed().to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let docs = records(&out);
    assert_eq!(docs.len(), 1);
    let d = &docs[0];
    assert_eq!(d["schema"], "vigie.analysis/1");
    assert_eq!(d["id"], "sputnik-2022-08-camara");
    assert_eq!(d["meta"]["date"], "2022-08");
    assert_eq!(d["language"]["code"], "fr");
    let text = d["text"].as_str().unwrap();
    assert!(text.starts_with("Contacté par Sputnik"));
    // The body is exactly the seed's JSONL text: offsets agree with the gold.
    let jsonl: Value = serde_json::from_str(
        &std::fs::read_to_string(repo().join("fixtures/seed/seed.input.jsonl")).unwrap(),
    )
    .unwrap();
    assert_eq!(text, jsonl["text"].as_str().unwrap());

    assert_eq!(d["paragraphs"].as_array().unwrap().len(), 7);
    let sentences: Vec<String> = d["sentences"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| cp_slice(text, s))
        .collect();
    assert_eq!(sentences.len(), 10, "{sentences:#?}");
    assert!(sentences[3].ends_with("leur maîtrise […]."));
    assert_eq!(sentences[4], "Avec la Russie, nous avons engrangé des résultats probants au bout de quelques mois seulement.");
    assert_eq!(sentences[7], "Un soutien “constant et sincère”");
    assert!(sentences[8].starts_with("Alors qu’à la fin de la Guerre froide"));
    assert!(sentences[9].ends_with("souligne-t-il."));

    let marks = d["quote_marks"].as_array().unwrap();
    let contents: Vec<(String, String, u64, u64)> = marks
        .iter()
        .map(|m| {
            (
                m["open"].as_str().unwrap().to_string(),
                m["close"].as_str().unwrap().to_string(),
                m["content"]["start"].as_u64().unwrap(),
                m["content"]["end"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(marks.len(), 7);
    // ” used as an opening mark after an apostrophe.
    assert_eq!(contents[0].0, "”");
    assert_eq!(
        cp_slice(text, &marks[0]["content"]),
        "engranger des résultats probants au bout de quelques mois seulement"
    );
    // The quote over two paragraphs, with the gold's direct-quote span.
    assert_eq!((contents[2].2, contents[2].3), (780, 1224));
    assert_eq!(marks[2]["paragraphs"], 2);
    assert_eq!(cp_slice(text, &marks[3]["content"]), "constant et sincère");
    assert_eq!((contents[6].2, contents[6].3), (1651, 2001));
    for m in marks {
        assert_eq!(
            cp_slice(text, &m["content"]),
            m["content"]["text"].as_str().unwrap()
        );
    }
    assert!(d.get("warnings").is_none());
}

#[test]
fn seed_text_view() {
    let out = run(&[seed().to_str().unwrap(), "--format", "text"]);
    assert_eq!(out.status.code(), Some(0));
    let s = String::from_utf8(out.stdout.clone()).unwrap();
    assert!(s.contains("date: 2022-08 (month precision)"));
    assert!(s.contains("language: fr"));
    assert!(s.contains("7 quote marks"));
    assert!(s.contains("over 2 paragraphs"));
    assert!(stderr(&out).contains("1 documents analysed, 0 skipped"));
}

#[test]
fn pretty_json_is_an_array() {
    let out = run(&[seed().to_str().unwrap(), "--format", "json", "--no-text"]);
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v.as_array().unwrap().len(), 1);
    assert!(v[0].get("text").is_none());
}

#[test]
fn jsonl_with_corpus_field_mappings() {
    let input = concat!(
        r#"{"id": "2", "date": "2020-07-02", "title": "T", "heading": "Chapeau.", "article": "Le texte.Il continue."}"#,
        "\n\n",
        r#"{"id": "w1", "date": "2016-01-01", "url": "https://fr.wikinews.org/wiki/X", "text": "Texte de Wikinews.", "license": "CC BY 2.5"}"#,
        "\n",
        r#"{"body": "No id here.", "published": "2019"}"#,
        "\n"
    );
    let out = run_stdin(&["-"], input.as_bytes());
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let d = records(&out);
    assert_eq!(d.len(), 3);
    assert_eq!(d[0]["text"], "Le texte.Il continue.");
    assert_eq!(d[0]["meta"]["extra"]["heading"], "Chapeau.");
    assert_eq!(d[0]["sentences"].as_array().unwrap().len(), 2);
    assert_eq!(d[1]["meta"]["url"], "https://fr.wikinews.org/wiki/X");
    assert_eq!(d[1]["meta"]["extra"]["license"], "CC BY 2.5");
    assert_eq!(d[2]["id"], "stdin:4");
    assert_eq!(d[2]["meta"]["date"], "2019");
    assert_eq!(d[2]["origin"]["line"], 4);
    // Flags override the mapping.
    let out = run_stdin(
        &["-", "--text-field", "heading", "--id-field", "title"],
        input.as_bytes(),
    );
    let d = records(&out);
    assert_eq!(d[0]["text"], "Chapeau.");
    assert_eq!(d[0]["id"], "T");
    assert_eq!(
        out.status.code(),
        Some(1),
        "records without `heading` are reported"
    );
    assert_eq!(stderr(&out).matches("missing_text").count(), 3);
}

#[test]
fn json_array_object_text_directory_and_gzip() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    std::fs::write(
        p.join("a.json"),
        r#"[{"id": "a1", "text": "Un."}, {"id": "a2", "text": "Deux."}]"#,
    )
    .unwrap();
    std::fs::create_dir(p.join("sub")).unwrap();
    std::fs::write(
        p.join("sub/b.json"),
        "{\n  \"id\": \"b\",\n  \"text\": \"Trois.\"\n}\n",
    )
    .unwrap();
    std::fs::write(p.join("sub/c.txt"), "Un texte brut.\n\nDeux paragraphes.").unwrap();
    std::fs::write(p.join(".hidden.txt"), "ignored").unwrap();
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all("{\"id\": \"z\", \"text\": \"Compressé.\"}\n".as_bytes())
        .unwrap();
    std::fs::write(p.join("sub/d.jsonl.gz"), gz.finish().unwrap()).unwrap();
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(" date 2021-03-04 title \"Un titre\" Corps compressé.".as_bytes())
        .unwrap();
    std::fs::write(p.join("sub/e.txt.gz"), gz.finish().unwrap()).unwrap();

    let out = run(&[p.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let d = records(&out);
    let ids: Vec<&str> = d.iter().map(|r| r["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["a1", "a2", "b", "sub/c", "z", "sub/e"]);
    assert_eq!(d[3]["paragraphs"].as_array().unwrap().len(), 2);
    assert_eq!(d[5]["meta"]["title"], "Un titre");
    assert_eq!(d[5]["meta"]["date"], "2021-03-04");
    assert_eq!(d[5]["text"], "Corps compressé.");
    assert_eq!(d[1]["origin"]["record"], 2);

    // Forcing a format: the seed file read as plain text keeps its header in the text.
    let out = run(&[seed().to_str().unwrap(), "--input-format", "text"]);
    assert!(records(&out)[0]["text"]
        .as_str()
        .unwrap()
        .starts_with(" date 2022-08"));
}

#[test]
fn bad_input_is_reported_with_location_and_skipped() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    let mut lines: Vec<u8> = Vec::new();
    lines.extend_from_slice(b"{\"id\": \"ok1\", \"text\": \"Bon.\"}\n");
    lines.extend_from_slice(b"{\"id\": \"bad-utf8\", \"text\": \"caf\xe9\"}\n");
    lines.extend_from_slice(b"{\"id\": \"broken\", \"text\": \n");
    lines.extend_from_slice(b"{\"id\": \"empty\", \"text\": \"   \"}\n");
    lines.extend_from_slice(b"[1, 2]\n");
    lines.extend_from_slice(
        format!("{{\"id\": \"big\", \"text\": \"{}\"}}\n", "a".repeat(5000)).as_bytes(),
    );
    lines.extend_from_slice(b"{\"id\": \"ok2\", \"text\": \"Bon aussi.\"}\n");
    std::fs::write(p.join("mixed.jsonl"), &lines).unwrap();
    std::fs::write(p.join("binary.txt"), b"\x7fELF\x02\x01\x00\x00\x00binary").unwrap();
    std::fs::write(p.join("latin1.txt"), b"ligne un\nligne deux caf\xe9\n").unwrap();
    std::fs::write(p.join("empty.txt"), b"").unwrap();
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    for i in 0..200 {
        gz.write_all(
            format!(
                "{{\"id\": \"t{i}\", \"text\": \"Texte numéro {i} assez long pour remplir.\"}}\n"
            )
            .as_bytes(),
        )
        .unwrap();
    }
    let full = gz.finish().unwrap();
    std::fs::write(p.join("truncated.jsonl.gz"), &full[..full.len() * 2 / 3]).unwrap();
    let missing = p.join("does-not-exist.jsonl");

    let out = run(&[
        p.to_str().unwrap(),
        missing.to_str().unwrap(),
        "--max-doc-bytes",
        "1000",
    ]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    let ids: Vec<String> = records(&out)
        .iter()
        .map(|r| r["id"].as_str().unwrap().to_string())
        .collect();
    assert!(ids.contains(&"ok1".to_string()) && ids.contains(&"ok2".to_string()));
    assert!(
        ids.iter().filter(|i| i.starts_with('t')).count() > 10,
        "records before the truncation are kept"
    );
    for expected in [
        "does-not-exist.jsonl: unreadable",
        "binary.txt: binary",
        "latin1.txt:2: invalid_utf8",
        "empty.txt: empty_document",
        "mixed.jsonl:2: invalid_utf8",
        "mixed.jsonl:3: malformed_json",
        "mixed.jsonl:4: empty_document",
        "mixed.jsonl:5: malformed_json: expected a JSON object, found an array",
        "mixed.jsonl:6: too_large",
        "truncated.jsonl.gz:",
    ] {
        assert!(err.contains(expected), "missing {expected:?} in:\n{err}");
    }
    assert!(err.contains(": truncated: "), "{err}");
    assert!(
        err.contains("9 skipped") || err.contains("10 skipped"),
        "{err}"
    );
    assert!(
        err.contains("1 binary")
            && err.contains("2 empty_document")
            && err.contains("2 malformed_json"),
        "{err}"
    );

    // --strict stops at the first bad input with exit code 3.
    let out = run(&[p.join("mixed.jsonl").to_str().unwrap(), "--strict"]);
    assert_eq!(out.status.code(), Some(3));
    assert_eq!(records(&out).len(), 1);
    assert!(stderr(&out).contains("--strict"));

    // An error log lists every problem as JSON.
    let log = p.join("errors.jsonl");
    run(&[
        p.join("mixed.jsonl").to_str().unwrap(),
        "--error-log",
        log.to_str().unwrap(),
    ]);
    let logged: Vec<Value> = std::fs::read_to_string(&log)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(logged.len(), 4);
    assert_eq!(logged[0]["origin"]["line"], 2);
    assert_eq!(logged[0]["kind"], "invalid_utf8");
}

#[test]
fn unbalanced_quotes_and_odd_text_never_panic() {
    for text in [
        "« jamais fermé. Puis une autre phrase.",
        "fermé sans ouverture » et \" seul",
        "”””“““'''«««»»»",
        "\u{feff}\u{00ad}\u{200b}\r\n\r\n.",
        "a.b.c.d. e.f. M. N. U.S.A.",
        "…",
        "\"",
    ] {
        let input = serde_json::json!({"id": "x", "text": text}).to_string();
        let out = run_stdin(&["-", "--format", "text"], input.as_bytes());
        assert!(
            matches!(out.status.code(), Some(0) | Some(1)),
            "{text:?}: {}",
            stderr(&out)
        );
    }
    let out = run_stdin(
        &["-"],
        "{\"id\": \"u\", \"text\": \"Il a dit « nous resterons. Puis il est parti.\"}".as_bytes(),
    );
    let d = &records(&out)[0];
    assert_eq!(d["warnings"][0]["kind"], "unclosed_quote");
    assert_eq!(d["quote_marks"][0]["close"], Value::Null);
    assert_eq!(d["quote_marks"][0]["content"]["text"], "nous resterons.");
}

#[test]
fn edge_texts_found_in_review_never_fail() {
    for text in [
        ", selon Reuters, le gouvernement ment.",
        ", according to Reuters, the government lies.",
        "Voici la lettre É",
        "É",
        "Ω.",
        "İstanbul a dit que non.",
    ] {
        let input = serde_json::json!({"id": "x", "text": text}).to_string();
        let out = run_stdin(&["-"], input.as_bytes());
        assert_eq!(out.status.code(), Some(0), "{text:?}: {}", stderr(&out));
        assert_eq!(records(&out).len(), 1);
    }
}

#[test]
fn layers_option_stops_the_pipeline_early() {
    let out = run(&[seed().to_str().unwrap(), "--layers", "segment"]);
    let d = &records(&out)[0];
    assert_eq!(d["sentences"].as_array().unwrap().len(), 10);
    assert!(d["entities"].as_array().unwrap().is_empty());
    assert!(d["quotes"].as_array().unwrap().is_empty());
    let out = run(&[seed().to_str().unwrap(), "--layers", "actors"]);
    let d = &records(&out)[0];
    assert!(!d["actors"].as_array().unwrap().is_empty());
    assert!(d["quotes"].as_array().unwrap().is_empty());
}

/// Articles on which merging an outlet hit with an overlapping name once panicked: every one
/// is analysed, none is reported as an internal error.
#[test]
fn overlapping_outlet_and_name_do_not_panic() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../fixtures/regressions/orangesum-entity-overlap.jsonl");
    let out = common::run_analyze(&[path.to_str().unwrap()], b"");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(common::records(&out).len(), 5);
}

/// Issue 16: a document over its time or memory budget is skipped and reported with its line,
/// and the others are analysed.
#[test]
fn documents_over_their_budget_are_reported_and_skipped() {
    let small = serde_json::json!({"id": "small", "text": "Il a dit « oui »."});
    let big_text =
        "Emmanuel Macron a déclaré que « la France restera ». Il a ajouté : « non ». ".repeat(8000);
    let big = serde_json::json!({"id": "big", "text": big_text});
    let input = format!("{small}\n{big}\n");
    let out = run_stdin(&["-", "--memory-budget", "2"], input.as_bytes());
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let ids: Vec<Value> = records(&out).iter().map(|d| d["id"].clone()).collect();
    assert_eq!(ids, ["small"]);
    let err = stderr(&out);
    assert!(err.contains("-:2: over_budget"), "{err}");
    assert!(err.contains("memory budget of 2 MB"), "{err}");

    let out = run_stdin(&["-", "--time-budget", "0.000001"], input.as_bytes());
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(records(&out).is_empty());
    let err = stderr(&out);
    assert!(
        err.contains("time budget") && err.contains("2 skipped"),
        "{err}"
    );

    // No budget: both analysed.
    let out = run_stdin(
        &["-", "--time-budget", "0", "--memory-budget", "0"],
        input.as_bytes(),
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(records(&out).len(), 2);
}
