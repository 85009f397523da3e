//! Storage end to end: SQLite and PostgreSQL give the same events, an ingest killed with
//! SIGKILL and rerun equals a clean run, and the exports read back in their own formats.

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, Instant};

mod common;
use common::PgDb;

fn wc(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_wirecoder"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("the wirecoder binary runs")
}

fn ok(dir: &Path, args: &[&str]) -> String {
    let o = wc(dir, args);
    assert!(
        o.status.success(),
        "wirecoder {args:?} failed:\n{}",
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// The bundled Wikinews sample, plus the seed page when `../shared` is there.
fn corpus() -> Vec<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut v = vec![root.join("data/sample/wikinews").display().to_string()];
    let seed = root.join("../shared/seed/000_b51c4bc65cb444b7.txt");
    if seed.is_file() {
        v.push(seed.display().to_string());
    } else {
        eprintln!("note: ../shared/seed is missing; using the Wikinews sample only");
    }
    v
}

#[test]
fn sqlite_and_postgres_give_identical_events() {
    let Some(pg) = PgDb::create("cli") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    let inputs = corpus();
    for db in ["lite.db", pg.url.as_str()] {
        let mut args = vec!["ingest", "--db", db];
        args.extend(inputs.iter().map(String::as_str));
        ok(p, &args);
    }
    let lite = ok(p, &["events", "--db", "lite.db", "--format", "jsonl"]);
    let post = ok(p, &["events", "--db", &pg.url, "--format", "jsonl"]);
    assert!(
        lite.lines().count() > 100,
        "{} events",
        lite.lines().count()
    );
    assert_eq!(lite, post, "SQLite and PostgreSQL events differ");
    // Filters and stats agree too.
    for f in [
        &["--actor", "USA"][..],
        &["--root", "19"],
        &["--since", "2010-01-01", "--until", "2012-12-31"],
    ] {
        let mut a = vec!["events", "--format", "jsonl", "--db", "lite.db"];
        a.extend(f);
        let l = ok(p, &a);
        a[4] = &pg.url;
        assert_eq!(l, ok(p, &a), "{f:?}");
    }
    assert_eq!(
        ok(p, &["stats", "--db", "lite.db"]),
        ok(p, &["stats", "--db", &pg.url])
    );
}

/// `n` short news stories, each distinct, each with codable events.
fn synthetic(dir: &Path, n: usize) -> PathBuf {
    let docs = dir.join("docs");
    std::fs::create_dir_all(&docs).unwrap();
    let actors = [
        ("Russia", "Ukraine"),
        ("China", "Japan"),
        ("Israel", "Iran"),
        ("France", "Germany"),
        ("North Korea", "South Korea"),
    ];
    let verbs = ["condemned", "met with", "accused", "praised", "threatened"];
    for i in 0..n {
        let (a, b) = actors[i % actors.len()];
        let v = verbs[(i / actors.len()) % verbs.len()];
        let text = format!(
            "{a} {v} {b} over report {i}\n\n\
             {a} {v} {b} on Tuesday, officials said in statement number {i}. \
             The foreign minister of {b} met with the ambassador of {a} in the capital. \
             Analysts said the dispute, the {i}th this year, would continue.\n"
        );
        std::fs::write(docs.join(format!("doc_{i:05}.txt")), text).unwrap();
    }
    docs
}

fn stats(dir: &Path, db: &str) -> Value {
    serde_json::from_str(&ok(dir, &["stats", "--db", db])).unwrap()
}

#[test]
fn an_ingest_killed_mid_way_and_rerun_equals_a_clean_run() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    let n = 1200;
    let docs = synthetic(p, n).display().to_string();
    let ingest = |db: &'static str| -> Vec<String> {
        ["ingest", "--db", db, "--published", "2024-01-10", &docs]
            .map(String::from)
            .to_vec()
    };
    let run = |args: Vec<String>| ok(p, &args.iter().map(String::as_str).collect::<Vec<_>>());

    run(ingest("clean.db"));
    let clean = stats(p, "clean.db");
    assert_eq!(clean["articles"], n as u64);

    // Kill the second ingest (SIGKILL) once some batches are committed, before the end.
    let mut child = Command::new(env!("CARGO_BIN_EXE_wirecoder"))
        .args(ingest("crash.db"))
        .current_dir(p)
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let started = Instant::now();
    let mut stored_at_kill = 0u64;
    loop {
        if let Ok(Some(_)) = child.try_wait() {
            break;
        }
        if p.join("crash.db").exists() {
            if let Ok(store) =
                wirecoder_store::Store::open(&p.join("crash.db").display().to_string())
            {
                if let Ok(s) = store.stats() {
                    if s.articles >= 64 * 3 {
                        child.kill().unwrap();
                        stored_at_kill = s.articles;
                        break;
                    }
                }
            }
        }
        assert!(
            started.elapsed() < Duration::from_secs(300),
            "ingest too slow"
        );
        std::thread::sleep(Duration::from_millis(5));
    }
    child.wait().unwrap();
    let partial = stats(p, "crash.db");
    eprintln!(
        "killed at {stored_at_kill} stored articles; database then held {}",
        partial["articles"]
    );
    assert!(
        stored_at_kill > 0 && partial["articles"].as_u64().unwrap() < n as u64,
        "the ingest finished before it could be killed"
    );
    // Whole batches only: a killed transaction leaves nothing of its batch.
    assert_eq!(partial["articles"].as_u64().unwrap() % 64, 0);

    run(ingest("crash.db"));
    assert_eq!(stats(p, "crash.db"), clean);
    // The same events with the same ids: inputs are read in order and a killed batch leaves
    // no rows (nor ids) behind.
    let ev = |db: &str| ok(p, &["events", "--db", db, "--format", "jsonl"]);
    assert_eq!(ev("clean.db"), ev("crash.db"));
}

