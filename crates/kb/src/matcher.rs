//! Finding names in text and composing them with agent words.

use crate::Kb;
use chrono::NaiveDate;
use serde::Serialize;
use wirecoder_doc::{EntityType, Place};

/// What a mention names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum MentionKind {
    /// A country name ("North Korea").
    Country,
    /// A demonym or adjective ("Ukrainian").
    Adjective,
    /// A capital standing for its government ("Moscow").
    Capital,
    /// A government metonym ("Kremlin", "White House").
    Metonym,
    /// A person.
    Person,
    /// An organisation (ministry, party, company, NGO).
    Org,
    /// An intergovernmental organisation.
    Igo,
    /// A news outlet; the channel of a report rather than an actor.
    Media,
    /// A city or region listed under a country.
    Place,
    /// A non-state armed or political group.
    Group,
    /// A country-like mention composed with agent words ("senior Russian officials").
    Composite,
}

/// An actor or place found in a text.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Mention {
    /// First byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
    /// What it names.
    pub kind: MentionKind,
    /// Entity label.
    pub entity_type: EntityType,
    /// Actor code valid on the date asked for.
    pub code: Option<String>,
    /// ISO3 of the country the code belongs to.
    pub country: Option<String>,
    /// The place, when it names one.
    pub place: Option<Place>,
    /// Canonical name (for composed phrases: the phrase).
    pub name: String,
}

fn boundary_ok(text: &str, s: usize, e: usize) -> bool {
    let before = text[..s].chars().next_back();
    let after = text[e..].chars().next();
    // "US$2 million" names a currency, not the United States.
    before.is_none_or(|c| !c.is_alphanumeric())
        && after.is_none_or(|c| !c.is_alphanumeric() && c != '$')
}

fn country_of(kb: &Kb, code: Option<&str>) -> Option<String> {
    let cc = code?.get(..3)?;
    kb.country(cc).map(|c| c.iso3.clone())
}

pub(crate) fn find(kb: &Kb, text: &str, date: Option<NaiveDate>) -> Vec<Mention> {
    // Line breaks inside a name still join it, and keys are ASCII lower case; both maps keep
    // the byte length, so offsets stay valid.
    let norm: Vec<u8> = text
        .bytes()
        .map(|b| {
            if b.is_ascii_whitespace() {
                b' '
            } else {
                b.to_ascii_lowercase()
            }
        })
        .collect();
    let mut cands: Vec<(usize, usize, usize)> = Vec::new();
    let mut hits: Vec<(usize, usize, usize)> = Vec::new();
    let mut prev_alnum = false;
    for (s, c) in text.char_indices() {
        // Names start after a non-alphanumeric character.
        let starts = !prev_alnum;
        prev_alnum = c.is_alphanumeric();
        if starts && c.is_alphanumeric() {
            prefix_matches(&kb.key_index, &norm, s, &mut hits);
        }
    }
    for (s, e, pat) in hits {
        if !text.is_char_boundary(e) || !boundary_ok(text, s, e) {
            continue;
        }
        let Some(p) = kb.pats.get(pat) else {
            continue;
        };
        let found = &text[s..e];
        let cap = capitalised(found);
        let ok = p.exact.iter().any(|x| x == found)
            || (p.loose && cap)
            || (p.after_title && cap && title_before_person(kb, text, s).is_some());
        if ok && !implausible(kb, text, s, e, p.actor) {
            cands.push((s, e, p.actor));
        }
    }
    cands.sort_by(|a, b| (b.1 - b.0).cmp(&(a.1 - a.0)).then(a.0.cmp(&b.0)));
    let mut used = vec![false; text.len()];
    let mut picked = Vec::new();
    for (s, e, a) in cands {
        if used[s..e].iter().any(|&u| u) {
            continue;
        }
        used[s..e].iter_mut().for_each(|u| *u = true);
        picked.push((s, e, a));
    }
    picked.extend(titled_names(kb, text, &used));
    picked.sort();
    picked
        .into_iter()
        .filter_map(|(s, e, a)| {
            let actor = kb.actors.get(a)?;
            let mut code = actor.code_on(date);
            // A known person out of office on the date keeps his country, for a title to
            // make the office current ("President Obama" in an undated story).
            // Full names only: a bare surname after a title ("Congress Party") is too weak.
            let full_name = text[s..e].contains(' ');
            let country = if actor.kind == MentionKind::Person && code.is_none() && full_name {
                country_of(kb, crate::parse::resolve(&actor.roles, None))
            } else {
                country_of(kb, code.as_deref())
            };
            if code.is_some() && former_state(actor) && looking_back(text, s, e) {
                code = None;
            }
            // "an anti-Syria journalist", "pro-Iranian Hizbollah": a stance, not the actor.
            if stance_prefix(text, s) {
                code = None;
            }
            let country = if code.is_some() || (actor.kind == MentionKind::Person && full_name) {
                country
            } else {
                None
            };
            Some(Mention {
                start: s,
                end: e,
                kind: actor.kind,
                entity_type: actor.etype,
                country,
                code,
                place: actor.place.clone(),
                name: actor.name.clone(),
            })
        })
        .collect()
}

