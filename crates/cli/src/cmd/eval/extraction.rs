//! `wirecoder eval extraction --suite trafilatura|wcxb DIR`.

use super::ExtractionSuite;
use crate::cmd::stdout;
use anyhow::{Context, Result};
use std::io::Write;
use std::path::Path;
use wirecoder_extract::{evaluate, load_suite, Suite};

pub fn run(suite: ExtractionSuite, dir: &Path, verbose: bool) -> Result<()> {
    let s = match suite {
        ExtractionSuite::Trafilatura => Suite::Trafilatura,
        ExtractionSuite::Wcxb => Suite::Wcxb,
    };
    let cases = load_suite(s, dir).with_context(|| format!("cannot read {}", dir.display()))?;
    anyhow::ensure!(!cases.is_empty(), "no pages found in {}", dir.display());
    let rep = evaluate(&cases, verbose);
    let mut out = stdout();
    for d in &rep.details {
        writeln!(out, "{d}")?;
    }
    let (tp, fn_, fp, tn) = rep.snippets;
    let (p, r, f) = rep.snippet_prf;
    writeln!(
        out,
        "pages {}  snippets: tp {tp} fn {fn_} fp {fp} tn {tn}  precision {p:.3} recall {r:.3} f1 {f:.3}",
        rep.pages
    )?;
    if let Some((p, r, f)) = rep.word_prf {
        writeln!(
            out,
            "word-bag (per page, averaged): precision {p:.3} recall {r:.3} f1 {f:.3}"
        )?;
    }
    if let Some((p, r, f)) = rep.shingle_prf {
        writeln!(
            out,
            "4-shingles (averaged P/R): precision {p:.3} recall {r:.3} f1 {f:.3}"
        )?;
    }
    let acc = |name: &str, a: Option<(usize, usize)>, out: &mut dyn Write| -> Result<()> {
        if let Some((ok, n)) = a {
            writeln!(out, "{name}: {:.3} ({ok}/{n})", ok as f64 / n.max(1) as f64)?;
        }
        Ok(())
    };
    acc("date (day)", rep.date_acc, &mut out)?;
    acc("title (relaxed)", rep.title_acc, &mut out)?;
    acc("author (relaxed)", rep.author_acc, &mut out)?;
    write!(
        out,
        "speed: {:.1} pages/s on one thread ({:.2} s wall)",
        rep.pages_per_sec(),
        rep.seconds
    )?;
    if let (Some(p), Some(c)) = (rep.pages_per_cpu_sec(), rep.cpu_seconds) {
        write!(out, ", {p:.1} pages per CPU second ({c:.2} s CPU)")?;
    }
    writeln!(out)?;
    out.flush()?;
    Ok(())
}
