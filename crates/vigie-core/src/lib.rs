//! Vigie's document model and output schema.
//!
//! A [`Document`] is an immutable text with its [`Meta`]data. Every analysis layer adds
//! standoff annotations over that text. Inside the pipeline spans are UTF-8 byte offsets
//! ([`ByteSpan`]); at the JSON boundary they become Unicode code-point offsets ([`Span`]), so
//! that `text[start:end]` in Python gives the span's text. [`CharIndex`] converts between the two.
//!
//! This crate does no I/O and has few dependencies: readers (`vigie-io`), the pipeline
//! (`vigie-nlp`) and the interfaces all build on it.

#![warn(missing_docs)]

pub mod alloc;
mod date;
pub mod eval;
mod offsets;
mod schema;

pub use date::{civil_from_days, days_from_civil, DatePrecision, PartialDate, PartialDateError};
pub use offsets::{ByteSpan, CharIndex};
pub use schema::*;

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// One article (or any text) to analyse: an id, the immutable text and its metadata.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Document {
    /// Identifier, unique within a corpus (from the input, or derived from its origin).
    pub id: String,
    /// The document text. Never modified after reading: all spans point into it.
    pub text: String,
    /// Metadata from the input.
    pub meta: Meta,
    /// Where the document was read from.
    pub origin: Origin,
}

/// Where a document came from, for error reports and provenance.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Origin {
    /// The input path (`-` for standard input), as given by the user.
    pub path: String,
    /// 1-based line of the record in a line-oriented file (JSONL), if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<u64>,
    /// 1-based record number within the file (JSON arrays, JSONL), if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub record: Option<u64>,
}

impl std::fmt::Display for Origin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.path)?;
        match (self.line, self.record) {
            (Some(l), _) => write!(f, ":{l}"),
            (None, Some(r)) => write!(f, " record {r}"),
            (None, None) => Ok(()),
        }
    }
}

/// Document metadata. Known fields are typed; anything else lands in `extra`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Meta {
    /// Publication date at the precision the source gives (year, month or day).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, example = "2022-08"))]
    pub date: Option<PartialDate>,
    /// Headline.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Publishing outlet as named by the source (e.g. `Sputnik`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub outlet: Option<String>,
    /// Canonical URL of the article.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// Language declared by the source (ISO 639-1), as opposed to the detected one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    /// Free key/values from the source (lead, author, licence, unparsed date, ...).
    #[serde(skip_serializing_if = "BTreeMap::is_empty", default)]
    pub extra: BTreeMap<String, serde_json::Value>,
}
