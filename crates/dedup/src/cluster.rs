//! Incremental event clustering: every coded event joins the open cluster that describes
//! the same happening (compatible dyad, code, date and place, similar evidence) or opens a new
//! one. Clusters are blocked by (source country, target country, CAMEO root) and indexed by
//! date inside a block, so one `add` costs a hash lookup plus an ordered range scan:
//! O(log n + k) for k clusters of the block within the date window.

use crate::hash::{fnv1a, mix, words};
use chrono::{Datelike, NaiveDate};
use std::collections::{BTreeMap, HashMap};
use wirecoder_doc::{Doc, Event, Span};

/// The id of an event cluster (a canonical event).
pub type ClusterId = u64;

/// A day interval `[first, last]` (days since 0001-01-01), from a TIMEX value of any
/// granularity: `2024-01-09` is one day, `2024-W01` seven, `2023-09` a month, `2006` a year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct DateRange {
    /// First day.
    pub first: i32,
    /// Last day (inclusive).
    pub last: i32,
}

impl DateRange {
    /// One day.
    pub fn day(d: NaiveDate) -> DateRange {
        let n = d.num_days_from_ce();
        DateRange { first: n, last: n }
    }

    /// Parses a TIMEX3-style value (`2024-01-09`, `2024-01-09T10:00`, `2024-W01`, `2023-09`,
    /// `2006`); `None` for anything else (`PRESENT_REF`, `XXXX-12-25`, …).
    pub fn parse(v: &str) -> Option<DateRange> {
        let v = v.trim();
        let year: i32 = v.get(..4)?.parse().ok()?;
        let rest = v.get(4..).unwrap_or("");
        if rest.is_empty() {
            let a = NaiveDate::from_ymd_opt(year, 1, 1)?;
            let b = NaiveDate::from_ymd_opt(year, 12, 31)?;
            return Some(DateRange::between(a, b));
        }
        if let Some(w) = rest.strip_prefix("-W") {
            let week: u32 = w.get(..2)?.parse().ok()?;
            let a = NaiveDate::from_isoywd_opt(year, week, chrono::Weekday::Mon)?;
            let b = NaiveDate::from_isoywd_opt(year, week, chrono::Weekday::Sun)?;
            return Some(DateRange::between(a, b));
        }
        let month: u32 = rest.strip_prefix('-')?.get(..2)?.parse().ok()?;
        let rest = rest.get(3..).unwrap_or("");
        if rest.is_empty() {
            let a = NaiveDate::from_ymd_opt(year, month, 1)?;
            let (ny, nm) = if month == 12 {
                (year + 1, 1)
            } else {
                (year, month + 1)
            };
            let b = NaiveDate::from_ymd_opt(ny, nm, 1)?.pred_opt()?;
            return Some(DateRange::between(a, b));
        }
        let day: u32 = rest.strip_prefix('-')?.get(..2)?.parse().ok()?;
        Some(DateRange::day(NaiveDate::from_ymd_opt(year, month, day)?))
    }

    fn between(a: NaiveDate, b: NaiveDate) -> DateRange {
        DateRange {
            first: a.num_days_from_ce(),
            last: b.num_days_from_ce(),
        }
    }

    /// Number of days covered minus one (0 for a day).
    pub fn width(&self) -> i32 {
        self.last - self.first
    }

    /// Whether the two intervals, widened by `tol` days, overlap.
    pub fn compatible(&self, other: &DateRange, tol: i32) -> bool {
        self.first - tol <= other.last && other.first - tol <= self.last
    }

    /// The TIMEX value of a one-day range, else `first/last` as ISO dates.
    pub fn to_timex(&self) -> String {
        let f = NaiveDate::from_num_days_from_ce_opt(self.first);
        let l = NaiveDate::from_num_days_from_ce_opt(self.last);
        match (f, l) {
            (Some(f), _) if self.first == self.last => f.to_string(),
            (Some(f), Some(l)) => format!("{f}/{l}"),
            _ => String::new(),
        }
    }
}