/// Known people written otherwise after a title: "President Omar El Bashir" and "President
/// Omar Hassan al-Bashir" (the dictionary's Omar Hassan Ahmad al-Bashir), "President Francois
/// Mitterand" (one letter off). The first name must be the person's and the last word his
/// surname or one edit from it, with no other person of that first name fitting.
fn titled_names(kb: &Kb, text: &str, used: &[bool]) -> Vec<(usize, usize, usize)> {
    let mut out = Vec::new();
    if kb.first_names.is_empty() {
        return out;
    }
    let b = text.as_bytes();
    let mut pos = 0;
    while pos < b.len() {
        // Next capitalised word start after a space.
        let Some(off) = text[pos..].find(' ') else {
            break;
        };
        let s = pos + off + 1;
        pos = s;
        // Cheap tests first: most words are not capitalised first names.
        if !text[s..].starts_with(char::is_uppercase) || used.get(s).is_none_or(|&u| u) {
            continue;
        }
        let w0e = text[s..]
            .find(|c: char| !c.is_alphabetic() && c != '-')
            .map_or(text.len(), |i| s + i);
        let Some(cands) = kb.first_names.get(&text[s..w0e].to_lowercase()) else {
            continue;
        };
        let ws = words_after(text, s - 1, 5);
        let Some(&(w0s, _)) = ws.first().filter(|w| w.0 == s) else {
            continue;
        };
        // The name's words: capitalised, or particles ("al-Bashir", "de Klerk").
        let mut end_i = 0;
        for (i, &(a, z)) in ws.iter().enumerate().skip(1) {
            let w = &text[a..z];
            let particle = matches!(w, "al" | "el" | "bin" | "ibn" | "de" | "van" | "von" | "da")
                || capitalised(w);
            if !particle || used[a..z].iter().any(|&u| u) || !text[ws[i - 1].1..a].eq(" ") {
                break;
            }
            end_i = i;
        }
        let found = (1..=end_i).rev().find_map(|i| {
            // The run's words after the first: an Arabic article ("El", "al-") marks a name
            // that may drop the middle names the dictionary has ("Omar Hassan al-Bashir").
            let mut article = false;
            let mut words: Vec<String> = Vec::new();
            for &(a, z) in &ws[1..=i] {
                let w = text[a..z].to_lowercase();
                if matches!(w.as_str(), "al" | "el") {
                    article = true;
                    continue;
                }
                match ["al-", "el-"].iter().find_map(|p| w.strip_prefix(p)) {
                    Some(rest) => {
                        article = true;
                        words.push(rest.to_string());
                    }
                    None => words.push(w),
                }
            }
            let (last, middle) = words.split_last()?;
            let hits: Vec<usize> = cands
                .iter()
                .filter(|(rest, _)| {
                    let Some((l, mid)) = rest.split_last() else {
                        return false;
                    };
                    let surname = l == last || (l.len() >= 6 && one_edit(l, last));
                    // Middle names the text gives must be the person's; it may drop the
                    // person's only after an article.
                    let middles = middle.iter().all(|m| mid.contains(m))
                        && (article || mid.len() == middle.len());
                    surname && middles
                })
                .map(|&(_, id)| id)
                .collect();
            match hits.as_slice() {
                [id] => Some((ws[i].1, *id)),
                [id, rest @ ..] if rest.iter().all(|r| r == id) => Some((ws[i].1, *id)),
                _ => None,
            }
        });
        if let Some((e, id)) = found {
            if title_before_person(kb, text, w0s).is_some() {
                out.push((w0s, e, id));
                pos = e;
            }
        }
    }
    out
}

/// Whether `a` and `b` differ by at most one inserted, deleted or changed letter.
fn one_edit(a: &str, b: &str) -> bool {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    let (short, long) = if a.len() <= b.len() {
        (&a, &b)
    } else {
        (&b, &a)
    };
    if long.len() - short.len() > 1 {
        return false;
    }
    let pre = short
        .iter()
        .zip(long.iter())
        .take_while(|(x, y)| x == y)
        .count();
    if short.len() == long.len() {
        short
            .iter()
            .zip(long.iter())
            .filter(|(x, y)| x != y)
            .count()
            <= 1
    } else {
        short[pre..] == long[pre + 1..]
    }
}

/// A name as names are written: a capital first letter, or an Arabic article before one
/// ("al-Qaeda", "el-Sisi", "ash-Shabab").
fn capitalised(found: &str) -> bool {
    let rest = [
        "al-", "el-", "ad-", "an-", "ar-", "as-", "ash-", "at-", "az-",
    ]
    .iter()
    .find_map(|p| found.strip_prefix(p))
    .unwrap_or(found);
    rest.chars().next().is_some_and(char::is_uppercase)
}

/// "anti-" or "pro-" right before `s`.
fn stance_prefix(text: &str, s: usize) -> bool {
    let tail = &text.as_bytes()[s.saturating_sub(6)..s];
    let t = String::from_utf8_lossy(tail).to_ascii_lowercase();
    let word_start = |p: &str| {
        t.strip_suffix(p)
            .is_some_and(|b| b.chars().next_back().is_none_or(|c| !c.is_alphanumeric()))
    };
    word_start("anti-") || word_start("pro-")
}

/// A state that no longer exists (every role has ended: the Soviet Union, Yugoslavia).
fn former_state(a: &crate::Actor) -> bool {
    matches!(
        a.kind,
        MentionKind::Country | MentionKind::Adjective | MentionKind::Capital
    ) && !a.roles.is_empty()
        && a.roles.iter().all(|r| r.end.is_some())
}

/// A name the text itself places in the past: "a former Soviet republic", "ex-Yugoslav",
/// "post-Soviet", "Soviet-era" (then no actor, even in an undated text).
fn looking_back(text: &str, s: usize, e: usize) -> bool {
    let tail = &text.as_bytes()[s.saturating_sub(7)..s];
    let before = String::from_utf8_lossy(tail).to_ascii_lowercase();
    let after = &text[e..];
    before.ends_with("former ")
        || before.ends_with("ex-")
        || before.ends_with("post-")
        || before.ends_with("pre-")
        || after.starts_with("-era")
        || after.starts_with(" era")
}

/// Every key that `hay[start..]` begins with, as (start, end, key index), found by narrowing
/// the range of the sorted `keys` byte by byte (a trie walk over the sorted list: no automaton
/// to build when the knowledge base loads). Keys are ASCII-lower-cased phrases and so is `hay`.
/// Where the sorted keys of each first byte pair begin and end, and which key is each single
/// byte: the first two steps of [`prefix_matches`] are the ones over the widest ranges, so a
/// table lookup replaces them.
///
/// The keys are also kept end to end in one buffer: the binary searches then read bytes that
/// lie together (under a megabyte, mostly in cache) rather than one heap string per probe.
pub(crate) struct KeyIndex {
    single: Vec<u32>,
    pairs: Vec<(u32, u32)>,
    /// All keys, in order, end to end.
    bytes: Vec<u8>,
    /// Key `i` is `bytes[ends[i]..ends[i + 1]]`.
    ends: Vec<u32>,
}

