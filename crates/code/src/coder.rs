//! The event coder: sentence-level rules over tokens and resolved actors.
//!
//! Every sentence is first coded from tokens: clauses (cut at `;`, `that`, `which`, `who`,
//! `while`, `but`) and actor *groups* (coordinated actors: "the US, UK and EU", "both Moscow and
//! Pyongyang"). Where that finds an event, the sentence is parsed and coded again with its
//! dependency tree ([`crate::tree`]): subjects, objects, passive agents, control verbs and
//! negation come from the tree, and the token rules stay as the fallback where the tree has no
//! answer. Two kinds of triggers make events:
//!
//! * **verbs** from the PETRARCH2 dictionary (plus ours), coded by their patterns: the subject is
//!   the nearest actor group to the left in the clause (or the `by` agent of a passive), the
//!   target the first actor group to the right that is not a locative;
//! * **nominal events** ("Russia's acquisition of North Korean missiles", "visits by senior
//!   Russian officials to Pyongyang", "a United Nations arms embargo"), with agents from
//!   possessives, `by` phrases and modifiers.
//!
//! Constructions on top: reported speech (the reporter accuses the source of a conflict event it
//! reports; the reported event is *alleged*), denial (the denial is the event; what is denied is
//! not asserted), corroboration ("an official corroborated this assertion" repeats the last
//! accusation), characterisation ("characterize X as the most hostile state"), "No comment."

use std::collections::HashSet;

use once_cell::sync::Lazy;
use regex::Regex;
use wirecoder_doc::{ActorRef, Doc, Event, Modality, Place, Span};
use wirecoder_kb::Kb;

use crate::tree::Tree;

mod sense;
use crate::verbs::VerbDict;

/// A token of the sentence being coded.
#[derive(Debug, Clone)]
struct Tk {
    s: usize,
    e: usize,
    w: String,
    /// Word class from the tagger, when it ran.
    pos: Option<wirecoder_doc::Pos>,
    /// Syntactic head (sentence-local index), relation and lemma, when the sentence was parsed.
    head: Option<usize>,
    rel: Option<String>,
    lemma: Option<String>,
}

/// An actor mention mapped onto tokens.
#[derive(Debug, Clone)]
struct Act {
    t0: usize,
    t1: usize,
    r: ActorRef,
    place: Option<Place>,
    /// A place (city, region) rather than an actor in its own right.
    is_place: bool,
}

/// Coordinated actors.
#[derive(Debug, Clone)]
struct Group {
    t0: usize,
    t1: usize,
    members: Vec<ActorRef>,
    place: Option<Place>,
    all_places: bool,
}

/// What earlier sentences tell later ones.
#[derive(Debug, Default, Clone)]
pub(crate) struct Discourse {
    /// The sentence just coded held a verb with a code (whether or not its actors were found).
    trigger: bool,
    statement_authors: Vec<ActorRef>,
    last_plural: Vec<ActorRef>,
    last_accusations: Vec<Event>,
}

const JOINERS: &[&str] = &[
    ",",
    "and",
    "or",
    "nor",
    "neither",
    "both",
    "as",
    "well",
    "the",
    "its",
    "their",
    "allies",
    "ally",
    "other",
    "partner",
    "nations",
    "countries",
    "along",
    "together",
    "plus",
];
const DETERMINERS: &[&str] = &[
    "the", "a", "an", "their", "its", "his", "her", "our", "several", "multiple", "many", "these",
    "those", "this", "that", "’s", "'s", "of", "missile", "drone", "air", "series", "new",
    "further", "more", "recent", "two", "three", "some", "any", "no", "such", "joint", "mass",
    "large", "first", "latest", "initial",
];
const BE_FORMS: &[&str] = &[
    "is", "are", "was", "were", "been", "being", "be", "’s", "'s", "got", "get",
];
const NEGATIONS: &[&str] = &["not", "n't", "never", "no"];
const FUTURE: &[&str] = &["will", "shall", "’ll", "'ll"];
const HYPOTHETICAL: &[&str] = &["would", "could", "may", "might", "should", "if", "unless"];
const LOCATIVE: &[&str] = &[
    "in",
    "at",
    "near",
    "since",
    "during",
    "from",
    "over",
    "across",
    "inside",
    "outside",
    "around",
    "throughout",
    "among",
    "amid",
    "towards",
    "toward",
    "of",
];
/// Words before a trigger word that make it a noun ("in attacks", "the visit").
const NOUN_CONTEXT: &[&str] = &[
    "in",
    "of",
    "for",
    "with",
    "by",
    "after",
    "amid",
    "following",
    "despite",
    "against",
    "from",
    "on",
];
/// Verbs whose object comes *from* a provider: the provider is the source of a transfer.
const RECEIVE: &[&str] = &[
    "obtain", "acquire", "receive", "buy", "purchase", "import", "get", "procure",
];
/// Codes that make sense without a target.
fn targetless_ok(code: &str) -> bool {
    // Dyadic by nature: consult, cooperate, aid, disapprove need someone on the other side.
    !matches!(code.get(..2), Some("04" | "05" | "06" | "07" | "11"))
}
const CLAUSE_BREAK: &[&str] = &[
    ";", "that", "which", "who", "while", "whereas", "but", "although", "though", "because",
    "after", "before", "when", "—", "–", "despite",
];
const REPORTING: &[&str] = &[
    "say",
    "tell",
    "announce",
    "reveal",
    "declare",
    "claim",
    "state",
    "report",
    "add",
    "note",
    "insist",
    "stress",
    "allege",
    "argue",
    "explain",
    "emphasize",
    "emphasise",
    "write",
    "acknowledge",
    "assert",
    "disclose",
    "confirm",
    "warn",
    "suggest",
    "indicate",
    "believe",
    "know",
    "show",
    "find",
    "conclude",
    "highlight",
    "respond",
    "reply",
    "tell",
];
const CORROBORATE: &[&str] = &[
    "corroborate",
    "confirm",
    "echo",
    "back",
    "support",
    "reiterate",
    "endorse",
    "repeat",
    "substantiate",
    "verify",
];
const CLAIM_NOUNS: &[&str] = &[
    "assertion",
    "assertions",
    "claim",
    "claims",
    "accusation",
    "accusations",
    "allegation",
    "allegations",
    "charge",
    "charges",
    "report",
    "reports",
    "finding",
    "findings",
    "account",
    "intelligence",
];
const CHARACTERIZE: &[&str] = &[
    "characterize",
    "characterise",
    "describe",
    "call",
    "label",
    "brand",
    "designate",
    "term",
    "name",
    "consider",
    "regard",
    "deem",
    "denounce",
    "declare",
    "list",
];
const HOSTILE: &[&str] = &[
    "hostile",
    "enemy",
    "enemies",
    "threat",
    "aggressor",
    "terrorist",
    "terrorists",
    "rogue",
    "puppet",
    "adversary",
    "invader",
    "invaders",
    "occupier",
    "occupiers",
    "belligerent",
    "warmonger",
    "warmongers",
    "criminal",
    "evil",
    "fascist",
    "nazi",
    "nazis",
];
const STATEMENT_NOUNS: &[&str] = &[
    "statement",
    "declaration",
    "communique",
    "communiqué",
    "letter",
    "resolution",
];
const PLURAL_ANAPHORA: &[&[&str]] = &[
    &["both", "parties"],
    &["both", "sides"],
    &["both", "countries"],
    &["both", "nations"],
    &["the", "two", "countries"],
    &["the", "two", "sides"],
    &["the", "two", "nations"],
    &["both", "governments"],
    &["the", "two", "governments"],
];

/// A nominal event before modality: sources, targets, code, place.
type NominalCand = (Vec<ActorRef>, Option<Vec<ActorRef>>, String, Option<Place>);

/// Nominal triggers: (word stem, frame).
#[derive(Debug, Clone, Copy, PartialEq)]
enum Frame {
    Attack,
    Visit,
    Acquire,
    Transfer,
    Sanction,
    Deploy,
}

fn nominal_frame(w: &str) -> Option<Frame> {
    Some(match w {
        "attack" | "attacks" | "strike" | "strikes" | "airstrike" | "airstrikes" | "bombing"
        | "bombings" | "bombardment" | "bombardments" | "shelling" | "assault" | "assaults"
        | "offensive" | "raid" | "raids" | "invasion" | "incursion" | "incursions" => Frame::Attack,
        "visit" | "visits" | "trip" | "trips" => Frame::Visit,
        "acquisition" | "acquisitions" | "purchase" | "purchases" | "import" | "imports"
        | "procurement" => Frame::Acquire,
        "export" | "exports" | "transfer" | "transfers" | "shipment" | "shipments" | "delivery"
        | "deliveries" | "supply" | "supplies" | "sale" | "sales" => Frame::Transfer,
        "embargo" | "embargoes" | "sanctions" | "sanction" => Frame::Sanction,
        "deployment" | "use" | "usage" => Frame::Deploy,
        _ => return None,
    })
}

const WEAPONS: &[(&str, &str)] = &[
    ("short-range ballistic missile", "ballistic missile"),
    ("intercontinental ballistic missile", "ballistic missile"),
    ("ballistic missile", "ballistic missile"),
    ("cruise missile", "cruise missile"),
    ("hypersonic missile", "hypersonic missile"),
    ("srbm", "ballistic missile"),
    ("icbm", "ballistic missile"),
    ("missile", "missile"),
    ("rocket", "rocket"),
    ("drone", "drone"),
    ("uav", "drone"),
    ("artillery", "artillery"),
    ("shelling", "artillery"),
    ("mortar", "mortar"),
    ("airstrike", "air strike"),
    ("air strike", "air strike"),
    ("warplane", "aircraft"),
    ("fighter jet", "aircraft"),
    ("bomb", "bomb"),
    ("ied", "IED"),
    ("improvised explosive", "IED"),
    ("car bomb", "car bomb"),
    ("tank", "tank"),
    ("rifle", "small arms"),
    ("gunfire", "small arms"),
    ("grenade", "grenade"),
    ("landmine", "mine"),
    ("chemical weapon", "chemical weapon"),
    ("nuclear weapon", "nuclear weapon"),
];

static KILLED_RE: Lazy<Regex> = Lazy::new(|| {
    Regex::new(r"(?i)\b(?:(?:at least|more than|over|about|around|nearly|some)\s+)?(\d[\d,]*|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|dozens|hundreds|scores)\s+(?:people\s+|civilians\s+|persons\s+|soldiers\s+)?(?:were\s+|was\s+|have been\s+|had been\s+)?(killed|dead|deaths|fatalities|died|killing|wounded|injured|injuries|casualties)").expect("static regex")
});

static KILLING_RE: Lazy<Regex> = Lazy::new(|| {
    Regex::new(r"(?i)\b(killing|killed|injuring|injured|wounding|wounded)\s+(?:at least\s+|more than\s+|over\s+|about\s+|around\s+|nearly\s+|some\s+)?(\d[\d,]*|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|dozens|hundreds|scores)\b").expect("static regex")
});

