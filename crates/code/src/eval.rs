//! Gold-set evaluation of the event coder.
//!
//! * `plover`: the PLOVER gold standard records (CAMEO-manual sentences with a PLOVER 0.5 event
//!   type and source/target actors): event-type accuracy, and actor agreement on the records whose
//!   type is right.
//! * `cameo-examples`: the example sentence of each CAMEO code in `cameo-codes.csv`: root-code
//!   accuracy of the first event coded.
//! * `petrarch`: the PETRARCH unit records with their own dictionaries ([`eval_petrarch`]).
//!
//! The main number counts the coder's *first* event in the sentence (the one an analyst would
//! see first); "any" counts a sentence right when any of its events is right, an upper bound.

use std::path::Path;

use serde_json::Value;
use wirecoder_doc::{Doc, Event};

use crate::Pipeline;

pub use crate::petrarch_eval::{
    eval_petrarch, petrarch_pipeline, PetrarchCounts, PetrarchMiss, PetrarchReport, Triple,
};

/// Scores of one suite.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct CoderReport {
    /// Suite name.
    pub suite: String,
    /// Records scored.
    pub records: usize,
    /// Records where the coder produced at least one event.
    pub coded: usize,
    /// First event of the right type (PLOVER) or root (CAMEO).
    pub type_correct: usize,
    /// Any event of the right type/root.
    pub type_correct_any: usize,
    /// Of the records whose first event has the right type: source actors agreeing (country).
    pub actor_agree: usize,
    /// Records whose gold has actors to compare, among the type-correct ones.
    pub actor_scored: usize,
    /// Sentences per second of the whole pipeline (annotate) over the suite.
    pub sentences_per_s: f64,
    /// Misses, for inspection: (gold, got, text).
    pub misses: Vec<(String, String, String)>,
}

impl CoderReport {
    /// Type (or root) accuracy of the first event.
    pub fn accuracy(&self) -> f64 {
        ratio(self.type_correct, self.records)
    }
    /// Type accuracy counting any event.
    pub fn accuracy_any(&self) -> f64 {
        ratio(self.type_correct_any, self.records)
    }
    /// Actor agreement on type-correct records.
    pub fn actor_agreement(&self) -> f64 {
        ratio(self.actor_agree, self.actor_scored)
    }
}

/// Harmonic mean of precision and recall (0 when both are 0).
pub(crate) fn f1(p: f64, r: f64) -> f64 {
    if p + r == 0.0 {
        0.0
    } else {
        2.0 * p * r / (p + r)
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        0.0
    } else {
        a as f64 / b as f64
    }
}

/// Errors reading a gold set.
#[derive(Debug, thiserror::Error)]
pub enum EvalError {
    /// The file could not be read.
    #[error("{path}: {source}")]
    Io {
        /// File.
        path: String,
        /// Cause.
        source: std::io::Error,
    },
    /// The file is not in the expected format.
    #[error("{path}: {msg}")]
    Format {
        /// File.
        path: String,
        /// What is wrong.
        msg: String,
    },
}

/// The PLOVER 0.5 event type (the GSR's ontology) of a CAMEO code.
pub fn plover05_type(cameo: &str) -> Option<&'static str> {
    let root = cameo.get(..2)?;
    Some(match root {
        "02" | "10" => "DEMAND",
        "03" => "AGREE",
        "04" => "CONSULT",
        "05" if cameo.starts_with("057") => "AGREE",
        "05" => "SUPPORT",
        "06" => "COOPERATE",
        "07" => "AID",
        "08" if cameo.starts_with("0833")
            || cameo.starts_with("084")
            || cameo.starts_with("086")
            || cameo.starts_with("087") =>
        {
            "RETREAT"
        }
        "08" => "CONCEDE",
        "09" => "INVESTIGATE",
        "11" => "DISAPPROVE",
        "12" => "REJECT",
        "13" => "THREATEN",
        "14" => "PROTEST",
        "15" => "MOBILIZE",
        "16" => "SANCTION",
        "17" => "COERCE",
        "18" => "ASSAULT",
        "19" | "20" => "FIGHT",
        _ => return None,
    })
}

