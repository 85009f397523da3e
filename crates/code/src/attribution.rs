//! Who a quote belongs to, read off the dependency parse of its sentence.
//!
//! News prose attributes a quote through the clause that holds it: `X said (that) …“…”`,
//! `X called the plan “a disaster”`, `X attacked Y, saying, “…”`. The speaker is the subject of the highest speech verb
//! above the quote (attribution nests: in `Clinton says she liked what he calls “…”` the article
//! cites Clinton), else the name or pronoun subject of the highest clause; a relative clause is a boundary
//! (`…, who said “…”`). A passive speech verb takes its `by` agent.

use wirecoder_doc::{Doc, Span};
use wirecoder_syntax::Model;

/// Lemmas of verbs that report speech or a stance the article quotes.
const SPEECH_VERBS: &[&str] = &[
    "accuse",
    "acknowledge",
    "add",
    "admit",
    "agree",
    "allege",
    "announce",
    "apologise",
    "apologize",
    "argue",
    "ask",
    "assert",
    "attack",
    "blast",
    "boast",
    "brag",
    "brand",
    "call",
    "caution",
    "chant",
    "charge",
    "cite",
    "claim",
    "comment",
    "compare",
    "complain",
    "concede",
    "conclude",
    "condemn",
    "contend",
    "continue",
    "counter",
    "criticise",
    "criticize",
    "declare",
    "decry",
    "demand",
    "denounce",
    "deny",
    "deride",
    "describe",
    "dismiss",
    "dub",
    "echo",
    "emphasise",
    "emphasize",
    "explain",
    "find",
    "hail",
    "insist",
    "issue",
    "joke",
    "label",
    "lament",
    "lash",
    "laud",
    "liken",
    "maintain",
    "mock",
    "muse",
    "note",
    "observe",
    "opine",
    "plead",
    "pledge",
    "point",
    "post",
    "praise",
    "pray",
    "predict",
    "proclaim",
    "promise",
    "question",
    "quip",
    "quote",
    "rail",
    "read",
    "recall",
    "recount",
    "refer",
    "reiterate",
    "release",
    "remark",
    "reply",
    "report",
    "respond",
    "retort",
    "rule",
    "say",
    "scold",
    "shout",
    "sing",
    "slam",
    "snap",
    "sneer",
    "speak",
    "state",
    "stress",
    "suggest",
    "taunt",
    "tease",
    "tell",
    "term",
    "testify",
    "thank",
    "tout",
    "tweet",
    "urge",
    "vow",
    "warn",
    "write",
    "yell",
];

/// One sentence, tagged and parsed: token spans, lemmas, heads (indices into the sentence) and
/// relations.
pub(crate) struct Parsed {
    spans: Vec<Span>,
    lemma: Vec<String>,
    upos: Vec<String>,
    head: Vec<Option<usize>>,
    rel: Vec<String>,
}

/// Sentences longer than this are not parsed (cost grows with length; such "sentences" are
/// usually lists or run-on text).
const MAX_TOKENS: usize = 160;

/// Whether the token at `t` belongs to the quote `q` (its words, marks excluded): the marks
/// count as the quote's own tokens.
fn in_quote(t: Span, q: Span) -> bool {
    t.start + 3 >= q.start && t.end <= q.end + 3 && t.end > q.start.saturating_sub(3)
}

/// Whether quote `q` holds every token of sentence `sent`: then no parse can name its speaker
/// ([`Parsed::speaker`] needs a word outside the quote to govern it), so none need be made.
pub(crate) fn quote_fills_sentence(doc: &Doc, sent: usize, q: Span) -> bool {
    let lo = doc.tokens.partition_point(|t| t.sentence < sent);
    let hi = doc.tokens.partition_point(|t| t.sentence <= sent);
    doc.tokens
        .get(lo..hi)
        .is_some_and(|toks| toks.iter().all(|t| in_quote(t.span, q)))
}

/// Parse sentence `sent` of `doc` (its tokens must be there).
pub(crate) fn parse(m: &Model, doc: &Doc, sent: usize) -> Option<Parsed> {
    let lo = doc.tokens.partition_point(|t| t.sentence < sent);
    let hi = doc.tokens.partition_point(|t| t.sentence <= sent);
    let toks = doc.tokens.get(lo..hi)?;
    if toks.is_empty() || toks.len() > MAX_TOKENS {
        return None;
    }
    let forms: Vec<&str> = toks.iter().map(|t| doc.slice(t.span)).collect();
    let a = m.analyse_words(&forms);
    if a.len() != toks.len() {
        return None;
    }
    let n = a.len();
    Some(Parsed {
        spans: toks.iter().map(|t| t.span).collect(),
        head: a
            .iter()
            .map(|x| (x.head > 0 && x.head <= n).then(|| x.head - 1))
            .collect(),
        lemma: a.iter().map(|x| x.lemma.to_lowercase()).collect(),
        upos: a.iter().map(|x| x.upos.clone()).collect(),
        rel: a.into_iter().map(|x| x.deprel).collect(),
    })
}

