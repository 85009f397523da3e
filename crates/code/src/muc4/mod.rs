//! MUC-4 role fillers: who attacked (individual, organisation), what (target), whom (victim)
//! and with what (weapon), read from a whole news text, as in the MUC-4 terrorism task.
//!
//! [`Muc4Model`] is a greedy averaged-perceptron tagger with BIO tags per role over words,
//! affixes, neighbours, small word lists (organisation words, weapons, titles, victims,
//! targets), the nearest attack trigger on each side and the document's attack vocabulary,
//! the kinds of incident the sentence speaks of, all case-insensitive (MUC-4 texts are
//! lower-cased or ALL CAPS). Its spans are gathered per document: spans with the same head
//! noun, or whose words are among another's ("guerrillas", "guerrilla column"), are one
//! filler. A bias against the "outside" tag sets how many spans come out; it is tuned by
//! cross-validation over contiguous folds of the training documents.
//!
//! No model ships (the MUC-4 data is for research only): [`Muc4Model::train`] trains one from
//! `gtt_processed_train.jsonl` in about a minute. Without a model, [`rules_roles`] gives a
//! rough rule-based answer.
//!
//! [`score`] holds the document-level head-noun scorer.

#[doc(hidden)]
pub mod experiment;
mod features;
pub mod score;
mod text;

use std::collections::HashMap;
use std::io::{Read, Write};

use features::{fnv, DocInfo};
pub use score::{GoldRoles, Muc4Report, Prf};
use text::Tok;
pub use text::{head_noun, normalize};

/// The five MUC-4 roles, in output order.
pub const ROLES: [&str; 5] = ["PerpInd", "PerpOrg", "Target", "Victim", "Weapon"];

/// Labels: `O`, then `B-role`, `I-role` for each role in [`ROLES`] order.
const NL: usize = 1 + 2 * ROLES.len();