impl KeyIndex {
    const NONE: u32 = u32::MAX;

    pub(crate) fn new(keys: &[String]) -> KeyIndex {
        let mut single = vec![Self::NONE; 256];
        let mut pairs = vec![(0u32, 0u32); 1 << 16];
        let mut bytes = Vec::with_capacity(keys.iter().map(String::len).sum());
        let mut ends = Vec::with_capacity(keys.len() + 1);
        ends.push(0);
        for (i, k) in keys.iter().enumerate() {
            bytes.extend_from_slice(k.as_bytes());
            ends.push(bytes.len() as u32);
            let i = i as u32;
            match *k.as_bytes() {
                [b] => single[b as usize] = i,
                [b0, b1, ..] => {
                    // Sorted keys: those sharing a first byte pair are contiguous.
                    let r = &mut pairs[((b0 as usize) << 8) | b1 as usize];
                    if r.0 == r.1 {
                        *r = (i, i + 1);
                    } else {
                        r.1 = i + 1;
                    }
                }
                [] => {}
            }
        }
        KeyIndex {
            single,
            pairs,
            bytes,
            ends,
        }
    }

    /// Key `i`'s bytes.
    #[inline]
    fn key(&self, i: usize) -> &[u8] {
        match self.ends.get(i..i + 2) {
            Some(&[a, e]) => self.bytes.get(a as usize..e as usize).unwrap_or(&[]),
            _ => &[],
        }
    }
}

/// Every key that `hay[start..]` begins with, shortest first, as (start, end, key index).
fn prefix_matches(
    index: &KeyIndex,
    hay: &[u8],
    start: usize,
    out: &mut Vec<(usize, usize, usize)>,
) {
    let Some(&b0) = hay.get(start) else { return };
    let one = index.single[b0 as usize];
    if one != KeyIndex::NONE {
        out.push((start, start + 1, one as usize));
    }
    let Some(&b1) = hay.get(start + 1) else {
        return;
    };
    let (lo, hi) = index.pairs[((b0 as usize) << 8) | b1 as usize];
    let (mut lo, mut hi) = (lo as usize, hi as usize);
    if lo < hi && index.key(lo).len() == 2 {
        out.push((start, start + 2, lo));
    }
    let mut k = 2;
    while lo < hi {
        let Some(&b) = hay.get(start + k) else { break };
        // Within [lo, hi) all keys share the first k bytes, so their k-th bytes are sorted
        // (a key of length k, having none, comes first).
        let kth = |i: usize| index.key(i).get(k).copied();
        lo += partition(hi - lo, |j| kth(lo + j).is_none_or(|c| c < b));
        hi = lo + partition(hi - lo, |j| kth(lo + j) == Some(b));
        k += 1;
        if lo < hi && index.key(lo).len() == k {
            out.push((start, start + k, lo));
        }
    }
}

/// The number of leading `j` in `0..n` for which `pred(j)` holds (`pred` is true then false).
#[inline]
fn partition(n: usize, pred: impl Fn(usize) -> bool) -> usize {
    let (mut lo, mut hi) = (0, n);
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        if pred(mid) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    lo
}

/// Matches that the text's shape rules out: a one-word person name inside a longer
/// capitalised name ("Omar Hassan al-Bashir" is not "Hassan"), an outlet's name with a
/// lower-case word ("Russia today said").
fn implausible(kb: &Kb, text: &str, s: usize, e: usize, actor: usize) -> bool {
    let Some(a) = kb.actors.get(actor) else {
        return true;
    };
    let found = &text[s..e];
    match a.kind {
        MentionKind::Person if !found.contains(' ') => {
            let cap = |w: &str| w.chars().next().is_some_and(char::is_uppercase);
            let prev = words_before(text, s, 1).first().map(|&(a, b)| &text[a..b]);
            let sentence_start = text[..s]
                .trim_end()
                .ends_with(['.', '!', '?', '"', '“', '”', ':'])
                || text[..s].trim().is_empty();
            let prev_name = prev.is_some_and(|w| {
                cap(w) && !sentence_start && title_before_person(kb, text, s).is_none()
            });
            let next_name = words_after(text, e, 1)
                .first()
                .is_some_and(|&(a, b)| cap(&text[a..b]) && text[e..a].trim().is_empty());
            prev_name || next_name
        }
        // "West Darfur": a compass word alone is no place (the dictionaries list regions of
        // Cameroon so named).
        MentionKind::Place if !found.contains(' ') => matches!(
            found.to_ascii_lowercase().as_str(),
            "west" | "east" | "north" | "south" | "centre" | "center" | "central" | "coast"
        ),
        MentionKind::Media => found
            .split(' ')
            .skip(1)
            .any(|w| w.len() > 3 && w.chars().next().is_some_and(char::is_lowercase)),
        _ => false,
    }
}

/// Words that may stand between a country and its agent noun ("senior", "top").
const TITLES: &[&str] = &[
    "senior",
    "top",
    "high-ranking",
    "high-level",
    "unnamed",
    "anonymous",
    "state",
    "government",
    "military",
    "foreign",
    "defence",
    "defense",
    "security",
    "intelligence",
    "presidential",
    "deputy",
    "chief",
    "local",
    "regional",
    "federal",
    "national",
    "supreme",
    "acting",
    "new",
    "junior",
    "interim",
    "caretaker",
    "transitional",
    "top-ranking",
    "visiting",
    "peacekeeping",
    // "first Deputy Prime Minister", "Vice Foreign Minister"
    "first",
    "vice",
];

/// Nouns that turn an agent word into a group ("opposition groups", "rebel factions").
const GROUP_NOUNS: &[&str] = &[
    "group",
    "groups",
    "parties",
    "party",
    "factions",
    "faction",
    "members",
    "figures",
    "movement",
    "coalition",
];

/// Agent nouns that name one person (for the entity type).
const PERSON_NOUNS: &[&str] = &[
    "official",
    "spokesman",
    "spokeswoman",
    "spokesperson",
    "leader",
    "minister",
    "president",
    "diplomat",
    "envoy",
    "ambassador",
    "soldier",
    "general",
    "commander",
    "chief",
];

