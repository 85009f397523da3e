//! ECB+ (Cybulska & Vossen 2014): reader for its XML documents, and a cross-document event
//! coreference resolver over action mentions within a topic.
//!
//! Gold chains follow the usual conversion (Barhom et al. 2019): a `CROSS_DOC_COREF`
//! relation names its chain by the target's `instance_id`, an `INTRA_DOC_COREF` chain is
//! local to its document, and every other action mention is a singleton.

use crate::lemma::lemma_key;
use crate::Error;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

/// The dev topics of the standard split (Cybulska & Vossen 2015; Barhom et al. 2019).
pub const DEV_TOPICS: [u32; 8] = [2, 5, 12, 18, 21, 23, 34, 35];
/// The test topics of the standard split.
pub const TEST_TOPICS: std::ops::RangeInclusive<u32> = 36..=45;

/// A token of an ECB+ document.
#[derive(Debug, Clone, PartialEq)]
pub struct EcbToken {
    /// Sentence number (0-based, as in the file).
    pub sentence: u32,
    /// The word.
    pub text: String,
}

/// A gold mention.
#[derive(Debug, Clone, PartialEq)]
pub struct EcbMention {
    /// The markable id.
    pub m_id: String,
    /// Its tag (`ACTION_OCCURRENCE`, `HUMAN_PART_PER`, …).
    pub tag: String,
    /// Indices into [`EcbDoc::tokens`].
    pub tokens: Vec<usize>,
    /// Gold chain (cross-document instance id, `INTRA_…` or `SINGLETON_…`).
    pub chain: String,
}

impl EcbMention {
    /// Whether it is an event (action) mention.
    pub fn is_action(&self) -> bool {
        self.tag.starts_with("ACTION") || self.tag.starts_with("NEG_ACTION")
    }
}

/// One ECB+ document.
#[derive(Debug, Clone, PartialEq)]
pub struct EcbDoc {
    /// Topic number.
    pub topic: u32,
    /// Name without extension (`2_1ecb`, `2_1ecbplus`).
    pub name: String,
    /// Tokens.
    pub tokens: Vec<EcbToken>,
    /// Mentions with tokens (events and entities).
    pub mentions: Vec<EcbMention>,
}

impl EcbDoc {
    /// Whether it belongs to the ECB+ half of its topic (the second seminal event).
    pub fn is_plus(&self) -> bool {
        self.name.ends_with("plus")
    }

    /// The text, one sentence a line, tokens separated by spaces, with each token's byte span.
    pub fn text(&self) -> (String, Vec<(usize, usize)>) {
        let mut s = String::new();
        let mut spans = Vec::with_capacity(self.tokens.len());
        let mut prev: Option<u32> = None;
        for t in &self.tokens {
            match prev {
                Some(p) if p != t.sentence => s.push('\n'),
                Some(_) => s.push(' '),
                None => {}
            }
            prev = Some(t.sentence);
            let a = s.len();
            s.push_str(&t.text);
            spans.push((a, s.len()));
        }
        (s, spans)
    }
}

fn attr<'a>(tag: &'a str, name: &str) -> Option<&'a str> {
    let pat = format!("{name}=\"");
    let i = tag.find(&pat)? + pat.len();
    let j = tag[i..].find('"')?;
    Some(&tag[i..i + j])
}

fn unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}

