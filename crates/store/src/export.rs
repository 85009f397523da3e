//! Exports of stored events: JSONL, CSV, GDELT 2.0 event TSV, a GKG-like TSV, Parquet.

use std::collections::{BTreeSet, HashMap};
use std::io::Write;
use std::sync::{Arc, OnceLock};

use arrow_array::{ArrayRef, Float64Array, Int32Array, Int64Array, RecordBatch, StringArray};
use arrow_schema::{DataType, Field, Schema};
use serde_json::json;
use wirecoder_doc::{event_json, Doc, EntityType, OffsetMap};

use crate::error::StoreError;
use crate::model::{EventFilter, StoredEvent};
use crate::Store;

/// The layouts [`Store::export`] writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFormat {
    /// One event a line, in the shape of `wirecoder events --format jsonl` (offsets in code
    /// points, plus `id`, `article_id` and the source counts).
    Jsonl,
    /// A header line then one event a row, the columns of `wirecoder events --format csv`.
    Csv,
    /// GDELT 2.0 event records: tab-separated, no header, the 61 columns of
    /// [`GDELT_EVENT_COLUMNS`] in GDELT's order, FIPS 10-4 country codes in the geo fields.
    Gdelt,
    /// One row per article with a header, the columns of [`GKG_COLUMNS`], each field written
    /// in the GDELT GKG 2.1 encoding of that name.
    Gkg,
    /// Apache Parquet (Snappy), one row per event, the columns of [`PARQUET_COLUMNS`].
    Parquet,
}

/// The 61 columns of a GDELT 2.0 event record, in file order.
pub const GDELT_EVENT_COLUMNS: [&str; 61] = [
    "GlobalEventID",
    "Day",
    "MonthYear",
    "Year",
    "FractionDate",
    "Actor1Code",
    "Actor1Name",
    "Actor1CountryCode",
    "Actor1KnownGroupCode",
    "Actor1EthnicCode",
    "Actor1Religion1Code",
    "Actor1Religion2Code",
    "Actor1Type1Code",
    "Actor1Type2Code",
    "Actor1Type3Code",
    "Actor2Code",
    "Actor2Name",
    "Actor2CountryCode",
    "Actor2KnownGroupCode",
    "Actor2EthnicCode",
    "Actor2Religion1Code",
    "Actor2Religion2Code",
    "Actor2Type1Code",
    "Actor2Type2Code",
    "Actor2Type3Code",
    "IsRootEvent",
    "EventCode",
    "EventBaseCode",
    "EventRootCode",
    "QuadClass",
    "GoldsteinScale",
    "NumMentions",
    "NumSources",
    "NumArticles",
    "AvgTone",
    "Actor1Geo_Type",
    "Actor1Geo_FullName",
    "Actor1Geo_CountryCode",
    "Actor1Geo_ADM1Code",
    "Actor1Geo_ADM2Code",
    "Actor1Geo_Lat",
    "Actor1Geo_Long",
    "Actor1Geo_FeatureID",
    "Actor2Geo_Type",
    "Actor2Geo_FullName",
    "Actor2Geo_CountryCode",
    "Actor2Geo_ADM1Code",
    "Actor2Geo_ADM2Code",
    "Actor2Geo_Lat",
    "Actor2Geo_Long",
    "Actor2Geo_FeatureID",
    "ActionGeo_Type",
    "ActionGeo_FullName",
    "ActionGeo_CountryCode",
    "ActionGeo_ADM1Code",
    "ActionGeo_ADM2Code",
    "ActionGeo_Lat",
    "ActionGeo_Long",
    "ActionGeo_FeatureID",
    "DATEADDED",
    "SOURCEURL",
];

/// The columns of the GKG-like export, named as in GDELT GKG 2.1.
pub const GKG_COLUMNS: [&str; 9] = [
    "GKGRECORDID",
    "V2.1DATE",
    "V2SOURCECOLLECTIONIDENTIFIER",
    "V2SOURCECOMMONNAME",
    "V2DOCUMENTIDENTIFIER",
    "V1COUNTS",
    "V1LOCATIONS",
    "V1PERSONS",
    "V1ORGANIZATIONS",
];

