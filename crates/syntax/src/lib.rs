//! Tokens and sentences for news English.
//!
//! This crate turns clean text into [`Token`](wirecoder_doc::Token)s and sentence spans. It knows
//! the habits of wire copy: abbreviations (`U.S.`, `Jan.`, `Gen.`), initials, numbers with
//! separators (`1,000`, `3.5`), curly and straight quotes, headlines without final punctuation.
//! All offsets are byte offsets into the text passed in.
//!
//! [`Model`] is a trained averaged-perceptron tagger (UPOS + XPOS), a greedy arc-hybrid
//! dependency parser (UD relations) and a lemmatizer; [`Model::shared`] loads the one shipped in
//! `data/models/syntax.bin` (trained on UD English EWT and GUM, CC BY-SA 4.0) and
//! [`Model::analyse`] fills `pos`, `xpos`, `lemma`, `head` and `deprel` of a document's tokens.
//!
//! ```
//! use wirecoder_syntax::{sentences, tokenize};
//! let text = "Gen. Smith met U.S. officials on Jan. 5. They agreed.";
//! let s = sentences(text, &[]);
//! assert_eq!(s.len(), 2);
//! assert_eq!(&text[s[1].start..s[1].end], "They agreed.");
//! let toks = tokenize(text, 0, s[0].end, 0);
//! assert_eq!(&text[toks[2].span.start..toks[2].span.end], "met");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
#![deny(missing_docs)]

mod conllu;
mod eval;
mod lemma;
mod model;
mod parser;
mod perceptron;
mod tagger;

pub use conllu::{parse as parse_conllu, read_file as read_conllu, training_files, Sentence, Word};
pub use eval::{document_from_conllu, evaluate, sentence_f1, Scores, SplitScores};
pub use lemma::rule_lemma;
pub use model::{Analysis, Model, TrainOptions};

use once_cell::sync::OnceCell;
use wirecoder_doc::{Doc, Pos, Span, Token};

/// Errors of this crate.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A file could not be read.
    #[error("{file}: {source}")]
    Io {
        /// The file.
        file: String,
        /// The cause.
        source: std::io::Error,
    },
    /// Malformed CoNLL-U.
    #[error("{file}:{line}: {msg}")]
    Conllu {
        /// The file.
        file: String,
        /// 1-based line.
        line: usize,
        /// What is wrong.
        msg: String,
    },
    /// A model file that cannot be read.
    #[error("syntax model: {0}")]
    Model(String),
    /// Training could not run.
    #[error("training: {0}")]
    Train(String),
}

/// The shipped model (empty until `wirecoder train syntax` has written it).
static MODEL_BYTES: &[u8] = include_bytes!("../../../data/models/syntax.bin");

/// The shipped model, once loaded.
static SHARED: OnceCell<Result<Model, String>> = OnceCell::new();

impl Model {
    /// The model shipped with wirecoder, loaded once.
    pub fn shared() -> Result<&'static Model, Error> {
        SHARED
            .get_or_init(|| Model::from_bytes(MODEL_BYTES).map_err(|e| e.to_string()))
            .as_ref()
            .map_err(|e| Error::Model(e.clone()))
    }

    /// Whether this is the shipped model (loaded once, never changed), whose analyses may be
    /// remembered.
    pub(crate) fn is_shared(&self) -> bool {
        matches!(SHARED.get(), Some(Ok(m)) if std::ptr::eq(m, self))
    }

    /// Tag, lemmatise and parse every sentence of `doc` (its `tokens`, grouped by their
    /// `sentence` index): fills `pos`, `xpos`, `lemma`, `head` (a `doc.tokens` index) and
    /// `deprel`.
    pub fn analyse(&self, doc: &mut Doc) {
        for_each_sentence(
            doc,
            |forms| self.analyse_words(forms),
            |i, t, a| {
                t.pos = upos(&a.upos);
                t.xpos = Some(a.xpos);
                t.lemma = Some(a.lemma);
                t.head = (a.head > 0).then(|| i + a.head - 1);
                t.deprel = Some(a.deprel);
            },
        );
    }

    /// Tag and lemmatise every sentence of `doc` without parsing: fills `pos`, `xpos` and
    /// `lemma` at a fraction of [`Model::analyse`]'s cost (for stages that need word classes,
    /// not trees).
    pub fn tag(&self, doc: &mut Doc) {
        for_each_sentence(
            doc,
            |forms| self.tag_words(forms),
            |_, t, (upos_s, xpos, lemma)| {
                t.pos = upos(&upos_s);
                t.xpos = Some(xpos);
                t.lemma = Some(lemma);
            },
        );
    }
}

