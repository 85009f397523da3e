//! Assembles actors and name patterns from the dictionaries and tables, later sources
//! overriding earlier ones name by name.

use crate::parse::{self, Role};
use crate::{Actor, Country, FxMap, KbError, MentionKind, Pattern};
use std::collections::HashMap;
use wirecoder_doc::{EntityType, Place};

/// Demonyms the country table's adjectives do not give: (ISO3, extra adjectives, plural
/// people nouns). Plurals of adjectives in -an, -i, -o ("Iraqis") are made by rule.
const DEMONYMS: &[(&str, &[&str], &[&str])] = &[
    ("SRB", &["Serb"], &["Serbs"]),
    ("HRV", &["Croat"], &["Croats"]),
    ("DEU", &["West German"], &["West Germans"]),
    (
        "BIH",
        &["Bosnian Serb", "Bosnian Croat", "Bosnian Muslim"],
        &[
            "Bosnian Serbs",
            "Bosnian Croats",
            "Bosnian Muslims",
            "Bosniaks",
        ],
    ),
    ("TUR", &[], &["Turks"]),
    ("POL", &[], &["Poles"]),
    ("DNK", &[], &["Danes"]),
    ("SWE", &[], &["Swedes"]),
    ("FIN", &[], &["Finns"]),
    ("GBR", &[], &["Britons"]),
    ("NLD", &[], &["Dutchmen"]),
    ("FRA", &[], &["Frenchmen"]),
];

#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Source {
    Countries,
    International,
    NonState,
}

#[derive(Default)]
pub(crate) struct Builder {
    pub actors: Vec<Actor>,
    pub map: FxMap<String, Pattern>,
    /// People by first name (lower case): their name's other words (lower case, articles
    /// "al"/"el" dropped; the last one the surname) and id.
    pub first_names: FxMap<String, Vec<(Vec<String>, usize)>>,
    pub skipped: usize,
}

/// "KIM JONG UN" → "Kim Jong Un"; short dotted acronyms stay as they are.
fn title_case(s: &str) -> String {
    s.split(' ')
        .map(|w| {
            if w.contains('.') && w.len() <= 6 {
                return w.to_string();
            }
            let mut out = String::new();
            let mut up = true;
            for c in w.chars() {
                if up {
                    out.extend(c.to_uppercase());
                } else {
                    out.extend(c.to_lowercase());
                }
                up = c == '-' || c == '(';
            }
            out
        })
        .collect::<Vec<_>>()
        .join(" ")
}

fn is_vowel(c: char) -> bool {
    matches!(c.to_ascii_uppercase(), 'A' | 'E' | 'I' | 'O' | 'U')
}

fn place_of(name: &str, code: Option<&str>) -> Place {
    Place {
        name: name.to_string(),
        country: code.and_then(|c| c.get(..3)).map(str::to_string),
        geonames_id: None,
        lat: None,
        lon: None,
    }
}

fn undated(code: &str) -> Vec<Role> {
    vec![Role {
        code: code.to_string(),
        start: None,
        end: None,
    }]
}

/// `YUG;SCG 1992-04-28 2006-06-05`: an undated default and dated codes (`-` for an open end).
fn parse_dated_roles(s: &str) -> Option<Vec<Role>> {
    let date = |d: &str| {
        if d == "-" {
            Some(None)
        } else {
            parse::iso_date(d).ok()
        }
    };
    let mut out = Vec::new();
    for part in s.split(';').map(str::trim).filter(|p| !p.is_empty()) {
        let ws: Vec<&str> = part.split_whitespace().collect();
        let role = match ws.as_slice() {
            [code] => Role {
                code: code.to_string(),
                start: None,
                end: None,
            },
            [code, a, b] => Role {
                code: code.to_string(),
                start: date(a)?,
                end: date(b)?,
            },
            _ => return None,
        };
        if !role.code.bytes().all(|b| b.is_ascii_uppercase()) {
            return None;
        }
        out.push(role);
    }
    (!out.is_empty()).then_some(out)
}

