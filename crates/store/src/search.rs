//! Full-text search over stored sentences with tantivy.
//!
//! One index document per sentence: its text (tokenized, stored), the article id and
//! sentence index, the publication day (`YYYYMMDD`), the article's source (site or host), the
//! actor codes mentioned in the sentence (each 3-letter prefix too, so `PRK` finds `PRKGOV`)
//! and the CAMEO codes of its events (with their 2- and 3-digit prefixes). The index lives in a
//! folder beside the SQLite file (`news.db.search/`) and remembers, in its commit payload, the
//! highest article id it holds, so an ingest that was killed between the database commit and
//! the index commit is caught up by the next ingest.

use std::ops::Bound;
use std::path::Path;

use tantivy::collector::TopDocs;
use tantivy::query::{BooleanQuery, Occur, Query, QueryParser, RangeQuery, TermQuery};
use tantivy::schema::{
    Field, IndexRecordOption, Schema, Value, FAST, INDEXED, STORED, STRING, TEXT,
};
use tantivy::{Index, IndexReader, IndexWriter, ReloadPolicy, TantivyDocument, Term};
use wirecoder_doc::Doc;

use crate::error::StoreError;

/// What to look for with [`crate::Store::search`].
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SearchQuery {
    /// Words to find (all of them; `"a phrase"`, `OR`, `-word` as in tantivy's query syntax).
    pub text: String,
    /// Actor code (or its 3-letter-multiple prefix) mentioned in the sentence.
    pub actor: Option<String>,
    /// CAMEO code, or its root or base, of an event coded in the sentence.
    pub code: Option<String>,
    /// The article's source: site name or host (`www.bbc.co.uk`), exactly, case-insensitive.
    pub source: Option<String>,
    /// Published on or after this day (`2024-01-01`).
    pub since: Option<String>,
    /// Published on or before this day.
    pub until: Option<String>,
    /// At most this many hits (10 when 0).
    pub limit: usize,
}

/// A sentence that matched.
#[derive(Debug, Clone, PartialEq)]
pub struct SearchHit {
    /// BM25 score.
    pub score: f32,
    /// The article.
    pub article_id: i64,
    /// The sentence's index in the article.
    pub sentence: usize,
    /// The sentence's text.
    pub text: String,
    /// The article's headline.
    pub title: String,
    /// Its publication day, `YYYYMMDD` (0 when unknown).
    pub day: i64,
}

#[derive(Clone, Copy)]
struct Fields {
    text: Field,
    article: Field,
    sentence: Field,
    day: Field,
    source: Field,
    actor: Field,
    code: Field,
}

fn schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let text = b.add_text_field("text", TEXT | STORED);
    // Not written any more: the headline is read from the database for each hit (indexes
    // made before kept it with every sentence). Kept in the schema, in its place, so that
    // those indexes still open.
    b.add_text_field("title", STORED);
    let f = Fields {
        text,
        article: b.add_u64_field("article", INDEXED | STORED | FAST),
        sentence: b.add_u64_field("sentence", STORED),
        day: b.add_i64_field("day", INDEXED | STORED | FAST),
        source: b.add_text_field("source", STRING),
        actor: b.add_text_field("actor", STRING),
        code: b.add_text_field("code", STRING),
    };
    (b.build(), f)
}

/// The search index of one database.
pub(crate) struct SearchIndex {
    index: Index,
    fields: Fields,
    reader: Option<IndexReader>,
    writer: Option<IndexWriter>,
    where_: String,
    /// Highest article id added but not committed yet.
    pending: Option<i64>,
    last_commit: std::time::Instant,
}

/// How often an ingest commits the index. Each commit writes a segment (its postings sorted
/// and serialized again, later merged into larger ones) and syncs it, which costs far more
/// than a database batch; every 10 s it was a tenth of the index's CPU on a slow BBC ingest.
/// What is lost to a crash is re-indexed from the database by the next ingest or search; a
/// search beside a running ingest sees what the last commit holds.
const COMMIT_EVERY: std::time::Duration = std::time::Duration::from_secs(30);

impl Drop for SearchIndex {
    fn drop(&mut self) {
        let _ = self.commit();
    }
}

fn err(where_: &str, e: impl std::fmt::Display) -> StoreError {
    StoreError::Search {
        index: where_.to_string(),
        reason: e.to_string(),
    }
}

