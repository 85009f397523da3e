//! Blocks (paragraphs and headings) to an article: furniture removal, headings, stories.

use crate::Article;
use once_cell::sync::Lazy;
use regex::Regex;
use wirecoder_doc::{Meta, Span, Story};

/// Whether a block came marked as a heading (an `<h1>`–`<h6>`) or as a paragraph.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Para,
    Heading,
}

/// One paragraph-level piece of text.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Block {
    pub text: String,
    pub kind: Kind,
    /// The first text node the block was read from (HTML pages only): where it sits in the page.
    pub node: Option<ego_tree::NodeId>,
}

/// Collapse whitespace runs (non-breaking spaces included) and trim; soft hyphens and word
/// joiners (invisible hyphenation hints: `Mit\u{ad}tel\u{ad}al\u{ad}ter`) are dropped.
pub(crate) fn clean_line(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    // Each of the three ends in a byte that memchr finds quickly; most text has none.
    let b = s.as_bytes();
    let hints = b.contains(&0xAD) || b.contains(&0xBF) || b.contains(&0xA0);
    for w in s.split(|c: char| c.is_whitespace() || c == '\u{200b}') {
        if !w.is_empty() {
            if !out.is_empty() {
                out.push(' ');
            }
            if hints && w.contains(['\u{ad}', '\u{2060}', '\u{feff}']) {
                out.extend(
                    w.chars()
                        .filter(|c| !matches!(c, '\u{ad}' | '\u{2060}' | '\u{feff}')),
                );
            } else {
                out.push_str(w);
            }
        }
    }
    out
}

/// Site furniture: whole short lines that are page chrome, not content.
static FURNITURE: Lazy<Regex> = Lazy::new(|| {
    let pats = [
        r"leave a (comment|reply)",
        r"your email address will not be published.*",
        r"required fields are marked.*",
        r"error: content is protected.*",
        r"(scroll|back|go) to top",
        r"skip to (main )?content",
        r"(click to )?share( this| the)?( article| post| story| page)?( on| via| with)?( \w+)?( \(opens in new window\))?:?",
        r"share (on|via) .*",
        r"(subscribe|sign up|register)( now| today| here)?( to| for) .*",
        r"subscribe( now)?",
        r".*\bnewsletter\b.*",
        r"follow us( on .*)?:?",
        r"(related|recommended|popular|latest|trending)( posts| articles| stories| news| reading| content| for you)?:?",
        r"you (may|might) also (like|enjoy).*",
        r"(read|see) (more|also)( here)?:?.*",
        r"(also read|read next|continue reading|weiterlesen|mehr lesen|explore further|more on this( story)?|more from .{1,30})\b.*",
        r"(lea|lee|vea|mira|puedes ver|lire|à lire|lisez|lesen sie|lies|zobacz|czytaj|leggi|leia|veja)( (más|también|tambien|aussi|auch|mehr|również|więcej|anche|mais|também))?:.*",
        r"(das könnte sie auch interessieren|auch interessant|mehr zum thema|weitere artikel|te puede interesar|también te puede interesar|vous aimerez aussi)\b.*",
        r"(photo|foto|bild|image|picture|fotos?)( credits?)?: .*",
        r"like this:?",
        r"loading(\.\.\.|…)",
        r"(advertisement|advertising|sponsored( content)?|ad)",
        r"(accept|reject|manage)( all)?( cookies)?",
        r".*all rights reserved.*",
        r"(©|\(c\)|copyright) .*",
        r"(posted|published|filed) (in|under|on|by) .*",
        r"(tags?|categor(y|ies)|topics?|keywords): .*",
        r"(previous|next|prev|older|newer) (post|article|story|entry)s?:?.*",
        r"(post navigation|post views:?.*|\d+ views)",
        r"(\d+ )?comments?( \(\d+\))?|no comments( yet)?\.?|comments are closed\.?",
        r"(name|email|e-mail|website|comment)\s?\*?",
        r"save my name, email.*",
        r"(post comment|cancel reply|submit|print|email|facebook|twitter|linkedin|whatsapp|pinterest|reddit|telegram|tumblr|pocket|x)",
        r"you must be logged in to post a comment\.?",
        r"(log ?in|sign ?in|sign up|register|log out)( to .*)?",
        r"this (site|website) uses .*",
        r"about the author:?",
        r"(photo|image|video|credit)s?:? .*(getty|reuters|afp|ap photo|shutterstock|via|courtesy).*",
    ];
    let joined = pats.join("|");
    Regex::new(&format!(r"(?i)^(?:{joined})\s*[.!]*$")).expect("constant regex")
});

