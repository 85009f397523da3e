//! Rules, predicates, positioned errors, alert recording and delivery.

use std::io::{Read, Write};
use std::net::TcpListener;

use wirecoder_doc::{ActorRef, Event, Modality, Place, Span};
use wirecoder_watch::{
    dyad_key, parse_rules, Alert, AlertDb, AlertLog, AlertQuery, DedupBy, Deliver, Delivery,
    EmbargoTable, EventView, MemoryLog, Recorded, RuleSet, WatchError,
};

fn actor(code: &str, text: &str) -> ActorRef {
    ActorRef {
        text: text.into(),
        actor: if code.is_empty() {
            None
        } else {
            Some(code.into())
        },
        span: None,
    }
}

/// North Korea supplying Russia with missiles, as the coder writes it.
fn transfer() -> Event {
    Event {
        source: actor("PRK", "North Korea"),
        target: Some(actor("RUSMIL", "Russian forces")),
        cameo: "072".into(),
        goldstein: 6.0,
        quad_class: 2,
        plover: Some("AID".into()),
        mode: Some("military".into()),
        modality: Modality::Asserted,
        date: Some("2024-01-02".into()),
        place: Some(Place {
            name: "Kharkiv".into(),
            country: Some("UKR".into()),
            geonames_id: Some(706483),
            lat: Some(49.98),
            lon: Some(36.25),
        }),
        killed: Some(2),
        injured: Some(60),
        weapon: Some("ballistic missile".into()),
        sentence: 0,
        evidence: Span::new(0, 0),
    }
}

const SENTENCE: &str = "Russia used ballistic missiles supplied by North Korea against Kharkiv.";

/// Whether the one rule in `toml` fires on `e`.
fn fires(toml: &str, e: &Event) -> bool {
    fires_with(toml, e, Some(1))
}

fn fires_with(toml: &str, e: &Event, sources: Option<u32>) -> bool {
    let rules = parse_rules("t.toml", &format!("name = \"t\"\n{toml}"))
        .unwrap_or_else(|err| panic!("{toml}: {err}"));
    let v = EventView {
        event: e,
        published: Some("2024-01-10"),
        sentence: SENTENCE,
        num_sources: sources,
    };
    rules[0].evaluate(&v, EmbargoTable::builtin()).is_some()
}

