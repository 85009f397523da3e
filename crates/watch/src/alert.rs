//! Alerts: one rule firing on one (canonical) event, and where they are recorded.

use std::collections::{HashMap, HashSet};

use serde_json::{json, Value};
use wirecoder_doc::{event_json, OffsetMap};
use wirecoder_store::StoredEvent;

use crate::error::WatchError;
use crate::eval::EventView;

/// One rule firing on one event.
#[derive(Debug, Clone, PartialEq)]
pub struct Alert {
    /// The alert's id once recorded (0 before).
    pub id: i64,
    /// The rule's name.
    pub rule: String,
    /// What makes two firings the same alert: `canonical:ID` when the store grouped the
    /// event's reports into a canonical event, else [`dedup_key`] (dyad, CAMEO code, day).
    pub key: String,
    /// The stored event that fired it first (0 when not stored).
    pub event_id: i64,
    /// The article of that event.
    pub article_id: i64,
    /// Reports (stored event mentions) of the same event that fired the rule so far.
    pub count: u32,
    /// Knowledge-base facts that made it fire.
    pub reasons: Vec<String>,
    /// The event in the contract's shape plus `id`, `article_id`, `num_mentions`,
    /// `num_sources`, `num_articles`.
    pub event: Value,
    /// The text under the event's evidence span.
    pub evidence_text: String,
    /// The event's sentence.
    pub sentence_text: String,
    /// The article's headline, date and URL (or path).
    pub article_title: Option<String>,
    /// The article's publication date.
    pub published: Option<String>,
    /// The article's URL, else its path.
    pub source_url: Option<String>,
}

impl Alert {
    /// Builds the alert for `rule` firing on a stored event; `map` turns the article's byte
    /// offsets into code points.
    pub fn new(rule: &str, reasons: Vec<String>, se: &StoredEvent, map: &OffsetMap) -> Alert {
        let mut event = event_json(map, &se.event);
        if let Value::Object(o) = &mut event {
            o.insert("id".into(), json!(se.id));
            o.insert("article_id".into(), json!(se.article_id));
            o.insert("num_mentions".into(), json!(se.num_mentions));
            o.insert("num_sources".into(), json!(se.num_sources));
            o.insert("num_articles".into(), json!(se.num_articles));
        }
        let view = EventView {
            event: &se.event,
            published: se.published.as_deref(),
            sentence: &se.sentence_text,
            num_sources: Some(se.num_sources),
        };
        // One alert per canonical event when the store groups reports; else per the rule's
        // view of the event.
        let key = match se.canonical_id {
            Some(c) => format!("canonical:{c}"),
            None => dedup_key(&view),
        };
        Alert {
            id: 0,
            rule: rule.to_string(),
            key,
            event_id: se.id,
            article_id: se.article_id,
            count: 1,
            reasons,
            event,
            evidence_text: se.evidence_text.clone(),
            sentence_text: se.sentence_text.clone(),
            article_title: se.article_title.clone(),
            published: se.published.clone(),
            source_url: se.source_url.clone(),
        }
    }

    /// The alert as one JSON object: alert fields at the top, the event under `event`.
    pub fn to_json(&self) -> Value {
        json!({
            "alert_id": self.id,
            "rule": self.rule,
            "key": self.key,
            "count": self.count,
            "reasons": self.reasons,
            "evidence_text": self.evidence_text,
            "sentence_text": self.sentence_text,
            "article": {
                "id": self.article_id,
                "title": self.article_title,
                "published": self.published,
                "url": self.source_url,
            },
            "event": self.event,
        })
    }
}

/// The fallback identity of an event when the store has no canonical events: the dyad, the
/// CAMEO code and the day, so that a second report of the same event is the same alert.
pub fn dedup_key(v: &EventView<'_>) -> String {
    let e = v.event;
    let day = v.day().map(|d| d.to_string()).unwrap_or_else(|| "-".into());
    let src = e.source.actor.as_deref().unwrap_or("-");
    let tgt = e
        .target
        .as_ref()
        .and_then(|t| t.actor.as_deref())
        .unwrap_or("-");
    format!("{src}|{tgt}|{}|{day}", e.cameo)
}

/// The key of [`crate::DedupBy::Dyad`]: source and target (first three letters of their
/// codes: the country or group) and the CAMEO root.
pub fn dyad_key(v: &EventView<'_>) -> String {
    let e = v.event;
    let three = |c: Option<&str>| c.map_or("-".to_string(), |c| c.chars().take(3).collect());
    let tgt = e.target.as_ref().and_then(|t| t.actor.as_deref());
    let root: String = e.cameo.chars().take(2).collect();
    format!(
        "dyad:{}|{}|{root}",
        three(e.source.actor.as_deref()),
        three(tgt)
    )
}

/// What recording an alert did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Recorded {
    /// A new alert: deliver it.
    New {
        /// Its id.
        id: i64,
    },
    /// Another report of an alert already recorded: its count went up.
    Updated {
        /// Its id.
        id: i64,
        /// The new count.
        count: u32,
    },
    /// This very event was recorded for this alert before (a re-run): nothing changed.
    Seen {
        /// Its id.
        id: i64,
    },
}

/// Where alerts are kept, once per (rule, key).
pub trait AlertLog {
    /// Records `alert`, or adds its event to the alert of the same rule and key.
    fn record(&mut self, alert: &Alert) -> Result<Recorded, WatchError>;
}

/// Alerts kept in memory (for `watch test`, which records nothing, and for tests).
#[derive(Debug, Default)]
pub struct MemoryLog {
    alerts: HashMap<(String, String), (i64, u32, HashSet<i64>)>,
    next: i64,
}

impl AlertLog for MemoryLog {
    fn record(&mut self, a: &Alert) -> Result<Recorded, WatchError> {
        let key = (a.rule.clone(), a.key.clone());
        if let Some((id, count, events)) = self.alerts.get_mut(&key) {
            if !events.insert(a.event_id) {
                return Ok(Recorded::Seen { id: *id });
            }
            *count += 1;
            return Ok(Recorded::Updated {
                id: *id,
                count: *count,
            });
        }
        self.next += 1;
        self.alerts
            .insert(key, (self.next, 1, HashSet::from([a.event_id])));
        Ok(Recorded::New { id: self.next })
    }
}