fn number_word(s: &str) -> Option<u32> {
    let l = s.to_lowercase();
    Some(match l.as_str() {
        "one" => 1,
        "two" => 2,
        "three" => 3,
        "four" => 4,
        "five" => 5,
        "six" => 6,
        "seven" => 7,
        "eight" => 8,
        "nine" => 9,
        "ten" => 10,
        "eleven" => 11,
        "twelve" => 12,
        "dozens" | "scores" => 24,
        "hundreds" => 200,
        _ => l.replace(',', "").parse().ok()?,
    })
}

/// Casualty counts stated in a sentence: (killed, injured).
fn casualties(s: &str) -> (Option<u32>, Option<u32>) {
    let mut killed = None;
    let mut injured = None;
    for c in KILLED_RE.captures_iter(s) {
        let n = c.get(1).and_then(|m| number_word(m.as_str()));
        match c.get(2).map(|m| m.as_str().to_lowercase()).as_deref() {
            Some("killed" | "dead" | "deaths" | "fatalities" | "died" | "killing") => {
                killed = killed.or(n)
            }
            Some("wounded" | "injured" | "injuries" | "casualties") => injured = injured.or(n),
            _ => {}
        }
    }
    for c in KILLING_RE.captures_iter(s) {
        let n = c.get(2).and_then(|m| number_word(m.as_str()));
        match c.get(1).map(|m| m.as_str().to_lowercase()).as_deref() {
            Some("killing" | "killed") => killed = killed.or(n),
            Some(_) => injured = injured.or(n),
            None => {}
        }
    }
    (killed, injured)
}

/// Every weapon word at once: one pass over a sentence instead of one search per word.
static WEAPON_WORDS: Lazy<aho_corasick::AhoCorasick> = Lazy::new(|| {
    aho_corasick::AhoCorasick::new(WEAPONS.iter().map(|(k, _)| k))
        .unwrap_or_else(|e| panic!("static weapon words: {e}"))
});

/// The weapon of the first [`WEAPONS`] entry found in `s` at the start of a word.
fn weapon_in(s: &str) -> Option<&'static str> {
    let l = s.to_lowercase();
    WEAPON_WORDS
        .find_overlapping_iter(&l)
        .filter(|m| {
            let before = l[..m.start()].chars().next_back();
            before.is_none_or(|c| !c.is_alphanumeric())
        })
        .map(|m| m.pattern().as_usize())
        .min()
        .map(|i| WEAPONS[i].1)
}

/// The event coder.
pub(crate) struct Coder<'k> {
    pub kb: &'k Kb,
    pub verbs: &'k VerbDict,
    /// The parser: sentences where the token rules find an event are parsed and coded again
    /// from their trees.
    pub parser: Option<&'static wirecoder_syntax::Model>,
    /// Also parse sentences with a coded verb whose actors the token rules could not place
    /// (about 12 % of news sentences instead of 5 %; slightly more accurate, slower).
    pub parse_wide: bool,
    /// Keep events whose code the CAMEO table lacks (with Goldstein 0, no PLOVER type).
    pub keep_unknown_codes: bool,
    /// Recode announced, refused and threatened acts with CAMEO's intent (03x), rejection
    /// (12x) and threat (13x) codes; off for a dictionary that may not code in CAMEO.
    pub cameo_stance: bool,
}

/// Words after the verb at `k` that its patterns read: twelve at most, within its clause
/// (reading on through a complement clause lost more on PLOVER and CAMEO than it gained).
fn post_window<'w>(words: &[&'w str], k: usize, ce: usize) -> Vec<&'w str> {
    words[(k + 1).min(ce)..ce.min(k + 13)].to_vec()
}

/// Words before a verb that its patterns may read ("most certainly did not ever clash").
const PRE_WINDOW: usize = 8;

/// The words before the verb at `k` within its clause (from `cs`), nearest first: at most
/// [`PRE_WINDOW`].
fn pre_window<'w>(words: &[&'w str], k: usize, cs: usize) -> Vec<&'w str> {
    words[cs.max(k.saturating_sub(PRE_WINDOW)).min(k)..k]
        .iter()
        .rev()
        .cloned()
        .collect()
}

/// Sentences longer than this (tokens) are coded from tokens only: parsing cost grows with
/// length and long sentences are where the parser errs most.
const MAX_PARSE_TOKENS: usize = 70;

/// Tag and parse sentence `si` of `doc` unless it is parsed already; whether it now is.
fn parse_sentence(m: &wirecoder_syntax::Model, doc: &mut Doc, sent: Span) -> bool {
    let lo = doc.tokens.partition_point(|t| t.span.start < sent.start);
    let hi = lo
        + doc.tokens[lo..]
            .iter()
            .take_while(|t| t.span.end <= sent.end)
            .count();
    if hi - lo < 3 || hi - lo > MAX_PARSE_TOKENS {
        return false;
    }
    if doc.tokens[lo].deprel.is_some() {
        return true;
    }
    let forms: Vec<&str> = doc.tokens[lo..hi]
        .iter()
        .map(|t| doc.text.get(t.span.start..t.span.end).unwrap_or(""))
        .collect();
    let an = m.analyse_words(&forms);
    for (k, a) in an.into_iter().enumerate() {
        if let Some(t) = doc.tokens.get_mut(lo + k) {
            t.pos = wirecoder_syntax::upos(&a.upos);
            t.xpos = Some(a.xpos);
            t.lemma = Some(a.lemma);
            t.head = (a.head > 0).then(|| lo + a.head - 1);
            t.deprel = Some(a.deprel);
        }
    }
    true
}

/// One candidate event before it becomes an [`Event`].
#[derive(Debug, Clone)]
struct Cand {
    source: ActorRef,
    target: Option<ActorRef>,
    code: String,
    modality: Modality,
    t0: usize,
    t1: usize,
    trigger: usize,
    /// Evidence extends to these byte offsets at least (actors in other clauses).
    place: Option<Place>,
    priority: u8,
}

impl<'k> Coder<'k> {
    /// Code every sentence of `doc` (sentences, entities and dates must be there).
    pub fn code(&self, doc: &mut Doc) {
        let mut disc = Discourse::default();
        let mut events = Vec::new();
        let sports = sense::enabled() && sense::is_sports(&doc.text);
        // Candidates that are no event between their actors go before the parse decision, so
        // that their sentences are not parsed for nothing, and again after it.
        let drop_senseless = |cands: &mut Vec<Cand>, doc: &Doc, sent: Span| {
            if sense::enabled() {
                let toks = tokens_of(doc, sent);
                cands.retain(|c| sense::reject(&doc.text, &toks, c, sports).is_none());
            }
        };
        for si in 0..doc.sentences.len() {
            let sent = doc.sentences[si];
            let before = self.parser.is_some().then(|| disc.clone());
            disc.trigger = false;
            let mut cands = self.code_sentence(doc, si, sent, &mut disc);
            drop_senseless(&mut cands, doc, sent);
            // Only sentences with a coded verb pay for a parse (a few percent of news
            // sentences); they are coded again from the tree.
            if let (Some(m), Some(saved)) = (self.parser, before) {
                // Candidates between actors of unknown country alone ("officials said")
                // do not pay for a parse.
                let named = |a: Option<&ActorRef>| {
                    a.and_then(|a| a.actor.as_deref())
                        .is_some_and(|c| !c.starts_with("---"))
                };
                if (cands
                    .iter()
                    .any(|c| named(Some(&c.source)) || named(c.target.as_ref()))
                    || (self.parse_wide && disc.trigger))
                    && parse_sentence(m, doc, sent)
                {
                    disc = saved;
                    cands = self.code_sentence(doc, si, sent, &mut disc);
                    drop_senseless(&mut cands, doc, sent);
                }
            }
            let stext = doc.slice(sent).to_string();
            let (killed, injured) = casualties(&stext);
            let weapon = weapon_in(&stext);
            let date = self.sentence_date(doc, sent);
            let toks = tokens_of(doc, sent);
            let cands = prefer_specific(cands);
            let mut seen = HashSet::new();
            for c in cands {
                let key = (
                    c.source.actor.clone(),
                    c.target.as_ref().and_then(|t| t.actor.clone()),
                    c.code.clone(),
                    c.modality,
                );
                if c.source.actor.is_none() || !seen.insert(key) {
                    continue;
                }
                // An event needs one named actor: "officials said", "police arrested
                // protesters" say too little of who did what to whom.
                let unknown = |a: Option<&str>| a.is_none_or(|a| a.starts_with("---"));
                if unknown(c.source.actor.as_deref())
                    && unknown(c.target.as_ref().and_then(|t| t.actor.as_deref()))
                {
                    continue;
                }
                if let (Some(t), Some(s)) = (&c.target, &c.source.actor) {
                    if t.actor.as_deref() == Some(s.as_str()) {
                        continue; // an actor does not act on itself here
                    }
                }
                let unknown;
                let info = match self.kb.cameo(&c.code) {
                    Some(i) => i,
                    None if self.keep_unknown_codes => {
                        unknown = wirecoder_kb::CameoCode {
                            code: c.code.clone(),
                            name: String::new(),
                            goldstein: 0.0,
                            quad_class: 0,
                            root: c.code.get(..2).unwrap_or("").to_string(),
                            plover: None,
                            plover_mode: None,
                            plover_context: None,
                        };
                        &unknown
                    }
                    None => continue,
                };
                let root: u32 = c.code.get(..2).and_then(|r| r.parse().ok()).unwrap_or(0);
                let violent = (18..=20).contains(&root);
                let armed = violent || root == 7 || root == 15;
                let s = toks.get(c.t0).map(|t| t.s).unwrap_or(sent.start);
                let e = toks
                    .get(c.t1.saturating_sub(1))
                    .map(|t| t.e)
                    .unwrap_or(sent.end);
                let mut evidence = Span::new(s.min(e), e.max(s));
                if let Some(sp) = c.source.span {
                    if sent.contains(sp) {
                        evidence.start = evidence.start.min(sp.start);
                        evidence.end = evidence.end.max(sp.end);
                    }
                }
                if let Some(sp) = c.target.as_ref().and_then(|t| t.span) {
                    if sent.contains(sp) {
                        evidence.start = evidence.start.min(sp.start);
                        evidence.end = evidence.end.max(sp.end);
                    }
                }
                let _ = c.trigger;
                let _ = c.priority;
                events.push(Event {
                    source: c.source.clone(),
                    target: c.target.clone(),
                    cameo: c.code.clone(),
                    goldstein: info.goldstein,
                    quad_class: info.quad_class,
                    plover: info.plover.clone(),
                    mode: info.plover_mode.clone(),
                    modality: c.modality,
                    date: date.clone(),
                    place: c.place.clone(),
                    killed: if violent { killed } else { None },
                    injured: if violent { injured } else { None },
                    weapon: if armed {
                        weapon.map(str::to_string)
                    } else {
                        None
                    },
                    sentence: si,
                    evidence,
                });
            }
        }
        doc.events = events;
    }