/// Parses one ECB+ XML document; `topic` and `name` identify it in errors and output.
pub fn parse_doc(xml: &str, topic: u32, name: &str) -> Result<EcbDoc, Error> {
    let mut tokens = Vec::new();
    let mut tid: HashMap<String, usize> = HashMap::new();
    let mut mentions: Vec<EcbMention> = Vec::new();
    let mut instance: HashMap<String, String> = HashMap::new();
    let mut chains: HashMap<String, String> = HashMap::new();
    let mut open: Option<EcbMention> = None;
    let mut relation: Option<(String, Vec<String>)> = None;
    let mut in_markables = false;
    let mut rest = xml;
    let mut line = 1usize;
    while let Some(i) = rest.find('<') {
        line += rest[..i].matches('\n').count();
        let Some(j) = rest[i..].find('>') else {
            return Err(Error::Parse {
                file: name.to_string(),
                line,
                msg: "unclosed tag".into(),
            });
        };
        let tag = &rest[i + 1..i + j];
        let after = &rest[i + j + 1..];
        let closing = tag.starts_with('/');
        let bare = tag
            .trim_start_matches('/')
            .split(|c: char| c.is_whitespace() || c == '/')
            .next()
            .unwrap_or("");
        let tname_owned = if closing {
            format!("/{bare}")
        } else {
            bare.to_string()
        };
        let tname = tname_owned.as_str();
        match tname {
            "token" => {
                let end = after.find("</token>").ok_or_else(|| Error::Parse {
                    file: name.to_string(),
                    line,
                    msg: "token without </token>".into(),
                })?;
                let id = attr(tag, "t_id").unwrap_or("").to_string();
                let sentence = attr(tag, "sentence")
                    .and_then(|s| s.parse().ok())
                    .unwrap_or(0);
                tid.insert(id, tokens.len());
                tokens.push(EcbToken {
                    sentence,
                    text: unescape(after[..end].trim()),
                });
            }
            "Markables" => in_markables = true,
            "/Markables" => in_markables = false,
            "token_anchor" => {
                if let (Some(m), Some(t)) = (open.as_mut(), attr(tag, "t_id")) {
                    if let Some(&k) = tid.get(t) {
                        m.tokens.push(k);
                    }
                }
            }
            "source" | "target" => {
                if let (Some((_, ms)), Some(m)) = (relation.as_mut(), attr(tag, "m_id")) {
                    if tname == "target" {
                        ms.insert(0, format!("@{m}"));
                    } else {
                        ms.push(m.to_string());
                    }
                }
            }
            "CROSS_DOC_COREF" | "INTRA_DOC_COREF" => {
                relation = Some((tname.to_string(), Vec::new()));
            }
            "/CROSS_DOC_COREF" | "/INTRA_DOC_COREF" => {
                if let Some((kind, ms)) = relation.take() {
                    let target = ms
                        .iter()
                        .find_map(|m| m.strip_prefix('@'))
                        .unwrap_or("")
                        .to_string();
                    let chain = if kind == "CROSS_DOC_COREF" {
                        instance
                            .get(&target)
                            .cloned()
                            .unwrap_or_else(|| format!("X_{name}_{target}"))
                    } else {
                        format!("INTRA_{name}_{target}")
                    };
                    for m in ms.iter().filter(|m| !m.starts_with('@')) {
                        chains.insert(m.clone(), chain.clone());
                    }
                }
            }
            t if in_markables && !t.starts_with('/') && !t.is_empty() => {
                let m_id = attr(tag, "m_id").unwrap_or("").to_string();
                if tag.ends_with('/') {
                    // an instance descriptor: no tokens, names the chain
                    if let Some(inst) = attr(tag, "instance_id") {
                        instance.insert(m_id, inst.to_string());
                    }
                } else {
                    open = Some(EcbMention {
                        m_id,
                        tag: t.to_string(),
                        tokens: Vec::new(),
                        chain: String::new(),
                    });
                }
            }
            t if in_markables && t.starts_with('/') => {
                if let Some(m) = open.take() {
                    if !m.tokens.is_empty() {
                        mentions.push(m);
                    }
                }
            }
            _ => {}
        }
        rest = &rest[i + j + 1..];
    }
    for m in &mut mentions {
        m.chain = chains
            .get(&m.m_id)
            .cloned()
            .unwrap_or_else(|| format!("SINGLETON_{name}_{}", m.m_id));
    }
    Ok(EcbDoc {
        topic,
        name: name.to_string(),
        tokens,
        mentions,
    })
}

