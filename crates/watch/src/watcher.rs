//! The watcher: rules, the knowledge base and the sinks, applied to stored events.

use std::collections::HashMap;

use wirecoder_doc::{Doc, OffsetMap};
use wirecoder_store::{EventFilter, Inserted, Store, StoredEvent};

use crate::alert::{dyad_key, Alert, AlertLog, MemoryLog, Recorded};
use crate::embargo::EmbargoTable;
use crate::error::WatchError;
use crate::eval::{EventView, RuleSet};
use crate::rule::{DedupBy, Deliver, Rule};
use crate::sink::Delivery;

/// What a pass over events did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Summary {
    /// Events looked at.
    pub events: u64,
    /// Rule firings (before deduplication).
    pub firings: u64,
    /// New alerts (delivered).
    pub new: u64,
    /// Alerts whose count went up (another report of the same event).
    pub updated: u64,
    /// Firings already recorded (a re-run).
    pub seen: u64,
    /// Deliveries that failed (reported on stderr; the alert is still recorded).
    pub failed_deliveries: u64,
}

/// Rules applied to events as they are stored, or on demand over the store.
///
/// Alerts are recorded once per rule and event (see [`Alert::key`]) in an [`AlertLog`];
/// new ones go to each rule's `deliver` sinks and to the watcher's own.
#[derive(Debug)]
pub struct Watcher {
    rules: RuleSet,
    kb: &'static EmbargoTable,
    sinks: Vec<Deliver>,
    delivery: Delivery,
    /// Totals since the watcher was made.
    pub total: Summary,
}

impl Watcher {
    /// A watcher over `rules`, delivering to standard output for `stdout` sinks.
    pub fn new(rules: Vec<Rule>) -> Watcher {
        Watcher {
            rules: RuleSet::new(rules),
            kb: EmbargoTable::builtin(),
            sinks: Vec::new(),
            delivery: Delivery::default(),
            total: Summary::default(),
        }
    }

    /// Also delivers every new alert to `sinks` (besides each rule's own).
    pub fn with_sinks(mut self, sinks: Vec<Deliver>) -> Watcher {
        self.sinks = sinks;
        self
    }

    /// Uses `delivery` (e.g. one writing "stdout" into a buffer).
    pub fn with_delivery(mut self, delivery: Delivery) -> Watcher {
        self.delivery = delivery;
        self
    }

    /// The compiled rules.
    pub fn rules(&self) -> &RuleSet {
        &self.rules
    }

    /// No enabled rule: evaluation is skipped.
    pub fn is_empty(&self) -> bool {
        self.rules.is_empty()
    }

    /// The rules that fire on a stored event, as alerts (not yet recorded).
    fn alerts_for(&self, se: &StoredEvent, map: &OffsetMap) -> Vec<Alert> {
        let view = EventView {
            event: &se.event,
            published: se.published.as_deref(),
            sentence: &se.sentence_text,
            num_sources: Some(se.num_sources),
        };
        self.rules
            .matches(&view, self.kb)
            .into_iter()
            .map(|(r, why)| {
                let mut a = Alert::new(&r.name, why, se, map);
                if r.dedup == DedupBy::Dyad {
                    a.key = dyad_key(&view);
                }
                a
            })
            .collect()
    }

    /// Whether any rule could fire on an in-memory document (sources not known yet).
    fn doc_may_fire(&self, doc: &Doc) -> bool {
        doc.events.iter().any(|e| {
            let sentence = doc
                .sentences
                .get(e.sentence)
                .and_then(|s| doc.text.get(s.start..s.end))
                .unwrap_or("");
            let view = EventView {
                event: e,
                published: doc.meta.published.as_deref(),
                sentence,
                num_sources: None,
            };
            !self.rules.matches(&view, self.kb).is_empty()
        })
    }

    /// The alerts the new documents of a stored batch fire (not recorded yet). The rules are
    /// first run over the in-memory events; only documents with a candidate firing are read
    /// back from the store (for event ids and source counts).
    fn collect_new(
        &self,
        store: &Store,
        docs: &[Doc],
        inserted: &[Inserted],
        sum: &mut Summary,
    ) -> Result<Vec<Alert>, WatchError> {
        let mut alerts = Vec::new();
        if self.is_empty() {
            return Ok(alerts);
        }
        for (doc, ins) in docs.iter().zip(inserted) {
            sum.events += doc.events.len() as u64;
            if !ins.new || !self.doc_may_fire(doc) {
                continue;
            }
            let map = OffsetMap::new(&doc.text);
            let f = EventFilter {
                article_id: Some(ins.article_id),
                ..Default::default()
            };
            for se in store.events(&f)? {
                alerts.extend(self.alerts_for(&se, &map));
            }
        }
        Ok(alerts)
    }

    /// Call after a batch of documents was stored (`inserted[i]` is `docs[i]`'s result):
    /// evaluates the rules on the events of the new documents, records alerts in `log`
    /// (an [`crate::AlertDb`] on the same database, or a [`MemoryLog`]) and delivers the new
    /// ones. Documents stored before (`new: false`) fire nothing, so re-ingesting a page adds
    /// no alert; another report of an event already alerted raises that alert's count.
    pub fn on_stored(
        &mut self,
        store: &Store,
        log: &mut dyn AlertLog,
        docs: &[Doc],
        inserted: &[Inserted],
    ) -> Result<Summary, WatchError> {
        let mut sum = Summary::default();
        let alerts = self.collect_new(store, docs, inserted, &mut sum)?;
        self.commit(log, alerts, &mut sum);
        self.total.add(&sum);
        Ok(sum)
    }

