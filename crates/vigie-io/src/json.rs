//! JSONL and JSON readers, both streaming.

use crate::error::io_kind;
use crate::{fields, ErrorKind, InputError, Item, ReadOptions};
use serde_json::{Map, Value};
use std::io::{self, BufRead};
use std::ops::ControlFlow;
use vigie_core::Origin;

/// Takes `piece` into the record in `buf`, counted in `total`, while the record stays within
/// `limit` bytes; past it the record is dropped (its memory given back) and only counted.
fn take(buf: &mut Vec<u8>, total: &mut usize, limit: usize, piece: &[u8]) {
    *total = total.saturating_add(piece.len());
    if *total <= limit {
        buf.extend_from_slice(piece);
    } else if !buf.is_empty() {
        buf.clear();
        buf.shrink_to(64 << 10);
    }
}

/// A record read to its end: in the buffer, or too long to keep.
fn ended(total: usize, limit: usize) -> Frame {
    if total > limit {
        Frame::TooLong(total)
    } else {
        Frame::Done
    }
}

/// Reads one line into `buf` (without the newline), keeping at most `limit` bytes: a longer
/// line is consumed to its end without being stored, so memory stays bounded.
fn next_line<R: BufRead>(r: &mut R, buf: &mut Vec<u8>, limit: usize) -> io::Result<Frame> {
    buf.clear();
    let mut total = 0usize;
    let mut any = false;
    loop {
        let avail = r.fill_buf()?;
        if avail.is_empty() {
            return Ok(if any { ended(total, limit) } else { Frame::Eof });
        }
        any = true;
        let (chunk, done) = match memchr::memchr(b'\n', avail) {
            Some(i) => (&avail[..i], Some(i + 1)),
            None => (avail, None),
        };
        take(buf, &mut total, limit, chunk);
        let used = done.unwrap_or(avail.len());
        r.consume(used);
        if done.is_some() {
            return Ok(ended(total, limit));
        }
    }
}

/// Reads JSON Lines: one object per line; blank lines are ignored.
pub(crate) fn read_jsonl<R: BufRead>(
    mut r: R,
    name: &str,
    id_base: &str,
    opts: &ReadOptions,
    sink: &mut dyn FnMut(Item) -> ControlFlow<()>,
) -> ControlFlow<()> {
    let mut buf = Vec::with_capacity(16 << 10);
    let mut line_no = 0u64;
    let mut record = 0u64;
    // A JSON line holds escapes and other fields besides the text: allow some slack.
    let limit = record_limit(opts);
    loop {
        let origin = |line: u64, record: u64| Origin {
            path: name.to_string(),
            line: Some(line),
            record: Some(record),
        };
        let res = next_line(&mut r, &mut buf, limit);
        line_no += 1;
        let item = match res {
            Err(e) => {
                let msg = format!("reading stopped: {e}");
                return sink(Item::Error(InputError::new(
                    origin(line_no, record + 1),
                    io_kind(&e),
                    msg,
                )));
            }
            Ok(Frame::Eof) => return ControlFlow::Continue(()),
            Ok(Frame::TooLong(n)) => {
                record += 1;
                Item::Error(InputError::new(
                    origin(line_no, record),
                    ErrorKind::TooLarge,
                    format!("line of {n} bytes is over the limit (--max-doc-bytes)"),
                ))
            }
            Ok(Frame::Done) => {
                let line = buf.strip_suffix(b"\r").unwrap_or(&buf);
                if line.iter().all(|b| b.is_ascii_whitespace()) {
                    continue;
                }
                record += 1;
                match parse_line(line) {
                    Ok(map) => {
                        match fields::to_document(map, origin(line_no, record), opts, id_base) {
                            Ok(doc) => Item::Doc(Box::new(doc)),
                            Err(e) => Item::Error(e),
                        }
                    }
                    Err((kind, msg)) => {
                        Item::Error(InputError::new(origin(line_no, record), kind, msg))
                    }
                }
            }
        };
        sink(item)?;
    }
}

