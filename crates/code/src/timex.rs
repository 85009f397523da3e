//! Temporal expressions in the TIMEX3 style: dates, times, durations and sets.
//!
//! A cascade of patterns proposes candidates over the whole text; overlaps are resolved by
//! keeping the earliest, then longest, candidate. Each candidate is normalized against the
//! anchor (the document's publication date) where it needs one:
//!
//! | kind | examples | values |
//! |---|---|---|
//! | DATE | `Friday`, `last September`, `Dec. 30`, `the third quarter`, `now` | `1998-02-13`, `2023-09`, `1989-Q3`, `PRESENT_REF` |
//! | TIME | `this morning`, `tonight`, `02/13/1998 14:26:00` | `1998-02-13TMO`, `1998-02-13T14:26:00` |
//! | DURATION | `210 years`, `the past two months`, `several weeks` | `P210Y`, `P2M`, `PXW` |
//! | SET | `every week`, `annually` | `P1W`, `P1Y` |

use chrono::{Datelike, Duration, NaiveDate, Weekday};
use once_cell::sync::Lazy;
use regex::{Captures, Regex};

/// TIMEX3 type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub enum TimexKind {
    /// A calendar date, month, week, quarter, year or reference (`PRESENT_REF`).
    Date,
    /// A time of day.
    Time,
    /// A length of time.
    Duration,
    /// A recurring time.
    Set,
}

/// One temporal expression.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Timex {
    /// Byte start in the text.
    pub start: usize,
    /// Byte end.
    pub end: usize,
    /// Type.
    pub kind: TimexKind,
    /// Normalized value, when it could be computed.
    pub value: Option<String>,
}

const MONTH: &str = r"(?:January|February|March|April|May|June|July|August|September|October|November|December|Jan\.?|Feb\.?|Mar\.?|Apr\.?|Jun\.?|Jul\.?|Aug\.?|Sept?\.?|Oct\.?|Nov\.?|Dec\.?)";
const WEEKDAY: &str = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)";
const NUMW: &str = r"(?:\d+(?:\.\d+)?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|eighteen|twenty|thirty|forty|fifty|sixty|a hundred|hundred|several|a few|few|many|some|a couple of|couple of|a|an)";
const UNIT: &str =
    r"(?:second|minute|hour|day|week|month|year|decade|centur(?:y|ie)|quarter|weekend)";
const ORD: &str = r"(?:first|second|third|fourth|1st|2nd|3rd|4th)";
const SEASON: &str = r"(?:spring|summer|fall|autumn|winter)";

type Handler = fn(&Captures, NaiveDate) -> Option<(TimexKind, Option<String>)>;

struct Rule {
    re: Regex,
    f: Handler,
    /// The pattern consumes one character before the expression (no look-behind in `regex`);
    /// the expression starts at the group `y`.
    lead: bool,
}

/// Lazy-DFA cache of each pattern: the default (2 MB) fills up on news text with these
/// case-insensitive alternations and is then thrown away and rebuilt, over and over.
const DFA_CACHE: usize = 16 << 20;

fn rx(p: &str) -> Regex {
    let p = p
        .replace("{M}", MONTH)
        .replace("{W}", WEEKDAY)
        .replace("{N}", NUMW)
        .replace("{U}", UNIT)
        .replace("{O}", ORD)
        .replace("{S}", SEASON);
    regex::RegexBuilder::new(&p)
        .dfa_size_limit(DFA_CACHE)
        .build()
        .unwrap_or_else(|e| panic!("static timex pattern {p}: {e}"))
}

fn month_num(s: &str) -> Option<u32> {
    let s = s.trim_end_matches('.').to_lowercase();
    Some(match s.get(..3)? {
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
    })
}