/// Reads the documents of `topics` under `root` (`root/<topic>/<topic>_<n>ecb[plus].xml`),
/// sorted by name.
pub fn read_topics(root: &Path, topics: &[u32]) -> Result<Vec<EcbDoc>, Error> {
    let mut docs = Vec::new();
    for &t in topics {
        let dir = root.join(t.to_string());
        if !dir.is_dir() {
            continue;
        }
        let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
            .map_err(|e| Error::Io {
                path: dir.display().to_string(),
                source: e,
            })?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "xml"))
            .collect();
        files.sort();
        for f in files {
            let xml = std::fs::read_to_string(&f).map_err(|e| Error::Io {
                path: f.display().to_string(),
                source: e,
            })?;
            let name = f
                .file_stem()
                .and_then(|s| s.to_str())
                .unwrap_or("")
                .to_string();
            docs.push(parse_doc(&xml, t, &name)?);
        }
    }
    Ok(docs)
}

/// The topics present under `root` (numbered folders).
pub fn topics_in(root: &Path) -> Vec<u32> {
    let mut t: Vec<u32> = std::fs::read_dir(root)
        .map(|rd| {
            rd.filter_map(|e| e.ok()?.file_name().to_str()?.parse().ok())
                .collect()
        })
        .unwrap_or_default();
    t.sort_unstable();
    t
}

/// The sentences annotated for coreference (`ECBplus_coreference_sentences.csv`): a set of
/// (document name, sentence number); `None` when the file is absent.
pub fn selected_sentences(root: &Path) -> Result<Option<HashSet<(String, u32)>>, Error> {
    let p = root.join("ECBplus_coreference_sentences.csv");
    if !p.exists() {
        return Ok(None);
    }
    let text = std::fs::read_to_string(&p).map_err(|e| Error::Io {
        path: p.display().to_string(),
        source: e,
    })?;
    let mut set = HashSet::new();
    for l in text.lines().skip(1) {
        let f: Vec<&str> = l.trim().split(',').collect();
        if let [topic, file, sent] = f[..] {
            if let Ok(s) = sent.parse() {
                set.insert((format!("{topic}_{file}"), s));
            }
        }
    }
    Ok(Some(set))
}

/// A mention to resolve: a document and some of its tokens.
#[derive(Debug, Clone, PartialEq)]
pub struct Mention {
    /// Index into the documents handed to [`resolve`].
    pub doc: usize,
    /// Token indices in that document.
    pub tokens: Vec<usize>,
}

/// How documents of a topic are grouped before mentions are compared.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Subtopics {
    /// All documents of a topic together.
    None,
    /// ECB documents apart from ECB+ documents (the corpus's two seminal events per topic,
    /// read from the file names).
    FileNames,
    /// Documents of a topic clustered by the names and numbers they share (no use of file
    /// names): the two happenings of an ECB+ topic are of one kind (two earthquakes, two
    /// arrests), so what tells them apart is who, where, when and how many.
    Clustered,
}

/// Weights and threshold of [`resolve`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CorefParams {
    /// Weight of equal trigger lemmas.
    pub lemma: f64,
    /// Weight of the overlap of the sentences' argument words.
    pub args: f64,
    /// Weight of document similarity (tf-idf of all content words).
    pub doc: f64,
    /// Weight of the similarity of the documents' names and numbers (the vectors that
    /// [`Subtopics::Clustered`] groups documents by).
    pub doc_specific: f64,
    /// Average-linkage threshold.
    pub threshold: f64,
    /// Document grouping.
    pub subtopics: Subtopics,
    /// Average-linkage cosine of the name-and-number vectors above which documents share a
    /// subtopic ([`Subtopics::Clustered`]).
    pub doc_threshold: f64,
}

impl Default for CorefParams {
    /// Tuned on the train topics, documents clustered without file names (the `ecb_tune`
    /// example; see docs/BENCHMARKS.md).
    fn default() -> Self {
        CorefParams {
            lemma: 0.5,
            args: 0.2,
            doc: 0.2,
            threshold: 0.55,
            subtopics: Subtopics::Clustered,
            doc_specific: 0.0,
            doc_threshold: 0.08,
        }
    }
}

