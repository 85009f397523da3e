//! The rule language: TOML files holding one rule at the top level or `[[rule]]` tables.
//!
//! Every value is checked while the TOML is read, so that a bad value is reported at its own
//! line and column (the `toml` parser knows the span of the value being read).

use std::collections::BTreeSet;
use std::path::Path;

use chrono::NaiveDate;
use regex::Regex;
use serde::Deserialize;
use toml::Spanned;
use wirecoder_doc::Modality;

use crate::error::WatchError;

/// The PLOVER event types.
pub const PLOVER_TYPES: [&str; 16] = [
    "AGREE",
    "CONSULT",
    "SUPPORT",
    "CONCEDE",
    "COOPERATE",
    "AID",
    "RETREAT",
    "REQUEST",
    "ACCUSE",
    "REJECT",
    "THREATEN",
    "PROTEST",
    "SANCTION",
    "MOBILIZE",
    "COERCE",
    "ASSAULT",
];

/// An actor pattern: `RUS` (the code and everything under it: `RUSGOV`, `RUSMIL`), `*MIL`
/// (any actor with the MIL role), `RUS*MIL` (a Russian actor with the MIL role), `=RUS`
/// (exactly `RUS`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(try_from = "String")]
pub struct ActorPat {
    prefix: String,
    role: Option<String>,
    exact: bool,
}

impl TryFrom<String> for ActorPat {
    type Error = String;
    fn try_from(s: String) -> Result<ActorPat, String> {
        let t = s.trim().to_uppercase();
        let (exact, body) = match t.strip_prefix('=') {
            Some(b) => (true, b),
            None => (false, t.as_str()),
        };
        let (prefix, role) = match body.split_once('*') {
            Some((p, r)) => (p, Some(r)),
            None => (body, None),
        };
        let letters = |x: &str| x.chars().all(|c| c.is_ascii_alphanumeric());
        if !letters(prefix) || role.is_some_and(|r| !letters(r)) {
            return Err(format!(
                "actor pattern {s:?}: expected a CAMEO actor code such as \"RUS\", \"RUSGOV\", \"*MIL\" or \"RUS*MIL\""
            ));
        }
        if prefix.is_empty() && role.is_none_or(str::is_empty) {
            return Err(format!(
                "actor pattern {s:?} matches nothing: give a code or a role"
            ));
        }
        if let Some(r) = role {
            if r.len() != 3 {
                return Err(format!(
                    "actor pattern {s:?}: a role is three letters (GOV, MIL, REB, OPP, …)"
                ));
            }
            if exact {
                return Err(format!(
                    "actor pattern {s:?}: `=` and a role cannot be combined"
                ));
            }
        }
        Ok(ActorPat {
            prefix: prefix.to_string(),
            role: role.filter(|r| !r.is_empty()).map(str::to_string),
            exact,
        })
    }
}

impl ActorPat {
    /// Whether the actor code matches (an unknown actor never does).
    pub fn matches(&self, code: Option<&str>) -> bool {
        let Some(code) = code.filter(|c| !c.is_empty()) else {
            return false;
        };
        if self.exact {
            return code == self.prefix;
        }
        if !code.starts_with(self.prefix.as_str()) {
            return false;
        }
        match &self.role {
            None => true,
            // Roles are the three-letter chunks after the first (country or group) code.
            Some(r) => code
                .get(3..)
                .unwrap_or("")
                .as_bytes()
                .chunks(3)
                .any(|c| c == r.as_bytes()),
        }
    }
}

/// A dyad: `PRK-RUS` (source PRK, target RUS) or `PRK~RUS` (either direction).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(try_from = "String")]
pub struct Dyad {
    a: ActorPat,
    b: ActorPat,
    either: bool,
}