fn num(s: &str) -> Option<i64> {
    let l = s.trim().to_lowercase();
    Some(match l.as_str() {
        "a" | "an" | "one" => 1,
        "two" | "a couple of" | "couple of" => 2,
        "three" => 3,
        "four" => 4,
        "five" => 5,
        "six" => 6,
        "seven" => 7,
        "eight" => 8,
        "nine" => 9,
        "ten" => 10,
        "eleven" => 11,
        "twelve" => 12,
        "thirteen" => 13,
        "fourteen" => 14,
        "fifteen" => 15,
        "sixteen" => 16,
        "eighteen" => 18,
        "twenty" => 20,
        "thirty" => 30,
        "forty" => 40,
        "fifty" => 50,
        "sixty" => 60,
        "hundred" | "a hundred" => 100,
        _ => {
            return l
                .parse::<f64>()
                .ok()
                .filter(|x| x.fract() == 0.0)
                .map(|x| x as i64)
        }
    })
}

fn unit_code(u: &str) -> (&'static str, bool) {
    // (code, is-time-unit)
    let u = u.to_lowercase();
    match u.trim_end_matches('s') {
        "second" => ("S", true),
        "minute" => ("M", true),
        "hour" => ("H", true),
        "day" => ("D", false),
        "week" | "weekend" => ("W", false),
        "month" => ("M", false),
        "year" => ("Y", false),
        "decade" => ("DE", false),
        "quarter" => ("Q", false),
        _ => ("CE", false), // century, centuries
    }
}

fn duration(n: Option<i64>, u: &str) -> String {
    let (c, t) = unit_code(u);
    let n = n.map(|n| n.to_string()).unwrap_or_else(|| "X".into());
    if t {
        format!("PT{n}{c}")
    } else {
        format!("P{n}{c}")
    }
}

fn ymd(y: i32, m: u32, d: u32) -> Option<String> {
    NaiveDate::from_ymd_opt(y, m, d).map(|d| d.to_string())
}

fn fix_year(y: &str) -> Option<i32> {
    let n: i32 = y.parse().ok()?;
    Some(if y.len() == 2 {
        if n >= 30 {
            1900 + n
        } else {
            2000 + n
        }
    } else {
        n
    })
}

/// A month/day without year: this year's, unless that is more than about ten weeks ahead of
/// the anchor (news looks back more than forward), then last year's.
fn month_day(m: u32, d: u32, a: NaiveDate) -> Option<String> {
    let this = NaiveDate::from_ymd_opt(a.year(), m, d)?;
    if (this - a).num_days() > 75 {
        ymd(a.year() - 1, m, d)
    } else {
        Some(this.to_string())
    }
}

/// A month without year, by the same rule.
fn month_only(m: u32, a: NaiveDate) -> String {
    let y = if m > a.month() + 2 {
        a.year() - 1
    } else {
        a.year()
    };
    format!("{y}-{m:02}")
}

fn last_weekday(a: NaiveDate, w: Weekday) -> NaiveDate {
    let back =
        (7 + a.weekday().num_days_from_monday() as i64 - w.num_days_from_monday() as i64) % 7;
    a - Duration::days(back)
}

fn iso_week(d: NaiveDate) -> String {
    let w = d.iso_week();
    format!("{}-W{:02}", w.year(), w.week())
}

fn shift_month(y: i32, m: u32, by: i32) -> (i32, u32) {
    let idx = y * 12 + (m as i32 - 1) + by;
    (idx.div_euclid(12), (idx.rem_euclid(12) + 1) as u32)
}

fn quarter_of(m: u32) -> u32 {
    (m - 1) / 3 + 1
}

/// The last completed quarter at the anchor.
fn last_quarter(a: NaiveDate) -> (i32, u32) {
    let q = quarter_of(a.month());
    if q == 1 {
        (a.year() - 1, 4)
    } else {
        (a.year(), q - 1)
    }
}

fn ord_num(s: &str) -> Option<u32> {
    Some(match s.to_lowercase().as_str() {
        "first" | "1st" => 1,
        "second" | "2nd" => 2,
        "third" | "3rd" => 3,
        "fourth" | "4th" => 4,
        _ => return None,
    })
}

fn season_code(s: &str) -> &'static str {
    match s.to_lowercase().as_str() {
        "spring" => "SP",
        "summer" => "SU",
        "winter" => "WI",
        _ => "FA",
    }
}

fn rel_dir(s: &str) -> i32 {
    match s.to_lowercase().as_str() {
        "last" | "past" | "previous" | "preceding" => -1,
        "next" | "coming" | "following" => 1,
        _ => 0,
    }
}

