//! `wirecoder train syntax PATH...`: train the tagger, lemmatizer and parser.

use anyhow::{bail, Context, Result};
use std::path::{Path, PathBuf};
use wirecoder_syntax::{read_conllu, Model, Sentence, TrainOptions};

/// Train on the CoNLL-U files under `paths` and write the model to `out`.
pub fn run(
    paths: &[PathBuf],
    out: &Path,
    all_gum: bool,
    tagger_epochs: usize,
    parser_epochs: usize,
) -> Result<()> {
    let files = wirecoder_syntax::training_files(paths, all_gum)?;
    if files.is_empty() {
        bail!("no training CoNLL-U files under the given paths");
    }
    let mut sents: Vec<Sentence> = Vec::new();
    for f in &files {
        sents.extend(read_conllu(f)?);
    }
    sents.retain(|s| !s.words.is_empty());
    eprintln!("{} files, {} sentences", files.len(), sents.len());
    let t0 = std::time::Instant::now();
    let opts = TrainOptions {
        tagger_epochs,
        parser_epochs,
        ..TrainOptions::default()
    };
    let model = Model::train(&sents, &opts, &mut |m| {
        eprintln!("[{:>6.1}s] {m}", t0.elapsed().as_secs_f64())
    })?;
    let bytes = model.to_bytes()?;
    if let Some(dir) = out.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    }
    std::fs::write(out, &bytes).with_context(|| format!("cannot write {}", out.display()))?;
    eprintln!(
        "wrote {} ({:.1} MB) in {:.0}s",
        out.display(),
        bytes.len() as f64 / 1e6,
        t0.elapsed().as_secs_f64()
    );
    Ok(())
}
