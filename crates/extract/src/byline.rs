//! Visible bylines and datelines: the short lines next to the headline ("By Jane Doe",
//! "Published March 3, 2025", "Updated 12/01/2024") and author-named elements.
//!
//! Pages put these in markup with no stable class names (utility-class CSS, page builders),
//! so the scan reads the text around the page's `<h1>` in document order instead.

use crate::html::IdMap;
use crate::meta::iso_date;
use ego_tree::{NodeId, NodeRef};
use once_cell::sync::Lazy;
use regex::Regex;
use scraper::{Html, Node};
use std::collections::VecDeque;

/// Text pieces read before and after the headline.
const BEFORE: usize = 12;
const AFTER: usize = 45;

/// Elements whose text is never a byline.
fn skipped(name: &str) -> bool {
    matches!(
        name,
        "script"
            | "style"
            | "noscript"
            | "template"
            | "svg"
            | "button"
            | "select"
            | "option"
            | "title"
            | "head"
    )
}

/// One visible text piece and the class/id of the element around it.
struct Piece {
    text: String,
    authorish: bool,
    /// Inside a `<blockquote>` (an embedded post or a quotation: its dates are not the page's).
    quoted: bool,
}

/// What the headline's neighbourhood says.
#[derive(Debug, Default, Clone, PartialEq)]
pub(crate) struct Byline {
    /// Author names from a "By …" line or an author-named element.
    pub author: Option<String>,
    /// A date without an "updated" label (or labelled "published"/"posted").
    pub published: Option<String>,
    /// A date labelled "updated"/"modified"/"reviewed".
    pub updated: Option<String>,
    /// The other reading of `published` when it is all-numeric and its day and month could
    /// be swapped (`03/10/2023`).
    pub published_alt: Option<String>,
}

/// Whether `hay`, lowercased, contains the lowercase ASCII `needle` (no lowercased copy).
fn contains_ci(hay: &str, needle: &str) -> bool {
    hay.as_bytes()
        .windows(needle.len())
        .any(|w| w.eq_ignore_ascii_case(needle.as_bytes()))
}

fn authorish(e: &scraper::node::Element) -> bool {
    use crate::html::attr;
    attr(e, "rel") == Some("author")
        || attr(e, "itemprop") == Some("author")
        || [attr(e, "class"), attr(e, "id")]
            .into_iter()
            .flatten()
            .any(|c| {
                (contains_ci(c, "author") || contains_ci(c, "byline") || contains_ci(c, "by-line"))
                    && !contains_ci(c, "bio")
                    && !contains_ci(c, "avatar")
                    && !contains_ci(c, "image")
                    && !contains_ci(c, "photo")
            })
}

/// A text node, kept unclean until it is known to be in the window read.
struct RawPiece<'a> {
    node: NodeRef<'a, Node>,
    text: &'a str,
}

/// Visible text pieces around the headline `h1` (the page's first `<h1>`) in document order:
/// up to `BEFORE + 1` pieces before it (the lines read above it and the label before the
/// first of them) and up to `AFTER + 1` from it on, with the index of the headline's first
/// piece (`None` when the walk never reaches the headline).
fn pieces(doc: &Html, h1: NodeId) -> (Vec<Piece>, Option<usize>) {
    let mut before: VecDeque<RawPiece> = VecDeque::with_capacity(BEFORE + 2);
    let mut after: Vec<RawPiece> = Vec::new();
    let mut found = false;
    // Iterative walk: the tree can be deep on hostile pages.
    let mut stack: Vec<NodeRef<Node>> = vec![doc.tree.root()];
    while let Some(n) = stack.pop() {
        if n.id() == h1 {
            found = true;
        }
        match n.value() {
            Node::Text(t) => {
                // A piece is a text node with something besides whitespace.
                if t.chars().any(|c| !c.is_whitespace() && c != '\u{200b}') {
                    let p = RawPiece { node: n, text: t };
                    if found {
                        after.push(p);
                    } else {
                        if before.len() > BEFORE {
                            before.pop_front();
                        }
                        before.push_back(p);
                    }
                }
            }
            Node::Element(e) if skipped(e.name()) => {}
            _ => stack.extend(n.children().rev()),
        }
        // The window after the headline is all that is read.
        if found && after.len() > AFTER {
            break;
        }
    }
    if !found {
        return (Vec::new(), None);
    }
    let at = before.len();
    // A piece is author-ish when an element around it is; asked only of the pieces kept
    // (every element around a visited piece was visited, none was skipped).
    let mut memo: IdMap<bool> = IdMap::default();
    let mut authorish_el = |a: NodeRef<Node>| match a.value().as_element() {
        Some(e) => *memo.entry(a.id()).or_insert_with(|| authorish(e)),
        None => false,
    };
    let quoted = |n: NodeRef<Node>| {
        n.ancestors().any(|a| {
            a.value()
                .as_element()
                .is_some_and(|e| e.name() == "blockquote")
        })
    };
    let out = before
        .into_iter()
        .chain(after)
        .map(|p| Piece {
            text: crate::blocks::clean_line(p.text),
            authorish: p.node.ancestors().any(&mut authorish_el),
            quoted: quoted(p.node),
        })
        .collect();
    (out, Some(at))
}

