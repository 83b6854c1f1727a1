//! MinHash signatures over word shingles, and LSH banding to find near-duplicate candidates.
//!
//! A document's shingles are its overlapping runs of [`SHINGLE`] words (lower-cased, letters and
//! digits only), hashed to 64 bits. The signature keeps, for each of [`PERMUTATIONS`] hash
//! functions, the smallest hashed shingle. Two signatures agree at one position with
//! probability equal to the Jaccard similarity of the shingle sets.

use rustc_hash::FxHashSet;
use std::hash::{BuildHasher, Hasher};

/// Words per shingle.
pub const SHINGLE: usize = 3;
/// Number of hash functions (signature length).
pub const PERMUTATIONS: usize = 128;
/// Bytes of a stored signature: 16-bit minima (b-bit MinHash: a chance collision of two
/// 16-bit values adds 1/65536 to a Jaccard estimate, far below its sampling error).
pub const SIGNATURE_BYTES: usize = PERMUTATIONS * 2;
/// Documents with fewer shingles get no signature: too short to call anything a copy.
pub const MIN_SHINGLES: usize = 8;

/// The distinct hashed shingles of a text.
pub fn shingles(text: &str) -> FxHashSet<u64> {
    let mut words: Vec<u64> = Vec::with_capacity(text.len() / 6);
    let mut cur = String::new();
    let flush = |cur: &mut String, words: &mut Vec<u64>| {
        if !cur.is_empty() {
            words.push(word_hash(cur));
            cur.clear();
        }
    };
    for c in text.chars() {
        if c.is_alphanumeric() {
            cur.extend(c.to_lowercase());
        } else {
            flush(&mut cur, &mut words);
        }
    }
    flush(&mut cur, &mut words);
    let mut out = FxHashSet::default();
    if words.len() < SHINGLE {
        return out;
    }
    out.reserve(words.len());
    for w in words.windows(SHINGLE) {
        let mut h = 0x9e37_79b9_7f4a_7c15u64;
        for &x in w {
            h = mix(h ^ x);
        }
        out.insert(h);
    }
    out
}

fn word_hash(w: &str) -> u64 {
    let mut h = rustc_hash::FxBuildHasher.build_hasher();
    h.write(w.as_bytes());
    mix(h.finish())
}

/// A 64-bit finaliser (splitmix64): spreads every input bit over the output.
const fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// Multiply-shift hash functions: odd multipliers and offsets, one pair per permutation.
const COEFFS: [(u64, u64); PERMUTATIONS] = {
    let mut c = [(0u64, 0u64); PERMUTATIONS];
    let mut i = 0;
    while i < PERMUTATIONS {
        c[i] = (mix(i as u64 * 2 + 1) | 1, mix(i as u64 * 2 + 2));
        i += 1;
    }
    c
};

/// The MinHash signature of a shingle set (`None` when it has fewer than [`MIN_SHINGLES`]).
pub fn signature(shingles: &FxHashSet<u64>) -> Option<Vec<u16>> {
    if shingles.len() < MIN_SHINGLES {
        return None;
    }
    let mut sig = vec![u16::MAX; PERMUTATIONS];
    for &s in shingles {
        for (slot, &(a, b)) in sig.iter_mut().zip(COEFFS.iter()) {
            let v = (s.wrapping_mul(a).wrapping_add(b) >> 48) as u16;
            if v < *slot {
                *slot = v;
            }
        }
    }
    Some(sig)
}

/// Signature to bytes (little-endian), as stored in the `docs.minhash` column.
pub fn to_bytes(sig: &[u16]) -> Vec<u8> {
    sig.iter().flat_map(|v| v.to_le_bytes()).collect()
}

/// Bytes back to a signature; `None` if the length is wrong (a damaged row).
pub fn from_bytes(b: &[u8]) -> Option<Vec<u16>> {
    (b.len() == SIGNATURE_BYTES).then(|| {
        b.chunks_exact(2)
            .map(|c| u16::from_le_bytes([c[0], c[1]]))
            .collect()
    })
}

