//! GeoNames gazetteer (`data/kb/gazetteer.tsv.gz`): countries, continents, first-order regions
//! and cities of 15,000 people or more, with coordinates; finding and resolving place names in
//! a document.

use crate::{FxMap, Kb, KbError, Mention, MentionKind};
use std::collections::{HashMap, HashSet};
use std::io::Read;
use wirecoder_doc::{EntityType, Place};

const GAZ_GZ: &[u8] = include_bytes!("../../../data/kb/gazetteer.tsv.gz");
/// Seas, oceans and well-known regions GeoNames' cities extract lacks, and extra names.
const REGIONS_TSV: &str = include_str!("../../../data/kb/regions.tsv");

/// Kind of gazetteer entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum GeoKind {
    Country,
    Region,
    City,
    Continent,
}

#[derive(Debug, Clone)]
pub(crate) struct GeoEntry {
    pub id: u64,
    pub kind: GeoKind,
    pub name: String,
    pub iso3: String,
    pub lat: f64,
    pub lon: f64,
    pub pop: u64,
    /// Lower-cased first-order region name of a city.
    pub region: String,
    /// The name is a common English word ("Split"): needs context.
    pub common: bool,
}

impl GeoEntry {
    pub(crate) fn place(&self) -> Place {
        Place {
            name: self.name.clone(),
            country: (!self.iso3.is_empty()).then(|| self.iso3.clone()),
            geonames_id: (self.id > 0).then_some(self.id),
            lat: Some(self.lat),
            lon: Some(self.lon),
        }
    }
}

/// Entries and a name index (lower-cased, whitespace collapsed).
#[derive(Default)]
pub(crate) struct Gazetteer {
    pub entries: Vec<GeoEntry>,
    /// Name key → (entry, is the primary name).
    pub names: FxMap<String, Vec<(u32, bool)>>,
    /// ISO3 → country entry.
    pub countries: FxMap<String, u32>,
    /// Names that count only written exactly so ("NSW", "BC"): all-capital words are
    /// otherwise taken for acronyms.
    pub exact: HashSet<String>,
}

/// The gazetteer, built on a background thread while the dictionaries load: the first
/// place lookup waits for it. Loading the knowledge base thus costs the dictionaries' time,
/// not the sum of both.
pub(crate) struct LazyGazetteer {
    cell: std::sync::OnceLock<Gazetteer>,
    pending: std::sync::Mutex<Option<std::thread::JoinHandle<Result<Gazetteer, KbError>>>>,
    /// Why the gazetteer is empty, if its data failed to load.
    pub error: std::sync::OnceLock<String>,
}

impl LazyGazetteer {
    /// Starts building the embedded gazetteer (on the calling thread where no thread can be
    /// started).
    pub(crate) fn spawn() -> LazyGazetteer {
        let lazy = LazyGazetteer::ready(Gazetteer::default());
        let lazy = LazyGazetteer {
            cell: std::sync::OnceLock::new(),
            ..lazy
        };
        match std::thread::Builder::new()
            .name("kb-gazetteer".into())
            .spawn(Gazetteer::load)
        {
            Ok(h) => {
                if let Ok(mut p) = lazy.pending.lock() {
                    *p = Some(h);
                }
            }
            Err(_) => lazy.set(Gazetteer::load()),
        }
        lazy
    }

    /// An already built gazetteer.
    pub(crate) fn ready(g: Gazetteer) -> LazyGazetteer {
        let cell = std::sync::OnceLock::new();
        let _ = cell.set(g);
        LazyGazetteer {
            cell,
            pending: std::sync::Mutex::new(None),
            error: std::sync::OnceLock::new(),
        }
    }

    fn set(&self, r: Result<Gazetteer, KbError>) {
        let g = r.unwrap_or_else(|e| {
            let _ = self.error.set(e.to_string());
            Gazetteer::default()
        });
        let _ = self.cell.set(g);
    }

    /// The gazetteer, waiting for its build to finish.
    pub(crate) fn get(&self) -> &Gazetteer {
        self.cell.get_or_init(|| {
            let handle = self.pending.lock().ok().and_then(|mut p| p.take());
            let r = match handle.map(|h| h.join()) {
                Some(Ok(r)) => r,
                Some(Err(_)) => Err(KbError::Empty {
                    file: "gazetteer.tsv.gz",
                }),
                None => Ok(Gazetteer::default()),
            };
            r.unwrap_or_else(|e| {
                let _ = self.error.set(e.to_string());
                Gazetteer::default()
            })
        })
    }
}