/// GDELT's event columns, from the GDELT 2.0 event codebook, to check the export against.
const GDELT_COLUMNS: &str = "GlobalEventID Day MonthYear Year FractionDate \
Actor1Code Actor1Name Actor1CountryCode Actor1KnownGroupCode Actor1EthnicCode Actor1Religion1Code Actor1Religion2Code Actor1Type1Code Actor1Type2Code Actor1Type3Code \
Actor2Code Actor2Name Actor2CountryCode Actor2KnownGroupCode Actor2EthnicCode Actor2Religion1Code Actor2Religion2Code Actor2Type1Code Actor2Type2Code Actor2Type3Code \
IsRootEvent EventCode EventBaseCode EventRootCode QuadClass GoldsteinScale NumMentions NumSources NumArticles AvgTone \
Actor1Geo_Type Actor1Geo_FullName Actor1Geo_CountryCode Actor1Geo_ADM1Code Actor1Geo_ADM2Code Actor1Geo_Lat Actor1Geo_Long Actor1Geo_FeatureID \
Actor2Geo_Type Actor2Geo_FullName Actor2Geo_CountryCode Actor2Geo_ADM1Code Actor2Geo_ADM2Code Actor2Geo_Lat Actor2Geo_Long Actor2Geo_FeatureID \
ActionGeo_Type ActionGeo_FullName ActionGeo_CountryCode ActionGeo_ADM1Code ActionGeo_ADM2Code ActionGeo_Lat ActionGeo_Long ActionGeo_FeatureID \
DATEADDED SOURCEURL";