#[test]
fn actors_follow_the_hierarchy_and_roles() {
    let e = transfer();
    assert!(fires(r#"actor = "RUS""#, &e)); // RUS covers RUSMIL
    assert!(fires(r#"actor = ["USA", "PRK"]"#, &e));
    assert!(!fires(r#"actor = "USA""#, &e));
    assert!(fires(r#"actor = "*MIL""#, &e)); // role anywhere
    assert!(fires(r#"actor = "RUS*MIL""#, &e));
    assert!(!fires(r#"actor = "PRK*MIL""#, &e));
    assert!(!fires(r#"actor = "=RUS""#, &e)); // exact: RUSMIL is not RUS
    assert!(fires(r#"actor = "=RUSMIL""#, &e));
    assert!(fires(r#"source = "PRK""#, &e));
    assert!(!fires(r#"source = "RUS""#, &e));
    assert!(fires(r#"target = "RUS""#, &e));
    assert!(!fires(r#"target = "PRK""#, &e));
}

#[test]
fn dyads_are_directed_unless_tilde() {
    let e = transfer();
    assert!(fires(r#"dyad = "PRK-RUS""#, &e));
    assert!(!fires(r#"dyad = "RUS-PRK""#, &e));
    assert!(fires(r#"dyad = "RUS~PRK""#, &e));
    assert!(fires(r#"dyad = ["USA-UKR", "PRK-RUSMIL"]"#, &e));
}

#[test]
fn cameo_plover_mode_and_modality() {
    let e = transfer();
    assert!(fires(r#"cameo = "07*""#, &e));
    assert!(fires(r#"cameo = ["06*", "07"]"#, &e));
    assert!(fires(r#"cameo = "072""#, &e));
    assert!(!fires(r#"cameo = "073""#, &e));
    assert!(!fires(r#"cameo = "19""#, &e));
    assert!(fires(r#"plover = ["aid", "COOPERATE"]"#, &e));
    assert!(!fires(r#"plover = "ASSAULT""#, &e));
    assert!(fires(r#"mode = "military""#, &e));
    assert!(!fires(r#"mode = "economic""#, &e));
    assert!(fires(r#"modality = ["asserted", "alleged"]"#, &e));
    let mut denied = transfer();
    denied.modality = Modality::Denied;
    assert!(!fires(r#"modality = ["asserted", "alleged"]"#, &denied));
    assert!(fires(r#"modality = "denied""#, &denied));
}

#[test]
fn places_by_country_name_and_box() {
    let e = transfer();
    assert!(fires(r#"country = "ukr""#, &e));
    assert!(!fires(r#"country = "RUS""#, &e));
    assert!(fires(r#"place = "kharkiv""#, &e));
    assert!(!fires(r#"place = "Kyiv""#, &e));
    assert!(fires("bbox = [35.8, 49.8, 36.6, 50.2]", &e));
    assert!(!fires("bbox = [30.0, 50.0, 31.0, 51.0]", &e));
    let mut nowhere = transfer();
    nowhere.place = None;
    assert!(!fires(r#"country = "UKR""#, &nowhere));
    assert!(!fires("bbox = [-180.0, -90.0, 180.0, 90.0]", &nowhere));
}

#[test]
fn thresholds() {
    let e = transfer();
    assert!(fires("min_killed = 2", &e));
    assert!(!fires("min_killed = 3", &e));
    assert!(fires("min_injured = 60", &e));
    assert!(!fires("min_injured = 61", &e));
    let mut unknown = transfer();
    unknown.killed = None;
    assert!(!fires("min_killed = 1", &unknown));
    assert!(fires_with("min_sources = 2", &e, Some(2)));
    assert!(!fires_with("min_sources = 2", &e, Some(1)));
    // Not known yet (before storing): taken as met, checked again once stored.
    assert!(fires_with("min_sources = 2", &e, None));
}

#[test]
fn text_regex_and_weapon() {
    let e = transfer();
    assert!(fires(r#"text = "Ballistic Missiles""#, &e));
    assert!(fires(r#"text = ["drones", "north korea"]"#, &e));
    assert!(!fires(r#"text = "missile""#, &e)); // whole words: "missiles" is not "missile"
    assert!(!fires(r#"text = "Kyiv""#, &e));
    assert!(fires(r#"regex = "ballistic missiles?""#, &e));
    assert!(!fires(r#"regex = "\\bdrones?\\b""#, &e));
    assert!(fires(r#"weapon = "ballistic missile""#, &e));
    assert!(!fires(r#"weapon = "drone""#, &e));
}

#[test]
fn dates_bound_the_event() {
    let e = transfer();
    assert!(fires(r#"since = "2024-01-01""#, &e));
    assert!(!fires(r#"since = "2024-01-03""#, &e));
    assert!(fires(r#"until = "2024-01-02""#, &e));
    assert!(!fires(r#"until = "2023-12""#, &e));
    // Without its own date the event takes the article's (2024-01-10).
    let mut undated = transfer();
    undated.date = None;
    assert!(fires(r#"since = "2024-01-10""#, &undated));
}

#[test]
fn arms_embargo_predicate_on_each_side_and_date() {
    let e = transfer();
    assert!(fires(r#"kb = "under_arms_embargo(source)""#, &e));
    assert!(!fires(r#"kb = "under_arms_embargo(target)""#, &e));
    assert!(fires(r#"kb = "under_arms_embargo(either)""#, &e));
    assert!(!fires(r#"kb = "under_arms_embargo(both)""#, &e));
    assert!(fires(r#"kb = "not under_arms_embargo(target)""#, &e));
    assert!(!fires(r#"kb = "not under_arms_embargo(source)""#, &e));
    // Before res. 1718 (2006-10-14) North Korea was not under embargo.
    let mut old = transfer();
    old.date = Some("2005-06-01".into());
    assert!(!fires(r#"kb = "under_arms_embargo(either)""#, &old));
    // Iran: under embargo in 2012, not in 2022 (2231 ended it in 2020).
    let mut iran = transfer();
    iran.source = actor("IRNGOV", "Tehran");
    iran.date = Some("2012-03-01".into());
    assert!(fires(r#"kb = "under_arms_embargo(source)""#, &iran));
    iran.date = Some("2022-03-01".into());
    assert!(!fires(r#"kb = "under_arms_embargo(source)""#, &iran));
    // Groups without a code of their own are matched on the actor's words.
    let mut houthis = transfer();
    houthis.target = Some(actor("", "the Houthis"));
    houthis.source = actor("IRN", "Iran");
    houthis.date = Some("2024-02-01".into());
    assert!(fires(r#"kb = "under_arms_embargo(target)""#, &houthis));
    // The reasons name the embargo.
    let rules = parse_rules(
        "t.toml",
        "name = \"t\"\nkb = \"under_arms_embargo(either)\"",
    )
    .unwrap();
    let v = EventView {
        event: &e,
        published: None,
        sentence: SENTENCE,
        num_sources: Some(1),
    };
    let why = rules[0].evaluate(&v, EmbargoTable::builtin()).unwrap();
    assert_eq!(why.len(), 1);
    assert!(
        why[0].contains("North Korea (DPRK)") && why[0].contains("1718"),
        "{why:?}"
    );
}

#[test]
fn any_alternatives_and_disabled_rules() {
    let e = transfer();
    let alt = "[[any]]\ncameo = \"062\"\n[[any]]\nplover = \"AID\"\nmode = \"military\"\n";
    assert!(fires(alt, &e));
    let mut econ = transfer();
    econ.mode = Some("economic".into());
    econ.cameo = "071".into();
    assert!(!fires(alt, &econ));
    assert!(!fires("enabled = false", &e));
}

#[test]
fn the_set_indexes_rules_by_root() {
    let text = r#"
[[rule]]
name = "aid"
cameo = "07*"
[[rule]]
name = "force"
cameo = ["18", "19", "20"]
[[rule]]
name = "anything-prk"
actor = "PRK"
[[rule]]
name = "alt"
[[rule.any]]
cameo = "062"
[[rule.any]]
cameo = "072"
"#;
    let set = RuleSet::new(parse_rules("set.toml", text).unwrap());
    let e = transfer();
    let v = EventView {
        event: &e,
        published: None,
        sentence: SENTENCE,
        num_sources: Some(1),
    };
    let mut names: Vec<&str> = set
        .matches(&v, EmbargoTable::builtin())
        .iter()
        .map(|(r, _)| r.name.as_str())
        .collect();
    names.sort();
    assert_eq!(names, ["aid", "alt", "anything-prk"]);
}

/// The error of `text`, with its line and column.
fn error_at(text: &str) -> (usize, usize, String) {
    match parse_rules("bad.toml", text) {
        Err(WatchError::Rule {
            line,
            column,
            message,
            ..
        }) => (line, column, message),
        other => panic!("expected a rule error, got {other:?}"),
    }
}

#[test]
fn malformed_rules_name_line_and_column() {
    // TOML syntax: an unclosed array.
    let (l, _, m) = error_at("name = \"x\"\ncameo = [\"19\"\n");
    assert!(l >= 2, "{l} {m}");
    // A bad CAMEO pattern points at the key's value (the list).
    let (l, c, m) = error_at("name = \"x\"\ncameo = [\"19\", \"6x\"]\n");
    assert_eq!((l, c), (2, 9), "{m}");
    assert!(m.contains("CAMEO pattern \"6x\""), "{m}");
    // An unknown key.
    let (l, c, m) = error_at("name = \"x\"\nactors = \"RUS\"\n");
    assert_eq!((l, c), (2, 1), "{m}");
    assert!(m.contains("actors"), "{m}");
    // An unknown predicate and a bad side.
    let (l, _, m) = error_at("name = \"x\"\n\nkb = [\"under_sanctions(source)\"]\n");
    assert_eq!(l, 3);
    assert!(m.contains("under_sanctions"), "{m}");
    let (_, _, m) = error_at("name = \"x\"\nkb = \"under_arms_embargo(sideways)\"\n");
    assert!(m.contains("sideways"), "{m}");
    // Inside [[rule]] tables, and a missing name.
    let (l, _, m) = error_at("[[rule]]\nname = \"a\"\n[[rule]]\ncameo = \"19\"\n");
    assert_eq!(l, 3, "{m}");
    assert!(m.contains("name"), "{m}");
    // Bad values of other kinds.
    let (l, _, m) = error_at("name = \"x\"\nplover = \"ATTACK\"\n");
    assert_eq!(l, 2);
    assert!(m.contains("ATTACK"), "{m}");
    let (_, _, m) = error_at("name = \"x\"\nmodality = \"rumoured\"\n");
    assert!(m.contains("rumoured"), "{m}");
    let (l, _, m) = error_at("name = \"x\"\nbbox = [40.0, 50.0, 30.0, 51.0]\n");
    assert_eq!(l, 2, "{m}");
    let (_, _, m) = error_at("name = \"x\"\nregex = \"(unclosed\"\n");
    assert!(m.contains("regex"), "{m}");
    let (_, _, m) = error_at("name = \"x\"\ncameo = []\n");
    assert!(m.contains("empty list"), "{m}");
    let (_, _, m) = error_at("name = \"x\"\nmin_killed = -1\n");
    assert!(!m.is_empty());
    let (_, _, m) = error_at("name = \"x\"\ndeliver = \"email:me\"\n");
    assert!(m.contains("webhook"), "{m}");
    let (_, _, m) = error_at("name = \"bad name\"\n");
    assert!(m.contains("rule name"), "{m}");
    // The whole message shows the line and a caret.
    let e = parse_rules("bad.toml", "name = \"x\"\ncameo = \"6x\"\n").unwrap_err();
    let text = e.to_string();
    assert!(text.starts_with("bad.toml:2:9: "), "{text}");
    assert!(
        text.contains("cameo = \"6x\"") && text.contains('^'),
        "{text}"
    );
}

#[test]
fn the_shipped_examples_parse() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/rules");
    let rules = wirecoder_watch::load_rules(&dir).unwrap();
    let names: Vec<&str> = rules.iter().map(|r| r.name.as_str()).collect();
    assert!(names.contains(&"embargoed-arms-transfer"), "{names:?}");
    assert!(rules.len() >= 5);
}

fn stored_alert(rule: &str, key: &str, event_id: i64) -> Alert {
    Alert {
        id: 0,
        rule: rule.into(),
        key: key.into(),
        event_id,
        article_id: 1,
        count: 1,
        reasons: vec![],
        event: serde_json::json!({"cameo": "072"}),
        evidence_text: "supplied".into(),
        sentence_text: SENTENCE.into(),
        article_title: None,
        published: None,
        source_url: None,
    }
}

#[test]
fn an_event_is_alerted_once_and_reports_raise_the_count() {
    let mut mem = MemoryLog::default();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("w.db");
    let mut db = AlertDb::open(path.to_str().unwrap()).unwrap();
    for log in [&mut mem as &mut dyn AlertLog, &mut db] {
        let a = stored_alert("r", "PRK|RUS|072|2024-01-02", 10);
        assert!(matches!(log.record(&a).unwrap(), Recorded::New { .. }));
        // The same event again (a re-run): nothing changes.
        assert!(matches!(log.record(&a).unwrap(), Recorded::Seen { .. }));
        // Another report of it: the count goes up.
        let b = stored_alert("r", "PRK|RUS|072|2024-01-02", 11);
        assert!(matches!(
            log.record(&b).unwrap(),
            Recorded::Updated { count: 2, .. }
        ));
        // Another rule on the same event is its own alert.
        let c = stored_alert("s", "PRK|RUS|072|2024-01-02", 10);
        assert!(matches!(log.record(&c).unwrap(), Recorded::New { .. }));
    }
    let all = db.alerts(&AlertQuery::default()).unwrap();
    assert_eq!(all.len(), 2);
    let r = all.iter().find(|a| a.rule == "r").unwrap();
    assert_eq!(r.count, 2);
    assert_eq!(r.json["count"], 2);
    assert_eq!(r.json["sentence_text"], SENTENCE);
    let only_s = db
        .alerts(&AlertQuery {
            rule: Some("s".into()),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(only_s.len(), 1);
    // Reopening keeps them.
    drop(db);
    let mut db = AlertDb::open(path.to_str().unwrap()).unwrap();
    assert_eq!(db.alerts(&AlertQuery::default()).unwrap().len(), 2);
}

#[test]
fn rules_are_stored_listed_and_removed() {
    let dir = tempfile::tempdir().unwrap();
    let mut db = AlertDb::open(dir.path().join("w.db").to_str().unwrap()).unwrap();
    let rules = parse_rules(
        "r.toml",
        "[[rule]]\nname = \"a\"\ncameo = \"19\"\n\n[[rule]]\nname = \"b\"\nactor = \"PRK\"\n",
    )
    .unwrap();
    assert!(!db.put_rule(&rules[0]).unwrap());
    assert!(!db.put_rule(&rules[1]).unwrap());
    assert!(db.put_rule(&rules[0]).unwrap()); // replaced
    let back = db.rules().unwrap();
    assert_eq!(back.len(), 2);
    assert_eq!(back[0].name, "a");
    assert!(
        back[0].source.contains("cameo = \"19\""),
        "{}",
        back[0].source
    );
    assert!(db.remove_rule("a").unwrap());
    assert!(!db.remove_rule("a").unwrap());
    assert_eq!(db.rules().unwrap().len(), 1);
}

#[test]
fn alerts_go_to_files_and_webhooks() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("alerts.jsonl");
    // A one-shot HTTP server: reads one request, answers 204.
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let server = std::thread::spawn(move || {
        let (mut s, _) = listener.accept().unwrap();
        s.set_read_timeout(Some(std::time::Duration::from_secs(5)))
            .unwrap();
        let mut buf = Vec::new();
        let mut chunk = [0u8; 4096];
        loop {
            let n = s.read(&mut chunk).unwrap_or(0);
            if n == 0 {
                break;
            }
            buf.extend_from_slice(&chunk[..n]);
            let text = String::from_utf8_lossy(&buf);
            if let Some(h) = text.find("\r\n\r\n") {
                let len: usize = text[..h]
                    .lines()
                    .find_map(|l| {
                        let (k, v) = l.split_once(':')?;
                        k.eq_ignore_ascii_case("content-length")
                            .then(|| v.trim().parse().ok())?
                    })
                    .unwrap_or(0);
                if buf.len() >= h + 4 + len {
                    break;
                }
            }
        }
        s.write_all(b"HTTP/1.1 204 No Content\r\nConnection: close\r\n\r\n")
            .unwrap();
        String::from_utf8_lossy(&buf).into_owned()
    });
    let mut d = Delivery::new(Box::new(std::io::sink()));
    let alert = stored_alert("r", "k", 1).to_json();
    d.send(&Deliver::File(file.to_str().unwrap().into()), &alert)
        .unwrap();
    d.send(&Deliver::File(file.to_str().unwrap().into()), &alert)
        .unwrap();
    let url = format!("http://127.0.0.1:{port}/hook");
    d.send(&Deliver::Webhook(url), &alert).unwrap();
    let request = server.join().unwrap();
    assert!(request.starts_with("POST /hook HTTP/1.1"), "{request}");
    assert!(request
        .to_lowercase()
        .contains("content-type: application/json"));
    let body = &request[request.find("\r\n\r\n").unwrap() + 4..];
    let v: serde_json::Value = serde_json::from_str(body).unwrap();
    assert_eq!(v["rule"], "r");
    let lines = std::fs::read_to_string(&file).unwrap();
    assert_eq!(lines.lines().count(), 2);
    // A dead endpoint is an error naming it, quickly.
    let dead = TcpListener::bind("127.0.0.1:0").unwrap();
    let dead_url = format!(
        "http://127.0.0.1:{}/hook",
        dead.local_addr().unwrap().port()
    );
    drop(dead);
    let err = d
        .send(&Deliver::Webhook(dead_url.clone()), &alert)
        .unwrap_err();
    assert!(err.to_string().contains(&dead_url), "{err}");
}

/// Runs `f` with the URL of a throwaway PostgreSQL database named after `tag`, dropped
/// afterwards; skipped, saying so, when no server answers (unless `WIRECODER_REQUIRE_PG`).
fn on_throwaway_pg(tag: &str, f: impl FnOnce(&str) + std::panic::UnwindSafe) {
    let admin = std::env::var("WIRECODER_TEST_PG")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into());
    let mut c = match postgres::Client::connect(&admin, postgres::NoTls) {
        Ok(c) => c,
        Err(e) => {
            if std::env::var_os("WIRECODER_REQUIRE_PG").is_some() {
                panic!("WIRECODER_REQUIRE_PG is set but {admin} does not answer: {e}");
            }
            eprintln!("skipping: no PostgreSQL at {admin}: {e}");
            return;
        }
    };
    let name = format!("wirecoder_test_{}_{tag}", std::process::id());
    c.batch_execute(&format!("DROP DATABASE IF EXISTS {name}"))
        .and_then(|_| c.batch_execute(&format!("CREATE DATABASE {name}")))
        .expect("create the test database");
    let base = admin.rsplit_once('/').map_or(admin.as_str(), |(b, _)| b);
    let url = format!("{base}/{name}");
    let result = std::panic::catch_unwind(|| f(&url));
    let _ = c.batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"));
    if let Err(p) = result {
        std::panic::resume_unwind(p);
    }
}

/// The same recording on PostgreSQL.
#[test]
fn alerts_and_rules_on_postgres() {
    on_throwaway_pg("watch", |url| {
        let mut db = AlertDb::open(url).unwrap();
        let a = stored_alert("r", "PRK|RUS|072|2024-01-02", 10);
        assert!(matches!(db.record(&a).unwrap(), Recorded::New { .. }));
        assert!(matches!(db.record(&a).unwrap(), Recorded::Seen { .. }));
        let b = stored_alert("r", "PRK|RUS|072|2024-01-02", 11);
        assert!(matches!(
            db.record(&b).unwrap(),
            Recorded::Updated { count: 2, .. }
        ));
        let all = db.alerts(&AlertQuery::default()).unwrap();
        assert_eq!(all.len(), 1);
        assert_eq!(all[0].count, 2);
        let rules = parse_rules("r.toml", "name = \"a\"\ncameo = \"19\"\n").unwrap();
        assert!(!db.put_rule(&rules[0]).unwrap());
        assert!(db.put_rule(&rules[0]).unwrap());
        assert_eq!(db.rules().unwrap().len(), 1);
        assert!(db.remove_rule("a").unwrap());
        // A second opener on the same database finds the tables.
        let mut again = AlertDb::open(url).unwrap();
        assert_eq!(again.alerts(&AlertQuery::default()).unwrap().len(), 1);
    });
}

/// Workers that start together on a fresh database all open the watch tables at their first
/// try: the schema is created under a lock held until it is committed.
#[test]
fn simultaneous_openers_on_a_fresh_postgres_database() {
    on_throwaway_pg("watch_race", |url| {
        let start = std::sync::Barrier::new(8);
        std::thread::scope(|s| {
            let handles: Vec<_> = (0..8)
                .map(|_| {
                    s.spawn(|| {
                        start.wait();
                        AlertDb::open(url).map(|_| ())
                    })
                })
                .collect();
            for h in handles {
                if let Err(e) = h.join().unwrap() {
                    panic!("a simultaneous opener failed: {e}");
                }
            }
        });
    });
}

#[test]
fn dyad_dedup_joins_reports_on_other_days() {
    let rules = parse_rules("t.toml", "name = \"t\"\ndedup = \"dyad\"\ncameo = \"07\"\n").unwrap();
    assert_eq!(rules[0].dedup, DedupBy::Dyad);
    let a = transfer();
    let mut b = transfer();
    b.date = Some("2023-12-30".into());
    b.target = Some(actor("RUSGOV", "Moscow"));
    let view = |e| EventView {
        event: e,
        published: None,
        sentence: SENTENCE,
        num_sources: Some(1),
    };
    assert_eq!(dyad_key(&view(&a)), "dyad:PRK|RUS|07");
    assert_eq!(dyad_key(&view(&a)), dyad_key(&view(&b)));
    let (_, _, m) = error_at("name = \"x\"\ndedup = \"weekly\"\n");
    assert!(m.contains("dedup"), "{m}");
}
