//! Mapping JSON records to documents.

use crate::{ErrorKind, InputError, ReadOptions};
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

/// Limits on a record's metadata, in bytes of UTF-8 (docs/formats.md, "Limits"). A record
/// with a field over its limit is reported as [`ErrorKind::FieldTooLarge`] with its location
/// and skipped, not truncated: a cut id could merge two documents, a cut title or URL would be
/// stored as if it were the source's, and the values these limits stop (a title of megabytes)
/// are broken records, not articles. The defaults are far above real values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MetaLimits {
    /// The document id.
    pub id: usize,
    /// The title.
    pub title: usize,
    /// The URL.
    pub url: usize,
    /// The outlet name.
    pub outlet: usize,
    /// The date as written in the input.
    pub date: usize,
    /// The declared language.
    pub language: usize,
    /// An `author` or `authors` field (its JSON text).
    pub author: usize,
    /// Any other field kept in `meta.extra`: its name and JSON text.
    pub extra_field: usize,
    /// The whole metadata: every field above, names and JSON text, the document's text aside.
    pub total: usize,
}

/// Default limit on a document id: 4 KiB.
pub const DEFAULT_MAX_ID_BYTES: usize = 4 << 10;

impl Default for MetaLimits {
    fn default() -> Self {
        MetaLimits {
            id: DEFAULT_MAX_ID_BYTES,
            title: 4 << 10,
            url: 8 << 10,
            outlet: 1 << 10,
            date: 256,
            language: 64,
            author: 4 << 10,
            extra_field: 64 << 10,
            total: 256 << 10,
        }
    }
}

/// Counts bytes written, failing once past a limit (so a huge value is not walked in full).
struct Counter {
    n: usize,
    limit: usize,
}

impl std::io::Write for Counter {
    fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
        self.n += b.len();
        if self.n > self.limit {
            return Err(std::io::Error::other("over the limit"));
        }
        Ok(b.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// The size of `v` written as compact JSON, or `None` when it is over `limit`.
fn json_size(v: &Value, limit: usize) -> Option<usize> {
    let mut c = Counter { n: 0, limit };
    serde_json::to_writer(&mut c, v).ok().map(|_| c.n)
}

/// Checks each metadata field and their total against `limits`. `names` gives the input's
/// name of each typed field (`headline` for the title, say) for the message.
pub(crate) fn check_meta(
    id: &str,
    meta: &Meta,
    limits: &MetaLimits,
    names: &dyn Fn(&'static str) -> String,
) -> Result<(), String> {
    let over = |name: String, size: usize, limit: usize| -> Result<usize, String> {
        if size > limit {
            Err(format!(
                "field {name:?} of {size} bytes is over the limit of {limit} bytes \
                 (docs/formats.md, \"Limits\"): the record is skipped"
            ))
        } else {
            Ok(size)
        }
    };
    let mut total = over(names("id"), id.len(), limits.id)?;
    for (key, value, limit) in [
        ("title", &meta.title, limits.title),
        ("url", &meta.url, limits.url),
        ("outlet", &meta.outlet, limits.outlet),
        ("language", &meta.language, limits.language),
    ] {
        if let Some(v) = value {
            total += over(names(key), v.len(), limit)?;
        }
    }
    for (key, value) in &meta.extra {
        let limit = match key.as_str() {
            "author" | "authors" => limits.author,
            "date_raw" => limits.date,
            _ => limits.extra_field,
        };
        // The name counts, except the one Vigie gives an unparsed date.
        let key_len = if key == "date_raw" { 0 } else { key.len() };
        let budget = limit.saturating_sub(key_len);
        let size = match json_size(value, budget) {
            Some(n) => n + key_len,
            // Over: measure it all for the message (counting only, nothing is stored).
            None => json_size(value, usize::MAX)
                .unwrap_or(usize::MAX)
                .saturating_add(key_len),
        };
        let name = if key == "date_raw" {
            names("date")
        } else {
            key.clone()
        };
        total += over(name, size, limit)?;
    }
    if total > limits.total {
        return Err(format!(
            "metadata of {total} bytes (every field but the text) is over the limit of {} \
             bytes (docs/formats.md, \"Limits\"): the record is skipped",
            limits.total
        ));
    }
    Ok(())
}

/// Turns one JSON object into a document, or says why it cannot.
pub(crate) fn to_document(
    mut map: Map<String, Value>,
    origin: Origin,
    opts: &ReadOptions,
    id_base: &str,
) -> Result<Document, InputError> {
    let fields = &opts.fields;
    let max_bytes = opts.max_doc_bytes;
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
    let mut used: Vec<(&'static str, String)> = Vec::new();
    let mut take_scalar = |map: &mut Map<String, Value>, part: &'static str, keys: &[String]| {
        take(map, keys).and_then(|(k, v)| {
            used.push((part, k));
            scalar(v)
        })
    };
    let id = take_scalar(&mut map, "id", &fields.id).unwrap_or_else(|| match origin.line {
        Some(l) => format!("{id_base}:{l}"),
        None => format!("{id_base}#{}", origin.record.unwrap_or(1)),
    });
    meta.title = take_scalar(&mut map, "title", &fields.title);
    meta.outlet = take_scalar(&mut map, "outlet", &fields.outlet);
    meta.url = take_scalar(&mut map, "url", &fields.url);
    meta.language = take_scalar(&mut map, "language", &fields.language);
    if let Some((k, v)) = take(&mut map, &fields.date) {
        used.push(("date", k));
        let parsed = match &v {
            Value::String(s) if s.len() <= opts.meta_limits.date => s.parse::<PartialDate>().ok(),
            Value::Number(n) => n.to_string().parse::<PartialDate>().ok(),
            _ => None,
        };
        match parsed {
            Some(d) => meta.date = Some(d),
            None => {
                meta.extra.insert("date_raw".into(), v);
            }
        }
    }
    meta.extra.extend(map);
    let names = |part: &'static str| {
        used.iter()
            .find(|(p, _)| *p == part)
            .map_or_else(|| part.to_string(), |(_, k)| k.clone())
    };
    check_meta(&id, &meta, &opts.meta_limits, &names)
        .map_err(|m| err(ErrorKind::FieldTooLarge, m))?;
    Ok(Document {
        id,
        text,
        meta,
        origin,
    })
}