/// A bare date or time ("23.10.2018", "19:49", "2 months ago"): a listing's or a comment's
/// stamp, not content (in a table cell it is data; see the HTML walker).
static STAMP: Lazy<Regex> = Lazy::new(|| {
    let pats = [
        r"(\d\d?[./-]\d\d?[./-](\d\d)?\d\d|\d{4}-\d\d-\d\d)(,? \d\d?:\d\d( ?[ap]\.?m\.?)?)?",
        r"\d\d?:\d\d( ?[ap]\.?m\.?)?( uhr)?",
        r"(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.? \d\d?(st|nd|rd|th)?(,? \d{4})?",
        r"\d\d?\.? (jan|feb|mär|mar|apr|mai|may|jun|jul|aug|sep|okt|oct|nov|dez|dec)[a-z]*\.?,? \d{4}",
        r"\d+ (seconds?|minutes?|hours?|days?|weeks?|months?|years?) ago",
    ];
    Regex::new(&format!(r"(?i)^(?:{})$", pats.join("|"))).expect("constant regex")
});

/// Whether a whole line is a bare date or time stamp ([`STAMP`]).
pub(crate) fn is_stamp(line: &str) -> bool {
    line.len() <= 40 && STAMP.is_match(line.trim())
}

/// Cookie notices are longer than other furniture, so they get their own pattern and limit.
static COOKIES: Lazy<Regex> = Lazy::new(|| {
    Regex::new(r"(?i)\bcookies?\b.*\b(use|uses|using|accept|consent|policy|settings|experience)\b|\b(we|this (site|website)) uses? cookies")
        .expect("constant regex")
});

/// Whether a whole line is site furniture ("Leave a Comment", "Share this:", cookie notices, …).
/// Only short lines are tested (15 words, 40 for cookie notices): a long line is content.
pub fn is_furniture(line: &str) -> bool {
    let line = line.trim();
    // Counted only as far as the tests below look.
    let words = line.split_whitespace().take(41).count();
    (words <= 15 && FURNITURE.is_match(line)) || (words <= 40 && COOKIES.is_match(line))
}

const SMALL_WORDS: [&str; 24] = [
    "a", "an", "the", "and", "or", "nor", "but", "of", "in", "on", "at", "as", "by", "for", "to",
    "with", "from", "into", "vs", "via", "per", "over", "up", "its",
];

/// Share of significant words (not "a", "of", "as"…) that start with a capital or a digit.
fn title_case_ratio(s: &str) -> f64 {
    let mut sig = 0usize;
    let mut cap = 0usize;
    for w in s.split_whitespace() {
        let core: String = w.chars().filter(|c| c.is_alphanumeric()).collect();
        if core.is_empty() || SMALL_WORDS.contains(&core.to_lowercase().as_str()) {
            continue;
        }
        sig += 1;
        if core
            .chars()
            .next()
            .is_some_and(|c| c.is_uppercase() || c.is_numeric())
        {
            cap += 1;
        }
    }
    if sig == 0 {
        0.0
    } else {
        cap as f64 / sig as f64
    }
}