const STOP: &[&str] = &[
    "the", "a", "an", "and", "or", "of", "to", "in", "on", "at", "for", "by", "with", "from", "as",
    "is", "was", "were", "be", "been", "has", "have", "had", "that", "this", "it", "its", "he",
    "she", "they", "his", "her", "their", "who", "which", "will", "would", "said", "says", "but",
    "not", "after", "before", "into", "over", "up", "out", "about", "than", "also", "we", "i",
    "you", "are", "did", "do", "does", "can", "could", "may", "more", "one", "new", "there",
    "when", "where", "what", "all", "some", "been", "being", "so", "if", "no", "just", "our",
    "him", "them", "us", "my", "your", "these", "those", "then", "while", "during", "last",
];

fn is_content(w: &str) -> bool {
    w.chars().any(|c| c.is_alphanumeric()) && !STOP.contains(&w.to_lowercase().as_str())
}

/// The trigger word of a mention: for a verb with a particle ("roped in") the verb, for a
/// phrase ("Academy Awards ceremony") its last content word.
pub fn head_token(doc: &EcbDoc, tokens: &[usize]) -> Option<usize> {
    let content: Vec<usize> = tokens
        .iter()
        .copied()
        .filter(|&t| doc.tokens.get(t).is_some_and(|x| is_content(&x.text)))
        .collect();
    let first = *content.first().or(tokens.first())?;
    let w = doc.tokens.get(first)?.text.to_lowercase();
    const PARTICLES: &[&str] = &["in", "out", "up", "down", "off", "on", "away", "back"];
    let verbish = w.ends_with("ed") || w.ends_with("ing");
    let particle_follows = tokens.iter().skip(1).any(|&t| {
        doc.tokens
            .get(t)
            .is_some_and(|x| PARTICLES.contains(&x.text.to_lowercase().as_str()))
    });
    if content.len() <= 1 || verbish || particle_follows {
        Some(first)
    } else {
        content.last().copied()
    }
}

/// Sparse word vector (lemma keys → weights), L2-normalized.
type Vector = Vec<(String, f64)>;

fn cosine(a: &Vector, b: &Vector) -> f64 {
    // both sorted by key
    let (mut i, mut j, mut s) = (0, 0, 0.0);
    while i < a.len() && j < b.len() {
        match a[i].0.cmp(&b[j].0) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                s += a[i].1 * b[j].1;
                i += 1;
                j += 1;
            }
        }
    }
    s
}

fn tfidf(bags: &[HashMap<String, f64>]) -> Vec<Vector> {
    let mut df: HashMap<&str, f64> = HashMap::new();
    for b in bags {
        for k in b.keys() {
            *df.entry(k).or_default() += 1.0;
        }
    }
    let n = bags.len() as f64;
    bags.iter()
        .map(|b| {
            let mut v: Vector = b
                .iter()
                .map(|(k, &tf)| {
                    let idf = ((n + 1.0) / (df.get(k.as_str()).copied().unwrap_or(1.0))).ln();
                    (k.clone(), (1.0 + tf.ln()) * idf)
                })
                .collect();
            unit_sorted(&mut v);
            v
        })
        .collect()
}

/// Argument-like words of a sentence: capitalized words past the first, numbers, and content
/// nouns, as lemma keys; the trigger itself excluded.
fn sentence_args(doc: &EcbDoc, sentence: u32, skip: &[usize]) -> Vec<String> {
    let mut v: Vec<String> = doc
        .tokens
        .iter()
        .enumerate()
        .filter(|(i, t)| t.sentence == sentence && !skip.contains(i) && is_content(&t.text))
        .filter(|(_, t)| t.text.len() > 2 || t.text.chars().all(|c| c.is_ascii_digit()))
        .map(|(_, t)| lemma_key(&t.text))
        .collect();
    v.sort();
    v.dedup();
    v
}

fn jaccard(a: &[String], b: &[String]) -> f64 {
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    let inter = a.iter().filter(|x| b.binary_search(x).is_ok()).count() as f64;
    inter / (a.len() + b.len()) as f64 * 2.0
}