/// One event mention as the clusterer sees it: what it needs to compare, count and show.
#[derive(Debug, Clone, PartialEq)]
pub struct EventKey {
    /// Stable id of this mention (e.g. article id × event index): adding it again is a no-op.
    pub mention: u64,
    /// Id of the article that reports it.
    pub article: u64,
    /// Site or domain of the article (counted by `num_sources`).
    pub site: Option<String>,
    /// When the article was published or seen (ISO 8601, compared as text).
    pub seen: Option<String>,
    /// Source CAMEO actor code (`RUSMIL`).
    pub source: Option<String>,
    /// Target CAMEO actor code.
    pub target: Option<String>,
    /// CAMEO event code (`190`, `1831`).
    pub cameo: String,
    /// When it happened.
    pub date: Option<DateRange>,
    /// Where: a place name or country code, lower-cased.
    pub place: Option<String>,
    /// The evidence text.
    pub evidence: String,
    /// The evidence span in the article.
    pub span: Option<Span>,
    /// Modality word (`asserted`, `alleged`, …).
    pub modality: String,
}

impl EventKey {
    /// The key of `doc.events[index]`, `article` being the article's id in the store. The
    /// date falls back to the two days before publication when the event has none.
    pub fn from_event(doc: &Doc, index: usize, article: u64) -> Option<EventKey> {
        let e: &Event = doc.events.get(index)?;
        let published = doc.meta.published.as_deref();
        let date = e.date.as_deref().and_then(DateRange::parse).or_else(|| {
            let p = published.and_then(DateRange::parse)?;
            Some(DateRange {
                first: p.first - 2,
                last: p.last,
            })
        });
        let site = site_of(&doc.meta);
        Some(EventKey {
            mention: mix(article ^ mix(index as u64 + 1)),
            article,
            site,
            seen: published.map(str::to_string),
            source: e.source.actor.clone(),
            target: e.target.as_ref().and_then(|t| t.actor.clone()),
            cameo: e.cameo.clone(),
            date,
            place: e
                .place
                .as_ref()
                .map(|p| p.country.clone().unwrap_or_else(|| p.name.to_lowercase())),
            evidence: doc
                .text
                .get(e.evidence.start..e.evidence.end)
                .unwrap_or("")
                .to_string(),
            span: Some(e.evidence),
            modality: e.modality.as_str().to_string(),
        })
    }
}

/// The source an article counts for in `num_sources`: its site, else its URL's host (without
/// `www.`); `None` when it has neither.
pub fn site_of(meta: &wirecoder_doc::Meta) -> Option<String> {
    meta.site.clone().or_else(|| {
        let url = meta.url.as_deref()?;
        let host = url.split("://").nth(1)?.split('/').next()?;
        Some(host.trim_start_matches("www.").to_lowercase())
    })
}

/// One report of a canonical event.
#[derive(Debug, Clone, PartialEq)]
pub struct Evidence {
    /// The article.
    pub article: u64,
    /// The mention id.
    pub mention: u64,
    /// Where in the article.
    pub span: Option<Span>,
    /// The words.
    pub text: String,
}

/// An event as all its reports tell it, in the manner of a GDELT event row.
#[derive(Debug, Clone, PartialEq)]
pub struct CanonicalEvent {
    /// Cluster id.
    pub id: ClusterId,
    /// Most specific source actor code reported.
    pub source: Option<String>,
    /// Most specific target actor code reported.
    pub target: Option<String>,
    /// The code most reports give (the more specific one on a tie).
    pub cameo: String,
    /// The most precise date reported (TIMEX day, or `first/last`).
    pub date: Option<String>,
    /// Place.
    pub place: Option<String>,
    /// Mentions (events coded), all articles together.
    pub num_mentions: u32,
    /// Distinct sites.
    pub num_sources: u32,
    /// Distinct articles.
    pub num_articles: u32,
    /// Earliest `seen` of its reports.
    pub first_seen: Option<String>,
    /// Latest `seen` of its reports.
    pub last_seen: Option<String>,
    /// Every report's evidence.
    pub evidence: Vec<Evidence>,
    /// 1 − ½ⁿ over n independent sources (an unsourced article counts as its own source),
    /// halved when no report asserts it.
    pub confidence: f64,
}