/// Errors reading MUC-4 documents or models.
#[derive(Debug, thiserror::Error)]
pub enum Muc4Error {
    /// A line is not a MUC-4 document.
    #[error("line {line}: {msg}")]
    Line {
        /// 1-based line number.
        line: usize,
        /// What is wrong.
        msg: String,
    },
    /// A model file is damaged or of another kind.
    #[error("model: {0}")]
    Model(String),
    /// Reading or writing failed.
    #[error(transparent)]
    Io(#[from] std::io::Error),
}

/// One document: id, text and, when the input has templates, the gold entities per role.
#[derive(Debug, Clone)]
pub struct Muc4Doc {
    /// `docid`.
    pub docid: String,
    /// `doctext`.
    pub text: String,
    /// Gold entities per role (merged over the templates), when the line has `templates`.
    pub gold: Option<GoldRoles>,
}

/// Fillers per role, in [`ROLES`] order, each the text as it appears.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Roles(pub [Vec<String>; 5]);

impl Roles {
    /// `{"PerpInd": [...], ...}`.
    pub fn to_json(&self) -> serde_json::Value {
        let mut m = serde_json::Map::new();
        for (r, name) in ROLES.iter().enumerate() {
            m.insert((*name).to_string(), serde_json::json!(self.0[r]));
        }
        serde_json::Value::Object(m)
    }
}

/// Reads one MUC-4 JSON line: `{"docid", "doctext", "templates"?}`.
pub fn parse_line(line: &str, lineno: usize) -> Result<Muc4Doc, Muc4Error> {
    let bad = |msg: String| Muc4Error::Line { line: lineno, msg };
    let v: serde_json::Value =
        serde_json::from_str(line).map_err(|e| bad(format!("not JSON: {e}")))?;
    let docid = match v.get("docid") {
        Some(serde_json::Value::String(s)) => s.clone(),
        Some(serde_json::Value::Number(n)) => n.to_string(),
        _ => return Err(bad("no \"docid\"".into())),
    };
    let text = v
        .get("doctext")
        .and_then(|t| t.as_str())
        .ok_or_else(|| bad(format!("{docid}: no \"doctext\" string")))?
        .to_string();
    let gold = match v.get("templates") {
        Some(serde_json::Value::Array(ts)) => Some(gold_of(ts)),
        _ => None,
    };
    Ok(Muc4Doc { docid, text, gold })
}

/// Gold entities of templates (`"Role": [[[mention, offset], ...], ...]`), merged across
/// templates when two entities share a normalised mention.
fn gold_of(templates: &[serde_json::Value]) -> GoldRoles {
    let mut out: GoldRoles = Default::default();
    for (r, role) in ROLES.iter().enumerate() {
        let ents = &mut out[r];
        for t in templates {
            let Some(list) = t.get(*role).and_then(|x| x.as_array()) else {
                continue;
            };
            for e in list {
                let mentions: Vec<String> = e
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(|m| match m {
                        serde_json::Value::Array(a) => a.first()?.as_str().map(str::to_string),
                        serde_json::Value::String(s) => Some(s.clone()),
                        _ => None,
                    })
                    .collect();
                if mentions.is_empty() {
                    continue;
                }
                let norm: Vec<String> = mentions.iter().map(|m| normalize(m)).collect();
                let same = ents
                    .iter()
                    .position(|x: &Vec<String>| x.iter().any(|m| norm.contains(&normalize(m))));
                match same {
                    Some(k) => {
                        for m in mentions {
                            if !ents[k].contains(&m) {
                                ents[k].push(m);
                            }
                        }
                    }
                    None => ents.push(mentions),
                }
            }
        }
    }
    out
}

/// Training settings.
#[derive(Debug, Clone)]
pub struct TrainOptions {
    /// Passes over the data.
    pub epochs: usize,
    /// Folds for tuning the bias against `O` by cross-validation (0 or 1: no tuning, no
    /// bias).
    pub folds: usize,
}

impl Default for TrainOptions {
    fn default() -> Self {
        TrainOptions {
            epochs: 10,
            folds: 4,
        }
    }
}

/// Tagger weights: one row of label scores per feature hash.
type Weights = HashMap<u64, [f32; NL]>;

/// Biases tried when tuning (higher: more spans, so more fillers).
const BIASES: [f32; 11] = [
    0.0, 5.0, 10.0, 15.0, 20.0, 25.0, 30.0, 35.0, 40.0, 50.0, 60.0,
];

/// A trained role tagger and its bias per role.
pub struct Muc4Model {
    weights: Weights,
    /// Added to each role's labels when decoding (higher = more spans of that role): the
    /// roles differ in how sure the tagger is, so each gets its own.
    bias: [f32; 5],
}

/// A document-level candidate filler.
#[derive(Debug, Clone)]
pub(crate) struct Cand {
    /// Text of the most confident mention.
    pub text: String,
    /// Its head noun.
    pub head: String,
    /// Highest span confidence.
    pub best: f32,
    /// Summed span confidence.
    pub sum: f32,
    /// Mentions tagged.
    pub count: usize,
    /// First sentence a mention is in.
    pub first_sent: usize,
    /// Token range of the most confident mention.
    pub tok: (usize, usize),
    /// Sentences of all its mentions.
    pub sents: Vec<usize>,
}

/// A document prepared for tagging: tokens, sentences and the features of every token.
struct Prepared {
    toks: Vec<Tok>,
    sents: Vec<(usize, usize)>,
    feats: Vec<Vec<u64>>,
}

fn prepare(text: &str) -> Prepared {
    let toks = text::tokenize(text);
    let sents = text::sentences(text, &toks);
    let info = DocInfo::new(&toks, &sents);
    // The shipped parser, when it loads; without it the tagger runs on word features alone.
    let parser = wirecoder_syntax::Model::shared().ok();
    let mut feats = Vec::with_capacity(toks.len());
    for (si, &s) in sents.iter().enumerate() {
        // Very long run-on stretches are left unparsed: parses of them are poor and slow.
        let parse = parser.filter(|_| s.1 - s.0 <= MAX_PARSE).map(|m| {
            let forms: Vec<&str> = toks[s.0..s.1].iter().map(|t| t.low.as_str()).collect();
            m.analyse_words(&forms)
        });
        for i in s.0..s.1 {
            feats.push(features::features(&toks, s, si, &info, parse.as_deref(), i));
        }
    }
    Prepared { toks, sents, feats }
}

/// BIO label indices of a document's tokens from its gold mentions: every occurrence of a
/// mention's words is tagged, longer mentions first.
/// Documents prepared, with their gold labels (none for a document without templates): a
/// tagger's training data.
fn labelled(docs: &[&Muc4Doc]) -> Vec<(Prepared, Vec<usize>)> {
    docs.iter()
        .map(|d| {
            let p = prepare(&d.text);
            let l = d
                .gold
                .as_ref()
                .map(|g| gold_labels(&p, g))
                .unwrap_or_default();
            (p, l)
        })
        .collect()
}

fn gold_labels(p: &Prepared, gold: &GoldRoles) -> Vec<usize> {
    let mut labels = vec![0usize; p.toks.len()];
    let mut mentions: Vec<(usize, Vec<String>)> = Vec::new();
    for (r, ents) in gold.iter().enumerate() {
        for e in ents {
            for m in e {
                let words: Vec<String> = text::tokenize(m).into_iter().map(|t| t.low).collect();
                if !words.is_empty() {
                    mentions.push((r, words));
                }
            }
        }
    }
    mentions.sort_by_key(|(_, w)| std::cmp::Reverse(w.len()));
    for (r, words) in &mentions {
        let n = words.len();
        for &(a, b) in &p.sents {
            let mut i = a;
            while i + n <= b {
                let hit = (0..n).all(|k| p.toks[i + k].low == words[k])
                    && labels[i..i + n].iter().all(|&l| l == 0);
                if hit {
                    labels[i] = 1 + 2 * r;
                    for l in &mut labels[i + 1..i + n] {
                        *l = 2 + 2 * r;
                    }
                    i += n;
                } else {
                    i += 1;
                }
            }
        }
    }
    labels
}

fn prev_feats(prev: usize, prev2: usize, w: &str) -> [u64; 3] {
    let (a, b) = (prev.to_string(), prev2.to_string());
    [
        fnv(&["t-1", &a]),
        fnv(&["t-2,-1", &b, &a]),
        fnv(&["t-1,w", &a, w]),
    ]
}

/// Whether label `l` may follow `prev` (an `I-` only after the same role's `B-` or `I-`).
fn allowed(prev: usize, l: usize) -> bool {
    l == 0 || l % 2 == 1 || (prev != 0 && prev.div_ceil(2) == l / 2)
}

/// A span the tagger found: role, token range, mean margin over `O`.
struct Span {
    role: usize,
    a: usize,
    b: usize,
    conf: f32,
}

/// Trainable weights with lazy averaging.
struct Trainer {
    index: HashMap<u64, usize>,
    w: Vec<[f32; NL]>,
    total: Vec<[f32; NL]>,
    stamp: Vec<[u32; NL]>,
    clock: u32,
}

impl Trainer {
    fn score(&self, feats: &[u64], pf: &[u64]) -> [f32; NL] {
        let mut s = [0f32; NL];
        for f in feats.iter().chain(pf) {
            if let Some(&k) = self.index.get(f) {
                for (x, y) in s.iter_mut().zip(&self.w[k]) {
                    *x += y;
                }
            }
        }
        s
    }