/// Estimated Jaccard similarity of two signatures.
pub fn jaccard(a: &[u16], b: &[u16]) -> f64 {
    let same = a.iter().zip(b).filter(|(x, y)| x == y).count();
    same as f64 / a.len().max(1) as f64
}

/// Exact overlap of two shingle sets: |A ∩ B| / min(|A|, |B|). A copy that drops paragraphs
/// or adds a header keeps a high overlap where its Jaccard similarity falls.
pub fn overlap(a: &FxHashSet<u64>, b: &FxHashSet<u64>) -> f64 {
    let (small, large) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    if small.is_empty() {
        return 0.0;
    }
    small.iter().filter(|s| large.contains(s)).count() as f64 / small.len() as f64
}

/// Exact Jaccard similarity of two shingle sets.
pub fn exact_jaccard(a: &FxHashSet<u64>, b: &FxHashSet<u64>) -> f64 {
    let inter = a.iter().filter(|s| b.contains(s)).count();
    let union = a.len() + b.len() - inter;
    if union == 0 {
        0.0
    } else {
        inter as f64 / union as f64
    }
}

/// LSH banding: the signature cut into `BANDS` bands of `ROWS` values; two documents that
/// agree on a whole band are candidates. With 64 bands of 2 rows a pair of Jaccard 0.2 is a
/// candidate with probability 0.93, 0.3 with 0.998: copies that cut paragraphs and add a
/// header are found, and the estimate and the exact check weed out the rest.
pub const BANDS: usize = 64;
/// Values per band.
pub const ROWS: usize = 2;

/// The band keys of a signature (band number mixed in, so equal keys mean the same band).
pub fn band_keys(sig: &[u16]) -> impl Iterator<Item = u64> + '_ {
    (0..BANDS).map(move |b| {
        let mut h = mix(b as u64);
        for &v in &sig[b * ROWS..(b + 1) * ROWS] {
            h = mix(h ^ u64::from(v));
        }
        h
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const A: &str =
        "Le ministre malien de la Défense a salué la coopération militaire avec la Russie, \
        un partenaire stratégique constant et sincère, lors d'un entretien accordé à l'agence. \
        Il a ajouté que les forces internationales n'avaient pas ramené la sécurité au Sahel.";

    #[test]
    fn identical_texts_have_identical_signatures() {
        let s = shingles(A);
        assert_eq!(signature(&s), signature(&shingles(A)));
        assert_eq!(overlap(&s, &s), 1.0);
    }

    #[test]
    fn a_copy_with_a_header_keeps_its_overlap() {
        let copy = format!("Publié par Le Site Miroir. Tous droits réservés. {A}");
        let (a, b) = (shingles(A), shingles(&copy));
        assert_eq!(overlap(&a, &b), 1.0);
        assert!(exact_jaccard(&a, &b) < 1.0);
        let est = jaccard(&signature(&a).unwrap(), &signature(&b).unwrap());
        assert!((est - exact_jaccard(&a, &b)).abs() < 0.15, "{est}");
    }

    #[test]
    fn unrelated_texts_are_far_apart() {
        let b =
            "Le gouvernement a annoncé une hausse des salaires des soignants dans les hôpitaux \
            publics après une réunion avec les syndicats jeudi soir à Paris.";
        let (sa, sb) = (
            signature(&shingles(A)).unwrap(),
            signature(&shingles(b)).unwrap(),
        );
        assert!(jaccard(&sa, &sb) < 0.1);
        assert!(sa.iter().zip(&sb).filter(|(x, y)| x == y).count() < 10);
        assert_eq!(from_bytes(&to_bytes(&sa)).unwrap(), sa);
    }

    #[test]
    fn short_texts_get_no_signature() {
        assert!(signature(&shingles("Trois petits mots")).is_none());
        assert!(signature(&shingles("")).is_none());
    }
}