/// Words after `pos`: (start, end) byte ranges, separated by single runs of spaces.
fn words_after(text: &str, mut pos: usize, max: usize) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let b = text.as_bytes();
    while out.len() < max {
        let ws = pos;
        while pos < b.len() && (b[pos] == b' ' || b[pos] == b'\n') {
            pos += 1;
        }
        if pos == ws || text[ws..pos].matches('\n').count() > 1 {
            break;
        }
        let start = pos;
        for c in text[pos..].chars() {
            if c.is_alphabetic() || c == '-' {
                pos += c.len_utf8();
            } else {
                break;
            }
        }
        if pos == start {
            break;
        }
        out.push((start, pos));
    }
    out
}

/// Words before `pos`, nearest first.
fn words_before(text: &str, mut pos: usize, max: usize) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let b = text.as_bytes();
    while out.len() < max {
        let we = pos;
        while pos > 0 && b[pos - 1] == b' ' {
            pos -= 1;
        }
        if pos == we {
            break;
        }
        let end = pos;
        while let Some(c) = text[..pos].chars().next_back() {
            if c.is_alphabetic() || c == '-' {
                pos -= c.len_utf8();
            } else {
                break;
            }
        }
        if pos == end {
            break;
        }
        out.push((pos, end));
    }
    out
}

fn lower(text: &str, ws: &[(usize, usize)]) -> String {
    ws.iter()
        .map(|&(s, e)| text[s..e].to_lowercase())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The agent phrase right after `pos` (titles allowed in between): its end, suffix, last word.
/// "former" among the titles makes the agent an elite ("Arnor former security officials" →
/// `ELI`). After a demonym (`loose`), up to two other lower-case words may also stand
/// between ("French maritime authorities", "Iraqi oil officials").
fn agent_after<'k>(kb: &'k Kb, text: &str, pos: usize) -> Option<(usize, &'k str, String)> {
    agent_after_with(kb, text, pos, false)
}

fn agent_after_with<'k>(
    kb: &'k Kb,
    text: &str,
    pos: usize,
    loose: bool,
) -> Option<(usize, &'k str, String)> {
    let mut p = pos;
    for poss in ["'s", "’s"] {
        if text[p..].starts_with(poss) {
            p += poss.len();
        }
    }
    let max = kb.agent_words.max(1);
    let ws = words_after(text, p, 4 + max);
    let mut j = 0;
    let mut former = false;
    let mut free = 0;
    while j < ws.len() {
        for len in (1..=max).rev() {
            if j + len > ws.len() {
                continue;
            }
            if let Some(s) = kb.agent(&lower(text, &ws[j..j + len])) {
                let last = lower(text, &ws[j + len - 1..j + len]);
                return Some((ws[j + len - 1].1, if former { "ELI" } else { s }, last));
            }
        }
        let w = lower(text, &ws[j..j + 1]);
        if matches!(w.as_str(), "former" | "ex") {
            former = true;
        } else if !TITLES.contains(&w.as_str()) {
            let (a, b) = ws[j];
            let plain = text[a..b].chars().all(|c| c.is_lowercase() || c == '-')
                && !NOT_MODIFIERS.contains(&w.as_str());
            if !loose || !plain || free == 2 {
                return None;
            }
            free += 1;
        }
        j += 1;
    }
    None
}

/// Lower-case words that cannot modify an agent noun: a clause or a new phrase goes on.
const NOT_MODIFIERS: &[&str] = &[
    "a", "an", "the", "and", "or", "but", "nor", "of", "in", "on", "at", "to", "from", "by",
    "with", "for", "as", "into", "over", "after", "before", "against", "than", "that", "which",
    "who", "whose", "is", "are", "was", "were", "be", "been", "being", "has", "have", "had", "do",
    "does", "did", "will", "would", "shall", "should", "can", "could", "may", "might", "must",
    "not", "no", "said", "says", "say", "its", "their", "his", "her", "our", "this", "these",
    "those", "there", "here", "also", "still", "now", "then", "when", "where", "while", "if", "so",
    "such", "all", "both", "each", "other", "more", "most", "some", "any", "many", "much", "very",
];

/// Title words ("senior", "top") directly before `pos`: the new start.
fn titles_before(text: &str, pos: usize) -> usize {
    let mut start = pos;
    for (s, e) in words_before(text, pos, 2) {
        if TITLES.contains(&text[s..e].to_lowercase().as_str()) {
            start = s;
        } else {
            break;
        }
    }
    start
}

/// The agent phrase right before `pos` ("state media KCNA"): its start.
fn agent_before(kb: &Kb, text: &str, pos: usize) -> Option<usize> {
    let mut ws = words_before(text, pos, kb.agent_words.max(1));
    ws.reverse();
    (1..=ws.len()).rev().find_map(|len| {
        let part = &ws[ws.len() - len..];
        kb.agent(&lower(text, part)).map(|_| part[0].0)
    })
}

/// "the government of", "opposition groups in" right before a country at `pos`: the phrase's
/// start and the agent suffix. With "in", military nouns are left out: "troops in Afghanistan"
/// are seldom Afghanistan's.
fn agent_of_before<'k>(kb: &'k Kb, text: &str, pos: usize) -> Option<(usize, &'k str)> {
    let ws = words_before(text, pos, 4 + kb.agent_words.max(3));
    let mut i = 0;
    if ws
        .get(i)
        .is_some_and(|&(s, e)| text[s..e].eq_ignore_ascii_case("the"))
    {
        i += 1;
    }
    let &(ps, pe) = ws.get(i)?;
    let prep = &text[ps..pe];
    // "students throughout Indonesia", "protesters across Iran" read like "in".
    if !matches!(prep, "of" | "in" | "throughout" | "across") {
        return None;
    }
    // Words before the preposition, in text order.
    let max = kb.agent_words.max(3);
    let mut before: Vec<(usize, usize)> = ws.get(i + 1..)?.iter().take(max + 1).copied().collect();
    before.reverse();
    let n = before.len();
    let try_end = |end: usize| {
        (1..=max.min(end)).rev().find_map(|len| {
            let part = &before[end - len..end];
            kb.agent(&lower(text, part)).map(|s| (part[0].0, s))
        })
    };
    let found = try_end(n).or_else(|| {
        let &(gs, ge) = before.last()?;
        GROUP_NOUNS
            .contains(&text[gs..ge].to_lowercase().as_str())
            .then(|| try_end(n - 1))
            .flatten()
    })?;
    if prep != "of" && found.1.starts_with("MIL") {
        return None;
    }
    Some(found)
}

