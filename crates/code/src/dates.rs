//! Temporal expressions: find them and normalize them against the document date.
//!
//! Values follow TIMEX3: `2024-01-09` (day), `2023-09` (month), `2024-W01` (week), `2006` (year).
//! An expression that needs an anchor and has none gets no value, never an invented one.

use chrono::{Datelike, Duration, NaiveDate, Weekday};
use once_cell::sync::Lazy;
use regex::Regex;
use wirecoder_doc::{DateMention, Span};

const MONTHS: &str = "January|February|March|April|May|June|July|August|September|October|November|December|Jan\\.?|Feb\\.?|Mar\\.?|Apr\\.?|Jun\\.?|Jul\\.?|Aug\\.?|Sept?\\.?|Oct\\.?|Nov\\.?|Dec\\.?";
const WEEKDAYS: &str = "Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday";

static DATE_RE: Lazy<Regex> = Lazy::new(|| {
    let p = format!(
        r"(?x)
        \b(?P<iso>(?:19|20)\d\d-[01]\d-[0-3]\d)\b
      | \b(?P<md_m>{m})\s+(?P<md_d>[0-3]?\d)(?:st|nd|rd|th)?\b(?:,?\s+(?P<md_y>(?:19|20)\d\d)\b)?
      | \b(?P<dm_d>[0-3]?\d)(?:st|nd|rd|th)?\s+(?P<dm_m>{m})(?:,?\s+(?P<dm_y>(?:19|20)\d\d)\b)?
      | \b(?:(?:in|since|by|until|from)\s+)?(?P<my_m>{m})\s+(?P<my_y>(?:19|20)\d\d)\b
      | \b(?P<rel>(?i:last|next|this|past|coming))\s+(?P<rel_u>(?i:week|month|year|weekend)|{m}|{w})\b
      | \b(?:on\s+)?(?P<wd>{w})\b
      | \b(?P<ago_n>(?i:\d+|one|two|three|four|five|six|seven|eight|nine|ten|a|several))\s+(?P<ago_u>day|week|month|year)s?\s+ago\b
      | \b(?P<deic>(?i:yesterday|today|tomorrow|tonight))\b
      | \b(?:in|since|by|until|before|after|from|of)\s+(?P<year>(?:19|20)\d\d)\b
      | \b(?:in|since|last|this)\s+(?P<mo>{m})\b
    ",
        m = MONTHS,
        w = WEEKDAYS
    );
    Regex::new(&p).expect("static date regex")
});

fn month_num(s: &str) -> Option<u32> {
    let s = s.trim_end_matches('.').to_lowercase();
    let n = match s.get(..3)? {
        "jan" => 1,
        "feb" => 2,
        "mar" => 3,
        "apr" => 4,
        "may" => 5,
        "jun" => 6,
        "jul" => 7,
        "aug" => 8,
        "sep" => 9,
        "oct" => 10,
        "nov" => 11,
        "dec" => 12,
        _ => return None,
    };
    Some(n)
}

fn weekday(s: &str) -> Option<Weekday> {
    s.parse::<Weekday>().ok()
}

fn small_num(s: &str) -> Option<i64> {
    Some(match s.to_lowercase().as_str() {
        "a" | "one" => 1,
        "two" => 2,
        "three" => 3,
        "four" => 4,
        "five" => 5,
        "six" => 6,
        "seven" => 7,
        "eight" => 8,
        "nine" => 9,
        "ten" => 10,
        "several" => return None,
        n => n.parse().ok()?,
    })
}

fn iso_week(d: NaiveDate) -> String {
    let w = d.iso_week();
    format!("{}-W{:02}", w.year(), w.week())
}

/// A month/day without a year: the most recent such day on or before the anchor, unless that
/// is more than ~10 months back and the next one is within a few weeks (forward references).
fn resolve_month_day(m: u32, d: u32, anchor: NaiveDate) -> Option<NaiveDate> {
    let this = NaiveDate::from_ymd_opt(anchor.year(), m, d)?;
    if this <= anchor + Duration::days(7) {
        Some(this)
    } else {
        NaiveDate::from_ymd_opt(anchor.year() - 1, m, d)
    }
}

