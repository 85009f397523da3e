//! Direct quotations and who said them.
//!
//! A quote is text between paired quotation marks (curly or straight) inside one paragraph; a
//! paragraph that opens a quote and never closes it quotes to its end (multi-paragraph quotes
//! reopen the mark on the next paragraph). The speaker is found by the cue patterns of news
//! prose, in order:
//!
//! 1. a transcript turn: `PENCE: …` opens the line;
//! 2. after the quote: `“…,” said NP` / `“…,” NP said` (NP any short phrase, with a parenthesis
//!    `(D-Md.)` or appositives) / `“…,” according to NP` / a dash byline `“…” ― NP`; not after a
//!    quote that closes its sentence with a period (the next sentence has its own subject);
//! 3. before the quote: `NP said: “…”`, `NP told reporters “…”`;
//! 4. `according to NP` or `as NP put it` elsewhere in the sentence;
//! 5. the dependency parse: the subject of the highest speech verb governing the quote, else a
//!    name or pronoun subject of its clause (see `attribution`);
//! 6. the subject of a speech verb earlier in the sentence, or in the previous sentence when
//!    the quote opens its own;
//! 7. a quote over paragraphs (the mark left open at a paragraph's end and reopened) keeps one
//!    speaker across them, whichever paragraph names it.
//!
//! NP is a name (capitalised words), a pronoun, or a short noun phrase ("a campaign
//! spokesman"). Its actor comes from the entity it overlaps; a pronoun takes the most recent
//! person (or actor) named before the quote.

use std::collections::HashMap;

use once_cell::sync::Lazy;
use regex::Regex;
use wirecoder_doc::{ActorRef, Doc, EntityType, Quote, Span};

use crate::attribution::{self, Parsed};

/// Sentences parsed on demand, each once per document.
struct Parses<'a> {
    model: Option<&'a wirecoder_syntax::Model>,
    done: HashMap<usize, Option<Parsed>>,
}

impl Parses<'_> {
    /// The speaker the parse of sentence `sent` gives quote `q`.
    fn speaker(&mut self, doc: &Doc, sent: usize, q: Span) -> Option<(Span, &'static str)> {
        let m = self.model?;
        // A quote that is its whole sentence has no governing word outside it: no parse
        // could name a speaker (a third of the quoted sentences of news, each a parse saved).
        if attribution::quote_fills_sentence(doc, sent, q) {
            return None;
        }
        self.done
            .entry(sent)
            .or_insert_with(|| attribution::parse(m, doc, sent))
            .as_ref()?
            .speaker(q)
    }
}

const CUES: &str = r"said|says|say|told|tells|added|adds|stated|states|wrote|writes|asked|asks|explained|explains|noted|notes|argued|argues|insisted|insists|warned|warns|declared|declares|responded|responds|replied|replies|continued|continues|concluded|claimed|claims|recalled|recalls|acknowledged|admitted|remarked|tweeted|posted|announced|announces|stressed|emphasized|added|joked|quipped|predicted|promised|vowed|urged|cautioned|countered|conceded|observed|suggested|shouted|yelled|wondered|complained|boasted|called|calls|call|described|describes|labeled|labelled|dubbed|termed|branded|contends|contended|thinks|believes|maintained|maintains|alleged|alleges|accused|accuses|charged|blasted|slammed|praised|criticized|criticised|mocked|sang|sings|chanted|tweets|reported|reports|testified|pledged|demanded|proclaimed|described";
const NP: &str = r"(?:(?:he|she|they|we|I|it|He|She|They|We|It)|(?:(?:the|a|an|his|her|its|their|one|another|[A-Z][\w’'.-]*)\s+){0,5}(?:[A-Z][\w’'.-]+|spokesman|spokeswoman|spokesperson|official|officials|source|sources|statement|aide|aides|adviser|advisers|advisor|minister|president|campaign|ministry|agency|report|analyst|analysts|expert|experts|lawyer|leader|leaders|senator|governor|candidate|nominee|director|chief|commander|officer|residents?|witness(?:es)?))";

