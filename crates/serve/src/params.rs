//! Query parameters: parsed and checked by hand, so that every bad value gets a 400 that names
//! the parameter, and an unknown parameter is refused instead of silently ignored.

use crate::error::ApiError;
use std::collections::HashMap;
use wirecoder_doc::Modality;
use wirecoder_store::EventFilter;

/// The query string of one request.
pub(crate) struct Params {
    map: HashMap<String, String>,
}

/// The filter parameters shared by every event endpoint (those of `wirecoder events`).
pub(crate) const FILTER_PARAMS: &[&str] = &[
    "actor",
    "source",
    "target",
    "dyad",
    "code",
    "root",
    "plover",
    "modality",
    "since",
    "until",
    "country",
    "place",
    "bbox",
    "min_sources",
    "article",
];

impl Params {
    /// Checks that every parameter is one of `allowed` (or a filter parameter when `filters`).
    pub(crate) fn new(
        map: HashMap<String, String>,
        allowed: &[&str],
        filters: bool,
    ) -> Result<Params, ApiError> {
        let mut names: Vec<&String> = map.keys().collect();
        names.sort();
        for k in names {
            let known =
                allowed.contains(&k.as_str()) || (filters && FILTER_PARAMS.contains(&k.as_str()));
            if !known {
                return Err(ApiError::param(k, &map[k], "unknown parameter"));
            }
        }
        Ok(Params { map })
    }

    /// The parameters in a canonical order, as a cache key.
    pub(crate) fn key(&self) -> String {
        let mut kv: Vec<(&String, &String)> = self.map.iter().collect();
        kv.sort();
        kv.iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("&")
    }

    /// The value, `None` when absent or empty (a blank form field means "any").
    pub(crate) fn get(&self, name: &str) -> Option<&str> {
        self.map
            .get(name)
            .map(|s| s.trim())
            .filter(|s| !s.is_empty())
    }

    /// A whole number in `lo..=hi`, or `default`.
    pub(crate) fn int(&self, name: &str, lo: i64, hi: i64, default: i64) -> Result<i64, ApiError> {
        match self.get(name) {
            None => Ok(default),
            Some(v) => match v.parse::<i64>() {
                Ok(n) if (lo..=hi).contains(&n) => Ok(n),
                Ok(_) => Err(ApiError::param(
                    name,
                    v,
                    &format!("must be between {lo} and {hi}"),
                )),
                Err(_) => Err(ApiError::param(name, v, "must be a whole number")),
            },
        }
    }

