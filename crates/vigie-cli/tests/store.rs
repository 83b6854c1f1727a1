//! The corpus store end to end: ingest (idempotence, versions, bad input, kill -9), check,
//! search, quotes, trends, reprints, show, export and reanalyze, through the `vigie` binary.

#[path = "../../vigie-nlp/tests/hostile/inputs.rs"]
mod inputs;

use serde_json::{json, Value};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::Duration;

fn fixture(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../fixtures")
        .join(rel)
}

fn corpus() -> PathBuf {
    fixture("corpus/orangesum-300.jsonl.gz")
}

fn seed() -> PathBuf {
    fixture("seed/sputnik-2022-08-camara.txt")
}

fn vigie(store: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_vigie"))
        .args(args)
        .arg("--store")
        .arg(store)
        .output()
        .expect("vigie runs")
}

fn ok(out: &Output) -> String {
    assert!(
        out.status.success(),
        "exit {:?}\n{}",
        out.status.code(),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout.clone()).expect("UTF-8 output")
}

fn json_of(out: &Output) -> Value {
    serde_json::from_str(&ok(out)).expect("JSON output")
}

fn ingest(store: &Path, inputs: &[&Path]) -> Output {
    let mut args: Vec<&str> = vec!["ingest", "--quiet"];
    args.extend(inputs.iter().map(|p| p.to_str().unwrap()));
    vigie(store, &args)
}

/// `vigie check` must pass; returns the number of documents it reports.
fn checked_documents(store: &Path) -> u64 {
    let out = ok(&vigie(store, &["check"]));
    assert!(out.lines().any(|l| l == "ok"), "check failed:\n{out}");
    let line = out.lines().find(|l| l.starts_with("store ")).unwrap();
    let n = line.split(": ").nth(1).unwrap().split(' ').next().unwrap();
    n.parse().unwrap()
}

fn write_jsonl(path: &Path, docs: &[Value]) {
    let mut f = std::fs::File::create(path).unwrap();
    for d in docs {
        writeln!(f, "{d}").unwrap();
    }
}

fn corpus_docs() -> Vec<Value> {
    let out = Command::new("gzip")
        .arg("-dc")
        .arg(corpus())
        .output()
        .expect("gzip runs");
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

#[test]
fn ingest_is_idempotent_and_keeps_versions() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("store");
    ok(&ingest(&store, &[&corpus(), &seed()]));
    assert_eq!(checked_documents(&store), 301);

    // The same content again adds nothing.
    let again = vigie(&store, &["ingest", corpus().to_str().unwrap()]);
    ok(&again);
    let summary = String::from_utf8_lossy(&again.stderr);
    assert!(
        summary.contains("0 new documents, 0 new versions, 300 unchanged"),
        "{summary}"
    );

    // Two records of one document in one input (two versions) stay two versions on a rerun.
    let twice = dir.path().join("twice.jsonl");
    write_jsonl(
        &twice,
        &[
            json!({"id": "dup", "text": "Première version du texte sur le Mali et la Russie."}),
            json!({"id": "dup", "text": "Seconde version du texte sur le Mali et la Russie."}),
        ],
    );
    for _ in 0..3 {
        ok(&vigie(
            &store,
            &["ingest", "--quiet", twice.to_str().unwrap()],
        ));
    }
    let dup = json_of(&vigie(&store, &["show", "dup", "--format", "json"]));
    assert_eq!(dup["versions"].as_array().unwrap().len(), 2, "{dup:#}");
    assert_eq!(checked_documents(&store), 302);
    ok(&vigie(&store, &["check"]));

    // A changed text under a known id is a new version; the old one stays readable.
    let changed = dir.path().join("changed.jsonl");
    let mut doc = corpus_docs().remove(0);
    let id = doc["id"].as_str().unwrap().to_string();
    let old_text = doc["article"].as_str().unwrap().to_string();
    doc["article"] = json!(format!(
        "{old_text} Correctif : ce texte a été mis à jour par zorglubinette."
    ));
    write_jsonl(&changed, &[doc]);
    let out = vigie(&store, &["ingest", changed.to_str().unwrap()]);
    ok(&out);
    assert!(String::from_utf8_lossy(&out.stderr).contains("0 new documents, 1 new versions"));
    assert_eq!(checked_documents(&store), 302);
    let v2 = json_of(&vigie(&store, &["show", &id, "--format", "json"]));
    assert_eq!(v2["version"], 2);
    assert_eq!(v2["versions"].as_array().unwrap().len(), 2);
    assert!(v2["analysis"]["text"]
        .as_str()
        .unwrap()
        .ends_with("zorglubinette."));
    let v1 = json_of(&vigie(
        &store,
        &["show", &id, "--version", "1", "--format", "json"],
    ));
    assert_eq!(v1["analysis"]["text"].as_str().unwrap(), old_text);
    // Search finds the new wording, once (the index holds the latest version only).
    let hits = json_of(&vigie(
        &store,
        &["search", "zorglubinette", "--format", "json"],
    ));
    assert_eq!(hits["total"], 1, "{hits:#}");
}

