//! HTML main-text extraction: boilerplate removal, content containers, readability scoring.

use crate::blocks::{assemble, clean_line, Block, Kind};
use crate::meta::html_meta;
use crate::Article;
use ego_tree::NodeRef;
use once_cell::sync::Lazy;
use scraper::{ElementRef, Html, Node, Selector};
use std::collections::HashMap;

/// Elements that never hold main text.
const SKIP_TAGS: [&str; 27] = [
    "script",
    "style",
    "nav",
    "header",
    "footer",
    "aside",
    "form",
    "noscript",
    "iframe",
    "svg",
    "button",
    "select",
    "textarea",
    "input",
    "template",
    "canvas",
    "video",
    "audio",
    "object",
    "embed",
    "head",
    "title",
    "menu",
    "label",
    "dialog",
    "math",
    "figcaption",
];

/// Elements that start and end a paragraph.
const BLOCK_TAGS: [&str; 32] = [
    "p",
    "div",
    "section",
    "article",
    "main",
    "li",
    "ul",
    "ol",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "blockquote",
    "pre",
    "table",
    "tr",
    "td",
    "th",
    "dd",
    "dt",
    "dl",
    "figure",
    "figcaption",
    "address",
    "center",
    "hr",
    "body",
    "tbody",
    "caption",
    "details",
];

/// class/id words that always mark boilerplate.
const STRONG_NEG: [&str; 28] = [
    "teaser",
    "teasers",
    "disclaimer",
    "copyright",
    "comment",
    "comments",
    "share",
    "sharing",
    "sharedaddy",
    "social",
    "related",
    "newsletter",
    "subscribe",
    "subscription",
    "cookie",
    "cookies",
    "promo",
    "advert",
    "advertisement",
    "sidebar",
    "footer",
    "breadcrumb",
    "breadcrumbs",
    "disqus",
    "sponsored",
    "popup",
    "modal",
    "outbrain",
];
/// class/id words that mark boilerplate unless a content word is present too.
const WEAK_NEG: [&str; 24] = [
    "caption",
    "legend",
    "credit",
    "credits",
    "menu",
    "nav",
    "navbar",
    "navigation",
    "widget",
    "banner",
    "ad",
    "ads",
    "tags",
    "meta",
    "pagination",
    "pager",
    "bio",
    "signup",
    "login",
    "toolbar",
    "print",
    "masthead",
    "skip",
    "author",
];
const POSITIVE: [&str; 8] = [
    "content", "article", "body", "entry", "story", "text", "main", "post",
];

/// Class and id tokens (`entry-content`, `share`), lowercased.
fn class_tokens(e: &scraper::node::Element) -> Vec<String> {
    [e.attr("class"), e.attr("id")]
        .into_iter()
        .flatten()
        .flat_map(str::split_whitespace)
        .map(str::to_ascii_lowercase)
        .collect()
}

fn words(token: &str) -> impl Iterator<Item = &str> {
    token
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
}

/// Strong negative words also match inside a longer word (`relatedArticles`, `shareInfo`).
fn strong_neg(token: &str) -> bool {
    words(token).any(|w| {
        STRONG_NEG
            .iter()
            .any(|n| w == *n || (n.len() >= 6 && w.contains(n)))
    })
}

fn is_hidden(e: &scraper::node::Element) -> bool {
    e.attr("hidden").is_some()
        || e.attr("aria-hidden") == Some("true")
        || e.attr("style").is_some_and(|s| {
            let s: String = s.chars().filter(|c| !c.is_whitespace()).collect();
            let s = s.to_ascii_lowercase();
            s.contains("display:none") || s.contains("visibility:hidden")
        })
}

/// A class token that names a layout box or a page-builder block, not what it holds
/// (`elementor-widget-container`, `et_pb_module`, `widget-wrap`, `has-menu`): its weak
/// words ("widget", "menu") say nothing about the content.
fn layout_token(t: &str) -> bool {
    t.starts_with("elementor")
        || t.starts_with("et_pb")
        || t.starts_with("wp-block")
        || words(t).any(|w| {
            matches!(
                w,
                "container" | "wrapper" | "wrap" | "layout" | "inner" | "has" | "with" | "no"
            )
        })
}

/// Whether an element's class/id signals boilerplate (comments, share bars, sidebars, …).
/// A separate token naming main content (`entry`, `article-body`) outweighs a negative one
/// (`entry themeform share`), except for comments, which are always out.
fn is_boilerplate(e: &scraper::node::Element) -> bool {
    if matches!(e.name(), "html" | "body" | "main") {
        return false;
    }
    let tokens = class_tokens(e);
    if tokens.is_empty() {
        return false;
    }
    let positive = tokens.iter().any(|t| {
        !strong_neg(t)
            && !words(t).any(|w| WEAK_NEG.contains(&w))
            && words(t).any(|w| POSITIVE.iter().any(|p| w.contains(p)))
    });
    let comment = tokens
        .iter()
        .any(|t| words(t).any(|w| w.starts_with("comment") || w == "disqus"));
    if comment {
        return true;
    }
    if tokens.iter().any(|t| strong_neg(t)) {
        return !positive;
    }
    let weak = tokens
        .iter()
        .any(|t| !layout_token(t) && words(t).any(|w| WEAK_NEG.contains(&w)));
    weak && !positive
}

