//! wirecoder-kb: the knowledge base — actors with dated roles, agents, places, CAMEO and PLOVER
//! tables.
//!
//! All data is embedded in the binary (see `data/kb/` and `data/NOTICE`): the Phoenix/TABARI
//! actor dictionaries (countries, international, non-state) and agents, the project's own
//! tables of countries, officials (2012–2026) and IGOs/media, and the CAMEO code table with its
//! PLOVER mapping.
//!
//! Main types: [`Kb`] (load once, or use [`Kb::shared`]), [`Mention`] and [`MentionKind`] from
//! [`Kb::mentions`], [`CameoCode`], [`Country`].
//!
//! [`Kb::mentions`] finds names and also composes agent phrases ("senior Russian officials" →
//! `RUSGOV`, "Russian troops" → `RUSMIL`); [`Kb::compose`] is that second step on its own.
//!
//! ```
//! use wirecoder_kb::{Kb, MentionKind};
//! let kb = Kb::shared();
//! let date = chrono::NaiveDate::from_ymd_opt(2024, 1, 10);
//! let text = "Kremlin spokesman Dmitry Peskov said Russia’s troops will stay.";
//! let m = kb.mentions(text, date);
//! assert_eq!(m[0].name, "Dmitry Peskov");
//! assert_eq!(m[0].code.as_deref(), Some("RUSGOV"));
//! assert_eq!(&text[m[1].start..m[1].end], "Russia’s troops");
//! assert_eq!(m[1].code.as_deref(), Some("RUSMIL"));
//! assert_eq!(kb.cameo("195").and_then(|c| c.plover.as_deref()), Some("ASSAULT"));
//! assert_eq!(kb.agent("officials"), Some("GOV"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
#![deny(missing_docs)]

mod actor_eval;
mod gazetteer;
mod matcher;
mod ner;
mod parse;

use chrono::NaiveDate;
use once_cell::sync::Lazy;
use serde::Serialize;
use std::collections::HashMap;
use wirecoder_doc::{EntityType, Place};

pub use actor_eval::{score_actors, ActorItem, ActorScore};
pub use gazetteer::distance_km;
pub use matcher::{Mention, MentionKind};
pub use ner::{
    read_conll, score_ner, spans, thread_cpu_secs, NerModel, NerScore, SpanCounts, TaggedSentence,
};

/// A fast, non-cryptographic hasher (the Fx multiply-rotate scheme) for the load-time maps of
/// name keys: the data is embedded, so hash flooding is no concern, and SipHash was a tenth
/// of the load time.
#[derive(Default, Clone, Copy)]
pub(crate) struct FxHasher(u64);

impl std::hash::Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        const K: u64 = 0x517c_c1b7_2722_0a95;
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut w = [0u8; 8];
            w.copy_from_slice(c);
            self.0 = (self.0.rotate_left(5) ^ u64::from_le_bytes(w)).wrapping_mul(K);
        }
        for &b in chunks.remainder() {
            self.0 = (self.0.rotate_left(5) ^ u64::from(b)).wrapping_mul(K);
        }
    }
    fn write_u8(&mut self, i: u8) {
        self.write(&[i]);
    }
    fn write_usize(&mut self, i: usize) {
        self.write(&i.to_le_bytes());
    }
    fn finish(&self) -> u64 {
        self.0
    }
}

/// A `HashMap` with [`FxHasher`].
pub(crate) type FxMap<K, V> = HashMap<K, V, std::hash::BuildHasherDefault<FxHasher>>;

/// Errors while loading the embedded knowledge base.
#[derive(Debug, thiserror::Error)]
pub enum KbError {
    /// A table that must not be empty came out empty.
    #[error("{file}: no usable rows")]
    Empty {
        /// Data file.
        file: &'static str,
    },
    /// A row that the rest of the table depends on is malformed.
    #[error("{file}:{line}: {msg}")]
    Row {
        /// Data file.
        file: &'static str,
        /// 1-based line.
        line: usize,
        /// What was wrong.
        msg: String,
    },
    /// A gold file could not be read as JSON.
    #[error("gold records: {0}")]
    Gold(String),
    /// The name matcher could not be built.
    #[error("building the name matcher: {0}")]
    Matcher(String),
}

