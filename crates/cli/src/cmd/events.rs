//! `wirecoder events`: stored events, filtered, as a table, JSONL or CSV.

use super::{open_existing_store, stdout, write_json};
use crate::cli::{EventsArgs, EventsFormat, FilterArgs};
use crate::render::{actor_label, excerpt, table};
use anyhow::{anyhow, Result};
use serde_json::{json, Value};
use std::collections::HashMap;
use std::io::Write;
use wirecoder_doc::{event_json, OffsetMap};
use wirecoder_store::{EventFilter, Store, StoredEvent};

/// The filter the flags ask for. `--root` narrows `--code` (or stands for it); `--dyad A-B`
/// stands for `--source A --target B`.
pub fn filter(a: &FilterArgs) -> Result<EventFilter> {
    let code = match (&a.code, &a.root) {
        (Some(c), Some(r)) if !c.starts_with(r.as_str()) => {
            anyhow::bail!("--code {c} is not under --root {r}")
        }
        (Some(c), _) => Some(c.clone()),
        (None, r) => r.clone(),
    };
    let (mut source, mut target) = (a.source.clone(), a.target.clone());
    if let Some(d) = &a.dyad {
        let Some((s, t)) = d
            .split_once('-')
            .filter(|(s, t)| !s.is_empty() && !t.is_empty())
        else {
            anyhow::bail!("--dyad {d} is not SOURCE-TARGET (like RUS-UKR)");
        };
        if source.is_some() || target.is_some() {
            anyhow::bail!("--dyad cannot be combined with --source or --target");
        }
        source = Some(s.to_string());
        target = Some(t.to_string());
    }
    Ok(EventFilter {
        actor: a.actor.clone(),
        source,
        target,
        code,
        plover: a.plover.clone(),
        modality: a.modality.clone(),
        since: a.since.clone(),
        until: a.until.clone(),
        country: a.country.clone(),
        place: a.place.clone(),
        bbox: a.bbox,
        min_sources: a.min_sources,
        article_id: a.article,
        after_id: None,
        limit: a.limit,
    })
}

/// Code-point offset maps of article texts, loaded once per article.
pub struct Offsets<'a> {
    store: &'a Store,
    maps: HashMap<i64, Option<OffsetMap>>,
}

impl<'a> Offsets<'a> {
    pub fn new(store: &'a Store) -> Offsets<'a> {
        Offsets {
            store,
            maps: HashMap::new(),
        }
    }

    /// The contract's event shape plus the stored ids and counts.
    pub fn event_json(&mut self, se: &StoredEvent) -> Result<Value> {
        if !self.maps.contains_key(&se.article_id) {
            let doc = self
                .store
                .article(se.article_id)
                .map_err(|e| anyhow!("{e}"))?;
            self.maps
                .insert(se.article_id, doc.map(|d| OffsetMap::new(&d.text)));
        }
        // Without the article (it cannot vanish, but) byte offsets are the best we have.
        let fallback = OffsetMap::new("");
        let map = self
            .maps
            .get(&se.article_id)
            .and_then(Option::as_ref)
            .unwrap_or(&fallback);
        let mut v = event_json(map, &se.event);
        if let Value::Object(o) = &mut v {
            o.insert("id".into(), json!(se.id));
            o.insert("article_id".into(), json!(se.article_id));
            o.insert("canonical_id".into(), json!(se.canonical_id));
            o.insert("num_mentions".into(), json!(se.num_mentions));
            o.insert("num_sources".into(), json!(se.num_sources));
            o.insert("num_articles".into(), json!(se.num_articles));
        }
        Ok(v)
    }
}

/// The date a reader should see: the event's own, else the article's.
pub fn event_date(se: &StoredEvent) -> String {
    se.event
        .date
        .clone()
        .or_else(|| se.published.clone())
        .unwrap_or_else(|| "-".into())
}

pub fn run(a: &EventsArgs) -> Result<()> {
    let store = open_existing_store(&a.filter.db)?;
    let events = store
        .events(&filter(&a.filter)?)
        .map_err(|e| anyhow!("{e}"))?;
    let mut out = stdout();
    match a.format {
        EventsFormat::Jsonl => {
            let mut offs = Offsets::new(&store);
            for se in &events {
                write_json(&mut out, &offs.event_json(se)?, false)?;
            }
        }
        EventsFormat::Csv => {
            writeln!(out, "{}", wirecoder_store::CSV_HEADER)?;
            for se in &events {
                writeln!(out, "{}", wirecoder_store::csv_line(se))?;
            }
        }
        EventsFormat::Table => {
            let rows: Vec<Vec<String>> = events
                .iter()
                .map(|se| {
                    let e = &se.event;
                    vec![
                        event_date(se),
                        actor_label(&e.source),
                        e.cameo.clone(),
                        e.target
                            .as_ref()
                            .map(actor_label)
                            .unwrap_or_else(|| "-".into()),
                        e.modality.as_str().to_string(),
                        excerpt(&se.evidence_text, 80),
                    ]
                })
                .collect();
            write!(
                out,
                "{}",
                table(
                    &["date", "source", "cameo", "target", "modality", "evidence"],
                    &rows
                )
            )?;
            if events.is_empty() {
                writeln!(out, "(no events match)")?;
            }
        }
    }
    out.flush()?;
    Ok(())
}
