//! `wirecoder eval coder|timex|quotes`: the event coder and its attributes on gold sets.

use crate::pipeline::Annotator;
use anyhow::{Context, Result};
use std::collections::{BTreeMap, HashMap};
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
        CoderSuite::Judged => anyhow::bail!("the judged suite runs through run_judged"),
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

/// The judged-precision sample: per corpus folder, the files ranked by an FNV-1a hash of
/// `"{SAMPLE_SEED}:{folder/file}"`, the first [`SAMPLE_PER_FOLDER`]; even ranks are the dev
/// half (tuned on), odd ranks the check half (judged up front, not looked at while tuning).
const SAMPLE_SEED: u64 = 6;
const SAMPLE_PER_FOLDER: usize = 50;

fn fnv1a64(s: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in s.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// The key a judgement names its sentence by: FNV-1a (32 bits, hex) of the sentence text, so
/// that the repository keeps no corpus text and a re-split sentence reads as unjudged.
fn sentence_hash(s: &str) -> String {
    let mut h: u32 = 0x811c_9dc5;
    for b in s.bytes() {
        h ^= u32::from(b);
        h = h.wrapping_mul(0x0100_0193);
    }
    format!("{h:08x}")
}

/// One judged event of the TSV.
struct Judgement {
    split: String,
    file: String,
    hash: String,
    code: String,
    source: String,
    target: String,
    verdict: String,
    used: bool,
}

/// The `.txt` files in the corpus's folders, as (`folder/file`, full path), sorted.
fn corpus_files(corpus: &Path) -> Result<Vec<(String, std::path::PathBuf)>> {
    let mut out = Vec::new();
    let mut dirs: Vec<_> = std::fs::read_dir(corpus)
        .with_context(|| format!("reading {}", corpus.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    for d in dirs {
        let folder = d
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or("")
            .to_string();
        let mut files: Vec<_> = std::fs::read_dir(&d)?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "txt"))
            .collect();
        files.sort();
        for f in files {
            let name = f.file_name().and_then(|n| n.to_str()).unwrap_or("");
            out.push((format!("{folder}/{name}"), f.clone()));
        }
    }
    Ok(out)
}

/// The sample's files with their half (`dev` / `check`).
fn sample_of(files: &[(String, std::path::PathBuf)]) -> HashMap<String, &'static str> {
    let mut by_folder: HashMap<&str, Vec<&str>> = HashMap::new();
    for (rel, _) in files {
        let folder = rel.split('/').next().unwrap_or("");
        by_folder.entry(folder).or_default().push(rel);
    }
    let mut out = HashMap::new();
    for (_, mut v) in by_folder {
        v.sort_by_key(|r| (fnv1a64(&format!("{SAMPLE_SEED}:{r}")), *r));
        for (i, r) in v.into_iter().take(SAMPLE_PER_FOLDER).enumerate() {
            out.insert(r.to_string(), if i % 2 == 0 { "dev" } else { "check" });
        }
    }
    out
}

fn read_judgements(tsv: &Path) -> Result<Vec<Judgement>> {
    let text =
        std::fs::read_to_string(tsv).with_context(|| format!("reading {}", tsv.display()))?;
    let mut out = Vec::new();
    for (n, line) in text.lines().enumerate() {
        if line.starts_with('#') || line.trim().is_empty() || line.starts_with("split\t") {
            continue;
        }
        let f: Vec<&str> = line.split('\t').collect();
        if f.len() < 8 {
            anyhow::bail!(
                "{}:{}: expected 9 tab-separated fields",
                tsv.display(),
                n + 1
            );
        }
        out.push(Judgement {
            split: f[0].to_string(),
            file: f[1].to_string(),
            hash: f[3].to_string(),
            code: f[4].to_string(),
            source: f[5].to_string(),
            target: f[6].to_string(),
            verdict: f[7].to_string(),
            used: false,
        });
    }
    Ok(out)
}

#[derive(Default)]
struct SplitCount {
    docs: usize,
    sentences: usize,
    events: usize,
    unjudged: usize,
    verdicts: BTreeMap<String, usize>,
}

impl SplitCount {
    fn judged(&self) -> usize {
        self.verdicts.values().sum()
    }
    fn right(&self) -> usize {
        self.verdicts.get("right").copied().unwrap_or(0)
    }
}

