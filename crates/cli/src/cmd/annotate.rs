//! `wirecoder annotate`: every layer of every document as the contract's JSON.

use super::{stdout, write_json};
use crate::cli::JsonFormat;
use crate::pipeline::{self, Annotator};
use anyhow::Result;
use serde_json::Value;
use std::io::Write;

pub fn run(paths: &[String], published: Option<&str>, format: JsonFormat) -> Result<()> {
    let annotator = Annotator::new()?;
    let mut out = stdout();
    let mut pending = Vec::new();
    let counts = pipeline::run_batch(
        paths,
        published,
        Some(&annotator),
        |doc| {
            match format {
                JsonFormat::Jsonl => write_json(&mut out, &doc.to_json(), false)?,
                JsonFormat::Json => pending.push(doc.to_json()),
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