/// Runs `analyse` over the word forms of each sentence of `doc` and hands every token its
/// result with `fill(first token index of the sentence, token, result)`.
fn for_each_sentence<A>(
    doc: &mut Doc,
    analyse: impl Fn(&[&str]) -> Vec<A>,
    mut fill: impl FnMut(usize, &mut wirecoder_doc::Token, A),
) {
    let mut i = 0;
    while i < doc.tokens.len() {
        let sent = doc.tokens[i].sentence;
        let mut j = i;
        while j < doc.tokens.len() && doc.tokens[j].sentence == sent {
            j += 1;
        }
        let forms: Vec<&str> = doc.tokens[i..j]
            .iter()
            .map(|t| doc.text.get(t.span.start..t.span.end).unwrap_or(""))
            .collect();
        for (k, a) in analyse(&forms).into_iter().enumerate() {
            fill(i, &mut doc.tokens[i + k], a);
        }
        i = j;
    }
}

/// The [`Pos`] of a UPOS string.
pub fn upos(s: &str) -> Option<Pos> {
    Some(match s {
        "ADJ" => Pos::Adj,
        "ADP" => Pos::Adp,
        "ADV" => Pos::Adv,
        "AUX" => Pos::Aux,
        "CCONJ" => Pos::Cconj,
        "DET" => Pos::Det,
        "INTJ" => Pos::Intj,
        "NOUN" => Pos::Noun,
        "NUM" => Pos::Num,
        "PART" => Pos::Part,
        "PRON" => Pos::Pron,
        "PROPN" => Pos::Propn,
        "PUNCT" => Pos::Punct,
        "SCONJ" => Pos::Sconj,
        "SYM" => Pos::Sym,
        "VERB" => Pos::Verb,
        "X" => Pos::X,
        _ => return None,
    })
}

/// A small deterministic random generator (xorshift64*), so training is reproducible.
pub(crate) struct Rng(pub u64);

impl Rng {
    pub(crate) fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    pub(crate) fn shuffle<T>(&mut self, v: &mut [T]) {
        for i in (1..v.len()).rev() {
            let j = (self.next() % (i as u64 + 1)) as usize;
            v.swap(i, j);
        }
    }
}

/// Words after which a period does not end a sentence.
const ABBREVIATIONS: &[&str] = &[
    "mr", "mrs", "ms", "dr", "gen", "col", "lt", "sgt", "capt", "cmdr", "adm", "maj", "sen", "rep",
    "gov", "pres", "prof", "st", "jr", "sr", "rev", "hon", "amb", "jan", "feb", "mar", "apr",
    "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "no", "vs", "etc", "inc", "corp",
    "co", "ltd", "dept", "est", "approx", "fig", "mt", "ft", "gov't", "u.s", "u.k", "u.n", "e.u",
    "a.m", "p.m",
];

/// Words that start a sentence often enough to split after an ambiguous abbreviation ("U.S.").
const SENTENCE_STARTERS: &[&str] = &[
    "The",
    "He",
    "She",
    "It",
    "They",
    "We",
    "I",
    "But",
    "In",
    "On",
    "At",
    "A",
    "An",
    "This",
    "That",
    "These",
    "Those",
    "His",
    "Her",
    "Their",
    "Its",
    "However",
    "Meanwhile",
    "After",
    "Earlier",
    "Later",
    "When",
    "While",
];

fn is_quote(c: char) -> bool {
    matches!(c, '"' | '\'' | '“' | '”' | '‘' | '’' | '«' | '»')
}