static BY_PREFIX: Lazy<Regex> = Lazy::new(|| {
    Regex::new(
        r"(?i)^(?:(?:written|posted|reviewed|published|edited|reported|story|words|text|article|compiled)\s+)?(?:by|von|par|por|di|door|av|af)\s*:?\s*(.*)$",
    )
    .expect("constant regex")
});
static AUTHOR_LABEL: Lazy<Regex> = Lazy::new(|| {
    Regex::new(
        r"(?i)^(?:authors?|written by|posted by|by|reporter|words by|autor(?:in)?|auteur)\s*:?\s*$",
    )
    .expect("constant regex")
});
static UPDATED: Lazy<Regex> = Lazy::new(|| {
    Regex::new(r"(?i)\b(updated|modified|revised|reviewed|last edited|aktualisiert|actualizado|mis à jour)\b")
        .expect("constant regex")
});
static PUBLISHED: Lazy<Regex> = Lazy::new(|| {
    Regex::new(r"(?i)\b(published|posted|created|released|veröffentlicht|publicado|publié)\b")
        .expect("constant regex")
});
/// A date written out in full (a month name or numeric day, month and year).
static FULL_DATE: Lazy<Regex> = Lazy::new(|| {
    Regex::new(
        r"(?i)\b(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+\d{1,2}(st|nd|rd|th)?,?\s+(19|20)\d\d\b|\b\d{1,2}(st|nd|rd|th)?\.?\s+(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?,?\s+(19|20)\d\d\b|\b(19|20)\d\d-\d\d-\d\d(?:\b|T)|\b\d{1,2}/\d{1,2}/(19|20)\d\d\b|\b\d{1,2}\.\d{1,2}\.(19|20)\d\d\b",
    )
    .expect("constant regex")
});
static MDY_SLASH: Lazy<Regex> =
    Lazy::new(|| Regex::new(r"\b(\d{1,2})/(\d{1,2})/((?:19|20)\d\d)\b").expect("constant regex"));

static DMY_DOT: Lazy<Regex> =
    Lazy::new(|| Regex::new(r"\b(\d{1,2})\.(\d{1,2})\.((?:19|20)\d\d)\b").expect("constant regex"));

fn ymd_string(y: i32, m: u32, d: u32) -> Option<String> {
    chrono::NaiveDate::from_ymd_opt(y, m, d).map(|d| d.format("%Y-%m-%d").to_string())
}

#[cfg(test)]
/// A date in a short visible line; `M/D/YYYY` is read month first (US pages) and `D.M.YYYY`
/// day first unless the first number cannot be that.
fn line_date(line: &str) -> Option<String> {
    line_date_readings(line).map(|(d, _)| d)
}

/// [`line_date`] and, for an all-numeric date whose day and month could be swapped
/// (`03/10/2023`), the other reading: other sources of the page decide between them.
fn line_date_readings(line: &str) -> Option<(String, Option<String>)> {
    let m = FULL_DATE.find(line)?;
    let s = m.as_str();
    for (re, month_first) in [(&*MDY_SLASH, true), (&*DMY_DOT, false)] {
        if let Some(c) = re.captures(s) {
            let (a, b): (u32, u32) = (c[1].parse().ok()?, c[2].parse().ok()?);
            let y: i32 = c[3].parse().ok()?;
            let (mo, d) = match (month_first, a > 12, b > 12) {
                (true, false, _) | (false, _, true) => (a, b),
                _ => (b, a),
            };
            let alt = (a <= 12 && b <= 12 && a != b)
                .then(|| ymd_string(y, d, mo))
                .flatten();
            return Some((ymd_string(y, mo, d)?, alt));
        }
    }
    Some((iso_date(s)?, None))
}

