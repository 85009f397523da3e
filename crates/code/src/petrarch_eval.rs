//! The PETRARCH unit records (`PETR.UnitTest.records.xml`) scored through the product
//! pipeline built with the records' own dictionaries (`PETR.Validate.{actors,agents,verbs,
//! discards}.txt`).
//!
//! Each `<Sentence>` record has a date, a category, its `<Text>` and the `<EventCoding
//! sourcecode targetcode eventcode>` it expects (or `noevents`, or an `error` meaning the
//! record must code nothing). The text goes through [`Pipeline::annotate`] like any news
//! text: our own sentence splitter, tagger and parser, not the record's bundled Treebank
//! parse, so what is measured is what ingest does. An actor-less side of an event is `---`;
//! as PETRARCH does under its `require_dyad` option (on except where a `<Config>` record
//! turns it off), events with an actor-less side do not count there.
//!
//! Scores: expected (source, target, code) triples found, and triples we code that no record
//! expects ("extra"), both over the number expected.

use std::collections::BTreeMap;
use std::path::Path;

use crate::eval::{unescape, EvalError};
use crate::Pipeline;

/// One expected or coded event: (source, target, code).
pub type Triple = (String, String, String);

/// Counts of one category of records.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct PetrarchCounts {
    /// Records.
    pub records: usize,
    /// Expected triples.
    pub expected: usize,
    /// Expected triples coded.
    pub found: usize,
    /// Coded triples no record expects.
    pub extra: usize,
    /// Records coded exactly as expected (nothing missing, nothing extra).
    pub exact: usize,
}

impl PetrarchCounts {
    fn add(&mut self, o: &PetrarchCounts) {
        self.records += o.records;
        self.expected += o.expected;
        self.found += o.found;
        self.extra += o.extra;
        self.exact += o.exact;
    }
}

/// A record not coded exactly as expected.
#[derive(Debug, Clone, serde::Serialize)]
pub struct PetrarchMiss {
    /// Record id.
    pub id: String,
    /// Category.
    pub category: String,
    /// The text.
    pub text: String,
    /// Expected triples.
    pub expected: Vec<Triple>,
    /// Coded triples.
    pub got: Vec<Triple>,
}

/// Scores of the suite.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct PetrarchReport {
    /// All records together.
    pub total: PetrarchCounts,
    /// Per category (DEMO, ACTOR, VERB, ...).
    pub categories: BTreeMap<String, PetrarchCounts>,
    /// Records not coded exactly.
    pub misses: Vec<PetrarchMiss>,
}

impl PetrarchReport {
    /// Expected triples found / expected.
    pub fn recall(&self) -> f64 {
        self.total.found as f64 / self.total.expected.max(1) as f64
    }
    /// Extra triples / expected.
    pub fn extra_rate(&self) -> f64 {
        self.total.extra as f64 / self.total.expected.max(1) as f64
    }

    /// The scores as a table, one line per category; with `verbose`, every record not coded
    /// exactly first.
    pub fn table(&self, verbose: bool) -> String {
        let show = |v: &[Triple]| {
            if v.is_empty() {
                return "-".to_string();
            }
            v.iter()
                .map(|(s, t, c)| format!("{s}>{t}:{c}"))
                .collect::<Vec<_>>()
                .join(" ")
        };
        let mut out = String::new();
        if verbose {
            for m in &self.misses {
                out.push_str(&format!(
                    "miss  {:<12} {:<9} want {:<40} got {}\n      {}\n",
                    m.id,
                    m.category,
                    show(&m.expected),
                    show(&m.got),
                    m.text
                ));
            }
        }
        out.push_str(&format!(
            "{:<12} {:>7} {:>8} {:>6} {:>6} {:>6} {:>7} {:>7}\n",
            "category", "records", "expected", "found", "extra", "exact", "found%", "extra%"
        ));
        let row = |name: &str, c: &PetrarchCounts| {
            format!(
                "{:<12} {:>7} {:>8} {:>6} {:>6} {:>6} {:>6.1}% {:>6.1}%\n",
                name,
                c.records,
                c.expected,
                c.found,
                c.extra,
                c.exact,
                100.0 * c.found as f64 / c.expected.max(1) as f64,
                100.0 * c.extra as f64 / c.expected.max(1) as f64
            )
        };
        for (k, c) in &self.categories {
            out.push_str(&row(k, c));
        }
        out.push_str(&row("ALL", &self.total));
        out
    }
}