/// One CAMEO event code with its scale values and PLOVER mapping.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CameoCode {
    /// Code (`"195"`).
    pub code: String,
    /// Name (`"Employ aerial weapons"`).
    pub name: String,
    /// Goldstein scale value.
    pub goldstein: f64,
    /// Quad class 1–4.
    pub quad_class: u8,
    /// Root code (`"19"`).
    pub root: String,
    /// PLOVER event type.
    pub plover: Option<String>,
    /// PLOVER mode.
    pub plover_mode: Option<String>,
    /// PLOVER context.
    pub plover_context: Option<String>,
}

/// A sovereign state.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Country {
    /// Common English name.
    pub name: String,
    /// ISO 3166 alpha-2.
    pub iso2: String,
    /// ISO 3166 alpha-3.
    pub iso3: String,
    /// CAMEO country code (ISO3 except a few, e.g. Kosovo `KSV`).
    pub cameo: String,
    /// FIPS 10-4 code, when known.
    pub fips: Option<String>,
    /// Capital(s).
    pub capitals: Vec<String>,
    /// Adjectives / demonyms ("North Korean").
    pub adjectives: Vec<String>,
    /// Government metonyms ("Kremlin").
    pub metonyms: Vec<String>,
    /// Other names ("DPRK").
    pub aliases: Vec<String>,
}

impl Country {
    /// The first capital, if any.
    pub fn capital(&self) -> Option<&str> {
        self.capitals.first().map(String::as_str)
    }
}

/// Something a name can stand for.
#[derive(Debug, Clone)]
pub(crate) struct Actor {
    pub name: String,
    pub kind: MentionKind,
    pub etype: EntityType,
    pub roles: Vec<parse::Role>,
    /// After its last role ended, a curated official is a country elite (`RUSELI`).
    pub elite_after: bool,
    pub place: Option<Place>,
}

impl Actor {
    pub(crate) fn code_on(&self, date: Option<NaiveDate>) -> Option<String> {
        if let Some(c) = parse::resolve(&self.roles, date) {
            return Some(c.to_string());
        }
        let d = date?;
        if self.elite_after {
            // Between or after terms: the last role that ended before the date.
            let last = self
                .roles
                .iter()
                .filter(|r| r.end.is_some_and(|e| e <= d))
                .max_by_key(|r| r.end)?;
            let cc = last.code.get(..3)?;
            if !last.code.starts_with("IGO") {
                return Some(format!("{cc}ELI"));
            }
        }
        None
    }
}

/// How a name must appear in the text to count.
#[derive(Debug, Clone, Default)]
pub(crate) struct Pattern {
    pub actor: usize,
    /// Any capitalised form matches.
    pub loose: bool,
    /// Exact forms that match (short acronyms).
    pub exact: Vec<String>,
    /// A person's bare surname: counts only right after a title ("President Mugabe").
    pub after_title: bool,
}

/// The knowledge base. Build it once: [`Kb::load`] or [`Kb::shared`].
pub struct Kb {
    pub(crate) actors: Vec<Actor>,
    /// Pattern keys (ASCII-lower-cased phrases), parallel to `pats`.
    pub(crate) keys: Vec<String>,
    /// First-byte-pair ranges of `keys`, for the matcher.
    pub(crate) key_index: matcher::KeyIndex,
    pub(crate) pats: Vec<Pattern>,
    agents: HashMap<String, String>,
    /// Agents that go before an actor's code (`[NGO~]`: "MSF Arnor" → `NGOARN`).
    prefix_agents: HashMap<String, String>,
    /// Words in the longest agent phrase (capped), so that lookups try no longer ones.
    pub(crate) agent_words: usize,
    /// People by first name: last name and actor ("President Omar El Bashir").
    pub(crate) first_names: FxMap<String, Vec<(Vec<String>, usize)>>,
    cameo: HashMap<String, CameoCode>,
    countries: HashMap<String, Country>,
    gaz: gazetteer::LazyGazetteer,
    skipped: usize,
}

static SHARED: Lazy<Result<Kb, String>> = Lazy::new(|| Kb::load().map_err(|e| e.to_string()));

const COUNTRIES_PHX: &str = include_str!("../../../data/kb/Phoenix.Countries.actors.txt");
const INTL_PHX: &str = include_str!("../../../data/kb/Phoenix.International.actors.txt");
const NONSTATE_PHX: &str = include_str!("../../../data/kb/Phoenix.MilNonState.actors.txt");
const AGENTS_PHX: &str = include_str!("../../../data/kb/Phoenix.agents.txt");
const CAMEO_TSV: &str = include_str!("../../../data/kb/cameo.tsv");
const PLOVER_TSV: &str = include_str!("../../../data/kb/cameo2plover.tsv");
const COUNTRIES_TSV: &str = include_str!("../../../data/kb/countries.tsv");
const PEOPLES_TSV: &str = include_str!("../../../data/kb/peoples.tsv");
const HISTORICAL_TSV: &str = include_str!("../../../data/kb/historical.tsv");
const OFFICIALS_TSV: &str = include_str!("../../../data/kb/officials.tsv");
const IGOS_TSV: &str = include_str!("../../../data/kb/igos.tsv");

