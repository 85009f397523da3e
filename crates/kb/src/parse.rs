//! Readers for the TABARI/Phoenix dictionaries and the project's TSV tables.
//!
//! Every reader skips what it cannot understand and counts it, so a damaged line never stops the
//! load and never panics.

use chrono::NaiveDate;
use std::collections::HashMap;

/// One dated (or undated) role of an actor: a CAMEO code valid in `[start, end)`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Role {
    pub code: String,
    pub start: Option<NaiveDate>,
    pub end: Option<NaiveDate>,
}

impl Role {
    fn undated(&self) -> bool {
        self.start.is_none() && self.end.is_none()
    }
}

/// Which code a set of roles gives on a date: the dated role holding the date (latest start
/// wins), else the undated default. Without a date: the open-ended role with the latest start,
/// else the default, else the role that ended last.
pub(crate) fn resolve(roles: &[Role], date: Option<NaiveDate>) -> Option<&str> {
    let default = roles.iter().find(|r| r.undated());
    match date {
        Some(d) => roles
            .iter()
            .filter(|r| !r.undated())
            .filter(|r| r.start.is_none_or(|s| s <= d) && r.end.is_none_or(|e| d < e))
            .max_by_key(|r| r.start)
            .or(default)
            .map(|r| r.code.as_str()),
        None => roles
            .iter()
            .filter(|r| !r.undated() && r.end.is_none())
            .max_by_key(|r| r.start)
            .or(default)
            .or_else(|| roles.iter().max_by_key(|r| r.end))
            .map(|r| r.code.as_str()),
    }
}

/// One entry of a TABARI actor dictionary: a primary phrase, its synonyms, roles, comment.
#[derive(Debug, Clone, Default)]
pub(crate) struct DictEntry {
    pub name: String,
    pub synonyms: Vec<String>,
    pub roles: Vec<Role>,
    pub comment: String,
}

/// Parse a TABARI date: `YYMMDD` (YY >= 30 means 19YY) or `YYYYMMDD`.
pub(crate) fn tabari_date(s: &str) -> Option<NaiveDate> {
    if !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let (y, rest) = match s.len() {
        6 => {
            let yy: i32 = s[..2].parse().ok()?;
            (if yy >= 30 { 1900 + yy } else { 2000 + yy }, &s[2..])
        }
        8 => (s[..4].parse().ok()?, &s[4..]),
        _ => return None,
    };
    let m: u32 = rest[..2].parse().ok()?;
    let d: u32 = rest[2..].parse().ok()?;
    NaiveDate::from_ymd_opt(y, m, d)
}

/// Parse the inside of one `[CODE spec]` bracket.
fn parse_role(inner: &str) -> Option<Role> {
    let mut it = inner.split_whitespace();
    let code = it.next()?.trim();
    if code.is_empty() || code.starts_with("---") {
        return None;
    }
    if !code
        .bytes()
        .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'~')
    {
        return None;
    }
    let spec: String = it.collect();
    let (start, end) = if spec.is_empty() {
        (None, None)
    } else if let Some(d) = spec.strip_prefix('>') {
        (Some(tabari_date(d)?), None)
    } else if let Some(d) = spec.strip_prefix('<') {
        (None, Some(tabari_date(d)?))
    } else if let Some((a, b)) = spec.split_once('-') {
        (Some(tabari_date(a)?), Some(tabari_date(b)?))
    } else {
        return None;
    };
    Some(Role {
        code: code.to_string(),
        start,
        end,
    })
}

/// Pull every `[...]` out of `s`, returning the text outside brackets and the roles found;
/// `bad` counts brackets that did not parse.
fn split_roles(s: &str, bad: &mut usize) -> (String, Vec<Role>) {
    let mut outside = String::new();
    let mut roles = Vec::new();
    let mut rest = s;
    while let Some(i) = rest.find('[') {
        outside.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        match after.find(']') {
            Some(j) => {
                match parse_role(&after[..j]) {
                    Some(r) => roles.push(r),
                    None => {
                        if !after[..j].trim().starts_with("---") {
                            *bad += 1
                        }
                    }
                }
                rest = &after[j + 1..];
            }
            None => {
                *bad += 1;
                rest = "";
            }
        }
    }
    outside.push_str(rest);
    (outside, roles)
}