fn annotate(p: &Pipeline, text: &str, date: Option<&str>) -> Doc {
    let mut doc = Doc::new(text);
    doc.meta.published = date.map(str::to_string);
    p.annotate(&mut doc);
    doc
}

fn read(path: &Path) -> Result<Vec<u8>, EvalError> {
    std::fs::read(path).map_err(|source| EvalError::Io {
        path: path.display().to_string(),
        source,
    })
}

fn gold_codes(v: Option<&Value>) -> Vec<String> {
    v.and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|x| x.get("code").and_then(Value::as_str))
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default()
}

fn short(e: &Event) -> String {
    format!(
        "{} {} {}",
        e.source.actor.as_deref().unwrap_or("-"),
        e.cameo,
        e.target
            .as_ref()
            .and_then(|t| t.actor.as_deref())
            .unwrap_or("-")
    )
}

/// Score the PLOVER GSR file (`PLOVER_GSR_CAMEO.dev.json`).
pub fn eval_plover(p: &Pipeline, path: &Path) -> Result<CoderReport, EvalError> {
    let bytes = read(path)?;
    let recs: Vec<Value> = serde_json::from_slice(&bytes).map_err(|e| EvalError::Format {
        path: path.display().to_string(),
        msg: e.to_string(),
    })?;
    let mut r = CoderReport {
        suite: "plover".into(),
        ..Default::default()
    };
    let t0 = std::time::Instant::now();
    let mut sentences = 0usize;
    for rec in &recs {
        let Some(gold) = rec.get("event").and_then(Value::as_str) else {
            continue;
        };
        let Some(text) = rec.get("text").and_then(Value::as_str) else {
            continue;
        };
        if gold == "DOCUMENT" {
            continue;
        }
        let text = text.replace("``", "\"").replace("''", "\"");
        let text = text.trim_start_matches('{').trim_end_matches('}');
        // The readme sets every record's `date` to the placeholder 2000-01-01: resolving dated
        // roles against it would code Serbia as Serbia and Montenegro and drop leaders whose
        // terms began later, which the gold (coded with today's codes) does not do.
        let doc = annotate(p, text, None);
        sentences += doc.sentences.len();
        r.records += 1;
        let types: Vec<Option<&str>> = doc.events.iter().map(|e| plover05_type(&e.cameo)).collect();
        if !doc.events.is_empty() {
            r.coded += 1;
        }
        let first_ok = types.first().copied().flatten() == Some(gold);
        if first_ok {
            r.type_correct += 1;
            let src = gold_codes(rec.get("source"));
            if !src.is_empty() {
                r.actor_scored += 1;
                let e = &doc.events[0];
                let got = e.source.actor.as_deref().unwrap_or("");
                let tgt = gold_codes(rec.get("target"));
                let got_t = e
                    .target
                    .as_ref()
                    .and_then(|t| t.actor.as_deref())
                    .unwrap_or("");
                // The gold codes countries in ISO 3166 alpha-3 (readme) but a few records keep
                // the old KEDS codes JAP and ITL.
                let country = |c: &str| match c.get(..3).unwrap_or(c) {
                    "JAP" => "JPN".to_string(),
                    "ITL" => "ITA".to_string(),
                    k => k.to_string(),
                };
                let s_ok = src.iter().any(|g| country(g) == country(got));
                let t_ok = tgt.is_empty() || tgt.iter().any(|g| country(g) == country(got_t));
                if s_ok && t_ok {
                    r.actor_agree += 1;
                }
            }
        }
        if types.contains(&Some(gold)) {
            r.type_correct_any += 1;
        }
        if !first_ok {
            let got = doc.events.first().map(short).unwrap_or_else(|| "-".into());
            r.misses.push((gold.to_string(), got, text.to_string()));
        }
    }
    r.sentences_per_s = sentences as f64 / t0.elapsed().as_secs_f64().max(1e-9);
    Ok(r)
}

