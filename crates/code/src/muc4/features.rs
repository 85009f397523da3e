//! Features of a token for the role tagger: the word and its shape, neighbours, small word
//! lists (organisation words, weapons, titles, victims, targets), the nearest attack trigger
//! on each side, the sentence's position and the document's attack vocabulary.

use super::text::Tok;
use wirecoder_syntax::Analysis;

/// FNV-1a over several parts, with a separator so that ("ab","c") ≠ ("a","bc").
pub(crate) fn fnv(parts: &[&str]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for p in parts {
        for b in p.bytes() {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
        h ^= 0xff;
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

/// Trigger words of the MUC-4 incident types, by word stem prefix, with their class.
const TRIGGERS: &[(&str, &str)] = &[
    ("attack", "attack"),
    ("assault", "attack"),
    ("ambush", "attack"),
    ("raid", "attack"),
    ("machinegun", "attack"),
    ("fired", "attack"),
    ("shot", "kill"),
    ("shoot", "kill"),
    ("kill", "kill"),
    ("murder", "kill"),
    ("assassinat", "kill"),
    ("massacre", "kill"),
    ("slain", "kill"),
    ("slay", "kill"),
    ("execut", "kill"),
    ("wound", "kill"),
    ("injur", "kill"),
    ("died", "kill"),
    ("death", "kill"),
    ("dead", "kill"),
    ("bomb", "bomb"),
    ("explo", "bomb"),
    ("blast", "bomb"),
    ("detonat", "bomb"),
    ("blew", "bomb"),
    ("blow", "bomb"),
    ("dynamit", "bomb"),
    ("destroy", "bomb"),
    ("damag", "bomb"),
    ("kidnap", "kidnap"),
    ("abduct", "kidnap"),
    ("hostage", "kidnap"),
    ("captiv", "kidnap"),
    ("seiz", "kidnap"),
    ("burn", "arson"),
    ("set fire", "arson"),
    ("fire", "arson"),
    ("torch", "arson"),
    ("arson", "arson"),
    ("rob", "robbery"),
    ("stole", "robbery"),
    ("steal", "robbery"),
    ("loot", "robbery"),
    ("hijack", "robbery"),
    ("responsib", "claim"),
    ("claim", "claim"),
    ("blam", "claim"),
    ("perpetrat", "claim"),
    ("accus", "claim"),
    ("terroris", "terror"),
    ("guerrilla", "perp"),
];

/// The trigger class of a lower-cased word, if it is one.
pub(crate) fn trigger_class(w: &str) -> Option<&'static str> {
    if w.len() < 3 {
        return None;
    }
    TRIGGERS
        .iter()
        .find(|(p, _)| w.starts_with(p))
        .map(|(_, c)| *c)
}

const ORG_WORDS: &[&str] = &[
    "front",
    "army",
    "movement",
    "command",
    "cartel",
    "party",
    "forces",
    "force",
    "union",
    "brigade",
    "battalion",
    "group",
    "organization",
    "commando",
    "commandos",
    "police",
    "guard",
    "squad",
    "squads",
    "council",
    "alliance",
    "unity",
    "fmln",
    "eln",
    "urng",
    "mrta",
    "fpl",
    "erp",
    "fal",
    "frente",
    "ejercito",
    "extraditables",
    "path",
    "sendero",
    "luminoso",
    "m-19",
    "farc",
    "epl",
    "nation",
    "liberation",
    "revolutionary",
    "national",
    "patriotic",
    "popular",
    "people's",
    "military",
    "government",
    "junta",
    "directorate",
];
const PERP_WORDS: &[&str] = &[
    "guerrillas",
    "guerrilla",
    "terrorists",
    "terrorist",
    "gunmen",
    "gunman",
    "rebels",
    "rebel",
    "individuals",
    "men",
    "man",
    "subversives",
    "subversive",
    "assassins",
    "assassin",
    "members",
    "soldiers",
    "troops",
    "traffickers",
    "narcoterrorists",
    "commandos",
    "hitmen",
    "sicarios",
    "persons",
    "people",
    "attackers",
    "kidnappers",
    "unidentified",
    "armed",
    "heavily",
    "urban",
    "uniformed",
    "masked",
    "hooded",
    "paramilitary",
    "death",
];
const WEAPON_WORDS: &[&str] = &[
    "bomb",
    "bombs",
    "dynamite",
    "explosive",
    "explosives",
    "grenade",
    "grenades",
    "rifle",
    "rifles",
    "machinegun",
    "machineguns",
    "machine",
    "gun",
    "guns",
    "mortar",
    "mortars",
    "rocket",
    "rockets",
    "rpg",
    "rpg-7",
    "ak-47",
    "m-16",
    "fal",
    "pistol",
    "pistols",
    "revolver",
    "weapons",
    "weapon",
    "firearms",
    "arms",
    "mine",
    "mines",
    "charge",
    "charges",
    "car",
    "device",
    "devices",
    "submachinegun",
    "submachineguns",
    "uzi",
    "tnt",
    "stick",
    "sticks",
    "artifact",
    "artifacts",
    "incendiary",
    "molotov",
    "cocktails",
    "launcher",
    "launchers",
    "booby",
    "traps",
    "knife",
    "knives",
    "machete",
    "machetes",
    "bullets",
    "bullet",
    "shells",
    "ammunition",
    "bazooka",
    "bazookas",
    "missile",
    "missiles",
    "c-4",
    "shotgun",
    "carbine",
    "carbines",
    "helicopter",
    "aircraft",
    "plane",
    "planes",
];
const TITLE_WORDS: &[&str] = &[
    "mr",
    "president",
    "colonel",
    "col",
    "gen",
    "general",
    "minister",
    "mayor",
    "judge",
    "father",
    "priest",
    "priests",
    "archbishop",
    "bishop",
    "msgr",
    "monsignor",
    "lt",
    "lieutenant",
    "captain",
    "capt",
    "sgt",
    "sergeant",
    "major",
    "maj",
    "governor",
    "senator",
    "deputy",
    "attorney",
    "councilman",
    "commander",
    "director",
    "leader",
    "dr",
    "doctor",
    "journalist",
    "journalists",
    "reporter",
    "candidate",
    "ambassador",
    "officer",
    "officers",
    "businessman",
    "jesuit",
    "jesuits",
    "nun",
    "nuns",
    "mrs",
    "engineer",
    "lawyer",
];
const VICTIM_WORDS: &[&str] = &[
    "peasant",
    "peasants",
    "civilian",
    "civilians",
    "people",
    "persons",
    "person",
    "children",
    "child",
    "woman",
    "women",
    "students",
    "student",
    "workers",
    "worker",
    "residents",
    "villagers",
    "family",
    "farmers",
    "citizens",
    "policeman",
    "policemen",
    "agents",
    "agent",
    "guards",
    "guard",
    "driver",
    "passengers",
    "bodyguards",
    "bodyguard",
    "escort",
    "wife",
    "son",
    "daughter",
    "teachers",
    "member",
    "leaders",
    "officials",
    "official",
    "victims",
    "victim",
    "tourists",
    "nationals",
    "employees",
    "employee",
];
const TARGET_WORDS: &[&str] = &[
    "building",
    "buildings",
    "bank",
    "banks",
    "embassy",
    "office",
    "offices",
    "headquarters",
    "home",
    "house",
    "houses",
    "residence",
    "plant",
    "substation",
    "substations",
    "tower",
    "towers",
    "pylons",
    "pylon",
    "bus",
    "buses",
    "vehicle",
    "vehicles",
    "car",
    "cars",
    "truck",
    "trucks",
    "station",
    "stations",
    "post",
    "posts",
    "bridge",
    "bridges",
    "facilities",
    "installations",
    "line",
    "lines",
    "pipeline",
    "oil",
    "store",
    "stores",
    "shop",
    "church",
    "school",
    "university",
    "hotel",
    "restaurant",
    "jeep",
    "helicopter",
    "aircraft",
    "plane",
    "airport",
    "barracks",
    "garrison",
    "farm",
    "farms",
    "ranch",
    "dam",
    "network",
    "company",
    "branch",
    "agency",
    "dealership",
    "premises",
    "property",
    "center",
    "facility",
    "mine",
    "power",
    "electric",
    "telephone",
    "energy",
    "consulate",
    "town",
    "hall",
    "headquarter",
];

pub(crate) fn lex_class(w: &str) -> &'static str {
    if ORG_WORDS.contains(&w) {
        "org"
    } else if WEAPON_WORDS.contains(&w) {
        "weap"
    } else if PERP_WORDS.contains(&w) {
        "perp"
    } else if TITLE_WORDS.contains(&w) {
        "title"
    } else if VICTIM_WORDS.contains(&w) {
        "vict"
    } else if TARGET_WORDS.contains(&w) {
        "targ"
    } else if trigger_class(w).is_some() {
        "trig"
    } else {
        "-"
    }
}

fn shape(w: &str) -> String {
    let mut out = String::new();
    let mut last = ' ';
    for c in w.chars() {
        let s = if c.is_alphabetic() {
            'x'
        } else if c.is_ascii_digit() {
            'd'
        } else {
            c
        };
        if s != last {
            out.push(s);
        }
        last = s;
    }
    out
}

pub(crate) fn bucket(n: usize) -> &'static str {
    match n {
        0 => "0",
        1 => "1",
        2 => "2",
        3..=4 => "3-4",
        5..=8 => "5-8",
        _ => "9+",
    }
}

