//! wirecoder-watch: standing questions over the news, evaluated as events are stored.
//!
//! A watch rule is a TOML table of conditions on an event: actors (with the CAMEO hierarchy:
//! `RUS` covers `RUSGOV` and `RUSMIL`; `*MIL` is any military), dyads, CAMEO codes and roots,
//! PLOVER types and modes, modality, place (country, name, bounding box), thresholds (killed,
//! injured, sources), text in the evidence sentence, and knowledge-base predicates such as
//! `under_arms_embargo(either)`, judged on the event's date against the UN Security Council
//! arms embargo table shipped in `data/kb/un_arms_embargoes.tsv`.
//!
//! Main types: [`Rule`] (read with [`parse_rules`] / [`load_rules`]; a malformed rule is a
//! [`WatchError::Rule`] naming file, line and column), [`RuleSet`] (rules indexed by CAMEO
//! root), [`Watcher`] (rules + sinks, called after each stored batch with
//! [`Watcher::on_stored`], or over the store with [`Watcher::run`] and
//! [`Watcher::test`]), [`Alert`] (one firing per rule and event; re-reports raise its count),
//! [`EmbargoTable`], [`AlertDb`] (rules and alerts in the event database), [`Delivery`]
//! (stdout, JSONL file, local webhook).
//!
//! ```
//! use wirecoder_doc::{ActorRef, Event, Modality, Span};
//! use wirecoder_watch::{parse_rules, EmbargoTable, EventView};
//!
//! let rules = parse_rules("example.toml", r#"
//!     name = "embargoed-arms-transfer"
//!     cameo = ["062", "072"]
//!     kb = ["under_arms_embargo(either)"]
//! "#)?;
//! let actor = |code: &str| ActorRef { text: code.into(), actor: Some(code.into()), span: None };
//! let event = Event {
//!     source: actor("PRK"), target: Some(actor("RUS")),
//!     cameo: "072".into(), goldstein: 6.0, quad_class: 2,
//!     plover: Some("AID".into()), mode: Some("military".into()), modality: Modality::Asserted,
//!     date: Some("2024-01-02".into()), place: None, killed: None, injured: None, weapon: None,
//!     sentence: 0, evidence: Span::new(0, 0),
//! };
//! let view = EventView { event: &event, published: None, sentence: "", num_sources: Some(1) };
//! let why = rules[0].evaluate(&view, EmbargoTable::builtin()).expect("fires");
//! assert!(why[0].starts_with("PRK under UN arms embargo"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
#![deny(missing_docs)]

mod alert;
mod db;
mod embargo;
mod error;
mod eval;
mod rule;
mod sink;
mod watcher;

pub use alert::{dedup_key, dyad_key, Alert, AlertLog, MemoryLog, Recorded};
pub use db::{AlertDb, AlertQuery, RuleRow, StoredAlert};
pub use embargo::{Embargo, EmbargoTable, Scope};
pub use error::WatchError;
pub use eval::{EventView, RuleSet};
pub use rule::{
    load_rules, normalize_day, parse_rules, ActorPat, CameoPat, DedupBy, Deliver, KbCall,
    KbPredicate, Rule, Side, PLOVER_TYPES,
};
pub use sink::Delivery;
pub use watcher::{Summary, Watcher};
