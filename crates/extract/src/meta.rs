//! Page metadata: dates, JSON-LD, OpenGraph and `<meta>` tags.

use crate::html::attr;
use chrono::NaiveDate;
use once_cell::sync::Lazy;
use regex::Regex;
use scraper::node::Element;
use scraper::{ElementRef, Html, Selector};
use serde_json::Value;
use wirecoder_doc::Meta;

static YMD: Lazy<Regex> = Lazy::new(|| {
    Regex::new(r"\b((?:19|20)\d\d)[-/.](\d\d?)[-/.](\d\d?)(?:\D|$)").expect("constant regex")
});
static DMY: Lazy<Regex> =
    Lazy::new(|| Regex::new(r"\b(\d\d?)[./](\d\d?)[./]((?:19|20)\d\d)\b").expect("constant regex"));
static COMPACT: Lazy<Regex> =
    Lazy::new(|| Regex::new(r"^((?:19|20)\d\d)(\d\d)(\d\d)(?:\D|$)").expect("constant regex"));
static MONTH_FIRST: Lazy<Regex> = Lazy::new(|| {
    Regex::new(r"(?i)\b([a-z]{3,9})\.? (\d\d?)(?:st|nd|rd|th)?,? ((?:19|20)\d\d)\b")
        .expect("constant regex")
});
static DAY_FIRST: Lazy<Regex> = Lazy::new(|| {
    Regex::new(r"(?i)\b(\d\d?)(?:st|nd|rd|th)?\.? ([a-z]{3,9})\.?,? ((?:19|20)\d\d)\b")
        .expect("constant regex")
});
/// `2023 Jan 7` (library and journal metadata: `citation_publication_date`).
static YEAR_MONTH_DAY: Lazy<Regex> = Lazy::new(|| {
    Regex::new(r"(?i)^((?:19|20)\d\d) ([a-z]{3,9})\.? (\d\d?)\b").expect("constant regex")
});
static URL_DATE: Lazy<Regex> = Lazy::new(|| {
    Regex::new(r"/((?:19|20)\d\d)[/-](\d\d)[/-](\d\d)(?:/|-|\b)").expect("constant regex")
});

static URL_DATE_NAMED: Lazy<Regex> = Lazy::new(|| {
    Regex::new(r"(?i)/((?:19|20)\d\d)/([a-z]{3,9})/(\d\d?)(?:/|-|$)").expect("constant regex")
});

fn month(name: &str) -> Option<u32> {
    let n = name.to_lowercase();
    let m = match n.get(..3)? {
        "jan" => 1,
        "feb" => 2,
        "mar" => 3,
        "apr" => 4,
        "may" => 5,
        "jun" => 6,
        "jul" => 7,
        "aug" => 8,
        "sep" => 9,
        "oct" => 10,
        "nov" => 11,
        "dec" => 12,
        _ => return None,
    };
    Some(m)
}

fn ymd(y: &str, m: u32, d: &str) -> Option<String> {
    let date = NaiveDate::from_ymd_opt(y.parse().ok()?, m, d.parse().ok()?)?;
    Some(date.format("%Y-%m-%d").to_string())
}

/// Normalize a date as pages write it (`2024-01-10T08:00:00Z`, `2024/01/10`, `10.01.2024`,
/// `January 10, 2024`, `10 Jan 2024`, `20240110`) to ISO `YYYY-MM-DD`.
///
/// ```
/// assert_eq!(wirecoder_extract::iso_date("Jan. 10th, 2024 08:00").as_deref(), Some("2024-01-10"));
/// assert_eq!(wirecoder_extract::iso_date("sometime"), None);
/// ```
pub fn iso_date(s: &str) -> Option<String> {
    let s = s.trim();
    if let Some(c) = YMD.captures(s) {
        return ymd(&c[1], c[2].parse().ok()?, &c[3]);
    }
    if let Some(c) = COMPACT.captures(s) {
        return ymd(&c[1], c[2].parse().ok()?, &c[3]);
    }
    if let Some(c) = MONTH_FIRST.captures(s) {
        if let Some(m) = month(&c[1]) {
            return ymd(&c[3], m, &c[2]);
        }
    }
    if let Some(c) = DAY_FIRST.captures(s) {
        if let Some(m) = month(&c[2]) {
            return ymd(&c[3], m, &c[1]);
        }
    }
    if let Some(c) = DMY.captures(s) {
        return ymd(&c[3], c[2].parse().ok()?, &c[1]);
    }
    if let Some(c) = YEAR_MONTH_DAY.captures(s) {
        return ymd(&c[1], month(&c[2])?, &c[3]);
    }
    None
}

