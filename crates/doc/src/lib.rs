//! The document model of wirecoder.
//!
//! One [`Doc`] carries a news document through the pipeline: the clean `text` and layers of
//! spans over it (stories, sentences, tokens, entities, dates, quotes, events). Every stage
//! reads the layers it needs and adds its own; none copies the text.
//!
//! Offsets inside Rust are **byte** offsets into [`Doc::text`]. The command-line contract
//! speaks Unicode code points; [`OffsetMap`] converts at the JSON edge ([`Doc::to_json`]).
//!
//! ```
//! use wirecoder_doc::{Doc, Span};
//! let mut doc = Doc::new("Russia condemned Ukraine.");
//! doc.sentences.push(Span::new(0, 25));
//! let json = doc.to_json();
//! assert_eq!(json["sentences"][0]["end"], 25);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
#![deny(missing_docs)]

mod json;
mod offsets;

pub use json::event_json;
pub use offsets::OffsetMap;

use serde::{Deserialize, Serialize};

/// A half-open byte range `[start, end)` into a document's text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Span {
    /// First byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
}

impl Span {
    /// A new span; `start <= end` is the caller's duty.
    pub fn new(start: usize, end: usize) -> Span {
        Span { start, end }
    }
    /// Whether `other` lies inside this span.
    pub fn contains(&self, other: Span) -> bool {
        self.start <= other.start && other.end <= self.end
    }
    /// Byte length.
    pub fn len(&self) -> usize {
        self.end - self.start
    }
    /// Whether the span is empty.
    pub fn is_empty(&self) -> bool {
        self.end == self.start
    }
}

/// Where a document came from and what its page said about itself.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Meta {
    /// The input's own id (JSONL `id`, WARC record id), if it had one.
    pub id: Option<String>,
    /// File path (or `path#record` inside a container), if read from a file.
    pub path: Option<String>,
    /// URL of the page.
    pub url: Option<String>,
    /// Headline.
    pub title: Option<String>,
    /// Byline.
    pub author: Option<String>,
    /// Site name.
    pub site: Option<String>,
    /// ISO 639-1 language code.
    pub language: Option<String>,
    /// Publication date, ISO 8601 (`2024-01-10`).
    pub published: Option<String>,
    /// True when `published` was inferred from the text rather than given.
    pub published_inferred: bool,
}

impl Meta {
    /// Fills the fields this metadata lacks (absent or blank) from `from`: what an input said
    /// about itself (JSONL `id`, `url`, `title`; the file path) completes what the page said.
    pub fn fill_missing_from(&mut self, from: &Meta) {
        fn fill(a: &mut Option<String>, b: &Option<String>) {
            let missing = a.as_deref().is_none_or(|s| s.trim().is_empty());
            if missing && b.is_some() {
                a.clone_from(b);
            }
        }
        fill(&mut self.id, &from.id);
        fill(&mut self.path, &from.path);
        fill(&mut self.url, &from.url);
        fill(&mut self.title, &from.title);
        fill(&mut self.author, &from.author);
        fill(&mut self.site, &from.site);
        fill(&mut self.language, &from.language);
        if from.published.is_some() && self.published.is_none() {
            self.published.clone_from(&from.published);
            self.published_inferred = from.published_inferred;
        }
    }
}

/// A story inside a page: pages may hold several (digests, live blogs).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Story {
    /// Span of the story in the text (its heading included).
    pub span: Span,
    /// The story's heading or the page title.
    pub title: Option<String>,
}

/// Coarse part of speech of a token (UPOS tag set).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[allow(missing_docs)]
pub enum Pos {
    Adj,
    Adp,
    Adv,
    Aux,
    Cconj,
    Det,
    Intj,
    Noun,
    Num,
    Part,
    Pron,
    Propn,
    Punct,
    Sconj,
    Sym,
    Verb,
    X,
}

/// A token of the text.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Token {
    /// Where it is.
    pub span: Span,
    /// Part of speech, when a tagger ran.
    pub pos: Option<Pos>,
    /// Lower-case lemma, when known.
    pub lemma: Option<String>,
    /// Index of the sentence holding it.
    pub sentence: usize,
    /// Penn Treebank tag, when a tagger ran.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub xpos: Option<String>,
    /// Index in `Doc::tokens` of the syntactic head; `None` for the root or when unparsed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub head: Option<usize>,
    /// Universal Dependencies relation to the head (`root` for the root), when parsed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deprel: Option<String>,
}

/// What kind of thing an entity names (OntoNotes-style labels).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
#[allow(missing_docs)]
pub enum EntityType {
    Person,
    Org,
    Gpe,
    Loc,
    Fac,
    Norp,
    Media,
    Misc,
}

impl EntityType {
    /// The contract's label.
    pub fn as_str(&self) -> &'static str {
        match self {
            EntityType::Person => "PERSON",
            EntityType::Org => "ORG",
            EntityType::Gpe => "GPE",
            EntityType::Loc => "LOC",
            EntityType::Fac => "FAC",
            EntityType::Norp => "NORP",
            EntityType::Media => "MEDIA",
            EntityType::Misc => "MISC",
        }
    }
}

/// A resolved place.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Place {
    /// Canonical name.
    pub name: String,
    /// ISO 3166 alpha-3 country code.
    pub country: Option<String>,
    /// GeoNames id, when known.
    pub geonames_id: Option<u64>,
    /// Latitude (WGS84).
    pub lat: Option<f64>,
    /// Longitude (WGS84).
    pub lon: Option<f64>,
}