fn split_list(s: &str) -> Vec<String> {
    s.split(';')
        .map(str::trim)
        .filter(|x| !x.is_empty())
        .map(str::to_string)
        .collect()
}

impl Builder {
    fn push(&mut self, a: Actor) -> usize {
        self.actors.push(a);
        self.actors.len() - 1
    }

    /// Register `name` for actor `id`. `cased`: the name is written in its real case (our
    /// tables) rather than TABARI upper case.
    fn add_name(&mut self, name: &str, id: usize, cased: bool) {
        // "Liberation Tigers of Tamil Eelam (LTTE)": the name and the acronym, each alone.
        if let (Some(a), Some(b)) = (name.find('('), name.rfind(')')) {
            if a < b {
                let base = format!("{} {}", &name[..a], &name[b + 1..]);
                let inner = name[a + 1..b].to_string();
                if !base.trim().is_empty() {
                    self.add_name(&base, id, cased);
                }
                self.add_name(&inner, id, cased);
                return;
            }
        }
        // Most names are already single-spaced phrases: only rebuild those that are not.
        let clean =
            !name.contains(['_', '\t', '\n', '\r']) && !name.contains("  ") && name.trim() == name;
        let mut n = if clean {
            name.to_string()
        } else {
            parse::phrase(name)
        };
        if let Some(rest) = n
            .get(..4)
            .filter(|p| p.eq_ignore_ascii_case("the "))
            .and_then(|_| n.get(4..))
            .filter(|r| !r.is_empty())
        {
            n = rest.to_string();
        }
        let letters = n.chars().filter(|c| c.is_alphabetic()).count();
        if letters < 2 {
            self.skipped += 1;
            return;
        }
        let single = !n.contains(' ');
        // Short acronyms (US, UK, KCNA) must appear exactly; TABARI gives no case, so there
        // a short word with vowels ("IRAN", "NATO") is taken for a name.
        let acronym = single
            && letters <= 4
            && if cased {
                !n.chars().any(|c| c.is_alphabetic() && c.is_lowercase())
            } else {
                letters <= 3
                    || !n.chars().any(|c| c.is_alphabetic() && is_vowel(c))
                    || n.contains('.')
            };
        let key = n.to_ascii_lowercase();
        let p = self.map.entry(key).or_default();
        p.actor = id;
        p.after_title = false;
        if acronym {
            if !p.exact.contains(&n) {
                p.exact.push(n);
            }
        } else {
            p.loose = true;
        }
    }

    /// A person's surname as a pattern that needs a title before it. Surnames of more than
    /// one person, and names already taken, are not registered.
    fn add_surname(&mut self, name: &str, id: usize, seen: &mut FxMap<String, usize>) {
        let n = parse::phrase(name);
        let Some(last) = n.rsplit(' ').next().filter(|_| n.contains(' ')) else {
            return;
        };
        let last = title_case(last);
        let letters = last.chars().filter(|c| c.is_alphabetic()).count();
        if letters < 4 || !last.chars().all(|c| c.is_alphabetic() || c == '-') {
            return;
        }
        let key = last.to_ascii_lowercase();
        if let Some(&other) = seen.get(&key) {
            if other != id {
                // Two people share it: neither gets it.
                if self.map.get(&key).is_some_and(|p| p.after_title) {
                    self.map.remove(&key);
                }
            }
            return;
        }
        seen.insert(key.clone(), id);
        if self.map.contains_key(&key) {
            return;
        }
        self.map.insert(
            key,
            Pattern {
                actor: id,
                loose: false,
                exact: Vec::new(),
                after_title: true,
            },
        );
    }