    fn update(&mut self, feats: &[u64], pf: &[u64], truth: usize, guess: usize) {
        for f in feats.iter().chain(pf) {
            let n = self.w.len();
            let k = *self.index.entry(*f).or_insert(n);
            if k == n {
                self.w.push([0.0; NL]);
                self.total.push([0.0; NL]);
                self.stamp.push([0; NL]);
            }
            for (l, d) in [(truth, 1.0f32), (guess, -1.0f32)] {
                self.total[k][l] += (self.clock - self.stamp[k][l]) as f32 * self.w[k][l];
                self.stamp[k][l] = self.clock;
                self.w[k][l] += d;
            }
        }
    }

    fn finish(self) -> HashMap<u64, [f32; NL]> {
        let clock = self.clock.max(1);
        let mut out = HashMap::with_capacity(self.index.len());
        for (f, k) in self.index {
            let mut avg = [0f32; NL];
            for (l, a) in avg.iter_mut().enumerate() {
                let total = self.total[k][l] + (clock - self.stamp[k][l]) as f32 * self.w[k][l];
                *a = total / clock as f32;
            }
            if avg.iter().any(|x| x.abs() > 1e-6) {
                out.insert(f, avg);
            }
        }
        out
    }
}

/// A tagger trained on all of `data` but fold `k` of `folds`, and the indices of fold `k`'s
/// documents. The folds are contiguous: neighbouring MUC documents often retell the same
/// incident, and a fold must not have seen the story it is scored on.
fn train_out_of_fold(
    data: &[(Prepared, Vec<usize>)],
    folds: usize,
    k: usize,
    epochs: usize,
    log: &mut dyn FnMut(&str),
) -> (HashMap<u64, [f32; NL]>, Vec<usize>) {
    let fold_of = |i: usize| i * folds / data.len().max(1);
    let (held, fit): (Vec<usize>, Vec<usize>) = (0..data.len()).partition(|&i| fold_of(i) == k);
    let fit: Vec<&(Prepared, Vec<usize>)> = fit.into_iter().map(|i| &data[i]).collect();
    (train_weights(&fit, epochs, log), held)
}

#[allow(clippy::needless_range_loop)] // tokens, features and gold labels share the index
fn train_weights(
    data: &[&(Prepared, Vec<usize>)],
    epochs: usize,
    log: &mut dyn FnMut(&str),
) -> HashMap<u64, [f32; NL]> {
    let mut t = Trainer {
        index: HashMap::new(),
        w: Vec::new(),
        total: Vec::new(),
        stamp: Vec::new(),
        clock: 0,
    };
    let mut order: Vec<usize> = (0..data.len()).collect();
    let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
    for epoch in 0..epochs {
        for i in (1..order.len()).rev() {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            order.swap(i, (seed % (i as u64 + 1)) as usize);
        }
        let (mut right, mut all) = (0usize, 0usize);
        for &d in &order {
            let (p, gold) = &data[d];
            for &(a, b) in &p.sents {
                let (mut prev, mut prev2) = (0usize, 0usize);
                for i in a..b {
                    t.clock += 1;
                    let pf = prev_feats(prev, prev2, &p.toks[i].low);
                    let s = t.score(&p.feats[i], &pf);
                    let guess = (0..NL)
                        .filter(|&l| allowed(prev, l))
                        .max_by(|&x, &y| s[x].total_cmp(&s[y]))
                        .unwrap_or(0);
                    let truth = gold[i];
                    if guess != truth {
                        t.update(&p.feats[i], &pf, truth, guess);
                    } else {
                        right += 1;
                    }
                    all += 1;
                    prev2 = prev;
                    prev = truth;
                }
            }
        }
        log(&format!(
            "epoch {} token accuracy {:.4}",
            epoch + 1,
            right as f64 / all.max(1) as f64
        ));
    }
    t.finish()
}

impl Muc4Model {
    /// Trains on documents with gold templates (those without are skipped). With `folds ≥ 2`,
    /// the bias against `O` is tuned first: taggers trained on all folds but one tag the one
    /// left out, and the bias with the best document-level micro F1 over all folds wins. Then
    /// the tagger is trained on everything.
    pub fn train(docs: &[Muc4Doc], opts: &TrainOptions, log: &mut dyn FnMut(&str)) -> Muc4Model {
        let docs: Vec<&Muc4Doc> = docs.iter().filter(|d| d.gold.is_some()).collect();
        let data = labelled(&docs);
        log(&format!("{} training documents", data.len()));
        let mut bias = [BIASES[3]; 5];
        if opts.folds >= 2 {
            // Out-of-fold counts per uniform bias and role; each role's bias is then chosen
            // for the best micro F1 (a role's counts hardly depend on the other roles' biases).
            let mut table = vec![[Prf::default(); 5]; BIASES.len()];
            for k in 0..opts.folds {
                let (weights, held) = train_out_of_fold(&data, opts.folds, k, opts.epochs, log);
                for i in held {
                    let p = &data[i].0;
                    let Some(gold) = docs[i].gold.as_ref() else {
                        continue;
                    };
                    let stat = static_scores(&weights, p);
                    for (b, row) in BIASES.iter().zip(&mut table) {
                        let roles = fillers(&weights, p, &stat, &docs[i].text, &[*b; 5]);
                        for (x, y) in row.iter_mut().zip(score::score_doc(&roles, gold)) {
                            x.add(y);
                        }
                    }
                }
                log(&format!("fold {} of {} scored", k + 1, opts.folds));
            }
            for (b, row) in BIASES.iter().zip(&table) {
                let mut m = Prf::default();
                row.iter().for_each(|x| m.add(*x));
                log(&format!(
                    "bias {b:>4}: out-of-fold P {:.3} R {:.3} F1 {:.3}",
                    m.precision(),
                    m.recall(),
                    m.f1()
                ));
            }
            bias = choose_biases(&table);
            let mut m = Prf::default();
            for (r, b) in bias.iter().enumerate() {
                let k = BIASES.iter().position(|x| x == b).unwrap_or(0);
                m.add(table[k][r]);
            }
            log(&format!(
                "role biases {bias:?} chosen: out-of-fold P {:.3} R {:.3} F1 {:.3}",
                m.precision(),
                m.recall(),
                m.f1()
            ));
        }
        let all: Vec<&(Prepared, Vec<usize>)> = data.iter().collect();
        let weights = train_weights(&all, opts.epochs, log);
        Muc4Model { weights, bias }
    }

