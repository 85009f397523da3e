//! The SQLite backend: runs the statements of [`crate::sql`] through `rusqlite`.

use std::sync::OnceLock;

use rusqlite::types::{Value, ValueRef};
use rusqlite::{params, Connection, OptionalExtension, Row};
use wirecoder_doc::{
    ActorRef, DateMention, Doc, Entity, EntityType, Event, Modality, Place, Quote, Span, Story,
};

use crate::canon::{self, Cell};
use crate::error::{Ctx, StoreError};
use crate::model::{EventFilter, Inserted, Stats, StoredCanonical, StoredEvent};
use crate::query::{self, Param};
use crate::sql;
use crate::util::{doc_label, like_escape, now_utc};
use crate::ArticleRow;

/// Ids per window when a limited event query walks events in id order.
const WINDOW: i64 = 16_384;
/// Bytes of the database file mapped into memory (the rest, if larger, is read as usual).
const MMAP_SIZE: i64 = 1 << 30;
/// Ids walked before a limited event query hands over to the indexed plan.
const WALK_MAX: i64 = 4 * WINDOW;
/// Page cache of a connection that writes batches (`PRAGMA cache_size`; negative: KiB).
const WRITER_CACHE_KIB: i64 = -65_536;
/// WAL pages after which a writing connection checkpoints (SQLite's default is 1,000).
const WRITER_CHECKPOINT_PAGES: i64 = 16_384;

fn value_of(p: Param) -> Value {
    match p {
        Param::Int(i) => Value::Integer(i),
        Param::Real(r) => Value::Real(r),
        Param::Text(t) => Value::Text(t),
        Param::OptInt(i) => i.map_or(Value::Null, Value::Integer),
        Param::OptReal(r) => r.map_or(Value::Null, Value::Real),
        Param::OptText(t) => t.map_or(Value::Null, Value::Text),
        Param::Bool(b) => Value::Integer(i64::from(b)),
    }
}

fn values_of(params: Vec<Param>) -> Vec<Value> {
    params.into_iter().map(value_of).collect()
}

/// The event select for an indexed plan that reads every match. A dyad (source and target
/// both given, no article) reads the composite `events_dyad` index, which checks target and
/// code before reading a row. Left to itself, SQLite read a five-filter dyad query's 67k rows
/// by country for 8 hits at 1M events (80-120 ms; still 46-68 ms after `ANALYZE`); forced,
/// 13 ms. PostgreSQL combines indexes itself.
fn indexed_select(f: &EventFilter) -> String {
    let given = |v: &Option<String>| v.as_deref().is_some_and(|s| !s.trim().is_empty());
    let select = sql::events_select();
    if given(&f.source) && given(&f.target) && f.article_id.is_none() {
        select.replacen("FROM events e", "FROM events e INDEXED BY events_dyad", 1)
    } else {
        select
    }
}

/// The deduplication's view of a SQLite connection (inside the batch's transaction).
struct SqliteDb<'a> {
    c: &'a Connection,
    db: &'a str,
}

impl canon::Db for SqliteDb<'_> {
    fn rows(&mut self, q: &str, params: &[Param]) -> Result<Vec<Vec<Cell>>, StoreError> {
        let what = "deduplicating";
        let mut st = self.c.prepare_cached(q).ctx(self.db, what)?;
        let n = st.column_count();
        let values = values_of(params.to_vec());
        let mut rows = st
            .query(rusqlite::params_from_iter(values))
            .ctx(self.db, what)?;
        let mut out = Vec::new();
        while let Some(r) = rows.next().ctx(self.db, what)? {
            let mut row = Vec::with_capacity(n);
            for i in 0..n {
                row.push(match r.get_ref(i).ctx(self.db, what)? {
                    ValueRef::Null => Cell::Null,
                    ValueRef::Integer(i) => Cell::Int(i),
                    ValueRef::Real(f) => Cell::Real(f),
                    ValueRef::Text(t) => Cell::Text(String::from_utf8_lossy(t).into_owned()),
                    ValueRef::Blob(b) => Cell::Blob(b.to_vec()),
                });
            }
            out.push(row);
        }
        Ok(out)
    }

    fn exec(&mut self, q: &str, params: &[Param]) -> Result<u64, StoreError> {
        let values = values_of(params.to_vec());
        let n = self
            .c
            .prepare_cached(q)
            .and_then(|mut st| st.execute(rusqlite::params_from_iter(values)))
            .ctx(self.db, "deduplicating")?;
        Ok(n as u64)
    }

    fn lock(&mut self, _keys: &[i64]) -> Result<(), StoreError> {
        // The batch's transaction is IMMEDIATE: this connection is the only writer.
        Ok(())
    }

    fn write_doc(
        &mut self,
        doc: &Doc,
        hash: &str,
        now: &str,
        minhash: Option<&[u8]>,
    ) -> Result<i64, StoreError> {
        write_doc(self.c, doc, hash, now, minhash)
            .map(|i| i.article_id)
            .ctx(self.db, &format!("storing {}", doc_label(doc)))
    }

    fn name(&self) -> &str {
        self.db
    }
}

