//! Annotation CPU over a folder of plain-text articles, without extraction or storage, and a
//! checksum of every annotated document's JSON (a speed change must leave it alone):
//! `cargo run --release -p wirecoder-code --example annotate_bench -- ../shared/corpora/bbc [rounds]`.
use std::hash::{Hash, Hasher};

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
    let args: Vec<String> = std::env::args().skip(1).collect();
    let dir = args.first().map_or("../shared/corpora/bbc", |s| s.as_str());
    let rounds: usize = args.get(1).and_then(|s| s.parse().ok()).unwrap_or(1);
    let mut files = Vec::new();
    let mut stack = vec![std::path::PathBuf::from(dir)];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d)? {
            let p = e?.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "txt") {
                files.push(p);
            }
        }
    }
    files.sort();
    let texts: Vec<String> = files
        .iter()
        .filter_map(|f| std::fs::read_to_string(f).ok())
        .collect();
    let p = wirecoder_code::Pipeline::new()?;
    // Load the models before the clock starts.
    let mut warm = wirecoder_doc::Doc::new("Russia condemned Ukraine on Tuesday.");
    p.annotate(&mut warm);
    let c0 = cpu_s();
    let mut h = std::collections::hash_map::DefaultHasher::new();
    // Per layer too, so that a change in one (quotes) does not hide the others.
    let layers = ["entities", "dates", "events", "quotes", "sentences"];
    let mut hl: Vec<_> = layers
        .iter()
        .map(|_| std::collections::hash_map::DefaultHasher::new())
        .collect();
    let mut tones = std::collections::hash_map::DefaultHasher::new();
    let mut events = 0;
    for r in 0..rounds {
        for t in &texts {
            let mut doc = wirecoder_doc::Doc::new(t.as_str());
            p.annotate(&mut doc);
            if r == 0 {
                events += doc.events.len();
                let j = doc.to_json();
                j.to_string().hash(&mut h);
                for (l, hh) in layers.iter().zip(hl.iter_mut()) {
                    j.get(l).map(|v| v.to_string()).hash(hh);
                }
                format!("{:?} {:?}", doc.tone, doc.sentence_tones).hash(&mut tones);
            }
        }
    }
    let cpu = cpu_s() - c0;
    println!(
        "{} docs x {rounds}: {cpu:.2} s CPU, {:.0} docs/CPU s, {events} events, checksum {:016x}",
        texts.len(),
        (texts.len() * rounds) as f64 / cpu,
        h.finish()
    );
    for (l, hh) in layers.iter().zip(&hl) {
        print!("{l} {:08x} ", hh.finish() as u32);
    }
    println!("tones {:08x}", tones.finish() as u32);
    Ok(())
}
