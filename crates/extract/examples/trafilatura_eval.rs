//! Scores extraction on a gold set without building the CLI (the same code as
//! `wirecoder eval extraction`). The data is not shipped; pass its folder:
//!
//! `cargo run --release -p wirecoder-extract --example trafilatura_eval -- trafilatura|wcxb DIR`
//!
//! `VERBOSE=1` prints every miss, leak and metadata error.

use std::path::Path;
use wirecoder_extract::{evaluate, load_suite, Suite};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let suite = match args.next().as_deref() {
        Some("wcxb") => Suite::Wcxb,
        _ => Suite::Trafilatura,
    };
    let dir = args
        .next()
        .unwrap_or_else(|| "../shared/eval/extraction/trafilatura-eval".into());
    let cases = load_suite(suite, Path::new(&dir))?;
    let rep = evaluate(&cases, std::env::var_os("VERBOSE").is_some());
    for d in &rep.details {
        println!("{d}");
    }
    let (p, r, f) = rep.snippet_prf;
    println!(
        "pages {} snippets {:?} P {p:.3} R {r:.3} F1 {f:.3}",
        rep.pages, rep.snippets
    );
    if let Some((p, r, f)) = rep.word_prf {
        println!("word-bag P {p:.3} R {r:.3} F1 {f:.3}");
    }
    if let Some((p, r, f)) = rep.shingle_prf {
        println!("shingle P {p:.3} R {r:.3} F1 {f:.3}");
    }
    println!(
        "date {:?} title {:?} author {:?}  {:.1} pages/s wall, {:.1} per CPU second",
        rep.date_acc,
        rep.title_acc,
        rep.author_acc,
        rep.pages_per_sec(),
        rep.pages_per_cpu_sec().unwrap_or(0.0)
    );
    Ok(())
}
