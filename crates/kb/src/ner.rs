//! A statistical named-entity tagger for names the dictionaries lack: a greedy averaged
//! perceptron over BIO tags with word, shape, affix, context and knowledge-base features.
//!
//! No model ships with the crate (the CoNLL-2003 data it is best trained on is for research
//! only): [`NerModel::train`] trains one in seconds from CoNLL-style data, and
//! [`NerModel::save`]/[`NerModel::load`] keep it in a file.

use crate::{Kb, KbError, MentionKind};
use std::collections::HashMap;
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
pub fn spans(tags: &[String]) -> Vec<(usize, usize, String)> {
    let mut out = Vec::new();
    let mut cur: Option<(usize, String)> = None;
    for (i, t) in tags.iter().enumerate() {
        let (bio, ty) = match t.split_once('-') {
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

fn fnv(parts: &[&str]) -> u64 {
    let mut h: u64 = 0xcbf29ce484222325;
    for p in parts {
        for b in p.bytes() {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x100000001b3);
        }
        h ^= 0xff;
        h = h.wrapping_mul(0x100000001b3);
    }
    h
}

fn shape(w: &str) -> String {
    let mut out = String::new();
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
            out.push(s);
        }
        last = s;
    }
    out
}

/// Knowledge-base labels of each token: what dictionary mention covers it, with its position.
fn kb_labels(kb: &Kb, tokens: &[String]) -> Vec<String> {
    let mut text = String::new();
    let mut offs = Vec::with_capacity(tokens.len());
    for t in tokens {
        if !text.is_empty() {
            text.push(' ');
        }
        offs.push(text.len());
        text.push_str(t);
    }
    let mut out = vec![String::new(); tokens.len()];
    for m in kb.names(&text, None) {
        let kind = match m.kind {
            MentionKind::Person => "per",
            MentionKind::Country | MentionKind::Capital | MentionKind::Place => "loc",
            MentionKind::Adjective => "adj",
            MentionKind::Org | MentionKind::Igo | MentionKind::Media | MentionKind::Group => "org",
            MentionKind::Metonym => "met",
            MentionKind::Composite => "comp",
        };
        let mut first = true;
        for (i, &o) in offs.iter().enumerate() {
            if o >= m.start && o < m.end {
                out[i] = format!("{}{kind}", if first { "B" } else { "I" });
                first = false;
            }
        }
    }
    // Gazetteer membership of single capitalised tokens not already labelled.
    for (i, t) in tokens.iter().enumerate() {
        if out[i].is_empty() && t.chars().next().is_some_and(char::is_uppercase) {
            if let Some(v) = kb.gaz().names.get(&crate::gazetteer::key(t)) {
                let best = v
                    .iter()
                    .filter_map(|&(j, _)| kb.gaz().entries.get(j as usize))
                    .map(|e| e.pop)
                    .max()
                    .unwrap_or(0);
                out[i] = if best >= 100_000 { "gazbig" } else { "gaz" }.to_string();
            }
        }
    }
    out
}

/// Feature hashes of token `i` (without the previous-tag features).
fn features(tokens: &[String], kbl: &[String], i: usize) -> Vec<u64> {
    let w = tokens[i].as_str();
    let low = w.to_lowercase();
    let get = |j: isize| -> (String, String) {
        let k = i as isize + j;
        if k < 0 {
            ("<s>".into(), "<s>".into())
        } else if k as usize >= tokens.len() {
            ("</s>".into(), "</s>".into())
        } else {
            let t = &tokens[k as usize];
            (t.to_lowercase(), shape(t))
        }
    };
    let chars: Vec<char> = low.chars().collect();
    let pre = |n: usize| chars.iter().take(n).collect::<String>();
    let suf = |n: usize| {
        chars[chars.len().saturating_sub(n)..]
            .iter()
            .collect::<String>()
    };
    let sh = shape(w);
    let (p1, ps1) = get(-1);
    let (p2, _) = get(-2);
    let (n1, ns1) = get(1);
    let (n2, _) = get(2);
    let kb = |j: isize| -> &str {
        let k = i as isize + j;
        if k < 0 || k as usize >= kbl.len() {
            "-"
        } else {
            kbl[k as usize].as_str()
        }
    };
    let mut f = vec![
        fnv(&["b"]),
        fnv(&["w", w]),
        fnv(&["l", &low]),
        fnv(&["sh", &sh]),
        fnv(&["p1", &pre(1)]),
        fnv(&["p2", &pre(2)]),
        fnv(&["p3", &pre(3)]),
        fnv(&["s1", &suf(1)]),
        fnv(&["s2", &suf(2)]),
        fnv(&["s3", &suf(3)]),
        fnv(&["s4", &suf(4)]),
        fnv(&["w-1", &p1]),
        fnv(&["w-2", &p2]),
        fnv(&["w+1", &n1]),
        fnv(&["w+2", &n2]),
        fnv(&["sh-1", &ps1]),
        fnv(&["sh+1", &ns1]),
        fnv(&["sh-1,0,+1", &ps1, &sh, &ns1]),
        fnv(&["w-1,0", &p1, &low]),
        fnv(&["w0,+1", &low, &n1]),
        fnv(&["kb", kb(0)]),
        fnv(&["kb-1", kb(-1)]),
        fnv(&["kb+1", kb(1)]),
        fnv(&["kb,sh", kb(0), &sh]),
        fnv(&["first", if i == 0 { "1" } else { "0" }, &sh]),
    ];
    // All-caps lines (headlines, datelines) read differently.
    let caps_line = tokens
        .iter()
        .filter(|t| t.chars().any(char::is_alphabetic))
        .all(|t| !t.chars().any(char::is_lowercase));
    if caps_line {
        f.push(fnv(&["capsline", &low]));
        f.push(fnv(&["capsline-kb", kb(0)]));
    }
    f
}