    /// The best code over the verb entries of the form at `k` (later entries, ours, win ties):
    /// (code, pattern score, verb id).
    /// `compound`: the subject is two actors or more.
    fn verb_code(
        &self,
        words: &[&str],
        k: usize,
        cs: usize,
        ce: usize,
        compound: bool,
    ) -> Option<(Option<String>, usize, usize)> {
        let ids = self.verbs.lookup(words.get(k)?);
        let post = post_window(words, k, ce);
        let pre = pre_window(words, k, cs);
        let mut best: Option<(Option<String>, usize, usize)> = None;
        for &id in ids {
            let v = self.verbs.verb(id);
            if !v
                .particles
                .iter()
                .enumerate()
                .all(|(j, p)| words.get(k + 1 + j) == Some(&p.as_str()))
            {
                continue;
            }
            let skip = v.particles.len();
            let post2: Vec<&str> = post.iter().skip(skip).cloned().collect();
            let (code, score) = self.verbs.code_for(id, &pre, &post2, compound);
            let better = match &best {
                None => true,
                // Later entries (our additions) win ties, even to say "no event".
                Some((_, s, _)) => score >= *s,
            };
            if better {
                best = Some((code, score, id));
            }
        }
        best
    }

    /// The words verb entry `id`'s patterns read around the verb at `k`: before it nearest
    /// first, and after it past the entry's particles ("hand over").
    fn pattern_context<'w>(
        &self,
        words: &[&'w str],
        k: usize,
        cs: usize,
        ce: usize,
        id: usize,
    ) -> (Vec<&'w str>, Vec<&'w str>) {
        let skip = self.verbs.verb(id).particles.len();
        let post = post_window(words, k, ce).into_iter().skip(skip).collect();
        (pre_window(words, k, cs), post)
    }

    /// The reverse code of verb entry `id` at token `k` (see [`VerbDict::rev_for`]), with the
    /// same context words as [`Coder::verb_code`].
    fn verb_rev(
        &self,
        words: &[&str],
        k: usize,
        cs: usize,
        ce: usize,
        id: usize,
        compound: bool,
    ) -> Option<String> {
        let (pre, post) = self.pattern_context(words, k, cs, ce, id);
        self.verbs.rev_for(id, &pre, &post, compound)
    }

    /// The agent of a phrase whose head `s` lies outside the actor's name: "Ithilen's awful
    /// and evil minister", "soldiers from Gondor" (the knowledge base composes only the
    /// plain orders). The agent word nearest the head, between it and the name, gives its
    /// suffix to each bare country code of the group.
    fn head_agent(&self, mut g: Group, s: usize, words: &[&str]) -> Group {
        if (g.t0..g.t1).contains(&s) {
            return g;
        }
        let (lo, hi) = if s < g.t0 { (s, g.t0) } else { (g.t1, s + 1) };
        if hi - lo > 6
            || words[lo..hi]
                .iter()
                .any(|w| matches!(*w, "," | "that" | "who"))
        {
            return g;
        }
        let near: Vec<usize> = if s < g.t0 {
            (lo..hi).collect()
        } else {
            (lo..hi).rev().collect()
        };
        let Some(suffix) = near.into_iter().find_map(|i| {
            // Two-word agents first ("prime minister", "border police").
            let two = (i > 0).then(|| format!("{} {}", words[i - 1], words[i]));
            two.and_then(|p| self.kb.agent(&p))
                .or_else(|| self.kb.agent(words[i]))
        }) else {
            return g;
        };
        for m in &mut g.members {
            if let Some(c) = m.actor.as_mut() {
                if c.len() == 3 && c.bytes().all(|b| b.is_ascii_uppercase()) {
                    c.push_str(suffix);
                }
            }
        }
        g
    }

    /// The actor marks of verb entry `id`'s matching pattern at `k` (see
    /// [`VerbDict::marks_for`]), with the same context words as [`Coder::verb_code`].
    fn verb_marks(
        &self,
        words: &[&str],
        k: usize,
        cs: usize,
        ce: usize,
        id: usize,
        compound: bool,
    ) -> Option<crate::verbs::Marks> {
        let (pre, post) = self.pattern_context(words, k, cs, ce, id);
        self.verbs.marks_for(id, &pre, &post, compound)
    }

    fn sentence_date(&self, doc: &Doc, sent: Span) -> Option<String> {
        doc.dates
            .iter()
            .filter(|d| sent.contains(d.span))
            // PRESENT_REF and friends say little about when the event happened.
            .find_map(|d| {
                d.value
                    .clone()
                    .filter(|v| v.starts_with(|c: char| c.is_ascii_digit()))
            })
    }

