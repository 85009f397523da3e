//! End-to-end tests of the `wirecoder` binary: each runs the built executable in a temp dir.

mod common;

use common::{ok, seed, wc};
use serde_json::Value;
use std::path::Path;

/// Two short news pages of our own (first line = title).
fn write_pages(dir: &Path) -> Vec<String> {
    let pages = [
        (
            "moscow.txt",
            "Russia condemns new sanctions\n\nRussia on Tuesday condemned the new sanctions imposed by the European Union, the Kremlin said.\n\nKremlin spokesman Dmitry Peskov told reporters in Moscow that the measures were illegal.\n",
        ),
        (
            "kharkiv.txt",
            "Missile strikes hit Kharkiv\n\nRussia launched a series of missile strikes on Kharkiv on Monday, killing two people and injuring over 60, Ukrainian officials said.\n\nUkraine accused Russia of using North Korean ballistic missiles in the attack.\n",
        ),
    ];
    pages
        .iter()
        .map(|(name, text)| {
            std::fs::write(dir.join(name), text).unwrap();
            name.to_string()
        })
        .collect()
}

fn keys(v: &Value) -> Vec<String> {
    let mut k: Vec<String> = v.as_object().expect("an object").keys().cloned().collect();
    k.sort();
    k
}

fn assert_has(v: &Value, want: &[&str]) {
    for k in want {
        assert!(v.get(*k).is_some(), "missing key {k:?} in {v}");
    }
}

/// Checks an event object against the contract's shape and its evidence against `text`.
fn check_event(e: &Value, text: Option<&str>) {
    assert_has(
        e,
        &[
            "source",
            "target",
            "cameo",
            "goldstein",
            "quad_class",
            "plover",
            "mode",
            "modality",
            "date",
            "place",
            "killed",
            "injured",
            "weapon",
            "sentence",
            "evidence",
        ],
    );
    assert!(e["source"]["text"].is_string(), "{e}");
    let cameo = e["cameo"].as_str().expect("cameo is a string");
    assert!(
        cameo.len() >= 2 && cameo.bytes().all(|b| b.is_ascii_digit()),
        "{cameo}"
    );
    let m = e["modality"].as_str().unwrap();
    assert!(
        [
            "asserted",
            "alleged",
            "denied",
            "negated",
            "hypothetical",
            "future"
        ]
        .contains(&m),
        "{m}"
    );
    let (s, t) = (
        e["evidence"]["start"].as_u64().unwrap() as usize,
        e["evidence"]["end"].as_u64().unwrap() as usize,
    );
    assert!(s < t, "empty evidence in {e}");
    if let Some(text) = text {
        // Offsets are code points, as Python slices them.
        let n = text.chars().count();
        assert!(t <= n, "evidence {s}..{t} beyond the text ({n} chars)");
    }
}

#[test]
fn annotate_seed_gives_the_contract_shape() {
    let Some(seed) = seed() else { return };
    let dir = tempfile::tempdir().unwrap();
    let out = ok(
        dir.path(),
        &[
            "annotate",
            "--published",
            "2024-01-10",
            seed.to_str().unwrap(),
        ],
    );
    let docs = out.jsonl();
    assert_eq!(docs.len(), 1, "one document, one line");
    let d = &docs[0];
    assert_has(
        d,
        &[
            "id",
            "url",
            "title",
            "published",
            "published_inferred",
            "language",
            "text",
            "stories",
            "sentences",
            "entities",
            "dates",
            "quotes",
            "events",
        ],
    );
    assert_eq!(d["published"], "2024-01-10");
    assert_eq!(d["published_inferred"], false);
    assert_eq!(
        d["title"],
        "The US And Its Allies Denounce Weapon Exchanges Between North Korea And Russia"
    );
    let text = d["text"].as_str().unwrap();
    assert!(text.contains("Kremlin spokesman Dmitry Peskov"));
    let n = text.chars().count();
    for s in d["sentences"].as_array().unwrap() {
        assert!(s["start"].as_u64().unwrap() < s["end"].as_u64().unwrap());
        assert!(s["end"].as_u64().unwrap() as usize <= n);
    }
    for e in d["entities"].as_array().unwrap() {
        assert_has(e, &["start", "end", "text", "type", "actor", "place"]);
        // The entity's text is what its code-point offsets slice out of the text.
        let (a, b) = (
            e["start"].as_u64().unwrap() as usize,
            e["end"].as_u64().unwrap() as usize,
        );
        let sliced: String = text.chars().skip(a).take(b - a).collect();
        assert_eq!(sliced, e["text"].as_str().unwrap());
    }
    for e in d["events"].as_array().unwrap() {
        check_event(e, Some(text));
    }
    assert!(
        !d["events"].as_array().unwrap().is_empty(),
        "the seed page reports events"
    );

    // `--format json` is the same document, pretty-printed.
    let pretty = ok(
        dir.path(),
        &[
            "annotate",
            "--published",
            "2024-01-10",
            "--format",
            "json",
            seed.to_str().unwrap(),
        ],
    );
    let v: Value = serde_json::from_str(&pretty.stdout).unwrap();
    assert_eq!(v["title"], d["title"]);
    assert!(pretty.stdout.lines().count() > 10);
}

