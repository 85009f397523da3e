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
    /// The canonical event this mention belongs to (`None` for events stored before
    /// canonical events existed).
    pub canonical_id: Option<i64>,
    /// Mentions of the canonical event, syndicated copies included (1 without one).
    pub num_mentions: u32,
    /// Distinct sources (sites) reporting it (1 without a canonical event).
    pub num_sources: u32,
    /// Distinct articles reporting it (1 without a canonical event).
    pub num_articles: u32,
    /// GDELT's `AvgTone`: the mean tone of the articles reporting it (the article's own
    /// without a canonical event; `None` where no tone was stored).
    pub avg_tone: Option<f64>,
}

/// One report of a canonical event: an event coded in an article, or a near-duplicate
/// article that copies one.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CanonicalMention {
    /// The article that reports it (the copy, for a syndicated copy).
    pub article_id: i64,
    /// The coded event (for a copy, the original's event it repeats).
    pub event_id: i64,
    /// The article's site (what `num_sources` counts).
    pub site: String,
    /// The article's publication date.
    pub seen: Option<String>,
    /// The evidence span in that article's text (byte offsets); `None` when a copy no longer
    /// holds the original's words.
    pub evidence: Option<(usize, usize)>,
}

/// A canonical event: one happening, however many reports carried it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StoredCanonical {
    /// Its id (`canonical_id` of its events).
    pub id: i64,
    /// Most specific source actor code reported.
    pub source: Option<String>,
    /// Most specific target actor code reported.
    pub target: Option<String>,
    /// The CAMEO code most reports give.
    pub cameo: String,
    /// Its root (two digits).
    pub root_code: String,
    /// Quad class of `cameo`.
    pub quad_class: u8,
    /// Goldstein score of `cameo`.
    pub goldstein: f64,
    /// The most precise date reported: a TIMEX day, else `first/last`.
    pub date: Option<String>,
    /// Place name of the first report with a place.
    pub place_name: Option<String>,
    /// Its country (ISO 3166 alpha-3).
    pub place_country: Option<String>,
    /// Mentions, all articles together.
    pub num_mentions: u32,
    /// Distinct sources.
    pub num_sources: u32,
    /// Distinct articles.
    pub num_articles: u32,
    /// Earliest publication date of its reports.
    pub first_seen: Option<String>,
    /// Latest publication date of its reports.
    pub last_seen: Option<String>,
    /// 1 − ½ⁿ over n sources, halved when no report asserts it.
    pub confidence: f64,
    /// `asserted` when any report asserts it, else the first report's modality.
    pub modality: String,
    /// Every report, in article order.
    pub mentions: Vec<CanonicalMention>,
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
    /// At least this many distinct sources report the event's canonical event.
    pub min_sources: Option<u32>,
    /// Only events of this article.
    pub article_id: Option<i64>,
    /// Only events with a greater id (a page's cursor; `Some(id - 1)` with a limit of 1 reads
    /// event `id` by its key).
    pub after_id: Option<i64>,
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
    /// Events after cross-document deduplication.
    pub canonical_events: u64,
    /// Inputs recorded as skipped.
    pub skipped: u64,
}
