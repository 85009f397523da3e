//! `wirecoder train ner` and the model `wirecoder eval ner` scores: the statistical
//! named-entity tagger (`wirecoder_kb::NerModel`).
//!
//! The model comes from `--model FILE`, else is trained from `--train FILE`, else the cache
//! (`$XDG_CACHE_HOME/wirecoder/ner.bin`, or `~/.cache/wirecoder/ner.bin`), else it is trained
//! from `../shared/eval/conll2003/train.txt` when that exists (and cached). No model ships:
//! the CoNLL-2003 data is for research only.

use anyhow::{bail, Context, Result};
use std::path::{Path, PathBuf};
use wirecoder_kb::{read_conll, Kb, NerModel, TaggedSentence};

/// Where training data is looked for when no model is given or cached.
const DEFAULT_TRAIN: &str = "../shared/eval/conll2003/train.txt";

/// Training passes over the data (the perceptron has converged by then on CoNLL).
pub(crate) const EPOCHS: usize = 5;

/// Reads CoNLL-format files (`token ... TAG` lines, blank lines between sentences).
pub(crate) fn read_sentences(paths: &[PathBuf]) -> Result<Vec<TaggedSentence>> {
    let mut out = Vec::new();
    for p in paths {
        let text =
            std::fs::read_to_string(p).with_context(|| format!("cannot read {}", p.display()))?;
        let s = read_conll(&text);
        if s.is_empty() {
            bail!("{}: no CoNLL-format sentences", p.display());
        }
        out.extend(s);
    }
    Ok(out)
}

fn cache_path() -> Option<PathBuf> {
    super::model_file::cache_path("ner.bin")
}

/// Reads a model written by [`save`].
pub(crate) fn load(path: &Path) -> Result<NerModel> {
    super::model_file::load(path, |r| NerModel::load(r, "NER model"))
}

fn save(m: &NerModel, path: &Path) -> Result<()> {
    super::model_file::save(path, |w| m.save(w))
}

fn train(paths: &[PathBuf], epochs: usize) -> Result<NerModel> {
    let data = read_sentences(paths)?;
    let t0 = std::time::Instant::now();
    let m = NerModel::train(Kb::shared(), &data, epochs);
    eprintln!(
        "trained on {} sentences in {:.1}s ({} features, labels {})",
        data.len(),
        t0.elapsed().as_secs_f64(),
        m.feature_count(),
        m.labels().join(" ")
    );
    Ok(m)
}

/// The model: `--model`, `--train`, the cache, or trained from the default CoNLL data.
pub(crate) fn model(model: Option<&Path>, train_file: Option<&Path>) -> Result<NerModel> {
    if let Some(p) = model {
        return load(p);
    }
    if let Some(t) = train_file {
        return train(&[t.to_path_buf()], EPOCHS);
    }
    let cache = cache_path();
    if let Some(c) = cache.as_deref().filter(|c| c.exists()) {
        match load(c) {
            Ok(m) => {
                eprintln!("using the cached NER model {}", c.display());
                return Ok(m);
            }
            Err(e) => eprintln!("ignoring the cached NER model: {e:#}"),
        }
    }
    let default = Path::new(DEFAULT_TRAIN);
    if !default.exists() {
        bail!(
            "no NER model: give --model FILE (from `wirecoder train ner`) or --train FILE \
             (CoNLL format)"
        );
    }
    eprintln!("no NER model given or cached: training one from {DEFAULT_TRAIN}");
    let m = train(&[default.to_path_buf()], EPOCHS)?;
    if let Some(c) = cache.as_deref() {
        match save(&m, c) {
            Ok(()) => eprintln!("cached the model in {}", c.display()),
            Err(e) => eprintln!("could not cache the model: {e:#}"),
        }
    }
    Ok(m)
}

/// `wirecoder train ner TRAIN... --out FILE`.
pub fn run_train(paths: &[PathBuf], out: &Path, epochs: usize) -> Result<()> {
    let m = train(paths, epochs)?;
    save(&m, out)?;
    eprintln!("wrote {}", out.display());
    Ok(())
}
