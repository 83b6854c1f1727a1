//! Quotes and speakers end to end through `vigie analyze`.

mod common;

use serde_json::Value;
use std::path::Path;

fn analyze(input: &str) -> Value {
    common::analyze_one(input)
}

fn text_doc(text: &str) -> String {
    serde_json::json!({"id": "t", "text": text}).to_string()
}

/// (type, content, speaker name, cue)
fn quotes(d: &Value) -> Vec<(String, String, String, Option<String>)> {
    d["quotes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|q| {
            (
                q["type"].as_str().unwrap().to_string(),
                q["content"]["text"].as_str().unwrap().to_string(),
                q["speaker"]["name"].as_str().unwrap_or("").to_string(),
                q["cue"]["text"].as_str().map(str::to_string),
            )
        })
        .collect()
}

#[test]
fn seed_seven_quotes_all_by_sadio_camara() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/seed");
    let d = analyze(&std::fs::read_to_string(root.join("seed.input.jsonl")).unwrap());
    let gold: Value =
        serde_json::from_str(&std::fs::read_to_string(root.join("seed.gold.jsonl")).unwrap())
            .unwrap();
    let found = d["quotes"].as_array().unwrap();
    // Every gold quote is matched (>= 30% of its span covered, the lenient rule) by a quote
    // attributed to Sadio Camara, with the gold's type.
    for g in gold["quotes"].as_array().unwrap() {
        let (gs, ge) = (
            g["content"][0].as_u64().unwrap(),
            g["content"][1].as_u64().unwrap(),
        );
        let hit = found.iter().find(|q| {
            let (s, e) = (
                q["content"]["start"].as_u64().unwrap(),
                q["content"]["end"].as_u64().unwrap(),
            );
            let inter = e.min(ge).saturating_sub(s.max(gs));
            inter * 10 >= (ge - gs) * 3
        });
        let q = hit.unwrap_or_else(|| panic!("gold quote {gs}..{ge} not found"));
        assert_eq!(q["speaker"]["name"], "Sadio Camara", "{q:#}");
        assert_eq!(q["speaker"]["actor"], "person:sadio-camara");
        assert_eq!(q["type"], g["type"], "{q:#}");
    }
    assert_eq!(found.len(), 7);
    // The quote over two paragraphs keeps the gold span exactly.
    assert!(found
        .iter()
        .any(|q| q["content"]["start"] == 780 && q["content"]["end"] == 1224));
}

