//! Scoring against gold treebanks and gold sentence boundaries.

use crate::conllu::Sentence;
use crate::Model;
use std::time::Instant;
use wirecoder_doc::Span;

/// Tagging and parsing scores (gold tokenization; punctuation counted).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Scores {
    /// Words scored.
    pub tokens: usize,
    /// Sentences scored.
    pub sentences: usize,
    /// Correct UPOS.
    pub upos: usize,
    /// Correct XPOS.
    pub xpos: usize,
    /// Correct lemmas.
    pub lemma: usize,
    /// Correct heads.
    pub uas: usize,
    /// Correct heads and relations (main relation and subtype).
    pub las: usize,
    /// Seconds spent tagging, lemmatising and parsing (one thread).
    pub seconds: f64,
}

impl Scores {
    /// Percentage of `n` over the words scored.
    pub fn pct(&self, n: usize) -> f64 {
        100.0 * n as f64 / self.tokens.max(1) as f64
    }

    /// Words per second.
    pub fn tokens_per_second(&self) -> f64 {
        self.tokens as f64 / self.seconds.max(1e-9)
    }
}

/// Analyse the gold sentences' words with `model` and score the result.
pub fn evaluate(model: &Model, gold: &[Sentence]) -> Scores {
    let forms: Vec<Vec<&str>> = gold
        .iter()
        .map(|s| s.words.iter().map(|w| w.form.as_str()).collect())
        .collect();
    let t0 = Instant::now();
    let pred: Vec<_> = forms.iter().map(|f| model.analyse_words(f)).collect();
    let seconds = t0.elapsed().as_secs_f64();
    let mut sc = Scores {
        seconds,
        sentences: gold.len(),
        ..Scores::default()
    };
    for (g, p) in gold.iter().zip(&pred) {
        for (w, a) in g.words.iter().zip(p) {
            sc.tokens += 1;
            sc.upos += (w.upos == a.upos) as usize;
            sc.xpos += (w.xpos == a.xpos) as usize;
            sc.lemma += (w.lemma == a.lemma) as usize;
            if w.head == a.head {
                sc.uas += 1;
                sc.las += (w.deprel == a.deprel) as usize;
            }
        }
    }
    sc
}

/// Sentence-splitting scores: exact sentence spans.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct SplitScores {
    /// Gold sentences.
    pub gold: usize,
    /// Predicted sentences.
    pub predicted: usize,
    /// Predicted sentences whose span matches a gold one exactly.
    pub correct: usize,
}

impl SplitScores {
    /// Add another document's counts.
    pub fn add(&mut self, o: SplitScores) {
        self.gold += o.gold;
        self.predicted += o.predicted;
        self.correct += o.correct;
    }

    /// F1 of exact sentence spans.
    pub fn f1(&self) -> f64 {
        let p = self.correct as f64 / self.predicted.max(1) as f64;
        let r = self.correct as f64 / self.gold.max(1) as f64;
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }
}

/// Split `text` with [`crate::sentences`] and compare with `gold` sentence spans.
pub fn sentence_f1(text: &str, gold: &[Span], headings: &[Span]) -> SplitScores {
    let pred = crate::sentences(text, headings);
    let correct = pred.iter().filter(|p| gold.contains(p)).count();
    SplitScores {
        gold: gold.len(),
        predicted: pred.len(),
        correct,
    }
}

/// Document text and gold sentence spans from CoNLL-U with `# newpar` and `# text`:
/// paragraphs are separated by a blank line, the sentences of a paragraph by a space (by a
/// line break after a fragment without final punctuation).
pub fn document_from_conllu(conllu: &str) -> (String, Vec<Span>) {
    let mut doc = String::new();
    let mut gold = Vec::new();
    let mut new_par = false;
    for line in conllu.lines() {
        if line.starts_with("# newpar") && !line.starts_with("# newpar_") {
            new_par = true;
        } else if let Some(t) = line.strip_prefix("# text = ") {
            if !doc.is_empty() {
                // A fragment without final punctuation (a dateline, a caption, a byline) stood on
                // its own line in the article.
                let open = !doc
                    .trim_end()
                    .ends_with(['.', '!', '?', '"', '\'', '”', '’', ')', ':', '…']);
                doc.push_str(if new_par {
                    "\n\n"
                } else if open {
                    "\n"
                } else {
                    " "
                });
            }
            new_par = false;
            let start = doc.len();
            doc.push_str(t.trim());
            gold.push(Span::new(start, doc.len()));
        }
    }
    (doc, gold)
}
