//! wirecoder-serve: the HTTP API and web UI behind `wirecoder serve`.
//!
//! The API lives under `/api/v1/` and is described by `/api/v1/openapi.json` ([`OPENAPI_JSON`]);
//! every route is listed once in [`ROUTES`]. Read endpoints query a [`wirecoder_store::Store`]
//! (events with the filters of `wirecoder events` and cursor pagination, canonical events with
//! their reports, articles with every annotation layer, full-text search, actors, places, counts
//! over time, the actor network, map points); `POST /api/v1/documents` runs the whole pipeline
//! on HTML, text or JSONL and stores the result; it needs `Authorization: Bearer TOKEN`. Read
//! endpoints are open unless [`Config::protect_reads`] is set. Errors are JSON
//! `{"message", "code", "type", "link"}` from one table ([`ErrorCode`]); internal failures are
//! logged, never sent.
//!
//! The web UI (`/`) is plain HTML, CSS and JavaScript compiled into the binary: an events
//! table with filters and CSV download, a timeline with brushing, an actor network, a world
//! map (Natural Earth outlines) and the article view with each event's evidence highlighted.
//!
//! ```
//! use wirecoder_serve::{app, Config};
//! let router = app(&Config { db: ":memory:".into(), ..Config::default() })?;
//! # let _ = router;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
#![deny(missing_docs)]

mod alerts;
mod api;
mod assets;
mod error;
mod ingest;
mod params;
mod state;

pub use assets::OPENAPI_JSON;
pub use error::{ApiError, ErrorCode, ServeError};
pub use params::parse_events_query;

use axum::extract::rejection::BytesRejection;
use axum::extract::{DefaultBodyLimit, Request, State};
use axum::http::{header, Method};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use state::{AppState, Shared};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

/// How to run the server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    /// The database: a SQLite path or a `postgres://` URL.
    pub db: String,
    /// Where to listen (`127.0.0.1:8080`).
    pub addr: String,
    /// The bearer token that write requests (and reads, with `protect_reads`) must carry.
    /// Without one, every write is refused.
    pub token: Option<String>,
    /// Whether read endpoints need the token too.
    pub protect_reads: bool,
    /// Largest request body accepted, in bytes (default [`MAX_BODY`]); a larger one gets 413.
    pub max_body: usize,
    /// Longest time one request may take, body reading included (default 30 s); a slower
    /// one gets 503 `timeout`.
    pub request_timeout: Duration,
    /// The folder that `POST /api/v1/documents` with `{"paths": [...]}` may read files from
    /// (each path, symbolic links resolved, must lie inside it). `None`: such bodies are
    /// refused, so no request can make the server read a file of its choosing.
    pub files_root: Option<PathBuf>,
}

impl Default for Config {
    fn default() -> Config {
        Config {
            db: "wirecoder.db".into(),
            addr: "127.0.0.1:8080".into(),
            token: None,
            protect_reads: false,
            max_body: MAX_BODY,
            request_timeout: Duration::from_secs(30),
            files_root: None,
        }
    }
}

/// Reading connections to the database: one per core and one more, so that the cores stay busy
/// while one connection waits on the disk (SQLite in WAL mode reads concurrently), and at least
/// three, so that two slow queries do not hold up every other request.
fn readers() -> usize {
    cores().map_or(3, |n| n + 1).clamp(3, 16)
}

/// Connections for the long walks (aggregates, CSV): half the cores, so that the other half
/// keeps answering lookups while a cold cache fills.
fn slow_readers() -> usize {
    cores().map_or(1, |n| n / 2).clamp(1, 8)
}

fn cores() -> Option<usize> {
    std::thread::available_parallelism().ok().map(|n| n.get())
}

/// Largest request body accepted (an ingest batch).
pub const MAX_BODY: usize = 32 << 20;

/// Every route of the server, `(method, path)` with axum's `{param}` syntax. The OpenAPI
/// document describes exactly these under `/api/v1/`.
pub const ROUTES: &[(&str, &str)] = &[
    ("GET", "/"),
    ("GET", "/app.js"),
    ("GET", "/app.css"),
    ("GET", "/world.json"),
    ("GET", "/api/v1/openapi.json"),
    ("GET", "/api/v1/stats"),
    ("GET", "/api/v1/events"),
    ("GET", "/api/v1/events/{id}"),
    ("GET", "/api/v1/canonical"),
    ("GET", "/api/v1/articles"),
    ("GET", "/api/v1/articles/{id}"),
    ("GET", "/api/v1/search"),
    ("GET", "/api/v1/actors"),
    ("GET", "/api/v1/places"),
    ("GET", "/api/v1/counts"),
    ("GET", "/api/v1/network"),
    ("GET", "/api/v1/map"),
    ("GET", "/api/v1/alerts"),
    ("POST", "/api/v1/documents"),
];

/// Reads the token from `path` (surrounding whitespace dropped).
pub fn read_token(path: &str) -> Result<String, ServeError> {
    let t = std::fs::read_to_string(path).map_err(|e| ServeError::Token {
        path: path.into(),
        reason: e.to_string(),
    })?;
    let t = t.trim().to_string();
    if t.is_empty() {
        return Err(ServeError::Token {
            path: path.into(),
            reason: "the file is empty".into(),
        });
    }
    Ok(t)
}

