//! Query latencies over a built store (not a test: run by `bench/store.py`).
//!
//! `cargo bench -p vigie-store --bench queries -- STORE [--queries N]` samples one- to
//! three-word queries from the stored titles, pairs each with a facet filter (language, actor,
//! narrative, month, outlet) and times `Store::search` (ranked top 10 with snippets and facet
//! counts), then times trends over the whole store, a speaker's quotes and reprints. Prints one
//! JSON object.

use std::path::PathBuf;
use std::time::Instant;
use vigie_store::reprints::ReprintOptions;
use vigie_store::{Filters, Interval, QuoteQuery, Store, TrendBy};

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

fn stats(mut ms: Vec<f64>) -> serde_json::Value {
    ms.sort_by(|a, b| a.total_cmp(b));
    serde_json::json!({
        "n": ms.len(),
        "p50_ms": percentile(&ms, 0.5),
        "p95_ms": percentile(&ms, 0.95),
        "p99_ms": percentile(&ms, 0.99),
        "max_ms": ms.last().copied().unwrap_or(0.0),
    })
}

/// A small deterministic generator (xorshift), so runs sample the same queries.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

fn top_keys(store: &Store, kind: &str, n: usize) -> Vec<String> {
    let mut st = store
        .db()
        .prepare(
            "SELECT key FROM facets WHERE kind = ?1 GROUP BY key ORDER BY count(*) DESC LIMIT ?2",
        )
        .unwrap();
    st.query_map(rusqlite::params![kind, n as i64], |r| r.get(0))
        .unwrap()
        .map(|r| r.unwrap())
        .collect()
}

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    let Some(dir) = args.first().map(PathBuf::from) else {
        eprintln!("usage: cargo bench -p vigie-store --bench queries -- STORE [--queries N]");
        std::process::exit(2);
    };
    let n_queries: usize = args
        .iter()
        .position(|a| a == "--queries")
        .and_then(|i| args.get(i + 1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(500);
    let store = Store::open(&dir).unwrap_or_else(|e| panic!("{e}"));
    let (docs, _) = store.counts().unwrap();

    // Query words: 1-3 consecutive words of 4+ letters from random stored titles.
    let titles: Vec<String> = {
        let mut st = store
            .db()
            .prepare("SELECT title FROM docs WHERE latest = 1 AND title IS NOT NULL")
            .unwrap();
        st.query_map([], |r| r.get(0))
            .unwrap()
            .map(|r| r.unwrap())
            .collect()
    };
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let mut queries = Vec::new();
    while queries.len() < n_queries && !titles.is_empty() {
        let t = &titles[rng.below(titles.len())];
        let words: Vec<&str> = t
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| w.chars().count() >= 4)
            .collect();
        if words.is_empty() {
            continue;
        }
        let len = 1 + rng.below(3).min(words.len() - 1);
        let start = rng.below(words.len() - len + 1);
        queries.push(words[start..start + len].join(" "));
    }
    let actors = top_keys(&store, "actor", 30);
    let narratives = top_keys(&store, "narrative", 10);
    let outlets = top_keys(&store, "outlet", 10);
    let months: Vec<String> = {
        let mut st = store
            .db()
            .prepare(
                "SELECT DISTINCT substr(date, 1, 7) FROM docs WHERE date IS NOT NULL LIMIT 200",
            )
            .unwrap();
        st.query_map([], |r| r.get(0))
            .unwrap()
            .map(|r| r.unwrap())
            .collect()
    };
    let filter = |i: usize, rng: &mut Rng| -> (String, Filters) {
        let mut f = Filters::default();
        let pick = |v: &[String], rng: &mut Rng| v.get(rng.below(v.len())).cloned();
        let label = match i % 5 {
            0 => {
                f.lang = vec!["fr".into()];
                "lang".to_string()
            }
            1 => match pick(&actors, rng) {
                Some(a) => {
                    f.actor = vec![a];
                    "actor".into()
                }
                None => "none".into(),
            },
            2 => match pick(&narratives, rng) {
                Some(n) => {
                    f.narrative = vec![n];
                    "narrative".into()
                }
                None => "none".into(),
            },
            3 => match pick(&months, rng).and_then(|m| m.parse().ok()) {
                Some(m) => {
                    f.from = Some(m);
                    f.to = Some(m);
                    "month".into()
                }
                None => "none".into(),
            },
            _ => match (pick(&outlets, rng), pick(&actors, rng)) {
                (Some(o), _) => {
                    f.outlet = vec![o];
                    "outlet".into()
                }
                // A corpus without outlets (OrangeSum): another actor filter instead.
                (None, Some(a)) => {
                    f.actor = vec![a];
                    "actor".into()
                }
                (None, None) => "none".into(),
            },
        };
        (label, f)
    };

    // Warm-up (page cache, index readers), then the timed runs.
    for q in queries.iter().take(20) {
        store.search(q, &Filters::default(), 10, 0).unwrap();
    }
    let (mut filtered, mut plain) = (Vec::new(), Vec::new());
    let mut by_filter: std::collections::BTreeMap<String, Vec<f64>> = Default::default();
    let mut matched = 0usize;
    for (i, q) in queries.iter().enumerate() {
        let (label, f) = filter(i, &mut rng);
        let t = Instant::now();
        let r = store.search(q, &f, 10, 0).unwrap();
        let ms = t.elapsed().as_secs_f64() * 1e3;
        matched += usize::from(r.total > 0);
        filtered.push(ms);
        by_filter.entry(label).or_default().push(ms);
        let t = Instant::now();
        store.search(q, &Filters::default(), 10, 0).unwrap();
        plain.push(t.elapsed().as_secs_f64() * 1e3);
    }
    let mut trends = serde_json::Map::new();
    for (name, by) in [
        ("narrative", TrendBy::Narrative),
        ("actor", TrendBy::Actor),
        ("speaker", TrendBy::Speaker),
        ("outlet", TrendBy::Outlet),
    ] {
        let mut runs = Vec::new();
        for _ in 0..5 {
            let t = Instant::now();
            store
                .trends(by, Interval::Month, 10, &[], &Filters::default())
                .unwrap();
            runs.push(t.elapsed().as_secs_f64() * 1e3);
        }
        trends.insert(name.into(), stats(runs));
    }
    let speakers = top_keys(&store, "speaker", 5);
    let mut quote_runs = Vec::new();
    for s in &speakers {
        let t = Instant::now();
        store
            .quotes(&QuoteQuery {
                speaker: Some(s.clone()),
                limit: 50,
                ..Default::default()
            })
            .unwrap();
        quote_runs.push(t.elapsed().as_secs_f64() * 1e3);
    }
    let t = Instant::now();
    let clusters = store.reprints(&ReprintOptions::default()).unwrap();
    let reprint_s = t.elapsed().as_secs_f64();
    let out = serde_json::json!({
        "store": dir.display().to_string(),
        "documents": docs,
        "queries": queries.len(),
        "queries_with_results": matched,
        "search_with_facet_filter": stats(filtered),
        "search_by_filter": by_filter.into_iter().map(|(k, v)| (k, stats(v))).collect::<serde_json::Map<_, _>>(),
        "search_without_filter": stats(plain),
        "trends_month": trends,
        "quotes_by_speaker": stats(quote_runs),
        "reprints": {"seconds": reprint_s, "clusters": clusters.len(),
                     "copies": clusters.iter().map(|c| c.copies.len()).sum::<usize>()},
    });
    println!("{}", serde_json::to_string_pretty(&out).unwrap());
}