/// Average-linkage clustering of `n` items with pairwise similarities `sim` (row-major
/// `n × n`): merges the closest pair of clusters while their mean similarity is at least
/// `threshold`; returns the clusters as item lists.
fn average_link(n: usize, sim: &[f64], threshold: f64) -> Vec<Vec<usize>> {
    let mut clusters: Vec<Vec<usize>> = (0..n).map(|i| vec![i]).collect();
    // link[a][b] = summed similarity between clusters a and b
    let mut link: Vec<Vec<f64>> = (0..n)
        .map(|a| {
            (0..n)
                .map(|b| sim.get(a * n + b).copied().unwrap_or(0.0))
                .collect()
        })
        .collect();
    let mut alive = vec![true; n];
    loop {
        let mut best: Option<(usize, usize, f64)> = None;
        for a in (0..n).filter(|&a| alive[a]) {
            for b in (a + 1..n).filter(|&b| alive[b]) {
                let avg = link[a][b] / (clusters[a].len() * clusters[b].len()) as f64;
                if avg >= threshold && best.is_none_or(|(_, _, s)| avg > s) {
                    best = Some((a, b, avg));
                }
            }
        }
        let Some((a, b, _)) = best else { break };
        let moved = std::mem::take(&mut clusters[b]);
        clusters[a].extend(moved);
        alive[b] = false;
        let merged: Vec<f64> = (0..n).map(|c| link[a][c] + link[b][c]).collect();
        for (c, v) in merged.into_iter().enumerate() {
            link[a][c] = v;
            link[c][a] = v;
        }
    }
    clusters.retain(|c| !c.is_empty());
    clusters
}

/// The words that tell one happening from another of the same kind: names (capitalized
/// words past a sentence's first) and numbers (dates, years, tolls, magnitudes), as lemma
/// keys with their counts. Lines holding a web address are left out: ECB+ documents open
/// with their URL and ECB documents do not, a mark of how the corpus was collected that
/// would split a topic by half without saying anything about the happening.
fn specific_bag(d: &EcbDoc) -> HashMap<String, f64> {
    let url: HashSet<u32> = d
        .tokens
        .iter()
        .filter(|t| {
            let w = t.text.to_lowercase();
            w == "http" || w == "https" || w == "www"
        })
        .map(|t| t.sentence)
        .collect();
    let mut b: HashMap<String, f64> = HashMap::new();
    let mut prev = None;
    for t in &d.tokens {
        let first = prev != Some(t.sentence);
        prev = Some(t.sentence);
        if url.contains(&t.sentence) || !is_content(&t.text) {
            continue;
        }
        let number = t.text.chars().any(|c| c.is_ascii_digit());
        let name = !first && t.text.chars().next().is_some_and(char::is_uppercase);
        if number || name {
            *b.entry(lemma_key(&t.text)).or_default() += 1.0;
        }
    }
    b
}

/// Name-and-number vectors ([`specific_bag`]) weighted by tf-idf with the document
/// frequencies of the document's own topic, so that what every report of the topic shares
/// weighs little; words of a single document are dropped (they link nothing and only dilute
/// the cosine).
fn specific_vectors(docs: &[EcbDoc]) -> Vec<Vector> {
    let bags: Vec<HashMap<String, f64>> = docs.iter().map(specific_bag).collect();
    let mut df: HashMap<(u32, &str), f64> = HashMap::new();
    let mut size: HashMap<u32, f64> = HashMap::new();
    for (d, b) in docs.iter().zip(&bags) {
        *size.entry(d.topic).or_default() += 1.0;
        for k in b.keys() {
            *df.entry((d.topic, k.as_str())).or_default() += 1.0;
        }
    }
    docs.iter()
        .zip(&bags)
        .map(|(d, b)| {
            let n = size.get(&d.topic).copied().unwrap_or(1.0);
            let mut v: Vector = b
                .iter()
                .filter_map(|(k, &tf)| {
                    let f = df.get(&(d.topic, k.as_str())).copied().unwrap_or(1.0);
                    (f >= 2.0).then(|| (k.clone(), (1.0 + tf.ln()) * ((n + 1.0) / f).ln()))
                })
                .collect();
            unit_sorted(&mut v);
            v
        })
        .collect()
}

/// Scales `v` to unit length and sorts it by term, as the cosine above expects.
fn unit_sorted(v: &mut Vector) {
    let norm = v.iter().map(|x| x.1 * x.1).sum::<f64>().sqrt();
    if norm > 0.0 {
        for x in v.iter_mut() {
            x.1 /= norm;
        }
    }
    v.sort_by(|a, b| a.0.cmp(&b.0));
}

