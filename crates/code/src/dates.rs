//! Temporal expressions: find them and normalize them against the document date.
//!
//! Values follow TIMEX3: `2024-01-09` (day), `2023-09` (month), `2024-W01` (week), `2006` (year).
//! An expression that needs an anchor and has none gets no value, never an invented one.

use chrono::NaiveDate;
use wirecoder_doc::{DateMention, Span};

use crate::timex::{find_timexes, TimexKind};

/// Dates and times in `text[span]`, normalized against `anchor` where they need one
/// (durations and sets are left out: they are not points in time).
pub fn find_dates(text: &str, span: Span, anchor: Option<NaiveDate>) -> Vec<DateMention> {
    find_timexes(text, span.start, span.end, anchor)
        .into_iter()
        .filter(|t| matches!(t.kind, TimexKind::Date | TimexKind::Time))
        .map(|t| DateMention {
            span: Span::new(t.start, t.end),
            value: t.value,
        })
        .collect()
}

/// The publication date a page most likely had: the latest fully specified date in its text
/// (not after `today`), else the latest month, else the latest year.
pub fn infer_published(text: &str, today: NaiveDate) -> Option<NaiveDate> {
    latest_date(&find_dates(text, Span::new(0, text.len()), None), today)
}

/// [`infer_published`] read sentence by sentence: only a sentence with four digits or more
/// can hold a date with its year (an expression without one has no value without an anchor),
/// so the others are not searched. The same dates as the whole-text pass unless an
/// expression straddles a sentence boundary; several times cheaper on long texts.
pub fn infer_published_in(text: &str, sentences: &[Span], today: NaiveDate) -> Option<NaiveDate> {
    let mut all = Vec::new();
    for &s in sentences {
        let Some(t) = text.get(s.start..s.end) else {
            continue;
        };
        if t.bytes().filter(u8::is_ascii_digit).count() >= 4 {
            all.extend(find_dates(text, s, None));
        }
    }
    latest_date(&all, today)
}

fn latest_date(all: &[DateMention], today: NaiveDate) -> Option<NaiveDate> {
    let mut best: Option<NaiveDate> = None;
    let mut best_month: Option<NaiveDate> = None;
    for d in all {
        let Some(v) = &d.value else { continue };
        if let Ok(x) = NaiveDate::parse_from_str(v, "%Y-%m-%d") {
            if x <= today && best.is_none_or(|b| x > b) {
                best = Some(x);
            }
        } else if let Ok(x) = NaiveDate::parse_from_str(&format!("{v}-01"), "%Y-%m-%d") {
            if x <= today && best_month.is_none_or(|b| x > b) {
                best_month = Some(x);
            }
        }
    }
    best.or(best_month)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn norm(t: &str) -> Vec<(String, Option<String>)> {
        let a = NaiveDate::from_ymd_opt(2024, 1, 10);
        find_dates(t, Span::new(0, t.len()), a)
            .into_iter()
            .map(|d| (t[d.span.start..d.span.end].to_string(), d.value))
            .collect()
    }

    #[test]
    fn seed_expressions() {
        let v = |s: &str| {
            norm(s)
                .into_iter()
                .map(|x| x.1.unwrap_or_default())
                .collect::<Vec<_>>()
        };
        assert_eq!(v("a statement issued on Tuesday"), ["2024-01-09"]);
        assert_eq!(v("reported by KCNA on Wednesday"), ["2024-01-10"]);
        assert_eq!(v("met in the Far East last September"), ["2023-09"]);
        assert_eq!(
            v("against Ukraine on December 30 and January 2."),
            ["2023-12-30", "2024-01-02"]
        );
        assert_eq!(v("Last week, Russia launched"), ["2024-W01"]);
        assert_eq!(v("the conflict in February 2022"), ["2022-02"]);
        assert_eq!(v("since its initial nuclear bomb test in 2006"), ["2006"]);
        assert_eq!(
            v("on December 30, 2023, and January 2, 2024"),
            ["2023-12-30", "2024-01-02"]
        );
    }

    #[test]
    fn other_relative_expressions() {
        let v = |s: &str| {
            norm(s)
                .into_iter()
                .map(|x| x.1.unwrap_or_default())
                .collect::<Vec<_>>()
        };
        assert_eq!(v("two days ago"), ["2024-01-08"]);
        assert_eq!(v("said yesterday"), ["2024-01-09"]);
        assert_eq!(v("on 5 March 2021"), ["2021-03-05"]);
        assert_eq!(v("last month"), ["2023-12"]);
        assert_eq!(v("next Friday"), ["2024-01-12"]);
    }

    #[test]
    fn infers_by_sentence_without_crossing_paragraphs() {
        let today = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
        let spans = |t: &str| wirecoder_syntax::sentences(t, &[]);
        let t = "Talks ended on December 30, 2023. They resume in March. In 2006 it tested.";
        assert_eq!(
            infer_published_in(t, &spans(t), today),
            infer_published(t, today)
        );
        // A fixture line, then a kick-off time: `2000 GMT` is no year of the date above it.
        let t = "Friday, 25 February\n\n2000 GMT\n\nThe hosts won 3-1 in the 2004 final.";
        assert_eq!(
            infer_published(t, today),
            NaiveDate::from_ymd_opt(2000, 2, 25)
        );
        assert_eq!(infer_published_in(t, &spans(t), today), None);
    }

    #[test]
    fn infers_latest_absolute_date() {
        let t = "in attacks on December 30, 2023, and January 2, 2024. In 2006 it tested.";
        let today = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
        assert_eq!(
            infer_published(t, today),
            NaiveDate::from_ymd_opt(2024, 1, 2)
        );
    }
}
