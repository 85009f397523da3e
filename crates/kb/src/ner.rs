//! A statistical named-entity tagger for names the dictionaries lack: a greedy averaged
//! perceptron over BIO tags with word, shape, affix, context and knowledge-base features.
//!
//! No model ships with the crate (the CoNLL-2003 data it is best trained on is for research
//! only): [`NerModel::train`] trains one in seconds from CoNLL-style data, and
//! [`NerModel::save`]/[`NerModel::load`] keep it in a file.

use crate::{Kb, KbError, MentionKind};
use std::io::{Read, Write};

/// One sentence of tokens with their BIO tags (`B-PER`, `I-ORG`, `O`).
#[derive(Debug, Clone, Default)]
pub struct TaggedSentence {
    /// Tokens.
    pub tokens: Vec<String>,
    /// Tags, one a token.
    pub tags: Vec<String>,
}

/// Reads CoNLL-style data: `token ... TAG` a line (the tag last), blank lines between
/// sentences, `-DOCSTART-` lines skipped.
pub fn read_conll(text: &str) -> Vec<TaggedSentence> {
    let mut out = Vec::new();
    let mut cur = TaggedSentence::default();
    for line in text.lines() {
        let f: Vec<&str> = line.split_whitespace().collect();
        if f.is_empty() || f[0] == "-DOCSTART-" {
            if !cur.tokens.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            continue;
        }
        let (Some(tok), Some(tag)) = (f.first(), f.last()) else {
            continue;
        };
        cur.tokens.push((*tok).to_string());
        cur.tags.push(if f.len() == 1 {
            "O".to_string()
        } else {
            (*tag).to_string()
        });
    }
    if !cur.tokens.is_empty() {
        out.push(cur);
    }
    out
}

/// Entity spans `(first token, one past the last, type)` of a BIO (or IOB1) tag sequence.
pub fn spans<S: AsRef<str>>(tags: &[S]) -> Vec<(usize, usize, String)> {
    let mut out = Vec::new();
    let mut cur: Option<(usize, String)> = None;
    for (i, t) in tags.iter().enumerate() {
        let (bio, ty) = match t.as_ref().split_once('-') {
            Some((b, ty)) => (b, ty),
            None => ("O", ""),
        };
        let continues = bio == "I" && cur.as_ref().is_some_and(|c| c.1 == ty);
        if !continues {
            if let Some((s, ty)) = cur.take() {
                out.push((s, i, ty));
            }
            if bio == "B" || bio == "I" {
                cur = Some((i, ty.to_string()));
            }
        }
    }
    if let Some((s, ty)) = cur {
        out.push((s, tags.len(), ty));
    }
    out
}

/// Exact-span counts of one entity type, or of all: CoNLL's measure.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SpanCounts {
    /// Predicted spans with the gold span and type.
    pub correct: usize,
    /// Predicted spans.
    pub predicted: usize,
    /// Gold spans.
    pub gold: usize,
}

impl SpanCounts {
    /// Correct over predicted (0 when nothing was predicted).
    pub fn precision(&self) -> f64 {
        self.correct as f64 / self.predicted.max(1) as f64
    }

    /// Correct over gold (0 when there is no gold).
    pub fn recall(&self) -> f64 {
        self.correct as f64 / self.gold.max(1) as f64
    }

    /// Harmonic mean of precision and recall.
    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r > 0.0 {
            2.0 * p * r / (p + r)
        } else {
            0.0
        }
    }
}

/// A tagger's scores on gold sentences ([`score_ner`]); `Display` prints the table that
/// `wirecoder eval ner` and the `kb_eval` example show.
#[derive(Debug, Clone, Default)]
pub struct NerScore {
    /// Counts per entity type (`PER`, `ORG`, ...).
    pub types: std::collections::BTreeMap<String, SpanCounts>,
    /// Sentences scored.
    pub sentences: usize,
    /// Text tagged: each token's bytes and one separator.
    pub bytes: usize,
    /// Wall-clock seconds of tagging alone.
    pub wall_secs: f64,
    /// This thread's CPU seconds of tagging alone (the wall clock where unavailable).
    pub cpu_secs: f64,
}