pub(crate) fn key(s: &str) -> String {
    // Plain ASCII with single spaces (nearly every gazetteer name): one pass over the bytes.
    if s.is_ascii()
        && !s.starts_with(' ')
        && !s.ends_with(' ')
        && !s.contains("  ")
        && !s.bytes().any(|b| b.is_ascii_whitespace() && b != b' ')
    {
        return s.to_ascii_lowercase();
    }
    let mut out = String::with_capacity(s.len());
    for w in s.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        for c in w.chars() {
            if c == '’' {
                out.push('\'');
            } else {
                out.extend(c.to_lowercase());
            }
        }
    }
    out
}

impl Gazetteer {
    pub(crate) fn load() -> Result<Gazetteer, KbError> {
        let mut text = String::new();
        flate2::read::GzDecoder::new(GAZ_GZ)
            .read_to_string(&mut text)
            .map_err(|e| KbError::Row {
                file: "gazetteer.tsv.gz",
                line: 0,
                msg: e.to_string(),
            })?;
        let mut g = Gazetteer::default();
        g.names.reserve(200_000);
        g.entries.reserve(37_000);
        g.rows(&text);
        if g.entries.is_empty() {
            return Err(KbError::Empty {
                file: "gazetteer.tsv.gz",
            });
        }
        g.rows(REGIONS_TSV);
        Ok(g)
    }

    /// Adds the rows of a gazetteer table; rows that do not parse are skipped.
    fn rows(&mut self, text: &str) {
        for line in text.lines() {
            if line.starts_with('#') || line.is_empty() {
                continue;
            }
            let mut f = line.split('\t');
            let mut col = || f.next().unwrap_or("");
            let (id, kind, name, iso3, lat, lon, pop, region, alts, flags) = (
                col(),
                col(),
                col(),
                col(),
                col(),
                col(),
                col(),
                col(),
                col(),
                col(),
            );
            let kind = match kind {
                "C" => GeoKind::Country,
                "A" => GeoKind::Region,
                "P" => GeoKind::City,
                "L" => GeoKind::Continent,
                "=" => {
                    let point = (lat.parse().unwrap_or(0.0), lon.parse().unwrap_or(0.0));
                    self.add_names(name, iso3, point, alts, flags.contains('c'));
                    continue;
                }
                _ => continue,
            };
            let (Ok(lat), Ok(lon)) = (lat.parse::<f64>(), lon.parse::<f64>()) else {
                continue;
            };
            let i = self.entries.len() as u32;
            self.entries.push(GeoEntry {
                id: id.parse().unwrap_or(0),
                kind,
                name: name.to_string(),
                iso3: iso3.to_string(),
                lat,
                lon,
                pop: pop.parse().unwrap_or(0),
                region: key(region),
                common: flags.contains('s'),
            });
            if kind == GeoKind::Country {
                self.countries.insert(iso3.to_string(), i);
            }
            self.names.entry(key(name)).or_default().push((i, true));
            for a in alts.split(';').filter(|a| !a.is_empty()) {
                let v = self.names.entry(key(a)).or_default();
                if !v.iter().any(|&(j, _)| j == i) {
                    v.push((i, false));
                }
            }
        }
    }

    /// More names for the entry called `name` in `iso3` (the most populous such one).
    fn add_names(&mut self, name: &str, iso3: &str, point: (f64, f64), alts: &str, exact: bool) {
        let target = self
            .names
            .get(&key(name))
            .into_iter()
            .flatten()
            .filter(|&&(i, primary)| {
                primary
                    && self
                        .entries
                        .get(i as usize)
                        .is_some_and(|e| e.iso3 == iso3 && e.kind != GeoKind::City)
            })
            .max_by_key(|&&(i, _)| self.entries.get(i as usize).map_or(0, |e| e.pop))
            .map(|&(i, _)| i);
        let Some(i) = target else { return };
        if point != (0.0, 0.0) {
            if let Some(e) = self.entries.get_mut(i as usize) {
                (e.lat, e.lon) = point;
            }
        }
        for a in alts.split(';').filter(|a| !a.is_empty()) {
            if exact {
                self.exact.insert(a.to_string());
            }
            let v = self.names.entry(key(a)).or_default();
            if !v.iter().any(|&(j, _)| j == i) {
                v.push((i, false));
            }
        }
    }

    pub(crate) fn country(&self, iso3: &str) -> Option<&GeoEntry> {
        self.entries.get(*self.countries.get(iso3)? as usize)
    }
}

/// Great-circle distance in km.
pub fn distance_km(lat1: f64, lon1: f64, lat2: f64, lon2: f64) -> f64 {
    let (p1, p2) = (lat1.to_radians(), lat2.to_radians());
    let dp = p2 - p1;
    let dl = (lon2 - lon1).to_radians();
    let a = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
    2.0 * 6371.0 * a.sqrt().min(1.0).asin()
}

