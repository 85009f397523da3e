//! The read endpoints of `/api/v1/`. Each handler checks its parameters ([`Params`]), then
//! does its store work on a blocking thread.

use crate::error::{ApiError, ErrorCode};
use crate::params::Params;
use crate::state::{blocking, cached, AppState, Shared};
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};
use std::collections::{BTreeMap, HashMap};
use wirecoder_doc::event_json;
use wirecoder_store::{EventFilter, SearchQuery, Store, StoreError, StoredEvent};

type Q = Result<Query<HashMap<String, String>>, QueryRejection>;

/// The query string, or a 400 when it cannot be decoded.
fn query(q: Q, allowed: &[&str], filters: bool) -> Result<Params, ApiError> {
    let Query(map) = q.map_err(|e| ApiError::new(ErrorCode::InvalidParameter, e.body_text()))?;
    Params::new(map, allowed, filters)
}

/// The date a reader should see: the event's own, else the article's.
fn event_day(se: &StoredEvent) -> Option<&str> {
    se.event.date.as_deref().or(se.published.as_deref())
}

/// The contract's event shape plus the stored ids, counts, and what a reader needs to judge it.
pub(crate) fn event_value(
    st: &AppState,
    store: &Store,
    se: &StoredEvent,
) -> Result<Value, ApiError> {
    let map = st.offsets(store, se.article_id)?;
    let mut v = event_json(&map, &se.event);
    if let Value::Object(o) = &mut v {
        o.insert("id".into(), json!(se.id));
        o.insert("article_id".into(), json!(se.article_id));
        o.insert("canonical_id".into(), json!(se.canonical_id));
        o.insert("num_mentions".into(), json!(se.num_mentions));
        o.insert("num_sources".into(), json!(se.num_sources));
        o.insert("num_articles".into(), json!(se.num_articles));
        o.insert("evidence_text".into(), json!(se.evidence_text));
        o.insert("article_title".into(), json!(se.article_title));
        o.insert("published".into(), json!(se.published));
        o.insert("day".into(), json!(event_day(se)));
    }
    Ok(v)
}

/// A stop signal for [`Store::each_event`], told apart from real errors by its text.
const STOP: &str = "\u{0}page full";

fn stop() -> StoreError {
    StoreError::Export {
        out: STOP.into(),
        reason: STOP.into(),
    }
}

fn is_stop(e: &StoreError) -> bool {
    matches!(e, StoreError::Export { out, .. } if out == STOP)
}

/// Calls `each` on every event matching `f`, in id order; `each` returns false to stop.
pub(crate) fn walk(
    store: &Store,
    f: &EventFilter,
    mut each: impl FnMut(StoredEvent) -> bool,
) -> Result<(), ApiError> {
    match store.each_event(f, &mut |se| if each(se) { Ok(()) } else { Err(stop()) }) {
        Ok(()) => Ok(()),
        Err(e) if is_stop(&e) => Ok(()),
        Err(e) => Err(e.into()),
    }
}

/// One page of events after the cursor (an event id), and the cursor of the next page.
fn page(
    store: &Store,
    f: &EventFilter,
    after: Option<i64>,
    limit: usize,
) -> Result<(Vec<StoredEvent>, Option<i64>), ApiError> {
    // The store's own LIMIT query, started at the cursor's id: fast on any size and at any
    // depth (walking from the first event to the cursor cost time in proportion to its id).
    let mut out = store.events(&EventFilter {
        after_id: after,
        limit: Some(limit + 1),
        ..f.clone()
    })?;
    let next = if out.len() > limit {
        out.truncate(limit);
        out.last().map(|e| e.id)
    } else {
        None
    };
    Ok((out, next))
}