/// `2024-01-10…` → 20240110; partial dates fill with 01.
pub(crate) fn day_number(s: &str) -> Option<i64> {
    let date = s.get(..s.find('T').unwrap_or(s.len()))?;
    let mut p = date.split('-');
    let y: i64 = p.next()?.parse().ok()?;
    let m: i64 = p.next().map_or(Ok(1), str::parse).ok()?;
    let d: i64 = p.next().map_or(Ok(1), str::parse).ok()?;
    Some(y * 10_000 + m * 100 + d)
}

/// The source name of an article: its site, else its URL's host, lower case.
fn source_of(doc: &Doc) -> Option<String> {
    let m = &doc.meta;
    m.site
        .clone()
        .or_else(|| {
            m.url.as_deref().and_then(|u| {
                u.split("://")
                    .nth(1)
                    .and_then(|r| r.split('/').next())
                    .map(str::to_string)
            })
        })
        .map(|s| s.to_lowercase())
}

impl SearchIndex {
    /// Opens (creating) the index in `dir`, or in memory when `dir` is `None`.
    pub(crate) fn open(dir: Option<&Path>) -> Result<SearchIndex, StoreError> {
        let (schema, fields) = schema();
        let where_ = dir.map_or(":memory:".to_string(), |d| d.display().to_string());
        let index = match dir {
            Some(d) => {
                std::fs::create_dir_all(d).map_err(|e| err(&where_, e))?;
                let mmap =
                    tantivy::directory::MmapDirectory::open(d).map_err(|e| err(&where_, e))?;
                Index::open_or_create(mmap, schema).map_err(|e| err(&where_, e))?
            }
            None => Index::create_in_ram(schema),
        };
        Ok(SearchIndex {
            index,
            fields,
            reader: None,
            writer: None,
            where_,
            pending: None,
            last_commit: std::time::Instant::now(),
        })
    }

    /// The highest article id the last commit holds (0 for none).
    pub(crate) fn indexed_up_to(&self) -> Result<i64, StoreError> {
        let meta = self.index.load_metas().map_err(|e| err(&self.where_, e))?;
        Ok(meta
            .payload
            .as_deref()
            .and_then(|p| p.trim().parse().ok())
            .unwrap_or(0))
    }

    fn writer(&mut self) -> Result<&mut IndexWriter, StoreError> {
        if self.writer.is_none() {
            // One indexing thread: the pipeline already keeps the cores busy.
            let w = self
                .index
                .writer_with_num_threads(1, 50_000_000)
                .map_err(|e| err(&self.where_, e))?;
            self.writer = Some(w);
        }
        // Just set above when it was missing.
        self.writer
            .as_mut()
            .ok_or_else(|| err("search index", "no writer"))
    }

    /// Adds `docs` (with their article ids) and commits, recording `up_to` as indexed.
    pub(crate) fn add(&mut self, docs: &[(i64, &Doc)], up_to: i64) -> Result<(), StoreError> {
        let f = self.fields;
        let where_ = self.where_.clone();
        let w = self.writer()?;
        for &(id, doc) in docs {
            let day = doc.meta.published.as_deref().and_then(day_number);
            let source = source_of(doc);
            for (i, s) in doc.sentences.iter().enumerate() {
                let Some(text) = doc.text.get(s.start..s.end) else {
                    continue;
                };
                let mut d = TantivyDocument::new();
                d.add_text(f.text, text);
                d.add_u64(f.article, u64::try_from(id).unwrap_or(0));
                d.add_u64(f.sentence, i as u64);
                d.add_i64(f.day, day.unwrap_or(0));
                if let Some(src) = &source {
                    d.add_text(f.source, src);
                }
                let mut actors = std::collections::BTreeSet::new();
                for e in &doc.entities {
                    if s.contains(e.span) {
                        if let Some(a) = &e.actor {
                            actors.insert(a.clone());
                        }
                    }
                }
                let mut codes = std::collections::BTreeSet::new();
                for e in doc.events.iter().filter(|e| e.sentence == i) {
                    actors.extend(e.source.actor.clone());
                    actors.extend(e.target.as_ref().and_then(|t| t.actor.clone()));
                    for n in [2, 3, e.cameo.len()] {
                        if let Some(c) = e.cameo.get(..n) {
                            codes.insert(c.to_string());
                        }
                    }
                }
                let mut prefixes = std::collections::BTreeSet::new();
                for a in &actors {
                    for n in (3..=a.len()).step_by(3).chain([a.len()]) {
                        if let Some(p) = a.get(..n) {
                            prefixes.insert(p.to_string());
                        }
                    }
                }
                for a in prefixes {
                    d.add_text(f.actor, &a);
                }
                for c in codes {
                    d.add_text(f.code, &c);
                }
                w.add_document(d).map_err(|e| err(&where_, e))?;
            }
        }
        self.pending = Some(up_to);
        if self.last_commit.elapsed() >= COMMIT_EVERY {
            self.commit()?;
        }
        Ok(())
    }