/// One SQLite database.
pub(crate) struct Sqlite {
    conn: Connection,
    /// The path, for error messages.
    db: String,
    /// Whether the writer's settings (statement journals in memory, cache, checkpoints) are
    /// in place; see `insert_batch`.
    tuned_for_writing: bool,
    /// `PRAGMA data_version` when the database was opened (or probing began): it changes
    /// when another connection commits. `None` once one has (or could not be read).
    data_version: Option<i64>,
}

impl Sqlite {
    /// Opens (creating if needed) the database at `path`, or an in-memory one for `:memory:`,
    /// and brings its schema up to date.
    pub(crate) fn open(path: &str) -> Result<Sqlite, StoreError> {
        let open_err = |source| StoreError::Open {
            db: path.to_string(),
            source,
        };
        let conn = if path == ":memory:" {
            Connection::open_in_memory()
        } else {
            Connection::open(path)
        }
        .map_err(open_err)?;
        // WAL lets readers (serve) run beside a writer (ingest); NORMAL sync is safe under WAL
        // and much faster for many small commits. An in-memory database answers "memory".
        conn.pragma_update_and_check(None, "journal_mode", "WAL", |r| r.get::<_, String>(0))
            .map_err(open_err)?;
        conn.pragma_update(None, "synchronous", "NORMAL")
            .map_err(open_err)?;
        conn.pragma_update(None, "foreign_keys", "ON")
            .map_err(open_err)?;
        conn.busy_timeout(std::time::Duration::from_secs(10))
            .map_err(open_err)?;
        // Pages read through a memory map instead of copied into each connection's small page
        // cache (2 MB): a server's readers scanning events spent a sixth of their time in
        // `pread`. Best effort: a build without mmap support answers 0 and reads as before.
        if path != ":memory:" {
            conn.pragma_update(None, "mmap_size", MMAP_SIZE)
                .map_err(open_err)?;
        }
        // The writer's statements, with the multi-row inserts' sizes, and a reader's queries.
        conn.set_prepared_statement_cache_capacity(128);
        let mut store = Sqlite {
            conn,
            db: path.to_string(),
            tuned_for_writing: false,
            data_version: None,
        };
        store.migrate()?;
        // Read after the migration: this connection's own commits never change it.
        store.data_version = store.read_data_version().ok();
        Ok(store)
    }

    fn migrate(&mut self) -> Result<(), StoreError> {
        let db = self.db.clone();
        let supported = sql::MIGRATIONS.last().map_or(0, |m| m.0);
        // Fast path without a write lock: a reader opening beside a running ingest must not
        // queue behind its batches.
        let version = |c: &Connection| -> rusqlite::Result<Option<i64>> {
            c.query_row(sql::CURRENT_VERSION, [], |r| r.get(0))
                .optional()
        };
        if let Ok(Some(v)) = version(&self.conn) {
            if v == supported {
                return Ok(());
            }
        }
        // Two processes opening a new file at once: the write lock taken up front makes the
        // second wait, then see the first one's work.
        let what = "migrating the schema";
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
            .ctx(&db, what)?;
        tx.execute_batch(sql::CREATE_MIGRATIONS_TABLE)
            .ctx(&db, "creating schema_migrations")?;
        let current: i64 = tx
            .query_row(sql::CURRENT_VERSION, [], |r| r.get(0))
            .ctx(&db, "reading the schema version")?;
        if current > supported {
            return Err(StoreError::SchemaTooNew {
                db,
                found: current,
                supported,
            });
        }
        for &(version, migration) in sql::MIGRATIONS.iter().filter(|m| m.0 > current) {
            let what = format!("applying migration {version}");
            tx.execute_batch(migration).ctx(&db, &what)?;
            tx.execute(sql::RECORD_MIGRATION, params![version, now_utc()])
                .ctx(&db, &what)?;
        }
        tx.commit().ctx(&db, what)?;
        Ok(())
    }

