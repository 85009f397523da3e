//! The trained tagger + parser + lemmatizer, its file format, training and analysis.

use crate::conllu::{Sentence, Word};
use crate::perceptron::Sparse;
use crate::tagger::{self, Lex, TagDict};
use crate::{lemma, parser, Error};
use std::collections::HashMap;
use std::io::{Read, Write};

const MAGIC: &[u8; 8] = b"WCSYN001";

/// A trained syntax model: tagger (UPOS + XPOS), dependency parser (UD relations), lemmas.
#[derive(Debug, Clone)]
pub struct Model {
    /// (UPOS, XPOS) of each tagger class.
    tags: Vec<(String, String)>,
    dict: TagDict,
    tagger: Sparse,
    labels: Vec<String>,
    parser: Sparse,
    lemmas: HashMap<String, String>,
}

/// One analysed word.
#[derive(Debug, Clone, PartialEq)]
pub struct Analysis {
    /// Universal POS.
    pub upos: String,
    /// Penn-style POS.
    pub xpos: String,
    /// Lemma.
    pub lemma: String,
    /// Head: 0 for the root, else the 1-based index of the head word.
    pub head: usize,
    /// UD relation.
    pub deprel: String,
}

/// What the tagger and parser make of a sentence.
#[derive(Clone)]
struct Parse {
    tags: Vec<u16>,
    heads: Vec<usize>,
    labs: Vec<u8>,
}

/// The last sentences the shipped model analysed on this thread, with their parses.
mod recent {
    use super::Parse;
    use std::cell::RefCell;

    /// Enough for the quoted sentences of a long article.
    const KEEP: usize = 32;

    struct Entry {
        /// The word forms end to end, and each one's length.
        text: String,
        lens: Vec<u32>,
        parse: Parse,
    }

    thread_local! {
        static RECENT: RefCell<(Vec<Entry>, usize)> = const { RefCell::new((Vec::new(), 0)) };
    }

    fn same<S: AsRef<str>>(e: &Entry, forms: &[S]) -> bool {
        if e.lens.len() != forms.len() {
            return false;
        }
        let mut at = 0;
        for (f, &l) in forms.iter().zip(&e.lens) {
            let f = f.as_ref();
            let end = at + l as usize;
            if f.len() != l as usize || e.text.get(at..end) != Some(f) {
                return false;
            }
            at = end;
        }
        true
    }

    /// The remembered parse of `forms`, else `make()`'s, remembered.
    pub(super) fn get_or_insert<S: AsRef<str>>(forms: &[S], make: impl FnOnce() -> Parse) -> Parse {
        let hit = RECENT.with(|r| {
            let r = r.borrow();
            r.0.iter().find(|e| same(e, forms)).map(|e| e.parse.clone())
        });
        if let Some(p) = hit {
            return p;
        }
        let p = make();
        RECENT.with(|r| {
            let mut r = r.borrow_mut();
            let entry = Entry {
                text: forms.iter().map(|f| f.as_ref()).collect(),
                lens: forms.iter().map(|f| f.as_ref().len() as u32).collect(),
                parse: p.clone(),
            };
            let (list, next) = &mut *r;
            if list.len() < KEEP {
                list.push(entry);
            } else {
                list[*next] = entry;
                *next = (*next + 1) % KEEP;
            }
        });
        p
    }
}

/// Training settings.
#[derive(Debug, Clone)]
pub struct TrainOptions {
    /// Tagger epochs.
    pub tagger_epochs: usize,
    /// Parser epochs.
    pub parser_epochs: usize,
    /// Folds for jackknifed parser-training tags (1: train the parser on gold tags).
    pub jackknife_folds: usize,
    /// log2 of the tagger's feature-hash rows.
    pub tagger_bits: u32,
    /// log2 of the parser's feature-hash rows.
    pub parser_bits: u32,
}