/// TABARI phrase → plain words: underscores are spaces, whitespace collapsed.
pub(crate) fn phrase(s: &str) -> String {
    s.replace('_', " ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Parse a TABARI actor dictionary. Returns the entries and the number of skipped items.
pub(crate) fn parse_actors(text: &str) -> (Vec<DictEntry>, usize) {
    let mut out = Vec::new();
    let mut bad = 0usize;
    let mut cur: Option<DictEntry> = None;
    let flush = |cur: &mut Option<DictEntry>, out: &mut Vec<DictEntry>, bad: &mut usize| {
        if let Some(e) = cur.take() {
            if e.roles.is_empty() || e.name.is_empty() {
                *bad += 1;
            } else {
                out.push(e);
            }
        }
    };
    for raw in text.lines() {
        let line = raw.trim_end();
        if line.trim().is_empty() {
            flush(&mut cur, &mut out, &mut bad);
            continue;
        }
        if line.starts_with('#') {
            continue;
        }
        let (body, comment) = match line.find('#') {
            Some(i) => (&line[..i], line[i + 1..].trim()),
            None => (line, ""),
        };
        let (words, roles) = split_roles(body, &mut bad);
        let first = body.chars().next().unwrap_or(' ');
        if first == '+' {
            match cur.as_mut() {
                Some(e) => {
                    let p = phrase(words.trim_start_matches('+'));
                    if !p.is_empty() {
                        e.synonyms.push(p);
                    }
                    e.roles.extend(roles);
                }
                None => bad += 1,
            }
        } else if first.is_whitespace() {
            // A role line (or a stray indented comment) belongs to the current entry.
            match cur.as_mut() {
                Some(e) => e.roles.extend(roles),
                None => {
                    if !roles.is_empty() {
                        bad += 1
                    }
                }
            }
        } else {
            // A new entry; a previous one without a blank line between ends here.
            flush(&mut cur, &mut out, &mut bad);
            cur = Some(DictEntry {
                name: phrase(&words),
                synonyms: Vec::new(),
                roles,
                comment: comment.to_string(),
            });
        }
    }
    flush(&mut cur, &mut out, &mut bad);
    (out, bad)
}

/// English plural of an upper- or lower-case noun, good enough for agent words.
fn plural(w: &str) -> String {
    let l = w.to_ascii_lowercase();
    if l.ends_with("man") {
        return format!("{}en", &w[..w.len() - 2]);
    }
    if l.ends_with('y') && !l.ends_with("ay") && !l.ends_with("ey") && !l.ends_with("oy") {
        return format!("{}ies", &w[..w.len() - 1]);
    }
    if l.ends_with('s') || l.ends_with("sh") || l.ends_with("ch") || l.ends_with('x') {
        return format!("{w}es");
    }
    format!("{w}s")
}

/// The agents of a Phoenix agents file, as lower-case phrases.
#[derive(Debug, Default)]
pub(crate) struct Agents {
    /// Phrase → code appended to an actor's (`[~GOV]`: "officials" → `GOV`).
    pub suffix: HashMap<String, String>,
    /// Phrase → code put before an actor's (`[NGO~]`: "MSF Arnor" → `NGOARN`).
    pub prefix: HashMap<String, String>,
}

/// Parse the Phoenix agents file; also returns the number of lines skipped.
pub(crate) fn parse_agents(text: &str) -> (Agents, usize) {
    let mut macros: Vec<(String, Vec<String>)> = Vec::new();
    let mut out = Agents::default();
    let mut bad = 0usize;
    for raw in text.lines() {
        let line = match raw.find('#') {
            Some(i) => &raw[..i],
            None => raw,
        }
        .trim();
        if line.is_empty() {
            continue;
        }
        // `!PERSON! = MAN, MEN` defines a macro; `!MINIST!  [~GOV]` is an agent pattern that
        // starts with one (270 of the Phoenix agents do).
        if line.starts_with('!') && !line.contains('[') {
            if let Some((name, alts)) = line.split_once('=') {
                macros.push((
                    name.trim().to_string(),
                    alts.split(',').map(|a| a.trim().to_string()).collect(),
                ));
            } else {
                bad += 1;
            }
            continue;
        }
        let (Some(open), Some(close)) = (line.find('['), line.rfind(']')) else {
            bad += 1;
            continue;
        };
        if close < open {
            bad += 1;
            continue;
        }
        let code = line[open + 1..close].trim();
        // `[~GOV]` appends to an actor, `[IGO~]` goes before it.
        let (map, code) = if let Some(c) = code.strip_prefix('~') {
            (&mut out.suffix, c.trim())
        } else if let Some(c) = code.strip_suffix('~') {
            (&mut out.prefix, c.trim())
        } else {
            bad += 1;
            continue;
        };
        if code.is_empty() || !code.bytes().all(|b| b.is_ascii_alphanumeric()) {
            bad += 1;
            continue;
        }
        let head = &line[..open];
        let (word, plural_given) = match (head.find('{'), head.find('}')) {
            (Some(a), Some(b)) if a < b => (head[..a].trim(), Some(head[a + 1..b].trim())),
            _ => (head.trim(), None),
        };
        let mut forms: Vec<String> = vec![word.to_string()];
        let had_macro = macros.iter().any(|(m, _)| word.contains(m.as_str()));
        for (m, alts) in &macros {
            if forms.iter().any(|f| f.contains(m.as_str())) {
                forms = forms
                    .iter()
                    .flat_map(|f| alts.iter().map(move |a| f.replace(m.as_str(), a)))
                    .collect();
            }
        }
        if forms.iter().any(|f| f.contains('!')) {
            bad += 1;
            continue;
        }
        let mut all = forms.clone();
        match plural_given {
            Some("") => {}
            Some(p) => all.push(p.to_string()),
            // Macro forms already carry number (MAN, MEN; MINISTER, MINISTERS).
            None if had_macro => {}
            None => {
                for f in &forms {
                    if !f.ends_with("MEN") && !f.ends_with("MAN") && !f.ends_with('S') {
                        all.push(plural(f));
                    }
                }
            }
        }
        for f in all {
            let p = phrase(&f).to_lowercase();
            if !p.is_empty() {
                map.insert(p, code.to_string());
            }
        }
    }
    (out, bad)
}

/// Non-comment lines of a TSV split on tabs.
pub(crate) fn tsv(text: &str) -> impl Iterator<Item = (usize, Vec<&str>)> {
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.starts_with('#') && !l.trim().is_empty())
        .map(|(i, l)| (i + 1, l.split('\t').collect()))
}

/// ISO date or empty → `Option<NaiveDate>`; `Err` when non-empty and not a date.
pub(crate) fn iso_date(s: &str) -> Result<Option<NaiveDate>, ()> {
    let s = s.trim();
    if s.is_empty() {
        return Ok(None);
    }
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .map(Some)
        .map_err(|_| ())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, dd: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, dd).unwrap()
    }

    #[test]
    fn dates() {
        assert_eq!(tabari_date("080508"), Some(d(2008, 5, 8)));
        assert_eq!(tabari_date("991231"), Some(d(1999, 12, 31)));
        assert_eq!(tabari_date("20070101"), Some(d(2007, 1, 1)));
        assert_eq!(tabari_date("2004017"), None);
    }

    #[test]
    fn entries_and_roles() {
        let text = "# c\nVLADIMIR_PUTIN_  # CountryInfo.txt\n+PUTIN_\n\t[RUSELI 700101-990809]\n\t[RUSGOV >080508]\n\t[RUSELI]\n\nU.N._\n\nUN_ [IGOUNO]\nKIM_IL_ [PRKGOV 721228-760429] [ELI]\n";
        let (e, bad) = parse_actors(text);
        assert_eq!(e.len(), 3);
        assert_eq!(bad, 1); // U.N. without a code
        assert_eq!(e[0].name, "VLADIMIR PUTIN");
        assert_eq!(e[0].synonyms, vec!["PUTIN".to_string()]);
        assert_eq!(resolve(&e[0].roles, Some(d(2020, 1, 1))), Some("RUSGOV"));
        assert_eq!(resolve(&e[0].roles, Some(d(1980, 1, 1))), Some("RUSELI"));
        assert_eq!(resolve(&e[0].roles, None), Some("RUSGOV"));
        assert_eq!(resolve(&e[2].roles, Some(d(1973, 1, 1))), Some("PRKGOV"));
        assert_eq!(resolve(&e[2].roles, Some(d(1990, 1, 1))), Some("ELI"));
    }

    #[test]
    fn agents_with_macros_and_plurals() {
        let text = "!PERSON! = MAN, MEN\n!MINIST! = MINISTER, MINISTRY\nPOLICE {} [~COP]\nPOLICE!PERSON!  [~COP]\nTHIEF {THIEVES} [~CRM]\nFARMER [~AGR]\nOBSERVERS_IN [IGO~]\n!MINIST!  [~GOV]\n!MINIST! FOR_AGRICULTURE [~GOVAGR]\nBAD [~]\n";
        let (a, bad) = parse_agents(text);
        let m = &a.suffix;
        assert_eq!(m.get("policemen").map(String::as_str), Some("COP"));
        assert_eq!(m.get("thieves").map(String::as_str), Some("CRM"));
        assert_eq!(m.get("farmers").map(String::as_str), Some("AGR"));
        assert!(!m.contains_key("polices"));
        // Patterns that begin with a macro are agents, not macro definitions.
        assert_eq!(m.get("ministry").map(String::as_str), Some("GOV"));
        assert_eq!(
            m.get("minister for agriculture").map(String::as_str),
            Some("GOVAGR")
        );
        assert!(!m.contains_key("minister for agricultures"));
        assert_eq!(
            a.prefix.get("observers in").map(String::as_str),
            Some("IGO")
        );
        assert_eq!(bad, 1);
    }
}
