//! The API over a real database: responses validated against the OpenAPI document, every
//! route documented, bad parameters answered 400 with a message, writes refused without the
//! token, and an ingest through HTTP.

use axum::body::Body;
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt;
use serde_json::{json, Value};
use tower::ServiceExt;
use wirecoder_doc::{ActorRef, Doc, Event, Modality, Place, Span};
use wirecoder_serve::{app, Config, OPENAPI_JSON, ROUTES};
use wirecoder_store::Store;

const TOKEN: &str = "s3cret-token";

fn actor(text: &str, code: &str, start: usize) -> ActorRef {
    ActorRef {
        text: text.into(),
        actor: Some(code.into()),
        span: Some(Span::new(start, start + text.len())),
    }
}

/// Two small articles, coded by hand: events with a place (Kharkiv), dated and undated.
fn fixture(dir: &tempfile::TempDir) -> String {
    let db = dir.path().join("t.db").display().to_string();
    let mut store = Store::open(&db).unwrap();
    let text = "Russia struck Kharkiv with missiles. Ukraine accused Russia of war crimes.";
    let mut d = Doc::new(text);
    d.meta.title = Some("Strikes on Kharkiv".into());
    d.meta.published = Some("2024-01-10".into());
    d.sentences = vec![Span::new(0, 36), Span::new(37, text.len())];
    let ev = |src: ActorRef,
              tgt: ActorRef,
              cameo: &str,
              q: u8,
              sent: usize,
              evi: Span,
              place: Option<Place>| Event {
        source: src,
        target: Some(tgt),
        cameo: cameo.into(),
        goldstein: -9.0,
        quad_class: q,
        plover: Some(if q == 4 { "ASSAULT" } else { "ACCUSE" }.into()),
        mode: None,
        modality: Modality::Asserted,
        date: Some("2024-01-09".into()),
        place,
        killed: None,
        injured: None,
        weapon: None,
        sentence: sent,
        evidence: evi,
    };
    let kharkiv = Place {
        name: "Kharkiv".into(),
        country: Some("UKR".into()),
        geonames_id: Some(706483),
        lat: Some(49.98),
        lon: Some(36.25),
    };
    d.events.push(ev(
        actor("Russia", "RUS", 0),
        actor("Kharkiv", "UKR", 14),
        "195",
        4,
        0,
        Span::new(7, 13),
        Some(kharkiv),
    ));
    d.events.push(ev(
        actor("Ukraine", "UKR", 37),
        actor("Russia", "RUS", 53),
        "112",
        3,
        1,
        Span::new(45, 52),
        None,
    ));
    store.insert(&d).unwrap();
    let text2 = "France and Germany agreed on aid. Élysée officials met Ukraine’s envoy.";
    let mut d2 = Doc::new(text2);
    d2.meta.title = Some("Aid".into());
    d2.meta.published = Some("2024-02-03".into());
    d2.sentences = vec![Span::new(0, 33), Span::new(34, text2.len())];
    let met = text2.find("met").unwrap();
    d2.events.push(Event {
        modality: Modality::Alleged,
        date: None,
        plover: Some("CONSULT".into()),
        goldstein: 1.0,
        ..ev(
            actor("France", "FRA", 0),
            actor("Germany", "DEU", 11),
            "057",
            1,
            0,
            Span::new(19, 25),
            None,
        )
    });
    d2.events.push(Event {
        date: None,
        ..ev(
            actor("Élysée officials", "FRAGOV", 34),
            actor("Ukraine", "UKR", met + 4),
            "040",
            1,
            1,
            Span::new(met, met + 3),
            None,
        )
    });
    store.insert(&d2).unwrap();
    db
}

struct T {
    router: axum::Router,
    _dir: tempfile::TempDir,
}

fn server(protect_reads: bool) -> T {
    let dir = tempfile::tempdir().unwrap();
    let db = fixture(&dir);
    let router = app(&Config {
        db,
        token: Some(TOKEN.into()),
        protect_reads,
        ..Config::default()
    })
    .unwrap();
    T { router, _dir: dir }
}