/// Words (letters, digits, inner apostrophes) with byte ranges.
fn words(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start: Option<usize> = None;
    let mut it = text.char_indices().peekable();
    while let Some((i, c)) = it.next() {
        // "O'Hare" is one word; "Europe's" is "Europe" and a possessive.
        let possessive = {
            let mut ahead = it.clone();
            ahead.next().is_some_and(|(_, n)| n == 's')
                && ahead.next().is_none_or(|(_, n)| !n.is_alphanumeric())
        };
        let inner_apos = (c == '\'' || c == '’')
            && start.is_some()
            && !possessive
            && it.peek().is_some_and(|&(_, n)| n.is_alphabetic());
        if c.is_alphanumeric() || inner_apos {
            if start.is_none() {
                start = Some(i);
            }
        } else if let Some(s) = start.take() {
            out.push((s, i));
        }
    }
    if let Some(s) = start {
        out.push((s, text.len()));
    }
    out
}

fn is_cap(w: &str) -> bool {
    w.chars().next().is_some_and(char::is_uppercase)
}

/// Capitalised words that do not make a following or preceding place name part of a longer
/// name: sentence-initial function words, months, days.
const FUNCTION: &[&str] = &[
    "the",
    "in",
    "at",
    "on",
    "of",
    "for",
    "from",
    "to",
    "and",
    "but",
    "or",
    "as",
    "by",
    "with",
    "near",
    "into",
    "across",
    "outside",
    "inside",
    "since",
    "after",
    "before",
    "while",
    "when",
    "where",
    "if",
    "a",
    "an",
    "this",
    "that",
    "these",
    "those",
    "it",
    "he",
    "she",
    "they",
    "we",
    "i",
    "you",
    "his",
    "her",
    "their",
    "our",
    "its",
    "my",
    "north",
    "south",
    "east",
    "west",
    "northern",
    "southern",
    "eastern",
    "western",
    "central",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "via",
    "between",
    "both",
    "all",
    "some",
    "many",
    "most",
    "also",
    "then",
    "so",
    "yet",
    "not",
    "no",
    "up",
    "over",
    "under",
    "about",
    "against",
    "during",
    "through",
    "throughout",
    "toward",
    "towards",
];

/// Prepositions that announce a place.
const LOCATIVE: &[&str] = &[
    "in", "at", "from", "near", "to", "into", "outside", "across", "around", "of", "toward",
    "towards", "via", "visited", "visit", "capital",
];

/// Words that extend a place name ("Kharkiv Oblast", "Gaza City").
const DESIGNATORS: &[&str] = &[
    "Province",
    "Region",
    "Oblast",
    "County",
    "State",
    "City",
    "District",
    "Governorate",
    "Prefecture",
    "Territory",
    "Municipality",
    "Island",
    "Islands",
    "Valley",
];

/// Single-word names never taken from the gazetteer alone: English words and given names that
/// the UD-derived flag misses and that news text uses often.
const STOPLIST: &[&str] = &[
    "of",
    "split",
    "mobile",
    "bath",
    "reading",
    "nice",
    "best",
    "mission",
    "opportunity",
    "enterprise",
    "independence",
    "union",
    "liberty",
    "victoria",
    "florence",
    "lincoln",
    "jackson",
    "hamilton",
    "douglas",
    "carson",
    "marshall",
    "taylor",
    "alice",
    "madison",
    "washington",
    "eagle",
    "orange",
    "of",
    "sale",
    "most",
    "date",
    "police",
    "deal",
    "young",
    "federal",
    "normal",
    "superior",
    "mercedes",
    "corona",
    "covid",
    "ebola",
    "zika",
    "sars",
    "said",
    "man",
    "male",
    "tours",
    "marks",
    "wedding",
    "worms",
    "surprise",
    "paradise",
    "delta",
    "springs",
    "spring",
    "bar",
    "golden",
    "time",
    "holiday",
    "along",
    "say",
    "buy",
    "university",
    "college",
    "hospital",
    "center",
    "centre",
    "media",
    "republic",
    "kingdom",
    "san",
    "santa",
    "saint",
    "st",
    "fort",
    "port",
    "mount",
    "lake",
    "river",
    "new",
    "la",
    "el",
    "ma",
    "pa",
    "mr",
    "dr",
    "de",
    "du",
    "van",
    "von",
    "bin",
    "al",
    "abu",
    "ben",
    "mar",
    "can",
    "mary",
    "charlotte",
    "elizabeth",
    "george",
    "david",
    "john",
    "james",
    "william",
    "henry",
    "frank",
    "martin",
    "bradley",
    "hope",
    "grace",
    "faith",
    "april",
    "june",
    "may",
    "august",
    "sunday",
    "monday",
    "friday",
    "march",
    "christmas",
    "easter",
    "trump",
    "obama",
    "biden",
    "bush",
    "clinton",
    "warren",
    "sanders",
    "nelson",
    "johnson",
    "wilson",
    "harris",
    "grant",
    "lee",
    "kim",
    "park",
    "chan",
    "wang",
    "li",
    "zhang",
    "chen",
    "liu",
    "singh",
    "khan",
    "franklin",
    "jefferson",
    "jordan",
    "chad",
    "guinea",
    "turkey",
    "niger",
    "georgia",
];

