//! JSONL and JSON readers, both streaming.

use crate::error::io_kind;
use crate::{fields, ErrorKind, InputError, Item, ReadOptions};
use serde::de::{Deserializer as _, SeqAccess, Visitor};
use serde_json::{Map, Value};
use std::fmt;
use std::io::{self, BufRead};
use std::ops::ControlFlow;
use vigie_core::Origin;

enum NextLine {
    Eof,
    Read,
    TooLong(usize),
}

/// Reads one line into `buf` (without the newline), keeping at most `limit` bytes: a longer
/// line is consumed to its end without being stored, so memory stays bounded.
fn next_line<R: BufRead>(r: &mut R, buf: &mut Vec<u8>, limit: usize) -> io::Result<NextLine> {
    buf.clear();
    let mut total = 0usize;
    let mut any = false;
    loop {
        let avail = r.fill_buf()?;
        if avail.is_empty() {
            return Ok(if !any {
                NextLine::Eof
            } else if total > limit {
                NextLine::TooLong(total)
            } else {
                NextLine::Read
            });
        }
        any = true;
        let (chunk, done) = match memchr::memchr(b'\n', avail) {
            Some(i) => (&avail[..i], Some(i + 1)),
            None => (avail, None),
        };
        total += chunk.len();
        if total <= limit {
            buf.extend_from_slice(chunk);
        }
        let used = done.unwrap_or(avail.len());
        r.consume(used);
        if done.is_some() {
            return Ok(if total > limit {
                NextLine::TooLong(total)
            } else {
                NextLine::Read
            });
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
    let limit = opts.max_doc_bytes.saturating_mul(2).saturating_add(1 << 20);
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
            Ok(NextLine::Eof) => return ControlFlow::Continue(()),
            Ok(NextLine::TooLong(n)) => {
                record += 1;
                Item::Error(InputError::new(
                    origin(line_no, record),
                    ErrorKind::TooLarge,
                    format!("line of {n} bytes is over the limit (--max-doc-bytes)"),
                ))
            }
            Ok(NextLine::Read) => {
                let line = buf.strip_suffix(b"\r").unwrap_or(&buf);
                if line.iter().all(|b| b.is_ascii_whitespace()) {
                    continue;
                }
                record += 1;
                match parse_line(line) {
                    Ok(map) => match fields::to_document(
                        map,
                        origin(line_no, record),
                        &opts.fields,
                        id_base,
                        opts.max_doc_bytes,
                    ) {
                        Ok(doc) => Item::Doc(Box::new(doc)),
                        Err(e) => Item::Error(e),
                    },
                    Err((kind, msg)) => {
                        Item::Error(InputError::new(origin(line_no, record), kind, msg))
                    }
                }
            }
        };
        sink(item)?;
    }
}

fn parse_line(line: &[u8]) -> Result<Map<String, Value>, (ErrorKind, String)> {
    let text = std::str::from_utf8(line).map_err(|e| {
        (
            ErrorKind::InvalidUtf8,
            format!("invalid UTF-8 at column {}", e.valid_up_to() + 1),
        )
    })?;
    match serde_json::from_str::<Value>(text) {
        Ok(Value::Object(m)) => Ok(m),
        Ok(other) => Err((
            ErrorKind::MalformedJson,
            format!("expected a JSON object, found {}", kind_of(&other)),
        )),
        Err(e) => {
            // The record is one line: its column says where, serde's "line 1" does not.
            let msg = e.to_string();
            let msg = msg
                .rsplit_once(" at line ")
                .map_or(msg.as_str(), |(m, _)| m);
            Err((
                ErrorKind::MalformedJson,
                format!("{msg} at column {}", e.column()),
            ))
        }
    }
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

/// Reads a JSON document: an array of objects (streamed element by element), or one or more
/// concatenated objects. A syntax error ends the file (JSON cannot be resynchronised), after
/// the records before it were delivered.
pub(crate) fn read_json<R: BufRead>(
    mut r: R,
    name: &str,
    id_base: &str,
    opts: &ReadOptions,
    sink: &mut dyn FnMut(Item) -> ControlFlow<()>,
) -> ControlFlow<()> {
    let first = loop {
        match r.fill_buf() {
            Ok([]) => return ControlFlow::Continue(()),
            Ok(b) => match b.iter().position(|c| !c.is_ascii_whitespace()) {
                Some(i) => {
                    let c = b[i];
                    r.consume(i);
                    break c;
                }
                None => {
                    let n = b.len();
                    r.consume(n);
                }
            },
            Err(e) => {
                let origin = Origin {
                    path: name.into(),
                    ..Origin::default()
                };
                return sink(Item::Error(InputError::new(
                    origin,
                    io_kind(&e),
                    e.to_string(),
                )));
            }
        }
    };
    let mut ctx = Ctx {
        name,
        id_base,
        opts,
        sink,
        record: 0,
        stopped: false,
    };
    let result = if first == b'[' {
        let mut de = serde_json::Deserializer::from_reader(r);
        de.deserialize_seq(ArrayVisitor { ctx: &mut ctx })
            .and_then(|_| de.end())
    } else {
        let stream = serde_json::Deserializer::from_reader(r).into_iter::<Value>();
        let mut res = Ok(());
        for v in stream {
            match v {
                Ok(v) => {
                    if ctx.deliver(v).is_break() {
                        break;
                    }
                }
                Err(e) => {
                    res = Err(e);
                    break;
                }
            }
        }
        res
    };
    if ctx.stopped {
        return ControlFlow::Break(());
    }
    if let Err(e) = result {
        let kind = if e.is_io() || e.is_eof() {
            ErrorKind::Truncated
        } else {
            ErrorKind::MalformedJson
        };
        let origin = Origin {
            path: name.into(),
            line: Some(e.line() as u64),
            record: Some(ctx.record + 1),
        };
        return (ctx.sink)(Item::Error(InputError::new(
            origin,
            kind,
            format!("{e}; the rest of the file is skipped"),
        )));
    }
    ControlFlow::Continue(())
}

struct Ctx<'a, 'b> {
    name: &'a str,
    id_base: &'a str,
    opts: &'a ReadOptions,
    sink: &'b mut dyn FnMut(Item) -> ControlFlow<()>,
    record: u64,
    stopped: bool,
}

impl Ctx<'_, '_> {
    fn deliver(&mut self, v: Value) -> ControlFlow<()> {
        self.record += 1;
        let origin = Origin {
            path: self.name.into(),
            line: None,
            record: Some(self.record),
        };
        let item = match v {
            Value::Object(map) => {
                match fields::to_document(
                    map,
                    origin,
                    &self.opts.fields,
                    self.id_base,
                    self.opts.max_doc_bytes,
                ) {
                    Ok(d) => Item::Doc(Box::new(d)),
                    Err(e) => Item::Error(e),
                }
            }
            other => Item::Error(InputError::new(
                origin,
                ErrorKind::MalformedJson,
                format!("expected a JSON object, found {}", kind_of(&other)),
            )),
        };
        let flow = (self.sink)(item);
        self.stopped = flow.is_break();
        flow
    }
}

struct ArrayVisitor<'c, 'a, 'b> {
    ctx: &'c mut Ctx<'a, 'b>,
}

impl<'de> Visitor<'de> for ArrayVisitor<'_, '_, '_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an array of objects")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while let Some(v) = seq.next_element::<Value>()? {
            if self.ctx.deliver(v).is_break() {
                return Ok(());
            }
        }
        Ok(())
    }
}