async fn call(t: &T, req: Request<Body>) -> (StatusCode, Value, String) {
    let resp = t.router.clone().oneshot(req).await.unwrap();
    let status = resp.status();
    let ct = resp
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    let bytes = resp.into_body().collect().await.unwrap().to_bytes();
    let text = String::from_utf8_lossy(&bytes).into_owned();
    let v = if ct.starts_with("application/json") {
        serde_json::from_str(&text).unwrap_or(Value::Null)
    } else {
        Value::Null
    };
    (status, v, text)
}

async fn get(t: &T, uri: &str) -> (StatusCode, Value) {
    let (s, v, _) = call(t, Request::get(uri).body(Body::empty()).unwrap()).await;
    (s, v)
}

fn openapi() -> Value {
    serde_json::from_str(OPENAPI_JSON).unwrap()
}

/// Follows a `$ref` inside the document.
fn resolve<'a>(doc: &'a Value, v: &'a Value) -> &'a Value {
    match v.get("$ref").and_then(Value::as_str) {
        Some(r) => {
            let mut cur = doc;
            for part in r.trim_start_matches("#/").split('/') {
                cur = &cur[part];
            }
            resolve(doc, cur)
        }
        None => v,
    }
}

/// A small JSON Schema check (type, required, properties, items, enum, minimum, maximum): the
/// subset the document uses.
fn validate(doc: &Value, schema: &Value, v: &Value, at: &str) -> Result<(), String> {
    let schema = resolve(doc, schema);
    if let Some(t) = schema.get("type") {
        let types: Vec<&str> = match t {
            Value::String(s) => vec![s.as_str()],
            Value::Array(a) => a.iter().filter_map(Value::as_str).collect(),
            _ => vec![],
        };
        let ok = types.iter().any(|t| match *t {
            "object" => v.is_object(),
            "array" => v.is_array(),
            "string" => v.is_string(),
            "integer" => v.is_i64() || v.is_u64(),
            "number" => v.is_number(),
            "boolean" => v.is_boolean(),
            "null" => v.is_null(),
            _ => false,
        });
        if !ok {
            return Err(format!("{at}: {v} is not {types:?}"));
        }
    }
    if let Some(e) = schema.get("enum").and_then(Value::as_array) {
        if !v.is_null() && !e.contains(v) {
            return Err(format!("{at}: {v} not in {e:?}"));
        }
    }
    if let (Some(min), Some(x)) = (schema.get("minimum").and_then(Value::as_f64), v.as_f64()) {
        if x < min {
            return Err(format!("{at}: {x} < {min}"));
        }
    }
    if let (Some(max), Some(x)) = (schema.get("maximum").and_then(Value::as_f64), v.as_f64()) {
        if x > max {
            return Err(format!("{at}: {x} > {max}"));
        }
    }
    if let Value::Object(o) = v {
        for r in schema
            .get("required")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let r = r.as_str().unwrap_or("");
            if !o.contains_key(r) {
                return Err(format!("{at}: missing required {r}"));
            }
        }
        if let Some(props) = schema.get("properties").and_then(Value::as_object) {
            for (k, s) in props {
                if let Some(x) = o.get(k) {
                    validate(doc, s, x, &format!("{at}.{k}"))?;
                }
            }
        }
    }
    if let (Value::Array(a), Some(items)) = (v, schema.get("items")) {
        for (i, x) in a.iter().enumerate() {
            validate(doc, items, x, &format!("{at}[{i}]"))?;
        }
    }
    Ok(())
}

fn response_schema<'a>(doc: &'a Value, path: &str, method: &str, status: &str) -> &'a Value {
    let r = resolve(doc, &doc["paths"][path][method]["responses"][status]);
    &r["content"]["application/json"]["schema"]
}

