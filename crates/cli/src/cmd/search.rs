//! `wirecoder search`: full-text search over stored sentences.

use super::{open_existing_store, stdout, write_json};
use crate::cli::{SearchArgs, SearchFormat};
use crate::render::{excerpt, table};
use anyhow::{anyhow, Result};
use serde_json::json;
use std::io::Write;
use wirecoder_store::SearchQuery;

pub fn run(a: &SearchArgs) -> Result<()> {
    let mut store = open_existing_store(&a.db)?;
    let q = SearchQuery {
        text: a.query.clone(),
        actor: a.actor.clone(),
        code: a.code.clone(),
        source: a.source.clone(),
        since: a.since.clone(),
        until: a.until.clone(),
        limit: a.limit,
    };
    let hits = store.search(&q).map_err(|e| anyhow!("{e}"))?;
    let mut out = stdout();
    match a.format {
        SearchFormat::Jsonl => {
            for h in &hits {
                let v = json!({
                    "score": h.score, "article_id": h.article_id, "sentence": h.sentence,
                    "day": h.day, "title": h.title, "text": h.text,
                });
                write_json(&mut out, &v, false)?;
            }
        }
        SearchFormat::Table => {
            let rows: Vec<Vec<String>> = hits
                .iter()
                .map(|h| {
                    vec![
                        format!("{:.2}", h.score),
                        h.article_id.to_string(),
                        h.day.to_string(),
                        excerpt(&h.title, 40),
                        excerpt(&h.text, 90),
                    ]
                })
                .collect();
            write!(
                out,
                "{}",
                table(&["score", "article", "day", "title", "sentence"], &rows)
            )?;
            if hits.is_empty() {
                writeln!(out, "(no sentence matches)")?;
            }
        }
    }
    out.flush()?;
    Ok(())
}