/// Words that show a candidate is page chrome, not a person.
const NOT_NAME: [&str; 48] = [
    "by",
    "on",
    "in",
    "sign",
    "learn",
    "more",
    "share",
    "author",
    "authors",
    "posted",
    "written",
    "published",
    "updated",
    "read",
    "min",
    "minutes",
    "comments",
    "comment",
    "follow",
    "view",
    "profile",
    "home",
    "news",
    "menu",
    "search",
    "subscribe",
    "login",
    "about",
    "email",
    "like",
    "here",
    "guide",
    "skip",
    "content",
    "originally",
    "administrator",
    "admin",
    "mon",
    "tue",
    "wed",
    "thu",
    "fri",
    "sat",
    "sun",
    "lifestyle",
    "contact",
    "print",
    "listen",
];

/// Role words that follow a name after a comma ("Jane Doe, Senior Editor").
const ROLE: [&str; 30] = [
    "editor",
    "writer",
    "director",
    "reporter",
    "correspondent",
    "contributor",
    "staff",
    "founder",
    "senior",
    "chief",
    "md",
    "phd",
    "dr",
    "ceo",
    "manager",
    "analyst",
    "columnist",
    "producer",
    "journalist",
    "lead",
    "head",
    "president",
    "professor",
    "attorney",
    "dietitian",
    "expert",
    "specialist",
    "officer",
    "engineer",
    "author",
];

/// One name: 1–6 words, starts with a capital letter, no digits, no page-chrome words.
pub(crate) fn is_name(s: &str) -> bool {
    let words: Vec<&str> = s.split_whitespace().collect();
    if words.is_empty() || words.len() > 6 || s.len() > 60 {
        return false;
    }
    if !s.chars().next().is_some_and(|c| c.is_uppercase())
        || s.chars().any(|c| {
            c.is_ascii_digit() || matches!(c, '@' | '/' | '|' | ':' | '{' | '}' | '=' | '_' | '#')
        })
    {
        return false;
    }
    let lower: Vec<String> = words
        .iter()
        .map(|w| {
            w.trim_matches(|c: char| !c.is_alphanumeric())
                .to_lowercase()
        })
        .collect();
    if words.len() == 1 && lower[0].len() < 2 {
        return false;
    }
    if lower.iter().any(|w| NOT_NAME.contains(&w.as_str())) {
        return false;
    }
    // Most words of a name are capitalised ("Jean de la Fontaine" has small particles).
    let caps = words
        .iter()
        .filter(|w| w.chars().next().is_some_and(|c| c.is_uppercase()))
        .count();
    caps * 2 > words.len()
}

fn is_role(s: &str) -> bool {
    s.split(|c: char| !c.is_alphanumeric())
        .any(|w| ROLE.contains(&w.to_lowercase().as_str()))
        || !s.chars().next().is_some_and(|c| c.is_uppercase())
}

/// A byline's text to names: "By Jane Doe and John Roe | May 3" → "Jane Doe, John Roe";
/// roles after a comma, dates and trailing chrome are dropped. `None` when no name is left.
pub(crate) fn names(raw: &str) -> Option<String> {
    let t = crate::blocks::clean_line(&raw.replace("&amp;", "&"));
    let t = match BY_PREFIX.captures(&t) {
        Some(c) => c.get(1).map_or("", |m| m.as_str()).to_string(),
        None => t,
    };
    // Cut at the first separator that starts other byline matter (dates, reading time).
    let cut = t
        .find(['|', '•', '·', '⋅', '—', '–', '\n', '(', '«', '»'])
        .unwrap_or(t.len());
    let mut t = t[..cut].to_string();
    if let Some(m) = FULL_DATE.find(&t) {
        t.truncate(m.start());
    }
    for sep in [" - ", " on ", " at ", " in ", " updated", " published"] {
        if let Some(i) = t.to_lowercase().find(sep) {
            t.truncate(i);
        }
    }
    let t = t.trim().trim_end_matches([',', ':', '-', ';']).trim();
    let mut out: Vec<String> = Vec::new();
    for (i, part) in t
        .split([',', ';', '&'])
        .flat_map(|p| p.split(" and "))
        .flat_map(|p| p.split(" und "))
        .map(str::trim)
        .enumerate()
    {
        if part.is_empty() {
            continue;
        }
        if i > 0 && is_role(part) && !out.is_empty() {
            continue;
        }
        // "By the Lavazza Team".
        let part = part.strip_prefix("the ").unwrap_or(part);
        if is_name(part) {
            out.push(part.to_string());
        } else if out.is_empty() {
            return None;
        }
    }
    (!out.is_empty()).then(|| out.join(", "))
}

