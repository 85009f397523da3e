//! Charset decoding and format detection.

use crate::error::NO_PATH;
use crate::{Format, IngestError};
use encoding_rs::{Encoding, UTF_8};

/// How many leading bytes the binary check and the `<meta charset>` sniffing look at.
const SNIFF_LEN: usize = 8192;

/// Decode `bytes` to text; returns the text and the name of the encoding used.
///
/// Order: byte-order mark; then a valid UTF-8 body (a legacy declaration on bytes that are
/// valid, non-ASCII UTF-8 is almost always a stale `<meta>` left by a re-encoding tool, so the
/// bytes win); then the `declared` charset, or one declared by `<meta charset>` /
/// `http-equiv` in the first 8 KiB; then detection with chardetng.
///
/// Errors (naming `<input>`; the readers put the file name in): empty input, binary input
/// (NUL bytes or mostly control bytes), or undecodable text (over 5% replacement characters).
pub fn decode(bytes: &[u8], declared: Option<&str>) -> Result<(String, &'static str), IngestError> {
    let path = NO_PATH.to_string();
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(IngestError::Empty { path });
    }
    if let Some((enc, bom_len)) = Encoding::for_bom(bytes) {
        // UTF-16 text is full of NUL bytes, so the binary check comes after the BOM.
        let (text, _) = enc.decode_without_bom_handling(&bytes[bom_len..]);
        return check_decoded(text.into_owned(), enc.name());
    }
    if looks_binary(bytes) {
        return Err(IngestError::Binary { path });
    }
    if let Ok(s) = std::str::from_utf8(bytes) {
        return Ok((s.to_string(), UTF_8.name()));
    }
    let declared_enc = declared
        .and_then(|d| Encoding::for_label(d.trim().as_bytes()))
        .or_else(|| sniff_meta_charset(&bytes[..bytes.len().min(SNIFF_LEN)]));
    let enc = match declared_enc {
        // A UTF-8 declaration on invalid UTF-8 is wrong: detect instead.
        Some(enc) if enc != UTF_8 => enc,
        _ => {
            let mut det = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
            det.feed(bytes, true);
            det.guess(None, chardetng::Utf8Detection::Allow)
        }
    };
    let (text, _, _) = enc.decode(bytes);
    check_decoded(text.into_owned(), enc.name())
}

/// [`decode`] of bytes the caller gives away: valid UTF-8 (the common case) becomes the text
/// without a copy.
pub(crate) fn decode_owned(
    bytes: Vec<u8>,
    declared: Option<&str>,
) -> Result<(String, &'static str), IngestError> {
    // The checks `decode` makes before it reads the bytes as UTF-8, in its order.
    if bytes.iter().all(|b| b.is_ascii_whitespace())
        || Encoding::for_bom(&bytes).is_some()
        || looks_binary(&bytes)
    {
        return decode(&bytes, declared);
    }
    match String::from_utf8(bytes) {
        Ok(text) => Ok((text, UTF_8.name())),
        Err(e) => decode(e.as_bytes(), declared),
    }
}

fn check_decoded(text: String, enc: &'static str) -> Result<(String, &'static str), IngestError> {
    let total = text.chars().count().max(1);
    let bad = text.chars().filter(|&c| c == '\u{FFFD}').count();
    if bad * 20 > total {
        return Err(IngestError::Undecodable {
            path: NO_PATH.to_string(),
        });
    }
    if text.trim().is_empty() {
        return Err(IngestError::Empty {
            path: NO_PATH.to_string(),
        });
    }
    Ok((text, enc))
}

/// NUL bytes, or more than 10% control bytes other than tab, newline, form feed, return, escape.
fn looks_binary(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(SNIFF_LEN)];
    if head.contains(&0) {
        return true;
    }
    let ctrl = head
        .iter()
        .filter(|&&b| b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0c | 0x1b))
        .count();
    ctrl * 10 > head.len()
}

