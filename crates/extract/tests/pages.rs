//! Extraction on real text: the seed page, small HTML fixtures, and (when the shared data is
//! present) a few trafilatura-eval pages.

use std::io::Read;
use std::path::Path;
use wirecoder_extract::{extract_body, extract_html, extract_text_page};

const SEED: &str = "../../../shared/seed/000_b51c4bc65cb444b7.txt";

#[test]
fn seed_page() {
    let Ok(page) = std::fs::read_to_string(SEED) else {
        eprintln!("seed not found, skipped");
        return;
    };
    let a = extract_text_page(&page);
    assert_eq!(
        a.meta.title.as_deref(),
        Some("The US And Its Allies Denounce Weapon Exchanges Between North Korea And Russia")
    );
    assert!(a
        .text
        .starts_with("Since the onset of the Ukraine conflict"));
    assert!(
        a.text
            .ends_with("since its initial nuclear bomb test in 2006."),
        "{}",
        a.text
    );
    for junk in [
        "Leave a Comment",
        "Your email address",
        "Required fields",
        "Content is protected",
        "Scroll to Top",
    ] {
        assert!(!a.text.contains(junk), "{junk}");
    }
    assert!(a.text.contains("\n\nImportant Quotes!\n\n"));
    let heads: Vec<&str> = a.headings.iter().map(|s| &a.text[s.start..s.end]).collect();
    assert_eq!(
        heads,
        [
            "Important Quotes!",
            "North Korea Chief Consider South Korea as Most Hostile State"
        ]
    );
    assert_eq!(a.stories.len(), 2);
    assert_eq!(a.stories[0].title, a.meta.title);
    assert_eq!(a.stories[0].span.start, 0);
    let second = &a.stories[1];
    assert_eq!(
        second.title.as_deref(),
        Some("North Korea Chief Consider South Korea as Most Hostile State")
    );
    assert!(a.text[second.span.start..].starts_with("North Korea Chief Consider"));
    assert_eq!(second.span.end, a.text.len());
    assert!(a.text[a.stories[0].span.start..a.stories[0].span.end]
        .ends_with("a succinct “No comment.”"));
    // Paragraphs are separated by exactly one blank line (the seed had a double one).
    assert!(!a.text.contains("\n\n\n"));
}

#[test]
fn body_text_keeps_meta_and_is_one_story() {
    let meta = wirecoder_doc::Meta {
        title: Some("Kim calls South Korea most hostile state".into()),
        ..Default::default()
    };
    let a = extract_body(
        "North Korean leader Kim Jong Un declared that South Korea is the “most hostile” state.",
        meta,
    );
    assert_eq!(
        a.text,
        "North Korean leader Kim Jong Un declared that South Korea is the “most hostile” state."
    );
    assert_eq!(a.stories.len(), 1);
    assert_eq!(
        a.stories[0].title.as_deref(),
        Some("Kim calls South Korea most hostile state")
    );
    assert!(a.headings.is_empty());
}

const NEWS_HTML: &str = r##"<!DOCTYPE html>
<html lang="en-GB"><head>
<meta charset="utf-8">
<title>Allies denounce arms transfers | World Wire</title>
<meta property="og:site_name" content="World Wire">
<meta property="og:title" content="US and allies denounce North Korea-Russia arms transfers">
<meta property="article:published_time" content="2024-01-09T18:30:00Z">
<meta name="author" content="Jane Reporter">
<link rel="canonical" href="https://worldwire.example/2024/01/09/allies-denounce/">
<script type="application/ld+json">{"@context":"https://schema.org","@type":"NewsArticle",
 "headline":"US and allies denounce North Korea-Russia arms transfers","datePublished":"2024-01-09",
 "author":[{"@type":"Person","name":"Jane Reporter"}],"publisher":{"@type":"Organization","name":"World Wire"}}</script>
