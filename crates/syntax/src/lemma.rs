//! Lemmas: suffix rules by part of speech, plus an exception table learnt from the treebank
//! (irregular forms such as `said → say`, `was → be`, `children → child`).

use std::collections::HashMap;

fn is_vowel(c: u8) -> bool {
    matches!(c, b'a' | b'e' | b'i' | b'o' | b'u')
}

fn undouble(stem: &str) -> String {
    // "stopped" → "stop": a doubled final consonant after a short vowel.
    let b = stem.as_bytes();
    let n = b.len();
    if n >= 3
        && b[n - 1] == b[n - 2]
        && !is_vowel(b[n - 1])
        && !matches!(b[n - 1], b'l' | b's' | b'z' | b'f')
    {
        stem[..n - 1].to_string()
    } else {
        stem.to_string()
    }
}

/// The rule-based lemma of `form` (already lower-cased) with universal POS `upos`.
pub fn rule_lemma(lower: &str, upos: &str) -> String {
    let w = lower;
    let n = w.len();
    match upos {
        "VERB" | "AUX" => {
            if n > 4 && (w.ends_with("ies") || w.ends_with("ied")) {
                format!("{}y", &w[..n - 3])
            } else if n > 4 && w.ends_with("ing") {
                undouble(&w[..n - 3])
            } else if n > 3 && w.ends_with("ed") {
                let stem = &w[..n - 2];
                if stem.ends_with('e') {
                    stem.to_string()
                } else {
                    undouble(stem)
                }
            } else if n > 3
                && (w.ends_with("sses")
                    || w.ends_with("ches")
                    || w.ends_with("shes")
                    || w.ends_with("xes")
                    || w.ends_with("zes"))
            {
                w[..n - 2].to_string()
            } else if n > 2 && w.ends_with('s') && !w.ends_with("ss") {
                w[..n - 1].to_string()
            } else {
                w.to_string()
            }
        }
        "NOUN" => {
            if n > 4 && w.ends_with("ies") {
                format!("{}y", &w[..n - 3])
            } else if n > 4
                && (w.ends_with("sses")
                    || w.ends_with("ches")
                    || w.ends_with("shes")
                    || w.ends_with("xes"))
            {
                w[..n - 2].to_string()
            } else if n > 3 && w.ends_with('s') && !w.ends_with("ss") && !w.ends_with("us") {
                w[..n - 1].to_string()
            } else {
                w.to_string()
            }
        }
        _ => w.to_string(),
    }
}

/// Lemma of `form` with `upos`, using the learnt exceptions first.
pub(crate) fn lemma(form: &str, upos: &str, exceptions: &HashMap<String, String>) -> String {
    if upos == "PROPN" {
        return form.to_string();
    }
    let lower = form.to_lowercase();
    let key = format!("{lower}\t{upos}");
    if let Some(l) = exceptions.get(&key) {
        return l.clone();
    }
    rule_lemma(&lower, upos)
}

/// Learn exceptions: for each (lower form, UPOS) seen, the most frequent gold lemma, kept when
/// the rules get it wrong.
pub(crate) fn learn(counts: &HashMap<String, HashMap<String, u32>>) -> HashMap<String, String> {
    let mut out = HashMap::new();
    for (key, lemmas) in counts {
        let Some((best, _)) = lemmas.iter().max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0))) else {
            continue;
        };
        let mut parts = key.split('\t');
        let (Some(lower), Some(upos)) = (parts.next(), parts.next()) else {
            continue;
        };
        if upos == "PROPN" {
            continue;
        }
        if rule_lemma(lower, upos) != *best {
            out.insert(key.clone(), best.clone());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules_cover_regular_inflection() {
        assert_eq!(rule_lemma("stopped", "VERB"), "stop");
        assert_eq!(rule_lemma("walked", "VERB"), "walk");
        assert_eq!(rule_lemma("carries", "VERB"), "carry");
        assert_eq!(rule_lemma("meeting", "VERB"), "meet");
        assert_eq!(rule_lemma("missiles", "NOUN"), "missile");
        assert_eq!(rule_lemma("talks", "VERB"), "talk");
    }
}