    /// See [`crate::Store::begin_probing`].
    pub(crate) fn begin_probing(&mut self) {
        self.data_version = self.read_data_version().ok();
    }

    fn read_data_version(&self) -> rusqlite::Result<i64> {
        self.conn
            .pragma_query_value(None, "data_version", |r| r.get(0))
    }

    /// Stores `docs` in one transaction; any error rolls all of them back. Canonical events
    /// and near-duplicate links are written in the same transaction.
    ///
    /// `probed[i]` (see [`crate::Store::insert_batch_probed`]) spares document `i` the band
    /// lookup, unless another connection has committed since this one opened: what it wrote
    /// after the caller's probe could hold an original.
    pub(crate) fn insert_batch(
        &mut self,
        docs: &[Doc],
        link_duplicates: bool,
        probed: &[bool],
    ) -> Result<Vec<Inserted>, StoreError> {
        let db = self.db.clone();
        // A writing connection keeps statement journals (held while a statement inside the
        // batch may still abort) in memory: on disk they spilled to a temporary file, and
        // their `pwrite`s were a fifth of the store's CPU samples on an ingest. Readers keep
        // temporary files on disk, so a large sort (an unlimited query) does not hold its
        // rows in memory.
        if !self.tuned_for_writing {
            self.conn
                .pragma_update(None, "temp_store", "MEMORY")
                .ctx(&db, "keeping statement journals in memory")?;
            // A writer's batch dirties more pages than the default 2 MB cache holds (it then
            // spilled pages to the WAL before the commit), and the pages every batch touches
            // (index interiors, canonical events) are copied back at each checkpoint: a larger
            // cache and a checkpoint every 64 MB of WAL instead of 4 MB write each page less
            // often. Both only for a connection that writes batches.
            self.conn
                .pragma_update(None, "cache_size", WRITER_CACHE_KIB)
                .ctx(&db, "sizing the writer's page cache")?;
            self.conn
                .pragma_update(None, "wal_autocheckpoint", WRITER_CHECKPOINT_PAGES)
                .ctx(&db, "setting the checkpoint interval")?;
            self.tuned_for_writing = true;
        }
        // IMMEDIATE: the batch reads canonical events before it updates them; taking the
        // write lock first keeps a second writer process from slipping in between.
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
            .ctx(&db, "starting a transaction")?;
        // Inside the write lock: no other connection can commit until this batch has.
        if probed.iter().any(|&p| p) && self.data_version.is_some() {
            let now: Option<i64> = tx
                .pragma_query_value(None, "data_version", |r| r.get(0))
                .ok();
            if now != self.data_version {
                self.data_version = None;
            }
        }
        let trust = self.data_version.is_some();
        let now = now_utc();
        let out = canon::insert_batch(
            &mut SqliteDb { c: &tx, db: &db },
            docs,
            &now,
            link_duplicates,
            &|i| trust && probed.get(i).copied().unwrap_or(false),
        )?;
        // Dropping `tx` without commit (on `?` above) rolls the batch back.
        tx.commit().ctx(&db, "committing the batch")?;
        Ok(out)
    }

    /// See [`canon::near_duplicate`].
    pub(crate) fn near_duplicate(
        &self,
        sig: &wirecoder_dedup::Signature,
    ) -> Result<Option<(i64, f64)>, StoreError> {
        canon::near_duplicate(&mut self.dedup_db(), sig)
    }

    /// See [`canon::canonical_event`].
    pub(crate) fn canonical_event(&self, id: i64) -> Result<Option<StoredCanonical>, StoreError> {
        canon::canonical_event(&mut self.dedup_db(), id)
    }

    /// See [`canon::duplicate_of`].
    pub(crate) fn duplicate_of(&self, id: i64) -> Result<Option<(i64, f64)>, StoreError> {
        canon::duplicate_of(&mut self.dedup_db(), id)
    }

