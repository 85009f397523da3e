//! The server under hostile requests (issue #13): no write without the token on any route,
//! body size limit, request timeout against a slow client, no file outside `files_root`, no
//! path traversal through the URL, and SQL-looking parameter values kept as values.

use axum::body::Body;
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt;
use serde_json::Value;
use std::io::{Read, Write};
use std::time::{Duration, Instant};
use tower::ServiceExt;
use wirecoder_serve::{app, Config, ROUTES};

const TOKEN: &str = "hardening-token";

/// A server over an empty database in `dir`, with `f` adjusting the config.
fn router(dir: &tempfile::TempDir, f: impl FnOnce(&mut Config)) -> axum::Router {
    let db = dir.path().join("h.db").display().to_string();
    drop(wirecoder_store::Store::open(&db).unwrap());
    let mut c = Config {
        db,
        token: Some(TOKEN.into()),
        ..Config::default()
    };
    f(&mut c);
    app(&c).unwrap()
}

async fn call(r: &axum::Router, req: Request<Body>) -> (StatusCode, Value, String) {
    let resp = r.clone().oneshot(req).await.unwrap();
    let status = resp.status();
    let bytes = resp.into_body().collect().await.unwrap().to_bytes();
    let text = String::from_utf8_lossy(&bytes).into_owned();
    (
        status,
        serde_json::from_str(&text).unwrap_or(Value::Null),
        text,
    )
}

fn req(method: &str, uri: &str, token: Option<&str>, ct: &str, body: Vec<u8>) -> Request<Body> {
    let mut b = Request::builder()
        .method(method)
        .uri(uri)
        .header("content-type", ct);
    if let Some(t) = token {
        b = b.header("authorization", format!("Bearer {t}"));
    }
    b.body(Body::from(body)).unwrap()
}

#[tokio::test]
async fn no_write_without_the_token_on_any_route() {
    let dir = tempfile::tempdir().unwrap();
    let r = router(&dir, |_| {});
    let page = b"Protest in Paris\n\nPolice arrested dozens of protesters in Paris.".to_vec();
    let mut paths: Vec<String> = ROUTES.iter().map(|(_, p)| p.replace("{id}", "1")).collect();
    paths.extend(["/no/such/route".into(), "/api/v1/".into()]);
    for path in &paths {
        for method in ["POST", "PUT", "PATCH", "DELETE"] {
            for token in [None, Some("wrong-token"), Some(""), Some("hardening-toke")] {
                let (s, v, _) =
                    call(&r, req(method, path, token, "text/plain", page.clone())).await;
                assert_eq!(
                    s,
                    StatusCode::UNAUTHORIZED,
                    "{method} {path} with {token:?}: {v}"
                );
                assert_eq!(v["code"], "missing_token");
            }
            // With the token, only POST /api/v1/documents writes; nothing else succeeds.
            let (s, _, _) = call(&r, req(method, path, Some(TOKEN), "text/plain", vec![])).await;
            assert!(
                !s.is_success() || (method == "POST" && path == "/api/v1/documents"),
                "{method} {path} succeeded: {s}"
            );
        }
    }
    let (_, st, _) = call(&r, req("GET", "/api/v1/stats", None, "text/plain", vec![])).await;
    assert_eq!(st["articles"], 0, "nothing was stored: {st}");
}

#[tokio::test]
async fn bodies_over_the_limit_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let r = router(&dir, |c| c.max_body = 1024);
    let big = "Police arrested protesters in Paris. "
        .repeat(200)
        .into_bytes();
    let (s, v, _) = call(
        &r,
        req("POST", "/api/v1/documents", Some(TOKEN), "text/plain", big),
    )
    .await;
    assert_eq!(s, StatusCode::PAYLOAD_TOO_LARGE, "{v}");
    assert_eq!(v["code"], "payload_too_large");
}

/// A client that sends headers and half of its body, then stalls, gets 503 `timeout` when
/// the request timeout runs out, and the connection is not held forever.
#[test]
fn a_stalled_body_times_out() {
    let dir = tempfile::tempdir().unwrap();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    let r = router(&dir, |c| c.request_timeout = Duration::from_millis(500));
    let listener = rt
        .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
        .unwrap();
    let addr = listener.local_addr().unwrap();
    rt.spawn(async move { axum::serve(listener, r).await });
    let mut c = std::net::TcpStream::connect(addr).unwrap();
    c.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
    let started = Instant::now();
    write!(
        c,
        "POST /api/v1/documents HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {TOKEN}\r\n\
         Content-Type: text/plain\r\nContent-Length: 1000\r\n\r\nPolice arrested"
    )
    .unwrap();
    let mut buf = [0u8; 4096];
    let n = c.read(&mut buf).unwrap();
    let answer = String::from_utf8_lossy(&buf[..n]);
    let waited = started.elapsed();
    assert!(answer.starts_with("HTTP/1.1 503"), "{answer}");
    assert!(answer.contains("\"timeout\""), "{answer}");
    assert!(waited < Duration::from_secs(10), "{waited:?}");
}