/// A heading line: short (≤ 15 words), title case, no final sentence punctuation
/// ("!" and "?" are allowed on lines of up to 8 words: "Important Quotes!").
pub fn is_heading_line(line: &str) -> bool {
    let line = line.trim();
    let words = line.split_whitespace().take(16).count();
    if words == 0 || words > 15 || line.len() > 150 || !line.chars().any(char::is_alphabetic) {
        return false;
    }
    let last = line.chars().last().unwrap_or('.');
    if matches!(last, '!' | '?') {
        if words > 8 {
            return false;
        }
    } else if matches!(
        last,
        '.' | ',' | ';' | ':' | '"' | '”' | '\'' | '’' | '…' | ')'
    ) {
        return false;
    }
    title_case_ratio(line) >= 0.75
}

/// A heading that reads like a headline: ≥ 5 words, title case, no final punctuation at all.
fn is_headline(line: &str) -> bool {
    let words = line.split_whitespace().take(5).count();
    let last = line.chars().last().unwrap_or('.');
    words >= 5 && last.is_alphanumeric() && title_case_ratio(line) >= 0.8
}

/// Running prose: a sentence-ended paragraph of several words, or a long one.
pub(crate) fn is_prose(text: &str) -> bool {
    let words = text.split_whitespace().take(20).count();
    let last = text.chars().last().unwrap_or(' ');
    (words >= 6 && matches!(last, '.' | '!' | '?' | '"' | '”' | '’' | ')' | '…' | ':'))
        || words >= 20
}

/// Plain text lines to blocks: blank lines separate groups; a group of long lines without
/// sentence ends is hard-wrapped prose and is joined; otherwise each line is a block.
pub(crate) fn text_blocks(lines: &[&str]) -> Vec<Block> {
    let mut out = Vec::new();
    let mut group: Vec<String> = Vec::new();
    let flush = |group: &mut Vec<String>, out: &mut Vec<Block>| {
        let wrapped = group.len() > 1
            && group[..group.len() - 1]
                .iter()
                .all(|l| l.len() >= 40 && !is_heading_line(l));
        let wrapped = wrapped && !group[0].ends_with(['.', '!', '?', '"', '”']);
        if wrapped {
            out.push(Block {
                text: group.join(" "),
                kind: Kind::Para,
                node: None,
            });
        } else {
            out.extend(group.iter().map(|l| Block {
                text: l.clone(),
                kind: Kind::Para,
                node: None,
            }));
        }
        group.clear();
    };
    for l in lines {
        let c = clean_line(l);
        if c.is_empty() {
            flush(&mut group, &mut out);
        } else {
            group.push(c);
        }
    }
    flush(&mut group, &mut out);
    for b in &mut out {
        if is_heading_line(&b.text) {
            b.kind = Kind::Heading;
        }
    }
    out
}

fn same_text(a: &str, b: &str) -> bool {
    let norm = |s: &str| -> String {
        s.chars()
            .filter(|c| c.is_alphanumeric())
            .flat_map(char::to_lowercase)
            .collect()
    };
    let (a, b) = (norm(a), norm(b));
    !a.is_empty() && a == b
}

