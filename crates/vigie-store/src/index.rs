//! The full-text index (tantivy): one entry per document (its latest version), with French and
//! English analysers, facets for the search filters and day ranges for date filters.

use crate::{Error, Result};
use std::path::Path;
use std::sync::{Arc, Mutex, PoisonError};
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::Column;
use tantivy::schema::{
    Facet, FacetOptions, Field, IndexRecordOption, NumericOptions, Schema, TextFieldIndexing,
    TextOptions, STRING,
};
use tantivy::tokenizer::{
    AsciiFoldingFilter, Language, LowerCaser, RemoveLongFilter, SimpleTokenizer, Stemmer,
    StopWordFilter, TextAnalyzer, TextAnalyzerBuilder, Tokenizer,
};
use tantivy::{
    DocId, Index, IndexReader, IndexWriter, ReloadPolicy, Score, Searcher, SegmentOrdinal,
    SegmentReader, TantivyDocument, Term,
};

/// Languages with their own analyser; other languages use [`ANY`].
pub const LANGS: [&str; 2] = ["fr", "en"];
/// The analyser of languages without stemming: lower case and accent folding only.
pub const ANY: &str = "any";

/// French elided articles and pronouns (`l'armée`, `qu'il`): the tokenizer splits at the
/// apostrophe and this filter drops the elided part, so `l'armée` is found as `armée`.
const FR_ELISIONS: [&str; 14] = [
    "l", "d", "j", "m", "n", "s", "t", "c", "qu", "jusqu", "lorsqu", "puisqu", "quoiqu", "presqu",
];

/// The fields of the index, resolved once.
#[derive(Clone, Copy)]
pub struct Fields {
    /// The document id (for replacing a document's entry with a newer version).
    pub key: Field,
    /// The stored row (`docs.seq`) of the indexed version.
    pub seq: Field,
    /// Title and body per analyser: fr, en, any.
    pub text: [(Field, Field); 3],
    /// Facets: `/lang/fr`, `/outlet/…`, `/affiliation/…`, `/actor/…`, `/speaker/…`, `/narrative/…`.
    pub facet: Field,
    /// Per counted dimension ([`COUNTED`]), the hashed keys ([`key_hash`]) as a multi-valued
    /// fast field: facet counts read these columns instead of the facet dictionary.
    pub counted: [Field; 6],
    /// First day the document's date covers (days since 1970-01-01).
    pub day_lo: Field,
    /// Last day the document's date covers.
    pub day_hi: Field,
}

fn schema() -> Schema {
    let mut b = Schema::builder();
    b.add_text_field("key", STRING);
    b.add_u64_field("seq", NumericOptions::default().set_stored().set_fast());
    for lang in LANGS.iter().chain([&ANY]) {
        let opts = TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(&tokenizer_name(lang))
                .set_index_option(IndexRecordOption::WithFreqsAndPositions),
        );
        b.add_text_field(&format!("title_{lang}"), opts.clone());
        b.add_text_field(&format!("body_{lang}"), opts);
    }
    b.add_facet_field("facet", FacetOptions::default());
    for dim in COUNTED {
        b.add_u64_field(&format!("n_{dim}"), NumericOptions::default().set_fast());
    }
    let day = NumericOptions::default().set_indexed().set_fast();
    b.add_i64_field("day_lo", day.clone());
    b.add_i64_field("day_hi", day);
    b.build()
}

fn tokenizer_name(lang: &str) -> String {
    format!("vigie_{lang}")
}

/// The words of a text: runs of letters and digits shorter than 40 bytes, lower-cased.
fn words() -> TextAnalyzerBuilder<impl Tokenizer> {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(40))
        .filter(LowerCaser)
}

/// The French words that are indexed: without elided parts and stop words.
fn fr_words() -> TextAnalyzerBuilder<impl Tokenizer> {
    words()
        .filter(StopWordFilter::remove(FR_ELISIONS.map(String::from)))
        .filter(StopWordFilter::new(Language::French).expect("French stop words are built in"))
}

/// The English words that are indexed: without stop words.
fn en_words() -> TextAnalyzerBuilder<impl Tokenizer> {
    words()
        .filter(StopWordFilter::remove(["s".to_string(), "t".to_string()]))
        .filter(StopWordFilter::new(Language::English).expect("English stop words are built in"))
}