#[tokio::test]
async fn server_files_only_inside_files_root() {
    let dir = tempfile::tempdir().unwrap();
    let outside = dir.path().join("secret.txt");
    std::fs::write(&outside, "Secret\n\nThe server must not read this file.").unwrap();
    let root = dir.path().join("inbox");
    std::fs::create_dir(&root).unwrap();
    let body = |p: &str| serde_json::json!({ "paths": [p] }).to_string().into_bytes();
    let post = |b: Vec<u8>| {
        req(
            "POST",
            "/api/v1/documents",
            Some(TOKEN),
            "application/json",
            b,
        )
    };

    // No root configured: no server file at all.
    let closed = router(&dir, |_| {});
    let (s, v, _) = call(&closed, post(body(&outside.display().to_string()))).await;
    assert_eq!(s, StatusCode::FORBIDDEN, "{v}");
    assert_eq!(v["code"], "forbidden");

    let r = router(&dir, |c| c.files_root = Some(root.clone()));
    let mut tries = vec![
        outside.display().to_string(),
        "../secret.txt".to_string(),
        format!("{}/../secret.txt", root.display()),
        "/etc/passwd".to_string(),
        "file:///etc/passwd".to_string(),
        "../*".to_string(),
        "missing.txt".to_string(),
    ];
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(&outside, root.join("link.txt")).unwrap();
        tries.push("link.txt".into());
    }
    for p in &tries {
        let (s, v, _) = call(&r, post(body(p))).await;
        assert!(
            s == StatusCode::FORBIDDEN || s == StatusCode::BAD_REQUEST,
            "{p}: {s} {v}"
        );
        assert!(!v.to_string().contains("must not read"), "{p}: {v}");
    }
    let (_, st, _) = call(&r, req("GET", "/api/v1/stats", None, "text/plain", vec![])).await;
    assert_eq!(st["articles"], 0, "{st}");
}

#[tokio::test]
async fn no_traversal_or_injection_through_the_url() {
    let dir = tempfile::tempdir().unwrap();
    let r = router(&dir, |_| {});
    for uri in [
        "/../../../../etc/passwd",
        "/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
        "/app.js/../../../etc/passwd",
        "/..%2f..%2f..%2fetc%2fpasswd",
        "/api/v1/articles/..%2F..%2Fetc%2Fpasswd",
        "/api/v1/events/1%20OR%201=1",
        "/world.json%00.txt",
    ] {
        let (s, _, text) = call(&r, req("GET", uri, None, "text/plain", vec![])).await;
        assert!(!text.contains("root:"), "{uri} served a system file");
        assert!(
            s == StatusCode::NOT_FOUND || s == StatusCode::BAD_REQUEST,
            "{uri}: {s}"
        );
    }
    // SQL in parameter values: refused by the checks, or matched literally (no rows).
    for (uri, want) in [
        (
            "/api/v1/events?actor=RUS'%20OR%20'1'='1",
            StatusCode::BAD_REQUEST,
        ),
        ("/api/v1/events?place=x'%20OR%20'1'='1", StatusCode::OK),
        (
            "/api/v1/events?place=x%22;DROP%20TABLE%20events;--",
            StatusCode::OK,
        ),
        ("/api/v1/articles?q=%25'%20OR%201=1--", StatusCode::OK),
        // The search syntax refuses it as a query: a 400, not a 500.
        ("/api/v1/search?q=x'%20OR%201=1--", StatusCode::BAD_REQUEST),
        ("/api/v1/search?q=%22x'%20OR%201=1--%22", StatusCode::OK),
    ] {
        let (s, v, _) = call(&r, req("GET", uri, None, "text/plain", vec![])).await;
        assert_eq!(s, want, "{uri}: {v}");
        if s == StatusCode::OK {
            let rows = v
                .as_object()
                .and_then(|o| o.values().find_map(Value::as_array))
                .map_or(0, Vec::len);
            assert_eq!(rows, 0, "{uri}: {v}");
        }
    }
    let (_, st, _) = call(&r, req("GET", "/api/v1/stats", None, "text/plain", vec![])).await;
    assert!(
        st.get("events").is_some(),
        "the events table is still there: {st}"
    );
}