/// A date in a URL path (`/2024/01/10/`, `/2023/october/03/`).
pub(crate) fn url_date(url: &str) -> Option<String> {
    if let Some(c) = URL_DATE.captures(url) {
        return ymd(&c[1], c[2].parse().ok()?, &c[3]);
    }
    let c = URL_DATE_NAMED.captures(url)?;
    ymd(&c[1], month(&c[2])?, &c[3])
}

fn sel(s: &str) -> Selector {
    Selector::parse(s).expect("constant selector")
}

static LDJSON_SEL: Lazy<Selector> = Lazy::new(|| sel(r#"script[type="application/ld+json"]"#));
static TIME_SEL: Lazy<Selector> = Lazy::new(|| sel("time[datetime], [itemprop=datePublished]"));
static CANON_SEL: Lazy<Selector> = Lazy::new(|| sel(r#"link[rel="canonical"]"#));
static DATE_SEL: Lazy<Selector> = Lazy::new(|| {
    sel(
        r#"time, [class*="date"], [class*="Date"], [id*="date"], [class*="publish"], [class*="publication"], [class*="Publication"], [class*="posted"], [class*="updated"], [class*="byline"], [class*="meta"]"#,
    )
});
/// Author-named elements, as CSS; [`byline_match`] matches it without the selector engine
/// (the descendant parts sent it up the ancestors of every link). The test
/// `byline_match_is_the_selector` keeps the two in step.
#[cfg(test)]
static BYLINE_SEL: Lazy<Selector> = Lazy::new(|| {
    sel(
        r#"[rel="author"], [itemprop="author"], [class*="author-name"], [class*="author__name"], [class*="authorName"], [class*="byline"] a, [class*="byline"], [class*="author"] a, .author"#,
    )
});

/// The value of attribute `name` in no namespace, as attribute selectors read it.
fn attr_no_ns<'a>(e: &'a Element, name: &str) -> Option<&'a str> {
    e.attrs
        .iter()
        .find(|(k, _)| k.ns.is_empty() && &*k.local == name)
        .map(|(_, v)| &**v)
}

/// Whether an element's `class` attribute contains "byline" or "author" (the ancestors
/// `[class*="byline"] a, [class*="author"] a` look for).
fn names_author(e: &Element) -> bool {
    attr_no_ns(e, "class").is_some_and(|c| c.contains("byline") || c.contains("author"))
}

/// Whether `el` matches BYLINE_SEL, as the selector engine matches it: `rel` compared
/// without case on HTML elements (it is one of HTML's case-insensitive attributes), the
/// other values with case; `.author` a token of any `class` attribute, split on ASCII
/// whitespace; `a` in any namespace; `memo` caches [`names_author`] of ancestors.
fn byline_match(el: ElementRef, memo: &mut crate::html::IdMap<bool>) -> bool {
    let e = el.value();
    let rel = attr_no_ns(e, "rel").is_some_and(|r| {
        if &*e.name.ns == HTML_NS {
            r.eq_ignore_ascii_case("author")
        } else {
            r == "author"
        }
    });
    if rel || attr_no_ns(e, "itemprop") == Some("author") {
        return true;
    }
    if attr_no_ns(e, "class").is_some_and(|c| {
        ["author-name", "author__name", "authorName", "byline"]
            .iter()
            .any(|n| c.contains(n))
    }) {
        return true;
    }
    if e.attrs
        .iter()
        .filter(|(k, _)| &*k.local == "class")
        .flat_map(|(_, v)| v.split_ascii_whitespace())
        .any(|c| c == "author")
    {
        return true;
    }
    e.name() == "a"
        && el.ancestors().filter_map(ElementRef::wrap).any(|a| {
            *memo
                .entry(a.id())
                .or_insert_with(|| names_author(a.value()))
        })
}

/// The HTML namespace.
const HTML_NS: &str = "http://www.w3.org/1999/xhtml";

/// The elements `doc.select(sel)` gives, in the same order, with the selector tried only on
/// elements that pass `may_match`, a cheap test that every element matching `sel` passes.
fn select_where<'a, 'b>(
    doc: &'a Html,
    sel: &'b Selector,
    may_match: fn(&Element) -> bool,
) -> impl Iterator<Item = ElementRef<'a>> + 'b
where
    'a: 'b,
{
    doc.tree
        .nodes()
        .filter_map(ElementRef::wrap)
        .filter(move |e| may_match(e.value()) && e.parent().is_some() && sel.matches(e))
}

/// Whether an element has an attribute of one of these local names (any namespace).
fn has_attr_named(e: &Element, names: &[&str]) -> bool {
    e.attrs.iter().any(|(k, _)| names.contains(&&*k.local))
}

/// First visible date in a date-like element (`<time>`, `.post-date`, `.byline`).
fn visible_date(doc: &Html) -> Option<String> {
    // Every part of DATE_SEL is `time` or reads `class` or `id`.
    let may_match = |e: &Element| e.name() == "time" || has_attr_named(e, &["class", "id"]);
    select_where(doc, &DATE_SEL, may_match)
        .take(40)
        .find_map(|e| {
            if let Some(d) = attr(e.value(), "datetime").and_then(iso_date) {
                return Some(d);
            }
            let t: String = e.text().collect();
            let t = crate::blocks::clean_line(&t);
            (t.len() < 120).then(|| iso_date(&t)).flatten()
        })
}

/// A visible byline ("By Jane Doe", `rel=author`), cleaned of "By" and trailing dates.
fn visible_author(doc: &Html) -> Option<String> {
    let mut memo = crate::html::IdMap::default();
    doc.tree
        .nodes()
        .filter_map(ElementRef::wrap)
        .filter(|e| e.parent().is_some() && byline_match(*e, &mut memo))
        .take(20)
        .find_map(|e| {
            let t = crate::blocks::clean_line(&e.text().collect::<String>());
            crate::byline::names(&t)
        })
}

/// The element that heads the article: the first `<h1>` outside page chrome (a footer's
/// "Contact us", a menu's button); on pages without one, an `<h2>` that reads as the page
/// title (`title`: OpenGraph or `<title>`); else the first `<h1>`.
fn headline<'a>(found: &Found<'a>, title: Option<&str>) -> Option<ElementRef<'a>> {
    let chrome = |h: &ElementRef| {
        h.ancestors().any(|a| {
            a.value()
                .as_element()
                .is_some_and(|e| matches!(e.name(), "footer" | "nav" | "aside"))
        })
    };
    let h1 = found.h1.iter().flatten().find(|h| !chrome(h));
    let h2 = || {
        let title = title?.to_lowercase();
        let title_words: Vec<&str> = title
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .collect();
        found.h2.iter().find(|h| {
            let t = crate::blocks::clean_line(&h.text().collect::<String>()).to_lowercase();
            let words: Vec<&str> = t
                .split(|c: char| !c.is_alphanumeric())
                .filter(|w| !w.is_empty())
                .collect();
            // Most of the title's words, or most of the heading's, are in the other.
            let shared = title_words.iter().filter(|w| words.contains(w)).count();
            words.len() >= 3
                && title_words.len() >= 3
                && shared * 10 >= 7 * title_words.len().min(words.len())
                && !chrome(h)
        })
    };
    h1.or_else(h2).or(found.h1[0].as_ref()).copied()
}

