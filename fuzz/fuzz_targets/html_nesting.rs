//! The HTML nesting limit: linear, keeps every piece of text, and within its own limit.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&max, rest)) = data.split_first() else {
        return;
    };
    let html = String::from_utf8_lossy(rest);
    let max = usize::from(max % 16);
    let flat = wirecoder_ingest::limit_nesting(&html, max);
    assert!(wirecoder_ingest::nesting_depth(&flat) <= max);
});