/// A place found from the gazetteer, before it becomes a [`Mention`].
struct Cand {
    start: usize,
    end: usize,
    entries: Vec<(u32, bool)>,
    /// Words after it: ", Texas" → "texas".
    qualifier: Option<String>,
    locative: bool,
    sentence_initial: bool,
}

fn qualifier_after(text: &str, end: usize, ws: &[(usize, usize)], j: usize) -> Option<String> {
    let rest = text.get(end..)?;
    if !rest.starts_with(", ") && !rest.starts_with(" (") {
        return None;
    }
    // Up to three capitalised words.
    let mut out = Vec::new();
    for &(s, e) in ws.iter().skip(j + 1).take(3) {
        let w = &text[s..e];
        if !is_cap(w) {
            break;
        }
        out.push(w);
        if text.get(e..).is_some_and(|r| !r.starts_with(' ')) {
            break;
        }
    }
    (!out.is_empty()).then(|| key(&out.join(" ")))
}

/// Whether a capital's name at `start..end` reads as a state: "Washington state", "the state
/// of Washington", or in a list with other regions ("Utah, Washington and Wisconsin").
fn state_cue(text: &str, start: usize, end: usize, regions: &[(usize, usize)]) -> bool {
    let after = text.get(end..).unwrap_or("");
    let before = text.get(..start).unwrap_or("");
    if after.starts_with(" state") || after.starts_with(" State") || before.ends_with("state of ") {
        return true;
    }
    let joins = |sep: &str| matches!(sep, ", " | " and " | ", and " | " or " | ", or ");
    regions.iter().any(|&(s, e)| {
        (e <= start && text.get(e..start).is_some_and(joins))
            || (end <= s && text.get(end..s).is_some_and(joins))
    })
}

/// Context of a document: countries and regions it names.
#[derive(Default)]
struct Context {
    countries: HashMap<String, usize>,
    regions: HashSet<String>,
    /// (ISO3, region) of cities named.
    city_regions: HashSet<(String, String)>,
}

impl Kb {
    /// Score of an entry for a surface in a document's context.
    fn geo_score(
        &self,
        e: &GeoEntry,
        primary: bool,
        ctx: &Context,
        qualifier: Option<&str>,
    ) -> f64 {
        let mut s = 1.5 * ((e.pop as f64) + 10.0).log10();
        s += match e.kind {
            GeoKind::Country | GeoKind::Continent => 3.0,
            GeoKind::Region => 0.5,
            GeoKind::City => 0.0,
        };
        if primary {
            s += 1.0;
        }
        if let Some(&n) = ctx.countries.get(&e.iso3) {
            s += 1.5 + 0.5 * (n.min(4) as f64);
        }
        if e.kind == GeoKind::City && !e.region.is_empty() && ctx.regions.contains(&e.region) {
            s += 3.0;
        }
        if e.kind == GeoKind::Region && ctx.city_regions.contains(&(e.iso3.clone(), key(&e.name))) {
            s += 4.0;
        }
        if let Some(q) = qualifier {
            let country_name = self
                .gaz()
                .country(&e.iso3)
                .map(|c| key(&c.name))
                .unwrap_or_default();
            let country_names = self.country(&e.iso3).map(|c| {
                std::iter::once(&c.name)
                    .chain(&c.aliases)
                    .map(|n| key(n))
                    .collect::<Vec<_>>()
            });
            if q == e.region
                || q == country_name
                || country_names.is_some_and(|v| v.iter().any(|n| n == q))
                || self.region_abbr(q).is_some_and(|r| r == e.region)
            {
                s += 10.0;
            }
        }
        s
    }

    /// "tx" → "texas" for US state codes in the gazetteer.
    fn region_abbr(&self, q: &str) -> Option<String> {
        if q.len() != 2 {
            return None;
        }
        self.gaz()
            .names
            .get(q)?
            .iter()
            .filter_map(|&(i, _)| self.gaz().entries.get(i as usize))
            .find(|e| e.kind == GeoKind::Region && e.iso3 == "USA")
            .map(|e| key(&e.name))
    }

    fn best_entry(
        &self,
        entries: &[(u32, bool)],
        ctx: &Context,
        qualifier: Option<&str>,
        prefer: Option<&str>,
    ) -> Option<(&GeoEntry, f64)> {
        self.best_entry_capital(entries, ctx, qualifier, prefer, None)
    }

