//! `wirecoder eval coref DIR`: cross-document event coreference on ECB+, with gold event
//! mentions and end to end with wirecoder's own events; and `wirecoder coref --ecbplus DIR`.

use anyhow::{Context, Result};
use std::collections::{HashMap, HashSet};
use std::io::Write;
use std::path::Path;
use wirecoder_dedup::ecbplus::{self, CorefParams, EcbDoc, Mention, Subtopics};
use wirecoder_dedup::{score, CorefScores};

/// Which topics to score.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum CorefTopics {
    /// 2, 5, 12, 18, 21, 23, 34, 35 (the standard dev split; not used for tuning).
    Dev,
    /// Every other topic present (the parameters were tuned on these).
    Train,
    /// Every topic present.
    All,
}

fn topic_list(root: &Path, which: CorefTopics) -> Vec<u32> {
    ecbplus::topics_in(root)
        .into_iter()
        .filter(|t| match which {
            CorefTopics::Dev => ecbplus::DEV_TOPICS.contains(t),
            CorefTopics::Train => !ecbplus::DEV_TOPICS.contains(t),
            CorefTopics::All => true,
        })
        .collect()
}

fn load(root: &Path, which: CorefTopics) -> Result<Vec<EcbDoc>> {
    if !root.is_dir() {
        anyhow::bail!("{}: not a folder of ECB+ topics", root.display());
    }
    let docs = ecbplus::read_topics(root, &topic_list(root, which))
        .map_err(|e| anyhow::anyhow!("{e}"))
        .with_context(|| format!("cannot read ECB+ from {}", root.display()))?;
    if docs.is_empty() {
        anyhow::bail!("{}: no ECB+ documents for these topics", root.display());
    }
    Ok(docs)
}

fn line(name: &str, s: &CorefScores) -> String {
    let f = |p: &wirecoder_dedup::Prf| {
        format!(
            "{:5.1} {:5.1} {:5.1}",
            100.0 * p.recall,
            100.0 * p.precision,
            100.0 * p.f1
        )
    };
    format!(
        "{name:<50} {} | {} | {} | {:5.1}",
        f(&s.muc),
        f(&s.b3),
        f(&s.ceafe),
        100.0 * s.conll()
    )
}

/// Runs `eval coref`.
pub fn run(dir: &Path, which: CorefTopics, all_sentences: bool, end_to_end: bool) -> Result<()> {
    let docs = load(dir, which)?;
    let selected = if all_sentences {
        None
    } else {
        ecbplus::selected_sentences(dir).map_err(|e| anyhow::anyhow!("{e}"))?
    };
    let mut out = super::super::stdout();
    let topics: HashSet<u32> = docs.iter().map(|d| d.topic).collect();
    writeln!(
        out,
        "ECB+ {} topics, {} documents, {}; clusters never cross topics",
        topics.len(),
        docs.len(),
        if selected.is_some() {
            "mentions in the sentences of ECBplus_coreference_sentences.csv"
        } else {
            "all annotated sentences"
        }
    )?;
    writeln!(
        out,
        "{:<50} {:^17} | {:^17} | {:^17} | CoNLL",
        "", "MUC R P F1", "B3 R P F1", "CEAF-e R P F1"
    )?;
    let best = CorefParams::default();
    let runs = [
        (
            "same lemma, one group a topic",
            CorefParams {
                lemma: 1.0,
                args: 0.0,
                doc: 0.0,
                doc_specific: 0.0,
                threshold: 0.5,
                subtopics: Subtopics::None,
                ..best
            },
        ),
        (
            "same lemma, file-name split",
            CorefParams {
                lemma: 1.0,
                args: 0.0,
                doc: 0.0,
                doc_specific: 0.0,
                threshold: 0.5,
                subtopics: Subtopics::FileNames,
                ..best
            },
        ),
        (
            "same lemma, documents clustered",
            CorefParams {
                lemma: 1.0,
                args: 0.0,
                doc: 0.0,
                doc_specific: 0.0,
                threshold: 0.5,
                ..best
            },
        ),
        // the corpus's ECB/ECB+ halves read from the file names ("gold subtopics"), as
        // much of the literature scores; a leak, shown for comparison only
        (
            "wirecoder, file-name split",
            CorefParams {
                subtopics: Subtopics::FileNames,
                ..best
            },
        ),
        ("wirecoder (default, no file names)", best),
    ];
    let mut n = 0;
    for (name, p) in &runs {
        let (s, k) = ecbplus::evaluate_gold(&docs, selected.as_ref(), p);
        n = k;
        writeln!(out, "{}", line(&format!("gold mentions: {name}"), &s))?;
    }
    writeln!(out, "({n} gold action mentions)")?;
    if end_to_end {
        let (s, stats) = end_to_end_scores(&docs, selected.as_ref(), &best)?;
        writeln!(out, "{}", line("end to end: wirecoder events", &s))?;
        writeln!(
            out,
            "end to end: {} predicted mentions, {} on a gold action mention; mention recall {:.1}%, precision {:.1}%",
            stats.predicted,
            stats.matched,
            100.0 * stats.matched as f64 / stats.gold.max(1) as f64,
            100.0 * stats.matched as f64 / stats.predicted.max(1) as f64
        )?;
    }
    out.flush()?;
    Ok(())
}