fn g<'a>(c: &'a Captures, name: &str) -> Option<&'a str> {
    c.name(name).map(|m| m.as_str())
}

/// "December 30(, 2023)" and "30 December(, 2023)": groups `m`, `d` and optional `y`.
fn day_month_year(c: &Captures, a: NaiveDate) -> Option<(TimexKind, Option<String>)> {
    let m = month_num(g(c, "m")?)?;
    let d: u32 = g(c, "d")?.parse().ok()?;
    date(match g(c, "y") {
        Some(y) => ymd(y.parse().ok()?, m, d),
        None => month_day(m, d, a),
    })
}

fn date(v: Option<String>) -> Option<(TimexKind, Option<String>)> {
    Some((TimexKind::Date, v))
}

/// Every rule's pattern in one set, in the order of [`RULES`]. Its word boundaries are ASCII
/// ones: a Unicode `\b` makes the set's fast engine give up on any non-ASCII text (curly
/// quotes, accents) and fall back to a slow one. The set only screens, so it may match more
/// than the rules do; an ASCII boundary stands wherever a Unicode one does next to the ASCII
/// letters and digits these patterns put there.
static RULE_SET: Lazy<regex::RegexSet> = Lazy::new(|| {
    regex::RegexSetBuilder::new(
        RULES
            .iter()
            .map(|r| r.re.as_str().replace(r"\b", r"(?-u:\b)")),
    )
    .dfa_size_limit(DFA_CACHE)
    .build()
    .unwrap_or_else(|e| panic!("static timex pattern set: {e}"))
});