/// The Parquet schema: `(column, Arrow type, nullable)`. Dates are ISO 8601 strings as stored.
pub const PARQUET_COLUMNS: [(&str, &str, bool); 27] = [
    ("id", "Int64", false),
    ("article_id", "Int64", false),
    ("date", "Utf8", true),
    ("published", "Utf8", true),
    ("source_text", "Utf8", false),
    ("source_actor", "Utf8", true),
    ("target_text", "Utf8", true),
    ("target_actor", "Utf8", true),
    ("cameo", "Utf8", false),
    ("root_code", "Utf8", false),
    ("goldstein", "Float64", false),
    ("quad_class", "Int32", false),
    ("plover", "Utf8", true),
    ("mode", "Utf8", true),
    ("modality", "Utf8", false),
    ("place_name", "Utf8", true),
    ("place_country", "Utf8", true),
    ("place_lat", "Float64", true),
    ("place_lon", "Float64", true),
    ("killed", "Int64", true),
    ("injured", "Int64", true),
    ("weapon", "Utf8", true),
    ("sentence", "Int64", false),
    ("evidence_text", "Utf8", false),
    ("sentence_text", "Utf8", false),
    ("source_url", "Utf8", true),
    ("num_sources", "Int32", false),
];

/// Rows per Parquet record batch.
const PARQUET_BATCH: usize = 8192;

/// `(fips, name)` by ISO alpha-3 (which is also the CAMEO country code), from the kb's table.
fn countries() -> &'static HashMap<String, (String, String)> {
    static TABLE: OnceLock<HashMap<String, (String, String)>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut m = HashMap::new();
        for line in include_str!("../../../data/kb/countries.tsv").lines() {
            if line.starts_with('#') || line.trim().is_empty() {
                continue;
            }
            let f: Vec<&str> = line.split('\t').collect();
            // iso3, iso2, cameo, fips, name, ...
            if let (Some(iso3), Some(cameo), Some(fips), Some(name)) =
                (f.first(), f.get(2), f.get(3), f.get(4))
            {
                let v = (fips.to_string(), name.to_string());
                m.insert(iso3.to_string(), v.clone());
                m.entry(cameo.to_string()).or_insert(v);
            }
        }
        m
    })
}

/// The FIPS 10-4 country code GDELT uses for an ISO 3166 alpha-3 (or CAMEO) country code:
/// `fips_of("GBR") == Some("UK")`.
pub fn fips_of(iso3: &str) -> Option<&'static str> {
    countries().get(iso3).map(|(f, _)| f.as_str())
}

fn io_err(e: impl std::fmt::Display) -> StoreError {
    StoreError::Export {
        out: "output".into(),
        reason: e.to_string(),
    }
}

pub(crate) fn export<W: Write + Send>(
    store: &Store,
    f: &EventFilter,
    format: ExportFormat,
    out: W,
) -> Result<u64, StoreError> {
    match format {
        ExportFormat::Jsonl => jsonl(store, f, out),
        ExportFormat::Csv => csv(store, f, out),
        ExportFormat::Gdelt => gdelt(store, f, out),
        ExportFormat::Gkg => gkg(store, f, out),
        ExportFormat::Parquet => parquet(store, f, out),
    }
}

