//! The store against real news text: round trips, idempotence, filters, counts, files.

use wirecoder_doc::{
    ActorRef, DateMention, Doc, Entity, EntityType, Event, Meta, Modality, Place, Pos, Quote, Span,
    Story, Token,
};
use wirecoder_store::{EventFilter, Store, StoreError};

/// Paragraphs of the founding example page (`shared/seed/000_b51c4bc65cb444b7.txt`).
const SEED: &str = "The US And Its Allies Denounce Weapon Exchanges Between North Korea And Russia\n\n\
In a joint statement issued on Tuesday, the United States and its allies expressed strong disapproval of arms transfers between Russia and North Korea. \
The statement specifically highlighted Russia’s acquisition of North Korean ballistic missiles and their deployment against Ukraine on December 30 and January 2.\n\n\
Important Quotes!\n\n\
When questioned about the accusations in a conversation with reporters, Kremlin spokesman Dmitry Peskov responded on Tuesday with a succinct “No comment.”\n\n\
North Korea Chief Consider South Korea as Most Hostile State\n\n\
North Korean leader Kim Jong Un declared that it is now appropriate to characterize South Korea as the “most hostile” state towards his country.\n\n\
Last week, Russia launched a series of missile strikes on Kharkiv, resulting in two fatalities and over 60 injuries.";

/// The span of the `nth` (0-based) occurrence of `needle` in `text`.
fn at(text: &str, needle: &str, nth: usize) -> Span {
    let start = text
        .match_indices(needle)
        .nth(nth)
        .map(|(i, _)| i)
        .unwrap_or_else(|| panic!("{needle:?} #{nth} not in text"));
    Span::new(start, start + needle.len())
}

/// Span from the start of `first` to the end of `last` (first occurrences after `from`).
fn between(text: &str, first: &str, last: &str) -> Span {
    let s = at(text, first, 0).start;
    let e = s + text[s..].find(last).expect("end marker") + last.len();
    Span::new(s, e)
}

fn actor(text: &str, code: Option<&str>, span: Option<Span>) -> ActorRef {
    ActorRef {
        text: text.into(),
        actor: code.map(Into::into),
        span,
    }
}

fn event(
    src: ActorRef,
    tgt: Option<ActorRef>,
    cameo: &str,
    sentence: usize,
    evidence: Span,
) -> Event {
    Event {
        source: src,
        target: tgt,
        cameo: cameo.into(),
        goldstein: 0.0,
        quad_class: 1,
        plover: None,
        mode: None,
        modality: Modality::Asserted,
        date: None,
        place: None,
        killed: None,
        injured: None,
        weapon: None,
        sentence,
        evidence,
    }
}

fn kharkiv() -> Place {
    Place {
        name: "Kharkiv".into(),
        country: Some("UKR".into()),
        geonames_id: Some(706_483),
        lat: Some(49.980_81),
        lon: Some(36.252_72),
    }
}