static RULES: Lazy<Vec<Rule>> = Lazy::new(|| {
    let r = |p: &str, f: Handler| Rule {
        re: rx(p),
        f,
        lead: false,
    };
    let lead = |p: &str, f: Handler| Rule {
        re: rx(p),
        f,
        lead: true,
    };
    vec![
        // 02/13/1998 14:26:00
        r(
            r"\b(?P<m>\d{1,2})/(?P<d>\d{1,2})/(?P<y>\d{4}|\d{2})\s+(?P<h>\d{1,2}):(?P<mi>\d{2})(?::(?P<s>\d{2}))?",
            |c, _| {
                let d = ymd(
                    fix_year(g(c, "y")?)?,
                    g(c, "m")?.parse().ok()?,
                    g(c, "d")?.parse().ok()?,
                )?;
                let t = format!(
                    "{}T{:02}:{}{}",
                    d,
                    g(c, "h")?.parse::<u32>().ok()?,
                    g(c, "mi")?,
                    g(c, "s").map(|s| format!(":{s}")).unwrap_or_default()
                );
                Some((TimexKind::Time, Some(t)))
            },
        ),
        r(
            r"\b(?P<m>\d{1,2})/(?P<d>\d{1,2})/(?P<y>\d{4}|\d{2})\b",
            |c, _| {
                date(ymd(
                    fix_year(g(c, "y")?)?,
                    g(c, "m")?.parse().ok()?,
                    g(c, "d")?.parse().ok()?,
                ))
            },
        ),
        r(
            r"\b(?P<y>(?:19|20)\d\d)-(?P<m>[01]\d)-(?P<d>[0-3]\d)\b",
            |c, _| {
                date(ymd(
                    g(c, "y")?.parse().ok()?,
                    g(c, "m")?.parse().ok()?,
                    g(c, "d")?.parse().ok()?,
                ))
            },
        ),
        // Month day(, year)
        r(
            r"\b(?P<m>{M})\s+(?P<d>[0-3]?\d)(?:st|nd|rd|th)?\b(?:,?\s+(?P<y>(?:19|20)\d\d)\b)?",
            day_month_year,
        ),
        r(
            r"\b(?P<d>[0-3]?\d)(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<m>{M})(?:,?\s+(?P<y>(?:19|20)\d\d)\b)?",
            day_month_year,
        ),
        // (early|mid|late) Month( year)
        r(
            r"(?i)\b(?:(?:early|mid|late|the end of|the beginning of|the middle of)[\s-]+)?(?-i:(?P<m>{M}))(?:,?\s+(?:of\s+)?(?P<y>(?:19|20)\d\d)\b)?",
            |c, a| {
                let m = month_num(g(c, "m")?)?;
                // Abbreviations alone ("Mar", "Sep") are too often something else.
                if g(c, "m")?.len() <= 5
                    && g(c, "y").is_none()
                    && !matches!(g(c, "m")?, "March" | "April" | "June" | "July")
                {
                    return None;
                }
                // "May" alone is too often the verb.
                if g(c, "m")? == "May" && g(c, "y").is_none() && c.get(0)?.as_str() == "May" {
                    return None;
                }
                date(Some(match g(c, "y") {
                    Some(y) => format!("{y}-{m:02}"),
                    None => month_only(m, a),
                }))
            },
        ),
        // last/this/next + unit / month / weekday / season
        r(
            r"(?i)\b(?:(?P<early>early|late|earlier|later)\s+)?(?P<rel>last|this|next|past|coming|previous|current)\s+(?P<u>week|month|year|weekend|quarter|(?-i:{M})|(?-i:{W})|{S})\b",
            |c, a| {
                let dir = rel_dir(g(c, "rel")?);
                let u = g(c, "u")?;
                let ul = u.to_lowercase();
                let v = match ul.as_str() {
                    "week" => iso_week(a + Duration::weeks(dir as i64)),
                    "weekend" => format!("{}-WE", iso_week(a + Duration::weeks(dir as i64))),
                    "month" => {
                        let (y, m) = shift_month(a.year(), a.month(), dir);
                        format!("{y}-{m:02}")
                    }
                    "year" => format!("{}", a.year() + dir),
                    "quarter" => {
                        let q = quarter_of(a.month()) as i32 - 1 + dir;
                        let (y, q) = (a.year() + q.div_euclid(4), q.rem_euclid(4) + 1);
                        format!("{y}-Q{q}")
                    }
                    "spring" | "summer" | "fall" | "autumn" | "winter" => {
                        format!("{}-{}", a.year() + dir, season_code(&ul))
                    }
                    _ => {
                        if let Some(m) = month_num(u) {
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
                            format!("{y}-{m:02}")
                        } else {
                            let w: Weekday = u.parse().ok()?;
                            let base = last_weekday(a, w);
                            let d = match dir {
                                -1 if base == a => base - Duration::days(7),
                                1 => base + Duration::days(7),
                                0 if base < a - Duration::days(3) => base + Duration::days(7),
                                _ => base,
                            };
                            d.to_string()
                        }
                    }
                };
                date(Some(v))
            },
        ),
        // earlier this year / later this month
        r(
            r"(?i)\b(?:earlier|later|early|late)\s+(?:this|in the)\s+(?P<u>year|month|week)\b",
            |c, a| {
                date(Some(match g(c, "u")?.to_lowercase().as_str() {
                    "year" => a.year().to_string(),
                    "month" => format!("{}-{:02}", a.year(), a.month()),
                    _ => iso_week(a),
                }))
            },
        ),
        // N units ago/earlier
        r(
            r"(?i)\b(?:about\s+|nearly\s+|almost\s+|some\s+)?(?P<n>{N})\s+(?P<u>day|week|month|year|decade)s?\s+(?P<dir>ago|earlier|before|later|from now|hence)\b",
            |c, a| {
                let n = num(g(c, "n")?);
                let sign: i64 = match g(c, "dir")?.to_lowercase().as_str() {
                    "ago" | "earlier" | "before" => -1,
                    _ => 1,
                };
                let Some(n) = n else {
                    return date(Some(if sign < 0 {
                        "PAST_REF".into()
                    } else {
                        "FUTURE_REF".into()
                    }));
                };
                date(Some(match g(c, "u")?.to_lowercase().as_str() {
                    "day" => (a + Duration::days(sign * n)).to_string(),
                    "week" => iso_week(a + Duration::weeks(sign * n)),
                    "month" => {
                        let (y, m) = shift_month(a.year(), a.month(), (sign * n) as i32);
                        format!("{y}-{m:02}")
                    }
                    "decade" => format!("{}", (a.year() as i64 + sign * n * 10) / 10),
                    _ => format!("{}", a.year() as i64 + sign * n),
                }))
            },
        ),
        // quarters
        r(
            r"(?i)\b(?:the\s+)?(?:(?P<py>(?:19|20)\d\d)(?:'s)?\s+|this\s+year's\s+|(?P<fisc>fiscal\s+))?(?P<o>{O})[\s-]+quarter(?:\s+of\s+(?:fiscal\s+)?(?P<y>(?:19|20)\d\d))?\b",
            |c, a| {
                let q = ord_num(g(c, "o")?)?;
                let y: i32 = match g(c, "y").or(g(c, "py")) {
                    Some(y) => y.parse().ok()?,
                    None => a.year(),
                };
                date(Some(format!("{y}-Q{q}")))
            },
        ),
        r(
            r"(?i)\bthe\s+(?P<w>latest|last|current|same|year-earlier|year-ago|previous|recent|comparable|most recent|fiscal)?\s*(?:year-earlier\s+|year-ago\s+)?(?P<u>quarter|period)\b",
            |c, a| {
                let w = g(c, "w").unwrap_or("").to_lowercase();
                let whole = c.get(0)?.as_str().to_lowercase();
                let (y, q) = if matches!(w.as_str(), "current") {
                    (a.year(), quarter_of(a.month()))
                } else {
                    last_quarter(a)
                };
                let y = if whole.contains("year-earlier") || whole.contains("year-ago") {
                    y - 1
                } else {
                    y
                };
                if g(c, "u")?.eq_ignore_ascii_case("period") && w.is_empty() {
                    return None;
                }
                date(Some(format!("{y}-Q{q}")))
            },
        ),
        // deictic days and parts of days
        r(
            r"(?i)\b(?P<pre>late\s+|early\s+)?(?P<d>yesterday|today|tomorrow|tonight)(?:\s+(?P<part>morning|afternoon|evening|night))?\b",
            |c, a| {
                let d = g(c, "d")?.to_lowercase();
                let day = match d.as_str() {
                    "yesterday" => a - Duration::days(1),
                    "tomorrow" => a + Duration::days(1),
                    _ => a,
                };
                if d == "tonight" {
                    return Some((TimexKind::Time, Some(format!("{day}TNI"))));
                }
                if let Some(p) = g(c, "part") {
                    return Some((TimexKind::Time, Some(format!("{day}T{}", part_code(p)))));
                }
                date(Some(day.to_string()))
            },
        ),
        r(
            r"(?i)\b(?P<rel>this|last|yesterday|tomorrow)\s+(?P<part>morning|afternoon|evening|night)\b",
            |c, a| {
                let day = match g(c, "rel")?.to_lowercase().as_str() {
                    "last" | "yesterday" => a - Duration::days(1),
                    "tomorrow" => a + Duration::days(1),
                    _ => a,
                };
                Some((
                    TimexKind::Time,
                    Some(format!("{day}T{}", part_code(g(c, "part")?))),
                ))
            },
        ),
        // Weekdays (+ part of day): the latest such day on or before the anchor.
        r(
            r"\b(?P<noon>(?i:noon|midnight)\s+)?(?P<w>{W})(?:\s+(?P<part>(?i:morning|afternoon|evening|night)))?\b",
            |c, a| {
                let w: Weekday = g(c, "w")?.parse().ok()?;
                let d = last_weekday(a, w);
                if let Some(p) = g(c, "part") {
                    return Some((TimexKind::Time, Some(format!("{d}T{}", part_code(p)))));
                }
                if let Some(n) = g(c, "noon") {
                    let t = if n.trim().eq_ignore_ascii_case("noon") {
                        "12:00"
                    } else {
                        "24:00"
                    };
                    return Some((TimexKind::Time, Some(format!("{d}T{t}"))));
                }
                date(Some(d.to_string()))
            },
        ),
        // clock times
        r(
            r"(?i)\b(?P<h>[01]?\d)(?::(?P<mi>[0-5]\d))?\s*(?P<ap>a\.m\.|p\.m\.|am\b|pm\b)",
            |c, a| {
                let mut h: u32 = g(c, "h")?.parse().ok()?;
                let pm = g(c, "ap")?.to_lowercase().starts_with('p');
                if pm && h < 12 {
                    h += 12;
                }
                if !pm && h == 12 {
                    h = 0;
                }
                let mi = g(c, "mi").unwrap_or("00");
                Some((TimexKind::Time, Some(format!("{a}T{h:02}:{mi}"))))
            },
        ),
        // references
        r(
            r"(?i)\b(?:now|currently|presently|at present|nowadays|these days|the present|current|right now|at the moment)\b",
            |_, _| date(Some("PRESENT_REF".into())),
        ),
        r(
            r"(?i)\b(?:recently|recent|previously|formerly|the past|lately|in the past|earlier this decade)\b",
            |_, _| date(Some("PAST_REF".into())),
        ),
        r(
            r"(?i)\b(?:soon|the future|eventually|in the future|shortly|in the near future|the coming years)\b",
            |_, _| date(Some("FUTURE_REF".into())),
        ),
        // seasons with a year
        r(
            r"(?i)\b(?:the\s+)?(?P<s>{S})\s+(?:of\s+)?(?P<y>(?:19|20)\d\d)\b",
            |c, _| date(Some(format!("{}-{}", g(c, "y")?, season_code(g(c, "s")?)))),
        ),
        // decades
        r(
            r"(?i)\b(?:the\s+)?(?:early\s+|mid-?|late\s+)?(?P<y>(?:19|20)\d)0'?s\b",
            |c, _| date(Some(g(c, "y")?.to_string())),
        ),
        // fiscal year
        r(
            r"(?i)\bfiscal(?:\s+year)?\s+(?P<y>(?:19|20)\d\d)\b",
            |c, _| date(Some(g(c, "y")?.to_string())),
        ),
        r(
            r"(?i)\b(?:the\s+)?(?:end|beginning|start|middle)\s+of\s+(?P<y>(?:19|20)\d\d)\b",
            |c, _| date(Some(g(c, "y")?.to_string())),
        ),
        // bare years
        lead(
            r"(?:^|[^\d$.,])(?P<y>(?:19[4-9]|20[0-4])\d)(?:\b|$)",
            |c, _| {
                let y = g(c, "y")?;
                date(Some(y.to_string()))
            },
        ),
        r(r"(?i)\b(?:the\s+)?year-(?:end|ago|earlier)\b", |_, a| {
            date(Some((a.year() - 1).to_string()))
        }),
        r(r"(?i)\b(?:the\s+|this\s+)year\b", |_, a| {
            date(Some(a.year().to_string()))
        }),
        // sets
        r(
            r"(?i)\b(?:every|each|per)\s+(?P<u>day|week|month|year|quarter|hour)\b",
            |c, _| Some((TimexKind::Set, Some(duration(Some(1), g(c, "u")?)))),
        ),
        r(
            r"(?i)\b(?P<w>daily|weekly|monthly|annually|yearly|quarterly|hourly)\b(?P<next>\s+[a-z]+)?",
            |c, _| {
                // "quarterly dividend": an adjective, not a set.
                if c.name("next").is_some_and(|n| {
                    !matches!(
                        n.as_str().trim(),
                        "and" | "or" | "in" | "on" | "at" | "by" | "for" | "to" | "since" | "until"
                    )
                }) {
                    return None;
                }
                let u = match g(c, "w")?.to_lowercase().as_str() {
                    "daily" => "day",
                    "weekly" => "week",
                    "monthly" => "month",
                    "quarterly" => "quarter",
                    "hourly" => "hour",
                    _ => "year",
                };
                Some((TimexKind::Set, Some(duration(Some(1), u))))
            },
        ),
        // durations: "the past two months", "210 years", "two-year", "several weeks"
        r(
            r"(?i)\b(?:(?:at least|nearly|almost|about|more than|over|some|only|just)\s+)?(?:the\s+)?(?:(?:first|past|last|next|latest|previous|coming|final|early|initial)\s+)?(?P<n>{N})[\s-]+(?:more\s+)?(?P<u>{U})s?\b",
            |c, _| {
                let n = g(c, "n")?;
                let nl = n.to_lowercase();
                if matches!(nl.as_str(), "a" | "an")
                    && c.get(0)?.as_str().to_lowercase().starts_with("a ")
                {
                    // "a week" is a duration, "a year" too; fine.
                }
                let v = if matches!(nl.as_str(), "several" | "a few" | "few" | "many" | "some") {
                    duration(None, g(c, "u")?)
                } else {
                    duration(num(n), g(c, "u")?)
                };
                Some((TimexKind::Duration, Some(v)))
            },
        ),
        r(
            r"(?i)\b(?:in\s+)?(?:the\s+)?(?P<w>recent|coming|past)\s+(?:day|week|month|year|decade)s\b",
            |c, _| {
                date(Some(if g(c, "w")?.eq_ignore_ascii_case("coming") {
                    "FUTURE_REF".into()
                } else {
                    "PAST_REF".into()
                }))
            },
        ),
        r(
            r"(?i)\b(?:for\s+)?(?P<u>days|weeks|months|years|decades|centuries)\b",
            |c, _| Some((TimexKind::Duration, Some(duration(None, g(c, "u")?)))),
        ),
    ]
});