/// A title right before a person ("President", "Prime Minister", "new President"): its agent
/// suffix, or `ELI` after "former".
fn title_before_person<'k>(kb: &'k Kb, text: &str, pos: usize) -> Option<&'k str> {
    if !text[..pos].ends_with(' ') {
        return None;
    }
    let max = kb.agent_words.max(3);
    let mut ws = words_before(text, pos, max + 1);
    ws.reverse();
    let n = ws.len();
    (1..=max.min(n)).rev().find_map(|len| {
        let part = &ws[n - len..];
        let s = kb.agent(&lower(text, part))?;
        let former = ws[..n - len].last().is_some_and(|&(a, b)| {
            matches!(text[a..b].to_lowercase().as_str(), "former" | "ex" | "late")
        });
        Some(if former { "ELI" } else { s })
    })
}

/// Where the title right before a person begins ("President" in "President Prosper Avril").
fn title_start(kb: &Kb, text: &str, pos: usize) -> Option<usize> {
    if !text[..pos].ends_with(' ') {
        return None;
    }
    let max = kb.agent_words.max(3);
    let mut ws = words_before(text, pos, max);
    ws.reverse();
    let n = ws.len();
    (1..=max.min(n)).rev().find_map(|len| {
        let part = &ws[n - len..];
        kb.agent(&lower(text, part)).map(|_| part[0].0)
    })
}

/// A title inside a person's matched words ("President Bill Clinton", "Bush
/// administration"), not counting the last word (the surname).
fn title_within<'k>(kb: &'k Kb, text: &str, m: &Mention) -> Option<&'k str> {
    let span = &text[m.start..m.end];
    let mut ws: Vec<(usize, usize)> = Vec::new();
    let mut off = 0;
    for w in span.split(' ') {
        let t = w.trim_matches(|c: char| !c.is_alphanumeric() && c != '-');
        if !t.is_empty() {
            let s = m.start + off + w.find(t).unwrap_or(0);
            ws.push((s, s + t.len()));
        }
        off += w.len() + 1;
    }
    let n = ws.len();
    if let Some(last) = ws.last() {
        // "Bush administration": the office as the last word.
        let w = text[last.0..last.1].to_lowercase();
        if n > 1 && (w == "administration" || w == "government") {
            return Some("GOV");
        }
    }
    for i in 0..n.saturating_sub(1) {
        for len in (1..=kb.agent_words.max(3)).rev() {
            let Some(part) = ws.get(i..i + len).filter(|_| i + len < n) else {
                continue;
            };
            if let Some(s) = kb.agent(&lower(text, part)) {
                let former = i > 0
                    && matches!(
                        lower(text, &ws[i - 1..i]).as_str(),
                        "former" | "ex" | "late"
                    );
                return Some(if former { "ELI" } else { s });
            }
        }
    }
    None
}

/// Capitalised words right after `pos` that no mention covers (an unknown name after a title):
/// the end of the last one.
fn name_after(text: &str, pos: usize, next_start: Option<usize>) -> Option<usize> {
    let limit = next_start.unwrap_or(text.len());
    let ws = words_after(text, pos, 4);
    let mut end = None;
    for (s, e) in ws {
        let w = &text[s..e];
        let calendar = [
            "Monday",
            "Tuesday",
            "Wednesday",
            "Thursday",
            "Friday",
            "Saturday",
            "Sunday",
            "January",
            "February",
            "March",
            "April",
            "June",
            "July",
            "August",
            "September",
            "October",
            "November",
            "December",
            "The",
            "In",
            "On",
            "At",
        ];
        if e > limit || !w.chars().next().is_some_and(char::is_uppercase) || calendar.contains(&w) {
            break;
        }
        end = Some(e);
    }
    end
}

fn is_country_like(k: MentionKind) -> bool {
    matches!(
        k,
        MentionKind::Country | MentionKind::Adjective | MentionKind::Capital | MentionKind::Metonym
    )
}

/// An agent phrase built around a country or a person ("the government of President X").
fn composite_org(kb: &Kb, text: &str, start: usize, end: usize, code: Option<String>) -> Mention {
    Mention {
        start,
        end,
        kind: MentionKind::Composite,
        entity_type: EntityType::Org,
        country: country_of(kb, code.as_deref()),
        code,
        place: None,
        name: text[start..end].to_string(),
    }
}

fn with_suffix(code: Option<&str>, suffix: &str) -> Option<String> {
    code.and_then(|c| c.get(..3))
        .map(|cc| format!("{cc}{suffix}"))
}

