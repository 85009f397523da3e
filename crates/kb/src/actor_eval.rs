//! Scoring actor codes against gold records (the PLOVER gold standard's `source`/`target`
//! actors): does the knowledge base find a mention over the actor's words, and does it carry
//! the right country and the right country + sector?

use crate::{Kb, KbError, Mention};
use chrono::NaiveDate;
use serde::Serialize;

/// One gold actor and what the knowledge base made of it.
#[derive(Debug, Clone, Serialize)]
pub struct ActorItem {
    /// Record id.
    pub id: String,
    /// `source` or `target`.
    pub role: String,
    /// The gold actor's words.
    pub actor_text: String,
    /// Gold country (first three letters of the code, legacy codes normalised: `JAP` → `JPN`).
    pub gold_country: String,
    /// Gold sector (first three upper-case letters, `CIV` → `CVL`), if any and known.
    pub gold_sector: Option<String>,
    /// Whether the gold sector is unknown (`***`): such items count for the country only.
    pub sector_unknown: bool,
    /// Whether the actor's words were found in the sentence.
    pub located: bool,
    /// The code of the chosen mention.
    pub found: Option<String>,
    /// The chosen mention's text.
    pub found_text: Option<String>,
    /// Country right.
    pub country_ok: bool,
    /// Country and sector right.
    pub full_ok: bool,
}

/// Totals of an actor scoring run.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ActorScore {
    /// Every gold actor.
    pub items: Vec<ActorItem>,
    /// Gold actors.
    pub total: usize,
    /// Gold actors whose words were found in the sentence.
    pub located: usize,
    /// Gold actors with some coded mention over them.
    pub with_code: usize,
    /// Right country.
    pub country_ok: usize,
    /// Gold actors with a known sector (or none): the full-code denominator.
    pub full_total: usize,
    /// Right country and sector.
    pub full_ok: usize,
}

impl ActorScore {
    /// Share with the right country.
    pub fn country_rate(&self) -> f64 {
        self.country_ok as f64 / self.total.max(1) as f64
    }
    /// Share with the right full code.
    pub fn full_rate(&self) -> f64 {
        self.full_ok as f64 / self.full_total.max(1) as f64
    }
}

/// Codes the gold set writes differently from ISO 3166 / current CAMEO.
fn norm_country(c: &str) -> String {
    let c = c.trim().to_ascii_uppercase();
    match c.as_str() {
        "JAP" => "JPN".into(),
        "ITL" => "ITA".into(),
        _ => c,
    }
}

fn norm_sector(s: &str) -> Option<String> {
    let up: String = s.chars().take_while(|c| c.is_ascii_uppercase()).collect();
    let sec = up.get(..3)?;
    Some(if sec == "CIV" {
        "CVL".into()
    } else {
        sec.into()
    })
}

/// Byte span of `actor` in `text`: exact, case-insensitive, or from the first to the last part
/// of an elided "A ... B".
fn locate(text: &str, actor: &str) -> Option<(usize, usize)> {
    let a = actor.trim();
    if a.is_empty() {
        return None;
    }
    if let Some(i) = text.find(a) {
        return Some((i, i + a.len()));
    }
    // Lower-casing ASCII keeps byte offsets.
    let lt = text.to_ascii_lowercase();
    let la = a.to_ascii_lowercase();
    if let Some(i) = lt.find(&la) {
        return Some((i, i + la.len()));
    }
    let parts: Vec<&str> = la
        .split("..")
        .map(|p| p.trim_matches(['.', ' ']))
        .filter(|p| !p.is_empty())
        .collect();
    if parts.len() > 1 {
        let s = lt.find(parts[0])?;
        let last = parts[parts.len() - 1];
        let e = s + lt[s..].find(last)? + last.len();
        return Some((s, e));
    }
    // Cut short ("Revolutionary United Front (RUF"), spaced differently ("NATO  peacekeeping"),
    // or one of coordinated actors ("US forces" in "US and British forces"): the first word.
    let cut = la.trim_end_matches(|c: char| !c.is_alphanumeric());
    if let Some(i) = lt.find(cut) {
        return Some((i, i + cut.len()));
    }
    let first = la.split_whitespace().next()?;
    let i = lt.match_indices(first).map(|(i, _)| i).find(|&i| {
        let before = lt[..i].chars().next_back();
        let after = lt[i + first.len()..].chars().next();
        before.is_none_or(|c| !c.is_alphanumeric()) && after.is_none_or(|c| !c.is_alphanumeric())
    })?;
    Some((i, i + first.len()))
}

/// The mention that stands for the actor at `[s, e)`: its head, the right-most coded mention
/// before any post-modifier ("Albanians | of southern Serbia") or elision ("U.S. | ...
/// negotiators"); else the coded mention overlapping the span most.
fn pick<'a>(ms: &'a [Mention], text: &str, actor: &str, s: usize, e: usize) -> Option<&'a Mention> {
    let span = &text[s..e];
    let mut head_end = e;
    let a = actor.trim();
    if let Some(i) = a
        .find("..")
        .and_then(|i| span.find(a[..i].trim()).map(|j| j + a[..i].trim().len()))
    {
        head_end = s + i;
    }
    for w in [
        " of ",
        " in ",
        " at ",
        " from ",
        " based ",
        " operating ",
        " throughout ",
        " living ",
        " fleeing ",
        " near ",
        " (",
    ] {
        if let Some(i) = span.find(w) {
            head_end = head_end.min(s + i);
        }
    }
    let over = |lo: usize, hi: usize| {
        ms.iter()
            .filter(move |m| m.code.is_some() && m.start < hi && lo < m.end)
    };
    over(s, head_end)
        .max_by_key(|m| (m.end.min(head_end), m.end - m.start))
        .or_else(|| {
            over(s, e).max_by_key(|m| (m.end.min(e) - m.start.max(s), std::cmp::Reverse(m.start)))
        })
}