/// `GET /api/v1/events`
pub(crate) async fn events(State(st): State<Shared>, q: Q) -> Result<Response, ApiError> {
    let p = query(q, &["limit", "cursor", "format"], true)?;
    let f = p.filter()?;
    let format = p.choice("format", &["json", "csv"], "json")?;
    if format == "csv" {
        let limit = p.int("limit", 1, 10_000_000, 10_000_000)? as usize;
        let body = blocking(&st, move |st| {
            let store = st.slow_store();
            let f = EventFilter {
                limit: Some(limit),
                ..f
            };
            csv(&store, &f)
        })
        .await?;
        return Ok((
            [
                (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
                (
                    header::CONTENT_DISPOSITION,
                    "attachment; filename=\"events.csv\"",
                ),
            ],
            body,
        )
            .into_response());
    }
    let limit = p.int("limit", 1, 1000, 100)? as usize;
    let after = match p.get("cursor") {
        Some(_) => Some(p.int("cursor", 0, i64::MAX, 0)?),
        None => None,
    };
    let v = blocking(&st, move |st| {
        let store = st.store();
        let (events, next) = page(&store, &f, after, limit)?;
        let events: Vec<Value> = events
            .iter()
            .map(|se| event_value(st, &store, se))
            .collect::<Result<_, _>>()?;
        Ok(json!({"events": events, "next": next.map(|n| n.to_string())}))
    })
    .await?;
    Ok(Json(v).into_response())
}

/// The events as CSV, the columns of `wirecoder events --format csv`.
fn csv(store: &Store, f: &EventFilter) -> Result<String, ApiError> {
    let mut out = format!("{}\n", wirecoder_store::CSV_HEADER);
    walk(store, f, |se| {
        out.push_str(&wirecoder_store::csv_line(&se));
        out.push('\n');
        true
    })?;
    Ok(out)
}

/// `GET /api/v1/events/{id}`: one event with its sentence.
pub(crate) async fn event(
    State(st): State<Shared>,
    Path(id): Path<String>,
    q: Q,
) -> Result<Json<Value>, ApiError> {
    query(q, &[], false)?;
    let id = parse_id("id", &id)?;
    let v = blocking(&st, move |st| {
        let store = st.store();
        // The first event after `id - 1`: a key lookup, whatever the id.
        let found = store
            .events(&EventFilter {
                after_id: Some(id - 1),
                limit: Some(1),
                ..Default::default()
            })?
            .into_iter()
            .find(|se| se.id == id);
        let Some(se) = found else {
            return Err(ApiError::new(ErrorCode::NotFound, format!("no event {id}")));
        };
        let mut v = event_value(st, &store, &se)?;
        if let Value::Object(o) = &mut v {
            o.insert("sentence_text".into(), json!(se.sentence_text));
            o.insert("source_url".into(), json!(se.source_url));
        }
        Ok(v)
    })
    .await?;
    Ok(Json(v))
}

fn parse_id(name: &str, s: &str) -> Result<i64, ApiError> {
    match s.parse::<i64>() {
        Ok(n) if n > 0 => Ok(n),
        _ => Err(ApiError::param(name, s, "must be a positive whole number")),
    }
}

/// `GET /api/v1/canonical`: the canonical events (the store's deduplicated events) of the
/// events matching the filters, most mentioned first, each with its GDELT-like counts, the
/// matching reports and every mention's evidence (article, site, code-point span).
pub(crate) async fn canonical(State(st): State<Shared>, q: Q) -> Result<Response, ApiError> {
    let p = query(q, &["limit"], true)?;
    let f = p.filter()?;
    let limit = p.int("limit", 1, 1000, 50)? as usize;
    cached(&st, format!("canonical?{}", p.key()), None, move |st| {
        let store = st.slow_store();
        // An event stored before canonical events existed stands alone (keyed by -its id).
        let mut groups: HashMap<i64, Vec<StoredEvent>> = HashMap::new();
        walk(&store, &f, |se| {
            groups
                .entry(se.canonical_id.unwrap_or(-se.id))
                .or_default()
                .push(se);
            true
        })?;
        let mut groups: Vec<(i64, Vec<StoredEvent>)> = groups.into_iter().collect();
        groups.sort_by(|a, b| {
            b.1[0]
                .num_mentions
                .cmp(&a.1[0].num_mentions)
                .then(b.1.len().cmp(&a.1.len()))
                .then(a.1[0].id.cmp(&b.1[0].id))
        });
        let total = groups.len();
        let mut out = Vec::new();
        for (key, reports) in groups.into_iter().take(limit) {
            let canon = if key > 0 {
                store.canonical_event(key)?
            } else {
                None
            };
            let first = &reports[0];
            let e = &first.event;
            let mut mentions = Vec::new();
            for m in canon.iter().flat_map(|c| &c.mentions) {
                let map = st.offsets(&store, m.article_id)?;
                mentions.push(json!({
                    "article_id": m.article_id,
                    "event_id": m.event_id,
                    "site": m.site,
                    "seen": m.seen,
                    "evidence": m.evidence.map(|(s, e)| json!({
                        "start": map.chars(s), "end": map.chars(e)
                    })),
                }));
            }
            let report_values: Vec<Value> = reports
                .iter()
                .map(|se| event_value(st, &store, se))
                .collect::<Result<_, _>>()?;
            let day: Option<String> = canon
                .as_ref()
                .and_then(|c| c.date.clone())
                .or_else(|| event_day(first).map(|d| d.chars().take(10).collect()));
            out.push(json!({
                "id": canon.as_ref().map(|c| c.id),
                "day": day,
                "source": canon.as_ref().map_or(e.source.actor.clone(), |c| c.source.clone()),
                "target": canon.as_ref().map_or(
                    e.target.as_ref().and_then(|t| t.actor.clone()),
                    |c| c.target.clone()
                ),
                "cameo": canon.as_ref().map_or(e.cameo.clone(), |c| c.cameo.clone()),
                "quad_class": canon.as_ref().map_or(e.quad_class, |c| c.quad_class),
                "goldstein": canon.as_ref().map_or(e.goldstein, |c| c.goldstein),
                "place": canon.as_ref().and_then(|c| c.place_name.clone()),
                "country": canon.as_ref().and_then(|c| c.place_country.clone()),
                "modality": canon.as_ref().map(|c| c.modality.clone()),
                "confidence": canon.as_ref().map(|c| c.confidence),
                "first_seen": canon.as_ref().and_then(|c| c.first_seen.clone()),
                "last_seen": canon.as_ref().and_then(|c| c.last_seen.clone()),
                "num_reports": report_values.len(),
                "num_mentions": first.num_mentions,
                "num_sources": first.num_sources,
                "num_articles": first.num_articles,
                "mentions": mentions,
                "reports": report_values,
            }));
        }
        Ok(json!({"canonical": out, "total": total}))
    })
    .await
}

/// `GET /api/v1/stats`
pub(crate) async fn stats(State(st): State<Shared>, q: Q) -> Result<Response, ApiError> {
    query(q, &[], false)?;
    // Counting every table's rows is one of the slower reads. The data version covers articles
    // and events; rows skipped by another process (no new article) show within a second.
    cached(&st, "stats".into(), Some(STATS_MAX_AGE), |st| {
        // Row counts are quick: not queued behind the aggregates' walks.
        let s = st.store().stats()?;
        serde_json::to_value(s).map_err(ApiError::internal)
    })
    .await
}

/// How long a cached `/stats` answer is served at one data version.
const STATS_MAX_AGE: std::time::Duration = std::time::Duration::from_secs(1);

/// `GET /api/v1/articles`: newest first, or those `q` names (an id, a path or URL, a piece of
/// the title).
pub(crate) async fn articles(State(st): State<Shared>, q: Q) -> Result<Json<Value>, ApiError> {
    let p = query(q, &["q", "limit"], false)?;
    let limit = p.int("limit", 1, 1000, 50)? as usize;
    let key = p.get("q").map(str::to_string);
    let v = blocking(&st, move |st| {
        let store = st.store();
        let rows = match key {
            Some(k) => store.find_articles(&k)?,
            None => store.articles(limit)?,
        };
        let rows: Vec<Value> = rows
            .into_iter()
            .take(limit)
            .map(|(id, title, path)| json!({"id": id, "title": title, "path": path}))
            .collect();
        Ok(json!({"articles": rows}))
    })
    .await?;
    Ok(Json(v))
}

/// `GET /api/v1/articles/{id}`: the document in the `annotate` shape, its events with ids.
pub(crate) async fn article(
    State(st): State<Shared>,
    Path(id): Path<String>,
    q: Q,
) -> Result<Json<Value>, ApiError> {
    query(q, &[], false)?;
    let id = parse_id("id", &id)?;
    let v = blocking(&st, move |st| {
        let store = st.store();
        let Some(doc) = store.article(id)? else {
            return Err(ApiError::new(
                ErrorCode::NotFound,
                format!("no article {id}"),
            ));
        };
        let mut v = doc.to_json();
        let events = store.events(&EventFilter {
            article_id: Some(id),
            ..Default::default()
        })?;
        let events: Vec<Value> = events
            .iter()
            .map(|se| event_value(st, &store, se))
            .collect::<Result<_, _>>()?;
        if let Value::Object(o) = &mut v {
            o.insert("article_id".into(), json!(id));
            o.insert("events".into(), Value::Array(events));
        }
        Ok(v)
    })
    .await?;
    Ok(Json(v))
}

/// `GET /api/v1/search`: full-text search over sentences.
pub(crate) async fn search(State(st): State<Shared>, q: Q) -> Result<Json<Value>, ApiError> {
    let p = query(
        q,
        &["q", "actor", "code", "source", "since", "until", "limit"],
        false,
    )?;
    let Some(text) = p.get("q").map(str::to_string) else {
        return Err(ApiError::param("q", "", "is required: the words to find"));
    };
    let sq = SearchQuery {
        text,
        actor: p.actor_code("actor")?,
        code: p.digits("code", 1, 4)?,
        source: p.get("source").map(str::to_string),
        since: p.date("since")?,
        until: p.date("until")?,
        limit: p.int("limit", 1, 1000, 20)? as usize,
    };
    let v = blocking(&st, move |st| {
        let hits = st.store().search(&sq)?;
        let hits: Vec<Value> = hits
            .into_iter()
            .map(|h| {
                json!({"article_id": h.article_id, "sentence": h.sentence, "text": h.text,
                       "title": h.title, "score": h.score,
                       "published": (h.day > 0).then(|| format!("{:04}-{:02}-{:02}", h.day / 10000, h.day / 100 % 100, h.day % 100))})
            })
            .collect();
        Ok(json!({"hits": hits}))
    })
    .await?;
    Ok(Json(v))
}

/// `GET /api/v1/actors`: actors seen in the stored events, with counts and the words that
/// named them; `q` matches a code prefix or a piece of a name.
pub(crate) async fn actors(State(st): State<Shared>, q: Q) -> Result<Response, ApiError> {
    let p = query(q, &["q", "limit"], true)?;
    let f = p.filter()?;
    let limit = p.int("limit", 1, 1000, 50)? as usize;
    let needle = p.get("q").map(|s| s.to_lowercase());
    cached(&st, format!("actors?{}", p.key()), None, move |st| {
        #[derive(Default)]
        struct A {
            source: u64,
            target: u64,
            names: HashMap<String, u64>,
        }
        let mut all: HashMap<String, A> = HashMap::new();
        walk(&st.slow_store(), &f, |se| {
            let e = &se.event;
            let mut add = |r: &wirecoder_doc::ActorRef, as_source: bool| {
                if let Some(code) = &r.actor {
                    let a = all.entry(code.clone()).or_default();
                    if as_source {
                        a.source += 1
                    } else {
                        a.target += 1
                    }
                    *a.names.entry(r.text.clone()).or_default() += 1;
                }
            };
            add(&e.source, true);
            if let Some(t) = &e.target {
                add(t, false);
            }
            true
        })?;
        let mut rows: Vec<(String, A)> = all
            .into_iter()
            .filter(|(code, a)| match &needle {
                None => true,
                Some(n) => {
                    code.to_lowercase().starts_with(n.as_str())
                        || a.names
                            .keys()
                            .any(|k| k.to_lowercase().contains(n.as_str()))
                }
            })
            .collect();
        rows.sort_by(|a, b| {
            (b.1.source + b.1.target)
                .cmp(&(a.1.source + a.1.target))
                .then(a.0.cmp(&b.0))
        });
        let rows: Vec<Value> = rows
            .into_iter()
            .take(limit)
            .map(|(code, a)| {
                let mut names: Vec<(String, u64)> = a.names.into_iter().collect();
                names.sort_by(|x, y| y.1.cmp(&x.1).then(x.0.cmp(&y.0)));
                let names: Vec<String> = names.into_iter().take(5).map(|n| n.0).collect();
                json!({"code": code, "events": a.source + a.target, "as_source": a.source,
                       "as_target": a.target, "names": names})
            })
            .collect();
        Ok(json!({"actors": rows}))
    })
    .await
}

/// Where an event is drawn: its place's coordinates, else the centre of its place's country,
/// else of its target's (then its source's) country. `(lon, lat, name, country, how)`.
fn locate(
    st: &AppState,
    se: &StoredEvent,
) -> Option<(f64, f64, String, Option<String>, &'static str)> {
    let e = &se.event;
    if let Some(p) = &e.place {
        if let (Some(lat), Some(lon)) = (p.lat, p.lon) {
            return Some((lon, lat, p.name.clone(), p.country.clone(), "place"));
        }
        if let Some(c) = &p.country {
            if let Some(&(lon, lat)) = st.centroids.get(c) {
                return Some((lon, lat, c.clone(), Some(c.clone()), "country"));
            }
        }
    }
    let actors = [
        e.target.as_ref().and_then(|t| t.actor.as_deref()),
        e.source.actor.as_deref(),
    ];
    for code in actors.into_iter().flatten() {
        let Some(c) = code.get(..3) else { continue };
        if let Some(&(lon, lat)) = st.centroids.get(c) {
            return Some((lon, lat, c.to_string(), Some(c.to_string()), "country"));
        }
    }
    None
}

/// `GET /api/v1/places`: places of the stored events, with counts; `q` matches a piece of
/// the name or the country code.
pub(crate) async fn places(State(st): State<Shared>, q: Q) -> Result<Response, ApiError> {
    let p = query(q, &["q", "limit"], true)?;
    let f = p.filter()?;
    let limit = p.int("limit", 1, 1000, 50)? as usize;
    let needle = p.get("q").map(|s| s.to_lowercase());
    cached(&st, format!("places?{}", p.key()), None, move |st| {
        let mut all: HashMap<String, (wirecoder_doc::Place, u64)> = HashMap::new();
        walk(&st.slow_store(), &f, |se| {
            if let Some(pl) = &se.event.place {
                let key = format!("{}|{}", pl.name, pl.country.as_deref().unwrap_or(""));
                all.entry(key).or_insert_with(|| (pl.clone(), 0)).1 += 1;
            }
            true
        })?;
        let mut rows: Vec<(wirecoder_doc::Place, u64)> = all
            .into_values()
            .filter(|(pl, _)| match &needle {
                None => true,
                Some(n) => {
                    pl.name.to_lowercase().contains(n.as_str())
                        || pl
                            .country
                            .as_deref()
                            .is_some_and(|c| c.to_lowercase() == *n)
                }
            })
            .collect();
        rows.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.name.cmp(&b.0.name)));
        let rows: Vec<Value> = rows
            .into_iter()
            .take(limit)
            .map(|(pl, n)| {
                json!({"name": pl.name, "country": pl.country, "geonames_id": pl.geonames_id,
                                   "lat": pl.lat, "lon": pl.lon, "events": n})
            })
            .collect();
        Ok(json!({"places": rows}))
    })
    .await
}

