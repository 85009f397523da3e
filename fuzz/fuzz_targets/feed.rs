//! The feed reader (RSS, Atom, JSON Feed), over an in-memory file (also `f.rss.gz`).
#![no_main]
use libfuzzer_sys::fuzz_target;

#[path = "reader.rs"]
mod reader;

fuzz_target!(|data: &[u8]| reader::read_and_extract("f.rss", data));