    /// One of `choices`, or `default`.
    pub(crate) fn choice<'a>(
        &self,
        name: &str,
        choices: &[&'a str],
        default: &'a str,
    ) -> Result<&'a str, ApiError> {
        match self.get(name) {
            None => Ok(default),
            Some(v) => choices.iter().find(|c| **c == v).copied().ok_or_else(|| {
                ApiError::param(name, v, &format!("must be one of {}", choices.join(", ")))
            }),
        }
    }

    /// The event filter the parameters ask for, with the same rules as `wirecoder events`:
    /// `root` narrows `code` (or stands for it) and `dyad=A-B` stands for `source=A&target=B`.
    pub(crate) fn filter(&self) -> Result<EventFilter, ApiError> {
        let actor = self.actor_code("actor")?;
        let mut source = self.actor_code("source")?;
        let mut target = self.actor_code("target")?;
        if let Some(d) = self.get("dyad") {
            let Some((s, t)) = d
                .split_once('-')
                .filter(|(s, t)| is_actor_code(s) && is_actor_code(t))
            else {
                return Err(ApiError::param(
                    "dyad",
                    d,
                    "must be SOURCE-TARGET actor codes, like RUS-UKR",
                ));
            };
            if source.is_some() || target.is_some() {
                return Err(ApiError::param(
                    "dyad",
                    d,
                    "cannot be combined with source or target",
                ));
            }
            source = Some(s.to_ascii_uppercase());
            target = Some(t.to_ascii_uppercase());
        }
        let code = self.digits("code", 1, 4)?;
        let root = self.digits("root", 2, 2)?;
        let code = match (code, root) {
            (Some(c), Some(r)) if !c.starts_with(&r) => {
                return Err(ApiError::param(
                    "code",
                    &c,
                    &format!("is not under root {r}"),
                ))
            }
            (Some(c), _) => Some(c),
            (None, r) => r,
        };
        let plover = match self.get("plover") {
            Some(p) if p.chars().all(|c| c.is_ascii_alphabetic() || c == '_') && p.len() <= 30 => {
                Some(p.to_ascii_uppercase())
            }
            Some(p) => {
                return Err(ApiError::param(
                    "plover",
                    p,
                    "must be a PLOVER type like ACCUSE",
                ))
            }
            None => None,
        };
        let modality = match self.get("modality") {
            Some(m) => match Modality::parse(m) {
                Some(m) => Some(m.as_str().to_string()),
                None => {
                    return Err(ApiError::param(
                        "modality",
                        m,
                        "must be asserted, alleged, denied, negated, hypothetical or future",
                    ))
                }
            },
            None => None,
        };
        let since = self.date("since")?;
        let until = self.date("until")?;
        if let (Some(s), Some(u)) = (&since, &until) {
            if s > u {
                return Err(ApiError::param("since", s, "is after until"));
            }
        }
        let country = match self.get("country") {
            Some(c) if c.len() == 3 && c.chars().all(|c| c.is_ascii_alphabetic()) => {
                Some(c.to_ascii_uppercase())
            }
            Some(c) => {
                return Err(ApiError::param(
                    "country",
                    c,
                    "must be an ISO 3166 alpha-3 code like UKR",
                ))
            }
            None => None,
        };
        let place = match self.get("place") {
            Some(p) if p.chars().count() > 200 => {
                return Err(ApiError::param("place", p, "is too long"))
            }
            p => p.map(str::to_string),
        };
        let bbox = match self.get("bbox") {
            Some(b) => Some(parse_bbox(b)?),
            None => None,
        };
        let min_sources = match self.get("min_sources") {
            Some(_) => Some(self.int("min_sources", 1, 1_000_000, 1)? as u32),
            None => None,
        };
        let article_id = match self.get("article") {
            Some(_) => Some(self.int("article", 1, i64::MAX, 1)?),
            None => None,
        };
        Ok(EventFilter {
            actor,
            source,
            target,
            code,
            plover,
            modality,
            since,
            until,
            country,
            place,
            bbox,
            min_sources,
            article_id,
            ..Default::default()
        })
    }

    pub(crate) fn actor_code(&self, name: &str) -> Result<Option<String>, ApiError> {
        match self.get(name) {
            Some(v) if is_actor_code(v) => Ok(Some(v.to_ascii_uppercase())),
            Some(v) => Err(ApiError::param(
                name,
                v,
                "must be a CAMEO actor code (letters and digits) like RUS or USAGOV",
            )),
            None => Ok(None),
        }
    }

    pub(crate) fn digits(
        &self,
        name: &str,
        min: usize,
        max: usize,
    ) -> Result<Option<String>, ApiError> {
        match self.get(name) {
            Some(v) if (min..=max).contains(&v.len()) && v.chars().all(|c| c.is_ascii_digit()) => {
                Ok(Some(v.to_string()))
            }
            Some(v) => Err(ApiError::param(
                name,
                v,
                &if min == max {
                    format!("must be {min} digits")
                } else {
                    format!("must be a CAMEO code of {min} to {max} digits")
                },
            )),
            None => Ok(None),
        }
    }

    /// An ISO date: `2024`, `2024-01` or `2024-01-09`.
    pub(crate) fn date(&self, name: &str) -> Result<Option<String>, ApiError> {
        match self.get(name) {
            Some(v) if is_iso_date(v) => Ok(Some(v.to_string())),
            Some(v) => Err(ApiError::param(
                name,
                v,
                "must be an ISO date: YYYY, YYYY-MM or YYYY-MM-DD",
            )),
            None => Ok(None),
        }
    }
}