/// The seed page with every layer filled, as the pipeline would leave it.
fn seed_doc() -> Doc {
    let t = SEED;
    let mut doc = Doc::new(t);
    doc.meta = Meta {
        id: Some("000_b51c4bc65cb444b7".into()),
        path: Some("shared/seed/000_b51c4bc65cb444b7.txt".into()),
        url: Some("https://example.com/world/us-allies-denounce".into()),
        title: Some(
            "The US And Its Allies Denounce Weapon Exchanges Between North Korea And Russia".into(),
        ),
        author: None,
        site: Some("example.com".into()),
        language: Some("en".into()),
        published: Some("2024-01-10".into()),
        published_inferred: false,
    };
    let second = at(t, "North Korea Chief", 0).start;
    doc.stories = vec![
        Story {
            span: Span::new(0, second - 2),
            title: doc.meta.title.clone(),
        },
        Story {
            span: Span::new(second, t.len()),
            title: Some("North Korea Chief Consider South Korea as Most Hostile State".into()),
        },
    ];
    doc.headings = vec![
        at(
            t,
            "The US And Its Allies Denounce Weapon Exchanges Between North Korea And Russia",
            0,
        ),
        at(t, "Important Quotes!", 0),
        at(
            t,
            "North Korea Chief Consider South Korea as Most Hostile State",
            0,
        ),
    ];
    doc.sentences = vec![
        between(t, "In a joint statement", "North Korea."),
        between(t, "The statement specifically", "January 2."),
        between(t, "When questioned", "comment.”"),
        between(t, "North Korean leader", "his country."),
        between(t, "Last week,", "60 injuries."),
    ];
    doc.tokens = vec![Token {
        span: at(t, "In", 0),
        pos: Some(Pos::Adp),
        lemma: Some("in".into()),
        sentence: 0,
        xpos: None,
        head: None,
        deprel: None,
    }];
    let ent = |needle: &str, nth, kind, code: Option<&str>, place: Option<Place>| Entity {
        span: at(t, needle, nth),
        kind,
        actor: code.map(Into::into),
        place,
    };
    doc.entities = vec![
        ent("United States", 0, EntityType::Gpe, Some("USA"), None),
        ent("Russia", 1, EntityType::Gpe, Some("RUS"), None),
        ent("North Korea", 1, EntityType::Gpe, Some("PRK"), None),
        ent("Russia’s", 0, EntityType::Gpe, Some("RUS"), None),
        ent("Ukraine", 0, EntityType::Gpe, Some("UKR"), None),
        ent("Dmitry Peskov", 0, EntityType::Person, Some("RUSGOV"), None),
        ent("Kim Jong Un", 0, EntityType::Person, Some("PRKGOV"), None),
        ent("South Korea", 1, EntityType::Gpe, Some("KOR"), None),
        ent("Kharkiv", 0, EntityType::Gpe, Some("UKR"), Some(kharkiv())),
    ];
    let date = |needle: &str, value: Option<&str>| DateMention {
        span: at(t, needle, 0),
        value: value.map(Into::into),
    };
    doc.dates = vec![
        date("on Tuesday", Some("2024-01-09")),
        date("December 30", Some("2023-12-30")),
        date("January 2", Some("2024-01-02")),
        date("Last week", Some("2024-W01")),
        date("now", None),
    ];
    doc.quotes = vec![
        Quote {
            span: at(t, "No comment.", 0),
            speaker: Some(actor(
                "Dmitry Peskov",
                Some("RUSGOV"),
                Some(at(t, "Dmitry Peskov", 0)),
            )),
        },
        Quote {
            span: at(t, "most hostile", 0),
            speaker: Some(actor("Kim Jong Un", Some("PRKGOV"), None)),
        },
    ];
    let mut e0 = event(
        actor(
            "the United States",
            Some("USA"),
            Some(at(t, "the United States", 0)),
        ),
        Some(actor("Russia", Some("RUS"), Some(at(t, "Russia", 1)))),
        "111",
        0,
        at(t, "expressed strong disapproval", 0),
    );
    e0.goldstein = -2.0;
    e0.quad_class = 3;
    e0.plover = Some("ACCUSE".into());
    e0.mode = Some("disapprove".into());
    e0.date = Some("2024-01-09".into());
    let mut e1 = event(
        actor("Russia’s", Some("RUS"), Some(at(t, "Russia’s", 0))),
        Some(actor("Ukraine", Some("UKR"), Some(at(t, "Ukraine", 0)))),
        "195",
        1,
        at(t, "deployment against Ukraine", 0),
    );
    e1.goldstein = -10.0;
    e1.quad_class = 4;
    e1.plover = Some("ASSAULT".into());
    e1.mode = Some("aerial".into());
    e1.date = Some("2023-12-30".into());
    e1.weapon = Some("ballistic missile".into());
    let mut e2 = event(
        actor(
            "Kremlin spokesman Dmitry Peskov",
            Some("RUSGOV"),
            Some(at(t, "Kremlin spokesman Dmitry Peskov", 0)),
        ),
        None,
        "011",
        2,
        at(t, "No comment.", 0),
    );
    e2.goldstein = -0.1;
    e2.date = Some("2024-01-09".into());
    let mut e3 = event(
        actor("Kim Jong Un", Some("PRKGOV"), Some(at(t, "Kim Jong Un", 0))),
        Some(actor(
            "South Korea",
            Some("KOR"),
            Some(at(t, "South Korea", 1)),
        )),
        "111",
        3,
        at(t, "characterize South Korea as the “most hostile” state", 0),
    );
    e3.goldstein = -2.0;
    e3.quad_class = 3;
    e3.plover = Some("ACCUSE".into());
    let mut e4 = event(
        actor(
            "Russia",
            Some("RUS"),
            Some(at(t, "Russia launched", 0).tap_len(6)),
        ),
        Some(actor("Kharkiv", Some("UKR"), Some(at(t, "Kharkiv", 0)))),
        "195",
        4,
        at(t, "launched a series of missile strikes", 0),
    );
    e4.goldstein = -10.0;
    e4.quad_class = 4;
    e4.plover = Some("ASSAULT".into());
    e4.mode = Some("aerial".into());
    e4.date = Some("2024-01-03".into());
    e4.place = Some(kharkiv());
    e4.killed = Some(2);
    e4.injured = Some(60);
    e4.weapon = Some("missile".into());
    let mut e5 = event(
        actor("North Korean", Some("PRK"), Some(at(t, "North Korean", 0))),
        Some(actor("Russia’s", Some("RUS"), Some(at(t, "Russia’s", 0)))),
        "072",
        1,
        at(t, "acquisition of North Korean ballistic missiles", 0),
    );
    e5.goldstein = 7.4;
    e5.quad_class = 2;
    e5.plover = Some("AID".into());
    e5.mode = Some("military".into());
    e5.modality = Modality::Alleged;
    doc.events = vec![e0, e1, e2, e3, e4, e5];
    doc
}

trait TapLen {
    fn tap_len(self, len: usize) -> Span;
}
impl TapLen for Span {
    fn tap_len(self, len: usize) -> Span {
        Span::new(self.start, self.start + len)
    }
}

/// A second, smaller article with no date anywhere.
fn denial_doc() -> Doc {
    let t = "Kremlin spokesman Dmitry Peskov said Moscow “categorically” rejected the accusations of arms deals with Pyongyang.";
    let mut doc = Doc::new(t);
    doc.meta.path = Some("wire/peskov-denial.txt".into());
    doc.meta.title = Some("Kremlin rejects arms deal claims".into());
    doc.sentences = vec![Span::new(0, t.len())];
    let mut e = event(
        actor("Moscow", Some("RUSGOV"), Some(at(t, "Moscow", 0))),
        None,
        "016",
        0,
        at(t, "rejected the accusations", 0),
    );
    e.goldstein = -2.0;
    e.quad_class = 2;
    e.plover = Some("REJECT".into());
    e.modality = Modality::Denied;
    doc.events = vec![e];
    doc
}

fn filter(f: impl FnOnce(&mut EventFilter)) -> EventFilter {
    let mut x = EventFilter::default();
    f(&mut x);
    x
}

fn codes(store: &Store, f: &EventFilter) -> Vec<String> {
    store
        .events(f)
        .expect("query")
        .into_iter()
        .map(|e| {
            format!(
                "{}>{}:{}",
                e.event.source.actor.unwrap_or_default(),
                e.event.target.and_then(|t| t.actor).unwrap_or_default(),
                e.event.cameo
            )
        })
        .collect()
}

#[test]
fn round_trip_gives_back_every_layer() {
    let mut store = Store::open(":memory:").unwrap();
    let doc = seed_doc();
    let ins = store.insert(&doc).unwrap();
    assert!(ins.new);
    let back = store
        .article(ins.article_id)
        .unwrap()
        .expect("stored article");
    let mut expected = doc.clone();
    expected.tokens.clear();
    assert_eq!(back, expected);
    assert_eq!(back.slice(back.quotes[0].span), "No comment.");
    assert!(store.article(ins.article_id + 100).unwrap().is_none());
}

