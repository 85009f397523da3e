//! `wirecoder extract`: main text and metadata of pages, no annotation.

use super::{stdout, write_json};
use crate::cli::JsonFormat;
use crate::pipeline;
use anyhow::Result;
use serde_json::{json, Value};
use std::io::Write;
use wirecoder_doc::Doc;

/// The contract's `extract` shape.
pub fn extract_json(d: &Doc) -> Value {
    let m = &d.meta;
    json!({
        "path": m.path, "url": m.url, "title": m.title, "author": m.author,
        "published": m.published, "site": m.site, "language": m.language, "text": d.text,
    })
}

pub fn run(paths: &[String], format: JsonFormat) -> Result<()> {
    let mut out = stdout();
    let mut pending = Vec::new();
    let counts = pipeline::run_batch(
        paths,
        None,
        None,
        |doc| {
            match format {
                JsonFormat::Jsonl => write_json(&mut out, &extract_json(&doc), false)?,
                // Pretty output is one object, or an array when there are several.
                JsonFormat::Json => pending.push(extract_json(&doc)),
            }
            Ok(())
        },
        |_, _| Ok(()),
    )?;
    if format == JsonFormat::Json && !pending.is_empty() {
        let v = if pending.len() == 1 {
            pending.remove(0)
        } else {
            Value::Array(pending)
        };
        write_json(&mut out, &v, true)?;
    }
    out.flush()?;
    pipeline::check_counts(counts)
}
