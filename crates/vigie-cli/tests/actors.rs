//! Entities, actors, roles, chains and outlets, end to end through `vigie analyze`.

mod common;

use serde_json::Value;
use std::path::Path;

fn analyze(input: &str) -> Value {
    common::analyze_one(input)
}

fn doc(text: &str, extra: &str) -> String {
    let mut v: Value = serde_json::from_str(&format!("{{\"id\": \"t\"{extra}}}")).unwrap();
    v["text"] = Value::String(text.into());
    v.to_string()
}

fn actor<'a>(d: &'a Value, id: &str) -> &'a Value {
    d["actors"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["id"] == id)
        .unwrap_or_else(|| panic!("no actor {id} in {:#}", d["actors"]))
}

fn mentions(a: &Value) -> Vec<(String, String, bool)> {
    a["mentions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            (
                m["text"].as_str().unwrap().to_string(),
                m["kind"].as_str().unwrap().to_string(),
                m["metonymy"] == true,
            )
        })
        .collect()
}

#[test]
fn seed_actors_roles_chain_and_outlet() {
    let seed = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/seed/seed.input.jsonl"),
    )
    .unwrap();
    let d = analyze(&seed);
    // Sadio Camara: a person with both roles, Malian, and one chain.
    let camara = actor(&d, "person:sadio-camara");
    assert_eq!(camara["name"], "Sadio Camara");
    assert_eq!(camara["country"], "ML");
    let roles: Vec<(&str, Option<&str>)> = camara["roles"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["title"].as_str().unwrap(), r["country"].as_str()))
        .collect();
    assert!(
        roles.contains(&("ministre de la Défense", Some("ML"))),
        "{roles:?}"
    );
    assert!(roles.iter().any(|r| r.0 == "colonel"), "{roles:?}");
    let chain: Vec<String> = mentions(camara).into_iter().map(|m| m.0).collect();
    for m in [
        "Sadio Camara",
        "le ministre",
        "l’officier",
        "l’interlocuteur de l’agence",
        "il",
    ] {
        assert!(chain.iter().any(|c| c == m), "{m:?} missing from {chain:?}");
    }
    // Countries: Russia through its names and its capital (metonymy), Mali through Bamako.
    let ru = mentions(actor(&d, "country:RU"));
    assert!(ru.contains(&("Fédération de Russie".into(), "name".into(), false)));
    assert!(ru.contains(&("Moscou".into(), "capital".into(), true)));
    assert!(ru.iter().filter(|m| m.0 == "Russie").count() >= 4);
    assert!(mentions(actor(&d, "country:ML")).contains(&("Bamako".into(), "capital".into(), true)));
    actor(&d, "country:CN");
    // Entities point at their actors.
    let ents = d["entities"].as_array().unwrap();
    assert!(ents.iter().any(|e| e["text"] == "Sadio Camara"
        && e["label"] == "PER"
        && e["actor"] == "person:sadio-camara"));
    assert!(ents
        .iter()
        .any(|e| e["text"] == "Moscou" && e["label"] == "LOC" && e["actor"] == "country:RU"));
    assert!(
        !ents.iter().any(|e| e["text"] == "Défense"),
        "a portfolio is not an entity"
    );
    // Sputnik is credited, not the publisher, and is Russian state media.
    let credited = d["outlets"]["credited"].as_array().unwrap();
    assert_eq!(credited.len(), 2);
    assert_eq!(credited[0]["id"], "sputnik");
    assert_eq!(credited[0]["state_affiliation"], "state-controlled");
    assert_eq!(credited[0]["country"], "RU");
    assert_eq!(credited[0]["evidence"]["text"], "Contacté par Sputnik");
    assert!(d["outlets"].get("publisher").is_none());
}