#[test]
fn stored_events_carry_their_text() {
    let mut store = Store::open(":memory:").unwrap();
    let id = store.insert(&seed_doc()).unwrap().article_id;
    let all = store.events(&EventFilter::default()).unwrap();
    assert_eq!(all.len(), 6);
    let peskov = &all[2];
    assert_eq!(peskov.article_id, id);
    assert_eq!(peskov.evidence_text, "No comment.");
    assert!(peskov.sentence_text.starts_with("When questioned"));
    assert!(peskov.sentence_text.ends_with("a succinct “No comment.”"));
    assert_eq!(all[1].evidence_text, "deployment against Ukraine");
    assert_eq!(
        all[5].evidence_text,
        "acquisition of North Korean ballistic missiles"
    );
    assert_eq!(
        all[3].evidence_text,
        "characterize South Korea as the “most hostile” state"
    );
    assert_eq!(peskov.published.as_deref(), Some("2024-01-10"));
    assert_eq!(
        peskov.article_title.as_deref(),
        Some("The US And Its Allies Denounce Weapon Exchanges Between North Korea And Russia")
    );
    assert_eq!(
        (peskov.num_mentions, peskov.num_sources, peskov.num_articles),
        (1, 1, 1)
    );
    assert!(all.windows(2).all(|w| w[0].id < w[1].id));
    let strike = &all[4].event;
    assert_eq!((strike.killed, strike.injured), (Some(2), Some(60)));
    assert_eq!(strike.place.as_ref().and_then(|p| p.lat), Some(49.980_81));
}

#[test]
fn reinserting_adds_nothing() {
    let mut store = Store::open(":memory:").unwrap();
    let doc = seed_doc();
    let first = store.insert(&doc).unwrap();
    let before = store.stats().unwrap();
    let again = store.insert(&doc).unwrap();
    assert_eq!(again.article_id, first.article_id);
    assert!(!again.new);
    assert_eq!(store.stats().unwrap(), before);

    // Same batch twice in one transaction: only the first copy is new.
    let other = denial_doc();
    let out = store
        .insert_batch(&[other.clone(), other.clone(), doc.clone()])
        .unwrap();
    assert_eq!(
        out.iter().map(|i| i.new).collect::<Vec<_>>(),
        [true, false, false]
    );
    assert_eq!(out[0].article_id, out[1].article_id);
    assert_eq!(out[2].article_id, first.article_id);

    // The same text under another URL is another article.
    let mut moved = doc;
    moved.meta.url = Some("https://mirror.example.org/us-allies".into());
    assert!(store.insert(&moved).unwrap().new);
    assert_eq!(store.stats().unwrap().articles, 3);
}

#[test]
fn a_bad_document_rolls_back_its_batch() {
    let mut store = Store::open(":memory:").unwrap();
    let good = denial_doc();
    let mut bad = seed_doc();
    // Byte 1 past the text's end.
    bad.events[0].evidence = Span::new(0, bad.text.len() + 1);
    let err = store.insert_batch(&[good.clone(), bad]).unwrap_err();
    match &err {
        StoreError::InvalidDoc { doc, reason } => {
            assert_eq!(doc, "shared/seed/000_b51c4bc65cb444b7.txt");
            assert!(reason.contains("event evidence 0"), "{reason}");
        }
        other => panic!("unexpected {other}"),
    }
    assert_eq!(store.stats().unwrap().articles, 0);
    assert!(store.insert(&good).unwrap().new);

    // A span that cuts "’" in half is refused too.
    let mut split = seed_doc();
    let q = split.text.find('’').unwrap();
    split.sentences[1] = Span::new(q + 1, q + 5);
    assert!(matches!(
        store.insert(&split),
        Err(StoreError::InvalidDoc { .. })
    ));
}

#[test]
fn filters_select_events() {
    check_filters(&mut Store::open(":memory:").unwrap());
}

#[test]
fn filters_select_events_on_postgres() {
    let Some(db) = pg::TestDb::create() else {
        return;
    };
    check_filters(&mut Store::open(&db.url).unwrap());
}

