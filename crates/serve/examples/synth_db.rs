//! Writes a SQLite database of synthetic coded articles for load measurements of
//! `wirecoder serve` (see docs/BENCHMARKS.md):
//!
//!     cargo run -p wirecoder-serve --example synth_db -- /tmp/synth.db 100000
//!
//! Each article holds ten sentences and ten events between a rotating set of actors, with
//! dates spread over two years and every third event placed in a city.
use wirecoder_doc::{ActorRef, Doc, Event, Modality, Place, Span};
use wirecoder_store::Store;

const ACTORS: [(&str, &str); 8] = [
    ("Russia", "RUS"),
    ("Ukraine", "UKR"),
    ("the United States", "USA"),
    ("China", "CHN"),
    ("France", "FRA"),
    ("Germany", "DEU"),
    ("Iran", "IRN"),
    ("Israel", "ISR"),
];
const VERBS: [(&str, &str, u8, f64, &str); 5] = [
    ("accused", "112", 3, -2.0, "ACCUSE"),
    ("met", "040", 1, 1.0, "CONSULT"),
    ("attacked", "190", 4, -10.0, "ASSAULT"),
    ("praised", "051", 1, 3.4, "COOPERATE"),
    ("sanctioned", "163", 4, -8.0, "SANCTION"),
];
const CITIES: [(&str, &str, f64, f64); 4] = [
    ("Kharkiv", "UKR", 49.98, 36.25),
    ("Paris", "FRA", 48.85, 2.35),
    ("Beijing", "CHN", 39.9, 116.4),
    ("Tehran", "IRN", 35.7, 51.4),
];

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let path = args.get(1).map(String::as_str).unwrap_or("synth.db");
    let events: usize = args.get(2).and_then(|n| n.parse().ok()).unwrap_or(100_000);
    let _ = std::fs::remove_file(path);
    let mut store = Store::open(path)?;
    let t = std::time::Instant::now();
    let mut batch = Vec::new();
    let mut made = 0;
    let mut art = 0usize;
    while made < events {
        art += 1;
        let day = 1 + art % 700;
        let date = format!(
            "{}-{:02}-{:02}",
            2023 + day / 365,
            1 + (day % 365) / 31 % 12,
            1 + day % 28
        );
        let mut text = String::new();
        let mut doc = Doc::default();
        for k in 0..10 {
            let (sn, sc) = ACTORS[(art + k) % 8];
            let (tn, tc) = ACTORS[(art * 3 + k + 1) % 8];
            let (verb, cameo, quad, gold, plover) = VERBS[(art + k * 7) % 5];
            let start = text.len();
            let sentence = format!("{sn} {verb} {tn} on day {k} of article {art}. ");
            text.push_str(&sentence);
            let s_end = start + sentence.len() - 1;
            doc.sentences.push(Span::new(start, s_end));
            let v0 = start + sn.len() + 1;
            let t0 = v0 + verb.len() + 1;
            let place = (k % 3 == 0).then(|| {
                let (name, country, lat, lon) = CITIES[(art + k) % 4];
                Place {
                    name: name.into(),
                    country: Some(country.into()),
                    geonames_id: None,
                    lat: Some(lat),
                    lon: Some(lon),
                }
            });
            doc.events.push(Event {
                source: ActorRef {
                    text: sn.into(),
                    actor: Some(sc.into()),
                    span: Some(Span::new(start, start + sn.len())),
                },
                target: Some(ActorRef {
                    text: tn.into(),
                    actor: Some(tc.into()),
                    span: Some(Span::new(t0, t0 + tn.len())),
                }),
                cameo: cameo.into(),
                goldstein: gold,
                quad_class: quad,
                plover: Some(plover.into()),
                mode: None,
                modality: Modality::Asserted,
                date: Some(date.clone()),
                place,
                killed: None,
                injured: None,
                weapon: None,
                sentence: k,
                evidence: Span::new(v0, v0 + verb.len()),
            });
            made += 1;
        }
        doc.text = text;
        doc.meta.title = Some(format!("Synthetic article {art}"));
        doc.meta.published = Some(date);
        doc.meta.url = Some(format!("https://example.invalid/{art}"));
        batch.push(doc);
        if batch.len() == 500 {
            store.insert_batch(&batch)?;
            batch.clear();
        }
    }
    store.insert_batch(&batch)?;
    eprintln!(
        "{path}: {art} articles, {made} events in {:.1} s",
        t.elapsed().as_secs_f64()
    );
    Ok(())
}
