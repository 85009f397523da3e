//! Averaged-perceptron part-of-speech tagger (one class per UPOS+XPOS pair), greedy left to
//! right, with a tag dictionary: frequent unambiguous words skip scoring, and every word's
//! ambiguity class (the tags it was seen with) is a feature of it and its neighbours.

use crate::perceptron::{hash_str, mix, Sparse, StrHash, Trainer};
use std::collections::HashMap;

/// Per-word hashed properties, computed once per token.
#[derive(Clone, Copy, Default)]
pub(crate) struct Lex {
    pub lower: u64,
    pub form: u64,
    pub suf2: u64,
    pub suf3: u64,
    pub suf4: u64,
    pub pre1: u64,
    pub pre3: u64,
    pub shape: u64,
    pub sig: u64,
    /// Tag-dictionary class (u16::MAX when ambiguous or unknown).
    pub sure: u16,
}

/// The tag dictionary: lower-cased form → (ambiguity class hash, sure class).
pub(crate) type TagDict = HashMap<String, (u64, u16)>;

/// The hash of a word's shape ("Xxx", "dd.dd"): upper, lower case and digits as `X`, `x`, `d`,
/// other characters as themselves, runs cut at two. Hashed as it is made (no string).
fn shape_hash(w: &str) -> u64 {
    let mut h = StrHash::new();
    let mut last = ' ';
    let mut run = 0;
    for c in w.chars() {
        let k = if c.is_uppercase() {
            'X'
        } else if c.is_lowercase() {
            'x'
        } else if c.is_ascii_digit() {
            'd'
        } else {
            c
        };
        if k == last {
            run += 1;
            if run > 2 {
                continue;
            }
        } else {
            run = 1;
        }
        last = k;
        h.bytes(k.encode_utf8(&mut [0; 4]).as_bytes());
    }
    h.finish()
}

/// Hash of the last `n` characters of `s` (all of it when shorter).
fn suffix_hash(s: &str, n: usize) -> u64 {
    let at = s.char_indices().rev().nth(n - 1).map_or(0, |(i, _)| i);
    hash_str(s.get(at..).unwrap_or(""))
}

/// Hash of the first `n` characters of `s` (all of it when shorter).
fn prefix_hash(s: &str, n: usize) -> u64 {
    let at = s.char_indices().nth(n).map_or(s.len(), |(i, _)| i);
    hash_str(s.get(..at).unwrap_or(""))
}

pub(crate) fn lex(form: &str, dict: &TagDict) -> Lex {
    // ASCII lower-cases byte by byte (`to_lowercase` gives the same for it).
    let lower = if form.is_ascii() {
        form.to_ascii_lowercase()
    } else {
        form.to_lowercase()
    };
    let (sig, sure) = dict.get(&lower).copied().unwrap_or((0, u16::MAX));
    Lex {
        lower: hash_str(&lower),
        form: hash_str(form),
        suf2: suffix_hash(&lower, 2),
        suf3: suffix_hash(&lower, 3),
        suf4: suffix_hash(&lower, 4),
        pre1: hash_str(
            form.get(..form.chars().next().map_or(0, |c| c.len_utf8()))
                .unwrap_or(""),
        ),
        pre3: prefix_hash(&lower, 3),
        shape: shape_hash(form),
        sig,
        sure,
    }
}

const PAD: Lex = Lex {
    lower: 1,
    form: 1,
    suf2: 1,
    suf3: 1,
    suf4: 1,
    pre1: 1,
    pre3: 1,
    shape: 1,
    sig: 1,
    sure: u16::MAX,
};

