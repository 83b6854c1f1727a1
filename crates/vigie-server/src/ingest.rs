//! `POST /api/documents`: documents in a request body (JSON or JSON Lines), analysed and stored
//! as `vigie ingest` would.

use crate::api::{ApiError, ErrorBody, Q};
use crate::{Analyzer, AppState};
use axum::body::Body;
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::ops::ControlFlow;
use std::path::Path;
use std::sync::Arc;
use utoipa::{IntoParams, ToSchema};
use vigie_io::{budgeted, Format, InputError, Item, ReadOptions};
use vigie_store::{Prepared, Writer};

/// The body's format.
#[derive(Deserialize, ToSchema, Clone, Copy)]
#[serde(rename_all = "lowercase")]
pub(crate) enum BodyFormat {
    /// From the content type, else from the content.
    Auto,
    /// One JSON object, an array of objects, or concatenated objects.
    Json,
    /// One JSON object per line.
    Jsonl,
    /// One plain-text document.
    Text,
}

/// Ingestion parameters.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct IngestParams {
    /// Body format (default: from the `Content-Type`: `application/json`,
    /// `application/x-ndjson` or `application/jsonl`, `text/plain`; else guessed). It must
    /// agree with a `Content-Type` of those.
    #[param(inline)]
    format: Option<BodyFormat>,
    /// Refuse the whole request, storing nothing, when any record is bad.
    strict: Option<bool>,
}

/// A document to ingest. Other field names are read too (`article`, `body`, `content` for the
/// text; `headline`; `published`; `source`, `publisher`; `link`), and unknown fields are kept
/// as metadata.
#[derive(ToSchema, Deserialize)]
#[allow(dead_code)]
pub(crate) struct PostedDocument {
    /// Document id (default: derived from the body and the record's line). A number is read
    /// as its text, as are the other metadata fields.
    #[schema(value_type = Option<serde_json::Value>)]
    id: Option<String>,
    /// The article text.
    text: String,
    /// Headline.
    #[schema(value_type = Option<serde_json::Value>)]
    title: Option<String>,
    /// Publication date (`2022`, `2022-08`, `2022-08-14`, RFC 3339...).
    #[schema(value_type = Option<serde_json::Value>)]
    date: Option<String>,
    /// Publishing outlet.
    #[schema(value_type = Option<serde_json::Value>)]
    outlet: Option<String>,
    /// Canonical URL: a known URL with new content becomes a new version.
    #[schema(value_type = Option<serde_json::Value>)]
    url: Option<String>,
}

/// A JSON body: one document or several.
#[derive(ToSchema, Deserialize)]
#[serde(untagged)]
#[allow(dead_code)]
pub(crate) enum PostedBody {
    /// One document.
    One(PostedDocument),
    /// Several documents.
    Many(Vec<PostedDocument>),
}

/// A bad record of the body, located.
#[derive(Serialize, ToSchema)]
pub struct RecordError {
    /// Where: `request:LINE`, the line where the record starts (JSON Lines, JSON arrays and
    /// concatenated objects alike).
    pub origin: String,
    /// The record's line in the body (JSON Lines; for a JSON document, where parsing stopped).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<u64>,
    /// The record's number in the body, from 1.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub record: Option<u64>,
    /// What kind of problem (`malformed_json`, `empty_text`, `too_large`...).
    pub kind: String,
    /// The problem, for a person to read.
    pub message: String,
}

impl From<&InputError> for RecordError {
    fn from(e: &InputError) -> Self {
        RecordError {
            origin: e.origin.to_string(),
            line: e.origin.line,
            record: e.origin.record,
            kind: e.kind.name().to_string(),
            message: e.message.clone(),
        }
    }
}

/// What an ingestion did.
#[derive(Serialize, ToSchema)]
pub struct IngestReport {
    /// Documents new to the store.
    pub new: usize,
    /// Known documents (same id or URL) stored as a new version.
    pub versions: usize,
    /// Documents already stored with the same content.
    pub unchanged: usize,
    /// Bad records, reported in `errors` and skipped.
    pub skipped: usize,
    /// Ids of the documents read, in body order.
    pub documents: Vec<String>,
    /// The bad records.
    pub errors: Vec<RecordError>,
}

/// Compares two byte strings in time independent of where they differ.
fn same_secret(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

fn authorize(st: &AppState, headers: &HeaderMap) -> Result<(), ApiError> {
    let Some(token) = &st.token else {
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "writing is disabled on this server: start it with --token TOKEN (or VIGIE_TOKEN)",
        ));
    };
    let given = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim);
    match given {
        Some(g) if same_secret(g.as_bytes(), token.as_bytes()) => Ok(()),
        _ => Err(ApiError::new(
            StatusCode::UNAUTHORIZED,
            "a valid token is required: send the header `Authorization: Bearer TOKEN`",
        )),
    }
}

