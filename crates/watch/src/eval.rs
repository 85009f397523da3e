//! Rules compiled into a set indexed by CAMEO root, and evaluated against events.

use chrono::NaiveDate;
use wirecoder_doc::Event;

use crate::embargo::EmbargoTable;
use crate::rule::{normalize_day, Conditions, KbCall, KbPredicate, Rule, Side};

/// What a rule sees of an event.
#[derive(Debug, Clone, Copy)]
pub struct EventView<'a> {
    /// The event.
    pub event: &'a Event,
    /// The article's publication date (the event's date when it has none).
    pub published: Option<&'a str>,
    /// The text of the event's sentence (what `text` and `regex` search).
    pub sentence: &'a str,
    /// Distinct sources reporting the event; `None` when not known yet (then `min_sources`
    /// is taken as met, and checked again once the event is stored).
    pub num_sources: Option<u32>,
}

impl EventView<'_> {
    /// The day the event happened: its own date, else the article's.
    pub fn day(&self) -> Option<NaiveDate> {
        self.event
            .date
            .as_deref()
            .and_then(normalize_day)
            .or_else(|| self.published.and_then(normalize_day))
    }
}

/// Contains `needle` (lower case) as whole words, ASCII case-insensitively, in `hay`.
fn has_phrase(hay: &str, needle: &str) -> bool {
    let lower;
    let h = if hay.bytes().any(|b| b.is_ascii_uppercase()) {
        lower = hay.to_lowercase();
        lower.as_str()
    } else {
        hay
    };
    h.match_indices(needle).any(|(i, m)| {
        let before = h[..i].chars().next_back();
        let after = h[i + m.len()..].chars().next();
        !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
    })
}

fn kb_holds(call: &KbCall, v: &EventView<'_>, kb: &EmbargoTable, why: &mut Vec<String>) -> bool {
    let Some(day) = v.day() else {
        // Without a date the predicate cannot be judged: it fails (and `not …` fails too).
        return false;
    };
    let side_hit = |code: Option<&str>, text: &str| -> Option<String> {
        match call.name {
            KbPredicate::UnderArmsEmbargo => kb.covering(code.unwrap_or(""), text, day).map(|e| {
                format!(
                    "{} under UN arms embargo: {}",
                    code.unwrap_or(text),
                    e.label()
                )
            }),
        }
    };
    let e = v.event;
    let src = side_hit(e.source.actor.as_deref(), &e.source.text);
    let tgt = e
        .target
        .as_ref()
        .and_then(|t| side_hit(t.actor.as_deref(), &t.text));
    let hit = match call.side {
        Side::Source => src.is_some(),
        Side::Target => tgt.is_some(),
        Side::Either => src.is_some() || tgt.is_some(),
        Side::Both => src.is_some() && tgt.is_some(),
    };
    if hit == call.negated {
        return false;
    }
    if !call.negated {
        why.extend(src.into_iter().chain(tgt));
    }
    true
}

