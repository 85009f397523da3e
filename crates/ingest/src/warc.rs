//! WARC (and WET) archives, streamed record by record: HTTP responses are unwrapped
//! (chunked transfer-encoding, gzip/deflate content-encoding), non-HTML and revisit records
//! are passed over, and a truncated or malformed record is reported once and skipped.

use crate::decode::decode;
use crate::limits::Limits;
use crate::{Format, IngestError, RawDoc};
use flate2::read::{DeflateDecoder, MultiGzDecoder, ZlibDecoder};
use std::io::{BufRead, Read};
use wirecoder_doc::Meta;

/// A WARC file being read.
pub(crate) struct WarcReader {
    pub path: String,
    pub reader: Box<dyn BufRead>,
    /// Records read so far (1-based number of the current one).
    pub record: usize,
}

/// What became of one record.
enum Outcome {
    Doc(Box<RawDoc>),
    Skip,
    Bad(String),
}

fn bad(w: &WarcReader, reason: impl Into<String>) -> IngestError {
    IngestError::BadRecord {
        path: w.path.clone(),
        record: w.record,
        reason: reason.into(),
    }
}

/// Reads one header line (CRLF or LF); `None` at the end of input.
fn read_line(r: &mut dyn BufRead, max: u64) -> std::io::Result<Option<String>> {
    let mut buf = Vec::new();
    let n = (&mut *r).take(max).read_until(b'\n', &mut buf)?;
    if n == 0 {
        return Ok(None);
    }
    while buf.last().is_some_and(|b| *b == b'\n' || *b == b'\r') {
        buf.pop();
    }
    Ok(Some(String::from_utf8_lossy(&buf).into_owned()))
}

/// The next document (or error) of a WARC stream; `None` at its end.
pub(crate) fn next_warc(
    w: &mut WarcReader,
    limits: &Limits,
) -> Option<Result<RawDoc, IngestError>> {
    let max_record = limits.max_page_bytes;
    loop {
        // Find the version line, skipping the blank lines between records.
        // Lines before a version line (garbage, a cut record's tail) are passed over.
        let version = loop {
            match read_line(&mut w.reader, 64 << 10) {
                Ok(None) => return None,
                Ok(Some(l)) if l.starts_with("WARC/") => break l,
                Ok(Some(_)) => {}
                Err(e) => return Some(Err(stop(w, e))),
            }
        };
        let _ = version;
        w.record += 1;
        let mut headers: Vec<(String, String)> = Vec::new();
        loop {
            match read_line(&mut w.reader, 64 << 10) {
                Ok(None) => {
                    return Some(Err(bad(w, "truncated record (end of file in headers)")));
                }
                Ok(Some(l)) if l.is_empty() => break,
                Ok(Some(l)) => {
                    if let Some((k, v)) = l.split_once(':') {
                        headers.push((k.trim().to_ascii_lowercase(), v.trim().to_string()));
                    }
                }
                Err(e) => return Some(Err(stop(w, e))),
            }
        }
        let h = |k: &str| {
            headers
                .iter()
                .find(|(hk, _)| hk == k)
                .map(|(_, v)| v.as_str())
        };
        let Some(len) = h("content-length").and_then(|v| v.parse::<u64>().ok()) else {
            return Some(Err(bad(w, "no Content-Length")));
        };
        let kind = h("warc-type").unwrap_or("").to_ascii_lowercase();
        let url = h("warc-target-uri").map(|u| u.trim_matches(['<', '>']).to_string());
        let ctype = h("content-type").unwrap_or("").to_ascii_lowercase();
        let wanted = matches!(kind.as_str(), "response" | "resource" | "conversion");
        if !wanted || len > max_record {
            // Pass over the block without keeping it.
            let copied = std::io::copy(&mut (&mut w.reader).take(len), &mut std::io::sink());
            match copied {
                Ok(n) if n < len => return Some(Err(bad(w, "truncated record"))),
                Err(e) => return Some(Err(stop(w, e))),
                _ => {}
            }
            if wanted {
                return Some(Err(bad(
                    w,
                    format!("record larger than {max_record} bytes"),
                )));
            }
            continue;
        }
        let mut block = Vec::with_capacity(len.min(1 << 24) as usize);
        match (&mut w.reader).take(len).read_to_end(&mut block) {
            Ok(n) if (n as u64) < len => {
                return Some(Err(bad(
                    w,
                    format!("truncated record ({n} of {len} bytes)"),
                )))
            }
            Ok(_) => {}
            Err(e) => return Some(Err(stop(w, e))),
        }
        let outcome = match kind.as_str() {
            "response" if ctype.starts_with("application/http") => {
                http_response(&block, limits.max_decompressed)
            }
            "response" | "resource" => payload(&block, &ctype, None),
            _ => payload(&block, "text/plain", None).map_format(Format::TextPage),
        };
        match outcome {
            Outcome::Doc(mut d) => {
                d.source = format!("{}#{}", w.path, w.record);
                d.meta.path = Some(w.path.clone());
                d.meta.url = url;
                return Some(Ok(*d));
            }
            Outcome::Skip => continue,
            Outcome::Bad(reason) => return Some(Err(bad(w, reason))),
        }
    }
}

