//! Input expansion (files, folders, globs, stdin) and file reading (gzip, JSONL).

use crate::decode::{decode_owned, detect_format};
use crate::feed::{feed_docs, looks_like_feed};
use crate::limits::{limit_nesting, Limits};
use crate::warc::{next_warc, WarcReader};
use crate::{Format, IngestError, RawDoc};
use flate2::read::MultiGzDecoder;
use std::borrow::Cow;
use std::collections::VecDeque;
use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use wirecoder_doc::Meta;

/// What kind of container a file is, from its name (a `.gz` suffix is looked through).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum SourceKind {
    /// One page per file (HTML or plain text).
    Page,
    /// One JSON document per line.
    Jsonl,
    /// A WARC (or WET) archive: many records.
    Warc,
    /// An RSS, Atom or JSON feed (also recognised by content).
    Feed,
}

impl SourceKind {
    /// The kind a file name suggests.
    pub fn of(name: &str) -> SourceKind {
        let lower = name.to_ascii_lowercase();
        let lower = lower.strip_suffix(".gz").unwrap_or(&lower);
        if lower.ends_with(".jsonl") || lower.ends_with(".ndjson") {
            SourceKind::Jsonl
        } else if lower.ends_with(".warc") || lower.ends_with(".wet") {
            SourceKind::Warc
        } else if [".rss", ".atom", ".rdf", "feed.json"]
            .iter()
            .any(|x| lower.ends_with(x))
        {
            SourceKind::Feed
        } else {
            SourceKind::Page
        }
    }
}

/// Read every input with default [`Limits`]. See [`read_inputs_with`].
pub fn read_inputs(inputs: &[String]) -> Inputs {
    read_inputs_with(inputs, Limits::default())
}

/// Read inputs lazily, one file at a time: files, folders (walked recursively in name order,
/// hidden entries skipped), glob patterns, and `-` for stdin. Each bad input yields an
/// [`IngestError`] naming it, and iteration goes on with the next.
pub fn read_inputs_with(inputs: &[String], settings: Limits) -> Inputs {
    Inputs {
        settings,
        inputs: inputs.iter().cloned().collect(),
        paths: VecDeque::new(),
        ready: VecDeque::new(),
        jsonl: None,
        warc: None,
    }
}

/// The iterator returned by [`read_inputs`].
pub struct Inputs {
    settings: Limits,
    inputs: VecDeque<String>,
    paths: VecDeque<PathBuf>,
    ready: VecDeque<Result<RawDoc, IngestError>>,
    jsonl: Option<JsonlReader>,
    warc: Option<WarcReader>,
}

impl std::fmt::Debug for Inputs {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Inputs")
            .field("inputs", &self.inputs)
            .field("paths", &self.paths)
            .finish_non_exhaustive()
    }
}

/// A JSONL file being streamed line by line.
struct JsonlReader {
    path: String,
    reader: Box<dyn BufRead>,
    line: usize,
}

impl Iterator for Inputs {
    type Item = Result<RawDoc, IngestError>;

    fn next(&mut self) -> Option<Self::Item> {
        let r = self.next_raw()?;
        Some(r.map(|mut d| {
            // Every HTML document, whatever its container, goes through the nesting limit
            // before anyone builds a tree of it.
            if d.format == Format::Html {
                if let Cow::Owned(flat) = limit_nesting(&d.text, self.settings.max_nesting) {
                    d.text = flat;
                }
            }
            d
        }))
    }
}

impl Inputs {
    fn next_raw(&mut self) -> Option<Result<RawDoc, IngestError>> {
        loop {
            if let Some(r) = self.ready.pop_front() {
                return Some(r);
            }
            if let Some(j) = self.jsonl.as_mut() {
                match next_jsonl(j, self.settings.max_page_bytes) {
                    Some(r) => return Some(r),
                    None => {
                        self.jsonl = None;
                        continue;
                    }
                }
            }
            if let Some(w) = self.warc.as_mut() {
                match next_warc(w, &self.settings) {
                    Some(r) => return Some(r),
                    None => {
                        self.warc = None;
                        continue;
                    }
                }
            }
            if let Some(p) = self.paths.pop_front() {
                self.open_file(&p);
                continue;
            }
            let input = self.inputs.pop_front()?;
            self.expand(&input);
        }
    }

