//! One document as one JetStream message: the decoded text as the payload, what the input said
//! about it in headers.
//!
//! The payload is the document's text as read (an HTML page, a text page, or a JSONL document's
//! body), not a JSON envelope, so a message can be looked at with any NATS tool. Header values
//! are kept to printable ASCII (NATS headers are line-oriented); the metadata header is JSON
//! with every non-ASCII character escaped.

use crate::QueueError;
use async_nats::HeaderMap;
use sha2::{Digest, Sha256};
use wirecoder_doc::Meta;
use wirecoder_ingest::{Format, RawDoc};

/// Where the document came from (a path, `path:line`, `path#record`).
pub const SOURCE: &str = "Wirecoder-Source";
/// How to read the payload: `html`, `text` (first line is the title) or `body`.
pub const FORMAT: &str = "Wirecoder-Format";
/// What the input said about the document ([`Meta`] as ASCII-only JSON); optional.
pub const META: &str = "Wirecoder-Meta";
/// Publication date that overrides what the document says (`enqueue --published`); optional.
pub const PUBLISHED: &str = "Wirecoder-Published";
/// Dead letters: why the message was given up.
pub const ERROR: &str = "Wirecoder-Error";
/// Dead letters: how many times it was delivered.
pub const ATTEMPTS: &str = "Wirecoder-Attempts";
/// Dead letters: the subject it was published on.
pub const SUBJECT: &str = "Wirecoder-Subject";

/// A document to be processed: what `wirecoder_ingest` read, plus the publication date
/// override given to `enqueue`.
#[derive(Debug, Clone, PartialEq)]
pub struct Job {
    /// The decoded document.
    pub raw: RawDoc,
    /// `--published` of the enqueue run, overriding what the document says.
    pub published: Option<String>,
}

fn format_name(f: Format) -> &'static str {
    match f {
        Format::Html => "html",
        Format::TextPage => "text",
        Format::Body => "body",
    }
}

fn parse_format(s: &str) -> Option<Format> {
    match s {
        "html" => Some(Format::Html),
        "text" => Some(Format::TextPage),
        "body" => Some(Format::Body),
        _ => None,
    }
}

/// JSON with every non-ASCII character written as `\uXXXX` (surrogate pairs above the BMP), so
/// that it fits in a header value. Control characters are escaped by serde_json already.
fn ascii_json(v: &impl serde::Serialize) -> Result<String, serde_json::Error> {
    let s = serde_json::to_string(v)?;
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c.is_ascii() {
            out.push(c);
        } else {
            let mut buf = [0u16; 2];
            for unit in c.encode_utf16(&mut buf) {
                out.push_str(&format!("\\u{unit:04x}"));
            }
        }
    }
    Ok(out)
}

/// A header value: printable ASCII on one line (anything else becomes `?`), at most `max` bytes.
pub(crate) fn header_value(s: &str, max: usize) -> String {
    let mut out: String = s
        .chars()
        .map(|c| if (' '..='~').contains(&c) { c } else { '?' })
        .collect();
    out.truncate(max);
    out
}

impl Job {
    /// The subject suffix and headers of this job; the payload is `raw.text`.
    pub(crate) fn headers(&self) -> Result<HeaderMap, QueueError> {
        let mut h = HeaderMap::new();
        h.insert(SOURCE, header_value(&self.raw.source, 1024).as_str());
        h.insert(FORMAT, format_name(self.raw.format));
        if self.raw.meta != Meta::default() {
            let meta = ascii_json(&self.raw.meta).map_err(|e| QueueError::Document {
                source_name: self.raw.source.clone(),
                reason: e.to_string(),
            })?;
            h.insert(META, meta.as_str());
        }
        if let Some(p) = &self.published {
            h.insert(PUBLISHED, header_value(p, 64).as_str());
        }
        // JetStream drops a message whose id it saw within the duplicate window: enqueueing
        // the same input twice costs nothing downstream.
        h.insert(
            async_nats::header::NATS_MESSAGE_ID,
            self.content_id().as_str(),
        );
        Ok(h)
    }

