//! `wirecoder eval syntax FILE.conllu` and `wirecoder eval sentences PATH...`.

use anyhow::{Context, Result};
use std::path::{Path, PathBuf};
use wirecoder_syntax::{
    document_from_conllu, evaluate, read_conllu, sentence_f1, Model, SplitScores,
};

/// The model to score: a file, or the shipped one.
pub(crate) fn load_model(path: Option<&Path>) -> Result<&'static Model> {
    match path {
        Some(p) => {
            let bytes = std::fs::read(p).with_context(|| format!("cannot read {}", p.display()))?;
            let m = Model::from_bytes(&bytes).with_context(|| format!("in {}", p.display()))?;
            // One model per process: leaking it gives the same lifetime as the shared one.
            Ok(Box::leak(Box::new(m)))
        }
        None => Ok(Model::shared()?),
    }
}

/// Tagging and parsing with gold tokenization.
pub fn run(file: &Path, model: Option<&Path>) -> Result<()> {
    let t0 = std::time::Instant::now();
    let m = load_model(model)?;
    let load = t0.elapsed().as_secs_f64();
    let gold = read_conllu(file)?;
    let s = evaluate(m, &gold);
    println!("file       {}", file.display());
    println!("sentences  {}", s.sentences);
    println!("tokens     {}", s.tokens);
    println!("UPOS       {:.2}%", s.pct(s.upos));
    println!("XPOS       {:.2}%", s.pct(s.xpos));
    println!("lemma      {:.2}%", s.pct(s.lemma));
    println!("UAS        {:.2}", s.pct(s.uas));
    println!("LAS        {:.2}", s.pct(s.las));
    println!(
        "tokens/s   {:.0} (tag + lemma + parse, one thread)",
        s.tokens_per_second()
    );
    println!("model load {:.0} ms", load * 1000.0);
    Ok(())
}

/// Sentence splitting against gold sentences: GUM-style CoNLL-U documents (`# newpar`,
/// `# text`); the document text is rebuilt with paragraphs separated by a blank line and the
/// sentences of a paragraph by a space.
pub fn run_sentences(paths: &[PathBuf], verbose: bool) -> Result<()> {
    let mut files = Vec::new();
    for p in paths {
        if p.is_dir() {
            let mut v: Vec<PathBuf> = std::fs::read_dir(p)
                .with_context(|| format!("cannot list {}", p.display()))?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.to_string_lossy().ends_with(".conllu"))
                .collect();
            v.sort();
            files.extend(v);
        } else {
            files.push(p.clone());
        }
    }
    let mut total = SplitScores::default();
    for f in &files {
        let text =
            std::fs::read_to_string(f).with_context(|| format!("cannot read {}", f.display()))?;
        let (doc, gold) = document_from_conllu(&text);
        let s = sentence_f1(&doc, &gold, &[]);
        if verbose {
            let pred = wirecoder_syntax::sentences(&doc, &[]);
            for p in pred.iter().filter(|p| !gold.contains(p)) {
                println!("  extra/miss: {:?}", &doc[p.start..p.end]);
            }
        }
        println!(
            "{:<40} gold {:>4} predicted {:>4} correct {:>4} F1 {:.4}",
            f.file_name()
                .map(|n| n.to_string_lossy())
                .unwrap_or_default(),
            s.gold,
            s.predicted,
            s.correct,
            s.f1()
        );
        total.add(s);
    }
    println!(
        "TOTAL {} files: gold {} predicted {} correct {} F1 {:.4}",
        files.len(),
        total.gold,
        total.predicted,
        total.correct,
        total.f1()
    );
    Ok(())
}