impl TryFrom<String> for Dyad {
    type Error = String;
    fn try_from(s: String) -> Result<Dyad, String> {
        let (parts, either) = match (s.split_once('~'), s.split_once('-')) {
            (Some(p), _) => (p, true),
            (None, Some(p)) => (p, false),
            (None, None) => {
                return Err(format!(
                    "dyad {s:?}: expected SOURCE-TARGET (\"PRK-RUS\") or A~B for either direction"
                ))
            }
        };
        Ok(Dyad {
            a: ActorPat::try_from(parts.0.to_string())?,
            b: ActorPat::try_from(parts.1.to_string())?,
            either,
        })
    }
}

impl Dyad {
    pub(crate) fn matches(&self, src: Option<&str>, tgt: Option<&str>) -> bool {
        (self.a.matches(src) && self.b.matches(tgt))
            || (self.either && self.a.matches(tgt) && self.b.matches(src))
    }
}

/// A CAMEO code pattern: `19` or `19*` (the root and everything under it), `062` (that code
/// and its sub-codes), `1831` (exactly). Always a prefix.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(try_from = "String")]
pub struct CameoPat(pub(crate) String);

impl TryFrom<String> for CameoPat {
    type Error = String;
    fn try_from(s: String) -> Result<CameoPat, String> {
        let t = s.trim().trim_end_matches('*');
        let root: u32 = t.get(..2).and_then(|r| r.parse().ok()).unwrap_or(0);
        if t.len() < 2
            || t.len() > 4
            || !t.chars().all(|c| c.is_ascii_digit())
            || !(1..=20).contains(&root)
        {
            return Err(format!(
                "CAMEO pattern {s:?}: expected 2 to 4 digits under roots 01-20, optionally ending in * (\"06*\", \"062\", \"190\")"
            ));
        }
        Ok(CameoPat(t.to_string()))
    }
}

impl CameoPat {
    /// The two-digit root.
    pub fn root(&self) -> &str {
        &self.0[..2]
    }
}

/// A PLOVER event type (upper case).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(try_from = "String")]
pub struct PloverType(pub(crate) String);

impl TryFrom<String> for PloverType {
    type Error = String;
    fn try_from(s: String) -> Result<PloverType, String> {
        let t = s.trim().to_uppercase();
        if PLOVER_TYPES.contains(&t.as_str()) {
            Ok(PloverType(t))
        } else {
            Err(format!(
                "unknown PLOVER type {s:?}; expected one of {}",
                PLOVER_TYPES.join(", ")
            ))
        }
    }
}

/// A modality word.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(try_from = "String")]
pub struct ModalityName(pub Modality);

impl TryFrom<String> for ModalityName {
    type Error = String;
    fn try_from(s: String) -> Result<ModalityName, String> {
        Modality::parse(&s.trim().to_lowercase())
            .map(ModalityName)
            .ok_or_else(|| {
                format!("unknown modality {s:?}; expected asserted, alleged, denied, negated, hypothetical or future")
            })
    }
}

/// A non-empty phrase, kept lower-cased for case-insensitive matching.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(try_from = "String")]
pub struct Phrase(pub(crate) String);

impl TryFrom<String> for Phrase {
    type Error = String;
    fn try_from(s: String) -> Result<Phrase, String> {
        let t = s.trim().to_lowercase();
        if t.is_empty() {
            Err("an empty phrase matches everything; leave the key out instead".into())
        } else {
            Ok(Phrase(t))
        }
    }
}

/// An ISO 3166 alpha-3 country code.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(try_from = "String")]
pub struct Iso3(pub(crate) String);

impl TryFrom<String> for Iso3 {
    type Error = String;
    fn try_from(s: String) -> Result<Iso3, String> {
        let t = s.trim().to_uppercase();
        if t.len() == 3 && t.chars().all(|c| c.is_ascii_alphabetic()) {
            Ok(Iso3(t))
        } else {
            Err(format!(
                "country {s:?}: expected an ISO 3166 alpha-3 code such as \"UKR\""
            ))
        }
    }
}

/// A calendar day bound (`"2024-01-01"`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(try_from = "String")]
pub struct Day(pub NaiveDate);