    fn code_sentence(&self, doc: &Doc, si: usize, sent: Span, disc: &mut Discourse) -> Vec<Cand> {
        let toks = tokens_of(doc, sent);
        if toks.is_empty() {
            return Vec::new();
        }
        let acts = self.actors_of(doc, sent, &toks);
        let groups = make_groups(&toks, &acts);
        let bare = make_groups(&toks, &self.bare_agents(doc, &toks, &acts));
        // "Danish media and government": an agent word after a country's agent phrase is
        // that country's too.
        let (groups, bare) = {
            let mut groups = groups;
            let mut rest = Vec::new();
            for b in bare {
                let host = groups.iter_mut().find(|g| {
                    g.t1 + 1 == b.t0
                        && toks[g.t1].w == "and"
                        && g.members.len() == 1
                        && g.members[0].actor.as_deref().is_some_and(|c| {
                            c.len() > 3 && c.bytes().take(3).all(|x| x.is_ascii_uppercase())
                        })
                });
                match host {
                    Some(g) => {
                        let cc = g.members[0].actor.clone().unwrap_or_default();
                        for m in &b.members {
                            let suffix = m.actor.as_deref().unwrap_or("").trim_start_matches('-');
                            g.members.push(ActorRef {
                                actor: Some(format!("{}{suffix}", &cc[..3])),
                                ..m.clone()
                            });
                        }
                        g.t1 = b.t1;
                    }
                    None => rest.push(b),
                }
            }
            (groups, rest)
        };
        let words: Vec<&str> = toks.iter().map(|t| t.w.as_str()).collect();
        let clause_of = clauses(&words);
        let tree = tree_of(&toks);
        let groups = share_agents(merge_conjuncts(groups, tree.as_ref(), &words));
        let mut out: Vec<Cand> = Vec::new();
        let _ = si;

        // Statement authors: "the joint statement, endorsed by the US, UK, ..." or
        // "In a joint statement, the United States ... expressed".
        if let Some(sn) = words.iter().position(|w| STATEMENT_NOUNS.contains(w)) {
            let by_group = (sn + 1..(sn + 6).min(words.len()))
                .find(|&k| words[k] == "by" && k > 0 && words[k - 1].ends_with("ed"))
                .and_then(|k| groups.iter().find(|g| g.t0 > k && g.t0 <= k + 3));
            if let Some(g) = by_group {
                disc.statement_authors = g.members.clone();
            } else if let Some(g) = groups.iter().find(|g| {
                sn >= 2
                    && words[..sn].iter().rev().take(3).any(|w| *w == "in")
                    && g.t0 > sn
                    && !g.all_places
                    && g.t0 < sn + 10
                    && words[sn..g.t0].contains(&",")
                    && !preceded_by(&words, g.t0, LOCATIVE)
                    && !preceded_by(
                        &words,
                        g.t0,
                        &["of", "between", "against", "on", "to", "with", "by"],
                    )
            }) {
                disc.statement_authors = g.members.clone();
            }
        }

        // Plural anaphora ("both parties") resolve to the last group of two or more.
        let mut pseudo: Vec<Group> = Vec::new();
        for (k, _) in words.iter().enumerate() {
            for pat in PLURAL_ANAPHORA {
                if k + pat.len() <= words.len() && words[k..k + pat.len()] == **pat {
                    let prior: Vec<ActorRef> = groups
                        .iter()
                        .rfind(|g| g.t1 <= k && g.members.len() >= 2)
                        .map(|g| g.members.clone())
                        .unwrap_or_else(|| disc.last_plural.clone());
                    if !prior.is_empty() {
                        // The evidence is the anaphor ("both parties"), not the earlier names.
                        let members = prior
                            .into_iter()
                            .map(|m| ActorRef { span: None, ..m })
                            .collect();
                        pseudo.push(Group {
                            t0: k,
                            t1: k + pat.len(),
                            members,
                            place: None,
                            all_places: false,
                        });
                    }
                }
            }
            // "the statement" / "the joint statement" / "It" as the subject of a clause.
            let is_stmt = STATEMENT_NOUNS.contains(&words[k])
                && k > 0
                && (words[k - 1] == "the" || words[k - 1] == "joint");
            let is_it = words[k] == "it"
                && !words.get(k + 1).is_some_and(|n| {
                    matches!(
                        *n,
                        "’s" | "'s" | "is" | "was" | "has" | "had" | "seems" | "remains"
                    )
                })
                && (k == 0 || clause_of[k] != clause_of[k - 1] || words[k - 1] == ",")
                && toks[k].s == sent.start.max(toks[k].s)
                && doc.text[toks[k].s..toks[k].e].starts_with('I');
            if (is_stmt || is_it) && !disc.statement_authors.is_empty() {
                let start = if is_stmt && words[k - 1] == "joint" && k >= 2 {
                    k - 2
                } else if is_stmt {
                    k - 1
                } else {
                    k
                };
                pseudo.push(Group {
                    t0: start,
                    t1: k + 1,
                    members: disc.statement_authors.clone(),
                    place: None,
                    all_places: false,
                });
            }
        }
        let mut all_groups: Vec<Group> = groups.iter().cloned().chain(pseudo).collect();
        all_groups.sort_by_key(|g| (g.t0, g.t1));
        // Drop groups inside others (pseudo "the statement" vs nothing; keeps the widest).
        let mut gs: Vec<Group> = Vec::new();
        for g in all_groups {
            if gs.last().is_some_and(|l| g.t0 < l.t1) {
                continue;
            }
            gs.push(g);
        }
        let groups = gs;
        // Reported-speech scopes: (reporter group index, start token of the complement).
        let mut report_scopes: Vec<(Vec<ActorRef>, usize)> = Vec::new();
        // Denial scopes: tokens after a denial verb are not asserted.
        let mut denied_from: Option<usize> = None;
        // Criticism scopes: nominal events in a condemnation's object are alleged.
        let mut alleged_from: Option<usize> = None;
        let mut last_subject: Option<Vec<ActorRef>> = None;

        // --- verbs ---
        let mut k = 0;
        while k < toks.len() {
            let w = words[k];
            let ids = self.verbs.lookup(w);
            if ids.is_empty()
                || (k > 0
                    && (DETERMINERS.contains(&words[k - 1])
                        || (NOUN_CONTEXT.contains(&words[k - 1]) && !w.ends_with("ing")))
                    && !w.ends_with("ing"))
                || is_capitalized_mid(doc, &toks, k)
                || (toks[k].pos.is_some_and(|p| {
                    !matches!(p, wirecoder_doc::Pos::Verb | wirecoder_doc::Pos::Aux)
                }) && !between_actors(&groups, k))
            {
                k += 1;
                continue;
            }
            let ce = clause_end(&clause_of, k);
            let cs = clause_start(&clause_of, k);
            let compound =
                subject_group(&groups, &words, cs, k).is_some_and(|g| g.members.len() >= 2);
            let Some((code, score, id)) = self.verb_code(&words, k, cs, ce, compound) else {
                k += 1;
                continue;
            };
            let base0 = self.verbs.verb(id).lemma.split(' ').next().unwrap_or("");
            // Control verbs ("agreed to lift", "threatened to strike", "refused to meet"):
            // the complement is the event, coded with the stance below; the control verb
            // codes itself only when its complement codes nothing.
            if let Some(x) = tree.as_ref().and_then(|t| t.xcomp(k)).filter(|&x| x > k) {
                let xce = clause_end(&clause_of, x).max(ce);
                let inner = self
                    .verb_code(&words, x, clause_start(&clause_of, x), xce, false)
                    .and_then(|(c, _, _)| c)
                    .filter(|c| c != "010");
                if inner.is_some() && CONTROL.contains(&base0) {
                    k += 1;
                    continue;
                }
            }
            let lemma = self.verbs.verb(id).lemma.clone();
            let base = lemma.split(' ').next().unwrap_or("").to_string();
            // A reduced relative, "missiles obtained from X": the weapon comes before the verb.
            let code = match code {
                None if RECEIVE.contains(&base.as_str())
                    && words[k.saturating_sub(4)..k]
                        .iter()
                        .any(|w| weapon_in(w).is_some() || matches!(*w, "arms" | "weapons")) =>
                {
                    Some("072".to_string())
                }
                c => c,
            };
            // The tree's reading of the verb's arguments, where the sentence was parsed.
            let targs = tree.as_ref().map(|t| {
                let sj = t.subject(k);
                let pron = sj.is_some_and(|(s, _)| {
                    toks[s].pos == Some(wirecoder_doc::Pos::Pron)
                        || matches!(words[s], "it" | "they" | "he" | "she" | "we")
                });
                TreeArgs {
                    subj_tok: sj.map(|(s, _)| s),
                    obj_tok: t.object(k),
                    has_subject: sj.is_some() && !pron,
                    passive: sj.is_some_and(|(_, p)| p),
                    subj: sj.and_then(|(s, _)| {
                        subject_at(t, &groups, &words, s).map(|g| self.head_agent(g, s, &words))
                    }),
                    obj: t
                        .object(k)
                        .and_then(|o| {
                            group_at(t, &groups, o, true).map(|g| self.head_agent(g, o, &words))
                        })
                        .or_else(|| {
                            t.obliques(k)
                                .iter()
                                .filter(|(_, p)| p != "by")
                                .find_map(|(j, _)| group_at(t, &groups, *j, true))
                        }),
                    agent: t.agent(k).and_then(|a| group_at(t, &groups, a, false)),
                }
            });
            // The parser's passive subjects are trusted only where the words agree ("was
            // attacked"); it sometimes labels a plain subject nsubj:pass.
            let passive = match &targs {
                Some(a) if a.has_subject => a.passive && is_passive(&words, k),
                _ => is_passive(&words, k),
            };
            // Subject and object.
            let subj = match &targs {
                Some(a) if a.has_subject => a.subj.clone(),
                _ => subject_group(&groups, &words, cs, k).or_else(|| {
                    // "Soldiers from Gondor have cordoned off": an agent noun and the country
                    // after its preposition, at the head of the clause.
                    groups
                        .iter()
                        .filter(|g| g.t1 <= k && g.t0 >= cs + 2 && !g.all_places)
                        .find(|g| {
                            matches!(words[g.t0 - 1], "from" | "of" | "in")
                                && g.t0 - 2 <= cs + 1
                                && self.kb.agent(words[g.t0 - 2]).is_some()
                        })
                        .map(|g| self.head_agent(g.clone(), g.t0 - 2, &words))
                }),
            };
            // An actor of unknown country ("a senior official said") where no name is.
            let subj = subj.or_else(|| match (&tree, &targs) {
                (Some(t), Some(a)) if a.has_subject => {
                    a.subj_tok.and_then(|s| group_at(t, &bare, s, false))
                }
                _ => subject_group(&bare, &words, cs, k),
            });
            let subj = subj.or_else(|| {
                // Infinitives and participles take the main clause's subject.
                if k > 0 && (words[k - 1] == "to" || w.ends_with("ing") || w.ends_with("ed")) {
                    last_subject.clone().map(|m| Group {
                        t0: k,
                        t1: k,
                        members: m,
                        place: None,
                        all_places: false,
                    })
                } else {
                    None
                }
            });
            if let Some(g) = &subj {
                last_subject = Some(g.members.clone());
            }
            // "A roadside bombing killed one U.S. soldier": force whose subject is a thing,
            // not an actor, is done by someone unknown (`---`; the target must be named).
            let subj = subj.or_else(|| {
                let t = targs.as_ref().filter(|a| a.has_subject)?;
                let forceful = code
                    .as_deref()
                    .is_some_and(|c| matches!(c.get(..2), Some("18" | "19" | "20")));
                (forceful && !t.passive).then(|| Group {
                    t0: k,
                    t1: k,
                    members: vec![ActorRef {
                        text: String::new(),
                        actor: Some("---".into()),
                        span: None,
                    }],
                    place: None,
                    all_places: false,
                })
            });
            // "demanded that the US cancel …": the target is the complement's subject.
            let obj = object_group(&groups, &words, k + 1, ce).or_else(|| {
                let that = (k + 1..(k + 3).min(words.len())).find(|&j| words[j] == "that")?;
                groups
                    .iter()
                    .find(|g| g.t0 > that && g.t0 <= that + 4 && !g.all_places)
            });
            let obj = targs
                .as_ref()
                .and_then(|a| a.obj.clone())
                .or_else(|| obj.cloned())
                .or_else(|| {
                    // Else the first actor in a phrase of the verb's clause, as PETRARCH reads
                    // it: "arrived in Gondor", "departed from Libya", "warned of the Prince".
                    // A `by` phrase is the agent of a passive, not its target.
                    groups
                        .iter()
                        .find(|g| {
                            g.t0 > k
                                && g.t0 < ce
                                && !g.all_places
                                && (!preceded_by(&words, g.t0, &["by"]) || !is_passive(&words, k))
                        })
                        .cloned()
                })
                .or_else(|| match (&tree, &targs) {
                    (Some(t), Some(a)) => a.obj_tok.and_then(|o| group_at(t, &bare, o, false)),
                    _ => object_group(&bare, &words, k + 1, ce).cloned(),
                });
            let (src_g, tgt_g) = if passive {
                let by = targs.as_ref().and_then(|a| a.agent.clone()).or_else(|| {
                    groups
                        .iter()
                        .find(|g| g.t0 > k && g.t0 < ce && preceded_by(&words, g.t0, &["by"]))
                        .cloned()
                });
                (by, subj.clone())
            } else {
                (subj.clone(), obj)
            };
            let modality = modality_at(&words, cs, k);
            // The tree sees negation and auxiliaries the word window misses ("did not, as
            // expected, attack"; "will, officials said, withdraw").
            let modality = match tree.as_ref() {
                Some(t) if modality == Modality::Asserted => {
                    let aux = t.auxes(k);
                    if t.negated(k) {
                        Modality::Negated
                    } else if aux.iter().any(|a| matches!(*a, "will" | "shall")) {
                        Modality::Future
                    } else if aux
                        .iter()
                        .any(|a| matches!(*a, "would" | "could" | "might" | "may"))
                    {
                        Modality::Hypothetical
                    } else {
                        modality
                    }
                }
                _ => modality,
            };
            // "X obtained missiles from Y": Y supplied X.
            let (src_g, tgt_g) = if RECEIVE.contains(&base.as_str())
                && code.as_deref().is_some_and(|c| c.starts_with("07"))
            {
                let from = groups
                    .iter()
                    .find(|g| g.t0 > k && g.t0 < ce && preceded_by(&words, g.t0, &["from"]))
                    .cloned();
                match from {
                    Some(f) => (Some(f), src_g),
                    None => (None, None),
                }
            } else {
                (src_g, tgt_g)
            };

            // Actors the verb's pattern places (`$` source, `+` target).
            let (src_g, tgt_g) = match self.verb_marks(&words, k, cs, ce, id, compound) {
                Some(m) => {
                    let base = k + 1 + self.verbs.verb(id).particles.len();
                    let (mut s, mut t) = (src_g, tgt_g);
                    let mut placed_src = false;
                    for &(is_src, off, skip) in &m.post {
                        let at = base + off;
                        let g = groups
                            .iter()
                            .filter(|g| g.t0 >= at && g.t0 < ce && !g.all_places)
                            .nth(skip)
                            .cloned();
                        if g.is_none() {
                            continue;
                        }
                        if is_src {
                            s = g;
                            placed_src = true;
                        } else {
                            t = g;
                        }
                    }
                    if m.pre_target && placed_src && !passive {
                        t = subj.clone();
                    }
                    (s, t)
                }
                None => (src_g, tgt_g),
            };
            // Reporting verbs open a scope instead of making a statement event.
            let is_report = REPORTING.contains(&base.as_str());
            let opens_complement = is_report
                && (words.get(k + 1) == Some(&"that") || has_later_verb(self.verbs, &words, k + 1));
            if opens_complement {
                if let Some(g) = &src_g {
                    report_scopes.push((g.members.clone(), k + 1));
                    // "Russia said Sudan must return the helicopter": a demand on Sudan.
                    let lim = (k + 12).min(words.len());
                    if let Some(t) = groups
                        .iter()
                        .find(|t| {
                            t.t0 > k
                                && t.t0 < lim
                                && !t.all_places
                                && matches!(
                                    words.get(t.t1..(t.t1 + 2).min(words.len())),
                                    Some(
                                        ["must", ..]
                                            | ["should", ..]
                                            | ["needs", "to"]
                                            | ["has", "to"]
                                            | ["have", "to"]
                                    )
                                )
                        })
                        .cloned()
                        .or_else(|| {
                            // The tree finds the demand where the subject is long ("President
                            // Kagame and his party must agree"): a complement with "must".
                            let t = tree.as_ref()?;
                            let c = t.children(k).find(|&c| {
                                t.rel(c) == "ccomp"
                                    && t.auxes(c).iter().any(|a| matches!(*a, "must" | "should"))
                            })?;
                            let (s, _) = t.subject(c)?;
                            subject_at(t, &groups, &words, s)
                        })
                    {
                        for s in &g.members {
                            for m in &t.members {
                                out.push(Cand {
                                    source: s.clone(),
                                    target: Some(m.clone()),
                                    code: "100".into(),
                                    modality,
                                    t0: g.t0.min(k),
                                    t1: t.t1 + 1,
                                    trigger: k,
                                    place: None,
                                    priority: 3,
                                });
                            }
                        }
                    }
                }
            }
            if is_report && src_g.is_some() {
                alleged_from.get_or_insert(k + 1);
            }
            // Characterisation: "characterize South Korea as the most hostile state".
            if CHARACTERIZE.contains(&base.as_str()) {
                if let Some(g) = groups.iter().find(|g| g.t0 > k && g.t0 <= k + 3) {
                    let as_pos = (g.t1..(g.t1 + 2).min(words.len())).find(|&j| words[j] == "as");
                    if let Some(a) = as_pos {
                        if words[a..(a + 6).min(words.len())]
                            .iter()
                            .any(|x| HOSTILE.contains(x))
                        {
                            let speakers = src_g
                                .as_ref()
                                .map(|g| g.members.clone())
                                .or_else(|| report_scopes.last().map(|r| r.0.clone()));
                            for s in speakers.unwrap_or_default() {
                                for t in &g.members {
                                    out.push(Cand {
                                        source: s.clone(),
                                        target: Some(t.clone()),
                                        code: "111".into(),
                                        modality,
                                        t0: k,
                                        t1: (a + 6).min(words.len()),
                                        trigger: k,
                                        place: None,
                                        priority: 3,
                                    });
                                }
                            }
                        }
                    }
                }
            }
            // Corroboration of an earlier claim.
            if CORROBORATE.contains(&base.as_str())
                && words[k + 1..(k + 4).min(words.len())]
                    .iter()
                    .any(|x| CLAIM_NOUNS.contains(x))
            {
                if let Some(g) = &src_g {
                    for a in disc.last_accusations.clone() {
                        for s in &g.members {
                            out.push(Cand {
                                source: s.clone(),
                                target: a.target.clone(),
                                code: a.cameo.clone(),
                                modality,
                                t0: g.t0,
                                t1: (k + 4).min(words.len()),
                                trigger: k,
                                place: None,
                                priority: 3,
                            });
                        }
                    }
                }
            }
            if base == "deny" || base == "dismiss" || base == "reject" {
                denied_from = Some(k + 1);
            }
            let Some(code) = code else {
                k += 1;
                continue;
            };
            // Bare statements are noise; reporting verbs with a complement code nothing themselves.
            if code == "010"
                || opens_complement
                || (is_report && code.starts_with("01") && score == 0 && code != "016")
            {
                k += 1;
                continue;
            }
            // Intent and refusal change the code, as CAMEO does: "will withdraw" is an intent
            // to de-escalate (0356), "refused to deploy" a rejection (12x).
            let reported = report_scopes.iter().any(|(_, f)| k >= *f);
            let modality = if reported
                && modality == Modality::Hypothetical
                && words[cs.max(k.saturating_sub(4))..k].contains(&"would")
            {
                Modality::Future
            } else {
                modality
            };
            // A coded verb whose actors the token rules could not place: the tree may.
            disc.trigger |= src_g.is_none() && tgt_g.is_some()
                || src_g.is_some() && tgt_g.is_none() && !targetless_ok(&code);
            let (code, modality) = if self.cameo_stance {
                recode_for_stance(&code, modality, reported, &words, cs, k)
            } else {
                (code, modality)
            };
            // The reverse event of the pattern ("[032:033]": a visit made is a visit hosted).
            let rev = self.verb_rev(&words, k, cs, ce, id, compound);
            // Withdrawing and expelling act on where one leaves: "withdraw troops from Lebanon".
            let tgt_g = tgt_g.or_else(|| {
                if !matches!(code.get(..2), Some("08" | "16" | "12")) {
                    return None;
                }
                groups
                    .iter()
                    .find(|g| g.t0 > k && g.t0 < ce && preceded_by(&words, g.t0, &["from"]))
                    .cloned()
            });
            if code.starts_with("11") || code.starts_with("12") || code == "016" {
                alleged_from.get_or_insert(k + 1);
            }
            if let Some(src) = &src_g {
                let tgts: Vec<Option<ActorRef>> = match &tgt_g {
                    Some(t) => t.members.iter().cloned().map(Some).collect(),
                    None => vec![None],
                };
                // Criticism of nominal events also targets their agents ("condemned the export ... by North Korea and their acquisition by Russia").
                let mut tgts = tgts;
                if code.starts_with("11") {
                    for g in groups.iter().filter(|g| {
                        g.t0 > k && g.t0 < ce && preceded_by(&words, g.t0, &["by", "’s", "'s"])
                    }) {
                        for m in &g.members {
                            if !tgts.iter().flatten().any(|t| t.actor == m.actor) {
                                tgts.push(Some(m.clone()));
                            }
                        }
                    }
                    for g in groups.iter().filter(|g| {
                        g.t0 > k
                            && g.t0 < ce
                            && words.get(g.t1).is_some_and(|w| *w == "’s" || *w == "'s")
                    }) {
                        for m in &g.members {
                            if !tgts.iter().flatten().any(|t| t.actor == m.actor) {
                                tgts.push(Some(m.clone()));
                            }
                        }
                    }
                    tgts.retain(|t| t.is_some());
                    if tgts.is_empty() {
                        tgts.push(None);
                    }
                }
                // A visit or meeting happens *in* its target: "arrived in Amman".
                if tgts.iter().all(|t| t.is_none())
                    && matches!(code.get(..3), Some("042" | "043" | "044" | "036"))
                {
                    if let Some(g) = groups
                        .iter()
                        .find(|g| g.t0 > k && g.t0 < ce && preceded_by(&words, g.t0, &["in", "to"]))
                    {
                        tgts = g.members.iter().cloned().map(Some).collect();
                    }
                }
                // "Israel and Lebanon renewed negotiations": reciprocal events between the members
                // of a compound subject, as CAMEO codes them.
                let reciprocal = tgts.iter().all(|t| t.is_none())
                    && src.members.len() >= 2
                    && matches!(
                        code.get(..2),
                        Some("03" | "04" | "05" | "06" | "12" | "13" | "19")
                    );
                if tgts.iter().all(|t| t.is_none()) && !targetless_ok(&code) && !reciprocal {
                    k += 1;
                    continue;
                }
                // Inside a denial, what is denied is not asserted.
                let modality = if denied_from.is_some_and(|d| k >= d) && code != "016" {
                    Modality::Denied
                } else {
                    modality
                };
                let place = tgt_g
                    .as_ref()
                    .and_then(|g| g.place.clone())
                    .or_else(|| place_after(&groups, &words, k, ce));
                let t1 = tgt_g
                    .as_ref()
                    .map(|g| g.t1)
                    .unwrap_or((k + 1 + self.verbs.verb(id).particles.len() + score).min(ce));
                for s in &src.members {
                    let own: Vec<Option<ActorRef>> = if reciprocal {
                        src.members
                            .iter()
                            .filter(|m| m.actor != s.actor)
                            .cloned()
                            .map(Some)
                            .collect()
                    } else {
                        tgts.clone()
                    };
                    for t in &own {
                        out.push(Cand {
                            source: s.clone(),
                            target: t.clone(),
                            code: code.clone(),
                            modality,
                            t0: src.t0.min(k),
                            t1: t1.max(k + 1),
                            trigger: k,
                            place: place.clone(),
                            priority: 2,
                        });
                        if let (Some(r), Some(t)) = (&rev, t) {
                            out.push(Cand {
                                source: t.clone(),
                                target: Some(s.clone()),
                                code: r.clone(),
                                modality,
                                t0: src.t0.min(k),
                                t1: t1.max(k + 1),
                                trigger: k,
                                place: place.clone(),
                                priority: 2,
                            });
                        }
                    }
                }
            }
            k += 1 + self.verbs.verb(id).particles.len();
        }

        // --- nominal events ---
        for (k, w) in words.iter().enumerate() {
            let Some(frame) = nominal_frame(w) else {
                continue;
            };
            // A verb use was coded above; the tagger's word is not trusted where the verb
            // reading found no target ("subject to a United Nations arms embargo").
            if toks[k]
                .pos
                .is_some_and(|p| matches!(p, wirecoder_doc::Pos::Verb | wirecoder_doc::Pos::Aux))
                && out.iter().any(|c| c.trigger == k && c.target.is_some())
            {
                continue;
            }
            // A verb use ("Russia attacks Ukraine") was handled above.
            if k > 0
                && !DETERMINERS.contains(&words[k - 1])
                && groups.iter().any(|g| g.t1 == k)
                && !matches!(words[k - 1], "’s" | "'s")
                && groups.iter().any(|g| g.t0 > k && g.t0 <= k + 3)
            {
                continue;
            }
            let ce = clause_end(&clause_of, k).max((k + 12).min(words.len()));
            let ce = ce.min(words.len());
            let agent = nominal_agent(&groups, &words, k, ce, &out);
            let of_end = of_phrase_end(&words, k, ce);
            let mut cands: Vec<NominalCand> = Vec::new();
            match frame {
                Frame::Attack | Frame::Deploy => {
                    let tgt = groups.iter().find(|g| {
                        g.t0 > k
                            && g.t0 <= of_end + 4
                            && preceded_by(&words, g.t0, &["against", "on", "at", "in"])
                    });
                    if frame == Frame::Deploy
                        && tgt.is_none_or(|g| !preceded_by(&words, g.t0, &["against", "on", "at"]))
                    {
                        continue;
                    }
                    let Some(tg) = tgt else { continue };
                    let np = &words[k.saturating_sub(3)..(of_end + 1).min(words.len())].join(" ");
                    let aerial = [
                        "missile",
                        "drone",
                        "air",
                        "aerial",
                        "rocket",
                        "airstrike",
                        "airstrikes",
                        "srbm",
                        "srbms",
                        "bomb",
                    ]
                    .iter()
                    .any(|x| np.contains(x))
                        || (frame == Frame::Deploy && np.contains("missiles"));
                    let code = if aerial {
                        "195"
                    } else if np.contains("shelling") || np.contains("artillery") {
                        "194"
                    } else {
                        "190"
                    };
                    let agent = agent.or_else(|| {
                        out.iter()
                            .rfind(|c| c.trigger < k && c.priority == 1)
                            .map(|c| vec![c.source.clone()])
                    });
                    if let Some(a) = agent {
                        cands.push((a, Some(tg.members.clone()), code.into(), tg.place.clone()));
                    }
                }
                Frame::Visit => {
                    let tgt = groups.iter().find(|g| {
                        g.t0 > k && g.t0 <= k + 10 && preceded_by(&words, g.t0, &["to", "in"])
                    });
                    if let (Some(a), Some(t)) = (agent, tgt) {
                        cands.push((a, Some(t.members.clone()), "042".into(), None));
                    }
                }
                Frame::Acquire => {
                    let np = words[k..of_end.min(words.len())].join(" ");
                    if weapon_in(&np).is_none() && !np.contains("arms") && !np.contains("weapons") {
                        continue;
                    }
                    // Provider: "from X", or a demonym inside the of-phrase ("of North Korean missiles").
                    let provider = groups.iter().find(|g| {
                        g.t0 > k
                            && g.t0 <= of_end + 2
                            && (preceded_by(&words, g.t0, &["from"]) || g.t0 < of_end)
                    });
                    if let (Some(a), Some(p)) = (agent, provider) {
                        cands.push((p.members.clone(), Some(a), "072".into(), None));
                    }
                }
                Frame::Transfer => {
                    let np = words[k.saturating_sub(2)..of_end.min(words.len())].join(" ");
                    if weapon_in(&np).is_none() && !np.contains("arms") && !np.contains("weapons") {
                        continue;
                    }
                    let Some(a) = agent else { continue };
                    let recip = groups.iter().find(|g| {
                        g.t0 > k
                            && g.t0 < ce
                            && !a
                                .iter()
                                .any(|x| g.members.iter().any(|m| m.actor == x.actor))
                            && preceded_by(&words, g.t0, &["to", "by", "for"])
                    });
                    if let Some(r) = recip {
                        cands.push((a, Some(r.members.clone()), "072".into(), None));
                    }
                }
                Frame::Sanction => {
                    let imposer = agent;
                    // Target: "on/against X", or the subject of "X has been subject to / faces / under".
                    let tgt = groups
                        .iter()
                        .find(|g| {
                            g.t0 > k
                                && g.t0 <= k + 4
                                && preceded_by(&words, g.t0, &["on", "against"])
                        })
                        .map(|g| g.members.clone())
                        .or_else(|| {
                            // The group before the "subject to"/"under"/"faces" words, not the imposer.
                            let lo = k.saturating_sub(8);
                            let cue = (lo..k).find(|&j| {
                                matches!(
                                    words[j],
                                    "subject" | "under" | "faces" | "faced" | "face" | "hit"
                                )
                            })?;
                            groups
                                .iter()
                                .rfind(|g| g.t1 <= cue && !g.all_places)
                                .map(|g| g.members.clone())
                        });
                    if let (Some(a), Some(t)) = (imposer, tgt) {
                        cands.push((a, Some(t), "163".into(), None));
                    }
                }
            }
            for (srcs, tgts, code, place) in cands {
                let modality = if denied_from.is_some_and(|d| k >= d) {
                    Modality::Denied
                } else if alleged_from.is_some_and(|d| k >= d)
                    || report_scopes.iter().any(|(_, s)| k >= *s)
                {
                    Modality::Alleged
                } else {
                    modality_at(&words, clause_start(&clause_of, k), k)
                };
                // What the deniers deny is not an event they assert: no candidate with them as source.
                if modality == Modality::Denied {
                    continue;
                }
                let t1 = (of_end + 1).min(words.len()).max(k + 1);
                let t1 = groups
                    .iter()
                    .filter(|g| g.t0 > k && g.t0 < ce)
                    .map(|g| g.t1)
                    .filter(|&e| e <= t1 + 6)
                    .max()
                    .unwrap_or(t1);
                for s in &srcs {
                    for t in tgts.iter().flatten() {
                        out.push(Cand {
                            source: s.clone(),
                            target: Some(t.clone()),
                            code: code.clone(),
                            modality,
                            t0: k.saturating_sub(1),
                            t1,
                            trigger: k,
                            place: place.clone(),
                            priority: 1,
                        });
                    }
                }
            }
        }

        // --- reported speech: events inside a report are alleged; conflict means an accusation ---
        let mut accusations = Vec::new();
        for (reporter, from) in &report_scopes {
            let inner: Vec<Cand> = out.iter().filter(|c| c.trigger >= *from).cloned().collect();
            for c in &inner {
                let root: u32 = c.code.get(..2).and_then(|r| r.parse().ok()).unwrap_or(0);
                if root >= 14 && !reporter.iter().any(|r| r.actor == c.source.actor) {
                    for r in reporter {
                        let ev = Cand {
                            source: r.clone(),
                            target: Some(c.source.clone()),
                            code: "112".into(),
                            modality: Modality::Asserted,
                            t0: 0,
                            t1: c.t1,
                            trigger: *from,
                            place: None,
                            priority: 3,
                        };
                        accusations.push(ev);
                    }
                }
            }
            for c in out.iter_mut().filter(|c| c.trigger >= *from) {
                if !reporter.iter().any(|r| r.actor == c.source.actor)
                    && c.modality == Modality::Asserted
                {
                    c.modality = Modality::Alleged;
                }
            }
        }
        out.extend(accusations);

        // "No comment." — the speaker declines to comment.
        for q in doc.quotes.iter().filter(|q| sent.contains(q.span)) {
            let qt = doc.slice(q.span).to_lowercase();
            if qt
                .trim_matches(|c: char| !c.is_alphanumeric())
                .starts_with("no comment")
            {
                if let Some(sp) = &q.speaker {
                    let t0 = toks
                        .iter()
                        .position(|t| sp.span.is_some_and(|s| t.s >= s.start))
                        .unwrap_or(0);
                    out.push(Cand {
                        source: sp.clone(),
                        target: None,
                        code: "011".into(),
                        modality: Modality::Asserted,
                        t0,
                        t1: toks.len(),
                        trigger: t0,
                        place: None,
                        priority: 3,
                    });
                }
            }
        }

        // Remember for later sentences.
        if let Some(g) = groups
            .iter()
            .rfind(|g| g.members.len() >= 2 && !g.all_places)
        {
            disc.last_plural = g.members.clone();
        }
        let acc: Vec<Event> = out
            .iter()
            .filter(|c| c.code.starts_with("11") || c.code == "112")
            .map(|c| Event {
                source: c.source.clone(),
                target: c.target.clone(),
                cameo: "112".into(),
                goldstein: 0.0,
                quad_class: 3,
                plover: None,
                mode: None,
                modality: c.modality,
                date: None,
                place: None,
                killed: None,
                injured: None,
                weapon: None,
                sentence: 0,
                evidence: sent,
            })
            .filter(|e| e.target.is_some())
            .collect();
        if !acc.is_empty() {
            disc.last_accusations = acc.into_iter().filter(|e| e.cameo == "112").collect();
        }
        out
    }

