//! `wirecoder muc4 FILE.jsonl` and `wirecoder train muc4`: MUC-4 role fillers per document.
//!
//! The model comes from `--model FILE`, else the cache (`$XDG_CACHE_HOME/wirecoder/muc4.bin`,
//! or `~/.cache/wirecoder/muc4.bin`), else it is trained from
//! `../shared/eval/muc4/gtt_processed_train.jsonl` when that exists (and cached), else the
//! rule-based labeller answers. No model ships: the MUC-4 data is for research only.

use anyhow::{Context, Result};
use std::io::Write;
use std::path::{Path, PathBuf};
use wirecoder_code::muc4::{self, Muc4Doc, Muc4Model, Roles, TrainOptions};

/// Where training data is looked for when no model is given or cached.
const DEFAULT_TRAIN: &str = "../shared/eval/muc4/gtt_processed_train.jsonl";

/// What answers: a trained model or the rules.
pub(crate) enum Labeller {
    Model(Box<Muc4Model>),
    Rules,
}

impl Labeller {
    pub(crate) fn roles(&self, text: &str) -> Roles {
        match self {
            Labeller::Model(m) => m.roles(text),
            Labeller::Rules => muc4::rules_roles(text),
        }
    }
}

/// Reads MUC-4 JSONL; bad lines are reported on stderr and counted, not fatal.
pub(crate) fn read_docs(path: &Path) -> Result<(Vec<Muc4Doc>, usize)> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    let mut docs = Vec::new();
    let mut skipped = 0;
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        match muc4::parse_line(line, i + 1) {
            Ok(d) => docs.push(d),
            Err(e) => {
                eprintln!("{}: {e}", path.display());
                skipped += 1;
            }
        }
    }
    Ok((docs, skipped))
}

fn cache_path() -> Option<PathBuf> {
    super::model_file::cache_path("muc4.bin")
}

fn load(path: &Path) -> Result<Muc4Model> {
    super::model_file::load(path, Muc4Model::load)
}

fn save(m: &Muc4Model, path: &Path) -> Result<()> {
    super::model_file::save(path, |w| m.save(w))
}

fn train_model(train: &Path, opts: &TrainOptions) -> Result<Muc4Model> {
    let (docs, skipped) = read_docs(train)?;
    if skipped > 0 {
        eprintln!("{}: {skipped} lines skipped", train.display());
    }
    let t0 = std::time::Instant::now();
    let m = Muc4Model::train(&docs, opts, &mut |msg| {
        eprintln!("[{:>6.1}s] {msg}", t0.elapsed().as_secs_f64())
    });
    eprintln!(
        "trained on {} in {:.0}s ({} features)",
        train.display(),
        t0.elapsed().as_secs_f64(),
        m.feature_count()
    );
    Ok(m)
}

/// The labeller: `--model`, the cache, training on the fly, or the rules.
pub(crate) fn labeller(model: Option<&Path>) -> Result<Labeller> {
    if let Some(p) = model {
        return Ok(Labeller::Model(Box::new(load(p)?)));
    }
    let cache = cache_path();
    if let Some(c) = cache.as_deref().filter(|c| c.exists()) {
        match load(c) {
            Ok(m) => return Ok(Labeller::Model(Box::new(m))),
            Err(e) => eprintln!("ignoring the cached model: {e:#}"),
        }
    }
    let train = Path::new(DEFAULT_TRAIN);
    if train.exists() {
        eprintln!("no MUC-4 model given or cached: training one from {DEFAULT_TRAIN}");
        let m = train_model(train, &TrainOptions::default())?;
        if let Some(c) = cache.as_deref() {
            match save(&m, c) {
                Ok(()) => eprintln!("cached the model in {}", c.display()),
                Err(e) => eprintln!("could not cache the model: {e:#}"),
            }
        }
        return Ok(Labeller::Model(Box::new(m)));
    }
    eprintln!(
        "no MUC-4 model (give --model FILE, or train one with `wirecoder train muc4`): \
         using the rule-based labeller, which is much weaker"
    );
    Ok(Labeller::Rules)
}

/// `wirecoder muc4 FILE.jsonl`: one `{"docid", "roles"}` line per document.
pub fn run(file: &Path, model: Option<&Path>) -> Result<()> {
    let lab = labeller(model)?;
    let (docs, skipped) = read_docs(file)?;
    let mut out = super::stdout();
    for d in &docs {
        let v = serde_json::json!({"docid": d.docid, "roles": lab.roles(&d.text).to_json()});
        super::write_json(&mut out, &v, false)?;
    }
    out.flush()?;
    if skipped > 0 {
        eprintln!("{}: {skipped} lines skipped", file.display());
    }
    Ok(())
}

/// `wirecoder train muc4 TRAIN.jsonl --out FILE`.
pub fn run_train(train: &Path, out: &Path, epochs: usize) -> Result<()> {
    let opts = TrainOptions {
        epochs,
        ..TrainOptions::default()
    };
    let m = train_model(train, &opts)?;
    save(&m, out)?;
    eprintln!("wrote {}", out.display());
    Ok(())
}
