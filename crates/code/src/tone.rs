//! Tone like GDELT's: the shares of positive and negative words in a text, their difference
//! (tone) and sum (polarity), the share of verbs (activity) and of first-person pronouns.
//!
//! Word senses come from the VADER lexicon (C.J. Hutto, MIT; `data/tone/vader_lexicon.txt`):
//! a word with a mean valence above zero is positive, below zero negative. A negator among the
//! three words before ("not", "never", "without", …) flips the sense, as VADER does.

use once_cell::sync::Lazy;

use crate::FnvMap;
use wirecoder_doc::{Doc, Pos, Span, Tone};

static LEXICON: Lazy<FnvMap<&'static str, f32>> = Lazy::new(|| {
    include_str!("../../../data/tone/vader_lexicon.txt")
        .lines()
        .filter_map(|l| {
            let mut f = l.split('\t');
            let w = f.next()?;
            let v: f32 = f.next()?.trim().parse().ok()?;
            // Emoticons and punctuation entries are of no use on news text.
            w.chars().any(char::is_alphabetic).then_some((w, v))
        })
        .collect()
});

/// Words that flip the sense of what follows (VADER's list, apostrophes optional).
const NEGATORS: &[&str] = &[
    "not",
    "no",
    "never",
    "none",
    "nobody",
    "nothing",
    "nowhere",
    "neither",
    "nor",
    "without",
    "cannot",
    "cant",
    "can't",
    "dont",
    "don't",
    "doesnt",
    "doesn't",
    "didnt",
    "didn't",
    "isnt",
    "isn't",
    "wasnt",
    "wasn't",
    "arent",
    "aren't",
    "werent",
    "weren't",
    "wont",
    "won't",
    "wouldnt",
    "wouldn't",
    "shouldnt",
    "shouldn't",
    "couldnt",
    "couldn't",
    "hasnt",
    "hasn't",
    "havent",
    "haven't",
    "hadnt",
    "hadn't",
    "aint",
    "ain't",
    "mustnt",
    "mustn't",
    "rarely",
    "seldom",
    "despite",
];

const SELF_GROUP: &[&str] = &[
    "i",
    "me",
    "my",
    "mine",
    "myself",
    "we",
    "us",
    "our",
    "ours",
    "ourselves",
];

/// The words of a text, lower-cased end to end in one buffer (a String per word was most of
/// the cost), with each word's byte span in the text.
struct Words {
    all: String,
    /// End of each word in `all`.
    ends: Vec<usize>,
    /// Byte span of each word in the text.
    spans: Vec<(usize, usize)>,
}

impl Words {
    fn of(text: &str) -> Words {
        let mut w = Words {
            all: String::with_capacity(text.len()),
            ends: Vec::new(),
            spans: Vec::new(),
        };
        let base = text.as_ptr() as usize;
        for word in text
            .split(|c: char| !(c.is_alphanumeric() || c == '\'' || c == '’'))
            .filter(|w| w.chars().any(char::is_alphabetic))
        {
            // An ASCII word lower-cases byte by byte and holds no curly apostrophe.
            if word.is_ascii() {
                w.all
                    .extend(word.bytes().map(|b| b.to_ascii_lowercase() as char));
            } else {
                w.all.push_str(&word.to_lowercase().replace('’', "'"));
            }
            w.ends.push(w.all.len());
            let at = word.as_ptr() as usize - base;
            w.spans.push((at, at + word.len()));
        }
        w
    }

    fn words(&self) -> Vec<&str> {
        self.ends
            .iter()
            .scan(0, |start, &end| {
                let w = self.all.get(*start..end).unwrap_or("");
                *start = end;
                Some(w)
            })
            .collect()
    }

    /// The indices of the words of `text[lo..hi]`, when no word of the whole text straddles
    /// `lo` or `hi` (then splitting the slice alone gives the same words).
    fn within(&self, lo: usize, hi: usize) -> Option<std::ops::Range<usize>> {
        let i = self.spans.partition_point(|&(_, e)| e <= lo);
        let j = self.spans.partition_point(|&(s, _)| s < hi);
        let straddles = |k: usize| self.spans.get(k).is_some_and(|&(s, e)| s < lo || e > hi);
        if (i < j && (straddles(i) || straddles(j - 1))) || i > j {
            return None;
        }
        Some(i..j)
    }
}

