//! Tokens, sentences and filler normalisation for MUC-4 texts (lower-cased or ALL CAPS wire
//! copy, paragraphs run together with spaces), independent of letter case.

/// A token: byte offsets into the text and its lower-cased form.
#[derive(Debug, Clone)]
pub(crate) struct Tok {
    pub start: usize,
    pub end: usize,
    pub low: String,
}

/// Abbreviations whose period does not end a sentence ("col. isaacs", "gen. bustillo").
const ABBREVIATIONS: &[&str] = &[
    "col", "gen", "lt", "sgt", "capt", "cap", "maj", "mr", "mrs", "ms", "dr", "st", "no", "msgr",
    "fr", "rev", "gov", "sen", "rep", "pres", "adm", "cmdr", "cpl", "pvt", "jr", "sr", "inc", "co",
    "corp", "vs", "mt", "ft", "brig", "lic", "eng", "arch", "prof", "hon", "gens",
];

/// Splits `text` into tokens: runs of letters and digits (with inner hyphens, apostrophes and
/// digit-internal periods or commas kept), and single other characters.
pub(crate) fn tokenize(text: &str) -> Vec<Tok> {
    let mut out = Vec::new();
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut i = 0;
    while i < chars.len() {
        let (b, c) = chars[i];
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        let mut j = i + 1;
        if c.is_alphanumeric() {
            while j < chars.len() {
                let cj = chars[j].1;
                let next_alnum = chars.get(j + 1).is_some_and(|x| x.1.is_alphanumeric());
                let inner = matches!(cj, '-' | '\'') && next_alnum;
                let number_sep = matches!(cj, '.' | ',' | ':')
                    && chars[j - 1].1.is_ascii_digit()
                    && chars.get(j + 1).is_some_and(|x| x.1.is_ascii_digit());
                if cj.is_alphanumeric() || inner || number_sep {
                    j += 1;
                } else {
                    break;
                }
            }
        }
        let e = chars.get(j).map_or(text.len(), |x| x.0);
        out.push(Tok {
            start: b,
            end: e,
            low: text[b..e].to_lowercase(),
        });
        i = j;
    }
    out
}

/// Sentences as token ranges: a sentence ends at `.`, `?` or `!` (not after an abbreviation
/// or a single letter), or where a paragraph gap of three or more spaces falls.
pub(crate) fn sentences(text: &str, toks: &[Tok]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = 0;
    for i in 0..toks.len() {
        let t = &toks[i];
        let mut end_here = false;
        if matches!(t.low.as_str(), "." | "?" | "!") {
            let prev = i.checked_sub(1).map(|p| toks[p].low.as_str());
            let abbrev = prev.is_some_and(|p| {
                ABBREVIATIONS.contains(&p) || (p.chars().count() == 1 && p != "i")
            });
            end_here = !abbrev;
        }
        if let Some(n) = toks.get(i + 1) {
            let gap = text.get(t.end..n.start).unwrap_or("");
            if gap.chars().filter(|c| *c == ' ').count() >= 3 || gap.contains('\n') {
                end_here = true;
            }
            // A long run-on stretch is cut at a semicolon so that features stay local.
            if i + 1 - start > 80 && t.low == ";" {
                end_here = true;
            }
        }
        if end_here || i + 1 == toks.len() {
            out.push((start, i + 1));
            start = i + 1;
        }
    }
    out
}

/// Words that end the head phrase of a filler: "members *of* the fmln", "a man *who*...".
const HEAD_STOPS: &[&str] = &[
    "of",
    "in",
    "at",
    "from",
    "on",
    "with",
    "who",
    "which",
    "that",
    "for",
    "to",
    "near",
    "by",
    "whose",
    "where",
    "when",
    "during",
    "inside",
    "outside",
    "into",
    "aboard",
    "belonging",
    "carrying",
    "including",
    "among",
    "between",
    "under",
    "against",
];

/// The normalised form of a filler: lower case, punctuation and quotes as spaces, a leading
/// article dropped, spaces collapsed.
pub fn normalize(s: &str) -> String {
    let low: String = s
        .to_lowercase()
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '-' || c == '\'' {
                c
            } else {
                ' '
            }
        })
        .collect();
    let words: Vec<&str> = low
        .split_whitespace()
        .map(|w| w.trim_matches(|c| c == '\'' || c == '-'))
        .filter(|w| !w.is_empty())
        .collect();
    let skip = usize::from(words.len() > 1 && matches!(words.first(), Some(&("the" | "a" | "an"))));
    words[skip..].join(" ")
}

/// The head noun of a filler: the last word before the first preposition, relative pronoun
/// or comma ("members of the fmln" → "members", "a white nissan patrol vehicle" → "vehicle").
pub fn head_noun(s: &str) -> String {
    let n = normalize(s);
    let words: Vec<&str> = n.split(' ').filter(|w| !w.is_empty()).collect();
    let cut = words
        .iter()
        .enumerate()
        .position(|(i, w)| i > 0 && HEAD_STOPS.contains(w))
        .unwrap_or(words.len());
    words[..cut].last().copied().unwrap_or("").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_and_sentences() {
        let t = "col. isaacs said the attack killed 2 peasants.  a guerrilla column attacked \
                 the farm.    he added that on 3 february me-7847 was seen.";
        let toks = tokenize(t);
        let words: Vec<&str> = toks.iter().map(|t| t.low.as_str()).collect();
        assert!(words.contains(&"me-7847"));
        assert_eq!(words[0..3], ["col", ".", "isaacs"]);
        let s = sentences(t, &toks);
        assert_eq!(s.len(), 3, "{s:?}");
        assert_eq!(toks[s[1].0].low, "a");
    }

    #[test]
    fn heads() {
        assert_eq!(head_noun("members of the camilist union"), "members");
        assert_eq!(head_noun("The \"Santo Tomas\" presidential farm"), "farm");
        assert_eq!(head_noun("a man who was passing by"), "man");
        assert_eq!(normalize("the \"la eminencia\" farm"), "la eminencia farm");
        assert_eq!(normalize("URNG"), "urng");
    }
}
