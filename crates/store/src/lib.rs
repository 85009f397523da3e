//! wirecoder-store: where coded documents are kept, and how events are read back.
//!
//! A [`Store`] holds every layer of a [`wirecoder_doc::Doc`] (metadata, text, stories,
//! headings, sentences, entities, dates, quotes, events; tokens are not kept) in a SQLite
//! database, one table per layer, offsets in bytes as in the document model. Storing is
//! idempotent: an article is identified by the SHA-256 of its clean text and URL, so ingesting
//! the same file twice adds nothing ([`Inserted::new`] is false the second time).
//!
//! Main types: [`Store`] (open, insert, query), [`EventFilter`] (what [`Store::events`]
//! returns), [`StoredEvent`], [`Stats`] (row counts for `wirecoder stats`), [`StoreError`].
//!
//! The SQL lives in one private module and the engine sits behind a small backend seam, so
//! PostgreSQL can join later; for now `Store::open("postgres://…")` answers
//! [`StoreError::PostgresNotBuilt`].
//!
//! ```
//! use wirecoder_doc::{ActorRef, Doc, Event, Modality, Span};
//! use wirecoder_store::{EventFilter, Store};
//!
//! let mut store = Store::open(":memory:")?;
//! let mut doc = Doc::new("Russia condemned Ukraine.");
//! doc.sentences.push(Span::new(0, 25));
//! doc.events.push(Event {
//!     source: ActorRef { text: "Russia".into(), actor: Some("RUS".into()), span: Some(Span::new(0, 6)) },
//!     target: Some(ActorRef { text: "Ukraine".into(), actor: Some("UKR".into()), span: Some(Span::new(17, 24)) }),
//!     cameo: "111".into(), goldstein: -2.0, quad_class: 3,
//!     plover: Some("ACCUSE".into()), mode: None, modality: Modality::Asserted,
//!     date: None, place: None, killed: None, injured: None, weapon: None,
//!     sentence: 0, evidence: Span::new(7, 16),
//! });
//! assert!(store.insert(&doc)?.new);
//! assert!(!store.insert(&doc)?.new); // same text and URL: nothing added
//!
//! let hits = store.events(&EventFilter { actor: Some("RUS".into()), ..Default::default() })?;
//! assert_eq!(hits.len(), 1);
//! assert_eq!(hits[0].evidence_text, "condemned");
//! assert_eq!(store.stats()?.articles, 1);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
#![deny(missing_docs)]

mod error;
mod model;
mod sql;
mod sqlite;
mod util;

pub use error::StoreError;
pub use model::{EventFilter, Inserted, Stats, StoredEvent};

use wirecoder_doc::Doc;

/// The database engines. Each method of [`Store`] dispatches here; a PostgreSQL variant slots in
/// beside SQLite without changing the public interface.
enum Backend {
    Sqlite(sqlite::Sqlite),
}

/// A database of coded documents.
pub struct Store {
    backend: Backend,
}

/// An article in a listing: `(id, title, path)`.
pub type ArticleRow = (i64, Option<String>, Option<String>);

impl Store {
    /// Opens the database at `url`: a SQLite file path (created with its schema when missing;
    /// a `sqlite://` prefix is accepted) or `:memory:`. The file is put in WAL mode with foreign
    /// keys on, and older schemas are migrated. `postgres://` URLs are refused for now.
    pub fn open(url: &str) -> Result<Store, StoreError> {
        let url = url.trim();
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            return Err(StoreError::PostgresNotBuilt);
        }
        let path = url
            .strip_prefix("sqlite://")
            .or_else(|| url.strip_prefix("sqlite:"))
            .unwrap_or(url);
        Ok(Store {
            backend: Backend::Sqlite(sqlite::Sqlite::open(path)?),
        })
    }

    /// Stores one document in one transaction. A document already stored (same text and URL)
    /// returns its id with `new: false` and writes nothing. A document whose spans do not fit
    /// its text is refused with [`StoreError::InvalidDoc`].
    pub fn insert(&mut self, doc: &Doc) -> Result<Inserted, StoreError> {
        let mut out = self.insert_batch(std::slice::from_ref(doc))?;
        // One document in, one result out; the fallback only keeps this panic-free.
        out.pop().ok_or_else(|| StoreError::InvalidDoc {
            doc: "(batch of one)".into(),
            reason: "no result for the document".into(),
        })
    }

    /// Stores many documents in one transaction, far faster than one by one. If any fails,
    /// none is stored. Results are in input order; a document repeated inside the batch is
    /// `new` only the first time.
    pub fn insert_batch(&mut self, docs: &[Doc]) -> Result<Vec<Inserted>, StoreError> {
        match &mut self.backend {
            Backend::Sqlite(s) => s.insert_batch(docs),
        }
    }

    /// Notes an input that could not be stored (`source`: file or record; `reason`: why).
    pub fn record_skipped(&mut self, source: &str, reason: &str) -> Result<(), StoreError> {
        match &mut self.backend {
            Backend::Sqlite(s) => s.record_skipped(source, reason),
        }
    }

    /// Events matching `f`, in storage order.
    pub fn events(&self, f: &EventFilter) -> Result<Vec<StoredEvent>, StoreError> {
        match &self.backend {
            Backend::Sqlite(s) => s.events(f),
        }
    }

    /// Row counts.
    pub fn stats(&self) -> Result<Stats, StoreError> {
        match &self.backend {
            Backend::Sqlite(s) => s.stats(),
        }
    }

    /// The stored document rebuilt from the tables (every layer but tokens), or `None` when no
    /// article has that id.
    pub fn article(&self, id: i64) -> Result<Option<Doc>, StoreError> {
        match &self.backend {
            Backend::Sqlite(s) => s.article(id),
        }
    }

    /// Articles that `key` names, tried in order and the first hit kept: a numeric id; an
    /// exact path or URL; a case-insensitive substring of the title or path.
    pub fn find_articles(&self, key: &str) -> Result<Vec<ArticleRow>, StoreError> {
        match &self.backend {
            Backend::Sqlite(s) => s.find_articles(key),
        }
    }

    /// The newest `limit` articles, newest first.
    pub fn articles(&self, limit: usize) -> Result<Vec<ArticleRow>, StoreError> {
        match &self.backend {
            Backend::Sqlite(s) => s.articles(limit),
        }
    }
}
