//! Gazetteer: coordinates, disambiguation in context, no common words taken for places.

use wirecoder_kb::{distance_km, Kb, MentionKind};

fn places(text: &str) -> Vec<(String, String, f64, f64)> {
    Kb::shared()
        .mentions(text, None)
        .into_iter()
        .filter_map(|m| {
            let p = m.place?;
            Some((
                text[m.start..m.end].to_string(),
                p.country.unwrap_or_default(),
                p.lat?,
                p.lon?,
            ))
        })
        .collect()
}

#[test]
fn kharkiv_has_coordinates() {
    let t = "Russia launched a series of missile strikes on Kharkiv.";
    let ps = places(t);
    let k = ps.iter().find(|p| p.0 == "Kharkiv").expect("Kharkiv");
    assert_eq!(k.1, "UKR");
    assert!(distance_km(k.2, k.3, 49.98, 36.25) < 10.0, "{k:?}");
    let ms = Kb::shared().mentions(t, None);
    assert!(ms
        .iter()
        .any(|m| m.kind == MentionKind::Place && m.code.as_deref() == Some("UKR")));
}

#[test]
fn gazetteer_finds_cities_the_dictionaries_lack() {
    let ps = places("Flooding hit Bakersfield and Fresno on Tuesday.");
    assert!(
        ps.iter().any(|p| p.0 == "Bakersfield" && p.1 == "USA"),
        "{ps:?}"
    );
    assert!(ps.iter().any(|p| p.0 == "Fresno" && p.1 == "USA"), "{ps:?}");
}

#[test]
fn paris_france_or_texas() {
    let ps = places("The summit opened in Paris on Monday.");
    let p = ps.iter().find(|p| p.0 == "Paris").expect("Paris");
    assert_eq!(p.1, "FRA", "{ps:?}");
    let ps = places("A tornado struck Paris, Texas, overnight.");
    let p = ps.iter().find(|p| p.0 == "Paris").expect("Paris");
    assert_eq!(p.1, "USA", "{ps:?}");
    assert!(distance_km(p.2, p.3, 33.66, -95.55) < 20.0, "{p:?}");
}

#[test]
fn common_words_and_names_are_not_places() {
    for t in [
        "Of the 20 people, most were freed.",
        "Reading the report, she said the split was final.",
        "Mobile phone networks went down. Nice work, he said.",
        "Florence Nightingale was a nurse, said Jackson Browne.",
        "Bath salts were seized.",
    ] {
        let ps = places(t);
        assert!(ps.is_empty(), "{t}: {ps:?}");
    }
}

#[test]
fn countries_carry_points() {
    let kb = Kb::shared();
    let p = kb.country_place("UKR").expect("Ukraine");
    assert!(distance_km(p.lat.unwrap_or(0.0), p.lon.unwrap_or(0.0), 49.0, 32.0) < 300.0);
    assert_eq!(
        kb.gazetteer("Kharkov")
            .first()
            .and_then(|p| p.country.clone())
            .as_deref(),
        Some("UKR")
    );
}

#[test]
fn seas_regions_and_continent_adjectives() {
    let t = "Refugees crossed the Mediterranean from Darfur; Europe’s leaders met as European \
             ministers flew over the Middle East.";
    let ps = places(t);
    for name in [
        "Mediterranean",
        "Darfur",
        "Europe",
        "European",
        "Middle East",
    ] {
        assert!(ps.iter().any(|p| p.0 == name), "{name}: {ps:?}");
    }
    let d = ps.iter().find(|p| p.0 == "Darfur").expect("Darfur");
    assert_eq!(d.1, "SDN");
}

#[test]
fn eu_keeps_its_actor_code_and_gains_a_place() {
    let t = "Sweden is the ninth country in the EU to confirm the virus.";
    let ms = Kb::shared().mentions(t, None);
    let eu = ms.iter().find(|m| &t[m.start..m.end] == "EU").expect("EU");
    assert_eq!(eu.code.as_deref(), Some("IGOEUREEC"));
    let p = eu
        .place
        .as_ref()
        .and_then(|p| p.lat.zip(p.lon))
        .expect("EU place");
    assert!(distance_km(p.0, p.1, 48.69, 9.14) < 50.0, "{p:?}");
}

#[test]
fn state_abbreviations_count_only_in_capitals() {
    let ps = places("Restrictions were placed on horses in NSW after cases near Sydney.");
    assert!(ps.iter().any(|p| p.0 == "NSW" && p.1 == "AUS"), "{ps:?}");
    let ps = places("The fossil is 3,000 years old, from about 1000 Bc.");
    assert!(ps.iter().all(|p| p.0 != "Bc"), "{ps:?}");
}

#[test]
fn georgia_and_washington_in_us_context() {
    // A story about US states: Georgia is the state.
    let t = "Cases rose in Texas and Alabama; Georgia reported 40 more, and Atlanta \
             hospitals were full.";
    let ps = places(t);
    let g = ps.iter().find(|p| p.0 == "Georgia").expect("Georgia");
    assert_eq!(g.1, "USA", "{ps:?}");
    // With Tbilisi named, the country.
    let t = "Russian troops stayed in Georgia, officials in Tbilisi said.";
    let ps = places(t);
    let g = ps.iter().find(|p| p.0 == "Georgia").expect("Georgia");
    assert_eq!(g.1, "GEO", "{ps:?}");
    // Washington is the capital unless the text says state.
    let ps = places("The talks in Washington ended on Friday.");
    let w = ps.iter().find(|p| p.0 == "Washington").expect("Washington");
    assert!(distance_km(w.2, w.3, 38.9, -77.04) < 30.0, "{w:?}");
    let ps = places("The cow came from a Washington state farm.");
    let w = ps.iter().find(|p| p.0 == "Washington").expect("Washington");
    assert!(distance_km(w.2, w.3, 47.5, -120.5) < 200.0, "{w:?}");
}
