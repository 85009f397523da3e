//! Limits on what one input may cost: bytes read, bytes inflated, markup nesting, text
//! analysed and time. Hostile or broken inputs (zip bombs, 100,000-level nested markup,
//! gigantic one-line pages) hit a limit and become one skipped record, never a crash, an
//! out-of-memory kill or a batch that stops making progress.

use std::borrow::Cow;
use std::time::Duration;

/// Limits on what one input may cost. The readers of this crate enforce the byte and nesting
/// limits; `max_text_chars` and `time_budget` are for the analysis that follows (the
/// `wirecoder` pipeline checks them before annotating a document).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Largest page read, in bytes (default 50 MiB): a file, a WARC record or (JSONL files
    /// are streamed) one JSONL line.
    pub max_page_bytes: u64,
    /// Largest decompressed size of a `.gz` page or of a gzip/deflate HTTP body inside a
    /// WARC record, in bytes (default 64 MiB): a decompression bomb stops here. Streamed
    /// containers (`.jsonl.gz`, `.warc.gz`) are bounded per line or record instead.
    pub max_decompressed: u64,
    /// Deepest HTML element nesting kept (default 1,000). Deeper start tags are dropped
    /// (their text is kept), so parsing stays linear; browsers cap their trees the same way.
    pub max_nesting: usize,
    /// Longest clean text analysed, in characters (default 1,000,000): a longer "article"
    /// is a dump, not news, and is skipped.
    pub max_text_chars: usize,
    /// Time one document may take before its analysis starts (default 30 s); `None` for no
    /// budget. Checked between stages: a running stage is not interrupted.
    pub time_budget: Option<Duration>,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_page_bytes: 50 << 20,
            max_decompressed: 64 << 20,
            max_nesting: 1000,
            max_text_chars: 1_000_000,
            time_budget: Some(Duration::from_secs(30)),
        }
    }
}

/// Elements that never take an end tag: they do not nest.
const VOID: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
    "track", "wbr", "keygen", "frame", "basefont", "bgsound",
];

/// Elements whose end tag is implied by the next sibling (`<p>`, `<li>`, table cells): a page
/// that never closes them is not deeply nested, so they are not counted.
const IMPLIED: &[&str] = &[
    "p", "li", "dt", "dd", "option", "optgroup", "tr", "td", "th", "thead", "tbody", "tfoot", "rb",
    "rt", "rtc", "rp", "colgroup", "caption",
];

/// Elements whose content is text up to their end tag (a `"<div"` inside a script is no tag).
const RAW: &[&str] = &[
    "script",
    "style",
    "textarea",
    "title",
    "xmp",
    "iframe",
    "noembed",
    "noframes",
    "plaintext",
];

/// One piece of markup found by [`Scanner`].
enum Piece {
    /// Text, a comment, a doctype or a processing instruction: kept as it is.
    Other,
    /// A start tag that opens an element counted for nesting.
    Open,
    /// An end tag of a counted element.
    Close,
}

/// A linear pass over HTML that finds tags; no tree, no stack of names.
struct Scanner<'a> {
    s: &'a str,
    i: usize,
}

