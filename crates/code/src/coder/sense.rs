//! Word sense and document sense: candidates that the verb patterns find but that are not
//! political events between the actors they name.
//!
//! Judged on BBC News (`wirecoder eval coder --suite judged`), nine of ten events the patterns
//! made were no event at all: rugby teams named by their country ("Ireland conceded a penalty"),
//! a country word modifying a company or a market ("US supermarket group", "the British pound"),
//! a place standing beside an unnamed agent ("the government failed to remove … from the UK"),
//! companies doing business. The rules below look at what the actors are and how they are
//! written, not at the verbs, so that they hold for any dictionary.

use super::{Cand, Tk};
use once_cell::sync::Lazy;

/// `WIRECODER_SENSE=0` turns these rules off (to measure what they do); `=debug` prints each
/// rejected candidate on stderr.
static MODE: Lazy<String> = Lazy::new(|| std::env::var("WIRECODER_SENSE").unwrap_or_default());

pub(super) fn enabled() -> bool {
    MODE.as_str() != "0"
}

/// Words that mark a sports report. A document is one when it uses them often (at least four
/// times, three of them different, and 0.7 % of its words): on BBC News that holds for 457 of
/// 511 sport articles and 2 of 417 politics articles.
const SPORTS_WORDS: &[&str] = &[
    "match",
    "matches",
    "coach",
    "coaches",
    "goal",
    "goals",
    "striker",
    "midfielder",
    "defender",
    "goalkeeper",
    "tournament",
    "championship",
    "championships",
    "cup",
    "league",
    "season",
    "seeded",
    "semi-final",
    "quarter-final",
    "final",
    "finals",
    "rugby",
    "football",
    "tennis",
    "cricket",
    "athletics",
    "athlete",
    "athletes",
    "olympic",
    "olympics",
    "medal",
    "medals",
    "penalty",
    "penalties",
    "squad",
    "premiership",
    "fixture",
    "fixtures",
    "half-time",
    "scored",
    "scoring",
    "innings",
    "wicket",
    "wickets",
    "doping",
    "sprinter",
    "marathon",
    "champion",
    "champions",
    "player",
    "players",
    "club",
    "clubs",
    "team",
    "teams",
    "referee",
    "stadium",
    "fans",
    "captain",
    "unbeaten",
    "defeat",
];

/// Whether `text` reads as a sports report (see [`SPORTS_WORDS`]).
pub(super) fn is_sports(text: &str) -> bool {
    let (mut words, mut hits) = (0usize, 0usize);
    let mut distinct = std::collections::HashSet::new();
    for w in text
        .split(|c: char| !(c.is_alphabetic() || c == '-'))
        .filter(|w| w.starts_with(|c: char| c.is_alphabetic()))
    {
        words += 1;
        let lw = w.to_lowercase();
        if let Some(s) = SPORTS_WORDS.iter().find(|s| **s == lw) {
            hits += 1;
            distinct.insert(*s);
        }
    }
    hits >= 4 && distinct.len() >= 3 && hits * 1000 >= words * 7
}

/// A country code alone (`GBR`), no agent: the country as a whole, or a place.
fn bare_country(code: &str) -> bool {
    code.len() == 3 && code.bytes().all(|b| b.is_ascii_uppercase())
}

/// An agent of unknown country (`---GOV`), not the bare `---` of an unnamed doer.
fn unknown_agent(code: &str) -> bool {
    code.len() > 3 && code.starts_with("---")
}

/// The agent part of a code (`GBRGOV` → `GOV`, `---JUD` → `JUD`, `IGOEUREEC` → ``).
fn agents(code: &str) -> &str {
    if code.starts_with("IGO") || code.starts_with("MNC") || code.starts_with("NGO") {
        return "";
    }
    code.get(3..).unwrap_or("")
}

/// The state, its forces, its opposition and armed groups, and international organisations.
fn political(code: &str) -> bool {
    const STATE: &[&str] = &["GOV", "MIL", "COP", "LEG", "SPY", "REB", "INS", "OPP"];
    code.starts_with("IGO") || STATE.iter().any(|a| agents(code).contains(a))
}

/// The state and its forces (a team called the Tigers is not a rebel group).
fn state(code: &str) -> bool {
    const STATE: &[&str] = &["GOV", "MIL", "COP", "LEG", "SPY"];
    code.starts_with("IGO") || STATE.iter().any(|a| agents(code).contains(a))
}

/// The first and last tokens of an actor's words: its span, else the first place its text
/// occurs in the sentence (actors resolved through groups may carry no span).
fn actor_tokens(toks: &[Tk], a: &wirecoder_doc::ActorRef) -> Option<(usize, usize)> {
    if let Some(sp) = a.span {
        let first = toks.iter().position(|t| t.e > sp.start && t.s < sp.end)?;
        let last = toks.iter().rposition(|t| t.s < sp.end && t.e > sp.start)?;
        return Some((first, last));
    }
    let words: Vec<&str> = a.text.split_whitespace().collect();
    if words.is_empty() || words.len() > toks.len() {
        return None;
    }
    (0..=toks.len() - words.len())
        .find(|&i| words.iter().enumerate().all(|(j, w)| toks[i + j].w == *w))
        .map(|i| (i, i + words.len() - 1))
}

