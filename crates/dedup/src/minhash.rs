//! Near-duplicate articles: MinHash signatures over word shingles, banded LSH to find
//! candidates in O(bands) per lookup, then the estimated Jaccard similarity to confirm.

use crate::hash::{fnv1a, mix};
use std::collections::HashMap;
use std::hash::Hash;

/// Number of hash functions in a signature.
pub const NUM_HASHES: usize = 128;
/// LSH bands; `NUM_HASHES / BANDS` rows per band. With 32 × 4 a pair at Jaccard 0.5 is a
/// candidate with probability ≈ 0.87, at 0.8 with ≈ 1.0, at 0.2 with ≈ 0.05.
const BANDS: usize = 32;
const ROWS: usize = NUM_HASHES / BANDS;

/// Words per shingle of [`ArticleIndex::new`] (and of the store's near-duplicate lookup).
pub const SHINGLE: usize = 5;
/// Estimated Jaccard similarity at or above which an article is a near-duplicate: wire
/// copies with a different dateline or an added paragraph stay above it; other stories on the
/// same event fall far below.
pub const DUPLICATE_THRESHOLD: f64 = 0.6;

/// The MinHash signature of a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signature(pub [u64; NUM_HASHES]);

impl Signature {
    /// The signature of `text` over shingles of `shingle` words (lower-cased, punctuation
    /// ignored). A text shorter than one shingle hashes as a single shingle of all its words.
    pub fn of(text: &str, shingle: usize) -> Signature {
        let hashes: Vec<u64> = text
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(word_hash)
            .collect();
        let k = shingle.max(1);
        let mut sig = [u64::MAX; NUM_HASHES];
        let mut add = |sh: &[u64]| {
            let mut h = 0u64;
            for &w in sh {
                h = mix(h ^ w);
            }
            add_shingle(&mut sig, h);
        };
        if hashes.len() < k {
            if !hashes.is_empty() {
                add(&hashes);
            }
        } else {
            for sh in hashes.windows(k) {
                add(sh);
            }
        }
        Signature(sig)
    }

    /// Estimated Jaccard similarity of the two shingle sets.
    pub fn similarity(&self, other: &Signature) -> f64 {
        let same = self
            .0
            .iter()
            .zip(other.0.iter())
            .filter(|(a, b)| a == b && **a != u64::MAX)
            .count();
        same as f64 / NUM_HASHES as f64
    }

    /// A signature from its hash values (as kept in `Doc::text_signature`); `None` when the
    /// count is wrong.
    pub fn from_hashes(h: &[u64]) -> Option<Signature> {
        h.try_into().ok().map(Signature)
    }

    /// Little-endian bytes, for storing the signature beside the article.
    pub fn to_bytes(&self) -> Vec<u8> {
        self.0.iter().flat_map(|v| v.to_le_bytes()).collect()
    }

    /// Reads [`Signature::to_bytes`] back; `None` when the length is wrong.
    pub fn from_bytes(b: &[u8]) -> Option<Signature> {
        if b.len() != NUM_HASHES * 8 {
            return None;
        }
        let mut sig = [0u64; NUM_HASHES];
        for (i, c) in b.chunks_exact(8).enumerate() {
            let mut a = [0u8; 8];
            a.copy_from_slice(c);
            sig[i] = u64::from_le_bytes(a);
        }
        Some(Signature(sig))
    }

    /// The LSH band keys as signed 64-bit integers (one per band, the band's index mixed in),
    /// for a database table `(band, article)`: two signatures sharing a key are candidates.
    pub fn bands(&self) -> Vec<i64> {
        self.band_keys().map(|(_, h)| h as i64).collect()
    }

    /// Whether the signature saw no word at all (an empty text): it matches nothing.
    pub fn is_empty(&self) -> bool {
        self.0.iter().all(|&v| v == u64::MAX)
    }

    fn band_keys(&self) -> impl Iterator<Item = (u8, u64)> + '_ {
        self.0.chunks_exact(ROWS).enumerate().map(|(b, rows)| {
            let mut h = b as u64;
            for &r in rows {
                h = mix(h ^ r);
            }
            (b as u8, h)
        })
    }
}

