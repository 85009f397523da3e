//! The whole analysis on body text: sentences, tokens, dates, entities, quotes, events, and
//! the contract's JSON of the result.
#![no_main]
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

static PIPELINE: OnceLock<Option<wirecoder_code::Pipeline>> = OnceLock::new();

fuzz_target!(
    // Loading the knowledge base takes seconds under ASan: once, before the first input, so
    // that it does not count against the per-input timeout.
    init: {
        PIPELINE.get_or_init(|| wirecoder_code::Pipeline::new().ok());
    },
    |data: &[u8]| {
    let Some(Some(p)) = PIPELINE.get() else {
        return;
    };
    let text = String::from_utf8_lossy(data);
    let meta = wirecoder_doc::Meta {
        published: Some("2024-01-09".into()),
        ..Default::default()
    };
    let a = wirecoder_extract::extract_body(&text, meta);
    let mut doc = wirecoder_doc::Doc {
        meta: a.meta,
        text: a.text,
        headings: a.headings,
        stories: a.stories,
        ..Default::default()
    };
    p.annotate(&mut doc);
    let _ = doc.to_json();
});