pub(crate) fn compose(kb: &Kb, text: &str, mentions: &[Mention]) -> Vec<Mention> {
    let mut ms: Vec<Mention> = mentions.to_vec();
    ms.sort_by_key(|m| (m.start, m.end));
    // A person after a title holds that office in the story ("President Gbagbo" → GOV, even
    // on a date the dictionary has him out of office); organisations' people keep their code.
    for m in ms.iter_mut() {
        if m.kind != MentionKind::Person {
            continue;
        }
        let Some(code) = m.code.as_deref().or(m.country.as_deref()) else {
            continue;
        };
        if matches!(code.get(..3), Some("IGO" | "NGO" | "IMG" | "MNC")) || code.len() < 3 {
            continue;
        }
        if kb.country(code.get(..3).unwrap_or("")).is_none() {
            continue;
        }
        let former_before = words_before(text, m.start, 1)
            .first()
            .is_some_and(|&(a, b)| {
                matches!(text[a..b].to_lowercase().as_str(), "former" | "ex" | "late")
            });
        if let Some(s) =
            title_before_person(kb, text, m.start).or_else(|| title_within(kb, text, m))
        {
            let s = if former_before { "ELI" } else { s };
            m.code = with_suffix(Some(code), s);
        }
    }
    let mut out: Vec<Mention> = Vec::new();
    let mut skip_until = 0;
    for (i, m) in ms.iter().enumerate() {
        if m.start < skip_until {
            continue;
        }
        let next = ms.get(i + 1);
        let prev_end = out.last().map_or(0, |p| p.end);
        let country_like = matches!(
            m.kind,
            MentionKind::Country
                | MentionKind::Adjective
                | MentionKind::Capital
                | MentionKind::Metonym
        );
        // "the government of Liberia", "opposition groups in Zimbabwe".
        // Countries only: a city's people keep the city's point for geocoding.
        if m.kind == MentionKind::Country && agent_after(kb, text, m.end).is_none() {
            if let Some((s, suffix)) =
                agent_of_before(kb, text, m.start).filter(|&(s, _)| s >= prev_end)
            {
                let start = titles_before(text, s).max(prev_end);
                let code = with_suffix(m.code.as_deref(), suffix);
                out.push(composite_org(kb, text, start, m.end, code));
                continue;
            }
        }
        // "US and British forces": the first country shares the second's agent noun.
        if country_like && agent_after(kb, text, m.end).is_none() {
            let shared = next
                .filter(|n| is_country_like(n.kind))
                .filter(|n| matches!(&text[m.end..n.start], " and " | ", " | " or "))
                .and_then(|n| agent_after(kb, text, n.end));
            if let Some((_, suffix, _)) = shared {
                let mut c = m.clone();
                c.code = with_suffix(m.code.as_deref(), suffix);
                c.country = country_of(kb, c.code.as_deref());
                c.kind = MentionKind::Composite;
                out.push(c);
                continue;
            }
        }
        // "the military government of President Prosper Avril": the government of a titled
        // person's country.
        if m.kind == MentionKind::Person && m.code.as_deref().is_some_and(|c| c.len() >= 3) {
            let tstart = title_start(kb, text, m.start).unwrap_or(m.start);
            let of_gov = agent_of_before(kb, text, tstart)
                .filter(|&(s, suffix)| s >= prev_end && suffix.starts_with("GOV"))
                .filter(|&(s, _)| text[s..tstart].contains(" of "));
            let cc = m.code.as_deref().and_then(|c| c.get(..3));
            if let (Some((s, suffix)), Some(cc)) = (of_gov, cc) {
                if kb.country(cc).is_some() {
                    let start = titles_before(text, s).max(prev_end);
                    let code = Some(format!("{cc}{suffix}"));
                    out.push(composite_org(kb, text, start, m.end, code));
                    continue;
                }
            }
        }
        // "King Hassan of Morocco": a titled person of the country named after.
        if m.kind == MentionKind::Person && title_before_person(kb, text, m.start).is_some() {
            let of_country =
                next.filter(|n| n.kind == MentionKind::Country && &text[m.end..n.start] == " of ");
            if let Some(n) = of_country {
                let suffix = title_before_person(kb, text, m.start).unwrap_or("GOV");
                let mut c = m.clone();
                c.end = n.end;
                c.code = with_suffix(n.code.as_deref(), suffix);
                c.country = country_of(kb, c.code.as_deref());
                c.name = text[c.start..c.end].to_string();
                skip_until = n.end;
                out.push(c);
                continue;
            }
        }
        // "Bush administration" → the person's country's government.
        if m.kind == MentionKind::Person {
            let rest = &text[m.end..];
            if let Some(w) = [" administration", " government"]
                .iter()
                .find(|w| rest.starts_with(**w))
            {
                let mut c = m.clone();
                c.end = m.end + w.len();
                c.code = with_suffix(m.code.as_deref(), "GOV");
                c.kind = MentionKind::Composite;
                c.entity_type = EntityType::Org;
                c.name = text[c.start..c.end].to_string();
                out.push(c);
                continue;
            }
        }
        let coded = m.code.is_some();
        if coded && (country_like || m.kind == MentionKind::Igo || m.kind == MentionKind::Media) {
            let demonym = m.kind == MentionKind::Adjective;
            if let Some((mut end, suffix, last)) = agent_after_with(kb, text, m.end, demonym) {
                if next.is_none_or(|n| n.start >= end) {
                    // A person with a known role right after the title is the actor.
                    let person_next = next.is_some_and(|n| {
                        n.kind == MentionKind::Person
                            && n.code.is_some()
                            && text[end..n.start].trim_matches([' ', ',']).is_empty()
                    });
                    if person_next {
                        continue;
                    }
                    // An unknown name after a one-person title is the person:
                    // "Nigerian junior foreign minister Dubem Oniya".
                    if country_like && PERSON_NOUNS.contains(&last.as_str()) {
                        if let Some(e) = name_after(text, end, next.map(|n| n.start)) {
                            end = e;
                        }
                    }
                    let start = titles_before(text, m.start).max(prev_end);
                    let code = if country_like {
                        m.code
                            .as_deref()
                            .and_then(|c| c.get(..3))
                            .map(|cc| format!("{cc}{suffix}"))
                    } else if m.kind == MentionKind::Igo {
                        // "UN peacekeepers" → IGOUNOMIL.
                        m.code.as_deref().map(|c| {
                            if c.ends_with(suffix) {
                                c.to_string()
                            } else {
                                format!("{c}{suffix}")
                            }
                        })
                    } else {
                        m.code.clone()
                    };
                    let etype = if !country_like {
                        m.entity_type
                    } else if PERSON_NOUNS.contains(&last.as_str()) {
                        EntityType::Person
                    } else {
                        EntityType::Org
                    };
                    out.push(Mention {
                        start,
                        end,
                        kind: if country_like {
                            MentionKind::Composite
                        } else {
                            m.kind
                        },
                        entity_type: etype,
                        country: country_of(kb, code.as_deref()),
                        code,
                        place: None,
                        name: text[start..end].to_string(),
                    });
                    continue;
                }
            }
        }
        if m.kind == MentionKind::Media {
            if let Some(s) = agent_before(kb, text, m.start).filter(|&s| s >= prev_end) {
                let start = titles_before(text, s).max(prev_end);
                let mut c = m.clone();
                c.start = start;
                out.push(c);
                continue;
            }
        }
        out.push(m.clone());
    }
    for m in out.iter_mut() {
        if m.kind == MentionKind::Org && country_named_first(kb, text, m) {
            m.kind = MentionKind::Composite;
        }
        let Some(cc) = m
            .code
            .as_deref()
            .filter(|c| c.len() == 3)
            .map(str::to_string)
        else {
            continue;
        };
        // "100 Palestinians", "hundreds of Iraqis": counted people are civilians, where "the
        // Palestinians" is the nation.
        if m.kind == MentionKind::Adjective
            && m.name.ends_with('s')
            && (counted(text, m.start) || people_phrase(text, m.start, m.end))
        {
            m.code = Some(format!("{cc}CVL"));
        }
    }
    prefix_agents(kb, text, &mut out);
    ethnic_residents(text, &mut out);
    igo_appositions(text, &mut out);
    // "Iraqi Kurds", "Lebanese Christians": a community of the country, its civilians.
    for i in 0..out.len() {
        let next_start = out.get(i + 1).map_or(text.len(), |n| n.start);
        let m = &mut out[i];
        if m.kind != MentionKind::Adjective || m.code.as_deref().is_none_or(|c| c.len() != 3) {
            continue;
        }
        let Some(&(ws, we)) = words_after(text, m.end, 1).first() else {
            continue;
        };
        if we > next_start || !COMMUNITIES.contains(&&text[ws..we]) {
            continue;
        }
        m.code = with_suffix(m.code.as_deref(), "CVL");
        m.end = we;
        m.kind = MentionKind::Composite;
        m.name = text[m.start..m.end].to_string();
    }
    for m in out.iter_mut() {
        // "in central Baghdad": a capital as the place where something happens stands for
        // its people, not its government ("Moscow said", "visits to Pyongyang").
        let city = m.kind == MentionKind::Capital
            || (m.kind == MentionKind::Place
                && m.code.as_deref().is_some_and(|c| c.len() == 3)
                && m.entity_type == EntityType::Gpe);
        if city && located_in(text, m.start) {
            m.code = with_suffix(m.code.as_deref(), "CVL");
        }
    }
    out
}

