//! RSS, Atom and JSON Feed files: each item with content becomes a document (its HTML
//! content, or summary), carrying the item's title, link, author and date.

use crate::{Format, IngestError, RawDoc};
use wirecoder_doc::Meta;

/// Whether decoded text is a feed (RSS, RDF, Atom or JSON Feed), by its first bytes.
pub(crate) fn looks_like_feed(text: &str) -> bool {
    let head: String = text
        .trim_start_matches('\u{feff}')
        .trim_start()
        .chars()
        .take(600)
        .collect();
    if head.starts_with('{') {
        return head.contains("jsonfeed.org/version");
    }
    let lower = head.to_ascii_lowercase();
    // Skip the XML declaration and comments: the root element decides.
    let root = lower
        .split('<')
        .map(str::trim_start)
        .find(|t| !t.is_empty() && !t.starts_with('?') && !t.starts_with('!'));
    root.is_some_and(|r| r.starts_with("rss") || r.starts_with("feed") || r.starts_with("rdf:rdf"))
}

/// The documents of a feed; `path` names it in errors and in each item's `source`.
pub(crate) fn feed_docs(path: &str, bytes: &[u8]) -> Vec<Result<RawDoc, IngestError>> {
    let feed = match feed_rs::parser::parse(bytes) {
        Ok(f) => f,
        Err(e) => {
            return vec![Err(IngestError::BadFeed {
                path: path.to_string(),
                reason: e.to_string(),
            })]
        }
    };
    let site = feed.title.as_ref().map(|t| t.content.trim().to_string());
    let mut out = Vec::new();
    for (i, e) in feed.entries.iter().enumerate() {
        let body = e
            .content
            .as_ref()
            .and_then(|c| c.body.clone())
            .or_else(|| e.summary.as_ref().map(|s| s.content.clone()))
            .filter(|b| !b.trim().is_empty());
        let Some(body) = body else {
            out.push(Err(IngestError::BadFeed {
                path: format!("{path}#{}", i + 1),
                reason: "item without content or summary".into(),
            }));
            continue;
        };
        let authors: Vec<&str> = e
            .authors
            .iter()
            .filter_map(|a| a.name.as_deref())
            .map(str::trim)
            .filter(|n| !n.is_empty())
            .collect();
        let published = e
            .published
            .or(e.updated)
            .map(|d| d.format("%Y-%m-%d").to_string());
        out.push(Ok(RawDoc {
            source: format!("{path}#{}", i + 1),
            format: Format::Html,
            // A bare text summary is wrapped so the HTML extractor keeps its paragraphs.
            text: if body.contains('<') {
                body
            } else {
                format!("<p>{}</p>", body.replace("\n\n", "</p><p>"))
            },
            meta: Meta {
                id: Some(e.id.clone()).filter(|i| !i.is_empty()),
                path: Some(path.to_string()),
                url: e.links.first().map(|l| l.href.clone()),
                title: e.title.as_ref().map(|t| t.content.trim().to_string()),
                author: (!authors.is_empty()).then(|| authors.join(", ")),
                site: site.clone(),
                published,
                ..Meta::default()
            },
        }));
    }
    out
}
