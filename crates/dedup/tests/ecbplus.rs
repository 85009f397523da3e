//! Reads the real ECB+ files when `../shared/eval/ecbplus` is present.
use std::path::Path;
use wirecoder_dedup::ecbplus;

#[test]
fn reads_topic_two_and_resolves_its_oscar_mentions() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/eval/ecbplus");
    if !root.is_dir() {
        eprintln!("skipped: {} is absent", root.display());
        return;
    }
    let docs = ecbplus::read_topics(&root, &[2]).expect("topic 2 reads");
    assert!(docs.iter().any(|d| d.name == "2_1ecb") && docs.iter().any(|d| d.is_plus()));
    let d = docs.iter().find(|d| d.name == "2_1ecb").expect("2_1ecb");
    assert_eq!(d.tokens[9].text, "roped");
    // "host" (m_id 8) is in the cross-document chain of the hosting
    let host = d.mentions.iter().find(|m| m.m_id == "8").expect("m_id 8");
    assert!(host.is_action() && host.chain.starts_with("ACT"));
    let sel = ecbplus::selected_sentences(&root)
        .expect("csv")
        .expect("csv present");
    let gm = ecbplus::gold_mentions(&docs, Some(&sel));
    assert!(gm.len() > 50);
    let ms: Vec<_> = gm.iter().map(|(m, _)| m.clone()).collect();
    let labels = ecbplus::resolve(&docs, &ms, &ecbplus::CorefParams::default());
    assert_eq!(labels.len(), ms.len());
    // Jackman's 2009 hosting and DeGeneres's 2014 one fall apart without the file names
    let groups = ecbplus::subtopic_groups(&docs, &ecbplus::CorefParams::default());
    let of = |plus: bool| -> Vec<usize> {
        let mut g: Vec<usize> = docs
            .iter()
            .zip(&groups)
            .filter(|(d, _)| d.is_plus() == plus)
            .map(|(_, &g)| g)
            .collect();
        g.dedup();
        g
    };
    assert_eq!(of(false).len(), 1, "ECB half of topic 2 in one group");
    assert_eq!(of(true).len(), 1, "ECB+ half of topic 2 in one group");
    assert_ne!(of(false), of(true));
}