    /// Surnames of every person, after all names are in.
    pub(crate) fn surnames(&mut self) {
        let mut seen = FxMap::default();
        let people: Vec<(usize, String)> = self
            .actors
            .iter()
            .enumerate()
            .filter(|(_, a)| a.kind == MentionKind::Person)
            .map(|(i, a)| (i, a.name.clone()))
            .collect();
        for (i, name) in people {
            self.add_surname(&name, i, &mut seen);
            let n = parse::phrase(&name).to_lowercase();
            let ws: Vec<String> = n
                .split(' ')
                .filter(|w| !matches!(*w, "al" | "el"))
                .map(|w| {
                    ["al-", "el-"]
                        .iter()
                        .find_map(|p| w.strip_prefix(p))
                        .unwrap_or(w)
                        .to_string()
                })
                .collect();
            if let [first, rest @ ..] = ws.as_slice() {
                let last_ok = rest.last().is_some_and(|l| l.chars().count() >= 4);
                if first.chars().count() >= 3 && last_ok {
                    let v = self.first_names.entry(first.clone()).or_default();
                    if !v.iter().any(|(r, id)| r.as_slice() == rest && *id == i) {
                        v.push((rest.to_vec(), i));
                    }
                }
            }
        }
    }

    fn lookup(&self, name: &str) -> Option<usize> {
        let key = parse::phrase(name).to_ascii_lowercase();
        self.map.get(&key).map(|p| p.actor)
    }

    pub(crate) fn phoenix(&mut self, text: &str, source: Source) {
        let (entries, bad) = parse::parse_actors(text);
        self.skipped += bad;
        for e in entries {
            let latest = parse::resolve(&e.roles, None).unwrap_or("").to_string();
            if latest.is_empty() || latest.contains('~') {
                self.skipped += 1;
                continue;
            }
            let name = title_case(&e.name);
            let is_country = source == Source::Countries
                && latest.len() == 3
                && latest.bytes().all(|b| b.is_ascii_uppercase());
            if is_country {
                let id = self.push(Actor {
                    name: name.clone(),
                    kind: MentionKind::Country,
                    etype: EntityType::Gpe,
                    roles: e.roles.clone(),
                    elite_after: false,
                    place: Some(place_of(&name, Some(&latest))),
                });
                self.add_name(&e.name, id, false);
                // Names under a country block are variants, adjectives, cities and regions:
                // each resolves to the country, as a place.
                for s in &e.synonyms {
                    let sname = title_case(s);
                    let sid = self.push(Actor {
                        name: sname.clone(),
                        kind: MentionKind::Place,
                        etype: EntityType::Gpe,
                        roles: e.roles.clone(),
                        elite_after: false,
                        place: Some(place_of(&sname, Some(&latest))),
                    });
                    self.add_name(s, sid, false);
                }
                continue;
            }
            let comment = e.comment.to_ascii_lowercase();
            let person = e.roles.iter().any(|r| r.start.is_some() || r.end.is_some())
                || comment.contains("countryinfo")
                || comment.contains("igorulers");
            let (kind, etype) = if person {
                (MentionKind::Person, EntityType::Person)
            } else if latest.ends_with("MED") {
                (MentionKind::Media, EntityType::Media)
            } else if latest.starts_with("IGO") {
                (MentionKind::Igo, EntityType::Org)
            } else if source == Source::NonState {
                (MentionKind::Group, EntityType::Org)
            } else {
                (MentionKind::Org, EntityType::Org)
            };
            let id = self.push(Actor {
                name,
                kind,
                etype,
                roles: e.roles,
                elite_after: false,
                place: None,
            });
            self.add_name(&e.name, id, false);
            for s in &e.synonyms {
                self.add_name(s, id, false);
            }
        }
    }

    pub(crate) fn igos(&mut self, text: &str) -> Result<(), KbError> {
        for (_, f) in parse::tsv(text) {
            let [names, code, kind, ..] = f.as_slice() else {
                self.skipped += 1;
                continue;
            };
            let names = split_list(names);
            let Some(canon) = names.first().cloned() else {
                self.skipped += 1;
                continue;
            };
            let (kind, etype) = match kind.trim() {
                "media" => (MentionKind::Media, EntityType::Media),
                "igo" => (MentionKind::Igo, EntityType::Org),
                _ => (MentionKind::Org, EntityType::Org),
            };
            // The area the name also stands for as a place; coordinates come from the
            // gazetteer when a document is read.
            let place = f
                .get(4)
                .map(|p| p.trim())
                .filter(|p| !p.is_empty())
                .map(|p| place_of(p, None));
            let id = self.push(Actor {
                name: canon,
                kind,
                etype,
                roles: undated(code.trim()),
                elite_after: false,
                place,
            });
            for n in &names {
                self.add_name(n, id, true);
            }
        }
        Ok(())
    }