/// Score the example sentences of `cameo-codes.csv` (root code of the first event).
pub fn eval_cameo_examples(p: &Pipeline, path: &Path) -> Result<CoderReport, EvalError> {
    let bytes = read(path)?;
    // The file has some mis-decoded characters; they do not matter for coding.
    let text = String::from_utf8_lossy(&bytes);
    let mut r = CoderReport {
        suite: "cameo-examples".into(),
        ..Default::default()
    };
    let rows = parse_csv(&text);
    let Some(header) = rows.first() else {
        return Err(EvalError::Format {
            path: path.display().to_string(),
            msg: "empty CSV".into(),
        });
    };
    let col = |name: &str| header.iter().position(|h| h == name);
    let (Some(ci), Some(ei)) = (col("code"), col("example")) else {
        return Err(EvalError::Format {
            path: path.display().to_string(),
            msg: "no code/example columns".into(),
        });
    };
    let t0 = std::time::Instant::now();
    let mut sentences = 0usize;
    for row in rows.iter().skip(1) {
        let (Some(code), Some(ex)) = (row.get(ci), row.get(ei)) else {
            continue;
        };
        let ex = ex.trim();
        if ex.is_empty() || ex == "NA" || code.len() < 2 {
            continue;
        }
        let root = &code[..2];
        let doc = annotate(p, ex, None);
        sentences += doc.sentences.len();
        r.records += 1;
        if !doc.events.is_empty() {
            r.coded += 1;
        }
        let first_ok = doc
            .events
            .first()
            .is_some_and(|e| e.cameo.starts_with(root));
        if first_ok {
            r.type_correct += 1;
        } else {
            let got = doc.events.first().map(short).unwrap_or_else(|| "-".into());
            r.misses.push((code.clone(), got, ex.to_string()));
        }
        if doc.events.iter().any(|e| e.cameo.starts_with(root)) {
            r.type_correct_any += 1;
        }
    }
    r.sentences_per_s = sentences as f64 / t0.elapsed().as_secs_f64().max(1e-9);
    Ok(r)
}

/// A small RFC-4180 CSV reader (quoted fields, doubled quotes, newlines inside quotes).
fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if quoted {
            if c == '"' {
                if chars.peek() == Some(&'"') {
                    field.push('"');
                    chars.next();
                } else {
                    quoted = false;
                }
            } else {
                field.push(c);
            }
            continue;
        }
        match c {
            '"' => quoted = true,
            ',' => row.push(std::mem::take(&mut field)),
            '\n' => {
                row.push(std::mem::take(&mut field));
                rows.push(std::mem::take(&mut row));
            }
            '\r' => {}
            _ => field.push(c),
        }
    }
    if !field.is_empty() || !row.is_empty() {
        row.push(field);
        rows.push(row);
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_with_quotes_and_newlines() {
        let rows = parse_csv("a,b\n\"x, \"\"y\"\"\",\"line\nbreak\"\n");
        assert_eq!(rows, vec![vec!["a", "b"], vec!["x, \"y\"", "line\nbreak"]]);
    }

    #[test]
    fn plover05_types() {
        assert_eq!(plover05_type("195"), Some("FIGHT"));
        assert_eq!(plover05_type("0871"), Some("RETREAT"));
        assert_eq!(plover05_type("081"), Some("CONCEDE"));
        assert_eq!(plover05_type("010"), None);
    }
}

