//! Error analysis of same-lemma clustering on the dev topics.
use std::collections::HashMap;
use std::path::PathBuf;
use wirecoder_dedup::ecbplus::{self, head_token};
use wirecoder_dedup::lemma_key;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let root = PathBuf::from(
        std::env::args()
            .nth(1)
            .unwrap_or("../shared/eval/ecbplus".into()),
    );
    let docs = ecbplus::read_topics(&root, &ecbplus::DEV_TOPICS)?;
    let sel = ecbplus::selected_sentences(&root)?;
    let gm = ecbplus::gold_mentions(&docs, sel.as_ref());
    let info: Vec<(usize, bool, String, String, String)> = gm
        .iter()
        .map(|(m, (d, mi))| {
            let doc = &docs[*d];
            let h = head_token(doc, &m.tokens)
                .map(|h| doc.tokens[h].text.clone())
                .unwrap_or_default();
            (
                doc.topic as usize,
                doc.is_plus(),
                lemma_key(&h),
                doc.mentions[*mi].chain.clone(),
                m.tokens
                    .iter()
                    .map(|&t| doc.tokens[t].text.as_str())
                    .collect::<Vec<_>>()
                    .join(" "),
            )
        })
        .collect();
    let mut miss: HashMap<(String, String), usize> = HashMap::new();
    let mut wrong: HashMap<String, usize> = HashMap::new();
    for i in 0..info.len() {
        for j in i + 1..info.len() {
            let (a, b) = (&info[i], &info[j]);
            if a.0 != b.0 || a.1 != b.1 {
                continue;
            }
            if a.3 == b.3 && a.2 != b.2 {
                let k = if a.4 < b.4 {
                    (a.4.clone(), b.4.clone())
                } else {
                    (b.4.clone(), a.4.clone())
                };
                *miss.entry(k).or_default() += 1;
            }
            if a.3 != b.3 && a.2 == b.2 {
                *wrong.entry(a.2.clone()).or_default() += 1;
            }
        }
    }
    let mut m: Vec<_> = miss.into_iter().collect();
    m.sort_by_key(|x| std::cmp::Reverse(x.1));
    println!(
        "coreferent, different lemma: {}",
        m.iter().map(|x| x.1).sum::<usize>()
    );
    for x in m.iter().take(40) {
        println!("  {:4} {} | {}", x.1, x.0 .0, x.0 .1);
    }
    let mut w: Vec<_> = wrong.into_iter().collect();
    w.sort_by_key(|x| std::cmp::Reverse(x.1));
    println!(
        "same lemma, not coreferent: {}",
        w.iter().map(|x| x.1).sum::<usize>()
    );
    for x in w.iter().take(25) {
        println!("  {:4} {}", x.1, x.0);
    }
    Ok(())
}