    /// Turn one input argument into paths (or a document, for stdin).
    fn expand(&mut self, input: &str) {
        if input == "-" {
            let r = read_limited(std::io::stdin().lock(), self.settings.max_page_bytes, "-");
            match r {
                Ok(bytes) => self.push_bytes("-", bytes, true),
                Err(e) => self.ready.push_back(Err(e)),
            }
            return;
        }
        let path = Path::new(input);
        if path.is_dir() {
            self.paths.extend(walk(path));
        } else if path.exists() {
            self.paths.push_back(path.to_path_buf());
        } else if input.contains(['*', '?', '[']) {
            match glob::glob(input) {
                Ok(paths) => {
                    let mut found: Vec<PathBuf> = paths.filter_map(Result::ok).collect();
                    found.sort();
                    let mut any = false;
                    for p in found {
                        if p.is_dir() {
                            self.paths.extend(walk(&p));
                        } else {
                            self.paths.push_back(p);
                        }
                        any = true;
                    }
                    if !any {
                        self.ready.push_back(Err(IngestError::NotFound {
                            path: input.to_string(),
                        }));
                    }
                }
                Err(e) => self.ready.push_back(Err(IngestError::BadPattern {
                    path: input.to_string(),
                    reason: e.msg.to_string(),
                })),
            }
        } else {
            self.ready.push_back(Err(IngestError::NotFound {
                path: input.to_string(),
            }));
        }
    }

    fn open_file(&mut self, p: &Path) {
        let name = p.display().to_string();
        let gz = name.to_ascii_lowercase().ends_with(".gz");
        let unreadable = |source| IngestError::Unreadable {
            path: name.clone(),
            source,
        };
        let file = match File::open(p) {
            Ok(f) => f,
            Err(e) => return self.ready.push_back(Err(unreadable(e))),
        };
        if SourceKind::of(&name) == SourceKind::Jsonl {
            // Streamed: the line limit bounds memory, so a large dump is read whole (no
            // silent cut at `max_decompressed`) and a one-line bomb stops at the line limit.
            let reader: Box<dyn BufRead> = if gz {
                Box::new(BufReader::new(MultiGzDecoder::new(BufReader::new(file))))
            } else {
                Box::new(BufReader::new(file))
            };
            self.jsonl = Some(JsonlReader {
                path: name,
                reader,
                line: 0,
            });
            return;
        }
        if SourceKind::of(&name) == SourceKind::Warc {
            // Streamed: archives are far larger than any page.
            let reader: Box<dyn BufRead> = if gz {
                Box::new(BufReader::new(MultiGzDecoder::new(BufReader::new(file))))
            } else {
                Box::new(BufReader::new(file))
            };
            self.warc = Some(WarcReader {
                path: name,
                reader,
                record: 0,
            });
            return;
        }
        let size = file.metadata().map(|m| m.len()).unwrap_or(0);
        if size > self.settings.max_page_bytes {
            return self.ready.push_back(Err(IngestError::TooLarge {
                path: name,
                limit: self.settings.max_page_bytes,
            }));
        }
        let bytes = if gz {
            read_gzip(file, self.settings.max_decompressed, &name)
        } else {
            read_limited(file, self.settings.max_page_bytes, &name)
        };
        match bytes {
            Ok(b) => self.push_bytes(&name, b, false),
            Err(e) => self.ready.push_back(Err(e)),
        }
    }