/// Prepositions and possessives that make a country a place or an owner, not a party.
const PLACE_PREPS: &[&str] = &[
    "in",
    "into",
    "from",
    "across",
    "throughout",
    "within",
    "outside",
    "around",
    "of",
];

/// Whether the actor's words are written as a place or an owner: after a preposition of
/// [`PLACE_PREPS`] (a determiner between allowed) or with a possessive `'s` after them.
fn as_place(toks: &[Tk], a: &wirecoder_doc::ActorRef) -> bool {
    let Some((first, last)) = actor_tokens(toks, a) else {
        return false;
    };
    let lw = |i: usize| toks.get(i).map(|t| t.w.to_lowercase()).unwrap_or_default();
    let mut p = first;
    if p > 0 && matches!(lw(p - 1).as_str(), "the" | "a" | "an") {
        p -= 1;
    }
    (p > 0 && PLACE_PREPS.contains(&lw(p - 1).as_str()))
        || matches!(lw(last + 1).as_str(), "'s" | "’s" | "'" | "’")
}

/// "a missionary from Calgary": the place right after the agent is its origin, which the
/// agent's code lacks, not where something happens.
fn origin(toks: &[Tk], c: &Cand, a: &wirecoder_doc::ActorRef) -> bool {
    let (Some((f, _)), Some((_, sl))) = (actor_tokens(toks, a), actor_tokens(toks, &c.source))
    else {
        return false;
    };
    let mut p = f;
    if p > 0 && toks[p - 1].w == "the" {
        p -= 1;
    }
    p >= 2 && p - 2 == sl && matches!(toks[p - 1].w.as_str(), "from" | "of" | "in")
}

/// Capitalised words that follow a name without continuing it ("Israel Friday reimposed").
const DATE_WORDS: &[&str] = &[
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
    "today",
    "yesterday",
    "tomorrow",
];

/// Heads after a country word that name something other than the state: its companies,
/// markets, money, statistics, teams, entertainers ("US supermarket group", "British pound",
/// "Japanese box office", "Irish duo", "UK export recovery").
const THING_HEADS: &[&str] = &[
    "company",
    "companies",
    "firm",
    "firms",
    "group",
    "groups",
    "giant",
    "giants",
    "market",
    "markets",
    "economy",
    "economies",
    "export",
    "exports",
    "import",
    "imports",
    "share",
    "shares",
    "stock",
    "stocks",
    "pound",
    "pounds",
    "dollar",
    "dollars",
    "euro",
    "yen",
    "currency",
    "currencies",
    "store",
    "stores",
    "shops",
    "retailer",
    "retailers",
    "supermarket",
    "box",
    "office",
    "debt",
    "output",
    "production",
    "industry",
    "industries",
    "club",
    "clubs",
    "team",
    "teams",
    "international",
    "internationals",
    "player",
    "players",
    "duo",
    "trio",
    "star",
    "stars",
    "actor",
    "actors",
    "actress",
    "singer",
    "singers",
    "band",
    "bands",
    "film",
    "films",
    "director",
    "directors",
    "producer",
    "producers",
    "acts",
    "music",
    "chart",
    "charts",
    "show",
    "shows",
    "programme",
    "television",
    "tv",
    "university",
    "universities",
    "school",
    "schools",
    "brand",
    "brands",
    "product",
    "products",
    "consumers",
    "consumer",
    "shoppers",
    "investors",
    "investor",
    "airline",
    "airlines",
    "carrier",
    "operator",
    "operators",
    "network",
    "networks",
    "researchers",
    "research",
    "think-tank",
    "institute",
    "economists",
    "analysts",
    "fans",
    "football",
    "rugby",
    "tennis",
    "cricket",
    "athletics",
    "open",
    "championship",
    "championships",
    "cup",
    "league",
    "premiership",
    "recovery",
    "growth",
    "sales",
    "prices",
    "price",
    "profits",
    "jobs",
    "data",
    "figures",
    "record",
    "records",
    "hopes",
    "audience",
    "audiences",
    "viewers",
    "version",
    "association",
    "federation",
    "bank",
    "banks",
    "tour",
    "tours",
    "election",
    "elections",
    "voters",
];