/// Judged precision on general news: the product pipeline codes the whole corpus, and the
/// events of the sample's documents are matched to the judgements of `tsv` by (file,
/// sentence hash, CAMEO code, source, target). `split` limits what `verbose` prints.
pub fn run_judged(tsv: &Path, corpus: &Path, split: Option<&str>, verbose: bool) -> Result<()> {
    let mut judged = read_judgements(tsv)?;
    let files = corpus_files(corpus)?;
    let sample = sample_of(&files);
    let mut index: HashMap<(String, String, String, String, String), usize> = HashMap::new();
    for (i, j) in judged.iter().enumerate() {
        if !sample.contains_key(&j.file) {
            anyhow::bail!("{}: {} is not in the sample", tsv.display(), j.file);
        }
        let key = (
            j.file.clone(),
            j.hash.clone(),
            j.code.clone(),
            j.source.clone(),
            j.target.clone(),
        );
        index.insert(key, i);
    }
    let rel_of: HashMap<String, String> = files
        .iter()
        .map(|(r, p)| (p.to_string_lossy().into_owned(), r.clone()))
        .collect();
    let paths: Vec<String> = files
        .iter()
        .map(|(_, p)| p.to_string_lossy().into_owned())
        .collect();
    let annotator = Annotator::new()?;
    let (mut docs, mut sentences, mut events) = (0usize, 0usize, 0usize);
    let mut splits: BTreeMap<&'static str, SplitCount> = BTreeMap::new();
    let mut unjudged_lines = Vec::new();
    let started = std::time::Instant::now();
    crate::pipeline::run_batch(
        &paths,
        None,
        Some(&annotator),
        |doc| {
            docs += 1;
            sentences += doc.sentences.len();
            events += doc.events.len();
            let Some(rel) = doc.meta.path.as_deref().and_then(|p| rel_of.get(p)) else {
                return Ok(());
            };
            let Some(&half) = sample.get(rel) else {
                return Ok(());
            };
            let c = splits.entry(half).or_default();
            c.docs += 1;
            c.sentences += doc.sentences.len();
            for e in &doc.events {
                c.events += 1;
                let stext = doc.sentences.get(e.sentence).map_or("", |s| doc.slice(*s));
                let hash = sentence_hash(stext);
                let source = e.source.actor.clone().unwrap_or_else(|| "-".into());
                let target = e
                    .target
                    .as_ref()
                    .and_then(|t| t.actor.clone())
                    .unwrap_or_else(|| "-".into());
                let key = (rel.clone(), hash.clone(), e.cameo.clone(), source, target);
                match index.get(&key) {
                    Some(&i) => {
                        judged[i].used = true;
                        *c.verdicts.entry(judged[i].verdict.clone()).or_default() += 1;
                        // Judged wrong: what to work on (only the half asked for).
                        if verbose && judged[i].verdict != "right" && split == Some(half) {
                            let (k, _, code, s, t) = key;
                            unjudged_lines.push(format!(
                                "{}\t{k}\t{code}\t{s}\t{t}\n    # {}",
                                judged[i].verdict,
                                stext.replace('\n', " ")
                            ));
                        }
                    }
                    None => {
                        c.unjudged += 1;
                        if verbose && split.is_none_or(|s| s == half) {
                            let (k, h, code, s, t) = key;
                            let ttext = e.target.as_ref().map_or("", |t| t.text.as_str());
                            unjudged_lines.push(format!(
                                "unjudged {half}\t{k}\t{}\t{h}\t{code}\t{s}\t{t}\t?\t\n    # [{}] -> [{}] {:?}: {}",
                                e.sentence,
                                e.source.text,
                                ttext,
                                e.modality,
                                stext.replace('\n', " ")
                            ));
                        }
                    }
                }
            }
            Ok(())
        },
        |_, _| Ok(()),
    )?;
    let secs = started.elapsed().as_secs_f64();
    if verbose {
        for l in &unjudged_lines {
            println!("{l}");
        }
        for j in judged
            .iter()
            .filter(|j| !j.used && split.is_none_or(|s| s == j.split))
        {
            println!(
                "dropped  {}\t{}\t{}\t{}\t{}\t{}\t{}",
                j.split, j.file, j.hash, j.code, j.source, j.target, j.verdict
            );
        }
    }
    let per_k = |ev: usize, s: usize| 1000.0 * ev as f64 / s.max(1) as f64;
    println!("suite             judged ({})", tsv.display());
    println!(
        "corpus            {} documents, {} sentences, {} events ({:.1} per 1000 sentences), {:.1} s",
        docs,
        sentences,
        events,
        per_k(events, sentences),
        secs
    );
    let mut all = SplitCount::default();
    let verdict_names: Vec<String> = {
        let mut v: Vec<String> = judged.iter().map(|j| j.verdict.clone()).collect();
        v.sort();
        v.dedup();
        v
    };
    println!(
        "{:<6} {:>5} {:>6} {:>7} {:>6} {:>8} {:>6} {:>9}  verdicts",
        "split", "docs", "events", "per1000", "judged", "unjudged", "right", "precision"
    );
    let mut rows: Vec<(&str, &SplitCount)> = splits.iter().map(|(k, v)| (*k, v)).collect();
    for (_, c) in &rows {
        all.docs += c.docs;
        all.sentences += c.sentences;
        all.events += c.events;
        all.unjudged += c.unjudged;
        for (v, n) in &c.verdicts {
            *all.verdicts.entry(v.clone()).or_default() += n;
        }
    }
    rows.push(("all", &all));
    for (name, c) in rows {
        let verdicts: Vec<String> = verdict_names
            .iter()
            .filter(|v| *v != "right")
            .map(|v| format!("{v} {}", c.verdicts.get(v).copied().unwrap_or(0)))
            .collect();
        println!(
            "{:<6} {:>5} {:>6} {:>7.1} {:>6} {:>8} {:>6} {:>9.3}  {}",
            name,
            c.docs,
            c.events,
            per_k(c.events, c.sentences),
            c.judged(),
            c.unjudged,
            c.right(),
            c.right() as f64 / c.judged().max(1) as f64,
            verdicts.join(", ")
        );
    }
    let dropped = |right: bool| {
        judged
            .iter()
            .filter(|j| !j.used && (j.verdict == "right") == right)
            .count()
    };
    println!(
        "judgements no longer produced: {} right, {} wrong (of {})",
        dropped(true),
        dropped(false),
        judged.len()
    );
    if all.unjudged > 0 {
        println!(
            "note: {} events are unjudged; judge them (--verbose) before claiming precision",
            all.unjudged
        );
    }
    Ok(())
}
