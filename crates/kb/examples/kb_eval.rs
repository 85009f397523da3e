//! Runs the CLI's `eval geo` code and a NER train-and-score loop against the knowledge base
//! alone (no CLI build needed):
//! `cargo run --release -p wirecoder-kb --example kb_eval -- geo ../shared/eval/geoparsing`,
//! `cargo run --release -p wirecoder-kb --example kb_eval -- ner TRAIN DEV`,
//! `cargo run --release -p wirecoder-kb --example kb_eval -- speed ../shared/corpora/bbc`.
#[path = "../../cli/src/cmd/eval/geo.rs"]
mod geo;

use std::time::Instant;
use wirecoder_kb::{read_conll, score_ner, thread_cpu_secs, Kb, NerModel};

fn ner(train: &str, dev: &str) -> anyhow::Result<()> {
    let kb = Kb::shared();
    let tr = read_conll(&std::fs::read_to_string(train)?);
    let dv = read_conll(&std::fs::read_to_string(dev)?);
    let t = Instant::now();
    let model = NerModel::train(kb, &tr, 5);
    println!(
        "trained on {} sentences in {:.1} s, {} features",
        tr.len(),
        t.elapsed().as_secs_f64(),
        model.feature_count()
    );
    let score = score_ner(&model, kb, &dv);
    println!("{score}");
    let bytes = score.bytes;
    // Timing alone (best of 3 passes of 5 rounds over dev), by the wall clock and by this
    // thread's CPU time: the machine is shared, and CPU time is what "per core" means.
    let texts: Vec<String> = dv.iter().map(|s| s.tokens.join(" ")).collect();
    // KB_EVAL_ROUNDS=0 skips the timing (to subtract the rest of a run under `perf stat`).
    let rounds: usize = std::env::var("KB_EVAL_ROUNDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(5);
    let mut best = [f64::MAX; 4];
    for _ in 0..3 {
        let (t, c) = (Instant::now(), thread_cpu_secs());
        let n: usize = (0..rounds)
            .flat_map(|_| &dv)
            .map(|s| model.tag_ids(kb, &s.tokens).len())
            .sum();
        std::hint::black_box(n);
        best[0] = best[0].min(t.elapsed().as_secs_f64());
        best[1] = best[1].min(thread_cpu_secs() - c);
        // The dictionary and gazetteer pass the tagger's knowledge-base features need.
        let (t, c) = (Instant::now(), thread_cpu_secs());
        let n: usize = (0..rounds)
            .flat_map(|_| &texts)
            .map(|x| kb.names(x, None).len())
            .sum();
        std::hint::black_box(n);
        best[2] = best[2].min(t.elapsed().as_secs_f64());
        best[3] = best[3].min(thread_cpu_secs() - c);
    }
    let mbs = |s: f64| (rounds * bytes) as f64 / 1e6 / s;
    println!(
        "tagging, best of 3: {:.2} MB/s wall, {:.2} MB/s of CPU time ({:.2} MB of text)",
        mbs(best[0]),
        mbs(best[1]),
        bytes as f64 / 1e6
    );
    println!(
        "of which Kb::names: {:.2} MB/s wall, {:.2} MB/s of CPU time",
        mbs(best[2]),
        mbs(best[3])
    );
    Ok(())
}

/// `Kb::mentions` (the pipeline's entity stage, `crates/code` step 3) over every `.txt` file
/// under `dir`, best of 3 passes.
fn speed(dir: &str) -> anyhow::Result<()> {
    fn walk(d: &std::path::Path, out: &mut Vec<String>) -> anyhow::Result<()> {
        let mut entries: Vec<_> = std::fs::read_dir(d)?.collect::<Result<_, _>>()?;
        entries.sort_by_key(|e| e.path());
        for e in entries {
            let p = e.path();
            if p.is_dir() {
                walk(&p, out)?;
            } else if p.extension().is_some_and(|x| x == "txt") {
                // BBC's files are Latin-1 in places: read bytes, replace what is not UTF-8.
                out.push(String::from_utf8_lossy(&std::fs::read(&p)?).into_owned());
            }
        }
        Ok(())
    }
    let mut docs = Vec::new();
    walk(std::path::Path::new(dir), &mut docs)?;
    let bytes: usize = docs.iter().map(String::len).sum();
    let kb = Kb::shared();
    kb.gazetteer_error();
    let (mut wall, mut cpu, mut n) = (f64::MAX, f64::MAX, 0);
    for _ in 0..3 {
        let (t, c) = (Instant::now(), thread_cpu_secs());
        n = docs
            .iter()
            .map(|d| kb.mentions(d, None).len())
            .sum::<usize>();
        wall = wall.min(t.elapsed().as_secs_f64());
        cpu = cpu.min(thread_cpu_secs() - c);
    }
    println!(
        "{} documents, {:.2} MB, {n} mentions; Kb::mentions, best of 3: {:.2} MB/s wall, {:.2} MB/s of CPU time",
        docs.len(),
        bytes as f64 / 1e6,
        bytes as f64 / 1e6 / wall,
        bytes as f64 / 1e6 / cpu
    );
    Ok(())
}

fn actors(path: &str, verbose: bool) -> anyhow::Result<()> {
    let json = std::fs::read_to_string(path)?;
    let s = wirecoder_kb::score_actors(Kb::shared(), &json)?;
    if verbose {
        for i in s.items.iter().filter(|i| !i.full_ok) {
            println!(
                "{} {:<6} {:<45} gold {}{:<6} got {:<12} {:?}",
                if i.country_ok { "~" } else { "x" },
                i.role,
                format!("{:?}", i.actor_text),
                i.gold_country,
                i.gold_sector
                    .as_deref()
                    .unwrap_or(if i.sector_unknown { "***" } else { "" }),
                i.found.as_deref().unwrap_or("-"),
                i.found_text.as_deref().unwrap_or(""),
            );
        }
    }
    println!(
        "gold actors {}  located {}  coded {}  country {:.3} ({})  full {:.3} ({}/{})",
        s.total,
        s.located,
        s.with_code,
        s.country_rate(),
        s.country_ok,
        s.full_rate(),
        s.full_ok,
        s.full_total
    );
    Ok(())
}

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    match args.get(1).map(String::as_str) {
        Some("geo") => geo::run(
            std::path::Path::new(args.get(2).map_or("../shared/eval/geoparsing", |s| s)),
            args.iter().any(|a| a == "--verbose"),
        ),
        Some("ner") => ner(
            args.get(2)
                .map_or("../shared/eval/conll2003/train.txt", |s| s),
            args.get(3)
                .map_or("../shared/eval/conll2003/dev.txt", |s| s),
        ),
        Some("mentions") => {
            let text = args.get(2).map_or("", |s| s);
            for m in Kb::shared().mentions(text, None) {
                println!(
                    "{:<40} {:?} {:?}",
                    &text[m.start..m.end],
                    m.kind,
                    m.code
                );
            }
            Ok(())
        }
        Some("speed") => speed(args.get(2).map_or("../shared/corpora/bbc", |s| s)),
        Some("actors") => actors(
            args.get(2)
                .map_or("../shared/eval/plover-gsr/PLOVER_GSR_CAMEO.dev.json", |s| s),
            args.iter().any(|a| a == "--verbose"),
        ),
        _ => anyhow::bail!(
            "usage: kb_eval geo DIR [--verbose] | kb_eval ner TRAIN DEV | kb_eval speed DIR | kb_eval actors FILE [--verbose]"
        ),
    }
}