/// The longest agent phrase the matcher tries, in words.
const MAX_AGENT_WORDS: usize = 5;

/// Agent words the Phoenix file lacks or codes differently; they win over it.
const AGENT_EXTRA: &[(&str, &str)] = &[
    ("official", "GOV"),
    ("officials", "GOV"),
    ("government official", "GOV"),
    ("government officials", "GOV"),
    ("spokesman", "GOV"),
    ("spokesmen", "GOV"),
    ("spokeswoman", "GOV"),
    ("spokeswomen", "GOV"),
    ("spokesperson", "GOV"),
    ("spokespeople", "GOV"),
    ("leader", "GOV"),
    ("leaders", "GOV"),
    ("leadership", "GOV"),
    ("government", "GOV"),
    ("authorities", "GOV"),
    ("administration", "GOV"),
    ("minister", "GOV"),
    ("ministers", "GOV"),
    ("foreign minister", "GOV"),
    ("foreign ministry", "GOV"),
    ("defence minister", "GOV"),
    ("defense minister", "GOV"),
    ("defence ministry", "GOV"),
    ("defense ministry", "GOV"),
    ("prime minister", "GOV"),
    ("president", "GOV"),
    ("diplomat", "GOV"),
    ("diplomats", "GOV"),
    ("envoy", "GOV"),
    ("envoys", "GOV"),
    ("ambassador", "GOV"),
    ("negotiators", "GOV"),
    ("negotiator", "GOV"),
    ("assembly", "LEG"),
    ("peacekeepers", "MIL"),
    ("peacekeeping force", "MIL"),
    ("administrators", "GOV"),
    ("people", "CVL"),
    ("youths", "CVL"),
    ("youth", "CVL"),
    ("towns", "CVL"),
    ("nationals", "CVL"),
    ("militant", "REB"),
    ("aircraft", "MIL"),
    ("helicopters", "MIL"),
    ("helicopter", "MIL"),
    ("tanks", "MIL"),
    ("warplane", "MIL"),
    ("jets", "MIL"),
    ("gunships", "MIL"),
    ("drones", "MIL"),
    ("delegation", "GOV"),
    ("troops", "MIL"),
    ("soldiers", "MIL"),
    ("soldier", "MIL"),
    ("forces", "MIL"),
    ("armed forces", "MIL"),
    ("military", "MIL"),
    ("army", "MIL"),
    ("navy", "MIL"),
    ("air force", "MIL"),
    ("warplanes", "MIL"),
    ("generals", "MIL"),
    ("police", "COP"),
    ("security chief", "COP"),
    ("policemen", "COP"),
    ("police officers", "COP"),
    ("rebels", "REB"),
    ("rebel", "REB"),
    ("rebel-held", "REB"),
    ("insurgents", "REB"),
    ("militants", "REB"),
    ("lawmakers", "LEG"),
    ("legislators", "LEG"),
    ("parliament", "LEG"),
    ("opposition", "OPP"),
    ("protesters", "OPP"),
    ("state media", "MED"),
    ("media", "MED"),
    ("judges", "JUD"),
    ("court", "JUD"),
    ("intelligence", "SPY"),
];