/// One record of the XML file.
#[derive(Debug, Clone, Default)]
struct Record {
    id: String,
    date: Option<String>,
    category: String,
    text: String,
    expected: Vec<Triple>,
    /// PETRARCH's `require_dyad` option where the record stands (on unless a `<Config>`
    /// record before it turned it off): only events with a source and a target count.
    require_dyad: bool,
}

fn attr(tag: &str, name: &str) -> Option<String> {
    let mut rest = tag;
    while let Some(i) = rest.find(name) {
        let after = rest[i + name.len()..].trim_start();
        let boundary = i == 0 || !rest.as_bytes()[i - 1].is_ascii_alphanumeric();
        if let (true, Some(v)) = (boundary, after.strip_prefix('=')) {
            let v = v.trim_start();
            let q = v.chars().next()?;
            if q == '"' || q == '\'' {
                let end = v[1..].find(q)?;
                return Some(v[1..1 + end].to_string());
            }
        }
        rest = &rest[i + name.len()..];
    }
    None
}

/// The `<Sentence>` records, comments removed.
fn records(xml: &str) -> Vec<Record> {
    let mut clean = String::with_capacity(xml.len());
    let mut rest = xml;
    while let Some(i) = rest.find("<!--") {
        clean.push_str(&rest[..i]);
        rest = match rest[i..].find("-->") {
            Some(j) => &rest[i + j + 3..],
            None => "",
        };
    }
    clean.push_str(rest);
    let mut out = Vec::new();
    let mut rest = clean.as_str();
    let mut require_dyad = true;
    while let Some(i) = rest.find("<Sentence ") {
        // `<Config option="require_dyad" value="false">` between records switches it.
        let mut before = &rest[..i];
        while let Some(c) = before.find("<Config") {
            let end = before[c..].find('>').map_or(before.len(), |j| c + j);
            let tag = &before[c..end];
            if attr(tag, "option").as_deref() == Some("require_dyad") {
                if let Some(v) = attr(tag, "value") {
                    require_dyad = !v.eq_ignore_ascii_case("false");
                }
            }
            before = &before[end..];
        }
        let body_start = match rest[i..].find('>') {
            Some(j) => i + j + 1,
            None => break,
        };
        let tag = &rest[i..body_start];
        let end = rest[body_start..]
            .find("</Sentence>")
            .map_or(rest.len(), |j| body_start + j);
        let body = &rest[body_start..end];
        rest = &rest[end..];
        let id = attr(tag, "id").unwrap_or_default();
        let category = attr(tag, "category")
            .filter(|c| !c.is_empty())
            .unwrap_or_else(|| id.split('-').next().unwrap_or("").to_string());
        let text = match (body.find("<Text>"), body.find("</Text>")) {
            (Some(a), Some(b)) if a < b => unescape(
                &body[a + 6..b]
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" "),
            ),
            _ => continue,
        };
        let date = attr(tag, "date")
            .filter(|d| d.len() == 8 && d.bytes().all(|b| b.is_ascii_digit()))
            .map(|d| format!("{}-{}-{}", &d[..4], &d[4..6], &d[6..]));
        let mut expected = Vec::new();
        let mut b = body;
        while let Some(k) = b.find("<EventCoding") {
            let e = b[k..].find('>').map_or(b.len(), |j| k + j);
            let t = &b[k..e];
            if let (Some(s), Some(g), Some(c)) = (
                attr(t, "sourcecode"),
                attr(t, "targetcode"),
                attr(t, "eventcode"),
            ) {
                expected.push((s, g, c));
            }
            b = &b[e..];
        }
        out.push(Record {
            id,
            date,
            category,
            text,
            expected,
            require_dyad,
        });
    }
    out
}