impl Outcome {
    fn map_format(self, f: Format) -> Outcome {
        match self {
            Outcome::Doc(mut d) => {
                d.format = f;
                Outcome::Doc(d)
            }
            o => o,
        }
    }
}

/// A read error (often a truncated gzip member) ends the file: report it once.
fn stop(w: &mut WarcReader, e: std::io::Error) -> IngestError {
    w.reader = Box::new(std::io::empty());
    bad(w, format!("unreadable: {e}"))
}

/// Unwrap an HTTP response: status, headers, chunking, content-encoding.
fn http_response(block: &[u8], max_inflated: u64) -> Outcome {
    let Some(end) = find(block, b"\r\n\r\n")
        .map(|i| (i, i + 4))
        .or_else(|| find(block, b"\n\n").map(|i| (i, i + 2)))
    else {
        return Outcome::Bad("HTTP headers without an end".into());
    };
    let head = String::from_utf8_lossy(&block[..end.0]);
    let mut lines = head.lines();
    let status = lines.next().unwrap_or("");
    let code = status.split_whitespace().nth(1).unwrap_or("");
    if !code.starts_with('2') {
        // Redirects, errors, 304s: no page to read.
        return Outcome::Skip;
    }
    let mut ctype = String::new();
    let mut chunked = false;
    let mut encoding = String::new();
    for l in lines {
        let Some((k, v)) = l.split_once(':') else {
            continue;
        };
        let v = v.trim().to_ascii_lowercase();
        match k.trim().to_ascii_lowercase().as_str() {
            "content-type" => ctype = v,
            "transfer-encoding" => chunked = v.contains("chunked"),
            "content-encoding" => encoding = v,
            _ => {}
        }
    }
    let mut body = block[end.1..].to_vec();
    if chunked {
        body = dechunk(&body);
    }
    let body = match encoding.as_str() {
        "" | "identity" | "none" | "utf-8" => body,
        "gzip" | "x-gzip" => match inflate(MultiGzDecoder::new(&body[..]), max_inflated) {
            Ok(b) => b,
            Err(why) => return Outcome::Bad(format!("gzip content-encoding: {why}")),
        },
        "deflate" => match inflate(ZlibDecoder::new(&body[..]), max_inflated)
            .or_else(|_| inflate(DeflateDecoder::new(&body[..]), max_inflated))
        {
            Ok(b) => b,
            Err(why) => return Outcome::Bad(format!("deflate content-encoding: {why}")),
        },
        other => return Outcome::Bad(format!("unsupported content-encoding {other}")),
    };
    payload(&body, &ctype, charset(&ctype))
}