/// Groups documents as [`resolve`] does before comparing mentions: one group a topic, or
/// subgroups per [`Subtopics`]; returns a group number for each document.
pub fn subtopic_groups(docs: &[EcbDoc], p: &CorefParams) -> Vec<usize> {
    let mut group = vec![0usize; docs.len()];
    match p.subtopics {
        Subtopics::None => {
            for (i, d) in docs.iter().enumerate() {
                group[i] = d.topic as usize * 2;
            }
        }
        Subtopics::FileNames => {
            for (i, d) in docs.iter().enumerate() {
                group[i] = d.topic as usize * 2 + usize::from(d.is_plus());
            }
        }
        Subtopics::Clustered => {
            let spec = specific_vectors(docs);
            let mut topics: Vec<u32> = docs.iter().map(|d| d.topic).collect();
            topics.sort_unstable();
            topics.dedup();
            let mut next = 0;
            for t in topics {
                let idx: Vec<usize> = (0..docs.len()).filter(|&i| docs[i].topic == t).collect();
                let n = idx.len();
                let mut sim = vec![0.0f64; n * n];
                for a in 0..n {
                    for b in a + 1..n {
                        let s = cosine(&spec[idx[a]], &spec[idx[b]]);
                        sim[a * n + b] = s;
                        sim[b * n + a] = s;
                    }
                }
                for c in average_link(n, &sim, p.doc_threshold) {
                    for d in c {
                        group[idx[d]] = next;
                    }
                    next += 1;
                }
            }
        }
    }
    group
}

/// Resolves cross-document event coreference among `mentions` of `docs`: returns a cluster
/// number for each mention. Mentions of different topics never share a cluster.
pub fn resolve(docs: &[EcbDoc], mentions: &[Mention], p: &CorefParams) -> Vec<usize> {
    let group = subtopic_groups(docs, p);
    resolve_grouped(docs, mentions, p, &group)
}

/// tf-idf vectors of whole documents (every content word), idf over `docs`.
fn doc_vectors(docs: &[EcbDoc]) -> Vec<Vector> {
    let bags: Vec<HashMap<String, f64>> = docs
        .iter()
        .map(|d| {
            let mut b: HashMap<String, f64> = HashMap::new();
            for t in d.tokens.iter().filter(|t| is_content(&t.text)) {
                *b.entry(lemma_key(&t.text)).or_default() += 1.0;
            }
            b
        })
        .collect();
    tfidf(&bags)
}

/// [`resolve`] with the documents already grouped: `group[d]` for each document; mentions
/// of documents in different groups never share a cluster.
pub fn resolve_grouped(
    docs: &[EcbDoc],
    mentions: &[Mention],
    p: &CorefParams,
    group: &[usize],
) -> Vec<usize> {
    let vecs = doc_vectors(docs);
    let spec = if p.doc_specific > 0.0 {
        specific_vectors(docs)
    } else {
        vec![Vector::new(); docs.len()]
    };
    struct F {
        group: usize,
        doc: usize,
        lemma: String,
        args: Vec<String>,
    }
    let feats: Vec<F> = mentions
        .iter()
        .map(|m| {
            let d = &docs[m.doc];
            let head = head_token(d, &m.tokens);
            let lemma = head
                .and_then(|h| d.tokens.get(h))
                .map(|t| lemma_key(&t.text))
                .unwrap_or_default();
            let sentence = m
                .tokens
                .first()
                .and_then(|&t| d.tokens.get(t))
                .map_or(0, |t| t.sentence);
            F {
                group: group.get(m.doc).copied().unwrap_or(usize::MAX),
                doc: m.doc,
                lemma,
                args: sentence_args(d, sentence, &m.tokens),
            }
        })
        .collect();
    let mut label = vec![0usize; mentions.len()];
    let mut by_group: HashMap<usize, Vec<usize>> = HashMap::new();
    for (i, f) in feats.iter().enumerate() {
        by_group.entry(f.group).or_default().push(i);
    }
    let mut groups: Vec<_> = by_group.into_iter().collect();
    groups.sort_by_key(|g| g.0);
    let mut next = 0;
    for (_, idx) in groups {
        let n = idx.len();
        // pairwise similarities
        let mut sim = vec![0.0f64; n * n];
        for a in 0..n {
            for b in a + 1..n {
                let (x, y) = (&feats[idx[a]], &feats[idx[b]]);
                let lem = f64::from(u8::from(!x.lemma.is_empty() && x.lemma == y.lemma));
                let s = p.lemma * lem
                    + p.args * jaccard(&x.args, &y.args)
                    + p.doc * cosine(&vecs[x.doc], &vecs[y.doc])
                    + p.doc_specific * cosine(&spec[x.doc], &spec[y.doc]);
                sim[a * n + b] = s;
                sim[b * n + a] = s;
            }
        }
        let clusters = average_link(n, &sim, p.threshold);
        for c in clusters.iter().filter(|c| !c.is_empty()) {
            for &m in c {
                label[idx[m]] = next;
            }
            next += 1;
        }
    }
    label
}