impl TryFrom<String> for Day {
    type Error = String;
    fn try_from(s: String) -> Result<Day, String> {
        normalize_day(&s)
            .map(Day)
            .ok_or_else(|| format!("date {s:?}: expected YYYY-MM-DD (or YYYY-MM, YYYY, YYYY-Www)"))
    }
}

/// A regular expression over the evidence sentence (case-insensitive unless it says otherwise).
#[derive(Debug, Clone, Deserialize)]
#[serde(try_from = "String")]
pub struct Pattern(pub(crate) Regex);

impl TryFrom<String> for Pattern {
    type Error = String;
    fn try_from(s: String) -> Result<Pattern, String> {
        regex::RegexBuilder::new(&s)
            .case_insensitive(true)
            .size_limit(1 << 20)
            .build()
            .map(Pattern)
            .map_err(|e| format!("regex {s:?}: {e}"))
    }
}

/// Which side of an event a knowledge-base predicate asks about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    /// The source actor.
    Source,
    /// The target actor.
    Target,
    /// Source or target.
    Either,
    /// Source and target.
    Both,
}

/// A knowledge-base predicate: `under_arms_embargo(source|target|either|both)`, optionally
/// negated with `not `.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(try_from = "String")]
pub struct KbCall {
    /// The predicate's name.
    pub name: KbPredicate,
    /// The side it asks about.
    pub side: Side,
    /// `not under_arms_embargo(…)`.
    pub negated: bool,
}

/// The knowledge-base predicates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KbPredicate {
    /// The actor is under a UN Security Council arms embargo on the event's date.
    UnderArmsEmbargo,
}

impl TryFrom<String> for KbCall {
    type Error = String;
    fn try_from(s: String) -> Result<KbCall, String> {
        let usage = "expected a predicate call such as \"under_arms_embargo(either)\" (sides: source, target, either, both; prefix `not ` to negate)";
        let t = s.trim();
        let (negated, t) = match t.strip_prefix("not ") {
            Some(rest) => (true, rest.trim()),
            None => (false, t),
        };
        let Some((name, rest)) = t.split_once('(') else {
            return Err(format!("{s:?}: {usage}"));
        };
        let Some(arg) = rest.trim().strip_suffix(')') else {
            return Err(format!("{s:?}: missing `)`; {usage}"));
        };
        let name = match name.trim() {
            "under_arms_embargo" => KbPredicate::UnderArmsEmbargo,
            other => {
                return Err(format!(
                    "unknown predicate {other:?}; known: under_arms_embargo"
                ))
            }
        };
        let side = match arg.trim() {
            "source" => Side::Source,
            "target" => Side::Target,
            "either" | "actor" | "" => Side::Either,
            "both" => Side::Both,
            other => return Err(format!("{s:?}: unknown side {other:?}; {usage}")),
        };
        Ok(KbCall {
            name,
            side,
            negated,
        })
    }
}

/// What makes two firings of a rule one alert.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(try_from = "String")]
pub enum DedupBy {
    /// One alert per event: its canonical event, else its dyad, CAMEO code and day.
    #[default]
    Event,
    /// One alert per rule and dyad (source and target countries or groups, first three
    /// letters of their codes) and CAMEO root, whatever the day: later reports of the same
    /// relation (an arms pipeline reported on several dates) raise the count.
    Dyad,
}

impl TryFrom<String> for DedupBy {
    type Error = String;
    fn try_from(s: String) -> Result<DedupBy, String> {
        match s.trim() {
            "event" => Ok(DedupBy::Event),
            "dyad" => Ok(DedupBy::Dyad),
            other => Err(format!("dedup {other:?}: expected \"event\" or \"dyad\"")),
        }
    }
}

/// Where alerts of a rule go besides the database: `stdout`, `file:PATH` (JSONL appended),
/// `webhook:http://HOST:PORT/PATH` (one HTTP POST of JSON per alert).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(try_from = "String")]
pub enum Deliver {
    /// One JSON line per alert on standard output.
    Stdout,
    /// One JSON line per alert appended to the file.
    File(String),
    /// One HTTP POST per alert.
    Webhook(String),
}

