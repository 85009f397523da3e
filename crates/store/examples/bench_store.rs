//! Query and search latency on a large synthetic store.
//!
//! `cargo run --release -p wirecoder-store --example bench_store -- [ARTICLES] [EVENTS_PER_ARTICLE] [DIR]`
//! (defaults 100000 and 10: one million events). Builds `DIR/bench.db` (kept; rerun reuses it),
//! then times typical `events` filters (first 100 hits, as `wirecoder events --limit 100`
//! returns) and full-text searches, 30 runs each, and prints p50/p95 in milliseconds.

use std::time::Instant;
use wirecoder_doc::{ActorRef, Doc, Event, Modality, Place, Span};
use wirecoder_store::{EventFilter, SearchQuery, Store};

const ACTORS: [&str; 12] = [
    "USA", "RUS", "UKR", "CHN", "PRK", "KOR", "ISR", "IRN", "FRA", "DEU", "USAGOV", "RUSMIL",
];
const NAMES: [&str; 12] = [
    "United States",
    "Russia",
    "Ukraine",
    "China",
    "North Korea",
    "South Korea",
    "Israel",
    "Iran",
    "France",
    "Germany",
    "the White House",
    "Russian troops",
];
const CODES: [(&str, &str, f64, u8); 8] = [
    ("111", "ACCUSE", -2.0, 3),
    ("190", "ASSAULT", -10.0, 4),
    ("195", "ASSAULT", -10.0, 4),
    ("042", "CONSULT", 1.9, 1),
    ("036", "CONSULT", 4.0, 1),
    ("138", "THREATEN", -7.0, 3),
    ("061", "COOPERATE", 6.4, 2),
    ("172", "COERCE", -5.0, 4),
];
const PLACES: [(&str, &str, f64, f64); 5] = [
    ("Kharkiv", "UKR", 49.98, 36.25),
    ("Pyongyang", "PRK", 39.03, 125.75),
    ("Gaza", "PSE", 31.5, 34.47),
    ("Paris", "FRA", 48.85, 2.35),
    ("Taipei", "TWN", 25.04, 121.56),
];
const WORDS: [&str; 16] = [
    "ballistic",
    "missiles",
    "ceasefire",
    "talks",
    "sanctions",
    "drone",
    "strike",
    "border",
    "election",
    "protest",
    "summit",
    "aid",
    "nuclear",
    "embassy",
    "troops",
    "grain",
];

