//! The limits against hostile inputs (issue #13), through `read_bytes`: each gives a clear
//! error naming its input, or a sane document, within bounded memory.

use flate2::write::GzEncoder;
use flate2::Compression;
use std::io::Write;
use wirecoder_ingest::{nesting_depth, read_bytes, Format, IngestError, Limits};

fn gzip_of(chunk: &[u8], times: usize) -> Vec<u8> {
    let mut e = GzEncoder::new(Vec::new(), Compression::default());
    for _ in 0..times {
        e.write_all(chunk).unwrap();
    }
    e.finish().unwrap()
}

fn small() -> Limits {
    Limits {
        max_page_bytes: 1 << 20,
        max_decompressed: 4 << 20,
        max_nesting: 50,
        ..Limits::default()
    }
}

#[test]
fn a_gzip_bomb_stops_at_the_limit() {
    // 256 MiB of spaces, a quarter of a megabyte on disk.
    let bomb = gzip_of(&[b' '; 1 << 20], 256);
    assert!(bomb.len() < 1 << 20);
    let r = read_bytes("bomb.html.gz", &bomb, small());
    assert_eq!(r.len(), 1);
    let e = r[0].as_ref().unwrap_err();
    assert!(matches!(e, IngestError::TooLarge { .. }), "{e}");
    assert!(e.to_string().starts_with("bomb.html.gz: "), "{e}");
}

#[test]
fn a_bomb_inside_a_warc_record_is_one_bad_record() {
    let body = gzip_of(&[b' '; 1 << 20], 64);
    let mut http = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Encoding: gzip\r\n\
         Content-Length: {}\r\n\r\n",
        body.len()
    )
    .into_bytes();
    http.extend_from_slice(&body);
    let page = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n<html><body><p>Iran protested.</p></body></html>";
    let mut warc = Vec::new();
    for (uri, block) in [("https://x/bomb", &http[..]), ("https://x/ok", &page[..])] {
        warc.extend_from_slice(
            format!(
                "WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: {uri}\r\n\
                 Content-Type: application/http; msgtype=response\r\nContent-Length: {}\r\n\r\n",
                block.len()
            )
            .as_bytes(),
        );
        warc.extend_from_slice(block);
        warc.extend_from_slice(b"\r\n\r\n");
    }
    let r = read_bytes("crawl.warc", &warc, small());
    assert_eq!(r.len(), 2, "{r:?}");
    let e = r[0].as_ref().unwrap_err();
    assert!(e.to_string().contains("inflates to over"), "{e}");
    assert_eq!(e.path(), "crawl.warc#1");
    assert!(r[1].as_ref().unwrap().text.contains("Iran protested."));
}

#[test]
fn a_one_line_bomb_in_jsonl_is_one_bad_line_and_the_next_lines_are_read() {
    let mut plain = br#"{"id": "a", "text": ""#.to_vec();
    plain.extend_from_slice(&vec![b'x'; 8 << 20]);
    plain.extend_from_slice(
        b"\"}\n{\"id\": \"b\", \"text\": \"Police arrested protesters in Paris.\"}\n",
    );
    let gz = gzip_of(&plain, 1);
    let r = read_bytes("dump.jsonl.gz", &gz, small());
    assert_eq!(r.len(), 2, "{r:?}");
    let e = r[0].as_ref().unwrap_err();
    assert!(
        matches!(e, IngestError::BadLine { line: 1, .. }) && e.to_string().contains("longer than"),
        "{e}"
    );
    let d = r[1].as_ref().unwrap();
    assert_eq!(d.meta.id.as_deref(), Some("b"));
    assert_eq!(d.source, "dump.jsonl.gz:2");
}

#[test]
fn deep_html_is_flattened_on_the_way_in() {
    let mut page = String::from("<html><body><p>Talks opened in Geneva on Monday.</p>");
    page.push_str(&"<div><span>".repeat(50_000));
    page.push_str("</body></html>");
    let started = std::time::Instant::now();
    let r = read_bytes("deep.html", page.as_bytes(), small());
    let d = r[0].as_ref().unwrap();
    assert!(started.elapsed().as_secs() < 5, "{:?}", started.elapsed());
    assert_eq!(d.format, Format::Html);
    assert_eq!(nesting_depth(&d.text), 50);
    assert!(d.text.contains("Talks opened in Geneva on Monday."));
}

#[test]
fn pages_over_the_size_limit_are_refused() {
    let page = vec![b'a'; (1 << 20) + 1];
    let e = read_bytes("big.txt", &page, small()).remove(0).unwrap_err();
    assert!(matches!(e, IngestError::TooLarge { .. }), "{e}");
    let e = read_bytes("cut.html.gz", &gzip_of(b"<p>x</p>", 1)[..10], small())
        .remove(0)
        .unwrap_err();
    assert!(matches!(e, IngestError::Gzip { .. }), "{e}");
}