fn register_tokenizers(index: &Index) {
    let fr = fr_words()
        .filter(Stemmer::new(Language::French))
        .filter(AsciiFoldingFilter)
        .build();
    let en = en_words()
        .filter(Stemmer::new(Language::English))
        .filter(AsciiFoldingFilter)
        .build();
    let any = words().filter(AsciiFoldingFilter).build();
    let t = index.tokenizers();
    t.register(&tokenizer_name("fr"), fr);
    t.register(&tokenizer_name("en"), en);
    t.register(&tokenizer_name(ANY), any);
}

/// The words the analyser of a slot ([`TextIndex::slot`]) indexes, before stemming and accent
/// folding: the same tokens at the same offsets and positions, only their text differs (the
/// two filters drop no token). Finding a text's passages with it spares stemming every word.
pub fn unstemmed_words(slot: usize) -> TextAnalyzer {
    match slot {
        0 => fr_words().build(),
        1 => en_words().build(),
        _ => words().build(),
    }
}

/// The index: opened for reading by every command, for writing by ingest and re-analysis.
pub struct TextIndex {
    /// The tantivy index.
    pub index: Index,
    /// A reader that follows commits.
    pub reader: IndexReader,
    /// Resolved fields.
    pub fields: Fields,
    /// What search reads of the last searcher's segments, by its generation
    /// ([`TextIndex::columns`]).
    columns: Mutex<Option<(u64, Arc<[SegmentColumns]>)>>,
}

/// The fast-field columns search reads in one segment.
#[derive(Clone)]
pub struct SegmentColumns {
    /// The stored row (`docs.seq`) of each entry.
    pub seq: Column<u64>,
    /// The hashed keys of each counted dimension ([`COUNTED`]).
    pub counted: Vec<Column<u64>>,
}

