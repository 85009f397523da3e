//! The analysis and coding pipeline: from clean text to coded events.
//!
//! [`Pipeline::annotate`] runs the stages in order over a [`Doc`] that extraction filled
//! (text, metadata, headings, stories):
//!
//! 1. sentences and tokens (`wirecoder-syntax`);
//! 2. dates, normalized against the publication date, which is inferred when absent;
//! 3. actors and places resolved with roles valid on that date (`wirecoder-kb`);
//! 4. quotes with their speakers;
//! 5. events in CAMEO with PLOVER type, modality, date, place, casualties, weapon and evidence;
//! 6. tone (GDELT's measures, from the VADER lexicon) of the text and of each sentence.
//!
//! ```
//! use wirecoder_code::Pipeline;
//! use wirecoder_doc::Doc;
//! let p = Pipeline::new()?;
//! let mut doc = Doc::new("Russia condemned Ukraine on Tuesday.");
//! doc.meta.published = Some("2024-01-10".into());
//! p.annotate(&mut doc);
//! let e = &doc.events[0];
//! assert_eq!((e.source.actor.as_deref(), e.cameo.as_str()), (Some("RUS"), "111"));
//! assert_eq!(e.date.as_deref(), Some("2024-01-09"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
#![deny(missing_docs)]

mod attribution;
mod coder;
mod dates;
pub mod eval;
pub mod muc4;
mod petrarch_eval;
mod quotes;
mod timex;
mod tone;
mod tree;
mod verbs;

use chrono::NaiveDate;
use wirecoder_doc::{Doc, Entity, Span};
use wirecoder_kb::{Kb, MentionKind, NerModel};

pub use dates::{find_dates, infer_published, infer_published_in};
pub use timex::{find_timexes, Timex, TimexKind};
pub use tone::{annotate_tone, tone_of};

/// FNV-1a for the maps of embedded words (tone lexicon, verb forms) looked up for every word
/// of every text: on short keys it is cheaper than SipHash, whose guard against hash flooding
/// embedded keys do not need.
#[derive(Default)]
pub(crate) struct Fnv(u64);

impl std::hash::Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        let mut h = if self.0 == 0 {
            0xcbf2_9ce4_8422_2325
        } else {
            self.0
        };
        for &b in bytes {
            h ^= b as u64;
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
        self.0 = h;
    }
}

pub(crate) type FnvMap<K, V> = std::collections::HashMap<K, V, std::hash::BuildHasherDefault<Fnv>>;

/// Errors building the pipeline.
#[derive(Debug, thiserror::Error)]
pub enum CodeError {
    /// The knowledge base could not be loaded.
    #[error("knowledge base: {0}")]
    Kb(String),
    /// The named-entity model could not be read.
    #[error("NER model {path}: {msg}")]
    Ner {
        /// The file.
        path: String,
        /// What went wrong.
        msg: String,
    },
}

/// The verb dictionaries shipped with wirecoder (PETRARCH2's, MIT, then ours).
const VERB_DICTS: &[&str] = &[
    include_str!("../../../data/code/CAMEO.2.0.txt"),
    include_str!("../../../data/code/verbs.extra.txt"),
];