/// What is known about the document as a whole, shared by all its tokens.
pub(crate) struct DocInfo {
    /// Trigger words in the document, bucketed.
    pub triggers: &'static str,
    /// Trigger words in the first two sentences, bucketed.
    pub lead_triggers: &'static str,
    /// Lower-cased words with their counts in the document.
    pub counts: std::collections::HashMap<String, usize>,
    /// Words of the first sentence.
    pub lead_words: std::collections::HashSet<String>,
}

impl DocInfo {
    pub fn new(toks: &[Tok], sents: &[(usize, usize)]) -> DocInfo {
        let mut counts = std::collections::HashMap::new();
        let mut trig = 0;
        for t in toks {
            *counts.entry(t.low.clone()).or_insert(0) += 1;
            if trigger_class(&t.low).is_some_and(|c| c != "perp" && c != "claim") {
                trig += 1;
            }
        }
        let lead_end = sents.get(1).or(sents.first()).map_or(0, |s| s.1);
        let lead_trig = toks[..lead_end]
            .iter()
            .filter(|t| trigger_class(&t.low).is_some())
            .count();
        let lead_words = sents
            .first()
            .map(|&(a, b)| toks[a..b].iter().map(|t| t.low.clone()).collect())
            .unwrap_or_default();
        DocInfo {
            triggers: bucket(trig),
            lead_triggers: bucket(lead_trig),
            counts,
            lead_words,
        }
    }
}