/// Serde's message without its position (` at line L column C`).
fn serde_message(e: &serde_json::Error) -> String {
    let msg = e.to_string();
    let msg = msg
        .rsplit_once(" at line ")
        .map_or(msg.as_str(), |(m, _)| m);
    msg.to_string()
}

fn not_an_object(v: &Value) -> String {
    format!("expected a JSON object, found {}", kind_of(v))
}

/// A parsed record as a JSON object, or why not (with the column of a syntax error).
fn as_object(
    parsed: serde_json::Result<Value>,
) -> Result<Map<String, Value>, (String, Option<usize>)> {
    match parsed {
        Ok(Value::Object(m)) => Ok(m),
        Ok(other) => Err((not_an_object(&other), None)),
        Err(e) => Err((serde_message(&e), Some(e.column()))),
    }
}

fn parse_line(line: &[u8]) -> Result<Map<String, Value>, (ErrorKind, String)> {
    let text = std::str::from_utf8(line).map_err(|e| {
        (
            ErrorKind::InvalidUtf8,
            format!("invalid UTF-8 at column {}", e.valid_up_to() + 1),
        )
    })?;
    // The record is one line: its column says where, serde's "line 1" does not.
    as_object(serde_json::from_str::<Value>(text)).map_err(|(msg, at)| {
        let msg = match at {
            Some(column) => format!("{msg} at column {column}"),
            None => msg,
        };
        (ErrorKind::MalformedJson, msg)
    })
}