/// Scores of temporal expression recognition and normalization on TimeBank.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct TimexReport {
    /// Documents read.
    pub documents: usize,
    /// Gold TIMEX3 expressions (document creation times excluded).
    pub gold: usize,
    /// Expressions found by wirecoder.
    pub predicted: usize,
    /// Gold expressions overlapped by a prediction.
    pub gold_found: usize,
    /// Predictions overlapping a gold expression.
    pub predicted_correct: usize,
    /// Found gold DATE/TIME expressions.
    pub date_time_found: usize,
    /// Of those, with the gold value.
    pub value_correct: usize,
    /// Wrong values, for inspection: (text, gold, got).
    pub wrong_values: Vec<(String, String, String)>,
    /// Missed gold expressions: (text, type).
    pub missed: Vec<(String, String)>,
    /// False alarms: text.
    pub spurious: Vec<String>,
}

impl TimexReport {
    /// Precision of detection (relaxed span).
    pub fn precision(&self) -> f64 {
        ratio(self.predicted_correct, self.predicted)
    }
    /// Recall of detection (relaxed span).
    pub fn recall(&self) -> f64 {
        ratio(self.gold_found, self.gold)
    }
    /// F1 of detection.
    pub fn f1(&self) -> f64 {
        f1(self.precision(), self.recall())
    }
    /// Value accuracy on found DATE/TIME expressions.
    pub fn value_accuracy(&self) -> f64 {
        ratio(self.value_correct, self.date_time_found)
    }
}

fn attr<'a>(tag: &'a str, name: &str) -> Option<&'a str> {
    let k = format!("{name}=\"");
    let i = tag.find(&k)? + k.len();
    let j = tag[i..].find('"')? + i;
    Some(&tag[i..j])
}

/// A TimeML document read: (text, gold (start, end, type, value), creation date).
type TimeMl = (
    String,
    Vec<(usize, usize, String, String)>,
    Option<chrono::NaiveDate>,
);

/// One TimeML document: text with tags removed, gold expressions (start, end, type, value) in
/// byte offsets of that text, and the creation date.
fn read_timeml(src: &str) -> TimeMl {
    let dct = src
        .find("<DCT>")
        .and_then(|i| attr(&src[i..], "value"))
        .and_then(|v| chrono::NaiveDate::parse_from_str(v.get(..10)?, "%Y-%m-%d").ok());
    let body = match (src.find("<TEXT>"), src.find("</TEXT>")) {
        (Some(a), Some(b)) if a < b => &src[a + 6..b],
        _ => "",
    };
    let mut text = String::with_capacity(body.len());
    let mut gold = Vec::new();
    let mut open: Option<(usize, String, String)> = None;
    let mut rest = body;
    while let Some(i) = rest.find('<') {
        text.push_str(&unescape(&rest[..i]));
        let Some(j) = rest[i..].find('>') else { break };
        let tag = &rest[i..i + j + 1];
        if tag.starts_with("<TIMEX3") {
            open = Some((
                text.len(),
                attr(tag, "type").unwrap_or("").to_string(),
                attr(tag, "value").unwrap_or("").to_string(),
            ));
        } else if tag.starts_with("</TIMEX3") {
            if let Some((s, t, v)) = open.take() {
                gold.push((s, text.len(), t, v));
            }
        }
        rest = &rest[i + j + 1..];
    }
    text.push_str(&unescape(rest));
    (text, gold, dct)
}

/// The five predefined XML entities decoded (TimeBank and the PETRARCH records use no others).
pub(crate) fn unescape(s: &str) -> String {
    s.replace("&amp;", "&")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
}