    fn actors_of(&self, doc: &Doc, sent: Span, toks: &[Tk]) -> Vec<Act> {
        let mut out = Vec::new();
        for e in doc.entities.iter().filter(|e| sent.contains(e.span)) {
            if e.actor.is_none() && e.place.is_none() {
                continue;
            }
            let t0 = toks.iter().position(|t| t.e > e.span.start);
            let t1 = toks.iter().rposition(|t| t.s < e.span.end).map(|i| i + 1);
            let (Some(t0), Some(t1)) = (t0, t1) else {
                continue;
            };
            // Cities and regions carry no actor code of their own: they stand for their country.
            let is_place = e.actor.is_none() && e.place.is_some();
            let actor = e
                .actor
                .clone()
                .or_else(|| e.place.as_ref().and_then(|p| p.country.clone()));
            // Media are the channel of a report, not its actor.
            if e.kind == wirecoder_doc::EntityType::Media {
                continue;
            }
            // "former security officials", "former Gondor prosecutors": the country's former
            // elite (ELI), as CAMEO codes ex-officials.
            let former = |w: &str| matches!(w, "former" | "ex" | "ex-");
            let actor = match actor {
                Some(c)
                    if c.len() > 3
                        && c.bytes().take(3).all(|b| b.is_ascii_uppercase())
                        && ((t0 > 0 && former(&toks[t0 - 1].w))
                            || toks[t0..t1].iter().any(|t| former(&t.w))) =>
                {
                    Some(format!("{}ELI", &c[..3]))
                }
                a => a,
            };
            // A compound actor ("the Shire" coded FRO/BIL/SAM) acts as each of its members.
            let codes: Vec<Option<String>> = match &actor {
                Some(a) if a.contains('/') => a
                    .split('/')
                    .filter(|c| !c.is_empty())
                    .map(|c| Some(c.to_string()))
                    .collect(),
                _ => vec![actor],
            };
            for actor in codes {
                out.push(Act {
                    t0,
                    t1,
                    r: ActorRef {
                        text: doc.slice(e.span).to_string(),
                        actor,
                        span: Some(e.span),
                    },
                    place: e.place.clone(),
                    is_place,
                });
            }
        }
        out
    }