/// A named (or described) entity found in the text.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Entity {
    /// Where it is.
    pub span: Span,
    /// Its kind.
    pub kind: EntityType,
    /// CAMEO actor code with the role valid on the document date (`RUSGOV`).
    pub actor: Option<String>,
    /// The place it names, when it is a place.
    pub place: Option<Place>,
}

/// A temporal expression, normalized in TIMEX3 value style (`2024-01-09`, `2023-09`, `2024-W01`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DateMention {
    /// Where it is.
    pub span: Span,
    /// Normalized value, or `None` when it could not be anchored.
    pub value: Option<String>,
}

/// Who an actor slot refers to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ActorRef {
    /// The words in the text.
    pub text: String,
    /// Resolved CAMEO actor code.
    pub actor: Option<String>,
    /// Where the words are, when they are in the text.
    pub span: Option<Span>,
}

/// A direct quotation with its speaker.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Quote {
    /// The quoted words, quotation marks excluded.
    pub span: Span,
    /// Who said it.
    pub speaker: Option<ActorRef>,
}

/// Tone of a text, as GDELT measures it: shares of all words, in percent.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct Tone {
    /// `positive - negative`, from -100 to +100.
    pub tone: f64,
    /// Share of words with a positive sense.
    pub positive: f64,
    /// Share of words with a negative sense.
    pub negative: f64,
    /// Share of words with either (`positive + negative`).
    pub polarity: f64,
    /// Share of verbs, when the words were tagged.
    pub activity: Option<f64>,
    /// Share of first-person pronouns (I, we, our, …).
    pub self_group: f64,
    /// Words counted.
    pub words: usize,
}

/// Whether the text asserts an event or only reports, denies or supposes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[allow(missing_docs)]
pub enum Modality {
    Asserted,
    Alleged,
    Denied,
    Negated,
    Hypothetical,
    Future,
}

impl Modality {
    /// The contract's word for it.
    pub fn as_str(&self) -> &'static str {
        match self {
            Modality::Asserted => "asserted",
            Modality::Alleged => "alleged",
            Modality::Denied => "denied",
            Modality::Negated => "negated",
            Modality::Hypothetical => "hypothetical",
            Modality::Future => "future",
        }
    }
    /// Parse the contract's word.
    pub fn parse(s: &str) -> Option<Modality> {
        Some(match s {
            "asserted" => Modality::Asserted,
            "alleged" => Modality::Alleged,
            "denied" => Modality::Denied,
            "negated" => Modality::Negated,
            "hypothetical" => Modality::Hypothetical,
            "future" => Modality::Future,
            _ => return None,
        })
    }
}

/// A coded event: who did what to whom, tied to the sentence that says so.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Event {
    /// Who acted.
    pub source: ActorRef,
    /// Whom it was done to, if anyone.
    pub target: Option<ActorRef>,
    /// CAMEO event code (`"111"`).
    pub cameo: String,
    /// Goldstein scale value of the code.
    pub goldstein: f64,
    /// Quad class 1–4 (verbal/material × cooperation/conflict).
    pub quad_class: u8,
    /// PLOVER event type.
    pub plover: Option<String>,
    /// PLOVER mode.
    pub mode: Option<String>,
    /// Asserted, alleged, denied, …
    pub modality: Modality,
    /// Normalized date of the event.
    pub date: Option<String>,
    /// Where it happened.
    pub place: Option<Place>,
    /// People killed, when stated.
    pub killed: Option<u32>,
    /// People injured, when stated.
    pub injured: Option<u32>,
    /// Weapon type, normalized.
    pub weapon: Option<String>,
    /// Index into [`Doc::sentences`].
    pub sentence: usize,
    /// The words that justify the event.
    pub evidence: Span,
}

/// A document and every layer the pipeline has added to it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Doc {
    /// Metadata.
    pub meta: Meta,
    /// Clean main text, paragraphs separated by a blank line.
    pub text: String,
    /// Stories in the text.
    pub stories: Vec<Story>,
    /// Headings (lines that are section titles, not sentences).
    pub headings: Vec<Span>,
    /// Sentences.
    pub sentences: Vec<Span>,
    /// Tokens.
    pub tokens: Vec<Token>,
    /// Entities.
    pub entities: Vec<Entity>,
    /// Dates.
    pub dates: Vec<DateMention>,
    /// Quotes.
    pub quotes: Vec<Quote>,
    /// Events.
    pub events: Vec<Event>,
    /// Tone of the whole text.
    #[serde(default)]
    pub tone: Option<Tone>,
    /// Tone of each sentence, parallel to [`Doc::sentences`] (an event's tone is its
    /// sentence's).
    #[serde(default)]
    pub sentence_tones: Vec<Tone>,
    /// MinHash signature of [`Doc::text`], when a stage has computed it (the ingest
    /// pipeline's copy probe), so that the store need not hash the text again. Set after the
    /// text is final; not serialized.
    #[serde(skip)]
    pub text_signature: Option<Vec<u64>>,
}

impl Doc {
    /// A document holding `text` and no layers.
    pub fn new(text: impl Into<String>) -> Doc {
        Doc {
            text: text.into(),
            ..Doc::default()
        }
    }

    /// The text under a span.
    pub fn slice(&self, span: Span) -> &str {
        self.text.get(span.start..span.end).unwrap_or("")
    }

    /// Index of the sentence that holds byte `pos`, if any.
    pub fn sentence_at(&self, pos: usize) -> Option<usize> {
        let i = self.sentences.partition_point(|s| s.end <= pos);
        (i < self.sentences.len() && self.sentences[i].start <= pos).then_some(i)
    }

    /// The document in the contract's `annotate` shape (code-point offsets).
    pub fn to_json(&self) -> serde_json::Value {
        json::doc_json(self)
    }
}