/// Build the article: drop furniture and a repeated title, drop trailing chrome after the last
/// prose paragraph, join with blank lines, and find headings and stories.
pub(crate) fn assemble(blocks: Vec<Block>, meta: Meta) -> Article {
    let mut kept: Vec<Block> = Vec::with_capacity(blocks.len());
    for (i, b) in blocks.into_iter().enumerate() {
        if b.text.is_empty() || is_furniture(&b.text) {
            continue;
        }
        // The page title is in meta.title, not in the text.
        if i < 4 && kept.is_empty() && meta.title.as_deref().is_some_and(|t| same_text(t, &b.text))
        {
            continue;
        }
        kept.push(b);
    }
    // Trailing furniture: whatever follows the last prose paragraph and is not prose itself
    // (headings without a body, bylines, short chrome lines).
    if let Some(last_prose) = kept
        .iter()
        .rposition(|b| b.kind == Kind::Para && is_prose(&b.text))
    {
        kept.truncate(last_prose + 1);
    }
    while kept.last().is_some_and(|b| b.kind == Kind::Heading) {
        kept.pop();
    }

    let mut text = String::new();
    let mut spans = Vec::with_capacity(kept.len());
    for b in &kept {
        if !text.is_empty() {
            text.push_str("\n\n");
        }
        let start = text.len();
        text.push_str(&b.text);
        spans.push(Span::new(start, text.len()));
    }
    let headings: Vec<Span> = kept
        .iter()
        .zip(&spans)
        .filter(|(b, _)| b.kind == Kind::Heading)
        .map(|(_, s)| *s)
        .collect();

    // The page's declared language wins; undeclared, the text says.
    let mut meta = meta;
    if meta.language.is_none() {
        meta.language = crate::lang::detect(&text);
    }

    let mut stories = Vec::new();
    if !text.is_empty() {
        let mut cur = Story {
            span: Span::new(0, text.len()),
            title: meta.title.clone(),
        };
        for i in 1..kept.len() {
            let b = &kept[i];
            let starts_story = b.kind == Kind::Heading
                && is_headline(&b.text)
                && kept
                    .get(i + 1)
                    .is_some_and(|n| n.kind == Kind::Para && is_prose(&n.text));
            if starts_story {
                cur.span.end = spans[i - 1].end;
                stories.push(cur);
                cur = Story {
                    span: Span::new(spans[i].start, text.len()),
                    title: Some(b.text.clone()),
                };
            }
        }
        stories.push(cur);
    }
    Article {
        meta,
        text,
        headings,
        stories,
        ..Article::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn furniture_lines() {
        for l in [
            "Leave a Comment",
            "Your email address will not be published. Required fields are marked *",
            "error: Content is protected !!",
            "Scroll to Top",
            "Share this:",
            "Share on Facebook",
            "Subscribe to our newsletter",
            "Click to share on Twitter (Opens in new window)",
            "Related Posts",
            "Like this:",
            "Loading...",
            "Advertisement",
            "Skip to content",
            "We use cookies to improve your experience on our site.",
            "© 2024 Daily News. All rights reserved.",
            "Posted in World News",
            "Tags: North Korea, Russia",
        ] {
            assert!(is_furniture(l), "{l}");
        }
        for l in [
            "Important Quotes!",
            "North Korea Chief Consider South Korea as Most Hostile State",
            "In a joint statement issued on Tuesday, the United States and its allies expressed strong disapproval of arms transfers between Russia and North Korea.",
            "The minister said he would share the findings with parliament.",
            "Subscribers to the service rose 8% in the fourth quarter.",
        ] {
            assert!(!is_furniture(l), "{l}");
        }
    }

    #[test]
    fn headings() {
        assert!(is_heading_line("Important Quotes!"));
        assert!(is_heading_line(
            "North Korea Chief Consider South Korea as Most Hostile State"
        ));
        assert!(is_headline(
            "North Korea Chief Consider South Korea as Most Hostile State"
        ));
        assert!(!is_headline("Important Quotes!"));
        assert!(!is_heading_line(
            "Subsequently, a senior Ukrainian official corroborated this assertion."
        ));
        assert!(!is_heading_line(
            "Last week, Russia launched a series of missile strikes on Kharkiv"
        ));
    }

    #[test]
    fn soft_hyphens_are_dropped() {
        assert_eq!(
            clean_line("Mit\u{ad}tel\u{ad}al\u{ad}ter  der\u{a0}Bun\u{ad}des"),
            "Mittelalter der Bundes"
        );
    }

    #[test]
    fn hard_wrapped_text_is_joined() {
        let lines = [
            "Russia launched a series of missile strikes on Kharkiv, resulting in two",
            "fatalities and over 60 injuries, officials said on Thursday.",
            "",
            "Short line.",
        ];
        let b = text_blocks(&lines);
        assert_eq!(b.len(), 2);
        assert!(b[0].text.contains("two fatalities"));
    }
}
