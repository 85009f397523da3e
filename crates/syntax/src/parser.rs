//! Greedy arc-hybrid dependency parser with labelled transitions, an averaged perceptron over
//! rich sparse features, and the dynamic oracle of Goldberg & Nivre (2013) for training.
//!
//! The root is the last buffer item, so a sentence gets exactly one root: the root may take
//! a dependent only when it is the last word on the stack.

use crate::perceptron::{mix, Sparse, Trainer};

const NONE: usize = usize::MAX;

/// What the parser sees of a word.
#[derive(Clone, Copy)]
pub(crate) struct Item {
    pub word: u64,
    pub tag: u64,
}

struct State {
    n: usize,
    stack: Vec<usize>,
    b: usize,
    head: Vec<usize>,
    label: Vec<u8>,
    l1: Vec<usize>,
    l2: Vec<usize>,
    r1: Vec<usize>,
    r2: Vec<usize>,
    nl: Vec<u8>,
    nr: Vec<u8>,
    lset: Vec<u64>,
    rset: Vec<u64>,
}

impl State {
    fn new(n: usize) -> State {
        let m = n + 1;
        State {
            n,
            stack: Vec::with_capacity(n),
            b: 0,
            head: vec![NONE; m],
            label: vec![0; m],
            l1: vec![NONE; m],
            l2: vec![NONE; m],
            r1: vec![NONE; m],
            r2: vec![NONE; m],
            nl: vec![0; m],
            nr: vec![0; m],
            lset: vec![0; m],
            rset: vec![0; m],
        }
    }

    fn done(&self) -> bool {
        self.stack.is_empty() && self.b == self.n
    }

    fn s(&self, k: usize) -> usize {
        if self.stack.len() > k {
            self.stack[self.stack.len() - 1 - k]
        } else {
            NONE
        }
    }

    fn valid(&self, labels: usize, out: &mut [bool]) {
        let shift = self.b < self.n;
        let left = !self.stack.is_empty() && (self.b < self.n || self.stack.len() == 1);
        let right = self.stack.len() >= 2;
        out[0] = shift;
        for l in 0..labels {
            out[1 + l] = left;
            out[1 + labels + l] = right;
        }
    }

    fn arc(&mut self, h: usize, d: usize, l: u8) {
        self.head[d] = h;
        self.label[d] = l;
        if d < h {
            if self.l1[h] == NONE || d < self.l1[h] {
                self.l2[h] = self.l1[h];
                self.l1[h] = d;
            } else if self.l2[h] == NONE || d < self.l2[h] {
                self.l2[h] = d;
            }
            self.nl[h] = self.nl[h].saturating_add(1);
            self.lset[h] = mix(self.lset[h], l as u64 + 1);
        } else {
            if self.r1[h] == NONE || d > self.r1[h] {
                self.r2[h] = self.r1[h];
                self.r1[h] = d;
            } else if self.r2[h] == NONE || d > self.r2[h] {
                self.r2[h] = d;
            }
            self.nr[h] = self.nr[h].saturating_add(1);
            self.rset[h] = mix(self.rset[h], l as u64 + 1);
        }
    }

    fn apply(&mut self, t: usize, labels: usize) {
        if t == 0 {
            self.stack.push(self.b);
            self.b += 1;
        } else if t <= labels {
            if let Some(s0) = self.stack.pop() {
                self.arc(self.b, s0, (t - 1) as u8);
            }
        } else if self.stack.len() >= 2 {
            if let Some(s0) = self.stack.pop() {
                let s1 = self.s(0);
                self.arc(s1, s0, (t - 1 - labels) as u8);
            }
        }
    }

