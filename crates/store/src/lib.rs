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
//! Two engines sit behind one interface: SQLite (a file, WAL mode) and PostgreSQL
//! (`postgres://user@host/db`). The SQL lives in one private module and both run the same
//! migrations (rewritten for PostgreSQL's types), so the same ingest reads back identically.
//! [`Store::export`] writes events as JSONL, CSV, GDELT 2.0 event TSV, a GKG-like TSV or Parquet.
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

mod canon;
mod error;
mod export;
mod model;
mod pg;
mod query;
mod search;
mod sql;
mod sqlite;
mod util;

pub use error::StoreError;
pub use export::{
    csv_line, fips_of, ExportFormat, CSV_HEADER, GDELT_EVENT_COLUMNS, GKG_COLUMNS, PARQUET_COLUMNS,
};
pub use model::{CanonicalMention, EventFilter, Inserted, Stats, StoredCanonical, StoredEvent};
pub use search::{SearchHit, SearchQuery};
pub use wirecoder_dedup::{Duplicate, Signature};

use wirecoder_doc::Doc;

/// The database engines. Each method of [`Store`] dispatches here; a PostgreSQL variant slots in
/// beside SQLite without changing the public interface.
enum Backend {
    Sqlite(sqlite::Sqlite),
    Postgres(pg::Pg),
}

/// A database of coded documents.
pub struct Store {
    backend: Backend,
    /// Where the full-text index lives: `Some(None)` in memory, `Some(Some(dir))` beside a
    /// SQLite file, `None` for PostgreSQL (no index).
    search_at: Option<Option<std::path::PathBuf>>,
    /// Opened on first use, so that queries never create the folder.
    search: Option<search::SearchIndex>,
    /// Whether near-duplicate articles are linked to their original instead of coded.
    link_duplicates: bool,
}

/// An article in a listing: `(id, title, path)`.
pub type ArticleRow = (i64, Option<String>, Option<String>);

