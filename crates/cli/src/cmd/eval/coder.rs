//! `wirecoder eval coder|timex|quotes`: the event coder and its attributes on gold sets.

use anyhow::{Context, Result};
use std::path::Path;
use wirecoder_code::eval::{
    eval_cameo_examples, eval_petrarch, eval_plover, eval_polnear, eval_timebank, petrarch_pipeline,
};

use super::CoderSuite;

fn pipeline() -> Result<wirecoder_code::Pipeline> {
    wirecoder_code::Pipeline::new().map_err(|e| anyhow::anyhow!("{e}"))
}

/// Event coding on PLOVER GSR or the CAMEO manual examples.
pub fn run(suite: CoderSuite, path: &Path, verbose: bool) -> Result<()> {
    if suite == CoderSuite::Petrarch {
        return run_petrarch(path, verbose);
    }
    let p = pipeline()?;
    let r = match suite {
        CoderSuite::Petrarch => return run_petrarch(path, verbose),
        CoderSuite::Plover => eval_plover(&p, path),
        CoderSuite::CameoExamples => {
            // The folder `../shared/kb/cameo` or the CSV itself.
            let csv = if path.is_dir() {
                path.join("cameo-codes.csv")
            } else {
                path.to_path_buf()
            };
            eval_cameo_examples(&p, &csv)
        }
    }
    .with_context(|| format!("scoring {}", path.display()))?;
    if verbose {
        for (gold, got, text) in &r.misses {
            println!("miss  gold={gold:<12} got={got:<28} {text}");
        }
    }
    let what = if matches!(suite, CoderSuite::Plover) {
        "event type"
    } else {
        "root code"
    };
    println!("suite             {}", r.suite);
    println!("records           {}", r.records);
    println!(
        "coded             {} ({:.1}%)",
        r.coded,
        100.0 * r.coded as f64 / r.records.max(1) as f64
    );
    println!("{:<19} {:.3}", format!("{what} (first)"), r.accuracy());
    println!("{:<19} {:.3}", format!("{what} (any)"), r.accuracy_any());
    if matches!(suite, CoderSuite::Plover) {
        println!(
            "actors agree      {:.3} ({}/{} type-correct records with gold actors)",
            r.actor_agreement(),
            r.actor_agree,
            r.actor_scored
        );
    }
    println!(
        "sentences/s       {:.0} (whole pipeline, debug or release as built)",
        r.sentences_per_s
    );
    Ok(())
}

/// The PETRARCH unit records (folder with `PETR.UnitTest.records.xml` and the
/// `PETR.Validate.*` dictionaries), coded by the product pipeline built with those dictionaries.
fn run_petrarch(dir: &Path, verbose: bool) -> Result<()> {
    let p = petrarch_pipeline(dir).with_context(|| format!("dictionaries in {}", dir.display()))?;
    let r = eval_petrarch(&p, dir).with_context(|| format!("scoring {}", dir.display()))?;
    print!("{}", r.table(verbose));
    println!(
        "found {:.3} ({}/{})  extra {:.3} ({})  bar: found >= 0.90, extra <= 0.10",
        r.recall(),
        r.total.found,
        r.total.expected,
        r.extra_rate(),
        r.total.extra
    );
    Ok(())
}

/// Temporal expressions on TimeBank.
pub fn run_timex(dir: &Path, verbose: bool) -> Result<()> {
    let r = eval_timebank(dir).with_context(|| format!("scoring {}", dir.display()))?;
    if verbose {
        for (t, k) in &r.missed {
            println!("missed    {k:<9} {t:?}");
        }
        for t in &r.spurious {
            println!("spurious  {t:?}");
        }
        for (t, g, v) in &r.wrong_values {
            println!("value     {t:?} gold={g} got={v}");
        }
    }
    println!("documents         {}", r.documents);
    println!("gold TIMEX3       {}", r.gold);
    println!("found             {}", r.predicted);
    println!("precision         {:.3}", r.precision());
    println!("recall            {:.3}", r.recall());
    println!("F1 (relaxed)      {:.3}", r.f1());
    println!(
        "value accuracy    {:.3} ({}/{} found DATE/TIME)",
        r.value_accuracy(),
        r.value_correct,
        r.date_time_found
    );
    Ok(())
}

/// Direct quotes and speakers on PolNeAR.
pub fn run_quotes(dir: &Path, verbose: bool) -> Result<()> {
    let p = pipeline()?;
    let r = eval_polnear(&p, dir).with_context(|| format!("scoring {}", dir.display()))?;
    if verbose {
        for m in &r.misses {
            println!(
                "miss  {}  ours={:?} gold={:?} | {}\n      context: {}",
                m.kind, m.ours, m.gold, m.quote, m.context
            );
        }
        for (q, ours, gold) in &r.wrong_speakers {
            println!("wrong\tours={ours:?}\tgold={gold:?}\t{q}");
        }
        for (k, n) in &r.miss_kinds {
            println!("kind  {n:4}  {k}");
        }
    }
    println!("documents         {}", r.documents);
    println!("gold direct       {}", r.gold_direct);
    println!(
        "quotes found      {} ({} gold direct quotes overlapped)",
        r.predicted, r.gold_found
    );
    println!(
        "speaker precision {:.3} ({}/{})",
        r.precision(),
        r.speaker_correct,
        r.scored
    );
    println!(
        "speaker recall    {:.3} ({}/{})",
        r.recall(),
        r.gold_correct,
        r.gold_direct
    );
    Ok(())
}
