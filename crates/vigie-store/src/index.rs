//! The full-text index (tantivy): one entry per document (its latest version), with French and
//! English analysers, facets for the search filters and day ranges for date filters.

use crate::{Error, Result};
use std::path::Path;
use tantivy::schema::{
    Facet, FacetOptions, Field, IndexRecordOption, NumericOptions, Schema, TextFieldIndexing,
    TextOptions, STRING,
};
use tantivy::tokenizer::{
    AsciiFoldingFilter, Language, LowerCaser, RemoveLongFilter, SimpleTokenizer, Stemmer,
    StopWordFilter, TextAnalyzer,
};
use tantivy::{Index, IndexReader, IndexWriter, ReloadPolicy, TantivyDocument, Term};

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

fn register_tokenizers(index: &Index) {
    let base = || {
        TextAnalyzer::builder(SimpleTokenizer::default())
            .filter(RemoveLongFilter::limit(40))
            .filter(LowerCaser)
    };
    let fr = base()
        .filter(StopWordFilter::remove(FR_ELISIONS.map(String::from)))
        .filter(StopWordFilter::new(Language::French).expect("French stop words are built in"))
        .filter(Stemmer::new(Language::French))
        .filter(AsciiFoldingFilter)
        .build();
    let en = base()
        .filter(StopWordFilter::remove(["s".to_string(), "t".to_string()]))
        .filter(StopWordFilter::new(Language::English).expect("English stop words are built in"))
        .filter(Stemmer::new(Language::English))
        .filter(AsciiFoldingFilter)
        .build();
    let any = base().filter(AsciiFoldingFilter).build();
    let t = index.tokenizers();
    t.register(&tokenizer_name("fr"), fr);
    t.register(&tokenizer_name("en"), en);
    t.register(&tokenizer_name(ANY), any);
}

/// The index: opened for reading by every command, for writing by ingest and re-analysis.
pub struct TextIndex {
    /// The tantivy index.
    pub index: Index,
    /// A reader that follows commits.
    pub reader: IndexReader,
    /// Resolved fields.
    pub fields: Fields,
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
                .map_err(|e| Error::ctx(format!("creating {}", dir.display()), e))?;
            Index::create_in_dir(dir, schema())
                .map_err(|e| Error::ctx(format!("creating {}", dir.display()), e))?
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
        })
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
                tantivy::TantivyError::LockFailure(..) => Error::msg(
                    "another Vigie process is writing to this store (an ingest or a re-analysis); wait for it to finish",
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

/// Counts, per counted dimension, the matching documents of each key hash.
pub struct FacetCounts;

/// [`FacetCounts`] on one segment.
pub struct SegmentFacetCounts {
    columns: Vec<tantivy::columnar::Column<u64>>,
    counts: Vec<rustc_hash::FxHashMap<u64, u32>>,
}

impl tantivy::collector::Collector for FacetCounts {
    type Fruit = Vec<rustc_hash::FxHashMap<u64, u32>>;
    type Child = SegmentFacetCounts;

    fn for_segment(
        &self,
        _segment: tantivy::SegmentOrdinal,
        reader: &tantivy::SegmentReader,
    ) -> tantivy::Result<SegmentFacetCounts> {
        let columns = COUNTED
            .iter()
            .map(|dim| reader.fast_fields().u64(&format!("n_{dim}")))
            .collect::<tantivy::Result<Vec<_>>>()?;
        Ok(SegmentFacetCounts {
            counts: vec![Default::default(); columns.len()],
            columns,
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<Self::Fruit>) -> tantivy::Result<Self::Fruit> {
        let mut out: Self::Fruit = vec![Default::default(); COUNTED.len()];
        for fruit in fruits {
            for (acc, counts) in out.iter_mut().zip(fruit) {
                for (k, n) in counts {
                    *acc.entry(k).or_default() += n;
                }
            }
        }
        Ok(out)
    }
}

impl tantivy::collector::SegmentCollector for SegmentFacetCounts {
    type Fruit = Vec<rustc_hash::FxHashMap<u64, u32>>;

    fn collect(&mut self, doc: tantivy::DocId, _score: tantivy::Score) {
        for (col, counts) in self.columns.iter().zip(&mut self.counts) {
            for v in col.values_for_doc(doc) {
                *counts.entry(v).or_default() += 1;
            }
        }
    }

    fn harvest(self) -> Self::Fruit {
        self.counts
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