<script>var tracking = "Subscribe now!";</script>
</head><body class="single has-sidebar">
<header><nav><a href="/">Home</a> <a href="/world">World</a></nav></header>
<div class="share-buttons"><a href="#">Share on Facebook</a></div>
<article>
<h1>US and allies denounce North Korea-Russia arms transfers</h1>
<div class="byline">By Jane Reporter</div>
<div class="entry-content">
<p>In a joint statement issued on Tuesday, the United States and its allies expressed strong disapproval of arms transfers between Russia and North Korea.</p>
<p>The statement specifically highlighted Russia&#8217;s acquisition of North Korean ballistic missiles and their deployment against Ukraine on December 30 and January 2.</p>
<h2>Important Quotes!</h2>
<p>When questioned about the accusations, Kremlin spokesman Dmitry Peskov responded with a succinct <em>&#8220;No comment.&#8221;</em></p>
<h2>North Korea Chief Consider South Korea as Most Hostile State</h2>
<p>North Korean leader Kim Jong Un declared that it is now appropriate to characterize South Korea as the most hostile state, state media KCNA reported on Wednesday.</p>
<div class="related-posts"><h3>Related Posts</h3><ul><li><a href="/x">Seoul protests missile launch near the border</a></li></ul></div>
<p>Share this:</p>
</div>
</article>
<aside class="sidebar"><p>Most read: Seoul protests missile launch, markets fall sharply in Tokyo and Seoul.</p></aside>
<div id="comments"><p>Great article, thanks for writing it up so clearly for everyone.</p></div>
<footer><p>&copy; 2024 World Wire. All rights reserved.</p></footer>
</body></html>"##;

#[test]
fn html_news_page() {
    let a = extract_html(NEWS_HTML, None);
    let m = &a.meta;
    assert_eq!(
        m.title.as_deref(),
        Some("US and allies denounce North Korea-Russia arms transfers")
    );
    assert_eq!(m.published.as_deref(), Some("2024-01-09"));
    assert_eq!(m.author.as_deref(), Some("Jane Reporter"));
    assert_eq!(m.site.as_deref(), Some("World Wire"));
    assert_eq!(m.language.as_deref(), Some("en"));
    assert_eq!(
        m.url.as_deref(),
        Some("https://worldwire.example/2024/01/09/allies-denounce/")
    );

    assert!(
        a.text.starts_with("In a joint statement issued on Tuesday"),
        "{}",
        a.text
    );
    assert!(a.text.contains("Russia’s acquisition"));
    assert!(a.text.contains("a succinct “No comment.”"));
    for junk in [
        "Share",
        "Related",
        "Most read",
        "Great article",
        "All rights reserved",
        "Home",
        "Subscribe",
        "By Jane",
    ] {
        assert!(!a.text.contains(junk), "{junk} in {}", a.text);
    }
    let heads: Vec<&str> = a.headings.iter().map(|s| &a.text[s.start..s.end]).collect();
    assert_eq!(
        heads,
        [
            "Important Quotes!",
            "North Korea Chief Consider South Korea as Most Hostile State"
        ]
    );
    assert_eq!(a.stories.len(), 2);
    assert_eq!(
        a.stories[1].title.as_deref(),
        Some("North Korea Chief Consider South Korea as Most Hostile State")
    );
}

#[test]
fn html_without_containers_uses_scoring_and_url_date() {
    let html = r#"<html><body>
<div id="top"><a href="/">Home</a> | <a href="/news">News</a> | <a href="/sport">Sport</a></div>
<div id="x1">
<p>Last week, Russia launched a series of missile strikes on Kharkiv, resulting in two fatalities and over 60 injuries.</p>
<p>This marked one of the most substantial missile and drone attacks since the initiation of the extensive conflict in February 2022, officials said.</p>
<p>It is worth noting that North Korea has been subject to a United Nations arms embargo since its initial nuclear bomb test in 2006.</p>
</div>
<div id="x2"><a href="/a">Kharkiv mayor speaks</a><br><a href="/b">Markets</a></div>
</body></html>"#;
    let a = extract_html(
        html,
        Some("https://news.example/world/2024/01/10/kharkiv-strikes"),
    );
    assert_eq!(a.meta.published.as_deref(), Some("2024-01-10"));
    assert_eq!(
        a.meta.url.as_deref(),
        Some("https://news.example/world/2024/01/10/kharkiv-strikes")
    );
    assert_eq!(a.text.matches("\n\n").count(), 2, "{}", a.text);
    assert!(a.text.starts_with("Last week, Russia launched"));
    assert!(!a.text.contains("Home") && !a.text.contains("Markets"));
}

#[test]
fn broken_html_does_not_panic() {
    for h in [
        "",
        "<",
        "<html><body><p>unclosed <b>bold",
        "<script>only</script>",
        "\u{0}\u{1}<p>x",
    ] {
        let _ = extract_html(h, None);
    }
    assert!(extract_text_page("").text.is_empty());
    assert!(extract_text_page("Only A Title").stories.is_empty());
}

