//! Date normalization: temporal expressions against an anchor (any day from 1900 on, taken
//! from the first two bytes, or none), publication-date inference, and metadata dates.
#![no_main]
use chrono::{Days, NaiveDate};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if data.len() < 2 {
        return;
    }
    let days = u64::from(u16::from_le_bytes([data[0], data[1]]));
    let base = NaiveDate::from_ymd_opt(1900, 1, 1).unwrap_or_default();
    let anchor = base.checked_add_days(Days::new(days));
    let text = String::from_utf8_lossy(&data[2..]);
    for a in [anchor, None] {
        for t in wirecoder_code::find_timexes(&text, 0, text.len(), a) {
            assert!(t.start <= t.end && t.end <= text.len());
        }
    }
    let _ = wirecoder_code::infer_published(&text, anchor.unwrap_or(base));
    let _ = wirecoder_extract::iso_date(&text);
});