/// Score temporal expressions on a TimeBank folder of `.tml` files.
pub fn eval_timebank(dir: &Path) -> Result<TimexReport, EvalError> {
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .map_err(|source| EvalError::Io {
            path: dir.display().to_string(),
            source,
        })?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "tml"))
        .collect();
    files.sort();
    let mut r = TimexReport::default();
    for f in files {
        let src = String::from_utf8_lossy(&read(&f)?).into_owned();
        let (text, gold, dct) = read_timeml(&src);
        let pred = crate::timex::find_timexes(&text, 0, text.len(), dct);
        r.documents += 1;
        r.gold += gold.len();
        r.predicted += pred.len();
        let overlaps = |a: (usize, usize), b: (usize, usize)| a.0 < b.1 && b.0 < a.1;
        for p in &pred {
            if gold.iter().any(|g| overlaps((p.start, p.end), (g.0, g.1))) {
                r.predicted_correct += 1;
            } else {
                r.spurious.push(text[p.start..p.end].to_string());
            }
        }
        for g in &gold {
            let hit = pred.iter().find(|p| overlaps((p.start, p.end), (g.0, g.1)));
            match hit {
                Some(p) => {
                    r.gold_found += 1;
                    if g.2 == "DATE" || g.2 == "TIME" {
                        r.date_time_found += 1;
                        let got = p.value.clone().unwrap_or_default();
                        if got == g.3 {
                            r.value_correct += 1;
                        } else {
                            r.wrong_values
                                .push((text[g.0..g.1].to_string(), g.3.clone(), got));
                        }
                    }
                }
                None => r.missed.push((text[g.0..g.1].to_string(), g.2.clone())),
            }
        }
    }
    Ok(r)
}

/// Scores of direct-quote attribution on PolNeAR.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct QuoteReport {
    /// Documents read.
    pub documents: usize,
    /// Gold attributions whose content is a direct quote.
    pub gold_direct: usize,
    /// Quotes found by wirecoder.
    pub predicted: usize,
    /// Predicted quotes inside a gold direct-quote content, with a speaker.
    pub scored: usize,
    /// Of those, with the speaker overlapping the gold source.
    pub speaker_correct: usize,
    /// Gold direct quotes found with the right speaker.
    pub gold_correct: usize,
    /// Gold direct quotes overlapped by any predicted quote.
    pub gold_found: usize,
    /// Gold direct quotes without the right speaker.
    pub misses: Vec<QuoteMiss>,
    /// Our quotes on a gold direct quote with a speaker other than the gold source: (our
    /// quote's first 60 characters, our speaker, gold source).
    pub wrong_speakers: Vec<(String, String, String)>,
    /// Misses counted by kind (see [`QuoteMiss::kind`]).
    pub miss_kinds: std::collections::BTreeMap<String, usize>,
}

/// A gold direct quote without the right speaker, classified for diagnosis.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct QuoteMiss {
    /// `span:<style>` when no quote of ours overlaps it; else `none|wrong` (no speaker of ours,
    /// or one not overlapping the gold source), where the gold source lies relative to the quote
    /// (`sent-before`, `sent-after`, `para-before`, `para-after`, `prev-para`, `next-para`,
    /// `far`), what it is (`pronoun`, `title`, `name`), and `+partial` when the gold content is
    /// indirect speech holding a quoted fragment. `gold:no-source` when the gold has none.
    pub kind: String,
    /// The gold content (first 90 characters).
    pub quote: String,
    /// Our speaker's text.
    pub ours: String,
    /// The gold source's text.
    pub gold: String,
    /// The sentence (or paragraph) holding the gold source and the quote's start, for reading.
    pub context: String,
}