/// A cheap deterministic generator (xorshift).
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn pick(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

fn article(i: usize, per: usize, r: &mut Rng) -> Doc {
    let mut text = String::new();
    let mut sentences = Vec::new();
    let mut events = Vec::new();
    for k in 0..per {
        let (a, b) = (r.pick(ACTORS.len()), r.pick(ACTORS.len()));
        let (code, plover, g, q) = CODES[r.pick(CODES.len())];
        let w1 = WORDS[r.pick(WORDS.len())];
        let w2 = WORDS[r.pick(WORDS.len())];
        let start = text.len();
        let src = NAMES[a];
        text.push_str(src);
        let src_span = Span::new(start, text.len());
        text.push_str(" acted on ");
        let ev = Span::new(src_span.end + 1, src_span.end + 6);
        let t0 = text.len();
        text.push_str(NAMES[b]);
        let tgt_span = Span::new(t0, text.len());
        text.push_str(&format!(" over {w1} and {w2} in report {i}-{k}. "));
        sentences.push(Span::new(start, text.len() - 1));
        let place = (r.pick(3) == 0).then(|| {
            let (name, c, lat, lon) = PLACES[r.pick(PLACES.len())];
            Place {
                name: name.into(),
                country: Some(c.into()),
                geonames_id: None,
                lat: Some(lat),
                lon: Some(lon),
            }
        });
        let day = 1 + (i * 7 + k) % 28;
        let month = 1 + (i / 3) % 12;
        events.push(Event {
            source: ActorRef {
                text: src.into(),
                actor: Some(ACTORS[a].into()),
                span: Some(src_span),
            },
            target: Some(ActorRef {
                text: NAMES[b].into(),
                actor: Some(ACTORS[b].into()),
                span: Some(tgt_span),
            }),
            cameo: code.into(),
            goldstein: g,
            quad_class: q,
            plover: Some(plover.into()),
            mode: None,
            modality: [
                Modality::Asserted,
                Modality::Asserted,
                Modality::Alleged,
                Modality::Denied,
            ][r.pick(4)],
            date: Some(format!("2024-{month:02}-{day:02}")),
            place,
            killed: None,
            injured: None,
            weapon: None,
            sentence: k,
            evidence: ev,
        });
    }
    let mut d = Doc::new(text);
    d.meta.url = Some(format!("https://news{}.example/a/{i}", i % 20));
    d.meta.site = Some(format!("news{}.example", i % 20));
    d.meta.title = Some(format!("Report {i}"));
    d.meta.published = Some(format!("2024-{:02}-15", 1 + (i / 3) % 12));
    d.sentences = sentences;
    d.events = events;
    d
}

fn pct(mut v: Vec<f64>, p: f64) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    let i = ((v.len() as f64 - 1.0) * p).round() as usize;
    v[i]
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let n: usize = args.get(1).and_then(|s| s.parse().ok()).unwrap_or(100_000);
    let per: usize = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(10);
    let dir = args
        .get(3)
        .cloned()
        .unwrap_or_else(|| "target/bench-store".into());
    std::fs::create_dir_all(&dir)?;
    let db = format!("{dir}/bench.db");
    let mut store = Store::open(&db)?;
    let have = store.stats()?.articles as usize;
    if have < n {
        let t = Instant::now();
        let mut r = Rng(0x9E37_79B9_7F4A_7C15 ^ have as u64);
        let mut batch = Vec::with_capacity(512);
        for i in have..n {
            batch.push(article(i, per, &mut r));
            if batch.len() == 512 {
                store.insert_batch(&batch)?;
                batch.clear();
            }
        }
        store.insert_batch(&batch)?;
        let s = t.elapsed().as_secs_f64();
        println!(
            "built {} articles, {} events in {s:.1} s ({:.0} events/s, search index included)",
            n - have,
            (n - have) * per,
            ((n - have) * per) as f64 / s
        );
    }
    let st = store.stats()?;
    println!("store: {} articles, {} events", st.articles, st.events);
    let f = |set: &dyn Fn(&mut EventFilter)| {
        let mut f = EventFilter {
            limit: Some(100),
            ..Default::default()
        };
        set(&mut f);
        f
    };
    let queries: Vec<(&str, EventFilter)> = vec![
        ("--actor RUS", f(&|f| f.actor = Some("RUS".into()))),
        (
            "--root 19 --since 2024-06-01",
            f(&|f| {
                f.code = Some("19".into());
                f.since = Some("2024-06-01".into());
            }),
        ),
        (
            "--dyad USA-CHN",
            f(&|f| {
                f.source = Some("USA".into());
                f.target = Some("CHN".into());
            }),
        ),
        (
            "--code 138 --modality alleged",
            f(&|f| {
                f.code = Some("138".into());
                f.modality = Some("alleged".into());
            }),
        ),
        (
            "--plover ASSAULT --until 2024-02-01",
            f(&|f| {
                f.plover = Some("ASSAULT".into());
                f.until = Some("2024-02-01".into());
            }),
        ),
        ("--country UKR", f(&|f| f.country = Some("UKR".into()))),
        (
            "--bbox 120,35,130,45",
            f(&|f| f.bbox = Some([120.0, 35.0, 130.0, 45.0])),
        ),
        (
            "--actor RUSMIL --since 2024-12-01 --until 2024-12-31",
            f(&|f| {
                f.actor = Some("RUSMIL".into());
                f.since = Some("2024-12-01".into());
                f.until = Some("2024-12-31".into());
            }),
        ),
        (
            "--dyad RUSMIL-USAGOV --code 195 --modality denied --country TWN",
            f(&|f| {
                f.source = Some("RUSMIL".into());
                f.target = Some("USAGOV".into());
                f.code = Some("195".into());
                f.modality = Some("denied".into());
                f.country = Some("TWN".into());
            }),
        ),
        (
            // A wide source prefix (USA, USAGOV) with a country: the dyad index's worst case.
            "--dyad USA-CHN --country TWN",
            f(&|f| {
                f.source = Some("USA".into());
                f.target = Some("CHN".into());
                f.country = Some("TWN".into());
            }),
        ),
        (
            "--article N (all its events)",
            EventFilter {
                article_id: Some((n / 2) as i64),
                ..Default::default()
            },
        ),
    ];
    // The windowed walk and the indexed plan must agree with an unlimited query.
    for (name, q) in &queries {
        let limited: Vec<i64> = store.events(q)?.iter().map(|e| e.id).collect();
        let mut all = q.clone();
        all.limit = None;
        let full: Vec<i64> = store
            .events(&all)?
            .iter()
            .take(limited.len().max(1))
            .map(|e| e.id)
            .collect();
        assert_eq!(limited, full[..limited.len()], "{name}");
    }
    let runs = 30;
    let mut all = Vec::new();
    println!(
        "{:<55} {:>6} {:>8} {:>8}",
        "events filter (limit 100)", "hits", "p50 ms", "p95 ms"
    );
    for (name, q) in &queries {
        let mut times = Vec::new();
        let mut hits = 0;
        for _ in 0..runs {
            let t = Instant::now();
            hits = store.events(q)?.len();
            times.push(t.elapsed().as_secs_f64() * 1e3);
        }
        all.extend(times.iter().copied());
        println!(
            "{name:<55} {hits:>6} {:>8.2} {:>8.2}",
            pct(times.clone(), 0.5),
            pct(times, 0.95)
        );
    }
    println!(
        "{:<55} {:>6} {:>8.2} {:>8.2}",
        "all event queries",
        "",
        pct(all.clone(), 0.5),
        pct(all, 0.95)
    );
    let searches: Vec<(&str, SearchQuery)> = vec![
        (
            "\"ballistic missiles\"",
            SearchQuery {
                text: "ballistic missiles".into(),
                limit: 20,
                ..Default::default()
            },
        ),
        (
            "ballistic missiles --actor PRK --since 2024-01-01",
            SearchQuery {
                text: "ballistic missiles".into(),
                actor: Some("PRK".into()),
                since: Some("2024-01-01".into()),
                limit: 20,
                ..Default::default()
            },
        ),
        (
            "ceasefire --code 19",
            SearchQuery {
                text: "ceasefire".into(),
                code: Some("19".into()),
                limit: 20,
                ..Default::default()
            },
        ),
        (
            "sanctions --source news3.example --until 2024-03-31",
            SearchQuery {
                text: "sanctions".into(),
                source: Some("news3.example".into()),
                until: Some("2024-03-31".into()),
                limit: 20,
                ..Default::default()
            },
        ),
        (
            "\"nuclear summit\" (phrase)",
            SearchQuery {
                text: "\"nuclear summit\"".into(),
                limit: 20,
                ..Default::default()
            },
        ),
    ];
    let mut all = Vec::new();
    println!(
        "{:<55} {:>6} {:>8} {:>8}",
        "search (top 20)", "hits", "p50 ms", "p95 ms"
    );
    store.search(&searches[0].1)?; // open the index once
    for (name, q) in &searches {
        let mut times = Vec::new();
        let mut hits = 0;
        for _ in 0..runs {
            let t = Instant::now();
            hits = store.search(q)?.len();
            times.push(t.elapsed().as_secs_f64() * 1e3);
        }
        all.extend(times.iter().copied());
        println!(
            "{name:<55} {hits:>6} {:>8.2} {:>8.2}",
            pct(times.clone(), 0.5),
            pct(times, 0.95)
        );
    }
    println!(
        "{:<55} {:>6} {:>8.2} {:>8.2}",
        "all searches",
        "",
        pct(all.clone(), 0.5),
        pct(all, 0.95)
    );
    Ok(())
}
