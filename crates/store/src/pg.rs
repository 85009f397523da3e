//! The PostgreSQL backend: the statements of [`crate::sql`] through the synchronous `postgres`
//! driver. The schema is SQLite's, rewritten by [`sql::pg_migration`]; placeholders are
//! renumbered by [`query::numbered`].

use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard};

use postgres::fallible_iterator::FallibleIterator;
use postgres::types::{ToSql, Type};
use postgres::{Client, GenericClient, NoTls, Row, Statement};
use wirecoder_doc::{
    ActorRef, DateMention, Doc, Entity, EntityType, Event, Modality, Place, Quote, Span, Story,
};

use crate::canon::{self, Cell};
use crate::error::{Ctx, StoreError};
use crate::model::{EventFilter, Inserted, Stats, StoredCanonical, StoredEvent};
use crate::query::{self, numbered, Param};
use crate::sql;
use crate::util::{doc_label, like_escape, now_utc};
use crate::ArticleRow;

/// One PostgreSQL database.
pub(crate) struct Pg {
    // The sync client needs `&mut` even to read; the store's readers take `&self`.
    client: Mutex<Client>,
    /// The URL without its password, for messages.
    db: String,
}

/// `url` with the password (if any) replaced by `***`, so that errors never echo it.
pub(crate) fn redact(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_string();
    };
    let (auth, host) = match rest.rsplit_once('@') {
        Some((auth, host)) => (Some(auth), host),
        None => (None, rest),
    };
    match auth {
        Some(auth) => match auth.split_once(':') {
            Some((user, _)) => format!("{scheme}://{user}:***@{host}"),
            None => format!("{scheme}://{auth}@{host}"),
        },
        None => url.to_string(),
    }
}

type P<'a> = &'a (dyn ToSql + Sync);

fn n(v: usize) -> i64 {
    i64::try_from(v).unwrap_or(i64::MAX)
}

fn on(v: Option<usize>) -> Option<i64> {
    v.map(n)
}

/// The advisory lock that serializes schema migrations (an arbitrary constant key).
const MIGRATION_LOCK: &str = "SELECT pg_advisory_xact_lock(7720130581463812)";

impl Pg {
    /// Connects to `url` and brings the schema up to date.
    pub(crate) fn open(url: &str) -> Result<Pg, StoreError> {
        let db = redact(url);
        let client = Client::connect(url, NoTls).map_err(|source| StoreError::PgOpen {
            db: db.clone(),
            source,
        })?;
        let pg = Pg {
            client: Mutex::new(client),
            db,
        };
        pg.migrate()?;
        Ok(pg)
    }

    fn client(&self) -> MutexGuard<'_, Client> {
        // A panic while holding the lock cannot leave the client half-used in a way that
        // matters here: every call is a whole statement or transaction.
        self.client.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn migrate(&self) -> Result<(), StoreError> {
        let db = &self.db;
        let mut c = self.client();
        // One migrator at a time, from the very first statement: workers started together on a
        // fresh database would otherwise race on `CREATE TABLE IF NOT EXISTS`, which is not
        // safe against a concurrent twin. The lock is released with the transaction.
        let what = "migrating the schema";
        let mut tx = c.transaction().ctx(db, what)?;
        tx.batch_execute(MIGRATION_LOCK).ctx(db, what)?;
        tx.batch_execute(&sql::pg_migration(sql::CREATE_MIGRATIONS_TABLE))
            .ctx(db, "creating schema_migrations")?;
        let current: i64 = tx
            .query_one(sql::CURRENT_VERSION, &[])
            .and_then(|r| r.try_get(0))
            .ctx(db, "reading the schema version")?;
        let supported = sql::MIGRATIONS.last().map_or(0, |m| m.0);
        if current > supported {
            return Err(StoreError::SchemaTooNew {
                db: db.clone(),
                found: current,
                supported,
            });
        }
        for &(version, migration) in sql::MIGRATIONS.iter().filter(|m| m.0 > current) {
            let what = format!("applying migration {version}");
            tx.batch_execute(&sql::pg_migration(migration))
                .ctx(db, &what)?;
            tx.execute(&numbered(sql::RECORD_MIGRATION), &[&version, &now_utc()])
                .ctx(db, &what)?;
        }
        tx.commit().ctx(db, what)?;
        Ok(())
    }