/// The gold action mentions of `docs` (only in `selected` sentences when given), with the
/// position of each (document index, mention index) in `docs`.
pub fn gold_mentions(
    docs: &[EcbDoc],
    selected: Option<&HashSet<(String, u32)>>,
) -> Vec<(Mention, (usize, usize))> {
    let mut out = Vec::new();
    for (di, d) in docs.iter().enumerate() {
        for (mi, m) in d.mentions.iter().enumerate() {
            if !m.is_action() {
                continue;
            }
            let sent = m
                .tokens
                .first()
                .and_then(|&t| d.tokens.get(t))
                .map_or(0, |t| t.sentence);
            if selected.is_some_and(|s| !s.contains(&(d.name.clone(), sent))) {
                continue;
            }
            out.push((
                Mention {
                    doc: di,
                    tokens: m.tokens.clone(),
                },
                (di, mi),
            ));
        }
    }
    out
}

/// Groups items by label into clusters of item indices.
pub fn clusters_of<L: Eq + std::hash::Hash + Clone>(labels: &[L]) -> Vec<Vec<usize>> {
    let mut map: HashMap<L, usize> = HashMap::new();
    let mut out: Vec<Vec<usize>> = Vec::new();
    for (i, l) in labels.iter().enumerate() {
        let k = *map.entry(l.clone()).or_insert_with(|| {
            out.push(Vec::new());
            out.len() - 1
        });
        out[k].push(i);
    }
    out
}