impl Default for TrainOptions {
    fn default() -> Self {
        TrainOptions {
            tagger_epochs: 10,
            parser_epochs: 15,
            jackknife_folds: 4,
            tagger_bits: 21,
            parser_bits: 22,
        }
    }
}

impl Model {
    /// Train on gold sentences; `log` receives progress lines.
    pub fn train(
        sents: &[Sentence],
        opts: &TrainOptions,
        log: &mut dyn FnMut(String),
    ) -> Result<Model, Error> {
        // Classes and counts.
        let mut tag_ids: HashMap<(String, String), u16> = HashMap::new();
        let mut tags: Vec<(String, String)> = Vec::new();
        let mut label_ids: HashMap<String, u8> = HashMap::new();
        let mut labels: Vec<String> = Vec::new();
        let mut word_tags: HashMap<String, HashMap<u16, u32>> = HashMap::new();
        let mut lemma_counts: HashMap<String, HashMap<String, u32>> = HashMap::new();
        for s in sents {
            for w in &s.words {
                let key = (w.upos.clone(), w.xpos.clone());
                let id = match tag_ids.get(&key) {
                    Some(&id) => id,
                    None => {
                        let id = tags.len() as u16;
                        tags.push(key.clone());
                        tag_ids.insert(key, id);
                        id
                    }
                };
                *word_tags
                    .entry(w.form.to_lowercase())
                    .or_default()
                    .entry(id)
                    .or_default() += 1;
                *lemma_counts
                    .entry(format!("{}\t{}", w.form.to_lowercase(), w.upos))
                    .or_default()
                    .entry(w.lemma.clone())
                    .or_default() += 1;
                let rel = w.deprel.clone();
                if !label_ids.contains_key(&rel) {
                    label_ids.insert(rel.clone(), labels.len() as u8);
                    labels.push(rel);
                }
            }
        }
        if tags.len() > 255 || labels.len() > 127 {
            return Err(Error::Train(format!(
                "too many classes: {} tags, {} relations",
                tags.len(),
                labels.len()
            )));
        }
        log(format!(
            "{} sentences, {} tag classes, {} relations",
            sents.len(),
            tags.len(),
            labels.len()
        ));
        let dict = tagger::build_dict(&word_tags);
        let tdata: Vec<(Vec<Lex>, Vec<u16>)> = sents
            .iter()
            .map(|s| {
                let lx = s
                    .words
                    .iter()
                    .map(|w| tagger::lex(&w.form, &dict))
                    .collect();
                let g = s
                    .words
                    .iter()
                    .map(|w| tag_ids[&(w.upos.clone(), w.xpos.clone())])
                    .collect();
                (lx, g)
            })
            .collect();
        // The parser trains on jackknifed tags (each fold tagged by a tagger trained on the
        // others), so it learns to live with the tagger's errors it will see at run time.
        let folds = opts.jackknife_folds;
        let mut jk: Vec<Vec<u16>> = tdata.iter().map(|(_, g)| g.clone()).collect();
        if folds > 1 && tdata.len() >= folds {
            for k in 0..folds {
                let train: Vec<(Vec<Lex>, Vec<u16>)> = tdata
                    .iter()
                    .enumerate()
                    .filter(|(i, _)| i % folds != k)
                    .map(|(_, x)| x.clone())
                    .collect();
                let m = tagger::train(
                    &train,
                    tags.len(),
                    opts.tagger_epochs,
                    opts.tagger_bits,
                    &mut |_| {},
                );
                for (i, (lx, _)) in tdata.iter().enumerate() {
                    if i % folds == k {
                        jk[i] = tagger::tag(&m, lx);
                    }
                }
                log(format!("jackknife fold {} of {folds} tagged", k + 1));
            }
        }
        let tagger_model = tagger::train(
            &tdata,
            tags.len(),
            opts.tagger_epochs,
            opts.tagger_bits,
            log,
        );
        let pdata: Vec<parser::Gold> = sents
            .iter()
            .zip(tdata.iter().zip(&jk))
            .map(|(s, ((lx, _), g))| {
                let n = s.words.len();
                parser::Gold {
                    items: lx
                        .iter()
                        .zip(g)
                        .map(|(l, &t)| parser::Item {
                            word: l.lower,
                            tag: t as u64 + 10,
                        })
                        .collect(),
                    heads: s
                        .words
                        .iter()
                        .map(|w| {
                            if w.head == 0 || w.head > n {
                                n
                            } else {
                                w.head - 1
                            }
                        })
                        .collect(),
                    labels: s.words.iter().map(|w| label_ids[&w.deprel]).collect(),
                }
            })
            .collect();
        let parser_model = parser::train(
            &pdata,
            labels.len(),
            opts.parser_epochs,
            opts.parser_bits,
            log,
        );
        Ok(Model {
            tags,
            dict,
            tagger: tagger_model,
            labels,
            parser: parser_model,
            lemmas: lemma::learn(&lemma_counts),
        })
    }

