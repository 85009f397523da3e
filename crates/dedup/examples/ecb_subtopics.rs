//! How [`Subtopics::Clustered`] groups the documents of each ECB+ topic, against the
//! corpus's ECB/ECB+ halves (which the grouping does not read):
//! `cargo run --release -p wirecoder-dedup --example ecb_subtopics -- ../shared/eval/ecbplus`
//!
//! Prints each topic's groups (`3-` is `<topic>_3ecb`, `3+` is `<topic>_3ecbplus`) and the
//! F1 of same-group document pairs against same-half pairs, for the train and dev topics.
use std::collections::BTreeMap;
use std::path::PathBuf;
use wirecoder_dedup::ecbplus::{self, CorefParams, EcbDoc, Subtopics};

fn report(name: &str, docs: &[EcbDoc], p: &CorefParams) {
    let g = ecbplus::subtopic_groups(docs, p);
    let (mut tp, mut fp, mut fnn, mut perfect, mut topics) = (0.0, 0.0, 0.0, 0, 0);
    let mut ts: Vec<u32> = docs.iter().map(|d| d.topic).collect();
    ts.dedup();
    for t in ts {
        let idx: Vec<usize> = (0..docs.len()).filter(|&i| docs[i].topic == t).collect();
        let mut ok = true;
        for (a, &i) in idx.iter().enumerate() {
            for &j in &idx[a + 1..] {
                match (docs[i].is_plus() == docs[j].is_plus(), g[i] == g[j]) {
                    (true, true) => tp += 1.0,
                    (false, true) => (fp, ok) = (fp + 1.0, false),
                    (true, false) => (fnn, ok) = (fnn + 1.0, false),
                    _ => {}
                }
            }
        }
        let mut by: BTreeMap<usize, Vec<String>> = BTreeMap::new();
        for &i in &idx {
            let short = docs[i]
                .name
                .trim_start_matches(&format!("{t}_"))
                .to_string();
            let short = short.replace("ecbplus", "+").replace("ecb", "-");
            by.entry(g[i]).or_default().push(short);
        }
        let groups: Vec<String> = by.values().map(|v| v.join(" ")).collect();
        println!(
            "{name} {t:>2}{} {}",
            if ok { " " } else { "*" },
            groups.join(" || ")
        );
        perfect += usize::from(ok);
        topics += 1;
    }
    let (p_, r_) = (tp / (tp + fp), tp / (tp + fnn));
    println!(
        "{name}: same-group document pairs against the ECB/ECB+ halves: P {p_:.3} R {r_:.3} F1 {:.3}; {perfect}/{topics} topics split exactly",
        2.0 * p_ * r_ / (p_ + r_)
    );
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let root = PathBuf::from(
        std::env::args()
            .nth(1)
            .unwrap_or("../shared/eval/ecbplus".into()),
    );
    let train: Vec<u32> = ecbplus::topics_in(&root)
        .into_iter()
        .filter(|t| !ecbplus::DEV_TOPICS.contains(t))
        .collect();
    let p = CorefParams {
        subtopics: Subtopics::Clustered,
        ..CorefParams::default()
    };
    report("train", &ecbplus::read_topics(&root, &train)?, &p);
    report(
        "dev",
        &ecbplus::read_topics(&root, &ecbplus::DEV_TOPICS)?,
        &p,
    );
    Ok(())
}