impl TryFrom<String> for Deliver {
    type Error = String;
    fn try_from(s: String) -> Result<Deliver, String> {
        let t = s.trim();
        if t == "stdout" {
            return Ok(Deliver::Stdout);
        }
        if let Some(p) = t.strip_prefix("file:").filter(|p| !p.is_empty()) {
            return Ok(Deliver::File(p.to_string()));
        }
        if let Some(u) = t.strip_prefix("webhook:") {
            if u.starts_with("http://") && u.len() > "http://".len() {
                return Ok(Deliver::Webhook(u.to_string()));
            }
            return Err(format!(
                "{s:?}: webhooks are plain http:// URLs (local delivery)"
            ));
        }
        Err(format!(
            "{s:?}: expected \"stdout\", \"file:PATH\" or \"webhook:http://HOST:PORT/PATH\""
        ))
    }
}

impl std::fmt::Display for Deliver {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Deliver::Stdout => write!(f, "stdout"),
            Deliver::File(p) => write!(f, "file:{p}"),
            Deliver::Webhook(u) => write!(f, "webhook:{u}"),
        }
    }
}

/// A list given as one value or an array (`cameo = "19"` or `cameo = ["19", "20"]`).
#[derive(Debug, Clone)]
struct List<T>(Vec<T>);

impl<'de, T: Deserialize<'de>> Deserialize<'de> for List<T> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<T>(std::marker::PhantomData<T>);
        impl<'de, T: Deserialize<'de>> serde::de::Visitor<'de> for V<T> {
            type Value = List<T>;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a string or an array of strings")
            }
            fn visit_str<E: serde::de::Error>(self, s: &str) -> Result<List<T>, E> {
                let d = serde::de::value::StrDeserializer::<E>::new(s);
                T::deserialize(d).map(|t| List(vec![t]))
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut a: A,
            ) -> Result<List<T>, A::Error> {
                // Each element is read by its own deserializer, so its error keeps its span.
                let mut out = Vec::new();
                while let Some(t) = a.next_element::<T>()? {
                    out.push(t);
                }
                if out.is_empty() {
                    return Err(serde::de::Error::custom(
                        "an empty list matches nothing; leave the key out to match everything",
                    ));
                }
                Ok(List(out))
            }
        }
        d.deserialize_any(V(std::marker::PhantomData))
    }
}

/// A rule table as written, before checks that span several keys.
#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawRule {
    name: Option<Spanned<String>>,
    description: Option<Spanned<String>>,
    enabled: Option<Spanned<bool>>,
    deliver: Option<Spanned<List<Deliver>>>,
    dedup: Option<Spanned<DedupBy>>,
    any: Option<Spanned<Vec<Spanned<RawRule>>>>,
    actor: Option<List<ActorPat>>,
    source: Option<List<ActorPat>>,
    target: Option<List<ActorPat>>,
    dyad: Option<List<Dyad>>,
    cameo: Option<List<CameoPat>>,
    plover: Option<List<PloverType>>,
    mode: Option<List<Phrase>>,
    modality: Option<List<ModalityName>>,
    country: Option<List<Iso3>>,
    place: Option<List<Phrase>>,
    bbox: Option<Spanned<[f64; 4]>>,
    min_killed: Option<u32>,
    min_injured: Option<u32>,
    min_sources: Option<u32>,
    text: Option<List<Phrase>>,
    regex: Option<Pattern>,
    weapon: Option<List<Phrase>>,
    kb: Option<List<KbCall>>,
    since: Option<Day>,
    until: Option<Day>,
}

/// A whole file: `[[rule]]` tables.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    rule: Vec<Spanned<RawRule>>,
}