#[test]
fn bad_input_is_reported_and_the_rest_is_stored() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("store");
    let input = dir.path().join("mixed.jsonl");
    std::fs::write(
        &input,
        "{\"id\": \"a\", \"text\": \"Le Mali a reçu des hélicoptères russes, a déclaré le ministre.\"}\n\
         {\"id\": \"b\", \"text\": broken\n\
         {\"id\": \"c\", \"text\": \"La Russie reste un partenaire, selon Bamako.\"}\n",
    )
    .unwrap();
    let binary = dir.path().join("blob.txt");
    std::fs::write(&binary, [0u8, 159, 146, 150, 0, 1, 2, 3]).unwrap();
    let out = ingest(&store, &[&input, &binary]);
    assert_eq!(out.status.code(), Some(1), "bad input gives exit code 1");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("mixed.jsonl:2"), "{err}");
    assert!(err.contains("blob.txt"), "{err}");
    assert_eq!(checked_documents(&store), 2);

    // Under --strict the run stops, and what was stored before stays.
    let strict = vigie(
        &store,
        &["ingest", "--quiet", "--strict", input.to_str().unwrap()],
    );
    assert_eq!(strict.status.code(), Some(3));
    assert_eq!(checked_documents(&store), 2);
}

#[test]
fn search_filters_snippets_and_facets() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("store");
    ok(&ingest(&store, &[&corpus(), &seed()]));

    let all = json_of(&vigie(
        &store,
        &["search", "russie", "--format", "json", "-n", "5"],
    ));
    let total = all["total"].as_u64().unwrap();
    assert!(total >= 5, "{all:#}");
    for h in all["hits"].as_array().unwrap() {
        let snippet = h["snippet"].as_str().unwrap();
        let hl = h["highlights"].as_array().unwrap();
        assert!(!hl.is_empty(), "a snippet shows the match: {h:#}");
        let chars: Vec<char> = snippet.chars().collect();
        let (s, e) = (
            hl[0][0].as_u64().unwrap() as usize,
            hl[0][1].as_u64().unwrap() as usize,
        );
        let word: String = chars[s..e].iter().collect();
        assert!(word.to_lowercase().starts_with("russ"), "{word}");
    }
    // Stemming and accent folding: "coopérations" finds "coopération" written without accent.
    let stem = json_of(&vigie(
        &store,
        &["search", "cooperations militaires", "--format", "json"],
    ));
    assert!(stem["hits"]
        .as_array()
        .unwrap()
        .iter()
        .any(|h| h["doc_id"] == "sputnik-2022-08-camara"));

    // Facets count the matching documents; a facet filter keeps exactly that many.
    let ru = all["facets"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["facet"] == "actor" && f["key"] == "country:RU")
        .expect("Russia among the actor facets")["count"]
        .as_u64()
        .unwrap();
    let filtered = json_of(&vigie(
        &store,
        &["search", "russie", "--actor", "Russie", "--format", "json"],
    ));
    assert_eq!(filtered["total"].as_u64().unwrap(), ru);

    // Dates at any precision.
    let june = json_of(&vigie(
        &store,
        &[
            "search", "", "--from", "2020-06", "--to", "2020-06", "--format", "json", "-n", "1000",
        ],
    ));
    let hits = june["hits"].as_array().unwrap();
    assert!(!hits.is_empty());
    assert!(hits
        .iter()
        .all(|h| h["date"].as_str().unwrap().starts_with("2020-06")));
    let month = json_of(&vigie(
        &store,
        &[
            "search",
            "",
            "--from",
            "2022-08-14",
            "--to",
            "2022-08-14",
            "--format",
            "json",
        ],
    ));
    assert_eq!(
        month["hits"][0]["doc_id"], "sputnik-2022-08-camara",
        "a month-precise date overlaps its days"
    );

    // Speaker, narrative and affiliation filters.
    for args in [
        ["--speaker", "Camara"],
        ["--narrative", "reliable-partner"],
        ["--affiliation", "state-controlled"],
    ] {
        let r = json_of(&vigie(
            &store,
            &["search", "", args[0], args[1], "--format", "json"],
        ));
        assert!(
            r["hits"]
                .as_array()
                .unwrap()
                .iter()
                .any(|h| h["doc_id"] == "sputnik-2022-08-camara"),
            "{args:?}: {r:#}"
        );
    }
    let none = vigie(
        &store,
        &["search", "", "--actor", "Atlantide", "--format", "json"],
    );
    assert_eq!(json_of(&none)["total"], 0);
    assert!(String::from_utf8_lossy(&none.stderr).contains("no actor \"Atlantide\""));

    // A French stop word in the query is dropped, not required of the English fields.
    let with_stop = json_of(&vigie(
        &store,
        &["search", "la coopération militaire", "--format", "json"],
    ));
    let without = json_of(&vigie(
        &store,
        &["search", "coopération militaire", "--format", "json"],
    ));
    assert!(without["total"].as_u64().unwrap() > 0);
    assert_eq!(with_stop["total"], without["total"]);
    // Huge pages are clamped, not allocated.
    let huge = vigie(
        &store,
        &[
            "search",
            "Mali",
            "-n",
            "18446744073709551615",
            "--offset",
            "9223372036854775807",
            "--format",
            "json",
        ],
    );
    assert_eq!(json_of(&huge)["hits"].as_array().unwrap().len(), 0);

    // Table and CSV output.
    let table = ok(&vigie(&store, &["search", "Mali"]));
    assert!(table.contains("documents match"), "{table}");
    let csv = ok(&vigie(&store, &["search", "Mali", "--format", "csv"]));
    assert!(csv.starts_with("rank,score,doc_id"), "{csv}");
}