    /// The role fillers of one text.
    pub fn roles(&self, text: &str) -> Roles {
        let p = prepare(text);
        let stat = static_scores(&self.weights, &p);
        fillers(&self.weights, &p, &stat, text, &self.bias)
    }

    /// The role biases used when decoding, in [`ROLES`] order.
    pub fn biases(&self) -> [f32; 5] {
        self.bias
    }

    /// Replaces the role biases (for experiments; training tunes them).
    pub fn set_biases(&mut self, bias: [f32; 5]) {
        self.bias = bias;
    }

    /// Number of features with weights.
    pub fn feature_count(&self) -> usize {
        self.weights.len()
    }

    /// Writes the model: magic, label count, the role biases, then features (little-endian).
    pub fn save(&self, w: &mut impl Write) -> Result<(), Muc4Error> {
        w.write_all(MAGIC)?;
        w.write_all(&(NL as u32).to_le_bytes())?;
        for b in self.bias {
            w.write_all(&b.to_le_bytes())?;
        }
        w.write_all(&(self.weights.len() as u64).to_le_bytes())?;
        for (f, ws) in &self.weights {
            w.write_all(&f.to_le_bytes())?;
            for x in ws {
                w.write_all(&x.to_le_bytes())?;
            }
        }
        Ok(())
    }

