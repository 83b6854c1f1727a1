//! Reprints: clusters of near-duplicate documents, the earliest publication, and what each
//! copy changed.
//!
//! Candidates come from LSH banding of the stored MinHash signatures; each candidate pair is
//! then verified on the exact shingle sets. The similarity is the overlap |A ∩ B| / min(|A|,
//! |B|): a copy that cuts paragraphs keeps a high overlap. Each outlet's boilerplate (its
//! header, footer, "Lire aussi" and subscription notices: the word triples found in several of
//! its documents) is left out of both sets first, so that a site's wrapping does not hide a
//! copy. Clusters are the connected pairs at or above the threshold.

use crate::facts::decompress_analysis;
use crate::minhash::{self, band_keys};
use crate::{Result, Store};
use rustc_hash::{FxHashMap, FxHashSet};
use serde::Serialize;

/// Default similarity threshold.
pub const DEFAULT_THRESHOLD: f64 = 0.8;

/// Options of a reprint search.
#[derive(Debug, Clone)]
pub struct ReprintOptions {
    /// Minimum overlap of two documents' shingles (0 to 1).
    pub threshold: f64,
    /// Keep only clusters with copies in more than one outlet.
    pub cross_outlet: bool,
    /// Only documents dated inside this day range.
    pub days: Option<(i64, i64)>,
}

impl Default for ReprintOptions {
    fn default() -> Self {
        ReprintOptions {
            threshold: DEFAULT_THRESHOLD,
            cross_outlet: false,
            days: None,
        }
    }
}

/// One document of a cluster.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Member {
    /// Document id.
    pub doc_id: String,
    /// Publishing outlet.
    pub outlet: Option<String>,
    /// Publication date.
    pub date: Option<String>,
    /// Headline.
    pub title: Option<String>,
    /// URL.
    pub url: Option<String>,
}

/// How a copy differs from the original.
#[derive(Debug, Clone, Default, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Changes {
    /// The copy has another title.
    pub title_changed: bool,
    /// Outlets the original credits and the copy does not (attribution removed).
    pub credits_removed: Vec<String>,
    /// Outlets the copy credits and the original does not.
    pub credits_added: Vec<String>,
    /// Paragraphs of the original missing from the copy.
    pub paragraphs_cut: usize,
    /// Paragraphs of the copy absent from the original (headers, footers, additions).
    pub paragraphs_added: usize,
    /// Paragraphs kept with different wording.
    pub paragraphs_reworded: usize,
    /// The kept paragraphs come in another order.
    pub reordered: bool,
    /// The first words of each cut paragraph.
    pub cut: Vec<String>,
    /// The first words of each added paragraph.
    pub added: Vec<String>,
}

/// A copy with its lag, similarity and changes.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Copy {
    /// The copy.
    #[serde(flatten)]
    pub doc: Member,
    /// Days after the original (when both are dated).
    pub lag_days: Option<i64>,
    /// Shingle overlap with the original. A cluster is a chain of pairs at or above the
    /// threshold, so a copy linked through another copy may be less similar to the original.
    pub similarity: f64,
    /// Jaccard similarity with the original.
    pub jaccard: f64,
    /// What changed.
    pub changes: Changes,
}

/// A cluster: the earliest publication and its copies.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Cluster {
    /// The earliest publication (undated documents come last; ties go to the first stored).
    pub original: Member,
    /// The other documents, by date.
    pub copies: Vec<Copy>,
    /// Distinct outlets in the cluster.
    pub outlets: usize,
}

/// Documents of an outlet sampled to learn its boilerplate.
const BOILERPLATE_SAMPLE: usize = 200;

struct Sig {
    seq: i64,
    outlet: Option<String>,
    day: Option<i64>,
    size: usize,
    sig: Vec<u16>,
}

fn find(parent: &mut [usize], mut x: usize) -> usize {
    while parent[x] != x {
        parent[x] = parent[parent[x]];
        x = parent[x];
    }
    x
}

struct Doc {
    member: Member,
    text: String,
    paragraphs: Vec<String>,
    credits: Vec<String>,
}

