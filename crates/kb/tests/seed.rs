use chrono::NaiveDate;
use std::time::Instant;
use wirecoder_kb::{Kb, Mention, MentionKind};

const SEED: &str = include_str!("../../../../shared/seed/000_b51c4bc65cb444b7.txt");

fn day(y: i32, m: u32, d: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(y, m, d)
}

fn kb() -> &'static Kb {
    Kb::shared()
}

/// Codes of every mention whose text is exactly `surface`.
fn codes_of<'a>(text: &str, ms: &'a [Mention], surface: &str) -> Vec<Option<&'a str>> {
    ms.iter()
        .filter(|m| &text[m.start..m.end] == surface)
        .map(|m| m.code.as_deref())
        .collect()
}

fn has(text: &str, ms: &[Mention], surface: &str, code: &str) {
    let got = codes_of(text, ms, surface);
    assert!(
        !got.is_empty() && got.iter().all(|c| *c == Some(code)),
        "{surface:?}: expected {code}, got {got:?}\nall: {:#?}",
        ms.iter()
            .map(|m| (&text[m.start..m.end], m.code.as_deref()))
            .collect::<Vec<_>>()
    );
}

#[test]
fn print_seed_mentions() {
    let ms = kb().mentions(SEED, day(2024, 1, 10));
    for m in &ms {
        println!(
            "{:>5} {:<28} {:?} {:?} {:?}",
            m.start,
            &SEED[m.start..m.end],
            m.kind,
            m.code,
            m.country
        );
    }
}

#[test]
fn seed_actors_on_2024_01_10() {
    let ms = kb().mentions(SEED, day(2024, 1, 10));
    for (s, c) in [
        ("United States", "USA"),
        ("US", "USA"),
        ("White House", "USAGOV"),
        ("UK", "GBR"),
        ("EU", "IGOEUREEC"),
        ("Australia", "AUS"),
        ("Germany", "DEU"),
        ("Canada", "CAN"),
        ("Russia", "RUS"),
        ("Moscow", "RUSGOV"),
        ("North Korea", "PRK"),
        ("Pyongyang", "PRKGOV"),
        ("Kim Jong Un", "PRKGOV"),
        ("Dmitry Peskov", "RUSGOV"),
        ("Ukraine", "UKR"),
        ("South Korea", "KOR"),
        ("United Nations", "IGOUNO"),
        ("senior Ukrainian official", "UKRGOV"),
        ("senior Russian officials", "RUSGOV"),
    ] {
        has(SEED, &ms, s, c);
    }
    // Putin comes with his title in the dictionary.
    assert!(ms
        .iter()
        .any(|m| SEED[m.start..m.end].ends_with("Vladimir Putin")
            && m.code.as_deref() == Some("RUSGOV")
            && m.kind == MentionKind::Person));
    // The Kremlin appears only as "Kremlin spokesman Dmitry Peskov": the person wins.
    assert!(ms.iter().any(|m| m.name == "Dmitry Peskov"));
    let kcna: Vec<_> = ms
        .iter()
        .filter(|m| SEED[m.start..m.end].contains("KCNA"))
        .collect();
    assert_eq!(kcna.len(), 1);
    assert_eq!(kcna[0].kind, MentionKind::Media);
    assert_eq!(kcna[0].code.as_deref(), Some("PRKMED"));
    assert_eq!(&SEED[kcna[0].start..kcna[0].end], "state media KCNA");
    // "Russia’s" is Russia, the possessive outside the span.
    let i = SEED.find("Russia’s acquisition").unwrap();
    assert!(ms
        .iter()
        .any(|m| m.start == i && m.end == i + "Russia".len()));
    // Not actors.
    for m in &ms {
        let t = &SEED[m.start..m.end];
        assert!(!t.contains("partner"), "{t}");
        assert!(!t.eq_ignore_ascii_case("us") || t == "US", "{t}");
    }
    let kremlin = SEED.find("Kremlin spokesman").unwrap();
    assert!(!ms
        .iter()
        .any(|m| m.start <= kremlin && kremlin < m.end && m.code.as_deref() != Some("RUSGOV")));
}

#[test]
fn roles_depend_on_the_date() {
    let t = "Kim Jong Un met Joe Biden and Donald Trump.";
    let on = |d| kb().mentions(t, d);
    let ms = on(day(2024, 1, 10));
    assert_eq!(codes_of(t, &ms, "Kim Jong Un"), vec![Some("PRKGOV")]);
    assert_eq!(codes_of(t, &ms, "Joe Biden"), vec![Some("USAGOV")]);
    assert_eq!(codes_of(t, &ms, "Donald Trump"), vec![Some("USAELI")]);
    let ms = on(day(2005, 1, 1));
    assert_ne!(codes_of(t, &ms, "Kim Jong Un"), vec![Some("PRKGOV")]);
    let ms = on(day(2025, 6, 1));
    assert_eq!(codes_of(t, &ms, "Donald Trump"), vec![Some("USAGOV")]);
    assert_eq!(codes_of(t, &ms, "Joe Biden"), vec![Some("USAELI")]);
    let ms = on(day(2019, 1, 1));
    assert_eq!(codes_of(t, &ms, "Donald Trump"), vec![Some("USAGOV")]);
    let ms = on(None);
    assert_eq!(codes_of(t, &ms, "Donald Trump"), vec![Some("USAGOV")]);
}