#[test]
fn exports_read_back_in_their_formats() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    let mut args = vec!["ingest", "--db", "x.db"];
    let inputs = corpus();
    args.extend(inputs.iter().map(String::as_str));
    ok(p, &args);
    let events: Vec<Value> = ok(p, &["events", "--db", "x.db", "--format", "jsonl"])
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert!(!events.is_empty());

    // JSONL export = `events --format jsonl`.
    ok(
        p,
        &[
            "export", "--db", "x.db", "--format", "jsonl", "--out", "e.jsonl",
        ],
    );
    let jsonl = std::fs::read_to_string(p.join("e.jsonl")).unwrap();
    assert_eq!(
        jsonl,
        ok(p, &["events", "--db", "x.db", "--format", "jsonl"])
    );

    // GDELT: 61 tab-separated fields per line, in GDELT's order and encodings.
    ok(
        p,
        &[
            "export", "--db", "x.db", "--format", "gdelt", "--out", "e.tsv",
        ],
    );
    let cols: Vec<&str> = GDELT_COLUMNS.split_whitespace().collect();
    assert_eq!(cols.len(), 61);
    let col = |name: &str| cols.iter().position(|c| *c == name).unwrap();
    let tsv = std::fs::read_to_string(p.join("e.tsv")).unwrap();
    let rows: Vec<Vec<&str>> = tsv.lines().map(|l| l.split('\t').collect()).collect();
    assert_eq!(rows.len(), events.len());
    let mut fips_checked = 0;
    for (r, e) in rows.iter().zip(&events) {
        assert_eq!(r.len(), 61, "{r:?}");
        assert_eq!(r[col("GlobalEventID")], e["id"].to_string());
        assert_eq!(r[col("EventCode")], e["cameo"].as_str().unwrap());
        assert_eq!(r[col("EventRootCode")], &e["cameo"].as_str().unwrap()[..2]);
        assert_eq!(r[col("QuadClass")], e["quad_class"].to_string());
        let day = r[col("Day")];
        assert!(
            day.len() == 8 && day.bytes().all(|b| b.is_ascii_digit()),
            "{day}"
        );
        assert_eq!(r[col("MonthYear")], &day[..6]);
        assert_eq!(r[col("Year")], &day[..4]);
        assert_eq!(r[col("DATEADDED")].len(), 14);
        assert!(!r[col("SOURCEURL")].is_empty());
        if let Some(src) = e["source"]["actor"].as_str() {
            assert_eq!(r[col("Actor1Code")], src);
        }
        // FIPS, not ISO: the place's country code is never the 3-letter ISO code.
        if let Some(c) = e["place"]["country"].as_str() {
            let geo = r[col("ActionGeo_CountryCode")];
            assert!(geo.is_empty() || geo.len() == 2, "{c} → {geo}");
            if c == "GBR" {
                assert_eq!(geo, "UK");
            }
            fips_checked += 1;
        }
    }
    eprintln!(
        "{} GDELT rows checked, {fips_checked} with a place",
        rows.len()
    );

    // GKG-like TSV and CSV: a header, then one row per article / event.
    ok(
        p,
        &[
            "export", "--db", "x.db", "--format", "gkg", "--out", "g.tsv",
        ],
    );
    let gkg = std::fs::read_to_string(p.join("g.tsv")).unwrap();
    let stats: Value = serde_json::from_str(&ok(p, &["stats", "--db", "x.db"])).unwrap();
    assert_eq!(
        gkg.lines().count() as u64,
        1 + stats["articles"].as_u64().unwrap()
    );
    assert!(gkg.lines().all(|l| l.split('\t').count() == 9));
    ok(
        p,
        &[
            "export", "--db", "x.db", "--format", "csv", "--out", "e.csv", "--root", "19",
        ],
    );
    let csv = std::fs::read_to_string(p.join("e.csv")).unwrap();
    assert!(csv.starts_with("id,article_id,date,"));

    // Parquet: read back with pyarrow when it is installed.
    ok(
        p,
        &[
            "export",
            "--db",
            "x.db",
            "--format",
            "parquet",
            "--out",
            "e.parquet",
        ],
    );
    let script = "import sys, pyarrow.parquet as pq\n\
t = pq.read_table(sys.argv[1])\n\
print(t.num_rows, t.num_columns, t.column('cameo')[0].as_py(), t.schema.field('goldstein').type)";
    match Command::new("python3")
        .args(["-c", script, &p.join("e.parquet").display().to_string()])
        .output()
    {
        Ok(o) if o.status.success() => {
            let out = String::from_utf8_lossy(&o.stdout);
            let f: Vec<&str> = out.split_whitespace().collect();
            assert_eq!(f[0], events.len().to_string(), "{out}");
            assert_eq!(f[1], "27", "{out}");
            assert_eq!(f[2], events[0]["cameo"].as_str().unwrap());
            assert_eq!(f[3], "double");
        }
        Ok(o) => eprintln!(
            "skipping the Parquet read-back: pyarrow is missing ({})",
            String::from_utf8_lossy(&o.stderr)
                .lines()
                .last()
                .unwrap_or("")
        ),
        Err(e) => eprintln!("skipping the Parquet read-back: no python3 ({e})"),
    }
}

#[test]
fn search_finds_sentences_with_filters() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    let docs = synthetic(p, 40).display().to_string();
    ok(
        p,
        &["ingest", "--db", "s.db", "--published", "2024-01-10", &docs],
    );
    assert!(p.join("s.db.search").is_dir());
    let hits = |args: &[&str]| -> Vec<Value> {
        let mut a = vec![
            "search", "--db", "s.db", "--format", "jsonl", "--limit", "100",
        ];
        a.extend(args);
        ok(p, &a)
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect()
    };
    let all = hits(&["statement number 17"]);
    assert!(!all.is_empty());
    assert!(
        all[0]["text"].as_str().unwrap().contains("number 17"),
        "{:?}",
        all[0]
    );
    let condemned = hits(&["condemned"]);
    assert!(!condemned.is_empty());
    assert!(condemned
        .iter()
        .all(|h| h["text"].as_str().unwrap().contains("condemned")));
    // Filters: date range and actor.
    assert!(hits(&["condemned", "--since", "2024-02-01"]).is_empty());
    assert_eq!(
        hits(&["condemned", "--until", "2024-01-10"]).len(),
        condemned.len()
    );
    let rus = hits(&["condemned", "--actor", "RUS"]);
    assert!(
        rus.len() < condemned.len(),
        "{} vs {}",
        rus.len(),
        condemned.len()
    );
    assert!(
        rus.iter()
            .all(|h| h["text"].as_str().unwrap().contains("Russia")),
        "{rus:?}"
    );
}