#[test]
fn annotate_without_a_date_infers_one() {
    let Some(seed) = seed() else { return };
    let dir = tempfile::tempdir().unwrap();
    let d = &ok(dir.path(), &["annotate", seed.to_str().unwrap()]).jsonl()[0];
    if let Some(p) = d["published"].as_str() {
        assert_eq!(d["published_inferred"], true);
        assert!(
            p >= "2024-01-02",
            "inferred {p}, before the latest date in the text"
        );
    }
}

#[test]
fn extract_gives_the_contract_shape() {
    let dir = tempfile::tempdir().unwrap();
    let names = write_pages(dir.path());
    let out = ok(dir.path(), &["extract", &names[0], &names[1]]);
    let docs = out.jsonl();
    assert_eq!(docs.len(), 2);
    for d in &docs {
        assert_eq!(
            keys(d),
            [
                "author",
                "language",
                "path",
                "published",
                "site",
                "text",
                "title",
                "url"
            ]
        );
    }
    let moscow = docs
        .iter()
        .find(|d| d["title"] == "Russia condemns new sanctions")
        .unwrap();
    assert!(moscow["text"]
        .as_str()
        .unwrap()
        .starts_with("Russia on Tuesday condemned"));
    assert!(moscow["path"].as_str().unwrap().ends_with("moscow.txt"));

    // HTML from stdin.
    let html = "<html><head><title>Talks in Geneva</title></head><body><article><h1>Talks in Geneva</h1><p>Iran and the United States held talks in Geneva on Monday about the nuclear programme, diplomats said.</p></article></body></html>";
    std::fs::write(dir.path().join("page.html"), html).unwrap();
    let d = &ok(dir.path(), &["extract", "--format", "json", "page.html"]).stdout;
    let v: Value = serde_json::from_str(d).unwrap();
    assert!(v["text"].as_str().unwrap().contains("held talks in Geneva"));
}

#[test]
fn ingest_twice_adds_nothing_and_stats_count() {
    let dir = tempfile::tempdir().unwrap();
    let names = write_pages(dir.path());
    let mut args = vec!["ingest", "--db", "t.db", "--published", "2024-01-10"];
    args.extend(names.iter().map(String::as_str));

    let first = ok(dir.path(), &args);
    assert!(
        first
            .stderr
            .contains("ingested 2 documents (2 new, 0 already present)"),
        "{}",
        first.stderr
    );
    let second = ok(dir.path(), &args);
    assert!(
        second
            .stderr
            .contains("ingested 2 documents (0 new, 2 already present), 0 events"),
        "{}",
        second.stderr
    );

    let stats = ok(dir.path(), &["stats", "--db", "t.db", "--format", "json"]).jsonl();
    let s = &stats[0];
    assert_eq!(
        keys(s),
        [
            "articles",
            "canonical_events",
            "entities",
            "events",
            "quotes",
            "sentences",
            "skipped",
            "stories"
        ]
    );
    assert_eq!(s["articles"], 2);
    assert_eq!(s["skipped"], 0);
    assert!(s["sentences"].as_u64().unwrap() >= 4, "{s}");
    for (_, v) in s.as_object().unwrap() {
        assert!(v.is_u64());
    }
    let table = ok(dir.path(), &["stats", "--db", "t.db", "--format", "table"]).stdout;
    assert!(
        table
            .lines()
            .any(|l| l.starts_with("articles") && l.ends_with(" 2")),
        "{table}"
    );
}