/// Collects blocks from a subtree.
struct Walker {
    strict: bool,
    blocks: Vec<Block>,
    buf: String,
    link_len: usize,
    kind: Kind,
}

impl Walker {
    fn new(strict: bool) -> Walker {
        Walker {
            strict,
            blocks: Vec::new(),
            buf: String::new(),
            link_len: 0,
            kind: Kind::Para,
        }
    }

    fn flush(&mut self) {
        let text = clean_line(&self.buf);
        let link_len = self.link_len;
        self.buf.clear();
        self.link_len = 0;
        if text.is_empty() {
            return;
        }
        // A short block that is (almost) all link text is navigation, not content.
        let linky = link_len * 10 >= text.len() * 8 && text.split_whitespace().count() < 12;
        if linky && !text.starts_with("http") {
            return;
        }
        self.blocks.push(Block {
            text,
            kind: self.kind,
        });
    }

    fn walk(&mut self, node: NodeRef<Node>, in_link: bool, depth: usize) {
        match node.value() {
            Node::Text(t) => {
                self.buf.push_str(t);
                if in_link {
                    self.link_len += t.trim().len();
                }
            }
            Node::Element(e) => {
                let name = e.name();
                if SKIP_TAGS.contains(&name) || is_hidden(e) || depth > 200 {
                    return;
                }
                if self.strict && is_boilerplate(e) {
                    return;
                }
                if name == "br" {
                    self.buf.push(' ');
                    return;
                }
                let block = BLOCK_TAGS.contains(&name);
                if block {
                    self.flush();
                }
                let prev = self.kind;
                if matches!(name, "h1" | "h2" | "h3" | "h4" | "h5" | "h6") {
                    self.kind = Kind::Heading;
                }
                for c in node.children() {
                    self.walk(c, in_link || name == "a", depth + 1);
                }
                if block {
                    self.flush();
                }
                self.kind = prev;
            }
            _ => {}
        }
    }
}

fn blocks_of(el: ElementRef, strict: bool) -> Vec<Block> {
    let mut w = Walker::new(strict);
    for c in el.children() {
        w.walk(c, false, 0);
    }
    w.flush();
    w.blocks
}

/// Characters of paragraph text: what the cascade compares candidates by.
fn para_len(blocks: &[Block]) -> usize {
    blocks
        .iter()
        .filter(|b| b.kind == Kind::Para && b.text.split_whitespace().count() >= 6)
        .map(|b| b.text.len())
        .sum()
}

fn sel(s: &str) -> Selector {
    Selector::parse(s).expect("constant selector")
}

/// Known content containers, most specific first.
static CONTAINERS: Lazy<Vec<Selector>> = Lazy::new(|| {
    [
        r#"[itemprop="articleBody"]"#,
        ".entry-content, .post-content, .article-content, .article-body, .article__body, \
         .articleBody, .story-body, .story-content, .post-body, .post-entry, .c-article-body, \
         .td-post-content, .field-name-body, .content-body, .body-text, .article-text, \
         #article-body, #articleBody, #story-body, .post__content, .single-content, .blog-post-content",
        "article",
        r#"main, [role="main"], #content, #main, .content, .main-content"#,
    ]
    .iter()
    .map(|s| sel(s))
    .collect()
});
static BODY_SEL: Lazy<Selector> = Lazy::new(|| sel("body"));
static P_SEL: Lazy<Selector> = Lazy::new(|| sel("p, pre, td, blockquote"));

/// Least paragraph text a container must give to be trusted.
const MIN_CONTAINER: usize = 250;

fn text_and_link_len(el: ElementRef) -> (usize, usize) {
    // One pass over the subtree, carrying whether we are inside a link.
    fn walk(n: NodeRef<Node>, in_link: bool, acc: &mut (usize, usize), depth: usize) {
        match n.value() {
            Node::Text(t) => {
                let l = t.trim().len();
                acc.0 += l;
                if in_link {
                    acc.1 += l;
                }
            }
            Node::Element(e) if depth < 200 => {
                let link = in_link || e.name() == "a";
                for c in n.children() {
                    walk(c, link, acc, depth + 1);
                }
            }
            _ => {}
        }
    }
    let mut acc = (0, 0);
    walk(*el, false, &mut acc, 0);
    acc
}