#[test]
fn quotes_trends_show_and_export() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("store");
    ok(&ingest(&store, &[&corpus(), &seed()]));

    let q = json_of(&vigie(
        &store,
        &["quotes", "--speaker", "Camara", "--format", "json"],
    ));
    let q = q.as_array().unwrap();
    assert_eq!(q.len(), 7, "the minister is quoted seven times");
    assert!(q
        .iter()
        .all(|x| x["speaker"] == "Sadio Camara" && x["doc_id"] == "sputnik-2022-08-camara"));
    let shown = json_of(&vigie(
        &store,
        &["show", "sputnik-2022-08-camara", "--format", "json"],
    ));
    let text: Vec<char> = shown["analysis"]["text"]
        .as_str()
        .unwrap()
        .chars()
        .collect();
    for x in q {
        let (s, e) = (
            x["start"].as_u64().unwrap() as usize,
            x["end"].as_u64().unwrap() as usize,
        );
        assert_eq!(
            text[s..e].iter().collect::<String>(),
            x["content"].as_str().unwrap()
        );
    }
    let about = json_of(&vigie(
        &store,
        &[
            "quotes",
            "--speaker",
            "Camara",
            "--about",
            "RU",
            "--format",
            "json",
        ],
    ));
    let about = about.as_array().unwrap();
    assert!(!about.is_empty() && about.len() < 7, "{about:#?}");
    assert!(about
        .iter()
        .all(|x| x["content"].as_str().unwrap().contains("Russie")
            || x["content"].as_str().unwrap().contains("russe")
            || x["content"].as_str().unwrap().contains("Moscou")));
    let narr = json_of(&vigie(
        &store,
        &[
            "quotes",
            "--narrative",
            "reliable-partner",
            "--format",
            "json",
        ],
    ));
    assert!(!narr.as_array().unwrap().is_empty());
    let table = ok(&vigie(&store, &["quotes", "--speaker", "Camara"]));
    assert!(
        table.contains("Sadio Camara") && table.contains("7 quotes"),
        "{table}"
    );

    // Trends: per-month document counts agree with search.
    let t = json_of(&vigie(
        &store,
        &["trends", "--by", "actor", "--format", "json"],
    ));
    let ru = t["series"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["key"] == "country:RU")
        .expect("Russia in the top actors");
    let in_search = json_of(&vigie(
        &store,
        &["search", "", "--actor", "country:RU", "--format", "json"],
    ))["total"]
        .as_u64()
        .unwrap();
    assert_eq!(ru["total"].as_u64().unwrap(), in_search);
    assert_eq!(t["buckets"][0], "2020-04");
    let chart = ok(&vigie(
        &store,
        &["trends", "--by", "narrative", "--interval", "week"],
    ));
    assert!(chart.contains("documents per week by narrative"), "{chart}");
    let csv = ok(&vigie(
        &store,
        &["trends", "--by", "outlet", "--format", "csv"],
    ));
    assert!(csv.starts_with("interval,key,name,documents"));

    let view = ok(&vigie(&store, &["show", "sputnik-2022-08-camara"]));
    assert!(
        view.contains("Sadio Camara") && view.contains("version 1 of 1"),
        "{view}"
    );
    let missing = vigie(&store, &["show", "nope"]);
    assert_eq!(missing.status.code(), Some(3));

    // Export: every table, three formats, no row limit.
    let quotes_jsonl = ok(&vigie(&store, &["export", "--table", "quotes"]));
    let rows: Vec<Value> = quotes_jsonl
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert!(rows.len() > 7);
    assert_eq!(
        rows.iter()
            .filter(|r| r["speaker"] == "Sadio Camara")
            .count(),
        7
    );
    let csv = ok(&vigie(
        &store,
        &["export", "--table", "entities", "--format", "csv"],
    ));
    assert!(csv.starts_with("doc_id,entity,start,end,text,label,actor"));
    let out = dir.path().join("parquet");
    ok(&vigie(
        &store,
        &["export", "--format", "parquet", "-o", out.to_str().unwrap()],
    ));
    for t in [
        "documents",
        "quotes",
        "entities",
        "actors",
        "stances",
        "narratives",
    ] {
        let path = out.join(format!("{t}.parquet"));
        let file = std::fs::File::open(&path).unwrap();
        let reader = parquet::file::reader::SerializedFileReader::new(file).unwrap();
        let n: i64 = parquet::file::reader::FileReader::metadata(&reader)
            .file_metadata()
            .num_rows();
        assert!(n > 0, "{t}");
        if t == "quotes" {
            assert_eq!(n as usize, rows.len());
        }
        if t == "documents" {
            assert_eq!(n, 301);
        }
    }
}