/// The knowledge base a pipeline codes with: the shared embedded one, or its own
/// ([`Pipeline::with_dictionaries`]).
enum KbRef {
    Shared(&'static Kb),
    Own(Box<Kb>),
}

impl std::ops::Deref for KbRef {
    type Target = Kb;
    fn deref(&self) -> &Kb {
        match self {
            KbRef::Shared(k) => k,
            KbRef::Own(k) => k,
        }
    }
}

/// A discard phrase (PETRARCH's discards file): a sentence that holds it codes no event; a
/// story-level one (`+` in the file) stops the whole text from coding.
#[derive(Debug, Clone)]
struct Discard {
    /// Lower-case words.
    words: Vec<String>,
    story: bool,
}

/// Reads a PETRARCH discards file: one phrase a line, `+` for story-level, `#` comments.
fn parse_discards(text: &str) -> Vec<Discard> {
    text.lines()
        .filter_map(|l| {
            let l = l.split('#').next().unwrap_or("");
            let l = l.split(';').next().unwrap_or("").trim();
            let (story, l) = match l.strip_prefix('+') {
                Some(r) => (true, r),
                None => (false, l),
            };
            let words: Vec<String> = l
                .split(|c: char| c.is_whitespace() || c == '_')
                .filter(|w| !w.is_empty())
                .map(str::to_lowercase)
                .collect();
            (!words.is_empty() && !l.starts_with('<')).then_some(Discard { words, story })
        })
        .collect()
}

/// Everything needed to annotate documents; build once, share across threads.
pub struct Pipeline {
    kb: KbRef,
    /// Sentence- and story-level discard phrases (none for the shipped dictionaries).
    discards: Vec<Discard>,
    /// Keep events whose code the CAMEO table lacks (a user's dictionary may code its own);
    /// they get Goldstein 0 and no quad class or PLOVER type.
    keep_unknown_codes: bool,
    /// CAMEO's recoding of announced, refused and threatened acts (on for the shipped
    /// dictionaries; off for [`Pipeline::with_dictionaries`], whose codes may be another
    /// scheme's: PETRARCH's own validation dictionary codes in WEIS).
    cameo_stance: bool,
    verbs: verbs::VerbDict,
    /// The shipped tagger; without it the coder falls back to word-order heuristics.
    tagger: Option<&'static wirecoder_syntax::Model>,
    /// Whether to tag words before coding (`WIRECODER_TAG=1`).
    tag_words: bool,
    /// Whether to parse the sentences where the token rules find an event (`WIRECODER_PARSE=0`
    /// turns it off).
    parse: bool,
    /// `WIRECODER_PARSE=wide`: also parse sentences whose coded verb lacks actors.
    parse_wide: bool,
    /// A statistical tagger for names no dictionary has (`WIRECODER_NER_MODEL=FILE`, or
    /// [`Pipeline::set_ner_model`]); none by default, since none ships.
    ner: Option<std::sync::Arc<NerModel>>,
}

impl Pipeline {
    /// Load the knowledge base and the verb dictionaries.
    pub fn new() -> Result<Pipeline, CodeError> {
        if let Some(e) = Kb::shared_error() {
            return Err(CodeError::Kb(e.to_string()));
        }
        let kb = Kb::shared();
        let mut verbs = verbs::VerbDict::default();
        for d in VERB_DICTS {
            verbs.add_text(d);
        }
        let tag_words = std::env::var("WIRECODER_TAG").is_ok_and(|v| v == "1");
        let parse = !std::env::var("WIRECODER_PARSE").is_ok_and(|v| v == "0");
        // The model costs a few hundred milliseconds to load; with parsing on, it loads on a
        // thread of its own while the caller reads its first documents.
        let tagger = if tag_words {
            wirecoder_syntax::Model::shared().ok()
        } else {
            if parse {
                std::thread::spawn(|| {
                    let _ = wirecoder_syntax::Model::shared();
                });
            }
            None
        };
        Ok(Pipeline {
            kb: KbRef::Shared(kb),
            discards: Vec::new(),
            keep_unknown_codes: false,
            cameo_stance: true,
            verbs,
            tagger,
            tag_words,
            parse,
            parse_wide: std::env::var("WIRECODER_PARSE").is_ok_and(|v| v == "wide"),
            ner: match std::env::var_os("WIRECODER_NER_MODEL").filter(|v| !v.is_empty()) {
                Some(p) => Some(std::sync::Arc::new(load_ner(std::path::Path::new(&p))?)),
                None => None,
            },
        })
    }