#[test]
fn bad_inputs_are_reported_and_skipped() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    write_pages(p);
    std::fs::write(p.join("empty.txt"), "").unwrap();
    std::fs::write(
        p.join("binary.txt"),
        b"\x7fELF\x02\x01\x01\0\0\0\0\0\0\0\0\0\x02\0>\0",
    )
    .unwrap();
    // Declared ISO-2022-JP, but the body is bytes no encoding makes sense of.
    let mut weird = b"<html><head><meta charset=\"iso-2022-jp\"></head><body><p>".to_vec();
    weird.extend(b"\x81\x82\x83\x84".repeat(200));
    weird.extend(b"</p></body></html>");
    std::fs::write(p.join("weird.html"), weird).unwrap();

    let out = ok(
        p,
        &[
            "ingest",
            "--db",
            "t.db",
            "empty.txt",
            "binary.txt",
            "weird.html",
            "moscow.txt",
        ],
    );
    for name in ["empty.txt", "binary.txt", "weird.html"] {
        let lines: Vec<&str> = out.stderr.lines().filter(|l| l.contains(name)).collect();
        assert_eq!(lines.len(), 1, "one line for {name}:\n{}", out.stderr);
        assert!(lines[0].starts_with("wirecoder: skipped "), "{}", lines[0]);
    }
    assert!(!out.stderr.contains("moscow.txt"), "{}", out.stderr);
    assert!(
        out.stderr
            .contains("ingested 1 documents (1 new, 0 already present)")
            && out.stderr.contains("3 skipped"),
        "{}",
        out.stderr
    );
    let s = &ok(p, &["stats", "--db", "t.db"]).jsonl()[0];
    assert_eq!(s["articles"], 1);
    assert_eq!(s["skipped"], 3);

    // Nothing readable at all: the request failed.
    let out = wc(p, &["annotate", "empty.txt"]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(out.stderr.contains("empty.txt"));
}

#[test]
fn usage_errors_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    assert_eq!(wc(dir.path(), &["annotate"]).code, 2);
    assert_eq!(
        wc(
            dir.path(),
            &["annotate", "--published", "last Tuesday", "x.txt"]
        )
        .code,
        2
    );
    assert_eq!(wc(dir.path(), &["events", "--root", "42"]).code, 2);
    assert_eq!(wc(dir.path(), &["frobnicate"]).code, 2);
    // Querying a database that is not there fails as a request, naming it.
    let out = wc(dir.path(), &["events", "--db", "missing.db"]);
    assert_eq!(out.code, 1);
    assert!(out.stderr.contains("missing.db"), "{}", out.stderr);
}

/// Ingests the seed (or, without `../shared`, our own pages) into `t.db`.
fn ingest_some(dir: &Path) -> Vec<String> {
    let mut inputs = write_pages(dir);
    if let Some(seed) = seed() {
        inputs.push(seed.display().to_string());
    }
    let mut args = vec!["ingest", "--db", "t.db", "--published", "2024-01-10"];
    args.extend(inputs.iter().map(String::as_str));
    ok(dir, &args);
    inputs
}

#[test]
fn events_jsonl_csv_and_table() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    ingest_some(p);
    let events = ok(p, &["events", "--db", "t.db", "--format", "jsonl"]).jsonl();
    let stats = &ok(p, &["stats", "--db", "t.db"]).jsonl()[0];
    assert_eq!(events.len() as u64, stats["events"].as_u64().unwrap());
    for e in &events {
        check_event(e, None);
        assert_has(
            e,
            &[
                "id",
                "article_id",
                "num_mentions",
                "num_sources",
                "num_articles",
            ],
        );
        assert!(e["num_mentions"].as_u64().unwrap() >= 1);
    }
    if events.is_empty() {
        eprintln!("no events were coded; only the empty outputs are checked");
    }

    let csv = ok(p, &["events", "--db", "t.db", "--format", "csv"]).stdout;
    assert!(csv.starts_with("id,article_id,date,source,"));
    assert_eq!(csv.lines().count(), events.len() + 1);

    let table = ok(p, &["events", "--db", "t.db"]).stdout;
    assert!(table.starts_with("date"), "{table}");
    for line in table.lines().skip(1) {
        // The evidence column is cut at 80 characters.
        assert!(line.chars().count() < 80 + 60, "{line}");
    }

    // A filter no event passes.
    let none = ok(
        p,
        &[
            "events",
            "--db",
            "t.db",
            "--format",
            "jsonl",
            "--since",
            "2099-01-01",
        ],
    );
    assert!(none.stdout.trim().is_empty());
    if let Some(first) = events.first() {
        let code = first["cameo"].as_str().unwrap();
        let root = &code[..2];
        let by_root = ok(
            p,
            &[
                "events", "--db", "t.db", "--format", "jsonl", "--root", root,
            ],
        )
        .jsonl();
        assert!(!by_root.is_empty());
        assert!(by_root
            .iter()
            .all(|e| e["cameo"].as_str().unwrap().starts_with(root)));
    }
}