/// Classify a gold quote we got wrong (see [`QuoteMiss::kind`]).
fn quote_miss_kind(doc: &Doc, g: &GoldQuote, hits: &[&wirecoder_doc::Quote]) -> String {
    let text = &doc.text;
    let content = text.get(g.0 .0..g.0 .1).unwrap_or("");
    let Some(first) = hits.first() else {
        let mut style = Vec::new();
        if content.contains('\n') {
            style.push("multi-para");
        }
        if content.contains('"') {
            style.push("straight");
        }
        if content.contains(['“', '”']) {
            style.push("curly");
        }
        if content.contains(['‘', '’']) && !content.contains(['“', '"']) {
            style.push("single");
        }
        return format!("span:{}", style.join("+"));
    };
    let Some(src) = g.1 else {
        return "gold:no-source".into();
    };
    let ours = if hits.iter().any(|q| q.speaker.is_some()) {
        "wrong"
    } else {
        "none"
    };
    let q = first.span;
    let para_of = |pos: usize| text.get(..pos).unwrap_or("").matches("\n\n").count();
    let (qp, sp) = (para_of(q.start), para_of(src.0));
    let loc =
        if doc.sentence_at(src.0).is_some() && doc.sentence_at(src.0) == doc.sentence_at(q.start) {
            if src.0 < q.start {
                "sent-before"
            } else {
                "sent-after"
            }
        } else if qp == sp {
            if src.0 < q.start {
                "para-before"
            } else {
                "para-after"
            }
        } else if sp + 1 == qp {
            "prev-para"
        } else if sp == qp + 1 {
            "next-para"
        } else {
            "far"
        };
    let s = text.get(src.0..src.1).unwrap_or("").trim();
    let lower = s.to_lowercase();
    let what = if matches!(
        lower.as_str(),
        "he" | "she"
            | "they"
            | "we"
            | "i"
            | "it"
            | "his"
            | "her"
            | "their"
            | "its"
            | "him"
            | "them"
    ) {
        "pronoun"
    } else if s.starts_with(|c: char| c.is_lowercase()) || lower.starts_with("the ") {
        "title"
    } else {
        "name"
    };
    let partial = if content.starts_with(['“', '"', '‘']) {
        ""
    } else {
        "+partial"
    };
    format!("{ours}/{loc}/{what}{partial}")
}

impl QuoteReport {
    /// Speaker attribution precision.
    pub fn precision(&self) -> f64 {
        ratio(self.speaker_correct, self.scored)
    }
    /// Speaker attribution recall over gold direct quotes.
    pub fn recall(&self) -> f64 {
        ratio(self.gold_correct, self.gold_direct)
    }
}

/// A gold direct quote: content span and source span (bytes).
type GoldQuote = ((usize, usize), Option<(usize, usize)>);

