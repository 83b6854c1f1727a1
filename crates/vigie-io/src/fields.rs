//! Mapping JSON records to documents.

use crate::{ErrorKind, InputError};
use serde_json::{Map, Value};
use vigie_core::{Document, Meta, Origin, PartialDate};

/// Which JSON fields hold which part of a document. Each list is tried in order and the first
/// field present wins; the defaults read the shared corpora out of the box (OrangeSum's
/// `article`, Wikinews' `text`). Fields not mapped are kept in `meta.extra`.
#[derive(Debug, Clone)]
pub struct FieldMap {
    /// Document id (a string or a number).
    pub id: Vec<String>,
    /// The text to analyse.
    pub text: Vec<String>,
    /// Headline.
    pub title: Vec<String>,
    /// Publication date.
    pub date: Vec<String>,
    /// Outlet name.
    pub outlet: Vec<String>,
    /// Article URL.
    pub url: Vec<String>,
    /// Declared language.
    pub language: Vec<String>,
}

fn names(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}

impl Default for FieldMap {
    fn default() -> Self {
        FieldMap {
            id: names(&["id", "doc_id", "guid"]),
            text: names(&["text", "article", "body", "content", "maintext"]),
            title: names(&["title", "headline"]),
            date: names(&[
                "date",
                "published",
                "published_at",
                "pubdate",
                "date_publish",
            ]),
            outlet: names(&["outlet", "source", "publisher", "site_name", "media"]),
            url: names(&["url", "link"]),
            language: names(&["language", "lang"]),
        }
    }
}

fn take(map: &mut Map<String, Value>, keys: &[String]) -> Option<(String, Value)> {
    keys.iter().find_map(|k| {
        map.remove(k)
            .filter(|v| !v.is_null())
            .map(|v| (k.clone(), v))
    })
}

fn scalar(v: Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// Turns one JSON object into a document, or says why it cannot.
pub(crate) fn to_document(
    mut map: Map<String, Value>,
    origin: Origin,
    fields: &FieldMap,
    id_base: &str,
    max_bytes: usize,
) -> Result<Document, InputError> {
    let err = |kind, msg: String| InputError::new(origin.clone(), kind, msg);
    let text = match take(&mut map, &fields.text) {
        Some((_, Value::String(s))) => s,
        Some((k, _)) => {
            return Err(err(
                ErrorKind::MalformedJson,
                format!("field {k:?} is not a string"),
            ))
        }
        None => {
            return Err(err(
                ErrorKind::MissingText,
                format!(
                    "no text field (tried {}; see --text-field)",
                    fields.text.join(", ")
                ),
            ))
        }
    };
    if text.trim().is_empty() {
        return Err(err(ErrorKind::EmptyDocument, "empty text".into()));
    }
    if text.len() > max_bytes {
        return Err(err(
            ErrorKind::TooLarge,
            format!(
                "text of {} bytes is over the limit of {max_bytes} (--max-doc-bytes)",
                text.len()
            ),
        ));
    }
    let mut meta = Meta::default();
    let id = take(&mut map, &fields.id)
        .and_then(|(_, v)| scalar(v))
        .unwrap_or_else(|| match origin.line {
            Some(l) => format!("{id_base}:{l}"),
            None => format!("{id_base}#{}", origin.record.unwrap_or(1)),
        });
    meta.title = take(&mut map, &fields.title).and_then(|(_, v)| scalar(v));
    meta.outlet = take(&mut map, &fields.outlet).and_then(|(_, v)| scalar(v));
    meta.url = take(&mut map, &fields.url).and_then(|(_, v)| scalar(v));
    meta.language = take(&mut map, &fields.language).and_then(|(_, v)| scalar(v));
    if let Some((_, v)) = take(&mut map, &fields.date) {
        match scalar(v.clone()).and_then(|s| s.parse::<PartialDate>().ok()) {
            Some(d) => meta.date = Some(d),
            None => {
                meta.extra.insert("date_raw".into(), v);
            }
        }
    }
    meta.extra.extend(map);
    Ok(Document {
        id,
        text,
        meta,
        origin,
    })
}
