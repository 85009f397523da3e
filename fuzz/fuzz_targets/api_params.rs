//! The API's query-string parser (`GET /api/v1/events?...`).
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let q = String::from_utf8_lossy(data);
    let _ = wirecoder_serve::parse_events_query(&q);
});