    /// Agent words that no name covers are actors of unknown country, coded `---` and the
    /// agent ("a senior official said" `---GOV`, "clerics and lawmakers" `---REL`, `---LEG`),
    /// as PETRARCH codes them. Only sentences with a verb of the dictionary are searched.
    /// They stand in only where a verb finds no named actor for its subject or object.
    fn bare_agents(&self, doc: &Doc, toks: &[Tk], named: &[Act]) -> Vec<Act> {
        let mut out: Vec<Act> = named.to_vec();
        let n_named = out.len();
        if !toks.iter().any(|t| !self.verbs.lookup(&t.w).is_empty()) {
            return Vec::new();
        }
        let covered = |i: usize, out: &[Act]| out.iter().any(|a| a.t0 <= i && i < a.t1);
        let mut i = 0;
        while i < toks.len() {
            if covered(i, &out) || !toks[i].w.starts_with(|c: char| c.is_alphabetic()) {
                i += 1;
                continue;
            }
            let two = (i + 1 < toks.len() && !covered(i + 1, &out))
                .then(|| format!("{} {}", toks[i].w, toks[i + 1].w))
                .and_then(|p| self.kb.agent(&p).map(|s| (s, 2)));
            let Some((suffix, n)) = two.or_else(|| self.kb.agent(&toks[i].w).map(|s| (s, 1)))
            else {
                i += 1;
                continue;
            };
            let span = Span::new(toks[i].s, toks[i + n - 1].e);
            out.push(Act {
                t0: i,
                t1: i + n,
                r: ActorRef {
                    text: doc.slice(span).to_string(),
                    actor: Some(format!("---{suffix}")),
                    span: Some(span),
                },
                place: None,
                is_place: false,
            });
            i += n;
        }
        out.split_off(n_named)
    }
}

/// Of two events with the same actors and root code, keep the more specific code
/// ("195 employ aerial weapons" over "190 use conventional military force").
fn prefer_specific(cands: Vec<Cand>) -> Vec<Cand> {
    let generic = |c: &str| c.len() == 3 && c.ends_with('0');
    let keep: Vec<bool> = cands
        .iter()
        .map(|c| {
            !(generic(&c.code)
                && cands.iter().any(|o| {
                    o.code != c.code
                        && o.code.get(..2) == c.code.get(..2)
                        && o.source.actor == c.source.actor
                        && o.target.as_ref().map(|t| &t.actor)
                            == c.target.as_ref().map(|t| &t.actor)
                }))
        })
        .collect();
    cands
        .into_iter()
        .zip(keep)
        .filter_map(|(c, k)| k.then_some(c))
        .collect()
}

/// `w` lower-cased; ASCII byte by byte (what `to_lowercase` gives it, for less).
fn lower(w: &str) -> String {
    if w.is_ascii() {
        w.to_ascii_lowercase()
    } else {
        w.to_lowercase()
    }
}

fn tokens_of(doc: &Doc, sent: Span) -> Vec<Tk> {
    let lo = doc.tokens.partition_point(|t| t.span.start < sent.start);
    doc.tokens[lo..]
        .iter()
        .take_while(|t| t.span.end <= sent.end)
        .map(|t| Tk {
            s: t.span.start,
            e: t.span.end,
            w: lower(&doc.text[t.span.start..t.span.end]),
            pos: t.pos,
            head: t.head.and_then(|h| h.checked_sub(lo)),
            rel: t.deprel.clone(),
            lemma: t.lemma.clone(),
        })
        .collect()
}

