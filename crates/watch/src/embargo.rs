//! The UN Security Council arms embargo table (`data/kb/un_arms_embargoes.tsv`), compiled in.

use chrono::NaiveDate;
use std::sync::OnceLock;

use crate::error::WatchError;

const TABLE: &str = include_str!("../../../data/kb/un_arms_embargoes.tsv");

/// Roles that make an actor part of the state; `nonstate` rows exclude them.
const STATE_ROLES: [&str; 6] = ["GOV", "MIL", "COP", "SPY", "JUD", "LEG"];

/// Whom an embargo row covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Every actor whose code starts with one of the codes (the country and all its roles).
    State,
    /// Actors of the country other than its government, military, police, intelligence,
    /// courts and legislature (and not the bare country code).
    NonState,
    /// Only the codes given (prefixes) and actors whose text holds one of the names.
    Group,
}

/// One UN Security Council arms embargo.
#[derive(Debug, Clone, PartialEq)]
pub struct Embargo {
    /// Short id (`dprk`).
    pub id: String,
    /// The state or group, in words.
    pub target: String,
    /// Whom it covers.
    pub scope: Scope,
    /// CAMEO actor-code prefixes.
    pub codes: Vec<String>,
    /// Lower-case names matched inside the actor's text.
    pub names: Vec<String>,
    /// First day in force.
    pub start: NaiveDate,
    /// Day it ended (not in force on that day); `None` while in force.
    pub end: Option<NaiveDate>,
    /// Resolution numbers.
    pub resolutions: Vec<String>,
    /// Which date is approximate (`start`, `end`), empty when both are exact.
    pub approximate: String,
    /// Notes.
    pub notes: String,
}

impl Embargo {
    /// In force on `day`.
    pub fn in_force(&self, day: NaiveDate) -> bool {
        day >= self.start && self.end.is_none_or(|e| day < e)
    }

    /// Covers an actor with CAMEO code `code` (may be empty) and text `text`.
    pub fn covers(&self, code: &str, text: &str) -> bool {
        let code_hit = !code.is_empty()
            && self.codes.iter().any(|c| {
                code.starts_with(c.as_str())
                    && match self.scope {
                        Scope::State | Scope::Group => true,
                        Scope::NonState => {
                            // The role right after the country code decides.
                            let role = code.get(c.len()..c.len() + 3).unwrap_or("");
                            !role.is_empty() && !STATE_ROLES.contains(&role)
                        }
                    }
            });
        code_hit || (!self.names.is_empty() && names_hit(&self.names, text))
    }

    /// `dprk (res. 1718, 1874; since 2006-10-14)`, for alert reasons.
    pub fn label(&self) -> String {
        let res = self.resolutions.join(", ");
        match self.end {
            None => format!("{} (res. {res}; since {})", self.target, self.start),
            Some(e) => format!("{} (res. {res}; {} to {e})", self.target, self.start),
        }
    }
}

/// A whole-word, case-insensitive hit of one of `names` in `text`.
fn names_hit(names: &[String], text: &str) -> bool {
    if text.is_empty() {
        return false;
    }
    let t = text.to_lowercase();
    names.iter().any(|n| {
        t.match_indices(n.as_str()).any(|(i, m)| {
            let before = t[..i].chars().next_back();
            // A plural (`the Houthis`) still names the group.
            let rest = &t[i + m.len()..];
            let rest = rest.strip_prefix('s').unwrap_or(rest);
            let after = rest.chars().next();
            !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
        })
    })
}

/// The embargo table.
#[derive(Debug, Clone)]
pub struct EmbargoTable {
    rows: Vec<Embargo>,
}

