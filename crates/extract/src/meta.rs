//! Page metadata: dates, JSON-LD, OpenGraph and `<meta>` tags.

use chrono::NaiveDate;
use once_cell::sync::Lazy;
use regex::Regex;
use scraper::{Html, Selector};
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
static URL_DATE: Lazy<Regex> = Lazy::new(|| {
    Regex::new(r"/((?:19|20)\d\d)[/-](\d\d)[/-](\d\d)(?:/|-|\b)").expect("constant regex")
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
    None
}

/// A date in a URL path (`/2024/01/10/`).
pub(crate) fn url_date(url: &str) -> Option<String> {
    let c = URL_DATE.captures(url)?;
    ymd(&c[1], c[2].parse().ok()?, &c[3])
}

fn sel(s: &str) -> Selector {
    Selector::parse(s).expect("constant selector")
}

static META_SEL: Lazy<Selector> = Lazy::new(|| sel("meta"));
static LDJSON_SEL: Lazy<Selector> = Lazy::new(|| sel(r#"script[type="application/ld+json"]"#));
static TITLE_SEL: Lazy<Selector> = Lazy::new(|| sel("title"));
static H1_SEL: Lazy<Selector> = Lazy::new(|| sel("h1"));
static TIME_SEL: Lazy<Selector> = Lazy::new(|| sel("time[datetime], [itemprop=datePublished]"));
static CANON_SEL: Lazy<Selector> = Lazy::new(|| sel(r#"link[rel="canonical"]"#));
static HTML_SEL: Lazy<Selector> = Lazy::new(|| sel("html"));
static DATE_SEL: Lazy<Selector> = Lazy::new(|| {
    sel(
        r#"time, [class*="date"], [class*="Date"], [id*="date"], [class*="publish"], [class*="posted"], [class*="updated"], [class*="byline"], [class*="meta"]"#,
    )
});
static BYLINE_SEL: Lazy<Selector> = Lazy::new(|| {
    sel(
        r#"[rel="author"], [itemprop="author"], [class*="author-name"], [class*="author__name"], [class*="authorName"], [class*="byline"] a, [class*="byline"], [class*="author"] a, .author"#,
    )
});

/// First visible date in a date-like element (`<time>`, `.post-date`, `.byline`).
fn visible_date(doc: &Html) -> Option<String> {
    doc.select(&DATE_SEL).take(40).find_map(|e| {
        if let Some(d) = e.value().attr("datetime").and_then(iso_date) {
            return Some(d);
        }
        let t: String = e.text().collect();
        let t = crate::blocks::clean_line(&t);
        (t.len() < 120).then(|| iso_date(&t)).flatten()
    })
}

/// A visible byline ("By Jane Doe", `rel=author`), cleaned of "By" and trailing dates.
fn visible_author(doc: &Html) -> Option<String> {
    doc.select(&BYLINE_SEL).take(20).find_map(|e| {
        let t = crate::blocks::clean_line(&e.text().collect::<String>());
        clean_author(&t)
    })
}

static BY: Lazy<Regex> = Lazy::new(|| {
    Regex::new(r"(?i)^(written |posted |reviewed |published )?(by|von|par|por|di)\s*:?\s+")
        .expect("constant regex")
});

/// "By Jane Doe | Jan 5, 2024" → "Jane Doe"; None when it does not look like a name.
fn clean_author(t: &str) -> Option<String> {
    let t = t.replace("&amp;", "&");
    let t = BY.replace(t.trim(), "");
    let t = t
        .split(['|', '•', '·', '\n'])
        .next()
        .unwrap_or_default()
        .trim()
        .trim_end_matches([',', ':', '-'])
        .trim();
    let words = t.split_whitespace().count();
    let ok = (1..=8).contains(&words)
        && t.len() <= 80
        && !t.starts_with("http")
        && t.chars().next().is_some_and(|c| c.is_alphabetic())
        && iso_date(t).is_none()
        && !t.to_lowercase().starts_with("author")
        && !t.contains('@');
    ok.then(|| t.to_string())
}

/// The page's one headline, when it has exactly one `<h1>` of reasonable length.
fn single_h1(doc: &Html) -> Option<String> {
    let mut h1s = doc.select(&H1_SEL);
    let first = crate::blocks::clean_line(&h1s.next()?.text().collect::<String>());
    if h1s.next().is_some() {
        return None;
    }
    let words = first.split_whitespace().count();
    ((2..=30).contains(&words)).then_some(first)
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
    author: Option<String>,
    publisher: Option<String>,
    language: Option<String>,
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

fn ld_meta(doc: &Html) -> LdMeta {
    let mut out = LdMeta::default();
    for script in doc.select(&LDJSON_SEL) {
        let raw: String = script.text().collect();
        let Ok(v) = serde_json::from_str::<Value>(raw.trim()) else {
            continue;
        };
        if let Some(a) = find_article(&v, 0) {
            out.headline = out.headline.or_else(|| a.get("headline").and_then(str_of));
            out.published = out.published.or_else(|| {
                a.get("datePublished")
                    .or_else(|| a.get("dateCreated"))
                    .and_then(str_of)
                    .and_then(|d| iso_date(&d))
            });
            out.author = out.author.or_else(|| a.get("author").and_then(str_of));
            out.publisher = out
                .publisher
                .or_else(|| a.get("publisher").and_then(str_of));
            out.language = out
                .language
                .or_else(|| a.get("inLanguage").and_then(str_of));
        }
    }
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
pub(crate) fn html_meta(doc: &Html, url: Option<&str>) -> Meta {
    let ld = ld_meta(doc);
    let mut props: Vec<(String, String)> = Vec::new();
    for m in doc.select(&META_SEL) {
        let e = m.value();
        let key = e
            .attr("property")
            .or_else(|| e.attr("name"))
            .or_else(|| e.attr("itemprop"))
            .or_else(|| e.attr("http-equiv"));
        if let (Some(k), Some(c)) = (key, e.attr("content")) {
            if !c.trim().is_empty() {
                props.push((k.trim().to_ascii_lowercase(), c.trim().to_string()));
            }
        }
    }
    let prop = |keys: &[&str]| -> Option<String> {
        keys.iter()
            .find_map(|k| props.iter().find(|(pk, _)| pk == k).map(|(_, v)| v.clone()))
    };

    let site = prop(&["og:site_name", "application-name"]).or(ld.publisher);
    // The visible headline is what readers (and gold sets) call the title; metadata titles
    // are often SEO variants.
    let title = single_h1(doc)
        .or(ld.headline)
        .or_else(|| prop(&["og:title", "twitter:title", "dc.title", "headline"]))
        .or_else(|| {
            doc.select(&TITLE_SEL)
                .next()
                .map(|t| strip_site(&t.text().collect::<String>(), site.as_deref()))
        })
        .or_else(|| {
            doc.select(&H1_SEL)
                .next()
                .map(|h| h.text().collect::<String>())
        })
        .map(|t| crate::blocks::clean_line(&t))
        .filter(|t| !t.is_empty());
    let author = ld
        .author
        .or_else(|| {
            prop(&[
                "author",
                "article:author",
                "byl",
                "dc.creator",
                "sailthru.author",
                "parsely-author",
            ])
        })
        .and_then(|a| clean_author(&a))
        .or_else(|| visible_author(doc));
    let canonical = doc
        .select(&CANON_SEL)
        .next()
        .and_then(|l| l.value().attr("href"))
        .filter(|h| h.starts_with("http"))
        .map(str::to_string);
    let url = url
        .map(str::to_string)
        .or(canonical)
        .or_else(|| prop(&["og:url"]).filter(|u| u.starts_with("http")));
    let published = ld
        .published
        .or_else(|| {
            prop(&[
                "article:published_time",
                "og:published_time",
                "datepublished",
                "date",
                "pubdate",
                "publishdate",
                "publish-date",
                "dc.date.issued",
                "dc.date",
                "dcterms.date",
                "sailthru.date",
                "parsely-pub-date",
                "article.published",
                "published_time",
            ])
            .and_then(|d| iso_date(&d))
        })
        .or_else(|| visible_date(doc))
        .or_else(|| {
            doc.select(&TIME_SEL).find_map(|t| {
                let e = t.value();
                e.attr("datetime")
                    .or_else(|| e.attr("content"))
                    .and_then(iso_date)
            })
        })
        .or_else(|| url.as_deref().and_then(url_date));
    let language = doc
        .select(&HTML_SEL)
        .next()
        .and_then(|h| {
            h.value()
                .attr("lang")
                .or_else(|| h.value().attr("xml:lang"))
        })
        .and_then(lang_code)
        .or_else(|| {
            prop(&["content-language", "og:locale", "language", "dc.language"])
                .and_then(|l| lang_code(&l))
        })
        .or_else(|| ld.language.and_then(|l| lang_code(&l)));
    Meta {
        id: None,
        path: None,
        url,
        title,
        author,
        site,
        language,
        published,
        published_inferred: false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