/// Opens the database and builds the router (what [`run`] serves; tests call it directly).
pub fn app(config: &Config) -> Result<Router, ServeError> {
    let open = || {
        wirecoder_store::Store::open(&config.db).map_err(|source| ServeError::Store {
            db: config.db.clone(),
            source: Box::new(source),
        })
    };
    // One in-memory database cannot be shared between connections.
    let memory = config.db.trim() == ":memory:";
    let n = if memory { 1 } else { readers() };
    let stores = (0..n).map(|_| open()).collect::<Result<Vec<_>, _>>()?;
    let slow = if memory { 0 } else { slow_readers() };
    let slow_stores = (0..slow).map(|_| open()).collect::<Result<Vec<_>, _>>()?;
    let version_store = if memory { None } else { Some(open()?) };
    let mut state = AppState::new(
        config.db.clone(),
        stores,
        slow_stores,
        version_store,
        config.token.clone(),
        config.protect_reads,
    );
    state.files_root = match &config.files_root {
        // Compared with canonical paths later, so made canonical once here.
        Some(root) => Some(root.canonicalize().map_err(|e| ServeError::Io {
            addr: format!("--files-root {}", root.display()),
            source: e,
        })?),
        None => None,
    };
    let st: Shared = Arc::new(state);
    let api = Router::new()
        .route("/openapi.json", get(assets::openapi))
        .route("/stats", get(api::stats))
        .route("/events", get(api::events))
        .route("/events/{id}", get(api::event))
        .route("/canonical", get(api::canonical))
        .route("/articles", get(api::articles))
        .route("/articles/{id}", get(api::article))
        .route("/search", get(api::search))
        .route("/actors", get(api::actors))
        .route("/places", get(api::places))
        .route("/counts", get(api::counts))
        .route("/network", get(api::network))
        .route("/map", get(api::map))
        .route("/alerts", get(alerts::alerts))
        .route("/documents", post(documents))
        .fallback(not_found);
    Ok(Router::new()
        .route("/", get(assets::index))
        .route("/app.js", get(assets::app_js))
        .route("/app.css", get(assets::app_css))
        .route("/world.json", get(assets::world))
        .nest("/api/v1", api)
        .fallback(not_found)
        .layer(DefaultBodyLimit::max(config.max_body))
        .layer(middleware::from_fn_with_state(st.clone(), auth))
        .layer(middleware::from_fn_with_state(
            config.request_timeout,
            request_timeout,
        ))
        .with_state(st))
}

/// Answers 503 `timeout` when a request (reading its body included) takes longer than the
/// limit, so a slow client or a runaway query cannot hold a connection forever. Store work
/// already started on a blocking thread finishes there; only the answer is given up.
async fn request_timeout(State(limit): State<Duration>, req: Request, next: Next) -> Response {
    match tokio::time::timeout(limit, next.run(req)).await {
        Ok(r) => r,
        Err(_) => ApiError::new(
            ErrorCode::Timeout,
            format!(
                "the request took longer than {:.1} s (--request-timeout)",
                limit.as_secs_f64()
            ),
        )
        .into_response(),
    }
}

/// The body as bytes, a too-large body answered as JSON like every other error.
async fn documents(
    st: State<Shared>,
    q: Result<
        axum::extract::Query<std::collections::HashMap<String, String>>,
        axum::extract::rejection::QueryRejection,
    >,
    headers: axum::http::HeaderMap,
    body: Result<axum::body::Bytes, BytesRejection>,
) -> Result<axum::Json<serde_json::Value>, ApiError> {
    let body = body.map_err(|e| {
        let code = if e.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
            ErrorCode::PayloadTooLarge
        } else {
            ErrorCode::InvalidBody
        };
        ApiError::new(code, format!("cannot read the body: {}", e.body_text()))
    })?;
    ingest::documents(st, q, headers, body).await
}

async fn not_found(req: Request) -> ApiError {
    ApiError::new(
        ErrorCode::NotFound,
        format!(
            "no route {} {} (see /api/v1/openapi.json)",
            req.method(),
            req.uri().path()
        ),
    )
}

/// Writes always need the token; reads only with `protect_reads` (the UI's files and the
/// OpenAPI document stay open).
async fn auth(State(st): State<Shared>, req: Request, next: Next) -> Response {
    let path = req.uri().path();
    let write = !matches!(*req.method(), Method::GET | Method::HEAD);
    let needs =
        write || (st.protect_reads && path.starts_with("/api/") && path != "/api/v1/openapi.json");
    if needs {
        let given = req
            .headers()
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::trim);
        let ok = match (&st.token, given) {
            (Some(t), Some(g)) => same(t.as_bytes(), g.as_bytes()),
            _ => false,
        };
        if !ok {
            let msg = match (&st.token, given) {
                (None, _) => "writes are disabled: start `wirecoder serve` with --token-file",
                (_, None) => "this request needs an Authorization: Bearer TOKEN header",
                _ => "the token is not the server's",
            };
            return ApiError::new(ErrorCode::MissingToken, msg).into_response();
        }
    }
    next.run(req).await
}

/// Compares without stopping at the first difference (no timing hint about the token).
fn same(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Serves until Ctrl-C. Prints the address it listens on to stderr.
pub fn run(config: &Config) -> Result<(), ServeError> {
    let router = app(config)?;
    let io = |source: std::io::Error| ServeError::Io {
        addr: config.addr.clone(),
        source,
    };
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(io)?;
    rt.block_on(async {
        let listener = tokio::net::TcpListener::bind(&config.addr)
            .await
            .map_err(io)?;
        let local = listener.local_addr().map_err(io)?;
        eprintln!("wirecoder serve: {} on http://{local}/", config.db);
        axum::serve(listener, router)
            .with_graceful_shutdown(async {
                let _ = tokio::signal::ctrl_c().await;
            })
            .await
            .map_err(io)
    })
}