impl NerScore {
    /// Counts over all types (micro average).
    pub fn all(&self) -> SpanCounts {
        self.types
            .values()
            .fold(SpanCounts::default(), |a, c| SpanCounts {
                correct: a.correct + c.correct,
                predicted: a.predicted + c.predicted,
                gold: a.gold + c.gold,
            })
    }
}

impl std::fmt::Display for NerScore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(
            f,
            "{:<6} {:>6} {:>6} {:>6} {:>6} {:>6}",
            "type", "P", "R", "F1", "pred", "gold"
        )?;
        let all = self.all();
        for (k, c) in self.types.iter().chain([(&"all".to_string(), &all)]) {
            writeln!(
                f,
                "{k:<6} {:>6.3} {:>6.3} {:>6.3} {:>6} {:>6}",
                c.precision(),
                c.recall(),
                c.f1(),
                c.predicted,
                c.gold
            )?;
        }
        let mbs = |s: f64| self.bytes as f64 / 1e6 / s.max(1e-9);
        write!(
            f,
            "tagging: {:.2} MB/s wall, {:.2} MB/s of CPU time ({} sentences, {:.2} MB)",
            mbs(self.wall_secs),
            mbs(self.cpu_secs),
            self.sentences,
            self.bytes as f64 / 1e6
        )
    }
}

/// Tags `gold`'s tokens with `model` and scores the entity spans exactly (first token, last
/// token and type must all match), per type and overall; IOB1 gold is read as BIO. The
/// tagging alone is timed.
pub fn score_ner(model: &NerModel, kb: &Kb, gold: &[TaggedSentence]) -> NerScore {
    let (t, c) = (std::time::Instant::now(), thread_cpu_secs());
    let pred: Vec<Vec<usize>> = gold.iter().map(|s| model.tag_ids(kb, &s.tokens)).collect();
    let mut out = NerScore {
        wall_secs: t.elapsed().as_secs_f64(),
        cpu_secs: thread_cpu_secs() - c,
        sentences: gold.len(),
        ..NerScore::default()
    };
    for (s, p) in gold.iter().zip(&pred) {
        out.bytes += s.tokens.iter().map(|t| t.len() + 1).sum::<usize>();
        let labels: Vec<&str> = p.iter().map(|&l| model.labels[l].as_str()).collect();
        let (ps, gs) = (spans(&labels), spans(&s.tags));
        for x in &ps {
            let e = out.types.entry(x.2.clone()).or_default();
            e.predicted += 1;
            e.correct += usize::from(gs.contains(x));
        }
        for g in &gs {
            out.types.entry(g.2.clone()).or_default().gold += 1;
        }
    }
    out
}

/// Seconds of CPU time the calling thread has run (Linux `schedstat`; elsewhere the wall
/// clock since the first call). Timings on a shared machine mean more in CPU time.
pub fn thread_cpu_secs() -> f64 {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|s| s.split_whitespace().next()?.parse::<f64>().ok())
        .map_or_else(
            || {
                static T0: std::sync::OnceLock<std::time::Instant> = std::sync::OnceLock::new();
                T0.get_or_init(std::time::Instant::now)
                    .elapsed()
                    .as_secs_f64()
            },
            |ns| ns / 1e9,
        )
}

// Features are 64-bit hashes built from integers, never from strings: each token's word,
// lower case, shape and affixes are hashed once per sentence, and a feature is its template
// number mixed with those hashes. Tagging then costs about one table probe a feature.