/// An author string from page metadata (JSON-LD, `<meta name=author>`): names as in
/// [`names`] when it reads as names, else the string itself when it is short and not a URL,
/// a template placeholder or markup (metadata authors are often user names: `jsmith`).
pub(crate) fn meta_names(raw: &str) -> Option<String> {
    if let Some(n) = names(raw) {
        return Some(n);
    }
    let t = crate::blocks::clean_line(raw);
    let t = match BY_PREFIX.captures(&t) {
        Some(c) => c.get(1).map_or("", |m| m.as_str()).to_string(),
        None => t,
    };
    let t = t.split('|').next().unwrap_or_default().trim();
    let words = t.split_whitespace().count();
    let placeholder = words == 1 && t.contains('.') && !t.contains('@');
    let ok = (1..=8).contains(&words)
        && t.len() <= 80
        && !t.contains("http")
        && !t.contains(['{', '}', '<', '>', '$'])
        && !placeholder
        && t.chars().any(char::is_alphabetic);
    ok.then(|| t.to_string())
}

/// Read the neighbourhood of the headline (`h1`, the page's first `<h1>`) for a byline and
/// datelines.
pub(crate) fn scan(doc: &Html, h1: Option<NodeId>) -> Byline {
    let Some(h1) = h1 else {
        return Byline::default();
    };
    let (pieces, at) = pieces(doc, h1);
    let Some(at) = at else {
        return Byline::default();
    };
    let words = |i: usize| pieces[i].text.split_whitespace().count();
    let mut out = Byline::default();
    // Authors: after the headline first (bylines mostly follow it), then the lines just above.
    let order = (at..pieces.len().min(at + AFTER)).chain((at.saturating_sub(BEFORE)..at).rev());
    for (k, i) in order.enumerate() {
        let p = &pieces[i];
        let n = words(i);
        if n > 14 {
            continue;
        }
        let next = pieces.get(i + 1).map(|n| n.text.as_str());
        out.author = if AUTHOR_LABEL.is_match(&p.text) {
            // "By" / "Written by" in its own element: the name is the next piece.
            next.and_then(names)
        } else if n >= 2 && (BY_PREFIX.is_match(&p.text) || (p.authorish && k < AFTER)) {
            // "By Jane Doe", or the text of an author-classed element.
            names(&p.text)
        } else {
            None
        };
        if out.author.is_some() {
            break;
        }
    }
    // Datelines. The window after the headline ends once the article body has begun (100
    // words of prose read): later dates belong to the text, embeds or lists below it.
    let mut end = pieces.len().min(at + AFTER);
    let mut prose = 0;
    for i in at..end {
        if words(i) >= 12 {
            prose += words(i);
            if prose > 100 {
                end = i + 1;
                break;
            }
        }
    }
    let start = at.saturating_sub(BEFORE);
    let dates: Vec<Option<(String, Option<String>)>> = (0..pieces.len())
        .map(|i| {
            let keep = (start..end).contains(&i) && !pieces[i].quoted && words(i) <= 16;
            keep.then(|| line_date_readings(&pieces[i].text)).flatten()
        })
        .collect();
    // A side that holds three different dates is a listing (related posts, a data table):
    // its unlabelled dates are not the page's.
    let listing = |r: std::ops::Range<usize>| {
        let mut seen: Vec<&str> = Vec::new();
        for (d, _) in r.filter_map(|i| dates[i].as_ref()) {
            if !seen.contains(&d.as_str()) {
                seen.push(d);
            }
        }
        seen.len() >= 3
    };
    let (list_after, list_before) = (listing(at..end), listing(start..at));
    // Nearest to the headline first; a line above it counts twice as far as one below.
    let mut order: Vec<(usize, usize)> = (at..end)
        .map(|i| (i - at, i))
        .chain((start..at).map(|i| (2 * (at - i), i)))
        .collect();
    order.sort_by_key(|&(key, _)| key);
    for (_, i) in order {
        let Some((d, alt)) = &dates[i] else {
            continue;
        };
        let p = &pieces[i];
        // A label may sit in the piece before ("Last updated:" then the date).
        let prev = i
            .checked_sub(1)
            .map(|j| pieces[j].text.as_str())
            .unwrap_or("");
        let label = |re: &Regex| {
            re.is_match(&p.text) || (prev.split_whitespace().count() <= 4 && re.is_match(prev))
        };
        if label(&UPDATED) && !PUBLISHED.is_match(&p.text) {
            out.updated.get_or_insert_with(|| d.clone());
        } else if out.published.is_none() && !(if i < at { list_before } else { list_after }) {
            out.published = Some(d.clone());
            out.published_alt = alt.clone();
        }
        if out.published.is_some() && out.updated.is_some() {
            break;
        }
    }
    out
}

