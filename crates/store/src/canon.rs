//! Deduplication inside the store, written once for both engines: near-duplicate articles
//! (MinHash LSH bands in `article_bands`) and canonical events (incremental clustering with
//! the rules of `wirecoder_dedup`, candidates read from `canonical_events` by block and date
//! window). It runs inside the transaction that stores a batch, so counts are never behind
//! the events they count.
//!
//! The engines differ only in how a statement runs; [`Db`] is that difference. PostgreSQL
//! takes transaction-scoped advisory locks on every key a batch touches (content hashes and
//! event blocks), sorted, before reading candidates: concurrent writers then assign
//! canonical events as one writer would, and cannot deadlock on each other.

use wirecoder_dedup::{
    block_of, confidence, site_of, CanonicalSummary, ClusterParams, DateRange, EventKey, Signature,
    DUPLICATE_THRESHOLD, SHINGLE,
};
use wirecoder_doc::Doc;

use crate::error::StoreError;
use crate::model::{CanonicalMention, Inserted, StoredCanonical};
use crate::query::Param;
use crate::sql;
use crate::util::{content_hash, doc_label, lock_key, validate};

/// One value read back from a row.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Cell {
    Null,
    Int(i64),
    Real(f64),
    Text(String),
    Blob(Vec<u8>),
    Bool(bool),
}

impl Cell {
    fn int(&self) -> Option<i64> {
        match self {
            Cell::Int(i) => Some(*i),
            Cell::Bool(b) => Some(i64::from(*b)),
            _ => None,
        }
    }

    fn text(&self) -> Option<String> {
        match self {
            Cell::Text(t) => Some(t.clone()),
            _ => None,
        }
    }

    fn real(&self) -> Option<f64> {
        match self {
            Cell::Real(r) => Some(*r),
            Cell::Int(i) => Some(*i as f64),
            _ => None,
        }
    }

    fn truth(&self) -> bool {
        self.int().is_some_and(|i| i != 0)
    }
}

/// What the deduplication needs of an engine: run a statement inside the current
/// transaction, lock keys, and store or find a document.
pub(crate) trait Db {
    /// Rows of a query.
    fn rows(&mut self, sql: &str, params: &[Param]) -> Result<Vec<Vec<Cell>>, StoreError>;
    /// Runs a statement; returns the rows changed.
    fn exec(&mut self, sql: &str, params: &[Param]) -> Result<u64, StoreError>;
    /// Takes transaction-scoped locks on `keys` (sorted, distinct). A no-op where one writer
    /// holds the whole database (SQLite).
    fn lock(&mut self, keys: &[i64]) -> Result<(), StoreError>;
    /// Writes every layer of `doc` as a new article, with its MinHash signature's bytes when
    /// given; returns its id.
    fn write_doc(
        &mut self,
        doc: &Doc,
        hash: &str,
        now: &str,
        minhash: Option<&[u8]>,
    ) -> Result<i64, StoreError>;
    /// The database's name for messages.
    fn name(&self) -> &str;
}

fn corrupt(db: &dyn Db, context: &str, reason: &str) -> StoreError {
    StoreError::Corrupt {
        db: db.name().to_string(),
        context: context.to_string(),
        reason: reason.to_string(),
    }
}

fn int(row: &[Cell], i: usize) -> Option<i64> {
    row.get(i).and_then(Cell::int)
}

fn text(row: &[Cell], i: usize) -> Option<String> {
    row.get(i).and_then(Cell::text)
}

fn opt_text(v: Option<&str>) -> Param {
    Param::OptText(v.map(str::to_string))
}