/// Split `text` into sentences. Paragraphs (blank-line separated) and the lines in `headings`
/// never share a sentence; headings themselves are not sentences.
pub fn sentences(text: &str, headings: &[Span]) -> Vec<Span> {
    let mut out = Vec::new();
    let mut para_start = 0;
    let bytes = text.as_bytes();
    let mut i = 0;
    // Paragraphs: split on blank lines (a line holding only whitespace).
    let mut paras = Vec::new();
    while i < bytes.len() {
        if bytes[i] == b'\n' {
            let mut j = i + 1;
            while j < bytes.len() && (bytes[j] == b' ' || bytes[j] == b'\t' || bytes[j] == b'\r') {
                j += 1;
            }
            if j < bytes.len() && bytes[j] == b'\n' {
                paras.push(Span::new(para_start, i));
                while j < bytes.len() && bytes[j].is_ascii_whitespace() {
                    j += 1;
                }
                para_start = j;
                i = j;
                continue;
            }
        }
        i += 1;
    }
    paras.push(Span::new(para_start, text.len()));
    for p in paras {
        // A paragraph may hold several lines, some of which are headings.
        let mut line_start = p.start;
        for line in text[p.start..p.end].split_inclusive('\n') {
            let ls = line_start;
            let le = ls + line.len();
            line_start = le;
            let span = trim(text, Span::new(ls, le));
            if span.is_empty() {
                continue;
            }
            if headings.iter().any(|h| {
                h.start <= span.start && span.end <= h.end.max(span.end) && h.start == span.start
            }) {
                continue;
            }
            split_block(text, span, &mut out);
        }
    }
    // Lines of one paragraph that are not headings are joined back: a hard-wrapped paragraph is
    // one run of prose, so merge sentences that a line break cut without final punctuation.
    merge_wrapped(text, out)
}

fn merge_wrapped(text: &str, spans: Vec<Span>) -> Vec<Span> {
    let mut out: Vec<Span> = Vec::with_capacity(spans.len());
    for s in spans {
        if let Some(last) = out.last_mut() {
            let prev = text[last.start..last.end].trim_end();
            let gap = &text[last.end..s.start];
            let ends = prev.ends_with(['.', '!', '?', ':', '"', '”', '’', ')']);
            let starts_lower = text[s.start..]
                .chars()
                .next()
                .is_some_and(|c| c.is_lowercase());
            if !gap.contains("\n\n") && !ends && starts_lower {
                last.end = s.end;
                continue;
            }
        }
        out.push(s);
    }
    out
}

fn trim(text: &str, s: Span) -> Span {
    let t = &text[s.start..s.end];
    let lead = t.len() - t.trim_start().len();
    let body = t.trim();
    Span::new(s.start + lead, s.start + lead + body.len())
}

/// Split one block (no paragraph breaks) into sentences.
fn split_block(text: &str, block: Span, out: &mut Vec<Span>) {
    let t = &text[block.start..block.end];
    let mut start = 0;
    let chars: Vec<(usize, char)> = t.char_indices().collect();
    let mut k = 0;
    let mut depth_paren = 0i32;
    while k < chars.len() {
        let (i, c) = chars[k];
        match c {
            '(' => depth_paren += 1,
            ')' => depth_paren = (depth_paren - 1).max(0),
            _ => {}
        }
        if matches!(c, '.' | '!' | '?') {
            // Absorb runs of terminal punctuation and closing quotes/brackets.
            let mut e = k + 1;
            while e < chars.len()
                && (matches!(chars[e].1, '.' | '!' | '?' | ')') || is_quote(chars[e].1))
            {
                e += 1;
            }
            let end_byte = if e < chars.len() { chars[e].0 } else { t.len() };
            let next_ok = e >= chars.len() || chars[e].1.is_whitespace();
            if next_ok && depth_paren == 0 && is_boundary(t, start, i, c, end_byte) {
                let s = trim(text, Span::new(block.start + start, block.start + end_byte));
                if !s.is_empty() {
                    out.push(s);
                }
                start = end_byte;
            }
            k = e;
            continue;
        }
        k += 1;
    }
    let s = trim(text, Span::new(block.start + start, block.end));
    if !s.is_empty() {
        out.push(s);
    }
}