/// The page's one headline, when it has exactly one `<h1>` of reasonable length.
fn single_h1(found: &Found) -> Option<String> {
    let first = crate::blocks::clean_line(&found.h1[0]?.text().collect::<String>());
    if found.h1[1].is_some() {
        return None;
    }
    let words = first.split_whitespace().count();
    ((2..=30).contains(&words)).then_some(first)
}

/// What the simple metadata selectors find, in one pass over the tree (in the order
/// `Html::select` gives: the tree's node order, detached nodes left out).
#[derive(Default)]
struct Found<'a> {
    /// `meta` elements.
    metas: Vec<ElementRef<'a>>,
    /// JSON-LD scripts ([`LDJSON_SEL`]).
    ld_scripts: Vec<ElementRef<'a>>,
    /// The first `title`.
    title: Option<ElementRef<'a>>,
    /// The first two `h1`.
    h1: [Option<ElementRef<'a>>; 2],
    /// The first few `h2` (a headline where a page has no `<h1>`).
    h2: Vec<ElementRef<'a>>,
    /// The first canonical link ([`CANON_SEL`]).
    canonical: Option<ElementRef<'a>>,
    /// The first `html` element.
    html: Option<ElementRef<'a>>,
}

impl<'a> Found<'a> {
    fn new(doc: &'a Html) -> Found<'a> {
        let mut f = Found::default();
        for node in doc.tree.nodes() {
            let Some(el) = ElementRef::wrap(node) else {
                continue;
            };
            // Type selectors match the local name in any namespace; the attribute parts of
            // LDJSON_SEL and CANON_SEL are left to the selector engine.
            let name = el.value().name();
            if !matches!(
                name,
                "meta" | "script" | "title" | "h1" | "h2" | "link" | "html"
            ) || el.parent().is_none()
            {
                continue;
            }
            match name {
                "meta" => f.metas.push(el),
                "script" if LDJSON_SEL.matches(&el) => f.ld_scripts.push(el),
                "title" if f.title.is_none() => f.title = Some(el),
                "h1" if f.h1[0].is_none() => f.h1[0] = Some(el),
                "h1" if f.h1[1].is_none() => f.h1[1] = Some(el),
                "h2" if f.h2.len() < 8 => f.h2.push(el),
                "link" if f.canonical.is_none() && CANON_SEL.matches(&el) => f.canonical = Some(el),
                "html" if f.html.is_none() => f.html = Some(el),
                _ => {}
            }
        }
        f
    }
}

const ARTICLE_TYPES: [&str; 7] = [
    "NewsArticle",
    "Article",
    "BlogPosting",
    "ReportageNewsArticle",
    "AnalysisNewsArticle",
    "OpinionNewsArticle",
    "LiveBlogPosting",
];

/// Fields found in JSON-LD.
#[derive(Default)]
struct LdMeta {
    headline: Option<String>,
    published: Option<String>,
    modified: Option<String>,
    author: Option<String>,
    /// The author is an organisation (often the site itself), not a person.
    author_org: bool,
    publisher: Option<String>,
    language: Option<String>,
    /// The article's text as JSON-LD gives it (`articleBody`).
    body: Option<String>,
}

fn str_of(v: &Value) -> Option<String> {
    match v {
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
        Value::Object(o) => o.get("name").and_then(str_of),
        Value::Array(a) => {
            let names: Vec<String> = a.iter().filter_map(str_of).collect();
            (!names.is_empty()).then(|| names.join(", "))
        }
        _ => None,
    }
}

fn is_article(v: &Value) -> bool {
    match v.get("@type") {
        Some(Value::String(t)) => ARTICLE_TYPES.contains(&t.as_str()),
        Some(Value::Array(ts)) => ts
            .iter()
            .any(|t| t.as_str().is_some_and(|t| ARTICLE_TYPES.contains(&t))),
        _ => false,
    }
}

/// Find the first article object (in arrays and `@graph` too), depth-limited.
fn find_article(v: &Value, depth: usize) -> Option<&Value> {
    if depth > 6 {
        return None;
    }
    if is_article(v) {
        return Some(v);
    }
    match v {
        Value::Array(a) => a.iter().find_map(|x| find_article(x, depth + 1)),
        Value::Object(o) => o.get("@graph").and_then(|g| find_article(g, depth + 1)),
        _ => None,
    }
}

/// The first object (in arrays and `@graph` too) that has `key`, depth-limited: a
/// `WebPage` node carries `datePublished` on pages without an article node.
fn find_with<'a>(v: &'a Value, key: &str, depth: usize) -> Option<&'a Value> {
    if depth > 6 {
        return None;
    }
    match v {
        Value::Object(o) if o.contains_key(key) => Some(v),
        Value::Object(o) => o.get("@graph").and_then(|g| find_with(g, key, depth + 1)),
        Value::Array(a) => a.iter().find_map(|x| find_with(x, key, depth + 1)),
        _ => None,
    }
}