    /// Reads a model written by [`Muc4Model::save`].
    pub fn load(r: &mut impl Read) -> Result<Muc4Model, Muc4Error> {
        let mut buf = Vec::new();
        r.read_to_end(&mut buf)?;
        let mut p = buf
            .strip_prefix(MAGIC)
            .ok_or_else(|| Muc4Error::Model("not a wirecoder MUC-4 model".into()))?;
        let mut take = |n: usize| -> Result<&[u8], Muc4Error> {
            if p.len() < n {
                return Err(Muc4Error::Model("truncated".into()));
            }
            let (a, b) = p.split_at(n);
            p = b;
            Ok(a)
        };
        let word = |b: &[u8]| -> [u8; 4] { [b[0], b[1], b[2], b[3]] };
        let nl = u32::from_le_bytes(word(take(4)?)) as usize;
        if nl != NL {
            return Err(Muc4Error::Model(format!("{nl} labels, expected {NL}")));
        }
        let mut bias = [0f32; 5];
        for b in &mut bias {
            *b = f32::from_le_bytes(word(take(4)?));
        }
        let b8 = take(8)?;
        let n = u64::from_le_bytes([b8[0], b8[1], b8[2], b8[3], b8[4], b8[5], b8[6], b8[7]]);
        let mut weights = HashMap::with_capacity(n.min(1 << 24) as usize);
        for _ in 0..n {
            let b8 = take(8)?;
            let f = u64::from_le_bytes([b8[0], b8[1], b8[2], b8[3], b8[4], b8[5], b8[6], b8[7]]);
            let mut v = [0f32; NL];
            for x in &mut v {
                *x = f32::from_le_bytes(word(take(4)?));
            }
            weights.insert(f, v);
        }
        Ok(Muc4Model { weights, bias })
    }
}

/// Label scores of every token from its own features (without the previous-tag features,
/// which depend on the decoding), so that several biases decode one scoring pass.
fn static_scores(weights: &Weights, p: &Prepared) -> Vec<[f32; NL]> {
    p.feats
        .iter()
        .map(|fs| {
            let mut s = [0f32; NL];
            for f in fs {
                if let Some(w) = weights.get(f) {
                    for (x, y) in s.iter_mut().zip(w) {
                        *x += y;
                    }
                }
            }
            s
        })
        .collect()
}

/// Tags the tokens of one document greedily, each role's labels raised by its bias; spans
/// with their mean margin over `O`.
#[allow(clippy::needless_range_loop)] // tokens and their scores share the index
fn spans(weights: &Weights, p: &Prepared, stat: &[[f32; NL]], bias: &[f32; 5]) -> Vec<Span> {
    let mut out = Vec::new();
    for &(a, b) in &p.sents {
        let (mut prev, mut prev2) = (0usize, 0usize);
        let mut cur: Option<Span> = None;
        let mut margins = 0f32;
        for i in a..b {
            let pf = prev_feats(prev, prev2, &p.toks[i].low);
            let mut s = stat[i];
            for f in &pf {
                if let Some(w) = weights.get(f) {
                    for (x, y) in s.iter_mut().zip(w) {
                        *x += y;
                    }
                }
            }
            for (r, b) in bias.iter().enumerate() {
                s[1 + 2 * r] += b;
                s[2 + 2 * r] += b;
            }
            let l = (0..NL)
                .filter(|&l| allowed(prev, l))
                .max_by(|&x, &y| s[x].total_cmp(&s[y]))
                .unwrap_or(0);
            let margin = s[l] - s[0];
            if l == 0 || l % 2 == 1 {
                if let Some(mut sp) = cur.take() {
                    sp.conf = margins / (sp.b - sp.a) as f32;
                    out.push(sp);
                }
                if l % 2 == 1 {
                    cur = Some(Span {
                        role: l / 2,
                        a: i,
                        b: i + 1,
                        conf: 0.0,
                    });
                    margins = margin;
                }
            } else if let Some(sp) = cur.as_mut() {
                sp.b = i + 1;
                margins += margin;
            }
            prev2 = prev;
            prev = l;
        }
        if let Some(mut sp) = cur.take() {
            sp.conf = margins / (sp.b - sp.a) as f32;
            out.push(sp);
        }
    }
    out
}

/// Document-level candidates per role: one per entity (head-noun groups, merged when one
/// names the other), with the text of its most confident mention.
fn candidates(
    weights: &Weights,
    p: &Prepared,
    stat: &[[f32; NL]],
    text: &str,
    bias: &[f32; 5],
) -> [Vec<Cand>; 5] {
    let mut groups: [Vec<Cand>; 5] = Default::default();
    for mut sp in spans(weights, p, stat, bias) {
        if sp.role == 1 {
            sp.b = org_end(&p.toks, sp.a, sp.b);
        }
        let (Some(first), Some(last)) = (p.toks.get(sp.a), p.toks.get(sp.b - 1)) else {
            continue;
        };
        let Some(s) = text.get(first.start..last.end) else {
            continue;
        };
        let head = head_noun(s);
        if head.is_empty() {
            continue;
        }
        let sent = p.sents.partition_point(|x| x.1 <= sp.a);
        let g = &mut groups[sp.role];
        match g.iter_mut().find(|x| x.head == head) {
            Some(x) => {
                if sp.conf > x.best {
                    x.text = s.to_string();
                    x.best = sp.conf;
                    x.tok = (sp.a, sp.b);
                }
                x.sum += sp.conf;
                x.count += 1;
                x.first_sent = x.first_sent.min(sent);
                x.sents.push(sent);
            }
            None => g.push(Cand {
                text: s.to_string(),
                head,
                best: sp.conf,
                sum: sp.conf,
                count: 1,
                first_sent: sent,
                tok: (sp.a, sp.b),
                sents: vec![sent],
            }),
        }
    }
    let acr = acronyms(p);
    groups.map(|g| merge_same_entity(g, &acr))
}

/// Words that follow an organisation's name without being part of it ("shining path
/// *guerrillas*", "the shining path *organization*"): the name is the filler.
const ORG_TRAILERS: &[&str] = &[
    "guerrillas",
    "guerrilla",
    "organization",
    "organizations",
    "column",
    "columns",
    "terrorists",
    "terrorist",
    "rebels",
    "members",
    "cell",
    "cells",
    "commando",
    "commandos",
    "urban",
];

/// Where an organisation filler's name ends: at a closing quote inside it (`"shining path"
/// group`), else before trailing words of [`ORG_TRAILERS`], keeping at least one word.
fn org_end(toks: &[Tok], a: usize, b: usize) -> usize {
    let quote = |t: &Tok| matches!(t.low.as_str(), "\"" | "'" | "\u{201d}" | "\u{201c}");
    let mut end = b;
    // A quote that closes a quoted name ends the name.
    if let Some(k) = (a + 1..b.saturating_sub(1)).find(|&k| toks.get(k).is_some_and(quote)) {
        let opened = (a..k).any(|j| toks.get(j).is_some_and(quote))
            || toks.get(a.wrapping_sub(1)).is_some_and(quote);
        if opened || k > a + 1 {
            end = k;
        }
    }
    while end > a + 1
        && toks
            .get(end - 1)
            .is_some_and(|t| ORG_TRAILERS.contains(&t.low.as_str()) || quote(t))
    {
        end -= 1;
    }
    end
}

/// Content words of a filler with a plural `s` dropped ("guerrillas" → "guerrilla").
fn stems(s: &str) -> Vec<String> {
    normalize(s)
        .split(' ')
        .filter(|w| !w.is_empty() && !matches!(*w, "the" | "a" | "an" | "of" | "and"))
        .map(|w| match w.strip_suffix('s') {
            Some(x) if x.len() > 2 && !x.ends_with('s') => x.to_string(),
            _ => w.to_string(),
        })
        .collect()
}

/// Merges head-noun groups that name the same thing, one's words a subset of the other's
/// ("guerrillas" and "guerrilla column", "bernardo" and "bernardo jaramillo"): the gold counts
/// an entity once, so a second filler for it would be a false positive.
fn merge_same_entity(mut g: Vec<Cand>, acr: &[(String, Vec<String>)]) -> Vec<Cand> {
    // Longer fillers first, so that shorter ones fold into them.
    g.sort_by_key(|x| std::cmp::Reverse(stems(&x.text).len()));
    let mut out: Vec<(Cand, Vec<String>)> = Vec::new();
    for c in g {
        let st = stems(&c.text);
        match out.iter_mut().find(|o| {
            !st.is_empty() && st.iter().all(|w| o.1.contains(w)) || abbreviates(&st, &o.1, acr)
        }) {
            Some((o, _)) => {
                o.best = o.best.max(c.best);
                o.sum += c.sum;
                o.count += c.count;
                o.first_sent = o.first_sent.min(c.first_sent);
                o.sents.extend(c.sents);
            }
            None => out.push((c, st)),
        }
    }
    out.into_iter().map(|(c, _)| c).collect()
}

const MAGIC: &[u8] = b"WCMUC4v6\n";

/// Longest sentence (in tokens) given to the parser.
const MAX_PARSE: usize = 120;

/// Acronyms the text spells out: "farabundo marti national liberation front (fmln)" gives
/// ("fmln", the stems of the eight words before the parenthesis).
fn acronyms(p: &Prepared) -> Vec<(String, Vec<String>)> {
    let t = &p.toks;
    let mut out = Vec::new();
    for i in 1..t.len().saturating_sub(2) {
        let x = &t[i + 1].low;
        if t[i].low == "(" && t[i + 2].low == ")" && (2..=7).contains(&x.len()) {
            let before = t[i.saturating_sub(8)..i]
                .iter()
                .flat_map(|w| stems(&w.low))
                .collect();
            out.push((x.clone(), before));
        }
    }
    out
}

/// Whether a one-word filler is the acronym of another (stems `long`): spelt out in the text
/// before it in parentheses, or its letters all among the long name's initials
/// ("fmln", "farabundo marti national liberation front").
fn abbreviates(short: &[String], long: &[String], acr: &[(String, Vec<String>)]) -> bool {
    let [x] = short else { return false };
    if long.len() < 2 || x.len() < 2 || !x.chars().all(|c| c.is_ascii_alphabetic()) {
        return false;
    }
    if acr
        .iter()
        .any(|(a, before)| a == x && long.iter().all(|w| before.contains(w)))
    {
        return true;
    }
    let mut initials: Vec<char> = long.iter().filter_map(|w| w.chars().next()).collect();
    x.len() >= 3
        && x.chars()
            .all(|c| match initials.iter().position(|&i| i == c) {
                Some(k) => {
                    initials.swap_remove(k);
                    true
                }
                None => false,
            })
}

/// Role biases from out-of-fold counts at uniform biases (`table[b][role]`): the uniform bias
/// with the best micro F1. Choosing each role's bias on its own fitted the folds (+0.014 out of
/// fold) but lost 0.022 on a held-out fifth of the training data, so the roles share one.
fn choose_biases(table: &[[Prf; 5]]) -> [f32; 5] {
    let micro = |b: usize| {
        let mut m = Prf::default();
        table[b].iter().for_each(|x| m.add(*x));
        m.f1()
    };
    let best = (0..table.len())
        .max_by(|&x, &y| micro(x).total_cmp(&micro(y)))
        .unwrap_or(3);
    [BIASES.get(best).copied().unwrap_or(BIASES[3]); 5]
}

/// The document-level fillers the tagger finds with the role biases `bias`.
fn fillers(
    weights: &Weights,
    p: &Prepared,
    stat: &[[f32; NL]],
    text: &str,
    bias: &[f32; 5],
) -> Roles {
    let mut out = Roles::default();
    for (r, cands) in candidates(weights, p, stat, text, bias)
        .into_iter()
        .enumerate()
    {
        out.0[r] = cands.into_iter().map(|c| c.text).collect();
    }
    out
}

/// Rough role fillers without a model: known perpetrator words and organisation names,
/// weapons, and the noun phrase after a killing or attack verb, in sentences that hold an
/// attack trigger.
#[allow(clippy::needless_range_loop)] // tokens are looked at around the index
pub fn rules_roles(text: &str) -> Roles {
    let toks = text::tokenize(text);
    let sents = text::sentences(text, &toks);
    let mut out = Roles::default();
    let push = |r: usize, a: usize, b: usize, out: &mut Roles| {
        if let (Some(x), Some(y)) = (toks.get(a), toks.get(b.saturating_sub(1))) {
            if let Some(s) = text.get(x.start..y.end) {
                let h = head_noun(s);
                if !out.0[r].iter().any(|o| head_noun(o) == h) {
                    out.0[r].push(s.to_string());
                }
            }
        }
    };
    for &(a, b) in &sents {
        let trig: Vec<(usize, &str)> = (a..b)
            .filter_map(|i| features::trigger_class(&toks[i].low).map(|c| (i, c)))
            .filter(|(_, c)| matches!(*c, "attack" | "kill" | "bomb" | "kidnap" | "arson"))
            .collect();
        if trig.is_empty() {
            continue;
        }
        for i in a..b {
            let w = toks[i].low.as_str();
            if RULE_ORGS.contains(&w) {
                push(1, i, i + 1, &mut out);
            } else if RULE_PERPS.contains(&w) && trig.iter().any(|&(k, _)| k > i) {
                push(0, i, i + 1, &mut out);
            } else if RULE_WEAPONS.contains(&w) {
                push(4, i, i + 1, &mut out);
            }
        }
        // The object of a killing or attack verb: up to the next punctuation or preposition.
        for &(k, c) in &trig {
            let mut j = k + 1;
            while j < b && matches!(toks[j].low.as_str(), "the" | "a" | "an" | "two" | "three") {
                j += 1;
            }
            let start = j;
            while j < b
                && j < start + 4
                && toks[j].low.chars().all(char::is_alphabetic)
                && !matches!(
                    toks[j].low.as_str(),
                    "in" | "on"
                        | "at"
                        | "by"
                        | "with"
                        | "and"
                        | "who"
                        | "which"
                        | "of"
                        | "yesterday"
                        | "today"
                        | "last"
                )
            {
                j += 1;
            }
            if j > start {
                let role = if c == "bomb" || c == "arson" || c == "attack" {
                    2
                } else {
                    3
                };
                push(role, start, j, &mut out);
            }
        }
    }
    out
}

const RULE_ORGS: &[&str] = &[
    "fmln",
    "eln",
    "urng",
    "mrta",
    "farc",
    "extraditables",
    "m-19",
    "epl",
];
const RULE_PERPS: &[&str] = &[
    "guerrillas",
    "terrorists",
    "gunmen",
    "rebels",
    "subversives",
];
const RULE_WEAPONS: &[&str] = &[
    "bomb",
    "bombs",
    "dynamite",
    "explosives",
    "grenade",
    "grenades",
    "rifles",
    "machineguns",
    "mortars",
    "rockets",
];

#[cfg(test)]
mod tests {
    use super::*;