    fn dedup_db(&self) -> SqliteDb<'_> {
        SqliteDb {
            c: &self.conn,
            db: &self.db,
        }
    }

    pub(crate) fn record_skipped(&mut self, source: &str, reason: &str) -> Result<(), StoreError> {
        self.conn
            .prepare_cached(sql::INSERT_SKIPPED)
            .and_then(|mut st| st.execute(params![source, reason, now_utc()]))
            .ctx(&self.db, &format!("recording skipped {source}"))?;
        Ok(())
    }

    pub(crate) fn each_event(
        &self,
        f: &EventFilter,
        each: &mut dyn FnMut(StoredEvent) -> Result<(), StoreError>,
    ) -> Result<(), StoreError> {
        let Some(limit) = f.limit.filter(|_| f.article_id.is_none()) else {
            // Every match is read and sorted: the most selective index is the fast one.
            let (tail, params) = query::event_where(f)?;
            let query = format!("{}{tail}", indexed_select(f));
            return self.run_events(&query, values_of(params), &mut |e| each(e));
        };
        // The first N in id order. SQLite's planner would take the filter's index, read every
        // match and sort them, which is slow when many match. So events are first walked in id
        // order, a window at a time; only when that finds too few does the indexed plan take
        // over for the rest (then few match, and the index is the fast way).
        let (cond, params) = query::event_conditions(f)?;
        let join = if cond.is_empty() { " WHERE " } else { " AND " };
        let max_id: i64 = self
            .conn
            .query_row("SELECT COALESCE(MAX(id), 0) FROM events", [], |r| r.get(0))
            .ctx(&self.db, "sizing the event query")?;
        let mut left = i64::try_from(limit).unwrap_or(i64::MAX);
        // A cursor starts the walk at its id instead of walking (and skipping) those below.
        let mut lo = f.after_id.map_or(0, |a| a.saturating_add(1).max(0));
        let mut walked = 0i64;
        let mut count = |e: StoredEvent, left: &mut i64| {
            *left -= 1;
            each(e)
        };
        while left > 0 && lo <= max_id && walked < WALK_MAX {
            let q = format!(
                "{}{cond}{join}e.id >= ? AND e.id < ?{} LIMIT ?",
                sql::events_select().replacen("FROM events e", "FROM events e NOT INDEXED", 1),
                sql::EVENTS_ORDER
            );
            let mut v = values_of(params.clone());
            v.extend([lo, lo + WINDOW, left].map(Value::Integer));
            self.run_events(&q, v, &mut |e| count(e, &mut left))?;
            lo += WINDOW;
            walked += WINDOW;
        }
        if left > 0 && lo <= max_id {
            // Matches the walk's density predicts beyond it. Fewer than wanted: the indexed plan
            // will read them all anyway, so the most selective index wins. More: an equality
            // index walked in id order stops early, and the planner's choice is kept.
            let found = i64::try_from(limit).unwrap_or(i64::MAX) - left;
            let expect = found as f64 * (max_id - lo + 1) as f64 / walked.max(1) as f64;
            let select = if expect < left as f64 {
                indexed_select(f)
            } else {
                sql::events_select()
            };
            let q = format!("{select}{cond}{join}e.id >= ?{} LIMIT ?", sql::EVENTS_ORDER);
            let mut v = values_of(params);
            v.extend([lo, left].map(Value::Integer));
            self.run_events(&q, v, &mut |e| count(e, &mut left))?;
        }
        Ok(())
    }

    fn run_events(
        &self,
        query: &str,
        values: Vec<Value>,
        each: &mut dyn FnMut(StoredEvent) -> Result<(), StoreError>,
    ) -> Result<(), StoreError> {
        let db = &self.db;
        let mut st = self
            .conn
            .prepare_cached(query)
            .ctx(db, "preparing the event query")?;
        let rows = st
            .query_map(rusqlite::params_from_iter(values), |row| {
                let (id, article_id, event) = read_event(row)?;
                let n = sql::EVENT_COLUMN_COUNT;
                let bytes_text = |i: usize| -> rusqlite::Result<String> {
                    let b: Option<Vec<u8>> = row.get(i)?;
                    Ok(b.map(|b| String::from_utf8_lossy(&b).into_owned())
                        .unwrap_or_default())
                };
                Ok(StoredEvent {
                    id,
                    article_id,
                    event,
                    article_title: row.get(n)?,
                    published: row.get(n + 1)?,
                    source_url: row.get(n + 2)?,
                    ingested_at: row.get(n + 3)?,
                    evidence_text: bytes_text(n + 4)?,
                    sentence_text: bytes_text(n + 5)?,
                    canonical_id: row.get(n + 6)?,
                    num_mentions: row.get(n + 7)?,
                    num_sources: row.get(n + 8)?,
                    num_articles: row.get(n + 9)?,
                    avg_tone: row.get(n + 10)?,
                })
            })
            .ctx(db, "querying events")?;
        for r in rows {
            each(r.map_err(|e| row_error(db, e))?)?;
        }
        Ok(())
    }

    pub(crate) fn stats(&self) -> Result<Stats, StoreError> {
        self.conn
            .query_row(sql::STATS, [], |r| {
                Ok(Stats {
                    articles: r.get(0)?,
                    stories: r.get(1)?,
                    sentences: r.get(2)?,
                    entities: r.get(3)?,
                    quotes: r.get(4)?,
                    events: r.get(5)?,
                    canonical_events: r.get(7)?,
                    skipped: r.get(6)?,
                })
            })
            .ctx(&self.db, "counting rows")
    }

    pub(crate) fn article(&self, id: i64) -> Result<Option<Doc>, StoreError> {
        let db = &self.db;
        let what = format!("reading article {id}");
        let c = &self.conn;
        let doc = c
            .prepare_cached(sql::SELECT_ARTICLE)
            .and_then(|mut st| {
                st.query_row([id], |r| {
                    let mut doc = Doc::new(r.get::<_, String>(9)?);
                    let m = &mut doc.meta;
                    m.id = r.get(0)?;
                    m.path = r.get(1)?;
                    m.url = r.get(2)?;
                    m.title = r.get(3)?;
                    m.author = r.get(4)?;
                    m.site = r.get(5)?;
                    m.language = r.get(6)?;
                    m.published = r.get(7)?;
                    m.published_inferred = r.get(8)?;
                    Ok(doc)
                })
                .optional()
            })
            .ctx(db, &what)?;
        let Some(mut doc) = doc else {
            return Ok(None);
        };
        let corrupt = |e: rusqlite::Error| StoreError::Corrupt {
            db: db.clone(),
            context: format!("article {id}"),
            reason: e.to_string(),
        };
        doc.stories = collect(c, sql::SELECT_STORIES, id, |r| {
            Ok(Story {
                span: span_at(r, 0)?,
                title: r.get(2)?,
            })
        })
        .map_err(corrupt)?;
        doc.headings = collect(c, sql::SELECT_HEADINGS, id, |r| span_at(r, 0)).map_err(corrupt)?;
        doc.sentences =
            collect(c, sql::SELECT_SENTENCES, id, |r| span_at(r, 0)).map_err(corrupt)?;
        doc.entities = collect(c, sql::SELECT_ENTITIES, id, |r| {
            Ok(Entity {
                span: span_at(r, 0)?,
                kind: entity_type(r, 2)?,
                actor: r.get(3)?,
                place: place_at(r, 4)?,
            })
        })
        .map_err(corrupt)?;
        doc.dates = collect(c, sql::SELECT_DATES, id, |r| {
            Ok(DateMention {
                span: span_at(r, 0)?,
                value: r.get(2)?,
            })
        })
        .map_err(corrupt)?;
        doc.quotes = collect(c, sql::SELECT_QUOTES, id, |r| {
            Ok(Quote {
                span: span_at(r, 0)?,
                speaker: actor_at(r, 2)?,
            })
        })
        .map_err(corrupt)?;
        doc.events = collect(c, &sql::select_article_events(), id, |r| {
            read_event(r).map(|(_, _, e)| e)
        })
        .map_err(corrupt)?;
        Ok(Some(doc))
    }

    pub(crate) fn find_articles(&self, key: &str) -> Result<Vec<ArticleRow>, StoreError> {
        let key = key.trim();
        let db = &self.db;
        let what = format!("finding articles for {key:?}");
        let c = &self.conn;
        let triple = |r: &Row<'_>| Ok((r.get(0)?, r.get(1)?, r.get(2)?));
        if let Ok(id) = key.parse::<i64>() {
            let hit = c
                .prepare_cached(sql::ARTICLE_BY_ID)
                .and_then(|mut st| st.query_row([id], triple).optional())
                .ctx(db, &what)?;
            if let Some(hit) = hit {
                return Ok(vec![hit]);
            }
        }
        let exact = c
            .prepare_cached(sql::ARTICLES_BY_PATH_OR_URL)
            .and_then(|mut st| {
                st.query_map([key, key], triple)?
                    .collect::<Result<Vec<_>, _>>()
            })
            .ctx(db, &what)?;
        if !exact.is_empty() || key.is_empty() {
            return Ok(exact);
        }
        let pattern = format!("%{}%", like_escape(&key.to_lowercase()));
        c.prepare_cached(sql::ARTICLES_BY_SUBSTRING)
            .and_then(|mut st| {
                st.query_map([&pattern, &pattern], triple)?
                    .collect::<Result<Vec<_>, _>>()
            })
            .ctx(db, &what)
    }

    /// The headline of article `id` (`None` when it has none, or there is no such article).
    pub(crate) fn article_title(&self, id: i64) -> Result<Option<String>, StoreError> {
        self.conn
            .prepare_cached(sql::ARTICLE_TITLE)
            .and_then(|mut st| {
                st.query_row([id], |r| r.get::<_, Option<String>>(0))
                    .optional()
            })
            .map(Option::flatten)
            .ctx(&self.db, &format!("reading the title of article {id}"))
    }

    pub(crate) fn articles(&self, limit: usize) -> Result<Vec<ArticleRow>, StoreError> {
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        self.conn
            .prepare_cached(sql::ARTICLES_NEWEST)
            .and_then(|mut st| {
                st.query_map([limit], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
                    .collect::<Result<Vec<_>, _>>()
            })
            .ctx(&self.db, "listing articles")
    }
}