    /// Stores `docs` in one transaction, canonical events and near-duplicate links included.
    /// Several writer processes may run at once: the batch takes advisory locks on its keys
    /// first (see [`canon`]).
    pub(crate) fn insert_batch(
        &mut self,
        docs: &[Doc],
        link_duplicates: bool,
    ) -> Result<Vec<Inserted>, StoreError> {
        let db = self.db.clone();
        let mut c = self.client();
        let mut tx = c.transaction().ctx(&db, "starting a transaction")?;
        let st = Prepared::new(&mut tx).ctx(&db, "preparing the inserts")?;
        let now = now_utc();
        let out = {
            let mut pdb = PgDb {
                c: &mut tx,
                db: &db,
                st: Some(st),
                cache: HashMap::new(),
            };
            // Other writer processes may store an original between a caller's probe and
            // this batch: every document is looked up again.
            canon::insert_batch(&mut pdb, docs, &now, link_duplicates, &|_| false)?
        };
        // Dropping `tx` without commit (on `?` above) rolls the batch back.
        tx.commit().ctx(&db, "committing the batch")?;
        Ok(out)
    }

    /// See [`canon::near_duplicate`].
    pub(crate) fn near_duplicate(
        &self,
        sig: &wirecoder_dedup::Signature,
    ) -> Result<Option<(i64, f64)>, StoreError> {
        let mut c = self.client();
        canon::near_duplicate(&mut self.dedup_db(&mut c), sig)
    }

    /// See [`canon::canonical_event`].
    pub(crate) fn canonical_event(&self, id: i64) -> Result<Option<StoredCanonical>, StoreError> {
        let mut c = self.client();
        canon::canonical_event(&mut self.dedup_db(&mut c), id)
    }

    /// See [`canon::duplicate_of`].
    pub(crate) fn duplicate_of(&self, id: i64) -> Result<Option<(i64, f64)>, StoreError> {
        let mut c = self.client();
        canon::duplicate_of(&mut self.dedup_db(&mut c), id)
    }

    fn dedup_db<'a>(&'a self, c: &'a mut Client) -> PgDb<'a, Client> {
        PgDb {
            c,
            db: &self.db,
            st: None,
            cache: HashMap::new(),
        }
    }

    pub(crate) fn record_skipped(&mut self, source: &str, reason: &str) -> Result<(), StoreError> {
        let now = now_utc();
        self.client()
            .execute(&numbered(sql::INSERT_SKIPPED), &[&source, &reason, &now])
            .ctx(&self.db, &format!("recording skipped {source}"))?;
        Ok(())
    }