/// Tuning of [`EventClusterer`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ClusterParams {
    /// Days of slack around dates (a report's "yesterday" may be off by one).
    pub date_tolerance: i32,
    /// Minimum score to join a cluster (see [`EventClusterer::score`]).
    pub threshold: f64,
}

impl Default for ClusterParams {
    fn default() -> Self {
        ClusterParams {
            date_tolerance: 1,
            threshold: 0.45,
        }
    }
}

/// What a canonical event keeps to judge a new mention: its dyad, place, date, codes,
/// evidence words and whether any report asserts it. [`EventClusterer`] holds one per open
/// cluster; the store persists one per `canonical_events` row and scores new mentions against
/// it with [`CanonicalSummary::score`], so that both apply the same rules.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct CanonicalSummary {
    /// The narrowest date reported (`None`: undated, joined by no later mention).
    pub anchor: Option<DateRange>,
    /// Most specific source actor code reported.
    pub source: Option<String>,
    /// Most specific target actor code reported.
    pub target: Option<String>,
    /// Place key (country code, else lower-cased place name) of the first report with one.
    pub place: Option<String>,
    /// CAMEO codes reported, with how many mentions gave each, in first-seen order.
    pub codes: Vec<(String, u32)>,
    /// Content-word hashes of the evidence (sorted, at most 64).
    pub words: Vec<u32>,
    /// Whether any report asserts the event.
    pub asserted: bool,
}

impl CanonicalSummary {
    /// The summary of a cluster that `k` opens (before `k` joins it: call
    /// [`CanonicalSummary::absorb`] next).
    pub fn opened_by(k: &EventKey) -> CanonicalSummary {
        CanonicalSummary {
            anchor: k.date,
            ..Default::default()
        }
    }

    /// How well `k` fits, in [0, 1]; `None` when dyad, place or date conflict or either is
    /// undated. Half from the code (same 1, parent/child 0.75, siblings 0.25), half from the
    /// Jaccard similarity of the evidence words, plus 0.1 for the same exact day. A mention
    /// joins the best-scoring candidate at or above [`ClusterParams::threshold`].
    pub fn score(&self, k: &EventKey, params: &ClusterParams) -> Option<f64> {
        self.score_words(k, &word_set(&k.evidence), params)
    }

    fn score_words(&self, k: &EventKey, kw: &[u32], params: &ClusterParams) -> Option<f64> {
        let (anchor, kd) = (self.anchor?, k.date?);
        merge_actor(&self.source, &k.source).ok()?;
        merge_actor(&self.target, &k.target).ok()?;
        if let (Some(a), Some(b)) = (&self.place, &k.place) {
            if a != b {
                return None;
            }
        }
        if !anchor.compatible(&kd, params.date_tolerance) {
            return None;
        }
        let code = self
            .codes
            .iter()
            .map(|(x, _)| code_sim(x, &k.cameo))
            .fold(0.0, f64::max);
        let same_day = anchor.width() == 0 && kd == anchor;
        Some(0.5 * code + 0.5 * jaccard(&self.words, kw) + if same_day { 0.1 } else { 0.0 })
    }

    /// Takes `k` in: actors narrow along the hierarchy, the first place sticks, the code is
    /// counted, evidence words are added (bounded), and a narrower compatible date re-anchors.
    /// Returns true when the anchor changed.
    pub fn absorb(&mut self, k: &EventKey, params: &ClusterParams) -> bool {
        self.absorb_words(k, word_set(&k.evidence), params)
    }