    const DOC: &str = r#"{"docid": "T-1", "doctext": "guerrillas of the farabundo marti national liberation front (fmln) attacked a power substation in san salvador with dynamite today.  a soldier guarding the substation was wounded.", "templates": [{"incident_type": "attack", "PerpInd": [[["guerrillas", 0]]], "PerpOrg": [[["farabundo marti national liberation front", 18], ["fmln", 60]]], "Target": [[["power substation", 77]]], "Victim": [[["soldier", 135]]], "Weapon": [[["dynamite", 115]]]}]}"#;

    #[test]
    fn reads_gold_and_tags_occurrences() {
        let d = parse_line(DOC, 1).expect("valid line");
        let g = d.gold.as_ref().expect("templates");
        assert_eq!(g[1][0].len(), 2);
        let p = prepare(&d.text);
        let labels = gold_labels(&p, g);
        // "substation" is tagged twice: after "power" and alone? Only "power substation" is
        // a mention, so the lone "substation" stays outside.
        let tagged: Vec<&str> = p
            .toks
            .iter()
            .zip(&labels)
            .filter(|(_, &l)| l != 0)
            .map(|(t, _)| t.low.as_str())
            .collect();
        assert_eq!(
            tagged,
            [
                "guerrillas",
                "farabundo",
                "marti",
                "national",
                "liberation",
                "front",
                "fmln",
                "power",
                "substation",
                "dynamite",
                "soldier"
            ]
        );
    }

