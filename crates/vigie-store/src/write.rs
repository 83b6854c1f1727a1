//! Writing to the store: ingest batches, new versions, re-analysis, index catch-up and checks.

use crate::facts::{DocFacts, Prepared};
use crate::index::{IndexDoc, TextIndex};
use crate::schema::{self, FACT_TABLES};
use crate::{minhash, Error, Result, DB_FILE, INDEX_DIR};
use rusqlite::{params, Connection, OptionalExtension, Transaction};
use std::path::{Path, PathBuf};
use tantivy::IndexWriter;
use vigie_core::{Document, Meta, Origin};

/// Index commits happen at least this often (in documents, or in time, so that searches during
/// an ingest see its batches within seconds); SQLite commits every batch.
const INDEX_COMMIT_DOCS: usize = 8192;
const INDEX_COMMIT_EVERY: std::time::Duration = std::time::Duration::from_secs(2);

/// What happened to the documents of one batch.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct BatchReport {
    /// Documents seen for the first time.
    pub new: usize,
    /// Known documents with a new text or title, stored as a new version.
    pub versions: usize,
    /// Documents already stored with the same content: nothing added.
    pub unchanged: usize,
}

impl std::ops::AddAssign for BatchReport {
    fn add_assign(&mut self, o: BatchReport) {
        self.new += o.new;
        self.versions += o.versions;
        self.unchanged += o.unchanged;
    }
}

/// The store opened for writing. One writer at a time: a second one fails at once.
pub struct Writer {
    dir: PathBuf,
    db: Connection,
    index: TextIndex,
    iw: IndexWriter,
    rev: i64,
    unindexed_commits: usize,
    last_index_commit: std::time::Instant,
    caught_up: usize,
    /// Documents indexed by this writer.
    indexed: u64,
}

/// The current time in UTC, ISO 8601 to the second.
pub fn now_utc() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0);
    let (y, m, d) = vigie_core::civil_from_days(secs.div_euclid(86_400));
    let s = secs.rem_euclid(86_400);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        s / 3600,
        s / 60 % 60,
        s % 60
    )
}