impl Kb {
    /// The shared knowledge base, built on first use (empty if the embedded data failed to load;
    /// see [`Kb::shared_error`]).
    pub fn shared() -> &'static Kb {
        match &*SHARED {
            Ok(kb) => kb,
            // The embedded data is fixed at build time and covered by tests; an empty
            // knowledge base is the safe answer should it ever fail to load.
            Err(_) => &EMPTY,
        }
    }

    /// The error of the shared knowledge base's load, if it failed.
    pub fn shared_error() -> Option<&'static str> {
        SHARED.as_ref().err().map(String::as_str)
    }

    /// Build the knowledge base from the embedded data.
    pub fn load() -> Result<Kb, KbError> {
        // The gazetteer is independent of the dictionaries: it is built on a second thread
        // and waited for at the first place lookup. The name matcher needs no build step: it
        // walks the sorted pattern keys ([`Kb::names`]).
        let gaz = gazetteer::LazyGazetteer::spawn();
        let mut b = builder::Builder::default();
        b.phoenix(COUNTRIES_PHX, builder::Source::Countries);
        b.phoenix(INTL_PHX, builder::Source::International);
        b.phoenix(NONSTATE_PHX, builder::Source::NonState);
        b.igos(IGOS_TSV)?;
        let mut countries = b.countries(COUNTRIES_TSV)?;
        b.historical(HISTORICAL_TSV, &mut countries)?;
        b.peoples(PEOPLES_TSV)?;
        b.officials(OFFICIALS_TSV)?;
        b.surnames();
        let (mut agents, bad) = parse::parse_agents(AGENTS_PHX);
        b.skipped += bad;
        for (w, s) in AGENT_EXTRA {
            agents.suffix.insert((*w).to_string(), (*s).to_string());
        }
        Kb::assemble(b, agents, countries, gaz)
    }

    /// The GeoNames gazetteer (waits for its background build the first time).
    pub(crate) fn gaz(&self) -> &gazetteer::Gazetteer {
        self.gaz.get()
    }

    /// The knowledge base from a builder holding its actors, with the embedded CAMEO table.
    fn assemble(
        mut b: builder::Builder,
        agents: parse::Agents,
        countries: HashMap<String, Country>,
        gaz: gazetteer::LazyGazetteer,
    ) -> Result<Kb, KbError> {
        let cameo = load_cameo(&mut b.skipped)?;
        let first_names = std::mem::take(&mut b.first_names);
        let (keys, pats, actors, skipped) = b.finish();
        // "Ministry of Silly Walks" is four words; longer phrases are rare and cost lookups.
        let agent_words = agents
            .suffix
            .keys()
            .chain(agents.prefix.keys())
            .map(|k| k.split(' ').count())
            .max()
            .unwrap_or(1)
            .min(MAX_AGENT_WORDS);
        Ok(Kb {
            actors,
            key_index: matcher::KeyIndex::new(&keys),
            keys,
            pats,
            agents: agents.suffix,
            prefix_agents: agents.prefix,
            agent_words,
            first_names,
            cameo,
            countries,
            gaz,
            skipped,
        })
    }

    /// Waits until the gazetteer is built; its load error, if its data failed to load (the
    /// knowledge base then works without places from it).
    pub fn gazetteer_error(&self) -> Option<&str> {
        self.gaz();
        self.gaz.error.get().map(String::as_str)
    }

    /// Lines or items of the data that could not be parsed and were skipped.
    pub fn skipped(&self) -> usize {
        self.skipped
    }

    /// Number of name patterns the matcher knows.
    pub fn pattern_count(&self) -> usize {
        self.keys.len()
    }

    /// Agent suffix for a word or phrase ("officials" → `GOV`, "troops" → `MIL`).
    pub fn agent(&self, word: &str) -> Option<&str> {
        let key = word
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .to_lowercase();
        if let Some(a) = self.agents.get(&key) {
            return Some(a);
        }
        // "Vice-President", "Prime-Minister": the dictionary writes them with a space.
        key.contains('-')
            .then(|| self.agents.get(&key.replace('-', " ")))
            .flatten()
            .map(String::as_str)
    }

    /// Prefix agent code for a word or phrase ("observers in" → `IGO`): it goes before the
    /// actor's code.
    pub fn prefix_agent(&self, word: &str) -> Option<&str> {
        if self.prefix_agents.is_empty() {
            return None;
        }
        let key = word
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .to_lowercase();
        self.prefix_agents.get(&key).map(String::as_str)
    }

    /// A CAMEO event code (`"111"`, `"0311"`).
    pub fn cameo(&self, code: &str) -> Option<&CameoCode> {
        self.cameo.get(code.trim())
    }

    /// A country by ISO3 or CAMEO code (`"PRK"`, `"KSV"`), or ISO2.
    pub fn country(&self, code: &str) -> Option<&Country> {
        let c = code.trim().to_ascii_uppercase();
        self.countries.get(&c).or_else(|| {
            self.countries
                .values()
                .find(|k| k.iso2 == c || k.cameo == c)
        })
    }

    /// A place by name: a country, capital or a city/region the dictionaries list under a
    /// country ("Kharkiv" → Ukraine).
    pub fn place(&self, name: &str) -> Option<Place> {
        let key = name.split_whitespace().collect::<Vec<_>>().join(" ");
        let key = key.to_ascii_lowercase();
        let i = self.keys.binary_search(&key).ok()?;
        let a = self.actors.get(self.pats.get(i)?.actor)?;
        match a.kind {
            MentionKind::Place | MentionKind::Capital => a.place.clone(),
            MentionKind::Country => Some(Place {
                name: a.name.clone(),
                country: a.code_on(None).and_then(|c| c.get(..3).map(str::to_string)),
                geonames_id: None,
                lat: None,
                lon: None,
            }),
            _ => None,
        }
    }

    /// Actor and place mentions in `text`: longest match first, on word boundaries, not
    /// overlapping, then composed with agent words ([`Kb::compose`]), then places from the
    /// GeoNames gazetteer, all places resolved to coordinates in the document's context
    /// (population, countries named, ", Texas" qualifiers). Roles are resolved on `date`
    /// (`None`: the latest or default role). Offsets are bytes into `text`.
    pub fn mentions(&self, text: &str, date: Option<NaiveDate>) -> Vec<Mention> {
        let raw = self.names(text, date);
        let composed = self.compose(text, &raw);
        self.geolocate(text, composed)
    }

    /// Name mentions only, without agent composition.
    pub fn names(&self, text: &str, date: Option<NaiveDate>) -> Vec<Mention> {
        matcher::find(self, text, date)
    }

    /// Merge country-like mentions with neighbouring agent words into one mention with the
    /// combined code ("senior Russian officials" → `RUSGOV`, "North Korean leader" → `PRKGOV`,
    /// "state media KCNA" → `PRKMED`). A title phrase directly before a person with a known
    /// role is dropped: the person is the actor. Also: "the government of Liberia" →
    /// `LBRGOV`, "US and British forces" (both `…MIL`), a title before or inside a person's name
    /// makes the office current ("President Gbagbo" → `CIVGOV`, "former …" → `…ELI`), and an
    /// unknown name after a country's one-person title joins it ("Nigerian foreign minister
    /// Dubem Oniya" → `NGAGOV`).
    pub fn compose(&self, text: &str, mentions: &[Mention]) -> Vec<Mention> {
        matcher::compose(self, text, mentions)
    }
}

