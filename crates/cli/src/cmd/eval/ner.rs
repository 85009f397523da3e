//! `wirecoder eval ner DEV`: exact-span entity P/R/F1 per type and overall, and tagging speed.

use anyhow::Result;
use std::path::Path;
use wirecoder_kb::Kb;

/// Scores the model (see [`crate::cmd::ner::model`]) on the CoNLL-format file `dev`.
pub fn run(dev: &Path, model: Option<&Path>, train: Option<&Path>) -> Result<()> {
    let m = crate::cmd::ner::model(model, train)?;
    let gold = crate::cmd::ner::read_sentences(&[dev.to_path_buf()])?;
    let score = wirecoder_kb::score_ner(&m, Kb::shared(), &gold);
    println!("{score}");
    Ok(())
}