struct E2eStats {
    gold: usize,
    predicted: usize,
    matched: usize,
}

/// wirecoder's own event mentions of each document: the evidence words that are neither
/// the source nor the target, as ECB+ token indices.
fn predicted_mentions(
    docs: &[EcbDoc],
    selected: Option<&HashSet<(String, u32)>>,
) -> Result<Vec<Mention>> {
    let pipeline = wirecoder_code::Pipeline::new().map_err(|e| anyhow::anyhow!("{e}"))?;
    let mut out = Vec::new();
    for (di, d) in docs.iter().enumerate() {
        let (text, spans) = d.text();
        let mut doc = wirecoder_doc::Doc::new(text);
        pipeline.annotate(&mut doc);
        for e in &doc.events {
            let actor_spans: Vec<wirecoder_doc::Span> = std::iter::once(e.source.span)
                .chain(e.target.as_ref().map(|t| t.span))
                .flatten()
                .collect();
            let toks: Vec<usize> = spans
                .iter()
                .enumerate()
                .filter(|(_, &(a, b))| e.evidence.start <= a && b <= e.evidence.end)
                .filter(|(_, &(a, b))| !actor_spans.iter().any(|s| s.start <= a && b <= s.end))
                .map(|(i, _)| i)
                .collect();
            let Some(&first) = toks.first() else { continue };
            let sent = d.tokens.get(first).map_or(0, |t| t.sentence);
            if selected.is_some_and(|s| !s.contains(&(d.name.clone(), sent))) {
                continue;
            }
            out.push(Mention {
                doc: di,
                tokens: toks,
            });
        }
    }
    Ok(out)
}

/// End to end: wirecoder's events, clustered, against every gold action mention; a
/// predicted mention stands for the gold mention it overlaps most (each gold mention once),
/// the others are twinless false positives.
fn end_to_end_scores(
    docs: &[EcbDoc],
    selected: Option<&HashSet<(String, u32)>>,
    p: &CorefParams,
) -> Result<(CorefScores, E2eStats)> {
    let gold = ecbplus::gold_mentions(docs, selected);
    let pred = predicted_mentions(docs, selected)?;
    let labels = ecbplus::resolve(docs, &pred, p);
    let mut taken: HashSet<(usize, usize)> = HashSet::new();
    let mut ids: Vec<String> = Vec::with_capacity(pred.len());
    let mut matched = 0;
    for (i, m) in pred.iter().enumerate() {
        let best = gold
            .iter()
            .filter(|(g, pos)| g.doc == m.doc && !taken.contains(pos))
            .map(|(g, pos)| {
                (
                    g.tokens.iter().filter(|t| m.tokens.contains(t)).count(),
                    *pos,
                )
            })
            .filter(|(o, _)| *o > 0)
            .max_by_key(|(o, _)| *o);
        match best {
            Some((_, pos)) => {
                taken.insert(pos);
                matched += 1;
                ids.push(format!("{}:{}", pos.0, pos.1));
            }
            None => ids.push(format!("p{i}")),
        }
    }
    let mut key: HashMap<String, Vec<String>> = HashMap::new();
    for (_, (d, m)) in &gold {
        let chain = format!("{}|{}", docs[*d].topic, docs[*d].mentions[*m].chain);
        key.entry(chain).or_default().push(format!("{d}:{m}"));
    }
    let mut resp: HashMap<usize, Vec<String>> = HashMap::new();
    for (id, l) in ids.into_iter().zip(labels) {
        resp.entry(l).or_default().push(id);
    }
    let key: Vec<Vec<String>> = key.into_values().collect();
    let resp: Vec<Vec<String>> = resp.into_values().collect();
    Ok((
        score(&key, &resp),
        E2eStats {
            gold: gold.len(),
            predicted: pred.len(),
            matched,
        },
    ))
}

/// `wirecoder coref --ecbplus DIR`: one line per gold action mention with its cluster.
pub fn run_coref(dir: &Path) -> Result<()> {
    let docs = load(dir, CorefTopics::All)?;
    let gold = ecbplus::gold_mentions(&docs, None);
    let mentions: Vec<Mention> = gold.iter().map(|(m, _)| m.clone()).collect();
    let labels = ecbplus::resolve(&docs, &mentions, &CorefParams::default());
    let mut out = super::super::stdout();
    for ((_, (d, m)), l) in gold.iter().zip(labels) {
        let doc = &docs[*d];
        let v = serde_json::json!({
            "topic": doc.topic.to_string(),
            "doc": doc.name,
            "m_id": doc.mentions[*m].m_id,
            "cluster": format!("{}_{l}", doc.topic),
        });
        serde_json::to_writer(&mut out, &v)?;
        writeln!(out)?;
    }
    out.flush()?;
    Ok(())
}