fn write_doc(
    c: &Connection,
    doc: &Doc,
    hash: &str,
    now: &str,
    minhash: Option<&[u8]>,
) -> rusqlite::Result<Inserted> {
    let m = &doc.meta;
    let id: i64 = c.prepare_cached(sql::INSERT_ARTICLE)?.query_row(
        params![
            hash,
            m.id,
            m.path,
            m.url,
            m.title,
            m.author,
            m.site,
            m.language,
            m.published,
            m.published_inferred,
            doc.text,
            now,
            doc.tone.map(|t| t.tone),
            minhash
        ],
        |r| r.get(0),
    )?;
    insert_rows(c, &STORIES, &doc.stories, |st, at, i, s| {
        bind(
            st,
            at,
            (id, i, s.span.start, s.span.end, s.title.as_deref()),
        )
    })?;
    for (rows, table) in [(&doc.headings, &HEADINGS), (&doc.sentences, &SENTENCES)] {
        insert_rows(c, table, rows, |st, at, i, s| {
            bind(st, at, (id, i, s.start, s.end))
        })?;
    }
    insert_rows(c, &ENTITIES, &doc.entities, |st, at, i, e| {
        let p = PlaceCols::of(e.place.as_ref());
        let at = bind(st, at, (id, i, e.span.start, e.span.end, e.kind.as_str()))?;
        bind(
            st,
            at,
            (
                e.actor.as_deref(),
                p.name,
                p.country,
                p.geonames_id,
                p.lat,
                p.lon,
            ),
        )
    })?;
    insert_rows(c, &DATES, &doc.dates, |st, at, i, d| {
        bind(
            st,
            at,
            (id, i, d.span.start, d.span.end, d.value.as_deref()),
        )
    })?;
    insert_rows(c, &QUOTES, &doc.quotes, |st, at, i, q| {
        let s = q.speaker.as_ref();
        let at = bind(st, at, (id, i, q.span.start, q.span.end))?;
        bind(
            st,
            at,
            (
                s.map(|s| s.text.as_str()),
                s.and_then(|s| s.actor.as_deref()),
                s.and_then(|s| s.span).map(|s| s.start),
                s.and_then(|s| s.span).map(|s| s.end),
            ),
        )
    })?;
    if !doc.events.is_empty() {
        let mut st = c.prepare_cached(sql::INSERT_EVENT)?;
        for (i, e) in doc.events.iter().enumerate() {
            let t = e.target.as_ref();
            let p = PlaceCols::of(e.place.as_ref());
            let root = e.cameo.get(..2).unwrap_or(&e.cameo);
            st.execute(params![
                id,
                i,
                e.source.text,
                e.source.actor,
                e.source.span.map(|s| s.start),
                e.source.span.map(|s| s.end),
                t.map(|t| &t.text),
                t.and_then(|t| t.actor.as_ref()),
                t.and_then(|t| t.span).map(|s| s.start),
                t.and_then(|t| t.span).map(|s| s.end),
                e.cameo,
                root,
                e.goldstein,
                e.quad_class,
                e.plover,
                e.mode,
                e.modality.as_str(),
                e.date,
                p.name,
                p.country,
                p.geonames_id,
                p.lat,
                p.lon,
                e.killed,
                e.injured,
                e.weapon,
                e.sentence,
                e.evidence.start,
                e.evidence.end,
            ])?;
        }
    }
    Ok(Inserted {
        article_id: id,
        new: true,
    })
}

