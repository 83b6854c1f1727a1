//! Vigie readers: turn files, directories and standard input into [`Document`]s.
//!
//! Formats (see docs/formats.md): the seed header format, JSONL, JSON (one object or an array,
//! streamed), plain text; any of them gzip-compressed. The format is chosen from the file name
//! and its first bytes, or forced with [`Format`].
//!
//! Reading never panics on bad input. Every problem becomes an [`InputError`] carrying the file
//! and line (or record number), delivered in order with the documents, so the caller can count,
//! report and go on, or stop at the first one.

#![warn(missing_docs)]

mod error;
mod fields;
mod gzip;
mod json;
mod seed;
mod source;

pub use error::{ErrorKind, InputError};
pub use fields::FieldMap;
pub use gzip::{gunzip, inflate_limit, is_gzip, InflateError};
pub use seed::{parse_seed, parse_seed_header, SEED_KEYS};
pub use source::{expand_inputs, InputSource};

use std::io::{self, BufRead, BufReader, Read};
use std::ops::ControlFlow;
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use vigie_core::{Document, Origin};

/// Input formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Format {
    /// Decide from the file name and the first bytes.
    #[default]
    Auto,
    /// A text file with a leading `key value` metadata header (the seed format).
    Seed,
    /// One JSON object per line.
    Jsonl,
    /// A JSON document: one object, an array of objects, or concatenated objects.
    Json,
    /// Plain text: the whole file is one document.
    Text,
}

impl std::str::FromStr for Format {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        Ok(match s.to_ascii_lowercase().as_str() {
            "auto" => Format::Auto,
            "seed" => Format::Seed,
            "jsonl" | "ndjson" => Format::Jsonl,
            "json" => Format::Json,
            "text" | "txt" => Format::Text,
            other => {
                return Err(format!(
                    "unknown input format {other:?} (auto, seed, jsonl, json, text)"
                ))
            }
        })
    }
}

/// Default limit on one document's text: 10 MiB.
pub const DEFAULT_MAX_DOC_BYTES: usize = 10 << 20;

/// How to read inputs.
#[derive(Debug, Clone)]
pub struct ReadOptions {
    /// Forced format, or [`Format::Auto`].
    pub format: Format,
    /// Which JSON fields hold the text, id, title, ...
    pub fields: FieldMap,
    /// Documents (or JSON lines) larger than this many bytes are reported and skipped.
    pub max_doc_bytes: usize,
    /// Incremented with the number of raw (possibly compressed) bytes read, for progress bars.
    pub bytes_read: Arc<AtomicU64>,
}

impl Default for ReadOptions {
    fn default() -> Self {
        ReadOptions {
            format: Format::Auto,
            fields: FieldMap::default(),
            max_doc_bytes: DEFAULT_MAX_DOC_BYTES,
            bytes_read: Arc::new(AtomicU64::new(0)),
        }
    }
}

/// What a reader yields: a document, or a problem with the input.
#[derive(Debug)]
pub enum Item {
    /// A document ready for analysis.
    Doc(Box<Document>),
    /// Bad input, already located; the reader goes on after it unless the sink breaks.
    Error(InputError),
}

/// Reads every source in order, calling `sink` with each document or error.
///
/// The sink returns [`ControlFlow::Break`] to stop early (e.g. `--strict`). Returns `Break`
/// when the sink stopped the reading.
pub fn read_sources(
    sources: &[InputSource],
    opts: &ReadOptions,
    sink: &mut dyn FnMut(Item) -> ControlFlow<()>,
) -> ControlFlow<()> {
    for src in sources {
        read_source(src, opts, sink)?;
    }
    ControlFlow::Continue(())
}

