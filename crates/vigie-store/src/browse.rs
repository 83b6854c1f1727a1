//! Browsing the store: the values of a facet with their document counts, the actor network
//! (who quotes or mentions whom), and the store's revision (for callers that cache results).

use crate::query::{Filters, MAX_PAGE};
use crate::{Result, Store};
use rusqlite::{params_from_iter, types::Value};
use rustc_hash::FxHashMap;
use serde::Serialize;

/// One value of a facet.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FacetValue {
    /// Facet key (`country:RU`, a speaker's name, a narrative id, an outlet).
    pub key: String,
    /// Display name.
    pub name: String,
    /// Documents (latest versions) carrying it.
    pub count: u64,
}

/// A page of a facet's values, most frequent first.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FacetList {
    /// The facet kind (`actor`, `speaker`, `narrative`, `outlet`, `lang`, `affiliation`).
    pub kind: String,
    /// Values matching the name filter, in all pages.
    pub total: u64,
    /// This page.
    pub items: Vec<FacetValue>,
}

/// A node of the actor network.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Node {
    /// Actor id (`person:sadio-camara`), or a speaker's name when no actor is known, or an
    /// outlet.
    pub id: String,
    /// Display name.
    pub name: String,
    /// `speaker`, `actor` or `outlet`: what the node is first seen as.
    pub kind: String,
    /// Quotes on the node's edges, in both directions.
    pub weight: u64,
}

/// An edge of the actor network.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Edge {
    /// The speaker (for `mentions`) or the outlet (for `quotes`).
    pub source: String,
    /// The actor mentioned (for `mentions`) or the speaker quoted (for `quotes`).
    pub target: String,
    /// `mentions`: the source mentions the target inside its quotes; `quotes`: the source
    /// outlet quotes the target.
    pub kind: String,
    /// Number of quotes.
    pub weight: u64,
}

/// Who quotes or mentions whom, weighted by the number of quotes.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Network {
    /// The nodes of the edges kept.
    pub nodes: Vec<Node>,
    /// The heaviest edges, heaviest first.
    pub edges: Vec<Edge>,
    /// Filter values that matched nothing in the store.
    pub unknown: Vec<String>,
}

impl Store {
    /// The store's revision: it grows with every write (new documents, versions, analyses).
    pub fn revision(&self) -> Result<i64> {
        Ok(self.db.query_row(
            "SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'rev'",
            [],
            |r| r.get(0),
        )?)
    }

    /// The values of facet `kind` by document count, optionally those whose name or key
    /// contains `name` (any case).
    pub fn facet_values(
        &self,
        kind: &str,
        name: Option<&str>,
        limit: usize,
        offset: usize,
    ) -> Result<FacetList> {
        let pattern = name
            .map(str::trim)
            .filter(|n| !n.is_empty())
            .map(|n| format!("%{}%", crate::query::like_escape(n)));
        // The names first (every facet key has one): a name filter then narrows the keys
        // before any facet row is counted.
        let filter = if pattern.is_some() {
            " AND (n.name LIKE ?2 ESCAPE '\\' OR n.key LIKE ?2 ESCAPE '\\')"
        } else {
            " AND ?2 IS NULL"
        };
        let counted = format!(
            "SELECT n.key, n.name, (SELECT count(*) FROM facets f WHERE f.kind = n.kind AND f.key = n.key) AS c \
             FROM names n WHERE n.kind = ?1{filter}"
        );
        let total: i64 = self
            .db
            .prepare_cached(&format!("SELECT count(*) FROM ({counted}) WHERE c > 0"))?
            .query_row(rusqlite::params![kind, pattern], |r| r.get(0))?;
        let mut st = self.db.prepare_cached(&format!(
            "SELECT key, name, c FROM ({counted}) WHERE c > 0 ORDER BY c DESC, key LIMIT ?3 OFFSET ?4"
        ))?;
        let rows = st.query_map(
            rusqlite::params![
                kind,
                pattern,
                limit.min(MAX_PAGE) as i64,
                offset.min(MAX_PAGE) as i64
            ],
            |r| {
                Ok(FacetValue {
                    key: r.get(0)?,
                    name: r.get(1)?,
                    count: r.get::<_, i64>(2)? as u64,
                })
            },
        )?;
        Ok(FacetList {
            kind: kind.to_string(),
            total: total as u64,
            items: rows.collect::<rusqlite::Result<_>>()?,
        })
    }