/// Tone of `text`; `verbs` is the number of verbs when the words were tagged.
pub fn tone_of(text: &str, verbs: Option<usize>) -> Tone {
    let w = Words::of(text);
    tone_of_words(&w.words(), verbs)
}

/// Tone of a text split into lower-cased words.
fn tone_of_words(words: &[&str], verbs: Option<usize>) -> Tone {
    let (mut pos, mut neg, mut selfg) = (0usize, 0usize, 0usize);
    for (i, &w) in words.iter().enumerate() {
        if SELF_GROUP.contains(&w) {
            selfg += 1;
        }
        let Some(&v) = LEXICON.get(w) else {
            continue;
        };
        let negated = words[i.saturating_sub(3)..i]
            .iter()
            .any(|p| NEGATORS.contains(p));
        let v = if negated { -v } else { v };
        if v > 0.0 {
            pos += 1;
        } else if v < 0.0 {
            neg += 1;
        }
    }
    let n = words.len();
    let pct = |k: usize| {
        if n == 0 {
            0.0
        } else {
            100.0 * k as f64 / n as f64
        }
    };
    let (p, q) = (pct(pos), pct(neg));
    Tone {
        tone: p - q,
        positive: p,
        negative: q,
        polarity: p + q,
        activity: verbs.map(pct),
        self_group: pct(selfg),
        words: n,
    }
}

/// Tone of the document and of each sentence. The text is split into words once; a sentence
/// takes its run of those words (what splitting it alone gives, unless a word straddles its
/// bounds: then it is split alone).
pub fn annotate_tone(doc: &mut Doc) {
    let tagged = doc.tokens.iter().any(|t| t.pos.is_some());
    let verbs_in = |s: Span| {
        tagged.then(|| {
            doc.tokens
                .iter()
                .filter(|t| s.start <= t.span.start && t.span.end <= s.end)
                .filter(|t| matches!(t.pos, Some(Pos::Verb)))
                .count()
        })
    };
    let all = Words::of(&doc.text);
    let words = all.words();
    doc.sentence_tones = doc
        .sentences
        .iter()
        .map(|&s| match all.within(s.start, s.end) {
            Some(r) => tone_of_words(&words[r], verbs_in(s)),
            None => tone_of(doc.slice(s), verbs_in(s)),
        })
        .collect();
    doc.tone = Some(tone_of_words(
        &words,
        verbs_in(Span::new(0, doc.text.len())),
    ));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn negative_news_has_negative_tone() {
        let t = tone_of(
            "Two people were killed and more than 60 injured in a missile strike on Kharkiv.",
            None,
        );
        assert!(t.negative > 0.0 && t.tone < 0.0, "{t:?}");
        assert_eq!(t.words, 14);
        assert!((t.polarity - (t.positive + t.negative)).abs() < 1e-9);
    }

    #[test]
    fn praise_is_positive_and_negation_flips() {
        let good = tone_of(
            "The leaders welcomed the peaceful agreement and praised the talks.",
            None,
        );
        assert!(good.tone > 0.0, "{good:?}");
        let not_good = tone_of("The talks were not good.", None);
        assert!(not_good.tone < 0.0, "{not_good:?}");
        assert_eq!(tone_of("", None).tone, 0.0);
        let we = tone_of("We will defend our country.", None);
        assert!((we.self_group - 40.0).abs() < 1e-9);
    }

    #[test]
    fn sentence_tones_are_each_sentences_own() {
        let text = "Not good. The talks failed, not a success! Über-happy crowds cheered \
                    in Kyiv’s square.\n\nWe won’t stop. 2024 x";
        let mut doc = Doc::new(text);
        doc.sentences = wirecoder_syntax::sentences(text, &[]);
        // A span that cuts a word ("tal|ks") is split on its own.
        doc.sentences.push(Span::new(13, 24));
        annotate_tone(&mut doc);
        let alone: Vec<Tone> = doc
            .sentences
            .iter()
            .map(|&s| tone_of(doc.slice(s), None))
            .collect();
        assert_eq!(format!("{:?}", doc.sentence_tones), format!("{alone:?}"));
        assert_eq!(
            format!("{:?}", doc.tone),
            format!("{:?}", Some(tone_of(text, None)))
        );
    }
}