/// Pages of trafilatura's evaluation set (read in place when present, never copied).
#[test]
fn trafilatura_eval_samples() {
    let dir = Path::new("../../../shared/eval/extraction/trafilatura-eval");
    let Ok(raw) = std::fs::read(dir.join("evaldata.json")) else {
        eprintln!("trafilatura-eval not found, skipped");
        return;
    };
    let data: serde_json::Value = serde_json::from_slice(&raw).unwrap();
    let norm = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    let (mut found, mut total, mut junk) = (0, 0, 0);
    for (url, v) in data.as_object().unwrap().iter().take(60) {
        let file = v["file"].as_str().unwrap();
        let Some(path) = ["eval", "cache"]
            .iter()
            .map(|d| dir.join(d).join(format!("{file}.gz")))
            .find(|p| p.exists())
        else {
            continue;
        };
        let mut bytes = Vec::new();
        flate2::read::GzDecoder::new(std::fs::File::open(path).unwrap())
            .read_to_end(&mut bytes)
            .unwrap();
        let html = String::from_utf8_lossy(&bytes);
        let text = norm(&extract_html(&html, Some(url)).text);
        for s in v["with"].as_array().unwrap() {
            total += 1;
            found += text.contains(&norm(s.as_str().unwrap())) as usize;
        }
        for s in v["without"].as_array().unwrap() {
            junk += text.contains(&norm(s.as_str().unwrap())) as usize;
        }
    }
    eprintln!(
        "trafilatura-eval (60 pages): {found}/{total} wanted snippets found, {junk} unwanted"
    );
    assert!(
        total > 0 && found * 10 >= total * 8,
        "recall {found}/{total}"
    );
}

/// A page with `body` inside a minimal article shell and `head` in `<head>`.
fn dated_page(head: &str, body: &str) -> String {
    format!(
        "<html><head><title>Solar Panels: A Guide</title>{head}</head><body>{body}</body></html>"
    )
}

const PROSE: &str =
    "<p>Solar panels turn sunlight into electricity for homes and businesses, and the \
    cost of installing them has fallen steadily over the last decade in most markets.</p>";

#[test]
fn dateline_above_headline_beats_related_list_below() {
    // The dateline sits above the headline; a list of related posts with their own dates
    // follows a short intro.
    let related: String = ["July 15, 2025", "June 9, 2025", "June 5, 2025"]
        .iter()
        .map(|d| format!("<li><a href=\"/p\">Another post</a> <span>{d}</span></li>"))
        .collect();
    let page = dated_page(
        "",
        &format!(
            "<article><span>January 16, 2025</span><h1>Solar Panels: A Guide</h1>\
             <p>How panels work.</p><ul>{related}</ul>{PROSE}</article>"
        ),
    );
    let a = extract_html(&page, None);
    assert_eq!(a.meta.published.as_deref(), Some("2025-01-16"));
    assert_eq!(a.published_from, Some("byline"));
}

#[test]
fn dates_in_the_body_and_embeds_are_not_the_dateline() {
    // An embedded post's date and a date deep in the text are not the page's date; the
    // structured one is.
    let body = format!(
        "<article><h1>Solar Panels: A Guide</h1>{}<blockquote><p>Panels are cheap now.</p>\
         — Jane Roe (@jroe) <a href=\"/s\">October 16, 2024</a></blockquote>\
         <p>On March 3, 2019 the first panel went up.</p></article>",
        PROSE.repeat(4)
    );
    let page = dated_page(
        r#"<meta property="article:published_time" content="2025-12-19T08:00:00Z">"#,
        &body,
    );
    let a = extract_html(&page, None);
    assert_eq!(a.meta.published.as_deref(), Some("2025-12-19"));
    assert_eq!(a.published_from, Some("meta"));
}