/// The conditions of a rule (or of one `any` alternative), all ANDed.
#[derive(Debug, Clone, Default)]
pub struct Conditions {
    pub(crate) actor: Vec<ActorPat>,
    pub(crate) source: Vec<ActorPat>,
    pub(crate) target: Vec<ActorPat>,
    pub(crate) dyad: Vec<Dyad>,
    pub(crate) cameo: Vec<CameoPat>,
    pub(crate) plover: Vec<PloverType>,
    pub(crate) mode: Vec<Phrase>,
    pub(crate) modality: Vec<ModalityName>,
    pub(crate) country: Vec<Iso3>,
    pub(crate) place: Vec<Phrase>,
    pub(crate) bbox: Option<[f64; 4]>,
    pub(crate) min_killed: Option<u32>,
    pub(crate) min_injured: Option<u32>,
    pub(crate) min_sources: Option<u32>,
    pub(crate) text: Vec<Phrase>,
    pub(crate) regex: Option<Regex>,
    pub(crate) weapon: Vec<Phrase>,
    pub(crate) kb: Vec<KbCall>,
    pub(crate) since: Option<NaiveDate>,
    pub(crate) until: Option<NaiveDate>,
}

impl Conditions {
    /// The CAMEO roots this block can match, or `None` for every root.
    pub(crate) fn roots(&self) -> Option<BTreeSet<String>> {
        if self.cameo.is_empty() {
            None
        } else {
            Some(self.cameo.iter().map(|c| c.root().to_string()).collect())
        }
    }
}

/// A checked watch rule.
#[derive(Debug, Clone)]
pub struct Rule {
    /// Unique name (letters, digits, `-`, `_`, `.`).
    pub name: String,
    /// What the rule watches for, in words.
    pub description: Option<String>,
    /// Disabled rules are kept but never fire.
    pub enabled: bool,
    /// Where alerts go besides the database.
    pub deliver: Vec<Deliver>,
    /// What makes two firings one alert.
    pub dedup: DedupBy,
    /// The TOML text of this rule alone (what `watch add` stores).
    pub source: String,
    pub(crate) all: Conditions,
    /// At least one of these must hold too (none: no alternative needed).
    pub(crate) any: Vec<Conditions>,
}

impl Rule {
    /// The CAMEO roots the rule can match, or `None` for every root.
    pub(crate) fn roots(&self) -> Option<BTreeSet<String>> {
        let own = self.all.roots();
        let alts: Option<BTreeSet<String>> = if self.any.is_empty() {
            None
        } else {
            let mut u = BTreeSet::new();
            for a in &self.any {
                match a.roots() {
                    Some(r) => u.extend(r),
                    None => {
                        u.clear();
                        return own;
                    }
                }
            }
            Some(u)
        };
        match (own, alts) {
            (None, x) | (x, None) => x,
            (Some(a), Some(b)) => Some(a.intersection(&b).cloned().collect()),
        }
    }
}

/// Line and column (1-based, column in characters) of byte offset `at` in `text`, and the line.
fn position(text: &str, at: usize) -> (usize, usize, String) {
    let at = at.min(text.len());
    let mut at_char = at;
    while !text.is_char_boundary(at_char) {
        at_char -= 1;
    }
    let before = &text[..at_char];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let col = text[line_start..at_char].chars().count() + 1;
    let line_text = text[line_start..].lines().next().unwrap_or("").to_string();
    (line, col, line_text)
}

fn rule_error(
    file: &str,
    text: &str,
    span: Option<std::ops::Range<usize>>,
    message: &str,
) -> WatchError {
    let (line, column, line_text) = position(text, span.map_or(0, |s| s.start));
    let gutter = line.to_string();
    let snippet = format!(
        "{pad} |\n{gutter} | {line_text}\n{pad} | {caret:>col$}",
        pad = " ".repeat(gutter.len()),
        caret = "^",
        col = column
    );
    WatchError::Rule {
        file: file.to_string(),
        line,
        column,
        message: message.trim().to_string(),
        snippet,
    }
}

