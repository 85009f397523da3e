//! The contract's JSON shapes.

use crate::{ActorRef, Doc, Event, OffsetMap, Place, Span, Tone};
use serde_json::{json, Value};

fn span_json(m: &OffsetMap, s: Span) -> (usize, usize) {
    (m.chars(s.start), m.chars(s.end))
}

fn place_json(p: &Option<Place>) -> Value {
    match p {
        None => Value::Null,
        Some(p) => json!({"name": p.name, "country": p.country, "geonames_id": p.geonames_id,
                          "lat": p.lat, "lon": p.lon}),
    }
}

fn actor_json(a: &ActorRef) -> Value {
    json!({"text": a.text, "actor": a.actor})
}

/// One event in the contract's shape.
pub fn event_json(m: &OffsetMap, e: &Event) -> Value {
    let (s, t) = span_json(m, e.evidence);
    json!({
        "source": actor_json(&e.source),
        "target": e.target.as_ref().map(actor_json),
        "cameo": e.cameo, "goldstein": e.goldstein, "quad_class": e.quad_class,
        "plover": e.plover, "mode": e.mode, "modality": e.modality.as_str(),
        "date": e.date, "place": place_json(&e.place),
        "killed": e.killed, "injured": e.injured, "weapon": e.weapon,
        "sentence": e.sentence, "evidence": {"start": s, "end": t},
    })
}

fn tone_json(t: &Tone) -> Value {
    json!({"tone": t.tone, "positive": t.positive, "negative": t.negative,
           "polarity": t.polarity, "activity": t.activity, "self_group": t.self_group,
           "words": t.words})
}

pub(crate) fn doc_json(d: &Doc) -> Value {
    let m = OffsetMap::new(&d.text);
    let se = |s: Span| {
        let (a, b) = span_json(&m, s);
        json!({"start": a, "end": b})
    };
    let mut v = json!({
        "id": d.meta.id, "url": d.meta.url, "path": d.meta.path, "title": d.meta.title,
        "author": d.meta.author, "site": d.meta.site,
        "published": d.meta.published, "published_inferred": d.meta.published_inferred,
        "language": d.meta.language, "text": d.text,
        "stories": d.stories.iter().map(|s| {
            let (a, b) = span_json(&m, s.span);
            json!({"start": a, "end": b, "title": s.title})
        }).collect::<Vec<_>>(),
        "headings": d.headings.iter().map(|&s| se(s)).collect::<Vec<_>>(),
        "sentences": d.sentences.iter().map(|&s| se(s)).collect::<Vec<_>>(),
        "entities": d.entities.iter().map(|e| {
            let (a, b) = span_json(&m, e.span);
            json!({"start": a, "end": b, "text": d.slice(e.span), "type": e.kind.as_str(),
                   "actor": e.actor, "place": place_json(&e.place)})
        }).collect::<Vec<_>>(),
        "dates": d.dates.iter().map(|x| {
            let (a, b) = span_json(&m, x.span);
            json!({"start": a, "end": b, "text": d.slice(x.span), "value": x.value})
        }).collect::<Vec<_>>(),
        "quotes": d.quotes.iter().map(|q| {
            let (a, b) = span_json(&m, q.span);
            json!({"start": a, "end": b, "text": d.slice(q.span),
                   "speaker": q.speaker.as_ref().map(actor_json)})
        }).collect::<Vec<_>>(),
        "events": d.events.iter().map(|e| {
            let mut ev = event_json(&m, e);
            // Optional: an event's tone is its sentence's, when tone was measured.
            if let (Some(t), Some(o)) = (d.sentence_tones.get(e.sentence), ev.as_object_mut()) {
                o.insert("tone".into(), tone_json(t));
            }
            ev
        }).collect::<Vec<_>>(),
    });
    if let (Some(t), Some(o)) = (&d.tone, v.as_object_mut()) {
        o.insert("tone".into(), tone_json(t));
    }
    v
}