impl TextIndex {
    /// Opens the index in `dir`, creating it when `create` is set and it does not exist.
    pub fn open_or_create(dir: &Path, create: bool) -> Result<TextIndex> {
        let mut exists = dir.join("meta.json").is_file();
        if exists && create {
            // An index written with another layout (an older Vigie) is rebuilt from the
            // database, which holds everything it indexes.
            let current = Index::open_in_dir(dir).map(|i| i.schema() == schema());
            if !matches!(current, Ok(true)) {
                std::fs::remove_dir_all(dir)
                    .map_err(|e| Error::ctx(format!("replacing {}", dir.display()), e))?;
                exists = false;
            }
        }
        let index = if exists {
            Index::open_in_dir(dir)
                .map_err(|e| Error::ctx(format!("opening {}", dir.display()), e))?
        } else if create {
            std::fs::create_dir_all(dir)
                .map_err(|e| Error::from(e).context(format!("creating {}", dir.display())))?;
            match Index::create_in_dir(dir, schema()) {
                // Another writer created it meanwhile (two ingests into a new store): the
                // lock taken next tells which one writes.
                Err(tantivy::TantivyError::IndexAlreadyExists) => Index::open_in_dir(dir)
                    .map_err(|e| Error::from(e).context(format!("opening {}", dir.display())))?,
                made => {
                    made.map_err(|e| Error::from(e).context(format!("creating {}", dir.display())))?
                }
            }
        } else {
            return Err(Error::msg(format!(
                "the full-text index {} is missing: run `vigie check` to rebuild it",
                dir.display()
            )));
        };
        register_tokenizers(&index);
        let s = index.schema();
        let f = |name: &str| {
            s.get_field(name).map_err(|_| {
                Error::msg(format!(
                    "the index at {} was written by another Vigie: run `vigie check` to rebuild it",
                    dir.display()
                ))
            })
        };
        let fields = Fields {
            key: f("key")?,
            seq: f("seq")?,
            text: [
                (f("title_fr")?, f("body_fr")?),
                (f("title_en")?, f("body_en")?),
                (f("title_any")?, f("body_any")?),
            ],
            facet: f("facet")?,
            counted: [
                f("n_lang")?,
                f("n_outlet")?,
                f("n_affiliation")?,
                f("n_actor")?,
                f("n_speaker")?,
                f("n_narrative")?,
            ],
            day_lo: f("day_lo")?,
            day_hi: f("day_hi")?,
        };
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::OnCommitWithDelay)
            .try_into()?;
        Ok(TextIndex {
            index,
            reader,
            fields,
            columns: Mutex::default(),
        })
    }

    /// The columns of each segment of `searcher` (by segment ordinal), opened once per
    /// searcher generation: opening a column looks its name up in the segment's directory.
    pub fn columns(&self, searcher: &Searcher) -> Result<Arc<[SegmentColumns]>> {
        let generation = searcher.generation().generation_id();
        let mut cache = self.columns.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some((g, columns)) = &*cache {
            if *g == generation {
                return Ok(columns.clone());
            }
        }
        let columns = searcher
            .segment_readers()
            .iter()
            .map(|reader| {
                let fast = reader.fast_fields();
                Ok(SegmentColumns {
                    seq: fast.u64("seq")?,
                    counted: COUNTED
                        .iter()
                        .map(|dim| fast.u64(&format!("n_{dim}")))
                        .collect::<tantivy::Result<_>>()?,
                })
            })
            .collect::<Result<Arc<[_]>>>()?;
        *cache = Some((generation, columns.clone()));
        Ok(columns)
    }

    /// Opens an existing index for reading.
    pub fn open(dir: &Path) -> Result<TextIndex> {
        Self::open_or_create(dir, false)
    }

    /// The highest revision the last commit holds (0 for a new index).
    pub fn committed_rev(&self) -> Result<i64> {
        let metas = self.index.load_metas()?;
        Ok(metas
            .payload
            .as_deref()
            .and_then(|p| p.strip_prefix("rev="))
            .and_then(|r| r.parse().ok())
            .unwrap_or(0))
    }

    /// A writer; fails at once when another process (an ingest) holds the index.
    pub fn writer(&self) -> Result<IndexWriter> {
        self.index
            .writer_with_num_threads(1, 200_000_000)
            .map_err(|e| match e {
                tantivy::TantivyError::LockFailure(..) => Error::of(
                    crate::ErrorKind::Busy,
                    "another vigie process is writing to this store; wait for it or stop it",
                ),
                e => e.into(),
            })
    }

    /// The analyser slot (0 fr, 1 en, 2 other) for a language code.
    pub fn slot(lang: &str) -> usize {
        LANGS.iter().position(|l| *l == lang).unwrap_or(2)
    }

    /// Replaces the entry of `d.doc_id` with this version.
    pub fn put(&self, w: &IndexWriter, d: &IndexDoc) -> Result<()> {
        let f = &self.fields;
        w.delete_term(Term::from_field_text(f.key, &d.doc_id));
        let mut doc = TantivyDocument::default();
        doc.add_text(f.key, &d.doc_id);
        doc.add_u64(f.seq, d.seq as u64);
        let (title, body) = f.text[Self::slot(&d.lang)];
        if let Some(t) = &d.title {
            doc.add_text(title, t);
        }
        doc.add_text(body, &d.text);
        for (kind, key) in &d.facets {
            doc.add_facet(f.facet, facet(kind, key));
            if let Some(i) = COUNTED.iter().position(|c| c == kind) {
                doc.add_u64(f.counted[i], key_hash(kind, key) as u64);
            }
        }
        if let Some((lo, hi)) = d.days {
            doc.add_i64(f.day_lo, lo);
            doc.add_i64(f.day_hi, hi);
        }
        w.add_document(doc)?;
        Ok(())
    }

    /// Commits, recording the highest revision now held.
    pub fn commit(w: &mut IndexWriter, rev: i64) -> Result<()> {
        let mut prepared = w.prepare_commit()?;
        prepared.set_payload(&format!("rev={rev}"));
        prepared.commit()?;
        Ok(())
    }
}

/// The facet dimensions counted by search, in the order of [`Fields::counted`].
pub const COUNTED: [&str; 6] = [
    "lang",
    "outlet",
    "affiliation",
    "actor",
    "speaker",
    "narrative",
];

/// A facet key's number: 63 bits of xxh3 of `kind`, a NUL and `key` (stored in `names.h`).
pub fn key_hash(kind: &str, key: &str) -> i64 {
    let mut h = twox_hash::XxHash3_64::new();
    std::hash::Hasher::write(&mut h, kind.as_bytes());
    std::hash::Hasher::write(&mut h, &[0]);
    std::hash::Hasher::write(&mut h, key.as_bytes());
    (std::hash::Hasher::finish(&h) >> 1) as i64
}