fn part_code(p: &str) -> &'static str {
    match p.to_lowercase().as_str() {
        "morning" => "MO",
        "afternoon" => "AF",
        "evening" => "EV",
        _ => "NI",
    }
}

/// All temporal expressions of `text[lo..hi]`, normalized against `anchor`; without an anchor,
/// expressions that need one get no value.
pub fn find_timexes(text: &str, lo: usize, hi: usize, anchor: Option<NaiveDate>) -> Vec<Timex> {
    let t = &text[lo..hi];
    // With no anchor, normalize against a fixed date and drop the values that depended on it.
    let a = anchor.unwrap_or_else(|| NaiveDate::from_ymd_opt(2000, 6, 15).unwrap_or_default());
    let mut cands: Vec<(usize, usize, usize, TimexKind, Option<String>)> = Vec::new();
    // One pass for all rules says which can match at all; most sentences hold no date, and
    // thirty capture scans per sentence were the cost.
    let hits = RULE_SET.matches(t);
    for (ri, rule) in RULES.iter().enumerate() {
        if !hits.matched(ri) {
            continue;
        }
        for c in rule.re.captures_iter(t) {
            let Some(m) = c.get(0) else { continue };
            let start = c
                .name("y")
                .filter(|_| rule.lead)
                .map_or(m.start(), |y| y.start());
            if let Some((kind, value)) = (rule.f)(&c, a) {
                let value = if anchor.is_none() && depends_on_anchor(m.as_str()) {
                    None
                } else {
                    value
                };
                cands.push((start, m.end(), ri, kind, value));
            }
        }
    }
    cands.sort_by(|x, y| {
        x.0.cmp(&y.0)
            .then((y.1 - y.0).cmp(&(x.1 - x.0)))
            .then(x.2.cmp(&y.2))
    });
    let mut out: Vec<Timex> = Vec::new();
    let mut last_end = 0; // relative to `t`
    for (s, e, _, kind, value) in cands {
        if !out.is_empty() && s < last_end {
            continue;
        }
        last_end = e;
        // Drop a trailing "next word" a pattern looked at but does not own.
        let e = s + t[s..e].trim_end().len();
        let span = &t[s..e];
        let value = adjust_for_context(t, s, span, value, a);
        let trimmed = span.trim_end_matches(['.', ',']);
        // Keep abbreviation periods ("Dec.") but not a sentence's final period after a year.
        let e = if trimmed.len() < span.len()
            && !span.ends_with("Dec.")
            && !MONTH_ABBR.is_match(span)
        {
            s + trimmed.len()
        } else {
            e
        };
        out.push(Timex {
            start: lo + s,
            end: lo + e,
            kind,
            value,
        });
    }
    out
}