/// Inflates at most `max` bytes: a small body that inflates past it is a decompression bomb.
fn inflate(r: impl Read, max: u64) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    let r = r.take(max.saturating_add(1)).read_to_end(&mut out);
    if out.len() as u64 > max {
        return Err(format!("inflates to over {max} bytes"));
    }
    match r {
        Ok(_) => Ok(out),
        // A cut-off stream still gives what came before the cut.
        Err(_) if !out.is_empty() => Ok(out),
        Err(e) => Err(e.to_string()),
    }
}

fn charset(ctype: &str) -> Option<&str> {
    ctype
        .split(';')
        .filter_map(|p| p.trim().strip_prefix("charset="))
        .map(|c| c.trim_matches(['"', '\'']))
        .next()
}

/// Chunked transfer-encoding to plain bytes; a body that is not validly chunked (servers
/// and crawlers get this wrong) is kept as it is, and a truncated one keeps what it has.
fn dechunk(body: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(body.len());
    let mut i = 0;
    while i < body.len() {
        let Some(nl) = find(&body[i..], b"\n") else {
            if out.is_empty() {
                return body.to_vec();
            }
            break;
        };
        let line = String::from_utf8_lossy(&body[i..i + nl]);
        let size_hex = line.trim().split(';').next().unwrap_or("").trim();
        let Ok(size) = usize::from_str_radix(size_hex, 16) else {
            if out.is_empty() {
                return body.to_vec();
            }
            break;
        };
        i += nl + 1;
        if size == 0 {
            break;
        }
        let end = (i + size).min(body.len());
        out.extend_from_slice(&body[i..end]);
        i = end;
        // The CRLF after the chunk data.
        while i < body.len() && (body[i] == b'\r' || body[i] == b'\n') && i < end + 2 {
            i += 1;
        }
    }
    out
}

/// An HTML or text payload to a document; other media types are passed over.
fn payload(body: &[u8], ctype: &str, declared: Option<&str>) -> Outcome {
    let media = ctype.split(';').next().unwrap_or("").trim();
    let format = match media {
        "text/html" | "application/xhtml+xml" | "" => Format::Html,
        "text/plain" => Format::TextPage,
        _ => return Outcome::Skip,
    };
    if body.iter().all(u8::is_ascii_whitespace) {
        return Outcome::Skip;
    }
    match decode(body, declared) {
        Ok((text, _)) => {
            // An untyped payload must look like HTML to be read as such.
            if media.is_empty() && !looks_html(&text) {
                return Outcome::Skip;
            }
            Outcome::Doc(Box::new(RawDoc {
                source: String::new(),
                format,
                text,
                meta: Meta::default(),
            }))
        }
        Err(e) => Outcome::Bad(e.to_string()),
    }
}

fn looks_html(text: &str) -> bool {
    let head: String = text
        .chars()
        .take(1024)
        .collect::<String>()
        .to_ascii_lowercase();
    head.contains("<html") || head.contains("<!doctype html") || head.contains("<body")
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunked_bodies() {
        assert_eq!(
            dechunk(b"5\r\nHello\r\n6\r\n world\r\n0\r\n\r\n"),
            b"Hello world"
        );
        // Not chunked after all: kept.
        assert_eq!(dechunk(b"<html>"), b"<html>");
        // Truncated in the second chunk: what came is kept.
        assert_eq!(dechunk(b"5\r\nHello\r\n6\r\n wo"), b"Hello wo");
    }

    #[test]
    fn http_unwrapping() {
        let r = b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<html><body><p>Hi</p></body></html>";
        let Outcome::Doc(d) = http_response(r, 1 << 20) else {
            panic!("no doc")
        };
        assert_eq!(d.format, Format::Html);
        assert!(d.text.contains("<p>Hi</p>"));
        let redirect = b"HTTP/1.1 301 Moved\r\nLocation: /x\r\n\r\n";
        assert!(matches!(http_response(redirect, 1 << 20), Outcome::Skip));
        let image = b"HTTP/1.1 200 OK\r\nContent-Type: image/png\r\n\r\n\x89PNG";
        assert!(matches!(http_response(image, 1 << 20), Outcome::Skip));
    }
}
