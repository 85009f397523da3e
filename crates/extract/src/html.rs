//! HTML main-text extraction: boilerplate removal, content containers, readability scoring.

use crate::blocks::{assemble, clean_line, Block, Kind};
use crate::meta::html_meta;
use crate::Article;
use ego_tree::{NodeId, NodeRef};
use once_cell::sync::Lazy;
use scraper::node::Element;
use scraper::{ElementRef, Html, Node, Selector};
use std::cell::RefCell;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// Hasher for node ids: they are small distinct integers, so one multiply spreads them well
/// enough, and per-page maps keyed by node skip SipHash.
#[derive(Default)]
pub(crate) struct IdHasher(u64);

impl Hasher for IdHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0.rotate_left(8) ^ u64::from(b)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        }
    }
    fn write_usize(&mut self, n: usize) {
        self.0 = (n as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }
}

/// A map keyed by node id (per page).
pub(crate) type IdMap<V> = HashMap<NodeId, V, BuildHasherDefault<IdHasher>>;

/// The value of an attribute without namespace, as [`Element::attr`] finds it, without
/// interning `name` as an atom (that lookup was a hot spot: several per element).
pub(crate) fn attr<'a>(e: &'a Element, name: &str) -> Option<&'a str> {
    e.attrs
        .iter()
        .find(|(k, _)| k.prefix.is_none() && k.ns.is_empty() && &*k.local == name)
        .map(|(_, v)| &**v)
}