/// Find `charset=...` inside a `<meta ...>` tag (covers `<meta charset>` and `http-equiv`).
fn sniff_meta_charset(head: &[u8]) -> Option<&'static Encoding> {
    let lower: Vec<u8> = head.iter().map(|b| b.to_ascii_lowercase()).collect();
    let mut from = 0;
    while let Some(i) = find(&lower[from..], b"<meta") {
        let start = from + i;
        let end = find(&lower[start..], b">").map_or(lower.len(), |e| start + e);
        let tag = &lower[start..end];
        if let Some(c) = find(tag, b"charset") {
            let rest = &tag[c + 7..];
            let rest = skip(rest, |b| b.is_ascii_whitespace());
            if let Some(rest) = rest.strip_prefix(b"=") {
                let rest = skip(rest, |b| b.is_ascii_whitespace() || b == b'"' || b == b'\'');
                let len = rest
                    .iter()
                    .position(|&b| !(b.is_ascii_alphanumeric() || b"-_:.".contains(&b)))
                    .unwrap_or(rest.len());
                if let Some(enc) = Encoding::for_label(&rest[..len]) {
                    // A page cannot really be UTF-16 if its markup was readable as bytes.
                    return Some(enc.output_encoding());
                }
            }
        }
        from = end;
    }
    None
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

fn skip(s: &[u8], f: impl Fn(u8) -> bool) -> &[u8] {
    let n = s.iter().take_while(|&&b| f(b)).count();
    &s[n..]
}

/// Decide how to read a document from its name (a `.gz` suffix is ignored) and its content:
/// HTML if the name says `.html`/`.htm`/`.xhtml` or markup appears near the start, else a
/// plain text page.
pub fn detect_format(name: &str, text: &str) -> Format {
    let lower = name.to_ascii_lowercase();
    let lower = lower.strip_suffix(".gz").unwrap_or(&lower);
    if [".html", ".htm", ".xhtml", ".shtml"]
        .iter()
        .any(|e| lower.ends_with(e))
    {
        return Format::Html;
    }
    if looks_like_markup(text) {
        Format::Html
    } else {
        Format::TextPage
    }
}

/// Markup tags near the start of the text.
pub(crate) fn looks_like_markup(text: &str) -> bool {
    let head: String = text
        .trim_start_matches('\u{feff}')
        .trim_start()
        .chars()
        .take(1024)
        .collect::<String>()
        .to_ascii_lowercase();
    if head.starts_with("<?xml") && head.contains("<html") {
        return true;
    }
    const TAGS: [&str; 10] = [
        "<!doctype html",
        "<html",
        "<head>",
        "<head ",
        "<body",
        "<p>",
        "<div",
        "<meta ",
        "<article",
        "<title>",
    ];
    TAGS.iter().any(|t| head.contains(t))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_latin1_and_declared() {
        let (t, e) = decode(
            "Kremlin spokesman Dmitry Peskov said “No comment.”".as_bytes(),
            None,
        )
        .unwrap();
        assert_eq!(e, "UTF-8");
        assert!(t.contains("“No comment.”"));
        let (t, e) = decode(
            b"Die Regierung in M\xfcnchen hat erkl\xe4rt, dass sie zustimmt.",
            None,
        )
        .unwrap();
        assert!(t.contains("München"), "{t} {e}");
        let html = b"<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=iso-8859-2\"></head><body>\xa3\xf3d\xbc</body></html>";
        let (t, e) = decode(html, None).unwrap();
        assert_eq!(e, "ISO-8859-2");
        assert!(t.contains("Łódź"), "{t}");
    }

    #[test]
    fn bom_and_bad_inputs() {
        let (t, e) = decode(b"\xef\xbb\xbfSeoul protested.", None).unwrap();
        assert_eq!((t.as_str(), e), ("Seoul protested.", "UTF-8"));
        let (t, e) = decode(b"\xff\xfeO\0K\0", None).unwrap();
        assert_eq!((t.as_str(), e), ("OK", "UTF-16LE"));
        assert!(matches!(
            decode(b"  \n", None),
            Err(IngestError::Empty { .. })
        ));
        assert!(matches!(
            decode(b"\x7fELF\x02\x01\x01\0\0\0", None),
            Err(IngestError::Binary { .. })
        ));
        let err = decode(b"\x81\x82\x83\x84", Some("iso-2022-jp")).unwrap_err();
        assert!(matches!(err, IngestError::Undecodable { .. }), "{err}");
    }

    #[test]
    fn formats() {
        assert_eq!(detect_format("a.HTM.gz", "plain"), Format::Html);
        assert_eq!(
            detect_format("a.txt", "  <!DOCTYPE html>\n<html>"),
            Format::Html
        );
        assert_eq!(
            detect_format("a", "<p>Russia condemned Ukraine.</p>"),
            Format::Html
        );
        assert_eq!(
            detect_format(
                "seed.txt",
                "The US And Its Allies Denounce Weapon Exchanges\n\nSince the onset"
            ),
            Format::TextPage
        );
    }
}