/// Whether the terminal mark `c` at byte `i` of block `t` ends a sentence.
fn is_boundary(t: &str, sent_start: usize, i: usize, c: char, after: usize) -> bool {
    let rest = t[after..].trim_start();
    let next_word: &str = rest
        .split(|ch: char| ch.is_whitespace())
        .next()
        .unwrap_or("")
        .trim_start_matches(|ch: char| is_quote(ch) || ch == '(');
    let Some(first) = next_word.chars().next() else {
        return true; // end of block
    };
    if c != '.' {
        // "!" and "?" end a sentence unless the text goes on in lower case ("Yahoo! said").
        return !first.is_lowercase();
    }
    if first.is_lowercase() {
        return false;
    }
    // The word before the period.
    let before = &t[sent_start..i];
    let word = before
        .rsplit(|ch: char| ch.is_whitespace() || ch == '(' || is_quote(ch))
        .next()
        .unwrap_or("");
    let lw = word.to_lowercase();
    if word.chars().count() == 1 && word.chars().all(|ch| ch.is_uppercase()) {
        return false; // an initial: "John F. Kennedy"
    }
    if lw.contains('.') && lw.len() <= 6 && lw.chars().filter(|&ch| ch == '.').count() >= 1 {
        // "U.S." and friends: split only before a typical sentence starter.
        return SENTENCE_STARTERS.contains(&next_word);
    }
    if ABBREVIATIONS.contains(&lw.as_str()) {
        // Month abbreviations before a number never end a sentence; titles never do.
        return false;
    }
    if word.chars().all(|ch| ch.is_ascii_digit()) && first.is_ascii_digit() {
        return false;
    }
    true
}

/// Where a clitic starts in `word` (`n't`, `'re`, `'ve`, `'ll`, `'d`, `'m`), if it has one.
fn clitic_split(word: &str) -> Option<usize> {
    let chars: Vec<(usize, char)> = word.char_indices().collect();
    // Same number of chars as `word`, so char positions line up.
    let norm: String = chars
        .iter()
        .map(|&(_, c)| {
            if c == '’' {
                '\''
            } else {
                c.to_ascii_lowercase()
            }
        })
        .collect();
    let n = chars.len();
    for suf in ["n't", "'re", "'ve", "'ll", "'d", "'m"] {
        let k = suf.len();
        if n > k && norm.ends_with(suf) && chars[..n - k].iter().all(|c| c.1.is_alphabetic()) {
            return Some(chars[n - k].0);
        }
    }
    None
}

