//! wirecoder-extract: turns a page (HTML, a plain text page, or a body text) into an
//! [`Article`]: metadata, the clean main text, heading spans and stories.
//!
//! - [`extract_html`]: one DOM parse; metadata from JSON-LD, OpenGraph, `<meta>`, `<time>`,
//!   `<html lang>`, canonical links and URL dates; main text by a cascade (boilerplate removal,
//!   known content containers, then readability-style scoring).
//! - [`extract_text_page`]: the first non-empty line is the title (it goes to `meta.title`
//!   and is **not** repeated in `text`); site furniture lines are dropped.
//! - [`extract_body`]: body text without a title line (JSONL `"text"`).
//!
//! Paragraphs in `text` are separated by `"\n\n"`; headings stay in the text and their byte
//! spans are listed in [`Article::headings`]. A headline-like heading followed by prose starts
//! a new [`Story`]; the first story's title is the page title.
//!
//! ```
//! use wirecoder_extract::extract_text_page;
//! let page = "Kim Visits Russia\n\nNorth Korean leader Kim Jong Un held talks with Vladimir Putin.\n\n\
//!             Seoul Warns Of Deeper Military Ties With Moscow\n\nSouth Korea said the talks were a threat.\n\n\
//!             Leave a Comment\n";
//! let a = extract_text_page(page);
//! assert_eq!(a.meta.title.as_deref(), Some("Kim Visits Russia"));
//! assert_eq!(a.stories.len(), 2);
//! assert!(!a.text.contains("Leave a Comment"));
//! ```
#![deny(missing_docs)]

mod blocks;
mod byline;
mod eval;
mod html;
mod lang;
mod meta;

pub use blocks::{is_furniture, is_heading_line};
pub use eval::{
    author_matches, decode_page, evaluate, load_suite, shingle_prf, title_matches, word_prf,
    EvalCase, EvalError, EvalReport, Suite,
};
pub use html::extract_html;
pub use meta::iso_date;

use wirecoder_doc::{Meta, Span, Story};

/// What extraction gives: metadata, clean text, headings and stories.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Article {
    /// Page metadata (title, author, site, language, published date, url).
    pub meta: Meta,
    /// Clean main text, paragraphs separated by `"\n\n"`.
    pub text: String,
    /// Byte spans of heading lines in `text`.
    pub headings: Vec<Span>,
    /// Stories in `text` (at least one when there is text).
    pub stories: Vec<Story>,
    /// Where `meta.published` came from (HTML pages): `url` (a full date in the URL path),
    /// `byline` (a dateline next to the headline), `json-ld`, `meta`, `script` (page
    /// scripts), `visible`, `time`; or, when the page gives no publication date, its
    /// modification date: `byline-updated`, `json-ld-modified`, `meta-modified`; last, a
    /// labelled date anywhere on the page: `labelled` ("Posted on …"), `labelled-updated`.
    pub published_from: Option<&'static str>,
    /// Last-modified date (`YYYY-MM-DD`), when the page gives one apart from `published`.
    pub modified: Option<String>,
}

/// Errors of this crate. Extraction itself never fails (bad input gives an empty article);
/// this type exists for callers that need to reject such articles.
#[derive(Debug, thiserror::Error)]
pub enum ExtractError {
    /// No main text was found in the page.
    #[error("{path}: no main text found")]
    NoText {
        /// The page's path or URL.
        path: String,
    },
}

impl Article {
    /// `Err(NoText)` when the article has no text, naming `path`.
    pub fn require_text(self, path: &str) -> Result<Article, ExtractError> {
        if self.text.trim().is_empty() {
            Err(ExtractError::NoText {
                path: path.to_string(),
            })
        } else {
            Ok(self)
        }
    }
}

/// Extract a plain text page: the first non-empty line is the title, then the body.
pub fn extract_text_page(text: &str) -> Article {
    let mut lines = text.lines();
    let mut title = None;
    for l in lines.by_ref() {
        let t = blocks::clean_line(l);
        if !t.is_empty() {
            title = Some(t);
            break;
        }
    }
    let rest: Vec<&str> = lines.collect();
    let meta = Meta {
        title,
        ..Meta::default()
    };
    blocks::assemble(blocks::text_blocks(&rest), meta)
}

/// Extract body text that has no title line (JSONL `"text"`); `meta` is kept as given.
pub fn extract_body(text: &str, meta: Meta) -> Article {
    let lines: Vec<&str> = text.lines().collect();
    blocks::assemble(blocks::text_blocks(&lines), meta)
}
