//! The seed header format: ` date 2022-08 Contacté par Sputnik, …` (docs/formats.md).
//!
//! A text file may start with metadata written as `key value` pairs, separated by spaces or
//! newlines, before the body. Keys come from [`SEED_KEYS`]; a value is one token, or a
//! double-quoted string when it holds spaces (`title "Un soutien constant"`). The first token
//! that is not a known key (or whose value does not fit the key) starts the body, which runs
//! to the end of the file, unchanged.

use vigie_core::{Meta, PartialDate};

/// Keys recognised in a seed header.
pub const SEED_KEYS: &[&str] = &[
    "id", "date", "title", "outlet", "source", "url", "lang", "language", "author",
];

/// Parses a seed header. Returns the `(key, value)` pairs and the byte offset where the body
/// starts, or `None` when the text does not start with at least one valid pair.
pub fn parse_seed_header(text: &str) -> Option<(Vec<(&'static str, String)>, usize)> {
    let mut pos = 0;
    let mut pairs = Vec::new();
    loop {
        let key_start = skip_ws(text, pos);
        let (tok, after_key) = token(text, key_start);
        let Some(key) = SEED_KEYS
            .iter()
            .find(|k| k.eq_ignore_ascii_case(tok.trim_end_matches(':')))
        else {
            break;
        };
        let val_start = skip_inline_ws(text, after_key);
        if val_start == after_key {
            break; // `key` must be followed by a space
        }
        let (value, after_val) = if text[val_start..].starts_with('"') {
            match text[val_start + 1..].find('"') {
                Some(i) if !text[val_start + 1..val_start + 1 + i].contains('\n') => (
                    text[val_start + 1..val_start + 1 + i].to_string(),
                    val_start + i + 2,
                ),
                _ => break,
            }
        } else {
            let (v, end) = token(text, val_start);
            (v.to_string(), end)
        };
        if !valid_value(key, &value)
            || !text[after_val..].starts_with(char::is_whitespace) && after_val < text.len()
        {
            break;
        }
        pairs.push((*key, value));
        pos = after_val;
    }
    if pairs.is_empty() {
        return None;
    }
    Some((pairs, skip_ws(text, pos)))
}

/// Parses a whole seed file into metadata, the optional `id` and the body's byte offset.
pub fn parse_seed(text: &str) -> Option<(Meta, Option<String>, usize)> {
    let (pairs, body) = parse_seed_header(text)?;
    let mut meta = Meta::default();
    let mut id = None;
    for (k, v) in pairs {
        match k {
            "id" => id = Some(v),
            "date" => meta.date = v.parse().ok(),
            "title" => meta.title = Some(v),
            "outlet" | "source" => meta.outlet = Some(v),
            "url" => meta.url = Some(v),
            "lang" | "language" => meta.language = Some(v),
            other => {
                meta.extra.insert(other.to_string(), v.into());
            }
        }
    }
    Some((meta, id, body))
}

fn valid_value(key: &str, v: &str) -> bool {
    match key {
        "date" => v.parse::<PartialDate>().is_ok(),
        "url" => v.starts_with("http://") || v.starts_with("https://"),
        "lang" | "language" => {
            (2..=3).contains(&v.len()) && v.bytes().all(|b| b.is_ascii_alphabetic())
        }
        _ => !v.is_empty(),
    }
}

fn skip_ws(text: &str, pos: usize) -> usize {
    pos + text[pos..].len() - text[pos..].trim_start().len()
}

fn skip_inline_ws(text: &str, pos: usize) -> usize {
    pos + text[pos..].len() - text[pos..].trim_start_matches([' ', '\t']).len()
}

fn token(text: &str, pos: usize) -> (&str, usize) {
    let end = text[pos..]
        .find(char::is_whitespace)
        .map_or(text.len(), |i| pos + i);
    (&text[pos..end], end)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seed_header_inline() {
        let t = " date 2022-08 Contacté par Sputnik, le ministre";
        let (meta, id, body) = parse_seed(t).unwrap();
        assert_eq!(meta.date.unwrap().to_string(), "2022-08");
        assert_eq!(id, None);
        assert!(t[body..].starts_with("Contacté par"));
    }

    #[test]
    fn seed_header_several_keys_and_quoted_values() {
        let t = "id camara-1\ndate 2022-08-14 outlet Sputnik title \"Un soutien constant\"\nurl https://x.example/a\n\nCorps du texte.";
        let (meta, id, body) = parse_seed(t).unwrap();
        assert_eq!(id.as_deref(), Some("camara-1"));
        assert_eq!(meta.title.as_deref(), Some("Un soutien constant"));
        assert_eq!(meta.outlet.as_deref(), Some("Sputnik"));
        assert_eq!(meta.url.as_deref(), Some("https://x.example/a"));
        assert_eq!(&t[body..], "Corps du texte.");
    }

    #[test]
    fn ordinary_text_is_not_a_seed() {
        assert!(parse_seed_header("Le ministre a déclaré").is_none());
        // A key whose value does not fit is body text.
        assert!(parse_seed_header("date de la réunion: inconnue").is_none());
        assert!(parse_seed_header("").is_none());
    }
}
