//! Coreference scores as the CoNLL-2012 reference scorer computes them: MUC (links), B³
//! (mentions), CEAF-e (entities, φ₄ with the optimal alignment) and their mean, the CoNLL F1.
//! Key and response may hold different mentions (end-to-end runs): a mention missing from
//! one side counts as a singleton partition there, as in the reference scorer.

use std::collections::HashMap;
use std::hash::Hash;

/// Precision, recall and F1.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Prf {
    /// Precision.
    pub precision: f64,
    /// Recall.
    pub recall: f64,
    /// Harmonic mean.
    pub f1: f64,
}

impl Prf {
    fn new(pn: f64, pd: f64, rn: f64, rd: f64) -> Prf {
        let p = if pd > 0.0 { pn / pd } else { 0.0 };
        let r = if rd > 0.0 { rn / rd } else { 0.0 };
        let f = if p + r > 0.0 {
            2.0 * p * r / (p + r)
        } else {
            0.0
        };
        Prf {
            precision: p,
            recall: r,
            f1: f,
        }
    }
}

/// MUC, B³ and CEAF-e of one response against one key.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct CorefScores {
    /// MUC.
    pub muc: Prf,
    /// B³.
    pub b3: Prf,
    /// CEAF-e.
    pub ceafe: Prf,
}

impl CorefScores {
    /// The CoNLL F1: mean of the three F1s.
    pub fn conll(&self) -> f64 {
        (self.muc.f1 + self.b3.f1 + self.ceafe.f1) / 3.0
    }
}

/// Scores `response` clusters against `key` clusters (each a list of mentions; a mention
/// should sit in one cluster per side).
pub fn score<M: Eq + Hash + Clone>(key: &[Vec<M>], response: &[Vec<M>]) -> CorefScores {
    let kmap = index(key);
    let rmap = index(response);
    let (rn, rd) = muc_half(key, &rmap);
    let (pn, pd) = muc_half(response, &kmap);
    let muc = Prf::new(pn, pd, rn, rd);
    let (rn, rd) = b3_half(key, &rmap);
    let (pn, pd) = b3_half(response, &kmap);
    let b3 = Prf::new(pn, pd, rn, rd);
    let sim = ceafe_sim(key, response, &rmap);
    let ceafe = Prf::new(sim, response.len() as f64, sim, key.len() as f64);
    CorefScores { muc, b3, ceafe }
}

fn index<M: Eq + Hash + Clone>(clusters: &[Vec<M>]) -> HashMap<M, usize> {
    let mut m = HashMap::new();
    for (i, c) in clusters.iter().enumerate() {
        for x in c {
            m.insert(x.clone(), i);
        }
    }
    m
}

/// MUC recall numerator and denominator of `a` against the partition `b`.
fn muc_half<M: Eq + Hash>(a: &[Vec<M>], b: &HashMap<M, usize>) -> (f64, f64) {
    let (mut num, mut den) = (0.0, 0.0);
    for c in a {
        if c.is_empty() {
            continue;
        }
        let mut parts: Vec<usize> = Vec::new();
        let mut twinless = 0usize;
        for x in c {
            match b.get(x) {
                Some(&j) => {
                    if !parts.contains(&j) {
                        parts.push(j)
                    }
                }
                None => twinless += 1,
            }
        }
        num += (c.len() - parts.len() - twinless) as f64;
        den += (c.len() - 1) as f64;
    }
    (num, den)
}

fn b3_half<M: Eq + Hash>(a: &[Vec<M>], b: &HashMap<M, usize>) -> (f64, f64) {
    let (mut num, mut den) = (0.0, 0.0);
    for c in a {
        let mut counts: HashMap<usize, usize> = HashMap::new();
        for x in c {
            if let Some(&j) = b.get(x) {
                *counts.entry(j).or_default() += 1;
            }
        }
        let n = c.len() as f64;
        num += counts.values().map(|&k| (k * k) as f64).sum::<f64>() / n.max(1.0);
        den += n;
    }
    (num, den)
}