    pub(crate) fn countries(&mut self, text: &str) -> Result<HashMap<String, Country>, KbError> {
        let mut out = HashMap::new();
        for (line, f) in parse::tsv(text) {
            let [iso3, iso2, cameo, fips, name, aliases, capital, adjs, mets, ..] = f.as_slice()
            else {
                return Err(KbError::Row {
                    file: "countries.tsv",
                    line,
                    msg: format!("expected 9 columns, got {}", f.len()),
                });
            };
            let cameo = cameo.trim().to_string();
            let c = Country {
                name: name.trim().to_string(),
                iso2: iso2.trim().to_string(),
                iso3: iso3.trim().to_string(),
                cameo: cameo.clone(),
                fips: (!fips.trim().is_empty()).then(|| fips.trim().to_string()),
                capitals: split_list(capital),
                adjectives: split_list(adjs),
                metonyms: split_list(mets),
                aliases: split_list(aliases),
            };
            // Keep the dictionary's dated codes for the country (Ukraine was USRUKR before 1991).
            let roles = self
                .lookup(&c.name)
                .and_then(|i| self.actors.get(i))
                .filter(|a| a.kind == MentionKind::Country)
                .map(|a| a.roles.clone())
                .unwrap_or_else(|| undated(&cameo));
            let id = self.push(Actor {
                name: c.name.clone(),
                kind: MentionKind::Country,
                etype: EntityType::Gpe,
                roles,
                elite_after: false,
                place: Some(place_of(&c.name, Some(&c.iso3))),
            });
            for n in std::iter::once(&c.name).chain(&c.aliases) {
                self.add_name(n, id, true);
            }
            let extra = DEMONYMS.iter().find(|d| d.0 == c.iso3);
            let adjectives: Vec<&str> = c
                .adjectives
                .iter()
                .map(String::as_str)
                .chain(extra.into_iter().flat_map(|d| d.1.iter().copied()))
                .collect();
            if let Some(first) = adjectives.first() {
                let id = self.push(Actor {
                    name: first.to_string(),
                    kind: MentionKind::Adjective,
                    etype: EntityType::Norp,
                    roles: undated(&cameo),
                    elite_after: false,
                    place: None,
                });
                for n in &adjectives {
                    self.add_name(n, id, true);
                }
                // The nation ("the Palestinians reject…"): the country, as the Phoenix
                // dictionaries code it; counted people ("100 Palestinians") become civilians
                // in [`crate::Kb::compose`].
                let nation: Vec<String> = adjectives
                    .iter()
                    .filter(|a| a.ends_with("an") || a.ends_with('i') || a.ends_with('o'))
                    .map(|a| format!("{a}s"))
                    .collect();
                // Peoples listed by hand ("Bosnian Serbs", "Serbs"): groups within a
                // country, its civilians.
                let people: Vec<String> = extra
                    .into_iter()
                    .flat_map(|d| d.2.iter().map(|p| p.to_string()))
                    .collect();
                for (names, code) in [(nation, cameo.clone()), (people, format!("{cameo}CVL"))] {
                    let Some(p0) = names.first() else { continue };
                    let id = self.push(Actor {
                        name: p0.clone(),
                        kind: MentionKind::Adjective,
                        etype: EntityType::Norp,
                        roles: undated(&code),
                        elite_after: false,
                        place: None,
                    });
                    for n in &names {
                        self.add_name(n, id, true);
                    }
                }
            }
            let gov = format!("{cameo}GOV");
            for cap in &c.capitals {
                let id = self.push(Actor {
                    name: cap.clone(),
                    kind: MentionKind::Capital,
                    etype: EntityType::Gpe,
                    roles: undated(&gov),
                    elite_after: false,
                    place: Some(place_of(cap, Some(&c.iso3))),
                });
                self.add_name(cap, id, true);
            }
            for m in &c.metonyms {
                let id = self.push(Actor {
                    name: m.clone(),
                    kind: MentionKind::Metonym,
                    etype: EntityType::Org,
                    roles: undated(&gov),
                    elite_after: false,
                    place: None,
                });
                self.add_name(m, id, true);
            }
            out.insert(c.iso3.clone(), c);
        }
        if out.is_empty() {
            return Err(KbError::Empty {
                file: "countries.tsv",
            });
        }
        Ok(out)
    }

