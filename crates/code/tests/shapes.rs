//! Fresh sentences of the seed's shapes (written for these tests, not taken from the seed):
//! the coder must handle the construction, not the example.

use wirecoder_code::Pipeline;
use wirecoder_doc::{Doc, Modality};

fn code(text: &str) -> Doc {
    let mut doc = Doc::new(text);
    doc.meta.published = Some("2024-03-15".into());
    Pipeline::new().expect("pipeline").annotate(&mut doc);
    doc
}

fn events(doc: &Doc) -> Vec<(String, String, String, Modality)> {
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
                e.modality,
            )
        })
        .collect()
}

/// An event with a source starting with `src`, a target starting with `tgt` ("" = none) and a
/// code starting with `code`.
fn has(doc: &Doc, src: &str, code: &str, tgt: &str) -> bool {
    events(doc).iter().any(|(s, c, t, _)| {
        s.starts_with(src)
            && c.starts_with(code)
            && (if tgt.is_empty() {
                t.is_empty()
            } else {
                t.starts_with(tgt)
            })
    })
}

macro_rules! assert_event {
    ($doc:expr, $src:expr, $code:expr, $tgt:expr) => {
        assert!(
            has(&$doc, $src, $code, $tgt),
            "want {} {} {} in {:?} for {:?}",
            $src,
            $code,
            $tgt,
            events(&$doc),
            $doc.text
        );
    };
}

#[test]
fn compound_subject_criticizes() {
    let d =
        code("France, Italy and Japan strongly condemned Iran's seizure of the tanker on Monday.");
    for s in ["FRA", "ITA", "JPN"] {
        assert_event!(d, s, "11", "IRN");
    }
    assert_eq!(d.events[0].date.as_deref(), Some("2024-03-11"));
}

#[test]
fn joint_statement_is_the_source_of_later_sentences() {
    let d = code("In a joint statement issued on Tuesday, Poland and Lithuania expressed strong disapproval of military drills by Belarus. The statement also denounced Russia's support for them.");
    assert_event!(d, "POL", "11", "BLR");
    assert_event!(d, "LTU", "11", "BLR");
    assert_event!(d, "POL", "11", "RUS");
}

#[test]
fn apposition_and_declining_comment() {
    let d = code(
        "Asked about the report, German Chancellor Olaf Scholz replied with a curt “No comment.”",
    );
    assert_event!(d, "DEU", "011", "");
    let q = &d.quotes[0];
    assert_eq!(
        q.speaker
            .as_ref()
            .and_then(|s| s.actor.as_deref())
            .map(|a| &a[..3]),
        Some("DEU")
    );
}

#[test]
fn reported_speech_is_an_accusation_and_the_report_is_alleged() {
    let d = code("The Pentagon said that Russia had used drones obtained from Iran to carry out attacks on Ukraine.");
    assert_event!(d, "USA", "112", "RUS");
    let alleged = |src: &str, code: &str, tgt: &str| {
        events(&d).iter().any(|(s, c, t, m)| {
            s.starts_with(src)
                && c.starts_with(code)
                && t.starts_with(tgt)
                && *m == Modality::Alleged
        })
    };
    assert!(alleged("RUS", "19", "UKR"), "{:?}", events(&d));
    assert!(alleged("IRN", "07", "RUS"), "{:?}", events(&d));
}

#[test]
fn denial_is_the_event_not_the_deal() {
    let d = code(
        "Despite both Tehran and Moscow denying any drone deliveries, their ties have deepened.",
    );
    assert_event!(d, "IRN", "016", "");
    assert_event!(d, "RUS", "016", "");
    assert!(
        !events(&d)
            .iter()
            .any(|(_, c, _, m)| c.starts_with("07") && *m == Modality::Asserted),
        "{:?}",
        events(&d)
    );
}

#[test]
fn passive_voice_swaps_roles() {
    let d = code("Ukraine was attacked by Russia with ballistic missiles on Monday.");
    assert_event!(d, "RUS", "19", "UKR");
}

#[test]
fn talks_and_visits() {
    let d = code("Turkish President Recep Tayyip Erdogan held talks with Vladimir Putin in Sochi last September. There have been several visits by senior Japanese officials to Seoul.");
    assert_event!(d, "TUR", "04", "RUS");
    assert_event!(d, "JPN", "042", "KOR");
}

#[test]
fn strikes_with_casualties_and_weapon() {
    let d = code("Last week, Russia launched a wave of drone strikes on Kyiv, killing three people and injuring at least 20.");
    assert_event!(d, "RUS", "195", "UKR");
    let e = d.events.iter().find(|e| e.cameo == "195").expect("strike");
    assert_eq!(
        (e.killed, e.injured, e.weapon.as_deref()),
        (Some(3), Some(20), Some("drone"))
    );
    assert_eq!(e.date.as_deref(), Some("2024-W10"));
}

#[test]
fn sanctions_regime() {
    let d = code("Iran has been subject to United Nations sanctions since 2006.");
    assert_event!(d, "IGOUNO", "163", "IRN");
}

#[test]
fn characterisation_as_hostile() {
    let d = code("Iranian President Ebrahim Raisi said it was right to describe Israel as the main enemy of the region.");
    assert_event!(d, "IRN", "111", "ISR");
}

#[test]
fn corroboration_repeats_the_accusation() {
    let d = code("The White House accused Iran of arming Houthi rebels. A senior Saudi official confirmed the accusation.");
    assert_event!(d, "USA", "112", "IRN");
    assert_event!(d, "SAU", "112", "IRN");
}

#[test]
fn intent_and_refusal_are_coded_as_cameo_does() {
    // An announced act is an intent (03x), a refused one a rejection (12x); a plain negation
    // keeps its code and says so.
    let d = code("China will not send weapons to Russia. Germany will send tanks to Ukraine next month. Syria refused to withdraw its troops from Lebanon. Russia did not attack Ukraine.");
    assert_event!(d, "CHN", "12", "RUS");
    assert_event!(d, "DEU", "033", "UKR");
    assert_event!(d, "SYR", "12", "LBN");
    assert!(
        events(&d).iter().any(|(s, c, t, m)| s.starts_with("RUS")
            && c.starts_with("19")
            && t.starts_with("UKR")
            && *m == Modality::Negated),
        "{:?}",
        events(&d)
    );
}

#[test]
fn no_events_from_furniture_or_hedges() {
    let d = code(
        "It's worth noting that the two countries have moved closer together. Leave a Comment",
    );
    assert!(d.events.is_empty(), "{:?}", events(&d));
}