/// Reads every rule in `text` (the content of `file`, named in errors).
pub fn parse_rules(file: &str, text: &str) -> Result<Vec<Rule>, WatchError> {
    let terr = |e: toml::de::Error| rule_error(file, text, e.span(), e.message());
    // A file is either one rule at the top level or `[[rule]]` tables.
    let table: toml::Table = toml::from_str(text).map_err(terr)?;
    // The text each rule is stored as: the file itself for a single rule, else its table
    // written out again as a top-level rule.
    let (raws, sources): (Vec<Spanned<RawRule>>, Vec<String>) = if table.contains_key("rule") {
        let raws = toml::from_str::<RawFile>(text).map_err(terr)?.rule;
        let sources = match table.get("rule") {
            Some(toml::Value::Array(items)) => items
                .iter()
                .map(|v| match v {
                    toml::Value::Table(t) => toml::to_string(t).unwrap_or_default(),
                    _ => String::new(),
                })
                .collect(),
            _ => Vec::new(),
        };
        (raws, sources)
    } else {
        let raw: RawRule = toml::from_str(text).map_err(terr)?;
        (
            vec![Spanned::new(0..text.len(), raw)],
            vec![text.to_string()],
        )
    };
    if raws.is_empty() {
        return Err(rule_error(file, text, Some(0..0), "no rule in the file"));
    }
    let mut seen = BTreeSet::new();
    let mut out = Vec::with_capacity(raws.len());
    for (i, raw) in raws.into_iter().enumerate() {
        let span = raw.span();
        let mut rule = check(file, text, span.clone(), raw.into_inner())?;
        rule.source = sources.get(i).cloned().unwrap_or_default();
        if !seen.insert(rule.name.clone()) {
            return Err(WatchError::Duplicate {
                file: file.to_string(),
                name: rule.name,
            });
        }
        out.push(rule);
    }
    Ok(out)
}

/// Reads the rules of a file, or of every `*.toml` file in a folder (sorted by name).
pub fn load_rules(path: &Path) -> Result<Vec<Rule>, WatchError> {
    let io = |p: &Path, e: std::io::Error| WatchError::Io {
        path: p.display().to_string(),
        source: e,
    };
    let mut files = Vec::new();
    if path.is_dir() {
        for entry in std::fs::read_dir(path).map_err(|e| io(path, e))? {
            let p = entry.map_err(|e| io(path, e))?.path();
            if p.extension().is_some_and(|x| x == "toml") {
                files.push(p);
            }
        }
        files.sort();
    } else {
        files.push(path.to_path_buf());
    }
    let mut out: Vec<Rule> = Vec::new();
    for f in files {
        let text = std::fs::read_to_string(&f).map_err(|e| io(&f, e))?;
        let label = f.display().to_string();
        for r in parse_rules(&label, &text)? {
            if out.iter().any(|o| o.name == r.name) {
                return Err(WatchError::Duplicate {
                    file: label,
                    name: r.name,
                });
            }
            out.push(r);
        }
    }
    Ok(out)
}

fn valid_name(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 100
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
}

fn conditions(file: &str, text: &str, r: RawRule) -> Result<Conditions, WatchError> {
    if let Some(b) = &r.bbox {
        let [min_lon, min_lat, max_lon, max_lat] = *b.get_ref();
        let ok = [min_lon, min_lat, max_lon, max_lat]
            .iter()
            .all(|v| v.is_finite())
            && min_lon <= max_lon
            && min_lat <= max_lat
            && (-180.0..=180.0).contains(&min_lon)
            && (-180.0..=180.0).contains(&max_lon)
            && (-90.0..=90.0).contains(&min_lat)
            && (-90.0..=90.0).contains(&max_lat);
        if !ok {
            return Err(rule_error(
                file,
                text,
                Some(b.span()),
                "bbox: expected [min_lon, min_lat, max_lon, max_lat] in degrees with min <= max",
            ));
        }
    }
    fn v<T>(l: Option<List<T>>) -> Vec<T> {
        l.map(|l| l.0).unwrap_or_default()
    }
    Ok(Conditions {
        actor: v(r.actor),
        source: v(r.source),
        target: v(r.target),
        dyad: v(r.dyad),
        cameo: v(r.cameo),
        plover: v(r.plover),
        mode: v(r.mode),
        modality: v(r.modality),
        country: v(r.country),
        place: v(r.place),
        bbox: r.bbox.map(|b| *b.get_ref()),
        min_killed: r.min_killed,
        min_injured: r.min_injured,
        min_sources: r.min_sources,
        text: v(r.text),
        regex: r.regex.map(|p| p.0),
        weapon: v(r.weapon),
        kb: v(r.kb),
        since: r.since.map(|d| d.0),
        until: r.until.map(|d| d.0),
    })
}