    /// Former states and old names of today's states (`data/kb/historical.tsv`): each name a
    /// country with the row's dated codes, its adjectives and nations as for today's states,
    /// its capitals the government's while they were capitals. Codes no country holds today
    /// (`SUN`, `YUG`) join `countries`, so that composites know their country.
    pub(crate) fn historical(
        &mut self,
        text: &str,
        countries: &mut HashMap<String, Country>,
    ) -> Result<(), KbError> {
        for (line, f) in parse::tsv(text) {
            let [names, adjs, nations, roles, successor, iso2, capitals, ..] = f.as_slice() else {
                return Err(KbError::Row {
                    file: "historical.tsv",
                    line,
                    msg: format!("expected 7 columns, got {}", f.len()),
                });
            };
            let row_err = |msg: String| KbError::Row {
                file: "historical.tsv",
                line,
                msg,
            };
            let roles =
                parse_dated_roles(roles).ok_or_else(|| row_err(format!("bad roles {roles:?}")))?;
            let names = split_list(names);
            let (Some(canon), Some(code)) = (names.first().cloned(), parse::resolve(&roles, None))
            else {
                return Err(row_err("no name or code".into()));
            };
            let code = code.to_string();
            let successor = successor.trim();
            let id = self.push(Actor {
                name: canon.clone(),
                kind: MentionKind::Country,
                etype: EntityType::Gpe,
                roles: roles.clone(),
                elite_after: false,
                place: Some(place_of(&canon, Some(successor))),
            });
            for n in &names {
                self.add_name(n, id, true);
            }
            for list in [adjs, nations] {
                let list = split_list(list);
                let Some(first) = list.first() else { continue };
                let id = self.push(Actor {
                    name: first.clone(),
                    kind: MentionKind::Adjective,
                    etype: EntityType::Norp,
                    roles: roles.clone(),
                    elite_after: false,
                    place: None,
                });
                for n in &list {
                    self.add_name(n, id, true);
                }
            }
            for cap in split_list(capitals) {
                let mut ws: Vec<&str> = cap.split_whitespace().collect();
                let (Some(end), Some(start)) = (ws.pop(), ws.pop()) else {
                    return Err(row_err(format!("bad capital {cap:?}")));
                };
                let date = |d: &str| {
                    if d == "-" {
                        Ok(None)
                    } else {
                        parse::iso_date(d)
                    }
                };
                let (Ok(start), Ok(end)) = (date(start), date(end)) else {
                    return Err(row_err(format!("bad capital dates {cap:?}")));
                };
                let name = ws.join(" ");
                let id = self.push(Actor {
                    name: name.clone(),
                    kind: MentionKind::Capital,
                    etype: EntityType::Gpe,
                    roles: vec![Role {
                        code: format!("{}GOV", code.get(..3).unwrap_or(&code)),
                        start,
                        end,
                    }],
                    elite_after: false,
                    place: Some(place_of(&name, Some(successor))),
                });
                self.add_name(&name, id, true);
            }
            for r in &roles {
                let cc = r.code.clone();
                countries.entry(cc.clone()).or_insert_with(|| Country {
                    name: canon.clone(),
                    iso2: iso2.trim().to_string(),
                    iso3: cc.clone(),
                    cameo: cc,
                    fips: None,
                    capitals: Vec::new(),
                    adjectives: Vec::new(),
                    metonyms: Vec::new(),
                    aliases: names.clone(),
                });
            }
        }
        Ok(())
    }