    /// [`Kb::best_entry`]; with `capital_of`, that country's cities come first.
    fn best_entry_capital(
        &self,
        entries: &[(u32, bool)],
        ctx: &Context,
        qualifier: Option<&str>,
        prefer: Option<&str>,
        capital_of: Option<&str>,
    ) -> Option<(&GeoEntry, f64)> {
        entries
            .iter()
            .filter_map(|&(i, p)| {
                let e = self.gaz().entries.get(i as usize)?;
                let mut s = self.geo_score(e, p, ctx, qualifier);
                if prefer.is_some_and(|c| c == e.iso3) {
                    s += 2.0;
                }
                if e.kind == GeoKind::City && capital_of.is_some_and(|c| c == e.iso3) {
                    s += 3.0;
                }
                Some((e, s))
            })
            .max_by(|a, b| a.1.total_cmp(&b.1))
    }

    /// The place of a country (ISO3 or CAMEO code) with its coordinates.
    pub fn country_place(&self, code: &str) -> Option<Place> {
        self.gaz_country(code.get(..3)?).map(GeoEntry::place)
    }

    /// The gazetteer's country for an ISO3 or CAMEO code, also for territories the country
    /// table lacks (`HKG`) and former states (`SUN` → Russia's point).
    fn gaz_country(&self, code: &str) -> Option<&GeoEntry> {
        let iso3 = self.country(code).map_or(code, |c| c.iso3.as_str());
        let iso3 = match iso3 {
            "SUN" | "USR" => "RUS",
            "YUG" | "SCG" => "SRB",
            "CSK" => "CZE",
            "DDR" | "GDR" => "DEU",
            other => other,
        };
        self.gaz().country(iso3)
    }

    /// Gazetteer entries for a dictionary place's surface, also without a trailing
    /// designator word ("New York state" → "New York").
    fn place_entries(&self, surface: &str) -> Vec<(u32, bool)> {
        let k = key(surface);
        if let Some(v) = self.gaz().names.get(&k) {
            return v.clone();
        }
        for suffix in [
            " state",
            " province",
            " region",
            " city",
            " county",
            " district",
        ] {
            if let Some(v) = k.strip_suffix(suffix).and_then(|b| self.gaz().names.get(b)) {
                return v.clone();
            }
        }
        Vec::new()
    }