    /// Evaluates the rules over the stored events that `filter` selects (e.g. `since`),
    /// records alerts in `log` and delivers the new ones; returns the new and updated alerts.
    pub fn run(
        &mut self,
        store: &Store,
        log: &mut dyn AlertLog,
        filter: &EventFilter,
    ) -> Result<(Summary, Vec<Alert>), WatchError> {
        let mut sum = Summary::default();
        let alerts = self.scan(store, filter, &mut sum)?;
        let fired = self.commit(log, alerts, &mut sum);
        self.total.add(&sum);
        Ok((sum, fired))
    }

    /// What the rules would fire on over the stored events `filter` selects: one alert per
    /// rule and key with its count, recorded nowhere and delivered nowhere.
    pub fn test(&self, store: &Store, filter: &EventFilter) -> Result<Vec<Alert>, WatchError> {
        let mut sum = Summary::default();
        let alerts = self.scan(store, filter, &mut sum)?;
        let mut log = MemoryLog::default();
        let mut out: Vec<Alert> = Vec::new();
        let mut at: HashMap<i64, usize> = HashMap::new();
        for mut a in alerts {
            match log.record(&a)? {
                Recorded::New { id } => {
                    a.id = id;
                    at.insert(id, out.len());
                    out.push(a);
                }
                Recorded::Updated { id, count } => {
                    if let Some(x) = at.get(&id).and_then(|&i| out.get_mut(i)) {
                        x.count = count;
                    }
                }
                Recorded::Seen { .. } => {}
            }
        }
        Ok(out)
    }

    fn scan(
        &self,
        store: &Store,
        filter: &EventFilter,
        sum: &mut Summary,
    ) -> Result<Vec<Alert>, WatchError> {
        let mut alerts = Vec::new();
        if self.is_empty() {
            return Ok(alerts);
        }
        let mut hits: Vec<StoredEvent> = Vec::new();
        let empty = OffsetMap::new("");
        store.each_event(filter, &mut |se| {
            sum.events += 1;
            // Offsets come later, from the article, for the few events that fire.
            if !self.alerts_for(&se, &empty).is_empty() {
                hits.push(se);
            }
            Ok(())
        })?;
        let mut maps: HashMap<i64, OffsetMap> = HashMap::new();
        for se in &hits {
            let map = match maps.entry(se.article_id) {
                std::collections::hash_map::Entry::Occupied(o) => o.into_mut(),
                std::collections::hash_map::Entry::Vacant(v) => {
                    let text = store
                        .article(se.article_id)?
                        .map(|d| d.text)
                        .unwrap_or_default();
                    v.insert(OffsetMap::new(&text))
                }
            };
            alerts.extend(self.alerts_for(se, map));
        }
        Ok(alerts)
    }

    /// Records each alert and delivers the new ones; returns the new and updated alerts.
    fn commit(
        &mut self,
        log: &mut dyn AlertLog,
        alerts: Vec<Alert>,
        sum: &mut Summary,
    ) -> Vec<Alert> {
        let mut out = Vec::new();
        for mut a in alerts {
            sum.firings += 1;
            let rec = match log.record(&a) {
                Ok(r) => r,
                Err(e) => {
                    eprintln!(
                        "wirecoder: watch: cannot record an alert of rule {}: {e}",
                        a.rule
                    );
                    continue;
                }
            };
            match rec {
                Recorded::New { id } => {
                    sum.new += 1;
                    a.id = id;
                    let v = a.to_json();
                    let rule_sinks = self
                        .rules
                        .rules()
                        .iter()
                        .find(|r| r.name == a.rule)
                        .map(|r| r.deliver.clone())
                        .unwrap_or_default();
                    let all: Vec<Deliver> = rule_sinks
                        .into_iter()
                        .chain(self.sinks.iter().cloned())
                        .collect();
                    for to in &all {
                        if let Err(e) = self.delivery.send(to, &v) {
                            sum.failed_deliveries += 1;
                            eprintln!("wirecoder: watch: {e}");
                        }
                    }
                    out.push(a);
                }
                Recorded::Updated { id, count } => {
                    sum.updated += 1;
                    a.id = id;
                    a.count = count;
                    out.push(a);
                }
                Recorded::Seen { .. } => sum.seen += 1,
            }
        }
        out
    }
}

impl Summary {
    fn add(&mut self, o: &Summary) {
        self.events += o.events;
        self.firings += o.firings;
        self.new += o.new;
        self.updated += o.updated;
        self.seen += o.seen;
        self.failed_deliveries += o.failed_deliveries;
    }
}

impl std::fmt::Display for Summary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "watch: {} events, {} firings: {} new alerts, {} updated, {} already recorded",
            self.events, self.firings, self.new, self.updated, self.seen
        )?;
        if self.failed_deliveries > 0 {
            write!(f, ", {} deliveries failed", self.failed_deliveries)?;
        }
        Ok(())
    }
}