fn check_filters(store: &mut Store) {
    let ids = store.insert_batch(&[seed_doc(), denial_doc()]).unwrap();
    let store: &Store = store;
    let all = codes(store, &EventFilter::default());
    assert_eq!(all.len(), 7);

    // Actor prefix on source or target, case-insensitive input.
    let rus = codes(store, &filter(|f| f.actor = Some("RUS".into())));
    assert_eq!(
        rus,
        [
            "USA>RUS:111",
            "RUS>UKR:195",
            "RUSGOV>:011",
            "RUS>UKR:195",
            "PRK>RUS:072",
            "RUSGOV>:016"
        ]
    );
    assert_eq!(codes(store, &filter(|f| f.actor = Some("rus".into()))), rus);
    assert_eq!(
        codes(store, &filter(|f| f.actor = Some("RUSGOV".into()))).len(),
        2
    );
    assert_eq!(
        codes(store, &filter(|f| f.actor = Some("KOR".into()))),
        ["PRKGOV>KOR:111"]
    );
    assert_eq!(
        codes(store, &filter(|f| f.source = Some("RUS".into()))).len(),
        4
    );
    assert_eq!(
        codes(store, &filter(|f| f.target = Some("RUS".into()))),
        ["USA>RUS:111", "PRK>RUS:072"]
    );
    assert!(codes(store, &filter(|f| f.actor = Some("RUT".into()))).is_empty());

    // CAMEO prefix: root, full code, and a one-digit prefix.
    assert_eq!(
        codes(store, &filter(|f| f.code = Some("19".into()))),
        ["RUS>UKR:195", "RUS>UKR:195"]
    );
    assert_eq!(
        codes(store, &filter(|f| f.code = Some("111".into()))).len(),
        2
    );
    assert_eq!(
        codes(store, &filter(|f| f.code = Some("0".into()))),
        ["RUSGOV>:011", "PRK>RUS:072", "RUSGOV>:016"]
    );
    assert_eq!(
        codes(store, &filter(|f| f.code = Some("01".into()))),
        ["RUSGOV>:011", "RUSGOV>:016"]
    );

    // Dates: the event's, else the article's; the second article has neither.
    let since = codes(store, &filter(|f| f.since = Some("2024-01-01".into())));
    assert_eq!(
        since,
        [
            "USA>RUS:111",
            "RUSGOV>:011",
            "PRKGOV>KOR:111",
            "RUS>UKR:195",
            "PRK>RUS:072"
        ]
    );
    let until = codes(store, &filter(|f| f.until = Some("2024-01-09".into())));
    assert_eq!(
        until,
        ["USA>RUS:111", "RUS>UKR:195", "RUSGOV>:011", "RUS>UKR:195"]
    );
    let day = filter(|f| {
        f.since = Some("2024-01-09".into());
        f.until = Some("2024-01-09".into());
    });
    assert_eq!(codes(store, &day), ["USA>RUS:111", "RUSGOV>:011"]);
    assert_eq!(
        codes(store, &filter(|f| f.until = Some("2023-12".into()))),
        ["RUS>UKR:195"]
    );

    // Modality, PLOVER, article, limit, and combinations.
    assert_eq!(
        codes(store, &filter(|f| f.modality = Some("alleged".into()))),
        ["PRK>RUS:072"]
    );
    assert_eq!(
        codes(store, &filter(|f| f.modality = Some("denied".into()))),
        ["RUSGOV>:016"]
    );
    assert_eq!(
        codes(store, &filter(|f| f.plover = Some("assault".into()))).len(),
        2
    );
    assert_eq!(
        codes(store, &filter(|f| f.article_id = Some(ids[1].article_id))),
        ["RUSGOV>:016"]
    );
    assert_eq!(
        codes(store, &filter(|f| f.limit = Some(2))),
        ["USA>RUS:111", "RUS>UKR:195"]
    );
    let combo = filter(|f| {
        f.actor = Some("RUS".into());
        f.code = Some("19".into());
        f.since = Some("2024-01-01".into());
    });
    let hits = store.events(&combo).unwrap();
    assert_eq!(hits.len(), 1);
    assert_eq!(
        hits[0].event.place.as_ref().map(|p| p.name.as_str()),
        Some("Kharkiv")
    );

    // Place filters: country, name, bounding box; and the source threshold.
    let kharkiv = ["RUS>UKR:195"];
    assert_eq!(
        codes(store, &filter(|f| f.country = Some("ukr".into()))),
        kharkiv
    );
    assert_eq!(
        codes(store, &filter(|f| f.place = Some("KHARKIV".into()))),
        kharkiv
    );
    assert_eq!(
        codes(store, &filter(|f| f.bbox = Some([30.0, 45.0, 40.0, 52.0]))),
        kharkiv
    );
    assert!(codes(store, &filter(|f| f.bbox = Some([0.0, 0.0, 10.0, 10.0]))).is_empty());
    assert_eq!(codes(store, &filter(|f| f.min_sources = Some(1))).len(), 7);
    assert!(codes(store, &filter(|f| f.min_sources = Some(2))).is_empty());

    // Bad filter values are errors, not silent empty results.
    let bad = store.events(&filter(|f| f.modality = Some("rumoured".into())));
    assert!(matches!(
        bad,
        Err(StoreError::InvalidFilter {
            field: "modality",
            ..
        })
    ));
    let empty = store.events(&filter(|f| f.actor = Some(" ".into())));
    assert!(matches!(
        empty,
        Err(StoreError::InvalidFilter { field: "actor", .. })
    ));
}

#[test]
fn stats_count_rows() {
    let mut store = Store::open(":memory:").unwrap();
    assert_eq!(store.stats().unwrap(), Default::default());
    store.insert_batch(&[seed_doc(), denial_doc()]).unwrap();
    store
        .record_skipped("feeds/broken.xml", "not well-formed XML at line 3")
        .unwrap();
    let s = store.stats().unwrap();
    assert_eq!(
        (
            s.articles,
            s.stories,
            s.sentences,
            s.entities,
            s.quotes,
            s.events,
            s.canonical_events,
            s.skipped
        ),
        // Seven mentions of seven different happenings: seven canonical events.
        (2, 2, 6, 9, 2, 7, 7, 1)
    );
    let json = serde_json::to_value(s).unwrap();
    for key in [
        "articles",
        "stories",
        "sentences",
        "entities",
        "quotes",
        "events",
        "canonical_events",
        "skipped",
    ] {
        assert!(json[key].is_u64(), "{key}");
    }
}

#[test]
fn finding_and_listing_articles() {
    let mut store = Store::open(":memory:").unwrap();
    let ids: Vec<i64> = store
        .insert_batch(&[seed_doc(), denial_doc()])
        .unwrap()
        .iter()
        .map(|i| i.article_id)
        .collect();
    let by_id = store.find_articles(&ids[1].to_string()).unwrap();
    assert_eq!(
        by_id,
        [(
            ids[1],
            Some("Kremlin rejects arms deal claims".into()),
            Some("wire/peskov-denial.txt".into())
        )]
    );
    let by_path = store
        .find_articles("shared/seed/000_b51c4bc65cb444b7.txt")
        .unwrap();
    assert_eq!(by_path.len(), 1);
    assert_eq!(by_path[0].0, ids[0]);
    assert_eq!(
        store
            .find_articles("https://example.com/world/us-allies-denounce")
            .unwrap()[0]
            .0,
        ids[0]
    );
    assert_eq!(store.find_articles("denounce weapon").unwrap()[0].0, ids[0]);
    assert_eq!(store.find_articles("peskov-").unwrap()[0].0, ids[1]);
    assert_eq!(store.find_articles("KREMLIN").unwrap()[0].0, ids[1]);
    assert!(store.find_articles("100%").unwrap().is_empty());
    assert!(store.find_articles("999").unwrap().is_empty());
    let listed: Vec<i64> = store.articles(10).unwrap().iter().map(|a| a.0).collect();
    assert_eq!(listed, [ids[1], ids[0]]);
    assert_eq!(store.articles(1).unwrap().len(), 1);
}

#[test]
fn a_file_database_keeps_its_data_and_uses_wal() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("wirecoder.db");
    let path = path.to_str().unwrap();
    let doc = seed_doc();
    let id = {
        let mut store = Store::open(path).unwrap();
        store.record_skipped("a.html", "empty page").unwrap();
        store.insert(&doc).unwrap().article_id
    };
    let mut store = Store::open(path).unwrap();
    assert_eq!(store.stats().unwrap().events, 6);
    assert_eq!(store.stats().unwrap().skipped, 1);
    let mut expected = doc.clone();
    expected.tokens.clear();
    assert_eq!(store.article(id).unwrap(), Some(expected));
    assert!(!store.insert(&doc).unwrap().new);

    // WAL is a property of the file: a fresh connection sees it. One row per migration.
    let conn = rusqlite::Connection::open(path).unwrap();
    let mode: String = conn
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "wal");
    let versions: i64 = conn
        .query_row("SELECT COUNT(*) FROM schema_migrations", [], |r| r.get(0))
        .unwrap();
    assert_eq!(versions, 6);

    // The sqlite:// form names the same file.
    let again = Store::open(&format!("sqlite://{path}")).unwrap();
    assert_eq!(again.stats().unwrap().articles, 1);
}