    /// Decode one page (or, from stdin, maybe JSONL) and queue the result.
    fn push_bytes(&mut self, name: &str, bytes: Vec<u8>, maybe_jsonl: bool) {
        if maybe_jsonl && looks_like_jsonl(&bytes) {
            let mut j = JsonlReader {
                path: name.to_string(),
                reader: Box::new(std::io::Cursor::new(bytes)),
                line: 0,
            };
            while let Some(r) = next_jsonl(&mut j, self.settings.max_page_bytes) {
                self.ready.push_back(r);
            }
            return;
        }
        if bytes.starts_with(b"WARC/") {
            let mut w = WarcReader {
                path: name.to_string(),
                reader: Box::new(std::io::Cursor::new(bytes)),
                record: 0,
            };
            while let Some(r) = next_warc(&mut w, &self.settings) {
                self.ready.push_back(r);
            }
            return;
        }
        let head = String::from_utf8_lossy(&bytes[..bytes.len().min(1024)]);
        if looks_like_feed(&head) || SourceKind::of(name) == SourceKind::Feed {
            self.ready.extend(feed_docs(name, &bytes));
            return;
        }
        let r = decode_owned(bytes, None)
            .map_err(|e| e.with_path(name))
            .map(|(text, _)| RawDoc {
                source: name.to_string(),
                format: detect_format(name, &text),
                meta: Meta {
                    path: (name != "-").then(|| name.to_string()),
                    ..Meta::default()
                },
                text,
            });
        self.ready.push_back(r);
    }
}

/// Reads one input held in memory as if it were a file called `name`: its kind comes from the
/// name and the content as for a file (JSONL, WARC, feed or page), a `.gz` name is inflated,
/// and every [`Limits`] applies. Gives the documents and errors the input yields, in order.
pub fn read_bytes(name: &str, bytes: &[u8], limits: Limits) -> Vec<Result<RawDoc, IngestError>> {
    let mut inputs = read_inputs_with(&[], limits);
    let gz = name.to_ascii_lowercase().ends_with(".gz");
    let path = name.to_string();
    // Streamed containers are inflated as they are read, like files (limits per line/record).
    let stream = || -> Box<dyn BufRead> {
        let cursor = std::io::Cursor::new(bytes.to_vec());
        if gz {
            Box::new(BufReader::new(MultiGzDecoder::new(cursor)))
        } else {
            Box::new(cursor)
        }
    };
    match SourceKind::of(name) {
        SourceKind::Jsonl => {
            inputs.jsonl = Some(JsonlReader {
                path,
                reader: stream(),
                line: 0,
            })
        }
        SourceKind::Warc => {
            inputs.warc = Some(WarcReader {
                path,
                reader: stream(),
                record: 0,
            })
        }
        _ if gz => match read_gzip(bytes, limits.max_decompressed, name) {
            Ok(b) => inputs.push_bytes(name, b, false),
            Err(e) => return vec![Err(e)],
        },
        _ if bytes.len() as u64 > limits.max_page_bytes => {
            return vec![Err(IngestError::TooLarge {
                path,
                limit: limits.max_page_bytes,
            })]
        }
        _ => inputs.push_bytes(name, bytes.to_vec(), false),
    }
    inputs.collect()
}

/// Files under `dir`, recursively, in name order, hidden entries skipped.
fn walk(dir: &Path) -> Vec<PathBuf> {
    walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'))
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| e.into_path())
        .collect()
}

fn read_limited(r: impl Read, limit: u64, name: &str) -> Result<Vec<u8>, IngestError> {
    let mut buf = Vec::new();
    r.take(limit + 1)
        .read_to_end(&mut buf)
        .map_err(|source| IngestError::Unreadable {
            path: name.to_string(),
            source,
        })?;
    if buf.len() as u64 > limit {
        return Err(IngestError::TooLarge {
            path: name.to_string(),
            limit,
        });
    }
    Ok(buf)
}