    pub(crate) fn each_event(
        &self,
        f: &EventFilter,
        each: &mut dyn FnMut(StoredEvent) -> Result<(), StoreError>,
    ) -> Result<(), StoreError> {
        let (tail, params) = query::event_where(f)?;
        let q = numbered(&format!("{}{tail}", sql::events_select_pg()));
        let boxed: Vec<Box<dyn ToSql + Sync>> = params.into_iter().map(boxed).collect();
        let db = &self.db;
        let mut c = self.client();
        let mut rows = c
            .query_raw(&q, boxed.iter().map(|b| b.as_ref() as P<'_>))
            .ctx(db, "querying events")?;
        while let Some(row) = rows.next().ctx(db, "reading events")? {
            let se = stored_event(&row).map_err(|reason| StoreError::Corrupt {
                db: db.clone(),
                context: "events".into(),
                reason,
            })?;
            each(se)?;
        }
        Ok(())
    }

    pub(crate) fn stats(&self) -> Result<Stats, StoreError> {
        let db = &self.db;
        let row = self
            .client()
            .query_one(sql::STATS, &[])
            .ctx(db, "counting rows")?;
        let get = |i: usize| -> Result<u64, StoreError> {
            let v: i64 = row.try_get(i).ctx(db, "counting rows")?;
            Ok(u64::try_from(v).unwrap_or(0))
        };
        Ok(Stats {
            articles: get(0)?,
            stories: get(1)?,
            sentences: get(2)?,
            entities: get(3)?,
            quotes: get(4)?,
            events: get(5)?,
            canonical_events: get(7)?,
            skipped: get(6)?,
        })
    }

    pub(crate) fn article(&self, id: i64) -> Result<Option<Doc>, StoreError> {
        let db = &self.db;
        let what = format!("reading article {id}");
        let mut c = self.client();
        let Some(r) = c
            .query_opt(&numbered(sql::SELECT_ARTICLE), &[&id])
            .ctx(db, &what)?
        else {
            return Ok(None);
        };
        let corrupt = |reason: String| StoreError::Corrupt {
            db: db.clone(),
            context: format!("article {id}"),
            reason,
        };
        let mut doc = Doc::new(get::<String>(&r, 9).map_err(corrupt)?);
        {
            let m = &mut doc.meta;
            let meta = (|| -> Result<(), String> {
                m.id = get(&r, 0)?;
                m.path = get(&r, 1)?;
                m.url = get(&r, 2)?;
                m.title = get(&r, 3)?;
                m.author = get(&r, 4)?;
                m.site = get(&r, 5)?;
                m.language = get(&r, 6)?;
                m.published = get(&r, 7)?;
                m.published_inferred = get(&r, 8)?;
                Ok(())
            })();
            meta.map_err(corrupt)?;
        }
        let mut rows = |q: &str| -> Result<Vec<Row>, StoreError> {
            c.query(&numbered(q), &[&id]).ctx(db, &what)
        };
        let stories = rows(sql::SELECT_STORIES)?;
        let headings = rows(sql::SELECT_HEADINGS)?;
        let sentences = rows(sql::SELECT_SENTENCES)?;
        let entities = rows(sql::SELECT_ENTITIES)?;
        let dates = rows(sql::SELECT_DATES)?;
        let quotes = rows(sql::SELECT_QUOTES)?;
        let events = rows(&sql::select_article_events())?;
        let mut fill = || -> Result<(), String> {
            doc.stories = stories
                .iter()
                .map(|r| {
                    Ok(Story {
                        span: span_at(r, 0)?,
                        title: get(r, 2)?,
                    })
                })
                .collect::<Result<_, String>>()?;
            doc.headings = headings
                .iter()
                .map(|r| span_at(r, 0))
                .collect::<Result<_, _>>()?;
            doc.sentences = sentences
                .iter()
                .map(|r| span_at(r, 0))
                .collect::<Result<_, _>>()?;
            doc.entities = entities
                .iter()
                .map(|r| {
                    Ok(Entity {
                        span: span_at(r, 0)?,
                        kind: entity_type(&get::<String>(r, 2)?)?,
                        actor: get(r, 3)?,
                        place: place_at(r, 4)?,
                    })
                })
                .collect::<Result<_, String>>()?;
            doc.dates = dates
                .iter()
                .map(|r| {
                    Ok(DateMention {
                        span: span_at(r, 0)?,
                        value: get(r, 2)?,
                    })
                })
                .collect::<Result<_, String>>()?;
            doc.quotes = quotes
                .iter()
                .map(|r| {
                    Ok(Quote {
                        span: span_at(r, 0)?,
                        speaker: actor_at(r, 2)?,
                    })
                })
                .collect::<Result<_, String>>()?;
            doc.events = events
                .iter()
                .map(|r| read_event(r).map(|(_, _, e)| e))
                .collect::<Result<_, _>>()?;
            Ok(())
        };
        fill().map_err(corrupt)?;
        Ok(Some(doc))
    }

    pub(crate) fn find_articles(&self, key: &str) -> Result<Vec<ArticleRow>, StoreError> {
        let key = key.trim();
        let db = &self.db;
        let what = format!("finding articles for {key:?}");
        let mut c = self.client();
        let triples = |rows: Vec<Row>| -> Result<Vec<ArticleRow>, StoreError> {
            rows.iter()
                .map(|r| Ok((get(r, 0)?, get(r, 1)?, get(r, 2)?)))
                .collect::<Result<_, String>>()
                .map_err(|reason| StoreError::Corrupt {
                    db: db.clone(),
                    context: "articles".into(),
                    reason,
                })
        };
        if let Ok(id) = key.parse::<i64>() {
            let hit = c
                .query(&numbered(sql::ARTICLE_BY_ID), &[&id])
                .ctx(db, &what)?;
            if !hit.is_empty() {
                return triples(hit);
            }
        }
        let exact = c
            .query(&numbered(sql::ARTICLES_BY_PATH_OR_URL), &[&key, &key])
            .ctx(db, &what)?;
        if !exact.is_empty() || key.is_empty() {
            return triples(exact);
        }
        let pattern = format!("%{}%", like_escape(&key.to_lowercase()));
        let rows = c
            .query(&numbered(sql::ARTICLES_BY_SUBSTRING), &[&pattern, &pattern])
            .ctx(db, &what)?;
        triples(rows)
    }

    pub(crate) fn articles(&self, limit: usize) -> Result<Vec<ArticleRow>, StoreError> {
        let limit = n(limit);
        let rows = self
            .client()
            .query(&numbered(sql::ARTICLES_NEWEST), &[&limit])
            .ctx(&self.db, "listing articles")?;
        rows.iter()
            .map(|r| Ok((get(r, 0)?, get(r, 1)?, get(r, 2)?)))
            .collect::<Result<_, String>>()
            .map_err(|reason| StoreError::Corrupt {
                db: self.db.clone(),
                context: "articles".into(),
                reason,
            })
    }
}

fn boxed(p: Param) -> Box<dyn ToSql + Sync> {
    match p {
        Param::Int(i) => Box::new(i),
        Param::Real(r) => Box::new(r),
        Param::Text(t) => Box::new(t),
        Param::OptInt(i) => Box::new(i),
        Param::OptReal(r) => Box::new(r),
        Param::OptText(t) => Box::new(t),
        Param::Bool(b) => Box::new(b),
    }
}

/// The deduplication's view of a PostgreSQL client or transaction. Statements are prepared
/// once per batch.
struct PgDb<'a, C: GenericClient> {
    c: &'a mut C,
    db: &'a str,
    /// The document inserts (only when writing).
    st: Option<Prepared>,
    cache: HashMap<String, Statement>,
}

impl<C: GenericClient> PgDb<'_, C> {
    fn statement(&mut self, q: &str) -> Result<Statement, StoreError> {
        if let Some(st) = self.cache.get(q) {
            return Ok(st.clone());
        }
        let st = self
            .c
            .prepare(&numbered(q))
            .ctx(self.db, "preparing a deduplication statement")?;
        self.cache.insert(q.to_string(), st.clone());
        Ok(st)
    }
}