static EMPTY: Lazy<Kb> = Lazy::new(|| Kb {
    actors: Vec::new(),
    keys: Vec::new(),
    key_index: matcher::KeyIndex::new(&[]),
    pats: Vec::new(),
    agents: HashMap::new(),
    prefix_agents: HashMap::new(),
    agent_words: 1,
    first_names: FxMap::default(),
    cameo: HashMap::new(),
    countries: HashMap::new(),
    gaz: gazetteer::LazyGazetteer::ready(gazetteer::Gazetteer::default()),
    skipped: 0,
});

fn load_cameo(skipped: &mut usize) -> Result<HashMap<String, CameoCode>, KbError> {
    let mut plover: HashMap<&str, (&str, &str, &str)> = HashMap::new();
    for (_, f) in parse::tsv(PLOVER_TSV) {
        match f.as_slice() {
            [code, typ, mode, ctx, ..] => {
                plover.insert(code, (typ, mode, ctx));
            }
            [code, typ, mode] => {
                plover.insert(code, (typ, mode, ""));
            }
            _ => *skipped += 1,
        }
    }
    let opt = |s: &str| (!s.trim().is_empty()).then(|| s.trim().to_string());
    let mut out = HashMap::new();
    for (line, f) in parse::tsv(CAMEO_TSV) {
        let [code, name, g, q, root, ..] = f.as_slice() else {
            *skipped += 1;
            continue;
        };
        let (Ok(goldstein), Ok(quad_class)) = (g.parse::<f64>(), q.parse::<u8>()) else {
            return Err(KbError::Row {
                file: "cameo.tsv",
                line,
                msg: format!("bad goldstein/quad class {g:?} {q:?}"),
            });
        };
        let p = plover
            .get(code)
            .or_else(|| plover.get(root))
            .copied()
            .unwrap_or(("", "", ""));
        out.insert(
            code.to_string(),
            CameoCode {
                code: code.to_string(),
                name: name.to_string(),
                goldstein,
                quad_class,
                root: root.to_string(),
                plover: opt(p.0),
                plover_mode: opt(p.1),
                plover_context: opt(p.2),
            },
        );
    }
    if out.is_empty() {
        return Err(KbError::Empty { file: "cameo.tsv" });
    }
    Ok(out)
}