    fn absorb_words(&mut self, k: &EventKey, kw: Vec<u32>, params: &ClusterParams) -> bool {
        self.source = merge_actor(&self.source, &k.source).unwrap_or(self.source.take());
        self.target = merge_actor(&self.target, &k.target).unwrap_or(self.target.take());
        if self.place.is_none() {
            self.place = k.place.clone();
        }
        match self.codes.iter_mut().find(|(x, _)| *x == k.cameo) {
            Some((_, n)) => *n += 1,
            None => self.codes.push((k.cameo.clone(), 1)),
        }
        if self.words.len() < MAX_WORDS {
            self.words.extend(kw);
            self.words.sort_unstable();
            self.words.dedup();
            self.words.truncate(MAX_WORDS);
        }
        self.asserted |= k.modality == "asserted";
        if let (Some(d), Some(a)) = (k.date, self.anchor) {
            if d.width() < a.width() && a.compatible(&d, params.date_tolerance) {
                self.anchor = Some(d);
                return true;
            }
        }
        false
    }

    /// The code most reports give (the more specific one on a tie).
    pub fn cameo(&self) -> String {
        self.codes
            .iter()
            .max_by(|a, b| a.1.cmp(&b.1).then(a.0.len().cmp(&b.0.len())))
            .map(|(x, _)| x.clone())
            .unwrap_or_default()
    }

    /// The codes as text for storage: `190:2 195:1`.
    pub fn codes_text(&self) -> String {
        let v: Vec<String> = self.codes.iter().map(|(c, n)| format!("{c}:{n}")).collect();
        v.join(" ")
    }

    /// The evidence words as text for storage: hexadecimal hashes separated by spaces.
    pub fn words_text(&self) -> String {
        let v: Vec<String> = self.words.iter().map(|w| format!("{w:x}")).collect();
        v.join(" ")
    }

    /// Reads [`CanonicalSummary::codes_text`] back; malformed items are dropped.
    pub fn parse_codes(s: &str) -> Vec<(String, u32)> {
        s.split_whitespace()
            .filter_map(|it| {
                let (c, n) = it.rsplit_once(':')?;
                Some((c.to_string(), n.parse().ok()?))
            })
            .collect()
    }

    /// Reads [`CanonicalSummary::words_text`] back; malformed items are dropped.
    pub fn parse_words(s: &str) -> Vec<u32> {
        let mut v: Vec<u32> = s
            .split_whitespace()
            .filter_map(|w| u32::from_str_radix(w, 16).ok())
            .collect();
        v.sort_unstable();
        v.dedup();
        v
    }
}

/// The block of a mention: source country, target country and CAMEO root
/// (`RUS|UKR|19`). Only mentions of one block are compared; the store keys its candidate
/// lookups (and PostgreSQL's advisory locks) on it.
pub fn block_of(k: &EventKey) -> String {
    let root = k.cameo.get(..2).unwrap_or(&k.cameo);
    format!("{}|{}|{}", country(&k.source), country(&k.target), root)
}

/// Confidence of a canonical event: 1 − ½ⁿ over n independent sources, halved when no report
/// asserts it.
pub fn confidence(sources: u32, asserted: bool) -> f64 {
    let n = i32::try_from(sources).unwrap_or(i32::MAX);
    let c = 1.0 - 0.5f64.powi(n);
    if asserted {
        c
    } else {
        c * 0.5
    }
}

#[derive(Debug, Clone)]
struct Cluster {
    block: u64,
    summary: CanonicalSummary,
    articles: Vec<u64>,
    sites: Vec<String>,
    mentions: Vec<u64>,
    first_seen: Option<String>,
    last_seen: Option<String>,
    evidence: Vec<Evidence>,
}

impl Cluster {
    /// The key under which the block's date index holds it (undated: none).
    fn date_key(&self) -> Option<i32> {
        self.summary.anchor.map(|a| a.first)
    }
}