impl<C: GenericClient> canon::Db for PgDb<'_, C> {
    fn rows(&mut self, q: &str, params: &[Param]) -> Result<Vec<Vec<Cell>>, StoreError> {
        let st = self.statement(q)?;
        let boxed: Vec<Box<dyn ToSql + Sync>> = params.iter().cloned().map(boxed).collect();
        let refs: Vec<P<'_>> = boxed.iter().map(|b| b.as_ref() as P<'_>).collect();
        let rows = self.c.query(&st, &refs).ctx(self.db, "deduplicating")?;
        let mut out = Vec::with_capacity(rows.len());
        for r in &rows {
            let mut row = Vec::with_capacity(r.len());
            for (i, col) in r.columns().iter().enumerate() {
                let t = col.type_();
                let cell = if *t == Type::INT8 {
                    r.try_get::<_, Option<i64>>(i).map(|v| v.map(Cell::Int))
                } else if *t == Type::INT4 {
                    r.try_get::<_, Option<i32>>(i)
                        .map(|v| v.map(|v| Cell::Int(i64::from(v))))
                } else if *t == Type::FLOAT8 {
                    r.try_get::<_, Option<f64>>(i).map(|v| v.map(Cell::Real))
                } else if *t == Type::BOOL {
                    r.try_get::<_, Option<bool>>(i).map(|v| v.map(Cell::Bool))
                } else if *t == Type::BYTEA {
                    r.try_get::<_, Option<Vec<u8>>>(i)
                        .map(|v| v.map(Cell::Blob))
                } else {
                    r.try_get::<_, Option<String>>(i).map(|v| v.map(Cell::Text))
                };
                row.push(
                    cell.ctx(self.db, "reading a deduplication row")?
                        .unwrap_or(Cell::Null),
                );
            }
            out.push(row);
        }
        Ok(out)
    }

    fn exec(&mut self, q: &str, params: &[Param]) -> Result<u64, StoreError> {
        let st = self.statement(q)?;
        let boxed: Vec<Box<dyn ToSql + Sync>> = params.iter().cloned().map(boxed).collect();
        let refs: Vec<P<'_>> = boxed.iter().map(|b| b.as_ref() as P<'_>).collect();
        self.c.execute(&st, &refs).ctx(self.db, "deduplicating")
    }

    fn lock(&mut self, keys: &[i64]) -> Result<(), StoreError> {
        // One statement per key, in the order given (sorted): two batches that share keys
        // take them in the same order, so one waits for the other instead of deadlocking.
        let st = self.statement("SELECT pg_advisory_xact_lock(?)")?;
        for k in keys {
            self.c
                .query(&st, &[k])
                .ctx(self.db, "locking canonical events")?;
        }
        Ok(())
    }

    fn write_doc(
        &mut self,
        doc: &Doc,
        hash: &str,
        now: &str,
        minhash: Option<&[u8]>,
    ) -> Result<i64, StoreError> {
        let Some(st) = &self.st else {
            return Err(StoreError::InvalidDoc {
                doc: doc_label(doc),
                reason: "written outside a batch".into(),
            });
        };
        write_doc(self.c, st, doc, hash, now, minhash)
            .map(|i| i.article_id)
            .ctx(self.db, &format!("storing {}", doc_label(doc)))
    }

    fn name(&self) -> &str {
        self.db
    }
}