/// The body's format: the `format` parameter or the content type; both given must agree.
fn format_of(p: Option<BodyFormat>, headers: &HeaderMap) -> Result<Format, ApiError> {
    let ct = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    let declared = match ct.as_str() {
        "application/json" => Some(Format::Json),
        "application/x-ndjson"
        | "application/jsonl"
        | "application/jsonlines"
        | "application/x-jsonlines" => Some(Format::Jsonl),
        "text/plain" => Some(Format::Text),
        _ => None,
    };
    let asked = match p {
        Some(BodyFormat::Json) => Some(Format::Json),
        Some(BodyFormat::Jsonl) => Some(Format::Jsonl),
        Some(BodyFormat::Text) => Some(Format::Text),
        Some(BodyFormat::Auto) | None => None,
    };
    match (asked, declared) {
        (Some(a), Some(d)) if a != d => Err(ApiError::bad(format!(
            "format={} contradicts Content-Type {ct}",
            match a {
                Format::Json => "json",
                Format::Jsonl => "jsonl",
                _ => "text",
            }
        ))),
        (a, d) => Ok(a.or(d).unwrap_or(Format::Auto)),
    }
}

/// Analyses and stores documents (JSON or JSON Lines, with the field names `vigie ingest`
/// reads: `id`, `text`, `title`, `date`, `outlet`, `url`...). Needs the server's token.
/// Bad records are reported and skipped (or the whole request refused with `strict=true`);
/// the same content posted again changes nothing.
#[utoipa::path(post, path = "/api/documents", tag = "ingest", params(IngestParams),
    request_body(description = "Documents: JSON (an object or an array of objects), JSON Lines (one object per line) or plain text (one document); gzip accepted",
        content((PostedBody = "application/json"), (String = "application/x-ndjson"), (String = "text/plain"))),
    security(("token" = [])),
    responses(
        (status = 200, description = "Stored", body = IngestReport),
        (status = 400, description = "No document in the body, or a bad record with strict=true", body = ErrorBody),
        (status = 401, description = "Missing or wrong token", body = ErrorBody),
        (status = 403, description = "The server was started without a token", body = ErrorBody),
        (status = 408, description = "The body took too long to arrive", body = ErrorBody),
        (status = 409, description = "Another program is writing the store", body = ErrorBody),
        (status = 507, description = "The disk holding the store is full", body = ErrorBody),
        (status = 413, description = "Body too large, inflating past the limit, or holding too many records: nothing stored", body = ErrorBody)))]
pub(crate) async fn post_documents(
    State(st): State<Arc<AppState>>,
    Q(p): Q<IngestParams>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, ApiError> {
    authorize(&st, &headers)?;
    let read = tokio::time::timeout(st.body_timeout, axum::body::to_bytes(body, st.max_body));
    let bytes = match read.await {
        Ok(Ok(b)) => b,
        Ok(Err(_)) => {
            return Err(ApiError::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                format!(
                    "the body is larger than {} bytes (--max-body): nothing stored",
                    st.max_body
                ),
            ))
        }
        Err(_) => {
            return Err(ApiError::new(
                StatusCode::REQUEST_TIMEOUT,
                format!(
                    "the body did not arrive within {} s (--body-timeout): nothing stored",
                    st.body_timeout.as_secs_f64()
                ),
            ))
        }
    };
    let format = format_of(p.format, &headers)?;
    let strict = p.strict.unwrap_or(false);
    let state = st.clone();
    let report = tokio::task::spawn_blocking(move || {
        let id_base = format!("api-{:012x}", twox_hash::XxHash3_64::oneshot(&bytes) >> 16);
        // A gzipped body is inflated whole first: past its limit it is refused whole, never
        // read as its first records.
        let plain = if vigie_io::is_gzip(&bytes) {
            Some(inflate(&bytes, state.max_inflated)?)
        } else {
            None
        };
        let large = plain.as_ref().map_or(bytes.len(), Vec::len) >= LARGE_BODY;
        // One write at a time from this server, held by the ingestion itself (a poster who
        // hangs up does not free it early); readers go on meanwhile.
        let write = state.write_lock.lock().unwrap_or_else(|p| p.into_inner());
        let input = Input {
            bytes: plain.as_deref().unwrap_or(&bytes),
            name: "request",
            id_base: &id_base,
            format,
        };
        let report = ingest(state.pool.dir(), &state.analyzer, input, strict);
        state.pool.written();
        drop(write);
        if large {
            // The body, its documents and their analyses are freed: give the memory back.
            drop((plain, bytes));
            crate::release_memory(&state);
        }
        report
    })
    .await
    .map_err(|e| {
        ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            format!("ingestion failed: {e}"),
        )
    })??;
    // The cached answers belong to the store's previous revision: the costly ones are
    // computed again now rather than on their next request.
    crate::api::warm_up_soon(&st);
    let mut res = axum::Json(report).into_response();
    res.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(res)
}

/// Records (documents and bad records) one request may hold.
const MAX_RECORDS: usize = 50_000;

/// A body from this size on is followed by giving memory back to the system.
const LARGE_BODY: usize = 1 << 20;

