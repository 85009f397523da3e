//! Direct quotations and who said them.
//!
//! A quote is text between paired quotation marks (curly or straight) inside one paragraph.
//! Its speaker is, in order: the actor that is the subject of a speech verb before the quote in
//! the same sentence ("Peskov responded … with “No comment.”"), the actor after a speech verb
//! that follows the quote ("“…,” said Peskov"), or the first person/actor of the sentence.

use wirecoder_doc::{ActorRef, Doc, EntityType, Quote, Span};

const SPEECH: &[&str] = &[
    "said",
    "says",
    "say",
    "told",
    "tells",
    "declared",
    "declares",
    "added",
    "adds",
    "stated",
    "states",
    "responded",
    "responds",
    "replied",
    "replies",
    "answered",
    "wrote",
    "writes",
    "insisted",
    "warned",
    "stressed",
    "noted",
    "announced",
    "asserted",
    "claimed",
    "remarked",
    "explained",
    "argued",
    "characterized",
    "called",
    "described",
    "according",
];

/// Find quotes in `doc` (sentences and entities must be there).
pub(crate) fn find_quotes(doc: &Doc) -> Vec<Quote> {
    let text = &doc.text;
    let mut out = Vec::new();
    let mut open: Option<(usize, char)> = None;
    for (i, c) in text.char_indices() {
        match (open, c) {
            (None, '“') => open = Some((i + c.len_utf8(), '”')),
            (None, '"') => open = Some((i + 1, '"')),
            (Some((s, close)), ch) if ch == close => {
                let span = Span::new(s, i);
                if !doc.slice(span).trim().is_empty() {
                    out.push(span);
                }
                open = None;
            }
            (Some(_), '\n') => open = None, // quotes do not cross paragraphs here
            _ => {}
        }
    }
    out.into_iter()
        .map(|span| {
            let speaker = speaker_of(doc, span);
            // Keep the closing punctuation inside the quote out of the span's text trim.
            Quote { span, speaker }
        })
        .collect()
}

fn speaker_of(doc: &Doc, q: Span) -> Option<ActorRef> {
    let si = doc.sentence_at(q.start)?;
    let sent = doc.sentences[si];
    let actors: Vec<_> = doc
        .entities
        .iter()
        .filter(|e| {
            sent.contains(e.span)
                && e.actor.is_some()
                && e.kind != EntityType::Media
                && !q.contains(e.span)
        })
        .collect();
    let before = doc
        .text
        .get(sent.start..q.start.max(sent.start))
        .unwrap_or("")
        .to_lowercase();
    let has_speech = |s: &str| {
        s.split(|c: char| !c.is_alphanumeric())
            .any(|w| SPEECH.contains(&w))
    };
    let aref = |e: &wirecoder_doc::Entity| ActorRef {
        text: doc.slice(e.span).to_string(),
        actor: e.actor.clone(),
        span: Some(e.span),
    };
    // Subject of a speech verb before the quote: the first actor, preferring persons.
    if has_speech(&before) {
        let cands: Vec<_> = actors.iter().filter(|e| e.span.end <= q.start).collect();
        if let Some(e) = cands
            .iter()
            .find(|e| e.kind == EntityType::Person)
            .or(cands.first())
        {
            return Some(aref(e));
        }
    }
    // "…,” said X" / "…,” X said"
    // A quote may run past the sentence end ("…,” he said. “…”): then nothing follows it here.
    let after = doc
        .text
        .get(q.end..sent.end.max(q.end))
        .unwrap_or("")
        .to_lowercase();
    if has_speech(&after.chars().take(60).collect::<String>()) {
        if let Some(e) = actors.iter().find(|e| e.span.start >= q.end) {
            return Some(aref(e));
        }
    }
    None
}