/// Stores `docs` (see [`crate::Store::insert_batch`]): documents already stored are skipped,
/// near-duplicates of stored or earlier articles are linked to them (their own events, if
/// any, are not stored: the original's count them), and every other document's events join
/// or open canonical events.
///
/// `looked_up(i)` says that the caller's copy probe found no stored near-duplicate of
/// `docs[i]` and none among the documents before it (see [`crate::Store::insert_batch_probed`]):
/// such a document is not looked up in the band table again. Copies earlier in this batch are
/// still found.
pub(crate) fn insert_batch(
    db: &mut dyn Db,
    docs: &[Doc],
    now: &str,
    link_duplicates: bool,
    looked_up: &dyn Fn(usize) -> bool,
) -> Result<Vec<Inserted>, StoreError> {
    struct Prep {
        hash: String,
        sig: Option<Signature>,
        dup: Option<(i64, f64)>,
    }
    let mut preps = Vec::with_capacity(docs.len());
    let mut keys: Vec<i64> = Vec::new();
    for (i, doc) in docs.iter().enumerate() {
        validate(doc).map_err(|reason| StoreError::InvalidDoc {
            doc: doc_label(doc),
            reason,
        })?;
        let hash = content_hash(doc);
        keys.push(lock_key(&hash));
        let sig = link_duplicates
            .then(|| {
                // The ingest pipeline has usually hashed the text already.
                doc.text_signature
                    .as_deref()
                    .and_then(Signature::from_hashes)
                    .unwrap_or_else(|| Signature::of(&doc.text, SHINGLE))
            })
            .filter(|s| !s.is_empty());
        // Copies of committed articles are found before locking, so that the locks of the
        // original's canonical events can be taken with the others, in order.
        let dup = match &sig {
            Some(s) if !looked_up(i) => near_duplicate(db, s)?,
            _ => None,
        };
        match dup {
            Some((orig, _)) => {
                for row in db.rows(sql::ARTICLE_BLOCKS, &[Param::Int(orig)])? {
                    if let Some(b) = text(&row, 0) {
                        keys.push(lock_key(&b));
                    }
                }
            }
            None => {
                for i in 0..doc.events.len() {
                    if let Some(k) = EventKey::from_event(doc, i, 0) {
                        keys.push(lock_key(&block_of(&k)));
                    }
                }
            }
        }
        preps.push(Prep { hash, sig, dup });
    }
    keys.sort_unstable();
    keys.dedup();
    db.lock(&keys)?;

    let params = ClusterParams::default();
    // `(band, article)` rows of the new originals, written at the end.
    let mut bands: Vec<(i64, i64)> = Vec::new();
    // Originals stored earlier in this batch, for copies that follow them in it.
    let mut batch: wirecoder_dedup::ArticleIndex<i64> = wirecoder_dedup::ArticleIndex::new();
    let mut out = Vec::with_capacity(docs.len());
    for (doc, p) in docs.iter().zip(preps) {
        let found = db.rows(sql::FIND_BY_HASH, &[Param::Text(p.hash.clone())])?;
        if let Some(article_id) = found.first().and_then(|r| int(r, 0)) {
            out.push(Inserted {
                article_id,
                new: false,
            });
            continue;
        }
        let dup = p.dup.or_else(|| {
            let s = p.sig.as_ref()?;
            batch.check_signature(s).map(|d| (d.id, d.similarity))
        });
        let id = match dup {
            Some((orig, sim)) => {
                let stripped;
                let bare = if doc.events.is_empty() {
                    doc
                } else {
                    stripped = Doc {
                        events: Vec::new(),
                        ..doc.clone()
                    };
                    &stripped
                };
                let id = db.write_doc(bare, &p.hash, now, None)?;
                db.exec(
                    sql::ARTICLE_SET_DUPLICATE,
                    &[Param::Int(orig), Param::Real(sim), Param::Int(id)],
                )?;
                link_copy(db, doc, id, orig)?;
                id
            }
            None => {
                let minhash = p.sig.as_ref().map(Signature::to_bytes);
                let id = db.write_doc(doc, &p.hash, now, minhash.as_deref())?;
                if let Some(sig) = p.sig {
                    bands.extend(sig.bands().into_iter().map(|b| (b, id)));
                    batch.insert_signature(id, sig);
                }
                assign_events(db, doc, id, &params)?;
                id
            }
        };
        out.push(Inserted {
            article_id: id,
            new: true,
        });
    }
    save_bands(db, bands)?;
    Ok(out)
}

/// Band rows per statement (fewer at the end of a batch: the rest's binary digits).
const BAND_ROWS: usize = 64;

/// The LSH band rows of the batch's new originals (their signatures are in their rows),
/// written last and in key order. Written per article, each of its 32 random keys landed on
/// its own page of the band index, so that every batch wrote most of that index to the WAL
/// again; in order, a page takes all of the batch's keys at once. Only the band lookups read
/// the table, and none runs for this batch after its first document.
fn save_bands(db: &mut dyn Db, mut bands: Vec<(i64, i64)>) -> Result<(), StoreError> {
    bands.sort_unstable();
    let mut rest = bands.as_slice();
    while !rest.is_empty() {
        let n = if rest.len() >= BAND_ROWS {
            BAND_ROWS
        } else {
            1 << (usize::BITS - 1 - rest.len().leading_zeros())
        };
        let (rows, after) = rest.split_at(n);
        let q = format!(
            "INSERT INTO article_bands (band, article_id) VALUES {}",
            vec!["(?, ?)"; n].join(", ")
        );
        let values: Vec<Param> = rows
            .iter()
            .flat_map(|&(b, id)| [Param::Int(b), Param::Int(id)])
            .collect();
        db.exec(&q, &values)?;
        rest = after;
    }
    Ok(())
}