#[test]
fn french_constructions() {
    let d = analyze(&text_doc(
        "Le président malien Assimi Goïta a déclaré que la transition durerait trois ans. \
         « Nous ne partirons pas », a-t-il ajouté. \
         Selon une source sécuritaire, l'attaque a fait dix morts. \
         Le porte-parole de l'armée, Souleymane Dembélé, a précisé : « Les opérations continuent. »",
    ));
    let q = quotes(&d);
    assert!(
        q.contains(&(
            "indirect".into(),
            "la transition durerait trois ans".into(),
            "Assimi Goïta".into(),
            Some("a déclaré".into())
        )),
        "{q:#?}"
    );
    assert!(
        q.contains(&(
            "direct".into(),
            "Nous ne partirons pas".into(),
            "Assimi Goïta".into(),
            Some("ajouté".into())
        )),
        "{q:#?}"
    );
    assert!(
        q.iter()
            .any(|x| x.1 == "l'attaque a fait dix morts" && x.2 == "source sécuritaire"),
        "{q:#?}"
    );
    let unnamed = d["quotes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["speaker"]["name"] == "source sécuritaire")
        .unwrap();
    assert_eq!(unnamed["speaker"]["named"], false);
    assert!(
        q.iter().any(|x| x.0 == "direct"
            && x.1 == "Les opérations continuent."
            && x.2 == "Souleymane Dembélé"),
        "{q:#?}"
    );
}

#[test]
fn english_said_and_according_to() {
    let d = analyze(&text_doc(
        "\"We will not leave Mali,\" Defense Minister Sadio Camara said on Monday. \
         According to the United Nations, the situation has worsened. \
         The minister said that the cooperation with Russia was working.",
    ));
    let q = quotes(&d);
    assert!(
        q.iter()
            .any(|x| x.1.starts_with("We will not leave Mali") && x.2 == "Sadio Camara"),
        "{q:#?}"
    );
    assert!(
        q.iter()
            .any(|x| x.1 == "the situation has worsened" && x.2.contains("United Nations")),
        "{q:#?}"
    );
    assert!(
        q.iter()
            // PolNeAR's convention: the content keeps `that`.
            .any(|x| x.1 == "that the cooperation with Russia was working"
                && x.2 == "Sadio Camara"),
        "{q:#?}"
    );
}

#[test]
fn scare_quotes_are_not_quotes_and_unbalanced_marks_still_yield() {
    let d = analyze(&text_doc(
        "Le \"Ségur de la santé\" a repris. Les syndicats jugent l'enveloppe \"insuffisante\".",
    ));
    assert!(
        quotes(&d).iter().all(|q| q.1 != "Ségur de la santé"),
        "{:#?}",
        quotes(&d)
    );
    let d = analyze(&text_doc(
        "Le ministre Jean Dupont a déclaré : « Nous resterons. Puis il a affirmé que la situation était grave.",
    ));
    let q = quotes(&d);
    assert!(
        q.iter()
            .any(|x| x.2 == "Jean Dupont" && x.1.starts_with("Nous resterons")),
        "{q:#?}"
    );
}

#[test]
fn an_acronym_speaker_takes_the_name_the_text_defines() {
    let d = analyze(&text_doc(
        "Le scrutin a été suivi par la Mission d'observation électorale (MOE) au Mali. \
         « Le vote s'est déroulé dans le calme », précise la MOE. \
         « Deux soldats ont été blessés », a indiqué l'EMA.",
    ));
    let q = quotes(&d);
    assert!(
        q.iter()
            .any(|x| x.1 == "Le vote s'est déroulé dans le calme"
                && x.2 == "Mission d'observation électorale"),
        "{q:#?}"
    );
    // An acronym of the gazetteer takes the organisation's full name.
    assert!(
        q.iter()
            .any(|x| x.1 == "Deux soldats ont été blessés" && x.2 == "État-major des armées"),
        "{q:#?}"
    );
}

/// Asserts that a quote whose content starts with `content` is attributed to `speaker`.
fn has(q: &[(String, String, String, Option<String>)], content: &str, speaker: &str) {
    assert!(
        q.iter().any(|x| x.1.starts_with(content) && x.2 == speaker),
        "no «{content}» by {speaker}: {q:#?}"
    );
}

#[test]
fn french_subjects_adjuncts_and_anaphora() {
    let d = analyze(&text_doc(
        "Nadim Houry, responsable de l'organisation et spécialiste de la Syrie, précise que \
         la torture continue. Le président de la Douma Viatcheslav Volodine a évoqué mardi soir \
         un possible complot étranger. « Tous nos investissements sont légitimes », a affirmé à \
         l'AFP une porte-parole du Duché de Lancaster. L'ONG Human Rights Watch a publié un \
         rapport. L'ONG dénonce également le recours à l'électricité. Les prisonniers sont \
         maintenus dans des cellules.",
    ));
    let q = quotes(&d);
    has(&q, "la torture continue", "Nadim Houry");
    has(&q, "un possible complot étranger", "Viatcheslav Volodine");
    has(
        &q,
        "Tous nos investissements",
        "porte-parole du Duché de Lancaster",
    );
    has(&q, "le recours à l'électricité", "Human Rights Watch");
    // A passive is no reporting act, unless its agent is named: then the agent speaks.
    assert!(
        q.iter().all(|x| !x.1.starts_with("dans des cellules")),
        "{q:#?}"
    );
    let d = analyze(&text_doc(
        "Emmanuel Macron a promis des réformes. Le tout, assure-t-il, se fera dans un esprit \
         d'apaisement. Cette attaque a été revendiquée par le Groupe de soutien à l'islam et aux musulmans. Il a été arrêté par \
         la police.",
    ));
    let q = quotes(&d);
    has(&q, "Le tout, assure-t-il, se fera", "Emmanuel Macron");
    has(
        &q,
        "Cette attaque",
        "Groupe de soutien à l'islam et aux musulmans",
    );
    assert!(q.iter().all(|x| x.1 != "Il"), "{q:#?}");
}

#[test]
fn french_appositions_relatives_reflexives_and_inline_sources() {
    let d = analyze(&text_doc(
        "Les pays voisins du Mali, réunis en sommet extraordinaire, avaient réclamé jeudi le \
         rétablissement du président. Le président était confronté à un mouvement d'opposition \
         hétéroclite qui réclamait sa démission. « Il y a un problème politique majeur », a \
         dénoncé sur BFMTV François Kalfon, membre du Parti socialiste. Le ministre burkinabè \
         Alpha Barry, qui a précisé que l'otage se trouvait « avec les Américains », a mis \
         l'accent sur « la coopération entre le Burkina et la France ». Le Kremlin leur reproche \
         de conclure à la hâte, la baisse de l'enzyme pouvant selon Moscou avoir « de nombreuses \
         causes ».",
    ));
    let q = quotes(&d);
    // A participle apposition does not turn the main verb into an incise.
    has(&q, "le rétablissement du président", "pays voisins du Mali");
    // The antecedent of `qui` stops at a preposition other than `de`.
    has(&q, "sa démission", "mouvement d'opposition hétéroclite");
    // An outlet before a name does not belong to it.
    has(&q, "Il y a un problème politique majeur", "François Kalfon");
    // The relative clause's content ends where the main clause resumes; `se trouver` is no cue.
    has(
        &q,
        "l'otage se trouvait « avec les Américains »",
        "Alpha Barry",
    );
    assert!(
        q.iter()
            .any(|x| x.1 == "la coopération entre le Burkina et la France"
                && x.2 == "Alpha Barry"
                && x.3.as_deref() == Some("a mis l'accent")),
        "{q:#?}"
    );
    assert!(
        q.iter().all(|x| x.3.as_deref() != Some("trouvait")),
        "{q:#?}"
    );
    // A source inside its clause reports the clause; the clause before it is not its content.
    has(&q, "la baisse de l'enzyme pouvant selon Moscou", "Moscou");
    assert!(
        q.iter()
            .any(|x| x.1 == "de conclure à la hâte" && x.2 == "Kremlin"),
        "{q:#?}"
    );
    let d = analyze(&text_doc(
        "Un membre de la junte à confirmé à l'AFP « les trois ans de transition ». « Les \
         négociations avancent », a indiqué à l'AFP une source au sein de la délégation. Quant au \
         Premier ministre, arrêté en même temps que le président Keïta, « il sera libéré », a \
         ajouté ce responsable. Le groupe État islamique au Grand Sahara (EIGS), qui revendique \
         la responsabilité de l'accident, a publié un communiqué.",
    ));
    let q = quotes(&d);
    // `à` before a participle is a typo for the auxiliary; the outlet addressed is no content.
    assert!(
        q.iter()
            .any(|x| x.1 == "les trois ans de transition" && x.2 == "membre de la junte"),
        "{q:#?}"
    );
    // A demonstrative description takes up the current speaker, not the person named last.
    assert!(
        q.iter()
            .any(|x| x.1.ends_with("« il sera libéré »") && x.2 == "source"),
        "{q:#?}"
    );
    // The longest gazetteer name wins over a shorter one that starts earlier.
    has(
        &q,
        "la responsabilité de l'accident",
        "État islamique au Grand Sahara",
    );
}

#[test]
fn french_quote_reported_inside_an_indirect_one() {
    let d = analyze(&text_doc(
        "Selon une source policière, Éric Drouet a été interpellé alors qu'il se dirigeait vers \
         les Champs-Elysées où il avait appelé d'autres sympathisants à se rassembler.",
    ));
    let q = quotes(&d);
    has(&q, "Éric Drouet a été interpellé", "source policière");
    has(&q, "d'autres sympathisants à se rassembler", "Éric Drouet");
}

#[test]
fn english_incises_clauses_dashes_and_interruptions() {
    let d = analyze(&text_doc(
        "Secret Service protocol called for the nominee to be taken to a trauma center, sources \
         said. Figueroa said the campaign planned to bus in supporters. However, the police \
         reported that the area was calm.\n\n\
         “We are tired of this,” Smith said. “Nobody listens to us.”\n\n\
         “The economy is the issue.” ― Jane Doe, 45, of Ohio",
    ));
    let q = quotes(&d);
    has(&q, "Secret Service protocol called for", "sources");
    has(&q, "the campaign planned", "Figueroa");
    // `However, …` is no incise: the quote is the that-clause.
    has(&q, "that the area was calm", "police");
    // PolNeAR keeps an interrupted quote as one span.
    assert!(
        q.iter()
            .any(|x| x.1.starts_with("We are tired") && x.1.ends_with("Nobody listens to us.")),
        "{q:#?}"
    );
    has(&q, "The economy is the issue", "Jane Doe");
}

#[test]
fn english_coordination_topics_and_attributions_without_source() {
    let d = analyze(&text_doc(
        "Intro. Merrill says Machado promised to continue supporting Clinton and said she would \
         stand up to the attacks. The GOP nominee complained about his mic, even suggesting he \
         may have been sabotaged. Many of his supporters believe bigotry is acceptable. \
         Obama's veto is expected to come before the deadline. Lenox was a juggernaut, Mr. \
         Clarke said, until it went bankrupt. “Did you see him?” Trump said, looking at the \
         crowd.\n\nThe officer was not wearing a recording device, police said.",
    ));
    let q = quotes(&d);
    has(
        &q,
        "Machado promised to continue supporting Clinton",
        "Merrill",
    );
    // The content stops before the coordinated verb, which reports for the same speaker.
    assert!(
        q.iter().all(|x| !x.1.contains("and said she would")),
        "{q:#?}"
    );
    has(&q, "she would stand up to the attacks", "Merrill");
    has(&q, "his mic", "GOP nominee");
    has(&q, "he may have been sabotaged", "GOP nominee");
    has(&q, "bigotry is acceptable", "Many of his supporters");
    has(&q, "Lenox was a juggernaut, Mr. Clarke said", "Clarke");
    has(&q, "Did you see him?", "Trump");
    has(&q, "The officer was not wearing", "police");
    // A passive of a reporting verb without an agent: the whole clause, no speaker.
    assert!(
        q.iter()
            .any(|x| x.1.starts_with("Obama's veto is expected") && x.2.is_empty()),
        "{q:#?}"
    );
}

#[test]
fn french_appositions_nicknames_epithets_and_salience() {
    let d = analyze(&text_doc(
        "En Russie, un homme d'affaires controversé, réputé proche de Vladimir Poutine et en \
         conflit avec M. Navalny, a promis mercredi de ruiner l'opposant. L'ancien président \
         Amadou Toumani Touré dit ATT a salué « un homme de confiance ». Fin avril, 60 députés \
         européens, dont l'écologiste Yannick Jadot, avaient d'ailleurs demandé le boycott de la \
         Coupe du Monde. « C'est absolument faux » a indiqué Robert Soulas. C'est la remarque \
         de Kareyce Fotso. La médaillée d'argent des jeux de Beyrouth se plaint de la politique \
         du deux poids deux mesures.",
    ));
    let q = quotes(&d);
    has(&q, "de ruiner l'opposant", "homme d'affaires controversé");
    has(&q, "un homme de confiance", "Amadou Toumani Touré");
    assert!(q.iter().all(|x| !x.1.starts_with("ATT")), "{q:#?}");
    has(
        &q,
        "le boycott de la Coupe du Monde",
        "60 députés européens",
    );
    has(&q, "C'est absolument faux", "Robert Soulas");
    has(&q, "de la politique du deux poids", "Kareyce Fotso");
    // A pronoun after a quote of several sentences takes up the person named since the last
    // quote with a cue, not the speaker a continuation guess carried on.
    let d = analyze(&text_doc(
        "Florian Philippot a dénoncé la violence des policiers.Steve Briois a ironisé sur \
         Twitter. « Alerte : arrestation d'un opposant en Russie. Ah zut, c'était en France », \
         a-t-il écrit.",
    ));
    has(&quotes(&d), "Alerte : arrestation", "Steve Briois");
    // A participle reports for the subject of the sentence's main verb, found after it; a
    // sentence-initial pronoun speaks for a gerund.
    let d = analyze(&text_doc(
        "Le 4, un expert toxicologue russe estime qu'il a pu être victime d'un problème de \
         digestion, rejetant l'empoisonnement diagnostiqué en Allemagne. Éric Drouet a été \
         interpellé. Il avait également suscité une controverse en appelant sur BFMTV à \
         « rentrer » dans l'Elysée.",
    ));
    let q = quotes(&d);
    has(
        &q,
        "l'empoisonnement diagnostiqué",
        "expert toxicologue russe",
    );
    has(&q, "« rentrer » dans l'Elysée", "Éric Drouet");
    // A cleft points back at the sentence before, unless its subject is a generic `on`.
    let d = analyze(&text_doc(
        "Le pays va mal. C'est ce qu'affirment les experts de l'ONU. Il a réussi. C'est ce \
         qu'on appelle un succès.",
    ));
    let q = quotes(&d);
    has(&q, "Le pays va mal", "experts de l'ONU");
    assert!(q.iter().all(|x| x.1 != "Il a réussi"), "{q:#?}");
    let d = analyze(&text_doc(
        "Human Rights Watch dévoile que la torture est systématique. La Cour pénale \
         internationale pourrait être saisie. L'ONG appelle le Conseil de sécurité à agir.",
    ));
    has(
        &quotes(&d),
        "le Conseil de sécurité à agir",
        "Human Rights Watch",
    );
    let d = analyze(&text_doc(
        "Le BEA, le Bureau d'enquêtes et d'analyses de la DGAC, a publié son rapport. Des \
         défaillances de l'avion (un Airbus A330) sont en cause. Selon le BEA, le pilote a \
         cabré.",
    ));
    has(
        &quotes(&d),
        "le pilote a cabré",
        "Bureau d'enquêtes et d'analyses",
    );
}

#[test]
fn odd_documents_never_break_the_quote_layer() {
    // Edge cases of the rules: a leading colon, lone marks and dashes, cues at the edges,
    // parentheses and relatives with nothing around them, doubled apostrophes.
    let texts = [
        "« Nous allons gagner cette bataille contre la faim », ajoute-t-il",
        ": a b c d",
        ":",
        "\"",
        "« »",
        "''",
        "'' ''",
        "“A,” ― ",
        "― Jean",
        "(EIGS), qui revendique",
        ", a-t-il ajouté.",
        "a dit",
        "said",
        ", said Smith",
        "Selon",
        "Selon lui,",
        "comme le précise",
        "qui",
        "Ils ont dit que",
        "« Oui », a",
        "WALLACE:",
        "X:\n\nY",
        "d''évolutions « a », dit-il, « b",
        "Il a déclaré : « Nous resterons. Puis : « encore",
        "Le groupe souhaite. L'ONG dénonce. La même source affirme. Ce responsable dit que.",
    ];
    let input: String = texts
        .iter()
        .enumerate()
        .map(|(i, t)| format!("{}\n", serde_json::json!({"id": i.to_string(), "text": t})))
        .collect();
    let out = common::run_analyze(&["-"], input.as_bytes());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!err.contains("internal"), "{err}");
    assert_eq!(common::records(&out).len(), texts.len(), "{err}");
}

/// `M.` before a name is a title, not the end of the speaker's phrase (OrangeSum had 3,135
/// quotes attributed to a speaker named `M`).
#[test]
fn a_title_abbreviation_keeps_its_name() {
    let d = analyze(&text_doc(
        "\"C'est difficile d'en dire plus\", selon M. Retailleau, qui devrait être réélu. \
         Mais un peu \"juste\", reconnaît M. Dantec qui espère arriver à 12 membres.",
    ));
    let speakers: Vec<String> = quotes(&d).into_iter().map(|q| q.2).collect();
    assert!(speakers.contains(&"Retailleau".to_string()), "{speakers:?}");
    assert!(speakers.contains(&"Dantec".to_string()), "{speakers:?}");
    assert!(!speakers.iter().any(|s| s == "M"), "{speakers:?}");
}