/// FNV-1a over bytes, the string hash of token parts.
fn hash_bytes(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// Mixes `x` into `h` (the Fx multiply-rotate step).
#[inline]
fn mix(h: u64, x: u64) -> u64 {
    (h.rotate_left(5) ^ x).wrapping_mul(0x517c_c1b7_2722_0a95)
}

/// A feature's final hash: the template and its parts, avalanched (murmur3's finaliser) so
/// that any bits index the weight table well; odd, which [`NerModel::load`] checks.
#[inline]
fn feat(template: u64, parts: &[u64]) -> u64 {
    let mut h = mix(0x9e37_79b9_7f4a_7c15, template);
    for &p in parts {
        h = mix(h, p);
    }
    h ^= h >> 33;
    h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
    h ^= h >> 33;
    h | 1
}

/// Feature templates (the number a feature's hash starts from).
mod t {
    pub const BIAS: u64 = 0;
    pub const WORD: u64 = 1;
    pub const LOW: u64 = 2;
    pub const SHAPE: u64 = 3;
    pub const PRE: u64 = 4; // 4..=6: prefixes of 1..3 characters
    pub const SUF: u64 = 7; // 7..=10: suffixes of 1..4 characters
    pub const LOW_M1: u64 = 11;
    pub const LOW_M2: u64 = 12;
    pub const LOW_P1: u64 = 13;
    pub const LOW_P2: u64 = 14;
    pub const SH_M1: u64 = 15;
    pub const SH_P1: u64 = 16;
    pub const SH_3: u64 = 17;
    pub const LOW_M1_0: u64 = 18;
    pub const LOW_0_P1: u64 = 19;
    pub const KB: u64 = 20;
    pub const KB_M1: u64 = 21;
    pub const KB_P1: u64 = 22;
    pub const KB_SH: u64 = 23;
    pub const FIRST: u64 = 24;
    pub const CAPS_LOW: u64 = 25;
    pub const CAPS_KB: u64 = 26;
    pub const TAG_M1: u64 = 27;
    pub const TAG_M2_M1: u64 = 28;
    pub const TAG_M1_LOW: u64 = 29;
}

/// Features a token has, the previous-tag ones aside (25, 27 on an all-caps line).
const MAX_FEATS: usize = 27;

/// Hash parts of the sentence-boundary pseudo-tokens.
const BOS: u64 = 0x5bd1_e995_0000_0001;
const EOS: u64 = 0x5bd1_e995_0000_0002;

/// Knowledge-base labels: 0 none, `1 + 2·kind + (0 for B, 1 for I)` for a dictionary mention,
/// then gazetteer membership and the outside-the-sentence mark.
const KB_NONE: u8 = 0;
const KB_GAZ: u8 = 13;
const KB_GAZBIG: u8 = 14;
const KB_OUT: u8 = 15;

/// One token's hashed parts.
#[derive(Clone, Copy, Default)]
struct Tok {
    word: u64,
    low: u64,
    shape: u64,
    pre: [u64; 3],
    suf: [u64; 4],
    kb: u8,
}

/// Per-sentence buffers, kept between sentences.
#[derive(Default)]
struct Scratch {
    text: String,
    offs: Vec<usize>,
    low: String,
    bounds: Vec<usize>,
    toks: Vec<Tok>,
}

/// Hash of a word's shape (`Xxxx`, `dd-dd`: character classes, runs collapsed).
fn shape_hash(w: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let mut last = ' ';
    for c in w.chars() {
        let s = if c.is_uppercase() {
            'X'
        } else if c.is_lowercase() {
            'x'
        } else if c.is_ascii_digit() {
            'd'
        } else {
            c
        };
        if s != last {
            h ^= u64::from(u32::from(s));
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        last = s;
    }
    h
}

/// Knowledge-base label of each token into `sc.toks[i].kb`: what dictionary mention covers
/// it and where, else whether the gazetteer knows a capitalised token.
fn kb_labels<S: AsRef<str>>(kb: &Kb, tokens: &[S], sc: &mut Scratch) {
    sc.text.clear();
    sc.offs.clear();
    for t in tokens {
        if !sc.text.is_empty() {
            sc.text.push(' ');
        }
        sc.offs.push(sc.text.len());
        sc.text.push_str(t.as_ref());
    }
    for m in kb.names(&sc.text, None) {
        let kind: u8 = match m.kind {
            MentionKind::Person => 0,
            MentionKind::Country | MentionKind::Capital | MentionKind::Place => 1,
            MentionKind::Adjective => 2,
            MentionKind::Org | MentionKind::Igo | MentionKind::Media | MentionKind::Group => 3,
            MentionKind::Metonym => 4,
            MentionKind::Composite => 5,
        };
        // Tokens starting inside the mention: offsets are sorted.
        let first = sc.offs.partition_point(|&o| o < m.start);
        let mut begin = true;
        for i in first..sc.offs.len() {
            if sc.offs[i] >= m.end {
                break;
            }
            sc.toks[i].kb = 1 + 2 * kind + u8::from(!begin);
            begin = false;
        }
    }
    // Gazetteer membership of single capitalised tokens not already labelled.
    let gaz = kb.gaz();
    for (i, t) in tokens.iter().enumerate() {
        let t = t.as_ref();
        if sc.toks[i].kb != KB_NONE || !t.chars().next().is_some_and(char::is_uppercase) {
            continue;
        }
        let hit = if t.is_ascii() && !t.contains(|c: char| c.is_ascii_whitespace()) {
            // The gazetteer's key of a plain ASCII word is its lower case.
            sc.low.clear();
            sc.low
                .extend(t.bytes().map(|b| char::from(b.to_ascii_lowercase())));
            gaz.names.get(sc.low.as_str())
        } else {
            gaz.names.get(&crate::gazetteer::key(t))
        };
        if let Some(v) = hit {
            let best = v
                .iter()
                .filter_map(|&(j, _)| gaz.entries.get(j as usize))
                .map(|e| e.pop)
                .max()
                .unwrap_or(0);
            sc.toks[i].kb = if best >= 100_000 { KB_GAZBIG } else { KB_GAZ };
        }
    }
}

/// Hashes every token's parts into `sc.toks` and returns whether the sentence is an all-caps
/// line (headlines and datelines read differently).
fn prepare<S: AsRef<str>>(kb: &Kb, tokens: &[S], sc: &mut Scratch) -> bool {
    sc.toks.clear();
    sc.toks.resize(tokens.len(), Tok::default());
    let mut caps_line = true;
    for (tok, t) in sc.toks.iter_mut().zip(tokens) {
        let w = t.as_ref();
        if w.chars().any(char::is_alphabetic) && w.chars().any(char::is_lowercase) {
            caps_line = false;
        }
        tok.word = hash_bytes(w.as_bytes());
        tok.shape = shape_hash(w);
        sc.low.clear();
        if w.is_ascii() {
            sc.low
                .extend(w.bytes().map(|b| char::from(b.to_ascii_lowercase())));
        } else {
            sc.low.extend(w.chars().flat_map(char::to_lowercase));
        }
        let low = sc.low.as_bytes();
        tok.low = hash_bytes(low);
        // Affixes count characters: byte offsets of the character boundaries.
        sc.bounds.clear();
        sc.bounds.extend(sc.low.char_indices().map(|(b, _)| b));
        let n = sc.bounds.len();
        for k in 0..3 {
            let end = sc.bounds.get(k + 1).copied().unwrap_or(low.len());
            tok.pre[k] = hash_bytes(&low[..end]);
        }
        for k in 0..4 {
            let start = if k + 1 >= n { 0 } else { sc.bounds[n - k - 1] };
            tok.suf[k] = hash_bytes(&low[start..]);
        }
    }
    kb_labels(kb, tokens, sc);
    caps_line
}

/// Feature hashes of token `i` (without the previous-tag ones) into `out`.
fn features(toks: &[Tok], caps_line: bool, i: usize, out: &mut Vec<u64>) {
    out.clear();
    let at = |j: isize| -> Option<&Tok> {
        let k = i as isize + j;
        if k < 0 {
            None
        } else {
            toks.get(k as usize)
        }
    };
    let low = |j: isize| at(j).map_or(if j < 0 { BOS } else { EOS }, |t| t.low);
    let sh = |j: isize| at(j).map_or(if j < 0 { BOS } else { EOS }, |t| t.shape);
    let kbl = |j: isize| u64::from(at(j).map_or(KB_OUT, |t| t.kb));
    let w = &toks[i];
    out.extend_from_slice(&[
        feat(t::BIAS, &[]),
        feat(t::WORD, &[w.word]),
        feat(t::LOW, &[w.low]),
        feat(t::SHAPE, &[w.shape]),
        feat(t::PRE, &[w.pre[0]]),
        feat(t::PRE + 1, &[w.pre[1]]),
        feat(t::PRE + 2, &[w.pre[2]]),
        feat(t::SUF, &[w.suf[0]]),
        feat(t::SUF + 1, &[w.suf[1]]),
        feat(t::SUF + 2, &[w.suf[2]]),
        feat(t::SUF + 3, &[w.suf[3]]),
        feat(t::LOW_M1, &[low(-1)]),
        feat(t::LOW_M2, &[low(-2)]),
        feat(t::LOW_P1, &[low(1)]),
        feat(t::LOW_P2, &[low(2)]),
        feat(t::SH_M1, &[sh(-1)]),
        feat(t::SH_P1, &[sh(1)]),
        feat(t::SH_3, &[sh(-1), w.shape, sh(1)]),
        feat(t::LOW_M1_0, &[low(-1), w.low]),
        feat(t::LOW_0_P1, &[w.low, low(1)]),
        feat(t::KB, &[kbl(0)]),
        feat(t::KB_M1, &[kbl(-1)]),
        feat(t::KB_P1, &[kbl(1)]),
        feat(t::KB_SH, &[kbl(0), w.shape]),
        feat(t::FIRST, &[u64::from(i == 0), w.shape]),
    ]);
    if caps_line {
        out.push(feat(t::CAPS_LOW, &[w.low]));
        out.push(feat(t::CAPS_KB, &[kbl(0)]));
    }
}

/// The previous-tag features; a tag is its label index, the sentence start `nl`.
fn prev_feats(prev: usize, prev2: usize, low: u64) -> [u64; 3] {
    [
        feat(t::TAG_M1, &[prev as u64]),
        feat(t::TAG_M2_M1, &[prev2 as u64, prev as u64]),
        feat(t::TAG_M1_LOW, &[prev as u64, low]),
    ]
}

/// Whether `label` may follow `prev` in BIO.
fn allowed(prev: &str, label: &str) -> bool {
    match label.strip_prefix("I-") {
        Some(ty) => prev.strip_prefix("B-").or(prev.strip_prefix("I-")) == Some(ty),
        None => true,
    }
}

/// `allowed` for every (previous label or sentence start, label) pair, row-major.
fn allowed_table(labels: &[String]) -> Vec<bool> {
    let nl = labels.len();
    let mut out = Vec::with_capacity((nl + 1) * nl);
    for p in labels.iter().map(String::as_str).chain(["<s>"]) {
        out.extend(labels.iter().map(|l| allowed(p, l)));
    }
    out
}

/// The best allowed label after `prev` (ties go to the later label).
fn best_label(scores: &[f32], allowed: &[bool], prev: usize) -> usize {
    let nl = scores.len();
    let ok = &allowed[prev * nl..(prev + 1) * nl];
    let mut best = None::<usize>;
    for l in 0..nl {
        if ok[l] && best.is_none_or(|b| scores[l] >= scores[b]) {
            best = Some(l);
        }
    }
    best.unwrap_or(0)
}

/// Feature hash → row of the weight matrix: open addressing with linear probing, at most
/// half full. A slot is one word, the hash's high 32 bits (top bit set, so never 0, the empty
/// mark) over the row: the low bits chose the slot, so a false match needs 32 + log2(slots)
/// equal bits, and a probe touches one cache line, not a key array and a row array.
struct Table {
    slots: Vec<u64>,
    mask: usize,
}

impl Table {
    fn fingerprint(f: u64) -> u64 {
        (f >> 32 | 0x8000_0000) << 32
    }

    fn new(features: &[u64]) -> Table {
        let cap = (features.len() * 2).next_power_of_two().max(16);
        let mut t = Table {
            slots: vec![0; cap],
            mask: cap - 1,
        };
        for (row, &f) in features.iter().enumerate() {
            let fp = Table::fingerprint(f);
            let mut i = (f as usize) & t.mask;
            while t.slots[i] != 0 && t.slots[i] >> 32 != fp >> 32 {
                i = (i + 1) & t.mask;
            }
            t.slots[i] = fp | row as u64;
        }
        t
    }

    #[inline]
    fn get(&self, f: u64) -> Option<usize> {
        self.get_from(f, self.slots[(f as usize) & self.mask])
    }

    /// [`Table::get`] given the content of `f`'s first slot, loaded beforehand: loading the
    /// first slots of many features in a loop without branches lets their cache misses
    /// overlap.
    #[inline]
    fn get_from(&self, f: u64, first: u64) -> Option<usize> {
        let fp = Table::fingerprint(f) >> 32;
        if first >> 32 == fp {
            return Some((first & 0xffff_ffff) as usize);
        }
        if first == 0 {
            return None;
        }
        let mut i = (f as usize) & self.mask;
        loop {
            let s = self.slots[i];
            if s >> 32 == fp {
                return Some((s & 0xffff_ffff) as usize);
            }
            if s == 0 {
                return None;
            }
            i = (i + 1) & self.mask;
        }
    }
}

/// A trained tagger.
pub struct NerModel {
    labels: Vec<String>,
    /// Feature hash of each row of `weights`.
    features: Vec<u64>,
    /// Averaged weights, `labels.len()` a feature.
    weights: Vec<f32>,
    table: Table,
    allowed: Vec<bool>,
}

impl NerModel {
    fn new(labels: Vec<String>, features: Vec<u64>, weights: Vec<f32>) -> NerModel {
        NerModel {
            table: Table::new(&features),
            allowed: allowed_table(&labels),
            labels,
            features,
            weights,
        }
    }

    /// Trains on `data` for `epochs` passes (5 is plenty), with the knowledge base's matches as
    /// features.
    pub fn train(kb: &Kb, data: &[TaggedSentence], epochs: usize) -> NerModel {
        // IOB1 data (I- starting an entity) is turned into BIO.
        let tags: Vec<Vec<String>> = data
            .iter()
            .map(|s| {
                let mut tags = vec!["O".to_string(); s.tags.len()];
                for (a, b, ty) in spans(&s.tags) {
                    for (k, t) in tags.iter_mut().enumerate().take(b).skip(a) {
                        *t = format!("{}-{ty}", if k == a { "B" } else { "I" });
                    }
                }
                tags
            })
            .collect();
        let mut labels: Vec<String> = tags.iter().flatten().cloned().collect();
        labels.sort();
        labels.dedup();
        let nl = labels.len();
        let allowed = allowed_table(&labels);
        // Every token's features, flat: token k's are `feats[tok_span[k].0..tok_span[k].1]`,
        // sentence s's tokens `sents[s].0..sents[s].1`.
        let mut sc = Scratch::default();
        let mut feats: Vec<u64> = Vec::new();
        let mut tok_span: Vec<(usize, usize)> = Vec::new();
        let mut lows: Vec<u64> = Vec::new();
        let mut gold: Vec<usize> = Vec::new();
        let mut sents: Vec<(usize, usize)> = Vec::with_capacity(data.len());
        let mut buf = Vec::with_capacity(MAX_FEATS);
        for (s, tg) in data.iter().zip(&tags) {
            let n = s.tokens.len().min(tg.len());
            let tokens = &s.tokens[..n];
            let caps = prepare(kb, tokens, &mut sc);
            sents.push((tok_span.len(), tok_span.len() + n));
            for (i, tag) in tg.iter().enumerate().take(n) {
                features(&sc.toks, caps, i, &mut buf);
                tok_span.push((feats.len(), feats.len() + buf.len()));
                feats.extend_from_slice(&buf);
                lows.push(sc.toks[i].low);
                gold.push(labels.binary_search(tag).unwrap_or(0));
            }
        }
        // Perceptron state: a row of `nl` current weights, running totals and last-update
        // stamps for each feature that was ever updated.
        let mut rows: crate::FxMap<u64, u32> = crate::FxMap::default();
        let mut keys: Vec<u64> = Vec::new();
        let mut w: Vec<f32> = Vec::new();
        let mut total: Vec<f32> = Vec::new();
        let mut stamp: Vec<u32> = Vec::new();
        let mut clock: u32 = 0;
        let mut order: Vec<usize> = (0..sents.len()).collect();
        let mut seed: u64 = 42;
        let mut scores = vec![0f32; nl];
        for _ in 0..epochs {
            // Shuffle (xorshift) so that the average does not follow the file's order.
            for i in (1..order.len()).rev() {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                order.swap(i, (seed % (i as u64 + 1)) as usize);
            }
            for &si in &order {
                let (a, b) = sents[si];
                let (mut prev, mut prev2) = (nl, nl);
                for k in a..b {
                    clock += 1;
                    let pf = prev_feats(prev, prev2, lows[k]);
                    let fs = &feats[tok_span[k].0..tok_span[k].1];
                    scores.iter_mut().for_each(|s| *s = 0.0);
                    for f in fs.iter().chain(&pf) {
                        if let Some(&r) = rows.get(f) {
                            let r = r as usize * nl;
                            for (s, x) in scores.iter_mut().zip(&w[r..r + nl]) {
                                *s += x;
                            }
                        }
                    }
                    let guess = best_label(&scores, &allowed, prev);
                    let truth = gold[k];
                    if guess != truth {
                        for &f in fs.iter().chain(&pf) {
                            let r = *rows.entry(f).or_insert_with(|| {
                                keys.push(f);
                                w.resize(w.len() + nl, 0.0);
                                total.resize(total.len() + nl, 0.0);
                                stamp.resize(stamp.len() + nl, 0);
                                (keys.len() - 1) as u32
                            }) as usize
                                * nl;
                            for (l, d) in [(truth, 1.0f32), (guess, -1.0f32)] {
                                total[r + l] += (clock - stamp[r + l]) as f32 * w[r + l];
                                stamp[r + l] = clock;
                                w[r + l] += d;
                            }
                        }
                    }
                    // Train on the gold history (fast, and what greedy taggers usually do).
                    prev2 = std::mem::replace(&mut prev, truth);
                }
            }
        }
        let mut features = Vec::with_capacity(keys.len());
        let mut weights = Vec::with_capacity(w.len());
        for (row, &f) in keys.iter().enumerate() {
            let r = row * nl;
            let avg: Vec<f32> = (r..r + nl)
                .map(|j| (total[j] + (clock - stamp[j]) as f32 * w[j]) / clock.max(1) as f32)
                .collect();
            if avg.iter().any(|x| x.abs() > 1e-6) {
                features.push(f);
                weights.extend(avg);
            }
        }
        NerModel::new(labels, features, weights)
    }

    /// Number of features with weights.
    pub fn feature_count(&self) -> usize {
        self.features.len()
    }

    /// The labels, as [`NerModel::tag_ids`] numbers them.
    pub fn labels(&self) -> &[String] {
        &self.labels
    }

    /// BIO tags of `tokens`.
    pub fn tag(&self, kb: &Kb, tokens: &[String]) -> Vec<String> {
        self.tag_ids(kb, tokens)
            .into_iter()
            .map(|l| self.labels[l].clone())
            .collect()
    }

    /// BIO tags of `tokens`, as indices into [`NerModel::labels`].
    pub fn tag_ids<S: AsRef<str>>(&self, kb: &Kb, tokens: &[S]) -> Vec<usize> {
        let nl = self.labels.len();
        let mut out = Vec::with_capacity(tokens.len());
        if nl == 0 {
            return out;
        }
        let mut sc = Scratch::default();
        let caps = prepare(kb, tokens, &mut sc);
        // Each token's score from the features that do not depend on the previous tags, all
        // tokens first: the table probes are then independent loads the CPU overlaps.
        let mut fs = Vec::with_capacity(MAX_FEATS);
        let mut hashes: Vec<u64> = Vec::with_capacity(tokens.len() * MAX_FEATS);
        let mut ends = Vec::with_capacity(tokens.len());
        for i in 0..tokens.len() {
            features(&sc.toks, caps, i, &mut fs);
            hashes.extend_from_slice(&fs);
            ends.push(hashes.len());
        }
        let firsts: Vec<u64> = hashes
            .iter()
            .map(|&f| self.table.slots[(f as usize) & self.table.mask])
            .collect();
        // Matching rows, or usize::MAX for an unknown feature (the weights are read below).
        let rows: Vec<usize> = hashes
            .iter()
            .zip(&firsts)
            .map(|(&f, &first)| self.table.get_from(f, first).unwrap_or(usize::MAX))
            .collect();
        let mut fixed = vec![0f32; tokens.len() * nl];
        let mut start = 0;
        for (i, &end) in ends.iter().enumerate() {
            let sc = &mut fixed[i * nl..(i + 1) * nl];
            for &r in rows[start..end].iter().filter(|&&r| r != usize::MAX) {
                for (s, x) in sc.iter_mut().zip(&self.weights[r * nl..(r + 1) * nl]) {
                    *s += x;
                }
            }
            start = end;
        }
        let mut scores = vec![0f32; nl];
        let (mut prev, mut prev2) = (nl, nl);
        for i in 0..tokens.len() {
            scores.copy_from_slice(&fixed[i * nl..(i + 1) * nl]);
            for f in prev_feats(prev, prev2, sc.toks[i].low) {
                if let Some(r) = self.table.get(f) {
                    for (s, x) in scores.iter_mut().zip(&self.weights[r * nl..(r + 1) * nl]) {
                        *s += x;
                    }
                }
            }
            let best = best_label(&scores, &self.allowed, prev);
            prev2 = std::mem::replace(&mut prev, best);
            out.push(best);
        }
        out
    }

    /// Entity spans of `tokens`: `(first token, one past the last, type)`, the type without
    /// its `B-`/`I-` prefix (`PER`, `ORG`, `LOC`, `MISC` for a CoNLL-trained model).
    pub fn tag_spans<S: AsRef<str>>(&self, kb: &Kb, tokens: &[S]) -> Vec<(usize, usize, String)> {
        let ids = self.tag_ids(kb, tokens);
        let labels: Vec<&str> = ids.iter().map(|&l| self.labels[l].as_str()).collect();
        spans(&labels)
    }

    /// Writes the model (labels, then each feature hash and its weights, little-endian).
    pub fn save(&self, w: &mut impl Write) -> std::io::Result<()> {
        w.write_all(MAGIC)?;
        w.write_all(format!("{}\n", self.labels.join(" ")).as_bytes())?;
        w.write_all(&(self.features.len() as u64).to_le_bytes())?;
        let nl = self.labels.len();
        for (row, f) in self.features.iter().enumerate() {
            w.write_all(&f.to_le_bytes())?;
            for x in &self.weights[row * nl..(row + 1) * nl] {
                w.write_all(&x.to_le_bytes())?;
            }
        }
        Ok(())
    }

    /// Reads a model written by [`NerModel::save`].
    pub fn load(r: &mut impl Read, file: &'static str) -> Result<NerModel, KbError> {
        let bad = |msg: &str| KbError::Row {
            file,
            line: 0,
            msg: msg.to_string(),
        };
        let mut buf = Vec::new();
        r.read_to_end(&mut buf).map_err(|e| bad(&e.to_string()))?;
        if buf.starts_with(b"WCNER1\n") {
            return Err(bad("a model of the older feature hashing: train it again"));
        }
        let rest = buf.strip_prefix(MAGIC).ok_or_else(|| bad("not a model"))?;
        let nlpos = rest
            .iter()
            .position(|&b| b == b'\n')
            .ok_or_else(|| bad("no labels"))?;
        let labels: Vec<String> = String::from_utf8_lossy(&rest[..nlpos])
            .split(' ')
            .map(str::to_string)
            .collect();
        let nl = labels.len();
        let mut p = &rest[nlpos + 1..];
        let mut take = |n: usize| -> Result<&[u8], KbError> {
            if p.len() < n {
                return Err(bad("truncated"));
            }
            let (a, b) = p.split_at(n);
            p = b;
            Ok(a)
        };
        let n = u64::from_le_bytes(take(8)?.try_into().map_err(|_| bad("count"))?);
        // The count comes from the file: cap the reservation by what the bytes can hold.
        let n = usize::try_from(n).map_err(|_| bad("count"))?;
        let row_bytes = 8 + 4 * nl;
        if n.checked_mul(row_bytes).is_none_or(|b| b > buf.len()) {
            return Err(bad("count larger than the file"));
        }
        let mut features = Vec::with_capacity(n);
        let mut weights = Vec::with_capacity(n * nl);
        for _ in 0..n {
            let f = u64::from_le_bytes(take(8)?.try_into().map_err(|_| bad("feature"))?);
            if f & 1 == 0 {
                return Err(bad("bad feature hash"));
            }
            features.push(f);
            for _ in 0..nl {
                weights.push(f32::from_le_bytes(
                    take(4)?.try_into().map_err(|_| bad("weight"))?,
                ));
            }
        }
        Ok(NerModel::new(labels, features, weights))
    }
}

/// Model file header; version 2 hashes features from integer parts (version 1 from strings).
const MAGIC: &[u8] = b"WCNER2\n";
