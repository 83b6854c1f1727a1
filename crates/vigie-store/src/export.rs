//! Exports of the store as tidy tables: one row per document, quote, entity, actor, stance or
//! narrative match, in JSON Lines, CSV or Parquet, streamed with no row limit.

use crate::{Error, Result, Store};
use parquet::basic::Compression;
use parquet::data_type::{BoolType, ByteArray, ByteArrayType, DoubleType, Int64Type};
use parquet::file::properties::WriterProperties;
use parquet::file::writer::SerializedFileWriter;
use parquet::schema::parser::parse_message_type;
use rusqlite::types::ValueRef;
use std::io::Write;
use std::sync::Arc;

/// A column's type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColType {
    /// UTF-8 text.
    Text,
    /// 64-bit integer.
    Int,
    /// Double.
    Real,
    /// Boolean (stored as 0/1 in SQLite).
    Bool,
}

/// A table that can be exported.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Table {
    /// Table name (also the file stem).
    pub name: &'static str,
    columns: &'static [(&'static str, ColType)],
    sql: &'static str,
}

use ColType::{Bool, Int, Real, Text};

/// Every exportable table. Fact tables hold the latest version of each document; `documents`
/// holds every version (with `latest` telling which is current).
pub const TABLES: [Table; 6] = [
    Table {
        name: "documents",
        columns: &[
            ("doc_id", Text),
            ("version", Int),
            ("latest", Bool),
            ("title", Text),
            ("date", Text),
            ("outlet", Text),
            ("affiliation", Text),
            ("lang", Text),
            ("url", Text),
            ("origin", Text),
            ("ingested_at", Text),
            ("analyzed_by", Text),
            ("content_hash", Text),
            ("text", Text),
        ],
        sql: "SELECT doc_id, version, latest, title, date, outlet, affiliation, lang, url, origin, ingested_at, analyzed_by, hash, vigie_text(text) FROM docs ORDER BY seq",
    },
    Table {
        name: "quotes",
        columns: &[
            ("doc_id", Text),
            ("quote", Int),
            ("date", Text),
            ("outlet", Text),
            ("type", Text),
            ("start", Int),
            ("end", Int),
            ("content", Text),
            ("cue", Text),
            ("speaker", Text),
            ("speaker_actor", Text),
            ("speaker_role", Text),
            ("speaker_named", Bool),
            ("mention", Text),
            ("mention_start", Int),
            ("mention_end", Int),
            ("confidence", Real),
        ],
        sql: "SELECT d.doc_id, q.idx, d.date, d.outlet, q.kind, q.start, q.end, vigie_span(d.text, q.start, q.end), q.cue, q.speaker, q.speaker_actor, q.speaker_role, q.speaker_named, q.mention, q.mention_start, q.mention_end, q.confidence FROM quotes q JOIN docs d ON d.seq = q.seq ORDER BY q.seq, q.idx",
    },
    Table {
        name: "entities",
        columns: &[
            ("doc_id", Text),
            ("entity", Int),
            ("start", Int),
            ("end", Int),
            ("text", Text),
            ("label", Text),
            ("actor", Text),
        ],
        sql: "SELECT d.doc_id, e.idx, e.start, e.end, vigie_span(d.text, e.start, e.end), e.label, e.actor FROM entities e JOIN docs d ON d.seq = e.seq ORDER BY e.seq, e.idx",
    },
    Table {
        name: "actors",
        columns: &[
            ("doc_id", Text),
            ("actor", Text),
            ("kind", Text),
            ("name", Text),
            ("country", Text),
            ("mentions", Int),
            ("first_start", Int),
            ("first_end", Int),
        ],
        sql: "SELECT d.doc_id, a.actor, a.kind, a.name, a.country, a.mentions, a.start, a.end FROM actors a JOIN docs d ON d.seq = a.seq ORDER BY a.seq, a.actor",
    },
    Table {
        name: "stances",
        columns: &[
            ("doc_id", Text),
            ("holder", Text),
            ("holder_actor", Text),
            ("target", Text),
            ("target_name", Text),
            ("score", Real),
            ("evidence", Int),
            ("first_start", Int),
            ("first_end", Int),
            ("words", Text),
        ],
        sql: "SELECT d.doc_id, s.holder, s.holder_actor, s.target, s.target_name, s.score, s.evidence, s.start, s.end, s.words FROM stances s JOIN docs d ON d.seq = s.seq ORDER BY s.seq, s.idx",
    },
    Table {
        name: "narratives",
        columns: &[
            ("doc_id", Text),
            ("narrative", Text),
            ("label", Text),
            ("codebook", Text),
            ("score", Real),
            ("evidence", Int),
            ("first_start", Int),
            ("first_end", Int),
            ("words", Text),
        ],
        sql: "SELECT d.doc_id, n.narrative, n.label, n.codebook, n.score, n.evidence, n.start, n.end, n.words FROM narratives n JOIN docs d ON d.seq = n.seq ORDER BY n.seq, n.narrative",
    },
];