impl Parsed {
    fn children(&self, k: usize) -> impl Iterator<Item = usize> + '_ {
        (0..self.head.len()).filter(move |&c| self.head[c] == Some(k))
    }

    fn depth(&self, mut k: usize) -> usize {
        let mut d = 0;
        while let Some(h) = self.head[k] {
            d += 1;
            k = h;
            if d > self.head.len() {
                break;
            }
        }
        d
    }

    fn is_speech_verb(&self, k: usize) -> bool {
        SPEECH_VERBS.binary_search(&self.lemma[k].as_str()).is_ok()
    }

    /// The speaker of clause `v`: its active subject, or the `by` agent of a passive.
    fn subject(&self, v: usize) -> Option<usize> {
        let mut passive = false;
        for c in self.children(v) {
            match self.rel[c].as_str() {
                "nsubj" => return Some(c),
                "nsubj:pass" => passive = true,
                _ => {}
            }
        }
        if passive {
            return self.children(v).find(|&c| {
                self.rel[c].starts_with("obl")
                    && self
                        .children(c)
                        .any(|g| self.rel[g] == "case" && self.lemma[g] == "by")
            });
        }
        None
    }

    /// The name around token `k`: `k` with the words of its own phrase next to it (compounds,
    /// flat names, determiners and modifiers on the left), no punctuation.
    fn phrase(&self, k: usize) -> Span {
        let under = |j: usize| {
            let mut x = j;
            for _ in 0..=self.head.len() {
                if x == k {
                    return true;
                }
                match self.head[x] {
                    Some(h) => x = h,
                    None => return false,
                }
            }
            false
        };
        let ok = |j: usize| under(j) && self.upos[j] != "PUNCT";
        let mut a = k;
        while a > 0 && ok(a - 1) && !self.rel[a - 1].starts_with("acl") {
            a -= 1;
        }
        let mut b = k;
        while b + 1 < self.spans.len()
            && ok(b + 1)
            && matches!(
                self.rel[b + 1].as_str(),
                "flat" | "flat:name" | "compound" | "appos" | "nmod:poss"
            )
            || (b + 1 < self.spans.len()
                && self.upos[b + 1] == "PROPN"
                && self.head[b + 1] == Some(k))
        {
            b += 1;
        }
        // A title noun the parser split from the name after it (`leader Kim Jong Un`).
        while b + 1 < self.spans.len() && self.upos[b + 1] == "PROPN" {
            b += 1;
        }
        Span::new(self.spans[a].start, self.spans[b].end)
    }

    /// The speaker of the quote `q` (its words, marks excluded), as a byte span, with how it was
    /// found (`speech`: a speech verb's subject; `clause`: the clause's).
    pub(crate) fn speaker(&self, q: Span) -> Option<(Span, &'static str)> {
        let n = self.spans.len();
        let inq = |k: usize| in_quote(self.spans[k], q);
        let top = (0..n)
            .filter(|&k| inq(k) && self.head[k].is_none_or(|h| !inq(h)))
            .min_by_key(|&k| self.depth(k))?;
        // A quote that is its sentence's main clause names no speaker through the parse (the
        // cue patterns read `“…,” she said`; the parse's attachment there is unreliable).
        let h = self.head[top]?;
        // Walk up from the word that governs the quote to the root.
        let mut chain = Vec::new();
        let mut v = h;
        for _ in 0..n {
            chain.push(v);
            if self.rel[v] == "acl:relcl" {
                break;
            }
            match self.head[v] {
                Some(x) => v = x,
                None => break,
            }
        }
        let speech = chain
            .iter()
            .rev()
            .filter(|&&v| self.upos[v] == "VERB" && self.is_speech_verb(v))
            .find_map(|&v| self.subject(v))
            .map(|s| (s, "speech"));
        // Without a speech verb, the subject of the highest verb that has one: `X called for
        // “…”`, `X is promising “jobs, jobs, jobs”`. Not a copula's (`the goal is “…”`), nor a
        // relative or dummy pronoun's.
        let any = || {
            chain
                .iter()
                .rev()
                .find_map(|&v| self.subject(v).map(|s| (v, s)))
                .filter(|&(v, s)| {
                    self.upos[v] == "VERB"
                        && !matches!(self.lemma[v].as_str(), "be" | "have" | "seem" | "appear")
                        && !matches!(
                            self.lemma[s].as_str(),
                            "that" | "which" | "it" | "this" | "there" | "what"
                        )
                })
                // Only a name or a pronoun is a likely speaker there (not `The timing`).
                .filter(|&(_, s)| matches!(self.upos[s].as_str(), "PROPN" | "PRON"))
                .map(|(_, s)| (s, "clause"))
        };
        let (s, via) = speech.or_else(any)?;
        // A subject inside the quote is the quote's own ("“We” …").
        (!inq(s)).then(|| (self.phrase(s), via))
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn lexicon_is_sorted() {
        let mut v = super::SPEECH_VERBS.to_vec();
        v.sort_unstable();
        assert_eq!(v, super::SPEECH_VERBS);
    }
}