static FUTURE_CUE: Lazy<Regex> = Lazy::new(|| {
    rx(
        r"(?i)\b(?:will|'ll|’ll|shall|scheduled|expected|due|plans?|planned|to be held|is to|are to|would)\b",
    )
});
static WEEKDAY_ONLY: Lazy<Regex> = Lazy::new(|| rx(r"^(?:on\s+)?{W}$"));
static YEAR_AGO: Lazy<Regex> =
    Lazy::new(|| rx(r"(?i)^(?:a|one) year (?:ago|earlier)$|^(?:the )?year-(?:ago|earlier)$"));

/// Context the patterns cannot see: a weekday in a sentence about the future is the next such
/// day; "a year ago" in a quarterly report is the same quarter a year before.
fn adjust_for_context(
    t: &str,
    s: usize,
    span: &str,
    value: Option<String>,
    a: NaiveDate,
) -> Option<String> {
    let before = &t[t[..s].char_indices().rev().nth(60).map_or(0, |(i, _)| i)..s];
    let sentence_start = before.rfind(['.', '\n']).map_or(0, |i| i + 1);
    let before = &before[sentence_start..];
    if WEEKDAY_ONLY.is_match(span) && FUTURE_CUE.is_match(before) {
        if let Some(d) = value
            .as_deref()
            .and_then(|v| NaiveDate::parse_from_str(v, "%Y-%m-%d").ok())
        {
            if d < a {
                return Some((d + Duration::days(7)).to_string());
            }
        }
    }
    if YEAR_AGO.is_match(span) {
        let lo = t[..s].char_indices().rev().nth(200).map_or(0, |(i, _)| i);
        let hi = t[s..]
            .char_indices()
            .nth(80)
            .map_or(t.len(), |(i, _)| s + i);
        let ctx = t[lo..hi].to_lowercase();
        if ctx.contains("quarter") {
            let (y, q) = last_quarter(a);
            return Some(format!("{}-Q{q}", y - 1));
        }
    }
    value
}

