//! HTML extraction: metadata and main text of any page, with and without a URL.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let html = String::from_utf8_lossy(data);
    let a = wirecoder_extract::extract_html(&html, None);
    // The contract: headings and stories are spans of the text.
    for h in &a.headings {
        assert!(h.start <= h.end && h.end <= a.text.len());
        assert!(a.text.is_char_boundary(h.start) && a.text.is_char_boundary(h.end));
    }
    let _ = wirecoder_extract::extract_html(&html, Some("https://example.com/2024/01/09/x"));
});