fn is_org(v: &Value) -> bool {
    let org = |t: &str| {
        matches!(
            t,
            "Organization" | "NewsMediaOrganization" | "Corporation" | "WebSite"
        )
    };
    match v {
        Value::Object(o) => match o.get("@type") {
            Some(Value::String(t)) => org(t),
            Some(Value::Array(ts)) => ts.iter().any(|t| t.as_str().is_some_and(org)),
            _ => false,
        },
        Value::Array(a) => !a.is_empty() && a.iter().all(is_org),
        _ => false,
    }
}

fn ld_meta(found: &Found) -> LdMeta {
    let mut out = LdMeta::default();
    let mut any_published = None;
    for &script in &found.ld_scripts {
        let raw: String = script.text().collect();
        let Ok(v) = serde_json::from_str::<Value>(raw.trim()) else {
            continue;
        };
        if any_published.is_none() {
            any_published = find_with(&v, "datePublished", 0)
                .and_then(|o| o.get("datePublished"))
                .and_then(str_of)
                .and_then(|d| iso_date(&d));
        }
        if let Some(a) = find_article(&v, 0) {
            out.modified = out.modified.or_else(|| {
                a.get("dateModified")
                    .and_then(str_of)
                    .and_then(|d| iso_date(&d))
            });
            if out.author.is_none() {
                if let Some(au) = a.get("author") {
                    out.author = str_of(au);
                    out.author_org = is_org(au);
                }
            }
            out.headline = out.headline.or_else(|| a.get("headline").and_then(str_of));
            out.published = out.published.or_else(|| {
                a.get("datePublished")
                    .or_else(|| a.get("dateCreated"))
                    .and_then(str_of)
                    .and_then(|d| iso_date(&d))
            });
            out.publisher = out
                .publisher
                .or_else(|| a.get("publisher").and_then(str_of));
            out.language = out
                .language
                .or_else(|| a.get("inLanguage").and_then(str_of));
            out.body = out.body.or_else(|| {
                a.get("articleBody")
                    .and_then(Value::as_str)
                    .map(str::to_string)
            });
        }
    }
    out.published = out.published.or(any_published);
    out
}

