//! Quick coder evaluation without the CLI (faster to build while iterating):
//! `cargo run --release -p wirecoder-code --example eval_coder -- plover|cameo|petrarch PATH [-v]`
//! (`text SENTENCE` and `ptext PETRARCH_DIR SENTENCE` show one sentence's parse and events).
//! Prints the suite's scores, and with `-v` every miss and a confusion count of (gold, got).

use std::collections::HashMap;
use std::path::Path;

use wirecoder_code::eval::{
    eval_cameo_examples, eval_petrarch, eval_plover, petrarch_pipeline, plover05_type,
};
use wirecoder_code::Pipeline;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(suite), Some(path)) = (args.first(), args.get(1)) else {
        return Err("usage: eval_coder plover|cameo PATH [-v]".into());
    };
    let verbose = args.iter().any(|a| a == "-v");
    if suite == "petrarch" {
        // The PETRARCH unit records with their own dictionaries; `ptext DIR SENTENCE` codes one
        // sentence with them.
        let p = petrarch_pipeline(Path::new(path))?;
        let r = eval_petrarch(&p, Path::new(path))?;
        print!("{}", r.table(verbose));
        return Ok(());
    }
    let p = if suite == "ptext" {
        petrarch_pipeline(Path::new(path))?
    } else {
        Pipeline::new()?
    };
    let path = if suite == "ptext" {
        args.get(2).ok_or("usage: eval_coder ptext DIR SENTENCE")?
    } else {
        path
    };
    if suite == "dir" {
        // Throughput over a folder of plain-text articles (annotate only, no storage), and the
        // share of sentences the pipeline parsed.
        let mut files = Vec::new();
        let mut stack = vec![std::path::PathBuf::from(path)];
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
        let texts: Vec<String> = files
            .iter()
            .filter_map(|f| std::fs::read_to_string(f).ok())
            .collect();
        let t0 = std::time::Instant::now();
        let (mut sents, mut parsed, mut events) = (0usize, 0usize, 0usize);
        let (mut unknown, mut targetless) = (0usize, 0usize);
        for t in &texts {
            let mut doc = wirecoder_doc::Doc::new(t.as_str());
            p.annotate(&mut doc);
            sents += doc.sentences.len();
            let mut seen = std::collections::HashSet::new();
            for tk in doc.tokens.iter().filter(|tk| tk.deprel.is_some()) {
                seen.insert(tk.sentence);
            }
            parsed += seen.len();
            events += doc.events.len();
            unknown += doc
                .events
                .iter()
                .filter(|e| {
                    e.source
                        .actor
                        .as_deref()
                        .is_some_and(|a| a.starts_with("---"))
                        || e.target
                            .as_ref()
                            .and_then(|t| t.actor.as_deref())
                            .is_some_and(|a| a.starts_with("---"))
                })
                .count();
            targetless += doc.events.iter().filter(|e| e.target.is_none()).count();
        }
        let secs = t0.elapsed().as_secs_f64();
        println!(
            "docs {} in {:.2} s ({:.0} docs/s)  sentences {} parsed {} ({:.1}%)  events {}",
            texts.len(),
            secs,
            texts.len() as f64 / secs.max(1e-9),
            sents,
            parsed,
            100.0 * parsed as f64 / sents.max(1) as f64,
            events
        );
        println!(
            "events with an actor of unknown country {unknown}, without a target {targetless}"
        );
        return Ok(());
    }
    if suite == "text" || suite == "ptext" {
        // One sentence: its parse (where the pipeline parsed it) and its events.
        let mut doc = wirecoder_doc::Doc::new(path.as_str());
        p.annotate(&mut doc);
        for (i, t) in doc.tokens.iter().enumerate() {
            println!(
                "{i:>3} {:<16} {:<8} {:>4} {}",
                &doc.text[t.span.start..t.span.end],
                t.pos.map(|p| format!("{p:?}")).unwrap_or_default(),
                t.head.map(|h| h.to_string()).unwrap_or_default(),
                t.deprel.as_deref().unwrap_or("")
            );
        }
        for e in &doc.entities {
            println!("entity {:?} {:?}", doc.slice(e.span), e.actor);
        }
        for e in &doc.events {
            println!(
                "event {} {} {} {:?}",
                e.source.actor.as_deref().unwrap_or("-"),
                e.cameo,
                e.target
                    .as_ref()
                    .and_then(|t| t.actor.as_deref())
                    .unwrap_or("-"),
                e.modality
            );
        }
        return Ok(());
    }
    let plover = suite == "plover";
    let r = if plover {
        eval_plover(&p, Path::new(path))?
    } else {
        eval_cameo_examples(&p, Path::new(path))?
    };
    let mut conf: HashMap<(String, String), usize> = HashMap::new();
    for (gold, got, text) in &r.misses {
        let code = got.split(' ').nth(1).unwrap_or("-");
        let got_t = if plover {
            plover05_type(code).unwrap_or("-").to_string()
        } else {
            code.get(..2).unwrap_or("-").to_string()
        };
        let gold_t = if plover {
            gold.clone()
        } else {
            gold.get(..2).unwrap_or("").to_string()
        };
        *conf.entry((gold_t, got_t)).or_default() += 1;
        if verbose {
            println!("miss  gold={gold:<12} got={got:<24} {text}");
        }
    }
    if verbose {
        let mut c: Vec<_> = conf.into_iter().collect();
        c.sort_by_key(|x| std::cmp::Reverse(x.1));
        for ((g, t), n) in c.iter().take(40) {
            println!("confusion  {n:>3}  gold={g:<12} got={t}");
        }
    }
    println!(
        "{} records {} coded {} first {:.3} any {:.3} actors {:.3} ({}/{}) sent/s {:.0}",
        r.suite,
        r.records,
        r.coded,
        r.accuracy(),
        r.accuracy_any(),
        r.actor_agreement(),
        r.actor_agree,
        r.actor_scored,
        r.sentences_per_s
    );
    Ok(())
}