/// A word right after one actor and shortly before another reads as a verb whatever the tagger
/// says ("The Palestinians reject proposed Israeli changes").
fn between_actors(groups: &[Group], k: usize) -> bool {
    groups.iter().any(|g| g.t1 == k && !g.all_places)
        && groups.iter().any(|g| g.t0 > k && g.t0 <= k + 3)
}

/// A verb's arguments as the dependency tree gives them.
struct TreeArgs {
    /// The subject and object tokens.
    subj_tok: Option<usize>,
    obj_tok: Option<usize>,
    /// The verb has a subject in the tree (not a pronoun, which the token rules resolve better).
    has_subject: bool,
    passive: bool,
    subj: Option<Group>,
    obj: Option<Group>,
    agent: Option<Group>,
}

/// The sentence's dependency tree, when the pipeline parsed it.
fn tree_of(toks: &[Tk]) -> Option<Tree> {
    Tree::new(
        toks.iter()
            .map(|t| {
                let verbal = matches!(
                    t.pos,
                    Some(wirecoder_doc::Pos::Verb | wirecoder_doc::Pos::Aux)
                );
                (t.head, t.rel.clone(), t.lemma.clone(), verbal)
            })
            .collect(),
    )
}

/// The actor group of a subject token: its own phrase, a coordinate subject the parser split
/// off ("leader" and "Yasser Arafat" both nsubj), or a name right next to it ("the (APEC)
/// forum", "the leader, Yasser Arafat").
fn subject_at(tree: &Tree, groups: &[Group], words: &[&str], s: usize) -> Option<Group> {
    if let Some(g) = group_at(tree, groups, s, false) {
        return Some(g);
    }
    if let Some(h) = tree.head(s) {
        let rel = tree.rel(s).to_string();
        for j in tree.children(h).filter(|&j| j != s && tree.rel(j) == rel) {
            if let Some(g) = group_at(tree, groups, j, false) {
                return Some(g);
            }
        }
    }
    groups
        .iter()
        .filter(|g| !g.all_places)
        .find(|g| {
            (g.t1 <= s
                && s - g.t1 <= 3
                && words[g.t1..s]
                    .iter()
                    .all(|w| !matches!(*w, "," | "and" | "or" | "of" | "in" | "on" | "by")))
                || (g.t0 > s
                    && g.t0 - s <= 2
                    && words[s + 1..g.t0].iter().all(|w| matches!(*w, "," | "(")))
        })
        .cloned()
}

/// The actor group a tree node stands for: the group holding it, else the nearest group in
/// its phrase ("Senior Hungarian and Romanian *officials*", "the foreign minister of Iran").
fn group_at(tree: &Tree, groups: &[Group], j: usize, places_ok: bool) -> Option<Group> {
    if let Some(g) = groups
        .iter()
        .find(|g| g.t0 <= j && j < g.t1 && (places_ok || !g.all_places))
    {
        return Some(g.clone());
    }
    groups
        .iter()
        .filter(|g| places_ok || !g.all_places)
        .filter(|g| (g.t0..g.t1).any(|i| tree.governs(j, i)))
        .min_by_key(|g| g.t0.abs_diff(j).min(g.t1.abs_diff(j + 1)))
        .cloned()
}

/// A capitalised word in mid-sentence is a name, not a verb ("Strike Force", "Mount Everest").
fn is_capitalized_mid(doc: &Doc, toks: &[Tk], k: usize) -> bool {
    if k == 0 {
        return false;
    }
    let prev = &toks[k - 1].w;
    if matches!(prev.as_str(), "." | "“" | "\"" | ":" | "‘") {
        return false;
    }
    doc.text[toks[k].s..toks[k].e]
        .chars()
        .next()
        .is_some_and(|c| c.is_uppercase())
}

fn make_groups(toks: &[Tk], acts: &[Act]) -> Vec<Group> {
    let mut acts: Vec<&Act> = acts.iter().collect();
    acts.sort_by_key(|a| (a.t0, a.t1));
    let mut out: Vec<Group> = Vec::new();
    let mut last: Option<(usize, usize)> = None;
    for a in acts {
        let prev = last.replace((a.t0, a.t1));
        if let Some(g) = out.last_mut() {
            if prev == Some((a.t0, a.t1)) {
                // The members of one compound actor.
                if !g.members.iter().any(|m| m.actor == a.r.actor) {
                    g.members.push(a.r.clone());
                }
                continue;
            }
            // A title phrase and the name right after it are one actor, the more specific
            // code winning ("Bree Prime Minister" BREGOV + "Romendacil" BRE).
            let code = |r: &ActorRef| r.actor.clone().unwrap_or_default();
            if a.t0 == g.t1 && g.members.len() == 1 {
                let (c0, c1) = (code(&g.members[0]), code(&a.r));
                if c0.len() >= 3 && c1.len() >= 3 && c0.get(..3) == c1.get(..3) {
                    g.t1 = a.t1;
                    if c1.len() > c0.len() {
                        g.members[0] = a.r.clone();
                    }
                    g.all_places &= a.is_place;
                    continue;
                }
            }
            if a.t0 >= g.t1
                && (g.t1..a.t0).all(|i| JOINERS.contains(&toks[i].w.as_str()))
                && a.t0 - g.t1 <= 4
                && (g.t1..a.t0)
                    .any(|i| matches!(toks[i].w.as_str(), "," | "and" | "or" | "nor" | "plus"))
            {
                g.t1 = a.t1;
                if !g.members.iter().any(|m| m.actor == a.r.actor) {
                    g.members.push(a.r.clone());
                }
                g.all_places &= a.is_place;
                continue;
            }
            if a.t0 < g.t1 {
                continue; // overlapping mention
            }
        }
        out.push(Group {
            t0: a.t0,
            t1: a.t1,
            members: vec![a.r.clone()],
            place: a.place.clone(),
            all_places: a.is_place,
        });
    }
    out
}

/// Groups the tree coordinates that the word rules kept apart, where adjectives stand
/// between ("Fornost and the evil awful Gondor"): a later group whose name is a `conj` of a
/// name in an earlier one, with "and", "or" or "," between them, joins it.
fn merge_conjuncts(groups: Vec<Group>, tree: Option<&Tree>, words: &[&str]) -> Vec<Group> {
    let Some(t) = tree else { return groups };
    let mut out: Vec<Group> = Vec::new();
    for g in groups {
        if let Some(a) = out.last_mut() {
            let gap = &words[a.t1.min(g.t0)..g.t0];
            let coordinated = g.t0 >= a.t1
                && g.t0 - a.t1 <= 6
                && gap.iter().any(|w| matches!(*w, "and" | "or" | ","))
                && gap.iter().all(|w| {
                    !matches!(
                        *w,
                        "that" | "which" | "who" | ";" | "but" | "while" | "after"
                    )
                })
                && (g.t0..g.t1).any(|j| {
                    t.rel(j) == "conj" && t.head(j).is_some_and(|h| a.t0 <= h && h < a.t1)
                });
            if coordinated && a.all_places == g.all_places {
                a.t1 = g.t1;
                for m in g.members {
                    if !a.members.iter().any(|x| x.actor == m.actor) {
                        a.members.push(m);
                    }
                }
                continue;
            }
        }
        out.push(g);
    }
    out
}

/// An agent phrase over a coordination applies to each member: "the ambassadors of Arnor,
/// Osgiliath and Gondor", "lawmakers in Fornost and Gondor". The knowledge base composes the
/// agent with the first name only; the others (bare country codes) get its suffix.
fn share_agents(mut groups: Vec<Group>) -> Vec<Group> {
    for g in &mut groups {
        if g.members.len() < 2 {
            continue;
        }
        let first = &g.members[0];
        let Some(code) = first.actor.clone().filter(|c| c.len() > 3) else {
            continue;
        };
        let lower = first.text.to_lowercase();
        if !(lower.contains(" of ") || lower.contains(" in ")) {
            continue;
        }
        let suffix = code.get(3..).unwrap_or("").to_string();
        for m in g.members.iter_mut().skip(1) {
            if let Some(c) = m.actor.as_mut() {
                if c.len() == 3 && c.bytes().all(|b| b.is_ascii_uppercase()) {
                    c.push_str(&suffix);
                }
            }
        }
    }
    groups
}

/// Clause index of every token.
fn clauses(words: &[&str]) -> Vec<usize> {
    let mut c = 0;
    let mut out = Vec::with_capacity(words.len());
    let mut paren = 0;
    for (i, w) in words.iter().enumerate() {
        if *w == "(" {
            paren += 1;
        }
        if *w == ")" && paren > 0 {
            paren -= 1;
        }
        let comma_np = *w == ","
            && words.get(i + 1).is_some_and(|n| {
                matches!(
                    *n,
                    "their"
                        | "its"
                        | "his"
                        | "her"
                        | "the"
                        | "a"
                        | "an"
                        | "this"
                        | "these"
                        | "resulting"
                        | "killing"
                        | "leaving"
                        | "as"
                )
            });
        if paren == 0 && (CLAUSE_BREAK.contains(w) || comma_np) && i > 0 {
            // "that" after a noun is a determiner/relative; after a verb it opens a clause. Either
            // way a new clause starts, which is what subject search needs.
            c += 1;
        }
        out.push(c);
    }
    out
}

fn clause_end(cl: &[usize], k: usize) -> usize {
    let c = cl[k];
    let mut e = k;
    while e < cl.len() && cl[e] == c {
        e += 1;
    }
    e
}

fn clause_start(cl: &[usize], k: usize) -> usize {
    let c = cl[k];
    let mut s = k;
    while s > 0 && cl[s - 1] == c {
        s -= 1;
    }
    s
}

fn preceded_by(words: &[&str], t0: usize, preps: &[&str]) -> bool {
    // Skip determiners and titles between the preposition and the name.
    let mut i = t0;
    let mut steps = 0;
    while i > 0 && steps < 4 {
        i -= 1;
        let w = words[i];
        if preps.contains(&w) {
            return true;
        }
        if !matches!(
            w,
            "the"
                | "a"
                | "an"
                | "president"
                | "prime"
                | "minister"
                | "senior"
                | "several"
                | "multiple"
                | "state"
                | "both"
                | "leader"
                | "officials"
                | "official"
        ) {
            return false;
        }
        steps += 1;
    }
    false
}