/// Feature hashes of token `i` of the sentence `sent` (token range `a..b` of `toks`),
/// sentence number `si`; without the previous-tag features.
pub(crate) fn features(
    toks: &[Tok],
    (a, b): (usize, usize),
    si: usize,
    doc: &DocInfo,
    parse: Option<&[Analysis]>,
    i: usize,
) -> Vec<u64> {
    let w = toks[i].low.as_str();
    let get = |j: isize| -> &str {
        let k = i as isize + j;
        if k < a as isize {
            "<s>"
        } else if k >= b as isize {
            "</s>"
        } else {
            toks[k as usize].low.as_str()
        }
    };
    let chars: Vec<char> = w.chars().collect();
    let suf = |n: usize| {
        chars[chars.len().saturating_sub(n)..]
            .iter()
            .collect::<String>()
    };
    let pre = |n: usize| chars.iter().take(n).collect::<String>();
    let (p1, p2, n1, n2) = (get(-1), get(-2), get(1), get(2));
    let lc = lex_class(w);
    let sent_pos = bucket(si);
    let mut f = vec![
        fnv(&["b"]),
        fnv(&["w", w]),
        fnv(&["sh", &shape(w)]),
        fnv(&["p3", &pre(3)]),
        fnv(&["s2", &suf(2)]),
        fnv(&["s3", &suf(3)]),
        fnv(&["s4", &suf(4)]),
        fnv(&["w-1", p1]),
        fnv(&["w-2", p2]),
        fnv(&["w+1", n1]),
        fnv(&["w+2", n2]),
        fnv(&["w-1,0", p1, w]),
        fnv(&["w0,+1", w, n1]),
        fnv(&["w-2,-1", p2, p1]),
        fnv(&["w+1,+2", n1, n2]),
        fnv(&["lex", lc]),
        fnv(&["lex-1", lex_class(p1)]),
        fnv(&["lex+1", lex_class(n1)]),
        fnv(&["lex-1,0,+1", lex_class(p1), lc, lex_class(n1)]),
        fnv(&["sent", sent_pos]),
        fnv(&["sent,lex", sent_pos, lc]),
        fnv(&["doctrig", doc.triggers]),
        fnv(&["doctrig,lex", doc.triggers, lc]),
        fnv(&["leadtrig", doc.lead_triggers]),
        fnv(&["leadtrig,sent", doc.lead_triggers, sent_pos]),
        fnv(&["count", bucket(doc.counts.get(w).copied().unwrap_or(0))]),
        fnv(&[
            "inlead",
            if doc.lead_words.contains(w) { "1" } else { "0" },
            lc,
        ]),
    ];
    // Words a little further away, as a bag on each side.
    for d in 3..=6isize {
        f.push(fnv(&["L", get(-d)]));
        f.push(fnv(&["R", get(d)]));
    }
    // The nearest trigger on each side within the sentence, its distance, and what lies
    // between ("killed *by* guerrillas", "guerrillas *who* attacked").
    let mut left = None;
    for k in (a..i).rev() {
        if let Some(c) = trigger_class(&toks[k].low) {
            left = Some((k, c));
            break;
        }
    }
    let mut right = None;
    for (k, t) in toks.iter().enumerate().take(b).skip(i + 1) {
        if let Some(c) = trigger_class(&t.low) {
            right = Some((k, c));
            break;
        }
    }
    match left {
        Some((k, c)) => {
            let d = bucket(i - k);
            f.push(fnv(&["lt", c, d]));
            f.push(fnv(&["ltw", &toks[k].low]));
            f.push(fnv(&["ltw,d", &toks[k].low, d]));
            f.push(fnv(&["lt,w-1", c, p1]));
            f.push(fnv(&["lt,lex", c, lc]));
            let by = toks[k + 1..i].iter().any(|t| t.low == "by");
            f.push(fnv(&["lt,by", c, if by { "1" } else { "0" }]));
        }
        None => f.push(fnv(&["lt", "none"])),
    }
    match right {
        Some((k, c)) => {
            let d = bucket(k - i);
            f.push(fnv(&["rt", c, d]));
            f.push(fnv(&["rtw", &toks[k].low]));
            f.push(fnv(&["rtw,d", &toks[k].low, d]));
            f.push(fnv(&["rt,w+1", c, n1]));
            f.push(fnv(&["rt,lex", c, lc]));
        }
        None => f.push(fnv(&["rt", "none"])),
    }
    // The kinds of incident the sentence speaks of, with the word's class.
    let mut kinds: Vec<&str> = (a..b).filter_map(|k| trigger_class(&toks[k].low)).collect();
    kinds.sort_unstable();
    kinds.dedup();
    for k in &kinds {
        f.push(fnv(&["skind", k, lc]));
    }
    if kinds.is_empty() {
        f.push(fnv(&["skind", "none", lc]));
    }
    if let (Some((_, l)), Some((_, r))) = (left, right) {
        f.push(fnv(&["lt,rt", l, r]));
    }
    if let Some(parse) = parse {
        syntax_features(toks, a, parse, i, lc, &mut f);
    }
    f
}

