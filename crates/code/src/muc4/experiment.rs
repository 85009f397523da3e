//! Candidate dumps for experiments outside Rust (not part of the stable API).

use super::*;

/// Per document, the tagger's candidate fillers at `bias` with what is known about them, as
/// JSON: out of fold over `train` (contiguous folds), then on `eval` from a tagger trained
/// on all of `train`.
#[doc(hidden)]
pub fn dump_candidates(
    train: &[Muc4Doc],
    eval: &[Muc4Doc],
    opts: &TrainOptions,
    bias: f32,
    log: &mut dyn FnMut(&str),
) -> Vec<serde_json::Value> {
    let train: Vec<&Muc4Doc> = train.iter().filter(|d| d.gold.is_some()).collect();
    let data = labelled(&train);
    let mut out = Vec::new();
    let folds = opts.folds.max(2);
    for k in 0..folds {
        let (weights, held) = train_out_of_fold(&data, folds, k, opts.epochs, log);
        for i in held {
            let p = &data[i].0;
            out.push(record(&weights, p, train[i], bias, "oof", i));
        }
        log(&format!("fold {} dumped", k + 1));
    }
    let all: Vec<&(Prepared, Vec<usize>)> = data.iter().collect();
    let weights = train_weights(&all, opts.epochs, log);
    for (i, d) in eval.iter().enumerate() {
        let p = prepare(&d.text);
        out.push(record(&weights, &p, d, bias, "eval", i));
    }
    out
}

fn record(
    weights: &Weights,
    p: &Prepared,
    d: &Muc4Doc,
    bias: f32,
    split: &str,
    idx: usize,
) -> serde_json::Value {
    let stat = static_scores(weights, p);
    let cands = candidates(weights, p, &stat, &d.text, &[bias; 5]);
    let gold = d.gold.clone().unwrap_or_default();
    let sent_trig: Vec<usize> = p
        .sents
        .iter()
        .map(|&(a, b)| {
            p.toks[a..b]
                .iter()
                .filter(|t| {
                    features::trigger_class(&t.low).is_some_and(|c| c != "perp" && c != "claim")
                })
                .count()
        })
        .collect();
    let word = |i: usize| p.toks.get(i).map_or("", |t| t.low.as_str()).to_string();
    let mut cs = Vec::new();
    for (r, g) in cands.iter().enumerate() {
        for c in g {
            let matched: Vec<usize> = (0..gold[r].len())
                .filter(|&e| score::matches(&c.text, &gold[r][e]))
                .collect();
            let other: Vec<usize> = (0..5)
                .filter(|&o| o != r && gold[o].iter().any(|e| score::matches(&c.text, e)))
                .collect();
            // Mean margin over O of each role's labels over the mention's tokens.
            let mut rm = [0f32; 5];
            for s in stat.get(c.tok.0..c.tok.1).unwrap_or_default() {
                for (q, m) in rm.iter_mut().enumerate() {
                    *m += s[1 + 2 * q].max(s[2 + 2 * q]) - s[0];
                }
            }
            let n = (c.tok.1 - c.tok.0).max(1) as f32;
            cs.push(serde_json::json!({
                "role": r,
                "text": c.text,
                "head": c.head,
                "best": c.best - bias,
                "sum": c.sum - bias * c.count as f32,
                "count": c.count,
                "first_sent": c.first_sent,
                "sents": c.sents,
                "best_sent": p.sents.partition_point(|x| x.1 <= c.tok.0),
                "len": c.tok.1 - c.tok.0,
                "prev": word(c.tok.0.wrapping_sub(1)),
                "prev2": word(c.tok.0.wrapping_sub(2)),
                "next": word(c.tok.1),
                "rm": rm.map(|x| x / n),
                "match": matched,
                "other": other,
            }));
        }
    }
    serde_json::json!({
        "split": split,
        "idx": idx,
        "docid": d.docid,
        "gold": gold.iter().map(|g| g.len()).collect::<Vec<_>>(),
        "ntok": p.toks.len(),
        "sent_trig": sent_trig,
        "cands": cs,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dump_has_one_record_per_document() {
        let line = r#"{"docid": "T-1", "doctext": "guerrillas attacked a power substation with dynamite today.", "templates": [{"PerpInd": [[["guerrillas", 0]]], "Target": [[["power substation", 22]]], "Weapon": [[["dynamite", 45]]]}]}"#;
        let d = parse_line(line, 1).expect("valid line");
        let docs = vec![d.clone(); 4];
        let opts = TrainOptions {
            epochs: 3,
            folds: 2,
        };
        let recs = dump_candidates(&docs, &[d], &opts, 45.0, &mut |_| {});
        assert_eq!(recs.len(), 5);
        assert_eq!(recs[4]["split"], "eval");
        let cands = recs[4]["cands"].as_array().expect("candidates");
        assert!(cands
            .iter()
            .any(|c| c["text"] == "dynamite" && c["match"] == serde_json::json!([0])));
    }
}