    /// Dynamic-oracle costs of each transition (gold heads use `n` for the root).
    fn costs(&self, gh: &[usize], gl: &[u8], labels: usize, valid: &[bool], out: &mut [u32]) {
        let n = self.n;
        let b = self.b;
        let s0 = self.s(0);
        let s1 = self.s(1);
        let deps_in_buffer = |x: usize| (b..n).filter(|&d| gh[d] == x).count() as u32;
        // SHIFT
        if valid[0] {
            let mut c = 0;
            for (k, &s) in self.stack.iter().enumerate() {
                if gh[s] == b {
                    c += 1;
                }
                if gh[b] == s && k + 1 != self.stack.len() {
                    c += 1;
                }
            }
            out[0] = c;
        }
        if s0 != NONE {
            let deps = deps_in_buffer(s0);
            // LEFT: s0 ← b
            let lc = deps + ((gh[s0] != b) && ((s1 != NONE && gh[s0] == s1) || gh[s0] > b)) as u32;
            for l in 0..labels {
                let wrong = (gh[s0] == b && gl[s0] as usize != l) as u32;
                out[1 + l] = lc + wrong;
            }
            if s1 != NONE {
                let rc = deps + ((gh[s0] != s1) && gh[s0] >= b) as u32;
                for l in 0..labels {
                    let wrong = (gh[s0] == s1 && gl[s0] as usize != l) as u32;
                    out[1 + labels + l] = rc + wrong;
                }
            }
        }
    }
}

fn dist(a: usize, b: usize) -> u64 {
    let d = b.abs_diff(a);
    match d {
        0..=4 => d as u64,
        5..=7 => 5,
        8..=12 => 6,
        _ => 7,
    }
}