#[derive(Debug, Default, Clone)]
struct Block {
    /// (anchor.first, cluster) → (); ordered by date for window scans.
    by_date: BTreeMap<(i32, ClusterId), ()>,
    max_width: i32,
}

/// Incremental clusterer of event mentions into canonical events.
///
/// ```
/// use wirecoder_dedup::{DateRange, EventClusterer, EventKey};
/// let key = |mention, article, site: &str, src: &str, code: &str, date: &str, ev: &str| EventKey {
///     mention, article, site: Some(site.into()), seen: Some("2024-01-10".into()),
///     source: Some(src.into()), target: Some("UKR".into()), cameo: code.into(),
///     date: DateRange::parse(date), place: None, evidence: ev.into(), span: None,
///     modality: "asserted".into(),
/// };
/// let mut c = EventClusterer::new();
/// let a = c.add(key(1, 10, "reuters.com", "RUSMIL", "195", "2024-01-09", "Russian forces launched missiles"));
/// let b = c.add(key(2, 11, "apnews.com", "RUS", "190", "2024-01-09", "Russia launched missiles at Ukraine"));
/// let d = c.add(key(3, 12, "bbc.co.uk", "RUS", "190", "2023-05-01", "Russia attacked Ukraine"));
/// assert_eq!(a, b);
/// assert_ne!(a, d);
/// let e = c.canonical(a).unwrap();
/// assert_eq!((e.num_mentions, e.num_sources, e.num_articles), (2, 2, 2));
/// assert_eq!(e.source.as_deref(), Some("RUSMIL"));
/// ```
#[derive(Debug, Clone, Default)]
pub struct EventClusterer {
    params: ClusterParams,
    next: ClusterId,
    clusters: HashMap<ClusterId, Cluster>,
    blocks: HashMap<u64, Block>,
    mentions: HashMap<u64, ClusterId>,
}

/// Normalized CAMEO code: `190` → `19` (a level-3 code ending in 0 is its root's "not
/// specified"), so that parent/child is a prefix test.
fn norm_code(c: &str) -> &str {
    if c.len() == 3 && c.ends_with('0') {
        &c[..2]
    } else {
        c
    }
}

fn code_sim(a: &str, b: &str) -> f64 {
    let (a, b) = (norm_code(a), norm_code(b));
    if a == b {
        1.0
    } else if a.starts_with(b) || b.starts_with(a) {
        0.75
    } else if a.get(..2) == b.get(..2) {
        0.25
    } else {
        0.0
    }
}

/// Actor hierarchy: `RUS` covers `RUSMIL`, `RUSMIL` does not cover `RUSGOV`; the more
/// specific one on success.
fn merge_actor(a: &Option<String>, b: &Option<String>) -> Result<Option<String>, ()> {
    match (a, b) {
        (None, x) | (x, None) => Ok(x.clone()),
        (Some(a), Some(b)) if a.starts_with(b.as_str()) => Ok(Some(a.clone())),
        (Some(a), Some(b)) if b.starts_with(a.as_str()) => Ok(Some(b.clone())),
        _ => Err(()),
    }
}

fn country(a: &Option<String>) -> &str {
    a.as_deref().and_then(|s| s.get(..3)).unwrap_or("")
}

/// Content-word hashes of the evidence, sorted and deduplicated (stopwords and short words
/// dropped: they make unrelated reports look alike).
fn word_set(text: &str) -> Vec<u32> {
    const STOP: &[&str] = &[
        "the", "and", "that", "with", "from", "for", "was", "were", "has", "have", "had", "said",
        "says", "will", "would", "its", "his", "her", "their", "they", "this", "into", "after",
        "over", "been", "are", "not", "but", "also", "who", "which", "on", "in", "of", "to",
    ];
    let mut v: Vec<u32> = words(text)
        .filter(|w| w.len() > 2 && !STOP.contains(&w.as_str()))
        .map(|w| {
            // a crude stem so that "attacked" meets "attack"
            let s = w
                .strip_suffix("ing")
                .or_else(|| w.strip_suffix("ed"))
                .or_else(|| w.strip_suffix('s'))
                .unwrap_or(&w);
            fnv1a(s.as_bytes()) as u32
        })
        .collect();
    v.sort_unstable();
    v.dedup();
    v
}

