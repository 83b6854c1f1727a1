//! Stances and narrative codebooks end to end: `vigie analyze`, `vigie codebook check|test`.

mod common;

use serde_json::Value;
use std::path::Path;
use std::process::Command;

fn text_doc(text: &str) -> String {
    serde_json::json!({"id": "t", "text": text}).to_string()
}

fn seed() -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../fixtures/seed/sputnik-2022-08-camara.txt");
    let out = common::run_analyze(&[path.to_str().unwrap()], b"");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    common::records(&out).remove(0)
}

fn stance<'a>(d: &'a Value, target: &str) -> &'a Value {
    d["stances"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["target_name"] == target)
        .unwrap_or_else(|| panic!("no stance toward {target}: {:#}", d["stances"]))
}

fn evidence_words(s: &Value) -> Vec<String> {
    s["evidence"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["text"]["text"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn seed_stances_and_narratives() {
    let d = seed();
    let ru = stance(&d, "Russie");
    assert_eq!(ru["holder"], "Sadio Camara");
    assert!(ru["score"].as_f64().unwrap() > 0.5, "{ru:#}");
    let words = evidence_words(ru);
    for w in [
        "partenaire stratégique",
        "constant",
        "sincère",
        "résultats probants",
    ] {
        assert!(words.iter().any(|x| x == w), "{w} missing from {words:?}");
    }
    for target in ["forces internationales", "puissances établies"] {
        let s = stance(&d, target);
        assert!(s["score"].as_f64().unwrap() < 0.0, "{s:#}");
    }
    let found: Vec<&str> = d["narratives"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["id"].as_str().unwrap())
        .collect();
    for id in [
        "reliable-partner",
        "failed-intervention",
        "law-manipulation",
        "diversified-partnerships",
    ] {
        assert!(found.contains(&id), "{id} missing from {found:?}");
    }
    // Every match points at the words that fired it, inside its unit.
    let text = d["text"].as_str().unwrap();
    let chars: Vec<char> = text.chars().collect();
    for n in d["narratives"].as_array().unwrap() {
        for e in n["evidence"].as_array().unwrap() {
            let (us, ue) = (
                e["unit"]["start"].as_u64().unwrap(),
                e["unit"]["end"].as_u64().unwrap(),
            );
            for s in e["spans"].as_array().unwrap() {
                let (a, b) = (s["start"].as_u64().unwrap(), s["end"].as_u64().unwrap());
                assert!(us <= a && b <= ue);
                let got: String = chars[a as usize..b as usize].iter().collect();
                assert_eq!(got, s["text"].as_str().unwrap());
            }
        }
    }
}

#[test]
fn negation_intensity_contrast_and_holders() {
    let d = common::analyze_one(&text_doc(
        "La Russie n'est pas un partenaire fiable. La France est un allié très solide. \
         « La France reste une puissance néocoloniale », a déclaré le ministre malien des \
         Affaires étrangères Abdoulaye Diop.",
    ));
    let ru = stance(&d, "Russie");
    assert!(ru["score"].as_f64().unwrap() < 0.0, "{ru:#}");
    assert_eq!(ru["evidence"][0]["modifiers"][0], "negated");
    assert_eq!(ru["holder"], "author");
    let fr: Vec<&Value> = d["stances"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["target_name"] == "France")
        .collect();
    // The author's framing and the minister's are kept apart.
    assert!(
        fr.iter()
            .any(|s| s["holder"] == "author" && s["score"].as_f64().unwrap() > 0.0),
        "{fr:#?}"
    );
    let diop = fr
        .iter()
        .find(|s| s["holder"] == "Abdoulaye Diop")
        .unwrap_or_else(|| panic!("{fr:#?}"));
    assert!(diop["score"].as_f64().unwrap() < 0.0);
    assert!(fr
        .iter()
        .flat_map(|s| s["evidence"].as_array().unwrap())
        .any(|e| e["modifiers"]
            .as_array()
            .is_some_and(|m| m.iter().any(|x| x == "intensified"))));
}

fn vigie(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_vigie"))
        .args(args)
        .output()
        .expect("vigie runs")
}

fn write(dir: &Path, name: &str, text: &str) -> String {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p.to_str().unwrap().to_string()
}

const HEAD: &str = "[codebook]\nname = \"test\"\n\n[[narratives]]\nid = \"neo\"\nlabels = { fr = \"néo\", en = \"neo\" }\ndescription = \"d\"\n";

#[test]
fn custom_codebook_quotes_by_speaker_near_and_not() {
    let dir = tempfile::tempdir().unwrap();
    let by_ml = write(
        dir.path(),
        "ml.toml",
        &format!(
            "{HEAD}[[narratives.rules]]\nmatch = 'quote(néocolonial*, by = \"ML official\")'\n"
        ),
    );
    let by_fr = write(
        dir.path(),
        "fr.toml",
        &format!("{HEAD}[[narratives.rules]]\nmatch = 'quote(néocolonial*, by = FR)'\n"),
    );
    let near = write(
        dir.path(),
        "near.toml",
        &format!("{HEAD}[[narratives.rules]]\nmatch = 'France NEAR/3 puissance NOT ancienne'\n"),
    );
    let doc = text_doc(
        "« La France reste une puissance néocoloniale », a déclaré le ministre malien des \
         Affaires étrangères Abdoulaye Diop.",
    );
    let ids = |cb: &str| -> Vec<String> {
        let out = common::run_analyze(&["-", "--codebook", cb], doc.as_bytes());
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        common::records(&out)[0]["narratives"]
            .as_array()
            .unwrap()
            .iter()
            .map(|n| n["id"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(ids(&by_ml), vec!["neo"]);
    assert!(ids(&by_fr).is_empty());
    assert_eq!(ids(&near), vec!["neo"]);
    assert!(ids("none").is_empty());
}

#[test]
fn codebook_errors_stop_everything_with_their_line() {
    let dir = tempfile::tempdir().unwrap();
    let bad = write(
        dir.path(),
        "bad.toml",
        &format!("{HEAD}[[narratives.rules]]\nmatch = 'échec AND (Barkhane'\n"),
    );
    let out = vigie(&["codebook", "check", &bad]);
    assert_eq!(out.status.code(), Some(3));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("line 9, column 29") && err.contains("')'"),
        "{err}"
    );
    // `vigie analyze` refuses it before reading anything: no half-applied codebook.
    let out = common::run_analyze(&["-", "--codebook", &bad], text_doc("x").as_bytes());
    assert_eq!(out.status.code(), Some(3));
    assert!(out.stdout.is_empty());
    let typo = write(
        dir.path(),
        "typo.toml",
        &HEAD.replace("description", "descripton"),
    );
    let err = String::from_utf8_lossy(&vigie(&["codebook", "check", &typo]).stderr).to_string();
    assert!(err.contains("line 7"), "{err}");
}

#[test]
fn builtin_codebook_examples_all_pass() {
    let out = vigie(&["codebook", "test", "builtin"]);
    let s = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{s}");
    assert!(s.contains(" 0 failed"), "{s}");
    // A failing example is reported with the rule that fired.
    let dir = tempfile::tempdir().unwrap();
    let cb = write(
        dir.path(),
        "ex.toml",
        &format!(
            "{HEAD}[[narratives.rules]]\nmatch = 'néocolonial*'\n[[narratives.examples]]\ntext = \"Un débat sur le néocolonialisme.\"\nmatches = false\n"
        ),
    );
    let out = vigie(&["codebook", "test", &cb]);
    assert_eq!(out.status.code(), Some(1));
    let s = String::from_utf8_lossy(&out.stdout);
    assert!(
        s.contains("FAIL neo#1") && s.contains("rule 1 fired"),
        "{s}"
    );
}

#[test]
fn chained_near_on_repeated_words_stays_linear() {
    let dir = tempfile::tempdir().unwrap();
    let cb = write(
        dir.path(),
        "chain.toml",
        &format!(
            "{HEAD}[[narratives.rules]]\nscope = \"document\"\nmatch = 'partenaire NEAR/50 partenaire NEAR/50 partenaire NEAR/50 partenaire NEAR/50 partenaire'\n"
        ),
    );
    let doc = text_doc(&"Le partenaire ".repeat(3000));
    let out = common::run_analyze(&["-", "--codebook", &cb], doc.as_bytes());
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let d = &common::records(&out)[0];
    let spans = d["narratives"][0]["evidence"][0]["spans"]
        .as_array()
        .unwrap()
        .len();
    // Each word once, not once per pair.
    assert_eq!(spans, 3000);
}
