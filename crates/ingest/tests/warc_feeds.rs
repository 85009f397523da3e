//! WARC archives and feeds from `../shared/fixtures` (skipped when absent): the HTML
//! responses come out, chunked and gzip-encoded bodies are unwrapped, revisit, request and
//! metadata records are passed over, and a truncated record is an error naming it.

use std::path::Path;
use wirecoder_ingest::{read_inputs, Format, IngestError, RawDoc};

const WARC: &str = "../../../shared/fixtures/warc";
const FEEDS: &str = "../../../shared/fixtures/feeds";

fn read(path: &str) -> (Vec<RawDoc>, Vec<IngestError>) {
    let mut docs = Vec::new();
    let mut errs = Vec::new();
    for r in read_inputs(&[path.to_string()]) {
        match r {
            Ok(d) => docs.push(d),
            Err(e) => errs.push(e),
        }
    }
    (docs, errs)
}

fn present(dir: &str) -> bool {
    let ok = Path::new(dir).is_dir();
    if !ok {
        eprintln!("{dir} not found, skipped");
    }
    ok
}

#[test]
fn warc_responses_and_revisits() {
    if !present(WARC) {
        return;
    }
    // example.warc: warcinfo, warcinfo, response, request, revisit, request → one page.
    for f in ["example.warc", "example.warc.gz"] {
        let (docs, errs) = read(&format!("{WARC}/{f}"));
        assert!(errs.is_empty(), "{f}: {errs:?}");
        assert_eq!(docs.len(), 1, "{f}");
        assert_eq!(docs[0].format, Format::Html);
        assert_eq!(docs[0].meta.url.as_deref(), Some("http://example.com/"));
        // The gzip content-encoding of example.warc.gz is undone.
        assert!(docs[0].text.contains("Example Domain"), "{f}");
        assert!(docs[0].source.ends_with("#3"), "{}", docs[0].source);
    }
}

#[test]
fn warc_chunked_resource_and_common_crawl() {
    if !present(WARC) {
        return;
    }
    let (docs, errs) = read(&format!("{WARC}/example-iana.org-chunked.warc"));
    assert!(errs.is_empty(), "{errs:?}");
    assert_eq!(docs.len(), 1);
    let t = &docs[0].text;
    assert!(t.contains("Internet Assigned Numbers Authority"));
    // No chunk-size lines left in the page.
    assert!(t.trim_start().starts_with('<'), "{}", &t[..40]);
    assert!(t.trim_end().ends_with("</html>"));

    let (docs, errs) = read(&format!("{WARC}/example-resource.warc.gz"));
    assert!(errs.is_empty(), "{errs:?}");
    assert_eq!(docs.len(), 1);
    assert!(docs[0].text.contains("Example Domain"));

    let (docs, errs) = read(&format!("{WARC}/whirlwind.warc.gz"));
    assert!(errs.is_empty(), "{errs:?}");
    assert_eq!(docs.len(), 1);
    assert_eq!(
        docs[0].meta.url.as_deref(),
        Some("https://an.wikipedia.org/wiki/Escopete")
    );
    assert!(docs[0].text.contains("Escopete"));
}

#[test]
fn truncated_warc_record_is_named_and_skipped() {
    if !present(WARC) {
        return;
    }
    let bytes = std::fs::read(format!("{WARC}/example.warc")).unwrap();
    let dir = tempfile::tempdir().unwrap();
    // Cut inside the response record (the third record).
    let at = 600
        + bytes
            .windows(19)
            .position(|w| w == b"WARC-Type: response")
            .unwrap();
    let p = dir.path().join("cut.warc");
    std::fs::write(&p, &bytes[..at]).unwrap();
    let (docs, errs) = read(p.to_str().unwrap());
    assert!(docs.is_empty());
    assert_eq!(errs.len(), 1);
    let msg = errs[0].to_string();
    assert!(msg.contains("cut.warc: record 3: truncated"), "{msg}");

    // Garbage between records: the reader finds the next record.
    let mut noisy = b"garbage line\r\n".to_vec();
    noisy.extend_from_slice(&bytes);
    let p = dir.path().join("noisy.warc");
    std::fs::write(&p, &noisy).unwrap();
    let (docs, _) = read(p.to_str().unwrap());
    assert_eq!(docs.len(), 1);
}

#[test]
fn wet_conversion_records_are_text_pages() {
    if !present(WARC) {
        return;
    }
    let (docs, errs) = read(&format!("{WARC}/whirlwind.warc.wet.gz"));
    assert!(errs.is_empty(), "{errs:?}");
    assert_eq!(docs.len(), 1);
    assert_eq!(docs[0].format, Format::TextPage);
    assert!(docs[0].text.contains("Escopete"));
}

#[test]
fn feeds_give_one_document_an_item() {
    if !present(FEEDS) {
        return;
    }
    let (docs, errs) = read(&format!("{FEEDS}/feed2.rss"));
    assert!(errs.is_empty(), "{errs:?}");
    assert_eq!(docs.len(), 1);
    let d = &docs[0];
    assert_eq!(d.meta.title.as_deref(), Some("Example entry"));
    assert_eq!(
        d.meta.url.as_deref(),
        Some("http://www.example.com/blog/post/1")
    );
    assert_eq!(d.meta.published.as_deref(), Some("2009-09-06"));
    assert!(d.text.contains("interesting description"));

    let (docs, errs) = read(&format!("{FEEDS}/feed1.atom"));
    assert!(errs.is_empty(), "{errs:?}");
    assert!(!docs.is_empty());
    assert_eq!(
        docs[0].meta.title.as_deref(),
        Some("Atom-Powered Robots Run Amok")
    );
    assert_eq!(docs[0].meta.published.as_deref(), Some("2003-12-13"));

    let (docs, errs) = read(&format!("{FEEDS}/feed.json"));
    assert!(errs.is_empty(), "{errs:?}");
    assert!(docs.len() >= 5, "{}", docs.len());
    assert!(docs[0].text.contains("Zipline"));
    assert_eq!(
        docs[0].meta.title.as_deref(),
        Some("Keller Rinaudo: How can delivery drones save lives?")
    );
    assert_eq!(docs[0].meta.published.as_deref(), Some("2021-10-29"));
}
