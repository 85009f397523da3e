//! The jsonl reader, over an in-memory file (also gzip-compressed: `f.jsonl.gz`).
#![no_main]
use libfuzzer_sys::fuzz_target;
use wirecoder_ingest::{read_bytes, Limits};

fuzz_target!(|data: &[u8]| {
    let limits = Limits {
        max_page_bytes: 1 << 20,
        max_decompressed: 1 << 20,
        ..Limits::default()
    };
    for r in read_bytes("f.jsonl", data, limits).into_iter().flatten() {
        // What a reader yields must be extractable.
        match r.format {
            wirecoder_ingest::Format::Html => {
                let _ = wirecoder_extract::extract_html(&r.text, r.meta.url.as_deref());
            }
            wirecoder_ingest::Format::TextPage => {
                let _ = wirecoder_extract::extract_text_page(&r.text);
            }
            wirecoder_ingest::Format::Body => {
                let _ = wirecoder_extract::extract_body(&r.text, r.meta);
            }
        }
    }
    let _ = read_bytes("f.jsonl.gz", data, limits);
});