#[test]
fn numeric_dateline_is_read_as_the_metadata_reads_it() {
    // "09.10.2024" is 10 September here (the JSON-LD says so), not 9 October.
    let page = dated_page(
        r#"<script type="application/ld+json">{"@type":"Article","datePublished":"2024-09-10"}</script>"#,
        &format!("<article><h1>Solar Panels: A Guide</h1><p>By Block Team</p><p>09.10.2024</p>{PROSE}</article>"),
    );
    let a = extract_html(&page, None);
    assert_eq!(a.meta.published.as_deref(), Some("2024-09-10"));
    assert_eq!(a.published_from, Some("byline"));
    // With nothing to confirm either reading, the dateline is read day first.
    let page = dated_page(
        "",
        &format!("<article><h1>Solar Panels: A Guide</h1><p>09.10.2024</p>{PROSE}</article>"),
    );
    assert_eq!(
        extract_html(&page, None).meta.published.as_deref(),
        Some("2024-10-09")
    );
}

#[test]
fn headline_is_not_a_footer_heading_and_may_be_an_h2() {
    // The only <h1> is a footer heading; the headline is an <h2> that reads as the title.
    let page = dated_page(
        "",
        &format!(
            "<div><h2>Solar Panels: The Complete Guide</h2><small>December 17, 2025</small>{PROSE}</div>\
             <footer><h1>Contact Us</h1><p>Recorded on August 19, 2025</p></footer>"
        ),
    );
    let a = extract_html(&page, None);
    assert_eq!(a.meta.published.as_deref(), Some("2025-12-17"));
}

#[test]
fn labelled_date_anywhere_when_nothing_else_dates_the_page() {
    let page = dated_page(
        "",
        &format!(
            "<article><h1>Solar Panels: A Guide</h1>{}<div class=\"x\"><span>Posted on April 13, 2023</span></div></article>\
             <footer><p>Site last updated: December 20, 2025</p></footer>",
            PROSE.repeat(6)
        ),
    );
    let a = extract_html(&page, None);
    assert_eq!(a.meta.published.as_deref(), Some("2023-04-13"));
    assert_eq!(a.published_from, Some("labelled"));
    // The site's footer date is never the page's.
    let page = dated_page(
        "",
        &format!(
            "<article><h1>Solar Panels: A Guide</h1>{}</article><footer><p>Site last updated: December 20, 2025</p></footer>",
            PROSE.repeat(6)
        ),
    );
    assert_eq!(extract_html(&page, None).meta.published, None);
}

#[test]
fn more_date_forms() {
    // Journal metadata ("2023 Jan 7"), month names in URLs, JSON-LD in an HTML attribute,
    // an ISO timestamp shown as text.
    let page = dated_page(
        r#"<meta name="citation_publication_date" content="2023 Jan 7">"#,
        PROSE,
    );
    assert_eq!(
        extract_html(&page, None).meta.published.as_deref(),
        Some("2023-01-07")
    );
    let page = dated_page("", PROSE);
    let a = extract_html(
        &page,
        Some("https://example.org/blog/2023/october/03/wine-styles"),
    );
    assert_eq!(a.meta.published.as_deref(), Some("2023-10-03"));
    let page = dated_page(
        "",
        &format!(
            r#"<div data-page="{{&quot;datePublished&quot;:&quot;2025-11-17T09:00:00-05:00&quot;}}"></div>{PROSE}"#
        ),
    );
    assert_eq!(
        extract_html(&page, None).meta.published.as_deref(),
        Some("2025-11-17")
    );
    let page = dated_page(
        "",
        &format!("<article><h1>Solar Panels: A Guide</h1><p>Nick van Mead</p><p><span>2022-11-23T08:10+02:00</span></p>{PROSE}</article>"),
    );
    assert_eq!(
        extract_html(&page, None).meta.published.as_deref(),
        Some("2022-11-23")
    );
}

const ARTICLE_PARAS: [&str; 4] = [
    "Your data team is drowning in requests, and business users wait days for simple reports that should take minutes.",
    "To fix these issues, you need the right analytics platform, one that lets people ask their own questions of governed data.",
    "Your platform needs to control who sees what data, down to the row, without a ticket to the data team for every change.",
    "Finally, look at the cost of running it: a platform that is cheap to buy can be expensive to keep, once usage grows.",
];