/// Counts, per counted dimension, the matching documents of each key hash, reading the
/// columns of [`TextIndex::columns`]. Every segment adds to the same tables, taken back with
/// [`FacetCounts::into_counts`] after the search.
pub struct FacetCounts<'a> {
    columns: &'a [SegmentColumns],
    counts: Arc<Mutex<KeyCounts>>,
    expected: [usize; COUNTED.len()],
}

impl<'a> FacetCounts<'a> {
    /// A collector reading `columns` into `tables` (one per dimension, empty), expecting at
    /// most `expected` keys per dimension (a guess: the tables are sized for it, or for the
    /// values read when there are fewer, and still grow beyond).
    pub fn new(
        columns: &'a [SegmentColumns],
        mut tables: KeyCounts,
        expected: [usize; COUNTED.len()],
    ) -> Self {
        tables.resize_with(COUNTED.len(), KeyCounter::default);
        FacetCounts {
            columns,
            counts: Arc::new(Mutex::new(tables)),
            expected,
        }
    }

    /// The counts, once the search is over.
    pub fn into_counts(self) -> KeyCounts {
        std::mem::take(&mut *self.counts.lock().unwrap_or_else(PoisonError::into_inner))
    }
}

/// Matching documents per key hash, for each counted dimension.
pub type KeyCounts = Vec<KeyCounter>;

/// Documents counted per key hash ([`key_hash`]): an open-addressing table indexed by the
/// hashes themselves, which are uniform already (a hash map would hash them again).
///
/// A table is kept from one search to the next ([`KeyCounter::drain`] empties it as it reads
/// it): it is not allocated, cleared and grown again each time, and it lists the slots in use,
/// so that reading it costs its keys, not its size.
#[derive(Clone, Default)]
pub struct KeyCounter {
    /// (hash, count) slots, [`KeyCounter::EMPTY`] when free; a power of two long.
    slots: Vec<(u64, u32)>,
    /// The slots in use.
    used: Vec<u32>,
}

impl KeyCounter {
    /// A free slot: never a key hash, which has 63 bits.
    const EMPTY: u64 = u64::MAX;

    /// Adds `n` documents to `key`.
    #[inline]
    pub fn add(&mut self, key: u64, n: u32) {
        debug_assert_ne!(key, Self::EMPTY, "key hashes have 63 bits");
        // At most half full, for short probe sequences.
        if 2 * (self.used.len() + 1) > self.slots.len() {
            self.grow();
        }
        let mask = self.slots.len() - 1;
        let mut i = key as usize & mask;
        loop {
            let slot = &mut self.slots[i];
            if slot.0 == key {
                slot.1 += n;
                return;
            }
            if slot.0 == Self::EMPTY {
                *slot = (key, n);
                self.used.push(i as u32);
                return;
            }
            i = (i + 1) & mask;
        }
    }

    /// Makes room for `keys` keys in all, at once rather than by doubling. An empty table
    /// far larger than that is made smaller: its keys would be scattered over more memory.
    pub fn reserve(&mut self, keys: usize) {
        let size = (2 * keys).next_power_of_two().max(16);
        if size > self.slots.len() || (self.used.is_empty() && size * 8 < self.slots.len()) {
            self.resize(size);
        }
    }

    /// Keys counted.
    pub(crate) fn len(&self) -> usize {
        self.used.len()
    }

    #[cold]
    #[inline(never)]
    fn grow(&mut self) {
        self.resize((2 * self.slots.len()).max(16));
    }

    fn resize(&mut self, size: usize) {
        let old = self.drain();
        self.slots = vec![(Self::EMPTY, 0); size];
        for (key, n) in old {
            self.add(key, n);
        }
    }

    /// The keys with their counts, in no order; the table is left empty.
    pub fn drain(&mut self) -> Vec<(u64, u32)> {
        let mut out = Vec::with_capacity(self.used.len());
        for &i in &self.used {
            let slot = &mut self.slots[i as usize];
            out.push(*slot);
            slot.0 = Self::EMPTY;
        }
        self.used.clear();
        out
    }
}