/// Tokens of `text[start..end]`, all tagged with `sentence`.
///
/// Words keep inner apostrophes, hyphens and periods of abbreviations (`U.S.`, `short-range`,
/// `Russia’s` gives `Russia` and `’s`); numbers keep their separators (`1,000`, `3.5`).
pub fn tokenize(text: &str, start: usize, end: usize, sentence: usize) -> Vec<Token> {
    let mut out = Vec::new();
    let t = &text[start..end];
    let cs: Vec<(usize, char)> = t.char_indices().collect();
    let n = cs.len();
    let byte = |k: usize| if k < n { cs[k].0 } else { t.len() };
    let mut k = 0;
    let push = |a: usize, b: usize, out: &mut Vec<Token>| {
        let span = Span::new(start + a, start + b);
        out.push(Token {
            span,
            pos: None,
            lemma: Some(text[span.start..span.end].to_lowercase()),
            sentence,
            xpos: None,
            head: None,
            deprel: None,
        });
    };
    while k < n {
        let c = cs[k].1;
        if c.is_whitespace() {
            k += 1;
            continue;
        }
        if c.is_alphanumeric() {
            let s = k;
            let mut e = k + 1;
            while e < n {
                let ch = cs[e].1;
                if ch.is_alphanumeric() {
                    e += 1;
                } else if matches!(ch, '-' | '.' | ',' | '\'' | '’' | '&')
                    && e + 1 < n
                    && cs[e + 1].1.is_alphanumeric()
                {
                    // Inner punctuation: keep "short-range", "U.S", "1,000", "3.5", "AT&T".
                    // A comma only inside numbers; an apostrophe not before "s " (possessive).
                    if ch == ',' && !(cs[e - 1].1.is_ascii_digit() && cs[e + 1].1.is_ascii_digit())
                    {
                        break;
                    }
                    if (ch == '\'' || ch == '’')
                        && matches!(cs[e + 1].1, 's' | 'S')
                        && (e + 2 >= n || !cs[e + 2].1.is_alphanumeric())
                    {
                        break;
                    }
                    e += 1;
                } else {
                    break;
                }
            }
            // An abbreviation keeps its final period: "U.S." "Jan."
            let word = &t[byte(s)..byte(e)];
            if e < n && cs[e].1 == '.' {
                let lw = word.to_lowercase();
                if (word.contains('.') && word.len() <= 5) || ABBREVIATIONS.contains(&lw.as_str()) {
                    e += 1;
                }
            }
            let (a, b) = (byte(s), byte(e));
            match clitic_split(&t[a..b]) {
                // UD splits clitics off: "didn't" → "did" "n't", "they're" → "they" "'re".
                Some(m) => {
                    push(a, a + m, &mut out);
                    push(a + m, b, &mut out);
                }
                None => push(a, b, &mut out),
            }
            k = e;
            continue;
        }
        if (c == '\'' || c == '’')
            && k + 1 < n
            && matches!(cs[k + 1].1, 's' | 'S')
            && (k + 2 >= n || !cs[k + 2].1.is_alphanumeric())
        {
            push(byte(k), byte(k + 2), &mut out);
            k += 2;
            continue;
        }
        push(byte(k), byte(k + 1), &mut out);
        k += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sents(t: &str) -> Vec<&str> {
        sentences(t, &[])
            .iter()
            .map(|s| &t[s.start..s.end])
            .collect()
    }

    #[test]
    fn splits_news_sentences() {
        let t = "When questioned, Kremlin spokesman Dmitry Peskov responded on Tuesday with a succinct “No comment.” North Korean leader Kim Jong Un declared it.";
        assert_eq!(sents(t).len(), 2);
        assert!(sents(t)[0].ends_with("comment.”"));
    }

    #[test]
    fn keeps_abbreviations_and_initials() {
        let t = "Mr. Blinken met Gen. Mark A. Milley in Washington, D.C. on Jan. 5. The U.S. Army said so.";
        assert_eq!(
            sents(t),
            vec![
                "Mr. Blinken met Gen. Mark A. Milley in Washington, D.C. on Jan. 5.",
                "The U.S. Army said so."
            ]
        );
    }

    #[test]
    fn paragraphs_and_headings_separate() {
        let t = "Important Quotes!\n\nThe statement condemned it.\n\nNorth Korea Chief Speaks\n\nKim spoke.";
        let h = [Span::new(0, 17), Span::new(48, 72)];
        assert_eq!(
            sentences(t, &h)
                .iter()
                .map(|s| &t[s.start..s.end])
                .collect::<Vec<_>>(),
            vec!["The statement condemned it.", "Kim spoke."]
        );
    }

    #[test]
    fn clitics_split_like_ud() {
        let t = "They didn’t say, and we can't know what they're doing.";
        let toks: Vec<&str> = tokenize(t, 0, t.len(), 0)
            .iter()
            .map(|k| &t[k.span.start..k.span.end])
            .collect();
        assert_eq!(
            toks,
            vec![
                "They", "did", "n’t", "say", ",", "and", "we", "ca", "n't", "know", "what", "they",
                "'re", "doing", "."
            ]
        );
    }

    #[test]
    fn tokens_keep_abbreviations_numbers_and_possessives() {
        let t = "Russia’s 1,000 short-range U.S. missiles (SRBMs) cost $3.5 billion.";
        let toks: Vec<&str> = tokenize(t, 0, t.len(), 0)
            .iter()
            .map(|k| &t[k.span.start..k.span.end])
            .collect();
        assert_eq!(
            toks,
            vec![
                "Russia",
                "’s",
                "1,000",
                "short-range",
                "U.S.",
                "missiles",
                "(",
                "SRBMs",
                ")",
                "cost",
                "$",
                "3.5",
                "billion",
                "."
            ]
        );
    }
}
