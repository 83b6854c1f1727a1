//! Language identification: French, English, or other, with a score.
//!
//! Reads a sample of the text (its first 2 KB). The rate of discriminative function words
//! (resources/lang/function-words.tsv) decides between French and English when it is clear;
//! otherwise the trigram model of `whatlang` names the language, and anything but French or
//! English is `other` (with its ISO 639-3 code in `detected`).

use crate::resources::Resources;
use vigie_core::LanguageGuess;

const SAMPLE_BYTES: usize = 2048;
const MIN_WORDS: usize = 80;

/// Identifies the language of `text`.
pub fn identify(text: &str, res: &Resources) -> LanguageGuess {
    let mut cut = text.len().min(SAMPLE_BYTES);
    while !text.is_char_boundary(cut) {
        cut -= 1;
    }
    let sample = &text[..cut];
    let (mut words, mut fr, mut en) = (0usize, 0usize, 0usize);
    let fw = &res.function_words;
    let mut buf = String::new();
    let is_sep = |c: char| !crate::is_word_char(c) || c.is_ascii_digit();
    for w in sample.split(is_sep).filter(|w| !w.is_empty()) {
        words += 1;
        // Enough evidence: stop early when one language clearly leads.
        if words > MIN_WORDS && (fr.max(en) * 10 >= words && fr.min(en) * 8 < fr.max(en)) {
            break;
        }
        buf.clear();
        if w.is_ascii() {
            buf.push_str(w);
            buf.make_ascii_lowercase();
        } else {
            buf.extend(w.chars().flat_map(char::to_lowercase));
        }
        let mask = fw.get(buf.as_str()).copied().unwrap_or(0);
        fr += (mask & 1) as usize;
        en += (mask >> 1 & 1) as usize;
    }
    if words == 0 {
        return LanguageGuess {
            code: "other".into(),
            score: 0.0,
            detected: None,
        };
    }
    let (rf, re) = (fr as f32 / words as f32, en as f32 / words as f32);
    let (best, rb, ro) = if rf >= re {
        ("fr", rf, re)
    } else {
        ("en", re, rf)
    };
    if words >= 8 && rb >= 0.10 && rb >= 4.0 * ro {
        let score = ((rb - ro) / (rb + ro)) * (rb / 0.15).min(1.0);
        return LanguageGuess {
            code: best.into(),
            score: round2(score),
            detected: None,
        };
    }
    match whatlang::detect(sample) {
        Some(info) => {
            let code = match info.lang() {
                whatlang::Lang::Fra => "fr",
                whatlang::Lang::Eng => "en",
                _ => "other",
            };
            let detected =
                (code == "other" && info.is_reliable()).then(|| info.lang().code().to_string());
            LanguageGuess {
                code: code.into(),
                score: round2(info.confidence() as f32),
                detected,
            }
        }
        None => LanguageGuess {
            code: "other".into(),
            score: 0.0,
            detected: None,
        },
    }
}

fn round2(x: f32) -> f32 {
    (x.clamp(0.0, 1.0) * 100.0).round() / 100.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn french_english_other() {
        let r = Resources::embedded();
        let fr = identify("La coopération avec la Russie en matière de défense a permis au Mali d'engranger des résultats probants, a déclaré le ministre.", &r);
        assert_eq!(fr.code, "fr");
        assert!(fr.score > 0.5, "{fr:?}");
        let en = identify("An apartment building collapsed on Monday in Magnitogorsk, a city in the Ural region of Russia, officials said.", &r);
        assert_eq!(en.code, "en");
        let es = identify("El gobierno de España anunció hoy que las elecciones generales se celebrarán en noviembre, según fuentes oficiales del ministerio.", &r);
        assert_eq!(es.code, "other");
        assert_eq!(es.detected.as_deref(), Some("spa"));
        assert_eq!(identify("1234 — 5678", &r).code, "other");
    }
}