/// The insert statements, prepared once per batch.
struct Prepared {
    article: Statement,
    story: Statement,
    heading: Statement,
    sentence: Statement,
    entity: Statement,
    date: Statement,
    quote: Statement,
    event: Statement,
}

impl Prepared {
    fn new(c: &mut impl GenericClient) -> Result<Prepared, postgres::Error> {
        let mut p = |q: &str| c.prepare(&numbered(q));
        Ok(Prepared {
            article: p(sql::INSERT_ARTICLE)?,
            story: p(sql::INSERT_STORY)?,
            heading: p(sql::INSERT_HEADING)?,
            sentence: p(sql::INSERT_SENTENCE)?,
            entity: p(sql::INSERT_ENTITY)?,
            date: p(sql::INSERT_DATE)?,
            quote: p(sql::INSERT_QUOTE)?,
            event: p(sql::INSERT_EVENT)?,
        })
    }
}

fn write_doc(
    c: &mut impl GenericClient,
    st: &Prepared,
    doc: &Doc,
    hash: &str,
    now: &str,
    minhash: Option<&[u8]>,
) -> Result<Inserted, postgres::Error> {
    let m = &doc.meta;
    let tone = doc.tone.map(|t| t.tone);
    let id: i64 = c
        .query_one(
            &st.article,
            &[
                &hash,
                &m.id,
                &m.path,
                &m.url,
                &m.title,
                &m.author,
                &m.site,
                &m.language,
                &m.published,
                &m.published_inferred,
                &doc.text,
                &now,
                &tone,
                &minhash,
            ],
        )?
        .try_get(0)?;
    for (i, s) in doc.stories.iter().enumerate() {
        c.execute(
            &st.story,
            &[&id, &n(i), &n(s.span.start), &n(s.span.end), &s.title],
        )?;
    }
    for (rows, q) in [(&doc.headings, &st.heading), (&doc.sentences, &st.sentence)] {
        for (i, s) in rows.iter().enumerate() {
            c.execute(q, &[&id, &n(i), &n(s.start), &n(s.end)])?;
        }
    }
    for (i, e) in doc.entities.iter().enumerate() {
        let p = PlaceCols::of(e.place.as_ref());
        c.execute(
            &st.entity,
            &[
                &id,
                &n(i),
                &n(e.span.start),
                &n(e.span.end),
                &e.kind.as_str(),
                &e.actor,
                &p.name,
                &p.country,
                &p.geonames_id,
                &p.lat,
                &p.lon,
            ],
        )?;
    }
    for (i, d) in doc.dates.iter().enumerate() {
        c.execute(
            &st.date,
            &[&id, &n(i), &n(d.span.start), &n(d.span.end), &d.value],
        )?;
    }
    for (i, q) in doc.quotes.iter().enumerate() {
        let s = q.speaker.as_ref();
        c.execute(
            &st.quote,
            &[
                &id,
                &n(i),
                &n(q.span.start),
                &n(q.span.end),
                &s.map(|s| s.text.as_str()),
                &s.and_then(|s| s.actor.as_deref()),
                &on(s.and_then(|s| s.span).map(|s| s.start)),
                &on(s.and_then(|s| s.span).map(|s| s.end)),
            ],
        )?;
    }
    for (i, e) in doc.events.iter().enumerate() {
        let t = e.target.as_ref();
        let p = PlaceCols::of(e.place.as_ref());
        let root = e.cameo.get(..2).unwrap_or(&e.cameo);
        c.execute(
            &st.event,
            &[
                &id,
                &n(i),
                &e.source.text,
                &e.source.actor,
                &on(e.source.span.map(|s| s.start)),
                &on(e.source.span.map(|s| s.end)),
                &t.map(|t| t.text.as_str()),
                &t.and_then(|t| t.actor.as_deref()),
                &on(t.and_then(|t| t.span).map(|s| s.start)),
                &on(t.and_then(|t| t.span).map(|s| s.end)),
                &e.cameo,
                &root,
                &e.goldstein,
                &i64::from(e.quad_class),
                &e.plover,
                &e.mode,
                &e.modality.as_str(),
                &e.date,
                &p.name,
                &p.country,
                &p.geonames_id,
                &p.lat,
                &p.lon,
                &e.killed.map(i64::from),
                &e.injured.map(i64::from),
                &e.weapon,
                &n(e.sentence),
                &n(e.evidence.start),
                &n(e.evidence.end),
            ],
        )?;
    }
    Ok(Inserted {
        article_id: id,
        new: true,
    })
}