fn kind_of(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// The limit on one JSON record (a JSONL line, an element of a JSON array): the text plus
/// escapes and the other fields.
pub(crate) fn record_limit(opts: &ReadOptions) -> usize {
    opts.max_doc_bytes.saturating_mul(2).saturating_add(1 << 20)
}

/// How the framing of one JSON value ended.
#[derive(Debug, PartialEq, Eq)]
enum Frame {
    /// The value's (or line's) bytes are in the buffer.
    Done,
    /// The value was longer than the limit: consumed, not stored.
    TooLong(usize),
    /// The input ended inside the value.
    Eof,
}

/// Cuts a JSON text into top-level values without parsing them, keeping at most a limit of
/// bytes of each: memory stays bounded whatever the input (serde_json reads a whole value,
/// however long, before it can be checked), and a value over the limit, or one that does not
/// parse, is skipped and the next one read.
struct Framer<R> {
    r: R,
    /// 1-based line of the next byte.
    line: u64,
}

fn newlines(b: &[u8]) -> u64 {
    memchr::memchr_iter(b'\n', b).count() as u64
}

impl<R: BufRead> Framer<R> {
    /// Skips whitespace; returns the next byte without consuming it, `None` at the end.
    fn peek(&mut self) -> io::Result<Option<u8>> {
        loop {
            let b = self.r.fill_buf()?;
            if b.is_empty() {
                return Ok(None);
            }
            match b.iter().position(|c| !c.is_ascii_whitespace()) {
                Some(i) => {
                    let c = b[i];
                    self.line += newlines(&b[..i]);
                    self.r.consume(i);
                    return Ok(Some(c));
                }
                None => {
                    let n = b.len();
                    self.line += newlines(b);
                    self.r.consume(n);
                }
            }
        }
    }

    /// Consumes one byte already peeked (never a newline).
    fn bump(&mut self) {
        self.r.consume(1);
    }

    /// Reads the value that starts at the next byte (not whitespace, not a `,` `:` `]` `}`)
    /// into `buf`, keeping at most `limit` bytes. Strings are followed through their escapes;
    /// a scalar (number, literal) ends before the next whitespace or punctuation.
    fn value(&mut self, buf: &mut Vec<u8>, limit: usize) -> io::Result<Frame> {
        buf.clear();
        let mut total = 0usize;
        let mut depth = 0u64;
        let mut in_str = false;
        let mut esc = false;
        let mut scalar = None;
        loop {
            let chunk = self.r.fill_buf()?;
            if chunk.is_empty() {
                return Ok(match scalar {
                    Some(true) if total > limit => Frame::TooLong(total),
                    Some(true) => Frame::Done,
                    _ => Frame::Eof,
                });
            }
            let is_scalar = *scalar.get_or_insert_with(|| !matches!(chunk[0], b'{' | b'[' | b'"'));
            let mut end = None;
            let mut i = 0;
            while i < chunk.len() {
                let c = chunk[i];
                if is_scalar {
                    if c.is_ascii_whitespace()
                        || matches!(c, b',' | b':' | b'[' | b']' | b'{' | b'}' | b'"')
                    {
                        end = Some(i);
                        break;
                    }
                    i += 1;
                } else if esc {
                    esc = false;
                    i += 1;
                } else if in_str {
                    match memchr::memchr2(b'"', b'\\', &chunk[i..]) {
                        None => i = chunk.len(),
                        Some(j) => {
                            i += j + 1;
                            if chunk[i - 1] == b'\\' {
                                esc = true;
                            } else {
                                in_str = false;
                                if depth == 0 {
                                    end = Some(i);
                                    break;
                                }
                            }
                        }
                    }
                } else {
                    match c {
                        b'"' => in_str = true,
                        b'{' | b'[' => depth += 1,
                        b'}' | b']' => {
                            depth = depth.saturating_sub(1);
                            if depth == 0 {
                                end = Some(i + 1);
                                break;
                            }
                        }
                        _ => {}
                    }
                    i += 1;
                }
            }
            let used = end.unwrap_or(chunk.len());
            take(buf, &mut total, limit, &chunk[..used]);
            self.line += newlines(&chunk[..used]);
            self.r.consume(used);
            if end.is_some() {
                return Ok(ended(total, limit));
            }
        }
    }
}

/// Reads a JSON document: an array of objects, or one or more concatenated objects, streamed
/// record by record with at most [`record_limit`] bytes of each in memory. A record over the
/// limit, or one that does not parse, is reported and the next one read; an error between
/// records (a missing comma, the end of the file inside the array) ends the file, after the
/// records before it were delivered.
pub(crate) fn read_json<R: BufRead>(
    r: R,
    name: &str,
    id_base: &str,
    opts: &ReadOptions,
    sink: &mut dyn FnMut(Item) -> ControlFlow<()>,
) -> ControlFlow<()> {
    let mut f = Framer { r, line: 1 };
    let origin = |line: u64, record: u64| Origin {
        path: name.into(),
        line: Some(line),
        record: Some(record),
    };
    let stop = |sink: &mut dyn FnMut(Item) -> ControlFlow<()>,
                kind: ErrorKind,
                line: u64,
                record: u64,
                msg: String| {
        sink(Item::Error(InputError::new(
            origin(line, record),
            kind,
            format!("{msg}; the rest of the file is skipped"),
        )))
    };
    let io_stop = |sink: &mut dyn FnMut(Item) -> ControlFlow<()>, e: io::Error, line, record| {
        let kind = io_kind(&e);
        stop(sink, kind, line, record, format!("reading stopped: {e}"))
    };
    let limit = record_limit(opts);
    let mut buf = Vec::new();
    let mut record = 0u64;
    // A UTF-8 byte order mark is not JSON: skip it.
    if let Ok(b) = f.r.fill_buf() {
        if b.starts_with(b"\xef\xbb\xbf") {
            f.r.consume(3);
        }
    }
    let in_array = match f.peek() {
        Ok(None) => return ControlFlow::Continue(()),
        Ok(Some(b'[')) => {
            f.bump();
            true
        }
        Ok(Some(_)) => false,
        Err(e) => return io_stop(sink, e, f.line, 1),
    };
    loop {
        // At a value, or at the end.
        let next = match f.peek() {
            Ok(c) => c,
            Err(e) => return io_stop(sink, e, f.line, record + 1),
        };
        match next {
            None if in_array => {
                return stop(
                    sink,
                    ErrorKind::Truncated,
                    f.line,
                    record + 1,
                    "the file ends inside the array (no closing `]`)".into(),
                )
            }
            None => return ControlFlow::Continue(()),
            Some(b']') if in_array && record == 0 => {
                f.bump();
                break;
            }
            Some(c @ (b',' | b':' | b']' | b'}')) => {
                return stop(
                    sink,
                    ErrorKind::MalformedJson,
                    f.line,
                    record + 1,
                    format!(
                        "expected a JSON value, found `{}`",
                        char::from(c).escape_default()
                    ),
                )
            }
            Some(_) => {}
        }
        record += 1;
        let line = f.line;
        let item = match f.value(&mut buf, limit) {
            Err(e) => return io_stop(sink, e, line, record),
            Ok(Frame::Eof) => {
                return stop(
                    sink,
                    ErrorKind::Truncated,
                    line,
                    record,
                    "the file ends inside this record".into(),
                )
            }
            Ok(Frame::TooLong(n)) => Item::Error(InputError::new(
                origin(line, record),
                ErrorKind::TooLarge,
                format!("record of {n} bytes is over the limit (--max-doc-bytes)"),
            )),
            Ok(Frame::Done) => parse_record(&buf, line, record, name, id_base, opts),
        };
        sink(item)?;
        if in_array {
            match f.peek() {
                Ok(Some(b',')) => f.bump(),
                Ok(Some(b']')) => {
                    f.bump();
                    break;
                }
                Ok(Some(c)) => {
                    return stop(
                        sink,
                        ErrorKind::MalformedJson,
                        f.line,
                        record + 1,
                        format!(
                            "expected `,` or `]` after a record, found `{}`",
                            char::from(c).escape_default()
                        ),
                    )
                }
                Ok(None) => {
                    return stop(
                        sink,
                        ErrorKind::Truncated,
                        f.line,
                        record + 1,
                        "the file ends inside the array (no closing `]`)".into(),
                    )
                }
                Err(e) => return io_stop(sink, e, f.line, record + 1),
            }
        }
    }
    // After the array: nothing but whitespace.
    match f.peek() {
        Ok(None) => ControlFlow::Continue(()),
        Ok(Some(c)) => stop(
            sink,
            ErrorKind::MalformedJson,
            f.line,
            record + 1,
            format!(
                "`{}` after the end of the array",
                char::from(c).escape_default()
            ),
        ),
        Err(e) => io_stop(sink, e, f.line, record + 1),
    }
}

/// Parses one framed JSON record starting at `line` into a document or a located error.
fn parse_record(
    bytes: &[u8],
    line: u64,
    record: u64,
    name: &str,
    id_base: &str,
    opts: &ReadOptions,
) -> Item {
    let located = |kind, msg| {
        let origin = Origin {
            path: name.into(),
            line: Some(line),
            record: Some(record),
        };
        Item::Error(InputError::new(origin, kind, msg))
    };
    if let Err(e) = std::str::from_utf8(bytes) {
        let at = e.valid_up_to();
        let l = line + newlines(&bytes[..at]);
        return located(
            ErrorKind::InvalidUtf8,
            format!("invalid UTF-8 in this record, at line {l}"),
        );
    }
    match serde_json::from_slice::<Value>(bytes) {
        Ok(Value::Object(map)) => {
            // No line in a document's origin: ids of records without one are `FILE#RECORD`.
            let origin = Origin {
                path: name.into(),
                line: None,
                record: Some(record),
            };
            match fields::to_document(map, origin, opts, id_base) {
                Ok(d) => Item::Doc(Box::new(d)),
                Err(mut e) => {
                    e.origin.line = Some(line);
                    Item::Error(e)
                }
            }
        }
        Ok(other) => located(ErrorKind::MalformedJson, not_an_object(&other)),
        Err(e) => {
            let msg = serde_message(&e);
            located(
                ErrorKind::MalformedJson,
                format!(
                    "{msg} at line {} column {}",
                    line + e.line().saturating_sub(1) as u64,
                    e.column()
                ),
            )
        }
    }
}