/// A parenthesis after a name (`(D-Md.)`) and up to two appositives (`, the party's chair,`).
const NP_TAIL: &str = r"(?:\s*\([^()\n]{1,30}\))?(?:(?:\s*,[^,“”\x22\n]{1,120}){1,2},)?";

/// After a quote the cue's subject may be any short phrase (`“…,” Obama's former campaign
/// strategist said`): the words up to the cue verb, not starting with a clause word.
const NP_AFTER: &str = r"(?:(?:[\p{L}\d’'&-]+|\p{Lu}\p{L}{0,3}\.|(?:\p{Lu}\.)+)\s+){0,7}?(?:[\p{L}\d’'&-]+|\p{Lu}\p{L}{0,3}\.|(?:\p{Lu}\.)+)";

/// Words that open a clause, not a speaker (`“…” that he said was false`).
const CLAUSE_WORDS: &[&str] = &[
    "that", "which", "who", "and", "but", "as", "because", "when", "while", "if", "so", "or", "in",
    "on", "at", "to", "for", "from", "with", "is", "was", "are", "were", "has", "had",
];

/// A static pattern with a 16 MB lazy-DFA cache: with the default 2 MB these patterns (long
/// name alternations) cleared and rebuilt their cache over and over on news text.
fn quote_regex(p: &str) -> Regex {
    regex::RegexBuilder::new(p)
        .dfa_size_limit(16 << 20)
        .build()
        .unwrap_or_else(|e| panic!("static quote pattern {p}: {e}"))
}

static AFTER: Lazy<Regex> = Lazy::new(|| {
    quote_regex(&format!(
        r"^\s*[,.!?—–-]?\s*(?:(?P<v1>{CUES})\s+(?P<np1>{NP})|(?P<np2>{NP_AFTER}){NP_TAIL}\s+(?:(?:also|then|later|previously|once)\s+)?(?P<v2>{CUES})|according\s+to\s+(?P<np3>{SOURCE})|[―—–-]+\s*(?P<np4>[A-Z][\p{{L}}.’'-]*(?:\s+[A-Z][\p{{L}}.’'-]*){{0,4}})\s*(?:[.,]|$))\b"
    ))
});

/// What `according to` names: the words up to the next punctuation (`the election board`).
const SOURCE: &str = r"[^\s,.;:“”\x22()][^,.;:“”\x22()\n]{0,80}[^\s,.;:“”\x22()]|[^\s,.;:“”\x22()]";

/// `according to NP` or `as NP put it` anywhere in the sentence names the source of its quotes.
static ACCORDING: Lazy<Regex> = Lazy::new(|| {
    quote_regex(&format!(
        r"\b(?:[Aa]ccording\s+to\s+(?P<np>{SOURCE})|\b[Aa]s\s+(?P<np2>{NP_AFTER})\s+(?:put|puts|has put|had put)\s+it)\b"
    ))
});

static BEFORE: Lazy<Regex> = Lazy::new(|| {
    quote_regex(&format!(
        r"(?P<np>{NP}){NP_TAIL}\s+(?:(?:also|then|later|previously|once|has|had|have)\s+)?(?:{CUES})(?:\s+(?:\w+\s+){{0,3}}?(?:that|reporters|journalists|CNN|him|her|them|us|me))?\s*[:,]?\s*(?:that\s+)?(?:“|\x22)?$"
    ))
});

static CUE_IN_SENTENCE: Lazy<Regex> = Lazy::new(|| {
    quote_regex(&format!(
        r"(?P<np>{NP}){NP_TAIL}\s+(?:(?:also|then|later|previously|once|has|had|have|would|will)\s+)?(?:{CUES})\b|[Aa]ccording\s+to\s+(?P<np2>{NP})"
    ))
});

static TRANSCRIPT: Lazy<Regex> =
    Lazy::new(|| quote_regex(r"^\s*[\x22“]?\s*(?P<who>[A-Z][A-Z.’' -]{2,30}):"));