/// Every route of the router is in the document and every documented path is routed.
#[test]
fn every_route_is_documented() {
    let doc = openapi();
    let paths = doc["paths"].as_object().unwrap();
    let api: Vec<(String, String)> = ROUTES
        .iter()
        .filter(|(_, p)| p.starts_with("/api/"))
        .map(|(m, p)| (m.to_lowercase(), p.to_string()))
        .collect();
    for (m, p) in &api {
        assert!(
            paths.get(p).and_then(|x| x.get(m)).is_some(),
            "{m} {p} not in openapi.json"
        );
    }
    for (p, ops) in paths {
        for m in ops.as_object().unwrap().keys() {
            assert!(
                api.contains(&(m.clone(), p.clone())),
                "{m} {p} documented but not routed"
            );
        }
    }
}

/// A valid example value for a documented parameter.
fn example(name: &str, schema: &Value) -> String {
    if let Some(e) = schema.get("enum").and_then(Value::as_array) {
        return e[0].as_str().unwrap_or("").to_string();
    }
    match name {
        "actor" | "source" | "target" => "RUS".into(),
        "dyad" => "RUS-UKR".into(),
        "code" => "19".into(),
        "root" => "19".into(),
        "plover" => "ASSAULT".into(),
        "since" | "published" => "2024-01-01".into(),
        "until" => "2024-12-31".into(),
        "country" => "UKR".into(),
        "place" => "Kharkiv".into(),
        "bbox" => "30,45,40,55".into(),
        "cursor" => "1".into(),
        "q" => "Kharkiv".into(),
        "name" => "x".into(),
        _ => match schema["type"].as_str() {
            Some("integer") => schema["minimum"].as_i64().unwrap_or(1).to_string(),
            _ => "x".into(),
        },
    }
}

/// Each GET endpoint answers 200 with a body valid under its schema, with no parameter and
/// with each documented parameter alone; an undocumented parameter is a 400.
#[tokio::test]
async fn responses_match_the_document() {
    let t = server(false);
    let doc = openapi();
    for (path, ops) in doc["paths"].as_object().unwrap() {
        let Some(op) = ops.get("get") else { continue };
        let uri = path.replace("{id}", "1");
        let params: Vec<&Value> = op["parameters"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| resolve(&doc, p))
            .filter(|p| p["in"] == "query")
            .collect();
        let required: Vec<String> = params
            .iter()
            .filter(|p| p["required"] == true)
            .map(|p| {
                format!(
                    "{}={}",
                    p["name"].as_str().unwrap(),
                    example(p["name"].as_str().unwrap(), &p["schema"])
                )
            })
            .collect();
        let mut tries = vec![required.clone()];
        for p in &params {
            let name = p["name"].as_str().unwrap();
            if name == "format" || p["required"] == true {
                continue;
            }
            if name == "dyad" && path.ends_with("/search") {
                continue;
            }
            let mut q = required.clone();
            q.push(format!("{name}={}", example(name, &p["schema"])));
            tries.push(q);
        }
        for q in tries {
            let full = if q.is_empty() {
                uri.clone()
            } else {
                format!("{uri}?{}", q.join("&"))
            };
            let (status, body) = get(&t, &full).await;
            if path.ends_with("/search") && status == StatusCode::NOT_IMPLEMENTED {
                continue;
            }
            assert_eq!(status, StatusCode::OK, "GET {full}: {body}");
            if path.ends_with("openapi.json") {
                continue;
            }
            let schema = response_schema(&doc, path, "get", "200");
            validate(&doc, schema, &body, &full).unwrap();
        }
        let (status, body) = get(&t, &format!("{uri}?colour=red")).await;
        assert!(
            path.ends_with("openapi.json") || status == StatusCode::BAD_REQUEST,
            "GET {uri}?colour=red gave {status}"
        );
        if status == StatusCode::BAD_REQUEST {
            validate(
                &doc,
                &json!({"$ref": "#/components/schemas/Error"}),
                &body,
                &uri,
            )
            .unwrap();
            assert!(body["message"].as_str().unwrap().contains("colour"));
        }
    }
}