/// `GET /api/v1/map`: located events grouped by point (the page clusters them further).
pub(crate) async fn map(State(st): State<Shared>, q: Q) -> Result<Response, ApiError> {
    let p = query(q, &[], true)?;
    let f = p.filter()?;
    cached(&st, format!("map?{}", p.key()), None, move |st| {
        struct Pt {
            lon: f64,
            lat: f64,
            name: String,
            country: Option<String>,
            how: &'static str,
            count: u64,
            conflict: u64,
            ids: Vec<i64>,
        }
        let mut pts: BTreeMap<String, Pt> = BTreeMap::new();
        let (mut located, mut unlocated) = (0u64, 0u64);
        walk(&st.slow_store(), &f, |se| {
            let Some((lon, lat, name, country, how)) = locate(st, &se) else {
                unlocated += 1;
                return true;
            };
            located += 1;
            let key = format!("{lon:.3},{lat:.3},{name}");
            let pt = pts.entry(key).or_insert_with(|| Pt {
                lon,
                lat,
                name,
                country,
                how,
                count: 0,
                conflict: 0,
                ids: Vec::new(),
            });
            pt.count += 1;
            if se.event.quad_class >= 3 {
                pt.conflict += 1;
            }
            if pt.ids.len() < 20 {
                pt.ids.push(se.id);
            }
            true
        })?;
        let points: Vec<Value> = pts
            .into_values()
            .map(|p| {
                json!({"lon": p.lon, "lat": p.lat, "name": p.name, "country": p.country,
                            "located_by": p.how, "events": p.count, "conflict": p.conflict,
                            "event_ids": p.ids})
            })
            .collect();
        Ok(json!({"points": points, "located": located, "unlocated": unlocated}))
    })
    .await
}