fn jsonl<W: Write>(store: &Store, f: &EventFilter, mut out: W) -> Result<u64, StoreError> {
    // Collected first: rebuilding an article while the event cursor is open would need a
    // second connection on PostgreSQL.
    let events = store.events(f)?;
    let mut map: Option<(i64, OffsetMap)> = None;
    for se in &events {
        if map.as_ref().map(|m| m.0) != Some(se.article_id) {
            let text = store
                .article(se.article_id)?
                .map(|d| d.text)
                .unwrap_or_default();
            map = Some((se.article_id, OffsetMap::new(&text)));
        }
        let empty = OffsetMap::new("");
        let m = map.as_ref().map_or(&empty, |m| &m.1);
        let mut v = event_json(m, &se.event);
        if let serde_json::Value::Object(o) = &mut v {
            o.insert("id".into(), json!(se.id));
            o.insert("article_id".into(), json!(se.article_id));
            o.insert("canonical_id".into(), json!(se.canonical_id));
            o.insert("num_mentions".into(), json!(se.num_mentions));
            o.insert("num_sources".into(), json!(se.num_sources));
            o.insert("num_articles".into(), json!(se.num_articles));
        }
        serde_json::to_writer(&mut out, &v).map_err(io_err)?;
        out.write_all(b"\n").map_err(io_err)?;
    }
    out.flush().map_err(io_err)?;
    Ok(events.len() as u64)
}

/// The event's own date, else its article's.
fn when(se: &StoredEvent) -> Option<&str> {
    se.event.date.as_deref().or(se.published.as_deref())
}

fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// The header of the events CSV (`events --format csv`, `export --format csv`, the API).
pub const CSV_HEADER: &str = "id,article_id,date,source,source_actor,target,target_actor,cameo,goldstein,quad_class,plover,mode,modality,evidence";

/// One stored event as a CSV line (no line break) under [`CSV_HEADER`].
pub fn csv_line(se: &StoredEvent) -> String {
    let e = &se.event;
    let t = e.target.as_ref();
    let row = [
        se.id.to_string(),
        se.article_id.to_string(),
        when(se).unwrap_or("-").to_string(),
        e.source.text.clone(),
        e.source.actor.clone().unwrap_or_default(),
        t.map(|t| t.text.clone()).unwrap_or_default(),
        t.and_then(|t| t.actor.clone()).unwrap_or_default(),
        e.cameo.clone(),
        e.goldstein.to_string(),
        e.quad_class.to_string(),
        e.plover.clone().unwrap_or_default(),
        e.mode.clone().unwrap_or_default(),
        e.modality.as_str().to_string(),
        se.evidence_text.clone(),
    ];
    let line: Vec<String> = row.iter().map(|f| csv_field(f)).collect();
    line.join(",")
}

fn csv<W: Write>(store: &Store, f: &EventFilter, mut out: W) -> Result<u64, StoreError> {
    writeln!(out, "{CSV_HEADER}").map_err(io_err)?;
    let mut n = 0u64;
    store.each_event(f, &mut |se| {
        writeln!(out, "{}", csv_line(&se)).map_err(io_err)?;
        n += 1;
        Ok(())
    })?;
    out.flush().map_err(io_err)?;
    Ok(n)
}

/// A TSV field: tabs and line breaks become spaces.
fn tsv(s: &str) -> String {
    s.replace(['\t', '\n', '\r'], " ")
}

/// `(year, month, day)` of an ISO 8601 date or date-time; a missing month or day is 1.
fn ymd(s: &str) -> Option<(u32, u32, u32)> {
    let mut parts = s.get(..s.find('T').unwrap_or(s.len()))?.split('-');
    let y: u32 = parts.next()?.parse().ok()?;
    let m: u32 = parts.next().map_or(Ok(1), str::parse).ok()?;
    let d: u32 = parts.next().map_or(Ok(1), str::parse).ok()?;
    (y >= 1 && (1..=12).contains(&m) && (1..=31).contains(&d)).then_some((y, m, d))
}

/// CAMEO role codes that introduce a known group (`IGOUNO` → group `UNO`).
const GROUP_TYPES: [&str; 3] = ["IGO", "NGO", "IMG"];

