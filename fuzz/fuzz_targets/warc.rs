//! The warc reader, over an in-memory file (also gzip-compressed: `f.warc.gz`).
#![no_main]
use libfuzzer_sys::fuzz_target;

#[path = "reader.rs"]
mod reader;

fuzz_target!(|data: &[u8]| reader::read_and_extract("f.warc", data));