fn jaccard(a: &[u32], b: &[u32]) -> f64 {
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    let (mut i, mut j, mut inter) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                inter += 1;
                i += 1;
                j += 1;
            }
        }
    }
    inter as f64 / (a.len() + b.len() - inter) as f64
}

/// Words kept per cluster for similarity: enough for a lead sentence, bounded.
const MAX_WORDS: usize = 64;

impl EventClusterer {
    /// Default parameters.
    pub fn new() -> Self {
        Self::with_params(ClusterParams::default())
    }

    /// Custom parameters.
    pub fn with_params(params: ClusterParams) -> Self {
        EventClusterer {
            params,
            next: 1,
            ..Default::default()
        }
    }

    /// Number of open clusters.
    pub fn open_clusters(&self) -> usize {
        self.clusters.len()
    }

    fn block_key(k: &EventKey) -> u64 {
        fnv1a(block_of(k).as_bytes())
    }

    /// Adds one mention; returns its cluster. Adding a mention id already present changes
    /// nothing and returns the same cluster.
    pub fn add(&mut self, k: EventKey) -> ClusterId {
        if let Some(&id) = self.mentions.get(&k.mention) {
            return id;
        }
        let block = Self::block_key(&k);
        let kw = word_set(&k.evidence);
        let mut best: Option<(ClusterId, f64)> = None;
        if let (Some(kd), Some(b)) = (k.date, self.blocks.get(&block)) {
            let tol = self.params.date_tolerance;
            let lo = kd.first - tol - b.max_width;
            let hi = kd.last + tol;
            for (&(_, id), _) in b.by_date.range((lo, 0)..=(hi, ClusterId::MAX)) {
                let Some(c) = self.clusters.get(&id) else {
                    continue;
                };
                if let Some(s) = c.summary.score_words(&k, &kw, &self.params) {
                    if s >= self.params.threshold && best.is_none_or(|(_, b)| s > b) {
                        best = Some((id, s));
                    }
                }
            }
        }
        let id = match best {
            Some((id, _)) => id,
            None => self.open(block, &k),
        };
        self.join(id, k, kw);
        id
    }

    fn open(&mut self, block: u64, k: &EventKey) -> ClusterId {
        let id = self.next;
        self.next += 1;
        // An undated mention gets no anchor: no window reaches it, it stays alone.
        let summary = CanonicalSummary::opened_by(k);
        if let Some(anchor) = summary.anchor {
            let b = self.blocks.entry(block).or_default();
            b.by_date.insert((anchor.first, id), ());
            b.max_width = b.max_width.max(anchor.width());
        }
        self.clusters.insert(
            id,
            Cluster {
                block,
                summary,
                articles: Vec::new(),
                sites: Vec::new(),
                mentions: Vec::new(),
                first_seen: None,
                last_seen: None,
                evidence: Vec::new(),
            },
        );
        id
    }

    fn join(&mut self, id: ClusterId, k: EventKey, kw: Vec<u32>) {
        let Some(c) = self.clusters.get_mut(&id) else {
            return;
        };
        self.mentions.insert(k.mention, id);
        c.mentions.push(k.mention);
        let before = c.date_key();
        // A narrower date re-anchors the cluster in its block's date index.
        if c.summary.absorb_words(&k, kw, &self.params) {
            if let (Some(b), Some(old), Some(new)) =
                (self.blocks.get_mut(&c.block), before, c.date_key())
            {
                b.by_date.remove(&(old, id));
                b.by_date.insert((new, id), ());
            }
        }
        if let Err(i) = c.articles.binary_search(&k.article) {
            c.articles.insert(i, k.article);
        }
        let site = k.site.clone().unwrap_or_else(|| format!("#{}", k.article));
        if !c.sites.contains(&site) {
            c.sites.push(site);
        }
        if let Some(s) = &k.seen {
            if c.first_seen.as_ref().is_none_or(|f| s < f) {
                c.first_seen = Some(s.clone());
            }
            if c.last_seen.as_ref().is_none_or(|l| s > l) {
                c.last_seen = Some(s.clone());
            }
        }
        c.evidence.push(Evidence {
            article: k.article,
            mention: k.mention,
            span: k.span,
            text: k.evidence,
        });
    }

