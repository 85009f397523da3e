//! MUC-4 role fillers on a held-out part of the training data and on TST1+TST2, without
//! building the CLI:
//!
//! ```sh
//! cargo run --release -p wirecoder-code --example muc4_eval -- \
//!     ../shared/eval/muc4/gtt_processed_train.jsonl ../shared/eval/muc4/gtt_processed_dev.jsonl
//! ```
//!
//! The last 20 % of the training documents (a contiguous block: neighbouring MUC documents
//! retell the same incident) are held out; a model trained on the first 80 % (its decoding
//! settings tuned by cross-validation inside those 80 %) is scored on them. A model trained
//! on all training documents, as `wirecoder train muc4` does, is scored on the dev file.
//! `--cache DIR` keeps both models between runs (`--retrain` replaces them).
//!
//! `--dump PREFIX [--dump-bias B]` writes, instead, the tagger's candidate fillers (decoded
//! with bias B, default 45) with what is known about each (margins, mentions, sentences,
//! neighbouring words, the gold entities it matches) as JSON lines, for experiments with a
//! second stage outside Rust: `PREFIX.fit80.jsonl` (out of fold over the first 80 %, then the
//! held-out 20 %) and `PREFIX.full.jsonl` (out of fold over all training documents, then dev).

use std::path::{Path, PathBuf};
use wirecoder_code::muc4::{
    parse_line, score::score_doc, Muc4Doc, Muc4Model, Muc4Report, TrainOptions, ROLES,
};

fn read(path: &Path) -> Vec<Muc4Doc> {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| {
        eprintln!("{}: {e}", path.display());
        std::process::exit(2)
    });
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .filter_map(|(i, l)| parse_line(l, i + 1).ok())
        .collect()
}

fn model(
    docs: &[Muc4Doc],
    cache: Option<&PathBuf>,
    name: &str,
    retrain: bool,
    opts: &TrainOptions,
) -> Muc4Model {
    let path = cache.map(|d| d.join(name));
    if let (Some(p), false) = (&path, retrain) {
        if let Ok(f) = std::fs::File::open(p) {
            if let Ok(m) = Muc4Model::load(&mut std::io::BufReader::new(f)) {
                eprintln!("{name}: loaded from {}", p.display());
                return m;
            }
        }
    }
    let t0 = std::time::Instant::now();
    let m = Muc4Model::train(docs, opts, &mut |s| eprintln!("{name}: {s}"));
    eprintln!("{name}: trained in {:.0} s", t0.elapsed().as_secs_f64());
    if let Some(p) = path {
        if let Ok(f) = std::fs::File::create(&p) {
            let mut w = std::io::BufWriter::new(f);
            if let Err(e) = m.save(&mut w) {
                eprintln!("{}: {e}", p.display());
            }
        }
    }
    m
}

fn report(title: &str, m: &Muc4Model, docs: &[Muc4Doc]) -> f64 {
    let mut rep = Muc4Report::default();
    for d in docs {
        if let Some(g) = &d.gold {
            rep.add(score_doc(&m.roles(&d.text), g));
        }
    }
    println!("{title} ({} documents)", rep.documents);
    print!("{}", rep.table());
    rep.micro.f1()
}

/// Error kinds on `docs`: per role, spurious fillers that match a gold entity already matched
/// (duplicates), that match a gold entity of another role (wrong role), or nothing; missed
/// entities whose mentions' head nouns are not even among the text's words (beyond reach).
fn errors(m: &Muc4Model, docs: &[Muc4Doc], show: bool) {
    use wirecoder_code::muc4::{head_noun, score::matches};
    let mut k = [[0usize; 5]; 5];
    for d in docs {
        let Some(g) = &d.gold else { continue };
        let pred = m.roles(&d.text);
        let low = d.text.to_lowercase();
        let words: std::collections::HashSet<&str> = low
            .split(|c: char| !c.is_alphanumeric() && c != '-' && c != '\'')
            .collect();
        for r in 0..5 {
            let mut used = vec![false; g[r].len()];
            for p in &pred.0[r] {
                match (0..g[r].len()).find(|&e| !used[e] && matches(p, &g[r][e])) {
                    Some(e) => used[e] = true,
                    None if g[r].iter().any(|e| matches(p, e)) => {
                        k[r][0] += 1;
                        if show {
                            println!(
                                "{} {} DUPLICATE {p:?} of {:?}",
                                d.docid, ROLES[r], pred.0[r]
                            );
                        }
                    }
                    None if (0..5).any(|o| o != r && g[o].iter().any(|e| matches(p, e))) => {
                        k[r][1] += 1;
                        if show {
                            println!("{} {} WRONGROLE {p:?}", d.docid, ROLES[r]);
                        }
                    }
                    None => {
                        k[r][2] += 1;
                        if show {
                            println!("{} {} SPURIOUS {p:?}", d.docid, ROLES[r]);
                        }
                    }
                }
            }
            for (e, ent) in g[r].iter().enumerate() {
                if used[e] {
                    continue;
                }
                if ent.iter().any(|x| words.contains(head_noun(x).as_str())) {
                    k[r][3] += 1;
                    if show {
                        println!(
                            "{} {} MISSED {ent:?} pred={:?}",
                            d.docid, ROLES[r], pred.0[r]
                        );
                    }
                } else {
                    k[r][4] += 1;
                }
            }
        }
    }
    println!("role      duplicate wrong-role spurious | missed unreachable");
    for (r, role) in ROLES.iter().enumerate() {
        let x = k[r];
        println!(
            "{role:<9} {:>9} {:>10} {:>8} | {:>6} {:>11}",
            x[0], x[1], x[2], x[3], x[4]
        );
    }
}