    /// The actor network of the documents matching `filters`: a speaker mentions an actor
    /// inside a quote (`mentions`), an outlet quotes a speaker (`quotes`). Speakers are their
    /// actor when one is known. Keeps the `limit` heaviest edges of weight `min_weight` or more.
    pub fn network(&self, filters: &Filters, min_weight: u64, limit: usize) -> Result<Network> {
        let mut cond = String::new();
        let mut args: Vec<Value> = Vec::new();
        let unknown = self.filter_sql(filters, "q.seq", "d", &mut cond, &mut args)?;
        let min = i64::try_from(min_weight.max(1)).unwrap_or(i64::MAX);
        let limit = limit.min(MAX_PAGE) as i64;
        let mut edges: Vec<Edge> = Vec::new();
        let mut kinds: FxHashMap<String, &'static str> = FxHashMap::default();
        // The speaker's node id: its actor, else its name.
        for (edge_kind, sql) in [
            (
                "mentions",
                format!(
                    "SELECT coalesce(q.speaker_actor, q.speaker) AS src, t.key, count(*) AS w \
                     FROM quote_tags t JOIN quotes q ON q.seq = t.seq AND q.idx = t.idx JOIN docs d ON d.seq = q.seq \
                     WHERE t.kind = 'about' AND q.speaker IS NOT NULL{cond} \
                     GROUP BY src, t.key HAVING w >= ? ORDER BY w DESC, src, t.key LIMIT ?"
                ),
            ),
            (
                "quotes",
                format!(
                    "SELECT d.outlet, coalesce(q.speaker_actor, q.speaker) AS dst, count(*) AS w \
                     FROM quotes q JOIN docs d ON d.seq = q.seq \
                     WHERE q.speaker IS NOT NULL AND d.outlet IS NOT NULL{cond} \
                     GROUP BY d.outlet, dst HAVING w >= ? ORDER BY w DESC, d.outlet, dst LIMIT ?"
                ),
            ),
        ] {
            let mut a = args.clone();
            a.push(Value::Integer(min));
            a.push(Value::Integer(limit));
            let mut st = self.db.prepare_cached(&sql)?;
            let rows = st.query_map(params_from_iter(a), |r| {
                Ok(Edge {
                    source: r.get(0)?,
                    target: r.get(1)?,
                    kind: edge_kind.to_string(),
                    weight: r.get::<_, i64>(2)? as u64,
                })
            })?;
            for e in rows {
                let e = e?;
                let (src_kind, dst_kind) = if edge_kind == "mentions" {
                    ("speaker", "actor")
                } else {
                    ("outlet", "speaker")
                };
                kinds.entry(e.source.clone()).or_insert(src_kind);
                kinds.entry(e.target.clone()).or_insert(dst_kind);
                edges.push(e);
            }
        }
        edges.sort_by(|a, b| {
            b.weight
                .cmp(&a.weight)
                .then_with(|| (&a.kind, &a.source, &a.target).cmp(&(&b.kind, &b.source, &b.target)))
        });
        edges.truncate(limit as usize);
        let mut weight: FxHashMap<&str, u64> = FxHashMap::default();
        for e in &edges {
            *weight.entry(&e.source).or_default() += e.weight;
            *weight.entry(&e.target).or_default() += e.weight;
        }
        let mut nodes = Vec::with_capacity(weight.len());
        for (id, w) in weight {
            let kind = kinds.get(id).copied().unwrap_or("actor");
            // Actor ids have names in the store; speakers without an actor are their name.
            let name = if id.contains(':') {
                self.name_of("actor", id)?
            } else {
                id.to_string()
            };
            nodes.push(Node {
                id: id.to_string(),
                name,
                kind: kind.to_string(),
                weight: w,
            });
        }
        nodes.sort_by(|a, b| b.weight.cmp(&a.weight).then_with(|| a.id.cmp(&b.id)));
        Ok(Network {
            nodes,
            edges,
            unknown,
        })
    }
}