/// Relations inside a noun phrase: a word with one of them belongs to its head's phrase.
const IN_PHRASE: &[&str] = &[
    "compound",
    "amod",
    "det",
    "nummod",
    "flat",
    "flat:name",
    "nmod:poss",
    "case",
    "punct",
    "compound:prt",
    "det:poss",
    "appos",
];

/// What the parse says about the phrase token `i` is in: its head word's relation to the
/// governing word, and that word's lemma and attack class ("guerrillas" *nsubj* of
/// "attack", "peasants" *obj* of "kill", "by" + *obl* of "kill": the agent of a passive).
fn syntax_features(
    toks: &[Tok],
    a: usize,
    parse: &[Analysis],
    i: usize,
    lc: &str,
    f: &mut Vec<u64>,
) {
    let Some(me) = parse.get(i - a) else { return };
    f.push(fnv(&["pos", &me.upos]));
    f.push(fnv(&["pos,rel", &me.upos, &me.deprel]));
    // Climb to the head of the phrase.
    let mut h = i - a;
    for _ in 0..6 {
        let x = &parse[h];
        if x.head == 0 || !IN_PHRASE.contains(&x.deprel.as_str()) {
            break;
        }
        h = x.head - 1;
        if h >= parse.len() {
            return;
        }
    }
    let ph = &parse[h];
    f.push(fnv(&["phrel", &ph.deprel]));
    f.push(fnv(&["phrel,lex", &ph.deprel, lc]));
    f.push(fnv(&[
        "ishead",
        if h == i - a { "1" } else { "0" },
        &me.upos,
    ]));
    // The preposition of the phrase ("by", "of", "in").
    let case = parse
        .iter()
        .enumerate()
        .find(|(k, x)| x.head == h + 1 && x.deprel == "case" && *k < h)
        .map_or("-", |(k, _)| {
            toks.get(a + k).map_or("-", |t| t.low.as_str())
        });
    f.push(fnv(&["phcase,rel", case, &ph.deprel]));
    // The governor: the word the phrase hangs on, up through a noun it modifies.
    let mut g = ph.head;
    let mut rel = ph.deprel.clone();
    for _ in 0..2 {
        let Some(x) = g.checked_sub(1).and_then(|k| parse.get(k)) else {
            break;
        };
        if x.upos == "VERB" || x.head == 0 {
            break;
        }
        rel = format!("{rel}<{}", x.deprel);
        g = x.head;
    }
    match g.checked_sub(1).and_then(|k| parse.get(k)) {
        Some(gv) => {
            let cls = trigger_class(&gv.lemma.to_lowercase()).unwrap_or("-");
            f.push(fnv(&["gov", &gv.lemma]));
            f.push(fnv(&["gov,rel", &gv.lemma, &rel]));
            f.push(fnv(&["govcls,rel", cls, &rel]));
            f.push(fnv(&["govcls,rel,case", cls, &rel, case]));
            f.push(fnv(&["govcls,rel,lex", cls, &rel, lc]));
            // Passive clauses flip subject and object.
            let passive = parse
                .iter()
                .any(|x| x.head == g && (x.deprel == "aux:pass" || x.deprel == "nsubj:pass"));
            f.push(fnv(&[
                "govcls,rel,pass",
                cls,
                &rel,
                if passive { "p" } else { "a" },
            ]));
        }
        None => f.push(fnv(&["gov", "root"])),
    }
}