fn read_gzip(file: impl Read, limit: u64, name: &str) -> Result<Vec<u8>, IngestError> {
    let mut buf = Vec::new();
    // Multi-member gzip files (concatenated streams) are common in crawls.
    MultiGzDecoder::new(BufReader::new(file))
        .take(limit + 1)
        .read_to_end(&mut buf)
        .map_err(|e| IngestError::Gzip {
            path: name.to_string(),
            reason: e.to_string(),
        })?;
    if buf.len() as u64 > limit {
        return Err(IngestError::TooLarge {
            path: name.to_string(),
            limit,
        });
    }
    Ok(buf)
}

fn looks_like_jsonl(bytes: &[u8]) -> bool {
    let first = bytes
        .split(|&b| b == b'\n')
        .find(|l| !l.iter().all(u8::is_ascii_whitespace));
    first.is_some_and(|l| {
        serde_json::from_slice::<serde_json::Value>(l)
            .is_ok_and(|v| v.get("text").is_some() || v.get("html").is_some())
    })
}

/// The next document (or error) of a JSONL stream; `None` at its end or after a read error.
fn next_jsonl(j: &mut JsonlReader, max_line: u64) -> Option<Result<RawDoc, IngestError>> {
    loop {
        let mut line = Vec::new();
        let n = match (&mut j.reader)
            .take(max_line + 1)
            .read_until(b'\n', &mut line)
        {
            Ok(n) => n,
            Err(e) => {
                // A read error (truncated gzip) ends the file: report it once.
                let err = IngestError::Gzip {
                    path: j.path.clone(),
                    reason: e.to_string(),
                };
                j.reader = Box::new(std::io::empty());
                return Some(Err(err));
            }
        };
        if n == 0 {
            return None;
        }
        j.line += 1;
        if line.len() as u64 > max_line {
            // Skip the rest of the overlong line so the next one starts clean, a buffer at a
            // time: the rest may be gigabytes (a decompression bomb).
            skip_line(&mut j.reader);
            return Some(Err(bad_line(
                j,
                format!("line longer than {max_line} bytes"),
            )));
        }
        if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        return Some(parse_line(j, &line));
    }
}

/// Reads up to and including the next newline without keeping what it reads.
fn skip_line(r: &mut Box<dyn BufRead>) {
    loop {
        let (done, used) = match r.fill_buf() {
            Ok([]) | Err(_) => return,
            Ok(buf) => match buf.iter().position(|&b| b == b'\n') {
                Some(i) => (true, i + 1),
                None => (false, buf.len()),
            },
        };
        r.consume(used);
        if done {
            return;
        }
    }
}

fn bad_line(j: &JsonlReader, reason: String) -> IngestError {
    IngestError::BadLine {
        path: j.path.clone(),
        line: j.line,
        reason,
    }
}

fn parse_line(j: &JsonlReader, line: &[u8]) -> Result<RawDoc, IngestError> {
    let v: serde_json::Value =
        serde_json::from_slice(line).map_err(|e| bad_line(j, e.to_string()))?;
    let obj = v
        .as_object()
        .ok_or_else(|| bad_line(j, "not a JSON object".into()))?;
    let s = |k: &str| match obj.get(k) {
        Some(serde_json::Value::String(s)) if !s.trim().is_empty() => Some(s.clone()),
        Some(serde_json::Value::Number(n)) => Some(n.to_string()),
        _ => None,
    };
    let (format, text) = if let Some(t) = obj.get("text").and_then(|t| t.as_str()) {
        (Format::Body, t.to_string())
    } else if let Some(h) = obj.get("html").and_then(|t| t.as_str()) {
        (Format::Html, h.to_string())
    } else {
        return Err(bad_line(j, "no \"text\" or \"html\" string field".into()));
    };
    if text.trim().is_empty() {
        return Err(bad_line(j, "empty text".into()));
    }
    Ok(RawDoc {
        source: format!("{}:{}", j.path, j.line),
        format,
        text,
        meta: Meta {
            id: s("id"),
            path: (j.path != "-").then(|| j.path.clone()),
            url: s("url"),
            title: s("title"),
            author: s("author"),
            site: s("site"),
            language: s("language"),
            published: s("published"),
            published_inferred: false,
        },
    })
}