#[test]
fn reprints_cluster_copies_across_outlets() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("store");
    // OrangeSum holds true duplicates (the same article under two ids): one of each here.
    let mut titles = std::collections::HashSet::new();
    let docs: Vec<Value> = corpus_docs()
        .into_iter()
        .filter(|d| titles.insert(d["title"].to_string()))
        .collect();
    let mut input = Vec::new();
    for (i, d) in docs.iter().take(40).enumerate() {
        input.push(
            json!({"id": format!("orig-{i}"), "title": d["title"], "text": d["article"],
            "date": "2020-05-01", "outlet": "agence.example"}),
        );
    }
    // Copies of the first three: a site header and footer, the last sentences cut, a new
    // title, two days later, on another site.
    for (i, d) in docs.iter().take(3).enumerate() {
        let text = d["article"].as_str().unwrap();
        let cut: String = text.chars().take(text.chars().count() * 4 / 5).collect();
        input.push(json!({"id": format!("copy-{i}"), "title": format!("Exclusif : article {i}"),
            "text": format!("Miroir Info, votre site d'actualité.\n\n{cut}\n\nLire aussi : nos autres articles. Abonnez-vous à la lettre de Miroir Info."),
            "date": "2020-05-03", "outlet": "miroir.example"}));
    }
    let path = dir.path().join("reprints.jsonl");
    write_jsonl(&path, &input);
    ok(&ingest(&store, &[&path]));
    let clusters = json_of(&vigie(&store, &["reprints", "--format", "json"]));
    let clusters = clusters.as_array().unwrap();
    let summary: Vec<(String, Vec<String>)> = clusters
        .iter()
        .map(|c| {
            let copies = c["copies"].as_array().unwrap();
            (
                c["original"]["doc_id"].to_string(),
                copies.iter().map(|k| k["doc_id"].to_string()).collect(),
            )
        })
        .collect();
    assert_eq!(clusters.len(), 3, "{summary:?}");
    for c in clusters {
        let orig = c["original"]["doc_id"].as_str().unwrap();
        assert!(orig.starts_with("orig-"));
        let copy = &c["copies"][0];
        assert_eq!(
            copy["doc_id"].as_str().unwrap(),
            orig.replace("orig", "copy")
        );
        assert_eq!(copy["outlet"], "miroir.example");
        assert_eq!(copy["lag_days"], 2);
        assert_eq!(copy["changes"]["title_changed"], true);
        assert!(copy["similarity"].as_f64().unwrap() >= 0.8);
        assert!(copy["changes"]["paragraphs_added"].as_u64().unwrap() >= 1);
    }
    let table = ok(&vigie(&store, &["reprints"]));
    assert!(
        table.contains("3 clusters, 3 copies") && table.contains("new title"),
        "{table}"
    );
    let strict = json_of(&vigie(
        &store,
        &["reprints", "--threshold", "1.0", "--format", "json"],
    ));
    assert!(strict.as_array().unwrap().len() < 3);
}