/// The stored original that `sig` nearly duplicates: `(article id, estimated similarity)`,
/// the most similar (then the oldest) at or above the threshold.
pub(crate) fn near_duplicate(
    db: &mut dyn Db,
    sig: &Signature,
) -> Result<Option<(i64, f64)>, StoreError> {
    if sig.is_empty() {
        return Ok(None);
    }
    let bands = sig.bands();
    let q = sql::BAND_CANDIDATES.replace("{BANDS}", &vec!["?"; bands.len()].join(", "));
    let values: Vec<Param> = bands.into_iter().map(Param::Int).collect();
    let mut best: Option<(i64, f64)> = None;
    for row in db.rows(&q, &values)? {
        let (Some(id), Some(Cell::Blob(b))) = (int(&row, 0), row.get(1)) else {
            continue;
        };
        let Some(other) = Signature::from_bytes(b) else {
            return Err(corrupt(
                db,
                &format!("article {id}"),
                "bad MinHash signature",
            ));
        };
        let sim = sig.similarity(&other);
        if sim >= DUPLICATE_THRESHOLD && best.is_none_or(|(_, s)| sim > s) {
            best = Some((id, sim));
        }
    }
    Ok(best)
}

/// Joins each event of a freshly stored article to its canonical event, or opens one.
fn assign_events(
    db: &mut dyn Db,
    doc: &Doc,
    article_id: i64,
    params: &ClusterParams,
) -> Result<(), StoreError> {
    if doc.events.is_empty() {
        return Ok(());
    }
    let ids = db.rows(sql::EVENT_IDS_OF_ARTICLE, &[Param::Int(article_id)])?;
    let article = u64::try_from(article_id).unwrap_or(0);
    let site = site_of(&doc.meta).unwrap_or_else(|| format!("#{article_id}"));
    for (i, row) in ids.iter().enumerate() {
        let (Some(event_id), Some(e), Some(k)) = (
            int(row, 0),
            doc.events.get(i),
            EventKey::from_event(doc, i, article),
        ) else {
            continue;
        };
        let block = block_of(&k);
        let mut best: Option<(i64, CanonicalSummary, f64)> = None;
        if let Some(kd) = k.date {
            let tol = params.date_tolerance;
            let cands = db.rows(
                sql::CANONICAL_CANDIDATES,
                &sql::canonical_candidates(
                    &block,
                    i64::from(kd.first - tol),
                    i64::from(kd.last + tol),
                ),
            )?;
            for c in cands {
                let Some(id) = int(&c, 0) else { continue };
                let s = summary_of(&c);
                if let Some(score) = s.score(&k, params) {
                    if score >= params.threshold && best.as_ref().is_none_or(|b| score > b.2) {
                        best = Some((id, s, score));
                    }
                }
            }
        }
        let root = e.cameo.get(..2).unwrap_or(&e.cameo).to_string();
        let (cid, mut summary) = match best {
            Some((id, s, _)) => (id, s),
            None => {
                let place = e.place.as_ref();
                let rows = db.rows(
                    sql::CANONICAL_INSERT,
                    &[
                        Param::Text(block.clone()),
                        Param::Text(e.cameo.clone()),
                        Param::Text(root),
                        Param::Int(i64::from(e.quad_class)),
                        Param::Real(e.goldstein),
                        opt_text(place.map(|p| p.name.as_str())),
                        opt_text(place.and_then(|p| p.country.as_deref())),
                        Param::Text(k.modality.clone()),
                    ],
                )?;
                let id = rows
                    .first()
                    .and_then(|r| int(r, 0))
                    .ok_or_else(|| corrupt(db, "canonical_events", "no id for a new row"))?;
                (id, CanonicalSummary::opened_by(&k))
            }
        };
        summary.absorb(&k, params);
        save_summary(db, cid, &summary, k.modality == "asserted")?;
        if summary.cameo() == e.cameo {
            db.exec(
                sql::CANONICAL_SCALE,
                &[
                    Param::Real(e.goldstein),
                    Param::Int(i64::from(e.quad_class)),
                    Param::Int(cid),
                    Param::Text(e.cameo.clone()),
                ],
            )?;
        }
        if let Some(p) = &e.place {
            db.exec(
                sql::CANONICAL_PLACE,
                &[
                    Param::Text(p.name.clone()),
                    opt_text(p.country.as_deref()),
                    Param::Int(cid),
                ],
            )?;
        }
        db.exec(
            sql::EVENT_SET_CANONICAL,
            &[Param::Int(cid), Param::Int(event_id)],
        )?;
        db.exec(
            sql::MENTION_INSERT,
            &[
                Param::Int(cid),
                Param::Int(article_id),
                Param::Int(event_id),
                Param::Text(site.clone()),
                opt_text(doc.meta.published.as_deref()),
                Param::OptInt(Some(i64::try_from(e.evidence.start).unwrap_or(0))),
                Param::OptInt(Some(i64::try_from(e.evidence.end).unwrap_or(0))),
            ],
        )?;
        refresh_counts(db, cid, summary.asserted)?;
    }
    Ok(())
}