/// Reads a dictionary file of the suite folder.
fn read_text(path: &Path) -> Result<String, EvalError> {
    let bytes = std::fs::read(path).map_err(|source| EvalError::Io {
        path: path.display().to_string(),
        source,
    })?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

/// The pipeline with the suite's own dictionaries (`PETR.Validate.*.txt` in `dir`).
pub fn petrarch_pipeline(dir: &Path) -> Result<Pipeline, EvalError> {
    let actors = read_text(&dir.join("PETR.Validate.actors.txt"))?;
    let agents = read_text(&dir.join("PETR.Validate.agents.txt"))?;
    let verbs = read_text(&dir.join("PETR.Validate.verbs.txt"))?;
    let discards = read_text(&dir.join("PETR.Validate.discards.txt"))?;
    let fmt = |msg: String| EvalError::Format {
        path: dir.display().to_string(),
        msg,
    };
    let kb = wirecoder_kb::Kb::from_petrarch(&actors, &agents).map_err(|e| fmt(e.to_string()))?;
    Pipeline::with_dictionaries(kb, &[&verbs], Some(&discards)).map_err(|e| fmt(e.to_string()))
}

/// Score the records of `dir` (the folder with `PETR.UnitTest.records.xml` and the
/// dictionaries) with `p` (see [`petrarch_pipeline`]).
pub fn eval_petrarch(p: &Pipeline, dir: &Path) -> Result<PetrarchReport, EvalError> {
    let xml = read_text(&dir.join("PETR.UnitTest.records.xml"))?;
    let recs = records(&xml);
    if recs.is_empty() {
        return Err(EvalError::Format {
            path: dir.display().to_string(),
            msg: "no <Sentence> records".into(),
        });
    }
    let mut r = PetrarchReport::default();
    for rec in recs {
        let mut doc = wirecoder_doc::Doc::new(rec.text.as_str());
        doc.meta.published = rec.date.clone();
        p.annotate(&mut doc);
        let mut got: Vec<Triple> = Vec::new();
        for e in &doc.events {
            let side = |a: Option<&str>| a.unwrap_or("---").to_string();
            let t = (
                side(e.source.actor.as_deref()),
                side(e.target.as_ref().and_then(|t| t.actor.as_deref())),
                e.cameo.clone(),
            );
            let dyad = t.0 != "---" && t.1 != "---";
            if (dyad || !rec.require_dyad) && !got.contains(&t) {
                got.push(t);
            }
        }
        let mut c = PetrarchCounts {
            records: 1,
            expected: rec.expected.len(),
            ..Default::default()
        };
        let mut left = got.clone();
        for x in &rec.expected {
            if let Some(i) = left.iter().position(|g| g == x) {
                left.remove(i);
                c.found += 1;
            }
        }
        c.extra = left.len();
        c.exact = usize::from(c.found == c.expected && c.extra == 0);
        r.total.add(&c);
        r.categories
            .entry(rec.category.clone())
            .or_default()
            .add(&c);
        if c.exact == 0 {
            r.misses.push(PetrarchMiss {
                id: rec.id,
                category: rec.category,
                text: rec.text,
                expected: rec.expected,
                got,
            });
        }
    }
    Ok(r)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_records() {
        let xml = r#"<Sentences><!-- <Sentence id="X"> -->
<Sentence date="19950101" id="DEMO-00" category="DEMO" sentence="true">
<EventCoding sourcecode="ARN" targetcode="GON" eventcode="064"></EventCoding>
<EventCoding sourcecode='"INJURY TOLL"' targetcode="OSG" eventcode="223"></EventCoding>
<Text>
Arnor is about to restore &amp; ties
with Gondor.
</Text>
<Parse>(ROOT)</Parse>
</Sentence>
<Config option="require_dyad" value="False"></Config>
<Sentence date="19950101" id="ERROR-02" category="ERROR">
<EventCoding error="bad_input_parse"></EventCoding>
<Text>No.</Text>
</Sentence></Sentences>"#;
        let r = records(xml);
        assert_eq!(r.len(), 2);
        assert_eq!(r[0].text, "Arnor is about to restore & ties with Gondor.");
        assert_eq!(r[0].date.as_deref(), Some("1995-01-01"));
        assert_eq!(r[0].expected.len(), 2);
        assert_eq!(r[0].expected[1].0, "\"INJURY TOLL\"");
        assert!(r[1].expected.is_empty());
        assert_eq!(r[1].category, "ERROR");
        assert!(r[0].require_dyad && !r[1].require_dyad);
    }
}