/// The hash of a word's lower case, as `fnv1a(word.to_lowercase())` (what signatures stored
/// earlier hold), without the allocation for the common ASCII word.
fn word_hash(w: &str) -> u64 {
    if w.is_ascii() {
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        for b in w.bytes() {
            h ^= u64::from(b.to_ascii_lowercase());
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
        h
    } else {
        fnv1a(w.to_lowercase().as_bytes())
    }
}

/// Folds one shingle's hash into the signature: 128 independent mixes, the signature's main
/// cost. With AVX-512 the same arithmetic runs eight lanes at a time (same values).
fn add_shingle(sig: &mut [u64; NUM_HASHES], h: u64) {
    #[cfg(target_arch = "x86_64")]
    {
        if std::arch::is_x86_feature_detected!("avx512f")
            && std::arch::is_x86_feature_detected!("avx512dq")
        {
            // SAFETY: the CPU has the features the function is compiled for.
            unsafe { add_shingle_avx512(sig, h) };
            return;
        }
    }
    add_shingle_portable(sig, h);
}

#[inline(always)]
fn add_shingle_portable(sig: &mut [u64; NUM_HASHES], h: u64) {
    for (slot, seed) in sig.iter_mut().zip(SEEDS.iter()) {
        let v = mix(h ^ seed);
        if v < *slot {
            *slot = v;
        }
    }
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f,avx512dq")]
unsafe fn add_shingle_avx512(sig: &mut [u64; NUM_HASHES], h: u64) {
    add_shingle_portable(sig, h);
}

/// Fixed seeds, so that signatures stay comparable across runs and versions.
const SEEDS: [u64; NUM_HASHES] = {
    let mut s = [0u64; NUM_HASHES];
    let mut i = 0;
    let mut x: u64 = 0x005e_ed0f_d0c5;
    while i < NUM_HASHES {
        x = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = x;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        s[i] = z ^ (z >> 31);
        i += 1;
    }
    s
};

/// An index of article signatures answering "is this text a near-duplicate of one seen?".
///
/// ```
/// use wirecoder_dedup::ArticleIndex;
/// let mut idx: ArticleIndex<u64> = ArticleIndex::new();
/// let a = "Russian forces shelled the city of Kharkiv on Tuesday, killing three civilians \
///          and wounding twelve, the regional governor said in a statement.";
/// idx.insert(1, a);
/// let b = format!("{a} (Reporting by Reuters)");
/// assert_eq!(idx.check(&b).map(|d| d.id), Some(1));
/// assert!(idx.check("Parliament passed the budget after a long debate on Friday.").is_none());
/// ```
#[derive(Debug, Clone)]
pub struct ArticleIndex<I> {
    shingle: usize,
    threshold: f64,
    sigs: Vec<(I, Signature)>,
    bands: HashMap<(u8, u64), Vec<u32>>,
    by_id: HashMap<I, u32>,
}

/// A near-duplicate found by [`ArticleIndex::check`].
#[derive(Debug, Clone, PartialEq)]
pub struct Duplicate<I> {
    /// The article already indexed.
    pub id: I,
    /// Estimated Jaccard similarity of the word shingles.
    pub similarity: f64,
}

impl<I: Clone + Eq + Hash> Default for ArticleIndex<I> {
    fn default() -> Self {
        ArticleIndex::new()
    }
}

impl<I: Clone + Eq + Hash> ArticleIndex<I> {
    /// 5-word shingles, near-duplicate at estimated Jaccard ≥ 0.6 (wire copies with a
    /// different dateline or an added paragraph stay above it; other stories on the same
    /// event fall far below).
    pub fn new() -> Self {
        Self::with_params(SHINGLE, DUPLICATE_THRESHOLD)
    }

    /// Custom shingle length (words) and similarity threshold.
    pub fn with_params(shingle: usize, threshold: f64) -> Self {
        ArticleIndex {
            shingle: shingle.max(1),
            threshold,
            sigs: Vec::new(),
            bands: HashMap::new(),
            by_id: HashMap::new(),
        }
    }

    /// Number of indexed articles.
    pub fn len(&self) -> usize {
        self.sigs.len()
    }

    /// Whether nothing is indexed.
    pub fn is_empty(&self) -> bool {
        self.sigs.is_empty()
    }

    /// The signature this index computes for `text`.
    pub fn signature(&self, text: &str) -> Signature {
        Signature::of(text, self.shingle)
    }

    /// The most similar indexed article at or above the threshold.
    pub fn check(&self, text: &str) -> Option<Duplicate<I>> {
        self.check_signature(&self.signature(text))
    }

    /// [`ArticleIndex::check`] for a precomputed signature.
    pub fn check_signature(&self, sig: &Signature) -> Option<Duplicate<I>> {
        let mut seen: Vec<u32> = Vec::new();
        let mut best: Option<(u32, f64)> = None;
        for key in sig.band_keys() {
            let Some(list) = self.bands.get(&key) else {
                continue;
            };
            for &i in list {
                if seen.contains(&i) {
                    continue;
                }
                seen.push(i);
                let Some((_, s)) = self.sigs.get(i as usize) else {
                    continue;
                };
                let sim = sig.similarity(s);
                if sim >= self.threshold && best.is_none_or(|(_, b)| sim > b) {
                    best = Some((i, sim));
                }
            }
        }
        best.and_then(|(i, sim)| {
            self.sigs.get(i as usize).map(|(id, _)| Duplicate {
                id: id.clone(),
                similarity: sim,
            })
        })
    }

    /// Indexes `text` under `id`; indexing an id again does nothing.
    pub fn insert(&mut self, id: I, text: &str) {
        let sig = self.signature(text);
        self.insert_signature(id, sig);
    }

    /// Indexes a precomputed (e.g. stored) signature.
    pub fn insert_signature(&mut self, id: I, sig: Signature) {
        if self.by_id.contains_key(&id) {
            return;
        }
        let n = self.sigs.len() as u32;
        for key in sig.band_keys() {
            self.bands.entry(key).or_default().push(n);
        }
        self.by_id.insert(id.clone(), n);
        self.sigs.push((id, sig));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fast_paths_give_the_stored_values() {
        // Signatures are persisted: the allocation-free word hash and the wide mixing loop
        // must give what the plain definitions give.
        for w in ["Kyiv", "missiles", "İstanbul", "Straße", "2024"] {
            assert_eq!(word_hash(w), fnv1a(w.to_lowercase().as_bytes()), "{w}");
        }
        for h in [0u64, 1, 0xdead_beef, u64::MAX] {
            let (mut a, mut b) = ([u64::MAX; NUM_HASHES], [u64::MAX; NUM_HASHES]);
            add_shingle(&mut a, h);
            for (slot, seed) in b.iter_mut().zip(SEEDS.iter()) {
                *slot = (*slot).min(mix(h ^ seed));
            }
            assert_eq!(a, b);
        }
    }

    const STORY: &str = "KYIV, Jan 9 (Reuters) - Russia launched dozens of missiles and drones \
        at cities across Ukraine early on Tuesday, killing at least four people and damaging \
        power plants, Ukrainian officials said. The air force said it shot down 18 of the 51 \
        missiles fired overnight, in one of the largest attacks of the winter. President \
        Volodymyr Zelenskiy called for more air defence systems from Western allies.";

    #[test]
    fn wire_copy_with_new_dateline_is_duplicate() {
        let mut idx = ArticleIndex::new();
        idx.insert(7u64, STORY);
        let copy = STORY.replace("KYIV, Jan 9 (Reuters) -", "KYIV (AP) —");
        let d = idx.check(&copy).expect("duplicate");
        assert_eq!(d.id, 7);
        assert!(d.similarity > 0.8, "{}", d.similarity);
    }

    #[test]
    fn updated_version_is_duplicate_other_story_is_not() {
        let mut idx = ArticleIndex::new();
        idx.insert(1u64, STORY);
        let update = STORY.replace("at least four people", "at least six people")
            + " Rescue workers were still searching the rubble in Dnipro.";
        assert_eq!(idx.check(&update).map(|d| d.id), Some(1));
        let other = "WASHINGTON (Reuters) - The U.S. Senate on Tuesday passed a stopgap \
            spending bill to avert a government shutdown, sending the measure to the House, \
            where Republicans remain divided over aid to Ukraine and border security.";
        assert!(idx.check(other).is_none());
    }

    #[test]
    fn signature_round_trips_and_reinsert_is_noop() {
        let mut idx = ArticleIndex::new();
        let s = idx.signature(STORY);
        assert_eq!(Signature::from_bytes(&s.to_bytes()), Some(s.clone()));
        idx.insert_signature(3u64, s.clone());
        idx.insert_signature(3u64, s);
        assert_eq!(idx.len(), 1);
    }
}
