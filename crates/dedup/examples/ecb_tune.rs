//! Grid search of the ECB+ resolver's weights on the dev topics:
//! `cargo run --release -p wirecoder-dedup --example ecb_tune -- ../shared/eval/ecbplus`
use std::path::PathBuf;
use wirecoder_dedup::ecbplus::{self, CorefParams, Subtopics};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let root = PathBuf::from(
        std::env::args()
            .nth(1)
            .unwrap_or("../shared/eval/ecbplus".into()),
    );
    let docs = ecbplus::read_topics(&root, &ecbplus::DEV_TOPICS)?;
    let sel = ecbplus::selected_sentences(&root)?;
    let mut best = (0.0, CorefParams::default());
    for sub in [Subtopics::FileNames, Subtopics::Clustered] {
        for lemma in [0.5, 0.6] {
            for args in [0.0, 0.2, 0.4] {
                for doc in [0.0, 0.2, 0.4] {
                    for t in [0.5, 0.55, 0.6, 0.7] {
                        let p = CorefParams {
                            lemma,
                            args,
                            doc,
                            threshold: t,
                            subtopics: sub,
                            ..Default::default()
                        };
                        let (s, _) = ecbplus::evaluate_gold(&docs, sel.as_ref(), &p);
                        if s.conll() > best.0 {
                            best = (s.conll(), p);
                            println!(
                                "{:.4} muc {:.3} b3 {:.3} ceafe {:.3} {:?}",
                                s.conll(),
                                s.muc.f1,
                                s.b3.f1,
                                s.ceafe.f1,
                                p
                            );
                        }
                    }
                }
            }
        }
    }
    // lemma-only baseline for reference
    for sub in [Subtopics::None, Subtopics::FileNames] {
        let p = CorefParams {
            lemma: 1.0,
            args: 0.0,
            doc: 0.0,
            threshold: 0.5,
            subtopics: sub,
            ..Default::default()
        };
        let (s, n) = ecbplus::evaluate_gold(&docs, sel.as_ref(), &p);
        println!(
            "same-lemma {sub:?}: {:.4} (muc {:.3} b3 {:.3} ceafe {:.3}) over {n} mentions",
            s.conll(),
            s.muc.f1,
            s.b3.f1,
            s.ceafe.f1
        );
    }
    Ok(())
}