impl<'a> Scanner<'a> {
    /// The next piece as `(start, end, kind)`; `None` at the end.
    fn next_piece(&mut self) -> Option<(usize, usize, Piece)> {
        let b = self.s.as_bytes();
        let start = self.i;
        if start >= b.len() {
            return None;
        }
        if b[start] != b'<' {
            let end = find_byte(b, start, b'<').unwrap_or(b.len());
            self.i = end;
            return Some((start, end, Piece::Other));
        }
        let rest = &b[start..];
        if rest.starts_with(b"<!--") {
            let end = find_seq(b, start + 4, b"-->").map_or(b.len(), |e| e + 3);
            self.i = end;
            return Some((start, end, Piece::Other));
        }
        let closing = rest.get(1) == Some(&b'/');
        let name_at = start + 1 + usize::from(closing);
        let name_len = b[name_at..]
            .iter()
            .take_while(|c| c.is_ascii_alphanumeric() || **c == b'-' || **c == b':')
            .count();
        if name_len == 0 || !b[name_at].is_ascii_alphabetic() {
            // `<!DOCTYPE`, `<?xml`, a lone `<`: up to the next `>` (or just the `<`).
            let end = if matches!(rest.get(1), Some(b'!' | b'?')) {
                find_byte(b, start, b'>').map_or(b.len(), |e| e + 1)
            } else {
                start + 1
            };
            self.i = end;
            return Some((start, end, Piece::Other));
        }
        let name = &b[name_at..name_at + name_len];
        let end = tag_end(b, name_at + name_len);
        self.i = end;
        let self_closing = end >= 2 && b[end - 2] == b'/' && b[end - 1] == b'>';
        let class = class_of(name);
        let counted = class != Class::Flat;
        if closing {
            return Some((
                start,
                end,
                if counted { Piece::Close } else { Piece::Other },
            ));
        }
        if class == Class::Raw && !self_closing {
            // Skip the raw text and its end tag as one piece: it nests nothing.
            let stop = find_end_tag(b, end, name).unwrap_or(b.len());
            let stop = find_byte(b, stop, b'>').map_or(b.len(), |e| e + 1);
            self.i = stop;
            return Some((start, stop, Piece::Other));
        }
        let kind = if counted && !self_closing {
            Piece::Open
        } else {
            Piece::Other
        };
        Some((start, end, kind))
    }
}

/// What a tag name is for the nesting count.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Class {
    /// In [`VOID`] or [`IMPLIED`]: not counted.
    Flat,
    /// In [`RAW`]: counted, and its content is text.
    Raw,
    /// Any other element: counted.
    Nesting,
}

/// The [`Class`] of a tag name, whatever its case (no lowercased copy per tag: the name is
/// lowercased into a small buffer, and no listed name is longer than it).
fn class_of(name: &[u8]) -> Class {
    let mut buf = [0u8; 12];
    let Some(lower) = buf.get_mut(..name.len()) else {
        return Class::Nesting;
    };
    lower.copy_from_slice(name);
    lower.make_ascii_lowercase();
    let lower = &*lower;
    let listed = |list: &[&str]| list.iter().any(|w| w.as_bytes() == lower);
    if listed(VOID) || listed(IMPLIED) {
        Class::Flat
    } else if listed(RAW) {
        Class::Raw
    } else {
        Class::Nesting
    }
}

/// The end of a tag that starts before `from`: after its `>`, quotes respected.
fn tag_end(b: &[u8], from: usize) -> usize {
    let mut i = from;
    while let Some(p) = memchr::memchr3(b'>', b'"', b'\'', &b[i..]) {
        let at = i + p;
        let c = b[at];
        if c == b'>' {
            return at + 1;
        }
        // A quoted value: its `>` do not end the tag; an unclosed quote runs to the end.
        match find_byte(b, at + 1, c) {
            Some(close) => i = close + 1,
            None => return b.len(),
        }
    }
    b.len()
}

fn find_byte(b: &[u8], from: usize, c: u8) -> Option<usize> {
    memchr::memchr(c, &b[from..]).map(|p| from + p)
}

fn find_seq(b: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    memchr::memmem::find(b.get(from..)?, needle).map(|p| from + p)
}

/// The first `</name` at or after `from`, the name compared without case.
fn find_end_tag(b: &[u8], from: usize, name: &[u8]) -> Option<usize> {
    let mut i = from;
    while let Some(p) = memchr::memchr(b'<', b.get(i..)?) {
        let at = i + p;
        let n = at + 2;
        if b.get(at + 1) == Some(&b'/')
            && b.get(n..n + name.len())
                .is_some_and(|w| w.eq_ignore_ascii_case(name))
        {
            return Some(at);
        }
        i = at + 1;
    }
    None
}