/// A place flattened into its five nullable columns (`validate` has checked the id's range).
struct PlaceCols<'a> {
    name: Option<&'a str>,
    country: Option<&'a str>,
    geonames_id: Option<i64>,
    lat: Option<f64>,
    lon: Option<f64>,
}

impl<'a> PlaceCols<'a> {
    fn of(p: Option<&'a Place>) -> PlaceCols<'a> {
        PlaceCols {
            name: p.map(|p| p.name.as_str()),
            country: p.and_then(|p| p.country.as_deref()),
            geonames_id: p
                .and_then(|p| p.geonames_id)
                .and_then(|g| i64::try_from(g).ok()),
            lat: p.and_then(|p| p.lat),
            lon: p.and_then(|p| p.lon),
        }
    }
}

// ---- reading rows; every failure is a message for `StoreError::Corrupt` ----

fn get<'a, T: postgres::types::FromSql<'a>>(r: &'a Row, i: usize) -> Result<T, String> {
    r.try_get(i).map_err(|e| format!("column {i}: {e}"))
}

fn to_usize(v: i64, i: usize) -> Result<usize, String> {
    usize::try_from(v).map_err(|_| format!("column {i}: negative offset {v}"))
}

fn get_usize(r: &Row, i: usize) -> Result<usize, String> {
    to_usize(get::<i64>(r, i)?, i)
}

fn get_opt_u32(r: &Row, i: usize) -> Result<Option<u32>, String> {
    get::<Option<i64>>(r, i)?
        .map(|v| u32::try_from(v).map_err(|_| format!("column {i}: {v} out of range")))
        .transpose()
}

fn span_at(r: &Row, i: usize) -> Result<Span, String> {
    Ok(Span::new(get_usize(r, i)?, get_usize(r, i + 1)?))
}

fn opt_span_at(r: &Row, i: usize) -> Result<Option<Span>, String> {
    let start: Option<i64> = get(r, i)?;
    let end: Option<i64> = get(r, i + 1)?;
    match (start, end) {
        (Some(s), Some(e)) => Ok(Some(Span::new(to_usize(s, i)?, to_usize(e, i + 1)?))),
        _ => Ok(None),
    }
}

fn actor_at(r: &Row, i: usize) -> Result<Option<ActorRef>, String> {
    let Some(text) = get::<Option<String>>(r, i)? else {
        return Ok(None);
    };
    Ok(Some(ActorRef {
        text,
        actor: get(r, i + 1)?,
        span: opt_span_at(r, i + 2)?,
    }))
}

fn place_at(r: &Row, i: usize) -> Result<Option<Place>, String> {
    let Some(name) = get::<Option<String>>(r, i)? else {
        return Ok(None);
    };
    let geonames_id = get::<Option<i64>>(r, i + 2)?
        .map(|g| u64::try_from(g).map_err(|_| format!("column {}: negative id", i + 2)))
        .transpose()?;
    Ok(Some(Place {
        name,
        country: get(r, i + 1)?,
        geonames_id,
        lat: get(r, i + 3)?,
        lon: get(r, i + 4)?,
    }))
}

fn entity_type(label: &str) -> Result<EntityType, String> {
    Ok(match label {
        "PERSON" => EntityType::Person,
        "ORG" => EntityType::Org,
        "GPE" => EntityType::Gpe,
        "LOC" => EntityType::Loc,
        "FAC" => EntityType::Fac,
        "NORP" => EntityType::Norp,
        "MEDIA" => EntityType::Media,
        "MISC" => EntityType::Misc,
        _ => return Err(format!("unknown entity type {label:?}")),
    })
}

/// The columns of [`sql::EVENT_COLUMNS`]: `(id, article_id, event)`.
fn read_event(r: &Row) -> Result<(i64, i64, Event), String> {
    let id: i64 = get(r, 0)?;
    let article_id: i64 = get(r, 1)?;
    let modality_word: String = get(r, 15)?;
    let modality = Modality::parse(&modality_word)
        .ok_or_else(|| format!("unknown modality {modality_word:?} in event {id}"))?;
    let quad: i64 = get(r, 12)?;
    let event = Event {
        source: ActorRef {
            text: get(r, 2)?,
            actor: get(r, 3)?,
            span: opt_span_at(r, 4)?,
        },
        target: actor_at(r, 6)?,
        cameo: get(r, 10)?,
        goldstein: get(r, 11)?,
        quad_class: u8::try_from(quad).map_err(|_| format!("quad class {quad} in event {id}"))?,
        plover: get(r, 13)?,
        mode: get(r, 14)?,
        modality,
        date: get(r, 16)?,
        place: place_at(r, 17)?,
        killed: get_opt_u32(r, 22)?,
        injured: get_opt_u32(r, 23)?,
        weapon: get(r, 24)?,
        sentence: get_usize(r, 25)?,
        evidence: span_at(r, 26)?,
    };
    Ok((id, article_id, event))
}

fn stored_event(r: &Row) -> Result<StoredEvent, String> {
    let (id, article_id, event) = read_event(r)?;
    let k = sql::EVENT_COLUMN_COUNT;
    let count = |i: usize| -> Result<u32, String> {
        let v: i64 = get(r, i)?;
        u32::try_from(v).map_err(|_| format!("count {v} in event {id}"))
    };
    let bytes = |i: usize| -> Result<String, String> {
        let b: Option<Vec<u8>> = get(r, i)?;
        Ok(b.map(|b| String::from_utf8_lossy(&b).into_owned())
            .unwrap_or_default())
    };
    Ok(StoredEvent {
        id,
        article_id,
        event,
        article_title: get(r, k)?,
        published: get(r, k + 1)?,
        source_url: get(r, k + 2)?,
        ingested_at: get(r, k + 3)?,
        evidence_text: bytes(k + 4)?,
        sentence_text: bytes(k + 5)?,
        canonical_id: get(r, k + 6)?,
        num_mentions: count(k + 7)?,
        num_sources: count(k + 8)?,
        num_articles: count(k + 9)?,
        avg_tone: get(r, k + 10)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_are_redacted() {
        assert_eq!(
            redact("postgres://wire:s3cret@db.internal/wirecoder"),
            "postgres://wire:***@db.internal/wirecoder"
        );
        assert_eq!(
            redact("postgres://root@127.0.0.1/test"),
            "postgres://root@127.0.0.1/test"
        );
        assert_eq!(redact("postgres://h/db"), "postgres://h/db");
    }
}