/// Elements that never hold main text.
const SKIP_TAGS: [&str; 29] = [
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
    // Ruby annotations (furigana) repeat the text they sit on in another script.
    "rt",
    "rp",
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

/// Class and id text (`entry-content share`), lowercased: its whitespace-separated tokens
/// are what the boilerplate rules read.
fn class_text(e: &Element) -> String {
    let mut out = String::new();
    for v in [attr(e, "class"), attr(e, "id")].into_iter().flatten() {
        out.push_str(v);
        // Unicode whitespace, as `split_whitespace` reads it, keeps the tokens apart.
        out.push(' ');
    }
    out.make_ascii_lowercase();
    out
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

fn is_hidden(e: &Element) -> bool {
    e.attrs.iter().any(|(k, v)| {
        if k.prefix.is_some() || !k.ns.is_empty() {
            return false;
        }
        match &*k.local {
            "hidden" => true,
            "aria-hidden" => &**v == "true",
            "style" => {
                let s: String = v.chars().filter(|c| !c.is_whitespace()).collect();
                let s = s.to_ascii_lowercase();
                s.contains("display:none") || s.contains("visibility:hidden")
            }
            _ => false,
        }
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

/// Whether an element's class/id signals boilerplate (comments, share bars, sidebars, …),
/// read from its [`class_text`] (`html`, `body` and `main` are never boilerplate; see
/// [`Page::is_boilerplate`]). A separate token naming main content (`entry`,
/// `article-body`) outweighs a negative one (`entry themeform share`), except for comments,
/// which are always out.
fn class_is_boilerplate(text: &str) -> bool {
    let tokens: Vec<&str> = text.split_whitespace().collect();
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

/// What the cascade reads more than once per page, found in one pass over the tree.
struct Page<'a> {
    doc: &'a Html,
    /// Attached elements of each [`CONTAINERS`] group, in the order `Html::select` gives.
    containers: [Vec<ElementRef<'a>>; 4],
    /// Attached paragraph-like elements (`p, pre, td, blockquote`), in the order
    /// `Html::select` gives.
    paras: Vec<ElementRef<'a>>,
    /// [`Page::is_boilerplate`] of each element asked about: the strict and lenient passes, the
    /// candidate containers and the scoring all ask about the same elements again.
    boiler: RefCell<IdMap<bool>>,
    /// [`class_is_boilerplate`] by class text: pages repeat the same few class lists on
    /// hundreds of elements (menu items, list entries).
    by_class: RefCell<HashMap<String, bool>>,
    /// [`Page::prose_header`] of each `<header>` asked about.
    headers: RefCell<IdMap<bool>>,
    /// Attached `<h1>` elements, in tree order.
    h1s: Vec<ElementRef<'a>>,
    /// Attached `<h2>` and `<h3>` elements, in tree order.
    h23s: Vec<ElementRef<'a>>,
}

impl<'a> Page<'a> {
    fn new(doc: &'a Html) -> Page<'a> {
        let mut containers: [Vec<ElementRef<'a>>; 4] = Default::default();
        let mut paras = Vec::new();
        let mut h1s = Vec::new();
        let mut h23s = Vec::new();
        for node in doc.tree.nodes() {
            // `Html::select` passes over detached nodes (the tree builder's leftovers).
            let Some(el) = ElementRef::wrap(node).filter(|e| e.parent().is_some()) else {
                continue;
            };
            match el.value().name() {
                "p" | "pre" | "td" | "blockquote" => paras.push(el),
                "h1" => h1s.push(el),
                "h2" | "h3" => h23s.push(el),
                _ => {}
            }
            let groups = container_groups(el.value());
            for (g, list) in containers.iter_mut().enumerate() {
                if groups & (1 << g) != 0 {
                    list.push(el);
                }
            }
        }
        Page {
            doc,
            containers,
            paras,
            boiler: RefCell::new(IdMap::default()),
            by_class: RefCell::new(HashMap::new()),
            headers: RefCell::new(IdMap::default()),
            h1s,
            h23s,
        }
    }

    /// Whether an element is one of [`SKIP_TAGS`], except a `<header>` that holds the
    /// article's prose (page builders wrap whole articles in `<header>` sections).
    fn skipped(&self, node: NodeRef<Node>, e: &Element) -> bool {
        let name = e.name();
        SKIP_TAGS.contains(&name) && (name != "header" || !self.prose_header(node))
    }

    /// A `<header>` whose paragraphs hold 400 characters or more.
    fn prose_header(&self, node: NodeRef<Node>) -> bool {
        if let Some(&b) = self.headers.borrow().get(&node.id()) {
            return b;
        }
        let prose: usize = node
            .descendants()
            .filter(|d| d.value().as_element().is_some_and(|e| e.name() == "p"))
            .filter_map(ElementRef::wrap)
            .map(|p| trimmed_chars_and_commas(p).0)
            .sum();
        let b = prose >= 400;
        self.headers.borrow_mut().insert(node.id(), b);
        b
    }

    fn is_boilerplate(&self, id: NodeId, e: &Element) -> bool {
        if let Some(&b) = self.boiler.borrow().get(&id) {
            return b;
        }
        let b = !matches!(e.name(), "html" | "body" | "main") && {
            let text = class_text(e);
            let known = self.by_class.borrow().get(&text).copied();
            known.unwrap_or_else(|| {
                let b = class_is_boilerplate(&text);
                self.by_class.borrow_mut().insert(text, b);
                b
            })
        };
        self.boiler.borrow_mut().insert(id, b);
        b
    }
}

/// Collects blocks from a subtree.
struct Walker<'p, 'a> {
    page: &'p Page<'a>,
    strict: bool,
    blocks: Vec<Block>,
    buf: String,
    link_len: usize,
    kind: Kind,
    /// The first text node of `buf`.
    buf_node: Option<NodeId>,
    /// Table cells open around the walk (a date there is data, not a stamp).
    cells: usize,
}

impl<'p, 'a> Walker<'p, 'a> {
    fn new(page: &'p Page<'a>, strict: bool) -> Walker<'p, 'a> {
        Walker {
            page,
            strict,
            blocks: Vec::new(),
            buf: String::new(),
            link_len: 0,
            kind: Kind::Para,
            buf_node: None,
            cells: 0,
        }
    }

    fn flush(&mut self) {
        let text = clean_line(&self.buf);
        let link_len = self.link_len;
        let node = self.buf_node.take();
        self.buf.clear();
        self.link_len = 0;
        if text.is_empty() {
            return;
        }
        // A block that is (almost) all link text is navigation or a list of links to other
        // stories, not content, however long its link titles run (up to a paragraph).
        let linky = link_len * 10 >= text.len() * 8 && text.split_whitespace().nth(100).is_none();
        if self.cells == 0 && crate::blocks::is_stamp(&text) {
            return;
        }
        if linky && !text.starts_with("http") {
            // The title of a dropped list of links ("Read more:", "Related stories") goes with it.
            if self.blocks.last().is_some_and(|b| {
                let short = b.text.split_whitespace().nth(8).is_none();
                short && (b.kind == Kind::Heading || b.text.ends_with(':'))
            }) {
                self.blocks.pop();
            }
            return;
        }
        self.blocks.push(Block {
            text,
            kind: self.kind,
            node,
        });
    }

    fn walk(&mut self, node: NodeRef<Node>, in_link: bool, depth: usize) {
        match node.value() {
            Node::Text(t) => {
                if self.buf_node.is_none() && !t.trim().is_empty() {
                    self.buf_node = Some(node.id());
                }
                self.buf.push_str(t);
                if in_link {
                    self.link_len += t.trim().len();
                }
            }
            Node::Element(e) => {
                let name = e.name();
                if self.page.skipped(node, e) || is_hidden(e) || depth > 200 {
                    return;
                }
                if self.strict && self.page.is_boilerplate(node.id(), e) {
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
                let cell = matches!(name, "td" | "th");
                self.cells += usize::from(cell);
                for c in node.children() {
                    self.walk(c, in_link || name == "a", depth + 1);
                }
                if block {
                    self.flush();
                }
                self.cells -= usize::from(cell);
                self.kind = prev;
            }
            _ => {}
        }
    }
}

fn blocks_of(page: &Page, el: ElementRef, strict: bool) -> Vec<Block> {
    let mut w = Walker::new(page, strict);
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
        .filter(|b| b.kind == Kind::Para && b.text.split_whitespace().nth(5).is_some())
        .map(|b| b.text.len())
        .sum()
}

#[cfg(test)]
fn sel(s: &str) -> Selector {
    Selector::parse(s).expect("constant selector")
}

/// Known content containers, most specific first, as CSS; [`container_groups`] matches them
/// without the selector engine (one pass instead of four over every element). The test
/// `container_groups_match_the_selectors` keeps the two in step.
#[cfg(test)]
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

/// Class names of the second container group.
const CONTAINER_CLASSES: [&str; 19] = [
    "entry-content",
    "post-content",
    "article-content",
    "article-body",
    "article__body",
    "articleBody",
    "story-body",
    "story-content",
    "post-body",
    "post-entry",
    "c-article-body",
    "td-post-content",
    "field-name-body",
    "content-body",
    "body-text",
    "article-text",
    "post__content",
    "single-content",
    "blog-post-content",
];
/// Ids of the second container group.
const CONTAINER_IDS: [&str; 3] = ["article-body", "articleBody", "story-body"];

/// Which [`CONTAINERS`] groups an element matches (bit `g` for group `g`), as the selector
/// engine matches them: class names and ids compared case-sensitively (scraper matches in
/// no-quirks mode), classes from every `class` attribute split on ASCII whitespace, the id
/// from the first `id` attribute, `itemprop`/`role` values exact and without namespace, tag
/// names in any namespace.
fn container_groups(e: &Element) -> u8 {
    let mut classes = e
        .attrs
        .iter()
        .filter(|(k, _)| &*k.local == "class")
        .flat_map(|(_, v)| v.split_ascii_whitespace());
    let id = e
        .attrs
        .iter()
        .find(|(k, _)| &*k.local == "id")
        .map(|(_, v)| &**v);
    let mut g = 0u8;
    if attr(e, "itemprop") == Some("articleBody") {
        g |= 1;
    }
    let (mut known, mut plain) = (false, false);
    for c in classes.by_ref() {
        known |= CONTAINER_CLASSES.contains(&c);
        plain |= matches!(c, "content" | "main-content");
    }
    if known || id.is_some_and(|i| CONTAINER_IDS.contains(&i)) {
        g |= 2;
    }
    let name = e.name();
    if name == "article" {
        g |= 4;
    }
    if name == "main"
        || plain
        || matches!(id, Some("content" | "main"))
        || attr(e, "role") == Some("main")
    {
        g |= 8;
    }
    g
}

static BODY_SEL: Lazy<Selector> = Lazy::new(|| Selector::parse("body").expect("constant selector"));

/// Below this much paragraph text, the strict pass is checked against the lenient one.
const LENIENT_BELOW: usize = 2000;

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

/// Of an element's text (its text nodes joined): the characters once trimmed, and the
/// commas (`,`, `，`, `、`) — without building the joined string.
fn trimmed_chars_and_commas(el: ElementRef) -> (usize, usize) {
    let (mut total, mut commas) = (0usize, 0usize);
    // Whitespace characters before the first other character, and after the last one.
    let (mut leading, mut trailing) = (0usize, 0usize);
    let mut seen = false;
    for t in el.text() {
        for c in t.chars() {
            total += 1;
            if c.is_whitespace() {
                if seen {
                    trailing += 1;
                } else {
                    leading += 1;
                }
            } else {
                seen = true;
                trailing = 0;
                if matches!(c, ',' | '，' | '、') {
                    commas += 1;
                }
            }
        }
    }
    (total - leading - trailing, commas)
}

/// Share of the best score that counts a candidate as a near-equal (see [`best_by_score`]).
const ALT_SHARE: f64 = 0.45;

/// Readability-style scoring: paragraphs give points to their parent and grandparent.
fn best_by_score<'a>(page: &Page<'a>, strict: bool) -> Option<Vec<ElementRef<'a>>> {
    let doc = page.doc;
    let mut scores: IdMap<f64> = IdMap::default();
    // Paragraphs share their ancestors: judge each ancestor once, not once per paragraph.
    let mut skip: IdMap<bool> = IdMap::default();
    for &p in &page.paras {
        if strict
            && p.ancestors().any(|a| {
                let Some(e) = a.value().as_element() else {
                    return false;
                };
                *skip
                    .entry(a.id())
                    .or_insert_with(|| page.skipped(a, e) || page.is_boilerplate(a.id(), e))
            })
        {
            continue;
        }
        let (len, commas) = trimmed_chars_and_commas(p);
        if len < 25 {
            continue;
        }
        let score = 1.0 + commas as f64 + (len as f64 / 100.0).min(3.0);
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
    // In tree order, so that of equal scores the first wins whatever the map's order.
    let mut scores: Vec<(NodeId, f64)> = scores.into_iter().collect();
    scores.sort_unstable_by_key(|&(id, _)| id);
    let mut best: Option<(f64, ElementRef)> = None;
    let mut adjusted: IdMap<f64> = IdMap::default();
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
    let (top, mut el) = best?;
    // An article split into sections (one per heading, one per list entry) scores as several
    // candidates of similar weight: when two others outside the best score at least 45% of
    // it, the nearest ancestor of the best that holds three of them is the article
    // (readability's rule, with a lower share: sections are often unequal).
    if top > 0.0 {
        let mut near: Vec<NodeId> = adjusted
            .iter()
            .filter(|&(&id, &s)| id != el.id() && s >= ALT_SHARE * top)
            .map(|(&id, _)| id)
            .collect();
        // Candidates inside the best one are already in it.
        near.retain(|&id| {
            doc.tree
                .get(id)
                .is_some_and(|n| !n.ancestors().any(|a| a.id() == el.id()))
        });
        near.sort_unstable();
        if !near.is_empty() {
            let tree = &doc.tree;
            for anc in el.ancestors().filter_map(ElementRef::wrap) {
                if matches!(anc.value().name(), "body" | "html") {
                    break;
                }
                let inside = near
                    .iter()
                    .filter(|&&id| {
                        tree.get(id)
                            .is_some_and(|n| n.ancestors().any(|a| a.id() == anc.id()))
                    })
                    .count();
                if inside + 1 >= 3 {
                    el = anc;
                    break;
                }
            }
        }
    }
    let top = adjusted.get(&el.id()).copied().unwrap_or(top).max(top);
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
        if page.skipped(*sib, e) || is_hidden(e) || (strict && page.is_boilerplate(sib.id(), e)) {
            continue;
        }
        let score = adjusted.get(&sib.id()).copied().unwrap_or(0.0);
        let keep = score >= threshold || {
            let (total, link) = text_and_link_len(sib);
            total >= 80 && (link as f64) < 0.25 * total as f64 && {
                let text: String = sib.text().collect();
                text.trim_end().ends_with(['.', '!', '?', '"', '”', '…'])
            }
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
    static RATIO: Lazy<f64> = Lazy::new(|| {
        std::env::var("WC_RATIO")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(2.0)
    });
    *RATIO
}

fn main_blocks(page: &Page, strict: bool) -> Vec<Block> {
    let doc = page.doc;
    let scored = best_by_score(page, strict)
        .map(|els| {
            els.into_iter()
                .flat_map(|el| blocks_of(page, el, strict))
                .collect::<Vec<Block>>()
        })
        .unwrap_or_default();
    let scored_len = para_len(&scored);
    for group in &page.containers {
        let best = group
            .iter()
            .map(|&el| {
                let b = blocks_of(page, el, strict);
                (para_len(&b), b)
            })
            .max_by_key(|(len, _)| *len);
        if let Some((len, b)) = best {
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
        Some(body) => blocks_of(page, body, strict),
        None => blocks_of(page, doc.root_element(), strict),
    }
}

/// Calls to act that sites append to every article: follow us, subscribe, join our channel,
/// reprint terms, "send us a letter".
static PROMO: Lazy<regex::Regex> = Lazy::new(|| {
    regex::Regex::new(
        r"(?i)\b(follow (us|the \w+ on)|(join|subscribe to) our|subscribe (now|today|here)|newsletter|(on|via) (telegram|whatsapp)\b|canal de (youtube|telegram|whatsapp)|copyrighted|reprint|all rights reserved|letter to the editor|breaking news updates|suscr[ií]bete|s[ií]guenos|hazte miembro|abonnieren sie|folgen sie uns|abonnez-vous|contact us at)",
    )
    .expect("constant regex")
});

/// Drops the article's last paragraphs while they are short calls to act ([`PROMO`]).
fn trim_promo_tail(blocks: &mut Vec<Block>) {
    while let Some(b) = blocks.last() {
        let short = b.text.split_whitespace().nth(40).is_none();
        if b.kind == Kind::Para && short && PROMO.is_match(&b.text) {
            blocks.pop();
        } else {
            break;
        }
    }
}

/// Class words of a lead (standfirst, teaser, summary) printed between the headline and the body.
const LEAD_WORDS: [&str; 14] = [
    "lead",
    "intro",
    "introtext",
    "teaser",
    "excerpt",
    "summary",
    "standfirst",
    "deck",
    "dek",
    "chapo",
    "subtitle",
    "subheadline",
    "subhead",
    "abstract",
];

/// Paragraphs that sit where a lead sits but are not one: an author's bio, an affiliate or
/// editorial disclaimer, a sign-up pitch.
static NOT_LEAD: Lazy<regex::Regex> = Lazy::new(|| {
    regex::Regex::new(
        r"(?i)^\p{Lu}[\w'’.-]+(?: \p{Lu}[\w'’.-]+){0,2},? (?:is|has been) (?:an?|the) [^.]{0,80}\b(?:writer|journalist|editor|reporter|author|contributor|columnist|correspondent|blogger)\b|\baffiliate\b|\b(?:earn|receive|get) (?:an? )?(?:small )?commission\b|\bsign up\b|\bnewsletters?\b|\bsubscribe\b|\bis committed to providing\b",
    )
    .expect("constant regex")
});

fn lead_class(e: &Element) -> bool {
    class_text(e)
        .split_whitespace()
        .any(|t| words(t).any(|w| LEAD_WORDS.contains(&w)))
}

/// Lead paragraphs that sit between the headline and the first paragraph of the body but
/// outside what the cascade kept (a standfirst in the article's `<header>`, a `teaser-text`
/// box above the body): prose, few links, not in page chrome.
fn lead_blocks(page: &Page, blocks: &[Block]) -> Vec<Block> {
    let doc = page.doc;
    // The body starts at its first prose paragraph (not a dateline or a kicker).
    let Some(first) = blocks
        .iter()
        .find(|b| b.kind == Kind::Para && crate::blocks::is_prose(&b.text))
        .and_then(|b| b.node)
    else {
        return Vec::new();
    };
    let Some(first_node) = doc.tree.get(first) else {
        return Vec::new();
    };
    let holds_first = |id: NodeId| first_node.ancestors().any(|a| a.id() == id);
    // The headline: the last <h1> before the body that does not hold it; on pages without
    // one, an <h2>/<h3> before the body in the same box (one of its four nearest ancestors
    // holds the body).
    let h1 = page
        .h1s
        .iter()
        .rev()
        .find(|h| h.id() < first && !holds_first(h.id()));
    let h1 = match h1 {
        Some(h) => h,
        None if page.h1s.iter().all(|h| h.id() > first) => {
            let Some(h) = page.h23s.iter().rev().find(|h| {
                h.id() < first
                    && !holds_first(h.id())
                    && h.ancestors().take(4).any(|a| holds_first(a.id()))
            }) else {
                return Vec::new();
            };
            h
        }
        None => return Vec::new(),
    };
    let mut out: Vec<Block> = Vec::new();
    let mut taken: Vec<NodeId> = Vec::new();
    let mut prose_words = 0usize;
    for node in doc.tree.nodes() {
        let id = node.id();
        if id <= h1.id() {
            continue;
        }
        if id >= first {
            break;
        }
        let Some(e) = node.value().as_element() else {
            continue;
        };
        // Only elements with a class or id can be named a lead (most are neither).
        let classed = !matches!(e.name(), "a" | "img" | "span")
            && (attr(e, "class").is_some() || attr(e, "id").is_some())
            && lead_class(e);
        if !(classed || e.name() == "p") {
            continue;
        }
        if node
            .ancestors()
            .any(|a| a.id() == h1.id() || taken.contains(&a.id()))
            || first_node.ancestors().any(|a| a.id() == id)
        {
            continue;
        }
        // Not in chrome: no skipped or hidden ancestor (a <header> is where leads sit), no
        // boilerplate-named one unless it names a lead ("teaser-text").
        let chrome = node.ancestors().any(|a| {
            a.value().as_element().is_some_and(|ae| {
                (SKIP_TAGS.contains(&ae.name()) && ae.name() != "header")
                    || matches!(ae.name(), "figure" | "li" | "a" | "blockquote")
                    || is_hidden(ae)
                    || (page.is_boilerplate(a.id(), ae) && !lead_class(ae))
            })
        }) || is_hidden(e)
            || (page.is_boilerplate(id, e) && !classed);
        if chrome {
            continue;
        }
        let Some(el) = ElementRef::wrap(node) else {
            continue;
        };
        let (total, link) = text_and_link_len(el);
        if total == 0 || link * 10 > total * 2 {
            continue;
        }
        let lead = blocks_of(page, el, false);
        let text = clean_line(
            &lead
                .iter()
                .map(|b| b.text.as_str())
                .collect::<Vec<_>>()
                .join(" "),
        );
        let n_words = text.split_whitespace().count();
        let cjk = text.chars().count() >= 40 && n_words <= 3;
        let last = text.chars().last().unwrap_or(' ');
        let ended = matches!(
            last,
            '.' | '!' | '?' | '"' | '”' | '“' | '»' | '…' | ')' | '。'
        );
        let prose = (n_words >= 8 && (ended || classed)) || n_words >= 20 || cjk;
        if !prose || crate::blocks::is_furniture(&text) || NOT_LEAD.is_match(&text) {
            continue;
        }
        taken.push(id);
        prose_words += n_words;
        out.push(Block {
            text,
            kind: Kind::Para,
            node: Some(id),
        });
    }
    // Many paragraphs between headline and body are a listing (teasers of other stories).
    if out.len() > MAX_LEADS || prose_words > 250 {
        return Vec::new();
    }
    out.retain(|l| !blocks.iter().any(|b| b.text == l.text));
    out
}

const MAX_LEADS: usize = 3;

/// Extract an HTML page: metadata and main text (see the crate docs for the cascade).
/// `url` (the page's address, when known) wins over the page's canonical link.
pub fn extract_html(html: &str, url: Option<&str>) -> Article {
    let doc = Html::parse_document(html);
    let pm = html_meta(&doc, html, url);
    let page = Page::new(&doc);
    let mut blocks = main_blocks(&page, true);
    let strict_len = para_len(&blocks);
    if strict_len < LENIENT_BELOW {
        // Class-based removal can be wrong (a wrapper named "has-sidebar", "sidebar-container"
        // around the article): try without it, and keep that when the strict pass found
        // nothing or a small part of it (a "recent posts" box instead of the article).
        let lenient = main_blocks(&page, false);
        let need = if strict_len < MIN_CONTAINER / 2 { 1 } else { 4 };
        if para_len(&lenient) > need * strict_len {
            blocks = lenient;
        }
    }
    let leads = lead_blocks(&page, &blocks);
    if !leads.is_empty() {
        let at = blocks
            .iter()
            .position(|b| b.kind == Kind::Para)
            .unwrap_or(0);
        blocks.splice(at..at, leads);
    }
    // Pages that build the article with scripts leave little in the markup; the JSON-LD
    // `articleBody` then holds the text.
    let mut pm = pm;
    if let Some(body) = pm.ld_body.take() {
        let have = para_len(&blocks);
        let body = body.trim();
        if body.len() >= 500 && body.len() > 2 * have && !body.contains("</") {
            let lines: Vec<&str> = body.lines().collect();
            blocks = crate::blocks::text_blocks(&lines);
        }
    }
    trim_promo_tail(&mut blocks);
    let mut a = assemble(blocks, pm.meta);
    a.published_from = pm.published_from;
    a.modified = pm.modified;
    a
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn container_groups_match_the_selectors() {
        let page = r#"<html><body>
            <div itemprop="articleBody">a</div><div itemprop="articlebody">b</div>
            <div class="x entry-content  y">c</div><div class="Entry-Content">d</div>
            <div class="entry-content-wrap">e</div><div id="articleBody">f</div>
            <div id="articlebody">g</div><div id="x story-body">h</div>
            <article class="content">i</article><main>j</main><div role="main">k</div>
            <div role="Main">l</div><section id="content">m</section><div id="main">n</div>
            <div class="main-content">o</div><div class="maincontent content-body">p</div>
            <svg><article class="content"></article><a xlink:href="x" role="main"></a></svg>
            <div class="a	post__content">q</div><p class="single-content">r</p>
            <div id="content" class="content" itemprop="articleBody" role="main">s</div>
            </body></html>"#;
        let doc = Html::parse_document(page);
        let mut seen = [0usize; 4];
        for node in doc.tree.nodes() {
            let Some(el) = ElementRef::wrap(node) else {
                continue;
            };
            let groups = container_groups(el.value());
            for (g, s) in CONTAINERS.iter().enumerate() {
                let want = s.matches(&el);
                assert_eq!(
                    groups & (1 << g) != 0,
                    want,
                    "group {g} on {:?}",
                    el.value()
                );
                seen[g] += usize::from(want);
            }
        }
        assert_eq!(seen, [2, 5, 2, 9]);
    }

    #[test]
    fn attr_is_element_attr() {
        let doc = Html::parse_document(
            r#"<p id="a" CLASS="b" data-x="" style="color: red"><svg><a xlink:href="h" href="g"></a></svg></p>"#,
        );
        for node in doc.tree.nodes() {
            let Some(el) = ElementRef::wrap(node) else {
                continue;
            };
            let e = el.value();
            for name in [
                "id",
                "class",
                "data-x",
                "style",
                "href",
                "xlink:href",
                "none",
            ] {
                assert_eq!(attr(e, name), e.attr(name), "{name} on {e:?}");
            }
        }
    }

    #[test]
    fn trimmed_chars_and_commas_read_the_joined_text() {
        let doc = Html::parse_document(
            "<p>  \u{a0}<b> Kim, </b>Putin、 <i>and</i> Xi，met </p><p> </p><p></p>",
        );
        for node in doc.tree.nodes() {
            let Some(el) = ElementRef::wrap(node) else {
                continue;
            };
            let text: String = el.text().collect();
            let want = (
                text.trim().chars().count(),
                text.matches([',', '，', '、']).count(),
            );
            assert_eq!(trimmed_chars_and_commas(el), want, "{text:?}");
        }
    }
}
