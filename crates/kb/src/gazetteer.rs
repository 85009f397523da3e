//! GeoNames gazetteer (`data/kb/gazetteer.tsv.gz`): countries, continents, first-order regions
//! and cities of 15,000 people or more, with coordinates; finding and resolving place names in
//! a document.

use crate::{Kb, KbError, Mention, MentionKind};
use std::collections::{HashMap, HashSet};
use std::io::Read;
use wirecoder_doc::{EntityType, Place};

const GAZ_GZ: &[u8] = include_bytes!("../../../data/kb/gazetteer.tsv.gz");

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
    pub names: HashMap<String, Vec<(u32, bool)>>,
    /// ISO3 → country entry.
    pub countries: HashMap<String, u32>,
}

pub(crate) fn key(s: &str) -> String {
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
        for line in text.lines() {
            if line.starts_with('#') || line.is_empty() {
                continue;
            }
            let f: Vec<&str> = line.split('\t').collect();
            let [id, kind, name, iso3, lat, lon, pop, region, alts, flags, ..] = f.as_slice()
            else {
                continue;
            };
            let kind = match *kind {
                "C" => GeoKind::Country,
                "A" => GeoKind::Region,
                "P" => GeoKind::City,
                "L" => GeoKind::Continent,
                _ => continue,
            };
            let (Ok(lat), Ok(lon)) = (lat.parse::<f64>(), lon.parse::<f64>()) else {
                continue;
            };
            let i = g.entries.len() as u32;
            g.entries.push(GeoEntry {
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
                g.countries.insert(iso3.to_string(), i);
            }
            g.names.entry(key(name)).or_default().push((i, true));
            for a in alts.split(';').filter(|a| !a.is_empty()) {
                let v = g.names.entry(key(a)).or_default();
                if !v.iter().any(|&(j, _)| j == i) {
                    v.push((i, false));
                }
            }
        }
        if g.entries.is_empty() {
            return Err(KbError::Empty {
                file: "gazetteer.tsv.gz",
            });
        }
        Ok(g)
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
        let inner_apos = (c == '\'' || c == '’')
            && start.is_some()
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

/// Context of a document: countries and regions it names.
#[derive(Default)]
struct Context {
    countries: HashMap<String, usize>,
    regions: HashSet<String>,
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
        if let Some(q) = qualifier {
            let country_name = self
                .gaz
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
        self.gaz
            .names
            .get(q)?
            .iter()
            .filter_map(|&(i, _)| self.gaz.entries.get(i as usize))
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
        entries
            .iter()
            .filter_map(|&(i, p)| {
                let e = self.gaz.entries.get(i as usize)?;
                let mut s = self.geo_score(e, p, ctx, qualifier);
                if prefer.is_some_and(|c| c == e.iso3) {
                    s += 2.0;
                }
                Some((e, s))
            })
            .max_by(|a, b| a.1.total_cmp(&b.1))
    }

    /// The place of a country (ISO3 or CAMEO code) with its coordinates.
    pub fn country_place(&self, code: &str) -> Option<Place> {
        let c = self.country(code.get(..3)?)?;
        self.gaz.country(&c.iso3).map(GeoEntry::place)
    }

    /// Gazetteer places for `name` ("Paris"), most likely first (population and kind; no
    /// document context).
    pub fn gazetteer(&self, name: &str) -> Vec<Place> {
        let ctx = Context::default();
        let mut v: Vec<(&GeoEntry, f64)> = self
            .gaz
            .names
            .get(&key(name))
            .into_iter()
            .flatten()
            .filter_map(|&(i, p)| {
                let e = self.gaz.entries.get(i as usize)?;
                Some((e, self.geo_score(e, p, &ctx, None)))
            })
            .collect();
        v.sort_by(|a, b| b.1.total_cmp(&a.1));
        v.into_iter().map(|(e, _)| e.place()).collect()
    }

    /// Adds coordinates to place-like mentions and finds further places from the gazetteer,
    /// resolved in the document's context.
    pub(crate) fn geolocate(&self, text: &str, mut ms: Vec<Mention>) -> Vec<Mention> {
        if self.gaz.entries.is_empty() {
            return ms;
        }
        let mut ctx = Context::default();
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
                if let Some(c) = m
                    .country
                    .as_ref()
                    .or(m.place.as_ref().and_then(|p| p.country.as_ref()))
                {
                    *ctx.countries.entry(c.clone()).or_default() += 1;
                }
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
                if let Some(es) = self.gaz.names.get(&key(&text[s0..ej])) {
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
            let stop = single && STOPLIST.contains(&lower.as_str());
            let reject = (prev_joined && !prev_in_mention) || next_joined || stop || all_caps;
            if !reject {
                let locative = prev_lower.as_deref().is_some_and(|w| LOCATIVE.contains(&w));
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
                self.gaz
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
                    if let Some(p) = iso3.as_deref().and_then(|c| self.gaz.country(c)) {
                        m.place = Some(p.place());
                    }
                }
                MentionKind::Capital | MentionKind::Place => {
                    let surface = &text[m.start..m.end];
                    let prefer = m.country.clone();
                    let entries = self
                        .gaz
                        .names
                        .get(&key(surface))
                        .cloned()
                        .unwrap_or_default();
                    let q = qualifier_after(
                        text,
                        m.end,
                        &ws,
                        ws.iter().position(|w| w.1 >= m.end).unwrap_or(0),
                    );
                    if let Some((e, score)) =
                        self.best_entry(&entries, &ctx, q.as_deref(), prefer.as_deref())
                    {
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
                                .gaz
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
