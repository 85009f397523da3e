//! The founding example: what wirecoder must get out of the seed page (`../shared/seed`).

use wirecoder_code::Pipeline;
use wirecoder_doc::Doc;

fn seed_doc(published: Option<&str>) -> Option<Doc> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/seed/000_b51c4bc65cb444b7.txt"
    );
    let Ok(text) = std::fs::read_to_string(path) else {
        eprintln!("skipped: {path} is not there");
        return None;
    };
    let a = wirecoder_extract::extract_text_page(&text);
    let mut doc = Doc {
        meta: a.meta,
        text: a.text,
        headings: a.headings,
        stories: a.stories,
        ..Doc::default()
    };
    doc.meta.published = published.map(str::to_string);
    Pipeline::new().expect("pipeline").annotate(&mut doc);
    Some(doc)
}

fn show(doc: &Doc) -> String {
    doc.events
        .iter()
        .map(|e| {
            format!(
                "{} {} {} [{}] {} {:?} | {}\n",
                e.source.actor.as_deref().unwrap_or("-"),
                e.cameo,
                e.target
                    .as_ref()
                    .and_then(|t| t.actor.as_deref())
                    .unwrap_or("-"),
                e.modality.as_str(),
                e.date.as_deref().unwrap_or("-"),
                (e.killed, e.injured, e.weapon.as_deref()),
                doc.slice(e.evidence)
            )
        })
        .collect()
}

#[test]
fn seed_events_print() {
    let Some(doc) = seed_doc(Some("2024-01-10")) else {
        return;
    };
    println!("{}", show(&doc));
    for q in &doc.quotes {
        println!(
            "QUOTE {:?} by {:?}",
            doc.slice(q.span),
            q.speaker.as_ref().map(|s| (&s.text, &s.actor))
        );
    }
    for e in &doc.entities {
        println!("ENT {:?} {:?} {:?}", doc.slice(e.span), e.kind, e.actor);
    }
    for d in &doc.dates {
        println!("DATE {:?} {:?}", doc.slice(d.span), d.value);
    }
}

/// Whether a produced actor code matches an expected one: equal, or one refines the other
/// (RUSGOV ⊂ RUS): the actor hierarchy of CAMEO codes.
fn actor_match(got: Option<&str>, want: Option<&str>) -> bool {
    match (got, want) {
        (None, None) => true,
        (Some(g), Some(w)) => g.starts_with(w) || w.starts_with(g),
        _ => false,
    }
}

fn has(doc: &Doc, src: &str, tgt: Option<&str>, root: &str) -> bool {
    doc.events.iter().any(|e| {
        actor_match(e.source.actor.as_deref(), Some(src))
            && actor_match(e.target.as_ref().and_then(|t| t.actor.as_deref()), tgt)
            && e.cameo.starts_with(root)
    })
}

/// The twelve events of EXPECTED.md as (source, target, CAMEO root); a multi-actor row is met by
/// any one of its actors.
const EXPECTED: &[(&[&str], Option<&str>, &str)] = &[
    (
        &["USA", "GBR", "IGOEUREEC", "AUS", "DEU", "CAN"],
        Some("RUS"),
        "11",
    ),
    (&["PRK"], Some("RUS"), "07"),
    (&["RUS"], Some("UKR"), "19"),
    (&["RUS", "PRK"], None, "01"),
    (&["PRKGOV"], Some("RUSGOV"), "04"),
    (&["RUSGOV"], Some("PRK"), "04"),
    (&["USAGOV"], Some("RUS"), "11"),
    (&["UKRGOV"], Some("RUS"), "11"),
    (&["RUSGOV"], None, "01"),
    (&["PRKGOV"], Some("KOR"), "11"),
    (&["RUS"], Some("UKR"), "19"),
    (&["IGOUNO"], Some("PRK"), "16"),
];

#[test]
fn seed_yields_at_least_nine_of_twelve_events() {
    let Some(doc) = seed_doc(Some("2024-01-10")) else {
        return;
    };
    let found: Vec<usize> = EXPECTED
        .iter()
        .enumerate()
        .filter(|(_, (srcs, tgt, root))| srcs.iter().any(|s| has(&doc, s, *tgt, root)))
        .map(|(i, _)| i + 1)
        .collect();
    println!("found events {found:?} of 12\n{}", show(&doc));
    assert!(found.len() >= 9, "only {found:?} of the 12 expected events");
    // Specific shapes that must hold.
    assert!(has(&doc, "RUSGOV", None, "011"), "Peskov's no comment");
    assert!(
        has(&doc, "RUS", None, "016") && has(&doc, "PRK", None, "016"),
        "both deny"
    );
    let kharkiv = doc
        .events
        .iter()
        .find(|e| e.cameo == "195" && doc.slice(e.evidence).contains("Kharkiv"))
        .expect("Kharkiv strike");
    assert_eq!((kharkiv.killed, kharkiv.injured), (Some(2), Some(60)));
    assert_eq!(kharkiv.date.as_deref(), Some("2024-W01"));
    // The denial does not become an arms deal asserted by the deniers.
    assert!(!doc
        .events
        .iter()
        .any(|e| e.modality.as_str() == "asserted" && e.cameo.starts_with("07")));
}

#[test]
fn seed_cleaning_stories_quotes_and_dates() {
    let Some(doc) = seed_doc(Some("2024-01-10")) else {
        return;
    };
    for junk in [
        "Leave a Comment",
        "Your email address",
        "Content is protected",
        "Scroll to Top",
    ] {
        assert!(!doc.text.contains(junk), "{junk} left in the text");
    }
    assert_eq!(doc.stories.len(), 2);
    assert_eq!(
        doc.stories[1].title.as_deref(),
        Some("North Korea Chief Consider South Korea as Most Hostile State")
    );
    assert!(!doc
        .sentences
        .iter()
        .any(|s| doc.slice(*s).starts_with("Important Quotes")));
    let quotes: Vec<(&str, Option<&str>)> = doc
        .quotes
        .iter()
        .map(|q| {
            (
                doc.slice(q.span),
                q.speaker.as_ref().and_then(|s| s.actor.as_deref()),
            )
        })
        .collect();
    assert!(
        quotes.contains(&("No comment.", Some("RUSGOV"))),
        "{quotes:?}"
    );
    assert!(
        quotes.contains(&("most hostile", Some("PRKGOV"))),
        "{quotes:?}"
    );
    let dates: Vec<(&str, Option<&str>)> = doc
        .dates
        .iter()
        .map(|d| (doc.slice(d.span), d.value.as_deref()))
        .collect();
    for want in [
        ("Tuesday", "2024-01-09"),
        ("Wednesday", "2024-01-10"),
        ("last September", "2023-09"),
        ("December 30", "2023-12-30"),
        ("January 2", "2024-01-02"),
        ("February 2022", "2022-02"),
        ("2006", "2006"),
    ] {
        assert!(
            dates.contains(&(want.0, Some(want.1))),
            "{want:?} not in {dates:?}"
        );
    }
}

#[test]
fn seed_without_a_date_infers_one() {
    let Some(doc) = seed_doc(None) else { return };
    assert!(doc.meta.published_inferred);
    let p = doc.meta.published.clone().unwrap_or_default();
    assert!(p.as_str() >= "2024-01-02", "inferred {p}");
}