#[test]
fn a_newer_schema_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("future.db");
    let path = path.to_str().unwrap();
    drop(Store::open(path).unwrap());
    let conn = rusqlite::Connection::open(path).unwrap();
    conn.execute(
        "INSERT INTO schema_migrations (version, applied_at) VALUES (99, 'x')",
        [],
    )
    .unwrap();
    drop(conn);
    let err = Store::open(path).err().expect("refused");
    assert!(
        matches!(err, StoreError::SchemaTooNew { found: 99, .. }),
        "{err}"
    );
}

#[test]
fn a_bad_postgres_url_is_an_error_without_the_password() {
    let err = Store::open("postgres://wire:s3cret@127.0.0.1:1/wirecoder")
        .err()
        .expect("refused");
    let msg = err.to_string();
    assert!(msg.contains("cannot open database"), "{msg}");
    assert!(!msg.contains("s3cret"), "{msg}");
    let missing_dir = Store::open("/nonexistent-dir/wirecoder.db")
        .err()
        .expect("refused");
    assert!(missing_dir
        .to_string()
        .contains("/nonexistent-dir/wirecoder.db"));
}

/// The same documents read back the same from SQLite and PostgreSQL: events, articles,
/// lookups, counts; and a second insert adds nothing on PostgreSQL either.
#[test]
fn postgres_reads_back_what_sqlite_does() {
    let Some(db) = pg::TestDb::create() else {
        return;
    };
    let mut lite = Store::open(":memory:").unwrap();
    let mut pg = Store::open(&db.url).unwrap();
    let docs = [seed_doc(), denial_doc()];
    let a = lite.insert_batch(&docs).unwrap();
    let b = pg.insert_batch(&docs).unwrap();
    assert_eq!(a, b);
    assert!(pg.insert_batch(&docs).unwrap().iter().all(|i| !i.new));
    let all = EventFilter::default();
    let (le, pe) = (lite.events(&all).unwrap(), pg.events(&all).unwrap());
    assert_eq!(le.len(), 7);
    for (l, p) in le.iter().zip(&pe) {
        assert_eq!(l.event, p.event);
        assert!(l.canonical_id.is_some());
        assert_eq!(
            (
                l.canonical_id,
                l.num_mentions,
                l.num_sources,
                l.num_articles
            ),
            (
                p.canonical_id,
                p.num_mentions,
                p.num_sources,
                p.num_articles
            )
        );
        assert_eq!(
            (
                &l.evidence_text,
                &l.sentence_text,
                &l.published,
                &l.source_url
            ),
            (
                &p.evidence_text,
                &p.sentence_text,
                &p.published,
                &p.source_url
            )
        );
    }
    for id in [a[0].article_id, a[1].article_id] {
        assert_eq!(lite.article(id).unwrap(), pg.article(id).unwrap());
    }
    assert_eq!(pg.article(999).unwrap(), None);
    assert_eq!(lite.stats().unwrap(), pg.stats().unwrap());
    for key in ["1", "kremlin", "North Korea", "nothing-like-this"] {
        assert_eq!(
            lite.find_articles(key).unwrap(),
            pg.find_articles(key).unwrap(),
            "{key}"
        );
    }
    assert_eq!(lite.articles(10).unwrap(), pg.articles(10).unwrap());
    pg.record_skipped("bad.html", "empty").unwrap();
    assert_eq!(pg.stats().unwrap().skipped, 1);
    // Reopening migrates nothing twice.
    drop(pg);
    assert_eq!(Store::open(&db.url).unwrap().stats().unwrap().articles, 2);
}

/// Throwaway PostgreSQL databases for tests: `WIRECODER_TEST_PG` (default
/// `postgres://postgres@127.0.0.1:5432/postgres`) is the maintenance database; each test
/// creates `wirecoder_test_<pid>_<n>` beside it and drops it afterwards. Without a server the
/// tests print why and pass, unless `WIRECODER_REQUIRE_PG` is set (as `.ci/run` does).
mod pg {
    use std::sync::atomic::{AtomicUsize, Ordering};

    static NEXT: AtomicUsize = AtomicUsize::new(0);

    pub struct TestDb {
        admin: String,
        name: String,
        pub url: String,
    }

    impl TestDb {
        pub fn create() -> Option<TestDb> {
            let admin = std::env::var("WIRECODER_TEST_PG")
                .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into());
            let mut c = match postgres::Client::connect(&admin, postgres::NoTls) {
                Ok(c) => c,
                Err(e) => {
                    if std::env::var_os("WIRECODER_REQUIRE_PG").is_some() {
                        panic!("WIRECODER_REQUIRE_PG is set but {admin} does not answer: {e}");
                    }
                    eprintln!("skipping: no PostgreSQL at {admin}: {e}");
                    return None;
                }
            };
            let name = format!(
                "wirecoder_test_{}_{}",
                std::process::id(),
                NEXT.fetch_add(1, Ordering::SeqCst)
            );
            // Separate statements: several in one string run as one transaction, which
            // CREATE DATABASE refuses.
            c.batch_execute(&format!("DROP DATABASE IF EXISTS {name}"))
                .and_then(|_| c.batch_execute(&format!("CREATE DATABASE {name}")))
                .expect("create the test database");
            let base = admin.rsplit_once('/').map_or(admin.as_str(), |(b, _)| b);
            let url = format!("{base}/{name}");
            Some(TestDb { admin, name, url })
        }
    }

    impl Drop for TestDb {
        fn drop(&mut self) {
            if let Ok(mut c) = postgres::Client::connect(&self.admin, postgres::NoTls) {
                let _ = c.batch_execute(&format!(
                    "DROP DATABASE IF EXISTS {} WITH (FORCE)",
                    self.name
                ));
            }
        }
    }
}