/// [`FacetCounts`] on one segment: the matching documents are gathered, then each column is
/// read for all of them at once (block reads, without a dynamic call per value).
pub struct SegmentFacetCounts {
    columns: Vec<Column<u64>>,
    docs: Vec<DocId>,
    counts: Arc<Mutex<KeyCounts>>,
    expected: [usize; COUNTED.len()],
}

/// Documents whose values are read at once.
const FACET_BLOCK: usize = 1024;

impl Collector for FacetCounts<'_> {
    type Fruit = ();
    type Child = SegmentFacetCounts;

    fn for_segment(
        &self,
        segment: SegmentOrdinal,
        _reader: &SegmentReader,
    ) -> tantivy::Result<SegmentFacetCounts> {
        Ok(SegmentFacetCounts {
            columns: self.columns[segment as usize].counted.clone(),
            docs: Vec::new(),
            counts: self.counts.clone(),
            expected: self.expected,
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    /// Nothing to merge: the segments add to the same tables.
    fn merge_fruits(&self, _: Vec<()>) -> tantivy::Result<()> {
        Ok(())
    }
}

impl SegmentCollector for SegmentFacetCounts {
    type Fruit = ();

    fn collect(&mut self, doc: DocId, _score: Score) {
        self.docs.push(doc);
    }

    fn collect_block(&mut self, docs: &[DocId]) {
        self.docs.extend_from_slice(docs);
    }

    fn harvest(self) {
        let (mut doc_of_row, mut rows, mut values) = (Vec::new(), Vec::new(), Vec::new());
        let mut counts = self.counts.lock().unwrap_or_else(PoisonError::into_inner);
        for ((col, counts), expected) in self
            .columns
            .iter()
            .zip(counts.iter_mut())
            .zip(self.expected)
        {
            for block in self.docs.chunks(FACET_BLOCK) {
                doc_of_row.clear();
                rows.clear();
                col.row_ids_for_docs(block, &mut doc_of_row, &mut rows);
                values.resize(rows.len(), 0);
                col.values.get_vals(&rows, &mut values);
                // Room for the keys expected, at once rather than by doubling.
                counts.reserve((counts.len() + values.len()).min(expected));
                for &v in &values {
                    counts.add(v, 1);
                }
            }
        }
    }
}

/// A facet value: `/kind/key` (slashes inside the key are escaped by tantivy).
pub fn facet(kind: &str, key: &str) -> Facet {
    Facet::from_path([kind, key])
}

/// What the index holds of one document version.
pub struct IndexDoc {
    /// `docs.seq`.
    pub seq: i64,
    /// Document id.
    pub doc_id: String,
    /// Language code.
    pub lang: String,
    /// Headline.
    pub title: Option<String>,
    /// Text.
    pub text: String,
    /// Facet values.
    pub facets: Vec<(String, String)>,
    /// Day range of the date.
    pub days: Option<(i64, i64)>,
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `KeyCounter` counts as a hash map does, through growth and merges.
    #[test]
    fn key_counter_counts() {
        let mut expected: std::collections::HashMap<u64, u32> = Default::default();
        let mut counters = vec![KeyCounter::default(), KeyCounter::default()];
        let mut x = 0x9e37_79b9_7f4a_7c15_u64;
        for i in 0..20_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            // Few distinct keys, some sharing their low bits, all of 63 bits.
            let key = ((x % 3000) << (i % 3 * 20)) >> 1;
            *expected.entry(key).or_default() += 1;
            counters[i % 2].add(key, 1);
        }
        let [mut a, mut b] = <[KeyCounter; 2]>::try_from(counters).ok().unwrap();
        for (key, n) in b.drain() {
            a.add(key, n);
        }
        assert_eq!(b.len(), 0);
        assert_eq!(a.len(), expected.len());
        let size = a.slots.len();
        assert_eq!(
            a.drain()
                .into_iter()
                .collect::<std::collections::HashMap<_, _>>(),
            expected
        );
        // Emptied, and counting again from nothing in the same slots.
        assert_eq!((a.len(), a.slots.len()), (0, size));
        assert!(a.slots.iter().all(|s| s.0 == KeyCounter::EMPTY));
        a.add(5, 2);
        a.add(5, 1);
        assert_eq!(a.drain(), vec![(5, 3)]);
    }
}