#[tokio::test]
async fn events_filter_and_paginate() {
    let t = server(false);
    let (s, v) = get(&t, "/api/v1/events?actor=RUS&root=19&since=2024-01-01").await;
    assert_eq!(s, StatusCode::OK);
    let evs = v["events"].as_array().unwrap();
    assert_eq!(evs.len(), 1);
    assert_eq!(evs[0]["cameo"], "195");
    assert_eq!(evs[0]["place"]["name"], "Kharkiv");
    assert_eq!(evs[0]["evidence_text"], "struck");
    assert!(v["next"].is_null());

    // Pages of one: four events, then no next.
    let mut seen = Vec::new();
    let mut uri = "/api/v1/events?limit=1".to_string();
    loop {
        let (_, v) = get(&t, &uri).await;
        seen.push(v["events"][0]["id"].as_i64().unwrap());
        match v["next"].as_str() {
            Some(n) => uri = format!("/api/v1/events?limit=1&cursor={n}"),
            None => break,
        }
    }
    assert_eq!(seen.len(), 4);
    assert!(seen.windows(2).all(|w| w[0] < w[1]));

    // Offsets are code points: "met" after "Élysée" and a curly apostrophe.
    let (_, v) = get(&t, "/api/v1/events?code=040").await;
    let e = &v["events"][0];
    let text: Vec<char> = "France and Germany agreed on aid. Élysée officials met Ukraine’s envoy."
        .chars()
        .collect();
    let (a, b) = (
        e["evidence"]["start"].as_u64().unwrap() as usize,
        e["evidence"]["end"].as_u64().unwrap() as usize,
    );
    assert_eq!(text[a..b].iter().collect::<String>(), "met");

    let (_, _, csv) = call(
        &t,
        Request::get("/api/v1/events?format=csv&actor=UKR")
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert!(csv.starts_with("id,article_id,date,"));
    assert_eq!(csv.lines().count(), 1 + 3, "{csv}");
}

#[tokio::test]
async fn aggregates_show_the_kharkiv_strike() {
    let t = server(false);
    let (_, m) = get(&t, "/api/v1/map").await;
    let k = m["points"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "Kharkiv")
        .expect("Kharkiv on the map");
    assert_eq!(k["located_by"], "place");
    assert!((k["lat"].as_f64().unwrap() - 49.98).abs() < 1e-6);
    let (_, n) = get(&t, "/api/v1/network").await;
    let e = n["edges"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["source"] == "RUS" && e["target"] == "UKR")
        .unwrap();
    assert_eq!(e["conflict"], 1);
    let (_, c) = get(&t, "/api/v1/counts?interval=week&by=quad").await;
    assert_eq!(c["periods"][0]["key"], "2024-W02");
    assert_eq!(c["total"], 4);
    let (_, c) = get(&t, "/api/v1/counts?interval=month&by=dyad&actor=RUS").await;
    assert_eq!(c["series"].as_array().unwrap().len(), 2);
    let (_, a) = get(&t, "/api/v1/actors?q=officials").await;
    assert_eq!(a["actors"][0]["code"], "FRAGOV");
    let (_, a) = get(&t, "/api/v1/articles/1").await;
    assert_eq!(a["events"].as_array().unwrap().len(), 2);
    assert!(a["events"][0]["id"].is_i64());
    let (s, e) = get(&t, "/api/v1/events/2").await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(e["sentence_text"], "Ukraine accused Russia of war crimes.");
    let (s, _) = get(&t, "/api/v1/events/99").await;
    assert_eq!(s, StatusCode::NOT_FOUND);
}

/// Cached aggregates follow the data even when another process writes it (a `wirecoder
/// ingest` beside the server), and requests for one answer at once get the same answer.
#[tokio::test]
async fn cached_aggregates_follow_another_writer() {
    let t = server(false);
    let (_, c) = get(&t, "/api/v1/counts?interval=month&by=total").await;
    assert_eq!(c["total"], 4);
    let (_, st) = get(&t, "/api/v1/stats").await;
    assert_eq!(st["events"], 4);
    let (_, a) = get(&t, "/api/v1/actors?q=IRN").await;
    assert_eq!(a["actors"].as_array().unwrap().len(), 0);

    // Another handle on the file, as another process would open it.
    let mut other = Store::open(&t._dir.path().join("t.db").display().to_string()).unwrap();
    let text = "Iran warned Israel over the strikes.";
    let mut d = Doc::new(text);
    d.meta.published = Some("2024-03-01".into());
    d.sentences = vec![Span::new(0, text.len())];
    d.events.push(Event {
        source: actor("Iran", "IRN", 0),
        target: Some(actor("Israel", "ISR", 12)),
        cameo: "130".into(),
        goldstein: -4.4,
        quad_class: 3,
        plover: Some("THREATEN".into()),
        mode: None,
        modality: Modality::Asserted,
        date: None,
        place: None,
        killed: None,
        injured: None,
        weapon: None,
        sentence: 0,
        evidence: Span::new(5, 11),
    });
    other.insert(&d).unwrap();

    let (_, c) = get(&t, "/api/v1/counts?interval=month&by=total").await;
    assert_eq!(c["total"], 5);
    let (_, st) = get(&t, "/api/v1/stats").await;
    assert_eq!(st["events"], 5);
    let (_, a) = get(&t, "/api/v1/actors?q=IRN").await;
    assert_eq!(a["actors"][0]["code"], "IRN");

    // The new event by id, and as the page after the fourth.
    let (s, e) = get(&t, "/api/v1/events/5").await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(e["evidence_text"], "warned");
    let (_, p) = get(&t, "/api/v1/events?limit=2&cursor=4").await;
    assert_eq!(p["events"].as_array().unwrap().len(), 1);
    assert_eq!(p["events"][0]["id"], 5);
    assert!(p["next"].is_null());

    let answers = futures_join(&t, "/api/v1/network?level=country").await;
    assert!(answers.windows(2).all(|w| w[0] == w[1]));
    assert_eq!(answers[0].1["edges"].as_array().unwrap().len(), 5);
}

/// Eight requests for one URI at once.
async fn futures_join(t: &T, uri: &str) -> Vec<(StatusCode, Value)> {
    let mut tasks = Vec::new();
    for _ in 0..8 {
        let router = t.router.clone();
        let uri = uri.to_string();
        tasks.push(tokio::spawn(async move {
            let resp = router
                .oneshot(Request::get(uri).body(Body::empty()).unwrap())
                .await
                .unwrap();
            let status = resp.status();
            let bytes = resp.into_body().collect().await.unwrap().to_bytes();
            (status, serde_json::from_slice::<Value>(&bytes).unwrap())
        }));
    }
    let mut out = Vec::new();
    for task in tasks {
        out.push(task.await.unwrap());
    }
    out
}

#[tokio::test]
async fn bad_parameters_are_400_with_a_message() {
    let t = server(false);
    let doc = openapi();
    for uri in [
        "/api/v1/events?since=yesterday",
        "/api/v1/events?limit=0",
        "/api/v1/events?limit=abc",
        "/api/v1/events?root=1",
        "/api/v1/events?bbox=1,2",
        "/api/v1/events?cursor=-4",
        "/api/v1/events?modality=perhaps",
        "/api/v1/events?code=19&root=18",
        "/api/v1/counts?interval=year",
        "/api/v1/articles/abc",
        "/api/v1/search",
        "/api/v1/network?level=planet",
    ] {
        let (s, v) = get(&t, uri).await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{uri}: {v}");
        validate(
            &doc,
            &json!({"$ref": "#/components/schemas/Error"}),
            &v,
            uri,
        )
        .unwrap();
        let msg = v["message"].as_str().unwrap();
        assert!(!msg.contains("panicked") && !msg.contains(".rs:"), "{msg}");
    }
    let (s, v) = get(&t, "/api/v1/nothing").await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    assert_eq!(v["code"], "not_found");
}

fn post(uri: &str, ct: &str, body: &str, token: Option<&str>) -> Request<Body> {
    let mut r = Request::post(uri).header("content-type", ct);
    if let Some(t) = token {
        r = r.header("authorization", format!("Bearer {t}"));
    }
    r.body(Body::from(body.to_string())).unwrap()
}

#[tokio::test]
async fn writes_need_the_token() {
    let t = server(false);
    let page =
        "Protest in Paris\n\nFrench police arrested dozens of protesters in Paris on Monday.";
    for tok in [None, Some("wrong")] {
        let (s, v, _) = call(&t, post("/api/v1/documents", "text/plain", page, tok)).await;
        assert_eq!(s, StatusCode::UNAUTHORIZED);
        assert_eq!(v["code"], "missing_token");
    }
    let (_, st) = get(&t, "/api/v1/stats").await;
    assert_eq!(st["articles"], 2, "nothing stored without the token");

    // Without a token configured, writes are refused too.
    let dir = tempfile::tempdir().unwrap();
    let db = fixture(&dir);
    let open = T {
        router: app(&Config {
            db,
            ..Config::default()
        })
        .unwrap(),
        _dir: dir,
    };
    let (s, _, _) = call(
        &open,
        post("/api/v1/documents", "text/plain", page, Some("")),
    )
    .await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn protected_reads_need_the_token() {
    let t = server(true);
    let (s, _) = get(&t, "/api/v1/events").await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    let req = Request::get("/api/v1/events")
        .header("authorization", format!("Bearer {TOKEN}"))
        .body(Body::empty())
        .unwrap();
    let (s, _, _) = call(&t, req).await;
    assert_eq!(s, StatusCode::OK);
    let (s, _) = get(&t, "/api/v1/openapi.json").await;
    assert_eq!(s, StatusCode::OK);
    let (s, _) = get(&t, "/").await;
    assert_eq!(s, StatusCode::OK);
}

#[tokio::test]
async fn ingest_over_http_codes_and_stores() {
    let t = server(false);
    let doc = openapi();
    let page = "<html><head><title>Clashes</title></head><body><article><h1>Clashes</h1>\
        <p>Russian forces shelled the Ukrainian city of Kharkiv on Tuesday, officials said.</p>\
        <p>Ukraine condemned Russia for the attack.</p></article></body></html>";
    let (s, v, _) = call(
        &t,
        post(
            "/api/v1/documents?published=2024-01-10&name=clashes.html",
            "text/html",
            page,
            Some(TOKEN),
        ),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    validate(
        &doc,
        response_schema(&doc, "/api/v1/documents", "post", "200"),
        &v,
        "post",
    )
    .unwrap();
    assert_eq!(v["new"], 1);
    assert!(v["events"].as_u64().unwrap() >= 1, "{v}");
    let id = v["articles"][0].as_i64().unwrap();
    let (_, a) = get(&t, &format!("/api/v1/articles/{id}")).await;
    assert_eq!(a["path"], "clashes.html");
    assert!(a["text"].as_str().unwrap().contains("Kharkiv"));

    // The same page again adds nothing; JSONL documents and bad bodies.
    let (_, v, _) = call(
        &t,
        post(
            "/api/v1/documents?published=2024-01-10&name=clashes.html",
            "text/html",
            page,
            Some(TOKEN),
        ),
    )
    .await;
    assert_eq!(v["new"], 0);
    let jsonl = "{\"id\":\"a\",\"title\":\"T\",\"published\":\"2024-03-01\",\"text\":\"China criticized Japan over the islands.\"}\nnot json\n";
    let (s, v, _) = call(
        &t,
        post(
            "/api/v1/documents",
            "application/x-ndjson",
            jsonl,
            Some(TOKEN),
        ),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(
        (v["documents"].as_u64(), v["skipped"].as_u64()),
        (Some(1), Some(1)),
        "{v}"
    );
    let (s, v, _) = call(
        &t,
        post(
            "/api/v1/documents",
            "application/json",
            "{\"files\": 1}",
            Some(TOKEN),
        ),
    )
    .await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{v}");
    let (s, _, _) = call(&t, post("/api/v1/documents", "image/png", "x", Some(TOKEN))).await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
}
