//! `wirecoder stats`: row counts of the store.

use super::{open_existing_store, stdout, write_json};
use crate::cli::StatsFormat;
use crate::render::table;
use anyhow::{anyhow, Result};
use std::io::Write;

pub fn run(db: &str, format: StatsFormat) -> Result<()> {
    let store = open_existing_store(db)?;
    let stats = store.stats().map_err(|e| anyhow!("{e}"))?;
    let v = serde_json::to_value(stats)?;
    let mut out = stdout();
    match format {
        StatsFormat::Json => write_json(&mut out, &v, false)?,
        StatsFormat::Table => {
            let order = [
                "articles",
                "stories",
                "sentences",
                "entities",
                "quotes",
                "events",
                "canonical_events",
                "skipped",
            ];
            let rows: Vec<Vec<String>> = order
                .iter()
                .map(|k| vec![k.to_string(), v[k].to_string()])
                .collect();
            write!(out, "{}", table(&["what", "count"], &rows))?;
        }
    }
    out.flush()?;
    Ok(())
}
