//! Grid search of the ECB+ resolver's weights on the train topics (every topic present but
//! the dev ones), documents grouped without file names; the chosen parameters are then
//! scored once on the dev topics:
//! `cargo run --release -p wirecoder-dedup --example ecb_tune -- ../shared/eval/ecbplus`
use std::path::PathBuf;
use wirecoder_dedup::ecbplus::{self, CorefParams, EcbDoc, Subtopics};
use wirecoder_dedup::CorefScores;

fn conll(
    docs: &[EcbDoc],
    sel: Option<&std::collections::HashSet<(String, u32)>>,
    p: &CorefParams,
) -> CorefScores {
    ecbplus::evaluate_gold(docs, sel, p).0
}

fn show(name: &str, s: &CorefScores) -> String {
    format!(
        "{name}: {:.4} (muc {:.3} b3 {:.3} ceafe {:.3})",
        s.conll(),
        s.muc.f1,
        s.b3.f1,
        s.ceafe.f1
    )
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let root = PathBuf::from(
        std::env::args()
            .nth(1)
            .unwrap_or("../shared/eval/ecbplus".into()),
    );
    let train_topics: Vec<u32> = ecbplus::topics_in(&root)
        .into_iter()
        .filter(|t| !ecbplus::DEV_TOPICS.contains(t))
        .collect();
    let train = ecbplus::read_topics(&root, &train_topics)?;
    let dev = ecbplus::read_topics(&root, &ecbplus::DEV_TOPICS)?;
    let sel = ecbplus::selected_sentences(&root)?;
    let mut best = (0.0, CorefParams::default());
    for doc_threshold in [0.06, 0.08, 0.1, 0.12] {
        for lemma in [0.5, 0.6] {
            for args in [0.0, 0.2, 0.4] {
                for doc in [0.0, 0.2] {
                    for doc_specific in [0.0, 0.2, 0.4] {
                        for threshold in [0.5, 0.55, 0.6, 0.65] {
                            let p = CorefParams {
                                lemma,
                                args,
                                doc,
                                doc_specific,
                                threshold,
                                subtopics: Subtopics::Clustered,
                                doc_threshold,
                            };
                            let s = conll(&train, sel.as_ref(), &p);
                            if s.conll() > best.0 {
                                best = (s.conll(), p);
                                println!("{} {p:?}", show("train", &s));
                            }
                        }
                    }
                }
            }
        }
    }
    let p = best.1;
    println!("chosen on train: {p:?}");
    println!("{}", show("  dev", &conll(&dev, sel.as_ref(), &p)));
    println!(
        "{}",
        show(
            "  default, train",
            &conll(&train, sel.as_ref(), &CorefParams::default())
        )
    );
    println!(
        "{}",
        show(
            "  default, dev",
            &conll(&dev, sel.as_ref(), &CorefParams::default())
        )
    );
    // the same weights with the file-name split, and the lemma baselines, for reference
    for (name, docs) in [("train", &train), ("dev", &dev)] {
        let q = CorefParams {
            subtopics: Subtopics::FileNames,
            ..CorefParams::default()
        };
        println!(
            "{}",
            show(
                &format!("  file names, {name}"),
                &conll(docs, sel.as_ref(), &q)
            )
        );
        for sub in [Subtopics::None, Subtopics::FileNames, Subtopics::Clustered] {
            let q = CorefParams {
                lemma: 1.0,
                args: 0.0,
                doc: 0.0,
                doc_specific: 0.0,
                threshold: 0.5,
                subtopics: sub,
                ..CorefParams::default()
            };
            println!(
                "{}",
                show(
                    &format!("  same lemma {sub:?}, {name}"),
                    &conll(docs, sel.as_ref(), &q)
                )
            );
        }
    }
    Ok(())
}