#[test]
fn publisher_from_metadata_and_credits_in_text() {
    let d = analyze(&doc(
        "Le président a démissionné, a indiqué à l'AFP un proche. (Reuters) - Les troupes sont parties, selon l'agence TASS.",
        ", \"url\": \"https://fr.sputniknews.africa/20220801/x.html\"",
    ));
    assert_eq!(d["outlets"]["publisher"]["id"], "sputnik");
    assert_eq!(d["outlets"]["publisher"]["found_in"], "meta.url");
    let credited: Vec<&str> = d["outlets"]["credited"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    assert_eq!(credited, ["afp", "reuters", "tass"]);
    let d = analyze(&doc("Texte.", ", \"outlet\": \"RT France\""));
    assert_eq!(d["outlets"]["publisher"]["id"], "rt_france");
    assert_eq!(d["outlets"]["publisher"]["found_in"], "meta.outlet");
}

#[test]
fn roles_after_the_name_metonymy_and_locations() {
    let d = analyze(&doc(
        "Emmanuel Macron, président de la République française, a reçu Olaf Scholz à Paris. \
         Washington a dénoncé l'accord. Le président a ensuite estimé que tout allait bien.",
        "",
    ));
    let macron = actor(&d, "person:emmanuel-macron");
    let roles: Vec<&str> = macron["roles"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["title"].as_str().unwrap())
        .collect();
    // The country goes to `country`, not into the title.
    assert_eq!(roles, ["président"]);
    assert_eq!(macron["country"], "FR");
    assert!(mentions(macron)
        .iter()
        .any(|m| m.0 == "Le président" && m.1 == "nominal"));
    // `à Paris` is a place; `Washington a dénoncé` is the US government.
    assert!(mentions(actor(&d, "country:FR")).contains(&("Paris".into(), "capital".into(), false)));
    assert!(mentions(actor(&d, "country:US")).contains(&(
        "Washington".into(),
        "capital".into(),
        true
    )));
}

#[test]
fn english_entities_and_roles() {
    let d = analyze(&doc(
        "Interior Minister Joachim Brudziński said on Friday that the fire in Koszalin was tragic. \
         The European Union and the Labour Party welcomed the decision, Reuters reported.",
        "",
    ));
    assert_eq!(d["language"]["code"], "en");
    let ents: Vec<(&str, &str)> = d["entities"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["text"].as_str().unwrap(), e["label"].as_str().unwrap()))
        .collect();
    assert!(ents.contains(&("Joachim Brudziński", "PER")), "{ents:?}");
    assert!(ents.contains(&("Koszalin", "LOC")), "{ents:?}");
    assert!(ents.contains(&("European Union", "ORG")), "{ents:?}");
    assert!(ents.contains(&("Labour Party", "ORG")), "{ents:?}");
    assert!(!ents.iter().any(|e| e.0 == "Friday"), "{ents:?}");
    let b = actor(&d, "person:joachim-brudzinski");
    assert_eq!(b["roles"][0]["title"], "Interior Minister");
    assert_eq!(d["outlets"]["credited"][0]["id"], "reuters");
}

#[test]
fn resources_can_be_overridden_and_bad_ones_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("outlets.toml"),
        "[[outlet]]\nid = \"gazette\"\nname = \"La Gazette du Sahel\"\naliases = [\"Gazette du Sahel\"]\ncountry = \"ML\"\nstate_affiliation = \"private\"\n",
    )
    .unwrap();
    let input = doc(
        "Le ministre a parlé, a indiqué à la Gazette du Sahel un proche.",
        "",
    );
    let out = common::run_analyze(
        &["-", "--resources", dir.path().to_str().unwrap()],
        input.as_bytes(),
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let d = &common::records(&out)[0];
    assert_eq!(d["outlets"]["credited"][0]["id"], "gazette");
    // A broken file is refused with its name, before any document is read.
    std::fs::write(dir.path().join("outlets.toml"), "[[outlet]\nid = ").unwrap();
    let out = common::run_analyze(
        &["-", "--resources", dir.path().to_str().unwrap()],
        input.as_bytes(),
    );
    assert_eq!(out.status.code(), Some(3));
    assert!(String::from_utf8_lossy(&out.stderr).contains("outlets.toml"));
}