/// An actor code broken into GDELT's ten attribute columns (code … Type3).
fn actor_cols(code: Option<&str>, name: Option<&str>) -> [String; 10] {
    let mut cols: [String; 10] = Default::default();
    let Some(code) = code.filter(|c| !c.is_empty()) else {
        return cols;
    };
    cols[0] = tsv(code);
    cols[1] = name.map(|n| tsv(&n.to_uppercase())).unwrap_or_default();
    let chunks: Vec<&str> = (0..code.len())
        .step_by(3)
        .filter_map(|i| code.get(i..(i + 3).min(code.len())))
        .collect();
    let mut types = Vec::new();
    let mut prev_group = false;
    for (i, c) in chunks.iter().enumerate() {
        if i == 0 && countries().contains_key(*c) {
            cols[2] = c.to_string();
        } else if prev_group && cols[3].is_empty() {
            cols[3] = c.to_string();
        } else {
            types.push(c.to_string());
        }
        prev_group = GROUP_TYPES.contains(c);
    }
    for (slot, t) in cols[7..10].iter_mut().zip(types) {
        *slot = t;
    }
    cols
}

/// GDELT's eight geo columns for an event's place; type 0 and blanks without one.
fn geo_cols(se: &StoredEvent) -> [String; 8] {
    let mut cols: [String; 8] = Default::default();
    cols[0] = "0".into();
    let Some(p) = se.event.place.as_ref() else {
        return cols;
    };
    let country = p
        .country
        .as_deref()
        .and_then(|c| countries().get(c).map(|v| (c, v)));
    let is_country = country.is_some_and(|(_, (_, name))| name.eq_ignore_ascii_case(&p.name));
    cols[0] = match (is_country, country.map(|c| c.0)) {
        (true, _) => "1",
        (false, Some("USA")) => "3",
        _ => "4",
    }
    .into();
    cols[1] = tsv(&match (is_country, country) {
        (false, Some((_, (_, cname)))) => format!("{}, {cname}", p.name),
        _ => p.name.clone(),
    });
    if let Some((_, (fips, _))) = country {
        cols[2] = fips.clone();
        cols[3] = fips.clone();
    }
    cols[5] = p.lat.map(|v| v.to_string()).unwrap_or_default();
    cols[6] = p.lon.map(|v| v.to_string()).unwrap_or_default();
    cols[7] = if is_country {
        cols[2].clone()
    } else {
        p.geonames_id.map(|g| g.to_string()).unwrap_or_default()
    };
    cols
}

/// One GDELT 2.0 event record, 61 fields.
fn gdelt_row(se: &StoredEvent) -> Vec<String> {
    let e = &se.event;
    let (y, m, d) = when(se)
        .and_then(ymd)
        .or_else(|| ymd(&se.ingested_at))
        .unwrap_or((1970, 1, 1));
    let mut row = Vec::with_capacity(61);
    row.push(se.id.to_string());
    row.push(format!("{y:04}{m:02}{d:02}"));
    row.push(format!("{y:04}{m:02}"));
    row.push(format!("{y:04}"));
    row.push(format!(
        "{:.4}",
        f64::from(y) + f64::from(m * 30 + d) / 365.0
    ));
    row.extend(actor_cols(e.source.actor.as_deref(), Some(&e.source.text)));
    let t = e.target.as_ref();
    row.extend(actor_cols(
        t.and_then(|t| t.actor.as_deref()),
        t.map(|t| t.text.as_str()),
    ));
    row.push(if e.sentence == 0 { "1" } else { "0" }.into());
    row.push(tsv(&e.cameo));
    row.push(e.cameo.get(..3).unwrap_or(&e.cameo).to_string());
    row.push(e.cameo.get(..2).unwrap_or(&e.cameo).to_string());
    row.push(e.quad_class.to_string());
    row.push(e.goldstein.to_string());
    row.push(se.num_mentions.to_string());
    row.push(se.num_sources.to_string());
    row.push(se.num_articles.to_string());
    row.push(se.avg_tone.map(|t| t.to_string()).unwrap_or_default());
    let blank_geo: [String; 8] = [
        "0".into(),
        "".into(),
        "".into(),
        "".into(),
        "".into(),
        "".into(),
        "".into(),
        "".into(),
    ];
    row.extend(blank_geo.clone()); // Actor1Geo: actors are not geolocated yet.
    row.extend(blank_geo);
    row.extend(geo_cols(se));
    let added: String = se
        .ingested_at
        .chars()
        .filter(char::is_ascii_digit)
        .take(14)
        .collect();
    row.push(format!("{added:0<14}"));
    row.push(tsv(se.source_url.as_deref().unwrap_or("")));
    row
}