fn check(
    file: &str,
    text: &str,
    span: std::ops::Range<usize>,
    mut r: RawRule,
) -> Result<Rule, WatchError> {
    let err = |s: std::ops::Range<usize>, m: &str| rule_error(file, text, Some(s), m);
    let Some(name) = r.name.take() else {
        return Err(err(span, "a rule needs `name = \"…\"`"));
    };
    if !valid_name(name.get_ref()) {
        return Err(err(
            name.span(),
            "a rule name is 1-100 letters, digits, `-`, `_` or `.`",
        ));
    }
    let description = r.description.take().map(|d| d.into_inner());
    let enabled = r.enabled.take().is_none_or(|e| e.into_inner());
    let deliver = r
        .deliver
        .take()
        .map(|d| d.into_inner().0)
        .unwrap_or_default();
    let dedup = r.dedup.take().map(|d| d.into_inner()).unwrap_or_default();
    let mut any = Vec::new();
    if let Some(alts) = r.any.take() {
        if alts.get_ref().is_empty() {
            return Err(err(
                alts.span(),
                "`any` is empty: give at least one alternative",
            ));
        }
        for alt in alts.into_inner() {
            let a = alt.into_inner();
            if let Some(x) = a.name.as_ref() {
                return Err(err(
                    x.span(),
                    "`name` belongs to the rule, not to an `any` alternative",
                ));
            }
            if let Some(x) = a.description.as_ref() {
                return Err(err(
                    x.span(),
                    "`description` belongs to the rule, not to an `any` alternative",
                ));
            }
            if let Some(x) = a.enabled.as_ref() {
                return Err(err(
                    x.span(),
                    "`enabled` belongs to the rule, not to an `any` alternative",
                ));
            }
            if let Some(x) = a.deliver.as_ref() {
                return Err(err(
                    x.span(),
                    "`deliver` belongs to the rule, not to an `any` alternative",
                ));
            }
            if let Some(x) = a.dedup.as_ref() {
                return Err(err(
                    x.span(),
                    "`dedup` belongs to the rule, not to an `any` alternative",
                ));
            }
            if let Some(x) = a.any.as_ref() {
                return Err(err(x.span(), "`any` alternatives cannot nest"));
            }
            any.push(conditions(file, text, a)?);
        }
    }
    let all = conditions(file, text, r)?;
    Ok(Rule {
        name: name.into_inner(),
        description,
        enabled,
        deliver,
        dedup,
        source: String::new(),
        all,
        any,
    })
}

/// Normalizes an ISO date of any precision the coder writes (`2024-01-09`,
/// `2024-01-09T10:00`, `2024-01`, `2024`, `2024-W02`) to its first day.
pub fn normalize_day(s: &str) -> Option<NaiveDate> {
    let s = s.trim();
    if let Some(d) = s
        .get(..10)
        .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
    {
        return Some(d);
    }
    let year: i32 = s.get(..4)?.parse().ok()?;
    let rest = &s[4..];
    if rest.is_empty() {
        return NaiveDate::from_ymd_opt(year, 1, 1);
    }
    let rest = rest.strip_prefix('-')?;
    if let Some(w) = rest.strip_prefix('W') {
        let week: u32 = w.get(..2)?.parse().ok()?;
        return NaiveDate::from_isoywd_opt(year, week, chrono::Weekday::Mon);
    }
    let month: u32 = rest.get(..2)?.parse().ok()?;
    if rest.len() == 2 {
        return NaiveDate::from_ymd_opt(year, month, 1);
    }
    None
}