impl Store {
    /// The word triples that recur in the documents of `outlet`: in at least 3 of a sample of
    /// its documents and 2% of them. A reprinted article appears once per outlet, so its
    /// triples never qualify; a site's header and footer do.
    fn boilerplate(&self, outlet: &str) -> Result<FxHashSet<u64>> {
        let seqs: Vec<i64> = {
            let mut st = self
                .db
                .prepare_cached("SELECT seq FROM facets WHERE kind = 'outlet' AND key = ?1")?;
            let rows = st.query_map([outlet], |r| r.get(0))?;
            rows.collect::<rusqlite::Result<_>>()?
        };
        if seqs.len() < 3 {
            return Ok(FxHashSet::default());
        }
        let step = seqs.len().div_ceil(BOILERPLATE_SAMPLE);
        let sample: Vec<i64> = seqs.into_iter().step_by(step).collect();
        let mut df: FxHashMap<u64, u32> = FxHashMap::default();
        let mut st = self
            .db
            .prepare_cached("SELECT vigie_text(text) FROM docs WHERE seq = ?1")?;
        for &seq in &sample {
            let text: String = st.query_row([seq], |r| r.get(0))?;
            for s in minhash::shingles(&text) {
                *df.entry(s).or_default() += 1;
            }
        }
        let min = 3.max((sample.len() as f64 * 0.02).ceil() as u32);
        Ok(df
            .into_iter()
            .filter(|&(_, n)| n >= min)
            .map(|(s, _)| s)
            .collect())
    }