/// Links a near-duplicate article to every canonical event of the article it copies: one
/// mention per original event, with the evidence found again in the copy's text when it is
/// there.
fn link_copy(db: &mut dyn Db, copy: &Doc, copy_id: i64, orig: i64) -> Result<(), StoreError> {
    let rows = db.rows(sql::ARTICLE_EVENT_CANONICALS, &[Param::Int(orig)])?;
    if rows.is_empty() {
        return Ok(());
    }
    let orig_text = db
        .rows(sql::SELECT_ARTICLE_TEXT, &[Param::Int(orig)])?
        .first()
        .and_then(|r| text(r, 0))
        .unwrap_or_default();
    let site = site_of(&copy.meta).unwrap_or_else(|| format!("#{copy_id}"));
    let mut touched: Vec<i64> = Vec::new();
    for r in rows {
        let (Some(event_id), Some(cid)) = (int(&r, 0), int(&r, 1)) else {
            continue;
        };
        let span = int(&r, 2)
            .zip(int(&r, 3))
            .and_then(|(s, e)| orig_text.get(usize::try_from(s).ok()?..usize::try_from(e).ok()?))
            .filter(|ev| !ev.is_empty())
            .and_then(|ev| copy.text.find(ev).map(|at| (at, at + ev.len())));
        db.exec(
            sql::MENTION_INSERT,
            &[
                Param::Int(cid),
                Param::Int(copy_id),
                Param::Int(event_id),
                Param::Text(site.clone()),
                opt_text(copy.meta.published.as_deref()),
                Param::OptInt(span.and_then(|s| i64::try_from(s.0).ok())),
                Param::OptInt(span.and_then(|s| i64::try_from(s.1).ok())),
            ],
        )?;
        if !touched.contains(&cid) {
            touched.push(cid);
        }
    }
    for cid in touched {
        let asserted = db
            .rows(sql::CANONICAL_ASSERTED, &[Param::Int(cid)])?
            .first()
            .and_then(|r| r.first().map(Cell::truth))
            .unwrap_or(false);
        refresh_counts(db, cid, asserted)?;
    }
    Ok(())
}

fn save_summary(
    db: &mut dyn Db,
    cid: i64,
    s: &CanonicalSummary,
    asserted_now: bool,
) -> Result<(), StoreError> {
    let cameo = s.cameo();
    let root = cameo.get(..2).unwrap_or(&cameo).to_string();
    db.exec(
        sql::CANONICAL_SAVE,
        &[
            opt_text(s.source.as_deref()),
            opt_text(s.target.as_deref()),
            Param::Text(cameo.clone()),
            Param::Text(root),
            Param::OptInt(s.anchor.map(|a| i64::from(a.first))),
            Param::OptInt(s.anchor.map(|a| i64::from(a.last))),
            Param::OptText(s.anchor.map(|a| a.to_timex())),
            opt_text(s.place.as_deref()),
            Param::Bool(s.asserted),
            Param::Text(s.codes_text()),
            Param::Text(s.words_text()),
            Param::Bool(asserted_now),
            Param::Int(cid),
        ],
    )?;
    Ok(())
}