/// Find quotes in `doc` (sentences, tokens and entities must be there); `parser` reads the
/// speaker off the parse where the cue patterns find none.
pub(crate) fn find_quotes(doc: &Doc, parser: Option<&wirecoder_syntax::Model>) -> Vec<Quote> {
    let mut parses = Parses {
        model: parser,
        done: HashMap::new(),
    };
    let text = &doc.text;
    // Each quote with whether its paragraph ended before a closing mark.
    let mut spans: Vec<(Span, bool)> = Vec::new();
    let mut open: Option<(usize, char)> = None;
    for (i, c) in text.char_indices() {
        match (open, c) {
            (None, '“') => open = Some((i + c.len_utf8(), '”')),
            (None, '"') => open = Some((i + 1, '"')),
            (Some((s, close)), ch) if ch == close || (close == '"' && ch == '”') => {
                spans.push((Span::new(s, i), false));
                open = None;
            }
            // An unclosed quote runs to the end of its paragraph.
            (Some((s, _)), '\n')
                if text[i..].starts_with("\n\n") || text[i..].starts_with("\n \n") =>
            {
                spans.push((Span::new(s, i), true));
                open = None;
            }
            _ => {}
        }
    }
    let mut out: Vec<Quote> = Vec::new();
    let mut unclosed: Vec<bool> = Vec::new();
    for (span, open_end) in spans {
        let body = doc.slice(span).trim();
        if body.is_empty() || body.len() > 5000 {
            continue;
        }
        let mut speaker = speaker_of(doc, span, &mut parses);
        if speaker.is_none() && paragraph_is_quote(doc, span) && unclosed.last() == Some(&true) {
            // A quote over paragraphs reopens the mark on each: it continues the previous
            // paragraph's speaker.
            speaker = out.last().and_then(|q| q.speaker.clone());
        }
        out.push(Quote { span, speaker });
        unclosed.push(open_end);
    }
    // The attribution may come in a later paragraph of the same quote (`“A.¶“B,” she said.`).
    for i in (0..out.len().saturating_sub(1)).rev() {
        if out[i].speaker.is_none() && unclosed[i] && paragraph_is_quote(doc, out[i + 1].span) {
            out[i].speaker = out[i + 1].speaker.clone();
        }
    }
    out
}

fn paragraph_is_quote(doc: &Doc, q: Span) -> bool {
    let before = &doc.text[..q.start];
    let para_start = before.rfind("\n\n").map_or(0, |i| i + 2);
    // Only the opening mark (and spaces) before the quote in its paragraph.
    doc.text[para_start..q.start].trim().chars().count() <= 1
}

fn line_bounds(doc: &Doc, q: Span) -> (usize, usize) {
    let t = &doc.text;
    let lo = t[..q.start].rfind("\n\n").map_or(0, |i| i + 2);
    let hi = t[q.end..].find("\n\n").map_or(t.len(), |i| q.end + i);
    (lo, hi)
}

fn aref(doc: &Doc, np: Span) -> ActorRef {
    let text = doc.slice(np).to_string();
    let lower = text.to_lowercase();
    let actor = if matches!(lower.as_str(), "he" | "she" | "they" | "we" | "i" | "it") {
        // A pronoun: the most recent person (else actor) named before it.
        doc.entities
            .iter()
            .filter(|e| e.span.end <= np.start && e.actor.is_some() && e.kind != EntityType::Media)
            .filter(|e| np.start - e.span.end < 1500)
            .rev()
            .find(|e| {
                e.kind == EntityType::Person || lower == "they" || lower == "it" || lower == "we"
            })
            .and_then(|e| e.actor.clone())
    } else {
        // A person named in the phrase before any group (`North Korean leader Kim Jong Un`).
        let overlapping = || {
            doc.entities.iter().filter(|e| {
                e.span.start < np.end && np.start < e.span.end && e.kind != EntityType::Media
            })
        };
        overlapping()
            .filter(|e| e.kind == EntityType::Person)
            .find_map(|e| e.actor.clone())
            .or_else(|| overlapping().find_map(|e| e.actor.clone()))
    };
    ActorRef {
        text,
        actor,
        span: Some(np),
    }
}

