//! `wirecoder eval muc4 FILE`: document-level role-filler P/R/F1 with head-noun matching.

use anyhow::{bail, Result};
use std::path::Path;
use wirecoder_code::muc4::{score::score_doc, Muc4Report, ROLES};

/// Scores the labeller (see `wirecoder muc4`) on gold MUC-4 JSONL.
pub fn run(file: &Path, model: Option<&Path>, verbose: bool) -> Result<()> {
    let lab = crate::cmd::muc4::labeller(model)?;
    let (docs, skipped) = crate::cmd::muc4::read_docs(file)?;
    let mut rep = Muc4Report::default();
    let t0 = std::time::Instant::now();
    for d in &docs {
        let Some(gold) = &d.gold else {
            bail!(
                "{}: {} has no \"templates\" to score against",
                file.display(),
                d.docid
            );
        };
        let pred = lab.roles(&d.text);
        let s = score_doc(&pred, gold);
        if verbose {
            for (r, role) in ROLES.iter().enumerate() {
                if s[r].matched < s[r].predicted.max(s[r].gold) {
                    println!(
                        "{} {role:<8} pred={:?} gold={:?}",
                        d.docid, pred.0[r], gold[r]
                    );
                }
            }
        }
        rep.add(s);
    }
    let secs = t0.elapsed().as_secs_f64();
    println!("documents  {} ({skipped} lines skipped)", rep.documents);
    print!("{}", rep.table());
    println!("docs/s    {:.0}", rep.documents as f64 / secs.max(1e-9));
    Ok(())
}