    /// The canonical event of an open cluster.
    pub fn canonical(&self, id: ClusterId) -> Option<CanonicalEvent> {
        self.clusters.get(&id).map(|c| canonical(id, c))
    }

    /// Every open cluster's canonical event, by id.
    pub fn canonical_events(&self) -> Vec<CanonicalEvent> {
        let mut ids: Vec<_> = self.clusters.keys().copied().collect();
        ids.sort_unstable();
        ids.into_iter().filter_map(|i| self.canonical(i)).collect()
    }

    /// Closes every cluster whose date ends before day `before` (see [`DateRange`]; e.g. a
    /// month behind the newest article) and returns them for storage: the clusterer then
    /// holds memory for open clusters only. Undated clusters close too.
    pub fn close_before(&mut self, before: i32) -> Vec<CanonicalEvent> {
        let ids: Vec<ClusterId> = self
            .clusters
            .iter()
            .filter(|(_, c)| c.summary.anchor.is_none_or(|a| a.last < before))
            .map(|(&i, _)| i)
            .collect();
        let mut out = Vec::with_capacity(ids.len());
        for id in ids {
            if let Some(c) = self.clusters.remove(&id) {
                if let (Some(b), Some(first)) = (self.blocks.get_mut(&c.block), c.date_key()) {
                    b.by_date.remove(&(first, id));
                    if b.by_date.is_empty() {
                        self.blocks.remove(&c.block);
                    }
                }
                for m in &c.mentions {
                    self.mentions.remove(m);
                }
                out.push(canonical(id, &c));
            }
        }
        out.sort_by_key(|e| e.id);
        out
    }
}

