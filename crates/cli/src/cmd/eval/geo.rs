//! `wirecoder eval geo DIR`: toponym recall and resolution accuracy on GeoVirus and GeoWebNews.
//!
//! Gold toponyms are those with coordinates. A gold toponym is found when a place the
//! knowledge base finds overlaps its span; it is resolved when that place lies within 161 km
//! (100 miles) of the gold point. Country adjectives ("Russian troops") count as their country,
//! as both gold sets annotate demonyms and modifiers.

use anyhow::{Context, Result};
use std::path::Path;
use std::time::Instant;
use wirecoder_kb::{distance_km, Kb, MentionKind};

struct Gold {
    start: usize,
    end: usize,
    name: String,
    lat: Option<f64>,
    lon: Option<f64>,
}

struct Article {
    text: String,
    gold: Vec<Gold>,
}

fn unescape(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        let Some(j) = rest.find(';').filter(|&j| j <= 10) else {
            out.push('&');
            rest = &rest[1..];
            continue;
        };
        let ent = &rest[1..j];
        let c = match ent {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            _ if ent.starts_with("#x") => u32::from_str_radix(&ent[2..], 16)
                .ok()
                .and_then(char::from_u32),
            _ if ent.starts_with('#') => ent[1..].parse().ok().and_then(char::from_u32),
            _ => None,
        };
        match c {
            Some(c) => {
                out.push(c);
                rest = &rest[j + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// Text of the first `<tag>...</tag>` in `s` (an empty `<tag/>` gives none).
fn tag<'a>(s: &'a str, name: &str) -> Option<&'a str> {
    let open = format!("<{name}>");
    let close = format!("</{name}>");
    let i = s.find(&open)? + open.len();
    let j = s[i..].find(&close)? + i;
    Some(&s[i..j])
}

/// Blocks `<name ...>...</name>`.
fn blocks<'a>(s: &'a str, name: &str) -> Vec<&'a str> {
    let open = format!("<{name}");
    let close = format!("</{name}>");
    let mut out = Vec::new();
    let mut rest = s;
    while let Some(i) = rest.find(&open) {
        let after = &rest[i + open.len()..];
        // "<location" must not match "<locations".
        if !after.starts_with(['>', ' ', '\t', '\n']) {
            rest = after;
            continue;
        }
        let Some(j) = after.find(&close) else { break };
        out.push(&after[..j]);
        rest = &after[j + close.len()..];
    }
    out
}

fn parse(xml: &str) -> Vec<Article> {
    let mut out = Vec::new();
    for a in blocks(xml, "article") {
        let Some(text) = tag(a, "text").map(unescape) else {
            continue;
        };
        let mut gold = Vec::new();
        for t in blocks(a, "toponym")
            .into_iter()
            .chain(blocks(a, "location"))
        {
            let num = |n: &str| tag(t, n).and_then(|v| v.trim().parse::<f64>().ok());
            let (Some(s), Some(e)) = (num("start"), num("end")) else {
                continue;
            };
            let name = tag(t, "extractedName")
                .or_else(|| tag(t, "name"))
                .map(unescape)
                .unwrap_or_default();
            gold.push(Gold {
                start: s as usize,
                end: e as usize,
                name,
                lat: num("latitude").or_else(|| num("lat")),
                lon: num("longitude").or_else(|| num("lon")),
            });
        }
        out.push(Article { text, gold });
    }
    // GeoVirus counts offsets from one before the text: find the shift that makes names line up.
    let fits = |shift: i64| {
        out.iter()
            .flat_map(|a| {
                let chars: Vec<char> = a.text.chars().collect();
                a.gold
                    .iter()
                    .filter(|g| {
                        let (s, e) = (g.start as i64 + shift, g.end as i64 + shift);
                        s >= 0
                            && (e as usize) <= chars.len()
                            && s < e
                            && chars[s as usize..e as usize].iter().collect::<String>() == g.name
                    })
                    .map(|_| ())
                    .collect::<Vec<_>>()
            })
            .count()
    };
    let shift = (-2..=2).max_by_key(|&d| (fits(d), -d.abs())).unwrap_or(0);
    if shift != 0 {
        for a in &mut out {
            for g in &mut a.gold {
                g.start = (g.start as i64 + shift).max(0) as usize;
                g.end = (g.end as i64 + shift).max(0) as usize;
            }
        }
    }
    out
}

#[derive(Default)]
struct Score {
    gold: usize,
    found: usize,
    within: usize,
    predicted: usize,
    predicted_on_gold: usize,
    bytes: usize,
    secs: f64,
}

