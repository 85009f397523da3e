//! The web UI's files, compiled into the binary (the machine may be offline: no CDN), and the
//! OpenAPI document.

use axum::http::header;
use axum::response::{IntoResponse, Response};
use std::collections::HashMap;

pub(crate) const INDEX_HTML: &str = include_str!("../assets/index.html");
pub(crate) const APP_JS: &str = include_str!("../assets/app.js");
pub(crate) const APP_CSS: &str = include_str!("../assets/app.css");
/// Natural Earth 1:110m country outlines (public domain), made by `assets/make_world.py`.
pub(crate) const WORLD_JSON: &str = include_str!("../assets/world.json");
/// The API's description; `tests/api.rs` checks it against the router and the responses.
pub const OPENAPI_JSON: &str = include_str!("../assets/openapi.json");

fn asset(body: &'static str, mime: &'static str) -> Response {
    (
        [
            (header::CONTENT_TYPE, mime),
            (header::CACHE_CONTROL, "no-cache"),
        ],
        body,
    )
        .into_response()
}

pub(crate) async fn index() -> Response {
    asset(INDEX_HTML, "text/html; charset=utf-8")
}

pub(crate) async fn app_js() -> Response {
    asset(APP_JS, "text/javascript; charset=utf-8")
}

pub(crate) async fn app_css() -> Response {
    asset(APP_CSS, "text/css; charset=utf-8")
}

pub(crate) async fn world() -> Response {
    asset(WORLD_JSON, "application/json")
}

pub(crate) async fn openapi() -> Response {
    asset(OPENAPI_JSON, "application/json")
}

/// ISO alpha-3 → (lon, lat) centre of each country in the shipped outlines.
pub(crate) fn centroids() -> HashMap<String, (f64, f64)> {
    let mut out = HashMap::new();
    let Ok(v) = serde_json::from_str::<serde_json::Value>(WORLD_JSON) else {
        return out;
    };
    for c in v["countries"].as_array().into_iter().flatten() {
        let (Some(iso), Some(lon), Some(lat)) =
            (c["iso"].as_str(), c["c"][0].as_f64(), c["c"][1].as_f64())
        else {
            continue;
        };
        if iso.len() == 3 && iso != "-99" {
            out.insert(iso.to_string(), (lon, lat));
        }
    }
    out
}
