//! Train a syntax model and score it on a dev file, without building the whole CLI:
//! `cargo run --release -p wirecoder-syntax --example train_eval -- OUT DEV TRAIN_PATH...`
//! (`-` as TRAIN_PATH only scores OUT on DEV).

use std::path::PathBuf;
use wirecoder_syntax::{evaluate, read_conllu, training_files, Model, TrainOptions};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.len() < 3 {
        return Err("usage: train_eval OUT DEV TRAIN_PATH...".into());
    }
    let out = PathBuf::from(&args[0]);
    let dev = read_conllu(args[1].as_ref())?;
    let t0 = std::time::Instant::now();
    let mut model = if args[2] == "-" {
        Model::from_bytes(&std::fs::read(&out)?)?
    } else {
        let paths: Vec<PathBuf> = args[2..].iter().map(PathBuf::from).collect();
        let mut sents = Vec::new();
        for f in training_files(&paths, false)? {
            sents.extend(read_conllu(&f)?);
        }
        let ep = |k: &str, d: usize| {
            std::env::var(k)
                .ok()
                .and_then(|v| v.parse().ok())
                .unwrap_or(d)
        };
        let opts = TrainOptions {
            tagger_epochs: ep("TAGGER_EPOCHS", 10),
            parser_epochs: ep("PARSER_EPOCHS", 15),
            jackknife_folds: ep("FOLDS", 4),
            tagger_bits: ep("TAGGER_BITS", 21) as u32,
            parser_bits: ep("PARSER_BITS", 22) as u32,
        };
        let m = Model::train(&sents, &opts, &mut |m| {
            eprintln!("[{:>6.1}s] {m}", t0.elapsed().as_secs_f64())
        })?;
        let bytes = m.to_bytes()?;
        std::fs::write(&out, &bytes)?;
        eprintln!("model {:.1} MB", bytes.len() as f64 / 1e6);
        let t1 = std::time::Instant::now();
        let m = Model::from_bytes(&bytes)?;
        eprintln!("load {:.0} ms", t1.elapsed().as_secs_f64() * 1000.0);
        m
    };
    if let Some(p) = std::env::var("PRUNE").ok().and_then(|v| v.parse().ok()) {
        model.prune(p);
    }
    eprintln!("{}", model.summary());
    let s = evaluate(&model, &dev);
    println!(
        "UPOS {:.2} XPOS {:.2} lemma {:.2} UAS {:.2} LAS {:.2} tokens/s {:.0}",
        s.pct(s.upos),
        s.pct(s.xpos),
        s.pct(s.lemma),
        s.pct(s.uas),
        s.pct(s.las),
        s.tokens_per_second()
    );
    Ok(())
}