fn gdelt<W: Write>(store: &Store, f: &EventFilter, mut out: W) -> Result<u64, StoreError> {
    let mut n = 0u64;
    store.each_event(f, &mut |se| {
        writeln!(out, "{}", gdelt_row(&se).join("\t")).map_err(io_err)?;
        n += 1;
        Ok(())
    })?;
    out.flush().map_err(io_err)?;
    Ok(n)
}

/// GKG's field text: no delimiters of its own (`#`, `;`, `,`, tabs) inside values.
fn gkg_text(s: &str) -> String {
    s.replace(['\t', '\n', '\r', '#', ';'], " ")
}

fn gkg_row(id: i64, doc: &Doc) -> Vec<String> {
    let m = &doc.meta;
    let date: String = m
        .published
        .as_deref()
        .unwrap_or("")
        .chars()
        .filter(char::is_ascii_digit)
        .take(14)
        .collect();
    let date = if date.is_empty() {
        String::new()
    } else {
        format!("{date:0<14}")
    };
    let host = m
        .site
        .clone()
        .or_else(|| {
            m.url.as_deref().and_then(|u| {
                u.split("://")
                    .nth(1)
                    .and_then(|r| r.split('/').next())
                    .map(str::to_string)
            })
        })
        .unwrap_or_default();
    let loc = |p: &wirecoder_doc::Place| {
        let fips = p.country.as_deref().and_then(fips_of).unwrap_or("");
        format!(
            "{}#{}#{fips}#{fips}#{}#{}#{}",
            if p.country.as_deref() == Some("USA") {
                3
            } else {
                4
            },
            gkg_text(&p.name),
            p.lat.map(|v| v.to_string()).unwrap_or_default(),
            p.lon.map(|v| v.to_string()).unwrap_or_default(),
            p.geonames_id.map(|g| g.to_string()).unwrap_or_default()
        )
    };
    let mut counts = Vec::new();
    for e in &doc.events {
        for (kind, v) in [("KILL", e.killed), ("WOUND", e.injured)] {
            if let Some(v) = v {
                let place = e
                    .place
                    .as_ref()
                    .map(loc)
                    .unwrap_or_else(|| "0######".into());
                counts.push(format!("{kind}#{v}##{place}"));
            }
        }
    }
    let mut locations = BTreeSet::new();
    let mut persons = BTreeSet::new();
    let mut orgs = BTreeSet::new();
    for e in &doc.entities {
        let text = doc.text.get(e.span.start..e.span.end).unwrap_or("");
        if let Some(p) = &e.place {
            locations.insert(loc(p));
        }
        match e.kind {
            EntityType::Person => {
                persons.insert(gkg_text(text).to_lowercase());
            }
            EntityType::Org | EntityType::Media => {
                orgs.insert(gkg_text(text).to_lowercase());
            }
            _ => {}
        }
    }
    let join = |s: BTreeSet<String>| s.into_iter().collect::<Vec<_>>().join(";");
    vec![
        id.to_string(),
        date,
        "1".into(),
        tsv(&host),
        tsv(m.url.as_deref().or(m.path.as_deref()).unwrap_or("")),
        tsv(&counts.join(";")),
        tsv(&join(locations)),
        tsv(&join(persons)),
        tsv(&join(orgs)),
    ]
}