fn speaker_of(doc: &Doc, q: Span, parses: &mut Parses) -> Option<ActorRef> {
    let (lo, hi) = line_bounds(doc, q);
    // A transcript: "PENCE: …" opens the line, and the whole turn is the speaker's.
    let line_lo = doc.text[lo..q.start].rfind('\n').map_or(lo, |i| lo + i + 1);
    if let Some(c) = TRANSCRIPT.captures(&doc.text[line_lo..q.start]) {
        if let Some(m) = c.name("who") {
            let np = Span::new(line_lo + m.start(), line_lo + m.end());
            return Some(aref(doc, trim_span(doc, np)));
        }
    }
    // The closing mark itself.
    let after_start = doc.text[q.end..]
        .chars()
        .next()
        .map_or(q.end, |c| q.end + c.len_utf8());
    let after = &doc.text[after_start.min(hi)..hi];
    // A quote that closes its sentence (`“… way.” Russia insisted …`) leaves the next sentence
    // to its own subject; news attributes after a quote behind a comma, `?` or `!`.
    let closes_sentence = doc.slice(q).trim_end().ends_with('.');
    if let Some(c) = AFTER.captures(after) {
        // A dash byline (`“…” ― Ana Ruiz`) follows any quote.
        // `“…,” X said`: the quote ends in a comma, `?` or `!`, or a comma or dash follows it;
        // else the words after a quoted phrase go on with its sentence (`the “most hostile”
        // state`).
        let attributive = doc.slice(q).trim_end().ends_with([',', '?', '!', '—', '-'])
            || after.trim_start().starts_with([',', '—', '–', '-', '―']);
        let np = if closes_sentence || !attributive {
            c.name("np4")
        } else {
            c.name("np1")
                .or(c.name("np2"))
                .or(c.name("np3"))
                .or(c.name("np4"))
        };
        if let Some(m) = np.filter(|m| {
            let first = m.as_str().split_whitespace().next().unwrap_or("");
            !CLAUSE_WORDS.contains(&first.to_lowercase().as_str())
        }) {
            let np = trim_np(
                doc,
                Span::new(after_start + m.start(), after_start + m.end()),
            );
            return Some(aref(doc, np));
        }
    }
    // Before the quote, in the same sentence (or paragraph when sentences split the quote).
    let sent_lo = doc
        .sentence_at(q.start)
        .map_or(lo, |i| doc.sentences[i].start)
        .max(lo);
    let open_mark = doc.text[..q.start]
        .chars()
        .next_back()
        .map_or(0, char::len_utf8);
    let before = &doc.text[sent_lo..q.start.saturating_sub(open_mark).max(sent_lo)];
    if let Some(c) = BEFORE.captures(before) {
        if let Some(m) = c.name("np") {
            let np = trim_np(doc, Span::new(sent_lo + m.start(), sent_lo + m.end()));
            return Some(aref(doc, np));
        }
    }
    // `according to NP`, `as NP put it` in the quote's sentence, outside the quote.
    // Both of the pattern's branches need one of these words; most sentences have neither.
    let may_cite = |s: &str| s.contains("ccording") || s.contains("put");
    if let Some(ss) = doc
        .sentence_at(q.start)
        .map(|si| doc.sentences[si])
        .filter(|&ss| may_cite(doc.slice(ss)))
    {
        let sent = doc.slice(ss);
        for c in ACCORDING.captures_iter(sent) {
            if let Some(m) = c.name("np").or(c.name("np2")) {
                let np = Span::new(ss.start + m.start(), ss.start + m.end());
                if np.end <= q.start || np.start >= q.end {
                    return Some(aref(doc, trim_np(doc, np)));
                }
            }
        }
    }
    // The clause that holds the quote, through the parse: the sentence of its start, else of
    // its end (`“…. …,” X said`).
    let first = doc.sentence_at(q.start);
    let last = doc.sentence_at(q.end.saturating_sub(1));
    for s in [first, last.filter(|&l| Some(l) != first)]
        .into_iter()
        .flatten()
    {
        if let Some((np, _how)) = parses.speaker(doc, s, q) {
            return Some(aref(doc, np));
        }
    }
    // The subject of a speech verb earlier in the sentence ("X said the plan was “a disaster”").
    if let Some(c) = last_captures(&CUE_IN_SENTENCE, before) {
        if let Some(m) = c.name("np").or(c.name("np2")) {
            let np = trim_np(doc, Span::new(sent_lo + m.start(), sent_lo + m.end()));
            return Some(aref(doc, np));
        }
    }
    // The previous sentence names the speaker when this one opens with the quote.
    if before.trim().chars().count() <= 1 {
        if let Some(pi) = doc.sentence_at(q.start).and_then(|i| i.checked_sub(1)) {
            let ps = doc.sentences[pi];
            if ps.start >= lo.saturating_sub(2000) {
                let prev = &doc.text[ps.start..ps.end];
                if let Some(c) = last_captures(&CUE_IN_SENTENCE, prev) {
                    if let Some(m) = c.name("np").or(c.name("np2")) {
                        return Some(aref(
                            doc,
                            trim_np(doc, Span::new(ps.start + m.start(), ps.start + m.end())),
                        ));
                    }
                }
            }
        }
    }
    None
}