/// Reads one source (a file or standard input).
pub fn read_source(
    src: &InputSource,
    opts: &ReadOptions,
    sink: &mut dyn FnMut(Item) -> ControlFlow<()>,
) -> ControlFlow<()> {
    let name = src.display_name();
    let id_base = src.id_base().to_string();
    let unreadable = |e: io::Error| {
        InputError::new(
            Origin {
                path: name.clone(),
                ..Origin::default()
            },
            ErrorKind::Unreadable,
            e.to_string(),
        )
    };
    let raw: Box<dyn Read + Send> = match src {
        InputSource::Stdin => Box::new(io::stdin()),
        InputSource::File { path: p, .. } => match std::fs::File::open(p) {
            Ok(f) => match f.metadata() {
                Ok(m) if m.is_dir() => {
                    return sink(Item::Error(unreadable(io::Error::other("is a directory"))))
                }
                _ => Box::new(f),
            },
            Err(e) => return sink(Item::Error(unreadable(e))),
        },
    };
    let counted = CountingReader {
        inner: raw,
        count: opts.bytes_read.clone(),
    };
    let mut buffered = BufReader::with_capacity(64 << 10, counted);
    let gz = match buffered.fill_buf() {
        Ok(b) => b.starts_with(&[0x1f, 0x8b]),
        Err(e) => return sink(Item::Error(unreadable(e))),
    };
    let base_name = name.strip_suffix(".gz").unwrap_or(&name).to_string();
    if gz {
        let dec = flate2::bufread::MultiGzDecoder::new(buffered);
        read_decoded(
            BufReader::with_capacity(64 << 10, dec),
            &name,
            &base_name,
            &id_base,
            opts,
            sink,
        )
    } else {
        read_decoded(buffered, &name, &base_name, &id_base, opts, sink)
    }
}

/// Reads documents from bytes already in memory (an HTTP request body, say), gzipped or not.
/// `name` locates errors (`request`); `id_base` prefixes the ids of records without one.
///
/// Gzipped bytes are inflated whole first, to at most [`inflate_limit`] bytes: an input that
/// inflates past it yields one [`ErrorKind::TooLarge`] error and no document (never a
/// truncated read of its first records). A corrupt or cut stream yields the documents before
/// the damage, then an [`ErrorKind::Truncated`] error.
pub fn read_bytes(
    bytes: &[u8],
    name: &str,
    id_base: &str,
    opts: &ReadOptions,
    sink: &mut dyn FnMut(Item) -> ControlFlow<()>,
) -> ControlFlow<()> {
    if !is_gzip(bytes) {
        return read_decoded(bytes, name, name, id_base, opts, sink);
    }
    let base_name = name.strip_suffix(".gz").unwrap_or(name);
    let origin = Origin {
        path: name.to_string(),
        ..Origin::default()
    };
    match gunzip(bytes, inflate_limit(bytes.len())) {
        Ok(plain) => read_decoded(&plain[..], name, base_name, id_base, opts, sink),
        Err(e @ InflateError::TooLarge { .. }) => sink(Item::Error(InputError::new(
            origin,
            ErrorKind::TooLarge,
            format!("{e}: nothing of it is read"),
        ))),
        Err(InflateError::Corrupt { partial, error }) => {
            read_decoded(&partial[..], name, base_name, id_base, opts, sink)?;
            sink(Item::Error(InputError::new(
                origin,
                ErrorKind::Truncated,
                format!("the gzip stream is corrupt or cut short ({error}); what follows is lost"),
            )))
        }
    }
}

fn read_decoded<R: BufRead>(
    mut r: R,
    name: &str,
    base_name: &str,
    id_base: &str,
    opts: &ReadOptions,
    sink: &mut dyn FnMut(Item) -> ControlFlow<()>,
) -> ControlFlow<()> {
    let origin = Origin {
        path: name.to_string(),
        ..Origin::default()
    };
    let head = match r.fill_buf() {
        Ok(b) => b,
        Err(e) => {
            let kind = error::io_kind(&e);
            return sink(Item::Error(InputError::new(origin, kind, e.to_string())));
        }
    };
    let format = match opts.format {
        Format::Auto => sniff(base_name, head),
        f => f,
    };
    if matches!(format, Format::Seed | Format::Text) && looks_binary(head) {
        return sink(Item::Error(InputError::new(
            origin,
            ErrorKind::Binary,
            "binary content (NUL bytes), not a text document".into(),
        )));
    }
    match format {
        Format::Jsonl => json::read_jsonl(r, name, id_base, opts, sink),
        Format::Json => json::read_json(r, name, id_base, opts, sink),
        Format::Seed | Format::Text | Format::Auto => {
            read_text_file(r, name, id_base, format, opts, sink)
        }
    }
}

/// Guesses the format of `name` whose decompressed content starts with `head`.
pub fn sniff(name: &str, head: &[u8]) -> Format {
    let ext = Path::new(name)
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    match ext.as_str() {
        "jsonl" | "ndjson" => return Format::Jsonl,
        "json" => return Format::Json,
        _ => {}
    }
    let first = head.iter().copied().find(|b| !b.is_ascii_whitespace());
    match first {
        Some(b'{') if ext.is_empty() || name == "-" => Format::Jsonl,
        Some(b'[') if ext.is_empty() || name == "-" => Format::Json,
        _ => {
            let text = match std::str::from_utf8(head) {
                Ok(t) => t,
                Err(e) => std::str::from_utf8(&head[..e.valid_up_to()]).unwrap_or(""),
            };
            if seed::parse_seed_header(text).is_some() {
                Format::Seed
            } else {
                Format::Text
            }
        }
    }
}