/// Readability-style scoring: paragraphs give points to their parent and grandparent.
fn best_by_score(doc: &Html, strict: bool) -> Option<Vec<ElementRef<'_>>> {
    let mut scores: HashMap<ego_tree::NodeId, f64> = HashMap::new();
    // Paragraphs share their ancestors: judge each ancestor once, not once per paragraph.
    let mut skip: HashMap<ego_tree::NodeId, bool> = HashMap::new();
    for p in doc.select(&P_SEL) {
        if strict
            && p.ancestors().any(|a| {
                let Some(e) = a.value().as_element() else {
                    return false;
                };
                *skip
                    .entry(a.id())
                    .or_insert_with(|| SKIP_TAGS.contains(&e.name()) || is_boilerplate(e))
            })
        {
            continue;
        }
        let text: String = p.text().collect();
        let len = text.trim().chars().count();
        if len < 25 {
            continue;
        }
        let score =
            1.0 + text.matches([',', '，', '、']).count() as f64 + (len as f64 / 100.0).min(3.0);
        // Readability's dividers: parent 1, grandparent 2, then 3 × level, five levels up.
        for (level, a) in p.ancestors().take(5).enumerate() {
            if a.value()
                .as_element()
                .is_some_and(|e| matches!(e.name(), "body" | "html"))
            {
                break;
            }
            let div = match level {
                0 => 1.0,
                1 => 2.0,
                l => 3.0 * l as f64,
            };
            *scores.entry(a.id()).or_default() += score / div;
        }
    }
    let mut best: Option<(f64, ElementRef)> = None;
    let mut adjusted: HashMap<ego_tree::NodeId, f64> = HashMap::new();
    for (id, s) in scores {
        let Some(el) = doc.tree.get(id).and_then(ElementRef::wrap) else {
            continue;
        };
        let (total, link) = text_and_link_len(el);
        let density = if total == 0 {
            1.0
        } else {
            link as f64 / total as f64
        };
        let s = s * (1.0 - density);
        adjusted.insert(id, s);
        if best.as_ref().is_none_or(|(b, _)| s > *b) {
            best = Some((s, el));
        }
    }
    let (top, el) = best?;
    // Page builders split one text over sibling widgets: take the siblings that score well
    // or hold a prose paragraph with few links, in document order (readability's rule).
    let Some(parent) = el.parent() else {
        return Some(vec![el]);
    };
    let threshold = (top * 0.2).max(10.0);
    let mut out = Vec::new();
    for sib in parent.children().filter_map(ElementRef::wrap) {
        if sib.id() == el.id() {
            out.push(sib);
            continue;
        }
        let e = sib.value();
        if SKIP_TAGS.contains(&e.name()) || is_hidden(e) || (strict && is_boilerplate(e)) {
            continue;
        }
        let score = adjusted.get(&sib.id()).copied().unwrap_or(0.0);
        let keep = score >= threshold || {
            let (total, link) = text_and_link_len(sib);
            let text: String = sib.text().collect();
            total >= 80
                && (link as f64) < 0.25 * total as f64
                && text.trim_end().ends_with(['.', '!', '?', '"', '”', '…'])
        };
        if keep {
            out.push(sib);
        }
    }
    Some(out)
}

/// How much more paragraph text the readability candidate must hold to beat a known
/// container (a small `.entry-content` teaser inside a page built of other blocks).
fn ratio() -> f64 {
    std::env::var("WC_RATIO")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(2.0)
}

fn main_blocks(doc: &Html, strict: bool) -> Vec<Block> {
    let scored = best_by_score(doc, strict)
        .map(|els| {
            els.into_iter()
                .flat_map(|el| blocks_of(el, strict))
                .collect::<Vec<Block>>()
        })
        .unwrap_or_default();
    let scored_len = para_len(&scored);
    for selector in CONTAINERS.iter() {
        let best = doc
            .select(selector)
            .map(|el| blocks_of(el, strict))
            .max_by_key(|b| para_len(b));
        if let Some(b) = best {
            let len = para_len(&b);
            if len >= MIN_CONTAINER {
                if scored_len as f64 > ratio() * len as f64 {
                    return scored;
                }
                return b;
            }
        }
    }
    if scored_len >= MIN_CONTAINER / 2 {
        return scored;
    }
    match doc.select(&BODY_SEL).next() {
        Some(body) => blocks_of(body, strict),
        None => blocks_of(doc.root_element(), strict),
    }
}

/// Extract an HTML page: metadata and main text (see the crate docs for the cascade).
/// `url` (the page's address, when known) wins over the page's canonical link.
pub fn extract_html(html: &str, url: Option<&str>) -> Article {
    let doc = Html::parse_document(html);
    let pm = html_meta(&doc, html, url);
    let mut blocks = main_blocks(&doc, true);
    if para_len(&blocks) < MIN_CONTAINER / 2 {
        // Class-based removal can be wrong (a wrapper named "has-sidebar"): try without it.
        let lenient = main_blocks(&doc, false);
        if para_len(&lenient) > para_len(&blocks) {
            blocks = lenient;
        }
    }
    let mut a = assemble(blocks, pm.meta);
    a.published_from = pm.published_from;
    a.modified = pm.modified;
    a
}