/// Why the candidate is no event between its actors, if it is not; `text` is the document's,
/// `sports` says whether it is a sports report.
pub(super) fn reject(text: &str, toks: &[Tk], c: &Cand, sports: bool) -> Option<&'static str> {
    let why = reject_why(text, toks, c, sports);
    if let (Some(w), "debug") = (why, MODE.as_str()) {
        let words: Vec<String> = toks
            .iter()
            .enumerate()
            .map(|(i, t)| match (&t.rel, t.head) {
                (Some(r), Some(h)) => format!("{i}:{}/{r}/{h}", t.w),
                _ => t.w.clone(),
            })
            .collect();
        eprintln!(
            "sense: {w}: {} {:?} {:?} -> {:?} {:?} | {}",
            c.code,
            c.source.actor,
            actor_tokens(toks, &c.source),
            c.target.as_ref().and_then(|t| t.actor.as_deref()),
            c.target.as_ref().and_then(|t| actor_tokens(toks, t)),
            words.join(" ")
        );
    }
    why
}

/// Rules switched off by `WIRECODER_SENSE_OFF=sports,place,...` (to measure each one).
static OFF: Lazy<Vec<String>> = Lazy::new(|| {
    std::env::var("WIRECODER_SENSE_OFF")
        .unwrap_or_default()
        .split(',')
        .map(str::to_string)
        .collect()
});

fn on(rule: &str) -> bool {
    !OFF.iter().any(|r| r == rule)
}

/// `text` is the document's (the tokens' words are lower-cased).
fn reject_why(text: &str, toks: &[Tk], c: &Cand, sports: bool) -> Option<&'static str> {
    let src = c.source.actor.as_deref().unwrap_or("");
    let tgt = c.target.as_ref().and_then(|t| t.actor.as_deref());
    let sides = || std::iter::once(src).chain(tgt);
    // Teams carry their country's name: in a sports report only the state and armed groups
    // make events ("Scotland's justice minister warned fans" stays).
    if on("sports") && sports && !sides().any(|a| !a.starts_with("---") && state(a)) {
        return Some("sports report");
    }
    // "the government … from the UK", "the company … on the Frankfurt Stock Exchange": a
    // country written as a place or owner beside an agent of unknown country is where it
    // happens or whose it is ("a European court convicted Turkey" stays).
    if let (true, Some(t), Some(tr)) = (on("place"), tgt, c.target.as_ref()) {
        if unknown_agent(src) && bare_country(t) && as_place(toks, tr) && !origin(toks, c, tr) {
            return Some("place beside an unnamed agent");
        }
    }
    // "Mr Irish", "Ms Ireland": a surname, not a country.
    let titled = |a: &wirecoder_doc::ActorRef| {
        actor_tokens(toks, a)
            .and_then(|(first, _)| first.checked_sub(1))
            .is_some_and(|i| {
                matches!(
                    toks[i].w.trim_end_matches('.'),
                    "mr" | "mrs" | "ms" | "miss" | "dr" | "sir" | "lady" | "lord"
                )
            })
    };
    if on("title") && (titled(&c.source) || c.target.as_ref().is_some_and(titled)) {
        return Some("surname after a title");
    }
    // Companies trading, listing, launching: business, unless a state is on the other side.
    if on("business")
        && (src.starts_with("MNC") || src == "---BUS")
        && !tgt.is_some_and(|t| political(t) || bare_country(t))
    {
        return Some("business");
    }
    // A country word that modifies another noun names that thing, not the state (parsed
    // sentences only; the chain of compounds is followed to its head).
    let modifier = |a: &wirecoder_doc::ActorRef| -> bool {
        let Some(code) = a.actor.as_deref() else {
            return false;
        };
        if !bare_country(code) {
            return false;
        }
        let Some((first, last)) = actor_tokens(toks, a) else {
            return false;
        };
        let inside = |i: usize| (first..=last).contains(&i);
        let capital = |t: &Tk| {
            text.get(t.s..t.e)
                .is_some_and(|w| w.starts_with(|c: char| c.is_uppercase()))
        };
        // "UK Independence Party": the name goes on past the country's words.
        if toks.get(last + 1).is_some_and(|t| {
            t.rel.as_deref() == Some("flat")
                && t.head.is_some_and(inside)
                && capital(t)
                && !DATE_WORDS.contains(&t.w.as_str())
        }) {
            return true;
        }
        // The word of the span that hangs outside it.
        let Some(mut i) = (0..toks.len()).find(|&i| inside(i) && !toks[i].head.is_some_and(inside))
        else {
            return false;
        };
        for _ in 0..4 {
            let (Some(h), Some(rel)) = (toks[i].head, toks[i].rel.as_deref()) else {
                return false;
            };
            if !matches!(rel, "compound" | "amod" | "nmod:poss") || h <= last {
                return false;
            }
            if h >= toks.len() {
                return false;
            }
            // The words up to the head: "Finnish security firm F-Secure".
            if ((i + 1)..=h).any(|j| THING_HEADS.contains(&toks[j].w.as_str())) {
                return true;
            }
            i = h;
        }
        false
    };
    if on("modifier") && (modifier(&c.source) || c.target.as_ref().is_some_and(modifier)) {
        return Some("country word modifying a noun");
    }
    None
}