/// All temporal expressions in `text[span]`, normalized against `anchor` where they need one.
pub fn find_dates(text: &str, span: Span, anchor: Option<NaiveDate>) -> Vec<DateMention> {
    let t = &text[span.start..span.end];
    let mut out = Vec::new();
    for c in DATE_RE.captures_iter(t) {
        let Some(m0) = c.get(0) else { continue };
        let mut start = m0.start();
        let value: Option<String> = if let Some(x) = c.name("iso") {
            NaiveDate::parse_from_str(x.as_str(), "%Y-%m-%d")
                .ok()
                .map(|d| d.to_string())
        } else if let (Some(mm), Some(dd)) = (
            c.name("md_m").or(c.name("dm_m")),
            c.name("md_d").or(c.name("dm_d")),
        ) {
            let m = month_num(mm.as_str());
            let d: Option<u32> = dd.as_str().parse().ok();
            let y: Option<i32> = c
                .name("md_y")
                .or(c.name("dm_y"))
                .and_then(|y| y.as_str().parse().ok());
            match (m, d, y) {
                (Some(m), Some(d), Some(y)) => {
                    NaiveDate::from_ymd_opt(y, m, d).map(|d| d.to_string())
                }
                (Some(m), Some(d), None) => anchor
                    .and_then(|a| resolve_month_day(m, d, a))
                    .map(|d| d.to_string()),
                _ => None,
            }
        } else if let (Some(mm), Some(yy)) = (c.name("my_m"), c.name("my_y")) {
            month_num(mm.as_str()).map(|m| format!("{}-{:02}", yy.as_str(), m))
        } else if let (Some(rel), Some(unit)) = (c.name("rel"), c.name("rel_u")) {
            let rel = rel.as_str().to_lowercase();
            let unit = unit.as_str();
            anchor.and_then(|a| {
                let dir: i64 = match rel.as_str() {
                    "last" | "past" => -1,
                    "next" | "coming" => 1,
                    _ => 0,
                };
                match unit.to_lowercase().as_str() {
                    "week" => Some(iso_week(a + Duration::weeks(dir))),
                    "weekend" => Some(format!("{}-WE", iso_week(a + Duration::weeks(dir)))),
                    "month" => {
                        let (y, m) = shift_month(a.year(), a.month(), dir as i32);
                        Some(format!("{y}-{m:02}"))
                    }
                    "year" => Some(format!("{}", a.year() + dir as i32)),
                    u => {
                        if let Some(m) = month_num(u) {
                            // "last September": the latest September before this month.
                            let y = match dir {
                                -1 => {
                                    if m < a.month() {
                                        a.year()
                                    } else {
                                        a.year() - 1
                                    }
                                }
                                1 => {
                                    if m > a.month() {
                                        a.year()
                                    } else {
                                        a.year() + 1
                                    }
                                }
                                _ => a.year(),
                            };
                            Some(format!("{y}-{m:02}"))
                        } else {
                            weekday(u).map(|w| {
                                let base = last_weekday(a, w);
                                let d = match dir {
                                    -1 if base == a => base - Duration::days(7),
                                    1 => base + Duration::days(7),
                                    _ => base,
                                };
                                d.to_string()
                            })
                        }
                    }
                }
            })
        } else if let Some(wd) = c.name("wd") {
            start = wd.start().min(start);
            // News reports the past: "on Tuesday" is the latest Tuesday on or before the anchor.
            anchor.and_then(|a| weekday(wd.as_str()).map(|w| last_weekday(a, w).to_string()))
        } else if let (Some(n), Some(u)) = (c.name("ago_n"), c.name("ago_u")) {
            anchor.and_then(|a| {
                let n = small_num(n.as_str())?;
                Some(match u.as_str() {
                    "day" => (a - Duration::days(n)).to_string(),
                    "week" => iso_week(a - Duration::weeks(n)),
                    "month" => {
                        let (y, m) = shift_month(a.year(), a.month(), -(n as i32));
                        format!("{y}-{m:02}")
                    }
                    _ => format!("{}", a.year() - n as i32),
                })
            })
        } else if let Some(d) = c.name("deic") {
            anchor.map(|a| match d.as_str().to_lowercase().as_str() {
                "yesterday" => (a - Duration::days(1)).to_string(),
                "tomorrow" => (a + Duration::days(1)).to_string(),
                _ => a.to_string(),
            })
        } else if let Some(y) = c.name("year") {
            start = y.start();
            Some(y.as_str().to_string())
        } else if let Some(mo) = c.name("mo") {
            start = mo.start().min(start);
            anchor.and_then(|a| {
                let m = month_num(mo.as_str())?;
                let y = if m <= a.month() {
                    a.year()
                } else {
                    a.year() - 1
                };
                Some(format!("{y}-{m:02}"))
            })
        } else {
            None
        };
        // "on Tuesday": the span is the date words, without the preposition.
        let words = t[start..m0.end()].to_lowercase();
        let lead = ["on ", "in ", "since ", "by ", "until ", "from "]
            .iter()
            .find(|p| words.starts_with(**p))
            .map_or(0, |p| p.len());
        out.push(DateMention {
            span: Span::new(span.start + start + lead, span.start + m0.end()),
            value,
        });
    }
    out
}

fn shift_month(y: i32, m: u32, by: i32) -> (i32, u32) {
    let idx = y * 12 + (m as i32 - 1) + by;
    (idx.div_euclid(12), (idx.rem_euclid(12) + 1) as u32)
}

fn last_weekday(a: NaiveDate, w: Weekday) -> NaiveDate {
    let back =
        (7 + a.weekday().num_days_from_monday() as i64 - w.num_days_from_monday() as i64) % 7;
    a - Duration::days(back)
}

/// The publication date a page most likely had: the latest fully specified date in its text
/// (not after `today`), else the latest month, else the latest year.
pub fn infer_published(text: &str, today: NaiveDate) -> Option<NaiveDate> {
    let all = find_dates(text, Span::new(0, text.len()), None);
    let mut best: Option<NaiveDate> = None;
    let mut best_month: Option<NaiveDate> = None;
    for d in &all {
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
    fn infers_latest_absolute_date() {
        let t = "in attacks on December 30, 2023, and January 2, 2024. In 2006 it tested.";
        let today = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
        assert_eq!(
            infer_published(t, today),
            NaiveDate::from_ymd_opt(2024, 1, 2)
        );
    }
}