/// Whether every condition of `c` holds; reasons for knowledge-base hits go to `why`.
pub(crate) fn conditions_hold(
    c: &Conditions,
    v: &EventView<'_>,
    kb: &EmbargoTable,
    why: &mut Vec<String>,
) -> bool {
    let e = v.event;
    let src = e.source.actor.as_deref();
    let tgt = e.target.as_ref().and_then(|t| t.actor.as_deref());
    // Cheap, selective checks first.
    if !c.cameo.is_empty() && !c.cameo.iter().any(|p| e.cameo.starts_with(p.0.as_str())) {
        return false;
    }
    if !c.plover.is_empty()
        && !c
            .plover
            .iter()
            .any(|p| e.plover.as_deref() == Some(p.0.as_str()))
    {
        return false;
    }
    if !c.mode.is_empty() {
        let m = e.mode.as_deref().unwrap_or("");
        if !c
            .mode
            .iter()
            .any(|x| m.split(';').any(|part| part.trim() == x.0))
        {
            return false;
        }
    }
    if !c.modality.is_empty() && !c.modality.iter().any(|m| m.0 == e.modality) {
        return false;
    }
    if !c.actor.is_empty() && !c.actor.iter().any(|p| p.matches(src) || p.matches(tgt)) {
        return false;
    }
    if !c.source.is_empty() && !c.source.iter().any(|p| p.matches(src)) {
        return false;
    }
    if !c.target.is_empty() && !c.target.iter().any(|p| p.matches(tgt)) {
        return false;
    }
    if !c.dyad.is_empty() && !c.dyad.iter().any(|d| d.matches(src, tgt)) {
        return false;
    }
    if let Some(n) = c.min_killed {
        if e.killed.is_none_or(|k| k < n) {
            return false;
        }
    }
    if let Some(n) = c.min_injured {
        if e.injured.is_none_or(|k| k < n) {
            return false;
        }
    }
    if let Some(n) = c.min_sources {
        if v.num_sources.is_some_and(|s| s < n) {
            return false;
        }
    }
    if !c.country.is_empty() {
        let country = e.place.as_ref().and_then(|p| p.country.as_deref());
        if !c.country.iter().any(|x| Some(x.0.as_str()) == country) {
            return false;
        }
    }
    if !c.place.is_empty() {
        let name = e.place.as_ref().map(|p| p.name.to_lowercase());
        if !c
            .place
            .iter()
            .any(|x| name.as_deref() == Some(x.0.as_str()))
        {
            return false;
        }
    }
    if let Some([min_lon, min_lat, max_lon, max_lat]) = c.bbox {
        let inside = e.place.as_ref().is_some_and(|p| match (p.lon, p.lat) {
            (Some(lon), Some(lat)) => {
                (min_lon..=max_lon).contains(&lon) && (min_lat..=max_lat).contains(&lat)
            }
            _ => false,
        });
        if !inside {
            return false;
        }
    }
    if c.since.is_some() || c.until.is_some() {
        let Some(day) = v.day() else {
            return false;
        };
        if c.since.is_some_and(|s| day < s) || c.until.is_some_and(|u| day > u) {
            return false;
        }
    }
    if !c.weapon.is_empty() {
        let w = e.weapon.as_deref().unwrap_or("");
        if !c.weapon.iter().any(|x| has_phrase(w, &x.0)) {
            return false;
        }
    }
    if !c.text.is_empty() && !c.text.iter().any(|x| has_phrase(v.sentence, &x.0)) {
        return false;
    }
    if let Some(re) = &c.regex {
        if !re.is_match(v.sentence) {
            return false;
        }
    }
    let mut local = Vec::new();
    for call in &c.kb {
        if !kb_holds(call, v, kb, &mut local) {
            return false;
        }
    }
    why.extend(local);
    true
}

impl Rule {
    /// Whether the rule fires on the event; `Some(reasons)` when it does (the reasons name the
    /// knowledge-base facts that made it fire; empty when none were asked).
    pub fn evaluate(&self, v: &EventView<'_>, kb: &EmbargoTable) -> Option<Vec<String>> {
        if !self.enabled {
            return None;
        }
        let mut why = Vec::new();
        if !conditions_hold(&self.all, v, kb, &mut why) {
            return None;
        }
        if !self.any.is_empty() && !self.any.iter().any(|a| conditions_hold(a, v, kb, &mut why)) {
            return None;
        }
        why.dedup();
        Some(why)
    }
}

/// Rules indexed by the CAMEO root they can match, so that an event is checked only against
/// the rules of its root (and those that match any root).
#[derive(Debug, Clone, Default)]
pub struct RuleSet {
    rules: Vec<Rule>,
    /// Rule indices per root `01`..`20` (slot 0: codes without a valid root).
    by_root: Vec<Vec<usize>>,
}

impl RuleSet {
    /// Compiles `rules` (disabled ones are kept but never indexed).
    pub fn new(rules: Vec<Rule>) -> RuleSet {
        let mut by_root = vec![Vec::new(); 21];
        for (i, r) in rules.iter().enumerate() {
            if !r.enabled {
                continue;
            }
            match r.roots() {
                None => by_root.iter_mut().for_each(|l| l.push(i)),
                Some(roots) => {
                    for root in roots {
                        if let Ok(n) = root.parse::<usize>() {
                            if let Some(l) = by_root.get_mut(n) {
                                l.push(i);
                            }
                        }
                    }
                }
            }
        }
        RuleSet { rules, by_root }
    }

    /// Every rule.
    pub fn rules(&self) -> &[Rule] {
        &self.rules
    }

    /// No rule at all (evaluation can be skipped).
    pub fn is_empty(&self) -> bool {
        self.by_root.iter().all(Vec::is_empty)
    }

    /// The rules that fire on the event, with their reasons.
    pub fn matches<'r>(
        &'r self,
        v: &EventView<'_>,
        kb: &EmbargoTable,
    ) -> Vec<(&'r Rule, Vec<String>)> {
        let root = v
            .event
            .cameo
            .get(..2)
            .and_then(|r| r.parse::<usize>().ok())
            .filter(|n| (1..=20).contains(n))
            .unwrap_or(0);
        let Some(candidates) = self.by_root.get(root) else {
            return Vec::new();
        };
        candidates
            .iter()
            .filter_map(|&i| {
                let r = self.rules.get(i)?;
                r.evaluate(v, kb).map(|why| (r, why))
            })
            .collect()
    }
}