/// Canonical events and syndicated copies (issues #8 and #9), on both engines.
mod dedup {
    use super::*;
    use std::collections::BTreeMap;
    use wirecoder_store::Signature;

    /// A one-event wire report: `text` holds `evidence`; the event happened on `date`.
    fn report(
        url: &str,
        text: &str,
        src: &str,
        tgt: &str,
        cameo: &str,
        date: &str,
        evidence: &str,
    ) -> Doc {
        let mut doc = Doc::new(text);
        doc.meta.url = Some(url.into());
        doc.meta.published = Some("2024-01-10".into());
        doc.sentences = vec![Span::new(0, text.len())];
        let mut e = event(
            actor(src, Some(src), None),
            Some(actor(tgt, Some(tgt), None)),
            cameo,
            0,
            at(text, evidence, 0),
        );
        e.date = Some(date.into());
        doc.events = vec![e];
        doc
    }

    const STRIKE: &str = "KYIV, Jan 9 (Reuters) - Russian forces launched dozens of missiles \
        at cities across Ukraine early on Tuesday, killing at least four people and damaging \
        power plants, Ukrainian officials said. The air force said it shot down 18 of the 51 \
        missiles fired overnight, in one of the largest attacks of the winter.";

    /// Reuters and AP on one strike, a copy of the Reuters story on another site, and an
    /// unrelated Chinese statement on the same day.
    fn strike_reports() -> Vec<Doc> {
        let reuters = report(
            "https://www.reuters.com/world/strike",
            STRIKE,
            "RUSMIL",
            "UKR",
            "195",
            "2024-01-09",
            "launched dozens of missiles",
        );
        let ap = report(
            "https://apnews.com/article/ukraine-missiles",
            "Russia fired a barrage of missiles at Ukrainian cities on Tuesday, Kyiv said, \
             in an overnight attack that cut power to thousands of homes.",
            "RUS",
            "UKR",
            "190",
            "2024-01-09",
            "fired a barrage of missiles",
        );
        let mut copy = Doc::new(STRIKE.replace("KYIV, Jan 9 (Reuters) -", "KYIV (Reuters) —"));
        copy.meta.url = Some("https://www.yahoo.com/news/russian-missiles".into());
        copy.meta.published = Some("2024-01-11".into());
        let china = report(
            "https://www.scmp.com/news/china",
            "China's foreign ministry on Tuesday urged restraint by all sides in the Red Sea.",
            "CHNGOV",
            "USA",
            "023",
            "2024-01-09",
            "urged restraint",
        );
        vec![reuters, ap, copy, china]
    }

    fn counts(e: &wirecoder_store::StoredEvent) -> (u32, u32, u32) {
        (e.num_mentions, e.num_sources, e.num_articles)
    }

    fn check_canonical(store: &mut Store) {
        let docs = strike_reports();
        let ins = store.insert_batch(&docs[..2]).unwrap();
        let all = store.events(&EventFilter::default()).unwrap();
        assert_eq!(all.len(), 2);
        assert!(all[0].canonical_id.is_some());
        assert_eq!(all[0].canonical_id, all[1].canonical_id);
        assert_eq!(counts(&all[0]), (2, 2, 2));
        assert_eq!(store.stats().unwrap().canonical_events, 1);

        // The copy arrives uncoded (the pipeline found it first) and is linked.
        let sig = Signature::of(&docs[2].text, wirecoder_dedup::SHINGLE);
        let hit = store
            .near_duplicate(&sig)
            .unwrap()
            .expect("a near-duplicate");
        assert_eq!(hit.id, ins[0].article_id);
        assert!(hit.similarity >= 0.8, "{}", hit.similarity);
        let ins2 = store.insert_batch(&docs[2..]).unwrap();
        let copy = ins2[0].article_id;
        assert_eq!(
            store.duplicate_of(copy).unwrap().map(|d| d.id),
            Some(ins[0].article_id)
        );
        assert_eq!(store.duplicate_of(ins[0].article_id).unwrap(), None);
        let all = store.events(&EventFilter::default()).unwrap();
        assert_eq!(all.len(), 3, "the copy is not coded again");
        assert_eq!(counts(&all[0]), (3, 3, 3));
        assert_eq!(counts(&all[1]), (3, 3, 3));
        assert_eq!(counts(&all[2]), (1, 1, 1));
        assert_ne!(all[2].canonical_id, all[0].canonical_id);
        let stats = store.stats().unwrap();
        assert_eq!(
            (stats.articles, stats.events, stats.canonical_events),
            (4, 3, 2)
        );

        let c = store
            .canonical_event(all[0].canonical_id.unwrap())
            .unwrap()
            .expect("stored");
        assert_eq!(
            (c.source.as_deref(), c.target.as_deref()),
            (Some("RUSMIL"), Some("UKR"))
        );
        assert_eq!(c.date.as_deref(), Some("2024-01-09"));
        assert_eq!(
            (c.first_seen.as_deref(), c.last_seen.as_deref()),
            (Some("2024-01-10"), Some("2024-01-11"))
        );
        assert_eq!(c.mentions.len(), 3);
        assert!(c.confidence > 0.85);
        // The copy's evidence is found again in its own text.
        let m = c
            .mentions
            .iter()
            .find(|m| m.article_id == copy)
            .expect("copy mention");
        let (s, e) = m.evidence.expect("span in the copy");
        assert_eq!(&docs[2].text[s..e], "launched dozens of missiles");
        assert_eq!(m.site, "yahoo.com");

        let two = filter(|f| f.min_sources = Some(2));
        assert_eq!(store.events(&two).unwrap().len(), 2);
        assert_eq!(
            store
                .events(&filter(|f| f.min_sources = Some(4)))
                .unwrap()
                .len(),
            0
        );

        // Storing everything again changes no count.
        let before = store.events(&EventFilter::default()).unwrap();
        let stats_before = store.stats().unwrap();
        assert!(store.insert_batch(&docs).unwrap().iter().all(|i| !i.new));
        assert_eq!(store.events(&EventFilter::default()).unwrap(), before);
        assert_eq!(store.stats().unwrap(), stats_before);

        // A coded copy at yet another site is linked too; its own events are not stored.
        let mut coded = docs[0].clone();
        coded.meta.url = Some("https://www.msn.com/en-us/news/world/strike".into());
        let i = store.insert(&coded).unwrap();
        assert!(i.new);
        assert_eq!(
            store.duplicate_of(i.article_id).unwrap().map(|d| d.id),
            Some(ins[0].article_id)
        );
        let all = store.events(&EventFilter::default()).unwrap();
        assert_eq!(all.len(), 3);
        assert_eq!(counts(&all[0]), (4, 4, 4));
    }