/// `GET /api/v1/network`: actors as nodes, dyads as edges with cooperation/conflict counts.
pub(crate) async fn network(State(st): State<Shared>, q: Q) -> Result<Response, ApiError> {
    let p = query(q, &["limit", "level"], true)?;
    let f = p.filter()?;
    let limit = p.int("limit", 1, 5000, 150)? as usize;
    let level = p.choice("level", &["actor", "country"], "actor")?;
    cached(&st, format!("network?{}", p.key()), None, move |st| {
        let cut = |c: &str| -> String {
            if level == "country" {
                c.chars().take(3).collect()
            } else {
                c.to_string()
            }
        };
        #[derive(Default)]
        struct E {
            count: u64,
            coop: u64,
            conflict: u64,
            goldstein: f64,
        }
        let mut edges: HashMap<(String, String), E> = HashMap::new();
        walk(&st.slow_store(), &f, |se| {
            let e = &se.event;
            let (Some(s), Some(t)) = (
                e.source.actor.as_deref(),
                e.target.as_ref().and_then(|t| t.actor.as_deref()),
            ) else {
                return true;
            };
            let (s, t) = (cut(s), cut(t));
            if s == t {
                return true;
            }
            let ed = edges.entry((s, t)).or_default();
            ed.count += 1;
            ed.goldstein += e.goldstein;
            if e.quad_class <= 2 {
                ed.coop += 1
            } else {
                ed.conflict += 1
            }
            true
        })?;
        let mut edges: Vec<((String, String), E)> = edges.into_iter().collect();
        edges.sort_by(|a, b| b.1.count.cmp(&a.1.count).then(a.0.cmp(&b.0)));
        edges.truncate(limit);
        let mut nodes: BTreeMap<String, u64> = BTreeMap::new();
        for ((s, t), e) in &edges {
            *nodes.entry(s.clone()).or_default() += e.count;
            *nodes.entry(t.clone()).or_default() += e.count;
        }
        let nodes: Vec<Value> = nodes
            .into_iter()
            .map(|(id, n)| json!({"id": id, "events": n}))
            .collect();
        let edges: Vec<Value> = edges
            .into_iter()
            .map(|((s, t), e)| {
                json!({"source": s, "target": t, "events": e.count,
                "cooperation": e.coop, "conflict": e.conflict,
                "goldstein": (e.goldstein / e.count.max(1) as f64 * 100.0).round() / 100.0})
            })
            .collect();
        Ok(json!({"nodes": nodes, "edges": edges}))
    })
    .await
}