/// Averaged-perceptron weights of one feature.
#[derive(Clone)]
struct Weights {
    w: Vec<f32>,
    total: Vec<f32>,
    stamp: Vec<u32>,
}

/// A trained tagger.
pub struct NerModel {
    labels: Vec<String>,
    weights: HashMap<u64, Vec<f32>>,
}

fn prev_feats(prev: &str, prev2: &str, low: &str) -> [u64; 3] {
    [
        fnv(&["t-1", prev]),
        fnv(&["t-2,-1", prev2, prev]),
        fnv(&["t-1,w", prev, low]),
    ]
}

/// Whether `label` may follow `prev` in BIO.
fn allowed(prev: &str, label: &str) -> bool {
    match label.strip_prefix("I-") {
        Some(ty) => prev.strip_prefix("B-").or(prev.strip_prefix("I-")) == Some(ty),
        None => true,
    }
}

impl NerModel {
    /// Trains on `data` for `epochs` passes (5 is plenty), with the knowledge base's matches as
    /// features.
    pub fn train(kb: &Kb, data: &[TaggedSentence], epochs: usize) -> NerModel {
        let mut labels: Vec<String> = data.iter().flat_map(|s| s.tags.iter().cloned()).collect();
        labels.sort();
        labels.dedup();
        // IOB1 data (I- starting an entity) is turned into BIO.
        let data: Vec<TaggedSentence> = data
            .iter()
            .map(|s| {
                let mut tags = vec!["O".to_string(); s.tags.len()];
                for (a, b, ty) in spans(&s.tags) {
                    for (k, t) in tags.iter_mut().enumerate().take(b).skip(a) {
                        *t = format!("{}-{ty}", if k == a { "B" } else { "I" });
                    }
                }
                TaggedSentence {
                    tokens: s.tokens.clone(),
                    tags,
                }
            })
            .collect();
        for s in &data {
            for t in &s.tags {
                if !labels.contains(t) {
                    labels.push(t.clone());
                }
            }
        }
        labels.sort();
        let nl = labels.len();
        let idx: HashMap<&str, usize> = labels
            .iter()
            .enumerate()
            .map(|(i, l)| (l.as_str(), i))
            .collect();
        let feats: Vec<(Vec<Vec<u64>>, Vec<String>)> = data
            .iter()
            .map(|s| {
                let kbl = kb_labels(kb, &s.tokens);
                (
                    (0..s.tokens.len())
                        .map(|i| features(&s.tokens, &kbl, i))
                        .collect(),
                    s.tokens.iter().map(|t| t.to_lowercase()).collect(),
                )
            })
            .collect();
        let mut ws: HashMap<u64, Weights> = HashMap::new();
        let mut clock: u32 = 0;
        let mut order: Vec<usize> = (0..data.len()).collect();
        let mut seed: u64 = 42;
        for _ in 0..epochs {
            // Shuffle (xorshift) so that the average does not follow the file's order.
            for i in (1..order.len()).rev() {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                order.swap(i, (seed % (i as u64 + 1)) as usize);
            }
            for &si in &order {
                let (fs, lows) = &feats[si];
                let gold = &data[si].tags;
                let mut prev = "<s>".to_string();
                let mut prev2 = "<s>".to_string();
                for i in 0..fs.len() {
                    clock += 1;
                    let pf = prev_feats(&prev, &prev2, &lows[i]);
                    let mut scores = vec![0f32; nl];
                    for f in fs[i].iter().chain(pf.iter()) {
                        if let Some(w) = ws.get(f) {
                            for (s, x) in scores.iter_mut().zip(&w.w) {
                                *s += x;
                            }
                        }
                    }
                    let guess = (0..nl)
                        .filter(|&l| allowed(&prev, &labels[l]))
                        .max_by(|&a, &b| scores[a].total_cmp(&scores[b]))
                        .unwrap_or(0);
                    let truth = idx.get(gold[i].as_str()).copied().unwrap_or(0);
                    if guess != truth {
                        for f in fs[i].iter().chain(pf.iter()) {
                            let w = ws.entry(*f).or_insert_with(|| Weights {
                                w: vec![0.0; nl],
                                total: vec![0.0; nl],
                                stamp: vec![0; nl],
                            });
                            for (l, d) in [(truth, 1.0f32), (guess, -1.0f32)] {
                                w.total[l] += (clock - w.stamp[l]) as f32 * w.w[l];
                                w.stamp[l] = clock;
                                w.w[l] += d;
                            }
                        }
                    }
                    // Train on the gold history (fast, and what greedy taggers usually do).
                    prev2 = std::mem::replace(&mut prev, gold[i].clone());
                }
            }
        }
        let weights = ws
            .into_iter()
            .map(|(f, mut w)| {
                let avg: Vec<f32> = (0..nl)
                    .map(|l| {
                        w.total[l] += (clock - w.stamp[l]) as f32 * w.w[l];
                        w.total[l] / clock.max(1) as f32
                    })
                    .collect();
                (f, avg)
            })
            .filter(|(_, w)| w.iter().any(|x| x.abs() > 1e-6))
            .collect();
        NerModel { labels, weights }
    }