fn main() {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let mut flag = |name: &str| {
        let i = args.iter().position(|a| a == name)?;
        args.remove(i);
        Some(())
    };
    let retrain = flag("--retrain").is_some();
    let no_dev = flag("--no-dev").is_some();
    let show = flag("--show").is_some();
    let errs = flag("--errors").is_some() || show;
    let sweep = flag("--sweep").is_some();
    let cache = args.iter().position(|a| a == "--cache").map(|i| {
        args.remove(i);
        PathBuf::from(args.remove(i.min(args.len().saturating_sub(1))))
    });
    let dump = args.iter().position(|a| a == "--dump").map(|i| {
        args.remove(i);
        args.remove(i.min(args.len().saturating_sub(1)))
    });
    let dump_bias = match args.iter().position(|a| a == "--dump-bias") {
        Some(i) => {
            args.remove(i);
            args.remove(i.min(args.len().saturating_sub(1)))
                .parse()
                .unwrap_or(45.0)
        }
        None => 45.0,
    };
    let mut opts = TrainOptions::default();
    if let Some(i) = args.iter().position(|a| a == "--epochs") {
        args.remove(i);
        if i < args.len() {
            opts.epochs = args.remove(i).parse().unwrap_or(opts.epochs);
        }
    }
    let (Some(train), Some(dev)) = (args.first(), args.get(1)) else {
        eprintln!("usage: muc4_eval TRAIN.jsonl DEV.jsonl [--cache DIR] [--retrain] [--no-dev] [--epochs N] [--dump PREFIX [--dump-bias B]]");
        std::process::exit(2)
    };
    let train = read(Path::new(train));
    let cut = train.len() * 4 / 5;
    let (fit, held) = train.split_at(cut);
    if let Some(prefix) = &dump {
        // Candidate dumps for experiments: out of fold + held-out, out of fold + dev.
        let dev = read(Path::new(dev));
        for (name, tr, ev) in [("fit80", fit, held), ("full", &train[..], &dev[..])] {
            let recs = wirecoder_code::muc4::experiment::dump_candidates(
                tr,
                ev,
                &opts,
                dump_bias,
                &mut |s| eprintln!("{name}: {s}"),
            );
            let path = format!("{prefix}.{name}.jsonl");
            let text: String = recs.iter().map(|r| format!("{r}\n")).collect();
            if let Err(e) = std::fs::write(&path, text) {
                eprintln!("{path}: {e}");
            }
        }
        return;
    }
    let m = model(fit, cache.as_ref(), "fit80.bin", retrain, &opts);
    let _ = report("train held-out 20 %", &m, held);
    if errs {
        errors(&m, held, show);
    }
    if sweep {
        // For reading only: the same model with one bias for every role.
        let mut m = m;
        let chosen = m.biases();
        for b in [10.0, 15.0, 20.0, 25.0, 30.0] {
            m.set_biases([b; 5]);
            let mut rep = Muc4Report::default();
            for d in held {
                if let Some(g) = &d.gold {
                    rep.add(score_doc(&m.roles(&d.text), g));
                }
            }
            println!("held-out, uniform bias {b}: F1 {:.3}", rep.micro.f1());
        }
        m.set_biases(chosen);
    }
    if !no_dev {
        let m = model(&train, cache.as_ref(), "full.bin", retrain, &opts);
        let _ = report("dev (TST1+TST2)", &m, &read(Path::new(dev)));
    }
}