    /// Drop the weights below `frac` of the largest one in each table (0.0 keeps all).
    pub fn prune(&mut self, frac: f32) {
        self.tagger = self.tagger.pruned(frac);
        self.parser = self.parser.pruned(frac);
    }

    /// A one-line summary of the model's size.
    pub fn summary(&self) -> String {
        format!(
            "{} tag classes, {} relations, {} dictionary words, {} lemma exceptions, tagger {} rows / {} weights, parser {} rows / {} weights",
            self.tags.len(),
            self.labels.len(),
            self.dict.len(),
            self.lemmas.len(),
            self.tagger.bucket.len(),
            self.tagger.entries.len(),
            self.parser.bucket.len(),
            self.parser.entries.len()
        )
    }

    /// Tag and lemmatise one sentence given as word forms: (UPOS, XPOS, lemma) per word.
    pub fn tag_words<S: AsRef<str>>(&self, forms: &[S]) -> Vec<(String, String, String)> {
        let lx: Vec<Lex> = forms
            .iter()
            .map(|f| tagger::lex(f.as_ref(), &self.dict))
            .collect();
        let tags = tagger::tag(&self.tagger, &lx);
        forms
            .iter()
            .zip(&tags)
            .map(|(f, &t)| {
                let (upos, xpos) = self
                    .tags
                    .get(t as usize)
                    .cloned()
                    .unwrap_or_else(|| ("X".into(), "_".into()));
                let lemma = lemma::lemma(f.as_ref(), &upos, &self.lemmas);
                (upos, xpos, lemma)
            })
            .collect()
    }

    /// Tag classes, heads and relation ids of one sentence: the costly part of
    /// [`Model::analyse_words`].
    fn tag_and_parse<S: AsRef<str>>(&self, forms: &[S]) -> Parse {
        let lx: Vec<Lex> = forms
            .iter()
            .map(|f| tagger::lex(f.as_ref(), &self.dict))
            .collect();
        let tags = tagger::tag(&self.tagger, &lx);
        let items: Vec<parser::Item> = lx
            .iter()
            .zip(&tags)
            .map(|(l, &t)| parser::Item {
                word: l.lower,
                tag: t as u64 + 10,
            })
            .collect();
        let (heads, labs) = parser::parse(&self.parser, self.labels.len(), &items);
        Parse { tags, heads, labs }
    }

    /// Tag, lemmatise and parse one sentence given as word forms.
    ///
    /// The shipped model remembers the last few sentences it parsed on each thread: stages of
    /// one document (quote attribution, then the event coder) often ask for the same sentence.
    pub fn analyse_words<S: AsRef<str>>(&self, forms: &[S]) -> Vec<Analysis> {
        let Parse { tags, heads, labs } = if self.is_shared() {
            recent::get_or_insert(forms, || self.tag_and_parse(forms))
        } else {
            self.tag_and_parse(forms)
        };
        let mut out = Vec::with_capacity(forms.len());
        for (i, f) in forms.iter().enumerate() {
            let (upos, xpos) = self
                .tags
                .get(tags[i] as usize)
                .cloned()
                .unwrap_or_else(|| ("X".into(), "_".into()));
            let lemma = lemma::lemma(f.as_ref(), &upos, &self.lemmas);
            out.push(Analysis {
                lemma,
                upos,
                xpos,
                head: heads[i],
                deprel: self
                    .labels
                    .get(labs[i] as usize)
                    .cloned()
                    .unwrap_or_else(|| "dep".into()),
            });
        }
        out
    }