static MONTH_ABBR: Lazy<Regex> =
    Lazy::new(|| rx(r"(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.$"));

fn depends_on_anchor(s: &str) -> bool {
    let has_year = s.chars().filter(|c| c.is_ascii_digit()).count() >= 4;
    !has_year
}

#[cfg(test)]
mod tests {
    use super::*;

    fn norm(s: &str, anchor: (i32, u32, u32)) -> Vec<(String, TimexKind, String)> {
        let a = NaiveDate::from_ymd_opt(anchor.0, anchor.1, anchor.2);
        find_timexes(s, 0, s.len(), a)
            .into_iter()
            .map(|t| {
                (
                    s[t.start..t.end].to_string(),
                    t.kind,
                    t.value.unwrap_or_default(),
                )
            })
            .collect()
    }

    #[test]
    fn news_dates() {
        let a = (1998, 2, 13);
        assert_eq!(
            norm("voted overwhelmingly Friday to", a),
            vec![("Friday".into(), TimexKind::Date, "1998-02-13".into())]
        );
        assert_eq!(norm("a referendum next year after", a)[0].2, "1999");
        assert_eq!(
            norm("210 years of loyalty", a)[0],
            ("210 years".into(), TimexKind::Duration, "P210Y".into())
        );
        assert_eq!(norm("profit in the third quarter rose", a)[0].2, "1998-Q3");
        assert_eq!(norm("now", a)[0].2, "PRESENT_REF");
        assert_eq!(norm("a year ago", a)[0].2, "1997");
        assert_eq!(
            norm("this morning", a)[0],
            (
                "this morning".into(),
                TimexKind::Time,
                "1998-02-13TMO".into()
            )
        );
        assert_eq!(norm("the past two months", a)[0].2, "P2M");
        assert_eq!(
            norm("prices rose in 1996, he said.", a)[0],
            ("1996".into(), TimexKind::Date, "1996".into())
        );
        assert_eq!(norm("on Nov. 2, 1989", a)[0].2, "1989-11-02");
        assert_eq!(
            norm("every week", a)[0],
            ("every week".into(), TimexKind::Set, "P1W".into())
        );
    }

    #[test]
    fn no_anchor_no_relative_value() {
        let t = find_timexes("on Friday in 2006", 0, 17, None);
        assert_eq!(t[0].value, None);
        assert_eq!(t[1].value.as_deref(), Some("2006"));
    }
}