    #[test]
    fn trained_model_round_trips_and_finds_fillers() {
        let d = parse_line(DOC, 1).expect("valid line");
        let docs = vec![d.clone(); 3];
        let opts = TrainOptions {
            epochs: 3,
            folds: 0,
        };
        let m = Muc4Model::train(&docs, &opts, &mut |_| {});
        let mut bytes = Vec::new();
        m.save(&mut bytes).expect("in memory");
        let m2 = Muc4Model::load(&mut bytes.as_slice()).expect("own format");
        let r = m2.roles(&d.text);
        assert_eq!(r, m.roles(&d.text));
        assert_eq!(r.0[4], ["dynamite"]);
        assert!(r.0[1].iter().any(|s| s == "fmln" || s.contains("front")));
    }

    #[test]
    fn organisation_names_and_acronyms() {
        let t = text::tokenize("the \"shining path\" organization attacked");
        // Tokens: the " shining path " organization attacked.
        assert_eq!(org_end(&t, 2, 6), 4);
        let t = text::tokenize("shining path guerrillas");
        assert_eq!(org_end(&t, 0, 3), 2);
        let long = stems("farabundo marti national liberation front");
        assert!(abbreviates(&stems("fmln"), &long, &[]));
        assert!(!abbreviates(&stems("urng"), &long, &[]));
        let t = text::tokenize("the army of national liberation (eln) said");
        let p = Prepared {
            sents: vec![(0, t.len())],
            feats: Vec::new(),
            toks: t,
        };
        let acr = acronyms(&p);
        assert!(abbreviates(
            &stems("eln"),
            &stems("army of national liberation"),
            &acr
        ));
    }

    #[test]
    fn rules_find_the_obvious() {
        let r = rules_roles("the fmln guerrillas attacked the embassy with dynamite.");
        assert_eq!(r.0[1], ["fmln"]);
        assert_eq!(r.0[0], ["guerrillas"]);
        assert_eq!(r.0[4], ["dynamite"]);
        assert_eq!(r.0[2], ["embassy"]);
    }
}