    #[test]
    fn reports_from_two_sites_make_one_canonical_event_and_copies_count() {
        let mut store = Store::open(":memory:").unwrap();
        check_canonical(&mut store);
    }

    #[test]
    fn reports_from_two_sites_make_one_canonical_event_on_postgres() {
        let Some(db) = pg::TestDb::create() else {
            return;
        };
        let mut store = Store::open(&db.url).unwrap();
        check_canonical(&mut store);
    }

    /// The store's candidate lookup (three date-width classes, each bounded on both sides)
    /// must pick the canonical event the in-memory clusterer picks: reports dated by day,
    /// week, month and year, arriving out of date order, over a few blocks.
    fn check_like_the_clusterer(store: &mut Store) {
        const PAIRS: [(&str, &str); 8] = [
            ("RUS", "UKR"),
            ("USA", "CHN"),
            ("ISR", "PSE"),
            ("IND", "PAK"),
            ("TUR", "SYR"),
            ("IRN", "IRQ"),
            ("EGY", "SDN"),
            ("JPN", "KOR"),
        ];
        const CODES: [&str; 3] = ["190", "193", "112"];
        const DATES: [&str; 9] = [
            "2024-03-05",
            "2024-03-06",
            "2024-03-12",
            "2024-W10",
            "2024-W11",
            "2024-03",
            "2024-04",
            "2024",
            "2024-02-28",
        ];
        const WORDS: [&str; 4] = [
            "shelled border villages",
            "fired missiles at the port",
            "accused the other of provocations",
            "shelled the port overnight",
        ];
        let mut docs = Vec::new();
        let mut r: u64 = 0x2545_F491_4F6C_DD1D;
        let mut pick = |n: usize| {
            r ^= r << 13;
            r ^= r >> 7;
            r ^= r << 17;
            (r % n as u64) as usize
        };
        for i in 0..400 {
            let (a, b) = PAIRS[pick(PAIRS.len())];
            let words = WORDS[pick(WORDS.len())];
            let text = format!("Forces of {a} {words} in {b}, officials said in report {i}.");
            docs.push(report(
                &format!("https://site{}.example/{i}", i % 7),
                &text,
                a,
                b,
                CODES[pick(CODES.len())],
                DATES[pick(DATES.len())],
                words,
            ));
        }
        store.set_link_duplicates(false);
        let mut ids = Vec::new();
        for chunk in docs.chunks(50) {
            ids.extend(
                store
                    .insert_batch(chunk)
                    .unwrap()
                    .iter()
                    .map(|i| i.article_id),
            );
        }
        let mut clusterer = wirecoder_dedup::EventClusterer::new();
        let mut expected: Vec<u64> = Vec::new();
        for (doc, id) in docs.iter().zip(&ids) {
            let k = wirecoder_dedup::EventKey::from_event(doc, 0, u64::try_from(*id).unwrap());
            expected.push(clusterer.add(k.expect("keyed")));
        }
        let got: Vec<i64> = store
            .events(&EventFilter::default())
            .unwrap()
            .iter()
            .map(|e| e.canonical_id.expect("assigned"))
            .collect();
        // Same partition: two events share a canonical event exactly when they share a cluster.
        assert_eq!(got.len(), expected.len());
        let mut joined = 0;
        for i in 0..got.len() {
            for j in 0..i {
                assert_eq!(
                    got[i] == got[j],
                    expected[i] == expected[j],
                    "events {j} and {i}"
                );
                joined += usize::from(got[i] == got[j]);
            }
        }
        assert!(joined > 100, "the corpus must exercise joining: {joined}");
        let mut distinct = got.clone();
        distinct.sort_unstable();
        distinct.dedup();
        assert!(distinct.len() > 20, "and opening: {}", distinct.len());
    }

    #[test]
    fn canonical_assignment_matches_the_clusterer() {
        let mut store = Store::open(":memory:").unwrap();
        check_like_the_clusterer(&mut store);
    }

    #[test]
    fn canonical_assignment_matches_the_clusterer_on_postgres() {
        let Some(db) = pg::TestDb::create() else {
            return;
        };
        let mut store = Store::open(&db.url).unwrap();
        check_like_the_clusterer(&mut store);
    }

    /// GDELT's AvgTone: every article's tone is stored, and an event carries the mean tone of
    /// the articles reporting its canonical event, syndicated copies included.
    fn check_tone(store: &mut Store) {
        let mut docs = strike_reports();
        for d in &mut docs {
            d.tone = Some(wirecoder_code::tone_of(&d.text, None));
        }
        let tone = |i: usize| docs[i].tone.expect("measured").tone;
        // A strike that kills reads negative; the restraint report does not.
        assert!(tone(0) < 0.0 && tone(1) < 0.0, "{} {}", tone(0), tone(1));
        assert!(tone(3) > tone(0), "{} {}", tone(3), tone(0));
        let near = |a: Option<f64>, b: f64| a.is_some_and(|a| (a - b).abs() < 1e-9);

        store.insert_batch(&docs[..2]).unwrap();
        let all = store.events(&EventFilter::default()).unwrap();
        let two = (tone(0) + tone(1)) / 2.0;
        assert!(near(all[0].avg_tone, two), "{:?} vs {two}", all[0].avg_tone);
        assert_eq!(all[0].avg_tone, all[1].avg_tone);

        store.insert_batch(&docs[2..]).unwrap();
        let all = store.events(&EventFilter::default()).unwrap();
        let three = (tone(0) + tone(1) + tone(2)) / 3.0;
        assert!(
            near(all[0].avg_tone, three),
            "{:?} vs {three}",
            all[0].avg_tone
        );
        assert!(near(all[2].avg_tone, tone(3)), "{:?}", all[2].avg_tone);

        // The GDELT export fills the AvgTone column with it.
        let mut out = Vec::new();
        store
            .export(
                &EventFilter::default(),
                wirecoder_store::ExportFormat::Gdelt,
                &mut out,
            )
            .unwrap();
        let col = wirecoder_store::GDELT_EVENT_COLUMNS
            .iter()
            .position(|c| *c == "AvgTone")
            .unwrap();
        let tsv = String::from_utf8(out).unwrap();
        let avg: Vec<f64> = tsv
            .lines()
            .map(|l| l.split('\t').nth(col).unwrap().parse().unwrap())
            .collect();
        assert_eq!(avg.len(), 3);
        assert!(
            near(Some(avg[0]), three) && near(Some(avg[2]), tone(3)),
            "{avg:?}"
        );
    }