fn subject_group(groups: &[Group], words: &[&str], cs: usize, k: usize) -> Option<Group> {
    let possessive = |g: &Group| words.get(g.t1).is_some_and(|w| *w == "’s" || *w == "'s");
    let cands = groups
        .iter()
        // A coordination that a clause cut splits ("Mordor, the Shire and Bree") still
        // reaches into the clause.
        .filter(|g| g.t1 <= k && g.t1 > cs && !g.all_places)
        .filter(|g| {
            !preceded_by(
                words,
                g.t0,
                &[
                    "of", "in", "on", "at", "to", "from", "with", "by", "against", "for",
                    "between", "near", "since", "during", "over", "about",
                ],
            )
        });
    cands
        .clone()
        .rfind(|g| !possessive(g))
        .or_else(|| {
            // Else the possessor of the subject: "Eriador's death toll has risen".
            cands.filter(|g| possessive(g) && k - g.t1 <= 4).rfind(|g| {
                words[g.t1 + 1..k]
                    .iter()
                    .all(|w| !matches!(*w, "," | "and" | "or" | "of" | "that" | "which"))
            })
        })
        .cloned()
}

fn object_group<'g>(
    groups: &'g [Group],
    words: &[&str],
    from: usize,
    ce: usize,
) -> Option<&'g Group> {
    groups.iter().find(|g| {
        let locative_only = preceded_by(words, g.t0, LOCATIVE)
            && !preceded_by(words, g.t0, &["with", "against", "on", "to"]);
        g.t0 >= from && g.t0 < ce && !locative_only && !preceded_by(words, g.t0, &["by"])
    })
}

fn place_after(groups: &[Group], words: &[&str], k: usize, ce: usize) -> Option<Place> {
    groups
        .iter()
        .find(|g| {
            g.t0 > k
                && g.t0 < ce
                && g.place.is_some()
                && preceded_by(words, g.t0, &["in", "on", "at", "near"])
        })
        .and_then(|g| g.place.clone())
}

fn is_passive(words: &[&str], k: usize) -> bool {
    let w = words[k];
    if !(w.ends_with("ed")
        || w.ends_with("en")
        || matches!(
            w,
            "hit" | "struck" | "shot" | "held" | "sent" | "sold" | "met" | "brought" | "caught"
        ))
    {
        return false;
    }
    let mut i = k;
    let mut steps = 0;
    while i > 0 && steps < 3 {
        i -= 1;
        let p = words[i];
        if BE_FORMS.contains(&p) {
            return !matches!(p, "’s" | "'s") || words.get(k + 1) == Some(&"by");
        }
        if !(p.ends_with("ly")
            || p == "not"
            || p == "also"
            || p == "reportedly"
            || p == "allegedly")
        {
            return false;
        }
        steps += 1;
    }
    false
}

/// Words before a verb that state an intention ("is willing to withdraw").
const INTENT: &[&str] = &[
    "willing",
    "ready",
    "prepared",
    "agreed",
    "agree",
    "agrees",
    "offered",
    "offers",
    "offer",
    "promised",
    "promises",
    "pledged",
    "pledges",
    "vowed",
    "vows",
    "decided",
    "committed",
    "intends",
    "intend",
    "plans",
    "plan",
    "planned",
    "wants",
    "hopes",
    "aims",
    "seeks",
    "proposed",
    "proposes",
];
/// Verbs whose open complement is the event ("agreed to lift", "threatened to strike").
const CONTROL: &[&str] = &[
    "agree",
    "offer",
    "promise",
    "pledge",
    "vow",
    "decide",
    "plan",
    "threaten",
    "refuse",
    "decline",
    "prepare",
    "intend",
    "seek",
    "try",
    "attempt",
    "want",
    "hope",
    "aim",
    "propose",
    "resolve",
    "swear",
    "begin",
    "start",
    "continue",
    "vote",
    "move",
    "undertake",
];
/// Words before a verb that refuse it ("refused to deploy").
const REFUSAL: &[&str] = &[
    "refused",
    "refuses",
    "refuse",
    "refusing",
    "declining",
    "decline",
    "declined",
    "declines",
    "rejected",
    "rejects",
    "reluctant",
    "unwilling",
];

/// CAMEO's intent (03x) and threat (13x) codes for an event that is only announced, and its
/// rejection codes (12x) for one that is refused.
fn recode_for_stance(
    code: &str,
    modality: Modality,
    reported: bool,
    words: &[&str],
    cs: usize,
    k: usize,
) -> (String, Modality) {
    let lo = cs.max(k.saturating_sub(5));
    let win = &words[lo..k];
    let to_before = k >= 1 && words[k - 1] == "to";
    let refused = to_before && win.iter().any(|w| REFUSAL.contains(w));
    let threat = to_before
        && win.iter().any(|w| {
            matches!(
                *w,
                "threaten"
                    | "threatens"
                    | "threatened"
                    | "threatening"
                    | "vowed"
                    | "vows"
                    | "vow"
                    | "swore"
                    | "sworn"
            )
        });
    if threat {
        let c = match code.get(..2).unwrap_or("") {
            "18" | "19" | "20" => "138",
            "17" => "137",
            "16" => "132",
            "14" => "133",
            "04" | "03" => "134",
            "08" | "07" => "131",
            _ => "130",
        };
        return (c.to_string(), Modality::Asserted);
    }
    let intent = to_before && win.iter().any(|w| INTENT.contains(w));
    // In reported speech "would" is the past of "will": "Iraq said it would allow ...".
    let will = win
        .iter()
        .any(|w| FUTURE.contains(w) || (reported && *w == "would"));
    let future = modality == Modality::Future || intent || will;
    let root = code.get(..2).unwrap_or("");
    let sub = code.get(..3).unwrap_or(code);
    let refuse_code = |c: &str| -> Option<&'static str> {
        Some(match c.get(..2)? {
            "03" => "127",
            "04" => "125",
            "05" => "120",
            "06" => "121",
            "07" => "122",
            "08" => "124",
            _ => return None,
        })
    };
    if refused || (modality == Modality::Negated && future) {
        if let Some(c) = refuse_code(code) {
            return (c.to_string(), Modality::Asserted);
        }
    }
    if !future || modality == Modality::Negated {
        return (code.to_string(), modality);
    }
    let intent_code = match (root, sub) {
        ("04", "042") | ("04", "043") => Some("036"),
        ("04", _) => Some("036"),
        ("05", _) => Some("032"),
        ("06", "061") => Some("0311"),
        ("06", "062") => Some("0312"),
        ("06", "063") => Some("0313"),
        ("06", "064") => Some("0314"),
        ("06", _) => Some("031"),
        ("07", "071") => Some("0331"),
        ("07", "072") => Some("0332"),
        ("07", "073") => Some("0333"),
        ("07", "074") => Some("0334"),
        ("07", _) => Some("033"),
        ("08", "081") => Some("0351"),
        ("08", "082") => Some("0352"),
        ("08", "084") => Some("0353"),
        ("08", "085") => Some("0354"),
        ("08", "086") => Some("0355"),
        ("08", "087") => Some("0356"),
        ("08", _) => Some("035"),
        ("16", _) => Some("131"),
        ("17", _) => Some("137"),
        ("18", _) | ("19", _) | ("20", _) => Some("138"),
        _ => None,
    };
    match intent_code {
        // The announcement is the event, asserted; the act itself is still to come.
        Some(c) => (c.to_string(), Modality::Asserted),
        None => (code.to_string(), modality),
    }
}

fn modality_at(words: &[&str], cs: usize, k: usize) -> Modality {
    let lo = cs.max(k.saturating_sub(4));
    let win = &words[lo..k];
    if win.iter().any(|w| NEGATIONS.contains(w)) {
        Modality::Negated
    } else if win.iter().any(|w| FUTURE.contains(w))
        || win.windows(2).any(|p| {
            matches!(
                p,
                ["going", "to"]
                    | ["plans", "to"]
                    | ["plan", "to"]
                    | ["planned", "to"]
                    | ["intends", "to"]
                    | ["threatened", "to"]
                    | ["threatens", "to"]
            )
        })
    {
        Modality::Future
    } else if win.iter().any(|w| HYPOTHETICAL.contains(w))
        || words[cs..k].first().is_some_and(|w| *w == "if")
    {
        Modality::Hypothetical
    } else {
        Modality::Asserted
    }
}

fn has_later_verb(verbs: &VerbDict, words: &[&str], from: usize) -> bool {
    words[from..].iter().take(25).enumerate().any(|(i, w)| {
        !verbs.lookup(w).is_empty() && (i == 0 || !DETERMINERS.contains(&words[from + i - 1]))
    })
}

/// Where the `of …` complement of a nominal at `k` ends.
fn of_phrase_end(words: &[&str], k: usize, ce: usize) -> usize {
    let mut e = k + 1;
    if words.get(e) == Some(&"of") {
        e += 1;
        while e < ce
            && !matches!(
                words[e],
                "," | "."
                    | "and"
                    | "by"
                    | "to"
                    | "from"
                    | "against"
                    | "on"
                    | "in"
                    | "("
                    | ")"
                    | "at"
                    | "with"
                    | "since"
                    | "for"
            )
        {
            e += 1;
        }
    }
    e.min(words.len())
}

/// The agent of a nominal event at token `k`.
fn nominal_agent(
    groups: &[Group],
    words: &[&str],
    k: usize,
    ce: usize,
    verb_cands: &[Cand],
) -> Option<Vec<ActorRef>> {
    // "Russia’s (recent) acquisition"
    if let Some(g) = groups
        .iter()
        .find(|g| g.t1 < k && k - g.t1 <= 3 && matches!(words[g.t1], "’s" | "'s"))
    {
        return Some(g.members.clone());
    }
    // "visits by senior Russian officials", "the export of missiles by North Korea"
    let of_end = of_phrase_end(words, k, ce);
    if let Some(g) = groups
        .iter()
        .find(|g| g.t0 > k && g.t0 <= of_end + 3 && preceded_by(words, g.t0, &["by"]))
    {
        return Some(g.members.clone());
    }
    // "a United Nations arms embargo", "Russian missile strikes"
    if let Some(g) = groups.iter().find(|g| {
        g.t1 <= k
            && k - g.t1 <= 2
            && (g.t1..k).all(|i| !matches!(words[i], "," | "and" | "of" | "by" | "to"))
    }) {
        if !g.all_places {
            return Some(g.members.clone());
        }
    }
    // "their deployment": the last agent of a nominal in the same clause.
    if k > 0 && matches!(words[k - 1], "their" | "its" | "his" | "her") {
        if let Some(g) = groups
            .iter()
            .rfind(|g| g.t1 < k && matches!(words.get(g.t1), Some(&"’s") | Some(&"'s")))
        {
            return Some(g.members.clone());
        }
        if let Some(c) = verb_cands.iter().rfind(|c| c.trigger < k) {
            return Some(vec![c.source.clone()]);
        }
    }
    // A light verb's subject: "Russia launched a series of missile strikes" is a verb event already.
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn casualty_counts() {
        assert_eq!(
            casualties("resulting in two fatalities and over 60 injuries."),
            (Some(2), Some(60))
        );
        assert_eq!(
            casualties("At least 12 people were killed and 30 wounded"),
            (Some(12), Some(30))
        );
    }

    #[test]
    fn weapon_types() {
        assert_eq!(
            weapon_in("short-range ballistic missiles (SRBMs)"),
            Some("ballistic missile")
        );
        assert_eq!(weapon_in("a wave of drones"), Some("drone"));
        assert_eq!(weapon_in("the premises"), None);
    }
}