/// Parses a raw query string (what follows `?`) as `GET /api/v1/events` does: decoded,
/// unknown names refused, every value checked, the event filter built. Public so that the
/// parser can be fuzzed and tested without a server; a bad query gives the 400 it would get.
pub fn parse_events_query(query: &str) -> Result<EventFilter, ApiError> {
    use axum::extract::Query;
    let uri: axum::http::Uri =
        format!("/api/v1/events?{query}")
            .parse()
            .map_err(|e: axum::http::uri::InvalidUri| {
                ApiError::new(crate::error::ErrorCode::InvalidParameter, e.to_string())
            })?;
    let Query(map) = Query::<HashMap<String, String>>::try_from_uri(&uri)
        .map_err(|e| ApiError::new(crate::error::ErrorCode::InvalidParameter, e.body_text()))?;
    let p = Params::new(map, &["limit", "cursor", "format"], true)?;
    let f = p.filter()?;
    p.choice("format", &["json", "csv"], "json")?;
    let limit = p.int("limit", 1, 1000, 100)?;
    p.int("cursor", 0, i64::MAX, 0)?;
    Ok(EventFilter {
        limit: Some(limit as usize),
        ..f
    })
}

fn is_actor_code(s: &str) -> bool {
    (1..=30).contains(&s.len()) && s.chars().all(|c| c.is_ascii_alphanumeric())
}

fn is_iso_date(s: &str) -> bool {
    let b = s.as_bytes();
    let digits = |r: std::ops::Range<usize>| b[r].iter().all(u8::is_ascii_digit);
    let month_ok = |m: &[u8]| matches!((m[0], m[1]), (b'0', b'1'..=b'9') | (b'1', b'0'..=b'2'));
    let day_ok = |d: &[u8]| {
        matches!(
            (d[0], d[1]),
            (b'0', b'1'..=b'9') | (b'1'..=b'2', b'0'..=b'9') | (b'3', b'0'..=b'1')
        )
    };
    match b.len() {
        4 => digits(0..4),
        7 => digits(0..4) && b[4] == b'-' && digits(5..7) && month_ok(&b[5..7]),
        10 => {
            digits(0..4)
                && b[4] == b'-'
                && digits(5..7)
                && month_ok(&b[5..7])
                && b[7] == b'-'
                && digits(8..10)
                && day_ok(&b[8..10])
        }
        _ => false,
    }
}

fn parse_bbox(b: &str) -> Result<[f64; 4], ApiError> {
    let parts: Vec<Option<f64>> = b
        .split(',')
        .map(|p| p.trim().parse::<f64>().ok().filter(|x| x.is_finite()))
        .collect();
    let bad = |why: &str| ApiError::param("bbox", b, why);
    match parts.as_slice() {
        [Some(a), Some(c), Some(d), Some(e)] => {
            let v = [*a, *c, *d, *e];
            if v[0] > v[2] || v[1] > v[3] {
                return Err(bad("min must not exceed max"));
            }
            if v[0] < -180.0 || v[2] > 180.0 || v[1] < -90.0 || v[3] > 90.0 {
                return Err(bad("out of range (longitude ±180, latitude ±90)"));
            }
            Ok(v)
        }
        _ => Err(bad("must be min_lon,min_lat,max_lon,max_lat")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params(q: &[(&str, &str)]) -> Result<Params, ApiError> {
        let map = q
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Params::new(map, &["limit"], true)
    }

    #[test]
    fn filters_follow_the_cli() {
        let p = params(&[("actor", "rus"), ("root", "19"), ("since", "2024-01-01")]).unwrap();
        let f = p.filter().unwrap();
        assert_eq!(f.actor.as_deref(), Some("RUS"));
        assert_eq!(f.code.as_deref(), Some("19"));
        assert_eq!(f.since.as_deref(), Some("2024-01-01"));
        let f = params(&[("dyad", "RUS-UKR")]).unwrap().filter().unwrap();
        assert_eq!(
            (f.source.as_deref(), f.target.as_deref()),
            (Some("RUS"), Some("UKR"))
        );
    }

    #[test]
    fn bad_values_name_the_parameter() {
        for (k, v) in [
            ("since", "yesterday"),
            ("since", "2024-13-01"),
            ("root", "1"),
            ("code", "12a"),
            ("actor", "RUS;DROP"),
            ("bbox", "1,2,3"),
            ("modality", "maybe"),
            ("dyad", "RUS"),
        ] {
            let e = params(&[(k, v)]).unwrap().filter().unwrap_err();
            assert!(e.message.contains(k), "{k}={v}: {}", e.message);
        }
        assert!(params(&[("colour", "red")]).is_err());
        assert!(params(&[("code", "190"), ("root", "18")])
            .unwrap()
            .filter()
            .is_err());
    }
}