/// Total φ₄ similarity of the best one-to-one alignment of key and response entities,
/// solved per connected component (entities sharing mentions) to keep the matrices small.
fn ceafe_sim<M: Eq + Hash>(key: &[Vec<M>], response: &[Vec<M>], rmap: &HashMap<M, usize>) -> f64 {
    // overlaps[(k, r)] = |K ∩ R|
    let mut overlap: HashMap<(usize, usize), usize> = HashMap::new();
    for (i, c) in key.iter().enumerate() {
        for x in c {
            if let Some(&j) = rmap.get(x) {
                *overlap.entry((i, j)).or_default() += 1;
            }
        }
    }
    // union-find over key (0..nk) and response (nk..) entities
    let nk = key.len();
    let mut parent: Vec<usize> = (0..nk + response.len()).collect();
    fn find(p: &mut [usize], mut x: usize) -> usize {
        while p[x] != x {
            p[x] = p[p[x]];
            x = p[x];
        }
        x
    }
    for &(i, j) in overlap.keys() {
        let (a, b) = (find(&mut parent, i), find(&mut parent, nk + j));
        if a != b {
            parent[a] = b;
        }
    }
    let mut comps: HashMap<usize, (Vec<usize>, Vec<usize>)> = HashMap::new();
    for &(i, j) in overlap.keys() {
        let root = find(&mut parent, i);
        let e = comps.entry(root).or_default();
        if !e.0.contains(&i) {
            e.0.push(i);
        }
        if !e.1.contains(&j) {
            e.1.push(j);
        }
    }
    let mut total = 0.0;
    for (ks, rs) in comps.values() {
        let phi = |i: usize, j: usize| -> f64 {
            let o = overlap.get(&(i, j)).copied().unwrap_or(0) as f64;
            2.0 * o / (key[i].len() + response[j].len()) as f64
        };
        if ks.len() == 1 || rs.len() == 1 {
            let best = ks
                .iter()
                .flat_map(|&i| rs.iter().map(move |&j| (i, j)))
                .map(|(i, j)| phi(i, j))
                .fold(0.0, f64::max);
            total += best;
            continue;
        }
        // rows ≤ columns for the assignment solver
        let (rows, cols, flip) = if ks.len() <= rs.len() {
            (ks, rs, false)
        } else {
            (rs, ks, true)
        };
        let m: Vec<Vec<f64>> = rows
            .iter()
            .map(|&a| {
                cols.iter()
                    .map(|&b| if flip { phi(b, a) } else { phi(a, b) })
                    .collect()
            })
            .collect();
        total += max_assignment(&m);
    }
    total
}

/// Maximum-weight assignment of every row to a distinct column (rows ≤ columns): the
/// Hungarian algorithm with potentials, O(rows² · columns).
pub(crate) fn max_assignment(w: &[Vec<f64>]) -> f64 {
    let n = w.len();
    if n == 0 {
        return 0.0;
    }
    let m = w[0].len();
    let inf = f64::INFINITY;
    // 1-based arrays as in the classic formulation; cost = -weight
    let mut u = vec![0.0; n + 1];
    let mut v = vec![0.0; m + 1];
    let mut p = vec![0usize; m + 1];
    let mut way = vec![0usize; m + 1];
    for i in 1..=n {
        p[0] = i;
        let mut j0 = 0;
        let mut minv = vec![inf; m + 1];
        let mut used = vec![false; m + 1];
        loop {
            used[j0] = true;
            let i0 = p[j0];
            let mut delta = inf;
            let mut j1 = 0;
            for j in 1..=m {
                if !used[j] {
                    let cur = -w[i0 - 1][j - 1] - u[i0] - v[j];
                    if cur < minv[j] {
                        minv[j] = cur;
                        way[j] = j0;
                    }
                    if minv[j] < delta {
                        delta = minv[j];
                        j1 = j;
                    }
                }
            }
            for j in 0..=m {
                if used[j] {
                    u[p[j]] += delta;
                    v[j] -= delta;
                } else {
                    minv[j] -= delta;
                }
            }
            j0 = j1;
            if p[j0] == 0 {
                break;
            }
        }
        loop {
            let j1 = way[j0];
            p[j0] = p[j1];
            j0 = j1;
            if j0 == 0 {
                break;
            }
        }
    }
    (1..=m)
        .filter(|&j| p[j] != 0)
        .map(|j| w[p[j] - 1][j - 1])
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cl(s: &[&str]) -> Vec<Vec<char>> {
        s.iter().map(|c| c.chars().collect()).collect()
    }

    fn close(a: f64, b: f64) {
        assert!((a - b).abs() < 1e-4, "{a} vs {b}");
    }

    /// The worked example of Pradhan et al. (2014), "Scoring coreference partitions of
    /// predicted mentions: a reference implementation", Figure 1: key {a,b,c} {d,e,f,g},
    /// response {a,b} {c,d} {f,g,h,i}.
    #[test]
    fn pradhan_2014_example() {
        let s = score(&cl(&["abc", "defg"]), &cl(&["ab", "cd", "fghi"]));
        close(s.muc.recall, 0.4);
        close(s.muc.precision, 0.4);
        close(s.b3.recall, 35.0 / 84.0);
        close(s.b3.precision, 0.5);
        close(s.ceafe.recall, 0.65);
        close(s.ceafe.precision, 1.3 / 3.0);
        close(s.ceafe.f1, 0.52);
    }

    #[test]
    fn identical_partitions_score_one() {
        let k = cl(&["abc", "d", "ef"]);
        let s = score(&k, &k);
        close(s.conll(), 1.0);
    }

    /// All singletons against one big entity: MUC recall 0, B³ precision 1.
    #[test]
    fn singletons_against_one_entity() {
        let s = score(&cl(&["abcd"]), &cl(&["a", "b", "c", "d"]));
        close(s.muc.recall, 0.0);
        close(s.muc.f1, 0.0);
        close(s.b3.precision, 1.0);
        close(s.b3.recall, 0.25);
        // φ₄ of {abcd} and {a} = 2/5; one alignment only
        close(s.ceafe.recall, 0.4);
        close(s.ceafe.precision, 0.1);
    }

    #[test]
    fn hungarian_beats_greedy() {
        // greedy would take 0.9 and then 0.1; the optimum is 0.8 + 0.8
        let w = vec![vec![0.9, 0.8], vec![0.8, 0.1]];
        close(max_assignment(&w), 1.6);
        let w = vec![vec![0.1, 0.5, 0.2]];
        close(max_assignment(&w), 0.5);
    }
}