const QUAD_NAMES: [&str; 4] = [
    "verbal cooperation",
    "material cooperation",
    "verbal conflict",
    "material conflict",
];

/// The period an ISO date falls in: `(key, first day, last day)`, or `None` when the date is
/// coarser than the interval.
fn period(day: &str, interval: &str) -> Option<(String, String, String)> {
    use chrono::{Datelike, Duration, NaiveDate, Weekday};
    // An ISO week (`2024-W01`) stands for its Monday.
    let monday;
    let day = match (day.get(..4), day.get(4..6), day.get(6..8)) {
        (Some(y), Some("-W"), Some(w)) if day.len() == 8 => {
            let y: i32 = y.parse().ok()?;
            let w: u32 = w.parse().ok()?;
            monday = NaiveDate::from_isoywd_opt(y, w, Weekday::Mon)?.to_string();
            monday.as_str()
        }
        _ => day,
    };
    if interval == "month" {
        let m = day.get(..7)?;
        let d = NaiveDate::parse_from_str(&format!("{m}-01"), "%Y-%m-%d").ok()?;
        let next = if d.month() == 12 {
            NaiveDate::from_ymd_opt(d.year() + 1, 1, 1)?
        } else {
            NaiveDate::from_ymd_opt(d.year(), d.month() + 1, 1)?
        };
        let last = next - Duration::days(1);
        return Some((m.to_string(), d.to_string(), last.to_string()));
    }
    let d = NaiveDate::parse_from_str(day.get(..10)?, "%Y-%m-%d").ok()?;
    if interval == "day" {
        let s = d.to_string();
        return Some((s.clone(), s.clone(), s));
    }
    let w = d.iso_week();
    let monday = d - Duration::days(d.weekday().num_days_from_monday() as i64);
    let sunday = monday + Duration::days(6);
    Some((
        format!("{}-W{:02}", w.year(), w.week()),
        monday.to_string(),
        sunday.to_string(),
    ))
}

