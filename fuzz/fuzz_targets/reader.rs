//! Shared body of the reader targets (feed, jsonl, warc): read an in-memory file named
//! `name` (and the same bytes as `name.gz`), and extract every record it yields.
use wirecoder_ingest::{read_bytes, Format, Limits};

pub fn read_and_extract(name: &str, data: &[u8]) {
    let limits = Limits {
        max_page_bytes: 1 << 20,
        max_decompressed: 1 << 20,
        ..Limits::default()
    };
    for r in read_bytes(name, data, limits).into_iter().flatten() {
        // What a reader yields must be extractable.
        match r.format {
            Format::Html => {
                let _ = wirecoder_extract::extract_html(&r.text, r.meta.url.as_deref());
            }
            Format::TextPage => {
                let _ = wirecoder_extract::extract_text_page(&r.text);
            }
            Format::Body => {
                let _ = wirecoder_extract::extract_body(&r.text, r.meta);
            }
        }
    }
    let _ = read_bytes(&format!("{name}.gz"), data, limits);
}
