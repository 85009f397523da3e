//! The values the store hands out and takes in.

use serde::Serialize;
use wirecoder_doc::Event;

/// The outcome of storing one document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Inserted {
    /// The article's id, new or already there.
    pub article_id: i64,
    /// False when the same text and URL were stored before; then nothing was written.
    pub new: bool,
}

/// An event as stored, with what a reader needs to judge it.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredEvent {
    /// The event's row id.
    pub id: i64,
    /// The article it came from.
    pub article_id: i64,
    /// The event, byte offsets into the article's text.
    pub event: Event,
    /// The text under `event.evidence`.
    pub evidence_text: String,
    /// The text of sentence `event.sentence` (empty if the article has no such sentence).
    pub sentence_text: String,
    /// The article's headline.
    pub article_title: Option<String>,
    /// The article's publication date.
    pub published: Option<String>,
    /// The article's URL, else its path (GDELT's SOURCEURL).
    pub source_url: Option<String>,
    /// When the article was stored (`2024-01-10T08:30:00Z`).
    pub ingested_at: String,
    /// Mentions of the canonical event (1 until deduplication exists).
    pub num_mentions: u32,
    /// Distinct sources reporting it (1 until deduplication exists).
    pub num_sources: u32,
    /// Distinct articles reporting it (1 until deduplication exists).
    pub num_articles: u32,
}

/// Which events to return. Every field left `None` matches everything; set fields are ANDed.
///
/// Actor codes and CAMEO codes match by prefix, so `RUS` finds `RUSGOV` and `19` finds `190`…`196`.
/// Actor and PLOVER values are upper-cased first, since CAMEO and PLOVER codes are upper case.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct EventFilter {
    /// Prefix of the source or the target actor code.
    pub actor: Option<String>,
    /// Prefix of the source actor code.
    pub source: Option<String>,
    /// Prefix of the target actor code.
    pub target: Option<String>,
    /// Prefix of the CAMEO code.
    pub code: Option<String>,
    /// PLOVER event type, exactly.
    pub plover: Option<String>,
    /// Modality word (`asserted`, `alleged`, …).
    pub modality: Option<String>,
    /// Earliest date (inclusive), on the event's date, else the article's publication date.
    pub since: Option<String>,
    /// Latest date (inclusive: `2024-01-09` keeps `2024-01-09T10:00`), same date as `since`.
    pub until: Option<String>,
    /// Country of the event's place (ISO 3166 alpha-3), exactly.
    pub country: Option<String>,
    /// Name of the event's place, ASCII case-insensitively.
    pub place: Option<String>,
    /// Bounding box of the event's place: `[min_lon, min_lat, max_lon, max_lat]`, inclusive.
    pub bbox: Option<[f64; 4]>,
    /// At least this many distinct sources report the event (every mention counts as one
    /// source until cross-document deduplication exists).
    pub min_sources: Option<u32>,
    /// Only events of this article.
    pub article_id: Option<i64>,
    /// At most this many events.
    pub limit: Option<usize>,
}

/// Row counts of the store, in the shape of `wirecoder stats --format json`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Stats {
    /// Articles stored.
    pub articles: u64,
    /// Stories inside them.
    pub stories: u64,
    /// Sentences.
    pub sentences: u64,
    /// Entities.
    pub entities: u64,
    /// Quotes.
    pub quotes: u64,
    /// Event mentions.
    pub events: u64,
    /// Events after cross-document deduplication (0 until it exists).
    pub canonical_events: u64,
    /// Inputs recorded as skipped.
    pub skipped: u64,
}