#[test]
fn article_inside_a_header_section_is_kept() {
    // Page builders (Webflow) wrap the article body in a <header> section.
    let paras: String = ARTICLE_PARAS
        .iter()
        .map(|p| format!("<p>{p}</p>"))
        .collect();
    let page = format!(
        "<html><body><header class=\"site\"><nav><a href=\"/\">Home</a></nav></header>\
         <main><header class=\"section_blog\"><h1>Enterprise Analytics</h1>\
         <div class=\"blog-rt w-richtext\">{paras}</div></header>\
         <section class=\"cta\"><p>{}</p></section></main>\
         <footer><p>© 2025 Example Inc. All rights reserved.</p></footer></body></html>",
        "Book a demo with our team to see how analytics can work for your company. ".repeat(4)
    );
    let a = extract_html(&page, None);
    for p in ARTICLE_PARAS {
        assert!(a.text.contains(p), "{p} not in {}", a.text);
    }
    assert!(!a.text.contains("Home"));
}

#[test]
fn article_inside_a_sidebar_layout_is_kept() {
    // The theme names the article's column after the layout ("sidebar-container"); the
    // strict pass finds only the "recent posts" box.
    let paras: String = ARTICLE_PARAS
        .iter()
        .map(|p| format!("<p>{p}</p>"))
        .collect();
    let page = format!(
        "<html><body><div class=\"sidebar-container\"><div id=\"the-content-container\">\
         <h1>Enterprise Analytics</h1>{paras}{paras}</div></div>\
         <div class=\"recent-posts\"><div class=\"post-card\">\
         <p>Learn how to internationalize Next.js apps with Lingui and next-intl, covering the App Router and routing.</p>\
         <p>A guide to testing React components with Vitest, from the first render to mocking the network layer.</p>\
         </div></div></body></html>"
    );
    let a = extract_html(&page, None);
    for p in ARTICLE_PARAS {
        assert!(a.text.contains(p), "{p} not in {}", a.text);
    }
}

#[test]
fn article_split_into_sections_is_kept_whole() {
    // A CMS renders one section per heading, each in its own nested wrappers; the scoring
    // must take the whole article, not the best section.
    let sections: String = ARTICLE_PARAS
        .iter()
        .enumerate()
        .map(|(i, p)| {
            format!(
                "<section id=\"s{i}\"><div class=\"rc\"><div class=\"rt\"><h2>Part {i}</h2>\
                 <p>{p}</p><p>{p} Again, in other words, for emphasis.</p></div></div></section>"
            )
        })
        .collect();
    let page = format!(
        "<html><body><div class=\"page\"><div class=\"article-main\">{sections}</div>\
         <div class=\"rail\"><p>Subscribe for more guides like this one, every week, free of charge.</p></div>\
         </div></body></html>"
    );
    let a = extract_html(&page, None);
    for p in ARTICLE_PARAS {
        assert!(a.text.contains(p), "{p} not in {}", a.text);
    }
}

#[test]
fn calls_to_act_after_the_article_are_dropped() {
    // Sites append their reprint terms and "follow us" lines to every story; a last
    // paragraph that only mentions a social network is content.
    let paras: String = ARTICLE_PARAS
        .iter()
        .map(|p| format!("<p>{p}</p>"))
        .collect();
    let page = format!(
        "<html><body><article><h1>Enterprise Analytics</h1>{paras}\
         <p>The company said on Facebook that it would appeal the ruling.</p>\
         <p><em>This article is the copyrighted property of Example News. Written permission must be obtained before reprint.</em></p>\
         <p>For the latest stories and breaking news updates, follow us on Telegram.</p>\
         </article></body></html>"
    );
    let a = extract_html(&page, None);
    assert!(
        a.text.ends_with("it would appeal the ruling."),
        "{}",
        a.text
    );
}

#[test]
fn paragraphs_of_links_to_other_stories_are_dropped() {
    // A "more on this" paragraph made of two long headline links is not the article.
    let paras: String = ARTICLE_PARAS
        .iter()
        .map(|p| format!("<p>{p}</p>"))
        .collect();
    let page = format!(
        "<html><body><article><h1>Enterprise Analytics</h1>{paras}\
         <p><a href=\"/a\">Why the biggest banks are moving their data warehouses to the cloud this year</a> | \
         <a href=\"/b\">Five questions to ask before you buy a business intelligence tool for your team</a></p>\
         <p>Analysts expect spending on such platforms to keep growing through 2026.</p>\
         </article></body></html>"
    );
    let a = extract_html(&page, None);
    assert!(!a.text.contains("biggest banks"), "{}", a.text);
    assert!(a.text.contains("keep growing through 2026"));
}

