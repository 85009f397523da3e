//! Plain text: charset decoding and format detection of raw bytes, then the text page and
//! body-text extractors.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok((text, _)) = wirecoder_ingest::decode(data, None) {
        let _ = wirecoder_ingest::detect_format("page.txt", &text);
        let a = wirecoder_extract::extract_text_page(&text);
        for h in &a.headings {
            assert!(a.text.is_char_boundary(h.start) && a.text.is_char_boundary(h.end));
        }
        let _ = wirecoder_extract::extract_body(&text, wirecoder_doc::Meta::default());
    }
    let _ = wirecoder_ingest::decode(data, Some("windows-1251"));
    // The same bytes as an in-memory file (feed, WARC and JSONL sniffing included).
    let _ = wirecoder_ingest::read_bytes("page.txt", data, limits());
});

fn limits() -> wirecoder_ingest::Limits {
    wirecoder_ingest::Limits {
        max_page_bytes: 1 << 20,
        max_decompressed: 1 << 20,
        ..Default::default()
    }
}