#[test]
fn reanalyze_applies_a_new_codebook_without_the_sources() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("store");
    let copy = dir.path().join("corpus.jsonl.gz");
    std::fs::copy(corpus(), &copy).unwrap();
    ok(&ingest(&store, &[&copy]));
    std::fs::remove_file(&copy).unwrap();
    let book = dir.path().join("pandemie.toml");
    std::fs::write(
        &book,
        r#"[codebook]
name = "test"

[[narratives]]
id = "pandemie"
labels = { fr = "La pandémie", en = "The pandemic" }
description = "Coverage of the Covid-19 pandemic."
sources = ["test"]

[[narratives.rules]]
match = 'coronavirus OR covid'
"#,
    )
    .unwrap();
    let before = json_of(&vigie(
        &store,
        &["search", "", "--narrative", "pandemie", "--format", "json"],
    ));
    assert_eq!(before["total"], 0);
    ok(&vigie(
        &store,
        &["reanalyze", "--quiet", "--codebook", book.to_str().unwrap()],
    ));
    assert_eq!(checked_documents(&store), 300);
    let after = json_of(&vigie(
        &store,
        &["search", "", "--narrative", "pandemie", "--format", "json"],
    ));
    assert!(after["total"].as_u64().unwrap() > 10, "{after:#}");
    let one = after["hits"][0]["doc_id"].as_str().unwrap().to_string();
    let shown = json_of(&vigie(&store, &["show", &one, "--format", "json"]));
    assert!(shown["analyzed_by"].as_str().unwrap().contains("[test]"));
    let trend = json_of(&vigie(
        &store,
        &["trends", "--by", "narrative", "--format", "json"],
    ));
    assert_eq!(trend["series"][0]["key"], "pandemie");
}

/// kill -9 at several moments of an ingest: every time the store opens, passes `vigie check`,
/// keeps every whole batch committed before the kill and nothing else; searches run during the
/// ingest; rerunning the ingest completes the rest.
#[test]
fn a_killed_ingest_leaves_a_sound_store_and_resumes() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("store");
    let batch = 10;
    let mut stored = 0;
    let mut killed_midway = 0;
    for delay_ms in [150u64, 400, 700, 1100, 1600, 2400, 3500] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_vigie"))
            .args([
                "ingest",
                "--quiet",
                "--batch-size",
                &batch.to_string(),
                "-j",
                "1",
            ])
            .arg(corpus())
            .arg("--store")
            .arg(&store)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(delay_ms / 2));
        if store.join("vigie.sqlite").is_file() {
            // A reader during the ingest.
            let out = vigie(&store, &["search", "le", "--format", "json"]);
            if out.status.success() {
                let _: Value = serde_json::from_slice(&out.stdout).unwrap();
            } else {
                // Only a store still being created may refuse a reader.
                assert!(
                    String::from_utf8_lossy(&out.stderr).contains("store"),
                    "{}",
                    String::from_utf8_lossy(&out.stderr)
                );
            }
        }
        std::thread::sleep(Duration::from_millis(delay_ms / 2));
        let finished = child.try_wait().unwrap().is_some();
        child.kill().ok(); // SIGKILL on Unix
        child.wait().unwrap();
        if !store.join("vigie.sqlite").is_file() {
            continue;
        }
        let n = checked_documents(&store);
        assert!(n >= stored, "documents lost: {stored} before, {n} after");
        if !finished && n < 300 {
            killed_midway += 1;
            assert_eq!(n % batch, 0, "only whole batches are stored ({n})");
        }
        stored = n;
        if n == 300 {
            break;
        }
    }
    assert!(
        killed_midway > 0,
        "no kill landed during an ingest: make the delays shorter"
    );
    ok(&ingest(&store, &[&corpus()]));
    assert_eq!(checked_documents(&store), 300);
}