/// True when the bytes hold a NUL, the sign of a binary file (the rule git and ripgrep use).
pub fn looks_binary(head: &[u8]) -> bool {
    memchr::memchr(0, &head[..head.len().min(8192)]).is_some()
}

fn read_text_file<R: BufRead>(
    r: R,
    name: &str,
    id_base: &str,
    format: Format,
    opts: &ReadOptions,
    sink: &mut dyn FnMut(Item) -> ControlFlow<()>,
) -> ControlFlow<()> {
    let origin = Origin {
        path: name.to_string(),
        ..Origin::default()
    };
    let mut bytes = Vec::new();
    let limit = opts.max_doc_bytes as u64;
    if let Err(e) = r.take(limit.saturating_add(1)).read_to_end(&mut bytes) {
        let line = Some(1 + memchr::memchr_iter(b'\n', &bytes).count() as u64);
        let kind = error::io_kind(&e);
        return sink(Item::Error(InputError::new(
            Origin { line, ..origin },
            kind,
            e.to_string(),
        )));
    }
    if bytes.len() as u64 > limit {
        return sink(Item::Error(InputError::new(
            origin,
            ErrorKind::TooLarge,
            format!(
                "document larger than the limit of {} bytes (--max-doc-bytes)",
                opts.max_doc_bytes
            ),
        )));
    }
    if looks_binary(&bytes) {
        return sink(Item::Error(InputError::new(
            origin,
            ErrorKind::Binary,
            "binary content (NUL bytes)".into(),
        )));
    }
    let text = match String::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let at = e.utf8_error().valid_up_to();
            let bytes = e.as_bytes();
            let line = 1 + memchr::memchr_iter(b'\n', &bytes[..at]).count() as u64;
            let col = at
                - bytes[..at]
                    .iter()
                    .rposition(|&b| b == b'\n')
                    .map_or(0, |p| p + 1)
                + 1;
            return sink(Item::Error(InputError::new(
                Origin {
                    line: Some(line),
                    ..origin
                },
                ErrorKind::InvalidUtf8,
                format!("invalid UTF-8 at byte {at} (line {line}, column {col})"),
            )));
        }
    };
    let text = text
        .strip_prefix('\u{feff}')
        .map(str::to_string)
        .unwrap_or(text);
    let stem = id_base.to_string();
    let doc = if format == Format::Seed {
        match parse_seed(&text) {
            Some((meta, id, body_start)) => Document {
                id: id.unwrap_or(stem),
                text: text[body_start..].to_string(),
                meta,
                origin: origin.clone(),
            },
            None => Document {
                id: stem,
                text,
                meta: Default::default(),
                origin: origin.clone(),
            },
        }
    } else {
        Document {
            id: stem,
            text,
            meta: Default::default(),
            origin: origin.clone(),
        }
    };
    if doc.text.trim().is_empty() {
        return sink(Item::Error(InputError::new(
            origin,
            ErrorKind::EmptyDocument,
            "empty document".into(),
        )));
    }
    sink(Item::Doc(Box::new(doc)))
}

/// Counts the bytes that pass through it into a shared counter.
struct CountingReader<R> {
    inner: R,
    count: Arc<AtomicU64>,
}

impl<R: Read> Read for CountingReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.count.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

/// Runs `f` on one document, turning a panic into a located `internal_error`.
pub fn guarded<T>(origin: &Origin, f: impl FnOnce() -> T) -> Result<T, InputError> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)).map_err(|_| {
        InputError::new(
            origin.clone(),
            ErrorKind::Internal,
            "the analysis failed on this document (a bug: please report it)".into(),
        )
    })
}

/// Like [`guarded`], for an analysis that may go over its budget (time or memory): its error
/// becomes a located error of kind [`ErrorKind::OverBudget`], reported like bad input, and the
/// run goes on.
pub fn budgeted<T, E: std::fmt::Display>(
    origin: &Origin,
    f: impl FnOnce() -> Result<T, E>,
) -> Result<T, InputError> {
    guarded(origin, f)?
        .map_err(|e| InputError::new(origin.clone(), ErrorKind::OverBudget, e.to_string()))
}