    fn reprint_doc(&self, seq: i64) -> Result<Doc> {
        let (doc_id, outlet, date, title, url, text, blob) = self
            .db
            .prepare_cached(
                "SELECT doc_id, outlet, date, title, url, vigie_text(text), analysis FROM docs WHERE seq = ?1",
            )?
            .query_row([seq], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get(1)?,
                    r.get(2)?,
                    r.get(3)?,
                    r.get(4)?,
                    r.get::<_, String>(5)?,
                    r.get::<_, Vec<u8>>(6)?,
                ))
            })?;
        let a = decompress_analysis(&blob)?;
        // Paragraph spans and credited outlets only: the span texts are not needed here.
        let starts = crate::facts::char_starts(&text);
        let byte = |cp: usize| starts.get(cp).copied().unwrap_or(text.len());
        let paragraphs = a
            .paragraphs
            .iter()
            .map(|p| text[byte(p.start)..byte(p.end)].to_string())
            .filter(|p| !p.trim().is_empty())
            .collect();
        let mut credits: Vec<String> = a.outlets.credited.iter().map(|o| o.id.clone()).collect();
        credits.sort();
        credits.dedup();
        Ok(Doc {
            member: Member {
                doc_id,
                outlet,
                date,
                title,
                url,
            },
            text,
            paragraphs,
            credits,
        })
    }

    /// Finds clusters of near-duplicate documents.
    pub fn reprints(&self, opts: &ReprintOptions) -> Result<Vec<Cluster>> {
        let (lo, hi) = opts.days.unwrap_or((i64::MIN, i64::MAX));
        let mut sigs: Vec<Sig> = Vec::new();
        {
            let mut st = self.db.prepare(
                "SELECT seq, outlet, day_lo, shingles, minhash FROM docs WHERE latest = 1 AND minhash IS NOT NULL",
            )?;
            let mut rows = st.query([])?;
            while let Some(r) = rows.next()? {
                let day: Option<i64> = r.get(2)?;
                if opts.days.is_some() && !day.is_some_and(|d| d >= lo && d <= hi) {
                    continue;
                }
                let blob: Vec<u8> = r.get(4)?;
                let Some(sig) = minhash::from_bytes(&blob) else {
                    continue;
                };
                sigs.push(Sig {
                    seq: r.get(0)?,
                    outlet: r.get(1)?,
                    day,
                    size: r.get::<_, i64>(3)? as usize,
                    sig,
                });
            }
        }
        // Candidates: documents sharing a band.
        let mut buckets: FxHashMap<u64, Vec<u32>> = FxHashMap::default();
        for (i, s) in sigs.iter().enumerate() {
            for k in band_keys(&s.sig) {
                buckets.entry(k).or_default().push(i as u32);
            }
        }
        let mut pairs: FxHashSet<(u32, u32)> = FxHashSet::default();
        for members in buckets.values().filter(|m| m.len() > 1) {
            for (x, &a) in members.iter().enumerate() {
                for &b in &members[x + 1..] {
                    pairs.insert((a.min(b), a.max(b)));
                }
            }
        }
        drop(buckets);
        // Verification on exact shingle sets without the outlet's boilerplate (computed once
        // per document and outlet).
        let mut shingles: FxHashMap<usize, FxHashSet<u64>> = FxHashMap::default();
        let mut boilerplate: FxHashMap<String, FxHashSet<u64>> = FxHashMap::default();
        let mut text_of =
            |i: usize, shingles: &mut FxHashMap<usize, FxHashSet<u64>>| -> Result<()> {
                if let std::collections::hash_map::Entry::Vacant(slot) = shingles.entry(i) {
                    let text: String = self
                        .db
                        .prepare_cached("SELECT vigie_text(text) FROM docs WHERE seq = ?1")?
                        .query_row([sigs[i].seq], |r| r.get(0))?;
                    let mut set = minhash::shingles(&text);
                    if let Some(o) = &sigs[i].outlet {
                        if !boilerplate.contains_key(o) {
                            let common = self.boilerplate(o)?;
                            boilerplate.insert(o.clone(), common);
                        }
                        let common = &boilerplate[o];
                        let kept: FxHashSet<u64> = set
                            .iter()
                            .filter(|s| !common.contains(s))
                            .copied()
                            .collect();
                        if kept.len() >= minhash::MIN_SHINGLES {
                            set = kept;
                        }
                    }
                    slot.insert(set);
                }
                Ok(())
            };
        let mut parent: Vec<usize> = (0..sigs.len()).collect();
        let mut sorted: Vec<(u32, u32)> = pairs.into_iter().collect();
        sorted.sort_unstable();
        for (a, b) in sorted {
            let (a, b) = (a as usize, b as usize);
            let (sa, sb) = (&sigs[a], &sigs[b]);
            // Overlap estimated from the Jaccard estimate and the set sizes; far pairs skip
            // the exact check.
            let j = minhash::jaccard(&sa.sig, &sb.sig);
            let est =
                j * (sa.size + sb.size) as f64 / ((1.0 + j) * sa.size.min(sb.size).max(1) as f64);
            if est < opts.threshold - 0.35 {
                continue;
            }
            text_of(a, &mut shingles)?;
            text_of(b, &mut shingles)?;
            if minhash::overlap(&shingles[&a], &shingles[&b]) >= opts.threshold {
                let (ra, rb) = (find(&mut parent, a), find(&mut parent, b));
                if ra != rb {
                    parent[ra.max(rb)] = ra.min(rb);
                }
            }
        }
        let mut groups: FxHashMap<usize, Vec<usize>> = FxHashMap::default();
        for i in 0..sigs.len() {
            let r = find(&mut parent, i);
            groups.entry(r).or_default().push(i);
        }
        let mut clusters = Vec::new();
        for (_, mut members) in groups.into_iter().filter(|(_, m)| m.len() > 1) {
            // Documents without an outlet do not count as one more outlet.
            let outlets: FxHashSet<&str> = members
                .iter()
                .filter_map(|&i| sigs[i].outlet.as_deref())
                .collect();
            if opts.cross_outlet && outlets.len() < 2 {
                continue;
            }
            members.sort_by_key(|&i| (sigs[i].day.is_none(), sigs[i].day, sigs[i].seq));
            let first = members[0];
            let orig = self.reprint_doc(sigs[first].seq)?;
            text_of(first, &mut shingles)?;
            let mut copies = Vec::new();
            for &i in &members[1..] {
                let d = self.reprint_doc(sigs[i].seq)?;
                text_of(i, &mut shingles)?;
                let (so, sc) = (&shingles[&first], &shingles[&i]);
                copies.push(Copy {
                    lag_days: sigs[i].day.zip(sigs[first].day).map(|(c, o)| c - o),
                    similarity: round3(minhash::overlap(so, sc)),
                    jaccard: round3(minhash::exact_jaccard(so, sc)),
                    changes: changes(&orig, &d),
                    doc: d.member,
                });
            }
            clusters.push(Cluster {
                original: orig.member,
                copies,
                outlets: outlets.len(),
            });
        }
        clusters.sort_by(|a, b| {
            b.copies
                .len()
                .cmp(&a.copies.len())
                .then_with(|| a.original.date.cmp(&b.original.date))
                .then_with(|| a.original.doc_id.cmp(&b.original.doc_id))
        });
        Ok(clusters)
    }
}

