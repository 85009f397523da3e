//! Runs the CLI's `eval geo` code and a NER train-and-score loop against the knowledge base
//! alone (no CLI build needed):
//! `cargo run --release -p wirecoder-kb --example kb_eval -- geo ../shared/eval/geoparsing`,
//! `cargo run --release -p wirecoder-kb --example kb_eval -- ner TRAIN DEV`.
#[path = "../../cli/src/cmd/eval/geo.rs"]
mod geo;

use std::collections::HashMap;
use std::time::Instant;
use wirecoder_kb::{read_conll, spans, Kb, NerModel};

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
    // (tp, predicted, gold) per type.
    let mut c: HashMap<String, (usize, usize, usize)> = HashMap::new();
    let t = Instant::now();
    let mut bytes = 0;
    for s in &dv {
        bytes += s.tokens.iter().map(|t| t.len() + 1).sum::<usize>();
        let pred = spans(&model.tag(kb, &s.tokens));
        let gold = spans(&s.tags);
        for p in &pred {
            let e = c.entry(p.2.clone()).or_default();
            e.1 += 1;
            if gold.contains(p) {
                e.0 += 1;
            }
        }
        for g in &gold {
            c.entry(g.2.clone()).or_default().2 += 1;
        }
    }
    let secs = t.elapsed().as_secs_f64();
    let mut keys: Vec<_> = c.keys().cloned().collect();
    keys.sort();
    let (mut tp, mut np, mut ng) = (0, 0, 0);
    println!(
        "{:<6} {:>6} {:>6} {:>6} {:>6}",
        "type", "P", "R", "F1", "gold"
    );
    let f = |tp: usize, np: usize, ng: usize| {
        let p = tp as f64 / np.max(1) as f64;
        let r = tp as f64 / ng.max(1) as f64;
        (
            p,
            r,
            if p + r > 0.0 {
                2.0 * p * r / (p + r)
            } else {
                0.0
            },
        )
    };
    for k in keys {
        let (a, b, g) = c[&k];
        tp += a;
        np += b;
        ng += g;
        let (p, r, f1) = f(a, b, g);
        println!("{k:<6} {p:>6.3} {r:>6.3} {f1:>6.3} {g:>6}");
    }
    let (p, r, f1) = f(tp, np, ng);
    println!("{:<6} {p:>6.3} {r:>6.3} {f1:>6.3} {ng:>6}", "all");
    println!("tagging: {:.2} MB/s", bytes as f64 / 1e6 / secs);
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
        Some("actors") => actors(
            args.get(2)
                .map_or("../shared/eval/plover-gsr/PLOVER_GSR_CAMEO.dev.json", |s| s),
            args.iter().any(|a| a == "--verbose"),
        ),
        _ => anyhow::bail!(
            "usage: kb_eval geo DIR [--verbose] | kb_eval ner TRAIN DEV | kb_eval actors FILE [--verbose]"
        ),
    }
}