/// Score direct quotes and their speakers on a PolNeAR split folder (`text/`, `attributions/`).
pub fn eval_polnear(p: &Pipeline, dir: &Path) -> Result<QuoteReport, EvalError> {
    let tdir = dir.join("text");
    let adir = dir.join("attributions");
    let list = |d: &Path| -> Result<Vec<std::path::PathBuf>, EvalError> {
        let mut v: Vec<_> = std::fs::read_dir(d)
            .map_err(|source| EvalError::Io {
                path: d.display().to_string(),
                source,
            })?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .collect();
        v.sort();
        Ok(v)
    };
    let anns = list(&adir)?;
    let mut r = QuoteReport::default();
    for tf in list(&tdir)? {
        let Some(stem) = tf.file_stem().and_then(|s| s.to_str()) else {
            continue;
        };
        let Some(af) = anns.iter().find(|a| {
            a.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with(stem) && n.ends_with(".ann"))
        }) else {
            continue;
        };
        let text = String::from_utf8_lossy(&read(&tf)?).into_owned();
        let ann = String::from_utf8_lossy(&read(af)?).into_owned();
        // Character offsets → byte offsets.
        let mut c2b: Vec<usize> = text.char_indices().map(|(b, _)| b).collect();
        c2b.push(text.len());
        let span = |a: &str, b: &str| -> Option<(usize, usize)> {
            let (a, b): (usize, usize) = (a.parse().ok()?, b.parse().ok()?);
            Some((*c2b.get(a)?, *c2b.get(b)?))
        };
        let mut spans = std::collections::HashMap::new();
        let mut rels = Vec::new();
        for line in ann.lines() {
            let f: Vec<&str> = line.split('\t').collect();
            if f.len() >= 3 && f[0].starts_with('T') {
                let mut it = f[1].split_whitespace();
                if let (Some(kind), Some(a)) = (it.next(), it.next()) {
                    // Discontinuous spans "a b;c d": take the outer bounds.
                    let b = f[1].rsplit(' ').next().unwrap_or(a);
                    if let Some(s) = span(a, b) {
                        spans.insert(f[0].to_string(), (kind.to_string(), s, f[2].to_string()));
                    }
                }
            } else if f.len() >= 2 && f[0].starts_with('E') {
                let mut src = None;
                let mut content = None;
                for part in f[1].split_whitespace() {
                    if let Some((role, id)) = part.split_once(':') {
                        match role {
                            "Source" => src = Some(id.to_string()),
                            "Content" => content = Some(id.to_string()),
                            _ => {}
                        }
                    }
                }
                if let Some(c) = content {
                    rels.push((src, c));
                }
            }
        }
        let gold: Vec<GoldQuote> = rels
            .iter()
            .filter_map(|(s, c)| {
                let (_, cs, ctext) = spans.get(c)?;
                if !ctext.contains(['“', '"']) {
                    return None;
                }
                Some((*cs, s.as_ref().and_then(|s| spans.get(s)).map(|x| x.1)))
            })
            .collect();
        let mut doc = Doc::new(text.clone());
        p.annotate(&mut doc);
        r.documents += 1;
        r.gold_direct += gold.len();
        r.predicted += doc.quotes.len();
        let ov = |a: (usize, usize), b: (usize, usize)| a.0 < b.1 && b.0 < a.1;
        for q in &doc.quotes {
            let qs = (q.span.start, q.span.end);
            let Some(g) = gold.iter().find(|g| ov(qs, g.0)) else {
                continue;
            };
            let Some(sp) = q.speaker.as_ref().and_then(|s| s.span) else {
                continue;
            };
            r.scored += 1;
            if g.1.is_some_and(|gs| ov((sp.start, sp.end), gs)) {
                r.speaker_correct += 1;
            } else {
                r.wrong_speakers.push((
                    doc.slice(q.span)
                        .chars()
                        .take(60)
                        .collect::<String>()
                        .replace('\n', " "),
                    q.speaker
                        .as_ref()
                        .map(|s| s.text.clone())
                        .unwrap_or_default(),
                    g.1.and_then(|(a, b)| text.get(a..b))
                        .unwrap_or("")
                        .to_string(),
                ));
            }
        }
        for g in &gold {
            let hits: Vec<_> = doc
                .quotes
                .iter()
                .filter(|q| ov((q.span.start, q.span.end), g.0))
                .collect();
            if !hits.is_empty() {
                r.gold_found += 1;
            }
            if hits.iter().any(|q| {
                q.speaker
                    .as_ref()
                    .and_then(|s| s.span)
                    .is_some_and(|sp| g.1.is_some_and(|gs| ov((sp.start, sp.end), gs)))
            }) {
                r.gold_correct += 1;
            } else {
                let kind = quote_miss_kind(&doc, g, &hits);
                *r.miss_kinds.entry(kind.clone()).or_default() += 1;
                let ours = hits
                    .iter()
                    .find_map(|q| q.speaker.as_ref().map(|s| s.text.clone()))
                    .unwrap_or_default();
                let src =
                    g.1.and_then(|(a, b)| text.get(a..b))
                        .unwrap_or("")
                        .to_string();
                let quote = text
                    .get(g.0 .0..g.0 .1)
                    .unwrap_or("")
                    .chars()
                    .take(90)
                    .collect();
                // From the earlier of source and quote to the end of the quote's sentence.
                let lo = g.1.map_or(g.0 .0, |s| s.0.min(g.0 .0));
                let lo = doc.sentence_at(lo).map_or(lo, |i| doc.sentences[i].start);
                let hi = doc
                    .sentence_at(g.0 .0)
                    .map_or(g.0 .1, |i| doc.sentences[i].end);
                let context = text
                    .get(lo..hi.max(lo))
                    .unwrap_or("")
                    .chars()
                    .take(400)
                    .collect::<String>()
                    .replace('\n', " / ");
                r.misses.push(QuoteMiss {
                    kind,
                    quote,
                    ours,
                    gold: src,
                    context,
                });
            }
        }
    }
    Ok(r)
}