impl Store {
    /// Opens the database at `url`: a SQLite file path (created with its schema when missing;
    /// a `sqlite://` prefix is accepted) or `:memory:`. The file is put in WAL mode with foreign
    /// keys on, and older schemas are migrated. A `postgres://` or `postgresql://` URL connects
    /// to that PostgreSQL database (which must exist) and migrates it the same way.
    pub fn open(url: &str) -> Result<Store, StoreError> {
        let url = url.trim();
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            return Ok(Store {
                backend: Backend::Postgres(pg::Pg::open(url)?),
                search_at: None,
                search: None,
                link_duplicates: true,
            });
        }
        let path = url
            .strip_prefix("sqlite://")
            .or_else(|| url.strip_prefix("sqlite:"))
            .unwrap_or(url);
        let search_at = if path == ":memory:" {
            None
        } else {
            Some(std::path::PathBuf::from(format!("{path}.search")))
        };
        Ok(Store {
            backend: Backend::Sqlite(sqlite::Sqlite::open(path)?),
            search_at: Some(search_at),
            search: None,
            link_duplicates: true,
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
    ///
    /// Deduplication happens in the same transaction. A near-duplicate of a stored article
    /// (or of one earlier in the batch; see [`Store::near_duplicate`]) is stored as an article
    /// linked to that original, without events of its own, and counts as one more mention,
    /// article and source of the original's canonical events. Every other new event joins the
    /// canonical event it matches (same block of dyad and CAMEO root, compatible date and
    /// place, similar code and evidence: the rules of [`wirecoder_dedup::CanonicalSummary`])
    /// or opens one. Storing a document again changes no count. With PostgreSQL, several
    /// processes may call this at once.
    ///
    /// With SQLite the full-text index is brought up to date after the database commit (see
    /// [`Store::search`]); were the process killed in between, the next insert catches up.
    pub fn insert_batch(&mut self, docs: &[Doc]) -> Result<Vec<Inserted>, StoreError> {
        self.insert_batch_probed(docs, &[])
    }

    /// Marks the start of a copy probe's lookups for [`Store::insert_batch_probed`]: from here
    /// on, a write by any other connection makes the store look every document up again.
    /// Opening the store marks it too; call this after other connections have set up their
    /// own tables (the watch rules' alert tables), and before the probe's first lookup.
    pub fn begin_probing(&mut self) {
        if let Backend::Sqlite(s) = &mut self.backend {
            s.begin_probing();
        }
    }

    /// [`Store::insert_batch`] for documents that a copy probe has already looked up.
    /// `probed[i]` true says: after [`Store::begin_probing`] (or the opening of this store),
    /// [`Store::near_duplicate`] on this database found no near-duplicate of `docs[i]`, and no
    /// document handed to this store before it (in this batch or an earlier one) nearly
    /// duplicates it either. The store then skips its own band lookup for that document,
    /// unless another connection has written to the SQLite file since that mark (with
    /// PostgreSQL, where writers run at once, it always looks). The result is the same as
    /// [`Store::insert_batch`]'s.
    pub fn insert_batch_probed(
        &mut self,
        docs: &[Doc],
        probed: &[bool],
    ) -> Result<Vec<Inserted>, StoreError> {
        let out = match &mut self.backend {
            Backend::Sqlite(s) => s.insert_batch(docs, self.link_duplicates, probed)?,
            Backend::Postgres(p) => p.insert_batch(docs, self.link_duplicates)?,
        };
        if self.search_at.is_some() {
            let newest = out.iter().map(|i| i.article_id).max().unwrap_or(0);
            let fresh: Vec<(i64, &Doc)> = out
                .iter()
                .zip(docs)
                .filter(|(i, _)| i.new)
                .map(|(i, d)| (i.article_id, d))
                .collect();
            self.index_up_to(newest, &fresh)?;
        }
        Ok(out)
    }

    /// Indexes every article with an id up to `newest` that the index lacks, taking those in
    /// `fresh` from memory and the others from the database.
    fn index_up_to(&mut self, newest: i64, fresh: &[(i64, &Doc)]) -> Result<(), StoreError> {
        let Some(at) = self.search_at.clone() else {
            return Ok(());
        };
        if self.search.is_none() {
            self.search = Some(search::SearchIndex::open(at.as_deref())?);
        }
        let done = match &self.search {
            Some(ix) => ix.added_up_to()?,
            None => return Ok(()),
        };
        if newest <= done {
            return Ok(());
        }
        // In slices of ids, so that a large catch-up keeps memory bounded.
        const SLICE: i64 = 512;
        let mut lo = done + 1;
        while lo <= newest {
            let hi = (lo + SLICE - 1).min(newest);
            let mut loaded: Vec<(i64, Doc)> = Vec::new();
            for id in lo..=hi {
                if !fresh.iter().any(|(f, _)| *f == id) {
                    if let Some(doc) = self.article(id)? {
                        loaded.push((id, doc));
                    }
                }
            }
            let mut slice: Vec<(i64, &Doc)> = loaded.iter().map(|(i, d)| (*i, d)).collect();
            slice.extend(fresh.iter().filter(|(i, _)| (lo..=hi).contains(i)).copied());
            slice.sort_by_key(|(i, _)| *i);
            if let Some(ix) = &mut self.search {
                ix.add(&slice, hi)?;
            }
            lo = hi + 1;
        }
        Ok(())
    }

    /// Commits what the full-text index holds but has not committed yet (it commits every few
    /// seconds during an ingest; dropping the store commits too, ignoring errors).
    pub fn flush(&mut self) -> Result<(), StoreError> {
        match &mut self.search {
            Some(ix) => ix.commit(),
            None => Ok(()),
        }
    }

    /// Full-text search over stored sentences (SQLite only: the index is the folder
    /// `DB.search/` beside the file). Articles stored before the index existed are indexed
    /// first.
    pub fn search(&mut self, q: &SearchQuery) -> Result<Vec<SearchHit>, StoreError> {
        if self.search_at.is_none() {
            return Err(StoreError::Search {
                index: "(none)".into(),
                reason: "full-text search needs a SQLite database".into(),
            });
        }
        let newest = self.articles(1)?.first().map_or(0, |a| a.0);
        // A running ingest holds the index's writer lock and will index what it stores;
        // the search then answers from what is committed.
        match self.index_up_to(newest, &[]) {
            Ok(()) | Err(StoreError::Search { .. }) => {}
            Err(e) => return Err(e),
        }
        let mut hits = match &mut self.search {
            Some(ix) => {
                ix.commit()?;
                ix.search(q)?
            }
            None => return Ok(Vec::new()),
        };
        // The index keeps no headlines (one per sentence cost a copy of the title in every
        // sentence's stored fields): a few lookups per search instead.
        if let Backend::Sqlite(s) = &self.backend {
            for h in &mut hits {
                h.title = s.article_title(h.article_id)?.unwrap_or_default();
            }
        }
        Ok(hits)
    }

    /// Whether [`Store::insert_batch`] links near-duplicate articles to their original (the
    /// default) or stores and counts each like any other article.
    pub fn set_link_duplicates(&mut self, on: bool) {
        self.link_duplicates = on;
    }

    /// The stored article that a text with signature `sig` nearly duplicates (estimated
    /// Jaccard similarity of 5-word shingles ≥ [`wirecoder_dedup::DUPLICATE_THRESHOLD`]),
    /// found through the MinHash LSH band table, so that any process sees what any other has
    /// stored. Call it before coding a document: a duplicate need not be coded, since
    /// [`Store::insert_batch`] links it to the original. Compute `sig` with
    /// `Signature::of(&doc.text, wirecoder_dedup::SHINGLE)`.
    pub fn near_duplicate(&self, sig: &Signature) -> Result<Option<Duplicate<i64>>, StoreError> {
        let hit = match &self.backend {
            Backend::Sqlite(s) => s.near_duplicate(sig)?,
            Backend::Postgres(p) => p.near_duplicate(sig)?,
        };
        Ok(hit.map(|(id, similarity)| Duplicate { id, similarity }))
    }

    /// The original that article `id` was stored as a near-duplicate of, with the estimated
    /// similarity; `None` for an original (or an unknown id).
    pub fn duplicate_of(&self, id: i64) -> Result<Option<Duplicate<i64>>, StoreError> {
        let hit = match &self.backend {
            Backend::Sqlite(s) => s.duplicate_of(id)?,
            Backend::Postgres(p) => p.duplicate_of(id)?,
        };
        Ok(hit.map(|(id, similarity)| Duplicate { id, similarity }))
    }

    /// A canonical event with every report's evidence, or `None` when no row has that id.
    pub fn canonical_event(&self, id: i64) -> Result<Option<StoredCanonical>, StoreError> {
        match &self.backend {
            Backend::Sqlite(s) => s.canonical_event(id),
            Backend::Postgres(p) => p.canonical_event(id),
        }
    }

    /// Notes an input that could not be stored (`source`: file or record; `reason`: why).
    pub fn record_skipped(&mut self, source: &str, reason: &str) -> Result<(), StoreError> {
        match &mut self.backend {
            Backend::Sqlite(s) => s.record_skipped(source, reason),
            Backend::Postgres(p) => p.record_skipped(source, reason),
        }
    }

    /// Events matching `f`, in storage order.
    pub fn events(&self, f: &EventFilter) -> Result<Vec<StoredEvent>, StoreError> {
        let mut out = Vec::new();
        self.each_event(f, &mut |e| {
            out.push(e);
            Ok(())
        })?;
        Ok(out)
    }

    /// Calls `each` on the events matching `f`, in storage order, without holding them all in
    /// memory. An error from `each` stops the walk and is returned.
    pub fn each_event(
        &self,
        f: &EventFilter,
        each: &mut dyn FnMut(StoredEvent) -> Result<(), StoreError>,
    ) -> Result<(), StoreError> {
        match &self.backend {
            Backend::Sqlite(s) => s.each_event(f, each),
            Backend::Postgres(p) => p.each_event(f, each),
        }
    }

    /// Writes the events matching `f` to `out` in `format` (see [`ExportFormat`] for each
    /// layout); returns how many records were written (events, or articles for
    /// [`ExportFormat::Gkg`]).
    pub fn export<W: std::io::Write + Send>(
        &self,
        f: &EventFilter,
        format: ExportFormat,
        out: W,
    ) -> Result<u64, StoreError> {
        export::export(self, f, format, out)
    }

    /// Row counts.
    pub fn stats(&self) -> Result<Stats, StoreError> {
        match &self.backend {
            Backend::Sqlite(s) => s.stats(),
            Backend::Postgres(p) => p.stats(),
        }
    }

    /// The stored document rebuilt from the tables (every layer but tokens), or `None` when no
    /// article has that id.
    pub fn article(&self, id: i64) -> Result<Option<Doc>, StoreError> {
        match &self.backend {
            Backend::Sqlite(s) => s.article(id),
            Backend::Postgres(p) => p.article(id),
        }
    }

    /// Articles that `key` names, tried in order and the first hit kept: a numeric id; an
    /// exact path or URL; a case-insensitive substring of the title or path.
    pub fn find_articles(&self, key: &str) -> Result<Vec<ArticleRow>, StoreError> {
        match &self.backend {
            Backend::Sqlite(s) => s.find_articles(key),
            Backend::Postgres(p) => p.find_articles(key),
        }
    }

    /// The newest `limit` articles, newest first.
    pub fn articles(&self, limit: usize) -> Result<Vec<ArticleRow>, StoreError> {
        match &self.backend {
            Backend::Sqlite(s) => s.articles(limit),
            Backend::Postgres(p) => p.articles(limit),
        }
    }
}