    /// Commits what was added, recording the highest article id it covers.
    pub(crate) fn commit(&mut self) -> Result<(), StoreError> {
        let Some(up_to) = self.pending else {
            return Ok(());
        };
        let where_ = self.where_.clone();
        let w = self.writer()?;
        let mut commit = w.prepare_commit().map_err(|e| err(&where_, e))?;
        commit.set_payload(&up_to.to_string());
        commit.commit().map_err(|e| err(&where_, e))?;
        self.pending = None;
        self.last_commit = std::time::Instant::now();
        Ok(())
    }

    /// The highest article id added, committed or not.
    pub(crate) fn added_up_to(&self) -> Result<i64, StoreError> {
        match self.pending {
            Some(p) => Ok(p),
            None => self.indexed_up_to(),
        }
    }

    /// Runs `q`.
    pub(crate) fn search(&mut self, q: &SearchQuery) -> Result<Vec<SearchHit>, StoreError> {
        let f = self.fields;
        let where_ = self.where_.clone();
        if self.reader.is_none() {
            let r = self
                .index
                .reader_builder()
                .reload_policy(ReloadPolicy::Manual)
                .try_into()
                .map_err(|e| err(&where_, e))?;
            self.reader = Some(r);
        }
        let reader = self
            .reader
            .as_ref()
            .ok_or_else(|| err(&where_, "no reader"))?;
        reader.reload().map_err(|e| err(&where_, e))?;
        let searcher = reader.searcher();
        let mut parser = QueryParser::for_index(&self.index, vec![f.text]);
        parser.set_conjunction_by_default();
        let text = parser
            .parse_query(q.text.trim())
            .map_err(|e| StoreError::InvalidFilter {
                field: "query",
                value: q.text.clone(),
                reason: match e {
                    tantivy::query::QueryParserError::SyntaxError(_) => "not a valid query",
                    _ => "cannot be searched",
                },
            })?;
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Must, text)];
        let term = |field: Field, v: &str| -> Box<dyn Query> {
            Box::new(TermQuery::new(
                Term::from_field_text(field, v),
                IndexRecordOption::Basic,
            ))
        };
        if let Some(a) = &q.actor {
            clauses.push((Occur::Must, term(f.actor, &a.trim().to_uppercase())));
        }
        if let Some(c) = &q.code {
            clauses.push((Occur::Must, term(f.code, c.trim())));
        }
        if let Some(s) = &q.source {
            clauses.push((Occur::Must, term(f.source, &s.trim().to_lowercase())));
        }
        let bound = |v: &Option<String>, field: &'static str| -> Result<Bound<Term>, StoreError> {
            match v {
                None => Ok(Bound::Unbounded),
                Some(s) => day_number(s)
                    .map(|d| Bound::Included(Term::from_field_i64(f.day, d)))
                    .ok_or_else(|| StoreError::InvalidFilter {
                        field,
                        value: s.clone(),
                        reason: "expected an ISO 8601 date",
                    }),
            }
        };
        let (lo, hi) = (bound(&q.since, "since")?, bound(&q.until, "until")?);
        if !matches!((&lo, &hi), (Bound::Unbounded, Bound::Unbounded)) {
            clauses.push((Occur::Must, Box::new(RangeQuery::new(lo, hi))));
        }
        let query = BooleanQuery::new(clauses);
        let limit = if q.limit == 0 { 10 } else { q.limit };
        let top = searcher
            .search(&query, &TopDocs::with_limit(limit).order_by_score())
            .map_err(|e| err(&where_, e))?;
        let mut hits = Vec::with_capacity(top.len());
        for (score, addr) in top {
            let d: TantivyDocument = searcher.doc(addr).map_err(|e| err(&where_, e))?;
            let u = |field: Field| d.get_first(field).and_then(|v| v.as_u64()).unwrap_or(0);
            let s = |field: Field| {
                d.get_first(field)
                    .and_then(|v| v.as_str().map(str::to_string))
                    .unwrap_or_default()
            };
            hits.push(SearchHit {
                score,
                article_id: i64::try_from(u(f.article)).unwrap_or(0),
                sentence: usize::try_from(u(f.sentence)).unwrap_or(0),
                text: s(f.text),
                // Filled in from the database by `Store::search`.
                title: String::new(),
                day: d.get_first(f.day).and_then(|v| v.as_i64()).unwrap_or(0),
            });
        }
        Ok(hits)
    }
}