fn gkg<W: Write>(store: &Store, f: &EventFilter, mut out: W) -> Result<u64, StoreError> {
    let ids: Vec<i64> = if *f == EventFilter::default() {
        let mut all: Vec<i64> = store
            .articles(usize::MAX)?
            .into_iter()
            .map(|a| a.0)
            .collect();
        all.reverse();
        all
    } else {
        let set: BTreeSet<i64> = store.events(f)?.iter().map(|e| e.article_id).collect();
        set.into_iter().collect()
    };
    writeln!(out, "{}", GKG_COLUMNS.join("\t")).map_err(io_err)?;
    let mut n = 0u64;
    for id in ids {
        if let Some(doc) = store.article(id)? {
            writeln!(out, "{}", gkg_row(id, &doc).join("\t")).map_err(io_err)?;
            n += 1;
        }
    }
    out.flush().map_err(io_err)?;
    Ok(n)
}

fn parquet_schema() -> Schema {
    let fields: Vec<Field> = PARQUET_COLUMNS
        .iter()
        .map(|(name, ty, nullable)| {
            let dt = match *ty {
                "Int64" => DataType::Int64,
                "Int32" => DataType::Int32,
                "Float64" => DataType::Float64,
                _ => DataType::Utf8,
            };
            Field::new(*name, dt, *nullable)
        })
        .collect();
    Schema::new(fields)
}

/// One event's values in [`PARQUET_COLUMNS`] order, typed.
enum Cell {
    I64(Option<i64>),
    I32(Option<i32>),
    F64(Option<f64>),
    Str(Option<String>),
}

fn parquet_cells(se: &StoredEvent) -> Vec<Cell> {
    let e = &se.event;
    let t = e.target.as_ref();
    let p = e.place.as_ref();
    let i64_of = |v: usize| i64::try_from(v).unwrap_or(i64::MAX);
    vec![
        Cell::I64(Some(se.id)),
        Cell::I64(Some(se.article_id)),
        Cell::Str(when(se).map(str::to_string)),
        Cell::Str(se.published.clone()),
        Cell::Str(Some(e.source.text.clone())),
        Cell::Str(e.source.actor.clone()),
        Cell::Str(t.map(|t| t.text.clone())),
        Cell::Str(t.and_then(|t| t.actor.clone())),
        Cell::Str(Some(e.cameo.clone())),
        Cell::Str(Some(e.cameo.get(..2).unwrap_or(&e.cameo).to_string())),
        Cell::F64(Some(e.goldstein)),
        Cell::I32(Some(i32::from(e.quad_class))),
        Cell::Str(e.plover.clone()),
        Cell::Str(e.mode.clone()),
        Cell::Str(Some(e.modality.as_str().to_string())),
        Cell::Str(p.map(|p| p.name.clone())),
        Cell::Str(p.and_then(|p| p.country.clone())),
        Cell::F64(p.and_then(|p| p.lat)),
        Cell::F64(p.and_then(|p| p.lon)),
        Cell::I64(e.killed.map(i64::from)),
        Cell::I64(e.injured.map(i64::from)),
        Cell::Str(e.weapon.clone()),
        Cell::I64(Some(i64_of(e.sentence))),
        Cell::Str(Some(se.evidence_text.clone())),
        Cell::Str(Some(se.sentence_text.clone())),
        Cell::Str(se.source_url.clone()),
        Cell::I32(Some(i32::try_from(se.num_sources).unwrap_or(i32::MAX))),
    ]
}

/// Turns buffered rows (each a `Vec<Cell>`) into a record batch.
fn record_batch(
    schema: &Arc<Schema>,
    rows: &mut Vec<Vec<Cell>>,
) -> Result<RecordBatch, StoreError> {
    let width = PARQUET_COLUMNS.len();
    let mut cols: Vec<ArrayRef> = Vec::with_capacity(width);
    // Transpose rows into columns, column by column, so each array is built once.
    let mut iters: Vec<std::vec::IntoIter<Cell>> = std::mem::take(rows)
        .into_iter()
        .map(Vec::into_iter)
        .collect();
    for (_, ty, _) in PARQUET_COLUMNS.iter() {
        let cells = iters.iter_mut().map(|it| it.next());
        let array: ArrayRef = match *ty {
            "Int64" => {
                let v: Vec<Option<i64>> = cells
                    .map(|c| match c {
                        Some(Cell::I64(v)) => v,
                        _ => None,
                    })
                    .collect();
                Arc::new(Int64Array::from(v))
            }
            "Int32" => {
                let v: Vec<Option<i32>> = cells
                    .map(|c| match c {
                        Some(Cell::I32(v)) => v,
                        _ => None,
                    })
                    .collect();
                Arc::new(Int32Array::from(v))
            }
            "Float64" => {
                let v: Vec<Option<f64>> = cells
                    .map(|c| match c {
                        Some(Cell::F64(v)) => v,
                        _ => None,
                    })
                    .collect();
                Arc::new(Float64Array::from(v))
            }
            _ => {
                let v: Vec<Option<String>> = cells
                    .map(|c| match c {
                        Some(Cell::Str(v)) => v,
                        _ => None,
                    })
                    .collect();
                Arc::new(StringArray::from(v))
            }
        };
        cols.push(array);
    }
    RecordBatch::try_new(schema.clone(), cols).map_err(io_err)
}

