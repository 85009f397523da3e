//! Quick runner for the coder gold sets while the CLI's `eval coder` is wired.
fn main() {
    let p = wirecoder_code::Pipeline::new().expect("pipeline");
    let args: Vec<String> = std::env::args().collect();
    let verbose = std::env::var("VERBOSE").is_ok();
    if args.get(1).map(String::as_str) == Some("timebank") {
        let r = wirecoder_code::eval::eval_timebank(std::path::Path::new(&args[2])).expect("eval");
        if verbose {
            for m in &r.missed {
                println!("MISSED {:?}", m);
            }
            for m in &r.spurious {
                println!("SPURIOUS {:?}", m);
            }
            for m in &r.wrong_values {
                println!("VALUE {:?}", m);
            }
        }
        println!("timebank: docs {} gold {} predicted {} P {:.3} R {:.3} F1 {:.3} value-acc {:.3} ({}/{})",
            r.documents, r.gold, r.predicted, r.precision(), r.recall(), r.f1(), r.value_accuracy(), r.value_correct, r.date_time_found);
        return;
    }
    if args.get(1).map(String::as_str) == Some("polnear") {
        let r =
            wirecoder_code::eval::eval_polnear(&p, std::path::Path::new(&args[2])).expect("eval");
        if verbose {
            for m in &r.misses {
                println!("MISS ours={:?} gold={:?} | {}", m.1, m.2, m.0);
            }
        }
        println!(
            "polnear: docs {} gold-direct {} predicted {} found {} scored {} P {:.3} R {:.3}",
            r.documents,
            r.gold_direct,
            r.predicted,
            r.gold_found,
            r.scored,
            r.precision(),
            r.recall()
        );
        return;
    }
    let r = match args.get(1).map(String::as_str) {
        Some("plover") => wirecoder_code::eval::eval_plover(&p, std::path::Path::new(&args[2])),
        _ => wirecoder_code::eval::eval_cameo_examples(&p, std::path::Path::new(&args[2])),
    }
    .expect("eval");
    if verbose {
        for m in &r.misses {
            println!("MISS gold={} got={} | {}", m.0, m.1, m.2);
        }
    }
    println!("{}: records {} coded {} first-correct {:.3} any-correct {:.3} actor-agree {:.3} ({}/{}) {:.0} sent/s",
        r.suite, r.records, r.coded, r.accuracy(), r.accuracy_any(), r.actor_agreement(), r.actor_agree, r.actor_scored, r.sentences_per_s);
}