/// A standfirst printed in the article's header, between the headline and the body, belongs
/// to the article; an author's bio or an affiliate note in the same place does not.
#[test]
fn lead_outside_the_body_container() {
    let body = "The council met on Tuesday and voted to close the old bridge to traffic, \
                citing a survey of its supports. "
        .repeat(6);
    let html = format!(
        r#"<html><body><nav><a href="/">Home</a></nav><article>
        <header><h1>Council closes the old bridge</h1>
        <p class="byline">By Jane Roe</p>
        <div class="article-teaser"><p>The river crossing will shut for two years while engineers
        rebuild its piers, the council said.</p></div>
        <p>We may earn a commission from links on this page, but we only recommend what we trust.</p>
        </header>
        <div class="entry-content"><p>{body}</p><p>{body}</p></div></article>
        <aside><p>Jane Roe is a senior writer covering city hall for the paper.</p></aside>
        </body></html>"#
    );
    let a = extract_html(&html, None);
    assert!(
        a.text
            .starts_with("The river crossing will shut for two years"),
        "{}",
        a.text
    );
    assert!(!a.text.contains("commission"), "{}", a.text);
    assert!(!a.text.contains("senior writer"), "{}", a.text);
    assert!(!a.text.contains("By Jane Roe"), "{}", a.text);
}

/// A dateline one day off the page's structured publication date is the same moment on the
/// site's clock: the structured day is kept (a dateline two days off is another date).
#[test]
fn dateline_a_day_off_the_structured_date() {
    let page = |shown: &str| {
        format!(
            r#"<html><head><meta property="article:published_time" content="2025-07-05T00:04:00+00:00"></head>
            <body><article><h1>Best cameras for travel this summer</h1><p class="date">{shown}</p>
            <p>{}</p></article></body></html>"#,
            "We tried a dozen cameras on the road and kept notes on each of them. ".repeat(8)
        )
    };
    let a = extract_html(&page("July 4, 2025"), None);
    assert_eq!(a.meta.published.as_deref(), Some("2025-07-05"));
    let a = extract_html(&page("July 2, 2025"), None);
    assert_eq!(a.meta.published.as_deref(), Some("2025-07-02"));
}

/// The title of a list of links to other stories goes with the list; a bare date stamp is
/// dropped, but a date in a table cell is data.
#[test]
fn list_titles_and_date_stamps() {
    let para =
        "The museum reopened its east wing after two years of repairs to the roof. ".repeat(5);
    let html = format!(
        r#"<html><body><article><h1>Museum reopens</h1><div class="entry-content">
        <p>{para}</p><p>23.10.2018</p>
        <table><tr><td>1/1/2013</td><td>+13.1%</td></tr></table>
        <p>{para}</p>
        <h3>More from the city desk</h3>
        <ul><li><a href="/a">A long headline about another story in town</a></li>
        <li><a href="/b">Yet another headline about the council and its budget</a></li></ul>
        <p>{para}</p></div></article></body></html>"#
    );
    let a = extract_html(&html, None);
    assert!(!a.text.contains("More from the city desk"), "{}", a.text);
    assert!(!a.text.contains("23.10.2018"), "{}", a.text);
    assert!(a.text.contains("1/1/2013"), "{}", a.text);
}

/// Ruby annotations (furigana) are not read into the text they annotate.
#[test]
fn ruby_annotations_are_left_out() {
    let para = "<ruby>子<rt>こ</rt></ruby>どもへの<ruby>虐待<rp>(</rp><rt>ぎゃくたい</rt><rp>)</rp></ruby>をなくすための法律ができました。"
        .repeat(6);
    let html = format!(
        "<html><body><article><h1>法律</h1><p>{para}</p><p>{para}</p></article></body></html>"
    );
    let a = extract_html(&html, None);
    assert!(a.text.contains("子どもへの虐待をなくす"), "{}", a.text);
}

/// A page whose article is rendered by scripts keeps its text in JSON-LD `articleBody`.
#[test]
fn json_ld_article_body_when_the_markup_is_empty() {
    let body = "The election result surprised observers across the region. ".repeat(12);
    let html = format!(
        r#"<html><head><script type="application/ld+json">
        {{"@type":"NewsArticle","headline":"A surprise result","articleBody":"{body}\n{body}"}}
        </script></head><body><div id="app"><h1>A surprise result</h1><p>Loading…</p></div></body></html>"#
    );
    let a = extract_html(&html, None);
    assert!(
        a.text.starts_with("The election result surprised"),
        "{}",
        a.text
    );
}