/// `GET /api/v1/counts`: events per day, week or month, one series per quad class, PLOVER
/// type, CAMEO root or code, or dyad.
pub(crate) async fn counts(State(st): State<Shared>, q: Q) -> Result<Response, ApiError> {
    let p = query(q, &["interval", "by", "top"], true)?;
    let f = p.filter()?;
    let interval = p.choice("interval", &["day", "week", "month"], "month")?;
    let by = p.choice(
        "by",
        &["quad", "plover", "root", "code", "dyad", "total"],
        "quad",
    )?;
    let top = p.int("top", 1, 100, 12)? as usize;
    cached(&st, format!("counts?{}", p.key()), None, move |st| {
        let mut periods: BTreeMap<String, (String, String)> = BTreeMap::new();
        let mut cells: HashMap<(String, String), u64> = HashMap::new();
        let mut totals: HashMap<String, u64> = HashMap::new();
        let (mut total, mut imprecise) = (0u64, 0u64);
        walk(&st.slow_store(), &f, |se| {
            let e = &se.event;
            // An event dated more coarsely than the interval falls back to its article's day.
            let when = [se.event.date.as_deref(), se.published.as_deref()]
                .into_iter()
                .flatten()
                .find_map(|d| period(d, interval));
            let Some((key, start, end)) = when else {
                imprecise += 1;
                return true;
            };
            total += 1;
            let series = match by {
                "quad" => e.quad_class.to_string(),
                "plover" => e.plover.clone().unwrap_or_else(|| "(none)".into()),
                "root" => e.cameo.chars().take(2).collect(),
                "code" => e.cameo.clone(),
                "dyad" => format!(
                    "{}-{}",
                    e.source.actor.as_deref().unwrap_or("?"),
                    e.target
                        .as_ref()
                        .and_then(|t| t.actor.as_deref())
                        .unwrap_or("?")
                ),
                _ => "total".into(),
            };
            periods.entry(key.clone()).or_insert((start, end));
            *totals.entry(series.clone()).or_default() += 1;
            *cells.entry((series, key)).or_default() += 1;
            true
        })?;
        // The biggest series by name; the rest summed as "other" (quad classes are 4 anyway).
        let mut names: Vec<(String, u64)> = totals.into_iter().collect();
        names.sort_by(|a, b| {
            if by == "quad" {
                a.0.cmp(&b.0)
            } else {
                b.1.cmp(&a.1).then(a.0.cmp(&b.0))
            }
        });
        let kept: Vec<String> = names.iter().take(top).map(|n| n.0.clone()).collect();
        let has_other = names.len() > kept.len();
        let keys: Vec<&String> = periods.keys().collect();
        let mut series: Vec<Value> = Vec::new();
        for name in &kept {
            let counts: Vec<u64> = keys
                .iter()
                .map(|k| {
                    cells
                        .get(&(name.clone(), (*k).clone()))
                        .copied()
                        .unwrap_or(0)
                })
                .collect();
            let label = match (by, name.parse::<usize>()) {
                ("quad", Ok(q)) if (1..=4).contains(&q) => QUAD_NAMES[q - 1].to_string(),
                _ => name.clone(),
            };
            series.push(json!({"key": name, "label": label, "counts": counts}));
        }
        if has_other {
            let mut other: HashMap<&String, u64> = HashMap::new();
            for ((s, p), n) in &cells {
                if !kept.contains(s) {
                    *other.entry(p).or_default() += n;
                }
            }
            let counts: Vec<u64> = keys
                .iter()
                .map(|k| other.get(*k).copied().unwrap_or(0))
                .collect();
            series.push(json!({"key": "other", "label": "other", "counts": counts}));
        }
        let periods: Vec<Value> = periods
            .into_iter()
            .map(|(k, (s, e))| json!({"key": k, "start": s, "end": e}))
            .collect();
        Ok(
            json!({"interval": interval, "by": by, "periods": periods, "series": series,
                  "total": total, "imprecise": imprecise}),
        )
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::period;

    #[test]
    fn periods() {
        assert_eq!(
            period("2024-01-10", "week"),
            Some(("2024-W02".into(), "2024-01-08".into(), "2024-01-14".into()))
        );
        assert_eq!(
            period("2024-02-10", "month"),
            Some(("2024-02".into(), "2024-02-01".into(), "2024-02-29".into()))
        );
        assert_eq!(period("2024-02", "day"), None);
        assert_eq!(period("2024", "month"), None);
        assert_eq!(
            period("2024-W01", "week").map(|p| p.0),
            Some("2024-W01".into())
        );
        assert_eq!(
            period("2024-W01", "day").map(|p| p.1),
            Some("2024-01-01".into())
        );
    }
}