/// ISO 639-1 code from a language tag (`en-US` → `en`).
fn lang_code(tag: &str) -> Option<String> {
    let code: String = tag
        .trim()
        .chars()
        .take_while(|c| c.is_ascii_alphabetic())
        .collect::<String>()
        .to_ascii_lowercase();
    (code.len() == 2).then_some(code)
}

/// `<title>` minus a trailing " | Site" / " - Site" part.
fn strip_site(title: &str, site: Option<&str>) -> String {
    let t = crate::blocks::clean_line(title);
    for sep in [" | ", " – ", " — ", " - ", " :: ", " » "] {
        if let Some(i) = t.rfind(sep) {
            let tail = &t[i + sep.len()..];
            let is_site = site.is_some_and(|s| tail.eq_ignore_ascii_case(s))
                || tail.split_whitespace().count() <= 4 && i > 15;
            if is_site {
                return t[..i].trim().to_string();
            }
        }
    }
    t
}

/// Metadata of an HTML page.
pub(crate) fn html_meta(doc: &Html, html: &str, url: Option<&str>) -> PageMeta {
    let found = Found::new(doc);
    let ld = ld_meta(&found);
    let mut props: Vec<(String, String)> = Vec::new();
    for m in &found.metas {
        let e = m.value();
        let key = attr(e, "property")
            .or_else(|| attr(e, "name"))
            .or_else(|| attr(e, "itemprop"))
            .or_else(|| attr(e, "http-equiv"));
        if let (Some(k), Some(c)) = (key, attr(e, "content")) {
            if !c.trim().is_empty() {
                props.push((k.trim().to_ascii_lowercase(), c.trim().to_string()));
            }
        }
    }
    let prop = |keys: &[&str]| -> Option<String> {
        keys.iter()
            .find_map(|k| props.iter().find(|(pk, _)| pk == k).map(|(_, v)| v.clone()))
    };

    let site = prop(&["og:site_name", "application-name"]).or(ld.publisher.clone());
    // The visible headline is what readers (and gold sets) call the title; metadata titles
    // are often SEO variants.
    let title = single_h1(&found)
        .or(ld.headline)
        .or_else(|| prop(&["og:title", "twitter:title", "dc.title", "headline"]))
        .or_else(|| {
            found
                .title
                .map(|t| strip_site(&t.text().collect::<String>(), site.as_deref()))
        })
        .or_else(|| found.h1[0].map(|h| h.text().collect::<String>()))
        .map(|t| crate::blocks::clean_line(&t))
        .filter(|t| !t.is_empty());
    let page_title = prop(&["og:title"]).or_else(|| {
        found
            .title
            .map(|t| strip_site(&t.text().collect::<String>(), site.as_deref()))
    });
    let mut byline =
        crate::byline::scan(doc, headline(&found, page_title.as_deref()).map(|h| h.id()));
    // "twitter:data1" is the author only where "twitter:label1" says "Written by".
    let twitter_author = prop(&["twitter:label1"])
        .filter(|l| l.eq_ignore_ascii_case("written by"))
        .and_then(|_| prop(&["twitter:data1"]));
    let citation_authors: Vec<&str> = props
        .iter()
        .filter(|(k, _)| k == "citation_author")
        .map(|(_, v)| v.as_str())
        .collect();
    let meta_author = prop(&[
        "author",
        "article:author",
        "byl",
        "dc.creator",
        "sailthru.author",
        "parsely-author",
    ])
    .or(twitter_author)
    .or_else(|| (!citation_authors.is_empty()).then(|| citation_authors.join(", ")))
    .filter(|a| !a.starts_with("http"))
    .and_then(|a| crate::byline::meta_names(&a));
    let same_as_site = |a: &str| {
        [site.as_deref(), ld.publisher.as_deref()]
            .into_iter()
            .flatten()
            .any(|s| s.eq_ignore_ascii_case(a))
    };
    let ld_author = ld.author.as_deref().and_then(crate::byline::meta_names);
    // A person named in JSON-LD or the meta tags first; then the visible byline; an
    // organisation as author (often the site itself) only when no person is named.
    let author = ld_author
        .clone()
        .filter(|a| !ld.author_org && !same_as_site(a))
        .or_else(|| meta_author.clone().filter(|a| !same_as_site(a)))
        .or_else(|| byline.author.clone())
        .or_else(|| visible_author(doc))
        .or(ld_author)
        .or(meta_author);
    let canonical = found
        .canonical
        .and_then(|l| attr(l.value(), "href"))
        .filter(|h| h.starts_with("http"))
        .map(str::to_string);
    let url = url
        .map(str::to_string)
        .or(canonical)
        .or_else(|| prop(&["og:url"]).filter(|u| u.starts_with("http")));
    let meta_published = prop(&[
        "article:published_time",
        "og:published_time",
        "og:article:published_time",
        "datepublished",
        "date",
        "pubdate",
        "publishdate",
        "publish-date",
        "publish_date",
        "published",
        "published_time",
        "published-date",
        "w-published-date",
        "article:published",
        "article.published",
        "dc.date.issued",
        "dc.date.created",
        "dc.date",
        "dcterms.date",
        "dcterms.created",
        "sailthru.date",
        "parsely-pub-date",
        "citation_publication_date",
        "citation_date",
        "datecreated",
        "release_date",
    ])
    .and_then(|d| iso_date(&d));
    let meta_modified = prop(&[
        "article:modified_time",
        "og:updated_time",
        "datemodified",
        "dcterms.modified",
        "last-modified",
        "updated",
        "updated date",
    ])
    .and_then(|d| iso_date(&d));
    let time_published = || {
        // TIME_SEL is `time[…]` or reads `itemprop`.
        let may_match = |e: &Element| e.name() == "time" || has_attr_named(e, &["itemprop"]);
        select_where(doc, &TIME_SEL, may_match).find_map(|t| {
            let e = t.value();
            attr(e, "datetime")
                .or_else(|| attr(e, "content"))
                .and_then(iso_date)
        })
    };
    let url_day = url.as_deref().and_then(url_date);
    let script_day = script_date(html);
    // An all-numeric dateline (`03/10/2023`) is read as the page's other dates read it.
    if let Some(alt) = byline.published_alt.take() {
        let others = [
            url_day.as_deref(),
            ld.published.as_deref(),
            meta_published.as_deref(),
            script_day.as_deref(),
            ld.modified.as_deref(),
            meta_modified.as_deref(),
        ];
        if others.contains(&Some(alt.as_str())) && !others.contains(&byline.published.as_deref()) {
            byline.published = Some(alt);
        }
    }
    // A dateline one day off the structured publication date is the same moment on the
    // site's local clock; the structured date is the one the page records.
    if let (Some(b), Some(p)) = (
        byline.published.as_deref(),
        ld.published.as_deref().or(meta_published.as_deref()),
    ) {
        let day = |d: &str| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok();
        if let (Some(bd), Some(pd)) = (day(b), day(p)) {
            if (bd - pd).num_days().abs() == 1 {
                byline.published = Some(p.to_string());
            }
        }
    }
    // Order: a full date in the URL (the CMS's own publication day); a dateline printed next
    // to the headline that is not the page's modification date (metadata dates are often a
    // first draft's or a republication's); structured published dates; other visible dates;
    // the modification date only when nothing gives a publication date.
    let modified_dates = [
        ld.modified.as_deref(),
        meta_modified.as_deref(),
        byline.updated.as_deref(),
    ];
    let published_dates = [ld.published.as_deref(), meta_published.as_deref()];
    let not_modified = |d: &String| {
        !modified_dates.contains(&Some(d.as_str())) || published_dates.contains(&Some(d.as_str()))
    };
    let published = url_day
        .clone()
        .map(|d| (d, "url"))
        .or_else(|| {
            byline
                .published
                .clone()
                .filter(not_modified)
                .map(|d| (d, "byline"))
        })
        .or_else(|| ld.published.clone().map(|d| (d, "json-ld")))
        .or_else(|| meta_published.clone().map(|d| (d, "meta")))
        .or_else(|| script_day.clone().map(|d| (d, "script")))
        .or_else(|| byline.published.clone().map(|d| (d, "byline")))
        .or_else(|| {
            visible_date(doc)
                .filter(not_modified)
                .map(|d| (d, "visible"))
        })
        .or_else(|| time_published().filter(not_modified).map(|d| (d, "time")))
        .or_else(|| byline.updated.clone().map(|d| (d, "byline-updated")))
        .or_else(|| ld.modified.clone().map(|d| (d, "json-ld-modified")))
        .or_else(|| meta_modified.clone().map(|d| (d, "meta-modified")))
        .or_else(|| crate::byline::labelled_date(doc));
    let modified = ld.modified.clone().or(meta_modified).or(byline.updated);
    let language = found
        .html
        .and_then(|h| attr(h.value(), "lang").or_else(|| attr(h.value(), "xml:lang")))
        .and_then(lang_code)
        .or_else(|| {
            prop(&["content-language", "og:locale", "language", "dc.language"])
                .and_then(|l| lang_code(&l))
        })
        .or_else(|| ld.language.and_then(|l| lang_code(&l)));
    let meta = Meta {
        id: None,
        path: None,
        url,
        title,
        author,
        site,
        language,
        published: published.as_ref().map(|(d, _)| d.clone()),
        published_inferred: false,
    };
    PageMeta {
        meta,
        published_from: published.map(|(_, f)| f),
        modified,
        ld_body: ld.body,
    }
}