/// "ethnic Albanians … in Serbia", "the Albanians of southern Serbia": an ethnic group named
/// with the country it lives in is that country's (`SRBCVL`; "ethnic Albanian guerrillas
/// operating in Macedonia" → `MKDREB`), as event data codes minorities by residence. Only a
/// country after a locative word in the same sentence counts.
fn ethnic_residents(text: &str, out: &mut [Mention]) {
    for i in 0..out.len() {
        let m = &out[i];
        let Some(code) = m.code.as_deref().filter(|c| c.len() >= 3) else {
            continue;
        };
        let ethnic = words_before(text, m.start, 1)
            .first()
            .is_some_and(|&(a, b)| text[a..b].eq_ignore_ascii_case("ethnic"));
        let people = m.kind == MentionKind::Adjective && m.name.ends_with('s');
        let described = people
            && words_after(text, m.end, 1)
                .first()
                .is_some_and(|&(a, b)| matches!(&text[a..b], "of" | "in"));
        let eligible = match m.kind {
            MentionKind::Adjective => ethnic || described,
            MentionKind::Composite => ethnic,
            _ => false,
        };
        if !eligible {
            continue;
        }
        let own = code.get(..3).unwrap_or(code).to_string();
        let rest = code.get(3..).unwrap_or("").to_string();
        let home = out[i + 1..]
            .iter()
            .take_while(|n| !sentence_break(&text[m.end.min(n.start)..n.start]))
            .find(|n| n.kind == MentionKind::Country && locative_before(text, n.start))
            .and_then(|n| n.code.as_deref().and_then(|c| c.get(..3)))
            .filter(|cc| *cc != own)
            .map(str::to_string);
        if let Some(cc) = home {
            let suffix = if rest.is_empty() {
                "CVL"
            } else {
                rest.as_str()
            };
            out[i].code = Some(format!("{cc}{suffix}"));
            out[i].country = Some(cc);
        }
    }
}

/// "Kenzo Oshima, the United Nations Emergency Relief Coordinator": a person whose
/// apposition gives him an office in an international organisation acts for it.
fn igo_appositions(text: &str, out: &mut [Mention]) {
    for i in 1..out.len() {
        let (a, b) = out.split_at_mut(i);
        let (Some(p), Some(n)) = (a.last_mut(), b.first()) else {
            continue;
        };
        if p.kind != MentionKind::Person
            || n.kind != MentionKind::Igo
            || n.code.is_none()
            || n.start < p.end
        {
            continue;
        }
        let between = &text[p.end..n.start];
        if !matches!(between, ", the " | ", a " | ", ") {
            continue;
        }
        // An office follows the organisation's name ("Emergency Relief Coordinator").
        let office = words_after(text, n.end, 1)
            .first()
            .is_some_and(|&(s, e)| text[s..e].starts_with(char::is_uppercase));
        if office {
            p.code = n.code.clone();
            p.country = None;
        }
    }
}

/// Text that ends a sentence.
fn sentence_break(between: &str) -> bool {
    between.contains(". ")
        || between.contains("? ")
        || between.contains("! ")
        || between.contains('\n')
}

/// "in Serbia", "in southern Serbia", "near Macedonia's border".
fn locative_before(text: &str, pos: usize) -> bool {
    let ws = words_before(text, pos, 2);
    let w = |i: usize| {
        ws.get(i)
            .map(|&(a, b)| text[a..b].to_lowercase())
            .unwrap_or_default()
    };
    let loc = |w: &str| matches!(w, "in" | "near" | "of" | "across" | "throughout" | "inside");
    loc(&w(0))
        || (loc(&w(1))
            && matches!(
                w(0).as_str(),
                "central"
                    | "northern"
                    | "southern"
                    | "eastern"
                    | "western"
                    | "northeastern"
                    | "northwestern"
                    | "southeastern"
                    | "southwestern"
                    | "neighbouring"
                    | "neighboring"
            ))
}