/// Inflates a gzipped body, refusing it whole past `limit` bytes or when corrupt.
fn inflate(bytes: &[u8], limit: usize) -> Result<Vec<u8>, ApiError> {
    vigie_io::gunzip(bytes, limit).map_err(|e| match e {
        vigie_io::InflateError::TooLarge { limit } => ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            format!(
                "the gzipped body inflates past {limit} bytes (--max-inflated): nothing stored; send it in parts"
            ),
        ),
        vigie_io::InflateError::Corrupt { error, .. } => ApiError::bad(format!(
            "the gzipped body is corrupt or cut short ({error}): nothing stored"
        )),
    })
}

/// Documents in memory.
pub struct Input<'a> {
    /// The bytes (gzipped or not).
    pub bytes: &'a [u8],
    /// Their name in error reports (and to guess the format from).
    pub name: &'a str,
    /// Id of a one-document input, and prefix of the ids of records without one. Posted
    /// bodies use a hash of the body: posting it again finds its documents unchanged.
    pub id_base: &'a str,
    /// Their format.
    pub format: Format,
}

/// Reads, analyses and stores the documents of `input` in the store `dir` (as one batch).
pub fn ingest_bytes(dir: &Path, analyzer: &Analyzer, input: Input) -> Result<IngestReport, String> {
    ingest(dir, analyzer, input, false).map_err(|e| e.message)
}

fn ingest(
    dir: &Path,
    analyzer: &Analyzer,
    input: Input,
    strict: bool,
) -> Result<IngestReport, ApiError> {
    let opts = ReadOptions {
        format: input.format,
        ..ReadOptions::default()
    };
    let mut items = Vec::new();
    let _ = vigie_io::read_bytes(input.bytes, input.name, input.id_base, &opts, &mut |item| {
        items.push(item);
        if items.len() < MAX_RECORDS {
            ControlFlow::Continue(())
        } else {
            ControlFlow::Break(())
        }
    });
    if items.len() >= MAX_RECORDS {
        return Err(ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            format!("the body holds more than {MAX_RECORDS} records: send it in parts"),
        ));
    }
    let results: Vec<Result<Prepared, InputError>> = items
        .into_par_iter()
        .map(|item| match item {
            Item::Doc(doc) => budgeted(&doc.origin, || {
                let a = analyzer.pipeline.try_analyze(&doc)?;
                Ok::<_, vigie_nlp::OverBudget>(Prepared::new(&doc, a, &analyzer.analyzed_by))
            }),
            Item::Error(e) => Err(e),
        })
        .collect();
    let mut good = Vec::new();
    let mut errors = Vec::new();
    for r in results {
        match r {
            Ok(p) => good.push(p),
            Err(e) => errors.push(RecordError::from(&e)),
        }
    }
    if strict && !errors.is_empty() {
        let e = &errors[0];
        return Err(ApiError::bad(format!(
            "{} bad record(s), nothing stored (strict): {}: {} ({})",
            errors.len(),
            e.origin,
            e.message,
            e.kind
        )));
    }
    if good.is_empty() {
        return Err(ApiError::bad(match errors.first() {
            Some(e) => format!(
                "no document could be read from the body: {}: {} ({})",
                e.origin, e.message, e.kind
            ),
            None => "the body holds no document".to_string(),
        }));
    }
    let documents: Vec<String> = good.iter().map(|p| p.doc_id.clone()).collect();
    let mut writer = Writer::open(dir).map_err(|e| write_error("opening the store", e))?;
    let stored = writer
        .add_batch(good)
        .and_then(|r| writer.finish().map(|_| r));
    let b = stored.map_err(|e| write_error("storing the documents", e))?;
    Ok(IngestReport {
        new: b.new,
        versions: b.versions,
        unchanged: b.unchanged,
        skipped: errors.len(),
        documents,
        errors,
    })
}

/// A failed write, by its kind: another writer (409), a full disk (507), anything else (500,
/// with the details in the server's log only).
fn write_error(doing: &str, e: vigie_store::Error) -> ApiError {
    match e.kind() {
        vigie_store::ErrorKind::Busy => {
            ApiError::new(StatusCode::CONFLICT, format!("{doing}: {e}"))
        }
        vigie_store::ErrorKind::DiskFull => ApiError::new(
            StatusCode::INSUFFICIENT_STORAGE,
            "the disk holding the store is full: nothing was stored",
        ),
        _ => {
            eprintln!("vigie serve: {doing} failed: {e}");
            ApiError::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                format!("{doing} failed (see the server's log)"),
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_compare() {
        assert!(same_secret(b"abc", b"abc"));
        assert!(!same_secret(b"abc", b"abd"));
        assert!(!same_secret(b"abc", b"abcd"));
    }

    #[test]
    fn formats_from_content_type() {
        let mut h = HeaderMap::new();
        h.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/x-ndjson; charset=utf-8"),
        );
        assert_eq!(format_of(None, &h).unwrap(), Format::Jsonl);
        assert_eq!(
            format_of(Some(BodyFormat::Jsonl), &h).unwrap(),
            Format::Jsonl
        );
        assert!(format_of(Some(BodyFormat::Text), &h).is_err());
        let none = HeaderMap::new();
        assert_eq!(format_of(None, &none).unwrap(), Format::Auto);
        assert_eq!(
            format_of(Some(BodyFormat::Text), &none).unwrap(),
            Format::Text
        );
    }
}