    /// A pipeline that codes with other dictionaries: `kb` (e.g. [`Kb::from_petrarch`] over a
    /// PETRARCH actor and agent file), the verb dictionaries `verbs` (PETRARCH's verb-pattern
    /// format, read in order, later ones adding to earlier ones) and a PETRARCH discards file.
    /// Everything else is what [`Pipeline::new`] builds; events with codes the CAMEO table
    /// lacks are kept, and codes stay as the dictionary gives them (no CAMEO intent, threat
    /// or rejection recoding of announced or refused acts; the modality still says so).
    pub fn with_dictionaries(
        kb: Kb,
        verbs: &[&str],
        discards: Option<&str>,
    ) -> Result<Pipeline, CodeError> {
        let mut p = Pipeline::new()?;
        let mut dict = verbs::VerbDict::default();
        for d in verbs {
            dict.add_text(d);
        }
        p.verbs = dict;
        p.kb = KbRef::Own(Box::new(kb));
        p.discards = discards.map(parse_discards).unwrap_or_default();
        p.keep_unknown_codes = true;
        p.cameo_stance = false;
        Ok(p)
    }

    /// Adds (or, with `None`, removes) the statistical tagger: step 3 then also keeps the
    /// names it finds where no dictionary name lies, typed by its labels, with no actor code.
    pub fn set_ner_model(&mut self, model: Option<std::sync::Arc<NerModel>>) {
        self.ner = model;
    }

    /// Run every stage over `doc`.
    pub fn annotate(&self, doc: &mut Doc) {
        // 1. sentences and tokens
        doc.sentences = wirecoder_syntax::sentences(&doc.text, &doc.headings);
        doc.tokens.clear();
        for (i, s) in doc.sentences.iter().enumerate() {
            let toks = wirecoder_syntax::tokenize(&doc.text, s.start, s.end, i);
            doc.tokens.extend(toks);
        }
        // Word classes tell a verb from a noun ("the travel ban" is no BAN event). Tagging
        // every sentence costs about 45 % of throughput for little gain on the gold sets
        // (PLOVER 0.523 → 0.509), so it is opt-in until the coder tags only the sentences
        // that hold an actor and a trigger.
        if self.tag_words {
            if let Some(m) = self.tagger {
                m.tag(doc);
            }
        }
        // 2. dates, with the anchor given or inferred
        let mut anchor = doc
            .meta
            .published
            .as_deref()
            .and_then(|p| NaiveDate::parse_from_str(p.get(..10).unwrap_or(p), "%Y-%m-%d").ok());
        if anchor.is_none() {
            let today = chrono::Local::now().date_naive();
            // Sentence by sentence, only those with a year's digits (5.6 % of a plain-text
            // ingest went to a whole-text pass of every rule).
            if let Some(d) = dates::infer_published_in(&doc.text, &doc.sentences, today) {
                anchor = Some(d);
                doc.meta.published = Some(d.to_string());
                doc.meta.published_inferred = true;
            }
        }
        doc.dates = doc
            .sentences
            .iter()
            .flat_map(|&s| dates::find_dates(&doc.text, s, anchor))
            .collect();
        // 3. actors and places
        doc.entities = self
            .kb
            .mentions(&doc.text, anchor)
            .into_iter()
            .filter(|m| {
                !doc.headings
                    .iter()
                    .any(|h| h.start <= m.start && m.end <= h.end)
            })
            .map(|m| Entity {
                span: Span::new(m.start, m.end),
                kind: m.entity_type,
                actor: if m.kind == MentionKind::Place {
                    None
                } else {
                    m.code.clone()
                },
                place: m.place.clone(),
            })
            .collect();
        if let Some(ner) = &self.ner {
            self.add_ner_entities(ner, doc);
        }
        // 4. quotes
        doc.quotes = quotes::find_quotes(
            doc,
            if self.parse {
                wirecoder_syntax::Model::shared().ok()
            } else {
                None
            },
        );
        // 5. events
        coder::Coder {
            kb: &self.kb,
            verbs: &self.verbs,
            keep_unknown_codes: self.keep_unknown_codes,
            cameo_stance: self.cameo_stance,
            parser: if self.parse && !self.tag_words {
                wirecoder_syntax::Model::shared().ok()
            } else {
                None
            },
            parse_wide: self.parse_wide,
        }
        .code(doc);
        if !self.discards.is_empty() {
            self.discard_events(doc);
        }
        // 6. tone of the text and of each sentence (an event's is its sentence's)
        tone::annotate_tone(doc);
    }