/// A lost or foreign full-text index is rebuilt from the database by `vigie check` (or the next
/// ingest): nothing stored is lost.
#[test]
fn a_damaged_index_is_rebuilt_from_the_database() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("store");
    ok(&ingest(&store, &[&seed()]));
    let index = store.join("index");
    std::fs::remove_dir_all(&index).unwrap();
    std::fs::create_dir(&index).unwrap();
    std::fs::write(index.join("meta.json"), "{\"garbage\": 1}").unwrap();
    let search = vigie(&store, &["search", "Russie"]);
    assert_eq!(search.status.code(), Some(3), "a reader reports the damage");
    assert!(String::from_utf8_lossy(&search.stderr).contains("index"));
    let out = ok(&vigie(&store, &["check"]));
    assert!(out.contains("re-indexed 1 stored documents"), "{out}");
    assert_eq!(checked_documents(&store), 1);
    let hits = json_of(&vigie(&store, &["search", "Russie", "--format", "json"]));
    assert_eq!(hits["total"], 1);
}

/// A query the index cannot run, or over the caps (10,000 nested parentheses aborted the
/// process on a stack overflow), is a usage error: exit code 2 and a message, for search,
/// quotes and trends alike.
#[test]
fn queries_the_store_refuses_are_usage_errors() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("store");
    ok(&ingest(&store, &[&seed()]));
    let deep = format!("{}camara{}", "(".repeat(10_000), ")".repeat(10_000));
    let nested = format!("{}camara", "(".repeat(40));
    let long = "x".repeat(2000);
    for (args, says) in [
        (vec!["search", "body_fr:*"], "cannot be searched"),
        (vec!["search", "seq:1"], "cannot be searched"),
        (vec!["search", "body_fr:[a TO z]"], "cannot be searched"),
        (vec!["search", deep.as_str()], "too long"),
        (vec!["search", nested.as_str()], "nests parentheses 40 deep"),
        (
            vec!["search", "camara", "--actor", long.as_str()],
            "too long",
        ),
        (vec!["quotes", "--speaker", long.as_str()], "too long"),
    ] {
        let out = vigie(&store, &args);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{:.80?}: {err}", args);
        assert!(
            err.starts_with("vigie: error: ") && err.contains(says),
            "{err}"
        );
    }
    // What the caps let through still runs.
    ok(&vigie(
        &store,
        &["search", "((camara)) OR \"sadio camara\""],
    ));
}

/// A second writer stops at once with a message in plain words (exit code 3), while the
/// first holds the store; not after SQLite's wait with "database is locked".
#[test]
fn a_second_writer_is_told_in_plain_words() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("store");
    ok(&ingest(&store, &[&seed()]));
    // The first writer reads its input from a pipe that stays open.
    let spawn_first = || {
        Command::new(env!("CARGO_BIN_EXE_vigie"))
            .args(["ingest", "--quiet", "-", "--store"])
            .arg(&store)
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap()
    };
    let mut first = spawn_first();
    let started = std::time::Instant::now();
    let mut told = None;
    while told.is_none() && started.elapsed() < Duration::from_secs(60) {
        // (A first writer that started while a second one held the store was refused in its
        // turn: start it again.)
        if first.try_wait().unwrap().is_some() {
            first = spawn_first();
            std::thread::sleep(Duration::from_millis(200));
        }
        let t = std::time::Instant::now();
        let out = ingest(&store, &[&seed()]);
        let err = String::from_utf8_lossy(&out.stderr).to_string();
        if err.contains("another vigie process is writing") {
            told = Some((out.status.code(), err, t.elapsed()));
        } else {
            std::thread::sleep(Duration::from_millis(50));
        }
    }
    let (code, err, took) = told.expect("the second writer is refused while the first runs");
    assert_eq!(code, Some(3), "{err}");
    assert!(
        err.contains(&format!("writing to the store {}", store.display()))
            && err.contains("wait for it or stop it"),
        "{err}"
    );
    assert!(took < Duration::from_secs(10), "refused at once ({took:?})");
    // The first goes on and ends well once its input ends.
    let mut stdin = first.stdin.take().unwrap();
    writeln!(
        stdin,
        r#"{{"id": "late", "text": "Un texte arrivé tard."}}"#
    )
    .unwrap();
    drop(stdin);
    assert!(first.wait().unwrap().success());
    assert_eq!(checked_documents(&store), 2);
}

/// Issue 16, through the binary: every hostile pattern of the analysis suite (at 64 KiB) is
/// ingested into a store in one run, then read back with `vigie show`; the run stays within a
/// time limit and every stored analysis stays a bounded multiple of its text (defect 1: a 24 KB
/// document of unclosed `«` made every read of it 219 MB).
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
    let started = std::time::Instant::now();
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