#[test]
fn officials_table() {
    let d = day(2024, 6, 1);
    let t = "Volodymyr Zelensky, Sergei Lavrov, Antony Blinken, Xi Jinping, Yoon Suk Yeol and António Guterres spoke.";
    let ms = kb().mentions(t, d);
    for (s, c) in [
        ("Volodymyr Zelensky", "UKRGOV"),
        ("Sergei Lavrov", "RUSGOV"),
        ("Antony Blinken", "USAGOV"),
        ("Xi Jinping", "CHNGOV"),
        ("Yoon Suk Yeol", "KORGOV"),
        ("António Guterres", "IGOUNO"),
    ] {
        has(t, &ms, s, c);
    }
    let t = "President Lee Jae-myung met Zelensky in Seoul.";
    let ms = kb().mentions(t, day(2025, 7, 1));
    assert!(ms
        .iter()
        .any(|m| m.name == "Lee Jae-myung" && m.code.as_deref() == Some("KORGOV")));
    has(t, &ms, "Zelensky", "UKRGOV");
    let ms = kb().mentions("Zelensky spoke.", day(2018, 1, 1));
    assert_ne!(ms[0].code.as_deref(), Some("UKRGOV"));
}

#[test]
fn capitals_metonyms_and_case_rules() {
    let d = day(2024, 3, 1);
    let t = "Washington and Downing Street warned the Elysee, while Beijing kept quiet.";
    let ms = kb().mentions(t, d);
    has(t, &ms, "Washington", "USAGOV");
    has(t, &ms, "Downing Street", "GBRGOV");
    has(t, &ms, "Elysee", "FRAGOV");
    has(t, &ms, "Beijing", "CHNGOV");
    // Lower-case words and "us" are not names.
    let t = "Give us the turkey, said the chad maker to us.";
    assert!(kb().mentions(t, d).is_empty(), "{:?}", kb().mentions(t, d));
    // "the United States" and "United States" both match.
    let t = "the United States said. United States officials said.";
    let ms = kb().mentions(t, d);
    assert_eq!(ms.len(), 2, "{ms:?}");
    assert_eq!(ms[1].code.as_deref(), Some("USAGOV"));
}

#[test]
fn composed_agents() {
    let d = day(2024, 1, 10);
    let t = "Russian troops shelled the city; Ukrainian police said North Korean leader spoke. Kremlin spokesman said no.";
    let ms = kb().mentions(t, d);
    has(t, &ms, "Russian troops", "RUSMIL");
    has(t, &ms, "Ukrainian police", "UKRCOP");
    has(t, &ms, "North Korean leader", "PRKGOV");
    has(t, &ms, "Kremlin spokesman", "RUSGOV");
    assert_eq!(kb().agent("officials"), Some("GOV"));
    assert_eq!(kb().agent("Troops"), Some("MIL"));
    assert_eq!(kb().agent("rebels"), Some("REB"));
    assert_eq!(kb().agent("spokesman"), Some("GOV"));
}

#[test]
fn places_and_tables() {
    let kharkiv = kb().place("Kharkiv").expect("Kharkiv");
    assert_eq!(kharkiv.country.as_deref(), Some("UKR"));
    let t = "Russia launched a series of missile strikes on Kharkiv.";
    let ms = kb().mentions(t, day(2024, 1, 10));
    let k = ms
        .iter()
        .find(|m| &t[m.start..m.end] == "Kharkiv")
        .expect("Kharkiv mention");
    assert_eq!(k.kind, MentionKind::Place);
    assert_eq!(k.country.as_deref(), Some("UKR"));
    let prk = kb().country("PRK").unwrap();
    assert_eq!(prk.capital(), Some("Pyongyang"));
    assert_eq!(prk.iso2, "KP");
    assert_eq!(prk.fips.as_deref(), Some("KN"));
    assert_eq!(kb().country("KSV").map(|c| c.name.as_str()), Some("Kosovo"));
    let c = kb().cameo("111").unwrap();
    assert_eq!(c.goldstein, -3.5);
    assert_eq!(c.quad_class, 3);
    assert_eq!(c.plover.as_deref(), Some("ACCUSE"));
    assert_eq!(c.plover_mode.as_deref(), Some("disapprove"));
    let c = kb().cameo("195").unwrap();
    assert_eq!(
        (c.plover.as_deref(), c.plover_mode.as_deref()),
        (Some("ASSAULT"), Some("aerial"))
    );
    assert_eq!(
        kb().cameo("042").unwrap().plover_mode.as_deref(),
        Some("visit")
    );
    assert!(kb().cameo("999").is_none());
}

#[test]
fn load_time() {
    let t = Instant::now();
    let kb = Kb::load().expect("load");
    let load = t.elapsed();
    // The gazetteer is built on a background thread; the first place lookup waits for it.
    assert!(kb.gazetteer_error().is_none());
    println!(
        "Kb::load: {:?} (gazetteer ready at {:?}), {} patterns, {} skipped",
        load,
        t.elapsed(),
        kb.pattern_count(),
        kb.skipped()
    );
}

#[test]
fn shared_loads() {
    assert!(Kb::shared_error().is_none());
    assert!(Kb::shared().pattern_count() > 30_000);
}