    /// The message subject suffix: the format, so that a consumer could filter on it.
    pub(crate) fn subject_suffix(&self) -> &'static str {
        format_name(self.raw.format)
    }

    /// SHA-256 over everything that determines what a worker would store.
    pub fn content_id(&self) -> String {
        let mut h = Sha256::new();
        h.update(format_name(self.raw.format).as_bytes());
        h.update([0]);
        h.update(self.raw.text.as_bytes());
        h.update([0]);
        // Meta serializes deterministically (struct field order).
        h.update(serde_json::to_vec(&self.raw.meta).unwrap_or_default());
        h.update([0]);
        h.update(self.published.as_deref().unwrap_or("").as_bytes());
        h.finalize().iter().map(|b| format!("{b:02x}")).collect()
    }

    /// Reads a job back from a message's headers and payload. Any error here is permanent:
    /// the same message will never decode, so it goes to the dead letters at once.
    pub fn decode(headers: Option<&HeaderMap>, payload: &[u8]) -> Result<Job, String> {
        let empty = HeaderMap::new();
        let h = headers.unwrap_or(&empty);
        let get = |name: &str| h.get(name).map(|v| v.as_str().to_string());
        let source = get(SOURCE).ok_or_else(|| format!("no {SOURCE} header"))?;
        let format = get(FORMAT).ok_or_else(|| format!("no {FORMAT} header"))?;
        let format = parse_format(&format)
            .ok_or_else(|| format!("unknown {FORMAT} {format:?} (html, text or body)"))?;
        let meta = match get(META) {
            Some(m) => {
                serde_json::from_str::<Meta>(&m).map_err(|e| format!("bad {META} header: {e}"))?
            }
            None => Meta::default(),
        };
        let text = std::str::from_utf8(payload)
            .map_err(|e| format!("payload is not UTF-8: {e}"))?
            .to_string();
        Ok(Job {
            raw: RawDoc {
                source,
                format,
                text,
                meta,
            },
            published: get(PUBLISHED),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn job() -> Job {
        Job {
            raw: RawDoc {
                source: "feeds/élysée.jsonl:3".into(),
                format: Format::Body,
                text: "Le président a condamné l'attaque.\n\nSecond paragraph.".into(),
                meta: Meta {
                    id: Some("doc-3".into()),
                    title: Some("Élysée condemns 🚀 strike".into()),
                    published: Some("2024-01-10".into()),
                    ..Meta::default()
                },
            },
            published: Some("2024-01-11".into()),
        }
    }

    #[test]
    fn round_trip_keeps_text_and_meta() {
        let j = job();
        let h = j.headers().unwrap();
        for (_, values) in h.iter() {
            for v in values {
                assert!(v.as_str().is_ascii(), "header {v:?} is not ASCII");
            }
        }
        let back = Job::decode(Some(&h), j.raw.text.as_bytes()).unwrap();
        assert_eq!(back.raw.meta, j.raw.meta);
        assert_eq!(back.raw.text, j.raw.text);
        assert_eq!(back.raw.format, Format::Body);
        assert_eq!(back.published.as_deref(), Some("2024-01-11"));
        // The source header is ASCII-folded; the source stays recognizable.
        assert_eq!(back.raw.source, "feeds/?lys?e.jsonl:3");
    }

    #[test]
    fn malformed_messages_are_refused_with_a_reason() {
        let j = job();
        let h = j.headers().unwrap();
        let err = Job::decode(Some(&h), b"caf\xe9").unwrap_err();
        assert!(err.contains("not UTF-8"), "{err}");
        let err = Job::decode(None, b"text").unwrap_err();
        assert!(err.contains(SOURCE), "{err}");
        let mut bad = HeaderMap::new();
        bad.insert(SOURCE, "x");
        bad.insert(FORMAT, "pdf");
        assert!(Job::decode(Some(&bad), b"text")
            .unwrap_err()
            .contains("pdf"));
    }

    #[test]
    fn content_id_tells_documents_apart() {
        let a = job();
        let mut b = job();
        b.raw.text.push('!');
        assert_ne!(a.content_id(), b.content_id());
        assert_eq!(a.content_id(), job().content_id());
    }
}
