//! Sentence-splitting F1 on GUM-style CoNLL-U documents, without building the CLI:
//! `cargo run --release -p wirecoder-syntax --example split_eval -- ../shared/eval/gum-news/*.conllu`

use wirecoder_syntax::{document_from_conllu, sentence_f1, sentences, SplitScores};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let verbose = std::env::var("VERBOSE").is_ok();
    let mut total = SplitScores::default();
    for f in std::env::args().skip(1) {
        let (doc, gold) = document_from_conllu(&std::fs::read_to_string(&f)?);
        let s = sentence_f1(&doc, &gold, &[]);
        if verbose {
            for p in sentences(&doc, &[]).iter().filter(|p| !gold.contains(p)) {
                println!("  wrong: {:?}", &doc[p.start..p.end]);
            }
        }
        total.add(s);
    }
    println!(
        "gold {} predicted {} correct {} F1 {:.4}",
        total.gold,
        total.predicted,
        total.correct,
        total.f1()
    );
    Ok(())
}