fn insert_facts(tx: &Transaction, seq: i64, f: &DocFacts, days: Option<(i64, i64)>) -> Result<()> {
    let day = days.map(|d| d.0);
    let mut st = tx.prepare_cached(
        "INSERT INTO entities (seq, idx, start, end, label, actor) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?;
    for (i, e) in f.entities.iter().enumerate() {
        st.execute(params![
            seq,
            i as i64,
            e.start as i64,
            e.end as i64,
            e.label,
            e.actor
        ])?;
    }
    let mut st = tx.prepare_cached(
        "INSERT INTO actors (seq, actor, kind, name, country, mentions, start, end) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?;
    for a in &f.actors {
        st.execute(params![
            seq,
            a.actor,
            a.kind,
            a.name,
            a.country,
            a.mentions as i64,
            a.start as i64,
            a.end as i64
        ])?;
    }
    let mut st = tx.prepare_cached(
        "INSERT INTO quotes (seq, idx, kind, start, end, cue, speaker, speaker_actor, speaker_role, speaker_named, mention, mention_start, mention_end, confidence, day_lo, day_hi) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)",
    )?;
    for (i, q) in f.quotes.iter().enumerate() {
        let (m, ms, me) = match &q.mention {
            Some((t, s, e)) => (Some(t.as_str()), Some(*s as i64), Some(*e as i64)),
            None => (None, None, None),
        };
        st.execute(params![
            seq,
            i as i64,
            q.kind,
            q.start as i64,
            q.end as i64,
            q.cue,
            q.speaker,
            q.speaker_actor,
            q.speaker_role,
            q.speaker_named,
            m,
            ms,
            me,
            q.confidence,
            day,
            days.map(|d| d.1)
        ])?;
    }
    let mut st = tx.prepare_cached(
        "INSERT OR IGNORE INTO quote_tags (kind, key, seq, idx) VALUES (?1, ?2, ?3, ?4)",
    )?;
    for (kind, key, i) in &f.quote_tags {
        st.execute(params![kind, key, seq, *i as i64])?;
    }
    let mut st = tx.prepare_cached(
        "INSERT INTO stances (seq, idx, holder, holder_actor, target, target_name, score, evidence, start, end, words) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
    )?;
    for (i, s) in f.stances.iter().enumerate() {
        st.execute(params![
            seq,
            i as i64,
            s.holder,
            s.holder_actor,
            s.target,
            s.target_name,
            s.score,
            s.evidence as i64,
            s.start as i64,
            s.end as i64,
            s.words
        ])?;
    }
    let mut st = tx.prepare_cached(
        "INSERT INTO narratives (seq, narrative, label, codebook, score, evidence, start, end, words) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )?;
    for n in &f.narratives {
        st.execute(params![
            seq,
            n.narrative,
            n.label,
            n.codebook,
            n.score,
            n.evidence as i64,
            n.start as i64,
            n.end as i64,
            n.words
        ])?;
    }
    let mut st = tx.prepare_cached(
        "INSERT OR IGNORE INTO facets (kind, key, seq, day) VALUES (?1, ?2, ?3, ?4)",
    )?;
    for (kind, key) in &f.facets {
        st.execute(params![kind, key, seq, day])?;
    }
    // Display names of facet keys, for filters by name (`--actor Russie`), facet counts (by
    // key hash) and output.
    let mut st = tx.prepare_cached(
        "INSERT OR IGNORE INTO names (kind, key, name, h) VALUES (?1, ?2, ?3, ?4)",
    )?;
    let mut name = |kind: &str, key: &str, display: &str| {
        st.execute(params![
            kind,
            key,
            display,
            crate::index::key_hash(kind, key)
        ])
    };
    for a in &f.actors {
        name("actor", &a.actor, &a.name)?;
    }
    for n in &f.narratives {
        name("narrative", &n.narrative, &n.label)?;
    }
    for (kind, key) in &f.facets {
        if !matches!(*kind, "actor" | "narrative") {
            name(kind, key, key)?;
        }
    }
    Ok(())
}

fn delete_facts(tx: &Transaction, seq: i64) -> Result<()> {
    for t in FACT_TABLES {
        tx.prepare_cached(&format!("DELETE FROM {t} WHERE seq = ?1"))?
            .execute([seq])?;
    }
    Ok(())
}

fn index_doc(seq: i64, doc_id: &str, p: &Prepared) -> IndexDoc {
    IndexDoc {
        seq,
        doc_id: doc_id.to_string(),
        lang: p.lang.clone(),
        title: p.title.clone(),
        text: p.text.clone(),
        facets: p
            .facts
            .facets
            .iter()
            .map(|(k, v)| (k.to_string(), v.clone()))
            .collect(),
        days: p.days,
    }
}

impl Writer {
    /// Opens (or creates) the store in `dir` for writing, and brings the full-text index up to
    /// date with SQLite (after a crash, the index may lag by the batches of its last minutes).
    pub fn open(dir: &Path) -> Result<Writer> {
        Self::open_in(dir).map_err(|e| e.in_store(dir))
    }

    fn open_in(dir: &Path) -> Result<Writer> {
        std::fs::create_dir_all(dir)
            .map_err(|e| Error::from(e).context(format!("creating the store {}", dir.display())))?;
        let db_path = dir.join(DB_FILE);
        let db = Connection::open(&db_path)
            .map_err(|e| Error::from(e).context(format!("opening {}", db_path.display())))?;
        // The index writer's lock is the store's: taken before SQLite is written (which
        // would wait for another writer, then fail with "database is locked"), so that a
        // second writer stops at once.
        db.busy_timeout(std::time::Duration::from_secs(30))?;
        schema::check_writable(&db)?;
        let index = TextIndex::open_or_create(&dir.join(INDEX_DIR), true)?;
        let iw = index.writer()?;
        schema::configure_writer(&db)?;
        let rev: i64 = db.query_row(
            "SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'rev'",
            [],
            |r| r.get(0),
        )?;
        let mut w = Writer {
            dir: dir.to_path_buf(),
            db,
            index,
            iw,
            rev,
            unindexed_commits: 0,
            last_index_commit: std::time::Instant::now(),
            caught_up: 0,
            indexed: 0,
        };
        w.catch_up()?;
        Ok(w)
    }

    /// The store directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// How many documents the last catch-up re-indexed (0 when the index was up to date).
    pub fn caught_up(&self) -> usize {
        self.caught_up
    }

    /// Re-indexes every latest version newer than the index's last commit.
    fn catch_up(&mut self) -> Result<()> {
        let mut from = self.index.committed_rev()?;
        if from > self.rev {
            // The index holds revisions the database does not: rebuild it from the database.
            self.iw.delete_all_documents()?;
            from = 0;
        }
        if from == self.rev {
            return Ok(());
        }
        let mut n = 0;
        {
            let mut st = self.db.prepare(
                "SELECT seq, doc_id, lang, title, vigie_text(text), day_lo, day_hi FROM docs WHERE latest = 1 AND rev > ?1 ORDER BY rev",
            )?;
            let mut facets = self
                .db
                .prepare("SELECT kind, key FROM facets WHERE seq = ?1")?;
            let mut rows = st.query([from])?;
            while let Some(r) = rows.next()? {
                let seq: i64 = r.get(0)?;
                let lo: Option<i64> = r.get(5)?;
                let hi: Option<i64> = r.get(6)?;
                let d = IndexDoc {
                    seq,
                    doc_id: r.get(1)?,
                    lang: r.get::<_, Option<String>>(2)?.unwrap_or_default(),
                    title: r.get(3)?,
                    text: r.get(4)?,
                    facets: facets
                        .query_map([seq], |f| Ok((f.get(0)?, f.get(1)?)))?
                        .collect::<rusqlite::Result<_>>()?,
                    days: lo.zip(hi),
                };
                self.index.put(&self.iw, &d)?;
                n += 1;
            }
        }
        TextIndex::commit(&mut self.iw, self.rev)?;
        self.caught_up = n;
        self.indexed += n as u64;
        Ok(())
    }

    /// Stores a batch in one transaction, then adds it to the index. A document already
    /// stored with the same content adds nothing; a known document (same id, or same URL)
    /// with a new text or title becomes a new version, and its older versions are kept.
    pub fn add_batch(&mut self, batch: Vec<Prepared>) -> Result<BatchReport> {
        self.add_batch_in(batch).map_err(|e| e.in_store(&self.dir))
    }

    fn add_batch_in(&mut self, batch: Vec<Prepared>) -> Result<BatchReport> {
        let mut report = BatchReport::default();
        let mut to_index = Vec::with_capacity(batch.len());
        let now = now_utc();
        let tx = self.db.transaction()?;
        for p in batch {
            // The same document: same URL (feeds without ids get ids from their line numbers,
            // which move), else same id.
            let latest_by = |sql: &str, key: &str| -> Result<Option<(i64, String, i64, String)>> {
                Ok(tx
                    .prepare_cached(sql)?
                    .query_row([key], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
                    .optional()?)
            };
            let mut found = match &p.url {
                Some(url) => latest_by(
                    "SELECT seq, doc_id, version, hash FROM docs WHERE url = ?1 AND latest = 1 LIMIT 1",
                    url,
                )?,
                None => None,
            };
            if found.is_none() {
                found = latest_by(
                    "SELECT seq, doc_id, version, hash FROM docs WHERE doc_id = ?1 AND latest = 1",
                    &p.doc_id,
                )?;
            }
            // Content this document already had (two records of one document in one input
            // flip between them on every run otherwise) adds nothing.
            let known = match &found {
                Some((_, doc_id, _, hash)) => {
                    hash == &p.hash
                        || tx
                            .prepare_cached(
                                "SELECT 1 FROM docs WHERE hash = ?1 AND doc_id = ?2 LIMIT 1",
                            )?
                            .exists([&p.hash, doc_id])?
                }
                None => false,
            };
            if known {
                report.unchanged += 1;
                continue;
            }
            let (doc_id, version) = match found {
                Some((old, doc_id, version, _)) => {
                    tx.prepare_cached("UPDATE docs SET latest = 0 WHERE seq = ?1")?
                        .execute([old])?;
                    delete_facts(&tx, old)?;
                    report.versions += 1;
                    (doc_id, version + 1)
                }
                None => {
                    report.new += 1;
                    (p.doc_id.clone(), 1)
                }
            };
            self.rev += 1;
            tx.prepare_cached(
                "INSERT INTO docs (doc_id, version, latest, rev, hash, title, url, outlet, affiliation, lang, date, day_lo, day_hi, origin, ingested_at, analyzed_by, meta, text, analysis, shingles, minhash) \
                 VALUES (?1, ?2, 1, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20)",
            )?
            .execute(params![
                doc_id,
                version,
                self.rev,
                p.hash,
                p.title,
                p.url,
                p.outlet,
                p.affiliation,
                p.lang,
                p.date,
                p.days.map(|d| d.0),
                p.days.map(|d| d.1),
                p.origin,
                now,
                p.analyzed_by,
                p.meta,
                p.text_z,
                p.analysis,
                p.shingles as i64,
                p.minhash
            ])?;
            let seq = tx.last_insert_rowid();
            insert_facts(&tx, seq, &p.facts, p.days)?;
            to_index.push(index_doc(seq, &doc_id, &p));
        }
        tx.execute(
            "UPDATE meta SET value = ?1 WHERE key = 'rev'",
            [self.rev.to_string()],
        )?;
        tx.commit()?;
        self.index_all(&to_index)?;
        Ok(report)
    }

    fn index_all(&mut self, docs: &[IndexDoc]) -> Result<()> {
        for d in docs {
            self.index.put(&self.iw, d)?;
        }
        self.unindexed_commits += docs.len();
        self.indexed += docs.len() as u64;
        if self.unindexed_commits >= INDEX_COMMIT_DOCS
            || self.last_index_commit.elapsed() >= INDEX_COMMIT_EVERY
        {
            TextIndex::commit(&mut self.iw, self.rev)?;
            self.unindexed_commits = 0;
            self.last_index_commit = std::time::Instant::now();
        }
        Ok(())
    }

    /// The latest versions after `after` (by `seq`), at most `limit`, rebuilt as documents
    /// for re-analysis.
    pub fn latest_documents(&self, after: i64, limit: usize) -> Result<Vec<(i64, Document)>> {
        let mut st = self.db.prepare_cached(
            "SELECT seq, doc_id, meta, origin, vigie_text(text) FROM docs WHERE latest = 1 AND seq > ?1 ORDER BY seq LIMIT ?2",
        )?;
        let rows = st.query_map(params![after, limit as i64], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, String>(4)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (seq, id, meta, origin, text) = row?;
            let meta: Meta = serde_json::from_str(&meta)
                .map_err(|e| Error::ctx(format!("reading the metadata of {id}"), e))?;
            out.push((
                seq,
                Document {
                    id,
                    text,
                    meta,
                    origin: Origin {
                        path: origin,
                        line: None,
                        record: None,
                    },
                },
            ));
        }
        Ok(out)
    }

    /// Replaces the analysis and facts of stored versions (re-analysis), in one transaction.
    pub fn replace_analyses(&mut self, batch: Vec<(i64, Prepared)>) -> Result<usize> {
        self.replace_analyses_in(batch)
            .map_err(|e| e.in_store(&self.dir))
    }

    fn replace_analyses_in(&mut self, batch: Vec<(i64, Prepared)>) -> Result<usize> {
        let mut to_index = Vec::with_capacity(batch.len());
        let tx = self.db.transaction()?;
        for (seq, p) in batch {
            let doc_id: Option<String> = tx
                .prepare_cached("SELECT doc_id FROM docs WHERE seq = ?1 AND latest = 1")?
                .query_row([seq], |r| r.get(0))
                .optional()?;
            let Some(doc_id) = doc_id else { continue };
            delete_facts(&tx, seq)?;
            self.rev += 1;
            tx.prepare_cached(
                "UPDATE docs SET rev = ?2, lang = ?3, outlet = ?4, affiliation = ?5, analyzed_by = ?6, analysis = ?7 WHERE seq = ?1",
            )?
            .execute(params![
                seq,
                self.rev,
                p.lang,
                p.outlet,
                p.affiliation,
                p.analyzed_by,
                p.analysis
            ])?;
            insert_facts(&tx, seq, &p.facts, p.days)?;
            to_index.push(index_doc(seq, &doc_id, &p));
        }
        tx.execute(
            "UPDATE meta SET value = ?1 WHERE key = 'rev'",
            [self.rev.to_string()],
        )?;
        tx.commit()?;
        let n = to_index.len();
        self.index_all(&to_index)?;
        Ok(n)
    }

    /// Commits the index, folds the write-ahead log into the database and waits for index
    /// merges. After a bulk load (this writer indexed a quarter of the index or more), the
    /// index segments are merged into one: a search costs a term lookup, a scorer and a
    /// collector per segment, and takes about a fifth less time on one segment than on five.
    /// Smaller additions leave the merging to tantivy's policy, which merges segments of
    /// similar sizes.
    pub fn finish(self) -> Result<()> {
        let dir = self.dir.clone();
        self.finish_in().map_err(|e| e.in_store(&dir))
    }

    fn finish_in(mut self) -> Result<()> {
        TextIndex::commit(&mut self.iw, self.rev)?;
        self.db
            .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
        let Writer {
            dir,
            iw,
            index,
            indexed,
            ..
        } = self;
        iw.wait_merging_threads()?;
        drop(index);
        // Everything is committed: the merge only makes searches faster, and one that cannot
        // run (another process took the index in the meantime) leaves the store as it is.
        let _ = merge_after_bulk_load(&dir.join(INDEX_DIR), indexed);
        Ok(())
    }

    /// Verifies the store: SQLite integrity, one latest version per document, no orphan
    /// facts, signatures well formed, and the index holding exactly the latest versions.
    /// `deep` also decodes every stored analysis and re-hashes every text.
    pub fn check(self, deep: bool) -> Result<CheckReport> {
        let dir = self.dir.clone();
        self.check_in(deep).map_err(|e| e.in_store(&dir))
    }

    fn check_in(mut self, deep: bool) -> Result<CheckReport> {
        TextIndex::commit(&mut self.iw, self.rev)?;
        let mut problems = Vec::new();
        let integrity: String = self
            .db
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))?;
        if integrity != "ok" {
            problems.push(format!("SQLite integrity check: {integrity}"));
        }
        let count = |sql: &str| -> Result<i64> { Ok(self.db.query_row(sql, [], |r| r.get(0))?) };
        let documents = count("SELECT count(*) FROM docs WHERE latest = 1")?;
        let versions = count("SELECT count(*) FROM docs")?;
        let dup = count(
            "SELECT count(*) FROM (SELECT doc_id FROM docs WHERE latest = 1 GROUP BY doc_id HAVING count(*) > 1)",
        )?;
        if dup > 0 {
            problems.push(format!("{dup} documents have more than one latest version"));
        }
        let orphans_docs = count(
            "SELECT count(*) FROM (SELECT DISTINCT doc_id FROM docs EXCEPT SELECT doc_id FROM docs WHERE latest = 1)",
        )?;
        if orphans_docs > 0 {
            problems.push(format!("{orphans_docs} documents have no latest version"));
        }
        for t in FACT_TABLES {
            let n = count(&format!(
                "SELECT count(*) FROM {t} WHERE seq NOT IN (SELECT seq FROM docs WHERE latest = 1)"
            ))?;
            if n > 0 {
                problems.push(format!("{n} rows of {t} belong to no latest version"));
            }
        }
        let with_facts = count("SELECT count(DISTINCT seq) FROM facets WHERE kind = 'lang'")?;
        if with_facts != documents {
            problems.push(format!(
                "{documents} latest versions but {with_facts} with their facts"
            ));
        }
        let bad_sigs = count(&format!(
            "SELECT count(*) FROM docs WHERE (minhash IS NULL) != (shingles < {}) OR (minhash IS NOT NULL AND length(minhash) != {})",
            minhash::MIN_SHINGLES,
            minhash::SIGNATURE_BYTES
        ))?;
        if bad_sigs > 0 {
            problems.push(format!(
                "{bad_sigs} MinHash signatures missing or malformed"
            ));
        }
        let stored_rev = self.rev;
        let index_rev = self.index.committed_rev()?;
        if index_rev != stored_rev {
            problems.push(format!(
                "the index holds revision {index_rev}, the database {stored_rev}"
            ));
        }
        self.index.reader.reload()?;
        let indexed = self.index.reader.searcher().num_docs();
        if indexed as i64 != documents {
            problems.push(format!(
                "the index holds {indexed} documents, the database {documents} latest versions"
            ));
        }
        let mut decoded = 0;
        if deep {
            let mut st = self
                .db
                .prepare("SELECT seq, doc_id, title, vigie_text(text), hash, analysis FROM docs")?;
            let mut rows = st.query([])?;
            while let Some(r) = rows.next()? {
                let (seq, id): (i64, String) = (r.get(0)?, r.get(1)?);
                let title: Option<String> = r.get(2)?;
                let text: String = r.get(3)?;
                let hash: String = r.get(4)?;
                if crate::facts::content_hash(title.as_deref(), &text) != hash {
                    problems.push(format!(
                        "{id} (row {seq}): the text does not match its hash"
                    ));
                }
                let blob: Vec<u8> = r.get(5)?;
                match crate::facts::decompress_analysis(&blob) {
                    Ok(_) => decoded += 1,
                    Err(e) => problems.push(format!("{id} (row {seq}): {e}")),
                }
            }
        }
        let caught_up = self.caught_up;
        self.finish_in()?;
        Ok(CheckReport {
            documents,
            versions,
            indexed,
            caught_up,
            decoded,
            problems,
        })
    }
}

/// The outcome of [`Writer::check`].
#[derive(Debug, Clone)]
pub struct CheckReport {
    /// Documents (latest versions).
    pub documents: i64,
    /// Stored versions, all documents.
    pub versions: i64,
    /// Documents in the full-text index.
    pub indexed: u64,
    /// Documents the opening re-indexed (an interrupted ingest leaves some).
    pub caught_up: usize,
    /// Analyses decoded (deep check only).
    pub decoded: usize,
    /// Everything found wrong; empty when the store is sound.
    pub problems: Vec<String>,
}

/// Merges the index in `index_dir` into one segment when `indexed` documents are a quarter of
/// it or more, and deletes the merged files. It runs on the index opened anew, apart from the
/// writer's own, whose segment descriptions would keep the merged files living (the files a
/// server's readers still map go when they let them go).
fn merge_after_bulk_load(index_dir: &Path, indexed: u64) -> Result<()> {
    let index = tantivy::Index::open_in_dir(index_dir)
        .map_err(|e| Error::ctx(format!("opening {}", index_dir.display()), e))?;
    // (A segment's files count as living while its description is held: only ids here.)
    let (ids, docs): (Vec<_>, u64) =
        index
            .searchable_segment_metas()?
            .iter()
            .fold((Vec::new(), 0), |(mut ids, docs), s| {
                ids.push(s.id());
                (ids, docs + u64::from(s.num_docs()))
            });
    if ids.len() > 1 && indexed.saturating_mul(4) >= docs {
        let mut iw: IndexWriter = index.writer_with_num_threads(1, 50_000_000)?;
        // No other merge while this one runs.
        iw.set_merge_policy(Box::new(tantivy::indexer::NoMergePolicy));
        iw.merge(&ids).wait()?;
        iw.garbage_collect_files().wait()?;
        iw.wait_merging_threads()?;
    }
    Ok(())
}