    /// Number of features with weights.
    pub fn feature_count(&self) -> usize {
        self.weights.len()
    }

    /// BIO tags of `tokens`.
    pub fn tag(&self, kb: &Kb, tokens: &[String]) -> Vec<String> {
        let kbl = kb_labels(kb, tokens);
        let nl = self.labels.len();
        let mut out = Vec::with_capacity(tokens.len());
        let mut prev = "<s>".to_string();
        let mut prev2 = "<s>".to_string();
        for i in 0..tokens.len() {
            let fs = features(tokens, &kbl, i);
            let pf = prev_feats(&prev, &prev2, &tokens[i].to_lowercase());
            let mut scores = vec![0f32; nl];
            for f in fs.iter().chain(pf.iter()) {
                if let Some(w) = self.weights.get(f) {
                    for (s, x) in scores.iter_mut().zip(w) {
                        *s += x;
                    }
                }
            }
            let best = (0..nl)
                .filter(|&l| allowed(&prev, &self.labels[l]))
                .max_by(|&a, &b| scores[a].total_cmp(&scores[b]))
                .and_then(|l| self.labels.get(l))
                .cloned()
                .unwrap_or_else(|| "O".to_string());
            prev2 = std::mem::replace(&mut prev, best.clone());
            out.push(best);
        }
        out
    }

    /// Writes the model (labels, then feature hash and weights, little-endian).
    pub fn save(&self, w: &mut impl Write) -> std::io::Result<()> {
        w.write_all(b"WCNER1\n")?;
        w.write_all(format!("{}\n", self.labels.join(" ")).as_bytes())?;
        w.write_all(&(self.weights.len() as u64).to_le_bytes())?;
        for (f, ws) in &self.weights {
            w.write_all(&f.to_le_bytes())?;
            for x in ws {
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
        let rest = buf
            .strip_prefix(b"WCNER1\n")
            .ok_or_else(|| bad("not a model"))?;
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
        let mut weights = HashMap::with_capacity(n as usize);
        for _ in 0..n {
            let f = u64::from_le_bytes(take(8)?.try_into().map_err(|_| bad("feature"))?);
            let mut v = Vec::with_capacity(nl);
            for _ in 0..nl {
                v.push(f32::from_le_bytes(
                    take(4)?.try_into().map_err(|_| bad("weight"))?,
                ));
            }
            weights.insert(f, v);
        }
        Ok(NerModel { labels, weights })
    }
}
