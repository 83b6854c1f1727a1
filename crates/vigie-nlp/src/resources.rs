//! Data files the pipeline reads: embedded at build time from `resources/`, overridable.
//!
//! Every file is plain text with `#` comment lines carrying its provenance. A user can replace
//! any of them by putting a file with the same relative path in a directory given to
//! [`Resources::load`] (the `--resources DIR` option of the command line).

use crate::gazetteer::Gazetteer;
use crate::lexicons::Lexicons;
use crate::ner::NerModel;
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::path::Path;

/// The embedded default files, by relative path.
pub const EMBEDDED: &[(&str, &str)] = &[
    (
        "segment/abbreviations.txt",
        include_str!("../../../resources/segment/abbreviations.txt"),
    ),
    (
        "segment/sentence-starters.txt",
        include_str!("../../../resources/segment/sentence-starters.txt"),
    ),
    (
        "lang/function-words.tsv",
        include_str!("../../../resources/lang/function-words.tsv"),
    ),
    (
        "gazetteers/countries.tsv",
        include_str!("../../../resources/gazetteers/countries.tsv"),
    ),
    (
        "gazetteers/metonyms.tsv",
        include_str!("../../../resources/gazetteers/metonyms.tsv"),
    ),
    (
        "gazetteers/organizations.tsv",
        include_str!("../../../resources/gazetteers/organizations.tsv"),
    ),
    (
        "outlets.toml",
        include_str!("../../../resources/outlets.toml"),
    ),
    (
        "outlets/credit-cues.tsv",
        include_str!("../../../resources/outlets/credit-cues.tsv"),
    ),
    (
        "lexicons/reporting-verbs.fr.tsv",
        include_str!("../../../resources/lexicons/reporting-verbs.fr.tsv"),
    ),
    (
        "lexicons/reporting-verbs.en.tsv",
        include_str!("../../../resources/lexicons/reporting-verbs.en.tsv"),
    ),
    (
        "ner/en-rules.tsv",
        include_str!("../../../resources/ner/en-rules.tsv"),
    ),
    (
        "lexicons/roles.tsv",
        include_str!("../../../resources/lexicons/roles.tsv"),
    ),
    (
        "lexicons/metonymy-cues.tsv",
        include_str!("../../../resources/lexicons/metonymy-cues.tsv"),
    ),
    (
        "lexicons/anaphora-nouns.tsv",
        include_str!("../../../resources/lexicons/anaphora-nouns.tsv"),
    ),
    (
        "lexicons/polarity.tsv",
        include_str!("../../../resources/lexicons/polarity.tsv"),
    ),
];

/// The embedded French NER model (see `vigie train ner`).
pub const EMBEDDED_NER_FR: &[u8] = include_bytes!("../../../resources/models/ner-fr.bin.gz");

/// Path of the French NER model under a resources directory.
pub const NER_FR_PATH: &str = "models/ner-fr.bin.gz";

/// Abbreviations that do not end a sentence.
#[derive(Debug, Clone, Default)]
pub struct Abbreviations {
    /// Entries with a capital letter: matched exactly.
    pub exact: HashSet<String>,
    /// Lower-case entries: matched case-insensitively (stored lower-cased).
    pub folded: HashSet<String>,
    /// Entries that are abbreviations only before a number (`art. 3`), as written.
    pub before_digit: HashSet<String>,
}

impl Abbreviations {
    /// True when `token` (without its full stop) is an abbreviation here; `before_digit` says
    /// whether a number follows.
    pub fn contains(&self, token: &str, before_digit: bool) -> bool {
        let lower;
        let folded = if token.chars().any(char::is_uppercase) {
            lower = token.to_lowercase();
            lower.as_str()
        } else {
            token
        };
        if self.before_digit.contains(token) || self.before_digit.contains(folded) {
            return before_digit;
        }
        self.exact.contains(token) || self.folded.contains(folded)
    }
}

/// All resources of the pipeline.
#[derive(Debug, Clone, Default)]
pub struct Resources {
    /// Sentence-segmentation abbreviations.
    pub abbreviations: Abbreviations,
    /// Words that start a sentence after a dotted acronym.
    pub sentence_starters: HashSet<String>,
    /// Discriminative function words: word → bit mask of languages (bit 0 `fr`, bit 1 `en`).
    pub function_words: HashMap<String, u8>,
    /// Countries, seats of power, organisations, outlets.
    pub gazetteer: Option<Gazetteer>,
    /// The French NER model (empty when none is embedded or given).
    pub ner_fr: NerModel,
    /// Reporting verbs, role nouns, metonymy and credit cues.
    pub lexicons: Option<Lexicons>,
    /// Rules of the English entity tagger.
    pub ner_en: Option<crate::ner_en::EnRules>,
    /// Word stemmers (terms of the polarity lexicon and of codebooks).
    pub stemmers: std::sync::Arc<crate::terms::Stemmers>,
    /// The polarity lexicon of the stance layer.
    pub polarity: Option<std::sync::Arc<crate::stance::Polarity>>,
}

