//! wirecoder-ingest: turns inputs (files, folders, glob patterns, gzip, JSONL, stdin) into
//! decoded documents.
//!
//! Main items:
//! - [`read_inputs`] / [`read_inputs_with`]: a lazy iterator of [`RawDoc`] results, one input
//!   file read at a time; a bad file yields an [`IngestError`] and iteration goes on.
//! - [`decode`]: bytes to text (BOM, declared charset, UTF-8, then detection).
//! - [`Format`]: how the extractor should read the text (HTML, plain text page, body only).
//! - [`SourceKind`]: what kind of container a file is: a page, JSONL, a WARC archive
//!   (streamed record by record; chunked and gzip/deflate bodies unwrapped, revisit and
//!   non-HTML records passed over, a bad record reported and skipped) or a feed.
//!
//! ```
//! use wirecoder_ingest::{decode, detect_format, Format};
//! let (text, enc) = decode(b"Caf\xe9 owners protested in Paris.", None).unwrap();
//! assert_eq!(text, "Café owners protested in Paris.");
//! assert_eq!(enc, "windows-1252");
//! assert_eq!(detect_format("page.txt", "<!DOCTYPE html><html>"), Format::Html);
//! ```
#![deny(missing_docs)]

mod decode;
mod error;
mod feed;
mod limits;
mod source;
mod warc;

pub use decode::{decode, detect_format};
pub use error::IngestError;
pub use limits::{limit_nesting, nesting_depth, Limits};
pub use source::{read_bytes, read_inputs, read_inputs_with, Inputs, SourceKind};

/// The former name of [`Limits`].
pub type Settings = Limits;

use wirecoder_doc::Meta;

/// How the text of a document should be read by the extractor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    /// HTML markup.
    Html,
    /// Plain text page: the first non-empty line is the title.
    TextPage,
    /// Body text only (JSONL `"text"`): no title line.
    Body,
}

/// One decoded document, ready for extraction.
#[derive(Debug, Clone, PartialEq)]
pub struct RawDoc {
    /// Where it came from: a path, `path:line` for JSONL, or `-` for stdin.
    pub source: String,
    /// How to read `text`.
    pub format: Format,
    /// The decoded text.
    pub text: String,
    /// What the input said about the document (JSONL fields); `path` is set for files.
    pub meta: Meta,
}
