//! Stored texts already inflated, shared by the store handles of one process.
//!
//! A stored version's text never changes (`docs` rows are only added; re-analysis rewrites the
//! analysis, not the text), so a text is kept under its row number (`seq`) with nothing to
//! invalidate. Search reads the texts of its hits to cut their passages, and inflating them
//! is a fifth of its work; a server keeps the texts it has read in a [`TextCache`] instead.

use rustc_hash::FxHashMap;
use std::sync::{Arc, Mutex, PoisonError};

/// Inflated texts by row number, within a budget of bytes.
///
/// Two generations: texts enter the young one, and a text read from the old one moves back
/// to it; when the young one holds half the budget, the old one is dropped and the young one
/// becomes old. The texts read since the last turn stay: close to a least-recently-used list,
/// with no list to maintain. An entry counts its text and 64 bytes.
pub struct TextCache {
    /// The bytes of a generation, at most.
    half: usize,
    gens: Mutex<Generations>,
}

#[derive(Default)]
struct Generations {
    young: FxHashMap<i64, Arc<str>>,
    young_bytes: usize,
    old: FxHashMap<i64, Arc<str>>,
}

impl TextCache {
    /// A cache of at most about `bytes` bytes of text.
    pub fn new(bytes: usize) -> TextCache {
        TextCache {
            half: bytes / 2,
            gens: Mutex::default(),
        }
    }

    /// The text of row `seq`, if kept.
    pub fn get(&self, seq: i64) -> Option<Arc<str>> {
        let mut g = self.gens.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(t) = g.young.get(&seq) {
            return Some(t.clone());
        }
        let t = g.old.remove(&seq)?;
        g.insert(seq, t.clone(), self.half);
        Some(t)
    }

    /// Keeps the text of row `seq` (not one larger than an eighth of the budget).
    pub fn put(&self, seq: i64, text: &str) {
        if cost(text) > self.half / 4 {
            return;
        }
        let text = Arc::from(text);
        let mut g = self.gens.lock().unwrap_or_else(PoisonError::into_inner);
        if !g.young.contains_key(&seq) {
            g.insert(seq, text, self.half);
        }
    }
}

/// The bytes a kept text takes: its own, and about as many again for its entry.
fn cost(text: &str) -> usize {
    text.len() + 64
}

impl Generations {
    fn insert(&mut self, seq: i64, text: Arc<str>, half: usize) {
        if self.young_bytes + cost(&text) > half {
            self.old = std::mem::take(&mut self.young);
            self.young_bytes = 0;
        }
        self.young_bytes += cost(&text);
        self.young.insert(seq, text);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Texts are kept within the budget, the recently read ones first.
    #[test]
    fn keeps_recent_texts_within_budget() {
        let cache = TextCache::new(2000);
        let text = |i: i64| format!("{i:0>100}");
        for i in 0..5 {
            cache.put(i, &text(i));
        }
        // Generations of 1,000 bytes (six texts and their entries): all five are kept.
        assert!((0..5).all(|i| cache.get(i).as_deref() == Some(text(i).as_str())));
        for i in 5..12 {
            // Text 0 is read each time: it stays.
            assert!(cache.get(0).is_some(), "{i}");
            cache.put(i, &text(i));
        }
        assert!(cache.get(1).is_none(), "unread texts go");
        assert_eq!(cache.get(11).as_deref(), Some(text(11).as_str()));
        let g = cache.gens.lock().unwrap();
        let bytes: usize = g
            .young
            .values()
            .chain(g.old.values())
            .map(|t| cost(t))
            .sum();
        assert!(bytes <= 2000, "{bytes}");
        drop(g);
        // A text too large for the budget is not kept.
        cache.put(99, &"x".repeat(200));
        assert!(cache.get(99).is_none());
        assert!(TextCache::new(0).get(0).is_none());
    }
}