fn sector_matches(code: &str, sector: Option<&str>) -> bool {
    let rest = code.get(3..).unwrap_or("");
    match sector {
        // A state with no sector: the bare country code. Organisations (IGO, NGO, IMG) carry
        // their own id after the prefix, which is no sector.
        None => rest.is_empty() || matches!(code.get(..3), Some("IGO" | "NGO" | "IMG" | "NGM")),
        Some(sec) => {
            let mut i = 0;
            while let Some(chunk) = rest.get(i..i + 3) {
                if chunk == sec {
                    return true;
                }
                i += 3;
            }
            false
        }
    }
}

/// Score the knowledge base's actor codes on PLOVER gold-standard records (a JSON array, as in
/// `PLOVER_GSR_CAMEO.dev.json`). Roles are resolved on each record's `date`, except the
/// gold set's placeholder 2000-01-01, which means no date (latest roles).
pub fn score_actors(kb: &Kb, json: &str) -> Result<ActorScore, KbError> {
    let recs: Vec<serde_json::Value> =
        serde_json::from_str(json).map_err(|e| KbError::Gold(e.to_string()))?;
    let mut out = ActorScore::default();
    for r in &recs {
        let Some(text) = r.get("text").and_then(|t| t.as_str()) else {
            continue;
        };
        let date = r
            .get("date")
            .and_then(|d| d.as_str())
            .and_then(|d| NaiveDate::parse_from_str(d.get(..10).unwrap_or(d), "%Y-%m-%d").ok())
            // The gold set's readme: "All date fields are set to 2000-01-01" — no date.
            .filter(|d| Some(*d) != NaiveDate::from_ymd_opt(2000, 1, 1));
        let id = r
            .get("id")
            .and_then(|v| v.as_str())
            .unwrap_or("")
            .to_string();
        let ms = kb.mentions(text, date);
        for role in ["source", "target"] {
            let Some(list) = r.get(role).and_then(|v| v.as_array()) else {
                continue;
            };
            for a in list {
                let (Some(at), Some(code)) = (
                    a.get("actorText").and_then(|v| v.as_str()),
                    a.get("code").and_then(|v| v.as_str()),
                ) else {
                    continue;
                };
                let gold_country = norm_country(code.get(..3).unwrap_or(code));
                let sector_raw = a.get("sector").and_then(|v| v.as_str()).unwrap_or("");
                let sector_unknown = sector_raw.contains('*');
                let gold_sector = norm_sector(sector_raw);
                let span = locate(text, at);
                let m = span.and_then(|(s, e)| pick(&ms, text, at, s, e));
                let found = m.and_then(|m| m.code.clone());
                let country_ok = found
                    .as_deref()
                    .and_then(|c| c.get(..3))
                    .is_some_and(|c| c == gold_country);
                let full_ok = !sector_unknown
                    && country_ok
                    && found
                        .as_deref()
                        .is_some_and(|c| sector_matches(c, gold_sector.as_deref()));
                out.total += 1;
                out.located += usize::from(span.is_some());
                out.with_code += usize::from(found.is_some());
                out.country_ok += usize::from(country_ok);
                out.full_total += usize::from(!sector_unknown);
                out.full_ok += usize::from(full_ok);
                out.items.push(ActorItem {
                    id: id.clone(),
                    role: role.to_string(),
                    actor_text: at.to_string(),
                    gold_country,
                    gold_sector,
                    sector_unknown,
                    located: span.is_some(),
                    found,
                    found_text: m.map(|m| text[m.start..m.end].to_string()),
                    country_ok,
                    full_ok,
                });
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sectors_and_codes() {
        assert_eq!(norm_sector("CVLalb").as_deref(), Some("CVL"));
        assert_eq!(norm_sector("CIVsrp").as_deref(), Some("CVL"));
        assert_eq!(norm_sector("").as_deref(), None);
        assert!(sector_matches("HUNGOV", Some("GOV")));
        assert!(sector_matches("PSECVLMOS", Some("CVL")));
        assert!(!sector_matches("HUNGOV", None));
        assert!(sector_matches("IGOUNO", None));
        assert_eq!(
            locate(
                "the Sierra Leonean and Liberian refugees",
                "Sierra Leonean ... refugees"
            ),
            Some((4, 40))
        );
    }

    #[test]
    fn scores_a_record() {
        let json = r#"[{"id":"x","date":"2000-01-01","text":"Hungarian officials met Iraq.",
          "source":[{"actorText":"Hungarian officials","code":"HUN","sector":"GOV"}],
          "target":[{"actorText":"Iraq","code":"IRQ"}]}]"#;
        let s = score_actors(Kb::shared(), json).unwrap();
        assert_eq!(
            (s.total, s.country_ok, s.full_ok),
            (2, 2, 2),
            "{:?}",
            s.items
        );
    }
}