/// The table called `name`.
pub fn table(name: &str) -> Option<Table> {
    TABLES.iter().copied().find(|t| t.name == name)
}

/// Export formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// One JSON object per row.
    Jsonl,
    /// CSV with a header row.
    Csv,
    /// Apache Parquet (Snappy-compressed row groups).
    Parquet,
}

impl Format {
    /// The file extension.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Jsonl => "jsonl",
            Format::Csv => "csv",
            Format::Parquet => "parquet",
        }
    }
}

/// Rows per Parquet row group.
const ROW_GROUP: usize = 65_536;

enum Column {
    Text(Vec<ByteArray>),
    Int(Vec<i64>),
    Real(Vec<f64>),
    Bool(Vec<bool>),
}

struct ParquetSink<W: Write + Send> {
    writer: SerializedFileWriter<W>,
    columns: Vec<(Column, Vec<i16>)>,
    rows: usize,
}

impl<W: Write + Send> ParquetSink<W> {
    fn new(t: &Table, out: W) -> Result<Self> {
        let fields: Vec<String> = t
            .columns
            .iter()
            .map(|(name, ty)| match ty {
                Text => format!("OPTIONAL BYTE_ARRAY {name} (UTF8);"),
                Int => format!("OPTIONAL INT64 {name};"),
                Real => format!("OPTIONAL DOUBLE {name};"),
                Bool => format!("OPTIONAL BOOLEAN {name};"),
            })
            .collect();
        let schema = parse_message_type(&format!("message {} {{ {} }}", t.name, fields.join(" ")))?;
        let props = WriterProperties::builder()
            .set_compression(Compression::SNAPPY)
            .set_created_by(format!("vigie {}", env!("CARGO_PKG_VERSION")))
            .build();
        Ok(ParquetSink {
            writer: SerializedFileWriter::new(out, Arc::new(schema), Arc::new(props))?,
            columns: t
                .columns
                .iter()
                .map(|(_, ty)| {
                    let c = match ty {
                        Text => Column::Text(Vec::new()),
                        Int => Column::Int(Vec::new()),
                        Real => Column::Real(Vec::new()),
                        Bool => Column::Bool(Vec::new()),
                    };
                    (c, Vec::new())
                })
                .collect(),
            rows: 0,
        })
    }

    fn push(&mut self, row: &rusqlite::Row) -> Result<()> {
        for (i, (col, defs)) in self.columns.iter_mut().enumerate() {
            let v = row.get_ref(i)?;
            if matches!(v, ValueRef::Null) {
                defs.push(0);
                continue;
            }
            defs.push(1);
            match col {
                Column::Text(x) => x.push(ByteArray::from(value_text(v).into_bytes())),
                Column::Int(x) => x.push(v.as_i64().unwrap_or_default()),
                Column::Real(x) => x.push(
                    v.as_f64()
                        .or_else(|_| v.as_i64().map(|n| n as f64))
                        .unwrap_or_default(),
                ),
                Column::Bool(x) => x.push(v.as_i64().map(|n| n != 0).unwrap_or_default()),
            }
        }
        self.rows += 1;
        if self.rows >= ROW_GROUP {
            self.flush()?;
        }
        Ok(())
    }