fn features(st: &State, items: &[Item], out: &mut Vec<u64>) {
    out.clear();
    let w = |i: usize| if i == NONE { 1 } else { items[i].word };
    let t = |i: usize| if i == NONE { 1 } else { items[i].tag };
    let lab = |i: usize| {
        if i == NONE || st.head[i] == NONE {
            1
        } else {
            st.label[i] as u64 + 7
        }
    };
    let g = |v: &Vec<usize>, i: usize| if i == NONE { NONE } else { v[i] };
    let (s0, s1, s2) = (st.s(0), st.s(1), st.s(2));
    let b0 = st.b;
    let b1 = if b0 < st.n { b0 + 1 } else { NONE };
    let b2 = if b0 + 2 <= st.n { b0 + 2 } else { NONE };
    let b1 = if b1 == st.n { NONE } else { b1 };
    let b2 = if b2 != NONE && b2 >= st.n { NONE } else { b2 };
    let b0x = if b0 == st.n { NONE } else { b0 };
    // The root as b0 is its own "word".
    let (b0w, b0t) = if b0 == st.n { (3, 3) } else { (w(b0), t(b0)) };
    let (s0w, s0t, s1w, s1t, s2t) = (w(s0), t(s0), w(s1), t(s1), t(s2));
    let (b1w, b1t, b2w, b2t) = (w(b1), t(b1), w(b2), t(b2));
    let s0l = g(&st.l1, s0);
    let s0l2 = g(&st.l2, s0);
    let s0r = g(&st.r1, s0);
    let s0r2 = g(&st.r2, s0);
    let s1l = g(&st.l1, s1);
    let s1r = g(&st.r1, s1);
    let b0l = g(&st.l1, b0x);
    let b0l2 = g(&st.l2, b0x);
    let d = if s0 == NONE { 0 } else { dist(s0, b0) + 1 };
    let d1 = if s1 == NONE || s0 == NONE {
        0
    } else {
        dist(s1, s0) + 1
    };
    let nl0 = if s0 == NONE { 9 } else { st.nl[s0] as u64 };
    let nr0 = if s0 == NONE { 9 } else { st.nr[s0] as u64 };
    let nlb = if b0x == NONE { 9 } else { st.nl[b0x] as u64 };
    let ls0 = if s0 == NONE { 1 } else { st.lset[s0] };
    let rs0 = if s0 == NONE { 1 } else { st.rset[s0] };
    let lsb = if b0x == NONE { 1 } else { st.lset[b0x] };
    let mut f = |id: u64, a: u64, b: u64, c: u64| out.push(mix(mix(mix(id, a), b), c));
    f(1, 0, 0, 0);
    // Single words.
    f(2, s0w, 0, 0);
    f(3, s0t, 0, 0);
    f(4, s0w, s0t, 0);
    f(5, b0w, 0, 0);
    f(6, b0t, 0, 0);
    f(7, b0w, b0t, 0);
    f(8, b1w, 0, 0);
    f(9, b1t, 0, 0);
    f(10, b1w, b1t, 0);
    f(11, b2w, b2t, 0);
    f(12, b2t, 0, 0);
    f(13, s1w, 0, 0);
    f(14, s1t, 0, 0);
    f(15, s1w, s1t, 0);
    f(16, s2t, 0, 0);
    // Pairs.
    f(20, mix(s0w, s0t), b0w, b0t);
    f(21, mix(s0w, s0t), b0w, 0);
    f(22, s0w, b0w, b0t);
    f(23, mix(s0w, s0t), b0t, 0);
    f(24, s0t, b0w, b0t);
    f(25, s0w, b0w, 0);
    f(26, s0t, b0t, 0);
    f(27, b0t, b1t, 0);
    f(28, s0t, s1t, 0);
    f(29, s1w, s0w, 0);
    f(30, mix(s1w, s1t), s0t, 0);
    f(31, s1t, mix(s0w, s0t), 0);
    f(32, s1t, b0t, 0);
    f(33, s1w, b0w, 0);
    f(34, mix(s1w, s1t), b0t, 0);
    f(35, s1t, mix(b0w, b0t), 0);
    f(36, s0w, b1w, 0);
    f(37, s0t, b1t, 0);
    f(38, b0w, b1w, 0);
    f(39, b0w, b0t, b1t);
    // Triples.
    f(40, b0t, b1t, b2t);
    f(41, s0t, b0t, b1t);
    f(42, s1t, s0t, b0t);
    f(43, s0t, t(s0l), b0t);
    f(44, s0t, t(s0r), b0t);
    f(45, s0t, b0t, t(b0l));
    f(46, s0t, t(s0l), t(s0l2));
    f(47, s0t, t(s0r), t(s0r2));
    f(48, b0t, t(b0l), t(b0l2));
    f(49, s2t, s1t, s0t);
    f(50, s1t, t(s1r), s0t);
    f(51, s1t, t(s1l), s0t);
    f(52, s1t, s0t, b1t);
    f(53, s0w, s0t, mix(b0t, b1t));
    // Distance.
    f(60, d, s0w, 0);
    f(61, d, s0t, 0);
    f(62, d, b0w, 0);
    f(63, d, b0t, 0);
    f(64, d, s0w, b0w);
    f(65, d, s0t, b0t);
    f(66, d1, s1t, s0t);
    f(67, d1, s1w, s0w);
    // Valency.
    f(70, s0w, nl0, 0);
    f(71, s0t, nl0, 0);
    f(72, s0w, nr0, 0);
    f(73, s0t, nr0, 0);
    f(74, b0w, nlb, 0);
    f(75, b0t, nlb, 0);
    // Children.
    f(80, w(s0l), 0, 0);
    f(81, t(s0l), 0, 0);
    f(82, lab(s0l), 0, 0);
    f(83, w(s0r), 0, 0);
    f(84, t(s0r), 0, 0);
    f(85, lab(s0r), 0, 0);
    f(86, w(b0l), 0, 0);
    f(87, t(b0l), 0, 0);
    f(88, lab(b0l), 0, 0);
    f(89, t(s0l2), lab(s0l2), 0);
    f(90, t(s0r2), lab(s0r2), 0);
    f(91, t(b0l2), lab(b0l2), 0);
    f(92, t(s1r), lab(s1r), 0);
    f(93, t(s1l), lab(s1l), 0);
    f(94, lab(s0), s0t, 0);
    // Label sets.
    f(100, s0w, ls0, 0);
    f(101, s0t, ls0, 0);
    f(102, s0w, rs0, 0);
    f(103, s0t, rs0, 0);
    f(104, b0w, lsb, 0);
    f(105, b0t, lsb, 0);
    f(106, s0t, rs0, b0t);
    f(107, s1t, s0t, ls0);
}

/// Parse one sentence: heads (0 for root, else 1-based) and label ids.
pub(crate) fn parse(model: &Sparse, labels: usize, items: &[Item]) -> (Vec<usize>, Vec<u8>) {
    let n = items.len();
    let mut st = State::new(n);
    let mut feats = Vec::with_capacity(128);
    let mut scores = vec![0i32; model.classes];
    let mut valid = vec![false; model.classes];
    while !st.done() {
        // With an empty stack SHIFT is the only move: no need to score it.
        if st.stack.is_empty() && st.b < st.n {
            st.apply(0, labels);
            continue;
        }
        st.valid(labels, &mut valid);
        features(&st, items, &mut feats);
        model.score(&feats, &mut scores);
        let mut best = NONE;
        for k in 0..model.classes {
            if valid[k] && (best == NONE || scores[k] > scores[best]) {
                best = k;
            }
        }
        if best == NONE {
            break;
        }
        st.apply(best, labels);
    }
    finish(&st)
}