fn round3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

fn head(p: &str) -> String {
    let words: Vec<&str> = p.split_whitespace().take(12).collect();
    let mut s = words.join(" ");
    if p.split_whitespace().count() > 12 {
        s.push('…');
    }
    s
}

fn norm(p: &str) -> String {
    p.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| w.to_lowercase())
        .collect::<Vec<_>>()
        .join(" ")
}

fn para_similarity(a: &(String, FxHashSet<u64>), b: &(String, FxHashSet<u64>)) -> f64 {
    if a.0 == b.0 {
        return 1.0;
    }
    if a.1.is_empty() || b.1.is_empty() {
        return 0.0;
    }
    minhash::exact_jaccard(&a.1, &b.1)
}

/// What a copy changed: title, credits, and paragraphs kept, reworded, cut or added.
fn changes(orig: &Doc, copy: &Doc) -> Changes {
    let prep = |d: &Doc| -> Vec<(String, FxHashSet<u64>)> {
        let paras = if d.paragraphs.is_empty() {
            vec![d.text.clone()]
        } else {
            d.paragraphs.clone()
        };
        paras
            .iter()
            .map(|p| (norm(p), minhash::shingles(p)))
            .collect()
    };
    let (po, pc) = (prep(orig), prep(copy));
    let mut used = vec![false; pc.len()];
    let mut kept_at = Vec::new();
    let mut ch = Changes {
        title_changed: orig.member.title.as_deref().map(norm)
            != copy.member.title.as_deref().map(norm),
        credits_removed: orig
            .credits
            .iter()
            .filter(|c| !copy.credits.contains(c))
            .cloned()
            .collect(),
        credits_added: copy
            .credits
            .iter()
            .filter(|c| !orig.credits.contains(c))
            .cloned()
            .collect(),
        ..Default::default()
    };
    let orig_texts: Vec<&String> = if orig.paragraphs.is_empty() {
        vec![&orig.text]
    } else {
        orig.paragraphs.iter().collect()
    };
    for (k, p) in po.iter().enumerate() {
        let best = pc
            .iter()
            .enumerate()
            .filter(|(j, _)| !used[*j])
            .map(|(j, q)| (j, para_similarity(p, q)))
            // Ties go to the earliest paragraph, so that an identical copy keeps its order.
            .max_by(|a, b| a.1.total_cmp(&b.1).then(b.0.cmp(&a.0)));
        match best {
            Some((j, s)) if s >= 0.3 => {
                used[j] = true;
                kept_at.push(j);
                if s < 0.95 {
                    ch.paragraphs_reworded += 1;
                }
            }
            _ => {
                ch.paragraphs_cut += 1;
                ch.cut.push(head(orig_texts[k]));
            }
        }
    }
    let copy_texts: Vec<&String> = if copy.paragraphs.is_empty() {
        vec![&copy.text]
    } else {
        copy.paragraphs.iter().collect()
    };
    for (j, u) in used.iter().enumerate() {
        if !u {
            ch.paragraphs_added += 1;
            ch.added.push(head(copy_texts[j]));
        }
    }
    ch.reordered = kept_at.windows(2).any(|w| w[0] > w[1]);
    ch
}