fn parquet<W: Write + Send>(store: &Store, f: &EventFilter, out: W) -> Result<u64, StoreError> {
    use parquet::arrow::ArrowWriter;
    use parquet::basic::Compression;
    use parquet::file::properties::WriterProperties;
    let schema = Arc::new(parquet_schema());
    let props = WriterProperties::builder()
        .set_compression(Compression::SNAPPY)
        .build();
    let mut writer = ArrowWriter::try_new(out, schema.clone(), Some(props)).map_err(io_err)?;
    let mut rows: Vec<Vec<Cell>> = Vec::with_capacity(PARQUET_BATCH);
    let mut n = 0u64;
    store.each_event(f, &mut |se| {
        rows.push(parquet_cells(&se));
        n += 1;
        if rows.len() >= PARQUET_BATCH {
            let batch = record_batch(&schema, &mut rows)?;
            writer.write(&batch).map_err(io_err)?;
        }
        Ok(())
    })?;
    if !rows.is_empty() {
        let batch = record_batch(&schema, &mut rows)?;
        writer.write(&batch).map_err(io_err)?;
    }
    writer.close().map_err(io_err)?;
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_fields_are_quoted_when_needed() {
        assert_eq!(
            csv_field("said \"No comment.\""),
            "\"said \"\"No comment.\"\"\""
        );
        assert_eq!(csv_field("RUS"), "RUS");
    }

    #[test]
    fn fips_codes_differ_from_iso() {
        assert_eq!(fips_of("GBR"), Some("UK"));
        assert_eq!(fips_of("RUS"), Some("RS"));
        assert_eq!(fips_of("DEU"), Some("GM"));
        assert_eq!(fips_of("XXX"), None);
    }

    #[test]
    fn actor_codes_break_into_gdelt_columns() {
        let c = actor_cols(Some("RUSGOV"), Some("Kremlin"));
        assert_eq!(c[0], "RUSGOV");
        assert_eq!(c[1], "KREMLIN");
        assert_eq!(c[2], "RUS");
        assert_eq!(c[7], "GOV");
        let c = actor_cols(Some("IGOUNO"), Some("United Nations"));
        assert_eq!(c[2], "");
        assert_eq!(c[3], "UNO");
        assert_eq!(c[7], "IGO");
        assert_eq!(actor_cols(None, Some("gunmen")), <[String; 10]>::default());
    }

    #[test]
    fn dates_parse_with_missing_parts() {
        assert_eq!(ymd("2024-01-09"), Some((2024, 1, 9)));
        assert_eq!(ymd("2024-01-09T10:00:00Z"), Some((2024, 1, 9)));
        assert_eq!(ymd("2024-01"), Some((2024, 1, 1)));
        assert_eq!(ymd("2024"), Some((2024, 1, 1)));
        assert_eq!(ymd("soon"), None);
    }

    #[test]
    fn the_schema_lists_every_parquet_column() {
        assert_eq!(parquet_schema().fields().len(), PARQUET_COLUMNS.len());
        assert_eq!(GDELT_EVENT_COLUMNS.len(), 61);
    }
}