    /// Fill a CoNLL-U sentence's LEMMA, UPOS, XPOS, HEAD and DEPREL, keeping its words.
    pub fn analyse_sentence(&self, s: &mut Sentence) {
        let forms: Vec<&str> = s.words.iter().map(|w| w.form.as_str()).collect();
        let a = self.analyse_words(&forms);
        for (w, a) in s.words.iter_mut().zip(a) {
            *w = Word {
                form: std::mem::take(&mut w.form),
                lemma: a.lemma,
                upos: a.upos,
                xpos: a.xpos,
                head: a.head,
                deprel: a.deprel,
            };
        }
    }

    /// Serialise (gzip-compressed little-endian binary).
    pub fn to_bytes(&self) -> Result<Vec<u8>, Error> {
        let mut b = Vec::new();
        b.extend_from_slice(MAGIC);
        put_u32(&mut b, self.tags.len() as u32);
        for (u, x) in &self.tags {
            put_str(&mut b, u);
            put_str(&mut b, x);
        }
        put_u32(&mut b, self.labels.len() as u32);
        for l in &self.labels {
            put_str(&mut b, l);
        }
        let mut dict: Vec<_> = self.dict.iter().collect();
        dict.sort_by(|a, b| a.0.cmp(b.0));
        put_u32(&mut b, dict.len() as u32);
        for (w, (sig, sure)) in dict {
            put_str(&mut b, w);
            b.extend_from_slice(&sig.to_le_bytes());
            b.extend_from_slice(&sure.to_le_bytes());
        }
        let mut lem: Vec<_> = self.lemmas.iter().collect();
        lem.sort();
        put_u32(&mut b, lem.len() as u32);
        for (k, v) in lem {
            put_str(&mut b, k);
            put_str(&mut b, v);
        }
        put_sparse(&mut b, &self.tagger);
        put_sparse(&mut b, &self.parser);
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        gz.write_all(&b)
            .and_then(|_| gz.finish())
            .map_err(|e| Error::Model(format!("compressing: {e}")))
    }

    /// Read a model written by [`Model::to_bytes`].
    pub fn from_bytes(gz: &[u8]) -> Result<Model, Error> {
        let mut b = Vec::new();
        flate2::read::GzDecoder::new(gz)
            .read_to_end(&mut b)
            .map_err(|e| Error::Model(format!("decompressing: {e}")))?;
        let mut r = Reader { b: &b, at: 0 };
        if r.take(8)? != MAGIC {
            return Err(Error::Model("not a wirecoder syntax model".into()));
        }
        let nt = r.u32()? as usize;
        let mut tags = Vec::with_capacity(nt);
        for _ in 0..nt {
            tags.push((r.str()?, r.str()?));
        }
        let nl = r.u32()? as usize;
        let mut labels = Vec::with_capacity(nl);
        for _ in 0..nl {
            labels.push(r.str()?);
        }
        let nd = r.u32()? as usize;
        let mut dict = TagDict::with_capacity(nd);
        for _ in 0..nd {
            let w = r.str()?;
            let sig = r.u64()?;
            let sure = r.u16()?;
            dict.insert(w, (sig, sure));
        }
        let ne = r.u32()? as usize;
        let mut lemmas = HashMap::with_capacity(ne);
        for _ in 0..ne {
            let k = r.str()?;
            lemmas.insert(k, r.str()?);
        }
        let tagger = r.sparse()?;
        let parser = r.sparse()?;
        if tagger.classes != tags.len() || parser.classes != 1 + 2 * labels.len() {
            return Err(Error::Model("class counts do not match".into()));
        }
        Ok(Model {
            tags,
            dict,
            tagger,
            labels,
            parser,
            lemmas,
        })
    }
}