    #[test]
    fn events_carry_the_mean_tone_of_their_reports() {
        let mut store = Store::open(":memory:").unwrap();
        check_tone(&mut store);
    }

    #[test]
    fn events_carry_the_mean_tone_of_their_reports_on_postgres() {
        let Some(db) = pg::TestDb::create() else {
            return;
        };
        let mut store = Store::open(&db.url).unwrap();
        check_tone(&mut store);
    }

    #[test]
    fn without_linking_every_article_is_coded() {
        let mut store = Store::open(":memory:").unwrap();
        store.set_link_duplicates(false);
        let mut docs = strike_reports();
        let mut coded = docs[0].clone();
        coded.meta.url = Some("https://www.msn.com/strike".into());
        docs.push(coded);
        store.insert_batch(&docs).unwrap();
        let all = store.events(&EventFilter::default()).unwrap();
        assert_eq!(all.len(), 4);
        assert_eq!(counts(&all[0]), (3, 3, 3));
    }

    /// Twelve happenings (distinct dyads), each reported by four sites in different words,
    /// plus a syndicated copy of each first report.
    fn overlapping_corpus() -> Vec<Doc> {
        const PAIRS: [(&str, &str); 12] = [
            ("RUS", "UKR"),
            ("USA", "CHN"),
            ("ISR", "PSE"),
            ("IND", "PAK"),
            ("FRA", "DEU"),
            ("GBR", "IRL"),
            ("JPN", "KOR"),
            ("TUR", "SYR"),
            ("IRN", "IRQ"),
            ("EGY", "SDN"),
            ("BRA", "ARG"),
            ("NGA", "NER"),
        ];
        const SITES: [&str; 4] = ["reuters.com", "apnews.com", "bbc.co.uk", "aljazeera.com"];
        const WORDS: [&str; 4] = [
            "accused the other of shelling border villages overnight",
            "blamed its neighbour for overnight shelling of border villages",
            "said border villages were shelled overnight by the other side",
            "charged that villages on the border came under shelling overnight",
        ];
        let mut docs = Vec::new();
        for (g, (a, b)) in PAIRS.iter().enumerate() {
            for (s, site) in SITES.iter().enumerate() {
                let text = format!(
                    "Officials of {a} on Tuesday {} in a statement about {b}, report {g}-{s} \
                     of the {site} desk.",
                    WORDS[s]
                );
                docs.push(report(
                    &format!("https://{site}/{g}/{s}"),
                    &text,
                    a,
                    b,
                    "112",
                    &format!("2024-01-{:02}", 1 + g),
                    WORDS[s],
                ));
            }
            let mut copy = docs[docs.len() - 4].clone();
            copy.meta.url = Some(format!("https://syndication.example/{g}"));
            docs.push(copy);
        }
        docs
    }

    /// What must not depend on the order or interleaving of writers: each canonical event's
    /// counts and the article URLs it gathers.
    fn canonical_shape(store: &Store) -> Vec<(u32, u32, u32, Vec<String>)> {
        let all = store.events(&EventFilter::default()).unwrap();
        let mut by: BTreeMap<i64, (u32, u32, u32)> = BTreeMap::new();
        for e in &all {
            by.insert(e.canonical_id.expect("assigned"), counts(e));
        }
        let mut out = Vec::new();
        for (id, (m, s, a)) in by {
            let c = store.canonical_event(id).unwrap().expect("stored");
            let mut urls: Vec<String> = c
                .mentions
                .iter()
                .map(|m| {
                    let doc = store.article(m.article_id).unwrap().expect("article");
                    doc.meta.url.unwrap_or_default()
                })
                .collect();
            urls.sort();
            out.push((m, s, a, urls));
        }
        out.sort();
        out
    }

    #[test]
    fn concurrent_postgres_writers_count_as_one_writer() {
        let Some(one) = pg::TestDb::create() else {
            return;
        };
        let Some(many) = pg::TestDb::create() else {
            return;
        };
        let docs = overlapping_corpus();
        let mut single = Store::open(&one.url).unwrap();
        for chunk in docs.chunks(5) {
            single.insert_batch(chunk).unwrap();
        }
        let want = canonical_shape(&single);
        assert_eq!(want.len(), 12);
        assert!(
            want.iter().all(|w| (w.0, w.1, w.2) == (5, 5, 5)),
            "{want:?}"
        );

        // Three writers, each storing the whole corpus in its own order and batches.
        drop(Store::open(&many.url).unwrap()); // migrate once before the race
        std::thread::scope(|s| {
            for w in 0..3usize {
                let (docs, url) = (&docs, &many.url);
                s.spawn(move || {
                    let mut store = Store::open(url).unwrap();
                    let mut order: Vec<&Doc> = docs.iter().collect();
                    order.rotate_left(w * 19 % docs.len());
                    if w == 1 {
                        order.reverse();
                    }
                    let order: Vec<Doc> = order.into_iter().cloned().collect();
                    for chunk in order.chunks(3 + w) {
                        store.insert_batch(chunk).unwrap();
                    }
                });
            }
        });
        let store = Store::open(&many.url).unwrap();
        assert_eq!(canonical_shape(&store), want);
        let (a, b) = (single.stats().unwrap(), store.stats().unwrap());
        assert_eq!(
            (a.articles, a.canonical_events),
            (b.articles, b.canonical_events)
        );
    }
}
