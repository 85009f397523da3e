//! Candidates that are no political event between their actors (`crates/code/src/coder/sense.rs`),
//! on sentences written for these tests: the same sentence is coded where it is political and
//! dropped where its actors are teams, companies or places.

use wirecoder_code::Pipeline;
use wirecoder_doc::Doc;

fn code(text: &str) -> Doc {
    let mut doc = Doc::new(text);
    doc.meta.published = Some("2005-02-10".into());
    Pipeline::new().expect("pipeline").annotate(&mut doc);
    doc
}

/// (source, code, target) of every event, "" for none.
fn events(doc: &Doc) -> Vec<(String, String, String)> {
    doc.events
        .iter()
        .map(|e| {
            (
                e.source.actor.clone().unwrap_or_default(),
                e.cameo.clone(),
                e.target
                    .as_ref()
                    .and_then(|t| t.actor.clone())
                    .unwrap_or_default(),
            )
        })
        .collect()
}

fn between(doc: &Doc, a: &str, b: &str) -> bool {
    events(doc).iter().any(|(s, _, t)| {
        (s.starts_with(a) && t.starts_with(b)) || (s.starts_with(b) && t.starts_with(a))
    })
}

const CLAIM: &str = "France accused England of breaking the agreement on Saturday.";

#[test]
fn a_country_accusing_a_country_is_coded() {
    let doc = code(&format!(
        "Fishing row deepens\n\n{CLAIM} Ministers met in Paris to discuss quotas."
    ));
    assert!(between(&doc, "FRA", "GBR"), "{:?}", events(&doc));
}

#[test]
fn teams_named_by_country_make_no_events_in_a_sports_report() {
    let doc = code(&format!(
        "Six Nations: France edge England\n\n\
         {CLAIM} The coach praised his squad after the match, and the players said the defeat \
         would not end their championship hopes. The referee awarded a late penalty and the \
         captain scored. Both teams now face a busy league season."
    ));
    assert!(!between(&doc, "FRA", "GBR"), "{:?}", events(&doc));
}

#[test]
fn a_country_word_before_a_company_is_not_the_state() {
    let state = code("Virus warning\n\nFinland warned Russia about the new virus on Monday.");
    let firm = code(
        "Virus warning\n\nA Finnish security firm warned Russia about the new virus on Monday.",
    );
    assert!(between(&state, "FIN", "RUS"), "{:?}", events(&state));
    assert!(!between(&firm, "FIN", "RUS"), "{:?}", events(&firm));
}

#[test]
fn a_surname_after_mr_is_not_a_country() {
    let doc = code("Sales\n\nJapan praised Mr Ireland for his work on the treaty, officials said.");
    assert!(
        !events(&doc).iter().any(|(_, _, t)| t.starts_with("IRL")),
        "{:?}",
        events(&doc)
    );
}