fn put_u32(b: &mut Vec<u8>, v: u32) {
    b.extend_from_slice(&v.to_le_bytes());
}

fn put_str(b: &mut Vec<u8>, s: &str) {
    put_u32(b, s.len() as u32);
    b.extend_from_slice(s.as_bytes());
}

fn put_sparse(b: &mut Vec<u8>, s: &Sparse) {
    put_u32(b, s.classes as u32);
    b.extend_from_slice(&s.mask.to_le_bytes());
    b.extend_from_slice(&s.scale.to_le_bytes());
    put_u32(b, s.bucket.len() as u32);
    // Buckets as deltas, row lengths as bytes: both compress well.
    let mut last = 0u32;
    for &k in &s.bucket {
        put_u32(b, k - last);
        last = k;
    }
    for w in s.start.windows(2) {
        b.push((w[1] - w[0]) as u8);
    }
    put_u32(b, s.entries.len() as u32);
    for &(k, _) in &s.entries {
        b.push(k);
    }
    for &(_, w) in &s.entries {
        b.extend_from_slice(&w.to_le_bytes());
    }
}

struct Reader<'a> {
    b: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], Error> {
        let end = self.at.checked_add(n).filter(|&e| e <= self.b.len());
        let Some(end) = end else {
            return Err(Error::Model(format!("truncated at byte {}", self.at)));
        };
        let s = &self.b[self.at..end];
        self.at = end;
        Ok(s)
    }
    fn u16(&mut self) -> Result<u16, Error> {
        let s = self.take(2)?;
        Ok(u16::from_le_bytes([s[0], s[1]]))
    }
    fn u32(&mut self) -> Result<u32, Error> {
        let s = self.take(4)?;
        Ok(u32::from_le_bytes([s[0], s[1], s[2], s[3]]))
    }
    fn u64(&mut self) -> Result<u64, Error> {
        let s = self.take(8)?;
        let mut a = [0u8; 8];
        a.copy_from_slice(s);
        Ok(u64::from_le_bytes(a))
    }
    fn str(&mut self) -> Result<String, Error> {
        let n = self.u32()? as usize;
        let s = self.take(n)?;
        String::from_utf8(s.to_vec()).map_err(|_| Error::Model("bad UTF-8 string".into()))
    }
    fn sparse(&mut self) -> Result<Sparse, Error> {
        let classes = self.u32()? as usize;
        let mask = self.u64()?;
        if mask >= 1 << 28 || classes > 256 {
            return Err(Error::Model("bad table size".into()));
        }
        let s = self.take(4)?;
        let scale = f32::from_le_bytes([s[0], s[1], s[2], s[3]]);
        let nb = self.u32()? as usize;
        let mut bucket = Vec::with_capacity(nb);
        let mut last = 0u32;
        for _ in 0..nb {
            last = last.wrapping_add(self.u32()?);
            bucket.push(last);
        }
        let lens = self.take(nb)?;
        let mut start = Vec::with_capacity(nb + 1);
        let mut acc = 0u32;
        start.push(0);
        for &l in lens {
            acc += l as u32;
            start.push(acc);
        }
        let ne = self.u32()? as usize;
        if ne != acc as usize {
            return Err(Error::Model("row lengths do not add up".into()));
        }
        let ks = self.take(ne)?;
        let ws = self.take(ne * 2)?;
        let entries = ks
            .iter()
            .zip(ws.chunks_exact(2))
            .map(|(&k, w)| (k, i16::from_le_bytes([w[0], w[1]])))
            .collect();
        if bucket.iter().any(|&b| b as u64 > mask) {
            return Err(Error::Model("bucket out of range".into()));
        }
        Ok(Sparse::from_parts(
            mask, classes, scale, bucket, start, entries,
        ))
    }
}