    fn flush(&mut self) -> Result<()> {
        if self.rows == 0 {
            return Ok(());
        }
        let mut rg = self.writer.next_row_group()?;
        for (col, defs) in self.columns.iter_mut() {
            let Some(mut w) = rg.next_column()? else {
                return Err(Error::msg("parquet: fewer columns than the schema"));
            };
            match col {
                Column::Text(x) => {
                    w.typed::<ByteArrayType>()
                        .write_batch(x, Some(defs), None)?;
                    x.clear();
                }
                Column::Int(x) => {
                    w.typed::<Int64Type>().write_batch(x, Some(defs), None)?;
                    x.clear();
                }
                Column::Real(x) => {
                    w.typed::<DoubleType>().write_batch(x, Some(defs), None)?;
                    x.clear();
                }
                Column::Bool(x) => {
                    w.typed::<BoolType>().write_batch(x, Some(defs), None)?;
                    x.clear();
                }
            }
            defs.clear();
            w.close()?;
        }
        rg.close()?;
        self.rows = 0;
        Ok(())
    }
}

fn value_text(v: ValueRef) -> String {
    match v {
        ValueRef::Text(t) => String::from_utf8_lossy(t).into_owned(),
        ValueRef::Integer(n) => n.to_string(),
        ValueRef::Real(x) => x.to_string(),
        ValueRef::Blob(b) => String::from_utf8_lossy(b).into_owned(),
        ValueRef::Null => String::new(),
    }
}

fn json_value(v: ValueRef, ty: ColType) -> serde_json::Value {
    match (v, ty) {
        (ValueRef::Null, _) => serde_json::Value::Null,
        (ValueRef::Integer(n), Bool) => serde_json::Value::Bool(n != 0),
        (ValueRef::Integer(n), _) => n.into(),
        (ValueRef::Real(x), _) => {
            serde_json::Number::from_f64(x).map_or(serde_json::Value::Null, Into::into)
        }
        (v, _) => value_text(v).into(),
    }
}

impl Store {
    /// Streams one table to `out` in `format`; returns the number of rows written.
    pub fn export<W: Write + Send>(&self, t: &Table, format: Format, out: W) -> Result<u64> {
        let mut st = self.db.prepare(t.sql)?;
        let mut rows = st.query([])?;
        let mut n = 0u64;
        match format {
            Format::Jsonl => {
                let mut out = std::io::BufWriter::new(out);
                while let Some(r) = rows.next()? {
                    out.write_all(b"{")?;
                    for (i, (name, ty)) in t.columns.iter().enumerate() {
                        if i > 0 {
                            out.write_all(b",")?;
                        }
                        serde_json::to_writer(&mut out, name)?;
                        out.write_all(b":")?;
                        serde_json::to_writer(&mut out, &json_value(r.get_ref(i)?, *ty))?;
                    }
                    out.write_all(b"}\n")?;
                    n += 1;
                }
                out.flush()?;
            }
            Format::Csv => {
                let mut w = csv::Writer::from_writer(out);
                w.write_record(t.columns.iter().map(|c| c.0))?;
                while let Some(r) = rows.next()? {
                    for i in 0..t.columns.len() {
                        w.write_field(value_text(r.get_ref(i)?))?;
                    }
                    w.write_record(None::<&[u8]>)?;
                    n += 1;
                }
                w.flush()?;
            }
            Format::Parquet => {
                let mut sink = ParquetSink::new(t, out)?;
                while let Some(r) = rows.next()? {
                    sink.push(r)?;
                    n += 1;
                }
                sink.flush()?;
                sink.writer.close()?;
            }
        }
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_table_has_a_valid_parquet_schema() {
        for t in TABLES {
            let sink = ParquetSink::new(&t, Vec::new());
            assert!(sink.is_ok(), "{}", t.name);
        }
        assert!(table("quotes").is_some());
        assert!(table("nope").is_none());
    }
}