    /// Peoples of one country (`data/kb/peoples.tsv`): adjectives and plural nouns coded as
    /// the country, like its demonyms ("Chechen rebels" → `RUSREB`).
    pub(crate) fn peoples(&mut self, text: &str) -> Result<(), KbError> {
        for (line, f) in parse::tsv(text) {
            let [adjs, nouns, country, ..] = f.as_slice() else {
                return Err(KbError::Row {
                    file: "peoples.tsv",
                    line,
                    msg: format!("expected 3 columns, got {}", f.len()),
                });
            };
            let code = country.trim();
            if code.len() != 3 || !code.bytes().all(|b| b.is_ascii_uppercase()) {
                return Err(KbError::Row {
                    file: "peoples.tsv",
                    line,
                    msg: format!("bad country code {code:?}"),
                });
            }
            for list in [adjs, nouns] {
                let list = split_list(list);
                let Some(first) = list.first() else { continue };
                let id = self.push(Actor {
                    name: first.clone(),
                    kind: MentionKind::Adjective,
                    etype: EntityType::Norp,
                    roles: undated(code),
                    elite_after: false,
                    place: None,
                });
                for n in &list {
                    self.add_name(n, id, true);
                }
            }
        }
        Ok(())
    }

    pub(crate) fn officials(&mut self, text: &str) -> Result<(), KbError> {
        // Rows with the same canonical name are one person.
        let mut people: Vec<(String, Vec<String>, Vec<Role>)> = Vec::new();
        for (line, f) in parse::tsv(text) {
            let [names, code, start, end, ..] = f.as_slice() else {
                self.skipped += 1;
                continue;
            };
            let names = split_list(names);
            let Some(canon) = names.first().cloned() else {
                self.skipped += 1;
                continue;
            };
            let (Ok(start), Ok(end)) = (parse::iso_date(start), parse::iso_date(end)) else {
                return Err(KbError::Row {
                    file: "officials.tsv",
                    line,
                    msg: format!("bad date {start:?} or {end:?}"),
                });
            };
            let role = Role {
                code: code.trim().to_string(),
                start,
                end,
            };
            match people.iter_mut().find(|p| p.0 == canon) {
                Some(p) => {
                    p.2.push(role);
                    for n in names {
                        if !p.1.contains(&n) {
                            p.1.push(n);
                        }
                    }
                }
                None => people.push((canon, names, vec![role])),
            }
        }
        for (canon, names, roles) in people {
            // The same person in the Phoenix dictionary: take over its entry so that its
            // synonyms ("Russian President Vladimir Putin") get the curated roles too.
            let existing = self.lookup(&canon).filter(|&i| {
                self.actors
                    .get(i)
                    .is_some_and(|a| a.kind == MentionKind::Person)
            });
            let id = match existing {
                Some(i) => {
                    if let Some(a) = self.actors.get_mut(i) {
                        a.name = canon.clone();
                        a.roles = roles;
                        a.elite_after = true;
                    }
                    i
                }
                None => self.push(Actor {
                    name: canon.clone(),
                    kind: MentionKind::Person,
                    etype: EntityType::Person,
                    roles,
                    elite_after: true,
                    place: None,
                }),
            };
            for n in &names {
                self.add_name(n, id, true);
            }
        }
        Ok(())
    }

    /// Sorted pattern keys and their patterns, the actors, and the skip count.
    pub(crate) fn finish(self) -> (Vec<String>, Vec<Pattern>, Vec<Actor>, usize) {
        let mut all: Vec<(String, Pattern)> = self.map.into_iter().collect();
        all.sort_by(|a, b| a.0.cmp(&b.0));
        let (keys, pats) = all.into_iter().unzip();
        (keys, pats, self.actors, self.skipped)
    }
}