    /// Whether a name is a form of the country's own name ("Democratic Republic of Congo"):
    /// every word of it but "of/the/and" is in the country's name or one of its aliases.
    fn country_alias(&self, surface: &str, iso3: &str) -> bool {
        let mut names: Vec<String> = Vec::new();
        if let Some(e) = self.gaz().country(iso3) {
            names.push(key(&e.name));
        }
        if let Some(c) = self.country(iso3) {
            names.extend(std::iter::once(&c.name).chain(&c.aliases).map(|n| key(n)));
        }
        let k = key(surface);
        let words: Vec<&str> = k
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty() && !matches!(*w, "of" | "the" | "and"))
            .collect();
        !words.is_empty()
            && names.iter().any(|n| {
                let nw: Vec<&str> = n.split(|c: char| !c.is_alphanumeric()).collect();
                words.iter().all(|w| nw.contains(w))
            })
    }

    /// Whether places in other countries than `iso3` bear this name.
    fn homonyms_abroad(&self, surface_key: &str, iso3: &str) -> bool {
        self.gaz().names.get(surface_key).is_some_and(|v| {
            v.iter().any(|&(k, _)| {
                self.gaz()
                    .entries
                    .get(k as usize)
                    .is_some_and(|e| e.iso3 != iso3 && e.pop >= 15_000)
            })
        })
    }

    /// A country's name that is also a first-order region elsewhere ("Georgia"): that region,
    /// when the document names the region's country at least twice (by other words) and
    /// nothing else of the country named.
    fn homonym_region(
        &self,
        surface_key: &str,
        iso3: Option<&str>,
        named: &[(String, String)],
    ) -> Option<&GeoEntry> {
        let iso3 = iso3?;
        let region = self
            .gaz()
            .names
            .get(surface_key)?
            .iter()
            .filter_map(|&(k, p)| self.gaz().entries.get(k as usize).filter(|_| p))
            .find(|e| e.kind == GeoKind::Region && e.iso3 != iso3)?;
        let votes = |c: &str| {
            named
                .iter()
                .filter(|(s, cc)| cc == c && s != surface_key)
                .count()
        };
        (votes(&region.iso3) >= 2 && votes(iso3) == 0).then_some(region)
    }

    /// Gazetteer places for `name` ("Paris"), most likely first (population and kind; no
    /// document context).
    pub fn gazetteer(&self, name: &str) -> Vec<Place> {
        let ctx = Context::default();
        let mut v: Vec<(&GeoEntry, f64)> = self
            .gaz()
            .names
            .get(&key(name))
            .into_iter()
            .flatten()
            .filter_map(|&(i, p)| {
                let e = self.gaz().entries.get(i as usize)?;
                Some((e, self.geo_score(e, p, &ctx, None)))
            })
            .collect();
        v.sort_by(|a, b| b.1.total_cmp(&a.1));
        v.into_iter().map(|(e, _)| e.place()).collect()
    }

    /// Adds coordinates to place-like mentions and finds further places from the gazetteer,
    /// resolved in the document's context.
    pub(crate) fn geolocate(&self, text: &str, mut ms: Vec<Mention>) -> Vec<Mention> {
        if self.gaz().entries.is_empty() {
            return ms;
        }
        let mut ctx = Context::default();
        // Countries of the place-like mentions, with their surfaces (for "Georgia" below).
        let mut named: Vec<(String, String)> = Vec::new();
        for m in &ms {
            if matches!(
                m.kind,
                MentionKind::Country
                    | MentionKind::Adjective
                    | MentionKind::Capital
                    | MentionKind::Place
                    | MentionKind::Composite
                    | MentionKind::Metonym
            ) {
                let Some(c) = m
                    .country
                    .as_ref()
                    .or(m.place.as_ref().and_then(|p| p.country.as_ref()))
                else {
                    continue;
                };
                // A dictionary place whose name other countries' places share ("Santa Ana")
                // must not vote for its own reading.
                let surface = key(&text[m.start..m.end]);
                if m.kind == MentionKind::Place && self.homonyms_abroad(&surface, c) {
                    continue;
                }
                *ctx.countries.entry(c.clone()).or_default() += 1;
                named.push((surface, c.clone()));
            }
        }
        let ws = words(text);
        let mut covered: Vec<(usize, usize)> = ms.iter().map(|m| (m.start, m.end)).collect();
        covered.sort();
        let overlaps = |covered: &[(usize, usize)], s: usize, e: usize| {
            covered.iter().any(|&(a, b)| a < e && s < b)
        };
        let mut cands: Vec<Cand> = Vec::new();
        let mut i = 0;
        while i < ws.len() {
            let (s0, e0) = ws[i];
            let w0 = &text[s0..e0];
            if !is_cap(w0) || overlaps(&covered, s0, e0) {
                i += 1;
                continue;
            }
            let mut found = None;
            for j in (i..(i + 5).min(ws.len())).rev() {
                let (sj, ej) = ws[j];
                // Words of one name are separated by a space, hyphen or "St. ".
                let ok = ws[i..=j].windows(2).all(|p| {
                    let sep = &text[p[0].1..p[1].0];
                    matches!(sep, " " | "-" | ". " | "'" | "’")
                });
                if !ok || !is_cap(&text[sj..ej]) {
                    continue;
                }
                if let Some(es) = self.gaz().names.get(&key(&text[s0..ej])) {
                    found = Some((j, es.clone()));
                    break;
                }
            }
            let Some((mut j, entries)) = found else {
                i += 1;
                continue;
            };
            let surface = &text[s0..ws[j].1];
            let single = i == j;
            let lower = key(surface);
            let prev = i.checked_sub(1).map(|p| ws[p]);
            let prev_sep = prev.map(|(_, pe)| &text[pe..s0]);
            let sentence_initial = prev_sep.is_none_or(|sep| {
                let t = sep.trim();
                t.ends_with(['.', '!', '?', ':', '"', '“', '”']) || sep.contains('\n')
            });
            let prev_word = prev.map(|(ps, pe)| &text[ps..pe]);
            let prev_lower = prev_word.map(|w| w.to_lowercase());
            // Part of a longer capitalised name: "John Paris", "Paris Hilton".
            let prev_joined = prev_sep.is_some_and(|sep| sep == " " || sep == "-")
                && prev_word
                    .is_some_and(|w| is_cap(w) && !FUNCTION.contains(&w.to_lowercase().as_str()))
                && !sentence_initial;
            let prev_in_mention = prev.is_some_and(|(ps, pe)| overlaps(&covered, ps, pe));
            let mut next_joined = false;
            if let Some(&(ns, ne)) = ws.get(j + 1) {
                let sep = &text[ws[j].1..ns];
                let w = &text[ns..ne];
                if (sep == " " || sep == "-") && is_cap(w) {
                    if DESIGNATORS.contains(&w) {
                        j += 1;
                    } else if !FUNCTION.contains(&w.to_lowercase().as_str())
                        && !overlaps(&covered, ns, ne)
                    {
                        next_joined = true;
                    }
                }
            }
            let (s, e) = (s0, ws[j].1);
            let all_caps = surface
                .chars()
                .filter(|c| c.is_alphabetic())
                .all(char::is_uppercase)
                && surface.chars().filter(|c| c.is_alphabetic()).count() > 1;
            // "NSW", "BC": abbreviations that count only written so.
            let exact_form = self.gaz().exact.iter().find(|x| key(x) == lower);
            let all_caps = all_caps && exact_form.is_none_or(|x| x != surface);
            let wrong_case = exact_form.is_some_and(|x| x != surface);
            let locative = prev_lower.as_deref().is_some_and(|w| LOCATIVE.contains(&w));
            // A stop-listed name right after "in", "at", "near"… can still be a place when
            // the document is about its country ("in Victoria" with Australia named).
            let stop = single
                && STOPLIST.contains(&lower.as_str())
                && !(locative && prev_lower.as_deref() != Some("of") && {
                    entries.iter().any(|&(k, _)| {
                        self.gaz().entries.get(k as usize).is_some_and(|e| {
                            ctx.countries.contains_key(&e.iso3)
                                && e.pop >= 100_000
                                && !e.common
                                && matches!(e.kind, GeoKind::Region | GeoKind::City)
                        })
                    })
                });
            // "West Darfur", "East-West relations", "the West": a compass word alone is no
            // place (GeoNames has Cameroon's regions so named).
            let compass = single
                && matches!(
                    lower.as_str(),
                    "north" | "south" | "east" | "west" | "centre" | "center" | "central"
                );
            let reject = (prev_joined && !prev_in_mention)
                || next_joined
                || stop
                || all_caps
                || wrong_case
                || compass;
            if !reject {
                let qualifier = qualifier_after(text, e, &ws, j);
                cands.push(Cand {
                    start: s,
                    end: e,
                    entries,
                    qualifier,
                    locative,
                    sentence_initial,
                });
                covered.push((s, e));
            }
            i = j + 1;
        }
        // Regions named in the document help their cities ("Paris ... Texas").
        for c in &cands {
            if c.entries.iter().any(|&(k, _)| {
                self.gaz()
                    .entries
                    .get(k as usize)
                    .is_some_and(|e| e.kind == GeoKind::Region)
            }) {
                ctx.regions.insert(key(&text[c.start..c.end]));
            }
        }
        for m in &ms {
            if m.kind == MentionKind::Place {
                ctx.regions.insert(key(&text[m.start..m.end]));
            }
        }
        // Regions of the unambiguous cities named ("Seattle" → the state of Washington).
        let dict_places = ms
            .iter()
            .filter(|m| m.kind == MentionKind::Place)
            .filter_map(|m| self.gaz().names.get(&key(&text[m.start..m.end])));
        for entries in cands.iter().map(|c| &c.entries).chain(dict_places) {
            let cities: Vec<&GeoEntry> = entries
                .iter()
                .filter_map(|&(k, _)| self.gaz().entries.get(k as usize))
                .collect();
            if let [e] = cities.as_slice() {
                if e.kind == GeoKind::City && !e.region.is_empty() {
                    ctx.city_regions.insert((e.iso3.clone(), e.region.clone()));
                }
            }
        }
        // Gazetteer places of one country vote for it too ("Atlanta" for the United States).
        for c in &cands {
            let mut isos = c
                .entries
                .iter()
                .filter_map(|&(k, _)| self.gaz().entries.get(k as usize))
                .map(|e| e.iso3.as_str());
            if let Some(first) = isos.next() {
                if !first.is_empty() && isos.all(|i| i == first) {
                    named.push((key(&text[c.start..c.end]), first.to_string()));
                }
            }
        }
        // Spans of names of first-order regions ("Utah, Washington and Wisconsin").
        let is_region = |entries: &[(u32, bool)]| {
            entries.iter().any(|&(k, p)| {
                p && self
                    .gaz()
                    .entries
                    .get(k as usize)
                    .is_some_and(|e| e.kind == GeoKind::Region)
            })
        };
        let region_spans: Vec<(usize, usize)> = ms
            .iter()
            .filter(|m| m.kind == MentionKind::Place)
            .filter(|m| {
                self.gaz()
                    .names
                    .get(&key(&text[m.start..m.end]))
                    .is_some_and(|v| is_region(v))
            })
            .map(|m| (m.start, m.end))
            .chain(
                cands
                    .iter()
                    .filter(|c| is_region(&c.entries))
                    .map(|c| (c.start, c.end)),
            )
            .collect();
        // Existing place-like mentions get coordinates.
        for m in ms.iter_mut() {
            match m.kind {
                MentionKind::Country => {
                    let iso3 = m.country.clone().or_else(|| {
                        m.code
                            .as_deref()
                            .and_then(|c| c.get(..3))
                            .map(str::to_string)
                    });
                    let surface = key(&text[m.start..m.end]);
                    if let Some(e) = self.homonym_region(&surface, iso3.as_deref(), &named) {
                        // "Georgia" in a story about the United States is the state.
                        m.kind = MentionKind::Place;
                        m.country = Some(e.iso3.clone());
                        m.code = self.country(&e.iso3).map(|c| c.cameo.clone());
                        m.place = Some(e.place());
                        continue;
                    }
                    if let Some(p) = iso3.as_deref().and_then(|c| self.gaz_country(c)) {
                        m.place = Some(p.place());
                    }
                }
                MentionKind::Igo => {
                    // "EU" as a place ("the ninth country in the EU"): its area, where the
                    // table gives one; the actor code stays.
                    if let Some(name) = m.place.as_ref().map(|p| p.name.clone()) {
                        m.place = self
                            .gaz()
                            .names
                            .get(&key(&name))
                            .and_then(|v| v.iter().find(|x| x.1))
                            .and_then(|&(k, _)| self.gaz().entries.get(k as usize))
                            .map(GeoEntry::place);
                    }
                }
                MentionKind::Capital | MentionKind::Place => {
                    let surface = &text[m.start..m.end];
                    let prefer = m.country.clone();
                    let entries = self.place_entries(surface);
                    let q = qualifier_after(
                        text,
                        m.end,
                        &ws,
                        ws.iter().position(|w| w.1 >= m.end).unwrap_or(0),
                    );
                    // A capital's name is first of all the capital city ("Washington" is
                    // the city, not the state, unless the state's towns are named too).
                    let capital = (m.kind == MentionKind::Capital
                        && !state_cue(text, m.start, m.end, &region_spans))
                    .then_some(prefer.as_deref())
                    .flatten();
                    let best = self.best_entry_capital(
                        &entries,
                        &ctx,
                        q.as_deref(),
                        prefer.as_deref(),
                        capital,
                    );
                    if best.is_none() && m.kind == MentionKind::Place {
                        // A dictionary name the gazetteer lacks ("Democratic Republic of
                        // Congo"): its country's point.
                        if let Some(p) = prefer.as_deref().and_then(|c| self.gaz_country(c)) {
                            if self.country_alias(surface, &p.iso3) {
                                m.place = Some(p.place());
                            }
                        }
                    }
                    if let Some((e, score)) = best {
                        if m.kind == MentionKind::Capital
                            && e.kind != GeoKind::City
                            && Some(&e.iso3) == prefer.as_ref()
                        {
                            // The state of Washington, not the US government.
                            m.kind = MentionKind::Place;
                            m.code = self.country(&e.iso3).map(|c| c.cameo.clone());
                        }
                        // A capital keeps standing for its government unless the text says
                        // otherwise ("Paris, Texas").
                        if m.kind == MentionKind::Capital && Some(&e.iso3) != prefer.as_ref() {
                            if q.is_none() || score < 10.0 {
                                continue;
                            }
                            m.kind = MentionKind::Place;
                        }
                        if m.kind == MentionKind::Place && Some(&e.iso3) != prefer.as_ref() {
                            if let Some(c) = self
                                .gaz()
                                .country(&e.iso3)
                                .and_then(|_| self.country(&e.iso3))
                            {
                                m.code = Some(c.cameo.clone());
                                m.country = Some(c.iso3.clone());
                            }
                        }
                        m.place = Some(e.place());
                    }
                }
                _ => {}
            }
        }
        for c in cands {
            let Some((e, score)) = self.best_entry(&c.entries, &ctx, c.qualifier.as_deref(), None)
            else {
                continue;
            };
            let in_ctx = ctx.countries.contains_key(&e.iso3);
            let big = e.pop >= 100_000 || matches!(e.kind, GeoKind::Country | GeoKind::Continent);
            let qualified = score >= 10.0 && c.qualifier.is_some();
            // Minor or common-word names need support from the context.
            let supported = qualified
                || (in_ctx && (c.locative || !c.sentence_initial))
                || (big && (c.locative || !c.sentence_initial))
                || (c.locative && e.pop >= 30_000);
            if !supported || (e.common && !(qualified || (c.locative && in_ctx))) {
                continue;
            }
            let country = self.country(&e.iso3);
            let code = match e.kind {
                GeoKind::Continent => None,
                _ => country.map(|k| k.cameo.clone()),
            };
            ms.push(Mention {
                start: c.start,
                end: c.end,
                kind: MentionKind::Place,
                entity_type: if e.kind == GeoKind::Continent {
                    EntityType::Loc
                } else {
                    EntityType::Gpe
                },
                country: country.map(|k| k.iso3.clone()),
                code,
                place: Some(e.place()),
                name: e.name.clone(),
            });
        }
        ms.sort_by_key(|m| (m.start, m.end));
        ms
    }
}