fn score(kb: &Kb, arts: &[Article], verbose: bool) -> Score {
    let mut sc = Score::default();
    for a in arts {
        let t = Instant::now();
        let ms = kb.mentions(&a.text, None);
        sc.secs += t.elapsed().as_secs_f64();
        sc.bytes += a.text.len();
        // Byte → char offsets.
        let mut b2c = vec![0usize; a.text.len() + 1];
        let mut n = 0;
        for (b, _) in a.text.char_indices() {
            b2c[b] = n;
            n += 1;
        }
        b2c[a.text.len()] = n;
        for b in (0..a.text.len()).rev() {
            if !a.text.is_char_boundary(b) {
                b2c[b] = b2c[b + 1];
            }
        }
        let preds: Vec<(usize, usize, f64, f64, String)> = ms
            .iter()
            .filter_map(|m| {
                let p = match m.kind {
                    MentionKind::Adjective | MentionKind::Composite => {
                        let c = m.code.as_deref()?;
                        if c.starts_with("IGO") {
                            return None;
                        }
                        kb.country_place(c)?
                    }
                    // "the EU" as a place: the organisation's area, when the KB gives one.
                    MentionKind::Igo if m.place.is_some() => m.place.clone()?,
                    MentionKind::Metonym
                    | MentionKind::Person
                    | MentionKind::Org
                    | MentionKind::Igo
                    | MentionKind::Media
                    | MentionKind::Group => return None,
                    _ => m.place.clone()?,
                };
                Some((
                    b2c[m.start],
                    b2c[m.end],
                    p.lat?,
                    p.lon?,
                    format!("{} ({})", p.name, p.country.unwrap_or_default()),
                ))
            })
            .collect();
        sc.predicted += preds.len();
        sc.predicted_on_gold += preds
            .iter()
            .filter(|p| a.gold.iter().any(|g| p.0 < g.end && g.start < p.1))
            .count();
        for g in &a.gold {
            let (Some(glat), Some(glon)) = (g.lat, g.lon) else {
                continue;
            };
            sc.gold += 1;
            let hit = preds
                .iter()
                .filter(|p| p.0 < g.end && g.start < p.1)
                .min_by_key(|p| (p.0 as i64 - g.start as i64).abs());
            match hit {
                Some(p) => {
                    sc.found += 1;
                    let d = distance_km(p.2, p.3, glat, glon);
                    if d <= 161.0 {
                        sc.within += 1;
                    } else if verbose {
                        println!("  wrong {:?} -> {} ({d:.0} km)", g.name, p.4);
                    }
                }
                None if verbose => println!("  missed {:?}", g.name),
                None => {}
            }
        }
    }
    sc
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        0.0
    } else {
        a as f64 / b as f64
    }
}

/// Runs the geoparsing evaluation on `dir` (GeoVirus.xml, GeoWebNews.xml).
pub fn run(dir: &Path, verbose: bool) -> Result<()> {
    let t = Instant::now();
    let kb = Kb::shared();
    if let Some(e) = Kb::shared_error() {
        anyhow::bail!("knowledge base failed to load: {e}");
    }
    let load = t.elapsed();
    println!(
        "knowledge base loaded in {:.0} ms",
        load.as_secs_f64() * 1000.0
    );
    println!(
        "{:<12} {:>6} {:>8} {:>9} {:>10} {:>9} {:>8}",
        "corpus", "gold", "recall", "acc@161", "found&ok", "precision", "MB/s"
    );
    let mut total = Score::default();
    let mut any = false;
    for name in ["GeoVirus.xml", "GeoWebNews.xml"] {
        let path = dir.join(name);
        if !path.exists() {
            continue;
        }
        any = true;
        let xml = std::fs::read_to_string(&path)
            .with_context(|| format!("cannot read {}", path.display()))?;
        let arts = parse(&xml);
        if verbose {
            println!("{name}:");
        }
        let s = score(kb, &arts, verbose);
        println!(
            "{:<12} {:>6} {:>8.3} {:>9.3} {:>10.3} {:>9.3} {:>8.2}",
            name.trim_end_matches(".xml"),
            s.gold,
            ratio(s.found, s.gold),
            ratio(s.within, s.found),
            ratio(s.within, s.gold),
            ratio(s.predicted_on_gold, s.predicted),
            s.bytes as f64 / 1e6 / s.secs.max(1e-9)
        );
        total.gold += s.gold;
        total.found += s.found;
        total.within += s.within;
        total.predicted += s.predicted;
        total.predicted_on_gold += s.predicted_on_gold;
        total.bytes += s.bytes;
        total.secs += s.secs;
    }
    if !any {
        anyhow::bail!(
            "no GeoVirus.xml or GeoWebNews.xml in {} (expected ../shared/eval/geoparsing)",
            dir.display()
        );
    }
    println!(
        "{:<12} {:>6} {:>8.3} {:>9.3} {:>10.3} {:>9.3} {:>8.2}",
        "all",
        total.gold,
        ratio(total.found, total.gold),
        ratio(total.within, total.found),
        ratio(total.within, total.gold),
        ratio(total.predicted_on_gold, total.predicted),
        total.bytes as f64 / 1e6 / total.secs.max(1e-9)
    );
    println!("recall: gold toponyms overlapped by a found place; acc@161: found within 161 km");
    Ok(())
}