#[test]
fn show_marks_the_evidence() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    ingest_some(p);
    let events = ok(p, &["events", "--db", "t.db", "--format", "jsonl"]).jsonl();
    let Some(e) = events.first() else {
        eprintln!("no events were coded; `show` cannot be checked for marks");
        return;
    };
    let id = e["article_id"].to_string();
    let out = ok(p, &["show", "--db", "t.db", &id]).stdout;
    assert!(out.contains("[[") && out.contains("]]⟦1"), "{out}");
    assert!(out.contains("Events (") && out.contains("\n1. "), "{out}");
    assert!(
        out.contains("Entities (") && out.contains("Quotes ("),
        "{out}"
    );
    assert!(
        !out.contains('\x1b'),
        "no colour when stdout is not a terminal"
    );

    // By title piece: "Kharkiv" names one article; an unknown one fails.
    let by_title = ok(p, &["show", "--db", "t.db", "Missile strikes hit"]).stdout;
    assert!(by_title.starts_with("Missile strikes hit Kharkiv"));
    assert_eq!(wc(p, &["show", "--db", "t.db", "no such headline"]).code, 1);
    // A piece matching several lists them and fails.
    let amb = wc(p, &["show", "--db", "t.db", ".txt"]);
    assert_eq!(amb.code, 1, "{}", amb.stdout);
    assert!(amb.stderr.contains("matches"), "{}", amb.stderr);
}

#[test]
fn demo_builds_a_fresh_database_and_summarizes() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    // A stale file at the path is replaced, not appended to.
    std::fs::write(p.join("d.db"), b"not a database").unwrap();
    let out = ok(p, &["demo", "--db", "d.db"]);
    for part in [
        "Events by CAMEO root",
        "Top actor pairs",
        "Example events",
        "Explore:",
    ] {
        assert!(
            out.stdout.contains(part),
            "missing {part:?} in:\n{}",
            out.stdout
        );
    }
    assert!(out.stdout.contains("wirecoder show --db d.db"));
    let s = &ok(p, &["stats", "--db", "d.db"]).jsonl()[0];
    let articles = s["articles"].as_u64().unwrap();
    // 251 sample articles (and the seed page when ../shared is there), less any skipped.
    assert!(articles + s["skipped"].as_u64().unwrap() >= 251, "{s}");
    assert!(articles >= 100, "most of the sample is stored: {s}");
}

#[test]
fn parse_conllu_keeps_tokens_and_fills_tree() {
    let dir = tempfile::tempdir().expect("temp dir");
    let input = "# text = Rebels attacked the base.\n\
1\tRebels\t_\t_\t_\t_\t_\t_\t_\t_\n\
2\tattacked\t_\t_\t_\t_\t_\t_\t_\t_\n\
3\tthe\t_\t_\t_\t_\t_\t_\t_\tSpaceAfter=No\n\
4\tbase\t_\t_\t_\t_\t_\t_\t_\t_\n\
5\t.\t_\t_\t_\t_\t_\t_\t_\t_\n\n";
    std::fs::write(dir.path().join("in.conllu"), input).expect("write");
    let o = ok(dir.path(), &["parse", "--conllu", "in.conllu"]);
    let rows: Vec<Vec<&str>> = o
        .stdout
        .lines()
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|l| l.split('\t').collect())
        .collect();
    assert_eq!(rows.len(), 5);
    let col = |i: usize| rows.iter().map(|r| r[i]).collect::<Vec<_>>();
    assert_eq!(col(1), ["Rebels", "attacked", "the", "base", "."]);
    assert_eq!(col(3), ["NOUN", "VERB", "DET", "NOUN", "PUNCT"]);
    assert_eq!(col(6), ["2", "0", "4", "2", "2"]);
    assert_eq!(col(7), ["nsubj", "root", "det", "obj", "punct"]);
    assert_eq!(rows[2][9], "SpaceAfter=No");
    assert!(o.stdout.starts_with("# text = Rebels attacked the base.\n"));
}

#[test]
fn output_is_the_same_on_one_thread_and_several() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    let mut inputs = write_pages(p);
    // More documents than one chunk of the parallel pipeline, so chunks are stitched too.
    for i in 0..40 {
        let name = format!("page{i}.txt");
        std::fs::write(
            p.join(&name),
            format!("Talks number {i}\n\nRussia and Ukraine met in Geneva on Monday for talks number {i}, officials said.\n"),
        )
        .unwrap();
        inputs.push(name);
    }
    let run = |threads: &str| {
        let mut args = vec![
            "annotate",
            "--published",
            "2024-01-10",
            "--threads",
            threads,
        ];
        args.extend(inputs.iter().map(String::as_str));
        ok(p, &args).stdout
    };
    let one = run("1");
    assert_eq!(one.lines().count(), inputs.len());
    assert_eq!(one, run("3"));
}