/// How deep the markup's elements nest, counted as [`limit_nesting`] counts them.
pub fn nesting_depth(html: &str) -> usize {
    let mut sc = Scanner { s: html, i: 0 };
    let (mut depth, mut max) = (0usize, 0usize);
    while let Some((_, _, p)) = sc.next_piece() {
        match p {
            Piece::Open => {
                depth += 1;
                max = max.max(depth);
            }
            Piece::Close => depth = depth.saturating_sub(1),
            Piece::Other => {}
        }
    }
    max
}

/// HTML with its elements nested at most `max` deep: start tags deeper than that are dropped,
/// with as many of the end tags that follow, and every piece of text is kept. Borrowed (no
/// copy) when the page is within the limit. Runs in linear time; void elements and elements
/// with implied end tags (`<p>`, `<li>`, table cells) are not counted.
pub fn limit_nesting(html: &str, max: usize) -> Cow<'_, str> {
    if nesting_depth(html) <= max {
        return Cow::Borrowed(html);
    }
    let mut out = String::with_capacity(html.len());
    let mut sc = Scanner { s: html, i: 0 };
    let (mut depth, mut dropped) = (0usize, 0usize);
    while let Some((a, b, p)) = sc.next_piece() {
        match p {
            Piece::Open if depth >= max => {
                dropped += 1;
                continue;
            }
            Piece::Open => depth += 1,
            Piece::Close if dropped > 0 => {
                dropped -= 1;
                continue;
            }
            Piece::Close => depth = depth.saturating_sub(1),
            Piece::Other if &html[a..b] == "<" => {
                // A lone `<` is text; escaped, it cannot join the text after a dropped tag
                // into a new tag (`<<b>div>` must not become `<div>`).
                out.push_str("&lt;");
                continue;
            }
            Piece::Other => {}
        }
        out.push_str(&html[a..b]);
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn depth_counts_only_nesting_elements() {
        assert_eq!(
            nesting_depth("<html><body><div><p>a<p>b<br>c</div></body></html>"),
            3
        );
        assert_eq!(nesting_depth("<ul><li>a<li>b</ul><img src='x>y'>"), 1);
        assert_eq!(
            nesting_depth("<script>if (a<b) { x = '<div><div><div>'; }</script><div></div>"),
            1
        );
        assert_eq!(nesting_depth("<!-- <div><div> --><span/>x < y"), 0);
    }

    #[test]
    fn deep_pages_are_flattened_and_keep_their_text() {
        let page =
            "<html><body><article><p>Protesters marched in Paris.</p></article></body></html>";
        assert!(matches!(limit_nesting(page, 3), Cow::Borrowed(_)));
        let n = 100_000;
        let mut deep = String::from("<html><body>");
        for _ in 0..n {
            deep.push_str("<div>");
        }
        deep.push_str("Police arrested dozens in Paris.");
        for _ in 0..n {
            deep.push_str("</div>");
        }
        deep.push_str("<p>After the nest.</p></body></html>");
        let flat = limit_nesting(&deep, 100);
        assert_eq!(nesting_depth(&flat), 100);
        assert!(flat.contains("Police arrested dozens in Paris."));
        assert!(
            flat.contains("<p>After the nest.</p></body></html>"),
            "end tags re-balanced"
        );
        assert_eq!(flat.matches("<div>").count(), 98);
    }

    /// The scanner before memchr (kept as the reference the fast one must agree with).
    fn old_pieces(s: &str) -> Vec<(usize, usize, u8)> {
        fn tag_end(b: &[u8], from: usize) -> usize {
            let mut quote = None;
            for (i, &c) in b.iter().enumerate().skip(from) {
                match quote {
                    Some(q) if c == q => quote = None,
                    Some(_) => {}
                    None if c == b'"' || c == b'\'' => quote = Some(c),
                    None if c == b'>' => return i + 1,
                    None => {}
                }
            }
            b.len()
        }
        fn find_byte(b: &[u8], from: usize, c: u8) -> Option<usize> {
            b[from..].iter().position(|&x| x == c).map(|p| from + p)
        }
        fn find_seq(b: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
            b.get(from..)?
                .windows(needle.len())
                .position(|w| w == needle)
                .map(|p| from + p)
        }
        fn find_ci(b: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
            b.get(from..)?
                .windows(needle.len())
                .position(|w| w.eq_ignore_ascii_case(needle))
                .map(|p| from + p)
        }
        let b = s.as_bytes();
        let mut out = Vec::new();
        let mut i = 0;
        while i < b.len() {
            let start = i;
            if b[start] != b'<' {
                i = find_byte(b, start, b'<').unwrap_or(b.len());
                out.push((start, i, 0));
                continue;
            }
            let rest = &b[start..];
            if rest.starts_with(b"<!--") {
                i = find_seq(b, start + 4, b"-->").map_or(b.len(), |e| e + 3);
                out.push((start, i, 0));
                continue;
            }
            let closing = rest.get(1) == Some(&b'/');
            let name_at = start + 1 + usize::from(closing);
            let name_len = b[name_at..]
                .iter()
                .take_while(|c| c.is_ascii_alphanumeric() || **c == b'-' || **c == b':')
                .count();
            if name_len == 0 || !b[name_at].is_ascii_alphabetic() {
                i = if matches!(rest.get(1), Some(b'!' | b'?')) {
                    find_byte(b, start, b'>').map_or(b.len(), |e| e + 1)
                } else {
                    start + 1
                };
                out.push((start, i, 0));
                continue;
            }
            let name = s[name_at..name_at + name_len].to_ascii_lowercase();
            let end = tag_end(b, name_at + name_len);
            i = end;
            let self_closing = end >= 2 && b[end - 2] == b'/' && b[end - 1] == b'>';
            let counted = !VOID.contains(&name.as_str()) && !IMPLIED.contains(&name.as_str());
            if closing {
                out.push((start, end, if counted { 2 } else { 0 }));
                continue;
            }
            if RAW.contains(&name.as_str()) && !self_closing {
                let close = format!("</{name}");
                let stop = find_ci(b, end, close.as_bytes()).unwrap_or(b.len());
                i = find_byte(b, stop, b'>').map_or(b.len(), |e| e + 1);
                out.push((start, i, 0));
                continue;
            }
            out.push((start, end, u8::from(counted && !self_closing)));
        }
        out
    }

    #[test]
    fn fast_scanner_agrees_with_the_old_one() {
        const BITS: [&str; 26] = [
            "<",
            ">",
            "</",
            "<div",
            "<DIV",
            "<Div class='a>b'>",
            "<script>",
            "</SCRIPT",
            "</script>",
            "'",
            "\"",
            "<!--",
            "-->",
            "<br/>",
            "<p>",
            "x",
            " ",
            "<!doctype>",
            "<?",
            "<textarea>",
            "</textarea >",
            "é",
            "<style x=\">\">",
            "</styLe>",
            "/>",
            "<1",
        ];
        let mut seed: u64 = 12345;
        for _ in 0..20_000 {
            let mut s = String::new();
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let n = (seed >> 59) as usize + 1;
            for _ in 0..n {
                seed = seed
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                s.push_str(BITS[(seed >> 33) as usize % BITS.len()]);
            }
            let mut sc = Scanner { s: &s, i: 0 };
            let mut fast = Vec::new();
            while let Some((a, b, p)) = sc.next_piece() {
                let k = match p {
                    Piece::Other => 0,
                    Piece::Open => 1,
                    Piece::Close => 2,
                };
                fast.push((a, b, k));
            }
            assert_eq!(fast, old_pieces(&s), "{s:?}");
        }
    }

    #[test]
    fn odd_markup_does_not_break_the_scan() {
        for s in [
            "<",
            "</",
            "<a",
            "<!--",
            "<script>",
            "<div a='>",
            "é<b>ü</b>",
            "<1>",
            "</>",
        ] {
            let _ = limit_nesting(s, 0);
            let _ = nesting_depth(s);
        }
        assert_eq!(limit_nesting("<b><i>x</i></b>", 1), "<b>x</b>");
        // Dropping a tag must not make a new one out of the text around it.
        let sneaky = "<<b>div><<b>div><<b>div>".repeat(3);
        assert!(nesting_depth(&limit_nesting(&sneaky, 1)) <= 1);
    }
}