fn canonical(id: ClusterId, c: &Cluster) -> CanonicalEvent {
    let s = &c.summary;
    CanonicalEvent {
        id,
        source: s.source.clone(),
        target: s.target.clone(),
        cameo: s.cameo(),
        date: s.anchor.map(|a| a.to_timex()),
        place: s.place.clone(),
        num_mentions: c.mentions.len() as u32,
        num_sources: c.sites.len() as u32,
        num_articles: c.articles.len() as u32,
        first_seen: c.first_seen.clone(),
        last_seen: c.last_seen.clone(),
        evidence: c.evidence.clone(),
        confidence: confidence(c.sites.len() as u32, s.asserted),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(
        mention: u64,
        article: u64,
        src: &str,
        tgt: &str,
        code: &str,
        date: &str,
        ev: &str,
    ) -> EventKey {
        EventKey {
            mention,
            article,
            site: Some(format!("site{article}")),
            seen: Some(format!("2024-01-{:02}", 9 + article % 3)),
            source: Some(src.into()),
            target: Some(tgt.into()),
            cameo: code.into(),
            date: DateRange::parse(date),
            place: None,
            evidence: ev.into(),
            span: None,
            modality: "asserted".into(),
        }
    }

    #[test]
    fn dates_of_every_granularity() {
        let d = DateRange::parse("2024-01-09").unwrap();
        assert_eq!(d.width(), 0);
        assert_eq!(DateRange::parse("2023-09").unwrap().width(), 29);
        assert_eq!(DateRange::parse("2024-02").unwrap().width(), 28);
        assert_eq!(DateRange::parse("2024-W01").unwrap().width(), 6);
        assert_eq!(DateRange::parse("2006").unwrap().width(), 364);
        assert!(DateRange::parse("2024-W02").unwrap().compatible(&d, 1));
        assert!(!DateRange::parse("2024-W03").unwrap().compatible(&d, 1));
        assert!(DateRange::parse("PRESENT_REF").is_none());
        assert_eq!(d.to_timex(), "2024-01-09");
    }

    #[test]
    fn hierarchy_codes_and_dates_decide() {
        let mut c = EventClusterer::new();
        let a = c.add(key(
            1,
            1,
            "RUSMIL",
            "UKR",
            "195",
            "2024-01-09",
            "Russian troops shelled Kharkiv",
        ));
        // parent actor, parent code, next day: same event
        let b = c.add(key(
            2,
            2,
            "RUS",
            "UKR",
            "190",
            "2024-01-10",
            "Russia shelled Kharkiv",
        ));
        // a coarse date (the month) that contains the day
        let m = c.add(key(
            3,
            3,
            "RUS",
            "UKR",
            "19",
            "2024-01",
            "shelling of Kharkiv by Russia",
        ));
        // sibling actor role: a different event
        let g = c.add(key(
            4,
            4,
            "RUSGOV",
            "UKR",
            "195",
            "2024-01-09",
            "Russian government shelled",
        ));
        // a week later
        let w = c.add(key(
            5,
            5,
            "RUS",
            "UKR",
            "195",
            "2024-01-17",
            "Russia shelled Kharkiv",
        ));
        // other dyad
        let o = c.add(key(
            6,
            6,
            "UKR",
            "RUS",
            "195",
            "2024-01-09",
            "Ukraine shelled Belgorod",
        ));
        assert_eq!(a, b);
        assert_eq!(a, m);
        assert_ne!(a, g);
        assert_ne!(a, w);
        assert_ne!(a, o);
        let e = c.canonical(a).unwrap();
        assert_eq!(e.num_mentions, 3);
        assert_eq!(e.num_sources, 3);
        assert_eq!(e.date.as_deref(), Some("2024-01-09"));
        assert_eq!(e.evidence.len(), 3);
        assert!(e.confidence > 0.8);
    }

    #[test]
    fn reingest_changes_no_counts() {
        let mut c = EventClusterer::new();
        let k = key(1, 1, "USA", "CHN", "036", "2024-01-09", "Biden met Xi");
        let k2 = key(
            2,
            2,
            "USA",
            "CHN",
            "036",
            "2024-01-09",
            "Biden met Xi in Woodside",
        );
        let a = c.add(k.clone());
        c.add(k2.clone());
        let before = c.canonical(a).unwrap();
        assert_eq!(c.add(k), a);
        c.add(k2);
        assert_eq!(c.canonical(a).unwrap(), before);
        assert_eq!(before.num_mentions, 2);
    }

    #[test]
    fn sibling_codes_need_similar_evidence() {
        let mut c = EventClusterer::new();
        let a = c.add(key(
            1,
            1,
            "ISR",
            "PSE",
            "193",
            "2024-01-09",
            "fought with small arms",
        ));
        let b = c.add(key(
            2,
            2,
            "ISR",
            "PSE",
            "195",
            "2024-01-09",
            "air strikes on Rafah",
        ));
        assert_ne!(a, b);
    }

    #[test]
    fn closing_frees_memory() {
        let mut c = EventClusterer::new();
        c.add(key(1, 1, "USA", "CHN", "036", "2024-01-01", "met"));
        c.add(key(2, 2, "USA", "CHN", "036", "2024-02-01", "met"));
        let cut = DateRange::parse("2024-01-15").unwrap().first;
        let closed = c.close_before(cut);
        assert_eq!(closed.len(), 1);
        assert_eq!(c.open_clusters(), 1);
        // the closed mention may come back as new: the store's article-level check prevents it
        assert_eq!(c.mentions.len(), 1);
    }
}