    /// Drops the events of sentences that hold a discard phrase, or all of them where a
    /// story-level phrase occurs anywhere.
    fn discard_events(&self, doc: &mut Doc) {
        let mut hit = vec![false; doc.sentences.len()];
        let mut story = false;
        let words: Vec<(usize, String)> = doc
            .tokens
            .iter()
            .map(|t| {
                let w = doc.text.get(t.span.start..t.span.end).unwrap_or("");
                (t.sentence, w.to_lowercase())
            })
            .collect();
        for d in &self.discards {
            for (i, win) in words.windows(d.words.len()).enumerate() {
                let same = win.iter().all(|(s, _)| *s == win[0].0);
                if same && win.iter().zip(&d.words).all(|((_, w), p)| w == p) {
                    if d.story {
                        story = true;
                    }
                    if let Some(h) = hit.get_mut(words[i].0) {
                        *h = true;
                    }
                }
            }
        }
        doc.events
            .retain(|e| !story && !hit.get(e.sentence).copied().unwrap_or(false));
    }

    /// Step 3's statistical part: each sentence's tokens tagged by `ner`; a name is kept
    /// where it overlaps no dictionary entity and lies outside the headings.
    fn add_ner_entities(&self, ner: &NerModel, doc: &mut Doc) {
        let mut found = Vec::new();
        let mut words: Vec<&str> = Vec::new();
        let mut at = 0;
        while at < doc.tokens.len() {
            let sent = doc.tokens[at].sentence;
            let end = doc.tokens[at..]
                .iter()
                .position(|t| t.sentence != sent)
                .map_or(doc.tokens.len(), |n| at + n);
            let toks = &doc.tokens[at..end];
            words.clear();
            words.extend(
                toks.iter()
                    .filter_map(|t| doc.text.get(t.span.start..t.span.end)),
            );
            if words.len() == toks.len() {
                for (a, b, ty) in ner.tag_spans(&self.kb, &words) {
                    let Some(kind) = ner_kind(&ty) else { continue };
                    let span = Span::new(toks[a].span.start, toks[b - 1].span.end);
                    let taken = doc
                        .entities
                        .iter()
                        .any(|e| e.span.start < span.end && span.start < e.span.end)
                        || doc
                            .headings
                            .iter()
                            .any(|h| h.start < span.end && span.start < h.end);
                    if !taken {
                        found.push(Entity {
                            span,
                            kind,
                            actor: None,
                            place: None,
                        });
                    }
                }
            }
            at = end;
        }
        if !found.is_empty() {
            doc.entities.extend(found);
            doc.entities.sort_by_key(|e| (e.span.start, e.span.end));
        }
    }
}

/// The entity type of a NER label: CoNLL's (`PER`, `ORG`, `LOC`, `MISC`) or OntoNotes' and
/// GUM's names for the same kinds; `None` for a label of no kind the contract has.
fn ner_kind(label: &str) -> Option<wirecoder_doc::EntityType> {
    use wirecoder_doc::EntityType as T;
    Some(match label.to_ascii_uppercase().as_str() {
        "PER" | "PERSON" => T::Person,
        "ORG" | "ORGANIZATION" | "ORGANISATION" => T::Org,
        "GPE" => T::Gpe,
        "LOC" | "LOCATION" | "PLACE" => T::Loc,
        "FAC" | "FACILITY" => T::Fac,
        "NORP" => T::Norp,
        "MISC" => T::Misc,
        _ => return None,
    })
}

/// Reads a model written by `wirecoder train ner`.
fn load_ner(path: &std::path::Path) -> Result<NerModel, CodeError> {
    let err = |msg: String| CodeError::Ner {
        path: path.display().to_string(),
        msg,
    };
    let f = std::fs::File::open(path).map_err(|e| err(e.to_string()))?;
    NerModel::load(&mut std::io::BufReader::new(f), "NER model").map_err(|e| err(e.to_string()))
}
