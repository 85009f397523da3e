//! Tags and parses every sentence (3 to 70 tokens) of the text files under a folder with the
//! shipped model: sentences per CPU second and a checksum of the analyses (so a speed change
//! can be checked to give the same trees). `cargo run --release -p wirecoder-syntax --example
//! parse_bench -- ../shared/corpora/bbc [rounds] [stride]`
use std::hash::{Hash, Hasher};
use std::time::Instant;

fn files(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    let mut es: Vec<_> = rd.filter_map(|e| e.ok()).map(|e| e.path()).collect();
    es.sort();
    for p in es {
        if p.is_dir() {
            files(&p, out);
        } else if p.extension().is_some_and(|e| e == "txt") {
            out.push(p);
        }
    }
}

/// This process's user + system CPU seconds (from /proc; 0 elsewhere): wall time lies on a
/// busy machine.
fn cpu_s() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let after = stat.rsplit(')').next().unwrap_or("");
    let f: Vec<&str> = after.split_whitespace().collect();
    let tick = |i: usize| f.get(i).and_then(|v| v.parse::<f64>().ok()).unwrap_or(0.0);
    (tick(11) + tick(12)) / 100.0
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let dir = args.get(1).map_or("../shared/corpora/bbc", |s| s.as_str());
    let rounds: usize = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(1);
    // Every `stride`-th sentence only (a quicker run).
    let stride: usize = args.get(3).and_then(|s| s.parse().ok()).unwrap_or(1).max(1);
    let mut paths = Vec::new();
    files(std::path::Path::new(dir), &mut paths);
    let mut sents: Vec<Vec<String>> = Vec::new();
    for p in &paths {
        let text = std::fs::read_to_string(p)?;
        for (i, s) in wirecoder_syntax::sentences(&text, &[]).iter().enumerate() {
            let toks = wirecoder_syntax::tokenize(&text, s.start, s.end, i);
            if (3..=70).contains(&toks.len()) && i % stride == 0 {
                sents.push(
                    toks.iter()
                        .map(|t| text[t.span.start..t.span.end].to_string())
                        .collect(),
                );
            }
        }
    }
    let m = wirecoder_syntax::Model::shared()?;
    let words: usize = sents.iter().map(|s| s.len()).sum();
    let mut h = std::collections::hash_map::DefaultHasher::new();
    let t = Instant::now();
    let c0 = cpu_s();
    for r in 0..rounds {
        for s in &sents {
            let a = m.analyse_words(s);
            if r == 0 {
                for x in &a {
                    (&x.upos, &x.xpos, &x.lemma, x.head, &x.deprel).hash(&mut h);
                }
            }
        }
    }
    let el = t.elapsed().as_secs_f64();
    let cpu = cpu_s() - c0;
    println!(
        "{} sentences, {} words x {rounds}: {:.3} s wall, {:.2} s CPU, {:.0} words/CPU s, checksum {:016x}",
        sents.len(),
        words,
        el,
        cpu,
        (words * rounds) as f64 / cpu,
        h.finish()
    );
    Ok(())
}
