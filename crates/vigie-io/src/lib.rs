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
pub use fields::{FieldMap, MetaLimits, DEFAULT_MAX_ID_BYTES};
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
    /// Limits on each metadata field and on the whole metadata of a record.
    pub meta_limits: MetaLimits,
    /// Incremented with the number of raw (possibly compressed) bytes read, for progress bars.
    pub bytes_read: Arc<AtomicU64>,
}

impl Default for ReadOptions {
    fn default() -> Self {
        ReadOptions {
            format: Format::Auto,
            fields: FieldMap::default(),
            max_doc_bytes: DEFAULT_MAX_DOC_BYTES,
            meta_limits: MetaLimits::default(),
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
        InputSource::File { path: p, .. } => match std::fs::metadata(p) {
            // Devices and sockets are never read (a FIFO is: expand_inputs only yields one
            // named by the user, read like `-`).
            Ok(m) if !(m.is_file() || m.is_dir() || source::is_fifo(&m.file_type())) => {
                return sink(Item::Error(source::not_a_file(p, &m.file_type())))
            }
            _ => match std::fs::File::open(p) {
                Ok(f) => match f.metadata() {
                    Ok(m) if m.is_dir() => {
                        return sink(Item::Error(unreadable(io::Error::other("is a directory"))))
                    }
                    _ => Box::new(f),
                },
                Err(e) => return sink(Item::Error(unreadable(e))),
            },
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
/// truncated read of its first records). A corrupt or cut stream reads as a corrupt file
/// does: the records before the damage, then an [`ErrorKind::Truncated`] error located there;
/// a text document is refused whole, with that one error.
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
        // Read as a corrupt file is: what inflated, then the decoder's error where the damage
        // is (JSON Lines keep the records before it; a text file is refused whole).
        Err(InflateError::Corrupt { partial, error }) => read_decoded(
            BufReader::new(io::Cursor::new(partial).chain(FailOnce(Some(error)))),
            name,
            base_name,
            id_base,
            opts,
            sink,
        ),
    }
}

/// A reader that fails once with the error it holds (the damage after a corrupt gzip stream's
/// readable part), then reads as ended.
struct FailOnce(Option<io::Error>);

impl Read for FailOnce {
    fn read(&mut self, _: &mut [u8]) -> io::Result<usize> {
        match self.0.take() {
            Some(e) => Err(e),
            None => Ok(0),
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
            // Repeated keys keep only their last value: bound the header itself too.
            Some((_, _, body_start)) if body_start > opts.meta_limits.total => {
                return sink(Item::Error(InputError::new(
                    origin,
                    ErrorKind::FieldTooLarge,
                    format!(
                        "seed header of {body_start} bytes is over the metadata limit of {} \
                         bytes (docs/formats.md, \"Limits\"): the document is skipped",
                        opts.meta_limits.total
                    ),
                )));
            }
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
    if let Err(m) = fields::check_meta(&doc.id, &doc.meta, &opts.meta_limits, &|k| k.into()) {
        return sink(Item::Error(InputError::new(
            origin,
            ErrorKind::FieldTooLarge,
            m,
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Reads `bytes` as a file named `name`, returning documents and errors in order.
    fn read(name: &str, bytes: &[u8], opts: &ReadOptions) -> Vec<Result<Document, InputError>> {
        let mut out = Vec::new();
        let _ = read_bytes(bytes, name, "t", opts, &mut |item| {
            out.push(match item {
                Item::Doc(d) => Ok(*d),
                Item::Error(e) => Err(e),
            });
            ControlFlow::Continue(())
        });
        out
    }

    fn ids(items: &[Result<Document, InputError>]) -> Vec<String> {
        items
            .iter()
            .map(|i| match i {
                Ok(d) => d.id.clone(),
                Err(e) => format!("{}: {}", e.origin, e.kind.name()),
            })
            .collect()
    }

    fn gz(data: &[u8]) -> Vec<u8> {
        let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        io::Write::write_all(&mut e, data).unwrap();
        e.finish().unwrap()
    }

    /// Regression (fuzz target `text`, issue 16): a cut gzip text file read from memory gave
    /// two items, an "empty" error for the nothing inflated and then the truncation, where
    /// the same file read from disk gives the truncation alone.
    #[test]
    fn a_cut_gzip_reads_from_memory_as_from_a_file() {
        let text = gz("Bonjour le monde, ceci est un texte assez long pour être coupé.".as_bytes());
        let jsonl: String = (0..200)
            .map(|i| format!("{{\"id\": \"d{i}\", \"text\": \"Texte numéro {i} du lot.\"}}\n"))
            .collect();
        let jsonl = gz(jsonl.as_bytes());
        let opts = ReadOptions::default();
        for (name, bytes) in [
            ("a.txt", &[0x1f, 0x8b][..]),
            ("a.txt", &text[..text.len() / 2]),
            ("a.jsonl", &jsonl[..jsonl.len() / 2]),
        ] {
            let items = read(name, bytes, &opts);
            let path = std::env::temp_dir().join(format!("vigie-cut-{}-{name}", bytes.len()));
            std::fs::write(&path, bytes).unwrap();
            let mut from_file = Vec::new();
            let source = InputSource::File {
                path: path.clone(),
                id_base: "t".into(),
            };
            let _ = read_source(&source, &opts, &mut |item| {
                from_file.push(match item {
                    Item::Doc(d) => Ok(*d),
                    Item::Error(e) => Err(e),
                });
                ControlFlow::Continue(())
            });
            std::fs::remove_file(&path).unwrap();
            let kinds = |v: &[Result<Document, InputError>]| -> Vec<String> {
                v.iter()
                    .map(|i| match i {
                        Ok(d) => d.id.clone(),
                        Err(e) => e.kind.name().to_string(),
                    })
                    .collect()
            };
            assert_eq!(
                kinds(&items),
                kinds(&from_file),
                "{name}, {} bytes",
                bytes.len()
            );
            assert_eq!(
                items.last().unwrap().as_ref().unwrap_err().kind,
                ErrorKind::Truncated
            );
            assert_eq!(items.iter().filter(|i| i.is_err()).count(), 1, "{items:?}");
        }
    }

    #[test]
    fn a_huge_extra_field_is_reported_with_its_line_not_stored() {
        // Defect 11: a 200 MB extra field was accepted (here 200 KB, over the 64 KiB limit).
        let big = "x".repeat(200 << 10);
        let input = format!(
            "{{\"id\": \"a\", \"text\": \"Un.\"}}\n{{\"id\": \"b\", \"text\": \"Deux.\", \"html\": \"{big}\"}}\n{{\"id\": \"c\", \"text\": \"Trois.\"}}\n"
        );
        let got = read("f.jsonl", input.as_bytes(), &ReadOptions::default());
        assert_eq!(ids(&got), ["a", "f.jsonl:2: field_too_large", "c"]);
        let msg = &got[1].as_ref().unwrap_err().message;
        assert!(msg.contains("\"html\"") && msg.contains("65536"), "{msg}");
    }

    #[test]
    fn ids_titles_and_urls_over_their_limits_are_reported() {
        // Defect 11: 15 MiB ids and titles were stored (here just over the limits).
        let l = MetaLimits::default();
        let rec = |field: &str, n: usize| {
            format!(
                "{{\"text\": \"Un.\", \"{field}\": \"{}\"}}\n",
                "é".repeat(n / 2 + 1)
            )
        };
        let input = [
            rec("id", l.id),
            rec("headline", l.title),
            rec("url", l.url),
            rec("source", l.outlet),
            rec("lang", l.language),
            rec("date", l.date),
            rec("authors", l.author),
            rec("id", l.id - 2),
        ]
        .concat();
        let got = read("f.jsonl", input.as_bytes(), &ReadOptions::default());
        let kinds: Vec<_> = got
            .iter()
            .map(|r| r.as_ref().map_err(|e| e.kind).map(|_| ()))
            .collect();
        assert_eq!(
            kinds[..7],
            [Err(ErrorKind::FieldTooLarge); 7],
            "{:?}",
            ids(&got)
        );
        assert!(got[7].is_ok(), "an id at the limit is read");
        // The message names the field as the input spells it.
        assert!(got[1]
            .as_ref()
            .unwrap_err()
            .message
            .contains("\"headline\""));
        assert!(got[5].as_ref().unwrap_err().message.contains("\"date\""));
    }

    #[test]
    fn the_whole_metadata_is_bounded() {
        let field = "y".repeat(60 << 10);
        let extras: String = (0..5).map(|i| format!(", \"f{i}\": \"{field}\"")).collect();
        let input =
            format!("{{\"text\": \"Un.\"{extras}}}\n{{\"text\": \"Deux.\", \"f\": \"{field}\"}}\n");
        let got = read("f.jsonl", input.as_bytes(), &ReadOptions::default());
        let e = got[0].as_ref().unwrap_err();
        assert_eq!(e.kind, ErrorKind::FieldTooLarge);
        assert!(e.message.starts_with("metadata of "), "{}", e.message);
        assert!(got[1].is_ok());
    }

    #[test]
    fn a_seed_header_value_over_its_limit_is_reported() {
        let title = "t".repeat(MetaLimits::default().title + 1);
        let input = format!("title \"{title}\" date 2022-08 Le corps.");
        let got = read("a.txt", input.as_bytes(), &ReadOptions::default());
        assert_eq!(ids(&got), ["a.txt: field_too_large"]);
        // A header of repeated keys is bounded as a whole.
        let input = format!("{}Le corps.", "author X ".repeat(30_000));
        let got = read("a.txt", input.as_bytes(), &ReadOptions::default());
        assert_eq!(ids(&got), ["a.txt: field_too_large"]);
        assert!(got[0]
            .as_ref()
            .unwrap_err()
            .message
            .starts_with("seed header of 270000 bytes"));
        let ok = read(
            "a.txt",
            b"title \"Un titre\" date 2022-08 Le corps.",
            &ReadOptions::default(),
        );
        assert_eq!(
            ok[0].as_ref().unwrap().meta.title.as_deref(),
            Some("Un titre")
        );
    }

    #[test]
    fn a_json_array_element_over_the_limit_is_skipped_and_the_next_read() {
        // The array path read a whole element, however long, before any check: now at most
        // `record_limit` bytes of it are kept and the reading goes on after it.
        let opts = ReadOptions {
            max_doc_bytes: 1000,
            ..ReadOptions::default()
        };
        let limit = json::record_limit(&opts);
        let big = "z".repeat(limit + 10);
        let input = format!(
            "[{{\"id\": \"a\", \"text\": \"Un.\"}},\n {{\"id\": \"b\", \"text\": \"{big}\"}},\n {{\"id\": \"c\", \"text\": \"Trois.\"}}]"
        );
        let got = read("f.json", input.as_bytes(), &opts);
        assert_eq!(ids(&got), ["a", "f.json:2: too_large", "c"]);
        // The same for concatenated objects.
        let input = format!("{{\"text\": \"{big}\"}}\n{{\"id\": \"c\", \"text\": \"Trois.\"}}");
        let got = read("f.json", input.as_bytes(), &opts);
        assert_eq!(ids(&got), ["f.json:1: too_large", "c"]);
    }

    #[test]
    fn json_records_framed_through_strings_escapes_and_nesting() {
        let input = br#"  [ {"id": "a", "text": "Il dit \"]}\" puis [{ \\", "x": [1, {"y": "}"}]},
            {"id": 2, "text": "Deux."} ] "#;
        let got = read("f.json", input, &ReadOptions::default());
        assert_eq!(ids(&got), ["a", "2"]);
        assert_eq!(got[0].as_ref().unwrap().text, "Il dit \"]}\" puis [{ \\");
        assert_eq!(got[1].as_ref().unwrap().origin.record, Some(2));
        // A record without id keeps the `FILE#RECORD` id (no line in a document's origin).
        let got = read(
            "f.json",
            b"\xef\xbb\xbf{\"text\": \"Un.\"} {\"text\": \"Deux.\"}",
            &ReadOptions::default(),
        );
        assert_eq!(ids(&got), ["t#1", "t#2"]);
        assert!(read("f.json", b"[]", &ReadOptions::default()).is_empty());
        assert!(read("f.json", b"  \n", &ReadOptions::default()).is_empty());
    }

    #[test]
    fn a_bad_json_record_is_reported_and_the_next_read() {
        let input = b"[{\"id\": \"a\", \"text\": \"Un.\"},\n{\"id\": \"b\", \"text\": \"Deux.\",},\n42,\n{\"id\": \"c\", \"text\": \"caf\xe9\"},\n{\"id\": \"d\", \"text\": \"Quatre.\"}]";
        let got = read("f.json", input, &ReadOptions::default());
        assert_eq!(
            ids(&got),
            [
                "a",
                "f.json:2: malformed_json",
                "f.json:3: malformed_json",
                "f.json:4: invalid_utf8",
                "d"
            ]
        );
    }

    #[test]
    fn json_errors_between_records_end_the_file() {
        let opts = ReadOptions::default();
        for (input, expected) in [
            (
                &b"[{\"text\": \"Un.\"} {\"text\": \"Deux.\"}]"[..],
                "f.json:1: malformed_json",
            ),
            (b"[{\"text\": \"Un.\"},]", "f.json:1: malformed_json"),
            (
                b"[{\"text\": \"Un.\"},,{\"text\": \"Deux.\"}]",
                "f.json:1: malformed_json",
            ),
            (b"[{\"text\": \"Un.\"}\n", "f.json:2: truncated"),
            (
                b"[{\"text\": \"Un.\"}, {\"text\": \"De",
                "f.json:1: truncated",
            ),
            (b"[{\"text\": \"Un.\"}] x", "f.json:1: malformed_json"),
        ] {
            let got = read("f.json", input, &opts);
            assert_eq!(
                ids(&got),
                ["t#1", expected],
                "{}",
                String::from_utf8_lossy(input)
            );
            assert!(got[1]
                .as_ref()
                .unwrap_err()
                .message
                .ends_with("the rest of the file is skipped"));
        }
    }
}