impl EmbargoTable {
    /// The table shipped with wirecoder, parsed once.
    pub fn builtin() -> &'static EmbargoTable {
        static T: OnceLock<EmbargoTable> = OnceLock::new();
        // The table is compiled in and checked by the tests; a broken table yields an empty
        // one rather than a panic at run time.
        T.get_or_init(|| EmbargoTable::parse(TABLE).unwrap_or(EmbargoTable { rows: Vec::new() }))
    }

    /// Parses the TSV layout of `data/kb/un_arms_embargoes.tsv`.
    pub fn parse(text: &str) -> Result<EmbargoTable, WatchError> {
        let mut rows = Vec::new();
        for (i, line) in text.lines().enumerate() {
            let line_no = i + 1;
            if line.trim().is_empty() || line.starts_with('#') {
                continue;
            }
            let bad = |reason: String| WatchError::Table {
                line: line_no,
                reason,
            };
            let f: Vec<&str> = line.split('\t').collect();
            if f.len() != 10 {
                return Err(bad(format!("expected 10 columns, found {}", f.len())));
            }
            let list = |s: &str, lower: bool| -> Vec<String> {
                s.split(';')
                    .map(str::trim)
                    .filter(|x| !x.is_empty())
                    .map(|x| {
                        if lower {
                            x.to_lowercase()
                        } else {
                            x.to_string()
                        }
                    })
                    .collect()
            };
            let date = |s: &str| {
                NaiveDate::parse_from_str(s, "%Y-%m-%d")
                    .map_err(|e| bad(format!("date {s:?}: {e}")))
            };
            let scope = match f[2] {
                "state" => Scope::State,
                "nonstate" => Scope::NonState,
                "group" => Scope::Group,
                other => return Err(bad(format!("unknown scope {other:?}"))),
            };
            let end = if f[6].is_empty() {
                None
            } else {
                Some(date(f[6])?)
            };
            let row = Embargo {
                id: f[0].to_string(),
                target: f[1].to_string(),
                scope,
                codes: list(f[3], false),
                names: list(f[4], true),
                start: date(f[5])?,
                end,
                resolutions: list(f[7], false),
                approximate: f[8].to_string(),
                notes: f[9].to_string(),
            };
            if row.codes.is_empty() && row.names.is_empty() {
                return Err(bad("neither codes nor names".into()));
            }
            if row.end.is_some_and(|e| e <= row.start) {
                return Err(bad("ends before it starts".into()));
            }
            rows.push(row);
        }
        Ok(EmbargoTable { rows })
    }

    /// Every row.
    pub fn rows(&self) -> &[Embargo] {
        &self.rows
    }

    /// The first embargo in force on `day` that covers the actor, if any.
    pub fn covering(&self, code: &str, text: &str, day: NaiveDate) -> Option<&Embargo> {
        self.rows
            .iter()
            .find(|r| r.in_force(day) && r.covers(code, text))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn the_shipped_table_parses() {
        let t = EmbargoTable::parse(TABLE).unwrap();
        assert!(t.rows().len() >= 30);
        assert_eq!(EmbargoTable::builtin().rows().len(), t.rows().len());
    }

    #[test]
    fn dates_and_scopes_decide() {
        let t = EmbargoTable::builtin();
        assert_eq!(
            t.covering("PRKGOV", "", d("2024-01-02")).unwrap().id,
            "dprk"
        );
        assert!(t.covering("PRK", "", d("2005-01-01")).is_none());
        // Iran: in force 2007-2020, not in 2022.
        assert!(t.covering("IRN", "", d("2012-05-01")).is_some());
        assert!(t.covering("IRNGOV", "", d("2022-05-01")).is_none());
        // Somalia: the Government is exempt after 2714, Al-Shabaab is not.
        assert!(t.covering("SOMGOV", "", d("2024-03-01")).is_none());
        assert!(t.covering("SOMGOV", "", d("2010-03-01")).is_some());
        assert!(t.covering("SOMREB", "", d("2024-03-01")).is_some());
        // DRC: non-state only.
        assert!(t.covering("CODGOV", "", d("2015-01-01")).is_none());
        assert!(t.covering("CODREB", "", d("2015-01-01")).is_some());
        assert!(t.covering("COD", "", d("2015-01-01")).is_none());
        // Names: Hezbollah by text, whole words only.
        assert!(t
            .covering("", "Hezbollah fighters", d("2020-01-01"))
            .is_some());
        assert!(t.covering("", "Hezbollahx", d("2020-01-01")).is_none());
        assert!(t.covering("RUS", "Russia", d("2024-01-01")).is_none());
        // South Africa: 1977-1994, ended on the day of 919.
        assert!(t.covering("ZAF", "", d("1994-05-24")).is_some());
        assert!(t.covering("ZAF", "", d("1994-05-25")).is_none());
    }
}
