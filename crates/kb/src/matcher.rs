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
    let Some(ac) = &kb.ac else {
        return Vec::new();
    };
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
    for m in ac.find_overlapping_iter(&norm) {
        let (s, e) = (m.start(), m.end());
        if !text.is_char_boundary(s) || !text.is_char_boundary(e) || !boundary_ok(text, s, e) {
            continue;
        }
        let Some(p) = kb.pats.get(m.pattern().as_usize()) else {
            continue;
        };
        let found = &text[s..e];
        let ok = p.exact.iter().any(|x| x == found)
            || (p.loose && found.chars().next().is_some_and(char::is_uppercase));
        if ok {
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
    picked.sort();
    picked
        .into_iter()
        .filter_map(|(s, e, a)| {
            let actor = kb.actors.get(a)?;
            let code = actor.code_on(date);
            Some(Mention {
                start: s,
                end: e,
                kind: actor.kind,
                entity_type: actor.etype,
                country: country_of(kb, code.as_deref()),
                code,
                place: actor.place.clone(),
                name: actor.name.clone(),
            })
        })
        .collect()
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
fn agent_after<'k>(kb: &'k Kb, text: &str, pos: usize) -> Option<(usize, &'k str, String)> {
    let mut p = pos;
    for poss in ["'s", "’s"] {
        if text[p..].starts_with(poss) {
            p += poss.len();
        }
    }
    let ws = words_after(text, p, 6);
    let mut j = 0;
    while j < ws.len() {
        for len in (1..=3).rev() {
            if j + len > ws.len() {
                continue;
            }
            if let Some(s) = kb.agent(&lower(text, &ws[j..j + len])) {
                let last = lower(text, &ws[j + len - 1..j + len]);
                return Some((ws[j + len - 1].1, s, last));
            }
        }
        if !TITLES.contains(&lower(text, &ws[j..j + 1]).as_str()) {
            return None;
        }
        j += 1;
    }
    None
}

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
    let mut ws = words_before(text, pos, 3);
    ws.reverse();
    (1..=ws.len()).rev().find_map(|len| {
        let part = &ws[ws.len() - len..];
        kb.agent(&lower(text, part)).map(|_| part[0].0)
    })
}

pub(crate) fn compose(kb: &Kb, text: &str, mentions: &[Mention]) -> Vec<Mention> {
    let mut ms: Vec<Mention> = mentions.to_vec();
    ms.sort_by_key(|m| (m.start, m.end));
    let mut out: Vec<Mention> = Vec::new();
    for (i, m) in ms.iter().enumerate() {
        let next = ms.get(i + 1);
        let prev_end = out.last().map_or(0, |p| p.end);
        let country_like = matches!(
            m.kind,
            MentionKind::Country
                | MentionKind::Adjective
                | MentionKind::Capital
                | MentionKind::Metonym
        );
        if country_like || m.kind == MentionKind::Igo || m.kind == MentionKind::Media {
            if let Some((end, suffix, last)) = agent_after(kb, text, m.end) {
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
                    let start = titles_before(text, m.start).max(prev_end);
                    let code = if country_like {
                        m.code
                            .as_deref()
                            .and_then(|c| c.get(..3))
                            .map(|cc| format!("{cc}{suffix}"))
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
    out
}
