//! Helpers that do not touch the database.

use sha2::{Digest, Sha256};
use wirecoder_doc::{Doc, Span};

/// The identity of an article: SHA-256 of its clean text and URL, in hex. A NUL byte between
/// the two keeps `("ab", "c")` apart from `("a", "bc")`.
pub(crate) fn content_hash(doc: &Doc) -> String {
    let mut h = Sha256::new();
    h.update(doc.text.as_bytes());
    h.update([0u8]);
    h.update(doc.meta.url.as_deref().unwrap_or("").as_bytes());
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// A lock key for a string (a content hash, an event block): FNV-1a, stable across processes,
/// as PostgreSQL's advisory locks need.
pub(crate) fn lock_key(s: &str) -> i64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in s.as_bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h as i64
}

/// A name for a document in error messages.
pub(crate) fn doc_label(doc: &Doc) -> String {
    let m = &doc.meta;
    m.path
        .as_deref()
        .or(m.url.as_deref())
        .or(m.id.as_deref())
        .or(m.title.as_deref())
        .unwrap_or("(unnamed document)")
        .to_string()
}

/// The current UTC time as ISO 8601 (`2024-01-10T08:30:00Z`).
pub(crate) fn now_utc() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    let days = (secs / 86_400) as i64;
    let rem = secs % 86_400;
    let (y, m, d) = civil_from_days(days);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

/// Days since 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's algorithm).
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

/// The smallest string greater than every string that starts with `prefix`, so that a prefix
/// match becomes an index-friendly range `[prefix, upper)`. `None` when no such string exists.
pub(crate) fn prefix_upper(prefix: &str) -> Option<String> {
    let mut chars: Vec<char> = prefix.chars().collect();
    while let Some(last) = chars.pop() {
        let next = match last as u32 + 1 {
            0xD800 => Some('\u{E000}'),
            n => char::from_u32(n),
        };
        if let Some(c) = next {
            chars.push(c);
            return Some(chars.into_iter().collect());
        }
    }
    None
}

/// Escapes `LIKE` wildcards with `\`.
pub(crate) fn like_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Checks that every stored layer lies on the text, on character boundaries, so that what is
/// read back can always be sliced. Tokens are not stored and not checked.
pub(crate) fn validate(doc: &Doc) -> Result<(), String> {
    let text = doc.text.as_str();
    let check = |span: Span, what: &str, i: usize| -> Result<(), String> {
        if span.start > span.end
            || span.end > text.len()
            || !text.is_char_boundary(span.start)
            || !text.is_char_boundary(span.end)
        {
            return Err(format!(
                "{what} {i} has span {}..{} that does not fit the text ({} bytes) on character boundaries",
                span.start,
                span.end,
                text.len()
            ));
        }
        Ok(())
    };
    for (i, s) in doc.stories.iter().enumerate() {
        check(s.span, "story", i)?;
    }
    for (i, s) in doc.headings.iter().enumerate() {
        check(*s, "heading", i)?;
    }
    for (i, s) in doc.sentences.iter().enumerate() {
        check(*s, "sentence", i)?;
    }
    for (i, e) in doc.entities.iter().enumerate() {
        check(e.span, "entity", i)?;
    }
    for (i, d) in doc.dates.iter().enumerate() {
        check(d.span, "date", i)?;
    }
    for (i, q) in doc.quotes.iter().enumerate() {
        check(q.span, "quote", i)?;
        if let Some(span) = q.speaker.as_ref().and_then(|s| s.span) {
            check(span, "quote speaker", i)?;
        }
    }
    for (i, e) in doc.events.iter().enumerate() {
        check(e.evidence, "event evidence", i)?;
        if let Some(span) = e.source.span {
            check(span, "event source", i)?;
        }
        if let Some(span) = e.target.as_ref().and_then(|t| t.span) {
            check(span, "event target", i)?;
        }
        if e.place
            .as_ref()
            .and_then(|p| p.geonames_id)
            .is_some_and(|g| i64::try_from(g).is_err())
        {
            return Err(format!(
                "event {i} has a GeoNames id beyond 64-bit signed range"
            ));
        }
    }
    for (i, e) in doc.entities.iter().enumerate() {
        if e.place
            .as_ref()
            .and_then(|p| p.geonames_id)
            .is_some_and(|g| i64::try_from(g).is_err())
        {
            return Err(format!(
                "entity {i} has a GeoNames id beyond 64-bit signed range"
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_from_days() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(19_732), (2024, 1, 10));
        assert_eq!(civil_from_days(19_782), (2024, 2, 29));
    }

    #[test]
    fn prefix_ranges() {
        assert_eq!(prefix_upper("RUS").as_deref(), Some("RUT"));
        assert_eq!(prefix_upper("19").as_deref(), Some("1:"));
        assert_eq!(prefix_upper("A\u{10FFFF}").as_deref(), Some("B"));
        assert_eq!(prefix_upper("\u{10FFFF}"), None);
        assert!("RUSGOV" >= "RUS" && "RUSGOV" < "RUT");
    }

    #[test]
    fn like_wildcards_escaped() {
        assert_eq!(like_escape("100%_a\\b"), "100\\%\\_a\\\\b");
    }

    #[test]
    fn hash_depends_on_url() {
        let mut a = Doc::new("Russia condemned Ukraine.");
        let h1 = content_hash(&a);
        a.meta.url = Some("https://example.com/a".into());
        assert_ne!(h1, content_hash(&a));
        assert_eq!(content_hash(&a).len(), 64);
    }

    #[test]
    fn spans_off_char_boundaries_are_rejected() {
        // "’" is three bytes; byte 7 falls inside it.
        let mut doc = Doc::new("Russia’s deployment");
        doc.sentences.push(Span::new(0, 7));
        assert!(validate(&doc).is_err());
        doc.sentences[0] = Span::new(0, 9);
        assert!(validate(&doc).is_ok());
    }
}