/// A child table written by multi-row `INSERT`s: one statement per row paid a statement
/// execution (bind, step, reset, halt) and statement-journal page copies per sentence,
/// entity, date and quote.
struct Rows {
    /// The one-row statement of [`sql`]; its `VALUES (…)` group is repeated.
    single: &'static str,
    /// The statement for `2^k` rows, `k < ROW_SIZES`, built on first use.
    sql: OnceLock<Vec<String>>,
}

/// Statement sizes: 1, 2, 4, …, 16 rows. A child list of n rows takes n / 16 statements of
/// 16 rows and one of each size in the binary digits of the rest.
const ROW_SIZES: usize = 5;

impl Rows {
    const fn new(single: &'static str) -> Rows {
        Rows {
            single,
            sql: OnceLock::new(),
        }
    }

    /// The statement inserting `2^k` rows.
    fn sql(&self, k: usize) -> &str {
        let all = self.sql.get_or_init(|| {
            (0..ROW_SIZES)
                .map(|k| sql::multi_row(self.single, 1 << k))
                .collect()
        });
        all.get(k).map_or(self.single, String::as_str)
    }
}

static STORIES: Rows = Rows::new(sql::INSERT_STORY);
static HEADINGS: Rows = Rows::new(sql::INSERT_HEADING);
static SENTENCES: Rows = Rows::new(sql::INSERT_SENTENCE);
static ENTITIES: Rows = Rows::new(sql::INSERT_ENTITY);
static DATES: Rows = Rows::new(sql::INSERT_DATE);
static QUOTES: Rows = Rows::new(sql::INSERT_QUOTE);