/// Without the spaces at its ends.
/// The captures of `re`'s last match in `hay`: the matches found by the DFA alone, the
/// capture groups only for the last (the one a `captures_iter(..).last()` would give: the
/// leftmost-first match starting where it starts).
fn last_captures<'h>(re: &Regex, hay: &'h str) -> Option<regex::Captures<'h>> {
    let m = re.find_iter(hay).last()?;
    re.captures_at(hay, m.start())
}

fn trim_span(doc: &Doc, sp: Span) -> Span {
    let t = doc.slice(sp);
    let start = sp.start + (t.len() - t.trim_start().len());
    let end = sp.end - (t.len() - t.trim_end().len());
    Span::new(start, end.max(start))
}

/// Drop a leading sentence-initial word that the name pattern swallowed ("But Trump").
fn trim_np(doc: &Doc, np: Span) -> Span {
    let t = doc.slice(np);
    for lead in [
        "But ", "And ", "So ", "Then ", "Yet ", "Still ", "Now ", "Later ", "The ", "A ",
    ] {
        if t.starts_with(lead)
            && t.len() > lead.len()
            && t[lead.len()..].starts_with(|c: char| c.is_uppercase())
            && !lead.starts_with("The")
            && !lead.starts_with("A ")
        {
            return Span::new(np.start + lead.len(), np.end);
        }
    }
    np
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(text: &str, names: &[(&str, &str)]) -> Vec<(String, Option<String>)> {
        let mut doc = Doc::new(text);
        doc.sentences = wirecoder_syntax::sentences(text, &[]);
        for (n, code) in names {
            if let Some(i) = text.find(n) {
                doc.entities.push(wirecoder_doc::Entity {
                    span: Span::new(i, i + n.len()),
                    kind: EntityType::Person,
                    actor: Some(code.to_string()),
                    place: None,
                });
            }
        }
        find_quotes(&doc, None)
            .into_iter()
            .map(|q| (doc.slice(q.span).to_string(), q.speaker.map(|s| s.text)))
            .collect()
    }

    /// Speakers of the quotes of `text`, with the parser.
    fn parsed(text: &str) -> Vec<Option<String>> {
        let mut doc = Doc::new(text);
        doc.sentences = wirecoder_syntax::sentences(text, &[]);
        for (i, s) in doc.sentences.iter().enumerate() {
            let toks = wirecoder_syntax::tokenize(text, s.start, s.end, i);
            doc.tokens.extend(toks);
        }
        find_quotes(&doc, wirecoder_syntax::Model::shared().ok())
            .into_iter()
            .map(|q| q.speaker.map(|s| s.text))
            .collect()
    }

    fn speaker(text: &str) -> Option<String> {
        q(text, &[]).into_iter().next().and_then(|x| x.1)
    }

    #[test]
    fn names_with_titles_parentheses_and_appositives() {
        assert_eq!(
            speaker("“The bill is dead,” Sen. Tom Harlan (R-Ohio) said on Friday.").as_deref(),
            Some("Sen. Tom Harlan")
        );
        assert_eq!(
            speaker("“We will not back down,” Maria Lopez, the union’s regional director, said.")
                .as_deref(),
            Some("Maria Lopez")
        );
        assert_eq!(
            speaker("“Nobody expected this,” the city’s longtime transit chief said.").as_deref(),
            Some("the city’s longtime transit chief")
        );
    }

    #[test]
    fn a_quote_that_ends_its_sentence_is_not_the_next_ones() {
        let r = q(
            "Mayor Dana Cole called the detour “a mistake.” Police said the road would stay shut.",
            &[],
        );
        assert_eq!(r[0].1.as_deref(), Some("Mayor Dana Cole"));
    }

    #[test]
    fn dash_bylines_according_to_and_put_it() {
        assert_eq!(
            speaker("“We just want clean water.” ― Ana Ruiz").as_deref(),
            Some("Ana Ruiz")
        );
        assert_eq!(
            speaker("Turnout was “the highest in decades,” according to the election board.")
                .as_deref(),
            Some("the election board")
        );
        assert_eq!(
            speaker("The ceasefire was, as one diplomat put it, “a truce on paper.”").as_deref(),
            Some("one diplomat")
        );
    }

    #[test]
    fn a_quoted_phrase_mid_sentence_is_not_attributed_after() {
        let r = q(
            "Kim Jong Un called the South the “most hostile” state. This statement was reported \
             by state media.",
            &[],
        );
        assert_eq!(r[0].1.as_deref(), Some("Kim Jong Un"));
    }

    #[test]
    fn transcript_turns() {
        assert_eq!(
            speaker("MORALES: Look, this is “not a crisis” yet, and we know it.").as_deref(),
            Some("MORALES")
        );
    }

    #[test]
    fn quotes_over_paragraphs() {
        // Attributed in the first paragraph, continued in the next.
        let r = q(
            "Governor Ellen Park said: “The roads will reopen by Friday.\n\n“Crews are working through the night.”",
            &[],
        );
        assert_eq!(r.len(), 2);
        assert_eq!(r[1].1.as_deref(), Some("Governor Ellen Park"));
        // Attributed in the last paragraph.
        let r = q(
            "“The roads will reopen by Friday.\n\n“Crews are working through the night,” the governor said.",
            &[],
        );
        assert_eq!(r[0].1.as_deref(), Some("the governor"));
    }

    #[test]
    fn speaker_from_the_parse() {
        // The subject of a speech verb that governs the quote from higher up.
        assert_eq!(
            parsed("Okafor attacked the budget on Monday, saying, “It will hurt families.”"),
            vec![Some("Okafor".to_string())]
        );
        // The outer speaker of nested reported speech.
        assert_eq!(
            parsed("Hernandez said she remains “cautiously hopeful” about the talks."),
            vec![Some("Hernandez".to_string())]
        );
    }

    #[test]
    fn speaker_after_and_before() {
        assert_eq!(
            q(
                "“We will respond,” said Defence Minister Rustem Umerov.",
                &[]
            ),
            vec![(
                "We will respond,".into(),
                Some("Defence Minister Rustem Umerov".into())
            )]
        );
        assert_eq!(
            q("“We will respond,” the minister told reporters.", &[]),
            vec![("We will respond,".into(), Some("the minister".into()))]
        );
        assert_eq!(
            q("Zelensky said: “We will respond.”", &[]),
            vec![("We will respond.".into(), Some("Zelensky".into()))]
        );
    }

    #[test]
    fn pronoun_takes_the_last_person() {
        let r = q(
            "Dmitry Peskov spoke on Monday. “No comment,” he said.",
            &[("Dmitry Peskov", "RUSGOV")],
        );
        assert_eq!(r[0].1.as_deref(), Some("he"));
    }
}
