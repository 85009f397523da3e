//! The CoNLL-U reader, and writing back what it read.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    if let Ok(sents) = wirecoder_syntax::parse_conllu(&text, "fuzz.conllu") {
        for s in &sents {
            let _ = s.text();
            let _ = s.to_conllu();
        }
    }
});