fn finish(st: &State) -> (Vec<usize>, Vec<u8>) {
    let n = st.n;
    let mut heads = Vec::with_capacity(n);
    let mut labs = Vec::with_capacity(n);
    for i in 0..n {
        let h = st.head[i];
        heads.push(if h == NONE || h == n { 0 } else { h + 1 });
        labs.push(st.label[i]);
    }
    (heads, labs)
}

/// A training sentence: items, gold heads (n for root), gold labels.
pub(crate) struct Gold {
    pub items: Vec<Item>,
    pub heads: Vec<usize>,
    pub labels: Vec<u8>,
}

/// Train with the dynamic oracle; returns the frozen model.
pub(crate) fn train(
    data: &[Gold],
    labels: usize,
    epochs: usize,
    bits: u32,
    log: &mut dyn FnMut(String),
) -> Sparse {
    let classes = 1 + 2 * labels;
    let mut tr = Trainer::new(bits.clamp(8, 26), classes);
    let mut order: Vec<usize> = (0..data.len()).collect();
    let mut rng = crate::Rng(0xda7a);
    let mut feats = Vec::with_capacity(128);
    let mut scores = vec![0f32; classes];
    let mut valid = vec![false; classes];
    let mut cost = vec![0u32; classes];
    for ep in 0..epochs {
        rng.shuffle(&mut order);
        let (mut right, mut total) = (0usize, 0usize);
        for &si in &order {
            let g = &data[si];
            let mut st = State::new(g.items.len());
            while !st.done() {
                st.valid(labels, &mut valid);
                cost.iter_mut().for_each(|c| *c = u32::MAX);
                st.costs(&g.heads, &g.labels, labels, &valid, &mut cost);
                features(&st, &g.items, &mut feats);
                tr.score(&feats, &mut scores);
                let min = (0..classes)
                    .filter(|&k| valid[k])
                    .map(|k| cost[k])
                    .min()
                    .unwrap_or(0);
                let (mut pred, mut gold) = (NONE, NONE);
                for k in 0..classes {
                    if !valid[k] {
                        continue;
                    }
                    if pred == NONE || scores[k] > scores[pred] {
                        pred = k;
                    }
                    if cost[k] == min && (gold == NONE || scores[k] > scores[gold]) {
                        gold = k;
                    }
                }
                if pred == NONE || gold == NONE {
                    break;
                }
                if cost[pred] > min {
                    tr.update(&feats, gold, pred, 1.0);
                } else {
                    right += 1;
                }
                total += 1;
                tr.tick();
                // Explore: follow the model's own (possibly wrong) choice after the first epoch.
                let next = if ep > 0 && !rng.next().is_multiple_of(10) {
                    pred
                } else {
                    gold
                };
                st.apply(next, labels);
            }
        }
        log(format!(
            "parser epoch {}: transition accuracy {:.2}%",
            ep + 1,
            100.0 * right as f64 / total.max(1) as f64
        ));
    }
    tr.freeze(0.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Following the oracle's zero-cost transitions rebuilds a projective gold tree.
    #[test]
    fn oracle_rebuilds_projective_tree() {
        // "The cat sat on the mat": heads (root = 6).
        let heads = vec![1, 2, 6, 5, 5, 2];
        let labels = vec![0u8, 1, 2, 3, 0, 4];
        let mut st = State::new(6);
        let nl = 5;
        let mut valid = vec![false; 1 + 2 * nl];
        let mut cost = vec![0u32; 1 + 2 * nl];
        while !st.done() {
            st.valid(nl, &mut valid);
            cost.iter_mut().for_each(|c| *c = u32::MAX);
            st.costs(&heads, &labels, nl, &valid, &mut cost);
            let k = (0..cost.len()).find(|&k| valid[k] && cost[k] == 0);
            let Some(k) = k else {
                panic!("no zero-cost transition");
            };
            st.apply(k, nl);
        }
        assert_eq!(st.head[..6], heads[..]);
        assert_eq!(st.label[..6], labels[..]);
    }
}