/// Inserts one row per item, in order (row ids as one statement per row would give them):
/// `bind(statement, first parameter, index, item)` binds the row's parameters from the given
/// 1-based position on and returns the position after them.
fn insert_rows<T>(
    c: &Connection,
    table: &Rows,
    items: &[T],
    bind: impl Fn(&mut rusqlite::Statement<'_>, usize, usize, &T) -> rusqlite::Result<usize>,
) -> rusqlite::Result<()> {
    let mut done = 0;
    while done < items.len() {
        let left = items.len() - done;
        // The largest size that fits: 16 while at least 16 are left, then the rest's bits.
        let k = (usize::BITS - 1 - left.leading_zeros()) as usize;
        let k = k.min(ROW_SIZES - 1);
        let n = 1usize << k;
        let mut st = c.prepare_cached(table.sql(k))?;
        let mut at = 1;
        for (i, item) in items.iter().enumerate().skip(done).take(n) {
            at = bind(&mut st, at, i, item)?;
        }
        st.raw_execute()?;
        done += n;
    }
    Ok(())
}

/// Binds a tuple of values from parameter `at` on; returns the position after them.
fn bind<P: BindAll>(
    st: &mut rusqlite::Statement<'_>,
    at: usize,
    values: P,
) -> rusqlite::Result<usize> {
    values.bind_all(st, at)
}

/// A tuple of values bound to consecutive parameters.
trait BindAll {
    fn bind_all(self, st: &mut rusqlite::Statement<'_>, at: usize) -> rusqlite::Result<usize>;
}

macro_rules! bind_all_tuple {
    ($($t:ident $i:tt),+) => {
        impl<$($t: rusqlite::ToSql),+> BindAll for ($($t,)+) {
            fn bind_all(
                self,
                st: &mut rusqlite::Statement<'_>,
                at: usize,
            ) -> rusqlite::Result<usize> {
                let mut at = at;
                $(
                    st.raw_bind_parameter(at, self.$i)?;
                    at += 1;
                )+
                Ok(at)
            }
        }
    };
}

bind_all_tuple!(A 0, B 1, C 2, D 3);
bind_all_tuple!(A 0, B 1, C 2, D 3, E 4);
bind_all_tuple!(A 0, B 1, C 2, D 3, E 4, F 5);

/// A place flattened into its five nullable columns.
struct PlaceCols<'a> {
    name: Option<&'a str>,
    country: Option<&'a str>,
    geonames_id: Option<u64>,
    lat: Option<f64>,
    lon: Option<f64>,
}

impl<'a> PlaceCols<'a> {
    fn of(p: Option<&'a Place>) -> PlaceCols<'a> {
        PlaceCols {
            name: p.map(|p| p.name.as_str()),
            country: p.and_then(|p| p.country.as_deref()),
            geonames_id: p.and_then(|p| p.geonames_id),
            lat: p.and_then(|p| p.lat),
            lon: p.and_then(|p| p.lon),
        }
    }
}

/// Runs a per-article child query and collects its rows.
fn collect<T>(
    c: &Connection,
    query: &str,
    article_id: i64,
    f: impl FnMut(&Row<'_>) -> rusqlite::Result<T>,
) -> rusqlite::Result<Vec<T>> {
    let mut st = c.prepare_cached(query)?;
    let rows = st.query_map([article_id], f)?;
    rows.collect()
}

/// Reads the event columns of [`sql::EVENT_COLUMNS`]: `(id, article_id, event)`.
fn read_event(r: &Row<'_>) -> rusqlite::Result<(i64, i64, Event)> {
    let id: i64 = r.get(0)?;
    let article_id: i64 = r.get(1)?;
    let source = ActorRef {
        text: r.get(2)?,
        actor: r.get(3)?,
        span: opt_span_at(r, 4)?,
    };
    let target = actor_at(r, 6)?;
    let modality_word: String = r.get(15)?;
    let modality = Modality::parse(&modality_word).ok_or_else(|| {
        bad_value(
            15,
            format!("unknown modality {modality_word:?} in event {id}"),
        )
    })?;
    let event = Event {
        source,
        target,
        cameo: r.get(10)?,
        goldstein: r.get(11)?,
        quad_class: r.get(12)?,
        plover: r.get(13)?,
        mode: r.get(14)?,
        modality,
        date: r.get(16)?,
        place: place_at(r, 17)?,
        killed: r.get(22)?,
        injured: r.get(23)?,
        weapon: r.get(24)?,
        sentence: r.get(25)?,
        evidence: span_at(r, 26)?,
    };
    Ok((id, article_id, event))
}

fn span_at(r: &Row<'_>, i: usize) -> rusqlite::Result<Span> {
    Ok(Span::new(r.get(i)?, r.get(i + 1)?))
}

fn opt_span_at(r: &Row<'_>, i: usize) -> rusqlite::Result<Option<Span>> {
    let start: Option<usize> = r.get(i)?;
    let end: Option<usize> = r.get(i + 1)?;
    Ok(start.zip(end).map(|(s, e)| Span::new(s, e)))
}

/// An actor from four columns: text, actor code, start, end; `None` when text is NULL.
fn actor_at(r: &Row<'_>, i: usize) -> rusqlite::Result<Option<ActorRef>> {
    let text: Option<String> = r.get(i)?;
    let Some(text) = text else {
        return Ok(None);
    };
    Ok(Some(ActorRef {
        text,
        actor: r.get(i + 1)?,
        span: opt_span_at(r, i + 2)?,
    }))
}

/// A place from five columns; `None` when the name is NULL.
fn place_at(r: &Row<'_>, i: usize) -> rusqlite::Result<Option<Place>> {
    let name: Option<String> = r.get(i)?;
    let Some(name) = name else {
        return Ok(None);
    };
    Ok(Some(Place {
        name,
        country: r.get(i + 1)?,
        geonames_id: r.get(i + 2)?,
        lat: r.get(i + 3)?,
        lon: r.get(i + 4)?,
    }))
}

fn entity_type(r: &Row<'_>, i: usize) -> rusqlite::Result<EntityType> {
    let label: String = r.get(i)?;
    Ok(match label.as_str() {
        "PERSON" => EntityType::Person,
        "ORG" => EntityType::Org,
        "GPE" => EntityType::Gpe,
        "LOC" => EntityType::Loc,
        "FAC" => EntityType::Fac,
        "NORP" => EntityType::Norp,
        "MEDIA" => EntityType::Media,
        "MISC" => EntityType::Misc,
        _ => return Err(bad_value(i, format!("unknown entity type {label:?}"))),
    })
}

fn bad_value(i: usize, msg: String) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(i, rusqlite::types::Type::Text, msg.into())
}

/// A row that fails to convert is bad data, not a failed statement.
fn row_error(db: &str, e: rusqlite::Error) -> StoreError {
    match e {
        rusqlite::Error::FromSqlConversionFailure(..)
        | rusqlite::Error::IntegralValueOutOfRange(..)
        | rusqlite::Error::InvalidColumnType(..) => StoreError::Corrupt {
            db: db.to_string(),
            context: "events".into(),
            reason: e.to_string(),
        },
        source => StoreError::Sql {
            db: db.to_string(),
            what: "reading events".into(),
            source,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn connection_settings() {
        let s = Sqlite::open(":memory:").unwrap();
        let fk: i64 = s
            .conn
            .pragma_query_value(None, "foreign_keys", |r| r.get(0))
            .unwrap();
        assert_eq!(fk, 1);
        // Children cannot point at a missing article.
        let orphan = s.conn.execute(sql::INSERT_SENTENCE, params![42, 0, 0, 5]);
        assert!(orphan.is_err());
    }
}