/// Recounts a canonical event's mentions, sources and articles, first and last seen, and
/// its confidence, from `canonical_mentions`.
fn refresh_counts(db: &mut dyn Db, cid: i64, asserted: bool) -> Result<(), StoreError> {
    let rows = db.rows(sql::MENTION_COUNTS, &[Param::Int(cid)])?;
    let Some(r) = rows.first() else {
        return Ok(());
    };
    let (n, sources, articles) = (
        int(r, 0).unwrap_or(0),
        int(r, 1).unwrap_or(0),
        int(r, 2).unwrap_or(0),
    );
    let conf = confidence(u32::try_from(sources).unwrap_or(u32::MAX), asserted);
    let tones: Vec<f64> = db
        .rows(sql::MENTION_TONES, &[Param::Int(cid)])?
        .iter()
        .filter_map(|t| t.first().and_then(Cell::real))
        .collect();
    let avg_tone = (!tones.is_empty()).then(|| tones.iter().sum::<f64>() / tones.len() as f64);
    db.exec(
        sql::CANONICAL_COUNTS,
        &[
            Param::Int(n),
            Param::Int(sources),
            Param::Int(articles),
            Param::OptText(text(r, 3)),
            Param::OptText(text(r, 4)),
            Param::Real(conf),
            Param::OptReal(avg_tone),
            Param::Int(cid),
        ],
    )?;
    Ok(())
}

/// The summary stored in a [`sql::CANONICAL_CANDIDATES`] row.
fn summary_of(row: &[Cell]) -> CanonicalSummary {
    let anchor = match (int(row, 4), int(row, 5)) {
        (Some(f), Some(l)) => Some(DateRange {
            first: i32::try_from(f).unwrap_or(i32::MIN / 2),
            last: i32::try_from(l).unwrap_or(i32::MIN / 2),
        }),
        _ => None,
    };
    CanonicalSummary {
        anchor,
        source: text(row, 1),
        target: text(row, 2),
        place: text(row, 3),
        codes: CanonicalSummary::parse_codes(&text(row, 6).unwrap_or_default()),
        words: CanonicalSummary::parse_words(&text(row, 7).unwrap_or_default()),
        asserted: row.get(8).is_some_and(Cell::truth),
    }
}

/// One canonical event with its mentions, or `None` when no row has that id.
pub(crate) fn canonical_event(
    db: &mut dyn Db,
    id: i64,
) -> Result<Option<StoredCanonical>, StoreError> {
    let rows = db.rows(sql::CANONICAL_BY_ID, &[Param::Int(id)])?;
    let Some(r) = rows.first() else {
        return Ok(None);
    };
    let count = |i: usize| u32::try_from(int(r, i).unwrap_or(0)).unwrap_or(u32::MAX);
    let mut c = StoredCanonical {
        id,
        source: text(r, 0),
        target: text(r, 1),
        cameo: text(r, 2).unwrap_or_default(),
        root_code: text(r, 3).unwrap_or_default(),
        quad_class: u8::try_from(int(r, 4).unwrap_or(0)).unwrap_or(0),
        goldstein: r.get(5).and_then(Cell::real).unwrap_or(0.0),
        date: text(r, 6),
        place_name: text(r, 7),
        place_country: text(r, 8),
        num_mentions: count(9),
        num_sources: count(10),
        num_articles: count(11),
        first_seen: text(r, 12),
        last_seen: text(r, 13),
        confidence: r.get(14).and_then(Cell::real).unwrap_or(0.0),
        modality: text(r, 15).unwrap_or_default(),
        mentions: Vec::new(),
    };
    for m in db.rows(sql::CANONICAL_MENTIONS, &[Param::Int(id)])? {
        c.mentions.push(CanonicalMention {
            article_id: int(&m, 0).unwrap_or(0),
            event_id: int(&m, 1).unwrap_or(0),
            site: text(&m, 2).unwrap_or_default(),
            seen: text(&m, 3),
            evidence: int(&m, 4)
                .zip(int(&m, 5))
                .and_then(|(s, e)| Some((usize::try_from(s).ok()?, usize::try_from(e).ok()?))),
        });
    }
    Ok(Some(c))
}

/// `(duplicate_of, similarity)` of an article: the original it copies, if any.
pub(crate) fn duplicate_of(db: &mut dyn Db, id: i64) -> Result<Option<(i64, f64)>, StoreError> {
    let rows = db.rows(sql::ARTICLE_DUPLICATE_OF, &[Param::Int(id)])?;
    Ok(rows.first().and_then(|r| {
        let orig = int(r, 0)?;
        Some((orig, r.get(1).and_then(Cell::real).unwrap_or(0.0)))
    }))
}