mod builder;

impl Kb {
    /// A knowledge base from PETRARCH/Phoenix-format dictionaries instead of the embedded ones:
    /// an actor dictionary and an agent dictionary (text, as read from the files), with the
    /// embedded CAMEO table. No countries table, officials or gazetteer: every name is the
    /// dictionary's. An actor whose primary code is three capital letters is country-like
    /// (agents attach: "Arnor security officials" → `ARNGOV`), and so are its `+` synonyms,
    /// which here are other names of the same actor. Compound codes (`[FRO/BIL/SAM]`) stay as
    /// one code with `/` between the members, for the coder to split; `[---]` (a known name
    /// with no code) and other unreadable roles drop the entry, as in [`Kb::load`].
    pub fn from_petrarch(actors: &str, agents: &str) -> Result<Kb, KbError> {
        // The role reader takes capitals, digits and `~`: compound codes go in as numbered
        // stand-ins and are put back once the entries are built.
        let mut compounds: Vec<String> = Vec::new();
        let mut text = String::with_capacity(actors.len());
        let mut rest = actors;
        while let Some(i) = rest.find('[') {
            let Some(j) = rest[i..].find(']').map(|j| i + j) else {
                break;
            };
            text.push_str(&rest[..=i]);
            let inner = &rest[i + 1..j];
            let code = inner.split_whitespace().next().unwrap_or("");
            if code.contains('/') && !code.starts_with('-') {
                text.push_str(&format!("CMPDX{}", compounds.len()));
                text.push_str(&inner[inner.find(code).unwrap_or(0) + code.len()..]);
                compounds.push(code.to_ascii_uppercase());
            } else {
                text.push_str(inner);
            }
            text.push(']');
            rest = &rest[j + 1..];
        }
        text.push_str(rest);
        let mut b = builder::Builder::default();
        b.phoenix(&text, builder::Source::Countries);
        let mut countries = HashMap::new();
        for a in &mut b.actors {
            for r in &mut a.roles {
                if let Some(n) = r.code.strip_prefix("CMPDX") {
                    if let Some(c) = n.parse::<usize>().ok().and_then(|n| compounds.get(n)) {
                        r.code = c.clone();
                    }
                }
            }
            // A synonym under an entry is the same actor, not a city of it.
            if a.kind == MentionKind::Place {
                a.kind = MentionKind::Country;
            }
            if a.kind == MentionKind::Country {
                if let Some(cc) = parse::resolve(&a.roles, None).filter(|c| c.len() == 3) {
                    countries.entry(cc.to_string()).or_insert_with(|| Country {
                        name: a.name.clone(),
                        iso2: String::new(),
                        iso3: cc.to_string(),
                        cameo: cc.to_string(),
                        fips: None,
                        capitals: Vec::new(),
                        adjectives: Vec::new(),
                        metonyms: Vec::new(),
                        aliases: Vec::new(),
                    });
                }
            }
        }
        let (agents, bad) = parse::parse_agents(agents);
        b.skipped += bad;
        let gaz = gazetteer::LazyGazetteer::ready(gazetteer::Gazetteer::default());
        Kb::assemble(b, agents, countries, gaz)
    }
}

#[cfg(test)]
mod petrarch_tests {
    use super::*;

    #[test]
    fn petrarch_dictionaries() {
        let actors = "<!-- test -->\nGONDOR [GON]\n+MINAS_TIRITH\n\nTHE_SHIRE  [FRO/BIL/SAM]\n\nGOLLUM\n+SMEAGOL\n\t[HOB < 950601]\n\t[HOBGOV 19950601 - 19990815]\n\nBOROMIR  [---]\n";
        let agents = "POLICE {} [ ~COP]\nOFFICIAL  [~GOV]\n";
        let kb = Kb::from_petrarch(actors, agents).expect("loads");
        let d = NaiveDate::from_ymd_opt(1995, 7, 1);
        let codes = |t: &str| -> Vec<Option<String>> {
            kb.mentions(t, d).into_iter().map(|m| m.code).collect()
        };
        assert_eq!(codes("Minas Tirith police"), vec![Some("GONCOP".into())]);
        assert_eq!(codes("The Shire"), vec![Some("FRO/BIL/SAM".into())]);
        assert_eq!(codes("Smeagol"), vec![Some("HOBGOV".into())]);
        assert!(codes("Boromir").is_empty());
        assert!(kb.cameo("064").is_some());
    }
}