/// A publication date in page scripts (framework state such as `"publishedAt":"2025-10-20"`,
/// escaped or not), for pages that carry no JSON-LD or meta date.
fn script_date(html: &str) -> Option<String> {
    let c = SCRIPT_DATE.captures(html)?;
    iso_date(c.get(1)?.as_str())
}

static SCRIPT_DATE: Lazy<Regex> = Lazy::new(|| {
    Regex::new(
        r#"(?:\\*"|&quot;)(?:datePublished|publishedAt|publishDate|published_at|publishedDate|publishedOn|date_published|firstPublished|pubDate|publicationDate)(?:\\*"|&quot;)\s*:\s*(?:\\*"|&quot;)([0-9]{4}-[0-9]{2}-[0-9]{2})"#,
    )
    .expect("constant regex")
});

/// Metadata of an HTML page with where its dates came from.
pub(crate) struct PageMeta {
    /// The page's metadata.
    pub meta: Meta,
    /// Where `meta.published` came from (see [`crate::Article::published_from`]).
    pub published_from: Option<&'static str>,
    /// Last-modified date, ISO `YYYY-MM-DD`.
    pub modified: Option<String>,
    /// The article's text from JSON-LD `articleBody`, when the page gives one.
    pub ld_body: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn byline_match_is_the_selector() {
        let page = r#"<html><body>
            <a rel="author">a</a><a rel="AUTHOR">b</a><span rel="Author x">c</span>
            <span itemprop="author">d</span><span itemprop="Author">e</span>
            <div class="post author-name">f</div><div class="authorName">g</div>
            <div class="x-author__name-y">h</div><div class="Byline">i</div>
            <div class="bylines"><p><a href="/x">j</a></p></div><div id="byline"><a>k</a></div>
            <div class="co-author"><span>l</span><a>m</a></div><p class="author">n</p>
            <p class="Author">o</p><p class="authors">p</p><p class="a	author">q</p>
            <svg class="author"><a rel="AUTHOR">r</a><a>s</a></svg><a>t</a>
            </body></html>"#;
        let doc = Html::parse_document(page);
        let mut memo = crate::html::IdMap::default();
        let mut n = 0;
        for node in doc.tree.nodes() {
            let Some(el) = ElementRef::wrap(node) else {
                continue;
            };
            let want = BYLINE_SEL.matches(&el);
            assert_eq!(byline_match(el, &mut memo), want, "{:?}", el.value());
            n += usize::from(want);
        }
        assert_eq!(n, 14);
    }

    #[test]
    fn dates() {
        assert_eq!(
            iso_date("2024-01-10T08:00:00+02:00").as_deref(),
            Some("2024-01-10")
        );
        assert_eq!(iso_date("10.01.2024").as_deref(), Some("2024-01-10"));
        assert_eq!(iso_date("January 9, 2024").as_deref(), Some("2024-01-09"));
        assert_eq!(iso_date("9 January 2024").as_deref(), Some("2024-01-09"));
        assert_eq!(iso_date("20240110").as_deref(), Some("2024-01-10"));
        assert_eq!(iso_date("2024-02-30"), None);
        assert_eq!(
            url_date("https://example.com/world/2024/01/10/kim-hostile/").as_deref(),
            Some("2024-01-10")
        );
        assert_eq!(url_date("https://example.com/a/123456"), None);
    }

    #[test]
    fn titles() {
        assert_eq!(
            strip_site(
                "Kim calls South Korea most hostile state | Daily News",
                None
            ),
            "Kim calls South Korea most hostile state"
        );
        assert_eq!(strip_site("Kim - Profile", None), "Kim - Profile");
    }
}