/// Features of word `i` given the tags already chosen to its left.
pub(crate) fn features(lx: &[Lex], tags: &[u16], i: usize, out: &mut Vec<u64>) {
    out.clear();
    let at = |k: isize| -> &Lex {
        let j = i as isize + k;
        if j < 0 || j as usize >= lx.len() {
            &PAD
        } else {
            &lx[j as usize]
        }
    };
    let tag = |k: usize| -> u64 {
        if i >= k {
            tags[i - k] as u64 + 10
        } else {
            2
        }
    };
    let w = at(0);
    let (p1, p2, n1, n2) = (at(-1), at(-2), at(1), at(2));
    let (t1, t2) = (tag(1), tag(2));
    let mut f = |id: u64, a: u64, b: u64| out.push(mix(mix(id, a), b));
    f(1, 0, 0);
    f(2, w.lower, 0);
    f(3, w.form, 0);
    f(4, w.suf3, 0);
    f(5, w.suf2, 0);
    f(6, w.suf4, 0);
    f(7, w.pre1, 0);
    f(8, w.pre3, 0);
    f(9, w.shape, 0);
    f(10, w.sig, 0);
    f(11, t1, 0);
    f(12, t2, 0);
    f(13, t1, t2);
    f(14, t1, w.lower);
    f(15, p1.lower, 0);
    f(16, p1.suf3, 0);
    f(17, p2.lower, 0);
    f(18, n1.lower, 0);
    f(19, n1.suf3, 0);
    f(20, n2.lower, 0);
    f(21, n1.sig, 0);
    f(22, n2.sig, 0);
    f(23, p1.lower, w.lower);
    f(24, w.lower, n1.lower);
    f(25, t1, n1.sig);
    f(26, w.sig, n1.sig);
    f(27, t1, w.sig);
    f(28, n1.shape, 0);
    f(29, p1.shape, w.shape);
    f(30, (i == 0) as u64, w.shape);
    f(31, t1, w.suf3);
    f(32, w.sig, n1.lower);
    f(33, p1.lower, n1.lower);
    f(34, t2, w.lower);
    f(35, n1.suf2, w.sig);
    f(36, t1, n1.lower);
    f(37, w.suf3, n1.sig);
}

/// Tag classes of a sentence.
pub(crate) fn tag(model: &Sparse, lx: &[Lex]) -> Vec<u16> {
    let mut tags = Vec::with_capacity(lx.len());
    let mut feats = Vec::with_capacity(40);
    let mut scores = vec![0i32; model.classes];
    for i in 0..lx.len() {
        if lx[i].sure != u16::MAX {
            tags.push(lx[i].sure);
            continue;
        }
        features(lx, &tags, i, &mut feats);
        model.score(&feats, &mut scores);
        tags.push(argmax_i32(&scores) as u16);
    }
    tags
}

pub(crate) fn argmax_i32(s: &[i32]) -> usize {
    let mut best = 0;
    for (k, &v) in s.iter().enumerate() {
        if v > s[best] {
            best = k;
        }
    }
    best
}

/// Build the tag dictionary from (lower form, class) counts.
pub(crate) fn build_dict(counts: &HashMap<String, HashMap<u16, u32>>) -> TagDict {
    let mut d = TagDict::new();
    for (w, cs) in counts {
        let total: u32 = cs.values().sum();
        let mut seen: Vec<(u16, u32)> = cs.iter().map(|(&k, &v)| (k, v)).collect();
        seen.sort();
        let mut sig = 0x1234u64;
        for &(k, v) in &seen {
            if v * 20 >= total {
                sig = mix(sig, k as u64 + 1);
            }
        }
        let best = seen.iter().max_by_key(|&&(k, v)| (v, std::cmp::Reverse(k)));
        let sure = match best {
            Some(&(k, v)) if total >= 20 && (v as f64) >= 0.997 * total as f64 => k,
            _ => u16::MAX,
        };
        if total >= 2 || sure != u16::MAX {
            d.insert(w.clone(), (sig, sure));
        }
    }
    d
}

/// Train on sentences of (lexes, gold classes).
pub(crate) fn train(
    data: &[(Vec<Lex>, Vec<u16>)],
    classes: usize,
    epochs: usize,
    bits: u32,
    log: &mut dyn FnMut(String),
) -> Sparse {
    let mut t = Trainer::new(bits.clamp(8, 26), classes);
    let mut order: Vec<usize> = (0..data.len()).collect();
    let mut rng = crate::Rng(0x5eed);
    let mut feats = Vec::with_capacity(40);
    let mut scores = vec![0f32; classes];
    for ep in 0..epochs {
        rng.shuffle(&mut order);
        let (mut right, mut total) = (0usize, 0usize);
        for &si in &order {
            let (lx, gold) = &data[si];
            let mut tags: Vec<u16> = Vec::with_capacity(lx.len());
            for (i, &g) in gold.iter().enumerate().take(lx.len()) {
                // Train on every word, sure or not, so the model also covers dictionary words
                // that appear in unusual contexts in other text.
                features(lx, &tags, i, &mut feats);
                t.score(&feats, &mut scores);
                let mut best = 0;
                for k in 0..classes {
                    if scores[k] > scores[best] {
                        best = k;
                    }
                }
                let g = g as usize;
                t.update(&feats, g, best, 1.0);
                t.tick();
                total += 1;
                right += (best == g) as usize;
                tags.push(best as u16);
            }
        }
        log(format!(
            "tagger epoch {}: train accuracy {:.2}%",
            ep + 1,
            100.0 * right as f64 / total.max(1) as f64
        ));
    }
    t.freeze(0.0)
}