/// Resolves the gold action mentions of `docs` and scores the result against the gold
/// chains: the "gold mentions" setting.
pub fn evaluate_gold(
    docs: &[EcbDoc],
    selected: Option<&HashSet<(String, u32)>>,
    p: &CorefParams,
) -> (crate::CorefScores, usize) {
    let gm = gold_mentions(docs, selected);
    let mentions: Vec<Mention> = gm.iter().map(|(m, _)| m.clone()).collect();
    let keys: Vec<String> = gm
        .iter()
        .map(|(_, (d, m))| format!("{}|{}", docs[*d].topic, docs[*d].mentions[*m].chain))
        .collect();
    let labels = resolve(docs, &mentions, p);
    let s = crate::score(&clusters_of(&keys), &clusters_of(&labels));
    (s, mentions.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    const XML: &str = r#"<Document doc_name="9_1ecb.xml" doc_id="D1">
<token t_id="1" sentence="0" number="0">Police</token>
<token t_id="2" sentence="0" number="1">arrested</token>
<token t_id="3" sentence="0" number="2">a</token>
<token t_id="4" sentence="0" number="3">man</token>
<token t_id="5" sentence="1" number="0">The</token>
<token t_id="6" sentence="1" number="1">arrest</token>
<token t_id="7" sentence="1" number="2">came</token>
<token t_id="8" sentence="1" number="3">&amp;</token>
<Markables>
<ACTION_OCCURRENCE m_id="1"  >
  <token_anchor t_id="2"/>
</ACTION_OCCURRENCE>
<ACTION_OCCURRENCE m_id="2"  >
  <token_anchor t_id="6"/>
</ACTION_OCCURRENCE>
<ACTION_OCCURRENCE m_id="3"  >
  <token_anchor t_id="7"/>
</ACTION_OCCURRENCE>
<HUMAN_PART_PER m_id="4"  >
  <token_anchor t_id="4"/>
</HUMAN_PART_PER>
<ACTION_OCCURRENCE m_id="9" RELATED_TO="" TAG_DESCRIPTOR="t9_arrest" instance_id="ACT123" />
</Markables>
<Relations>
<CROSS_DOC_COREF r_id="1" note="ACT123" >
  <source m_id="1" />
  <source m_id="2" />
  <target m_id="9" />
</CROSS_DOC_COREF>
</Relations>
</Document>"#;

    #[test]
    fn parses_tokens_mentions_and_chains() {
        let d = parse_doc(XML, 9, "9_1ecb").unwrap();
        assert_eq!(d.tokens.len(), 8);
        assert_eq!(d.tokens[7].text, "&");
        let acts: Vec<_> = d.mentions.iter().filter(|m| m.is_action()).collect();
        assert_eq!(acts.len(), 3);
        assert_eq!(acts[0].chain, "ACT123");
        assert_eq!(acts[1].chain, "ACT123");
        assert_eq!(acts[2].chain, "SINGLETON_9_1ecb_3");
        let (text, spans) = d.text();
        assert_eq!(text, "Police arrested a man\nThe arrest came &");
        assert_eq!(&text[spans[5].0..spans[5].1], "arrest");
    }

    /// A document of `n` one-sentence lines (the first a web address when `url`).
    fn doc(topic: u32, name: &str, lines: &[&str]) -> EcbDoc {
        let mut tokens = Vec::new();
        for (i, l) in lines.iter().enumerate() {
            for w in l.split_whitespace() {
                tokens.push(EcbToken {
                    sentence: i as u32,
                    text: w.to_string(),
                });
            }
        }
        EcbDoc {
            topic,
            name: name.to_string(),
            tokens,
            mentions: Vec::new(),
        }
    }

    #[test]
    fn documents_split_by_who_and_when_not_by_file_name_or_url() {
        // two Oscar host announcements, four years apart; the file names say nothing and
        // the ECB+-style address lines are on the wrong side of the split
        let docs = vec![
            doc(
                2,
                "a",
                &[
                    "Actor Hugh Jackman will host the Academy Awards , producer Laurence Mark said .",
                    "The ceremony is at the Kodak Theatre on February 22 , 2009 .",
                ],
            ),
            doc(
                2,
                "b",
                &[
                    "http : / / www . example . com / oscars / host",
                    "Actor Hugh Jackman is to host the Oscars on February 22 , 2009 .",
                    "Producer Laurence Mark chose him for the Kodak Theatre show .",
                ],
            ),
            doc(
                2,
                "c",
                &[
                    "http : / / www . example . com / oscars / host",
                    "Comedian Ellen DeGeneres will host the Oscars in 2014 .",
                    "Academy president Cheryl Boone Isaacs named DeGeneres on August 2 .",
                ],
            ),
            doc(
                2,
                "d",
                &[
                    "The Academy said Ellen DeGeneres will host the 2014 Oscars .",
                    "It came days after Cheryl Boone Isaacs was elected , on August 2 .",
                ],
            ),
        ];
        let p = CorefParams::default();
        assert_eq!(p.subtopics, Subtopics::Clustered);
        let g = subtopic_groups(&docs, &p);
        assert_eq!(g[0], g[1]);
        assert_eq!(g[2], g[3]);
        assert_ne!(g[0], g[2]);
    }

    #[test]
    fn same_lemma_mentions_cluster() {
        let d = parse_doc(XML, 9, "9_1ecb").unwrap();
        let ms: Vec<Mention> = [1usize, 5, 6]
            .iter()
            .map(|&t| Mention {
                doc: 0,
                tokens: vec![t],
            })
            .collect();
        let l = resolve(&[d], &ms, &CorefParams::default());
        assert_eq!(l[0], l[1]);
        assert_ne!(l[0], l[2]);
    }
}