/// Lines of a data file without comments and blank lines.
pub fn data_lines(text: &str) -> impl Iterator<Item = &str> {
    text.lines()
        .map(|l| l.trim_end_matches('\r'))
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
}

impl Resources {
    /// The embedded defaults.
    pub fn embedded() -> Self {
        let mut r = Self::embedded_data();
        r.ner_fr = load_model(EMBEDDED_NER_FR).expect("embedded NER model is valid");
        r
    }

    /// The embedded data files without the learned models (for training them).
    pub fn embedded_data() -> Self {
        Self::from_files(embedded_file).expect("embedded resources are valid")
    }

    /// The embedded defaults, with any file present under `dir` (same relative path) used
    /// instead.
    pub fn load(dir: &Path) -> Result<Self, String> {
        let mut r = Self::from_files(|name| {
            std::fs::read_to_string(dir.join(name))
                .ok()
                .or_else(|| embedded_file(name))
        })?;
        r.ner_fr = match std::fs::read(dir.join(NER_FR_PATH)) {
            Ok(b) => load_model(&b)?,
            Err(_) => load_model(EMBEDDED_NER_FR)?,
        };
        Ok(r)
    }

    fn from_files(get: impl Fn(&str) -> Option<String>) -> Result<Self, String> {
        let file = |name: &str| get(name).ok_or_else(|| format!("missing resource {name}"));
        let mut abbreviations = Abbreviations::default();
        for line in data_lines(&file("segment/abbreviations.txt")?) {
            let mut cols = line.split('\t');
            let word = cols.next().unwrap_or("").trim().to_string();
            match cols.next().map(str::trim) {
                Some("digit") => {
                    abbreviations.before_digit.insert(word);
                }
                Some(other) if !other.is_empty() => {
                    return Err(format!(
                        "segment/abbreviations.txt: unknown flag {other:?} for {word:?}"
                    ))
                }
                _ if word.chars().any(char::is_uppercase) => {
                    abbreviations.exact.insert(word);
                }
                _ => {
                    abbreviations.folded.insert(word.to_lowercase());
                }
            }
        }
        let sentence_starters = data_lines(&file("segment/sentence-starters.txt")?)
            .map(|l| l.trim().to_string())
            .collect();
        let mut function_words = HashMap::default();
        for (n, line) in data_lines(&file("lang/function-words.tsv")?).enumerate() {
            let (lang, words) = line.split_once('\t').ok_or_else(|| {
                format!("lang/function-words.tsv: data line {} has no tab", n + 1)
            })?;
            let bit = match lang.trim() {
                "fr" => 1u8,
                "en" => 2,
                other => {
                    return Err(format!(
                        "lang/function-words.tsv: unsupported language {other:?} (fr, en)"
                    ))
                }
            };
            for w in words.split_whitespace() {
                *function_words.entry(w.to_lowercase()).or_insert(0) |= bit;
            }
        }
        let gazetteer = Gazetteer::from_sources(
            &file("gazetteers/countries.tsv")?,
            &file("gazetteers/metonyms.tsv")?,
            &file("gazetteers/organizations.tsv")?,
            &file("outlets.toml")?,
        )?;
        let stemmers = std::sync::Arc::new(crate::terms::Stemmers::default());
        let polarity =
            crate::stance::Polarity::from_source(&file("lexicons/polarity.tsv")?, &stemmers)?;
        Ok(Resources {
            stemmers,
            polarity: Some(std::sync::Arc::new(polarity)),
            abbreviations,
            sentence_starters,
            function_words,
            gazetteer: Some(gazetteer),
            ner_fr: NerModel::default(),
            ner_en: Some(crate::ner_en::EnRules::from_source(&file(
                "ner/en-rules.tsv",
            )?)?),
            lexicons: Some(Lexicons::from_sources(
                &file("lexicons/reporting-verbs.fr.tsv")?,
                &file("lexicons/reporting-verbs.en.tsv")?,
                &file("lexicons/roles.tsv")?,
                &file("lexicons/metonymy-cues.tsv")?,
                &file("outlets/credit-cues.tsv")?,
                &file("lexicons/anaphora-nouns.tsv")?,
            )?),
        })
    }
}

fn embedded_file(name: &str) -> Option<String> {
    EMBEDDED
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, t)| t.to_string())
}

/// Reads a NER model; an empty file is an empty model (no entities).
fn load_model(bytes: &[u8]) -> Result<NerModel, String> {
    if bytes.is_empty() {
        Ok(NerModel::default())
    } else {
        NerModel::from_bytes(bytes)
    }
}