/// A prefix agent right before a country or its composite ("MSF Arnor diplomat" →
/// `NGOARNGOV`, "observers in Bosnia" → `IGOBIH`): its code goes first.
fn prefix_agents(kb: &Kb, text: &str, out: &mut [Mention]) {
    if kb.prefix_agents.is_empty() {
        return;
    }
    let mut prev_end = 0;
    for m in out.iter_mut() {
        let limit = prev_end;
        prev_end = m.end;
        let country = matches!(
            m.kind,
            MentionKind::Country
                | MentionKind::Adjective
                | MentionKind::Capital
                | MentionKind::Metonym
                | MentionKind::Composite
        );
        let Some(code) = m.code.as_deref().filter(|c| country && c.len() >= 3) else {
            continue;
        };
        let mut ws = words_before(text, m.start, kb.agent_words.max(1));
        ws.reverse();
        let found = (1..=ws.len()).rev().find_map(|len| {
            let part = &ws[ws.len() - len..];
            kb.prefix_agent(&lower(text, part))
                .filter(|_| part[0].0 >= limit)
                .map(|p| (part[0].0, p))
        });
        if let Some((start, prefix)) = found {
            if !code.starts_with(prefix) {
                m.code = Some(format!("{prefix}{code}"));
            }
            m.start = start;
            m.kind = MentionKind::Composite;
            m.name = text[start..m.end].to_string();
        }
    }
}

/// Ethnic and religious communities named after a country's adjective ("Iraqi Kurds").
const COMMUNITIES: &[&str] = &[
    "Kurds",
    "Arabs",
    "Muslims",
    "Moslems",
    "Christians",
    "Shiites",
    "Shias",
    "Sunnis",
    "Jews",
    "Tamils",
    "Druze",
    "Copts",
    "Hindus",
    "Sikhs",
    "Turkmen",
    "Uighurs",
    "Uyghurs",
];

/// A number or quantifier right before `pos` ("100", "more than 100", "hundreds of").
fn counted(text: &str, pos: usize) -> bool {
    let before = text[..pos].trim_end();
    let last = before
        .rsplit(|c: char| c.is_whitespace())
        .next()
        .unwrap_or("")
        .to_lowercase();
    last.chars().next().is_some_and(|c| c.is_ascii_digit())
        || matches!(
            last.as_str(),
            "two"
                | "three"
                | "four"
                | "five"
                | "six"
                | "seven"
                | "eight"
                | "nine"
                | "ten"
                | "dozen"
                | "dozens"
                | "hundreds"
                | "thousands"
                | "several"
                | "many"
                | "some"
                | "few"
        )
        || (last == "of"
            && before
                .rsplit(|c: char| c.is_whitespace())
                .nth(1)
                .is_some_and(|w| {
                    matches!(
                        w.to_lowercase().as_str(),
                        "dozens"
                            | "hundreds"
                            | "thousands"
                            | "millions"
                            | "scores"
                            // "crowds of Egyptians", "a group of Palestinians"
                            | "crowd"
                            | "crowds"
                            | "group"
                            | "groups"
                            | "majority"
                            | "number"
                    )
                }))
}

/// People described, not the nation: "young Algerians", "ethnic Albanians", "Palestinians
/// living in the West Bank", "Palestinians of the West Bank".
fn people_phrase(text: &str, start: usize, end: usize) -> bool {
    let before = words_before(text, start, 1)
        .first()
        .map(|&(a, b)| text[a..b].to_lowercase())
        .unwrap_or_default();
    let next = words_after(text, end, 2);
    let after = next
        .first()
        .map(|&(a, b)| text[a..b].to_lowercase())
        .unwrap_or_default();
    // "Palestinians in Gaza", not "Palestinians in their struggle".
    let in_place = after == "in"
        && next
            .get(1)
            .is_some_and(|&(a, b)| text[a..b].starts_with(char::is_uppercase));
    in_place
        || matches!(
            before.as_str(),
            "young" | "ethnic" | "ordinary" | "local" | "angry" | "poor" | "elderly" | "wounded"
        )
        || matches!(
            after.as_str(),
            "living" | "of" | "who" | "fleeing" | "displaced" | "trapped"
        )
}

/// "in Baghdad", "in central Baghdad".
fn located_in(text: &str, pos: usize) -> bool {
    let ws = words_before(text, pos, 2);
    let w = |i: usize| {
        ws.get(i)
            .map(|&(a, b)| text[a..b].to_lowercase())
            .unwrap_or_default()
    };
    w(0) == "in"
        || (w(1) == "in"
            && matches!(
                w(0).as_str(),
                "central" | "northern" | "southern" | "eastern" | "western" | "downtown"
            ))
}

/// An organisation named after its country, whose code is that country's ("United States
/// military", "U.S. Army", "US President"): a country composed with an agent.
fn country_named_first(kb: &Kb, text: &str, m: &Mention) -> bool {
    let Some(cc) = m.code.as_deref().and_then(|c| c.get(..3)) else {
        return false;
    };
    if kb.country(cc).is_none() {
        return false;
    }
    let span = &text[m.start..m.end];
    // Prefixes of one to three words.
    let mut ends: Vec<usize> = span.match_indices(' ').map(|(i, _)| i).take(3).collect();
    ends.retain(|&e| e > 0);
    ends.iter().any(|&e| {
        let prefix = &span[..e];
        let k = prefix.to_ascii_lowercase();
        let Ok(i) = kb.keys.binary_search(&k) else {
            return false;
        };
        let Some(p) = kb.pats.get(i) else {
            return false;
        };
        let cased = p.exact.iter().any(|x| x == prefix) || p.loose;
        cased
            && kb.actors.get(p.actor).is_some_and(|a| {
                matches!(a.kind, MentionKind::Country | MentionKind::Adjective)
                    && a.code_on(None).is_some_and(|c| c.starts_with(cc))
            })
    })
}