/// A labelled date anywhere on the page ("Posted on April 13, 2023", "Last updated:
/// November 13, 2025"), for pages where nothing else gives a date (the dateline far from
/// the headline, or no headline): the first one labelled published (`labelled`), else the
/// first labelled updated (`labelled-updated`).
pub(crate) fn labelled_date(doc: &Html) -> Option<(String, &'static str)> {
    let mut updated = None;
    let mut prev: &str = "";
    let mut stack: Vec<NodeRef<Node>> = vec![doc.tree.root()];
    while let Some(n) = stack.pop() {
        match n.value() {
            Node::Text(t) if t.chars().any(|c| !c.is_whitespace()) => {
                let text: &str = t;
                let short = text.split_whitespace().count() <= 16;
                if let Some(d) = short.then(|| line_date_readings(text)).flatten() {
                    let label = |re: &Regex| {
                        re.is_match(text)
                            || (prev.split_whitespace().count() <= 4 && re.is_match(prev))
                    };
                    if label(&PUBLISHED) {
                        return Some((d.0, "labelled"));
                    }
                    if label(&UPDATED) && updated.is_none() {
                        updated = Some(d.0);
                    }
                }
                prev = text;
            }
            // The site's own "last updated" sits in its footer or side bars.
            Node::Element(e)
                if skipped(e.name()) || matches!(e.name(), "footer" | "nav" | "aside") => {}
            _ => stack.extend(n.children().rev()),
        }
    }
    updated.map(|d| (d, "labelled-updated"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn byline_names() {
        assert_eq!(names("By Jane Doe").as_deref(), Some("Jane Doe"));
        assert_eq!(
            names("By Chris McNamara ⋅ Founder and Editor-in-Chief ⋅ Updated May 6, 2025")
                .as_deref(),
            Some("Chris McNamara")
        );
        assert_eq!(
            names("Danielle DeSiato, Donna Enzmann, and Natalie Nguyen").as_deref(),
            Some("Danielle DeSiato, Donna Enzmann, Natalie Nguyen")
        );
        assert_eq!(
            names("Tracy Parker, Dietitian").as_deref(),
            Some("Tracy Parker")
        );
        assert_eq!(names("Written By").as_deref(), None);
        assert_eq!(names("Sign In"), None);
        assert_eq!(names("page.head.extra.author"), None);
        assert_eq!(
            names("Posted by David at December 16, 2025").as_deref(),
            Some("David")
        );
    }

    #[test]
    fn datelines() {
        let page = r#"<html><body><nav>Home</nav><h1>Kim Visits Russia</h1>
            <div class="x"><span>Written by</span><a href="/a/j">Jane Doe</a></div>
            <p>Last updated:</p><p>Dec 12, 2025</p><p>Published on: February 14, 2025</p>
            <p>North Korean leader Kim Jong Un held talks.</p></body></html>"#;
        let doc = Html::parse_document(page);
        let h1 = doc
            .select(&scraper::Selector::parse("h1").unwrap())
            .next()
            .map(|h| h.id());
        let b = scan(&doc, h1);
        assert_eq!(b.author.as_deref(), Some("Jane Doe"));
        assert_eq!(b.updated.as_deref(), Some("2025-12-12"));
        assert_eq!(b.published.as_deref(), Some("2025-02-14"));
        assert_eq!(
            line_date("Updated: 10/31/2024").as_deref(),
            Some("2024-10-31")
        );
    }
}
